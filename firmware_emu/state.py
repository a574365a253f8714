"""Typed state of each emulated device, composed from the ``state_*`` building blocks.

A device's whole state is one dataclass (:class:`EsmeState`, :class:`ChfState`, ...) that
converts to and from a JSON-compatible dict deterministically; :mod:`firmware_emu.persistence`
stores exactly that dict. Handlers mutate the state in place through its methods and
commit it once per processed command.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, ClassVar

from firmware_emu.clock import ScheduledAction, Scheduler
from firmware_emu.state_codec import (
    InvalidStateError,
    JsonState,
    StateError,
    check_eui,
    decode_dataclass,
)
from firmware_emu.state_firmware import (
    ActivationResponseCode,
    FirmwareActivationError,
    FirmwareStore,
)
from firmware_emu.state_identity import (
    Asn1DeviceType,
    DeviceIdentity,
    DeviceType,
    DeviceVariant,
    DlmsDeviceType,
    KeyMaterial,
)
from firmware_emu.state_logs import (
    BoundedLog,
    ChfDeviceLog,
    ChfDeviceLogEntry,
    DeviceLogError,
    DeviceLogFullError,
    HanDeviceLog,
    HanDeviceLogEntry,
    HistoricDeviceLogEntry,
    IncompatibleEntryError,
    JoinStatus,
    LogEntry,
    NotInDeviceLogError,
    WhitelistStatus,
)
from firmware_emu.state_metering import (
    MeteringError,
    MeteringState,
    MeterRegisters,
    PaymentMode,
    PrepaymentState,
    SupplierContact,
    SupplyState,
    Tariff,
    TouSwitch,
)
from firmware_emu.state_security import (
    CellUsage,
    OriginatorCounters,
    RemotePartyRole,
    ReplacementMode,
    ReplayError,
    TrustAnchorCell,
    TrustAnchorError,
    TrustAnchorKeyUsage,
    TrustAnchorNotFoundError,
    TrustAnchors,
)
from firmware_emu.state_subghz import SubGhzChannel, SubGhzConfiguration, SubGhzState

__all__ = [
    "FIRMWARE_ACTIVATION_ACTION", "ActivationResponseCode", "Asn1DeviceType", "BoundedLog",
    "CellUsage", "ChfDeviceLog", "ChfDeviceLogEntry", "ChfState", "DeviceIdentity",
    "DeviceLogError", "DeviceLogFullError", "DeviceState", "DeviceType", "DeviceVariant",
    "DlmsDeviceType", "EsmeState", "FirmwareActivationError", "FirmwareStore", "GpfState",
    "GsmeState", "HanDeviceLog", "HanDeviceLogEntry", "HcalcsState", "HistoricDeviceLogEntry",
    "IncompatibleEntryError", "InvalidStateError", "JoinStatus", "KeyMaterial", "LogEntry",
    "MeterRegisters", "MeteringError", "MeteringState", "NotInDeviceLogError",
    "OriginatorCounters", "PaymentMode", "PpmidState", "PrepaymentState", "RemotePartyRole",
    "ReplacementMode", "ReplayError", "StateError", "SubGhzChannel", "SubGhzConfiguration",
    "SubGhzState", "SupplierContact", "SupplyState", "Tariff", "TouSwitch", "TrustAnchorCell",
    "TrustAnchorError", "TrustAnchorKeyUsage", "TrustAnchorNotFoundError", "TrustAnchors",
    "WhitelistStatus", "device_state_from_dict", "new_device_state",
]

FIRMWARE_ACTIVATION_ACTION = "firmware-activation"
"""Scheduler action id of a future-dated CS06 activation (payload: hash, counter)."""


@dataclasses.dataclass(slots=True)
class DeviceState(JsonState):
    """What every device type holds; subclasses add the type-specific parts."""

    DEVICE_TYPES: ClassVar[frozenset[DeviceType]] = frozenset()

    identity: DeviceIdentity
    keys: KeyMaterial = dataclasses.field(default_factory=KeyMaterial)
    trust_anchors: TrustAnchors = dataclasses.field(default_factory=TrustAnchors)
    counters: OriginatorCounters = dataclasses.field(default_factory=OriginatorCounters)
    event_log: BoundedLog = dataclasses.field(default_factory=BoundedLog)
    security_log: BoundedLog = dataclasses.field(default_factory=BoundedLog)
    firmware: FirmwareStore = dataclasses.field(default_factory=FirmwareStore)
    scheduler: Scheduler = dataclasses.field(default_factory=Scheduler)
    attribute_values: dict[str, bytes] = dataclasses.field(default_factory=dict)
    """Values written to the device's object model (COSEM attributes, ZCL attributes),
    encoded as on the wire and keyed by the model's attribute key; attributes not in
    here read as the model's default."""

    def __post_init__(self) -> None:
        if self.identity.device_type not in self.DEVICE_TYPES:
            raise InvalidStateError("identity.device_type",
                                    f"a {type(self).__name__} cannot be a "
                                    f"{self.identity.device_type.value}")
        scheduled = self.scheduler.get(FIRMWARE_ACTIVATION_ACTION)
        scheduled_at = scheduled.due_at if scheduled else None
        if scheduled_at != self.firmware.activation_at:
            raise InvalidStateError("firmware.activation_at", "does not match the scheduled "
                                                              "firmware activation")

    @property
    def eui(self) -> bytes:
        return self.identity.eui

    @classmethod
    def from_dict(cls, data: Any) -> DeviceState:
        if cls is DeviceState:
            return device_state_from_dict(data)
        return decode_dataclass(cls, data, cls.__name__)

    def schedule_firmware_activation(self, image_hash: bytes, at: datetime,
                                     originator_counter: int) -> ScheduledAction:
        """Future-dated CS06: check the image, then record and schedule the activation."""
        self.firmware.check_image(image_hash)
        action = self.scheduler.schedule(
            at, FIRMWARE_ACTIVATION_ACTION,
            {"image_hash": image_hash.hex(), "originator_counter": originator_counter},
            replace=True)
        self.firmware.schedule_activation(image_hash, action.due_at, originator_counter)
        return action

    def cancel_firmware_activation(self) -> None:
        self.firmware.cancel_activation()
        if FIRMWARE_ACTIVATION_ACTION in self.scheduler:
            self.scheduler.cancel(FIRMWARE_ACTIVATION_ACTION)

    def activate_firmware(self, image_hash: bytes) -> bytes:
        """Run the pending image: it becomes the identity's firmware version."""
        version = self.firmware.activate(image_hash)
        if FIRMWARE_ACTIVATION_ACTION in self.scheduler:
            self.scheduler.cancel(FIRMWARE_ACTIVATION_ACTION)
        self.identity = dataclasses.replace(self.identity, firmware_version=version)
        return version


