"""Key store files: certificates are kept as DER with their public key read from it,
keys are read by ``cryptography``; verifying never loads ``cryptography.x509``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gbcs.crypto.key_files import (
    CertificateFile,
    read_private_file,
    read_public_file,
)
from gbcs.errors import CryptoError
from tests.rtds import keystore_dir


def point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.UncompressedPoint)


def private_pem(key: ec.EllipticCurvePrivateKey, form=serialization.PrivateFormat.PKCS8,
                encryption=None) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, form,
                             encryption or serialization.NoEncryption())


def test_every_rtds_key_file_reads_as_cryptography_reads_it() -> None:
    for path in sorted(keystore_dir().iterdir()):
        data = path.read_bytes()
        if path.suffix == ".key":
            expected = serialization.load_pem_private_key(data, password=None)
            key = read_private_file(str(path))
            assert key.private_numbers() == expected.private_numbers(), path.name
        elif b"CERTIFICATE" in data:
            source = read_public_file(str(path))
            assert isinstance(source, CertificateFile)
            certificate = x509.load_pem_x509_certificate(data)
            assert point(source.public_key) == point(certificate.public_key()), path.name
            assert source.parse(path.name) == certificate
        else:
            source = read_public_file(str(path))
            assert point(source) == point(serialization.load_pem_public_key(data))


@pytest.mark.parametrize("form", [serialization.PrivateFormat.PKCS8,
                                  serialization.PrivateFormat.TraditionalOpenSSL])
def test_pkcs8_and_sec1_private_keys(tmp_path: Path, form) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "k.key"
    path.write_bytes(private_pem(key, form))
    assert read_private_file(str(path)).private_numbers() == key.private_numbers()


def test_a_bare_public_key_and_one_with_text_around_it(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    pem = key.public_bytes(serialization.Encoding.PEM,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    path = tmp_path / "k.pem"
    path.write_bytes(b"a comment\n" + pem + b"trailing text\n")
    assert point(read_public_file(str(path))) == point(key)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: private_pem(ec.generate_private_key(ec.SECP384R1())), "P-256"),
    (lambda: private_pem(ec.generate_private_key(ec.SECP256R1()),
                         encryption=serialization.BestAvailableEncryption(b"pw")), "private"),
    (lambda: b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n", "private"),
    (lambda: b"not a key at all", "private"),
])
def test_unusual_or_bad_private_key_files_are_crypto_errors(tmp_path: Path, make,
                                                            message: str) -> None:
    path = tmp_path / "k.key"
    path.write_bytes(make())
    with pytest.raises(CryptoError, match=message) as raised:
        read_private_file(str(path))
    assert str(path) in str(raised.value)


def test_a_p384_public_key_is_refused(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP384R1()).public_key()
    path = tmp_path / "k.pem"
    path.write_bytes(key.public_bytes(serialization.Encoding.PEM,
                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    with pytest.raises(CryptoError, match="P-256"):
        read_public_file(str(path))


def test_verifying_does_not_load_x509() -> None:
    code = (
        "import sys\n"
        "from tools.gbcs_cli import main\n"
        f"code = main(['verify', '--keys', {str(keystore_dir())!r}, "
        f"{str(keystore_dir().parent)!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('cryptography.x509')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines()[-1] == "0 []"
