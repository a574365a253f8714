"""Payload builders of 1.2.1 / 1.2.2 Update Price on the ESME (ECS01b, ECS01d): the passive
unit charges of the charge objects (IC 113) and their activation date-time (now, or the
request's execution date-time when device future-dated).

Prices are in the ESME's price unit, 10^-5 of the currency (so 1 = 0.001 p), per kWh.
Harness data item names: ``StandingCharge`` (per day), ``TOUPrices`` (up to 48, TOU
rates 1...), ``BlockPrices`` (up to four lists of up to eight, block rates of TOU-block
sets A-D) and, for the secondary element, ``SecondaryTOUPrices`` (up to 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from firmware_emu.dcc.transform_dlms import dlms_request
from firmware_emu.dcc.transform_rows import BuildContext, PayloadBuilder, TransformError, cosem_time
from firmware_emu.dcc.transform_settings import IMMEDIATE_ACTIVATION
from gbcs.dlms import AccessRequest, AccessRequestSet, ObisCode, axdr, obis

PRICE_SCALER, KWH_SCALER = -5, 3  # currency 10^-5; per 10^3 Wh
TOU_RATES, BLOCK_SETS, BLOCKS = 48, "ABCD", 8
SECONDARY_TOU_RATES = 4
CHARGES = obis("0-0:19.20.0.255")
STANDING_CHARGE = obis("0-0:19.20.4.255")
SECONDARY_CHARGES = obis("0-0:19.20.5.255")
PASSIVE_UNIT_CHARGE, ACTIVATION_TIME = 6, 7


def _price(name: str, value: object) -> axdr.Data:
    if isinstance(value, bool) or not isinstance(value, int) or not -2**15 <= value < 2**15:
        raise TransformError(f"{name} prices must be whole numbers -32768..32767, "
                             f"not {value!r}")
    return axdr.long(value)


def _list(ctx: BuildContext, name: str, limit: int) -> Sequence[object]:
    values = ctx.param(name, ())
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) \
            or len(values) > limit:
        raise TransformError(f"{name} must be a list of at most {limit} prices")
    return values


def _unit_charge(scaler: int, commodity: str | None,
                 entries: Iterable[tuple[bytes, axdr.Data]]) -> axdr.Data:
    reference = (axdr.structure(axdr.long_unsigned(3), axdr.octet_string(obis(commodity).raw),
                                axdr.integer(2)) if commodity is not None
                 else axdr.structure(axdr.long_unsigned(0), axdr.octet_string(bytes(6)),
                                     axdr.integer(0)))
    return axdr.structure(
        axdr.structure(axdr.integer(scaler), axdr.integer(PRICE_SCALER)), reference,
        axdr.array(*(axdr.structure(axdr.octet_string(index), price)
                     for index, price in entries)))


def _rates(ctx: BuildContext, name: str, count: int) -> list[tuple[bytes, axdr.Data]]:
    given = _list(ctx, name, count)
    return [(bytes((n,)), _price(name, given[n - 1] if n <= len(given) else 0))
            for n in range(1, count + 1)]


def _blocks(ctx: BuildContext) -> list[tuple[bytes, axdr.Data]]:
    sets = _list(ctx, "BlockPrices", len(BLOCK_SETS))
    entries = []
    for number, _ in enumerate(BLOCK_SETS):
        prices = sets[number] if number < len(sets) else ()
        if isinstance(prices, str | bytes) or not isinstance(prices, Sequence) \
                or len(prices) > BLOCKS:
            raise TransformError(f"BlockPrices must hold lists of at most {BLOCKS} prices")
        entries += [(bytes((0xA1 + 0x10 * number + block,)),
                     _price("BlockPrices", prices[block] if block < len(prices) else 0))
                    for block in range(BLOCKS)]
    return entries


def _activation(ctx: BuildContext) -> axdr.Data:
    execution = ctx.request.execution_datetime
    return axdr.octet_string(IMMEDIATE_ACTIVATION if execution is None
                             else cosem_time(execution).to_bytes())


def update_prices(*, secondary: bool) -> PayloadBuilder:
    """ECS01b (primary element: standing charge, TOU and block prices) / ECS01d (the
    secondary element's TOU prices)."""

    def build(ctx: BuildContext) -> AccessRequest:
        charges = secondary_charges(ctx) if secondary else primary_charges(ctx)
        return dlms_request(ctx, [*passive_charges(charges),
                                  *charge_activations(ctx, charges)])

    return build


Charges = list[tuple[ObisCode, axdr.Data]]


def primary_charges(ctx: BuildContext) -> Charges:
    """The standing charge and the TOU and block prices of the primary element."""
    standing = _price("StandingCharge", ctx.param("StandingCharge"))
    return [(STANDING_CHARGE, _unit_charge(0, None, [(b"", standing)])),
            (CHARGES, _unit_charge(KWH_SCALER, "1-0:1.8.0.255",
                                   _rates(ctx, "TOUPrices", TOU_RATES) + _blocks(ctx)))]


def secondary_charges(ctx: BuildContext) -> Charges:
    """The TOU prices of the secondary element."""
    return [(SECONDARY_CHARGES, _unit_charge(
        KWH_SCALER, "1-20:1.8.0.255", _rates(ctx, "SecondaryTOUPrices", SECONDARY_TOU_RATES)))]


def passive_charges(charges: Charges) -> list[tuple[AccessRequestSet, axdr.Data]]:
    return [(AccessRequestSet(113, name, PASSIVE_UNIT_CHARGE), value) for name, value in charges]


def charge_activations(ctx: BuildContext, charges: Charges
                       ) -> list[tuple[AccessRequestSet, axdr.Data]]:
    return [(AccessRequestSet(113, name, ACTIVATION_TIME), _activation(ctx))
            for name, _ in charges]
