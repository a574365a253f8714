"""GBZ commands on an emulated GSME: publish, get, top-up, failures and rollback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from firmware_emu.state import SupplyState
from firmware_emu.zcl import history
from firmware_emu.zcl.model import ZclModel
from gbcs.crypto.utrn import generate_utrn
from gbcs.gbz import clusters_calendar as calendar
from gbcs.gbz import clusters_device as device_cluster
from gbcs.gbz import clusters_metering as metering
from gbcs.gbz import clusters_prepayment as prepayment
from gbcs.gbz import clusters_price as price
from gbcs.gbz.zcl import (
    AttributeValue,
    DefaultResponse,
    ReadAttributes,
    WriteAttributes,
    ZclStatus,
)
from gbcs.message import decode_message
from gbcs.primitives import datetime_to_utc_seconds
from tests.test_zcl_support import (
    GSME,
    START,
    SUPPLIER,
    answers,
    command,
    device,
    gbz_command,
    new_state,
    rtds_keys,
)

GCS01A, GCS07, GCS13A, GCS18, GCS20, GCS20R, GCS21F = 0x006B, 0x0071, 0x0074, 0x0079, \
    0x00AD, 0x00F1, 0x009F
GCS23, GCS31, GCS39, CS01B, CS10A, CS11, GCS15C = 0x007C, 0x0080, 0x0085, 0x0097, 0x0014, \
    0x0015, 0x0076


@pytest.fixture(scope="module")
def keys():
    return rtds_keys()


@pytest.fixture
def gsme(keys):
    return device(new_state(GSME, keys), keys)


class Sender:
    """Numbers the commands of a test (the device refuses repeated counters)."""

    def __init__(self, keys, gsme) -> None:
        self.keys, self.gsme, self.counter = keys, gsme, 1000

    def __call__(self, code, *commands):
        self.counter += 1
        output = self.gsme.process(gbz_command(self.keys, code, commands,
                                               counter=self.counter))
        assert output.rejected is None, output.rejected
        return output


@pytest.fixture
def send(keys, gsme):
    return Sender(keys, gsme)


def read(cluster_id, *attribute_ids):
    return command(ReadAttributes(attribute_ids), cluster_id=cluster_id)


def statuses(output, keys):
    return [(z.body.command_id, z.body.status) for z in answers(output.response, keys)
            if isinstance(z.body, DefaultResponse)]


TARIFF = price.PublishTariffInformation(
    0, 1, 7, 0, 0x00, b"TOU", 2, 0, 0, 826, 0x50, 30000, 0xFF, 1, 1000)
MATRIX = price.PublishPriceMatrix(0, 1, 0, 7, 0, 1, 0x01, (
    price.PriceMatrixEntry(1, 12000), price.PriceMatrixEntry(2, 8000)))


def test_published_tariff_is_read_back_and_priced(send, keys):
    before = answers(send(GCS21F, command(price.GetCurrentPrice(0))).response, keys)
    assert before[0].body == DefaultResponse(0x00, ZclStatus.NOT_FOUND)
    assert statuses(send(GCS01A, command(TARIFF), command(MATRIX)), keys) == [(4, 0), (5, 0)]
    [prices] = answers(send(GCS21F, read(0x0700, 0x0410, 0x0420, 0x0301, 0x0610)).response, keys)
    assert [r.value for r in prices.body.records] == [12000, 8000, 30000, b"TOU"]
    assert prices.frame_control == 0x18  # GCS21f response format
    [current] = answers(send(GCS21F, command(price.GetCurrentPrice(0))).response, keys)
    assert isinstance(current.body, price.PublishPrice) and current.body.price == 12000


def test_calendar_reads_answer_one_component_per_day(send, keys):
    days = [calendar.PublishDayProfile(0, 1, 5, day, 1, 0, 1, 0,
                                       (calendar.DayScheduleEntry(0, day),))
            for day in (1, 2, 3)]
    send(GCS01A, command(calendar.PublishCalendar(0, 1, 5, 0, 0, 0, b"", 1, 1, 3)),
         *(command(day) for day in days))
    output = send(GCS21F, command(calendar.GetDayProfiles(0, 0xFFFFFFFF, 2, 0)))
    decoded = decode_message(output.response).payload.components
    assert [z.body for z in answers(output.response, keys)] == days[1:]
    assert {c.sequence_number for c in decoded} == {0}
    assert {c.frame_control for c in decoded} == {0x19}


def test_arming_the_valve_sets_the_supply_and_alerts(send, gsme, keys):
    output = send(GCS39, command(metering.ChangeSupply(0, 1, 0, 0, 0x01, 0x01)))
    [answer] = answers(output.response, keys)
    assert answer.body.supply_status == 0x01
    assert gsme.state.metering.supply is SupplyState.ARMED
    [alert] = output.alerts
    assert decode_message(alert).payload.alert_code == 0x8F32


def test_utrn_top_up_credits_once(send, gsme, keys):
    code = generate_utrn(keys.prepayment_ka_private(SUPPLIER), keys.ka_public(GSME),
                         SUPPLIER, GSME, 9 << 32, 500)
    top_up = command(prepayment.ConsumerTopUp(0, code.encode()))
    send.counter = (9 << 32) - 1
    [accepted] = answers(send(CS01B, top_up).response, keys)
    assert (accepted.body.result_type, accepted.body.top_up_value) == (0, 500_000)
    assert gsme.state.metering.prepayment.meter_balance_pence == 500
    gsme.state.counters.floors.clear()
    send.counter = (9 << 32) - 1
    [duplicate] = answers(send(CS01B, top_up).response, keys)
    assert duplicate.body.result_type == 0x02
    assert gsme.state.metering.prepayment.meter_balance_pence == 500
    log = ZclModel(gsme.state, START).store.log_records(history.TOP_UP_LOG,
                                                        prepayment.TopUpEntry)
    assert [entry.top_up_amount for entry in log] == [500_000]


def test_a_forged_utrn_is_rejected(send, gsme, keys):
    code = generate_utrn(keys.prepayment_ka_private(SUPPLIER), keys.ka_public(GSME),
                         SUPPLIER, GSME, 9 << 32, 500)
    forged = code[:10] + str((int(code[10]) + 1) % 10) + code[11:]
    send.counter = (9 << 32) - 1
    [rejected] = answers(send(CS01B, command(prepayment.ConsumerTopUp(0, forged.encode())))
                         .response, keys)
    assert rejected.body.result_type == 0x01
    assert gsme.state.metering.prepayment.meter_balance_pence == 0


def test_a_failing_component_stops_the_command_and_changes_nothing(send, gsme, keys):
    bad_matrix = MATRIX.replace(entries=(price.PriceMatrixEntry(200, 1),))  # no tier 200
    output = send(GCS01A, command(price.PublishConversionFactor(1, 0, 999, 0x60)),
                  command(bad_matrix), command(TARIFF))
    assert statuses(output, keys) == [(2, 0), (5, ZclStatus.INVALID_FIELD), (0xFF, 0x01)]
    assert ZclModel(gsme.state, START).value(0x0700, 0x0302) != 999


def test_an_injected_fault_fails_a_component_and_changes_nothing(send, gsme, keys):
    gsme.inject_fault()
    output = send(GCS23, command(price.PublishConversionFactor(1, 0, 999, 0x60)),
                  command(price.PublishCalorificValue(1, 0, 400, 1, 0x10)))
    assert statuses(output, keys) == [(2, ZclStatus.HARDWARE_FAILURE), (0xFF, 0x01)]
    assert ZclModel(gsme.state, START).value(0x0700, 0x0302) != 999
    assert statuses(send(GCS23, command(price.PublishConversionFactor(1, 0, 999, 0x60))),
                    keys) == [(2, 0)]
    assert ZclModel(gsme.state, START).value(0x0700, 0x0302) == 999


def test_unknown_attributes_and_commands(send, keys):
    [reply] = answers(send(GCS13A, read(0x0702, 0x0000, 0x7777)).response, keys)
    assert [r.status for r in reply.body.records] == [0, ZclStatus.UNSUPPORTED_ATTRIBUTE]
    unsupported = command(device_cluster.ReportEventConfiguration(0, 1, ()))
    assert statuses(send(GCS20R, unsupported), keys) == [(4, ZclStatus.UNSUPPORTED_CLUSTER_COMMAND)]


def test_sensitive_reads_are_encrypted_and_others_not(send, keys):
    output = send(GCS13A, read(0x0702, 0x0000))
    [component] = decode_message(output.response).payload.components
    assert component.is_encrypted
    assert answers(output.response, keys)[0].body.records[0].value == 0
    [plain] = decode_message(send(GCS21F, read(0x0702, 0x0000)).response).payload.components
    assert not plain.is_encrypted


def test_event_configuration_is_set_and_reported(send, keys):
    setting = device_cluster.SetEventConfiguration(
        1, 0, 0x03, 0, device_cluster.EventIdList(1, (0x81A0,)))
    assert statuses(send(GCS20, command(setting)), keys) == [(4, 0)]
    [report] = answers(send(GCS20R, command(device_cluster.GetEventConfiguration(0x81A0)))
                       .response, keys)
    assert report.body.events == (device_cluster.EventConfigurationEntry(0x81A0, 0x03),)
    [group] = answers(send(GCS20R, command(device_cluster.GetEventConfiguration(0x81FF)))
                      .response, keys)
    assert len(group.body.events) > 10
    assert all(entry.event_id >> 8 == 0x81 for entry in group.body.events)


def test_sampling_then_reading_samples(send, gsme, keys):
    [started] = answers(send(GCS31, command(metering.StartSampling(1, 0, 0, 1800, 48)))
                        .response, keys)
    sample_id = started.body.sample_id
    assert sample_id == 2
    for value in (5, 6, 7):
        history.record_sample(gsme.state, sample_id, value)
    later = datetime_to_utc_seconds(START) + 1800
    [samples] = answers(send(GCS18, command(metering.GetSampledData(sample_id, later, 0, 10)))
                        .response, keys)
    assert samples.body.samples == (6, 7) and samples.body.sample_start_time == later


def test_snapshots_are_found_by_time_offset_and_cause(send, gsme, keys):
    for days in (3, 2, 1):
        history.take_snapshot(gsme.state, START - timedelta(days=days),
                              history.SnapshotCause.END_OF_BILLING_PERIOD)
    history.take_snapshot(gsme.state, START, history.SnapshotCause.GENERAL)
    get = [command(metering.GetSnapshot(0, 0xFFFFFFFF, offset, 0x02)) for offset in range(4)]
    replies = answers(send(GCS15C, *get).response, keys)
    found = [reply.body for reply in replies if isinstance(reply.body, metering.PublishSnapshot)]
    assert [s.snapshot_time for s in found] == sorted((s.snapshot_time for s in found),
                                                      reverse=True)
    assert len(found) == 3 and {s.total_snapshots_found for s in found} == {3}
    assert replies[3].body == DefaultResponse(0x06, ZclStatus.NOT_FOUND)


def test_clearing_the_event_log_keeps_the_security_log(send, gsme, keys):
    gsme.state.event_log.append(START, 0x8154)
    gsme.state.security_log.append(START, 0x8F1C)
    [cleared] = answers(send(CS11, command(device_cluster.ClearEventLogRequest(0))).response,
                        keys)
    assert cleared.body.cleared_event_logs == 0x08
    assert not gsme.state.event_log.entries and gsme.state.security_log.entries
    [found] = answers(send(CS10A, command(device_cluster.GetEventLog(0x14, 0, 0, 0, 0, 0)))
                      .response, keys)
    assert [(e.log_id, e.event_id) for e in found.body.events] == [(4, 0x8F1C)]


def test_display_message_and_site_id_persist(send, gsme, keys):
    assert statuses(send(GCS07, command(device_cluster.DisplayMessage(
        1, 0, 0, 60, b"Hello"))), keys) == [(0, 0)]
    stored = ZclModel(gsme.state, START).store.record(
        "zcl:0703:message", device_cluster.DisplayMessage)
    assert stored.message == b"Hello"
    assert statuses(send(0x0087, command(device_cluster.UpdateSiteId(1, 0, 0, b"12345678"))),
                    keys) == [(3, 0)]
    assert gsme.state.metering.import_mpxn == "12345678"
    assert statuses(send(0x0087, command(device_cluster.UpdateSiteId(1, 0, 0, b"bad"))),
                    keys) == [(3, ZclStatus.INVALID_VALUE)]
    assert gsme.state.metering.import_mpxn == "12345678"


def test_credit_adjustments_and_debt(send, gsme, keys):
    adjust = prepayment.CreditAdjustment
    assert statuses(send(0x0086, command(adjust(1, 0, 0x00, 150_000))), keys) == [(5, 0)]
    assert gsme.state.metering.prepayment.meter_balance_pence == 150
    send(0x0086, command(adjust(2, 0, 0x01, -50_000)))  # absolute, below zero: into debt
    credit = gsme.state.metering.prepayment
    assert (credit.meter_balance_pence, credit.debt_pence) == (0, 50)
    send(0x00C0, command(adjust(3, 0, 0x03, 7_000)))
    send(0x00C0, command(adjust(4, 0, 0x03, 1_000)))
    assert ZclModel(gsme.state, START).value(0x0702, 0x0A00) == 8_000
    debt = prepayment.ChangeDebt(5, b"gas", 300_000, 0x01, 0x05, 0, 0, 0x01, 0, 2_000)
    assert statuses(send(0x006E, command(debt)), keys) == [(2, 0)]
    model = ZclModel(gsme.state, START)
    assert (model.value(0x0705, 0x0231), model.value(0x0705, 0x0230)) == (300_000, b"gas")
    assert gsme.state.metering.prepayment.debt_recovery_percent == 20


def test_top_up_log_is_read_newest_first(send, gsme, keys):
    store = ZclModel(gsme.state, START).store
    for minutes, amount in ((30, 1_000), (20, 2_000), (10, 3_000)):
        history.log_top_up(store, b"0" * 20, amount, START - timedelta(minutes=minutes))
    latest = datetime_to_utc_seconds(START - timedelta(minutes=15))
    [log] = answers(send(0x00C5, command(prepayment.GetTopUpLog(latest, 5))).response, keys)
    assert [entry.top_up_amount for entry in log.body.top_ups] == [2_000, 1_000]


def test_write_attributes_to_supplier_contact(send, gsme, keys):
    write = command(WriteAttributes((AttributeValue(0x0101, 0x41, b"Gas Co"),
                                     AttributeValue(0x0102, 0x41, b"0800 000 000"))),
                    cluster_id=0x0708)
    [reply] = answers(send(0x0088, write).response, keys)
    assert [record.status for record in reply.body.records] == [0]
    assert gsme.state.metering.supplier.telephone == "0800 000 000"
