"""CS02b / CS02g Update Security Credentials: replace remote party trust anchors, now or
at the command's execution date-time, with the 8F66 / 8F67 outcome alert 0x00CB (CS02b)
or 0x0124 (CS02g) for future-dated updates (primer §8.3).

The message code names the replacement mode, whose rules (who authorises, which cells
it may replace) live in :class:`ReplacementMode`. The originator must be the remote
party holding the authorising role, and the command's sequence number must exceed that
party's current one. Each new certificate must be issued by a certificate of the
command's certification path (itself issued by the Root trust anchor, when the device
holds one) and be fit for the target cell. Each cell is reported on its own: the fit
ones are replaced, the others keep their certificate and report why (as RTDS devices
do). An injected fault replaces nothing: every fit cell then reports ``other``.

The floor sequence numbers of the command become the anti-replay floors of the remote
parties concerned: the replaced party takes the new floor (the authoriser itself when a
recovery mode replaces several parties), the others their own listed floors.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from firmware_emu.registry import (
    AlertRequest,
    CommandContext,
    CommandFailed,
    Outcome,
    UseCaseHandler,
)
from firmware_emu.state import (
    DeviceState,
    RemotePartyRole,
    ReplacementMode,
    StateError,
    TrustAnchorCell,
    TrustAnchorKeyUsage,
)
from firmware_emu.usecases.common import role_subjects
from firmware_emu.usecases.trust_anchor_cells import (
    CellKey,
    cell_ids,
    certificate_ids,
    state_cell_key,
    wire_cell_identifier,
    wire_role,
)
from gbcs.asn1 import (
    CANCEL_EXECUTION_TIME,
    CredentialsReplacementMode,
    RemotePartySeqNumberChange,
    ReplacementOutcome,
    StatusCode,
    TrustAnchorReplacement,
    UpdateSecurityCredentialsAlert,
    UpdateSecurityCredentialsCommand,
    UpdateSecurityCredentialsOutcome,
    UpdateSecurityCredentialsResponse,
    encode_der,
)
from gbcs.asn1.certificates import parse_certificate
from gbcs.asn1.payloads import Asn1MessageCode
from gbcs.errors import DecodeError

if TYPE_CHECKING:
    from firmware_emu.clock import ScheduledAction
    from firmware_emu.device import EmulatedDevice

CREDENTIALS_UPDATE_ACTION = "update-security-credentials"
"""Scheduler action id of a future-dated CS02b/CS02g (one pending update at a time)."""

_Wire = CredentialsReplacementMode
WIRE_MODE: dict[ReplacementMode, CredentialsReplacementMode] = {
    ReplacementMode.ROOT_BY_SUPPLIER: _Wire.ROOT_BY_SUPPLIER,
    ReplacementMode.ROOT_BY_WAN_PROVIDER: _Wire.ROOT_BY_WAN_PROVIDER,
    ReplacementMode.SUPPLIER_BY_SUPPLIER: _Wire.SUPPLIER_BY_SUPPLIER,
    ReplacementMode.NETWORK_OPERATOR_BY_NETWORK_OPERATOR:
        _Wire.NETWORK_OPERATOR_BY_NETWORK_OPERATOR,
    ReplacementMode.ACCESS_CONTROL_BROKER_BY_ACCESS_CONTROL_BROKER:
        _Wire.ACCESS_CONTROL_BROKER_BY_ACB,
    ReplacementMode.WAN_PROVIDER_BY_WAN_PROVIDER: _Wire.WAN_PROVIDER_BY_WAN_PROVIDER,
    ReplacementMode.TRANSITIONAL_COS_BY_TRANSITIONAL_COS: _Wire.TRANSCOS_BY_TRANSCOS,
    ReplacementMode.SUPPLIER_BY_TRANSITIONAL_COS: _Wire.SUPPLIER_BY_TRANSCOS,
    ReplacementMode.ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY:
        _Wire.ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY,
    ReplacementMode.ANY_BY_CONTINGENCY: _Wire.ANY_BY_CONTINGENCY,
    ReplacementMode.LOAD_CONTROLLER_BY_LOAD_CONTROLLER: _Wire.LOAD_CONTROLLER_BY_LOAD_CONTROLLER,
    ReplacementMode.LOAD_CONTROLLER_BY_SUPPLIER: _Wire.LOAD_CONTROLLER_BY_SUPPLIER,
}
del _Wire

LOAD_CONTROLLER_MODES = frozenset({ReplacementMode.LOAD_CONTROLLER_BY_LOAD_CONTROLLER,
                                   ReplacementMode.LOAD_CONTROLLER_BY_SUPPLIER})


def outcome_alert_code(mode: ReplacementMode) -> int:
    """The message code of the future-dated outcome alert: CS02g's own, else CS02b's."""
    if mode in LOAD_CONTROLLER_MODES:
        return Asn1MessageCode.CS02G_FUTURE_DATED_UPDATE_SECURITY_CREDENTIALS_ALERT
    return Asn1MessageCode.FUTURE_DATED_UPDATE_SECURITY_CREDENTIALS_ALERT


def floor_role(mode: ReplacementMode) -> RemotePartyRole:
    """Whose anti-replay floor the command's ``new_floor_seq_number`` sets."""
    replaceable = mode.replaceable_roles
    return next(iter(replaceable)) if len(replaceable) == 1 else mode.authorising_role


