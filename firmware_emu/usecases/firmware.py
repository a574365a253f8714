"""CS06 Activate Firmware (immediate, future-dated, cancelled) with the 0x00CA outcome
alert, and CS08 Read PPMID/HCALCS Firmware Version (primer §11.10).

The image to activate is named by the SHA-256 of its Manufacturer Image; the device
holds at most one received image (:class:`~firmware_emu.state.FirmwareStore`). A
future-dated activation waits on the device's scheduler; when it runs, the device reports
8F66 (now running the new version) or 8F67 (why not) to the command's originator.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from firmware_emu.registry import (
    AlertRequest,
    CommandContext,
    CommandFailed,
    Outcome,
    UseCaseHandler,
)
from firmware_emu.state import (
    FIRMWARE_ACTIVATION_ACTION,
    DeviceState,
    FirmwareActivationError,
)
from gbcs.asn1 import (
    ActivateFirmwareAlert,
    ActivateFirmwareCommand,
    ActivateFirmwareOutcome,
    ActivateFirmwareResponseCode,
    CommandAccepted,
    FirmwareVersionResponse,
    ReadResponseCode,
)
from gbcs.asn1.payloads import Asn1MessageCode

if TYPE_CHECKING:
    from firmware_emu.clock import ScheduledAction
    from firmware_emu.device import EmulatedDevice

FIRMWARE_VERSION_CHANGED = 0x8F43
"""Event logged when the device starts executing another firmware version."""
UNREADABLE_VERSION = bytes(4)
"""The firmware version a failed CS08 read reports."""

Code = ActivateFirmwareResponseCode


def _activate_now(state: DeviceState, image_hash: bytes, now: datetime) -> bytes:
    version = state.activate_firmware(image_hash)
    state.event_log.append(now, FIRMWARE_VERSION_CHANGED, version)
    return version


def activate_firmware(ctx: CommandContext) -> Outcome:
    command: ActivateFirmwareCommand = ctx.command.payload
    header = ctx.command.header
    if command.originator_counter != header.originator_counter:
        raise CommandFailed(f"CS06 originator counter {command.originator_counter} is not the "
                            f"command's {header.originator_counter}")
    state = ctx.state
    running = state.identity.firmware_version
    if command.is_cancellation:
        if ctx.fault is not None:
            return Outcome(ActivateFirmwareOutcome(Code.ACTIVATION_FAILURE, running))
        state.cancel_firmware_activation()
        return Outcome(CommandAccepted())
    if command.execution_time is not None:
        return _schedule(ctx, command, command.execution_time)
    try:
        state.firmware.check_image(command.manufacturer_image_hash)
    except FirmwareActivationError as refused:
        return Outcome(ActivateFirmwareOutcome(refused.response_code, running))
    if ctx.fault is not None:
        return Outcome(ActivateFirmwareOutcome(Code.ACTIVATION_FAILURE, running))
    version = _activate_now(state, command.manufacturer_image_hash, ctx.now)
    return Outcome(ActivateFirmwareOutcome(Code.SUCCESS, version))


def _schedule(ctx: CommandContext, command: ActivateFirmwareCommand, at: datetime
              ) -> Outcome:
    """Accept a future-dated activation of a held image. A fault strikes its execution:
    the command is accepted and the 0x00CA alert reports the failure."""
    state = ctx.state
    try:
        action = state.schedule_firmware_activation(
            command.manufacturer_image_hash, at, command.originator_counter)
    except FirmwareActivationError as refused:
        return Outcome(ActivateFirmwareOutcome(refused.response_code,
                                               state.identity.firmware_version))
    state.scheduler.schedule(action.due_at, FIRMWARE_ACTIVATION_ACTION, {
        **action.payload, "originator": ctx.command.header.originator.hex(),
        "fault": ctx.fault is not None}, replace=True)
    return Outcome(CommandAccepted())


def run_scheduled_activation(device: EmulatedDevice, action: ScheduledAction, now: datetime
                             ) -> list[AlertRequest]:
    """Activate the image of a due CS06 and report the outcome (0x00CA, 8F66 / 8F67)."""
    state = device.state
    payload = action.payload
    image_hash = bytes.fromhex(payload["image_hash"])
    version = state.identity.firmware_version
    code = Code.ACTIVATION_FAILURE
    if not payload.get("fault"):
        try:
            version = _activate_now(state, image_hash, now)
            code = Code.SUCCESS
        except FirmwareActivationError as failed:
            code = Code(failed.response_code)
    if code is not Code.SUCCESS:
        state.cancel_firmware_activation()
    alert = ActivateFirmwareAlert.reporting(ActivateFirmwareOutcome(code, version),
                                            action.due_at, payload["originator_counter"])
    originator = payload.get("originator")
    return [AlertRequest(Asn1MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION_ALERT, alert,
                         critical=True,
                         recipient=bytes.fromhex(originator) if originator else None)]


def read_firmware_version(ctx: CommandContext) -> Outcome:
    """CS08: the version the PPMID or HCALCS is running."""
    if ctx.fault is not None:
        return Outcome(FirmwareVersionResponse(UNREADABLE_VERSION, ReadResponseCode.READ_FAILURE))
    return Outcome(FirmwareVersionResponse(ctx.state.identity.firmware_version,
                                           ReadResponseCode.SUCCESS))


FIRMWARE_USE_CASES: tuple[UseCaseHandler, ...] = (
    UseCaseHandler((Asn1MessageCode.CS06_ACTIVATE_FIRMWARE,), activate_firmware,
                   "CS06 Activate Firmware"),
    UseCaseHandler((Asn1MessageCode.CS08_READ_PPMID_HCALCS_FIRMWARE_VERSION,),
                   read_firmware_version, "CS08 Read PPMID/HCALCS Firmware Version"),
)
