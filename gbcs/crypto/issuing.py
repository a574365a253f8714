"""A test PKI for emulated devices and remote parties, and reading GBCS certificates.

Certificates are shaped like the SMKI ones in the RTDS keystore:

* device: empty subject, the EUI-64 as ``hwSerialNum`` of a ``hwModuleName`` otherName
  in a critical subjectAltName, critical key usage (digitalSignature or keyAgreement),
  critical certificate policy, 8-byte key identifiers, issuer ``CN=<CA name>``;
* remote party: subject ``OU=<role, two digits>, x500UniqueIdentifier=<EUI-64>``.

The issuing CA is generated locally; nothing here is a real SMKI trust anchor.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type  # the only way to build a BIT STRING RDN
from cryptography.x509.oid import NameOID

from gbcs.crypto.kdf import check_system_title
from gbcs.crypto.keystore import KeyUsage
from gbcs.errors import CryptoError
from gbcs.value_type import value_type

HARDWARE_MODULE_NAME_OID = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.4")
"""otherName type of RFC 4108 ``hwModuleName``, which carries a device's EUI-64."""
DEVICE_HW_TYPE_OID = "1.2.826.0.1.8641679.1.2.2.1"
"""``hwType`` used by SMKI device certificates."""
DEVICE_CERTIFICATE_POLICY_OID = x509.ObjectIdentifier("1.2.826.0.1.1800000.1.2.1.4")
REMOTE_PARTY_CERTIFICATE_POLICY_OID = x509.ObjectIdentifier("1.2.826.0.1.8641679.1.2.1.4")
NO_EXPIRY = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
"""Device certificates never expire (GeneralizedTime 99991231235959Z)."""


class RemotePartyRole(IntEnum):
    """The remote-party role carried as the OU of a remote-party certificate."""

    RECOVERY = 1
    SUPPLIER = 2
    NETWORK_OPERATOR = 3
    ACCESS_CONTROL_BROKER = 4
    TRANSITIONAL_CHANGE_OF_SUPPLIER = 5
    WAN_PROVIDER = 6
    ISSUING_AUTHORITY = 7
    LOAD_CONTROLLER = 8


# pyasn1 is imported only when a certificate is issued or an unusual hwModuleName read.
@cache
def _hardware_module_name_type() -> type:
    from pyasn1.type import namedtype, univ

    class HardwareModuleName(univ.Sequence):
        componentType = namedtype.NamedTypes(
            namedtype.NamedType("hwType", univ.ObjectIdentifier()),
            namedtype.NamedType("hwSerialNum", univ.OctetString()),
        )

    return HardwareModuleName


_DEVICE_HARDWARE_MODULE_NAME_PREFIX = bytes.fromhex("3019060d2a863a0001848fb90f010202010408")
"""DER of a device hwModuleName up to its 8-byte hwSerialNum: SEQUENCE { hwType
DEVICE_HW_TYPE_OID, OCTET STRING (8) }."""


@value_type
class CertificateInfo:
    """What GBCS needs from a certificate: whose key it is and what it is for."""

    eui64: bytes
    usage: KeyUsage
    remote_party_role: int | None
    """The OU of a remote-party certificate; ``None`` for a device certificate."""


def generate_key_pair() -> ec.EllipticCurvePrivateKey:
    """A fresh P-256 key pair (the private key object also holds the public key)."""
    return ec.generate_private_key(ec.SECP256R1())


def _key_identifier(public_key: ec.EllipticCurvePublicKey) -> bytes:
    # 8 bytes like the SMKI certificates: the start of the SHA-256 of the key point.
    point = public_key.public_bytes(serialization.Encoding.X962,
                                    serialization.PublicFormat.UncompressedPoint)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(point)
    return digest.finalize()[:8]


def _hardware_module_name(eui64: bytes) -> bytes:
    from pyasn1.codec.der import encoder as der_encoder
    from pyasn1.type import univ

    value = _hardware_module_name_type()()
    value["hwType"] = univ.ObjectIdentifier(DEVICE_HW_TYPE_OID)
    value["hwSerialNum"] = univ.OctetString(eui64)
    return der_encoder.encode(value)


def _eui_from_hardware_module_name(der: bytes) -> bytes:
    if len(der) == len(_DEVICE_HARDWARE_MODULE_NAME_PREFIX) + 8 and der.startswith(
            _DEVICE_HARDWARE_MODULE_NAME_PREFIX):  # what every SMKI device certificate holds
        return bytes(der[-8:])
    from pyasn1.codec.der import decoder as der_decoder
    from pyasn1.error import PyAsn1Error

    try:
        value, rest = der_decoder.decode(der, asn1Spec=_hardware_module_name_type()())
    except PyAsn1Error as error:
        raise CryptoError(f"malformed hwModuleName: {error}") from None
    if rest:
        raise CryptoError("trailing bytes after hwModuleName")
    return bytes(value["hwSerialNum"])


def _x509_key_usage(usage: KeyUsage) -> x509.KeyUsage:
    signing = usage is KeyUsage.DIGITAL_SIGNATURE
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=not signing, key_cert_sign=False,
        crl_sign=False, encipher_only=False, decipher_only=False)


