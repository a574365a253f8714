'''Scenario files (TOML) and the built-in CTSD scenarios.

File format (UTF-8 TOML)::

    name = "IC02"                            # what `fwemu scenario run` calls it
    title = "Install and commission: electricity"
    description = "..."
    reference = "CTSD IC02 (seed digest 6.2)"
    stop_on_failure = true                   # skip later steps once one fails
    setup = ["IC02"]                         # scenarios to run first on the same rack

    [user]                                   # who sends the requests
    role = "IS"                              # DUIS short code or name
    user_id = "90-B3-D5-1F-30-01-00-00"      # optional: the lab's user for the role

    [users.stranger]                         # more users; a step names one with user=
    role = "IS"
    user_id = "90-B3-D5-1F-30-01-99-00"
    registered = false                       # not registered for the premises (E4)

    [premises]
    devices = ["CHF", "ESME"]                # device types the rack must provide

    [[step]]
    label = "White-list the ESME on the CHF"
    srv = "8.11"
    target = "CHF"                           # type, TYPE#N, EUI-64, "each" or "DCC"
    for_each = ["ESME"]                      # once per rack device of these types
    command_variant = 1                      # default: the DCC picks (8, 4+5 or 1)
    execute_in = "1d"                        # future dated: seconds or N s/m/h/d
    # execution_datetime = 2030-01-01T00:00:00Z, url = "transform",
    # service_reference = "8.1", user = "stranger"
    [step.parameters]                        # DUIS data items; ${REF} / ${REF.attr}
    UpdateType = "Add"                       # (attr: eui, type, install_code)
    DeviceID = "${each}"
    InstallCode = "${each.install_code}"
    [step.expect]
    response = "I0"                          # a code, a list, or "success" (default)
    alerts = [{ code = "N24", within = 60 }] # or just "N24" (60 s)
    no_alerts = ["N25"]
    state = [{ device = "CHF", device_log_contains = "${each}" }]

Every problem is reported as one line naming the file, the step and what is wrong.
'''

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from firmware_emu.dcc.dcc_alerts import parse_dcc_alert_code
from firmware_emu.dcc.response_codes import parse_response_code
from firmware_emu.dcc.roles import DccInputError, parse_eui64, parse_user_role
from firmware_emu.dcc.service_request import (
    DCC_BUSINESS_TARGET_ID,
    RequestUrl,
    ServiceRequest,
    default_command_variant,
    parameter_problems,
)
from firmware_emu.dcc.srv_catalogue import CommandVariant, TargetKind, get_srv
from firmware_emu.scenarios.model import (
    PLACEHOLDER,
    SUCCESS,
    AlertExpectation,
    DeviceRef,
    Expectation,
    RefKind,
    Scenario,
    ScenarioError,
    StateCheck,
    StateExpectation,
    Step,
    UserSpec,
    placeholders,
)

BUILTIN_PACKAGE = "firmware_emu.scenarios.builtin"

_TOP = {"name", "title", "description", "reference", "stop_on_failure", "setup", "user",
        "users", "premises", "step"}
_USER = {"role", "user_id", "registered"}
_PREMISES = {"devices"}
_STEP = {"label", "srv", "target", "for_each", "command_variant", "user", "parameters",
         "execute_in", "execution_datetime", "url", "service_reference", "expect"}
