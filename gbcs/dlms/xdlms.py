"""xDLMS APDUs used by GBCS (primer §8.2.1, §8.2.2, §8.2.7).

``access-request`` (``D9``, commands), ``access-response`` (``DA``, responses) and
``data-notification`` (``0F``, alerts) as construct constants built from
:mod:`gbcs.dlms.fields`, decoded into the frozen dataclasses below (the request and
response specifications are in :mod:`gbcs.dlms.xdlms_specifications`, re-exported here).
Builders let a device emulator answer a request from results and values alone (all
counts computed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from gbcs.dlms.axdr import (
    NULL,
    AxdrData,
    Data,
    LongUnsigned,
    OctetString,
    Structure,
)
from gbcs.dlms.fields import (
    FixedField,
    OctetStringField,
    OptionalField,
    Record,
    SequenceOf,
    TaggedChoice,
)
from gbcs.dlms.xdlms_specifications import (
    AccessKind,
    AccessRequestAction,
    AccessRequestGet,
    AccessRequestGetWithSelection,
    AccessRequestSet,
    AccessRequestSetWithSelection,
    AccessRequestSpecification,
    AccessResponseSpecification,
    ActionResult,
    AttributeAccess,
    DataAccessResult,
    RequestSpecification,
    RequestSpecificationList,
    ResponseSpecification,
    ResponseSpecificationList,
    SelectiveAttributeAccess,
    result_name,
)
from gbcs.errors import EncodeError
from gbcs.primitives import CosemDateTime
from gbcs.value_type import value_type

# =====================================================================================
# Long-invoke-id-and-priority
# =====================================================================================


@value_type
class InvokeIdAndPriority:
    """The 32-bit long-invoke-id-and-priority, kept whole so every bit survives.

    Bits 0-23 invoke id, 24-27 reserved, 28 self-descriptive, 29 break on error,
    30 confirmed service, 31 high priority. GBCS sends ``20`` ‖ low 24 bits of the
    originator counter (:meth:`for_counter`).
    """

    value: int

    @classmethod
    def compose(cls, invoke_id: int, *, high_priority: bool = False, confirmed: bool = False,
                break_on_error: bool = False, self_descriptive: bool = False,
                reserved: int = 0) -> InvokeIdAndPriority:
        if not 0 <= invoke_id <= 0xFFFFFF or not 0 <= reserved <= 0x0F:
            raise EncodeError(f"invoke id {invoke_id} or reserved bits {reserved} out of range")
        return cls(high_priority << 31 | confirmed << 30 | break_on_error << 29
                   | self_descriptive << 28 | reserved << 24 | invoke_id)

    @classmethod
    def for_counter(cls, originator_counter: int) -> InvokeIdAndPriority:
        """The GBCS value for a Grouping-Header originator counter."""
        return cls(0x20000000 | originator_counter & 0xFFFFFF)

    @property
    def invoke_id(self) -> int:
        return self.value & 0xFFFFFF

    @property
    def high_priority(self) -> bool:
        return bool(self.value & 0x80000000)

    @property
    def confirmed(self) -> bool:
        return bool(self.value & 0x40000000)

    @property
    def break_on_error(self) -> bool:
        return bool(self.value & 0x20000000)

    @property
    def self_descriptive(self) -> bool:
        return bool(self.value & 0x10000000)

    @property
    def reserved(self) -> int:
        return self.value >> 24 & 0x0F

    def __repr__(self) -> str:
        return f"InvokeIdAndPriority(0x{self.value:08X})"


LongInvokeIdAndPriority = FixedField(
    ">I", InvokeIdAndPriority, lambda invoke: (invoke.value,))
DateTimeOctets = OctetStringField()
"""The APDU date-time: an octet string, empty in GBCS (else a 12-byte COSEM date-time)."""
DataList = SequenceOf(AxdrData)
"""Count, then that many tagged Data values."""


# =====================================================================================
# APDUs
# =====================================================================================


def _date_time_of(raw: bytes) -> CosemDateTime | None:
    return CosemDateTime.from_bytes(raw) if len(raw) == CosemDateTime.SIZE else None


@value_type
class AccessRequest:
    """``D9``: one Data per specification (value to SET, ACTION parameter, null for GET)."""

    invoke: InvokeIdAndPriority
    specifications: tuple[AccessRequestSpecification, ...]
    data: tuple[Data, ...]
    date_time: bytes = b""
    TAG: ClassVar[int] = 0xD9

    def items(self) -> list[tuple[AccessRequestSpecification, Data]]:
        """Specifications paired with their Data (unpaired extras are left out)."""
        return list(zip(self.specifications, self.data, strict=False))

    @property
    def moment(self) -> CosemDateTime | None:
        return _date_time_of(self.date_time)


@value_type
class AccessResponse:
    """``DA``: one Data and one result per request item, in request order."""

    invoke: InvokeIdAndPriority
    data: tuple[Data, ...]
    results: tuple[AccessResponseSpecification, ...]
    request_specifications: tuple[AccessRequestSpecification, ...] | None = None
    date_time: bytes = b""
    TAG: ClassVar[int] = 0xDA

    @property
    def ok(self) -> bool:
        """Every item succeeded."""
        return all(result.result == 0 for result in self.results)

    @property
    def moment(self) -> CosemDateTime | None:
        return _date_time_of(self.date_time)


@value_type
class DataNotification:
    """``0F`` (GBCS alerts): body = structure{alert code, timestamp, details...}."""

    invoke: InvokeIdAndPriority
    body: Data
    date_time: bytes = b""
    TAG: ClassVar[int] = 0x0F

    @property
    def alert_code(self) -> int | None:
        """The GBCS alert code (first body element), if the body has the usual shape."""
        first = self.body.children[:1]
        return first[0].value if first and isinstance(first[0], LongUnsigned) else None

    @property
    def timestamp(self) -> CosemDateTime | None:
        """The alert time (second body element, octet-string(12)), if present."""
        second = self.body.children[1:2]
        if second and isinstance(second[0], OctetString):
            return _date_time_of(second[0].value)
        return None

    @property
    def moment(self) -> CosemDateTime | None:
        return _date_time_of(self.date_time)


XdlmsMessage = AccessRequest | AccessResponse | DataNotification
"""A decoded GBCS xDLMS APDU."""

AccessRequestApdu = Record(
    AccessRequest,
    ("invoke", LongInvokeIdAndPriority),
    ("date_time", DateTimeOctets),
    ("specifications", RequestSpecificationList),
    ("data", DataList),
    tag=AccessRequest.TAG,
)
AccessResponseApdu = Record(
    AccessResponse,
    ("invoke", LongInvokeIdAndPriority),
    ("date_time", DateTimeOctets),
    ("request_specifications", OptionalField(RequestSpecificationList)),
    ("data", DataList),
    ("results", ResponseSpecificationList),
    tag=AccessResponse.TAG,
)
DataNotificationApdu = Record(
    DataNotification,
    ("invoke", LongInvokeIdAndPriority),
    ("date_time", DateTimeOctets),
    ("body", AxdrData),
    tag=DataNotification.TAG,
)
XdlmsApdu = TaggedChoice(
    "xDLMS APDU",
    {AccessRequest.TAG: AccessRequestApdu, AccessResponse.TAG: AccessResponseApdu,
     DataNotification.TAG: DataNotificationApdu},
    tag_of=lambda apdu: apdu.TAG,
)
"""Any of the three GBCS xDLMS APDUs, chosen by the first byte."""


def decode_xdlms(content: bytes, offset: int = 0) -> XdlmsMessage:
    """The APDU filling ``content``; ``offset`` = where content starts in the message."""
    return XdlmsApdu.decode(content, offset, "dlms")  # type: ignore[return-value]


def encode_xdlms(apdu: XdlmsMessage) -> bytes:
    return XdlmsApdu.encode(apdu)


# =====================================================================================
# Builders
# =====================================================================================


def access_request(
    invoke: InvokeIdAndPriority,
    items: Iterable[tuple[AccessRequestSpecification, Data]],
    date_time: bytes = b"",
) -> AccessRequest:
    """A request from (specification, Data) pairs; use ``NULL`` as the Data of a GET."""
    pairs = list(items)
    return AccessRequest(invoke, tuple(spec for spec, _ in pairs),
                         tuple(data for _, data in pairs), date_time)


def access_response(
    request: AccessRequest,
    outcomes: Sequence[tuple[int, Data]],
    *,
    echo_request: bool = False,
) -> AccessResponse:
    """The response to ``request``: one ``(result, Data)`` per request item.

    Result kinds follow the request (GET/SET/ACTION); with ``echo_request`` the
    optional access-request-specification is included.
    """
    if len(outcomes) != len(request.specifications):
        raise EncodeError(f"{len(outcomes)} outcomes for {len(request.specifications)} "
                          "request items")
    results = tuple(AccessResponseSpecification(spec.RESPONSE_KIND, result)
                    for spec, (result, _) in zip(request.specifications, outcomes, strict=True))
    return AccessResponse(request.invoke, tuple(data for _, data in outcomes), results,
                          request.specifications if echo_request else None)


def success(data: Data = NULL) -> tuple[int, Data]:
    """An ``access_response`` outcome: success with ``data`` (null after SET/ACTION)."""
    return 0, data


def failure(result: int) -> tuple[int, Data]:
    """An ``access_response`` outcome: ``result`` with null data."""
    return result, NULL


def alert_notification(
    invoke: InvokeIdAndPriority, alert_code: int, timestamp: CosemDateTime, *details: Data
) -> DataNotification:
    """A GBCS DLMS alert: structure{long-unsigned code, octet-string(12) time, details}."""
    if not 0 <= alert_code <= 0xFFFF:
        raise EncodeError(f"alert code out of range: {alert_code}")
    return DataNotification(invoke, Structure(
        (LongUnsigned(alert_code), OctetString(timestamp.to_bytes()), *details)))


__all__ = [
    "AccessKind", "AccessRequest", "AccessRequestAction", "AccessRequestApdu",
    "AccessRequestGet", "AccessRequestGetWithSelection", "AccessRequestSet",
    "AccessRequestSetWithSelection", "AccessRequestSpecification", "AccessResponse",
    "AccessResponseApdu", "AccessResponseSpecification", "ActionResult", "AttributeAccess",
    "DataAccessResult", "DataList", "DataNotification", "DataNotificationApdu",
    "DateTimeOctets", "InvokeIdAndPriority", "LongInvokeIdAndPriority",
    "RequestSpecification", "RequestSpecificationList", "ResponseSpecification",
    "ResponseSpecificationList", "SelectiveAttributeAccess", "XdlmsApdu", "XdlmsMessage",
    "access_request", "access_response", "alert_notification", "decode_xdlms",
    "encode_xdlms", "failure", "result_name", "success",
]
