"""Service request -> protected GBCS command (primer §3.4, §4.1, §7.5).

:meth:`Transformer.plan` picks the row of :mod:`firmware_emu.dcc.transform_table` for the
request and its target, builds the Grouping Header and the payload, and returns a
:class:`PlannedCommand`; the DCC then either returns its PRECOMMAND to the user
(critical, CV4) or protects it (:meth:`Transformer.protect`).

Who originates (when the row does not say):

* a critical command: the user's remote party, which signs the PRECOMMAND (CV5); the ACB
  adds the MAC;
* otherwise the ACB on the user's behalf, with the supplementary remote-party id and the
  request's counter in Other-Information, when the user's role has no trust anchor on
  devices (ES, RSA, MDR, OU), when the target is a CHF (CHF use cases are all
  ACB-originated, primer §11), or when the target is a PPMID or HCALCS and the use case
  has an ACB-originated variant (CS08, CS07);
* otherwise the user's remote party; the ACB MACs the command.

A row may name the originator instead: the ACB (without supplementary fields) or the
Transitional CoS party (6.23), either of which then also signs the command. Their
counters, like the ACB's own, start at :data:`ACB_FIRST_COUNTER`.

Originator counters are strictly increasing per originator (:class:`OriginatorCounters`,
kept in the DCC's state): a user-originated command carries the request's counter unless
that is not above the last one used, in which case the next free one. UTRN commands use
the supplier's next multiple of 2**32 (primer §7.8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from firmware_emu.dcc.inventory import DeviceRecord, DeviceType, Inventory
from firmware_emu.dcc.pki import DccPki, PartyName, PkiError, RemoteParty
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import parse_eui64
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.srv_catalogue import FutureDating
from firmware_emu.dcc.transform_rows import (
    BuildContext,
    CommandRow,
    DeviceLogBackups,
    Originator,
    Signer,
    TransformError,
)
from firmware_emu.dcc.transform_table import command_row
from gbcs.codes import use_case_for
from gbcs.crypto import SECURITY_CONTROL_AUTHENTICATED, compute_mac, sign
from gbcs.errors import GbcsError
from gbcs.framing.general_ciphering import MacEnvelope, encode_general_ciphering
from gbcs.framing.general_signing import Cra, GroupingHeader, OtherInformation
from gbcs.message import GbcsMessage, decode_message
from gbcs.secure import mac_key

ACB_FIRST_COUNTER = 1300
"""Where the ACB's own counter starts (0x514, as in the RTDS ACB-originated commands)."""
UTRN_COUNTER_STEP = 1 << 32
_HAN_DEVICES = frozenset({DeviceType.PPMID, DeviceType.HCALCS})


class CounterError(TransformError):
    """An originator counter that is not above the last one used."""


class SignedPreCommandError(TransformError):
    """A signed pre-command (CV5-7) the DCC refuses; ``response_code`` says why."""

    def __init__(self, message: str, response_code: ResponseCode) -> None:
        super().__init__(message)
        self.response_code = response_code


