"""SRV -> GBCS transform, checked against the RTDS: with the RTDS remote parties' keys the
DCC must build the very bytes of the RTDS commands (MAC included), the very PRECOMMANDs
of critical ones, and MAC the RTDS signed pre-commands into the RTDS commands. Also the
originator rules, the counters, reading responses back, and the PKI."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from firmware_emu.dcc.inventory import DeviceRecord, Inventory
from firmware_emu.dcc.pki import (
    PARTY_TABLE,
    DccPki,
    PartyName,
    PkiError,
    default_users,
)
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.service_request import ServiceRequest
from firmware_emu.dcc.srv_catalogue import get_srv
from firmware_emu.dcc.transform import (
    CounterError,
    OriginatorCounters,
    SignedPreCommandError,
    Transformer,
)
from firmware_emu.dcc.transform_responses import (
    chf_device_log,
    firmware_version,
    interpret_response,
)
from firmware_emu.dcc.transform_rows import (
    DeviceLogBackups,
    Originator,
    Signer,
    TransformError,
)
from firmware_emu.dcc.transform_table import COMMAND_ROWS
from gbcs.codes import Protection, use_case_for
from gbcs.crypto import CertificateAuthority, KeyStore, KeyUsage
from gbcs.framing.general_ciphering import split_general_ciphering
from gbcs.message import decode_message
from gbcs.secure import CheckStatus, verify_message
from tests.rtds import keystore_dir, message

B = "00DB1234567890"
ESME, GSME, CHF, GPF, PPMID, HCALCS = (B + suffix for suffix in ("A0", "A1", "A2", "A3",
                                                                  "A4", "A5"))
ACB = "90B3D51F30000002"
SUPPLIER_USER, NETWORK_OPERATOR_USER = "90B3D51F30010000", "90B3D51F30020000"
OTHER_USER = "90-B3-D5-1F-30-04-00-00"
NOW = datetime(2015, 1, 1, tzinfo=UTC)  # RTDS issuer event ids are this instant
_RTDS_PARTIES = (PartyName.ACB, PartyName.SUPPLIER, PartyName.NETWORK_OPERATOR,
                 PartyName.LOAD_CONTROLLER)


@pytest.fixture(scope="module")
def rtds_pki() -> DccPki:
    """The DCC with the RTDS remote parties' keys (the RTDS has no CA private key)."""
    parties = [party for party in PARTY_TABLE if party.name in _RTDS_PARTIES]
    return DccPki(CertificateAuthority.generate(), parties, default_users(),
                  KeyStore(keystore_dir()))


def rtds_inventory() -> Inventory:
    installed = {"status": "Commissioned", "gbcs_version": "3.2"}
    return Inventory([
        DeviceRecord(CHF, "CHF", dual_band=True, **installed),
        DeviceRecord(GPF, "GPF", chf_id=CHF, **installed),
        DeviceRecord(ESME, "ESME", chf_id=CHF, status="Commissioned", gbcs_version="4.0"),
        DeviceRecord(GSME, "GSME", chf_id=CHF, gpf_id=GPF, **installed),
        DeviceRecord(PPMID, "PPMID", chf_id=CHF, **installed),
        DeviceRecord(HCALCS, "HCALCS", chf_id=CHF, **installed),
        DeviceRecord(B + "9C", "GPF", **installed), DeviceRecord(B + "93", "ESME", **installed),
        DeviceRecord(B + "94", "GSME", **installed),
    ])


def transformer(pki: DccPki, *, acb_next: int | None = None,
                supplier_last: int | None = None) -> Transformer:
    counters = OriginatorCounters()
    if acb_next is not None:
        counters.last[ACB] = acb_next - 1
    if supplier_last is not None:
        counters.last[SUPPLIER_USER] = supplier_last
    return Transformer(pki, rtds_inventory(), counters, rtds_backups())


def rtds_backups() -> DeviceLogBackups:
    """The device logs behind the RTDS restores (as the DCC would hold them from the
    CHF's CS14 and the GPF's GCS62 alerts)."""
    hashes = bytes.fromhex("83FED3407A939723A5C639B26916D506"), bytes.fromhex(
        "83FED3407A939723A5C639B26916D505")
    return DeviceLogBackups(
        {"00-DB-12-34-56-78-90-A2": (bytes.fromhex("0000000000000140"), (
            (bytes.fromhex(ESME), hashes[0]), (bytes.fromhex(GSME), hashes[1]),
            (bytes.fromhex(B + "A4"), b"")))},
        {"00-DB-12-34-56-78-90-A3": ((bytes.fromhex("0011223344556677"), 5),
                                     (bytes.fromhex("8899AABBCCDDEEFF"), 6))})


def request(srv_id: str, target: str, counter: int, parameters=None, *, role: str = "IS",
            cv: int = 1, user: str | None = None) -> ServiceRequest:
    user = user or {"IS": SUPPLIER_USER, "ED": NETWORK_OPERATOR_USER, "OU": OTHER_USER}[role]
    return ServiceRequest(srv_id, role, user, target, counter, cv, parameters or {})


def _channels():
    return {"LowerBandSubGHzChannels0To26": (1, 2), "LowerBandSubGHzChannels27To34": (28, 29),
            "LowerBandSubGHzChannels35To61": (36, 37), "UpperBandSubGHzChannels0To26": (1, 2)}


