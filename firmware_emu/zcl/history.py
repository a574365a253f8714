"""The logs a GSME (or the GPF's mirror) builds over time, and how reads search them.

A device runtime calls :func:`take_snapshot` at midnight, at the end of a billing period
and on the changes the snapshot causes name; :func:`record_sample` at each sampling
interval; :func:`record_daily_consumption` once a day (GBCS daily consumption log,
sample id 1). Top-ups and debt collections are logged by the prepayment handlers.
All of it is kept in ``DeviceState.attribute_values`` through :class:`ZclStore`.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from firmware_emu.state import DeviceState
from firmware_emu.zcl.catalogue_price import MONEY_UNITS_PER_PENNY as UNITS
from firmware_emu.zcl.model import ZclModel
from firmware_emu.zcl.store import ZclStore, record_key
from gbcs.gbz import clusters_metering as metering
from gbcs.gbz import clusters_prepayment as prepayment
from gbcs.gbz.records import ZclRecord
from gbcs.primitives import datetime_to_utc_seconds

METERING_SNAPSHOTS = record_key(metering.CLUSTER_ID, "snapshots")
PREPAY_SNAPSHOTS = record_key(prepayment.CLUSTER_ID, "snapshots")
TOP_UP_LOG = record_key(prepayment.CLUSTER_ID, "top-up-log")
DEBT_LOG = record_key(prepayment.CLUSTER_ID, "debt-log")

DAILY_CONSUMPTION_SAMPLE_ID = 1
"""GBCS: the daily gas consumption log (GCS61) is sample id 1; Start Sampling hands out
ids from 2 on."""
DAILY_INTERVAL = 0xFFFF
"""Sample Request Interval of the daily consumption log (one sample per day)."""
MAX_SAMPLES = 0xFFFF
ANY_CAUSE = 0xFFFFFFFF
BLOCK_TIER_DELIVERED_NO_BILLING = 6
DEBT_CREDIT_STATUS = 0
PAYMENT_DEBT = 2
"""ZSE debt type of the payment-based debt (debt 3), collected from top-ups."""


class SnapshotCause(enum.IntFlag):
    GENERAL = 0x0000_0001
    END_OF_BILLING_PERIOD = 0x0000_0002
    END_OF_BLOCK_PERIOD = 0x0000_0004
    CHANGE_OF_TARIFF_INFORMATION = 0x0000_0008
    CHANGE_OF_PRICE_MATRIX = 0x0000_0010
    CHANGE_OF_BLOCK_THRESHOLDS = 0x0000_0020
    CHANGE_OF_CV = 0x0000_0040
    CHANGE_OF_CF = 0x0000_0080
    CHANGE_OF_CALENDAR = 0x0000_0100
    MANUALLY_TRIGGERED = 0x0000_0400
    CHANGE_OF_TENANCY = 0x0000_1000
    CHANGE_OF_SUPPLIER = 0x0000_2000
    CHANGE_OF_METER_MODE = 0x0000_4000
    DEBT_PAYMENT = 0x0000_8000
    SCHEDULED = 0x0001_0000


def sampling_key(sample_id: int) -> str:
    return record_key(metering.CLUSTER_ID, f"samples:{sample_id:04X}")


# -- snapshots ----------------------------------------------------------------------------

def take_snapshot(state: DeviceState, now: datetime, cause: int
                  ) -> tuple[ZclRecord, ZclRecord]:
    """Record a metering and a prepayment snapshot; returns both Publish commands."""
    model = ZclModel(state, now)
    registers = model.metering.registers
    credit = model.metering.prepayment
    moment = datetime_to_utc_seconds(now)
    blocks = tuple(registers.block_import_wh)
    tiers = metering.BlockTierSnapshot(
        registers.import_energy_wh, len(registers.tou_import_wh),
        tuple(registers.tou_import_wh), 0x10 | len(blocks), blocks)
    debts = prepayment.DebtCreditStatus(
        credit.debt_pence * UNITS, model.value(prepayment.CLUSTER_ID, 0x0211),
        model.value(prepayment.CLUSTER_ID, 0x0221), model.value(prepayment.CLUSTER_ID, 0x0231),
        credit.emergency_credit_remaining_pence * UNITS, credit.meter_balance_pence * UNITS)
    store = model.store
    meter_snapshot = metering.PublishSnapshot(
        _next_id(store, METERING_SNAPSHOTS, metering.PublishSnapshot), moment, 1, 0, 1, cause,
        BLOCK_TIER_DELIVERED_NO_BILLING, tiers)
    prepay_snapshot = prepayment.PublishPrepaySnapshot(
        _next_id(store, PREPAY_SNAPSHOTS, prepayment.PublishPrepaySnapshot), moment, 1, 0, 1,
        cause, DEBT_CREDIT_STATUS, debts)
    store.append_log(METERING_SNAPSHOTS, meter_snapshot)
    store.append_log(PREPAY_SNAPSHOTS, prepay_snapshot)
    return meter_snapshot, prepay_snapshot


def _next_id(store: ZclStore, key: str, record_type: type[ZclRecord]) -> int:
    entries = store.log_records(key, record_type)
    return (entries[-1].snapshot_id + 1) & 0xFFFFFFFF if entries else 0


def find_snapshot(store: ZclStore, key: str, record_type: type[ZclRecord], earliest: int,
                  latest: int, offset: int, cause: int) -> ZclRecord | None:
    """The ``offset``-th most recent snapshot in the time range with a matching cause,
    as its Publish command (with the number of snapshots found)."""
    found = [entry for entry in store.log_records(key, record_type)
             if earliest <= entry.snapshot_time <= latest
             and (cause == ANY_CAUSE or entry.snapshot_cause & cause)]
    found.sort(key=lambda entry: entry.snapshot_time, reverse=True)
    if offset >= len(found):
        return None
    return found[offset].replace(total_snapshots_found=min(len(found), 0xFF))


# -- sampled data ------------------------------------------------------------------------

def start_sampling(store: ZclStore, sample_id: int, start: int, sample_type: int,
                   interval: int) -> None:
    store.put_record(sampling_key(sample_id), metering.GetSampledDataResponse(
        sample_id, start, sample_type, interval, 0, ()))


def sampling_session(store: ZclStore, sample_id: int) -> ZclRecord | None:
    return store.record(sampling_key(sample_id), metering.GetSampledDataResponse)


def record_sample(state: DeviceState, sample_id: int, value: int) -> None:
    """Append one sample (24-bit) to a running sampling session."""
    store = ZclStore(state.attribute_values)
    session = sampling_session(store, sample_id)
    if session is None:
        raise KeyError(f"no sampling session {sample_id}")
    samples = (*session.samples, min(max(value, 0), 0xFFFFFF))[-MAX_SAMPLES:]
    store.put_record(sampling_key(sample_id), session.replace(
        number_of_samples=len(samples), samples=samples))


def record_daily_consumption(state: DeviceState, day_start: datetime, value: int) -> None:
    """Add a day to the daily consumption log (sample id 1), starting it if needed."""
    store = ZclStore(state.attribute_values)
    if sampling_session(store, DAILY_CONSUMPTION_SAMPLE_ID) is None:
        start_sampling(store, DAILY_CONSUMPTION_SAMPLE_ID, datetime_to_utc_seconds(day_start),
                       0, DAILY_INTERVAL)
    record_sample(state, DAILY_CONSUMPTION_SAMPLE_ID, value)


def interval_seconds(interval: int) -> int:
    return 86400 if interval == DAILY_INTERVAL else max(interval, 1)


def samples_from(session: ZclRecord, earliest: int, count: int) -> ZclRecord | None:
    """The samples taken at or after ``earliest`` (at most ``count``), or None."""
    step = interval_seconds(session.sample_request_interval)
    first = max(0, -(-(earliest - session.sample_start_time) // step))
    chosen = session.samples[first:first + count] if count else session.samples[first:]
    if not chosen:
        return None
    return session.replace(sample_start_time=session.sample_start_time + first * step,
                           number_of_samples=len(chosen), samples=chosen)


# -- prepayment logs -----------------------------------------------------------------------

def log_top_up(store: ZclStore, code: bytes, amount: int, now: datetime) -> None:
    store.append_log(TOP_UP_LOG, prepayment.TopUpEntry(code, amount,
                                                      datetime_to_utc_seconds(now)))


def log_debt_collection(store: ZclStore, collected: int, debt_type: int, outstanding: int,
                        now: datetime) -> None:
    store.append_log(DEBT_LOG, prepayment.DebtEntry(datetime_to_utc_seconds(now), collected,
                                                    debt_type, outstanding))


def day_starts(until: datetime, days: int) -> list[datetime]:
    """The ``days`` midnights (UTC) before ``until``, oldest first."""
    midnight = until.replace(hour=0, minute=0, second=0, microsecond=0)
    return [midnight - timedelta(days=n) for n in range(days, 0, -1)]

