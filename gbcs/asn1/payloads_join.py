"""Joining and device logs: CS03 join, CS04 unjoin, CS07 read device join details, GCS59
restore and GCS62 backup of the GPF device log (primer §11.5, §11.6, §11.11)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from gbcs.asn1.der import DerNode
from gbcs.asn1.der_builders import generalized_time, integer, sequence
from gbcs.asn1.payload_reader import (
    INTEGER,
    OCTET_STRING,
    SEQUENCE,
    PayloadReader,
    PayloadView,
    certificate_info,
    items_of,
    read_enum,
)
from gbcs.asn1.payloads_common import (
    DEVICE_ID_SIZE,
    Asn1AlertCode,
    DeviceLogEntry,
    DeviceType,
    device_id_node,
    device_log_node,
    read_device_log_entry,
)
from gbcs.value_type import value_type

if TYPE_CHECKING:
    from gbcs.asn1.certificates import CertificateInfo

class JoinMethodAndRole(enum.IntEnum):
    METHOD_A_INITIATOR = 0
    METHOD_A_RESPONDER = 1
    METHOD_B = 2
    METHOD_C = 3


class JoinResponseCode(enum.IntEnum):
    SUCCESS = 0
    INVALID_MESSAGE_CODE_FOR_JOIN_METHOD_AND_ROLE = 1
    INVALID_JOIN_METHOD_AND_ROLE = 2
    INCOMPATIBLE_WITH_EXISTING_ENTRY = 3
    DEVICE_LOG_FULL = 4
    WRITE_FAILURE = 5
    KEY_AGREEMENT_NO_RESOURCES = 6
    KEY_AGREEMENT_UNKNOWN_ISSUER = 7
    KEY_AGREEMENT_UNSUPPORTED_SUITE = 8
    KEY_AGREEMENT_BAD_MESSAGE = 9
    KEY_AGREEMENT_BAD_KEY_CONFIRM = 10
    INVALID_OR_MISSING_CERTIFICATE = 11
    NO_PARTNER_LINK_KEY_RECEIVED = 12
    NO_CBKE_RESPONSE = 13


class UnjoinResponseCode(enum.IntEnum):
    SUCCESS = 0
    NOT_IN_DEVICE_LOG = 1
    OTHER_FAILURE = 2


class ReadResponseCode(enum.IntEnum):
    """Outcome of the CS07 and CS08 reads."""

    SUCCESS = 0
    READ_FAILURE = 1


# =====================================================================================
# CS03 join / CS04 unjoin
# =====================================================================================


@value_type
class JoinCommand(PayloadView):
    """CS03A1/A2/B/C: add ``other_device_id`` to the recipient's device log; method C
    carries the other device's key-agreement certificate."""

    ROOT: ClassVar[int] = SEQUENCE

    join_method_and_role: JoinMethodAndRole | int
    other_device_id: bytes
    other_device_type: DeviceType | int
    other_device_certificate: DerNode | None = None

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> JoinCommand:
        fields = reader.sequence("join_command")
        method = read_enum(fields, "join_method_and_role", JoinMethodAndRole)
        device_id = fields.octets("other_device_id", DEVICE_ID_SIZE)
        device_type = read_enum(fields, "other_device_type", DeviceType)
        certificate = None
        if not fields.at_end():
            certificate = fields.element("other_device_certificate")
        fields.end()
        return cls(method, device_id, device_type, certificate)

    def to_node(self) -> DerNode:
        parts = (integer(self.join_method_and_role), device_id_node(self.other_device_id),
                 integer(self.other_device_type))
        if self.other_device_certificate is not None:
            parts += (self.other_device_certificate,)
        return sequence(*parts)

    def certificate_info(self) -> CertificateInfo | None:
        if self.other_device_certificate is None:
            return None
        return certificate_info(self.other_device_certificate)


@value_type
class JoinResponse(PayloadView):
    """Outcome of a join command (CS03A1/A2/B/C)."""

    ROOT: ClassVar[int] = INTEGER

    response_code: JoinResponseCode | int

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> JoinResponse:
        return cls(read_enum(reader, "join_response", JoinResponseCode))

    def to_node(self) -> DerNode:
        return integer(self.response_code)


@value_type
class UnjoinCommand(PayloadView):
    """CS04AC/CS04B: remove ``other_device_id`` from the recipient's device log."""

    ROOT: ClassVar[int] = OCTET_STRING

    other_device_id: bytes

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> UnjoinCommand:
        return cls(reader.octets("other_device_id", DEVICE_ID_SIZE))

    def to_node(self) -> DerNode:
        return device_id_node(self.other_device_id, "other device id")


