"""DCC alerts (DUIS DCCAlertMessage) and the device events and SR outcomes that raise them.

:data:`DCC_ALERTS` holds every DCC alert code of digest §4.1 with its body format
(DUIS 3.9.x) and meaning. N32 is defined nowhere in the seeds and is absent.

What raises a DCC alert:

* a device alert (:data:`DEVICE_ALERT_MAPPINGS`, :func:`dcc_alerts_for_device_alert`):
  0x8F84 from the CHF -> N53 with response code E58; the dual band CHF sub-GHz alerts
  0x8F20/22/24/29/2B/2C/2D -> N54 with E59; 0x8F66 carrying message code 0x00CC while an
  auxiliary load control scheduler SRV is in hand -> N58; the CHF's device-log-changed
  alert 0x8F12 (CS14, primer §11.7) while an 8.11 Add is in hand -> N24. The seeds say N24
  follows a confirming CHF alert but not which; 0x8F12 is the primer's;
* the outcome of a service request (:data:`SRV_OUTCOME_ALERTS`,
  :func:`dcc_alerts_for_srv_outcome`): N25 when no confirming alert follows an 8.11 Add,
  N43 when 8.11 removes a PPMID joined to both meters, N58 after 6.14.1/6.14.2/6.14.3,
  N30/N31 after 8.12.1/8.12.2 (the seeds do not say which of N30 and N31 is the CHF log
  and which the GPF log; this module takes N30 = CHF, N31 = GPF), N27 to the previous
  supplier after 6.23, N42 when 6.15.1 places another party's certificate;
* a firmware version read (:func:`firmware_version_alert`, N49-N52), an SMI status change
  (:func:`status_change_alert`, N1/N2) and a CH power outage (:func:`power_outage_alert`,
  AD1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, StrEnum
from types import MappingProxyType

from firmware_emu.dcc.inventory import DeviceType, SmiStatus
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import DccInputError


class UnknownDccAlertError(DccInputError):
    """A DCC alert code DUIS does not define."""


class DccAlertBody(StrEnum):
    """Body format of a DCC alert (the sr:DCCAlert choice, DUIS 3.9.x)."""

    POWER_OUTAGE_EVENT = "PowerOutageEvent"
    DEVICE_STATUS_CHANGE_EVENT = "DeviceStatusChangeEvent"
    DSP_SCHEDULE_REMOVAL = "DSPScheduleRemoval"
    COMMAND_FAILURE = "CommandFailure"
    FIRMWARE_DISTRIBUTION_FAILURE = "FirmwareDistributionFailure"
    UPDATE_HAN_DEVICE_LOG_RESULT = "UpdateHANDeviceLogResult"
    CHANGE_OF_SUPPLIER = "ChangeOfSupplier"
    DEVICE_LOG_RESTORED = "DeviceLogRestored"
    PPMID_ALERT = "PPMIDAlert"
    SECURITY_CREDENTIALS_UPDATED = "SecurityCredentialsUpdated"
    PPMID_REMOVAL = "PPMIDRemoval"
    QUARANTINED_REQUEST = "QuarantinedRequest"
    FIRMWARE_VERSION_MISMATCH = "FirmwareVersionMismatch"
    DUAL_BAND_CH_ALERT = "DualBandCHAlert"
    S1SP_ALERT_DSP = "S1SPAlertDSP"
    SMETS1_CH_FIRMWARE_NOTIFICATION = "SMETS1CHFirmwareNotification"
    ALCS_HCALCS_CONFIGURATION_CHANGE = "ALCSHCALCSConfigurationChange"
    FIRMWARE_UPGRADE_REQUESTED = "FirmwareUpgradeRequested"
    CSP_FIRMWARE_DELIVERY_STATUS = "CSPFirmwareDeliveryStatus"
    COMMS_HUB_ALERT = "CommsHubAlert"
    ECOS_ALERT = "ECoSAlert"
    COMMS_HUB_FIRMWARE_ACTIVATION = "CommsHubFirmwareActivation"
    COS_CERTIFICATE_ALERT = "CoSCertificateAlert"
    DUIS_VERSION_MISMATCH = "DUISVersionMismatch"


@dataclass(frozen=True, slots=True)
class DccAlertDefinition:
    code: str
    body: DccAlertBody
    name: str


_B = DccAlertBody
# (codes, body format, meaning) from digest §4.1; one meaning covers a group of codes
# when the seeds describe only the group.
_GROUPS: tuple[tuple[str, DccAlertBody, str], ...] = (
    ("AD1", _B.POWER_OUTAGE_EVENT, "Power outage at the CH for 3 minutes or more"),
    ("N1", _B.DEVICE_STATUS_CHANGE_EVENT, "ESME Decommission or Withdrawal"),
    ("N2", _B.DEVICE_STATUS_CHANGE_EVENT, "GSME Decommission or Withdrawal"),
    ("N8 N9 N28 N44 N45", _B.DEVICE_STATUS_CHANGE_EVENT, "SMI status change"),
    ("N29", _B.DEVICE_STATUS_CHANGE_EVENT, "Device status change (suspended firmware)"),
    ("N16", _B.DEVICE_STATUS_CHANGE_EVENT, "Device Identity Confirmation"),
    ("N4 N5 N6 N37 N40", _B.DSP_SCHEDULE_REMOVAL, "DCC schedule removed"),
    ("N17", _B.DSP_SCHEDULE_REMOVAL, "DCC schedule removed due to Change of Supplier"),
    ("N3 N7 N10 N11 N12 N13 N14 N15 N33 N34 N35 N36 N38 N41", _B.COMMAND_FAILURE,
     "Command failure"),
    ("N53", _B.COMMAND_FAILURE, "Command Not Delivered To ESME"),
    ("N18", _B.FIRMWARE_DISTRIBUTION_FAILURE, "Invalid firmware version or hash"),
    ("N19", _B.FIRMWARE_DISTRIBUTION_FAILURE, "Device identification failure"),
    ("N20", _B.FIRMWARE_DISTRIBUTION_FAILURE, "Firmware image too large"),
    ("N21", _B.FIRMWARE_DISTRIBUTION_FAILURE, "Unknown firmware version"),
    ("N22 N23", _B.FIRMWARE_DISTRIBUTION_FAILURE, "Firmware distribution failure"),
    ("N24", _B.UPDATE_HAN_DEVICE_LOG_RESULT, "Successful CHF whitelist update"),
    ("N25", _B.UPDATE_HAN_DEVICE_LOG_RESULT, "No confirming alert for CHF whitelist update"),
    ("N26", _B.CHANGE_OF_SUPPLIER, "Change of Supplier credentials update outcome"),
    ("N27", _B.CHANGE_OF_SUPPLIER, "Device Change of Supplier"),
    ("N30", _B.DEVICE_LOG_RESTORED, "CHF device log restored"),
    ("N31", _B.DEVICE_LOG_RESTORED, "GPF device log restored"),
    ("N39", _B.PPMID_ALERT, "Alert generated by the PPMID"),
    ("N42", _B.SECURITY_CREDENTIALS_UPDATED, "Security credentials of another party placed"),
    ("N43", _B.PPMID_REMOVAL, "PPMID joined to ESME and GSME removed"),
    ("N46 N47 N48", _B.QUARANTINED_REQUEST, "Service request quarantined"),
    ("N49", _B.FIRMWARE_VERSION_MISMATCH, "Firmware version mismatch (CPL Current)"),
    ("N50", _B.FIRMWARE_VERSION_MISMATCH, "Firmware version mismatch (CPL Removed)"),
    ("N51", _B.FIRMWARE_VERSION_MISMATCH, "Firmware version mismatch (not on the CPL)"),
    ("N52", _B.FIRMWARE_VERSION_MISMATCH, "GSME firmware version read via GPF differs"),
    ("N54", _B.DUAL_BAND_CH_ALERT, "Dual Band CH Sub GHz alert"),
    ("N55", _B.S1SP_ALERT_DSP, "SMETS1 SP validation error or notification"),
    ("N56", _B.S1SP_ALERT_DSP, "SMETS1 SP prepayment top-up UTRN"),
    ("N57", _B.SMETS1_CH_FIRMWARE_NOTIFICATION, "SMETS1 CH/PPMID firmware notification"),
    ("N58", _B.ALCS_HCALCS_CONFIGURATION_CHANGE, "ALCS/HCALCS/APC configuration changed"),
    ("N59", _B.FIRMWARE_UPGRADE_REQUESTED, "Devices approved by CSPs for firmware update"),
    ("N60 N61", _B.CSP_FIRMWARE_DELIVERY_STATUS, "CSP firmware image transfer to a CH"),
    ("N62", _B.COMMS_HUB_ALERT, "Alert generated by the CH"),
    ("N63", _B.ECOS_ALERT, "Alert generated by the ECoS Party"),
    ("N64", _B.COMMS_HUB_FIRMWARE_ACTIVATION, "New firmware activated on a SMETS2+ CH"),
    ("N65", _B.COS_CERTIFICATE_ALERT, "CoS certificate does not match an active CoS Party"),
    ("N999", _B.DUIS_VERSION_MISMATCH, "Response not compatible with the User's DUIS XSD"),
)


def _code_order(code: str) -> tuple[int, int]:
    return (0, 0) if code == "AD1" else (1, int(code[1:]))


DCC_ALERTS: Mapping[str, DccAlertDefinition] = MappingProxyType({
    code: DccAlertDefinition(code, body, name)
    for codes, body, name in _GROUPS for code in codes.split()
})
DccAlertCode = StrEnum("DccAlertCode", {code: code for code in sorted(DCC_ALERTS,
                                                                      key=_code_order)})
"""Every DCC alert code (``DccAlertCode.N24``); the value is the code."""


def parse_dcc_alert_code(text: str) -> DccAlertCode:
    try:
        return DccAlertCode(str(text).strip().upper())
    except ValueError:
        raise UnknownDccAlertError(f"unknown DCC alert code {text!r}") from None


# =====================================================================================
# Device alerts -> DCC alerts
# =====================================================================================


@dataclass(frozen=True, slots=True)
class DeviceAlertMapping:
    """A device alert that the DCC turns into a DCC alert (with a response code).

    ``during_srvs``: only while one of these SRVs is being processed for the device;
    ``message_code``: only when the alert's GBCS message code is this one.
    """

    alert_code: int
    alert_name: str
    raised_by: frozenset[DeviceType]
    dcc_alert: DccAlertCode
    response_code: ResponseCode | None = None
    during_srvs: frozenset[str] = frozenset()
    message_code: int | None = None


_CHF = frozenset({DeviceType.CHF})
_SUB_GHZ_ALERTS = (
    (0x8F20, "Limited Duty Cycle Action Taken"),
    (0x8F22, "Critical Duty Cycle Action Taken"),
    (0x8F24, "Regulated Duty Cycle Action Taken"),
    (0x8F29, "Three Lost GSME Searches Failed"),
    (0x8F2B, "Sub GHz Channel not changed due to Frequency Agility Parameters"),
    (0x8F2C, "Message Discarded Due to Duty Cycle Management"),
    (0x8F2D, "No More Sub GHz Device Capacity"),
)

DEVICE_ALERT_MAPPINGS: tuple[DeviceAlertMapping, ...] = (
    DeviceAlertMapping(0x8F84, "Failure to Deliver Remote Party Message to ESME", _CHF,
                       DccAlertCode.N53, ResponseCode.E58),
    *(DeviceAlertMapping(code, name, _CHF, DccAlertCode.N54, ResponseCode.E59)
      for code, name in _SUB_GHZ_ALERTS),
    DeviceAlertMapping(0x8F12, "CHF Device Log Changed", _CHF, DccAlertCode.N24,
                       during_srvs=frozenset({"8.11"})),
    DeviceAlertMapping(0x8F66, "Future-dated HAN Interface Command Successfully Actioned",
                       frozenset({DeviceType.ESME}), DccAlertCode.N58,
                       during_srvs=frozenset({"6.14.2", "6.14.3"}), message_code=0x00CC),
)


def dcc_alerts_for_device_alert(alert_code: int, raised_by: DeviceType, *,
                                message_code: int | None = None,
                                srv_in_progress: str | None = None
                                ) -> tuple[DeviceAlertMapping, ...]:
    """The DCC alerts the DCC raises when ``raised_by`` sends device alert ``alert_code``.

    ``srv_in_progress`` is the SRV the DCC is processing for that device, if any. An empty
    result means the device alert is only forwarded as a DeviceAlertMessage.
    """
    if isinstance(alert_code, bool) or not isinstance(alert_code, int) \
            or not 0 <= alert_code <= 0xFFFF:
        raise UnknownDccAlertError(f"device alert code {alert_code!r} is not a 16-bit code")
    return tuple(
        mapping for mapping in DEVICE_ALERT_MAPPINGS
        if mapping.alert_code == alert_code and raised_by in mapping.raised_by
        and (not mapping.during_srvs or srv_in_progress in mapping.during_srvs)
        and (mapping.message_code is None or mapping.message_code == message_code)
    )


# =====================================================================================
# Service request outcomes -> DCC alerts
# =====================================================================================


class SrvOutcome(Enum):
    SUCCEEDED = "succeeded"
    NO_CONFIRMING_ALERT = "no confirming alert from the device"
    DUAL_JOINED_PPMID_REMOVED = "removed a PPMID joined to both ESME and GSME"
    OTHER_PARTY_CREDENTIALS_PLACED = "placed a certificate of a party other than the sender"


@dataclass(frozen=True, slots=True)
class SrvAlertTrigger:
    srv_ids: frozenset[str]
    outcome: SrvOutcome
    dcc_alert: DccAlertCode
    recipient: str


def _t(srv_ids: str, outcome: SrvOutcome, alert: DccAlertCode, recipient: str
       ) -> SrvAlertTrigger:
    return SrvAlertTrigger(frozenset(srv_ids.split()), outcome, alert, recipient)


_O = SrvOutcome
SRV_OUTCOME_ALERTS: tuple[SrvAlertTrigger, ...] = (
    _t("8.11", _O.NO_CONFIRMING_ALERT, DccAlertCode.N25, "SR sender"),
    _t("8.11", _O.DUAL_JOINED_PPMID_REMOVED, DccAlertCode.N43, "SR sender"),
    _t("6.14.1 6.14.2 6.14.3", _O.SUCCEEDED, DccAlertCode.N58, "Electricity Distributor"),
    _t("8.12.1", _O.SUCCEEDED, DccAlertCode.N30, "SR sender"),
    _t("8.12.2", _O.SUCCEEDED, DccAlertCode.N31, "SR sender"),
    _t("6.23", _O.SUCCEEDED, DccAlertCode.N27, "previously registered supplier"),
    _t("6.15.1", _O.OTHER_PARTY_CREDENTIALS_PLACED, DccAlertCode.N42, "SR sender"),
)


def dcc_alerts_for_srv_outcome(srv_id: str, outcome: SrvOutcome) -> tuple[SrvAlertTrigger, ...]:
    return tuple(trigger for trigger in SRV_OUTCOME_ALERTS
                 if srv_id in trigger.srv_ids and trigger.outcome is outcome)


# =====================================================================================
# Firmware reads, SMI status changes, power outages
# =====================================================================================


class CplStatus(Enum):
    """Where a firmware version stands on the Central Products List."""

    CURRENT = "Current"
    REMOVED = "Removed"
    NOT_LISTED = "not on the CPL"


def firmware_version_alert(reported: str, recorded: str | None, cpl_status: CplStatus, *,
                           gsme_version_read_via_gpf: bool = False) -> DccAlertCode | None:
    """N49-N52 after a firmware version read (11.2; N50/N51 also 11.3 or 0x8F66/0x00CA).

    None when the device reports the version the SMI records.
    """
    if reported.upper() == (recorded or "").upper():
        return None
    if gsme_version_read_via_gpf:
        return DccAlertCode.N52
    return {CplStatus.CURRENT: DccAlertCode.N49, CplStatus.REMOVED: DccAlertCode.N50,
            CplStatus.NOT_LISTED: DccAlertCode.N51}[cpl_status]


def status_change_alert(device_type: DeviceType, status: SmiStatus) -> DccAlertCode | None:
    """N1 / N2 when an ESME / GSME is decommissioned or withdrawn."""
    if status not in (SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN):
        return None
    return {DeviceType.ESME: DccAlertCode.N1, DeviceType.GSME: DccAlertCode.N2}.get(device_type)


POWER_OUTAGE_THRESHOLD = timedelta(minutes=3)


def power_outage_alert(outage: timedelta) -> DccAlertCode | None:
    """AD1 when the CSP sees the CH without DC power for 3 minutes or more."""
    return DccAlertCode.AD1 if outage >= POWER_OUTAGE_THRESHOLD else None
