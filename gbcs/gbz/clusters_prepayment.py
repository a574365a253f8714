"""Prepayment cluster (0x0705): credit, debt, top-ups and their logs."""

from __future__ import annotations

from gbcs.gbz.records import Greedy, Switch, command, record
from gbcs.gbz.zcl_types import BITMAP8, BITMAP16, BITMAP32, C2S, ENUM8, OCTET_STRING, S2C
from gbcs.gbz.zcl_types import INT32 as I32
from gbcs.gbz.zcl_types import UINT8 as U8
from gbcs.gbz.zcl_types import UINT16 as U16
from gbcs.gbz.zcl_types import UINT32 as U32
from gbcs.gbz.zcl_types import UTC_TIME as UTC

CLUSTER_ID = 0x0705
NAME = "Prepayment"

# =====================================================================================
# Client to server
# =====================================================================================

SelectAvailableEmergencyCredit = command(
    "Select Available Emergency Credit",
    ("command_issue_date_time", UTC),
    ("originating_device", ENUM8),
)

ChangeDebt = command(
    "Change Debt",
    ("issuer_event_id", U32),
    ("debt_label", OCTET_STRING),
    ("debt_amount", I32),
    ("debt_recovery_method", ENUM8),
    ("debt_amount_type", ENUM8),
    ("debt_recovery_start_time", UTC),
    ("debt_recovery_collection_time", U16),
    ("debt_recovery_frequency", ENUM8),
    ("debt_recovery_amount", I32),
    ("debt_recovery_balance_percentage", U16),
)

EmergencyCreditSetup = command(
    "Emergency Credit Setup",
    ("issuer_event_id", U32),
    ("start_time", UTC),
    ("emergency_credit_limit", U32),
    ("emergency_credit_threshold", U32),
)

ConsumerTopUp = command(
    "Consumer Top Up",
    ("originating_device", ENUM8),
    ("top_up_code", OCTET_STRING),
)

CreditAdjustment = command(
    "Credit Adjustment",
    ("issuer_event_id", U32),
    ("start_time", UTC),
    ("credit_adjustment_type", ENUM8),
    ("credit_adjustment_value", I32),
)

ChangePaymentMode = command(
    "Change Payment Mode",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("implementation_date_time", UTC),
    ("proposed_payment_control_configuration", BITMAP16),
    ("cut_off_value", I32),
)

GetPrepaySnapshot = command(
    "Get Prepay Snapshot",
    ("earliest_start_time", UTC),
    ("latest_end_time", UTC),
    ("snapshot_offset", U8),
    ("snapshot_cause", BITMAP32),
)

GetTopUpLog = command(
    "Get Top Up Log",
    ("latest_end_time", UTC),
    ("number_of_records", U8),
)

SetLowCreditWarningLevel = command(
    "Set Low Credit Warning Level", ("low_credit_warning_level", U32))

GetDebtRepaymentLog = command(
    "Get Debt Repayment Log",
    ("latest_end_time", UTC),
    ("number_of_debts", U8),
    ("debt_type", ENUM8),
)

SetMaximumCreditLimit = command(
    "Set Maximum Credit Limit",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("implementation_date_time", UTC),
    ("maximum_credit_level", U32),
    ("maximum_credit_per_top_up", U32),
)

SetOverallDebtCap = command(
    "Set Overall Debt Cap",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("implementation_date_time", UTC),
    ("overall_debt_cap", I32),
)

# =====================================================================================
# Server to client
# =====================================================================================

DebtCreditStatus = record(
    "DebtCreditStatus",
    ("accumulated_debt", I32),
    ("time_debt_1", U32),
    ("time_debt_2", U32),
    ("payment_debt", U32),
    ("emergency_credit_balance", I32),
    ("meter_balance", I32),
    title="Debt/credit status",
)
"""Payload type 0. The balances are signed: RTDS snapshots hold negative ones."""

PublishPrepaySnapshot = command(
    "Publish Prepay Snapshot",
    ("snapshot_id", U32),
    ("snapshot_time", UTC),
    ("total_snapshots_found", U8),
    ("command_index", U8),
    ("total_number_of_commands", U8),
    ("snapshot_cause", BITMAP32),
    ("snapshot_payload_type", ENUM8),
    ("snapshot_payload", Switch(by="snapshot_payload_type", cases={0: DebtCreditStatus.codec})),
)

