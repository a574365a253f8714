"""CS02b / CS02g Update Security Credentials: the command (message codes 0x0100-0x0109,
0x0125, 0x0126), its response and the future-dated outcome alerts 0x00CB / 0x0124
(primer §8.3)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from gbcs.asn1.der import DerNode, TagClass, der_tag, with_wide_lengths
from gbcs.asn1.der_builders import (
    constructed,
    enumerated,
    generalized_time,
    implicit,
    integer,
    null,
    octet_string,
    sequence,
)
from gbcs.asn1.payload_reader import (
    ENUMERATED,
    GENERALIZED_TIME,
    SEQUENCE,
    PayloadReader,
    PayloadView,
    certificate_info,
    items_of,
    read_enum,
)
from gbcs.asn1.payloads_common import (
    Asn1AlertCode,
    RemotePartyRole,
    TrustAnchorCellIdentifier,
)
from gbcs.asn1.payloads_credentials import StatusCode
from gbcs.value_type import value_type

if TYPE_CHECKING:
    from gbcs.asn1.certificates import CertificateInfo


class CredentialsReplacementMode(enum.IntEnum):
    """Who replaces whose trust anchors; CS02b message code = 0x0100 + mode for 0-9."""

    ROOT_BY_SUPPLIER = 0
    ROOT_BY_WAN_PROVIDER = 1
    SUPPLIER_BY_SUPPLIER = 2
    NETWORK_OPERATOR_BY_NETWORK_OPERATOR = 3
    ACCESS_CONTROL_BROKER_BY_ACB = 4
    WAN_PROVIDER_BY_WAN_PROVIDER = 5
    TRANSCOS_BY_TRANSCOS = 6
    SUPPLIER_BY_TRANSCOS = 7
    ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY = 8
    ANY_BY_CONTINGENCY = 9
    LOAD_CONTROLLER_BY_LOAD_CONTROLLER = 10  # CS02g 0x0125, seen in RTDS
    LOAD_CONTROLLER_BY_SUPPLIER = 11  # CS02g 0x0126, by analogy (no RTDS sample)


class SeqNumberUsage(enum.IntEnum):
    PREPAYMENT_TOP_UP = 0


class TimeBasedCpvChecks(enum.IntEnum):
    APPLY = 0
    DISAPPLY = 1


# Identifier octets of the IMPLICIT-tagged fields of AuthorisingRemotePartyControl.
_KEY, _CPV_CHECKS, _CELL, _SEQ_NUMBER = 0x80, 0x81, 0xA2, 0x83
_FLOOR_SEQ_NUMBER, _SPECIALIST_FLOORS, _OTHER_CHANGES = 0x84, 0xA5, 0xA6
_CELL_TAG = der_tag(TagClass.CONTEXT, 2, True)
_SPECIALIST_FLOORS_TAG = der_tag(TagClass.CONTEXT, 5, True)
_OTHER_CHANGES_TAG = der_tag(TagClass.CONTEXT, 6, True)


# =====================================================================================
# Sequence numbers
# =====================================================================================


@value_type
class SpecialistSeqNumber:
    """A floor sequence number for one specialist use (``usage``)."""

    usage: SeqNumberUsage | int
    seq_number: int

    @classmethod
    def read(cls, fields: PayloadReader) -> SpecialistSeqNumber:
        number = cls(read_enum(fields, "usage", SeqNumberUsage), fields.integer("seq_number"))
        fields.end()
        return number

    def to_node(self) -> DerNode:
        return sequence(integer(self.usage), integer(self.seq_number))


_read_specialist_number = items_of(SpecialistSeqNumber.read)


@value_type
class RemotePartySeqNumberChange:
    """New floor sequence numbers for the remote party ``remote_party_role``."""

    remote_party_role: RemotePartyRole | int
    floor_seq_number: int
    specialist_floor_seq_numbers: tuple[SpecialistSeqNumber, ...] | None = None

    @classmethod
    def read(cls, fields: PayloadReader) -> RemotePartySeqNumberChange:
        role = read_enum(fields, "remote_party_role", RemotePartyRole)
        floor = fields.integer("floor_seq_number")
        specialist = None
        if not fields.at_end():
            specialist = fields.sequence_of("specialist_floor_seq_numbers",
                                            _read_specialist_number)
        fields.end()
        return cls(role, floor, specialist)

    def to_node(self) -> DerNode:
        parts = (integer(self.remote_party_role), integer(self.floor_seq_number))
        if self.specialist_floor_seq_numbers is not None:
            parts += (sequence(*(number.to_node()
                                 for number in self.specialist_floor_seq_numbers)),)
        return sequence(*parts)


_read_seq_number_change = items_of(RemotePartySeqNumberChange.read)


# =====================================================================================
# Command
# =====================================================================================


def _read_certificate(reader: PayloadReader, index: int) -> DerNode:
    return reader.element(index)


@value_type
class AuthorisingRemotePartyControl:
    """How the authorising remote party controls a trust anchor update."""

    replacement_mode: CredentialsReplacementMode | int
    seq_number: int
    plaintext_symmetric_key: bytes | None = None
    time_based_cpv_checks: TimeBasedCpvChecks | int | None = None
    authorising_cell: TrustAnchorCellIdentifier | None = None
    new_floor_seq_number: int | None = None
    new_specialist_floor_seq_numbers: tuple[SpecialistSeqNumber, ...] | None = None
    other_seq_number_changes: tuple[RemotePartySeqNumberChange, ...] | None = None

    @classmethod
    def read(cls, fields: PayloadReader) -> AuthorisingRemotePartyControl:
        mode = read_enum(fields, "replacement_mode", CredentialsReplacementMode)
        key = None
        if fields.has(_KEY):
            key = fields.octets("plaintext_symmetric_key", identifier=_KEY)
        checks = None
        if fields.has(_CPV_CHECKS):
            checks = read_enum(fields, "time_based_cpv_checks", TimeBasedCpvChecks,
                               _CPV_CHECKS)
        cell = None
        if fields.has(_CELL):
            cell = TrustAnchorCellIdentifier.read(fields.sequence("authorising_cell", _CELL))
        seq_number = fields.integer("seq_number", _SEQ_NUMBER)
        floor = None
        if fields.has(_FLOOR_SEQ_NUMBER):
            floor = fields.integer("new_floor_seq_number", _FLOOR_SEQ_NUMBER)
        specialist = None
        if fields.has(_SPECIALIST_FLOORS):
            specialist = fields.sequence_of("new_specialist_floor_seq_numbers",
                                            _read_specialist_number, _SPECIALIST_FLOORS)
        changes = None
        if fields.has(_OTHER_CHANGES):
            changes = fields.sequence_of("other_seq_number_changes", _read_seq_number_change,
                                         _OTHER_CHANGES)
        fields.end()
        return cls(mode, seq_number, key, checks, cell, floor, specialist, changes)

    def to_node(self) -> DerNode:
        parts = [integer(self.replacement_mode)]
        if self.plaintext_symmetric_key is not None:
            parts.append(implicit(0, octet_string(self.plaintext_symmetric_key)))
        if self.time_based_cpv_checks is not None:
            parts.append(implicit(1, integer(self.time_based_cpv_checks)))
        if self.authorising_cell is not None:
            parts.append(constructed(_CELL_TAG, *self.authorising_cell.components()))
        parts.append(implicit(3, integer(self.seq_number)))
        if self.new_floor_seq_number is not None:
            parts.append(implicit(4, integer(self.new_floor_seq_number)))
        if self.new_specialist_floor_seq_numbers is not None:
            parts.append(constructed(_SPECIALIST_FLOORS_TAG, *(
                number.to_node() for number in self.new_specialist_floor_seq_numbers)))
        if self.other_seq_number_changes is not None:
            parts.append(constructed(_OTHER_CHANGES_TAG, *(
                change.to_node() for change in self.other_seq_number_changes)))
        return sequence(*parts)


@value_type
class TrustAnchorReplacement:
    """A new trust anchor certificate and the cell it goes into."""

    certificate: DerNode
    target_cell: TrustAnchorCellIdentifier

    @classmethod
    def read(cls, fields: PayloadReader) -> TrustAnchorReplacement:
        certificate = fields.element("certificate")
        replacement = cls(certificate,
                          TrustAnchorCellIdentifier.read(fields.sequence("target_cell")))
        fields.end()
        return replacement

    def to_node(self) -> DerNode:
        return sequence(self.certificate, self.target_cell.to_node())

    def certificate_info(self) -> CertificateInfo:
        return certificate_info(self.certificate)


@value_type
class UpdateSecurityCredentialsCommand(PayloadView):
    """Replace trust anchors, now or at ``execution_time``; ``certification_path`` holds
    the certificates needed to validate the replacements."""

    ROOT: ClassVar[int] = SEQUENCE

    control: AuthorisingRemotePartyControl
    replacements: tuple[TrustAnchorReplacement, ...]
    certification_path: tuple[DerNode, ...]
    execution_time: datetime | None = None

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> UpdateSecurityCredentialsCommand:
        fields = reader.sequence("update_security_credentials_command")
        control = AuthorisingRemotePartyControl.read(fields.sequence("control"))
        replacements = fields.sequence_of("replacements", items_of(TrustAnchorReplacement.read))
        certificates = fields.sequence_of("certification_path", _read_certificate)
        execution_time = None
        if fields.has(GENERALIZED_TIME):
            execution_time = fields.time("execution_time")
        fields.end()
        return cls(control, replacements, certificates, execution_time)

    def to_node(self) -> DerNode:
        parts = (self.control.to_node(),
                 sequence(*(replacement.to_node() for replacement in self.replacements)),
                 sequence(*self.certification_path))
        if self.execution_time is not None:
            parts += (generalized_time(self.execution_time),)
        return sequence(*parts)


# =====================================================================================
# Response and alert
# =====================================================================================


@value_type
class ReplacementOutcome:
    """What happened to one trust anchor cell: status, old and new anchors."""

    affected_cell: TrustAnchorCellIdentifier
    status: StatusCode | int
    existing_subject_unique_id: bytes
    existing_subject_key_id: bytes
    replacing_subject_unique_id: bytes
    replacing_subject_key_id: bytes

    @classmethod
    def read(cls, fields: PayloadReader) -> ReplacementOutcome:
        outcome = cls(
            TrustAnchorCellIdentifier.read(fields.sequence("affected_cell")),
            read_enum(fields, "status", StatusCode, ENUMERATED),
            fields.octets("existing_subject_unique_id"),
            fields.octets("existing_subject_key_id"),
            fields.octets("replacing_subject_unique_id"),
            fields.octets("replacing_subject_key_id"),
        )
        fields.end()
        return outcome

    def to_node(self) -> DerNode:
        return sequence(
            self.affected_cell.to_node(), enumerated(self.status),
            octet_string(self.existing_subject_unique_id),
            octet_string(self.existing_subject_key_id),
            octet_string(self.replacing_subject_unique_id),
            octet_string(self.replacing_subject_key_id))


@value_type
class UpdateSecurityCredentialsOutcome:
    """The outcome of a trust anchor update as a device reports it."""

    authorising_seq_number: int
    replacement_mode: CredentialsReplacementMode | int
    seq_number_changes: tuple[RemotePartySeqNumberChange, ...]
    replacement_outcomes: tuple[ReplacementOutcome, ...]

    @property
    def succeeded(self) -> bool:
        return all(outcome.status == StatusCode.SUCCESS for outcome in self.replacement_outcomes)

    @classmethod
    def read(cls, fields: PayloadReader) -> UpdateSecurityCredentialsOutcome:
        seq_number = fields.integer("authorising_seq_number")
        mode = read_enum(fields, "replacement_mode", CredentialsReplacementMode)
        changes = fields.sequence_of("seq_number_changes", _read_seq_number_change)
        outcomes = fields.sequence_of("replacement_outcomes",
                                      items_of(ReplacementOutcome.read))
        fields.end()
        return cls(seq_number, mode, changes, outcomes)

    def to_node(self) -> DerNode:
        return sequence(
            integer(self.authorising_seq_number), integer(self.replacement_mode),
            sequence(*(change.to_node() for change in self.seq_number_changes)),
            sequence(*(outcome.to_node() for outcome in self.replacement_outcomes)))


@value_type
class UpdateSecurityCredentialsResponse(PayloadView):
    """NULL (command accepted) followed, unless the command was future-dated, by the
    execution outcome. ``wide_lengths``: lengths of 128-255 take two octets
    (``82 00 xx``), as RTDS devices send them."""

    ROOT: ClassVar[int] = SEQUENCE
    WIDE_LENGTHS_ALLOWED: ClassVar[bool] = True

    outcome: UpdateSecurityCredentialsOutcome | None = None
    wide_lengths: bool = False

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> UpdateSecurityCredentialsResponse:
        fields = reader.sequence("update_security_credentials_response")
        fields.null("command_accepted")
        outcome = None
        if not fields.at_end():
            outcome = UpdateSecurityCredentialsOutcome.read(fields.sequence("outcome"))
        fields.end()
        return cls(outcome, reader.wide_lengths)

    def to_node(self) -> DerNode:
        parts = (null(),) if self.outcome is None else (null(), self.outcome.to_node())
        return with_wide_lengths(sequence(*parts)) if self.wide_lengths else sequence(*parts)


@value_type
class UpdateSecurityCredentialsAlert(PayloadView):
    """0x00CB (CS02b) / 0x0124 (CS02g): outcome of a future-dated update, 8F66 / 8F67.
    ``wide_lengths`` as in :class:`UpdateSecurityCredentialsResponse`."""

    ROOT: ClassVar[int] = SEQUENCE
    WIDE_LENGTHS_ALLOWED: ClassVar[bool] = True

    alert_code: Asn1AlertCode | int
    execution_time: datetime
    outcome: UpdateSecurityCredentialsOutcome
    wide_lengths: bool = False

    @classmethod
    def reporting(cls, outcome: UpdateSecurityCredentialsOutcome, execution_time: datetime,
                  *, wide_lengths: bool = False) -> UpdateSecurityCredentialsAlert:
        code = (Asn1AlertCode.FUTURE_DATED_EXECUTION_SUCCESS if outcome.succeeded
                else Asn1AlertCode.FUTURE_DATED_EXECUTION_FAILURE)
        return cls(code, execution_time, outcome, wide_lengths)

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> UpdateSecurityCredentialsAlert:
        fields = reader.sequence("update_security_credentials_alert")
        code = read_enum(fields, "alert_code", Asn1AlertCode)
        execution_time = fields.time("execution_time")
        outcome = UpdateSecurityCredentialsOutcome.read(fields.sequence("outcome"))
        fields.end()
        return cls(code, execution_time, outcome, reader.wide_lengths)

    def to_node(self) -> DerNode:
        tree = sequence(integer(self.alert_code), generalized_time(self.execution_time),
                        self.outcome.to_node())
        return with_wide_lengths(tree) if self.wide_lengths else tree
