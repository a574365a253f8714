'''Service requests as a lab engineer writes them, and the TOML file format that holds them.

A :class:`ServiceRequest` is one DUIS request: the SRV, who sends it (user role and User
ID), the business target (a device EUI-64, or the DCC for non-device SRVs), the
originator counter (the three make the DUIS Request ID
``OriginatorID:TargetID:Counter``), the command variant, data items, an optional
execution date-time (future dating) and optional sequencing.

File format (UTF-8 TOML; one file holds one or many requests, in sending order)::

    # Keys under [defaults] apply to every request that does not set them:
    # user_role, user_id, target; first_counter numbers requests that set no counter.
    [defaults]
    user_role = "IS"                       # DUIS short code or name ("Import Supplier")
    user_id = "90-B3-D5-1F-30-01-00-00"    # EUI-64, hyphens optional
    first_counter = 1000

    [[request]]
    label = "IC02 step 1: pre-notify the ESME"
    srv = "12.2"                           # target defaults to the DCC for non-device SRVs
    [request.parameters]
    DeviceID = "00-DB-12-34-56-78-90-A0"
    DeviceType = "ESME"

    [[request]]
    label = "IC02 step 2: whitelist the ESME on the CHF"
    srv = "8.11"
    target = "00-DB-12-34-56-78-90-A2"
    command_variant = 1                    # default: 8 DCC-only, 4 critical, else 1
    [request.parameters]
    UpdateType = "Add"
    DeviceID = "00-DB-12-34-56-78-90-A0"
    InstallCode = "0123456789ABCDEF0123456789ABCDEF"
    JoinTimePeriod = 90

    [[request]]
    label = "read registers tomorrow (future dated, DSP)"
    srv = "4.1.1"
    target = "00DB1234567890A0"
    counter = 2001                         # or request_id = "<originator>:<target>:<n>"
    execution_datetime = 2030-01-02T00:30:00Z
    [request.sequence]                     # optional: first / last / preceding
    first = true                           #   preceding = "<request id>" or
                                           #   preceding_label = "<earlier label>"
    [[request]]
    label = "negative test: one lower-band channel"
    srv = "6.28"
    target = "00-DB-12-34-56-78-90-A2"
    expected_response = "E062802"          # what the harness should get back
    [request.parameters]
    LowerBandSubGHzChannels0To26 = [1]
    LowerBandSubGHzChannels27To34 = []
    LowerBandSubGHzChannels35To61 = []
    UpperBandSubGHzChannels0To26 = []

Other request keys: ``user_role``, ``user_id``, ``service_reference`` (the header's
Service Reference, to provoke E48) and ``url`` (``transform``, ``signed-pre-command`` or
``service-request``, to provoke E13). The loader rejects, with one line naming the file,
the request and the problem: invalid TOML, unknown keys, SRVs, roles or command
variants, malformed EUI-64s or request IDs, and data items that do not fit the SRV. Data
items are checked only for requests expected to succeed: a request whose
``expected_response`` is an error code is a deliberate negative test and is passed to the
DCC as written.
'''

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from types import MappingProxyType

from firmware_emu.dcc.response_codes import ResponseCode, parse_response_code
from firmware_emu.dcc.roles import DccInputError, UserRole, parse_eui64, parse_user_role
from firmware_emu.dcc.srv_catalogue import (
    SRV_CATALOGUE,
    CommandVariant,
    SrvDefinition,
    TargetKind,
    get_srv,
)


class InvalidServiceRequestError(DccInputError):
    """A service request that cannot even be put into a DUIS message."""


class ServiceRequestFileError(DccInputError):
    """A service-request TOML file that cannot be loaded; names file, request and problem."""


DCC_BUSINESS_TARGET_ID = "90-B3-D5-1F-30-00-00-02"
"""BusinessTargetID of non-device SRVs: the DCC (the ACB's EUI-64 in the RTDS samples;
the seeds give no value)."""

MAX_COUNTER = 2**64 - 1


