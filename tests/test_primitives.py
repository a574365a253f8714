import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbcs.errors import DecodeError
from gbcs.primitives import CosemDateTime, EncodedLength, OctetString, encode_length, parse_layer
from tests.roundtrip import roundtrip


@pytest.mark.parametrize(
    ("value", "wire"),
    [(0, "00"), (0x7F, "7F"), (0x80, "8180"), (0xFF, "81FF"), (0x100, "820100"),
     (0xFFFF, "82FFFF"), (0x10000, "83010000")],
)
def test_encoded_length_forms(value, wire):
    assert roundtrip(EncodedLength, bytes.fromhex(wire)) == value
    assert encode_length(value).hex().upper() == wire


@pytest.mark.parametrize("wire", ["817F", "820080", "80", "84000000FF", "8300FFFF"])
def test_encoded_length_rejects_non_minimal_and_unsupported(wire):
    with pytest.raises(DecodeError):
        parse_layer(EncodedLength, bytes.fromhex(wire))


@given(st.binary(max_size=400))
def test_octet_string_roundtrip(payload):
    assert roundtrip(OctetString, encode_length(len(payload)) + payload) == payload


def test_truncated_octet_string_reports_offset():
    with pytest.raises(DecodeError) as caught:
        parse_layer(OctetString, bytes.fromhex("0501"), offset=10, path="content")
    assert caught.value.offset >= 10
    assert "content" in caught.value.path


def test_cosem_date_time():
    raw = bytes.fromhex("07DF0101FF000000008000FF")
    moment = CosemDateTime.from_bytes(raw)
    assert moment.to_bytes() == raw
    assert str(moment) == "2015-01-01T00:00:00Z"
    assert CosemDateTime.from_bytes(bytes(9) + b"\x80\x00\xff").is_immediate
