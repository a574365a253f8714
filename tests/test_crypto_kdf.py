"""ECDH and the single-step KDF: the four known-answer rows of primer §7.2."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes

from gbcs.crypto import derive_key, ecdh_shared_secret, generate_key_pair, other_info
from gbcs.crypto.kdf import ALGORITHM_ID
from tests.test_crypto_wire import rtds_keystore

ACB = bytes.fromhex("90B3D51F30000002")
SUPPLIER = bytes.fromhex("90B3D51F30010000")
ESME = bytes.fromhex("00DB1234567890A0")

KNOWN_ANSWERS = [
    (ACB, SUPPLIER, 1, 0x0000000100000000, ESME, "6A93E360717394015DF93E031218C9A6"),
    (SUPPLIER, ESME, 2, 0x0000000100000000, SUPPLIER, "03FD30815577C49EB7E3834B63EF8302"),
    (SUPPLIER, ESME, 3, 0x00000000000007D1, SUPPLIER, "558FB1FA6660AF0D9E8365C47804B8FA"),
    (SUPPLIER, ESME, 4, 0x00000000000003E8, SUPPLIER, "12CB821C471EC2144C68E12A5657F9FD"),
]


@pytest.mark.parametrize(("private_side", "originator", "cra", "counter", "recipient", "key"),
                         KNOWN_ANSWERS)
def test_primer_known_answers(private_side: bytes, originator: bytes, cra: int, counter: int,
                              recipient: bytes, key: str) -> None:
    store = rtds_keystore()
    shared = ecdh_shared_secret(store.ka_private(private_side), store.ka_public(ESME))
    assert len(shared) == 32
    assert derive_key(shared, originator, cra, counter, recipient).hex().upper() == key


def test_other_info_layout() -> None:
    info = other_info(SUPPLIER, 2, 0x0102030405060708, ESME)
    assert len(info) == 33
    assert info == (bytes.fromhex("60857406080300") + SUPPLIER + b"\x09\x02"
                    + bytes.fromhex("0102030405060708") + ESME)
    assert info[:7] == ALGORITHM_ID


def test_derive_key_is_the_first_half_of_sha256_over_counter_z_other_info() -> None:
    shared = bytes(range(32))
    digest = hashes.Hash(hashes.SHA256())
    digest.update(b"\x00\x00\x00\x01" + shared + other_info(ESME, 3, 7, SUPPLIER))
    assert derive_key(shared, ESME, 3, 7, SUPPLIER) == digest.finalize()[:16]


def test_ecdh_is_symmetric() -> None:
    a, b = generate_key_pair(), generate_key_pair()
    assert ecdh_shared_secret(a, b.public_key()) == ecdh_shared_secret(b, a.public_key())


@pytest.mark.parametrize(("shared", "originator", "cra", "counter", "recipient"), [
    (bytes(31), ESME, 1, 0, SUPPLIER),
    (bytes(32), ESME[:7], 1, 0, SUPPLIER),
    (bytes(32), ESME, 1, 0, SUPPLIER + b"\x00"),
    (bytes(32), ESME, 256, 0, SUPPLIER),
    (bytes(32), ESME, 1, 1 << 64, SUPPLIER),
    (bytes(32), ESME, 1, -1, SUPPLIER),
])
def test_derive_key_rejects_malformed_inputs(shared: bytes, originator: bytes, cra: int,
                                             counter: int, recipient: bytes) -> None:
    with pytest.raises(ValueError):
        derive_key(shared, originator, cra, counter, recipient)
