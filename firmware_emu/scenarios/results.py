"""What a scenario run recorded: per-step outcomes, DUIS codes, DCC alerts and GBCS exchanges.

Results are plain data, independent of the DCC service and the rack that produced them,
so the reports (:mod:`firmware_emu.reports`) and ``--json`` need nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class StepStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class ExchangeRecord:
    """One message of a step: DUIS request/response, GBCS command/response, alert."""

    label: str
    direction: str  # "user->DCC", "DCC->device", "device->DCC", "DCC->user", ...
    summary: str = ""
    wire_hex: str | None = None  # GBCS bytes, when the message is GBCS
    text: str | None = None  # DUIS text (XML or a description), when it is not
    tree: tuple[str, ...] = ()  # the decoded GBCS message, one line per field
    decode_error: str | None = None

    @property
    def endpoints(self) -> tuple[str, str]:
        source, _, destination = self.direction.partition("->")
        return source.strip() or "?", destination.strip() or "?"

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "direction": self.direction, "summary": self.summary,
                "wire_hex": self.wire_hex, "text": self.text, "tree": list(self.tree),
                "decode_error": self.decode_error}


@dataclass(frozen=True, slots=True)
class AlertRecord:
    code: str
    text: str = ""
    source: str = ""
    after_s: float = 0.0  # seconds after the step's request

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "source": self.source,
                "after_s": round(self.after_s, 3)}


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One expectation and whether it held."""

    description: str
    passed: bool
    observed: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"description": self.description, "passed": self.passed,
                "observed": self.observed}


@dataclass(slots=True)
class StepResult:
    index: int  # 1-based position in the scenario after for_each expansion
    label: str
    srv_id: str
    srv_name: str
    target: str  # the resolved target (EUI-64 with its type, or "DCC")
    status: StepStatus = StepStatus.PASSED
    reasons: list[str] = field(default_factory=list)
    request_id: str = ""
    command_variant: int | None = None
    expected_response: str = ""
    response_code: str = ""
    acknowledgement: str = ""
    detail: str = ""  # the DCC's explanation of the response code
    response_data: str = ""
    alerts: list[AlertRecord] = field(default_factory=list)
    checks: list[CheckRecord] = field(default_factory=list)
    exchanges: list[ExchangeRecord] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status is StepStatus.PASSED

    def fail(self, reason: str) -> None:
        self.status = StepStatus.FAILED
        self.reasons.append(reason)

    @property
    def title(self) -> str:
        return f"{self.index:02d} {self.srv_id} {self.label}".rstrip()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "label": self.label, "srv": self.srv_id,
            "srv_name": self.srv_name, "target": self.target, "status": self.status.value,
            "reasons": list(self.reasons), "request_id": self.request_id,
            "command_variant": self.command_variant,
            "expected_response": self.expected_response, "response_code": self.response_code,
            "acknowledgement": self.acknowledgement, "detail": self.detail,
            "response_data": self.response_data,
            "alerts": [a.to_dict() for a in self.alerts],
            "checks": [c.to_dict() for c in self.checks],
            "exchanges": [e.to_dict() for e in self.exchanges],
            "duration_s": round(self.duration_s, 3),
        }


@dataclass(slots=True)
class ScenarioResult:
    name: str
    title: str
    description: str = ""
    reference: str = ""
    rack: str = ""
    user: str = ""
    started: str = ""  # ISO 8601 UTC
    duration_s: float = 0.0
    steps: list[StepResult] = field(default_factory=list)
    error: str | None = None
    """Why the scenario could not run at all (rack lacks a device, setup failed...)."""

    def count(self, status: StepStatus) -> int:
        return sum(step.status is status for step in self.steps)

    @property
    def passed(self) -> bool:
        return self.error is None and all(step.status is not StepStatus.FAILED
                                          for step in self.steps) \
            and self.count(StepStatus.PASSED) > 0

    @property
    def summary(self) -> str:
        counts = (f"{self.count(StepStatus.PASSED)} passed, "
                  f"{self.count(StepStatus.FAILED)} failed")
        skipped = self.count(StepStatus.SKIPPED)
        if skipped:
            counts += f", {skipped} skipped"
        verdict = "PASSED" if self.passed else "FAILED"
        suffix = f" ({self.error})" if self.error else ""
        return f"{self.name}: {verdict} - {counts}{suffix}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "reference": self.reference, "rack": self.rack, "user": self.user,
            "started": self.started, "duration_s": round(self.duration_s, 3),
            "passed": self.passed, "error": self.error,
            "steps": [step.to_dict() for step in self.steps],
        }
