"""The DCC's checks on an incoming service request, giving the DUIS response code.

:class:`DccValidator` holds what the checks need: the SMI (:class:`Inventory`), the user
directory, the DCC's own EUI-64 and a :class:`RequestLog` of accepted requests (for
duplicates, sequencing and future-dated cancellation). :meth:`DccValidator.validate`
runs :data:`CHECKS` in order; the first failure is the response, otherwise I99 (or
W081401 for an 8.14.2 warning). The order is
:data:`~firmware_emu.dcc.response_codes.VALIDATION_PRECEDENCE`, which puts E4 before E13
and E11 as the response-code tests require.

Rules that the seeds state: eligibility per role (E2), CV per SRV (E12), the E4
precedence, 8.14.2's exemption from E5, 6.28 (E062801/E062802), 8.9 (E080902/E080903),
8.11 SMETS2 install codes (E081111), 8.14.2 (E081401/E081402/W081401), SMETS2 PPMIDs
rejected for 11.2/11.3 (E11), FD=DSP dates within 30 days or 3000-12-31T00:00:00Z.
Inferred (not in the seeds): which SMI statuses an SRV accepts (E5), authorisation for a
CH or HAN device through the meters on its CHF (E4), no local delivery for RSA and MDR
(E17), sequenced requests only as CV1/CV5 (E45), SMETS1 CVs (E61), GBCS version limits
(E57), 3000-12-31T00:00:00Z as a cancellation (E52), data-item faults as E49.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from firmware_emu.dcc.inventory import (
    MPAN_PATTERN,
    MPRN_PATTERN,
    DeviceRecord,
    DeviceType,
    GbcsVersion,
    Inventory,
    SmetsGeneration,
    SmiStatus,
)
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import (
    SMETS1_ONLY_ELIGIBILITY,
    DccInputError,
    DccUser,
    UserDirectory,
    UserRole,
    is_eligible,
    parse_eui64,
)
from firmware_emu.dcc.service_request import (
    DCC_BUSINESS_TARGET_ID,
    RequestUrl,
    ServiceRequest,
    parameter_problems,
)
from firmware_emu.dcc.srv_catalogue import CommandVariant, FutureDating, TargetKind
from firmware_emu.dcc.subghz_rules import check_subghz_configuration


class ValidationSetupError(DccInputError):
    """The validator was called with something other than a request and an aware time."""


_S = SmiStatus
_INSTALLED = frozenset({_S.INSTALLED_NOT_COMMISSIONED, _S.COMMISSIONED})
ALLOWED_TARGET_STATUSES: Mapping[str, frozenset[SmiStatus] | None] = MappingProxyType({
    "8.1.1": frozenset({_S.INSTALLED_NOT_COMMISSIONED}),
    "8.3": frozenset({_S.INSTALLED_NOT_COMMISSIONED, _S.COMMISSIONED, _S.SUSPENDED}),
    "8.7.1": _INSTALLED, "8.7.2": _INSTALLED, "8.11": _INSTALLED,
    "8.12.1": _INSTALLED, "8.12.2": _INSTALLED,
    "8.14.1": frozenset({_S.PENDING, _S.INSTALLED_NOT_COMMISSIONED}),
    "8.14.2": None,  # MP081: the E5 device-status check is not applied
    "8.14.3": frozenset({_S.PENDING, _S.INSTALLED_NOT_COMMISSIONED, _S.COMMISSIONED}),
    "8.14.4": frozenset({_S.PENDING, _S.INSTALLED_NOT_COMMISSIONED, _S.COMMISSIONED}),
    "11.1": frozenset({_S.COMMISSIONED, _S.SUSPENDED}),
    "11.2": frozenset({_S.COMMISSIONED, _S.SUSPENDED}),
    "11.3": frozenset({_S.COMMISSIONED, _S.SUSPENDED}),
})
"""SRV -> SMI statuses its target may have (E5); others need Commissioned (inferred)."""
DEFAULT_TARGET_STATUSES = frozenset({_S.COMMISSIONED})

LOCAL_DELIVERY_ROLES = frozenset(UserRole) - {UserRole.REGISTERED_SUPPLIER_AGENT,
                                               UserRole.METER_DATA_RETRIEVER}
"""Roles that may use CV2/3/6/7: RSA and MDR have local-delivery cells neither in the CTSD
nor in the Stage-1 catalogue (ES has 8.13 there), so they get E17."""
SEQUENCED_VARIANTS = frozenset({CommandVariant.SEND, CommandVariant.SEND_CRITICAL})
SMETS1_VARIANTS = frozenset({CommandVariant.SEND, CommandVariant.TRANSFORM,
                             CommandVariant.DCC_ONLY})
SMETS1_ONLY_TARGETS: Mapping[str, frozenset[DeviceType]] = MappingProxyType({
    "11.2": frozenset({DeviceType.PPMID}), "11.3": frozenset({DeviceType.PPMID}),
})
"""SRV -> device types it accepts only as SMETS1 devices (CR1045)."""
DSP_HORIZON = timedelta(days=30)
CANCEL_EXECUTION_DATETIME = datetime(3000, 12, 31, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    response_code: ResponseCode
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return not self.response_code.is_error


@dataclass(slots=True)
class RequestLog:
    """Accepted requests the DCC still remembers."""

    in_progress: dict[str, ServiceRequest] = field(default_factory=dict)
    preceding_of: dict[str, str | None] = field(default_factory=dict)
    successor_of: dict[str, str] = field(default_factory=dict)
    last_in_sequence: set[str] = field(default_factory=set)
    held_for_dsp: dict[str, ServiceRequest] = field(default_factory=dict)

    def held_request_to_cancel(self, request: ServiceRequest) -> str | None:
        for request_id, held in self.held_for_dsp.items():
            if (held.user_id, held.srv_id, held.target_id) == (
                    request.user_id, request.srv_id, request.target_id):
                return request_id
        return None


@dataclass(frozen=True, slots=True)
class _Context:
    request: ServiceRequest
    user: DccUser | None
    device: DeviceRecord | None  # the target, when it is in the inventory
    now: datetime


_Failure = tuple[ResponseCode, str] | None


@dataclass(slots=True)
class DccValidator:
    inventory: Inventory
    users: UserDirectory
    dcc_id: str = DCC_BUSINESS_TARGET_ID
    upper_band_two_channel_rule: bool = True
    log: RequestLog = field(default_factory=RequestLog)

    def __post_init__(self) -> None:
        self.dcc_id = parse_eui64(self.dcc_id, what="DCC id")

    def validate(self, request: ServiceRequest, *, now: datetime | None = None
                 ) -> ValidationOutcome:
        """The response code the DCC gives ``request`` at ``now`` (UTC; default: the clock)."""
        if not isinstance(request, ServiceRequest):
            raise ValidationSetupError(f"expected a ServiceRequest, not {type(request).__name__}")
        now = datetime.now(UTC) if now is None else now
        if not isinstance(now, datetime) or now.utcoffset() is None:
            raise ValidationSetupError("now must be a date-time with a UTC offset")
        context = _Context(request, self.users.find(request.user_id),
                           self.inventory.find(request.target_id), now.astimezone(UTC))
        for _codes, check in CHECKS:
            failure = check(self, context)
            if failure is not None:
                return ValidationOutcome(*failure)
        if request.srv_id == "8.14.2" and context.device is not None \
                and context.device.status is not _S.INSTALLED_NOT_COMMISSIONED:
            return ValidationOutcome(ResponseCode.W081401,
                                     f"CHF status is {context.device.status}")
        return ValidationOutcome(ResponseCode.I99)

    def submit(self, request: ServiceRequest, *, now: datetime | None = None
               ) -> ValidationOutcome:
        """Validate ``request`` and, if accepted, remember it as in progress."""
        outcome = self.validate(request, now=now)
        if outcome.accepted:
            log, request_id = self.log, request.request_id
            log.in_progress[request_id] = request
            if request.sequencing is not None:
                preceding = request.sequencing.preceding_request_id
                log.preceding_of[request_id] = preceding
                if preceding is not None:
                    log.successor_of[preceding] = request_id
                if request.sequencing.last_in_sequence:
                    log.last_in_sequence.add(request_id)
            if request.execution_datetime == CANCEL_EXECUTION_DATETIME:
                log.held_for_dsp.pop(log.held_request_to_cancel(request) or "", None)
            elif _dsp_future_dated(request):
                log.held_for_dsp[request_id] = request
        return outcome

    def complete(self, request_id: str) -> None:
        """The request has been executed: its ID may be reused (E55), it can't be cancelled."""
        self.log.in_progress.pop(request_id, None)
        self.log.held_for_dsp.pop(request_id, None)