def _range(start: str, end: str) -> dict[str, str]:
    return {"StartDateTime": f"{start}:00Z", "EndDateTime": f"{end}:00Z"}


_VOLTAGES = {"AverageRMSVoltageMeasurementPeriod": 30, "RMSOverVoltageThreshold": 264,
             "RMSUnderVoltageThreshold": 200, **{
                 f"{name}{suffix}": value for name, threshold in (
                     ("RMSExtremeOverVoltage", 287), ("RMSExtremeUnderVoltage", 180),
                     ("RMSVoltageSag", 216), ("RMSVoltageSwell", 253))
                 for suffix, value in (("Threshold", threshold), ("MeasurementPeriod", 30))}}


def _since_2000(start: int, end: int) -> dict[str, datetime]:
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return {"StartDateTime": epoch + timedelta(seconds=start),
            "EndDateTime": epoch + timedelta(seconds=end)}


NON_CRITICAL = [
    ("8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND", "8.11", CHF, 1002, {
        "UpdateType": "Add", "DeviceID": ESME, "JoinTimePeriod": 90,
        "InstallCode": "30313233343536373839414243444546"}, "IS", 0x516),
    ("8.11_CCS02/CCS02_8.11_SUCCESS_COMMAND", "8.11", CHF, 1002,
     {"UpdateType": "Remove", "DeviceID": ESME}, "IS", 0x516),
    ("6.20.1_ECS39a/ECS39a_6.20.1_SINGLE_SUCCESS_COMMAND", "6.20.1", ESME, 1000,
     {"ImportMPxN": "1312345678333"}, "IS", None),
    ("6.20.1_GCS41/GCS41_6.20.1_SUCCESS_COMMAND", "6.20.1", GSME, 1001,
     {"ImportMPxN": "1234567890"}, "IS", None),
    ("6.20.2_ECS39b/ECS39b_6.20.2_SUCCESS_COMMAND", "6.20.2", ESME, 1000,
     {"ExportMPAN": "1312345678333"}, "IS", 0x514),
    ("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND", "4.1.1", ESME, 1000, {}, "IS", None),
    ("4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND", "4.1.1", GSME, 1000, {}, "IS",
     None),
    ("4.2_ECS17a/ECS17a_4.2_SUCCESS_COMMAND", "4.2", ESME, 1200, {}, "ED", None),
    ("6.28_DBCH04/DBCH04_6.28_SUCCESS_COMMAND", "6.28", CHF, 1000, _channels(), "IS", 0x514),
    ("6.29_DBCH05/DBCH05_6.29_SUCCESS_COMMAND", "6.29", CHF, 1000, {}, "IS", 0x514),
    ("6.30_DBCH03/DBCH03_6.30_SUCCESS_COMMAND", "6.30", CHF, 1000, {}, "IS", 0x514),
    ("6.31_DBCH01/DBCH01_6.31_SUCCESS_COMMAND", "6.31", CHF, 1000, {}, "IS", 0x514),
    ("8.9_CCS06/CCS06_8.9_SUCCESS_COMMAND", "8.9", CHF, 1000, {}, "IS", 0x514),
    ("8.9_CCS07/CCS07_8.9_SUCCESS_COMMAND", "8.9", CHF, 1000, {"ReadSecurityDetails": True},
     "IS", 0x514),
    ("8.9_CS07/CS07_8.9_SUCCESS_COMMAND", "8.9", GSME, 1001, {}, "IS", None),
    ("11.2_ECS52/ECS52_11.2_SUCCESS_COMMAND", "11.2", ESME, 1000, {}, "IS", None),
    ("11.2_CS08/CS08_11.2_SUCCESS_COMMAND", "11.2", PPMID, 1000, {}, "IS", 0x514),
    ("8.7.2_CS03B/CS03B_8.7.2_SUCCESS_COMMAND", "8.7.2", GSME, 1001,
     {"OtherDeviceID": B + "9C", "OtherDeviceType": "GPF"}, "IS", None),
    ("8.8.2_CS04B/CS04B_8.8.2_SUCCESS_COMMAND", "8.8.2", GSME, 1000,
     {"OtherDeviceID": "0102030405060708", "OtherDeviceType": "GPF"}, "IS", None),
    ("3.1_ECS10/ECS10_3.1_SUCCESS_COMMAND", "3.1", ESME, 1003, {"Message": "Reset"}, "IS", None),
    ("3.1_GCS07/GCS07_3.1_SUCCESS_COMMAND", "3.1", GSME, 1002, {"Message": "Reset"}, "IS", None),
    ("7.4_ECS45/ECS45_7.4_SUCCESS_COMMAND", "7.4", ESME, 1000, {}, "IS", None),
    ("7.4_GCS33/GCS33_7.4_SUCCESS_COMMAND", "7.4", GSME, 1001, {}, "IS", None),
    ("6.24.1_CS02fMAC/CS02fMAC_6.24.1_SUCCESS_COMMAND", "6.24.1", ESME, 1000,
     {"RemotePartyRoles": (2, 8)}, "IS", 0x516),
    ("8.12.1_CCS03/CCS03_8.12.1_SUCCESS_COMMAND", "8.12.1", CHF, 1002, {}, "IS", 0x516),
    ("8.12.2_GCS59/GCS59_8.12.2_SUCCESS_COMMAND", "8.12.2", GPF, 1000, {}, "IS", 0x514),
    *((f"{srv}_{uc}/{uc}_{srv}_{variant}SUCCESS_COMMAND", srv, ESME, counter, parameters, role,
       None) for srv, uc, variant, counter, parameters, role in (
        ("3.2", "ECS12", "", 1000, {"ChangeOfTenancyDateTime": "2014-03-27T15:45:32Z"}, "IS"),
        ("3.3", "ECS15a", "", 1000, {}, "IS"),
        ("3.3", "ECS15c", "", 1000, {"LogToClear": "ALCSEventLog"}, "IS"),
        ("3.5", "ECS14", "", 1000, {}, "IS"),
        ("4.1.2", "ECS17d", "SINGLE_", 1001, {}, "IS"),
        ("4.3", "ECS19", "", 1000, {}, "IS"),
        ("4.4.2", "ECS20b", "SINGLE_", 1002, _range("2014-10-02T09:00", "2015-03-01T09:00"), "IS"),
        ("4.4.4", "ECS20a", "", 1002, _range("2014-12-22T09:30", "2015-01-01T00:00"), "IS"),
        ("4.4.5", "ECS20d", "", 1002, {"StartDateTime": datetime(2014, 12, 27, 9, tzinfo=UTC)},
         "IS"),
        ("4.6.1", "ECS21a", "SINGLE_", 1003, _range("2014-03-09T00:00", "2014-03-11T00:00"), "IS"),
        ("4.8.1", "ECS22b", "SINGLE_", 1002, _range("2014-12-31T00:00", "2015-01-01T00:00"), "IS"),
        ("4.8.2", "ECS22c", "", 1002, _range("2014-10-01T09:00", "2014-10-02T09:00"), "IS"),
        ("4.10", "ECS23", "", 1002, _range("2014-12-29T23:59", "2015-01-01T00:00"), "IS"),
        ("4.11.2", "ECS24b", "", 1001, {}, "IS"),
        ("4.14", "ECS21b", "KRP_", 1003, _range("2014-12-25T23:30", "2015-01-01T00:00"), "IS"),
        ("4.15", "ECS27", "", 1000, {}, "IS"),
        ("4.17", "ECS66", "", 1001, _range("2014-12-01T09:00", "2014-12-05T11:05"), "IS"),
        ("6.2.1", "ECS26b", "", 1000, {}, "IS"),
        ("6.4.2", "ECS28b", "", 1000, {}, "IS"),
        ("6.22", "ECS25a", "", 1000, {"EventBehaviours": (58, 59, 241, 242, 498)}, "IS"),
        ("6.22", "ECS25a1", "", 1000, {"EventBehaviours": "151 230 242 498",
                                       "EventBehaviourType": "HANDevice"}, "IS"),
        ("6.22", "ECS25a2", "", 1000, {"EventBehaviours": (157, 158, 170, 171, 413, 414, 426,
                                                           427), "EventBehaviourType": "Audible"},
         "IS"),
        ("6.22", "ECS25b", "", 1200, {"EventBehaviours": (234, 235, 491)}, "ED"),
        ("6.22", "ECS25b3", "", 1200, {"EventBehaviours": (234, 235, 491),
                                       "EventBehaviourType": "Logging"}, "ED"),
        ("6.2.10", "ECS25r2", "", 1200, {}, "ED"),
        ("7.7", "ECS61a", "ALL_OPTIONALS_", 1002, {}, "IS"),
        ("7.9", "ECS62Add", "", 1000, {}, "IS"))),
    *((f"{srv}_{uc}/{uc}_{srv}_{variant}COMMAND", srv, target, counter, parameters, "IS",
       acb_next) for srv, uc, variant, target, counter, parameters, acb_next in (
        ("3.3", "CS11", "SUCCESS_", GSME, 1000, {}, None),
        ("3.5", "GCS11", "SUCCESS_", GSME, 1000, {}, None),
        ("4.3", "GCS14", "SUCCESS_RELIABLE_GPF_", GSME, 1001, {}, None),
        ("4.4.2", "GCS15b", "SUCCESS_", GSME, 1006, _since_2000(470707200, 499651200), None),
        ("4.4.3", "GCS15c", "SUCCESS_", GSME, 1003, _since_2000(473385601, 504921601), None),
        ("4.4.4", "GCS15d", "SUCCESS_", GSME, 1000, _since_2000(470707200, 662688000), 0x514),
        ("4.6.1", "GCS16a", "SUCCESS_", GSME, 1004, _since_2000(473212804, 504921603), None),
        ("4.14", "GCS16b", "KRP_SUCCESS_", GSME, 1006, _since_2000(473209200, 473385600), None),
        ("4.10", "GCS18", "SUCCESS_", GSME, 1000, _since_2000(1, 1 + 40 * 86400), None),
        ("4.17", "GCS61", "NOT_FOUND_", GPF, 1001,
         _since_2000(977443200, 977443200 + 10 * 86400), None),
        ("4.11.1", "GCS21f", "SUCCESS_", GSME, 1001, {}, None),
        ("4.13", "GCS21b", "SUCCESS_", GSME, 1000, {}, None),
        ("6.2.10", "GCS20r", "SUCCESS_", GSME, 1000, {}, None),
        ("6.22", "GCS20", "SUCCESS_", GSME, 1000, {"EventConfigurations": {
            "91": (0x81AA, 0x81AB, 0x81C4), "8": (0x810E,),
            "75": (0x81BD, 0x81BE, 0x81BF, 0x81C0), "67": (0x8161, 0x8162, 0x81C6)}}, None),
        ("3.4", "ECS16", "SUCCESS_", ESME, 1001,
         {"SupplierTelephoneNumber": "0333 202 4650", "SupplierName": "E-ON"}, None),
        ("4.6.2", "ECS21c", "SUCCESS_", ESME, 1002, _since_2000(470653200, 473385600), 1302),
        ("4.12.1", "ECS18b", "SUCCESS_", ESME, 1001, {}, None),
        ("7.11", "ECS61c", "SUCCESS_", ESME, 1001, _since_2000(472863600, 473385600), None),
        ("7.14", "ECS61d", "SUCCESS_", ESME, 1000, {}, 0x514),
        ("9.1", "GCS36", "SUCCESS_", GSME, 1000, {"CustomerIdentificationNumber": "1234"},
         0x514))),
    *((f"{srv}_{uc}/{uc}_{srv}_{variant}COMMAND", srv, target, counter, parameters, "ED",
       acb_next) for srv, uc, variant, target, counter, parameters, acb_next in (
        ("4.8.3", "ECS22a", "SUCCESS_", ESME, 1201, _since_2000(465471000, 465557400), None),
        ("6.18.2", "ECS57", "ALL_OPTIONALS_SUCCESS_", ESME, 1200, {}, None),
        ("6.18.2", "ECS57", "SOME_OPTIONALS_SUCCESS_", ESME, 1201,
         {"MaximumDemandRegisters": "ActiveImportConfigurablePeriod"}, None),
        ("6.5", "ECS29a", "SUCCESS_", ESME, 1203, {**_VOLTAGES, "ResetRMSVoltageCounters": True},
         None),
        ("6.5", "ECS29c", "SUCCESS_", ESME, 1200, _VOLTAGES, None),
        ("14.1", "GCS31", "SUCCESS_", GSME, 1200,
         {"SampleRequestInterval": 360, "MaxNumberOfSamples": 41}, 0x514))),
]


