"""Builders of COSEM objects by interface class (DLMS Blue Book attribute layouts).

Each builder lays out the attributes and methods GBCS uses of one interface class with
their A-XDR types and access rights; catalogues call them with an OBIS code, a name, and
where the value is part of typed state, a :class:`Binding` or a method implementation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from firmware_emu.cosem.axdr_types import (
    ANY,
    BOOL,
    DATE,
    DATE_TIME,
    ENUM,
    I8,
    I16,
    I32,
    LOGICAL_NAME,
    OCTETS,
    SCALER_UNIT,
    TIME,
    U8,
    U16,
    U32,
    ArrayOf,
    AxdrType,
    Struct,
    bits,
)
from firmware_emu.cosem.model import (
    Access,
    AccessContext,
    AttributeRef,
    AttributeSpec,
    Binding,
    CosemError,
    Invoker,
    MethodSpec,
    ObjectSpec,
    cosem_object,
    store_value,
)
from gbcs.dlms.axdr import (
    Array,
    Boolean,
    Data,
    DoubleLongUnsigned,
    Enum,
    Integer,
    Long,
    LongUnsigned,
    OctetString,
    Structure,
    Unsigned,
)
from gbcs.dlms.cosem import ObisCode
from gbcs.dlms.xdlms import ActionResult
from gbcs.primitives import CosemDateTime

R, RW = Access.READ, Access.READ_WRITE


def attribute(attribute_id: int, name: str, type_: AxdrType, access: Access = R, *,
              default: Data | None = None, binding: Binding | None = None) -> AttributeSpec:
    return AttributeSpec(attribute_id, name, type_, access, default, binding)


def method(method_id: int, name: str, parameter: AxdrType, invoke: Invoker) -> MethodSpec:
    return MethodSpec(method_id, name, parameter, invoke)


def logical_name(obis_text: str) -> OctetString:
    return OctetString(ObisCode.parse(obis_text).to_bytes())


def date_time_value(moment: datetime) -> OctetString:
    """A device time as GBCS carries it: octet-string(12), clock status not specified."""
    return OctetString(CosemDateTime.from_datetime(moment, clock_status=0xFF).to_bytes())


# -- IC 1 Data, IC 3 Register, IC 4 Extended Register, IC 9000 GBCS Extended Data -----


def data(obis: str, name: str, type_: AxdrType, access: Access = RW, *,
         default: Data | None = None, binding: Binding | None = None) -> ObjectSpec:
    return cosem_object(1, obis, name, [attribute(2, "value", type_, access, default=default,
                                                  binding=binding)])


def _reset_to_zero(class_id: int, obis: str, value_type: AxdrType,
                   also: Callable[[AccessContext], None] | None = None) -> Invoker:
    def reset(access: AccessContext, _parameter: Data) -> None:
        ref = AttributeRef.of(class_id, obis, 2)
        access.model.assign(access, ref, value_type.default())
        if also is not None:
            also(access)

    return reset


def register(obis: str, name: str, *, value_type: AxdrType = U32, scaler: int = 0,
             unit: int = 30, binding: Binding | None = None, access: Access = R) -> ObjectSpec:
    """IC 3; method 1 ``reset`` zeroes the value (a bound value only if it is writable)."""
    methods = [] if binding is not None and binding.write is None else [
        method(1, "reset", ANY, _reset_to_zero(3, obis, value_type))]
    return cosem_object(3, obis, name, [
        attribute(2, "value", value_type, access, binding=binding),
        attribute(3, "scaler_unit", SCALER_UNIT, default=Structure((Integer(scaler),
                                                                    Enum(unit)))),
    ], methods)


def extended_register(obis: str, name: str, *, value_type: AxdrType = U32, scaler: int = 0,
                      unit: int = 27) -> ObjectSpec:
    """IC 4 (maximum demand registers); ``reset`` zeroes the value and stamps the time."""
    def stamp(access: AccessContext) -> None:
        store_value(access.state, AttributeRef.of(4, obis, 5), date_time_value(access.now))

    return cosem_object(4, obis, name, [
        attribute(2, "value", value_type),
        attribute(3, "scaler_unit", SCALER_UNIT, default=Structure((Integer(scaler),
                                                                    Enum(unit)))),
        attribute(4, "status", U8),
        attribute(5, "capture_time", DATE_TIME),
    ], [method(1, "reset", ANY, _reset_to_zero(4, obis, value_type, stamp))])


def extended_data(obis: str, name: str, type_: AxdrType, *, default: Data | None = None,
                  active: Binding | None = None) -> ObjectSpec:
    """IC 9000: an active value, a passive value and the passive value's activation time."""
    return cosem_object(9000, obis, name, [
        attribute(2, "value_active", type_, RW, default=default, binding=active),
        attribute(4, "value_passive", type_, RW, default=default),
        attribute(6, "activation_date_time", DATE_TIME, RW),
    ])


# -- IC 9 Script Table ---------------------------------------------------------------

ScriptRunner = Callable[[AccessContext, int], None]


