"""Messaging (0x0703), Device Management (0x0708) and Events (0x0709) commands."""

from __future__ import annotations

from firmware_emu.state_logs import BoundedLog
from firmware_emu.zcl.calls import Answer, CommandHandler, ZclCall, ZclFailure, succeeded
from firmware_emu.zcl.history import SnapshotCause, take_snapshot
from firmware_emu.zcl.store import record_key
from gbcs.gbz import clusters_device as device
from gbcs.gbz.zcl import ZclStatus
from gbcs.primitives import datetime_to_utc_seconds

MESSAGE = record_key(device.MESSAGING, "message")
CHANGE_OF_TENANCY = record_key(device.DEVICE_MANAGEMENT, "change-of-tenancy")
CHANGE_OF_SUPPLIER = record_key(device.DEVICE_MANAGEMENT, "change-of-supplier")
CIN = record_key(device.DEVICE_MANAGEMENT, "cin")
EVENT_CONFIGURATION = record_key(device.DEVICE_MANAGEMENT, "event-configuration")

ALL_LOGS, GENERAL_EVENT_LOG, SECURITY_EVENT_LOG = 0, 3, 4
FULL_INFORMATION = 0x10
MAX_EVENTS_PER_COMMAND = 32
GROUP_WILDCARD = 0x00FF
LOG_ACTION_MASK = 0x07

GSME_NON_CRITICAL_EVENTS = (
    0x810D, 0x810E, 0x8119, 0x8145, 0x8154, 0x8155, 0x8161, 0x8162, 0x8168, 0x8183, 0x8184,
    0x819D, 0x819E, 0x81A0, 0x81A1, 0x81A5, 0x81A6, 0x81A7, 0x81A8, 0x81A9, 0x81AA, 0x81AB,
    0x81AC, 0x81AD, 0x81AE, 0x81AF, 0x81B0, 0x81B1, 0x81B2, 0x81B3, 0x81B4, 0x81B5, 0x81B6,
    0x81B9, 0x81BC, 0x81BD, 0x81BE, 0x81BF, 0x81C0, 0x81C2, 0x81C3, 0x81C4, 0x81C5, 0x81C6,
)
"""Non-critical GSME events whose behaviour GCS20 configures (the 0x81xx group)."""
DEFAULT_EVENT_CONFIGURATION = 0x0B
"""Log to the general event log (3) and push the event to the WAN (bit 3)."""


def _store(key: str):
    def run(call: ZclCall) -> Answer:
        call.model.store.put_record(key, call.body)
        return succeeded(call)
    return run


def publish_change_of_tenancy(call: ZclCall) -> Answer:
    call.model.store.put_record(CHANGE_OF_TENANCY, call.body)
    take_snapshot(call.model.state, call.now, SnapshotCause.CHANGE_OF_TENANCY)
    return succeeded(call)


def publish_change_of_supplier(call: ZclCall) -> Answer:
    body = call.body
    call.model.store.put_record(CHANGE_OF_SUPPLIER, body)
    call.model.write(device.DEVICE_MANAGEMENT, 0x0101, body.proposed_provider_name)
    call.model.write(device.DEVICE_MANAGEMENT, 0x0102, body.proposed_provider_contact_details)
    take_snapshot(call.model.state, call.now, SnapshotCause.CHANGE_OF_SUPPLIER)
    return succeeded(call)


def request_new_password_response(call: ZclCall) -> Answer:
    key = record_key(device.DEVICE_MANAGEMENT, f"password:{call.body.password_type:02X}")
    call.model.store.put_record(key, call.body)
    return succeeded(call)


def update_site_id(call: ZclCall) -> Answer:
    call.model.write(0x0702, 0x0307, call.body.site_id)
    return succeeded(call)


# -- event configuration ----------------------------------------------------------------------

def event_configuration(call: ZclCall) -> dict[int, int]:
    configured = dict.fromkeys(GSME_NON_CRITICAL_EVENTS, DEFAULT_EVENT_CONFIGURATION)
    for entry in call.model.store.log_records(EVENT_CONFIGURATION,
                                              device.EventConfigurationEntry):
        configured[entry.event_id] = entry.event_configuration
    return configured


