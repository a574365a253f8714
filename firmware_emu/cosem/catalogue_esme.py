"""ESME metering and billing objects: energy registers, prepayment, tariff and charges,
and the logs and profiles of energy data (GBCS ECS01-ECS24, ECS66, ECS82, CS01a).

Values that ``MeteringState`` models are bound to it (:mod:`firmware_emu.cosem.metering`);
the rest are kept in ``attribute_values``. Shapes that differ on a twin-element ESME
(a second element's registers) follow the device variant.
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware_emu.cosem import metering as m
from firmware_emu.cosem.axdr_types import (
    ANY,
    BOOL,
    DATE_TIME,
    I32,
    OCTETS,
    SCALER_UNIT,
    U16,
    U32,
    ArrayOf,
    Struct,
)
from firmware_emu.cosem.interface_classes import (
    account,
    activity_calendar,
    charge,
    credit,
    data,
    extended_data,
    extended_register,
    register,
    register_monitor,
    script_table,
    special_days,
    token_gateway,
)
from firmware_emu.cosem.model import AccessContext, ActivationLink, AttributeRef, ObjectSpec
from firmware_emu.cosem.profiles import Profile, profile_object
from firmware_emu.cosem.protected import data_protection
from firmware_emu.state import DeviceVariant
from gbcs.dlms.axdr import Array, DoubleLong, DoubleLongUnsigned, Structure
from gbcs.primitives import datetime_to_utc_seconds

HALF_HOUR, DAY = 1800, 86400
PROTECTED_READS = {1: "ECS19", 2: "ECS20c", 3: "ECS20b", 4: "ECS66", 5: "ECS21a",
                   6: "ECS21b", 7: "ECS22b", 8: "ECS17b", 9: "ECS17d", 10: "ECS17e"}
BLOCK_THRESHOLDS = tuple(f"0-0:16.1.{11 + n}.255" for n in range(8))
TARIFF_BLOCK_SCRIPTS = "0-0:10.0.100.255"
BILLING_DATA_LOG = "0-0:98.1.1.255"
"""Billing data log captured on the billing calendar (ECS20c; ECS68 reports its rows)."""


def _energy_columns(variant: DeviceVariant, *, with_money: bool) -> Struct:
    """Billing and daily read log rows: time, import register(s), 48 TOU registers
    (and the secondary element's 4), 4 x 8 block registers, then prepayment amounts."""
    twin = variant.twin_element
    columns = [U32, U32, *([U32] if twin else []), ArrayOf(U32, m.TOU_REGISTERS),
               *([ArrayOf(U32, m.SECONDARY_TOU_REGISTERS)] if twin else []),
               *(ArrayOf(U32, 8) for _ in range(4)), *([I32] * 6 if with_money else [])]
    return Struct(*columns)


def _energy_capture(row: Struct):
    """A row of current register values (used by the capture method and ECS68)."""
    def capture(access: AccessContext) -> Structure:
        meter = m.metering(access)
        values = list(row.default().elements)
        values[0] = DoubleLongUnsigned(datetime_to_utc_seconds(access.now))
        values[1] = DoubleLongUnsigned(meter.registers.import_energy_wh & 0xFFFFFFFF)
        tou_column = 3 if access.state.identity.variant.twin_element else 2
        tou = meter.registers.tou_import_wh
        values[tou_column] = Array(tuple(
            DoubleLongUnsigned((tou[i] if i < len(tou) else 0) & 0xFFFFFFFF)
            for i in range(m.TOU_REGISTERS)))
        if isinstance(values[-1], DoubleLong):
            credit = meter.prepayment
            values[-6:-3] = [m.money(credit.meter_balance_pence),
                             m.money(credit.emergency_credit_remaining_pence),
                             m.money(credit.debt_pence)]
        return Structure(tuple(values))

    return capture


def _timed_capture(row: Struct):
    def capture(access: AccessContext) -> Structure:
        values = list(row.default().elements)
        values[0] = DoubleLongUnsigned(datetime_to_utc_seconds(access.now))
        return Structure(tuple(values))

    return capture


@dataclass(frozen=True, slots=True)
class StoredProfile:
    """One ESME profile kept in ``attribute_values``: what it is and how it fills."""

    profile: Profile
    name: str
    capture_period: int


def energy_profiles(variant: DeviceVariant) -> list[StoredProfile]:
    """Every stored ESME profile; energy logs capture the registers, the others a time
    stamp (their values are measured on the load side, which the emulator does not model)."""
    twin = variant.twin_element
    energy = _energy_columns(variant, with_money=False)
    table = (  # logical name, name, row, capacity, capture period, captures registers
        (BILLING_DATA_LOG, "Billing data log (billing calendar)", energy, 13, 0, True),
        ("0-0:98.1.2.255", "Billing data log (change of mode / tariff)",
         _energy_columns(variant, with_money=True), 12, 0, True),
        ("0-0:98.1.9.255", "Daily read log", energy, 731, DAY, True),
        ("0-0:98.1.8.255", "Prepayment daily read log", Struct(U32, *[I32] * 6), 731, DAY,
         False),
        ("0-0:98.1.4.255", "Billing data log (payment-based debt payments)", Struct(U32, U32),
         12, 0, False),
        ("0-0:98.1.5.255", "Billing data log (prepayment credits)", Struct(U32, U32), 100, 0,
         False),
        ("0-0:98.1.10.255", "Daily read log (export)", Struct(U32, U32), 731, DAY, False),
        ("0-0:99.1.0.255", "Half hour profile (active import)",
         Struct(U32, U32, *([U32] if twin else [])), 17520, HALF_HOUR, False),
        ("0-0:99.1.1.255", "Half hour profile (export)", Struct(U32, U32, U32), 17520,
         HALF_HOUR, False),
        ("0-0:99.1.2.255", "Half hour profile (reactive import)", Struct(U32, U32), 17520,
         HALF_HOUR, False),
        ("0-0:99.1.3.255", "Daily consumption log", Struct(U32, U32), 731, DAY, False),
    )
    return [StoredProfile(Profile(obis, row, capacity, capture=(
        _energy_capture(row) if registers else _timed_capture(row))), name, period)
        for obis, name, row, capacity, period, registers in table]


def _register_objects(variant: DeviceVariant) -> list[ObjectSpec]:
    twin = variant.twin_element
    energy = Struct(U32, SCALER_UNIT, U32, SCALER_UNIT, *([U32] if twin else []))
    tou = Struct(ArrayOf(U32, m.TOU_REGISTERS),
                 *([ArrayOf(U32, m.SECONDARY_TOU_REGISTERS)] if twin else []))
    return [
        register("1-0:1.8.0.255", "Active import energy", binding=m.IMPORT_ENERGY),
        register("1-0:2.8.0.255", "Active export energy", binding=m.EXPORT_ENERGY),
        register("1-0:3.8.0.255", "Reactive import energy", unit=m.VARH),
        register("1-0:4.8.0.255", "Reactive export energy", unit=m.VARH),
        register("1-0:1.7.0.255", "Active power import", unit=27),
        register("0-0:94.44.1.8", "Secondary element active import energy"),
        data("0-0:94.44.34.10", "Energy registers (ECS17b)", energy, binding=m.ENERGY_REGISTERS),
        data("0-0:94.44.34.1", "TOU registers (ECS17d)", tou, binding=m.TOU_REGISTER_SET),
        data("0-0:94.44.34.2", "TOU and block registers (ECS17e)",
             Struct(*(ArrayOf(U32, 8) for _ in range(4)))),
        data("0-0:94.44.34.30", "Prepayment registers (ECS19)", Struct(*[I32] * 6),
             binding=m.PREPAYMENT_REGISTERS),
        extended_register("1-0:1.6.0.255", "Maximum demand active import"),
        extended_register("1-0:1.6.1.255", "Maximum demand active import (period 2)"),
        extended_register("1-0:2.6.0.255", "Maximum demand active export"),
        *(data(f"0-0:94.44.5.{n}", f"Maximum demand time {n}", DATE_TIME) for n in range(3)),
    ]


def _prepayment_objects() -> list[ObjectSpec]:
    def money_setting(obis: str, name: str, field: str | None = None) -> ObjectSpec:
        binding = m.prepayment_setting(field) if field else None
        return extended_data(obis, name, I32, active=binding)

    return [
        account("0-1:19.0.0.255", "Account", mode=m.PAYMENT_MODE,
                available_credit=m.AVAILABLE_CREDIT, aggregated_debt=m.DEBT),
        credit("0-0:19.10.0.255", "Meter balance", amount=m.METER_BALANCE, credit_type=0,
               methods={1: ("update_amount", I32, m.adjust_balance),
                        2: ("set_amount_to_value", I32, m.reset_balance)}),
        credit("0-0:19.10.1.255", "Emergency credit", amount=m.EMERGENCY_CREDIT, credit_type=2,
               methods={2: ("set_amount_to_value", I32, m.reset_emergency_credit),
                        3: ("invoke_credit", ANY, m.activate_emergency_credit)}),
        credit("0-0:19.10.2.255", "Debt", amount=m.DEBT, credit_type=3,
               methods={2: ("set_amount_to_value", I32, m.reset_debt)}),
        token_gateway("0-0:19.40.0.255", "UTRN entry", m.enter_utrn),
        money_setting("0-0:94.44.128.2", "Emergency credit limit",
                      "emergency_credit_limit_pence"),
        money_setting("0-0:94.44.128.3", "Emergency credit threshold",
                      "emergency_credit_threshold_pence"),
        money_setting("0-0:94.44.128.9", "Low credit threshold", "low_credit_threshold_pence"),
        money_setting("0-0:94.44.128.13", "Debt recovery rate cap amount"),
        money_setting("0-0:94.44.128.22", "Disablement threshold"),
        money_setting("0-0:94.44.2.10", "Maximum credit threshold"),
        money_setting("0-0:94.44.2.20", "Maximum meter balance"),
        extended_data("0-0:94.44.128.12", "Debt recovery rate cap period", U16),
    ]


def _tariff_objects() -> list[ObjectSpec]:
    def reset_blocks(access: AccessContext, _script: int) -> None:
        registers = m.metering(access).registers
        registers.block_import_wh = [0] * len(registers.block_import_wh)

    return [
        activity_calendar("0-0:13.0.0.255", "Tariff switching table", TARIFF_BLOCK_SCRIPTS),
        activity_calendar("0-0:13.0.1.255", "Tariff switching table (secondary element)",
                          TARIFF_BLOCK_SCRIPTS),
        charge("0-0:19.20.0.255", "TOU and block prices", "1-0:1.8.0.255"),
        charge("0-0:19.20.4.255", "Standing charge", "0-0:1.0.0.255"),
        charge("0-0:19.20.5.255", "Secondary element prices", "0-0:94.44.1.8"),
        *(special_days(f"0-{b}:11.0.{n}.255", f"Special days {n}" + (" (passive)" if b else ""))
          for b in (0, 1) for n in range(2)),
        *(register_monitor(obis, f"Block thresholds {n + 1}", (3, "1-0:1.8.0.255", 2))
          for n, obis in enumerate(BLOCK_THRESHOLDS)),
        script_table(TARIFF_BLOCK_SCRIPTS, "Tariff block counter reset", reset_blocks),
        extended_data("0-0:94.44.2.0", "Currency unit", BOOL),
        extended_data("0-0:63.1.1.255", "Threshold matrix activation", U32),
        *(extended_data(f"0-0:94.44.128.{n}", name, OCTETS)
          for n, name in ((28, "Non-disablement calendar activation"),
                          (29, "Special days activation"),
                          (30, "Special days activation (secondary element)"),
                          (31, "Non-disablement special days activation"))),
    ]


def _copy(class_id: int, passive: str, active: str) -> tuple[AttributeRef, AttributeRef]:
    return AttributeRef.of(class_id, passive, 2), AttributeRef.of(class_id, active, 2)


def _activation(obis: str) -> AttributeRef:
    return AttributeRef.of(9000, obis, 6)


ESME_ACTIVATIONS = (
    ActivationLink(_activation("0-0:94.44.128.28"),
                   (_copy(10, "0-1:12.0.1.255", "0-0:12.0.1.255"),)),
    ActivationLink(_activation("0-0:94.44.128.29"),
                   (_copy(11, "0-1:11.0.0.255", "0-0:11.0.0.255"),)),
    ActivationLink(_activation("0-0:94.44.128.30"),
                   (_copy(11, "0-1:11.0.1.255", "0-0:11.0.1.255"),)),
    ActivationLink(_activation("0-0:94.44.128.31"),
                   (_copy(11, "0-1:11.0.2.255", "0-0:11.0.2.255"),)),
    ActivationLink(_activation("0-0:63.1.1.255"),
                   deferred=tuple(AttributeRef.of(21, obis, 2) for obis in BLOCK_THRESHOLDS)),
)
"""Activation objects that activate other objects' passive values (the class rules of
:mod:`firmware_emu.cosem.future_dated` add each object's own passive-to-active copy)."""


def metering_objects(variant: DeviceVariant) -> list[ObjectSpec]:
    return [
        *_register_objects(variant), *_prepayment_objects(), *_tariff_objects(),
        *(profile_object(p.profile, p.name, capture_period=p.capture_period)
          for p in energy_profiles(variant)),
        *(data_protection(f"0-0:43.2.{n}.255", f"Protected read {use_case}")
          for n, use_case in PROTECTED_READS.items()),
    ]

