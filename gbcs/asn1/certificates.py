"""SMKI certificates and certification requests, read with the ``cryptography`` library.

Where GBCS puts the 8-byte entity id (EUI-64) and the remote party role:

* device certificates: empty subject; subjectAltName otherName *hardwareModuleName*
  (RFC 4108, 1.3.6.1.5.5.7.8.4) = SEQUENCE { hwType OID, hwSerialNum OCTET STRING (8) };
* organisation (remote party) certificates: subject x500UniqueIdentifier (2.5.4.45), a
  BIT STRING holding the 8 bytes, and the RemotePartyRole in the subject OU as two hex
  digits (``02`` supplier, ``07`` the issuing authority, ...).
"""

from __future__ import annotations

import warnings
from dataclasses import field
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InternalError, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtensionOID, NameOID

from gbcs.asn1.der import decode_der
from gbcs.asn1.der_node import Universal
from gbcs.asn1.payload_reader import known
from gbcs.asn1.payloads_common import KeyUsage, RemotePartyRole
from gbcs.errors import DecodeError
from gbcs.value_type import value_type

HARDWARE_MODULE_NAME = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.4")
ENTITY_ID_SIZE = 8

# What cryptography raises on certificates it cannot read or does not support.
_UNREADABLE = (ValueError, TypeError, UnsupportedAlgorithm, InternalError,
               CryptographyDeprecationWarning, x509.InvalidVersion, x509.DuplicateExtension,
               x509.UnsupportedGeneralNameType)

_KEY_USAGE_BITS = (
    ("digital_signature", KeyUsage.DIGITAL_SIGNATURE),
    ("content_commitment", KeyUsage.NON_REPUDIATION),
    ("key_encipherment", KeyUsage.KEY_ENCIPHERMENT),
    ("data_encipherment", KeyUsage.DATA_ENCIPHERMENT),
    ("key_agreement", KeyUsage.KEY_AGREEMENT),
    ("key_cert_sign", KeyUsage.KEY_CERT_SIGN),
    ("crl_sign", KeyUsage.CRL_SIGN),
)


@value_type
class CertificateInfo:
    """What GBCS needs from an X.509 certificate. ``entity_id`` is the device's or remote
    party's EUI-64 (None if the certificate names neither)."""

    der: bytes = field(repr=False)
    serial_number: int
    issuer: str
    subject: str
    not_before: datetime
    not_after: datetime
    key_usage: KeyUsage
    entity_id: bytes | None
    remote_party_role: RemotePartyRole | int | None
    public_key: ec.EllipticCurvePublicKey = field(compare=False, repr=False)
    subject_key_id: bytes | None = None
    authority_key_id: bytes | None = None

    @property
    def is_device_certificate(self) -> bool:
        return self.remote_party_role is None and self.entity_id is not None

    @property
    def public_key_bytes(self) -> bytes:
        """The public key as an uncompressed point (``04 || X || Y``)."""
        return self.public_key.public_bytes(serialization.Encoding.X962,
                                            serialization.PublicFormat.UncompressedPoint)


@value_type
class CertificationRequestInfo:
    """A PKCS#10 request as a device sends it in a CS02c response."""

    der: bytes = field(repr=False)
    subject: str
    key_usage: KeyUsage | None
    entity_id: bytes | None
    signature_valid: bool
    public_key: ec.EllipticCurvePublicKey = field(compare=False, repr=False)


def _load_certificate(der: bytes) -> tuple[x509.Certificate, int]:
    # cryptography only warns about a serial number that is not positive (RFC 5280
    # forbids it) and means to reject such certificates later: reject them now.
    with warnings.catch_warnings():
        warnings.simplefilter("error", CryptographyDeprecationWarning)
        certificate = x509.load_der_x509_certificate(der)
        return certificate, certificate.serial_number


