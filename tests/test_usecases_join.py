"""CS03 join / CS04 unjoin / CS07 / GCS59 on emulated device logs, and the HAN side."""

from __future__ import annotations

import pytest

from firmware_emu.clock import SteppedClock
from firmware_emu.han import HanNetworkInfo, InMemoryHan, JoinKey, JoinPermit
from firmware_emu.state import Asn1DeviceType, JoinStatus
from firmware_emu.usecases.join import (
    DEVICE_JOINING_FAILED,
    DEVICE_JOINING_SUCCEEDED,
    DEVICE_UNJOINING_FAILED,
    DEVICE_UNJOINING_SUCCEEDED,
    PARTNER_CERTIFICATE_KEY,
    establish_pending_links,
)
from gbcs.asn1 import (
    DeviceLogBackupAlert,
    DeviceLogEntry,
    DeviceType,
    EmptyCommand,
    JoinCommand,
    JoinMethodAndRole,
    JoinResponseCode,
    ReadResponseCode,
    RestoreDeviceLogCommand,
    UnjoinCommand,
    UnjoinResponseCode,
    certificate_node,
)
from gbcs.asn1.payloads import Asn1MessageCode as M
from gbcs.message import decode_message
from tests.rtds import message
from tests.test_usecases_support import (
    ACB,
    RTDS_TIME,
    SUPPLIER,
    asn1_shape,
    command,
    rtds_device,
)

ESME, GSME, GPF, PPMID = (bytes.fromhex(f"00db1234567890a{n}") for n in "0134")
HCALCS_ID = bytes.fromhex("00db12345678909a")
PPMID_ID = bytes.fromhex("00db123456789098")


def answer(device, code, payload, **kwargs):
    output = device.process(command(device, code, payload, **kwargs))
    assert output.rejected is None, output.rejected
    return decode_message(output.response).payload, [decode_message(a) for a in output.alerts]


def join_payload(method, other, other_type, certificate=None):
    return JoinCommand(method, other, other_type, certificate)


def test_method_a_join_logs_the_other_device_as_pending():
    esme = rtds_device(ESME)
    response, _ = answer(esme, M.CS03A1_METHOD_A_JOIN_METER, join_payload(
        JoinMethodAndRole.METHOD_A_INITIATOR, HCALCS_ID, DeviceType.HCALCS))
    assert response.response_code == JoinResponseCode.SUCCESS
    entry = esme.state.device_log.entry(HCALCS_ID)
    assert (entry.device_type, entry.join_status) == (Asn1DeviceType.HCALCS, JoinStatus.PENDING)


@pytest.mark.parametrize("code, method, other_type, expected", [
    (M.CS03A1_METHOD_A_JOIN_METER, JoinMethodAndRole.METHOD_B, DeviceType.HCALCS,
     JoinResponseCode.INVALID_MESSAGE_CODE_FOR_JOIN_METHOD_AND_ROLE),
    (M.CS03A1_METHOD_A_JOIN_METER, JoinMethodAndRole.METHOD_A_INITIATOR, DeviceType.GSME,
     JoinResponseCode.INVALID_JOIN_METHOD_AND_ROLE),
])
def test_join_method_and_role_are_checked(code, method, other_type, expected):
    esme = rtds_device(ESME)
    before = esme.state.to_dict()["device_log"]
    response, _ = answer(esme, code, join_payload(method, HCALCS_ID, other_type))
    assert response.response_code == expected
    assert esme.state.to_dict()["device_log"] == before


