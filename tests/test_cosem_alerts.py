"""DLMS alert builders against the RTDS alerts (code, protection, recipient, body shape,
decrypted part), and the ESME events that raise them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from firmware_emu.compare import data_shape
from firmware_emu.cosem import dlms_alerts
from firmware_emu.cosem.catalogue_esme import BILLING_DATA_LOG
from firmware_emu.cosem.esme_events import billing_calendar_reached, supply_restored
from firmware_emu.cosem.model import AttributeRef
from firmware_emu.cosem.profiles import stored_rows
from gbcs.dlms.axdr import CompactArray
from gbcs.message import decode_message
from gbcs.sensitive import open_parts
from tests.rtds import message
from tests.test_cosem_model import NOW
from tests.test_cosem_rtds import rtds_device, rtds_keys

ECS52 = "11.2_ECS52/ECS52_11.2_SUCCESS_COMMAND"


def esme_device(twin: bool = False):
    return rtds_device(decode_message(message(ECS52).data), "_TWIN_" if twin else "")


BUILT = {
    "NA_GCA-DLMS/GCA-DLMS_NA_8F30_ALERT": dlms_alerts.generic_alert(0x8F30, NOW, critical=True),
    "NA_GNCA-DLMS/GNCA-DLMS_NA_810E_ALERT": dlms_alerts.generic_alert(0x810E, NOW,
                                                                     critical=False),
    "NA_MIIWA-DLMS/MIIWA-DLMS_NA_81A0_ALERT": dlms_alerts.meter_integrity_warning(NOW, 5),
    "NA_ECS101/ECS101_NA_8F86_INPUT_ALERT": dlms_alerts.apc_limit_processed(
        NOW, 1, NOW, NOW + timedelta(hours=1), 50),
    "NA_ECS102/ECS102_NA_8F87_INPUT_ALERT": dlms_alerts.apc_limit_ended(NOW, 1, 100),
    "NA_ECS200/ECS200_NA_8F88_ALERT": dlms_alerts.operational_update(NOW, '{"state": "ok"}'),
}


@pytest.mark.parametrize("name", BUILT)
def test_esme_alerts_have_the_rtds_form(name: str) -> None:
    device = esme_device()
    mine = decode_message(device.raise_alerts([BUILT[name]])[0])
    reference = decode_message(message(name).data)
    assert mine.message_code == reference.message_code
    assert mine.header.recipient == reference.header.recipient
    assert (mine.has_mac, mine.is_signed) == (reference.has_mac, reference.is_signed)
    assert data_shape(mine.payload.body) == data_shape(reference.payload.body)
    assert mine.payload.invoke.invoke_id == mine.header.originator_counter & 0xFFFFFF


@pytest.mark.parametrize("twin", [False, True])
def test_the_billing_calendar_logs_and_reports_the_billing_data_encrypted(twin: bool) -> None:
    device = esme_device(twin)
    device.state.metering.registers.record_import(4321, 0)
    request = billing_calendar_reached(device.state, NOW)
    (row,) = stored_rows(device.state, AttributeRef.of(7, BILLING_DATA_LOG, 2))
    assert row.elements[1].value == 4321
    mine = decode_message(device.raise_alerts([request])[0])
    kind = "TWIN" if twin else "SINGLE"
    reference = decode_message(message(f"NA_ECS68/ECS68_NA_8F0A_{kind}_ALERT").data)
    assert (mine.message_code, mine.is_signed) == (reference.message_code, True)
    assert data_shape(mine.payload.body) == data_shape(reference.payload.body)
    (opened,) = open_parts(mine, rtds_keys())
    (expected,) = open_parts(reference, rtds_keys())
    assert not opened.error
    assert [data_shape(v) for v in opened.value] == [data_shape(v) for v in expected.value]
    assert isinstance(opened.value[0].elements[0], CompactArray)


def test_a_long_outage_raises_ecs80_and_a_short_one_is_only_logged() -> None:
    device = esme_device()
    state = device.state
    assert supply_restored(state, NOW - timedelta(minutes=1), NOW) is None
    request = supply_restored(state, NOW - timedelta(minutes=5), NOW)
    assert [e.event_code for e in state.event_log.entries] == [0x8F35, 0x8F36]
    alert = decode_message(device.raise_alerts([request])[0])
    assert (alert.message_code, alert.is_signed) == (0x0067, True)
    assert [type(v).__name__ for v in alert.payload.body.children] == [
        "LongUnsigned", "OctetString", "OctetString", "OctetString"]


def test_command_not_supported_names_the_refused_command() -> None:
    request = dlms_alerts.command_not_supported(NOW, 0x0019, 1234)
    alert = decode_message(esme_device().raise_alerts([request])[0])
    assert alert.payload.alert_code == 0x8F85
    assert alert.payload.body.children[2].value == bytes.fromhex("0019") + (1234).to_bytes(8,
                                                                                          "big")
