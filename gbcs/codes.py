"""GBCS message codes: which use case each code stands for and how its messages are framed.

Every GBCS command, response and alert names its layout with a 16-bit *message code* in the
Other-Information field of the Grouping Header (primer §3.4). This module is the message-code
table of the primer (§9) as Python data, one :class:`UseCase` row per code, plus the rules of
§3.3, §7.6 and §10.1 that follow from it:

* whether a command must be signed by the originating remote party (a "critical" command),
* whether the response or alert is device-signed (bare ``DF``) or MAC'd (``DD`` wrapper),
* whether the response Grouping Header carries a date-time,
* which payload family (DLMS, GBZ, ASN.1) the content uses and which devices take part.

The alert codes carried inside alert payloads are in :mod:`gbcs.alert_codes`.

Where the primer and the DCC Reference Test Data Set (RTDS 4.5.0) disagree, the table
follows RTDS; each such row says so in a comment. ``tests/test_codes.py`` checks every RTDS
message against this table.
"""

from __future__ import annotations

from enum import Enum, Flag, auto

from gbcs.value_type import value_type

__all__ = [
    "USE_CASES",
    "DeviceType",
    "MessageKinds",
    "PayloadFamily",
    "Protection",
    "Sensitivity",
    "UseCase",
    "alert_is_critical",
    "all_use_cases",
    "by_use_case_id",
    "is_critical_command",
    "response_has_date_time",
    "response_is_signed",
    "use_case_for",
]


class DeviceType(Enum):
    """A device that is sent a command or raises an alert."""

    ESME = "ESME"
    GSME = "GSME"
    GPF = "GPF"
    CHF = "CHF"
    PPMID = "PPMID"
    HCALCS = "HCALCS"
    SAPC = "SAPC"
    """Standalone auxiliary proportional controller (load-controlled device); RTDS device
    ``00DB1234567890A6``, identified by the use cases that address it."""
    ZIGBEE_DEVICE = "ZigBee device"
    """GBCS "ZigBee Device": any device that takes GBZ payloads over the WAN (GSME, GPF)."""
    ANY = "any device"

    def covers(self, device: DeviceType) -> bool:
        """Whether ``device`` is this device type or one of the devices it stands for."""
        if self is DeviceType.ANY:
            return True
        if self is DeviceType.ZIGBEE_DEVICE:
            return device in (DeviceType.ZIGBEE_DEVICE, DeviceType.GSME, DeviceType.GPF)
        return self is device


class PayloadFamily(Enum):
    """The content family of a message (primer §8), told apart by its first bytes."""

    DLMS = "DLMS"
    """DLMS/COSEM xDLMS: ``D9`` access-request, ``DA`` access-response, ``0F`` alert."""
    GBZ = "GBZ"
    """ZigBee Smart Energy payload, starting with profile id ``01 09``."""
    ASN1 = "ASN.1"
    """ASN.1 DER: ``30`` SEQUENCE, ``02`` INTEGER, ``04`` OCTET STRING or ``05`` NULL."""
    ZSE_HAN_ONLY = "ZSE (HAN only)"
    """A ZigBee Smart Energy exchange on the HAN; the code is used for logging only."""
    MIXED = "DLMS/GBZ"
    """DLMS or GBZ, following the raising device (the generic alerts)."""


class MessageKinds(Flag):
    """The GBCS message kinds that carry a code (the "CRA" column)."""

    NONE = 0
    """HAN-only codes: never the code of a GBCS command, response or alert."""
    COMMAND_RESPONSE = auto()
    """A command (CRA flag 1) and its response (CRA flag 2): "CR" in the primer."""
    ALERT = auto()
    """An alert (CRA flag 3): "A" in the primer."""


class Protection(Enum):
    """How a command, response or alert is protected (primer §1, §7)."""

    SIGNED = "signed"
    """ECDSA signature: ``40`` + 64 bytes ending the General-Signing APDU. Signed commands
    (critical commands) are in addition MAC'd by the ACB; signed responses and alerts are
    bare ``DF`` APDUs."""
    MAC = "MAC"
    """MAC only: ``DD`` wrapper, signature length ``00``."""
    VARIANT = "variant"
    """Either form, chosen per message: MAC-only (``DD``) or signature-only (``DF`` with a
    signature and no MAC); the response follows the command."""


class Sensitivity(Enum):
    """Whether responses or alerts of a code carry an encrypted part (primer §7.7)."""

    NOT_SENSITIVE = "No"
    SEEN_IN_RTDS = "Yes"
    """RTDS messages of this code contain an encrypted part."""
    DOC_ONLY = "Yes (doc)"
    """Marked sensitive in the use-case document; no RTDS message shows it."""


@value_type
class UseCase:
    """One row of the message-code table (primer §9).

    ``None`` in an optional field means "not applicable" (e.g. the response fields of an
    alert) or "not determinable from the sources" (see ``notes``).
    """

    code: int
    """The 16-bit message code."""
    use_case: str
    """Short GBCS use-case id ("ECS17b"); alerts without one have a short name ("GCA")."""
    name: str
    srvs: tuple[str, ...]
    """DUIS service-request variants producing the command; empty for alerts, HAN-only and
    DCC-internal codes."""
    targets: tuple[DeviceType, ...]
    """Devices a command is sent to, or that raise the alert."""
    payload: PayloadFamily
    message_type: str | None
    """GBCS message type: "SME.C.C" critical command, "SME.C.NC" non-critical command,
    "SME.A.C" / "SME.A.NC" critical / non-critical alert, "SME.C.NC+UTRN", "variant", ..."""
    kinds: MessageKinds
    command_protection: Protection | None
    """``SIGNED`` for critical commands; ``None`` for alerts, HAN-only and undetermined codes."""
    response_protection: Protection | None
    alert_protection: Protection | None
    sensitive: Sensitivity | None
    response_date_time: bool | None
    """Whether the response Grouping Header carries a 12-byte date-time (primer §3.3)."""
    future_dated: bool | None
    """Whether the use-case document makes the command capable of future-dated execution."""
    acb_originated_variant: bool
    """The command can be originated by the ACB on behalf of a DUIS user, carrying the
    supplementary remote-party id and counter in Other-Information (primer §3.4)."""
    urp_variant: bool
    """The command can address an unknown remote party (URP): Other-Information carries the
    remote party's key-agreement certificate (primer §3.4). URP commands come from the ACB."""
    in_rtds: bool
    """RTDS 4.5.0 has a message with this code."""
    uncertain: bool
    """The name, meaning or SRV of the row is marked (?) in the primer."""
    notes: str

    @property
    def is_sensitive(self) -> bool:
        """Responses or alerts of this code carry an encrypted part."""
        return self.sensitive in (Sensitivity.SEEN_IN_RTDS, Sensitivity.DOC_ONLY)

    def applies_to(self, device: DeviceType) -> bool:
        """Whether ``device`` is among the targets (commands) or raisers (alerts)."""
        return any(target.covers(device) for target in self.targets)


# =====================================================================================
# Row builders
# =====================================================================================

class _Default(Enum):
    AS_COMMAND = auto()


def _as_tuple(targets: DeviceType | tuple[DeviceType, ...]) -> tuple[DeviceType, ...]:
    return targets if isinstance(targets, tuple) else (targets,)


