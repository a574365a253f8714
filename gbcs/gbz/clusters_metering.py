"""Metering cluster (0x0702): snapshots, sampling, supply control, meter attributes."""

from __future__ import annotations

from gbcs.gbz.records import Counted, Greedy, Switch, command, record
from gbcs.gbz.zcl_types import BITMAP8, BITMAP32, C2S, ENUM8, S2C
from gbcs.gbz.zcl_types import UINT8 as U8
from gbcs.gbz.zcl_types import UINT16 as U16
from gbcs.gbz.zcl_types import UINT24 as U24
from gbcs.gbz.zcl_types import UINT32 as U32
from gbcs.gbz.zcl_types import UINT48 as U48
from gbcs.gbz.zcl_types import UTC_TIME as UTC

CLUSTER_ID = 0x0702
NAME = "Metering"

# =====================================================================================
# Client to server
# =====================================================================================

GetSnapshot = command(
    "Get Snapshot",
    ("earliest_start_time", UTC),
    ("latest_end_time", UTC),
    ("snapshot_offset", U8),
    ("snapshot_cause", BITMAP32),
)

StartSampling = command(
    "Start Sampling",
    ("issuer_event_id", U32),
    ("start_sampling_time", UTC),
    ("sample_type", ENUM8),
    ("sample_request_interval", U16),
    ("max_number_of_samples", U16),
)

GetSampledData = command(
    "Get Sampled Data",
    ("sample_id", U16),
    ("earliest_sample_time", UTC),
    ("sample_type", ENUM8),
    ("number_of_samples", U16),
)

ChangeSupply = command(
    "Change Supply",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("request_date_time", UTC),
    ("implementation_date_time", UTC),
    ("proposed_supply_status", ENUM8),
    ("supply_control_bits", BITMAP8),
)

SetSupplyStatus = command(
    "Set Supply Status",
    ("issuer_event_id", U32),
    ("supply_tamper_state", ENUM8),
    ("supply_depletion_state", ENUM8),
    ("supply_uncontrolled_flow_state", ENUM8),
    ("load_limit_supply_state", ENUM8),
)

SetUncontrolledFlowThreshold = command(
    "Set Uncontrolled Flow Threshold",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("uncontrolled_flow_threshold", U16),
    ("unit_of_measure", ENUM8),
    ("multiplier", U16),
    ("divisor", U16),
    ("stabilisation_period", U8),
    ("measurement_period", U16),
)

# =====================================================================================
# Server to client
# =====================================================================================

TouSnapshot = record(
    "TouSnapshot",
    ("current_summation", U48),
    ("number_of_tiers_in_use", U8),
    ("tier_summations", Counted(U48, by="number_of_tiers_in_use")),
    title="TOU information set (no billing)",
)

BlockTierSnapshot = record(
    "BlockTierSnapshot",
    ("current_summation", U48),
    ("number_of_tiers_in_use", U8),
    ("tier_summations", Counted(U48, by="number_of_tiers_in_use")),
    ("number_of_tiers_and_block_thresholds_in_use", BITMAP8),
    ("block_summations", Greedy(U48)),
    title="Block tier information set (no billing)",
)

SNAPSHOT_PAYLOADS = {
    4: TouSnapshot.codec,  # delivered registers
    5: TouSnapshot.codec,  # received registers
    6: BlockTierSnapshot.codec,  # delivered (the GBCS GCS15/GCS53 case)
    7: BlockTierSnapshot.codec,  # received
}
"""Snapshot payload types with a known layout; the billing variants stay raw bytes."""

PublishSnapshot = command(
    "Publish Snapshot",
    ("snapshot_id", U32),
    ("snapshot_time", UTC),
    ("total_snapshots_found", U8),
    ("command_index", U8),
    ("total_number_of_commands", U8),
    ("snapshot_cause", BITMAP32),
    ("snapshot_payload_type", ENUM8),
    ("snapshot_payload", Switch(by="snapshot_payload_type", cases=SNAPSHOT_PAYLOADS)),
)

GetSampledDataResponse = command(
    "Get Sampled Data Response",
    ("sample_id", U16),
    ("sample_start_time", UTC),
    ("sample_type", ENUM8),
    ("sample_request_interval", U16),
    ("number_of_samples", U16),
    ("samples", Counted(U24, by="number_of_samples")),
)

SupplyStatusResponse = command(
    "Supply Status Response",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("implementation_date_time", UTC),
    ("supply_status", ENUM8),
)

