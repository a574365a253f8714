"""DLMS/COSEM payloads of GBCS (primer §8.2): A-XDR Data, xDLMS APDUs, COSEM names, IC 30.

* :mod:`gbcs.dlms.axdr` — typed A-XDR Data values, builders, decoder, JSON.
* :mod:`gbcs.dlms.xdlms` — access-request / access-response / data-notification.
* :mod:`gbcs.dlms.cosem` — OBIS codes, interface classes, the GBCS object table (the
  tables are loaded when first used).
* :mod:`gbcs.dlms.protection` — IC 30 protected reads and the ECS68 alert.
"""

from gbcs.dlms import axdr, cosem
from gbcs.dlms.axdr import AxdrData, Data, decode_data, decode_data_sequence, encode_data
from gbcs.dlms.cosem import ObisCode, obis
from gbcs.dlms.protection import (
    ProtectedAttribute,
    ProtectedAttributesRequest,
    ProtectedLocation,
    ProtectedPayload,
    ProtectionParameters,
    decode_protected_plaintext,
    find_protected_payloads,
    protected_attributes_response,
    protected_notification,
    protected_read_items,
    seal,
)
from gbcs.dlms.xdlms import (
    AccessKind,
    AccessRequest,
    AccessRequestAction,
    AccessRequestApdu,
    AccessRequestGet,
    AccessRequestGetWithSelection,
    AccessRequestSet,
    AccessRequestSetWithSelection,
    AccessRequestSpecification,
    AccessResponse,
    AccessResponseApdu,
    AccessResponseSpecification,
    ActionResult,
    DataAccessResult,
    DataNotification,
    DataNotificationApdu,
    InvokeIdAndPriority,
    XdlmsApdu,
    XdlmsMessage,
    access_request,
    access_response,
    alert_notification,
    decode_xdlms,
    encode_xdlms,
    failure,
    result_name,
    success,
)

__all__ = [
    "COSEM_OBJECTS", "INTERFACE_CLASSES", "AccessKind", "AccessRequest", "AccessRequestAction",
    "AccessRequestApdu", "AccessRequestGet", "AccessRequestGetWithSelection",
    "AccessRequestSet", "AccessRequestSetWithSelection", "AccessRequestSpecification",
    "AccessResponse", "AccessResponseApdu", "AccessResponseSpecification", "ActionResult",
    "AxdrData", "CosemObject", "Data", "DataAccessResult", "DataNotification",
    "DataNotificationApdu", "InterfaceClass", "InvokeIdAndPriority", "ObisCode",
    "ProtectedAttribute", "ProtectedAttributesRequest", "ProtectedLocation",
    "ProtectedPayload", "ProtectionParameters", "XdlmsApdu", "XdlmsMessage",
    "access_request", "access_response", "alert_notification", "axdr", "class_name",
    "decode_data", "decode_data_sequence", "decode_protected_plaintext", "decode_xdlms",
    "describe_attribute", "describe_method", "describe_object", "encode_data",
    "encode_xdlms", "failure", "find_protected_payloads", "obis", "protected_attributes_response",
    "protected_notification", "protected_read_items", "result_name", "seal", "success",
]

_COSEM_NAMES = frozenset({
    "COSEM_OBJECTS", "INTERFACE_CLASSES", "CosemObject", "InterfaceClass", "class_name",
    "describe_attribute", "describe_method", "describe_object",
})


def __getattr__(name: str):
    if name not in _COSEM_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(cosem, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_COSEM_NAMES})
