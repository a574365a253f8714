"""Message-level protection: which keys protect a message, checking and applying them.

Primer §7.1: a command's MAC is agreed between the DCC Access Control Broker (ACB) and
the device, even when the Grouping Header names a supplier as originator; responses
and alerts are MAC'd between device and recipient; critical commands are signed by the
originating remote party, critical responses and alerts by the device; sensitive parts
are encrypted for the supplementary remote party when Other-Information names one.
"""

from __future__ import annotations

import enum
import weakref
from dataclasses import replace

from gbcs.asn1.certificate_fields import subject_role
from gbcs.asn1.payloads_common import RemotePartyRole
from gbcs.crypto import CRA_ENCRYPTION, KeyStore, KeyUsage, compute_mac, sign, verify, verify_mac
from gbcs.errors import CryptoError, KeyNotFoundError
from gbcs.framing.general_ciphering import AUTHENTICATION_ONLY, MacEnvelope
from gbcs.framing.general_signing import Cra, GroupingHeader
from gbcs.message import GbcsMessage
from gbcs.sensitive import open_parts, sensitive_parts
from gbcs.value_type import value_type


class CheckStatus(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"
    UNVERIFIABLE = "unverifiable"


@value_type
class Check:
    """The outcome of one check (MAC, signature or decryption) of a message."""

    name: str
    status: CheckStatus
    detail: str = ""


@value_type
class VerificationReport:
    """Every check :func:`verify_message` made of one message."""

    checks: tuple[Check, ...]

    @property
    def valid(self) -> bool:
        """No check failed (unverifiable checks do not count as failures)."""
        return all(check.status is not CheckStatus.INVALID for check in self.checks)

    def status(self, name: str) -> CheckStatus | None:
        return next((c.status for c in self.checks if c.name == name), None)


# =====================================================================================
# Who is who
# =====================================================================================

_ACB_BY_STORE: weakref.WeakKeyDictionary[KeyStore, bytes | None] = weakref.WeakKeyDictionary()
_ROLES_BY_STORE: weakref.WeakKeyDictionary[KeyStore, dict] = weakref.WeakKeyDictionary()
_NO_CERTIFICATE = object()


def _certified_role(keys: KeyStore, eui: bytes):
    """The role in ``eui``'s certificate (None for a device), or ``_NO_CERTIFICATE``."""
    roles = _ROLES_BY_STORE.setdefault(keys, {})
    if eui not in roles:
        roles[eui] = _NO_CERTIFICATE
        for usage in (KeyUsage.KEY_AGREEMENT, KeyUsage.DIGITAL_SIGNATURE):
            if keys.has_certificate(eui, usage):
                roles[eui] = subject_role(keys.certificate_der(eui, usage))
                break
    return roles[eui]


def party_role(keys: KeyStore, eui: bytes) -> RemotePartyRole | int | None:
    """The remote-party role in ``eui``'s certificate; None for a device or no certificate."""
    role = _certified_role(keys, eui)
    return None if role is _NO_CERTIFICATE else role


def is_device(keys: KeyStore, eui: bytes) -> bool:
    """Whether ``eui`` holds a device certificate (one without a remote-party role)."""
    return _certified_role(keys, eui) is None


def access_control_broker(keys: KeyStore) -> bytes | None:
    """The EUI whose KA certificate carries the ACB role, found once per key store."""
    if keys in _ACB_BY_STORE:
        return _ACB_BY_STORE[keys]
    found = None
    euis = sorted(keys.euis())
    holders = [e for e in euis if keys.has_private_key(e, KeyUsage.KEY_AGREEMENT)]
    for eui in holders + [e for e in euis if e not in holders]:
        if party_role(keys, eui) == RemotePartyRole.ACCESS_CONTROL_BROKER:
            found = eui
            break
    _ACB_BY_STORE[keys] = found
    return found


# =====================================================================================
# Keys
# =====================================================================================


def mac_key(header: GroupingHeader, keys: KeyStore, *, acb: bytes | None = None) -> bytes:
    """The AES key of a message's MAC (primer §7.1, §7.3)."""
    if header.cra == Cra.COMMAND and not is_device(keys, header.originator):
        acb = acb or access_control_broker(keys)
        if acb is None:
            raise KeyNotFoundError("no Access Control Broker KA certificate in the key store")
        parties = (acb, header.recipient)
    else:
        parties = (header.originator, header.recipient)
    return keys.key_for(*parties, originator=header.originator, cra=int(header.cra),
                        counter=header.originator_counter, recipient=header.recipient)


def encryption_key(header: GroupingHeader, keys: KeyStore) -> bytes:
    """The AES key of the sensitive parts of a response or alert (primer §7.7)."""
    other = header.other_information
    remote = other.supplementary_remote_party or header.recipient
    counter = other.supplementary_originator_counter
    if counter is None:
        counter = header.originator_counter
    return keys.key_for(header.originator, remote, originator=header.originator,
                        cra=CRA_ENCRYPTION, counter=counter, recipient=remote)


# =====================================================================================
# Checking
# =====================================================================================


def _missing(name: str, keys: KeyStore, parties: tuple[bytes, ...],
             missing: KeyNotFoundError) -> Check:
    """A key could not be found: unverifiable when the parties are known but hold no
    usable private key, invalid when a party is unknown to the key store altogether
    (a corrupted system title must not pass as merely unverifiable)."""
    known = keys.euis()
    unknown = [eui.hex().upper() for eui in parties if eui not in known]
    if unknown:
        return Check(name, CheckStatus.INVALID, f"unknown party {', '.join(unknown)}")
    return Check(name, CheckStatus.UNVERIFIABLE, str(missing))


def check_mac(message: GbcsMessage, keys: KeyStore | None) -> Check:
    if keys is None:
        return Check("MAC", CheckStatus.UNVERIFIABLE, "no key store")
    try:
        key = mac_key(message.header, keys)
    except KeyNotFoundError as missing:
        return _missing("MAC", keys, (message.header.originator, message.header.recipient),
                        missing)
    envelope = message.envelope
    good = verify_mac(key, message.header.originator, envelope.invocation_counter,
                      message.general_signing_bytes(), envelope.mac, envelope.security_control)
    return Check("MAC", CheckStatus.VALID if good else CheckStatus.INVALID)


def check_signature(message: GbcsMessage, keys: KeyStore | None) -> Check:
    if keys is None:
        return Check("signature", CheckStatus.UNVERIFIABLE, "no key store")
    try:
        public = keys.ds_public(message.header.originator)
    except KeyNotFoundError as missing:
        return _missing("signature", keys, (message.header.originator,), missing)
    good = verify(public, message.signed_bytes(), message.signature)
    return Check("signature", CheckStatus.VALID if good else CheckStatus.INVALID)


def check_sensitive_parts(message: GbcsMessage, keys: KeyStore | None) -> list[Check]:
    """One ``decryption`` check per sensitive (encrypted) part of a response or alert."""
    if keys is None:
        if not sensitive_parts(message):
            return []
        return [Check("decryption", CheckStatus.UNVERIFIABLE, "no key store")]
    checks = []
    for opened in open_parts(message, keys):
        if opened.error.startswith("unverifiable"):
            status = CheckStatus.UNVERIFIABLE
        elif opened.error:
            status = CheckStatus.INVALID
        else:
            status = CheckStatus.VALID
        checks.append(Check("decryption", status, opened.error))
    return checks


def verify_message(message: GbcsMessage, keys: KeyStore | None) -> VerificationReport:
    """MAC, signature and sensitive-part checks of a decoded message."""
    checks = []
    if message.envelope is not None:
        checks.append(check_mac(message, keys))
    if message.signature:
        checks.append(check_signature(message, keys))
    checks.extend(check_sensitive_parts(message, keys))
    return VerificationReport(tuple(checks))


# =====================================================================================
# Protecting
# =====================================================================================


def apply_signature(message: GbcsMessage, keys: KeyStore) -> GbcsMessage:
    """Sign with the originator's DS private key (a critical command, response or alert)."""
    unsigned = message.replace(signature=None)
    signature = sign(keys.ds_private(message.header.originator), unsigned.signed_bytes())
    return unsigned.replace(signature=signature)


def apply_mac(message: GbcsMessage, keys: KeyStore, *, invocation_counter: int = 0,
              acb: bytes | None = None) -> GbcsMessage:
    """Wrap in the General-Ciphering header with a MAC (the signature field must be set:
    ``b""`` when unsigned)."""
    if message.signature is None:
        raise CryptoError("a PRECOMMAND must be signed (or given an empty signature) first")
    built = message.replace()
    key = mac_key(built.header, keys, acb=acb)
    mac = compute_mac(key, built.header.originator, invocation_counter,
                      built.general_signing_bytes(), AUTHENTICATION_ONLY)
    return replace(built, envelope=MacEnvelope(AUTHENTICATION_ONLY, invocation_counter, mac))
