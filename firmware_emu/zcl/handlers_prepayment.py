"""Prepayment cluster (0x0705): credit, emergency credit, debt, top-ups and their logs.

Money in ZCL is 1/1000 penny (5 decimals of GBP); the typed prepayment state keeps pence.
A top-up's UTRN is checked against the supplier's prepayment trust anchor (CS01b: with
the command's originator counter; PCS01 from a PPMID: with the counter bits it carries).
"""

from __future__ import annotations

import enum

from firmware_emu.state import CellUsage, RemotePartyRole, TrustAnchorKeyUsage
from firmware_emu.state_metering import UTRN_COUNTER_CACHE_SIZE, MeteringError
from firmware_emu.zcl import history
from firmware_emu.zcl.calls import Answer, CommandHandler, ZclCall, ZclFailure, succeeded
from firmware_emu.zcl.catalogue_price import MONEY_UNITS_PER_PENNY as UNITS
from firmware_emu.zcl.handlers_calendar import FRIENDLY_CREDIT, active_calendar
from gbcs.crypto import KeyUsage
from gbcs.crypto.utrn import Utrn, parse_utrn, verify_utrn
from gbcs.errors import CryptoError, DecodeError, KeyNotFoundError
from gbcs.gbz import clusters_prepayment as prepayment
from gbcs.gbz.zcl import ZclStatus

CLUSTER = prepayment.CLUSTER_ID
CS01B = 0x0097
CREDIT_INCREMENTAL, CREDIT_ABSOLUTE = 0x00, 0x01
BILL_TO_DATE_ABSOLUTE, BILL_TO_DATE_INCREMENTAL = 0x02, 0x03
BILL_TO_DATE = (0x0702, 0x0A00)
DEBT_ATTRIBUTES = {"amount": 0x1, "method": 0x2, "start": 0x3, "collection": 0x4,
                   "frequency": 0x6, "recovery": 0x7, "percentage": 0x9}


class TopUpResult(enum.IntEnum):
    ACCEPTED = 0x00
    REJECTED_INVALID = 0x01
    REJECTED_DUPLICATE = 0x02
    REJECTED_ERROR = 0x03
    REJECTED_MAX_CREDIT = 0x04
    REJECTED_TOO_LARGE = 0x06


def _pence(units: int) -> int:
    return units // UNITS


def select_emergency_credit(call: ZclCall) -> Answer:
    try:
        call.model.metering.prepayment.activate_emergency_credit()
    except MeteringError as error:
        raise ZclFailure(ZclStatus.ACTION_DENIED, str(error)) from None
    return succeeded(call)


