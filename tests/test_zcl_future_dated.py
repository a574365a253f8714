"""Future-dated GBZ commands: scheduled on receipt, run when due with alert 0x00CD."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from firmware_emu.zcl import future_dated
from firmware_emu.zcl.model import ZclModel
from gbcs.gbz import clusters_prepayment as prepayment
from gbcs.gbz.zcl import DefaultResponse
from gbcs.message import decode_message
from gbcs.primitives import datetime_to_utc_seconds
from tests.rtds import all_messages, message
from tests.test_zcl_support import (
    GSME,
    START,
    answers,
    command,
    device,
    gbz_command,
    new_state,
    rtds_keys,
)

DUE = datetime(2030, 1, 16, 9, 0, tzinfo=UTC)  # the RTDS future-dated execution time
GCS05 = 0x006F


@pytest.fixture(scope="module")
def keys():
    return rtds_keys()


@pytest.fixture
def gsme(keys):
    return device(new_state(GSME, keys), keys)


def _executed(alert) -> tuple:
    """What an 8F66/8F67 alert reports, less the frame control: RTDS GCS05 alerts give
    0x01 for calendar commands that were sent with 0x09 (GCS01a's give 0x09)."""
    data = alert.data
    return (alert.alert_code, alert.timestamp, data.message_code, data.originator_counter,
            data.cluster_id, data.command_id)


def _rtds_alert_data(folder: str) -> set:
    return {_executed(decode_message(m.data).payload) for m in all_messages()
            if m.kind == "ALERT" and m.use_case_folder == folder}


def _pending(gsme) -> list[str]:
    return [a.action_id for a in gsme.state.scheduler.actions
            if a.action_id.startswith(future_dated.ACTION_PREFIX)]


def test_future_dated_tariff_runs_when_due_and_alerts_like_rtds(gsme, keys):
    output = gsme.process(message(
        "1.1.1_GCS01a/GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS_COMMAND").data)
    assert {z.body.status for z in answers(output.response, keys)} == {0}
    assert len(_pending(gsme)) == 5
    assert ZclModel(gsme.state, START).value(0x0700, 0x0301) != 54794
    assert gsme.run_due() == []

    restarted = device(gsme.state, keys, now=DUE)  # the schedule survives a restart
    alerts = [decode_message(alert) for alert in restarted.run_due()]
    assert {a.message_code for a in alerts} == {0x00CD}
    assert all(a.is_signed for a in alerts)
    assert {_executed(a.payload) for a in alerts} == _rtds_alert_data("1.1.1_GCS01a")
    assert {a.payload.data.frame_control for a in alerts} == {0x09}
    model = ZclModel(restarted.state, DUE)
    assert model.value(0x0700, 0x0301) == 54794
    assert [model.value(0x0700, 0x0100 + n) for n in range(3)] == [1000000, 2000000, 3000000]
    assert _pending(restarted) == []


def test_from_date_time_defers_a_component_like_its_start_time(gsme, keys):
    gsme.process(message("2.1_GCS05/GCS05_2.1_FUTURE_DATED_SUCCESS_COMMAND").data)
    assert len(_pending(gsme)) == 6
    due = device(gsme.state, keys, now=DUE)
    alerts = [decode_message(alert).payload for alert in due.run_due()]
    assert {_executed(a) for a in alerts} == _rtds_alert_data("2.1_GCS05")
    assert due.state.metering.prepayment.low_credit_threshold_pence == 5000


def test_cancellation_removes_the_pending_command(gsme, keys):
    gsme.process(message("1.6_GCS02/GCS02_1.6_FUTURE_DATED_SUCCESS_COMMAND").data)
    assert len(_pending(gsme)) == 1
    output = gsme.process(message("1.6_GCS02/GCS02_1.6_CANCELLATION_SUCCESS_COMMAND").data)
    assert isinstance(answers(output.response, keys)[0].body,
                      prepayment.ChangePaymentModeResponse)
    assert _pending(gsme) == []
    assert device(gsme.state, keys, now=DUE).run_due() == []


def test_a_component_failing_when_due_is_reported_and_undone(gsme, keys):
    gsme.state.metering.prepayment.activate_emergency_credit()
    limit = gsme.state.metering.prepayment.emergency_credit_limit_pence
    setup = prepayment.EmergencyCreditSetup(1, datetime_to_utc_seconds(DUE), 1_000, 0)
    output = gsme.process(gbz_command(keys, GCS05, [command(setup)], counter=2000))
    assert answers(output.response, keys)[0].body == DefaultResponse(0x03, 0)
    due = device(gsme.state, keys, now=DUE)
    [alert] = [decode_message(alert).payload for alert in due.run_due()]
    assert alert.alert_code == 0x8F67
    assert (alert.data.cluster_id, alert.data.command_id) == (0x0705, 0x03)
    assert due.state.metering.prepayment.emergency_credit_limit_pence == limit
    assert _pending(due) == []


def test_a_time_already_passed_runs_at_once(gsme, keys):
    setup = prepayment.EmergencyCreditSetup(1, datetime_to_utc_seconds(START) - 60, 700_000,
                                            50_000)
    gsme.process(gbz_command(keys, GCS05, [command(setup)], counter=2000))
    assert _pending(gsme) == []
    assert gsme.state.metering.prepayment.emergency_credit_limit_pence == 700


def test_a_newer_future_dated_command_supersedes_the_pending_one(gsme, keys):
    at = datetime_to_utc_seconds(DUE)
    for counter, limit in ((2000, 600_000), (2001, 800_000)):
        setup = prepayment.EmergencyCreditSetup(counter, at, limit, 50_000)
        gsme.process(gbz_command(keys, GCS05, [command(setup)], counter=counter))
    assert len(_pending(gsme)) == 1
    due = device(gsme.state, keys, now=DUE)
    assert len(due.run_due()) == 1
    assert due.state.metering.prepayment.emergency_credit_limit_pence == 800
