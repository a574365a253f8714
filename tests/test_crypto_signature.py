"""Raw r‖s ECDSA P-256/SHA-256 signatures (primer §7.4)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given
from hypothesis import strategies as st

from gbcs.crypto import der_to_raw, generate_key_pair, raw_to_der, sign, verify
from gbcs.errors import CryptoError
from tests.test_crypto_wire import rtds

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
KEY = generate_key_pair()
DATA = b"\x09\x01" + bytes(range(60))


def test_sign_then_verify() -> None:
    signature = sign(KEY, DATA)
    assert len(signature) == 64
    assert verify(KEY.public_key(), DATA, signature)
    assert not verify(KEY.public_key(), DATA + b"\x00", signature)
    assert not verify(generate_key_pair().public_key(), DATA, signature)


def test_raw_signature_interoperates_with_der_signatures() -> None:
    der = KEY.sign(DATA, ec.ECDSA(hashes.SHA256()))
    raw = der_to_raw(der)
    assert verify(KEY.public_key(), DATA, raw)
    assert raw_to_der(raw) == der


def test_rtds_signature_round_trips_through_der() -> None:
    raw = rtds("1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_COMMAND").signature
    assert der_to_raw(raw_to_der(raw)) == raw


@given(st.integers(1, P256_ORDER - 1), st.integers(1, P256_ORDER - 1))
def test_raw_der_round_trip(r: int, s: int) -> None:
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert der_to_raw(raw_to_der(raw)) == raw


@pytest.mark.parametrize("signature", [
    b"",
    bytes(63),
    bytes(65),
    bytes(64),  # r = s = 0
    P256_ORDER.to_bytes(32, "big") + (1).to_bytes(32, "big"),  # r = n
    b"\xff" * 64,
])
def test_verify_returns_false_for_malformed_signatures(signature: bytes) -> None:
    assert verify(KEY.public_key(), DATA, signature) is False


def test_conversion_errors_are_crypto_errors() -> None:
    with pytest.raises(CryptoError):
        raw_to_der(bytes(63))
    with pytest.raises(CryptoError):
        der_to_raw(b"\x30\x03\x02\x01")
    with pytest.raises(CryptoError):
        der_to_raw(raw_to_der(b"\xff" * 64)[:-1])


def test_only_p256_keys_are_accepted() -> None:
    other = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(CryptoError):
        sign(other, DATA)
    with pytest.raises(CryptoError):
        verify(other.public_key(), DATA, bytes(64))
