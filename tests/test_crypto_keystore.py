"""The key store: RTDS directory layout, lazy loading, programmatic keys, caches."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import gbcs.crypto.keystore as keystore_module
from gbcs.crypto import (
    CertificateAuthority,
    KeyStore,
    KeyUsage,
    certificate_info,
    derive_key,
    ecdh_shared_secret,
    generate_key_pair,
    key_file_name,
)
from gbcs.errors import CryptoError, KeyNotFoundError
from tests.rtds import keystore_dir

ESME = bytes.fromhex("00DB1234567890A0")
SUPPLIER = bytes.fromhex("90B3D51F30010000")
SUPPLIER_2 = bytes.fromhex("90B3D51F30030000")
WAN_PROVIDER = bytes.fromhex("90B3D51F30000007")
BARE_KEY = bytes.fromhex("FFFFFFFFFFFFFFFE")
DEVICE = bytes.fromhex("0123456789ABCDEF")
OTHER_DEVICE = bytes.fromhex("0123456789ABCDE0")


def point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.UncompressedPoint)


@pytest.fixture
def store() -> KeyStore:
    return KeyStore(keystore_dir())


def test_rtds_directory_is_indexed_by_file_name(store: KeyStore) -> None:
    assert len(store.euis()) == 200 + 8 + 3  # devices, remote parties, parser test keys
    assert store.has_ka_public(ESME) and store.has_ds_public(ESME)
    assert not store.has_ka_private(ESME) and not store.has_ds_private(ESME)
    assert store.has_ka_private(SUPPLIER) and store.has_ds_private(SUPPLIER)
    assert store.has_prepayment_ka_private(SUPPLIER)
    assert not store.has_prepayment_ka_private(ESME)
    assert store.has_certificate(ESME, "ds") and store.has_certificate(SUPPLIER, "prepayment")


def test_every_rtds_certificate_names_its_file_eui_and_usage(store: KeyStore) -> None:
    quirks = []
    for path in sorted(keystore_dir().glob("*.pem")):
        eui = bytes.fromhex(path.name[:16])
        usage = KeyUsage(path.stem[17:])
        if not store.has_certificate(eui, usage):
            assert eui == BARE_KEY
            continue
        info = certificate_info(store.certificate(eui, usage))
        expected = KeyUsage.KEY_AGREEMENT if usage is KeyUsage.PREPAYMENT else usage
        assert info.usage is expected
        assert (info.remote_party_role is None) == (eui[:1] == b"\x00")
        if info.eui64 != eui:
            quirks.append((path.name, info.eui64))
    assert quirks == [("90b3d51f30000007-ka.pem", SUPPLIER_2)]


def test_private_keys_match_their_certificates(store: KeyStore) -> None:
    for eui in store.euis():
        for usage in KeyUsage:
            if store.has_private_key(eui, usage) and store.has_certificate(eui, usage):
                assert point(store.private_key(eui, usage).public_key()) == point(
                    store.certificate(eui, usage).public_key())


def test_file_name_decides_the_eui(store: KeyStore) -> None:
    assert certificate_info(store.certificate(WAN_PROVIDER, "ka")).eui64 == SUPPLIER_2
    assert point(store.ka_public(WAN_PROVIDER)) == point(store.ka_public(SUPPLIER_2))


def test_bare_public_key_has_no_certificate(store: KeyStore) -> None:
    assert store.ka_public(BARE_KEY).curve.name == "secp256r1"
    assert not store.has_certificate(BARE_KEY, "ka")
    with pytest.raises(KeyNotFoundError, match="FFFFFFFFFFFFFFFE"):
        store.certificate(BARE_KEY, "ka")


@pytest.mark.parametrize(("lookup", "message"), [
    (lambda s: s.ds_private(ESME), "no digital-signature private key for 00DB1234567890A0"),
    (lambda s: s.ka_private(ESME), "no key-agreement private key for 00DB1234567890A0"),
    (lambda s: s.prepayment_ka_private(ESME),
     "no prepayment key-agreement private key for 00DB1234567890A0"),
    (lambda s: s.ka_public(DEVICE), "no key-agreement public key or certificate for "
     "0123456789ABCDEF"),
    (lambda s: s.certificate(DEVICE, "ds"), "no digital-signature certificate for "
     "0123456789ABCDEF"),
    (lambda s: s.shared_secret(ESME, bytes.fromhex("00DB1234567890A1")),
     "neither the key-agreement key of 00DB1234567890A0 nor the key-agreement key of "
     "00DB1234567890A1"),
])
def test_missing_keys_name_the_eui_and_kind(store: KeyStore, lookup, message: str) -> None:
    with pytest.raises(KeyNotFoundError) as raised:
        lookup(store)
    assert message in str(raised.value)
    assert isinstance(raised.value, KeyError)


def test_files_are_read_only_when_first_needed(tmp_path: Path) -> None:
    good = generate_key_pair()
    (tmp_path / key_file_name(DEVICE, "ka", private=True)).write_bytes(good.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (tmp_path / key_file_name(OTHER_DEVICE, "ds", private=False)).write_text("not a PEM")
    (tmp_path / "README.txt").write_text("ignored")
    (tmp_path / "0123-ka.pem").write_text("ignored: not an EUI-64")
    store = KeyStore(tmp_path)  # the broken file is indexed, not read
    assert store.euis() == {DEVICE, OTHER_DEVICE}
    assert point(store.ka_public(DEVICE)) == point(good.public_key())
    with pytest.raises(CryptoError, match=r"0123456789abcde0-ds\.pem"):
        store.ds_public(OTHER_DEVICE)


def test_only_regular_key_files_are_indexed(tmp_path: Path) -> None:
    key = generate_key_pair()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / key_file_name(DEVICE, "ka", private=True)).write_bytes(pem)
    (tmp_path / key_file_name(OTHER_DEVICE, "ka", private=True)).mkdir()  # a directory
    (tmp_path / key_file_name(DEVICE, "ka", private=True)).symlink_to(
        tmp_path / "keys" / key_file_name(DEVICE, "ka", private=True))
    (tmp_path / key_file_name(DEVICE, "ds", private=True)).symlink_to(tmp_path / "gone")
    store = KeyStore(tmp_path)
    assert store.euis() == {DEVICE}
    assert point(store.ka_public(DEVICE)) == point(key.public_key())


def test_a_non_p256_key_file_is_refused(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    (tmp_path / key_file_name(DEVICE, "ds", private=True)).write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    with pytest.raises(CryptoError, match="P-256"):
        KeyStore(tmp_path).ds_private(DEVICE)


def test_shared_secret_from_either_side_and_cached(store: KeyStore, monkeypatch) -> None:
    device_key = generate_key_pair()
    store.add(DEVICE, "ka", private_key=device_key)
    from_supplier = ecdh_shared_secret(store.ka_private(SUPPLIER), device_key.public_key())
    calls = []
    real = keystore_module.ecdh_shared_secret
    monkeypatch.setattr(keystore_module, "ecdh_shared_secret",
                        lambda *keys: calls.append(keys) or real(*keys))
    assert store.shared_secret(DEVICE, SUPPLIER) == from_supplier
    assert store.shared_secret(SUPPLIER, DEVICE) == from_supplier
    assert store.shared_secret(DEVICE, SUPPLIER) == from_supplier
    assert len(calls) == 1
    # The ESME has no private key: the supplier's side is used.
    assert store.shared_secret(ESME, SUPPLIER) == store.shared_secret(SUPPLIER, ESME)


def test_prepayment_shared_secret_uses_the_prepayment_key(store: KeyStore) -> None:
    expected = ecdh_shared_secret(store.prepayment_ka_private(SUPPLIER), store.ka_public(ESME))
    assert store.shared_secret(SUPPLIER, ESME, "prepayment") == expected
    assert store.shared_secret(SUPPLIER, ESME, "ka") != expected
    with pytest.raises(ValueError):
        store.shared_secret(SUPPLIER, ESME, "ds")


def test_key_for_combines_shared_secret_and_kdf_with_a_cache(store: KeyStore,
                                                              monkeypatch) -> None:
    expected = derive_key(store.shared_secret(SUPPLIER, ESME), ESME, 2, 5, SUPPLIER)
    calls = []
    real = keystore_module.derive_key
    monkeypatch.setattr(keystore_module, "derive_key",
                        lambda *args: calls.append(args) or real(*args))
    for _ in range(3):
        assert store.key_for(SUPPLIER, ESME, originator=ESME, cra=2, counter=5,
                             recipient=SUPPLIER) == expected
    assert len(calls) == 1


def test_add_validates_and_replaces_and_clears_caches(store: KeyStore) -> None:
    first, second = generate_key_pair(), generate_key_pair()
    with pytest.raises(CryptoError, match="do not match"):
        store.add(DEVICE, "ka", private_key=first, public_key=second.public_key())
    with pytest.raises(ValueError):
        store.add(DEVICE, "ka")
    store.add(DEVICE, "ka", private_key=first)
    old = store.shared_secret(DEVICE, SUPPLIER)
    store.add(DEVICE, "ka", public_key=second.public_key())
    assert not store.has_ka_private(DEVICE)
    assert point(store.ka_public(DEVICE)) == point(second.public_key())
    assert store.shared_secret(DEVICE, SUPPLIER) != old
    # A programmatic key also replaces an RTDS file for the same slot.
    store.add(ESME, "ds", private_key=first)
    assert point(store.ds_public(ESME)) == point(first.public_key())
    assert not store.has_certificate(ESME, "ds")


def test_save_and_load_back(tmp_path: Path) -> None:
    authority = CertificateAuthority.generate()
    key = generate_key_pair()
    certificate = authority.issue_device_certificate(DEVICE, key.public_key(), "ds")
    store = KeyStore()
    store.add(DEVICE, KeyUsage.DIGITAL_SIGNATURE, private_key=key, certificate=certificate)
    ka_key = generate_key_pair()
    store.add(DEVICE, "ka", public_key=ka_key.public_key())

    written = store.save(tmp_path / "keys", DEVICE, "ds")
    written += store.save(tmp_path / "keys", DEVICE, "ka")
    assert sorted(path.name for path in written) == [
        "0123456789abcdef-ds.key", "0123456789abcdef-ds.pem", "0123456789abcdef-ka.pem"]
    assert store.save(tmp_path / "public", DEVICE, "ds", include_private=False)[0].name == (
        "0123456789abcdef-ds.pem")

    loaded = KeyStore(tmp_path / "keys")
    assert loaded.certificate(DEVICE, "ds") == certificate
    assert point(loaded.ds_private(DEVICE).public_key()) == point(key.public_key())
    assert point(loaded.ka_public(DEVICE)) == point(ka_key.public_key())
    assert not loaded.has_certificate(DEVICE, "ka")
    info = certificate_info(loaded.certificate(DEVICE, "ds"))
    assert (info.eui64, info.usage) == (DEVICE, KeyUsage.DIGITAL_SIGNATURE)
    assert isinstance(loaded.certificate(DEVICE, "ds"), x509.Certificate)


def test_key_usage_names() -> None:
    assert KeyUsage("pp-ka") is KeyUsage.PREPAYMENT
    assert key_file_name(SUPPLIER, "prepayment", private=True) == "90b3d51f30010000-pp-ka.key"
    with pytest.raises(ValueError):
        KeyUsage("signing")
    with pytest.raises(ValueError):
        KeyStore().has_ka_public(b"\x00" * 7)


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CryptoError):
        KeyStore(tmp_path / "absent")
    with pytest.raises(CryptoError):
        KeyStore.load(tmp_path / "absent")
    assert KeyStore.load(tmp_path).euis() == frozenset()


def test_public_keys_read_from_certificate_der_match_x509(store: KeyStore) -> None:
    for path in sorted(keystore_dir().glob("*.pem")):
        data = path.read_bytes()
        if b"CERTIFICATE" not in data:
            continue
        eui, usage = bytes.fromhex(path.name[:16]), KeyUsage(path.stem[17:])
        expected = x509.load_pem_x509_certificate(data).public_key()
        assert point(KeyStore(keystore_dir()).public_key(eui, usage)) == point(expected)
        assert store.certificate(eui, usage).public_bytes(serialization.Encoding.DER) == (
            x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER))


@pytest.mark.parametrize("text", [
    b"-----BEGIN CERTIFICATE-----\nMIIB\n",  # unterminated
    b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n",  # no key in it
])
def test_a_malformed_certificate_file_is_a_crypto_error(tmp_path: Path, text: bytes) -> None:
    (tmp_path / key_file_name(DEVICE, "ds", private=False)).write_bytes(text)
    store = KeyStore(tmp_path)
    with pytest.raises(CryptoError, match=key_file_name(DEVICE, "ds", private=False)):
        store.ds_public(DEVICE)

