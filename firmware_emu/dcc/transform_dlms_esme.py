"""Payload builders for the ESME's configuration, log and profile commands (primer §8.2).

Time ranges come from data items ``StartDateTime`` / ``EndDateTime`` (by default the
last ``days`` days up to now); protected range reads restrict the profile by a
range_descriptor of COSEM date-times, plain ones by the GBCS restricting object. The
other data item names are this harness's own: ``ChangeOfTenancyDateTime`` (3.2),
``EventBehaviours`` (6.22: bit numbers to set), ``LowMediumPowerThreshold`` and
``MediumHighPowerThreshold`` (6.12, W) and ``BoostButtonSwitches`` (7.9/7.10).
"""

from __future__ import annotations

from collections.abc import Callable

from firmware_emu.dcc.transform_dlms import Item, dlms_request, range_item
from firmware_emu.dcc.transform_rows import (
    BuildContext,
    PayloadBuilder,
    TransformError,
    cosem_time,
    moment,
    time_range,
)
from gbcs.dlms import (
    AccessRequest,
    AccessRequestAction,
    AccessRequestGet,
        AccessRequestSet,
    axdr,
    obis,
)
from gbcs.dlms.protection import (
    DATA_PROTECTION_CLASS_ID,
    GET_PROTECTED_ATTRIBUTES,
    ProtectedAttribute,
    ProtectedAttributesRequest,
    ProtectionParameters,
)

RANGE_DESCRIPTOR = 1  # selective access by range (protected reads' restriction)
EVENT_BEHAVIOUR_BITS = 512
BOOST_SWITCHES = (1, 2, 3, 4, 5)

Spec = tuple[int, str, int]
ItemMaker = Callable[[BuildContext], Item]


# -------------------------------------------------------------------- item makers


def get(class_id: int, name: str, attribute: int) -> ItemMaker:
    item = (AccessRequestGet(class_id, obis(name), attribute), axdr.NULL)
    return lambda ctx: item


def ranged(class_id: int, name: str, days: int = 1) -> ItemMaker:
    """A GET of a profile's buffer restricted to the data items' time range."""
    return lambda ctx: range_item(ctx, class_id, name, days)


def items(*makers: ItemMaker) -> PayloadBuilder:
    """A command of several items, in order."""

    def build(ctx: BuildContext) -> AccessRequest:
        return dlms_request(ctx, (make(ctx) for make in makers))

    return build


def gets(*specs: Spec) -> tuple[ItemMaker, ...]:
    return tuple(get(*spec) for spec in specs)


def action(class_id: int, name: str, method: int, value: axdr.Data) -> PayloadBuilder:
    """One method invocation with a fixed parameter (clear a log, reset a counter)."""
    item = (AccessRequestAction(class_id, obis(name), method), value)
    return lambda ctx: dlms_request(ctx, [item])


def protected_range_read(name: str, profile: str, days: int) -> PayloadBuilder:
    """get_protected_attributes on IC 30 ``name`` of the buffer of ``profile``, restricted
    to the data items' time range (ECS20b, ECS20c, ECS21a/b, ECS22b, ECS66)."""
    spec = AccessRequestAction(DATA_PROTECTION_CLASS_ID, obis(name), GET_PROTECTED_ATTRIBUTES)

    def build(ctx: BuildContext) -> AccessRequest:
        start, end = time_range(ctx, days)
        restriction = axdr.structure(axdr.enum(RANGE_DESCRIPTOR), axdr.structure(
            axdr.octet_string(cosem_time(start).to_bytes()),
            axdr.octet_string(cosem_time(end).to_bytes())))
        wanted = ProtectedAttribute(7, obis(profile), 2, 0, restriction)
        parameters = ProtectionParameters.for_gbcs(ctx.counter, ctx.originator, ctx.recipient)
        return dlms_request(ctx, [(spec, ProtectedAttributesRequest((wanted,), (parameters,))
                               .to_data())])

    return build


# ----------------------------------------------------------------- settings (SETs)


def change_of_tenancy(ctx: BuildContext) -> AccessRequest:
    """ECS12 (3.2): the change of tenancy date, by default now."""
    when = moment(ctx, "ChangeOfTenancyDateTime", ctx.now)
    return dlms_request(ctx, [(AccessRequestSet(1, obis("0-0:94.44.3.2"), 2),
                           axdr.octet_string(cosem_time(when).to_bytes()))])


def clear_privacy_pin(ctx: BuildContext) -> AccessRequest:
    """ECS14 (3.5): an empty privacy PIN disables it."""
    return dlms_request(ctx, [(AccessRequestSet(1, obis("0-0:94.44.3.1"), 2),
                           axdr.octet_string(b""))])


def _whole(ctx: BuildContext, name: str, default: int | None = None) -> int:
    value = ctx.param(name) if default is None else ctx.param(name, default)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TransformError(f"{name} must be a whole number, not {value!r}")
    return value


def power_thresholds(ctx: BuildContext) -> AccessRequest:
    """ECS34 (6.12): the two instantaneous power thresholds (W), low/medium first."""
    low = _whole(ctx, "LowMediumPowerThreshold")
    high = _whole(ctx, "MediumHighPowerThreshold")
    if low > high or high > 0xFFFFFFFF:
        raise TransformError("LowMediumPowerThreshold must not exceed "
                             "MediumHighPowerThreshold (both below 2**32)")
    return dlms_request(ctx, [(AccessRequestSet(21, obis("0-0:16.0.0.255"), 2), axdr.array(
        axdr.double_long_unsigned(low), axdr.double_long_unsigned(high)))])