def change_debt(call: ZclCall) -> Answer:
    body = call.body
    debt = body.debt_amount_type // 2 + 1
    if debt > 3:
        raise ZclFailure(ZclStatus.INVALID_FIELD, f"debt amount type {body.debt_amount_type}")
    base = 0x0200 + 0x10 * debt
    amount = body.debt_amount
    if body.debt_amount_type % 2:
        amount += call.model.value(CLUSTER, base + DEBT_ATTRIBUTES["amount"])
    if not 0 <= amount <= 0xFFFFFFFF:
        raise ZclFailure(ZclStatus.INVALID_VALUE, "debt amount out of range")
    for name, value in (("amount", amount), ("method", body.debt_recovery_method),
                        ("start", body.debt_recovery_start_time),
                        ("collection", body.debt_recovery_collection_time),
                        ("frequency", body.debt_recovery_frequency),
                        ("recovery", max(body.debt_recovery_amount, 0)),
                        ("percentage", body.debt_recovery_balance_percentage)):
        call.model.write(CLUSTER, base + DEBT_ATTRIBUTES[name], value)
    call.model.write(CLUSTER, base, body.debt_label)
    if debt == 3:
        call.model.set_prepayment(
            debt_pence=_pence(amount),
            debt_recovery_percent=min(body.debt_recovery_balance_percentage // 100, 100))
    return succeeded(call)


def emergency_credit_setup(call: ZclCall) -> Answer:
    call.model.write(CLUSTER, 0x0010, call.body.emergency_credit_limit)
    call.model.write(CLUSTER, 0x0011, call.body.emergency_credit_threshold)
    return succeeded(call)


def credit_adjustment(call: ZclCall) -> Answer:
    body = call.body
    kind, value = body.credit_adjustment_type, body.credit_adjustment_value
    if kind in (BILL_TO_DATE_ABSOLUTE, BILL_TO_DATE_INCREMENTAL):
        total = value + (call.model.value(*BILL_TO_DATE) if kind % 2 else 0)
        call.model.write(*BILL_TO_DATE, max(total, 0))
        return succeeded(call)
    if kind not in (CREDIT_INCREMENTAL, CREDIT_ABSOLUTE):
        raise ZclFailure(ZclStatus.INVALID_FIELD, f"credit adjustment type {kind}")
    credit = call.model.metering.prepayment
    balance = _pence(value) + (credit.meter_balance_pence if kind == CREDIT_INCREMENTAL else 0)
    call.model.set_prepayment(meter_balance_pence=max(balance, 0),
                              debt_pence=credit.debt_pence + max(-balance, 0))
    return succeeded(call)


def payment_mode_response(call: ZclCall) -> Answer:
    friendly = active_calendar(call.model.store, FRIENDLY_CREDIT)
    return [call.reply(prepayment.ChangePaymentModeResponse(
        0x01 if friendly else 0x00, friendly.issuer_calendar_id if friendly else 0,
        call.model.value(CLUSTER, 0x0010), call.model.value(CLUSTER, 0x0011)))]


def change_payment_mode(call: ZclCall) -> Answer:
    body = call.body
    call.model.write(CLUSTER, 0x0000, body.proposed_payment_control_configuration)
    call.model.write(CLUSTER, 0x0040, body.cut_off_value)
    history.take_snapshot(call.model.state, call.now, history.SnapshotCause.CHANGE_OF_METER_MODE)
    return payment_mode_response(call)


def _set(*pairs: tuple[int, str]):
    def run(call: ZclCall) -> Answer:
        for attribute_id, field in pairs:
            call.model.write(CLUSTER, attribute_id, getattr(call.body, field))
        return succeeded(call)
    return run


# -- top-up ----------------------------------------------------------------------------------

def _supplier(call: ZclCall) -> bytes | None:
    anchors = call.model.state.trust_anchors
    for usage, cell_usage in ((TrustAnchorKeyUsage.KEY_AGREEMENT, CellUsage.PREPAYMENT_TOP_UP),
                              (TrustAnchorKeyUsage.KEY_AGREEMENT, CellUsage.MANAGEMENT),
                              (TrustAnchorKeyUsage.DIGITAL_SIGNATURE, CellUsage.MANAGEMENT)):
        cell = anchors.find(RemotePartyRole.SUPPLIER, usage, cell_usage)
        if cell is not None:
            return cell.subject_eui
    return None


def _authentic(call: ZclCall, utrn: Utrn) -> int | None:
    """The UTRN counter if the token is this device's supplier's, else None."""
    counter = call.originator_counter if call.message_code == CS01B else utrn.counter_bits << 32
    supplier, device = _supplier(call), call.model.state.eui
    if call.keys is None or supplier is None or not utrn.matches_counter(counter):
        return None
    try:
        secret = call.keys.shared_secret(supplier, device, KeyUsage.PREPAYMENT)
    except (KeyNotFoundError, CryptoError):
        return None
    return counter if verify_utrn(utrn, secret, supplier, device, counter) else None


def _top_up_response(call: ZclCall, result: int, amount: int = 0) -> Answer:
    balance = call.model.metering.prepayment.meter_balance_pence * UNITS
    return [call.reply(prepayment.ConsumerTopUpResponse(
        result, amount, call.body.originating_device, balance))]


def consumer_top_up(call: ZclCall) -> Answer:
    try:
        utrn = parse_utrn(call.body.top_up_code)
    except DecodeError:
        return _top_up_response(call, TopUpResult.REJECTED_INVALID)
    counter = _authentic(call, utrn)
    if counter is None:
        return _top_up_response(call, TopUpResult.REJECTED_INVALID)
    amount = utrn.amount_in_pennies
    credit = call.model.metering.prepayment
    if amount * UNITS > call.model.value(CLUSTER, 0x0022):
        return _top_up_response(call, TopUpResult.REJECTED_TOO_LARGE)
    if (credit.meter_balance_pence + amount) * UNITS > call.model.value(CLUSTER, 0x0021):
        return _top_up_response(call, TopUpResult.REJECTED_MAX_CREDIT)
    used = credit.utrn_counters
    if counter in used or (len(used) >= UTRN_COUNTER_CACHE_SIZE and counter <= min(used)):
        return _top_up_response(call, TopUpResult.REJECTED_DUPLICATE)
    debt_before = credit.debt_pence
    try:
        credit.top_up(amount, counter)
    except MeteringError:
        return _top_up_response(call, TopUpResult.REJECTED_MAX_CREDIT)
    store = call.model.store
    history.log_top_up(store, utrn.digits.encode("ascii"), amount * UNITS, call.now)
    call.model.write(CLUSTER, 0x0020, min(call.model.value(CLUSTER, 0x0020) + amount * UNITS,
                                          0xFFFFFFFF))
    if credit.debt_pence < debt_before:
        history.log_debt_collection(store, (debt_before - credit.debt_pence) * UNITS,
                                    history.PAYMENT_DEBT, credit.debt_pence * UNITS, call.now)
    return _top_up_response(call, TopUpResult.ACCEPTED, amount * UNITS)


def consumer_top_up_failed(call: ZclCall, status: int) -> Answer:
    return _top_up_response(call, TopUpResult.REJECTED_ERROR)


# -- logs ------------------------------------------------------------------------------------

def get_prepay_snapshot(call: ZclCall) -> Answer:
    body = call.body
    found = history.find_snapshot(call.model.store, history.PREPAY_SNAPSHOTS,
                                  prepayment.PublishPrepaySnapshot, body.earliest_start_time,
                                  body.latest_end_time, body.snapshot_offset,
                                  body.snapshot_cause)
    if found is None:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return [call.reply(found)]


def _latest(entries: list, time_of, earliest: int, latest: int, count: int) -> list:
    chosen = [entry for entry in entries if earliest <= time_of(entry) <= latest]
    chosen.sort(key=time_of, reverse=True)
    chosen = chosen[:count] if count else chosen
    if not chosen:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return chosen


def get_top_up_log(call: ZclCall) -> Answer:
    entries = call.model.store.log_records(history.TOP_UP_LOG, prepayment.TopUpEntry)
    chosen = _latest(entries, lambda entry: entry.top_up_time, 0, call.body.latest_end_time,
                     call.body.number_of_records)
    return [call.reply(prepayment.PublishTopUpLog(0, 1, tuple(chosen)))]


def get_debt_repayment_log(call: ZclCall) -> Answer:
    body = call.body
    entries = [entry for entry in call.model.store.log_records(history.DEBT_LOG,
                                                               prepayment.DebtEntry)
               if body.debt_type in (0xFF, entry.debt_type)]
    chosen = _latest(entries, lambda entry: entry.collection_time,
                     call.component.from_date_time or 0, body.latest_end_time,
                     body.number_of_debts)
    return [call.reply(prepayment.PublishDebtLog(0, 1, tuple(chosen)))]


HANDLERS = {
    prepayment.SelectAvailableEmergencyCredit: CommandHandler(select_emergency_credit),
    prepayment.ChangeDebt: CommandHandler(change_debt),
    prepayment.EmergencyCreditSetup: CommandHandler(emergency_credit_setup, "start_time"),
    prepayment.ConsumerTopUp: CommandHandler(consumer_top_up, failure=consumer_top_up_failed),
    prepayment.CreditAdjustment: CommandHandler(credit_adjustment, "start_time"),
    prepayment.ChangePaymentMode: CommandHandler(change_payment_mode, "implementation_date_time",
                                                 acknowledge=payment_mode_response),
    prepayment.SetLowCreditWarningLevel: CommandHandler(
        _set((0x0031, "low_credit_warning_level"))),
    prepayment.SetMaximumCreditLimit: CommandHandler(
        _set((0x0021, "maximum_credit_level"), (0x0022, "maximum_credit_per_top_up")),
        "implementation_date_time"),
    prepayment.SetOverallDebtCap: CommandHandler(_set((0x0006, "overall_debt_cap")),
                                                 "implementation_date_time"),
    prepayment.GetPrepaySnapshot: CommandHandler(get_prepay_snapshot, reads=True),
    prepayment.GetTopUpLog: CommandHandler(get_top_up_log, reads=True),
    prepayment.GetDebtRepaymentLog: CommandHandler(get_debt_repayment_log, reads=True),
}
