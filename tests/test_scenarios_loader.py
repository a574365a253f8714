"""Scenario files: the documented format, the built-in scenarios, and one-line errors."""

from __future__ import annotations

import textwrap
from datetime import timedelta

import pytest

import firmware_emu.scenarios.loader as loader_module
from firmware_emu.dcc.inventory import DeviceType
from firmware_emu.dcc.roles import TestColumn, UserRole, mandatory_tests
from firmware_emu.dcc.srv_catalogue import get_srv
from firmware_emu.scenarios.loader import (
    builtin_names,
    find_scenario,
    load_builtin,
    load_scenario_file,
    load_scenario_text,
    parse_duration,
)
from firmware_emu.scenarios.model import (
    SUCCESS,
    DeviceRef,
    RefKind,
    ScenarioError,
    StateCheck,
    placeholders,
)

MINIMAL = """
name = "T1"
[user]
role = "IS"
[[step]]
srv = "4.1.1"
target = "ESME"
"""


def _documented_example() -> str:
    doc = loader_module.__doc__
    block = doc[doc.index("    name = "):doc.index("Every problem is reported")]
    return textwrap.dedent(block)


def test_the_documented_example_loads():
    scenario = load_scenario_text(_documented_example())
    assert scenario.name == "IC02" and scenario.stop_on_failure
    assert scenario.user.role is UserRole.IMPORT_SUPPLIER
    assert scenario.users["stranger"].registered is False
    assert scenario.devices == (DeviceType.CHF, DeviceType.ESME)
    (step,) = scenario.steps
    assert step.srv_id == "8.11" and step.for_each == (DeviceType.ESME,)
    assert step.target == DeviceRef(RefKind.TYPE, DeviceType.CHF)
    assert step.execute_in == timedelta(days=1)
    assert step.expect.responses == ("I0",)
    assert [(a.code, a.within) for a in step.expect.alerts] == [("N24", timedelta(seconds=60))]
    assert step.expect.forbidden_alerts == ("N25",)
    (state,) = step.expect.state
    assert state.check is StateCheck.DEVICE_LOG_CONTAINS and state.value == "${each}"


def test_defaults_success_response_and_dcc_target_for_dcc_only_srvs():
    scenario = load_scenario_text(MINIMAL + '[[step]]\nsrv = "12.2"\n[step.parameters]\n'
                                  'DeviceID = "00DB000000000001"\nDeviceType = "ESME"\n')
    read, pre_notification = scenario.steps
    assert read.expect.responses == (SUCCESS,) and read.expect.accepts("I0")
    assert read.expect.accepts("W081401") and not read.expect.accepts("E4")
    assert pre_notification.target.kind is RefKind.DCC
    assert read.label == get_srv("4.1.1").name


def test_device_references():
    assert DeviceRef.parse("gsme#2") == DeviceRef(RefKind.TYPE, DeviceType.GSME, 1)
    assert str(DeviceRef.parse("GSME#2")) == "GSME#2"
    assert DeviceRef.parse("00db123456789aa0").eui == "00-DB-12-34-56-78-9A-A0"
    assert DeviceRef.parse("dcc").kind is RefKind.DCC
    assert placeholders({"a": ["${each.install_code}", "x ${GPF} y"]}) == [
        (DeviceRef(RefKind.EACH), "install_code"), (DeviceRef(RefKind.TYPE, DeviceType.GPF),
                                                    "eui")]
    with pytest.raises(ScenarioError, match="not a device type"):
        DeviceRef.parse("METER")


@pytest.mark.parametrize(("text", "seconds"), [(90, 90), ("90s", 90), ("5m", 300),
                                               ("2h", 7200), ("1d", 86400)])
def test_durations(text, seconds):
    assert parse_duration(text, "within") == timedelta(seconds=seconds)


def test_every_builtin_scenario_loads():
    assert {"IC01", "IC02", "SR01", "RC01"} <= set(builtin_names())
    for name in builtin_names():
        scenario = load_builtin(name)
        assert scenario.name == name and scenario.steps
        for setup in scenario.setup:
            assert setup in builtin_names()


def test_ic01_and_ic02_follow_the_ctsd_order():
    ic01, ic02 = load_builtin("IC01"), load_builtin("ic02")
    assert [s.srv_id for s in ic01.steps] == ["12.2", "8.11", "8.1.1", "6.21", "8.7.2",
                                              "6.20.1"]
    assert [s.srv_id for s in ic02.steps] == ["12.2", "8.11", "8.1.1", "6.20.1"]
    for scenario in (ic01, ic02):
        whitelist = scenario.steps[1]
        assert [a.code for a in whitelist.expect.alerts] == ["N24"]
        assert scenario.stop_on_failure
    assert ic01.user.role is UserRole.GAS_SUPPLIER and ic02.user.role is UserRole.IMPORT_SUPPLIER
    assert ic01.steps[3].target.device_type is DeviceType.GPF
    assert ic01.steps[5].target.device_type is DeviceType.GSME
    assert ic02.steps[3].target.device_type is DeviceType.ESME
    assert ic01.steps[5].expect.state[0].check is StateCheck.IMPORT_MPXN


