"""The service request model and its TOML file format."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta, timezone

import pytest

import firmware_emu.dcc.service_request as service_request_module
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import UserRole
from firmware_emu.dcc.service_request import (
    DCC_BUSINESS_TARGET_ID,
    InvalidServiceRequestError,
    RequestUrl,
    Sequencing,
    ServiceRequest,
    ServiceRequestFileError,
    load_request_file,
    load_requests,
    parameter_problems,
    parse_request_id,
)
from firmware_emu.dcc.srv_catalogue import CommandVariant, UnknownSrvError
from tests.test_dcc_premises import build_premises

HEAD = """
[defaults]
user_role = "IS"
user_id = "90B3D51F30010000"
"""


def _docstring_example() -> str:
    doc = service_request_module.__doc__
    block = doc[doc.index("    # Keys under"):doc.index("Other request keys")]
    return textwrap.dedent(block)


def test_the_documented_example_loads():
    requests = load_requests(_docstring_example())
    assert [r.srv_id for r in requests] == ["12.2", "8.11", "4.1.1", "6.28"]
    pre_notification, whitelist, read, negative = requests
    assert pre_notification.target_id == DCC_BUSINESS_TARGET_ID
    assert pre_notification.command_variant is CommandVariant.DCC_ONLY
    assert pre_notification.request_id == (
        "90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000")
    assert whitelist.counter == 1001 and whitelist.parameters["JoinTimePeriod"] == 90
    assert read.counter == 2001 and read.sequencing == Sequencing(True, None, False)
    assert read.execution_datetime == datetime(2030, 1, 2, 0, 30, tzinfo=UTC)
    assert negative.counter == 1002 and negative.expected_response is ResponseCode.E062802
    assert negative.parameters["LowerBandSubGHzChannels0To26"] == (1,)


def test_the_documented_example_meets_its_expectations():
    premises = build_premises()
    the_day_before = datetime(2030, 1, 1, 12, tzinfo=UTC)
    for request in load_requests(_docstring_example()):
        outcome = premises.validator.validate(request, now=the_day_before)
        assert outcome.response_code is (request.expected_response or ResponseCode.I99)


def test_defaults_and_derived_fields():
    (request,) = load_requests(HEAD + """
        [[request]]
        srv = "1.1.1"
        target = "00-DB-12-34-56-78-90-A0"
    """)
    assert request.user_role is UserRole.IMPORT_SUPPLIER
    assert request.command_variant is CommandVariant.TRANSFORM
    assert request.request_url is RequestUrl.TRANSFORM
    assert request.header_service_reference == "1.1" and request.counter == 1


def test_request_id_and_sequencing_by_label():
    first, second = load_requests(HEAD + """
        [[request]]
        label = "tariff"
        srv = "1.1.1"
        request_id = "90-B3-D5-1F-30-01-00-00:00DB1234567890A0:77"
        command_variant = 5
        sequence = { first = true }
        [[request]]
        srv = "1.6"
        target = "00-DB-12-34-56-78-90-A0"
        command_variant = 5
        sequence = { preceding_label = "tariff", last = true }
    """)
    assert first.counter == 77
    assert second.sequencing.preceding_request_id == first.request_id
    assert second.sequencing.last_in_sequence and second.counter == 1


def test_request_id_supplies_user_and_target():
    (request,) = load_requests("""
        [[request]]
        srv = "4.1.1"
        user_role = "GS"
        request_id = "90B3D51F30010001:00DB1234567890A1:12"
    """)
    assert (request.user_id, request.target_id, request.counter) == (
        "90-B3-D5-1F-30-01-00-01", "00-DB-12-34-56-78-90-A1", 12)


def test_negative_tests_skip_the_data_item_lint():
    (request,) = load_requests(HEAD + """
        [[request]]
        srv = "8.11"
        target = "00-DB-12-34-56-78-90-A2"
        expected_response = "E081111"
        parameters = { UpdateType = "Add", DeviceID = "00DB1234567890B0", InstallCode = "ab" }
    """)
    assert request.expected_response is ResponseCode.E081111
    assert parameter_problems(request) == ()  # the fault is SRV-specific, not a format one


@pytest.mark.parametrize(("body", "message"), [
    ("[[request]\n", "invalid TOML"),
    ("colour = 1\n", "unknown key 'colour' in the file"),
    ("[defaults]\nfirst = 1\n[[request]]\nsrv = '4.1.1'\n", "unknown key 'first' in"),
    ("[defaults]\n", "holds no .* tables"),
    ("[defaults]\nfirst_counter = '7'\n[[request]]\n", "first_counter must be an integer"),
    ("request = [1]\n[defaults]\nuser_role = 'IS'\n", "must be a .*request.* table"),
    ("[[request]]\nsrv = '4.1.1'\n", "request 1: user_role is required"),
])
def test_file_level_errors(body, message):
    with pytest.raises(ServiceRequestFileError, match=message):
        load_requests(body, source="ic02.toml")


@pytest.mark.parametrize(("request_toml", "message"), [
    ('srv = "6.3"\ntarget = "00DB1234567890A2"', "unknown Service Reference Variant '6.3'"),
    ('target = "00DB1234567890A2"', "srv is required"),
    ('srv = "4.1.1"', "target is required for SRV 4.1.1"),
    ('srv = "4.1.1"\ntarget = "00DB12"', "target '00DB12' is not an EUI-64"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\nuser_role = "XX"', "unknown user role"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\ncommand_variant = 9', "9 is not a valid"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\ncommand_variant = true', "a number 1-8"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\ncounter = -1', "counter -1 is not"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\nurl = "post"', "post is not a valid"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\ncolour = 3', "unknown key 'colour'"),
    ('srv = "4.1.1"\nrequest_id = "a:b"', "is not OriginatorID:TargetID:Counter"),
    ('srv = "4.1.1"\nrequest_id = "90B3D51F30010000:00DB1234567890A0:1"\ncounter = 2',
     "counter disagrees with request_id"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\nexecution_datetime = 2030-01-01T00:00:00',
     "must be a date-time with a UTC offset"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\nexpected_response = "E6"', "unknown DUIS"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\nsequence = { first = "yes" }',
     "first and last must be true or false"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\nsequence = { preceding_label = "x" }',
     "preceding_label 'x' names no earlier request"),
    ('srv = "4.1.1"\ntarget = "00DB1234567890A0"\nparameters = { Colour = "red" }',
     "SRV 4.1.1 has no data item 'Colour'"),
    ('srv = "8.11"\ntarget = "00DB1234567890A2"\nparameters = { UpdateType = "Add" }',
     "data item DeviceID is required"),
    ('srv = "8.11"\ntarget = "00DB1234567890A2"\n'
     'parameters = { UpdateType = "Add", DeviceID = "00DB1234567890B0" }',
     "InstallCode is required to Add"),
    ('srv = "6.20.1"\ntarget = "00DB1234567890A0"\nparameters = { ImportMPxN = 123 }',
     "ImportMPxN must be a string"),
    ('srv = "12.2"\nparameters = { DeviceID = "00DB1234567890B0", DeviceType = "GSME", '
     'ESMEVariant = "A" }', "ESMEVariant is only valid for an ESME"),
])
def test_request_errors_name_file_request_and_problem(request_toml, message):
    text = HEAD + "[[request]]\nlabel = 'step'\n" + request_toml + "\n"
    with pytest.raises(ServiceRequestFileError, match=message) as caught:
        load_requests(text, source="ic02.toml")
    assert str(caught.value).startswith("ic02.toml: request 1 (step): ")
    assert "\n" not in str(caught.value)


def test_load_request_file(tmp_path):
    path = tmp_path / "sr01.toml"
    path.write_text(HEAD + '[[request]]\nsrv = "4.1.1"\ntarget = "00DB1234567890A0"\n',
                    encoding="utf-8")
    (request,) = load_request_file(path)
    assert request.srv_id == "4.1.1"
    with pytest.raises(ServiceRequestFileError, match=r"missing\.toml: cannot read"):
        load_request_file(tmp_path / "missing.toml")


def test_service_request_is_immutable_and_normalised():
    request = ServiceRequest(
        srv_id="6.28", user_role="GS", user_id="90b3d51f30010001",
        target_id="00db1234567890a2", counter=3, command_variant=1,
        parameters={"LowerBandSubGHzChannels0To26": [1, 2]},
        execution_datetime=datetime(2030, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
    )
    assert request.user_role is UserRole.GAS_SUPPLIER
    assert request.execution_datetime == datetime(2030, 1, 1, 0, tzinfo=UTC)
    assert request.parameters["LowerBandSubGHzChannels0To26"] == (1, 2)
    with pytest.raises(TypeError):
        request.parameters["x"] = 1


@pytest.mark.parametrize(("fields", "error", "message"), [
    ({"srv_id": "0.0"}, UnknownSrvError, "'0.0'"),
    ({"counter": 2**64}, InvalidServiceRequestError, "is not 0.."),
    ({"parameters": [1]}, InvalidServiceRequestError, "map data item names"),
    ({"sequencing": "first"}, InvalidServiceRequestError, "must be a Sequencing"),
])
def test_service_request_construction_errors(fields, error, message):
    base = {"srv_id": "4.1.1", "user_role": "IS", "user_id": "90B3D51F30010000",
            "target_id": "00DB1234567890A0", "counter": 1, "command_variant": 1}
    with pytest.raises(error, match=message):
        ServiceRequest(**{**base, **fields})


def test_parse_request_id():
    assert parse_request_id("90b3d51f30010000:00DB1234567890A0:5") == (
        "90-B3-D5-1F-30-01-00-00", "00-DB-12-34-56-78-90-A0", 5)
    with pytest.raises(InvalidServiceRequestError):
        parse_request_id(f"90B3D51F30010000:00DB1234567890A0:{2**64}")
