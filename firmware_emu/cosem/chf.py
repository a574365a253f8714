"""The CHF object model (primer §11): the device log (IC 104 ZigBee Network Control,
CCS01-CCS07), the dual-band Sub-GHz objects (DBCH01-DBCH05), and the alerts the CHF
raises when they change (CS14, DBCH07-DBCH09) or on HAN events (DBCH06, DBCH10, DBCH11).
"""

from __future__ import annotations

import enum
from datetime import datetime

from firmware_emu.cosem import dlms_alerts
from firmware_emu.cosem.axdr_types import (
    ANY,
    BOOL,
    DATE_TIME,
    ENUM,
    I8,
    OCTETS,
    U8,
    U16,
    U32,
    ArrayOf,
    Struct,
    bits,
    octets,
)
from firmware_emu.cosem.catalogue_common import common_objects
from firmware_emu.cosem.interface_classes import RW, attribute, data, date_time_value, method
from firmware_emu.cosem.model import AccessContext, Binding, CosemError, ObjectSpec, cosem_object
from firmware_emu.cosem.profiles import Profile, profile_object
from firmware_emu.registry import AlertRequest
from firmware_emu.state import (
    ChfState,
    DeviceState,
    DeviceVariant,
    DlmsDeviceType,
    StateError,
    SubGhzConfiguration,
    WhitelistStatus,
)
from firmware_emu.state_subghz import CHANNEL_CHANGED_LOG_CODE, SubGhzChannel, SubGhzState
from gbcs.dlms.axdr import (
    Array,
    BitString,
    Boolean,
    Data,
    DoubleLongUnsigned,
    Integer,
    LongUnsigned,
    OctetString,
    Structure,
    Unsigned,
)
from gbcs.dlms.xdlms import ActionResult, DataAccessResult
from gbcs.primitives import CosemDateTime, datetime_to_utc_seconds

DEVICE_LOG, HISTORIC_DEVICE_LOG = "0-0:30.3.0.255", "0-0:30.3.1.255"
SUB_GHZ_CONFIGURATION, SUB_GHZ_SCAN = "0-0:94.44.10.0", "0-0:94.44.10.1"
SUB_GHZ_CHANNEL, SUB_GHZ_CHANNEL_LOG = "0-0:94.44.10.2", "0-0:94.44.10.3"
INSTALL_CODE_KEY = 1
"""register_device key_type: the key is a 16-byte install code."""


class ChannelChangeReason(enum.IntEnum):
    """Reason codes the emulator puts in DBCH07 alerts and channel log records."""

    FREQUENCY_AGILITY = 0
    CONFIGURATION_CHANGED = 1


class ScanOutcome(enum.IntEnum):
    """DBCH08 outcome codes the emulator reports after a requested channel scan."""

    CHANNEL_KEPT = 0
    CHANNEL_CHANGED = 1


def chf_state(access: AccessContext) -> ChfState:
    if not isinstance(access.state, ChfState):
        raise CosemError(DataAccessResult.OBJECT_UNAVAILABLE, "not a CHF")
    return access.state


# -- device log ----------------------------------------------------------------------


def backup(state: ChfState, moment: datetime, *, historic: bool = False) -> Structure:
    """The backup_PAN structure: time, extended PAN id, (device id, link key hash)s."""
    log = state.device_log
    pairs = ([(e.device_id, e.link_key_hash) for e in log.historic] if historic
             else [(e.device_id, e.link_key_hash or b"") for e in log.entries])
    return Structure((date_time_value(moment), OctetString(state.extended_pan_id),
                      Array(tuple(Structure((OctetString(d), OctetString(k)))
                                  for d, k in pairs))))


def device_log_changed_alert(state: ChfState, moment: datetime) -> AlertRequest:
    """CS14: raised after every change of the device log (commands, joins, re-joins)."""
    return dlms_alerts.device_log_changed(moment, backup(state, moment))


def _log_changed(access: AccessContext) -> None:
    access.once_done("device-log", lambda a: device_log_changed_alert(chf_state(a), a.now))


def _checked(change, result: int = ActionResult.OTHER_REASON):
    try:
        return change()
    except StateError as error:
        raise CosemError(result, str(error)) from None


def _register(access: AccessContext, parameter: Data) -> None:
    device_id, key_type, key, device_type = (item.value for item in parameter.children)
    if key_type != INSTALL_CODE_KEY:
        raise CosemError(ActionResult.OTHER_REASON, f"key type {key_type} is not supported")
    try:
        kind = DlmsDeviceType(device_type)
    except ValueError:
        raise CosemError(ActionResult.OTHER_REASON, f"unknown device type {device_type}"
                         ) from None
    if _checked(lambda: chf_state(access).device_log.add(device_id, kind, key)):
        _log_changed(access)