class RequestUrl(Enum):
    """The DUIS web-service endpoint a request is posted to (E13 if wrong)."""

    TRANSFORM = "transform"  # CV4: critical SR, the DCC returns the pre-command
    SIGNED_PRE_COMMAND = "signed-pre-command"  # CV5-7
    SERVICE_REQUEST = "service-request"  # CV1-3 and CV8

    @classmethod
    def for_variant(cls, variant: CommandVariant) -> RequestUrl:
        if variant is CommandVariant.TRANSFORM:
            return cls.TRANSFORM
        return cls.SIGNED_PRE_COMMAND if variant.critical else cls.SERVICE_REQUEST


def parse_request_id(text: object) -> tuple[str, str, int]:
    """(originator, target, counter) of a DUIS Request ID ``orig:target:counter``."""
    parts = text.split(":") if isinstance(text, str) else []
    if len(parts) != 3 or not parts[2].isdigit() or int(parts[2]) > MAX_COUNTER:
        raise InvalidServiceRequestError(
            f"request id {text!r} is not OriginatorID:TargetID:Counter "
            f"(two EUI-64s and a counter 0..{MAX_COUNTER})"
        )
    return (parse_eui64(parts[0], what="request id originator"),
            parse_eui64(parts[1], what="request id target"), int(parts[2]))


def default_command_variant(srv: SrvDefinition) -> CommandVariant:
    if srv.dcc_only:
        return CommandVariant.DCC_ONLY
    return CommandVariant.TRANSFORM if srv.critical else CommandVariant.SEND


@dataclass(frozen=True, slots=True)
class Sequencing:
    """DUIS sequenced-request header items (E40-E47, E53)."""

    first_in_sequence: bool
    preceding_request_id: str | None = None
    last_in_sequence: bool = False

    def __post_init__(self) -> None:
        if self.preceding_request_id is not None:
            originator, target, counter = parse_request_id(self.preceding_request_id)
            object.__setattr__(self, "preceding_request_id", f"{originator}:{target}:{counter}")


def _frozen(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return value


@dataclass(frozen=True, slots=True)
class ServiceRequest:
    srv_id: str
    user_role: UserRole
    user_id: str
    target_id: str
    counter: int
    command_variant: CommandVariant
    parameters: Mapping[str, object] = field(default_factory=dict)
    execution_datetime: datetime | None = None
    sequencing: Sequencing | None = None
    service_reference: str | None = None
    url: RequestUrl | None = None
    expected_response: ResponseCode | None = None
    label: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "srv_id", get_srv(self.srv_id).srv_id)
        if not isinstance(self.user_role, UserRole):
            set_(self, "user_role", parse_user_role(self.user_role))
        set_(self, "user_id", parse_eui64(self.user_id, what="user id"))
        set_(self, "target_id", parse_eui64(self.target_id, what="target"))
        if isinstance(self.counter, bool) or not isinstance(self.counter, int) \
                or not 0 <= self.counter <= MAX_COUNTER:
            raise InvalidServiceRequestError(f"counter {self.counter!r} is not 0..{MAX_COUNTER}")
        if isinstance(self.command_variant, bool):
            raise InvalidServiceRequestError("command_variant must be a number 1-8")
        try:
            set_(self, "command_variant", CommandVariant(self.command_variant))
            if self.url is not None:
                set_(self, "url", RequestUrl(self.url))
        except ValueError as error:
            raise InvalidServiceRequestError(str(error).replace("'", "")) from None
        if not isinstance(self.parameters, Mapping) or not all(
                isinstance(name, str) for name in self.parameters):
            raise InvalidServiceRequestError("parameters must map data item names to values")
        set_(self, "parameters", _frozen(self.parameters))
        when = self.execution_datetime
        if when is not None:
            if not isinstance(when, datetime) or when.utcoffset() is None:
                raise InvalidServiceRequestError(
                    f"execution_datetime {when!r} must be a date-time with a UTC offset")
            set_(self, "execution_datetime", when.astimezone(UTC))
        if self.sequencing is not None and not isinstance(self.sequencing, Sequencing):
            raise InvalidServiceRequestError("sequencing must be a Sequencing")
        if self.expected_response is not None:
            set_(self, "expected_response", parse_response_code(self.expected_response))

    @property
    def request_id(self) -> str:
        return f"{self.user_id}:{self.target_id}:{self.counter}"

    @property
    def srv(self) -> SrvDefinition:
        return SRV_CATALOGUE[self.srv_id]

    @property
    def header_service_reference(self) -> str:
        return self.service_reference or self.srv.service_reference

    @property
    def request_url(self) -> RequestUrl:
        return self.url or RequestUrl.for_variant(self.command_variant)


