"""Trust anchor cells as the CS02 payloads name them, and the identifiers they report.

A cell on the wire is ``(remotePartyRole, keyUsage BIT STRING, cellUsage DEFAULT
management)``; in the device state it is a (:class:`RemotePartyRole`,
:class:`TrustAnchorKeyUsage`, :class:`CellUsage`) key whose key usage values are the same
bit masks. Cells report the entity id they hold and the subject key identifier of their
certificate.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import serialization

from firmware_emu.state import (
    CellUsage,
    RemotePartyRole,
    TrustAnchorCell,
    TrustAnchorKeyUsage,
)
from gbcs.asn1 import CellUsage as WireCellUsage
from gbcs.asn1 import KeyUsage, TrustAnchorCellIdentifier
from gbcs.asn1 import RemotePartyRole as WireRole
from gbcs.asn1.certificates import CertificateInfo, parse_certificate
from gbcs.errors import DecodeError

CellKey = tuple[RemotePartyRole, TrustAnchorKeyUsage, CellUsage]
ENTITY_ID_SIZE = 8
KEY_ID_SIZE = 8
NO_ENTITY_ID = bytes(ENTITY_ID_SIZE)
"""What a cell without an entity id (the Root) reports as its subject unique id."""


def state_cell_key(identifier: TrustAnchorCellIdentifier) -> CellKey | None:
    """The state key of a wire cell identifier; None if the device can have no such cell."""
    try:
        return (RemotePartyRole(int(identifier.remote_party_role)),
                TrustAnchorKeyUsage(int(identifier.key_usage)),
                CellUsage(int(identifier.effective_cell_usage)))
    except ValueError:
        return None


def wire_cell_identifier(key: CellKey) -> TrustAnchorCellIdentifier:
    """The identifier of a state cell; the management cell usage is left to its DEFAULT."""
    role, usage, cell_usage = key
    return TrustAnchorCellIdentifier(
        WireRole(role), KeyUsage(usage),
        None if cell_usage is CellUsage.MANAGEMENT else WireCellUsage(cell_usage))


def wire_role(role: RemotePartyRole) -> WireRole:
    return WireRole(int(role))


def key_identifier(info: CertificateInfo) -> bytes:
    """The certificate's subject key identifier, or (if it has none) the SMKI-style
    8-byte one: the start of the SHA-256 of the public key point."""
    if info.subject_key_id:
        return info.subject_key_id
    point = info.public_key.public_bytes(serialization.Encoding.X962,
                                         serialization.PublicFormat.UncompressedPoint)
    return hashlib.sha256(point).digest()[:KEY_ID_SIZE]


def certificate_ids(certificate_der: bytes, entity_id: bytes | None = None
                    ) -> tuple[bytes, bytes]:
    """(subject unique id, subject key id) of a certificate; ``entity_id`` overrides the
    one the certificate names."""
    try:
        info = parse_certificate(certificate_der)
    except DecodeError:
        return entity_id or NO_ENTITY_ID, bytes(KEY_ID_SIZE)
    return entity_id or info.entity_id or NO_ENTITY_ID, key_identifier(info)


def cell_ids(cell: TrustAnchorCell | None) -> tuple[bytes, bytes]:
    """(subject unique id, subject key id) a cell reports; zeros for an empty cell."""
    if cell is None:
        return NO_ENTITY_ID, bytes(KEY_ID_SIZE)
    return certificate_ids(cell.certificate_der, cell.subject_eui)
