"""Sensitive (encrypted) parts of responses and alerts: finding, opening, checking them.

Primer §7.7: only parts of a payload are encrypted, with security control ``0x31`` —
the ZCL payload of a GBZ component whose control byte says so (also the component a
GCS53 alert embeds), and the DLMS get_protected_attributes octet-string (also ECS68).
"""

from __future__ import annotations

from gbcs.crypto import KeyStore, decrypt_part
from gbcs.dlms import AccessResponse, DataNotification
from gbcs.dlms.protection import decode_protected_plaintext, find_protected_payloads
from gbcs.errors import CryptoError, DecodeError, KeyNotFoundError
from gbcs.gbz import GbzAlert, GbzComponent, GbzPayload
from gbcs.message import GbcsMessage
from gbcs.value_type import value_type


@value_type
class SensitivePart:
    """One encrypted part: where it is, its ciphered bytes (``31 ‖ IC ‖ ct ‖ tag``), and
    how to read its plaintext."""

    location: str
    ciphered: bytes
    component: GbzComponent | None = None

    def decode_plaintext(self, plaintext: bytes):
        if self.component is not None:
            return self.component.zcl_command(plaintext)
        return decode_protected_plaintext(plaintext)


@value_type
class OpenedPart:
    """A sensitive part after decryption: its plaintext and decoded value, or the error."""

    part: SensitivePart
    plaintext: bytes | None
    value: object = None
    error: str = ""


def _gbz_ciphered(component: GbzComponent) -> bytes:
    counter = component.encryption.invocation_counter
    return b"\x31" + counter.to_bytes(4, "big") + component.payload


def sensitive_parts(message: GbcsMessage) -> list[SensitivePart]:
    payload = message.payload
    parts: list[SensitivePart] = []
    if isinstance(payload, GbzPayload):
        for index, component in enumerate(payload.components):
            if component.is_encrypted:
                parts.append(SensitivePart(f"component[{index}]", _gbz_ciphered(component),
                                           component))
    elif isinstance(payload, GbzAlert):
        if isinstance(payload.data, GbzComponent) and payload.data.is_encrypted:
            parts.append(SensitivePart("alert.component", _gbz_ciphered(payload.data),
                                       payload.data))
    elif isinstance(payload, AccessResponse | DataNotification):
        for found in find_protected_payloads(payload):
            where = ".".join(str(step) for step in found.path)
            p = found.payload
            parts.append(SensitivePart(
                f"data[{where}]", bytes((p.security_control,))
                + p.invocation_counter.to_bytes(4, "big") + p.ciphertext + p.tag))
    return parts


def open_parts(message: GbcsMessage, keys: KeyStore) -> list[OpenedPart]:
    """Decrypt and decode every sensitive part; failures are reported, not raised."""
    from gbcs.secure import encryption_key

    parts = sensitive_parts(message)
    if not parts:
        return []
    try:
        key = encryption_key(message.header, keys)
    except KeyNotFoundError as missing:
        return [OpenedPart(part, None, error=f"unverifiable: {missing}") for part in parts]
    opened = []
    for part in parts:
        try:
            plaintext = decrypt_part(key, message.header.originator, part.ciphered)
        except CryptoError as error:
            opened.append(OpenedPart(part, None, error=f"invalid: {error}"))
            continue
        try:
            opened.append(OpenedPart(part, plaintext, part.decode_plaintext(plaintext)))
        except DecodeError as error:
            opened.append(OpenedPart(part, plaintext, error=f"plaintext malformed: {error}"))
    return opened

