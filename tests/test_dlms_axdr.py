"""A-XDR Data: every type, compact arrays, builders, JSON, errors, generated trees."""

import math
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbcs.dlms import axdr
from gbcs.dlms.axdr import (
    NULL,
    PACKABLE_TAGS,
    Array,
    ArrayType,
    AxdrData,
    BitString,
    Boolean,
    CompactArray,
    Date,
    DateTime,
    Float32,
    Float64,
    NullData,
    OctetString,
    SimpleType,
    Structure,
    StructureType,
    Time,
    Utf8String,
    VisibleString,
    decode_data,
    decode_data_sequence,
    from_json,
)
from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import CosemDateTime, parse_layer
from tests.roundtrip import roundtrip

# =====================================================================================
# Wire vectors (hand-written from the type table, primer §8.2.3)
# =====================================================================================

VECTORS = [
    ("00", NULL),
    ("0300", Boolean(0)),
    ("03FF", axdr.boolean(True)),
    ("0301", Boolean(1)),
    ("0400", BitString(0, b"")),
    ("0420E0000006", axdr.bit_string(0xE0000006, 32)),
    ("0403A0", axdr.bit_string("101")),
    ("0403A1", BitString(3, b"\xa1")),  # unused bits kept
    ("05FFFFFFFE", axdr.double_long(-2)),
    ("06FFFFFFFF", axdr.double_long_unsigned(0xFFFFFFFF)),
    ("0900", axdr.octet_string(b"")),
    ("090300DB12", axdr.octet_string(b"\x00\xdb\x12")),
    ("0A024142", axdr.visible_string("AB")),
    ("0A01FF", VisibleString("\xff")),
    ("0C02C3A9", axdr.utf8_string("é")),
    ("0D12", axdr.bcd(0x12)),
    ("0F80", axdr.integer(-128)),
    ("108000", axdr.long(-32768)),
    ("1100", axdr.unsigned(0)),
    ("12005A", axdr.long_unsigned(90)),
    ("148000000000000000", axdr.long64(-(1 << 63))),
    ("15FFFFFFFFFFFFFFFF", axdr.long64_unsigned((1 << 64) - 1)),
    ("1602", axdr.enum(2)),
    ("173FC00000", axdr.float32(1.5)),
    ("18BFF8000000000000", axdr.float64(-1.5)),
    ("1907DF0101FF000000008000FF", axdr.date_time(CosemDateTime(2015, 1, 1, 0xFF, 0, 0, 0, 0))),
    ("1A07DF0C1FFF", Date(2015, 12, 31, 0xFF)),
    ("1B173B3BFF", Time(23, 59, 59, 0xFF)),
    ("0100", axdr.array()),
    ("0102110111FF", axdr.array(axdr.unsigned(1), axdr.unsigned(255))),
    ("02031200010900020100", axdr.structure(axdr.long_unsigned(1), axdr.octet_string(b""),
                                            axdr.structure(NULL))),
]


@pytest.mark.parametrize(("wire", "value"), VECTORS, ids=[w for w, _ in VECTORS])
def test_wire_vectors(wire, value):
    raw = bytes.fromhex(wire)
    assert roundtrip(AxdrData, raw) == value
    assert decode_data(raw) == value
    assert value.encode() == raw
    assert from_json(value.to_json()) == value


def test_long_form_lengths_and_counts():
    payload = bytes(range(200)) + bytes(100)
    raw = b"\x09\x82\x01\x2c" + payload
    assert decode_data(raw) == OctetString(payload)
    elements = tuple(axdr.unsigned(i % 256) for i in range(130))
    raw = b"\x01\x81\x82" + b"".join(e.encode() for e in elements)
    assert roundtrip(AxdrData, raw) == Array(elements)


