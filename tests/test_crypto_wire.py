"""A tiny, independent reading of the GBCS outer framing (primer §3, §4) for the crypto
tests, so that they do not depend on the framing codec; checked here against every
RTDS message and the counts in the RTDS README.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from gbcs.crypto import KeyStore
from tests.rtds import all_messages, keystore_dir, message

ACB = bytes.fromhex("90B3D51F30000002")


@dataclass(frozen=True)
class WireMessage:
    mac_protected: bool
    invocation_counter: int | None
    apdu: bytes
    mac: bytes | None
    cra: int
    counter: int
    originator: bytes
    recipient: bytes
    other_information: bytes
    content: bytes
    content_offset: int  # within apdu
    signed_part: bytes  # apdu[1:] through the last content byte
    signature: bytes | None  # None: PRECOMMAND (no length byte); b"": length 00

    @property
    def message_code(self) -> int:
        return int.from_bytes(self.other_information[:2], "big")

    @property
    def supplementary_remote_party(self) -> bytes | None:
        return self.other_information[2:10] if len(self.other_information) >= 10 else None

    @property
    def supplementary_originator_counter(self) -> int | None:
        if len(self.other_information) != 26:
            return None
        return int.from_bytes(self.other_information[18:26], "big")


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    return int.from_bytes(data[pos + 1:pos + 1 + size], "big"), pos + 1 + size


def split_message(data: bytes) -> WireMessage:
    mac = invocation_counter = None
    apdu = data
    if data[0] == 0xDD:
        assert data[1:7] == bytes(6)
        length, pos = read_length(data, 7)
        assert len(data) == pos + length
        assert data[pos] == 0x11
        invocation_counter = int.from_bytes(data[pos + 1:pos + 5], "big")
        apdu, mac = data[pos + 5:-12], data[-12:]
    assert apdu[0] == 0xDF and apdu[1] == 0x09
    cra, counter = apdu[2], int.from_bytes(apdu[3:11], "big")
    assert apdu[11] == 8 and apdu[20] == 8
    originator, recipient = apdu[12:20], apdu[21:29]
    pos = 30 + apdu[29]
    other_length, pos = read_length(apdu, pos)
    other_information = apdu[pos:pos + other_length]
    content_length, pos = read_length(apdu, pos + other_length)
    content, end = apdu[pos:pos + content_length], pos + content_length
    signature = None
    if end < len(apdu):
        signature_length, at = read_length(apdu, end)
        signature = apdu[at:at + signature_length]
        assert at + signature_length == len(apdu)
    return WireMessage(data[0] == 0xDD, invocation_counter, apdu, mac, cra, counter,
                       originator, recipient, other_information, content, pos,
                       apdu[1:end], signature)


def rtds(name: str) -> WireMessage:
    return split_message(message(name).data)


@cache
def rtds_keystore() -> KeyStore:
    return KeyStore(keystore_dir())


def mac_key(store: KeyStore, wire: WireMessage) -> bytes:
    """Primer §7.1: commands are MAC'd by the ACB, responses/alerts between device and RP."""
    if wire.cra == 1:
        party_a, party_b = ACB, wire.recipient
    else:
        party_a, party_b = wire.recipient, wire.originator
    return store.key_for(party_a, party_b, originator=wire.originator, cra=wire.cra,
                         counter=wire.counter, recipient=wire.recipient)


def test_every_rtds_message_splits_into_the_readme_counts() -> None:
    shapes: Counter[tuple[str, str, str]] = Counter()
    for item in all_messages():
        wire = split_message(item.data)
        signature = ("none" if wire.signature is None
                     else "sig" if wire.signature else "00")
        shapes[item.kind, "DD" if wire.mac_protected else "DF", signature] += 1
        assert wire.cra == {"PRECOMMAND": 1, "COMMAND": 1, "RESPONSE": 2, "ALERT": 3}[item.kind]
        assert wire.signature is None or len(wire.signature) in (0, 64)
    assert shapes == {
        ("PRECOMMAND", "DF", "none"): 154,
        ("COMMAND", "DD", "00"): 252, ("COMMAND", "DD", "sig"): 164,
        ("COMMAND", "DF", "sig"): 4,
        ("RESPONSE", "DD", "00"): 251, ("RESPONSE", "DF", "sig"): 171,
        ("ALERT", "DD", "00"): 11, ("ALERT", "DF", "sig"): 73,
    }


def test_split_reads_the_annotated_ccs02_command() -> None:
    wire = rtds("8.11_CCS02/CCS02_8.11_SUCCESS_COMMAND")
    assert wire.counter == 0x516 and wire.originator == ACB
    assert wire.recipient == bytes.fromhex("00DB1234567890A2")
    assert wire.message_code == 0x0002
    assert wire.supplementary_remote_party == bytes.fromhex("90B3D51F30010000")
    assert wire.content.hex().upper() == "D920000516000103006800001E0300FF02010908" \
        "00DB1234567890A0"
    assert wire.signature == b"" and wire.mac.hex().upper() == "49287CECEC3F657F241B16F9"