@dataclass(slots=True)
class OriginatorCounters:
    """The last originator counter used per originator (EUI-64 in upper-case hex)."""

    last: dict[str, int] = field(default_factory=dict)

    def last_used(self, eui: bytes) -> int | None:
        return self.last.get(eui.hex().upper())

    def next(self, eui: bytes, at_least: int = 0) -> int:
        used = self.last_used(eui)
        return at_least if used is None or at_least > used else used + 1

    def next_utrn(self, eui: bytes) -> int:
        used = self.last_used(eui) or 0
        return (used // UTRN_COUNTER_STEP + 1) * UTRN_COUNTER_STEP

    def use(self, eui: bytes, counter: int) -> None:
        used = self.last_used(eui)
        if used is not None and counter <= used:
            raise CounterError(f"originator counter {counter} of {eui.hex().upper()} is not "
                               f"above {used}")
        self.last[eui.hex().upper()] = counter

    def observe(self, eui: bytes, counter: int) -> None:
        self.last[eui.hex().upper()] = max(counter, self.last_used(eui) or 0)

    def to_dict(self) -> dict[str, int]:
        return dict(sorted(self.last.items()))

    @classmethod
    def from_dict(cls, data: Mapping[str, int]) -> OriginatorCounters:
        if not isinstance(data, Mapping) or not all(
                isinstance(value, int) and not isinstance(value, bool)
                for value in data.values()):
            raise TransformError("originator counters must map EUI-64s to integers")
        return cls({parse_eui64(key).replace("-", ""): value for key, value in data.items()})


@dataclass(frozen=True, slots=True)
class PlannedCommand:
    """A command built for a request, not yet protected."""

    request: ServiceRequest
    row: CommandRow
    message: GbcsMessage  # signature None when the user must sign, else b""
    originator: Originator
    signer: Signer

    @property
    def critical(self) -> bool:
        """The user signs it: CV4 returns :attr:`precommand`, CV5 brings it back signed."""
        return self.signer is Signer.USER

    @property
    def header(self) -> GroupingHeader:
        return self.message.header

    @property
    def precommand(self) -> bytes:
        return self.message.replace(signature=None).to_bytes()

    @property
    def description(self) -> str:
        return f"{self.row.use_case} (0x{self.row.message_code:04X})"


class Transformer:
    """Builds and protects the GBCS commands of service requests."""

    def __init__(self, pki: DccPki, inventory: Inventory,
                 counters: OriginatorCounters | None = None,
                 backups: DeviceLogBackups | None = None) -> None:
        self.pki = pki
        self.inventory = inventory
        self.counters = counters if counters is not None else OriginatorCounters()
        self.backups = backups if backups is not None else DeviceLogBackups()

    def row_for(self, request: ServiceRequest, device: DeviceRecord) -> CommandRow | None:
        return command_row(request, device, self.inventory)

    def plan(self, request: ServiceRequest, device: DeviceRecord, now: datetime
             ) -> PlannedCommand:
        row = self.row_for(request, device)
        if row is None:
            raise TransformError(f"no GBCS command of SRV {request.srv_id} for a "
                                 f"{device.device_type}")
        if (request.execution_datetime is not None
                and request.srv.future_dating is FutureDating.DEVICE
                and not row.future_dated):
            raise TransformError(f"device future dating of {row.use_case} is not supported")
        party = self.pki.party_for_user(request.user_id, request.user_role)
        signer = row.signer or (Signer.USER if request.srv.critical else Signer.NONE)
        originator = self._originator(row, signer, device, party)
        recipient = self._recipient(row, device)
        header = self._header(request, row, originator, party, recipient)
        context = BuildContext(request, device, recipient, header.originator,
                               header.originator_counter, now, self.pki, self.inventory, party,
                               self.backups)
        try:
            payload = row.build(context)
        except (GbcsError, ValueError) as error:
            if isinstance(error, TransformError):
                raise
            raise TransformError(f"{row.use_case}: {error}") from None
        signature = None if signer is Signer.USER else b""
        return PlannedCommand(request, row, GbcsMessage(header, payload, signature),
                              originator, signer)

    # -- header ---------------------------------------------------------------------
    @staticmethod
    def _originator(row: CommandRow, signer: Signer, device: DeviceRecord,
                    party: RemoteParty | None) -> Originator:
        if row.originator is not None:
            return row.originator
        if signer is Signer.USER:
            if party is None:
                raise TransformError(f"{row.use_case} must be signed by the user's remote "
                                     "party, and this user has none")
            return Originator.USER
        use_case = use_case_for(row.message_code)
        acb_variant = use_case is not None and use_case.acb_originated_variant
        if party is None or device.device_type is DeviceType.CHF or (
                acb_variant and device.device_type in _HAN_DEVICES):
            return Originator.ACB_FOR_USER
        return Originator.USER

    def _recipient(self, row: CommandRow, device: DeviceRecord) -> bytes:
        if row.via_gpf and device.device_type is DeviceType.GSME:
            if device.gpf_id is None:
                raise TransformError(f"GSME {device.device_id} is joined to no GPF")
            return _eui_bytes(device.gpf_id)
        return _eui_bytes(device.device_id)

    def _header(self, request: ServiceRequest, row: CommandRow, originator: Originator,
                party: RemoteParty | None, recipient: bytes) -> GroupingHeader:
        acb = self.pki.acb.eui
        if originator is Originator.USER:
            assert party is not None
            eui = party.eui
            counter = (self.counters.next_utrn(eui) if row.utrn
                       else self.counters.next(eui, request.counter))
            other = OtherInformation(row.message_code)
        else:
            eui = self._transcos() if originator is Originator.TRANSCOS else acb
            counter = self.counters.next(eui, ACB_FIRST_COUNTER)
            other = OtherInformation(row.message_code)
            if originator is Originator.ACB_FOR_USER:
                on_behalf = party.eui if party is not None else _eui_bytes(request.user_id)
                other = OtherInformation(row.message_code, on_behalf, request.counter)
        if row.utrn and originator is not Originator.USER:
            raise TransformError(f"{row.use_case} must be originated by the supplier")
        return GroupingHeader(Cra.COMMAND, counter, eui, recipient, other)

    def _transcos(self) -> bytes:
        try:
            return self.pki.party(PartyName.TRANSCOS).eui
        except PkiError as error:
            raise TransformError(str(error)) from None

    # -- protection -----------------------------------------------------------------
    def issue_precommand(self, planned: PlannedCommand) -> bytes:
        """The PRECOMMAND for the user to sign (CV4); its counter is now used."""
        self.counters.use(planned.header.originator, planned.header.originator_counter)
        return planned.precommand

    def protect(self, planned: PlannedCommand) -> bytes:
        """The command as sent: signed by its originator (the ACB or the Transitional CoS
        party) where the row says so, then MAC'd by the ACB."""
        if planned.critical:
            raise TransformError(f"{planned.description} must be signed by the user first")
        header = planned.header
        self.counters.use(header.originator, header.originator_counter)
        message = planned.message
        if planned.signer in (Signer.ACB, Signer.TRANSCOS):
            unsigned = message.replace(signature=None)
            message = message.replace(signature=sign(self.pki.keys.ds_private(header.originator),
                                                     unsigned.signed_bytes()))
        return self.mac(message.to_bytes(), header)

    def complete(self, signed: bytes, request: ServiceRequest,
                 expected_codes: frozenset[int]) -> tuple[GbcsMessage, bytes]:
        """Check a signed pre-command (CV5-7) and MAC it: (decoded command, wire).

        E51 when its message code is not one of the SRV's, E100 when it is not signed
        by the user's remote party.
        """
        try:
            message = decode_message(signed)
        except GbcsError as error:
            raise SignedPreCommandError(f"signed pre-command is malformed: {error}",
                                        ResponseCode.E100) from None
        header = message.header
        if header.cra != Cra.COMMAND or message.envelope is not None:
            raise SignedPreCommandError("signed pre-command is not a bare command APDU",
                                        ResponseCode.E100)
        if header.message_code not in expected_codes:
            raise SignedPreCommandError(
                f"message code 0x{header.message_code:04X} does not belong to SRV "
                f"{request.srv_id}", ResponseCode.E51)
        party = self.pki.party_for_user(request.user_id, request.user_role)
        if party is None or header.originator != party.eui or not message.is_signed \
                or not self.pki.signature_valid(message.signed_bytes(), message.signature,
                                                party):
            raise SignedPreCommandError("the pre-command is not signed by the user's "
                                        "remote party", ResponseCode.E100)
        self.counters.observe(header.originator, header.originator_counter)
        return message, self.mac(bytes(signed), header)

    def mac(self, apdu: bytes, header: GroupingHeader) -> bytes:
        """Wrap a General-Signing APDU in the ACB's General-Ciphering MAC (primer §4)."""
        try:
            key = mac_key(header, self.pki.keys, acb=self.pki.acb.eui)
        except GbcsError as error:
            raise TransformError(f"cannot MAC the command: {error}") from None
        tag = compute_mac(key, header.originator, 0, apdu, SECURITY_CONTROL_AUTHENTICATED)
        return encode_general_ciphering(MacEnvelope(SECURITY_CONTROL_AUTHENTICATED, 0, tag),
                                        apdu)


def _eui_bytes(text: str) -> bytes:
    return bytes.fromhex(text.replace("-", ""))
