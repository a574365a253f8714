"""Payload builders for the GSME's critical prepayment and gas settings (primer §8.1).

Money data items are in pence (up to three decimals: the GSME counts thousandths of a
penny); ratios are decimal text. Harness-own data item names: ``MeterBalanceAdjustment``,
``ResetMeterBalance`` and ``MeterPaymentMode`` (1.5: Prepayment or Credit),
``SuspendDebtDisabled`` and ``SuspendDebtEmergency`` (1.6, prepayment mode),
``ConversionFactor`` and ``CalorificValue`` (6.6, MJ/m3), the 6.7 items of :func:`gas_flow`
and the 2.3 items of :data:`DEBT_REGISTERS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from firmware_emu.dcc.transform_gbz_reads import Component, gbz
from firmware_emu.dcc.transform_rows import BuildContext, PayloadBuilder, TransformError
from firmware_emu.dcc.transform_settings import MONEY_UNITS_PER_PENNY
from gbcs.gbz import zcl_command
from gbcs.gbz.clusters_metering import SetSupplyStatus, SetUncontrolledFlowThreshold
from gbcs.gbz.clusters_prepayment import ChangeDebt, ChangePaymentMode, CreditAdjustment
from gbcs.gbz.clusters_price import PublishCalorificValue, PublishConversionFactor
from gbcs.primitives import datetime_to_utc_seconds

CREDIT_INCREMENTAL, CREDIT_ABSOLUTE = 0, 1  # prepayment meter balance (GCS40a/b)
BILL_ABSOLUTE, BILL_INCREMENTAL = 2, 3  # credit mode bill to date (GCS40d/c)
CREDIT_CONTROL = 0x0094  # credit management, credit display, contactor fitted
PREPAYMENT_CONTROL = 0x0097  # ... and disconnection and prepayment enabled
SUSPEND_DEBT_DISABLED, SUSPEND_DEBT_EMERGENCY = 0x0400, 0x0800
NO_CUT_OFF, CUT_OFF_AT_ZERO = -1, 0
MJ_PER_M3 = 1


def _decimal(ctx: BuildContext, name: str) -> Decimal:
    given = ctx.param(name)
    if isinstance(given, bool):
        raise TransformError(f"{name} must be a number")
    try:
        return Decimal(str(given))
    except InvalidOperation:
        raise TransformError(f"{name} {given!r} is not a number") from None


def money_units(ctx: BuildContext, name: str) -> int:
    units = _decimal(ctx, name) * MONEY_UNITS_PER_PENNY
    if units != units.to_integral_value() or not -2**31 <= units < 2**31:
        raise TransformError(f"{name} must be pence with at most three decimals")
    return int(units)


def credit_adjustment(kind: int, *, reset: bool) -> PayloadBuilder:
    """GCS40a-d (1.5): adjust by, or reset to zero, the meter balance / bill to date."""
    def components(ctx: BuildContext) -> Iterable[Component]:
        value = 0 if reset else money_units(ctx, "MeterBalanceAdjustment")
        return [(zcl_command(CreditAdjustment(
            issuer_event_id=ctx.issuer_event_id, start_time=0, credit_adjustment_type=kind,
            credit_adjustment_value=value)), None)]

    return gbz(components)


def _flag(ctx: BuildContext, name: str) -> bool:
    given = ctx.param(name, False)
    if given not in (True, False, "true", "false"):
        raise TransformError(f"{name} must be true or false")
    return given in (True, "true")


def change_payment_mode(prepayment: bool) -> PayloadBuilder:
    """GCS02 / GCS03 (1.6): to credit or prepayment, now or at the execution time."""
    def components(ctx: BuildContext) -> Iterable[Component]:
        execution = ctx.request.execution_datetime
        when = 0 if execution is None else datetime_to_utc_seconds(execution)
        if prepayment:
            control = (PREPAYMENT_CONTROL
                       | (SUSPEND_DEBT_DISABLED if _flag(ctx, "SuspendDebtDisabled") else 0)
                       | (SUSPEND_DEBT_EMERGENCY if _flag(ctx, "SuspendDebtEmergency") else 0))
        else:
            control = CREDIT_CONTROL | SUSPEND_DEBT_DISABLED | SUSPEND_DEBT_EMERGENCY
        return [(zcl_command(ChangePaymentMode(
            provider_id=0, issuer_event_id=ctx.issuer_event_id, implementation_date_time=when,
            proposed_payment_control_configuration=control,
            cut_off_value=CUT_OFF_AT_ZERO if prepayment else NO_CUT_OFF)), None)]

    return gbz(components)


def _digits(ctx: BuildContext, name: str) -> tuple[int, int]:
    """A decimal as (integer of its digits, trailing-digit bitmap: decimals << 4)."""
    value = _decimal(ctx, name)
    exponent = value.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    digits = int(value.scaleb(decimals))
    if value <= 0 or decimals > 15 or digits >= 2**32:
        raise TransformError(f"{name} {value} cannot be carried")
    return digits, decimals << 4


def gas_conversion(ctx: BuildContext) -> Iterable[Component]:
    """GCS23 (6.6): the conversion factor and the calorific value, from now."""
    factor, factor_digits = _digits(ctx, "ConversionFactor")
    calorific, calorific_digits = _digits(ctx, "CalorificValue")
    return [(zcl_command(PublishConversionFactor(
        issuer_event_id=ctx.issuer_event_id, start_time=0, conversion_factor=factor,
        conversion_factor_trailing_digit=factor_digits)), None),
        (zcl_command(PublishCalorificValue(
            issuer_event_id=ctx.issuer_event_id, start_time=0, calorific_value=calorific,
            calorific_value_unit=MJ_PER_M3, calorific_value_trailing_digit=calorific_digits)),
         None)]


SUPPLY_STATES = {"Off": 0, "Armed": 1, "On": 2, "Unchanged": 3}
"""Set Supply Status values (the state the GSME takes on the event)."""
CUBIC_METRES = 1  # Smart Energy unit of measure: m3 (flow in m3/h)


def _bounded(ctx: BuildContext, name: str, limit: int) -> int:
    value = ctx.param(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise TransformError(f"{name} must be a whole number 0..{limit}, not {value!r}")
    return value


def gas_flow(ctx: BuildContext) -> Iterable[Component]:
    """GCS24 (6.7): the uncontrolled gas flow threshold (data items UncontrolledGasFlowRate,
    m3/h, UncontrolledGasFlowStabilisationPeriod and UncontrolledGasFlowMeasurementPeriod,
    s) and the supply states: the valve closes on uncontrolled flow; data item
    SupplyTamperState (Off, Armed, On, Unchanged - the default) for tampering."""
    tamper = ctx.param("SupplyTamperState", "Unchanged")
    if tamper not in SUPPLY_STATES:
        raise TransformError(f"SupplyTamperState must be one of {', '.join(SUPPLY_STATES)}")
    unchanged = SUPPLY_STATES["Unchanged"]
    return [(zcl_command(SetUncontrolledFlowThreshold(
        provider_id=0, issuer_event_id=ctx.issuer_event_id,
        uncontrolled_flow_threshold=_bounded(ctx, "UncontrolledGasFlowRate", 0xFFFF),
        unit_of_measure=CUBIC_METRES, multiplier=1, divisor=1,
        stabilisation_period=_bounded(ctx, "UncontrolledGasFlowStabilisationPeriod", 0xFF),
        measurement_period=_bounded(ctx, "UncontrolledGasFlowMeasurementPeriod", 0xFFFF))),
        None),
        (zcl_command(SetSupplyStatus(
            issuer_event_id=ctx.issuer_event_id, supply_tamper_state=SUPPLY_STATES[tamper],
            supply_depletion_state=unchanged,
            supply_uncontrolled_flow_state=SUPPLY_STATES["Off"],
            load_limit_supply_state=unchanged)), None)]


TIME_BASED, PAYMENT_BASED = 0, 1  # Change Debt recovery methods
RECOVERY_PERIODS = {"Hourly": 0, "Daily": 1, "Weekly": 2, "Monthly": 3, "Quarterly": 4}
DEBT_REGISTERS = (("TimeDebtRegister1", 1, TIME_BASED), ("TimeDebtRegister2", 3, TIME_BASED),
                  ("PaymentDebtRegister", 5, PAYMENT_BASED))
"""(data item prefix, incremental debt amount type, recovery method) of the GSME's three
debts; the data items are <prefix>Adjustment (pence) and, for the time debts,
<prefix>RecoveryRate (pence) and <prefix>RecoveryPeriod (Hourly, Daily ...); for the
payment debt DebtRecoveryPerPayment (percent, two decimals)."""


def change_debt(ctx: BuildContext) -> Iterable[Component]:
    """GCS04 (2.3): adjust the debts whose adjustment the request gives."""
    parts = []
    for prefix, amount_type, method in DEBT_REGISTERS:
        if f"{prefix}Adjustment" not in ctx.request.parameters:
            continue
        rate, period, percentage = 0, RECOVERY_PERIODS["Daily"], 0
        if method == TIME_BASED:
            rate = money_units(ctx, f"{prefix}RecoveryRate")
            given = ctx.param(f"{prefix}RecoveryPeriod", "Daily")
            if given not in RECOVERY_PERIODS:
                raise TransformError(f"{prefix}RecoveryPeriod must be one of "
                                     f"{', '.join(RECOVERY_PERIODS)}")
            period = RECOVERY_PERIODS[given]
        else:
            percentage = int(_decimal(ctx, "DebtRecoveryPerPayment") * 100)
            if not 0 <= percentage <= 10000:
                raise TransformError("DebtRecoveryPerPayment must be 0-100 percent")
        parts.append((zcl_command(ChangeDebt(
            issuer_event_id=ctx.issuer_event_id, debt_label=b"",
            debt_amount=money_units(ctx, f"{prefix}Adjustment"), debt_recovery_method=method,
            debt_amount_type=amount_type, debt_recovery_start_time=0,
            debt_recovery_collection_time=0, debt_recovery_frequency=period,
            debt_recovery_amount=rate, debt_recovery_balance_percentage=percentage)), None))
    if not parts:
        raise TransformError("SRV 2.3 needs the adjustment of at least one debt register")
    return parts
