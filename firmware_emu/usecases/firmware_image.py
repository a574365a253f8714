"""Receiving firmware images and the alerts around it (primer §11.10).

An image is a ZigBee OTA file: a header (little-endian fields: file identifier
0x0BEEF11E, header length, field control, manufacturer code, image type, file version,
stack version, header string, total image size, and optional fields the field control
announces), then the Manufacturer Image, optionally followed by a ``00 40`` + 64-byte
ECDSA signature over the Manufacturer Image by the supplier. The device keeps the image
with the SHA-256 of its Manufacturer Image and answers with the Firmware Distribution
Receipt alert (8F72): 0x00CE (DLMS) from an ESME, SAPC or CHF, 0x00CF (GBZ) from a GSME.

The CHF hands images on to PPMIDs over the HAN and reports that with CCS08 (0x0128,
8F8A / 8F89); a PPMID activates what it received and reports it with CS09 (0x012B, 8F8B).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509

from firmware_emu.han import HanError, HanTransport
from firmware_emu.registry import AlertRequest
from firmware_emu.state import (
    DeviceType,
    FirmwareActivationError,
    RemotePartyRole,
    StateError,
    TrustAnchorKeyUsage,
)
from firmware_emu.usecases.common import acb_eui, device_alert_payload
from gbcs.asn1 import (
    FirmwareActivationResult,
    FirmwareTransferAlert,
    FirmwareTransferResponseCode,
    PpmidFirmwareActivationAlert,
)
from gbcs.asn1.payloads import Asn1MessageCode
from gbcs.crypto import SIGNATURE_SIZE, verify
from gbcs.dlms.axdr import OctetString
from gbcs.gbz import FirmwareDistributionReceipt

if TYPE_CHECKING:
    from firmware_emu.device import EmulatedDevice

OTA_FILE_IDENTIFIER = 0x0BEEF11E
_OTA_HEADER = struct.Struct("<IHHHHHIH32sI")
_HARDWARE_VERSIONS_PRESENT = 0x0004
_OPTIONAL_FIELDS = ((0x0001, 1), (0x0002, 8))  # security credential version, destination
SIGNATURE_TRAILER = len(b"\x00\x40") + SIGNATURE_SIZE

FIRMWARE_VERIFICATION_SUCCESSFUL = 0x8F72
FIRMWARE_VERIFICATION_FAILED = 0x8F1C

RECEIPT_ALERT_CODES: dict[DeviceType, int] = {
    DeviceType.ESME: 0x00CE, DeviceType.SAPC: 0x00CE, DeviceType.CHF: 0x00CE,
    DeviceType.GSME: 0x00CF,
}
"""Devices that confirm a received image, and the message code they do it with."""


class FirmwareImageError(ValueError):
    """An OTA file that is malformed or not meant for this device."""


@dataclass(frozen=True, slots=True)
class OtaImage:
    manufacturer_code: int
    image_type: int
    file_version: int
    header_string: bytes
    minimum_hardware_version: int | None
    maximum_hardware_version: int | None
    manufacturer_image: bytes
    signature: bytes | None
    """The trailing signature over the Manufacturer Image, if the file has one."""

    @property
    def version(self) -> bytes:
        """The file version as GBCS reports firmware versions (4 bytes, big-endian)."""
        return self.file_version.to_bytes(4, "big")


def parse_ota_image(data: bytes, *, signed: bool) -> OtaImage:
    """``data`` as an OTA file; ``signed``: its last 66 bytes are the signature trailer."""
    if len(data) < _OTA_HEADER.size:
        raise FirmwareImageError(f"{len(data)} bytes cannot hold an OTA header")
    (file_id, _header_version, header_length, field_control, manufacturer, image_type,
     file_version, _stack, header_string, total_size) = _OTA_HEADER.unpack_from(data)
    if file_id != OTA_FILE_IDENTIFIER:
        raise FirmwareImageError(f"file identifier {file_id:#010x} is not an OTA file")
    if total_size != len(data) or not _OTA_HEADER.size <= header_length <= total_size:
        raise FirmwareImageError("the header's lengths do not match the file")
    pos = _OTA_HEADER.size
    for flag, size in _OPTIONAL_FIELDS:
        pos += size if field_control & flag else 0
    minimum = maximum = None
    if field_control & _HARDWARE_VERSIONS_PRESENT:
        if pos + 4 > header_length:
            raise FirmwareImageError("hardware versions announced beyond the header")
        minimum, maximum = struct.unpack_from("<HH", data, pos)
    body = data[header_length:]
    signature = None
    if signed:
        if len(body) < SIGNATURE_TRAILER or body[-SIGNATURE_TRAILER:-SIGNATURE_SIZE] != \
                SIGNATURE_SIZE.to_bytes(2, "big"):
            raise FirmwareImageError("no signature trailer after the Manufacturer Image")
        body, signature = body[:-SIGNATURE_TRAILER], body[-SIGNATURE_SIZE:]
    return OtaImage(manufacturer, image_type, file_version, header_string.rstrip(b"\x00"),
                    minimum, maximum, body, signature)


def _supplier_signed(device: EmulatedDevice, data: bytes) -> OtaImage | None:
    """The image read with a signature trailer that the supplier's key verifies."""
    cell = device.state.trust_anchors.find(RemotePartyRole.SUPPLIER,
                                           TrustAnchorKeyUsage.DIGITAL_SIGNATURE)
    if cell is None:
        return None
    try:
        image = parse_ota_image(data, signed=True)
    except FirmwareImageError:
        return None
    public = x509.load_der_x509_certificate(cell.certificate_der).public_key()
    if image.signature is None or not verify(public, image.manufacturer_image,  # type: ignore
                                             image.signature):
        return None
    return image


