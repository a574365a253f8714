"""What the ASN.1 use-case handlers share: device alerts in the device's own payload
family, the remote parties a device answers to, and running future-dated actions.

Alerts that have no use-case-specific message code travel as Generic Critical (0x1000)
or Generic Non Critical (0x1001) alerts carrying just the alert code and a timestamp
(primer §10.1), as a DLMS data-notification from an ESME, SAPC or CHF and as a GBZ alert
from every ZigBee device.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from firmware_emu.registry import AlertRequest, CommandContext, CommandFailed
from firmware_emu.state import (
    DeviceState,
    DeviceType,
    HanDeviceLog,
    RemotePartyRole,
    TrustAnchorKeyUsage,
    device_state_from_dict,
)
from gbcs.dlms import Data, InvokeIdAndPriority, alert_notification
from gbcs.framing.general_signing import GroupingHeader
from gbcs.gbz import gbz_alert
from gbcs.primitives import CosemDateTime

if TYPE_CHECKING:
    from firmware_emu.clock import ScheduledAction
    from firmware_emu.device import EmulatedDevice

GENERIC_CRITICAL_ALERT = 0x1000
GENERIC_NON_CRITICAL_ALERT = 0x1001

DLMS_DEVICE_TYPES = frozenset({DeviceType.ESME, DeviceType.SAPC, DeviceType.CHF})
"""Devices whose own alerts are DLMS data-notifications; the others send GBZ alerts."""

AlertPayload = Callable[[GroupingHeader, Any], Any]


def device_alert_payload(device: EmulatedDevice, alert_code: int, when: datetime, *,
                         dlms_details: tuple[Data, ...] = (), gbz_data: Any = b""
                         ) -> AlertPayload | Any:
    """The payload of an alert raised by ``device`` in its own family: a DLMS
    data-notification (its invoke id follows the alert's originator counter, so it is
    built once the header is known) or a GBZ alert."""
    if device.device_type in DLMS_DEVICE_TYPES:
        timestamp = CosemDateTime.from_datetime(when, clock_status=device.clock_status)

        def dlms(header: GroupingHeader, _keys: Any) -> Any:
            invoke = InvokeIdAndPriority.for_counter(header.originator_counter)
            return alert_notification(invoke, alert_code, timestamp, *dlms_details)

        return dlms
    return gbz_alert(alert_code, when, gbz_data)


def event_alert(device: EmulatedDevice, alert_code: int, when: datetime, *,
                critical: bool = False) -> AlertRequest | None:
    """Log ``alert_code`` in the security log and, if the device knows whom to tell,
    the generic alert that reports it (None when it has no alert recipient)."""
    device.state.security_log.append(when, alert_code)
    if device.alert_recipient() is None:
        return None
    message_code = GENERIC_CRITICAL_ALERT if critical else GENERIC_NON_CRITICAL_ALERT
    return AlertRequest(message_code, device_alert_payload(device, alert_code, when), critical)


def raise_event_alert(ctx: CommandContext, alert_code: int, *, critical: bool = False) -> None:
    request = event_alert(ctx.device, alert_code, ctx.now, critical=critical)
    if request is not None:
        ctx.alerts.append(request)


def han_device_log(ctx: CommandContext) -> HanDeviceLog:
    """The device log of a HAN device; a CHF (whitelist) or log-less device refuses."""
    log = getattr(ctx.state, "device_log", None)
    if not isinstance(log, HanDeviceLog):
        raise CommandFailed(f"a {ctx.device.device_type.value} keeps no HAN device log")
    return log


def role_subjects(state: DeviceState, role: RemotePartyRole) -> frozenset[bytes]:
    """The entity ids of every trust anchor cell of ``role``."""
    return frozenset(cell.subject_eui for cell in state.trust_anchors.cells_of(role))


def acb_eui(state: DeviceState) -> bytes | None:
    cell = state.trust_anchors.find(RemotePartyRole.ACCESS_CONTROL_BROKER,
                                    TrustAnchorKeyUsage.KEY_AGREEMENT)
    return cell.subject_eui if cell else None


# ------------------------------------------------------------------------------------
# Future-dated actions
# ------------------------------------------------------------------------------------

ActionRunner = Callable[["EmulatedDevice", "ScheduledAction", datetime], list[AlertRequest]]
"""Carries out one due future-dated action on the device state; returns the alerts that
report its outcome (the action is already off the scheduler)."""


def run_due_actions(device: EmulatedDevice, runners: dict[str, ActionRunner],
                    now: datetime | None = None) -> list[bytes]:
    """Run every action of ``runners`` that is due; commit and return the alerts.

    Actions of other ids stay on the scheduler for whoever runs them. A runner that
    raises leaves the state as it was before any action ran.
    """
    now = now or device.now()
    scheduler = device.state.scheduler
    due = [action for action in list(scheduler.actions)
           if action.action_id in runners and action.due_at <= now]
    if not due:
        return []
    snapshot = device.state.to_dict()
    requests: list[AlertRequest] = []
    try:
        for action in due:
            device.state.scheduler.cancel(action.action_id)
            requests += runners[action.action_id](device, action, now)
    except Exception:
        device.state = device_state_from_dict(snapshot)
        raise
    return device.raise_alerts(requests)
