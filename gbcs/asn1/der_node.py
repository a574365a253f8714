"""DER element types: tags, the node of a DER tree and readers of primitive contents.

The ``as_*`` readers accept only the canonical DER form of each value (minimal INTEGERs,
BOOLEAN 00/FF, zero padding bits, GeneralizedTime ``YYYYMMDDhhmmss[.f]Z``, ...), so a value
read from a node re-encodes to the same contents.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from gbcs.errors import DecodeError, EncodeError
from gbcs.value_type import value_type


class TagClass(enum.IntEnum):
    UNIVERSAL = 0
    APPLICATION = 1
    CONTEXT = 2
    PRIVATE = 3


class Universal(enum.IntEnum):
    """Universal tag numbers used by GBCS payloads and X.509."""

    BOOLEAN = 1
    INTEGER = 2
    BIT_STRING = 3
    OCTET_STRING = 4
    NULL = 5
    OBJECT_IDENTIFIER = 6
    ENUMERATED = 10
    UTF8_STRING = 12
    SEQUENCE = 16
    SET = 17
    PRINTABLE_STRING = 19
    IA5_STRING = 22
    UTC_TIME = 23
    GENERALIZED_TIME = 24


# EXTERNAL, EMBEDDED PDV, SEQUENCE, SET and CHARACTER STRING are always constructed in
# DER; every other universal type is primitive (strings included: no constructed form).
_CONSTRUCTED_UNIVERSAL = frozenset({8, 11, 16, 17, 29})


# =====================================================================================
# Tags and nodes
# =====================================================================================


@value_type
class DerTag:
    """Class, number and form of an element, with the identifier octets that encode them."""

    tag_class: TagClass
    number: int
    constructed: bool
    identifier: bytes

    def __str__(self) -> str:
        if self.tag_class is TagClass.UNIVERSAL:
            try:
                return Universal(self.number).name
            except ValueError:
                return f"UNIVERSAL {self.number}"
        return f"[{self.tag_class.name} {self.number}]{'' if self.constructed else ' primitive'}"


def _identifier(tag_class: int, number: int, constructed: bool) -> bytes:
    first = (tag_class << 6) | (0x20 if constructed else 0)
    if number < 0x1F:
        return bytes((first | number,))
    groups = [number & 0x7F]
    number >>= 7
    while number:
        groups.append(0x80 | (number & 0x7F))
        number >>= 7
    return bytes((first | 0x1F, *reversed(groups)))


def der_tag(tag_class: TagClass | int, number: int, constructed: bool) -> DerTag:
    """The (shared) tag object for ``tag_class``/``number``/``constructed``."""
    if not 0 <= tag_class <= 3 or not isinstance(number, int) or number < 0:
        raise EncodeError(f"invalid tag class {tag_class} / number {number}")
    if number < 0x1F:
        first = (tag_class << 6) | (0x20 if constructed else 0) | number
        shared = SHORT_FORM_TAGS[first]
        if shared is not None:
            return shared
        if tag_class == TagClass.UNIVERSAL:
            raise EncodeError(f"universal tag {number} cannot be {_form(constructed)} in DER")
    elif tag_class == TagClass.UNIVERSAL and constructed:
        raise EncodeError(f"universal tag {number} cannot be constructed in DER")
    return DerTag(TagClass(tag_class), number, constructed,
                  _identifier(tag_class, number, constructed))


def _form(constructed: bool) -> str:
    return "constructed" if constructed else "primitive"


def _low_tag(first: int) -> DerTag | None:
    tag_class, constructed, number = first >> 6, bool(first & 0x20), first & 0x1F
    if number == 0x1F:
        return None
    if tag_class == TagClass.UNIVERSAL and (
        number == 0 or constructed != (number in _CONSTRUCTED_UNIVERSAL)
    ):
        return None
    return DerTag(TagClass(tag_class), number, constructed, bytes((first,)))


SHORT_FORM_TAGS: tuple[DerTag | None, ...] = tuple(_low_tag(first) for first in range(256))
"""The tag of each one-byte identifier; None where DER forbids it (or the number does not
fit the byte)."""

_LONG_FORM_TAGS: dict[bytes, DerTag] = {}


def long_form_tag(identifier: bytes, number: int) -> DerTag:
    """The tag encoded by the multi-byte ``identifier`` (already validated)."""
    tag = _LONG_FORM_TAGS.get(identifier)
    if tag is None:
        first = identifier[0]
        tag = DerTag(TagClass(first >> 6), number, bool(first & 0x20), identifier)
        if len(_LONG_FORM_TAGS) < 256:  # shared like the short forms, but bounded
            _LONG_FORM_TAGS[identifier] = tag
    return tag


@value_type
class BitString:
    """BIT STRING contents: ``data`` with the last ``unused_bits`` bits being padding."""

    data: bytes
    unused_bits: int = 0

    def __len__(self) -> int:
        return len(self.data) * 8 - self.unused_bits

    def bit(self, index: int) -> bool:
        """Bit ``index`` counted from the first (most significant) bit, as X.680 numbers it."""
        if not 0 <= index < len(self):
            return False
        return bool(self.data[index >> 3] & (0x80 >> (index & 7)))


@value_type(eq=False, repr=False)
class DerNode:
    """One element: primitive (``value`` holds the contents) or constructed (``value`` is
    None and ``children`` holds the elements inside).

    Equality compares what the node encodes to. Decoded trees use a subclass that decodes
    ``children`` on first access (see ``gbcs.asn1.der``), hence the explicit ``__eq__``.
    """

    tag: DerTag
    value: bytes | None = None
    children: tuple[DerNode, ...] = ()
    length_octets: int | None = None
    """None: the shortest length form (DER). 1-4: the long form with that many length
    octets, as some RTDS devices send (``82 00 83``); kept so that the node re-encodes
    exactly."""

    def __post_init__(self) -> None:
        if self.length_octets is not None and self.length_octets not in (1, 2, 3, 4):
            raise EncodeError(f"length_octets must be None or 1-4, not {self.length_octets}")
        if not isinstance(self.tag, DerTag):
            raise EncodeError(f"DER node tag must be a DerTag, not {self.tag!r}")
        if self.tag.constructed:
            if self.value is not None:
                raise EncodeError(f"constructed {self.tag} cannot carry a primitive value")
            if not isinstance(self.children, tuple):
                object.__setattr__(self, "children", tuple(self.children))
            if not all(isinstance(child, DerNode) for child in self.children):
                raise EncodeError(f"children of {self.tag} must be DER nodes")
        elif not isinstance(self.value, bytes) or self.children:
            raise EncodeError(f"primitive {self.tag} needs a bytes value and no children")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DerNode):
            return NotImplemented
        return (
            self.tag == other.tag
            and self.value == other.value
            and self.length_octets == other.length_octets
            and self.children == other.children
        )

    def __hash__(self) -> int:
        return hash((self.tag, self.value, self.length_octets, self.children))

    @property
    def tag_class(self) -> TagClass:
        return self.tag.tag_class

    @property
    def number(self) -> int:
        return self.tag.number

    @property
    def constructed(self) -> bool:
        return self.tag.constructed

    def is_universal(self, number: int) -> bool:
        return self.tag.tag_class is TagClass.UNIVERSAL and self.tag.number == number

    # ---- primitive contents (the readers below, applied to ``value``) -----------------

    def _contents(self) -> bytes:
        if self.value is None:
            raise DecodeError(f"expected a primitive value, found constructed {self.tag}")
        return self.value

    def as_bytes(self) -> bytes:
        return self._contents()

    def as_int(self) -> int:
        return read_integer(self._contents())

    def as_enumerated(self) -> int:
        return read_integer(self._contents())

    def as_bool(self) -> bool:
        return read_boolean(self._contents())

    def as_null(self) -> None:
        read_null(self._contents())

    def as_bit_string(self) -> BitString:
        return read_bit_string(self._contents())

    def as_named_bits(self) -> int:
        return read_named_bits(self._contents())

    def as_oid(self) -> str:
        return read_oid(self._contents())

    def as_time(self) -> datetime:
        return read_generalized_time(self._contents())

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.tag} {{{', '.join(map(str, self.children))}}}"
        return f"{self.tag} {self.value.hex().upper()}"

    def __repr__(self) -> str:
        length = "" if self.length_octets is None else f", length_octets={self.length_octets}"
        if self.value is not None:
            return f"DerNode({self.tag}, value={self.value!r}{length})"
        children = repr(self.children)
        if len(children) > 300:  # a certificate, say: its contents would drown the rest
            children = f"<{len(self.children)} elements>"
        return f"DerNode({self.tag}, children={children}{length})"




# =====================================================================================
# Fast construction
# =====================================================================================

# DerNode is frozen: the parser and the builders fill its slots directly, several times
# faster than the generated __init__; they have checked the values themselves.
new_node = object.__new__
set_tag = DerNode.tag.__set__  # type: ignore[attr-defined]
set_value = DerNode.value.__set__  # type: ignore[attr-defined]
get_children = DerNode.children.__get__  # type: ignore[attr-defined]
set_children = DerNode.children.__set__  # type: ignore[attr-defined]
set_length_octets = DerNode.length_octets.__set__  # type: ignore[attr-defined]


def primitive_node(tag: DerTag, value: bytes) -> DerNode:
    """A primitive node from a primitive ``tag`` and bytes ``value`` (not re-checked)."""
    node = new_node(DerNode)
    set_tag(node, tag)
    set_value(node, value)
    set_children(node, ())
    set_length_octets(node, None)
    return node


def constructed_node(tag: DerTag, children: tuple[DerNode, ...]) -> DerNode:
    """A constructed node from a constructed ``tag``; the children must be nodes."""
    for child in children:
        if not isinstance(child, DerNode):
            raise EncodeError(f"children of {tag} must be DER nodes, not {child!r}")
    node = new_node(DerNode)
    set_tag(node, tag)
    set_value(node, None)
    set_children(node, children)
    set_length_octets(node, None)
    return node


# =====================================================================================
# Readers of primitive contents
# =====================================================================================


def read_integer(raw: bytes) -> int:
    """INTEGER (or ENUMERATED) contents: two's complement, shortest form only."""
    if not raw:
        raise DecodeError("empty INTEGER")
    if len(raw) > 1 and (
        (raw[0] == 0x00 and raw[1] < 0x80) or (raw[0] == 0xFF and raw[1] >= 0x80)
    ):
        raise DecodeError("non-minimal INTEGER encoding")
    return int.from_bytes(raw, "big", signed=True)


