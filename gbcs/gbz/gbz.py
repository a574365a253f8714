"""GBZ payloads (primer §8.1): ZigBee Smart Energy commands, responses and alerts.

Command/response content: profile id ``01 09``, a component count, then the components
(:mod:`gbcs.gbz.gbz_component`). Alert content: :mod:`gbcs.gbz.gbz_alert`. This module
is the entry point: :func:`decode_gbz` / :func:`encode_gbz` for both.
"""

from __future__ import annotations

from collections.abc import Iterable

from gbcs.errors import DecodeError, EncodeError
from gbcs.gbz.gbz_alert import GbzAlert, alert_codec
from gbcs.gbz.gbz_component import (
    LAST_COMPONENT,
    PROFILE,
    GbzComponent,
    read_component,
    write_component,
)
from gbcs.gbz.records import TRUNCATED, Codec
from gbcs.value_type import value_type


@value_type
class GbzPayload:
    """A GBZ command or response (profile 0x0109)."""

    components: tuple[GbzComponent, ...]


# =====================================================================================
# Wire layout
# =====================================================================================


def _read_payload(data: bytes, pos: int, base: int) -> tuple[GbzPayload, int]:
    if data[pos:pos + 2] != PROFILE:
        raise DecodeError("not a GBZ payload (profile id is not 0x0109)", pos, "profile_id")
    if pos + 3 > len(data):
        raise DecodeError(TRUNCATED, pos + 2, "component_count")
    count = data[pos + 2]
    pos += 3
    components = []
    for index in range(count):
        try:
            component, end = read_component(data, pos, base)
        except DecodeError as error:
            raise error.within(0, f"components[{index}]") from None
        if component.control & LAST_COMPONENT != (index == count - 1):
            raise DecodeError("only the last component may (and must) have control bit 0x01",
                              pos, f"components[{index}].control")
        components.append(component)
        pos = end
    return GbzPayload(tuple(components)), pos


def _write_payload(payload: GbzPayload, out: bytearray) -> None:
    components = payload.components
    if len(components) > 0xFF:
        raise EncodeError(f"{len(components)} GBZ components do not fit a count byte")
    out += PROFILE
    out.append(len(components))
    for index, component in enumerate(components):
        if bool(component.control & LAST_COMPONENT) != (index == len(components) - 1):
            raise EncodeError(f"component {index}: only the last component may (and must) "
                              "have control bit 0x01")
        write_component(component, out)


class GbzPayloadCodec(Codec):
    python_type = GbzPayload

    def read(self, data: bytes, pos: int) -> tuple[GbzPayload, int]:
        return _read_payload(data, pos, 0)

    def write(self, value: GbzPayload, out: bytearray) -> None:
        if not isinstance(value, GbzPayload):
            raise EncodeError(f"expected GbzPayload, not {type(value).__name__}")
        _write_payload(value, out)


GBZ_PAYLOAD = GbzPayloadCodec()

# =====================================================================================
# Public API
# =====================================================================================


def decode_gbz(content: bytes, *, alert: bool, message_code: int | None = None,
               offset: int = 0) -> GbzPayload | GbzAlert:
    """Decode GBZ content; ``offset`` is where it starts in the whole message.

    Alerts use ``message_code`` to pick the use-case data layout. ZCL payloads are left
    as bytes here: :meth:`GbzComponent.zcl_command` decodes them on demand.
    """
    if alert:
        try:
            value, _ = alert_codec(message_code).read_at(content, 0, offset)
        except DecodeError as error:
            raise error.within(offset, "gbz_alert") from None
        return value
    try:
        value, end = _read_payload(content, 0, offset)
    except DecodeError as error:
        raise error.within(offset, "gbz") from None
    if end != len(content):
        raise DecodeError(f"{len(content) - end} unexpected trailing bytes", offset + end, "gbz")
    return value


def encode_gbz(payload: GbzPayload | GbzAlert) -> bytes:
    out = bytearray()
    if isinstance(payload, GbzAlert):
        alert_codec(None).write(payload, out)
    elif isinstance(payload, GbzPayload):
        _write_payload(payload, out)
    else:
        raise EncodeError(f"expected GbzPayload or GbzAlert, not {type(payload).__name__}")
    return bytes(out)


def gbz_payload(components: Iterable[GbzComponent]) -> GbzPayload:
    """A payload of ``components`` with the last-component bit set on the last only."""
    items = list(components)
    return GbzPayload(tuple(item.with_last(index == len(items) - 1)
                            for index, item in enumerate(items)))
