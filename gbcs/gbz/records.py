"""The declarative record machinery the ZCL command tables are built from.

Every codec here is a ``construct.Construct`` (so it nests in other constructs and goes
through the usual parse/build round trip) whose real work is done by ``read(data, pos)``
and ``write(value, out)`` straight on bytes: ZCL payloads are parsed on the hot path of
every GBZ message, and construct's generic machinery (or compiling ~70 Structs at
import) costs more than the whole decode budget.

ZCL command payloads decode to :class:`ZclRecord` instances: one small, immutable,
slotted class per command, generated from the field table by :func:`record`. They are
tuple based rather than ``@dataclass`` because creating ~80 dataclasses costs about 1 ms
each at import (measured), more than decoding the whole RTDS GBZ corpus.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, ClassVar

import construct as c

from gbcs.errors import DecodeError, EncodeError

TRUNCATED = "message truncated"


def _join(name: str, path: str) -> str:
    if not path:
        return name
    return f"{name}{path}" if path.startswith("[") else f"{name}.{path}"


# =====================================================================================
# Codec base: a construct that also works directly on bytes
# =====================================================================================


class Codec(c.Construct):
    """``read`` returns ``(value, next_pos)`` and raises :class:`DecodeError` with the
    offset inside ``data``; ``write`` appends to ``out`` and raises :class:`EncodeError`."""

    size: int | None = None
    python_type: Any = object
    needs_values: ClassVar[bool] = False
    """True for codecs whose layout depends on earlier fields (``read_with``/``write_with``)."""
    struct_format: str = ""
    """Fixed-size codecs: the ``struct`` format that reads them (records batch these)."""
    from_struct: Callable[[Any], Any] | None = None
    """Turns what ``struct_format`` unpacks into the value, when it is not the value."""

    def read(self, data: bytes, pos: int) -> tuple[Any, int]:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement read")

    def write(self, value: Any, out: bytearray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement write")

    def decode(self, data: bytes) -> Any:
        """The value of exactly ``data`` (trailing bytes are an error)."""
        value, end = self.read(data, 0)
        if end != len(data):
            raise DecodeError(f"{len(data) - end} unexpected trailing bytes", end)
        return value

    def encode(self, value: Any) -> bytes:
        out = bytearray()
        self.write(value, out)
        return bytes(out)

    def _parse(self, stream, context, path):
        start = stream.tell()
        data = stream.read()
        try:
            value, end = self.read(data, 0)
        except DecodeError as error:
            raise error.within(start, "") from None
        stream.seek(start + end)
        return value

    def _build(self, obj, stream, context, path):
        raw = self.encode(obj)
        c.stream_write(stream, raw, len(raw), path)
        return obj

    def _sizeof(self, context, path):
        if self.size is None:
            raise c.SizeofError(f"{type(self).__name__} has a variable size", path=path)
        return self.size


# =====================================================================================
# Records: immutable, slotted, one class per command or repeated group
# =====================================================================================


class ZclRecord(tuple):
    """Base of every decoded ZCL payload: fields by name, immutable, compared by type and
    value. Subclasses come from :func:`record_type`; ``codec`` encodes and decodes them."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    title: ClassVar[str] = ""
    codec: ClassVar[Codec]

    def __new__(cls, *args: Any, **kwargs: Any) -> ZclRecord:
        fields = cls._fields
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__} takes {len(fields)} fields, got {len(args)}")
        values = list(args)
        for name in fields[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in cls._defaults:
                values.append(cls._defaults[name])
            else:
                raise TypeError(f"{cls.__name__} needs field {name!r}")
        if kwargs:
            raise TypeError(f"{cls.__name__} has no field {next(iter(kwargs))!r}")
        return tuple.__new__(cls, values)

    @classmethod
    def _make(cls, values: Sequence[Any]) -> ZclRecord:
        return tuple.__new__(cls, values)

    def replace(self, **changes: Any) -> ZclRecord:
        return type(self)(**{**self.as_dict(), **changes})

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self), tuple(self)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self,
                                                                     strict=True))
        return f"{type(self).__name__}({inner})"

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)


def record_type(name: str, fields: Sequence[tuple[str, Any]], *, title: str = "",
                defaults: Mapping[str, Any] | None = None) -> type[ZclRecord]:
    """A :class:`ZclRecord` subclass with the given ``(field name, python type)`` list."""
    names = tuple(field for field, _ in fields)
    for field in names:
        if hasattr(ZclRecord, field) or field.startswith("_"):
            raise ValueError(f"record field name {field!r} is reserved")
    namespace: dict[str, Any] = {
        "__slots__": (), "_fields": names, "_defaults": dict(defaults or {}),
        "title": title or name, "__annotations__": dict(fields),
        "__match_args__": names,
    }
    for index, field in enumerate(names):
        namespace[field] = property(itemgetter(index))
    return type(name, (ZclRecord,), namespace)


