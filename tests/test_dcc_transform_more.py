"""SRV -> GBCS transform, more SRVs checked byte for byte against the RTDS (see
tests/test_dcc_transform.py for the method): schedules, auxiliary load and controller
commands, change of supplier credentials, payment mode and prepayment settings."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from firmware_emu.clock import SteppedClock
from firmware_emu.dcc.inventory import DeviceRecord
from firmware_emu.dcc.pki import PARTY_TABLE, DccPki, PartyName, PkiUser, default_users
from firmware_emu.dcc.roles import UserRole
from firmware_emu.dcc.transform_responses import interpret_response
from firmware_emu.dcc.transform_rows import TransformError
from firmware_emu.device import EmulatedDevice
from firmware_emu.handlers import default_registry
from firmware_emu.provisioning import DeviceFactory, install_trust_anchors
from firmware_emu.replay import REPLAY_EPOCH
from firmware_emu.state import DeviceType as EmulatedType
from gbcs.crypto import CertificateAuthority, KeyStore, KeyUsage, sign
from gbcs.framing.general_ciphering import split_general_ciphering
from gbcs.message import decode_message
from gbcs.secure import CheckStatus, verify_message
from tests.rtds import keystore_dir, message
from tests.test_dcc_transform import (
    _RTDS_PARTIES,
    ESME,
    GSME,
    NOW,
    SUPPLIER_USER,
    request,
    rtds_pki,  # noqa: F401 - fixture
    transformer,
)

LOAD_CONTROLLER_USER, TRANSCOS = "90B3D51F30010008", "90B3D51F30000004"
_WINDOW = {"StartDateTime": "2015-01-03T00:00:00Z", "EndDateTime": "2015-01-03T01:00:00Z"}


@pytest.fixture(scope="module")
def load_controller_pki() -> DccPki:
    """The RTDS parties, and a user for whom the Load Controller acts (7.16 has no DUIS
    user; RTDS originates it from the Load Controller)."""
    users = (*default_users(), PkiUser(LOAD_CONTROLLER_USER, UserRole.IMPORT_SUPPLIER,
                                       PartyName.LOAD_CONTROLLER))
    parties = [party for party in PARTY_TABLE if party.name in _RTDS_PARTIES]
    return DccPki(CertificateAuthority.generate(), parties, users, KeyStore(keystore_dir()))


NON_CRITICAL = [
    ("6.18.1_ECS37/ECS37_6.18.1_SUCCESS_COMMAND", "6.18.1", 1203, {
        "ConfigurablePeriodStartTime": "17:00", "ConfigurablePeriodEndTime": "22:00:00"},
     "ED", None),
]


@pytest.mark.parametrize("case", NON_CRITICAL, ids=lambda case: case[0].split("/")[0])
def test_non_critical_commands_are_byte_for_byte_the_rtds_ones(rtds_pki, case):  # noqa: F811
    name, srv_id, counter, parameters, role, acb_next = case
    dcc = transformer(rtds_pki, acb_next=acb_next)
    planned = dcc.plan(request(srv_id, ESME, counter, parameters, role=role),
                       dcc.inventory.get(ESME), NOW)
    assert dcc.protect(planned) == message(name).data


CRITICAL = [
    ("7.5_ECS47Activate/ECS47Activate_7.5_SUCCESS", "7.5", 1000,
     {"AuxiliaryLoadSwitch": 1, "AuxiliaryLoadDuration": 30}),
    ("7.8_ECS47Reset/ECS47Reset_7.8_SUCCESS", "7.8", 1002, {"AuxiliaryLoadSwitch": 5}),
    ("7.13_ECS47a/ECS47a_7.13_ALCS_DEACTIVATE_SUCCESS", "7.13", 1003,
     {"AuxiliaryController": "ALCS", **_WINDOW}),
    ("7.13_ECS47a/ECS47a_7.13_APC_INPUT_SUCCESS", "7.13", 1001, {
        "AuxiliaryController": "APCInput", "AuxiliaryControllerNumber": 3,
        "AuxiliaryControllerLevel": 50, **_WINDOW}),
    ("7.13_ECS47a/ECS47a_7.13_APC_OUTPUT_SUCCESS", "7.13", 1002, {
        "AuxiliaryController": "APCOutput", "AuxiliaryControllerNumber": 5,
        "AuxiliaryControllerLevel": 100, **_WINDOW}),
]


def _alcs_calendar(han_devices: tuple[str | None, ...]) -> dict[str, object]:
    summer = {"From": "*-06-21", "To": "*-09-21"}
    return {"AuxiliaryLoadHANDevices": han_devices,
            "AuxiliarySpecialDays": ("*-12-25", "*-12-26", "2015-04-03", "2015-08-31"),
            "AuxiliaryCalendar": (
                {"Switch": 1, "State": "On", "Time": "06:00"},
                {"Switch": 1, "State": "Off", "Time": "10:00"},
                {"Switch": 2, "State": "On", "Time": "17:00", "Weekdays": "1111100", **summer},
                {"Switch": 2, "State": "Off", "Time": "21:00", "Weekdays": "1111100", **summer},
                *({"Switch": 2, "State": state, "Time": time, "Weekdays": "0000011",
                   "SpecialDays": "1111", **summer}
                  for state, time in (("On", "13:00"), ("Off", "21:00")))),
            }


def _controller_calendar(kind: str, level: int, special_days: tuple[str, ...],
                         special_bits: str) -> dict[str, object]:
    """Controllers 1-5 at 0 % on the hour from 09:00 and at ``level`` half an hour later."""
    bits = special_bits.split()
    return {"AuxiliarySpecialDays": special_days, "AuxiliaryCalendar": tuple(
        {"Controller": kind, "Number": n // 2 + 1, "Level": level if n % 2 else 0,
         "Time": f"{9 + n // 2:02d}:{30 * (n % 2):02d}", "Weekdays": "1111100",
         "SpecialDays": bits[n], "From": "2015-06-21", "To": "2015-12-21"}
        for n in range(10))}


_SPECIAL_3 = ("*-12-25", "*-05-01", "*-06-10")
_SPECIAL_4 = ("*-12-25", "*-12-26", "2015-04-03", "2015-08-31")
_ALCS_BITS = "111 101 111 111 111 011 111 111 111 111"
CRITICAL += [
    ("6.14.2_ECS46c/ECS46c_6.14.2_IMMEDIATE_SOME_OPTIONALS_SUCCESS", "6.14.2", 1006,
     _alcs_calendar((None, ESME[:-2] + "97"))),
    ("6.14.3_ECS46d/ECS46d_6.14.3_IMMEDIATE_ALCS_SUCCESS", "6.14.3", 1000,
     _controller_calendar("ALCS", 100, _SPECIAL_3, _ALCS_BITS)),
    ("6.14.3_ECS46d/ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_SUCCESS", "6.14.3", 1005,
     _controller_calendar("APCOutput", 50, _SPECIAL_3, _ALCS_BITS)),
    ("6.14.3_ECS46d/ECS46d_6.14.3_IMMEDIATE_APC_INPUT_SUCCESS", "6.14.3", 1004,
     _controller_calendar("APCInput", 50, _SPECIAL_3, _ALCS_BITS)),
]
_METER_CHARGES = ((0, 0, "111"), (0, 4, "111"))
_PREPAYMENT_CHARGES = (*_METER_CHARGES, (0, 1, "110"), (0, 2, "110"), (0, 3, "111"),
                       (1, 3, "111"), (1, 0, "111"), (1, 4, "111"), (1, 1, "110"),
                       (1, 2, "110"))
CRITICAL += [
    ("1.6_ECS02/ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS", "1.6", 1002,
     {"PaymentMode": "Credit", "CreditChargeConfiguration": _METER_CHARGES}),
    ("1.6_ECS03/ECS03_1.6_IMMEDIATE_SINGLE_SUCCESS", "1.6", 1010, {
        "PaymentMode": "Prepayment", "DisablementThreshold": "556.677",
        "CreditChargeConfiguration": (*_PREPAYMENT_CHARGES, (2, 4, "111"), (2, 1, "111"),
                                      (2, 2, "111"))}),
]


def _prepayment_configuration() -> dict[str, object]:
    winter, summer = ({"From": "2014-10-27", "To": "2015-03-28"},
                      {"From": "*-04-29", "To": "*-07-25"})
    calendar = [{"Action": action, "Time": time, "Weekdays": days, **period}
                for period in (winter, summer)
                for days, times in (("0000011", ("00:00", "09:30", "22:00")),
                                    ("1111100", ("00:00", "07:30", "20:00")))
                for action, time in zip(("Start", "End", "Start"), times, strict=True)]
    for special, times, period in (("11001", ("00:00", "19:00"), ("*-07-26", "*-08-31")),
                                   ("00110", ("01:15", "18:45"), ("*-09-01", "*-10-26"))):
        calendar += [{"Action": action, "Time": time, "Weekdays": "0000000",
                      "SpecialDays": special, "From": period[0], "To": period[1]}
                     for action, time in zip(("Start", "End"), times, strict=True)]
    return {"NonDisablementSpecialDays": ("*-07-29", "*-08-25", "*-09-06", "*-10-05",
                                          "*-08-15"),
            "NonDisablementCalendar": calendar, "MaximumMeterBalance": 5000,
            "MaximumCreditThreshold": "1000", "DebtRecoveryRateCapPeriod": 30,
            "DebtRecoveryRateCapAmount": "604.8", "LowCreditThreshold": 200,
            "EmergencyCreditLimit": 300, "EmergencyCreditThreshold": 100}


CRITICAL += [
    ("2.1_ECS08/ECS08_2.1_IMMEDIATE_SUCCESS", "2.1", 1003, _prepayment_configuration()),
    ("2.1_ECS08a/ECS08a_2.1_IMMEDIATE_SUCCESS", "2.1", 1003, _prepayment_configuration()),
]
_GSME_PREPAYMENT = {
    "EmergencyCreditLimit": 10000, "EmergencyCreditThreshold": 100, "OverallDebtCap": 100,
    "LowCreditThreshold": 5000, "MaximumCreditThreshold": 25000, "MaximumCreditPerTopUp": 25000,
    "NonDisablementDayProfiles": ((("00:00", 1), ("08:00", 0), ("18:00", 1)),
                                  (("00:00", 1), ("07:00", 0), ("17:00", 1)), (("00:00", 1),)),
    "NonDisablementWeekProfiles": ((1, 1, 1, 1, 1, 3, 3), (2, 2, 2, 2, 2, 3, 3)),
    "NonDisablementSeasons": (("2014-10-27", 1), ("2015-03-29", 2)),
    "NonDisablementSpecialDays": (("2015-04-05", 1), ("2015-08-31", 2), ("*-01-01", 3),
                                  ("*-12-25", 1))}
CRITICAL += [("2.1_GCS05/GCS05_2.1_IMMEDIATE_SUCCESS", "2.1", 1000, _GSME_PREPAYMENT)]


def _tariff(winter_rates: tuple[int, int], summer_rates: tuple[int, int],
            special_days: tuple[tuple[str, int], ...], **more: object) -> dict[str, object]:
    return {"TariffSeasons": (("winter", "2014-10-27", 1), ("summer", "2015-03-29", 2)),
            "TariffWeekProfiles": ((1, 1, 1, 1, 1, 3, 3), (2, 2, 2, 2, 2, 3, 3)),
            "TariffDayProfiles": ((("00:00", winter_rates[0]), ("07:00", winter_rates[1])),
                                  (("06:00", summer_rates[0]), ("23:00", summer_rates[1])),
                                  (("00:00", 1),)),
            "TariffSpecialDays": special_days, "StandingCharge": 20000, **more}


CRITICAL += [
    ("1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS", "1.1.1", 1006, _tariff(
        (2, 3), (3, 2), (("2015-05-01", 2), ("*-12-25", 3)), TOUPrices=(2121, 3127, 4744))),
    ("1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS", "1.1.1", 1007, {
        "TariffSeasons": (("all", "2015-01-01", 1),), "TariffWeekProfiles": ((1,) * 7,),
        "TariffDayProfiles": ((("00:00", 101),),), "BlockThresholds": ((10000, 20000),),
        "StandingCharge": 20000, "CurrencyUnit": "GBP",
        "BlockPrices": ((1361,), (2289,), (5566,))}),
]
_SECONDARY_TARIFF = {
    "SecondaryTOUPrices": (10100, 0, 12300, 13400),
    "TariffSeasons": (("winter", "2014-10-27", 1), ("summer", "2015-03-29", 2)),
    "TariffWeekProfiles": ((1, 1, 1, 1, 1, 3, 3), (2, 2, 2, 2, 2, 3, 3)),
    "TariffDayProfiles": ((("00:00", 201), ("07:00", 204), ("19:00", 203)),
                          (("06:00", 204), ("18:00", 203), ("23:00", 201)), (("00:00", 204),)),
    "TariffSpecialDays": (("2015-05-01", 3), ("*-12-25", 1))}
CRITICAL += [("1.1.2_ECS01c/ECS01c_1.1.2_IMMEDIATE_SUCCESS", "1.1.2", 1002, _SECONDARY_TARIFF)]
_GAS_CALENDAR = {"TariffWeekProfiles": ((1, 1, 1, 1, 1, 2, 2), (3, 3, 3, 3, 3, 4, 4)),
                 "TariffSeasons": (("*-03-20", 1), ("*-06-21", 2)),
                 "TariffDayProfiles": tuple(((("00:00", tier),)) for tier in range(1, 5))}
CRITICAL += [("1.1.1_GCS01a/GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS", "1.1.1", 1007, {
    **_GAS_CALENDAR, "StandingCharge": 22465, "TOUPrices": (9600, 10200, 10750, 11000),
    "TariffSpecialDays": tuple((day, 2) for day in (
        "2015-01-01", "2015-01-02", "2015-03-01", "2015-03-17", "2015-04-03", "2015-04-06",
        "2015-04-23", "2015-05-04", "2015-05-09", "2015-05-25"))})]
FUTURE_DATED = [
    ("1.1.1_GCS01a/GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS", "1.1.1", 1005, {
        "TariffWeekProfiles": ((1,) * 7,), "TariffSeasons": (("*-03-20", 1),),
        "TariffDayProfiles": ((("00:00", 0),),), "StandingCharge": 54794,
        "BlockPrices": ((9600, 10200, 10750, 11000),),
        "GasThresholdMatrix": (1000000, 2000000, 3000000)},
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("1.1.2_ECS01c/ECS01c_1.1.2_FUTURE_DATED_SUCCESS", "1.1.2", 1003, _SECONDARY_TARIFF,
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("1.1.1_ECS01a/ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS", "1.1.1", 1008, _tariff(
        (102, 101), (101, 102), (("2015-05-01", 1), ("*-12-25", 3)),
        BlockThresholds=((10000,), (40000,)), TOUPrices=(2121,),
        BlockPrices=((2289, 4002), (3546, 6969))), datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("2.1_GCS05/GCS05_2.1_FUTURE_DATED_SUCCESS", "2.1", 1001, _GSME_PREPAYMENT,
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("2.1_ECS08/ECS08_2.1_FUTURE_DATED_SUCCESS", "2.1", 1004, _prepayment_configuration(),
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("2.1_ECS08a/ECS08a_2.1_FUTURE_DATED_SUCCESS", "2.1", 1004, _prepayment_configuration(),
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("1.6_ECS02/ECS02_1.6_FUTURE_DATED_TWIN_SUCCESS", "1.6", 1005,
     {"PaymentMode": "Credit", "CreditChargeConfiguration": (*_METER_CHARGES, (0, 5, "111"))},
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("1.6_ECS03/ECS03_1.6_FUTURE_DATED_TWIN_SUCCESS", "1.6", 1011, {
        "PaymentMode": "Prepayment", "DisablementThreshold": 556.677,
        "CreditChargeConfiguration": (*_PREPAYMENT_CHARGES, (0, 5, "111"), (1, 5, "111"))},
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("6.14.2_ECS46c/ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_SUCCESS", "6.14.2", 1007,
     _alcs_calendar((None, ESME[:-2] + "97", None, None, None)),
     datetime(2030, 1, 15, 9, tzinfo=UTC)),
    ("6.14.3_ECS46d/ECS46d_6.14.3_FUTURE_DATED_APC_OUTPUT_SUCCESS", "6.14.3", 1002,
     _controller_calendar("APCOutput", 50, _SPECIAL_4,
                          "1111 1010 1111 1111 1111 0110 1111 1111 1110 1110"),
     datetime(2030, 4, 1, 9, tzinfo=UTC)),
]
OTHER_ESME = ESME[:-2] + "A6"
_OTHER_ESME_MESSAGES = {FUTURE_DATED[9][0]}  # RTDS sends this one to another ESME
LOAD_CONTROLLER_CRITICAL = [
    ("7.16_ECS47e/ECS47e_7.16_APC_INPUT_SUCCESS", "7.16", 9001, {
        "AuxiliaryController": "APCInput", "AuxiliaryControllerNumber": 3,
        "AuxiliaryControllerLevel": 50, **_WINDOW}),
    ("7.16_ECS47e/ECS47e_7.16_APC_OUTPUT_SUCCESS", "7.16", 9002, {
        "AuxiliaryController": "APCOutput", "AuxiliaryControllerNumber": 5, **_WINDOW}),
]


def _precommand_signed_maced(pki: DccPki, name: str, srv_id: str, counter: int,
                             parameters: dict, user: str | None = None,
                             execution: datetime | None = None) -> None:
    dcc = transformer(pki)
    target = OTHER_ESME if name in _OTHER_ESME_MESSAGES else ESME
    device = DeviceRecord(target, "ESME", status="Commissioned",
                          gbcs_version="1.0" if "/ECS08_" in name else "4.0")
    if "/GCS" in name:
        target = GSME
        device = dcc.inventory.get(GSME)
    transform = dataclasses.replace(request(srv_id, target, counter, parameters, cv=4,
                                            user=user), execution_datetime=execution)
    planned = dcc.plan(transform, device, NOW)
    assert planned.critical and dcc.issue_precommand(planned) == message(
        f"{name}_PRECOMMAND").data
    command = message(f"{name}_COMMAND").data
    _, start = split_general_ciphering(command)
    signed = request(srv_id, target, counter, parameters, cv=5, user=user)
    decoded, wire = dcc.complete(command[start:-12], signed,
                                 frozenset({planned.row.message_code}))
    assert wire == command and decoded.is_signed


@pytest.mark.parametrize("case", CRITICAL, ids=lambda case: case[0].split("/")[0])
def test_critical_commands_go_precommand_then_signed_then_maced_as_in_rtds(
        rtds_pki, case):  # noqa: F811
    _precommand_signed_maced(rtds_pki, *case)


@pytest.mark.parametrize("case", FUTURE_DATED, ids=lambda case: case[0].split("/")[1])
def test_device_future_dated_calendars_activate_at_the_execution_time(rtds_pki,  # noqa: F811
                                                                       case):
    name, srv_id, counter, parameters, execution = case
    _precommand_signed_maced(rtds_pki, name, srv_id, counter, parameters, execution=execution)


@pytest.mark.parametrize("case", LOAD_CONTROLLER_CRITICAL,
                         ids=lambda case: case[0].split("/")[1])
def test_the_load_controller_limits_apc_levels_as_in_rtds(load_controller_pki, case):
    _precommand_signed_maced(load_controller_pki, *case, user=LOAD_CONTROLLER_USER)


@pytest.mark.parametrize("srv_id, parameters, complaint", [
    ("6.18.1", {"ConfigurablePeriodStartTime": "25:00", "ConfigurablePeriodEndTime": "22:00"},
     "not a time"),
    ("6.18.1", {"ConfigurablePeriodStartTime": "17:00"}, "ConfigurablePeriodEndTime"),
    ("7.5", {"AuxiliaryLoadSwitch": 6, "AuxiliaryLoadDuration": 30}, "1-5"),
    ("7.5", {"AuxiliaryLoadSwitch": 1}, "AuxiliaryLoadDuration"),
    ("7.8", {}, "AuxiliaryLoadSwitch"),
    ("7.13", {"AuxiliaryController": "Heater", **_WINDOW}, "one of"),
    ("7.13", {"AuxiliaryControllerLevel": 101, **_WINDOW}, "0-100"),
    ("7.13", {"StartDateTime": "2015-01-03T00:00:00Z"}, "after StartDateTime"),
    ("1.6", {"PaymentMode": "Credit", "CreditChargeConfiguration": ((0, 0, "11"),)},
     "three bits"),
    ("1.6", {"PaymentMode": "Prepayment", "DisablementThreshold": "1.0001",
             "CreditChargeConfiguration": _METER_CHARGES}, "thousandth"),
])
def test_unusable_data_items_are_refused(rtds_pki, srv_id, parameters,  # noqa: F811
                                         complaint):
    dcc = transformer(rtds_pki)
    role = "ED" if srv_id == "6.18.1" else "IS"
    with pytest.raises(TransformError, match=complaint):
        dcc.plan(request(srv_id, ESME, 1000, parameters, role=role, cv=1),
                 dcc.inventory.get(ESME), NOW)


@pytest.fixture(scope="module")
def transcos_pki() -> DccPki:
    """The RTDS parties and the Transitional CoS party (RTDS has only its signing key;
    the DCC's PKI holds a key-agreement pair for every party, so one is made here)."""
    authority, keys = CertificateAuthority.generate(), KeyStore(keystore_dir())
    eui = bytes.fromhex(TRANSCOS)
    private = ec.generate_private_key(ec.SECP256R1())
    keys.add(eui, KeyUsage.KEY_AGREEMENT, private_key=private,
             certificate=authority.issue_remote_party_certificate(
                 eui, private.public_key(), KeyUsage.KEY_AGREEMENT, 5))
    parties = [party for party in PARTY_TABLE
               if party.name in (*_RTDS_PARTIES, PartyName.TRANSCOS)]
    return DccPki(authority, parties, default_users(), keys)


@pytest.mark.parametrize("variant, counter, execution", [
    ("IMMEDIATE", 6001, None), ("FUTURE_DATED", 6002, datetime(2030, 1, 2, tzinfo=UTC))])
def test_a_change_of_supplier_is_originated_and_signed_by_the_transcos_party(
        transcos_pki, variant, counter, execution):
    dcc = transformer(transcos_pki)
    dcc.counters.last[TRANSCOS] = counter - 1
    change = dataclasses.replace(request("6.23", ESME, 1000), execution_datetime=execution)
    ours = decode_message(dcc.protect(dcc.plan(change, dcc.inventory.get(ESME), NOW)))
    theirs = decode_message(message(
        f"6.23_CS02bSupplierByTransCoS/CS02bSupplierByTransCoS_6.23_{variant}_SUCCESS_COMMAND"
    ).data)
    assert ours.header == theirs.header
    assert ours.payload.control == theirs.payload.control
    assert ours.payload.execution_time == theirs.payload.execution_time
    assert [r.target_cell for r in ours.payload.replacements] == [
        r.target_cell for r in theirs.payload.replacements]
    assert [r.certificate_info().entity_id for r in ours.payload.replacements] == [
        bytes.fromhex(SUPPLIER_USER)] * 3
    checks = verify_message(ours, transcos_pki.keys).checks
    assert checks and all(check.status is CheckStatus.VALID for check in checks)


def test_a_change_of_supplier_needs_the_transcos_party_and_a_supplier(rtds_pki,  # noqa: F811
                                                                      transcos_pki):
    with pytest.raises(TransformError, match="Transitional CoS"):
        dcc = transformer(rtds_pki)
        dcc.plan(request("6.23", ESME, 1000), dcc.inventory.get(ESME), NOW)
    dcc = transformer(transcos_pki)
    with pytest.raises(TransformError, match="only a supplier"):
        dcc.plan(request("6.23", ESME, 1200, role="ED"), dcc.inventory.get(ESME), NOW)


@pytest.fixture()
def emulated_esme():
    """An emulated ESME with the RTDS keys (it trusts the RTDS remote parties)."""
    keys = KeyStore.load(keystore_dir())
    state = DeviceFactory(keys).make(bytes.fromhex(ESME), EmulatedType.ESME,
                                     issue_keys=(KeyUsage.DIGITAL_SIGNATURE,))
    install_trust_anchors(state, keys)
    return EmulatedDevice(state, keys, SteppedClock(REPLAY_EPOCH), default_registry()), keys


@pytest.mark.parametrize("srv_id, parameters, role", [
    ("6.18.1", {"ConfigurablePeriodStartTime": "16:30", "ConfigurablePeriodEndTime": "19:30"},
     "ED"),
    ("7.15", {}, "IS"),
    ("7.15", {"StartDateTime": "2014-12-01T00:00:00Z"}, "ED"),
])
def test_the_emulated_esme_answers_the_new_non_critical_commands(rtds_pki,  # noqa: F811
                                                                  emulated_esme, srv_id,
                                                                  parameters, role):
    device, keys = emulated_esme
    dcc = transformer(rtds_pki)
    planned = dcc.plan(request(srv_id, ESME, 2000, parameters, role=role),
                       dcc.inventory.get(ESME), NOW)
    output = device.process(dcc.protect(planned))
    assert output.response is not None, output.rejected
    result = interpret_response(decode_message(output.response), keys)
    assert result.success, result.summary


@pytest.mark.parametrize("case", [case for case in (*CRITICAL, *(
    (name, srv, counter, parameters) for name, srv, counter, parameters, _ in FUTURE_DATED
    if name not in _OTHER_ESME_MESSAGES)) if "/GCS" not in case[0]],
                         ids=lambda case: case[0].split("/")[1])
def test_the_emulated_esme_carries_out_the_new_critical_commands(rtds_pki,  # noqa: F811
                                                                 emulated_esme, case):
    _, srv_id, counter, parameters = case
    device, keys = emulated_esme
    dcc = transformer(rtds_pki)
    planned = dcc.plan(request(srv_id, ESME, counter, parameters, cv=4),
                       dcc.inventory.get(ESME), NOW)
    unsigned = decode_message(dcc.issue_precommand(planned))
    signed = unsigned.replace(signature=sign(keys.ds_private(bytes.fromhex(SUPPLIER_USER)),
                                             unsigned.signed_bytes()))
    _, wire = dcc.complete(signed.to_bytes(), request(srv_id, ESME, counter, parameters, cv=5),
                           frozenset({planned.row.message_code}))
    output = device.process(wire)
    assert output.response is not None, output.rejected
    result = interpret_response(decode_message(output.response), keys)
    assert result.success, result.summary
