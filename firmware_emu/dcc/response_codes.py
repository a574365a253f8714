"""DUIS response codes (DUIS 3.5.10 Table 1 as amended by MP260, and SRV-specific codes).

A code is a letter and a number: I = information, E = error, W = warning. ``applies_to``
says where a code can appear: in the synchronous Acknowledgement to an SR, in a DCC
Alert, or in a Service Response. ``ehs`` lists the DCC Error Handling Strategy procedure
IDs, which are not response codes.

:data:`VALIDATION_PRECEDENCE` is the order in which the DCC side of this harness applies
its checks to a request; the first failing check gives the response. The seeds fix one
point of it: in the response-code tests (CTSD 8.1.26 as amended by MP260), "where error
is generated, the E4 error takes precedence". E4 is therefore checked before E13 and
E11. E19 stays before E4, because a device that does not exist has no registration for
E4 to fail against (otherwise E19, a mandatory test, could never be produced). The rest
of the order is this harness's reading of DUIS (not stated in the seeds): who is asking
(E1, E3), what is asked (E48, E2, E12), of which device (E19, E4, E13, E11, E60, E61,
E5, E57, E17), then request bookkeeping (E55, sequencing), data items (E49, E52) and
SRV-specific validation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from types import MappingProxyType

from firmware_emu.dcc.roles import DccInputError


class UnknownResponseCodeError(DccInputError):
    """A response code DUIS does not define."""


class ResponseCode(StrEnum):
    I0 = "I0"
    I99 = "I99"
    E1 = "E1"
    E2 = "E2"
    E3 = "E3"
    E4 = "E4"
    E5 = "E5"
    E11 = "E11"
    E12 = "E12"
    E13 = "E13"
    E17 = "E17"
    E19 = "E19"
    E20 = "E20"
    E21 = "E21"
    E30 = "E30"
    E31 = "E31"
    E40 = "E40"
    E41 = "E41"
    E42 = "E42"
    E43 = "E43"
    E44 = "E44"
    E45 = "E45"
    E46 = "E46"
    E47 = "E47"
    E48 = "E48"
    E49 = "E49"
    E50 = "E50"
    E51 = "E51"
    E52 = "E52"
    E53 = "E53"
    E54 = "E54"
    E55 = "E55"
    E56 = "E56"
    E57 = "E57"
    E58 = "E58"
    E59 = "E59"
    E60 = "E60"
    E61 = "E61"
    E62 = "E62"
    E63 = "E63"
    E64 = "E64"
    E65 = "E65"
    E66 = "E66"
    E67 = "E67"
    E68 = "E68"
    E69 = "E69"
    E70 = "E70"
    E71 = "E71"
    E100 = "E100"
    E060701 = "E060701"
    E061509 = "E061509"
    E062402 = "E062402"
    E062403 = "E062403"
    E062801 = "E062801"
    E062802 = "E062802"
    E080902 = "E080902"
    E080903 = "E080903"
    E081111 = "E081111"
    E081401 = "E081401"
    E081402 = "E081402"
    W081401 = "W081401"
    W110101 = "W110101"

    @property
    def is_error(self) -> bool:
        return self.value.startswith("E")

    @property
    def definition(self) -> ResponseCodeDefinition:
        return RESPONSE_CODES[self]


class Channel(Enum):
    """Where a response code can be carried."""

    ACKNOWLEDGEMENT = "A"
    DCC_ALERT = "D"
    SERVICE_RESPONSE = "R"


@dataclass(frozen=True, slots=True)
class ResponseCodeDefinition:
    code: ResponseCode
    name: str
    applies_to: frozenset[Channel]
    ehs: tuple[str, ...] = ()
    srv_id: str | None = None  # set for SRV-specific codes

    @property
    def text(self) -> str:
        """``"E19 Failed Authorisation - Device doesn't exist"``-style one-liner."""
        return f"{self.code} {self.name}"


_A, _D, _R = Channel.ACKNOWLEDGEMENT, Channel.DCC_ALERT, Channel.SERVICE_RESPONSE
_FV, _FA, _FS = "Failed Validation", "Failed Authorisation", "Failed Sequenced Command"

# (code, name, channels, EHS procedure IDs) from digest §3.1.
_COMMON: tuple[tuple[ResponseCode, str, str, str], ...] = (
    (ResponseCode.I0, "Success", "R", ""),
    (ResponseCode.I99, "Acknowledgement", "A", ""),
    (ResponseCode.E1, f"{_FA} - Invalid User / User Role", "AD", "V2 Z1"),
    (ResponseCode.E2, f"{_FA} - Invalid User Role / Service Reference", "A", "V4 Z1"),
    (ResponseCode.E3, f"{_FA} - Invalid User Status", "AD", "V3 Z1"),
    (ResponseCode.E4, f"{_FA} - Invalid User / User Role for Device", "AD", "V1 Z1"),
    (ResponseCode.E5, f"{_FA} - Invalid Device Status", "AD", "W6 Z1"),
    (ResponseCode.E11, f"{_FV} - Invalid Service Request / Device Type combination", "A",
     "W7 Z1"),
    (ResponseCode.E12, f"{_FV} - Invalid Request / Command Variant combination", "A", "W1 Z1"),
    (ResponseCode.E13, f"{_FV} - Invalid Request Type for URL", "A", "W2 Z1"),
    (ResponseCode.E17, f"{_FA} - Service Request or Signed Pre-Command not available for "
     "Local Command Services", "A", "W6 Z1"),
    (ResponseCode.E19, f"{_FA} - Device doesn't exist", "A", "W3 Z1"),
    (ResponseCode.E20, "Communications Failure - Unable to Communicate with Device", "D", "X1"),
    (ResponseCode.E21, "Communications Failure - No Response Received from Device", "D", "X1"),
    (ResponseCode.E30, "Time-out - \"Future Dated\" Command", "D", "X2 X3"),
    (ResponseCode.E31, "Time-out - \"DSP Schedule\" / \"Future Dated (DSP)\" Command", "D",
     "X2 X3"),
    (ResponseCode.E40, f"{_FS} - Invalid First Request", "A", "Y1 Z1"),
    (ResponseCode.E41, f"{_FS} - Invalid \"Preceding Request ID\"", "A", "Y1 Z1"),
    (ResponseCode.E42, f"{_FS} - Circular Reference", "A", "Y1 Z1"),
    (ResponseCode.E43, f"{_FS} - Previous Request(s) Failure", "AD", "Y2 Z1"),
    (ResponseCode.E44, f"{_FS} - Previous Request(s) not received within the \"Wait Period\"",
     "AD", "Y2 Z1"),
    (ResponseCode.E45, f"{_FS} - Invalid Command Variant for a sequenced request", "A",
     "Y2 Z1"),
    (ResponseCode.E46, f"{_FS} - Request after Last In Sequence", "AD", "Y2 Z1"),
    (ResponseCode.E47, f"{_FS} - no response to an earlier \"On Demand\" command", "AD",
     "Y2 Z1"),
    (ResponseCode.E48, f"{_FV} - Service Reference and Variant mismatch", "A", "W4 Z1"),
    (ResponseCode.E49, f"{_FV} - Service Request format does not match the Service Reference "
     "Variant in the header", "A", "W5 Z1"),
    (ResponseCode.E50, "Local Command Services Not Returned", "A", "W8"),
    (ResponseCode.E51, f"{_FV} - Signed Pre-Command GBCS Message Code does not map to the "
     "Service Reference Variant", "A", "W5 Z1"),
    (ResponseCode.E52, f"{_FV} - Unable to cancel Future Dated (DSP) Service Request", "A",
     "Y1 Z1"),
    (ResponseCode.E53, f"{_FS} - Future Dated (DSP) request not first in sequence", "A",
     "Y2 Z1"),
    (ResponseCode.E54, f"{_FS} - Gas Service Request returns encrypted data", "A", "Y2 Z1"),
    (ResponseCode.E55, f"{_FV} - Duplicate Request ID", "A", "W5 Z1"),
    (ResponseCode.E56, f"{_FV} - Service Request no longer supported", "AD", "W9 Z1"),
    (ResponseCode.E57, f"{_FV} - Service Request / GBCS version combination invalid for the "
     "device model", "AD", "W10 Z1"),
    (ResponseCode.E58, "Communications Failure - Command not delivered to ESME", "D", "X4 Z1"),
    (ResponseCode.E59, "Dual Band CHF Sub GHz event", "D", "X5 Z1"),
    (ResponseCode.E60, f"{_FV} - Invalid Service Request for SMETS1 Devices", "A", "W11"),
    (ResponseCode.E61, f"{_FV} - Invalid Command Variant for SMETS1 Service Request", "A",
     "W11"),
    (ResponseCode.E62, "SMETS1 Service Provider error or information", "D", "W12"),
    (ResponseCode.E63, "DCC Data Systems anti-Replay Intercept", "A", "W13 Z1"),
    (ResponseCode.E64, f"{_FV} - Originator is not the Notified Critical Supplier / Network "
     "Operator", "A", "W13 Z1"),
    (ResponseCode.E65, f"{_FV} - Certificate Role Mismatch", "A", "U1 Z1"),
    (ResponseCode.E66, "Failed Delivery - Unable to deliver to CoS Party", "D", "X6 Z1"),
    (ResponseCode.E67, "Timeout - No response received from CoS Party", "D", "X6 Z1"),
    (ResponseCode.E68, f"{_FV} - Service Request failed CoS Party validation", "D", "W14 Z1"),
    (ResponseCode.E69, f"{_FV} - CoS Service Request failed anti-replay checks", "D",
     "W15 Z1"),
    (ResponseCode.E70, f"{_FV} - CoS Anomaly Detection Threshold Breach", "D", "W16 Z1"),
    (ResponseCode.E71, f"{_FV} - Invalid Response from CoS Party", "D", "W17 Z1"),
    (ResponseCode.E100, "Failed Authentication", "A", "U1 Z1"),
)

# (code, SRV, meaning) from digest §3.2; E062801/E062802 wording is this harness's reading.
_SRV_SPECIFIC: tuple[tuple[ResponseCode, str, str], ...] = (
    (ResponseCode.E060701, "6.7", "SMETS1 GSME's S1SP does not support "
     "UncontrolledGasFlowRateDecimal"),
    (ResponseCode.E061509, "6.15.1", "Invalid request for the LoadController role"),
    (ResponseCode.E062402, "6.24.1", "Invalid request for the LoadController role"),
    (ResponseCode.E062403, "6.24.1", "Invalid request for the LoadController role"),
    (ResponseCode.E062801, "6.28", "Invalid Sub GHz channel list"),
    (ResponseCode.E062802, "6.28", "Fewer than two channels configured in a used Sub GHz "
     "page"),
    (ResponseCode.E080902, "8.9", "GBCS version of the device model does not support the "
     "chosen features"),
    (ResponseCode.E080903, "8.9", "Device type is not CHF but ReadSecurityDetails was "
     "specified"),
    (ResponseCode.E081111, "8.11", "SMETS2 device but the InstallCode is not 32 characters "
     "(16 octets)"),
    (ResponseCode.E081401, "8.14.2", "Device Type of the notified device is not CHF"),
    (ResponseCode.E081402, "8.14.2", "The install date & time supplied is in the future"),
    (ResponseCode.W081401, "8.14.2", "CHF status is not InstalledNotCommissioned"),
    (ResponseCode.W110101, "11.1", "Invalid devices listed in InvalidDeviceIDList"),
)


def _definitions() -> Mapping[ResponseCode, ResponseCodeDefinition]:
    table = {
        code: ResponseCodeDefinition(code, name, frozenset(Channel(c) for c in channels),
                                     tuple(ehs.split()))
        for code, name, channels, ehs in _COMMON
    }
    for code, srv_id, name in _SRV_SPECIFIC:
        channels = frozenset({_A}) if code.is_error else frozenset({_A, _R})
        table[code] = ResponseCodeDefinition(code, name, channels, srv_id=srv_id)
    return MappingProxyType(table)


RESPONSE_CODES: Mapping[ResponseCode, ResponseCodeDefinition] = _definitions()


def parse_response_code(text: str) -> ResponseCode:
    try:
        return ResponseCode(str(text).strip().upper())
    except ValueError:
        raise UnknownResponseCodeError(f"unknown DUIS response code {text!r}") from None


VALIDATION_PRECEDENCE: tuple[ResponseCode, ...] = (
    ResponseCode.E1, ResponseCode.E3,
    ResponseCode.E48, ResponseCode.E2, ResponseCode.E12,
    ResponseCode.E19, ResponseCode.E4, ResponseCode.E13, ResponseCode.E11,
    ResponseCode.E60, ResponseCode.E61, ResponseCode.E5, ResponseCode.E57, ResponseCode.E17,
    ResponseCode.E55,
    ResponseCode.E40, ResponseCode.E41, ResponseCode.E42, ResponseCode.E45, ResponseCode.E46,
    ResponseCode.E53,
    ResponseCode.E49, ResponseCode.E52,
    ResponseCode.E062801, ResponseCode.E062802, ResponseCode.E081111,
    ResponseCode.E080903, ResponseCode.E080902, ResponseCode.E081401, ResponseCode.E081402,
)
"""Acknowledgement-time checks, in the order the DCC applies them (see module docstring)."""


def first_by_precedence(codes: Iterable[ResponseCode]) -> ResponseCode:
    """Of several failed checks, the code the DCC reports (e.g. E4 over E11 and E13)."""
    failed = set(codes)
    for code in VALIDATION_PRECEDENCE:
        if code in failed:
            return code
    if failed:
        raise UnknownResponseCodeError(
            f"{', '.join(sorted(failed))} not ranked in the validation precedence"
        )
    raise UnknownResponseCodeError("no response codes given")
