"""Builders of DER nodes, for encoding payloads (``sequence(integer(1), null())``)."""

from __future__ import annotations

from datetime import UTC, datetime

from gbcs.asn1.der import encode_der
from gbcs.asn1.der_node import (
    BitString,
    DerNode,
    DerTag,
    TagClass,
    Universal,
    constructed_node,
    der_tag,
    primitive_node,
)
from gbcs.errors import EncodeError

SEQUENCE_TAG = der_tag(TagClass.UNIVERSAL, Universal.SEQUENCE, True)
SET_TAG = der_tag(TagClass.UNIVERSAL, Universal.SET, True)
INTEGER_TAG = der_tag(TagClass.UNIVERSAL, Universal.INTEGER, False)
ENUMERATED_TAG = der_tag(TagClass.UNIVERSAL, Universal.ENUMERATED, False)
BOOLEAN_TAG = der_tag(TagClass.UNIVERSAL, Universal.BOOLEAN, False)
NULL_TAG = der_tag(TagClass.UNIVERSAL, Universal.NULL, False)
OCTET_STRING_TAG = der_tag(TagClass.UNIVERSAL, Universal.OCTET_STRING, False)
BIT_STRING_TAG = der_tag(TagClass.UNIVERSAL, Universal.BIT_STRING, False)
OID_TAG = der_tag(TagClass.UNIVERSAL, Universal.OBJECT_IDENTIFIER, False)
GENERALIZED_TIME_TAG = der_tag(TagClass.UNIVERSAL, Universal.GENERALIZED_TIME, False)


def primitive(tag: DerTag, value: bytes) -> DerNode:
    return DerNode(tag, bytes(value))  # checks that ``tag`` is a primitive one


def constructed(tag: DerTag, *children: DerNode) -> DerNode:
    if not isinstance(tag, DerTag) or not tag.constructed:
        raise EncodeError(f"{tag} is not a constructed tag")
    return constructed_node(tag, children)


def sequence(*children: DerNode) -> DerNode:
    return constructed_node(SEQUENCE_TAG, children)


def set_of(*children: DerNode) -> DerNode:
    """SET OF: DER orders the components by their encodings."""
    return constructed_node(SET_TAG, tuple(sorted(children, key=encode_der)))


def _int_contents(value: int) -> bytes:
    if not isinstance(value, int) or isinstance(value, bool):
        raise EncodeError(f"INTEGER needs an int, not {value!r}")
    return value.to_bytes(max(1, (value + (value < 0)).bit_length() // 8 + 1), "big",
                          signed=True)


def integer(value: int) -> DerNode:
    return primitive_node(INTEGER_TAG, _int_contents(value))


def enumerated(value: int) -> DerNode:
    return primitive_node(ENUMERATED_TAG, _int_contents(value))


def boolean(value: bool) -> DerNode:
    return primitive_node(BOOLEAN_TAG, b"\xff" if value else b"\x00")


def null() -> DerNode:
    return primitive_node(NULL_TAG, b"")


def octet_string(value: bytes) -> DerNode:
    if not isinstance(value, bytes | bytearray):
        raise EncodeError(f"OCTET STRING needs bytes, not {type(value).__name__}")
    return primitive_node(OCTET_STRING_TAG, bytes(value))


def bit_string(value: BitString | bytes, unused_bits: int = 0) -> DerNode:
    if isinstance(value, BitString):
        value, unused_bits = value.data, value.unused_bits
    if not 0 <= unused_bits <= 7 or (unused_bits and not value):
        raise EncodeError(f"invalid BIT STRING unused-bit count {unused_bits}")
    if unused_bits and value[-1] & ((1 << unused_bits) - 1):
        raise EncodeError("BIT STRING padding bits must be zero")
    return primitive_node(BIT_STRING_TAG, bytes((unused_bits,)) + bytes(value))


def named_bits(flags: int) -> DerNode:
    """A named-bit-list BIT STRING with bit ``n`` set when ``flags & (1 << n)``."""
    flags = int(flags)
    if flags < 0:
        raise EncodeError("named bits cannot be negative")
    count = flags.bit_length()
    data = bytearray((count + 7) // 8)
    for bit in range(count):
        if flags >> bit & 1:
            data[bit >> 3] |= 0x80 >> (bit & 7)
    return primitive_node(BIT_STRING_TAG, bytes(((8 - count % 8) % 8,)) + bytes(data))


def object_identifier(dotted: str) -> DerNode:
    try:
        arcs = [int(arc) for arc in dotted.split(".")]
    except (AttributeError, ValueError):
        raise EncodeError(f"invalid OBJECT IDENTIFIER {dotted!r}") from None
    if len(arcs) < 2 or arcs[0] > 2 or min(arcs) < 0 or (arcs[0] < 2 and arcs[1] > 39):
        raise EncodeError(f"invalid OBJECT IDENTIFIER {dotted!r}")
    out = bytearray()
    for arc in (arcs[0] * 40 + arcs[1], *arcs[2:]):
        groups = [arc & 0x7F]
        arc >>= 7
        while arc:
            groups.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(groups))
    return primitive_node(OID_TAG, bytes(out))


def generalized_time(moment: datetime) -> DerNode:
    """GeneralizedTime in UTC, ``YYYYMMDDhhmmssZ`` (fraction only when there is one)."""
    if not isinstance(moment, datetime):
        raise EncodeError(f"GeneralizedTime needs a datetime, not {moment!r}")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    text = (f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
            f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    return primitive_node(GENERALIZED_TIME_TAG, (text + "Z").encode("ascii"))


def context(number: int, *children: DerNode) -> DerNode:
    """A constructed context-specific element ``[number] { children }`` (EXPLICIT tagging,
    or an IMPLICIT tag on a SEQUENCE)."""
    return constructed_node(der_tag(TagClass.CONTEXT, number, True), children)


def implicit(number: int, node: DerNode) -> DerNode:
    """``node`` re-tagged ``[number] IMPLICIT``, keeping its form and contents."""
    return DerNode(der_tag(TagClass.CONTEXT, number, node.tag.constructed), node.value,
                   node.children)
