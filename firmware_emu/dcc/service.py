"""The DCC service: DUIS service requests in, protected GBCS to devices, answers back.

:meth:`DccService.submit` takes one :class:`ServiceRequest` through what the DCC does:

1. validation (:class:`DccValidator`: the response code with its precedence; a refused
   request ends here with its code as acknowledgement and response);
2. DCC-only SRVs are served from the SMI (:mod:`.service_smi`); 8.13 reads a locally
   delivered command's response;
3. device SRVs: DSP future-dated requests are held until :meth:`DccService.tick` reaches
   their time; CV4 returns the PRECOMMAND; CV5-7 take the user's signed pre-command (or,
   when none is given, the harness signs the last PRECOMMAND on the user's behalf); CV1-3
   build the command; the ACB MACs it; CV2/CV6 only return it for local delivery;
4. the rack delivers it; the response and every alert are checked
   (:mod:`.service_traffic`: a discarded or missing response is E21); the response is read
   back as success or failure (:mod:`.transform_responses`), the SMI updated and device
   alerts turned into DCC alerts: N24 when the CHF's CS14 alert shows the device that a
   successful 8.11 Add put in its log, N25 when it does not, N53/E58, N54/E59 ...
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime

from firmware_emu.dcc.dcc_alerts import (
    CplStatus,
    DccAlertCode,
    SrvOutcome,
    dcc_alerts_for_srv_outcome,
)
from firmware_emu.dcc.inventory import DeviceRecord, Inventory, SmiStatus
from firmware_emu.dcc.pki import DccPki
from firmware_emu.dcc.rack import Rack
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import DccInputError, parse_eui64
from firmware_emu.dcc.service_records import (
    DccAlert,
    DccState,
    Direction,
    Exchange,
    ServiceOutcome,
    TickOutcome,
    request_text,
    summarize,
)
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.service_smi import (
    DCC_ONLY_HANDLERS,
    SmiContext,
    after_success,
    commission_in_smi,
)
from firmware_emu.dcc.service_traffic import CHF_DEVICE_LOG_CHANGED, DeviceTraffic
from firmware_emu.dcc.srv_catalogue import CommandVariant, FutureDating
from firmware_emu.dcc.transform import SignedPreCommandError, Transformer
from firmware_emu.dcc.transform_responses import interpret_response
from firmware_emu.dcc.transform_rows import TransformError
from firmware_emu.dcc.transform_table import message_codes, transformable_srvs
from firmware_emu.dcc.validation import CANCEL_EXECUTION_DATETIME, DccValidator
from gbcs.framing.general_signing import Cra
from gbcs.message import GbcsMessage, decode_message

_CV = CommandVariant
_RETURN_ONLY = frozenset({_CV.RETURN_FOR_LOCAL_DELIVERY, _CV.RETURN_CRITICAL_FOR_LOCAL_DELIVERY})
LOCAL_RESPONSE_SRV = "8.13"


class UnsupportedServiceError(DccInputError):
    """An SRV (or SRV and device type) this DCC does not serve."""


class _Run:
    """The outcome being assembled for one request."""

    def __init__(self, request: ServiceRequest) -> None:
        self.request = request
        self.outcome = ServiceOutcome(request.request_id, request.srv_id,
                                      int(request.command_variant), ResponseCode.I99,
                                      ResponseCode.I99)

    def add(self, step: str, direction: Direction, data: bytes | str, summary: str = "") -> None:
        self.outcome.exchanges.append(Exchange(step, direction, data, summary))

    def finish(self, code: ResponseCode, detail: str = "") -> ServiceOutcome:
        outcome = self.outcome
        outcome.response_code, outcome.detail = code, detail or outcome.detail
        for alert in outcome.dcc_alerts:
            self.add("DCC alert", Direction.DCC_TO_USER, f"{alert.code} {alert.text}",
                     alert.detail)
        self.add("service response", Direction.DCC_TO_USER, f"{code} {code.definition.name}"
                 + (f": {outcome.detail}" if outcome.detail else ""))
        return outcome


class DccService:
    """The DCC: validator, SMI, PKI and transform in front of a rack of devices."""

    def __init__(self, pki: DccPki, inventory: Inventory, validator: DccValidator, rack: Rack,
                 *, state: DccState | None = None,
                 cpl: Mapping[str, CplStatus] | None = None) -> None:
        self.pki, self.inventory, self.validator = pki, inventory, validator
        self.state = state or DccState()
        self.cpl = dict(cpl or {})
        self.transformer = Transformer(pki, inventory, self.state.counters, self.state.backups)
        self.traffic = DeviceTraffic(pki, inventory, rack, self.state.backups)
        self._local: dict[str, tuple[ServiceRequest, DeviceRecord]] = {}

    @property
    def rack(self) -> Rack:
        return self.traffic.rack

    @rack.setter
    def rack(self, rack: Rack) -> None:
        self.traffic.rack = rack

    def now(self) -> datetime:
        return self.rack.now()

    # -- requests -------------------------------------------------------------------
    async def submit(self, request: ServiceRequest, *, signed_precommand: bytes | None = None
                     ) -> ServiceOutcome:
        now, run = self.now(), _Run(request)
        run.add("service request", Direction.SR_TO_DCC, request_text(request))
        if signed_precommand is not None:
            run.add("signed pre-command", Direction.SR_TO_DCC, bytes(signed_precommand))
        verdict = self.validator.validate(request, now=now)
        run.outcome.acknowledgement = verdict.response_code
        run.add("acknowledgement", Direction.DCC_TO_USER, str(verdict.response_code))
        if not verdict.accepted:
            return run.finish(verdict.response_code, verdict.detail)
        device = self.inventory.find(request.target_id)
        self._check_supported(request, device)
        self.validator.submit(request, now=now)
        if _held(request):
            run.outcome.held_until = request.execution_datetime
            return run.finish(ResponseCode.I99, "held by the DCC until the execution time")
        try:
            if request.execution_datetime == CANCEL_EXECUTION_DATETIME:
                return run.finish(ResponseCode.I0, "future dated request cancelled")
            if request.srv_id == LOCAL_RESPONSE_SRV:
                return self._local_response(run, now)
            if request.srv.dcc_only or self.transformer.row_for(request, device) is None:
                return self._serve_from_smi(run, device, now, verdict.response_code)
            return await self._execute(run, device, now, signed_precommand)
        finally:
            self.validator.complete(request.request_id)

    def _check_supported(self, request: ServiceRequest, device: DeviceRecord | None) -> None:
        srv = request.srv
        if srv.dcc_only:
            if srv.srv_id not in (*DCC_ONLY_HANDLERS, LOCAL_RESPONSE_SRV):
                raise UnsupportedServiceError(f"SRV {srv.srv_id} ({srv.name}) is not served "
                                              "by this DCC")
        elif request.execution_datetime != CANCEL_EXECUTION_DATETIME and srv.srv_id != "8.1.1" \
                and self.transformer.row_for(request, device) is None:
            raise UnsupportedServiceError(
                f"SRV {srv.srv_id} ({srv.name}) for a {device.device_type} is not transformed "
                f"by this DCC (it transforms {', '.join(transformable_srvs())})")

    def _serve_from_smi(self, run: _Run, device: DeviceRecord | None, now: datetime,
                        acknowledgement: ResponseCode) -> ServiceOutcome:
        request = run.request
        context = SmiContext(request, self.inventory, self.state, now, self.cpl)
        if not request.srv.dcc_only:  # 8.1.1 of a device with no commissioning command
            if request.command_variant is _CV.TRANSFORM:
                return run.finish(ResponseCode.I0, f"no GBCS command commissions a "
                                  f"{device.device_type}: the signed request (CV5) "
                                  "commissions it in the SMI")
            result = commission_in_smi(context)
        else:
            result = DCC_ONLY_HANDLERS[request.srv_id](context)
        run.outcome.response_data = result.data
        run.outcome.dcc_alerts.extend(result.alerts)
        code = result.response_code
        if code is ResponseCode.I0 and acknowledgement not in (ResponseCode.I99, code):
            code = acknowledgement  # a warning (W081401) is the response
        return run.finish(code, result.detail)

    # -- device SRVs ----------------------------------------------------------------
    async def _execute(self, run: _Run, device: DeviceRecord, now: datetime,
                       signed: bytes | None) -> ServiceOutcome:
        request, variant, transformer = run.request, run.request.command_variant, self.transformer
        for device_id in (device.device_id, device.gpf_id, request.parameters.get("DeviceID"),
                          request.parameters.get("OtherDeviceID")):
            self.traffic.learn_certificates(device_id)
        key = f"{request.user_id}|{request.user_role}|{request.srv_id}|{request.target_id}"
        try:
            if variant is _CV.TRANSFORM:
                precommand = transformer.issue_precommand(transformer.plan(request, device, now))
                self.state.precommands[key] = run.outcome.precommand = precommand
                run.add("PRECOMMAND", Direction.DCC_TO_USER, precommand,
                        summarize(decode_message(precommand)))
                return run.finish(ResponseCode.I0)
            if variant.critical:
                if signed is None:
                    signed = self._sign_for_user(run, device, now, self.state.precommands.get(key))
                _, wire = transformer.complete(signed, request, message_codes(request))
            else:
                wire = transformer.protect(transformer.plan(request, device, now))
        except SignedPreCommandError as refused:
            return run.finish(refused.response_code, str(refused))
        except TransformError as error:
            return run.finish(ResponseCode.E49, str(error))
        self.state.precommands.pop(key, None)
        if variant.local_delivery:
            run.outcome.local_command = wire
            self._local[request.request_id] = (request, device)
            run.add("command for local delivery", Direction.DCC_TO_USER, wire,
                    summarize(decode_message(wire)))
            if variant in _RETURN_ONLY:
                return run.finish(ResponseCode.I0)
        return await self._deliver(run, device, wire, now)

    def _sign_for_user(self, run: _Run, device: DeviceRecord, now: datetime,
                       precommand: bytes | None) -> bytes:
        """The user's side of CV4 -> CV5, done by the harness with the user's key."""
        request = run.request
        party = self.pki.party_for_user(request.user_id, request.user_role)
        if party is None:
            raise TransformError(f"role {request.user_role} has no key to sign with")
        if precommand is None:
            precommand = self.transformer.issue_precommand(
                self.transformer.plan(request, device, now))
        signed = self.pki.sign_precommand(precommand, party)
        run.add("PRECOMMAND signed for the user", Direction.SR_TO_DCC, signed,
                summarize(decode_message(signed)))
        return signed

    async def _deliver(self, run: _Run, device: DeviceRecord, wire: bytes, now: datetime
                       ) -> ServiceOutcome:
        run.add("command", Direction.DCC_TO_DEVICE, wire, summarize(decode_message(wire)))
        output = await self.rack.deliver(wire)
        response, problem = None, f"no response from the device: {output.rejected or 'none'}"
        if output.response is not None:
            response, rejected = self.traffic.authentic(output.response)
            run.add("response", Direction.DEVICE_TO_DCC, output.response,
                    rejected or summarize(response))
            problem = f"device response discarded: {rejected}"
        logged = self.traffic.take_alerts(run.outcome, list(output.alerts), run.request.srv_id)
        if response is None:
            return run.finish(ResponseCode.E21, problem)
        return self._read_response(run, run.request, device, response, now, logged)

    def _read_response(self, run: _Run, request: ServiceRequest, device: DeviceRecord,
                       response: GbcsMessage, now: datetime, logged: set[str]
                       ) -> ServiceOutcome:
        """The outcome of ``request`` from the device's (authentic) response."""
        result = interpret_response(response, self.pki.keys)
        run.outcome.device_success = result.success
        run.outcome.response_data = {"summary": result.summary, **result.data}
        if result.success:
            context = SmiContext(request, self.inventory, self.state, now, self.cpl)
            run.outcome.dcc_alerts.extend(after_success(context, device, response))
            self._whitelist_confirmation(run, request, logged)
        return run.finish(ResponseCode.I0, "" if result.success else result.summary)

    def _whitelist_confirmation(self, run: _Run, request: ServiceRequest, logged: set[str]
                                ) -> None:
        """N24 when the CHF's alert confirmed an 8.11 Add, else N25 (additions only)."""
        if request.srv_id != "8.11" or request.parameters.get("UpdateType") != "Add":
            return
        added = parse_eui64(request.parameters["DeviceID"])
        if added not in logged:
            run.outcome.dcc_alerts.extend(
                DccAlert(trigger.dcc_alert, added, detail="no confirming CHF alert")
                for trigger in dcc_alerts_for_srv_outcome("8.11", SrvOutcome.NO_CONFIRMING_ALERT))
            return
        record = self.inventory.find(added)
        if record is not None and record.status is SmiStatus.WHITELISTED:
            self.inventory.transition(added, SmiStatus.INSTALLED_NOT_COMMISSIONED)
        run.outcome.dcc_alerts.append(DccAlert(DccAlertCode.N24, added,
                                               source_alert=CHF_DEVICE_LOG_CHANGED))

    def _local_response(self, run: _Run, now: datetime) -> ServiceOutcome:
        """8.13: a device's answer to a locally delivered command, returned by the user."""
        items = run.request.parameters
        try:
            wire = base64.b64decode(items.get("DeviceGBCSResponse", ""), validate=True)
        except binascii.Error:
            return run.finish(ResponseCode.E49, "DeviceGBCSResponse is not base64")
        message, problem = self.traffic.authentic(wire)
        run.add("returned device message", Direction.SR_TO_DCC, wire,
                problem or summarize(message))
        if message is None:
            return run.finish(ResponseCode.E49, f"returned message refused: {problem}")
        if message.cra == Cra.ALERT:
            self.traffic.take_alerts(run.outcome, [wire], None)
            return run.finish(ResponseCode.I0)
        original = self._local.pop(str(items.get("OriginalRequestID")), None)
        if original is None:
            return run.finish(ResponseCode.I0, "no locally delivered command of this DCC "
                              "matches OriginalRequestID: the SMI is not updated")
        request, device = original
        return self._read_response(run, request, device, message, now, set())

    # -- time -----------------------------------------------------------------------
    async def tick(self) -> TickOutcome:
        """Let time pass: collect the alerts devices raise and run held requests now due."""
        now, outcome = self.now(), TickOutcome()
        self.traffic.take_alerts(outcome, list(await self.rack.tick()), None)
        due = [held for held in self.validator.log.held_for_dsp.values()
               if held.execution_datetime <= now]
        for request in sorted(due, key=lambda held: held.execution_datetime):
            self.validator.log.held_for_dsp.pop(request.request_id, None)
            run = _Run(request)
            run.add("held request due", Direction.SR_TO_DCC, request_text(request))
            try:
                device = self.inventory.get(request.target_id)
                outcome.executed.append(await self._execute(run, device, now, None))
            finally:
                self.validator.complete(request.request_id)
        return outcome


def _held(request: ServiceRequest) -> bool:
    when = request.execution_datetime
    return (when is not None and when != CANCEL_EXECUTION_DATETIME
            and request.srv.future_dating is FutureDating.DSP)
