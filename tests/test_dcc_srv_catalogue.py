"""The SRV catalogue against the seed digest's master table, the CTSD and the GBCS primer."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from firmware_emu.dcc.inventory import DeviceType
from firmware_emu.dcc.roles import CTSD_MANDATORY_TESTS, SRV_ELIGIBILITY, TestColumn
from firmware_emu.dcc.srv_catalogue import (
    GBCS_USE_CASES,
    SRV_CATALOGUE,
    CommandVariant,
    FutureDating,
    ParameterKind,
    ParameterSpec,
    TargetKind,
    UnknownSrvError,
    get_srv,
)

DIGEST = Path(__file__).resolve().parents[2] / "shared" / "reference" / "seed-digest.md"
CRP612_SRVS = {"6.14.3", "7.13", "7.14", "7.15", "7.16"}


def _letters(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _digest_master_table() -> dict[str, list[str]]:
    text = DIGEST.read_text(encoding="utf-8")
    table = text[text.index("### 2.2 Master SRV table"):text.index("SRVs that appear")]
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if re.fullmatch(r"\d+(\.\d+)+", cells[0]):
            rows[cells[0]] = cells
    return rows


@pytest.mark.skipif(not DIGEST.is_file(), reason="seed digest not available")
def test_catalogue_holds_every_srv_of_the_master_table_with_its_critical_and_s1_flags():
    rows = _digest_master_table()
    assert len(rows) == 123
    assert set(SRV_CATALOGUE) == set(rows) | CRP612_SRVS
    for srv_id, (_, name, _dev, critical, s1, *_rest) in rows.items():
        srv = get_srv(srv_id)
        assert srv.critical is (critical == "Y"), srv_id
        assert srv.smets1 is (s1 == "Y"), srv_id
        assert _letters(srv.name) == _letters(name.removesuffix(" [see note]")), srv_id


def test_every_srv_has_an_eligibility_entry():
    assert set(SRV_ELIGIBILITY) == set(SRV_CATALOGUE)


def test_command_variants_follow_criticality_and_dcc_only():
    for srv in SRV_CATALOGUE.values():
        if srv.dcc_only:
            assert srv.command_variants == {CommandVariant.DCC_ONLY}
            assert srv.future_dating is FutureDating.NONE
        else:
            assert all(variant.critical is srv.critical for variant in srv.command_variants)
        if srv.target_kind is TargetKind.DEVICE:
            assert srv.target_types, srv.srv_id


def test_ctsd_cells_only_use_allowed_variants_and_future_dating():
    for test in CTSD_MANDATORY_TESTS:
        srv = get_srv(test.srv_id)
        assert test.column.command_variant in srv.command_variants, test
        if test.column.future_dated:
            expected = FutureDating.DEVICE if test.column is TestColumn.CV5_FD \
                else FutureDating.DSP
            assert srv.future_dating is expected, test


def test_future_dating_stated_in_the_seeds():
    assert get_srv("4.1.1").future_dating is FutureDating.DSP
    assert get_srv("4.2").future_dating is FutureDating.DSP
    assert get_srv("8.9").future_dating is FutureDating.DSP
    assert get_srv("6.14.3").future_dating is FutureDating.DEVICE
    assert get_srv("7.13").future_dating is FutureDating.NONE
    assert get_srv("7.16").future_dating is FutureDating.NONE


def test_fully_specified_srvs():
    srv = get_srv("4.1.1")
    assert srv.target_types == {DeviceType.ESME, DeviceType.GSME, DeviceType.GPF}
    assert srv.command_variants == {1, 2, 3} and not srv.dcc_schedulable
    assert srv.service_reference == "4.1" and get_srv("8.14.2").service_reference == "8.14"
    assert [(uc.use_case, uc.message_code) for uc in srv.use_cases(DeviceType.ESME)] == [
        ("ECS17b", 0x0027)]
    assert [(uc.use_case, uc.message_code) for uc in srv.use_cases(DeviceType.GPF)] == [
        ("GCS13a", 0x0074)]
    assert [uc.message_code for uc in get_srv("4.2").use_cases()] == [0x0026]
    chf_log = [uc.use_case for uc in get_srv("8.9").use_cases(DeviceType.CHF)]
    assert chf_log == ["CCS05/CCS04", "CCS06", "CCS07"]
    assert get_srv("8.9").target_types == {
        DeviceType.ESME, DeviceType.GSME, DeviceType.GPF, DeviceType.CHF, DeviceType.HCALCS,
        DeviceType.PPMID}


def test_dcc_only_srvs_of_the_scenarios():
    for srv_id in ("5.1", "5.2", "5.3", "8.2", "8.4", "8.13", "12.1", "12.2"):
        srv = get_srv(srv_id)
        assert srv.dcc_only and srv.target_kind is TargetKind.DCC and not srv.use_cases()
    assert get_srv("8.3").dcc_only and get_srv("8.3").target_kind is TargetKind.DEVICE
    assert not get_srv("8.1.1").dcc_only and get_srv("8.1.1").critical


def test_dual_band_srvs_target_the_chf_with_dbch_use_cases():
    for srv_id, use_case in (("6.28", "DBCH04"), ("6.29", "DBCH05"), ("6.30", "DBCH03"),
                             ("6.31", "DBCH01"), ("6.32", "DBCH02")):
        srv = get_srv(srv_id)
        assert srv.dual_band_only and srv.target_types == {DeviceType.CHF}
        assert [uc.use_case for uc in srv.use_cases()] == [use_case]


def test_use_cases_target_devices_the_srv_accepts():
    for uc in GBCS_USE_CASES:
        assert uc.device_types <= get_srv(uc.srv_id).target_types, uc
        assert 0 < uc.message_code <= 0xFFFF


def test_dcc_schedulable_srvs_match_create_schedule():
    schedulable = {srv.srv_id for srv in SRV_CATALOGUE.values() if srv.dcc_schedulable}
    assert schedulable == {"4.6.1", "4.6.2", "4.8.1", "4.8.2", "4.8.3", "4.10", "4.14", "4.17",
                           "4.12.1", "4.12.2", "4.15", "4.16", "14.1"}


def test_declared_examples_are_valid():
    for srv in SRV_CATALOGUE.values():
        for spec in srv.parameters or ():
            if spec.example is not None:
                assert spec.problem(spec.example) is None, (srv.srv_id, spec.name)


def test_get_srv_unknown():
    assert get_srv(" 8.11 ").srv_id == "8.11"
    with pytest.raises(UnknownSrvError, match=r"unknown Service Reference Variant '6\.3'"):
        get_srv("6.3")


@pytest.mark.parametrize(("spec", "value", "problem"), [
    (ParameterSpec("N", ParameterKind.INTEGER, minimum=1, maximum=3), 4, "above the maximum 3"),
    (ParameterSpec("N", ParameterKind.INTEGER, minimum=1, maximum=3), 0, "below the minimum 1"),
    (ParameterSpec("N", ParameterKind.INTEGER), True, "must be an integer, not bool"),
    (ParameterSpec("N", ParameterKind.INTEGER), "3", "must be an integer, not str"),
    (ParameterSpec("S", ParameterKind.STRING, max_length=22), "x" * 23, "longer than 22"),
    (ParameterSpec("S", ParameterKind.STRING, pattern="[0-9]+"), "12a", "does not match"),
    (ParameterSpec("H", ParameterKind.HEX), "ABC", "not hex"),
    (ParameterSpec("H", ParameterKind.HEX), "GG", "not hex"),
    (ParameterSpec("B", ParameterKind.BASE64), "@@@", "not base64"),
    (ParameterSpec("E", ParameterKind.EUI64), "00DB", "not an EUI-64"),
    (ParameterSpec("C", ParameterKind.CHOICE, choices=("Add", "Remove")), "add", "not one of"),
    (ParameterSpec("T", ParameterKind.DATETIME), datetime(2030, 1, 1), "UTC offset"),
    (ParameterSpec("D", ParameterKind.DATE), datetime(2030, 1, 1, tzinfo=UTC), "must be a date"),
    (ParameterSpec("L", ParameterKind.INTEGER_LIST, maximum=26), (1, 27), "above the maximum"),
    (ParameterSpec("L", ParameterKind.INTEGER_LIST), (1, "2"), "list of integers"),
    (ParameterSpec("L", ParameterKind.INTEGER_LIST, max_length=3), (1, 2, 3, 4), "longer than 3"),
])
def test_parameter_problems(spec, value, problem):
    assert problem in spec.problem(value)


@pytest.mark.parametrize(("kind", "value"), [
    (ParameterKind.INTEGER, 5), (ParameterKind.STRING, "x"), (ParameterKind.HEX, "0aFF"),
    (ParameterKind.BASE64, "3wAB"), (ParameterKind.EUI64, "00DB1234567890A0"),
    (ParameterKind.BOOLEAN, False), (ParameterKind.DATETIME, datetime(2030, 1, 1, tzinfo=UTC)),
    (ParameterKind.DATE, date(2030, 1, 1)), (ParameterKind.TIME, time(0, 1)),
    (ParameterKind.INTEGER_LIST, ()), (ParameterKind.INTEGER_LIST, [1, 2]),
])
def test_parameter_kinds_accept_their_values(kind, value):
    assert ParameterSpec("X", kind).problem(value) is None
