"""A-XDR ``Data`` values (primer §8.2.3): the base class and the scalar types.

Every DLMS value is a frozen dataclass derived from :class:`Data`: navigate with
``children``, ``[index]``, ``at(...)`` and ``walk()``, view as plain Python with
``value``, dump with ``to_json()`` and re-encode with ``encode()``. Arrays, structures
and compact arrays are in :mod:`gbcs.dlms.axdr_constructed`; decoding is in
:mod:`gbcs.dlms.axdr`, which re-exports the whole vocabulary.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from datetime import date, time
from typing import ClassVar

from gbcs.errors import EncodeError
from gbcs.primitives import CosemDateTime, encode_length
from gbcs.value_type import value_type

# =====================================================================================
# Base class
# =====================================================================================


class Data:
    """Any A-XDR value. Scalars have no children; arrays and structures do."""

    __slots__ = ()
    TAG: ClassVar[int]
    TYPE_NAME: ClassVar[str]

    @property
    def children(self) -> tuple[Data, ...]:
        return ()

    def __getitem__(self, index: int) -> Data:
        return self.children[index]

    def at(self, *path: int) -> Data:
        """The value reached by following child indexes, e.g. ``tree.at(1, 0)``."""
        node: Data = self
        for index in path:
            node = node.children[index]
        return node

    def walk(self, prefix: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Data]]:
        """Every value of the tree with its index path, parents before children."""
        yield prefix, self
        for index, child in enumerate(self.children):
            yield from child.walk((*prefix, index))

    @property
    def value(self) -> object:
        """The plain Python view (None, bool, int, bytes, str, float, list, ...)."""
        raise NotImplementedError

    def to_json(self) -> dict[str, object]:
        """``{type name: JSON value}``; :func:`gbcs.dlms.axdr.from_json` inverts it."""
        return {self.TYPE_NAME: self._json_value()}

    def _json_value(self) -> object:
        return self.value

    def encode(self) -> bytes:
        """The tagged A-XDR encoding (:class:`EncodeError` if a field is out of range)."""
        out = bytearray()
        try:
            self._write(out)
        except EncodeError:
            raise
        except (struct.error, ValueError, TypeError, AttributeError, OverflowError,
                RecursionError) as error:
            raise EncodeError(f"cannot encode {self.TYPE_NAME}: {error}") from None
        return bytes(out)

    def _write(self, out: bytearray) -> None:
        out.append(self.TAG)
        self._write_content(out)

    def _write_content(self, out: bytearray) -> None:
        raise NotImplementedError


# =====================================================================================
# Scalars
# =====================================================================================


@value_type
class NullData(Data):
    """null-data: no value (GET parameters, results of SET/ACTION)."""

    TAG: ClassVar[int] = 0x00
    TYPE_NAME: ClassVar[str] = "null-data"

    @property
    def value(self) -> None:
        return None

    def _write_content(self, out: bytearray) -> None:
        pass


@value_type
class Boolean(Data):
    """The raw byte is kept: DLMS reads any non-zero byte as true, RTDS writes ``FF``."""

    raw: int
    TAG: ClassVar[int] = 0x03
    TYPE_NAME: ClassVar[str] = "boolean"

    @property
    def value(self) -> bool:
        return self.raw != 0

    def _json_value(self) -> object:
        return {0x00: False, 0xFF: True}.get(self.raw, self.raw)

    def _write_content(self, out: bytearray) -> None:
        out.append(self.raw)


@value_type
class BitString(Data):
    """``bit_length`` bits, first bit = MSB of ``data[0]``; unused trailing bits are kept."""

    bit_length: int
    data: bytes
    TAG: ClassVar[int] = 0x04
    TYPE_NAME: ClassVar[str] = "bit-string"

    @property
    def bits(self) -> str:
        """The bits as text, e.g. ``"11001000"``."""
        if not self.data:
            return ""
        text = format(int.from_bytes(self.data, "big"), f"0{len(self.data) * 8}b")
        return text[: self.bit_length]

    def as_int(self) -> int:
        """The bits as an unsigned integer, first bit most significant."""
        return int(self.bits, 2) if self.bit_length else 0

    @property
    def value(self) -> str:
        return self.bits

    def _json_value(self) -> object:
        spare = len(self.data) * 8 - self.bit_length
        if spare and self.data[-1] & ((1 << spare) - 1):
            return {"bits": self.bit_length, "hex": self.data.hex().upper()}
        return self.bits

    def _write_content(self, out: bytearray) -> None:
        if len(self.data) != (self.bit_length + 7) // 8:
            raise EncodeError(f"bit-string of {self.bit_length} bits needs "
                              f"{(self.bit_length + 7) // 8} bytes, has {len(self.data)}")
        out += encode_length(self.bit_length)
        out += self.data


@value_type
class IntegerData(Data):
    """Base of the fixed-size integer types (``value`` is the number).

    The concrete types only add class constants, so they are plain subclasses with
    empty ``__slots__``: still frozen slots dataclasses (fields, ``__init__``, ``__eq__``
    comparing the exact class, ``__repr__``) without paying dataclass creation at import.
    """

    value: int  # type: ignore[assignment]
    FORMAT: ClassVar[str]
    MIN: ClassVar[int]
    MAX: ClassVar[int]

    def __init_subclass__(cls) -> None:
        # no super() call: slots dataclasses replace the class, breaking zero-arg super
        bits = 8 * struct.calcsize(cls.FORMAT)
        signed = cls.FORMAT[-1].islower()
        cls.MIN = -(1 << (bits - 1)) if signed else 0
        cls.MAX = (1 << (bits - 1 if signed else bits)) - 1

    def _write_content(self, out: bytearray) -> None:
        out += struct.pack(self.FORMAT, self.value)


class DoubleLong(IntegerData):
    __slots__ = ()
    TAG = 0x05
    TYPE_NAME = "double-long"
    FORMAT = ">i"


class DoubleLongUnsigned(IntegerData):
    __slots__ = ()
    TAG = 0x06
    TYPE_NAME = "double-long-unsigned"
    FORMAT = ">I"


class Bcd(IntegerData):
    __slots__ = ()
    TAG = 0x0D
    TYPE_NAME = "bcd"
    FORMAT = ">b"


class Integer(IntegerData):
    __slots__ = ()
    TAG = 0x0F
    TYPE_NAME = "integer"
    FORMAT = ">b"


class Long(IntegerData):
    __slots__ = ()
    TAG = 0x10
    TYPE_NAME = "long"
    FORMAT = ">h"


class Unsigned(IntegerData):
    __slots__ = ()
    TAG = 0x11
    TYPE_NAME = "unsigned"
    FORMAT = ">B"


class LongUnsigned(IntegerData):
    __slots__ = ()
    TAG = 0x12
    TYPE_NAME = "long-unsigned"
    FORMAT = ">H"


class Long64(IntegerData):
    __slots__ = ()
    TAG = 0x14
    TYPE_NAME = "long64"
    FORMAT = ">q"


class Long64Unsigned(IntegerData):
    __slots__ = ()
    TAG = 0x15
    TYPE_NAME = "long64-unsigned"
    FORMAT = ">Q"


class Enum(IntegerData):
    __slots__ = ()
    TAG = 0x16
    TYPE_NAME = "enum"
    FORMAT = ">B"


@value_type
class OctetString(Data):
    """Bytes; GBCS also uses it for date-times (12 bytes) and device ids (8 bytes)."""

    value: bytes  # type: ignore[assignment]
    TAG: ClassVar[int] = 0x09
    TYPE_NAME: ClassVar[str] = "octet-string"

    def _json_value(self) -> object:
        return self.value.hex().upper()

    def _write_content(self, out: bytearray) -> None:
        out += encode_length(len(self.value))
        out += self.value


@value_type
class VisibleString(Data):
    """One character per byte (Latin-1), so every byte string survives a round trip."""

    value: str  # type: ignore[assignment]
    TAG: ClassVar[int] = 0x0A
    TYPE_NAME: ClassVar[str] = "visible-string"

    def _write_content(self, out: bytearray) -> None:
        raw = self.value.encode("latin-1")
        out += encode_length(len(raw))
        out += raw


@value_type
class Utf8String(Data):
    """UTF-8 text (strictly decoded, so re-encoding gives the same bytes)."""

    value: str  # type: ignore[assignment]
    TAG: ClassVar[int] = 0x0C
    TYPE_NAME: ClassVar[str] = "utf8-string"

    def _write_content(self, out: bytearray) -> None:
        raw = self.value.encode("utf-8")
        out += encode_length(len(raw))
        out += raw


@value_type
class FloatData(Data):
    """Base of float32/float64: the raw big-endian bytes are kept (NaN payloads survive).

    Float32/Float64 are plain subclasses, like the integer types.
    """

    raw: bytes
    FORMAT: ClassVar[str]

    @property
    def value(self) -> float:
        return struct.unpack(self.FORMAT, self.raw)[0]

    def _json_value(self) -> object:
        number = self.value
        if math.isfinite(number) and struct.pack(self.FORMAT, number) == self.raw:
            return number
        return self.raw.hex().upper()

    def _write_content(self, out: bytearray) -> None:
        if len(self.raw) != struct.calcsize(self.FORMAT):
            raise EncodeError(f"{self.TYPE_NAME} needs {struct.calcsize(self.FORMAT)} bytes")
        out += self.raw


class Float32(FloatData):
    __slots__ = ()
    TAG = 0x17
    TYPE_NAME = "float32"
    FORMAT = ">f"


class Float64(FloatData):
    __slots__ = ()
    TAG = 0x18
    TYPE_NAME = "float64"
    FORMAT = ">d"


@value_type
class DateTime(Data):
    """Tagged date-time (``19``); GBCS usually sends an octet-string(12) instead."""

    value: CosemDateTime  # type: ignore[assignment]
    TAG: ClassVar[int] = 0x19
    TYPE_NAME: ClassVar[str] = "date-time"

    def _json_value(self) -> object:
        return self.value.to_bytes().hex().upper()

    def _write_content(self, out: bytearray) -> None:
        out += self.value.to_bytes()


@value_type
class Date(Data):
    """COSEM date: year (``FFFF`` = any), month, day, day of week (``FF`` = any)."""

    year: int
    month: int
    day: int
    day_of_week: int
    TAG: ClassVar[int] = 0x1A
    TYPE_NAME: ClassVar[str] = "date"

    @property
    def value(self) -> date | None:
        """The calendar date, or ``None`` when a field is a wildcard or special value."""
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None

    def _json_value(self) -> object:
        return [self.year, self.month, self.day, self.day_of_week]

    def _write_content(self, out: bytearray) -> None:
        out += struct.pack(">HBBB", self.year, self.month, self.day, self.day_of_week)


@value_type
class Time(Data):
    """COSEM time: hour, minute, second, hundredths (``FF`` = not specified)."""

    hour: int
    minute: int
    second: int
    hundredths: int
    TAG: ClassVar[int] = 0x1B
    TYPE_NAME: ClassVar[str] = "time"

    @property
    def value(self) -> time | None:
        """The time of day (unspecified seconds/hundredths read as 0), or ``None``."""
        second = 0 if self.second == 0xFF else self.second
        hundredths = 0 if self.hundredths == 0xFF else self.hundredths
        try:
            return time(self.hour, self.minute, second, hundredths * 10000)
        except ValueError:
            return None

    def _json_value(self) -> object:
        return [self.hour, self.minute, self.second, self.hundredths]

    def _write_content(self, out: bytearray) -> None:
        out += struct.pack(">BBBB", self.hour, self.minute, self.second, self.hundredths)
