"""A generic, strict DER tree: every element decodes into :class:`DerNode` objects and
re-encodes to exactly the same bytes.

What DER requires is enforced (X.690 §8, §10): definite lengths, tag numbers below 31 in
the one-byte form and higher ones without leading zero groups, and the universal types in
the one form DER permits (SEQUENCE and SET constructed, everything else primitive).
One BER liberty is accepted because RTDS devices use it: a long-form length with more
octets than needed (``82 00 83`` for 131). The node records it in ``length_octets`` so the
element still re-encodes byte for byte.
"""

from __future__ import annotations

import construct as c

from gbcs.asn1.der_node import (
    SHORT_FORM_TAGS,
    BitString,
    DerNode,
    DerTag,
    TagClass,
    Universal,
    der_tag,
    get_children,
    long_form_tag,
    new_node,
    set_children,
    set_length_octets,
    set_tag,
    set_value,
)
from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import encode_length

__all__ = [
    "DER_ELEMENT",
    "MAX_DEPTH",
    "BitString",
    "DerElementConstruct",
    "DerNode",
    "DerTag",
    "TagClass",
    "Universal",
    "decode_der",
    "der_tag",
    "encode_der",
    "encoded_size",
    "is_der",
    "node_at",
    "parse_tree",
    "validate_element",
    "with_wide_lengths",
]

MAX_DEPTH = 64
"""Deeper nesting is rejected: no GBCS payload or X.509 certificate comes near it."""

# =====================================================================================
# Parsing
# =====================================================================================


class _Malformed(Exception):
    """Raised inside the validation pass; becomes a DecodeError with offset and path."""

    def __init__(self, at: int, reason: str, depth: int, index: int) -> None:
        super().__init__(reason)
        self.at = at
        self.reason = reason
        self.indices = [index] if depth else []

    def to_decode_error(self, base: int = 0) -> DecodeError:
        path = "der" + "".join(f"[{index}]" for index in reversed(self.indices))
        return DecodeError(self.reason, base + self.at, path)


