"""ECDSA P-256 / SHA-256 signatures in the raw ``r ‖ s`` form GBCS carries (primer §7.4).

What is signed is the General-Signing APDU from the byte after the ``DF`` tag through
the last content byte; cutting that out is the framing codec's job, these functions
take the signed bytes as they are.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from gbcs.errors import CryptoError

SIGNATURE_SIZE = 64
SCALAR_SIZE = 32
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())


def _check_p256(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> None:
    if not isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        raise CryptoError(f"expected an elliptic-curve key, got {type(key).__name__}")
    if not isinstance(key.curve, ec.SECP256R1):
        raise CryptoError(f"GBCS keys are P-256, not {key.curve.name}")


def der_to_raw(der_signature: bytes) -> bytes:
    """A DER ``ECDSA-Sig-Value`` as 64 raw bytes ``r ‖ s``."""
    try:
        r, s = decode_dss_signature(der_signature)
        return r.to_bytes(SCALAR_SIZE, "big") + s.to_bytes(SCALAR_SIZE, "big")
    except (ValueError, OverflowError) as error:
        raise CryptoError(f"not a P-256 DER signature: {error}") from None


def raw_to_der(raw_signature: bytes) -> bytes:
    """64 raw bytes ``r ‖ s`` as a DER ``ECDSA-Sig-Value``."""
    if len(raw_signature) != SIGNATURE_SIZE:
        raise CryptoError(f"raw signature must be 64 bytes, got {len(raw_signature)}")
    r = int.from_bytes(raw_signature[:SCALAR_SIZE], "big")
    s = int.from_bytes(raw_signature[SCALAR_SIZE:], "big")
    return encode_dss_signature(r, s)


def sign(private_key: ec.EllipticCurvePrivateKey, signed_bytes: bytes) -> bytes:
    """The 64-byte raw signature of ``signed_bytes`` (randomised ECDSA)."""
    _check_p256(private_key)
    return der_to_raw(private_key.sign(bytes(signed_bytes), _ECDSA_SHA256))


def verify(
    public_key: ec.EllipticCurvePublicKey, signed_bytes: bytes, raw_signature: bytes
) -> bool:
    """Whether ``raw_signature`` signs ``signed_bytes``; any malformed signature is False."""
    _check_p256(public_key)
    if len(raw_signature) != SIGNATURE_SIZE:
        return False
    try:
        public_key.verify(raw_to_der(raw_signature), bytes(signed_bytes), _ECDSA_SHA256)
    except (InvalidSignature, ValueError):
        return False
    return True
