"""Reading the PEM files of a key store: certificates, public keys and private keys.

P-256 keys in the usual encodings (certificates, SubjectPublicKeyInfo, PKCS#8 and SEC1
private keys) are read straight from their DER here; anything else goes to
``cryptography.hazmat.primitives.serialization``, which also words the errors.
Importing that module (and ``cryptography.x509``) costs more than a fifth of a whole
``gbcs verify`` run over the RTDS, so the common files do without it.
"""

from __future__ import annotations

import binascii
import re
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric import ec

from gbcs.asn1.certificate_fields import subject_public_key_info
from gbcs.asn1.der import DerNode, TagClass, decode_der
from gbcs.errors import CryptoError, DecodeError

if TYPE_CHECKING:
    from cryptography import x509

_BASE64 = re.compile(rb"[A-Za-z0-9+/=\s]*")
_EC_PUBLIC_KEY = bytes.fromhex("2A8648CE3D0201")
"""Contents of the OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1)."""
_PRIME256V1 = bytes.fromhex("2A8648CE3D030107")
"""Contents of the OBJECT IDENTIFIER prime256v1 (1.2.840.10045.3.1.7), i.e. P-256."""
_SCALAR_SIZE = 32
_P256_SPKI_PREFIX = bytes.fromhex("3059301306072A8648CE3D020106082A8648CE3D030107034200")
"""Every P-256 SubjectPublicKeyInfo with an uncompressed point starts so (then ``04 x y``)."""


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
    numbers = key.public_numbers()
    return b"\x04" + numbers.x.to_bytes(_SCALAR_SIZE, "big") + numbers.y.to_bytes(
        _SCALAR_SIZE, "big")


# =====================================================================================
# DER readers for the common encodings (None: not one of them, let cryptography read it)
# =====================================================================================


def _children(node: DerNode, count: int) -> tuple[DerNode, ...] | None:
    children = node.children
    return children if node.tag.constructed and len(children) >= count else None


def _is_p256_algorithm(node: DerNode) -> bool:
    """An AlgorithmIdentifier ``{ id-ecPublicKey, prime256v1 }``."""
    fields = _children(node, 2)
    return fields is not None and len(fields) == 2 and (
        _is_oid(fields[0], _EC_PUBLIC_KEY) and _is_oid(fields[1], _PRIME256V1))


def _is_oid(node: DerNode, contents: bytes) -> bool:
    return _universal(node, 6) and node.value == contents


def _universal(node: DerNode, number: int) -> bool:
    return node.tag.tag_class is TagClass.UNIVERSAL and node.tag.number == number


def _point_of_bit_string(node: DerNode) -> bytes | None:
    raw = node.value
    if not _universal(node, 3) or not raw or raw[0] != 0:
        return None
    return raw[1:]


def _public_key_from_spki(der: bytes) -> ec.EllipticCurvePublicKey | None:
    if len(der) == len(_P256_SPKI_PREFIX) + 65 and der.startswith(_P256_SPKI_PREFIX):
        return ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), der[len(_P256_SPKI_PREFIX):])
    fields = _children(decode_der(der, path="subjectPublicKeyInfo"), 2)
    if fields is None or len(fields) != 2 or not _is_p256_algorithm(fields[0]):
        return None
    point = _point_of_bit_string(fields[1])
    if point is None:
        return None
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def _private_key_from_sec1(node: DerNode, *, curve_known: bool,
                           ) -> ec.EllipticCurvePrivateKey | None:
    """``ECPrivateKey ::= SEQUENCE { 1, privateKey, [0] parameters OPTIONAL,
    [1] publicKey OPTIONAL }`` (RFC 5915)."""
    fields = _children(node, 2)
    if (fields is None or not _universal(fields[0], 2) or fields[0].value != b"\x01"
            or not _universal(fields[1], 4)):
        return None
    scalar, point = fields[1].value or b"", None
    for extra in fields[2:]:
        if extra.tag.tag_class is not TagClass.CONTEXT or extra.tag.number not in (0, 1):
            return None
        inner = _children(extra, 1)
        if inner is None:
            return None
        if extra.tag.number == 0:
            if not _is_oid(inner[0], _PRIME256V1):
                return None
            curve_known = True
        else:
            point = _point_of_bit_string(inner[0])
    if not curve_known or len(scalar) != _SCALAR_SIZE:
        return None
    key = ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
    if point is not None and point != public_point(key.public_key()):
        raise ValueError("the public key in the file does not match its private key")
    return key


