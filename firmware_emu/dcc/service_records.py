"""What the DCC service reports and remembers: outcomes, exchanges, alerts, its state.

A :class:`ServiceOutcome` is the DCC's answer to one service request: the DUIS response
code and acknowledgement, the decoded device response, every message exchanged on the
way (:class:`Exchange`), the device alerts received and the DCC alerts raised.
:class:`DccState` is what the DCC keeps between requests and runs: the originator
counters, the HAN joins it has seen succeed, the pre-commands awaiting signature and the
device logs devices backed up in their alerts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from firmware_emu.dcc.dcc_alerts import DCC_ALERTS, DccAlertCode
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import DccInputError
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.transform import OriginatorCounters
from firmware_emu.dcc.transform_rows import DeviceLogBackups
from gbcs.errors import GbcsError
from gbcs.framing.general_signing import Cra
from gbcs.message import GbcsMessage


class DccStateError(DccInputError):
    """A DCC state file that cannot be read."""


class Direction(StrEnum):
    SR_TO_DCC = "SR->DCC"
    DCC_TO_DEVICE = "DCC->device"
    DEVICE_TO_DCC = "device->DCC"
    DCC_TO_USER = "DCC->user"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One message on the way: a DUIS request or answer (text) or GBCS bytes."""

    step: str
    direction: Direction
    data: bytes | str
    summary: str = ""

    @property
    def wire(self) -> bytes | None:
        return self.data if isinstance(self.data, bytes) else None


@dataclass(frozen=True, slots=True)
class DccAlert:
    """A DCC alert (DUIS DCCAlertMessage) and what raised it."""

    code: DccAlertCode
    device_id: str | None = None
    response_code: ResponseCode | None = None
    source_alert: int | None = None  # the device alert code that raised it, if one did
    detail: str = ""

    @property
    def text(self) -> str:
        return DCC_ALERTS[self.code.value].name


@dataclass(frozen=True, slots=True)
class DeviceAlertRecord:
    """A device alert received by the DCC (forwarded to users when authentic)."""

    device_id: str
    alert_code: int | None
    message_code: int | None
    wire: bytes
    authentic: bool
    detail: str = ""


@dataclass(slots=True)
class ServiceOutcome:
    request_id: str
    srv_id: str
    command_variant: int
    response_code: ResponseCode
    acknowledgement: ResponseCode
    detail: str = ""
    response_data: dict[str, object] = field(default_factory=dict)
    device_success: bool | None = None
    precommand: bytes | None = None
    local_command: bytes | None = None
    held_until: datetime | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    dcc_alerts: list[DccAlert] = field(default_factory=list)
    device_alerts: list[DeviceAlertRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Not refused, and the device (if one answered) reported success."""
        return not self.response_code.is_error and self.device_success is not False

    def alert_codes(self) -> list[DccAlertCode]:
        return [alert.code for alert in self.dcc_alerts]


@dataclass(slots=True)
class TickOutcome:
    """What happened while time passed: held (DSP future-dated) requests executed and
    alerts the devices raised on their own."""

    executed: list[ServiceOutcome] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    dcc_alerts: list[DccAlert] = field(default_factory=list)
    device_alerts: list[DeviceAlertRecord] = field(default_factory=list)


def summarize(message: GbcsMessage) -> str:
    """``ECS70 Set Clock on ESME, command 90B3D51F30010000 -> 00DB..., counter 1000, MAC``."""
    header = message.header
    kind = {Cra.COMMAND: "command", Cra.RESPONSE: "response", Cra.ALERT: "alert"}.get(
        Cra(header.cra), "message")
    if message.is_precommand:
        kind = "PRECOMMAND"
    protection = [name for name, present in (("signed", message.is_signed),
                                             ("MAC", message.has_mac)) if present]
    other = header.other_information
    on_behalf = ("" if other.supplementary_remote_party is None
                 else f" for {other.supplementary_remote_party.hex().upper()}")
    return (f"{message.use_case_name}, {kind} {header.originator.hex().upper()} -> "
            f"{header.recipient.hex().upper()}{on_behalf}, counter "
            f"{header.originator_counter}{', ' if protection else ''}{' + '.join(protection)}")


def request_text(request: ServiceRequest) -> str:
    """A one-line rendering of a service request (the DUIS XML stands behind it)."""
    items = ", ".join(f"{name}={value}" for name, value in request.parameters.items())
    when = f" at {request.execution_datetime.isoformat()}" if request.execution_datetime else ""
    return (f"{request.request_id} SRV {request.srv_id} {request.srv.name} CV"
            f"{int(request.command_variant)} from {request.user_role}{when}"
            + (f" ({items})" if items else ""))


@dataclass(slots=True)
class DccState:
    """What the DCC keeps between requests (and, saved, between runs)."""

    counters: OriginatorCounters = field(default_factory=OriginatorCounters)
    joins: dict[str, set[str]] = field(default_factory=dict)
    precommands: dict[str, bytes] = field(default_factory=dict)
    backups: DeviceLogBackups = field(default_factory=DeviceLogBackups)

    def joined(self, device_id: str, other_id: str) -> None:
        self.joins.setdefault(device_id, set()).add(other_id)
        self.joins.setdefault(other_id, set()).add(device_id)

    def unjoined(self, device_id: str, other_id: str) -> None:
        self.joins.get(device_id, set()).discard(other_id)
        self.joins.get(other_id, set()).discard(device_id)

    def partners(self, device_id: str) -> frozenset[str]:
        return frozenset(self.joins.get(device_id, ()))

    def to_json(self) -> str:
        return json.dumps({
            "format": "dcc-state", "version": 1, "counters": self.counters.to_dict(),
            "joins": {device: sorted(others) for device, others in sorted(self.joins.items())
                      if others},
            "precommands": {key: value.hex() for key, value in self.precommands.items()},
            "device_log_backups": self.backups.to_dict(),
        }, indent=2)

    @classmethod
    def from_json(cls, text: str) -> DccState:
        try:
            document = json.loads(text)
            if document.get("format") != "dcc-state" or document.get("version") != 1:
                raise ValueError("not a version 1 dcc-state document")
            return cls(OriginatorCounters.from_dict(document["counters"]),
                       {device: set(others) for device, others in document["joins"].items()},
                       {key: bytes.fromhex(value)
                        for key, value in document["precommands"].items()},
                       DeviceLogBackups.from_dict(document["device_log_backups"]))
        except (ValueError, KeyError, TypeError, AttributeError, GbcsError) as error:
            raise DccStateError(f"DCC state is not readable: {error}") from None

    def save(self, path: Path | str) -> None:
        target = Path(path)
        temporary = target.with_suffix(target.suffix + ".tmp")
        temporary.write_text(self.to_json(), encoding="utf-8")
        temporary.replace(target)

    @classmethod
    def load(cls, path: Path | str) -> DccState:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise DccStateError(f"cannot read DCC state {path}: {error}") from None
        return cls.from_json(text)
