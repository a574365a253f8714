"""The DCC's checks on a service request, one response code at a time, and their order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from firmware_emu.dcc.inventory import DeviceRecord
from firmware_emu.dcc.response_codes import VALIDATION_PRECEDENCE, ResponseCode
from firmware_emu.dcc.roles import InvalidEui64Error
from firmware_emu.dcc.service_request import Sequencing
from firmware_emu.dcc.validation import (
    CANCEL_EXECUTION_DATETIME,
    CHECKS,
    DccValidator,
    ValidationSetupError,
)
from tests.test_dcc_premises import (
    CHF,
    ED,
    ESME,
    GPF,
    GS,
    GSME,
    HCALCS,
    IS,
    MDR,
    NEW_CHF,
    NEW_ESME,
    NOW,
    PPMID,
    RSA,
    SMETS1_ESME,
    USER,
    build_premises,
    request,
)

R = ResponseCode
CHANNELS = {"LowerBandSubGHzChannels0To26": [1, 2], "LowerBandSubGHzChannels27To34": [],
            "LowerBandSubGHzChannels35To61": [], "UpperBandSubGHzChannels0To26": []}
INSTALL = {"UpdateType": "Add", "DeviceID": NEW_ESME,
           "InstallCode": "0123456789ABCDEF0123456789ABCDEF"}


@pytest.fixture
def premises():
    return build_premises()


def code(premises, service_request, now=NOW):
    return premises.validator.validate(service_request, now=now).response_code


def test_checks_run_in_the_declared_precedence_order():
    codes = [c for check_codes, _check in CHECKS for c in check_codes]
    assert codes == list(VALIDATION_PRECEDENCE)
    assert codes.index(R.E19) < codes.index(R.E4) < codes.index(R.E13) < codes.index(R.E11)


def test_a_valid_request_is_acknowledged(premises):
    outcome = premises.validator.validate(request("4.1.1", IS, ESME), now=NOW)
    assert outcome.response_code is R.I99 and outcome.accepted


# ---------------------------------------------------------------- who asks, what for


def test_e1_unknown_user_and_role_not_held(premises):
    stranger = request("4.1.1", IS, ESME, user_id="90-B3-D5-1F-30-0F-00-00")
    assert code(premises, stranger) is R.E1
    wrong_role = request("4.1.1", IS, ESME, user_id=USER[GS])
    assert code(premises, wrong_role) is R.E1


def test_e3_suspended_user(premises):
    premises.users.set_suspended(USER[IS], True)
    assert code(premises, request("4.1.1", IS, ESME)) is R.E3


def test_e48_service_reference_must_match_the_variant(premises):
    assert code(premises, request("4.1.1", IS, ESME, service_reference="4.1")) is R.I99
    assert code(premises, request("4.1.1", IS, ESME, service_reference="4.2")) is R.E48


def test_e2_role_not_eligible_for_the_srv(premises):
    assert code(premises, request("4.2", IS, ESME)) is R.E2
    assert code(premises, request("7.16", IS, ESME, command_variant=4)) is R.E2


def test_e12_command_variant_not_allowed_for_the_srv(premises):
    assert code(premises, request("1.1.1", IS, ESME, command_variant=1)) is R.E12
    assert code(premises, request("4.1.1", IS, ESME, command_variant=4)) is R.E12
    assert code(premises, request("12.2", IS, ESME, command_variant=1)) is R.E12


# ------------------------------------------------------------------- target device


def test_e11_device_given_where_the_dcc_is_the_target(premises):
    pre_notification = request("12.2", IS, ESME, command_variant=8,
                               parameters={"DeviceID": NEW_ESME, "DeviceType": "ESME"})
    assert code(premises, pre_notification) is R.E11


def test_e11_smets2_ppmid_rejected_for_firmware_reads(premises):
    assert code(premises, request("11.2", IS, PPMID)) is R.E11
    assert code(premises, request("11.2", IS, HCALCS)) is R.I99


def test_e4_mdr_may_read_import_registers_of_smets1_devices_only(premises):
    assert code(premises, request("4.1.1", MDR, ESME)) is R.E4
    assert code(premises, request("4.1.1", MDR, SMETS1_ESME)) is R.I99


def test_han_devices_are_authorised_through_the_meters_on_their_chf(premises):
    assert code(premises, request("6.13", IS, PPMID)) is R.I99
    assert code(premises, request("6.13", GS, GPF)) is R.I99
    assert code(premises, request("6.13", IS, GSME)) is R.E4


def test_e60_and_e61_smets1_devices(premises):
    assert code(premises, request("3.1", IS, SMETS1_ESME)) is R.E60
    assert code(premises, request("3.3", IS, SMETS1_ESME, command_variant=3)) is R.E61
    assert code(premises, request("2.2", IS, SMETS1_ESME, command_variant=3)) is R.I99


def test_e5_device_status(premises):
    assert code(premises, request("4.1.1", IS, NEW_ESME)) is R.E5
    assert code(premises, request("8.1.1", IS, ESME, command_variant=4)) is R.E5
    assert code(premises, request("8.1.1", IS, NEW_ESME, command_variant=4)) is R.I99
    premises.inventory.transition(ESME, "Suspended")
    assert code(premises, request("4.1.1", IS, ESME)) is R.E5
    assert code(premises, request("11.2", IS, ESME)) is R.I99


def test_e57_dual_band_and_gbcs_versions(premises):
    single_band = "00-DB-12-34-56-78-90-D2"
    premises.inventory.add(DeviceRecord(single_band, "CHF", status="Commissioned",
                                        registrations={IS: USER[IS]}))
    assert code(premises, request("6.31", IS, single_band)) is R.E57
    assert code(premises, request("6.31", IS, CHF)) is R.I99
    assert code(premises, request("7.14", IS, ESME)) is R.E57  # needs GBCS v4.0
    assert code(premises, request("7.7", IS, ESME)) is R.I99
    premises.inventory.update(ESME, gbcs_version="4.0")
    assert code(premises, request("7.14", IS, ESME)) is R.I99
    assert code(premises, request("7.7", IS, ESME)) is R.E57  # ECS61a withdrawn


def test_e17_local_delivery_not_available_to_rsa(premises):
    assert code(premises, request("6.2.1", RSA, ESME, command_variant=2)) is R.E17
    assert code(premises, request("6.2.1", ED, ESME, command_variant=2)) is R.I99


# ---------------------------------------------------------------- request bookkeeping


def test_e55_duplicate_request_id_while_in_progress(premises):
    first = request("4.1.1", IS, ESME, counter=7)
    assert premises.validator.validate(first, now=NOW).accepted
    assert premises.validator.validate(first, now=NOW).accepted  # validate records nothing
    assert premises.validator.submit(first, now=NOW).accepted
    assert code(premises, first) is R.E55
    premises.validator.complete(first.request_id)
    assert code(premises, first) is R.I99


def _sequenced(counter, first, preceding=None, last=False, **fields):
    return request("4.1.1", IS, ESME, counter=counter,
                   sequencing=Sequencing(first, preceding, last), **fields)


def test_sequencing_rules(premises):
    validator = premises.validator
    head = _sequenced(1, True)
    assert validator.submit(head, now=NOW).accepted
    assert code(premises, _sequenced(2, True, head.request_id)) is R.E40
    assert code(premises, _sequenced(2, False, None)) is R.E41
    second = _sequenced(2, False, head.request_id, last=True)
    assert validator.submit(second, now=NOW).accepted
    assert code(premises, _sequenced(3, False, head.request_id)) is R.E41
    assert code(premises, _sequenced(3, False, second.request_id)) is R.E46
    own_id = f"{USER[IS]}:{ESME}:9"
    assert code(premises, _sequenced(9, False, own_id)) is R.E42
    local = _sequenced(4, False, "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:50",
                       command_variant=3)
    assert code(premises, local) is R.E45
    later = _sequenced(5, False, "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:51",
                       execution_datetime=NOW + timedelta(days=1))
    assert code(premises, later) is R.E53


# -------------------------------------------------------------- data items and dates


def test_e49_data_items(premises):
    assert code(premises, request("8.11", IS, CHF, parameters={"UpdateType": "Add"})) is R.E49
    no_code = {key: value for key, value in INSTALL.items() if key != "InstallCode"}
    assert code(premises, request("8.11", IS, CHF, parameters=no_code)) is R.E49
    assert code(premises, request("4.1.1", IS, ESME, parameters={"Colour": "red"})) is R.E49
    assert code(premises, request("8.11", IS, CHF,
                                  parameters={**INSTALL, "JoinTimePeriod": 0})) is R.E49
    assert code(premises, request("3.1", IS, ESME, parameters={"Anything": 1})) is R.I99


@pytest.mark.parametrize(("offset", "expected"), [
    (timedelta(days=1), R.I99),
    (timedelta(days=30), R.I99),
    (timedelta(days=30, seconds=1), R.E49),
    (-timedelta(seconds=1), R.E49),
])
def test_future_dated_dsp_window_is_30_days(premises, offset, expected):
    service_request = request("4.1.1", IS, ESME, execution_datetime=NOW + offset)
    assert code(premises, service_request) is expected


def test_future_dating_by_device_and_not_at_all(premises):
    later = NOW + timedelta(days=400)
    tariff = request("1.1.2", IS, ESME, command_variant=4, execution_datetime=later)
    assert code(premises, tariff) is R.I99  # device future dating has no 30-day window
    clock = request("6.11", IS, ESME, command_variant=4, execution_datetime=NOW + timedelta(1))
    assert code(premises, clock) is R.E49
    read_inventory = request("8.2", IS, premises.validator.dcc_id, command_variant=8,
                             execution_datetime=later)
    assert code(premises, read_inventory) is R.E49


def test_e52_cancelling_a_future_dated_dsp_request(premises):
    cancel = request("4.1.1", IS, ESME, counter=2, execution_datetime=CANCEL_EXECUTION_DATETIME)
    assert code(premises, cancel) is R.E52
    held = request("4.1.1", IS, ESME, counter=1, execution_datetime=NOW + timedelta(days=2))
    assert premises.validator.submit(held, now=NOW).accepted
    assert premises.validator.submit(cancel, now=NOW).accepted
    again = request("4.1.1", IS, ESME, counter=3, execution_datetime=CANCEL_EXECUTION_DATETIME)
    assert code(premises, again) is R.E52
    executed = request("4.1.1", IS, ESME, counter=4, execution_datetime=NOW + timedelta(days=3))
    assert premises.validator.submit(executed, now=NOW).accepted
    premises.validator.complete(executed.request_id)
    assert code(premises, again) is R.E52


# ------------------------------------------------------------ SRV-specific checks


@pytest.mark.parametrize(("channels", "expected"), [
    (CHANNELS, R.I99),
    ({**CHANNELS, "LowerBandSubGHzChannels0To26": [1]}, R.E062802),
    ({**CHANNELS, "LowerBandSubGHzChannels27To34": [30]}, R.E062802),
    ({**CHANNELS, "LowerBandSubGHzChannels0To26": [], "LowerBandSubGHzChannels35To61":
      [40, 41]}, R.I99),
    ({**CHANNELS, "LowerBandSubGHzChannels0To26": []}, R.E062802),
    ({**CHANNELS, "LowerBandSubGHzChannels0To26": [1, 27]}, R.E062801),
    ({**CHANNELS, "UpperBandSubGHzChannels0To26": [5]}, R.E062802),
    ({**CHANNELS, "UpperBandSubGHzChannels0To26": [5, 6]}, R.I99),
    ({key: value for key, value in CHANNELS.items() if key[0] == "L"}, R.E49),
])
def test_6_28_sub_ghz_configuration(premises, channels, expected):
    assert code(premises, request("6.28", IS, CHF, parameters=channels)) is expected


def test_6_28_upper_band_single_channel_when_the_rule_is_relaxed(premises):
    premises.validator.upper_band_two_channel_rule = False
    channels = {**CHANNELS, "UpperBandSubGHzChannels0To26": [5]}
    assert code(premises, request("6.28", IS, CHF, parameters=channels)) is R.I99


def test_8_11_install_code_length_depends_on_the_smets_generation(premises):
    short = {**INSTALL, "InstallCode": "0123456789ABCDEF"}
    assert code(premises, request("8.11", IS, CHF, parameters=short)) is R.E081111
    smets1 = {**short, "DeviceID": SMETS1_ESME}
    assert code(premises, request("8.11", IS, CHF, parameters=smets1)) is R.I99
    longer = {**INSTALL, "InstallCode": INSTALL["InstallCode"] + "00"}
    assert code(premises, request("8.11", IS, CHF, parameters=longer)) is R.E081111


def test_8_9_read_security_details(premises):
    details = {"ReadSecurityDetails": True}
    assert code(premises, request("8.9", IS, CHF, parameters=details)) is R.I99
    assert code(premises, request("8.9", IS, ESME, parameters=details)) is R.E080903
    premises.inventory.update(CHF, gbcs_version="2.0")
    assert code(premises, request("8.9", IS, CHF, parameters=details)) is R.E080902
    assert code(premises, request("8.9", IS, CHF)) is R.I99


def test_8_14_2_install_no_wan(premises):
    installed = {"InstallDateTime": NOW - timedelta(hours=1)}
    status_update = request("8.14.2", IS, NEW_CHF, command_variant=8, parameters=installed)
    assert code(premises, status_update) is R.I99
    on_esme = request("8.14.2", IS, ESME, command_variant=8, parameters=installed)
    assert code(premises, on_esme) is R.E081401
    future = request("8.14.2", IS, NEW_CHF, command_variant=8,
                     parameters={"InstallDateTime": NOW + timedelta(hours=1)})
    assert code(premises, future) is R.E081402
    pending = "00-DB-12-34-56-78-90-E2"
    premises.inventory.add(DeviceRecord(pending, "CHF", registrations={IS: USER[IS]}))
    outcome = premises.validator.validate(
        request("8.14.2", IS, pending, command_variant=8, parameters=installed), now=NOW)
    assert outcome.response_code is R.W081401 and outcome.accepted  # no E5 for 8.14.2


def test_validator_rejects_a_naive_clock_and_non_requests(premises):
    with pytest.raises(ValidationSetupError, match="UTC offset"):
        premises.validator.validate(request("4.1.1", IS, ESME), now=datetime(2030, 1, 1))
    with pytest.raises(ValidationSetupError, match="ServiceRequest"):
        premises.validator.validate("4.1.1", now=NOW)
    assert premises.validator.validate(request("4.1.1", IS, ESME),
                                       now=datetime(2030, 1, 1, tzinfo=UTC)).accepted
    assert premises.validator.validate(request("4.1.1", GS, GSME)).accepted  # real clock


def test_validator_canonicalises_its_dcc_id(premises):
    validator = DccValidator(premises.inventory, premises.users, dcc_id="90b3d51f30000002")
    assert validator.dcc_id == "90-B3-D5-1F-30-00-00-02"
    with pytest.raises(InvalidEui64Error, match="DCC id"):
        DccValidator(premises.inventory, premises.users, dcc_id="DCC")
