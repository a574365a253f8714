"""ESME configuration objects: supply and load switch, voltage quality, load limiting,
event behaviours, MPANs, supplier contact, calendars, boost button and the auxiliary
load control switches and proportional controllers (also all an SAPC has)."""

from __future__ import annotations

from firmware_emu.cosem import metering as m
from firmware_emu.cosem.axdr_types import (
    BOOL,
    DATE_TIME,
    ENUM,
    OCTETS,
    U16,
    U32,
    OneOf,
    Struct,
    bits,
    octets,
    visible,
)
from firmware_emu.cosem.interface_classes import (
    RW,
    R,
    data,
    disconnect_control,
    extended_data,
    limiter,
    register,
    register_monitor,
    schedule,
    script_table,
    single_action_schedule,
    special_days,
)
from firmware_emu.cosem.model import (
    AccessContext,
    ActivationLink,
    AttributeRef,
    Binding,
    ObjectSpec,
    store_value,
    stored_value,
)
from firmware_emu.cosem.profiles import Profile, profile_object
from firmware_emu.state import SupplyState
from gbcs.dlms.axdr import Boolean, LongUnsigned, VisibleString

PHASES = (32, 52, 72)
"""OBIS C groups of the phase 1, 2 and 3 voltage objects."""
AUX_SWITCHES = range(1, 6)
AUX_SWITCH_SCRIPTS = "0-0:10.0.103.255"
APC_LIMIT_SCRIPTS = "0-0:10.0.107.255"
AUX_CALENDAR, AUX_SPECIAL_DAYS = "0-0:12.0.2.255", "0-0:11.0.3.255"
_IMPORT_MPAN = AttributeRef.of(1, "0-0:94.44.34.11", 2)


def _record_script(obis: str):
    """Auxiliary switch and APC scripts: the emulator keeps the last instruction executed
    (the switching itself happens on the load side, which it does not model)."""
    def run(access: AccessContext, script_id: int) -> None:
        store_value(access.state, AttributeRef.of(9, obis, 1, method=True),
                    LongUnsigned(script_id))

    return run


def supply_objects() -> list[ObjectSpec]:
    return [
        disconnect_control("0-0:96.3.10.255", "Load switch", output_state=m.SUPPLY_OUTPUT,
                           control_state=m.SUPPLY_CONTROL_STATE,
                           disconnect=lambda a, _: m.set_supply(a, SupplyState.DISABLED),
                           reconnect=lambda a, _: m.set_supply(a, SupplyState.ARMED)),
        script_table("0-0:10.0.106.255", "Disconnect control scripts", m.DISCONNECT_SCRIPTS),
        data("0-0:94.44.0.4", "Supply tamper state", BOOL),
        extended_data("0-0:94.44.0.3", "Load limit supply state", BOOL),
        *(extended_data(f"0-0:94.44.128.{n}", name, U32)
          for n, name in ((6, "Load limit period"), (7, "Load limit power threshold"),
                          (8, "Load limit restoration period"))),
        register("0-0:94.44.42.255", "Load limit counter", unit=255),
        limiter("0-0:17.0.0.255", "Load limiter", (3, "1-0:1.7.0.255", 2)),
        register_monitor("0-0:16.0.0.255", "Instantaneous power thresholds",
                         (3, "1-0:1.7.0.255", 2), thresholds=(6000, 10000)),
    ]


def voltage_objects() -> list[ObjectSpec]:
    objects: list[ObjectSpec] = []
    for c in PHASES:
        phase = {32: "", 52: " phase 2", 72: " phase 3"}[c]
        objects += [
            data(f"1-0:{c}.31.0.4", f"RMS under-voltage threshold{phase}", U32),
            data(f"1-0:{c}.35.0.4", f"RMS over-voltage threshold{phase}", U32),
            register(f"1-0:{c}.32.0.4", f"RMS under-voltage counter{phase}", unit=255),
            register(f"1-0:{c}.36.0.4", f"RMS over-voltage counter{phase}", unit=255),
            profile_object(Profile(f"1-0:{c}.24.0.255", Struct(U32, U32), 17520),
                           f"Average RMS voltage profile{phase}", capture_period=1800),
        ]
    objects += [limiter(f"0-0:17.0.{n}.255", f"Voltage limiter {n}", (3, "1-0:32.7.0.255", 2))
                for n in range(1, 5)]
    return objects


def identification_objects() -> list[ObjectSpec]:
    return [
        data("0-0:94.44.34.11", "Import MPAN", OCTETS, binding=m.import_mpan(_IMPORT_MPAN)),
        data("1-0:0.0.2.255", "Export MPAN", OCTETS, binding=m.EXPORT_MPAN),
        extended_data("0-0:96.13.0.255", "Supplier telephone", OCTETS,
                      active=m.supplier_contact("telephone")),
        extended_data("0-0:96.13.1.255", "Supplier name", OCTETS,
                      active=m.supplier_contact("name")),
        data("0-2:96.13.1.255", "Message to consumer", OCTETS),
        data("0-0:94.44.3.1", "Privacy PIN", OCTETS),
        data("0-0:94.44.3.2", "Change of tenancy date", DATE_TIME),
        data("0-0:94.44.0.1", "Randomised offset limit", U16),
    ]