def test_method_c_needs_the_other_devices_ka_certificate_and_keeps_it():
    gsme = rtds_device(GSME)
    response, _ = answer(gsme, M.CS03C_METHOD_C_JOIN, join_payload(
        JoinMethodAndRole.METHOD_C, PPMID_ID, DeviceType.PPMID))
    assert response.response_code == JoinResponseCode.INVALID_OR_MISSING_CERTIFICATE
    assert gsme.state.device_log.entries == []
    ds_certificate = gsme.state.keys.ds_certificate_der  # a device certificate, but for signing
    response, _ = answer(gsme, M.CS03C_METHOD_C_JOIN, join_payload(
        JoinMethodAndRole.METHOD_C, PPMID_ID, DeviceType.PPMID, certificate_node(ds_certificate)))
    assert response.response_code == JoinResponseCode.INVALID_OR_MISSING_CERTIFICATE
    ka_certificate = gsme.state.keys.ka_certificate_der
    response, _ = answer(gsme, M.CS03C_METHOD_C_JOIN, join_payload(
        JoinMethodAndRole.METHOD_C, PPMID_ID, DeviceType.PPMID, certificate_node(ka_certificate)))
    assert response.response_code == JoinResponseCode.SUCCESS
    assert gsme.state.attribute_values[PARTNER_CERTIFICATE_KEY + PPMID_ID.hex()] == \
        ka_certificate


def test_a_device_logged_with_another_type_or_a_full_log_refuses_the_join():
    esme = rtds_device(ESME)
    payload = join_payload(JoinMethodAndRole.METHOD_A_INITIATOR, HCALCS_ID, DeviceType.HCALCS)
    answer(esme, M.CS03A1_METHOD_A_JOIN_METER, payload)
    response, _ = answer(esme, M.CS03A1_METHOD_A_JOIN_METER, join_payload(
        JoinMethodAndRole.METHOD_A_INITIATOR, HCALCS_ID, DeviceType.PPMID))
    assert response.response_code == JoinResponseCode.INCOMPATIBLE_WITH_EXISTING_ENTRY
    assert esme.state.device_log.entry(HCALCS_ID).device_type is Asn1DeviceType.HCALCS
    esme.state.device_log.capacity = 1
    response, _ = answer(esme, M.CS03A1_METHOD_A_JOIN_METER, join_payload(
        JoinMethodAndRole.METHOD_A_INITIATOR, PPMID_ID, DeviceType.PPMID))
    assert response.response_code == JoinResponseCode.DEVICE_LOG_FULL
    assert esme.state.device_log.entry(PPMID_ID) is None


def test_a_failed_join_changes_nothing():
    esme = rtds_device(ESME)
    before = esme.state.to_dict()
    esme.inject_fault()
    response, _ = answer(esme, M.CS03A1_METHOD_A_JOIN_METER, join_payload(
        JoinMethodAndRole.METHOD_A_INITIATOR, HCALCS_ID, DeviceType.HCALCS))
    assert response.response_code == JoinResponseCode.WRITE_FAILURE
    after = esme.state.to_dict()
    assert after["device_log"] == before["device_log"]
    assert after["attribute_values"] == before["attribute_values"]


def test_unjoin_removes_the_entry_and_reports_it():
    gsme = rtds_device(GSME)
    gsme.state.device_log.add(PPMID_ID, Asn1DeviceType.PPMID)
    response, alerts = answer(gsme, M.CS04AC_METHOD_A_OR_C_UNJOIN, UnjoinCommand(PPMID_ID))
    assert response.response_code == UnjoinResponseCode.SUCCESS
    assert gsme.state.device_log.entries == []
    assert [(a.message_code, a.payload.alert_code) for a in alerts] == [
        (0x1001, DEVICE_UNJOINING_SUCCEEDED)]
    assert alerts[0].header.recipient == SUPPLIER
    response, alerts = answer(gsme, M.CS04B_METHOD_B_UNJOIN, UnjoinCommand(PPMID_ID))
    assert response.response_code == UnjoinResponseCode.NOT_IN_DEVICE_LOG
    assert alerts[0].payload.alert_code == DEVICE_UNJOINING_FAILED


def test_unjoin_alerts_from_an_esme_are_dlms():
    esme = rtds_device(ESME)
    esme.state.device_log.add(HCALCS_ID, Asn1DeviceType.HCALCS)
    _, alerts = answer(esme, M.CS04AC_METHOD_A_OR_C_UNJOIN, UnjoinCommand(HCALCS_ID))
    body = alerts[0].payload.body.elements
    assert body[0].value == DEVICE_UNJOINING_SUCCEEDED


