"""ZCL data types (little-endian), frame-control enums and the data-type table used by
attribute records (Read Attributes Response, Write Attributes)."""

from __future__ import annotations

import enum
import struct
from functools import partial
from typing import ClassVar

from gbcs.errors import DecodeError, EncodeError
from gbcs.gbz.records import TRUNCATED, Codec, record


class FrameType(enum.IntEnum):
    """ZCL frame control bits 0-1."""

    GLOBAL = 0
    CLUSTER_SPECIFIC = 1


class Direction(enum.IntEnum):
    """ZCL frame control bit 3: who sends the command."""

    CLIENT_TO_SERVER = 0
    SERVER_TO_CLIENT = 1


C2S = Direction.CLIENT_TO_SERVER
S2C = Direction.SERVER_TO_CLIENT


# =====================================================================================
# ZCL data types (all little-endian)
# =====================================================================================


class ZclDataType(Codec):
    """A ZCL data type; ``type_id`` is its code in attribute records (0 = no data id)."""

    def __init__(self, type_id: int, name: str) -> None:
        super().__init__()
        self.type_id = type_id
        self.zcl_name = name

    def __repr__(self) -> str:
        return f"<ZCL {self.zcl_name} 0x{self.type_id:02X}>"


class IntType(ZclDataType):
    python_type = int
    _FORMATS: ClassVar[dict[int, str]] = {1: "B", 2: "H", 4: "I", 8: "Q"}

    def __init__(self, type_id: int, name: str, size: int, signed: bool = False) -> None:
        super().__init__(type_id, name)
        self.size = size
        self.signed = signed
        fmt = self._FORMATS.get(size)
        self._unpack = (struct.Struct("<" + (fmt.lower() if signed else fmt)).unpack_from
                        if fmt else None)
        if fmt:
            self.struct_format = fmt.lower() if signed else fmt
        else:
            self.struct_format = f"{size}s"
            self.from_struct = partial(int.from_bytes, byteorder="little", signed=signed)

    def read(self, data: bytes, pos: int) -> tuple[int, int]:
        end = pos + self.size
        if end > len(data):
            raise DecodeError(TRUNCATED, pos)
        if self._unpack is not None:
            return self._unpack(data, pos)[0], end
        return int.from_bytes(data[pos:end], "little", signed=self.signed), end

    def write(self, value: int, out: bytearray) -> None:
        try:
            out += value.to_bytes(self.size, "little", signed=self.signed)
        except (OverflowError, AttributeError, TypeError):
            raise EncodeError(f"{value!r} does not fit ZCL {self.zcl_name}") from None


class NoData(ZclDataType):
    size = 0
    python_type = type(None)

    def read(self, data: bytes, pos: int) -> tuple[None, int]:
        return None, pos

    def write(self, value: None, out: bytearray) -> None:
        if value is not None:
            raise EncodeError("ZCL no-data value must be None")


class BooleanType(ZclDataType):
    """``00`` False, ``01`` True, ``FF`` invalid (None); anything else is malformed."""

    size = 1
    python_type = bool | None
    _VALUES: ClassVar[dict[int, bool | None]] = {0: False, 1: True, 0xFF: None}

    def read(self, data: bytes, pos: int) -> tuple[bool | None, int]:
        if pos >= len(data):
            raise DecodeError(TRUNCATED, pos)
        raw = data[pos]
        if raw not in self._VALUES:
            raise DecodeError(f"invalid ZCL boolean 0x{raw:02X}", pos)
        return self._VALUES[raw], pos + 1

    def write(self, value: bool | None, out: bytearray) -> None:
        if value is not None and not isinstance(value, bool):
            raise EncodeError(f"ZCL boolean must be True, False or None, not {value!r}")
        out.append(0xFF if value is None else int(value))


class FloatType(ZclDataType):
    """IEEE floats; a value whose bits would not survive a float round trip is rejected."""

    python_type = float

    def __init__(self, type_id: int, name: str, fmt: str) -> None:
        super().__init__(type_id, name)
        self._struct = struct.Struct("<" + fmt)
        self.size = self._struct.size

    def read(self, data: bytes, pos: int) -> tuple[float, int]:
        end = pos + self.size
        if end > len(data):
            raise DecodeError(TRUNCATED, pos)
        value = self._struct.unpack_from(data, pos)[0]
        if self._struct.pack(value) != data[pos:end]:
            raise DecodeError(f"{self.zcl_name} bit pattern cannot be represented", pos)
        return value, end

    def write(self, value: float, out: bytearray) -> None:
        try:
            out += self._struct.pack(value)
        except (struct.error, OverflowError, TypeError):
            raise EncodeError(f"{value!r} does not fit ZCL {self.zcl_name}") from None