def _cr(
    code: int,
    use_case: str,
    name: str,
    srvs: str,
    targets: DeviceType | tuple[DeviceType, ...],
    payload: PayloadFamily,
    message_type: str | None,
    command_protection: Protection | None,
    *,
    response_protection: Protection | _Default | None = _Default.AS_COMMAND,
    sensitive: Sensitivity | None = Sensitivity.NOT_SENSITIVE,
    response_date_time: bool | None = False,
    future_dated: bool | None = False,
    acb_originated_variant: bool = False,
    urp_variant: bool = False,
    in_rtds: bool = True,
    uncertain: bool = False,
    notes: str = "",
) -> UseCase:
    """A command/response row; the response is protected like the command unless given."""
    if response_protection is _Default.AS_COMMAND:
        response_protection = command_protection
    return UseCase(
        code=code,
        use_case=use_case,
        name=name,
        srvs=tuple(srvs.split()),
        targets=_as_tuple(targets),
        payload=payload,
        message_type=message_type,
        kinds=MessageKinds.COMMAND_RESPONSE,
        command_protection=command_protection,
        response_protection=response_protection,
        alert_protection=None,
        sensitive=sensitive,
        response_date_time=response_date_time,
        future_dated=future_dated,
        acb_originated_variant=acb_originated_variant,
        urp_variant=urp_variant,
        in_rtds=in_rtds,
        uncertain=uncertain,
        notes=notes,
    )


def _alert(
    code: int,
    use_case: str,
    name: str,
    raisers: DeviceType | tuple[DeviceType, ...],
    payload: PayloadFamily,
    message_type: str | None,
    alert_protection: Protection | None,
    *,
    sensitive: Sensitivity | None = Sensitivity.NOT_SENSITIVE,
    future_dated: bool | None = None,
    in_rtds: bool = True,
    uncertain: bool = False,
    notes: str = "",
) -> UseCase:
    """An alert row: no SRV and no command or response."""
    return UseCase(
        code=code,
        use_case=use_case,
        name=name,
        srvs=(),
        targets=_as_tuple(raisers),
        payload=payload,
        message_type=message_type,
        kinds=MessageKinds.ALERT,
        command_protection=None,
        response_protection=None,
        alert_protection=alert_protection,
        sensitive=sensitive,
        response_date_time=None,
        future_dated=future_dated,
        acb_originated_variant=False,
        urp_variant=False,
        in_rtds=in_rtds,
        uncertain=uncertain,
        notes=notes,
    )


def _han_only(
    code: int, use_case: str, name: str, targets: DeviceType, *, notes: str = ""
) -> UseCase:
    """A HAN-only ZSE use case whose message code is used for logging only."""
    return UseCase(
        code=code,
        use_case=use_case,
        name=name,
        srvs=(),
        targets=(targets,),
        payload=PayloadFamily.ZSE_HAN_ONLY,
        message_type="ZSE specified",
        kinds=MessageKinds.NONE,
        command_protection=None,
        response_protection=None,
        alert_protection=None,
        sensitive=Sensitivity.NOT_SENSITIVE,
        response_date_time=None,
        future_dated=None,
        acb_originated_variant=False,
        urp_variant=False,
        in_rtds=False,
        uncertain=False,
        notes=notes,
    )


# =====================================================================================
# The table (primer §9), in message-code order
# =====================================================================================

# Shorthands for the table; deleted again after it.
ESME, GSME, GPF, CHF = DeviceType.ESME, DeviceType.GSME, DeviceType.GPF, DeviceType.CHF
PPMID, HCALCS, SAPC = DeviceType.PPMID, DeviceType.HCALCS, DeviceType.SAPC
ZIGBEE, ANY = DeviceType.ZIGBEE_DEVICE, DeviceType.ANY
DLMS, GBZ, ASN1 = PayloadFamily.DLMS, PayloadFamily.GBZ, PayloadFamily.ASN1
MIXED = PayloadFamily.MIXED
SIGNED, MAC, VARIANT = Protection.SIGNED, Protection.MAC, Protection.VARIANT
SENSITIVE, SENSITIVE_DOC = Sensitivity.SEEN_IN_RTDS, Sensitivity.DOC_ONLY