def check_image_for(device: EmulatedDevice, image: OtaImage) -> None:
    identity = device.state.identity
    if image.manufacturer_code != identity.manufacturer_id or \
            image.image_type != identity.image_type:
        raise FirmwareImageError("the image is for another manufacturer or device model")
    minimum, maximum = image.minimum_hardware_version, image.maximum_hardware_version
    if minimum is not None and maximum is not None and \
            not minimum <= identity.hardware_version <= maximum:
        raise FirmwareImageError("the image does not support this hardware version")


def receive_firmware_image(device: EmulatedDevice, data: bytes) -> list[bytes]:
    """Hold a received OTA file and confirm it (8F72 with the Manufacturer Image hash);
    commit and return the alerts. A file this device cannot use is refused
    (:class:`FirmwareImageError`) after logging 8F1C Firmware Verification Failed."""
    now = device.now()
    try:
        image = _supplier_signed(device, data) or parse_ota_image(data, signed=False)
        check_image_for(device, image)
        image_hash = device.state.firmware.receive(data, image.manufacturer_image,
                                                   image.version)
    except (FirmwareImageError, StateError) as refused:
        device.state.event_log.append(now, FIRMWARE_VERIFICATION_FAILED)
        device.raise_alerts([])
        raise FirmwareImageError(str(refused)) from None
    message_code = RECEIPT_ALERT_CODES.get(device.device_type)
    if message_code is None or device.alert_recipient() is None:
        return device.raise_alerts([])
    payload = device_alert_payload(
        device, FIRMWARE_VERIFICATION_SUCCESSFUL, now,
        dlms_details=(OctetString(image_hash),),
        gbz_data=FirmwareDistributionReceipt(image_hash))
    return device.raise_alerts([AlertRequest(message_code, payload, critical=True)])


# ------------------------------------------------------------------------------------
# CCS08 (CHF) and CS09 (PPMID)
# ------------------------------------------------------------------------------------


def firmware_transfer_alert(chf: EmulatedDevice, target: bytes, version: bytes,
                            code: FirmwareTransferResponseCode) -> list[bytes]:
    """CCS08 from the CHF to the ACB: how the transfer of ``version`` to ``target`` went."""
    alert = FirmwareTransferAlert.reporting(target, version, code, chf.now())
    return chf.raise_alerts([AlertRequest(Asn1MessageCode.CCS08_FIRMWARE_TRANSFER_ALERT, alert,
                                          critical=True, recipient=acb_eui(chf.state))])


async def transfer_firmware(chf: EmulatedDevice, han: HanTransport, target: bytes,
                            data: bytes) -> list[bytes]:
    """Send an OTA file to ``target`` over the HAN and report it (CCS08)."""
    try:
        image = parse_ota_image(data, signed=False)
    except FirmwareImageError:
        return firmware_transfer_alert(chf, target, bytes(4),
                                       FirmwareTransferResponseCode.IMAGE_DISCARDED)
    try:
        await han.send(chf.eui, target, data)
    except HanError:
        code = FirmwareTransferResponseCode.FILE_TRANSFER_FAILURE
    else:
        code = FirmwareTransferResponseCode.SUCCESS
    return firmware_transfer_alert(chf, target, image.version, code)


def activate_received_firmware(ppmid: EmulatedDevice) -> list[bytes]:
    """A PPMID runs the image it received and reports it to the ACB (CS09, 8F8B)."""
    state = ppmid.state
    image_hash = state.firmware.pending_image_hash
    result = FirmwareActivationResult.FAILURE
    try:
        if image_hash is not None:
            state.activate_firmware(image_hash)
            result = FirmwareActivationResult.SUCCESS
    except FirmwareActivationError:
        pass
    alert = PpmidFirmwareActivationAlert.reporting(state.identity.firmware_version, result,
                                                   ppmid.now())
    return ppmid.raise_alerts([AlertRequest(
        Asn1MessageCode.CS09_PPMID_FIRMWARE_ACTIVATION_ALERT, alert, critical=True,
        recipient=acb_eui(state))])
