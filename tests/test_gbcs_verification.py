"""Message-level verification: every RTDS message checks out, and any single flipped bit
in a MAC'd or signed message is caught (undecodable, or a check fails)."""

import pytest

from gbcs.crypto import KeyStore
from gbcs.errors import DecodeError
from gbcs.message import decode_message
from gbcs.secure import CheckStatus, apply_mac, apply_signature, verify_message
from tests.rtds import all_messages, keystore_dir, message

FLIP_SAMPLES = [
    "8.11_CCS02/CCS02_8.11_SUCCESS_COMMAND",  # ACB-originated DLMS command
    "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE",  # GBZ, encrypted part
    "NA_CS14/CS14_NA_8F12_ALERT",  # non-critical DLMS alert
    "8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_COMMAND",  # signed and MAC'd
    "8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_RESPONSE",  # device-signed DF
]


@pytest.fixture(scope="module")
def keys():
    return KeyStore.load(keystore_dir())


def test_every_rtds_message_verifies(keys):
    unverifiable = []
    for rtds in all_messages():
        report = verify_message(decode_message(rtds.data), keys)
        assert report.valid, (rtds.name, report)
        if any(c.status is CheckStatus.UNVERIFIABLE for c in report.checks):
            unverifiable.append(rtds.use_case_folder)
    assert set(unverifiable) == {"NA_PCS01", "NA_PCS02"}


@pytest.mark.parametrize("name", FLIP_SAMPLES)
def test_any_single_flipped_bit_fails(keys, name):
    original = message(name).data
    assert verify_message(decode_message(original), keys).valid
    for bit in range(len(original) * 8):
        tampered = bytearray(original)
        tampered[bit // 8] ^= 0x80 >> (bit % 8)
        try:
            report = verify_message(decode_message(bytes(tampered)), keys)
        except DecodeError:
            continue
        assert not report.valid, f"bit {bit} of {name} flipped still verifies"


def test_protecting_a_precommand_reproduces_the_rtds_command(keys):
    precommand = decode_message(message(FLIP_SAMPLES[3].replace("_COMMAND",
                                                                "_PRECOMMAND")).data)
    signed = apply_signature(precommand, keys)
    assert verify_message(signed, keys).valid
    wrapped = apply_mac(signed, keys)
    command = decode_message(message(FLIP_SAMPLES[3]).data)
    # ECDSA signatures are randomised: compare everything but the signature and MAC.
    assert wrapped.to_bytes()[:len(command.wire) - 76] == command.wire[:-76]
    assert verify_message(decode_message(wrapped.to_bytes()), keys).valid
