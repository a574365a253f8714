"""Prepayment cluster (0x0705) attributes.

Credit, emergency credit, debt and the warning levels are bound to the typed
:class:`~firmware_emu.state_metering.PrepaymentState` (pence; ZCL money is 1/1000 penny).
The payment control configuration follows the typed payment mode: its "prepayment
enabled" bit is the mode, the other bits are kept as last set.
"""

from __future__ import annotations

from firmware_emu.state_metering import PaymentMode
from firmware_emu.zcl.attributes import (
    BITMAP8,
    BITMAP16,
    ENUM8,
    INT32,
    OCTET_STRING,
    UINT8,
    UINT16,
    UINT32,
    UTC_TIME,
    bound,
    catalogue,
)
from firmware_emu.zcl.catalogue_price import MONEY_UNITS_PER_PENNY as UNITS

CLUSTER_ID = 0x0705
PREPAYMENT_ENABLED = 0x0002
CREDIT_CONFIGURATION = 0x0C94
"""Credit management and display, contactor fitted, standing charge and debt config."""
PREPAYMENT_CONFIGURATION = CREDIT_CONFIGURATION | PREPAYMENT_ENABLED | 0x0001


def payment_control(model) -> int:
    prepayment = model.metering.payment_mode is PaymentMode.PREPAYMENT
    stored = model.stored_value(CLUSTER_ID, 0x0000)
    if stored is None:
        return PREPAYMENT_CONFIGURATION if prepayment else CREDIT_CONFIGURATION
    return stored | PREPAYMENT_ENABLED if prepayment else stored & ~PREPAYMENT_ENABLED


def set_payment_control(model, value: int) -> None:
    mode = PaymentMode.PREPAYMENT if value & PREPAYMENT_ENABLED else PaymentMode.CREDIT
    model.set_metering(payment_mode=mode)
    model.store_value(CLUSTER_ID, 0x0000, value)


def _money(field: str):
    return lambda m: getattr(m.metering.prepayment, field) * UNITS


def _set_money(field: str):
    def put(model, value: int) -> None:
        model.set_prepayment(**{field: max(0, value) // UNITS})
    return put


def credit_status(model) -> int:
    """Credit OK, low credit, EC enabled, EC available, EC selected/in use, exhausted."""
    prepayment = model.metering.prepayment
    bits = 0x01 if prepayment.meter_balance_pence > 0 else 0
    if 0 < prepayment.meter_balance_pence <= prepayment.low_credit_threshold_pence:
        bits |= 0x02
    if prepayment.emergency_credit_limit_pence:
        bits |= 0x04
        if (not prepayment.emergency_credit_in_use and prepayment.meter_balance_pence
                <= prepayment.emergency_credit_threshold_pence):
            bits |= 0x08
    if prepayment.emergency_credit_in_use:
        bits |= 0x30
    if not prepayment.available_credit_pence:
        bits |= 0x40
    return bits


def _debt_rows(debt: int):
    base = 0x0200 + 0x10 * debt
    percentage = bound(lambda m: m.metering.prepayment.debt_recovery_percent * 100) \
        if debt == 3 else None
    return [
        (base + 0x0, OCTET_STRING, b""),
        (base + 0x1, UINT32, 0),
        (base + 0x2, ENUM8, 0x00),
        (base + 0x3, UTC_TIME, 0),
        (base + 0x4, UINT16, 0),
        (base + 0x6, ENUM8, 0x00),
        (base + 0x7, UINT32, 0),
        (base + 0x9, UINT16, 0, percentage),
    ]


ATTRIBUTES = catalogue(CLUSTER_ID, [
    (0x0000, BITMAP16, CREDIT_CONFIGURATION, bound(payment_control, set_payment_control)),
    (0x0001, INT32, 0, bound(_money("meter_balance_pence"))),
    (0x0002, INT32, 0, bound(_money("emergency_credit_remaining_pence"))),
    (0x0003, BITMAP8, 0x00, bound(credit_status)),
    (0x0004, UTC_TIME, 0, bound(lambda m: m.utc_now)),
    (0x0005, INT32, 0, bound(_money("debt_pence"))),
    (0x0006, INT32, 0),
    (0x0010, UINT32, 0, bound(_money("emergency_credit_limit_pence"),
                              _set_money("emergency_credit_limit_pence"))),
    (0x0011, UINT32, 0, bound(_money("emergency_credit_threshold_pence"),
                              _set_money("emergency_credit_threshold_pence"))),
    (0x0020, UINT32, 0),
    (0x0021, UINT32, 25_000_000),
    (0x0022, UINT32, 25_000_000),
    (0x0030, UINT8, 0),
    (0x0031, UINT32, 0, bound(_money("low_credit_threshold_pence"),
                              _set_money("low_credit_threshold_pence"))),
    (0x0032, UINT32, 0),
    (0x0033, UINT8, 0),
    (0x0040, INT32, 0),
    (0x0080, OCTET_STRING, b""),
    *_debt_rows(1), *_debt_rows(2), *_debt_rows(3),
])