USE_CASES: tuple[UseCase, ...] = (
    _cr(0x0001, "CCS01", "Add Device to CHF device log", "8.11", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x0002, "CCS02", "Remove device from CHF device log", "8.11", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x0003, "CCS03", "Restore CHF Device Log", "8.12", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x0004, "CCS05/CCS04", "Read CHF device log (active devices)", "8.9", CHF, DLMS, None, MAC,
        future_dated=None, acb_originated_variant=True,
        notes="GBCS v1.0 CHF form of SR 8.9 Read Device Log (\"CCS05/CCS04\"); GET IC104 "
              "active_devices, same payload as CCS06"),
    _cr(0x0007, "CS01a", "Apply Prepayment Top Up to an ESME", "2.2", ESME, DLMS, "SME.C.NC+UTRN",
        MAC, response_date_time=True,
        notes="UTRN top-up; grouping-header counter = UTRN counter (n<<32)"),
    _cr(0x0008, "CS02a", "Provide Security Credentials Details", "6.24.1", (CHF, ESME, GSME), ASN1,
        "variant", VARIANT, future_dated=None,
        notes="command sent either MAC-only (DD) or signature-only (DF, no MAC) - \"MAC\" and "
              "\"Signature\" variants"),
    _cr(0x000A, "CS02c", "Issue Security Credentials", "6.17", ESME, ASN1, "SME.C.C", SIGNED,
        future_dated=None),
    _cr(0x000B, "CS02d", "Update Device Certificates on Device", "6.15.2", ESME, ASN1, "SME.C.C",
        SIGNED, future_dated=None),
    _cr(0x000C, "CS02e", "Provide Device Certificates from Device", "6.24.2", ESME, ASN1,
        "variant", SIGNED, future_dated=None),
    _cr(0x000D, "CS03A1", "Method A Join (Meter)", "8.7.1", ESME, ASN1, "SME.C.C", SIGNED,
        future_dated=None),
    _cr(0x000E, "CS03B", "Method B Join", "8.7.2", GSME, ASN1, "SME.C.NC", MAC, future_dated=None,
        acb_originated_variant=True, notes="sent by Supplier or by ACB (supplementary RP fields)"),
    _cr(0x000F, "CS04AC", "Method A or C Unjoin", "8.8.1 8.8.2", (ESME, GSME, PPMID), ASN1,
        "SME.C.C", SIGNED, future_dated=None, acb_originated_variant=True,
        notes="same code used for CS04AC critical (supplier-signed) and non-critical "
              "(ACB-originated, ACB-signed)"),
    _cr(0x0010, "CS04B", "Method B Unjoin", "8.8.2", GSME, ASN1, "SME.C.NC", MAC,
        future_dated=None),
    _cr(0x0012, "CS06", "Activate Firmware", "11.3", ESME, ASN1, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=None),
    _cr(0x0013, "CS07", "Read Device Join Details", "8.9", GSME, ASN1, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x0014, "CS10a", "Read ZigBee Device Event Log", "6.13", ZIGBEE, GBZ, "SME.C.NC", MAC,
        notes="RTDS: GSME"),
    _cr(0x0015, "CS11", "Clear ZigBee Device Event Log", "3.3", (GPF, GSME), GBZ, "SME.C.NC", MAC),
    _alert(0x0018, "CS14", "Device Addition To / Removal From HAN Whitelist Alerts", ANY, DLMS,
           "SME.A.NC", MAC, future_dated=False,
           notes="RTDS: raised by the CHF; 8F12 CHF Device Log changed"),
    _cr(0x0019, "ECS01a", "Set Tariff and Price on ESME", "1.1", ESME, DLMS, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=True),
    _cr(0x001A, "ECS02", "Set ESME Payment Mode to Credit", "1.6", ESME, DLMS, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=True),
    _cr(0x001B, "ECS03", "Set ESME Payment Mode to Prepayment", "1.6", ESME, DLMS, "SME.C.C",
        SIGNED, response_date_time=True, future_dated=True),
    _cr(0x001C, "ECS04a", "Adjust Meter Balance on the ESME", "1.5", ESME, DLMS, "SME.C.C", SIGNED),
    _cr(0x001D, "ECS05", "Reset Tariff Block Counter Matrix", "1.7", ESME, DLMS, "SME.C.C", SIGNED),
    _cr(0x001E, "ECS07", "Manage Debt on the ESME", "2.3", ESME, DLMS, "SME.C.C", SIGNED,
        in_rtds=False),
    _cr(0x001F, "ECS08", "Update Prepayment Configuration on ESME", "2.1", ESME, DLMS, None,
        SIGNED, response_date_time=True, future_dated=None),
    _cr(0x0020, "ECS09", "Activate Emergency Credit Remotely on ESME", "2.5", ESME, DLMS,
        "SME.C.C", SIGNED),
    _cr(0x0021, "ECS10", "Send Message to ESME", "3.1", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x0022, "ECS12", "Set Change of Tenancy date on ESME", "3.2", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x0023, "ECS14", "Disable Privacy PIN Protection on ESME", "3.5", ESME, DLMS, "SME.C.NC",
        MAC),
    _cr(0x0024, "ECS15a", "Clear ESME Event Log", "3.3", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x0025, "ECS16", "Write Supplier Contact Details on ESME", "3.4", ESME, DLMS, "SME.C.NC",
        MAC),
    _cr(0x0026, "ECS17a", "Read ESME Energy Registers (Export Energy)", "4.2", ESME, DLMS,
        "SME.C.NC", MAC, response_date_time=True),
    _cr(0x0027, "ECS17b", "Read ESME Energy Registers (Import Energy)", "4.1", ESME, DLMS,
        "SME.C.NC", MAC, sensitive=SENSITIVE, response_date_time=True),
    _cr(0x0028, "ECS17c", "Read ESME Energy Registers (Power)", "4.16", ESME, DLMS, "SME.C.NC",
        MAC, response_date_time=True, in_rtds=False),
    _cr(0x0029, "ECS17d", "Read ESME Energy Register (TOU)", "4.1", ESME, DLMS, "SME.C.NC", MAC,
        sensitive=SENSITIVE, response_date_time=True),
    # Primer: sensitive "Yes" (= seen in RTDS), but RTDS has no message of this code.
    _cr(0x002A, "ECS17e", "Read ESME Energy Register (TOU with Blocks)", "4.1", ESME, DLMS,
        "SME.C.NC", MAC, sensitive=SENSITIVE_DOC, response_date_time=True, in_rtds=False),
    _cr(0x002B, "ECS18a", "Read Maximum Demand Registers (export)", "4.12", ESME, DLMS, "SME.C.NC",
        MAC, response_date_time=True),
    _cr(0x002C, "ECS18b", "Read Maximum Demand Registers (import)", "4.12", ESME, DLMS, "SME.C.NC",
        MAC, response_date_time=True),
    _cr(0x002D, "ECS19", "Read ESME Prepayment Registers", "4.3", ESME, DLMS, "SME.C.NC", MAC,
        sensitive=SENSITIVE, response_date_time=True),
    _cr(0x002E, "ECS20a", "Read ESME Billing Data Log (payment based debt payments)", "4.4", ESME,
        DLMS, "SME.C.NC", MAC),
    _cr(0x002F, "ECS20b",
        "Read ESME Billing Data Log (change of mode / tariff triggered exc export)", "4.4", ESME,
        DLMS, "SME.C.NC", MAC, sensitive=SENSITIVE),
    # Primer: sensitive "Yes" (= seen in RTDS), but RTDS has no message of this code.
    _cr(0x0030, "ECS20c", "Read ESME Billing Data Log (billing calendar triggered exc export)",
        "4.4", ESME, DLMS, "SME.C.NC", MAC, sensitive=SENSITIVE_DOC, in_rtds=False),
    _cr(0x0033, "ECS21a", "Read Electricity Daily Read Log (exc export)", "4.6", ESME, DLMS,
        "SME.C.NC", MAC, sensitive=SENSITIVE),
    # RTDS: the URP command is originated by the ACB with supplementary RP fields.
    _cr(0x0034, "ECS21b", "Read Electricity (Prepayment) Daily Read Log", "4.14", ESME, DLMS,
        "SME.C.NC", MAC, sensitive=SENSITIVE, acb_originated_variant=True, urp_variant=True),
    _cr(0x0035, "ECS21c", "Read Electricity Daily Read Log (export only)", "4.6", ESME, DLMS,
        "SME.C.NC", MAC, acb_originated_variant=True),
    _cr(0x0036, "ECS22a", "Read Electricity Half Hour Profile Data (export)", "4.8", ESME, DLMS,
        "SME.C.NC", MAC),
    _cr(0x0037, "ECS22b", "Read Electricity Half Hour Profile Data (active import)", "4.8", ESME,
        DLMS, "SME.C.NC", MAC, sensitive=SENSITIVE),
    _cr(0x0038, "ECS22c", "Read Electricity Half Hour Profile Data (reactive import)", "4.8", ESME,
        DLMS, "SME.C.NC", MAC),
    _cr(0x0039, "ECS23", "Read Voltage Operational Data", "4.10", ESME, DLMS, "SME.C.NC", MAC,
        response_date_time=True),
    _cr(0x003A, "ECS24", "Read ESME Tariff Data", "4.11", ESME, DLMS, "SME.C.NC", MAC,
        in_rtds=False),
    _cr(0x003B, "ECS26a", "Read ESME Configuration Data Prepayment", "4.13", ESME, DLMS,
        "SME.C.NC", MAC, in_rtds=False),
    _cr(0x003C, "ECS26b", "Read ESME Configuration Voltage Data", "6.2", ESME, DLMS, "SME.C.NC",
        MAC),
    _cr(0x003D, "ECS26c", "Read ESME Configuration Data Device Information (randomisation)", "6.2",
        ESME, DLMS, "SME.C.NC", MAC, in_rtds=False),
    _cr(0x003E, "ECS26d", "Read ESME Configuration Data Device Information (Billing Calendar)",
        "6.2.3", ESME, DLMS, None, MAC, future_dated=None),
    _cr(0x003F, "ECS26e",
        "Read ESME Configuration Data Device Information (device identity exc MPAN)", "6.2.4",
        ESME, DLMS, None, MAC, future_dated=None, in_rtds=False),
    _cr(0x0040, "ECS26f",
        "Read ESME Configuration Data Device Information (instantaneous power thresholds)", "6.2",
        ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x0042, "ECS27", "Read ESME Load Limit Data", "4.15", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x0043, "ECS28a", "Set Load Limit Configurations - General Settings", "6.4", ESME, DLMS,
        "SME.C.C", SIGNED, response_date_time=True, future_dated=True),
    _cr(0x0044, "ECS28b", "Set Load Limit Configuration Counter Reset", "6.4", ESME, DLMS,
        "SME.C.NC", MAC),
    _cr(0x0045, "ECS29a", "Set Voltage Configurations on ESME", "6.5", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x0046, "ECS30", "Set Billing Calendar on the ESME", "6.8", ESME, DLMS, None, SIGNED,
        future_dated=None),
    _cr(0x0047, "ECS34", "Set Instantaneous Power Threshold Configuration", "6.12", ESME, DLMS,
        "SME.C.NC", MAC, in_rtds=False),
    _cr(0x0048, "ECS35a", "Read ESME Event Log", "6.13", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x0049, "ECS35b", "Read ESME Security Log", "6.13", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x004A, "ECS37", "Set Maximum Demand Configurable Time Period", "6.18", ESME, DLMS,
        "SME.C.NC", MAC),
    _cr(0x004B, "ECS38", "Update Randomised Offset Limit", "7.12", ESME, DLMS, "SME.C.C", SIGNED),
    _cr(0x004C, "ECS39a", "Set MPAN Value on the ESME", "6.20", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x004D, "ECS39b", "Set Export MPAN Value on the ESME", "6.20", ESME, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x004E, "ECS40", "Read MPAN Value on the ESME", "6.2", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x004F, "ECS42", "Remotely Close the Load Switch on the ESME", "7.1", ESME, DLMS,
        "SME.C.C", SIGNED),
    _cr(0x0050, "ECS43", "Remotely Open the Load Switch on the ESME", "7.2", ESME, DLMS, "SME.C.C",
        SIGNED),
    _cr(0x0051, "ECS44", "Arm Load Switch in ESME", "7.3", ESME, DLMS, "SME.C.C", SIGNED,
        in_rtds=False),
    _cr(0x0052, "ECS45", "Read Status of Load Switch in the ESME", "7.4", ESME, DLMS, "SME.C.NC",
        MAC),
    _cr(0x0053, "ECS46a", "Set HC ALCS or ALCS Labels in ESME", "6.14", ESME, DLMS, "SME.C.C",
        SIGNED, in_rtds=False),
    _cr(0x0054, "ECS46c", "Set HC ALCS and ALCS configuration in ESME (excluding labels)",
        "6.14.2", ESME, DLMS, None, SIGNED, response_date_time=True, future_dated=None),
    # RTDS: SRV 7.8 (Reset) uses this code as well as 7.5 (primer: 7.5 only).
    _cr(0x0055, "ECS47", "Set or Reset HC ALCS or ALCS State", "7.5 7.8", ESME, DLMS, None, SIGNED,
        future_dated=None),
    _cr(0x0058, "ECS50", "Send CIN to ESME", "9.1", ESME, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True, in_rtds=False),
    _cr(0x0059, "ECS52", "Read ESME/Comms Hub Firmware Version", "11.2", (CHF, ESME), DLMS,
        "SME.C.NC", MAC),
    _cr(0x005A, "ECS57", "Reset ESME Maximum Demand Registers", "6.18", ESME, DLMS, "SME.C.NC",
        MAC),
    _cr(0x005E, "ECS61c", "Read Boost Button Data from ESME", "7.11", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x005F, "ECS62", "Set ALCS and Boost Button Association", "7.9 7.10", ESME, DLMS,
        "SME.C.NC", MAC),
    _cr(0x0060, "ECS66", "Read ESME Daily Consumption Log", "4.17", ESME, DLMS, "SME.C.NC", MAC,
        sensitive=SENSITIVE),
    _alert(0x0061, "ECS68", "ESME Critical Sensitive Alert (Billing Data Log)", ESME, DLMS,
           "SME.A.C", SIGNED, sensitive=SENSITIVE, notes="8F0A, encrypted billing data"),
    _cr(0x0062, "ECS70", "Set Clock on ESME", "6.11 8.1", ESME, DLMS, "SME.C.C", SIGNED),
    _alert(0x0067, "ECS80", "Supply Outage Restore Alert from ESME", ESME, DLMS, "SME.A.C", SIGNED,
           future_dated=False, in_rtds=False, notes="8F36"),
    _cr(0x0068, "ECS81", "Set Supply Tamper State on ESME", "6.25", ESME, DLMS, "SME.C.C", SIGNED),
    _cr(0x0069, "ECS82", "Read Meter Balance for ESME", "4.18", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x006B, "GCS01a", "Set Tariff and Price on GSME", "1.1", GSME, GBZ, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=True),
    _cr(0x006C, "GCS02", "Set GSME Payment Mode to Credit", "1.6", GSME, GBZ, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=True),
    _cr(0x006D, "GCS03", "Set GSME Payment Mode to Prepayment", "1.6", GSME, GBZ, "SME.C.C",
        SIGNED, response_date_time=True, future_dated=True),
    _cr(0x006E, "GCS04", "Manage Debt on the GSME", "2.3", GSME, GBZ, "SME.C.C", SIGNED),
    _cr(0x006F, "GCS05", "Update Prepayment Configurations on GSME", "2.1", GSME, GBZ, "SME.C.C",
        SIGNED, response_date_time=True, future_dated=True),
    _cr(0x0070, "GCS06", "Activate Emergency Credit Remotely on GSME", "2.5", GSME, GBZ, "SME.C.C",
        SIGNED),
    _cr(0x0071, "GCS07", "Send Message to GSME", "3.1", GSME, GBZ, "SME.C.NC", MAC),
    _cr(0x0072, "GCS09", "Set Change of Tenancy date on GPF", "3.2", GPF, GBZ, "SME.C.NC", MAC,
        in_rtds=False),
    _cr(0x0073, "GCS11", "Disable Privacy PIN Protection on GSME", "3.5", GSME, GBZ, "SME.C.NC",
        MAC),
    _cr(0x0074, "GCS13a", "Read GSME Consumption Register", "4.1", (GPF, GSME), GBZ, "SME.C.NC",
        MAC, sensitive=SENSITIVE, response_date_time=True,
        notes="GPF primary, GSME for the Supplier only"),
    _cr(0x0075, "GCS14", "Read GSME Prepayment Registers", "4.3", (GPF, GSME), GBZ, "SME.C.NC",
        MAC, sensitive=SENSITIVE, response_date_time=True, notes="GPF primary"),
    _cr(0x0076, "GCS15c", "Read GSME Billing Data Log (billing calendar triggered)", "4.4",
        (GPF, GSME), GBZ, "SME.C.NC", MAC, sensitive=SENSITIVE,
        notes="GPF primary, GSME for the Supplier only"),
    _cr(0x0077, "GCS16a", "Read GSME Daily Read Log", "4.6", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        sensitive=SENSITIVE, notes="GPF primary, GSME for the Supplier only"),
    # Primer: sensitive "Yes" (= seen in RTDS), but RTDS has no message of this code.
    _cr(0x0078, "GCS17", "Read GSME Profile Data Log", "4.8", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        sensitive=SENSITIVE_DOC, in_rtds=False, notes="GPF primary, GSME for the Supplier only"),
    _cr(0x0079, "GCS18", "Read Gas Network Data Log", "4.10", GSME, GBZ, "SME.C.NC", MAC,
        sensitive=SENSITIVE),
    _cr(0x007B, "GCS21a", "Read Gas Configuration Data Device Information", "6.2", GSME, GBZ,
        "SME.C.NC", MAC),
    _cr(0x007C, "GCS23", "Set CV and Conversion Factor Value(s) on the GSME", "6.6", GSME, GBZ,
        "SME.C.C", SIGNED),
    _cr(0x007D, "GCS24", "Set Uncontrolled Gas Flow Rate and Supply Tamper State on the GSME",
        "6.7", GSME, GBZ, None, SIGNED, future_dated=None),
    _cr(0x007E, "GCS25", "Set Billing Calendar on the GSME", "6.8", GSME, GBZ, "SME.C.C", SIGNED),
    _cr(0x007F, "GCS28", "Set Clock on GSME", "6.11", GSME, ASN1, "SME.C.C", SIGNED,
        future_dated=None),
    _cr(0x0080, "GCS31", "Start Network Data Log on GSME", "14.1", GSME, GBZ, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x0081, "GCS32", "Remotely close the valve in the GSME", "7.2", GSME, GBZ, "SME.C.C",
        SIGNED),
    _cr(0x0082, "GCS33", "Read GSME Valve Status", "7.4", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        notes="GPF primary"),
    _cr(0x0083, "GCS36", "Send CIN to GSME", "9.1", GSME, GBZ, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x0084, "GCS38", "Read GSME Firmware Version", "11.2", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        in_rtds=False, notes="GPF primary"),
    _cr(0x0085, "GCS39", "Arm Valve in GSME", "7.3", GSME, GBZ, "SME.C.C", SIGNED),
    _cr(0x0086, "GCS40a", "Adjust Prepayment Mode Meter Balance on the GSME", "1.5", GSME, GBZ,
        "SME.C.C", SIGNED),
    _cr(0x0087, "GCS41", "Set MPRN Value on the GSME", "6.20", GSME, GBZ, "SME.C.NC", MAC),
    _cr(0x0088, "GCS44", "Write Contact Details on GSME", "3.4", GSME, GBZ, "SME.C.NC", MAC,
        in_rtds=False),
    _cr(0x0089, "GCS46", "Read MPRN on the GSME", "6.2", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        notes="GPF primary"),
    # Primer: sensitive "Yes" (= seen in RTDS), but RTDS has no message of this code.
    _alert(0x008B, "GCS53", "Push Billing Data Log as an Alert", GSME, GBZ, "SME.A.C", SIGNED,
           sensitive=SENSITIVE_DOC, in_rtds=False, notes="8F0A, encrypted Publish Snapshot"),
    _cr(0x008C, "GCS59", "Restore GPF Device Log", "8.12.2", GPF, ASN1, "SME.C.NC", MAC,
        future_dated=None),
    _cr(0x008D, "GCS60", "Read Meter Balance for GSME", "4.18", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        notes="GPF primary"),
    _cr(0x0090, "PCS02", "Activate Emergency Credit on GSME from PPMID", "", GSME, GBZ,
        "SME.C.PPMID-GSME", MAC, future_dated=None,
        notes="HAN-only PPMID→GSME, MAC with PPMID/GSME KA keys"),
    _cr(0x0092, "ECS26i", "Read Configuration Data Device Information (CHF identity)", "6.2.4",
        CHF, DLMS, None, MAC, future_dated=None, acb_originated_variant=True),
    _cr(0x0093, "ECS35c", "Read CHF Event Log", "6.13", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True, in_rtds=False),
    _cr(0x0094, "ECS35d", "Read CHF Security Log", "6.13", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True),
    # RTDS: the URP command is originated by the ACB with supplementary RP fields.
    _cr(0x0096, "GCS16b", "Read GSME Daily Read log(s) (prepayment)", "4.14", (GPF, GSME), GBZ,
        "SME.C.NC", MAC, sensitive=SENSITIVE, acb_originated_variant=True, urp_variant=True,
        notes="GPF primary, GSME for the Supplier only"),
    _cr(0x0097, "CS01b", "Apply Prepayment Top Up to a GSME", "2.2", GSME, GBZ, "SME.C.NC+UTRN",
        MAC, response_date_time=True,
        notes="UTRN top-up; grouping-header counter = UTRN counter (n<<32)"),
    _cr(0x009B, "PCS01", "Apply Prepayment Top Up to a GSME using PPMID", "", GSME, GBZ,
        "SME.C.PPMID-GSME", MAC, future_dated=None,
        notes="HAN-only PPMID→GSME, MAC with PPMID/GSME KA keys"),
    _cr(0x009D, "GCS21d", "Read GSME Configuration Data Device Information (BillingCalendar)",
        "6.2.3", GSME, GBZ, None, MAC, future_dated=None),
    _cr(0x009E, "GCS21e", "Read GSME/GPF Configuration Data Device Information (device identity)",
        "6.2.4", GSME, GBZ, None, MAC, future_dated=None),
    _cr(0x009F, "GCS21f", "Read GSME Tariff Data", "4.11", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        notes="GPF primary"),
    _cr(0x00A0, "GCS61", "Read Gas Daily Consumption Log", "4.17", GPF, GBZ, "SME.C.NC", MAC,
        sensitive=SENSITIVE, acb_originated_variant=True, urp_variant=True),
    _cr(0x00A1, "CS10b", "Read ZigBee Device Security Log", "6.13", ZIGBEE, GBZ, "SME.C.NC", MAC,
        notes="RTDS: GSME"),
    _cr(0x00A2, "ECS01b", "Set Price on ESME", "1.2", ESME, DLMS, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=True),
    _cr(0x00A3, "GCS01b", "Set Price on GSME", "1.2", GSME, GBZ, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=True, in_rtds=False),
    # RTDS: the non-critical variant is SRV 8.7.2 (primer: 8.7.1 only).
    _cr(0x00AB, "CS03A2", "Method A Join (non Meter)", "8.7.1 8.7.2", (HCALCS, PPMID), ASN1,
        "SME.C.C", SIGNED, future_dated=None, acb_originated_variant=True,
        notes="critical variant signed by Supplier, non-critical variant originated and signed "
              "by ACB"),
    _cr(0x00AC, "ECS25a", "Set Alert Behaviours - ESME - Supplier", "6.22", ESME, DLMS, "SME.C.NC",
        MAC),
    _cr(0x00AD, "GCS20", "Set Alert Behaviours - GSME", "6.22", GSME, GBZ, "SME.C.NC", MAC),
    _cr(0x00AE, "ECS29b", "Set Voltage Configurations on ESME - 3ph", "6.5", ESME, DLMS,
        "SME.C.NC", MAC, in_rtds=False),
    # RTDS: the non-critical variant is SRV 8.7.2 (primer: 8.7.1 only).
    _cr(0x00AF, "CS03C", "Method C Join", "8.7.1 8.7.2", (GSME, PPMID), ASN1, "SME.C.C", SIGNED,
        future_dated=None, acb_originated_variant=True,
        notes="critical variant signed by Supplier, non-critical variant originated and signed "
              "by ACB"),
    _cr(0x00B0, "ECS25b", "Set Alert Behaviours - ESME - Network Operator", "6.22", ESME, DLMS,
        "SME.C.NC", MAC),
    _alert(0x00B2, "GCS62", "Backup GPF Device Log", GPF, ASN1, "SME.A.NC", MAC,
           notes="8071 GPF Device Log changed"),
    _cr(0x00B3, "ECS04b", "Reset Meter Balance on the ESME", "1.5", ESME, DLMS, "SME.C.C", SIGNED),
    _cr(0x00B4, "GCS40b", "Reset Prepayment Mode Meter Balance on the GSME", "1.5", GSME, GBZ,
        "SME.C.C", SIGNED),
    _cr(0x00B5, "GCS21b", "Read GSME Configuration Data Prepayment", "4.13", (GPF, GSME), GBZ,
        "SME.C.NC", MAC, notes="GPF primary"),
    _cr(0x00B6, "GCS13c", "Read GSME Register (TOU)", "4.1", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        sensitive=SENSITIVE, response_date_time=True,
        notes="GPF primary, GSME for the Supplier only"),
    _cr(0x00B7, "ECS01c", "Set Tariff and Price on ESME secondary", "1.1", ESME, DLMS, "SME.C.C",
        SIGNED, response_date_time=True, future_dated=True),
    _cr(0x00B8, "GCS13b", "Read GSME Block Counters", "4.1", (GPF, GSME), GBZ, "SME.C.NC", MAC,
        sensitive=SENSITIVE, response_date_time=True, notes="GPF primary"),
    _cr(0x00B9, "ECS35e", "Read ESME Power Event Log", "6.13", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x00BA, "ECS35f", "Read ALCS Event Log", "6.13", ESME, DLMS, None, MAC, future_dated=None),
    _cr(0x00BB, "ECS61a", "Read HC ALCS and ALCS Data from ESME", "7.7", ESME, DLMS, None, MAC,
        future_dated=None),
    _cr(0x00BC, "ECS23b", "Read Voltage Operational Data - 3 Phase", "4.10", ESME, DLMS,
        "SME.C.NC", MAC, response_date_time=True),
    _cr(0x00BD, "ECS24b", "Read ESME Tariff Data - second element", "4.11", ESME, DLMS, "SME.C.NC",
        MAC),
    _cr(0x00BE, "ECS26j", "Read ESME Configuration Data Device Information (Payment Mode)", "6.2",
        ESME, DLMS, "SME.C.NC", MAC, in_rtds=False),
    _cr(0x00BF, "GCS21j", "Read GSME Configuration Data Device Information (Payment Mode)", "6.2",
        (GPF, GSME), GBZ, "SME.C.NC", MAC, notes="GPF primary"),
    _cr(0x00C0, "GCS40c", "Adjust Credit Mode Meter Balance on the GSME", "1.5", GSME, GBZ,
        "SME.C.C", SIGNED),
    _cr(0x00C1, "ECS15c", "Clear ALCS Event Log", "3.3", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x00C2, "GCS40d", "Reset Credit Mode Meter Balance on the GSME", "1.5", GSME, GBZ,
        "SME.C.C", SIGNED, in_rtds=False),
    _cr(0x00C3, "GCS15b", "Read GSME Billing Data Log (change of mode / tariff triggered)", "4.4",
        (GPF, GSME), GBZ, "SME.C.NC", MAC, sensitive=SENSITIVE,
        notes="GPF primary, GSME for the Supplier only"),
    _cr(0x00C4, "GCS15d", "Read GSME Billing Data Log (payment-based debt payments)", "4.4",
        (GPF, GSME), GBZ, "SME.C.NC", MAC, sensitive=SENSITIVE, acb_originated_variant=True,
        notes="GPF primary"),
    _cr(0x00C5, "GCS15e", "Read GSME Billing Data Log (prepayment credits)", "4.4", (GPF, GSME),
        GBZ, "SME.C.NC", MAC, in_rtds=False, notes="GPF primary"),
    _cr(0x00C6, "ECS26k", "Read ESME Configuration Voltage Data - 3 phase", "6.2", ESME, DLMS,
        "SME.C.NC", MAC),
    _cr(0x00C7, "ECS01d", "Set Price on ESME secondary", "1.2", ESME, DLMS, "SME.C.C", SIGNED,
        response_date_time=True, future_dated=True),
    _cr(0x00C9, "ECS20d", "Read ESME Billing Data Log (prepayment credits)", "4.4", ESME, DLMS,
        "SME.C.NC", MAC),
    _alert(0x00CA, "FDFAA", "Future Dated Firmware Activation Alert", ESME, ASN1, None, SIGNED,
           notes="8F66/8F67 after future-dated CS06"),
    _alert(0x00CB, "FDUSCA", "Future Dated Update Security Credentials Alert", ESME, ASN1, None,
           SIGNED, notes="8F66/8F67 after future-dated CS02b"),
    _alert(0x00CC, "FDEIA-DLMS", "Future Dated Execution Of Instruction Alert (DLMS COSEM)",
           (ESME, SAPC), DLMS, None, SIGNED, notes="8F66/8F67 for DLMS future-dated commands"),
    _alert(0x00CD, "FDEIA-ZigBee", "Future Dated Execution Of Instruction Alert (GBZ)", GSME, GBZ,
           None, SIGNED, notes="8F66/8F67 for GBZ future-dated commands"),
    _alert(0x00CE, "FDRA-DLMS", "Firmware Distribution Receipt Alert (ESME)", ESME, DLMS, None,
           SIGNED, notes="8F72 with SHA-256 of received image"),
    _alert(0x00CF, "FDRA-ZigBee", "Firmware Distribution Receipt Alert (GSME)", GSME, GBZ, None,
           SIGNED, notes="8F72 with SHA-256 of received image"),
    _cr(0x00D1, "ECS29c", "Set Voltage Configurations on ESME without counter reset", "6.5", ESME,
        DLMS, "SME.C.NC", MAC),
    _cr(0x00D2, "ECS29d", "Set Voltage Configurations on polyphase ESME without counter reset",
        "6.5", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x00D3, "ECS29e", "Reset RMS Voltage Counters on ESME", "6.27", ESME, DLMS, "SME.C.NC",
        MAC, in_rtds=False),
    _cr(0x00D4, "ECS29f", "Reset RMS Voltage Counters on polyphase ESME", "6.27", ESME, DLMS,
        "SME.C.NC", MAC),
    # Raiser and payload from the notes and from primer §8.2.7 (a DLMS data-notification).
    _alert(0x00D5, "FDRPMA", "Failure to Deliver Remote Party Message to ESME Alert", CHF, DLMS,
           None, None, sensitive=None, in_rtds=False, uncertain=True,
           notes="8F84 alert from CHF; body = remote-party message id (orig, target, CRA, "
                 "counter); layout from parser only"),
    _cr(0x00D7, "ECS30a", "Set Billing Calendar on the ESME - all periodicities", "6.8", ESME,
        DLMS, "SME.C.C", SIGNED),
    _cr(0x00D8, "GCS25a", "Set Billing Calendar on the GSME - all periodicities", "6.8", GSME, GBZ,
        "SME.C.C", SIGNED),
    _cr(0x00D9, "ECS26l",
        "Read ESME Configuration Data Device Information (Billing Calendar - all periodicities)",
        "6.2", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x00DA, "GCS21k",
        "Read GSME Configuration Data Device Information (BillingCalendar - all periodicities)",
        "6.2", (GPF, GSME), GBZ, "SME.C.NC", MAC, notes="GPF primary"),
    _cr(0x00DB, "ECS48", "Configure daily resetting of Tariff Block Counter Matrix", "6.26", ESME,
        DLMS, "SME.C.C", SIGNED),
    _cr(0x00DE, "ECS08a", "Update Prepayment Configuration on ESME", "2.1", ESME, DLMS, "SME.C.C",
        SIGNED, response_date_time=True, future_dated=True),
    _cr(0x00EA, "ECS25a1", "Set Event Behaviours - ESME to HAN Device - Supplier", "6.22", ESME,
        DLMS, "SME.C.NC", MAC),
    _cr(0x00EB, "ECS25a2", "Set Event Behaviours - ESME audible alarm - Supplier", "6.22", ESME,
        DLMS, "SME.C.NC", MAC),
    _cr(0x00EC, "ECS25a3", "Set Event Behaviours - ESME logging - Supplier", "6.22", ESME, DLMS,
        "SME.C.NC", MAC, in_rtds=False),
    _cr(0x00ED, "ECS25b3", "Set Event Behaviours - ESME logging - Network Operator", "6.22", ESME,
        DLMS, "SME.C.NC", MAC),
    _cr(0x00EE, "ECS25r1", "Read non-critical event and alert behaviours - ESME - Supplier", "6.2",
        ESME, DLMS, "SME.C.NC", MAC, in_rtds=False),
    _cr(0x00EF, "ECS25r2",
        "Read non-critical event and alert behaviours - ESME - Network Operator", "6.2", ESME,
        DLMS, "SME.C.NC", MAC),
    _alert(0x00F0, "MIIWA-DLMS", "Meter Integrity Issue Warning Alert - ESME", ESME, DLMS, None,
           MAC, notes="81A0"),
    _cr(0x00F1, "GCS20r", "Read non-critical event and alert behaviours - GSME - Supplier", "6.2",
        GSME, GBZ, "SME.C.NC", MAC),
    _alert(0x00F2, "MIIWA-ZigBee", "Meter Integrity Issue Warning Alert - GSME", GSME, GBZ, None,
           MAC, in_rtds=False, notes="81A0"),
    _cr(0x00F9, "ECS26m",
        "Read ESME Configuration Data Device Information (identity, type and supply tamper state)",
        "6.2", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x00FA, "ECS26n", "Read CHF Configuration Data Device Information (CH identity and type)",
        "6.2", CHF, DLMS, "SME.C.NC", MAC, acb_originated_variant=True),
    _cr(0x00FB, "GCS21m",
        "Read GSME Configuration Data Device Information "
        "(identity, type and supply tamper / depletion state)",
        "6.2", GSME, GBZ, "SME.C.NC", MAC, in_rtds=False),
    _cr(0x00FC, "GCS24a",
        "Set Uncontrolled Gas Flow Rate and Supply Tamper State on the GSME (SMETS4)", "6.7", GSME,
        GBZ, "SME.C.C", SIGNED, in_rtds=False),
    _cr(0x00FD, "ECS35g", "Read ALCS Event Log", "6.13", ESME, DLMS, "SME.C.NC", MAC),
    _cr(0x00FE, "CCS07", "Read CHF Device Logs", "8.9", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True),
    _cr(0x0100, "CS02b", "Update Security Credentials (rootBySupplier)", "6.15.1", (), ASN1,
        "See GBCS", None, sensitive=None, response_date_time=None, future_dated=None,
        in_rtds=False, uncertain=True,
        notes="SRV marked (?); no RTDS example, framing not determinable"),
    _cr(0x0101, "CS02b", "Update Security Credentials (rootByWanProvider)", "6.15.1", (), ASN1,
        "See GBCS", None, sensitive=None, response_date_time=None, future_dated=None,
        in_rtds=False, uncertain=True,
        notes="SRV marked (?); no RTDS example, framing not determinable"),
    # RTDS: the 6.21 handover variant uses this code (primer SRV: 6.15.1 only).
    _cr(0x0102, "CS02b", "Update Security Credentials (supplierBySupplier)", "6.15.1 6.21",
        (ESME, GPF), ASN1, "See GBCS", SIGNED, response_date_time=True, future_dated=None,
        notes="the 6.21 \"handover\" variant is originated and signed by the ACB"),
    _cr(0x0103, "CS02b", "Update Security Credentials (networkOperatorByNetworkOperator)",
        "6.15.1", (ESME, GPF), ASN1, "See GBCS", SIGNED, response_date_time=True,
        future_dated=None,
        notes="the 6.21 \"handover\" variant is originated and signed by the ACB"),
    _cr(0x0104, "CS02b", "Update Security Credentials (accessControlBrokerByACB)", "8.5", ESME,
        ASN1, "See GBCS", MAC, response_protection=SIGNED, response_date_time=True,
        future_dated=None, notes="command MAC-only (ACB is originator), response signed"),
    _cr(0x0105, "CS02b", "Update Security Credentials (wanProviderByWanProvider)", "", CHF, ASN1,
        "See GBCS", SIGNED, response_date_time=True, future_dated=None),
    _cr(0x0106, "CS02b", "Update Security Credentials (transCoSByTransCoS)", "", ESME, ASN1,
        "See GBCS", SIGNED, response_date_time=True, future_dated=None, in_rtds=False),
    _cr(0x0107, "CS02b", "Update Security Credentials (supplierByTransCoS)", "6.23", ESME, ASN1,
        "See GBCS", SIGNED, response_date_time=True, future_dated=None),
    _cr(0x0108, "CS02b", "Update Security Credentials (anyExceptAbnormalRootByRecovery)", "", ESME,
        ASN1, "See GBCS", SIGNED, response_date_time=True, future_dated=None,
        notes="command is DF signed by Recovery key, no MAC wrapper"),
    _cr(0x0109, "CS02b", "Update Security Credentials (anyByContingency)", "", ESME, ASN1,
        "See GBCS", None, response_protection=SIGNED, response_date_time=True, future_dated=None,
        notes="only a response in RTDS; recipient system title 70b3d51f300017ff"),
    _cr(0x010A, "DBCH01", "Read CHF Sub GHz Channel", "6.31", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True, notes="dual-band CH only"),
    _cr(0x010B, "DBCH02", "Read CHF Sub GHz Channel Log", "6.32", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True, notes="dual-band CH only"),
    _cr(0x010C, "DBCH03", "Read CHF Sub GHz Configuration", "6.30", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True, notes="dual-band CH only"),
    _cr(0x010D, "DBCH04", "Set CHF Sub GHz Configuration", "6.28", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True, notes="dual-band CH only"),
    _cr(0x010E, "DBCH05", "Request CHF Sub GHz Channel Scan", "6.29", CHF, DLMS, "SME.C.NC", MAC,
        acb_originated_variant=True, notes="dual-band CH only"),
    _cr(0x010F, "CCS06", "Read CHF device log and check HAN communications", "8.9", CHF, DLMS,
        "SME.C.NC", MAC, acb_originated_variant=True),
    _alert(0x0110, "DBCH06", "Limited Duty Cycle Action Taken Sub GHz Alert", CHF, DLMS,
           "SME.A.NC", MAC, notes="8F20"),
    _alert(0x0111, "DBCH07", "Sub GHz Sub GHz Channel Changed Sub GHz Alert", CHF, DLMS,
           "SME.A.NC", MAC, notes="8F26"),
    _alert(0x0112, "DBCH08", "Sub GHz Channel Scan Request Assessment Outcome Sub GHz Alert", CHF,
           DLMS, "SME.A.NC", MAC, notes="8F28"),
    _alert(0x0113, "DBCH09", "Sub GHz Configuration Changed Sub GHz Alert", CHF, DLMS, "SME.A.NC",
           MAC, future_dated=False, notes="8F2A"),
    _alert(0x0114, "DBCH10", "Message Discarded Due to Duty Cycle Management Sub GHz Alert", CHF,
           DLMS, "SME.A.NC", MAC, notes="8F2C"),
    _alert(0x0115, "DBCH11", "No More Sub GHz Device Capacity Sub GHz Alert", CHF, DLMS,
           "SME.A.NC", MAC, notes="8F2D"),
    _han_only(0x0116, "PECS01", "Apply Prepayment Top Up to an ESME using PPMID", ESME,
              notes="HAN-only, message code used for logging only"),
    _han_only(0x0117, "PECS02", "Activate Emergency Credit on ESME from PPMID", ESME,
              notes="HAN-only, message code used for logging only"),
    _han_only(0x0118, "PECS03", "Request to Enable ESME Supply from PPMID", ESME,
              notes="HAN-only, message code used for logging only"),
    _han_only(0x0119, "HECS01",
              "Request Control of a HAN Connected Auxiliary Load Control Switch from HCALCS", ESME,
              notes="requested by an HCALCS over the HAN; HAN-only, message code used for "
                    "logging only"),
    # RTDS: also answered by the SAPC (..A6); primer target: ESME only.
    _cr(0x011A, "ECS46d", "Set Auxiliary Controller Calendar", "6.14.3", (ESME, SAPC), DLMS,
        "SME.C.C", SIGNED, response_date_time=True, future_dated=True),
    _cr(0x011B, "CS02f", "Provide Security Credential Details (ESME and SAPC)", "6.24.1",
        (ESME, SAPC), ASN1, "See GBCS", VARIANT, future_dated=None,
        notes="as CS02a: MAC-only or signature-only variants"),
    _cr(0x011C, "ECS61d", "Read Auxiliary Controller Configuration Data", "7.14", ESME, DLMS,
        "SME.C.NC", MAC, acb_originated_variant=True),
    _cr(0x011D, "ECS61e", "Read Auxiliary Controller Operational Data", "7.15", ESME, DLMS,
        "SME.C.NC", MAC, in_rtds=False),
    _cr(0x011E, "ECS47a", "Set Auxiliary Controller [n] State", "7.13", ESME, DLMS, "SME.C.C",
        SIGNED),
    _cr(0x011F, "ECS47e", "Limit APC [n] Level", "7.16", ESME, DLMS, "SME.C.C", SIGNED),
    _alert(0x0120, "ECS100", "Command not supported by Device (alert 0x8F85)", SAPC, DLMS,
           "see GBCS 7.2.9.1", SIGNED, in_rtds=False, notes="8F85"),
    _alert(0x0121, "ECS101", "Limit APC [n] Level Command processed (alert 0x8F86)", ESME, DLMS,
           "SME.A.C", SIGNED, notes="8F86"),
    _alert(0x0122, "ECS102", "Limit APC [n] Level ended or cancelled (alert 0x8F87)", (ESME, SAPC),
           DLMS, "SME.A.C", SIGNED, notes="8F87"),
    _alert(0x0123, "ECS200", "Operational Update (alert 0x8F88)", ESME, DLMS, "SME.A.C", SIGNED,
           notes="8F88 (UTF-8 JSON text body)"),
    _alert(0x0124, "CS02g", "Future Dated Update Load Controller Security Credentials Alert",
           (ESME, SAPC), ASN1, "See GBCS", SIGNED, notes="8F66/8F67 after future-dated CS02g"),
    _cr(0x0125, "CS02g",
        "Update Load Controller Security Credentials (loadControllerByLoadController)", "6.15.1",
        SAPC, ASN1, "See GBCS", SIGNED, response_date_time=True, future_dated=None),
    _cr(0x0126, "CS02g", "Update Load Controller Security Credentials (loadControllerBySupplier)",
        "6.15.1", ESME, ASN1, "See GBCS", SIGNED, response_date_time=True, future_dated=None,
        in_rtds=False),
    _alert(0x0128, "CCS08", "Firmware Transfer Alert", CHF, ASN1, "See GBCS", SIGNED,
           notes="8F89 fail / 8F8A success"),
    _cr(0x0129, "CS08", "Read PPMID/HCALCS Firmware Version", "11.2", (HCALCS, PPMID), ASN1,
        "See GBCS", MAC, future_dated=None, acb_originated_variant=True),
    _cr(0x012A, "GCS60a", "Read Meter Balance for GSME (variant)", "4.18", (GPF, GSME), GBZ, None,
        MAC, response_date_time=True, future_dated=None, in_rtds=False, uncertain=True,
        notes="no title in the sources (name from DUIS templates)"),
    _alert(0x012B, "CS09", "PPMID Firmware Activation Alert (alert 0x8F8B)", PPMID, ASN1,
           "SME.A.C", SIGNED, notes="8F8B"),
    _alert(0x1000, "GCA", "Generic Critical Alert", (ESME, GSME), MIXED, None, SIGNED,
           notes="any critical alert code without its own message code"),
    _alert(0x1001, "GNCA", "Generic Non Critical Alert", (ESME, GSME), MIXED, None, MAC,
           notes="any non-critical alert code without its own message code"),
)

