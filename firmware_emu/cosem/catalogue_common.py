"""COSEM objects every DLMS device (ESME, SAPC, CHF) has: identity, firmware version,
clock, and the event and security logs (IC 7, read by ECS35a-g with range access)."""

from __future__ import annotations

from firmware_emu.cosem.axdr_types import OCTETS, U16, U32, Struct, octets
from firmware_emu.cosem.clock import clock_object
from firmware_emu.cosem.interface_classes import R, data
from firmware_emu.cosem.model import AccessContext, Binding, ObjectSpec
from firmware_emu.cosem.profiles import Profile, profile_object
from firmware_emu.state import BoundedLog, DeviceState, DeviceType, LogEntry
from gbcs.dlms.axdr import DoubleLongUnsigned, LongUnsigned, OctetString, Structure
from gbcs.primitives import datetime_to_utc_seconds

EVENT_LOG = "0-0:99.98.0.255"
SECURITY_LOG = "0-0:99.98.1.255"
EVENT_LOG_CLEARED = 0x8F52
"""Security log code "Event Log Cleared"."""

_VARIANT_LETTER = {(False, False): b"A", (True, False): b"B", (False, True): b"C"}
"""ESME variant reported by ECS26m: single element, twin element, polyphase."""


def _octets_of(read) -> Binding:
    return Binding(lambda access: OctetString(read(access.state)))


def identity_objects() -> list[ObjectSpec]:
    """ECS26i/m/n identity and ECS52 firmware version, from ``state.identity``."""
    return [
        data("0-0:96.1.1.255", "Device identifier", octets(8), R,
             binding=_octets_of(lambda state: state.identity.eui)),
        data("0-0:96.1.4.255", "Model type", OCTETS, R,
             binding=_octets_of(lambda state: state.identity.model_type.encode("ascii"))),
        data("0-0:96.1.6.255", "Manufacturer identifier", OCTETS, R,
             binding=_octets_of(
                 lambda state: f"{state.identity.manufacturer_id:04X}".encode("ascii"))),
        data("0-0:0.2.1.255", "Firmware version", octets(4), R,
             binding=_octets_of(lambda state: state.identity.firmware_version)),
    ]


def meter_variant_object() -> ObjectSpec:
    def letter(state: DeviceState) -> bytes:
        variant = state.identity.variant
        if state.identity.device_type is DeviceType.SAPC:
            return b"S"
        return _VARIANT_LETTER.get((variant.twin_element, variant.polyphase), b"A")

    return data("0-0:96.1.2.255", "ESME variant", octets(1), R, binding=_octets_of(letter))


def _seconds(entry: LogEntry) -> DoubleLongUnsigned:
    return DoubleLongUnsigned(datetime_to_utc_seconds(entry.timestamp))


def _event_rows(state: DeviceState) -> list[Structure]:
    return [Structure((_seconds(e), LongUnsigned(e.event_code), OctetString(e.data)))
            for e in state.event_log.entries]


def _security_rows(state: DeviceState) -> list[Structure]:
    return [Structure((_seconds(e), LongUnsigned(e.event_code)))
            for e in state.security_log.entries]


def _clear_event_log(access: AccessContext) -> None:
    state = access.state
    state.event_log = BoundedLog(capacity=state.event_log.capacity)
    state.security_log.append(access.now, EVENT_LOG_CLEARED)


EVENT_LOG_PROFILE = Profile(EVENT_LOG, Struct(U32, U16, OCTETS), BoundedLog().capacity,
                            rows=_event_rows, clear=_clear_event_log)
SECURITY_LOG_PROFILE = Profile(SECURITY_LOG, Struct(U32, U16), BoundedLog().capacity,
                               rows=_security_rows)


def log_objects() -> list[ObjectSpec]:
    return [profile_object(EVENT_LOG_PROFILE, "Event log"),
            profile_object(SECURITY_LOG_PROFILE, "Security log")]


def common_objects(*, settable_clock: bool) -> list[ObjectSpec]:
    return [*identity_objects(), clock_object(settable=settable_clock), *log_objects()]

