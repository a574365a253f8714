"""Every ZCL command the GSME / GPF model carries out, by its payload record type."""

from __future__ import annotations

from firmware_emu.zcl import (
    handlers_calendar,
    handlers_device,
    handlers_general,
    handlers_metering,
    handlers_prepayment,
    handlers_price,
)
from firmware_emu.zcl.calls import CommandHandler
from gbcs.gbz.records import ZclRecord
from gbcs.gbz.zcl import ZclCommand

HANDLERS: dict[type[ZclRecord], CommandHandler] = {
    **handlers_general.HANDLERS,
    **handlers_price.HANDLERS,
    **handlers_calendar.HANDLERS,
    **handlers_metering.HANDLERS,
    **handlers_prepayment.HANDLERS,
    **handlers_device.HANDLERS,
}


def handler_for(command: ZclCommand) -> CommandHandler | None:
    """The handler of a decoded command; None for commands the model does not take."""
    if command.is_raw or command.spec is None:
        return None
    return HANDLERS.get(type(command.body))