del ESME, GSME, GPF, CHF, PPMID, HCALCS, SAPC, ZIGBEE, ANY
del DLMS, GBZ, ASN1, MIXED, SIGNED, MAC, VARIANT, SENSITIVE, SENSITIVE_DOC

_BY_CODE: dict[int, UseCase] = {use_case.code: use_case for use_case in USE_CASES}


# =====================================================================================
# Lookups
# =====================================================================================


def all_use_cases() -> tuple[UseCase, ...]:
    """Every row of the table, in message-code order."""
    return USE_CASES


def use_case_for(code: int) -> UseCase | None:
    """The row of message code ``code``, or ``None`` if the code is not in the table."""
    return _BY_CODE.get(code)


def by_use_case_id(use_case_id: str) -> tuple[UseCase, ...]:
    """The rows of a use-case id ("ECS17b", "cs02b"; case-insensitive), in code order.

    Some use cases have several codes (CS02b has one per replacement mode), so this returns
    a tuple, empty if the id is unknown.
    """
    wanted = use_case_id.casefold()
    return tuple(row for row in USE_CASES if row.use_case.casefold() == wanted)


def _require(code: int, kind: MessageKinds) -> UseCase:
    use_case = _BY_CODE.get(code)
    if use_case is None:
        raise LookupError(f"unknown message code 0x{code:04X}")
    if kind not in use_case.kinds:
        what = "command" if kind is MessageKinds.COMMAND_RESPONSE else "alert"
        raise ValueError(f"message code 0x{code:04X} ({use_case.use_case}) is not a {what} code")
    return use_case


