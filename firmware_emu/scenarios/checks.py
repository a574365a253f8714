"""Judging a step: its DUIS response code and DCC alerts against its expectations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from firmware_emu.dcc.service_records import DccAlert
from firmware_emu.scenarios.model import AlertExpectation, Step
from firmware_emu.scenarios.results import AlertRecord, CheckRecord, StepResult, StepStatus


def check_response(step: Step, result: StepResult) -> None:
    ok = step.expect.accepts(result.response_code)
    result.checks.append(CheckRecord(f"DUIS response {step.expect.response_text}", ok,
                                     result.response_code or "none"))
    if not ok:
        result.fail(f"expected response {step.expect.response_text}, got "
                    f"{result.response_code or 'none'}")


def check_alerts(step: Step, result: StepResult) -> None:
    """Every expected DCC alert within its window; none of the forbidden ones."""
    alerts = result.alerts
    codes = ", ".join(f"{a.code} at +{a.after_s:.0f} s" for a in alerts) or "none"
    for expected in step.expect.alerts:
        ok = arrived(expected, alerts)
        window = int(expected.within.total_seconds())
        result.checks.append(CheckRecord(f"DCC alert {expected.code} within {window} s",
                                         ok, codes))
        if not ok:
            result.fail(f"expected DCC alert {expected.code} within {window} s, saw {codes}")
    for code in step.expect.forbidden_alerts:
        ok = all(alert.code != code for alert in alerts)
        result.checks.append(CheckRecord(f"no DCC alert {code}", ok, codes))
        if not ok:
            result.fail(f"DCC alert {code} was raised")


def arrived(expected: AlertExpectation, seen: Sequence[AlertRecord]) -> bool:
    return any(alert.code == expected.code
               and alert.after_s <= expected.within.total_seconds() for alert in seen)


def alert_record(alert: DccAlert, after_s: float) -> AlertRecord:
    """The report's record of a DCC alert seen ``after_s`` seconds after the request."""
    source = alert.device_id or "DCC"
    if alert.source_alert is not None:
        source += f" (device alert 0x{alert.source_alert:04X})"
    text = alert.text + (f": {alert.detail}" if alert.detail else "")
    return AlertRecord(str(alert.code), text, source, after_s)


def data_text(data: Mapping[str, object]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in data.items())


def progress_line(step: StepResult) -> str:
    """``  [02] PASS 8.11 White-list ... -> CHF 00-DB-...: I0 alerts N24``."""
    verdict = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}[step.status.value]
    alerts = f" alerts {','.join(a.code for a in step.alerts)}" if step.alerts else ""
    line = (f"  [{step.index:02d}] {verdict} {step.srv_id} {step.label} -> {step.target}: "
            f"{step.response_code or '-'}{alerts}")
    if step.status is StepStatus.FAILED and step.reasons:
        reason = step.reasons[0]
        line += f" ({reason if len(reason) <= 120 else reason[:119] + chr(0x2026)})"
    return line
