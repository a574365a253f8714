"""An emulated GBCS device: command acceptance, execution, response and alerts.

``EmulatedDevice.process`` runs the GBCS checks in order — well formed, addressed to
this device, a command, a message code this device type supports, MAC (ACB), signature
of critical commands against the originator's trust anchor, anti-replay — then the
use-case handler, then commits the state once and returns the protected response and
any alerts. A rejected or failed command leaves the state exactly as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509

from firmware_emu.clock import Clock
from firmware_emu.messages import (
    alert_header,
    part_encryptor,
    protect,
    response_header,
    response_signed,
)
from firmware_emu.persistence import StateStore
from firmware_emu.registry import AlertRequest, CommandContext, CommandFailed, Fault, Registry
from firmware_emu.state import (
    DeviceState,
    DeviceType,
    RemotePartyRole,
    ReplayError,
    TrustAnchorKeyUsage,
    device_state_from_dict,
)
from gbcs.codes import DeviceType as CodeDeviceType
from gbcs.codes import is_critical_command, use_case_for
from gbcs.crypto import KeyStore, KeyUsage, verify, verify_mac
from gbcs.errors import DecodeError, EncodeError, GbcsError, KeyNotFoundError
from gbcs.framing.general_signing import Cra
from gbcs.message import GbcsMessage, decode_message
from gbcs.secure import mac_key

log = logging.getLogger(__name__)

# Security-log event codes (primer §10.2) recorded when a command is refused.
EVENT_AUTHENTICATION_FAILURE = 0x8F3D
EVENT_MALFORMED_COMMAND = 0x8F1E
EVENT_NOT_AUTHORISED = 0x8F30
EVENT_UNEXPECTED_COMMAND = 0x8F60

_CODE_DEVICE = {t.value: t for t in CodeDeviceType}


@dataclass
class DeviceOutput:
    """What a device emits for one input: a response (or none) and alerts."""

    response: bytes | None = None
    alerts: list[bytes] = field(default_factory=list)
    rejected: str | None = None
    message: GbcsMessage | None = None


class EmulatedDevice:
    def __init__(self, state: DeviceState, keys: KeyStore, clock: Clock, registry: Registry,
                 store: StateStore | None = None) -> None:
        self.state = state
        self.keys = keys
        self.clock = clock
        self.registry = registry
        self.store = store or StateStore(None)
        self.pending_faults: list[Fault] = []

    def inject_fault(self, fault: Fault | None = None) -> None:
        """Make the next executed command fail (see :class:`Fault`)."""
        self.pending_faults.append(fault or Fault())

    # -- identity and trust -----------------------------------------------------------
    @property
    def eui(self) -> bytes:
        return self.state.identity.eui

    @property
    def device_type(self) -> DeviceType:
        return self.state.identity.device_type

    def trust_anchor_eui(self, role: RemotePartyRole, usage: TrustAnchorKeyUsage) -> bytes | None:
        cell = self.state.trust_anchors.find(role, usage)
        return cell.subject_eui if cell else None

    def alert_recipient(self) -> bytes | None:
        """CHF alerts go to the ACB, meter alerts to the supplier."""
        roles = (RemotePartyRole.ACCESS_CONTROL_BROKER,) if self.device_type is DeviceType.CHF \
            else (RemotePartyRole.SUPPLIER, RemotePartyRole.ACCESS_CONTROL_BROKER)
        for role in roles:
            for usage in (TrustAnchorKeyUsage.KEY_AGREEMENT, TrustAnchorKeyUsage.DIGITAL_SIGNATURE):
                eui = self.trust_anchor_eui(role, usage)
                if eui is not None:
                    return eui
        return None

    @property
    def clock_status(self) -> int:
        """COSEM clock status in response headers (primer §2.2: ESME FF, GSME/GPF 00)."""
        return 0xFF if self.device_type in (DeviceType.ESME, DeviceType.CHF) else 0x00

    def now(self) -> datetime:
        return self.clock.now()

    # -- processing ---------------------------------------------------------------------
    def process(self, wire: bytes) -> DeviceOutput:
        snapshot = self.state.to_dict()
        try:
            output = self._process(wire)
        except Exception:
            self.state = device_state_from_dict(snapshot)
            raise
        return output

    def _process(self, wire: bytes) -> DeviceOutput:
        try:
            message = decode_message(wire)
        except DecodeError as error:
            return self._refuse(f"malformed: {error}", EVENT_MALFORMED_COMMAND)
        refusal = self._acceptance(message)
        if refusal is not None:
            return self._refuse(*refusal, message=message)
        return self._execute(message)

    def _acceptance(self, message: GbcsMessage) -> tuple[str, int] | None:
        """Why ``message`` must not be executed, or None. Checks change nothing."""
        header = message.header
        if header.recipient != self.eui:
            return f"addressed to {header.recipient.hex().upper()}", EVENT_UNEXPECTED_COMMAND
        if header.cra != Cra.COMMAND or message.is_precommand:
            return "not a command", EVENT_UNEXPECTED_COMMAND
        use_case = use_case_for(header.message_code)
        mine = _CODE_DEVICE.get(self.device_type.value)
        if use_case is None or mine is None or not use_case.applies_to(mine):
            return (f"message code 0x{header.message_code:04X} is not supported by a "
                    f"{self.device_type.value}", EVENT_UNEXPECTED_COMMAND)
        if message.envelope is not None:
            if not self._mac_valid(message):
                return "MAC check failed", EVENT_AUTHENTICATION_FAILURE
        elif not message.is_signed:
            return "neither MAC'd nor signed", EVENT_AUTHENTICATION_FAILURE
        if message.is_signed:
            if not self._signature_valid(message):
                return "signature check failed", EVENT_AUTHENTICATION_FAILURE
        elif is_critical_command(header.message_code):
            return "critical command is not signed", EVENT_AUTHENTICATION_FAILURE
        floor = self.state.counters.floor(header.originator)
        if floor is not None and header.originator_counter <= floor:
            return (f"originator counter {header.originator_counter} not above "
                    f"{floor}", EVENT_AUTHENTICATION_FAILURE)
        return None

    def _mac_valid(self, message: GbcsMessage) -> bool:
        acb = self.trust_anchor_eui(RemotePartyRole.ACCESS_CONTROL_BROKER,
                                    TrustAnchorKeyUsage.KEY_AGREEMENT)
        try:
            key = mac_key(message.header, self.keys, acb=acb)
        except (KeyNotFoundError, GbcsError):
            return False
        envelope = message.envelope
        return verify_mac(key, message.header.originator, envelope.invocation_counter,
                          message.general_signing_bytes(), envelope.mac,
                          envelope.security_control)

    def _signature_valid(self, message: GbcsMessage) -> bool:
        originator = message.header.originator
        cell = next((c for c in self.state.trust_anchors.cells if c.subject_eui == originator
                     and c.key_usage is TrustAnchorKeyUsage.DIGITAL_SIGNATURE), None)
        if cell is not None:
            public = x509.load_der_x509_certificate(cell.certificate_der).public_key()
        elif self.keys.has_public_key(originator, KeyUsage.DIGITAL_SIGNATURE):
            # a device-originated command on the HAN (PPMID to GSME)
            public = self.keys.ds_public(originator)
        else:
            return False
        return verify(public, message.signed_bytes(), message.signature)

    def _refuse(self, reason: str, event: int, message: GbcsMessage | None = None
                ) -> DeviceOutput:
        log.info("%s refused a command: %s", self.eui.hex().upper(), reason)
        self.state.security_log.append(self.now(), event, b"")
        self.commit()
        return DeviceOutput(rejected=reason, message=message)

    def _execute(self, message: GbcsMessage) -> DeviceOutput:
        handler = self.registry.handler_for(message)
        if handler is None:
            return self._refuse(f"no handler for 0x{message.message_code:04X}",
                                EVENT_UNEXPECTED_COMMAND, message)
        now = self.now()
        header = response_header(message, self.eui, now, clock_status=self.clock_status,
                                  originator_counter=self._urp_counter(message))
        ctx = CommandContext(self, message, now, part_encryptor(header, self.keys),
                             fault=self.pending_faults.pop(0) if self.pending_faults else None)
        snapshot = self.state.to_dict()
        try:
            outcome = handler(ctx)
            payload = outcome.payload
        except CommandFailed as failed:
            self.state = device_state_from_dict(snapshot)
            if failed.payload is None:
                return self._refuse(str(failed), EVENT_UNEXPECTED_COMMAND, message)
            payload, ctx.alerts = failed.payload, []
        try:
            self.state.counters.check_and_advance(message.header.originator,
                                                  message.header.originator_counter)
        except ReplayError as replay:
            self.state = device_state_from_dict(snapshot)
            return self._refuse(str(replay), EVENT_AUTHENTICATION_FAILURE, message)
        response = None
        if payload is not None:
            reply = GbcsMessage(header, payload, signature=b"")
            response = protect(reply, self.keys, signed=response_signed(message))
        alerts = [self._alert_bytes(request) for request in ctx.alerts]
        self.commit()
        return DeviceOutput(response, alerts, None, message)

    def _urp_counter(self, message: GbcsMessage) -> int | None:
        if message.header.other_information.remote_party_certificate is None:
            return None
        return self.state.counters.next_alert_counter()

    # -- alerts and time ----------------------------------------------------------------
    def _alert_bytes(self, request: AlertRequest) -> bytes:
        recipient = request.recipient or self.alert_recipient()
        if recipient is None:
            raise EncodeError("the device knows no remote party to send alerts to")
        header = alert_header(self.eui, recipient, request.message_code,
                              self.state.counters.next_alert_counter())
        payload = request.payload(header, self.keys) if callable(request.payload) \
            else request.payload
        return protect(GbcsMessage(header, payload, signature=b""), self.keys,
                       signed=request.critical)

    def raise_alerts(self, requests: list[AlertRequest]) -> list[bytes]:
        """Alerts raised outside a command (events, timers); committed at once."""
        alerts = [self._alert_bytes(request) for request in requests]
        self.commit()
        return alerts

    def run_due(self, now: datetime | None = None) -> list[bytes]:
        """Execute the future-dated actions due by ``now``; return the alerts raised."""
        now = now or self.now()
        snapshot = self.state.to_dict()
        try:
            requests: list[AlertRequest] = []
            for action in self.state.scheduler.due(now):
                executor = self.registry.executor_for(action.action_id)
                if executor is None:
                    log.warning("%s: no executor for scheduled action %s",
                                self.eui.hex().upper(), action.action_id)
                    continue
                requests.extend(executor(self, action, now))
            return self.raise_alerts(requests)
        except Exception:
            self.state = device_state_from_dict(snapshot)
            raise

    def commit(self) -> None:
        """Store the device state (one transaction)."""
        with self.store.transaction() as tx:
            tx.save(self.state)
