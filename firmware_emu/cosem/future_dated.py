"""Future-dated DLMS commands (primer §8.2.7, §9 "Future-dated").

A command sets activation date-time attributes alongside the values they activate. The
date-time is the COSEM "now" (all zeros: activate at once), "never" (all wildcards:
cancel a pending activation) or a moment: the device then schedules the activation in
``state.scheduler`` and, when it comes, activates and raises the 0x00CC Future Dated
Execution Of Instruction alert (8F66 executed / 8F67 not) naming the command's message
code, originator counter and the activation attribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from firmware_emu.cosem.catalogues import model_for
from firmware_emu.cosem.dlms_alerts import future_dated_execution
from firmware_emu.cosem.model import (
    Access,
    AccessContext,
    ActivationLink,
    AttributeRef,
    CosemError,
    ObjectModel,
)
from firmware_emu.registry import AlertRequest
from firmware_emu.state import StateError, device_state_from_dict
from gbcs.dlms.axdr import Data, decode_data
from gbcs.dlms.xdlms import AccessRequest, AccessRequestSet, DataAccessResult
from gbcs.errors import DecodeError
from gbcs.primitives import CosemDateTime

if TYPE_CHECKING:
    from firmware_emu.clock import ScheduledAction
    from firmware_emu.device import EmulatedDevice

ACTION_KIND = "cosem-activation"
"""Scheduler action ids are ``cosem-activation:<activation attribute key>``."""


def action_id(activation: AttributeRef) -> str:
    return f"{ACTION_KIND}:{activation.key}"


class ActivationFailed(Exception):
    """An activation the request asked for could not be carried out (item ``item``)."""

    def __init__(self, item: int, result: int, reason: str) -> None:
        super().__init__(reason)
        self.item, self.result = item, result


@dataclass
class _Requested:
    link: ActivationLink
    item: int
    when: CosemDateTime | None = None


@dataclass
class ActivationPlan:
    """The activations one access-request asks for, and the values they hold back."""

    model: ObjectModel
    requested: dict[AttributeRef, _Requested] = field(default_factory=dict)
    governing: dict[AttributeRef, AttributeRef] = field(default_factory=dict)
    held: dict[AttributeRef, dict[AttributeRef, Data]] = field(default_factory=dict)

    @classmethod
    def of(cls, model: ObjectModel, request: AccessRequest) -> ActivationPlan:
        plan = cls(model)
        for index, spec in enumerate(request.specifications):
            if not isinstance(spec, AccessRequestSet):
                continue
            ref = AttributeRef(spec.class_id, spec.instance, spec.attribute_id)
            link = model.activations.get(ref)
            if link is not None:
                plan.requested[ref] = _Requested(link, index)
                plan.held[ref] = {}
                plan.governing.update((deferred, ref) for deferred in link.deferred)
        return plan

    def set(self, access: AccessContext, ref: AttributeRef, value: Data) -> None:
        """A SET item of the request: held back, an activation time, or written now."""
        activation = self.governing.get(ref)
        if activation is not None:
            spec = self.model.attribute(ref)
            if Access.WRITE not in spec.access:
                raise CosemError(DataAccessResult.READ_WRITE_DENIED, f"{ref} is not writable")
            if not spec.type.conforms(value):
                raise CosemError(DataAccessResult.TYPE_UNMATCHED, f"{ref}: {value!r:.60}")
            self.held[activation][ref] = value
            return
        self.model.set(access, ref, value)
        if ref in self.requested:
            self.requested[ref].when = CosemDateTime.from_bytes(value.value)

    def apply(self, access: AccessContext) -> None:
        """After every item succeeded: activate, cancel or schedule each activation."""
        for ref, requested in self.requested.items():
            when = requested.when
            try:
                self._apply(access, ref, requested, when)
            except (CosemError, StateError) as error:
                result = getattr(error, "result", DataAccessResult.OTHER_REASON)
                raise ActivationFailed(requested.item, result, str(error)) from None

    def _apply(self, access: AccessContext, ref: AttributeRef, requested: _Requested,
               when: CosemDateTime | None) -> None:
        held = self.held[ref]
        scheduler = access.state.scheduler
        pending = action_id(ref)
        if when is None or when.is_never:
            if pending in scheduler:
                scheduler.cancel(pending)
            return
        moment = None if when.is_immediate else when.to_datetime()
        if not when.is_immediate and moment is None:
            raise CosemError(DataAccessResult.OTHER_REASON, f"{ref}: {when} is not a time")
        if moment is None or moment <= access.now:
            activate(access, requested.link, held)
            return
        header = access.command.header if access.command is not None else None
        scheduler.schedule(moment, pending, {
            "message_code": header.message_code if header else 0,
            "originator_counter": header.originator_counter if header else 0,
            "held": {target.key: value.encode().hex() for target, value in held.items()},
        }, replace=True)


def activate(access: AccessContext, link: ActivationLink,
             held: dict[AttributeRef, Data]) -> None:
    """Copy passive values to their active attributes and write the held-back values."""
    model = access.model
    for passive, active in link.copies:
        model.assign(access, active, model.current(access, passive))
    for ref, value in held.items():
        model.assign(access, ref, value)


def _held_values(link: ActivationLink, payload: dict) -> dict[AttributeRef, Data]:
    by_key = {ref.key: ref for ref in link.deferred}
    held = {}
    for key, raw in payload.get("held", {}).items():
        if key in by_key:
            held[by_key[key]] = decode_data(bytes.fromhex(raw))
    return held


def run_activation(device: EmulatedDevice, action: ScheduledAction, now: datetime
                   ) -> list[AlertRequest]:
    """Registry executor of ``cosem-activation`` actions: activate on a copy of the
    state (kept only if the activation succeeds) and report with 8F66 or 8F67."""
    key = action.action_id.split(":", 1)[1]
    model = model_for(device.state)
    link = next((link for ref, link in model.activations.items() if ref.key == key), None)
    succeeded = False
    if link is not None:
        trial = device_state_from_dict(device.state.to_dict())
        access = AccessContext(trial, now, model, keys=device.keys)
        try:
            activate(access, link, _held_values(link, action.payload))
            succeeded = True
        except (CosemError, StateError, DecodeError, ValueError):
            succeeded = False
        if succeeded:
            device.state = trial
    executed = link.activation if link is not None else _ref_from_key(key)
    return [future_dated_execution(action.due_at, succeeded=succeeded,
                                   message_code=action.payload.get("message_code", 0),
                                   originator_counter=action.payload.get("originator_counter", 0),
                                   executed=executed)]


def _ref_from_key(key: str) -> AttributeRef:
    class_id, obis, item = key.split("/")
    return AttributeRef.of(int(class_id), obis, int(item.lstrip("m")))

