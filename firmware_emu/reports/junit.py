"""JUnit XML for CI: one testsuite per scenario, one testcase per step.

``classname`` is the scenario name and ``name`` the step (number, SRV, label), so CI
dashboards group steps under their scenario. A failed step carries ``<failure>`` whose
message is the first reason; a step not run (after a failure in a prescribed order) is
``<skipped>``; a scenario that could not run at all gets one failing testcase.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from firmware_emu.scenarios.results import ScenarioResult, StepResult, StepStatus


def _time(seconds: float) -> str:
    return f"{seconds:.3f}"


def _step_output(step: StepResult) -> str:
    lines = [f"request {step.request_id or '-'} to {step.target}",
             f"expected {step.expected_response or '-'}, got {step.response_code or '-'}"]
    if step.alerts:
        lines.append("DCC alerts: " + ", ".join(f"{a.code} (+{a.after_s:.1f} s)"
                                                for a in step.alerts))
    lines.extend(f"check {'ok' if c.passed else 'FAILED'}: {c.description}"
                 + (f" (observed {c.observed})" if c.observed else "") for c in step.checks)
    lines.extend(f"{e.direction}: {e.label} {e.summary}".rstrip() for e in step.exchanges)
    return "\n".join(lines)


def _testcase(suite: ET.Element, result: ScenarioResult, step: StepResult) -> None:
    case = ET.SubElement(suite, "testcase", classname=result.name, name=step.title,
                         time=_time(step.duration_s))
    if step.status is StepStatus.FAILED:
        message = step.reasons[0] if step.reasons else "failed"
        failure = ET.SubElement(case, "failure", message=message, type="StepFailed")
        failure.text = "\n".join(step.reasons)
    elif step.status is StepStatus.SKIPPED:
        ET.SubElement(case, "skipped", message=step.reasons[0] if step.reasons else "not run")
    ET.SubElement(case, "system-out").text = _step_output(step)


def junit_tree(results: Sequence[ScenarioResult], *, name: str = "fwemu") -> ET.ElementTree:
    root = ET.Element("testsuites", name=name)
    totals = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
    total_time = 0.0
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=result.name, timestamp=result.started,
                              time=_time(result.duration_s))
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="title",
                      value=result.title)
        for step in result.steps:
            _testcase(suite, result, step)
        counts = {"tests": len(result.steps),
                  "failures": result.count(StepStatus.FAILED),
                  "skipped": result.count(StepStatus.SKIPPED), "errors": 0}
        if result.error is not None:
            case = ET.SubElement(suite, "testcase", classname=result.name,
                                 name="scenario could not run", time="0.000")
            ET.SubElement(case, "failure", message=result.error, type="ScenarioError")
            counts["tests"] += 1
            counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        total_time += result.duration_s
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", _time(total_time))
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(results: Sequence[ScenarioResult], path: Path | str) -> Path:
    path = Path(path)
    junit_tree(results).write(path, encoding="utf-8", xml_declaration=True)
    return path
