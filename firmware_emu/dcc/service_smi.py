"""The DCC's own side of service requests: DCC-only SRVs and inventory (SMI) updates.

:data:`DCC_ONLY_HANDLERS` serve the SRVs no device sees (12.2 pre-notification, 8.2 read
inventory, 8.3 decommission, 8.4 update inventory, 8.14.1/8.14.2 CH status updates);
:func:`commission_in_smi` is 8.1.1 for device types with no commissioning command.
:data:`SUCCESS_EFFECTS` update the SMI after a device confirmed an SRV (8.11 whitelists,
8.1.1 commissions, 6.20.x MPxNs, joins, firmware versions with N49-N52).

Status moves this harness infers (the seeds name only Pending -> InstalledNotCommissioned
for 8.14.2): 12.2 adds a device as Pending; a successful 8.11 Add moves it to Whitelisted
and the CHF's confirming alert (N24) to InstalledNotCommissioned; 8.1.1 to Commissioned;
8.14.1 moves the CHF to Commissioned and its GPF to InstalledNotCommissioned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from firmware_emu.dcc.dcc_alerts import (
    CplStatus,
    SrvOutcome,
    dcc_alerts_for_srv_outcome,
    firmware_version_alert,
    status_change_alert,
)
from firmware_emu.dcc.inventory import DeviceRecord, DeviceType, Inventory, InventoryError
from firmware_emu.dcc.inventory import SmiStatus as S
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import UserRole, parse_eui64
from firmware_emu.dcc.service_records import DccAlert, DccState
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.transform_responses import firmware_version
from gbcs.message import GbcsMessage


@dataclass(frozen=True, slots=True)
class SmiContext:
    request: ServiceRequest
    inventory: Inventory
    state: DccState
    now: datetime
    cpl: Mapping[str, CplStatus] = field(default_factory=dict)

    def param_id(self, name: str) -> str:
        return parse_eui64(self.request.parameters.get(name), what=name)


@dataclass(frozen=True, slots=True)
class DccOnlyResult:
    response_code: ResponseCode
    data: dict[str, object] = field(default_factory=dict)
    alerts: tuple[DccAlert, ...] = ()
    detail: str = ""


def _move(inventory: Inventory, device_id: str, *path: S) -> DeviceRecord:
    """Walk the record along ``path`` from wherever it stands on it (no-op if past it)."""
    record = inventory.get(device_id)
    if record.status in path:
        for status in path[path.index(record.status) + 1:]:
            record = inventory.transition(device_id, status)
    return record


def communications_hub_records(devices: Mapping[DeviceType, tuple[str, ...]],
                               registrations: Mapping[UserRole, str], *,
                               gbcs_version: str = "4.0", dual_band: bool = True
                               ) -> list[DeviceRecord]:
    """The SMI records of a rack's communications hub as the CSP installs it: each CHF
    Commissioned (registered to ``registrations``), its GPF InstalledNotCommissioned and
    awaiting 8.1.1 and the 6.21 handover. Meters and HAN devices come through 12.2."""
    chfs, gpfs = devices.get(DeviceType.CHF, ()), devices.get(DeviceType.GPF, ())
    records = [DeviceRecord(chf, DeviceType.CHF, S.COMMISSIONED, gbcs_version=gbcs_version,
                            dual_band=dual_band, registrations=registrations) for chf in chfs]
    records += [DeviceRecord(gpf, DeviceType.GPF, S.INSTALLED_NOT_COMMISSIONED,
                             gbcs_version=gbcs_version, chf_id=chfs[0] if chfs else None,
                             registrations=registrations) for gpf in gpfs]
    return records


# ------------------------------------------------------------------- DCC-only SRVs


def pre_notify(ctx: SmiContext) -> DccOnlyResult:
    """12.2: add the device to the SMI as Pending, registered to the sender's role."""
    items = ctx.request.parameters
    fields = {"manufacturer": items.get("DeviceManufacturer"), "model": items.get("DeviceModel"),
              "firmware_version": items.get("FirmwareVersion"),
              "esme_variant": items.get("ESMEVariant"), "gbcs_version": items.get("GBCSVersion")}
    try:
        record = ctx.inventory.add(DeviceRecord(
            ctx.param_id("DeviceID"), items.get("DeviceType"),
            registrations={ctx.request.user_role: ctx.request.user_id},
            **{name: value for name, value in fields.items() if value is not None}))
    except InventoryError as error:
        return DccOnlyResult(ResponseCode.E49, detail=str(error))
    return DccOnlyResult(ResponseCode.I0, {"DeviceID": record.device_id,
                                           "DeviceStatus": record.status.value})


