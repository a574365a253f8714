"""Transform rows of the GSME's and GPF's reads, logs and settings: the gas side of the
SRVs whose electricity rows are in :mod:`firmware_emu.dcc.transform_table_esme`. Reads of
values the GPF mirrors go to the GPF (``via_gpf``), as in the RTDS messages."""

from __future__ import annotations

from firmware_emu.dcc.transform_billing import gsme_billing_calendar, monthly
from firmware_emu.dcc.transform_conditions import all_of, parameter
from firmware_emu.dcc.transform_gbz_calendar import gsme_prepayment_configuration
from firmware_emu.dcc.transform_gbz_prepay import (
    BILL_ABSOLUTE,
    BILL_INCREMENTAL,
    CREDIT_ABSOLUTE,
    CREDIT_INCREMENTAL,
    change_debt,
    change_payment_mode,
    credit_adjustment,
    gas_conversion,
    gas_flow,
)
from firmware_emu.dcc.transform_gbz_reads import (
    ANY_CALENDAR,
    FRIENDLY_CREDIT,
    FRIENDLY_CREDIT_CALENDAR,
    METERING,
    PREPAYMENT,
    calendar_reads,
    clear_event_log,
    current_price,
    debt_repayment_log,
    disable_privacy_pin,
    event_configurations,
    fixed,
    gbz,
    read_event_configuration,
    reads,
    sampled_data,
    snapshots,
)
from firmware_emu.dcc.transform_gbz_tariff import gsme_tariff
from firmware_emu.dcc.transform_rows import CommandRow, Originator, row
from firmware_emu.dcc.transform_settings import (
    select_emergency_credit,
    start_sampling,
    update_cin,
)

PRICE, CALENDAR, PREPAYMENT_CLUSTER = 0x0700, 0x0707, 0x0705
TARIFF_CHANGE_SNAPSHOT = 0x6008  # change of tariff / mode (with the manual trigger bits)
BILLING_PERIOD_SNAPSHOT, DAILY_SNAPSHOT = 0x0002, 0x0001
BILLING_SNAPSHOTS, DAILY_SNAPSHOTS = 12, 31
PAYMENT_BASED_DEBT, DEBTS_PER_READ = 2, 10
PROFILE_SAMPLES, CONSUMPTION_SAMPLES = 2, 1  # Get Sampled Data sample ids
_TARIFF_PRICE_ATTRIBUTES = (0x0203, 0x0202, 0x0100, 0x0101, 0x0102, 0x0615, 0x0400, 0x0401,
                            0x0402, 0x0403, 0x0410, 0x0420, 0x0430, 0x0440, 0x0616, 0x0617,
                            0x0301)
_PREPAYMENT_SETTINGS = (0x0239, 0x0006, 0x0216, 0x0226, 0x0040, 0x0010, 0x0011, 0x0031,
                        0x0021, 0x0022, 0x0217, 0x0227)

_RESET = parameter("ResetMeterBalance", True, "true")
_CREDIT_MODE = parameter("MeterPaymentMode", "Credit")

