"""Security credentials on a device: CS02a/CS02f provide security credential details,
CS02c issue security credentials, CS02d update device certificate and CS02e provide
device certificate (primer §8.3). CS02b/CS02g are in ``payloads_update_credentials``.

Certificates and certification requests are carried as their DER trees
(:class:`DerNode`); ``certificate_info()`` / ``request_info()`` read them with the
``cryptography`` library when needed.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, ClassVar

from gbcs.asn1.der import DerNode, decode_der, encode_der, with_wide_lengths
from gbcs.asn1.der_builders import (
    SEQUENCE_TAG,
    enumerated,
    integer,
    named_bits,
    octet_string,
    sequence,
)
from gbcs.asn1.payload_reader import (
    ENUMERATED,
    INTEGER,
    SEQUENCE,
    PayloadReader,
    PayloadView,
    certificate_info,
    items_of,
    read_enum,
)
from gbcs.asn1.payloads_common import (
    CellUsage,
    KeyUsage,
    RemotePartyRole,
    TrustAnchorCellIdentifier,
)
from gbcs.errors import EncodeError
from gbcs.value_type import value_type

if TYPE_CHECKING:
    from gbcs.asn1.certificates import CertificateInfo, CertificationRequestInfo


class StatusCode(enum.IntEnum):
    """ENUMERATED status of a remote party's credentials or of a replacement."""

    SUCCESS = 0
    BAD_CERTIFICATE = 5
    NO_TRUST_ANCHOR = 10
    INSUFFICIENT_MEMORY = 17
    TRUST_ANCHOR_NOT_FOUND = 25
    RESOURCES_BUSY = 30
    OTHER = 127


class IssueSecurityCredentialsError(enum.IntEnum):
    INVALID_KEY_USAGE = 1
    KEY_PAIR_GENERATION_FAILED = 2
    CERTIFICATION_REQUEST_PRODUCTION_FAILED = 3


class UpdateDeviceCertificateResponseCode(enum.IntEnum):
    SUCCESS = 0
    INVALID_CERTIFICATE = 1
    WRONG_DEVICE_IDENTITY = 2
    INVALID_KEY_USAGE = 3
    NO_CORRESPONDING_KEY_PAIR = 4
    WRONG_PUBLIC_KEY = 5
    CERTIFICATE_STORAGE_FAILED = 6
    PRIVATE_KEY_CHANGE_FAILED = 7


class ProvideDeviceCertificateError(enum.IntEnum):
    INVALID_KEY_USAGE = 1
    NO_CERTIFICATE_HELD = 2
    CERTIFICATE_RETRIEVAL_FAILURE = 3


def certificate_node(der: bytes) -> DerNode:
    """The DER tree of a certificate (or certification request) to embed in a payload;
    DecodeError if ``der`` is not DER at all."""
    node = decode_der(der, path="certificate")
    if node.tag != SEQUENCE_TAG:
        raise EncodeError(f"a certificate is a SEQUENCE, not {node.tag}")
    return node


# =====================================================================================
# CS02a / CS02f provide security credential details
# =====================================================================================


def _read_role(reader: PayloadReader, index: int) -> RemotePartyRole | int:
    return read_enum(reader, index, RemotePartyRole)


@value_type
class ProvideSecurityCredentialDetailsCommand(PayloadView):
    """Which remote parties' trust anchor details the device should return."""

    ROOT: ClassVar[int] = SEQUENCE

    authorising_cell: TrustAnchorCellIdentifier
    requested_roles: tuple[RemotePartyRole | int, ...]

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ProvideSecurityCredentialDetailsCommand:
        fields = reader.sequence("provide_security_credential_details_command")
        cell = TrustAnchorCellIdentifier.read(fields.sequence("authorising_cell"))
        roles = fields.sequence_of("requested_roles", _read_role)
        fields.end()
        return cls(cell, roles)

    def to_node(self) -> DerNode:
        return sequence(self.authorising_cell.to_node(),
                        sequence(*(integer(role) for role in self.requested_roles)))


@value_type
class TrustAnchorCellContents:
    """What the device holds in one trust anchor cell. ``cell_usage`` None: absent on the
    wire (management, the DEFAULT)."""

    key_usage: KeyUsage
    subject_unique_id: bytes
    subject_key_id: bytes
    cell_usage: CellUsage | int | None = None

    @classmethod
    def read(cls, fields: PayloadReader) -> TrustAnchorCellContents:
        usage = KeyUsage(fields.named_bits("key_usage"))
        cell_usage = None
        if fields.has(INTEGER):
            cell_usage = read_enum(fields, "cell_usage", CellUsage)
        contents = cls(usage, fields.octets("subject_unique_id"),
                       fields.octets("subject_key_id"), cell_usage)
        fields.end()
        return contents

    def to_node(self) -> DerNode:
        parts = (named_bits(self.key_usage),)
        if self.cell_usage is not None:
            parts += (integer(self.cell_usage),)
        return sequence(*parts, octet_string(self.subject_unique_id),
                        octet_string(self.subject_key_id))


