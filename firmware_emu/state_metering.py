"""What a meter measures and bills: registers, tariff, prepayment, supply, MPxN, contact.

Energy is held in whole Wh, money in whole pence and unit prices in millipence per kWh,
all as integers so stored values round-trip exactly. Updates go through methods that
keep related values consistent (the total import register is the sum of the TOU
registers; credit moves between balance, emergency credit and debt without loss).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from datetime import timedelta

from firmware_emu.state_codec import InvalidStateError, JsonState, StateError, check_int

MAX_TOU_REGISTERS = 48
MAX_BLOCKS = 4
REGISTER_MAX = 2**48 - 1  # block thresholds and registers fit 48 bits (seed digest §8.1)
MONEY_MAX = 2**31 - 1
UTRN_COUNTER_CACHE_SIZE = 5
MINUTES_PER_DAY = 24 * 60


class MeteringError(StateError, ValueError):
    pass


class SupplyState(enum.Enum):
    """Load switch (ESME) or valve (GSME) position."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    ARMED = "armed"


class PaymentMode(enum.Enum):
    CREDIT = "credit"
    PREPAYMENT = "prepayment"


@dataclasses.dataclass(slots=True)
class MeterRegisters(JsonState):
    import_energy_wh: int = 0
    export_energy_wh: int = 0
    tou_import_wh: list[int] = dataclasses.field(default_factory=lambda: [0])
    block_import_wh: list[int] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        check_int(self.import_energy_wh, "import_energy_wh", 0, REGISTER_MAX)
        check_int(self.export_energy_wh, "export_energy_wh", 0, REGISTER_MAX)
        check_int(len(self.tou_import_wh), "tou_import_wh count", 1, MAX_TOU_REGISTERS)
        check_int(len(self.block_import_wh), "block_import_wh count", 0, MAX_BLOCKS)
        for name in ("tou_import_wh", "block_import_wh"):
            for index, value in enumerate(getattr(self, name)):
                check_int(value, f"{name}[{index}]", 0, REGISTER_MAX)
        if sum(self.tou_import_wh) != self.import_energy_wh:
            raise InvalidStateError("tou_import_wh", f"TOU registers sum to "
                                                     f"{sum(self.tou_import_wh)} Wh, total "
                                                     f"import is {self.import_energy_wh} Wh")

    def record_import(self, energy_wh: int, tou_index: int, block_index: int | None = None
                      ) -> None:
        """Add consumption to the total, one TOU register and optionally one block."""
        check_int(energy_wh, "energy", 0, REGISTER_MAX)
        check_int(tou_index, "TOU register", 0, len(self.tou_import_wh) - 1)
        if block_index is not None:
            check_int(block_index, "block register", 0, len(self.block_import_wh) - 1)
        if self.import_energy_wh + energy_wh > REGISTER_MAX:
            raise MeteringError("the import register would overflow 48 bits")
        self.import_energy_wh += energy_wh
        self.tou_import_wh[tou_index] += energy_wh
        if block_index is not None:
            self.block_import_wh[block_index] += energy_wh

    def record_export(self, energy_wh: int) -> None:
        check_int(energy_wh, "energy", 0, REGISTER_MAX - self.export_energy_wh)
        self.export_energy_wh += energy_wh


@dataclasses.dataclass(frozen=True, slots=True)
class TouSwitch(JsonState):
    """From ``start_minute`` past local midnight, TOU register ``tou_index`` is active."""

    start_minute: int
    tou_index: int

    def __post_init__(self) -> None:
        check_int(self.start_minute, "start_minute", 0, MINUTES_PER_DAY - 1)
        check_int(self.tou_index, "tou_index", 0, MAX_TOU_REGISTERS - 1)


