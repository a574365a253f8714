"""User roles, EUI-64 identifiers, the user directory, eligibility and the CTSD matrix."""

from __future__ import annotations

from collections import Counter

import pytest

from firmware_emu.dcc.roles import (
    CTSD_MANDATORY_TESTS,
    InvalidEui64Error,
    TestColumn,
    UnknownUserRoleError,
    UserDirectory,
    UserDirectoryError,
    UserRole,
    eligible_roles,
    is_eligible,
    mandatory_tests,
    parse_eui64,
    parse_user_role,
    srvs_eligible_for,
)

IS, GS, ES, ED, GT, RSA, MDR, OU = (UserRole(code) for code in
                                    ("IS", "GS", "ES", "ED", "GT", "RSA", "MDR", "OU"))


@pytest.mark.parametrize(("text", "role"), [
    ("IS", IS), ("is", IS), ("Import Supplier", IS), ("import_supplier", IS),
    ("Registered Supplier Agent", RSA), ("MDR", MDR), (" other   user ", OU),
])
def test_parse_user_role_accepts_codes_and_names(text, role):
    assert parse_user_role(text) is role


def test_parse_user_role_names_the_bad_value():
    with pytest.raises(UnknownUserRoleError, match=r"'Supplier'.*IS, ES, GS"):
        parse_user_role("Supplier")


def test_role_titles_and_registration():
    assert ED.title == "Electricity Distributor"
    assert [role for role in UserRole if not role.needs_registration] == [OU]


@pytest.mark.parametrize("text", ["00DB1234567890A2", "00-db-12-34-56-78-90-a2"])
def test_parse_eui64_canonical_form(text):
    assert parse_eui64(text) == "00-DB-12-34-56-78-90-A2"


@pytest.mark.parametrize("text", ["00DB1234567890A", "00-DB-1234567890A2", "00DB1234567890AZ",
                                  12, None])
def test_parse_eui64_rejects_malformed_ids(text):
    with pytest.raises(InvalidEui64Error, match="is not an EUI-64"):
        parse_eui64(text, what="device id")


def test_user_directory():
    users = UserDirectory()
    user = users.add("90b3d51f30010000", ["IS", UserRole.GAS_SUPPLIER])
    assert users.find("90-B3-D5-1F-30-01-00-00") is user
    assert user.roles == {IS, GS} and not user.suspended
    with pytest.raises(UserDirectoryError, match="already"):
        users.add("90-B3-D5-1F-30-01-00-00", ["ES"])
    with pytest.raises(UserDirectoryError, match="at least one role"):
        users.add("90-B3-D5-1F-30-01-00-01", [])
    with pytest.raises(UnknownUserRoleError):
        users.add("90-B3-D5-1F-30-01-00-02", ["XX"])
    assert users.find("90-B3-D5-1F-30-01-00-02") is None  # a failed add leaves nothing
    users.set_suspended(user.user_id, True)
    assert users.find(user.user_id).suspended
    with pytest.raises(UserDirectoryError, match="not in the directory"):
        users.set_suspended("90-B3-D5-1F-30-0F-00-00", True)


def test_ctsd_counts_match_the_printed_totals():
    """IS 148 (65 Mandatory + 83 SMETS2+), ED 40, GT 23, ES 16 (digest §6.4, §6.5)."""
    per_role = Counter((test.role, test.smets2_only) for test in CTSD_MANDATORY_TESTS)
    assert (per_role[IS, False], per_role[IS, True]) == (65, 83)
    assert per_role[ED, False] + per_role[ED, True] == 40
    assert per_role[GT, False] + per_role[GT, True] == 23
    assert per_role[ES, False] + per_role[ES, True] == 16
    assert len({test.srv_id for test in CTSD_MANDATORY_TESTS if test.role is RSA}) == 18


def test_mandatory_tests_by_column_and_generation():
    sr05_gs = {test.srv_id for test in mandatory_tests(GS, TestColumn.CV4_OD)}
    assert {"6.6", "6.7", "1.1.1"} <= sr05_gs
    sr06_gs = {test.srv_id for test in mandatory_tests(GS, TestColumn.CV5_OD)}
    assert "6.6" not in sr06_gs and "1.1.1" in sr06_gs
    assert all(not t.smets2_only for t in mandatory_tests(IS, smets2=False))
    assert {t.column for t in mandatory_tests(GS) if t.srv_id == "2.2"} == {
        TestColumn.CV1_OD, TestColumn.CV2_OD}
    assert TestColumn.CV5_FD.future_dated and TestColumn.CV5_FD.command_variant == 5


def test_eligibility():
    assert eligible_roles("4.1.1") == {IS, GS, ED, GT, MDR}
    assert eligible_roles("4.2") == {ES, ED, MDR}
    assert eligible_roles("8.9") == {IS, GS, OU}
    assert eligible_roles("7.16") == frozenset()
    assert eligible_roles("6.14.3") == {IS}
    assert is_eligible(OU, "8.11") and not is_eligible(ES, "8.11")
    assert set(srvs_eligible_for(MDR)) == {"4.1.1", "4.2"}
    assert eligible_roles("99.9") == frozenset()
