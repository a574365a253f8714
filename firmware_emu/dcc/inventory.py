"""The DCC's Smart Metering Inventory (SMI): device records, SMI statuses, JSON persistence.

Each record says what the DCC knows about one device: its type, SMI status, SMETS
generation and GBCS version (standing in for the CPL entry of its model), the CHF it is
associated with, the GPF a GSME is joined to, MPxNs, firmware version, and which User
IDs are registered for it per role (the registration data behind response code E4).

Status changes go through :meth:`Inventory.transition`, which only allows the moves in
:data:`ALLOWED_TRANSITIONS`. The seeds name Pending, InstalledNotCommissioned,
Commissioned, Decommissioned, Withdrawn and Suspended and two moves (Pending ->
InstalledNotCommissioned for a CHF/GPF after 8.14.2; firmware Suspended). Whitelisted and
the rest of the transition table follow DUIS practice (not stated in the seeds).

Every mutation validates first and replaces the (frozen) record only when the change is
valid, so a rejected change leaves the inventory as it was.

JSON layout (``Inventory.to_json`` / ``Inventory.from_json``)::

    {"format": "dcc-inventory", "version": 1,
     "devices": [{"device_id": "00-DB-12-34-56-78-90-A2", "device_type": "CHF",
                  "status": "Commissioned", "smets": "SMETS2", "gbcs_version": "3.2",
                  "dual_band": true, "registrations": {"IS": "90-B3-D5-1F-30-01-00-00"}},
                 ...]}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import TypeVar

from firmware_emu.dcc.roles import DccInputError, DccUser, UserRole, parse_eui64


class InventoryError(DccInputError):
    """A device record or inventory change the DCC would not accept."""


class DeviceType(StrEnum):
    """Device types recorded in the SMI (DUIS DeviceType)."""

    ESME = "ESME"
    GSME = "GSME"
    GPF = "GPF"
    CHF = "CHF"
    PPMID = "PPMID"
    HCALCS = "HCALCS"
    TYPE_2 = "Type2"  # IHD / CAD: HAN devices without GBCS security


METER_TYPES = frozenset({DeviceType.ESME, DeviceType.GSME})


class SmiStatus(StrEnum):
    PENDING = "Pending"
    WHITELISTED = "Whitelisted"
    INSTALLED_NOT_COMMISSIONED = "InstalledNotCommissioned"
    COMMISSIONED = "Commissioned"
    SUSPENDED = "Suspended"
    DECOMMISSIONED = "Decommissioned"
    WITHDRAWN = "Withdrawn"


ALLOWED_TRANSITIONS: Mapping[SmiStatus, frozenset[SmiStatus]] = MappingProxyType({
    SmiStatus.PENDING: frozenset({
        SmiStatus.WHITELISTED, SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.WITHDRAWN}),
    SmiStatus.WHITELISTED: frozenset({
        SmiStatus.PENDING, SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.WITHDRAWN}),
    SmiStatus.INSTALLED_NOT_COMMISSIONED: frozenset({
        SmiStatus.COMMISSIONED, SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN}),
    SmiStatus.COMMISSIONED: frozenset({SmiStatus.SUSPENDED, SmiStatus.DECOMMISSIONED}),
    SmiStatus.SUSPENDED: frozenset({SmiStatus.COMMISSIONED, SmiStatus.DECOMMISSIONED}),
    SmiStatus.DECOMMISSIONED: frozenset(),
    SmiStatus.WITHDRAWN: frozenset(),
})
"""SMI status -> the statuses a device may move to from it."""


class SmetsGeneration(StrEnum):
    SMETS1 = "SMETS1"
    SMETS2 = "SMETS2"  # SMETS2 and later ("SMETS2+")


class GbcsVersion(Enum):
    """GBCS versions the seeds distinguish (8.9 use cases, CRP612 deprecations)."""

    V1_0 = "1.0"
    V2_0 = "2.0"
    V3_2 = "3.2"
    V4_0 = "4.0"

    def at_least(self, other: GbcsVersion) -> bool:
        order = list(GbcsVersion)
        return order.index(self) >= order.index(other)


class EsmeVariant(StrEnum):
    """SMETS2 ESME variants; F and G (APC / SAPC) were added by CRP612."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"


