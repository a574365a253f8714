"""xDLMS APDUs: the RTDS corpus, known messages, builders, generated APDUs, random input."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbcs.dlms import axdr
from gbcs.dlms.axdr import NULL, CompactArray, Structure, StructureType
from gbcs.dlms.cosem import ObisCode, obis
from gbcs.dlms.xdlms import (
    AccessKind,
    AccessRequest,
    AccessRequestAction,
    AccessRequestApdu,
    AccessRequestGet,
    AccessRequestGetWithSelection,
    AccessRequestSet,
    AccessRequestSetWithSelection,
    AccessResponse,
    AccessResponseApdu,
    AccessResponseSpecification,
    DataNotification,
    DataNotificationApdu,
    InvokeIdAndPriority,
    XdlmsApdu,
    access_request,
    access_response,
    alert_notification,
    decode_xdlms,
    encode_xdlms,
    failure,
    result_name,
    success,
)
from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import CosemDateTime, parse_layer
from tests.roundtrip import roundtrip
from tests.rtds import all_messages, content_of, message
from tests.test_dlms_axdr import data_trees

DLMS_TAGS = (0xD9, 0xDA, 0x0F)


def dlms_contents() -> list[tuple[str, bytes]]:
    found = []
    for item in all_messages():
        _, content = content_of(item.data)
        if content[:1] and content[0] in DLMS_TAGS:
            found.append((item.name, content))
    return found


def content(name: str) -> bytes:
    return content_of(message(name).data)[1]


DEVICE_LOG = obis("0-0:30.3.0.255")

# =====================================================================================
# RTDS corpus
# =====================================================================================


def test_every_rtds_dlms_content_round_trips(rtds_messages_dir):
    contents = dlms_contents()
    assert len(contents) > 600  # 335 D9 + 247 DA + 59 0F in RTDS 4.5.0
    kinds = set()
    for name, raw in contents:
        apdu = roundtrip(XdlmsApdu, raw)
        assert decode_xdlms(raw) == apdu, name
        assert encode_xdlms(apdu) == raw, name
        kinds.add(type(apdu))
    assert kinds == {AccessRequest, AccessResponse, DataNotification}


def test_rtds_decode_speed(rtds_messages_dir):
    """Regression guard only (generous bound); the report gives the measured figure."""
    contents = [raw for _, raw in dlms_contents()]
    start = time.perf_counter()
    for raw in contents:
        decode_xdlms(raw)
    assert (time.perf_counter() - start) / len(contents) < 500e-6


def test_each_apdu_construct_parses_its_own_kind(rtds_messages_dir):
    for _, raw in dlms_contents():
        con = {0xD9: AccessRequestApdu, 0xDA: AccessResponseApdu,
               0x0F: DataNotificationApdu}[raw[0]]
        roundtrip(con, raw)
        other = AccessResponseApdu if raw[0] != 0xDA else AccessRequestApdu
        with pytest.raises(DecodeError, match="expected tag"):
            other.decode(raw)


# =====================================================================================
# Known messages (primer §11.1, §11.9, §8.2.6)
# =====================================================================================


def test_ccs01_command(rtds_messages_dir):
    apdu = decode_xdlms(content("8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND"))
    assert isinstance(apdu, AccessRequest)
    assert apdu.invoke.break_on_error and apdu.invoke.invoke_id == 0x000516
    assert apdu.date_time == b"" and apdu.moment is None
    assert apdu.specifications == (
        AccessRequestAction(104, DEVICE_LOG, 1),
        AccessRequestSet(104, DEVICE_LOG, 3),
        AccessRequestSet(104, DEVICE_LOG, 2),
    )
    register_device, join_timeout, joining = apdu.data
    assert isinstance(register_device, Structure) and len(register_device.children) == 4
    assert register_device[0].value == bytes.fromhex("00DB1234567890A0")
    assert register_device[1] == axdr.enum(1)
    assert len(register_device[2].value) == 16
    assert register_device[3] == axdr.enum(0)
    assert join_timeout == axdr.long_unsigned(90)
    assert joining.value is True and joining.raw == 0xFF
    assert [spec.KIND for spec in apdu.specifications] == [
        AccessKind.ACTION, AccessKind.SET, AccessKind.SET]


def test_ccs01_response_and_error(rtds_messages_dir):
    request = decode_xdlms(content("8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND"))
    response = decode_xdlms(content("8.11_CCS01/CCS01_8.11_SUCCESS_RESPONSE"))
    assert isinstance(response, AccessResponse)
    assert response.invoke == request.invoke
    assert response.request_specifications is None
    assert response.data == (NULL, NULL, NULL)
    assert [(r.kind, r.result) for r in response.results] == [
        (AccessKind.ACTION, 0), (AccessKind.SET, 0), (AccessKind.SET, 0)]
    assert response.ok
    rebuilt = access_response(request, [success(), success(), success()])
    assert encode_xdlms(rebuilt) == content("8.11_CCS01/CCS01_8.11_SUCCESS_RESPONSE")


def test_dbch02_compact_array(rtds_messages_dir):
    request = decode_xdlms(content("6.32_DBCH02/DBCH02_6.32_SUCCESS_COMMAND"))
    [spec] = request.specifications
    assert isinstance(spec, AccessRequestGetWithSelection)
    assert (spec.class_id, str(spec.instance), spec.attribute_id, spec.access_selector) == (
        7, "0-0:94.44.10.3", 2, 1)
    restricting, from_time, to_time, selected = spec.access_parameters.children
    assert restricting[1].value == obis("0-0:94.44.100.255").raw
    assert from_time.value < to_time.value and selected.children == ()

    response = decode_xdlms(content("6.32_DBCH02/DBCH02_6.32_SUCCESS_RESPONSE"))
    [log] = response.data
    assert isinstance(log, CompactArray)
    assert log.description == StructureType(
        (axdr.SimpleType(0x06), axdr.SimpleType(0x12), axdr.SimpleType(0x09)))
    assert len(log.elements) > 1
    for entry in log.elements:
        _timestamp, code, other = entry.value
        assert code == 0x8F26 and len(other) == 7


def test_ecs17b_protected_response(rtds_messages_dir):
    response = decode_xdlms(content("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE"))
    [result] = response.data
    parameters, payload = result.children
    assert isinstance(parameters, axdr.Array)
    assert payload.value[0] == 0x31
    assert response.results == (AccessResponseSpecification(AccessKind.ACTION, 0),)
    error = decode_xdlms(content("4.1.1_ECS17b/ECS17b_4.1.1_ERROR_RESPONSE"))
    assert error.data == (NULL,) and error.results[0].result_name == "hardware-fault"
    assert not error.ok


def test_alert_notification_views(rtds_messages_dir):
    alert = decode_xdlms(content("NA_ECS200/ECS200_NA_8F88_ALERT"))
    assert isinstance(alert, DataNotification)
    assert alert.alert_code == 0x8F88
    assert str(alert.timestamp) == "2015-01-01T00:00:00Z"
    assert isinstance(alert.body[2], axdr.Utf8String)
    rebuilt = alert_notification(alert.invoke, 0x8F88, alert.timestamp, alert.body[2])
    assert encode_xdlms(rebuilt) == content("NA_ECS200/ECS200_NA_8F88_ALERT")


# =====================================================================================
# Building
# =====================================================================================


def test_build_request_and_response_from_fields():
    invoke = InvokeIdAndPriority.for_counter(0x1234567890ABCDEF)
    assert invoke.value == 0x20ABCDEF
    request = access_request(invoke, [
        (AccessRequestGet(1, obis("0-0:0.2.1.255"), 2), NULL),
        (AccessRequestAction(9, obis("0-0:10.0.106.255"), 1), axdr.long_unsigned(51)),
    ])
    raw = encode_xdlms(request)
    assert raw == bytes.fromhex(
        "D9 20ABCDEF 00 02 01 0001 0000000201FF 02 03 0009 00000A006AFF 01 02 00 12 0033")
    assert decode_xdlms(raw) == request

    response = access_response(request, [success(axdr.octet_string(b"\x01\x23\xab\xcd")),
                                         failure(250)])
    assert encode_xdlms(response) == bytes.fromhex(
        "DA 20ABCDEF 00 00 02 0904 0123ABCD 00 02 0100 03FA")
    assert response.results[1].result_name == "other-reason"
    with pytest.raises(EncodeError):
        access_response(request, [success()])


def test_access_response_with_request_specification_present():
    request = access_request(InvokeIdAndPriority.for_counter(1), [
        (AccessRequestSet(104, DEVICE_LOG, 3), axdr.long_unsigned(90)),
        (AccessRequestSetWithSelection(7, obis("0-0:99.98.0.255"), 2, 1, axdr.structure()),
         axdr.array()),
    ])
    response = access_response(request, [success(), failure(3)], echo_request=True)
    raw = encode_xdlms(response)
    assert raw[6] == 0x01  # OPTIONAL present
    assert roundtrip(XdlmsApdu, raw) == response
    assert response.request_specifications == request.specifications
    assert [r.kind for r in response.results] == [AccessKind.SET, AccessKind.SET]


def test_date_time_field_and_invoke_bits():
    moment = CosemDateTime(2015, 1, 1, 0xFF, 0, 0, 0, 0)
    invoke = InvokeIdAndPriority.compose(7, high_priority=True, confirmed=True,
                                         self_descriptive=True, reserved=5)
    apdu = DataNotification(invoke, NULL, moment.to_bytes())
    decoded = decode_xdlms(encode_xdlms(apdu))
    assert decoded == apdu and decoded.moment == moment
    assert (decoded.invoke.high_priority, decoded.invoke.confirmed,
            decoded.invoke.break_on_error, decoded.invoke.self_descriptive,
            decoded.invoke.reserved, decoded.invoke.invoke_id) == (True, True, False, True, 5, 7)
    with pytest.raises(EncodeError):
        InvokeIdAndPriority.compose(1 << 24)


@pytest.mark.parametrize("bad", [
    AccessRequest(InvokeIdAndPriority(1 << 32), (), ()),
    AccessRequest(InvokeIdAndPriority(0), (AccessRequestGet(70000, DEVICE_LOG, 2),), ()),
    AccessRequest(InvokeIdAndPriority(0), ("spec",), ()),
    AccessRequest(InvokeIdAndPriority(0), (), (b"\x00",)),
    AccessResponse(InvokeIdAndPriority(0), (), (AccessResponseSpecification(4, 0),)),
    AccessResponse(InvokeIdAndPriority(0), (), (AccessResponseSpecification(1, 256),)),
    "not an APDU",
])
def test_encoding_invalid_apdus_raises_encode_error(bad):
    with pytest.raises(EncodeError):
        encode_xdlms(bad)


def test_result_names():
    assert result_name(AccessKind.GET, 0) == "success"
    assert result_name(AccessKind.ACTION, 15) == "long-action-aborted"
    assert result_name(AccessKind.SET, 17) == "long-set-aborted"
    assert result_name(AccessKind.SET, 77) == "result 77"


# =====================================================================================
# Malformed input
# =====================================================================================


@pytest.mark.parametrize(("wire", "reason", "offset", "path"), [
    ("", "truncated", 0, "dlms"),
    ("C0", "unknown xDLMS APDU tag 0xC0", 0, "dlms"),
    ("D9 20000001 00 01 06", "unknown access-request-specification choice 6", 7,
     "dlms.specifications[0]"),
    ("D9 20000001 00 01 01 0001", "truncated", 7, "dlms.specifications[0]"),
    ("DA 20000001 00 02", "invalid OPTIONAL", 6, "dlms.request_specifications"),
    ("DA 20000001 00 00 01 07 00", "unknown A-XDR data tag 0x07", 8, "dlms.data[0]"),
    ("DA 20000001 00 00 00 01 04 00", "unknown access-response-specification choice 4", 9,
     "dlms.results[0]"),
    ("0F 20000001 00 1100 00", "trailing", 8, "dlms"),
    ("0F 20000001 81", "truncated", 5, "dlms.date_time"),
])
def test_malformed_apdus(wire, reason, offset, path):
    with pytest.raises(DecodeError) as caught:
        decode_xdlms(bytes.fromhex(wire), offset=1000)
    assert reason in caught.value.reason
    assert (caught.value.offset, caught.value.path) == (1000 + offset, path)


def test_parse_layer_reports_message_offsets():
    raw = bytes.fromhex("DA 20000001 00 00 01 07 00")
    with pytest.raises(DecodeError) as caught:
        parse_layer(XdlmsApdu, raw, offset=40, path="content")
    assert (caught.value.offset, caught.value.path) == (48, "content.data[0]")


def _check_random(raw: bytes) -> None:
    try:
        apdu = decode_xdlms(raw)
    except DecodeError as error:
        assert 0 <= error.offset <= len(raw)
        return
    assert encode_xdlms(apdu) == raw  # whatever decodes re-encodes byte-exact


@settings(max_examples=2500)
@given(st.binary(max_size=200))
def test_random_bytes_only_raise_decode_error(raw):
    _check_random(raw)


@settings(max_examples=2500)
@given(st.sampled_from(DLMS_TAGS), st.binary(max_size=12), st.binary(max_size=160))
def test_random_apdu_bodies_only_raise_decode_error(tag, head, body):
    _check_random(bytes((tag,)) + b"\x20\x00\x00\x01\x00" + head[:1] + body)


_CORPUS = [raw for _, raw in dlms_contents()] if all_messages() else [b"\x0f"]


@settings(max_examples=2500, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_CORPUS), st.integers(0, 2000), st.integers(0, 255),
       st.booleans())
def test_mutated_rtds_contents_only_raise_decode_error(raw, where, byte, truncate):
    where %= len(raw)
    mutated = raw[:where] if truncate else raw[:where] + bytes((byte,)) + raw[where + 1:]
    _check_random(mutated)


# =====================================================================================
# Generated APDUs
# =====================================================================================

obis_codes = st.binary(min_size=6, max_size=6).map(ObisCode)
small_data = data_trees.filter(lambda tree: len(tree.encode()) < 400)
specifications = st.one_of(
    st.builds(AccessRequestGet, st.integers(0, 0xFFFF), obis_codes, st.integers(-128, 127)),
    st.builds(AccessRequestSet, st.integers(0, 0xFFFF), obis_codes, st.integers(-128, 127)),
    st.builds(AccessRequestAction, st.integers(0, 0xFFFF), obis_codes, st.integers(-128, 127)),
    st.builds(AccessRequestGetWithSelection, st.integers(0, 0xFFFF), obis_codes,
              st.integers(-128, 127), st.integers(0, 255), small_data),
    st.builds(AccessRequestSetWithSelection, st.integers(0, 0xFFFF), obis_codes,
              st.integers(-128, 127), st.integers(0, 255), small_data),
)
invokes = st.integers(0, 0xFFFFFFFF).map(InvokeIdAndPriority)
date_times = st.one_of(st.just(b""), st.binary(max_size=14))
apdus = st.one_of(
    st.builds(AccessRequest, invokes, st.lists(specifications, max_size=4).map(tuple),
              st.lists(small_data, max_size=4).map(tuple), date_times),
    st.builds(AccessResponse, invokes, st.lists(small_data, max_size=4).map(tuple),
              st.lists(st.builds(AccessResponseSpecification,
                                 st.sampled_from([AccessKind.GET, AccessKind.SET,
                                                  AccessKind.ACTION]),
                                 st.integers(0, 255)), max_size=4).map(tuple),
              st.none() | st.lists(specifications, max_size=3).map(tuple), date_times),
    st.builds(DataNotification, invokes, small_data, date_times),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.filter_too_much])
@given(apdus)
def test_generated_apdus_build_then_parse_equal(apdu):
    raw = encode_xdlms(apdu)
    assert decode_xdlms(raw) == apdu
    assert roundtrip(XdlmsApdu, raw) == apdu


def test_response_specifications_are_shared_and_checked():
    from gbcs.dlms.xdlms_specifications import ResponseSpecification

    first, end = ResponseSpecification.read(b"\x03\x07\x03\x07", 0)
    again, _ = ResponseSpecification.read(b"\x03\x07\x03\x07", end)
    assert first is again and first == AccessResponseSpecification(AccessKind.ACTION, 7)
    for choice in (0, 4, 5, 255):
        with pytest.raises(DecodeError) as caught:
            ResponseSpecification.read(bytes((choice, 0)), 0)
        assert caught.value.reason == f"unknown access-response-specification choice {choice}"
