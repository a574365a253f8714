"""Every DLMS command of the RTDS through an emulated ESME, CHF or SAPC, compared with
the RTDS response on structure (firmware_emu.compare), plus the alerts the RTDS shows
for future-dated commands and Sub-GHz configuration changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

from firmware_emu import cosem
from firmware_emu.clock import SteppedClock
from firmware_emu.compare import compare_messages, data_shape
from firmware_emu.device import EmulatedDevice
from firmware_emu.provisioning import DeviceFactory, install_trust_anchors
from firmware_emu.registry import Fault, Registry
from firmware_emu.state import DeviceType, DeviceVariant, DlmsDeviceType
from gbcs.crypto import KeyStore, KeyUsage
from gbcs.dlms import AccessRequest, DataNotification
from gbcs.message import GbcsMessage, decode_message
from tests.rtds import RtdsMessage, all_messages, keystore_dir, message

START = datetime(2026, 1, 1, tzinfo=UTC)
RTDS_DEVICES = {0xA0: DeviceType.ESME, 0xA2: DeviceType.CHF, 0xA6: DeviceType.SAPC}
_ERROR = re.compile(r"(^|_)ERROR(_|$)")
WHITELISTED = (bytes.fromhex("00DB1234567890A0"), bytes.fromhex("00DB1234567890A1"))


@cache
def rtds_keys() -> KeyStore:
    return KeyStore.load(keystore_dir())


@cache
def _factory() -> DeviceFactory:
    return DeviceFactory(rtds_keys())


@cache
def _signing_key(eui: bytes) -> None:
    """One generated DS key per RTDS device (the RTDS has no device private keys)."""
    _factory().issue(eui, KeyUsage.DIGITAL_SIGNATURE)


def dlms_registry() -> Registry:
    registry = Registry()
    cosem.register(registry)
    return registry


def rtds_device(command: GbcsMessage, case_name: str = "") -> EmulatedDevice:
    """The RTDS device ``command`` addresses, as the RTDS shows it: a twin-element ESME
    for ``TWIN`` cases, a dual-band CHF with the ESME and GSME whitelisted and joined."""
    eui = command.header.recipient
    device_type = RTDS_DEVICES[eui[-1]]
    variant = {DeviceType.ESME: DeviceVariant(twin_element="_TWIN_" in case_name,
                                              alcs_count=5, apc_count=1),
               DeviceType.CHF: DeviceVariant(dual_band=True),
               DeviceType.SAPC: DeviceVariant(apc_count=1)}[device_type]
    _signing_key(eui)
    state = _factory().make(eui, device_type, variant=variant, issue_keys=())
    other = command.header.other_information
    install_trust_anchors(state, rtds_keys(), preferred=(command.header.originator,) + (
        (other.supplementary_remote_party,) if other.supplementary_remote_party else ()))
    if device_type is DeviceType.CHF:
        for device_id in WHITELISTED:
            state.device_log.add(device_id, DlmsDeviceType.ESME, bytes(16))
            state.device_log.record_join(device_id, bytes(range(16)), START - timedelta(days=1))
        state.device_log.remember(bytes.fromhex("00DB1234567890A3"), bytes(16))
    return EmulatedDevice(state, rtds_keys(), SteppedClock(START), dlms_registry())


def run_due(device: EmulatedDevice) -> list[bytes]:
    due = device.state.scheduler.next_due_at()
    if due is None:
        return []
    device.clock.set_time(due + timedelta(seconds=1))
    return device.run_due()


@cache
def dlms_commands() -> tuple[RtdsMessage, ...]:
    return tuple(m for m in all_messages() if m.kind == "COMMAND"
                 and isinstance(decode_message(m.data).payload, AccessRequest))


def _response_of(command: RtdsMessage) -> GbcsMessage:
    return decode_message(message(command.name.replace("_COMMAND_", "_RESPONSE_")).data)


def test_every_dlms_command_of_the_rtds_is_covered() -> None:
    assert len(dlms_commands()) == 247


@pytest.mark.parametrize("case", dlms_commands(), ids=lambda m: m.path.stem)
def test_response_matches_rtds_structure(case: RtdsMessage) -> None:
    command = decode_message(case.data)
    device = rtds_device(command, case.name)
    error_case = bool(_ERROR.search(case.path.stem))
    before = device.state.to_dict()
    if error_case:
        device.inject_fault(Fault("RTDS error case"))
    output = device.process(case.data)
    assert output.rejected is None and output.response is not None
    differences = compare_messages(decode_message(output.response), _response_of(case),
                                   keys=rtds_keys(), strict_results=not error_case)
    assert differences == []
    if error_case:
        after = device.state.to_dict()
        before.pop("counters"), after.pop("counters")
        assert after == before and output.alerts == []


def _alert_files(command: RtdsMessage, alert_marker: str) -> list[RtdsMessage]:
    """The RTDS alerts raised by ``command``: same prefix, the alert code after the SRV."""
    prefix = command.path.stem.split("_COMMAND")[0]
    found = []
    for candidate in all_messages():
        if candidate.kind != "ALERT" or candidate.use_case_folder != command.use_case_folder:
            continue
        stem = candidate.path.stem.replace(f"_{alert_marker}_", "_", 1)
        if stem.split("_ALERT")[0] == prefix:
            found.append(candidate)
    return found


def _executed_item(alert: GbcsMessage) -> bytes:
    """class id, OBIS and attribute of a 0x00CC alert (its octet-string after the
    message code and originator counter)."""
    return alert.payload.body.children[2].value[10:]


FUTURE_DATED = [m for m in dlms_commands() if "_FUTURE_DATED_" in m.name
                and "_SUCCESS_" in m.name]


@pytest.mark.parametrize("case", FUTURE_DATED, ids=lambda m: m.path.stem)
def test_future_dated_command_raises_the_rtds_alerts_when_due(case: RtdsMessage) -> None:
    command = decode_message(case.data)
    device = rtds_device(command, case.name)
    assert device.process(case.data).alerts == []
    emitted = [decode_message(raw) for raw in run_due(device)]
    reference = [decode_message(m.data) for m in _alert_files(case, "8F66")]
    assert reference, "the RTDS has alerts for every future-dated DLMS case"
    assert sorted(map(_executed_item, emitted)) == sorted(map(_executed_item, reference))
    for alert in emitted:
        assert alert.message_code == 0x00CC and alert.is_signed and not alert.has_mac
        assert isinstance(alert.payload, DataNotification)
        assert alert.payload.alert_code == 0x8F66
        assert data_shape(alert.payload.body) == data_shape(reference[0].payload.body)
        counter = int.from_bytes(alert.payload.body.children[2].value[2:10], "big")
        assert counter == command.header.originator_counter
    assert device.state.scheduler.next_due_at() is None


def test_cancellation_removes_the_pending_activation() -> None:
    future = message("1.1.1_ECS01a/ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_COMMAND")
    cancel = message("1.1.1_ECS01a/ECS01a_1.1.1_CANCELLATION_TOU_BLOCK_SUCCESS_COMMAND")
    device = rtds_device(decode_message(future.data))
    device.process(future.data)
    assert len(device.state.scheduler) == 6
    device.process(cancel.data)
    assert len(device.state.scheduler) == 0
    assert run_due(device) == []


def test_sub_ghz_configuration_change_raises_the_rtds_dbch09_alert() -> None:
    case = message("6.28_DBCH04/DBCH04_6.28_SUCCESS_COMMAND")
    output = rtds_device(decode_message(case.data)).process(case.data)
    reference = decode_message(message("6.28_DBCH04/DBCH04_6.28_NA_SUCCESS_ALERT_DBCH09").data)
    (alert,) = [decode_message(raw) for raw in output.alerts]
    assert alert.message_code == reference.message_code == 0x0113
    assert alert.header.recipient == reference.header.recipient
    assert (alert.has_mac, alert.is_signed) == (reference.has_mac, reference.is_signed)
    assert data_shape(alert.payload.body) == data_shape(reference.payload.body)
    assert alert.payload.body.children[2] == case_value(case)


def case_value(case: RtdsMessage):
    """The value a single-item SET command writes."""
    return decode_message(case.data).payload.data[0]