MPAN_PATTERN = re.compile(r"[0-9]{13}")
"""An MPAN core: 13 digits."""
MPRN_PATTERN = re.compile(r"[0-9]{6,10}")
"""An MPRN: 6 to 10 digits."""
_HEX = {"manufacturer": 4, "model": 8, "firmware_version": 8}
"""Hex fields and their lengths: ZigBee manufacturer code, OTA image type ‖ hardware
version (primer §11.8), OTA file version (primer §11.10)."""


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    """What the SMI holds about one device."""

    device_id: str
    device_type: DeviceType
    status: SmiStatus = SmiStatus.PENDING
    smets: SmetsGeneration = SmetsGeneration.SMETS2
    gbcs_version: GbcsVersion | None = None
    esme_variant: EsmeVariant | None = None
    dual_band: bool = False
    manufacturer: str | None = None
    model: str | None = None
    firmware_version: str | None = None
    chf_id: str | None = None
    gpf_id: str | None = None
    import_mpxn: str | None = None
    export_mpan: str | None = None
    registrations: Mapping[UserRole, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "device_id", parse_eui64(self.device_id, what="device id"))
        for name, kind in (("device_type", DeviceType), ("status", SmiStatus),
                           ("smets", SmetsGeneration)):
            set_(self, name, _as_enum(kind, getattr(self, name), name))
        for name, kind in (("gbcs_version", GbcsVersion), ("esme_variant", EsmeVariant)):
            value = getattr(self, name)
            set_(self, name, None if value is None else _as_enum(kind, value, name))
        for name in ("chf_id", "gpf_id"):
            value = getattr(self, name)
            if value is not None:
                set_(self, name, parse_eui64(value, what=name))
        for name, length in _HEX.items():
            value = getattr(self, name)
            if value is not None:
                if not isinstance(value, str) or not re.fullmatch(f"[0-9A-Fa-f]{{{length}}}",
                                                                  value):
                    raise InventoryError(f"{name} {value!r} must be {length} hex digits")
                set_(self, name, value.upper())
        if not isinstance(self.registrations, Mapping):
            raise InventoryError("registrations must map user roles to User IDs")
        registrations = {
            _as_enum(UserRole, role, "registration role"): parse_eui64(user, what="user id")
            for role, user in self.registrations.items()
        }
        set_(self, "registrations", MappingProxyType(registrations))
        self._check_consistency()

    def _check_consistency(self) -> None:
        who = f"device {self.device_id} ({self.device_type})"
        kind = self.device_type
        if not isinstance(self.dual_band, bool):
            raise InventoryError(f"{who}: dual_band must be true or false")
        rules = (
            (self.esme_variant is not None and kind is not DeviceType.ESME,
             "only an ESME has an ESME variant"),
            (self.dual_band and kind is not DeviceType.CHF, "only a CHF can be dual band"),
            (self.chf_id is not None and kind is DeviceType.CHF,
             "a CHF is not associated with another CHF"),
            (self.gpf_id is not None and kind is not DeviceType.GSME,
             "only a GSME is joined to a GPF"),
            (self.import_mpxn is not None and kind not in METER_TYPES,
             "only an ESME or a GSME has an import MPxN"),
            (self.export_mpan is not None and kind is not DeviceType.ESME,
             "only an ESME has an export MPAN"),
            (UserRole.METER_DATA_RETRIEVER in self.registrations
             and kind is not DeviceType.ESME,
             "a Meter Data Retriever can only be registered for an ESME"),
        )
        for broken, reason in rules:
            if broken:
                raise InventoryError(f"{who}: {reason}")
        mpxn_pattern = MPAN_PATTERN if kind is DeviceType.ESME else MPRN_PATTERN
        for name, pattern in (("import_mpxn", mpxn_pattern), ("export_mpan", MPAN_PATTERN)):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str)
                                          and pattern.fullmatch(value)):
                raise InventoryError(f"{who}: {name} {value!r} is not a valid "
                                     f"{'MPAN' if pattern is MPAN_PATTERN else 'MPRN'}")

    def is_registered(self, user: DccUser, role: UserRole) -> bool:
        return role in user.roles and self.registrations.get(role) == user.user_id

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {}
        for name in (f.name for f in fields(self)):
            value = getattr(self, name)
            if isinstance(value, Enum):
                value = value.value
            if value is not None and value is not False:
                data[name] = value
        data["registrations"] = {role.value: user for role, user in self.registrations.items()}
        return data


_E = TypeVar("_E", bound=Enum)


def _as_enum(kind: type[_E], value: object, what: str) -> _E:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        raise InventoryError(f"{what} {value!r} is not one of {allowed}") from None


