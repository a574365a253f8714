"""Fast construct building blocks for A-XDR encoded xDLMS structures.

construct's generic machinery (even compiled) costs tens of microseconds per DLMS APDU,
so the xDLMS layers are built from the hand-written constructs below. Each one parses
straight from the message bytes with ``read(buffer, position) -> (value, position)`` and
builds with ``write(value, out)``; composing them (:class:`Record` = SEQUENCE,
:class:`SequenceOf`, :class:`OptionalField` = OPTIONAL, :class:`TaggedChoice`) keeps the
APDU definitions declarative. Every failure is a :class:`DecodeError` with an offset
absolute in the buffer and a dotted field path.
"""

from __future__ import annotations

import dataclasses
import io
import struct
from collections.abc import Callable, Mapping

import construct as c

from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import encode_length

TRUNCATED = "message truncated"


def read_length(buf: bytes, pos: int) -> tuple[int, int]:
    """An encoded length or count (primer §2.1), shortest form only."""
    try:
        first = buf[pos]
    except IndexError:
        raise DecodeError(TRUNCATED, pos) from None
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    if size == 0 or size > 3:
        raise DecodeError(f"unsupported length form 0x{first:02X}", pos)
    end = pos + 1 + size
    if end > len(buf):
        raise DecodeError(TRUNCATED, pos)
    value = int.from_bytes(buf[pos + 1:end], "big")
    if value < (0x80 if size == 1 else 1 << (8 * (size - 1))):
        raise DecodeError(f"non-minimal length encoding 0x{first:02X}", pos)
    return value, end


def take(buf: bytes, pos: int, size: int) -> tuple[bytes, int]:
    """``size`` bytes at ``pos``."""
    end = pos + size
    if end > len(buf):
        raise DecodeError(TRUNCATED, pos)
    return buf[pos:end], end


def inside(error: DecodeError, step: int | str) -> DecodeError:
    """``error`` seen from the enclosing element ``step`` (list index or field name)."""
    step = f"[{step}]" if isinstance(step, int) else step
    if not error.path:
        path = step
    elif error.path.startswith("["):
        path = step + error.path
    else:
        path = f"{step}.{error.path}"
    return DecodeError(error.reason, error.offset, path)


def _dotted(construct_path: str) -> str:
    parts = (part.strip() for part in construct_path.split("->"))
    return ".".join(part for part in parts if part and not part.startswith("("))


# =====================================================================================
# Base construct
# =====================================================================================


class BufferConstruct(c.Construct):
    """A construct whose parsing reads the message bytes directly.

    Inside a ``BytesIO`` (what construct and ``parse_layer`` use) the stream's own
    buffer is read without copying; errors carry offsets relative to that stream.
    """

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        raise NotImplementedError

    def write(self, obj: object, out: bytearray) -> None:
        raise NotImplementedError

    def decode(self, data: bytes, offset: int = 0, path: str = "") -> object:
        """Parse exactly ``data`` (no trailing bytes) with GBCS error semantics."""
        buf = data if type(data) is bytes else bytes(data)
        try:
            obj, end = self.read(buf, 0)
        except DecodeError as error:
            raise error.within(offset, path) from None
        if end != len(buf):
            raise DecodeError(f"{len(buf) - end} unexpected trailing bytes", offset + end, path)
        return obj

    def encode(self, obj: object) -> bytes:
        out = bytearray()
        try:
            self.write(obj, out)
        except EncodeError:
            raise
        except (struct.error, ValueError, TypeError, AttributeError, OverflowError,
                RecursionError) as error:
            raise EncodeError(f"cannot encode {type(obj).__name__}: {error}") from None
        return bytes(out)

    def _parse(self, stream, context, path):
        if isinstance(stream, io.BytesIO):
            buf, start, base = stream.getvalue(), stream.tell(), 0
        else:
            base = c.stream_tell(stream, path)
            buf, start = c.stream_read_entire(stream, path), 0
        try:
            obj, end = self.read(buf, start)
        except DecodeError as error:
            raise error.within(base, _dotted(path)) from None
        c.stream_seek(stream, base + end, 0, path)
        return obj

    def _build(self, obj, stream, context, path):
        raw = self.encode(obj)
        c.stream_write(stream, raw, len(raw), path)
        return obj

    def _sizeof(self, context, path):
        raise c.SizeofError("variable size", path=path)


# =====================================================================================
# Combinators
# =====================================================================================


def slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    """Sets field ``name`` of a frozen slots dataclass, bypassing the frozen ``__init__``.

    Decoders use it on the hot path: a frozen ``__init__`` routes every field through
    ``object.__setattr__``, which costs about as much as the rest of the decoding.
    """
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None and hasattr(descriptor, "__set__"):
            return descriptor.__set__
    raise TypeError(f"{cls.__name__} has no slot {name!r}")


new_instance = object.__new__


