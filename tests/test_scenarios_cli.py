"""``fwemu scenario`` and ``fwemu demo``: exit codes, one-line errors, reports, JSON.

Until ``tools.fwemu_cli`` registers these commands, :func:`fwemu` builds the same parser
(``fwemu_cli``'s parser class, whose errors are :class:`UsageError`) and handles errors
as its ``main`` does; once registered, it is ``fwemu_cli.main`` itself. Runs here need
no device behaviour, so the emulated devices get an empty use-case registry.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import firmware_emu.dcc.rack as rack_module
from firmware_emu.registry import Registry
from tests.test_scenarios_runner import HEAD, PRE_NOTIFY_ESME, UNKNOWN_DEVICE_READ
from tools import fwemu_cli


def fwemu(argv: list[str]) -> int:
    return fwemu_cli.main(argv)


@pytest.fixture
def no_device_behaviour(monkeypatch):
    monkeypatch.setattr(rack_module, "default_registry", Registry)


def _one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert lines[0].startswith("fwemu: ")
    return lines[0]


def test_list_names_the_builtin_scenarios(capsys):
    assert fwemu(["scenario", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("IC01", "IC02", "RC01", "SR01"):
        assert any(line.startswith(name) for line in out.splitlines())
    assert "after IC02" in out


def test_unknown_scenario_name(capsys):
    assert fwemu(["scenario", "run", "NOPE"]) == 2
    assert "unknown scenario 'NOPE' (built in: IC01" in _one_line_error(capsys)


@pytest.mark.parametrize(("text", "expected"), [
    ("name = [\n", "invalid TOML"),
    (HEAD.format(name="T", extra="") + '[[step]]\nsrv = "9.99"\n',
     "step 1: unknown Service Reference Variant '9.99'"),
    (HEAD.format(name="T", extra="") + '[[step]]\nsrv = "6.20.1"\ntarget = "ESME"\n'
     '[step.parameters]\nImportMPxN = "12"\n', "step 1: ImportMPxN"),
    (HEAD.format(name="T", extra="") + '[[step]]\nsrv = "4.1.1"\ntarget = "ESME"\n'
     "[step.expect]\nresponse = \"E999\"\n", "unknown DUIS response code 'E999'"),
])
def test_bad_scenario_files_exit_2_with_one_line(tmp_path, capsys, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert fwemu(["scenario", "run", "IC02", str(path)]) == 2
    line = _one_line_error(capsys)
    assert str(path) in line and expected in line


def test_missing_scenario_file(tmp_path, capsys):
    assert fwemu(["scenario", "run", str(tmp_path / "gone.toml")]) == 2
    assert "gone.toml: cannot read" in _one_line_error(capsys)


@pytest.mark.parametrize(("text", "expected"), [
    ("[rack]\nkind = \"emulated\"\ncolour = 1\n", "unknown key 'colour' in [rack]"),
    ("[rack]\nkind = \"radio\"\n", "is not available in this build"),
    ("nothing = 1\n", "needs a [rack] table"),
])
def test_bad_rack_files_exit_2_with_one_line(tmp_path, capsys, text, expected):
    path = tmp_path / "rack.toml"
    path.write_text(text)
    assert fwemu(["scenario", "run", "IC02", "--rack", str(path)]) == 2
    assert expected in _one_line_error(capsys)


def test_usage_errors_exit_2(capsys):
    assert fwemu(["scenario"]) == 2
    _one_line_error(capsys)
    assert fwemu(["scenario", "run"]) == 2
    _one_line_error(capsys)


def test_a_failing_step_exits_1_and_is_a_failure_in_junit_html_and_json(
        tmp_path, capsys, no_device_behaviour):
    path = tmp_path / "failing.toml"
    path.write_text(HEAD.format(name="FAILING", extra="") + PRE_NOTIFY_ESME
                    + UNKNOWN_DEVICE_READ)
    report = tmp_path / "report"
    assert fwemu(["scenario", "run", str(path), "--report", str(report), "--json"]) == 1
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["passed"] is False
    (result,) = document["scenarios"]
    assert [s["status"] for s in result["steps"]] == ["passed", "failed"]
    assert result["steps"][1]["response_code"] == "E19"
    assert "[02] FAIL 4.1.1" in captured.err  # progress goes to stderr with --json
    assert "1 scenario(s): 0 passed, 1 failed" in captured.err
    root = ET.parse(report / "junit.xml").getroot()
    failures = root.findall("./testsuite/testcase/failure")
    assert [f.get("message") for f in failures] == ["expected response I0, got E19"]
    assert root.find("./testsuite").get("name") == "FAILING"
    page = (report / "report.html").read_text()
    assert 'class="step step-failed"' in page and "expected response I0, got E19" in page


def test_a_passing_run_exits_0_with_progress_and_summary(tmp_path, capsys, no_device_behaviour):
    path = tmp_path / "passing.toml"
    path.write_text(HEAD.format(name="PASSING", extra="") + PRE_NOTIFY_ESME)
    assert fwemu(["scenario", "run", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "PASSING: PASSING"
    assert out[1].startswith("  [01] PASS 12.2 pre-notify [ESME ")
    assert out[-1] == "1 scenario(s): 1 passed, 0 failed (1 of 1 steps passed)"


def test_an_unusable_report_directory_exits_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert fwemu(["demo", "--report", str(blocker / "sub")]) == 2
    assert "--report" in _one_line_error(capsys)
