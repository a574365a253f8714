"""Firmware: image receipt (8F72), CS06 immediate / future-dated / cancelled activation,
CS08 version read, CCS08 transfer and CS09 activation alerts."""

from __future__ import annotations

import hashlib
import struct
from datetime import timedelta

import pytest

from firmware_emu.clock import SteppedClock
from firmware_emu.han import HanNetworkInfo, InMemoryHan, JoinKey, JoinPermit
from firmware_emu.state import FIRMWARE_ACTIVATION_ACTION
from firmware_emu.usecases.asn1 import run_due_asn1_actions
from firmware_emu.usecases.firmware_image import (
    FIRMWARE_VERIFICATION_FAILED,
    FirmwareImageError,
    activate_received_firmware,
    receive_firmware_image,
    transfer_firmware,
)
from gbcs.asn1 import (
    CANCEL_EXECUTION_TIME,
    ActivateFirmwareCommand,
    ActivateFirmwareResponseCode,
    CommandAccepted,
    EmptyCommand,
    FirmwareTransferResponseCode,
    ReadResponseCode,
)
from gbcs.asn1.payloads import Asn1MessageCode as M
from gbcs.crypto import sign
from gbcs.message import decode_message
from tests.rtds import message
from tests.test_usecases_support import (
    ACB,
    RTDS_TIME,
    SUPPLIER,
    asn1_shape,
    command,
    next_counter,
    rtds_device,
)

ESME, GSME, CHF, PPMID = (bytes.fromhex(f"00db1234567890a{n}") for n in "0124")
NEW_VERSION = 0x02000001
MANUFACTURER_IMAGE = bytes(range(256)) * 4


def ota_file(body: bytes = MANUFACTURER_IMAGE, *, manufacturer: int = 0x1234,
             image_type: int = 0x0001, hardware: tuple[int, int] = (0, 9),
             signed_by=None) -> bytes:
    header_length = 60
    trailer = b"\x00\x40" + sign(signed_by, body) if signed_by else b""
    total = header_length + len(body) + len(trailer)
    header = struct.pack("<IHHHHHIH32sIHH", 0x0BEEF11E, 0x0100, header_length, 0x0004,
                         manufacturer, image_type, NEW_VERSION, 0x0002,
                         b"emulator test image".ljust(32, b"\x00"), total, *hardware)
    return header + body + trailer


def activation(device, image_hash, execution_time=None):
    counter = next_counter()
    return device.process(command(device, M.CS06_ACTIVATE_FIRMWARE, ActivateFirmwareCommand(
        image_hash, counter, execution_time), counter=counter))


def response_of(output):
    assert output.rejected is None, output.rejected
    return decode_message(output.response).payload


# ------------------------------------------------------------------------------------
# Receipt
# ------------------------------------------------------------------------------------


def test_an_esme_holds_a_supplier_signed_image_and_confirms_it_in_dlms():
    esme = rtds_device(ESME)
    (alert,) = receive_firmware_image(esme, ota_file(signed_by=esme.keys.ds_private(SUPPLIER)))
    image_hash = hashlib.sha256(MANUFACTURER_IMAGE).digest()
    assert esme.state.firmware.pending_image_hash == image_hash
    assert esme.state.firmware.pending_version == NEW_VERSION.to_bytes(4, "big")
    assert alert[0] == 0xDF  # critical: device-signed
    alert = decode_message(alert)
    rtds = decode_message(message("NA_FDRA-DLMS/FDRA-DLMS_NA_8F72_ALERT").data)
    assert alert.message_code == rtds.message_code == 0x00CE
    assert [type(e) for e in alert.payload.body.elements] == \
        [type(e) for e in rtds.payload.body.elements]
    assert alert.payload.body.elements[0].value == 0x8F72
    assert alert.payload.body.elements[2].value == image_hash


