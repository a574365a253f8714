"""GCS28 Set Clock on the GSME: the validity interval decides."""

from __future__ import annotations

from datetime import timedelta

import pytest

from firmware_emu.clock import SteppedClock
from firmware_emu.usecases.clock import DEVICE_TIME_STATUS
from gbcs.asn1 import DeviceTimeStatus, SetClockCommand
from gbcs.asn1.payloads import Asn1MessageCode as M
from gbcs.message import decode_message
from tests.test_usecases_support import RTDS_TIME, command, rtds_device

GSME = bytes.fromhex("00db1234567890a1")
MINUTE = timedelta(minutes=1)


def set_clock(gsme, start, end):
    output = gsme.process(command(gsme, M.GCS28_SET_CLOCK, SetClockCommand(start, end)))
    assert output.rejected is None, output.rejected
    return decode_message(output.response).payload


def test_the_clock_is_set_within_the_validity_interval():
    gsme = rtds_device(GSME, clock=SteppedClock(RTDS_TIME))
    response = set_clock(gsme, RTDS_TIME - MINUTE, RTDS_TIME + MINUTE)
    assert (response.device_time, response.device_time_status) == (
        RTDS_TIME, DeviceTimeStatus.RELIABLE)
    assert gsme.state.attribute_values[DEVICE_TIME_STATUS] == bytes((DeviceTimeStatus.RELIABLE,))


@pytest.mark.parametrize("start, end, fault", [
    (RTDS_TIME + MINUTE, RTDS_TIME + 2 * MINUTE, False),
    (RTDS_TIME - 2 * MINUTE, RTDS_TIME - MINUTE, False),
    (RTDS_TIME - MINUTE, RTDS_TIME + MINUTE, True),
])
def test_outside_the_interval_or_failing_nothing_is_set(start, end, fault):
    gsme = rtds_device(GSME, clock=SteppedClock(RTDS_TIME))
    if fault:
        gsme.inject_fault()
    response = set_clock(gsme, start, end)
    assert response.device_time_status == DeviceTimeStatus.UNRELIABLE
    assert DEVICE_TIME_STATUS not in gsme.state.attribute_values
    assert gsme.state.event_log.entries == []