# ------------------------------------------------------------------------------------
# Authorisation (before anything is accepted or executed)
# ------------------------------------------------------------------------------------


def authorise(state: DeviceState, mode: ReplacementMode, command: UpdateSecurityCredentialsCommand,
              originator: bytes) -> list[CellKey]:
    """The target cells, once the command has proved it may replace them; CommandFailed
    (the command is discarded) otherwise."""
    control = command.control
    if control.replacement_mode != WIRE_MODE[mode]:
        raise CommandFailed(f"replacement mode {control.replacement_mode} does not match "
                            f"the message code of {mode.name}")
    authoriser = mode.authorising_role
    if originator not in role_subjects(state, authoriser):
        raise CommandFailed(f"the originator does not hold the {authoriser.name} trust anchor")
    if control.authorising_cell is not None:
        key = state_cell_key(control.authorising_cell)
        if key is None or key[0] is not authoriser or state.trust_anchors.find(*key) is None:
            raise CommandFailed("the authorising cell is not one of the authoriser's cells")
    current = state.trust_anchors.sequence_number(authoriser)
    if control.seq_number <= current:
        raise CommandFailed(f"sequence number {control.seq_number} is not above {current}")
    targets = []
    for replacement in command.replacements:
        key = state_cell_key(replacement.target_cell)
        if key is None or key[0] not in mode.replaceable_roles:
            raise CommandFailed(f"{mode.name} cannot replace {replacement.target_cell}")
        if key in targets:
            raise CommandFailed(f"two certificates for {replacement.target_cell}")
        targets.append(key)
    return targets


# ------------------------------------------------------------------------------------
# Execution
# ------------------------------------------------------------------------------------


def _issued_by_any(certificate: x509.Certificate, issuers: list[x509.Certificate]) -> bool:
    for issuer in issuers:
        try:
            certificate.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def _new_cell(state: DeviceState, key: CellKey, replacement: TrustAnchorReplacement,
              path: list[x509.Certificate]) -> TrustAnchorCell | StatusCode:
    """The cell ``replacement`` would put in place, or why it cannot."""
    der = encode_der(replacement.certificate)
    try:
        info = parse_certificate(der)
        certificate = x509.load_der_x509_certificate(der)
    except (DecodeError, ValueError):
        return StatusCode.BAD_CERTIFICATE
    role, usage, cell_usage = key
    if not int(info.key_usage) & int(usage):
        return StatusCode.BAD_CERTIFICATE
    if role is RemotePartyRole.ROOT:
        anchors = [certificate]  # a new Root is self-signed
    else:
        anchors = path
        root = state.trust_anchors.find(RemotePartyRole.ROOT, TrustAnchorKeyUsage.KEY_CERT_SIGN)
        if root is not None and not any(
                _issued_by_any(issuer, [x509.load_der_x509_certificate(root.certificate_der)])
                for issuer in path):
            return StatusCode.NO_TRUST_ANCHOR
    if not _issued_by_any(certificate, anchors):
        return StatusCode.NO_TRUST_ANCHOR
    unique_id, _ = certificate_ids(der)
    try:
        return TrustAnchorCell(role, usage, unique_id, der, cell_usage)
    except StateError:
        return StatusCode.BAD_CERTIFICATE


def seq_number_changes(mode: ReplacementMode, command: UpdateSecurityCredentialsCommand
                       ) -> tuple[RemotePartySeqNumberChange, ...]:
    control = command.control
    changes: list[RemotePartySeqNumberChange] = []
    if control.new_floor_seq_number is not None:
        changes.append(RemotePartySeqNumberChange(
            wire_role(floor_role(mode)), control.new_floor_seq_number,
            control.new_specialist_floor_seq_numbers))
    return (*changes, *(control.other_seq_number_changes or ()))