def test_a_gsme_confirms_in_gbz():
    gsme = rtds_device(GSME)
    (alert,) = receive_firmware_image(gsme, ota_file())
    alert = decode_message(alert)
    rtds = decode_message(message("NA_FDRA-ZigBee/FDRA-ZigBee_NA_8F72_ALERT").data)
    assert alert.message_code == rtds.message_code == 0x00CF
    assert type(alert.payload.data) is type(rtds.payload.data)
    assert alert.payload.data.image_hash == hashlib.sha256(MANUFACTURER_IMAGE).digest()
    assert alert.header.recipient == SUPPLIER


@pytest.mark.parametrize("image", [
    ota_file(manufacturer=0x4321), ota_file(image_type=0x0084), ota_file(hardware=(5, 9)),
    ota_file()[:-1],
])
def test_images_for_other_devices_are_refused(image):
    esme = rtds_device(ESME)
    with pytest.raises(FirmwareImageError):
        receive_firmware_image(esme, image)
    assert esme.state.firmware.pending_image is None
    assert esme.state.event_log.entries[-1].event_code == FIRMWARE_VERIFICATION_FAILED


# ------------------------------------------------------------------------------------
# CS06
# ------------------------------------------------------------------------------------


@pytest.fixture
def esme_with_image():
    esme = rtds_device(ESME, clock=SteppedClock(RTDS_TIME))
    receive_firmware_image(esme, ota_file())
    return esme


IMAGE_HASH = hashlib.sha256(MANUFACTURER_IMAGE).digest()


def test_immediate_activation_runs_the_held_image(esme_with_image):
    esme = esme_with_image
    outcome = response_of(activation(esme, IMAGE_HASH))
    assert outcome.response_code == ActivateFirmwareResponseCode.SUCCESS
    assert outcome.firmware_version == esme.state.identity.firmware_version == \
        NEW_VERSION.to_bytes(4, "big")
    assert esme.state.firmware.pending_image is None


def test_activation_of_an_image_not_held_changes_nothing(esme_with_image):
    esme = esme_with_image
    running = esme.state.identity.firmware_version
    outcome = response_of(activation(esme, bytes(32)))
    assert (outcome.response_code, outcome.firmware_version) == (
        ActivateFirmwareResponseCode.HASH_MISMATCH, running)
    assert esme.state.firmware.pending_image_hash == IMAGE_HASH
    outcome = response_of(activation(rtds_device(ESME), IMAGE_HASH))
    assert outcome.response_code == ActivateFirmwareResponseCode.NO_IMAGE_HELD


def test_a_faulty_activation_keeps_the_running_version(esme_with_image):
    esme = esme_with_image
    running = esme.state.identity.firmware_version
    esme.inject_fault()
    outcome = response_of(activation(esme, IMAGE_HASH))
    assert outcome.response_code == ActivateFirmwareResponseCode.ACTIVATION_FAILURE
    assert esme.state.identity.firmware_version == running
    assert esme.state.firmware.pending_image_hash == IMAGE_HASH


def test_future_dated_activation_runs_at_its_time_and_reports_8f66(esme_with_image):
    esme = esme_with_image
    at = RTDS_TIME + timedelta(days=3)
    assert isinstance(response_of(activation(esme, IMAGE_HASH, at)), CommandAccepted)
    running = esme.state.identity.firmware_version
    assert run_due_asn1_actions(esme) == []
    assert esme.state.identity.firmware_version == running
    esme.clock.set_time(at)
    (alert,) = run_due_asn1_actions(esme)
    alert = decode_message(alert)
    assert alert.message_code == M.FUTURE_DATED_FIRMWARE_ACTIVATION_ALERT
    assert (alert.payload.alert_code, alert.payload.outcome.response_code) == (
        0x8F66, ActivateFirmwareResponseCode.SUCCESS)
    assert alert.payload.execution_time == at
    assert esme.state.identity.firmware_version == NEW_VERSION.to_bytes(4, "big")
    rtds = decode_message(message("11.3_CS06/CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT").data)
    assert asn1_shape(alert.payload) == asn1_shape(rtds.payload)