def event_behaviour_objects() -> list[ObjectSpec]:
    """ECS25: event and alert behaviour bit maps of the supplier (B=30) and the network
    operator (B=33); 11-14 are written, 15-18 read back."""
    return [data(f"0-{b}:97.98.{n}.255", f"Event behaviours {b}/{n}",
                 bits(512 if n <= 14 else 256), RW if n <= 14 else R)
            for b in (30, 33) for n in range(11, 19)]


def calendar_objects() -> list[ObjectSpec]:
    return [
        schedule("0-0:12.0.0.255", "Maximum demand configurable time periods",
                 "0-0:10.0.1.255"),
        schedule("0-0:12.0.1.255", "Non-disablement calendar", "0-0:10.0.104.255", R),
        schedule("0-1:12.0.1.255", "Non-disablement calendar (passive)", "0-0:10.0.104.255"),
        special_days("0-0:11.0.2.255", "Non-disablement special days", R),
        special_days("0-1:11.0.2.255", "Non-disablement special days (passive)"),
        single_action_schedule("0-0:15.0.0.255", "Billing calendar", "0-0:10.0.1.255"),
        single_action_schedule("0-0:15.1.0.255", "Tariff block counter daily reset",
                               "0-0:10.0.100.255"),
    ]


def boost_objects() -> list[ObjectSpec]:
    return [
        data("0-0:94.44.7.255", "Boost button active", BOOL, R),
        *(data(f"0-0:94.44.6.{n}", f"Boost button controls switch {n}", BOOL)
          for n in AUX_SWITCHES),
        profile_object(Profile("0-0:99.98.20.255", Struct(U32, U32), 100),
                       "Boost button event log"),
        profile_object(Profile("0-0:99.98.4.255", Struct(U32, U16, U32), 100),
                       "Power event log"),
    ]


def auxiliary_control_objects() -> list[ObjectSpec]:
    """ALCS / HC ALCS / APC: labels, associated devices, states, calendars, scripts."""
    return [
        *(data(f"0-0:94.44.0.{10 + n}", f"Auxiliary switch {n} label", visible(),
               default=VisibleString(f"Auxiliary switch {n}")) for n in AUX_SWITCHES),
        *(data(f"0-0:94.44.0.{20 + n}", f"Auxiliary switch {n} HAN device", octets(8))
          for n in AUX_SWITCHES),
        *(disconnect_control(f"0-{n}:96.3.10.255", f"Auxiliary switch {n} state",
                             output_state=_aux_state(n)) for n in AUX_SWITCHES),
        schedule(AUX_CALENDAR, "Auxiliary controller calendar", AUX_SWITCH_SCRIPTS, R),
        schedule("0-1:12.0.2.255", "Auxiliary controller calendar (passive)",
                 AUX_SWITCH_SCRIPTS),
        special_days(AUX_SPECIAL_DAYS, "Auxiliary controller special days", R),
        special_days("0-1:11.0.3.255", "Auxiliary controller special days (passive)"),
        extended_data("0-0:94.44.128.26", "Auxiliary controller calendar activation", OCTETS),
        extended_data("0-0:94.44.128.35", "Auxiliary controller special days activation",
                      OCTETS),
        script_table(AUX_SWITCH_SCRIPTS, "Auxiliary switch scripts",
                     _record_script(AUX_SWITCH_SCRIPTS)),
        script_table(APC_LIMIT_SCRIPTS, "APC level limit scripts",
                     _record_script(APC_LIMIT_SCRIPTS)),
        data("0-0:94.44.117.1", "Auxiliary switch instruction start", OneOf(DATE_TIME, U16)),
        data("0-0:94.44.117.2", "Auxiliary switch instruction end", DATE_TIME),
        *(data(f"0-0:94.44.{c}.{n}", f"APC {kind} time {n}", DATE_TIME)
          for c, kind in ((119, "input"), (121, "output")) for n in range(1, 5)),
        profile_object(Profile("0-17:99.98.2.255", Struct(U32, U16, ENUM, U32), 100),
                       "Auxiliary switch event log"),
    ]


def _aux_state(switch: int) -> Binding:
    ref = AttributeRef.of(70, f"0-{switch}:96.3.10.255", 2)
    return Binding(lambda a: stored_value(a.state, ref, Boolean(0x00)))


AUXILIARY_ACTIVATIONS = (
    ActivationLink(AttributeRef.of(9000, "0-0:94.44.128.26", 6),
                   ((AttributeRef.of(10, "0-1:12.0.2.255", 2),
                     AttributeRef.of(10, AUX_CALENDAR, 2)),)),
    ActivationLink(AttributeRef.of(9000, "0-0:94.44.128.35", 6),
                   ((AttributeRef.of(11, "0-1:11.0.3.255", 2),
                     AttributeRef.of(11, AUX_SPECIAL_DAYS, 2)),)),
)


def configuration_objects() -> list[ObjectSpec]:
    return [*supply_objects(), *voltage_objects(), *identification_objects(),
            *event_behaviour_objects(), *calendar_objects(), *boost_objects(),
            *auxiliary_control_objects()]
