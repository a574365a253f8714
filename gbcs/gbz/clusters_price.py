"""Price cluster (0x0700): tariffs, block thresholds, conversion and calorific values."""

from __future__ import annotations

from gbcs.gbz.records import Counted, Greedy, command, record
from gbcs.gbz.zcl_types import BITMAP8, C2S, ENUM8, OCTET_STRING, S2C
from gbcs.gbz.zcl_types import UINT8 as U8
from gbcs.gbz.zcl_types import UINT16 as U16
from gbcs.gbz.zcl_types import UINT24 as U24
from gbcs.gbz.zcl_types import UINT32 as U32
from gbcs.gbz.zcl_types import UINT48 as U48
from gbcs.gbz.zcl_types import UTC_TIME as UTC

CLUSTER_ID = 0x0700
NAME = "Price"

# =====================================================================================
# Client to server
# =====================================================================================

GetCurrentPrice = command("Get Current Price", ("command_options", BITMAP8))

GetBillingPeriod = command(
    "Get Billing Period",
    ("earliest_start_time", UTC),
    ("min_issuer_event_id", U32),
    ("number_of_commands", U8),
    ("tariff_type", BITMAP8),
)

# =====================================================================================
# Server to client ("Publish ..." pushed to the GSME)
# =====================================================================================

PublishPrice = command(
    "Publish Price",
    ("provider_id", U32),
    ("rate_label", OCTET_STRING),
    ("issuer_event_id", U32),
    ("current_time", UTC),
    ("unit_of_measure", ENUM8),
    ("currency", U16),
    ("price_trailing_digit_and_tier", BITMAP8),
    ("number_of_price_tiers_and_register_tier", BITMAP8),
    ("start_time", UTC),
    ("duration_in_minutes", U16),
    ("price", U32),
)
"""GBCS ignores the 19 optional bytes that may follow ``price``; they stay in ``trailing``."""

PublishBlockPeriod = command(
    "Publish Block Period",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("block_period_start_time", UTC),
    ("block_period_duration", U24),
    ("block_period_control", BITMAP8),
    ("block_period_duration_type", BITMAP8),
    ("tariff_type", BITMAP8),
    ("tariff_resolution_period", ENUM8),
)

PublishConversionFactor = command(
    "Publish Conversion Factor",
    ("issuer_event_id", U32),
    ("start_time", UTC),
    ("conversion_factor", U32),
    ("conversion_factor_trailing_digit", BITMAP8),
)

PublishCalorificValue = command(
    "Publish Calorific Value",
    ("issuer_event_id", U32),
    ("start_time", UTC),
    ("calorific_value", U32),
    ("calorific_value_unit", ENUM8),
    ("calorific_value_trailing_digit", BITMAP8),
)

PublishTariffInformation = command(
    "Publish Tariff Information",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("issuer_tariff_id", U32),
    ("start_time", UTC),
    ("tariff_type_charging_scheme", BITMAP8),
    ("tariff_label", OCTET_STRING),
    ("number_of_price_tiers_in_use", U8),
    ("number_of_block_thresholds_in_use", U8),
    ("unit_of_measure", ENUM8),
    ("currency", U16),
    ("price_trailing_digit", BITMAP8),
    ("standing_charge", U32),
    ("tier_block_mode", U8),
    ("block_threshold_multiplier", U24),
    ("block_threshold_divisor", U24),
)

PriceMatrixEntry = record("PriceMatrixEntry", ("tier_block_id", U8), ("price", U32))

PublishPriceMatrix = command(
    "Publish Price Matrix",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("start_time", UTC),
    ("issuer_tariff_id", U32),
    ("command_index", U8),
    ("number_of_commands", U8),
    ("sub_payload_control", BITMAP8),
    ("entries", Greedy(PriceMatrixEntry.codec)),
)

BlockThresholdGroup = record(
    "BlockThresholdGroup",
    ("tier_and_number_of_thresholds", BITMAP8),
    ("thresholds", Counted(U48, by="tier_and_number_of_thresholds", mask=0x0F)),
)
"""Tier in the high nibble, number of thresholds that follow in the low nibble."""

PublishBlockThresholds = command(
    "Publish Block Thresholds",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("start_time", UTC),
    ("issuer_tariff_id", U32),
    ("command_index", U8),
    ("number_of_commands", U8),
    ("sub_payload_control", BITMAP8),
    ("tiers", Greedy(BlockThresholdGroup.codec)),
)

PublishBillingPeriod = command(
    "Publish Billing Period",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("billing_period_start_time", UTC),
    ("billing_period_duration", U24),
    ("billing_period_duration_type", BITMAP8),
    ("tariff_type", BITMAP8),
)

COMMANDS = (
    (C2S, 0x00, GetCurrentPrice),
    (C2S, 0x0B, GetBillingPeriod),
    (S2C, 0x00, PublishPrice),
    (S2C, 0x01, PublishBlockPeriod),
    (S2C, 0x02, PublishConversionFactor),
    (S2C, 0x03, PublishCalorificValue),
    (S2C, 0x04, PublishTariffInformation),
    (S2C, 0x05, PublishPriceMatrix),
    (S2C, 0x06, PublishBlockThresholds),
    (S2C, 0x09, PublishBillingPeriod),
)

# =====================================================================================
# Attributes
# =====================================================================================


def _attributes() -> dict[int, str]:
    names = {0x0000 + tier - 1: f"Tier{tier}PriceLabel" for tier in range(1, 49)}
    names.update({0x0100 + block - 1: f"Block{block}Threshold" for block in range(1, 16)})
    names[0x010F] = "BlockThresholdCount"
    names.update({
        0x0200: "StartOfBlockPeriod", 0x0201: "BlockPeriodDuration",
        0x0202: "ThresholdMultiplier", 0x0203: "ThresholdDivisor",
        0x0204: "BlockPeriodDurationType",
        0x0300: "CommodityType", 0x0301: "StandingCharge", 0x0302: "ConversionFactor",
        0x0303: "ConversionFactorTrailingDigit", 0x0304: "CalorificValue",
        0x0305: "CalorificValueUnit", 0x0306: "CalorificValueTrailingDigit",
    })
    for tier in range(16):
        for block in range(1, 17):
            prefix = f"Tier{tier}" if tier else "NoTier"
            names[0x0400 + 16 * tier + block - 1] = f"{prefix}Block{block}Price"
    names.update({
        0x0610: "TariffLabel", 0x0611: "NumberOfPriceTiersInUse",
        0x0612: "NumberOfBlockThresholdsInUse", 0x0613: "TierBlockMode",
        0x0615: "UnitOfMeasure", 0x0616: "Currency", 0x0617: "PriceTrailingDigit",
        0x0619: "TariffResolutionPeriod",
        0x0700: "CurrentBillingPeriodStart", 0x0701: "CurrentBillingPeriodDuration",
        0x0702: "LastBillingPeriodStart", 0x0703: "LastBillingPeriodDuration",
        0x0704: "LastBillingPeriodConsolidatedBill",
    })
    return names


ATTRIBUTES = _attributes()
