"""Turning the DCC service's exchanges into report records with decoded GBCS trees."""

from __future__ import annotations

from firmware_emu.dcc.service_records import Exchange
from firmware_emu.scenarios.results import ExchangeRecord
from gbcs.crypto import KeyStore
from gbcs.errors import GbcsError
from gbcs.message import decode_message
from gbcs.render import render_message


def decoded_tree(wire: bytes, keys: KeyStore | None) -> tuple[tuple[str, ...], str | None]:
    """The message as tree lines (sensitive parts opened with ``keys``), or why not."""
    try:
        message = decode_message(wire)
    except GbcsError as error:
        return (), str(error)
    try:
        return tuple(render_message(message, keys)), None
    except Exception as error:  # a renderer fault must not lose the exchange
        return tuple(render_message(message)), f"with keys: {type(error).__name__}: {error}"


def exchange_record(exchange: Exchange, keys: KeyStore | None = None) -> ExchangeRecord:
    """The report's record of one :class:`~firmware_emu.dcc.service_records.Exchange`."""
    wire = exchange.data if isinstance(exchange.data, bytes) else None
    tree: tuple[str, ...] = ()
    error = None
    if wire:
        tree, error = decoded_tree(wire, keys)
    return ExchangeRecord(
        label=exchange.step, direction=str(exchange.direction), summary=exchange.summary,
        wire_hex=wire.hex().upper() if wire else None,
        text=exchange.data if isinstance(exchange.data, str) else None,
        tree=tree, decode_error=error,
    )
