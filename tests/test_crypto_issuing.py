"""The test PKI: certificates shaped like the RTDS ones, read back by certificate_info."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtensionOID, NameOID

from gbcs.crypto import (
    CertificateAuthority,
    KeyStore,
    KeyUsage,
    RemotePartyRole,
    certificate_info,
    generate_key_pair,
    write_key_files,
)
from gbcs.errors import CryptoError
from tests.test_crypto_wire import rtds_keystore

DEVICE = bytes.fromhex("00DB1234567890A0")
SUPPLIER = bytes.fromhex("90B3D51F30010000")
AUTHORITY = CertificateAuthority.generate("E357")


def extension_shape(certificate: x509.Certificate) -> list[tuple[str, bool]]:
    return [(extension.oid.dotted_string, extension.critical)
            for extension in certificate.extensions]


def test_rtds_certificates_are_read() -> None:
    store = rtds_keystore()
    device = certificate_info(store.certificate(DEVICE, "ds"))
    assert (device.eui64, device.usage, device.remote_party_role) == (
        DEVICE, KeyUsage.DIGITAL_SIGNATURE, None)
    supplier = certificate_info(store.certificate(SUPPLIER, "ka"))
    assert (supplier.eui64, supplier.usage, supplier.remote_party_role) == (
        SUPPLIER, KeyUsage.KEY_AGREEMENT, RemotePartyRole.SUPPLIER)
    acb = certificate_info(store.certificate(bytes.fromhex("90B3D51F30000002"), "ds"))
    assert acb.remote_party_role == RemotePartyRole.ACCESS_CONTROL_BROKER


@pytest.mark.parametrize("usage", [KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT])
def test_device_certificate_has_the_rtds_shape(usage: KeyUsage) -> None:
    key = generate_key_pair()
    certificate = AUTHORITY.issue_device_certificate(DEVICE, key.public_key(), usage)
    reference = rtds_keystore().certificate(DEVICE, usage)
    assert certificate.subject == x509.Name([])
    assert certificate.issuer == reference.issuer  # CN=E357
    assert extension_shape(certificate) == extension_shape(reference)
    alt_names = certificate.extensions.get_extension_for_oid(
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    assert alt_names == reference.extensions.get_extension_for_oid(
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value  # same hwModuleName, same EUI-64
    assert certificate.not_valid_after_utc == reference.not_valid_after_utc
    certificate.verify_directly_issued_by(AUTHORITY.certificate)
    info = certificate_info(certificate)
    assert (info.eui64, info.usage, info.remote_party_role) == (DEVICE, usage, None)


def test_remote_party_certificate_has_the_rtds_subject() -> None:
    key = generate_key_pair()
    certificate = AUTHORITY.issue_remote_party_certificate(
        SUPPLIER, key.public_key(), "ka", RemotePartyRole.SUPPLIER)
    reference = rtds_keystore().certificate(SUPPLIER, "ka")
    assert certificate.subject.public_bytes() == reference.subject.public_bytes()
    certificate.verify_directly_issued_by(AUTHORITY.certificate)
    info = certificate_info(certificate)
    assert (info.eui64, info.usage, info.remote_party_role) == (
        SUPPLIER, KeyUsage.KEY_AGREEMENT, 2)


def test_issued_certificates_load_back_through_the_key_store(tmp_path: Path) -> None:
    device_key, supplier_key = generate_key_pair(), generate_key_pair()
    write_key_files(tmp_path, DEVICE, "ds", private_key=device_key,
                    certificate=AUTHORITY.issue_device_certificate(
                        DEVICE, device_key.public_key(), "ds"))
    write_key_files(tmp_path, SUPPLIER, "ka", certificate=AUTHORITY.
                    issue_remote_party_certificate(SUPPLIER, supplier_key.public_key(),
                                                   "ka", RemotePartyRole.SUPPLIER))
    store = KeyStore(tmp_path)
    assert certificate_info(store.certificate(DEVICE, "ds")).eui64 == DEVICE
    assert certificate_info(store.certificate(DEVICE, "ds")).usage is KeyUsage.DIGITAL_SIGNATURE
    assert certificate_info(store.certificate(SUPPLIER, "ka")).eui64 == SUPPLIER
    assert store.has_ds_private(DEVICE) and not store.has_ka_private(SUPPLIER)


def test_certificate_without_gbcs_identity_is_refused() -> None:
    key = generate_key_pair()
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")]))
        .issuer_name(AUTHORITY.certificate.subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(AUTHORITY.certificate.not_valid_before_utc)
        .not_valid_after(AUTHORITY.certificate.not_valid_after_utc)
    )
    with pytest.raises(CryptoError, match="no key usage"):
        certificate_info(builder.sign(AUTHORITY.private_key, hashes.SHA256()))
    with pytest.raises(CryptoError, match="neither or both"):
        certificate_info(AUTHORITY.certificate)  # keyCertSign only
    signing = builder.add_extension(x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False), critical=True)
    with pytest.raises(CryptoError, match="names no EUI-64"):
        certificate_info(signing.sign(AUTHORITY.private_key, hashes.SHA256()))


def test_issuing_refuses_bad_inputs() -> None:
    key = generate_key_pair()
    with pytest.raises(ValueError):
        AUTHORITY.issue_device_certificate(DEVICE[:7], key.public_key(), "ds")
    with pytest.raises(ValueError):
        AUTHORITY.issue_remote_party_certificate(SUPPLIER, key.public_key(), "ds", 100)


def test_device_hardware_module_name_shortcut_reads_what_pyasn1_reads() -> None:
    from pyasn1.codec.der import decoder

    from gbcs.crypto import issuing

    for eui in (DEVICE, bytes(8), bytes.fromhex("FFFFFFFFFFFFFFFF")):
        der = issuing._hardware_module_name(eui)
        assert der.startswith(issuing._DEVICE_HARDWARE_MODULE_NAME_PREFIX)
        value, rest = decoder.decode(der, asn1Spec=issuing._hardware_module_name_type()())
        assert not rest and bytes(value["hwSerialNum"]) == eui
        assert issuing._eui_from_hardware_module_name(der) == eui
    other_type = issuing._hardware_module_name(DEVICE).replace(b"\x02\x02\x01", b"\x02\x02\x02")
    assert issuing._eui_from_hardware_module_name(other_type) == DEVICE  # through pyasn1
    with pytest.raises(CryptoError):
        issuing._eui_from_hardware_module_name(issuing._hardware_module_name(DEVICE)[:-1])