@pytest.mark.parametrize("case", NON_CRITICAL, ids=lambda case: case[0].split("/")[0])
def test_non_critical_commands_are_byte_for_byte_the_rtds_ones(rtds_pki, case):
    name, srv_id, target, counter, parameters, role, acb_next = case
    dcc = transformer(rtds_pki, acb_next=acb_next)
    planned = dcc.plan(request(srv_id, target, counter, parameters, role=role),
                       dcc.inventory.get(target), NOW)
    assert dcc.protect(planned) == message(name).data


@pytest.mark.parametrize("name, srv_id, counter, parameters", [
    ("4.10_ECS23b/ECS23b_4.10_SUCCESS_COMMAND", "4.10", 1002,
     _range("2014-12-29T23:59", "2015-01-01T00:00")),
    ("6.2.1_ECS26k/ECS26k_6.2.1_SUCCESS_COMMAND", "6.2.1", 1000, {}),
    ("6.27_ECS29f/ECS29f_6.27_SUCCESS_COMMAND", "6.27", 1200, {}),
    ("6.5_ECS29d/ECS29d_6.5_SUCCESS_COMMAND", "6.5", 1200, {
        **_VOLTAGES, "RMSOverVoltageThresholdPhase2": 126, "RMSUnderVoltageThresholdPhase2": 96,
        "RMSOverVoltageThresholdPhase3": 126, "RMSUnderVoltageThresholdPhase3": 96})])
