"""The two certificate fields that verifying a message needs, read straight from the DER.

Verifying needs a signer's public key and whether a party is a device or which remote
party it is (the role in the subject OU). Reading those here spares a ``gbcs verify``
run the import of ``cryptography.x509``, a tenth of the run;
:mod:`gbcs.asn1.certificates` reads everything else.
"""

from __future__ import annotations

from gbcs.asn1.der import TagClass, decode_der, encode_der
from gbcs.asn1.der_builders import SEQUENCE_TAG
from gbcs.asn1.der_node import DerNode
from gbcs.asn1.payload_reader import known
from gbcs.asn1.payloads_common import RemotePartyRole
from gbcs.errors import DecodeError

ORGANIZATIONAL_UNIT_NAME = bytes.fromhex("55040B")
"""Contents of the OBJECT IDENTIFIER 2.5.4.11 (id-at-organizationalUnitName)."""


def _sequence(node: DerNode, what: str) -> tuple[DerNode, ...]:
    if node.tag != SEQUENCE_TAG:
        raise DecodeError(f"{what} is not a SEQUENCE", 0, "certificate")
    return node.children


def _tbs_fields(der: bytes) -> tuple[DerNode, ...]:
    """The fields of ``tbsCertificate``, the optional ``[0] version`` dropped."""
    certificate = _sequence(decode_der(der, path="certificate"), "certificate")
    fields = _sequence(certificate[0], "tbsCertificate") if certificate else ()
    if fields and fields[0].tag.tag_class is TagClass.CONTEXT:
        fields = fields[1:]
    if len(fields) < 6:
        raise DecodeError("tbsCertificate has fewer than six fields", 0, "certificate")
    return fields


def subject_public_key_info(der: bytes) -> bytes:
    """The DER of a certificate's ``subjectPublicKeyInfo``."""
    return encode_der(_tbs_fields(der)[5])


def subject_role(der: bytes) -> RemotePartyRole | int | None:
    """The remote-party role in the subject OU (two hex digits, GBCS's convention), None
    when the subject has no such OU (device certificates have an empty subject)."""
    for relative_name in _tbs_fields(der)[4].children:
        for attribute in relative_name.children:
            kind, value = (*attribute.children, None, None)[:2]
            if (kind is not None and kind.value == ORGANIZATIONAL_UNIT_NAME
                    and value is not None and value.value is not None):
                text = value.value.decode("ascii", "replace")
                if len(text) != 2:
                    continue
                try:
                    return known(RemotePartyRole, int(text, 16))
                except ValueError:
                    return None
    return None
