"""A-XDR constructed values (array, structure, compact array), the type table, builders.

Builders check ranges up front and raise :class:`EncodeError`, so a device emulator can
assemble a response from plain Python numbers and bytes without producing bad bytes.
"""

from __future__ import annotations

import struct
from typing import ClassVar

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
from gbcs.errors import EncodeError
from gbcs.primitives import CosemDateTime, encode_length
from gbcs.value_type import value_type

# =====================================================================================
# Constructed values
# =====================================================================================


@value_type
class Array(Data):
    """SEQUENCE OF Data (DLMS wants one element type; not enforced, so any input survives)."""

    elements: tuple[Data, ...]
    TAG: ClassVar[int] = 0x01
    TYPE_NAME: ClassVar[str] = "array"

    @property
    def children(self) -> tuple[Data, ...]:
        return self.elements

    @property
    def value(self) -> list[object]:
        return [element.value for element in self.elements]

    def _json_value(self) -> object:
        return [element.to_json() for element in self.elements]

    def _write_content(self, out: bytearray) -> None:
        out += encode_length(len(self.elements))
        for element in self.elements:
            element._write(out)


@value_type
class Structure(Data):
    """SEQUENCE of Data of any types (a record)."""

    elements: tuple[Data, ...]
    TAG: ClassVar[int] = 0x02
    TYPE_NAME: ClassVar[str] = "structure"

    @property
    def children(self) -> tuple[Data, ...]:
        return self.elements

    @property
    def value(self) -> list[object]:
        return [element.value for element in self.elements]

    def _json_value(self) -> object:
        return [element.to_json() for element in self.elements]

    def _write_content(self, out: bytearray) -> None:
        out += encode_length(len(self.elements))
        for element in self.elements:
            element._write(out)


# Compact-array type descriptions ---------------------------------------------------
#
# A description whose packed values take no bytes at all (null-data, empty structures)
# would make the element count of a compact array undecidable, so arrays of such
# elements are rejected and such a top-level description can only carry no elements.


@value_type
class SimpleType:
    """A primitive type description: the tag of the packed (untagged) values."""

    tag: int

    @property
    def packs_to_nothing(self) -> bool:
        return self.tag == NullData.TAG

    def to_json(self) -> object:
        return DATA_TYPES[self.tag].TYPE_NAME

    def _write(self, out: bytearray) -> None:
        if self.tag not in PACKABLE_TAGS:
            raise EncodeError(f"tag 0x{self.tag:02X} cannot describe compact-array values")
        out.append(self.tag)

    def _write_packed(self, value: Data, out: bytearray) -> None:
        if self.tag != value.TAG:
            raise EncodeError(f"compact-array value {value.TYPE_NAME} does not match the "
                              f"described {DATA_TYPES[self.tag].TYPE_NAME}")
        value._write_content(out)


@value_type
class StructureType:
    """A structure of packed members, one description each."""

    members: tuple[TypeDescription, ...]

    @property
    def packs_to_nothing(self) -> bool:
        return all(member.packs_to_nothing for member in self.members)

    def to_json(self) -> object:
        return {"structure": [member.to_json() for member in self.members]}

    def _write(self, out: bytearray) -> None:
        out.append(Structure.TAG)
        out += encode_length(len(self.members))
        for member in self.members:
            member._write(out)

    def _write_packed(self, value: Data, out: bytearray) -> None:
        if not isinstance(value, Structure) or len(value.elements) != len(self.members):
            raise EncodeError(f"compact-array value {value!r} does not match a structure of "
                              f"{len(self.members)} members")
        for member, element in zip(self.members, value.elements, strict=True):
            member._write_packed(element, out)


@value_type
class ArrayType:
    """Array of exactly ``count`` packed elements of type ``element``."""

    count: int
    element: TypeDescription

    @property
    def packs_to_nothing(self) -> bool:
        return self.count == 0 or self.element.packs_to_nothing

    def to_json(self) -> object:
        return {"array": [self.count, self.element.to_json()]}

    def _write(self, out: bytearray) -> None:
        if self.count and self.element.packs_to_nothing:
            raise EncodeError("compact-array description: array of empty elements")
        out.append(Array.TAG)
        out += struct.pack(">H", self.count)
        self.element._write(out)

    def _write_packed(self, value: Data, out: bytearray) -> None:
        if not isinstance(value, Array) or len(value.elements) != self.count:
            raise EncodeError(f"compact-array value {value!r} does not match an array of "
                              f"{self.count} elements")
        for element in value.elements:
            self.element._write_packed(element, out)


TypeDescription = SimpleType | StructureType | ArrayType


