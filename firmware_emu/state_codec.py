"""Deterministic conversion of typed state dataclasses to and from JSON-compatible dicts.

The conversion is driven by the dataclass field annotations, so a state class only
declares its fields and checks its own invariants in ``__post_init__``. Encodings:
bytes as lower-case hex, aware datetimes as ISO 8601 UTC (``...Z``), timedeltas as whole
microseconds, enums by member name, mappings with keys sorted, ``Any`` as a plain JSON
value. Decoding is strict (unknown or missing fields, wrong types and broken invariants
all raise :class:`InvalidStateError` naming the field path), so bad stored or user data
is reported in one line and never half-applied.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
import types
import typing
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Self, TypeVar

_T = TypeVar("_T")


class StateError(Exception):
    """Base class of every error raised on purpose by the device state modules."""


class InvalidStateError(StateError, ValueError):
    """State data that is malformed or breaks a rule, located by a dotted field path."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def within(self, prefix: str) -> InvalidStateError:
        return InvalidStateError(f"{prefix}.{self.path}" if self.path else prefix, self.reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


# ------------------------------------------------------------------------------------
# Field checks used by __post_init__ methods
# ------------------------------------------------------------------------------------

EUI64_LENGTH = 8


def check_bytes(value: object, field: str, length: int | None = None) -> bytes:
    if not isinstance(value, bytes):
        raise InvalidStateError(field, f"expected bytes, got {type(value).__name__}")
    if length is not None and len(value) != length:
        raise InvalidStateError(field, f"expected {length} bytes, got {len(value)}")
    return value


def check_eui(value: object, field: str) -> bytes:
    return check_bytes(value, field, EUI64_LENGTH)


def check_int(value: object, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidStateError(field, f"expected an integer, got {type(value).__name__}")
    if not low <= value <= high:
        raise InvalidStateError(field, f"{value} is outside {low}..{high}")
    return value


def check_aware(value: object, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidStateError(field, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidStateError(field, "datetime must be timezone-aware")
    return value


def eui_hex(eui: bytes) -> str:
    """An EUI-64 as GBCS documents print it: 16 upper-case hex digits."""
    return eui.hex().upper()


# ------------------------------------------------------------------------------------
# Encoding
# ------------------------------------------------------------------------------------

_ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")


def encode_datetime(moment: datetime) -> str:
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def _encode_key(key: object) -> str:
    value = encode_value(key)
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise InvalidStateError("", f"mapping key {key!r} cannot become a JSON key")
    return value


def encode_value(value: object) -> Any:
    """``value`` as plain JSON data (dicts, lists, str, int, bool, None)."""
    if isinstance(value, enum.Enum):  # before int: IntEnum members are ints
        return value.name
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, datetime):
        return encode_datetime(check_aware(value, ""))
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode_value(getattr(value, f.name))
                for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [encode_value(item) for item in value]
    if isinstance(value, dict):
        encoded = {_encode_key(key): encode_value(item) for key, item in value.items()}
        return dict(sorted(encoded.items()))
    if isinstance(value, float):
        raise InvalidStateError("", "floats are not stored; use scaled integers")
    raise InvalidStateError("", f"cannot encode a {type(value).__name__}")


# ------------------------------------------------------------------------------------
# Decoding
# ------------------------------------------------------------------------------------


@cache
def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def check_json_value(value: object, path: str) -> Any:
    """A deep copy of ``value`` after checking it is plain JSON data (no floats)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [check_json_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        copied = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidStateError(path, f"JSON object keys must be strings, not {key!r}")
            copied[key] = check_json_value(item, f"{path}.{key}")
        return copied
    raise InvalidStateError(path, f"{type(value).__name__} is not allowed in JSON state data")


def _decode_str_key(key: str, hint: Any, path: str) -> Any:
    if hint is int:
        try:
            return int(key)
        except ValueError:
            raise InvalidStateError(path, f"key {key!r} is not an integer") from None
    return decode_value(key, hint, f"{path}[{key}]")


def decode_value(data: Any, hint: Any, path: str) -> Any:
    """The typed value described by ``hint`` rebuilt from JSON ``data``."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return check_json_value(data, path)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if data is None and len(options) < len(typing.get_args(hint)):
            return None
        if len(options) != 1:
            raise InvalidStateError(path, f"unsupported union {hint}")
        return decode_value(data, options[0], path)
    if origin in (list, tuple):
        if not isinstance(data, list):
            raise InvalidStateError(path, f"expected a list, got {type(data).__name__}")
        item_hint = typing.get_args(hint)[0]
        items = [decode_value(item, item_hint, f"{path}[{i}]") for i, item in enumerate(data)]
        return items if origin is list else tuple(items)
    if origin is dict:
        if not isinstance(data, dict):
            raise InvalidStateError(path, f"expected an object, got {type(data).__name__}")
        key_hint, item_hint = typing.get_args(hint)
        return {_decode_str_key(key, key_hint, path): decode_value(item, item_hint,
                                                                  f"{path}[{key}]")
                for key, item in data.items()}
    if isinstance(hint, type):
        return _decode_scalar(data, hint, path)
    raise InvalidStateError(path, f"unsupported field type {hint}")


def _decode_scalar(data: Any, hint: type, path: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return decode_dataclass(hint, data, path)
    if issubclass(hint, enum.Enum):
        if not isinstance(data, str) or data not in hint.__members__:
            allowed = ", ".join(hint.__members__)
            raise InvalidStateError(path, f"{data!r} is not one of {allowed}")
        return hint[data]
    if hint is bool:
        if not isinstance(data, bool):
            raise InvalidStateError(path, f"expected true/false, got {data!r}")
        return data
    if hint is int:
        if not isinstance(data, int) or isinstance(data, bool):
            raise InvalidStateError(path, f"expected an integer, got {data!r}")
        return data
    if hint is str:
        if not isinstance(data, str):
            raise InvalidStateError(path, f"expected a string, got {type(data).__name__}")
        return data
    if hint is bytes:
        if not isinstance(data, str) or not _HEX.fullmatch(data):
            raise InvalidStateError(path, "expected an even number of hex digits")
        return bytes.fromhex(data)
    if hint is datetime:
        if not isinstance(data, str) or not _ISO_UTC.fullmatch(data):
            raise InvalidStateError(path, f"expected YYYY-MM-DDThh:mm:ss[.ffffff]Z, got {data!r}")
        try:
            return datetime.fromisoformat(data[:-1]).replace(tzinfo=UTC)
        except ValueError as error:
            raise InvalidStateError(path, str(error)) from None
    if hint is timedelta:
        if not isinstance(data, int) or isinstance(data, bool):
            raise InvalidStateError(path, f"expected whole microseconds, got {data!r}")
        try:
            return timedelta(microseconds=data)
        except OverflowError:
            raise InvalidStateError(path, f"{data} microseconds is out of range") from None
    raise InvalidStateError(path, f"unsupported field type {hint.__name__}")


def decode_dataclass(cls: type[_T], data: Any, path: str) -> _T:
    if not isinstance(data, dict):
        raise InvalidStateError(path, f"expected an object, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise InvalidStateError(path, f"unknown field {unknown[0]!r}")
    hints = _field_types(cls)
    values = {}
    for name, field in fields.items():
        if name in data:
            values[name] = decode_value(data[name], hints[name], f"{path}.{name}")
        elif (field.default is dataclasses.MISSING
              and field.default_factory is dataclasses.MISSING):
            raise InvalidStateError(f"{path}.{name}", "missing")
    try:
        return cls(**values)
    except InvalidStateError as error:
        raise error.within(path) from None
    except (TypeError, ValueError) as error:
        raise InvalidStateError(path, str(error)) from None


class JsonState:
    """Mixin giving a dataclass ``to_dict``/``from_dict`` through this module's codec."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return encode_value(self)

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        return decode_dataclass(cls, data, cls.__name__)

    def to_json(self) -> str:
        """Canonical JSON text: equal states give identical text."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
