"""Profile generic buffers: typed-state logs and stored profiles, selective access by
time range and by entry, compact arrays, reset and capture."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from firmware_emu.cosem import AttributeRef, CosemError
from firmware_emu.cosem.axdr_types import U32, Struct
from firmware_emu.cosem.catalogue_common import EVENT_LOG_CLEARED
from firmware_emu.cosem.catalogue_esme import energy_profiles
from firmware_emu.cosem.profiles import Profile, parse_selection
from gbcs.dlms import axdr
from gbcs.dlms.axdr import (
    Array,
    CompactArray,
    DoubleLongUnsigned,
    Integer,
    LongUnsigned,
    OctetString,
    Structure,
)
from gbcs.dlms.xdlms import DataAccessResult
from gbcs.primitives import CosemDateTime, datetime_to_utc_seconds
from tests.test_cosem_model import NOW, access_to, esme, ref

EVENT_LOG = ref(7, "0-0:99.98.0.255", 2)
UTC_TIME = Structure((LongUnsigned(1), OctetString(bytes.fromhex("00005E2C64FF")), Integer(2),
                      LongUnsigned(0)))


def range_access(start: datetime, end: datetime, *, as_date_times: bool = False) -> Structure:
    def bound(moment: datetime):
        if as_date_times:
            return OctetString(CosemDateTime.from_datetime(moment).to_bytes())
        return DoubleLongUnsigned(datetime_to_utc_seconds(moment))

    return Structure((UTC_TIME, bound(start), bound(end), Array(())))


def logged_esme(events: int = 5):
    state = esme()
    for hour in range(events):
        state.event_log.append(NOW + timedelta(hours=hour), 0x8100 + hour, bytes((hour,)))
    return state


def test_the_event_log_reads_as_a_compact_array_of_its_entries() -> None:
    access = access_to(logged_esme())
    buffer = access.model.get(access, EVENT_LOG)
    assert isinstance(buffer, CompactArray)
    assert repr(buffer.description) == repr(axdr.StructureType((
        axdr.SIMPLE_TYPES[0x06], axdr.SIMPLE_TYPES[0x12], axdr.SIMPLE_TYPES[0x09])))
    first = buffer.elements[0]
    assert first.elements[0].value == datetime_to_utc_seconds(NOW)
    assert (first.elements[1].value, first.elements[2].value) == (0x8100, b"\x00")
    assert access.model.get(access, ref(7, "0-0:99.98.0.255", 7)) == DoubleLongUnsigned(5)


@pytest.mark.parametrize("as_date_times", [False, True])
def test_range_access_keeps_the_rows_captured_within_the_range(as_date_times: bool) -> None:
    access = access_to(logged_esme())
    parameters = range_access(NOW + timedelta(hours=1), NOW + timedelta(hours=3),
                              as_date_times=as_date_times)
    rows = access.model.get(access, EVENT_LOG, 1, parameters).elements
    assert [row.elements[1].value for row in rows] == [0x8101, 0x8102, 0x8103]


def test_entry_access_and_unsupported_selections() -> None:
    access = access_to(logged_esme())
    entries = Structure((DoubleLongUnsigned(2), DoubleLongUnsigned(3), LongUnsigned(0),
                         LongUnsigned(0)))
    rows = access.model.get(access, EVENT_LOG, 2, entries).elements
    assert [row.elements[1].value for row in rows] == [0x8101, 0x8102]
    columns = Structure((UTC_TIME, DoubleLongUnsigned(0), DoubleLongUnsigned(1),
                         Array((UTC_TIME,))))
    for selector, parameters in ((1, columns), (3, entries)):
        with pytest.raises(CosemError) as raised:
            access.model.get(access, EVENT_LOG, selector, parameters)
        assert raised.value.result == DataAccessResult.SCOPE_OF_ACCESS_VIOLATED
    with pytest.raises(CosemError) as raised:
        access.model.get(access, ref(1, "0-0:94.44.0.1", 2), 1, entries)
    assert raised.value.result == DataAccessResult.SCOPE_OF_ACCESS_VIOLATED


def test_an_open_range_bound_leaves_that_side_unbounded() -> None:
    selection = parse_selection(1, Structure((OctetString(CosemDateTime().to_bytes()),
                                              DoubleLongUnsigned(10))))
    assert (selection.start, selection.end) == (None, 10)


def test_clearing_the_event_log_is_recorded_in_the_security_log() -> None:
    state = logged_esme()
    access = access_to(state)
    access.model.action(access, ref(7, "0-0:99.98.0.255", 1, method=True), axdr.integer(0))
    assert len(state.event_log) == 0
    assert state.security_log.entries[-1].event_code == EVENT_LOG_CLEARED
    with pytest.raises(CosemError):
        access.model.action(access, ref(7, "0-0:99.98.1.255", 1, method=True),
                            axdr.integer(0))


def test_stored_profiles_capture_rows_up_to_their_capacity() -> None:
    state = esme(twin_element=True)
    state.metering.registers.record_import(1234, 0)
    access = access_to(state)
    daily = next(p.profile for p in energy_profiles(state.identity.variant)
                 if p.profile.logical_name == "0-0:98.1.9.255")
    capture = AttributeRef.of(7, daily.logical_name, 2, method=True)
    access.model.action(access, capture, axdr.integer(0))
    (row,) = access.model.get(access, daily.buffer_ref).elements
    assert row.elements[1] == DoubleLongUnsigned(1234)
    assert row.elements[3].elements[0] == DoubleLongUnsigned(1234)
    assert len(row.elements) == 9  # twin: a second element's import and TOU registers
    small = Profile("0-0:98.1.4.255", Struct(U32, U32), 2)
    for value in range(3):
        small.append(state, Structure((DoubleLongUnsigned(value), DoubleLongUnsigned(value))))
    assert [r.elements[0].value for r in small.all_rows(state)] == [1, 2]
    access.model.action(access, AttributeRef.of(7, "0-0:98.1.4.255", 1, method=True),
                        axdr.integer(0))
    assert small.all_rows(state) == []
