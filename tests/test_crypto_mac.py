"""GMAC of General-Ciphering messages (primer §7.3)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gbcs.crypto import compute_mac, verify_mac
from gbcs.crypto.mac import gcm_iv, mac_aad
from tests.test_crypto_wire import mac_key, rtds, rtds_keystore

KEY = bytes(range(16))
TITLE = bytes.fromhex("00DB1234567890A0")
APDU = bytes.fromhex("DF0901") + bytes(40)


def test_annotated_ccs02_command_mac() -> None:
    wire = rtds("8.11_CCS02/CCS02_8.11_SUCCESS_COMMAND")
    key = mac_key(rtds_keystore(), wire)
    assert compute_mac(key, wire.originator, 0, wire.apdu).hex().upper() == (
        "49287CECEC3F657F241B16F9")


def test_mac_is_the_truncated_gcm_tag_over_the_documented_aad() -> None:
    aad = b"\x11" + bytes(5) + APDU
    assert mac_aad(APDU) == aad
    tag = AESGCM(KEY).encrypt(TITLE + bytes.fromhex("00000007"), b"", aad)
    assert compute_mac(KEY, TITLE, 7, APDU) == tag[:12]


def test_iv_is_system_title_and_invocation_counter() -> None:
    assert gcm_iv(TITLE, 0x01020304) == TITLE + bytes.fromhex("01020304")
    with pytest.raises(ValueError):
        gcm_iv(TITLE, 1 << 32)
    with pytest.raises(ValueError):
        gcm_iv(TITLE[:7], 0)


def test_verify_mac_rejects_any_change() -> None:
    mac = compute_mac(KEY, TITLE, 0, APDU)
    assert verify_mac(KEY, TITLE, 0, APDU, mac)
    assert not verify_mac(KEY, TITLE, 1, APDU, mac)
    assert not verify_mac(KEY, bytes(8), 0, APDU, mac)
    assert not verify_mac(bytes(16), TITLE, 0, APDU, mac)
    assert not verify_mac(KEY, TITLE, 0, APDU + b"\x00", mac)
    assert not verify_mac(KEY, TITLE, 0, APDU, mac[:11])
    assert not verify_mac(KEY, TITLE, 0, APDU, mac, security_control=0x31)