def test_a_polyphase_esme_gets_the_three_phase_use_case(rtds_pki, name, srv_id, counter,
                                                         parameters):
    dcc = transformer(rtds_pki)
    polyphase = DeviceRecord(ESME, "ESME", status="Commissioned", esme_variant="C")
    role = "ED" if srv_id in ("6.27", "6.5") else "IS"
    planned = dcc.plan(request(srv_id, ESME, counter, parameters, role=role), polyphase, NOW)
    assert dcc.protect(planned) == message(name).data


def test_a_top_up_carries_a_utrn_under_the_supplier_s_next_utrn_counter(rtds_pki):
    dcc = transformer(rtds_pki, supplier_last=0x2_0000_0005)
    planned = dcc.plan(request("2.2", ESME, 1000, {"TopUpAmount": 1000}),
                       dcc.inventory.get(ESME), NOW)
    assert planned.header.originator_counter == 0x3_0000_0000
    assert dcc.protect(planned) == message("2.2_CS01a/CS01a_2.2_SUCCESS_COMMAND").data
    with pytest.raises(CounterError):  # that counter is now used
        dcc.protect(planned)


CRITICAL = [
    ("6.11_GCS28/GCS28_6.11_SUCCESS", "6.11", GSME, 1000, {}),
    ("8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS", "8.8.1", ESME, 1001,
     {"OtherDeviceID": B + "99", "OtherDeviceType": "PPMID"}),
    ("8.7.1_CS03A1/CS03A1_8.7.1_SUCCESS", "8.7.1", ESME, 1000,
     {"OtherDeviceID": B + "9A", "OtherDeviceType": "HCALCS"}),
    ("7.1_ECS42/ECS42_7.1_SUCCESS", "7.1", ESME, 1000, {}),
    ("7.2_GCS32/GCS32_7.2_SUCCESS", "7.2", GSME, 1000, {}),
    ("7.3_GCS39/GCS39_7.3_SUCCESS", "7.3", GSME, 1000, {}),
    ("1.5_ECS04a/ECS04a_1.5_SUCCESS", "1.5", ESME, 1003, {"MeterBalanceAdjustment": 1200}),
    ("1.5_ECS04b/ECS04b_1.5_SUCCESS", "1.5", ESME, 1000, {"ResetMeterBalance": True}),
    ("1.7_ECS05/ECS05_1.7_SUCCESS", "1.7", ESME, 1000, {}),
    ("2.5_ECS09/ECS09_2.5_SUCCESS", "2.5", ESME, 1000, {}),
    ("2.5_GCS06/GCS06_2.5_SUCCESS", "2.5", GSME, 1000, {}),
    ("6.25_ECS81/ECS81_6.25_SUCCESS", "6.25", ESME, 1000, {"SupplyTamperState": "Locked"}),
    ("6.26_ECS48/ECS48_6.26_SUCCESS", "6.26", ESME, 1000, {}),
    ("7.12_ECS38/ECS38_7.12_SUCCESS", "7.12", ESME, 1001, {"RandomisedOffsetLimit": 900}),
    ("6.17_CS02c/CS02c_6.17_SUCCESS", "6.17", ESME, 1000, {"KeyUsage": "DigitalSignature"}),
    ("6.24.2_CS02e/CS02e_6.24.2_SUCCESS", "6.24.2", ESME, 1000, {"KeyUsage": "DigitalSignature"}),
    ("6.15.2_CS02d/CS02d_6.15.2_SUCCESS", "6.15.2", ESME, 1000, {"KeyUsage": "DigitalSignature"}),
    ("1.5_GCS40a/GCS40a_1.5_SUCCESS", "1.5", GSME, 1001, {"MeterBalanceAdjustment": "23.13"}),
    ("1.5_GCS40b/GCS40b_1.5_SUCCESS", "1.5", GSME, 1000, {"ResetMeterBalance": True}),
    ("1.5_GCS40c/GCS40c_1.5_SUCCESS", "1.5", GSME, 1003,
     {"MeterBalanceAdjustment": 5000, "MeterPaymentMode": "Credit"}),
    ("1.6_GCS02/GCS02_1.6_IMMEDIATE_SUCCESS", "1.6", GSME, 1000, {"PaymentMode": "Credit"}),
    ("1.6_GCS03/GCS03_1.6_IMMEDIATE_SUCCESS", "1.6", GSME, 1004,
     {"PaymentMode": "Prepayment", "SuspendDebtEmergency": True}),
    ("6.6_GCS23/GCS23_6.6_SUCCESS", "6.6", GSME, 1000,
     {"ConversionFactor": "1.02264", "CalorificValue": "40.0"}),
    ("1.2.1_ECS01b/ECS01b_1.2.1_IMMEDIATE_TOU_SUCCESS", "1.2.1", ESME, 1003,
     {"StandingCharge": 20000, "TOUPrices": (3221, 4327, 5744)}),
    ("1.2.1_ECS01b/ECS01b_1.2.1_IMMEDIATE_BLOCK_SUCCESS", "1.2.1", ESME, 1004,
     {"StandingCharge": 20000, "BlockPrices": ((2361,), (4289,), (6566,))}),
    ("1.2.2_ECS01d/ECS01d_1.2.2_IMMEDIATE_SUCCESS", "1.2.2", ESME, 1002,
     {"SecondaryTOUPrices": (1010, 1120, 1230, 1340)}),
    ("6.4.1_ECS28a/ECS28a_6.4.1_IMMEDIATE_SUCCESS", "6.4.1", ESME, 1002, {
        "LoadLimitSupplyState": True, "LoadLimitPowerThreshold": 6900, "LoadLimitPeriod": 300,
        "LoadLimitRestorationPeriod": 30}),
    ("6.8_ECS30/ECS30_6.8_SUCCESS", "6.8", ESME, 1001,
     {"BillingPeriodStart": "2015-02-01T12:00:00Z"}),
    ("6.8_ECS30a/ECS30a_6.8_SUCCESS", "6.8", ESME, 1003,
     {"BillingPeriodStart": "2015-04-01T00:00:00Z", "BillingPeriodicity": "Quarterly"}),
    ("6.8_GCS25/GCS25_6.8_SUCCESS", "6.8", GSME, 1002,
     {"BillingPeriodStart": "2015-02-01T00:00:00Z"}),
    ("6.8_GCS25a/GCS25a_6.8_SUCCESS", "6.8", GSME, 1004, {"BillingPeriodicity": "SixMonthly"}),
    ("6.7_GCS24/GCS24_6.7_SUCCESS", "6.7", GSME, 1002, {
        "UncontrolledGasFlowRate": 61680, "UncontrolledGasFlowStabilisationPeriod": 60,
        "UncontrolledGasFlowMeasurementPeriod": 300}),
    ("2.3_GCS04/GCS04_2.3_SUCCESS", "2.3", GSME, 1000, {
        "TimeDebtRegister1Adjustment": 1000, "TimeDebtRegister1RecoveryRate": 50,
        "TimeDebtRegister2Adjustment": 500, "TimeDebtRegister2RecoveryRate": 50,
        "TimeDebtRegister2RecoveryPeriod": "Hourly", "PaymentDebtRegisterAdjustment": 1000,
        "DebtRecoveryPerPayment": 1}),
    ("11.3_CS06/CS06_11.3_IMMEDIATE_SUCCESS", "11.3", ESME, 1000, {
        "ManufacturerImageHash": "AA758690730934FF0685" * 2 + "657788990011223344556677"}),
]


