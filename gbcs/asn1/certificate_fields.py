"""The two certificate fields that verifying a message needs, read straight from the DER.

Verifying needs a signer's public key and whether a party is a device or which remote
party it is (the role in the subject OU). They are found by walking element headers
(tag, length) down to them, without building a tree or loading ``cryptography.x509``
(whose import alone took a tenth of a ``gbcs verify`` run over the RTDS);
:mod:`gbcs.asn1.certificates` reads everything else.
"""

from __future__ import annotations

from collections.abc import Iterator

from gbcs.asn1.payload_reader import known
from gbcs.asn1.payloads_common import RemotePartyRole
from gbcs.errors import DecodeError
from gbcs.primitives import read_encoded_length

ORGANIZATIONAL_UNIT_NAME = bytes.fromhex("55040B")
"""Contents of the OBJECT IDENTIFIER 2.5.4.11 (id-at-organizationalUnitName)."""

_SEQUENCE, _SET, _OBJECT_IDENTIFIER, _VERSION = 0x30, 0x31, 0x06, 0xA0
_Element = tuple[int, int, int, int]
"""``(identifier octet, start of the element, start of its contents, end)``."""


def _elements(der: bytes, start: int, end: int) -> Iterator[_Element]:
    """The elements one after another in ``der[start:end]``; DecodeError if a header or
    length does not fit."""
    pos = start
    while pos < end:
        identifier = der[pos]
        if identifier & 0x1F == 0x1F:
            raise DecodeError("multi-byte tags are not expected in a certificate", pos,
                              "certificate")
        length = read_encoded_length(der, pos + 1)
        if length is None or length[1] + length[0] > end:
            raise DecodeError("element length missing, not minimal or past its end", pos,
                              "certificate")
        size, contents = length
        yield identifier, pos, contents, contents + size
        pos = contents + size


def _only(der: bytes, start: int, end: int, identifier: int, what: str) -> _Element:
    for element in _elements(der, start, end):
        if element[0] != identifier or element[3] != end:
            break
        return element
    raise DecodeError(f"{what} is not a single element 0x{identifier:02X}", start,
                      "certificate")


def _tbs_fields(der: bytes) -> list[_Element]:
    """The fields of ``tbsCertificate``, the optional ``[0] version`` dropped."""
    certificate = _only(der, 0, len(der), _SEQUENCE, "certificate")
    tbs = next(_elements(der, certificate[2], certificate[3]), None)
    if tbs is None or tbs[0] != _SEQUENCE:
        raise DecodeError("tbsCertificate is not a SEQUENCE", certificate[2], "certificate")
    fields = list(_elements(der, tbs[2], tbs[3]))
    if fields and fields[0][0] == _VERSION:
        fields = fields[1:]
    if len(fields) < 6:
        raise DecodeError("tbsCertificate has fewer than six fields", tbs[1], "certificate")
    return fields


def subject_public_key_info(der: bytes) -> bytes:
    """The DER of a certificate's ``subjectPublicKeyInfo``."""
    _, start, _, end = _tbs_fields(der)[5]
    return der[start:end]


def subject_role(der: bytes) -> RemotePartyRole | int | None:
    """The remote-party role in the subject OU (two hex digits, GBCS's convention), None
    when the subject has no such OU (device certificates have an empty subject)."""
    subject = _tbs_fields(der)[4]
    if subject[0] != _SEQUENCE:
        raise DecodeError("subject is not a SEQUENCE", subject[1], "certificate")
    for relative_name in _elements(der, subject[2], subject[3]):
        if relative_name[0] != _SET:
            continue
        for attribute in _elements(der, relative_name[2], relative_name[3]):
            if attribute[0] != _SEQUENCE:
                continue
            parts = list(_elements(der, attribute[2], attribute[3]))
            if (len(parts) < 2 or parts[0][0] != _OBJECT_IDENTIFIER
                    or der[parts[0][2]:parts[0][3]] != ORGANIZATIONAL_UNIT_NAME):
                continue
            text = der[parts[1][2]:parts[1][3]].decode("ascii", "replace")
            if len(text) != 2:
                continue
            try:
                return known(RemotePartyRole, int(text, 16))
            except ValueError:
                return None
    return None
