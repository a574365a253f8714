"""Payload builder for GCS05 (2.1 on the GSME): prepayment settings and the
non-disablement (friendly credit) calendar.

Each setting or calendar part is sent when its data items are given, in this order:
Emergency Credit Setup (``EmergencyCreditLimit``, ``EmergencyCreditThreshold``), Set
Overall Debt Cap (``OverallDebtCap``), Set Low Credit Warning Level
(``LowCreditThreshold``), Set Maximum Credit Limit (``MaximumCreditThreshold``,
``MaximumCreditPerTopUp``), money in pence to a thousandth; then the calendar:
``NonDisablementDayProfiles`` (per day profile, from day 1, its (HH:MM, state) switch
points, state 1 non-disablement), ``NonDisablementWeekProfiles`` (per week profile, from
week 1, seven day profile ids from Monday), ``NonDisablementSeasons`` ((start date, week
id)) and ``NonDisablementSpecialDays`` ((date, day profile id)); dates ``YYYY-MM-DD`` or
``*-MM-DD``. Everything takes effect now, or at the request's execution date-time when it
is device future-dated. These are harness-own data item names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from firmware_emu.dcc.transform_calendars import calendar_date
from firmware_emu.dcc.transform_gbz_prepay import money_units
from firmware_emu.dcc.transform_gbz_reads import Component, gbz
from firmware_emu.dcc.transform_rows import BuildContext, TransformError
from gbcs.gbz import zcl_command
from gbcs.gbz.clusters_calendar import (
    DayScheduleEntry,
    PublishCalendar,
    PublishDayProfile,
    PublishSeasons,
    PublishSpecialDays,
    PublishWeekProfile,
    SeasonEntry,
    SpecialDayEntry,
)
from gbcs.gbz.clusters_prepayment import (
    EmergencyCreditSetup,
    SetLowCreditWarningLevel,
    SetMaximumCreditLimit,
    SetOverallDebtCap,
)
from gbcs.gbz.zcl_types import ZclDate
from gbcs.primitives import datetime_to_utc_seconds

FRIENDLY_CREDIT_CALENDAR = 3  # calendar type
YEAR_BASE = 1900
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def start_time(ctx: BuildContext) -> int:
    """A ZCL start time: 0 (now), or the request's device future-dated execution time."""
    execution = ctx.request.execution_datetime
    return 0 if execution is None else datetime_to_utc_seconds(execution)


def _given(ctx: BuildContext, *names: str) -> bool:
    present = [name in ctx.request.parameters for name in names]
    if any(present) and not all(present):
        raise TransformError(f"SRV 2.1 needs {' and '.join(names)} together")
    return all(present)


def list_item(ctx: BuildContext, name: str) -> Sequence[object]:
    given = ctx.param(name)
    if isinstance(given, str | bytes) or not isinstance(given, Sequence) or not given:
        raise TransformError(f"{name} must be a non-empty list")
    return given


def _zcl_date(given: object, what: str) -> ZclDate:
    raw = calendar_date(given, what)
    year = int.from_bytes(raw[:2], "big")
    return ZclDate(0xFF if year == 0xFFFF else year - YEAR_BASE, raw[2], raw[3], 0xFF)


