"""Keys and certificates of devices and remote parties, looked up by EUI-64.

A :class:`KeyStore` indexes a directory named like the RTDS keystore
(``<eui lower-case hex>[-pp]-<ka|ds>.<pem|key>``) when it is created and reads a file
only the first time its key is asked for; the file name, not the certificate
subject, decides whose key it is. Emulated devices add generated keys and
certificates with :meth:`KeyStore.add` and write them back out with
:meth:`KeyStore.save`. This module and :mod:`gbcs.crypto.key_files` (which reads and
writes the PEM files) are the only places in :mod:`gbcs` that touch files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gbcs.crypto.kdf import check_system_title, derive_key, ecdh_shared_secret
from gbcs.crypto.key_files import (
    CertificateFile,
    check_p256,
    p256_public_key,
    public_point,
    read_private_file,
    read_public_file,
)
from gbcs.errors import CryptoError, KeyNotFoundError

if TYPE_CHECKING:
    from cryptography import x509

    from gbcs.crypto.key_files import PublicSource


class KeyUsage(StrEnum):
    """Which of a party's P-256 key pairs: key agreement, signature, prepayment (UTRN)."""

    KEY_AGREEMENT = "ka"
    DIGITAL_SIGNATURE = "ds"
    PREPAYMENT = "prepayment"

    @classmethod
    def _missing_(cls, value: object) -> KeyUsage | None:
        return cls.PREPAYMENT if value == "pp-ka" else None

    @property
    def file_tag(self) -> str:
        """The part of a keystore file name between the EUI and the extension."""
        return "pp-ka" if self is KeyUsage.PREPAYMENT else self.value

    @property
    def description(self) -> str:
        return {
            KeyUsage.KEY_AGREEMENT: "key-agreement",
            KeyUsage.DIGITAL_SIGNATURE: "digital-signature",
            KeyUsage.PREPAYMENT: "prepayment key-agreement",
        }[self]


_KEY_FILE_NAME = re.compile(r"([0-9a-fA-F]{16})-(pp-ka|ka|ds)\.(pem|key)")
_Slot = tuple[bytes, KeyUsage]
def eui_text(eui: bytes) -> str:
    """An EUI-64 as GBCS documents print it: 16 upper-case hex digits."""
    return bytes(eui).hex().upper()


def key_file_name(eui: bytes, usage: KeyUsage | str, *, private: bool) -> str:
    """``<eui>-<ka|ds|pp-ka>.<key|pem>``: the keystore file name of one key."""
    usage = KeyUsage(usage)
    extension = "key" if private else "pem"
    return f"{check_system_title(eui, 'EUI').hex()}-{usage.file_tag}.{extension}"


