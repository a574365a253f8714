"""The ZCL attribute model of a GSME or GPF over its typed state.

Reading an attribute: a binding with a setter is authoritative (typed state); otherwise
a stored value (written by a command) wins, then a read-only binding (a value derived
from typed state), then the catalogue default. Writing goes to the binding's setter or
to ``DeviceState.attribute_values``. The GPF answers from its mirror of the GSME
(``GpfState.gsme_mirror`` and its own stored values).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from firmware_emu.state import DeviceState, GpfState, MeteringState
from firmware_emu.state_codec import StateError
from firmware_emu.zcl import (
    catalogue_device,
    catalogue_metering,
    catalogue_prepayment,
    catalogue_price,
)
from firmware_emu.zcl.attributes import AttributeValueError, ZclAttribute
from firmware_emu.zcl.store import ZclStore
from gbcs.errors import DecodeError
from gbcs.gbz.zcl import AttributeStatus, WriteAttributeStatus, ZclStatus
from gbcs.primitives import datetime_to_utc_seconds

CATALOGUE: dict[tuple[int, int], ZclAttribute] = {
    (row.cluster_id, row.attribute_id): row
    for rows in (catalogue_device.BASIC_ATTRIBUTES, catalogue_device.TIME_ATTRIBUTES,
                 catalogue_device.DEVICE_MANAGEMENT_ATTRIBUTES, catalogue_price.ATTRIBUTES,
                 catalogue_metering.ATTRIBUTES, catalogue_prepayment.ATTRIBUTES)
    for row in rows
}


class ModelError(ValueError):
    """A value the model cannot take; ``status`` is the ZCL status to report."""

    def __init__(self, reason: str, status: int = ZclStatus.INVALID_VALUE) -> None:
        super().__init__(reason)
        self.status = status


class ZclModel:
    def __init__(self, state: DeviceState, now: datetime) -> None:
        self.state = state
        self.now = now
        self.store = ZclStore(state.attribute_values)

    # -- what the bindings see -----------------------------------------------------------
    @property
    def is_proxy(self) -> bool:
        return isinstance(self.state, GpfState)

    @property
    def metering(self) -> MeteringState:
        if self.is_proxy:
            return self.state.gsme_mirror
        metering = getattr(self.state, "metering", None)
        if metering is None:
            raise ModelError(f"a {type(self.state).__name__} has no metering data",
                             ZclStatus.UNSUPPORTED_CLUSTER_COMMAND)
        return metering

    def set_metering(self, **changes: Any) -> None:
        """Replace metering fields, checking the typed state's invariants."""
        try:
            updated = dataclasses.replace(self.metering, **changes)
        except (StateError, ValueError, TypeError) as error:
            raise ModelError(str(error)) from None
        if self.is_proxy:
            self.state.gsme_mirror = updated
        else:
            self.state.metering = updated

    def set_prepayment(self, **changes: Any) -> None:
        try:
            updated = dataclasses.replace(self.metering.prepayment, **changes)
        except (StateError, ValueError, TypeError) as error:
            raise ModelError(str(error)) from None
        self.set_metering(prepayment=updated)

    @property
    def utc_now(self) -> int:
        return datetime_to_utc_seconds(self.now)

    # -- attributes ----------------------------------------------------------------------
    @staticmethod
    def attribute(cluster_id: int, attribute_id: int) -> ZclAttribute | None:
        return CATALOGUE.get((cluster_id, attribute_id))

    def stored_value(self, cluster_id: int, attribute_id: int) -> Any | None:
        attribute = self._known(cluster_id, attribute_id)
        stored = self.state.attribute_values.get(attribute.key)
        if stored is None:
            return None
        try:
            return attribute.decode(stored)
        except DecodeError:
            return None

    def store_value(self, cluster_id: int, attribute_id: int, value: Any) -> None:
        attribute = self._known(cluster_id, attribute_id)
        try:
            self.state.attribute_values[attribute.key] = attribute.encode(value)
        except AttributeValueError as error:
            raise ModelError(str(error)) from None

    def value(self, cluster_id: int, attribute_id: int) -> Any:
        attribute = self._known(cluster_id, attribute_id)
        binding = attribute.binding
        if binding is not None and binding.put is not None:
            return binding.get(self)
        stored = self.stored_value(cluster_id, attribute_id)
        if stored is not None:
            return stored
        return binding.get(self) if binding is not None else attribute.default

    def write(self, cluster_id: int, attribute_id: int, value: Any) -> None:
        attribute = self._known(cluster_id, attribute_id)
        if attribute.binding is not None and attribute.binding.put is not None:
            try:
                attribute.encode(value)  # type and range check
                attribute.binding.put(self, value)
            except (AttributeValueError, StateError) as error:
                raise ModelError(str(error)) from None
            return
        self.store_value(cluster_id, attribute_id, value)

    def read(self, cluster_id: int, attribute_id: int) -> AttributeStatus:
        """One Read Attributes Response record."""
        attribute = self.attribute(cluster_id, attribute_id)
        if attribute is None:
            return AttributeStatus(attribute_id, ZclStatus.UNSUPPORTED_ATTRIBUTE)
        try:
            value = self.value(cluster_id, attribute_id)
            attribute.encode(value)
        except (ModelError, AttributeValueError):
            return AttributeStatus(attribute_id, ZclStatus.SOFTWARE_FAILURE)
        return AttributeStatus(attribute_id, ZclStatus.SUCCESS, attribute.data_type, value)

    def write_remote(self, cluster_id: int, attribute_id: int, data_type: int,
                     value: Any) -> WriteAttributeStatus:
        """One Write Attributes record from a remote party."""
        attribute = self.attribute(cluster_id, attribute_id)
        if attribute is None:
            return WriteAttributeStatus(ZclStatus.UNSUPPORTED_ATTRIBUTE, attribute_id)
        if not attribute.writable:
            return WriteAttributeStatus(ZclStatus.READ_ONLY, attribute_id)
        if data_type != attribute.data_type:
            return WriteAttributeStatus(ZclStatus.INVALID_DATA_TYPE, attribute_id)
        try:
            self.write(cluster_id, attribute_id, value)
        except ModelError as error:
            return WriteAttributeStatus(error.status, attribute_id)
        return WriteAttributeStatus(ZclStatus.SUCCESS, attribute_id)

    def _known(self, cluster_id: int, attribute_id: int) -> ZclAttribute:
        attribute = self.attribute(cluster_id, attribute_id)
        if attribute is None:
            raise ModelError(f"no attribute 0x{attribute_id:04X} in cluster "
                             f"0x{cluster_id:04X}", ZclStatus.UNSUPPORTED_ATTRIBUTE)
        return attribute