class RecordCodec(Codec):
    """Fields in order; with ``trailing`` whatever follows the last field is kept as the
    bytes field ``trailing`` (ZCL lets later versions append fields)."""

    def __init__(self, cls: type[ZclRecord], fields: Sequence[tuple[str, Codec]],
                 trailing: bool) -> None:
        super().__init__()
        self.cls = cls
        self.fields = tuple(fields)
        self.trailing = trailing
        self.python_type = cls
        sizes = [codec.size for _, codec in fields]
        self.size = None if trailing or None in sizes else sum(sizes)
        index = {name: i for i, (name, _) in enumerate(fields)}
        for _, codec in fields:
            if isinstance(codec, Counted | Switch):
                codec.bind(index)
        self._steps = _read_plan(self.fields)

    def read(self, data: bytes, pos: int) -> tuple[ZclRecord, int]:
        values: list[Any] = []
        for step in self._steps:
            if step[0]:  # a run of fixed-size fields: one struct unpack
                _, unpack, size, converters, run = step
                if pos + size > len(data):
                    _raise_truncated(run, data, pos)
                items = unpack(data, pos)
                if converters is None:
                    values.extend(items)
                else:
                    values.extend([item if convert is None else convert(item)
                                   for convert, item in zip(converters, items, strict=True)])
                pos += size
                continue
            _, name, codec = step
            try:
                if codec.needs_values:
                    value, pos = codec.read_with(data, pos, values)
                else:
                    value, pos = codec.read(data, pos)
            except DecodeError as error:
                raise DecodeError(error.reason, error.offset, _join(name, error.path)) from None
            values.append(value)
        if self.trailing:
            values.append(data[pos:])
            pos = len(data)
        return tuple.__new__(self.cls, values), pos

    def write(self, value: Any, out: bytearray) -> None:
        if isinstance(value, Mapping):
            try:
                value = self.cls(**value)
            except TypeError as error:
                raise EncodeError(str(error)) from None
        if type(value) is not self.cls:
            raise EncodeError(f"expected {self.cls.__name__}, not {type(value).__name__}")
        absent_at = None
        for (name, codec), item in zip(self.fields, value, strict=False):
            try:
                if codec.needs_values:
                    codec.write_with(item, out, value)
                else:
                    codec.write(item, out)
            except (EncodeError, TypeError, AttributeError) as error:
                raise EncodeError(f"{self.cls.__name__}.{name}: {error}") from None
            if item is None and isinstance(codec, Optional) and absent_at is None:
                absent_at = len(out)
        if self.trailing:
            tail = value[-1]
            if not isinstance(tail, bytes | bytearray):
                raise EncodeError(f"{self.cls.__name__}.trailing must be bytes")
            out += tail
        if absent_at is not None and len(out) != absent_at:
            raise EncodeError(f"{self.cls.__name__}: an absent optional field must be last")


def _read_plan(fields: Sequence[tuple[str, Codec]]) -> list[tuple[Any, ...]]:
    """Group consecutive fixed-size fields into single struct unpacks."""
    steps: list[tuple[Any, ...]] = []
    run: list[tuple[str, Codec]] = []

    def flush() -> None:
        if len(run) > 1:
            layout = struct.Struct("<" + "".join(codec.struct_format for _, codec in run))
            converters = tuple(codec.from_struct for _, codec in run)
            steps.append((True, layout.unpack_from, layout.size,
                          converters if any(converters) else None, tuple(run)))
        elif run:
            steps.append((False, *run[0]))
        run.clear()

    for name, codec in fields:
        if codec.struct_format:
            run.append((name, codec))
        else:
            flush()
            steps.append((False, name, codec))
    flush()
    return steps


def _raise_truncated(run: Sequence[tuple[str, Codec]], data: bytes, pos: int) -> None:
    for name, codec in run:
        if pos + codec.size > len(data):
            raise DecodeError(TRUNCATED, pos, name)
        pos += codec.size


def record(name: str, *fields: tuple[str, Codec], title: str = "",
           trailing: bool = False) -> type[ZclRecord]:
    """Declare a record type and its codec from ``(field name, codec)`` pairs."""
    typed = [(field, codec.python_type) for field, codec in fields]
    defaults = {field: None for field, codec in fields if isinstance(codec, Optional)}
    if trailing:
        typed.append(("trailing", bytes))
        defaults["trailing"] = b""
    cls = record_type(name, typed, title=title, defaults=defaults)
    cls.codec = RecordCodec(cls, fields, trailing)
    return cls