def read_inventory(ctx: SmiContext) -> DccOnlyResult:
    """8.2: the SMI records of DeviceID, or of every device registered to the user."""
    if "DeviceID" in ctx.request.parameters:
        records = [ctx.inventory.find(ctx.request.parameters["DeviceID"])]
    else:
        records = [record for record in ctx.inventory
                   if record.registrations.get(ctx.request.user_role) == ctx.request.user_id]
    return DccOnlyResult(ResponseCode.I0, {"devices": [record.to_dict() for record in records
                                                       if record is not None]})


_UPDATABLE = {"DeviceManufacturer": "manufacturer", "DeviceModel": "model",
              "FirmwareVersion": "firmware_version", "ESMEVariant": "esme_variant"}


def update_inventory(ctx: SmiContext) -> DccOnlyResult:
    """8.4: change the descriptive fields of a device record."""
    changes = {field_name: ctx.request.parameters[item]
               for item, field_name in _UPDATABLE.items() if item in ctx.request.parameters}
    try:
        record = ctx.inventory.update(ctx.param_id("DeviceID"), **changes)
    except InventoryError as error:
        return DccOnlyResult(ResponseCode.E49, detail=str(error))
    return DccOnlyResult(ResponseCode.I0, {"device": record.to_dict()})


def decommission(ctx: SmiContext) -> DccOnlyResult:
    """8.3: the device is Decommissioned (N1 / N2 for a meter)."""
    record = ctx.inventory.transition(ctx.request.target_id, S.DECOMMISSIONED)
    alert = status_change_alert(record.device_type, record.status)
    alerts = () if alert is None else (DccAlert(alert, record.device_id),)
    return DccOnlyResult(ResponseCode.I0, {"DeviceStatus": record.status.value}, alerts)


def _hub_gpfs(ctx: SmiContext, chf_id: str) -> list[DeviceRecord]:
    return [record for record in ctx.inventory.devices_on_chf(chf_id)
            if record.device_type is DeviceType.GPF]


def hub_installed(ctx: SmiContext) -> DccOnlyResult:
    """8.14.1: the CH is installed and on the WAN."""
    chf = ctx.request.target_id
    _move(ctx.inventory, chf, S.PENDING, S.INSTALLED_NOT_COMMISSIONED, S.COMMISSIONED)
    for gpf in _hub_gpfs(ctx, chf):
        _move(ctx.inventory, gpf.device_id, S.PENDING, S.INSTALLED_NOT_COMMISSIONED)
    return DccOnlyResult(ResponseCode.I0, {"DeviceStatus": ctx.inventory.get(chf).status.value})


def hub_installed_without_wan(ctx: SmiContext) -> DccOnlyResult:
    """8.14.2 (MP081): a Pending CHF, and its Pending GPF, become InstalledNotCommissioned."""
    chf = ctx.request.target_id
    for device_id in (chf, *(gpf.device_id for gpf in _hub_gpfs(ctx, chf))):
        _move(ctx.inventory, device_id, S.PENDING, S.INSTALLED_NOT_COMMISSIONED)
    return DccOnlyResult(ResponseCode.I0, {"DeviceStatus": ctx.inventory.get(chf).status.value})


def commission_in_smi(ctx: SmiContext) -> DccOnlyResult:
    """8.1.1 for a device with no commissioning command (GPF, CHF, HAN devices)."""
    record = ctx.inventory.transition(ctx.request.target_id, S.COMMISSIONED)
    return DccOnlyResult(ResponseCode.I0, {"DeviceStatus": record.status.value})


DccOnlyHandler = Callable[[SmiContext], DccOnlyResult]
DCC_ONLY_HANDLERS: Mapping[str, DccOnlyHandler] = {
    "12.2": pre_notify, "8.2": read_inventory, "8.3": decommission, "8.4": update_inventory,
    "8.14.1": hub_installed, "8.14.2": hub_installed_without_wan,
}


# ------------------------------------------------------- after a device's success


