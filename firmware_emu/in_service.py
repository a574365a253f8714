"""What a meter that has been in service for a while holds: readings history.

A freshly manufactured emulated meter has empty logs; a bench often wants one that has
been running, so that log and snapshot reads have something to return. ``add_history``
writes such a past into a GSME or GPF state: daily and billing snapshots, daily
consumption, change-of-tariff/mode snapshots, debt collections and logged events.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from firmware_emu.state import DeviceState, GpfState, GsmeState
from firmware_emu.zcl import history
from firmware_emu.zcl.store import ZclStore

_DAILY_VOLUME = 1000
_VOLUME_GROWTH = 37
_EVENT_CODES = (0x8154, 0x8155)  # immediate HAN command actioned / not actioned
_SECURITY_CODES = (0x8F1C, 0x8F1D, 0x8F1E)


def add_history(state: DeviceState, *, until: datetime, days: int = 60) -> None:
    """Give a GSME (or the GPF's GSME mirror) ``days`` of past up to ``until``."""
    if not isinstance(state, GsmeState | GpfState):
        raise TypeError(f"readings history is kept by a GSME or GPF, not {type(state).__name__}")
    metering = state.gsme_mirror if isinstance(state, GpfState) else state.metering
    for number, day in enumerate(history.day_starts(until, days)):
        metering.registers.record_import(_DAILY_VOLUME + _VOLUME_GROWTH * number, 0)
        history.take_snapshot(state, day, history.SnapshotCause.GENERAL)
        history.record_daily_consumption(state, day, 900 + 11 * number)
        if day.day == 1:
            history.take_snapshot(state, day, history.SnapshotCause.END_OF_BILLING_PERIOD)
    for month in range(1, 7):
        moment = until - timedelta(days=30 * month)
        history.take_snapshot(state, moment, history.SnapshotCause.END_OF_BILLING_PERIOD)
        history.take_snapshot(state, moment - timedelta(days=3),
                              history.SnapshotCause.CHANGE_OF_TARIFF_INFORMATION
                              | history.SnapshotCause.CHANGE_OF_METER_MODE)
    store = ZclStore(state.attribute_values)
    for number in range(5):
        moment = until - timedelta(days=20 - 3 * number)
        history.log_debt_collection(store, 10_000 * (number + 1), history.PAYMENT_DEBT,
                                    500_000 - 10_000 * number, moment)
    for number in range(12):
        moment = until - timedelta(hours=20 - number)
        state.event_log.append(moment, _EVENT_CODES[number % 2], bytes((0, number)))
        state.security_log.append(moment, _SECURITY_CODES[number % 3])
