"""DLMS alerts of ESME, SAPC and CHF (primer §8.2.7, §10, §11.7, §11.9).

Each builder returns the :class:`AlertRequest` a handler or the device runtime passes to
the device; the data-notification itself is built once the alert's Grouping Header
exists, because its invoke id carries the alert's originator counter (and ECS68 seals
its billing data with the key of that header).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from firmware_emu.cosem.model import AttributeRef
from firmware_emu.messages import part_encryptor
from firmware_emu.registry import AlertRequest
from gbcs.crypto import KeyStore
from gbcs.dlms.axdr import (
    BitString,
    CompactArray,
    Data,
    OctetString,
    Structure,
    Unsigned,
    Utf8String,
)
from gbcs.dlms.protection import ProtectionParameters, parameters_to_data, seal
from gbcs.dlms.xdlms import DataNotification, InvokeIdAndPriority, alert_notification
from gbcs.framing.general_signing import GroupingHeader
from gbcs.primitives import CosemDateTime

GENERIC_CRITICAL = 0x1000
GENERIC_NON_CRITICAL = 0x1001
FUTURE_DATED_EXECUTION = 0x00CC
METER_INTEGRITY = 0x00F0
BILLING_DATA_LOG = 0x0061
SUPPLY_OUTAGE_RESTORED = 0x0067
DEVICE_LOG_CHANGED = 0x0018
COMMAND_NOT_SUPPORTED = 0x0120
APC_LIMIT_PROCESSED = 0x0121
APC_LIMIT_ENDED = 0x0122
OPERATIONAL_UPDATE = 0x0123
LIMITED_DUTY_CYCLE = 0x0110
SUB_GHZ_CHANNEL_CHANGED = 0x0111
CHANNEL_SCAN_OUTCOME = 0x0112
SUB_GHZ_CONFIGURATION_CHANGED = 0x0113
MESSAGE_DISCARDED = 0x0114
NO_SUB_GHZ_CAPACITY = 0x0115

ALERT_FUTURE_DATED_SUCCESS = 0x8F66
ALERT_FUTURE_DATED_FAILURE = 0x8F67

Details = Callable[[GroupingHeader, KeyStore], Sequence[Data]]


def timestamp(moment: datetime) -> CosemDateTime:
    return CosemDateTime.from_datetime(moment, clock_status=0xFF)


@dataclass(frozen=True, slots=True)
class DlmsAlert:
    """structure{alert code, timestamp, details...} under ``message_code``."""

    message_code: int
    alert_code: int
    moment: datetime
    details: Sequence[Data] | Details = ()
    critical: bool = False

    def build(self, header: GroupingHeader, keys: KeyStore) -> DataNotification:
        details = self.details(header, keys) if callable(self.details) else self.details
        return alert_notification(InvokeIdAndPriority.for_counter(header.originator_counter),
                                  self.alert_code, timestamp(self.moment), *details)

    def request(self, recipient: bytes | None = None) -> AlertRequest:
        return AlertRequest(self.message_code, self.build, self.critical, recipient)


def generic_alert(alert_code: int, moment: datetime, *, critical: bool) -> AlertRequest:
    """A "Type 1" alert (code and time only): 0x1000 critical, 0x1001 non-critical."""
    code = GENERIC_CRITICAL if critical else GENERIC_NON_CRITICAL
    return DlmsAlert(code, alert_code, moment, (), critical).request()


def meter_integrity_warning(moment: datetime, other_information: int) -> AlertRequest:
    """0x00F0 / 81A0 with the 2-byte other-information code of the integrity issue."""
    details = (OctetString(other_information.to_bytes(2, "big")),)
    return DlmsAlert(METER_INTEGRITY, 0x81A0, moment, details).request()


def supply_outage_restored(moment: datetime, outage_start: datetime,
                           restored: datetime) -> AlertRequest:
    """ECS80 0x0067 / 8F36: outage of three minutes or more, start and restoration."""
    details = tuple(OctetString(timestamp(t).to_bytes()) for t in (outage_start, restored))
    return DlmsAlert(SUPPLY_OUTAGE_RESTORED, 0x8F36, moment, details, critical=True).request()


def billing_data_log_updated(moment: datetime, rows: CompactArray) -> AlertRequest:
    """ECS68 0x0061 / 8F0A: the new billing data log entry, encrypted for the recipient."""
    def details(header: GroupingHeader, keys: KeyStore) -> Sequence[Data]:
        parameters = ProtectionParameters.for_gbcs(header.originator_counter,
                                                   header.originator, header.recipient)
        sealed = seal([Structure((rows,))], part_encryptor(header, keys))
        return parameters_to_data([parameters]), sealed

    return DlmsAlert(BILLING_DATA_LOG, 0x8F0A, moment, details, critical=True).request()


def future_dated_execution(moment: datetime, *, succeeded: bool, message_code: int,
                           originator_counter: int, executed: AttributeRef) -> AlertRequest:
    """0x00CC / 8F66 (executed) or 8F67 (not executed): which item of which command."""
    item = (message_code.to_bytes(2, "big") + originator_counter.to_bytes(8, "big")
            + executed.class_id.to_bytes(2, "big") + executed.logical_name.to_bytes()
            + bytes((executed.item_id,)))
    code = ALERT_FUTURE_DATED_SUCCESS if succeeded else ALERT_FUTURE_DATED_FAILURE
    return DlmsAlert(FUTURE_DATED_EXECUTION, code, moment, (OctetString(item),),
                     critical=True).request()


def command_not_supported(moment: datetime, message_code: int,
                          originator_counter: int) -> AlertRequest:
    """ECS100 0x0120 / 8F85: the message code and counter of the refused command."""
    item = message_code.to_bytes(2, "big") + originator_counter.to_bytes(8, "big")
    return DlmsAlert(COMMAND_NOT_SUPPORTED, 0x8F85, moment, (OctetString(item),),
                     critical=True).request()


def apc_limit_processed(moment: datetime, controller: int, start: datetime, end: datetime,
                        level: int) -> AlertRequest:
    """ECS101 0x0121 / 8F86: a Limit APC [n] Level command took effect."""
    details = (Unsigned(controller), OctetString(timestamp(start).to_bytes()),
               OctetString(timestamp(end).to_bytes()), Unsigned(level))
    return DlmsAlert(APC_LIMIT_PROCESSED, 0x8F86, moment, details, critical=True).request()


def apc_limit_ended(moment: datetime, controller: int, level: int) -> AlertRequest:
    """ECS102 0x0122 / 8F87: a Limit APC [n] Level ended or was cancelled."""
    return DlmsAlert(APC_LIMIT_ENDED, 0x8F87, moment, (Unsigned(controller), Unsigned(level)),
                     critical=True).request()


def operational_update(moment: datetime, text: str) -> AlertRequest:
    """ECS200 0x0123 / 8F88: free text (JSON in RTDS)."""
    return DlmsAlert(OPERATIONAL_UPDATE, 0x8F88, moment, (Utf8String(text),),
                     critical=True).request()


def device_log_changed(moment: datetime, backup: Structure) -> AlertRequest:
    """CS14 0x0018 / 8F12: the CHF device log as backup_PAN returns it."""
    return DlmsAlert(DEVICE_LOG_CHANGED, 0x8F12, moment, (backup,)).request()


def limited_duty_cycle(moment: datetime, device_id: bytes) -> AlertRequest:
    """DBCH06 0x0110 / 8F20: the device told to suspend communications."""
    return DlmsAlert(LIMITED_DUTY_CYCLE, 0x8F20, moment, (OctetString(device_id),)).request()


def sub_ghz_channel_changed(moment: datetime, channel_word: int, reason: int) -> AlertRequest:
    """DBCH07 0x0111 / 8F26: the new channel (channel-page word) and a reason code."""
    details = (Structure((BitString(32, channel_word.to_bytes(4, "big")),
                          OctetString(bytes((reason,))))),)
    return DlmsAlert(SUB_GHZ_CHANNEL_CHANGED, 0x8F26, moment, details).request()


def channel_scan_outcome(moment: datetime, outcome: int, detail: int) -> AlertRequest:
    """DBCH08 0x0112 / 8F28: the assessment of a requested channel scan."""
    details = (Structure((OctetString(bytes((outcome,))), OctetString(bytes((detail,))))),)
    return DlmsAlert(CHANNEL_SCAN_OUTCOME, 0x8F28, moment, details).request()


def sub_ghz_configuration_changed(moment: datetime, configuration: Structure) -> AlertRequest:
    """DBCH09 0x0113 / 8F2A: the configuration now in force."""
    return DlmsAlert(SUB_GHZ_CONFIGURATION_CHANGED, 0x8F2A, moment,
                     (configuration,)).request()


def message_discarded(moment: datetime, originator: bytes, target: bytes, cra: int,
                      originator_counter: int) -> AlertRequest:
    """DBCH10 0x0114 / 8F2C: the remote party command dropped by duty-cycle management."""
    item = originator + target + bytes((cra,)) + originator_counter.to_bytes(8, "big")
    return DlmsAlert(MESSAGE_DISCARDED, 0x8F2C, moment, (OctetString(item),)).request()


def no_sub_ghz_capacity(moment: datetime, device_id: bytes) -> AlertRequest:
    """DBCH11 0x0115 / 8F2D: a Sub-GHz device the CHF has no capacity left for."""
    return DlmsAlert(NO_SUB_GHZ_CAPACITY, 0x8F2D, moment, (OctetString(device_id),)).request()
