"""ESME attributes and methods that are views of ``MeteringState``: supply (load switch),
energy registers, prepayment credit, payment mode, MPANs, supplier contact, UTRN top-up.

Money crosses the wire in units of 10^-5 GBP (the price scaler of the GBCS charge
objects), i.e. :data:`MONEY_UNITS_PER_PENNY` per penny of the typed state.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography import x509

from firmware_emu.cosem.dlms_alerts import generic_alert
from firmware_emu.cosem.model import (
    AccessContext,
    AttributeRef,
    Binding,
    CosemError,
    store_value,
    stored_value,
)
from firmware_emu.state import (
    CellUsage,
    MeteringError,
    MeteringState,
    PaymentMode,
    RemotePartyRole,
    StateError,
    SupplierContact,
    SupplyState,
    TrustAnchorKeyUsage,
)
from gbcs.crypto import KeyUsage, ecdh_shared_secret, parse_utrn, verify_utrn
from gbcs.dlms.axdr import (
    Array,
    Boolean,
    Data,
    DoubleLong,
    DoubleLongUnsigned,
    Enum,
    Integer,
    OctetString,
    Structure,
)
from gbcs.dlms.xdlms import ActionResult, DataAccessResult
from gbcs.errors import DecodeError, GbcsError

MONEY_UNITS_PER_PENNY = 1000
ALERT_SUPPLY_ARMED = 0x8F32
WH, VARH = 30, 32  # DLMS units
TOU_REGISTERS, SECONDARY_TOU_REGISTERS = 48, 4

_CONTROL_STATES = {SupplyState.DISABLED: 0, SupplyState.ENABLED: 1, SupplyState.ARMED: 2}
_PAYMENT_MODES = {PaymentMode.CREDIT: 1, PaymentMode.PREPAYMENT: 2}


def metering(access: AccessContext) -> MeteringState:
    found = getattr(access.state, "metering", None)
    if found is None:
        raise CosemError(DataAccessResult.OBJECT_UNAVAILABLE, "this device does not meter")
    return found


def money(pence: int) -> DoubleLong:
    return DoubleLong(max(-2**31, min(2**31 - 1, pence * MONEY_UNITS_PER_PENNY)))


def pence(value: Data) -> int:
    return int(value.value / MONEY_UNITS_PER_PENNY)


def _checked(change: Callable[[], None], result: int = ActionResult.OTHER_REASON) -> None:
    try:
        change()
    except (MeteringError, StateError) as error:
        raise CosemError(result, str(error)) from None


# -- supply --------------------------------------------------------------------------


def set_supply(access: AccessContext, supply: SupplyState) -> None:
    meter = metering(access)
    if meter.supply is supply:
        return
    meter.supply = supply
    if supply is SupplyState.ARMED:
        access.once_done("supply-armed", lambda a: generic_alert(ALERT_SUPPLY_ARMED, a.now,
                                                                 critical=True))


SUPPLY_OUTPUT = Binding(lambda a: Boolean(0xFF if metering(a).supply is SupplyState.ENABLED
                                          else 0x00))
SUPPLY_CONTROL_STATE = Binding(lambda a: Enum(_CONTROL_STATES[metering(a).supply]))
DISCONNECT_SCRIPTS: dict[int, Callable[[AccessContext], None]] = {
    51: lambda a: set_supply(a, SupplyState.ENABLED),  # ECS42 close the load switch
    52: lambda a: set_supply(a, SupplyState.DISABLED),  # ECS43 open the load switch
    53: lambda a: set_supply(a, SupplyState.ARMED),  # ECS44 arm the load switch
}


# -- energy registers ----------------------------------------------------------------

IMPORT_ENERGY = Binding(lambda a: DoubleLongUnsigned(
    metering(a).registers.import_energy_wh & 0xFFFFFFFF))
EXPORT_ENERGY = Binding(lambda a: DoubleLongUnsigned(
    metering(a).registers.export_energy_wh & 0xFFFFFFFF))


def _scaler_unit(unit: int) -> Structure:
    return Structure((Integer(0), Enum(unit)))


def _energy_registers(access: AccessContext) -> Data:
    """ECS17b: active and reactive import (and the secondary element's active import)."""
    registers = metering(access).registers
    values = [DoubleLongUnsigned(registers.import_energy_wh & 0xFFFFFFFF), _scaler_unit(WH),
              DoubleLongUnsigned(0), _scaler_unit(VARH)]
    if access.state.identity.variant.twin_element:
        values.append(DoubleLongUnsigned(0))
    return Structure(tuple(values))


def _tou_registers(access: AccessContext) -> Data:
    """ECS17d: the 48 TOU registers (and the secondary element's four)."""
    tou = metering(access).registers.tou_import_wh
    primary = Array(tuple(DoubleLongUnsigned((tou[i] if i < len(tou) else 0) & 0xFFFFFFFF)
                          for i in range(TOU_REGISTERS)))
    if not access.state.identity.variant.twin_element:
        return Structure((primary,))
    secondary = Array(tuple(DoubleLongUnsigned(0) for _ in range(SECONDARY_TOU_REGISTERS)))
    return Structure((primary, secondary))


ENERGY_REGISTERS = Binding(_energy_registers)
TOU_REGISTER_SET = Binding(_tou_registers)


# -- prepayment ----------------------------------------------------------------------


def _prepayment_registers(access: AccessContext) -> Data:
    """ECS19: meter balance, emergency credit balance, accumulated debt, payment debt,
    time debt 1 and 2."""
    credit = metering(access).prepayment
    return Structure((money(credit.meter_balance_pence),
                      money(credit.emergency_credit_remaining_pence), money(credit.debt_pence),
                      money(0), money(0), money(0)))


PREPAYMENT_REGISTERS = Binding(_prepayment_registers)
METER_BALANCE = Binding(lambda a: money(metering(a).prepayment.meter_balance_pence))
EMERGENCY_CREDIT = Binding(lambda a: money(metering(a).prepayment
                                           .emergency_credit_remaining_pence))
DEBT = Binding(lambda a: money(metering(a).prepayment.debt_pence))
AVAILABLE_CREDIT = Binding(lambda a: money(metering(a).prepayment.available_credit_pence))


def adjust_balance(access: AccessContext, parameter: Data) -> None:
    """ECS04a ``update_amount``: add (or take) an amount to the meter balance."""
    credit = metering(access).prepayment
    new = credit.meter_balance_pence + pence(parameter)
    if new < 0:
        raise CosemError(ActionResult.OTHER_REASON, "the meter balance cannot go negative")
    _checked(lambda: setattr(credit, "meter_balance_pence", new))


def reset_balance(access: AccessContext, parameter: Data) -> None:
    """ECS04b ``set_amount_to_value`` on the meter balance."""
    credit = metering(access).prepayment
    _checked(lambda: setattr(credit, "meter_balance_pence", max(0, pence(parameter))))


def reset_emergency_credit(access: AccessContext, parameter: Data) -> None:
    credit = metering(access).prepayment
    amount = pence(parameter)
    if not 0 <= amount <= credit.emergency_credit_limit_pence:
        raise CosemError(ActionResult.OTHER_REASON, "emergency credit outside its limit")
    credit.emergency_credit_in_use = amount > 0
    credit.emergency_credit_remaining_pence = amount


def reset_debt(access: AccessContext, parameter: Data) -> None:
    credit = metering(access).prepayment
    _checked(lambda: setattr(credit, "debt_pence", max(0, pence(parameter))))


def activate_emergency_credit(access: AccessContext, _parameter: Data) -> None:
    """ECS09 ``invoke_credit`` on the emergency credit object."""
    _checked(metering(access).prepayment.activate_emergency_credit)


def prepayment_setting(field: str) -> Binding:
    """An amount of ``PrepaymentState`` (limits, thresholds) as a GBCS money value."""
    def read(access: AccessContext) -> Data:
        return money(getattr(metering(access).prepayment, field))

    def write(access: AccessContext, value: Data) -> None:
        credit = metering(access).prepayment
        amount = pence(value)
        if amount < 0:
            raise CosemError(DataAccessResult.OTHER_REASON, f"{field} cannot be negative")
        if field == "emergency_credit_limit_pence":
            credit.emergency_credit_remaining_pence = min(
                credit.emergency_credit_remaining_pence, amount)
        setattr(credit, field, amount)

    return Binding(read, write)


def _read_mode(access: AccessContext) -> Data:
    return Structure((Enum(_PAYMENT_MODES[metering(access).payment_mode]), Enum(1)))


def _write_mode(access: AccessContext, value: Data) -> None:
    modes = {code: mode for mode, code in _PAYMENT_MODES.items()}
    mode = modes.get(value.children[0].value)
    if mode is None:
        raise CosemError(DataAccessResult.OTHER_REASON, f"unknown account mode {value!r}")
    metering(access).payment_mode = mode


PAYMENT_MODE = Binding(_read_mode, _write_mode)


# -- MPANs and supplier contact ------------------------------------------------------

MPAN_DIGITS = 13


def import_mpan(ref: AttributeRef) -> Binding:
    """ECS39a/ECS40: 13 digits, 26 on a twin-element ESME (one MPAN per element).

    The first MPAN is ``metering.import_mpxn``; the written value is kept whole as well.
    """
    def read(access: AccessContext) -> Data:
        if ref.key in access.state.attribute_values:
            return stored_value(access.state, ref, OctetString(b""))
        elements = 2 if access.state.identity.variant.twin_element else 1
        mpan = metering(access).import_mpxn or "0" * MPAN_DIGITS
        return OctetString(mpan.encode("ascii") * elements)

    def write(access: AccessContext, value: Data) -> None:
        first = value.value[:MPAN_DIGITS].decode("latin-1")
        if len(value.value) % MPAN_DIGITS or not first.isdigit():
            raise CosemError(DataAccessResult.OTHER_REASON, "an MPAN is 13 digits")
        _checked(lambda: setattr(metering(access), "import_mpxn", first),
                 DataAccessResult.OTHER_REASON)
        store_value(access.state, ref, value)

    return Binding(read, write)


def _write_export_mpan(access: AccessContext, value: Data) -> None:
    text = value.value.decode("latin-1")
    _checked(lambda: setattr(metering(access), "export_mpan", text),
             DataAccessResult.OTHER_REASON)


EXPORT_MPAN = Binding(lambda a: OctetString((metering(a).export_mpan or "0" * MPAN_DIGITS)
                                            .encode("ascii")), _write_export_mpan)


def supplier_contact(field: str) -> Binding:
    def write(access: AccessContext, value: Data) -> None:
        meter = metering(access)
        changes = {"name": meter.supplier.name, "telephone": meter.supplier.telephone,
                   field: value.value.decode("latin-1")}
        _checked(lambda: setattr(meter, "supplier", SupplierContact(**changes)),
                 DataAccessResult.OTHER_REASON)

    return Binding(lambda a: OctetString(getattr(metering(a).supplier, field).encode("latin-1")),
                   write)


# -- UTRN top-up (CS01a) -------------------------------------------------------------


def _utrn_secret(access: AccessContext, supplier: bytes) -> bytes:
    """Z between the supplier's prepayment KA key and the device's KA key: from the
    prepayment trust anchor and the device key, or else from the key store."""
    device = access.state.eui
    cell = access.state.trust_anchors.find(RemotePartyRole.SUPPLIER,
                                           TrustAnchorKeyUsage.KEY_AGREEMENT,
                                           CellUsage.PREPAYMENT_TOP_UP)
    if cell is not None and cell.subject_eui != supplier:
        raise CosemError(ActionResult.OTHER_REASON, "UTRN from a supplier that is not trusted")
    keys = access.keys
    if cell is not None and keys is not None and keys.has_ka_private(device):
        public = x509.load_der_x509_certificate(cell.certificate_der).public_key()
        return ecdh_shared_secret(keys.ka_private(device), public)
    if keys is None:
        raise CosemError(ActionResult.OTHER_REASON, "no key to check the UTRN with")
    try:
        return keys.shared_secret(supplier, device, KeyUsage.PREPAYMENT)
    except GbcsError as error:
        raise CosemError(ActionResult.OTHER_REASON, f"cannot check the UTRN: {error}") from None


def enter_utrn(access: AccessContext, parameter: Data) -> None:
    """Verify the UTRN against the command's originator counter, then credit it once."""
    if access.command is None:
        raise CosemError(ActionResult.OTHER_REASON, "a UTRN arrives in a command")
    header = access.command.header
    try:
        utrn = parse_utrn(parameter.value)
    except DecodeError as error:
        raise CosemError(ActionResult.OTHER_REASON, f"malformed UTRN: {error}") from None
    secret = _utrn_secret(access, header.originator)
    if not verify_utrn(utrn, secret, header.originator, access.state.eui,
                       header.originator_counter):
        raise CosemError(ActionResult.OTHER_REASON, "UTRN not authentic")
    credit = metering(access).prepayment
    _checked(lambda: credit.top_up(utrn.amount_in_pennies, header.originator_counter))
