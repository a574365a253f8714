"""Manufacturing and installing emulated devices: identity, keys, trust anchors.

A device leaves the factory with its own key-agreement and signing key pairs
(certificates issued by the emulator's test CA) and the remote parties' certificates
in its trust anchor cells. The remote parties come from a key store: the DCC-side
harness's own, or the RTDS keystore when replaying RTDS.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import Encoding

from firmware_emu.state import (
    CellUsage,
    DeviceIdentity,
    DeviceState,
    DeviceType,
    DeviceVariant,
    KeyMaterial,
    RemotePartyRole,
    TrustAnchorCell,
    TrustAnchorKeyUsage,
    TrustAnchors,
    new_device_state,
)
from gbcs.crypto import CertificateAuthority, KeyStore, KeyUsage, generate_key_pair
from gbcs.secure import party_role

_CELL_USAGE = {
    KeyUsage.KEY_AGREEMENT: TrustAnchorKeyUsage.KEY_AGREEMENT,
    KeyUsage.DIGITAL_SIGNATURE: TrustAnchorKeyUsage.DIGITAL_SIGNATURE,
}


@dataclass(frozen=True, slots=True)
class ModelDefaults:
    """What a freshly made device of a type reports about itself."""

    gbcs_version: str = "4.0"
    firmware_version: bytes = bytes.fromhex("01000000")
    manufacturer_id: int = 0x1234
    image_type: int = 0x0001
    hardware_version: int = 0x0001


MODELS: dict[DeviceType, ModelDefaults] = {
    DeviceType.ESME: ModelDefaults(image_type=0x0000),
    DeviceType.GSME: ModelDefaults(image_type=0x0001),
    DeviceType.GPF: ModelDefaults(image_type=0x0002),
    DeviceType.CHF: ModelDefaults(image_type=0x0003),
    DeviceType.PPMID: ModelDefaults(image_type=0x0084),
    DeviceType.HCALCS: ModelDefaults(image_type=0x0085),
    DeviceType.SAPC: ModelDefaults(image_type=0x0086),
}

FULL_VARIANTS: dict[DeviceType, DeviceVariant] = {
    DeviceType.CHF: DeviceVariant(dual_band=True),
    DeviceType.ESME: DeviceVariant(twin_element=True, alcs_count=5, apc_count=1),
    DeviceType.SAPC: DeviceVariant(apc_count=1),
}
"""The most capable variant of each type (answers every use case of its type)."""


def new_identity(eui: bytes, device_type: DeviceType,
                 variant: DeviceVariant | None = None) -> DeviceIdentity:
    model = MODELS[device_type]
    return DeviceIdentity(eui, device_type, model.gbcs_version, model.firmware_version,
                          model.manufacturer_id, model.image_type, model.hardware_version,
                          variant or FULL_VARIANTS.get(device_type, DeviceVariant()))


@dataclass
class DeviceFactory:
    """Makes devices whose certificates chain to one test CA, recording every key in
    ``keys`` (the key store the emulated devices run with)."""

    keys: KeyStore = field(default_factory=KeyStore)
    authority: CertificateAuthority = field(default_factory=CertificateAuthority.generate)

    def issue(self, eui: bytes, usage: KeyUsage) -> tuple[bytes, str]:
        """A fresh key pair for ``eui``: (certificate DER, private key PEM)."""
        private = generate_key_pair()
        certificate = self.authority.issue_device_certificate(eui, private.public_key(), usage)
        self.keys.add(eui, usage, private_key=private, certificate=certificate)
        pem = private.private_bytes(Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        return certificate.public_bytes(Encoding.DER), pem

    def make(self, eui: bytes, device_type: DeviceType, *, variant: DeviceVariant | None = None,
             issue_keys: tuple[KeyUsage, ...] = (KeyUsage.KEY_AGREEMENT,
                                                 KeyUsage.DIGITAL_SIGNATURE)) -> DeviceState:
        material: dict[str, object] = {}
        for usage in issue_keys:
            certificate, pem = self.issue(eui, usage)
            prefix = "ka" if usage is KeyUsage.KEY_AGREEMENT else "ds"
            material[f"{prefix}_certificate_der"] = certificate
            material[f"{prefix}_private_key_pem"] = pem
        return new_device_state(new_identity(eui, device_type, variant), KeyMaterial(**material))


_METER_ROLES = frozenset({RemotePartyRole.RECOVERY, RemotePartyRole.SUPPLIER,
                          RemotePartyRole.NETWORK_OPERATOR,
                          RemotePartyRole.ACCESS_CONTROL_BROKER,
                          RemotePartyRole.TRANSITIONAL_COS})
TRUST_ANCHOR_ROLES: dict[DeviceType, frozenset[RemotePartyRole]] = {
    DeviceType.CHF: frozenset({RemotePartyRole.RECOVERY, RemotePartyRole.ACCESS_CONTROL_BROKER,
                               RemotePartyRole.WAN_PROVIDER}),
    DeviceType.ESME: _METER_ROLES | {RemotePartyRole.LOAD_CONTROLLER},
    DeviceType.SAPC: _METER_ROLES | {RemotePartyRole.LOAD_CONTROLLER},
    DeviceType.GSME: _METER_ROLES,
    DeviceType.GPF: _METER_ROLES,
    DeviceType.PPMID: _METER_ROLES,
    DeviceType.HCALCS: _METER_ROLES,
}
"""The remote parties whose certificates each device type holds in trust anchor cells."""


def remote_parties(keys: KeyStore) -> dict[bytes, RemotePartyRole]:
    """Every party in ``keys`` whose certificate carries a remote-party role."""
    found = {}
    for eui in sorted(keys.euis()):
        role = party_role(keys, eui)
        if role is not None:
            try:
                found[eui] = RemotePartyRole(int(role))
            except ValueError:
                continue
    return found


def install_trust_anchors(state: DeviceState, keys: KeyStore, *,
                          preferred: tuple[bytes, ...] = ()) -> None:
    """Fill the trust anchor cells from the remote parties' certificates in ``keys``.

    Only the roles the device type holds are filled. Where two parties share a role (two
    suppliers), those in ``preferred`` win, then the lowest EUI; a supplier's
    prepayment key fills the prepayment top-up cell. A new GPF is DCC-controlled: its
    Supplier cells hold the ACB's certificates until the handover (SRV 6.21, CS02b).
    """
    parties = remote_parties(keys)
    held = TRUST_ANCHOR_ROLES[state.identity.device_type]
    order = [e for e in preferred if e in parties] + sorted(e for e in parties
                                                           if e not in preferred)
    anchors = state.trust_anchors
    if state.identity.device_type is DeviceType.GPF:
        acb = next((e for e in order if parties[e] is RemotePartyRole.ACCESS_CONTROL_BROKER),
                   None)
        if acb is not None:
            _install_cells(anchors, keys, acb, RemotePartyRole.SUPPLIER)
    for eui in order:
        role = parties[eui]
        if role not in held:
            continue
        _install_cells(anchors, keys, eui, role)


def _install_cells(anchors: TrustAnchors, keys: KeyStore, eui: bytes,
                   role: RemotePartyRole) -> None:
    """Put ``eui``'s certificates into the empty cells of ``role``."""
    for usage, cell_usage in _CELL_USAGE.items():
        if keys.has_certificate(eui, usage) and not anchors.find(role, cell_usage):
            der = keys.certificate(eui, usage).public_bytes(Encoding.DER)
            anchors.install(TrustAnchorCell(role, cell_usage, eui, der))
    prepayment = (TrustAnchorKeyUsage.KEY_AGREEMENT, CellUsage.PREPAYMENT_TOP_UP)
    if role is RemotePartyRole.SUPPLIER and keys.has_certificate(eui, KeyUsage.PREPAYMENT) \
            and not anchors.find(role, *prepayment):
        der = keys.certificate(eui, KeyUsage.PREPAYMENT).public_bytes(Encoding.DER)
        anchors.install(TrustAnchorCell(role, prepayment[0], eui, der, prepayment[1]))
