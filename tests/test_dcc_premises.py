"""A lab premises for the DCC-side tests: users of every role and a smart metering install.

Other ``test_dcc_*`` modules import :func:`build_premises` and the IDs below. Device IDs
follow the RTDS convention (``..A0`` ESME, ``..A1`` GSME, ``..A2`` CHF, ``..A3`` GPF,
``..A4`` PPMID, ``..A5`` HCALCS). The ``..B*`` hub is installed but not commissioned, for
install-and-commission scenarios; ``..91-A0`` is a SMETS1 ESME.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from firmware_emu.dcc.inventory import DeviceRecord, Inventory
from firmware_emu.dcc.roles import UserDirectory, UserRole
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.validation import DccValidator

NOW = datetime(2029, 6, 1, 12, 0, tzinfo=UTC)

USER = {
    UserRole.IMPORT_SUPPLIER: "90-B3-D5-1F-30-01-00-00",
    UserRole.GAS_SUPPLIER: "90-B3-D5-1F-30-01-00-01",
    UserRole.EXPORT_SUPPLIER: "90-B3-D5-1F-30-01-00-02",
    UserRole.ELECTRICITY_DISTRIBUTOR: "90-B3-D5-1F-30-02-00-00",
    UserRole.GAS_TRANSPORTER: "90-B3-D5-1F-30-02-00-01",
    UserRole.REGISTERED_SUPPLIER_AGENT: "90-B3-D5-1F-30-03-00-00",
    UserRole.METER_DATA_RETRIEVER: "90-B3-D5-1F-30-03-00-01",
    UserRole.OTHER_USER: "90-B3-D5-1F-30-04-00-00",
}
"""The registered User ID of each role."""
UNREGISTERED_USER = {role: user_id[:-5] + "99" + user_id[-3:] for role, user_id in USER.items()}
"""A second User ID per role, registered for no device."""

ESME, GSME, CHF, GPF, PPMID, HCALCS = (f"00-DB-12-34-56-78-90-A{n}" for n in range(6))
NEW_ESME, NEW_GSME, NEW_CHF, NEW_GPF = (f"00-DB-12-34-56-78-90-B{n}" for n in range(4))
SMETS1_ESME = "00-DB-12-34-56-78-91-A0"
UNKNOWN_DEVICE = "00-DB-12-34-56-78-9F-FF"

IS, GS, ES, ED, GT, RSA, MDR, OU = (
    UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER, UserRole.EXPORT_SUPPLIER,
    UserRole.ELECTRICITY_DISTRIBUTOR, UserRole.GAS_TRANSPORTER,
    UserRole.REGISTERED_SUPPLIER_AGENT, UserRole.METER_DATA_RETRIEVER, UserRole.OTHER_USER,
)


@dataclass
class Premises:
    inventory: Inventory
    users: UserDirectory
    validator: DccValidator


def _registered(*roles: UserRole) -> dict[UserRole, str]:
    return {role: USER[role] for role in roles}


def build_inventory() -> Inventory:
    commissioned = {"status": "Commissioned", "gbcs_version": "3.2"}
    installed = {"status": "InstalledNotCommissioned", "gbcs_version": "3.2"}
    return Inventory([
        DeviceRecord(CHF, "CHF", dual_band=True, **commissioned),
        DeviceRecord(GPF, "GPF", chf_id=CHF, **commissioned),
        DeviceRecord(ESME, "ESME", chf_id=CHF, esme_variant="A", import_mpxn="1234567890123",
                     registrations=_registered(IS, ES, ED, RSA, MDR), **commissioned),
        DeviceRecord(GSME, "GSME", chf_id=CHF, gpf_id=GPF, import_mpxn="1234567890",
                     registrations=_registered(GS, GT, RSA), **commissioned),
        DeviceRecord(PPMID, "PPMID", chf_id=CHF, **commissioned),
        DeviceRecord(HCALCS, "HCALCS", chf_id=CHF, **commissioned),
        DeviceRecord(NEW_CHF, "CHF", registrations=_registered(IS, GS), **installed),
        DeviceRecord(NEW_GPF, "GPF", chf_id=NEW_CHF, **installed),
        DeviceRecord(NEW_ESME, "ESME", chf_id=NEW_CHF, registrations=_registered(IS),
                     **installed),
        DeviceRecord(NEW_GSME, "GSME", chf_id=NEW_CHF, registrations=_registered(GS),
                     **installed),
        DeviceRecord(SMETS1_ESME, "ESME", status="Commissioned", smets="SMETS1",
                     registrations=_registered(IS, MDR)),
    ])


def build_premises() -> Premises:
    users = UserDirectory()
    for role, user_id in USER.items():
        users.add(user_id, [role])
        users.add(UNREGISTERED_USER[role], [role])
    inventory = build_inventory()
    return Premises(inventory, users, DccValidator(inventory, users))


def request(srv_id: str, role: UserRole, target: str, *, counter: int = 1,
            user_id: str | None = None, command_variant: int = 1, **fields) -> ServiceRequest:
    """A request from ``role``'s registered user unless ``user_id`` is given."""
    return ServiceRequest(srv_id=srv_id, user_role=role, user_id=user_id or USER[role],
                          target_id=target, counter=counter, command_variant=command_variant,
                          **fields)


def test_premises_inventory_survives_a_json_round_trip():
    inventory = build_inventory()
    restored = Inventory.from_json(inventory.to_json())
    assert sorted(restored, key=lambda r: r.device_id) == sorted(inventory,
                                                                 key=lambda r: r.device_id)


def test_premises_users_hold_exactly_their_role():
    premises = build_premises()
    for role, user_id in USER.items():
        assert premises.users.find(user_id).roles == {role}
