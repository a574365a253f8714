"""General-Ciphering APDU (``0xDD``): the MAC header around a General-Signing APDU.

Layout (primer §4): tag, five empty octet-string fields (transaction id, originator and
recipient system titles, date-time, other-information), an absent key-info, the
ciphered-content length, the security header (security control + invocation counter),
the complete General-Signing APDU and a 12-byte MAC.
"""

from __future__ import annotations

import construct as c

from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import (
    EncodedLength,
    Layout,
    encode_length,
    parse_layer,
    read_encoded_length,
)
from gbcs.value_type import value_type

MAC_SIZE = 12
SECURITY_HEADER_SIZE = 5
AUTHENTICATION_ONLY = 0x11

# =====================================================================================
# Wire layout
# =====================================================================================

MAC_HEADER_LAYOUT = c.Struct(
    "tag" / c.Const(b"\xdd"),
    "empty_header_fields" / c.Const(bytes(5)),
    "key_info_present" / c.Const(b"\x00"),
    "ciphered_length" / EncodedLength,
    "security_control" / c.Int8ub,
    "invocation_counter" / c.Int32ub,
)

_FIXED_START = b"\xdd" + bytes(6)
"""Tag, the five empty header fields and the absent key-info."""


def _read_mac_header(data: bytes) -> tuple[int, int, int, int] | None:
    """``(ciphered_length, security_control, invocation_counter, end)`` of a well-formed
    MAC header at the start of ``data``; None for anything :data:`MAC_HEADER_LAYOUT`
    should judge."""
    if not data.startswith(_FIXED_START):
        return None
    found = read_encoded_length(data, len(_FIXED_START))
    if found is None or found[1] + SECURITY_HEADER_SIZE > len(data):
        return None
    length, at = found
    return length, data[at], int.from_bytes(data[at + 1:at + 5], "big"), at + 5


def _parse_mac_header(data: bytes) -> tuple[c.Container, int] | None:
    fields = _read_mac_header(data)
    if fields is None:
        return None
    return c.Container(
        tag=b"\xdd", empty_header_fields=bytes(5), key_info_present=b"\x00",
        ciphered_length=fields[0], security_control=fields[1],
        invocation_counter=fields[2]), fields[3]


MAC_HEADER = Layout(MAC_HEADER_LAYOUT, _parse_mac_header)
"""The construct of the MAC header: :data:`MAC_HEADER_LAYOUT`, well-formed headers read
by hand."""


@value_type
class MacEnvelope:
    """The MAC wrapper of a message: security header values and the MAC itself."""

    security_control: int = AUTHENTICATION_ONLY
    invocation_counter: int = 0
    mac: bytes = bytes(MAC_SIZE)


def split_general_ciphering(data: bytes, *, offset: int = 0) -> tuple[MacEnvelope, int]:
    """The envelope of a ``DD`` message and the offset of its General-Signing APDU.

    The APDU occupies ``data[apdu_offset:-12]``.
    """
    fields = _read_mac_header(data) if type(data) is bytes else None
    if fields is None:
        parsed = parse_layer(MAC_HEADER, data, offset=offset, path="mac_header", whole=False)
        ciphered_length = parsed.ciphered_length
        security_control, invocation_counter = parsed.security_control, parsed.invocation_counter
    else:
        ciphered_length, security_control, invocation_counter, _ = fields
    apdu_offset = 8 + len(encode_length(ciphered_length)) + SECURITY_HEADER_SIZE - 1
    expected = len(data) - apdu_offset + SECURITY_HEADER_SIZE
    if ciphered_length != expected:
        raise DecodeError(
            f"ciphered-content length {ciphered_length} does not match the "
            f"{expected} bytes present", offset + 7, "mac_header.ciphered_length")
    if len(data) - apdu_offset < MAC_SIZE + 1:
        raise DecodeError("message truncated before the MAC", offset + len(data), "mac")
    envelope = MacEnvelope(security_control, invocation_counter, bytes(data[-MAC_SIZE:]))
    return envelope, apdu_offset


def encode_general_ciphering(envelope: MacEnvelope, general_signing: bytes) -> bytes:
    if len(envelope.mac) != MAC_SIZE:
        raise EncodeError(f"MAC must be {MAC_SIZE} bytes")
    try:
        return MAC_HEADER.build(dict(
            ciphered_length=SECURITY_HEADER_SIZE + len(general_signing) + MAC_SIZE,
            security_control=envelope.security_control,
            invocation_counter=envelope.invocation_counter,
        )) + general_signing + envelope.mac
    except (c.ConstructError, ValueError, TypeError, OverflowError) as error:
        raise EncodeError(f"general-ciphering header: {error}") from None


def mac_input(security_control: int, general_signing: bytes) -> bytes:
    """The authenticated data of the MAC (primer §7.3): security control, the five empty
    header fields and the whole General-Signing APDU."""
    return bytes((security_control,)) + bytes(5) + general_signing
