"""The Smart Metering Inventory: records, transitions, registrations, JSON persistence."""

from __future__ import annotations

import json

import pytest

from firmware_emu.dcc.inventory import (
    ALLOWED_TRANSITIONS,
    DeviceRecord,
    DeviceType,
    GbcsVersion,
    Inventory,
    InventoryError,
    SmiStatus,
)
from firmware_emu.dcc.roles import InvalidEui64Error, UserRole
from tests.test_dcc_premises import CHF, ESME, GPF, GSME, USER, build_inventory

NEW = "00-DB-12-34-56-78-90-F0"


def test_records_are_canonicalised():
    record = DeviceRecord("00db1234567890f0", "ESME", status="Commissioned",
                          firmware_version="acdcacdc", registrations={"IS": "90B3D51F30010000"})
    assert record.device_id == NEW and record.device_type is DeviceType.ESME
    assert record.status is SmiStatus.COMMISSIONED and record.firmware_version == "ACDCACDC"
    assert record.registrations == {UserRole.IMPORT_SUPPLIER: "90-B3-D5-1F-30-01-00-00"}


@pytest.mark.parametrize(("fields", "message"), [
    ({"device_type": "Meter"}, "device_type 'Meter' is not one of ESME"),
    ({"status": "Installed"}, "status 'Installed'"),
    ({"esme_variant": "A", "device_type": "GSME"}, "only an ESME has an ESME variant"),
    ({"esme_variant": "H"}, "esme_variant 'H'"),
    ({"dual_band": True}, "only a CHF can be dual band"),
    ({"gpf_id": GPF}, "only a GSME is joined to a GPF"),
    ({"import_mpxn": "12345"}, "not a valid MPAN"),
    ({"import_mpxn": "1234567890123", "device_type": "GSME"}, "not a valid MPRN"),
    ({"export_mpan": "1234567890123", "device_type": "GSME"}, "only an ESME has an export"),
    ({"registrations": {"MDR": USER[UserRole.METER_DATA_RETRIEVER]}, "device_type": "GSME"},
     "Meter Data Retriever can only be registered for an ESME"),
    ({"firmware_version": "ACDC"}, "firmware_version 'ACDC' must be 8 hex digits"),
    ({"gbcs_version": "5.0"}, "gbcs_version '5.0'"),
    ({"chf_id": NEW, "device_type": "CHF"}, "a CHF is not associated with another CHF"),
    ({"registrations": ["IS"]}, "registrations must map user roles"),
    ({"registrations": {"XX": USER[UserRole.IMPORT_SUPPLIER]}}, "registration role 'XX'"),
])
def test_inconsistent_records_are_rejected(fields, message):
    with pytest.raises(InventoryError, match=message):
        DeviceRecord(**{"device_id": NEW, "device_type": "ESME", **fields})


def test_bad_device_id():
    with pytest.raises(InvalidEui64Error, match="device id"):
        DeviceRecord("not-an-id", "ESME")


def test_add_checks_uniqueness_and_references():
    inventory = build_inventory()
    with pytest.raises(InventoryError, match="already in the inventory"):
        inventory.add(DeviceRecord(ESME, "ESME"))
    with pytest.raises(InventoryError, match=r"chf_id .* is not a CHF"):
        inventory.add(DeviceRecord(NEW, "ESME", chf_id=ESME))
    with pytest.raises(InventoryError, match=r"gpf_id .* is not a GPF"):
        inventory.add(DeviceRecord(NEW, "GSME", gpf_id="00-DB-12-34-56-78-90-FF"))
    assert NEW not in inventory
    inventory.add(DeviceRecord(NEW, "PPMID", chf_id=CHF))
    assert inventory.get(NEW).chf_id == CHF
    assert NEW in {record.device_id for record in inventory.devices_on_chf(CHF)}