class Inventory:
    """The SMI: device records keyed by EUI-64, changed only through validated operations."""

    FORMAT = "dcc-inventory"
    VERSION = 1

    def __init__(self, records: Iterable[DeviceRecord] = ()) -> None:
        self._records: dict[str, DeviceRecord] = {}
        for record in records:
            self.add(record)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[DeviceRecord]:
        return iter(self._records.values())

    def __contains__(self, device_id: object) -> bool:
        return self.find(device_id) is not None

    def find(self, device_id: object) -> DeviceRecord | None:
        """The record of ``device_id`` (any EUI-64 spelling), or None."""
        try:
            return self._records.get(parse_eui64(device_id, what="device id"))
        except DccInputError:
            return None

    def get(self, device_id: str) -> DeviceRecord:
        record = self.find(device_id)
        if record is None:
            raise InventoryError(f"device {device_id} is not in the inventory")
        return record

    def add(self, record: DeviceRecord) -> DeviceRecord:
        if record.device_id in self._records:
            raise InventoryError(f"device {record.device_id} is already in the inventory")
        self._check_references(record)
        self._records[record.device_id] = record
        return record

    def update(self, device_id: str, **changes: object) -> DeviceRecord:
        """The record with ``changes`` applied to fields other than id and status."""
        current = self.get(device_id)
        for name in changes:
            if name in ("device_id", "status"):
                raise InventoryError(f"{name} cannot be updated (use transition for status)")
            if name not in {f.name for f in fields(DeviceRecord)}:
                raise InventoryError(f"device records have no field {name!r}")
        try:
            record = replace(current, **changes)
        except TypeError as error:
            raise InventoryError(f"device {current.device_id}: {error}") from None
        self._check_references(record)
        self._records[record.device_id] = record
        return record

    def transition(self, device_id: str, status: SmiStatus | str) -> DeviceRecord:
        current = self.get(device_id)
        target = _as_enum(SmiStatus, status, "SMI status")
        if target not in ALLOWED_TRANSITIONS[current.status]:
            raise InventoryError(
                f"device {current.device_id} cannot move from {current.status} to {target}"
            )
        record = replace(current, status=target)
        self._records[record.device_id] = record
        return record

    def register(self, device_id: str, role: UserRole, user_id: str) -> DeviceRecord:
        current = self.get(device_id)
        return self.update(current.device_id,
                           registrations={**current.registrations, role: user_id})

    def devices_on_chf(self, chf_id: str) -> tuple[DeviceRecord, ...]:
        """Every device associated with the CHF ``chf_id`` (its GPF and HAN devices)."""
        chf = parse_eui64(chf_id, what="CHF id")
        return tuple(record for record in self if record.chf_id == chf)

    def _check_references(self, record: DeviceRecord) -> None:
        for name, wanted in (("chf_id", DeviceType.CHF), ("gpf_id", DeviceType.GPF)):
            other_id = getattr(record, name)
            if other_id is None:
                continue
            other = self._records.get(other_id)
            if other is None or other.device_type is not wanted:
                raise InventoryError(
                    f"device {record.device_id}: {name} {other_id} is not a {wanted} "
                    "in the inventory"
                )

    # ---------------------------------------------------------------- JSON persistence

    def to_json(self) -> str:
        devices = sorted(self, key=_reference_order)
        return json.dumps(
            {"format": self.FORMAT, "version": self.VERSION,
             "devices": [record.to_dict() for record in devices]},
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Inventory:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise InventoryError(f"inventory JSON is not valid JSON: {error}") from None
        if not isinstance(document, dict) or document.get("format") != cls.FORMAT:
            raise InventoryError(f"inventory JSON must be an object with format {cls.FORMAT!r}")
        if document.get("version") != cls.VERSION:
            raise InventoryError(f"inventory JSON version {document.get('version')!r} is not "
                                 f"supported (expected {cls.VERSION})")
        devices = document.get("devices")
        if not isinstance(devices, list):
            raise InventoryError("inventory JSON must have a 'devices' list")
        records = []
        known = {f.name for f in fields(DeviceRecord)}
        for index, entry in enumerate(devices):
            try:
                if not isinstance(entry, dict):
                    raise InventoryError("must be an object")
                unknown = sorted(set(entry) - known)
                if unknown:
                    raise InventoryError(f"unknown field {unknown[0]!r}")
                records.append(DeviceRecord(**entry))
            except (DccInputError, TypeError) as error:
                raise InventoryError(f"inventory JSON device {index}: {error}") from None
        return cls(sorted(records, key=_reference_order))


def _reference_order(record: DeviceRecord) -> int:
    """CHFs, then GPFs, then the rest: the order in which references can be resolved."""
    return {DeviceType.CHF: 0, DeviceType.GPF: 1}.get(record.device_type, 2)