def write_key_files(
    directory: Path | str,
    eui: bytes,
    usage: KeyUsage | str,
    *,
    certificate: x509.Certificate | None = None,
    public_key: ec.EllipticCurvePublicKey | None = None,
    private_key: ec.EllipticCurvePrivateKey | None = None,
) -> tuple[Path, ...]:
    """Write a certificate (or bare public key) ``.pem`` and/or PKCS#8 ``.key`` file.

    Files are named as in the RTDS keystore so that a :class:`KeyStore` reads them back.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    if certificate is not None:
        public_pem = certificate.public_bytes(serialization.Encoding.PEM)
    elif public_key is not None:
        public_pem = public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    else:
        public_pem = None
    if public_pem is not None:
        path = directory / key_file_name(eui, usage, private=False)
        path.write_bytes(public_pem)
        written.append(path)
    if private_key is not None:
        path = directory / key_file_name(eui, usage, private=True)
        path.write_bytes(private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        written.append(path)
    return tuple(written)


class KeyStore:
    """Private keys, public keys and certificates by (EUI-64, key usage), loaded lazily.

    Shared secrets and derived AES keys are cached; adding keys clears those caches.
    """

    DERIVED_KEY_CACHE_SIZE = 8192

    def __init__(self, directory: Path | str | None = None) -> None:
        self._private_files: dict[_Slot, str] = {}
        self._public_files: dict[_Slot, str] = {}
        self._private_keys: dict[_Slot, ec.EllipticCurvePrivateKey] = {}
        self._public_sources: dict[_Slot, PublicSource] = {}
        self._public_keys: dict[_Slot, ec.EllipticCurvePublicKey] = {}
        self._shared_secrets: dict[tuple[_Slot, _Slot], bytes] = {}
        self._derived_keys = lru_cache(maxsize=self.DERIVED_KEY_CACHE_SIZE)(self._derive_key)
        if directory is not None:
            self.add_directory(directory)

    @classmethod
    def load(cls, directory: Path | str) -> KeyStore:
        """A store indexing ``directory`` (files are read when first needed)."""
        return cls(directory)

    # -- populating -----------------------------------------------------------------

    def add_directory(self, directory: Path | str) -> int:
        """Index every keystore-named file in ``directory``; returns how many were found."""
        directory = Path(directory)
        if not directory.is_dir():
            raise CryptoError(f"key store directory {directory} does not exist")
        found: dict[_Slot, dict[str, str]] = {}
        # The files of sorted(directory.iterdir()) that are files, named as str() of their
        # Path, without a stat call or a Path object per file (most are never read).
        base = "" if str(directory) == "." else str(directory)
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: os.path.normcase(entry.name))
        for entry in entries:
            match = _KEY_FILE_NAME.fullmatch(entry.name)
            if match is not None and entry.is_file():
                slot = (bytes.fromhex(match[1]), KeyUsage(match[2]))
                found.setdefault(slot, {})[match[3]] = os.path.join(base, entry.name)
        for slot, files in found.items():
            self._forget(slot)
            if "key" in files:
                self._private_files[slot] = files["key"]
            if "pem" in files:
                self._public_files[slot] = files["pem"]
        self._clear_caches()
        return sum(len(files) for files in found.values())

    def add(
        self,
        eui: bytes,
        usage: KeyUsage | str,
        *,
        private_key: ec.EllipticCurvePrivateKey | None = None,
        certificate: x509.Certificate | None = None,
        public_key: ec.EllipticCurvePublicKey | None = None,
    ) -> None:
        """Replace whatever is held for (``eui``, ``usage``) with the given objects."""
        slot = self._slot(eui, usage)
        if private_key is None and certificate is None and public_key is None:
            raise ValueError("add() needs a private key, a certificate or a public key")
        public_source: PublicSource | None = certificate if certificate is not None else (
            public_key)
        publics = [key for key in (
            certificate.public_key() if certificate is not None else None,
            public_key,
            private_key.public_key() if private_key is not None else None,
        ) if key is not None]
        for key in publics:
            check_p256(key, f"{slot[1].description} key of {eui_text(slot[0])}")
        if len({public_point(key) for key in publics}) > 1:
            raise CryptoError(f"the {slot[1].description} keys given for {eui_text(slot[0])} "
                              "do not match")
        self._forget(slot)
        if private_key is not None:
            self._private_keys[slot] = private_key
        if public_source is not None:
            self._public_sources[slot] = public_source
        self._clear_caches()

    def save(self, directory: Path | str, eui: bytes, usage: KeyUsage | str, *,
             include_private: bool = True) -> tuple[Path, ...]:
        """Write what is held for (``eui``, ``usage``) to ``directory`` as keystore files."""
        slot = self._slot(eui, usage)
        certificate = self.certificate(*slot) if self.has_certificate(*slot) else None
        private_key = (self.private_key(*slot)
                       if include_private and self.has_private_key(*slot) else None)
        return write_key_files(
            directory, slot[0], slot[1], certificate=certificate,
            public_key=self.public_key(*slot) if certificate is None else None,
            private_key=private_key)

    def euis(self) -> frozenset[bytes]:
        """Every EUI-64 this store holds something for."""
        slots: Iterable[_Slot] = (*self._private_files, *self._public_files,
                                  *self._private_keys, *self._public_sources)
        return frozenset(eui for eui, _ in slots)

    # -- generic lookups ------------------------------------------------------------

    def has_private_key(self, eui: bytes, usage: KeyUsage | str) -> bool:
        slot = self._slot(eui, usage)
        return slot in self._private_keys or slot in self._private_files

    def has_public_key(self, eui: bytes, usage: KeyUsage | str) -> bool:
        slot = self._slot(eui, usage)
        return (slot in self._public_sources or slot in self._public_files
                or self.has_private_key(*slot))

    def has_certificate(self, eui: bytes, usage: KeyUsage | str) -> bool:
        slot = self._slot(eui, usage)
        source = self._public_source(slot)
        return source is not None and not isinstance(source, ec.EllipticCurvePublicKey)

    def private_key(self, eui: bytes, usage: KeyUsage | str) -> ec.EllipticCurvePrivateKey:
        slot = self._slot(eui, usage)
        key = self._private_keys.get(slot)
        if key is None:
            path = self._private_files.get(slot)
            if path is None:
                raise self._not_found(slot, "private key")
            key = self._private_keys[slot] = self._read_private_key(path)
        return key

    def public_key(self, eui: bytes, usage: KeyUsage | str) -> ec.EllipticCurvePublicKey:
        slot = self._slot(eui, usage)
        key = self._public_keys.get(slot)
        if key is not None:
            return key
        source = self._public_source(slot)
        if isinstance(source, ec.EllipticCurvePublicKey | CertificateFile):
            key = source if isinstance(source, ec.EllipticCurvePublicKey) else source.public_key
        elif source is not None:
            key = p256_public_key(source.public_key(), f"certificate of {eui_text(slot[0])}")
        elif self.has_private_key(*slot):
            key = self.private_key(*slot).public_key()
        else:
            raise self._not_found(slot, "public key or certificate")
        self._public_keys[slot] = key
        return key

    def certificate_der(self, eui: bytes, usage: KeyUsage | str) -> bytes:
        """The DER of the certificate, without parsing it if it came from a file."""
        source = self._public_source(self._slot(eui, usage))
        if isinstance(source, CertificateFile):
            return source.der
        return self.certificate(eui, usage).public_bytes(serialization.Encoding.DER)

    def certificate(self, eui: bytes, usage: KeyUsage | str) -> x509.Certificate:
        slot = self._slot(eui, usage)
        source = self._public_source(slot)
        if isinstance(source, CertificateFile):
            source = self._public_sources[slot] = source.parse(self._public_files[slot])
        if source is not None and not isinstance(source, ec.EllipticCurvePublicKey):
            return source
        if source is not None:
            raise KeyNotFoundError(
                f"only a bare public key, no certificate, for the {slot[1].description} key "
                f"of {eui_text(slot[0])}")
        raise self._not_found(slot, "certificate")

    # -- named lookups --------------------------------------------------------------

    def ka_private(self, eui: bytes) -> ec.EllipticCurvePrivateKey:
        return self.private_key(eui, KeyUsage.KEY_AGREEMENT)

    def ka_public(self, eui: bytes) -> ec.EllipticCurvePublicKey:
        return self.public_key(eui, KeyUsage.KEY_AGREEMENT)

    def ds_private(self, eui: bytes) -> ec.EllipticCurvePrivateKey:
        return self.private_key(eui, KeyUsage.DIGITAL_SIGNATURE)

    def ds_public(self, eui: bytes) -> ec.EllipticCurvePublicKey:
        return self.public_key(eui, KeyUsage.DIGITAL_SIGNATURE)

    def prepayment_ka_private(self, eui: bytes) -> ec.EllipticCurvePrivateKey:
        return self.private_key(eui, KeyUsage.PREPAYMENT)

    def prepayment_ka_public(self, eui: bytes) -> ec.EllipticCurvePublicKey:
        return self.public_key(eui, KeyUsage.PREPAYMENT)

    def has_ka_private(self, eui: bytes) -> bool:
        return self.has_private_key(eui, KeyUsage.KEY_AGREEMENT)

    def has_ka_public(self, eui: bytes) -> bool:
        return self.has_public_key(eui, KeyUsage.KEY_AGREEMENT)

    def has_ds_private(self, eui: bytes) -> bool:
        return self.has_private_key(eui, KeyUsage.DIGITAL_SIGNATURE)

    def has_ds_public(self, eui: bytes) -> bool:
        return self.has_public_key(eui, KeyUsage.DIGITAL_SIGNATURE)

    def has_prepayment_ka_private(self, eui: bytes) -> bool:
        return self.has_private_key(eui, KeyUsage.PREPAYMENT)

    # -- key agreement --------------------------------------------------------------

    def shared_secret(self, eui_a: bytes, eui_b: bytes,
                      usage: KeyUsage | str = KeyUsage.KEY_AGREEMENT) -> bytes:
        """Z between ``eui_a``'s ``usage`` key and ``eui_b``'s KA key, from either side.

        ``usage`` is ``"ka"`` (both KA keys) or ``"prepayment"`` (``eui_a`` is the
        supplier whose prepayment KA key authenticates UTRNs for device ``eui_b``).
        """
        slot_a = self._slot(eui_a, usage)
        if slot_a[1] is KeyUsage.DIGITAL_SIGNATURE:
            raise ValueError("digital-signature keys take no part in key agreement")
        slot_b = self._slot(eui_b, KeyUsage.KEY_AGREEMENT)
        secret = self._shared_secrets.get((slot_a, slot_b))
        if secret is not None:
            return secret
        if self.has_private_key(*slot_a):
            secret = ecdh_shared_secret(self.private_key(*slot_a), self.public_key(*slot_b))
        elif self.has_private_key(*slot_b):
            secret = ecdh_shared_secret(self.private_key(*slot_b), self.public_key(*slot_a))
        else:
            raise KeyNotFoundError(
                f"no private key on either side: neither the {slot_a[1].description} key of "
                f"{eui_text(slot_a[0])} nor the key-agreement key of {eui_text(slot_b[0])}")
        self._shared_secrets[slot_a, slot_b] = self._shared_secrets[slot_b, slot_a] = secret
        return secret

    def key_for(
        self,
        party_a: bytes,
        party_b: bytes,
        *,
        originator: bytes,
        cra: int,
        counter: int,
        recipient: bytes,
        usage: KeyUsage | str = KeyUsage.KEY_AGREEMENT,
    ) -> bytes:
        """The 16-byte key agreed between ``party_a`` and ``party_b`` for one message.

        The ECDH parties and the OtherInfo fields differ for command MACs (ACB ⟷ device,
        OtherInfo names the originating remote party) and encryption (supplementary
        remote party), so both are given explicitly.
        """
        return self._derived_keys(bytes(party_a), bytes(party_b), KeyUsage(usage),
                                  bytes(originator), cra, counter, bytes(recipient))

    def _derive_key(self, party_a: bytes, party_b: bytes, usage: KeyUsage, originator: bytes,
                    cra: int, counter: int, recipient: bytes) -> bytes:
        return derive_key(self.shared_secret(party_a, party_b, usage),
                          originator, cra, counter, recipient)

    # -- internals ------------------------------------------------------------------

    @staticmethod
    def _slot(eui: bytes, usage: KeyUsage | str) -> _Slot:
        return check_system_title(eui, "EUI"), KeyUsage(usage)

    @staticmethod
    def _not_found(slot: _Slot, what: str) -> KeyNotFoundError:
        return KeyNotFoundError(
            f"no {slot[1].description} {what} for {eui_text(slot[0])} in the key store")

    def _forget(self, slot: _Slot) -> None:
        for held in (self._private_files, self._public_files, self._private_keys,
                     self._public_sources, self._public_keys):
            held.pop(slot, None)

    def _clear_caches(self) -> None:
        self._shared_secrets.clear()
        self._derived_keys.cache_clear()

    def _public_source(self, slot: _Slot) -> PublicSource | None:
        source = self._public_sources.get(slot)
        if source is None and slot in self._public_files:
            source = self._public_sources[slot] = self._read_public(self._public_files[slot])
        return source

    @staticmethod
    def _read_private_key(path: str) -> ec.EllipticCurvePrivateKey:
        return read_private_file(path)

    @staticmethod
    def _read_public(path: str) -> PublicSource:
        return read_public_file(path)
