"""DCC alert codes and the device alerts / SR outcomes that raise them (digest §4, §8.2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from firmware_emu.dcc.dcc_alerts import (
    DCC_ALERTS,
    DEVICE_ALERT_MAPPINGS,
    CplStatus,
    DccAlertBody,
    DccAlertCode,
    SrvOutcome,
    UnknownDccAlertError,
    dcc_alerts_for_device_alert,
    dcc_alerts_for_srv_outcome,
    firmware_version_alert,
    parse_dcc_alert_code,
    power_outage_alert,
    status_change_alert,
)
from firmware_emu.dcc.inventory import DeviceType, SmiStatus
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.srv_catalogue import SRV_CATALOGUE

SUB_GHZ_ALERTS = (0x8F20, 0x8F22, 0x8F24, 0x8F29, 0x8F2B, 0x8F2C, 0x8F2D)


def test_every_dcc_alert_code_of_the_digest_and_no_n32():
    expected = {"AD1", "N999", *(f"N{n}" for n in range(1, 66) if n != 32)}
    assert set(DCC_ALERTS) == expected == {code.value for code in DccAlertCode}
    assert DCC_ALERTS["N24"].body is DccAlertBody.UPDATE_HAN_DEVICE_LOG_RESULT
    assert DCC_ALERTS["N53"].name == "Command Not Delivered To ESME"
    assert DCC_ALERTS["N54"].body is DccAlertBody.DUAL_BAND_CH_ALERT
    assert list(DccAlertCode)[:3] == [DccAlertCode.AD1, DccAlertCode.N1, DccAlertCode.N2]


def test_parse_dcc_alert_code():
    assert parse_dcc_alert_code("n24") is DccAlertCode.N24
    with pytest.raises(UnknownDccAlertError, match="'N32'"):
        parse_dcc_alert_code("N32")


def test_0x8f84_gives_n53_with_e58():
    (mapping,) = dcc_alerts_for_device_alert(0x8F84, DeviceType.CHF)
    assert (mapping.dcc_alert, mapping.response_code) == (DccAlertCode.N53, ResponseCode.E58)
    assert dcc_alerts_for_device_alert(0x8F84, DeviceType.ESME) == ()


@pytest.mark.parametrize("alert_code", SUB_GHZ_ALERTS)
def test_sub_ghz_alerts_give_n54_with_e59(alert_code):
    (mapping,) = dcc_alerts_for_device_alert(alert_code, DeviceType.CHF)
    assert (mapping.dcc_alert, mapping.response_code) == (DccAlertCode.N54, ResponseCode.E59)


def test_other_sub_ghz_alerts_are_only_forwarded():
    for alert_code in (0x8F21, 0x8F26, 0x8F28, 0x8F2A):
        assert dcc_alerts_for_device_alert(alert_code, DeviceType.CHF) == ()


def test_n24_needs_the_chf_alert_during_an_8_11():
    (mapping,) = dcc_alerts_for_device_alert(0x8F12, DeviceType.CHF, srv_in_progress="8.11")
    assert mapping.dcc_alert is DccAlertCode.N24
    assert dcc_alerts_for_device_alert(0x8F12, DeviceType.CHF) == ()
    assert dcc_alerts_for_device_alert(0x8F12, DeviceType.CHF, srv_in_progress="8.12.1") == ()


def test_n58_from_future_dated_alcs_calendar_execution():
    found = dcc_alerts_for_device_alert(0x8F66, DeviceType.ESME, message_code=0x00CC,
                                        srv_in_progress="6.14.2")
    assert [mapping.dcc_alert for mapping in found] == [DccAlertCode.N58]
    assert dcc_alerts_for_device_alert(0x8F66, DeviceType.ESME, message_code=0x00CA,
                                       srv_in_progress="6.14.2") == ()
    assert dcc_alerts_for_device_alert(0x8F66, DeviceType.ESME, message_code=0x00CC) == ()


def test_device_alert_code_must_be_16_bit():
    with pytest.raises(UnknownDccAlertError, match="not a 16-bit code"):
        dcc_alerts_for_device_alert(0x18F84, DeviceType.CHF)


def test_mappings_refer_to_catalogued_srvs():
    for mapping in DEVICE_ALERT_MAPPINGS:
        assert mapping.during_srvs <= set(SRV_CATALOGUE)


@pytest.mark.parametrize(("srv_id", "outcome", "alerts"), [
    ("8.11", SrvOutcome.NO_CONFIRMING_ALERT, [DccAlertCode.N25]),
    ("8.11", SrvOutcome.DUAL_JOINED_PPMID_REMOVED, [DccAlertCode.N43]),
    ("8.11", SrvOutcome.SUCCEEDED, []),
    ("6.14.1", SrvOutcome.SUCCEEDED, [DccAlertCode.N58]),
    ("6.14.3", SrvOutcome.SUCCEEDED, [DccAlertCode.N58]),
    ("8.12.1", SrvOutcome.SUCCEEDED, [DccAlertCode.N30]),
    ("8.12.2", SrvOutcome.SUCCEEDED, [DccAlertCode.N31]),
    ("6.23", SrvOutcome.SUCCEEDED, [DccAlertCode.N27]),
    ("6.15.1", SrvOutcome.OTHER_PARTY_CREDENTIALS_PLACED, [DccAlertCode.N42]),
    ("4.1.1", SrvOutcome.SUCCEEDED, []),
])
def test_srv_outcome_alerts(srv_id, outcome, alerts):
    assert [t.dcc_alert for t in dcc_alerts_for_srv_outcome(srv_id, outcome)] == alerts


def test_n58_goes_to_the_electricity_distributor():
    (trigger,) = dcc_alerts_for_srv_outcome("6.14.2", SrvOutcome.SUCCEEDED)
    assert trigger.recipient == "Electricity Distributor"


@pytest.mark.parametrize(("reported", "recorded", "cpl", "via_gpf", "alert"), [
    ("0123ABCD", "0123abcd", CplStatus.CURRENT, False, None),
    ("0123ABCD", "00000001", CplStatus.CURRENT, False, DccAlertCode.N49),
    ("0123ABCD", "00000001", CplStatus.REMOVED, False, DccAlertCode.N50),
    ("0123ABCD", None, CplStatus.NOT_LISTED, False, DccAlertCode.N51),
    ("0123ABCD", "00000001", CplStatus.CURRENT, True, DccAlertCode.N52),
])
def test_firmware_version_alerts(reported, recorded, cpl, via_gpf, alert):
    assert firmware_version_alert(reported, recorded, cpl,
                                  gsme_version_read_via_gpf=via_gpf) is alert


def test_status_change_and_power_outage_alerts():
    assert status_change_alert(DeviceType.ESME, SmiStatus.DECOMMISSIONED) is DccAlertCode.N1
    assert status_change_alert(DeviceType.GSME, SmiStatus.WITHDRAWN) is DccAlertCode.N2
    assert status_change_alert(DeviceType.GSME, SmiStatus.SUSPENDED) is None
    assert status_change_alert(DeviceType.CHF, SmiStatus.DECOMMISSIONED) is None
    assert power_outage_alert(timedelta(minutes=3)) is DccAlertCode.AD1
    assert power_outage_alert(timedelta(minutes=2, seconds=59)) is None