@pytest.mark.parametrize("case", CRITICAL, ids=lambda case: case[0].split("/")[0])
def test_critical_commands_go_precommand_then_signed_then_maced_as_in_rtds(rtds_pki, case):
    name, srv_id, target, counter, parameters = case
    dcc = transformer(rtds_pki)
    transform = request(srv_id, target, counter, parameters, cv=4)
    planned = dcc.plan(transform, dcc.inventory.get(target), NOW)
    assert planned.critical and dcc.issue_precommand(planned) == message(
        f"{name}_PRECOMMAND").data
    with pytest.raises(TransformError, match="signed by the user first"):
        dcc.protect(planned)
    command = message(f"{name}_COMMAND").data
    _, start = split_general_ciphering(command)
    signed = request(srv_id, target, counter, parameters, cv=5)
    decoded, wire = dcc.complete(command[start:-12], signed,
                                 frozenset({planned.row.message_code}))
    assert wire == command and decoded.is_signed


@pytest.mark.parametrize("name, srv_id, target, counter, parameters, hour", [
    ("11.3_CS06/CS06_11.3_FUTURE_DATED", "11.3", ESME, 1001, {
        "ManufacturerImageHash": "AA758690730934FF0685" * 2 + "657788990011223344556677"}, 9),
    ("1.6_GCS02/GCS02_1.6_FUTURE_DATED", "1.6", GSME, 1001, {"PaymentMode": "Credit"}, 9),
    ("1.6_GCS03/GCS03_1.6_FUTURE_DATED", "1.6", GSME, 1005, {"PaymentMode": "Prepayment"}, 0),
    ("1.2.1_ECS01b/ECS01b_1.2.1_FUTURE_DATED_TOU_BLOCK", "1.2.1", ESME, 1005, {
        "StandingCharge": 20000, "TOUPrices": (3121,),
        "BlockPrices": ((3289, 5002), (4546, 7969))}, 9),
    ("6.4.1_ECS28a/ECS28a_6.4.1_FUTURE_DATED", "6.4.1", ESME, 1004, {
        "LoadLimitSupplyState": False, "LoadLimitPowerThreshold": 6900, "LoadLimitPeriod": 300,
        "LoadLimitRestorationPeriod": 30}, 9)])
