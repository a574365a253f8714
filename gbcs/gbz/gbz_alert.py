"""GBZ alert payloads (primer §8.1.4, §10, §11.10).

Profile id ``01 09``, a component count (0, or 1 when use-case data follows), the alert
code and timestamp (seconds since 2000, both big-endian), then use-case-specific data
whose layout the GBCS message code selects. These are rare, so the data layouts are
plain (uncompiled) construct Structs.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

import construct as c

from gbcs.errors import DecodeError, EncodeError
from gbcs.gbz.gbz_component import PROFILE, GbzComponent, read_component, write_component
from gbcs.gbz.records import Codec
from gbcs.primitives import (
    build_layer,
    datetime_to_utc_seconds,
    parse_layer,
    utc_seconds_to_datetime,
)
from gbcs.value_type import value_type

# =====================================================================================
# Typed values
# =====================================================================================


@value_type
class FutureDatedExecution:
    """0x00CD: which future-dated command was executed (alerts 8F66 / 8F67)."""

    message_code: int
    originator_counter: int
    cluster_id: int
    frame_control: int
    command_id: int


@value_type
class FirmwareDistributionReceipt:
    """0x00CF: SHA-256 the device calculated over the received manufacturer image."""

    image_hash: bytes


@value_type
class MeterIntegrityWarning:
    """0x00F2: the "other information" code (1 NVM, 2 program execution, ...)."""

    other_information: int


AlertData = FutureDatedExecution | FirmwareDistributionReceipt | MeterIntegrityWarning | \
    GbzComponent | bytes


@value_type
class GbzAlert:
    """A GBZ alert; ``data`` is typed where the message code defines it, else raw bytes."""

    alert_code: int
    timestamp: int
    data: AlertData = b""

    @property
    def time(self) -> datetime:
        return utc_seconds_to_datetime(self.timestamp)


# =====================================================================================
# Wire layout
# =====================================================================================

GBZ_ALERT_HEADER = c.Struct(
    "profile_id" / c.Const(PROFILE),
    "component_count" / c.Int8ub,
    "alert_code" / c.Int16ub,
    "timestamp" / c.Int32ub,
)
ALERT_HEADER_SIZE = 9

FUTURE_DATED_EXECUTION = c.Struct(
    "length" / c.Const(b"\x0e"),
    "message_code" / c.Int16ub,
    "originator_counter" / c.Int64ub,
    "cluster_id" / c.Int16ub,
    "frame_control" / c.Int8ub,
    "command_id" / c.Int8ub,
)

FIRMWARE_DISTRIBUTION_RECEIPT = c.Struct(
    "octet_string_tag" / c.Const(b"\x09\x20"),
    "image_hash" / c.Bytes(32),
)

METER_INTEGRITY_WARNING = c.Struct("other_information" / c.Int16ub)

ALERT_DATA_LAYOUTS: dict[int, tuple[c.Construct, type]] = {
    0x00CD: (FUTURE_DATED_EXECUTION, FutureDatedExecution),
    0x00CF: (FIRMWARE_DISTRIBUTION_RECEIPT, FirmwareDistributionReceipt),
    0x00F2: (METER_INTEGRITY_WARNING, MeterIntegrityWarning),
}
BILLING_DATA_LOG = 0x008B
"""GCS53: the data is one (encrypted) GBZ component, Publish Snapshot."""
GENERIC_ALERTS = frozenset({0x1000, 0x1001})
"""Generic critical / non-critical alerts: alert code and timestamp only."""


def _decode_alert_data(data: bytes, message_code: int | None, at: int, base: int) -> AlertData:
    if message_code in GENERIC_ALERTS:
        if data:
            raise DecodeError(f"a generic alert carries no data, found {len(data)} bytes", at,
                              "data")
        return b""
    if message_code == BILLING_DATA_LOG:
        try:
            component, end = read_component(data, 0, base + at)
        except DecodeError as error:
            raise error.within(at, "data") from None
        if end != len(data):
            raise DecodeError(f"{len(data) - end} unexpected trailing bytes", at + end, "data")
        return component
    layout = ALERT_DATA_LAYOUTS.get(message_code)  # type: ignore[arg-type]
    if layout is None:
        return data
    construct, cls = layout
    parsed = parse_layer(construct, data, offset=at, path="data")
    return cls(**{name: parsed[name] for name in cls.__slots__})


def _encode_alert_data(data: AlertData) -> bytes:
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    if isinstance(data, GbzComponent):
        out = bytearray()
        write_component(data, out)
        return bytes(out)
    for construct, cls in ALERT_DATA_LAYOUTS.values():
        if type(data) is cls:
            return build_layer(construct, {name: getattr(data, name) for name in cls.__slots__},
                               path=f"gbz_alert.{cls.__name__}")
    raise EncodeError(f"unsupported GBZ alert data {type(data).__name__}")


class GbzAlertCodec(Codec):
    """The alert layout for one message code (None: use-case data kept as raw bytes)."""

    python_type = GbzAlert

    def __init__(self, message_code: int | None = None) -> None:
        super().__init__()
        self.message_code = message_code

    def read(self, data: bytes, pos: int) -> tuple[GbzAlert, int]:
        return self.read_at(data, pos, 0)

    def read_at(self, data: bytes, pos: int, base: int) -> tuple[GbzAlert, int]:
        """``read`` for data that starts ``base`` bytes into the whole message."""
        header = parse_layer(GBZ_ALERT_HEADER, data[pos:pos + ALERT_HEADER_SIZE], offset=pos)
        rest = data[pos + ALERT_HEADER_SIZE:]
        count = header.component_count
        if count != (1 if rest else 0):
            raise DecodeError(f"component count {count} but {len(rest)} bytes of alert data",
                              pos + 2, "component_count")
        alert_data = _decode_alert_data(rest, self.message_code, pos + ALERT_HEADER_SIZE, base)
        return GbzAlert(header.alert_code, header.timestamp, alert_data), len(data)

    def write(self, value: GbzAlert, out: bytearray) -> None:
        if not isinstance(value, GbzAlert):
            raise EncodeError(f"expected GbzAlert, not {type(value).__name__}")
        rest = _encode_alert_data(value.data)
        out += build_layer(GBZ_ALERT_HEADER, {
            "component_count": 1 if rest else 0, "alert_code": value.alert_code,
            "timestamp": value.timestamp}, path="gbz_alert")
        out += rest


GBZ_ALERT = GbzAlertCodec()


@cache
def alert_codec(message_code: int | None) -> GbzAlertCodec:
    """The alert codec for ``message_code`` (None: use-case data kept as bytes)."""
    return GBZ_ALERT if message_code is None else GbzAlertCodec(message_code)


def gbz_alert(alert_code: int, timestamp: int | datetime, data: AlertData = b"") -> GbzAlert:
    """An alert; ``timestamp`` as seconds since 2000-01-01 UTC or an aware datetime."""
    if isinstance(timestamp, datetime):
        timestamp = datetime_to_utc_seconds(timestamp)
    return GbzAlert(alert_code, timestamp, data)
