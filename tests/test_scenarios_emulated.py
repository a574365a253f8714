"""IC01 and IC02 (and the demo) on a premises of emulated devices, end to end.

Every step goes through the real DCC service (validation, transform, protection) to the
emulated devices over the in-memory HAN and back. These tests need the devices' use-case
handlers (``firmware_emu.handlers``); without them they are skipped.
"""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from firmware_emu.scenarios.loader import load_builtin, load_scenario_text
from firmware_emu.scenarios.results import StepStatus
from firmware_emu.scenarios.session import open_session
from tests.test_scenarios_cli import fwemu

pytest.importorskip("firmware_emu.handlers",
                    reason="the emulated devices' use-case handlers (firmware_emu.handlers) "
                           "are not in this tree")


def _run(names: list[str]):
    scenarios = [load_builtin(name) for name in names]

    async def go():
        session = await open_session(scenarios)
        try:
            return await session.run(scenarios), session
        finally:
            await session.close()

    return asyncio.run(go())


def _failures(results) -> list[str]:
    return [f"{r.name} step {s.index} {s.srv_id}: {'; '.join(s.reasons)}"
            for r in results for s in r.steps if s.status is not StepStatus.PASSED] \
        + [f"{r.name}: {r.error}" for r in results if r.error]


def test_ic01_then_ic02_pass_on_emulated_devices():
    results, session = _run(["IC01", "IC02"])
    assert _failures(results) == []
    ic01, ic02 = results
    assert [s.srv_id for s in ic01.steps] == ["12.2", "8.11", "8.1.1", "8.1.1", "6.21",
                                              "8.7.2", "6.20.1"]
    for result in (ic01, ic02):
        whitelist = result.steps[1]
        assert [a.code for a in whitelist.alerts] == ["N24"]
        assert any(e.wire_hex and e.tree and e.tree[0].startswith("GBCS command CCS01")
                   for e in whitelist.exchanges)
    commission = ic02.steps[2]
    assert commission.command_variant == 5 and " then " in commission.request_id
    assert any("PRECOMMAND" in e.label for e in commission.exchanges)
    devices = session.rack.device_euis_by_type()
    gsme = session.rack.premises.devices[bytes.fromhex(
        devices[next(k for k in devices if k.value == "GSME")][0].replace("-", ""))]
    assert gsme.state.metering.import_mpxn == "1234567890"
    assert {r.status.value for r in session.service.inventory} == {"Commissioned"}


def test_rc01_after_ic02_on_emulated_devices():
    results, _ = _run(["RC01"])
    assert [r.name for r in results] == ["IC02", "RC01"]
    assert _failures(results) == []


def test_fwemu_demo_installs_both_fuels_and_writes_the_reports(tmp_path, capsys):
    assert fwemu(["demo", "--report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "IC01: PASSED" in out and "IC02: PASSED" in out
    assert "2 scenario(s): 2 passed, 0 failed" in out
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.get("failures") == "0" and int(root.get("tests")) == 11
    page = (tmp_path / "report.html").read_text()
    assert "N24" in page and "<svg" in page


def test_sr01_passes_every_step():
    """SR01 covers the IS's whole CV1 On Demand column: the DCC builds every SRV's GBCS
    command and every device answers it (8.12.2 included: the GSME joined by 8.7.2 links
    with the GPF over the HAN, the GPF backs its log up to the DCC with GCS62)."""
    results, _ = _run(["SR01"])
    ic02, sr01 = results
    assert ic02.passed
    failed = {step.srv_id: "; ".join(step.reasons) for step in sr01.steps
              if step.status is not StepStatus.PASSED}
    assert not failed, failed
    assert len(sr01.steps) == 60


def test_a_rack_with_stored_state_carries_the_premises_into_the_next_session(tmp_path):
    rack_file = tmp_path / "rack.toml"
    rack_file.write_text('[rack]\nkind = "emulated"\nstate = "premises.sqlite"\n'
                         "start = 2029-06-01T12:00:00Z\n")
    read = tmp_path / "read.toml"
    read.write_text('name = "READ"\n[user]\nrole = "IS"\n[[step]]\nsrv = "4.1.1"\n'
                    'target = "ESME"\n[step.expect]\nresponse = "I0"\n'
                    '[[step]]\nsrv = "6.2.7"\ntarget = "ESME"\n[step.expect]\n'
                    'response = "I0"\nstate = [{ device = "ESME", smi_status = "Commissioned" }]\n')
    assert fwemu(["scenario", "run", "IC02", "--rack", str(rack_file)]) == 0
    assert (tmp_path / "premises.sqlite.smi.json").is_file()
    assert fwemu(["scenario", "run", str(read), "--rack", str(rack_file)]) == 0


def test_a_future_dated_request_is_held_then_executed_when_rack_time_reaches_it():
    future = load_scenario_text(
        'name = "FD"\nsetup = ["IC02"]\n[user]\nrole = "IS"\n[[step]]\nsrv = "4.1.1"\n'
        'target = "ESME"\nexecute_in = "2h"\n[step.expect]\nresponse = "I0"\n')

    async def go():
        session = await open_session([future])
        start = session.rack.now()
        try:
            results = await session.run([future])
        finally:
            await session.close()
        return results[-1], session.rack.now() - start

    result, elapsed = asyncio.run(go())
    (step,) = result.steps
    assert result.passed, step.reasons
    assert step.acknowledgement == "I99" and step.response_code == "I0"
    assert [e.label for e in step.exchanges].count("service response") == 2  # held, then run
    assert any(e.label == "held request due" for e in step.exchanges)
    assert elapsed >= timedelta(hours=2)
