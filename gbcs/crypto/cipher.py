"""Encryption of sensitive payload parts (primer §7.7), security control 0x31.

A protected part is ``31 ‖ invocation counter (4) ‖ ciphertext ‖ tag (12)``:
AES-128-GCM with IV = originator system title (the device) ‖ invocation counter and
the single byte ``31`` as AAD. The key is derived with CRA byte 4 (see
:func:`gbcs.crypto.kdf.derive_key`).
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gbcs.crypto.kdf import KEY_SIZE
from gbcs.crypto.mac import gcm_iv
from gbcs.errors import CryptoError

SECURITY_CONTROL_ENCRYPTED = 0x31
"""Security suite 1, authentication and encryption."""
SECURITY_HEADER_SIZE = 5
TAG_SIZE = 12
_AAD = bytes((SECURITY_CONTROL_ENCRYPTED,))


def _check_key(key: bytes) -> None:
    if len(key) != KEY_SIZE:
        raise CryptoError(f"AES-128 key must be 16 bytes, got {len(key)}")


def encrypt_part(
    key: bytes, originator_system_title: bytes, plaintext: bytes, invocation_counter: int = 0
) -> bytes:
    """``31 ‖ invocation counter ‖ ciphertext ‖ 12-byte tag`` for ``plaintext``."""
    _check_key(key)
    iv = gcm_iv(originator_system_title, invocation_counter)
    sealed = AESGCM(key).encrypt(iv, bytes(plaintext), _AAD)
    # GCM tags truncate by prefix: drop the last 4 of the 16 tag bytes.
    return _AAD + iv[8:] + sealed[: len(sealed) - (16 - TAG_SIZE)]


def decrypt_part(key: bytes, originator_system_title: bytes, ciphered: bytes) -> bytes:
    """The plaintext of a protected part; :class:`CryptoError` if malformed or forged."""
    _check_key(key)
    ciphered = bytes(ciphered)
    if len(ciphered) < SECURITY_HEADER_SIZE + TAG_SIZE:
        raise CryptoError(f"protected part too short: {len(ciphered)} bytes")
    if ciphered[0] != SECURITY_CONTROL_ENCRYPTED:
        raise CryptoError(f"unexpected security control 0x{ciphered[0]:02X}, expected 0x31")
    invocation_counter = int.from_bytes(ciphered[1:SECURITY_HEADER_SIZE], "big")
    iv = gcm_iv(originator_system_title, invocation_counter)
    body, tag = ciphered[SECURITY_HEADER_SIZE:-TAG_SIZE], ciphered[-TAG_SIZE:]
    # AESGCM only checks full 16-byte tags, so a 12-byte tag needs the streaming API.
    decryptor = Cipher(
        algorithms.AES(key), modes.GCM(iv, tag, min_tag_length=TAG_SIZE)
    ).decryptor()
    decryptor.authenticate_additional_data(_AAD)
    plaintext = decryptor.update(body)
    try:
        return plaintext + decryptor.finalize()
    except InvalidTag:
        raise CryptoError("protected part failed authentication (wrong key or altered)") from None