@value_type
class CertificateAuthority:
    """A locally generated issuing CA for emulated devices and test remote parties."""

    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @classmethod
    def generate(cls, common_name: str = "GBCS-EMU-CA", *,
                 not_before: datetime | None = None) -> CertificateAuthority:
        private_key = generate_key_pair()
        # SMKI issuer names are PrintableStrings (cryptography defaults to UTF8String).
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name,
                                             _ASN1Type.PrintableString)])
        start = not_before or datetime.now(UTC) - timedelta(days=1)
        identifier = _key_identifier(private_key.public_key())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(private_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(NO_EXPIRY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier(identifier), critical=False)
            .sign(private_key, hashes.SHA256())
        )
        return cls(private_key, certificate)

    def issue_device_certificate(
        self,
        eui64: bytes,
        public_key: ec.EllipticCurvePublicKey,
        usage: KeyUsage | str,
        *,
        not_before: datetime | None = None,
    ) -> x509.Certificate:
        """A device certificate: empty subject, EUI-64 in subjectAltName hwModuleName."""
        eui64 = check_system_title(eui64, "EUI-64")
        other_name = x509.OtherName(HARDWARE_MODULE_NAME_OID, _hardware_module_name(eui64))
        return self._issue(
            x509.Name([]), public_key, KeyUsage(usage), DEVICE_CERTIFICATE_POLICY_OID,
            not_before, NO_EXPIRY,
            (x509.SubjectAlternativeName([other_name]), True))

    def issue_remote_party_certificate(
        self,
        eui64: bytes,
        public_key: ec.EllipticCurvePublicKey,
        usage: KeyUsage | str,
        role: int,
        *,
        not_before: datetime | None = None,
        not_after: datetime = NO_EXPIRY,
    ) -> x509.Certificate:
        """A remote-party certificate: subject OU = role, x500UniqueIdentifier = EUI-64."""
        eui64 = check_system_title(eui64, "EUI-64")
        if not 0 <= role <= 99:
            raise ValueError(f"remote-party role must be 0..99, got {role}")
        subject = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"{role:02d}"),
            # BIT STRING contents: 00 unused bits, then the EUI-64.
            x509.NameAttribute(NameOID.X500_UNIQUE_IDENTIFIER, b"\x00" + eui64,
                               _ASN1Type.BitString),
        ])
        return self._issue(subject, public_key, KeyUsage(usage),
                           REMOTE_PARTY_CERTIFICATE_POLICY_OID, not_before, not_after, None)

    def _issue(
        self,
        subject: x509.Name,
        public_key: ec.EllipticCurvePublicKey,
        usage: KeyUsage,
        policy: x509.ObjectIdentifier,
        not_before: datetime | None,
        not_after: datetime,
        extra: tuple[x509.ExtensionType, bool] | None,
    ) -> x509.Certificate:
        if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
                public_key.curve, ec.SECP256R1):
            raise CryptoError("GBCS certificates certify P-256 public keys only")
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or self.certificate.not_valid_before_utc)
            .not_valid_after(not_after)
            .add_extension(_x509_key_usage(usage), critical=True)
            .add_extension(x509.SubjectKeyIdentifier(_key_identifier(public_key)),
                           critical=False)
        )
        if extra is not None:
            builder = builder.add_extension(extra[0], critical=extra[1])
        builder = (
            builder
            .add_extension(x509.CertificatePolicies([x509.PolicyInformation(policy, None)]),
                           critical=True)
            .add_extension(x509.AuthorityKeyIdentifier(
                _key_identifier(self.private_key.public_key()), None, None), critical=False)
        )
        return builder.sign(self.private_key, hashes.SHA256())


def certificate_info(certificate: x509.Certificate) -> CertificateInfo:
    """EUI-64, key usage and (for remote parties) role of a GBCS certificate."""
    try:
        key_usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise CryptoError("certificate has no key usage extension") from None
    if key_usage.digital_signature == key_usage.key_agreement:
        raise CryptoError("certificate is for neither or both of signing and key agreement")
    usage = KeyUsage.DIGITAL_SIGNATURE if key_usage.digital_signature else (
        KeyUsage.KEY_AGREEMENT)

    role: int | None = None
    units = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    if units:
        try:
            role = int(str(units[0].value))
        except ValueError:
            raise CryptoError(f"remote-party role {units[0].value!r} is not a number") from None

    unique_ids = certificate.subject.get_attributes_for_oid(NameOID.X500_UNIQUE_IDENTIFIER)
    if unique_ids:
        bits = unique_ids[0].value
        if not isinstance(bits, bytes):
            raise CryptoError("x500UniqueIdentifier is not a BIT STRING")
        if len(bits) != 9 or bits[0] != 0:
            raise CryptoError(f"x500UniqueIdentifier is not an EUI-64: {bits.hex()}")
        return CertificateInfo(bits[1:], usage, role)

    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        raise CryptoError("certificate names no EUI-64 (no x500UniqueIdentifier, "
                          "no subjectAltName)") from None
    for name in names.value.get_values_for_type(x509.OtherName):
        if name.type_id == HARDWARE_MODULE_NAME_OID:
            eui = _eui_from_hardware_module_name(name.value)
            if len(eui) != 8:
                raise CryptoError(f"hwSerialNum is not an EUI-64: {eui.hex()}")
            return CertificateInfo(eui, usage, role)
    raise CryptoError("subjectAltName has no hwModuleName")
