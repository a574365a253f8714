"""IC 7 Profile Generic: logs and load profiles as buffers of rows, with selective access.

A buffer is a list of rows, oldest first, whose first column is the capture time in UTC
seconds since 2000 (double-long-unsigned). Rows come from typed state (event, security
and Sub-GHz channel logs) or are kept in ``attribute_values`` as the encoded compact
array the buffer reads as. Reads answer a compact array, optionally restricted by
selector 1 (time range, primer §8.2.5) or selector 2 (entry range).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from firmware_emu.cosem.axdr_types import (
    ANY,
    I8,
    LOGICAL_NAME,
    U16,
    U32,
    ArrayOf,
    CompactOf,
    Struct,
)
from firmware_emu.cosem.interface_classes import RW, attribute, logical_name, method
from firmware_emu.cosem.model import (
    AccessContext,
    AttributeRef,
    AttributeSpec,
    Binding,
    CosemError,
    ObjectSpec,
    cosem_object,
    forget_value,
    store_value,
)
from firmware_emu.state import DeviceState
from gbcs.dlms.axdr import (
    Array,
    CompactArray,
    Data,
    DoubleLongUnsigned,
    Integer,
    LongUnsigned,
    OctetString,
    Structure,
    decode_data,
)
from gbcs.dlms.xdlms import ActionResult, DataAccessResult
from gbcs.errors import DecodeError
from gbcs.primitives import CosemDateTime, datetime_to_utc_seconds

RANGE_SELECTOR = 1
ENTRY_SELECTOR = 2
CLOCK_CAPTURE = (8, "0-0:1.0.0.255", 2)

RowSource = Callable[[DeviceState], list[Structure]]
RowCapture = Callable[[AccessContext], Structure]


@dataclass(frozen=True, slots=True)
class Selection:
    """Rows wanted: capture times within ``[start, end]`` (seconds, None = open) and/or
    entries ``first..last`` (1-based, None = to the end)."""

    start: int | None = None
    end: int | None = None
    first_entry: int = 1
    last_entry: int | None = None

    def pick(self, rows: Sequence[Structure]) -> list[Structure]:
        last = len(rows) if not self.last_entry else min(self.last_entry, len(rows))
        chosen = list(rows[self.first_entry - 1:last])
        return [row for row in chosen if self._in_range(row)]

    def _in_range(self, row: Structure) -> bool:
        moment = row.elements[0].value if row.elements else None
        if not isinstance(moment, int):
            return True
        return ((self.start is None or moment >= self.start)
                and (self.end is None or moment <= self.end))


def _bound(value: Data) -> int | None:
    if isinstance(value, DoubleLongUnsigned):
        return value.value
    if isinstance(value, OctetString) and len(value.value) == CosemDateTime.SIZE:
        moment = CosemDateTime.from_bytes(value.value).to_datetime()
        return None if moment is None else datetime_to_utc_seconds(moment)
    raise CosemError(DataAccessResult.TYPE_UNMATCHED, f"not a range bound: {value!r:.60}")


def parse_selection(selector: int | None, parameters: Data | None) -> Selection:
    """Selector 1: ``{restricting object, from, to, selected values}`` or, as in IC 30
    restrictions, ``{from, to}``; selector 2: ``{from entry, to entry, ...}``."""
    if selector is None:
        return Selection()
    elements = parameters.children if isinstance(parameters, Structure) else ()
    if selector == RANGE_SELECTOR and len(elements) in (2, 4):
        start, end = (elements[1], elements[2]) if len(elements) == 4 else elements
        if len(elements) == 4 and elements[3].children:
            raise CosemError(DataAccessResult.SCOPE_OF_ACCESS_VIOLATED,
                             "selecting columns is not supported")
        return Selection(_bound(start), _bound(end))
    if selector == ENTRY_SELECTOR and len(elements) in (2, 4) and all(
            isinstance(e, DoubleLongUnsigned) for e in elements[:2]):
        first, last = elements[0].value, elements[1].value
        return Selection(first_entry=max(first, 1), last_entry=last or None)
    raise CosemError(DataAccessResult.SCOPE_OF_ACCESS_VIOLATED,
                     f"unsupported selective access {selector} {parameters!r:.60}")


def stored_rows(state: DeviceState, ref: AttributeRef) -> list[Structure]:
    raw = state.attribute_values.get(ref.key)
    if raw is None:
        return []
    try:
        value = decode_data(raw)
    except DecodeError:
        return []
    return [row for row in value.children if isinstance(row, Structure)]


@dataclass(frozen=True, slots=True)
class Profile:
    """How one profile's rows are kept; ``rows``/``clear`` for typed-state logs."""

    logical_name: str
    row: Struct
    capacity: int
    rows: RowSource | None = None
    clear: Callable[[AccessContext], None] | None = None
    capture: RowCapture | None = None

    @property
    def buffer_ref(self) -> AttributeRef:
        return AttributeRef.of(7, self.logical_name, 2)

    @property
    def buffer_type(self) -> CompactOf:
        return CompactOf(self.row)

    def all_rows(self, state: DeviceState) -> list[Structure]:
        if self.rows is not None:
            return self.rows(state)[-self.capacity:]
        return stored_rows(state, self.buffer_ref)

    def read(self, access: AccessContext, selector: int | None,
             parameters: Data | None) -> CompactArray:
        selection = parse_selection(selector, parameters)
        return self.buffer_type.pack(selection.pick(self.all_rows(access.state)))

    def append(self, state: DeviceState, row: Structure) -> None:
        """Add a captured row to a stored buffer, dropping the oldest beyond capacity."""
        if self.rows is not None:
            raise ValueError(f"{self.logical_name} is filled from typed state")
        if not self.row.conforms(row):
            raise CosemError(DataAccessResult.TYPE_UNMATCHED,
                             f"row {row!r:.80} does not fit {self.logical_name}")
        rows = [*stored_rows(state, self.buffer_ref), row][-self.capacity:]
        store_value(state, self.buffer_ref, self.buffer_type.pack(rows))

    def reset(self, access: AccessContext, _parameter: Data) -> None:
        if self.clear is not None:
            self.clear(access)
        elif self.rows is None:
            forget_value(access.state, self.buffer_ref)
        else:
            raise CosemError(ActionResult.READ_WRITE_DENIED,
                             f"{self.logical_name} cannot be cleared")

    def capture_now(self, access: AccessContext, _parameter: Data) -> None:
        if self.capture is None or self.rows is not None:
            raise CosemError(ActionResult.OBJECT_UNAVAILABLE,
                             f"{self.logical_name} captures on its own")
        self.append(access.state, self.capture(access))


