"""CHF specifics: the device log (IC 104) with its CS14 alert, the Sub-GHz rules and the
Sub-GHz alerts, against the RTDS alert shapes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from firmware_emu.compare import data_shape
from firmware_emu.cosem import AccessContext, AttributeRef, CosemError, model_for
from firmware_emu.cosem import chf as chf_model
from firmware_emu.cosem.chf import backup, configuration_data, device_log_changed_alert
from firmware_emu.cosem.processor import run_request
from firmware_emu.provisioning import new_identity
from firmware_emu.state import (
    ChfState,
    DeviceType,
    DeviceVariant,
    DlmsDeviceType,
    SubGhzConfiguration,
    WhitelistStatus,
    new_device_state,
)
from firmware_emu.state_logs import CHF_DEVICE_LOG_CAPACITY
from firmware_emu.state_subghz import SubGhzBand, SubGhzChannel, page_mask
from gbcs.dlms import axdr
from gbcs.dlms.axdr import Array, Boolean, Enum, LongUnsigned, OctetString, Structure, Unsigned
from gbcs.dlms.cosem import obis
from gbcs.dlms.xdlms import (
    AccessRequestSet,
    ActionResult,
    DataAccessResult,
    InvokeIdAndPriority,
    access_request,
)
from gbcs.message import decode_message
from tests.rtds import message
from tests.test_cosem_model import NOW
from tests.test_cosem_rtds import rtds_device

CHF_EUI = bytes.fromhex("00DB0000000000A2")
METER = bytes.fromhex("00DB0000000000A0")
INSTALL_CODE = b"0123456789ABCDEF"
DEVICE_LOG = "0-0:30.3.0.255"


def chf(dual_band: bool = True) -> ChfState:
    state = new_device_state(new_identity(CHF_EUI, DeviceType.CHF,
                                          DeviceVariant(dual_band=dual_band)))
    assert isinstance(state, ChfState)
    return state


def access_to(state: ChfState) -> AccessContext:
    return AccessContext(state, NOW, model_for(state))


def call(access: AccessContext, method_id: int, parameter, obis_text: str = DEVICE_LOG):
    return access.model.action(access, AttributeRef.of(104, obis_text, method_id, method=True),
                               parameter)


def registration(device_id: bytes, device_type: int = DlmsDeviceType.ESME, key_type: int = 1):
    return Structure((OctetString(device_id), Enum(key_type), OctetString(INSTALL_CODE),
                      Enum(device_type)))


def test_registering_a_device_whitelists_it_and_reports_the_log() -> None:
    state = chf()
    access = access_to(state)
    call(access, 1, registration(METER))
    entry = state.device_log.entry(METER)
    assert entry.status is WhitelistStatus.AWAITING_JOIN and entry.install_code == INSTALL_CODE
    (alert,) = access.finish()
    assert alert.message_code == 0x0018 and not alert.critical
    call(access, 1, registration(METER))
    assert len(access.finish()) == 1  # already logged: no change, no second alert


@pytest.mark.parametrize("parameter", [registration(METER, device_type=99),
                                       registration(METER, key_type=0)])
def test_a_registration_the_chf_cannot_take_fails(parameter) -> None:
    access = access_to(chf())
    with pytest.raises(CosemError) as raised:
        call(access, 1, parameter)
    assert raised.value.result == ActionResult.OTHER_REASON


def test_a_full_device_log_refuses_another_device() -> None:
    state = chf()
    for n in range(CHF_DEVICE_LOG_CAPACITY):
        state.device_log.add(bytes(7) + bytes((n,)), DlmsDeviceType.IHD, INSTALL_CODE)
    with pytest.raises(CosemError):
        call(access_to(state), 1, registration(METER))


def test_unregistering_keeps_the_link_key_in_the_historic_log() -> None:
    state = chf()
    state.device_log.add(METER, DlmsDeviceType.ESME, INSTALL_CODE)
    state.device_log.record_join(METER, bytes(range(16)), NOW)
    access = access_to(state)
    call(access, 2, OctetString(METER))
    assert state.device_log.entry(METER) is None
    historic = call(access, 4, axdr.null(), "0-0:30.3.1.255")
    assert historic.elements[2] == Array((Structure((OctetString(METER),
                                                     OctetString(bytes(range(16))))),))
    call(access, 2, OctetString(METER))  # not logged any more: nothing to do
    assert len(access.finish()) == 1


def test_restore_pan_replaces_the_log_and_the_han_identifier() -> None:
    state = chf()
    access = access_to(state)
    pan = bytes.fromhex("0000000000000140")
    call(access, 5, Structure((OctetString(pan), Array((
        Structure((OctetString(METER), OctetString(bytes(16)))),)))))
    assert state.extended_pan_id == pan
    assert [e.device_id for e in state.device_log.entries] == [METER]
    assert backup(state, NOW).elements[1] == OctetString(pan)


def test_joining_attributes_open_the_join_window() -> None:
    state = chf()
    access = access_to(state)
    access.model.set(access, AttributeRef.of(104, DEVICE_LOG, 3), LongUnsigned(90))
    access.model.set(access, AttributeRef.of(104, DEVICE_LOG, 2), Boolean(0xFF))
    assert state.device_log.join_window_closes_at() == NOW + timedelta(seconds=90)
    state.device_log.add(METER, DlmsDeviceType.ESME, INSTALL_CODE)
    state.device_log.record_join(METER, bytes(16), NOW)
    (device,) = access.model.get(access, AttributeRef.of(104, DEVICE_LOG, 4)).elements
    assert device.elements[0].value == METER and device.elements[1].value == "11000000"


def _configuration(**changes) -> Structure:
    return configuration_data(SubGhzConfiguration(**changes))


def test_a_configuration_that_drops_the_operating_channel_moves_the_chf() -> None:
    state = chf()
    access = access_to(state)
    old = state.sub_ghz.operating_channel
    new_page28 = page_mask(28, [old.number + 5, old.number + 6])
    access.model.set(access, AttributeRef.of(1, chf_model.SUB_GHZ_CONFIGURATION, 2),
                     _configuration(page28_mask=new_page28))
    assert state.sub_ghz.operating_channel == SubGhzChannel(SubGhzBand.LOWER, old.number + 5)
    (log_row,) = access.model.get(access, AttributeRef.of(7, chf_model.SUB_GHZ_CHANNEL_LOG,
                                                          2)).elements
    assert log_row.elements[1].value == 0x8F26
    assert log_row.elements[2].value[:4] == state.sub_ghz.operating_channel_word.to_bytes(4,
                                                                                        "big")
    codes = [alert.message_code for alert in access.finish()]
    assert codes == [0x0111, 0x0113]


def test_an_invalid_configuration_is_refused_and_changes_nothing() -> None:
    state = chf()
    before = state.sub_ghz.configuration
    fields = _configuration().elements
    # the normal-limited duty-cycle threshold above the limited-critical one
    above = Structure((*fields[:4], LongUnsigned(9000), *fields[5:]))
    request = access_request(InvokeIdAndPriority.for_counter(1), [(
        AccessRequestSet(1, obis(chf_model.SUB_GHZ_CONFIGURATION), 2), above)])
    response, failed = run_request(access_to(state), request)
    assert response.results[0].result == DataAccessResult.OTHER_REASON and failed
    assert state.sub_ghz.configuration == before


def test_a_scan_request_is_assessed_at_once() -> None:
    state = chf()
    access = access_to(state)
    access.model.set(access, AttributeRef.of(1, chf_model.SUB_GHZ_SCAN, 2), Unsigned(0))
    (outcome,) = access.finish()
    assert outcome.message_code == 0x0112 and not state.sub_ghz.scan_requested


def test_a_single_band_chf_has_no_sub_ghz_objects() -> None:
    access = access_to(chf(dual_band=False))
    with pytest.raises(CosemError) as raised:
        access.model.get(access, AttributeRef.of(1, chf_model.SUB_GHZ_CHANNEL, 2))
    assert raised.value.result == DataAccessResult.OBJECT_UNDEFINED


def _han_event_alerts(device):
    state = device.state
    moved = SubGhzChannel(SubGhzBand.LOWER, state.sub_ghz.configuration.usable_channels()[1]
                          .number)
    return {
        "NA_CS14/CS14_NA_8F12_ALERT": device_log_changed_alert(state, NOW),
        "NA_DBCH06/DBCH06_NA_8F20_ALERT": chf_model.duty_cycle_limited(NOW, METER),
        "NA_DBCH07/DBCH07_NA_8F26_ALERT": chf_model.change_sub_ghz_channel(state, NOW, moved),
        "NA_DBCH08/DBCH08_NA_8F28_ALERT": chf_model.dlms_alerts.channel_scan_outcome(NOW, 0,
                                                                                    0),
        "NA_DBCH10/DBCH10_NA_8F2C_ALERT": chf_model.message_discarded(
            NOW, bytes.fromhex("90B3D51F30010000"), METER, 1, 1000),
        "NA_DBCH11/DBCH11_NA_8F2D_ALERT": chf_model.sub_ghz_capacity_exhausted(NOW, METER),
    }


def test_chf_alerts_have_the_rtds_shapes_and_go_to_the_acb() -> None:
    device = rtds_device(decode_message(message("8.9_CCS06/CCS06_8.9_SUCCESS_COMMAND").data))
    requests = _han_event_alerts(device)
    emitted = device.raise_alerts(list(requests.values()))
    for name, raw in zip(requests, emitted, strict=True):
        mine, reference = decode_message(raw), decode_message(message(name).data)
        assert mine.message_code == reference.message_code, name
        assert mine.header.recipient == reference.header.recipient, name
        assert (mine.has_mac, mine.is_signed) == (reference.has_mac, reference.is_signed), name
        assert data_shape(mine.payload.body) == data_shape(reference.payload.body), name
