"""Building blocks shared by every GBCS layer: lengths, integers, times, layer parsing.

GBCS mixes three length conventions (primer §13). The BER-style *encoded length*
(``00``-``7F``, ``81 LL``, ``82 LL LL``, ``83 LL LL LL``) is used by the GBCS headers,
DLMS and DER; it is decoded strictly (shortest form only) so that everything that
decodes re-encodes to the same bytes.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import construct as c

from gbcs.errors import DecodeError, EncodeError
from gbcs.value_type import value_type

# =====================================================================================
# Encoded length
# =====================================================================================


class EncodedLengthConstruct(c.Construct):
    """BER-style definite length, shortest form enforced both ways."""

    def _parse(self, stream, context, path):
        first = c.stream_read(stream, 1, path)[0]
        if first < 0x80:
            return first
        size = first & 0x7F
        if size == 0 or size > 3:
            raise c.ExplicitError(f"unsupported length form 0x{first:02X}", path=path)
        value = int.from_bytes(c.stream_read(stream, size, path), "big")
        if value < (0x80 if size == 1 else 1 << (8 * (size - 1))):
            raise c.ExplicitError(f"non-minimal length encoding 0x{first:02X}", path=path)
        return value

    def _build(self, obj, stream, context, path):
        raw = encode_length(obj)
        c.stream_write(stream, raw, len(raw), path)
        return obj

    def _sizeof(self, context, path):
        raise c.SizeofError("encoded length has a variable size", path=path)


def encode_length(value: int) -> bytes:
    """The shortest encoded-length form of ``value`` (0 .. 2**24-1)."""
    if not isinstance(value, int) or value < 0:
        raise EncodeError(f"length must be a non-negative integer, not {value!r}")
    if value < 0x80:
        return bytes((value,))
    if value < 0x100:
        return b"\x81" + bytes((value,))
    if value < 0x10000:
        return b"\x82" + value.to_bytes(2, "big")
    if value < 0x1000000:
        return b"\x83" + value.to_bytes(3, "big")
    raise EncodeError(f"length {value} does not fit an encoded length")


EncodedLength = EncodedLengthConstruct()
OctetString = c.Prefixed(EncodedLength, c.GreedyBytes)
"""Bytes preceded by their encoded length."""

Int24ul = c.BytesInteger(3, swapped=True)
Int48ul = c.BytesInteger(6, swapped=True)
Int48ub = c.BytesInteger(6)
ShortString = c.Prefixed(c.Int8ub, c.GreedyBytes)
"""Bytes preceded by a one-byte length (ZCL octet and character strings)."""


def length_prefixed(subcon: c.Construct) -> c.Construct:
    """``subcon`` preceded by its encoded length."""
    return c.Prefixed(EncodedLength, subcon)


def read_encoded_length(data: bytes, pos: int) -> tuple[int, int] | None:
    """``(length, position after it)`` of the shortest-form encoded length at ``pos``, or
    None where :data:`EncodedLength` would not read one."""
    if pos >= len(data):
        return None
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    end = pos + 1 + size
    if size == 0 or size > 3 or end > len(data):
        return None
    value = int.from_bytes(data[pos + 1:end], "big")
    if value < (0x80 if size == 1 else 1 << (8 * (size - 1))):
        return None
    return value, end


class Layout(c.Construct):
    """A declarative ``layout`` that parses as declared and builds with its compiled form
    (compiled when first needed, not at import), optionally with a hand-written parser in
    front of it for the common case.

    construct's compiled parsers skip the length check of ``Prefixed`` (a field declared
    longer than the bytes left is silently cut short), so parsing never uses them.
    ``fast_parse(data)`` sees the whole input of a parse that starts at its beginning and
    returns ``(obj, end)`` only when ``layout`` would parse exactly that ``obj``, ending at
    ``end``; for anything unusual it returns None and ``layout`` parses (or rejects) it.
    """

    def __init__(self, layout: c.Construct,
                 fast_parse: Callable[[bytes], tuple[object, int] | None] | None = None):
        super().__init__()
        self.layout = layout
        self.fast_parse = fast_parse
        self._compiled: c.Construct | None = None

    @property
    def compiled(self) -> c.Construct:
        if self._compiled is None:
            self._compiled = self.layout.compile()
        return self._compiled

    def _parse(self, stream, context, path):
        if self.fast_parse is not None and type(stream) is io.BytesIO and stream.tell() == 0:
            found = self.fast_parse(stream.getvalue())
            if found is not None:
                obj, end = found
                stream.seek(end)
                return obj
        return self.layout._parsereport(stream, context, path)

    def _build(self, obj, stream, context, path):
        return self.compiled._build(obj, stream, context, path)

    def _sizeof(self, context, path):
        return self.layout._sizeof(context, path)


# =====================================================================================
# Layer parsing with GBCS errors
# =====================================================================================


def _construct_path(error: c.ConstructError) -> str:
    raw = getattr(error, "path", None) or ""
    parts = [p.strip() for p in raw.split("->")]
    return ".".join(p for p in parts if p and not p.startswith("("))


def _construct_reason(error: c.ConstructError) -> str:
    text = str(error)
    if "\n" in text:
        text = text.splitlines()[-1]
    if text.startswith("Error in path"):
        text = text.split("\n")[-1]
    if isinstance(error, c.StreamError):
        return "message truncated"
    return text.strip() or type(error).__name__


def parse_layer(
    con: c.Construct, data: bytes, *, offset: int = 0, path: str = "", whole: bool = True
):
    """Parse ``data`` with ``con``; every failure becomes a :class:`DecodeError`.

    ``offset`` is where ``data`` starts in the whole message and ``path`` the name of
    this layer, so errors from inner layers point into the original bytes. With
    ``whole`` the construct must consume every byte.
    """
    stream = io.BytesIO(data)
    try:
        obj = con.parse_stream(stream)
    except DecodeError as error:
        raise error.within(offset, path) from None
    except c.ConstructError as error:
        inner = _construct_path(error)
        full = f"{path}.{inner}" if path and inner else (path or inner)
        raise DecodeError(_construct_reason(error), offset + stream.tell(), full) from None
    except struct.error:  # compiled constructs unpack short reads themselves
        raise DecodeError("message truncated", offset + stream.tell(), path) from None
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, UnicodeError) as error:
        raise DecodeError(f"invalid value: {error}", offset + stream.tell(), path) from None
    if whole:
        used = stream.tell()
        if used != len(data):
            raise DecodeError(f"{len(data) - used} unexpected trailing bytes", offset + used, path)
    return obj


def build_layer(con: c.Construct, obj, *, path: str = "") -> bytes:
    """Build ``obj`` with ``con``; every failure becomes an :class:`EncodeError`."""
    try:
        return con.build(obj)
    except EncodeError:
        raise
    except (c.ConstructError, ValueError, TypeError, KeyError, AttributeError, OverflowError) as e:
        where = f" in {path}" if path else ""
        raise EncodeError(f"cannot encode{where}: {e}") from None


# =====================================================================================
# Times
# =====================================================================================

GBCS_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""UTC seconds in DLMS, ZCL and GBZ headers count from here."""