def execute(state: DeviceState, mode: ReplacementMode, command: UpdateSecurityCredentialsCommand,
            targets: list[CellKey] | None, *, fault: bool) -> UpdateSecurityCredentialsOutcome:
    """Replace the fit target cells and report each one. ``targets`` None: the command
    may no longer be executed (every cell fails)."""
    path = []
    for node in command.certification_path:
        try:
            path.append(x509.load_der_x509_certificate(encode_der(node)))
        except ValueError:
            continue
    keys = targets or [state_cell_key(r.target_cell) for r in command.replacements]
    results: list[TrustAnchorCell | StatusCode] = [
        StatusCode.OTHER if targets is None or key is None
        else _new_cell(state, key, replacement, path)
        for key, replacement in zip(keys, command.replacements, strict=True)]
    new_cells = [] if fault else [result for result in results
                                  if isinstance(result, TrustAnchorCell)]
    outcomes = []
    for replacement, key, result in zip(command.replacements, keys, results, strict=True):
        existing = cell_ids(state.trust_anchors.find(*key) if key else None)
        if result in new_cells:
            new_ids, status = cell_ids(result), StatusCode.SUCCESS  # type: ignore[arg-type]
        else:
            new_ids = existing
            status = result if isinstance(result, StatusCode) else StatusCode.OTHER
        outcomes.append(ReplacementOutcome(
            wire_cell_identifier(key) if key else replacement.target_cell, status,
            *existing, *new_ids))
    changes = seq_number_changes(mode, command)
    if new_cells:
        state.trust_anchors.replace(mode, command.control.seq_number, new_cells)
        _apply_floors(state, changes)
    return UpdateSecurityCredentialsOutcome(command.control.seq_number, WIRE_MODE[mode],
                                            changes, tuple(outcomes))


def _apply_floors(state: DeviceState, changes: tuple[RemotePartySeqNumberChange, ...]) -> None:
    for change in changes:
        try:
            role = RemotePartyRole(int(change.remote_party_role))
        except ValueError:
            continue
        for eui in role_subjects(state, role):
            state.counters.floors[eui] = change.floor_seq_number


# ------------------------------------------------------------------------------------
# The handler and the future-dated runner
# ------------------------------------------------------------------------------------


def update_security_credentials(ctx: CommandContext) -> Outcome:
    command: UpdateSecurityCredentialsCommand = ctx.command.payload
    mode = ReplacementMode(ctx.command.message_code)
    header = ctx.command.header
    targets = authorise(ctx.state, mode, command, header.originator)
    scheduler = ctx.state.scheduler
    if command.execution_time == CANCEL_EXECUTION_TIME:
        if CREDENTIALS_UPDATE_ACTION in scheduler:
            scheduler.cancel(CREDENTIALS_UPDATE_ACTION)
        return Outcome(UpdateSecurityCredentialsResponse())
    if command.execution_time is not None:
        # A fault strikes the execution: the update is accepted, its alert reports 8F67.
        scheduler.schedule(command.execution_time, CREDENTIALS_UPDATE_ACTION, {
            "message_code": ctx.command.message_code, "command": command.to_bytes().hex(),
            "originator": header.originator.hex(), "fault": ctx.fault is not None,
        }, replace=True)
        return Outcome(UpdateSecurityCredentialsResponse())
    outcome = execute(ctx.state, mode, command, targets, fault=ctx.fault is not None)
    return Outcome(UpdateSecurityCredentialsResponse(outcome))


def run_scheduled_update(device: EmulatedDevice, action: ScheduledAction, now: datetime
                         ) -> list[AlertRequest]:
    """Execute a future-dated update now due; the alert goes to its originator."""
    payload = action.payload
    mode = ReplacementMode(payload["message_code"])
    command = UpdateSecurityCredentialsCommand.from_bytes(bytes.fromhex(payload["command"]))
    originator = bytes.fromhex(payload["originator"])
    try:
        targets: list[CellKey] | None = authorise(device.state, mode, command, originator)
    except CommandFailed:
        targets = None
    outcome = execute(device.state, mode, command, targets, fault=bool(payload["fault"]))
    alert = UpdateSecurityCredentialsAlert.reporting(outcome, action.due_at)
    return [AlertRequest(outcome_alert_code(mode), alert, critical=True, recipient=originator)]


CREDENTIALS_UPDATE_USE_CASES: tuple[UseCaseHandler, ...] = (
    UseCaseHandler(tuple(mode.message_code for mode in ReplacementMode),
                   update_security_credentials, "CS02b/CS02g Update Security Credentials"),
)
