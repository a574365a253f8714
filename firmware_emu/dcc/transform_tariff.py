"""Payload builders of 1.1.1 / 1.1.2 Update Import Tariff on the ESME (ECS01a primary
element, ECS01c secondary element): the passive activity calendar (seasons, week and day
profiles), special days and prices, for ECS01a also the block thresholds and currency
unit, then their activation date-times (now, or the request's execution date-time when it
is device future-dated).

Harness-own data items, besides the prices of :mod:`~firmware_emu.dcc.transform_prices`:

* ``TariffSeasons``: (name, start date ``YYYY-MM-DD``, week profile id) triples;
* ``TariffWeekProfiles``: per week profile, from id 1, seven day profile ids from Monday;
* ``TariffDayProfiles``: per day profile, from id 1, its (HH:MM[:SS], script selector)
  switch points; the selector is the TOU rate (1-48) or, for a block tariff, 100 plus the
  TOU-block set (101-104), and for the secondary element 200 plus its TOU rate (201-204),
  run from the tariff switching script table;
* ``TariffSpecialDays``: (date ``YYYY-MM-DD`` or ``*-MM-DD``, day profile id) pairs;
* ``BlockThresholds``: up to eight lists of up to three block thresholds (the register
  monitors 0-0:16.1.11-18.255; the highest threshold always follows);
* ``CurrencyUnit``: ``GBP`` (the default) or ``EUR``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from firmware_emu.dcc.transform_auxiliary import time_of_day
from firmware_emu.dcc.transform_calendars import calendar_date
from firmware_emu.dcc.transform_dlms import dlms_request
from firmware_emu.dcc.transform_payment import activation_time
from firmware_emu.dcc.transform_prices import (
    charge_activations,
    passive_charges,
    primary_charges,
    secondary_charges,
)
from firmware_emu.dcc.transform_rows import BuildContext, TransformError, cosem_time
from gbcs.dlms import AccessRequest, AccessRequestSet, ObisCode, axdr, obis

ACTIVITY_CALENDAR = obis("0-0:13.0.0.255")
TARIFF_SCRIPTS = obis("0-0:10.0.100.255")
SPECIAL_DAYS = obis("0-1:11.0.0.255")
BLOCK_THRESHOLD_MONITORS = tuple(obis(f"0-0:16.1.{11 + n}.255") for n in range(8))
NO_THRESHOLD = 0xFFFFFFFF
MAX_THRESHOLDS = 3
CURRENCY = obis("0-0:94.44.2.0")
CURRENCY_UNITS = {"GBP": True, "EUR": False}
SPECIAL_DAYS_ACTIVATION = obis("0-0:94.44.128.29")
SECONDARY_CALENDAR = obis("0-0:13.0.1.255")
SECONDARY_SPECIAL_DAYS = obis("0-1:11.0.1.255")
SECONDARY_SPECIAL_DAYS_ACTIVATION = obis("0-0:94.44.128.30")
THRESHOLD_ACTIVATION = obis("0-0:63.1.1.255")
_SEASONS, _WEEKS, _DAYS, _ACTIVATE_CALENDAR = 7, 8, 9, 10


def _list(ctx: BuildContext, name: str, *, empty: bool = False) -> Sequence[object]:
    given = ctx.param(name, () if empty else None)
    if isinstance(given, str | bytes) or not isinstance(given, Sequence) \
            or not (given or empty):
        raise TransformError(f"{name} must be a{'' if empty else ' non-empty'} list")
    return given


def _entries(ctx: BuildContext, name: str, size: int, *, empty: bool = False
             ) -> list[Sequence[object]]:
    entries = []
    for entry in _list(ctx, name, empty=empty):
        if isinstance(entry, str) or not isinstance(entry, Sequence) or len(entry) != size:
            raise TransformError(f"{name} entry {entry!r} must have {size} parts")
        entries.append(entry)
    return entries


def _small(value: object, what: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 0xFF:
        raise TransformError(f"{what} must be a number {low}-255, not {value!r}")
    return value


def _seasons(ctx: BuildContext) -> axdr.Data:
    return axdr.array(*(
        axdr.structure(axdr.octet_string(str(name).encode("ascii")), axdr.octet_string(
            cosem_time(_day(start)).to_bytes()),
            axdr.octet_string(bytes((_small(week, "a season's week profile"),))))
        for name, start, week in _entries(ctx, "TariffSeasons", 3)))


def _day(given: object) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(str(given)), time(), UTC)
    except ValueError:
        raise TransformError(f"season start {given!r} is not a date YYYY-MM-DD") from None


def _weeks(ctx: BuildContext) -> axdr.Data:
    return axdr.array(*(
        axdr.structure(axdr.octet_string(bytes((week,))),
                       *(axdr.unsigned(_small(day, "a week's day profile")) for day in days))
        for week, days in enumerate(_entries(ctx, "TariffWeekProfiles", 7), 1)))


def _days(ctx: BuildContext) -> axdr.Data:
    profiles = []
    for day, points in enumerate(_list(ctx, "TariffDayProfiles"), 1):
        if isinstance(points, str) or not isinstance(points, Sequence) or not points:
            raise TransformError(f"day profile {day} must list (time, selector) points")
        actions = []
        for point in points:
            if isinstance(point, str) or not isinstance(point, Sequence) or len(point) != 2:
                raise TransformError(f"day profile {day}: {point!r} is not (time, selector)")
            actions.append(axdr.structure(
                axdr.octet_string(time_of_day(point[0], f"day profile {day} time")),
                axdr.octet_string(TARIFF_SCRIPTS.raw),
                axdr.long_unsigned(_small(point[1], "a script selector"))))
        profiles.append(axdr.structure(axdr.unsigned(day), axdr.array(*actions)))
    return axdr.array(*profiles)


def _special_days(ctx: BuildContext) -> axdr.Data:
    return axdr.array(*(
        axdr.structure(axdr.long_unsigned(n), axdr.octet_string(
            calendar_date(day, "TariffSpecialDays")), axdr.unsigned(
            _small(profile, "a special day's day profile")))
        for n, (day, profile) in enumerate(_entries(ctx, "TariffSpecialDays", 2,
                                                     empty=True), 1)))


def _thresholds(ctx: BuildContext) -> list[axdr.Data]:
    given = _list(ctx, "BlockThresholds", empty=True)
    if len(given) > len(BLOCK_THRESHOLD_MONITORS):
        raise TransformError("BlockThresholds must hold at most eight lists")
    monitors = []
    for n in range(len(BLOCK_THRESHOLD_MONITORS)):
        values = given[n] if n < len(given) else ()
        if isinstance(values, str) or not isinstance(values, Sequence) \
                or len(values) > MAX_THRESHOLDS or not all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 <= v < NO_THRESHOLD
                    for v in values):
            raise TransformError(f"BlockThresholds must be lists of at most {MAX_THRESHOLDS} "
                                 "whole numbers below 2**32-1")
        monitors.append(axdr.array(*(axdr.double_long_unsigned(v)
                                     for v in (*values, NO_THRESHOLD))))
    return monitors


def _calendar(ctx: BuildContext, calendar: ObisCode, special_days: ObisCode
              ) -> list[tuple[AccessRequestSet, axdr.Data]]:
    return [(AccessRequestSet(20, calendar, _SEASONS), _seasons(ctx)),
            (AccessRequestSet(20, calendar, _WEEKS), _weeks(ctx)),
            (AccessRequestSet(20, calendar, _DAYS), _days(ctx)),
            (AccessRequestSet(11, special_days, 2), _special_days(ctx))]


def update_tariff(ctx: BuildContext) -> AccessRequest:
    """ECS01a (1.1.1): the primary element's tariff."""
    unit = ctx.param("CurrencyUnit", "GBP")
    if unit not in CURRENCY_UNITS:
        raise TransformError(f"CurrencyUnit must be one of {', '.join(CURRENCY_UNITS)}")
    charges = primary_charges(ctx)
    when = axdr.octet_string(activation_time(ctx))
    return dlms_request(ctx, [
        *_calendar(ctx, ACTIVITY_CALENDAR, SPECIAL_DAYS),
        *((AccessRequestSet(21, monitor, 2), thresholds)
          for monitor, thresholds in zip(BLOCK_THRESHOLD_MONITORS, _thresholds(ctx),
                                         strict=True)),
        (AccessRequestSet(9000, CURRENCY, 4), axdr.boolean(CURRENCY_UNITS[str(unit)])),
        *passive_charges(charges),
        (AccessRequestSet(20, ACTIVITY_CALENDAR, _ACTIVATE_CALENDAR), when),
        (AccessRequestSet(9000, SPECIAL_DAYS_ACTIVATION, 6), when),
        (AccessRequestSet(9000, CURRENCY, 6), when),
        *charge_activations(ctx, charges),
        (AccessRequestSet(9000, THRESHOLD_ACTIVATION, 6), when)])


def update_secondary_tariff(ctx: BuildContext) -> AccessRequest:
    """ECS01c (1.1.2): the secondary element's prices (``SecondaryTOUPrices``) and
    calendar (selectors 201-204 its TOU rates)."""
    charges = secondary_charges(ctx)
    when = axdr.octet_string(activation_time(ctx))
    return dlms_request(ctx, [
        *passive_charges(charges),
        *_calendar(ctx, SECONDARY_CALENDAR, SECONDARY_SPECIAL_DAYS),
        (AccessRequestSet(20, SECONDARY_CALENDAR, _ACTIVATE_CALENDAR), when),
        *charge_activations(ctx, charges),
        (AccessRequestSet(9000, SECONDARY_SPECIAL_DAYS_ACTIVATION, 6), when)])
