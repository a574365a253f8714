import contextlib
import io
import struct
from dataclasses import replace

import construct as c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbcs.errors import DecodeError
from gbcs.framing.gbt import (
    GBT_BLOCK,
    Reassembler,
    decode_gbt_blocks,
    encode_gbt_block,
    is_gbt_block,
    reassemble,
    segment,
)
from gbcs.framing.general_ciphering import (
    MAC_HEADER,
    encode_general_ciphering,
    split_general_ciphering,
)
from gbcs.framing.general_signing import (
    GENERAL_SIGNING,
    Cra,
    OtherInformation,
    decode_general_signing,
    decode_general_signing_at,
    encode_general_signing,
)
from tests.roundtrip import roundtrip
from tests.rtds import all_messages, message

RTDS = all_messages()


def _apdu_of(data: bytes) -> tuple[bytes, int]:
    if data[0] == 0xDD:
        _, at = split_general_ciphering(data)
        return data[at:-12], at
    return data, 0


@pytest.mark.parametrize("rtds", RTDS, ids=lambda m: m.name)
def test_rtds_framing_roundtrip(rtds):
    data = rtds.data
    apdu_bytes, at = _apdu_of(data)
    roundtrip(GENERAL_SIGNING, apdu_bytes)
    apdu = decode_general_signing(apdu_bytes, offset=at)
    if data[0] == 0xDD:
        envelope, _ = split_general_ciphering(data)
        roundtrip(MAC_HEADER, data[:at])
        assert encode_general_ciphering(envelope, encode_general_signing(apdu)) == data
    else:
        assert encode_general_signing(apdu) == data
    assert apdu.is_precommand == (rtds.kind == "PRECOMMAND")
    expected_cra = {"PRECOMMAND": Cra.COMMAND, "COMMAND": Cra.COMMAND,
                    "RESPONSE": Cra.RESPONSE, "ALERT": Cra.ALERT}[rtds.kind]
    assert apdu.header.cra == expected_cra


def test_annotated_ccs02_command():
    data = message("8.11_CCS02/CCS02_8.11_SUCCESS_COMMAND").data
    envelope, at = split_general_ciphering(data)
    apdu = decode_general_signing(data[at:-12], offset=at)
    assert (envelope.security_control, envelope.invocation_counter) == (0x11, 0)
    assert envelope.mac.hex().upper() == "49287CECEC3F657F241B16F9"
    header = apdu.header
    assert header.originator_counter == 0x516
    assert header.originator.hex().upper() == "90B3D51F30000002"
    assert header.recipient.hex().upper() == "00DB1234567890A2"
    assert header.other_information == OtherInformation(
        0x0002, bytes.fromhex("90B3D51F30010000"), 0x3EA)
    assert len(apdu.content) == 0x1C and apdu.signature == b""
    assert data[at + apdu.header_size():].startswith(apdu.content)


def test_precommand_signed_part_is_everything_after_the_tag():
    data = message("8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_SUCCESS_PRECOMMAND").data
    apdu = decode_general_signing(data)
    assert apdu.is_precommand
    assert apdu.signed_part() == data[1:]


@pytest.mark.parametrize("size", [3, 11, 17, 25])
def test_other_information_of_undefined_size_is_malformed(size):
    with pytest.raises(DecodeError):
        OtherInformation.from_bytes(bytes(size))


def test_truncated_message_names_offset_and_field():
    data = message("8.11_CCS02/CCS02_8.11_SUCCESS_COMMAND").data
    _, at = split_general_ciphering(data)
    with pytest.raises(DecodeError) as caught:
        decode_general_signing(data[at:at + 40], offset=at)
    assert caught.value.offset >= at
    assert caught.value.path.startswith("general_signing")


@settings(max_examples=500)
@given(st.binary(max_size=120))
def test_framing_raises_only_decode_error(data):
    for decode in (lambda d: decode_general_signing(d), lambda d: split_general_ciphering(d),
                   decode_gbt_blocks):
        with contextlib.suppress(DecodeError):
            decode(data)


