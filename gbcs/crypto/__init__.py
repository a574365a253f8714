"""GBCS cryptography (primer §7): key agreement and derivation, MACs, signatures,
payload encryption, UTRNs, the key store and a test PKI.

All primitives come from the ``cryptography`` package; these modules only arrange
the GBCS inputs (system titles, counters, CRA flags) around them.

The test PKI (:mod:`gbcs.crypto.issuing`, which needs ``pyasn1`` and the X.509 builders)
and UTRNs (:mod:`gbcs.crypto.utrn`) are imported when one of their names is first used.
"""

import importlib

from gbcs.crypto.cipher import SECURITY_CONTROL_ENCRYPTED, decrypt_part, encrypt_part
from gbcs.crypto.kdf import (
    CRA_ALERT,
    CRA_COMMAND,
    CRA_ENCRYPTION,
    CRA_RESPONSE,
    derive_key,
    ecdh_shared_secret,
    other_info,
)
from gbcs.crypto.keystore import KeyStore, KeyUsage, key_file_name, write_key_files
from gbcs.crypto.mac import MAC_SIZE, SECURITY_CONTROL_AUTHENTICATED, compute_mac, verify_mac
from gbcs.crypto.signature import SIGNATURE_SIZE, der_to_raw, raw_to_der, sign, verify

_LAZY = {
    **dict.fromkeys(("CertificateAuthority", "CertificateInfo", "RemotePartyRole",
                     "certificate_info", "generate_key_pair"), "gbcs.crypto.issuing"),
    **dict.fromkeys(("Utrn", "ValueClass", "generate_utrn", "parse_utrn",
                     "utrn_from_shared_secret", "verify_utrn"), "gbcs.crypto.utrn"),
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "CRA_ALERT",
    "CRA_COMMAND",
    "CRA_ENCRYPTION",
    "CRA_RESPONSE",
    "MAC_SIZE",
    "SECURITY_CONTROL_AUTHENTICATED",
    "SECURITY_CONTROL_ENCRYPTED",
    "SIGNATURE_SIZE",
    "CertificateAuthority",
    "CertificateInfo",
    "KeyStore",
    "KeyUsage",
    "RemotePartyRole",
    "Utrn",
    "ValueClass",
    "certificate_info",
    "compute_mac",
    "decrypt_part",
    "der_to_raw",
    "derive_key",
    "ecdh_shared_secret",
    "encrypt_part",
    "generate_key_pair",
    "generate_utrn",
    "key_file_name",
    "other_info",
    "parse_utrn",
    "raw_to_der",
    "sign",
    "utrn_from_shared_secret",
    "verify",
    "verify_mac",
    "verify_utrn",
    "write_key_files",
]
