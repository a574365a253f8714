"""Key agreement and key derivation (primer §7.2).

Every GBCS symmetric key comes from a static-static ECDH on P-256 followed by the
single-step (concatenation) KDF of NIST SP 800-56A with SHA-256, truncated to an
AES-128 key. The 33-byte OtherInfo binds the key to one message: the originator and
recipient system titles, the CRA flag (or 4 for payload encryption) and the counter.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash

from gbcs.errors import CryptoError

ALGORITHM_ID = bytes.fromhex("60857406080300")
"""The fixed 7-byte AlgorithmID that opens every OtherInfo."""

SYSTEM_TITLE_SIZE = 8
SHARED_SECRET_SIZE = 32
KEY_SIZE = 16
OTHER_INFO_SIZE = 33

CRA_COMMAND = 1
CRA_RESPONSE = 2
CRA_ALERT = 3
CRA_ENCRYPTION = 4
"""KDF purpose byte for sensitive-payload encryption keys (never a wire CRA flag)."""


def check_system_title(system_title: bytes, what: str = "system title") -> bytes:
    """``system_title`` as bytes if it is exactly 8 bytes long, else :class:`ValueError`."""
    if not isinstance(system_title, bytes | bytearray | memoryview):
        raise TypeError(f"{what} must be 8 bytes, not {type(system_title).__name__}")
    system_title = bytes(system_title)
    if len(system_title) != SYSTEM_TITLE_SIZE:
        raise ValueError(f"{what} must be 8 bytes, got {len(system_title)}")
    return system_title


def ecdh_shared_secret(
    private_key: ec.EllipticCurvePrivateKey, public_key: ec.EllipticCurvePublicKey
) -> bytes:
    """Z: the 32-byte x-coordinate of the static-static ECDH on P-256."""
    for key in (private_key, public_key):
        if not isinstance(key.curve, ec.SECP256R1):
            raise CryptoError(f"GBCS keys are P-256, not {key.curve.name}")
    try:
        return private_key.exchange(ec.ECDH(), public_key)
    except ValueError as error:
        raise CryptoError(f"ECDH failed: {error}") from None


def other_info(originator: bytes, cra: int, counter: int, recipient: bytes) -> bytes:
    """The 33-byte OtherInfo: AlgorithmID ‖ orig ST ‖ 09 ‖ CRA ‖ counter(8) ‖ recip ST."""
    if not 0 <= cra <= 0xFF:
        raise ValueError(f"CRA flag must be one byte, got {cra}")
    if not 0 <= counter < 1 << 64:
        raise ValueError(f"counter must fit 64 bits, got {counter}")
    return (
        ALGORITHM_ID
        + check_system_title(originator, "originator system title")
        + bytes((9, cra))
        + counter.to_bytes(8, "big")
        + check_system_title(recipient, "recipient system title")
    )


def derive_key(
    shared_secret: bytes, originator: bytes, cra: int, counter: int, recipient: bytes
) -> bytes:
    """The 16-byte AES key: first half of SHA-256(00000001 ‖ Z ‖ OtherInfo)."""
    if len(shared_secret) != SHARED_SECRET_SIZE:
        raise ValueError(f"shared secret must be 32 bytes, got {len(shared_secret)}")
    kdf = ConcatKDFHash(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        otherinfo=other_info(originator, cra, counter, recipient),
    )
    return kdf.derive(shared_secret)
