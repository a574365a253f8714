"""The SRV catalogue: every Service Reference Variant of the seed digest's master table.

One :class:`SrvDefinition` row per SRV: name, target device types, criticality, allowed
command variants, future dating, SMETS1 support, DCC scheduling, whether the DCC handles it
alone (CV8, no GBCS), the GBCS use cases per device type, and the data items it takes.

Sources and inferences (digest §2.2; † there means "inferred, not in the seeds"):

* Target types: the digest's Dev column, narrowed or completed with the GBCS use-case
  targets of the primer's §9 table where the digest marks them †.
* Command variants follow criticality: non-critical device SRVs CV1-3, critical CV4-7,
  DCC-only CV8 (digest §2.1).
* Future dating: the seeds state FD=DSP for 4.1.1, 4.2, 8.9, 7.14, 7.15, FD=Device for
  6.14.3 and none for 7.13, 7.16. The same pattern is applied to the rest: Device where
  the GBCS use case is "capable of future dated invocation" (primer §9) or the device
  raises 0x8F66 for it, DSP for the other non-critical device SRVs, none otherwise. This
  reproduces every CV1-FD / CV5-FD cell of the CTSD matrices.
* Data items (:class:`ParameterSpec`) are declared for the SRVs the CTSD scenarios use
  (IC01, IC02, SR01-SR010 pieces, response-code tests) and for those whose data items
  the seeds give. Their XML element names follow DUIS style; the names of 12.2, 8.7.2,
  8.11 and 8.14.2 items are inferred. An SRV with ``parameters=None`` has no declared data
  items: any items are carried through unchecked (the generic mechanism).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import Enum, IntEnum
from types import MappingProxyType

from firmware_emu.dcc.inventory import MPAN_PATTERN, DeviceType, GbcsVersion
from firmware_emu.dcc.roles import DccInputError, InvalidEui64Error, UserRole, eligible_roles
from firmware_emu.dcc.roles import parse_eui64 as _parse_eui64


class UnknownSrvError(DccInputError):
    """A Service Reference Variant the catalogue does not hold."""


class CommandVariant(IntEnum):
    SEND = 1
    RETURN_FOR_LOCAL_DELIVERY = 2
    SEND_AND_RETURN_FOR_LOCAL_DELIVERY = 3
    TRANSFORM = 4
    SEND_CRITICAL = 5
    RETURN_CRITICAL_FOR_LOCAL_DELIVERY = 6
    SEND_AND_RETURN_CRITICAL_FOR_LOCAL_DELIVERY = 7
    DCC_ONLY = 8

    @property
    def critical(self) -> bool:
        return 4 <= self.value <= 7

    @property
    def local_delivery(self) -> bool:
        return self.value in (2, 3, 6, 7)


NON_CRITICAL_VARIANTS = frozenset(CommandVariant(v) for v in (1, 2, 3))
CRITICAL_VARIANTS = frozenset(CommandVariant(v) for v in (4, 5, 6, 7))


class FutureDating(Enum):
    NONE = "none"
    DSP = "DSP"  # the DCC holds the request and sends it at the execution time
    DEVICE = "Device"  # the device stores the command and raises 0x8F66 when it runs


class TargetKind(Enum):
    DEVICE = "device"  # BusinessTargetID is a device in the inventory
    DCC = "DCC"  # BusinessTargetID is the DCC; any device concerned is a data item


class ParameterKind(Enum):
    INTEGER = "integer"
    STRING = "string"
    HEX = "hex"  # xs:hexBinary: an even number of hex digits
    BASE64 = "base64"
    EUI64 = "EUI-64"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    DATETIME = "date-time"
    DATE = "date"
    TIME = "time"
    INTEGER_LIST = "integer list"


ParameterValue = int | str | bool | datetime | date | time | tuple[int, ...]

_PYTHON_TYPES: Mapping[ParameterKind, tuple[type, ...]] = {
    ParameterKind.INTEGER: (int,), ParameterKind.STRING: (str,), ParameterKind.HEX: (str,),
    ParameterKind.BASE64: (str,), ParameterKind.EUI64: (str,), ParameterKind.BOOLEAN: (bool,),
    ParameterKind.CHOICE: (str,), ParameterKind.DATETIME: (datetime,),
    ParameterKind.DATE: (date,), ParameterKind.TIME: (time,),
    ParameterKind.INTEGER_LIST: (tuple, list),
}


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """One data item of an SRV and its valid set.

    ``minimum``/``maximum`` bound an integer or each integer of a list; ``min_length``/
    ``max_length`` bound a string's characters or a list's items.
    """

    name: str
    kind: ParameterKind
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    example: ParameterValue | None = None
    description: str = ""

    def kind_problem(self, value: object) -> str | None:
        """Why ``value`` cannot be a ``kind`` value at all, or None."""
        wanted = _PYTHON_TYPES[self.kind]
        is_bool = isinstance(value, bool)
        if (not isinstance(value, wanted) or (is_bool and self.kind is not ParameterKind.BOOLEAN)
                or (isinstance(value, datetime) and self.kind is ParameterKind.DATE)):
            article = "an" if self.kind.value[0] in "aeiouAEIOU" else "a"
            return (f"{self.name} must be {article} {self.kind.value}, "
                    f"not {type(value).__name__}")
        if self.kind is ParameterKind.INTEGER_LIST and any(
                isinstance(item, bool) or not isinstance(item, int) for item in value):
            return f"{self.name} must be a list of integers"
        if self.kind is ParameterKind.DATETIME and value.utcoffset() is None:
            return f"{self.name} must carry a UTC offset"
        return None

    def problem(self, value: object) -> str | None:
        """Why ``value`` is outside this item's valid set, or None if it is valid."""
        problem = self.kind_problem(value)
        if problem is not None:
            return problem
        numbers: tuple[int, ...] = ()
        if self.kind is ParameterKind.INTEGER_LIST:
            numbers = tuple(value)
        elif self.kind is ParameterKind.INTEGER:
            numbers = (value,)
        for number in numbers:
            if self.minimum is not None and number < self.minimum:
                return f"{self.name} value {number} is below the minimum {self.minimum}"
            if self.maximum is not None and number > self.maximum:
                return f"{self.name} value {number} is above the maximum {self.maximum}"
        if isinstance(value, str | tuple | list):
            if self.min_length is not None and len(value) < self.min_length:
                return f"{self.name} is shorter than {self.min_length}"
            if self.max_length is not None and len(value) > self.max_length:
                return f"{self.name} is longer than {self.max_length}"
        return self._text_problem(value) if isinstance(value, str) else None

    def _text_problem(self, value: str) -> str | None:
        kind = self.kind
        if kind is ParameterKind.CHOICE and value not in self.choices:
            return f"{self.name} {value!r} is not one of {', '.join(self.choices)}"
        if kind is ParameterKind.HEX and not re.fullmatch(r"(?:[0-9A-Fa-f]{2})*", value):
            return f"{self.name} {value!r} is not hex (an even number of hex digits)"
        if kind is ParameterKind.EUI64:
            try:
                _parse_eui64(value, what=self.name)
            except InvalidEui64Error as error:
                return str(error)
        if kind is ParameterKind.BASE64:
            try:
                base64.b64decode(value, validate=True)
            except binascii.Error:
                return f"{self.name} is not base64"
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            return f"{self.name} {value!r} does not match the format {self.pattern}"
        return None


