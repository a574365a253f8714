"""UTRN generation, parsing and verification (primer §7.8) against CS01a / CS01b."""

from __future__ import annotations

import pytest

from gbcs.crypto import (
    ValueClass,
    ecdh_shared_secret,
    generate_key_pair,
    generate_utrn,
    parse_utrn,
    utrn_from_shared_secret,
    verify_utrn,
)
from gbcs.crypto.utrn import PPTD_OFFSET, check_digit
from gbcs.errors import DecodeError
from tests.test_crypto_wire import WireMessage, rtds, rtds_keystore

SUPPLIER = bytes.fromhex("90B3D51F30010000")
DEVICE = bytes.fromhex("0123456789ABCDEF")


def utrn_in(wire: WireMessage) -> str:
    """CS01a: DLMS ``09 14`` + 20 digits; CS01b: ZCL Consumer Top Up octet string ``14``."""
    content = wire.content
    if content[0] == 0xD9:
        start = content.rindex(b"\x09\x14") + 2
    else:
        assert content[:2] == b"\x01\x09"
        payload = content[8:]  # profile, count, control, cluster, length
        assert content[3:6] == bytes.fromhex("010705") and payload[2] == 0x04  # top up
        assert payload[4] == 0x14
        start = 8 + 5
    digits = content[start:start + 20].decode("ascii")
    assert start + 20 == len(content)
    return digits


GENUINE = [
    ("2.2_CS01a/CS01a_2.2_SUCCESS_COMMAND", ValueClass.POUNDS, 10),
    ("2.2_CS01a/CS01a_2.2_ERROR_COMMAND", ValueClass.POUNDS, 10),
    ("2.2_CS01b/CS01b_2.2_SUCCESS_COMMAND", ValueClass.PENNIES, 1250),
]


@pytest.mark.parametrize(("name", "value_class", "value"), GENUINE)
def test_rtds_utrn_verifies(name: str, value_class: ValueClass, value: int) -> None:
    wire = rtds(name)
    text = utrn_in(wire)
    utrn = parse_utrn(text)
    assert (utrn.value_class, utrn.value) == (value_class, value)
    # The grouping-header counter is the UTRN counter; its low 32 bits are zero.
    assert wire.counter == utrn.counter_bits << 32
    assert utrn.matches_counter(wire.counter)
    secret = rtds_keystore().shared_secret(wire.originator, wire.recipient, "prepayment")
    assert verify_utrn(utrn, secret, wire.originator, wire.recipient)
    assert verify_utrn(utrn, secret, wire.originator, wire.recipient, wire.counter)
    assert utrn_from_shared_secret(secret, wire.originator, wire.recipient, wire.counter,
                                   value, value_class) == text


def test_rtds_utrn_does_not_verify_with_the_wrong_key_or_counter() -> None:
    wire = rtds("2.2_CS01a/CS01a_2.2_SUCCESS_COMMAND")
    utrn = parse_utrn(utrn_in(wire))
    store = rtds_keystore()
    ordinary_ka = store.shared_secret(wire.originator, wire.recipient, "ka")
    assert not verify_utrn(utrn, ordinary_ka, wire.originator, wire.recipient)
    secret = store.shared_secret(wire.originator, wire.recipient, "prepayment")
    assert not verify_utrn(utrn, secret, wire.originator, wire.recipient,
                           wire.counter + (1 << 32))
    assert not verify_utrn(utrn, secret, wire.originator, wire.recipient,
                           wire.counter + (1 << 42))  # same 10 bits, different counter
    assert not verify_utrn(utrn, secret, wire.originator, bytes.fromhex("00DB1234567890A1"))


def test_cs01b_error_utrn_fails_the_check_digit() -> None:
    text = utrn_in(rtds("2.2_CS01b/CS01b_2.2_ERROR_COMMAND"))
    with pytest.raises(DecodeError, match="check digit"):
        parse_utrn(text)


def test_check_digit_catches_every_single_digit_error_and_adjacent_swap() -> None:
    text = utrn_in(rtds("2.2_CS01b/CS01b_2.2_SUCCESS_COMMAND"))
    for position in range(20):
        for digit in "0123456789":
            if digit != text[position]:
                changed = text[:position] + digit + text[position + 1:]
                assert check_digit(changed[:19]) != changed[19]
    for position in range(18):
        if text[position] != text[position + 1]:
            swapped = (text[:position] + text[position + 1] + text[position]
                       + text[position + 2:])
            assert check_digit(swapped[:19]) != swapped[19]


def test_generated_utrn_round_trips_and_verifies_on_the_device_side() -> None:
    supplier_prepayment, device_ka = generate_key_pair(), generate_key_pair()
    counter = 0x2A5 << 32
    text = generate_utrn(supplier_prepayment, device_ka.public_key(), SUPPLIER, DEVICE,
                         counter, 8191, ValueClass.POUNDS)
    assert len(text) == 20 and text.isdigit()
    utrn = parse_utrn(text)
    assert (utrn.counter_bits, utrn.value_class, utrn.value) == (0x2A5, ValueClass.POUNDS, 8191)
    assert utrn.amount_in_pennies == 819100
    from_device = ecdh_shared_secret(device_ka, supplier_prepayment.public_key())
    assert verify_utrn(utrn, from_device, SUPPLIER, DEVICE)
    assert parse_utrn(text.encode()) == utrn


@pytest.mark.parametrize(("counter", "value", "value_class"), [
    (1, 5, ValueClass.PENNIES),  # low 32 bits not zero
    (1 << 32, 8192, ValueClass.PENNIES),
    (1 << 32, -1, ValueClass.PENNIES),
    (1 << 32, 5, 2),
])
def test_generation_rejects_unencodable_tokens(counter: int, value: int,
                                               value_class: int) -> None:
    with pytest.raises(ValueError):
        utrn_from_shared_secret(bytes(32), SUPPLIER, DEVICE, counter, value, value_class)


def _with_check_digit(pptd: int) -> str:
    return str(pptd) + check_digit(str(pptd))


@pytest.mark.parametrize(("text", "reason"), [
    ("1234567890123456789", "20 decimal digits"),
    ("7395006788710517860x", "20 decimal digits"),
    ("".join(chr(0xFF10 + int(d)) for d in "73950067887105178605"), "20 decimal digits"),
    (_with_check_digit(PPTD_OFFSET - 1), "64-bit PTUT"),
    (_with_check_digit(PPTD_OFFSET + (1 << 25 << 32)), "reserved bits"),
    (_with_check_digit(PPTD_OFFSET + (2 << 13 << 32)), "value class 2"),
])
def test_malformed_utrns_are_decode_errors(text: str, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        parse_utrn(text)