_BEHAVIOUR_OBJECTS = {"ECS25a": (30, 11), "ECS25a1": (30, 12), "ECS25a2": (30, 13),
                      "ECS25a3": (30, 14), "ECS25b": (33, 11), "ECS25b3": (33, 14)}


def event_behaviours(use_case: str) -> PayloadBuilder:
    """ECS25a/a1/a2/a3/b/b3 (6.22): the behaviour bit map, data item EventBehaviours
    listing the bits (0 = most significant) to set."""
    group, number = _BEHAVIOUR_OBJECTS[use_case]
    spec = AccessRequestSet(1, obis(f"0-{group}:97.98.{number}.255"), 2)

    def build(ctx: BuildContext) -> AccessRequest:
        bits = ctx.param("EventBehaviours")
        if isinstance(bits, str):
            bits = bits.replace(",", " ").split()
        try:
            numbers = {int(bit) for bit in bits}
        except (TypeError, ValueError):
            raise TransformError(f"EventBehaviours {bits!r} are not bit numbers") from None
        if not numbers or not all(0 <= n < EVENT_BEHAVIOUR_BITS for n in numbers):
            raise TransformError(f"EventBehaviours must be bit numbers below "
                                 f"{EVENT_BEHAVIOUR_BITS}")
        value = sum(1 << (EVENT_BEHAVIOUR_BITS - 1 - n) for n in numbers)
        return dlms_request(ctx, [(spec, axdr.bit_string(value, EVENT_BEHAVIOUR_BITS))])

    return build


def boost_association(associated: bool) -> PayloadBuilder:
    """ECS62 (7.9 add, 7.10 remove): which auxiliary switches the boost button drives;
    data item BoostButtonSwitches lists them (by default all five)."""

    def build(ctx: BuildContext) -> AccessRequest:
        wanted = ctx.param("BoostButtonSwitches", BOOST_SWITCHES)
        if isinstance(wanted, str | int):
            wanted = str(wanted).replace(",", " ").split()
        try:
            switches = sorted({int(switch) for switch in wanted})
        except (TypeError, ValueError):
            raise TransformError(f"BoostButtonSwitches {wanted!r} are not switch "
                                 "numbers") from None
        if not switches or not set(switches) <= set(BOOST_SWITCHES):
            raise TransformError("BoostButtonSwitches must be switch numbers 1-5")
        return dlms_request(ctx, [(AccessRequestSet(1, obis(f"0-0:94.44.6.{n}"), 2),
                               axdr.boolean(associated)) for n in switches])

    return build


# ------------------------------------------------------------------ 6.5 voltage

VOLTAGE_LIMITERS = ("RMSExtremeOverVoltage", "RMSExtremeUnderVoltage", "RMSVoltageSag",
                    "RMSVoltageSwell")
"""Limiters 0-0:17.0.1..4.255: data items <name>Threshold (V) and <name>MeasurementPeriod
(s); with RMSOverVoltageThreshold, RMSUnderVoltageThreshold (per phase: suffix Phase2,
Phase3) and AverageRMSVoltageMeasurementPeriod (s), the data items of 6.5."""
_PHASE_SUFFIX = {32: "", 52: "Phase2", 72: "Phase3"}


def _u32(ctx: BuildContext, name: str) -> axdr.Data:
    value = ctx.param(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**32:
        raise TransformError(f"{name} must be a whole number 0..2**32-1, not {value!r}")
    return axdr.double_long_unsigned(value)


def voltage_configuration(phases: tuple[int, ...], *, reset_counters: bool) -> PayloadBuilder:
    """ECS29a (with the counter reset, thresholds after the limiters), ECS29c and ECS29d
    (polyphase; thresholds first, no reset)."""

    def build(ctx: BuildContext) -> AccessRequest:
        thresholds = [
            (AccessRequestSet(1, obis(f"1-0:{c}.{n}.0.4"), 2),
             _u32(ctx, f"RMS{kind}VoltageThreshold{_PHASE_SUFFIX[c]}"))
            for c in phases for n, kind in ((31, "Under"), (35, "Over"))]
        periods = [(AccessRequestSet(7, obis(f"1-0:{c}.24.0.255"), 4),
                    _u32(ctx, "AverageRMSVoltageMeasurementPeriod")) for c in phases]
        limiters = [(AccessRequestSet(71, obis(f"0-0:17.0.{n}.255"), attribute),
                     _u32(ctx, f"{name}{suffix}"))
                    for n, name in enumerate(VOLTAGE_LIMITERS, 1)
                    for attribute, suffix in ((4, "Threshold"), (6, "MeasurementPeriod"))]
        if not reset_counters:
            return dlms_request(ctx, [*thresholds, *periods, *limiters])
        resets = [(AccessRequestAction(3, obis(f"1-0:{c}.{n}.0.4"), 1), axdr.integer(0))
                  for c in phases for n in (32, 36)]
        return dlms_request(ctx, [*periods, *limiters, *reversed(thresholds), *resets])

    return build
