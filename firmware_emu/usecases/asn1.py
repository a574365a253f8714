"""Every ASN.1 use case a device answers, as registry rows, and the future-dated actions
they leave on the scheduler.

``register(registry)`` adds the rows; ``run_due_asn1_actions(device)`` carries out the
future-dated firmware activations and credential updates that are due and returns their
outcome alerts (0x00CA, 0x00CB, 0x0124).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from firmware_emu.registry import Registry, UseCaseHandler
from firmware_emu.state import FIRMWARE_ACTIVATION_ACTION
from firmware_emu.usecases.clock import CLOCK_USE_CASES
from firmware_emu.usecases.common import ActionRunner, run_due_actions
from firmware_emu.usecases.credentials import CREDENTIALS_USE_CASES
from firmware_emu.usecases.device_logs import DEVICE_LOG_USE_CASES
from firmware_emu.usecases.firmware import FIRMWARE_USE_CASES, run_scheduled_activation
from firmware_emu.usecases.join import JOIN_USE_CASES
from firmware_emu.usecases.trust_anchor_update import (
    CREDENTIALS_UPDATE_ACTION,
    CREDENTIALS_UPDATE_USE_CASES,
    run_scheduled_update,
)

if TYPE_CHECKING:
    from firmware_emu.device import EmulatedDevice

ASN1_USE_CASES: tuple[UseCaseHandler, ...] = (
    *JOIN_USE_CASES,
    *DEVICE_LOG_USE_CASES,
    *CREDENTIALS_USE_CASES,
    *CREDENTIALS_UPDATE_USE_CASES,
    *FIRMWARE_USE_CASES,
    *CLOCK_USE_CASES,
)

ASN1_SCHEDULED_ACTIONS: dict[str, ActionRunner] = {
    FIRMWARE_ACTIVATION_ACTION: run_scheduled_activation,
    CREDENTIALS_UPDATE_ACTION: run_scheduled_update,
}


def register(registry: Registry) -> None:
    registry.add_rows(ASN1_USE_CASES)


def run_due_asn1_actions(device: EmulatedDevice, now: datetime | None = None) -> list[bytes]:
    """Run the due future-dated ASN.1 actions of ``device``; commit, return the alerts."""
    return run_due_actions(device, ASN1_SCHEDULED_ACTIONS, now)
