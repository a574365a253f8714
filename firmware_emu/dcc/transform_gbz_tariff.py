"""Payload builder of GCS01a (1.1.1 on the GSME): the tariff calendar, tariff information,
block thresholds and price matrix, taking effect now or at the request's device
future-dated execution time.

Data items: the calendar's ``TariffDayProfiles`` ((HH:MM, price tier) switch points per
day profile; tier 0 for a block tariff), ``TariffWeekProfiles`` (seven day profile ids
from Monday), ``TariffSeasons`` ((start date, week profile id), dates ``YYYY-MM-DD`` or
``*-MM-DD``) and ``TariffSpecialDays`` ((date, day profile id)); ``StandingCharge`` and
either ``TOUPrices`` (tiers 1...) or ``BlockPrices`` (one list, blocks 1..4) with
``GasThresholdMatrix`` (Wh), prices in 10^-5 of the currency (GBP).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from firmware_emu.dcc.transform_gbz_calendar import list_item, publish_calendar, start_time
from firmware_emu.dcc.transform_gbz_reads import Component, gbz
from firmware_emu.dcc.transform_rows import BuildContext, TransformError
from gbcs.gbz import zcl_command
from gbcs.gbz.clusters_price import (
    BlockThresholdGroup,
    PriceMatrixEntry,
    PublishBlockThresholds,
    PublishPriceMatrix,
    PublishTariffInformation,
)

TARIFF_CALENDAR = 0  # calendar type: delivered (import) tariff
TARIFF_ID = 1
TOU_TARIFF, BLOCK_TARIFF = 0x00, 0x10  # tariff type / charging scheme
KWH, GBP = 0, 826  # unit of measure, ISO 4217 currency
PRICE_TRAILING_DIGIT = 0x50  # prices in 10^-5 of the currency
NO_TIER_BLOCK_MODE = 0xFF
THRESHOLD_MULTIPLIER, THRESHOLD_DIVISOR = 1, 1000  # thresholds in Wh
TOU_TIERS, BLOCKS = 48, 4
TIER_ONLY, BLOCK_AND_TIER = 1, 0  # price matrix / block thresholds sub-payload control
TARIFF: tuple[str, str, str, str] = ("TariffDayProfiles", "TariffWeekProfiles",
                                     "TariffSeasons", "TariffSpecialDays")


def _numbers(given: object, name: str, limit: int, high: int) -> list[int]:
    if isinstance(given, str | bytes) or not isinstance(given, Sequence) \
            or not 0 < len(given) <= limit or not all(
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v < high
                for v in given):
        raise TransformError(f"{name} must be 1-{limit} whole numbers below {high}")
    return list(given)


def _components(ctx: BuildContext) -> Iterable[Component]:
    start, event = start_time(ctx), ctx.issuer_event_id
    standing = _numbers([ctx.param("StandingCharge")], "StandingCharge", 1, 2**32)[0]
    block = "BlockPrices" in ctx.request.parameters
    if block == ("TOUPrices" in ctx.request.parameters):
        raise TransformError("SRV 1.1.1 on a GSME needs TOUPrices or BlockPrices")
    if block:
        sets = list_item(ctx, "BlockPrices")
        if len(sets) != 1:
            raise TransformError("a GSME has one list of BlockPrices")
        prices = _numbers(sets[0], "BlockPrices", BLOCKS, 2**32)
        thresholds = _numbers(ctx.param("GasThresholdMatrix"), "GasThresholdMatrix",
                              BLOCKS - 1, 2**48)
    else:
        prices, thresholds = _numbers(ctx.param("TOUPrices"), "TOUPrices", TOU_TIERS, 2**32), []
    tariff = {"provider_id": 0, "issuer_event_id": event, "start_time": start,
              "issuer_tariff_id": TARIFF_ID, "command_index": 0, "number_of_commands": 1}
    parts = publish_calendar(ctx, start, TARIFF, TARIFF_CALENDAR, TOU_TIERS,
                             always_special_days=True)
    parts.append((zcl_command(PublishTariffInformation(
        provider_id=0, issuer_event_id=event, issuer_tariff_id=TARIFF_ID, start_time=start,
        tariff_type_charging_scheme=BLOCK_TARIFF if block else TOU_TARIFF, tariff_label=b"",
        number_of_price_tiers_in_use=0 if block else len(prices),
        number_of_block_thresholds_in_use=len(thresholds), unit_of_measure=KWH, currency=GBP,
        price_trailing_digit=PRICE_TRAILING_DIGIT, standing_charge=standing,
        tier_block_mode=NO_TIER_BLOCK_MODE, block_threshold_multiplier=THRESHOLD_MULTIPLIER,
        block_threshold_divisor=THRESHOLD_DIVISOR)), None))
    if block:
        parts.append((zcl_command(PublishBlockThresholds(
            **tariff, sub_payload_control=TIER_ONLY, tiers=(
                BlockThresholdGroup(len(thresholds), tuple(thresholds)),))), None))
    parts.append((zcl_command(PublishPriceMatrix(
        **tariff, sub_payload_control=BLOCK_AND_TIER if block else TIER_ONLY,
        entries=tuple(PriceMatrixEntry(n if block else n + 1, price)
                      for n, price in enumerate(prices)))), None))
    return parts


gsme_tariff = gbz(_components)
"""GCS01a (1.1.1)."""
