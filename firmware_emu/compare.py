"""Structural comparison of two GBCS messages (an emulated response against a reference).

Two responses match when they agree on everything a conformant device cannot choose:
message code, CRA flag, presence of the header date-time, protection form, and the
payload's structure — DLMS APDU kind, item kinds, result codes and Data type trees;
GBZ components' cluster, frame control, command, statuses and attribute ids and types;
ASN.1 tag trees and response codes; decrypted sensitive parts compared the same way.
Values (readings, times, counters) may differ, and so may the lengths of lists.

For a command that was made to fail (an RTDS ``ERROR`` case) the reference's failure
point is arbitrary, so result codes only need to agree on *whether* something failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from gbcs.asn1 import DerNode
from gbcs.crypto import KeyStore
from gbcs.dlms import AccessRequest, AccessResponse, Data, DataNotification
from gbcs.dlms.axdr import Array, CompactArray, Structure
from gbcs.gbz import GbzAlert, GbzPayload
from gbcs.message import GbcsMessage
from gbcs.sensitive import open_parts


@dataclass(frozen=True, slots=True)
class Difference:
    where: str
    emulated: object
    reference: object

    def __str__(self) -> str:
        return f"{self.where}: emulated {self.emulated!r}, reference {self.reference!r}"


def _merge_runs(shapes: list) -> tuple:
    """Collapse repeated neighbours so lists of different lengths compare equal."""
    merged: list = []
    for shape in shapes:
        if not merged or merged[-1] != shape:
            merged.append(shape)
    return tuple(merged)


def shapes_match(emulated: object, reference: object) -> bool:
    """Equal shapes, except that an empty list (array, SEQUENCE OF) matches any list of
    the same kind: how many entries a log or list holds is a value, not structure."""
    if emulated == reference:
        return True
    if isinstance(emulated, list | tuple) and isinstance(reference, list | tuple):
        pair = len(emulated) == 2 and len(reference) == 2
        if pair and isinstance(emulated[0], str) and emulated[0] == reference[0] \
                and isinstance(emulated[1], tuple) and isinstance(reference[1], tuple):
            if emulated[0] != "structure" and (not emulated[1] or not reference[1]):
                return True
            return shapes_match(emulated[1], reference[1])
        return len(emulated) == len(reference) and all(
            shapes_match(a, b) for a, b in zip(emulated, reference, strict=True))
    return False


def data_shape(value: Data) -> object:
    if isinstance(value, Structure):
        return ("structure", tuple(data_shape(child) for child in value.children))
    if isinstance(value, Array):
        return ("array", _merge_runs([data_shape(child) for child in value.children]))
    if isinstance(value, CompactArray):
        return ("compact-array", repr(value.description))
    return type(value).__name__


def der_shape(node: DerNode) -> object:
    if node.tag.constructed:
        return (str(node.tag), _merge_runs([der_shape(child) for child in node.children]))
    return str(node.tag)


def zcl_body_shape(body: object) -> tuple:
    """Command name, then attribute (id, status, type) records or default-response fields."""
    shape: list[object] = [type(body).__name__]
    records = getattr(body, "records", None)
    if records is not None:
        shape.append(tuple((getattr(r, "attribute_id", None), getattr(r, "status", None),
                            getattr(r, "data_type", None)) for r in records))
    if type(body).__name__ == "DefaultResponse":
        shape.append((body.command_id, body.status))
    return tuple(shape)


@dataclass
class _Comparer:
    keys: KeyStore | None
    strict_results: bool
    differences: list[Difference]

    def same(self, where: str, emulated: object, reference: object) -> None:
        if emulated != reference:
            self.differences.append(Difference(where, emulated, reference))

    def alike(self, where: str, emulated: object, reference: object) -> None:
        if not shapes_match(emulated, reference):
            self.differences.append(Difference(where, emulated, reference))

    def results(self, where: str, emulated: list[int], reference: list[int]) -> None:
        if self.strict_results:
            self.same(where, emulated, reference)
            return
        self.same(f"{where} count", len(emulated), len(reference))
        self.same(f"{where} failed", any(emulated), any(reference))

    def header(self, emulated: GbcsMessage, reference: GbcsMessage) -> None:
        self.same("message code", emulated.message_code, reference.message_code)
        self.same("CRA", int(emulated.cra), int(reference.cra))
        self.same("header date-time", emulated.header.date_time is not None,
                  reference.header.date_time is not None)
        self.same("protection", (emulated.has_mac, emulated.is_signed),
                  (reference.has_mac, reference.is_signed))
        self.same("other-information", _layout(emulated), _layout(reference))

    def payload(self, emulated: object, reference: object) -> None:
        self.same("payload type", type(emulated).__name__, type(reference).__name__)
        if type(emulated) is not type(reference):
            return
        if isinstance(reference, AccessResponse):
            self.same("DLMS items", len(emulated.data), len(reference.data))
            self.same("DLMS response kinds", [s.kind for s in emulated.results],
                      [s.kind for s in reference.results])
            self.results("DLMS results", [s.result for s in emulated.results],
                         [s.result for s in reference.results])
            if self.strict_results:
                self.alike("DLMS data", [data_shape(d) for d in emulated.data],
                           [data_shape(d) for d in reference.data])
        elif isinstance(reference, DataNotification):
            self.alike("notification body", data_shape(emulated.body),
                       data_shape(reference.body))
        elif isinstance(reference, AccessRequest):
            self.same("DLMS request", len(emulated.specifications),
                      len(reference.specifications))
        elif isinstance(reference, GbzPayload):
            self.same("GBZ components", len(emulated.components), len(reference.components))
            for index, (mine, theirs) in enumerate(zip(emulated.components,
                                                       reference.components, strict=False)):
                self.same(f"component[{index}]",
                          (mine.cluster_id, mine.frame_control, mine.command_id,
                           mine.is_encrypted),
                          (theirs.cluster_id, theirs.frame_control, theirs.command_id,
                           theirs.is_encrypted))
                if not mine.is_encrypted and not theirs.is_encrypted:
                    mine_shape = zcl_body_shape(mine.zcl_command().body)
                    their_shape = zcl_body_shape(theirs.zcl_command().body)
                    if self.strict_results:
                        self.same(f"component[{index}] ZCL", mine_shape, their_shape)
                    else:
                        self.same(f"component[{index}] ZCL", mine_shape[0], their_shape[0])
        elif isinstance(reference, GbzAlert):
            self.same("alert code", emulated.alert_code, reference.alert_code)
            self.same("alert data", type(emulated.data).__name__, type(reference.data).__name__)
        else:
            self.asn1(emulated, reference)

    def asn1(self, emulated: object, reference: object) -> None:
        mine = emulated if isinstance(emulated, DerNode) else emulated.to_node()
        theirs = reference if isinstance(reference, DerNode) else reference.to_node()
        if self.strict_results:
            self.alike("ASN.1 structure", der_shape(mine), der_shape(theirs))
        for name in ("response_code", "result", "status"):
            if hasattr(reference, name):
                values = (int(getattr(emulated, name, -1)), int(getattr(reference, name)))
                self.results(f"ASN.1 {name}", [values[0]], [values[1]])

    def sensitive(self, emulated: GbcsMessage, reference: GbcsMessage) -> None:
        if self.keys is None:
            return
        mine, theirs = open_parts(emulated, self.keys), open_parts(reference, self.keys)
        self.same("sensitive parts", len(mine), len(theirs))
        for index, (a, b) in enumerate(zip(mine, theirs, strict=False)):
            self.same(f"sensitive[{index}] opened", not a.error, not b.error)
            if a.error or b.error or not self.strict_results:
                continue
            self.alike(f"sensitive[{index}]", _opened_shape(a.value), _opened_shape(b.value))


def _opened_shape(value: object) -> object:
    if isinstance(value, list):
        return tuple(data_shape(v) for v in value)
    body = getattr(value, "body", None)
    return zcl_body_shape(body) if body is not None else type(value).__name__


def _layout(message: GbcsMessage) -> tuple[bool, ...]:
    other = message.header.other_information
    return (other.supplementary_remote_party is not None,
            other.supplementary_counter is not None,
            other.supplementary_originator_counter is not None)


def compare_messages(emulated: GbcsMessage, reference: GbcsMessage, *,
                     keys: KeyStore | None = None,
                     strict_results: bool = True) -> list[Difference]:
    """Every structural difference between ``emulated`` and ``reference``."""
    comparer = _Comparer(keys, strict_results, [])
    comparer.header(emulated, reference)
    comparer.payload(emulated.payload, reference.payload)
    comparer.sensitive(emulated, reference)
    return comparer.differences
