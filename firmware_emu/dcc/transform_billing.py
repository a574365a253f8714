"""Payload builders of 6.8 Update Device Configuration (Billing Calendar): ECS30/ECS30a on
the ESME (the billing single-action schedule) and GCS25/GCS25a on the GSME (billing and
block periods). Data items (harness names): ``BillingPeriodStart`` (date-time, by default
now) and ``BillingPeriodicity`` (Daily, Weekly, Monthly - the default -, Quarterly,
SixMonthly, Annually)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from firmware_emu.dcc.inventory import DeviceRecord, Inventory
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.transform_dlms import dlms_request
from firmware_emu.dcc.transform_gbz_reads import Component
from firmware_emu.dcc.transform_rows import BuildContext, TransformError, moment
from gbcs.dlms import AccessRequest, AccessRequestSet, axdr, obis
from gbcs.gbz import zcl_command
from gbcs.gbz.clusters_price import PublishBillingPeriod, PublishBlockPeriod
from gbcs.primitives import datetime_to_utc_seconds

PERIODICITIES = {"Daily": (1, 1), "Weekly": (2, 1), "Monthly": (3, 1), "Quarterly": (3, 3),
                 "SixMonthly": (3, 6), "Annually": (3, 12)}
"""Periodicity -> (ZCL duration timebase: 1 days, 2 weeks, 3 months; number of them)."""
DURATION_NOT_SPECIFIED = 0x20  # duration control: neither start nor end of the timebase
BLOCK_PERIOD_CONTROL = 0x02  # repeating block period
TARIFF_RESOLUTION_BLOCK_PERIOD = 1
BILLING_SCHEDULE = "0-0:15.0.0.255"
_ANY = 0xFF


def periodicity(ctx: BuildContext) -> str:
    given = ctx.param("BillingPeriodicity", "Monthly")
    if given not in PERIODICITIES:
        raise TransformError(f"BillingPeriodicity must be one of {', '.join(PERIODICITIES)}")
    return given


def monthly(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
    """ECS30 / GCS25 carry a monthly calendar; the others need ECS30a / GCS25a."""
    return request.parameters.get("BillingPeriodicity", "Monthly") == "Monthly"


def _dates(start: datetime, kind: str) -> Iterable[bytes]:
    """COSEM date patterns (year, month, day of month, day of week) of the periodicity."""
    timebase, count = PERIODICITIES[kind]
    if timebase == 1:
        yield bytes((_ANY, _ANY, _ANY, _ANY, _ANY))
    elif timebase == 2:
        yield bytes((_ANY, _ANY, _ANY, _ANY, start.isoweekday()))
    elif count == 1:
        yield bytes((_ANY, _ANY, _ANY, start.day, _ANY))
    else:
        for step in range(0, 12, count):
            month = (start.month - 1 + step) % 12 + 1
            yield bytes((_ANY, _ANY, month, start.day, _ANY))


def esme_billing_calendar(ctx: BuildContext) -> AccessRequest:
    """ECS30 / ECS30a: the billing schedule's execution times."""
    start = moment(ctx, "BillingPeriodStart", ctx.now)
    time = bytes((start.hour, start.minute, start.second, 0))
    entries = [axdr.structure(axdr.octet_string(time), axdr.octet_string(date))
               for date in sorted(_dates(start, periodicity(ctx)), key=lambda d: d[2])]
    return dlms_request(ctx, [(AccessRequestSet(22, obis(BILLING_SCHEDULE), 4),
                               axdr.array(*entries))])


def gsme_billing_calendar(ctx: BuildContext) -> Iterable[Component]:
    """GCS25 / GCS25a: the billing period and the block period, from the start."""
    start = datetime_to_utc_seconds(moment(ctx, "BillingPeriodStart", ctx.now))
    timebase, count = PERIODICITIES[periodicity(ctx)]
    duration_type = DURATION_NOT_SPECIFIED | timebase
    return [(zcl_command(PublishBillingPeriod(
        provider_id=0, issuer_event_id=ctx.issuer_event_id, billing_period_start_time=start,
        billing_period_duration=count, billing_period_duration_type=duration_type,
        tariff_type=0)), None),
        (zcl_command(PublishBlockPeriod(
            provider_id=0, issuer_event_id=ctx.issuer_event_id, block_period_start_time=start,
            block_period_duration=count, block_period_control=BLOCK_PERIOD_CONTROL,
            block_period_duration_type=duration_type, tariff_type=0,
            tariff_resolution_period=TARIFF_RESOLUTION_BLOCK_PERIOD)), None)]