@dataclass(frozen=True, slots=True)
class GbcsUseCase:
    """A GBCS use case (and its message code) the DCC builds for an SRV and device type."""

    srv_id: str
    device_types: frozenset[DeviceType]
    use_case: str
    message_code: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class SrvDefinition:
    srv_id: str
    name: str
    target_types: frozenset[DeviceType]
    critical: bool
    command_variants: frozenset[CommandVariant]
    future_dating: FutureDating
    target_kind: TargetKind
    smets1: bool
    dcc_schedulable: bool = False
    min_gbcs: GbcsVersion | None = None
    withdrawn_from_gbcs: GbcsVersion | None = None
    dual_band_only: bool = False
    parameters: tuple[ParameterSpec, ...] | None = None
    extra_parameters_allowed: bool = False
    note: str = ""

    @property
    def service_reference(self) -> str:
        """The Service Reference (``"4.1"`` for SRV ``"4.1.1"``)."""
        return ".".join(self.srv_id.split(".")[:2])

    @property
    def dcc_only(self) -> bool:
        """Handled by the DCC alone: no GBCS command reaches a device."""
        return CommandVariant.DCC_ONLY in self.command_variants

    @property
    def eligible_roles(self) -> frozenset[UserRole]:
        return eligible_roles(self.srv_id)

    def parameter(self, name: str) -> ParameterSpec | None:
        return next((spec for spec in self.parameters or () if spec.name == name), None)

    def use_cases(self, device_type: DeviceType | None = None) -> tuple[GbcsUseCase, ...]:
        return tuple(uc for uc in GBCS_USE_CASES if uc.srv_id == self.srv_id
                     and (device_type is None or device_type in uc.device_types))


# =====================================================================================
# Data items
# =====================================================================================

_P, _K = ParameterSpec, ParameterKind
_GBCS_VERSIONS = tuple(version.value for version in GbcsVersion)
_SCHEDULE_FREQUENCIES = ("Daily", "Weekly", "Monthly", "Quarterly", "Half-Yearly", "Yearly")
_REQUEST_ID = r"[0-9A-F]{2}(-[0-9A-F]{2}){7}:[0-9A-F]{2}(-[0-9A-F]{2}){7}:[0-9]{1,20}"
_CHANNEL_ITEMS = (("LowerBandSubGHzChannels0To26", (1, 2)),
                  ("LowerBandSubGHzChannels27To34", (28, 29)),
                  ("LowerBandSubGHzChannels35To61", (36, 37)),
                  ("UpperBandSubGHzChannels0To26", (1, 2)))

