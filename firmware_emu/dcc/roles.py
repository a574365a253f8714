"""DUIS parties: user roles, EUI-64 identifiers, the user directory, SRV eligibility, CTSD tests.

A DUIS user (a SEC party) holds one User ID per user role; the role decides which SRVs it
may send (response code E2) and, with device registration, which devices it may address
(E4, see :mod:`firmware_emu.dcc.validation`).

Eligibility is not tabulated per SRV in the seeds. It is taken as the roles for which the
new CTSD matrices make the SRV mandatory (seed digest §2.2 "CTSD mandatory" column), plus
the roles the seeds name explicitly (4.1.1 and 4.2 add MDR; the CRP612 SRVs 6.14.3,
7.13-7.16; 8.5/8.6 from the old IS/GS tables). The CTSD notes that N/A cells do not
forbid a role, so this table is the narrowest reading the seeds support.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, StrEnum


class DccInputError(ValueError):
    """Base of every error this package raises on bad input; the message is one line."""


class UnknownUserRoleError(DccInputError):
    """A user role code or name that DUIS does not define."""


class UserDirectoryError(DccInputError):
    """A user that cannot be added to, or found in, the DCC's user directory."""


class InvalidEui64Error(DccInputError):
    """Text that is not an EUI-64 (16 hex digits, optionally in hyphenated pairs)."""


_EUI64_TEXT = re.compile(r"[0-9A-Fa-f]{16}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}")


def parse_eui64(text: object, *, what: str = "EUI-64") -> str:
    """``text`` in the DUIS form of an EUI-64: upper-case hex pairs joined by hyphens.

    User IDs (business originator IDs) and device IDs (business target IDs) are both
    EUI-64s; ``00DB1234567890A2`` and ``00-db-12-34-56-78-90-a2`` give the same result.
    """
    if not isinstance(text, str) or not _EUI64_TEXT.fullmatch(text):
        raise InvalidEui64Error(
            f"{what} {text!r} is not an EUI-64 (16 hex digits, e.g. 00-DB-12-34-56-78-90-A2)"
        )
    digits = text.replace("-", "").upper()
    return "-".join(digits[i:i + 2] for i in range(0, 16, 2))


class UserRole(StrEnum):
    """DUIS user roles; the value is the DUIS short code."""

    IMPORT_SUPPLIER = "IS"
    EXPORT_SUPPLIER = "ES"
    GAS_SUPPLIER = "GS"
    ELECTRICITY_DISTRIBUTOR = "ED"
    GAS_TRANSPORTER = "GT"
    REGISTERED_SUPPLIER_AGENT = "RSA"
    METER_DATA_RETRIEVER = "MDR"
    OTHER_USER = "OU"

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").title()

    @property
    def needs_registration(self) -> bool:
        """Whether access to a device depends on being registered for it (E4).

        Every role but Other User reaches a device through registration data (supplier,
        network operator, agent or data retriever appointment); Other User does not.
        """
        return self is not UserRole.OTHER_USER


def parse_user_role(text: str) -> UserRole:
    """The role whose short code (``"IS"``) or name (``"Import Supplier"``) is ``text``."""
    wanted = " ".join(str(text).replace("_", " ").split()).upper()
    for role in UserRole:
        if wanted in (role.value, role.title.upper()):
            return role
    codes = ", ".join(role.value for role in UserRole)
    raise UnknownUserRoleError(f"unknown user role {text!r} (expected one of {codes})")


# =====================================================================================
# DCC user directory (E1, E3)
# =====================================================================================


@dataclass(frozen=True, slots=True)
class DccUser:
    """A DUIS User ID known to the DCC, the roles it holds and whether it is suspended."""

    user_id: str
    roles: frozenset[UserRole]
    suspended: bool = False