def _long_form_tag(data: bytes, start: int, end: int) -> tuple[DerTag, int] | str:
    """The tag whose identifier starts at ``start`` and the position after it, or why the
    identifier is not valid DER."""
    pos = start + 1
    if pos < end and data[pos] == 0x80:
        return "tag number with a leading zero group"
    number = 0
    while True:
        if pos >= end:
            return "truncated tag number"
        byte = data[pos]
        pos += 1
        number = (number << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
        if pos - start >= 5:
            return "tag number too large"
    if number < 0x1F:
        return f"tag number {number} must use the one-byte form"
    if data[start] & 0xE0 == 0x20:
        return f"universal tag {number} cannot be constructed in DER"
    return long_form_tag(data[start:pos], number), pos


def _long_length(data: bytes, pos: int, first: int) -> tuple[int, int, int | None]:
    """(length, position after it, number of length octets if more than needed); the
    caller has checked that the octets are there."""
    size = first & 0x7F
    length = int.from_bytes(data[pos:pos + size], "big")
    wasteful = length < 0x80 or data[pos] == 0
    return length, pos + size, size if wasteful else None


def _bad_tag_reason(first: int) -> str:
    if first == 0:
        return "end-of-contents octets are not allowed in DER"
    form = "constructed" if first & 0x20 else "primitive"
    return f"universal tag {first & 0x1F} cannot be {form} in DER"


def _validate(
    data: bytes, pos: int, end: int, depth: int, irregular: list[int], single: bool = False
) -> int:
    """Check every element in ``data[pos:end]`` (only the first one if ``single``) down to
    the leaves, without building anything, noting where lengths are longer than needed.
    Returns where the checked elements end."""
    tags = SHORT_FORM_TAGS
    index = 0
    while pos < end:
        first = data[pos]
        if tags[first] is None:
            if first & 0x1F != 0x1F:
                raise _Malformed(pos, _bad_tag_reason(first), depth, index)
            found = _long_form_tag(data, pos, end)
            if isinstance(found, str):
                raise _Malformed(pos, found, depth, index)
            pos = found[1]
        else:
            pos += 1
        if pos >= end:
            raise _Malformed(pos, "truncated length", depth, index)
        length = data[pos]
        pos += 1
        if length & 0x80:
            size = length & 0x7F
            if size == 0 or size > 4:
                reason = ("indefinite length is not allowed in DER" if size == 0
                          else f"length of {size} octets is too large")
                raise _Malformed(pos - 1, reason, depth, index)
            if pos + size > end:
                raise _Malformed(end, "truncated length", depth, index)
            length, pos, octets = _long_length(data, pos, length)
            if octets is not None:
                irregular.append(pos)
        stop = pos + length
        if stop > end:
            raise _Malformed(end, f"element of {length} bytes overruns its container", depth,
                             index)
        if first & 0x20:
            if depth >= MAX_DEPTH:
                raise _Malformed(pos, f"nesting deeper than {MAX_DEPTH} levels", depth, index)
            try:
                _validate(data, pos, stop, depth + 1, irregular)
            except _Malformed as error:
                if depth:
                    error.indices.append(index)
                raise
        pos = stop
        if single:
            break
        index += 1
    return pos


class _DecodedConstructed(DerNode):
    """A constructed node straight from the parser: ``children`` are decoded from the
    (already validated) contents on first access, and until the node is rebuilt it
    re-encodes from those contents. Most decoded subtrees, certificates above all, are
    carried along without ever being looked into."""

    __slots__ = ("_contents",)

    @property
    def children(self) -> tuple[DerNode, ...]:  # type: ignore[override]
        children = get_children(self)
        if children is None:
            contents = self._contents
            children = _decode_level(contents, 0, len(contents))
            set_children(self, children)
        return children

    @children.setter
    def children(self, children: tuple[DerNode, ...]) -> None:
        set_children(self, children)
        _set_contents(self, None)

    def __reduce__(self):
        return DerNode, (self.tag, self.value, self.children, self.length_octets)


_set_contents = _DecodedConstructed._contents.__set__  # type: ignore[attr-defined]


def _decode_level(data: bytes, pos: int, end: int) -> tuple[DerNode, ...]:
    """The elements in ``data[pos:end]``, which :func:`_validate` has accepted; their own
    children are left for later."""
    tags = SHORT_FORM_TAGS
    nodes: list[DerNode] = []
    append = nodes.append
    while pos < end:
        first = data[pos]
        tag = tags[first]
        if tag is None:
            tag, pos = _long_form_tag(data, pos, end)  # type: ignore[misc]
        else:
            pos += 1
        length = data[pos]
        pos += 1
        octets = None
        if length & 0x80:
            length, pos, octets = _long_length(data, pos, length)
        stop = pos + length
        if first & 0x20:
            node = new_node(_DecodedConstructed)
            set_value(node, None)
            set_children(node, None)  # not decoded yet
            _set_contents(node, data[pos:stop])
        else:
            node = new_node(DerNode)
            set_value(node, data[pos:stop])
            set_children(node, ())
        set_tag(node, tag)
        set_length_octets(node, octets)
        append(node)
        pos = stop
    return tuple(nodes)


def validate_element(data: bytes, offset: int = 0, path: str = "") -> bool:
    """Check that ``data`` is exactly one valid element; return whether every length in it
    has the shortest form (is DER rather than just BER)."""
    if not data:
        raise DecodeError("empty DER element", offset, path)
    irregular: list[int] = []
    try:
        end = _validate(data, 0, len(data), 0, irregular, single=True)
    except _Malformed as error:
        raise error.to_decode_error().within(offset, path) from None
    if end != len(data):
        raise DecodeError(f"{len(data) - end} unexpected bytes after the DER element",
                          offset + end, path)
    return not irregular


def node_at(data: bytes, start: int, end: int) -> DerNode:
    """The element at ``data[start:end]``, which :func:`validate_element` has accepted."""
    return _decode_level(data, start, end)[0]


def parse_tree(data: bytes, offset: int = 0, path: str = "") -> tuple[DerNode, bool]:
    """Exactly one element filling ``data``, and whether all its lengths are DER."""
    canonical = validate_element(data, offset, path)
    return _decode_level(data, 0, len(data))[0], canonical


def decode_der(data: bytes, *, offset: int = 0, path: str = "asn1") -> DerNode:
    """``data`` as exactly one element (the rules of :data:`DER_ELEMENT`, without the
    construct machinery: this is the hot path of payload decoding)."""
    return parse_tree(bytes(data), offset, path)[0]


def _read_element(stream) -> bytes:
    """The bytes of the next element on ``stream``, from its header's length; the header is
    validated with the element, afterwards."""
    element = c.stream_read(stream, 2, "der")
    if element[0] & 0x1F == 0x1F:
        while element[-1] & 0x80 and len(element) < 7:
            element += c.stream_read(stream, 1, "der")
        element += c.stream_read(stream, 1, "der")
    length = element[-1]
    if length & 0x80:
        size = length & 0x7F
        if size == 0 or size > 4:
            return element  # rejected by the validation
        element += c.stream_read(stream, size, "der")
        length = int.from_bytes(element[-size:], "big")
    return element + c.stream_read(stream, length, "der")


class DerElementConstruct(c.Construct):
    """One element (TLV) as a :class:`DerNode` tree; errors are DecodeErrors with the
    stream offset and the child-index path (``der[2][0]``)."""

    def _parse(self, stream, context, path):
        start = stream.tell()
        return parse_tree(_read_element(stream), start, "")[0]

    def _build(self, obj, stream, context, path):
        raw = encode_der(obj)
        c.stream_write(stream, raw, len(raw), path)
        return obj

    def _sizeof(self, context, path):
        raise c.SizeofError("a DER element has a variable size", path=path)


DER_ELEMENT = DerElementConstruct()
"""One DER element as a generic :class:`DerNode` tree (parse and build)."""

# =====================================================================================
# Encoding
# =====================================================================================


_SHORT_LENGTHS = tuple(bytes((size,)) for size in range(0x80))


def _length_octets(node: DerNode, size: int) -> bytes:
    octets = node.length_octets
    if octets is None:
        return _SHORT_LENGTHS[size] if size < 0x80 else encode_length(size)
    if size >= 1 << (8 * octets):
        raise EncodeError(f"length {size} does not fit {octets} length octets")
    return bytes((0x80 | octets,)) + size.to_bytes(octets, "big")


def _encode_into(node: DerNode, out: list[bytes]) -> int:
    """Append the encoding of ``node`` to ``out`` and return its size."""
    identifier = node.tag.identifier
    value = node.value
    if value is None and node.__class__ is _DecodedConstructed:
        value = node._contents  # type: ignore[attr-defined]  # unchanged since decoding
    if value is not None:
        header = _length_octets(node, len(value))
        out += (identifier, header, value)
        return len(identifier) + len(header) + len(value)
    out.append(identifier)
    slot = len(out)
    out.append(b"")
    size = 0
    for child in node.children:
        size += _encode_into(child, out)
    header = out[slot] = _length_octets(node, size)
    return len(identifier) + len(header) + size


def encode_der(node: DerNode) -> bytes:
    if not isinstance(node, DerNode):
        raise EncodeError(f"expected a DerNode, not {type(node).__name__}")
    out: list[bytes] = []
    _encode_into(node, out)
    return b"".join(out)


def encoded_size(node: DerNode) -> int:
    return _encode_into(node, [])


def _wide_length_octets(size: int) -> int | None:
    return 2 if 0x80 <= size <= 0xFF else None


def with_wide_lengths(node: DerNode) -> DerNode:
    """``node`` with every length of 128-255 in two octets (``82 00 xx``) instead of one,
    as RTDS devices encode their security-credential payloads."""

    def widen(node: DerNode) -> tuple[DerNode, int]:
        if node.value is not None:
            size = len(node.value)
            octets = _wide_length_octets(size)
            rebuilt = node if node.length_octets == octets else DerNode(
                node.tag, node.value, (), octets)
        else:
            pairs = [widen(child) for child in node.children]
            size = sum(child_size for _child, child_size in pairs)
            rebuilt = DerNode(node.tag, None, tuple(child for child, _size in pairs),
                              _wide_length_octets(size))
        return rebuilt, len(node.tag.identifier) + len(_length_octets(rebuilt, size)) + size

    return widen(node)[0]


def is_der(node: DerNode) -> bool:
    """Whether the tree uses only shortest-form lengths (i.e. is DER, not just BER)."""
    if node.length_octets is not None:
        return False
    return all(is_der(child) for child in node.children)
