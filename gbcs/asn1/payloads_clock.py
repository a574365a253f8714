"""GCS28 Set Clock on the GSME (message code 0x007F)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from gbcs.asn1.der import DerNode
from gbcs.asn1.der_builders import generalized_time, integer, sequence
from gbcs.asn1.payload_reader import (
    SEQUENCE,
    PayloadReader,
    PayloadView,
    read_enum,
)
from gbcs.value_type import value_type


class DeviceTimeStatus(enum.IntEnum):
    RELIABLE = 0
    INVALID = 1
    UNRELIABLE = 2


@value_type
class SetClockCommand(PayloadView):
    """Set the clock if it is read between ``validity_start`` and ``validity_end``."""

    ROOT: ClassVar[int] = SEQUENCE

    validity_start: datetime
    validity_end: datetime

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> SetClockCommand:
        fields = reader.sequence("set_clock_command")
        command = cls(fields.time("validity_start"), fields.time("validity_end"))
        fields.end()
        return command

    def to_node(self) -> DerNode:
        return sequence(generalized_time(self.validity_start),
                        generalized_time(self.validity_end))


@value_type
class SetClockResponse(PayloadView):
    """The device's time after a set-clock command, and the status of that time."""

    ROOT: ClassVar[int] = SEQUENCE

    device_time: datetime
    device_time_status: DeviceTimeStatus | int

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> SetClockResponse:
        fields = reader.sequence("set_clock_response")
        response = cls(fields.time("device_time"),
                       read_enum(fields, "device_time_status", DeviceTimeStatus))
        fields.end()
        return response

    def to_node(self) -> DerNode:
        return sequence(generalized_time(self.device_time), integer(self.device_time_status))