@dataclass(slots=True)
class UserDirectory:
    """The DCC's view of SEC parties: who may submit service requests, in which roles."""

    _users: dict[str, DccUser] = field(default_factory=dict, init=False, repr=False)

    def add(self, user_id: str, roles: Iterable[UserRole | str], *, suspended: bool = False
            ) -> DccUser:
        canonical = parse_eui64(user_id, what="user id")
        if canonical in self._users:
            raise UserDirectoryError(f"user {canonical} is already in the directory")
        role_set = frozenset(
            role if isinstance(role, UserRole) else parse_user_role(role) for role in roles
        )
        if not role_set:
            raise UserDirectoryError(f"user {canonical} must hold at least one role")
        user = DccUser(canonical, role_set, suspended)
        self._users[canonical] = user
        return user

    def find(self, user_id: str) -> DccUser | None:
        return self._users.get(user_id)

    def set_suspended(self, user_id: str, suspended: bool) -> None:
        user = self._users.get(user_id)
        if user is None:
            raise UserDirectoryError(f"user {user_id} is not in the directory")
        self._users[user_id] = DccUser(user.user_id, user.roles, suspended)


# =====================================================================================
# CTSD mandatory tests (seed 002, new matrices) and eligibility
# =====================================================================================


class TestColumn(Enum):
    """A CTSD matrix column: command variant and mode of operation."""

    __test__ = False  # not a pytest test class

    CV1_OD = (1, "On Demand")
    CV1_FD = (1, "Future Dated")
    CV2_OD = (2, "On Demand")
    CV3_OD = (3, "On Demand")
    CV4_OD = (4, "On Demand")
    CV5_OD = (5, "On Demand")
    CV5_FD = (5, "Future Dated")
    CV6_OD = (6, "On Demand")
    CV7_OD = (7, "On Demand")
    CV8_DCC = (8, "DCC Only")

    @property
    def command_variant(self) -> int:
        return self.value[0]

    @property
    def future_dated(self) -> bool:
        return self.value[1] == "Future Dated"


CV1_OD, CV1_FD, CV2_OD, CV3_OD, CV4_OD, CV5_OD, CV5_FD, CV6_OD, CV7_OD, CV8_DCC = TestColumn


@dataclass(frozen=True, slots=True)
class MandatoryTest:
    """One CTSD cell marked Mandatory: ``role`` must test ``srv_id`` in ``column``.

    ``smets2_only`` is True for "Mandatory SMETS2+" cells (SMETS2+ devices only); False
    for plain "Mandatory" cells (SMETS1 and SMETS2+).
    """

    srv_id: str
    role: UserRole
    column: TestColumn
    smets2_only: bool


def _m(srv_id: str, roles: str, both: tuple[TestColumn, ...] = (),
       s2: tuple[TestColumn, ...] = ()) -> tuple[MandatoryTest, ...]:
    return tuple(
        MandatoryTest(srv_id, UserRole(code), column, smets2_only)
        for code in roles.split()
        for columns, smets2_only in ((both, False), (s2, True))
        for column in columns
    )


