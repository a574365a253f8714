"""Price cluster (0x0700): tariff, price matrix, thresholds, CV/CF, billing and block periods.

Published tariff data becomes Price attributes (so reads return it) and the publish
commands themselves are kept for the reads that answer with them (Get Current Price,
Get Billing Period).
"""

from __future__ import annotations

from firmware_emu.zcl.calls import Answer, CommandHandler, ZclCall, ZclFailure, succeeded
from firmware_emu.zcl.history import SnapshotCause, take_snapshot
from firmware_emu.zcl.store import record_key
from gbcs.gbz import clusters_price as price
from gbcs.gbz.zcl import ZclStatus

CLUSTER = price.CLUSTER_ID
TARIFF_INFORMATION = record_key(CLUSTER, "tariff-information")
BILLING_PERIOD = record_key(CLUSTER, "billing-period")
BLOCK_PERIOD = record_key(CLUSTER, "block-period")
TOU_BASED = 0x01
"""Sub-payload control bit 0: entries are TOU tiers (else tier/block ids)."""
NO_TIER_THRESHOLDS = 0x0100
TIER_THRESHOLDS = 0x0110
"""Thresholds of tier n start at 0x0110 + 16 (n - 1); each set ends with its count."""


def _write(call: ZclCall, values: dict[int, int | bytes]) -> None:
    for attribute_id, value in values.items():
        call.model.write(CLUSTER, attribute_id, value)


def _snapshot(call: ZclCall, cause: SnapshotCause) -> None:
    take_snapshot(call.model.state, call.now, cause)


def publish_tariff_information(call: ZclCall) -> Answer:
    body = call.body
    _write(call, {
        0x0610: body.tariff_label, 0x0611: body.number_of_price_tiers_in_use,
        0x0612: body.number_of_block_thresholds_in_use, 0x0613: body.tier_block_mode,
        0x0615: body.unit_of_measure, 0x0616: body.currency,
        0x0617: body.price_trailing_digit, 0x0202: body.block_threshold_multiplier,
        0x0203: body.block_threshold_divisor,
    })
    if body.standing_charge != 0xFFFFFFFF:
        _write(call, {0x0301: body.standing_charge})
    call.model.store.put_record(TARIFF_INFORMATION, body)
    _snapshot(call, SnapshotCause.CHANGE_OF_TARIFF_INFORMATION)
    return succeeded(call)


def publish_price_matrix(call: ZclCall) -> Answer:
    body = call.body
    tou = body.sub_payload_control & TOU_BASED
    for entry in body.entries:
        attribute = 0x0400 + (16 * entry.tier_block_id if tou else entry.tier_block_id)
        if call.model.attribute(CLUSTER, attribute) is None:
            raise ZclFailure(ZclStatus.INVALID_FIELD, f"no price for id {entry.tier_block_id}")
        call.model.write(CLUSTER, attribute, entry.price)
    _snapshot(call, SnapshotCause.CHANGE_OF_PRICE_MATRIX)
    return succeeded(call)


def publish_block_thresholds(call: ZclCall) -> Answer:
    for group in call.body.tiers:
        tier = group.tier_and_number_of_thresholds >> 4
        base = NO_TIER_THRESHOLDS if tier == 0 else TIER_THRESHOLDS + 16 * (tier - 1)
        if len(group.thresholds) > 15:
            raise ZclFailure(ZclStatus.INVALID_FIELD, "more than 15 block thresholds")
        for index, threshold in enumerate(group.thresholds):
            call.model.write(CLUSTER, base + index, threshold)
        call.model.write(CLUSTER, base + 0x0F, len(group.thresholds))
    _snapshot(call, SnapshotCause.CHANGE_OF_BLOCK_THRESHOLDS)
    return succeeded(call)


def publish_conversion_factor(call: ZclCall) -> Answer:
    body = call.body
    _write(call, {0x0302: body.conversion_factor,
                  0x0303: body.conversion_factor_trailing_digit})
    _snapshot(call, SnapshotCause.CHANGE_OF_CF)
    return succeeded(call)


def publish_calorific_value(call: ZclCall) -> Answer:
    body = call.body
    _write(call, {0x0304: body.calorific_value, 0x0305: body.calorific_value_unit,
                  0x0306: body.calorific_value_trailing_digit})
    _snapshot(call, SnapshotCause.CHANGE_OF_CV)
    return succeeded(call)


def publish_billing_period(call: ZclCall) -> Answer:
    body = call.body
    _write(call, {0x0700: body.billing_period_start_time,
                  0x0701: body.billing_period_duration})
    call.model.store.put_record(BILLING_PERIOD, body)
    return succeeded(call)


def publish_block_period(call: ZclCall) -> Answer:
    body = call.body
    _write(call, {0x0200: body.block_period_start_time, 0x0201: body.block_period_duration,
                  0x0204: body.block_period_duration_type,
                  0x0619: body.tariff_resolution_period})
    call.model.store.put_record(BLOCK_PERIOD, body)
    return succeeded(call)


def get_billing_period(call: ZclCall) -> Answer:
    stored = call.model.store.record(BILLING_PERIOD, price.PublishBillingPeriod)
    if stored is None:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return [call.reply(stored)]


def get_current_price(call: ZclCall) -> Answer:
    tariff = call.model.store.record(TARIFF_INFORMATION, price.PublishTariffInformation)
    if tariff is None:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    tiers = tariff.number_of_price_tiers_in_use
    tier = 1 if tiers else 0
    value = call.model.value(CLUSTER, 0x0400 + 16 * tier)
    return [call.reply(price.PublishPrice(
        tariff.provider_id, tariff.tariff_label, tariff.issuer_event_id, call.model.utc_now,
        tariff.unit_of_measure, tariff.currency,
        (tariff.price_trailing_digit & 0xF0) | tier, (min(tiers, 15) << 4) | tier,
        0, 0xFFFF, value))]


HANDLERS = {
    price.PublishTariffInformation: CommandHandler(publish_tariff_information, "start_time"),
    price.PublishPriceMatrix: CommandHandler(publish_price_matrix, "start_time"),
    price.PublishBlockThresholds: CommandHandler(publish_block_thresholds, "start_time"),
    price.PublishConversionFactor: CommandHandler(publish_conversion_factor, "start_time"),
    price.PublishCalorificValue: CommandHandler(publish_calorific_value, "start_time"),
    price.PublishBillingPeriod: CommandHandler(publish_billing_period),
    price.PublishBlockPeriod: CommandHandler(publish_block_period),
    price.GetBillingPeriod: CommandHandler(get_billing_period, reads=True),
    price.GetCurrentPrice: CommandHandler(get_current_price, reads=True),
}
