"""Calendar cluster (0x0707): TOU / friendly-credit / auxiliary-switch calendars."""

from __future__ import annotations

from gbcs.gbz.records import Greedy, command, record
from gbcs.gbz.zcl_types import C2S, ENUM8, OCTET_STRING, S2C, ZclDate
from gbcs.gbz.zcl_types import UINT8 as U8
from gbcs.gbz.zcl_types import UINT16 as U16
from gbcs.gbz.zcl_types import UINT32 as U32
from gbcs.gbz.zcl_types import UTC_TIME as UTC

CLUSTER_ID = 0x0707
NAME = "Calendar"

CALENDAR_TYPES = {0: "delivered", 1: "received", 2: "delivered and received",
                  3: "friendly credit", 4: "auxiliary load switch"}

# =====================================================================================
# Client to server
# =====================================================================================

GetCalendar = command(
    "Get Calendar",
    ("earliest_start_time", UTC),
    ("min_issuer_event_id", U32),
    ("number_of_calendars", U8),
    ("calendar_type", ENUM8),
    ("provider_id", U32),
)

GetDayProfiles = command(
    "Get Day Profiles",
    ("provider_id", U32),
    ("issuer_calendar_id", U32),
    ("start_day_id", U8),
    ("number_of_days", U8),
)

GetWeekProfiles = command(
    "Get Week Profiles",
    ("provider_id", U32),
    ("issuer_calendar_id", U32),
    ("start_week_id", U8),
    ("number_of_weeks", U8),
)

GetSeasons = command("Get Seasons", ("provider_id", U32), ("issuer_calendar_id", U32))

GetSpecialDays = command(
    "Get Special Days",
    ("start_time", UTC),
    ("number_of_events", U8),
    ("calendar_type", ENUM8),
    ("provider_id", U32),
    ("issuer_calendar_id", U32),
)

# =====================================================================================
# Server to client
# =====================================================================================

PublishCalendar = command(
    "Publish Calendar",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("issuer_calendar_id", U32),
    ("start_time", UTC),
    ("calendar_type", ENUM8),
    ("calendar_time_reference", ENUM8),
    ("calendar_name", OCTET_STRING),
    ("number_of_seasons", U8),
    ("number_of_week_profiles", U8),
    ("number_of_day_profiles", U8),
)

DayScheduleEntry = record(
    "DayScheduleEntry",
    ("start_time_minutes", U16),
    ("price_tier", U8),  # friendly-credit enable / switch state for those calendar types
)

PublishDayProfile = command(
    "Publish Day Profile",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("issuer_calendar_id", U32),
    ("day_id", U8),
    ("total_number_of_schedule_entries", U8),
    ("command_index", U8),
    ("total_number_of_commands", U8),
    ("calendar_type", ENUM8),
    ("entries", Greedy(DayScheduleEntry.codec)),
)

PublishWeekProfile = command(
    "Publish Week Profile",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("issuer_calendar_id", U32),
    ("week_id", U8),
    ("day_id_ref_monday", U8),
    ("day_id_ref_tuesday", U8),
    ("day_id_ref_wednesday", U8),
    ("day_id_ref_thursday", U8),
    ("day_id_ref_friday", U8),
    ("day_id_ref_saturday", U8),
    ("day_id_ref_sunday", U8),
)

SeasonEntry = record("SeasonEntry", ("season_start_date", ZclDate.codec), ("week_id_ref", U8))

PublishSeasons = command(
    "Publish Seasons",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("issuer_calendar_id", U32),
    ("command_index", U8),
    ("total_number_of_commands", U8),
    ("seasons", Greedy(SeasonEntry.codec)),
)

SpecialDayEntry = record(
    "SpecialDayEntry", ("special_day_date", ZclDate.codec), ("day_id_ref", U8))

PublishSpecialDays = command(
    "Publish Special Days",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("issuer_calendar_id", U32),
    ("start_time", UTC),
    ("calendar_type", ENUM8),
    ("total_number_of_special_days", U8),
    ("command_index", U8),
    ("total_number_of_commands", U8),
    ("special_days", Greedy(SpecialDayEntry.codec)),
)

COMMANDS = (
    (C2S, 0x00, GetCalendar),
    (C2S, 0x01, GetDayProfiles),
    (C2S, 0x02, GetWeekProfiles),
    (C2S, 0x03, GetSeasons),
    (C2S, 0x04, GetSpecialDays),
    (S2C, 0x00, PublishCalendar),
    (S2C, 0x01, PublishDayProfile),
    (S2C, 0x02, PublishWeekProfile),
    (S2C, 0x03, PublishSeasons),
    (S2C, 0x04, PublishSpecialDays),
)

ATTRIBUTES: dict[int, str] = {}
