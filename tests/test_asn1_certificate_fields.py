"""The DER-only certificate readers agree with ``cryptography.x509`` on every RTDS
certificate."""

from __future__ import annotations

import contextlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st

from gbcs.asn1.certificate_fields import subject_public_key_info, subject_role
from gbcs.asn1.certificates import parse_certificate
from gbcs.asn1.payloads_common import RemotePartyRole
from gbcs.errors import DecodeError
from tests.rtds import keystore_dir


def certificates() -> list[x509.Certificate]:
    found = []
    for path in sorted(keystore_dir().glob("*.pem")):
        data = path.read_bytes()
        if b"CERTIFICATE" in data:
            found.append(x509.load_pem_x509_certificate(data))
    return found


def test_readers_agree_with_x509_on_every_rtds_certificate() -> None:
    roles = set()
    for certificate in certificates():
        der = certificate.public_bytes(serialization.Encoding.DER)
        assert subject_public_key_info(der) == certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        role = subject_role(der)
        assert role == parse_certificate(der).remote_party_role
        roles.add(role)
    assert {None, RemotePartyRole.ACCESS_CONTROL_BROKER, RemotePartyRole.SUPPLIER} <= roles


@pytest.mark.parametrize("der", [b"", b"\x30\x00", b"\x30\x03\x30\x01\x00",
                                 bytes.fromhex("3005300302 0101".replace(" ", ""))])
def test_malformed_certificates_are_decode_errors(der: bytes) -> None:
    with pytest.raises(DecodeError):
        subject_public_key_info(der)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_certificates_give_a_value_or_a_decode_error(data: st.DataObject) -> None:
    der = bytearray(data.draw(st.sampled_from(DERS)))
    for _ in range(data.draw(st.integers(1, 4))):
        der[data.draw(st.integers(0, len(der) - 1))] = data.draw(st.integers(0, 255))
    for reader in (subject_public_key_info, subject_role):
        with contextlib.suppress(DecodeError):
            reader(bytes(der))


DERS = [c.public_bytes(serialization.Encoding.DER) for c in certificates()[:20]]