def whitelist_updated(ctx: SmiContext, device: DeviceRecord, response: GbcsMessage
                      ) -> list[DccAlert]:
    """8.11: an added device is Whitelisted on this CHF; removing a PPMID joined to both
    meters raises N43."""
    joining = ctx.inventory.find(ctx.request.parameters.get("DeviceID"))
    if joining is None:
        return []
    if ctx.request.parameters.get("UpdateType") == "Add":
        if joining.device_type is not DeviceType.CHF:
            ctx.inventory.update(joining.device_id, chf_id=device.device_id)
        _move(ctx.inventory, joining.device_id, S.PENDING, S.WHITELISTED)
        return []
    _move(ctx.inventory, joining.device_id, S.WHITELISTED, S.PENDING)
    partners = {ctx.inventory.find(other).device_type
                for other in ctx.state.partners(joining.device_id) if ctx.inventory.find(other)}
    if joining.device_type is DeviceType.PPMID and {DeviceType.ESME, DeviceType.GSME} <= partners:
        return [DccAlert(trigger.dcc_alert, joining.device_id) for trigger in
                dcc_alerts_for_srv_outcome("8.11", SrvOutcome.DUAL_JOINED_PPMID_REMOVED)]
    return []


def commissioned(ctx: SmiContext, device: DeviceRecord, response: GbcsMessage
                 ) -> list[DccAlert]:
    ctx.inventory.transition(device.device_id, S.COMMISSIONED)
    return []


def _mpxn(field_name: str, item: str):
    def effect(ctx: SmiContext, device: DeviceRecord, response: GbcsMessage) -> list[DccAlert]:
        ctx.inventory.update(device.device_id, **{field_name: ctx.request.parameters[item]})
        return []

    return effect


def _join_pair(ctx: SmiContext, device: DeviceRecord) -> tuple[DeviceRecord | None, str]:
    other_id = ctx.param_id("OtherDeviceID")
    return ctx.inventory.find(other_id), other_id


def joined(ctx: SmiContext, device: DeviceRecord, response: GbcsMessage) -> list[DccAlert]:
    other, other_id = _join_pair(ctx, device)
    ctx.state.joined(device.device_id, other_id)
    if device.device_type is DeviceType.GSME and other is not None \
            and other.device_type is DeviceType.GPF:
        ctx.inventory.update(device.device_id, gpf_id=other.device_id)
    return []


def unjoined(ctx: SmiContext, device: DeviceRecord, response: GbcsMessage) -> list[DccAlert]:
    other_id = ctx.param_id("OtherDeviceID")
    ctx.state.unjoined(device.device_id, other_id)
    if device.device_type is DeviceType.GSME and device.gpf_id == other_id:
        ctx.inventory.update(device.device_id, gpf_id=None)
    return []


def firmware_read(ctx: SmiContext, device: DeviceRecord, response: GbcsMessage
                  ) -> list[DccAlert]:
    """11.2: compare the reported version with the SMI (N49-N52, DUIS 3.9.13)."""
    reported = firmware_version(response)
    if reported is None:
        return []
    subject = device
    if device.device_type is DeviceType.GPF:  # a GPF answers for its GSME (N52)
        gsmes = [r for r in ctx.inventory if r.gpf_id == device.device_id]
        subject = gsmes[0] if gsmes else device
    if subject.firmware_version is None:
        ctx.inventory.update(subject.device_id, firmware_version=reported)
        return []
    status = ctx.cpl.get(reported.upper(), CplStatus.NOT_LISTED)
    code = firmware_version_alert(reported, subject.firmware_version, status,
                                  gsme_version_read_via_gpf=subject is not device)
    if code is None:
        return []
    if status is not CplStatus.NOT_LISTED and subject is device:
        ctx.inventory.update(subject.device_id, firmware_version=reported)
    return [DccAlert(code, subject.device_id,
                     detail=f"reported {reported}, SMI {subject.firmware_version}")]


SuccessEffect = Callable[[SmiContext, DeviceRecord, GbcsMessage], list[DccAlert]]
SUCCESS_EFFECTS: Mapping[str, SuccessEffect] = {
    "8.11": whitelist_updated, "8.1.1": commissioned,
    "6.20.1": _mpxn("import_mpxn", "ImportMPxN"), "6.20.2": _mpxn("export_mpan", "ExportMPAN"),
    "8.7.1": joined, "8.7.2": joined, "8.8.1": unjoined, "8.8.2": unjoined,
    "11.2": firmware_read,
}


def after_success(ctx: SmiContext, device: DeviceRecord, response: GbcsMessage
                  ) -> list[DccAlert]:
    """The SMI updates and DCC alerts that follow a device's successful response."""
    effect = SUCCESS_EFFECTS.get(ctx.request.srv_id)
    alerts = effect(ctx, device, response) if effect is not None else []
    alerts += [DccAlert(trigger.dcc_alert, device.device_id) for trigger in
               dcc_alerts_for_srv_outcome(ctx.request.srv_id, SrvOutcome.SUCCEEDED)]
    return alerts
