"""The object model of each DLMS device type, built from the catalogues and cached per
device type and variant (the variant decides optional objects and twin-element shapes)."""

from __future__ import annotations

from functools import lru_cache

from firmware_emu.cosem.activation import activation_links
from firmware_emu.cosem.catalogue_common import common_objects, meter_variant_object
from firmware_emu.cosem.catalogue_esme import ESME_ACTIVATIONS, metering_objects
from firmware_emu.cosem.catalogue_esme_config import (
    AUXILIARY_ACTIVATIONS,
    auxiliary_control_objects,
    configuration_objects,
)
from firmware_emu.cosem.chf import chf_objects
from firmware_emu.cosem.model import ObjectModel, ObjectSpec
from firmware_emu.state import DeviceState, DeviceType, DeviceVariant

DLMS_DEVICE_TYPES = frozenset({DeviceType.ESME, DeviceType.SAPC, DeviceType.CHF})


def esme_objects(variant: DeviceVariant) -> list[ObjectSpec]:
    return [*common_objects(settable_clock=True), meter_variant_object(),
            *metering_objects(variant), *configuration_objects()]


def sapc_objects() -> list[ObjectSpec]:
    """A standalone auxiliary proportional controller: no metering, only load control."""
    return [*common_objects(settable_clock=True), meter_variant_object(),
            *auxiliary_control_objects()]


@lru_cache(maxsize=32)
def object_model(device_type: DeviceType, variant: DeviceVariant) -> ObjectModel:
    if device_type is DeviceType.ESME:
        objects, links = esme_objects(variant), (*ESME_ACTIVATIONS, *AUXILIARY_ACTIVATIONS)
    elif device_type is DeviceType.SAPC:
        objects, links = sapc_objects(), AUXILIARY_ACTIVATIONS
    elif device_type is DeviceType.CHF:
        objects, links = chf_objects(variant), ()
    else:
        raise ValueError(f"a {device_type.value} has no DLMS object model")
    return ObjectModel(objects, activation_links(objects, links))


def model_for(state: DeviceState) -> ObjectModel:
    identity = state.identity
    return object_model(identity.device_type, identity.variant)