_PARAMETERS: dict[str, tuple[ParameterSpec, ...]] = {
    "1.1.1": (_P("GasThresholdMatrix", _K.INTEGER_LIST, False, 0, 2**48 - 1, 1, 3,
                 example=(1000, 2000), description="gas block thresholds, Wh (SMETS2)"),),
    "4.1.1": (),
    "4.2": (),
    "5.1": (
        _P("ScheduleFrequency", _K.CHOICE, choices=_SCHEDULE_FREQUENCIES, example="Daily"),
        _P("ScheduleStartDate", _K.DATE, example=date(2030, 1, 1)),
        _P("ScheduleEndDate", _K.DATE, False, example=date(2030, 12, 31)),
        _P("ScheduleExecutionStartTime", _K.TIME, False),
        _P("KAPublicSecurityCredential", _K.BASE64, False),
        _P("DSPScheduledServiceReferenceVariant", _K.STRING, example="4.8.1"),
        _P("DeviceID", _K.EUI64, example="00-DB-12-34-56-78-90-A0"),
    ),
    "6.14.1": (_P("SwitchDescription", _K.STRING, False, max_length=22),),
    "6.20.1": (_P("ImportMPxN", _K.STRING, pattern="[0-9]{6,13}", example="1234567890123",
                  description="MPAN core (13 digits, ESME) or MPRN (6-10 digits, GSME)"),),
    "6.20.2": (_P("ExportMPAN", _K.STRING, pattern=MPAN_PATTERN.pattern,
                  example="1234567890124"),),
    "6.28": tuple(_P(name, _K.INTEGER_LIST, example=channels)
                  for name, channels in _CHANNEL_ITEMS),
    "8.1.1": (),
    "8.7.2": (_P("OtherDeviceID", _K.EUI64, example="00-DB-12-34-56-78-90-A3"),
              _P("OtherDeviceType", _K.CHOICE, choices=tuple(DeviceType), example="GPF")),
    "8.9": (_P("ReadSecurityDetails", _K.BOOLEAN, False),),
    "8.11": (
        _P("UpdateType", _K.CHOICE, choices=("Add", "Remove"), example="Add"),
        _P("DeviceID", _K.EUI64, example="00-DB-12-34-56-78-90-A0"),
        _P("InstallCode", _K.HEX, False, example="0123456789ABCDEF0123456789ABCDEF",
           description="required to Add; 32 hex characters for a SMETS2 device"),
        _P("JoinTimePeriod", _K.INTEGER, False, 1, 3600, example=90,
           description="seconds the CHF allows the device to join"),
    ),
    "8.13": (_P("OriginalRequestID", _K.STRING, False, pattern=_REQUEST_ID),
             _P("DeviceGBCSResponse", _K.BASE64, example="3wAB")),
    "8.14.2": (_P("InstallDateTime", _K.DATETIME,
                  example=datetime(2020, 1, 1, tzinfo=UTC)),),
    "12.2": (
        _P("DeviceID", _K.EUI64, example="00-DB-12-34-56-78-90-A0"),
        _P("DeviceType", _K.CHOICE, choices=tuple(DeviceType), example="ESME"),
        _P("DeviceManufacturer", _K.HEX, False, min_length=4, max_length=4),
        _P("DeviceModel", _K.HEX, False, min_length=8, max_length=8),
        _P("FirmwareVersion", _K.HEX, False, min_length=8, max_length=8),
        _P("ESMEVariant", _K.CHOICE, False, choices=tuple("ABCDEFG")),
        _P("GBCSVersion", _K.CHOICE, False, choices=_GBCS_VERSIONS,
           description="stands in for the CPL entry of the device model"),
    ),
}
_OPEN_PARAMETERS = frozenset({"1.1.1", "5.1", "6.14.1", "6.28"})
"""SRVs with more data items than declared here (the rest are carried unchecked)."""

# =====================================================================================
# The SRV table (digest §2.2 and the CRP612 SRVs)
# =====================================================================================

_DSP, _DEVICE, _NO_FD = FutureDating.DSP, FutureDating.DEVICE, FutureDating.NONE
_GBCS4 = GbcsVersion.V4_0
_ALL = "ESME GSME GPF CHF PPMID HCALCS Type2"


def _srv(srv_id: str, name: str, targets: str, *, critical: bool = False, s1: bool = False,
         fd: FutureDating | None = None, sched: bool = False, dcc: bool = False,
         to_dcc: bool = False, min_gbcs: GbcsVersion | None = None,
         withdrawn: GbcsVersion | None = None, note: str = "") -> SrvDefinition:
    if dcc:
        variants = frozenset({CommandVariant.DCC_ONLY})
    else:
        variants = CRITICAL_VARIANTS if critical else NON_CRITICAL_VARIANTS
    if fd is None:
        fd = _NO_FD if dcc or critical else _DSP
    return SrvDefinition(
        srv_id, name, frozenset(DeviceType(t) for t in targets.split()), critical, variants,
        fd, TargetKind.DCC if to_dcc else TargetKind.DEVICE, s1, sched, min_gbcs, withdrawn,
        dual_band_only=srv_id in ("6.28", "6.29", "6.30", "6.31", "6.32"),
        parameters=_PARAMETERS.get(srv_id), extra_parameters_allowed=srv_id in _OPEN_PARAMETERS,
        note=note,
    )


