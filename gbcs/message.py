"""Whole GBCS messages: framing + Grouping Header + typed payload, decoded and encoded.

``decode_message`` accepts every form a GBCS message travels in (MAC'd ``DD``, bare
``DF`` with or without signature, PRECOMMAND) and chooses the payload codec from the
structure of the content itself (``D9``/``DA``/``0F`` DLMS, ``01 09`` GBZ, DER for the
rest), so messages of use cases the message-code table does not know decode as well.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from gbcs.asn1 import decode_asn1_payload, encode_asn1_payload
from gbcs.dlms import decode_xdlms, encode_xdlms
from gbcs.errors import DecodeError, EncodeError
from gbcs.framing.general_ciphering import (
    MAC_SIZE,
    MacEnvelope,
    encode_general_ciphering,
    split_general_ciphering,
)
from gbcs.framing.general_signing import (
    Cra,
    GeneralSigning,
    GroupingHeader,
    decode_general_signing_at,
    encode_general_signing,
)
from gbcs.gbz import decode_gbz, encode_gbz
from gbcs.value_type import value_type

if TYPE_CHECKING:
    from gbcs.codes import PayloadFamily, UseCase


def _family_value(content: bytes) -> str:
    """The value of the :class:`~gbcs.codes.PayloadFamily` of ``content`` (decoding does not
    need the message-code table loaded)."""
    if not content:
        raise DecodeError("empty content", 0, "content")
    if content[0] in (0xD9, 0xDA, 0x0F):
        return "DLMS"
    if content[:2] == b"\x01\x09":
        return "GBZ"
    return "ASN.1"


def payload_family(content: bytes) -> PayloadFamily:
    """Which codec a content belongs to, judged from its first bytes (primer §1)."""
    from gbcs.codes import PayloadFamily

    return PayloadFamily(_family_value(content))


def decode_payload(content: bytes, header: GroupingHeader, *, offset: int = 0):
    family = _family_value(content)
    code = header.message_code
    if family == "DLMS":
        return decode_xdlms(content, offset=offset)
    if family == "GBZ":
        return decode_gbz(content, alert=header.cra == Cra.ALERT, message_code=code,
                          offset=offset)
    return decode_asn1_payload(content, message_code=code, cra=int(header.cra), offset=offset)


def encode_payload(payload) -> bytes:
    module = type(payload).__module__
    if module.startswith("gbcs.dlms"):
        return encode_xdlms(payload)
    if module.startswith("gbcs.gbz"):
        return encode_gbz(payload)
    if module.startswith("gbcs.asn1"):
        return encode_asn1_payload(payload)
    raise EncodeError(f"{type(payload).__name__} is not a GBCS payload")


@value_type
class GbcsMessage:
    """A GBCS message. ``wire`` holds the bytes it was decoded from (empty when built
    from fields); cryptographic checks always run over the received bytes."""

    header: GroupingHeader
    payload: object
    signature: bytes | None = b""
    envelope: MacEnvelope | None = None
    wire: bytes = b""
    apdu_start: int = 0
    content_start: int = 0
    content_end: int = 0

    # -- what kind of message -------------------------------------------------------
    @property
    def message_code(self) -> int:
        return self.header.message_code

    @property
    def cra(self) -> Cra:
        return Cra(self.header.cra)

    @property
    def use_case(self) -> UseCase | None:
        from gbcs.codes import use_case_for

        return use_case_for(self.message_code)

    @property
    def use_case_name(self) -> str:
        known = self.use_case
        return f"{known.use_case} {known.name}" if known else f"unknown 0x{self.message_code:04X}"

    @property
    def is_precommand(self) -> bool:
        return self.signature is None

    @property
    def is_signed(self) -> bool:
        return bool(self.signature)

    @property
    def has_mac(self) -> bool:
        return self.envelope is not None

    @property
    def family(self) -> PayloadFamily:
        return payload_family(self.content)

    # -- bytes --------------------------------------------------------------------------
    @property
    def content(self) -> bytes:
        if self.wire:
            return self.wire[self.content_start:self.content_end]
        return encode_payload(self.payload)

    def general_signing(self) -> GeneralSigning:
        return GeneralSigning(self.header, encode_payload(self.payload), self.signature)

    def general_signing_bytes(self) -> bytes:
        """The General-Signing APDU exactly as received (or as built)."""
        if self.wire:
            end = len(self.wire) - (MAC_SIZE if self.envelope else 0)
            return self.wire[self.apdu_start:end]
        return encode_general_signing(self.general_signing())

    def signed_bytes(self) -> bytes:
        """The bytes an ECDSA signature covers (primer §7.4)."""
        if self.wire:
            return self.wire[self.apdu_start + 1:self.content_end]
        return self.general_signing().signed_part()

    def to_bytes(self) -> bytes:
        """Encode from the fields (never a copy of ``wire``)."""
        apdu = encode_general_signing(self.general_signing())
        if self.envelope is None:
            return apdu
        return encode_general_ciphering(self.envelope, apdu)

    def replace(self, **changes) -> GbcsMessage:
        """A changed copy; it no longer carries the received bytes."""
        return replace(self, wire=b"", apdu_start=0, content_start=0, content_end=0, **changes)


def decode_message(data: bytes) -> GbcsMessage:
    """Decode any GBCS message; malformed input raises :class:`DecodeError` only."""
    try:
        return _decode(bytes(data))
    except DecodeError:
        raise
    except Exception as error:  # the decoder's contract: nothing else escapes
        raise DecodeError(f"undecodable input ({type(error).__name__}: {error})", 0,
                          "message") from None


def _decode(data: bytes) -> GbcsMessage:
    if not data:
        raise DecodeError("empty input", 0, "message")
    if data[:2] == b"\xdd\x09":  # a GBT block (see gbcs.framing.gbt.is_gbt_block)
        from gbcs.framing.gbt import reassemble

        data = reassemble(data)
    envelope = None
    apdu_start, apdu_end = 0, len(data)
    if data[0] == 0xDD:
        envelope, apdu_start = split_general_ciphering(data)
        apdu_end = len(data) - MAC_SIZE
    elif data[0] != 0xDF:
        raise DecodeError(f"unknown APDU tag 0x{data[0]:02X} (expected DD or DF)", 0, "tag")
    apdu, content_at = decode_general_signing_at(data[apdu_start:apdu_end], offset=apdu_start)
    if envelope is not None and apdu.is_precommand:
        raise DecodeError("MAC'd message lacks the signature-length byte", apdu_end,
                          "general_signing.signature")
    content_offset = apdu_start + content_at
    payload = decode_payload(apdu.content, apdu.header, offset=content_offset)
    return GbcsMessage(apdu.header, payload, apdu.signature, envelope, data, apdu_start,
                       content_offset, content_offset + len(apdu.content))
