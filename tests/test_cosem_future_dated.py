"""Future-dated DLMS commands: now / never / a moment, held-back values, the scheduled
activation and its 8F66 / 8F67 alert; and UTRN top-ups (CS01a)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from firmware_emu.cosem import AccessContext, model_for
from firmware_emu.cosem.future_dated import ACTION_KIND
from firmware_emu.cosem.model import AttributeRef, CosemError
from firmware_emu.cosem.processor import run_request
from firmware_emu.state import PaymentMode
from gbcs.crypto import KeyUsage, utrn_from_shared_secret
from gbcs.dlms.axdr import DoubleLong, Enum, OctetString, Structure
from gbcs.dlms.cosem import obis
from gbcs.dlms.xdlms import (
    AccessRequestAction,
    AccessRequestSet,
    ActionResult,
    DataAccessResult,
    InvokeIdAndPriority,
    access_request,
)
from gbcs.framing.general_signing import Cra, GroupingHeader, OtherInformation
from gbcs.message import GbcsMessage, decode_message
from gbcs.primitives import CosemDateTime
from tests.test_cosem_alerts import esme_device

SUPPLIER = bytes.fromhex("90B3D51F30010000")
ACCOUNT = obis("0-1:19.0.0.255")
LIMIT = "0-0:94.44.128.2"


def command_access(device, code: int, counter: int, *items) -> tuple[AccessContext, object]:
    request = access_request(InvokeIdAndPriority.for_counter(counter), items)
    header = GroupingHeader(Cra.COMMAND, counter, SUPPLIER, device.eui, OtherInformation(code))
    command = GbcsMessage(header, request)
    access = AccessContext(device.state, device.now(), model_for(device.state), command,
                           keys=device.keys)
    return access, request


def at(moment: datetime | None) -> OctetString:
    """An activation date-time: a moment, or (None) the COSEM "never"."""
    value = CosemDateTime.from_datetime(moment) if moment else CosemDateTime()
    return OctetString(value.to_bytes())


NOW_MARKER = OctetString(bytes(9) + bytes.fromhex("8000FF"))


def prepayment_at(device, when: OctetString, mode: int = 2, counter: int = 10):
    return command_access(device, 0x001B, counter,
                          (AccessRequestSet(111, ACCOUNT, 2), Structure((Enum(mode), Enum(1)))),
                          (AccessRequestSet(111, ACCOUNT, 13), when))


def test_a_future_account_mode_change_waits_for_its_activation_time() -> None:
    device = esme_device()
    later = device.now() + timedelta(days=30)
    access, request = prepayment_at(device, at(later))
    assert run_request(access, request)[1] is None
    assert device.state.metering.payment_mode is PaymentMode.CREDIT
    (pending,) = device.state.scheduler.actions
    assert pending.action_id.startswith(f"{ACTION_KIND}:") and pending.due_at == later
    assert device.run_due(later - timedelta(seconds=1)) == []
    (raw,) = device.run_due(later)
    alert = decode_message(raw)
    assert device.state.metering.payment_mode is PaymentMode.PREPAYMENT
    assert (alert.message_code, alert.payload.alert_code) == (0x00CC, 0x8F66)
    assert alert.payload.body.children[2].value == (
        bytes.fromhex("001B") + (10).to_bytes(8, "big") + (111).to_bytes(2, "big")
        + ACCOUNT.to_bytes() + bytes((13,)))


def test_an_activation_that_cannot_be_carried_out_is_reported_with_8f67() -> None:
    device = esme_device()
    later = device.now() + timedelta(days=1)
    access, request = prepayment_at(device, at(later), mode=9)
    assert run_request(access, request)[1] is None
    before = device.state.metering.to_dict()
    (raw,) = device.run_due(later)
    assert decode_message(raw).payload.alert_code == 0x8F67
    assert device.state.metering.to_dict() == before and len(device.state.scheduler) == 0


def test_now_and_past_times_activate_at_once_and_never_cancels() -> None:
    device = esme_device()
    access, request = prepayment_at(device, at(device.now() + timedelta(days=1)))
    run_request(access, request)
    access, request = prepayment_at(device, at(None), counter=11)
    assert run_request(access, request)[1] is None
    assert len(device.state.scheduler) == 0
    assert device.state.metering.payment_mode is PaymentMode.CREDIT
    past = datetime(2020, 1, 1, tzinfo=UTC)
    for when, counter in ((NOW_MARKER, 12), (at(past), 13)):
        device.state.metering.payment_mode = PaymentMode.CREDIT
        access, request = prepayment_at(device, when, counter=counter)
        assert run_request(access, request)[1] is None
        assert device.state.metering.payment_mode is PaymentMode.PREPAYMENT


def test_passive_values_are_copied_to_the_active_attribute_on_activation() -> None:
    device = esme_device()
    limit = obis(LIMIT)
    access, request = command_access(
        device, 0x001F, 20, (AccessRequestSet(9000, limit, 4), _pence(750)),
        (AccessRequestSet(9000, limit, 6), NOW_MARKER))
    assert run_request(access, request)[1] is None
    assert device.state.metering.prepayment.emergency_credit_limit_pence == 750
    assert access.model.get(access, AttributeRef(9000, limit, 2)) == _pence(750)


def test_an_activation_time_that_is_no_time_fails_its_item() -> None:
    device = esme_device()
    nonsense = OctetString(bytes.fromhex("07EE0D20FF090000008000FF"))  # month 13
    access, request = prepayment_at(device, nonsense)
    response, failed = run_request(access, request)
    assert failed and response.results[1].result == DataAccessResult.OTHER_REASON


def _pence(amount: int) -> DoubleLong:
    return DoubleLong(amount * 1000)


# -- UTRN top-up ---------------------------------------------------------------------


def top_up(device, counter: int, utrn_counter: int, pence: int):
    secret = device.keys.shared_secret(SUPPLIER, device.eui, KeyUsage.PREPAYMENT)
    utrn = utrn_from_shared_secret(secret, SUPPLIER, device.eui, utrn_counter, pence)
    return command_access(device, 0x0007, counter, (
        AccessRequestAction(115, obis("0-0:19.40.0.255"), 1), OctetString(utrn.encode())))


def test_an_authentic_utrn_credits_the_meter_once() -> None:
    device = esme_device()
    credit = device.state.metering.prepayment
    access, request = top_up(device, 5 << 32, 5 << 32, 1000)
    assert run_request(access, request)[1] is None
    assert credit.meter_balance_pence == 1000
    access, request = top_up(device, 5 << 32, 5 << 32, 1000)
    response, failed = run_request(access, request)
    assert failed and response.results[0].result == ActionResult.OTHER_REASON
    assert credit.meter_balance_pence == 1000


@pytest.mark.parametrize("header_counter", [6 << 32, 7 << 32])
def test_a_utrn_for_another_counter_is_not_authentic(header_counter: int) -> None:
    device = esme_device()
    access, request = top_up(device, header_counter, 8 << 32, 500)
    _, failed = run_request(access, request)
    assert failed and "not authentic" in failed
    with pytest.raises(CosemError):
        access.model.action(access, AttributeRef.of(115, "0-0:19.40.0.255", 1, method=True),
                            OctetString(b"12345"))
    assert device.state.metering.prepayment.meter_balance_pence == 0