def script_table(obis: str, name: str, scripts: Mapping[int, Callable[[AccessContext], None]]
                 | ScriptRunner) -> ObjectSpec:
    """IC 9; ``scripts`` maps script ids to what they do, or runs any script id."""
    def execute(access: AccessContext, parameter: Data) -> None:
        script_id = parameter.value
        if callable(scripts):
            scripts(access, script_id)
            return
        run = scripts.get(script_id)
        if run is None:
            raise CosemError(ActionResult.OTHER_REASON, f"{obis} has no script {script_id}")
        run(access)

    listed = () if callable(scripts) else tuple(scripts)
    return cosem_object(9, obis, name, [
        attribute(2, "scripts", ArrayOf(Struct(U16, ArrayOf(Struct(ENUM, U16, OCTETS, I8,
                                                                    ANY)))),
                  default=Array(tuple(Structure((LongUnsigned(i), Array(()))) for i in listed))),
    ], [method(1, "execute", U16, execute)])


# -- IC 10 Schedule, IC 11 Special Days Table, IC 22 Single Action Schedule ----------

SCHEDULE_ENTRY = Struct(U16, BOOL, LOGICAL_NAME, U16, TIME, U16, bits(), bits(), DATE, DATE)


def schedule(obis: str, name: str, script_obis: str, access: Access = RW) -> ObjectSpec:
    entry = Structure((LongUnsigned(1), Boolean(0xFF), logical_name(script_obis),
                       LongUnsigned(1), OctetString(bytes.fromhex("00000000")),
                       LongUnsigned(0xFFFF), bits(7).default(), bits(0).default(),
                       DATE.default(), DATE.default()))
    return cosem_object(10, obis, name, [
        attribute(2, "entries", ArrayOf(SCHEDULE_ENTRY), access, default=Array((entry,))),
    ])


SPECIAL_DAY = Struct(U16, DATE, U8)


def special_days(obis: str, name: str, access: Access = RW) -> ObjectSpec:
    christmas = Structure((LongUnsigned(1), OctetString(bytes.fromhex("FFFF0C19FF")),
                           Unsigned(1)))
    return cosem_object(11, obis, name, [
        attribute(2, "entries", ArrayOf(SPECIAL_DAY), access, default=Array((christmas,))),
    ])


EXECUTION_TIME = Struct(TIME, DATE)


def single_action_schedule(obis: str, name: str, script_obis: str) -> ObjectSpec:
    midnight_first = Structure((OctetString(bytes.fromhex("00000000")),
                                OctetString(bytes.fromhex("FFFFFF01FF"))))
    return cosem_object(22, obis, name, [
        attribute(2, "executed_script", Struct(LOGICAL_NAME, U16),
                  default=Structure((logical_name(script_obis), LongUnsigned(1)))),
        attribute(3, "type", ENUM, default=Enum(1)),
        attribute(4, "execution_time", ArrayOf(EXECUTION_TIME), RW,
                  default=Array((midnight_first,))),
    ])


# -- IC 20 Activity Calendar ---------------------------------------------------------

SEASON = Struct(OCTETS, DATE_TIME, OCTETS)
WEEK = Struct(OCTETS, U8, U8, U8, U8, U8, U8, U8)
DAY_ACTION = Struct(TIME, LOGICAL_NAME, U16)
DAY = Struct(U8, ArrayOf(DAY_ACTION))
CALENDAR_PARTS = ((2, 6, "calendar_name", OCTETS), (3, 7, "season_profile", ArrayOf(SEASON)),
                  (4, 8, "week_profile_table", ArrayOf(WEEK)),
                  (5, 9, "day_profile_table", ArrayOf(DAY)))
"""(active attribute, passive attribute, name, type) of an activity calendar."""


def activity_calendar(obis: str, name: str, tariff_script_obis: str) -> ObjectSpec:
    week_name = OctetString(b"\x01")
    defaults = {
        2: OctetString(b"\x01"),
        3: Array((Structure((OctetString(b"\x01"),
                             OctetString(bytes.fromhex("07D00101FF000000008000FF")),
                             week_name)),)),
        4: Array((Structure((week_name, *(Unsigned(1) for _ in range(7)))),)),
        5: Array((Structure((Unsigned(1), Array((Structure((
            OctetString(bytes.fromhex("00000000")), logical_name(tariff_script_obis),
            LongUnsigned(1))),)))),)),
    }
    attributes = []
    for active, passive, part, type_ in CALENDAR_PARTS:
        attributes.append(attribute(active, f"{part}_active", type_, default=defaults[active]))
        attributes.append(attribute(passive, f"{part}_passive", type_, RW,
                                    default=defaults[active]))
    attributes.append(attribute(10, "activate_passive_calendar_time", DATE_TIME, RW))

    def activate(access: AccessContext, _parameter: Data) -> None:
        for active, passive, _, _ in CALENDAR_PARTS:
            source = AttributeRef.of(20, obis, passive)
            target = AttributeRef.of(20, obis, active)
            access.model.assign(access, target, access.model.current(access, source))

    return cosem_object(20, obis, name, attributes,
                        [method(1, "activate_passive_calendar", ANY, activate)])


