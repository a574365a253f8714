"""The General-Ciphering MAC (primer §7.3): AES-128-GCM with no plaintext (GMAC).

IV = originator system title of the Grouping Header ‖ invocation counter (4 bytes);
AAD = security control ‖ five zero bytes (the five empty octet strings of the MAC
header) ‖ the whole General-Signing APDU; the tag is truncated to 12 bytes.
"""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gbcs.crypto.kdf import KEY_SIZE, check_system_title

SECURITY_CONTROL_AUTHENTICATED = 0x11
"""Security suite 1, authentication only."""
MAC_SIZE = 12
EMPTY_MAC_HEADER_FIELDS = bytes(5)


def gcm_iv(originator_system_title: bytes, invocation_counter: int) -> bytes:
    """The 12-byte GCM IV: system title ‖ invocation counter (big-endian)."""
    if not 0 <= invocation_counter < 1 << 32:
        raise ValueError(f"invocation counter must fit 32 bits, got {invocation_counter}")
    return check_system_title(originator_system_title) + invocation_counter.to_bytes(4, "big")


def gmac(key: bytes, iv: bytes, aad: bytes) -> bytes:
    """The full 16-byte AES-GCM tag over ``aad`` with an empty plaintext."""
    if len(key) != KEY_SIZE:
        raise ValueError(f"AES-128 key must be 16 bytes, got {len(key)}")
    return AESGCM(key).encrypt(iv, b"", aad)


def mac_aad(
    general_signing_apdu: bytes, security_control: int = SECURITY_CONTROL_AUTHENTICATED
) -> bytes:
    """Security control ‖ 00 00 00 00 00 ‖ the General-Signing APDU."""
    return bytes((security_control,)) + EMPTY_MAC_HEADER_FIELDS + bytes(general_signing_apdu)


def compute_mac(
    key: bytes,
    originator_system_title: bytes,
    invocation_counter: int,
    general_signing_apdu: bytes,
    security_control: int = SECURITY_CONTROL_AUTHENTICATED,
) -> bytes:
    """The 12-byte MAC that follows ``general_signing_apdu`` in a ``DD`` message."""
    iv = gcm_iv(originator_system_title, invocation_counter)
    return gmac(key, iv, mac_aad(general_signing_apdu, security_control))[:MAC_SIZE]


def verify_mac(
    key: bytes,
    originator_system_title: bytes,
    invocation_counter: int,
    general_signing_apdu: bytes,
    mac: bytes,
    security_control: int = SECURITY_CONTROL_AUTHENTICATED,
) -> bool:
    """Whether ``mac`` is the MAC of ``general_signing_apdu`` (constant-time compare)."""
    expected = compute_mac(
        key, originator_system_title, invocation_counter, general_signing_apdu, security_control
    )
    return hmac.compare_digest(expected, bytes(mac))