def _private_key_from_pkcs8(der: bytes) -> ec.EllipticCurvePrivateKey | None:
    """``PrivateKeyInfo ::= SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING }``."""
    fields = _children(decode_der(der, path="privateKeyInfo"), 3)
    if (fields is None or len(fields) != 3 or not _universal(fields[0], 2)
            or fields[0].value != b"\x00" or not _is_p256_algorithm(fields[1])
            or not _universal(fields[2], 4)):
        return None
    inner = decode_der(fields[2].value or b"", path="privateKeyInfo.privateKey")
    return _private_key_from_sec1(inner, curve_known=True)


# =====================================================================================
# Files
# =====================================================================================


class CertificateFile:
    """A certificate read from a file but not yet parsed by ``cryptography.x509``:
    verifying needs only its public key, read straight from the DER; the certificate
    itself is parsed when first asked for."""

    __slots__ = ("der", "public_key")

    def __init__(self, der: bytes, origin: str) -> None:
        self.der = der
        try:
            info = subject_public_key_info(der)
            key = _public_key_from_spki(info) or _load("load_der_public_key", info)
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


def _load(loader: str, *args: object) -> object:
    from cryptography.hazmat.primitives import serialization

    if loader == "load_pem_private_key":
        return serialization.load_pem_private_key(*args, password=None)  # type: ignore[arg-type]
    return getattr(serialization, loader)(*args)


def _pem_block(data: bytes, label: bytes) -> bytes | None:
    """The DER of the first ``label`` block; None if there is none or it is malformed."""
    begin = data.find(b"-----BEGIN " + label + b"-----")
    if begin < 0:
        return None
    start = begin + len(label) + 16
    end = data.find(b"-----END " + label + b"-----", start)
    if end < 0 or not _BASE64.fullmatch(data, start, end):
        return None
    return binascii.a2b_base64(data[start:end])


def read_public_file(path: str) -> PublicSource:
    """A ``.pem`` file: a certificate (left unparsed) or a bare P-256 public key."""
    try:
        data = Path(path).read_bytes()
        if b"-----BEGIN CERTIFICATE-----" in data:
            der = _pem_block(data, b"CERTIFICATE")
            if der is None:
                raise ValueError("unterminated or malformed PEM certificate")
            return CertificateFile(der, path)
        der = _pem_block(data, b"PUBLIC KEY")
        key = (_public_key_from_spki(der) if der is not None else None) or _load(
            "load_pem_public_key", data)
        return p256_public_key(key, path)
    except (OSError, ValueError, TypeError, DecodeError) as error:
        raise CryptoError(f"cannot read certificate or public key {path}: {error}") from None


def read_private_file(path: str) -> ec.EllipticCurvePrivateKey:
    """A ``.key`` file: an unencrypted P-256 private key (PKCS#8 or SEC1 PEM)."""
    try:
        data = Path(path).read_bytes()
        key = None
        if (der := _pem_block(data, b"PRIVATE KEY")) is not None:
            key = _private_key_from_pkcs8(der)
        elif (der := _pem_block(data, b"EC PRIVATE KEY")) is not None:
            key = _private_key_from_sec1(decode_der(der), curve_known=False)
        if key is None:
            key = _load("load_pem_private_key", data)
    except (OSError, ValueError, TypeError, DecodeError) as error:
        raise CryptoError(f"cannot read private key {path}: {error}") from None
    return p256_private_key(key, path)