def command(title: str, *fields: tuple[str, Codec]) -> type[ZclRecord]:
    """A cluster-specific command payload: a record named after ``title`` that keeps any
    bytes after its last field."""
    name = "".join(word[:1].upper() + word[1:] for word in title.replace("-", " ").split())
    return record(name, *fields, title=title, trailing=True)


# =====================================================================================
# Field modifiers: repeated groups, optional tail fields, selected layouts
# =====================================================================================


class Greedy(Codec):
    """Elements until the data ends. With ``leave_partial`` an element that does not
    decode ends the group and its bytes are left for the record's ``trailing``."""

    python_type = tuple

    def __init__(self, element: Codec, *, leave_partial: bool = True) -> None:
        super().__init__()
        self.element = element
        self.leave_partial = leave_partial

    def read(self, data: bytes, pos: int) -> tuple[tuple[Any, ...], int]:
        items = []
        read = self.element.read
        size = self.element.size
        end = len(data)
        while pos < end:
            if self.leave_partial and size is not None and end - pos < size:
                break
            try:
                item, pos = read(data, pos)
            except DecodeError as error:
                if self.leave_partial:
                    break
                raise DecodeError(error.reason, error.offset,
                                  _join(f"[{len(items)}]", error.path)) from None
            items.append(item)
        return tuple(items), pos

    def write(self, value: Sequence[Any], out: bytearray) -> None:
        if isinstance(value, bytes | str) or not isinstance(value, Sequence):
            raise EncodeError("a repeated field must be a sequence")
        for item in value:
            self.element.write(item, out)


class Counted(Codec):
    """Exactly as many elements as an earlier field says (optionally masked)."""

    python_type = tuple
    needs_values = True

    def __init__(self, element: Codec, by: str, mask: int | None = None) -> None:
        super().__init__()
        self.element = element
        self.by = by
        self.mask = mask
        self._index = -1

    def bind(self, index: Mapping[str, int]) -> None:
        self._index = index[self.by]

    def _count(self, values: Sequence[Any]) -> int:
        count = values[self._index]
        return count if self.mask is None else count & self.mask

    def read_with(self, data: bytes, pos: int, values: Sequence[Any]) -> tuple[Any, int]:
        items = []
        read = self.element.read
        for i in range(self._count(values)):
            try:
                item, pos = read(data, pos)
            except DecodeError as error:
                raise DecodeError(error.reason, error.offset, _join(f"[{i}]", error.path)) \
                    from None
            items.append(item)
        return tuple(items), pos

    def write_with(self, value: Sequence[Any], out: bytearray, values: Sequence[Any]) -> None:
        if isinstance(value, bytes | str) or not isinstance(value, Sequence):
            raise EncodeError("a repeated field must be a sequence")
        try:
            expected = self._count(values)
        except TypeError:
            raise EncodeError(f"count field {self.by} must be an integer") from None
        if len(value) != expected:
            raise EncodeError(f"{len(value)} elements but {self.by} says {expected}")
        for item in value:
            self.element.write(item, out)


class Optional(Codec):
    """A field that may be missing at the very end of the payload (value None)."""

    def __init__(self, element: Codec) -> None:
        super().__init__()
        self.element = element
        self.python_type = element.python_type | None

    def read(self, data: bytes, pos: int) -> tuple[Any, int]:
        if pos >= len(data):
            return None, pos
        return self.element.read(data, pos)

    def write(self, value: Any, out: bytearray) -> None:
        if value is not None:
            self.element.write(value, out)


class Rest(Codec):
    """All remaining bytes."""

    python_type = bytes

    def read(self, data: bytes, pos: int) -> tuple[bytes, int]:
        return data[pos:], len(data)

    def write(self, value: bytes, out: bytearray) -> None:
        if not isinstance(value, bytes | bytearray):
            raise EncodeError("raw field must be bytes")
        out += value


REST = Rest()


class Switch(Codec):
    """The layout chosen by an earlier field's value; unlisted values keep raw bytes."""

    needs_values = True

    def __init__(self, by: str, cases: Mapping[int, Codec], default: Codec = REST) -> None:
        super().__init__()
        self.by = by
        self.cases = dict(cases)
        self.default = default
        self.python_type = Any
        self._index = -1

    def bind(self, index: Mapping[str, int]) -> None:
        self._index = index[self.by]

    def _case(self, values: Sequence[Any]) -> Codec:
        return self.cases.get(values[self._index], self.default)

    def read_with(self, data: bytes, pos: int, values: Sequence[Any]) -> tuple[Any, int]:
        return self._case(values).read(data, pos)

    def write_with(self, value: Any, out: bytearray, values: Sequence[Any]) -> None:
        self._case(values).write(value, out)
