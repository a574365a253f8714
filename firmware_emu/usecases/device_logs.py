"""Reading and restoring HAN device logs: CS07 Read Device Join Details, GCS59 Restore
GPF Device Log, and the GCS62 backup alert (0x00B2, alert code 8071) a GPF raises
whenever its device log changes (primer §11.6, §11.11)."""

from __future__ import annotations

from firmware_emu.registry import CommandContext, Outcome, UseCaseHandler
from firmware_emu.state import (
    Asn1DeviceType,
    DeviceType,
    HanDeviceLog,
    HanDeviceLogEntry,
)
from firmware_emu.usecases.common import acb_eui, han_device_log
from gbcs.asn1 import (
    DeviceLogBackupAlert,
    DeviceLogEntry,
    JoinResponseCode,
    ReadDeviceJoinDetailsResponse,
    ReadResponseCode,
    RestoreDeviceLogCommand,
    RestoreDeviceLogResponse,
    RestoreOutcome,
)
from gbcs.asn1 import DeviceType as WireDeviceType
from gbcs.asn1.payloads import Asn1MessageCode

BACKUP_GPF_DEVICE_LOG_ALERT = Asn1MessageCode.GCS62_BACKUP_GPF_DEVICE_LOG_ALERT


def wire_entries(log: HanDeviceLog) -> tuple[DeviceLogEntry, ...]:
    return tuple(DeviceLogEntry(entry.device_id, WireDeviceType(entry.device_type))
                 for entry in log.entries)


def raise_gpf_log_backup(ctx: CommandContext, before: list[HanDeviceLogEntry]) -> None:
    """On a GPF whose log differs from ``before``, send the log to the ACB (GCS62)."""
    log = han_device_log(ctx)
    if ctx.device.device_type is not DeviceType.GPF:
        return
    if [(e.device_id, e.device_type) for e in before] == \
            [(e.device_id, e.device_type) for e in log.entries]:
        return
    recipient = acb_eui(ctx.state)
    if recipient is None and ctx.device.alert_recipient() is None:
        return
    ctx.raise_alert(BACKUP_GPF_DEVICE_LOG_ALERT,
                    DeviceLogBackupAlert.of(wire_entries(log), ctx.now),
                    critical=False, recipient=recipient)


def read_device_join_details(ctx: CommandContext) -> Outcome:
    """CS07: the devices in the log; a failed read carries no log at all."""
    log = han_device_log(ctx)
    if ctx.fault is not None:
        return Outcome(ReadDeviceJoinDetailsResponse(ReadResponseCode.READ_FAILURE))
    return Outcome(ReadDeviceJoinDetailsResponse(ReadResponseCode.SUCCESS, wire_entries(log)))


def restore_device_log(ctx: CommandContext) -> Outcome:
    """GCS59: the command's entries replace the log, each answered with a join response
    code; entries that cannot be held are left out of the restored log."""
    command: RestoreDeviceLogCommand = ctx.command.payload
    log = han_device_log(ctx)
    if ctx.fault is not None:
        return Outcome(RestoreDeviceLogResponse(tuple(
            RestoreOutcome(entry, JoinResponseCode.WRITE_FAILURE) for entry in command.entries)))
    restored: dict[bytes, Asn1DeviceType] = {}
    outcomes = []
    for entry in command.entries:
        code = _restore_code(entry, restored, log.capacity)
        if code is JoinResponseCode.SUCCESS:
            restored[entry.device_id] = Asn1DeviceType(entry.device_type)
        outcomes.append(RestoreOutcome(entry, code))
    before = list(log.entries)
    log.restore(list(restored.items()))
    raise_gpf_log_backup(ctx, before)
    return Outcome(RestoreDeviceLogResponse(tuple(outcomes)))


def _restore_code(entry: DeviceLogEntry, restored: dict[bytes, Asn1DeviceType],
                  capacity: int) -> JoinResponseCode:
    if entry.device_type not in set(Asn1DeviceType):
        return JoinResponseCode.WRITE_FAILURE
    known = restored.get(entry.device_id)
    if known is not None:
        return (JoinResponseCode.SUCCESS if known == entry.device_type
                else JoinResponseCode.INCOMPATIBLE_WITH_EXISTING_ENTRY)
    if len(restored) >= capacity:
        return JoinResponseCode.DEVICE_LOG_FULL
    return JoinResponseCode.SUCCESS


DEVICE_LOG_USE_CASES: tuple[UseCaseHandler, ...] = (
    UseCaseHandler((Asn1MessageCode.CS07_READ_DEVICE_JOIN_DETAILS,), read_device_join_details,
                   "CS07 Read Device Join Details"),
    UseCaseHandler((Asn1MessageCode.GCS59_RESTORE_GPF_DEVICE_LOG,), restore_device_log,
                   "GCS59 Restore GPF Device Log"),
)
