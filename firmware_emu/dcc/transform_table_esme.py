"""Transform rows of the ESME's reads, logs and settings (SR01's electricity SRVs and the
other ESME SRVs of the master table). Object lists follow the RTDS commands of each use
case; where RTDS has none (ECS17c, ECS17e, ECS24, ECS25r1, ECS26a, ECS26c, ECS26j, ECS34,
ECS62 remove, ECS61e) they follow the primer's object table (§8.2) and the sibling use case
(ECS61e: the controllers' output states as ECS61a reads them, and the
auxiliary switch event log over the data items' time range as ECS61c reads its log)."""

from __future__ import annotations

from firmware_emu.dcc.transform_auxiliary import (
    APC_LIMIT_SCRIPTS,
    AUX_SWITCH_SCRIPTS,
    RESET,
    SET_ON,
    auxiliary_load,
    controller_state,
    maximum_demand_period,
)
from firmware_emu.dcc.transform_billing import esme_billing_calendar, monthly
from firmware_emu.dcc.transform_calendars import (
    auxiliary_calendar,
    controller_script,
    switch_script,
)
from firmware_emu.dcc.transform_conditions import (
    NETWORK_OPERATORS,
    SUPPLIERS,
    all_of,
    gbcs_v1,
    parameter,
    polyphase,
)
from firmware_emu.dcc.transform_dlms import protected_read, range_read
from firmware_emu.dcc.transform_dlms_esme import (
    action,
    boost_association,
    change_of_tenancy,
    clear_privacy_pin,
    event_behaviours,
    gets,
    items,
    power_thresholds,
    protected_range_read,
    ranged,
    voltage_configuration,
)
from firmware_emu.dcc.transform_payment import payment_mode, prepayment_configuration
from firmware_emu.dcc.transform_prices import update_prices
from firmware_emu.dcc.transform_rows import CommandRow, Originator, row
from firmware_emu.dcc.transform_settings import (
    MONEY_UNITS_PER_PENNY,
    act,
    call,
    daily_time,
    flag,
    number,
    passive_settings,
    put,
    reset_maximum_demand,
    text,
)
from firmware_emu.dcc.transform_tariff import update_secondary_tariff, update_tariff
from gbcs.dlms import axdr

_ALCS_LOG = parameter("LogToClear", "ALCSEventLog")
_ACB_FOR_USER = Originator.ACB_FOR_USER
_RESET_BALANCES = parameter("ResetMeterBalance", True, "true")
TARIFF_BLOCK_RESET_SCRIPT = 99  # script of the ESME's tariff block counter reset table
_CREDITS = ("0-0:19.10.0.255", "0-0:19.10.1.255", "0-0:19.10.2.255")  # balance, EC, debt
_PHASE_GROUPS = (32, 52, 72)


def _network_data(phases: tuple[int, ...]):
    """ECS23 / ECS23b: RMS voltage counters and the average RMS voltage profile per phase."""
    makers = []
    for c in phases:
        makers += gets((3, f"1-0:{c}.32.0.4", 2), (3, f"1-0:{c}.32.0.4", 3),
                       (3, f"1-0:{c}.36.0.4", 2), (3, f"1-0:{c}.36.0.4", 3))
        makers += [ranged(7, f"1-0:{c}.24.0.255"), *gets((7, f"1-0:{c}.24.0.255", 4))]
    return items(*makers)


def _voltage_configuration(phases: tuple[int, ...]):
    """ECS26b / ECS26k: voltage limiters and the RMS voltage thresholds."""
    limiters = [spec for n in range(1, 5)
                for spec in ((71, f"0-0:17.0.{n}.255", 4), (71, f"0-0:17.0.{n}.255", 6))]
    thresholds = [(1, "1-0:32.35.0.4", 2), (1, "1-0:32.31.0.4", 2)]
    for c in phases[1:]:
        thresholds += [(1, f"1-0:{c}.31.0.4", 2), (1, f"1-0:{c}.35.0.4", 2)]
    return items(*gets(*limiters, *thresholds))


_MONEY_SETTINGS = ("0-0:94.44.128.2", "0-0:94.44.128.3", "0-0:94.44.128.9",
                   "0-0:94.44.128.13", "0-0:94.44.128.22", "0-0:94.44.2.10",
                   "0-0:94.44.2.20", "0-0:94.44.128.12")
_SUPPLIER_BEHAVIOURS = (("ECS25a", 0x00AC, (None, "Alert")), ("ECS25a1", 0x00EA, ("HANDevice",)),
                        ("ECS25a2", 0x00EB, ("Audible",)), ("ECS25a3", 0x00EC, ("Logging",)))
