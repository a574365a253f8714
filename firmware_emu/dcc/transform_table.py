"""The SRV -> GBCS transform table: one row per SRV, target device type and variant.

Rows of one SRV and device type are tried in order; the first whose condition holds is
used. Message codes and payload shapes follow the primer's §9 table and the RTDS
messages of each use case; data item names follow the SRV catalogue where it declares
them (``UpdateType``, ``DeviceID``, ``InstallCode``, ``ImportMPxN``, ``OtherDeviceID``
...), and are this harness's own otherwise (``Message``, ``TopUpAmount``, ``LogToRead``,
the 6.28 settings of :data:`~firmware_emu.dcc.transform_dlms.SUBGHZ_SETTINGS`).

The last block is the generic part: reads whose command is a plain DLMS GET or a GBZ
Read Attributes of known objects, listed by their objects. The ESME's and the gas
devices' further reads, logs and settings are in
:mod:`~firmware_emu.dcc.transform_table_esme` and
:mod:`~firmware_emu.dcc.transform_table_gas`, whose rows follow these; the row conditions
are in :mod:`~firmware_emu.dcc.transform_conditions`.
"""

from __future__ import annotations

from firmware_emu.dcc.inventory import DeviceRecord, Inventory
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.transform_asn1 import (
    activate_firmware,
    credential_details,
    empty,
    handover,
    issue_credentials,
    join,
    provide_certificate,
    restore_gpf_device_log,
    set_gsme_clock,
    supplier_by_transcos,
    unjoin,
    update_device_certificate,
    update_own_credentials,
)
from firmware_emu.dcc.transform_conditions import (
    NETWORK_OPERATORS,
    SUPPLIERS,
    gbcs_v1,
    gbcs_v4,
    other,
    parameter,
)
from firmware_emu.dcc.transform_dlms import (
    get_items,
    protected_read,
    range_read,
    read_chf_device_log,
    read_chf_device_logs,
    register_device,
    request_channel_scan,
    restore_chf_device_log,
    set_clock,
    set_text,
    subghz_configuration,
    supply_script,
    top_up,
    unregister_device,
)
from firmware_emu.dcc.transform_gbz import (
    SUPPLY_ARMED,
    SUPPLY_OFF,
    change_supply,
    consumer_top_up,
    display_message,
    read_attributes,
    update_site_id,
)
from firmware_emu.dcc.transform_rows import CommandRow, Originator, Signer, row
from firmware_emu.dcc.transform_table_esme import ESME_ROWS
from firmware_emu.dcc.transform_table_gas import GAS_ROWS
from gbcs.asn1 import JoinMethodAndRole

_M = JoinMethodAndRole
_ACB_FOR_USER, _ACB, _TRANSCOS = Originator.ACB_FOR_USER, Originator.ACB, Originator.TRANSCOS
_ACB_SIGNS = Signer.ACB
_EVENT_LOG = parameter("LogToRead", None, "EventLog")
_SECURITY_LOG = parameter("LogToRead", "SecurityLog")

