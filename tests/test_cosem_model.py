"""The COSEM object model: lookup, types, defaults, access rights, storage, bindings to
typed state, and the processor's break-on-error and rollback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from firmware_emu.cosem import AccessContext, AttributeRef, CosemError, model_for
from firmware_emu.cosem.axdr_types import DATE_TIME, U16, ArrayOf, OneOf, Struct, octets
from firmware_emu.cosem.processor import fault_item, run_request
from firmware_emu.provisioning import new_identity
from firmware_emu.state import (
    DeviceState,
    DeviceType,
    DeviceVariant,
    PaymentMode,
    SupplyState,
    device_state_from_dict,
    new_device_state,
)
from gbcs.dlms import axdr
from gbcs.dlms.axdr import (
    NULL,
    Array,
    Boolean,
    DoubleLong,
    DoubleLongUnsigned,
    Enum,
    LongUnsigned,
    OctetString,
    Structure,
)
from gbcs.dlms.cosem import obis
from gbcs.dlms.xdlms import (
    AccessRequestAction,
    AccessRequestGet,
    AccessRequestSet,
    ActionResult,
    DataAccessResult,
    InvokeIdAndPriority,
    access_request,
)
from gbcs.primitives import CosemDateTime

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ESME_EUI = bytes.fromhex("00DB0000000000A0")


def esme(**variant: object) -> DeviceState:
    return new_device_state(new_identity(ESME_EUI, DeviceType.ESME, DeviceVariant(**variant)))


def access_to(state: DeviceState) -> AccessContext:
    return AccessContext(state, NOW, model_for(state))


def ref(class_id: int, text: str, item: int, *, method: bool = False) -> AttributeRef:
    return AttributeRef.of(class_id, text, item, method=method)


def result_of(call) -> int:
    with pytest.raises(CosemError) as raised:
        call()
    return raised.value.result


def test_types_check_values_and_build_defaults_of_their_own_shape() -> None:
    row = Struct(U16, octets(8), ArrayOf(U16, 3))
    assert row.conforms(row.default())
    assert row.default().elements[2] == Array((LongUnsigned(0),) * 3)
    assert not row.conforms(Structure((LongUnsigned(1), OctetString(b"short"),
                                       Array((LongUnsigned(0),) * 3))))
    assert OneOf(DATE_TIME, U16).conforms(LongUnsigned(30))
    assert DATE_TIME.default().value == CosemDateTime().to_bytes()
    assert repr(row.describe()).startswith("StructureType")


def test_unknown_objects_and_attributes_have_their_dlms_results() -> None:
    access = access_to(esme())
    model = access.model
    assert result_of(lambda: model.get(access, ref(1, "0-0:1.2.3.255", 2))) == \
        DataAccessResult.OBJECT_UNDEFINED
    assert result_of(lambda: model.get(access, ref(1, "0-0:94.44.0.1", 9))) == \
        DataAccessResult.OBJECT_UNAVAILABLE
    assert model.get(access, ref(1, "0-0:94.44.0.1", 1)) == \
        OctetString(obis("0-0:94.44.0.1").to_bytes())
    assert result_of(lambda: model.action(access, ref(1, "0-0:94.44.0.1", 1, method=True),
                                          NULL)) == ActionResult.OBJECT_UNAVAILABLE


def test_written_values_persist_in_attribute_values_and_survive_a_restart() -> None:
    state = esme()
    access = access_to(state)
    limit = ref(1, "0-0:94.44.0.1", 2)
    assert access.model.get(access, limit) == LongUnsigned(0)
    access.model.set(access, limit, LongUnsigned(900))
    restored = device_state_from_dict(state.to_dict())
    assert state.attribute_values[limit.key] == LongUnsigned(900).encode()
    assert access.model.get(access_to(restored), limit) == LongUnsigned(900)


def test_wrong_type_and_read_only_writes_change_nothing() -> None:
    state = esme()
    access = access_to(state)
    assert result_of(lambda: access.model.set(access, ref(1, "0-0:94.44.0.1", 2),
                                              DoubleLong(1))) == DataAccessResult.TYPE_UNMATCHED
    assert result_of(lambda: access.model.set(access, ref(1, "0-0:96.1.1.255", 2),
                                              OctetString(bytes(8)))) == \
        DataAccessResult.READ_WRITE_DENIED
    assert state.attribute_values == {}


def test_identity_and_firmware_version_are_read_from_the_identity() -> None:
    state = esme(twin_element=True)
    access = access_to(state)
    get = access.model.get
    assert get(access, ref(1, "0-0:96.1.1.255", 2)).value == ESME_EUI
    assert get(access, ref(1, "0-0:0.2.1.255", 2)).value == state.identity.firmware_version
    assert get(access, ref(1, "0-0:96.1.4.255", 2)).value == \
        state.identity.model_type.encode()
    assert get(access, ref(1, "0-0:96.1.2.255", 2)).value == b"B"


def test_load_switch_scripts_drive_the_supply_state_and_arming_alerts() -> None:
    state = esme()
    access = access_to(state)
    scripts = ref(9, "0-0:10.0.106.255", 1, method=True)
    control = ref(70, "0-0:96.3.10.255", 3)
    access.model.action(access, scripts, LongUnsigned(52))
    assert state.metering.supply is SupplyState.DISABLED
    assert access.model.get(access, control) == Enum(0)
    access.model.action(access, scripts, LongUnsigned(53))
    access.model.action(access, scripts, LongUnsigned(53))
    assert access.model.get(access, control) == Enum(2)
    (armed,) = access.finish()
    assert (armed.message_code, armed.critical) == (0x1000, True)
    assert result_of(lambda: access.model.action(access, scripts, LongUnsigned(7))) == \
        ActionResult.OTHER_REASON


def test_prepayment_amounts_cross_the_wire_in_hundred_thousandths_of_a_pound() -> None:
    state = esme()
    access = access_to(state)
    balance = ref(112, "0-0:19.10.0.255", 2)
    access.model.action(access, ref(112, "0-0:19.10.0.255", 1, method=True),
                        DoubleLong(1_200_000))
    assert state.metering.prepayment.meter_balance_pence == 1200
    assert access.model.get(access, balance) == DoubleLong(1_200_000)
    assert result_of(lambda: access.model.action(
        access, ref(112, "0-0:19.10.0.255", 1, method=True), DoubleLong(-2_000_000))) == \
        ActionResult.OTHER_REASON
    access.model.action(access, ref(112, "0-0:19.10.0.255", 2, method=True), DoubleLong(0))
    access.model.action(access, ref(112, "0-0:19.10.1.255", 3, method=True), axdr.integer(0))
    assert state.metering.prepayment.emergency_credit_in_use


def test_ecs70_sets_the_clock_to_the_middle_of_the_validity_interval() -> None:
    state = esme()
    access = access_to(state)
    start, end = datetime(2015, 1, 1, tzinfo=UTC), datetime(2015, 1, 1, 0, 0, 20, tzinfo=UTC)
    preset = Structure(tuple(OctetString(t.to_bytes()) for t in (
        CosemDateTime(), CosemDateTime.from_datetime(start), CosemDateTime.from_datetime(end))))
    clock = "0-0:1.0.0.255"
    access.model.action(access, ref(8, clock, 5, method=True), preset)
    access.model.action(access, ref(8, clock, 4, method=True), axdr.integer(0))
    assert state.metering.clock_offset == start + timedelta(seconds=10) - NOW
    time = access.model.get(access, ref(8, clock, 2))
    assert CosemDateTime.from_bytes(time.value).to_datetime() == start + timedelta(seconds=10)
    assert result_of(lambda: access.model.action(access, ref(8, clock, 4, method=True),
                                                 axdr.integer(0))) == ActionResult.OTHER_REASON


def test_a_twin_element_import_mpan_keeps_both_mpans() -> None:
    state = esme(twin_element=True)
    access = access_to(state)
    mpan = ref(1, "0-0:94.44.34.11", 2)
    assert access.model.get(access, mpan) == OctetString(b"0" * 26)
    both = OctetString(b"1312345678111" + b"1312345678222")
    access.model.set(access, mpan, both)
    assert state.metering.import_mpxn == "1312345678111"
    assert access.model.get(access, mpan) == both
    assert result_of(lambda: access.model.set(access, mpan, OctetString(b"12"))) == \
        DataAccessResult.OTHER_REASON


def _request(*items):
    return access_request(InvokeIdAndPriority.for_counter(1), items)


def test_a_failing_item_stops_the_request_and_reports_the_rest_as_not_executed() -> None:
    state = esme()
    access = access_to(state)
    limit = obis("0-0:94.44.0.1")
    request = _request(
        (AccessRequestSet(1, limit, 2), LongUnsigned(5)),
        (AccessRequestSet(1, limit, 2), Boolean(0xFF)),
        (AccessRequestGet(1, limit, 2), NULL))
    response, failed = run_request(access, request)
    assert [r.result for r in response.results] == [0, DataAccessResult.TYPE_UNMATCHED,
                                                    DataAccessResult.OTHER_REASON]
    assert failed is not None


def test_an_injected_fault_fails_the_last_but_one_item() -> None:
    access = access_to(esme())
    request = _request(*((AccessRequestGet(1, obis("0-0:94.44.0.1"), 2), NULL),) * 4)
    response, failed = run_request(access, request, fault_at=fault_item(4))
    assert [r.result for r in response.results] == [0, 0, 1, 250]
    assert response.data[0] == LongUnsigned(0) and failed
    assert fault_item(1) == 0


def test_payment_mode_set_immediately_changes_the_typed_state() -> None:
    state = esme()
    access = access_to(state)
    account = obis("0-1:19.0.0.255")
    now_marker = OctetString(bytes(9) + bytes.fromhex("8000FF"))
    request = _request(
        (AccessRequestSet(111, account, 2), Structure((Enum(2), Enum(1)))),
        (AccessRequestSet(111, account, 13), now_marker))
    _, failed = run_request(access, request)
    assert failed is None and state.metering.payment_mode is PaymentMode.PREPAYMENT


def test_actions_return_their_value_and_reset_registers() -> None:
    state = esme()
    access = access_to(state)
    counter = ref(3, "0-0:94.44.42.255", 2)
    access.model.assign(access, counter, DoubleLongUnsigned(7))
    request = _request((AccessRequestAction(3, obis("0-0:94.44.42.255"), 1), axdr.integer(0)))
    response, failed = run_request(access, request)
    assert failed is None and response.data == (NULL,)
    assert access.model.get(access, counter) == DoubleLongUnsigned(0)
