"""Firmware: CS06 activate firmware (command, responses, alert 0x00CA), CS08 read
PPMID/HCALCS firmware version, CS09 PPMID firmware activation alert and CCS08 firmware
transfer alert (primer §11.10)."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import ClassVar

from gbcs.asn1.der import DerNode
from gbcs.asn1.der_builders import generalized_time, integer, sequence
from gbcs.asn1.payload_reader import (
    GENERALIZED_TIME,
    SEQUENCE,
    PayloadReader,
    PayloadView,
    read_enum,
)
from gbcs.asn1.payloads_common import (
    DEVICE_ID_SIZE,
    Asn1AlertCode,
    device_id_node,
    sized_octets,
)
from gbcs.asn1.payloads_join import ReadResponseCode
from gbcs.value_type import value_type

IMAGE_HASH_SIZE = 32
FIRMWARE_VERSION_SIZE = 4
CANCEL_EXECUTION_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
"""CS06 execution date-time that cancels a pending future-dated activation."""


class ActivateFirmwareResponseCode(enum.IntEnum):
    SUCCESS = 0
    NO_IMAGE_HELD = 1
    HASH_MISMATCH = 2
    ACTIVATION_FAILURE = 3


class FirmwareTransferResponseCode(enum.IntEnum):
    SUCCESS = 0
    IMAGE_DISCARDED = 1
    HARDWARE_VERSION_MISMATCH = 2
    FILE_TRANSFER_FAILURE = 3


class FirmwareActivationResult(enum.IntEnum):
    SUCCESS = 0
    FAILURE = 1


# =====================================================================================
# CS06 activate firmware
# =====================================================================================


@value_type
class ActivateFirmwareCommand(PayloadView):
    """Activate the image whose manufacturer-image SHA-256 is ``manufacturer_image_hash``,
    now (no execution time), later, or never (:data:`CANCEL_EXECUTION_TIME`)."""

    ROOT: ClassVar[int] = SEQUENCE

    manufacturer_image_hash: bytes
    originator_counter: int
    execution_time: datetime | None = None

    @property
    def is_immediate(self) -> bool:
        return self.execution_time is None

    @property
    def is_cancellation(self) -> bool:
        return self.execution_time == CANCEL_EXECUTION_TIME

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ActivateFirmwareCommand:
        fields = reader.sequence("activate_firmware_command")
        image_hash = fields.octets("manufacturer_image_hash", IMAGE_HASH_SIZE)
        counter = fields.integer("originator_counter")
        execution_time = None
        if fields.has(GENERALIZED_TIME):
            execution_time = fields.time("execution_time")
        fields.end()
        return cls(image_hash, counter, execution_time)

    def to_node(self) -> DerNode:
        parts = (sized_octets(self.manufacturer_image_hash, IMAGE_HASH_SIZE,
                              "manufacturer image hash"), integer(self.originator_counter))
        if self.execution_time is not None:
            parts += (generalized_time(self.execution_time),)
        return sequence(*parts)


@value_type
class ActivateFirmwareOutcome(PayloadView):
    """Immediate CS06 response, and the outcome inside the 0x00CA alert."""

    ROOT: ClassVar[int] = SEQUENCE

    response_code: ActivateFirmwareResponseCode | int
    firmware_version: bytes

    @classmethod
    def read(cls, fields: PayloadReader) -> ActivateFirmwareOutcome:
        code = read_enum(fields, "response_code", ActivateFirmwareResponseCode)
        outcome = cls(code, fields.octets("firmware_version", FIRMWARE_VERSION_SIZE))
        fields.end()
        return outcome

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ActivateFirmwareOutcome:
        return cls.read(reader.sequence("activate_firmware_outcome"))

    def to_node(self) -> DerNode:
        return sequence(integer(self.response_code), sized_octets(
            self.firmware_version, FIRMWARE_VERSION_SIZE, "firmware version"))


@value_type
class ActivateFirmwareAlert(PayloadView):
    """0x00CA: the outcome of a future-dated activation (8F66 success / 8F67 failure)."""

    ROOT: ClassVar[int] = SEQUENCE

    alert_code: Asn1AlertCode | int
    execution_time: datetime
    originator_counter: int
    outcome: ActivateFirmwareOutcome

    @classmethod
    def reporting(cls, outcome: ActivateFirmwareOutcome, execution_time: datetime,
                  originator_counter: int) -> ActivateFirmwareAlert:
        """The alert for ``outcome`` of the command with ``originator_counter``."""
        code = (Asn1AlertCode.FUTURE_DATED_EXECUTION_SUCCESS
                if outcome.response_code == ActivateFirmwareResponseCode.SUCCESS
                else Asn1AlertCode.FUTURE_DATED_EXECUTION_FAILURE)
        return cls(code, execution_time, originator_counter, outcome)

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ActivateFirmwareAlert:
        fields = reader.sequence("activate_firmware_alert")
        code = read_enum(fields, "alert_code", Asn1AlertCode)
        execution_time = fields.time("execution_time")
        counter = fields.integer("originator_counter")
        outcome = ActivateFirmwareOutcome.read(fields.sequence("outcome"))
        fields.end()
        return cls(code, execution_time, counter, outcome)

    def to_node(self) -> DerNode:
        return sequence(integer(self.alert_code), generalized_time(self.execution_time),
                        integer(self.originator_counter), self.outcome.to_node())


# =====================================================================================
# CS08 / CS09 (PPMID, HCALCS) and CCS08 (CHF)
# =====================================================================================


@value_type
class FirmwareVersionResponse(PayloadView):
    """CS08: the firmware version of a PPMID or HCALCS."""

    ROOT: ClassVar[int] = SEQUENCE

    firmware_version: bytes
    response_code: ReadResponseCode | int

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> FirmwareVersionResponse:
        fields = reader.sequence("firmware_version_response")
        version = fields.octets("firmware_version", FIRMWARE_VERSION_SIZE)
        response = cls(version, read_enum(fields, "response_code", ReadResponseCode))
        fields.end()
        return response

    def to_node(self) -> DerNode:
        return sequence(sized_octets(self.firmware_version, FIRMWARE_VERSION_SIZE,
                                     "firmware version"), integer(self.response_code))


@value_type
class PpmidFirmwareActivationAlert(PayloadView):
    """CS09 (alert 0x8F8B): a PPMID activated (or failed to activate) new firmware."""

    ROOT: ClassVar[int] = SEQUENCE

    alert_code: Asn1AlertCode | int
    time: datetime
    firmware_version: bytes
    result: FirmwareActivationResult | int

    @classmethod
    def reporting(cls, firmware_version: bytes, result: FirmwareActivationResult | int,
                  time: datetime) -> PpmidFirmwareActivationAlert:
        return cls(Asn1AlertCode.PPMID_FIRMWARE_ACTIVATION, time, firmware_version, result)

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> PpmidFirmwareActivationAlert:
        fields = reader.sequence("ppmid_firmware_activation_alert")
        code = read_enum(fields, "alert_code", Asn1AlertCode)
        time = fields.time("time")
        version = fields.octets("firmware_version", FIRMWARE_VERSION_SIZE)
        result = read_enum(fields, "result", FirmwareActivationResult)
        fields.end()
        return cls(code, time, version, result)

    def to_node(self) -> DerNode:
        return sequence(integer(self.alert_code), generalized_time(self.time),
                        sized_octets(self.firmware_version, FIRMWARE_VERSION_SIZE,
                                     "firmware version"), integer(self.result))


@value_type
class FirmwareTransferAlert(PayloadView):
    """CCS08 (8F8A success / 8F89 failure): the CHF's transfer of firmware to a device."""

    ROOT: ClassVar[int] = SEQUENCE

    alert_code: Asn1AlertCode | int
    time: datetime
    device_id: bytes
    firmware_version: bytes
    response_code: FirmwareTransferResponseCode | int

    @classmethod
    def reporting(cls, device_id: bytes, firmware_version: bytes,
                  response_code: FirmwareTransferResponseCode | int, time: datetime
                  ) -> FirmwareTransferAlert:
        code = (Asn1AlertCode.FIRMWARE_TRANSFER_SUCCESS
                if response_code == FirmwareTransferResponseCode.SUCCESS
                else Asn1AlertCode.FIRMWARE_TRANSFER_FAILURE)
        return cls(code, time, device_id, firmware_version, response_code)

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> FirmwareTransferAlert:
        fields = reader.sequence("firmware_transfer_alert")
        code = read_enum(fields, "alert_code", Asn1AlertCode)
        time = fields.time("time")
        device_id = fields.octets("device_id", DEVICE_ID_SIZE)
        version = fields.octets("firmware_version", FIRMWARE_VERSION_SIZE)
        response_code = read_enum(fields, "response_code", FirmwareTransferResponseCode)
        fields.end()
        return cls(code, time, device_id, version, response_code)

    def to_node(self) -> DerNode:
        return sequence(integer(self.alert_code), generalized_time(self.time),
                        device_id_node(self.device_id),
                        sized_octets(self.firmware_version, FIRMWARE_VERSION_SIZE,
                                     "firmware version"), integer(self.response_code))