def test_navigation_and_python_view():
    tree = decode_data(bytes.fromhex(
        "0204 090800DB1234567890A0 1601 0910" + "30313233343536373839414243444546" + "1600"
    ))
    assert isinstance(tree, Structure) and len(tree.children) == 4
    assert tree[0] == OctetString(bytes.fromhex("00DB1234567890A0"))
    assert tree.at(1).value == 1
    assert tree.value == [bytes.fromhex("00DB1234567890A0"), 1, b"0123456789ABCDEF", 0]
    assert [path for path, _ in tree.walk()] == [(), (0,), (1,), (2,), (3,)]
    assert tree.to_json() == {"structure": [
        {"octet-string": "00DB1234567890A0"}, {"enum": 1},
        {"octet-string": "30313233343536373839414243444546"}, {"enum": 0}]}
    assert axdr.bit_string("11001000").value == "11001000"
    assert axdr.bit_string(0xE0000006, 32).as_int() == 0xE0000006
    assert Boolean(0x01).value is True and Boolean(0).value is False
    assert Date(2015, 12, 31, 0xFF).value.isoformat() == "2015-12-31"
    assert Date(0xFFFF, 12, 31, 0xFF).value is None
    assert Time(23, 59, 0xFF, 0xFF).value.isoformat() == "23:59:00"


# =====================================================================================
# Compact arrays (primer §8.2.4)
# =====================================================================================

LOG_DESCRIPTION = StructureType((SimpleType(0x06), SimpleType(0x12), SimpleType(0x09)))


def test_compact_array_of_log_entries():
    entries = "00000001 8F26 0102" + "00000002 8F27 00"
    raw = bytes.fromhex("13 020306 1209 0F" + entries)
    value = roundtrip(AxdrData, raw)
    assert value == axdr.compact_array(
        LOG_DESCRIPTION,
        axdr.structure(axdr.double_long_unsigned(1), axdr.long_unsigned(0x8F26),
                       axdr.octet_string(b"\x02")),
        axdr.structure(axdr.double_long_unsigned(2), axdr.long_unsigned(0x8F27),
                       axdr.octet_string(b"")),
    )
    assert value[1].value == [2, 0x8F27, b""]
    assert from_json(value.to_json()) == value


def test_compact_array_with_nested_array_description_and_nulls():
    description = StructureType((SimpleType(0x00), ArrayType(2, SimpleType(0x11))))
    raw = bytes.fromhex("13 0202 00 01000211 04 0102 0304")
    value = roundtrip(AxdrData, raw)
    assert value.elements == (
        Structure((NULL, Array((axdr.unsigned(1), axdr.unsigned(2))))),
        Structure((NULL, Array((axdr.unsigned(3), axdr.unsigned(4))))),
    )
    assert value.description == description


def test_compact_array_of_nothing_is_empty_only():
    assert roundtrip(AxdrData, bytes.fromhex("13 00 00")) == CompactArray(SimpleType(0), ())
    with pytest.raises(DecodeError, match="take no bytes"):
        decode_data(bytes.fromhex("13 00 01 00"))
    with pytest.raises(EncodeError):
        CompactArray(SimpleType(0), (NULL,)).encode()


@pytest.mark.parametrize(("wire", "reason"), [
    ("13 01FFFF00 00", "array of empty elements"),
    ("13 13 00", "cannot describe"),
    ("13 0201 FF 00", "cannot describe"),
    ("13 12 03 0001", "truncated"),  # second long-unsigned runs past the content
    ("13 12 05 000100", "truncated"),  # content length beyond the data
])
def test_compact_array_errors(wire, reason):
    with pytest.raises(DecodeError, match=reason):
        decode_data(bytes.fromhex(wire))


def test_compact_array_with_an_empty_structure_member():
    raw = bytes.fromhex("13 0202 0200 11 01 07")
    assert roundtrip(AxdrData, raw) == CompactArray(
        StructureType((StructureType(()), SimpleType(0x11))),
        (Structure((Structure(()), axdr.unsigned(7))),))


def test_compact_array_rejects_values_not_matching_the_description():
    for value in (
        CompactArray(SimpleType(0x12), (axdr.unsigned(1),)),
        CompactArray(LOG_DESCRIPTION, (axdr.structure(axdr.double_long_unsigned(1)),)),
        CompactArray(ArrayType(2, SimpleType(0x11)), (axdr.array(axdr.unsigned(1)),)),
        CompactArray(SimpleType(0x02), ()),
    ):
        with pytest.raises(EncodeError):
            value.encode()


# =====================================================================================
# Errors and builders
# =====================================================================================