# -- IC 21 Register Monitor, IC 71 Limiter -------------------------------------------

MONITORED_VALUE = Struct(U16, LOGICAL_NAME, I8)
ACTION_SET = Struct(Struct(LOGICAL_NAME, U16), Struct(LOGICAL_NAME, U16))


def register_monitor(obis: str, name: str, monitored: tuple[int, str, int], *,
                     thresholds: tuple[int, ...] = (0xFFFFFFFF,)) -> ObjectSpec:
    class_id, monitored_obis, attribute_id = monitored
    return cosem_object(21, obis, name, [
        attribute(2, "thresholds", ArrayOf(U32), RW,
                  default=Array(tuple(DoubleLongUnsigned(t) for t in thresholds))),
        attribute(3, "monitored_value", MONITORED_VALUE,
                  default=Structure((LongUnsigned(class_id), logical_name(monitored_obis),
                                     Integer(attribute_id)))),
    ])


def limiter(obis: str, name: str, monitored: tuple[int, str, int]) -> ObjectSpec:
    class_id, monitored_obis, attribute_id = monitored
    return cosem_object(71, obis, name, [
        attribute(2, "monitored_value", MONITORED_VALUE,
                  default=Structure((LongUnsigned(class_id), logical_name(monitored_obis),
                                     Integer(attribute_id)))),
        attribute(3, "threshold_active", U32),
        attribute(4, "threshold_normal", U32, RW),
        attribute(5, "threshold_emergency", U32, RW),
        attribute(6, "min_over_threshold_duration", U32, RW),
        attribute(7, "min_under_threshold_duration", U32, RW),
    ])


# -- IC 111 Account, IC 112 Credit, IC 113 Charge, IC 115 Token Gateway --------------

UNIT_CHARGE = Struct(Struct(I8, I8), Struct(U16, LOGICAL_NAME, I8),
                     ArrayOf(Struct(OCTETS, I16)))
CREDIT_CHARGE = Struct(LOGICAL_NAME, LOGICAL_NAME, bits())


def account(obis: str, name: str, *, mode: Binding, available_credit: Binding,
            aggregated_debt: Binding) -> ObjectSpec:
    return cosem_object(111, obis, name, [
        attribute(2, "account_mode_and_status", Struct(ENUM, ENUM), RW, binding=mode),
        attribute(5, "available_credit", I32, binding=available_credit),
        attribute(8, "aggregated_debt", I32, binding=aggregated_debt),
        attribute(11, "credit_charge_configuration", ArrayOf(CREDIT_CHARGE), RW),
        attribute(13, "account_activation_time", DATE_TIME, RW),
    ])


def credit(obis: str, name: str, *, amount: Binding, credit_type: int,
           methods: Mapping[int, tuple[str, AxdrType, Invoker]]) -> ObjectSpec:
    return cosem_object(112, obis, name, [
        attribute(2, "current_credit_amount", I32, binding=amount),
        attribute(3, "credit_type", ENUM, default=Enum(credit_type)),
        attribute(4, "priority", U8),
    ], [method(i, n, p, f) for i, (n, p, f) in methods.items()])


def charge(obis: str, name: str, commodity_obis: str) -> ObjectSpec:
    price = Structure((Structure((Integer(0), Integer(-5))),
                       Structure((LongUnsigned(3), logical_name(commodity_obis), Integer(2))),
                       Array((Structure((OctetString(b"\x01"), Long(2862))),))))
    return cosem_object(113, obis, name, [
        attribute(5, "unit_charge_active", UNIT_CHARGE, default=price),
        attribute(6, "unit_charge_passive", UNIT_CHARGE, RW, default=price),
        attribute(7, "unit_charge_activation_time", DATE_TIME, RW),
    ])


def token_gateway(obis: str, name: str, enter: Invoker) -> ObjectSpec:
    return cosem_object(115, obis, name, [
        attribute(2, "token", OCTETS),
        attribute(3, "token_time", DATE_TIME),
    ], [method(1, "enter", OCTETS, enter)])


# -- IC 70 Disconnect Control --------------------------------------------------------


def disconnect_control(obis: str, name: str, *, output_state: Binding,
                       control_state: Binding | None = None,
                       disconnect: Invoker | None = None,
                       reconnect: Invoker | None = None) -> ObjectSpec:
    attributes = [attribute(2, "output_state", BOOL, binding=output_state)]
    if control_state is not None:
        attributes += [attribute(3, "control_state", ENUM, binding=control_state),
                       attribute(4, "control_mode", ENUM, RW, default=Enum(1))]
    methods = []
    if disconnect is not None:
        methods.append(method(1, "remote_disconnect", ANY, disconnect))
    if reconnect is not None:
        methods.append(method(2, "remote_reconnect", ANY, reconnect))
    return cosem_object(70, obis, name, attributes, methods)

