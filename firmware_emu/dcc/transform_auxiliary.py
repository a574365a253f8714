"""Payload builders for the ESME's schedules and auxiliary load / controller commands:
ECS37 (6.18.1), ECS47 (7.5, 7.8), ECS47a (7.13) and ECS47e (7.16).

Script ids, inferred from the RTDS commands (GBCS text is not at hand):

* ECS47 (script table 0-0:10.0.103.255): high byte the switch number, low byte the
  instruction, 0x11 switch on (for AuxiliaryLoadDuration) or 0x20 reset to the calendar;
* ECS47a / ECS47e (script tables 0-0:10.0.103.255 / 0-0:10.0.107.255): high byte the
  controller kind (high nibble: 1 switch or APC output, 2 APC input) and number, low byte
  the level in percent (the calendars of :mod:`~firmware_emu.dcc.transform_calendars`
  add 0x80 to it).

Harness-own data item names: ``ConfigurablePeriodStartTime`` and
``ConfigurablePeriodEndTime`` (6.18.1, HH:MM[:SS]); ``AuxiliaryLoadSwitch`` (1-5) and
``AuxiliaryLoadDuration`` (minutes, 7.5); ``AuxiliaryController`` (``ALCS``, ``APCInput``
or ``APCOutput``; by default ``ALCS``), ``AuxiliaryControllerNumber`` (1-15, by default 1)
and ``AuxiliaryControllerLevel`` (percent, by default 0 for 7.13 and 100 for 7.16) with
``StartDateTime`` (by default now) and ``EndDateTime`` (7.13, 7.16).
"""

from __future__ import annotations

from collections.abc import Callable

from firmware_emu.dcc.transform_dlms import SCRIPT_TABLE, dlms_request
from firmware_emu.dcc.transform_rows import (
    BuildContext,
    PayloadBuilder,
    TransformError,
    cosem_time,
    moment,
)
from firmware_emu.dcc.transform_settings import whole
from gbcs.dlms import (
    AccessRequest,
    AccessRequestAction,
    AccessRequestSet,
    ObisCode,
    axdr,
    obis,
)

AUX_SWITCH_SCRIPTS = obis("0-0:10.0.103.255")
APC_LIMIT_SCRIPTS = obis("0-0:10.0.107.255")
MAXIMUM_DEMAND_SCRIPTS = obis("0-0:10.128.100.255")
AUX_SWITCHES = range(1, 6)
SET_ON, RESET = 0x11, 0x20  # ECS47 instructions (low byte of the script id)
START_PERIOD, END_PERIOD = 1, 2  # maximum demand configurable period scripts
EVERY_DAY = "1111111"
ANY_DATE = bytes.fromhex("FFFFFFFFFF")
FIRST_MONTH = bytes.fromhex("000001FFFF")  # ECS37 schedule entries' begin date
ANY_WINDOW = 0xFFFF
CONTROLLERS: dict[str, tuple[int, int]] = {"ALCS": (1, 117), "APCOutput": (1, 121),
                                           "APCInput": (2, 119)}
"""Controller kind -> (script id kind nibble, E of its 0-0:94.44.E.n start/end objects)."""


def time_of_day(given: object, name: str) -> bytes:
    """A schedule's switch time (hour, minute, second, hundredths) from HH:MM[:SS]."""
    try:
        parts = [int(part) for part in str(given).split(":")]
        hour, minute, second = [*parts, 0][:3] if len(parts) in (2, 3) else (-1, 0, 0)
        if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
            raise ValueError
    except ValueError:
        raise TransformError(f"{name} {given!r} is not a time HH:MM[:SS]") from None
    return bytes((hour, minute, second, 0))