@pytest.mark.parametrize(("wire", "reason", "offset", "path"), [
    ("07", "unknown A-XDR data tag 0x07", 0, ""),
    ("0202 1100 FE", "unknown A-XDR data tag 0xFE", 4, "[1]"),
    ("0201 0201 12 00", "truncated", 5, "[0][0]"),
    ("09 817F" + "00" * 0x7F, "non-minimal", 1, ""),
    ("09 84000000", "unsupported length form", 1, ""),
    ("0C 02 C328", "invalid UTF-8", 2, ""),
    ("1100 00", "trailing", 2, ""),
    ("02", "truncated", 1, ""),
])
def test_decode_errors_carry_offset_and_path(wire, reason, offset, path):
    with pytest.raises(DecodeError) as caught:
        decode_data(bytes.fromhex(wire), offset=100, path="value")
    assert reason in caught.value.reason
    assert caught.value.offset == 100 + offset
    assert caught.value.path == ("value" + ("." + path if path else ""))


def test_errors_inside_parse_layer_point_into_the_message():
    with pytest.raises(DecodeError) as caught:
        parse_layer(AxdrData, bytes.fromhex("0202 1100 FE"), offset=50, path="content")
    assert (caught.value.offset, caught.value.path) == (54, "content.[1]")


def test_nesting_is_bounded():
    deep = bytes.fromhex("0201") * (axdr.MAX_DEPTH + 5) + b"\x00"
    with pytest.raises(DecodeError, match="nested too deeply"):
        decode_data(deep)
    ok = bytes.fromhex("0201") * (axdr.MAX_DEPTH - 1) + b"\x00"
    assert decode_data(ok).encode() == ok


@pytest.mark.parametrize("build", [
    lambda: axdr.long_unsigned(-1), lambda: axdr.unsigned(256), lambda: axdr.integer(128),
    lambda: axdr.enum(300), lambda: axdr.long64(1 << 63),
    lambda: axdr.bit_string("012"), lambda: axdr.bit_string(8, 3),
    lambda: axdr.visible_string("€"), lambda: axdr.float32(1e300),
    lambda: axdr.structure(b"raw"),
])
def test_builders_reject_bad_values(build):
    with pytest.raises(EncodeError):
        build()


@pytest.mark.parametrize("value", [
    axdr.LongUnsigned(70000), Boolean(256), BitString(9, b"\x00"), Float32(b"\x00"),
    OctetString(b"x" * (1 << 24)), axdr.Unsigned("1"), Date(70000, 1, 1, 1),
])
def test_encoding_invalid_values_raises_encode_error(value):
    with pytest.raises(EncodeError):
        value.encode()
    with pytest.raises(EncodeError):
        axdr.encode_data(value)


def test_encode_data_rejects_non_data():
    with pytest.raises(EncodeError):
        axdr.encode_data(b"\x00")


def test_decode_sequence():
    assert decode_data_sequence(bytes.fromhex("1101 00 0900")) == [
        axdr.unsigned(1), NULL, axdr.octet_string(b"")]
    assert decode_data_sequence(b"") == []
    with pytest.raises(DecodeError) as caught:
        decode_data_sequence(bytes.fromhex("1101 12"), offset=7, path="plaintext")
    assert (caught.value.offset, caught.value.path) == (10, "plaintext.[1]")


def test_float_nan_payload_survives():
    raw = bytes.fromhex("177FA00001")
    value = decode_data(raw)
    assert math.isnan(value.value) and value.encode() == raw
    assert value.to_json() == {"float32": "7FA00001"} and from_json(value.to_json()) == value


@pytest.mark.parametrize("bad", [
    [], {"a": 1, "b": 2}, {"no-such-type": 1}, {"null-data": 3}, {"long-unsigned": "x"},
    {"compact-array": {"type": "array", "elements": []}}, {"structure": {"x": 1}},
    {"date": [1, 2]}, {"compact-array": {"type": {"array": [1]}, "elements": []}},
])
def test_from_json_rejects_malformed(bad):
    with pytest.raises(EncodeError):
        from_json(bad)


# =====================================================================================
# Generated trees
# =====================================================================================

