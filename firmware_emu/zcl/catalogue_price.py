"""Price cluster (0x0700) attributes: tariff, block thresholds, prices, CV and CF.

Until a tariff is published to the device, prices, thresholds and the standing charge
read as the typed :class:`~firmware_emu.state_metering.Tariff` (with PriceTrailingDigit 5
a ZCL price unit is 1e-5 GBP, i.e. one millipenny, the typed tariff's unit). Published
values are stored and read back from then on.
"""

from __future__ import annotations

from firmware_emu.zcl.attributes import (
    BITMAP8,
    ENUM8,
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

CLUSTER_ID = 0x0700
MONEY_UNITS_PER_PENNY = 1000
"""ZCL money values carry 5 decimal places of GBP (trailing digit 5)."""
GBP = 826


def _listed(values: tuple[int, ...], index: int) -> int:
    return values[index] if index < len(values) else 0


def _threshold(index: int):
    return bound(lambda m: _listed(m.metering.tariff.block_thresholds_wh, index))


def _block_price(index: int):
    return bound(lambda m: _listed(m.metering.tariff.block_prices, index))


def _tier_price(index: int):
    return bound(lambda m: _listed(m.metering.tariff.tou_prices, index))


def _price_rows():
    for block in range(16):
        yield 0x0400 + block, UINT32, 0, _block_price(block)
    for tier in range(1, 16):
        for block in range(16):
            binding = _tier_price(tier - 1) if block == 0 else None
            yield 0x0400 + 16 * tier + block, UINT32, 0, binding


ATTRIBUTES = catalogue(CLUSTER_ID, [
    *((0x0000 + tier, OCTET_STRING, b"") for tier in range(48)),
    *((0x0100 + index, UINT48, 0, _threshold(index)) for index in range(15)),
    (0x010F, UINT8, 0, bound(lambda m: len(m.metering.tariff.block_thresholds_wh))),
    *((0x0110 + 16 * (tier - 1) + index, UINT48, 0)
      for tier in range(1, 16) for index in range(15)),
    *((0x011F + 16 * (tier - 1), UINT8, 0) for tier in range(1, 16)),
    (0x0200, UTC_TIME, 0),
    (0x0201, UINT24, 0),
    (0x0202, UINT24, 1),
    (0x0203, UINT24, 1000),
    (0x0204, BITMAP8, 0x00),
    (0x0300, ENUM8, 0x01),  # gas
    (0x0301, UINT32, 0, bound(lambda m: m.metering.tariff.standing_charge_pence_per_day
                              * MONEY_UNITS_PER_PENNY)),
    (0x0302, UINT32, 1022640),
    (0x0303, BITMAP8, 0x60),
    (0x0304, UINT32, 393),
    (0x0305, ENUM8, 0x01),  # MJ/m3
    (0x0306, BITMAP8, 0x10),
    *_price_rows(),
    (0x0610, OCTET_STRING, b""),
    (0x0611, UINT8, 1, bound(lambda m: len(m.metering.tariff.tou_prices))),
    (0x0612, UINT8, 0, bound(lambda m: len(m.metering.tariff.block_thresholds_wh))),
    (0x0613, UINT8, 0xFF),
    (0x0615, ENUM8, 0x00),  # kWh
    (0x0616, UINT16, GBP),
    (0x0617, BITMAP8, 0x50),
    (0x0619, ENUM8, 0x00),
    (0x0700, UTC_TIME, 0),
    (0x0701, UINT24, 0),
])
