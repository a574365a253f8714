"""The ZCL attribute model: catalogue types, bindings to typed state, stored values."""

from __future__ import annotations

import pytest

from firmware_emu.state import PaymentMode, SupplyState, device_state_from_dict
from firmware_emu.zcl.attributes import attribute_key
from firmware_emu.zcl.model import CATALOGUE, ModelError, ZclModel
from gbcs.gbz.zcl import ZclStatus
from gbcs.gbz.zcl_types import ZCL_DATA_TYPES
from tests.test_zcl_support import GPF, GSME, START, new_state, rtds_keys


@pytest.fixture(scope="module")
def keys():
    return rtds_keys()


@pytest.fixture
def gsme(keys):
    return new_state(GSME, keys)


def test_every_catalogue_attribute_reads_with_its_declared_type(gsme):
    model = ZclModel(gsme, START)
    for (cluster, attribute_id), row in CATALOGUE.items():
        record = model.read(cluster, attribute_id)
        assert record.status == ZclStatus.SUCCESS, (hex(cluster), hex(attribute_id))
        assert record.data_type == row.data_type
        ZCL_DATA_TYPES[record.data_type].encode(record.value)


def test_attributes_the_rtds_reads_have_the_zse_types(gsme):
    model = ZclModel(gsme, START)
    expected = {(0x0702, 0x0000): 0x25, (0x0702, 0x0302): 0x22, (0x0702, 0x0300): 0x30,
                (0x0702, 0x0307): 0x41, (0x0702, 0x0B14): 0x20, (0x0705, 0x0000): 0x19,
                (0x0705, 0x0001): 0x2B, (0x0705, 0x0239): 0x21, (0x0700, 0x0617): 0x18,
                (0x0700, 0x0616): 0x21, (0x0700, 0x0410): 0x23, (0x0000, 0x0005): 0x42}
    for (cluster, attribute_id), data_type in expected.items():
        assert model.read(cluster, attribute_id).data_type == data_type


def test_unknown_attribute_is_unsupported(gsme):
    record = ZclModel(gsme, START).read(0x0702, 0x7777)
    assert record.status == ZclStatus.UNSUPPORTED_ATTRIBUTE
    assert record.data_type is None


def test_registers_and_credit_read_the_typed_state(gsme):
    gsme.metering.registers.record_import(12345, 0)
    gsme.metering.prepayment.top_up(250, 1 << 32)
    model = ZclModel(gsme, START)
    assert model.value(0x0702, 0x0000) == 12345
    assert model.value(0x0702, 0x0100) == 12345
    assert model.value(0x0705, 0x0001) == 250_000  # pence -> 1/1000 penny


def test_bound_writes_change_typed_state(gsme):
    model = ZclModel(gsme, START)
    model.write(0x0705, 0x0000, 0x0897)
    assert gsme.metering.payment_mode is PaymentMode.PREPAYMENT
    assert model.value(0x0705, 0x0000) == 0x0897
    model.write(0x0705, 0x0000, 0x0894)
    assert gsme.metering.payment_mode is PaymentMode.CREDIT
    model.write(0x0702, 0x0307, b"1234567890")
    assert gsme.metering.import_mpxn == "1234567890"
    model.write(0x0705, 0x0010, 2_000_000)
    assert gsme.metering.prepayment.emergency_credit_limit_pence == 2000


def test_a_value_the_typed_state_refuses_is_an_invalid_value(gsme):
    model = ZclModel(gsme, START)
    with pytest.raises(ModelError) as refused:
        model.write(0x0702, 0x0307, b"not digits")
    assert refused.value.status == ZclStatus.INVALID_VALUE
    assert gsme.metering.import_mpxn is None
    with pytest.raises(ModelError):
        model.write(0x0702, 0x0301, 1 << 24)  # uint24


def test_published_values_override_values_derived_from_the_tariff(gsme):
    model = ZclModel(gsme, START)
    assert model.value(0x0700, 0x0410) == gsme.metering.tariff.tou_prices[0]
    model.write(0x0700, 0x0410, 9600)
    assert model.value(0x0700, 0x0410) == 9600
    assert gsme.attribute_values[attribute_key(0x0700, 0x0410)] == bytes.fromhex("2380250000")


def test_stored_values_persist_with_the_state(gsme):
    ZclModel(gsme, START).write(0x0702, 0x0B10, 777)
    restored = device_state_from_dict(gsme.to_dict())
    assert ZclModel(restored, START).value(0x0702, 0x0B10) == 777


def test_supply_status_follows_the_valve(gsme):
    model = ZclModel(gsme, START)
    assert model.value(0x0702, 0x0014) == 0x02
    model.set_metering(supply=SupplyState.ARMED)
    assert model.value(0x0702, 0x0014) == 0x01


def test_gpf_answers_from_its_mirror_of_the_gsme(keys):
    gpf = new_state(GPF, keys)
    gpf.gsme_mirror.registers.record_import(4242, 0)
    model = ZclModel(gpf, START)
    assert model.is_proxy
    assert model.value(0x0702, 0x0000) == 4242
    assert model.value(0x0702, 0x0206) == bytes(4)


def test_remote_writes_respect_access_and_type(gsme):
    model = ZclModel(gsme, START)
    assert model.write_remote(0x0702, 0x0000, 0x25, 1).status == ZclStatus.READ_ONLY
    assert model.write_remote(0x0708, 0x0101, 0x42, b"x").status == ZclStatus.INVALID_DATA_TYPE
    assert model.write_remote(0x0708, 0x0101, 0x41, b"Gas Co").status == ZclStatus.SUCCESS
    assert gsme.metering.supplier.name == "Gas Co"
    assert model.write_remote(0x0708, 0x9999, 0x20, 1).status == ZclStatus.UNSUPPORTED_ATTRIBUTE