def test_a_device_future_dated_command_carries_the_execution_time(rtds_pki, name, srv_id,
                                                                  target, counter, parameters,
                                                                  hour):
    dcc = transformer(rtds_pki)
    future = dataclasses.replace(request(srv_id, target, counter, parameters, cv=4),
                                 execution_datetime=datetime(2030, 1, 15, hour, tzinfo=UTC))
    planned = dcc.plan(future, dcc.inventory.get(target), NOW)
    assert dcc.issue_precommand(planned) == message(f"{name}_SUCCESS_PRECOMMAND").data


def test_a_signed_pre_command_is_checked_before_the_acb_macs_it(rtds_pki):
    dcc = transformer(rtds_pki)
    command = message("7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND").data
    _, start = split_general_ciphering(command)
    signed = bytearray(command[start:-12])
    enable = request("7.1", ESME, 1000, cv=5)
    with pytest.raises(SignedPreCommandError) as wrong_srv:
        dcc.complete(bytes(signed), enable, frozenset({0x0050}))
    assert wrong_srv.value.response_code is ResponseCode.E51
    signed[-1] ^= 0x01
    with pytest.raises(SignedPreCommandError) as bad_signature:
        dcc.complete(bytes(signed), enable, frozenset({0x004F}))
    assert bad_signature.value.response_code is ResponseCode.E100


ACB_SIGNED = [
    ("8.7.2_CS03A2NonCritical/CS03A2NonCritical_8.7.2_SUCCESS_COMMAND", "8.7.2", PPMID, 1000,
     {"OtherDeviceID": B + "93", "OtherDeviceType": "ESME"}, 0x514),
    ("8.7.2_CS03CNonCritical/CS03CNonCritical_8.7.2_SUCCESS_COMMAND", "8.7.2", PPMID, 1001,
     {"OtherDeviceID": B + "94", "OtherDeviceType": "GSME"}, 0x515),
    ("8.8.2_CS04ACNonCritical/CS04ACNonCritical_8.8.2_SUCCESS_COMMAND", "8.8.2", PPMID, 1000,
     {"OtherDeviceID": "0102030405060708"}, 0x514),
]