def _unregister(access: AccessContext, parameter: Data) -> None:
    log = chf_state(access).device_log
    if log.entry(parameter.value) is not None:
        log.remove(parameter.value)
        _log_changed(access)


def _restore(access: AccessContext, parameter: Data) -> None:
    state = chf_state(access)
    pan_id, devices = parameter.children
    pairs = [(entry.children[0].value, entry.children[1].value) for entry in devices.children]
    _checked(lambda: state.device_log.restore(pairs))
    state.extended_pan_id = pan_id.value
    _log_changed(access)


def _set_joining(access: AccessContext, value: Data) -> None:
    log = chf_state(access).device_log
    log.set_joining(value.value, log.join_timeout_s, access.now)


def _set_join_timeout(access: AccessContext, value: Data) -> None:
    log = chf_state(access).device_log
    log.set_joining(log.joining_enabled, value.value, access.now)


def _active_devices(access: AccessContext) -> Data:
    """active_devices: one structure(14) per logged device, radio figures of a healthy
    one-hop link for joined devices and zeros for devices still awaiting their join."""
    devices = []
    for entry in chf_state(access).device_log.entries:
        joined = entry.status is WhitelistStatus.JOINED
        status = (0x80 if joined else 0) | (0x40 if entry.link_key_hash else 0)
        seen = entry.last_communication
        rssi = (-40, -55, -70) if joined else (0, 0, 0)
        lqi = (255, 200, 150) if joined else (0, 0, 0)
        devices.append(Structure((
            OctetString(entry.device_id), BitString(8, bytes((status,))),
            *(Integer(v) for v in rssi), *(Unsigned(v) for v in lqi),
            OctetString((CosemDateTime.from_datetime(seen, 0xFF) if seen else CosemDateTime())
                        .to_bytes()),
            Unsigned(1 if joined else 0), Unsigned(0), Unsigned(0), Unsigned(1), Unsigned(1))))
    return Array(tuple(devices))


ACTIVE_DEVICE = Struct(octets(8), bits(8), I8, I8, I8, U8, U8, U8, DATE_TIME, U8, U8, U8, U8,
                       U8)


def device_log_objects() -> list[ObjectSpec]:
    register_parameter = Struct(octets(8), ENUM, OCTETS, ENUM)
    restore_parameter = Struct(octets(8), ArrayOf(Struct(octets(8), OCTETS)))
    return [
        cosem_object(104, DEVICE_LOG, "CHF device log", [
            attribute(2, "enable_disable_joining", BOOL, RW, binding=Binding(
                lambda a: Boolean(0xFF if chf_state(a).device_log.joining_enabled else 0),
                _set_joining)),
            attribute(3, "join_timeout", U16, RW, binding=Binding(
                lambda a: LongUnsigned(chf_state(a).device_log.join_timeout_s),
                _set_join_timeout)),
            attribute(4, "active_devices", ArrayOf(ACTIVE_DEVICE),
                      binding=Binding(_active_devices)),
        ], [
            method(1, "register_device", register_parameter, _register),
            method(2, "unregister_device", octets(8), _unregister),
            method(4, "backup_PAN", ANY, lambda a, _: backup(chf_state(a), a.now)),
            method(5, "restore_PAN", restore_parameter, _restore),
        ]),
        cosem_object(104, HISTORIC_DEVICE_LOG, "CHF historic device log", [], [
            method(4, "backup_PAN", ANY,
                   lambda a, _: backup(chf_state(a), a.now, historic=True)),
        ]),
    ]


# -- Sub-GHz -------------------------------------------------------------------------

CONFIGURATION = Struct(bits(32), bits(32), bits(32), bits(32), U16, U16, U8, U16, U8, U8,
                       U16, U8, U16, U16, U16)
_FIELD_TYPES = tuple(type(t.default()) for t in CONFIGURATION.members)


def sub_ghz(access: AccessContext) -> SubGhzState:
    state = chf_state(access)
    if state.sub_ghz is None:
        raise CosemError(DataAccessResult.OBJECT_UNAVAILABLE, "not a dual-band CHF")
    return state.sub_ghz


def channel_word(word: int) -> BitString:
    return BitString(32, word.to_bytes(4, "big"))


def configuration_data(configuration: SubGhzConfiguration) -> Structure:
    return Structure(tuple(channel_word(v) if cls is BitString else cls(v)
                           for cls, v in zip(_FIELD_TYPES, configuration.as_fields(),
                                             strict=True)))


def _read_configuration(access: AccessContext) -> Data:
    return configuration_data(sub_ghz(access).configuration)