def profile_object(profile: Profile, name: str, *, capture_period: int = 0,
                   capture_objects: Sequence[tuple[int, str, int]] = (CLOCK_CAPTURE,)
                   ) -> ObjectSpec:
    captured = Array(tuple(
        Structure((LongUnsigned(c), logical_name(o), Integer(a), LongUnsigned(0)))
        for c, o, a in capture_objects))
    buffer = AttributeSpec(2, "buffer", profile.buffer_type, selective=profile.read)

    def entries_in_use(access: AccessContext) -> Data:
        return DoubleLongUnsigned(len(profile.all_rows(access.state)))

    methods = [method(1, "reset", ANY, profile.reset)]
    if profile.capture is not None:
        methods.append(method(2, "capture", ANY, profile.capture_now))
    return cosem_object(7, profile.logical_name, name, [
        buffer,
        attribute(3, "capture_objects", ArrayOf(Struct(U16, LOGICAL_NAME, I8, U16)),
                  default=captured),
        attribute(4, "capture_period", U32, RW, default=DoubleLongUnsigned(capture_period)),
        attribute(7, "entries_in_use", U32, binding=Binding(entries_in_use)),
        attribute(8, "profile_entries", U32, default=DoubleLongUnsigned(profile.capacity)),
    ], methods)
