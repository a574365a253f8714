"""The scenario runner against the real DCC service, on an emulated rack.

These scenarios need no device behaviour (DCC-only SRVs and requests the DCC refuses),
so the rack's devices run with an empty use-case registry; the emulated install and
commission runs are in ``test_scenarios_emulated.py``. Other test modules import
:func:`run_text` and :func:`session_for`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from firmware_emu.dcc.inventory import SmiStatus
from firmware_emu.dcc.roles import UserRole
from firmware_emu.registry import Registry
from firmware_emu.scenarios.loader import load_builtin, load_scenario_text
from firmware_emu.scenarios.model import Scenario, ScenarioError
from firmware_emu.scenarios.results import ScenarioResult, StepStatus
from firmware_emu.scenarios.session import Session, new_hub_inventory, open_session

HEAD = """
name = "{name}"
{extra}
[user]
role = "IS"
"""
PRE_NOTIFY_ESME = """
[[step]]
label = "pre-notify"
srv = "12.2"
for_each = ["ESME"]
[step.parameters]
DeviceID = "${each}"
DeviceType = "${each.type}"
[step.expect]
response = "I0"
state = [{ device = "each", smi_status = "Pending" }]
"""
UNKNOWN_DEVICE_READ = """
[[step]]
label = "read a device the DCC does not know, expecting success"
srv = "4.1.1"
target = "00-DB-12-34-56-78-9F-FF"
[step.expect]
response = "I0"
"""
PRE_NOTIFY_GSME = PRE_NOTIFY_ESME.replace('"ESME"', '"GSME"')


def scenario(body: str, name: str = "T", extra: str = "") -> Scenario:
    return load_scenario_text(HEAD.format(name=name, extra=extra) + body)


async def session_for(scenarios: list[Scenario], loads: dict[str, Scenario] | None = None,
                      lines: list[str] | None = None) -> Session:
    def load(name: str) -> Scenario:
        return (loads or {})[name] if name in (loads or {}) else load_builtin(name)

    return await open_session(scenarios, registry=Registry(), load=load,
                              echo=None if lines is None else lines.append)


def run_scenarios(scenarios: list[Scenario], loads: dict[str, Scenario] | None = None,
                  lines: list[str] | None = None) -> tuple[list[ScenarioResult], Session]:
    async def go():
        session = await session_for(scenarios, loads, lines)
        try:
            return await session.run(scenarios), session
        finally:
            await session.close()

    return asyncio.run(go())


def run_text(body: str, **options) -> ScenarioResult:
    results, _ = run_scenarios([scenario(body, **options)])
    return results[-1]


def test_a_scenario_whose_steps_get_their_expected_outcome_passes():
    lines: list[str] = []
    results, session = run_scenarios([scenario(PRE_NOTIFY_ESME + PRE_NOTIFY_GSME)], lines=lines)
    (result,) = results
    assert result.passed and result.summary == "T: PASSED - 2 passed, 0 failed"
    first = result.steps[0]
    assert first.response_code == "I0" and first.srv_id == "12.2"
    assert first.label.startswith("pre-notify [ESME 00-DB-")
    assert [check.passed for check in first.checks] == [True, True]
    assert any(e.direction == "SR->DCC" and e.label == "service request"
               for e in first.exchanges)
    esme = session.rack.device_euis_by_type()
    assert {r.device_id for r in session.service.inventory
            if r.status is SmiStatus.PENDING} == {esme[k][0] for k in esme
                                                  if k.value in ("ESME", "GSME")}
    assert lines[0] == "T: T" and lines[-1] == result.summary
    assert lines[1].startswith("  [01] PASS 12.2 pre-notify")


def test_a_step_that_does_not_get_its_expected_outcome_fails_the_run():
    result = run_text(PRE_NOTIFY_ESME + UNKNOWN_DEVICE_READ + PRE_NOTIFY_GSME)
    assert not result.passed
    assert [step.status for step in result.steps] == [
        StepStatus.PASSED, StepStatus.FAILED, StepStatus.PASSED]
    failed = result.steps[1]
    assert failed.response_code == "E19"
    assert failed.reasons == ["expected response I0, got E19"]
    assert "not in the inventory" in failed.detail
    assert result.summary == "T: FAILED - 2 passed, 1 failed"


def test_stop_on_failure_skips_the_rest_of_a_prescribed_order():
    result = run_text(UNKNOWN_DEVICE_READ + PRE_NOTIFY_ESME, extra="stop_on_failure = true")
    assert [step.status for step in result.steps] == [StepStatus.FAILED, StepStatus.SKIPPED]
    assert result.steps[1].reasons[0].startswith("not run")
    assert not result.passed


def test_a_missing_dcc_alert_fails_after_its_window_has_passed():
    body = PRE_NOTIFY_ESME.replace('state = [{ device = "each", smi_status = "Pending" }]',
                                   'alerts = [{ code = "N24", within = 30 }]')

    async def go():
        session = await session_for([scenario(body)])
        start = session.rack.now()
        try:
            (result,) = await session.run([scenario(body)])
        finally:
            await session.close()
        return result, session.rack.now() - start

    result, waited = asyncio.run(go())
    assert not result.passed
    assert result.steps[0].reasons == ["expected DCC alert N24 within 30 s, saw none"]
    assert waited == timedelta(seconds=30)  # rack time moved through the whole window


def test_a_wrong_state_expectation_fails_with_what_was_observed():
    body = PRE_NOTIFY_ESME.replace('smi_status = "Pending"', 'smi_status = "Commissioned"')
    step = run_text(body).steps[0]
    assert step.response_code == "I0" and step.status is StepStatus.FAILED
    assert step.reasons[0].endswith("smi status Commissioned, observed Pending")


def test_rc01_gets_e11_e13_e19_and_e4_from_the_dcc():
    """RC01 as built in, with its setup (IC02) replaced by a pre-notification of the
    ESME: that makes the IS the ESME's registered supplier, which is all RC01 needs."""
    rc01 = dataclasses.replace(load_builtin("RC01"), setup=("PRE",))
    results, _ = run_scenarios([rc01], loads={"PRE": scenario(PRE_NOTIFY_ESME, name="PRE")})
    assert [r.name for r in results] == ["PRE", "RC01"]
    steps = results[-1].steps
    assert [s.response_code for s in steps] == ["E11", "E13", "E13", "E19", "E4", "E4", "E4"]
    assert results[-1].passed
    assert all(not any(e.wire_hex for e in s.exchanges) for s in steps)  # nothing sent


