"""DUIS test scenarios: declarative TOML files, run step by step against the DCC and a rack.

* :mod:`.model` - what a scenario says (steps, devices by type or EUI-64, expectations);
* :mod:`.loader` - scenario files and the built-in CTSD scenarios (``builtin/*.toml``:
  IC01, IC02, SR01, RC01);
* :mod:`.session` - the DCC (PKI, SMI, validator, service) in front of a rack;
* :mod:`.runner` - runs scenarios, checks expectations (:mod:`.checks`, :mod:`.probes`)
  and records :mod:`.results`, with every GBCS exchange decoded (:mod:`.exchanges`).
"""

from firmware_emu.scenarios.loader import builtin_names, find_scenario, load_scenario_file
from firmware_emu.scenarios.model import Scenario, ScenarioError, Step
from firmware_emu.scenarios.results import ScenarioResult, StepResult, StepStatus
from firmware_emu.scenarios.runner import ScenarioRunner
from firmware_emu.scenarios.session import Session, open_session

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "ScenarioRunner",
    "Session",
    "Step",
    "StepResult",
    "StepStatus",
    "builtin_names",
    "find_scenario",
    "load_scenario_file",
    "open_session",
]
