"""The DCC's test PKI: a certificate authority, the remote parties and the DUIS users.

Every remote party (the DCC Access Control Broker, the supplier, the network operator,
Recovery, the Transitional CoS party, the WAN provider and the load controller) has a
key-agreement and a digital-signature key pair whose certificates carry its role as OU
(primer §7); the supplier also has the prepayment key-agreement pair used for UTRNs. The
EUI-64s are fixed (the RTDS ones, :data:`PARTY_TABLE`); the keys are generated per run,
or saved to and loaded from a directory.

:attr:`DccPki.keys` is the DCC's key store: every party's private keys, plus the device
certificates the DCC learns (:meth:`DccPki.add_device_certificate`), which is what it
needs to MAC and sign commands and to check responses and alerts.
:meth:`DccPki.public_key_store` is what devices are given: the parties' certificates only.

DUIS users (User ID + role) map to the party whose trust anchors the devices hold for
them: Import and Gas Supplier to the supplier (one supplier for both fuels unless
``separate_gas_supplier``), Electricity Distributor and Gas Transporter to the network
operator. Users of other roles have no trust anchor on devices; the ACB acts for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from firmware_emu.dcc.roles import (
    DccInputError,
    UserDirectory,
    UserRole,
    parse_eui64,
    parse_user_role,
)
from gbcs.crypto import (
    CertificateAuthority,
    KeyStore,
    KeyUsage,
    RemotePartyRole,
    certificate_info,
    generate_key_pair,
    sign,
    verify,
)
from gbcs.errors import GbcsError


class PkiError(DccInputError):
    """A PKI directory, party or user the DCC cannot use."""


class PartyName(StrEnum):
    ACB = "ACB"
    SUPPLIER = "Supplier"
    GAS_SUPPLIER = "Gas Supplier"
    NETWORK_OPERATOR = "Network Operator"
    RECOVERY = "Recovery"
    TRANSCOS = "Transitional CoS"
    WAN_PROVIDER = "WAN Provider"
    LOAD_CONTROLLER = "Load Controller"


@dataclass(frozen=True, slots=True)
class RemoteParty:
    name: PartyName
    eui: bytes
    role: RemotePartyRole
    prepayment: bool = False  # holds a prepayment (UTRN) key-agreement pair

    @property
    def duis_id(self) -> str:
        return parse_eui64(self.eui.hex())

    @property
    def usages(self) -> tuple[KeyUsage, ...]:
        own = (KeyUsage.KEY_AGREEMENT, KeyUsage.DIGITAL_SIGNATURE)
        return (*own, KeyUsage.PREPAYMENT) if self.prepayment else own


def _party(name: PartyName, eui: str, role: RemotePartyRole, prepayment: bool = False
           ) -> RemoteParty:
    return RemoteParty(name, bytes.fromhex(eui), role, prepayment)


_R = RemotePartyRole
PARTY_TABLE: tuple[RemoteParty, ...] = (
    _party(PartyName.ACB, "90B3D51F30000002", _R.ACCESS_CONTROL_BROKER),
    _party(PartyName.RECOVERY, "90B3D51F30000001", _R.RECOVERY),
    _party(PartyName.TRANSCOS, "90B3D51F30000004", _R.TRANSITIONAL_CHANGE_OF_SUPPLIER),
    _party(PartyName.WAN_PROVIDER, "90B3D51F30000007", _R.WAN_PROVIDER),
    _party(PartyName.SUPPLIER, "90B3D51F30010000", _R.SUPPLIER, prepayment=True),
    _party(PartyName.GAS_SUPPLIER, "90B3D51F30030000", _R.SUPPLIER, prepayment=True),
    _party(PartyName.NETWORK_OPERATOR, "90B3D51F30020000", _R.NETWORK_OPERATOR),
    _party(PartyName.LOAD_CONTROLLER, "90B3D51F30010008", _R.LOAD_CONTROLLER),
)
"""Every party the PKI can hold; the EUI-64s are those of the RTDS remote parties."""


@dataclass(frozen=True, slots=True)
class PkiUser:
    """A DUIS user (User ID and role) and the remote party acting for it, if any."""

    user_id: str
    role: UserRole
    party: PartyName | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_id", parse_eui64(self.user_id, what="user id"))
        if not isinstance(self.role, UserRole):
            object.__setattr__(self, "role", parse_user_role(self.role))
        if self.party is not None:
            object.__setattr__(self, "party", PartyName(self.party))


_ROLE_PARTY: Mapping[UserRole, PartyName] = MappingProxyType({
    UserRole.IMPORT_SUPPLIER: PartyName.SUPPLIER,
    UserRole.GAS_SUPPLIER: PartyName.GAS_SUPPLIER,
    UserRole.ELECTRICITY_DISTRIBUTOR: PartyName.NETWORK_OPERATOR,
    UserRole.GAS_TRANSPORTER: PartyName.NETWORK_OPERATOR,
})
"""Role -> the party whose trust anchor cell a device holds for users of that role."""

DEFAULT_USER_IDS: Mapping[UserRole, str] = MappingProxyType({
    UserRole.IMPORT_SUPPLIER: "90-B3-D5-1F-30-01-00-00",
    UserRole.GAS_SUPPLIER: "90-B3-D5-1F-30-01-00-01",
    UserRole.EXPORT_SUPPLIER: "90-B3-D5-1F-30-01-00-02",
    UserRole.ELECTRICITY_DISTRIBUTOR: "90-B3-D5-1F-30-02-00-00",
    UserRole.GAS_TRANSPORTER: "90-B3-D5-1F-30-02-00-01",
    UserRole.REGISTERED_SUPPLIER_AGENT: "90-B3-D5-1F-30-03-00-00",
    UserRole.METER_DATA_RETRIEVER: "90-B3-D5-1F-30-03-00-01",
    UserRole.OTHER_USER: "90-B3-D5-1F-30-04-00-00",
})
"""One User ID per role (the IDs of the DCC-side test premises)."""

_CA_CERTIFICATE, _CA_KEY, _SETTINGS = "ca-certificate.pem", "ca-key.pem", "pki.json"


def default_users(*, separate_gas_supplier: bool = False) -> tuple[PkiUser, ...]:
    users = []
    for role, user_id in DEFAULT_USER_IDS.items():
        party = _ROLE_PARTY.get(role)
        if party is PartyName.GAS_SUPPLIER and not separate_gas_supplier:
            party = PartyName.SUPPLIER
        users.append(PkiUser(user_id, role, party))
    return tuple(users)


class DccPki:
    """The CA, the remote parties, the DCC's key store and the DUIS users."""

    def __init__(self, authority: CertificateAuthority, parties: Iterable[RemoteParty],
                 users: Iterable[PkiUser], keys: KeyStore) -> None:
        self.authority = authority
        self.parties: Mapping[PartyName, RemoteParty] = MappingProxyType(
            {party.name: party for party in parties})
        self.users = tuple(users)
        self.keys = keys
        for user in self.users:
            if user.party is not None and user.party not in self.parties:
                raise PkiError(f"user {user.user_id} ({user.role}) maps to {user.party}, "
                               "which this PKI does not hold")
        seen = [(user.user_id, user.role) for user in self.users]
        if len(set(seen)) != len(seen):
            raise PkiError("a user is listed twice with the same role")
        for party in self.parties.values():
            for usage in party.usages:
                if not (keys.has_private_key(party.eui, usage)
                        and keys.has_certificate(party.eui, usage)):
                    raise PkiError(f"the key store lacks the {usage.description} key pair "
                                   f"of {party.name} ({party.duis_id})")

    # -- building ---------------------------------------------------------------------
    @classmethod
    def generate(cls, *, separate_gas_supplier: bool = False,
                 users: Iterable[PkiUser] | None = None) -> DccPki:
        """Fresh keys for every party, certificates from a fresh CA."""
        authority = CertificateAuthority.generate("DCC-TEST-CA")
        parties = _parties(separate_gas_supplier)
        keys = KeyStore()
        for party in parties:
            for usage in party.usages:
                private = generate_key_pair()
                certificate = authority.issue_remote_party_certificate(
                    party.eui, private.public_key(), usage, int(party.role))
                keys.add(party.eui, usage, private_key=private, certificate=certificate)
        return cls(authority, parties,
                   default_users(separate_gas_supplier=separate_gas_supplier)
                   if users is None else users, keys)

    def save(self, directory: Path | str) -> None:
        """Write the CA, every party's keys and the user table to ``directory``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for party in self.parties.values():
            for usage in party.usages:
                self.keys.save(directory, party.eui, usage)
        (directory / _CA_CERTIFICATE).write_bytes(
            self.authority.certificate.public_bytes(serialization.Encoding.PEM))
        (directory / _CA_KEY).write_bytes(self.authority.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        settings = {"parties": [party.name.value for party in self.parties.values()],
                    "users": [{"user_id": user.user_id, "role": user.role.value,
                               "party": None if user.party is None else user.party.value}
                              for user in self.users]}
        (directory / _SETTINGS).write_text(json.dumps(settings, indent=2))

    @classmethod
    def load(cls, directory: Path | str) -> DccPki:
        directory = Path(directory)
        try:
            settings = json.loads((directory / _SETTINGS).read_text())
            authority = CertificateAuthority(
                serialization.load_pem_private_key((directory / _CA_KEY).read_bytes(), None),
                x509.load_pem_x509_certificate((directory / _CA_CERTIFICATE).read_bytes()))
            names = {PartyName(name) for name in settings["parties"]}
            users = [PkiUser(**entry) for entry in settings["users"]]
            keys = KeyStore.load(directory)
        except (OSError, ValueError, KeyError, TypeError, GbcsError) as error:
            raise PkiError(f"cannot load the DCC PKI from {directory}: {error}") from None
        return cls(authority, [p for p in PARTY_TABLE if p.name in names], users, keys)

    @classmethod
    def load_or_generate(cls, directory: Path | str, **options: bool) -> DccPki:
        """The PKI saved in ``directory``, or a new one saved there."""
        if (Path(directory) / _SETTINGS).is_file():
            return cls.load(directory)
        pki = cls.generate(**options)
        pki.save(directory)
        return pki

    # -- lookups ----------------------------------------------------------------------
    def party(self, name: PartyName | str) -> RemoteParty:
        found = self.parties.get(PartyName(name))
        if found is None:
            raise PkiError(f"this PKI holds no {name} party")
        return found

    @property
    def acb(self) -> RemoteParty:
        return self.party(PartyName.ACB)

    def party_by_eui(self, eui: bytes) -> RemoteParty | None:
        return next((p for p in self.parties.values() if p.eui == eui), None)

    def user(self, user_id: str, role: UserRole | str) -> PkiUser:
        wanted = parse_eui64(user_id, what="user id")
        role = role if isinstance(role, UserRole) else parse_user_role(role)
        for user in self.users:
            if user.user_id == wanted and user.role is role:
                return user
        raise PkiError(f"user {wanted} with role {role} is not a PKI user")

    def party_for_user(self, user_id: str, role: UserRole | str) -> RemoteParty | None:
        """The party acting for the user on devices; None when the ACB acts for it (a role
        with no trust anchor on devices, or a user the PKI holds no certificates for)."""
        try:
            party = self.user(user_id, role).party
        except PkiError:
            return None
        return None if party is None else self.party(party)

    def user_directory(self) -> UserDirectory:
        directory = UserDirectory()
        roles: dict[str, list[UserRole]] = {}
        for user in self.users:
            roles.setdefault(user.user_id, []).append(user.role)
        for user_id, held in roles.items():
            directory.add(user_id, held)
        return directory

    # -- keys -------------------------------------------------------------------------
    def public_key_store(self) -> KeyStore:
        """The parties' certificates without private keys: what devices are given."""
        store = KeyStore()
        for party in self.parties.values():
            for usage in party.usages:
                store.add(party.eui, usage, certificate=self.keys.certificate(party.eui, usage))
        return store

    def add_device_certificate(self, eui: bytes, certificate: x509.Certificate) -> None:
        """Learn a device's certificate (the usage comes from the certificate)."""
        info = certificate_info(certificate)
        if info.eui64 != eui or info.remote_party_role is not None:
            raise PkiError(f"certificate is not a device certificate of {eui.hex().upper()}")
        self.keys.add(eui, info.usage, certificate=certificate)

    def certificate_der(self, eui: bytes, usage: KeyUsage) -> bytes:
        return self.keys.certificate(eui, usage).public_bytes(serialization.Encoding.DER)

    def sign_precommand(self, precommand: bytes, party: RemoteParty) -> bytes:
        """What the user does between CV4 and CV5: append ``40`` + its ECDSA signature."""
        signature = sign(self.keys.ds_private(party.eui), bytes(precommand[1:]))
        return bytes(precommand) + bytes((len(signature),)) + signature

    def signature_valid(self, signed_part: bytes, signature: bytes, party: RemoteParty) -> bool:
        return verify(self.keys.ds_public(party.eui), signed_part, signature)


def _parties(separate_gas_supplier: bool) -> tuple[RemoteParty, ...]:
    return tuple(party for party in PARTY_TABLE
                 if separate_gas_supplier or party.name is not PartyName.GAS_SUPPLIER)
