"""Payload builders for the ESME's payment mode (1.6: ECS02 credit, ECS03 prepayment)
and prepayment configuration (2.1: ECS08, ECS08a).

The account (IC 111 0-1:19.0.0.255) gets its payment mode (status: new account until the
activation), its credit-charge configuration, and the activation date-time of the
passive values: now, or the request's execution date-time when it is device future-dated.
ECS03 also sets the passive disablement threshold and its activation date-time first.

Harness-own data items: ``PaymentMode`` (``Credit`` or ``Prepayment``),
``DisablementThreshold`` (pence, to a thousandth; ECS03) and ``CreditChargeConfiguration``:
(credit, charge, collection bits) triples, credit n naming 0-0:19.10.n.255 and charge m
0-0:19.20.m.255, the bits three flags (collect when in credit, in emergency credit, in
debt).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from firmware_emu.dcc.transform_calendars import (
    calendar_entries,
    special_day_count,
    special_days,
)
from firmware_emu.dcc.transform_dlms import dlms_request
from firmware_emu.dcc.transform_rows import BuildContext, PayloadBuilder, TransformError, cosem_time
from firmware_emu.dcc.transform_settings import (
    IMMEDIATE_ACTIVATION,
    MONEY_UNITS_PER_PENNY,
    whole,
)
from gbcs.dlms import AccessRequest, AccessRequestSet, axdr, obis
from gbcs.errors import EncodeError

ACCOUNT = obis("0-1:19.0.0.255")
CREDIT_MODE, PREPAYMENT_MODE = 1, 2
NEW_ACCOUNT = 1  # account_status (1) new (inactive) account, until the activation
DISABLEMENT_THRESHOLD = obis("0-0:94.44.128.22")
COLLECTION_BITS = 3
_MODE, _CREDIT_CHARGES, _ACTIVATION = 2, 11, 13


def activation_time(ctx: BuildContext) -> bytes:
    execution = ctx.request.execution_datetime
    return IMMEDIATE_ACTIVATION if execution is None else cosem_time(execution).to_bytes()


def money(ctx: BuildContext, name: str) -> int:
    """A data item in pence (to a thousandth) as ESME money units."""
    given = ctx.param(name)
    try:
        units = Decimal(str(given)) * MONEY_UNITS_PER_PENNY
    except InvalidOperation:
        raise TransformError(f"{name} {given!r} is not an amount in pence") from None
    if isinstance(given, bool) or units != units.to_integral_value():
        raise TransformError(f"{name} {given!r} is not an amount to a thousandth of a penny")
    return int(units)


def credit_charges(ctx: BuildContext) -> axdr.Data:
    given = ctx.param("CreditChargeConfiguration")
    if isinstance(given, str) or not isinstance(given, Sequence) or not given:
        raise TransformError("CreditChargeConfiguration must list (credit, charge, bits)")
    entries = []
    for entry in given:
        try:
            credit, charge, bits = entry
            valid = (isinstance(credit, int) and isinstance(charge, int) and 0 <= credit < 255
                     and 0 <= charge < 255 and len(bits) == COLLECTION_BITS)
            value = axdr.bit_string(bits) if valid else None
        except (TypeError, ValueError, EncodeError):
            value = None
        if value is None:
            raise TransformError(f"CreditChargeConfiguration entry {entry!r} is not "
                                 "(credit, charge, three bits)")
        entries.append(axdr.structure(
            axdr.octet_string(obis(f"0-0:19.10.{credit}.255").raw),
            axdr.octet_string(obis(f"0-0:19.20.{charge}.255").raw), value))
    return axdr.array(*entries)


def payment_mode(prepayment: bool) -> PayloadBuilder:
    """ECS03 (``prepayment``) / ECS02."""

    def build(ctx: BuildContext) -> AccessRequest:
        when = axdr.octet_string(activation_time(ctx))
        mode = axdr.structure(axdr.enum(PREPAYMENT_MODE if prepayment else CREDIT_MODE),
                              axdr.enum(NEW_ACCOUNT))
        items = [(AccessRequestSet(111, ACCOUNT, _MODE), mode)]
        if prepayment:
            try:
                threshold = axdr.double_long(money(ctx, "DisablementThreshold"))
            except EncodeError:
                raise TransformError("DisablementThreshold is out of range") from None
            items.append((AccessRequestSet(9000, DISABLEMENT_THRESHOLD, 4), threshold))
        items.append((AccessRequestSet(111, ACCOUNT, _CREDIT_CHARGES), credit_charges(ctx)))
        if prepayment:
            items.append((AccessRequestSet(9000, DISABLEMENT_THRESHOLD, 6), when))
        items.append((AccessRequestSet(111, ACCOUNT, _ACTIVATION), when))
        return dlms_request(ctx, items)

    return build


# ------------------------------------------------------------------ 2.1 prepayment

PREPAYMENT_SETTINGS: tuple[tuple[str, str, bool], ...] = (
    ("MaximumMeterBalance", "0-0:94.44.2.20", True),
    ("MaximumCreditThreshold", "0-0:94.44.2.10", True),
    ("DebtRecoveryRateCapPeriod", "0-0:94.44.128.12", False),
    ("DebtRecoveryRateCapAmount", "0-0:94.44.128.13", True),
    ("LowCreditThreshold", "0-0:94.44.128.9", True),
    ("EmergencyCreditLimit", "0-0:94.44.128.2", True),
    ("EmergencyCreditThreshold", "0-0:94.44.128.3", True),
)
"""2.1 data items: (name, IC 9000 object, money in pence to a thousandth; else a whole
number 0-65535), in the order ECS08 sets them. The first two come before the
non-disablement calendar, the last after its activation."""
NON_DISABLEMENT_SCRIPTS = obis("0-0:10.0.106.255")
NON_DISABLEMENT_ACTIONS = {"Start": 32, "End": 33}
_NON_DISABLEMENT_DAYS = AccessRequestSet(11, obis("0-1:11.0.2.255"), 2)
_NON_DISABLEMENT_CALENDAR = AccessRequestSet(10, obis("0-1:12.0.1.255"), 2)
_CALENDAR_ACTIVATION = AccessRequestSet(9000, obis("0-0:94.44.128.31"), 6)
_SPECIAL_DAYS_ACTIVATION = AccessRequestSet(9000, obis("0-0:94.44.128.28"), 6)


def _setting(ctx: BuildContext, name: str, is_money: bool) -> axdr.Data:
    try:
        if is_money:
            return axdr.double_long(money(ctx, name))
        return axdr.long_unsigned(whole(ctx, name))
    except EncodeError:
        raise TransformError(f"{name} is out of range") from None


def prepayment_configuration(maximum_meter_balance_attribute: int) -> PayloadBuilder:
    """ECS08 (GBCS v1.0: the maximum meter balance set directly, attribute 2) / ECS08a
    (attribute 4, passive): the prepayment settings given, and the non-disablement
    special days (``NonDisablementSpecialDays``) and calendar (``NonDisablementCalendar``,
    entries as the auxiliary calendars' with ``Action`` Start or End) when given; then the
    activation date-times."""

    def build(ctx: BuildContext) -> AccessRequest:
        parameters = ctx.request.parameters
        given = [(name, obis(logical_name), is_money)
                 for name, logical_name, is_money in PREPAYMENT_SETTINGS if name in parameters]
        days = "NonDisablementSpecialDays" in parameters
        calendar = "NonDisablementCalendar" in parameters
        if not (given or days or calendar):
            raise TransformError("SRV 2.1 needs a prepayment setting or a non-disablement "
                                 "calendar")
        when = axdr.octet_string(activation_time(ctx))
        values = [(AccessRequestSet(9000, logical_name, maximum_meter_balance_attribute
                                    if name == PREPAYMENT_SETTINGS[0][0] else 4),
                   _setting(ctx, name, is_money)) for name, logical_name, is_money in given]
        early = sum(1 for name, _, _ in given if name in _EARLY_SETTINGS)
        items = []
        if days:
            items.append((_NON_DISABLEMENT_DAYS, special_days(ctx, "NonDisablementSpecialDays")))
        items += values[:early]
        if calendar:
            items.append((_NON_DISABLEMENT_CALENDAR, calendar_entries(
                ctx, "NonDisablementCalendar", NON_DISABLEMENT_SCRIPTS, _action,
                special_day_count(ctx, "NonDisablementSpecialDays"))))
        items += values[early:-1] if _LAST_SETTING in parameters else values[early:]
        if calendar:
            items.append((_CALENDAR_ACTIVATION, when))
        if _LAST_SETTING in parameters:
            items.append(values[-1])
        items += [(AccessRequestSet(9000, logical_name, 6), when) for _, logical_name, _ in given]
        if days:
            items.append((_SPECIAL_DAYS_ACTIVATION, when))
        return dlms_request(ctx, items)

    return build


_EARLY_SETTINGS = {name for name, _, _ in PREPAYMENT_SETTINGS[:2]}
_LAST_SETTING = PREPAYMENT_SETTINGS[-1][0]


def _action(entry: Mapping[str, object]) -> int:
    action = entry.get("Action")
    if action not in NON_DISABLEMENT_ACTIONS:
        raise TransformError(f"a non-disablement calendar entry needs Action Start or End: "
                             f"{entry}")
    return NON_DISABLEMENT_ACTIONS[str(action)]
