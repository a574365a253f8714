"""GBCS alert codes: the 16-bit code inside every alert payload (primer §10.2).

An alert's *message code* (:mod:`gbcs.codes`) names the payload layout; the *alert code*
inside the payload names the event. It is carried big-endian in every payload family:

* DLMS data-notification: ``0F <invoke id> 00 02 n 12 <alert code> 09 0C <date-time> ...``
* GBZ alert: ``01 09 <00|01> <alert code> <time> ...``
* ASN.1: ``30 len 02 03 00 <alert code> 18 0F <GeneralizedTime> ...``

Names come from the Smart DCC parser's alert list (plus the 0x8F85-0x8F88 codes of the
newer use cases). For the codes that RTDS 4.5.0 (or the use-case document) uses with a
dedicated format, the row also says how the code travels: payload families, raising
devices, message codes and protection.
"""

from __future__ import annotations

from gbcs.codes import DeviceType, PayloadFamily, Protection
from gbcs.value_type import value_type

__all__ = ["ALERT_CODES", "AlertCode", "alert_code_info", "alert_name", "all_alert_codes"]


@value_type
class AlertCode:
    """One alert code; the format fields are empty where no source gives them."""

    code: int
    name: str
    payloads: tuple[PayloadFamily, ...] = ()
    """Payload families the alert code is carried in."""
    raisers: tuple[DeviceType, ...] = ()
    """Devices that raise it."""
    message_codes: tuple[int, ...] = ()
    """Message codes of the alerts that carry it (see :mod:`gbcs.codes`)."""
    protection: Protection | None = None
    """``SIGNED`` (critical alert) or ``MAC``."""
    in_rtds: bool = False
    """RTDS 4.5.0 has an alert carrying this code."""


# Shorthands for the table; deleted again after it.
ESME, GSME, GPF, CHF = DeviceType.ESME, DeviceType.GSME, DeviceType.GPF, DeviceType.CHF
PPMID, SAPC = DeviceType.PPMID, DeviceType.SAPC
DLMS, GBZ, ASN1 = PayloadFamily.DLMS, PayloadFamily.GBZ, PayloadFamily.ASN1
SIGNED, MAC = Protection.SIGNED, Protection.MAC

