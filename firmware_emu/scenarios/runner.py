"""Running scenarios step by step against a DCC service and a rack of devices.

For each step (one per device with ``for_each``) the runner plays the DUIS user: it
resolves the devices the step names against the rack, builds the
:class:`~firmware_emu.dcc.service_request.ServiceRequest`, submits it to the DCC service
(for a critical SRV: CV4, the user's signature, then CV5), lets rack time pass while DCC
alerts are still expected, and checks every expectation: the DUIS response code, the DCC
alerts within their windows (and none of the forbidden ones), and device state, read
from the DCC inventory (SMI status) or from the device through the rack. Each check that
does not hold fails the step; any failed step fails the scenario.

Scenarios named in ``setup`` run first on the same rack, once per runner.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from firmware_emu.clock import SteppedClock
from firmware_emu.dcc.inventory import DeviceType
from firmware_emu.dcc.pki import DEFAULT_USER_IDS
from firmware_emu.dcc.rack import Rack
from firmware_emu.dcc.roles import DccInputError
from firmware_emu.dcc.service import DccService
from firmware_emu.dcc.service_records import ServiceOutcome, TickOutcome
from firmware_emu.dcc.service_request import (
    DCC_BUSINESS_TARGET_ID,
    ServiceRequest,
    default_command_variant,
)
from firmware_emu.dcc.srv_catalogue import CommandVariant, get_srv
from firmware_emu.scenarios.checks import (
    alert_record,
    arrived,
    check_alerts,
    check_response,
    data_text,
    progress_line,
)
from firmware_emu.scenarios.exchanges import exchange_record
from firmware_emu.scenarios.loader import find_scenario
from firmware_emu.scenarios.model import (
    PLACEHOLDER,
    DeviceRef,
    RefKind,
    Scenario,
    ScenarioError,
    StateExpectation,
    Step,
    UserSpec,
)
from firmware_emu.scenarios.probes import observe_state
from firmware_emu.scenarios.results import (
    CheckRecord,
    ExchangeRecord,
    ScenarioResult,
    StepResult,
    StepStatus,
)
from gbcs.crypto import KeyStore

Echo = Callable[[str], None]
ALERT_POLL = timedelta(seconds=5)
"""How far rack time moves per poll while an expected DCC alert has not arrived."""


@dataclass(frozen=True, slots=True)
class Target:
    """A device the step addresses or names, resolved against the rack."""

    eui: str
    device_type: DeviceType | None

    def __str__(self) -> str:
        return f"{self.device_type.value if self.device_type else 'device'} {self.eui}"


class ScenarioRunner:
    """Runs scenarios against one DCC service and its rack; keeps every result in order."""

    def __init__(self, service: DccService, *, keys: KeyStore | None = None,
                 echo: Echo | None = None,
                 load: Callable[[str], Scenario] = find_scenario) -> None:
        self.service = service
        self.rack: Rack = service.rack
        self.keys = service.pki.keys if keys is None else keys
        self.echo = echo or (lambda line: None)
        self.load = load
        self.results: list[ScenarioResult] = []
        self._done: dict[str, bool] = {}  # scenario name -> passed
        self._running: list[str] = []
        self._counter = int(time.time()) * 1000
        self._sent_at = self.rack.now()

    # -- scenarios ------------------------------------------------------------------------
    async def run_all(self, scenarios: Sequence[Scenario]) -> list[ScenarioResult]:
        """Run each scenario once; one that already ran here (as a setup) is not rerun."""
        for scenario in scenarios:
            if scenario.name in self._done:
                self.echo(f"{scenario.name}: already run in this session")
                continue
            await self.run(scenario)
        return self.results

    async def run(self, scenario: Scenario) -> ScenarioResult:
        self._running.append(scenario.name)
        try:
            error = await self._setup(scenario)
            result = ScenarioResult(scenario.name, scenario.title, scenario.description,
                                    scenario.reference, rack=self.rack.kind,
                                    user=f"{scenario.user.role.value} "
                                         f"{self._user_id(scenario.user)}",
                                    started=datetime.now(UTC).isoformat(timespec="seconds"))
            self.echo(f"{scenario.name}: {scenario.title}")
            started = time.monotonic()
            if error is None:
                error = self._missing_devices(scenario)
            if error is None:
                await self._steps(scenario, result)
            else:
                result.error = error
            result.duration_s = time.monotonic() - started
        finally:
            self._running.pop()
        self._done[scenario.name] = result.passed
        self.results.append(result)
        self.echo(result.summary)
        return result

    async def _setup(self, scenario: Scenario) -> str | None:
        for name in scenario.setup:
            if name in self._running:
                raise ScenarioError(f"{scenario.name}: setup {name} runs itself in a loop")
            if name not in self._done:
                setup = self.load(name)
                await self.run(setup)
            if not self._done.get(name, False):
                return f"setup scenario {name} failed"
        return None

    def _missing_devices(self, scenario: Scenario) -> str | None:
        have = self.rack.device_euis_by_type()
        missing = [kind.value for kind in scenario.devices if not have.get(kind)]
        if missing:
            return f"the rack has no {', '.join(missing)}"
        return None

    async def _steps(self, scenario: Scenario, result: ScenarioResult) -> None:
        stop = False
        for step in scenario.steps:
            for each in self._each(step):
                index = len(result.steps) + 1
                if stop:
                    skipped = self._blank(step, index, each)
                    skipped.status = StepStatus.SKIPPED
                    skipped.reasons.append("not run: an earlier step failed and the order "
                                           "is prescribed")
                    result.steps.append(skipped)
                    continue
                outcome = await self._run_step(scenario, step, index, each)
                result.steps.append(outcome)
                self.echo(progress_line(outcome))
                stop = scenario.stop_on_failure and outcome.status is StepStatus.FAILED

    def _each(self, step: Step) -> list[Target | None]:
        if not step.for_each:
            return [None]
        have = self.rack.device_euis_by_type()
        return [Target(eui, kind) for kind in step.for_each for eui in have.get(kind, ())]

    # -- one step -------------------------------------------------------------------------
    def _blank(self, step: Step, index: int, each: Target | None) -> StepResult:
        label = step.label + (f" [{each}]" if each else "")
        try:
            target = str(self._resolve(step.target, each))
        except ScenarioError:
            target = str(step.target)
        srv = get_srv(step.srv_id)
        return StepResult(index, label, srv.srv_id, srv.name, target,
                          expected_response=step.expect.response_text)

    async def _run_step(self, scenario: Scenario, step: Step, index: int,
                        each: Target | None) -> StepResult:
        result = self._blank(step, index, each)
        started = time.monotonic()
        try:
            request = self._request(scenario, step, each)
            result.request_id, result.command_variant = (request.request_id,
                                                         int(request.command_variant))
            self._sent_at = self.rack.now()
            await self._submit(request, step, result)
            await self._await_alerts(step, result)
            check_response(step, result)
            check_alerts(step, result)
            for expectation in step.expect.state:
                result.checks.append(self._check_state(expectation, each))
                if not result.checks[-1].passed:
                    result.fail(f"state: expected {result.checks[-1].description}, "
                                f"observed {result.checks[-1].observed}")
        except DccInputError as error:
            self._failed_exchange(result, str(error))
        except Exception as error:  # a device or service fault fails the step, not the run
            self._failed_exchange(result, f"{type(error).__name__}: {error}")
        result.duration_s = time.monotonic() - started
        return result

    @staticmethod
    def _failed_exchange(result: StepResult, reason: str) -> None:
        """The step failed without an answer from the DCC: show what was tried."""
        result.fail(reason)
        if result.request_id and not result.exchanges:
            result.exchanges.append(ExchangeRecord(
                "service request", "SR->DCC", f"{result.srv_id} {result.srv_name}",
                text=result.request_id))
        result.exchanges.append(ExchangeRecord("no answer", "DCC->user", reason))

    def _user_id(self, user: UserSpec) -> str:
        return user.user_id or DEFAULT_USER_IDS[user.role]

    def _request(self, scenario: Scenario, step: Step, each: Target | None) -> ServiceRequest:
        user = scenario.user_for(step)
        target = self._resolve(step.target, each)
        srv = get_srv(step.srv_id)
        execution = step.execution_datetime
        if step.execute_in is not None:
            execution = self.rack.now() + step.execute_in
        return ServiceRequest(
            srv_id=srv.srv_id, user_role=user.role, user_id=self._user_id(user),
            target_id=target.eui if isinstance(target, Target) else DCC_BUSINESS_TARGET_ID,
            counter=self._next_counter(),
            command_variant=step.command_variant or default_command_variant(srv),
            parameters=self._substitute(step.parameters, each),
            execution_datetime=execution, url=step.url,
            service_reference=step.service_reference, label=step.label,
        )

    def _next_counter(self) -> int:
        self._counter += 1
        return self._counter

    # -- devices and placeholders ---------------------------------------------------------
    def _resolve(self, ref: DeviceRef, each: Target | None) -> Target | str:
        if ref.kind is RefKind.DCC:
            return "DCC"
        if ref.kind is RefKind.EACH:
            if each is None:
                raise ScenarioError("'each' used outside a for_each step")
            return each
        have = self.rack.device_euis_by_type()
        if ref.kind is RefKind.EUI:
            assert ref.eui is not None
            kind = next((k for k, euis in have.items() if ref.eui in euis), None)
            return Target(ref.eui, kind)
        assert ref.device_type is not None
        euis = have.get(ref.device_type, ())
        if ref.index >= len(euis):
            raise ScenarioError(f"the rack has {len(euis)} {ref.device_type.value} device(s); "
                                f"the step names {ref}")
        return Target(euis[ref.index], ref.device_type)

    def _placeholder(self, ref_text: str, attr: str | None, each: Target | None) -> str:
        target = self._resolve(DeviceRef.parse(ref_text), each)
        assert isinstance(target, Target)
        if attr == "type":
            return target.device_type.value if target.device_type else ""
        if attr == "install_code":
            return self.rack.install_code(target.eui).hex().upper()
        return target.eui

    def _substitute(self, value: object, each: Target | None) -> Any:
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: self._placeholder(m["ref"], m["attr"], each), value)
        if isinstance(value, list | tuple):
            return [self._substitute(item, each) for item in value]
        if isinstance(value, Mapping):
            return {key: self._substitute(item, each) for key, item in value.items()}
        return value

    # -- the DCC service ------------------------------------------------------------------
    async def _submit(self, request: ServiceRequest, step: Step, result: StepResult
                      ) -> ServiceOutcome:
        """Submit as the user would; a critical SRV with no variant given is CV4, the
        user's signature over the PRECOMMAND, then CV5."""
        outcome = await self.service.submit(request)
        self._record(outcome, result)
        if step.command_variant is None and request.command_variant is CommandVariant.TRANSFORM \
                and not outcome.response_code.is_error:
            signed = None
            if outcome.precommand is not None:  # else no GBCS command: CV5 alone acts
                party = self.service.pki.party_for_user(request.user_id, request.user_role)
                if party is None:
                    raise ScenarioError(f"role {request.user_role} holds no key to sign the "
                                        "PRECOMMAND with")
                signed = self.service.pki.sign_precommand(outcome.precommand, party)
            request = replace(request, counter=self._next_counter(),
                              command_variant=CommandVariant.SEND_CRITICAL)
            result.request_id += f" then {request.request_id}"
            result.command_variant = int(request.command_variant)
            outcome = await self.service.submit(request, signed_precommand=signed)
            self._record(outcome, result)
        if outcome.held_until is not None:
            outcome = await self._until_executed(outcome, result)
        return outcome

    def _record(self, outcome: ServiceOutcome, result: StepResult) -> None:
        result.response_code = str(outcome.response_code)
        result.acknowledgement = str(outcome.acknowledgement)
        result.detail = outcome.detail
        result.response_data = data_text(outcome.response_data)
        result.exchanges.extend(exchange_record(exchange, self.keys)
                                for exchange in outcome.exchanges)
        result.alerts.extend(alert_record(alert, self._elapsed_s())
                             for alert in outcome.dcc_alerts)

    async def _until_executed(self, held: ServiceOutcome, result: StepResult
                              ) -> ServiceOutcome:
        """Let rack time reach a DSP future-dated request's execution time; its execution
        outcome is the step's."""
        assert held.held_until is not None
        while True:
            await self._pass_time(held.held_until - self.rack.now())
            ticked = await self.service.tick()
            self._record_tick(ticked, result)
            for executed in ticked.executed:
                if executed.request_id == held.request_id:
                    self._record(executed, result)
                    return executed
            if self.rack.now() >= held.held_until and not ticked.executed:
                result.fail(f"the DCC did not execute the request held until "
                            f"{held.held_until.isoformat()}")
                return held

    def _elapsed_s(self) -> float:
        """Rack seconds since the step's request was sent."""
        return max((self.rack.now() - self._sent_at).total_seconds(), 0.0)

    def _record_tick(self, ticked: TickOutcome, result: StepResult) -> None:
        result.exchanges.extend(exchange_record(exchange, self.keys)
                                for exchange in ticked.exchanges)
        result.alerts.extend(alert_record(alert, self._elapsed_s())
                             for alert in ticked.dcc_alerts)

    async def _pass_time(self, span: timedelta) -> None:
        if span <= timedelta(0):
            return
        clock = getattr(self.rack, "clock", None)
        if isinstance(clock, SteppedClock):
            clock.advance(span)
        else:  # real devices keep real time
            await asyncio.sleep(span.total_seconds())

    async def _await_alerts(self, step: Step, result: StepResult) -> None:
        """Poll for expected DCC alerts that have not come yet, up to their windows."""
        waiting = [a for a in step.expect.alerts if not arrived(a, result.alerts)]
        if not waiting:
            return
        deadline = self._sent_at + max(a.within for a in waiting)
        while waiting and self.rack.now() < deadline:
            await self._pass_time(min(ALERT_POLL, deadline - self.rack.now()))
            self._record_tick(await self.service.tick(), result)
            waiting = [a for a in waiting if not arrived(a, result.alerts)]

    # -- expectations ---------------------------------------------------------------------
    def _check_state(self, expectation: StateExpectation, each: Target | None) -> CheckRecord:
        target = self._resolve(expectation.device, each)
        assert isinstance(target, Target)
        expected = self._substitute(expectation.value, each)
        description = (f"{target} {expectation.check.value.replace('_', ' ')} {expected}")
        passed, observed = observe_state(self.service, self.rack, target.eui,
                                         expectation.check, expected)
        return CheckRecord(description, passed, observed)