@value_type
class UnjoinResponse(PayloadView):
    """Outcome of an unjoin command (CS04AC/CS04B)."""

    ROOT: ClassVar[int] = INTEGER

    response_code: UnjoinResponseCode | int

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> UnjoinResponse:
        return cls(read_enum(reader, "unjoin_response", UnjoinResponseCode))

    def to_node(self) -> DerNode:
        return integer(self.response_code)


# =====================================================================================
# CS07 read device join details
# =====================================================================================


@value_type
class ReadDeviceJoinDetailsResponse(PayloadView):
    """The device log of the responding device; ``device_log`` is None when absent (a
    failed read), which is not the same bytes as an empty log."""

    ROOT: ClassVar[int] = SEQUENCE

    response_code: ReadResponseCode | int
    device_log: tuple[DeviceLogEntry, ...] | None = None

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ReadDeviceJoinDetailsResponse:
        fields = reader.sequence("read_device_join_details_response")
        code = read_enum(fields, "response_code", ReadResponseCode)
        entries = None
        if not fields.at_end():
            entries = fields.sequence_of("device_log", read_device_log_entry)
        fields.end()
        return cls(code, entries)

    def to_node(self) -> DerNode:
        if self.device_log is None:
            return sequence(integer(self.response_code))
        return sequence(integer(self.response_code), device_log_node(self.device_log))


# =====================================================================================
# GCS59 restore / GCS62 backup of the GPF device log
# =====================================================================================


@value_type
class RestoreDeviceLogCommand(PayloadView):
    """GCS59: entries to write back into the GPF device log."""

    ROOT: ClassVar[int] = SEQUENCE

    entries: tuple[DeviceLogEntry, ...]

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> RestoreDeviceLogCommand:
        fields = reader.sequence("restore_device_log_command")
        entries = fields.sequence_of("entries", read_device_log_entry)
        fields.end()
        return cls(entries)

    def to_node(self) -> DerNode:
        return sequence(device_log_node(self.entries))


@value_type
class RestoreOutcome:
    """One restored device log entry and the join outcome for it."""

    entry: DeviceLogEntry
    join_response_code: JoinResponseCode | int

    @classmethod
    def read(cls, fields: PayloadReader) -> RestoreOutcome:
        entry = DeviceLogEntry.read(fields.sequence("entry"))
        outcome = cls(entry, read_enum(fields, "join_response_code", JoinResponseCode))
        fields.end()
        return outcome

    def to_node(self) -> DerNode:
        return sequence(self.entry.to_node(), integer(self.join_response_code))


@value_type
class RestoreDeviceLogResponse(PayloadView):
    """GCS59 response: the outcome for each entry written back."""

    ROOT: ClassVar[int] = SEQUENCE

    outcomes: tuple[RestoreOutcome, ...]

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> RestoreDeviceLogResponse:
        fields = reader.sequence("restore_device_log_response")
        outcomes = fields.sequence_of("outcomes", items_of(RestoreOutcome.read))
        fields.end()
        return cls(outcomes)

    def to_node(self) -> DerNode:
        return sequence(sequence(*(outcome.to_node() for outcome in self.outcomes)))


@value_type
class DeviceLogBackupAlert(PayloadView):
    """GCS62 (alert 0x8071): the GPF device log after it changed."""

    ROOT: ClassVar[int] = SEQUENCE

    alert_code: Asn1AlertCode | int
    backup_time: datetime
    entries: tuple[DeviceLogEntry, ...]

    @classmethod
    def of(cls, entries: tuple[DeviceLogEntry, ...], backup_time: datetime
           ) -> DeviceLogBackupAlert:
        return cls(Asn1AlertCode.GPF_DEVICE_LOG_CHANGED, backup_time, tuple(entries))

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> DeviceLogBackupAlert:
        fields = reader.sequence("device_log_backup_alert")
        code = read_enum(fields, "alert_code", Asn1AlertCode)
        backup_time = fields.time("backup_time")
        entries = fields.sequence_of("entries", read_device_log_entry)
        fields.end()
        return cls(code, backup_time, entries)

    def to_node(self) -> DerNode:
        return sequence(integer(self.alert_code), generalized_time(self.backup_time),
                        device_log_node(self.entries))