@dataclasses.dataclass(frozen=True, slots=True)
class Tariff(JsonState):
    """A daily TOU switching table with per-register prices, and optional block tariff."""

    tou_prices: tuple[int, ...] = (2862,)  # millipence per kWh, one per TOU register
    switching: tuple[TouSwitch, ...] = (TouSwitch(0, 0),)
    block_thresholds_wh: tuple[int, ...] = ()
    block_prices: tuple[int, ...] = ()  # millipence per kWh, one per block
    standing_charge_pence_per_day: int = 60

    def __post_init__(self) -> None:
        check_int(len(self.tou_prices), "tou_prices count", 1, MAX_TOU_REGISTERS)
        for name in ("tou_prices", "block_prices"):
            for index, price in enumerate(getattr(self, name)):
                check_int(price, f"{name}[{index}]", 0, MONEY_MAX)
        check_int(self.standing_charge_pence_per_day, "standing_charge_pence_per_day", 0,
                  MONEY_MAX)
        starts = [switch.start_minute for switch in self.switching]
        if not starts or starts[0] != 0 or starts != sorted(set(starts)):
            raise InvalidStateError("switching", "switch times must start at minute 0 and "
                                                 "strictly increase")
        for index, switch in enumerate(self.switching):
            if switch.tou_index >= len(self.tou_prices):
                raise InvalidStateError(f"switching[{index}]",
                                        f"TOU register {switch.tou_index} has no price")
        thresholds = self.block_thresholds_wh
        check_int(len(thresholds), "block_thresholds_wh count", 0, MAX_BLOCKS - 1)
        for index, threshold in enumerate(thresholds):
            check_int(threshold, f"block_thresholds_wh[{index}]", 1, REGISTER_MAX)
        if list(thresholds) != sorted(set(thresholds)):
            raise InvalidStateError("block_thresholds_wh", "thresholds must strictly increase")
        if self.block_prices and len(self.block_prices) != len(thresholds) + 1:
            raise InvalidStateError("block_prices", f"{len(thresholds)} thresholds need "
                                                    f"{len(thresholds) + 1} block prices")
        if thresholds and not self.block_prices:
            raise InvalidStateError("block_prices", "block thresholds need block prices")

    def tou_index_at(self, minute_of_day: int) -> int:
        check_int(minute_of_day, "minute of day", 0, MINUTES_PER_DAY - 1)
        return [s.tou_index for s in self.switching if s.start_minute <= minute_of_day][-1]

    def block_index_for(self, consumed_in_period_wh: int) -> int | None:
        """The block that consumption beyond ``consumed_in_period_wh`` falls in."""
        if not self.block_prices:
            return None
        return sum(1 for threshold in self.block_thresholds_wh
                   if consumed_in_period_wh >= threshold)