_ROWS: tuple[SrvDefinition, ...] = (
    _srv("1.1.1", "Update Import Tariff (Primary Element)", "ESME GSME", critical=True, s1=True,
         fd=_DEVICE),
    _srv("1.1.2", "Update Import Tariff (Secondary Element)", "ESME", critical=True, fd=_DEVICE),
    _srv("1.2.1", "Update Price (Primary Element)", "ESME GSME", critical=True, s1=True,
         fd=_DEVICE),
    _srv("1.2.2", "Update Price (Secondary Element)", "ESME", critical=True, fd=_DEVICE),
    _srv("1.5", "Update Meter Balance", "ESME GSME", critical=True, s1=True),
    _srv("1.6", "Update Payment Mode", "ESME GSME", critical=True, s1=True, fd=_DEVICE),
    _srv("1.7", "Reset Tariff Block Counter Matrix", "ESME", critical=True),
    _srv("2.1", "Update Prepay Configuration", "ESME GSME", critical=True, s1=True, fd=_DEVICE),
    _srv("2.2", "Top Up Device", "ESME GSME", s1=True),
    _srv("2.3", "Update Debt", "ESME GSME", critical=True, s1=True),
    _srv("2.5", "Activate Emergency Credit", "ESME GSME", critical=True, s1=True),
    _srv("3.1", "Display Message", "ESME GSME"),
    _srv("3.2", "Restrict Access For Change Of Tenancy", "ESME GPF", s1=True),
    _srv("3.3", "Clear Event Log", "ESME GSME GPF", s1=True),
    _srv("3.4", "Update Supplier Name", "ESME GSME"),
    _srv("3.5", "Disable Privacy PIN", "ESME GSME"),
    _srv("4.1.1", "Read Instantaneous Import Registers", "ESME GSME GPF", s1=True),
    _srv("4.1.2", "Read Instantaneous Import TOU Matrices", "ESME GSME GPF", s1=True),
    _srv("4.1.3", "Read Instantaneous Import TOU With Blocks Matrices", "ESME", s1=True),
    _srv("4.1.4", "Read Instantaneous Import Block Counters", "GSME GPF", s1=True),
    _srv("4.2", "Read Instantaneous Export Registers", "ESME", s1=True,
         note="DCC scheduled for SMETS1 devices only (MP260)"),
    _srv("4.3", "Read Instantaneous Prepay Values", "ESME GSME GPF", s1=True),
    _srv("4.4.2", "Retrieve Change Of Mode / Tariff Triggered Billing Data Log",
         "ESME GSME GPF", s1=True),
    _srv("4.4.3", "Retrieve Billing Calendar Triggered Billing Data Log", "ESME GSME GPF",
         s1=True),
    _srv("4.4.4", "Retrieve Billing Data Log (Payment Based Debt Payments)", "ESME GSME GPF",
         s1=True),
    _srv("4.4.5", "Retrieve Billing Data Log (Prepayment Credits)", "ESME GSME GPF", s1=True),
    _srv("4.6.1", "Retrieve Import Daily Read Log", "ESME GSME GPF", s1=True, sched=True),
    _srv("4.6.2", "Retrieve Export Daily Read Log", "ESME", sched=True),
    _srv("4.8.1", "Read Active Import Profile Data", "ESME GSME GPF", s1=True, sched=True),
    _srv("4.8.2", "Read Reactive Import Profile Data", "ESME", s1=True, sched=True),
    _srv("4.8.3", "Read Export Profile Data", "ESME", s1=True, sched=True),
    _srv("4.10", "Read Network Data", "ESME GSME", s1=True, sched=True),
    _srv("4.11.1", "Read Tariff (Primary Element)", "ESME GSME GPF", s1=True),
    _srv("4.11.2", "Read Tariff (Secondary Element)", "ESME"),
    _srv("4.12.1", "Read Maximum Demand Import Registers", "ESME", sched=True),
    _srv("4.12.2", "Read Maximum Demand Export Registers", "ESME", sched=True),
    _srv("4.13", "Read Prepayment Configuration", "ESME GSME GPF", s1=True),
    _srv("4.14", "Read Prepayment Daily Read Log", "ESME GSME GPF", sched=True),
    _srv("4.15", "Read Load Limit Data", "ESME", s1=True, sched=True),
    _srv("4.16", "Read Active Power Import", "ESME", s1=True, sched=True),
    _srv("4.17", "Retrieve Daily Consumption Log", "ESME GSME GPF", sched=True),
    _srv("4.18", "Read Meter Balance", "ESME GSME GPF", s1=True),
    _srv("5.1", "Create Schedule", "", s1=True, dcc=True, to_dcc=True),
    _srv("5.2", "Read Schedule", "", s1=True, dcc=True, to_dcc=True),
    _srv("5.3", "Delete Schedule", "", s1=True, dcc=True, to_dcc=True),
    _srv("6.2.1", "Read Device Configuration (Voltage)", "ESME", s1=True),
    _srv("6.2.2", "Read Device Configuration (Randomisation)", "ESME"),
    _srv("6.2.3", "Read Device Configuration (Billing Calendar)", "ESME GSME GPF", s1=True),
    _srv("6.2.4", "Read Device Configuration (Identity Exc MPxN)", "ESME GSME GPF CHF",
         s1=True),
    _srv("6.2.5", "Read Device Configuration (Instantaneous Power Thresholds)", "ESME",
         s1=True),
    _srv("6.2.7", "Read Device Configuration (MPxN)", "ESME GSME GPF"),
    _srv("6.2.8", "Read Device Configuration (Gas)", "GSME GPF", s1=True),
    _srv("6.2.9", "Read Device Configuration (Payment Mode)", "ESME GSME GPF", s1=True),
    _srv("6.2.10", "Read Device Configuration (Event Alert Behaviours)", "ESME GSME"),
    _srv("6.4.1", "Update Device Configuration (Load Limiting General Settings)", "ESME",
         critical=True, s1=True, fd=_DEVICE),
    _srv("6.4.2", "Update Device Configuration (Load Limiting Counter Reset)", "ESME", s1=True),
    _srv("6.5", "Update Device Configuration (Voltage)", "ESME", s1=True),
    _srv("6.6", "Update Device Configuration (Gas Conversion)", "GSME", critical=True, s1=True),
    _srv("6.7", "Update Device Configuration (Gas Flow)", "GSME", critical=True, s1=True),
    _srv("6.8", "Update Device Configuration (Billing Calendar)", "ESME GSME", critical=True,
         s1=True),
    _srv("6.11", "Synchronise Clock", "ESME GSME", critical=True, s1=True),
    _srv("6.12", "Update Device Configuration (Instantaneous Power Threshold)", "ESME",
         s1=True),
    _srv("6.13", "Read Event Or Security Log", "ESME GSME GPF CHF PPMID HCALCS", s1=True),
    _srv("6.14.1", "Update Device Configuration (Auxiliary Load Control Description)", "ESME",
         critical=True, note="success raises DCC alert N58"),
    _srv("6.14.2", "Update Device Configuration (Auxiliary Load Control Scheduler)", "ESME",
         critical=True, fd=_DEVICE, note="success or 0x8F66/0x00CC raises N58"),
    _srv("6.14.3", "Update Device Configuration (Auxiliary Controller Scheduler)", "ESME",
         critical=True, fd=_DEVICE, min_gbcs=_GBCS4, note="CRP612; success raises N58"),
    _srv("6.15.1", "Update Security Credentials (KRP)", "ESME GSME GPF", critical=True,
         s1=True, fd=_DEVICE),
    _srv("6.15.2", "Update Security Credentials (Device)", "ESME GSME", critical=True),
    _srv("6.17", "Issue Security Credentials", "ESME GSME", critical=True),
    _srv("6.18.1", "Set Maximum Demand Configurable Time Period", "ESME"),
    _srv("6.18.2", "Reset Maximum Demand Registers", "ESME"),
    _srv("6.20.1", "Set Device Configuration (Import MPxN)", "ESME GSME"),
    _srv("6.20.2", "Set Device Configuration (Export MPAN)", "ESME"),
    _srv("6.21", "Request Handover Of DCC Controlled Device", "GPF", s1=True),
    _srv("6.22", "Configure Alert Behaviour", "ESME GSME"),
    _srv("6.23", "Update Security Credentials (CoS)", "ESME GSME", s1=True),
    _srv("6.24.1", "Retrieve Device Security Credentials (KRP)", "ESME GSME CHF", s1=True),
    _srv("6.24.2", "Retrieve Device Security Credentials (Device)", "ESME GSME", critical=True),
    _srv("6.25", "Set Electricity Supply Tamper State", "ESME", critical=True, s1=True),
    _srv("6.26", "Update Device Configuration (Daily Resetting of Tariff Block Counter "
         "Matrix)", "ESME", critical=True),
    _srv("6.27", "Update Device Configuration (RMS Voltage Counter Reset)", "ESME"),
    _srv("6.28", "Set CHF Sub GHz Configuration", "CHF"),
    _srv("6.29", "Request CHF Sub GHz Channel Scan", "CHF"),
    _srv("6.30", "Read CHF Sub GHz Configuration", "CHF"),
    _srv("6.31", "Read CHF Sub GHz Channel", "CHF"),
    _srv("6.32", "Read CHF Sub GHz Channel Log", "CHF"),
    _srv("7.1", "Enable Supply", "ESME", critical=True, s1=True),
    _srv("7.2", "Disable Supply", "ESME GSME", critical=True, s1=True),
    _srv("7.3", "Arm Supply", "ESME GSME", critical=True, s1=True,
         note="the device raises 0x8F32 Supply Armed"),
    _srv("7.4", "Read Supply Status", "ESME GSME GPF", s1=True),
    _srv("7.5", "Activate Auxiliary Load", "ESME", critical=True, withdrawn=_GBCS4),
    _srv("7.6", "Deactivate Auxiliary Load", "ESME", critical=True, withdrawn=_GBCS4),
    _srv("7.7", "Read Auxiliary Load Control Switch Data", "ESME", withdrawn=_GBCS4),
    _srv("7.8", "Reset Auxiliary Load", "ESME", critical=True, withdrawn=_GBCS4),
    _srv("7.9", "Add Auxiliary Load To Boost Button", "ESME"),
    _srv("7.10", "Remove Auxiliary Load From Boost Button", "ESME"),
    _srv("7.11", "Read Boost Button Details", "ESME"),
    _srv("7.12", "Set Randomised Offset Limit", "ESME", critical=True),
    _srv("7.13", "Set Auxiliary Controller State", "ESME", critical=True, min_gbcs=_GBCS4),
    _srv("7.14", "Read Auxiliary Controller Configuration Data", "ESME", min_gbcs=_GBCS4),
    _srv("7.15", "Read Auxiliary Controller Operational Data", "ESME", min_gbcs=_GBCS4),
    _srv("7.16", "Limit APC Level", "ESME", critical=True, min_gbcs=_GBCS4),
    _srv("8.1.1", "Commission Device", "ESME GSME GPF", critical=True, s1=True,
         note="the DCC also sets the device clock"),
    _srv("8.2", "Read Inventory", "", s1=True, dcc=True, to_dcc=True),
    _srv("8.3", "Decommission Device", _ALL, s1=True, dcc=True),
    _srv("8.4", "Update Inventory", "", s1=True, dcc=True, to_dcc=True),
    _srv("8.5", "Service Opt Out", "ESME GSME", dcc=True, note="absent from new CTSD tables"),
    _srv("8.6", "Service Opt In", "ESME GSME", dcc=True, note="absent from new CTSD tables"),
    _srv("8.7.1", "Join Service (Critical)", "ESME GSME PPMID HCALCS", critical=True, s1=True),
    _srv("8.7.2", "Join Service (Non Critical)", "GSME PPMID HCALCS", s1=True),
    _srv("8.8.1", "Unjoin Service (Critical)", "ESME GSME PPMID HCALCS", critical=True,
         s1=True),
    _srv("8.8.2", "Unjoin Service (Non Critical)", "ESME GSME PPMID", s1=True),
    _srv("8.9", "Read Device Log", "ESME GSME GPF CHF PPMID HCALCS", s1=True),
    _srv("8.11", "Update HAN Device Log", "CHF", s1=True,
         note="N24 on the CHF's confirming alert, N25 if none"),
    _srv("8.12.1", "Restore HAN Device Log", "CHF"),
    _srv("8.12.2", "Restore Gas Proxy Function Device Log", "GPF"),
    _srv("8.13", "Return Local Command Response", "", dcc=True, to_dcc=True),
    _srv("8.14.1", "Communications Hub Status Update - Install Success", "CHF", dcc=True),
    _srv("8.14.2", "Communications Hub Status Update - Install No SM WAN", _ALL, dcc=True,
         note="any device type is accepted so that E081401 (not a CHF) can be returned"),
    _srv("8.14.3", "Communications Hub Status Update - Fault Return", "CHF", dcc=True),
    _srv("8.14.4", "Communications Hub Status Update - No Fault Return", "CHF", dcc=True),
    _srv("9.1", "Request Customer Identification Number", "ESME GSME"),
    _srv("11.1", "Update Firmware", "ESME GSME CHF PPMID", s1=True, dcc=True),
    _srv("11.2", "Read Firmware Version", "ESME GSME GPF CHF PPMID HCALCS", s1=True,
         note="SMETS2 PPMIDs are rejected with E11 (CR1045)"),
    _srv("11.3", "Activate Firmware", "ESME GSME CHF PPMID", critical=True, s1=True,
         fd=_DEVICE, note="SMETS2 PPMIDs are rejected with E11 (CR1045)"),
    _srv("12.1", "Request WAN Matrix", "", dcc=True, to_dcc=True),
    _srv("12.2", "Device Pre-notification", "", s1=True, dcc=True, to_dcc=True),
    _srv("14.1", "Record Network Data (GAS)", "GSME", sched=True),
)

