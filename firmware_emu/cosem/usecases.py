"""Registry rows of the DLMS use cases: every DLMS command of an ESME, SAPC or CHF is
answered from the device's COSEM object model by one generic processor."""

from __future__ import annotations

from firmware_emu.cosem.future_dated import ACTION_KIND, run_activation
from firmware_emu.cosem.processor import process_access_request
from firmware_emu.registry import Registry, UseCaseHandler
from gbcs.codes import DeviceType, MessageKinds, PayloadFamily, all_use_cases

_DLMS_DEVICES = (DeviceType.ESME, DeviceType.SAPC, DeviceType.CHF)

DLMS_USE_CASES: tuple[UseCaseHandler, ...] = tuple(
    UseCaseHandler((use_case.code,), process_access_request,
                   f"{use_case.use_case} {use_case.name} (COSEM object model)")
    for use_case in all_use_cases()
    if use_case.payload is PayloadFamily.DLMS
    and MessageKinds.COMMAND_RESPONSE in use_case.kinds
    and any(use_case.applies_to(device) for device in _DLMS_DEVICES)
)
"""One row per DLMS command code of the message-code table."""


def register(registry: Registry) -> None:
    """Install the DLMS rows, the DLMS family default (codes the table does not know)
    and the executor of future-dated DLMS activations."""
    registry.add_rows(DLMS_USE_CASES)
    registry.add_family(PayloadFamily.DLMS, process_access_request)
    registry.add_executor(ACTION_KIND, run_activation)