GAS_ROWS: tuple[CommandRow, ...] = (
    row("3.3", "GSME GPF", "CS11", 0x0015, gbz(clear_event_log)),
    row("3.5", "GSME", "GCS11", 0x0073, gbz(disable_privacy_pin)),
    row("4.3", "GSME GPF", "GCS14", 0x0075, gbz(fixed(
        reads(PRICE, 0x0617, 0x0616),
        reads(PREPAYMENT_CLUSTER, 0x0005, 0x0002, 0x0001, 0x0231, 0x0211, 0x0221))),
        via_gpf=True),
    row("4.4.2", "GSME GPF", "GCS15b", 0x00C3, gbz(
        snapshots(PREPAYMENT, TARIFF_CHANGE_SNAPSHOT, BILLING_SNAPSHOTS, days=365),
        snapshots(METERING, TARIFF_CHANGE_SNAPSHOT, BILLING_SNAPSHOTS, days=365))),
    row("4.4.3", "GSME GPF", "GCS15c", 0x0076, gbz(
        snapshots(METERING, BILLING_PERIOD_SNAPSHOT, BILLING_SNAPSHOTS, days=365),
        snapshots(PREPAYMENT, BILLING_PERIOD_SNAPSHOT, BILLING_SNAPSHOTS, days=365))),
    row("4.4.4", "GSME GPF", "GCS15d", 0x00C4,
        gbz(debt_repayment_log(PAYMENT_BASED_DEBT, DEBTS_PER_READ, days=30)),
        originator=Originator.ACB_FOR_USER),
    row("4.6.1", "GSME GPF", "GCS16a", 0x0077,
        gbz(snapshots(METERING, DAILY_SNAPSHOT, DAILY_SNAPSHOTS, days=31))),
    row("4.14", "GSME GPF", "GCS16b", 0x0096,
        gbz(snapshots(PREPAYMENT, DAILY_SNAPSHOT, DAILY_SNAPSHOTS, days=2))),
    row("4.10", "GSME", "GCS18", 0x0079, gbz(sampled_data(PROFILE_SAMPLES, days=1))),
    row("4.17", "GPF", "GCS61", 0x00A0, gbz(sampled_data(CONSUMPTION_SAMPLES, days=10))),
    row("4.11.1", "GSME GPF", "GCS21f", 0x009F, gbz(fixed(
        reads(PRICE, *_TARIFF_PRICE_ATTRIBUTES), *calendar_reads(ANY_CALENDAR, 0),
        current_price))),
    row("4.13", "GSME GPF", "GCS21b", 0x00B5, gbz(fixed(
        reads(PREPAYMENT_CLUSTER, *_PREPAYMENT_SETTINGS), reads(PRICE, 0x0617),
        *calendar_reads(FRIENDLY_CREDIT_CALENDAR, FRIENDLY_CREDIT)))),
    row("6.2.10", "GSME", "GCS20r", 0x00F1, gbz(read_event_configuration)),
    row("6.22", "GSME", "GCS20", 0x00AD, gbz(event_configurations)),
    row("2.5", "GSME", "GCS06", 0x0070, gbz(select_emergency_credit)),
    # critical (CV4 -> PRECOMMAND -> CV5)
    row("1.5", "GSME", "GCS40d", 0x00C2, credit_adjustment(BILL_ABSOLUTE, reset=True),
        when=all_of(_CREDIT_MODE, _RESET)),
    row("1.5", "GSME", "GCS40c", 0x00C0, credit_adjustment(BILL_INCREMENTAL, reset=False),
        when=_CREDIT_MODE),
    row("1.5", "GSME", "GCS40b", 0x00B4, credit_adjustment(CREDIT_ABSOLUTE, reset=True),
        when=_RESET),
    row("1.5", "GSME", "GCS40a", 0x0086, credit_adjustment(CREDIT_INCREMENTAL, reset=False)),
    row("1.6", "GSME", "GCS02", 0x006C, change_payment_mode(prepayment=False),
        when=parameter("PaymentMode", "Credit"), future_dated=True),
    row("1.6", "GSME", "GCS03", 0x006D, change_payment_mode(prepayment=True),
        when=parameter("PaymentMode", "Prepayment"), future_dated=True),
    row("1.1.1", "GSME", "GCS01a", 0x006B, gsme_tariff, future_dated=True),
    row("2.1", "GSME", "GCS05", 0x006F, gsme_prepayment_configuration, future_dated=True),
    row("2.3", "GSME", "GCS04", 0x006E, gbz(change_debt)),
    row("6.6", "GSME", "GCS23", 0x007C, gbz(gas_conversion)),
    row("6.7", "GSME", "GCS24", 0x007D, gbz(gas_flow)),
    row("6.8", "GSME", "GCS25", 0x007E, gbz(gsme_billing_calendar), when=monthly),
    row("6.8", "GSME", "GCS25a", 0x00D8, gbz(gsme_billing_calendar)),
    row("9.1", "GSME", "GCS36", 0x0083, gbz(update_cin), originator=Originator.ACB_FOR_USER),
    row("14.1", "GSME", "GCS31", 0x0080, gbz(start_sampling),
        originator=Originator.ACB_FOR_USER),
)
