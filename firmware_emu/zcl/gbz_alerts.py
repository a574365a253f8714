"""GBZ alerts a GSME raises (primer §8.1.4, §10), as requests for the device to send.

Each builder returns an :class:`~firmware_emu.registry.AlertRequest`: the message code,
the typed :class:`~gbcs.gbz.GbzAlert` payload (or, for the sensitive billing data log, a
function of the alert header that encrypts its component) and whether it is signed.
"""

from __future__ import annotations

from datetime import datetime

from firmware_emu.messages import part_encryptor
from firmware_emu.registry import AlertRequest
from gbcs.alert_codes import alert_code_info
from gbcs.codes import Protection
from gbcs.crypto import KeyStore
from gbcs.framing.general_signing import GroupingHeader
from gbcs.gbz import FutureDatedExecution, GbzAlert, GbzComponent, MeterIntegrityWarning, gbz_alert
from gbcs.gbz.gbz_component import GbzEncryption, encrypted_gbz_component
from gbcs.gbz.records import ZclRecord
from gbcs.gbz.zcl import zcl_command

GENERIC_CRITICAL = 0x1000
GENERIC_NON_CRITICAL = 0x1001
BILLING_DATA_LOG = 0x008B
FUTURE_DATED_EXECUTION = 0x00CD
METER_INTEGRITY_WARNING = 0x00F2

BILLING_DATA_LOG_UPDATED = 0x8F0A
FUTURE_DATED_SUCCESS = 0x8F66
FUTURE_DATED_FAILURE = 0x8F67
INTEGRITY_ISSUE_WARNING = 0x81A0


def generic_alert(alert_code: int, now: datetime) -> AlertRequest:
    """An alert code with no message code of its own: 0x1000 if critical, else 0x1001."""
    info = alert_code_info(alert_code)
    critical = info is not None and info.protection is Protection.SIGNED
    return AlertRequest(GENERIC_CRITICAL if critical else GENERIC_NON_CRITICAL,
                        gbz_alert(alert_code, now), critical)


def meter_integrity_warning(other_information: int, now: datetime) -> AlertRequest:
    """81A0 with its "other information" code (1 NVM, 2 program execution, ...)."""
    return AlertRequest(METER_INTEGRITY_WARNING,
                        gbz_alert(INTEGRITY_ISSUE_WARNING, now,
                                  MeterIntegrityWarning(other_information)), False)


def future_dated_execution(succeeded: bool, executed_at: datetime, message_code: int,
                           originator_counter: int, component: GbzComponent) -> AlertRequest:
    """8F66 / 8F67 after a future-dated GBZ command ran (or failed to) at its time."""
    data = FutureDatedExecution(message_code, originator_counter, component.cluster_id,
                                component.frame_control, component.command_id)
    code = FUTURE_DATED_SUCCESS if succeeded else FUTURE_DATED_FAILURE
    return AlertRequest(FUTURE_DATED_EXECUTION, gbz_alert(code, executed_at, data), True)


def billing_data_log(snapshot: ZclRecord, now: datetime) -> AlertRequest:
    """GCS53: 8F0A carrying the billing snapshot (Publish Snapshot) encrypted."""
    command = zcl_command(snapshot, disable_default_response=True)

    def payload(header: GroupingHeader, keys: KeyStore) -> GbzAlert:
        component = encrypted_gbz_component(command, 0, part_encryptor(header, keys),
                                            encryption=GbzEncryption())
        return gbz_alert(BILLING_DATA_LOG_UPDATED, now, component.with_last(True))

    return AlertRequest(BILLING_DATA_LOG, payload, True)