def is_critical_command(code: int) -> bool:
    """Whether a command with this code must carry its originator's signature (§7.5).

    ``False`` for MAC-only commands and for the "variant" codes, which may be sent either
    way. Raises ``LookupError`` for unknown codes and ``ValueError`` for codes that are not
    used for commands.
    """
    return _require(code, MessageKinds.COMMAND_RESPONSE).command_protection is Protection.SIGNED


def response_is_signed(code: int, command_was_signed: bool) -> bool:
    """Whether the response is device-signed (bare ``DF``) rather than MAC'd (§7.6).

    Responses to signed commands are signed; so is the response to the MAC-only CS02b
    accessControlBrokerByACB command (and anything else whose row says so).
    """
    use_case = _require(code, MessageKinds.COMMAND_RESPONSE)
    return command_was_signed or use_case.response_protection is Protection.SIGNED


def response_has_date_time(code: int) -> bool:
    """Whether the response Grouping Header carries a 12-byte date-time (§3.3).

    Codes for which the sources do not say are treated as having none.
    """
    return _require(code, MessageKinds.COMMAND_RESPONSE).response_date_time is True


def alert_is_critical(code: int, alert_code: int) -> bool:
    """Whether an alert with message code ``code`` carrying ``alert_code`` is device-signed.

    The message code decides (§7.6, §10.1): critical alerts are signed bare ``DF`` APDUs,
    the others MAC'd. Where the message-code row leaves it open the alert-code table is
    asked; failing both the alert is non-critical, as §7.6 lists every critical alert
    message code.
    """
    use_case = _require(code, MessageKinds.ALERT)
    if use_case.alert_protection is not None:
        return use_case.alert_protection is Protection.SIGNED
    # Imported here because gbcs.alert_codes builds on this module's types.
    from gbcs.alert_codes import alert_code_info

    info = alert_code_info(alert_code)
    return info is not None and info.protection is Protection.SIGNED