def read_boolean(raw: bytes) -> bool:
    if raw == b"\xff":
        return True
    if raw == b"\x00":
        return False
    raise DecodeError(f"BOOLEAN must be 00 or FF in DER, got {raw.hex().upper()}")


def read_null(raw: bytes) -> None:
    if raw:
        raise DecodeError("NULL with contents")


def read_bit_string(raw: bytes) -> BitString:
    if not raw:
        raise DecodeError("BIT STRING without its unused-bits octet")
    unused = raw[0]
    if unused > 7 or (unused and len(raw) == 1):
        raise DecodeError(f"invalid BIT STRING unused-bit count {unused}")
    if unused and raw[-1] & ((1 << unused) - 1):
        raise DecodeError("BIT STRING padding bits are not zero")
    return BitString(raw[1:], unused)


def read_named_bits(raw: bytes) -> int:
    """A named-bit-list BIT STRING (e.g. KeyUsage) as flags: bit ``n`` is ``1 << n``.

    DER drops trailing zero bits, so any other form would not re-encode the same.
    """
    bits = read_bit_string(raw)
    data = bits.data
    if data and not data[-1] & (0x80 >> (7 - bits.unused_bits)):
        raise DecodeError("named-bit BIT STRING has trailing zero bits")
    flags = 0
    for index, byte in enumerate(data):
        if byte:
            # bit 0 is the most significant bit of the first byte
            flags |= int(f"{byte:08b}"[::-1], 2) << (index * 8)
    return flags


