"""Metering cluster (0x0702) attributes of a GSME (and of the GPF's mirror of it).

Registers are bound to :class:`~firmware_emu.state_metering.MeterRegisters`: the GSME
counts its base unit (dm3 with Divisor 1000 and UnitOfMeasure m3), the registers' ``_wh``
fields hold that count. Tier summations follow the TOU registers, the no-tier block
summations the block registers. GBCS GCS38 reads the firmware version from 0x0206.
"""

from __future__ import annotations

from firmware_emu.state_metering import SupplyState
from firmware_emu.zcl.attributes import (
    BITMAP8,
    ENUM8,
    INT24,
    OCTET_STRING,
    UINT8,
    UINT16,
    UINT24,
    UINT32,
    UINT48,
    UTC_TIME,
    bound,
    catalogue,
)

CLUSTER_ID = 0x0702

SUPPLY_STATUS = {SupplyState.DISABLED: 0x00, SupplyState.ARMED: 0x01, SupplyState.ENABLED: 0x02}
"""ZSE SupplyStatus (0x0014) and Change Supply's proposed status: off, off/armed, on."""
SUPPLY_UNCHANGED = 0x03


def _listed(values: list[int], index: int) -> int:
    return values[index] if index < len(values) else 0


def _tier(index: int):
    return bound(lambda m: _listed(m.metering.registers.tou_import_wh, index))


def _block(index: int):
    return bound(lambda m: _listed(m.metering.registers.block_import_wh, index))


def _site_id(model) -> bytes:
    return (model.metering.import_mpxn or "").encode("ascii")


def _set_site_id(model, value: bytes) -> None:
    model.set_metering(import_mpxn=value.decode("ascii", errors="replace") or None)


def _firmware_version(model) -> bytes:
    """The GSME's own version; the GPF reports what it mirrors (default until synced)."""
    return bytes(4) if model.is_proxy else model.state.identity.firmware_version


ATTRIBUTES = catalogue(CLUSTER_ID, [
    (0x0000, UINT48, 0, bound(lambda m: m.metering.registers.import_energy_wh)),
    (0x0001, UINT48, 0, bound(lambda m: m.metering.registers.export_energy_wh)),
    (0x0014, ENUM8, SUPPLY_STATUS[SupplyState.ENABLED],
     bound(lambda m: SUPPLY_STATUS[m.metering.supply])),
    *((0x0100 + 2 * tier, UINT48, 0, _tier(tier)) for tier in range(48)),
    *((0x0101 + 2 * tier, UINT48, 0) for tier in range(48)),
    (0x0200, BITMAP8, 0x00),
    (0x0205, UINT16, 3650),
    (0x0206, OCTET_STRING, bytes(4), bound(_firmware_version)),
    (0x0300, ENUM8, 0x01),  # m3
    (0x0301, UINT24, 1),
    (0x0302, UINT24, 1000),
    (0x0303, BITMAP8, 0x33),
    (0x0306, BITMAP8, 0x01),  # gas metering
    (0x0307, OCTET_STRING, b"", bound(_site_id, _set_site_id)),
    (0x0308, OCTET_STRING, b""),
    (0x0400, INT24, 0),
    (0x0401, UINT24, 0),
    (0x0403, UINT24, 0),
    (0x0605, ENUM8, SUPPLY_UNCHANGED),
    (0x0606, UINT8, 0),
    (0x0607, ENUM8, SUPPLY_UNCHANGED),
    (0x0608, ENUM8, SUPPLY_UNCHANGED),
    (0x0609, ENUM8, SUPPLY_UNCHANGED),
    *((0x0700 + block, UINT48, 0, _block(block)) for block in range(16)),
    *((0x0710 + index, UINT48, 0) for index in range(15 * 16)),
    (0x0A00, UINT32, 0),
    (0x0A01, UTC_TIME, 0),
    (0x0A02, UINT32, 0),
    (0x0A04, BITMAP8, 0x50),
    (0x0B00, UTC_TIME, 0),
    (0x0B01, ENUM8, SUPPLY_STATUS[SupplyState.ENABLED]),
    (0x0B10, UINT16, 100),
    (0x0B11, ENUM8, 0x01),
    (0x0B12, UINT16, 1),
    (0x0B13, UINT16, 1),
    (0x0B14, UINT8, 10),
    (0x0B15, UINT16, 3600),
])
