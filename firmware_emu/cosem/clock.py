"""IC 8 Clock (``0-0:1.0.0.255``): the device's COSEM time and ECS70 clock setting.

A meter's COSEM time is the emulator clock plus ``metering.clock_offset``, so setting it
(ECS70: ``preset_adjusting_time`` then ``adjust_to_preset_time``) only changes typed
state. A preset time left unspecified, as the DCC sends it, means the middle of the
validity interval: the DCC's time, give or take the interval's half-width.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from firmware_emu.cosem.axdr_types import ANY, BOOL, DATE_TIME, ENUM, I8, I16, U8, Struct
from firmware_emu.cosem.interface_classes import RW, attribute, date_time_value, method
from firmware_emu.cosem.model import (
    Access,
    AccessContext,
    AttributeRef,
    Binding,
    CosemError,
    ObjectSpec,
    cosem_object,
    forget_value,
    store_value,
)
from gbcs.dlms.axdr import Data, Enum, Integer, decode_data
from gbcs.dlms.xdlms import ActionResult, DataAccessResult
from gbcs.primitives import CosemDateTime

CLOCK = "0-0:1.0.0.255"
EVENT_CLOCK_ADJUSTED = 0x8145
"""Event log code "Clock adjusted (within tolerance)"."""
_PRESET = AttributeRef.of(8, CLOCK, 5, method=True)


def device_time(access: AccessContext) -> datetime:
    metering = getattr(access.state, "metering", None)
    offset = metering.clock_offset if metering is not None else timedelta(0)
    return access.now + offset


def _set_device_time(access: AccessContext, moment: datetime) -> None:
    metering = getattr(access.state, "metering", None)
    if metering is None:
        raise CosemError(DataAccessResult.READ_WRITE_DENIED, "this device's clock is set by "
                                                             "the network")
    metering.clock_offset = moment - access.now
    access.state.event_log.append(access.now, EVENT_CLOCK_ADJUSTED)


def _moment(value: Data) -> datetime | None:
    return CosemDateTime.from_bytes(value.value).to_datetime()


def _write_time(access: AccessContext, value: Data) -> None:
    moment = _moment(value)
    if moment is None:
        raise CosemError(DataAccessResult.OTHER_REASON, "the clock needs a specified time")
    _set_device_time(access, moment)


def _preset(access: AccessContext, parameter: Data) -> None:
    store_value(access.state, _PRESET, parameter)


def _adjust_to_preset(access: AccessContext, _parameter: Data) -> None:
    raw = access.state.attribute_values.get(_PRESET.key)
    if raw is None:
        raise CosemError(ActionResult.OTHER_REASON, "no preset time to adjust to")
    preset, start, end = (_moment(item) for item in decode_data(raw).children)
    target = preset
    if target is None:
        if start is None or end is None:
            raise CosemError(ActionResult.OTHER_REASON, "neither a preset time nor a "
                                                        "validity interval")
        target = start + (end - start) / 2
    _set_device_time(access, target)
    forget_value(access.state, _PRESET)


def _shift(access: AccessContext, parameter: Data) -> None:
    _set_device_time(access, device_time(access) + timedelta(seconds=parameter.value))


def clock_object(*, settable: bool) -> ObjectSpec:
    """The clock; a CHF's is not settable over the WAN (no methods, time read-only)."""
    time_binding = Binding(lambda access: date_time_value(device_time(access)),
                           _write_time if settable else None)
    methods = [
        method(4, "adjust_to_preset_time", ANY, _adjust_to_preset),
        method(5, "preset_adjusting_time", Struct(DATE_TIME, DATE_TIME, DATE_TIME), _preset),
        method(6, "shift_time", I16, _shift),
    ] if settable else []
    return cosem_object(8, CLOCK, "Clock", [
        attribute(2, "time", DATE_TIME, RW if settable else Access.READ, binding=time_binding),
        attribute(3, "time_zone", I16, RW),
        attribute(4, "status", U8),
        attribute(5, "daylight_savings_begin", DATE_TIME, RW),
        attribute(6, "daylight_savings_end", DATE_TIME, RW),
        attribute(7, "daylight_savings_deviation", I8, RW, default=Integer(60)),
        attribute(8, "daylight_savings_enabled", BOOL, RW),
        attribute(9, "clock_base", ENUM, RW, default=Enum(1)),
    ], methods)