def _dsp_future_dated(request: ServiceRequest) -> bool:
    return (request.execution_datetime not in (None, CANCEL_EXECUTION_DATETIME)
            and request.srv.future_dating is FutureDating.DSP)


def _device_target(context: _Context) -> bool:
    return context.request.srv.target_kind is TargetKind.DEVICE


# ------------------------------------------------------------- who asks, and for what


def _check_user(v: DccValidator, c: _Context) -> _Failure:
    if c.user is None:
        return ResponseCode.E1, f"user {c.request.user_id} is not a DCC user"
    if c.request.user_role not in c.user.roles:
        return ResponseCode.E1, f"user {c.user.user_id} does not hold role {c.request.user_role}"
    return None


def _check_user_status(v: DccValidator, c: _Context) -> _Failure:
    if c.user.suspended:
        return ResponseCode.E3, f"user {c.request.user_id} is suspended"
    return None


def _check_service_reference(v: DccValidator, c: _Context) -> _Failure:
    header, srv = c.request.header_service_reference, c.request.srv
    if header != srv.service_reference:
        return ResponseCode.E48, f"Service Reference {header} does not match SRV {srv.srv_id}"
    return None


def _check_eligibility(v: DccValidator, c: _Context) -> _Failure:
    if not is_eligible(c.request.user_role, c.request.srv_id):
        return ResponseCode.E2, f"role {c.request.user_role} may not send SRV {c.request.srv_id}"
    return None


