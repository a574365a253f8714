"""Payload builders for the auxiliary calendars: ECS46c (6.14.2, switches) and ECS46d
(6.14.3, auxiliary controllers).

Both set the passive special days (0-1:11.0.3.255) and the passive calendar
(0-1:12.0.2.255) and then their activation date-times: now, or the request's execution
date-time when it is device future-dated. ECS46c first sets, per switch, the HAN device
(HCALCS) it drives (0-0:94.44.0.2n; all zero for none).

Harness-own data items:

* ``AuxiliaryLoadHANDevices`` (6.14.2): per switch from switch 1, an EUI-64 or None;
* ``AuxiliarySpecialDays``: dates ``YYYY-MM-DD``, or ``*-MM-DD`` for every year; the
  n-th is special day n;
* ``AuxiliaryCalendar``: entries, each a mapping of ``Time`` (HH:MM[:SS]), ``Weekdays``
  (seven bits from Monday, by default every day), ``SpecialDays`` (one bit per special day,
  by default none), ``From`` and ``To`` (dates as above, or ``*``, the default, for any),
  and what to do: for 6.14.2 ``Switch`` (1-5) and ``State`` (``On`` or ``Off``), for
  6.14.3 ``Controller`` (see :data:`~firmware_emu.dcc.transform_auxiliary.CONTROLLERS`),
  ``Number`` and ``Level`` (percent).

Script ids: a switch's high byte its number, low byte 1 on / 2 off; a controller's high
byte its kind and number, low byte 0x80 plus the level.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from firmware_emu.dcc.transform_auxiliary import (
    AUX_SWITCH_SCRIPTS,
    AUX_SWITCHES,
    CONTROLLERS,
    schedule_entry,
    time_of_day,
)
from firmware_emu.dcc.transform_dlms import dlms_request
from firmware_emu.dcc.transform_rows import BuildContext, PayloadBuilder, TransformError, cosem_time
from firmware_emu.dcc.transform_settings import IMMEDIATE_ACTIVATION
from gbcs.dlms import AccessRequest, AccessRequestSet, ObisCode, axdr, obis

SWITCH_STATES = {"On": 1, "Off": 2}
SCHEDULED_LEVEL = 0x80
ANY = "*"
_DATE = re.compile(r"(\*|\d{4})-(\d{2})-(\d{2})")
_SPECIAL_DAYS = AccessRequestSet(11, obis("0-1:11.0.3.255"), 2)
_CALENDAR = AccessRequestSet(10, obis("0-1:12.0.2.255"), 2)
_ACTIVATIONS = (AccessRequestSet(9000, obis("0-0:94.44.128.26"), 6),
                AccessRequestSet(9000, obis("0-0:94.44.128.35"), 6))
Entry = Mapping[str, object]


def calendar_date(given: object, what: str) -> bytes:
    """A COSEM date (year, month, day, day of week) of ``YYYY-MM-DD``, ``*-MM-DD`` or ``*``."""
    if given == ANY:
        return bytes.fromhex("FFFFFFFFFF")
    match = _DATE.fullmatch(str(given))
    month, day = (int(match.group(n)) for n in (2, 3)) if match else (0, 0)
    if match is None or not (1 <= month <= 12 and 1 <= day <= 31):
        raise TransformError(f"{what} {given!r} is not a date YYYY-MM-DD or *-MM-DD")
    year = 0xFFFF if match.group(1) == ANY else int(match.group(1))
    return year.to_bytes(2, "big") + bytes((month, day, 0xFF))


def _bits(given: object, length: int, what: str) -> str:
    if not isinstance(given, str) or len(given) != length or set(given) - {"0", "1"}:
        raise TransformError(f"{what} must be {length} bits (0 and 1), not {given!r}")
    return given


def _sequence(ctx: BuildContext, name: str) -> Sequence[object]:
    given = ctx.param(name)
    if isinstance(given, str | bytes) or not isinstance(given, Sequence) or not given:
        raise TransformError(f"{name} must be a non-empty list")
    return given


def switch_script(entry: Entry) -> int:
    switch, state = entry.get("Switch"), entry.get("State")
    if switch not in AUX_SWITCHES or state not in SWITCH_STATES:
        raise TransformError(f"a calendar entry needs Switch 1-5 and State On or Off: {entry}")
    return int(switch) << 8 | SWITCH_STATES[str(state)]


def controller_script(entry: Entry) -> int:
    kind, number, level = (entry.get(key) for key in ("Controller", "Number", "Level"))
    if kind not in CONTROLLERS or not isinstance(number, int) or not 0 < number < 16 \
            or not isinstance(level, int) or not 0 <= level <= 100:
        raise TransformError(f"a calendar entry needs Controller ({', '.join(CONTROLLERS)}), "
                             f"Number 1-15 and Level 0-100: {entry}")
    return (CONTROLLERS[str(kind)][0] << 4 | number) << 8 | SCHEDULED_LEVEL | level


def special_days(ctx: BuildContext, name: str) -> axdr.Data:
    """A special days table: the n-th date of data item ``name`` is special day n."""
    return axdr.array(*(
        axdr.structure(axdr.long_unsigned(n), axdr.octet_string(calendar_date(day, name)),
                       axdr.unsigned(n))
        for n, day in enumerate(_sequence(ctx, name), 1)))


def special_day_count(ctx: BuildContext, name: str) -> int:
    return len(_sequence(ctx, name)) if name in ctx.request.parameters else 0


def calendar_entries(ctx: BuildContext, name: str, scripts: ObisCode,
                     script: Callable[[Entry], int], special_days: int) -> axdr.Data:
    """A schedule's entries from data item ``name`` (see the module's description)."""
    return axdr.array(*(_entry(n, entry, scripts, script, special_days)
                        for n, entry in enumerate(_sequence(ctx, name), 1)))


def _entry(index: int, entry: object, scripts: ObisCode, script: Callable[[Entry], int],
           special_days: int) -> axdr.Data:
    if not isinstance(entry, Mapping):
        raise TransformError(f"calendar entry {index} must be a mapping")
    return schedule_entry(
        index, scripts.raw, script(entry),
        time_of_day(entry.get("Time"), "calendar entry Time"),
        _bits(entry.get("Weekdays", "1" * 7), 7, "Weekdays"),
        _bits(entry.get("SpecialDays", "0" * special_days), special_days, "SpecialDays"),
        calendar_date(entry.get("From", ANY), "From"), calendar_date(entry.get("To", ANY), "To"))


def _han_devices(ctx: BuildContext) -> list[tuple[AccessRequestSet, axdr.Data]]:
    devices = ctx.request.parameters.get("AuxiliaryLoadHANDevices", ())
    if isinstance(devices, str) or not isinstance(devices, Sequence) \
            or len(devices) > len(AUX_SWITCHES):
        raise TransformError("AuxiliaryLoadHANDevices must list up to five EUI-64s or None")
    items = []
    for switch, device in enumerate(devices, 1):
        eui = bytes(8) if device in (None, "") else _eui(device)
        items.append((AccessRequestSet(1, obis(f"0-0:94.44.0.{20 + switch}"), 2),
                      axdr.octet_string(eui)))
    return items


def _eui(device: object) -> bytes:
    text = str(device).replace("-", "")
    if not re.fullmatch(r"[0-9A-Fa-f]{16}", text):
        raise TransformError(f"AuxiliaryLoadHANDevices: {device!r} is not an EUI-64")
    return bytes.fromhex(text)


def auxiliary_calendar(script: Callable[[Entry], int], *, han_devices: bool) -> PayloadBuilder:
    """ECS46c (``switch_script``, with the HAN devices) / ECS46d (``controller_script``)."""

    def build(ctx: BuildContext) -> AccessRequest:
        days = special_days(ctx, "AuxiliarySpecialDays")
        entries = calendar_entries(ctx, "AuxiliaryCalendar", AUX_SWITCH_SCRIPTS, script,
                                   special_day_count(ctx, "AuxiliarySpecialDays"))
        execution = ctx.request.execution_datetime
        when = IMMEDIATE_ACTIVATION if execution is None else cosem_time(execution).to_bytes()
        return dlms_request(ctx, [
            *(_han_devices(ctx) if han_devices else ()),
            (_SPECIAL_DAYS, days), (_CALENDAR, entries),
            *((spec, axdr.octet_string(when)) for spec in _ACTIVATIONS)])

    return build