# =====================================================================================
# Data item checks that need no inventory (E49 in validation; lint in the loader)
# =====================================================================================


def _cross_item_problems(request: ServiceRequest) -> str | None:
    items, srv_id = request.parameters, request.srv_id
    if srv_id == "8.11" and items.get("UpdateType") == "Add" and "InstallCode" not in items:
        return "InstallCode is required to Add a device to the HAN device log"
    if srv_id == "12.2" and "ESMEVariant" in items and items.get("DeviceType") != "ESME":
        return "ESMEVariant is only valid for an ESME"
    if srv_id == "5.1":
        scheduled = SRV_CATALOGUE.get(str(items.get("DSPScheduledServiceReferenceVariant")))
        if scheduled is None or not scheduled.dcc_schedulable:
            return (f"SRV {items.get('DSPScheduledServiceReferenceVariant')!r} cannot be "
                    "DCC scheduled")
        start, end = items.get("ScheduleStartDate"), items.get("ScheduleEndDate")
        if end is None and request.user_role is UserRole.OTHER_USER:
            return "ScheduleEndDate is mandatory for an Other User"
        if end is not None and start is not None and end < start:
            return "ScheduleEndDate is before ScheduleStartDate"
    return None


def parameter_problems(request: ServiceRequest) -> tuple[str, ...]:
    """Why the request's data items do not fit its SRV (empty if they do)."""
    specs = request.srv.parameters
    if specs is None:
        return ()
    declared = {spec.name for spec in specs}
    problems = []
    if not request.srv.extra_parameters_allowed:
        for name in request.parameters:
            if name not in declared:
                expected = ", ".join(sorted(declared)) or "none"
                problems.append(f"SRV {request.srv_id} has no data item {name!r} "
                                f"(its items: {expected})")
    for spec in specs:
        if spec.name not in request.parameters:
            if spec.required:
                problems.append(f"data item {spec.name} is required")
            continue
        problem = spec.problem(request.parameters[spec.name])
        if problem is not None:
            problems.append(problem)
    if not problems:
        cross = _cross_item_problems(request)
        if cross is not None:
            problems.append(cross)
    return tuple(problems)


# =====================================================================================
# TOML loader
# =====================================================================================

_TOP_KEYS = frozenset({"defaults", "request"})
_DEFAULT_KEYS = frozenset({"user_role", "user_id", "target", "first_counter"})
_REQUEST_KEYS = frozenset({
    "label", "srv", "service_reference", "user_role", "user_id", "target", "counter",
    "request_id", "command_variant", "url", "execution_datetime", "parameters", "sequence",
    "expected_response",
})
_SEQUENCE_KEYS = frozenset({"first", "last", "preceding", "preceding_label"})