def test_transitions_follow_the_table():
    inventory = Inventory([DeviceRecord(NEW, "ESME")])
    path = ["Whitelisted", "InstalledNotCommissioned", "Commissioned", "Suspended",
            "Commissioned", "Decommissioned"]
    for status in path:
        assert inventory.transition(NEW, status).status == status
    assert ALLOWED_TRANSITIONS[SmiStatus.DECOMMISSIONED] == frozenset()
    with pytest.raises(InventoryError, match="cannot move from Decommissioned to Commissioned"):
        inventory.transition(NEW, SmiStatus.COMMISSIONED)
    assert inventory.get(NEW).status is SmiStatus.DECOMMISSIONED


def test_invalid_transitions_leave_the_record_unchanged():
    inventory = Inventory([DeviceRecord(NEW, "ESME")])
    with pytest.raises(InventoryError, match="Pending to Commissioned"):
        inventory.transition(NEW, "Commissioned")
    with pytest.raises(InventoryError, match="SMI status 'Live'"):
        inventory.transition(NEW, "Live")
    assert inventory.get(NEW).status is SmiStatus.PENDING
    with pytest.raises(InventoryError, match="not in the inventory"):
        inventory.transition("00-DB-12-34-56-78-90-FF", "Commissioned")


def test_every_status_is_in_the_transition_table():
    assert set(ALLOWED_TRANSITIONS) == set(SmiStatus)


def test_update_and_register():
    inventory = build_inventory()
    inventory.update(ESME, firmware_version="0123ABCD", gbcs_version=GbcsVersion.V4_0)
    assert inventory.get(ESME).gbcs_version is GbcsVersion.V4_0
    inventory.register(GSME, UserRole.IMPORT_SUPPLIER, USER[UserRole.IMPORT_SUPPLIER])
    assert UserRole.IMPORT_SUPPLIER in inventory.get(GSME).registrations
    before = inventory.get(ESME)
    for changes, message in (({"status": "Suspended"}, "use transition"),
                             ({"colour": "red"}, "no field 'colour'"),
                             ({"import_mpxn": "12"}, "not a valid MPAN"),
                             ({"chf_id": GSME}, "is not a CHF")):
        with pytest.raises(InventoryError, match=message):
            inventory.update(ESME, **changes)
    assert inventory.get(ESME) == before


def test_json_round_trip_preserves_every_field():
    inventory = build_inventory()
    inventory.update(ESME, firmware_version="0123ABCD", manufacturer="121D", model="00000001",
                     export_mpan="1234567890124")
    document = json.loads(inventory.to_json())
    assert document["format"] == "dcc-inventory" and document["version"] == 1
    restored = Inventory.from_json(inventory.to_json())
    assert {r.device_id: r for r in restored} == {r.device_id: r for r in inventory}


@pytest.mark.parametrize(("text", "message"), [
    ("{", "not valid JSON"),
    ("[]", "format 'dcc-inventory'"),
    ('{"format": "dcc-inventory", "version": 2, "devices": []}', "version 2"),
    ('{"format": "dcc-inventory", "version": 1}', "'devices' list"),
    ('{"format": "dcc-inventory", "version": 1, "devices": [3]}', "device 0: must be an object"),
    ('{"format": "dcc-inventory", "version": 1, "devices": [{"device_id": "00DB1234567890F0",'
     ' "device_type": "ESME", "colour": "red"}]}', "device 0: unknown field 'colour'"),
    ('{"format": "dcc-inventory", "version": 1, "devices": [{"device_id": "00DB1234567890F0",'
     ' "device_type": "ESME", "status": "Live"}]}', "device 0: status 'Live'"),
    ('{"format": "dcc-inventory", "version": 1, "devices": [{"device_id": "00DB1234567890F0"}'
     ']}', "device 0: .*device_type"),
    ('{"format": "dcc-inventory", "version": 1, "devices": [{"device_id": "00DB1234567890F0",'
     ' "device_type": "ESME", "chf_id": "00DB1234567890F1"}]}', "is not a CHF"),
])
def test_from_json_errors_are_one_line(text, message):
    with pytest.raises(InventoryError, match=message) as caught:
        Inventory.from_json(text)
    assert "\n" not in str(caught.value)
