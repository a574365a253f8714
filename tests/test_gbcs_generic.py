"""Decoding works from the structure: a message code the table does not know still
decodes fully (payload family from the content, generic views) and round-trips."""

from dataclasses import replace

import pytest

from gbcs.asn1 import DerNode
from gbcs.message import decode_message
from tests.rtds import all_messages

UNKNOWN_CODE = 0x7F3C
SAMPLES = [m for m in all_messages() if m.kind in ("COMMAND", "RESPONSE", "ALERT")][::9]


@pytest.mark.parametrize("rtds", SAMPLES, ids=lambda m: m.name)
def test_unknown_message_code_decodes_structurally(rtds):
    original = decode_message(rtds.data)
    other = replace(original.header.other_information, message_code=UNKNOWN_CODE)
    renamed = original.replace(header=replace(original.header, other_information=other))
    wire = renamed.to_bytes()
    decoded = decode_message(wire)
    assert decoded.use_case is None and "unknown 0x7F3C" in decoded.use_case_name
    assert decoded.to_bytes() == wire
    assert decoded.family == original.family
    if original.family.name == "ASN1":
        assert isinstance(decoded.payload, DerNode)  # no typed view without a known code
    else:
        assert type(decoded.payload) is type(original.payload)