def _check_command_variant(v: DccValidator, c: _Context) -> _Failure:
    variant, srv = c.request.command_variant, c.request.srv
    if variant not in srv.command_variants:
        allowed = ", ".join(str(int(cv)) for cv in sorted(srv.command_variants))
        return ResponseCode.E12, f"SRV {srv.srv_id} takes CV {allowed}, not {int(variant)}"
    return None


# ------------------------------------------------------------------ the target device


def _check_device_exists(v: DccValidator, c: _Context) -> _Failure:
    target = c.request.target_id
    if _device_target(c) and c.device is None:
        return ResponseCode.E19, f"device {target} is not in the inventory"
    if not _device_target(c) and c.device is None and target != v.dcc_id:
        return ResponseCode.E19, f"{target} is neither the DCC nor a device"
    return None


def _authorised(v: DccValidator, c: _Context) -> bool:
    role, device = c.request.user_role, c.device
    if not role.needs_registration or device.is_registered(c.user, role):
        return True
    # A CH or HAN device serves the premises: registration for any device on the same CHF
    # authorises it (inferred), except for an MDR, which only addresses ESMEs (MP260).
    chf_id = device.device_id if device.device_type is DeviceType.CHF else device.chf_id
    if device.device_type in (DeviceType.ESME, DeviceType.GSME) or chf_id is None \
            or role is UserRole.METER_DATA_RETRIEVER:
        return False
    related = [v.inventory.find(chf_id), *v.inventory.devices_on_chf(chf_id)]
    return any(other is not None and other.is_registered(c.user, role) for other in related)


def _check_device_authorisation(v: DccValidator, c: _Context) -> _Failure:
    if not _device_target(c):
        return None
    request, device = c.request, c.device
    if (request.srv_id, request.user_role) in SMETS1_ONLY_ELIGIBILITY \
            and device.smets is not SmetsGeneration.SMETS1:
        return ResponseCode.E4, (f"role {request.user_role} may send SRV {request.srv_id} "
                                 "to SMETS1 devices only")
    if not _authorised(v, c):
        return ResponseCode.E4, (f"user {request.user_id} is not registered as "
                                 f"{request.user_role} for device {device.device_id}")
    return None


def _check_url(v: DccValidator, c: _Context) -> _Failure:
    request = c.request
    expected = RequestUrl.for_variant(request.command_variant)
    if request.request_url is not expected:
        return ResponseCode.E13, (f"CV{int(request.command_variant)} requests go to the "
                                  f"{expected.value} URL, not {request.request_url.value}")
    return None


def _check_device_type(v: DccValidator, c: _Context) -> _Failure:
    srv, device = c.request.srv, c.device
    if not _device_target(c):
        return (ResponseCode.E11, f"SRV {srv.srv_id} is addressed to the DCC, not to "
                f"device {device.device_id}") if device is not None else None
    if device.device_type not in srv.target_types:
        return ResponseCode.E11, f"SRV {srv.srv_id} cannot target a {device.device_type}"
    if device.device_type in SMETS1_ONLY_TARGETS.get(srv.srv_id, ()) \
            and device.smets is not SmetsGeneration.SMETS1:
        return ResponseCode.E11, f"SRV {srv.srv_id} cannot target a SMETS2 {device.device_type}"
    return None


def _smets1_target(c: _Context) -> bool:
    return _device_target(c) and c.device.smets is SmetsGeneration.SMETS1


