"""Every GBZ command of the RTDS through an emulated GSME / GPF, response compared with
the RTDS response on structure.

Compared: message code, CRA, header date-time presence, protection (signed or MAC'd),
and per command component (responses echo its sequence number): the answering
components' cluster, frame control, command id, encryption and payload type; Default
Response statuses and Read Attributes Response attribute ids / statuses / types, inside
encrypted components too. Values are not compared. Two differences are data, not
structure, and are counted apart: a read answered by several components (one Publish
Day Profile per stored day) may have another count, and a log read may find an entry in
one device's history and none (NOT_FOUND) in the other's. ERROR cases run with an
injected fault; the device fails its second-to-last component where RTDS failed one
chosen per case, so for them statuses and the answers after the failure are compared
only in the report (:func:`test_gbz_rtds_report`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from functools import cache

import pytest

from firmware_emu.state import device_state_from_dict
from firmware_emu.zcl import history
from gbcs.crypto.utrn import generate_utrn
from gbcs.gbz import GbzPayload, gbz_component, gbz_payload
from gbcs.gbz.zcl import DefaultResponse, ReadAttributesResponse, ZclStatus
from gbcs.message import GbcsMessage, decode_message
from gbcs.secure import apply_mac
from gbcs.sensitive import open_parts
from tests.rtds import all_messages, message
from tests.test_zcl_support import GSME, SUPPLIER, add_history, device, new_state, rtds_keys

SETUP_COMMANDS = (
    "1.1.1_GCS01a/GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_COMMAND",
    "2.1_GCS05/GCS05_2.1_IMMEDIATE_SUCCESS_COMMAND",
    "6.8_GCS25/GCS25_6.8_SUCCESS_COMMAND",
    "14.1_GCS31/GCS31_14.1_SUCCESS_COMMAND",
)
"""Commands an in-service GSME has had (tariff and calendars, billing calendar, network
data sampling) before the RTDS reads of them."""
PPMID_COMMANDS = (0x009B, 0x0090)
NOT_FAILED = {ZclStatus.SUCCESS, ZclStatus.NOT_FOUND}
USE_CASE_FAILURES = {
    "StartSamplingResponse": lambda body: body.sample_id == 0xFFFF,
    "ConsumerTopUpResponse": lambda body: body.result_type != 0,
    "ClearEventLogResponse": lambda body: body.cleared_event_logs == 0,
}


def _gbz_commands() -> list:
    found = []
    for item in all_messages():
        if item.kind == "COMMAND" and isinstance(decode_message(item.data).payload, GbzPayload):
            found.append(item)
    return found


GBZ_COMMANDS = _gbz_commands()


@cache
def _keys():
    return rtds_keys()


@cache
def _in_service(eui: bytes) -> dict:
    keys = _keys()
    state = new_state(eui, keys)
    add_history(state)
    if eui != GSME:
        return state.to_dict()
    gsme = device(state, keys)
    for name in SETUP_COMMANDS:
        gsme.state.counters.floors.clear()
        assert gsme.process(message(name).data).rejected is None, name
    for sample in range(48):
        history.record_sample(gsme.state, 2, sample % 7)
    gsme.state.counters.floors.clear()
    return gsme.state.to_dict()


def _ppmid_command(original: GbcsMessage, keys) -> bytes:
    """A PCS command re-MAC'd with the generated GSME key (device keys are not in the
    RTDS), its UTRN re-issued for that key."""
    payload = original.payload
    component = payload.components[0]
    command = component.zcl_command()
    if hasattr(command.body, "top_up_code"):
        code = generate_utrn(keys.prepayment_ka_private(SUPPLIER), keys.ka_public(GSME),
                             SUPPLIER, GSME, 3 << 32, 2025)
        command = dataclasses.replace(command, body=command.body.replace(
            top_up_code=code.encode()))
        payload = gbz_payload([gbz_component(command, component.sequence_number)])
    rebuilt = original.replace(payload=payload, signature=b"", envelope=None)
    return apply_mac(rebuilt, keys).to_bytes()


def respond(item) -> tuple[GbcsMessage, object]:
    """(the emulated response, the key store that opens it)."""
    command = decode_message(item.data)
    wire = item.data
    if command.message_code in PPMID_COMMANDS:
        keys = rtds_keys(own_key_agreement=(GSME,))
        state = new_state(GSME, keys).to_dict()
        wire = _ppmid_command(command, keys)
    else:
        keys = _keys()
        fresh = "NOT_FOUND" in item.path.name
        state = new_state(command.header.recipient, keys).to_dict() if fresh \
            else _in_service(command.header.recipient)
    emulated = device(device_state_from_dict(state), keys)
    if "_ERROR_" in item.path.name:
        emulated.inject_fault()
    output = emulated.process(wire)
    assert output.rejected is None, output.rejected
    assert output.response is not None
    return decode_message(output.response), keys


# -- structure ----------------------------------------------------------------------------

def _answers(reply: GbcsMessage, keys) -> list[tuple[int, tuple, object]]:
    opened = {part.part.location: part for part in open_parts(reply, keys)}
    described = []
    for index, component in enumerate(reply.payload.components):
        if component.is_encrypted:
            part = opened[f"component[{index}]"]
            assert not part.error, part.error
            body = part.value.body
        else:
            body = component.zcl_command().body
        shape = (component.cluster_id, component.frame_control, component.command_id,
                 component.is_encrypted, type(body).__name__)
        described.append((component.sequence_number, shape, body))
    return described


def _groups(answers) -> dict[int, list]:
    groups: dict[int, list] = {}
    for sequence, shape, body in answers:
        groups.setdefault(sequence, []).append((shape, body))
    return groups


def _not_found(group) -> bool:
    return len(group) == 1 and isinstance(group[0][1], DefaultResponse) \
        and group[0][1].status == ZclStatus.NOT_FOUND


def _failure_in(group) -> bool:
    """A failed status, or the failure form of a use-case-specific answer."""
    for _, body in group:
        if type(body).__name__ in USE_CASE_FAILURES and USE_CASE_FAILURES[type(body).__name__](
                body):
            return True
        if isinstance(body, DefaultResponse) and body.status not in NOT_FAILED:
            return True
        if isinstance(body, ReadAttributesResponse) and any(
                record.status not in NOT_FAILED for record in body.records):
            return True
    return False


def _compare_bodies(expected, actual, where: str) -> list[str]:
    if isinstance(expected, DefaultResponse) and (
            (expected.command_id, expected.status) != (actual.command_id, actual.status)):
        return [f"{where}: {actual} instead of {expected}"]
    if isinstance(expected, ReadAttributesResponse):
        want = [(r.attribute_id, r.status, r.data_type) for r in expected.records]
        got = [(r.attribute_id, r.status, r.data_type) for r in actual.records]
        if want != got:
            return [f"{where}: attributes {got} instead of {want}"]
    return []


def differences(expected: GbcsMessage, actual: GbcsMessage, keys, *, failure_case: bool
                ) -> tuple[list[str], list[str]]:
    """(structural differences, data differences)."""
    structural, data = [], []
    for name, want, got in (
            ("message code", expected.message_code, actual.message_code),
            ("CRA", expected.header.cra, actual.header.cra),
            ("date-time", expected.header.date_time is None, actual.header.date_time is None),
            ("signed", expected.is_signed, actual.is_signed),
            ("MAC", expected.has_mac, actual.has_mac)):
        if want != got:
            structural.append(f"{name}: {got} instead of {want}")
    want_groups = _groups(_answers(expected, _keys()))
    got_groups = _groups(_answers(actual, keys))
    if list(want_groups) != list(got_groups):
        return [*structural, f"sequence numbers {list(got_groups)} instead of "
                             f"{list(want_groups)}"], data
    failed_at = None
    for sequence, want in want_groups.items():
        got = got_groups[sequence]
        where = f"seq {sequence}"
        if failure_case:
            if {shape[0] for shape, _ in want} != {shape[0] for shape, _ in got}:
                structural.append(f"{where}: clusters differ")
            if failed_at is None and _failure_in(got):
                failed_at = sequence
            continue
        if _not_found(want) != _not_found(got):
            data.append(f"{where}: {'found' if _not_found(want) else 'not found'} here")
            continue
        if [s for s, _ in want] != [s for s, _ in got]:
            if max(len(want), len(got)) > 1 and {s for s, _ in want} == {s for s, _ in got}:
                data.append(f"{where}: {len(got)} answers instead of {len(want)}")
                continue
            structural.append(f"{where}: {[s for s, _ in got]} instead of {[s for s, _ in want]}")
            continue
        for index, ((_, want_body), (_, got_body)) in enumerate(zip(want, got, strict=True)):
            structural += _compare_bodies(want_body, got_body, f"{where}[{index}]")
    if failure_case and failed_at is None:
        structural.append("no component failed")
    return structural, data


def _expected(item) -> GbcsMessage:
    return decode_message(message(f"{item.use_case_folder}/"
                                  f"{item.path.name.replace('_COMMAND_', '_RESPONSE_')}").data)


@cache
def outcome(item) -> tuple[list[str], list[str], list[str]]:
    """(structural differences, data differences, strict differences of an ERROR case)."""
    actual, keys = respond(item)
    expected = _expected(item)
    failure = "_ERROR_" in item.path.name
    structural, data = differences(expected, actual, keys, failure_case=failure)
    strict: list[str] = []
    if failure:
        strict_structural, strict_data = differences(expected, actual, keys,
                                                     failure_case=False)
        strict = strict_structural + strict_data
    return structural, data, strict


@pytest.mark.parametrize("item", GBZ_COMMANDS, ids=lambda item: item.path.stem)
def test_gbz_command_answered_like_rtds(item):
    structural, _, _ = outcome(item)
    assert not structural


def test_gbz_rtds_report():
    """Every GBZ command of the RTDS is covered; prints how closely they match."""
    tally: Counter[str] = Counter()
    for item in GBZ_COMMANDS:
        structural, data, strict = outcome(item)
        error_case = "_ERROR_" in item.path.name
        if structural:
            tally["structurally different"] += 1
        elif error_case:
            tally["ERROR, failure where RTDS has it" if not strict
                  else "ERROR, failure elsewhere"] += 1
        else:
            tally["exact (statuses too)" if not data else "data differences only"] += 1
    print(f"\nGBZ RTDS commands: {len(GBZ_COMMANDS)}: {dict(sorted(tally.items()))}")
    assert len(GBZ_COMMANDS) == 119
    assert tally["structurally different"] == 0
