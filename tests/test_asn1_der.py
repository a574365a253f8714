"""The generic DER tree: strict decoding, exact re-encoding, builders and value readers."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import pickle
from datetime import UTC, datetime

import construct as c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbcs.asn1 import (
    DER_ELEMENT,
    BitString,
    DerNode,
    TagClass,
    Universal,
    bit_string,
    boolean,
    context,
    decode_der,
    der_tag,
    encode_der,
    enumerated,
    generalized_time,
    implicit,
    integer,
    is_der,
    named_bits,
    null,
    object_identifier,
    octet_string,
    sequence,
    set_of,
    with_wide_lengths,
)
from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import parse_layer
from tests.roundtrip import roundtrip
from tests.rtds import all_messages, content_of

ASN1_FIRST_BYTES = (0x30, 0x02, 0x04, 0x05)


def asn1_contents() -> list[tuple[str, bytes]]:
    found = []
    for message in all_messages():
        _code, content = content_of(message.data)
        if content and content[0] in ASN1_FIRST_BYTES:
            found.append((message.name, content))
    return found


RTDS_ASN1 = asn1_contents()


def test_rtds_has_asn1_contents():
    assert len(RTDS_ASN1) == 147


@pytest.mark.parametrize(("name", "content"), RTDS_ASN1, ids=[n for n, _ in RTDS_ASN1])
def test_rtds_content_round_trips(name, content):
    tree = roundtrip(DER_ELEMENT, content)
    assert decode_der(content) == tree
    assert encode_der(tree) == content
    assert encode_der(rebuilt(tree)) == content  # the same from a tree built by hand


def rebuilt(node: DerNode) -> DerNode:
    """A fully materialised copy through the public constructor."""
    if node.value is not None:
        return DerNode(node.tag, node.value, (), node.length_octets)
    return DerNode(node.tag, None, tuple(rebuilt(child) for child in node.children),
                   node.length_octets)


def test_non_minimal_lengths_of_rtds_devices_are_kept():
    tree = decode_der(bytes.fromhex("3082000502010a0500"))
    assert tree.length_octets == 2
    assert not is_der(tree)
    assert encode_der(tree).hex() == "3082000502010a0500"
    assert decode_der(bytes.fromhex("0281010a")).length_octets == 1
    assert tree == DerNode(tree.tag, None, (integer(10), null()), 2)
    assert tree != sequence(integer(10), null())


def test_tree_navigation_and_values():
    tree = decode_der(bytes.fromhex("3010020100040800db12345678909a020104"))
    assert tree.tag_class is TagClass.UNIVERSAL and tree.number == 16 and tree.constructed
    assert [child.number for child in tree.children] == [2, 4, 2]
    assert tree.children[0].as_int() == 0
    assert tree.children[1].as_bytes().hex() == "00db12345678909a"
    assert tree.children[2].as_int() == 4
    assert tree == sequence(integer(0), octet_string(bytes.fromhex("00db12345678909a")),
                            integer(4))
    assert hash(tree) == hash(rebuilt(tree))
    assert str(tree) == "SEQUENCE {INTEGER 00, OCTET_STRING 00DB12345678909A, INTEGER 04}"


def test_decoded_nodes_behave_like_built_ones():
    tree = decode_der(bytes.fromhex("30083003020101020102"))
    shorter = dataclasses.replace(tree, children=tree.children[:1])
    assert encode_der(shorter).hex() == "30053003020101"
    assert pickle.loads(pickle.dumps(tree)) == tree
    assert copy.deepcopy(tree) == tree
    with pytest.raises(dataclasses.FrozenInstanceError):
        tree.value = b""  # type: ignore[misc]


# =====================================================================================
# Strictness
# =====================================================================================


@pytest.mark.parametrize(("hex_data", "reason", "offset", "path"), [
    ("", "empty DER element", 0, "asn1"),
    ("30", "truncated length", 1, "asn1.der"),
    ("3003020100ff", "1 unexpected bytes after the DER element", 5, "asn1"),
    ("308003020100", "indefinite length is not allowed in DER", 1, "asn1.der"),
    ("0285000000000100", "length of 5 octets is too large", 1, "asn1.der"),
    ("3005020101", "element of 5 bytes overruns its container", 5, "asn1.der"),
    ("30050201010203", "element of 3 bytes overruns its container", 7, "asn1.der[1]"),
    ("30043002027f", "element of 127 bytes overruns its container", 6, "asn1.der[0][0]"),
    ("0000", "end-of-contents octets are not allowed in DER", 0, "asn1.der"),
    ("2203020100", "universal tag 2 cannot be constructed in DER", 0, "asn1.der"),
    ("1000", "universal tag 16 cannot be primitive in DER", 0, "asn1.der"),
    ("3003240100", "universal tag 4 cannot be constructed in DER", 2, "asn1.der[0]"),
    ("1f0100", "tag number 1 must use the one-byte form", 0, "asn1.der"),
    ("9f800100", "tag number with a leading zero group", 0, "asn1.der"),
    ("9f8f", "truncated tag number", 0, "asn1.der"),
    ("9fffffffff7f00", "tag number too large", 0, "asn1.der"),
    ("3f2000", "universal tag 32 cannot be constructed in DER", 0, "asn1.der"),
])
def test_malformed_der_is_located(hex_data, reason, offset, path):
    with pytest.raises(DecodeError) as caught:
        decode_der(bytes.fromhex(hex_data))
    assert (caught.value.reason, caught.value.offset, caught.value.path) == (
        reason, offset, path)


def test_construct_reports_the_same_errors_with_stream_offsets():
    with pytest.raises(DecodeError) as caught:
        parse_layer(DER_ELEMENT, bytes.fromhex("30050201010203"), offset=100, path="asn1")
    assert (caught.value.offset, caught.value.path) == (107, "asn1.der[1]")
    with pytest.raises(DecodeError) as caught:
        parse_layer(DER_ELEMENT, bytes.fromhex("3005020101"), offset=10, path="asn1")
    assert caught.value.reason == "message truncated"


def test_der_element_inside_a_compiled_struct():
    apdu = c.Struct("tag" / c.Int8ub, "content" / DER_ELEMENT, "tail" / c.Int8ub).compile()
    data = bytes.fromhex("07" "3003020105" "09")
    parsed = roundtrip(apdu, data)
    assert parsed.content == sequence(integer(5)) and parsed.tail == 9
    with pytest.raises(DecodeError) as caught:
        parse_layer(apdu, bytes.fromhex("07" "3003020205" "09"), offset=10, path="apdu")
    assert (caught.value.reason, caught.value.offset, caught.value.path) == (
        "element of 2 bytes overruns its container", 16, "apdu.der[0]")


def test_high_tag_numbers():
    tag = der_tag(TagClass.CONTEXT, 200, False)
    node = DerNode(tag, b"\x01")
    raw = encode_der(node)
    assert raw.hex() == "9f81480101"
    assert decode_der(raw) == node
    assert decode_der(raw).tag is decode_der(raw).tag  # shared tag objects


# =====================================================================================
# Value readers
# =====================================================================================


@pytest.mark.parametrize(("hex_value", "number"), [
    ("00", 0), ("7f", 127), ("0080", 128), ("ff", -1), ("80", -128), ("ff7f", -129),
    ("008f66", 0x8F66),
])
def test_integers(hex_value, number):
    assert integer(number).value.hex() == hex_value
    assert DerNode(integer(0).tag, bytes.fromhex(hex_value)).as_int() == number


@pytest.mark.parametrize("hex_value", ["", "0001", "007f", "ff80", "ffff"])
def test_non_minimal_integers_are_rejected(hex_value):
    with pytest.raises(DecodeError):
        DerNode(integer(0).tag, bytes.fromhex(hex_value)).as_int()


def test_booleans_nulls_and_enumerations():
    assert boolean(True).as_bool() and not boolean(False).as_bool()
    with pytest.raises(DecodeError, match="BOOLEAN"):
        DerNode(boolean(True).tag, b"\x01").as_bool()
    null().as_null()
    with pytest.raises(DecodeError, match="NULL"):
        DerNode(null().tag, b"\x00").as_null()
    assert enumerated(127).as_enumerated() == 127
    with pytest.raises(DecodeError, match="primitive"):
        sequence().as_int()


def test_bit_strings():
    assert bit_string(b"\x80", 7).as_bit_string() == BitString(b"\x80", 7)
    bits = decode_der(bytes.fromhex("03020204")).as_bit_string()
    assert len(bits) == 6 and bits.bit(5) and not bits.bit(0) and not bits.bit(9)
    for bad in ("0300", "030108", "03020781", "03020880"):
        with pytest.raises(DecodeError):
            decode_der(bytes.fromhex(bad)).as_bit_string()


@pytest.mark.parametrize(("hex_value", "flags"), [
    ("030100", 0), ("03020780", 1), ("03020308", 16), ("03020204", 32),
    ("03020106", 0b0100000 | 0b1000000), ("0303070080", 1 << 8),
])
def test_named_bits(hex_value, flags):
    assert encode_der(named_bits(flags)).hex() == hex_value
    assert decode_der(bytes.fromhex(hex_value)).as_named_bits() == flags


def test_named_bits_with_trailing_zeros_are_rejected():
    with pytest.raises(DecodeError, match="trailing zero"):
        decode_der(bytes.fromhex("03020080")).as_named_bits()


def test_generalized_time():
    moment = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
    node = generalized_time(moment)
    assert node.value == b"20300115090000Z"
    assert node.as_time() == moment
    fractional = generalized_time(datetime(2030, 1, 15, 9, 0, 0, 250000, tzinfo=UTC))
    assert fractional.value == b"20300115090000.25Z"
    assert fractional.as_time().microsecond == 250000
    for bad in (b"2030011509000Z", b"20300115090000", b"203001150900 0Z", b"20301315090000Z",
                b"20300115090000.50Z", b"20300115090000.Z", b"+0300115090000Z"):
        with pytest.raises(DecodeError):
            DerNode(node.tag, bad).as_time()


def test_object_identifiers():
    node = object_identifier("1.2.840.10045.2.1")
    assert node.value.hex() == "2a8648ce3d0201"
    assert node.as_oid() == "1.2.840.10045.2.1"
    assert object_identifier("2.999.3").as_oid() == "2.999.3"
    for bad in ("2a86", "2a8048"):
        with pytest.raises(DecodeError):
            DerNode(node.tag, bytes.fromhex(bad)).as_oid()


def test_builders():
    assert encode_der(context(2, integer(2), named_bits(1))).hex() == "a20702010203020780"
    assert encode_der(implicit(3, integer(1000))).hex() == "830203e8"
    assert encode_der(set_of(integer(2), integer(1))).hex() == "3106020101020102"
    assert encode_der(with_wide_lengths(sequence(octet_string(bytes(130))))).hex() == (
        "30820086" "048200" "82" + "00" * 130)
    with pytest.raises(EncodeError):
        integer(True)
    with pytest.raises(EncodeError):
        octet_string("text")  # type: ignore[arg-type]
    with pytest.raises(EncodeError):
        DerNode(der_tag(TagClass.UNIVERSAL, Universal.SEQUENCE, True), b"")
    with pytest.raises(EncodeError):
        der_tag(TagClass.UNIVERSAL, Universal.INTEGER, True)
    with pytest.raises(EncodeError):
        encode_der(DerNode(integer(0).tag, bytes(300), (), 1))


# =====================================================================================
# Properties
# =====================================================================================

leaves = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(integer),
    st.binary(max_size=300).map(octet_string),
    st.booleans().map(boolean),
    st.just(null()),
    st.integers(min_value=0, max_value=2**20).map(named_bits),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31),
                 timezones=st.just(UTC)).map(generalized_time),
    st.tuples(st.integers(0, 3), st.integers(0, 5000), st.binary(max_size=4)).map(
        lambda args: DerNode(der_tag(args[0] or TagClass.CONTEXT, args[1], False), args[2])),
)
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5).map(lambda items: sequence(*items)),
        st.lists(inner, max_size=4).map(lambda items: set_of(*items)),
        st.tuples(st.integers(0, 40), st.lists(inner, max_size=3)).map(
            lambda args: context(args[0], *args[1])),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(trees, st.booleans())
def test_built_trees_round_trip(tree, wide):
    if wide:
        tree = with_wide_lengths(tree)
    raw = encode_der(tree)
    decoded = decode_der(raw)
    assert decoded == tree
    assert encode_der(decoded) == raw
    assert roundtrip(DER_ELEMENT, raw) == tree
    assert is_der(decoded) == (not wide or raw == encode_der(rebuilt_der(tree)))
    for value_node in _leaves(decoded):
        _read_every_way(value_node)


def rebuilt_der(node: DerNode) -> DerNode:
    if node.value is not None:
        return DerNode(node.tag, node.value)
    return DerNode(node.tag, None, tuple(rebuilt_der(child) for child in node.children))


def _leaves(node: DerNode):
    if node.value is not None:
        yield node
    for child in node.children:
        yield from _leaves(child)


def _read_every_way(node: DerNode) -> None:
    for read in (DerNode.as_int, DerNode.as_bool, DerNode.as_bit_string, DerNode.as_named_bits,
                 DerNode.as_oid, DerNode.as_time, DerNode.as_null):
        with contextlib.suppress(DecodeError):
            read(node)


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_raise_only_decode_errors(data):
    for decode in (lambda: decode_der(data),
                   lambda: parse_layer(DER_ELEMENT, data, path="asn1")):
        try:
            tree = decode()
        except DecodeError:
            continue
        assert encode_der(tree) == data
        for value_node in _leaves(tree):
            _read_every_way(value_node)


@settings(max_examples=500, deadline=None)
@given(trees, st.data())
def test_corrupted_encodings_raise_only_decode_errors(tree, data):
    raw = bytearray(encode_der(tree))
    if raw:
        index = data.draw(st.integers(0, len(raw) - 1))
        raw[index] = data.draw(st.integers(0, 255))
    try:
        decoded = decode_der(bytes(raw))
    except DecodeError:
        return
    assert encode_der(decoded) == bytes(raw)