@pytest.mark.parametrize("case", ACB_SIGNED, ids=lambda case: case[0].split("/")[0])
def test_acb_originated_and_signed_variants_match_rtds_up_to_the_signature(rtds_pki, case):
    name, srv_id, target, counter, parameters, acb_next = case
    dcc = transformer(rtds_pki, acb_next=acb_next)
    planned = dcc.plan(request(srv_id, target, counter, parameters),
                       dcc.inventory.get(target), NOW)
    ours, theirs = decode_message(dcc.protect(planned)), decode_message(message(name).data)
    assert ours.header == theirs.header
    if getattr(ours.payload, "other_device_certificate", None) is None:
        assert ours.content == theirs.content
    else:  # method C: the other device's KA certificate (RTDS used another device's)
        assert ours.payload.certificate_info().entity_id == bytes.fromhex(B + "94")
        assert ours.payload.join_method_and_role == theirs.payload.join_method_and_role
    report = verify_message(ours, rtds_pki.keys)  # ECDSA is randomised: check, not compare
    assert [c.status for c in report.checks] == [CheckStatus.VALID, CheckStatus.VALID]


def test_the_gpf_handover_is_an_acb_signed_supplier_by_supplier_update(rtds_pki):
    dcc = transformer(rtds_pki, acb_next=0x514)
    planned = dcc.plan(request("6.21", GPF, 1000), dcc.inventory.get(GPF), NOW)
    ours = decode_message(dcc.protect(planned))
    theirs = decode_message(message("6.21_CS02bSupplierBySupplierHandover/"
                                    "CS02bSupplierBySupplierHandover_6.21_SUCCESS_COMMAND").data)
    assert ours.header == theirs.header
    assert ours.payload.control == theirs.payload.control
    assert [r.target_cell for r in ours.payload.replacements] == [
        r.target_cell for r in theirs.payload.replacements]
    assert [r.certificate_info().entity_id for r in ours.payload.replacements] == [
        bytes.fromhex(SUPPLIER_USER)] * 3
    assert all(c.status is CheckStatus.VALID for c in verify_message(ours, rtds_pki.keys).checks)


def test_who_originates(rtds_pki):
    dcc = transformer(rtds_pki)
    inventory = dcc.inventory
    by_other_user = dcc.plan(request("8.9", GSME, 7, role="OU"), inventory.get(GSME), NOW)
    assert by_other_user.originator is Originator.ACB_FOR_USER
    other = by_other_user.header.other_information
    assert (other.supplementary_remote_party, other.supplementary_counter) == (
        bytes.fromhex(OTHER_USER.replace("-", "")), 7)
    by_supplier = dcc.plan(request("8.9", GSME, 7), inventory.get(GSME), NOW)
    assert by_supplier.originator is Originator.USER
    stranger = dcc.plan(request("8.9", GSME, 7, user="90-B3-D5-1F-30-01-99-00"),
                        inventory.get(GSME), NOW)  # a user the PKI has no certificates for
    assert stranger.originator is Originator.ACB_FOR_USER
    to_chf = dcc.plan(request("6.31", CHF, 7, role="ED"), inventory.get(CHF), NOW)
    assert to_chf.originator is Originator.ACB_FOR_USER
    with pytest.raises(TransformError, match="signed by the user's remote party"):
        dcc.plan(request("7.1", ESME, 7, role="OU", cv=4), inventory.get(ESME), NOW)


def test_requests_the_dcc_cannot_build(rtds_pki):
    dcc = transformer(rtds_pki)
    inventory = dcc.inventory
    unknown = {"UpdateType": "Add", "DeviceID": "00DB1234567890FF",
               "InstallCode": "00" * 16}
    with pytest.raises(TransformError, match="not in the inventory"):
        dcc.plan(request("8.11", CHF, 1, unknown), inventory.get(CHF), NOW)
    with pytest.raises(TransformError, match="needs data item OtherDeviceID"):
        dcc.plan(request("8.8.1", ESME, 1, cv=4), inventory.get(ESME), NOW)
    with pytest.raises(TransformError, match=r"no GBCS command of SRV 7\.6"):
        dcc.plan(request("7.6", ESME, 1, cv=4), inventory.get(ESME), NOW)
    with pytest.raises(TransformError, match="no backup of the device log of GPF"):
        dcc.plan(request("8.12.2", B + "9C", 1), inventory.get(B + "9C"), NOW)
    with pytest.raises(TransformError, match="cannot be carried"):
        dcc.plan(request("2.2", ESME, 1, {"TopUpAmount": 819201}), inventory.get(ESME), NOW)
    for srv_id, target, parameters, problem in (
            ("6.12", ESME, {"LowMediumPowerThreshold": 9000, "MediumHighPowerThreshold": 10},
             "must not exceed"),
            ("6.22", ESME, {}, "needs data item EventBehaviours"),
            ("6.22", ESME, {"EventBehaviours": (512,)}, "below 512"),
            ("4.4.2", ESME, _range("2015-01-02T00:00", "2015-01-01T00:00"), "after EndDate"),
            ("6.8", ESME, {"BillingPeriodicity": "Fortnightly"}, "must be one of"),
            ("6.17", ESME, {"KeyUsage": "Signing"}, "must be one of"),
            ("1.5", GSME, {"MeterBalanceAdjustment": "0.0001"}, "at most three decimals"),
            ("1.6", GSME, {}, r"no GBCS command of SRV 1\.6"),
            ("2.3", GSME, {}, "at least one debt register")):
        with pytest.raises(TransformError, match=problem):
            dcc.plan(request(srv_id, target, 1, parameters), inventory.get(target), NOW)


