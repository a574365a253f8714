"""Encrypted GBZ components: decrypt RTDS ciphertexts and decode the ZCL plaintext.

The decryption here is a small independent implementation of primer §7.2/§7.7 with the
``cryptography`` package, so these tests check the GBZ/ZCL layouts of encrypted payloads
(Publish Snapshot, Read Attributes Response, ...) without depending on gbcs.crypto.
"""

import hashlib
from functools import cache

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gbcs.gbz import (
    AttributeStatus,
    Direction,
    GbzComponent,
    GbzPayload,
    ReadAttributesResponse,
    decode_gbz,
    encode_gbz,
    encode_zcl_payload,
    encrypted_gbz_component,
    gbz_payload,
    zcl_command,
)
from gbcs.gbz.clusters_metering import BlockTierSnapshot, PublishSnapshot
from gbcs.gbz.clusters_prepayment import DebtCreditStatus, PublishPrepaySnapshot
from tests.roundtrip import roundtrip
from tests.rtds import all_messages, content_of, keystore_dir, message

KDF_ALGORITHM_ID = bytes.fromhex("60857406080300")


def _header(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """(originator, recipient, originator counter, other information) read off the wire."""
    pos = 0
    if data[0] == 0xDD:
        pos = 7
        pos += 1 if data[pos] < 0x80 else 1 + (data[pos] & 0x7F)
        pos += 5
    counter = data[pos + 3:pos + 11]
    originator, recipient = data[pos + 12:pos + 20], data[pos + 21:pos + 29]
    pos += 29
    pos += 1 + data[pos]
    return originator, recipient, counter, data[pos + 1:pos + 1 + data[pos]]


@cache
def _shared_secret(private_party: bytes, device: bytes) -> bytes:
    private = serialization.load_pem_private_key(
        (keystore_dir() / f"{private_party.hex()}-ka.key").read_bytes(), None)
    public = x509.load_pem_x509_certificate(
        (keystore_dir() / f"{device.hex()}-ka.pem").read_bytes()).public_key()
    return private.exchange(ec.ECDH(), public)


def _encryption_key(data: bytes) -> tuple[bytes, bytes]:
    originator, recipient, counter, other = _header(data)
    party = other[2:10] if len(other) >= 10 else recipient
    if len(other) == 26:
        counter = other[18:26]
    info = KDF_ALGORITHM_ID + originator + b"\x09\x04" + counter + party
    secret = _shared_secret(party, originator)
    return hashlib.sha256(b"\x00\x00\x00\x01" + secret + info).digest()[:16], originator


def _decrypt(data: bytes, component: GbzComponent) -> bytes:
    key, originator = _encryption_key(data)
    iv = originator + component.encryption.invocation_counter.to_bytes(4, "big")
    decryptor = Cipher(algorithms.AES(key), modes.GCM(iv, component.tag, min_tag_length=12)
                       ).decryptor()
    decryptor.authenticate_additional_data(b"\x31")
    return decryptor.update(component.ciphertext) + decryptor.finalize()


def _encrypted_parts():
    parts = []
    for rtds in all_messages():
        code, content = content_of(rtds.data)
        if content[:2] != b"\x01\x09" or rtds.kind == "ALERT":
            continue
        decoded = decode_gbz(content, alert=False, message_code=code)
        parts += [(rtds, component) for component in decoded.components
                  if component.is_encrypted]
    return parts


ENCRYPTED = _encrypted_parts()


def test_rtds_has_encrypted_gbz_components():
    assert len(ENCRYPTED) == 42


@pytest.mark.parametrize(("rtds", "component"), ENCRYPTED,
                         ids=[f"{m.name}#{c.sequence_number}" for m, c in ENCRYPTED])
def test_rtds_encrypted_plaintext_decodes(rtds, component):
    plaintext = _decrypt(rtds.data, component)
    command = component.zcl_command(plaintext)
    assert not command.is_raw
    assert encode_zcl_payload(command) == plaintext
    assert roundtrip(command.spec.codec, plaintext) == command.body
    assert getattr(command.body, "trailing", b"") == b""
    if isinstance(command.body, PublishSnapshot):
        assert isinstance(command.body.snapshot_payload, BlockTierSnapshot)
    if isinstance(command.body, PublishPrepaySnapshot):
        assert isinstance(command.body.snapshot_payload, DebtCreditStatus)


def test_gcs13a_response_rebuilds_byte_exact_from_fields():
    rtds = message("4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE")
    code, content = content_of(rtds.data)
    (component,) = decode_gbz(content, alert=False, message_code=code).components
    body = component.zcl_command(_decrypt(rtds.data, component)).body
    assert body == ReadAttributesResponse(records=(
        AttributeStatus(0x0302, 0, 0x22, 1000), AttributeStatus(0x0301, 0, 0x22, 1),
        AttributeStatus(0x0300, 0, 0x30, 1), AttributeStatus(0x0000, 0, 0x25, 12345)))

    key, originator = _encryption_key(rtds.data)

    def encrypt(plaintext: bytes) -> bytes:
        return AESGCM(key).encrypt(originator + bytes(4), plaintext, b"\x31")[:-4]

    command = zcl_command(body, cluster_id=0x0702, direction=Direction.SERVER_TO_CLIENT,
                          disable_default_response=True)
    rebuilt = gbz_payload([encrypted_gbz_component(command, 0, encrypt)])
    assert encode_gbz(rebuilt) == content


def test_gcs15b_components_share_key_and_iv():
    rtds = message("4.4.2_GCS15b/GCS15b_4.4.2_SUCCESS_RESPONSE")
    code, content = content_of(rtds.data)
    payload = decode_gbz(content, alert=False, message_code=code)
    assert isinstance(payload, GbzPayload)
    encrypted = [c for c in payload.components if c.is_encrypted]
    assert [c.encryption.frame_counter for c in encrypted] == [0, 1, 2, 3]
    assert {c.encryption.invocation_counter for c in encrypted} == {0}
    names = [c.zcl_command(_decrypt(rtds.data, c)).name for c in encrypted]
    assert sorted(set(names)) == ["Publish Prepay Snapshot", "Publish Snapshot"]
