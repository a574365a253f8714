"""Future-dated GBZ commands (primer §8.1.2, §8.1.4).

In a use case capable of future-dated execution, a component's execution time is its GBZ
From Date Time or, without one, its command's own start/implementation time: 0 (or a
time already passed) runs it now, 0xFFFFFFFF (and the ZSE start-time marker 0xFFFFFFFE)
cancels what is pending for the same use case and command, anything else schedules it.
A scheduled component is kept as wire bytes in the device's scheduler; when it falls
due, the device runtime (``EmulatedDevice.run_due``) calls :func:`run_scheduled`, which
executes it and raises alert 0x00CD with 8F66 (done) or 8F67 (failed).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from firmware_emu.registry import AlertRequest
from firmware_emu.state import DeviceState, device_state_from_dict
from firmware_emu.zcl.calls import Answer, CommandHandler, ZclCall, ZclFailure, succeeded
from firmware_emu.zcl.gbz_alerts import future_dated_execution
from firmware_emu.zcl.handlers import handler_for
from firmware_emu.zcl.model import ModelError, ZclModel
from gbcs.crypto import KeyStore
from gbcs.errors import DecodeError
from gbcs.gbz.gbz_component import GbzComponent, read_component, write_component
from gbcs.primitives import utc_seconds_to_datetime

if TYPE_CHECKING:
    from firmware_emu.clock import ScheduledAction
    from firmware_emu.device import EmulatedDevice

ACTION_KIND = "gbz-future"
ACTION_PREFIX = ACTION_KIND + ":"
IMMEDIATE = 0x00000000
CANCEL_TIMES = frozenset({0xFFFFFFFF, 0xFFFFFFFE})


def action_kind(message_code: int, cluster_id: int, command_id: int) -> str:
    """The scheduler id prefix of one use case's pending commands of one kind."""
    return f"{ACTION_PREFIX}{message_code:04X}:{cluster_id:04X}:{command_id:02X}:"


def _cancel(call: ZclCall, kind: str, keep_counter: int | None = None) -> None:
    scheduler = call.model.state.scheduler
    for action in list(scheduler.actions):
        if action.action_id.startswith(kind) and (
                action.payload.get("originator_counter") != keep_counter):
            scheduler.cancel(action.action_id)


def execution_time(call: ZclCall, handler: CommandHandler) -> int | None:
    if call.component.from_date_time is not None:
        return call.component.from_date_time
    if handler.time_field is not None:
        return getattr(call.body, handler.time_field)
    return None


def run_or_schedule(call: ZclCall, handler: CommandHandler) -> Answer:
    """Carry out the component now, or schedule or cancel it, and answer."""
    when = execution_time(call, handler)
    acknowledge = handler.acknowledge or succeeded
    kind = action_kind(call.message_code, call.command.cluster_id, call.command.command_id)
    if when in CANCEL_TIMES:
        _cancel(call, kind)
        return acknowledge(call)
    if when is None or when == IMMEDIATE or utc_seconds_to_datetime(when) <= call.now:
        return handler.run(call)
    # A newer command of the same kind supersedes what an earlier one left pending.
    _cancel(call, kind, keep_counter=call.originator_counter)
    wire = bytearray()
    write_component(call.component, wire)
    key = f"{kind}{call.component.sequence_number:02X}"
    call.model.state.scheduler.schedule(utc_seconds_to_datetime(when), key, {
        "message_code": call.message_code, "originator": call.originator.hex(),
        "originator_counter": call.originator_counter, "component": bytes(wire).hex()},
        replace=True)
    return acknowledge(call)


def run_scheduled(device: EmulatedDevice, action: ScheduledAction, now: datetime
                  ) -> list[AlertRequest]:
    """Registry executor of ``gbz-future`` actions: run the component on a copy of the
    state (kept only if it succeeds) and report it with 8F66 or 8F67."""
    payload = action.payload
    component, _ = read_component(bytes.fromhex(payload["component"]), 0, 0)
    trial = device_state_from_dict(device.state.to_dict())
    alerts = _execute(trial, device.keys, component, payload, action.due_at)
    if alerts is not None:
        device.state = trial
    return [*(alerts or []), future_dated_execution(
        alerts is not None, action.due_at, payload["message_code"],
        payload["originator_counter"], component)]


def _execute(state: DeviceState, keys: KeyStore, component: GbzComponent, payload: dict,
             at: datetime) -> list[AlertRequest] | None:
    """The alerts the component raised, or None if it failed."""
    try:
        command = component.zcl_command()
    except DecodeError:
        return None
    handler = handler_for(command)
    if handler is None:
        return None
    call = ZclCall(ZclModel(state, at), component, command, payload["message_code"],
                   bytes.fromhex(payload["originator"]), payload["originator_counter"],
                   keys, deferred=True)
    try:
        handler.run(call)
    except (ZclFailure, ModelError):
        return None
    return call.alerts
