"""Every ASN.1 command of the RTDS, delivered to an emulated device, is answered with a
response of the RTDS response's structure: message code, CRA flag, header date-time,
protection form, payload type and DER tag tree, and for SUCCESS cases the same response
codes. ERROR cases run with an injected fault (RTDS ERROR commands are the SUCCESS ones).
Future-dated cases then run their scheduled execution and are compared with the RTDS
8F66 / 8F67 alerts."""

from __future__ import annotations

from functools import cache

import pytest

from firmware_emu.clock import SteppedClock
from firmware_emu.device import DeviceOutput, EmulatedDevice
from firmware_emu.state import Asn1DeviceType
from firmware_emu.usecases.asn1 import run_due_asn1_actions
from gbcs.asn1 import ActivateFirmwareCommand, UnjoinCommand
from gbcs.asn1.payloads import Asn1MessageCode
from gbcs.codes import PayloadFamily
from gbcs.message import GbcsMessage, decode_message
from tests.rtds import RtdsMessage, all_messages
from tests.test_usecases_support import (
    RTDS_TIME,
    asn1_shape,
    response_codes,
    rtds_device,
    with_firmware_image,
)

EXPECTED_ASN1_COMMANDS = 54


@cache
def asn1_commands() -> tuple[RtdsMessage, ...]:
    return tuple(m for m in all_messages() if m.kind == "COMMAND"
                 and decode_message(m.data).family is PayloadFamily.ASN1)


def counterpart(case: RtdsMessage, kind: str) -> RtdsMessage:
    return RtdsMessage(case.path.with_name(case.path.name.replace("_COMMAND_", f"_{kind}_")),
                       kind, case.use_case_folder)


def is_error_case(case: RtdsMessage) -> bool:
    return "_ERROR_" in case.path.name


def set_up_rtds_scenario(device: EmulatedDevice, command: GbcsMessage, *, error: bool) -> None:
    """What the RTDS scenario assumes the device already has (the device an ERROR
    unjoin names was never joined)."""
    payload = command.payload
    log = getattr(device.state, "device_log", None)
    if isinstance(payload, UnjoinCommand) and not error:
        log.add(payload.other_device_id, Asn1DeviceType.PPMID)
    elif command.message_code == Asn1MessageCode.CS07_READ_DEVICE_JOIN_DETAILS:
        log.add(bytes.fromhex("0102030405060708"), Asn1DeviceType.GPF)
        log.add(bytes.fromhex("1112131415161718"), Asn1DeviceType.PPMID)
    elif isinstance(payload, ActivateFirmwareCommand):
        with_firmware_image(device, payload.manufacturer_image_hash, bytes.fromhex("02000001"))


def emulate(case: RtdsMessage) -> tuple[EmulatedDevice, GbcsMessage, DeviceOutput]:
    command = decode_message(case.data)
    device = rtds_device(command.header.recipient, clock=SteppedClock(RTDS_TIME))
    set_up_rtds_scenario(device, command, error=is_error_case(case))
    if is_error_case(case):
        device.inject_fault()
    return device, command, device.process(case.data)


def assert_same_structure(actual_wire: bytes, expected_wire: bytes, *, same_codes: bool) -> None:
    actual, expected = decode_message(actual_wire), decode_message(expected_wire)
    assert actual.message_code == expected.message_code
    assert actual.header.cra == expected.header.cra
    assert (actual.header.date_time is None) == (expected.header.date_time is None)
    assert actual_wire[0] == expected_wire[0], "protection form (DD MAC / DF signed)"
    assert type(actual.payload) is type(expected.payload)
    assert asn1_shape(actual.payload) == asn1_shape(expected.payload)
    if same_codes:
        assert response_codes(actual.payload) == response_codes(expected.payload)


def test_the_rtds_has_the_expected_asn1_commands():
    assert len(asn1_commands()) == EXPECTED_ASN1_COMMANDS


@pytest.mark.parametrize("case", asn1_commands(), ids=lambda case: case.name)
def test_rtds_command_is_answered_like_the_rtds(case: RtdsMessage):
    _, _, output = emulate(case)
    assert output.rejected is None
    assert output.response is not None
    assert_same_structure(output.response, counterpart(case, "RESPONSE").data,
                          same_codes=not is_error_case(case))


def _future_dated_cases() -> list[tuple[RtdsMessage, RtdsMessage]]:
    cases = []
    for case in asn1_commands():
        if "_FUTURE_DATED_" not in case.path.name:
            continue
        outcome = "8F67_FUTURE_DATED_ERROR" if is_error_case(case) else \
            "8F66_FUTURE_DATED_SUCCESS"
        alerts = sorted(case.path.parent.glob(f"*_{outcome}_ALERT*_GBCS.HEX"))
        if alerts:
            cases.append((case, RtdsMessage(alerts[0], "ALERT", case.use_case_folder)))
    return cases


@pytest.mark.parametrize("case, rtds_alert", _future_dated_cases(),
                         ids=lambda item: getattr(item, "name", ""))
def test_future_dated_execution_alerts_like_the_rtds(case: RtdsMessage,
                                                     rtds_alert: RtdsMessage):
    device, command, output = emulate(case)
    assert output.response is not None
    assert run_due_asn1_actions(device) == []  # not yet
    device.clock.set_time(command.payload.execution_time)
    alerts = run_due_asn1_actions(device)
    assert len(alerts) == 1
    assert_same_structure(alerts[0], rtds_alert.data, same_codes=not is_error_case(case))
    assert decode_message(alerts[0]).header.recipient == command.header.originator
    assert run_due_asn1_actions(device) == []  # done once


def test_every_future_dated_rtds_alert_is_covered():
    assert len(_future_dated_cases()) == 6
