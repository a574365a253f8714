"""The use-case registry: which handler answers which message code on which device.

Handlers are plain functions ``handler(ctx) -> Outcome`` listed in declarative tables
(``USE_CASE_HANDLERS`` rows) by the modules under :mod:`firmware_emu.usecases`. Payload
families with a generic processor (DLMS access-requests on a COSEM object model, GBZ
commands on a ZCL model) register it as the family default, so a message code without
a row of its own is still served from the object model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gbcs.codes import PayloadFamily
from gbcs.message import GbcsMessage

if TYPE_CHECKING:
    from firmware_emu.clock import ScheduledAction
    from firmware_emu.device import EmulatedDevice
    from firmware_emu.state import DeviceState


class CommandFailed(Exception):
    """A handler refuses the command; nothing it changed is kept. With a ``payload`` the
    device still answers (an error response), otherwise the command is discarded."""

    def __init__(self, reason: str, payload: Any = None) -> None:
        super().__init__(reason)
        self.payload = payload


@dataclass(frozen=True, slots=True)
class AlertRequest:
    """An alert a handler wants the device to raise once the command is committed."""

    message_code: int
    payload: Any
    critical: bool
    recipient: bytes | None = None  # None: the device's default alert recipient


@dataclass(frozen=True, slots=True)
class Fault:
    """A failure a test asks the device to suffer while executing a command (the device
    answers with the error response GBCS defines for a failed execution, and changes
    nothing). ``reason`` is free text for logs and reports."""

    reason: str = "injected execution failure"


@dataclass
class CommandContext:
    """What a handler works with. ``encrypt`` protects sensitive response parts; ``fault``
    is set when the device must fail this command (then the handler returns the error
    response of a failed execution and changes no state)."""

    device: EmulatedDevice
    command: GbcsMessage
    now: datetime
    encrypt: Callable[[bytes], bytes]
    alerts: list[AlertRequest] = field(default_factory=list)
    fault: Fault | None = None

    @property
    def state(self) -> DeviceState:
        return self.device.state

    def raise_alert(self, message_code: int, payload: Any, *, critical: bool,
                    recipient: bytes | None = None) -> None:
        self.alerts.append(AlertRequest(message_code, payload, critical, recipient))


@dataclass(frozen=True, slots=True)
class Outcome:
    """The response payload, or ``None`` for a command answered by no response."""

    payload: Any


Handler = Callable[[CommandContext], Outcome]
Executor = Callable[["EmulatedDevice", "ScheduledAction", datetime], list[AlertRequest]]
"""Runs a due future-dated action; returns the alerts to raise (8F66/8F67 ...)."""


@dataclass(frozen=True, slots=True)
class UseCaseHandler:
    """One registry row: a handler for these message codes."""

    codes: tuple[int, ...]
    handler: Handler
    name: str = ""


@dataclass
class Registry:
    by_code: dict[int, Handler] = field(default_factory=dict)
    by_family: dict[PayloadFamily, Handler] = field(default_factory=dict)
    executors: dict[str, Executor] = field(default_factory=dict)

    def add_rows(self, rows: Iterable[UseCaseHandler]) -> None:
        for row in rows:
            for code in row.codes:
                if code in self.by_code:
                    raise ValueError(f"message code 0x{code:04X} has two handlers")
                self.by_code[code] = row.handler

    def add_family(self, family: PayloadFamily, handler: Handler) -> None:
        self.by_family[family] = handler

    def add_executor(self, kind: str, executor: Executor) -> None:
        """Run scheduled actions whose id is ``kind`` or starts with ``kind:``."""
        self.executors[kind] = executor

    def executor_for(self, action_id: str) -> Executor | None:
        return self.executors.get(action_id) or self.executors.get(action_id.split(":", 1)[0])

    def handler_for(self, message: GbcsMessage) -> Handler | None:
        return self.by_code.get(message.message_code) or self.by_family.get(message.family)