ALERT_CODES: tuple[AlertCode, ...] = (
    AlertCode(0x8002,
              "Average RMS Voltage above Average RMS Over Voltage Threshold (current value above "
              "threshold; previous value below threshold)"),
    AlertCode(0x8003,
              "Average RMS Voltage above Average RMS Over Voltage Threshold on Phase 1 (current "
              "value above threshold; previous value below threshold)"),
    AlertCode(0x8004,
              "Average RMS Voltage above Average RMS Over Voltage Threshold on Phase 2 (current "
              "value above threshold; previous value below threshold)"),
    AlertCode(0x8005,
              "Average RMS Voltage above Average RMS Over Voltage Threshold on Phase 3 (current "
              "value above threshold; previous value below threshold)"),
    AlertCode(0x8006,
              "Average RMS Voltage below Average RMS Under Voltage Threshold (current value "
              "below threshold; previous value above threshold)"),
    AlertCode(0x8007,
              "Average RMS Voltage below Average RMS Under Voltage Threshold on Phase 1 (current "
              "value below threshold; previous value above threshold)"),
    AlertCode(0x8008,
              "Average RMS Voltage below Average RMS Under Voltage Threshold on Phase 2 (current "
              "value below threshold; previous value above threshold)"),
    AlertCode(0x8009,
              "Average RMS Voltage below Average RMS Under Voltage Threshold on Phase 3 (current "
              "value below threshold; previous value above threshold)"),
    AlertCode(0x8010, "Over Current"),
    AlertCode(0x8011, "Over Current L1"),
    AlertCode(0x8013, "Over Current L3"),
    AlertCode(0x8014, "Power Factor Threshold Below"),
    AlertCode(0x8015, "Power Factor Threshold Ok"),
    AlertCode(0x8016, "Over Current L2"),
    AlertCode(0x8020,
              "RMS Voltage above Extreme Over Voltage Threshold (voltage rises above for longer "
              "than the configurable period)"),
    AlertCode(0x8021,
              "RMS Voltage above Extreme Over Voltage Threshold on Phase 1 (voltage rises above "
              "for longer than the configurable period)"),
    AlertCode(0x8022,
              "RMS Voltage above Extreme Over Voltage Threshold on Phase 2 (voltage rises above "
              "for longer than the configurable period)"),
    AlertCode(0x8023,
              "RMS Voltage above Extreme Over Voltage Threshold on Phase 3 (voltage rises above "
              "for longer than the configurable period)"),
    AlertCode(0x8024,
              "RMS Voltage above Voltage Swell Threshold (voltage rises above for longer than "
              "the configurable period)"),
    AlertCode(0x8025,
              "RMS Voltage above Voltage Swell Threshold on Phase 1 (voltage rises above for "
              "longer than the configurable period)"),
    AlertCode(0x8026,
              "RMS Voltage above Voltage Swell Threshold on Phase 2 (voltage rises above for "
              "longer than the configurable period)"),
    AlertCode(0x8027,
              "RMS Voltage above Voltage Swell Threshold on Phase 3 (voltage rises above for "
              "longer than the configurable period)"),
    AlertCode(0x8028,
              "RMS Voltage below Extreme Under Voltage Threshold (voltage falls below for longer "
              "than the configurable period)"),
    AlertCode(0x8029,
              "RMS Voltage below Extreme Under Voltage Threshold on Phase 1 (voltage falls below "
              "for longer than the configurable period)"),
    AlertCode(0x802A,
              "RMS Voltage below Extreme Under Voltage Threshold on Phase 2 (voltage falls below "
              "for longer than the configurable period)"),
    AlertCode(0x802B,
              "RMS Voltage below Extreme Under Voltage Threshold on Phase 3 (voltage falls below "
              "for longer than the configurable period)"),
    AlertCode(0x802C,
              "RMS Voltage below Voltage Sag Threshold (voltage falls below for longer than the "
              "configurable period)"),
    AlertCode(0x802D,
              "RMS Voltage below Voltage Sag Threshold on Phase 1 (voltage falls below for "
              "longer than the configurable period)"),
    AlertCode(0x802E,
              "RMS Voltage below Voltage Sag Threshold on Phase 2 (voltage falls below for "
              "longer than the configurable period)"),
    AlertCode(0x802F,
              "RMS Voltage below Voltage Sag Threshold on Phase 3 (voltage falls below for "
              "longer than the configurable period)"),
    AlertCode(0x8071, "GPF Device Log Changed", (ASN1,), (GPF,), (0x00B2,), MAC, in_rtds=True),
    AlertCode(0x8085,
              "Average RMS Voltage below Average RMS Over Voltage Threshold (current value below "
              "threshold; previous value above threshold)"),
    AlertCode(0x8086,
              "Average RMS Voltage below Average RMS Over Voltage Threshold on Phase 1 (current "
              "value below threshold; previous value above threshold)"),
    AlertCode(0x8087,
              "Average RMS Voltage below Average RMS Over Voltage Threshold on Phase 2 (current "
              "value below threshold; previous value above threshold)"),
    AlertCode(0x8088,
              "Average RMS Voltage below Average RMS Over Voltage Threshold on Phase 3 (current "
              "value below threshold; previous value above threshold)"),
    AlertCode(0x8089,
              "Average RMS Voltage above Average RMS Under Voltage Threshold (current value "
              "above threshold; previous value below threshold)"),
    AlertCode(0x808A,
              "Average RMS Voltage above Average RMS Under Voltage Threshold on Phase 1 (current "
              "value above threshold; previous value below threshold)"),
    AlertCode(0x808B,
              "Average RMS Voltage above Average RMS Under Voltage Threshold on Phase 2 (current "
              "value above threshold; previous value below threshold)"),
    AlertCode(0x808C,
              "Average RMS Voltage above Average RMS Under Voltage Threshold on Phase 3 (current "
              "value above threshold; previous value below threshold)"),
    AlertCode(0x808D,
              "RMS Voltage above Extreme Over Voltage Threshold (voltage returns below for "
              "longer than the configurable period)"),
    AlertCode(0x808E,
              "RMS Voltage above Extreme Over Voltage Threshold on Phase 1 (voltage returns "
              "below for longer than the configurable period)"),
    AlertCode(0x808F,
              "RMS Voltage above Extreme Over Voltage Threshold on Phase 2 (voltage returns "
              "below for longer than the configurable period)"),
    AlertCode(0x8090,
              "RMS Voltage above Extreme Over Voltage Threshold on Phase 3 (voltage returns "
              "below for longer than the configurable period)"),
    AlertCode(0x8091,
              "RMS Voltage above Voltage Swell Threshold (voltage returns below for longer than "
              "the configurable period)"),
    AlertCode(0x8092,
              "RMS Voltage above Voltage Swell Threshold on Phase 1 (voltage returns below for "
              "longer than the configurable period)"),
    AlertCode(0x8093,
              "RMS Voltage above Voltage Swell Threshold on Phase 2 (voltage returns below for "
              "longer than the configurable period)"),
    AlertCode(0x8094,
              "RMS Voltage above Voltage Swell Threshold on Phase 3 (voltage returns below for "
              "longer than the configurable period)"),
    AlertCode(0x8095,
              "RMS Voltage below Extreme Under Voltage Threshold (voltage returns above for "
              "longer than the configurable period)"),
    AlertCode(0x8096,
              "RMS Voltage below Extreme Under Voltage Threshold on Phase 1 (voltage returns "
              "above for longer than the configurable period)"),
    AlertCode(0x8097,
              "RMS Voltage below Extreme Under Voltage Threshold on Phase 2 (voltage returns "
              "above for longer than the configurable period)"),
    AlertCode(0x8098,
              "RMS Voltage below Extreme Under Voltage Threshold on Phase 3 (voltage returns "
              "above for longer than the configurable period)"),
    AlertCode(0x8099,
              "RMS Voltage below Voltage Sag Threshold (voltage returns above for longer than "
              "the configurable period)"),
    AlertCode(0x809A,
              "RMS Voltage below Voltage Sag Threshold on Phase 1 (voltage returns above for "
              "longer than the configurable period)"),
    AlertCode(0x809B,
              "RMS Voltage below Voltage Sag Threshold on Phase 2 (voltage returns above for "
              "longer than the configurable period)"),
    AlertCode(0x809C,
              "RMS Voltage below Voltage Sag Threshold on Phase 3 (voltage returns above for "
              "longer than the configurable period)"),
    AlertCode(0x810D, "Combined Credit Below Low Credit Threshold (prepayment mode)"),
    AlertCode(0x810E, "Credit Added Locally", (DLMS, GBZ), (ESME, GSME), (0x1001,), MAC,
              in_rtds=True),
    AlertCode(0x8119, "Emergency Credit Has Become Available (prepayment mode)"),
    AlertCode(0x8145, "Clock adjusted (within tolerance)"),
    AlertCode(0x8154, "Immediate HAN Interface Command Received and Successfully Actioned"),
    AlertCode(0x8155, "Immediate HAN Interface Command Received but not Successfully Actioned"),
    AlertCode(0x8161, "User Interface Command Input and Successfully Actioned"),
    AlertCode(0x8162, "User Interface Command Input but not Successfully Actioned"),
    AlertCode(0x8168, "Supply Disabled then Armed - Activate Emergency Credit triggered"),
    AlertCode(0x8183, "Device joined SMHAN"),
    AlertCode(0x8184, "Valve tested"),
    AlertCode(0x819D, "GSME Command Not Retrieved"),
    AlertCode(0x819E, "Tap Off Message Response or Alert Failure"),
    AlertCode(0x81A0, "Smart Meter Integrity Issue - Warning", (DLMS, GBZ), (ESME, GSME),
              (0x00F0, 0x00F2), MAC, in_rtds=True),
    AlertCode(0x81A1, "Battery Cover Closed"),
    AlertCode(0x81A2, "CH Connected to ESME"),
    AlertCode(0x81A3, "CH Disconnected from ESME"),
    AlertCode(0x81A4, "Close Tunnel Command Rejected"),
    AlertCode(0x81A5, "Communication From Local Port (e.g. Optical)"),
    AlertCode(0x81A6, "Customer Acknowledged Message on HAN Device"),
    AlertCode(0x81A7, "Debt Collection Completed - Time Debt 1"),
    AlertCode(0x81A8, "Debt Collection Completed - Time Debt 2"),
    AlertCode(0x81A9, "Debt Collection Completed - Payment Debt"),
    AlertCode(0x81AA, "Emergency Credit Exhausted"),
    AlertCode(0x81AB, "Emergency Credit Activated"),
    AlertCode(0x81AC, "Error Measurement Fault"),
    AlertCode(0x81AD, "Error Metrology Firmware Verification Failure"),
    AlertCode(0x81AE, "Error Non Volatile Memory"),
    AlertCode(0x81AF, "Error Program Execution"),
    AlertCode(0x81B0, "Error Program Storage"),
    AlertCode(0x81B1, "Error RAM"),
    AlertCode(0x81B2, "Error Unexpected Hardware Reset"),
    AlertCode(0x81B3, "Error Watchdog"),
    AlertCode(0x81B4, "Excess Gas Flow Beyond Meter Capacity"),
    AlertCode(0x81B5, "Flow Sensor Detects Air in Gas Flow"),
    AlertCode(0x81B6, "Flow Sensor Detects Reverse Flow of Gas"),
    AlertCode(0x81B7, "Incorrect phase sequencing"),
    AlertCode(0x81B8, "Incorrect Polarity"),
    AlertCode(0x81B9, "Meter Cover Closed"),
    AlertCode(0x81BA, "Request Tunnel Command Rejected"),
    AlertCode(0x81BB, "Reverse Current"),
    AlertCode(0x81BC, "Strong Magnetic Field Removed"),
    AlertCode(0x81BD, "Supply Connect Failure (Valve or Load Switch)"),
    AlertCode(0x81BE, "Supply Disabled Then Locked - Supply Tamper State Cause"),
    AlertCode(0x81BF, "Supply Disabled Then Armed - Uncontrolled Gas Flow Rate"),
    AlertCode(0x81C0, "Supply Disconnect Failure (Valve or Load Switch)"),
    AlertCode(0x81C1, "Terminal Cover Closed"),
    AlertCode(0x81C2, "Tilt Tamper Ended"),
    AlertCode(0x81C3, "Tilt Tamper"),
    AlertCode(0x81C4, "UTRN Manual Entry Suspended"),
    AlertCode(0x81C5, "UTRN rejected as locked out"),
    AlertCode(0x81C6, "Clock not adjusted (outside tolerance)"),
    AlertCode(0x8F01, "Active Power Import above Load Limit Threshold"),
    AlertCode(0x8F0A, "Billing Data Log Updated", (DLMS, GBZ), (ESME, GSME), (0x0061, 0x008B),
              SIGNED, in_rtds=True),
    AlertCode(0x8F0C, "Clock not adjusted (adjustment greater than 10 seconds)"),
    AlertCode(0x8F0F, "Credit Below Disablement Threshold (prepayment mode)"),
    AlertCode(0x8F12, "CHF Device Log Changed", (DLMS,), (CHF,), (0x0018,), MAC, in_rtds=True),
    AlertCode(0x8F1B, "Firmware Verification Failed At Power On"),
    AlertCode(0x8F1C, "Firmware Verification Failed"),
    AlertCode(0x8F1D, "GSME Power Supply Loss"),
    AlertCode(0x8F1E, "Integrity check of content or format of command failed"),
    AlertCode(0x8F1F, "Low Battery Capacity"),
    AlertCode(0x8F20, "Limited Duty Cycle Action Taken", (DLMS,), (CHF,), (0x0110,), MAC,
              in_rtds=True),
    AlertCode(0x8F21, "Duty Cycle fallen below Normal-Limited Duty Cycle Threshold"),
    AlertCode(0x8F22, "Critical Duty Cycle Action Taken"),
    AlertCode(0x8F23, "Duty Cycle fallen below Limited-Critical Duty Cycle Threshold"),
    AlertCode(0x8F24, "Regulated Duty Cycle Action Taken"),
    AlertCode(0x8F25, "Duty Cycle fallen below Critical-Regulated Duty Cycle Threshold"),
    AlertCode(0x8F26, "Sub GHz Channel Changed", (DLMS,), (CHF,), (0x0111,), MAC, in_rtds=True),
    AlertCode(0x8F27, "Sub GHz Channel Scan initiated"),
    AlertCode(0x8F28, "Sub GHz Channel Scan Request Assessment Outcome", (DLMS,), (CHF,),
              (0x0112,), MAC, in_rtds=True),
    AlertCode(0x8F29, "Three Lost GSME Searches Failed"),
    AlertCode(0x8F2A, "Sub GHz Configuration Changed", (DLMS,), (CHF,), (0x0113,), MAC,
              in_rtds=True),
    AlertCode(0x8F2B, "Sub GHz Channel not changed due to Frequency Agility Parameters"),
    AlertCode(0x8F2C, "Message Discarded Due to Duty Cycle Management", (DLMS,), (CHF,), (0x0114,),
              MAC, in_rtds=True),
    AlertCode(0x8F2D, "No More Sub GHz Device Capacity", (DLMS,), (CHF,), (0x0115,), MAC,
              in_rtds=True),
    AlertCode(0x8F30, "Source Does not have Authority for Command", (DLMS, GBZ), (ESME, GSME),
              (0x1000,), SIGNED, in_rtds=True),
    AlertCode(0x8F32, "Supply Armed"),
    AlertCode(0x8F33, "Supply Disabled then Armed - Load Limit triggered"),
    AlertCode(0x8F34, "Supply Enabled after Load Limit Restoration Period (Load Limit triggered)"),
    AlertCode(0x8F35, "Supply Outage Restored"),
    # No RTDS example: format from the ECS80 use case (message code 0x0067).
    AlertCode(0x8F36, "Supply Outage Restored - Outage >= 3 minutes", (DLMS,), (ESME,), (0x0067,),
              SIGNED),
    AlertCode(0x8F37, "Supply Outage Restored on Phase 1"),
    AlertCode(0x8F38, "Supply Outage Restored on Phase 1 Restored - Outage >= 3 minutes"),
    AlertCode(0x8F39, "Supply Outage Restored on Phase 2 Restored"),
    AlertCode(0x8F3A, "Supply Outage Restored on Phase 2 Restored - Outage >= 3 minutes"),
    AlertCode(0x8F3B, "Supply Outage Restored on Phase 3 Restored"),
    AlertCode(0x8F3C, "Supply Outage Restored on Phase 3 Restored - Outage >= 3 minutes"),
    AlertCode(0x8F3D, "Trusted Source Authentication Failure"),
    AlertCode(0x8F3E, "Unauthorised Communication Access attempted"),
    AlertCode(0x8F3F, "Unauthorised Physical Access - Tamper Detect"),
    AlertCode(0x8F43, "Change in the executing Firmware version"),
    AlertCode(0x8F47, "Credit would cause Meter Balance to exceed Maximum Meter Balance Threshold"),
    AlertCode(0x8F48, "Device joining failed"),
    AlertCode(0x8F49, "Device joining succeeded"),
    AlertCode(0x8F4A, "Device Unjoining failed"),
    AlertCode(0x8F4B, "Device Unjoining succeeded"),
    AlertCode(0x8F4C, "Device's own Digital Signing Certificate replacement failed"),
    AlertCode(0x8F4D, "Device's own Digital Signing Certificate replacement succeeded"),
    AlertCode(0x8F4E, "Device's own Key Agreement Certificate replacement failed"),
    AlertCode(0x8F4F, "Device's own Key Agreement Certificate replacement succeeded"),
    AlertCode(0x8F51, "Duplicate UTRN entered"),
    AlertCode(0x8F52, "Event Log Cleared"),
    AlertCode(0x8F53, "Failed Authentication or Authorisation not covered by other codes"),
    AlertCode(0x8F57, "Supply interrupted"),
    AlertCode(0x8F58, "Supply interrupted on Phase 1"),
    AlertCode(0x8F59, "Supply interrupted on Phase 2"),
    AlertCode(0x8F5A, "Supply interrupted on Phase 3"),
    AlertCode(0x8F5B, "UTRN exceeds Maximum Credit Threshold"),
    AlertCode(0x8F60, "Unusual numbers of malformed, out-of-order or unexpected Commands received"),
    AlertCode(0x8F63, "UTRN not Authentic"),
    AlertCode(0x8F64, "UTRN not for this Device"),
    AlertCode(0x8F66, "Future-date HAN Interface Command Successfully Actioned", (ASN1, DLMS, GBZ),
              (ESME, GSME, SAPC), (0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x0124), SIGNED, in_rtds=True),
    # RTDS has 8F67 only in ASN.1 alerts from the ESME; the primer (§8.1.4, §8.2.7, §9) also
    # has the DLMS and GBZ future-dated execution alerts carry it, like 8F66.
    AlertCode(0x8F67, "Future-date HAN Interface Command not Successfully Actioned",
              (ASN1, DLMS, GBZ), (ESME, GSME, SAPC), (0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x0124),
              SIGNED, in_rtds=True),
    AlertCode(0x8F69, "Device commissioned"),
    AlertCode(0x8F70, "Update Security Credentials"),
    AlertCode(0x8F72, "Firmware Verification Successful", (DLMS, GBZ), (ESME, GSME),
              (0x00CE, 0x00CF), SIGNED, in_rtds=True),
    AlertCode(0x8F73, "Unauthorised Physical Access - Battery Cover Removed"),
    AlertCode(0x8F74, "Unauthorised Physical Access - Meter Cover Removed"),
    AlertCode(0x8F75, "Unauthorised Physical Access - Strong Magnetic field"),
    AlertCode(0x8F76, "Unauthorised Physical Access - Terminal Cover Removed"),
    AlertCode(0x8F77, "Unauthorised Physical Access - Second Terminal Cover Removed"),
    AlertCode(0x8F78, "Unauthorised Physical Access - Other"),
    AlertCode(0x8F82, "Remaining Battery Capacity reset"),
    AlertCode(0x8F83, "Disablement of Supply due to insufficient credit has been suspended"),
    AlertCode(0x8F84, "Failure to Deliver Remote Party Message to ESME"),
    # No RTDS example: format from the ECS100 use case (message code 0x0120).
    AlertCode(0x8F85, "Command not supported by Device (ECS100)", (DLMS,), (SAPC,), (0x0120,),
              SIGNED),
    AlertCode(0x8F86, "Limit APC [n] Level Command processed (ECS101)", (DLMS,), (ESME,),
              (0x0121,), SIGNED, in_rtds=True),
    AlertCode(0x8F87, "Limit APC [n] Level ended or cancelled (ECS102)", (DLMS,), (ESME, SAPC),
              (0x0122,), SIGNED, in_rtds=True),
    AlertCode(0x8F88, "Operational Update (ECS200)", (DLMS,), (ESME,), (0x0123,), SIGNED,
              in_rtds=True),
    # Format from the CCS08 use case (§9, §11.10); RTDS has only the SUCCESS alert.
    AlertCode(0x8F89, "Firmware transfer alert FAIL", (ASN1,), (CHF,), (0x0128,), SIGNED),
    AlertCode(0x8F8A, "Firmware transfer alert SUCCESS", (ASN1,), (CHF,), (0x0128,), SIGNED,
              in_rtds=True),
    AlertCode(0x8F8B, "Read Firmware version alert", (ASN1,), (PPMID,), (0x012B,), SIGNED,
              in_rtds=True),
)

del ESME, GSME, GPF, CHF, PPMID, SAPC, DLMS, GBZ, ASN1, SIGNED, MAC

_BY_CODE: dict[int, AlertCode] = {alert.code: alert for alert in ALERT_CODES}


def all_alert_codes() -> tuple[AlertCode, ...]:
    """Every alert code in the table, in code order."""
    return ALERT_CODES


def alert_code_info(code: int) -> AlertCode | None:
    """The row of alert code ``code``, or ``None`` if it is not in the table."""
    return _BY_CODE.get(code)


def alert_name(code: int) -> str | None:
    """The name of alert code ``code``, or ``None`` if it is not in the table."""
    alert = _BY_CODE.get(code)
    return alert.name if alert is not None else None