def _unknown_key(table: Mapping[str, object], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise InvalidServiceRequestError(
            f"unknown key {unknown[0]!r} in {where} (allowed: {', '.join(sorted(allowed))})")


def _target_id(text: object, what: str) -> str:
    return DCC_BUSINESS_TARGET_ID if text == "DCC" else parse_eui64(text, what=what)


def _build_request(entry: Mapping[str, object], defaults: Mapping[str, object],
                   next_counter: int, labels: Mapping[str, str]) -> ServiceRequest:
    if not isinstance(entry, Mapping):
        raise InvalidServiceRequestError("each request must be a [[request]] table")
    _unknown_key(entry, _REQUEST_KEYS, "[[request]]")
    if "srv" not in entry:
        raise InvalidServiceRequestError("srv is required")
    srv = get_srv(entry["srv"])
    merged = {**defaults, **entry}
    for key in ("user_role",) if "request_id" in entry else ("user_role", "user_id"):
        if key not in merged:
            raise InvalidServiceRequestError(f"{key} is required (here or in [defaults])")
    if "request_id" in entry:
        user_id, target_id, counter = parse_request_id(entry["request_id"])
        for key, value in (("user_id", user_id), ("target", target_id), ("counter", counter)):
            if key in entry and (value != entry[key] if key == "counter"
                                 else value != _target_id(entry[key], key)):
                raise InvalidServiceRequestError(f"{key} disagrees with request_id")
    else:
        target = merged.get("target", "DCC" if srv.target_kind is TargetKind.DCC else None)
        if target is None:
            raise InvalidServiceRequestError(f"target is required for SRV {srv.srv_id}")
        user_id, counter = merged["user_id"], entry.get("counter", next_counter)
        target_id = _target_id(target, "target")
    sequence = entry.get("sequence")
    sequencing = None
    if sequence is not None:
        if not isinstance(sequence, Mapping):
            raise InvalidServiceRequestError("sequence must be a table")
        _unknown_key(sequence, _SEQUENCE_KEYS, "[request.sequence]")
        flags = {key: sequence.get(key, False) for key in ("first", "last")}
        if not all(isinstance(flag, bool) for flag in flags.values()):
            raise InvalidServiceRequestError("sequence first and last must be true or false")
        preceding = sequence.get("preceding")
        if "preceding_label" in sequence:
            preceding = labels.get(str(sequence["preceding_label"]))
            if preceding is None:
                raise InvalidServiceRequestError(
                    f"preceding_label {sequence['preceding_label']!r} names no earlier request")
        sequencing = Sequencing(flags["first"], preceding, flags["last"])
    parameters = entry.get("parameters", {})
    if not isinstance(parameters, Mapping):
        raise InvalidServiceRequestError("parameters must be a table")
    return ServiceRequest(
        srv_id=srv.srv_id, user_role=merged["user_role"], user_id=user_id,
        target_id=target_id, counter=counter,
        command_variant=entry.get("command_variant", default_command_variant(srv)),
        parameters=parameters, execution_datetime=entry.get("execution_datetime"),
        sequencing=sequencing, service_reference=entry.get("service_reference"),
        url=entry.get("url"), expected_response=entry.get("expected_response"),
        label=str(entry.get("label", "")),
    )


def load_requests(text: str, *, source: str = "<string>") -> tuple[ServiceRequest, ...]:
    """Every request of a TOML document, in order (see the module docstring)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ServiceRequestFileError(f"{source}: invalid TOML: {error}") from None
    try:
        _unknown_key(document, _TOP_KEYS, "the file")
        defaults = document.get("defaults", {})
        if not isinstance(defaults, Mapping):
            raise InvalidServiceRequestError("[defaults] must be a table")
        _unknown_key(defaults, _DEFAULT_KEYS, "[defaults]")
        next_counter = defaults.get("first_counter", 1)
        if isinstance(next_counter, bool) or not isinstance(next_counter, int):
            raise InvalidServiceRequestError("[defaults] first_counter must be an integer")
        entries = document.get("request", [])
        if not isinstance(entries, list) or not entries:
            raise InvalidServiceRequestError("the file holds no [[request]] tables")
    except DccInputError as error:
        raise ServiceRequestFileError(f"{source}: {error}") from None
    shared = {key: value for key, value in defaults.items() if key != "first_counter"}
    requests: list[ServiceRequest] = []
    labels: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: request {number}"
        if isinstance(entry, Mapping) and entry.get("label"):
            where += f" ({entry['label']})"
        try:
            request = _build_request(entry, shared, next_counter, labels)
            expected = request.expected_response
            if expected is None or not expected.is_error:
                problems = parameter_problems(request)
                if problems:
                    raise InvalidServiceRequestError(problems[0])
        except (DccInputError, TypeError) as error:
            raise ServiceRequestFileError(f"{where}: {error}") from None
        if "counter" not in entry and "request_id" not in entry:
            next_counter += 1
        if request.label:
            labels[request.label] = request.request_id
        requests.append(request)
    return tuple(requests)


def load_request_file(path: str | Path) -> tuple[ServiceRequest, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ServiceRequestFileError(f"{path}: cannot read: {error}") from None
    return load_requests(text, source=str(path))

