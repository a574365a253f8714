"""ZCL commands inside GBZ components: frame control, global commands, status codes.

A GBZ component carries the ZCL header fields itself (frame control, sequence number,
command id), so a ZCL "payload" here is what follows the command id. It decodes to a
:class:`ZclCommand` whose ``body`` is a :class:`~gbcs.gbz.records.ZclRecord` (a global
command, or a cluster-specific command from :mod:`gbcs.gbz.clusters`) or, for commands
this package does not know, the raw payload bytes.
"""

from __future__ import annotations

import enum
from typing import Any

from gbcs.errors import DecodeError, EncodeError
from gbcs.gbz.clusters import SPEC_OF_RECORD, CommandSpec, find_cluster_command
from gbcs.gbz.records import TRUNCATED, Codec, Greedy, ZclRecord, record, record_type
from gbcs.gbz.zcl_types import UINT8, UINT16, ZCL_DATA_TYPES, Direction, FrameType
from gbcs.value_type import value_type

# =====================================================================================
# Frame control and status codes
# =====================================================================================

FRAME_TYPE_MASK = 0x03
MANUFACTURER_SPECIFIC = 0x04
SERVER_TO_CLIENT = 0x08
DISABLE_DEFAULT_RESPONSE = 0x10


@value_type
class FrameControl:
    """Typed view of the ZCL frame control byte (``raw`` is kept as sent)."""

    raw: int

    @property
    def frame_type(self) -> FrameType | int:
        kind = self.raw & FRAME_TYPE_MASK
        return FrameType(kind) if kind <= FrameType.CLUSTER_SPECIFIC else kind

    @property
    def manufacturer_specific(self) -> bool:
        return bool(self.raw & MANUFACTURER_SPECIFIC)

    @property
    def direction(self) -> Direction:
        return Direction(1 if self.raw & SERVER_TO_CLIENT else 0)

    @property
    def disable_default_response(self) -> bool:
        return bool(self.raw & DISABLE_DEFAULT_RESPONSE)

    @property
    def reserved(self) -> int:
        return self.raw >> 5

    @classmethod
    def compose(cls, frame_type: FrameType, direction: Direction, *,
                disable_default_response: bool = False,
                manufacturer_specific: bool = False) -> FrameControl:
        return cls(int(frame_type) | (SERVER_TO_CLIENT if direction else 0)
                   | (DISABLE_DEFAULT_RESPONSE if disable_default_response else 0)
                   | (MANUFACTURER_SPECIFIC if manufacturer_specific else 0))

    def __str__(self) -> str:
        kind = {0: "global", 1: "cluster-specific"}.get(self.raw & FRAME_TYPE_MASK, "reserved")
        way = "server->client" if self.raw & SERVER_TO_CLIENT else "client->server"
        extra = ", disable default response" if self.disable_default_response else ""
        return f"{kind}, {way}{extra}"


class ZclStatus(enum.IntEnum):
    SUCCESS = 0x00
    FAILURE = 0x01
    NOT_AUTHORIZED = 0x7E
    RESERVED_FIELD_NOT_ZERO = 0x7F
    MALFORMED_COMMAND = 0x80
    UNSUPPORTED_CLUSTER_COMMAND = 0x81
    UNSUPPORTED_GENERAL_COMMAND = 0x82
    UNSUPPORTED_MANUFACTURER_CLUSTER_COMMAND = 0x83
    UNSUPPORTED_MANUFACTURER_GENERAL_COMMAND = 0x84
    INVALID_FIELD = 0x85
    UNSUPPORTED_ATTRIBUTE = 0x86
    INVALID_VALUE = 0x87
    READ_ONLY = 0x88
    INSUFFICIENT_SPACE = 0x89
    DUPLICATE_EXISTS = 0x8A
    NOT_FOUND = 0x8B
    UNREPORTABLE_ATTRIBUTE = 0x8C
    INVALID_DATA_TYPE = 0x8D
    INVALID_SELECTOR = 0x8E
    WRITE_ONLY = 0x8F
    INCONSISTENT_STARTUP_STATE = 0x90
    DEFINED_OUT_OF_BAND = 0x91
    INCONSISTENT = 0x92
    ACTION_DENIED = 0x93
    TIMEOUT = 0x94
    ABORT = 0x95
    INVALID_IMAGE = 0x96
    WAIT_FOR_DATA = 0x97
    NO_IMAGE_AVAILABLE = 0x98
    REQUIRE_MORE_IMAGE = 0x99
    HARDWARE_FAILURE = 0xC0
    SOFTWARE_FAILURE = 0xC1
    CALIBRATION_ERROR = 0xC2


_STATUS_NAMES = {status.value: status.name for status in ZclStatus}


def status_name(code: int) -> str:
    return _STATUS_NAMES.get(code, f"0x{code:02X}")


# =====================================================================================
# Global commands
# =====================================================================================

AttributeStatus = record_type("AttributeStatus", [
    ("attribute_id", int), ("status", int), ("data_type", int | None), ("value", Any)],
    title="Read attribute status record", defaults={"data_type": None, "value": None})
"""One attribute in a Read Attributes Response; type and value only when status is 0."""

