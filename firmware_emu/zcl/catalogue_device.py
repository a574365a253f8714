"""Basic (0x0000), Time (0x000A) and Device Management (0x0708) attributes."""

from __future__ import annotations

import dataclasses

from firmware_emu.state_identity import DeviceType
from firmware_emu.zcl.attributes import (
    BITMAP8,
    CHARACTER_STRING,
    ENUM8,
    OCTET_STRING,
    UINT8,
    UINT32,
    UTC_TIME,
    bound,
    catalogue,
)

BASIC = 0x0000
TIME = 0x000A
DEVICE_MANAGEMENT = 0x0708

POWER_SOURCE_MAINS, POWER_SOURCE_BATTERY = 0x01, 0x03


def model_identifier(model) -> bytes:
    """Eight characters of model name, then the EUI-64 (the form GSMEs report)."""
    identity = model.state.identity
    return f"EMU-{identity.device_type.value:<4}".encode("ascii")[:8] + identity.eui


def _supplier(field: str):
    return lambda m: getattr(m.metering.supplier, field).encode("utf-8")


def _set_supplier(field: str):
    def put(model, value: bytes) -> None:
        contact = dataclasses.replace(model.metering.supplier,
                                      **{field: value.decode("utf-8", errors="replace")})
        model.set_metering(supplier=contact)
    return put


BASIC_ATTRIBUTES = catalogue(BASIC, [
    (0x0000, UINT8, 0x03),
    (0x0001, UINT8, 0, bound(lambda m: m.state.identity.firmware_version[-1])),
    (0x0002, UINT8, 0x01),
    (0x0003, UINT8, 0, bound(lambda m: m.state.identity.hardware_version & 0xFF)),
    (0x0004, CHARACTER_STRING, b"GBCS Firmware Emulator"),
    (0x0005, CHARACTER_STRING, b"", bound(model_identifier)),
    (0x0006, CHARACTER_STRING, b"20240101"),
    (0x0007, ENUM8, POWER_SOURCE_BATTERY,
     bound(lambda m: POWER_SOURCE_BATTERY if m.state.identity.device_type is DeviceType.GSME
           else POWER_SOURCE_MAINS)),
])

TIME_ATTRIBUTES = catalogue(TIME, [
    (0x0000, UTC_TIME, 0, bound(lambda m: m.utc_now)),
    (0x0001, BITMAP8, 0x02),  # synchronised
])

DEVICE_MANAGEMENT_ATTRIBUTES = catalogue(DEVICE_MANAGEMENT, [
    (0x0100, UINT32, 0),
    (0x0101, OCTET_STRING, b"", bound(_supplier("name"), _set_supplier("name")), True),
    (0x0102, OCTET_STRING, b"", bound(_supplier("telephone"), _set_supplier("telephone")),
     True),
])