@dataclasses.dataclass(slots=True)
class EsmeState(DeviceState):
    DEVICE_TYPES: ClassVar[frozenset[DeviceType]] = frozenset({DeviceType.ESME,
                                                               DeviceType.SAPC})

    metering: MeteringState = dataclasses.field(default_factory=MeteringState)
    device_log: HanDeviceLog = dataclasses.field(default_factory=HanDeviceLog)


@dataclasses.dataclass(slots=True)
class GsmeState(DeviceState):
    DEVICE_TYPES: ClassVar[frozenset[DeviceType]] = frozenset({DeviceType.GSME})

    metering: MeteringState = dataclasses.field(default_factory=MeteringState)
    device_log: HanDeviceLog = dataclasses.field(default_factory=HanDeviceLog)


@dataclasses.dataclass(slots=True)
class GpfState(DeviceState):
    """The gas proxy: its own device log and the GSME data it answers reads from."""

    DEVICE_TYPES: ClassVar[frozenset[DeviceType]] = frozenset({DeviceType.GPF})

    device_log: HanDeviceLog = dataclasses.field(default_factory=HanDeviceLog)
    gsme_mirror: MeteringState = dataclasses.field(default_factory=MeteringState)


@dataclasses.dataclass(slots=True)
class ChfState(DeviceState):
    """The comms hub: whitelist, HAN identifier and, if dual-band, the Sub-GHz state."""

    DEVICE_TYPES: ClassVar[frozenset[DeviceType]] = frozenset({DeviceType.CHF})

    device_log: ChfDeviceLog = dataclasses.field(default_factory=ChfDeviceLog)
    extended_pan_id: bytes = bytes(8)
    sub_ghz: SubGhzState | None = None

    def __post_init__(self) -> None:
        DeviceState.__post_init__(self)
        check_eui(self.extended_pan_id, "extended_pan_id")
        if self.identity.variant.dual_band != (self.sub_ghz is not None):
            raise InvalidStateError("sub_ghz", "present exactly when the CHF is dual-band")


@dataclasses.dataclass(slots=True)
class PpmidState(DeviceState):
    DEVICE_TYPES: ClassVar[frozenset[DeviceType]] = frozenset({DeviceType.PPMID})

    device_log: HanDeviceLog = dataclasses.field(default_factory=HanDeviceLog)


@dataclasses.dataclass(slots=True)
class HcalcsState(DeviceState):
    DEVICE_TYPES: ClassVar[frozenset[DeviceType]] = frozenset({DeviceType.HCALCS})

    device_log: HanDeviceLog = dataclasses.field(default_factory=HanDeviceLog)
    load_switch: SupplyState = SupplyState.DISABLED


_STATE_CLASSES: dict[DeviceType, type[DeviceState]] = {
    device_type: cls
    for cls in (EsmeState, GsmeState, GpfState, ChfState, PpmidState, HcalcsState)
    for device_type in cls.DEVICE_TYPES
}


def state_class_for(device_type: DeviceType) -> type[DeviceState]:
    return _STATE_CLASSES[device_type]


def device_state_from_dict(data: Any) -> DeviceState:
    """Rebuild whichever device state ``data`` describes (chosen by its device type)."""
    identity = data.get("identity") if isinstance(data, dict) else None
    type_name = identity.get("device_type") if isinstance(identity, dict) else None
    if type_name not in DeviceType.__members__:
        raise InvalidStateError("DeviceState.identity.device_type",
                                f"{type_name!r} is not one of {', '.join(DeviceType.__members__)}")
    return state_class_for(DeviceType[type_name]).from_dict(data)


def new_device_state(identity: DeviceIdentity, keys: KeyMaterial | None = None) -> DeviceState:
    """A freshly manufactured device of ``identity``'s type with default contents."""
    cls = state_class_for(identity.device_type)
    extra: dict[str, Any] = {}
    if cls is ChfState:
        extra["extended_pan_id"] = identity.eui
        extra["sub_ghz"] = SubGhzState() if identity.variant.dual_band else None
    try:
        return cls(identity=identity, keys=keys or KeyMaterial(), **extra)
    except InvalidStateError as error:
        raise StateError(f"cannot create a {identity.device_type.value}: {error}") from None