COMMAND_ROWS: tuple[CommandRow, ...] = (
    # install and commission (IC01, IC02)
    row("8.11", "CHF", "CCS01", 0x0001, register_device, when=parameter("UpdateType", "Add")),
    row("8.11", "CHF", "CCS02", 0x0002, unregister_device,
        when=parameter("UpdateType", "Remove")),
    row("8.1.1", "ESME", "ECS70", 0x0062, set_clock, note="commission: set the clock"),
    row("8.1.1", "GSME", "GCS28", 0x007F, set_gsme_clock, note="commission: set the clock"),
    row("6.11", "ESME", "ECS70", 0x0062, set_clock),
    row("6.11", "GSME", "GCS28", 0x007F, set_gsme_clock),
    row("6.21", "GPF", "CS02b", 0x0102, handover, originator=_ACB, signer=_ACB_SIGNS,
        note="supplierBySupplier handover, originated and signed by the ACB"),
    row("6.20.1", "ESME", "ECS39a", 0x004C, set_text(1, "0-0:94.44.34.11", "ImportMPxN")),
    row("6.20.1", "GSME", "GCS41", 0x0087, update_site_id),
    row("6.20.2", "ESME", "ECS39b", 0x004D, set_text(1, "1-0:0.0.2.255", "ExportMPAN"),
        originator=_ACB_FOR_USER),
    # joining and unjoining
    row("8.7.2", "GSME", "CS03B", 0x000E, join(_M.METHOD_B), when=other("GPF")),
    row("8.7.2", "PPMID HCALCS", "CS03A2", 0x00AB, join(_M.METHOD_A_RESPONDER),
        when=other("ESME"), originator=_ACB_FOR_USER, signer=_ACB_SIGNS),
    row("8.7.2", "PPMID", "CS03C", 0x00AF, join(_M.METHOD_C), when=other("GSME"),
        originator=_ACB_FOR_USER, signer=_ACB_SIGNS),
    row("8.7.1", "ESME", "CS03A1", 0x000D, join(_M.METHOD_A_INITIATOR)),
    row("8.7.1", "HCALCS PPMID", "CS03A2", 0x00AB, join(_M.METHOD_A_RESPONDER),
        when=other("ESME")),
    row("8.7.1", "GSME PPMID", "CS03C", 0x00AF, join(_M.METHOD_C)),
    row("8.8.1", "ESME GSME PPMID", "CS04AC", 0x000F, unjoin),
    row("8.8.2", "GSME", "CS04B", 0x0010, unjoin, when=other("GPF")),
    row("8.8.2", "ESME GSME PPMID", "CS04AC", 0x000F, unjoin, originator=_ACB_FOR_USER,
        signer=_ACB_SIGNS),
    # device logs and firmware
    row("8.12.1", "CHF", "CCS03", 0x0003, restore_chf_device_log),
    row("8.12.2", "GPF", "GCS59", 0x008C, restore_gpf_device_log, originator=_ACB),
    row("8.9", "CHF", "CCS05/CCS04", 0x0004, read_chf_device_log, when=gbcs_v1),
    row("8.9", "CHF", "CCS07", 0x00FE, read_chf_device_logs,
        when=parameter("ReadSecurityDetails", True)),
    row("8.9", "CHF", "CCS06", 0x010F, read_chf_device_log),
    row("8.9", "ESME GSME GPF PPMID HCALCS", "CS07", 0x0013, empty),
    row("11.2", "ESME CHF", "ECS52", 0x0059, get_items((1, "0-0:0.2.1.255", 2))),
    row("11.2", "GSME GPF", "GCS38", 0x0084, read_attributes((0x0702, (0x0206,)))),
    row("11.2", "PPMID HCALCS", "CS08", 0x0129, empty),
    # registers
    row("4.1.1", "ESME", "ECS17b", 0x0027,
        protected_read("0-0:43.2.8.255", (1, "0-0:94.44.34.10", 2))),
    row("4.1.1", "GSME GPF", "GCS13a", 0x0074,
        read_attributes((0x0702, (0x0302, 0x0301, 0x0300, 0x0000))), via_gpf=True),
    row("4.1.2", "GSME GPF", "GCS13c", 0x00B6, read_attributes(
        (0x0702, (0x0302, 0x0301, 0x0300, 0x0100, 0x0102, 0x0104, 0x0106))), via_gpf=True),
    row("4.1.4", "GSME GPF", "GCS13b", 0x00B8, read_attributes(
        (0x0702, (0x0700, 0x0701, 0x0702, 0x0703, 0x0302, 0x0301, 0x0300))), via_gpf=True),
    row("4.2", "ESME", "ECS17a", 0x0026, get_items(
        (3, "1-0:2.8.0.255", 2), (3, "1-0:2.8.0.255", 3), (3, "1-0:4.8.0.255", 2),
        (3, "1-0:4.8.0.255", 3))),
    # dual band CH
    row("6.28", "CHF", "DBCH04", 0x010D, subghz_configuration),
    row("6.29", "CHF", "DBCH05", 0x010E, request_channel_scan),
    row("6.30", "CHF", "DBCH03", 0x010C, get_items((1, "0-0:94.44.10.0", 2))),
    row("6.31", "CHF", "DBCH01", 0x010A, get_items((1, "0-0:94.44.10.2", 2))),
    row("6.32", "CHF", "DBCH02", 0x010B, range_read(7, "0-0:94.44.10.3")),
    # security credentials
    row("6.15.1", "ESME GSME GPF", "CS02b", 0x0102, update_own_credentials, when=SUPPLIERS,
        future_dated=True, note="supplierBySupplier"),
    row("6.15.1", "ESME GSME GPF", "CS02b", 0x0103, update_own_credentials,
        when=NETWORK_OPERATORS, future_dated=True, note="networkOperatorByNetworkOperator"),
    row("6.23", "ESME GSME", "CS02b", 0x0107, supplier_by_transcos, originator=_TRANSCOS,
        signer=Signer.TRANSCOS, future_dated=True, note="supplierByTransCoS"),
    row("6.24.1", "ESME", "CS02f", 0x011B, credential_details, when=gbcs_v4, originator=_ACB),
    row("6.24.1", "ESME GSME CHF", "CS02a", 0x0008, credential_details, originator=_ACB),
    row("6.15.2", "ESME", "CS02d", 0x000B, update_device_certificate),
    row("6.17", "ESME", "CS02c", 0x000A, issue_credentials),
    row("6.24.2", "ESME", "CS02e", 0x000C, provide_certificate),
    row("11.3", "ESME", "CS06", 0x0012, activate_firmware, future_dated=True),
    # supply, prepayment, messages
    row("7.1", "ESME", "ECS42", 0x004F, supply_script),
    row("7.2", "ESME", "ECS43", 0x0050, supply_script),
    row("7.2", "GSME", "GCS32", 0x0081, change_supply(SUPPLY_OFF)),
    row("7.3", "ESME", "ECS44", 0x0051, supply_script),
    row("7.3", "GSME", "GCS39", 0x0085, change_supply(SUPPLY_ARMED)),
    row("7.4", "ESME", "ECS45", 0x0052, get_items((70, "0-0:96.3.10.255", 3))),
    row("7.4", "GSME GPF", "GCS33", 0x0082, read_attributes((0x0702, (0x0205, 0x0014)))),
    row("2.2", "ESME", "CS01a", 0x0007, top_up, utrn=True),
    row("2.2", "GSME", "CS01b", 0x0097, consumer_top_up, utrn=True),
    row("3.1", "ESME", "ECS10", 0x0021, set_text(1, "0-2:96.13.1.255", "Message")),
    row("3.1", "GSME", "GCS07", 0x0071, display_message),
    # generic: plain reads of known objects
    row("4.12.2", "ESME", "ECS18a", 0x002B, get_items(
        (1, "0-0:94.44.5.2", 2), (4, "1-0:2.6.0.255", 2), (4, "1-0:2.6.0.255", 3),
        (4, "1-0:2.6.0.255", 5))),
    row("4.18", "ESME", "ECS82", 0x0069, get_items((112, "0-0:19.10.0.255", 2))),
    row("4.18", "GSME GPF", "GCS60", 0x008D,
        read_attributes((0x0702, (0x0A00,)), (0x0705, (0x0001,)))),
    row("6.2.3", "ESME", "ECS26d", 0x003E, get_items((22, "0-0:15.0.0.255", 4))),
    row("6.2.4", "ESME", "ECS26m", 0x00F9, get_items(
        (1, "0-0:96.1.2.255", 2), (1, "0-0:96.1.4.255", 2), (1, "0-0:96.1.6.255", 2),
        (1, "0-0:94.44.0.4", 2))),
    row("6.2.4", "CHF", "ECS26i", 0x0092, get_items(
        (1, "0-0:96.1.1.255", 2), (1, "0-0:96.1.4.255", 2), (1, "0-0:96.1.6.255", 2))),
    row("6.2.4", "GSME GPF", "GCS21e", 0x009E,
        read_attributes((0x0000, (0x0004, 0x0005, 0x0003)), (0x0702, (0x0608, 0x0607)))),
    row("6.2.5", "ESME", "ECS26f", 0x0040, get_items((21, "0-0:16.0.0.255", 2))),
    row("6.2.7", "ESME", "ECS40", 0x004E, get_items(
        (1, "0-0:94.44.34.11", 2), (1, "1-0:0.0.2.255", 2))),
    row("6.2.7", "GSME GPF", "GCS46", 0x0089, read_attributes((0x0702, (0x0307,)))),
    row("6.2.8", "GSME GPF", "GCS21a", 0x007B, read_attributes(
        (0x0700, (0x0306, 0x0305, 0x0304, 0x0303, 0x0302)),
        (0x0702, (0x0B13, 0x0B12, 0x0B11, 0x0B10, 0x0B14, 0x0B15)))),
    row("6.2.9", "GSME GPF", "GCS21j", 0x00BF, read_attributes((0x0705, (0x0000,)))),
    row("6.2.10", "ESME", "ECS25r2", 0x00EF, get_items(
        (1, "0-33:97.98.15.255", 2), (1, "0-33:97.98.18.255", 2)), when=NETWORK_OPERATORS),
    row("6.13", "ESME", "ECS35a", 0x0048, range_read(7, "0-0:99.98.0.255"), when=_EVENT_LOG),
    row("6.13", "ESME", "ECS35b", 0x0049, range_read(7, "0-0:99.98.1.255"),
        when=_SECURITY_LOG),
    row("6.13", "CHF", "ECS35c", 0x0093, range_read(7, "0-0:99.98.0.255"), when=_EVENT_LOG),
    row("6.13", "CHF", "ECS35d", 0x0094, range_read(7, "0-0:99.98.1.255"),
        when=_SECURITY_LOG),
    *ESME_ROWS,
    *GAS_ROWS,
)


def command_row(request: ServiceRequest, device: DeviceRecord, inventory: Inventory
                ) -> CommandRow | None:
    """The row serving ``request`` for its target ``device``, or None."""
    for candidate in COMMAND_ROWS:
        if (candidate.srv_id == request.srv_id
                and device.device_type in candidate.device_types
                and candidate.when(request, device, inventory)):
            return candidate
    return None


def transformable_srvs() -> tuple[str, ...]:
    """Every SRV some row serves, in SRV order."""
    return tuple(sorted({candidate.srv_id for candidate in COMMAND_ROWS},
                        key=lambda srv: tuple(int(part) for part in srv.split("."))))


def message_codes(request: ServiceRequest) -> frozenset[int]:
    """The message codes a signed pre-command of the request's SRV may carry (E51)."""
    return frozenset({use_case.message_code for use_case in request.srv.use_cases()}
                     | {row.message_code for row in COMMAND_ROWS if row.srv_id == request.srv_id})