def read_oid(raw: bytes) -> str:
    if not raw or raw[-1] & 0x80:
        raise DecodeError("truncated OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    starting = True
    for byte in raw:
        if starting and byte == 0x80:
            raise DecodeError("OBJECT IDENTIFIER arc with a leading zero group")
        value = (value << 7) | (byte & 0x7F)
        starting = not byte & 0x80
        if starting:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(map(str, (first, arcs[0] - 40 * first, *arcs[1:])))


def read_generalized_time(raw: bytes) -> datetime:
    """GeneralizedTime in its DER form ``YYYYMMDDhhmmss[.fff]Z`` as an aware UTC datetime."""
    fraction = b""
    if len(raw) > 16 and raw[14] == 0x2E:  # "."
        fraction = raw[15:-1]
        if len(fraction) > 6 or fraction.endswith(b"0"):
            raise DecodeError("GeneralizedTime fraction is not in DER form")
    elif len(raw) != 15:
        raise DecodeError(f"GeneralizedTime of {len(raw)} bytes is not YYYYMMDDhhmmssZ")
    if raw[-1] != 0x5A or not (raw[:14] + fraction).isdigit():  # "Z"
        raise DecodeError("GeneralizedTime is not YYYYMMDDhhmmss[.f]Z")
    try:
        return datetime(
            int(raw[0:4]), int(raw[4:6]), int(raw[6:8]), int(raw[8:10]), int(raw[10:12]),
            int(raw[12:14]), int(fraction.ljust(6, b"0")) if fraction else 0, tzinfo=UTC,
        )
    except ValueError as error:
        raise DecodeError(f"invalid GeneralizedTime: {error}") from None
