"""The DLMS access-request processor: the family default handler of ESME, SAPC and CHF.

Items run in order on the device's object model (GET, GET with selective access, SET,
ACTION; IC 30 protected reads are ACTIONs like any other). GBCS sets "break on error" in
every invoke id, so after a failed item the rest are not executed and answer
other-reason; a command with a failed item changes nothing (the device rolls back).

An injected fault (:class:`firmware_emu.registry.Fault`) makes the execution fail the
way the RTDS error responses show: the items before the last two run, the next one fails
with hardware-fault, the remaining ones are not executed.
"""

from __future__ import annotations

from firmware_emu.cosem.catalogues import model_for
from firmware_emu.cosem.future_dated import ActivationFailed, ActivationPlan
from firmware_emu.cosem.model import AccessContext, AttributeRef, CosemError
from firmware_emu.registry import CommandContext, CommandFailed, Outcome
from gbcs.dlms.axdr import NULL, Data
from gbcs.dlms.xdlms import (
    AccessRequest,
    AccessRequestAction,
    AccessRequestGet,
    AccessRequestGetWithSelection,
    AccessRequestSet,
    AccessRequestSpecification,
    AccessResponse,
    DataAccessResult,
    access_response,
    failure,
    success,
)


def fault_item(item_count: int) -> int:
    """Which item an injected fault strikes: the last but one (the only one, if alone)."""
    return max(0, item_count - 2)


def execute_item(access: AccessContext, plan: ActivationPlan,
                 spec: AccessRequestSpecification, value: Data) -> tuple[int, Data]:
    """One request item on the object model; failures raise :class:`CosemError`."""
    model = access.model
    if isinstance(spec, AccessRequestAction):
        ref = AttributeRef(spec.class_id, spec.instance, spec.method_id, method=True)
        returned = model.action(access, ref, value)
        return success(NULL if returned is None else returned)
    ref = AttributeRef(spec.class_id, spec.instance, spec.item_id)
    if isinstance(spec, AccessRequestGetWithSelection):
        return success(model.get(access, ref, spec.access_selector, spec.access_parameters))
    if isinstance(spec, AccessRequestGet):
        return success(model.get(access, ref))
    if isinstance(spec, AccessRequestSet):
        plan.set(access, ref, value)
        return success()
    raise CosemError(DataAccessResult.SCOPE_OF_ACCESS_VIOLATED,
                     f"{type(spec).__name__} is not supported")


def run_request(access: AccessContext, request: AccessRequest, *,
                fault_at: int | None = None) -> tuple[AccessResponse, str | None]:
    """Execute ``request``; the response and, if an item failed, why."""
    plan = ActivationPlan.of(access.model, request)
    outcomes: list[tuple[int, Data]] = []
    failed: str | None = None
    for index, (spec, value) in enumerate(request.items()):
        if failed is not None:
            outcomes.append(failure(DataAccessResult.OTHER_REASON))
        elif index == fault_at:
            outcomes.append(failure(DataAccessResult.HARDWARE_FAULT))
            failed = f"injected fault at item {index}"
        else:
            try:
                outcomes.append(execute_item(access, plan, spec, value))
            except CosemError as error:
                outcomes.append(failure(error.result))
                failed = f"item {index}: {error}"
    if failed is None:
        try:
            plan.apply(access)
            access.finish()
        except ActivationFailed as error:
            outcomes[error.item] = failure(error.result)
            failed = f"item {error.item}: {error}"
    return access_response(request, outcomes), failed


def process_access_request(ctx: CommandContext) -> Outcome:
    """Registry handler for every DLMS command of an ESME, SAPC or CHF."""
    request = ctx.command.payload
    if not isinstance(request, AccessRequest) or not request.specifications or len(
            request.data) != len(request.specifications):
        raise CommandFailed("not a well-formed DLMS access-request")
    access = AccessContext(ctx.state, ctx.now, model_for(ctx.state), ctx.command, ctx.encrypt,
                           ctx.device.keys)
    fault_at = fault_item(len(request.specifications)) if ctx.fault is not None else None
    response, failed = run_request(access, request, fault_at=fault_at)
    if failed is not None:
        raise CommandFailed(failed, payload=response)
    ctx.alerts.extend(access.alerts)
    return Outcome(response)


__all__ = ["execute_item", "fault_item", "process_access_request",
           "run_request"]
