import base64

import pytest

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
