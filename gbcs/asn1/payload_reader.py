"""Reading typed ASN.1 payloads straight from their DER bytes.

A view reads its fields with a :class:`PayloadReader` over the validated content: no
tree is built for the payload's own structure, only for the parts it keeps as they are
(certificates). The reader insists on the exact encoding the view re-creates, so every
view that decodes re-encodes to the same bytes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from gbcs.asn1.der import DerNode, encode_der, node_at, validate_element
from gbcs.asn1.der_node import SHORT_FORM_TAGS, read_generalized_time, read_named_bits
from gbcs.errors import DecodeError

if TYPE_CHECKING:
    from gbcs.asn1.certificates import CertificateInfo

E = TypeVar("E", bound=enum.IntEnum)
T = TypeVar("T")


def known(enum_type: type[E], value: int) -> E | int:
    """``value`` as a member of ``enum_type`` when it names one, else the plain int."""
    return enum_type._value2member_map_.get(value, value)  # type: ignore[return-value]


# =====================================================================================
# Reading views
# =====================================================================================

# Identifier octets of the elements the views read.
INTEGER, BIT_STRING, OCTET_STRING, NULL, ENUMERATED = 0x02, 0x03, 0x04, 0x05, 0x0A
SEQUENCE, GENERALIZED_TIME = 0x30, 0x18


class ViewError(Exception):
    """Valid DER that is not the payload expected: ``reason`` at byte ``at`` of the
    content, in field ``path``."""

    def __init__(self, at: int, reason: str, path: str) -> None:
        super().__init__(reason)
        self.at = at
        self.reason = reason
        self.path = path


class _LengthStyle:
    """Shared by the readers of one payload: whether the RTDS devices' ``82 00 xx`` form
    is ``allowed`` and which form lengths of 128-255 have (``wide``: None until seen)."""

    __slots__ = ("allowed", "wide")

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.wide: bool | None = None if allowed else False


def _tag_name(data: bytes, pos: int) -> str:
    tag = SHORT_FORM_TAGS[data[pos]]
    return str(tag) if tag is not None else f"identifier {data[pos]:02X}"


class PayloadReader:
    """Reads the components of one constructed element, in order, straight from the
    content bytes (which the DER validation has already accepted).

    Views read every byte through it: lengths must have the form the view re-creates,
    values their DER form, and nothing may be left over, so a view re-encodes exactly.
    """

    __slots__ = ("_data", "_end", "_lengths", "_name", "_parent", "_pos")

    def __init__(self, data: bytes, pos: int, end: int, parent: PayloadReader | None,
                 name: str | int, lengths: _LengthStyle) -> None:
        self._data = data
        self._pos = pos
        self._end = end
        self._parent = parent
        self._name = name
        self._lengths = lengths

    @classmethod
    def over(cls, data: bytes, *, wide_lengths_allowed: bool = False) -> PayloadReader:
        """A reader whose only component is the element filling ``data``."""
        return cls(data, 0, len(data), None, "", _LengthStyle(wide_lengths_allowed))

    @property
    def path(self) -> str:
        parts: list[str] = []
        reader: PayloadReader | None = self
        while reader is not None:
            name = reader._name
            if isinstance(name, int):
                parts.append(f"[{name}]")
            elif name:
                parts.append(f".{name}")
            reader = reader._parent
        return "".join(reversed(parts)).lstrip(".")

    @property
    def wide_lengths(self) -> bool:
        """Whether the lengths read so far used the RTDS devices' ``82 00 xx`` form."""
        return self._lengths.wide is True

    def fail(self, at: int, reason: str, name: str | int = "") -> ViewError:
        path = self.path
        if isinstance(name, int):
            path += f"[{name}]"
        elif name:
            path = f"{path}.{name}" if path else name
        return ViewError(at, reason, path)

    # ---- headers ----------------------------------------------------------------------

    def _header(self, name: str | int, identifier: int) -> tuple[int, int]:
        """Contents range of the next component, which must have ``identifier``."""
        data = self._data
        pos = self._pos
        if pos >= self._end:
            raise self.fail(pos, f"{name} missing", name)
        if data[pos] != identifier:
            raise self.fail(pos, f"expected {SHORT_FORM_TAGS[identifier]}, found "
                                 f"{_tag_name(data, pos)}", name)
        length = data[pos + 1]
        if length & 0x80:
            return self._long_header(pos, length, name)
        self._pos = stop = pos + 2 + length
        return pos + 2, stop

    def _long_header(self, pos: int, first: int, name: str | int) -> tuple[int, int]:
        octets = first & 0x7F
        start = pos + 2 + octets
        length = int.from_bytes(self._data[pos + 2:start], "big")
        wide_form = octets == 2 and 0x80 <= length <= 0xFF
        style = self._lengths
        if length < 0x80 or (octets != (length.bit_length() + 7) // 8
                             and not (wide_form and style.allowed)):
            raise self.fail(pos, "length encoding the payload cannot reproduce", name)
        if length <= 0xFF:
            if style.wide is None:
                style.wide = wide_form
            elif style.wide is not wide_form:
                raise self.fail(pos, "mixed forms of lengths 128-255", name)
        self._pos = stop = start + length
        return start, stop

    # ---- components -------------------------------------------------------------------

    def has(self, identifier: int) -> bool:
        """Whether the next component is there and has ``identifier`` (OPTIONAL fields)."""
        return self._pos < self._end and self._data[self._pos] == identifier

    def at_end(self) -> bool:
        return self._pos >= self._end

    def end(self) -> None:
        if self._pos < self._end:
            raise self.fail(self._pos, f"unexpected {_tag_name(self._data, self._pos)} "
                                       "after the last field")

    def _read(self, name: str | int, identifier: int, read):
        at = self._pos
        start, stop = self._header(name, identifier)
        try:
            return read(self._data[start:stop])
        except DecodeError as error:
            raise self.fail(at, error.reason, name) from None

    def integer(self, name: str | int, identifier: int = INTEGER) -> int:
        data = self._data
        at = self._pos
        if at < self._end and data[at] == identifier and data[at + 1] < 0x80:
            start = at + 2  # the common case of _header, inline: integers are everywhere
            self._pos = stop = start + data[at + 1]
        else:
            start, stop = self._header(name, identifier)
        raw = data[start:stop]
        if not raw or (len(raw) > 1 and ((raw[0] == 0 and raw[1] < 0x80)
                                         or (raw[0] == 0xFF and raw[1] >= 0x80))):
            raise self.fail(at, "empty or non-minimal INTEGER", name)
        return int.from_bytes(raw, "big", signed=True)

    def enumerated(self, name: str | int) -> int:
        return self.integer(name, ENUMERATED)

    def octets(self, name: str | int, size: int | None = None,
               identifier: int = OCTET_STRING) -> bytes:
        at = self._pos
        start, stop = self._header(name, identifier)
        if size is not None and stop - start != size:
            raise self.fail(at, f"{name} must be {size} bytes, got {stop - start}", name)
        return self._data[start:stop]

    def time(self, name: str | int) -> datetime:
        return self._read(name, GENERALIZED_TIME, read_generalized_time)

    def named_bits(self, name: str | int) -> int:
        return self._read(name, BIT_STRING, read_named_bits)

    def null(self, name: str | int) -> None:
        at = self._pos
        start, stop = self._header(name, NULL)
        if stop != start:
            raise self.fail(at, "NULL with contents", name)

    def sequence(self, name: str | int, identifier: int = SEQUENCE) -> PayloadReader:
        """A reader over the components of the next component (a SEQUENCE by default)."""
        data = self._data
        at = self._pos
        if at < self._end and data[at] == identifier and data[at + 1] < 0x80:
            start = at + 2  # the common case of _header, inline
            self._pos = stop = start + data[at + 1]
        else:
            start, stop = self._header(name, identifier)
        return PayloadReader(data, start, stop, self, name, self._lengths)

    def sequence_of(self, name: str, read_item: Callable[[PayloadReader, int], T],
                    identifier: int = SEQUENCE) -> tuple[T, ...]:
        """The items of a SEQUENCE OF; ``read_item(reader, index)`` reads the next one."""
        items = self.sequence(name, identifier)
        found: list[T] = []
        while items._pos < items._end:
            found.append(read_item(items, len(found)))
        return tuple(found)

    def element(self, name: str | int, identifier: int = SEQUENCE) -> DerNode:
        """The next component as a DER tree, kept exactly as it is (certificates)."""
        data = self._data
        pos = self._pos
        if pos >= self._end:
            raise self.fail(pos, f"{name} missing", name)
        if data[pos] != identifier:
            raise self.fail(pos, f"expected {SHORT_FORM_TAGS[identifier]}, found "
                                 f"{_tag_name(data, pos)}", name)
        length = data[pos + 1]
        start = pos + 2
        if length & 0x80:
            start += length & 0x7F
            length = int.from_bytes(data[pos + 2:start], "big")
        self._pos = start + length
        return node_at(data, pos, start + length)