def _write_configuration(access: AccessContext, value: Data) -> None:
    """DBCH04: take the new configuration, leave a channel it no longer permits, and
    report it (DBCH09, and DBCH07 when the channel moved)."""
    state = sub_ghz(access)
    fields = [v.as_int() if isinstance(v, BitString) else v.value for v in value.children]
    state.configuration = _checked(lambda: SubGhzConfiguration.from_fields(fields),
                                   DataAccessResult.OTHER_REASON)
    if not state.configuration.permits(state.operating_channel):
        channel = state.configuration.usable_channels()[0]
        _move_channel(access, channel, ChannelChangeReason.CONFIGURATION_CHANGED)
    access.once_done("sub-ghz-configuration", lambda a: dlms_alerts.sub_ghz_configuration_changed(
        a.now, configuration_data(sub_ghz(a).configuration)))


def _move_channel(access: AccessContext, channel: SubGhzChannel, reason: int) -> None:
    record = sub_ghz(access).change_channel(channel, access.now, reason)
    access.alerts.append(dlms_alerts.sub_ghz_channel_changed(access.now, record.channel_word,
                                                             reason))


def _request_scan(access: AccessContext, value: Data) -> None:
    """DBCH05: the scan runs at once; the emulated radio hears no noise on any channel, so
    the assessment keeps the operating channel (and no scan stays pending)."""
    detail = sub_ghz(access).operating_channel.number
    access.once_done("sub-ghz-scan", lambda a: dlms_alerts.channel_scan_outcome(
        a.now, ScanOutcome.CHANNEL_KEPT, detail))


def _channel_log_rows(state: DeviceState) -> list[Structure]:
    sub = state.sub_ghz if isinstance(state, ChfState) else None
    if sub is None:
        return []
    return [Structure((DoubleLongUnsigned(datetime_to_utc_seconds(c.timestamp)),
                       LongUnsigned(CHANNEL_CHANGED_LOG_CODE),
                       OctetString(c.channel_word.to_bytes(4, "big")
                                   + OctetString(bytes((c.reason_code,))).encode()))
                       ) for c in sub.channel_log]


def sub_ghz_objects() -> list[ObjectSpec]:
    return [
        data(SUB_GHZ_CONFIGURATION, "Sub GHz configuration", CONFIGURATION,
             binding=Binding(_read_configuration, _write_configuration)),
        data(SUB_GHZ_SCAN, "Sub GHz channel scan request", U8, binding=Binding(
            lambda a: Unsigned(1 if sub_ghz(a).scan_requested else 0), _request_scan)),
        data(SUB_GHZ_CHANNEL, "Sub GHz operating channel", bits(32), binding=Binding(
            lambda a: channel_word(sub_ghz(a).operating_channel_word))),
        profile_object(Profile(SUB_GHZ_CHANNEL_LOG, Struct(U32, U16, OCTETS), 100,
                               rows=_channel_log_rows), "Sub GHz channel log"),
    ]


def chf_objects(variant: DeviceVariant) -> list[ObjectSpec]:
    return [*common_objects(settable_clock=False), *device_log_objects(),
            *(sub_ghz_objects() if variant.dual_band else [])]


# -- HAN events ----------------------------------------------------------------------


def change_sub_ghz_channel(state: ChfState, moment: datetime, channel: SubGhzChannel,
                           reason: int = ChannelChangeReason.FREQUENCY_AGILITY
                           ) -> AlertRequest:
    """Frequency agility moved the Sub-GHz channel: log it and raise DBCH07."""
    if state.sub_ghz is None:
        raise ValueError("a single-band CHF has no Sub-GHz channel")
    record = _checked(lambda: state.sub_ghz.change_channel(channel, moment, reason),
                      DataAccessResult.OTHER_REASON)
    return dlms_alerts.sub_ghz_channel_changed(moment, record.channel_word, reason)


def duty_cycle_limited(moment: datetime, device_id: bytes) -> AlertRequest:
    """DBCH06: a device was told to suspend communications (limited duty cycle)."""
    return dlms_alerts.limited_duty_cycle(moment, device_id)


def message_discarded(moment: datetime, originator: bytes, target: bytes, cra: int,
                      originator_counter: int) -> AlertRequest:
    """DBCH10: a remote party command was dropped by duty-cycle management."""
    return dlms_alerts.message_discarded(moment, originator, target, cra, originator_counter)


def sub_ghz_capacity_exhausted(moment: datetime, device_id: bytes) -> AlertRequest:
    """DBCH11: a Sub-GHz device could not be taken on."""
    return dlms_alerts.no_sub_ghz_capacity(moment, device_id)
