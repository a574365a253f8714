"""Whole-message fuzzing: whatever bytes arrive, decode_message either returns a message
that re-encodes to the same bytes or raises DecodeError — nothing else escapes."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbcs.errors import DecodeError
from gbcs.message import decode_message
from tests.rtds import all_messages

CORPUS = [m.data for m in all_messages()]
FUZZ = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))


def _check(data: bytes) -> None:
    try:
        message = decode_message(data)
    except DecodeError as error:
        assert error.offset >= 0 and isinstance(error.path, str)
        return
    assert message.to_bytes() == data


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(data):
    _check(data)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("flip", "set", "cut", "insert", "delete")))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "delete" and data:
            del data[at]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_rtds_messages(data):
    _check(data)
