"""MACs, signatures and encrypted parts of real RTDS messages (primer §7.9)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gbcs.crypto import (
    CRA_ENCRYPTION,
    compute_mac,
    decrypt_part,
    encrypt_part,
    sign,
    verify,
    verify_mac,
)
from gbcs.errors import CryptoError
from tests.rtds import all_messages
from tests.test_crypto_wire import WireMessage, mac_key, read_length, rtds, rtds_keystore

MAC_PROTECTED = [
    "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND",
    "4.1.1_ECS17b/ECS17b_4.1.1_TWIN_SUCCESS_COMMAND",
    "4.1.1_ECS17b/ECS17b_4.1.1_ERROR_COMMAND",
    "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE",
    "4.1.1_ECS17b/ECS17b_4.1.1_TWIN_SUCCESS_RESPONSE",
    "4.1.1_ECS17b/ECS17b_4.1.1_ERROR_RESPONSE",
    "8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND",
    "8.11_CCS01/CCS01_8.11_SUCCESS_RESPONSE",
    "8.11_CCS02/CCS02_8.11_SUCCESS_COMMAND",
    "8.11_CCS02/CCS02_8.11_SUCCESS_RESPONSE",
    "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND",
    "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE",
    "1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_COMMAND",
    "8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_COMMAND",
    "NA_CS14/CS14_NA_8F12_ALERT",
    "6.28_DBCH04/DBCH04_6.28_NA_SUCCESS_ALERT_DBCH09",
]

SIGNED = [
    "1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_COMMAND",
    "1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_RESPONSE",
    "8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_COMMAND",
    "8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_RESPONSE",
    "NA_CS02aSignature/CS02aSignature_NA_ERROR_COMMAND",
    "11.3_CS06/CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT",
    "1.1.1_GCS01a/GCS01a_1.1.1_8F66_FUTURE_DATED_BLOCK_SUCCESS_ALERT_PUBLISH_BLOCK_THRESHOLDS",
]


def flip_bit(data: bytes, index: int, bit: int = 0) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 1 << bit
    return bytes(changed)


def mac_ok(wire: WireMessage) -> bool:
    return verify_mac(mac_key(rtds_keystore(), wire), wire.originator, wire.invocation_counter,
                      wire.apdu, wire.mac)


def signature_ok(wire: WireMessage) -> bool:
    return verify(rtds_keystore().ds_public(wire.originator), wire.signed_part, wire.signature)


def encryption_key(wire: WireMessage) -> bytes:
    """Primer §7.1: the supplementary remote party's fields win when present."""
    party = wire.supplementary_remote_party or wire.recipient
    counter = wire.supplementary_originator_counter
    return rtds_keystore().key_for(
        party, wire.originator, originator=wire.originator, cra=CRA_ENCRYPTION,
        counter=wire.counter if counter is None else counter, recipient=party)


def dlms_protected_octet_string(content: bytes) -> bytes:
    """The value of the DLMS octet string that holds ``31 00000000 ‖ ciphertext ‖ tag``."""
    start = content.index(b"\x31\x00\x00\x00\x00")
    for header in (start - 2, start - 3):
        if content[header] == 0x09:
            length, position = read_length(content, header + 1)
            if position == start:
                return content[start:start + length]
    raise AssertionError("no protected octet string")


@pytest.mark.parametrize("name", MAC_PROTECTED)
def test_mac_of_rtds_message_is_reproduced(name: str) -> None:
    wire = rtds(name)
    key = mac_key(rtds_keystore(), wire)
    assert compute_mac(key, wire.originator, wire.invocation_counter, wire.apdu) == wire.mac
    assert mac_ok(wire)


@pytest.mark.parametrize("name", SIGNED)
def test_signature_of_rtds_message_verifies(name: str) -> None:
    wire = rtds(name)
    assert len(wire.signature) == 64
    assert signature_ok(wire)