@given(st.binary(min_size=1, max_size=3000), st.integers(1, 1200), st.randoms())
def test_gbt_segment_and_reassemble_in_any_order(payload, block_size, rnd):
    if -(-len(payload) // block_size) > 255:
        block_size = 1200
    blocks = segment(payload, cra=2, originator_counter=7, originator=bytes(8),
                     recipient=bytes.fromhex("00DB1234567890A0"), message_code=0x27,
                     block_size=block_size)
    assert blocks[-1].last and not any(b.last for b in blocks[:-1])
    wire = [encode_gbt_block(b) for b in blocks]
    assert all(is_gbt_block(w) for w in wire)
    assert reassemble(b"".join(wire)) == payload
    for raw in wire:
        roundtrip(GBT_BLOCK, raw)
    shuffled = list(blocks)
    rnd.shuffle(shuffled)
    reassembler = Reassembler()
    results = [reassembler.add(b) for b in shuffled + shuffled[:1]]
    assert next(r for r in results if r is not None) == payload


def test_gbt_missing_block_is_incomplete():
    blocks = segment(bytes(range(256)) * 4, cra=1, originator_counter=1, originator=bytes(8),
                     recipient=bytes(8), message_code=1, block_size=100)
    wire = b"".join(encode_gbt_block(b) for b in blocks if b.block_number != 3)
    with pytest.raises(DecodeError):
        reassemble(wire)


def test_gbt_rejects_oversized_block():
    (block,) = segment(b"x", cra=1, originator_counter=1, originator=bytes(8),
                       recipient=bytes(8), message_code=1)
    raw = encode_gbt_block(replace(block, block_number=300))
    with pytest.raises(DecodeError):
        decode_gbt_blocks(raw)


# The hand-written readers in front of the declared layouts must never change a result:
# where they answer, the layout parses the same fields to the same end, and whatever the
# layout rejects they leave to it.


def _layout_parse(con, data: bytes):
    stream = io.BytesIO(data)
    try:
        parsed = con.layout.parse_stream(stream)
    except (c.ConstructError, struct.error, DecodeError):
        return None
    return parsed, stream.tell()


def _variants(data: bytes):
    yield data
    for cut in range(len(data)):
        yield data[:cut]
    for at in range(min(len(data), 48)):
        for value in (0x00, 0x01, 0x08, 0x09, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF):
            yield data[:at] + bytes((value,)) + data[at + 1:]
    yield data + b"\x00"


def _assert_fast_path_agrees(con, data: bytes):
    fast = con.fast_parse(data)
    if fast is None:
        return False
    declared = _layout_parse(con, data)
    assert declared is not None, f"fast path accepted what the layout rejects: {data.hex()}"
    assert dict(fast[0]) == {k: v for k, v in declared[0].items() if not k.startswith("_")}
    assert fast[1] == declared[1]
    return True


@pytest.mark.parametrize("rtds", RTDS, ids=lambda m: m.name)
def test_hand_parsers_agree_with_declared_layouts(rtds):
    data = rtds.data
    apdu_bytes, at = _apdu_of(data)
    assert _assert_fast_path_agrees(GENERAL_SIGNING, apdu_bytes)  # taken for every message
    if at:
        assert _assert_fast_path_agrees(MAC_HEADER, data)
    apdu, content_at = decode_general_signing_at(apdu_bytes)
    assert content_at == apdu.header_size()


def test_hand_parsers_agree_on_damaged_messages():
    for rtds in RTDS[::25]:
        apdu_bytes, at = _apdu_of(rtds.data)
        for variant in _variants(apdu_bytes):
            _assert_fast_path_agrees(GENERAL_SIGNING, variant)
        if at:
            for variant in _variants(rtds.data[:at + 8]):
                _assert_fast_path_agrees(MAC_HEADER, variant)


@settings(max_examples=300)
@given(st.binary(max_size=80))
def test_hand_parsers_agree_on_any_bytes(data):
    for con, start in ((GENERAL_SIGNING, b"\xdf\x09"), (MAC_HEADER, b"\xdd" + bytes(6))):
        _assert_fast_path_agrees(con, data)
        _assert_fast_path_agrees(con, start + data)