def _minutes(given: object) -> int:
    try:
        hour, minute = (int(part) for part in str(given).split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise TransformError(f"day profile time {given!r} is not HH:MM") from None
    return hour * 60 + minute


def _pairs(ctx: BuildContext, name: str) -> list[tuple[object, int]]:
    pairs = []
    for entry in list_item(ctx, name):
        try:
            first, second = entry
        except (TypeError, ValueError):
            raise TransformError(f"{name} entry {entry!r} is not a pair") from None
        if isinstance(second, bool) or not isinstance(second, int) or not 0 <= second < 256:
            raise TransformError(f"{name} entry {entry!r} needs a number 0-255")
        pairs.append((first, second))
    return pairs


def _settings(ctx: BuildContext, event: int, start: int) -> list[Component]:
    parts: list[Component] = []
    if _given(ctx, "EmergencyCreditLimit", "EmergencyCreditThreshold"):
        parts.append((zcl_command(EmergencyCreditSetup(
            issuer_event_id=event, start_time=start,
            emergency_credit_limit=money_units(ctx, "EmergencyCreditLimit"),
            emergency_credit_threshold=money_units(ctx, "EmergencyCreditThreshold"))), None))
    if _given(ctx, "OverallDebtCap"):
        parts.append((zcl_command(SetOverallDebtCap(
            provider_id=0, issuer_event_id=event, implementation_date_time=start,
            overall_debt_cap=money_units(ctx, "OverallDebtCap"))), None))
    if _given(ctx, "LowCreditThreshold"):
        parts.append((zcl_command(SetLowCreditWarningLevel(
            low_credit_warning_level=money_units(ctx, "LowCreditThreshold"))), start))
    if _given(ctx, "MaximumCreditThreshold", "MaximumCreditPerTopUp"):
        parts.append((zcl_command(SetMaximumCreditLimit(
            provider_id=0, issuer_event_id=event, implementation_date_time=start,
            maximum_credit_level=money_units(ctx, "MaximumCreditThreshold"),
            maximum_credit_per_top_up=money_units(ctx, "MaximumCreditPerTopUp"))), None))
    return parts


CalendarNames = tuple[str, str, str, str]
NON_DISABLEMENT: CalendarNames = ("NonDisablementDayProfiles", "NonDisablementWeekProfiles",
                                  "NonDisablementSeasons", "NonDisablementSpecialDays")


def publish_calendar(ctx: BuildContext, start: int, names: CalendarNames, calendar_type: int,
                     highest_value: int, *, always_special_days: bool) -> list[Component]:
    """Publish Calendar, Day Profiles, Week Profiles, Seasons and Special Days from the
    data items ``names`` (day profiles, week profiles, seasons, special days); a day
    profile's switch points carry values 0..``highest_value``."""
    day_name, week_name, season_name, special_name = names
    event = ctx.issuer_event_id
    days = list_item(ctx, day_name)
    weeks = list_item(ctx, week_name)
    seasons = _pairs(ctx, season_name)
    ids = {"provider_id": 0, "issuer_event_id": event, "issuer_calendar_id": event}
    parts: list[Component] = [(zcl_command(PublishCalendar(
        **ids, start_time=start, calendar_type=calendar_type,
        calendar_time_reference=0, calendar_name=b"", number_of_seasons=len(seasons),
        number_of_week_profiles=len(weeks), number_of_day_profiles=len(days))), None)]
    for day_id, switch_points in enumerate(days, 1):
        entries = [DayScheduleEntry(_minutes(time), value) for time, value in
                   _pairs_of(switch_points, f"day profile {day_id}", highest_value)]
        parts.append((zcl_command(PublishDayProfile(
            **ids, day_id=day_id, total_number_of_schedule_entries=len(entries),
            command_index=0, total_number_of_commands=1,
            calendar_type=calendar_type, entries=tuple(entries))), None))
    for week_id, day_ids in enumerate(weeks, 1):
        if isinstance(day_ids, str) or not isinstance(day_ids, Sequence) \
                or len(day_ids) != len(_DAY_NAMES) or not set(day_ids) <= set(range(1, 256)):
            raise TransformError(f"week profile {week_id} needs seven day profile ids")
        parts.append((zcl_command(PublishWeekProfile(
            **ids, week_id=week_id, **{f"day_id_ref_{name}": day
                                       for name, day in zip(_DAY_NAMES, day_ids, strict=True)}
        )), None))
    parts.append((zcl_command(PublishSeasons(
        **ids, command_index=0, total_number_of_commands=1, seasons=tuple(
            SeasonEntry(_zcl_date(date, season_name), week) for date, week in seasons))), None))
    if always_special_days or special_name in ctx.request.parameters:
        special = _pairs(ctx, special_name) if ctx.request.parameters.get(special_name) else []
        parts.append((zcl_command(PublishSpecialDays(
            **ids, start_time=start, calendar_type=calendar_type,
            total_number_of_special_days=len(special), command_index=0,
            total_number_of_commands=1, special_days=tuple(
                SpecialDayEntry(_zcl_date(date, special_name), day)
                for date, day in special))), None))
    return parts


def _pairs_of(points: object, what: str, highest_value: int) -> list[tuple[object, int]]:
    if isinstance(points, str) or not isinstance(points, Sequence) or not points:
        raise TransformError(f"{what} must list (HH:MM, value) switch points")
    result = []
    for point in points:
        try:
            time, value = point
        except (TypeError, ValueError):
            raise TransformError(f"{what}: {point!r} is not (HH:MM, value)") from None
        if isinstance(value, bool) or not isinstance(value, int) \
                or not 0 <= value <= highest_value:
            raise TransformError(f"{what}: the value must be 0-{highest_value}")
        result.append((time, value))
    return result


def _components(ctx: BuildContext) -> Iterable[Component]:
    event, start = ctx.issuer_event_id, start_time(ctx)
    parts = _settings(ctx, event, start)
    if "NonDisablementDayProfiles" in ctx.request.parameters:
        parts += publish_calendar(ctx, start, NON_DISABLEMENT, FRIENDLY_CREDIT_CALENDAR, 1,
                                  always_special_days=False)
    if not parts:
        raise TransformError("SRV 2.1 needs a prepayment setting or a non-disablement "
                             "calendar")
    return parts


gsme_prepayment_configuration = gbz(_components)
"""GCS05 (2.1)."""
