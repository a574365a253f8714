"""UTRN prepayment top-up tokens (primer §7.8).

A UTRN is 20 decimal digits: the 19-digit PPTD and a Verhoeff-style check digit.
PPTD = PTUT + offset, where the 64-bit PTUT is PTUT_HIGH (7 zero bits, 10 counter bits,
2-bit value class, 13-bit value) followed by PTUT_LOW, the last 4 bytes of a GMAC
keyed by the supplier's prepayment KA key and the device's KA key.
"""

from __future__ import annotations

import hmac
from enum import IntEnum

from cryptography.hazmat.primitives.asymmetric import ec

from gbcs.crypto.kdf import CRA_COMMAND, check_system_title, derive_key, ecdh_shared_secret
from gbcs.crypto.mac import SECURITY_CONTROL_AUTHENTICATED, gcm_iv, gmac, mac_aad
from gbcs.errors import DecodeError
from gbcs.value_type import value_type

UTRN_LENGTH = 20
PPTD_OFFSET = 7394156990786306048
COUNTER_BITS_MASK = 0x3FF
MAX_VALUE = 0x1FFF

# The GBCS variant of the Verhoeff check digit: textbook P and D, a different INV.
_PERMUTATION = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2), (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_MULTIPLICATION = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6), (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4), (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_INVERSE = (1, 2, 6, 7, 5, 8, 3, 0, 9, 4)


class ValueClass(IntEnum):
    PENNIES = 0
    POUNDS = 1


@value_type
class Utrn:
    """A syntactically valid UTRN (right length, check digit and reserved bits)."""

    digits: str
    counter_bits: int
    """The low 10 bits of ``UTRN counter >> 32``: all of the counter the device sees."""
    value_class: ValueClass
    value: int
    authenticator: bytes
    """PTUT_LOW: the 4 GMAC bytes checked by :func:`verify_utrn`."""

    @property
    def ptut_high(self) -> int:
        return ptut_high(self.counter_bits << 32, self.value, self.value_class)

    @property
    def amount_in_pennies(self) -> int:
        return self.value * (100 if self.value_class is ValueClass.POUNDS else 1)

    def matches_counter(self, counter: int) -> bool:
        """Whether ``counter`` is a UTRN counter whose transmitted bits are these."""
        return counter & 0xFFFFFFFF == 0 and (counter >> 32) & COUNTER_BITS_MASK == (
            self.counter_bits)


def check_digit(pptd_digits: str) -> str:
    """The check digit that follows the 19 PPTD digits."""
    check, position = 0, 4
    for digit in pptd_digits:
        check = _MULTIPLICATION[check][_PERMUTATION[position][int(digit)]]
        position = (position + 1) % 8
    return str(_INVERSE[check])


def ptut_high(counter: int, value: int, value_class: ValueClass | int) -> int:
    """The first 32 bits of the PTUT: counter bits, value class and value."""
    if not 0 <= value <= MAX_VALUE:
        raise ValueError(f"UTRN value must be 0..{MAX_VALUE}, got {value}")
    value_class = ValueClass(value_class)
    return (((counter >> 32) & COUNTER_BITS_MASK) << 15) | (value_class << 13) | value


def utrn_authenticator(
    shared_secret: bytes, supplier_system_title: bytes, device_system_title: bytes,
    counter: int, high: int,
) -> bytes:
    """PTUT_LOW: the last 4 bytes of the 16-byte GMAC over the token's fields."""
    supplier = check_system_title(supplier_system_title, "supplier system title")
    device = check_system_title(device_system_title, "device system title")
    key = derive_key(shared_secret, supplier, CRA_COMMAND, counter, device)
    fields = (supplier + device + bytes((CRA_COMMAND,)) + counter.to_bytes(8, "big")
              + high.to_bytes(4, "big"))
    # Same AAD shape as a message MAC: 11 ‖ five zero bytes ‖ the authenticated fields.
    tag = gmac(key, gcm_iv(supplier, 0), mac_aad(fields, SECURITY_CONTROL_AUTHENTICATED))
    return tag[-4:]


def utrn_from_shared_secret(
    shared_secret: bytes,
    supplier_system_title: bytes,
    device_system_title: bytes,
    counter: int,
    value: int,
    value_class: ValueClass | int = ValueClass.PENNIES,
) -> str:
    """The 20-digit UTRN, given Z between the supplier prepayment and device KA keys."""
    if not 0 <= counter < 1 << 64 or counter & 0xFFFFFFFF:
        raise ValueError(f"UTRN counter must be a 64-bit multiple of 2**32, got {counter:#x}")
    high = ptut_high(counter, value, value_class)
    low = utrn_authenticator(shared_secret, supplier_system_title, device_system_title,
                             counter, high)
    pptd = str((high << 32 | int.from_bytes(low, "big")) + PPTD_OFFSET)
    return pptd + check_digit(pptd)


def generate_utrn(
    supplier_prepayment_private_key: ec.EllipticCurvePrivateKey,
    device_ka_public_key: ec.EllipticCurvePublicKey,
    supplier_system_title: bytes,
    device_system_title: bytes,
    counter: int,
    value: int,
    value_class: ValueClass | int = ValueClass.PENNIES,
) -> str:
    """The 20-digit UTRN a supplier issues for ``device_system_title``."""
    shared_secret = ecdh_shared_secret(supplier_prepayment_private_key, device_ka_public_key)
    return utrn_from_shared_secret(shared_secret, supplier_system_title, device_system_title,
                                   counter, value, value_class)


def parse_utrn(text: str | bytes) -> Utrn:
    """The fields of a UTRN; :class:`DecodeError` on a malformed one or a bad check digit."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("ascii", errors="replace")
    if len(text) != UTRN_LENGTH or not text.isascii() or not text.isdigit():
        raise DecodeError(f"a UTRN is {UTRN_LENGTH} decimal digits, got {text!r}", 0, "utrn")
    if check_digit(text[:-1]) != text[-1]:
        raise DecodeError("UTRN check digit mismatch", UTRN_LENGTH - 1, "utrn")
    ptut = int(text[:-1]) - PPTD_OFFSET
    if not 0 <= ptut < 1 << 64:
        raise DecodeError("UTRN does not encode a 64-bit PTUT", 0, "utrn")
    high = ptut >> 32
    if high >> 25:
        raise DecodeError("UTRN reserved bits are not zero", 0, "utrn")
    value_class = (high >> 13) & 0x3
    if value_class not in ValueClass._value2member_map_:
        raise DecodeError(f"UTRN value class {value_class} is reserved", 0, "utrn")
    return Utrn(
        digits=text,
        counter_bits=(high >> 15) & COUNTER_BITS_MASK,
        value_class=ValueClass(value_class),
        value=high & MAX_VALUE,
        authenticator=(ptut & 0xFFFFFFFF).to_bytes(4, "big"),
    )


def verify_utrn(
    utrn: Utrn,
    shared_secret: bytes,
    supplier_system_title: bytes,
    device_system_title: bytes,
    counter: int | None = None,
) -> bool:
    """Whether ``utrn`` was issued by this supplier for this device.

    ``counter`` is the full 64-bit UTRN counter; without it the counter is taken to be
    ``counter_bits << 32``. ``shared_secret`` is Z between the supplier's prepayment KA
    key and the device's KA key (either side's private key gives the same Z).
    """
    if counter is None:
        counter = utrn.counter_bits << 32
    elif not utrn.matches_counter(counter):
        return False
    expected = utrn_authenticator(shared_secret, supplier_system_title, device_system_title,
                                  counter, utrn.ptut_high)
    return hmac.compare_digest(expected, utrn.authenticator)
