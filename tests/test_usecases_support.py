"""Emulated devices set up like the RTDS devices, for the ASN.1 use-case tests (no tests
of its own).

Each device gets the RTDS remote parties' certificates as trust anchors, its RTDS
certificates as its own (so that key-usage and public-key checks see the RTDS keys), and
a generated signing key (the RTDS has no device private keys) so that it can sign.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from firmware_emu.clock import SteppedClock
from firmware_emu.device import EmulatedDevice
from firmware_emu.registry import Registry
from firmware_emu.state import (
    CellUsage,
    DeviceIdentity,
    DeviceType,
    DeviceVariant,
    KeyMaterial,
    RemotePartyRole,
    TrustAnchorCell,
    TrustAnchorKeyUsage,
    new_device_state,
)
from firmware_emu.usecases.asn1 import register
from gbcs.asn1 import DerNode, decode_der, encode_asn1_payload
from gbcs.codes import is_critical_command
from gbcs.crypto import CertificateAuthority, KeyStore, generate_key_pair
from gbcs.framing.general_signing import Cra, GroupingHeader, OtherInformation
from gbcs.message import GbcsMessage
from gbcs.secure import apply_mac, apply_signature
from tests.rtds import keystore_dir

RTDS_TIME = datetime(2015, 1, 1, tzinfo=UTC)
"""The date-time RTDS devices put in their response headers."""

RTDS_DEVICE_TYPES: dict[int, DeviceType] = {
    0xA0: DeviceType.ESME, 0xA1: DeviceType.GSME, 0xA2: DeviceType.CHF, 0xA3: DeviceType.GPF,
    0xA4: DeviceType.PPMID, 0xA5: DeviceType.HCALCS, 0xA6: DeviceType.SAPC,
}

_R = RemotePartyRole
DS, KA, PP = "ds", "ka", "pp-ka"
# (remote party, role, certificate files) as the RTDS keystore holds them.
RTDS_REMOTE_PARTIES: tuple[tuple[str, RemotePartyRole, tuple[str, ...]], ...] = (
    ("90b3d51f30000001", _R.RECOVERY, (DS,)),
    ("90b3d51f30000002", _R.ACCESS_CONTROL_BROKER, (DS, KA)),
    ("90b3d51f30000004", _R.TRANSITIONAL_COS, (DS,)),
    ("90b3d51f30000007", _R.WAN_PROVIDER, (DS,)),
    ("90b3d51f30010000", _R.SUPPLIER, (DS, KA, PP)),
    ("90b3d51f30010008", _R.LOAD_CONTROLLER, (DS, KA)),
    ("90b3d51f30020000", _R.NETWORK_OPERATOR, (DS, KA)),
)
ACB = bytes.fromhex("90b3d51f30000002")
SUPPLIER = bytes.fromhex("90b3d51f30010000")

_METER_ROLES = frozenset({_R.RECOVERY, _R.SUPPLIER, _R.NETWORK_OPERATOR,
                          _R.ACCESS_CONTROL_BROKER, _R.TRANSITIONAL_COS})
ROLES_HELD: dict[DeviceType, frozenset[RemotePartyRole]] = {
    DeviceType.CHF: frozenset({_R.RECOVERY, _R.ACCESS_CONTROL_BROKER, _R.WAN_PROVIDER}),
    DeviceType.ESME: _METER_ROLES | {_R.LOAD_CONTROLLER},
    DeviceType.SAPC: _METER_ROLES | {_R.LOAD_CONTROLLER},
    DeviceType.GSME: _METER_ROLES, DeviceType.GPF: _METER_ROLES,
    DeviceType.PPMID: _METER_ROLES, DeviceType.HCALCS: _METER_ROLES,
}
_USAGES = {DS: (TrustAnchorKeyUsage.DIGITAL_SIGNATURE, CellUsage.MANAGEMENT),
           KA: (TrustAnchorKeyUsage.KEY_AGREEMENT, CellUsage.MANAGEMENT),
           PP: (TrustAnchorKeyUsage.KEY_AGREEMENT, CellUsage.PREPAYMENT_TOP_UP)}


@cache
def _pem_der(name: str) -> bytes:
    pem = (keystore_dir() / name).read_bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


@cache
def signing_ca() -> CertificateAuthority:
    return CertificateAuthority.generate("USECASE-TEST-CA")


def trust_anchor_cells(device_type: DeviceType) -> list[TrustAnchorCell]:
    """The RTDS remote parties a device of this type trusts. A GPF is still in the
    hands of the DCC (its Supplier cells hold the ACB's certificates) until the 6.21
    handover."""
    cells = []
    for eui_hex, role, files in RTDS_REMOTE_PARTIES:
        if role not in ROLES_HELD[device_type]:
            continue
        for file_tag in files:
            usage, cell_usage = _USAGES[file_tag]
            source = eui_hex
            if device_type is DeviceType.GPF and role is _R.SUPPLIER:
                source = ACB.hex()
                file_tag = DS if file_tag == DS else KA
            cells.append(TrustAnchorCell(role, usage, bytes.fromhex(source),
                                         _pem_der(f"{source}-{file_tag}.pem"), cell_usage))
    return cells


def rtds_device(eui: bytes, *, clock: SteppedClock | None = None) -> EmulatedDevice:
    """A device with the RTDS identity ``eui`` (…A0 ESME … A6 SAPC)."""
    device_type = RTDS_DEVICE_TYPES[eui[-1]]
    variant = DeviceVariant(apc_count=1) if device_type is DeviceType.SAPC else DeviceVariant()
    identity = DeviceIdentity(eui, device_type, "4.0", bytes.fromhex("01000000"), 0x1234,
                              0x0001, 0x0002, variant)
    own = {usage: _pem_der(f"{eui.hex()}-{usage}.pem") for usage in (DS, KA)}
    state = new_device_state(identity, KeyMaterial(ka_certificate_der=own[KA],
                                                   ds_certificate_der=own[DS]))
    for cell in trust_anchor_cells(device_type):
        state.trust_anchors.install(cell)
    keys = KeyStore.load(keystore_dir())
    signing_key = generate_key_pair()
    keys.add(eui, DS, private_key=signing_key, certificate=signing_ca().issue_device_certificate(
        eui, signing_key.public_key(), DS))
    registry = Registry()
    register(registry)
    return EmulatedDevice(state, keys, clock or SteppedClock(RTDS_TIME), registry)


def with_firmware_image(device: EmulatedDevice, image_hash: bytes, version: bytes) -> None:
    """The device holds an image whose Manufacturer Image hashes to ``image_hash``."""
    device.state.firmware = dataclasses.replace(
        device.state.firmware, pending_image=b"manufacturer image", pending_image_hash=image_hash,
        pending_version=version)


_counters = itertools.count(10_000)


def next_counter() -> int:
    """A fresh originator counter, above every one used before."""
    return next(_counters)


def command(device: EmulatedDevice, message_code: int, payload, *,
            originator: bytes = SUPPLIER, signed: bool | None = None,
            counter: int | None = None) -> bytes:
    """A command as a remote party sends it: signed by ``originator`` if critical (or
    ``signed``), MAC'd by the ACB, with a fresh originator counter unless given."""
    header = GroupingHeader(Cra.COMMAND, counter or next_counter(), originator, device.eui,
                            OtherInformation(message_code))
    message = GbcsMessage(header, payload, signature=b"")
    if is_critical_command(message_code) if signed is None else signed:
        message = apply_signature(message, device.keys)
    return apply_mac(message, device.keys, acb=ACB).to_bytes()


# ------------------------------------------------------------------------------------
# Structure of payloads
# ------------------------------------------------------------------------------------


def der_shape(node: DerNode) -> tuple:
    """The tag tree of ``node``; runs of children with the same shape (SEQUENCE OF
    items) count once, primitive values are left out."""
    if not node.tag.constructed:
        return (node.tag.identifier,)
    children: list[tuple] = []
    for child in node.children:
        shape = der_shape(child)
        if not children or children[-1] != shape:
            children.append(shape)
    return (node.tag.identifier, tuple(children))


def asn1_shape(payload) -> tuple:
    return der_shape(decode_der(encode_asn1_payload(payload)))


CODE_FIELDS = frozenset({"response_code", "status", "join_response_code",
                         "device_time_status", "result", "alert_code"})


def response_codes(value) -> list[int]:
    """Every response code, status and alert code in a typed payload, in order."""
    found: list[int] = []
    if isinstance(value, tuple | list):
        for item in value:
            found += response_codes(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if field.name in CODE_FIELDS and isinstance(item, int):
                found.append(int(item))
            else:
                found += response_codes(item)
    return found
