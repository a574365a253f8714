"""DUIS response codes and their precedence."""

from __future__ import annotations

import pytest

from firmware_emu.dcc.response_codes import (
    RESPONSE_CODES,
    VALIDATION_PRECEDENCE,
    Channel,
    ResponseCode,
    UnknownResponseCodeError,
    first_by_precedence,
    parse_response_code,
)

R = ResponseCode


def test_every_code_has_a_definition():
    assert set(RESPONSE_CODES) == set(ResponseCode)
    for code, definition in RESPONSE_CODES.items():
        assert definition.code is code and definition.name and definition.applies_to


def test_common_codes_of_the_digest_are_all_present():
    expected = {"I0", "I99", "E1", "E2", "E3", "E4", "E5", "E11", "E12", "E13", "E17", "E19",
                "E20", "E21", "E30", "E31", *(f"E{n}" for n in range(40, 72)), "E100"}
    assert expected <= {code.value for code in ResponseCode}


def test_texts_and_channels():
    assert R.E19.definition.text == "E19 Failed Authorisation - Device doesn't exist"
    assert R.E4.definition.applies_to == {Channel.ACKNOWLEDGEMENT, Channel.DCC_ALERT}
    assert R.E58.definition.applies_to == {Channel.DCC_ALERT}
    assert R.I0.definition.applies_to == {Channel.SERVICE_RESPONSE}
    assert R.E4.definition.ehs == ("V1", "Z1")


def test_srv_specific_codes():
    assert R.E062801.definition.srv_id == "6.28" and R.E062802.definition.srv_id == "6.28"
    assert R.E081111.definition.srv_id == "8.11"
    assert "32 characters" in R.E081111.definition.name
    assert not R.W081401.is_error and R.E081401.is_error and not R.I99.is_error


def test_parse_response_code():
    assert parse_response_code(" e062802 ") is R.E062802
    with pytest.raises(UnknownResponseCodeError, match="'E6'"):
        parse_response_code("E6")


def test_e4_takes_precedence_over_e11_and_e13_but_not_e19():
    assert first_by_precedence([R.E11, R.E4]) is R.E4
    assert first_by_precedence([R.E13, R.E11, R.E4]) is R.E4
    assert first_by_precedence([R.E4, R.E19]) is R.E19
    assert first_by_precedence([R.E062802, R.E49]) is R.E49


def test_precedence_errors():
    assert len(set(VALIDATION_PRECEDENCE)) == len(VALIDATION_PRECEDENCE)
    with pytest.raises(UnknownResponseCodeError, match="no response codes"):
        first_by_precedence([])
    with pytest.raises(UnknownResponseCodeError, match="E58 not ranked"):
        first_by_precedence([R.E58])