class Record(BufferConstruct):
    """A SEQUENCE (optionally after a one-byte APDU tag) read into dataclass ``cls``.

    ``fields`` must name every field of ``cls`` (any order: wire order is theirs).
    """

    def __init__(self, cls: type, *fields: tuple[str, BufferConstruct], tag: int | None = None):
        super().__init__()
        declared = {f.name for f in dataclasses.fields(cls)}
        if declared != {name for name, _ in fields}:
            raise TypeError(f"{cls.__name__} fields {sorted(declared)} != record fields")
        self.cls = cls
        self.fields = fields
        self.tag = tag
        self._readers = tuple((name, field.read, slot_setter(cls, name))
                              for name, field in fields)

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        if self.tag is not None:
            try:
                found = buf[pos]
            except IndexError:
                raise DecodeError(TRUNCATED, pos) from None
            if found != self.tag:
                raise DecodeError(f"expected tag 0x{self.tag:02X}, found 0x{found:02X}", pos)
            pos += 1
        obj = new_instance(self.cls)
        for name, read, set_field in self._readers:
            try:
                value, pos = read(buf, pos)
            except DecodeError as error:
                raise inside(error, name) from None
            set_field(obj, value)
        return obj, pos

    def write(self, obj: object, out: bytearray) -> None:
        if not isinstance(obj, self.cls):
            raise EncodeError(f"expected {self.cls.__name__}, not {type(obj).__name__}")
        if self.tag is not None:
            out.append(self.tag)
        for name, field in self.fields:
            field.write(getattr(obj, name), out)


class SequenceOf(BufferConstruct):
    """Count (encoded length) followed by that many ``item`` values, as a tuple."""

    def __init__(self, item: BufferConstruct):
        super().__init__()
        self.item = item

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        count, pos = read_length(buf, pos)
        read = self.item.read
        items = []
        for index in range(count):
            try:
                value, pos = read(buf, pos)
            except DecodeError as error:
                raise inside(error, index) from None
            items.append(value)
        return tuple(items), pos

    def write(self, obj: object, out: bytearray) -> None:
        items = tuple(obj)  # type: ignore[arg-type]
        out += encode_length(len(items))
        for item in items:
            self.item.write(item, out)


class OptionalField(BufferConstruct):
    """A-XDR OPTIONAL: ``00`` = absent (``None``), ``01`` followed by the value."""

    def __init__(self, inner: BufferConstruct):
        super().__init__()
        self.inner = inner

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        try:
            flag = buf[pos]
        except IndexError:
            raise DecodeError(TRUNCATED, pos) from None
        if flag == 0:
            return None, pos + 1
        if flag != 1:
            raise DecodeError(f"invalid OPTIONAL presence flag 0x{flag:02X}", pos)
        return self.inner.read(buf, pos + 1)

    def write(self, obj: object, out: bytearray) -> None:
        if obj is None:
            out.append(0)
        else:
            out.append(1)
            self.inner.write(obj, out)


class OctetStringField(BufferConstruct):
    """Encoded length followed by that many bytes."""

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        size, pos = read_length(buf, pos)
        return take(buf, pos, size)

    def write(self, obj: object, out: bytearray) -> None:
        if not isinstance(obj, bytes | bytearray | memoryview):
            raise EncodeError(f"expected bytes, not {type(obj).__name__}")
        out += encode_length(len(obj))
        out += obj


class FixedField(BufferConstruct):
    """A fixed-size field unpacked with ``struct`` and converted by ``decode``/``encode``."""

    def __init__(self, fmt: str, decode: Callable[..., object],
                 encode: Callable[[object], tuple]):
        super().__init__()
        self.format = struct.Struct(fmt)
        self.size = self.format.size
        self.from_fields = decode
        self.to_fields = encode

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        try:
            fields = self.format.unpack_from(buf, pos)
        except struct.error:
            raise DecodeError(TRUNCATED, pos) from None
        return self.from_fields(*fields), pos + self.size

    def write(self, obj: object, out: bytearray) -> None:
        out += self.format.pack(*self.to_fields(obj))


class TaggedChoice(BufferConstruct):
    """A CHOICE selected by its first byte; every alternative reads that byte itself."""

    def __init__(self, name: str, alternatives: Mapping[int, BufferConstruct],
                 tag_of: Callable[[object], int]):
        super().__init__()
        self.name = name
        self.alternatives = dict(alternatives)
        self.tag_of = tag_of

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        try:
            tag = buf[pos]
        except IndexError:
            raise DecodeError(TRUNCATED, pos) from None
        alternative = self.alternatives.get(tag)
        if alternative is None:
            raise DecodeError(f"unknown {self.name} tag 0x{tag:02X}", pos)
        return alternative.read(buf, pos)

    def write(self, obj: object, out: bytearray) -> None:
        alternative = self.alternatives.get(self.tag_of(obj))
        if alternative is None:
            raise EncodeError(f"no {self.name} alternative for {type(obj).__name__}")
        alternative.write(obj, out)