@value_type
class CompactArray(Data):
    """Elements packed without tags as ``description`` says (primer §8.2.4).

    Elements are ordinary typed values: a structure description gives
    :class:`Structure` elements, an array description :class:`Array` elements.
    """

    description: TypeDescription
    elements: tuple[Data, ...]
    TAG: ClassVar[int] = 0x13
    TYPE_NAME: ClassVar[str] = "compact-array"

    @property
    def children(self) -> tuple[Data, ...]:
        return self.elements

    @property
    def value(self) -> list[object]:
        return [element.value for element in self.elements]

    def _json_value(self) -> object:
        return {"type": self.description.to_json(),
                "elements": [element.to_json() for element in self.elements]}

    def _write_content(self, out: bytearray) -> None:
        if self.elements and self.description.packs_to_nothing:
            raise EncodeError("compact-array elements of this type take no bytes")
        self.description._write(out)
        content = bytearray()
        for element in self.elements:
            self.description._write_packed(element, content)
        out += encode_length(len(content))
        out += content


DATA_TYPES: dict[int, type[Data]] = {
    cls.TAG: cls
    for cls in (NullData, Array, Structure, Boolean, BitString, DoubleLong,
                DoubleLongUnsigned, OctetString, VisibleString, Utf8String, Bcd, Integer,
                Long, Unsigned, LongUnsigned, CompactArray, Long64, Long64Unsigned, Enum,
                Float32, Float64, DateTime, Date, Time)
}
"""Every A-XDR data type by tag."""

TYPE_NAMES: dict[int, str] = {tag: cls.TYPE_NAME for tag, cls in DATA_TYPES.items()}
PACKABLE_TAGS = frozenset(DATA_TYPES) - {Array.TAG, Structure.TAG, CompactArray.TAG}
"""Tags a :class:`SimpleType` may carry."""
SIMPLE_TYPES: dict[int, SimpleType] = {tag: SimpleType(tag) for tag in PACKABLE_TAGS}


# =====================================================================================
# Builders (check ranges up front, raise EncodeError)
# =====================================================================================

NULL = NullData()


def null() -> NullData:
    return NULL


def _checked(elements: tuple[Data, ...]) -> tuple[Data, ...]:
    for element in elements:
        if not isinstance(element, Data):
            raise EncodeError(f"not an A-XDR Data value: {element!r}")
    return elements


def array(*elements: Data) -> Array:
    return Array(_checked(elements))


def structure(*elements: Data) -> Structure:
    return Structure(_checked(elements))


def compact_array(description: TypeDescription, *elements: Data) -> CompactArray:
    return CompactArray(description, _checked(elements))


def boolean(flag: bool) -> Boolean:
    """``FF`` for true (as RTDS writes it), ``00`` for false."""
    return Boolean(0xFF if flag else 0x00)


def bit_string(bits: str | int, length: int | None = None) -> BitString:
    """From text such as ``"1100"``, or from an integer and its bit ``length``."""
    if isinstance(bits, str):
        if length is not None or set(bits) - {"0", "1"}:
            raise EncodeError(f"bit text must consist of 0 and 1 only: {bits!r}")
        length, number = len(bits), int(bits, 2) if bits else 0
    else:
        if length is None or length < 0 or bits < 0 or bits >> length:
            raise EncodeError(f"{bits} does not fit {length} bits")
        number = bits
    size = (length + 7) // 8
    return BitString(length, (number << (size * 8 - length)).to_bytes(size, "big"))


def _integer_builder(cls: type[IntegerData]):
    def build(value: int) -> IntegerData:
        if not isinstance(value, int) or not cls.MIN <= value <= cls.MAX:
            raise EncodeError(f"{cls.TYPE_NAME} out of range: {value!r}")
        return cls(value)

    build.__name__ = build.__qualname__ = cls.TYPE_NAME.replace("-", "_")
    build.__doc__ = f"A {cls.TYPE_NAME} ({cls.MIN}..{cls.MAX})."
    return build


double_long = _integer_builder(DoubleLong)
double_long_unsigned = _integer_builder(DoubleLongUnsigned)
bcd = _integer_builder(Bcd)
integer = _integer_builder(Integer)
long = _integer_builder(Long)
unsigned = _integer_builder(Unsigned)
long_unsigned = _integer_builder(LongUnsigned)
long64 = _integer_builder(Long64)
long64_unsigned = _integer_builder(Long64Unsigned)
enum = _integer_builder(Enum)


def octet_string(value: bytes) -> OctetString:
    return OctetString(bytes(value))


def visible_string(text: str) -> VisibleString:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as error:
        raise EncodeError(f"visible-string must be single-byte text: {error}") from None
    return VisibleString(text)


def utf8_string(text: str) -> Utf8String:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EncodeError(f"utf8-string is not encodable: {error}") from None
    return Utf8String(text)


def float32(number: float) -> Float32:
    try:
        return Float32(struct.pack(">f", number))
    except (struct.error, OverflowError) as error:
        raise EncodeError(f"float32 out of range: {error}") from None


def float64(number: float) -> Float64:
    try:
        return Float64(struct.pack(">d", number))
    except struct.error as error:
        raise EncodeError(f"not a float64: {error}") from None


def date_time(moment: CosemDateTime) -> DateTime:
    return DateTime(moment)


def date_time_octets(moment: CosemDateTime) -> OctetString:
    """The GBCS way of carrying a date-time: an octet-string(12)."""
    return OctetString(moment.to_bytes())
