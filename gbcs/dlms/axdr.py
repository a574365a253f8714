"""A-XDR ``Data`` (primer §8.2.3, §8.2.4): the decoder, the construct, the vocabulary.

``from gbcs.dlms import axdr`` gives everything: the value types
(:mod:`gbcs.dlms.axdr_values`, :mod:`gbcs.dlms.axdr_constructed`), their builders,
JSON (:mod:`gbcs.dlms.axdr_json`) and the codec below.

Decoding is a hand-written recursive reader over the message bytes (one table lookup
per tag, ``struct`` for integers) because Data trees are the hot path of every DLMS
message. Failures are :class:`DecodeError` with the offset absolute in the buffer being
read and the index path inside the tree, e.g. ``[2][0].description``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from gbcs.dlms.axdr_constructed import (
    DATA_TYPES,
    NULL,
    PACKABLE_TAGS,
    SIMPLE_TYPES,
    TYPE_NAMES,
    Array,
    ArrayType,
    CompactArray,
    SimpleType,
    Structure,
    StructureType,
    TypeDescription,
    array,
    bcd,
    bit_string,
    boolean,
    compact_array,
    date_time,
    date_time_octets,
    double_long,
    double_long_unsigned,
    enum,
    float32,
    float64,
    integer,
    long,
    long64,
    long64_unsigned,
    long_unsigned,
    null,
    octet_string,
    structure,
    unsigned,
    utf8_string,
    visible_string,
)
from gbcs.dlms.axdr_json import from_json
from gbcs.dlms.axdr_values import (
    Bcd,
    BitString,
    Boolean,
    Data,
    Date,
    DateTime,
    DoubleLong,
    DoubleLongUnsigned,
    Enum,
    Float32,
    Float64,
    FloatData,
    Integer,
    IntegerData,
    Long,
    Long64,
    Long64Unsigned,
    LongUnsigned,
    NullData,
    OctetString,
    Time,
    Unsigned,
    Utf8String,
    VisibleString,
)
from gbcs.dlms.fields import TRUNCATED, BufferConstruct, inside, read_length, take
from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import CosemDateTime

MAX_DEPTH = 48
"""Deepest nesting of arrays/structures/compact arrays accepted (bounds the recursion)."""

Reader = Callable[[bytes, int, int], tuple[Data, int]]
"""``reader(buffer, position after the tag, depth) -> (value, next position)``."""

# =====================================================================================
# Tagged values
# =====================================================================================


# Frozen dataclass __init__ goes through object.__setattr__; the decoder fills the slots
# directly instead (same result, about a third faster on the hottest path).
_new = object.__new__
_set_elements_of_array = Array.__dict__["elements"].__set__
_set_elements_of_structure = Structure.__dict__["elements"].__set__
_set_octets = OctetString.__dict__["value"].__set__
_set_integer = IntegerData.__dict__["value"].__set__


def read_data(buf: bytes, pos: int, depth: int = 0) -> tuple[Data, int]:
    """One tagged Data value at ``buf[pos]``: ``(value, position after it)``."""
    try:
        tag = buf[pos]
    except IndexError:
        raise DecodeError(TRUNCATED, pos) from None
    return _READERS[tag](buf, pos + 1, depth)


def _unknown_tag(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    raise DecodeError(f"unknown A-XDR data tag 0x{buf[pos - 1]:02X}", pos - 1)


def _elements(buf: bytes, pos: int, depth: int) -> tuple[tuple[Data, ...], int]:
    count, pos = read_length(buf, pos)
    if depth >= MAX_DEPTH:
        raise DecodeError("data nested too deeply", pos)
    depth += 1
    elements = []
    append = elements.append
    readers = _READERS
    for index in range(count):
        try:
            element, pos = readers[buf[pos]](buf, pos + 1, depth)
        except IndexError:
            raise DecodeError(TRUNCATED, pos, f"[{index}]") from None
        except DecodeError as error:
            raise inside(error, index) from None
        append(element)
    return tuple(elements), pos


def _read_array(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    elements, pos = _elements(buf, pos, depth)
    value = _new(Array)
    _set_elements_of_array(value, elements)
    return value, pos


def _read_structure(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    elements, pos = _elements(buf, pos, depth)
    value = _new(Structure)
    _set_elements_of_structure(value, elements)
    return value, pos


def _read_null(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    return NULL, pos


def _read_boolean(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    try:
        return Boolean(buf[pos]), pos + 1
    except IndexError:
        raise DecodeError(TRUNCATED, pos) from None


def _read_bit_string(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    bit_length, pos = read_length(buf, pos)
    raw, pos = take(buf, pos, (bit_length + 7) // 8)
    return BitString(bit_length, raw), pos


def _read_octet_string(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    try:
        size = buf[pos]
    except IndexError:
        raise DecodeError(TRUNCATED, pos) from None
    if size < 0x80:
        pos += 1
    else:
        size, pos = read_length(buf, pos)
    end = pos + size
    if end > len(buf):
        raise DecodeError(TRUNCATED, pos)
    value = _new(OctetString)
    _set_octets(value, buf[pos:end])
    return value, end


def _read_visible_string(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    size, pos = read_length(buf, pos)
    raw, end = take(buf, pos, size)
    return VisibleString(raw.decode("latin-1")), end


def _read_utf8_string(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    size, pos = read_length(buf, pos)
    raw, end = take(buf, pos, size)
    try:
        return Utf8String(raw.decode("utf-8")), end
    except UnicodeDecodeError as error:
        raise DecodeError(f"invalid UTF-8: {error.reason}", pos + error.start) from None


def _integer_reader(cls: type[IntegerData]) -> Reader:
    unpack = struct.Struct(cls.FORMAT).unpack_from
    size = struct.calcsize(cls.FORMAT)
    set_value = _set_integer

    def read(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
        try:
            number = unpack(buf, pos)[0]
        except struct.error:
            raise DecodeError(TRUNCATED, pos) from None
        value = _new(cls)
        set_value(value, number)
        return value, pos + size

    return read


def _float_reader(cls: type[FloatData]) -> Reader:
    size = struct.calcsize(cls.FORMAT)

    def read(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
        raw, end = take(buf, pos, size)
        return cls(raw), end

    return read


def _read_date_time(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    raw, end = take(buf, pos, CosemDateTime.SIZE)
    return DateTime(CosemDateTime.from_bytes(raw)), end


def _read_date(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    raw, end = take(buf, pos, 5)
    return Date(*struct.unpack(">HBBB", raw)), end


def _read_time(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    raw, end = take(buf, pos, 4)
    return Time(*raw), end


# =====================================================================================
# Compact arrays
# =====================================================================================


def _read_description(buf: bytes, pos: int, depth: int) -> tuple[TypeDescription, int]:
    if depth >= MAX_DEPTH:
        raise DecodeError("type description nested too deeply", pos)
    try:
        tag = buf[pos]
    except IndexError:
        raise DecodeError(TRUNCATED, pos) from None
    if tag == Structure.TAG:
        count, pos = read_length(buf, pos + 1)
        members = []
        for index in range(count):
            try:
                member, pos = _read_description(buf, pos, depth + 1)
            except DecodeError as error:
                raise inside(error, index) from None
            members.append(member)
        return StructureType(tuple(members)), pos
    if tag == Array.TAG:
        raw, pos = take(buf, pos + 1, 2)
        count = int.from_bytes(raw, "big")
        element, after = _read_description(buf, pos, depth + 1)
        if count and element.packs_to_nothing:
            raise DecodeError("compact-array description: array of empty elements", pos)
        return ArrayType(count, element), after
    described = SIMPLE_TYPES.get(tag)
    if described is None:
        raise DecodeError(f"tag 0x{tag:02X} cannot describe compact-array values", pos)
    return described, pos + 1


def _packed_reader(description: TypeDescription) -> Reader:
    """A reader of one untagged value laid out as ``description`` says."""
    if isinstance(description, SimpleType):
        return _READERS[description.tag]
    if isinstance(description, StructureType):
        members = [_packed_reader(member) for member in description.members]

        def read_structure(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
            elements = []
            for index, member in enumerate(members):
                try:
                    element, pos = member(buf, pos, depth)
                except DecodeError as error:
                    raise inside(error, index) from None
                elements.append(element)
            return Structure(tuple(elements)), pos

        return read_structure
    element_reader = _packed_reader(description.element)
    count = description.count

    def read_array(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
        elements = []
        for index in range(count):
            try:
                element, pos = element_reader(buf, pos, depth)
            except DecodeError as error:
                raise inside(error, index) from None
            elements.append(element)
        return Array(tuple(elements)), pos

    return read_array


def _read_compact_array(buf: bytes, pos: int, depth: int) -> tuple[Data, int]:
    if depth >= MAX_DEPTH:
        raise DecodeError("data nested too deeply", pos)
    try:
        description, pos = _read_description(buf, pos, depth + 1)
    except DecodeError as error:
        raise inside(error, "description") from None
    size, pos = read_length(buf, pos)
    end = pos + size
    if end > len(buf):
        raise DecodeError(TRUNCATED, pos)
    if size and description.packs_to_nothing:
        raise DecodeError("compact-array content for elements that take no bytes", pos)
    content = buf[:end]  # element reads must not run past the content length
    read = _packed_reader(description)
    elements: list[Data] = []
    while pos < end:
        try:
            element, pos = read(content, pos, depth + 1)
        except DecodeError as error:
            raise inside(error, len(elements)) from None
        elements.append(element)
    return CompactArray(description, tuple(elements)), pos


_READERS: list[Reader] = [_unknown_tag] * 256
for _tag, _reader in {
    NullData.TAG: _read_null,
    Array.TAG: _read_array,
    Structure.TAG: _read_structure,
    Boolean.TAG: _read_boolean,
    BitString.TAG: _read_bit_string,
    OctetString.TAG: _read_octet_string,
    VisibleString.TAG: _read_visible_string,
    Utf8String.TAG: _read_utf8_string,
    CompactArray.TAG: _read_compact_array,
    Float32.TAG: _float_reader(Float32),
    Float64.TAG: _float_reader(Float64),
    DateTime.TAG: _read_date_time,
    Date.TAG: _read_date,
    Time.TAG: _read_time,
    **{cls.TAG: _integer_reader(cls) for cls in (
        DoubleLong, DoubleLongUnsigned, Bcd, Integer, Long, Unsigned, LongUnsigned,
        Long64, Long64Unsigned, Enum)},
}.items():
    _READERS[_tag] = _reader
if {tag for tag, reader in enumerate(_READERS) if reader is not _unknown_tag} != set(DATA_TYPES):
    raise ImportError("A-XDR reader table does not cover exactly the known data types")


# =====================================================================================
# Construct and entry points
# =====================================================================================


class AxdrDataConstruct(BufferConstruct):
    """One tagged A-XDR Data value, parsed to / built from :class:`Data`."""

    def read(self, buf: bytes, pos: int) -> tuple[Data, int]:
        return read_data(buf, pos)

    def write(self, obj: object, out: bytearray) -> None:
        if not isinstance(obj, Data):
            raise EncodeError(f"not an A-XDR Data value: {obj!r}")
        obj._write(out)


AxdrData = AxdrDataConstruct()
"""The construct of one tagged A-XDR Data value."""


def decode_data(data: bytes, offset: int = 0, path: str = "") -> Data:
    """Exactly one tagged Data value filling ``data`` (offset/path locate it in errors)."""
    return AxdrData.decode(data, offset, path)  # type: ignore[return-value]


def decode_data_sequence(data: bytes, offset: int = 0, path: str = "") -> list[Data]:
    """Consecutive tagged Data values filling ``data`` (e.g. a decrypted plaintext)."""
    buf = bytes(data)
    values: list[Data] = []
    pos = 0
    while pos < len(buf):
        try:
            value, pos = read_data(buf, pos)
        except DecodeError as error:
            raise inside(error, len(values)).within(offset, path) from None
        values.append(value)
    return values


def encode_data(value: Data) -> bytes:
    """The tagged encoding of ``value`` (:class:`EncodeError` if it cannot be encoded)."""
    return AxdrData.encode(value)


__all__ = [
    "DATA_TYPES", "MAX_DEPTH", "NULL", "PACKABLE_TAGS", "TYPE_NAMES", "Array", "ArrayType",
    "AxdrData", "AxdrDataConstruct", "Bcd", "BitString", "Boolean", "CompactArray", "Data",
    "Date", "DateTime", "DoubleLong", "DoubleLongUnsigned", "Enum", "Float32", "Float64",
    "FloatData", "Integer", "IntegerData", "Long", "Long64", "Long64Unsigned",
    "LongUnsigned", "NullData", "OctetString", "SimpleType", "Structure", "StructureType",
    "Time", "TypeDescription", "Unsigned", "Utf8String", "VisibleString", "array", "bcd",
    "bit_string", "boolean", "compact_array", "date_time", "date_time_octets",
    "decode_data", "decode_data_sequence", "double_long", "double_long_unsigned",
    "encode_data", "enum", "float32", "float64", "from_json", "integer", "long", "long64",
    "long64_unsigned", "long_unsigned", "null", "octet_string", "read_data", "structure",
    "unsigned", "utf8_string", "visible_string",
]
