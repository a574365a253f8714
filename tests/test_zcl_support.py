"""Shared helpers of the ZCL model tests: emulated GSME/GPF/PPMID devices that trust the
RTDS remote parties, and a device history ("in service for a while") built with the
device's own logging functions. No tests here."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from cryptography.hazmat.primitives.serialization import Encoding

from firmware_emu import in_service
from firmware_emu.clock import SteppedClock
from firmware_emu.device import EmulatedDevice
from firmware_emu.registry import Registry
from firmware_emu.state import (
    CellUsage,
    DeviceIdentity,
    DeviceType,
    RemotePartyRole,
    TrustAnchorCell,
    TrustAnchorKeyUsage,
    device_state_from_dict,
    new_device_state,
)
from firmware_emu.zcl.usecases import register
from gbcs.codes import is_critical_command
from gbcs.crypto import CertificateAuthority, KeyStore, KeyUsage
from gbcs.crypto.issuing import generate_key_pair
from gbcs.framing.general_signing import Cra, GroupingHeader, OtherInformation
from gbcs.gbz import GbzPayload, gbz_component, gbz_payload
from gbcs.gbz.records import ZclRecord
from gbcs.gbz.zcl import ZclCommand, zcl_command
from gbcs.gbz.zcl_types import Direction
from gbcs.message import GbcsMessage, decode_message
from gbcs.secure import apply_mac, apply_signature
from gbcs.sensitive import open_parts
from tests.rtds import keystore_dir

GSME = bytes.fromhex("00DB1234567890A1")
GPF = bytes.fromhex("00DB1234567890A3")
PPMID = bytes.fromhex("00DB1234567890A4")
ACB = bytes.fromhex("90B3D51F30000002")
SUPPLIER = bytes.fromhex("90B3D51F30010000")
NETWORK_OPERATOR = bytes.fromhex("90B3D51F30020000")
DEVICE_TYPES = {GSME: DeviceType.GSME, GPF: DeviceType.GPF, PPMID: DeviceType.PPMID}
START = datetime(2015, 1, 1, tzinfo=UTC)

_ANCHORS = (
    (RemotePartyRole.ACCESS_CONTROL_BROKER, TrustAnchorKeyUsage.KEY_AGREEMENT, ACB, "ka",
     CellUsage.MANAGEMENT),
    (RemotePartyRole.ACCESS_CONTROL_BROKER, TrustAnchorKeyUsage.DIGITAL_SIGNATURE, ACB, "ds",
     CellUsage.MANAGEMENT),
    (RemotePartyRole.SUPPLIER, TrustAnchorKeyUsage.DIGITAL_SIGNATURE, SUPPLIER, "ds",
     CellUsage.MANAGEMENT),
    (RemotePartyRole.SUPPLIER, TrustAnchorKeyUsage.KEY_AGREEMENT, SUPPLIER, "ka",
     CellUsage.MANAGEMENT),
    (RemotePartyRole.SUPPLIER, TrustAnchorKeyUsage.KEY_AGREEMENT, SUPPLIER, "prepayment",
     CellUsage.PREPAYMENT_TOP_UP),
    (RemotePartyRole.NETWORK_OPERATOR, TrustAnchorKeyUsage.DIGITAL_SIGNATURE, NETWORK_OPERATOR,
     "ds", CellUsage.MANAGEMENT),
    (RemotePartyRole.NETWORK_OPERATOR, TrustAnchorKeyUsage.KEY_AGREEMENT, NETWORK_OPERATOR,
     "ka", CellUsage.MANAGEMENT),
)


@cache
def _authority() -> CertificateAuthority:
    return CertificateAuthority.generate()


def rtds_keys(*, own_key_agreement: tuple[bytes, ...] = ()) -> KeyStore:
    """The RTDS key store plus a generated DS key for each emulated device (and, for the
    devices named, a generated KA key: needed when both ends of a MAC are devices)."""
    keys = KeyStore.load(keystore_dir())
    for eui in (GSME, GPF, PPMID):
        private = generate_key_pair()
        keys.add(eui, KeyUsage.DIGITAL_SIGNATURE, private_key=private,
                 certificate=_authority().issue_device_certificate(
                     eui, private.public_key(), KeyUsage.DIGITAL_SIGNATURE))
    for eui in own_key_agreement:
        private = generate_key_pair()
        keys.add(eui, KeyUsage.KEY_AGREEMENT, private_key=private,
                 certificate=_authority().issue_device_certificate(
                     eui, private.public_key(), KeyUsage.KEY_AGREEMENT))
    return keys


def new_state(eui: bytes, keys: KeyStore):
    identity = DeviceIdentity(eui, DEVICE_TYPES[eui], "4.0", bytes.fromhex("00010203"),
                              0x1234, 0x0001, 0x0002)
    state = new_device_state(identity)
    for role, usage, party, key_usage, cell_usage in _ANCHORS:
        certificate = keys.certificate(party, key_usage).public_bytes(Encoding.DER)
        state.trust_anchors.install(TrustAnchorCell(role, usage, party, certificate,
                                                    cell_usage))
    return state


def device(state, keys: KeyStore, now: datetime = START) -> EmulatedDevice:
    registry = Registry()
    register(registry)
    return EmulatedDevice(device_state_from_dict(state.to_dict()), keys, SteppedClock(now),
                          registry)


def add_history(state, *, until: datetime = START, days: int = 60) -> None:
    """What a device in service accumulates (the product's own in-service history)."""
    in_service.add_history(state, until=until, days=days)


def state_registers_add(state, volume: int) -> None:
    metering = state.gsme_mirror if DEVICE_TYPES[state.eui] is DeviceType.GPF \
        else state.metering
    metering.registers.record_import(volume, 0)


# -- commands and answers -------------------------------------------------------------------

def command(record: ZclRecord, *, cluster_id: int | None = None,
            from_date_time: int | None = None) -> tuple[ZclCommand, int | None]:
    """A ZCL command for :func:`gbz_command`; Read Attributes etc. need the cluster."""
    if cluster_id is None:
        return zcl_command(record), from_date_time
    return zcl_command(record, cluster_id=cluster_id,
                       direction=Direction.CLIENT_TO_SERVER), from_date_time


def gbz_command(keys: KeyStore, message_code: int, commands, *, counter: int,
                recipient: bytes = GSME, originator: bytes = SUPPLIER) -> bytes:
    """A supplier command to the device, signed if the use case is critical, MAC'd by
    the ACB."""
    components = [gbz_component(zcl, sequence, from_date_time=when)
                  for sequence, (zcl, when) in enumerate(commands)]
    header = GroupingHeader(Cra.COMMAND, counter, originator, recipient,
                            OtherInformation(message_code), None)
    message = GbcsMessage(header, gbz_payload(components), signature=b"")
    if is_critical_command(message_code):
        message = apply_signature(message, keys)
    return apply_mac(message, keys, acb=ACB).to_bytes()


def answers(response: bytes, keys: KeyStore) -> list:
    """The ZCL commands of a GBZ response, encrypted ones opened."""
    message = decode_message(response)
    assert isinstance(message.payload, GbzPayload)
    opened = {part.part.location: part.value for part in open_parts(message, keys)}
    return [opened[f"component[{index}]"] if component.is_encrypted
            else component.zcl_command()
            for index, component in enumerate(message.payload.components)]
