"""How a ZCL attribute catalogue is declared: one :class:`ZclAttribute` row per attribute.

A row gives the attribute's ZCL data type (ZSE specification) and a default value of the
emulator's own choosing. Attributes that mirror typed device state (registers, credit,
supply state, MPRN, ...) carry a :class:`Binding` instead of living in
``DeviceState.attribute_values``; everything else written to the device is kept there,
encoded as in a ZCL attribute record (type id, then the value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gbcs.errors import DecodeError, EncodeError
from gbcs.gbz.zcl_types import ZCL_DATA_TYPES

if TYPE_CHECKING:
    from firmware_emu.zcl.model import ZclModel

# ZCL data type ids of the Smart Energy attributes (ZCL specification, table 2-10).
BOOLEAN = 0x10
BITMAP8, BITMAP16, BITMAP32 = 0x18, 0x19, 0x1B
UINT8, UINT16, UINT24, UINT32, UINT48 = 0x20, 0x21, 0x22, 0x23, 0x25
INT24, INT32 = 0x2A, 0x2B
ENUM8 = 0x30
OCTET_STRING, CHARACTER_STRING = 0x41, 0x42
UTC_TIME = 0xE2


class AttributeValueError(ValueError):
    """A value that does not fit the attribute (wrong type or out of range)."""


@dataclass(frozen=True, slots=True)
class Binding:
    """The typed device state an attribute reads from (and, if ``put``, writes to)."""

    get: Callable[[ZclModel], Any]
    put: Callable[[ZclModel, Any], None] | None = None


@dataclass(frozen=True, slots=True)
class ZclAttribute:
    cluster_id: int
    attribute_id: int
    data_type: int
    default: Any
    binding: Binding | None = None
    writable: bool = False
    """Whether a remote party may set it with Write Attributes."""

    @property
    def key(self) -> str:
        return attribute_key(self.cluster_id, self.attribute_id)

    def encode(self, value: Any) -> bytes:
        """The stored form: type id ‖ value as in an attribute record."""
        try:
            return bytes((self.data_type,)) + ZCL_DATA_TYPES[self.data_type].encode(value)
        except (EncodeError, KeyError) as error:
            raise AttributeValueError(f"0x{self.cluster_id:04X}/0x{self.attribute_id:04X}: "
                                  f"{error}") from None

    def decode(self, stored: bytes) -> Any:
        if not stored or stored[0] != self.data_type:
            raise DecodeError(f"stored attribute 0x{self.attribute_id:04X} has type "
                              f"0x{stored[:1].hex()}, expected 0x{self.data_type:02X}", 0)
        return ZCL_DATA_TYPES[self.data_type].decode(stored[1:])


def attribute_key(cluster_id: int, attribute_id: int) -> str:
    """The ``DeviceState.attribute_values`` key of a ZCL attribute."""
    return f"zcl:{cluster_id:04X}:{attribute_id:04X}"


def catalogue(cluster_id: int, rows: Iterable[tuple[Any, ...]]) -> tuple[ZclAttribute, ...]:
    """Rows of ``(attribute id, data type, default[, binding[, writable]])``."""
    return tuple(ZclAttribute(cluster_id, *row) for row in rows)


def bound(get: Callable[[ZclModel], Any],
          put: Callable[[ZclModel, Any], None] | None = None) -> Binding:
    return Binding(get, put)
