"""IC 30 Data Protection: ``get_protected_attributes`` (sensitive reads, primer §8.2.6).

The request names attributes of other objects (with an optional restriction, the IC 30
form of selective access) and protection parameters; the device reads the attributes
from its object model and answers structure{the parameters seen from the device, an
octet-string sealing structure(n){the values}} encrypted for the remote party.
"""

from __future__ import annotations

from dataclasses import replace

from firmware_emu.cosem.axdr_types import ANY
from firmware_emu.cosem.interface_classes import method
from firmware_emu.cosem.model import (
    AccessContext,
    AttributeRef,
    CosemError,
    ObjectSpec,
    cosem_object,
)
from firmware_emu.cosem.profiles import ENTRY_SELECTOR, RANGE_SELECTOR
from gbcs.dlms.axdr import Data, Enum, Structure
from gbcs.dlms.protection import (
    ProtectedAttribute,
    ProtectedAttributesRequest,
    protected_attributes_result,
)
from gbcs.dlms.xdlms import ActionResult
from gbcs.errors import DecodeError

_RESTRICTION_SELECTORS = {0: None, 1: RANGE_SELECTOR, 2: ENTRY_SELECTOR}
"""IC 30 restriction_type: 0 none, 1 by date(-time range), 2 by entry."""


def read_protected_attribute(access: AccessContext, item: ProtectedAttribute) -> Data:
    restriction = item.restriction
    kind = restriction.children[0] if isinstance(restriction, Structure) and len(
        restriction.children) == 2 else None
    if not isinstance(kind, Enum) or kind.value not in _RESTRICTION_SELECTORS:
        raise CosemError(ActionResult.TYPE_UNMATCHED, f"bad restriction {restriction!r:.60}")
    selector = _RESTRICTION_SELECTORS[kind.value]
    parameters = restriction.children[1] if selector is not None else None
    ref = AttributeRef(item.class_id, item.logical_name, item.attribute_id)
    value = access.model.get(access, ref, selector, parameters)
    if item.data_index:
        if item.data_index > len(value.children):
            raise CosemError(ActionResult.OTHER_REASON, f"{ref} has no element "
                                                        f"{item.data_index}")
        value = value.children[item.data_index - 1]
    return value


def get_protected_attributes(access: AccessContext, parameter: Data) -> Data:
    try:
        request = ProtectedAttributesRequest.from_data(parameter)
    except DecodeError as error:
        raise CosemError(ActionResult.TYPE_UNMATCHED, f"get_protected_attributes: {error}"
                         ) from None
    if access.encrypt is None or access.command is None:
        raise CosemError(ActionResult.OTHER_REASON, "no key to protect the answer with")
    values = Structure(tuple(read_protected_attribute(access, item)
                             for item in request.attributes))
    # Seen from the device: it originates the answer, the requester receives it.
    parameters = tuple(replace(p, originator_system_title=access.state.eui,
                               recipient_system_title=access.command.header.originator)
                       for p in request.parameters)
    return protected_attributes_result(parameters, [values], access.encrypt)


def data_protection(obis: str, name: str) -> ObjectSpec:
    return cosem_object(30, obis, name, [],
                        [method(1, "get_protected_attributes", ANY, get_protected_attributes)])
