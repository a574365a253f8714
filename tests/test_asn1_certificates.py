"""X.509 certificates and PKCS#10 requests: every RTDS keystore certificate, the
certificates carried in RTDS payloads and the CS02c certification request."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st

from gbcs.asn1 import (
    CertificationRequestResponse,
    DeviceCertificateResponse,
    JoinCommand,
    KeyUsage,
    RemotePartyRole,
    UpdateDeviceCertificateCommand,
    UpdateSecurityCredentialsCommand,
    decode_asn1_payload,
    encode_der,
)
from gbcs.asn1.certificates import (
    parse_certificate,
    parse_certificate_pem,
    parse_certification_request,
)
from gbcs.errors import DecodeError
from tests.rtds import all_messages, content_of, keystore_dir

CRA_OF_KIND = {"PRECOMMAND": 1, "COMMAND": 1, "RESPONSE": 2, "ALERT": 3}
KEY_USAGE_OF_SUFFIX = {"ds": KeyUsage.DIGITAL_SIGNATURE, "ka": KeyUsage.KEY_AGREEMENT,
                       "pp-ka": KeyUsage.KEY_AGREEMENT}
# Remote party roles from the RTDS README (certificate OU values).
ROLE_OF_PARTY = {
    "90b3d51f30000001": RemotePartyRole.RECOVERY,
    "90b3d51f30000002": RemotePartyRole.ACCESS_CONTROL_BROKER,
    "90b3d51f30000004": RemotePartyRole.TRANSITIONAL_COS,
    "90b3d51f30000007": RemotePartyRole.WAN_PROVIDER,
    "90b3d51f30010000": RemotePartyRole.SUPPLIER,
    "90b3d51f30010008": RemotePartyRole.LOAD_CONTROLLER,
    "90b3d51f30020000": RemotePartyRole.NETWORK_OPERATOR,
    "90b3d51f30030000": RemotePartyRole.SUPPLIER,
}
# The README notes that this certificate names Supplier 2, not the WAN provider.
SUBJECT_OF_FILE = {"90b3d51f30000007-ka.pem": "90b3d51f30030000"}


def keystore_certificates():
    paths = sorted(path for path in keystore_dir().glob("*.pem")
                   if b"BEGIN CERTIFICATE" in path.read_bytes())
    return [pytest.param(path, id=path.name) for path in paths]


KEYSTORE = keystore_certificates()


def test_keystore_holds_every_certificate():
    assert len(KEYSTORE) == 416


@pytest.mark.parametrize("path", KEYSTORE)
def test_keystore_certificate(path):
    pem = path.read_bytes()
    info = parse_certificate_pem(pem)
    reference = x509.load_pem_x509_certificate(pem)
    assert info.der == reference.public_bytes(serialization.Encoding.DER)
    assert parse_certificate(info.der) == info
    entity, suffix = path.stem.split("-", 1)
    assert info.entity_id.hex() == SUBJECT_OF_FILE.get(path.name, entity)
    assert info.key_usage == KEY_USAGE_OF_SUFFIX[suffix]
    assert info.serial_number == reference.serial_number
    assert len(info.subject_key_id) == 8
    assert info.authority_key_id is None or len(info.authority_key_id) == 8
    assert info.public_key_bytes[0] == 0x04 and len(info.public_key_bytes) == 65
    if entity.startswith("00db"):
        assert info.is_device_certificate and info.remote_party_role is None
        assert info.subject == "" and info.issuer == "CN=E357"
        assert info.not_after == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    else:
        assert not info.is_device_certificate
        assert info.remote_party_role == ROLE_OF_PARTY[info.entity_id.hex()]
        assert info.issuer == "CN=Z1,OU=07"
    assert info.not_before < info.not_after


def test_a_bare_public_key_is_not_a_certificate():
    with pytest.raises(DecodeError):
        parse_certificate_pem((keystore_dir() / "fffffffffffffffe-ka.pem").read_bytes())


def embedded_certificates():
    """Every certificate carried in an RTDS ASN.1 payload, named by where it came from."""
    found = {}
    for rtds in all_messages():
        code, content = content_of(rtds.data)
        if not content or content[0] not in (0x30, 0x02, 0x04, 0x05):
            continue
        payload = decode_asn1_payload(content, message_code=code, cra=CRA_OF_KIND[rtds.kind])
        nodes = []
        if isinstance(payload, UpdateSecurityCredentialsCommand):
            nodes = [replacement.certificate for replacement in payload.replacements]
            nodes += payload.certification_path
        elif isinstance(payload, JoinCommand) and payload.other_device_certificate:
            nodes = [payload.other_device_certificate]
        elif isinstance(payload, DeviceCertificateResponse | UpdateDeviceCertificateCommand):
            nodes = [payload.certificate]
        for node in nodes:
            found.setdefault(encode_der(node), rtds.name)
    return found


EMBEDDED = embedded_certificates()


def test_certificates_in_payloads():
    assert len(EMBEDDED) >= 20
    issuers = set()
    for der, origin in EMBEDDED.items():
        info = parse_certificate(der)
        assert info.entity_id is not None or info.remote_party_role is not None, origin
        issuers.add(info.issuer)
        if info.remote_party_role == RemotePartyRole.ROOT:
            assert info.key_usage == KeyUsage.KEY_CERT_SIGN | KeyUsage.CRL_SIGN
    assert "CN=ZA,OU=00" in issuers  # the path up to the root is carried too


def test_certification_request_of_cs02c():
    for rtds in all_messages():
        if rtds.use_case_folder == "6.17_CS02c" and rtds.kind == "RESPONSE":
            code, content = content_of(rtds.data)
            payload = decode_asn1_payload(content, message_code=code, cra=2)
            if isinstance(payload, CertificationRequestResponse):
                info = parse_certification_request(content)
                assert payload.request_info() == info
                assert info.signature_valid and info.subject == ""
                assert info.key_usage == KeyUsage.DIGITAL_SIGNATURE
                assert info.entity_id == bytes.fromhex("00DB1234567890A0")
                return
    pytest.fail("no CS02c certification request in the RTDS")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(EMBEDDED)), st.data())
def test_damaged_certificates_raise_only_decode_errors(der, data):
    damaged = bytearray(der)
    index = data.draw(st.integers(0, len(damaged) - 1))
    damaged[index] ^= data.draw(st.integers(1, 255))
    for parse in (parse_certificate, parse_certification_request):
        with contextlib.suppress(DecodeError):
            parse(bytes(damaged))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_are_not_certificates(data):
    with pytest.raises(DecodeError):
        parse_certificate(data)
    with pytest.raises(DecodeError):
        parse_certification_request(data)
