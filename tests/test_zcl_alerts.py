"""GBZ alerts a GSME raises, sent through the device and read back."""

from __future__ import annotations

import pytest

from firmware_emu.zcl import gbz_alerts, history
from gbcs.gbz import GbzComponent, MeterIntegrityWarning
from gbcs.gbz import clusters_metering as metering
from gbcs.message import decode_message
from gbcs.primitives import datetime_to_utc_seconds
from gbcs.sensitive import open_parts
from tests.test_zcl_support import GSME, START, SUPPLIER, device, new_state, rtds_keys


@pytest.fixture(scope="module")
def keys():
    return rtds_keys()


@pytest.fixture
def gsme(keys):
    return device(new_state(GSME, keys), keys)


def test_generic_alerts_follow_the_alert_code_criticality(gsme):
    critical, non_critical = (decode_message(alert) for alert in gsme.raise_alerts([
        gbz_alerts.generic_alert(0x8F30, START), gbz_alerts.generic_alert(0x810E, START)]))
    assert (critical.message_code, critical.is_signed) == (0x1000, True)
    assert (non_critical.message_code, non_critical.has_mac) == (0x1001, True)
    assert non_critical.payload.alert_code == 0x810E
    assert non_critical.payload.timestamp == datetime_to_utc_seconds(START)
    assert critical.header.recipient == SUPPLIER


def test_meter_integrity_warning(gsme):
    [alert] = gsme.raise_alerts([gbz_alerts.meter_integrity_warning(2, START)])
    decoded = decode_message(alert)
    assert decoded.message_code == 0x00F2 and not decoded.is_signed
    assert decoded.payload.alert_code == 0x81A0
    assert decoded.payload.data == MeterIntegrityWarning(2)


def test_billing_data_log_carries_the_snapshot_encrypted(gsme, keys):
    gsme.state.metering.registers.record_import(321, 0)
    snapshot, _ = history.take_snapshot(gsme.state, START,
                                        history.SnapshotCause.END_OF_BILLING_PERIOD)
    [alert] = gsme.raise_alerts([gbz_alerts.billing_data_log(snapshot, START)])
    decoded = decode_message(alert)
    assert decoded.message_code == 0x008B and decoded.is_signed
    assert decoded.payload.alert_code == 0x8F0A
    assert isinstance(decoded.payload.data, GbzComponent)
    assert decoded.payload.data.is_encrypted and decoded.payload.data.frame_control == 0x19
    [opened] = open_parts(decoded, keys)
    assert not opened.error
    body = opened.value.body
    assert isinstance(body, metering.PublishSnapshot)
    assert body.snapshot_payload.current_summation == 321