def set_event_configuration(call: ZclCall) -> Answer:
    body = call.body
    configured = event_configuration(call)
    control, selector = body.configuration_control, body.event_configuration_payload
    if control == 0:
        chosen = list(selector.event_ids)
    elif control == 1:
        chosen = [event for event in configured if event >> 8 == selector >> 8]
    elif control == 2:
        chosen = [event for event, value in configured.items()
                  if value & LOG_ACTION_MASK == selector]
    elif control == 3:
        chosen = [event for event, value in configured.items() if value == selector]
    else:
        raise ZclFailure(ZclStatus.INVALID_FIELD, f"configuration control {control}")
    for event in chosen:
        configured[event] = body.event_configuration
    entries = [device.EventConfigurationEntry(event, value)
               for event, value in sorted(configured.items())]
    call.model.store.set_log(EVENT_CONFIGURATION, [device.EventConfigurationEntry.codec.encode(
        entry) for entry in entries])
    return succeeded(call)


def get_event_configuration(call: ZclCall) -> Answer:
    wanted = call.body.event_id
    configured = event_configuration(call)
    if wanted & GROUP_WILDCARD == GROUP_WILDCARD:
        events = sorted(event for event in configured if event >> 8 == wanted >> 8)
    else:
        events = [wanted] if wanted in configured else []
    if not events:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return [call.reply(device.ReportEventConfiguration(0, 1, tuple(
        device.EventConfigurationEntry(event, configured[event]) for event in events)))]


# -- event logs -----------------------------------------------------------------------------------

def _logs(call: ZclCall, log_id: int) -> list[tuple[int, BoundedLog]]:
    state = call.model.state
    logs = {GENERAL_EVENT_LOG: state.event_log, SECURITY_EVENT_LOG: state.security_log}
    if log_id == ALL_LOGS:
        return list(logs.items())
    return [(log_id, logs[log_id])] if log_id in logs else []


def get_event_log(call: ZclCall) -> Answer:
    body = call.body
    full = bool(body.event_control_log_id & FULL_INFORMATION)
    end = body.end_time or 0xFFFFFFFF
    found = []
    for log_id, log in _logs(call, body.event_control_log_id & 0x0F):
        for entry in log.entries:
            moment = datetime_to_utc_seconds(entry.timestamp)
            if body.start_time <= moment <= end and body.event_id in (0, entry.event_code):
                found.append(device.EventLogEntry(log_id, entry.event_code, moment,
                                                  entry.data if full else b""))
    found.sort(key=lambda entry: entry.event_time)
    chosen = found[body.event_offset:]
    limit = min(body.number_of_events or MAX_EVENTS_PER_COMMAND, MAX_EVENTS_PER_COMMAND)
    if not chosen:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return [call.reply(device.PublishEventLog(min(len(found), 0xFFFF), 0, 1, 0,
                                              tuple(chosen[:limit])))]


def clear_event_log(call: ZclCall) -> Answer:
    """The security log cannot be cleared; the answer says which logs were."""
    cleared = 0
    for log_id, log in _logs(call, call.body.log_id):
        if log_id != SECURITY_EVENT_LOG:
            log.entries.clear()
            cleared |= 1 << log_id
    return [call.reply(device.ClearEventLogResponse(cleared))]


def clear_event_log_failed(call: ZclCall, status: int) -> Answer:
    return [call.reply(device.ClearEventLogResponse(0))]


HANDLERS = {
    device.DisplayMessage: CommandHandler(_store(MESSAGE), "start_time"),
    device.PublishChangeOfTenancy: CommandHandler(publish_change_of_tenancy,
                                                  "implementation_date_time"),
    device.PublishChangeOfSupplier: CommandHandler(publish_change_of_supplier,
                                                   "provider_change_implementation_time"),
    device.RequestNewPasswordResponse: CommandHandler(request_new_password_response,
                                                      "implementation_date_time"),
    device.UpdateSiteId: CommandHandler(update_site_id, "site_id_time"),
    device.UpdateCin: CommandHandler(_store(CIN), "implementation_date_time"),
    device.SetEventConfiguration: CommandHandler(set_event_configuration, "start_date_time"),
    device.GetEventConfiguration: CommandHandler(get_event_configuration, reads=True),
    device.GetEventLog: CommandHandler(get_event_log, reads=True),
    device.ClearEventLogRequest: CommandHandler(clear_event_log,
                                                failure=clear_event_log_failed),
}