StartSamplingResponse = command("Start Sampling Response", ("sample_id", U16))

COMMANDS = (
    (C2S, 0x06, GetSnapshot),
    (C2S, 0x07, StartSampling),
    (C2S, 0x08, GetSampledData),
    (C2S, 0x0B, ChangeSupply),
    (C2S, 0x0D, SetSupplyStatus),
    (C2S, 0x0E, SetUncontrolledFlowThreshold),
    (S2C, 0x06, PublishSnapshot),
    (S2C, 0x07, GetSampledDataResponse),
    (S2C, 0x0C, SupplyStatusResponse),
    (S2C, 0x0D, StartSamplingResponse),
)

# =====================================================================================
# Attributes
# =====================================================================================


def _attributes() -> dict[int, str]:
    names = {
        0x0000: "CurrentSummationDelivered", 0x0001: "CurrentSummationReceived",
        0x0002: "CurrentMaxDemandDelivered", 0x0003: "CurrentMaxDemandReceived",
        0x0004: "DFTSummation", 0x0005: "DailyFreezeTime", 0x0006: "PowerFactor",
        0x0007: "ReadingSnapShotTime", 0x000A: "DefaultUpdatePeriod",
        0x000B: "FastPollUpdatePeriod", 0x000C: "CurrentBlockPeriodConsumptionDelivered",
        0x000D: "DailyConsumptionTarget", 0x000E: "CurrentBlock",
        0x000F: "ProfileIntervalPeriod", 0x0011: "PresetReadingTime",
        0x0012: "VolumePerReport", 0x0013: "FlowRestriction", 0x0014: "SupplyStatus",
    }
    for tier in range(1, 49):
        names[0x0100 + 2 * (tier - 1)] = f"CurrentTier{tier}SummationDelivered"
        names[0x0101 + 2 * (tier - 1)] = f"CurrentTier{tier}SummationReceived"
    names.update({
        0x0200: "Status", 0x0201: "RemainingBatteryLife", 0x0202: "HoursInOperation",
        0x0203: "HoursInFault", 0x0204: "ExtendedStatus",
        0x0205: "RemainingBatteryLifeInDays",
        0x0206: "CurrentMeterID",  # GBCS GCS38: holds the firmware version
        0x0207: "AmbientConsumptionIndicator",
        0x0300: "UnitOfMeasure", 0x0301: "Multiplier", 0x0302: "Divisor",
        0x0303: "SummationFormatting", 0x0304: "DemandFormatting",
        0x0305: "HistoricalConsumptionFormatting", 0x0306: "MeteringDeviceType",
        0x0307: "SiteID", 0x0308: "MeterSerialNumber",
        0x0400: "InstantaneousDemand", 0x0401: "CurrentDayConsumptionDelivered",
        0x0402: "CurrentDayConsumptionReceived", 0x0403: "PreviousDayConsumptionDelivered",
        0x0404: "PreviousDayConsumptionReceived",
        0x0600: "CurrentDemandDelivered", 0x0601: "DemandLimit",
        0x0602: "DemandIntegrationPeriod", 0x0603: "NumberOfDemandSubintervals",
        0x0604: "DemandLimitArmDuration", 0x0605: "LoadLimitSupplyState",
        0x0606: "LoadLimitCounter", 0x0607: "SupplyTamperState",
        0x0608: "SupplyDepletionState", 0x0609: "SupplyUncontrolledFlowState",
    })
    for tier in range(16):
        for block in range(1, 17):
            prefix = f"CurrentTier{tier}" if tier else "CurrentNoTier"
            names[0x0700 + 16 * tier + block - 1] = f"{prefix}Block{block}SummationDelivered"
    names.update({
        0x0A00: "BillToDateDelivered", 0x0A01: "BillToDateTimeStampDelivered",
        0x0A02: "ProjectedBillDelivered", 0x0A03: "ProjectedBillTimeStampDelivered",
        0x0A04: "BillDeliveredTrailingDigit",
        0x0B00: "ProposedChangeSupplyImplementationTime", 0x0B01: "ProposedChangeSupplyStatus",
        0x0B10: "UncontrolledFlowThreshold", 0x0B11: "UncontrolledFlowThresholdUnitOfMeasure",
        0x0B12: "UncontrolledFlowMultiplier", 0x0B13: "UncontrolledFlowDivisor",
        0x0B14: "FlowStabilisationPeriod", 0x0B15: "FlowMeasurementPeriod",
    })
    return names


ATTRIBUTES = _attributes()