def _check_smets1_srv(v: DccValidator, c: _Context) -> _Failure:
    if _smets1_target(c) and not c.request.srv.smets1:
        return ResponseCode.E60, f"SRV {c.request.srv_id} is not available for SMETS1 devices"
    return None


def _check_smets1_variant(v: DccValidator, c: _Context) -> _Failure:
    variant = c.request.command_variant
    redefined = c.request.srv_id == "2.2" and variant in (2, 3)  # SMETS1 top-up CV rule
    if _smets1_target(c) and variant not in SMETS1_VARIANTS and not redefined:
        return ResponseCode.E61, f"CV{int(variant)} is not available for SMETS1 devices"
    return None


def _check_device_status(v: DccValidator, c: _Context) -> _Failure:
    if not _device_target(c):
        return None
    allowed = ALLOWED_TARGET_STATUSES.get(c.request.srv_id, DEFAULT_TARGET_STATUSES)
    if allowed is not None and c.device.status not in allowed:
        return ResponseCode.E5, (f"device {c.device.device_id} is {c.device.status}; SRV "
                                 f"{c.request.srv_id} needs {' or '.join(sorted(allowed))}")
    return None


def _check_gbcs_version(v: DccValidator, c: _Context) -> _Failure:
    if not _device_target(c):
        return None
    srv, device, version = c.request.srv, c.device, c.device.gbcs_version
    if srv.dual_band_only and not device.dual_band:
        return ResponseCode.E57, f"SRV {srv.srv_id} needs a dual band CHF"
    if version is not None and srv.min_gbcs is not None and not version.at_least(srv.min_gbcs):
        return ResponseCode.E57, f"SRV {srv.srv_id} needs GBCS v{srv.min_gbcs.value} or later"
    if version is not None and srv.withdrawn_from_gbcs is not None \
            and version.at_least(srv.withdrawn_from_gbcs):
        return ResponseCode.E57, (f"SRV {srv.srv_id} is not available from GBCS "
                                  f"v{srv.withdrawn_from_gbcs.value}")
    return None


def _check_local_delivery(v: DccValidator, c: _Context) -> _Failure:
    request = c.request
    if request.command_variant.local_delivery and request.user_role not in LOCAL_DELIVERY_ROLES:
        return ResponseCode.E17, f"role {request.user_role} may not use local delivery"
    return None


# ------------------------------------------------------------ request bookkeeping


def _check_duplicate(v: DccValidator, c: _Context) -> _Failure:
    if c.request.request_id in v.log.in_progress:
        return ResponseCode.E55, f"request id {c.request.request_id} is still being processed"
    return None


def _check_sequencing(v: DccValidator, c: _Context) -> _Failure:
    request, sequencing = c.request, c.request.sequencing
    if sequencing is None:
        return None
    preceding = sequencing.preceding_request_id
    if sequencing.first_in_sequence:
        return (ResponseCode.E40, "a first request in sequence has no preceding request") \
            if preceding is not None else None
    if preceding is None or preceding in v.log.successor_of:
        return ResponseCode.E41, f"preceding request {preceding} is missing or already used"
    chain, step = [], preceding
    while step is not None and step not in chain:
        if step == request.request_id:
            return ResponseCode.E42, "the preceding requests loop back to this request"
        chain.append(step)
        step = v.log.preceding_of.get(step)
    if request.command_variant not in SEQUENCED_VARIANTS:
        return ResponseCode.E45, f"CV{int(request.command_variant)} cannot be sequenced"
    if any(step in v.log.last_in_sequence for step in chain):
        return ResponseCode.E46, "an earlier request of the sequence was last in sequence"
    if _dsp_future_dated(request):
        return ResponseCode.E53, "a future dated (DSP) request must be first in sequence"
    return None


# ------------------------------------------------------------------- data items


def _execution_problem(c: _Context) -> str | None:
    request, when = c.request, c.request.execution_datetime
    fd = request.srv.future_dating
    if when is None or (fd is FutureDating.DSP and when == CANCEL_EXECUTION_DATETIME):
        return None
    if fd is FutureDating.NONE:
        return f"SRV {request.srv_id} cannot be future dated"
    if when <= c.now:
        return f"execution date-time {when.isoformat()} is not in the future"
    if fd is FutureDating.DSP and when > c.now + DSP_HORIZON:
        return (f"execution date-time {when.isoformat()} is more than 30 days ahead "
                "(or 3000-12-31T00:00:00Z to cancel)")
    return None