_EXPECT = {"response", "alerts", "no_alerts", "state"}
_ALERT = {"code", "within"}
_DURATION = re.compile(r"(?P<n>[0-9]+)\s*(?P<unit>[smhd]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_PROBE_EUI = "00-00-00-00-00-00-00-01"
_PROBE_INSTALL_CODE = "00" * 16


def _check_keys(table: object, allowed: set[str], where: str) -> Mapping[str, object]:
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{where} must be a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ScenarioError(f"unknown key {unknown[0]!r} in {where} "
                            f"(allowed: {', '.join(sorted(allowed))})")
    return table


def _text(table: Mapping[str, object], key: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise ScenarioError(f"{key} must be a non-empty string")
    return value


def _string_list(value: object, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScenarioError(f"{what} must be a string or a list of strings")
    return value


def parse_duration(value: object, what: str) -> timedelta:
    """Seconds (an integer) or text like ``"90s"``, ``"5m"``, ``"2h"``, ``"1d"``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return timedelta(seconds=value)
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ScenarioError(f"{what} {value!r} is not a duration (seconds, or N s/m/h/d)")
    return timedelta(seconds=int(match["n"]) * _UNITS[match["unit"]])


def _user(table: object, where: str) -> UserSpec:
    table = _check_keys(table, _USER, where)
    if "role" not in table:
        raise ScenarioError(f"{where} needs a role")
    user_id = table.get("user_id")
    registered = table.get("registered", True)
    if not isinstance(registered, bool):
        raise ScenarioError(f"{where} registered must be true or false")
    return UserSpec(parse_user_role(str(table["role"])),
                    None if user_id is None else parse_eui64(user_id, what="user_id"),
                    registered)


def _responses(value: object) -> tuple[str, ...]:
    codes = []
    for text in _string_list(value, "expect.response"):
        codes.append(SUCCESS if text.strip().lower() == SUCCESS
                     else parse_response_code(text).value)
    if not codes:
        raise ScenarioError("expect.response must name at least one code")
    return tuple(codes)


def _alerts(value: object) -> tuple[AlertExpectation, ...]:
    if not isinstance(value, list):
        raise ScenarioError("expect.alerts must be a list")
    alerts = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"code": entry}
        entry = _check_keys(entry, _ALERT, "an expect.alerts entry")
        if "code" not in entry:
            raise ScenarioError("an expect.alerts entry needs a code")
        within = parse_duration(entry.get("within", 60), "within")
        alerts.append(AlertExpectation(parse_dcc_alert_code(str(entry["code"])).value, within))
    return tuple(alerts)


def _state(value: object) -> tuple[StateExpectation, ...]:
    if not isinstance(value, list):
        raise ScenarioError("expect.state must be a list of tables")
    checks = {check.value for check in StateCheck}
    expectations = []
    for entry in value:
        entry = _check_keys(entry, checks | {"device"}, "an expect.state entry")
        named = [key for key in entry if key != "device"]
        if "device" not in entry or len(named) != 1:
            raise ScenarioError("an expect.state entry needs device and exactly one of "
                                + ", ".join(sorted(checks)))
        device = DeviceRef.parse(entry["device"], what="expect.state device")
        if device.kind is RefKind.DCC:
            raise ScenarioError("expect.state device must be a device, not the DCC")
        expected = entry[named[0]]
        if not isinstance(expected, str):
            raise ScenarioError(f"expect.state {named[0]} must be a string")
        placeholders(expected)
        expectations.append(StateExpectation(device, StateCheck(named[0]), expected))
    return tuple(expectations)


def _expectation(table: object) -> Expectation:
    table = _check_keys(table, _EXPECT, "[step.expect]")
    return Expectation(
        responses=_responses(table.get("response", SUCCESS)),
        alerts=_alerts(table.get("alerts", [])),
        forbidden_alerts=tuple(parse_dcc_alert_code(code).value for code in
                               _string_list(table.get("no_alerts", []), "expect.no_alerts")),
        state=_state(table.get("state", [])),
    )


def _probe_value(value: object, for_each: tuple) -> object:
    """``value`` with placeholders replaced by well-formed samples, to lint data items."""
    if isinstance(value, str):
        def sample(match: re.Match[str]) -> str:
            attr = match["attr"] or "eui"
            if attr == "install_code":
                return _PROBE_INSTALL_CODE
            if attr == "type":
                ref = DeviceRef.parse(match["ref"])
                kind = for_each[0] if ref.kind is RefKind.EACH else ref.device_type
                return kind.value if kind is not None else "ESME"
            return _PROBE_EUI
        return PLACEHOLDER.sub(sample, value)
    if isinstance(value, list):
        return [_probe_value(item, for_each) for item in value]
    if isinstance(value, Mapping):
        return {key: _probe_value(item, for_each) for key, item in value.items()}
    return value


def _step(entry: object, users: Mapping[str, UserSpec], user: UserSpec) -> Step:
    entry = _check_keys(entry, _STEP, "[[step]]")
    if "srv" not in entry:
        raise ScenarioError("srv is required")
    srv = get_srv(entry["srv"])
    for_each = tuple(DeviceRef.parse(name, what="for_each").device_type for name in
                     _string_list(entry.get("for_each", []), "for_each"))
    if any(kind is None for kind in for_each):
        raise ScenarioError("for_each must list device types")
    default_target = ("DCC" if srv.target_kind is TargetKind.DCC
                      else "each" if for_each else None)
    if "target" not in entry and default_target is None:
        raise ScenarioError(f"target is required for SRV {srv.srv_id}")
    target = DeviceRef.parse(entry.get("target", default_target), what="target")
    if target.kind is RefKind.DCC and srv.target_kind is not TargetKind.DCC:
        raise ScenarioError(f"SRV {srv.srv_id} targets a device, not the DCC")
    parameters = entry.get("parameters", {})
    if not isinstance(parameters, Mapping):
        raise ScenarioError("parameters must be a table")
    refs = [target] + [ref for ref, _ in placeholders(dict(parameters))]
    if not for_each and any(ref.kind is RefKind.EACH for ref in refs):
        raise ScenarioError("'each' is only meaningful in a step with for_each")
    step_user = entry.get("user")
    if step_user is not None and step_user not in users:
        raise ScenarioError(f"user {step_user!r} is not defined under [users] "
                            f"(defined: {', '.join(sorted(users)) or 'none'})")
    variant = entry.get("command_variant")
    if variant is not None and (isinstance(variant, bool) or not isinstance(variant, int)
                                or variant not in {int(v) for v in CommandVariant}):
        raise ScenarioError(f"command_variant {variant!r} is not 1-8")
    url = entry.get("url")
    if url is not None and url not in {u.value for u in RequestUrl}:
        raise ScenarioError(f"url {url!r} is not one of "
                            f"{', '.join(u.value for u in RequestUrl)}")
    execution = entry.get("execution_datetime")
    if execution is not None and (not isinstance(execution, datetime)
                                  or execution.utcoffset() is None):
        raise ScenarioError("execution_datetime must be a TOML date-time with an offset "
                            "(e.g. 2030-01-01T00:30:00Z)")
    execute_in = entry.get("execute_in")
    step = Step(
        label=str(entry.get("label", srv.name)), srv_id=srv.srv_id, target=target,
        expect=_expectation(entry.get("expect", {})), parameters=dict(parameters),
        command_variant=variant, for_each=tuple(for_each), user=step_user,
        execute_in=None if execute_in is None else parse_duration(execute_in, "execute_in"),
        execution_datetime=None if execution is None else execution.astimezone(UTC),
        url=url, service_reference=entry.get("service_reference"),
    )
    if not any(code.startswith("E") for code in step.expect.responses):
        _lint_parameters(step, users.get(step_user) if step_user else user)
    return step


def _lint_parameters(step: Step, user: UserSpec) -> None:
    srv = get_srv(step.srv_id)
    probe = ServiceRequest(
        srv_id=step.srv_id, user_role=user.role, user_id=user.user_id or _PROBE_EUI,
        target_id=DCC_BUSINESS_TARGET_ID if step.target.kind is RefKind.DCC else _PROBE_EUI,
        counter=1, command_variant=step.command_variant or default_command_variant(srv),
        parameters=_probe_value(dict(step.parameters), step.for_each),
    )
    problems = parameter_problems(probe)
    if problems:
        raise ScenarioError(problems[0])


def load_scenario_text(text: str, *, source: str = "<string>") -> Scenario:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{source}: invalid TOML: {error}") from None
    try:
        _check_keys(document, _TOP, "the file")
        name = _text(document, "name")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
            raise ScenarioError(f"name {name!r} must be letters, digits, '.', '_' or '-'")
        if "user" not in document:
            raise ScenarioError("[user] is required (role, and optionally user_id)")
        user = _user(document["user"], "[user]")
        users_table = _check_keys(document.get("users", {}), set(document.get("users", {})),
                                  "[users]")
        users = {key: _user(value, f"[users.{key}]") for key, value in users_table.items()}
        premises = _check_keys(document.get("premises", {}), _PREMISES, "[premises]")
        devices = tuple(DeviceRef.parse(kind, what="[premises] devices").device_type
                        for kind in _string_list(premises.get("devices", []),
                                                 "[premises] devices"))
        if any(kind is None for kind in devices):
            raise ScenarioError("[premises] devices must list device types")
        stop = document.get("stop_on_failure", False)
        if not isinstance(stop, bool):
            raise ScenarioError("stop_on_failure must be true or false")
        entries = document.get("step")
        if not isinstance(entries, list) or not entries:
            raise ScenarioError("the file holds no [[step]] tables")
        header = dict(name=name, title=_text(document, "title", name),
                      description=_text(document, "description", ""),
                      reference=_text(document, "reference", ""),
                      setup=tuple(_string_list(document.get("setup", []), "setup")))
    except DccInputError as error:
        raise ScenarioError(f"{source}: {error}") from None
    steps = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: step {number}"
        if isinstance(entry, Mapping) and isinstance(entry.get("label"), str):
            where += f" ({entry['label']})"
        try:
            steps.append(_step(entry, users, user))
        except (DccInputError, TypeError) as error:
            raise ScenarioError(f"{where}: {error}") from None
    return Scenario(steps=tuple(steps), user=user, users=users, devices=devices,
                    stop_on_failure=stop, source=source, **header)


def load_scenario_file(path: str | Path) -> Scenario:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ScenarioError(f"{path}: cannot read: {reason}") from None
    return load_scenario_text(text, source=str(path))


def builtin_names() -> list[str]:
    """The built-in scenarios, by name (the file stems of ``builtin/*.toml``)."""
    folder = resources.files(BUILTIN_PACKAGE)
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml"))


def load_builtin(name: str) -> Scenario:
    for known in builtin_names():
        if known.upper() == name.upper():
            resource = resources.files(BUILTIN_PACKAGE) / f"{known}.toml"
            return load_scenario_text(resource.read_text(encoding="utf-8"),
                                      source=f"builtin:{known}")
    raise ScenarioError(f"unknown scenario {name!r} (built in: {', '.join(builtin_names())}; "
                        "or give a .toml file)")


def find_scenario(name_or_file: str, *, relative_to: Path | None = None) -> Scenario:
    """A scenario file (a path, or a name ending in .toml) or a built-in scenario by name."""
    candidates = [Path(name_or_file)]
    if relative_to is not None and not candidates[0].is_absolute():
        candidates.insert(0, relative_to / name_or_file)
    for path in candidates:
        if path.is_file():
            return load_scenario_file(path)
    if name_or_file.lower().endswith(".toml"):
        return load_scenario_file(candidates[0])
    return load_builtin(name_or_file)