_NETWORK_BEHAVIOURS = (("ECS25b", 0x00B0, (None, "Alert")), ("ECS25b3", 0x00ED, ("Logging",)))

ESME_ROWS: tuple[CommandRow, ...] = (
    # consumer-facing settings and logs
    row("3.2", "ESME", "ECS12", 0x0022, change_of_tenancy),
    row("3.3", "ESME", "ECS15c", 0x00C1, action(7, "0-17:99.98.2.255", 1, axdr.integer(0)),
        when=_ALCS_LOG),
    row("3.3", "ESME", "ECS15a", 0x0024, action(7, "0-0:99.98.0.255", 1, axdr.integer(0))),
    row("3.5", "ESME", "ECS14", 0x0023, clear_privacy_pin),
    # registers and prepayment values
    row("4.1.2", "ESME", "ECS17d", 0x0029,
        protected_read("0-0:43.2.9.255", (1, "0-0:94.44.34.1", 2))),
    row("4.1.3", "ESME", "ECS17e", 0x002A,
        protected_read("0-0:43.2.10.255", (1, "0-0:94.44.34.2", 2))),
    row("4.3", "ESME", "ECS19", 0x002D,
        protected_read("0-0:43.2.1.255", (1, "0-0:94.44.34.30", 2))),
    row("4.16", "ESME", "ECS17c", 0x0028,
        items(*gets((3, "1-0:1.7.0.255", 2), (3, "1-0:1.7.0.255", 3)))),
    # billing data logs, daily logs and profiles
    row("4.4.2", "ESME", "ECS20b", 0x002F,
        protected_range_read("0-0:43.2.3.255", "0-0:98.1.2.255", days=150)),
    row("4.4.3", "ESME", "ECS20c", 0x0030,
        protected_range_read("0-0:43.2.2.255", "0-0:98.1.1.255", days=400)),
    row("4.4.4", "ESME", "ECS20a", 0x002E, range_read(7, "0-0:98.1.4.255", days=30)),
    row("4.4.5", "ESME", "ECS20d", 0x00C9, range_read(7, "0-0:98.1.5.255", days=30)),
    row("4.6.1", "ESME", "ECS21a", 0x0033,
        protected_range_read("0-0:43.2.5.255", "0-0:98.1.9.255", days=2)),
    row("4.14", "ESME", "ECS21b", 0x0034,
        protected_range_read("0-0:43.2.6.255", "0-0:98.1.8.255", days=7)),
    row("4.17", "ESME", "ECS66", 0x0060,
        protected_range_read("0-0:43.2.4.255", "0-0:99.1.3.255", days=7)),
    row("4.8.1", "ESME", "ECS22b", 0x0037,
        protected_range_read("0-0:43.2.7.255", "0-0:99.1.0.255", days=1)),
    row("4.8.2", "ESME", "ECS22c", 0x0038, range_read(7, "0-0:99.1.2.255", days=1)),
    row("4.10", "ESME", "ECS23b", 0x00BC, _network_data(_PHASE_GROUPS), when=polyphase),
    row("4.10", "ESME", "ECS23", 0x0039, _network_data(_PHASE_GROUPS[:1])),
    # tariff, prepayment and load limit configuration
    row("4.11.1", "ESME", "ECS24", 0x003A, items(*gets(
        (113, "0-0:19.20.0.255", 5), (113, "0-0:19.20.4.255", 5),
        *((21, f"0-0:16.1.{11 + n}.255", 2) for n in range(8)),
        (11, "0-0:11.0.0.255", 2), (20, "0-0:13.0.0.255", 3), (20, "0-0:13.0.0.255", 4),
        (20, "0-0:13.0.0.255", 5), (9000, "0-0:94.44.2.0", 2)))),
    row("4.11.2", "ESME", "ECS24b", 0x00BD, items(*gets(
        (113, "0-0:19.20.5.255", 5), (3, "0-0:94.44.1.8", 2), (3, "0-0:94.44.1.8", 3),
        (11, "0-0:11.0.1.255", 2), (20, "0-0:13.0.1.255", 3), (20, "0-0:13.0.1.255", 4),
        (20, "0-0:13.0.1.255", 5)))),
    row("4.13", "ESME", "ECS26a", 0x003B,
        items(*gets(*((9000, name, 2) for name in _MONEY_SETTINGS)))),
    row("4.15", "ESME", "ECS27", 0x0042, items(*gets(
        (9000, "0-0:94.44.0.3", 2), (3, "0-0:94.44.42.255", 2), (3, "0-0:94.44.42.255", 3),
        (71, "0-0:17.0.0.255", 4), (71, "0-0:17.0.0.255", 6), (71, "0-0:17.0.0.255", 7)))),
    # device configuration reads
    row("6.2.1", "ESME", "ECS26k", 0x00C6, _voltage_configuration(_PHASE_GROUPS),
        when=polyphase),
    row("6.2.1", "ESME", "ECS26b", 0x003C, _voltage_configuration(_PHASE_GROUPS[:1])),
    row("6.2.2", "ESME", "ECS26c", 0x003D, items(*gets((1, "0-0:94.44.0.1", 2)))),
    row("6.2.9", "ESME", "ECS26j", 0x00BE, items(*gets((111, "0-1:19.0.0.255", 2)))),
    row("6.2.10", "ESME", "ECS25r1", 0x00EE, items(*gets(
        *((1, f"0-30:97.98.{n}.255", 2) for n in range(15, 19)))), when=SUPPLIERS),
    # device configuration updates
    row("6.4.2", "ESME", "ECS28b", 0x0044, action(3, "0-0:94.44.42.255", 1, axdr.integer(0))),
    row("6.12", "ESME", "ECS34", 0x0047, power_thresholds),
    row("6.5", "ESME", "ECS29d", 0x00D2, voltage_configuration(_PHASE_GROUPS, reset_counters=False),
        when=polyphase),
    row("6.5", "ESME", "ECS29a", 0x0045,
        voltage_configuration(_PHASE_GROUPS[:1], reset_counters=True),
        when=parameter("ResetRMSVoltageCounters", True, "true")),
    row("6.5", "ESME", "ECS29c", 0x00D1,
        voltage_configuration(_PHASE_GROUPS[:1], reset_counters=False)),
    *(row("6.22", "ESME", use_case, code, event_behaviours(use_case),
          when=all_of(SUPPLIERS, parameter("EventBehaviourType", *kinds)))
      for use_case, code, kinds in _SUPPLIER_BEHAVIOURS),
    *(row("6.22", "ESME", use_case, code, event_behaviours(use_case),
          when=all_of(NETWORK_OPERATORS, parameter("EventBehaviourType", *kinds)))
      for use_case, code, kinds in _NETWORK_BEHAVIOURS),
    # auxiliary load control
    row("7.7", "ESME", "ECS61a", 0x00BB, items(*gets(
        *((1, f"0-0:94.44.0.{n}", 2) for n in (11, 12, 13, 14, 15, 21, 22, 23, 24, 25)),
        (11, "0-0:11.0.3.255", 2), (10, "0-0:12.0.2.255", 2),
        *((70, f"0-{n}:96.3.10.255", 2) for n in range(1, 6))))),
    row("6.14.2", "ESME", "ECS46c", 0x0054, auxiliary_calendar(switch_script, han_devices=True),
        future_dated=True),
    row("6.14.3", "ESME", "ECS46d", 0x011A,
        auxiliary_calendar(controller_script, han_devices=False), future_dated=True),
    row("7.5", "ESME", "ECS47", 0x0055, auxiliary_load(SET_ON)),
    row("7.8", "ESME", "ECS47", 0x0055, auxiliary_load(RESET)),
    row("7.13", "ESME", "ECS47a", 0x011E, controller_state(AUX_SWITCH_SCRIPTS, 1, 0)),
    row("7.16", "ESME", "ECS47e", 0x011F, controller_state(APC_LIMIT_SCRIPTS, 3, 100)),
    row("7.9", "ESME", "ECS62", 0x005F, boost_association(True)),
    row("7.10", "ESME", "ECS62", 0x005F, boost_association(False)),
    row("7.11", "ESME", "ECS61c", 0x005E, items(
        *gets((1, "0-0:94.44.7.255", 2)), ranged(7, "0-0:99.98.20.255", days=7),
        *gets(*((1, f"0-0:94.44.6.{n}", 2) for n in range(1, 6))))),
    row("7.15", "ESME", "ECS61e", 0x011D, items(
        *gets(*((70, f"0-{n}:96.3.10.255", 2) for n in range(1, 6))),
        ranged(7, "0-17:99.98.2.255", days=7))),
    row("7.14", "ESME", "ECS61d", 0x011C, items(*gets(
        *((1, f"0-0:94.44.0.{n}", 2) for n in range(11, 16)),
        (11, "0-0:11.0.3.255", 2), (10, "0-0:12.0.2.255", 2))), originator=_ACB_FOR_USER),
    # export and maximum demand reads
    row("4.6.2", "ESME", "ECS21c", 0x0035, range_read(7, "0-0:98.1.10.255", days=31),
        originator=_ACB_FOR_USER),
    row("4.8.3", "ESME", "ECS22a", 0x0036, range_read(7, "0-0:99.1.1.255", days=1)),
    row("4.12.1", "ESME", "ECS18b", 0x002C, items(*gets(
        (1, "0-0:94.44.5.0", 2), (1, "0-0:94.44.5.1", 2),
        *((4, name, attribute) for name in ("1-0:1.6.0.255", "1-0:1.6.1.255")
          for attribute in (2, 3, 5)), (10, "0-0:12.0.0.255", 2)))),
    row("6.18.1", "ESME", "ECS37", 0x004A, maximum_demand_period),
    row("6.18.2", "ESME", "ECS57", 0x005A, reset_maximum_demand),
    row("6.27", "ESME", "ECS29f", 0x00D4, items(*(
        call(3, f"1-0:{c}.{n}.0.4", 1, axdr.integer(0)) for c in _PHASE_GROUPS
        for n in (32, 36))), when=polyphase),
    row("6.27", "ESME", "ECS29e", 0x00D3, items(*(
        call(3, f"1-0:32.{n}.0.4", 1, axdr.integer(0)) for n in (32, 36)))),
    row("3.4", "ESME", "ECS16", 0x0025, items(
        put(9000, "0-0:96.13.0.255", 2, text("SupplierTelephoneNumber")),
        put(9000, "0-0:96.13.1.255", 2, text("SupplierName")))),
    # critical settings (CV4 -> PRECOMMAND -> CV5)
    row("1.5", "ESME", "ECS04b", 0x00B3, items(*(
        call(112, name, 2, axdr.double_long(0)) for name in _CREDITS)), when=_RESET_BALANCES),
    row("1.5", "ESME", "ECS04a", 0x001C, items(act(112, _CREDITS[0], 1, number(
        "MeterBalanceAdjustment", axdr.double_long, MONEY_UNITS_PER_PENNY)))),
    row("1.6", "ESME", "ECS02", 0x001A, payment_mode(prepayment=False),
        when=parameter("PaymentMode", "Credit"), future_dated=True),
    row("1.6", "ESME", "ECS03", 0x001B, payment_mode(prepayment=True),
        when=parameter("PaymentMode", "Prepayment"), future_dated=True),
    row("2.1", "ESME", "ECS08", 0x001F, prepayment_configuration(2), when=gbcs_v1,
        future_dated=True),
    row("2.1", "ESME", "ECS08a", 0x00DE, prepayment_configuration(4), future_dated=True),
    row("1.7", "ESME", "ECS05", 0x001D, items(
        call(9, "0-0:10.0.100.255", 1, axdr.long_unsigned(TARIFF_BLOCK_RESET_SCRIPT)))),
    row("2.5", "ESME", "ECS09", 0x0020, items(call(112, _CREDITS[1], 3, axdr.integer(0)))),
    row("6.25", "ESME", "ECS81", 0x0068, items(
        put(1, "0-0:94.44.0.4", 2, flag("SupplyTamperState", "Locked", "Unlocked")))),
    row("6.26", "ESME", "ECS48", 0x00DB, items(
        put(22, "0-0:15.1.0.255", 4, daily_time("DailyResetTime")))),
    row("1.1.1", "ESME", "ECS01a", 0x0019, update_tariff, future_dated=True),
    row("1.1.2", "ESME", "ECS01c", 0x00B7, update_secondary_tariff, future_dated=True),
    row("1.2.1", "ESME", "ECS01b", 0x00A2, update_prices(secondary=False), future_dated=True),
    row("1.2.2", "ESME", "ECS01d", 0x00C7, update_prices(secondary=True), future_dated=True),
    row("6.4.1", "ESME", "ECS28a", 0x0043, passive_settings(
        ("LoadLimitSupplyState", "0-0:94.44.0.3", axdr.boolean),
        ("LoadLimitPowerThreshold", "0-0:94.44.128.7", axdr.double_long_unsigned),
        ("LoadLimitPeriod", "0-0:94.44.128.6", axdr.double_long_unsigned),
        ("LoadLimitRestorationPeriod", "0-0:94.44.128.8", axdr.double_long_unsigned)),
        future_dated=True),
    row("6.8", "ESME", "ECS30", 0x0046, esme_billing_calendar, when=monthly),
    row("6.8", "ESME", "ECS30a", 0x00D7, esme_billing_calendar),
    row("7.12", "ESME", "ECS38", 0x004B, items(
        put(1, "0-0:94.44.0.1", 2, number("RandomisedOffsetLimit", axdr.long_unsigned)))),
)
