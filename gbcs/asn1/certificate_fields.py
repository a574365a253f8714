"""The two certificate fields that verifying a message needs, read straight from the DER.

Verifying needs a signer's public key and whether a party is a device or which remote
party it is (the role in the subject OU). They are read with the payload views'
:class:`PayloadReader`, without loading ``cryptography.x509`` (whose import alone is
about an eighth of a whole ``gbcs verify`` run over the RTDS);
:mod:`gbcs.asn1.certificates` reads everything else.
"""

from __future__ import annotations

from gbcs.asn1.der import encode_der, validate_element
from gbcs.asn1.payload_reader import INTEGER, PayloadReader, ViewError, known
from gbcs.asn1.payloads_common import RemotePartyRole
from gbcs.errors import DecodeError

ORGANIZATIONAL_UNIT_NAME = bytes.fromhex("55040B")
"""Contents of the OBJECT IDENTIFIER 2.5.4.11 (id-at-organizationalUnitName)."""

_VERSION, _SET, _OBJECT_IDENTIFIER = 0xA0, 0x31, 0x06
_STRING_TYPES = (0x13, 0x0C)  # PrintableString, UTF8String


def _subject_and_key_info(der: bytes) -> tuple[PayloadReader, bytes]:
    """A reader over the subject's RDNs, and the DER of subjectPublicKeyInfo."""
    validate_element(der, 0, "certificate")
    try:
        tbs = PayloadReader.over(der).sequence("certificate").sequence("tbs_certificate")
        if tbs.has(_VERSION):
            tbs.sequence("version", _VERSION)
        tbs.element("serial_number", INTEGER)
        for name in ("signature", "issuer", "validity"):
            tbs.sequence(name)
        subject = tbs.sequence("subject")
        key_info = tbs.element("subject_public_key_info")
    except ViewError as error:
        raise DecodeError(error.reason, error.at, f"certificate.{error.path}") from None
    return subject, encode_der(key_info)


def subject_public_key_info(der: bytes) -> bytes:
    """The DER of a certificate's ``subjectPublicKeyInfo``."""
    return _subject_and_key_info(der)[1]


def subject_role(der: bytes) -> RemotePartyRole | int | None:
    """The remote-party role in the subject OU (two hex digits, GBCS's convention), None
    when the subject has no such OU (device certificates have an empty subject)."""
    subject, _ = _subject_and_key_info(der)
    try:
        while subject.has(_SET):
            names = subject.sequence("rdn", _SET)
            while not names.at_end():
                attribute = names.sequence("attribute")
                kind = attribute.octets("type", identifier=_OBJECT_IDENTIFIER)
                found = next((t for t in _STRING_TYPES if attribute.has(t)), None)
                if kind != ORGANIZATIONAL_UNIT_NAME or found is None:
                    continue
                text = attribute.octets("value", identifier=found).decode("ascii", "replace")
                if len(text) == 2:
                    try:
                        return known(RemotePartyRole, int(text, 16))
                    except ValueError:
                        return None
    except ViewError as error:
        raise DecodeError(error.reason, error.at, f"certificate.{error.path}") from None
    return None