def test_sr01_covers_exactly_the_import_suppliers_cv1_on_demand_smets2_tests():
    sr01 = load_builtin("SR01")
    assert sr01.user.role is UserRole.IMPORT_SUPPLIER
    cv1 = {step.srv_id for step in sr01.steps
           if step.user is None and (step.command_variant or 1) == 1
           and not get_srv(step.srv_id).dcc_only and not get_srv(step.srv_id).critical}
    wanted = {test.srv_id for test in
              mandatory_tests(UserRole.IMPORT_SUPPLIER, TestColumn.CV1_OD, smets2=True)}
    assert cv1 == wanted
    assert all(step.execute_in is None and step.execution_datetime is None
               for step in sr01.steps)


def test_rc01_expects_e11_e13_e19_and_e4_precedence():
    rc01 = load_builtin("RC01")
    codes = [step.expect.responses for step in rc01.steps]
    assert {code for (code,) in codes} == {"E11", "E13", "E19", "E4"}
    strangers = [s for s in rc01.steps if s.user == "stranger"]
    assert strangers and all(s.expect.responses == ("E4",) for s in strangers)
    assert any(s.url == "transform" and s.srv_id == "6.28" for s in strangers)
    assert rc01.users["stranger"].role is rc01.user.role


BAD_FILES = {
    "invalid TOML": ("name = \n", "invalid TOML"),
    "unknown top key": ("colour = 1\n" + MINIMAL, "unknown key 'colour' in the file"),
    "no steps": ('name = "X"\n[user]\nrole = "IS"\n', "no [[step]] tables"),
    "no user": ('name = "X"\n[[step]]\nsrv = "4.1.1"\ntarget = "ESME"\n', "[user] is required"),
    "unknown role": (MINIMAL.replace('"IS"', '"XX"'), "unknown user role 'XX'"),
    "unknown SRV": (MINIMAL.replace("4.1.1", "9.99"),
                    "step 1: unknown Service Reference Variant '9.99'"),
    "bad target": (MINIMAL.replace('"ESME"', '"METER"'), "target 'METER' is not a device type"),
    "missing target": (MINIMAL.replace('target = "ESME"\n', ""), "target is required"),
    "bad response": (MINIMAL + '[step.expect]\nresponse = "E999"\n',
                     "unknown DUIS response code 'E999'"),
    "bad alert": (MINIMAL + '[step.expect]\nalerts = ["N32"]\n', "unknown DCC alert code 'N32'"),
    "bad parameter": (MINIMAL.replace("4.1.1", "6.20.1")
                      + '[step.parameters]\nImportMPxN = "12"\n', "ImportMPxN"),
    "unknown parameter": (MINIMAL.replace("4.1.1", "8.11").replace('"ESME"', '"CHF"')
                          + '[step.parameters]\nColour = "red"\n', "no data item 'Colour'"),
    "each without for_each": (MINIMAL.replace('"ESME"', '"each"'), "only meaningful"),
    "bad placeholder": (MINIMAL.replace("4.1.1", "8.11").replace('"ESME"', '"CHF"')
                        + '[step.parameters]\nUpdateType = "Add"\nDeviceID = "${ESME.mac}"\n',
                        "unknown attribute 'mac'"),
    "unknown step user": (MINIMAL + 'user = "nobody"\n', "user 'nobody' is not defined"),
    "bad variant": (MINIMAL + "command_variant = 9\n", "command_variant 9 is not 1-8"),
    "bad state check": (MINIMAL + '[step.expect]\nstate = [{ device = "ESME", colour = "x" }]\n',
                        "unknown key 'colour'"),
    "naive execution time": (MINIMAL + "execution_datetime = 2030-01-01T00:00:00\n",
                             "execution_datetime must be"),
    "bad duration": (MINIMAL + 'execute_in = "soon"\n', "execute_in 'soon' is not a duration"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_scenario_files_give_one_line_naming_the_problem(case, tmp_path):
    text, expected = BAD_FILES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_errors_inside_steps_name_the_step_and_its_label(tmp_path):
    path = tmp_path / "labelled.toml"
    path.write_text(MINIMAL + '[[step]]\nlabel = "the second"\nsrv = "9.99"\n')
    with pytest.raises(ScenarioError, match=r"labelled.toml: step 2 \(the second\): "
                                            r"unknown Service Reference Variant '9.99'"):
        load_scenario_file(path)


def test_unreadable_and_unknown_scenarios(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        find_scenario(str(tmp_path / "missing.toml"))
    with pytest.raises(ScenarioError, match=r"unknown scenario 'NOPE' \(built in: IC01"):
        find_scenario("NOPE")
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL)
    assert find_scenario(str(path)).name == "T1"
    assert find_scenario("mine.toml", relative_to=tmp_path).name == "T1"
    assert find_scenario("ic02", relative_to=tmp_path).name == "IC02"