def test_every_row_uses_a_command_code_of_its_srv_signed_as_the_code_requires():
    for row in COMMAND_ROWS:
        use_case = use_case_for(row.message_code)
        assert use_case is not None and use_case.use_case == row.use_case, row
        assert row.srv_id in use_case.srvs or row.srv_id.rsplit(".", 1)[0] in use_case.srvs \
            or row.srv_id in ("8.1.1", "6.21", "6.24.1"), row
        signed = get_srv(row.srv_id).critical or row.signer in (Signer.ACB, Signer.TRANSCOS)
        assert signed == (use_case.command_protection is Protection.SIGNED), row


def test_originator_counters():
    counters = OriginatorCounters()
    eui = bytes.fromhex(SUPPLIER_USER)
    assert counters.next(eui, 1000) == 1000
    counters.use(eui, 1000)
    assert (counters.next(eui, 1000), counters.next(eui, 5000)) == (1001, 5000)
    assert counters.next_utrn(eui) == 1 << 32
    with pytest.raises(CounterError, match="not above 1000"):
        counters.use(eui, 999)
    assert OriginatorCounters.from_dict(counters.to_dict()) == counters
    with pytest.raises(TransformError):
        OriginatorCounters.from_dict({"90B3D51F30010000": "many"})


# ------------------------------------------------------------------ reading back


RESPONSES = [
    ("8.11_CCS01/CCS01_8.11_SUCCESS_RESPONSE", True),
    ("8.11_CCS01/CCS01_8.11_ERROR_RESPONSE", False),
    ("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE", True),
    ("4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE", True),
    ("6.20.1_GCS41/GCS41_6.20.1_SUCCESS_RESPONSE", True),
    ("8.7.2_CS03B/CS03B_8.7.2_ERROR_RESPONSE", False),
    ("6.21_CS02bSupplierBySupplierHandover/CS02bSupplierBySupplierHandover_6.21_SUCCESS_RESPONSE",
     True),
    ("6.11_GCS28/GCS28_6.11_SUCCESS_RESPONSE", True),
]


@pytest.mark.parametrize("case", RESPONSES, ids=lambda case: case[0].split("/")[1])
def test_device_responses_read_as_success_or_failure(case):
    name, expected = case
    result = interpret_response(decode_message(message(name).data), KeyStore(keystore_dir()))
    assert result.success is expected and result.summary


def test_decrypted_values_firmware_versions_and_logged_devices():
    keys = KeyStore(keystore_dir())
    gas = interpret_response(decode_message(message(
        "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE").data), keys)
    assert gas.data["components"][0]["detail"]["0x0000"] == 12345  # decrypted summation
    for name in ("11.2_ECS52/ECS52_11.2_SUCCESS_RESPONSE", "11.2_CS08/CS08_11.2_SUCCESS_RESPONSE"):
        assert firmware_version(decode_message(message(name).data)) == "0123ABCD"
    alert = decode_message(message("NA_CS14/CS14_NA_8F12_ALERT").data)
    pan, entries = chf_device_log(alert)
    assert pan == bytes.fromhex("0001020304050607")
    assert [device for device, _ in entries] == [bytes.fromhex(ESME), bytes.fromhex(GSME)]


# --------------------------------------------------------------------------- PKI


def test_the_pki_saves_loads_and_hands_devices_certificates_only(tmp_path):
    pki = DccPki.generate(separate_gas_supplier=True)
    gas = pki.party_for_user("90-B3-D5-1F-30-01-00-01", "GS")
    assert gas.name is PartyName.GAS_SUPPLIER and gas.prepayment
    assert pki.party_for_user("90-B3-D5-1F-30-04-00-00", "OU") is None
    pki.save(tmp_path)
    loaded = DccPki.load(tmp_path)
    assert loaded.users == pki.users and set(loaded.parties) == set(pki.parties)
    acb = loaded.acb.eui
    assert loaded.keys.ka_public(acb).public_numbers() == pki.keys.ka_public(acb).public_numbers()
    public = pki.public_key_store()
    assert public.has_certificate(acb, KeyUsage.KEY_AGREEMENT)
    assert not any(public.has_private_key(party.eui, usage)
                   for party in pki.parties.values() for usage in party.usages)
    supplier = pki.party(PartyName.SUPPLIER)
    precommand = message("7.1_ECS42/ECS42_7.1_SUCCESS_PRECOMMAND").data
    signed = pki.sign_precommand(precommand, supplier)
    assert signed[len(precommand)] == 0x40
    assert pki.signature_valid(precommand[1:], signed[-64:], supplier)
    with pytest.raises(PkiError, match="cannot load"):
        DccPki.load(tmp_path / "missing")
    with pytest.raises(PkiError, match="not a PKI user"):
        pki.user("90-B3-D5-1F-30-09-00-00", "IS")
