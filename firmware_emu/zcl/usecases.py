"""Registry rows of the GBZ use cases: every GBZ command of a GSME or GPF (and the
PPMID's HAN commands to the GSME) is answered from the ZCL model by one processor."""

from __future__ import annotations

from firmware_emu.registry import Registry, UseCaseHandler
from firmware_emu.zcl.future_dated import ACTION_KIND, run_scheduled
from firmware_emu.zcl.processor import process_gbz
from gbcs.codes import DeviceType, MessageKinds, PayloadFamily, all_use_cases

_GBZ_DEVICES = (DeviceType.GSME, DeviceType.GPF)

GBZ_USE_CASES: tuple[UseCaseHandler, ...] = tuple(
    UseCaseHandler((use_case.code,), process_gbz,
                   f"{use_case.use_case} {use_case.name} (ZCL model)")
    for use_case in all_use_cases()
    if use_case.payload is PayloadFamily.GBZ
    and MessageKinds.COMMAND_RESPONSE in use_case.kinds
    and any(use_case.applies_to(device) for device in _GBZ_DEVICES)
)
"""One row per GBZ command code of the message-code table (CS01b and PCS01/PCS02 too)."""


def register(registry: Registry) -> None:
    """Install the GBZ rows, the GBZ family default and the future-dated executor."""
    registry.add_rows(GBZ_USE_CASES)
    registry.add_family(PayloadFamily.GBZ, process_gbz)
    registry.add_executor(ACTION_KIND, run_scheduled)
