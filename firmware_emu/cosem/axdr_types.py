"""The A-XDR types of COSEM attributes, as data: conformance, default values, and
compact-array descriptions.

Catalogues declare each attribute's type with these constructors (``U32``,
``Struct(I8, ENUM)``, ``ArrayOf(...)``); the object model checks SET values and method
parameters against them (a mismatch is DLMS ``type-unmatched``) and builds default values
from them, so an attribute nobody has written still reads with the right shape.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from gbcs.dlms.axdr import (
    SIMPLE_TYPES,
    Array,
    ArrayType,
    BitString,
    Boolean,
    CompactArray,
    Data,
    DoubleLong,
    DoubleLongUnsigned,
    Enum,
    Integer,
    IntegerData,
    Long,
    Long64,
    Long64Unsigned,
    LongUnsigned,
    NullData,
    OctetString,
    Structure,
    StructureType,
    TypeDescription,
    Unsigned,
    Utf8String,
    VisibleString,
)
from gbcs.primitives import CosemDateTime


class AxdrType(ABC):
    """What values an attribute, method parameter or profile column may take."""

    @abstractmethod
    def conforms(self, value: Data) -> bool:
        """Whether ``value`` has this type."""

    @abstractmethod
    def default(self) -> Data:
        """A value of this type for an attribute nobody has written."""

    def describe(self) -> TypeDescription:
        """The compact-array type description of values of this type."""
        raise TypeError(f"{self!r} has no compact-array description")


@dataclass(frozen=True, slots=True)
class Simple(AxdrType):
    """A primitive type; ``size`` fixes an octet/visible string length or bit count."""

    data_class: type[Data]
    size: int | None = None
    initial: Data | None = None

    def conforms(self, value: Data) -> bool:
        if type(value) is not self.data_class:
            return False
        if self.size is None:
            return True
        if isinstance(value, BitString):
            return value.bit_length == self.size
        if isinstance(value, OctetString | VisibleString):
            return len(value.value) == self.size
        return True

    def default(self) -> Data:
        if self.initial is not None:
            return self.initial
        size = self.size or 0
        cls = self.data_class
        if issubclass(cls, IntegerData):
            return cls(0)
        if cls is Boolean:
            return Boolean(0x00)
        if cls is OctetString:
            return OctetString(bytes(size))
        if cls is BitString:
            return BitString(size, bytes((size + 7) // 8))
        if cls is VisibleString:
            return VisibleString(" " * size)
        if cls is Utf8String:
            return Utf8String("")
        return cls()

    def describe(self) -> TypeDescription:
        return SIMPLE_TYPES[self.data_class.TAG]


@dataclass(frozen=True, slots=True, init=False)
class Struct(AxdrType):
    members: tuple[AxdrType, ...]

    def __init__(self, *members: AxdrType) -> None:
        object.__setattr__(self, "members", members)

    def conforms(self, value: Data) -> bool:
        return (type(value) is Structure and len(value.elements) == len(self.members)
                and all(m.conforms(v) for m, v in zip(self.members, value.elements,
                                                      strict=True)))

    def default(self) -> Data:
        return Structure(tuple(member.default() for member in self.members))

    def describe(self) -> TypeDescription:
        return StructureType(tuple(member.describe() for member in self.members))


@dataclass(frozen=True, slots=True)
class ArrayOf(AxdrType):
    """An array of ``element``; ``count`` fixes its length (needed inside compact arrays),
    ``default_count`` is how many default elements a default value has."""

    element: AxdrType
    count: int | None = None
    default_count: int = 1

    def conforms(self, value: Data) -> bool:
        return (type(value) is Array
                and (self.count is None or len(value.elements) == self.count)
                and all(self.element.conforms(item) for item in value.elements))

    def default(self) -> Data:
        count = self.count if self.count is not None else self.default_count
        return Array(tuple(self.element.default() for _ in range(count)))

    def describe(self) -> TypeDescription:
        if self.count is None:
            raise TypeError("an array inside a compact array needs a fixed count")
        return ArrayType(self.count, self.element.describe())


@dataclass(frozen=True, slots=True, init=False)
class OneOf(AxdrType):
    """Any of several types (an attribute whose type changed between GBCS versions)."""

    options: tuple[AxdrType, ...]

    def __init__(self, *options: AxdrType) -> None:
        object.__setattr__(self, "options", options)

    def conforms(self, value: Data) -> bool:
        return any(option.conforms(value) for option in self.options)

    def default(self) -> Data:
        return self.options[0].default()


@dataclass(frozen=True, slots=True)
class CompactOf(AxdrType):
    """A compact array of rows of type ``row`` (profile generic buffers)."""

    row: AxdrType

    def conforms(self, value: Data) -> bool:
        return (type(value) is CompactArray and value.description == self.row.describe()
                and all(self.row.conforms(item) for item in value.elements))

    def default(self) -> Data:
        return CompactArray(self.row.describe(), ())

    def pack(self, rows: list[Data] | tuple[Data, ...]) -> CompactArray:
        return CompactArray(self.row.describe(), tuple(rows))


class AnyData(AxdrType):
    """Any value (parameters the device ignores, such as a method's dummy integer)."""

    def conforms(self, value: Data) -> bool:
        return isinstance(value, Data)

    def default(self) -> Data:
        return NullData()

    def __repr__(self) -> str:
        return "ANY"


def octets(size: int | None = None, initial: bytes | None = None) -> Simple:
    return Simple(OctetString, size, OctetString(initial) if initial is not None else None)


def bits(size: int | None = None) -> Simple:
    return Simple(BitString, size)


def visible(size: int | None = None, initial: str | None = None) -> Simple:
    return Simple(VisibleString, size, VisibleString(initial) if initial is not None else None)


NOT_SPECIFIED = CosemDateTime()
"""The all-wildcard COSEM date-time: "not specified" (also "never" for activations)."""

ANY = AnyData()
NULL = Simple(NullData)
BOOL = Simple(Boolean)
U8, U16, U32, U64 = Simple(Unsigned), Simple(LongUnsigned), Simple(DoubleLongUnsigned), \
    Simple(Long64Unsigned)
I8, I16, I32, I64 = Simple(Integer), Simple(Long), Simple(DoubleLong), Simple(Long64)
ENUM = Simple(Enum)
OCTETS = octets()
DATE_TIME = octets(12, NOT_SPECIFIED.to_bytes())
"""A COSEM date-time carried, as GBCS does, in an octet-string(12)."""
DATE = octets(5, bytes.fromhex("FFFFFFFFFF"))
TIME = octets(4, bytes.fromhex("FFFFFFFF"))
LOGICAL_NAME = octets(6)
SCALER_UNIT = Struct(I8, ENUM)
UTF8 = Simple(Utf8String)
