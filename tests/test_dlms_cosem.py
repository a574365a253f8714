"""COSEM names: OBIS codes, interface classes, the GBCS object table; construct embedding."""

import construct as c
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbcs.dlms import axdr
from gbcs.dlms.axdr import AxdrData
from gbcs.dlms.cosem import (
    COSEM_OBJECTS,
    INTERFACE_CLASSES,
    ObisCode,
    class_name,
    cosem_object,
    describe_attribute,
    describe_method,
    describe_object,
    obis,
    obis_from_bytes,
)
from gbcs.dlms.xdlms import XdlmsApdu, decode_xdlms
from gbcs.errors import DecodeError
from gbcs.primitives import build_layer, parse_layer
from tests.roundtrip import roundtrip
from tests.rtds import all_messages, content_of


def test_obis_text_and_bytes():
    code = obis("0-0:30.3.0.255")
    assert code.raw == bytes.fromhex("00001E0300FF")
    assert str(code) == "0-0:30.3.0.255" and code.groups == (0, 0, 30, 3, 0, 255)
    assert eval(repr(code), {"ObisCode": ObisCode}) == code
    assert obis_from_bytes(code.raw) == code and obis_from_bytes(code.raw) is obis_from_bytes(
        bytes(code.raw))


@pytest.mark.parametrize("text", ["0-0:30.3.0", "0-0:30.3.0.256", "a-0:1.2.3.4", "1.2.3.4.5.6"])
def test_obis_rejects_bad_text(text):
    with pytest.raises(ValueError):
        obis(text)


def test_obis_rejects_bad_bytes():
    with pytest.raises(ValueError):
        ObisCode(b"\x00" * 5)
    with pytest.raises(ValueError):
        obis_from_bytes(b"\x00" * 7)


@given(st.binary(min_size=6, max_size=6))
def test_obis_format_parse_round_trip(raw):
    assert ObisCode.parse(str(ObisCode(raw))).raw == raw


def test_descriptions():
    device_log = obis("0-0:30.3.0.255")
    assert describe_object(104, device_log) == (
        "0-0:30.3.0.255 CHF Device Log (ZigBee Network Control)")
    assert describe_method(104, device_log, 1) == (
        "0-0:30.3.0.255 CHF Device Log (ZigBee Network Control) method 1 register_device")
    assert describe_attribute(104, device_log, 3).endswith("attribute 3 join_timeout")
    assert describe_attribute(1, obis("1-0:1.8.0.255"), 1) == (
        "1-0:1.8.0.255 (Data) attribute 1 logical_name")
    assert describe_method(4242, obis("1-0:1.8.0.255"), 9) == "1-0:1.8.0.255 (class 4242) method 9"
    assert str(cosem_object(30, obis("0-0:43.2.8.255"))).startswith(
        "0-0:43.2.8.255 Protected read ECS17b")
    assert cosem_object(7, obis("0-0:94.44.10.3")).name == "Sub GHz channel log"
    assert class_name(9000) == "GBCS Extended Data"


def test_object_table_is_consistent():
    assert len(COSEM_OBJECTS) >= 30
    for (class_id, logical_name), item in COSEM_OBJECTS.items():
        assert (item.class_id, item.logical_name) == (class_id, logical_name)
        assert class_id in INTERFACE_CLASSES
    block_thresholds = [item for item in COSEM_OBJECTS.values() if item.class_id == 21]
    assert sorted(str(item.logical_name) for item in block_thresholds)[0] == "0-0:16.1.11.255"
    assert len(block_thresholds) == 8


def test_rtds_dlms_objects_describe_without_error(rtds_messages_dir):
    described = set()
    for item in all_messages():
        _, content = content_of(item.data)
        if content[:1] == b"\xd9":
            for spec in decode_xdlms(content).specifications:
                described.add(describe_object(spec.class_id, spec.instance))
    assert "0-0:30.3.0.255 CHF Device Log (ZigBee Network Control)" in described


def test_constructs_embed_in_ordinary_and_compiled_structs():
    layer = c.Struct("kind" / c.Int8ub, "value" / AxdrData, "apdu" / XdlmsApdu)
    raw = bytes.fromhex("07 0202 1100 0900 0F20000001 00 1105")
    for con in (layer, layer.compile()):
        parsed = roundtrip(con, raw)
        assert parsed.value == axdr.structure(axdr.unsigned(0), axdr.octet_string(b""))
        assert parsed.apdu.body == axdr.unsigned(5)
        assert build_layer(con, parsed) == raw
    with pytest.raises(DecodeError) as caught:
        parse_layer(layer.compile(), bytes.fromhex("07 0201 07"), offset=10, path="x")
    assert caught.value.offset == 13 and caught.value.reason.startswith("unknown A-XDR")
    with pytest.raises(DecodeError) as caught:
        parse_layer(layer, bytes.fromhex("07 0201 07"), offset=10, path="x")
    assert (caught.value.offset, caught.value.path) == (13, "x.value.[0]")


def test_construct_over_a_non_bytesio_stream(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes.fromhex("0FFF 1101"))
    with path.open("rb") as stream:
        assert AxdrData.parse_stream(stream) == axdr.integer(-1)
        assert stream.tell() == 2
        assert AxdrData.parse_stream(stream) == axdr.unsigned(1)
