"""Metering cluster (0x0702): snapshots, sampling, valve control and supply settings."""

from __future__ import annotations

from firmware_emu.state_metering import SupplyState
from firmware_emu.zcl import history
from firmware_emu.zcl.calls import Answer, CommandHandler, ZclCall, ZclFailure, succeeded
from firmware_emu.zcl.catalogue_metering import SUPPLY_STATUS
from firmware_emu.zcl.gbz_alerts import generic_alert
from gbcs.gbz import clusters_metering as metering
from gbcs.gbz.zcl import ZclStatus

CLUSTER = metering.CLUSTER_ID
SUPPLY_ARMED = 0x8F32
NO_SAMPLE_ID = 0xFFFF
FIRST_SAMPLE_ID = history.DAILY_CONSUMPTION_SAMPLE_ID + 1
_SUPPLY_OF_STATUS = {status: state for state, status in SUPPLY_STATUS.items()}


def get_snapshot(call: ZclCall) -> Answer:
    body = call.body
    found = history.find_snapshot(call.model.store, history.METERING_SNAPSHOTS,
                                  metering.PublishSnapshot, body.earliest_start_time,
                                  body.latest_end_time, body.snapshot_offset,
                                  body.snapshot_cause)
    if found is None:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return [call.reply(found)]


def start_sampling(call: ZclCall) -> Answer:
    body = call.body
    if body.sample_request_interval == 0 or body.max_number_of_samples == 0:
        raise ZclFailure(ZclStatus.INVALID_FIELD, "sampling needs an interval and samples")
    store = call.model.store
    sample_id = FIRST_SAMPLE_ID
    while True:
        session = history.sampling_session(store, sample_id)
        if session is None or session.sample_type == body.sample_type:
            break
        sample_id += 1
        if sample_id >= NO_SAMPLE_ID:
            raise ZclFailure(ZclStatus.INSUFFICIENT_SPACE, "no free sample id")
    start = body.start_sampling_time or call.model.utc_now
    history.start_sampling(store, sample_id, start, body.sample_type,
                           body.sample_request_interval)
    return [call.reply(metering.StartSamplingResponse(sample_id))]


def start_sampling_failed(call: ZclCall, status: int) -> Answer:
    return [call.reply(metering.StartSamplingResponse(NO_SAMPLE_ID))]


def get_sampled_data(call: ZclCall) -> Answer:
    body = call.body
    session = history.sampling_session(call.model.store, body.sample_id)
    found = None
    if session is not None and session.sample_type == body.sample_type:
        found = history.samples_from(session, body.earliest_sample_time,
                                     body.number_of_samples)
    if found is None:
        raise ZclFailure(ZclStatus.NOT_FOUND)
    return [call.reply(found)]


def change_supply(call: ZclCall) -> Answer:
    body = call.body
    supply = _SUPPLY_OF_STATUS.get(body.proposed_supply_status)
    if supply is None:
        raise ZclFailure(ZclStatus.INVALID_VALUE, "unknown proposed supply status")
    was = call.model.metering.supply
    call.model.set_metering(supply=supply)
    if supply is SupplyState.ARMED and was is not SupplyState.ARMED:
        call.alerts.append(generic_alert(SUPPLY_ARMED, call.now))
    return [call.reply(metering.SupplyStatusResponse(
        body.provider_id, body.issuer_event_id, body.implementation_date_time,
        SUPPLY_STATUS[supply]))]


def set_supply_status(call: ZclCall) -> Answer:
    body = call.body
    for attribute_id, value in ((0x0607, body.supply_tamper_state),
                                (0x0608, body.supply_depletion_state),
                                (0x0609, body.supply_uncontrolled_flow_state),
                                (0x0605, body.load_limit_supply_state)):
        call.model.write(CLUSTER, attribute_id, value)
    return succeeded(call)


def set_uncontrolled_flow_threshold(call: ZclCall) -> Answer:
    body = call.body
    for attribute_id, value in ((0x0B10, body.uncontrolled_flow_threshold),
                                (0x0B11, body.unit_of_measure), (0x0B12, body.multiplier),
                                (0x0B13, body.divisor), (0x0B14, body.stabilisation_period),
                                (0x0B15, body.measurement_period)):
        call.model.write(CLUSTER, attribute_id, value)
    return succeeded(call)


HANDLERS = {
    metering.GetSnapshot: CommandHandler(get_snapshot, reads=True),
    metering.StartSampling: CommandHandler(start_sampling, failure=start_sampling_failed),
    metering.GetSampledData: CommandHandler(get_sampled_data, reads=True),
    metering.ChangeSupply: CommandHandler(change_supply, "implementation_date_time"),
    metering.SetSupplyStatus: CommandHandler(set_supply_status),
    metering.SetUncontrolledFlowThreshold: CommandHandler(set_uncontrolled_flow_threshold),
}