AttributeValue = record_type("AttributeValue", [
    ("attribute_id", int), ("data_type", int), ("value", Any)], title="Attribute record")

WriteAttributeStatus = record_type("WriteAttributeStatus", [
    ("status", int), ("attribute_id", int | None)],
    title="Write attribute status record", defaults={"attribute_id": None})
"""A lone success status carries no attribute id (every attribute was written)."""


def _read_typed(data: bytes, pos: int, data_type: int) -> tuple[Any, int]:
    kind = ZCL_DATA_TYPES.get(data_type)
    if kind is None:
        raise DecodeError(f"unsupported ZCL data type 0x{data_type:02X}", pos - 1, "data_type")
    try:
        return kind.read(data, pos)
    except DecodeError as error:
        raise DecodeError(error.reason, error.offset, "value") from None


def _write_typed(data_type: int, value: Any, out: bytearray) -> None:
    kind = ZCL_DATA_TYPES.get(data_type) if isinstance(data_type, int) else None
    if kind is None:
        raise EncodeError(f"unsupported ZCL data type {data_type!r}")
    out.append(data_type)
    kind.write(value, out)


class AttributeStatusCodec(Codec):
    python_type = AttributeStatus

    def read(self, data: bytes, pos: int) -> tuple[ZclRecord, int]:
        if pos + 3 > len(data):
            raise DecodeError(TRUNCATED, pos)
        attribute_id = data[pos] | (data[pos + 1] << 8)
        status = data[pos + 2]
        if status:
            return tuple.__new__(AttributeStatus, (attribute_id, status, None, None)), pos + 3
        if pos + 4 > len(data):
            raise DecodeError(TRUNCATED, pos + 3, "data_type")
        data_type = data[pos + 3]
        value, pos = _read_typed(data, pos + 4, data_type)
        return tuple.__new__(AttributeStatus, (attribute_id, 0, data_type, value)), pos

    def write(self, value: ZclRecord, out: bytearray) -> None:
        if type(value) is not AttributeStatus:
            raise EncodeError(f"expected AttributeStatus, not {type(value).__name__}")
        attribute_id, status, data_type, item = value
        UINT16.write(attribute_id, out)
        UINT8.write(status, out)
        if status:
            if data_type is not None or item is not None:
                raise EncodeError("a failed attribute status carries no type or value")
            return
        _write_typed(data_type, item, out)


class AttributeValueCodec(Codec):
    python_type = AttributeValue

    def read(self, data: bytes, pos: int) -> tuple[ZclRecord, int]:
        if pos + 3 > len(data):
            raise DecodeError(TRUNCATED, pos)
        attribute_id = data[pos] | (data[pos + 1] << 8)
        data_type = data[pos + 2]
        value, pos = _read_typed(data, pos + 3, data_type)
        return tuple.__new__(AttributeValue, (attribute_id, data_type, value)), pos

    def write(self, value: ZclRecord, out: bytearray) -> None:
        if type(value) is not AttributeValue:
            raise EncodeError(f"expected AttributeValue, not {type(value).__name__}")
        UINT16.write(value.attribute_id, out)
        _write_typed(value.data_type, value.value, out)


class WriteAttributeStatusCodec(Codec):
    python_type = WriteAttributeStatus

    def read(self, data: bytes, pos: int) -> tuple[ZclRecord, int]:
        if pos >= len(data):
            raise DecodeError(TRUNCATED, pos)
        status = data[pos]
        if status == 0 and pos + 1 == len(data):
            return tuple.__new__(WriteAttributeStatus, (0, None)), pos + 1
        if pos + 3 > len(data):
            raise DecodeError(TRUNCATED, pos + 1, "attribute_id")
        attribute_id = data[pos + 1] | (data[pos + 2] << 8)
        return tuple.__new__(WriteAttributeStatus, (status, attribute_id)), pos + 3

    def write(self, value: ZclRecord, out: bytearray) -> None:
        if type(value) is not WriteAttributeStatus:
            raise EncodeError(f"expected WriteAttributeStatus, not {type(value).__name__}")
        UINT8.write(value.status, out)
        if value.attribute_id is None:
            if value.status:
                raise EncodeError("a failed write status needs its attribute id")
            return
        UINT16.write(value.attribute_id, out)


AttributeStatus.codec = AttributeStatusCodec()
AttributeValue.codec = AttributeValueCodec()
WriteAttributeStatus.codec = WriteAttributeStatusCodec()

ReadAttributes = record("ReadAttributes", ("attribute_ids", Greedy(UINT16, leave_partial=False)),
                        title="Read Attributes")
ReadAttributesResponse = record(
    "ReadAttributesResponse", ("records", Greedy(AttributeStatus.codec, leave_partial=False)),
    title="Read Attributes Response")
WriteAttributes = record(
    "WriteAttributes", ("records", Greedy(AttributeValue.codec, leave_partial=False)),
    title="Write Attributes")
WriteAttributesUndivided = record(
    "WriteAttributesUndivided", ("records", Greedy(AttributeValue.codec, leave_partial=False)),
    title="Write Attributes Undivided")