def read_enum(reader: PayloadReader, name: str | int, enum_type: type[E],
              identifier: int = INTEGER) -> E | int:
    """An INTEGER (or ENUMERATED) as a member of ``enum_type`` when it names one."""
    value = reader.integer(name, identifier)
    return enum_type._value2member_map_.get(value, value)  # type: ignore[return-value]


# =====================================================================================
# Payload views
# =====================================================================================


class PayloadView:
    """Base of the typed payloads: ``read_payload`` reads one from a reader positioned at
    its root element (whose identifier octet is ``ROOT``), ``to_node`` builds its tree."""

    __slots__ = ()
    ROOT: ClassVar[int]
    WIDE_LENGTHS_ALLOWED: ClassVar[bool] = False
    """Whether the payload may use the RTDS devices' ``82 00 xx`` lengths."""

    @classmethod
    def from_bytes(cls, content: bytes, *, offset: int = 0) -> Self:
        return decode_view(cls, content, offset)

    @classmethod
    def from_node(cls, node: DerNode) -> Self:
        return decode_view(cls, encode_der(node))

    def to_bytes(self) -> bytes:
        return encode_der(self.to_node())  # type: ignore[attr-defined]


V = TypeVar("V", bound=PayloadView)


def decode_view(view: type[V], content: bytes, offset: int = 0) -> V:
    """``content`` as ``view``; DecodeError (offset, ``asn1.<field path>``) otherwise."""
    content = bytes(content)
    validate_element(content, offset, "asn1")
    reader = PayloadReader.over(content, wide_lengths_allowed=view.WIDE_LENGTHS_ALLOWED)
    try:
        payload = view.read_payload(reader)  # type: ignore[attr-defined]
        reader.end()
    except ViewError as error:
        path = f"asn1.{error.path}" if error.path else "asn1"
        raise DecodeError(error.reason, offset + error.at, path) from None
    return payload


def certificate_info(certificate: DerNode) -> CertificateInfo:
    """What an embedded certificate says (read with ``cryptography`` on demand)."""
    from gbcs.asn1.certificates import parse_certificate

    return parse_certificate(encode_der(certificate))


def items_of(read: Callable[[PayloadReader], T]) -> Callable[[PayloadReader, int], T]:
    """An item reader for :meth:`PayloadReader.sequence_of` whose items are SEQUENCEs."""
    return lambda reader, index: read(reader.sequence(index))
