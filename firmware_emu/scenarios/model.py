"""What a scenario says: who sends which service requests to which devices, and what must follow.

A :class:`Scenario` is declarative data loaded from TOML (:mod:`.loader`). Devices are
named the way a lab engineer thinks of them — by type (``"GSME"``, ``"GSME#2"`` for the
second one), by EUI-64, or as ``"each"`` inside a step repeated per device — and are
resolved against the rack only when the scenario runs, so one file drives emulated and
real devices alike. Data items may hold ``${REF}`` / ``${REF.attr}`` placeholders with the
same references (attributes: ``eui``, ``type``, ``install_code``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from firmware_emu.dcc.inventory import DeviceType
from firmware_emu.dcc.roles import DccInputError, UserRole


class ScenarioError(DccInputError):
    """A scenario that cannot be loaded or run as written; the message is one line."""


DCC = "DCC"
EACH = "each"
SUCCESS = "success"
"""Expected response meaning "any I- or W- code" (the request was not refused)."""

DEVICE_TYPE_NAMES: tuple[str, ...] = tuple(t.value for t in DeviceType)
_REF = re.compile(r"(?P<type>[A-Za-z0-9]+)(?:#(?P<index>[1-9][0-9]*))?")
_EUI = re.compile(r"[0-9A-Fa-f]{16}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}")
PLACEHOLDER = re.compile(r"\$\{(?P<ref>[^}.]+)(?:\.(?P<attr>[^}]+))?\}")
PLACEHOLDER_ATTRIBUTES = ("eui", "type", "install_code")


class RefKind(StrEnum):
    DCC = "dcc"
    EACH = "each"
    TYPE = "type"
    EUI = "eui"


@dataclass(frozen=True, slots=True)
class DeviceRef:
    """A device as a scenario names it; resolved to an EUI-64 by the runner."""

    kind: RefKind
    device_type: DeviceType | None = None
    index: int = 0  # 0-based: "GSME#2" is index 1
    eui: str | None = None

    @classmethod
    def parse(cls, text: object, *, what: str = "device") -> DeviceRef:
        if not isinstance(text, str) or not text.strip():
            raise ScenarioError(f"{what} must be a device type, an EUI-64, 'each' or 'DCC'")
        text = text.strip()
        if text.upper() == DCC:
            return cls(RefKind.DCC)
        if text == EACH:
            return cls(RefKind.EACH)
        if _EUI.fullmatch(text):
            digits = text.replace("-", "").upper()
            return cls(RefKind.EUI, eui="-".join(digits[i:i + 2] for i in range(0, 16, 2)))
        match = _REF.fullmatch(text)
        type_name = match["type"] if match else None
        wanted = next((t for t in DeviceType if type_name and t.value.upper()
                       == type_name.upper()), None)
        if wanted is None:
            raise ScenarioError(
                f"{what} {text!r} is not a device type ({', '.join(DEVICE_TYPE_NAMES)}), "
                "TYPE#N, an EUI-64, 'each' or 'DCC'")
        return cls(RefKind.TYPE, wanted, int(match["index"] or 1) - 1)

    def __str__(self) -> str:
        if self.kind is RefKind.DCC:
            return DCC
        if self.kind is RefKind.EACH:
            return EACH
        if self.kind is RefKind.EUI:
            return str(self.eui)
        assert self.device_type is not None
        return self.device_type.value + (f"#{self.index + 1}" if self.index else "")


def placeholders(value: object) -> list[tuple[DeviceRef, str]]:
    """Every ``${REF.attr}`` in a data item value (nested lists and tables included)."""
    found: list[tuple[DeviceRef, str]] = []
    if isinstance(value, str):
        for match in PLACEHOLDER.finditer(value):
            attr = match["attr"] or "eui"
            if attr not in PLACEHOLDER_ATTRIBUTES:
                raise ScenarioError(f"placeholder {match[0]!r}: unknown attribute {attr!r} "
                                    f"(known: {', '.join(PLACEHOLDER_ATTRIBUTES)})")
            ref = DeviceRef.parse(match["ref"], what=f"placeholder {match[0]!r}")
            if ref.kind is RefKind.DCC:
                raise ScenarioError(f"placeholder {match[0]!r} must name a device")
            found.append((ref, attr))
        if "${" in PLACEHOLDER.sub("", value):
            raise ScenarioError(f"malformed placeholder in {value!r} (write ${{TYPE}} or "
                                "${TYPE.attr})")
    elif isinstance(value, list | tuple):
        for item in value:
            found.extend(placeholders(item))
    elif isinstance(value, Mapping):
        for item in value.values():
            found.extend(placeholders(item))
    return found


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A DUIS user the scenario sends as: a role and, optionally, a fixed User ID."""

    role: UserRole
    user_id: str | None = None
    registered: bool = True
    """Whether the DCC's registration data names this user for the premises' devices
    (False for a stranger provoking E4)."""


class StateCheck(StrEnum):
    """Device state a step can expect, checked through the rack or the DCC inventory."""

    DEVICE_LOG_CONTAINS = "device_log_contains"  # the device's HAN/CHF log holds an EUI
    DEVICE_LOG_LACKS = "device_log_lacks"
    IMPORT_MPXN = "import_mpxn"  # the MPAN/MPRN the meter holds
    SMI_STATUS = "smi_status"  # the DCC inventory status of the device


@dataclass(frozen=True, slots=True)
class StateExpectation:
    device: DeviceRef
    check: StateCheck
    value: str  # may hold placeholders


@dataclass(frozen=True, slots=True)
class AlertExpectation:
    """A DCC alert that must arrive within ``within`` of the step's request."""

    code: str
    within: timedelta = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Expectation:
    responses: tuple[str, ...] = (SUCCESS,)
    """Acceptable DUIS response codes; :data:`SUCCESS` accepts any non-error code."""
    alerts: tuple[AlertExpectation, ...] = ()
    forbidden_alerts: tuple[str, ...] = ()
    state: tuple[StateExpectation, ...] = ()

    def accepts(self, code: str) -> bool:
        return code in self.responses or (SUCCESS in self.responses
                                           and not code.upper().startswith("E"))

    @property
    def response_text(self) -> str:
        return " or ".join(self.responses)


@dataclass(frozen=True, slots=True)
class Step:
    """One service request (or one per device with ``for_each``) and what must follow."""

    label: str
    srv_id: str
    target: DeviceRef
    expect: Expectation = field(default_factory=Expectation)
    parameters: Mapping[str, object] = field(default_factory=dict)
    command_variant: int | None = None
    for_each: tuple[DeviceType, ...] = ()
    user: str | None = None  # a name from Scenario.users; None: the scenario's user
    execute_in: timedelta | None = None
    execution_datetime: datetime | None = None
    url: str | None = None
    service_reference: str | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    title: str
    steps: tuple[Step, ...]
    user: UserSpec
    description: str = ""
    reference: str = ""
    devices: tuple[DeviceType, ...] = ()
    """Device types the rack must provide."""
    users: Mapping[str, UserSpec] = field(default_factory=dict)
    setup: tuple[str, ...] = ()
    """Scenarios that must have run on the same rack first (run once per session)."""
    stop_on_failure: bool = False
    """Skip the remaining steps after a failed one (for prescribed install orders)."""
    source: str = ""

    def user_for(self, step: Step) -> UserSpec:
        return self.user if step.user is None else self.users[step.user]