ChangePaymentModeResponse = command(
    "Change Payment Mode Response",
    ("friendly_credit", BITMAP8),
    ("friendly_credit_calendar_id", U32),
    ("emergency_credit_limit", U32),
    ("emergency_credit_threshold", U32),
)

ConsumerTopUpResponse = command(
    "Consumer Top Up Response",
    ("result_type", ENUM8),
    ("top_up_value", I32),
    ("source_of_top_up", ENUM8),
    ("credit_remaining", I32),
)

TopUpEntry = record(
    "TopUpEntry", ("top_up_code", OCTET_STRING), ("top_up_amount", I32), ("top_up_time", UTC))

PublishTopUpLog = command(
    "Publish Top Up Log",
    ("command_index", U8),
    ("total_number_of_commands", U8),
    ("top_ups", Greedy(TopUpEntry.codec)),
)

DebtEntry = record(
    "DebtEntry",
    ("collection_time", UTC),
    ("amount_collected", U32),
    ("debt_type", ENUM8),
    ("outstanding_debt", U32),
)

PublishDebtLog = command(
    "Publish Debt Log",
    ("command_index", U8),
    ("total_number_of_commands", U8),
    ("debts", Greedy(DebtEntry.codec)),
)

COMMANDS = (
    (C2S, 0x00, SelectAvailableEmergencyCredit),
    (C2S, 0x02, ChangeDebt),
    (C2S, 0x03, EmergencyCreditSetup),
    (C2S, 0x04, ConsumerTopUp),
    (C2S, 0x05, CreditAdjustment),
    (C2S, 0x06, ChangePaymentMode),
    (C2S, 0x07, GetPrepaySnapshot),
    (C2S, 0x08, GetTopUpLog),
    (C2S, 0x09, SetLowCreditWarningLevel),
    (C2S, 0x0A, GetDebtRepaymentLog),
    (C2S, 0x0B, SetMaximumCreditLimit),
    (C2S, 0x0C, SetOverallDebtCap),
    (S2C, 0x01, PublishPrepaySnapshot),
    (S2C, 0x02, ChangePaymentModeResponse),
    (S2C, 0x03, ConsumerTopUpResponse),
    (S2C, 0x05, PublishTopUpLog),
    (S2C, 0x06, PublishDebtLog),
)

# =====================================================================================
# Attributes
# =====================================================================================


def _attributes() -> dict[int, str]:
    names = {
        0x0000: "PaymentControlConfiguration", 0x0001: "CreditRemaining",
        0x0002: "EmergencyCreditRemaining", 0x0003: "CreditStatus",
        0x0004: "CreditRemainingTimeStamp", 0x0005: "AccumulatedDebt",
        0x0006: "OverallDebtCap",
        0x0010: "EmergencyCreditLimitAllowance", 0x0011: "EmergencyCreditThreshold",
        0x0020: "TotalCreditAdded", 0x0021: "MaxCreditLimit", 0x0022: "MaxCreditPerTopUp",
        0x0030: "FriendlyCreditWarning", 0x0031: "LowCreditWarningLevel",
        0x0032: "IHDLowCreditWarningLevel", 0x0033: "InterruptSuspendTime",
        0x0034: "RemainingFriendlyCreditTime", 0x0035: "NextFriendlyCreditPeriod",
        0x0040: "CutOffValue", 0x0080: "TokenCarrierID",
    }
    debt_fields = {0x0: "DebtLabel", 0x1: "DebtAmount", 0x2: "DebtRecoveryMethod",
                   0x3: "DebtRecoveryStartTime", 0x4: "DebtRecoveryCollectionTime",
                   0x6: "DebtRecoveryFrequency", 0x7: "DebtRecoveryAmount",
                   0x9: "DebtRecoveryTopUpPercentage"}
    for debt in range(1, 4):
        for low, field in debt_fields.items():
            names[0x0200 + 0x10 * debt + low] = f"{field}{debt}"
    return names


ATTRIBUTES = _attributes()
