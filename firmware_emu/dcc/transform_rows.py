"""The vocabulary of the SRV -> GBCS transform table: rows, build context, errors.

A :class:`CommandRow` says, for one SRV and target device type, which GBCS use case (and
message code) the DCC builds, who originates and signs it, and which builder makes its
payload from the request's data items and the DCC's state (:class:`BuildContext`). The
rows themselves are in :mod:`firmware_emu.dcc.transform_table`; the builders in
``transform_dlms``, ``transform_gbz`` and ``transform_asn1``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from firmware_emu.dcc.inventory import DeviceRecord, DeviceType, Inventory
from firmware_emu.dcc.pki import DccPki, RemoteParty
from firmware_emu.dcc.roles import DccInputError, InvalidEui64Error, parse_eui64
from firmware_emu.dcc.service_request import ServiceRequest
from gbcs.dlms import InvokeIdAndPriority
from gbcs.primitives import CosemDateTime, datetime_to_utc_seconds


class TransformError(DccInputError):
    """A request the DCC cannot turn into a GBCS command (missing or unusable data)."""


class Originator(Enum):
    """Who the Grouping Header names as originator of the command."""

    USER = "the user's remote party"
    ACB_FOR_USER = "the ACB for the user"  # supplementary remote-party id and counter
    ACB = "the ACB"  # no supplementary fields (6.21 handover, 6.24.1 MAC variant)
    TRANSCOS = "the Transitional CoS party"  # 6.23 change of supplier


class Signer(Enum):
    NONE = "none"  # non-critical: MAC only
    USER = "user"  # critical: PRECOMMAND returned, the user signs (CV4 -> CV5)
    ACB = "ACB"  # ACB-originated and ACB-signed variants (8.7.2, 8.8.2, 6.21)
    TRANSCOS = "TransCoS"  # signed by the Transitional CoS party that originates it (6.23)


_MISSING = object()


@dataclass(slots=True)
class DeviceLogBackups:
    """The device logs the DCC last saw backed up: CS14 alerts of CHFs, GCS62 of GPFs
    (what 8.12.1 / 8.12.2 restore)."""

    chf: dict[str, tuple[bytes, tuple[tuple[bytes, bytes], ...]]] = field(default_factory=dict)
    """CHF id -> (extended PAN id, ((device id, hashed link key or b""), ...))."""
    gpf: dict[str, tuple[tuple[bytes, int], ...]] = field(default_factory=dict)
    """GPF id -> ((device id, ASN.1 device type), ...)."""

    def to_dict(self) -> dict[str, object]:
        return {"chf": {chf: [pan.hex(), [[d.hex(), key.hex()] for d, key in entries]]
                        for chf, (pan, entries) in self.chf.items()},
                "gpf": {gpf: [[d.hex(), kind] for d, kind in entries]
                        for gpf, entries in self.gpf.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> DeviceLogBackups:
        return cls({chf: (bytes.fromhex(pan), tuple((bytes.fromhex(d), bytes.fromhex(key))
                                                    for d, key in entries))
                    for chf, (pan, entries) in data["chf"].items()},
                   {gpf: tuple((bytes.fromhex(d), int(kind)) for d, kind in entries)
                    for gpf, entries in data["gpf"].items()})


@dataclass(frozen=True, slots=True)
class BuildContext:
    """Everything a payload builder may use."""

    request: ServiceRequest
    device: DeviceRecord
    recipient: bytes
    originator: bytes
    counter: int
    now: datetime
    pki: DccPki
    inventory: Inventory
    party: RemoteParty | None  # the user's remote party, if it has one
    backups: DeviceLogBackups = field(default_factory=DeviceLogBackups)

    @property
    def invoke(self) -> InvokeIdAndPriority:
        return InvokeIdAndPriority.for_counter(self.counter)

    @property
    def issuer_event_id(self) -> int:
        """ZCL issuer event id: seconds since 2000 (what RTDS commands carry)."""
        return datetime_to_utc_seconds(self.now)

    def param(self, name: str, default: Any = _MISSING) -> Any:
        value = self.request.parameters.get(name, default)
        if value is _MISSING:
            raise TransformError(f"SRV {self.request.srv_id} needs data item {name}")
        return value

    def eui_param(self, name: str) -> bytes:
        try:
            return bytes.fromhex(parse_eui64(self.param(name), what=name).replace("-", ""))
        except InvalidEui64Error as error:
            raise TransformError(str(error)) from None

    def record(self, device_id: bytes | str) -> DeviceRecord:
        found = self.inventory.find(device_id.hex() if isinstance(device_id, bytes)
                                    else device_id)
        if found is None:
            shown = device_id.hex().upper() if isinstance(device_id, bytes) else device_id
            raise TransformError(f"device {shown} is not in the inventory")
        return found

    def other_device(self) -> tuple[bytes, DeviceType]:
        """The OtherDeviceID of a join or unjoin, and its type (data item or inventory)."""
        other = self.eui_param("OtherDeviceID")
        kind = self.request.parameters.get("OtherDeviceType")
        if kind is None:
            return other, self.record(other).device_type
        try:
            return other, DeviceType(kind)
        except ValueError:
            raise TransformError(f"OtherDeviceType {kind!r} is not a device type") from None

    def party_or_fail(self, what: str) -> RemoteParty:
        if self.party is None:
            raise TransformError(f"role {self.request.user_role} has no remote party for {what}")
        return self.party


PayloadBuilder = Callable[[BuildContext], object]
RowCondition = Callable[[ServiceRequest, DeviceRecord, Inventory], bool]


def _always(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class CommandRow:
    """One way of serving an SRV: the GBCS command for a target device type.

    ``when`` chooses between rows of the same SRV and device type (first match wins);
    ``originator`` None lets the engine decide (see :mod:`firmware_emu.dcc.transform`);
    ``via_gpf`` sends a command for a GSME to the GPF it is joined to; ``utrn`` gives the
    command the supplier's next UTRN counter.
    """

    srv_id: str
    device_types: frozenset[DeviceType]
    use_case: str
    message_code: int
    build: PayloadBuilder
    when: RowCondition = field(default=_always)
    originator: Originator | None = None
    signer: Signer | None = None
    via_gpf: bool = False
    utrn: bool = False
    future_dated: bool = False  # passes a device future-dated execution time on
    note: str = ""


def row(srv_id: str, devices: str, use_case: str, message_code: int, build: PayloadBuilder,
        **options: Any) -> CommandRow:
    return CommandRow(srv_id, frozenset(DeviceType(d) for d in devices.split()), use_case,
                      message_code, build, **options)


def cosem_time(moment: datetime) -> CosemDateTime:
    """A COSEM date-time as the DCC writes it in commands (no day of week, status FF)."""
    moment = moment.astimezone(UTC).replace(microsecond=0)
    return CosemDateTime(moment.year, moment.month, moment.day, 0xFF, moment.hour,
                         moment.minute, moment.second, 0, -0x8000, 0xFF)


def window(now: datetime, half_width: timedelta) -> tuple[datetime, datetime]:
    return now - half_width, now + half_width


def moment(ctx: BuildContext, name: str, default: datetime) -> datetime:
    """A date-time data item (a datetime, or ISO 8601 text; UTC when it has no offset)."""
    value = ctx.param(name, default)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise TransformError(f"{name} {value!r} is not a date-time") from None
    if not isinstance(value, datetime):
        raise TransformError(f"{name} must be a date-time")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def time_range(ctx: BuildContext, days: int) -> tuple[datetime, datetime]:
    """Data items StartDateTime and EndDateTime; by default the ``days`` days up to now."""
    end = moment(ctx, "EndDateTime", ctx.now)
    start = moment(ctx, "StartDateTime", end - timedelta(days=days))
    if start > end:
        raise TransformError("StartDateTime is after EndDateTime")
    return start, end