WriteAttributesNoResponse = record(
    "WriteAttributesNoResponse", ("records", Greedy(AttributeValue.codec, leave_partial=False)),
    title="Write Attributes No Response")
WriteAttributesResponse = record(
    "WriteAttributesResponse",
    ("records", Greedy(WriteAttributeStatus.codec, leave_partial=False)),
    title="Write Attributes Response")
DefaultResponse = record("DefaultResponse", ("command_id", UINT8), ("status", UINT8),
                         title="Default Response")

GLOBAL_COMMANDS: dict[int, CommandSpec] = {
    command_id: CommandSpec(None, None, command_id, cls)
    for command_id, cls in (
        (0x00, ReadAttributes), (0x01, ReadAttributesResponse), (0x02, WriteAttributes),
        (0x03, WriteAttributesUndivided), (0x04, WriteAttributesResponse),
        (0x05, WriteAttributesNoResponse), (0x0B, DefaultResponse))
}
_GLOBAL_SPEC_OF_RECORD = {spec.record: spec for spec in GLOBAL_COMMANDS.values()}


# =====================================================================================
# ZCL command
# =====================================================================================


@value_type
class ZclCommand:
    """A ZCL command as carried by one GBZ component. ``body`` is raw bytes when the
    command is not in the tables (or manufacturer specific)."""

    cluster_id: int
    frame_control: int
    command_id: int
    body: ZclRecord | bytes

    @property
    def frame(self) -> FrameControl:
        return FrameControl(self.frame_control)

    @property
    def is_raw(self) -> bool:
        return isinstance(self.body, bytes)

    @property
    def spec(self) -> CommandSpec | None:
        return command_spec(self.cluster_id, self.frame_control, self.command_id)

    @property
    def name(self) -> str:
        spec = self.spec
        if spec is not None:
            return spec.name
        kind = "global" if self.frame_control & FRAME_TYPE_MASK == 0 else "cluster"
        return f"{kind} command 0x{self.command_id:02X}"


def command_spec(cluster_id: int, frame_control: int, command_id: int) -> CommandSpec | None:
    """The table entry for a command, or None when it is unknown here."""
    if frame_control & MANUFACTURER_SPECIFIC:
        return None
    kind = frame_control & FRAME_TYPE_MASK
    if kind == FrameType.GLOBAL:
        return GLOBAL_COMMANDS.get(command_id)
    if kind == FrameType.CLUSTER_SPECIFIC:
        direction = Direction.SERVER_TO_CLIENT if frame_control & SERVER_TO_CLIENT \
            else Direction.CLIENT_TO_SERVER
        return find_cluster_command(cluster_id, direction, command_id)
    return None


def decode_zcl_payload(cluster_id: int, frame_control: int, command_id: int, payload: bytes,
                       offset: int = 0) -> ZclCommand:
    """Decode the bytes after the command id; errors point ``offset`` bytes further on."""
    spec = command_spec(cluster_id, frame_control, command_id)
    if spec is None:
        return ZclCommand(cluster_id, frame_control, command_id, bytes(payload))
    codec = spec.record.codec
    try:
        body, end = codec.read(payload, 0)
    except DecodeError as error:
        raise error.within(offset, f"zcl.{spec.record.__name__}") from None
    if end != len(payload):
        raise DecodeError(f"{len(payload) - end} unexpected trailing bytes", offset + end,
                          f"zcl.{spec.record.__name__}")
    return ZclCommand(cluster_id, frame_control, command_id, body)


def encode_zcl_payload(command: ZclCommand) -> bytes:
    """The payload bytes (after the command id) of ``command``."""
    body = command.body
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    spec = command.spec
    if spec is None or type(body) is not spec.record:
        raise EncodeError(f"{type(body).__name__} is not the payload of {command.name} "
                          f"(cluster 0x{command.cluster_id:04X})")
    return spec.record.codec.encode(body)


def zcl_command(body: ZclRecord, *, cluster_id: int | None = None,
                direction: Direction | None = None,
                disable_default_response: bool = False) -> ZclCommand:
    """A command from its payload record; frame control and command id are derived.

    Cluster-specific records know their cluster and direction; a global command (Read
    Attributes, Default Response, ...) needs both given.
    """
    spec = SPEC_OF_RECORD.get(type(body)) or _GLOBAL_SPEC_OF_RECORD.get(type(body))
    if spec is None:
        raise EncodeError(f"{type(body).__name__} is not a known ZCL command payload")
    if spec.cluster_id is not None:
        if cluster_id not in (None, spec.cluster_id) or direction not in (None, spec.direction):
            raise EncodeError(f"{spec.name} belongs to cluster 0x{spec.cluster_id:04X} "
                              f"{spec.direction.name}")
        cluster_id, direction = spec.cluster_id, spec.direction
        frame_type = FrameType.CLUSTER_SPECIFIC
    else:
        if cluster_id is None or direction is None:
            raise EncodeError(f"{spec.name} needs a cluster id and a direction")
        frame_type = FrameType.GLOBAL
    frame = FrameControl.compose(frame_type, direction,
                                 disable_default_response=disable_default_response)
    return ZclCommand(cluster_id, frame.raw, spec.command_id, body)