def _device_data_problem(c: _Context) -> str | None:
    items, device = c.request.parameters, c.device
    mpxn = items.get("ImportMPxN")
    if c.request.srv_id == "6.20.1" and device is not None and isinstance(mpxn, str):
        pattern = MPAN_PATTERN if device.device_type is DeviceType.ESME else MPRN_PATTERN
        if not pattern.fullmatch(mpxn):
            kind = "an MPAN (13 digits)" if pattern is MPAN_PATTERN else "an MPRN (6-10 digits)"
            return f"ImportMPxN of a {device.device_type} must be {kind}"
    start = items.get("ScheduleStartDate")
    if c.request.srv_id == "5.1" and start is not None and start <= c.now.date():
        return "ScheduleStartDate must be a UTC date in the future"
    return None


def _check_data_items(v: DccValidator, c: _Context) -> _Failure:
    problems = parameter_problems(c.request)
    problem = problems[0] if problems else _execution_problem(c) or _device_data_problem(c)
    return (ResponseCode.E49, problem) if problem else None


def _check_cancellation(v: DccValidator, c: _Context) -> _Failure:
    request = c.request
    if request.execution_datetime == CANCEL_EXECUTION_DATETIME \
            and request.srv.future_dating is FutureDating.DSP \
            and v.log.held_request_to_cancel(request) is None:
        return ResponseCode.E52, "no future dated (DSP) request to cancel"
    return None


# ----------------------------------------------------------- SRV-specific validation


def _check_subghz(v: DccValidator, c: _Context) -> _Failure:
    if c.request.srv_id != "6.28":
        return None
    violation = check_subghz_configuration(
        c.request.parameters, upper_band_two_channel_rule=v.upper_band_two_channel_rule)
    return None if violation is None else (violation.code, violation.detail)


def _check_install_code(v: DccValidator, c: _Context) -> _Failure:
    code = c.request.parameters.get("InstallCode")
    if c.request.srv_id != "8.11" or not isinstance(code, str):
        return None
    joining = v.inventory.find(c.request.parameters.get("DeviceID"))
    smets = (joining or c.device).smets
    if smets is SmetsGeneration.SMETS2 and len(code) != 32:
        return ResponseCode.E081111, f"InstallCode has {len(code)} characters, not 32"
    return None


def _check_read_device_log(v: DccValidator, c: _Context) -> _Failure:
    if c.request.srv_id != "8.9" or c.request.parameters.get("ReadSecurityDetails") is not True:
        return None
    if c.device.device_type is not DeviceType.CHF:
        return ResponseCode.E080903, f"ReadSecurityDetails given for a {c.device.device_type}"
    version = c.device.gbcs_version
    if version is not None and not version.at_least(GbcsVersion.V3_2):
        return ResponseCode.E080902, f"a GBCS v{version.value} CHF cannot read security details"
    return None


def _check_ch_status_update(v: DccValidator, c: _Context) -> _Failure:
    if c.request.srv_id != "8.14.2":
        return None
    if c.device.device_type is not DeviceType.CHF:
        return ResponseCode.E081401, f"device {c.device.device_id} is not a CHF"
    installed = c.request.parameters.get("InstallDateTime")
    if isinstance(installed, datetime) and installed > c.now:
        return ResponseCode.E081402, "InstallDateTime is in the future"
    return None


_Check = Callable[[DccValidator, _Context], _Failure]
_R = ResponseCode
CHECKS: tuple[tuple[tuple[ResponseCode, ...], _Check], ...] = (
    ((_R.E1,), _check_user),
    ((_R.E3,), _check_user_status),
    ((_R.E48,), _check_service_reference),
    ((_R.E2,), _check_eligibility),
    ((_R.E12,), _check_command_variant),
    ((_R.E19,), _check_device_exists),
    ((_R.E4,), _check_device_authorisation),
    ((_R.E13,), _check_url),
    ((_R.E11,), _check_device_type),
    ((_R.E60,), _check_smets1_srv),
    ((_R.E61,), _check_smets1_variant),
    ((_R.E5,), _check_device_status),
    ((_R.E57,), _check_gbcs_version),
    ((_R.E17,), _check_local_delivery),
    ((_R.E55,), _check_duplicate),
    ((_R.E40, _R.E41, _R.E42, _R.E45, _R.E46, _R.E53), _check_sequencing),
    ((_R.E49,), _check_data_items),
    ((_R.E52,), _check_cancellation),
    ((_R.E062801, _R.E062802), _check_subghz),
    ((_R.E081111,), _check_install_code),
    ((_R.E080903, _R.E080902), _check_read_device_log),
    ((_R.E081401, _R.E081402), _check_ch_status_update),
)
"""(codes a check can give, check) in the order the DCC applies them."""
