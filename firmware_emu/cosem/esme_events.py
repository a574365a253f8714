"""Things that happen to an ESME outside a command and change its DLMS state: the billing
calendar capturing the billing data log (ECS68) and a long supply outage ending (ECS80).
The device runtime calls these and raises the alerts they return."""

from __future__ import annotations

from datetime import datetime, timedelta

from firmware_emu.cosem import dlms_alerts
from firmware_emu.cosem.catalogue_esme import BILLING_DATA_LOG, energy_profiles
from firmware_emu.cosem.catalogues import model_for
from firmware_emu.cosem.model import AccessContext
from firmware_emu.cosem.profiles import Profile
from firmware_emu.registry import AlertRequest
from firmware_emu.state import DeviceState

EVENT_SUPPLY_RESTORED = 0x8F35
EVENT_LONG_OUTAGE_RESTORED = 0x8F36
LONG_OUTAGE = timedelta(minutes=3)


def _billing_profile(state: DeviceState) -> Profile:
    if getattr(state, "metering", None) is None:
        raise ValueError(f"a {state.identity.device_type.value} keeps no billing data log")
    return next(p.profile for p in energy_profiles(state.identity.variant)
                if p.profile.logical_name == BILLING_DATA_LOG)


def billing_calendar_reached(state: DeviceState, now: datetime) -> AlertRequest:
    """Capture the registers into the billing data log and report the entry (ECS68)."""
    profile = _billing_profile(state)
    access = AccessContext(state, now, model_for(state))
    row = profile.capture(access) if profile.capture else profile.row.default()
    profile.append(state, row)
    return dlms_alerts.billing_data_log_updated(now, profile.buffer_type.pack([row]))


def supply_restored(state: DeviceState, outage_start: datetime, now: datetime
                    ) -> AlertRequest | None:
    """Log the end of a supply outage; one of three minutes or more raises ECS80."""
    long_outage = now - outage_start >= LONG_OUTAGE
    code = EVENT_LONG_OUTAGE_RESTORED if long_outage else EVENT_SUPPLY_RESTORED
    state.event_log.append(now, code)
    if not long_outage:
        return None
    return dlms_alerts.supply_outage_restored(now, outage_start, now)