def utc_seconds_to_datetime(seconds: int) -> datetime:
    return GBCS_EPOCH + timedelta(seconds=seconds)


def datetime_to_utc_seconds(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int((moment - GBCS_EPOCH).total_seconds())


@value_type
class CosemDateTime:
    """The 12-byte COSEM date-time, every field kept so wildcards survive a round trip."""

    year: int = 0xFFFF
    month: int = 0xFF
    day: int = 0xFF
    day_of_week: int = 0xFF
    hour: int = 0xFF
    minute: int = 0xFF
    second: int = 0xFF
    hundredths: int = 0xFF
    deviation: int = -0x8000
    clock_status: int = 0xFF

    SIZE = 12

    @classmethod
    def from_bytes(cls, raw: bytes) -> CosemDateTime:
        if len(raw) != 12:
            raise DecodeError(f"COSEM date-time needs 12 bytes, got {len(raw)}")
        return cls(
            int.from_bytes(raw[0:2], "big"), raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
            raw[8], int.from_bytes(raw[9:11], "big", signed=True), raw[11],
        )

    def to_bytes(self) -> bytes:
        try:
            return (
                self.year.to_bytes(2, "big")
                + bytes((self.month, self.day, self.day_of_week, self.hour, self.minute,
                         self.second, self.hundredths))
                + self.deviation.to_bytes(2, "big", signed=True)
                + bytes((self.clock_status,))
            )
        except (OverflowError, ValueError) as error:
            raise EncodeError(f"COSEM date-time field out of range: {error}") from None

    @classmethod
    def from_datetime(cls, moment: datetime, clock_status: int = 0x00) -> CosemDateTime:
        moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        return cls(moment.year, moment.month, moment.day, moment.isoweekday(), moment.hour,
                   moment.minute, moment.second, moment.microsecond // 10000, -0x8000,
                   clock_status)

    @property
    def is_immediate(self) -> bool:
        """All-zero date and time: execute now (DLMS activation times)."""
        return (self.year, self.month, self.day, self.hour, self.minute, self.second) == (
            0, 0, 0, 0, 0, 0)

    @property
    def is_never(self) -> bool:
        """All-wildcard date and time: never, i.e. cancel (DLMS activation times)."""
        return (self.year, self.month, self.day, self.hour, self.minute) == (
            0xFFFF, 0xFF, 0xFF, 0xFF, 0xFF)

    def to_datetime(self) -> datetime | None:
        """The moment as UTC, or ``None`` for wildcards and the now/never markers."""
        try:
            hundredths = 0 if self.hundredths == 0xFF else self.hundredths
            second = 0 if self.second == 0xFF else self.second
            moment = datetime(self.year, self.month, self.day, self.hour, self.minute, second,
                              hundredths * 10000, tzinfo=UTC)
        except (ValueError, OverflowError):
            return None
        if self.deviation != -0x8000:
            moment += timedelta(minutes=self.deviation)
        return moment

    def __str__(self) -> str:
        moment = self.to_datetime()
        if moment is not None:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.is_immediate:
            return "immediate"
        if self.is_never:
            return "never"
        return self.to_bytes().hex().upper()


def parse_generalized_time(text: str) -> datetime:
    """ASN.1 GeneralizedTime ``YYYYMMDDhhmmssZ`` as an aware UTC datetime."""
    return datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=UTC)


def format_generalized_time(moment: datetime) -> str:
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return moment.strftime("%Y%m%d%H%M%SZ")
