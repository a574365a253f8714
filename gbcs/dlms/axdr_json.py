"""JSON form of A-XDR values: :func:`from_json` inverts :meth:`Data.to_json`.

The JSON form is one-key objects named after the DLMS types, e.g.
``{"structure": [{"long-unsigned": 90}, {"octet-string": "00DB1234"}]}``; octet strings
are upper-case hex, bit strings ``"0101"`` text, compact arrays
``{"type": <description>, "elements": [...]}``.
"""

from __future__ import annotations

from collections.abc import Callable

from gbcs.dlms.axdr_constructed import (
    DATA_TYPES,
    NULL,
    PACKABLE_TAGS,
    SIMPLE_TYPES,
    Array,
    ArrayType,
    CompactArray,
    Structure,
    StructureType,
    TypeDescription,
    bcd,
    bit_string,
    boolean,
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
    unsigned,
    utf8_string,
    visible_string,
)
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
from gbcs.errors import EncodeError
from gbcs.primitives import CosemDateTime

_TYPES_BY_NAME = {cls.TYPE_NAME: cls for cls in DATA_TYPES.values()}
_INTEGER_BUILDERS: dict[type[Data], Callable[[int], IntegerData]] = {
    DoubleLong: double_long, DoubleLongUnsigned: double_long_unsigned, Bcd: bcd,
    Integer: integer, Long: long, Unsigned: unsigned, LongUnsigned: long_unsigned,
    Long64: long64, Long64Unsigned: long64_unsigned, Enum: enum,
}


def from_json(obj: object) -> Data:
    """The value :meth:`Data.to_json` describes (:class:`EncodeError` if malformed)."""
    try:
        return _from_json(obj)
    except EncodeError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise EncodeError(f"invalid A-XDR JSON {obj!r}: {error}") from None


def _from_json(obj: object) -> Data:
    if not isinstance(obj, dict) or len(obj) != 1:
        raise EncodeError(f"A-XDR JSON must be a one-key object, not {obj!r}")
    [(name, value)] = obj.items()
    cls = _TYPES_BY_NAME.get(name)
    if cls is None:
        raise EncodeError(f"unknown A-XDR type name {name!r}")
    if cls is NullData:
        if value is not None:
            raise EncodeError("null-data takes no value")
        return NULL
    if cls is Array or cls is Structure:
        return cls(tuple(_from_json(item) for item in _list(value)))
    if cls is CompactArray:
        return CompactArray(_description_from_json(value["type"]),
                            tuple(_from_json(item) for item in _list(value["elements"])))
    if cls is Boolean:
        return boolean(value) if isinstance(value, bool) else Boolean(_byte(value))
    if cls is BitString:
        if isinstance(value, dict):
            return BitString(value["bits"], bytes.fromhex(value["hex"]))
        return bit_string(value)
    if issubclass(cls, IntegerData):
        return _INTEGER_BUILDERS[cls](value)
    if cls is OctetString:
        return OctetString(bytes.fromhex(value))
    if cls is VisibleString:
        return visible_string(value)
    if cls is Utf8String:
        return utf8_string(value)
    if issubclass(cls, FloatData):
        if isinstance(value, str):
            return cls(bytes.fromhex(value))
        return float32(value) if cls is Float32 else float64(value)
    if cls is DateTime:
        return DateTime(CosemDateTime.from_bytes(bytes.fromhex(value)))
    fields = [_byte(item) for item in _list(value)]
    return Date(*fields) if cls is Date else Time(*fields)


def _description_from_json(obj: object) -> TypeDescription:
    if isinstance(obj, str):
        cls = _TYPES_BY_NAME.get(obj)
        if cls is None or cls.TAG not in PACKABLE_TAGS:
            raise EncodeError(f"{obj!r} cannot describe compact-array values")
        return SIMPLE_TYPES[cls.TAG]
    if isinstance(obj, dict) and set(obj) == {"structure"}:
        return StructureType(tuple(_description_from_json(m) for m in _list(obj["structure"])))
    if isinstance(obj, dict) and set(obj) == {"array"}:
        count, element = _list(obj["array"])
        return ArrayType(count, _description_from_json(element))
    raise EncodeError(f"invalid compact-array type description {obj!r}")


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise EncodeError(f"expected a JSON list, not {value!r}")
    return value


def _byte(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise EncodeError(f"expected an integer, not {value!r}")
    return value
