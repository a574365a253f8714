"""The registry every emulated device runs with: all use-case rows, family defaults
and future-dated action executors of the three payload families."""

from __future__ import annotations

from firmware_emu.cosem import usecases as dlms_use_cases
from firmware_emu.registry import Registry
from firmware_emu.usecases import asn1 as asn1_use_cases
from firmware_emu.zcl import usecases as gbz_use_cases


def default_registry() -> Registry:
    registry = Registry()
    dlms_use_cases.register(registry)
    gbz_use_cases.register(registry)
    asn1_use_cases.register(registry)
    for kind, runner in asn1_use_cases.ASN1_SCHEDULED_ACTIONS.items():
        registry.add_executor(kind, runner)
    return registry