def parse_certificate(der: bytes) -> CertificateInfo:
    """``der`` as a certificate; DecodeError if it is not one (or not an EC one)."""
    try:
        certificate, serial_number = _load_certificate(bytes(der))
        public_key = certificate.public_key()
        extensions = certificate.extensions
        info = CertificateInfo(
            der=bytes(der),
            serial_number=serial_number,
            issuer=certificate.issuer.rfc4514_string(),
            subject=certificate.subject.rfc4514_string(),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            key_usage=_key_usage(extensions) or KeyUsage(0),
            entity_id=_hardware_serial(extensions) or _unique_identifier(certificate.subject),
            remote_party_role=_role(certificate.subject),
            public_key=public_key,  # type: ignore[arg-type]
            subject_key_id=_subject_key_id(extensions),
            authority_key_id=_authority_key_id(extensions),
        )
    except _UNREADABLE as error:
        raise DecodeError(f"not a readable X.509 certificate: {error}", 0,
                          "certificate") from None
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise DecodeError("certificate key is not an elliptic-curve key", 0, "certificate")
    return info


def parse_certificate_pem(pem: bytes) -> CertificateInfo:
    try:
        der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    except _UNREADABLE as error:
        raise DecodeError(f"not a PEM certificate: {error}", 0, "certificate") from None
    return parse_certificate(der)


def parse_certification_request(der: bytes) -> CertificationRequestInfo:
    """``der`` as a PKCS#10 certification request; DecodeError if it is not one."""
    try:
        request = x509.load_der_x509_csr(bytes(der))
        public_key = request.public_key()
        extensions = request.extensions
        info = CertificationRequestInfo(
            der=bytes(der),
            subject=request.subject.rfc4514_string(),
            key_usage=_key_usage(extensions),
            entity_id=_hardware_serial(extensions),
            signature_valid=request.is_signature_valid,
            public_key=public_key,  # type: ignore[arg-type]
        )
    except _UNREADABLE as error:
        raise DecodeError(f"not a readable PKCS#10 request: {error}", 0,
                          "certification_request") from None
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise DecodeError("request key is not an elliptic-curve key", 0,
                          "certification_request")
    return info


# =====================================================================================
# Fields
# =====================================================================================


def _extension(extensions: x509.Extensions, oid: x509.ObjectIdentifier):
    try:
        return extensions.get_extension_for_oid(oid).value
    except x509.ExtensionNotFound:
        return None


def _key_usage(extensions: x509.Extensions) -> KeyUsage | None:
    usage = _extension(extensions, ExtensionOID.KEY_USAGE)
    if usage is None:
        return None
    flags = KeyUsage(0)
    for name, flag in _KEY_USAGE_BITS:
        if getattr(usage, name):
            flags |= flag
    if usage.key_agreement:  # only defined then; reading them otherwise raises
        if usage.encipher_only:
            flags |= KeyUsage.ENCIPHER_ONLY
        if usage.decipher_only:
            flags |= KeyUsage.DECIPHER_ONLY
    return flags


def _hardware_serial(extensions: x509.Extensions) -> bytes | None:
    names = _extension(extensions, ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    if names is None:
        return None
    for name in names.get_values_for_type(x509.OtherName):
        if name.type_id != HARDWARE_MODULE_NAME:
            continue
        try:
            module = decode_der(name.value, path="hardware_module_name")
            serial = module.children[1] if len(module.children) == 2 else None
        except DecodeError:
            return None
        if serial is not None and serial.is_universal(Universal.OCTET_STRING):
            return serial.value
    return None


def _unique_identifier(subject: x509.Name) -> bytes | None:
    for attribute in subject.get_attributes_for_oid(NameOID.X500_UNIQUE_IDENTIFIER):
        value = attribute.value
        # cryptography hands over the BIT STRING contents, unused-bits octet first
        if isinstance(value, bytes) and len(value) == ENTITY_ID_SIZE + 1 and value[0] == 0:
            return value[1:]
    return None


def _role(subject: x509.Name) -> RemotePartyRole | int | None:
    for attribute in subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME):
        text = attribute.value
        if isinstance(text, str) and len(text) == 2:
            try:
                return known(RemotePartyRole, int(text, 16))
            except ValueError:
                return None
    return None


def _subject_key_id(extensions: x509.Extensions) -> bytes | None:
    value = _extension(extensions, ExtensionOID.SUBJECT_KEY_IDENTIFIER)
    return None if value is None else value.digest


def _authority_key_id(extensions: x509.Extensions) -> bytes | None:
    value = _extension(extensions, ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    return None if value is None else value.key_identifier