def schedule_entry(index: int, script: bytes, selector: int, switch_time: bytes,
                   weekdays: str = EVERY_DAY, special_days: str = "",
                   begin: bytes = ANY_DATE, end: bytes = ANY_DATE) -> axdr.Data:
    """One IC 10 schedule entry, enabled, with no validity window."""
    return axdr.structure(
        axdr.long_unsigned(index), axdr.boolean(True), axdr.octet_string(script),
        axdr.long_unsigned(selector), axdr.octet_string(switch_time),
        axdr.long_unsigned(ANY_WINDOW), axdr.bit_string(weekdays),
        axdr.bit_string(special_days), axdr.octet_string(begin), axdr.octet_string(end))


def maximum_demand_period(ctx: BuildContext) -> AccessRequest:
    """ECS37 (6.18.1): the daily start and end of the configurable maximum demand period."""
    times = [time_of_day(ctx.param(name), name) for name in (
        "ConfigurablePeriodStartTime", "ConfigurablePeriodEndTime")]
    entries = [schedule_entry(index, MAXIMUM_DEMAND_SCRIPTS.raw, selector, when,
                              begin=FIRST_MONTH)
               for index, (selector, when) in enumerate(
                   zip((START_PERIOD, END_PERIOD), times, strict=True))]
    return dlms_request(ctx, [(AccessRequestSet(10, obis("0-0:12.0.0.255"), 2),
                               axdr.array(*entries))])


def _switch(ctx: BuildContext) -> int:
    switch = whole(ctx, "AuxiliaryLoadSwitch")
    if switch not in AUX_SWITCHES:
        raise TransformError("AuxiliaryLoadSwitch must be 1-5")
    return switch


def _run(scripts: ObisCode, script_id: int) -> tuple[AccessRequestAction, axdr.Data]:
    return (AccessRequestAction(SCRIPT_TABLE, scripts, 1), axdr.long_unsigned(script_id))


def auxiliary_load(instruction: int) -> PayloadBuilder:
    """ECS47: switch an auxiliary load on for AuxiliaryLoadDuration minutes (7.5), or
    reset it to its calendar (7.8)."""

    def build(ctx: BuildContext) -> AccessRequest:
        switch = _switch(ctx)
        run = _run(AUX_SWITCH_SCRIPTS, switch << 8 | instruction)
        if instruction == RESET:
            return dlms_request(ctx, [run])
        duration = whole(ctx, "AuxiliaryLoadDuration")
        if not 0 < duration <= 0xFFFF:
            raise TransformError("AuxiliaryLoadDuration must be 1-65535 minutes")
        return dlms_request(ctx, [(AccessRequestSet(1, obis("0-0:94.44.117.1"), 2),
                                   axdr.long_unsigned(duration)), run])

    return build


def controller_state(scripts: ObisCode, first_object: int, default_level: int
                     ) -> Callable[[BuildContext], AccessRequest]:
    """ECS47a (7.13) / ECS47e (7.16): a controller's level between two date-times."""

    def build(ctx: BuildContext) -> AccessRequest:
        kind = ctx.param("AuxiliaryController", "ALCS")
        if kind not in CONTROLLERS:
            raise TransformError(f"AuxiliaryController must be one of {', '.join(CONTROLLERS)}")
        nibble, group = CONTROLLERS[kind]
        number = whole(ctx, "AuxiliaryControllerNumber", 1)
        level = whole(ctx, "AuxiliaryControllerLevel", default_level)
        if not (0 < number < 16 and 0 <= level <= 100):
            raise TransformError("AuxiliaryControllerNumber must be 1-15 and "
                                 "AuxiliaryControllerLevel 0-100")
        start = moment(ctx, "StartDateTime", ctx.now)
        end = moment(ctx, "EndDateTime", start)
        if end <= start:
            raise TransformError("EndDateTime must be after StartDateTime")
        times = [(AccessRequestSet(1, obis(f"0-0:94.44.{group}.{first_object + n}"), 2),
                  axdr.octet_string(cosem_time(when).to_bytes()))
                 for n, when in enumerate((start, end))]
        return dlms_request(ctx, [*times, _run(scripts, (nibble << 4 | number) << 8 | level)])

    return build