_INTEGER_TYPES = [axdr.DoubleLong, axdr.DoubleLongUnsigned, axdr.Bcd, axdr.Integer, axdr.Long,
                  axdr.Unsigned, axdr.LongUnsigned, axdr.Long64, axdr.Long64Unsigned, axdr.Enum]


def _bit_strings():
    return st.binary(max_size=6).flatmap(lambda raw: st.builds(
        BitString, st.integers(max(0, len(raw) * 8 - 7), len(raw) * 8) if raw else st.just(0),
        st.just(raw)))


SCALARS_BY_TAG = {
    0x00: st.just(NULL),
    0x03: st.integers(0, 255).map(Boolean),
    0x04: _bit_strings(),
    0x09: st.binary(max_size=300).map(OctetString),
    0x0A: st.text(st.characters(max_codepoint=255), max_size=20).map(VisibleString),
    0x0C: st.text(max_size=20).map(Utf8String),
    0x17: st.binary(min_size=4, max_size=4).map(Float32),
    0x18: st.binary(min_size=8, max_size=8).map(Float64),
    0x19: st.binary(min_size=12, max_size=12).map(
        lambda raw: DateTime(CosemDateTime.from_bytes(raw))),
    0x1A: st.builds(Date, st.integers(0, 0xFFFF), *[st.integers(0, 255)] * 3),
    0x1B: st.builds(Time, *[st.integers(0, 255)] * 4),
    **{cls.TAG: st.integers(cls.MIN, cls.MAX).map(cls) for cls in _INTEGER_TYPES},
}
assert set(SCALARS_BY_TAG) == PACKABLE_TAGS


def _valid_description(description) -> bool:
    if isinstance(description, ArrayType):
        return _valid_description(description.element) and not (
            description.count and description.element.packs_to_nothing)
    if isinstance(description, StructureType):
        return all(_valid_description(member) for member in description.members)
    return True


descriptions = st.recursive(
    st.sampled_from(sorted(PACKABLE_TAGS)).map(SimpleType),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda members: StructureType(tuple(members))),
        st.builds(ArrayType, st.integers(0, 3), inner),
    ),
    max_leaves=8,
).filter(_valid_description)


def packed_values(description):
    if isinstance(description, SimpleType):
        return SCALARS_BY_TAG[description.tag]
    if isinstance(description, StructureType):
        return st.tuples(*(packed_values(m) for m in description.members)).map(Structure)
    return st.lists(packed_values(description.element), min_size=description.count,
                    max_size=description.count).map(lambda items: Array(tuple(items)))


def _compact_arrays():
    def elements_for(description):
        if description.packs_to_nothing:
            return st.just(CompactArray(description, ()))
        return st.lists(packed_values(description), max_size=4).map(
            lambda items: CompactArray(description, tuple(items)))

    return descriptions.flatmap(elements_for)


data_trees = st.recursive(
    st.one_of(*SCALARS_BY_TAG.values(), _compact_arrays()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5).map(lambda items: Array(tuple(items))),
        st.lists(inner, max_size=5).map(lambda items: Structure(tuple(items))),
    ),
    max_leaves=25,
)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(data_trees)
def test_generated_trees_build_then_parse_equal(tree):
    raw = tree.encode()
    assert roundtrip(AxdrData, raw) == tree
    assert decode_data(raw) == tree
    assert from_json(tree.to_json()) == tree


@settings(max_examples=2000)
@given(st.binary(max_size=200))
def test_random_bytes_only_raise_decode_error(raw):
    try:
        value = decode_data(raw)
    except DecodeError as error:
        assert 0 <= error.offset <= len(raw)
        return
    assert value.encode() == raw


@settings(max_examples=1000)
@given(st.sampled_from([0x01, 0x02, 0x13]), st.binary(max_size=120))
def test_random_constructed_values_only_raise_decode_error(tag, body):
    raw = bytes((tag,)) + body
    try:
        value = decode_data(raw)
    except DecodeError:
        return
    assert value.encode() == raw


def test_integer_limits_follow_their_formats():
    for cls in _INTEGER_TYPES:
        size = struct.calcsize(cls.FORMAT)
        assert (1 << (8 * size)) - 1 == cls.MAX - cls.MIN
    assert isinstance(decode_data(b"\x00"), NullData)
