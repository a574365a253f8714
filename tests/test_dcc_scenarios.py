"""CTSD scenarios at the DUIS layer: IC01, IC02, SR01-SR010 and the 8.1.26 response-code tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from firmware_emu.dcc.dcc_alerts import DccAlertCode, dcc_alerts_for_device_alert
from firmware_emu.dcc.inventory import DeviceRecord, DeviceType, SmetsGeneration
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import CTSD_MANDATORY_TESTS, TestColumn, mandatory_tests
from firmware_emu.dcc.service_request import DCC_BUSINESS_TARGET_ID, RequestUrl
from firmware_emu.dcc.srv_catalogue import get_srv
from tests.test_dcc_premises import (
    CHF,
    ED,
    ES,
    ESME,
    GPF,
    GS,
    GSME,
    GT,
    IS,
    MDR,
    NEW_CHF,
    NEW_GPF,
    NOW,
    OU,
    PPMID,
    RSA,
    UNKNOWN_DEVICE,
    UNREGISTERED_USER,
    USER,
    build_premises,
    request,
)

R = ResponseCode


def _example_parameters(srv_id: str, target_type: DeviceType | None) -> dict[str, object]:
    items = {spec.name: spec.example for spec in get_srv(srv_id).parameters or ()
             if spec.example is not None}
    if "ImportMPxN" in items and target_type is DeviceType.GSME:
        items["ImportMPxN"] = "1234567890"  # an MPRN; the example is an MPAN
    return items


# --------------------------------------------------------------------- SR01 - SR010


@pytest.mark.parametrize(
    "test", CTSD_MANDATORY_TESTS,
    ids=lambda t: f"{t.role}-{t.srv_id}-{t.column.name}{'-S2' if t.smets2_only else ''}",
)
def test_every_ctsd_mandatory_test_can_be_run_against_a_smets2_premises(test):
    """Each CTSD cell (SR01-SR010 for every role) is accepted for some device on the premises.

    This ties together eligibility, command variants, URLs, target types, SMI statuses,
    registrations, future dating and the example data items of the catalogue.
    """
    premises = build_premises()
    execution = NOW + timedelta(days=1) if test.column.future_dated else None
    targets = [DCC_BUSINESS_TARGET_ID] + [
        record.device_id for record in premises.inventory
        if record.smets is SmetsGeneration.SMETS2
    ]
    outcomes = []
    for counter, target in enumerate(targets):
        record = premises.inventory.find(target)
        candidate = request(
            test.srv_id, test.role, target, counter=counter,
            command_variant=test.column.command_variant,
            parameters=_example_parameters(test.srv_id, record and record.device_type),
            execution_datetime=execution,
        )
        outcome = premises.validator.validate(candidate, now=NOW)
        if outcome.accepted:
            return
        outcomes.append(f"{target[-2:]}: {outcome.response_code} {outcome.detail}")
    pytest.fail("no device accepts it: " + "; ".join(outcomes))


def test_sr01_for_the_import_supplier_covers_its_cv1_on_demand_srvs():
    sr01 = {test.srv_id for test in mandatory_tests(IS, TestColumn.CV1_OD)}
    assert {"4.1.1", "6.20.1", "6.28", "8.9", "8.11", "11.2"} <= sr01
    assert sr01.isdisjoint({"1.1.1", "12.2", "4.2"})  # critical, DCC-only, ES/ED only
    smets1 = {test.srv_id for test in mandatory_tests(IS, TestColumn.CV1_OD, smets2=False)}
    assert "6.28" not in smets1 and "4.1.1" in smets1


# --------------------------------------------------------------------------- IC02


def test_ic02_install_and_commission_an_esme_in_the_prescribed_order():
    premises = build_premises()
    inventory, validator = premises.inventory, premises.validator
    esme = "00-DB-12-34-56-78-90-C0"

    step1 = request("12.2", IS, DCC_BUSINESS_TARGET_ID, counter=1, command_variant=8,
                    parameters={"DeviceID": esme, "DeviceType": "ESME"})
    assert validator.submit(step1, now=NOW).response_code is R.I99
    inventory.add(DeviceRecord(esme, DeviceType.ESME, registrations={IS: USER[IS]}))

    commission_too_early = request("8.1.1", IS, esme, counter=2, command_variant=4)
    assert validator.validate(commission_too_early, now=NOW).response_code is R.E5

    whitelist = {"UpdateType": "Add", "DeviceID": esme,
                 "InstallCode": "0123456789ABCDEF0123456789ABCDEF", "JoinTimePeriod": 90}
    step2 = request("8.11", IS, CHF, counter=3, parameters=whitelist)
    assert validator.submit(step2, now=NOW).response_code is R.I99
    confirmation = dcc_alerts_for_device_alert(0x8F12, DeviceType.CHF, srv_in_progress="8.11")
    assert [mapping.dcc_alert for mapping in confirmation] == [DccAlertCode.N24]
    inventory.update(esme, chf_id=CHF)
    inventory.transition(esme, "Whitelisted")
    inventory.transition(esme, "InstalledNotCommissioned")

    transform = request("8.1.1", IS, esme, counter=4, command_variant=4)
    assert validator.submit(transform, now=NOW).response_code is R.I99
    signed = request("8.1.1", IS, esme, counter=5, command_variant=5)
    assert signed.request_url is RequestUrl.SIGNED_PRE_COMMAND
    assert validator.submit(signed, now=NOW).response_code is R.I99
    inventory.transition(esme, "Commissioned")

    step4 = request("6.20.1", IS, esme, counter=6, parameters={"ImportMPxN": "1100000000001"})
    assert validator.submit(step4, now=NOW).response_code is R.I99


def test_ic02_whitelisting_with_a_short_install_code_is_rejected():
    premises = build_premises()
    short = {"UpdateType": "Add", "DeviceID": "00-DB-12-34-56-78-90-C0",
             "InstallCode": "0123456789ABCDEF0123456789ABCD"}
    outcome = premises.validator.validate(request("8.11", IS, CHF, parameters=short), now=NOW)
    assert outcome.response_code is R.E081111


# --------------------------------------------------------------------------- IC01


def test_ic01_install_and_commission_a_gas_meter_and_hand_over_the_gpf():
    premises = build_premises()
    inventory, validator = premises.inventory, premises.validator
    gsme = "00-DB-12-34-56-78-90-C1"

    assert validator.submit(request(
        "12.2", GS, DCC_BUSINESS_TARGET_ID, counter=1, command_variant=8,
        parameters={"DeviceID": gsme, "DeviceType": "GSME"}), now=NOW).accepted
    inventory.add(DeviceRecord(gsme, DeviceType.GSME, registrations={GS: USER[GS]}))
    assert validator.submit(request("8.11", GS, NEW_CHF, counter=2, parameters={
        "UpdateType": "Add", "DeviceID": gsme,
        "InstallCode": "00112233445566778899AABBCCDDEEFF"}), now=NOW).accepted
    inventory.update(gsme, chf_id=NEW_CHF)
    inventory.transition(gsme, "Whitelisted")
    inventory.transition(gsme, "InstalledNotCommissioned")

    for counter, device in ((3, gsme), (4, NEW_GPF)):
        for variant in (4, 5):
            commission = request("8.1.1", GS, device, counter=counter * 10 + variant,
                                 command_variant=variant)
            assert validator.submit(commission, now=NOW).response_code is R.I99
        inventory.transition(device, "Commissioned")

    handover = request("6.21", GS, NEW_GPF, counter=5)
    assert validator.submit(handover, now=NOW).response_code is R.I99
    join = request("8.7.2", GS, gsme, counter=6,
                   parameters={"OtherDeviceID": NEW_GPF, "OtherDeviceType": "GPF"})
    assert validator.submit(join, now=NOW).response_code is R.I99
    inventory.update(gsme, gpf_id=NEW_GPF)
    mprn = request("6.20.1", GS, gsme, counter=7, parameters={"ImportMPxN": "9876543210"})
    assert validator.submit(mprn, now=NOW).response_code is R.I99


def test_ic01_an_mpan_is_not_a_valid_mprn_for_the_gsme():
    premises = build_premises()
    outcome = premises.validator.validate(
        request("6.20.1", GS, GSME, parameters={"ImportMPxN": "1234567890123"}), now=NOW)
    assert outcome.response_code is R.E49 and "MPRN" in outcome.detail


# ----------------------------------------------- response code tests (CTSD 8.1.26, MP260)

# Per role: an SRV it may send, a device of the wrong type it is nevertheless registered
# for (directly, or through a meter on the same CHF), and a device it may address.
_E11_CASES = {
    IS: ("6.28", ESME), GS: ("6.28", GSME), ES: ("4.2", CHF), ED: ("4.2", CHF),
    GT: ("14.1", GPF), RSA: ("6.2.1", GSME), OU: ("4.8.2", GSME),
}
_ADDRESSABLE = {
    IS: ("4.1.1", ESME), GS: ("4.1.1", GSME), ES: ("4.2", ESME), ED: ("4.2", ESME),
    GT: ("4.1.1", GSME), RSA: ("6.2.1", ESME), MDR: ("4.2", ESME), OU: ("4.8.2", ESME),
}


@pytest.mark.parametrize("role", list(_E11_CASES))
def test_e11_service_request_device_type_combination(role):
    srv_id, wrong_type_device = _E11_CASES[role]
    outcome = build_premises().validator.validate(request(srv_id, role, wrong_type_device),
                                                  now=NOW)
    assert outcome.response_code is R.E11


def test_e11_cannot_be_generated_for_mdr_whose_only_devices_are_esmes():
    premises = build_premises()
    for record in premises.inventory:
        if record.device_type is not DeviceType.ESME:
            outcome = premises.validator.validate(request("4.2", MDR, record.device_id),
                                                  now=NOW)
            assert outcome.response_code is R.E4


@pytest.mark.parametrize("role", list(_ADDRESSABLE))
def test_e13_request_type_for_url(role):
    srv_id, device = _ADDRESSABLE[role]
    wrong_url = request(srv_id, role, device, url=RequestUrl.TRANSFORM)
    assert build_premises().validator.validate(wrong_url, now=NOW).response_code is R.E13


@pytest.mark.parametrize("role", [IS, ES, GS, ED, GT, RSA, OU])
def test_e13_non_device_request_sent_to_the_transform_url(role):
    pre_notification = request("12.2", role, DCC_BUSINESS_TARGET_ID, command_variant=8,
                               url="transform",
                               parameters={"DeviceID": UNKNOWN_DEVICE, "DeviceType": "ESME"})
    outcome = build_premises().validator.validate(pre_notification, now=NOW)
    assert outcome.response_code is R.E13


@pytest.mark.parametrize("role", list(_ADDRESSABLE))
def test_e19_device_does_not_exist(role):
    srv_id, _device = _ADDRESSABLE[role]
    outcome = build_premises().validator.validate(request(srv_id, role, UNKNOWN_DEVICE),
                                                  now=NOW)
    assert outcome.response_code is R.E19


@pytest.mark.parametrize("role", [IS, GS, ES, ED, GT, RSA])
def test_e4_takes_precedence_over_e11_and_e13(role):
    premises = build_premises()
    stranger = UNREGISTERED_USER[role]
    srv_id, wrong_type_device = _E11_CASES[role]
    e11_case = request(srv_id, role, wrong_type_device, user_id=stranger)
    assert premises.validator.validate(e11_case, now=NOW).response_code is R.E4
    srv_id, device = _ADDRESSABLE[role]
    e13_case = request(srv_id, role, device, user_id=stranger, url=RequestUrl.TRANSFORM)
    assert premises.validator.validate(e13_case, now=NOW).response_code is R.E4
    srv_id, wrong_type_device = _E11_CASES[role]
    both = request(srv_id, role, wrong_type_device, user_id=stranger, url=RequestUrl.TRANSFORM)
    assert premises.validator.validate(both, now=NOW).response_code is R.E4


def test_e19_is_still_given_to_an_unregistered_user_for_a_missing_device():
    outcome = build_premises().validator.validate(
        request("4.1.1", IS, UNKNOWN_DEVICE, user_id=UNREGISTERED_USER[IS]), now=NOW)
    assert outcome.response_code is R.E19


def test_other_user_never_gets_e4():
    premises = build_premises()
    outcome = premises.validator.validate(
        request("4.8.2", OU, ESME, user_id=UNREGISTERED_USER[OU]), now=NOW)
    assert outcome.response_code is R.I99


def test_the_scenario_devices_are_what_the_cases_assume():
    inventory = build_premises().inventory
    assert inventory.get(PPMID).chf_id == CHF
    assert inventory.get(CHF).registrations == {}
