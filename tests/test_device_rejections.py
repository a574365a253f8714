"""Commands a GBCS device must not execute are discarded without changing its state.

GBCS devices discard (no response) a command that is not for them, is malformed, fails
its MAC or signature check, is replayed, or carries a message code the device type does
not support; they record the event in their security log, which is the only change.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from firmware_emu.clock import SteppedClock
from firmware_emu.device import EmulatedDevice
from firmware_emu.handlers import default_registry
from firmware_emu.provisioning import DeviceFactory, install_trust_anchors
from firmware_emu.replay import REPLAY_EPOCH
from firmware_emu.state import DeviceType
from gbcs.crypto import KeyStore, KeyUsage
from gbcs.message import decode_message
from gbcs.secure import apply_mac
from tests.rtds import keystore_dir, message

CCS01 = "8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND"
ECS42 = "7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND"
ECS17B = "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND"
CHF = bytes.fromhex("00DB1234567890A2")
ESME = bytes.fromhex("00DB1234567890A0")


@pytest.fixture(scope="module")
def keys():
    return KeyStore.load(keystore_dir())


def make(keys: KeyStore, eui: bytes, device_type: DeviceType) -> EmulatedDevice:
    state = DeviceFactory(keys).make(eui, device_type,
                                     issue_keys=(KeyUsage.DIGITAL_SIGNATURE,))
    install_trust_anchors(state, keys)
    return EmulatedDevice(state, keys, SteppedClock(REPLAY_EPOCH), default_registry())


def functional_state(device: EmulatedDevice) -> dict:
    """Everything but the security log, where refusals are recorded."""
    state = device.state.to_dict()
    state.pop("security_log")
    return state


def assert_discarded(device: EmulatedDevice, wire: bytes, reason: str) -> None:
    before = functional_state(device)
    logged = len(device.state.security_log)
    output = device.process(wire)
    assert output.response is None and output.alerts == []
    assert reason in output.rejected, output.rejected
    assert functional_state(device) == before
    assert len(device.state.security_log) == logged + 1


def test_replayed_command_is_discarded(keys):
    chf = make(keys, CHF, DeviceType.CHF)
    wire = message(CCS01).data
    assert chf.process(wire).response is not None
    assert_discarded(chf, wire, "counter")


def test_bad_mac_is_discarded(keys):
    chf = make(keys, CHF, DeviceType.CHF)
    wire = bytearray(message(CCS01).data)
    wire[-1] ^= 0x01
    assert_discarded(chf, bytes(wire), "MAC")


def test_bad_signature_is_discarded(keys):
    esme = make(keys, ESME, DeviceType.ESME)
    command = decode_message(message(ECS42).data)
    forged = bytearray(command.signature)
    forged[5] ^= 0x10
    # a valid MAC over the forged signature: only the signature check can catch it
    wire = apply_mac(command.replace(signature=bytes(forged)), keys).to_bytes()
    assert_discarded(esme, wire, "signature")


def test_unsigned_critical_command_is_discarded(keys):
    esme = make(keys, ESME, DeviceType.ESME)
    command = decode_message(message(ECS42).data)
    wire = apply_mac(command.replace(signature=b""), keys).to_bytes()
    assert_discarded(esme, wire, "not signed")


def test_command_for_another_device_is_discarded(keys):
    chf = make(keys, CHF, DeviceType.CHF)
    assert_discarded(chf, message(ECS17B).data, "addressed to")


def test_message_code_the_device_type_does_not_support_is_discarded(keys):
    chf = make(keys, CHF, DeviceType.CHF)
    command = decode_message(message(ECS17B).data)
    readdressed = command.replace(header=replace(command.header, recipient=CHF))
    assert_discarded(chf, apply_mac(readdressed, keys).to_bytes(), "not supported")


@pytest.mark.parametrize("cut", [1, 10, 40, -13])
def test_malformed_bytes_are_discarded(keys, cut):
    chf = make(keys, CHF, DeviceType.CHF)
    assert_discarded(chf, message(CCS01).data[:cut], "malformed")


def test_a_failed_execution_answers_an_error_and_keeps_state(keys):
    chf = make(keys, CHF, DeviceType.CHF)
    before = functional_state(chf)
    chf.inject_fault()
    output = chf.process(message(CCS01).data)
    response = decode_message(output.response)
    assert not response.payload.ok
    after = functional_state(chf)
    # only the anti-replay floor moved: the command was received and answered
    assert after.pop("counters") != before.pop("counters")
    assert after == before
