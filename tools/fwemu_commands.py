"""``fwemu demo`` and ``fwemu scenario``: DUIS test scenarios against a rack, with reports.

* ``fwemu demo [--report DIR]`` installs and commissions a premises of emulated devices
  (IC01 then IC02), prints the progress and a summary, and writes the reports;
* ``fwemu scenario run NAME_OR_FILE... [--rack FILE] [--report DIR] [--json]`` runs
  built-in scenarios (by name) or scenario files, in order, on one rack (emulated unless
  the rack file says otherwise); ``--json`` prints the results as JSON on stdout and the
  progress on stderr;
* ``fwemu scenario list`` lists the built-in scenarios.

``tools.fwemu_cli`` hooks these in with :func:`add_commands`. Exit codes: 0 all
scenarios passed, 1 one failed, 2 bad input (unknown scenario, invalid scenario or rack
file, unusable report directory), raised as :class:`tools.cli.UsageError` (one line on
stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tools.cli import EXIT_FAILED, EXIT_OK, UsageError

Handler = Callable[[argparse.Namespace], int]
DEMO_SCENARIOS = ("IC01", "IC02")


def add_commands(subparsers: argparse._SubParsersAction) -> dict[str, Handler]:
    """Add ``demo`` and ``scenario`` to ``fwemu``'s subparsers; returns their handlers."""
    demo = subparsers.add_parser(
        "demo", help="install and commission emulated devices (IC01, IC02) and report")
    demo.add_argument("--report", type=Path, metavar="DIR",
                      help="write junit.xml and report.html here")
    scenario = subparsers.add_parser("scenario", help="run or list DUIS test scenarios")
    actions = scenario.add_subparsers(dest="scenario_command", required=True,
                                      metavar="{run,list}", parser_class=type(scenario))
    run = actions.add_parser("run", help="run scenarios, in order, on one rack")
    run.add_argument("scenarios", nargs="+", metavar="NAME_OR_FILE",
                     help="a built-in scenario name (see 'scenario list') or a .toml file")
    run.add_argument("--rack", type=Path, metavar="FILE",
                     help="rack file: which devices to run against (default: emulated)")
    run.add_argument("--report", type=Path, metavar="DIR",
                     help="write junit.xml and report.html here")
    run.add_argument("--json", action="store_true",
                     help="print the results as JSON (progress goes to stderr)")
    actions.add_parser("list", help="list the built-in scenarios")
    return dict(COMMANDS)


def _scenarios(names: Sequence[str]):
    from firmware_emu.scenarios.loader import find_scenario
    from firmware_emu.scenarios.model import ScenarioError

    try:
        return [find_scenario(name) for name in names]
    except ScenarioError as error:
        raise UsageError(str(error)) from None


def _report_dir(directory: Path | None) -> None:
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--report {directory}: {error.strerror}") from None


def _run(scenarios: list, *, rack_file: Path | None, report: Path | None,
         as_json: bool) -> int:
    from firmware_emu.dcc.rack import load_rack_file
    from firmware_emu.dcc.roles import DccInputError
    from firmware_emu.reports import write_reports
    from firmware_emu.scenarios.session import open_session

    _report_dir(report)
    progress = sys.stderr if as_json else sys.stdout

    def echo(line: str) -> None:
        print(line, file=progress, flush=True)

    async def session_run():
        session = await open_session(scenarios, rack=spec, echo=echo)
        try:
            return await session.run(scenarios)
        finally:
            await session.close()

    try:
        spec = None if rack_file is None else load_rack_file(rack_file)
        results = asyncio.run(session_run())
    except DccInputError as error:
        raise UsageError(str(error)) from None
    passed = sum(result.passed for result in results)
    steps = [step for result in results for step in result.steps]
    echo(f"{len(results)} scenario(s): {passed} passed, {len(results) - passed} failed "
         f"({sum(step.passed for step in steps)} of {len(steps)} steps passed)")
    if report is not None:
        for path in write_reports(results, report):
            echo(f"report: {path}")
    if as_json:
        print(json.dumps({"passed": passed == len(results),
                          "scenarios": [result.to_dict() for result in results]}, indent=2))
    return EXIT_OK if passed == len(results) else EXIT_FAILED


def cmd_demo(args: argparse.Namespace) -> int:
    return _run(_scenarios(DEMO_SCENARIOS), rack_file=None, report=args.report, as_json=False)


def cmd_scenario(args: argparse.Namespace) -> int:
    if args.scenario_command == "list":
        from firmware_emu.scenarios.loader import builtin_names, load_builtin

        for name in builtin_names():
            scenario = load_builtin(name)
            devices = ", ".join(kind.value for kind in scenario.devices) or "any"
            setup = f"; after {', '.join(scenario.setup)}" if scenario.setup else ""
            print(f"{name:<6} {scenario.title} ({len(scenario.steps)} steps as "
                  f"{scenario.user.role.value}; devices {devices}{setup})")
        return EXIT_OK
    return _run(_scenarios(args.scenarios), rack_file=args.rack, report=args.report,
                as_json=args.json)


COMMANDS: dict[str, Handler] = {"demo": cmd_demo, "scenario": cmd_scenario}
