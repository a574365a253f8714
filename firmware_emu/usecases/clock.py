"""GCS28 Set Clock on the GSME (0x007F).

The GSME takes the time of its HAN time source (in the emulator: the device clock) and
sets its clock from it only if that time lies within the command's validity interval;
the clock is then reliable. Outside the interval (or when setting fails) nothing changes
and the device reports its time as unreliable.
"""

from __future__ import annotations

from firmware_emu.registry import CommandContext, Outcome, UseCaseHandler
from gbcs.asn1 import DeviceTimeStatus, SetClockCommand, SetClockResponse
from gbcs.asn1.payloads import Asn1MessageCode

DEVICE_TIME_STATUS = "asn1.clock.device_time_status"
"""``attribute_values`` key of the device time status (one byte, DeviceTimeStatus)
left by the last successful clock setting."""
CLOCK_ADJUSTED = 0x8145
"""Event logged when the clock was set."""


def set_clock(ctx: CommandContext) -> Outcome:
    command: SetClockCommand = ctx.command.payload
    now = ctx.now
    if ctx.fault is not None or not command.validity_start <= now <= command.validity_end:
        return Outcome(SetClockResponse(now, DeviceTimeStatus.UNRELIABLE))
    setter = getattr(ctx.device.clock, "set_time", None)
    if setter is not None:
        setter(now)
    ctx.state.attribute_values[DEVICE_TIME_STATUS] = bytes((DeviceTimeStatus.RELIABLE,))
    ctx.state.event_log.append(now, CLOCK_ADJUSTED)
    return Outcome(SetClockResponse(now, DeviceTimeStatus.RELIABLE))


CLOCK_USE_CASES: tuple[UseCaseHandler, ...] = (
    UseCaseHandler((Asn1MessageCode.GCS28_SET_CLOCK,), set_clock, "GCS28 Set Clock on GSME"),
)