@dataclasses.dataclass(slots=True)
class PrepaymentState(JsonState):
    """Credit held on the meter; amounts in pence."""

    meter_balance_pence: int = 0
    emergency_credit_limit_pence: int = 500
    emergency_credit_threshold_pence: int = 100
    emergency_credit_remaining_pence: int = 0
    emergency_credit_in_use: bool = False
    debt_pence: int = 0
    debt_recovery_percent: int = 0  # share of each top-up taken to repay debt
    low_credit_threshold_pence: int = 200
    utrn_counters: list[int] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        for name in ("meter_balance_pence", "emergency_credit_limit_pence",
                     "emergency_credit_threshold_pence", "debt_pence",
                     "low_credit_threshold_pence"):
            check_int(getattr(self, name), name, 0, MONEY_MAX)
        check_int(self.emergency_credit_remaining_pence, "emergency_credit_remaining_pence",
                  0, self.emergency_credit_limit_pence)
        check_int(self.debt_recovery_percent, "debt_recovery_percent", 0, 100)
        if not self.emergency_credit_in_use and self.emergency_credit_remaining_pence:
            raise InvalidStateError("emergency_credit_remaining_pence",
                                    "emergency credit is not in use")
        if len(self.utrn_counters) > UTRN_COUNTER_CACHE_SIZE:
            raise InvalidStateError("utrn_counters", "more counters than the cache holds")

    @property
    def available_credit_pence(self) -> int:
        return self.meter_balance_pence + self.emergency_credit_remaining_pence

    def activate_emergency_credit(self) -> None:
        if self.emergency_credit_in_use:
            raise MeteringError("emergency credit is already in use")
        if self.meter_balance_pence > self.emergency_credit_threshold_pence:
            raise MeteringError("the balance is above the emergency credit threshold")
        self.emergency_credit_in_use = True
        self.emergency_credit_remaining_pence = self.emergency_credit_limit_pence

    def top_up(self, amount_pence: int, utrn_counter: int) -> None:
        """Apply a top-up once: debt recovery first, then emergency credit, then balance.

        A UTRN counter already used, or not above the oldest one remembered, is refused
        without changing anything.
        """
        check_int(amount_pence, "top-up amount", 1, MONEY_MAX)
        check_int(utrn_counter, "UTRN counter", 0, 2**64 - 1)
        cache = self.utrn_counters
        if utrn_counter in cache or (len(cache) == UTRN_COUNTER_CACHE_SIZE
                                     and utrn_counter <= min(cache)):
            raise MeteringError(f"UTRN counter {utrn_counter} has already been used or is "
                                f"too old")
        to_debt = min(self.debt_pence, amount_pence * self.debt_recovery_percent // 100)
        remaining = amount_pence - to_debt
        if self.emergency_credit_in_use:
            owed = self.emergency_credit_limit_pence - self.emergency_credit_remaining_pence
            repaid = min(owed, remaining)
            remaining -= repaid
            if repaid == owed:
                self.emergency_credit_in_use = False
                self.emergency_credit_remaining_pence = 0
            else:
                self.emergency_credit_remaining_pence += repaid
        if self.meter_balance_pence + remaining > MONEY_MAX:
            raise MeteringError("the balance would overflow")
        self.debt_pence -= to_debt
        self.meter_balance_pence += remaining
        cache.append(utrn_counter)
        cache.sort()
        del cache[:-UTRN_COUNTER_CACHE_SIZE]

    def charge(self, amount_pence: int) -> bool:
        """Take a charge from balance then emergency credit; False once credit ran out.

        What cannot be paid is added to the debt.
        """
        check_int(amount_pence, "charge", 0, MONEY_MAX)
        from_balance = min(self.meter_balance_pence, amount_pence)
        self.meter_balance_pence -= from_balance
        unpaid = amount_pence - from_balance
        if self.emergency_credit_in_use:
            from_emergency = min(self.emergency_credit_remaining_pence, unpaid)
            self.emergency_credit_remaining_pence -= from_emergency
            unpaid -= from_emergency
        self.debt_pence = min(MONEY_MAX, self.debt_pence + unpaid)
        return self.available_credit_pence > 0


@dataclasses.dataclass(frozen=True, slots=True)
class SupplierContact(JsonState):
    name: str = ""
    telephone: str = ""

    def __post_init__(self) -> None:
        for field in ("name", "telephone"):
            value = getattr(self, field)
            if not isinstance(value, str) or len(value) > 64 or not value.isprintable():
                raise InvalidStateError(field, "expected at most 64 printable characters")


_MPXN = re.compile(r"\d{6,13}")


def _check_mpxn(value: str | None, field: str, lengths: tuple[int, int]) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _MPXN.fullmatch(value) or not (
            lengths[0] <= len(value) <= lengths[1]):
        raise InvalidStateError(field, f"expected {lengths[0]}-{lengths[1]} digits, "
                                       f"got {value!r}")


@dataclasses.dataclass(slots=True)
class MeteringState(JsonState):
    """Everything a meter (or the GPF's mirror of a GSME) answers reads from."""

    payment_mode: PaymentMode = PaymentMode.CREDIT
    supply: SupplyState = SupplyState.ENABLED
    registers: MeterRegisters = dataclasses.field(default_factory=MeterRegisters)
    tariff: Tariff = Tariff()
    prepayment: PrepaymentState = dataclasses.field(default_factory=PrepaymentState)
    import_mpxn: str | None = None  # MPAN core (13 digits) or MPRN (6-10 digits)
    export_mpan: str | None = None
    supplier: SupplierContact = SupplierContact()
    clock_offset: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        _check_mpxn(self.import_mpxn, "import_mpxn", (6, 13))
        _check_mpxn(self.export_mpan, "export_mpan", (13, 13))
        if len(self.tariff.tou_prices) > len(self.registers.tou_import_wh):
            raise InvalidStateError("tariff.tou_prices", "more TOU prices than TOU registers")
        if len(self.tariff.block_prices) > len(self.registers.block_import_wh):
            raise InvalidStateError("tariff.block_prices", "more block prices than block "
                                                           "registers")
