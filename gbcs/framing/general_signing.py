"""General-Signing APDU (``0xDF``): the GBCS Grouping Header, the content and the signature.

Layout (primer §3): tag, transaction id (CRA flag + originator counter), originator
and recipient system titles, optional date-time, Other-Information (message code and
supplementary remote-party fields), content, and the signature. A PRECOMMAND ends
after the content: it has no signature-length byte at all.
"""

from __future__ import annotations

import enum
from dataclasses import replace

import construct as c

from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import (
    CosemDateTime,
    Layout,
    OctetString,
    encode_length,
    parse_layer,
    read_encoded_length,
)
from gbcs.value_type import value_type

SYSTEM_TITLE_SIZE = 8
SIGNATURE_SIZE = 64


class Cra(enum.IntEnum):
    """The CRA flag: what kind of message this is (and the KDF's purpose byte)."""

    COMMAND = 1
    RESPONSE = 2
    ALERT = 3
    ENCRYPTION = 4  # only ever a KDF input, never on the wire


# =====================================================================================
# Wire layout
# =====================================================================================


class SignatureField(c.Construct):
    """Signature length + signature, or nothing at all at the end of a PRECOMMAND."""

    def _parse(self, stream, context, path):
        rest = stream.read()
        if not rest:
            return None
        return parse_layer(OctetString, rest, path="signature")

    def _build(self, obj, stream, context, path):
        if obj is None:
            return obj
        raw = encode_length(len(obj)) + obj
        c.stream_write(stream, raw, len(raw), path)
        return obj


SystemTitle = c.Prefixed(c.Const(SYSTEM_TITLE_SIZE, c.Int8ub), c.Bytes(SYSTEM_TITLE_SIZE))

GENERAL_SIGNING_LAYOUT = c.Struct(
    "tag" / c.Const(b"\xdf"),
    "transaction_id_length" / c.Const(b"\x09"),
    "cra" / c.Int8ub,
    "originator_counter" / c.Int64ub,
    "originator" / SystemTitle,
    "recipient" / SystemTitle,
    "date_time" / c.Prefixed(c.Int8ub, c.GreedyBytes),
    "other_information" / OctetString,
    "content" / OctetString,
    "signature" / SignatureField(),
)
"""The General-Signing APDU as construct declares it: what builds it, and what parses
every APDU the hand-written reader below leaves alone."""

_FIXED_HEADER_SIZE = 30
"""Tag, transaction id (length, CRA flag, counter), both system titles, date-time length."""


def _read_apdu(data: bytes) -> tuple | None:
    """The fields of a well-formed General-Signing APDU, read directly from the bytes:
    ``(cra, originator_counter, originator, recipient, date_time, other_information,
    content, signature, content_start)``.

    None whenever anything is unusual (wrong constants, truncation, non-minimal lengths,
    bytes after the signature); :data:`GENERAL_SIGNING_LAYOUT` then parses or rejects it.
    """
    size = len(data)
    if (size < _FIXED_HEADER_SIZE or data[0] != 0xDF or data[1] != 0x09
            or data[11] != SYSTEM_TITLE_SIZE or data[20] != SYSTEM_TITLE_SIZE):
        return None
    pos = _FIXED_HEADER_SIZE + data[29]
    found = read_encoded_length(data, pos)
    if found is None or found[1] + found[0] > size:
        return None
    other_start = found[1]
    other_end = other_start + found[0]
    found = read_encoded_length(data, other_end)
    if found is None or found[1] + found[0] > size:
        return None
    content_start = found[1]
    content_end = content_start + found[0]
    if content_end == size:
        signature = None
    else:
        found = read_encoded_length(data, content_end)
        if found is None or found[1] + found[0] != size:
            return None
        signature = data[found[1]:]
    return (data[2], int.from_bytes(data[3:11], "big"), data[12:20], data[21:29],
            data[_FIXED_HEADER_SIZE:pos], data[other_start:other_end],
            data[content_start:content_end], signature, content_start)


def _parse_apdu(data: bytes) -> tuple[c.Container, int] | None:
    fields = _read_apdu(data)
    if fields is None:
        return None
    return c.Container(
        tag=b"\xdf", transaction_id_length=b"\x09", cra=fields[0],
        originator_counter=fields[1], originator=fields[2], recipient=fields[3],
        date_time=fields[4], other_information=fields[5], content=fields[6],
        signature=fields[7]), len(data)


GENERAL_SIGNING = Layout(GENERAL_SIGNING_LAYOUT, _parse_apdu)
"""The construct of a General-Signing APDU: :data:`GENERAL_SIGNING_LAYOUT`, well-formed
APDUs read by hand."""


# =====================================================================================
# Typed view
# =====================================================================================