def test_a_fault_makes_the_future_dated_activation_fail_with_8f67(esme_with_image):
    esme = esme_with_image
    at = RTDS_TIME + timedelta(hours=1)
    esme.inject_fault()
    assert isinstance(response_of(activation(esme, IMAGE_HASH, at)), CommandAccepted)
    (alert,) = run_due_asn1_actions(esme, at)
    payload = decode_message(alert).payload
    assert (payload.alert_code, payload.outcome.response_code) == (
        0x8F67, ActivateFirmwareResponseCode.ACTIVATION_FAILURE)
    assert esme.state.firmware.activation_at is None
    assert esme.state.firmware.pending_image_hash == IMAGE_HASH


def test_a_cancelled_activation_never_runs(esme_with_image):
    esme = esme_with_image
    at = RTDS_TIME + timedelta(hours=1)
    response_of(activation(esme, IMAGE_HASH, at))
    assert FIRMWARE_ACTIVATION_ACTION in esme.state.scheduler
    assert isinstance(response_of(activation(esme, IMAGE_HASH, CANCEL_EXECUTION_TIME)),
                      CommandAccepted)
    assert FIRMWARE_ACTIVATION_ACTION not in esme.state.scheduler
    assert run_due_asn1_actions(esme, at) == []
    assert esme.state.firmware.pending_image_hash == IMAGE_HASH


def test_the_activation_counter_must_be_the_commands():
    esme = rtds_device(ESME)
    output = esme.process(command(esme, M.CS06_ACTIVATE_FIRMWARE,
                                  ActivateFirmwareCommand(IMAGE_HASH, 1)))
    assert "originator counter" in output.rejected


# ------------------------------------------------------------------------------------
# PPMID firmware: CS08, CCS08, CS09
# ------------------------------------------------------------------------------------


def test_ppmid_firmware_version_read():
    ppmid = rtds_device(PPMID)
    response = response_of(ppmid.process(command(
        ppmid, M.CS08_READ_PPMID_HCALCS_FIRMWARE_VERSION, EmptyCommand(), originator=ACB)))
    assert (response.firmware_version, response.response_code) == (
        ppmid.state.identity.firmware_version, ReadResponseCode.SUCCESS)


async def test_the_chf_hands_an_image_to_the_ppmid_which_activates_it():
    clock = SteppedClock(RTDS_TIME)
    han = InMemoryHan(clock)
    chf, ppmid = rtds_device(CHF, clock=clock), rtds_device(PPMID, clock=clock)
    image = ota_file()
    (alert,) = await transfer_firmware(chf, han, PPMID, image)  # no PAN yet
    assert decode_message(alert).payload.response_code == \
        FirmwareTransferResponseCode.FILE_TRANSFER_FAILURE
    await han.form_network(HanNetworkInfo(CHF, CHF))
    key = JoinKey.install_code(bytes(16))
    await han.set_join_permits(CHF, [JoinPermit(PPMID, (key,))])
    await han.join(PPMID, CHF, key)
    (alert,) = await transfer_firmware(chf, han, PPMID, image)
    alert = decode_message(alert)
    assert (alert.payload.alert_code, alert.header.recipient) == (0x8F8A, ACB)
    assert alert.payload.device_id == PPMID
    rtds = decode_message(message("NA_CCS08/CCS08_NA_NA_ALERT").data)
    assert asn1_shape(alert.payload) == asn1_shape(rtds.payload)
    await han.drain()
    await han.close()

    assert receive_firmware_image(ppmid, image) == []  # a PPMID confirms nothing itself
    (alert,) = activate_received_firmware(ppmid)
    alert = decode_message(alert)
    assert (alert.message_code, alert.payload.alert_code) == (
        M.CS09_PPMID_FIRMWARE_ACTIVATION_ALERT, 0x8F8B)
    assert alert.payload.firmware_version == NEW_VERSION.to_bytes(4, "big")
    rtds = decode_message(message("NA_CS09/CS09_NA_8F8B_ALERT").data)
    assert asn1_shape(alert.payload) == asn1_shape(rtds.payload)
