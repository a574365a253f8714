"""xDLMS access specifications (primer §8.2.1, §8.2.2): what each request item does
(GET, SET, ACTION, with or without selective access) and how each one ended.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import ClassVar

from gbcs.dlms.axdr import AxdrData, Data, read_data
from gbcs.dlms.cosem import ObisCode, obis_from_bytes
from gbcs.dlms.fields import (
    TRUNCATED,
    BufferConstruct,
    SequenceOf,
    inside,
    new_instance,
    slot_setter,
)
from gbcs.errors import DecodeError, EncodeError
from gbcs.value_type import value_type

# =====================================================================================
# Access-request specifications
# =====================================================================================


class AccessKind(IntEnum):
    """The CHOICE numbers of access-request and access-response specifications."""

    GET = 1
    SET = 2
    ACTION = 3
    GET_WITH_SELECTION = 4
    SET_WITH_SELECTION = 5


class AccessRequestSpecification:
    """Base of the five request specifications; ``item_id`` is attribute or method id."""

    __slots__ = ()
    KIND: ClassVar[AccessKind]
    RESPONSE_KIND: ClassVar[AccessKind]
    class_id: int
    instance: ObisCode

    @property
    def item_id(self) -> int:
        raise NotImplementedError


# The concrete GET/SET variants add only class constants, so they are plain subclasses
# of one dataclass each (fields, __eq__ by exact class, __repr__ inherited; cheaper import).


@value_type
class AttributeAccess(AccessRequestSpecification):
    """Base of GET and SET: class id, logical name, attribute id."""

    class_id: int
    instance: ObisCode
    attribute_id: int

    @property
    def item_id(self) -> int:
        return self.attribute_id


class AccessRequestGet(AttributeAccess):
    __slots__ = ()
    KIND = AccessKind.GET
    RESPONSE_KIND = AccessKind.GET


class AccessRequestSet(AttributeAccess):
    __slots__ = ()
    KIND = AccessKind.SET
    RESPONSE_KIND = AccessKind.SET


@value_type
class AccessRequestAction(AccessRequestSpecification):
    """ACTION: invoke method ``method_id`` of the object."""

    class_id: int
    instance: ObisCode
    method_id: int
    KIND: ClassVar[AccessKind] = AccessKind.ACTION
    RESPONSE_KIND: ClassVar[AccessKind] = AccessKind.ACTION

    @property
    def item_id(self) -> int:
        return self.method_id


@value_type
class SelectiveAttributeAccess(AccessRequestSpecification):
    """Base of GET/SET with selective access (selector 1 = range, primer §8.2.5)."""

    class_id: int
    instance: ObisCode
    attribute_id: int
    access_selector: int
    access_parameters: Data

    @property
    def item_id(self) -> int:
        return self.attribute_id


class AccessRequestGetWithSelection(SelectiveAttributeAccess):
    __slots__ = ()
    KIND = AccessKind.GET_WITH_SELECTION
    RESPONSE_KIND = AccessKind.GET


class AccessRequestSetWithSelection(SelectiveAttributeAccess):
    __slots__ = ()
    KIND = AccessKind.SET_WITH_SELECTION
    RESPONSE_KIND = AccessKind.SET


_REQUEST_CLASSES: dict[int, type] = {
    cls.KIND: cls for cls in (AccessRequestGet, AccessRequestSet, AccessRequestAction,
                              AccessRequestGetWithSelection, AccessRequestSetWithSelection)
}


_SPEC_SETTERS = {
    cls: tuple(slot_setter(cls, name) for name in (
        "class_id", "instance", "method_id" if cls is AccessRequestAction else "attribute_id"))
    for cls in _REQUEST_CLASSES.values()
}
_set_selector = slot_setter(SelectiveAttributeAccess, "access_selector")
_set_parameters = slot_setter(SelectiveAttributeAccess, "access_parameters")


class RequestSpecificationConstruct(BufferConstruct):
    """choice (1) ‖ class id (2) ‖ OBIS (6) ‖ attribute/method id (1) [‖ selector ‖ Data]."""

    _DESCRIPTOR = struct.Struct(">BH6sb")

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        try:
            choice = buf[pos]
        except IndexError:
            raise DecodeError(TRUNCATED, pos) from None
        cls = _REQUEST_CLASSES.get(choice)
        if cls is None:
            raise DecodeError(f"unknown access-request-specification choice {choice}", pos)
        try:
            _, class_id, instance, item_id = self._DESCRIPTOR.unpack_from(buf, pos)
        except struct.error:
            raise DecodeError(TRUNCATED, pos) from None
        pos += self._DESCRIPTOR.size
        spec = new_instance(cls)
        set_class_id, set_instance, set_item_id = _SPEC_SETTERS[cls]
        set_class_id(spec, class_id)
        set_instance(spec, obis_from_bytes(instance))
        set_item_id(spec, item_id)
        if choice < AccessKind.GET_WITH_SELECTION:
            return spec, pos
        try:
            selector = buf[pos]
        except IndexError:
            raise DecodeError(TRUNCATED, pos) from None
        try:
            parameters, pos = read_data(buf, pos + 1)
        except DecodeError as error:
            raise inside(error, "access_parameters") from None
        _set_selector(spec, selector)
        _set_parameters(spec, parameters)
        return spec, pos

    def write(self, obj: object, out: bytearray) -> None:
        if type(obj) not in _REQUEST_CLASSES.values():
            raise EncodeError(f"not an access-request specification: {obj!r}")
        spec: AccessRequestSpecification = obj  # type: ignore[assignment]
        out += self._DESCRIPTOR.pack(spec.KIND, spec.class_id, spec.instance.to_bytes(),
                                     spec.item_id)
        if isinstance(spec, SelectiveAttributeAccess):
            out.append(spec.access_selector)
            AxdrData.write(spec.access_parameters, out)


RequestSpecification = RequestSpecificationConstruct()
RequestSpecificationList = SequenceOf(RequestSpecification)


# =====================================================================================
# Access-response specifications and result codes
# =====================================================================================


class DataAccessResult(IntEnum):
    SUCCESS = 0
    HARDWARE_FAULT = 1
    TEMPORARY_FAILURE = 2
    READ_WRITE_DENIED = 3
    OBJECT_UNDEFINED = 4
    OBJECT_CLASS_INCONSISTENT = 9
    OBJECT_UNAVAILABLE = 11
    TYPE_UNMATCHED = 12
    SCOPE_OF_ACCESS_VIOLATED = 13
    DATA_BLOCK_UNAVAILABLE = 14
    LONG_GET_ABORTED = 15
    NO_LONG_GET_IN_PROGRESS = 16
    LONG_SET_ABORTED = 17
    NO_LONG_SET_IN_PROGRESS = 18
    DATA_BLOCK_NUMBER_INVALID = 19
    OTHER_REASON = 250


class ActionResult(IntEnum):
    SUCCESS = 0
    HARDWARE_FAULT = 1
    TEMPORARY_FAILURE = 2
    READ_WRITE_DENIED = 3
    OBJECT_UNDEFINED = 4
    OBJECT_CLASS_INCONSISTENT = 9
    OBJECT_UNAVAILABLE = 11
    TYPE_UNMATCHED = 12
    SCOPE_OF_SERVICE_VIOLATED = 13
    DATA_BLOCK_UNAVAILABLE = 14
    LONG_ACTION_ABORTED = 15
    NO_LONG_ACTION_IN_PROGRESS = 16
    OTHER_REASON = 250


def result_name(kind: AccessKind, result: int) -> str:
    """``"success"``, ``"other-reason"``, ... (``"result 77"`` for unassigned codes)."""
    names = ActionResult if kind == AccessKind.ACTION else DataAccessResult
    try:
        return names(result).name.lower().replace("_", "-")
    except ValueError:
        return f"result {result}"


@value_type
class AccessResponseSpecification:
    """The outcome of one request item: ``kind`` is GET, SET or ACTION."""

    kind: AccessKind
    result: int

    @property
    def ok(self) -> bool:
        return self.result == 0

    @property
    def result_name(self) -> str:
        return result_name(self.kind, self.result)


_RESPONSE_KINDS = {kind.value: kind for kind in (AccessKind.GET, AccessKind.SET,
                                                   AccessKind.ACTION)}
_RESPONSE_SPECS: dict[bytes, AccessResponseSpecification] = {}
"""The response specifications met so far, shared (decoding is mostly a dictionary
lookup); filled as they come rather than with all 768 at import."""


class ResponseSpecificationConstruct(BufferConstruct):
    """choice (1: get, 2: set, 3: action) ‖ result (1)."""

    def read(self, buf: bytes, pos: int) -> tuple[object, int]:
        if pos + 2 > len(buf):
            raise DecodeError(TRUNCATED, pos)
        raw = buf[pos:pos + 2]
        spec = _RESPONSE_SPECS.get(raw)
        if spec is None:
            kind = _RESPONSE_KINDS.get(raw[0])
            if kind is None:
                raise DecodeError(f"unknown access-response-specification choice {raw[0]}",
                                  pos)
            spec = _RESPONSE_SPECS[raw] = AccessResponseSpecification(kind, raw[1])
        return spec, pos + 2

    def write(self, obj: object, out: bytearray) -> None:
        if not isinstance(obj, AccessResponseSpecification) or obj.kind not in _RESPONSE_KINDS:
            raise EncodeError(f"not an access-response specification: {obj!r}")
        out.append(obj.kind)
        out.append(obj.result)


ResponseSpecification = ResponseSpecificationConstruct()
ResponseSpecificationList = SequenceOf(ResponseSpecification)