@value_type
class RemotePartyDetails:
    """One requested role: its status and, when known, the sequence number and cells."""

    remote_party_role: RemotePartyRole | int
    status: StatusCode | int
    current_seq_number: int | None = None
    cells: tuple[TrustAnchorCellContents, ...] | None = None

    @classmethod
    def read(cls, fields: PayloadReader) -> RemotePartyDetails:
        role = read_enum(fields, "remote_party_role", RemotePartyRole)
        status = read_enum(fields, "status", StatusCode, ENUMERATED)
        seq_number = fields.integer("current_seq_number") if fields.has(INTEGER) else None
        cells = None
        if fields.has(SEQUENCE):
            cells = fields.sequence_of("cells", items_of(TrustAnchorCellContents.read))
        fields.end()
        return cls(role, status, seq_number, cells)

    def to_node(self) -> DerNode:
        parts = (integer(self.remote_party_role), enumerated(self.status))
        if self.current_seq_number is not None:
            parts += (integer(self.current_seq_number),)
        if self.cells is not None:
            parts += (sequence(*(cell.to_node() for cell in self.cells)),)
        return sequence(*parts)


@value_type
class ProvideSecurityCredentialDetailsResponse(PayloadView):
    """``wide_lengths``: lengths of 128-255 take two octets (``82 00 xx``), as RTDS
    devices send them."""

    ROOT: ClassVar[int] = SEQUENCE
    WIDE_LENGTHS_ALLOWED: ClassVar[bool] = True

    details: tuple[RemotePartyDetails, ...]
    wide_lengths: bool = False

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ProvideSecurityCredentialDetailsResponse:
        details = reader.sequence_of("provide_security_credential_details_response",
                                     items_of(RemotePartyDetails.read))
        return cls(details, reader.wide_lengths)

    def to_node(self) -> DerNode:
        tree = sequence(*(detail.to_node() for detail in self.details))
        return with_wide_lengths(tree) if self.wide_lengths else tree


# =====================================================================================
# CS02c issue security credentials
# =====================================================================================


@value_type
class IssueSecurityCredentialsCommand(PayloadView):
    """Generate a new key pair for ``key_usage`` and return a certification request."""

    ROOT: ClassVar[int] = SEQUENCE

    key_usage: KeyUsage

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> IssueSecurityCredentialsCommand:
        fields = reader.sequence("issue_security_credentials_command")
        command = cls(KeyUsage(fields.named_bits("key_usage")))
        fields.end()
        return command

    def to_node(self) -> DerNode:
        return sequence(named_bits(self.key_usage))


@value_type
class CertificationRequestResponse(PayloadView):
    """CS02c success: a PKCS#10 certification request for the new key pair."""

    ROOT: ClassVar[int] = SEQUENCE

    request: DerNode

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> CertificationRequestResponse:
        return cls(reader.element("certification_request"))

    def to_node(self) -> DerNode:
        return self.request

    def request_info(self) -> CertificationRequestInfo:
        from gbcs.asn1.certificates import parse_certification_request

        return parse_certification_request(encode_der(self.request))


@value_type
class IssueSecurityCredentialsFailure(PayloadView):
    """CS02c failure: why no certification request was generated."""

    ROOT: ClassVar[int] = INTEGER

    response_code: IssueSecurityCredentialsError | int

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> IssueSecurityCredentialsFailure:
        return cls(read_enum(reader, "issue_security_credentials_failure",
                             IssueSecurityCredentialsError))

    def to_node(self) -> DerNode:
        return integer(self.response_code)


# =====================================================================================
# CS02d update device certificate / CS02e provide device certificate
# =====================================================================================


@value_type
class UpdateDeviceCertificateCommand(PayloadView):
    """CS02d: the new device certificate."""

    ROOT: ClassVar[int] = SEQUENCE

    certificate: DerNode

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> UpdateDeviceCertificateCommand:
        return cls(reader.element("certificate"))

    def to_node(self) -> DerNode:
        return self.certificate

    def certificate_info(self) -> CertificateInfo:
        return certificate_info(self.certificate)


@value_type
class UpdateDeviceCertificateResponse(PayloadView):
    """CS02d outcome: whether the new device certificate was placed."""

    ROOT: ClassVar[int] = INTEGER

    response_code: UpdateDeviceCertificateResponseCode | int

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> UpdateDeviceCertificateResponse:
        return cls(read_enum(reader, "update_device_certificate_response",
                             UpdateDeviceCertificateResponseCode))

    def to_node(self) -> DerNode:
        return integer(self.response_code)


@value_type
class ProvideDeviceCertificateCommand(PayloadView):
    """CS02e: return the device certificate for ``key_usage``."""

    ROOT: ClassVar[int] = SEQUENCE

    key_usage: KeyUsage

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ProvideDeviceCertificateCommand:
        fields = reader.sequence("provide_device_certificate_command")
        command = cls(KeyUsage(fields.named_bits("key_usage")))
        fields.end()
        return command

    def to_node(self) -> DerNode:
        return sequence(named_bits(self.key_usage))


@value_type
class DeviceCertificateResponse(PayloadView):
    """CS02e success: the device certificate."""

    ROOT: ClassVar[int] = SEQUENCE

    certificate: DerNode

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> DeviceCertificateResponse:
        return cls(reader.element("certificate"))

    def to_node(self) -> DerNode:
        return self.certificate

    def certificate_info(self) -> CertificateInfo:
        return certificate_info(self.certificate)


@value_type
class ProvideDeviceCertificateFailure(PayloadView):
    """CS02e failure: why no device certificate was returned."""

    ROOT: ClassVar[int] = INTEGER

    response_code: ProvideDeviceCertificateError | int

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> ProvideDeviceCertificateFailure:
        return cls(read_enum(reader, "provide_device_certificate_failure",
                             ProvideDeviceCertificateError))

    def to_node(self) -> DerNode:
        return integer(self.response_code)
