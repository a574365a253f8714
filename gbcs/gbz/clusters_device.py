"""Basic (0x0000), Messaging (0x0703), Device Management (0x0708) and Events (0x0709)."""

from __future__ import annotations

from gbcs.gbz.records import Counted, Greedy, Optional, Switch, command, record
from gbcs.gbz.zcl_types import BITMAP8, BITMAP32, C2S, CHARACTER_STRING, ENUM8, OCTET_STRING, S2C
from gbcs.gbz.zcl_types import UINT8 as U8
from gbcs.gbz.zcl_types import UINT16 as U16
from gbcs.gbz.zcl_types import UINT32 as U32
from gbcs.gbz.zcl_types import UTC_TIME as UTC

BASIC = 0x0000
MESSAGING = 0x0703
DEVICE_MANAGEMENT = 0x0708
EVENTS = 0x0709

BASIC_ATTRIBUTES = {
    0x0000: "ZCLVersion", 0x0001: "ApplicationVersion", 0x0002: "StackVersion",
    0x0003: "HWVersion", 0x0004: "ManufacturerName", 0x0005: "ModelIdentifier",
    0x0006: "DateCode", 0x0007: "PowerSource",
}

# =====================================================================================
# Messaging
# =====================================================================================

DisplayMessage = command(
    "Display Message",
    ("message_id", U32),
    ("message_control", BITMAP8),
    ("start_time", UTC),
    ("duration_in_minutes", U16),
    ("message", CHARACTER_STRING),
    ("extended_message_control", Optional(BITMAP8)),
)

MESSAGING_COMMANDS = ((S2C, 0x00, DisplayMessage),)

# =====================================================================================
# Device Management
# =====================================================================================

PublishChangeOfTenancy = command(
    "Publish Change of Tenancy",
    ("provider_id", U32),
    ("issuer_event_id", U32),
    ("tariff_type", BITMAP8),
    ("implementation_date_time", UTC),
    ("proposed_tenancy_change_control", BITMAP32),
)

PublishChangeOfSupplier = command(
    "Publish Change of Supplier",
    ("current_provider_id", U32),
    ("issuer_event_id", U32),
    ("tariff_type", BITMAP8),
    ("proposed_provider_id", U32),
    ("provider_change_implementation_time", UTC),
    ("provider_change_control", BITMAP32),
    ("proposed_provider_name", OCTET_STRING),
    ("proposed_provider_contact_details", OCTET_STRING),
)

RequestNewPasswordResponse = command(
    "Request New Password Response",
    ("issuer_event_id", U32),
    ("implementation_date_time", UTC),
    ("duration_in_minutes", U16),
    ("password_type", ENUM8),
    ("password", OCTET_STRING),
)

UpdateSiteId = command(
    "Update Site ID",
    ("issuer_event_id", U32),
    ("site_id_time", UTC),
    ("provider_id", U32),
    ("site_id", OCTET_STRING),
)

EventIdList = record(
    "EventIdList",
    ("number_of_events", U8),
    ("event_ids", Counted(U16, by="number_of_events")),
    title="Apply by list",
)

SetEventConfiguration = command(
    "Set Event Configuration",
    ("issuer_event_id", U32),
    ("start_date_time", UTC),
    ("event_configuration", BITMAP8),
    ("configuration_control", ENUM8),
    # 0 list of event ids, 1 event group id, 2 log id, 3 configuration value to match
    ("event_configuration_payload", Switch(
        by="configuration_control", cases={0: EventIdList.codec, 1: U16, 2: ENUM8, 3: BITMAP8})),
)

GetEventConfiguration = command("Get Event Configuration", ("event_id", U16))

UpdateCin = command(
    "Update CIN",
    ("issuer_event_id", U32),
    ("implementation_date_time", UTC),
    ("provider_id", U32),
    ("customer_id_number", OCTET_STRING),
)

EventConfigurationEntry = record(
    "EventConfigurationEntry", ("event_id", U16), ("event_configuration", BITMAP8))

ReportEventConfiguration = command(
    "Report Event Configuration",
    ("command_index", U8),
    ("total_commands", U8),
    ("events", Greedy(EventConfigurationEntry.codec)),
)
"""Sent by a GSME (client to server) as its answer to Get Event Configuration (GCS20r)."""

DEVICE_MANAGEMENT_COMMANDS = (
    (C2S, 0x04, ReportEventConfiguration),
    (S2C, 0x00, PublishChangeOfTenancy),
    (S2C, 0x01, PublishChangeOfSupplier),
    (S2C, 0x02, RequestNewPasswordResponse),
    (S2C, 0x03, UpdateSiteId),
    (S2C, 0x04, SetEventConfiguration),
    (S2C, 0x05, GetEventConfiguration),
    (S2C, 0x06, UpdateCin),
)

# =====================================================================================
# Events
# =====================================================================================

LOG_IDS = {0: "all logs", 1: "tamper log", 2: "fault log", 3: "general event log",
           4: "security event log", 5: "network event log"}

GetEventLog = command(
    "Get Event Log",
    ("event_control_log_id", BITMAP8),
    ("event_id", U16),
    ("start_time", UTC),
    ("end_time", UTC),
    ("number_of_events", U8),
    ("event_offset", U16),
)

ClearEventLogRequest = command("Clear Event Log Request", ("log_id", BITMAP8))

EventLogEntry = record(
    "EventLogEntry",
    ("log_id", ENUM8),
    ("event_id", U16),
    ("event_time", UTC),
    ("event_data", OCTET_STRING),
)

PublishEventLog = command(
    "Publish Event Log",
    ("total_number_of_events", U16),
    ("command_index", U8),
    ("total_commands", U8),
    ("log_payload_control", BITMAP8),
    ("events", Greedy(EventLogEntry.codec)),
)

ClearEventLogResponse = command("Clear Event Log Response", ("cleared_event_logs", BITMAP8))

EVENTS_COMMANDS = (
    (C2S, 0x00, GetEventLog),
    (C2S, 0x01, ClearEventLogRequest),
    (S2C, 0x01, PublishEventLog),
    (S2C, 0x02, ClearEventLogResponse),
)
