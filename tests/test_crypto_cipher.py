"""Encryption of sensitive payload parts (primer §7.7)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from gbcs.crypto import decrypt_part, encrypt_part
from gbcs.errors import CryptoError

KEY = bytes(range(16))
TITLE = bytes.fromhex("00DB1234567890A1")


def test_layout_is_security_header_ciphertext_and_short_tag() -> None:
    plaintext = b"sensitive reading"
    ciphered = encrypt_part(KEY, TITLE, plaintext, invocation_counter=5)
    assert ciphered[:5] == bytes.fromhex("3100000005")
    assert len(ciphered) == 5 + len(plaintext) + 12
    sealed = AESGCM(KEY).encrypt(TITLE + bytes.fromhex("00000005"), plaintext, b"\x31")
    assert ciphered[5:] == sealed[:-4]


@given(st.binary(max_size=300), st.integers(0, 2**32 - 1))
def test_round_trip(plaintext: bytes, invocation_counter: int) -> None:
    ciphered = encrypt_part(KEY, TITLE, plaintext, invocation_counter)
    assert decrypt_part(KEY, TITLE, ciphered) == plaintext


def test_invocation_counter_and_originator_feed_the_iv() -> None:
    ciphered = encrypt_part(KEY, TITLE, b"abc", 1)
    assert ciphered[5:] != encrypt_part(KEY, TITLE, b"abc", 2)[5:]
    with pytest.raises(CryptoError):
        decrypt_part(KEY, bytes(8), ciphered)
    with pytest.raises(CryptoError):
        decrypt_part(KEY, TITLE, ciphered[:1] + bytes.fromhex("00000002") + ciphered[5:])


@pytest.mark.parametrize("damage", [
    lambda c: c[:-1] + bytes((c[-1] ^ 1,)),  # tag
    lambda c: c[:6] + bytes((c[6] ^ 0x80,)) + c[7:],  # ciphertext
    lambda c: b"\x30" + c[1:],  # security control
    lambda c: c[:16],  # shorter than header + tag
])
def test_damaged_parts_raise_crypto_error(damage) -> None:
    ciphered = encrypt_part(KEY, TITLE, b"twelve bytes")
    with pytest.raises(CryptoError):
        decrypt_part(KEY, TITLE, damage(ciphered))


def test_wrong_key_raises_crypto_error() -> None:
    with pytest.raises(CryptoError):
        decrypt_part(bytes(16), TITLE, encrypt_part(KEY, TITLE, b"x"))
    with pytest.raises(CryptoError):
        encrypt_part(bytes(15), TITLE, b"x")
