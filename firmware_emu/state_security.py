"""Security state: remote party trust anchors and originator counters (primer §3.2, §8.3)."""

from __future__ import annotations

import dataclasses
import enum

from firmware_emu.state_codec import (
    InvalidStateError,
    JsonState,
    StateError,
    check_bytes,
    check_eui,
    check_int,
    eui_hex,
)

COUNTER_MAX = 2**64 - 1


class TrustAnchorError(StateError, ValueError):
    """A trust anchor replacement that the replacement rules forbid."""


class TrustAnchorNotFoundError(TrustAnchorError, KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


class ReplayError(StateError, ValueError):
    """An originator or sequence number not greater than the last one accepted."""


class RemotePartyRole(enum.IntEnum):
    """RemotePartyRole INTEGER; LOAD_CONTROLLER = 8 is seen only in RTDS certificates."""

    ROOT = 0
    RECOVERY = 1
    SUPPLIER = 2
    NETWORK_OPERATOR = 3
    ACCESS_CONTROL_BROKER = 4
    TRANSITIONAL_COS = 5
    WAN_PROVIDER = 6
    LOAD_CONTROLLER = 8


class TrustAnchorKeyUsage(enum.IntEnum):
    """The one KeyUsage of a cell's certificate, valued as its BIT STRING mask (1 << bit)."""

    DIGITAL_SIGNATURE = 1 << 0
    KEY_AGREEMENT = 1 << 4
    KEY_CERT_SIGN = 1 << 5


class CellUsage(enum.IntEnum):
    MANAGEMENT = 0
    PREPAYMENT_TOP_UP = 1


class ReplacementMode(enum.Enum):
    """CS02b/CS02g replacement modes, valued by the message code that carries each.

    For 0x0100-0x0109 the ASN.1 replacementMode integer is ``message code - 0x0100``.
    """

    ROOT_BY_SUPPLIER = 0x0100
    ROOT_BY_WAN_PROVIDER = 0x0101
    SUPPLIER_BY_SUPPLIER = 0x0102
    NETWORK_OPERATOR_BY_NETWORK_OPERATOR = 0x0103
    ACCESS_CONTROL_BROKER_BY_ACCESS_CONTROL_BROKER = 0x0104
    WAN_PROVIDER_BY_WAN_PROVIDER = 0x0105
    TRANSITIONAL_COS_BY_TRANSITIONAL_COS = 0x0106
    SUPPLIER_BY_TRANSITIONAL_COS = 0x0107
    ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY = 0x0108
    ANY_BY_CONTINGENCY = 0x0109
    LOAD_CONTROLLER_BY_LOAD_CONTROLLER = 0x0125
    LOAD_CONTROLLER_BY_SUPPLIER = 0x0126

    @property
    def message_code(self) -> int:
        return self.value

    @property
    def authorising_role(self) -> RemotePartyRole:
        return _RULES[self][0]

    @property
    def replaceable_roles(self) -> frozenset[RemotePartyRole]:
        return _RULES[self][1]


_Role = RemotePartyRole
_ALL_ROLES = frozenset(RemotePartyRole)
# Authoriser and replaceable cells, read off the mode names. Both recovery modes are
# signed with the Recovery key (0x0108 is a bare DF signed by Recovery); only the
# contingency mode may also replace the Root cell ("abnormal" root replacement).
_RULES: dict[ReplacementMode, tuple[RemotePartyRole, frozenset[RemotePartyRole]]] = {
    ReplacementMode.ROOT_BY_SUPPLIER: (_Role.SUPPLIER, frozenset({_Role.ROOT})),
    ReplacementMode.ROOT_BY_WAN_PROVIDER: (_Role.WAN_PROVIDER, frozenset({_Role.ROOT})),
    ReplacementMode.SUPPLIER_BY_SUPPLIER: (_Role.SUPPLIER, frozenset({_Role.SUPPLIER})),
    ReplacementMode.NETWORK_OPERATOR_BY_NETWORK_OPERATOR:
        (_Role.NETWORK_OPERATOR, frozenset({_Role.NETWORK_OPERATOR})),
    ReplacementMode.ACCESS_CONTROL_BROKER_BY_ACCESS_CONTROL_BROKER:
        (_Role.ACCESS_CONTROL_BROKER, frozenset({_Role.ACCESS_CONTROL_BROKER})),
    ReplacementMode.WAN_PROVIDER_BY_WAN_PROVIDER:
        (_Role.WAN_PROVIDER, frozenset({_Role.WAN_PROVIDER})),
    ReplacementMode.TRANSITIONAL_COS_BY_TRANSITIONAL_COS:
        (_Role.TRANSITIONAL_COS, frozenset({_Role.TRANSITIONAL_COS})),
    ReplacementMode.SUPPLIER_BY_TRANSITIONAL_COS:
        (_Role.TRANSITIONAL_COS, frozenset({_Role.SUPPLIER})),
    ReplacementMode.ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY:
        (_Role.RECOVERY, _ALL_ROLES - {_Role.ROOT}),
    ReplacementMode.ANY_BY_CONTINGENCY: (_Role.RECOVERY, _ALL_ROLES),
    ReplacementMode.LOAD_CONTROLLER_BY_LOAD_CONTROLLER:
        (_Role.LOAD_CONTROLLER, frozenset({_Role.LOAD_CONTROLLER})),
    ReplacementMode.LOAD_CONTROLLER_BY_SUPPLIER:
        (_Role.SUPPLIER, frozenset({_Role.LOAD_CONTROLLER})),
}

CellKey = tuple[RemotePartyRole, TrustAnchorKeyUsage, CellUsage]


@dataclasses.dataclass(frozen=True, slots=True)
class TrustAnchorCell(JsonState):
    """One remote party certificate the device trusts, in the cell its usage selects."""

    role: RemotePartyRole
    key_usage: TrustAnchorKeyUsage
    subject_eui: bytes
    certificate_der: bytes
    cell_usage: CellUsage = CellUsage.MANAGEMENT

    def __post_init__(self) -> None:
        check_eui(self.subject_eui, "subject_eui")
        check_bytes(self.certificate_der, "certificate_der")
        if not self.certificate_der:
            raise InvalidStateError("certificate_der", "empty certificate")
        is_root = self.role is RemotePartyRole.ROOT
        if is_root != (self.key_usage is TrustAnchorKeyUsage.KEY_CERT_SIGN):
            raise InvalidStateError("key_usage", "the Root cell, and only it, holds a "
                                                 "keyCertSign certificate")
        if self.cell_usage is CellUsage.PREPAYMENT_TOP_UP and (
                self.role is not RemotePartyRole.SUPPLIER
                or self.key_usage is not TrustAnchorKeyUsage.KEY_AGREEMENT):
            raise InvalidStateError("cell_usage", "only a Supplier key-agreement cell is "
                                                  "used for prepayment top-up")

    @property
    def key(self) -> CellKey:
        return self.role, self.key_usage, self.cell_usage

    def describe(self) -> str:
        usage = "" if self.cell_usage is CellUsage.MANAGEMENT else f" {self.cell_usage.name}"
        return f"{self.role.name} {self.key_usage.name}{usage} cell"


@dataclasses.dataclass(slots=True)
class TrustAnchors(JsonState):
    """The device's trust anchor cells and each remote party's credential sequence number.

    The sequence number belongs to the remote party, not to one cell (CS02a reports one
    currentSeqNumber per role), so it is kept per role here.
    """

    cells: list[TrustAnchorCell] = dataclasses.field(default_factory=list)
    sequence_numbers: dict[RemotePartyRole, int] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: set[CellKey] = set()
        for index, cell in enumerate(self.cells):
            if cell.key in seen:
                raise InvalidStateError(f"cells[{index}]", f"second {cell.describe()}")
            seen.add(cell.key)
        for role, number in self.sequence_numbers.items():
            check_int(number, f"sequence_numbers[{role.name}]", 0, COUNTER_MAX)
        self.cells.sort(key=lambda cell: cell.key)

    def install(self, cell: TrustAnchorCell) -> TrustAnchorCell | None:
        """Put ``cell`` in place without rules (manufacture, provisioning); return the old."""
        previous = self.find(cell.role, cell.key_usage, cell.cell_usage)
        if previous is not None:
            self.cells.remove(previous)
        self.cells.append(cell)
        self.cells.sort(key=lambda c: c.key)
        return previous

    def find(self, role: RemotePartyRole, key_usage: TrustAnchorKeyUsage,
             cell_usage: CellUsage = CellUsage.MANAGEMENT) -> TrustAnchorCell | None:
        return next((c for c in self.cells if c.key == (role, key_usage, cell_usage)), None)

    def cell(self, role: RemotePartyRole, key_usage: TrustAnchorKeyUsage,
             cell_usage: CellUsage = CellUsage.MANAGEMENT) -> TrustAnchorCell:
        found = self.find(role, key_usage, cell_usage)
        if found is None:
            raise TrustAnchorNotFoundError(
                f"no {role.name} {key_usage.name} trust anchor ({cell_usage.name})")
        return found

    def cells_of(self, role: RemotePartyRole) -> list[TrustAnchorCell]:
        return [cell for cell in self.cells if cell.role is role]

    def sequence_number(self, role: RemotePartyRole) -> int:
        return self.sequence_numbers.get(role, 0)

    def replace(self, mode: ReplacementMode, authorising_sequence_number: int,
                new_cells: list[TrustAnchorCell] | tuple[TrustAnchorCell, ...],
                target_sequence_number: int | None = None) -> list[TrustAnchorCell | None]:
        """Apply a CS02b/CS02g replacement all-or-nothing; return the cells replaced.

        ``authorising_sequence_number`` must exceed the authorising party's current one,
        which it then becomes. A replaced party other than the authoriser (change of
        supplier, recovery) takes ``target_sequence_number``, or starts again from 0.
        """
        authoriser = mode.authorising_role
        if not self.cells_of(authoriser):
            raise TrustAnchorNotFoundError(
                f"{mode.name}: the device holds no {authoriser.name} trust anchor")
        check_int(authorising_sequence_number, "authorising sequence number", 0, COUNTER_MAX)
        if authorising_sequence_number <= self.sequence_number(authoriser):
            raise ReplayError(
                f"{mode.name}: sequence number {authorising_sequence_number} is not greater "
                f"than {authoriser.name}'s {self.sequence_number(authoriser)}")
        if target_sequence_number is not None:
            check_int(target_sequence_number, "target sequence number", 0, COUNTER_MAX)
        if not new_cells:
            raise TrustAnchorError(f"{mode.name}: no certificate to place")
        keys = [cell.key for cell in new_cells]
        for cell in new_cells:
            if cell.role not in mode.replaceable_roles:
                raise TrustAnchorError(f"{mode.name} cannot replace the {cell.describe()}")
            if keys.count(cell.key) > 1:
                raise TrustAnchorError(f"{mode.name}: two certificates for the "
                                       f"{cell.describe()}")
        replaced = [self.install(cell) for cell in new_cells]
        self.sequence_numbers[authoriser] = authorising_sequence_number
        for role in {cell.role for cell in new_cells} - {authoriser}:
            self.sequence_numbers[role] = target_sequence_number or 0
        return replaced


@dataclasses.dataclass(slots=True)
class OriginatorCounters(JsonState):
    """The device's own alert counter and the anti-replay floor of each remote party."""

    last_alert_counter: int = 0
    floors: dict[bytes, int] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        check_int(self.last_alert_counter, "last_alert_counter", 0, COUNTER_MAX)
        for eui, counter in self.floors.items():
            check_eui(eui, "floors")
            check_int(counter, f"floors[{eui_hex(eui)}]", 0, COUNTER_MAX)

    def next_alert_counter(self) -> int:
        """The counter for the next alert the device originates (strictly increasing)."""
        if self.last_alert_counter >= COUNTER_MAX:
            raise ReplayError("the device's alert counter is exhausted")
        self.last_alert_counter += 1
        return self.last_alert_counter

    def floor(self, remote_eui: bytes) -> int | None:
        return self.floors.get(remote_eui)

    def check_and_advance(self, remote_eui: bytes, counter: int) -> None:
        """Accept ``counter`` from ``remote_eui`` only if above its floor; then raise it.

        A rejected counter leaves the floor untouched.
        """
        check_eui(remote_eui, "remote party")
        check_int(counter, "originator counter", 0, COUNTER_MAX)
        floor = self.floors.get(remote_eui)
        if floor is not None and counter <= floor:
            raise ReplayError(f"originator counter {counter} from {eui_hex(remote_eui)} is "
                              f"not greater than the last accepted {floor}")
        self.floors[remote_eui] = counter