def test_setup_runs_first_once_and_its_failure_stops_the_scenario():
    bad_setup = scenario(UNKNOWN_DEVICE_READ, name="BAD")
    first = scenario(PRE_NOTIFY_ESME, name="A", extra='setup = ["BAD"]')
    second = scenario(PRE_NOTIFY_GSME, name="B", extra='setup = ["BAD"]')
    results, _ = run_scenarios([first, second], loads={"BAD": bad_setup})
    assert [r.name for r in results] == ["BAD", "A", "B"]
    assert [r.error for r in results] == [None, "setup scenario BAD failed",
                                          "setup scenario BAD failed"]
    assert not any(r.passed for r in results)


def test_a_rack_without_the_needed_devices_is_reported():
    result = run_text(PRE_NOTIFY_ESME, extra='[premises]\ndevices = ["CHF", "HCALCS"]')
    assert result.error == "the rack has no HCALCS" and not result.steps
    assert not result.passed


def test_a_step_naming_a_device_the_rack_lacks_fails_that_step():
    result = run_text('[[step]]\nsrv = "4.1.1"\ntarget = "ESME#3"\n')
    assert result.steps[0].reasons == ["the rack has 1 ESME device(s); the step names ESME#3"]


def test_the_dcc_starts_with_a_freshly_installed_hub():
    async def go():
        session = await session_for([scenario(PRE_NOTIFY_ESME)])
        await session.close()
        return session

    session = asyncio.run(go())
    statuses = {record.device_type.value: record.status for record in session.service.inventory}
    assert statuses == {"CHF": SmiStatus.COMMISSIONED, "GPF": SmiStatus.INSTALLED_NOT_COMMISSIONED}
    chf = next(r for r in session.service.inventory if r.device_type.value == "CHF")
    assert set(chf.registrations) == {UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER}
    with pytest.raises(ScenarioError, match="exactly one CHF"):
        new_hub_inventory(_NoHubRack(), {})


class _NoHubRack:
    def device_euis_by_type(self):
        return {}


def test_a_scenario_already_run_as_a_setup_is_not_run_again():
    setup = scenario(PRE_NOTIFY_ESME, name="PRE")
    dependent = scenario(PRE_NOTIFY_GSME, name="B", extra='setup = ["PRE"]')
    lines: list[str] = []
    results, _ = run_scenarios([dependent, setup], loads={"PRE": setup}, lines=lines)
    assert [r.name for r in results] == ["PRE", "B"] and all(r.passed for r in results)
    assert lines[-1] == "PRE: already run in this session"
