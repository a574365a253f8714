"""Reading the PEM files of a key store: certificates, public keys and private keys.

Keys are read with ``cryptography.hazmat.primitives.serialization``. Certificates are
kept as their DER until the certificate itself is asked for: verifying needs only the
subject public key (and, in :mod:`gbcs.secure`, the subject OU), which
:mod:`gbcs.asn1.certificate_fields` finds by walking element headers. Importing
``cryptography.x509`` alone costs about an eighth of a whole ``gbcs verify`` run over
the RTDS, which needs no more than that from its 26 certificates.
"""

from __future__ import annotations

import binascii
import re
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gbcs.asn1.certificate_fields import subject_public_key_info
from gbcs.errors import CryptoError, DecodeError

if TYPE_CHECKING:
    from cryptography import x509

_BASE64 = re.compile(rb"[A-Za-z0-9+/=\s]*")


# =====================================================================================
# P-256 keys
# =====================================================================================


def check_p256(key: object, origin: str) -> None:
    if not isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        raise CryptoError(f"{origin}: not an elliptic-curve key ({type(key).__name__})")
    if not isinstance(key.curve, ec.SECP256R1):
        raise CryptoError(f"{origin}: GBCS keys are P-256, not {key.curve.name}")


def p256_public_key(key: object, origin: str) -> ec.EllipticCurvePublicKey:
    check_p256(key, origin)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise CryptoError(f"{origin}: expected a public key")
    return key


def p256_private_key(key: object, origin: str) -> ec.EllipticCurvePrivateKey:
    check_p256(key, origin)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CryptoError(f"{origin}: expected a private key")
    return key


def public_point(key: ec.EllipticCurvePublicKey) -> bytes:
    """The uncompressed point ``04 ‖ x ‖ y`` (X9.62) of a P-256 public key."""
    return key.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.UncompressedPoint)


# =====================================================================================
# Files
# =====================================================================================


class CertificateFile:
    """A certificate read from a file but not yet parsed by ``cryptography.x509``: its
    public key is read from the DER's subjectPublicKeyInfo; the certificate itself is
    parsed when first asked for."""

    __slots__ = ("der", "public_key")

    def __init__(self, der: bytes, origin: str) -> None:
        self.der = der
        try:
            key = serialization.load_der_public_key(subject_public_key_info(der))
        except (DecodeError, ValueError) as error:
            raise CryptoError(f"{origin}: not a certificate with a public key: {error}"
                              ) from None
        self.public_key = p256_public_key(key, origin)

    def parse(self, origin: str) -> x509.Certificate:
        from cryptography import x509

        try:
            return x509.load_der_x509_certificate(self.der)
        except ValueError as error:
            raise CryptoError(f"cannot read certificate {origin}: {error}") from None


if TYPE_CHECKING:
    PublicSource = x509.Certificate | ec.EllipticCurvePublicKey | CertificateFile


def _pem_certificate(data: bytes) -> bytes | None:
    """The DER of the first CERTIFICATE block; None if it is unterminated or malformed."""
    start = data.find(b"-----BEGIN CERTIFICATE-----")
    if start < 0:
        return None
    start += len(b"-----BEGIN CERTIFICATE-----")
    end = data.find(b"-----END CERTIFICATE-----", start)
    if end < 0 or not _BASE64.fullmatch(data, start, end):
        return None
    return binascii.a2b_base64(data[start:end])


def read_public_file(path: str) -> PublicSource:
    """A ``.pem`` file: a certificate (left unparsed) or a bare P-256 public key."""
    try:
        data = Path(path).read_bytes()
        if b"-----BEGIN CERTIFICATE-----" in data:
            der = _pem_certificate(data)
            if der is None:
                raise ValueError("unterminated or malformed PEM certificate")
            return CertificateFile(der, path)
        return p256_public_key(serialization.load_pem_public_key(data), path)
    except (OSError, ValueError, TypeError, DecodeError) as error:
        raise CryptoError(f"cannot read certificate or public key {path}: {error}") from None


def read_private_file(path: str) -> ec.EllipticCurvePrivateKey:
    """A ``.key`` file: an unencrypted P-256 private key (PKCS#8 or SEC1 PEM)."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise CryptoError(f"cannot read private key {path}: {error}") from None
    return p256_private_key(key, path)
