import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbcs import textio
from gbcs.errors import DecodeError
from gbcs.textio import message_bytes


def test_hex_with_any_whitespace():
    assert message_bytes("DD 00\n0a\tFF ") == bytes.fromhex("DD000AFF")


def test_base64_as_duis_carries_it():
    raw = bytes.fromhex("DF0901000000000000")
    assert message_bytes(base64.b64encode(raw).decode()) == raw


@pytest.mark.parametrize("text", ["", "   ", "DD0", "not a message!"])
def test_bad_text_is_a_decode_error(text):
    with pytest.raises(DecodeError):
        message_bytes(text)



def _outcome(read, text):
    try:
        return read(text)
    except DecodeError as error:
        return str(error)


@pytest.mark.parametrize("text", [
    "DF09", "df09\n", " DF 09 \r\n", "DF\t09\x0b\x0c", "0xDF09", "D F09", "DF09\x1c",
    "3q2+7w==", "AAAA", "00", "0", "\n", "", "DF\u00a009", "ABC",
])
def test_plain_hex_shortcut_reads_as_the_general_rules(text):
    assert _outcome(message_bytes, text) == _outcome(textio._general_text, text)


@given(st.text(alphabet="0123456789abcdefABCDEFxX+/= \t\r\n\x0b\x0c\x1c\u00a0", max_size=24))
def test_any_text_reads_as_the_general_rules(text):
    assert _outcome(message_bytes, text) == _outcome(textio._general_text, text)