def test_one_flipped_content_bit_fails_the_mac() -> None:
    wire = rtds("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND")
    at = wire.content_offset + len(wire.content) // 2
    assert not mac_ok(replace(wire, apdu=flip_bit(wire.apdu, at)))
    assert not mac_ok(replace(wire, mac=flip_bit(wire.mac, 11, 7)))
    assert not mac_ok(replace(wire, invocation_counter=1))


def test_one_flipped_bit_fails_the_signature() -> None:
    wire = rtds("1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_COMMAND")
    assert not signature_ok(replace(wire, signed_part=flip_bit(wire.signed_part, 40, 3)))
    assert not signature_ok(replace(wire, signature=flip_bit(wire.signature, 63)))
    assert not signature_ok(replace(wire, signature=flip_bit(wire.signature, 0, 7)))


def test_precommand_signed_by_the_supplier_becomes_a_valid_command() -> None:
    precommand = rtds("8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_PRECOMMAND")
    command = rtds("8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_COMMAND")
    assert precommand.signature is None
    assert command.apdu == precommand.apdu + b"\x40" + command.signature
    store = rtds_keystore()
    supplier = precommand.originator
    # The RTDS signature is over PRECOMMAND[1:], and our own signature (randomised) is too.
    assert verify(store.ds_public(supplier), precommand.apdu[1:], command.signature)
    ours = sign(store.ds_private(supplier), precommand.apdu[1:])
    assert verify(store.ds_public(supplier), precommand.apdu[1:], ours)
    # The ACB then MACs the signed APDU: same key and MAC as the RTDS command.
    key = mac_key(store, command)
    assert compute_mac(key, supplier, 0, precommand.apdu + b"\x40" + command.signature) == (
        command.mac)


def test_ecs17b_response_protected_part_decrypts_and_re_encrypts() -> None:
    wire = rtds("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE")
    key = encryption_key(wire)
    assert key.hex().upper() == "12CB821C471EC2144C68E12A5657F9FD"  # primer §7.2 row 4
    protected = dlms_protected_octet_string(wire.content)
    plaintext = decrypt_part(key, wire.originator, protected)
    assert plaintext[0] in (0x01, 0x02)  # A-XDR array or structure
    assert encrypt_part(key, wire.originator, plaintext) == protected
    with pytest.raises(CryptoError):
        decrypt_part(key, wire.originator, flip_bit(protected, 10))


def test_gcs13a_gbz_component_decrypts_to_the_primer_attributes() -> None:
    wire = rtds("4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE")
    length = int.from_bytes(wire.content[13:15], "big")
    protected = wire.content[15:15 + length]
    plaintext = decrypt_part(encryption_key(wire), wire.originator, protected)
    assert plaintext.hex().upper() == (
        "0203" "00" "22" "E80300" "0103" "00" "22" "010000" "0003" "00" "30" "01"
        "0000" "00" "25" "393000000000")


def test_urp_response_is_encrypted_for_the_supplementary_remote_party() -> None:
    wire = rtds("4.14_ECS21b/ECS21b_4.14_URP_SUCCESS_RESPONSE")
    assert wire.recipient != wire.supplementary_remote_party
    assert wire.supplementary_originator_counter is not None
    protected = dlms_protected_octet_string(wire.content)
    assert decrypt_part(encryption_key(wire), wire.originator, protected)
    assert mac_ok(wire)


def _device_to_device(name: str) -> bool:
    return "PCS01" in name or "PCS02" in name


def test_every_rtds_mac_and_signature_verifies() -> None:
    """The whole set, as in primer §7.9 (PCS01/PCS02 need device private keys)."""
    macs = signatures = 0
    failures = []
    for item in all_messages():
        wire = rtds(item.name)
        if wire.mac is not None and not _device_to_device(item.name):
            macs += 1
            if not mac_ok(wire):
                failures.append(f"MAC {item.name}")
        if wire.signature:
            signatures += 1
            if not signature_ok(wire):
                failures.append(f"signature {item.name}")
    assert failures == []
    assert (macs, signatures) == (414 + 249 + 11, 168 + 171 + 73)
