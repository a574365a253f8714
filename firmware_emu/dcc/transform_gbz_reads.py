"""Payload builders for the GSME's and GPF's log reads and event settings (primer §8.1).

Snapshot reads ask for each stored snapshot by offset, between data items StartDateTime
and EndDateTime (by default the last ``days`` days); sampled-data reads ask for one sample
per day of that range. Harness-own data item names: ``EventConfigurations`` (6.22 on a
GSME: event configuration value -> ZCL event ids).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from firmware_emu.dcc.transform_rows import (
    BuildContext,
    PayloadBuilder,
    TransformError,
    time_range,
)
from gbcs.errors import EncodeError
from gbcs.gbz import (
    Direction,
    GbzPayload,
    ReadAttributes,
    ZclCommand,
    gbz_component,
    gbz_payload,
    zcl_command,
)
from gbcs.gbz.clusters_calendar import GetDayProfiles, GetSeasons, GetSpecialDays, GetWeekProfiles
from gbcs.gbz.clusters_device import (
    ClearEventLogRequest,
    EventIdList,
    GetEventConfiguration,
    RequestNewPasswordResponse,
    SetEventConfiguration,
)
from gbcs.gbz.clusters_metering import GetSampledData, GetSnapshot
from gbcs.gbz.clusters_prepayment import GetDebtRepaymentLog, GetPrepaySnapshot
from gbcs.gbz.clusters_price import GetCurrentPrice
from gbcs.primitives import datetime_to_utc_seconds

Component = tuple[ZclCommand, int | None]  # a command and its from-date-time, if any
Maker = Callable[[BuildContext], Iterable[Component]]

METERING, PREPAYMENT = GetSnapshot, GetPrepaySnapshot
GENERAL_EVENT_LOG = 3  # ZCL Events cluster log id
CONSUMER_PIN = 2  # Request New Password Response password type
ALL_EVENTS = 0x81FF  # Get Event Configuration: every event's configuration
ANY_CALENDAR, FRIENDLY_CREDIT_CALENDAR = 0xFFFFFFFF, 0xFFFFFFFE
FRIENDLY_CREDIT = 3  # Get Special Days calendar type


def _seconds(moment: datetime) -> int:
    return datetime_to_utc_seconds(moment)


def gbz(*makers: Maker) -> PayloadBuilder:
    """A GBZ command of the makers' components, numbered in order."""

    def build(ctx: BuildContext) -> GbzPayload:
        parts = [part for make in makers for part in make(ctx)]
        try:
            return gbz_payload(gbz_component(command, index, from_date_time=from_date_time)
                               for index, (command, from_date_time) in enumerate(parts))
        except EncodeError as error:
            raise TransformError(f"SRV {ctx.request.srv_id}: {error}") from None

    return build


def fixed(*commands: ZclCommand) -> Maker:
    parts = tuple((command, None) for command in commands)
    return lambda ctx: parts


def reads(cluster: int, *attributes: int) -> ZclCommand:
    return zcl_command(ReadAttributes(attribute_ids=attributes), cluster_id=cluster,
                       direction=Direction.CLIENT_TO_SERVER)


def snapshots(kind: type, cause: int, count: int, days: int) -> Maker:
    """Get (Prepay) Snapshot of offsets 0 .. count-1 with ``cause`` in the time range."""

    def make(ctx: BuildContext) -> Iterable[Component]:
        start, end = time_range(ctx, days)
        return [(zcl_command(kind(earliest_start_time=_seconds(start),
                                  latest_end_time=_seconds(end), snapshot_offset=offset,
                                  snapshot_cause=cause)), None) for offset in range(count)]

    return make


def sampled_data(sample_id: int, days: int) -> Maker:
    """Get Sampled Data from StartDateTime, one sample per day up to EndDateTime."""

    def make(ctx: BuildContext) -> Iterable[Component]:
        start, end = time_range(ctx, days)
        samples = (end - start).days + 1
        return [(zcl_command(GetSampledData(sample_id=sample_id,
                                            earliest_sample_time=_seconds(start), sample_type=0,
                                            number_of_samples=samples)), None)]

    return make


def debt_repayment_log(debt_type: int, debts: int, days: int) -> Maker:
    """Get Debt Repayment Log up to EndDateTime, from StartDateTime (from-date-time)."""

    def make(ctx: BuildContext) -> Iterable[Component]:
        start, end = time_range(ctx, days)
        return [(zcl_command(GetDebtRepaymentLog(latest_end_time=_seconds(end),
                                                 number_of_debts=debts, debt_type=debt_type)),
                 _seconds(start))]

    return make


def calendar_reads(calendar_id: int, special_days_type: int) -> tuple[ZclCommand, ...]:
    """The day profiles, week profiles, seasons and special days of a calendar."""
    return (zcl_command(GetDayProfiles(provider_id=0, issuer_calendar_id=calendar_id,
                                       start_day_id=1, number_of_days=0)),
            zcl_command(GetWeekProfiles(provider_id=0, issuer_calendar_id=calendar_id,
                                        start_week_id=1, number_of_weeks=0)),
            zcl_command(GetSeasons(provider_id=0, issuer_calendar_id=calendar_id)),
            zcl_command(GetSpecialDays(start_time=0, number_of_events=0,
                                       calendar_type=special_days_type, provider_id=0,
                                       issuer_calendar_id=calendar_id)))


current_price = zcl_command(GetCurrentPrice(command_options=0))
clear_event_log = fixed(zcl_command(ClearEventLogRequest(log_id=GENERAL_EVENT_LOG)))
read_event_configuration = fixed(zcl_command(GetEventConfiguration(event_id=ALL_EVENTS)))


def disable_privacy_pin(ctx: BuildContext) -> Iterable[Component]:
    """GCS11 (3.5): an empty consumer PIN, now."""
    return [(zcl_command(RequestNewPasswordResponse(
        issuer_event_id=ctx.issuer_event_id, implementation_date_time=0,
        duration_in_minutes=0, password_type=CONSUMER_PIN, password=b"")), None)]


def event_configurations(ctx: BuildContext) -> Iterable[Component]:
    """GCS20 (6.22): one Set Event Configuration per configuration value, applied to the
    listed event ids (data item EventConfigurations, value -> ids)."""
    wanted = ctx.param("EventConfigurations")
    pairs = wanted.items() if isinstance(wanted, Mapping) else wanted
    try:
        settings = [(int(value), tuple(int(event) for event in events))
                    for value, events in pairs]
    except (TypeError, ValueError):
        raise TransformError(f"EventConfigurations {wanted!r} must map configuration "
                             "values to event ids") from None
    if not settings or any(not events or len(events) > 0xFF for _, events in settings):
        raise TransformError("EventConfigurations must give each value 1-255 event ids")
    return [(zcl_command(SetEventConfiguration(
        issuer_event_id=ctx.issuer_event_id, start_date_time=0, event_configuration=value,
        configuration_control=0, event_configuration_payload=EventIdList(
            number_of_events=len(events), event_ids=events))), None)
        for value, events in settings]