class StringType(ZclDataType):
    """Length-prefixed string; the all-ones length means "invalid" (None), no data."""

    python_type = bytes | None

    def __init__(self, type_id: int, name: str, length_size: int) -> None:
        super().__init__(type_id, name)
        self.length_size = length_size
        self._invalid = (1 << (8 * length_size)) - 1

    def read(self, data: bytes, pos: int) -> tuple[bytes | None, int]:
        start = pos + self.length_size
        if start > len(data):
            raise DecodeError(TRUNCATED, pos)
        length = data[pos] if self.length_size == 1 else data[pos] | (data[pos + 1] << 8)
        if length == self._invalid:
            return None, start
        end = start + length
        if end > len(data):
            raise DecodeError(f"string length {length} exceeds the {len(data) - start} "
                              "bytes left", pos)
        return data[start:end], end

    def write(self, value: bytes | None, out: bytearray) -> None:
        if value is None:
            out += self._invalid.to_bytes(self.length_size, "little")
            return
        if not isinstance(value, bytes | bytearray):
            raise EncodeError(f"ZCL {self.zcl_name} must be bytes, not {type(value).__name__}")
        if len(value) >= self._invalid:
            raise EncodeError(f"ZCL {self.zcl_name} of {len(value)} bytes is too long")
        out += len(value).to_bytes(self.length_size, "little")
        out += value


class FixedBytes(ZclDataType):
    python_type = bytes

    def __init__(self, type_id: int, name: str, size: int) -> None:
        super().__init__(type_id, name)
        self.size = size
        self.struct_format = f"{size}s"

    def read(self, data: bytes, pos: int) -> tuple[bytes, int]:
        end = pos + self.size
        if end > len(data):
            raise DecodeError(TRUNCATED, pos)
        return data[pos:end], end

    def write(self, value: bytes, out: bytearray) -> None:
        if not isinstance(value, bytes | bytearray) or len(value) != self.size:
            raise EncodeError(f"ZCL {self.zcl_name} must be {self.size} bytes")
        out += value


NO_DATA = NoData(0x00, "no data")
BOOLEAN = BooleanType(0x10, "boolean")
ENUM8 = IntType(0x30, "enum8", 1)
ENUM16 = IntType(0x31, "enum16", 2)
OCTET_STRING = StringType(0x41, "octet string", 1)
CHARACTER_STRING = StringType(0x42, "character string", 1)
LONG_OCTET_STRING = StringType(0x43, "long octet string", 2)
LONG_CHARACTER_STRING = StringType(0x44, "long character string", 2)
UTC_TIME = IntType(0xE2, "UTC time", 4)
"""Seconds since 2000-01-01 UTC, kept as the integer (0 and all-ones are markers)."""
CLUSTER_ID = IntType(0xE8, "cluster id", 2)
ATTRIBUTE_ID = IntType(0xE9, "attribute id", 2)
BACNET_OID = IntType(0xEA, "BACnet OID", 4)
IEEE_ADDRESS = IntType(0xF0, "IEEE address", 8)
SECURITY_KEY = FixedBytes(0xF1, "128-bit security key", 16)

DATA = [IntType(0x07 + n, f"data{8 * n}", n) for n in range(1, 9)]
BITMAP = [IntType(0x17 + n, f"bitmap{8 * n}", n) for n in range(1, 9)]
UINT = [IntType(0x1F + n, f"uint{8 * n}", n) for n in range(1, 9)]
INT = [IntType(0x27 + n, f"int{8 * n}", n, signed=True) for n in range(1, 9)]
UINT8, UINT16, UINT24, UINT32, UINT40, UINT48, UINT56, UINT64 = UINT
INT8, INT16, INT24, INT32, INT40, INT48, INT56, INT64 = INT
BITMAP8, BITMAP16, BITMAP24, BITMAP32 = BITMAP[:4]
FLOATS = [FloatType(0x38, "semi-precision", "e"), FloatType(0x39, "single precision", "f"),
          FloatType(0x3A, "double precision", "d")]


# =====================================================================================
# Structured ZCL types
# =====================================================================================

ZclDate = record("ZclDate", ("year_since_1900", UINT8), ("month", UINT8), ("day", UINT8),
                 ("day_of_week", UINT8), title="Date")
"""ZCL date (0xE1); 0xFF in a field is a wildcard."""
ZclTimeOfDay = record("ZclTimeOfDay", ("hours", UINT8), ("minutes", UINT8), ("seconds", UINT8),
                      ("hundredths", UINT8), title="Time of day")

ZCL_DATA_TYPES: dict[int, Codec] = {
    kind.type_id: kind
    for kind in (NO_DATA, BOOLEAN, ENUM8, ENUM16, OCTET_STRING, CHARACTER_STRING,
                 LONG_OCTET_STRING, LONG_CHARACTER_STRING, UTC_TIME, CLUSTER_ID, ATTRIBUTE_ID,
                 BACNET_OID, IEEE_ADDRESS, SECURITY_KEY, *DATA, *BITMAP, *UINT, *INT, *FLOATS)
}
ZCL_DATA_TYPES[0xE0] = ZclTimeOfDay.codec
ZCL_DATA_TYPES[0xE1] = ZclDate.codec

ZCL_DATA_TYPE_NAMES: dict[int, str] = {
    type_id: getattr(kind, "zcl_name", "") for type_id, kind in ZCL_DATA_TYPES.items()
}
ZCL_DATA_TYPE_NAMES[0xE0] = "time of day"
ZCL_DATA_TYPE_NAMES[0xE1] = "date"
