"""Calendar cluster (0x0707): TOU and friendly-credit calendars.

Day and week profiles and seasons belong to an issuer calendar id and are kept as
published; Publish Calendar makes a calendar the active one of its type (and is what a
future-dated tariff defers). Reads name a calendar by issuer id, or by the wildcards
0xFFFFFFFF (the active TOU calendar) and 0xFFFFFFFE (the active friendly-credit one).
The reads answer with the publish commands, one component per day or week profile.
"""

from __future__ import annotations

from firmware_emu.zcl.calls import Answer, CommandHandler, ZclCall, ZclFailure, succeeded
from firmware_emu.zcl.history import SnapshotCause, take_snapshot
from firmware_emu.zcl.store import ZclStore, record_key
from gbcs.errors import DecodeError
from gbcs.gbz import clusters_calendar as calendar
from gbcs.gbz.records import ZclRecord
from gbcs.gbz.zcl import ZclStatus

CLUSTER = calendar.CLUSTER_ID
FRIENDLY_CREDIT = 3
TOU_TYPES = (0, 1, 2)
ACTIVE_TOU = 0xFFFFFFFF
ACTIVE_FRIENDLY_CREDIT = 0xFFFFFFFE
ALL_TYPES = 0xFF
ALL_CALENDAR_TYPES = (0, 1, 2, 3, 4)
PUBLISH_CALENDAR = 0x00


def calendar_key(calendar_type: int) -> str:
    return record_key(CLUSTER, f"calendar:{calendar_type:02X}")


def _part_key(part: str, calendar_type: int, calendar_id: int,
              number: int | None = None) -> str:
    suffix = "" if number is None else f":{number:02X}"
    return record_key(CLUSTER, f"{part}:{calendar_type:02X}:{calendar_id:08X}{suffix}")


def special_days_key(calendar_type: int) -> str:
    return record_key(CLUSTER, f"special-days:{calendar_type:02X}")


def active_calendar(store: ZclStore, calendar_type: int) -> ZclRecord | None:
    return store.record(calendar_key(calendar_type), calendar.PublishCalendar)


def _stored_type(store: ZclStore, calendar_id: int) -> int | None:
    return next((calendar_type for calendar_type in ALL_CALENDAR_TYPES
                 if (found := active_calendar(store, calendar_type)) is not None
                 and found.issuer_calendar_id == calendar_id), None)


def calendar_type_of(call: ZclCall, calendar_id: int) -> int:
    """The type of calendar ``calendar_id``: as published in the same command, else as
    stored (week profiles and seasons do not say)."""
    for component in call.siblings:
        if (component.cluster_id, component.command_id) != (CLUSTER, PUBLISH_CALENDAR):
            continue
        try:
            body = component.zcl_command().body
        except DecodeError:
            continue
        if body.issuer_calendar_id == calendar_id:
            return body.calendar_type
    found = _stored_type(call.model.store, calendar_id)
    return TOU_TYPES[0] if found is None else found


def resolve_calendar(store: ZclStore, issuer_calendar_id: int) -> tuple[int, int] | None:
    """(calendar type, issuer calendar id) of a read's calendar, or None."""
    if issuer_calendar_id not in (ACTIVE_TOU, ACTIVE_FRIENDLY_CREDIT):
        found = _stored_type(store, issuer_calendar_id)
        return (TOU_TYPES[0] if found is None else found), issuer_calendar_id
    types = TOU_TYPES if issuer_calendar_id == ACTIVE_TOU else (FRIENDLY_CREDIT,)
    for calendar_type in types:
        found = active_calendar(store, calendar_type)
        if found is not None:
            return calendar_type, found.issuer_calendar_id
    return None


# -- publish (to the GSME) -------------------------------------------------------------------

def publish_calendar(call: ZclCall) -> Answer:
    call.model.store.put_record(calendar_key(call.body.calendar_type), call.body)
    take_snapshot(call.model.state, call.now, SnapshotCause.CHANGE_OF_CALENDAR)
    return succeeded(call)


def publish_day_profile(call: ZclCall) -> Answer:
    body = call.body
    key = _part_key("day", body.calendar_type, body.issuer_calendar_id, body.day_id)
    stored = call.model.store.record(key, calendar.PublishDayProfile)
    if stored is not None and body.command_index > 0:
        body = stored.replace(entries=stored.entries + body.entries)
    call.model.store.put_record(key, body)
    return succeeded(call)