@value_type
class OtherInformation:
    """Message code plus the supplementary remote-party fields (primer §3.4)."""

    message_code: int
    supplementary_remote_party: bytes | None = None
    supplementary_counter: int | None = None
    supplementary_originator_counter: int | None = None
    remote_party_certificate: bytes | None = None

    @classmethod
    def from_bytes(cls, raw: bytes) -> OtherInformation:
        size = len(raw)
        if size < 2:
            raise DecodeError("other-information shorter than a message code", 0, "message_code")
        code = int.from_bytes(raw[:2], "big")
        if size == 2:
            return cls(code)
        if size == 10:
            return cls(code, raw[2:10])
        if size < 18:
            raise DecodeError(f"other-information of {size} bytes has no defined layout", 0,
                              "other_information")
        party, counter = raw[2:10], int.from_bytes(raw[10:18], "big")
        if size == 18:
            return cls(code, party, counter)
        if size == 26:
            return cls(code, party, counter, int.from_bytes(raw[18:26], "big"))
        if raw[18] != 0x30:
            raise DecodeError("other-information certificate is not a DER SEQUENCE", 18,
                              "other_information.remote_party_certificate")
        return cls(code, party, counter, remote_party_certificate=raw[18:])

    def to_bytes(self) -> bytes:
        try:
            out = self.message_code.to_bytes(2, "big")
            if self.supplementary_remote_party is None:
                return out
            if len(self.supplementary_remote_party) != SYSTEM_TITLE_SIZE:
                raise EncodeError("supplementary remote party must be 8 bytes")
            out += self.supplementary_remote_party
            if self.supplementary_counter is None:
                return out
            out += self.supplementary_counter.to_bytes(8, "big")
            if self.supplementary_originator_counter is not None:
                return out + self.supplementary_originator_counter.to_bytes(8, "big")
            return out + (self.remote_party_certificate or b"")
        except (OverflowError, AttributeError, TypeError) as error:
            raise EncodeError(f"other-information: {error}") from None


@value_type
class GroupingHeader:
    """The Grouping Header of a General-Signing APDU (primer §3)."""

    cra: Cra | int
    originator_counter: int
    originator: bytes
    recipient: bytes
    other_information: OtherInformation
    date_time: CosemDateTime | None = None

    @property
    def message_code(self) -> int:
        return self.other_information.message_code


@value_type
class GeneralSigning:
    """One General-Signing APDU. ``signature`` is None for a PRECOMMAND (no length byte)
    and ``b""`` for an unsigned message (length byte ``00``)."""

    header: GroupingHeader
    content: bytes
    signature: bytes | None = b""

    @property
    def is_precommand(self) -> bool:
        return self.signature is None

    @property
    def is_signed(self) -> bool:
        return bool(self.signature)

    def with_signature(self, signature: bytes | None) -> GeneralSigning:
        return replace(self, signature=signature)

    def header_size(self) -> int:
        """Bytes before the content: where the content starts within the APDU."""
        header = self.header
        date_time = 0 if header.date_time is None else CosemDateTime.SIZE
        other = len(header.other_information.to_bytes())
        return (1 + 1 + 9 + 9 + 9 + 1 + date_time + len(encode_length(other)) + other
                + len(encode_length(len(self.content))))

    def signed_part(self) -> bytes:
        """The bytes an ECDSA signature covers: after the tag, through the content."""
        return encode_general_signing(self.with_signature(None))[1:]


def decode_general_signing(data: bytes, *, offset: int = 0) -> GeneralSigning:
    return decode_general_signing_at(data, offset=offset)[0]


_CRA_FLAGS = {flag.value: flag for flag in Cra}


def decode_general_signing_at(data: bytes, *, offset: int = 0) -> tuple[GeneralSigning, int]:
    """:func:`decode_general_signing`, and where the content starts within ``data``."""
    fields = _read_apdu(data) if type(data) is bytes else None
    if fields is None:
        parsed = parse_layer(GENERAL_SIGNING, data, offset=offset, path="general_signing")
        fields = (parsed.cra, parsed.originator_counter, parsed.originator, parsed.recipient,
                  parsed.date_time, parsed.other_information, parsed.content,
                  parsed.signature, None)
    (flag, counter, originator, recipient, raw_time, raw_other, content, signature,
     content_start) = fields
    try:
        other = OtherInformation.from_bytes(raw_other)
    except DecodeError as error:
        other_at = 1 + 1 + 9 + 9 + 9 + 1 + len(raw_time)
        raise error.within(offset + other_at, "general_signing") from None
    if raw_time and len(raw_time) != CosemDateTime.SIZE:
        raise DecodeError(f"header date-time must be 0 or 12 bytes, got {len(raw_time)}",
                          offset + 29, "general_signing.date_time")
    cra = _CRA_FLAGS.get(flag)
    if cra is None:
        raise DecodeError(f"unknown CRA flag {flag}", offset + 2, "general_signing.cra")
    header = GroupingHeader(cra, counter, originator, recipient, other,
                            CosemDateTime.from_bytes(raw_time) if raw_time else None)
    apdu = GeneralSigning(header, content, signature)
    return apdu, apdu.header_size() if content_start is None else content_start


def encode_general_signing(apdu: GeneralSigning) -> bytes:
    header = apdu.header
    for name in ("originator", "recipient"):
        value = getattr(header, name)
        if not isinstance(value, bytes | bytearray) or len(value) != SYSTEM_TITLE_SIZE:
            raise EncodeError(f"{name} system title must be 8 bytes")
    try:
        return GENERAL_SIGNING.build(dict(
            cra=int(header.cra),
            originator_counter=header.originator_counter,
            originator=bytes(header.originator),
            recipient=bytes(header.recipient),
            date_time=b"" if header.date_time is None else header.date_time.to_bytes(),
            other_information=header.other_information.to_bytes(),
            content=bytes(apdu.content),
            signature=None if apdu.signature is None else bytes(apdu.signature),
        ))
    except EncodeError:
        raise
    except (c.ConstructError, ValueError, TypeError, OverflowError) as error:
        raise EncodeError(f"general-signing APDU: {error}") from None
