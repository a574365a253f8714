"""Item makers and builders for the ESME settings and actions of the master table's
remaining SRVs, and the GSME commands that carry a value of the request.

Harness-own data item names (DUIS element names where the seeds give none):
``SupplierName`` and ``SupplierTelephoneNumber`` (3.4), ``SupplyTamperState`` (6.25,
Locked/Unlocked), ``DailyResetTime`` (6.26, HH:MM:SS, midnight by default),
``RandomisedOffsetLimit`` (7.12, seconds), ``MeterBalanceAdjustment`` (1.5, pence),
``MaximumDemandRegisters`` (6.18.2), ``CustomerIdentificationNumber`` (9.1, by default
a four-digit number the DCC derives from the request), ``SampleRequestInterval`` and
``MaxNumberOfSamples`` (14.1), ``LoadLimitSupplyState``, ``LoadLimitPowerThreshold`` (W),
``LoadLimitPeriod`` and ``LoadLimitRestorationPeriod`` (s) (6.4.1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from firmware_emu.dcc.transform_dlms import dlms_request
from firmware_emu.dcc.transform_dlms_esme import ItemMaker
from firmware_emu.dcc.transform_gbz_reads import Component
from firmware_emu.dcc.transform_rows import BuildContext, TransformError, cosem_time
from gbcs.dlms import AccessRequest, AccessRequestAction, AccessRequestSet, axdr, obis
from gbcs.errors import EncodeError
from gbcs.gbz import zcl_command
from gbcs.gbz.clusters_device import UpdateCin
from gbcs.gbz.clusters_metering import StartSampling
from gbcs.gbz.clusters_prepayment import SelectAvailableEmergencyCredit

Value = Callable[[BuildContext], axdr.Data]
MONEY_UNITS_PER_PENNY = 1000  # ESME money values are in thousandths of a penny
MAXIMUM_DEMAND_REGISTERS = {"ActiveImport": "1-0:1.6.0.255",
                            "ActiveImportConfigurablePeriod": "1-0:1.6.1.255",
                            "ActiveExport": "1-0:2.6.0.255"}
ORIGINATOR_REMOTE = 0  # Select Available Emergency Credit: the remote party


def put(class_id: int, name: str, attribute: int, value: Value) -> ItemMaker:
    spec = AccessRequestSet(class_id, obis(name), attribute)
    return lambda ctx: (spec, value(ctx))


def act(class_id: int, name: str, method: int, value: Value) -> ItemMaker:
    spec = AccessRequestAction(class_id, obis(name), method)
    return lambda ctx: (spec, value(ctx))


def call(class_id: int, name: str, method: int, value: axdr.Data) -> ItemMaker:
    item = (AccessRequestAction(class_id, obis(name), method), value)
    return lambda ctx: item


def whole(ctx: BuildContext, name: str, default: int | None = None) -> int:
    value = ctx.param(name) if default is None else ctx.param(name, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TransformError(f"{name} must be a whole number, not {value!r}")
    return value


def number(name: str, kind: Callable[[int], axdr.Data], scale: int = 1) -> Value:
    def value(ctx: BuildContext) -> axdr.Data:
        amount = whole(ctx, name)
        try:
            return kind(amount * scale)
        except EncodeError:
            raise TransformError(f"{name} {amount} is out of range") from None

    return value


def text(name: str) -> Value:
    def value(ctx: BuildContext) -> axdr.Data:
        content = ctx.param(name)
        if not isinstance(content, str) or not content.isascii():
            raise TransformError(f"{name} must be ASCII text")
        return axdr.octet_string(content.encode("ascii"))

    return value


def flag(name: str, true_word: str, false_word: str) -> Value:
    def value(ctx: BuildContext) -> axdr.Data:
        given = ctx.param(name)
        if given in (True, true_word):
            return axdr.boolean(True)
        if given in (False, false_word):
            return axdr.boolean(False)
        raise TransformError(f"{name} must be {true_word} or {false_word}, not {given!r}")

    return value


def daily_time(name: str) -> Value:
    """A single-action schedule's execution time: every day at the data item's time."""

    def value(ctx: BuildContext) -> axdr.Data:
        given = ctx.param(name, "00:00:00")
        try:
            hour, minute, second = (int(part) for part in str(given).split(":"))
            if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
                raise ValueError
        except ValueError:
            raise TransformError(f"{name} {given!r} is not a time HH:MM:SS") from None
        return axdr.array(axdr.structure(
            axdr.octet_string(bytes((hour, minute, second, 0))),
            axdr.octet_string(bytes.fromhex("FFFFFFFFFF"))))

    return value


def reset_maximum_demand(ctx: BuildContext) -> AccessRequest:
    """ECS57 (6.18.2): reset the chosen maximum demand registers (by default all)."""
    wanted = ctx.param("MaximumDemandRegisters", tuple(MAXIMUM_DEMAND_REGISTERS))
    if isinstance(wanted, str):
        wanted = wanted.replace(",", " ").split()
    unknown = set(wanted) - set(MAXIMUM_DEMAND_REGISTERS)
    if not wanted or unknown:
        raise TransformError(f"MaximumDemandRegisters must be some of "
                             f"{', '.join(MAXIMUM_DEMAND_REGISTERS)}")
    return dlms_request(ctx, [(AccessRequestAction(4, obis(logical_name), 1), axdr.integer(0))
                              for register, logical_name in MAXIMUM_DEMAND_REGISTERS.items()
                              if register in wanted])


# --------------------------------------------------------------------------- GSME


def select_emergency_credit(ctx: BuildContext) -> Iterable[Component]:
    """GCS06 (2.5): activate emergency credit, now, on behalf of the remote party."""
    return [(zcl_command(SelectAvailableEmergencyCredit(
        command_issue_date_time=0, originating_device=ORIGINATOR_REMOTE)), None)]


def customer_identification_number(ctx: BuildContext) -> str:
    given = ctx.param("CustomerIdentificationNumber", None)
    if given is None:
        digest = hashlib.sha256(f"{ctx.device.device_id}/{ctx.request.counter}".encode())
        return f"{int.from_bytes(digest.digest()[:4], 'big') % 10000:04d}"
    if not isinstance(given, str | int) or not str(given).isdigit() or len(str(given)) > 4:
        raise TransformError("CustomerIdentificationNumber must be up to four digits")
    return str(given)


def update_cin(ctx: BuildContext) -> Iterable[Component]:
    """GCS36 (9.1): the customer identification number the consumer will be asked for."""
    return [(zcl_command(UpdateCin(
        issuer_event_id=ctx.issuer_event_id, implementation_date_time=0, provider_id=0,
        customer_id_number=customer_identification_number(ctx).encode("ascii"))), None)]


def start_sampling(ctx: BuildContext) -> Iterable[Component]:
    """GCS31 (14.1): record network data now, every SampleRequestInterval seconds."""
    interval = whole(ctx, "SampleRequestInterval")
    samples = whole(ctx, "MaxNumberOfSamples")
    if not (0 < interval <= 0xFFFF and 0 < samples <= 0xFFFF):
        raise TransformError("SampleRequestInterval and MaxNumberOfSamples must be 1-65535")
    return [(zcl_command(StartSampling(
        issuer_event_id=ctx.issuer_event_id, start_sampling_time=0, sample_type=0,
        sample_request_interval=interval, max_number_of_samples=samples)), None)]


IMMEDIATE_ACTIVATION = bytes(9) + bytes.fromhex("8000FF")
"""An IC 9000 activation date-time meaning "now" (all zero, deviation unspecified)."""
Passive = tuple[str, str, Callable[[int], axdr.Data]]


def _setting(ctx: BuildContext, name: str, kind: Callable[[int], axdr.Data]) -> axdr.Data:
    given = ctx.param(name)
    if kind is axdr.boolean:
        if given not in (True, False):
            raise TransformError(f"{name} must be true or false")
        return axdr.boolean(given)
    try:
        return kind(whole(ctx, name))
    except EncodeError:
        raise TransformError(f"{name} {given!r} is out of range") from None


def passive_settings(*settings: Passive) -> Callable[[BuildContext], AccessRequest]:
    """IC 9000 settings: the passive values of the data items given, then their activation
    date-times (now, or the request's execution date-time when it is device future-dated)."""

    def build(ctx: BuildContext) -> AccessRequest:
        given = [(name, obis(logical_name), kind) for name, logical_name, kind in settings
                 if name in ctx.request.parameters]
        if not given:
            raise TransformError(f"SRV {ctx.request.srv_id} needs one of "
                                 f"{', '.join(name for name, _, _ in settings)}")
        execution = ctx.request.execution_datetime
        when = IMMEDIATE_ACTIVATION if execution is None else cosem_time(execution).to_bytes()
        return dlms_request(ctx, [
            *((AccessRequestSet(9000, logical_name, 4), _setting(ctx, name, kind))
              for name, logical_name, kind in given),
            *((AccessRequestSet(9000, logical_name, 6), axdr.octet_string(when))
              for _, logical_name, _ in given)])

    return build