def publish_week_profile(call: ZclCall) -> Answer:
    body = call.body
    calendar_type = calendar_type_of(call, body.issuer_calendar_id)
    call.model.store.put_record(
        _part_key("week", calendar_type, body.issuer_calendar_id, body.week_id), body)
    return succeeded(call)


def publish_seasons(call: ZclCall) -> Answer:
    body = call.body
    key = _part_key("seasons", calendar_type_of(call, body.issuer_calendar_id),
                    body.issuer_calendar_id)
    stored = call.model.store.record(key, calendar.PublishSeasons)
    if stored is not None and body.command_index > 0:
        body = stored.replace(seasons=stored.seasons + body.seasons)
    call.model.store.put_record(key, body)
    return succeeded(call)


def publish_special_days(call: ZclCall) -> Answer:
    call.model.store.put_record(special_days_key(call.body.calendar_type), call.body)
    return succeeded(call)


# -- reads -----------------------------------------------------------------------------------

def _found(records: list[ZclRecord]) -> list[ZclRecord]:
    if not records:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return records


def get_calendar(call: ZclCall) -> Answer:
    body = call.body
    types = ALL_CALENDAR_TYPES if body.calendar_type == ALL_TYPES else (body.calendar_type,)
    found = [record for record in (active_calendar(call.model.store, t) for t in types)
             if record is not None and record.issuer_event_id >= body.min_issuer_event_id
             and (body.earliest_start_time == 0
                  or record.start_time >= body.earliest_start_time)]
    if body.number_of_calendars:
        found = found[:body.number_of_calendars]
    return [call.reply(record) for record in _found(found)]


def _profiles(call: ZclCall, part: str, record_type: type[ZclRecord], first: int,
              count: int) -> Answer:
    store = call.model.store
    resolved = resolve_calendar(store, call.body.issuer_calendar_id)
    if resolved is None:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    prefix = _part_key(part, *resolved) + ":"
    records = [store.record(key, record_type) for key in store.keys(prefix)
               if int(key.rsplit(":", 1)[1], 16) >= first]
    if count:
        records = records[:count]
    return [call.reply(record) for record in _found(records)]


def get_day_profiles(call: ZclCall) -> Answer:
    return _profiles(call, "day", calendar.PublishDayProfile, call.body.start_day_id,
                     call.body.number_of_days)


def get_week_profiles(call: ZclCall) -> Answer:
    return _profiles(call, "week", calendar.PublishWeekProfile, call.body.start_week_id,
                     call.body.number_of_weeks)


def get_seasons(call: ZclCall) -> Answer:
    store = call.model.store
    resolved = resolve_calendar(store, call.body.issuer_calendar_id)
    stored = None if resolved is None else store.record(
        _part_key("seasons", *resolved), calendar.PublishSeasons)
    return [call.reply(record) for record in _found([stored] if stored else [])]


def get_special_days(call: ZclCall) -> Answer:
    body = call.body
    types = ALL_CALENDAR_TYPES if body.calendar_type == ALL_TYPES else (body.calendar_type,)
    records = [call.model.store.record(special_days_key(t), calendar.PublishSpecialDays)
               for t in types]
    return [call.reply(record) for record in _found([r for r in records if r is not None])]


HANDLERS = {
    calendar.PublishCalendar: CommandHandler(publish_calendar, "start_time"),
    calendar.PublishDayProfile: CommandHandler(publish_day_profile),
    calendar.PublishWeekProfile: CommandHandler(publish_week_profile),
    calendar.PublishSeasons: CommandHandler(publish_seasons),
    calendar.PublishSpecialDays: CommandHandler(publish_special_days, "start_time"),
    calendar.GetCalendar: CommandHandler(get_calendar, reads=True),
    calendar.GetDayProfiles: CommandHandler(get_day_profiles, reads=True),
    calendar.GetWeekProfiles: CommandHandler(get_week_profiles, reads=True),
    calendar.GetSeasons: CommandHandler(get_seasons, reads=True),
    calendar.GetSpecialDays: CommandHandler(get_special_days, reads=True),
}
