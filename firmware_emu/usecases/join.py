"""CS03 Join and CS04 Unjoin on the device logs of HAN devices (primer §11.5).

A join adds the other device to the recipient's device log as *pending*; the two
devices then establish their link over the HAN (:func:`establish_pending_links`), after
which the entry is *joined* and the device reports 8F49 Device joining succeeded (or
8F48 failed). An unjoin removes the entry at once and reports 8F4B (or 8F4A).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firmware_emu.han import HanError, HanTransport
from firmware_emu.registry import CommandContext, Outcome, UseCaseHandler
from firmware_emu.state import (
    Asn1DeviceType,
    DeviceType,
    HanDeviceLog,
    JoinStatus,
    NotInDeviceLogError,
)
from firmware_emu.usecases.common import event_alert, han_device_log, raise_event_alert
from firmware_emu.usecases.device_logs import raise_gpf_log_backup
from gbcs.asn1 import (
    JoinCommand,
    JoinMethodAndRole,
    JoinResponse,
    JoinResponseCode,
    KeyUsage,
    UnjoinCommand,
    UnjoinResponse,
    UnjoinResponseCode,
    encode_der,
)
from gbcs.asn1.payloads import Asn1MessageCode
from gbcs.errors import DecodeError

if TYPE_CHECKING:
    from firmware_emu.device import EmulatedDevice

DEVICE_JOINING_FAILED = 0x8F48
DEVICE_JOINING_SUCCEEDED = 0x8F49
DEVICE_UNJOINING_FAILED = 0x8F4A
DEVICE_UNJOINING_SUCCEEDED = 0x8F4B

PARTNER_CERTIFICATE_KEY = "asn1.join.partner_ka_certificate."
"""``attribute_values`` key prefix (+ partner EUI hex) of a method C partner's KA
certificate, kept for key establishment until the partner is unjoined."""

M = Asn1MessageCode
Method = JoinMethodAndRole
JOIN_METHOD_OF_CODE: dict[int, JoinMethodAndRole] = {
    M.CS03A1_METHOD_A_JOIN_METER: Method.METHOD_A_INITIATOR,
    M.CS03A2_METHOD_A_JOIN_NON_METER: Method.METHOD_A_RESPONDER,
    M.CS03B_METHOD_B_JOIN: Method.METHOD_B,
    M.CS03C_METHOD_C_JOIN: Method.METHOD_C,
}

_T = Asn1DeviceType
JOIN_PARTNERS: dict[tuple[DeviceType, JoinMethodAndRole], frozenset[Asn1DeviceType]] = {
    (DeviceType.ESME, Method.METHOD_A_INITIATOR): frozenset({_T.HCALCS, _T.PPMID}),
    (DeviceType.SAPC, Method.METHOD_A_INITIATOR): frozenset({_T.HCALCS, _T.PPMID}),
    (DeviceType.HCALCS, Method.METHOD_A_RESPONDER): frozenset({_T.ESME}),
    (DeviceType.PPMID, Method.METHOD_A_RESPONDER): frozenset({_T.ESME}),
    (DeviceType.GSME, Method.METHOD_B): frozenset({_T.GPF}),
    (DeviceType.GPF, Method.METHOD_B): frozenset({_T.GSME}),
    (DeviceType.GSME, Method.METHOD_C): frozenset({_T.PPMID}),
    (DeviceType.PPMID, Method.METHOD_C): frozenset({_T.GSME}),
}
"""Which device types a device joins with each method and role (GBCS join methods:
A between an ESME and a Type 1 HAN device, B between GSME and GPF, C between GSME and
PPMID with the other device's key-agreement certificate in the command)."""
del M, Method, _T


# ------------------------------------------------------------------------------------
# CS03 join
# ------------------------------------------------------------------------------------


def join(ctx: CommandContext) -> Outcome:
    command: JoinCommand = ctx.command.payload
    log = han_device_log(ctx)
    code = _join_refusal(ctx, command, log)
    if code is None and ctx.fault is not None:
        code = JoinResponseCode.WRITE_FAILURE
    if code is None:
        before = list(log.entries)
        log.add(command.other_device_id, Asn1DeviceType(command.other_device_type))
        certificate_key = PARTNER_CERTIFICATE_KEY + command.other_device_id.hex()
        if command.other_device_certificate is not None:
            ctx.state.attribute_values[certificate_key] = encode_der(
                command.other_device_certificate)
        else:
            ctx.state.attribute_values.pop(certificate_key, None)
        raise_gpf_log_backup(ctx, before)
    return Outcome(JoinResponse(code or JoinResponseCode.SUCCESS))


def _join_refusal(ctx: CommandContext, command: JoinCommand, log: HanDeviceLog
                  ) -> JoinResponseCode | None:
    method = command.join_method_and_role
    if JOIN_METHOD_OF_CODE.get(ctx.command.message_code) != method:
        return JoinResponseCode.INVALID_MESSAGE_CODE_FOR_JOIN_METHOD_AND_ROLE
    partners = JOIN_PARTNERS.get((ctx.device.device_type, method), frozenset())
    if command.other_device_type not in partners:
        return JoinResponseCode.INVALID_JOIN_METHOD_AND_ROLE
    if method == JoinMethodAndRole.METHOD_C and not _usable_ka_certificate(command):
        return JoinResponseCode.INVALID_OR_MISSING_CERTIFICATE
    logged = log.entry(command.other_device_id)
    if logged is not None and logged.device_type != command.other_device_type:
        return JoinResponseCode.INCOMPATIBLE_WITH_EXISTING_ENTRY
    if logged is None and len(log.entries) >= log.capacity:
        return JoinResponseCode.DEVICE_LOG_FULL
    return None


def _usable_ka_certificate(command: JoinCommand) -> bool:
    """A readable device certificate for key agreement. Its entity id is not compared
    with the other device id: RTDS devices accept a certificate of another device."""
    try:
        info = command.certificate_info()
    except DecodeError:
        return False
    return info is not None and info.is_device_certificate and \
        KeyUsage.KEY_AGREEMENT in info.key_usage


# ------------------------------------------------------------------------------------
# CS04 unjoin
# ------------------------------------------------------------------------------------


def unjoin(ctx: CommandContext) -> Outcome:
    command: UnjoinCommand = ctx.command.payload
    log = han_device_log(ctx)
    other = command.other_device_id
    if log.entry(other) is None:
        code = UnjoinResponseCode.NOT_IN_DEVICE_LOG
    elif ctx.fault is not None:
        code = UnjoinResponseCode.OTHER_FAILURE
    else:
        before = list(log.entries)
        log.remove(other)
        ctx.state.attribute_values.pop(PARTNER_CERTIFICATE_KEY + other.hex(), None)
        raise_gpf_log_backup(ctx, before)
        code = UnjoinResponseCode.SUCCESS
    raise_event_alert(ctx, DEVICE_UNJOINING_SUCCEEDED if code is UnjoinResponseCode.SUCCESS
                      else DEVICE_UNJOINING_FAILED)
    return Outcome(UnjoinResponse(code))


# ------------------------------------------------------------------------------------
# The HAN side: link establishment with pending partners
# ------------------------------------------------------------------------------------

KEY_ESTABLISHMENT_CLUSTER = 0x0800
INITIATE_KEY_ESTABLISHMENT_REQUEST = 0x00


def key_establishment_request(device: EmulatedDevice, sequence_number: int = 0) -> bytes:
    """The HAN frame that opens key establishment with a partner: a cluster-specific
    ZCL command of the Key Establishment cluster, carrying the initiator's EUI-64."""
    zcl_header = bytes((0x01, sequence_number & 0xFF, INITIATE_KEY_ESTABLISHMENT_REQUEST))
    return KEY_ESTABLISHMENT_CLUSTER.to_bytes(2, "little") + zcl_header + device.eui


def key_establishment_initiator(frame: bytes) -> bytes | None:
    """The initiator's EUI-64 if ``frame`` opens key establishment, else None."""
    if len(frame) == 13 and frame[:2] == KEY_ESTABLISHMENT_CLUSTER.to_bytes(2, "little") \
            and frame[2] == 0x01 and frame[4] == INITIATE_KEY_ESTABLISHMENT_REQUEST:
        return frame[5:]
    return None


def pending_partners(device: EmulatedDevice) -> list[bytes]:
    log = getattr(device.state, "device_log", None)
    if not isinstance(log, HanDeviceLog):
        return []
    return [entry.device_id for entry in log.entries if entry.join_status is JoinStatus.PENDING]


def record_key_establishment(device: EmulatedDevice, partner: bytes, succeeded: bool
                             ) -> list[bytes]:
    """The link with ``partner`` (a pending device log entry) was or was not
    established: mark the entry joined, report 8F49 / 8F48; commit, return the alerts."""
    log = device.state.device_log  # type: ignore[attr-defined]
    if log.entry(partner) is None:
        raise NotInDeviceLogError(f"{partner.hex().upper()} is not in the device log")
    if succeeded:
        log.mark_joined(partner)
    code = DEVICE_JOINING_SUCCEEDED if succeeded else DEVICE_JOINING_FAILED
    request = event_alert(device, code, device.now())
    return device.raise_alerts([request] if request is not None else [])


async def establish_pending_links(device: EmulatedDevice, han: HanTransport) -> list[bytes]:
    """Open key establishment with every pending partner over ``han``; a partner the
    HAN cannot reach fails to join (8F48) and stays pending for the next attempt."""
    alerts: list[bytes] = []
    for sequence_number, partner in enumerate(pending_partners(device)):
        try:
            await han.send(device.eui, partner, key_establishment_request(device, sequence_number))
        except HanError:
            alerts += record_key_establishment(device, partner, succeeded=False)
        else:
            alerts += record_key_establishment(device, partner, succeeded=True)
    return alerts


JOIN_USE_CASES: tuple[UseCaseHandler, ...] = (
    UseCaseHandler(tuple(JOIN_METHOD_OF_CODE), join, "CS03 Join"),
    UseCaseHandler((Asn1MessageCode.CS04AC_METHOD_A_OR_C_UNJOIN,
                    Asn1MessageCode.CS04B_METHOD_B_UNJOIN), unjoin, "CS04 Unjoin"),
)