SRV_CATALOGUE: Mapping[str, SrvDefinition] = MappingProxyType({s.srv_id: s for s in _ROWS})


def get_srv(srv_id: object) -> SrvDefinition:
    """The definition of ``srv_id`` (``"8.11"``), or :class:`UnknownSrvError`."""
    definition = SRV_CATALOGUE.get(str(srv_id).strip())
    if definition is None:
        raise UnknownSrvError(f"unknown Service Reference Variant {srv_id!r}")
    return definition


# =====================================================================================
# GBCS use cases per SRV and device type (primer §9; digest §2.4, §7)
# =====================================================================================
# The primer often names only the Service Reference ("4.4", "6.2"); the variant is then
# chosen from the use-case title (e.g. ECS20a "payment based debt payments" -> 4.4.4).


def _uc(srv_id: str, devices: str, use_case: str, code: int, note: str = "") -> GbcsUseCase:
    return GbcsUseCase(srv_id, frozenset(DeviceType(d) for d in devices.split()), use_case,
                       code, note)


_G4 = "deprecated from GBCS v4.0"
GBCS_USE_CASES: tuple[GbcsUseCase, ...] = (
    _uc("1.1.1", "ESME", "ECS01a", 0x0019), _uc("1.1.1", "GSME", "GCS01a", 0x006B),
    _uc("1.1.2", "ESME", "ECS01c", 0x00B7),
    _uc("1.2.1", "ESME", "ECS01b", 0x00A2), _uc("1.2.1", "GSME", "GCS01b", 0x00A3),
    _uc("1.2.2", "ESME", "ECS01d", 0x00C7),
    _uc("1.5", "ESME", "ECS04a", 0x001C), _uc("1.5", "ESME", "ECS04b", 0x00B3),
    _uc("1.5", "GSME", "GCS40a", 0x0086), _uc("1.5", "GSME", "GCS40b", 0x00B4),
    _uc("1.5", "GSME", "GCS40c", 0x00C0), _uc("1.5", "GSME", "GCS40d", 0x00C2),
    _uc("1.6", "ESME", "ECS02", 0x001A, "to credit"),
    _uc("1.6", "ESME", "ECS03", 0x001B, "to prepayment"),
    _uc("1.6", "GSME", "GCS02", 0x006C, "to credit"),
    _uc("1.6", "GSME", "GCS03", 0x006D, "to prepayment"),
    _uc("1.7", "ESME", "ECS05", 0x001D),
    _uc("2.1", "ESME", "ECS08", 0x001F), _uc("2.1", "ESME", "ECS08a", 0x00DE),
    _uc("2.1", "GSME", "GCS05", 0x006F),
    _uc("2.2", "ESME", "CS01a", 0x0007), _uc("2.2", "GSME", "CS01b", 0x0097),
    _uc("2.3", "ESME", "ECS07", 0x001E), _uc("2.3", "GSME", "GCS04", 0x006E),
    _uc("2.5", "ESME", "ECS09", 0x0020), _uc("2.5", "GSME", "GCS06", 0x0070),
    _uc("3.1", "ESME", "ECS10", 0x0021), _uc("3.1", "GSME", "GCS07", 0x0071),
    _uc("3.2", "ESME", "ECS12", 0x0022), _uc("3.2", "GPF", "GCS09", 0x0072),
    _uc("3.3", "ESME", "ECS15a", 0x0024), _uc("3.3", "ESME", "ECS15c", 0x00C1, "ALCS log"),
    _uc("3.3", "GSME GPF", "CS11", 0x0015),
    _uc("3.4", "ESME", "ECS16", 0x0025), _uc("3.4", "GSME", "GCS44", 0x0088),
    _uc("3.5", "ESME", "ECS14", 0x0023), _uc("3.5", "GSME", "GCS11", 0x0073),
    _uc("4.1.1", "ESME", "ECS17b", 0x0027), _uc("4.1.1", "GSME GPF", "GCS13a", 0x0074),
    _uc("4.1.2", "ESME", "ECS17d", 0x0029), _uc("4.1.2", "GSME GPF", "GCS13c", 0x00B6),
    _uc("4.1.3", "ESME", "ECS17e", 0x002A),
    _uc("4.1.4", "GSME GPF", "GCS13b", 0x00B8),
    _uc("4.2", "ESME", "ECS17a", 0x0026),
    _uc("4.3", "ESME", "ECS19", 0x002D), _uc("4.3", "GSME GPF", "GCS14", 0x0075),
    _uc("4.4.2", "ESME", "ECS20b", 0x002F), _uc("4.4.2", "GSME GPF", "GCS15b", 0x00C3),
    _uc("4.4.3", "ESME", "ECS20c", 0x0030), _uc("4.4.3", "GSME GPF", "GCS15c", 0x0076),
    _uc("4.4.4", "ESME", "ECS20a", 0x002E), _uc("4.4.4", "GSME GPF", "GCS15d", 0x00C4),
    _uc("4.4.5", "ESME", "ECS20d", 0x00C9), _uc("4.4.5", "GSME GPF", "GCS15e", 0x00C5),
    _uc("4.6.1", "ESME", "ECS21a", 0x0033), _uc("4.6.1", "GSME GPF", "GCS16a", 0x0077),
    _uc("4.6.2", "ESME", "ECS21c", 0x0035),
    _uc("4.8.1", "ESME", "ECS22b", 0x0037), _uc("4.8.1", "GSME GPF", "GCS17", 0x0078),
    _uc("4.8.2", "ESME", "ECS22c", 0x0038),
    _uc("4.8.3", "ESME", "ECS22a", 0x0036),
    _uc("4.10", "ESME", "ECS23", 0x0039), _uc("4.10", "ESME", "ECS23b", 0x00BC, "3 phase"),
    _uc("4.10", "GSME", "GCS18", 0x0079),
    _uc("4.11.1", "ESME", "ECS24", 0x003A), _uc("4.11.1", "GSME GPF", "GCS21f", 0x009F),
    _uc("4.11.2", "ESME", "ECS24b", 0x00BD),
    _uc("4.12.1", "ESME", "ECS18b", 0x002C),
    _uc("4.12.2", "ESME", "ECS18a", 0x002B),
    _uc("4.13", "ESME", "ECS26a", 0x003B), _uc("4.13", "GSME GPF", "GCS21b", 0x00B5),
    _uc("4.14", "ESME", "ECS21b", 0x0034), _uc("4.14", "GSME GPF", "GCS16b", 0x0096),
    _uc("4.15", "ESME", "ECS27", 0x0042),
    _uc("4.16", "ESME", "ECS17c", 0x0028),
    _uc("4.17", "ESME", "ECS66", 0x0060), _uc("4.17", "GPF", "GCS61", 0x00A0),
    _uc("4.18", "ESME", "ECS82", 0x0069), _uc("4.18", "GSME GPF", "GCS60", 0x008D),
    _uc("6.2.1", "ESME", "ECS26b", 0x003C), _uc("6.2.1", "ESME", "ECS26k", 0x00C6, "3 phase"),
    _uc("6.2.2", "ESME", "ECS26c", 0x003D),
    _uc("6.2.3", "ESME", "ECS26d", 0x003E), _uc("6.2.3", "ESME", "ECS26l", 0x00D9),
    _uc("6.2.3", "GSME", "GCS21d", 0x009D), _uc("6.2.3", "GSME GPF", "GCS21k", 0x00DA),
    _uc("6.2.4", "ESME", "ECS26e", 0x003F), _uc("6.2.4", "ESME", "ECS26m", 0x00F9),
    _uc("6.2.4", "GSME GPF", "GCS21e", 0x009E), _uc("6.2.4", "GSME", "GCS21m", 0x00FB),
    _uc("6.2.4", "CHF", "ECS26i", 0x0092), _uc("6.2.4", "CHF", "ECS26n", 0x00FA),
    _uc("6.2.5", "ESME", "ECS26f", 0x0040),
    _uc("6.2.7", "ESME", "ECS40", 0x004E), _uc("6.2.7", "GSME GPF", "GCS46", 0x0089),
    _uc("6.2.8", "GSME GPF", "GCS21a", 0x007B),
    _uc("6.2.9", "ESME", "ECS26j", 0x00BE), _uc("6.2.9", "GSME GPF", "GCS21j", 0x00BF),
    _uc("6.2.10", "ESME", "ECS25r1", 0x00EE, "Supplier"),
    _uc("6.2.10", "ESME", "ECS25r2", 0x00EF, "Network Operator"),
    _uc("6.2.10", "GSME", "GCS20r", 0x00F1),
    _uc("6.4.1", "ESME", "ECS28a", 0x0043), _uc("6.4.2", "ESME", "ECS28b", 0x0044),
    _uc("6.5", "ESME", "ECS29a", 0x0045), _uc("6.5", "ESME", "ECS29b", 0x00AE),
    _uc("6.5", "ESME", "ECS29c", 0x00D1), _uc("6.5", "ESME", "ECS29d", 0x00D2),
    _uc("6.6", "GSME", "GCS23", 0x007C),
    _uc("6.7", "GSME", "GCS24", 0x007D), _uc("6.7", "GSME", "GCS24a", 0x00FC, "SMETS4"),
    _uc("6.8", "ESME", "ECS30", 0x0046), _uc("6.8", "ESME", "ECS30a", 0x00D7),
    _uc("6.8", "GSME", "GCS25", 0x007E), _uc("6.8", "GSME", "GCS25a", 0x00D8),
    _uc("6.11", "ESME", "ECS70", 0x0062), _uc("6.11", "GSME", "GCS28", 0x007F),
    _uc("6.12", "ESME", "ECS34", 0x0047),
    _uc("6.13", "ESME", "ECS35a", 0x0048), _uc("6.13", "ESME", "ECS35b", 0x0049),
    _uc("6.13", "ESME", "ECS35e", 0x00B9), _uc("6.13", "ESME", "ECS35f", 0x00BA),
    _uc("6.13", "ESME", "ECS35g", 0x00FD),
    _uc("6.13", "GSME GPF PPMID HCALCS", "CS10a", 0x0014, "ZigBee device event log"),
    _uc("6.13", "GSME GPF PPMID HCALCS", "CS10b", 0x00A1, "ZigBee device security log"),
    _uc("6.13", "CHF", "ECS35c", 0x0093), _uc("6.13", "CHF", "ECS35d", 0x0094),
    _uc("6.14.1", "ESME", "ECS46a", 0x0053), _uc("6.14.2", "ESME", "ECS46c", 0x0054),
    _uc("6.14.3", "ESME", "ECS46d", 0x011A),
    _uc("6.15.1", "ESME GPF", "CS02b", 0x0102, "supplierBySupplier"),
    _uc("6.15.1", "ESME GPF", "CS02b", 0x0103, "networkOperatorByNetworkOperator"),
    _uc("6.15.1", "ESME", "CS02g", 0x0126, "loadControllerBySupplier (GBCS v4.0)"),
    _uc("6.15.2", "ESME", "CS02d", 0x000B),
    _uc("6.17", "ESME", "CS02c", 0x000A),
    _uc("6.18.1", "ESME", "ECS37", 0x004A), _uc("6.18.2", "ESME", "ECS57", 0x005A),
    _uc("6.20.1", "ESME", "ECS39a", 0x004C), _uc("6.20.1", "GSME", "GCS41", 0x0087),
    _uc("6.20.2", "ESME", "ECS39b", 0x004D),
    _uc("6.21", "GPF", "CS02b", 0x0102, "ACB-signed handover variant"),
    _uc("6.22", "ESME", "ECS25a", 0x00AC), _uc("6.22", "ESME", "ECS25b", 0x00B0),
    _uc("6.22", "ESME", "ECS25a1", 0x00EA), _uc("6.22", "ESME", "ECS25a2", 0x00EB),
    _uc("6.22", "ESME", "ECS25a3", 0x00EC), _uc("6.22", "ESME", "ECS25b3", 0x00ED),
    _uc("6.22", "GSME", "GCS20", 0x00AD),
    _uc("6.23", "ESME", "CS02b", 0x0107, "supplierByTransCoS"),
    _uc("6.24.1", "CHF ESME GSME", "CS02a", 0x0008, f"ESME: {_G4}"),
    _uc("6.24.1", "ESME", "CS02f", 0x011B, "GBCS v4.0"),
    _uc("6.24.2", "ESME", "CS02e", 0x000C),
    _uc("6.25", "ESME", "ECS81", 0x0068),
    _uc("6.26", "ESME", "ECS48", 0x00DB),
    _uc("6.27", "ESME", "ECS29e", 0x00D3), _uc("6.27", "ESME", "ECS29f", 0x00D4),
    _uc("6.28", "CHF", "DBCH04", 0x010D), _uc("6.29", "CHF", "DBCH05", 0x010E),
    _uc("6.30", "CHF", "DBCH03", 0x010C), _uc("6.31", "CHF", "DBCH01", 0x010A),
    _uc("6.32", "CHF", "DBCH02", 0x010B),
    _uc("7.1", "ESME", "ECS42", 0x004F),
    _uc("7.2", "ESME", "ECS43", 0x0050), _uc("7.2", "GSME", "GCS32", 0x0081),
    _uc("7.3", "ESME", "ECS44", 0x0051), _uc("7.3", "GSME", "GCS39", 0x0085),
    _uc("7.4", "ESME", "ECS45", 0x0052), _uc("7.4", "GSME GPF", "GCS33", 0x0082),
    _uc("7.5", "ESME", "ECS47", 0x0055, _G4), _uc("7.6", "ESME", "ECS47", 0x0055, _G4),
    _uc("7.7", "ESME", "ECS61a", 0x00BB, _G4), _uc("7.8", "ESME", "ECS47", 0x0055, _G4),
    _uc("7.9", "ESME", "ECS62", 0x005F), _uc("7.10", "ESME", "ECS62", 0x005F),
    _uc("7.11", "ESME", "ECS61c", 0x005E),
    _uc("7.12", "ESME", "ECS38", 0x004B),
    _uc("7.13", "ESME", "ECS47a", 0x011E), _uc("7.14", "ESME", "ECS61d", 0x011C),
    _uc("7.15", "ESME", "ECS61e", 0x011D), _uc("7.16", "ESME", "ECS47e", 0x011F),
    _uc("8.1.1", "ESME", "ECS70", 0x0062, "set clock"),
    _uc("8.1.1", "GSME", "GCS28", 0x007F, "set clock (inferred from 6.11)"),
    _uc("8.7.1", "ESME", "CS03A1", 0x000D), _uc("8.7.1", "HCALCS PPMID", "CS03A2", 0x00AB),
    _uc("8.7.1", "GSME PPMID", "CS03C", 0x00AF),
    _uc("8.7.2", "GSME", "CS03B", 0x000E),
    _uc("8.7.2", "PPMID", "CS03A2", 0x00AB, "ACB-originated non-critical variant"),
    _uc("8.7.2", "PPMID", "CS03C", 0x00AF, "ACB-originated non-critical variant"),
    _uc("8.8.1", "ESME GSME PPMID", "CS04AC", 0x000F),
    _uc("8.8.2", "ESME GSME PPMID", "CS04AC", 0x000F, "ACB-originated non-critical variant"),
    _uc("8.8.2", "GSME", "CS04B", 0x0010),
    _uc("8.9", "CHF", "CCS05/CCS04", 0x0004, "GBCS v1.0 CHF"),
    _uc("8.9", "CHF", "CCS06", 0x010F, "GBCS v2.0 or later CHF"),
    _uc("8.9", "CHF", "CCS07", 0x00FE, "GBCS v3.2 or later CHF with ReadSecurityDetails"),
    _uc("8.9", "ESME GSME GPF PPMID HCALCS", "CS07", 0x0013),
    _uc("8.11", "CHF", "CCS01", 0x0001, "Add"), _uc("8.11", "CHF", "CCS02", 0x0002, "Remove"),
    _uc("8.12.1", "CHF", "CCS03", 0x0003), _uc("8.12.2", "GPF", "GCS59", 0x008C),
    _uc("9.1", "ESME", "ECS50", 0x0058), _uc("9.1", "GSME", "GCS36", 0x0083),
    _uc("11.2", "ESME CHF", "ECS52", 0x0059), _uc("11.2", "GSME GPF", "GCS38", 0x0084),
    _uc("11.2", "PPMID HCALCS", "CS08", 0x0129),
    _uc("11.3", "ESME", "CS06", 0x0012),
    _uc("14.1", "GSME", "GCS31", 0x0080),
)
