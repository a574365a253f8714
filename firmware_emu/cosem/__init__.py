"""The DLMS device model of ESME, SAPC and CHF: COSEM objects, the access-request
processor, future-dated activations, CHF specifics and the DLMS alerts.

* :mod:`~firmware_emu.cosem.model` — objects, attributes, methods, :class:`ObjectModel`.
* :mod:`~firmware_emu.cosem.catalogues` — the object model of each device type.
* :mod:`~firmware_emu.cosem.processor` — the registry handler for DLMS commands.
* :mod:`~firmware_emu.cosem.future_dated` — activation date-times and their executor.
* :mod:`~firmware_emu.cosem.chf` — device log, Sub-GHz, HAN-event alerts.
* :mod:`~firmware_emu.cosem.dlms_alerts` — builders of every DLMS alert.
* :mod:`~firmware_emu.cosem.usecases` — ``DLMS_USE_CASES`` and ``register(registry)``.
"""

from firmware_emu.cosem.catalogues import model_for, object_model
from firmware_emu.cosem.model import (
    AccessContext,
    AttributeRef,
    CosemError,
    ObjectModel,
    ObjectSpec,
)
from firmware_emu.cosem.processor import process_access_request
from firmware_emu.cosem.usecases import DLMS_USE_CASES, register

__all__ = ["DLMS_USE_CASES", "AccessContext", "AttributeRef", "CosemError", "ObjectModel",
           "ObjectSpec", "model_for", "object_model", "process_access_request", "register"]
