"""The COSEM object model of a DLMS device: objects by (class id, OBIS), their attributes
(with A-XDR type, access right and default value) and methods.

An attribute's value lives in one of two places: typed device state, through a
:class:`Binding` (the CHF whitelist, supply state, registers, prepayment, Sub-GHz ...),
or the generic ``DeviceState.attribute_values`` store, encoded as on the wire under the
attribute's key (``"<class>/<OBIS>/<attribute>"``); an attribute never written reads as
its default. Every failure is a :class:`CosemError` carrying the DLMS result code.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from firmware_emu.cosem.axdr_types import LOGICAL_NAME, AxdrType
from firmware_emu.state_codec import StateError
from gbcs.dlms.axdr import Data, OctetString, decode_data
from gbcs.dlms.cosem import ObisCode, describe_attribute
from gbcs.dlms.xdlms import ActionResult, DataAccessResult
from gbcs.errors import DecodeError, EncodeError

if TYPE_CHECKING:
    from firmware_emu.registry import AlertRequest
    from firmware_emu.state import DeviceState
    from gbcs.crypto import KeyStore
    from gbcs.message import GbcsMessage


class Access(enum.Flag):
    READ = enum.auto()
    WRITE = enum.auto()
    READ_WRITE = READ | WRITE


class CosemError(Exception):
    """An attribute access or method invocation that fails with DLMS ``result``."""

    def __init__(self, result: int, reason: str) -> None:
        super().__init__(reason)
        self.result = int(result)


@contextmanager
def state_errors_as(result: int) -> Iterator[None]:
    """Typed state refusing a change (or a value that cannot be encoded) is a failed
    access with DLMS ``result``, not a crash of the device."""
    try:
        yield
    except (StateError, EncodeError) as error:
        raise CosemError(result, str(error)) from None


@dataclass(frozen=True, slots=True, order=True)
class AttributeRef:
    """One attribute (or, with ``method=True``, one method) of one object."""

    class_id: int
    logical_name: ObisCode
    item_id: int
    method: bool = False

    @classmethod
    def of(cls, class_id: int, obis_text: str, item_id: int, *, method: bool = False
           ) -> AttributeRef:
        return cls(class_id, ObisCode.parse(obis_text), item_id, method)

    @property
    def key(self) -> str:
        """The ``attribute_values`` key: ``"8/0-0:1.0.0.255/2"`` (``m`` before a method id)."""
        item = f"m{self.item_id}" if self.method else str(self.item_id)
        return f"{self.class_id}/{self.logical_name}/{item}"

    def __str__(self) -> str:
        return self.key


@dataclass
class AccessContext:
    """What attribute and method code works with while one request is processed."""

    state: DeviceState
    now: datetime
    model: ObjectModel
    command: GbcsMessage | None = None
    encrypt: Callable[[bytes], bytes] | None = None
    keys: KeyStore | None = None
    alerts: list[AlertRequest] = field(default_factory=list)
    after_command: dict[str, Callable[[AccessContext], AlertRequest | None]] = field(
        default_factory=dict)
    """Alerts to build once every item succeeded, keyed so that a command changing the
    same thing twice raises one alert describing the final state."""

    def once_done(self, key: str, build: Callable[[AccessContext], AlertRequest | None]
                  ) -> None:
        self.after_command[key] = build

    def finish(self) -> list[AlertRequest]:
        """Build the alerts left for the end of the request; all alerts it raised."""
        for build in self.after_command.values():
            request = build(self)
            if request is not None:
                self.alerts.append(request)
        self.after_command.clear()
        return self.alerts


Reader = Callable[[AccessContext], Data]
Writer = Callable[[AccessContext, Data], None]
SelectiveReader = Callable[[AccessContext, int | None, Data | None], Data]
"""``read(access, selector, parameters)``: a read with optional selective access."""
Invoker = Callable[[AccessContext, Data], Data | None]


@dataclass(frozen=True, slots=True)
class Binding:
    """An attribute whose value is part of typed device state."""

    read: Reader
    write: Writer | None = None


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    attribute_id: int
    name: str
    type: AxdrType
    access: Access = Access.READ
    default: Data | None = None
    binding: Binding | None = None
    selective: SelectiveReader | None = None

    def initial(self) -> Data:
        return self.default if self.default is not None else self.type.default()


@dataclass(frozen=True, slots=True)
class MethodSpec:
    method_id: int
    name: str
    parameter: AxdrType
    invoke: Invoker


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    class_id: int
    logical_name: ObisCode
    name: str
    attributes: Mapping[int, AttributeSpec]
    methods: Mapping[int, MethodSpec] = field(default_factory=lambda: MappingProxyType({}))

    def ref(self, item_id: int, *, method: bool = False) -> AttributeRef:
        return AttributeRef(self.class_id, self.logical_name, item_id, method)


def cosem_object(class_id: int, obis_text: str, name: str,
                 attributes: Iterable[AttributeSpec] = (),
                 methods: Iterable[MethodSpec] = ()) -> ObjectSpec:
    return ObjectSpec(class_id, ObisCode.parse(obis_text), name,
                      MappingProxyType({a.attribute_id: a for a in attributes}),
                      MappingProxyType({m.method_id: m for m in methods}))


@dataclass(frozen=True, slots=True)
class ActivationLink:
    """What setting an activation date-time attribute activates (future-dated commands).

    ``copies`` are (passive, active) attribute pairs copied when the activation time comes;
    ``deferred`` attributes, written in the same command as the activation time, take
    their new value only then.
    """

    activation: AttributeRef
    copies: tuple[tuple[AttributeRef, AttributeRef], ...] = ()
    deferred: tuple[AttributeRef, ...] = ()


_LOGICAL_NAME = AttributeSpec(1, "logical_name", LOGICAL_NAME)


class ObjectModel:
    """A device's COSEM objects; reads and writes go through typed state or
    ``attribute_values``."""

    def __init__(self, objects: Iterable[ObjectSpec],
                 activations: Iterable[ActivationLink] = ()) -> None:
        table: dict[tuple[int, ObisCode], ObjectSpec] = {}
        for item in objects:
            if (item.class_id, item.logical_name) in table:
                raise ValueError(f"object {item.class_id}/{item.logical_name} declared twice")
            table[item.class_id, item.logical_name] = item
        self.objects: Mapping[tuple[int, ObisCode], ObjectSpec] = MappingProxyType(table)
        links: dict[AttributeRef, ActivationLink] = {}
        for link in activations:
            self.attribute(link.activation)
            for ref in (*link.deferred, *(r for pair in link.copies for r in pair)):
                self.attribute(ref)
            links[link.activation] = link
        self.activations: Mapping[AttributeRef, ActivationLink] = MappingProxyType(links)

    def find(self, class_id: int, logical_name: ObisCode) -> ObjectSpec | None:
        return self.objects.get((class_id, logical_name))

    def _object(self, ref: AttributeRef) -> ObjectSpec:
        found = self.find(ref.class_id, ref.logical_name)
        if found is None:
            raise CosemError(DataAccessResult.OBJECT_UNDEFINED,
                             f"no object {ref.class_id}/{ref.logical_name}")
        return found

    def attribute(self, ref: AttributeRef) -> AttributeSpec:
        item = self._object(ref)
        if ref.item_id == 1:
            return _LOGICAL_NAME
        spec = item.attributes.get(ref.item_id)
        if spec is None:
            raise CosemError(DataAccessResult.OBJECT_UNAVAILABLE,
                             f"{describe_attribute(ref.class_id, ref.logical_name, ref.item_id)}"
                             f" does not exist")
        return spec

    # -- reading -----------------------------------------------------------------------
    def get(self, access: AccessContext, ref: AttributeRef, selector: int | None = None,
            parameters: Data | None = None) -> Data:
        spec = self.attribute(ref)
        if Access.READ not in spec.access:
            raise CosemError(DataAccessResult.READ_WRITE_DENIED, f"{ref} is not readable")
        if ref.item_id == 1:
            return OctetString(ref.logical_name.to_bytes())
        if spec.selective is not None:
            with state_errors_as(DataAccessResult.OTHER_REASON):
                return spec.selective(access, selector, parameters)
        if selector is not None:
            raise CosemError(DataAccessResult.SCOPE_OF_ACCESS_VIOLATED,
                             f"{ref} offers no selective access")
        return self.current(access, ref)

    def current(self, access: AccessContext, ref: AttributeRef) -> Data:
        """The attribute's value, without access checks (for the device's own use)."""
        spec = self.attribute(ref)
        if spec.binding is not None:
            with state_errors_as(DataAccessResult.OTHER_REASON):
                return spec.binding.read(access)
        return stored_value(access.state, ref, spec.initial())

    # -- writing -----------------------------------------------------------------------
    def set(self, access: AccessContext, ref: AttributeRef, value: Data) -> None:
        spec = self.attribute(ref)
        if Access.WRITE not in spec.access:
            raise CosemError(DataAccessResult.READ_WRITE_DENIED, f"{ref} is not writable")
        self.assign(access, ref, value)

    def assign(self, access: AccessContext, ref: AttributeRef, value: Data) -> None:
        """Write ``value`` after a type check, without the access check (activations)."""
        spec = self.attribute(ref)
        if not spec.type.conforms(value):
            raise CosemError(DataAccessResult.TYPE_UNMATCHED,
                             f"{ref} takes {spec.type!r}, not {value!r:.80}")
        if spec.binding is not None:
            if spec.binding.write is None:
                raise CosemError(DataAccessResult.READ_WRITE_DENIED, f"{ref} is read-only")
            with state_errors_as(DataAccessResult.OTHER_REASON):
                spec.binding.write(access, value)
        else:
            store_value(access.state, ref, value)

    # -- methods -----------------------------------------------------------------------
    def action(self, access: AccessContext, ref: AttributeRef, parameter: Data) -> Data | None:
        item = self._object(ref)
        spec = item.methods.get(ref.item_id)
        if spec is None:
            raise CosemError(ActionResult.OBJECT_UNAVAILABLE,
                             f"{ref.class_id}/{ref.logical_name} has no method {ref.item_id}")
        if not spec.parameter.conforms(parameter):
            raise CosemError(ActionResult.TYPE_UNMATCHED,
                             f"method {ref} takes {spec.parameter!r}, not {parameter!r:.80}")
        with state_errors_as(ActionResult.OTHER_REASON):
            return spec.invoke(access, parameter)


def stored_value(state: DeviceState, ref: AttributeRef, default: Data) -> Data:
    raw = state.attribute_values.get(ref.key)
    if raw is None:
        return default
    try:
        return decode_data(raw)
    except DecodeError:
        return default


def store_value(state: DeviceState, ref: AttributeRef, value: Data) -> None:
    try:
        state.attribute_values[ref.key] = value.encode()
    except EncodeError as error:
        raise CosemError(DataAccessResult.TYPE_UNMATCHED, f"{ref}: {error}") from None


def forget_value(state: DeviceState, ref: AttributeRef) -> None:
    state.attribute_values.pop(ref.key, None)
