"""The generic GBZ processor: every GBZ command on a GSME or GPF, component by component.

Each component is decoded and handed to its :mod:`~firmware_emu.zcl.handlers` entry
(future-dated ones through :mod:`~firmware_emu.zcl.future_dated`); the answers become
the response components, echoing the command component's sequence number. Processing
stops at the first component that fails: the ones after it are answered with a Default
Response "not executed" (command id 0xFF, status FAILURE), and nothing the command
changed is kept. An injected fault fails one component (:func:`fault_index`) with
HARDWARE_FAILURE, answered as its use case answers a failed execution. In a sensitive
use case the answers carrying consumption or credit data are encrypted, all with the
response's key and IV, frame counters 0, 1, ...
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware_emu.registry import CommandContext, CommandFailed, Outcome
from firmware_emu.zcl import future_dated
from firmware_emu.zcl.calls import NOT_EXECUTED_COMMAND_ID, Answer, ZclCall, ZclFailure
from firmware_emu.zcl.handlers import handler_for
from firmware_emu.zcl.model import ModelError, ZclModel
from gbcs.codes import use_case_for
from gbcs.errors import DecodeError
from gbcs.gbz import GbzPayload, gbz_payload
from gbcs.gbz import clusters_metering as metering
from gbcs.gbz import clusters_prepayment as prepayment
from gbcs.gbz.gbz_component import (
    GbzComponent,
    GbzEncryption,
    encrypted_gbz_component,
    gbz_component,
)
from gbcs.gbz.zcl import (
    DefaultResponse,
    FrameControl,
    ReadAttributesResponse,
    WriteAttributesResponse,
    ZclCommand,
    ZclStatus,
    zcl_command,
)
from gbcs.gbz.zcl_types import Direction

SENSITIVE_ANSWERS = frozenset({
    metering.PublishSnapshot, prepayment.PublishPrepaySnapshot,
    metering.GetSampledDataResponse, prepayment.PublishDebtLog, prepayment.PublishTopUpLog,
})
SENSITIVE_READ_CLUSTERS = frozenset({metering.CLUSTER_ID, prepayment.CLUSTER_ID})
"""Read Attributes Responses of these clusters carry consumption or credit data."""
NOT_FAILURES = frozenset({ZclStatus.SUCCESS, ZclStatus.NOT_FOUND,
                          ZclStatus.UNSUPPORTED_ATTRIBUTE})


@dataclass(frozen=True, slots=True)
class ComponentResult:
    command_component: GbzComponent
    answers: Answer
    failed: bool


def process_gbz(ctx: CommandContext) -> Outcome:
    """The registry handler for GBZ commands (the GBZ payload family default)."""
    message = ctx.command
    if not isinstance(message.payload, GbzPayload):
        raise CommandFailed("not a GBZ command payload")
    use_case = use_case_for(message.message_code)
    future_capable = bool(use_case and use_case.future_dated)
    sensitive = bool(use_case and use_case.is_sensitive)
    model = ZclModel(ctx.state, ctx.now)
    components = message.payload.components
    results: list[ComponentResult] = []
    failed = False
    for index, component in enumerate(components):
        if failed:
            results.append(ComponentResult(component, [_not_executed(component)], True))
            continue
        fault = ctx.fault is not None and index == fault_index(len(components))
        results.append(_run(ctx, model, component, future_capable, fault))
        failed = results[-1].failed
    payload = _response(results, sensitive, ctx)
    if ctx.fault is not None or failed:
        raise CommandFailed(ctx.fault.reason if ctx.fault else "a GBZ component failed",
                            payload)
    return Outcome(payload)


def fault_index(count: int) -> int:
    """Where an injected fault strikes: the second-to-last component (or the only one),
    so that the error response shows a failed component and one not executed after it."""
    return max(count - 2, 0)


def _run(ctx: CommandContext, model: ZclModel, component: GbzComponent,
         future_capable: bool, fault: bool) -> ComponentResult:
    try:
        if component.is_encrypted:
            raise DecodeError("encrypted command components are not accepted", 0)
        command = component.zcl_command()
    except DecodeError:
        return ComponentResult(component, [_status_answer(component, ZclStatus.MALFORMED_COMMAND)],
                               True)
    handler = handler_for(command)
    if handler is None:
        unsupported = ZclStatus.UNSUPPORTED_GENERAL_COMMAND if command.frame.frame_type == 0 \
            else ZclStatus.UNSUPPORTED_CLUSTER_COMMAND
        return ComponentResult(component, [_status_answer(component, unsupported)], True)
    header = ctx.command.header
    call = ZclCall(model, component, command, ctx.command.message_code, header.originator,
                   header.originator_counter, ctx.device.keys,
                   siblings=ctx.command.payload.components)
    try:
        if fault:
            raise ZclFailure(ZclStatus.HARDWARE_FAILURE, ctx.fault.reason)
        if future_capable and not handler.reads:
            answers = future_dated.run_or_schedule(call, handler)
        else:
            answers = handler.run(call)
    except (ZclFailure, ModelError) as failure:
        if failure.status == ZclStatus.NOT_FOUND:
            return ComponentResult(component, [call.default_response(ZclStatus.NOT_FOUND)],
                                   False)
        answers = handler.failure(call, failure.status) if handler.failure \
            else [call.default_response(failure.status)]
        return ComponentResult(component, answers, True)
    ctx.alerts.extend(call.alerts)
    return ComponentResult(component, answers, any(_failing(answer) for answer in answers))


def _failing(answer: ZclCommand) -> bool:
    body = answer.body
    if isinstance(body, DefaultResponse):
        return body.status not in NOT_FAILURES
    if isinstance(body, ReadAttributesResponse | WriteAttributesResponse):
        return any(record.status not in NOT_FAILURES for record in body.records)
    return False


def _answer_direction(component: GbzComponent) -> Direction:
    return Direction.CLIENT_TO_SERVER if FrameControl(component.frame_control).direction \
        else Direction.SERVER_TO_CLIENT


def _status_answer(component: GbzComponent, status: int,
                   command_id: int | None = None) -> ZclCommand:
    record = DefaultResponse(component.command_id if command_id is None else command_id, status)
    return zcl_command(record, cluster_id=component.cluster_id,
                       direction=_answer_direction(component))


def _not_executed(component: GbzComponent) -> ZclCommand:
    return _status_answer(component, ZclStatus.FAILURE, NOT_EXECUTED_COMMAND_ID)


def _encrypted(answer: ZclCommand) -> bool:
    body = answer.body
    if isinstance(body, ReadAttributesResponse):
        return answer.cluster_id in SENSITIVE_READ_CLUSTERS
    return type(body) in SENSITIVE_ANSWERS


def _response(results: list[ComponentResult], sensitive: bool,
              ctx: CommandContext) -> GbzPayload:
    components = []
    frame_counter = 0
    for result in results:
        sequence = result.command_component.sequence_number
        for answer in result.answers:
            if sensitive and _encrypted(answer):
                components.append(encrypted_gbz_component(
                    answer, sequence, ctx.encrypt,
                    encryption=GbzEncryption(0, frame_counter & 0xFF, 0)))
                frame_counter += 1
            else:
                components.append(gbz_component(answer, sequence))
    return gbz_payload(components)