# Transcribed from the digest's §2.2 "CTSD mandatory" column (new matrices). The per-role
# totals reproduce the CTSD's printed counts: IS 148 (65 + 83), ED 40, GT 23, ES 16.
_CTSD_ROWS: tuple[tuple[MandatoryTest, ...], ...] = (
    _m("1.1.1", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("1.1.2", "IS", s2=(CV4_OD, CV5_FD)),
    _m("1.2.1", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("1.2.2", "IS", s2=(CV4_OD, CV5_FD)),
    _m("1.5", "IS GS", both=(CV4_OD,), s2=(CV7_OD,)),
    _m("1.6", "IS GS", both=(CV4_OD,), s2=(CV5_FD,)),
    _m("1.7", "IS", s2=(CV4_OD, CV6_OD)),
    _m("2.1", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("2.2", "IS", both=(CV1_OD,), s2=(CV3_OD,)),
    _m("2.2", "GS", both=(CV1_OD,), s2=(CV2_OD,)),
    _m("2.3", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("2.5", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("3.1", "IS GS", s2=(CV1_OD,)),
    _m("3.2", "IS GS", both=(CV1_OD,)),
    _m("3.3", "IS GS", both=(CV1_OD,), s2=(CV2_OD,)),
    _m("3.4", "IS GS", s2=(CV3_OD,)),
    _m("3.5", "IS GS", s2=(CV1_OD,)),
    _m("4.1.1", "IS GS ED GT", both=(CV1_OD,)),
    _m("4.1.2", "IS GS ED GT", both=(CV1_OD,)),
    _m("4.1.3", "IS ED", both=(CV1_OD,)),
    _m("4.1.4", "GS", both=(CV1_OD,)),
    _m("4.2", "ES ED", both=(CV1_OD,)),
    _m("4.3", "IS GS", both=(CV1_OD,)),
    _m("4.4.2", "IS GS", both=(CV1_OD,)),
    _m("4.4.3", "IS GS", both=(CV1_OD,), s2=(CV2_OD,)),
    _m("4.4.4", "IS GS", both=(CV1_OD,)),
    _m("4.4.5", "IS GS", both=(CV1_OD,)),
    _m("4.6.1", "IS GS", both=(CV1_OD,), s2=(CV2_OD,)),
    _m("4.6.2", "ES", s2=(CV1_OD,)),
    _m("4.8.1", "IS GS ED GT OU", both=(CV1_OD,)),
    _m("4.8.2", "IS ED OU", both=(CV1_OD,), s2=(CV2_OD,)),
    _m("4.8.3", "ES ED", both=(CV1_OD,)),
    _m("4.8.3", "OU", both=(CV1_FD,)),
    _m("4.10", "IS GS ED GT", both=(CV1_OD,), s2=(CV3_OD,)),
    _m("4.11.1", "IS GS OU", both=(CV1_OD,)),
    _m("4.11.2", "IS OU", s2=(CV1_OD,)),
    _m("4.12.1", "IS ED", s2=(CV1_FD,)),
    _m("4.12.2", "ES", s2=(CV1_OD,)),
    _m("4.12.2", "ED", s2=(CV1_FD,)),
    _m("4.13", "IS GS", both=(CV1_OD,), s2=(CV3_OD,)),
    _m("4.14", "IS GS", s2=(CV1_OD,)),
    _m("4.15", "IS", both=(CV1_OD, CV1_FD)),
    _m("4.15", "ED", both=(CV1_OD,), s2=(CV1_FD,)),
    _m("4.16", "IS ED", both=(CV1_OD,), s2=(CV3_OD,)),
    _m("4.17", "IS GS ED GT OU", s2=(CV1_OD,)),
    _m("4.18", "IS GS", both=(CV1_OD,)),
    _m("5.1", "IS GS ES ED GT OU", both=(CV8_DCC,)),
    _m("5.2", "IS GS ES ED GT OU", both=(CV8_DCC,)),
    _m("5.3", "IS GS ES ED GT OU", both=(CV8_DCC,)),
    _m("6.2.1", "IS ED RSA", both=(CV1_OD,)),
    _m("6.2.2", "IS ED RSA", s2=(CV1_OD,)),
    _m("6.2.3", "IS GS RSA", both=(CV1_OD,)),
    _m("6.2.4", "IS GS ES ED GT RSA OU", both=(CV1_OD,)),
    _m("6.2.5", "IS RSA", both=(CV1_OD,)),
    _m("6.2.7", "IS GS ES ED GT RSA OU", s2=(CV1_OD,)),
    _m("6.2.8", "GS GT RSA", both=(CV1_OD,)),
    _m("6.2.9", "IS GS RSA", both=(CV1_OD,)),
    _m("6.2.10", "IS GS", s2=(CV1_OD,)),
    _m("6.2.10", "ED", both=(CV1_OD,)),
    _m("6.4.1", "IS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("6.4.2", "IS", both=(CV1_OD,), s2=(CV2_OD,)),
    _m("6.5", "ED", both=(CV1_OD,)),
    _m("6.6", "GS", both=(CV4_OD,)),
    _m("6.7", "GS", both=(CV4_OD,)),
    _m("6.8", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("6.11", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("6.12", "IS", both=(CV1_OD,)),
    _m("6.13", "IS GS ED GT RSA", both=(CV1_OD,)),
    _m("6.14.1", "IS", s2=(CV4_OD, CV5_OD)),
    _m("6.14.2", "IS", s2=(CV4_OD, CV5_FD)),
    _m("6.15.1", "IS GS ED GT", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("6.15.2", "IS GS", s2=(CV4_OD, CV5_OD)),
    _m("6.17", "IS GS", s2=(CV4_OD, CV5_OD)),
    _m("6.18.1", "ED", s2=(CV1_OD,)),
    _m("6.18.2", "ED", s2=(CV1_OD,)),
    _m("6.20.1", "IS GS", s2=(CV1_OD,)),
    _m("6.20.2", "ES", s2=(CV1_OD,)),
    _m("6.21", "IS GS", both=(CV1_OD,)),
    _m("6.22", "IS GS ED", s2=(CV1_OD,)),
    _m("6.23", "IS GS", both=(CV1_FD,)),
    _m("6.24.1", "IS GS ED GT", both=(CV1_OD,)),
    _m("6.24.2", "IS GS", s2=(CV4_OD, CV5_OD)),
    _m("6.25", "IS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("6.26", "IS", s2=(CV4_OD, CV5_OD)),
    _m("6.27", "ED", s2=(CV1_OD,)),
    _m("6.28", "IS GS", s2=(CV1_OD,)),
    _m("6.29", "IS GS", s2=(CV1_OD,)),
    _m("6.30", "IS GS RSA", s2=(CV1_OD,)),
    _m("6.31", "IS GS RSA", s2=(CV1_OD,)),
    _m("6.32", "IS GS RSA", s2=(CV1_OD,)),
    _m("7.1", "IS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("7.2", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("7.3", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("7.4", "IS GS ES ED GT RSA", both=(CV1_OD,)),
    _m("7.5", "IS", s2=(CV4_OD, CV5_OD)),
    _m("7.6", "IS", s2=(CV4_OD, CV7_OD)),
    _m("7.7", "IS OU", s2=(CV1_OD,)),
    _m("7.8", "IS", s2=(CV4_OD, CV5_OD)),
    _m("7.9", "IS", s2=(CV1_FD,)),
    _m("7.10", "IS", s2=(CV1_OD,)),
    _m("7.11", "IS OU", s2=(CV1_FD,)),
    _m("7.12", "IS", s2=(CV4_OD, CV5_OD)),
    _m("8.1.1", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("8.2", "IS GS ES ED GT RSA OU", both=(CV8_DCC,)),
    _m("8.3", "IS GS", both=(CV8_DCC,)),
    _m("8.4", "IS GS ES ED GT RSA OU", both=(CV8_DCC,)),
    _m("8.7.1", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("8.7.2", "IS GS OU", both=(CV1_OD,)),
    _m("8.8.1", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("8.8.2", "IS GS OU", both=(CV1_OD,)),
    _m("8.9", "IS GS OU", both=(CV1_OD,)),
    _m("8.11", "IS GS OU", both=(CV1_OD,)),
    _m("8.12.1", "IS GS", s2=(CV2_OD,)),
    _m("8.12.2", "IS GS", s2=(CV1_OD,)),
    _m("8.13", "IS GS", s2=(CV8_DCC,)),
    _m("8.14.1", "IS GS", s2=(CV8_DCC,)),
    _m("8.14.2", "IS GS", s2=(CV8_DCC,)),
    _m("8.14.3", "IS GS", s2=(CV8_DCC,)),
    _m("8.14.4", "IS GS", s2=(CV8_DCC,)),
    _m("9.1", "OU", s2=(CV1_OD,)),
    _m("11.1", "IS GS", both=(CV8_DCC,)),
    _m("11.2", "IS GS ES ED GT RSA OU", both=(CV1_OD,)),
    _m("11.3", "IS GS", both=(CV4_OD,), s2=(CV5_OD,)),
    _m("12.1", "IS GS ES ED GT RSA OU", s2=(CV8_DCC,)),
    _m("12.2", "IS GS ES ED GT RSA OU", both=(CV8_DCC,)),
    _m("14.1", "GT", s2=(CV1_OD,)),
)

CTSD_MANDATORY_TESTS: tuple[MandatoryTest, ...] = tuple(
    test for row in _CTSD_ROWS for test in row
)

# Eligible roles stated in the seeds beyond the CTSD matrices (digest §2.2, §2.4).
_EXTRA_ELIGIBILITY: dict[str, tuple[UserRole, ...]] = {
    "4.1.1": (UserRole.METER_DATA_RETRIEVER,),
    "4.2": (UserRole.METER_DATA_RETRIEVER,),
    "6.14.3": (UserRole.IMPORT_SUPPLIER,),
    "7.13": (UserRole.IMPORT_SUPPLIER,),
    "7.14": (UserRole.IMPORT_SUPPLIER, UserRole.ELECTRICITY_DISTRIBUTOR, UserRole.OTHER_USER),
    "7.15": (UserRole.IMPORT_SUPPLIER, UserRole.ELECTRICITY_DISTRIBUTOR, UserRole.OTHER_USER),
    "7.16": (),  # the seed lists eligible users "None"
    "8.5": (UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER),
    "8.6": (UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER),
}

SMETS1_ONLY_ELIGIBILITY: frozenset[tuple[str, UserRole]] = frozenset(
    {("4.1.1", UserRole.METER_DATA_RETRIEVER)}
)
"""(SRV, role) pairs the seeds allow for SMETS1 devices only (4.1.1 for MDR)."""


def _eligibility() -> dict[str, frozenset[UserRole]]:
    table: dict[str, set[UserRole]] = {}
    for test in CTSD_MANDATORY_TESTS:
        table.setdefault(test.srv_id, set()).add(test.role)
    for srv_id, roles in _EXTRA_ELIGIBILITY.items():
        table.setdefault(srv_id, set()).update(roles)
    return {srv_id: frozenset(roles) for srv_id, roles in table.items()}


SRV_ELIGIBILITY: dict[str, frozenset[UserRole]] = _eligibility()
"""SRV id -> the user roles that may send it (E2 otherwise)."""


def eligible_roles(srv_id: str) -> frozenset[UserRole]:
    """The roles that may send ``srv_id``; empty for an SRV no role may send."""
    return SRV_ELIGIBILITY.get(srv_id, frozenset())


def is_eligible(role: UserRole, srv_id: str) -> bool:
    return role in eligible_roles(srv_id)


def srvs_eligible_for(role: UserRole) -> tuple[str, ...]:
    """Every SRV ``role`` may send, in catalogue (table) order."""
    return tuple(srv_id for srv_id, roles in SRV_ELIGIBILITY.items() if role in roles)


def mandatory_tests(role: UserRole, column: TestColumn | None = None, *,
                    smets2: bool = True) -> tuple[MandatoryTest, ...]:
    """The CTSD tests ``role`` must run, optionally only those of one ``column``.

    ``smets2=True`` gives the tests to run against a SMETS2+ device ("Mandatory" and
    "Mandatory SMETS2+" cells); ``smets2=False`` those against a SMETS1 device.
    """
    return tuple(
        test for test in CTSD_MANDATORY_TESTS
        if test.role is role
        and (column is None or test.column is column)
        and (smets2 or not test.smets2_only)
    )
