"""Row conditions of the transform table: which variant of an SRV a request needs
(data items, user role, the target's GBCS version or ESME variant, the other device)."""

from __future__ import annotations

from firmware_emu.dcc.inventory import (
    DeviceRecord,
    DeviceType,
    EsmeVariant,
    GbcsVersion,
    Inventory,
)
from firmware_emu.dcc.roles import UserRole
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.transform_rows import RowCondition


def other_device_type(request: ServiceRequest, inventory: Inventory) -> DeviceType | None:
    """OtherDeviceType of a join/unjoin, else the inventory's type of OtherDeviceID."""
    kind = request.parameters.get("OtherDeviceType")
    if kind is not None:
        return DeviceType(kind) if kind in set(DeviceType) else None
    record = inventory.find(request.parameters.get("OtherDeviceID"))
    return None if record is None else record.device_type


def other(*kinds: str) -> RowCondition:
    wanted = {DeviceType(kind) for kind in kinds}

    def condition(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
        return other_device_type(request, inventory) in wanted

    return condition


def parameter(name: str, *values: object) -> RowCondition:
    def condition(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
        return request.parameters.get(name) in values

    return condition


def roles(*wanted: UserRole) -> RowCondition:
    def condition(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
        return request.user_role in wanted

    return condition


def gbcs_v1(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
    return device.gbcs_version is GbcsVersion.V1_0


def gbcs_v4(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
    return device.gbcs_version is not None and device.gbcs_version.at_least(GbcsVersion.V4_0)


def polyphase(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
    """A polyphase ESME (SMETS2 variant C): the 3-phase use cases (ECS23b, ECS26k)."""
    return device.esme_variant is EsmeVariant.C


SUPPLIERS = roles(UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER)
NETWORK_OPERATORS = roles(UserRole.ELECTRICITY_DISTRIBUTOR, UserRole.GAS_TRANSPORTER)


def all_of(*conditions: RowCondition) -> RowCondition:
    def condition(request: ServiceRequest, device: DeviceRecord, inventory: Inventory) -> bool:
        return all(each(request, device, inventory) for each in conditions)

    return condition
