"""Payload builders for GBZ commands (GSME and GPF use cases, primer §8.1).

A GBZ command is one component per ZCL command, numbered from 0 in the ZCL sequence
number; the issuer event id of "Publish"-style commands is the issue time in seconds
since 2000, as in the RTDS messages.
"""

from __future__ import annotations

from collections.abc import Iterable

from firmware_emu.dcc.transform_dlms import utrn
from firmware_emu.dcc.transform_rows import BuildContext, PayloadBuilder, TransformError
from gbcs.errors import EncodeError
from gbcs.gbz import (
    Direction,
    GbzPayload,
    ReadAttributes,
    ZclCommand,
    gbz_component,
    gbz_payload,
    zcl_command,
)
from gbcs.gbz.clusters_device import DisplayMessage, UpdateSiteId
from gbcs.gbz.clusters_metering import ChangeSupply
from gbcs.gbz.clusters_prepayment import ConsumerTopUp

SUPPLY_OFF, SUPPLY_ARMED = 0, 1
ACKNOWLEDGE_SUPPLY_CHANGE = 0x01
ORIGINATOR_REMOTE = 0  # Consumer Top Up originating device: ESI (the remote party)
DURATION_UNTIL_CHANGED = 0xFFFF


def _payload(ctx: BuildContext, commands: Iterable[ZclCommand]) -> GbzPayload:
    try:
        return gbz_payload(gbz_component(command, index)
                           for index, command in enumerate(commands))
    except EncodeError as error:
        raise TransformError(f"SRV {ctx.request.srv_id}: {error}") from None


def read_attributes(*reads: tuple[int, tuple[int, ...]]) -> PayloadBuilder:
    """Read Attributes of (cluster, attribute ids), one component per cluster."""
    commands = tuple(zcl_command(ReadAttributes(attribute_ids=attributes), cluster_id=cluster,
                                 direction=Direction.CLIENT_TO_SERVER)
                     for cluster, attributes in reads)

    def build(ctx: BuildContext) -> GbzPayload:
        return _payload(ctx, commands)

    return build


def _ascii(ctx: BuildContext, name: str) -> bytes:
    text = ctx.param(name)
    if not isinstance(text, str) or not text.isascii():
        raise TransformError(f"{name} must be ASCII text")
    return text.encode("ascii")


def update_site_id(ctx: BuildContext) -> GbzPayload:
    """GCS41: the MPRN (data item ImportMPxN) as the Device Management site id."""
    return _payload(ctx, [zcl_command(UpdateSiteId(
        issuer_event_id=ctx.issuer_event_id, site_id_time=0, provider_id=0,
        site_id=_ascii(ctx, "ImportMPxN")))])


def display_message(ctx: BuildContext) -> GbzPayload:
    """GCS07: show data item Message until replaced."""
    return _payload(ctx, [zcl_command(DisplayMessage(
        message_id=ctx.issuer_event_id, message_control=0, start_time=0,
        duration_in_minutes=DURATION_UNTIL_CHANGED, message=_ascii(ctx, "Message"),
        extended_message_control=None))])


def change_supply(status: int) -> PayloadBuilder:
    """GCS32 (close the valve) / GCS39 (arm it)."""

    def build(ctx: BuildContext) -> GbzPayload:
        return _payload(ctx, [zcl_command(ChangeSupply(
            provider_id=0, issuer_event_id=ctx.issuer_event_id, request_date_time=0,
            implementation_date_time=0, proposed_supply_status=status,
            supply_control_bits=ACKNOWLEDGE_SUPPLY_CHANGE))])

    return build


def consumer_top_up(ctx: BuildContext) -> GbzPayload:
    """CS01b: the UTRN in a Prepayment Consumer Top Up."""
    return _payload(ctx, [zcl_command(ConsumerTopUp(
        originating_device=ORIGINATOR_REMOTE, top_up_code=utrn(ctx).encode("ascii")))])