def test_read_device_join_details_lists_the_log_or_fails_without_one():
    gsme = rtds_device(GSME)
    gsme.state.device_log.add(PPMID_ID, Asn1DeviceType.PPMID)
    response, _ = answer(gsme, M.CS07_READ_DEVICE_JOIN_DETAILS, EmptyCommand())
    assert response.response_code == ReadResponseCode.SUCCESS
    assert response.device_log == (DeviceLogEntry(PPMID_ID, DeviceType.PPMID),)
    gsme.inject_fault()
    response, _ = answer(gsme, M.CS07_READ_DEVICE_JOIN_DETAILS, EmptyCommand())
    assert (response.response_code, response.device_log) == (ReadResponseCode.READ_FAILURE, None)


def test_restoring_the_gpf_log_answers_each_entry_and_backs_the_log_up_to_the_acb():
    gpf = rtds_device(GPF)
    entries = (DeviceLogEntry(PPMID_ID, DeviceType.PPMID),
               DeviceLogEntry(PPMID_ID, DeviceType.TYPE_2),
               DeviceLogEntry(HCALCS_ID, 9))
    response, alerts = answer(gpf, M.GCS59_RESTORE_GPF_DEVICE_LOG,
                              RestoreDeviceLogCommand(entries), originator=ACB)
    assert [o.join_response_code for o in response.outcomes] == [
        JoinResponseCode.SUCCESS, JoinResponseCode.INCOMPATIBLE_WITH_EXISTING_ENTRY,
        JoinResponseCode.WRITE_FAILURE]
    assert [(e.device_id, e.device_type) for e in gpf.state.device_log.entries] == [
        (PPMID_ID, Asn1DeviceType.PPMID)]
    (alert,) = alerts
    assert alert.message_code == M.GCS62_BACKUP_GPF_DEVICE_LOG_ALERT
    assert alert.header.recipient == ACB
    assert isinstance(alert.payload, DeviceLogBackupAlert)
    assert alert.payload.entries == (DeviceLogEntry(PPMID_ID, DeviceType.PPMID),)
    assert alert.payload.backup_time == RTDS_TIME
    rtds = decode_message(message("NA_GCS62/GCS62_NA_8071_ALERT").data)
    assert asn1_shape(alert.payload) == asn1_shape(rtds.payload)
    assert alert.message_code == rtds.message_code
    # the same log again changes nothing, so nothing is backed up
    _, alerts = answer(gpf, M.GCS59_RESTORE_GPF_DEVICE_LOG,
                       RestoreDeviceLogCommand(entries[:1]), originator=ACB)
    assert alerts == []


async def test_pending_partners_join_over_the_han():
    clock = SteppedClock(RTDS_TIME)
    han = InMemoryHan(clock)
    chf = bytes.fromhex("00db1234567890a2")
    await han.form_network(HanNetworkInfo(chf, chf))
    key = JoinKey.install_code(bytes(16))
    await han.set_join_permits(chf, [JoinPermit(ESME, (key,)), JoinPermit(HCALCS_ID, (key,))])
    await han.join(ESME, chf, key)
    esme = rtds_device(ESME, clock=clock)
    esme.state.device_log.add(HCALCS_ID, Asn1DeviceType.HCALCS)
    esme.state.device_log.add(PPMID_ID, Asn1DeviceType.PPMID)
    alerts = await establish_pending_links(esme, han)  # the HCALCS is not on the PAN yet
    assert [decode_message(a).payload.body.elements[0].value for a in alerts] == [
        DEVICE_JOINING_FAILED, DEVICE_JOINING_FAILED]
    await han.join(HCALCS_ID, chf, key)
    alerts = await establish_pending_links(esme, han)
    assert [decode_message(a).payload.body.elements[0].value for a in alerts] == [
        DEVICE_JOINING_SUCCEEDED, DEVICE_JOINING_FAILED]
    assert esme.state.device_log.entry(HCALCS_ID).join_status is JoinStatus.JOINED
    assert esme.state.device_log.entry(PPMID_ID).join_status is JoinStatus.PENDING
    await han.drain()
    await han.close()

