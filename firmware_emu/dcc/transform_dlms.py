"""Payload builders for DLMS/COSEM commands (ESME and CHF use cases, primer §8.2, §11).

Each builder returns an xDLMS access-request whose items (and their order) follow the
GBCS use case as the RTDS messages show it; the invoke id is the low 24 bits of the
originator counter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from firmware_emu.dcc.inventory import DeviceType
from firmware_emu.dcc.subghz_rules import ChannelMaskError, encode_subghz_configuration
from firmware_emu.dcc.transform_rows import (
    BuildContext,
    PayloadBuilder,
    TransformError,
    cosem_time,
    time_range,
    window,
)
from gbcs.crypto import ValueClass, generate_utrn
from gbcs.dlms import (
    AccessRequest,
    AccessRequestAction,
    AccessRequestGet,
    AccessRequestGetWithSelection,
    AccessRequestSet,
    access_request,
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
from gbcs.errors import EncodeError
from gbcs.primitives import datetime_to_utc_seconds

CLOCK, ZIGBEE_NETWORK_CONTROL, SCRIPT_TABLE, TOKEN_GATEWAY = 8, 104, 9, 115
CHF_DEVICE_LOG = obis("0-0:30.3.0.255")
CHF_HISTORIC_DEVICE_LOG = obis("0-0:30.3.1.255")
REGISTER_DEVICE, UNREGISTER_DEVICE, BACKUP_PAN, RESTORE_PAN = 1, 2, 4, 5
JOIN_TIMEOUT, ENABLE_DISABLE_JOINING, ACTIVE_DEVICES = 3, 2, 4
INSTALL_CODE_KEY = 1
DEFAULT_JOIN_TIME_PERIOD = 90
DLMS_DEVICE_TYPES = {DeviceType.ESME: 0, DeviceType.GSME: 1, DeviceType.HCALCS: 13,
                     DeviceType.TYPE_2: 128, DeviceType.PPMID: 132, DeviceType.GPF: 254}
"""register_device device_type (primer §11; not the ASN.1 DeviceType)."""
SUPPLY_SCRIPTS = {"7.1": 51, "7.2": 52, "7.3": 53}
"""Disconnect-control script ids: 51 close (ECS42), 52 open (ECS43); 53 arm (ECS44) is
inferred, RTDS has no ECS44 message."""
CLOCK_WINDOW = timedelta(seconds=60)
_WILDCARD_TIME = bytes.fromhex("FFFFFFFFFFFFFFFFFF8000FF")
_RESTRICTING_OBJECT = axdr.structure(axdr.long_unsigned(1), axdr.octet_string(
    obis("0-0:94.44.100.255").raw), axdr.integer(2), axdr.long_unsigned(0))

Item = tuple[object, axdr.Data]


def dlms_request(ctx: BuildContext, items: Iterable[Item]) -> AccessRequest:
    try:
        return access_request(ctx.invoke, list(items))
    except EncodeError as error:
        raise TransformError(f"SRV {ctx.request.srv_id}: {error}") from None


def _octets(text: object, what: str) -> axdr.OctetString:
    if not isinstance(text, str):
        raise TransformError(f"{what} must be text")
    return axdr.octet_string(text.encode("ascii", errors="strict"))


# ------------------------------------------------------------------- generic objects


def get_items(*items: tuple[int, str, int]) -> PayloadBuilder:
    """A plain GET of (class id, OBIS, attribute) items."""
    specs = tuple(AccessRequestGet(class_id, obis(name), attribute)
                  for class_id, name, attribute in items)

    def build(ctx: BuildContext) -> AccessRequest:
        return dlms_request(ctx, ((spec, axdr.NULL) for spec in specs))

    return build


def set_text(class_id: int, name: str, parameter: str) -> PayloadBuilder:
    """A SET of one octet-string attribute from a text data item (MPxN, message)."""
    spec = AccessRequestSet(class_id, obis(name), 2)

    def build(ctx: BuildContext) -> AccessRequest:
        return dlms_request(ctx, [(spec, _octets(ctx.param(parameter), parameter))])

    return build


def set_value(class_id: int, name: str, attribute: int,
              value: Callable[[BuildContext], axdr.Data]) -> PayloadBuilder:
    spec = AccessRequestSet(class_id, obis(name), attribute)

    def build(ctx: BuildContext) -> AccessRequest:
        return dlms_request(ctx, [(spec, value(ctx))])

    return build


def range_item(ctx: BuildContext, class_id: int, name: str, days: int) -> Item:
    """A GET-with-selection of a profile's buffer by time range (primer §8.2.5): data
    items StartDateTime and EndDateTime, by default the last ``days`` days."""
    start, end = time_range(ctx, days)
    selection = axdr.structure(
        _RESTRICTING_OBJECT, axdr.double_long_unsigned(datetime_to_utc_seconds(start)),
        axdr.double_long_unsigned(datetime_to_utc_seconds(end)), axdr.array())
    return (AccessRequestGetWithSelection(class_id, obis(name), 2, 1, selection), axdr.NULL)


def range_read(class_id: int, name: str, days: int = 7) -> PayloadBuilder:
    """A profile read by time range (:func:`range_item`)."""

    def build(ctx: BuildContext) -> AccessRequest:
        return dlms_request(ctx, [range_item(ctx, class_id, name, days)])

    return build


# ---------------------------------------------------------------------- CHF device log


def register_device(ctx: BuildContext) -> AccessRequest:
    """CCS01: add the device to the CHF device log and open the join window."""
    device_id = ctx.eui_param("DeviceID")
    joining = ctx.record(device_id)
    device_type = DLMS_DEVICE_TYPES.get(joining.device_type)
    if device_type is None:
        raise TransformError(f"a {joining.device_type} cannot join a CHF's HAN")
    code = ctx.param("InstallCode")
    try:
        key = bytes.fromhex(code)
    except (TypeError, ValueError):
        raise TransformError(f"InstallCode {code!r} is not hex") from None
    period = ctx.param("JoinTimePeriod", DEFAULT_JOIN_TIME_PERIOD)
    return dlms_request(ctx, [
        (AccessRequestAction(ZIGBEE_NETWORK_CONTROL, CHF_DEVICE_LOG, REGISTER_DEVICE),
         axdr.structure(axdr.octet_string(device_id), axdr.enum(INSTALL_CODE_KEY),
                        axdr.octet_string(key), axdr.enum(device_type))),
        (AccessRequestSet(ZIGBEE_NETWORK_CONTROL, CHF_DEVICE_LOG, JOIN_TIMEOUT),
         axdr.long_unsigned(period)),
        (AccessRequestSet(ZIGBEE_NETWORK_CONTROL, CHF_DEVICE_LOG, ENABLE_DISABLE_JOINING),
         axdr.boolean(True)),
    ])


def unregister_device(ctx: BuildContext) -> AccessRequest:
    """CCS02: remove the device from the CHF device log."""
    return dlms_request(ctx, [
        (AccessRequestAction(ZIGBEE_NETWORK_CONTROL, CHF_DEVICE_LOG, UNREGISTER_DEVICE),
         axdr.octet_string(ctx.eui_param("DeviceID")))])


read_chf_device_log = get_items((ZIGBEE_NETWORK_CONTROL, "0-0:30.3.0.255", ACTIVE_DEVICES))


def read_chf_device_logs(ctx: BuildContext) -> AccessRequest:
    """CCS07: backup_PAN of the device log and of the historic device log."""
    return dlms_request(ctx, [
        (AccessRequestAction(ZIGBEE_NETWORK_CONTROL, CHF_DEVICE_LOG, BACKUP_PAN), axdr.NULL),
        (AccessRequestAction(ZIGBEE_NETWORK_CONTROL, CHF_HISTORIC_DEVICE_LOG, BACKUP_PAN),
         axdr.NULL)])


def restore_chf_device_log(ctx: BuildContext) -> AccessRequest:
    """CCS03 (8.12.1): restore_PAN from the DCC's backup of the device log of CHF
    PreviousCHFDeviceID (by default the target): the devices with a link key."""
    source = ctx.param("PreviousCHFDeviceID", ctx.device.device_id)
    backup = ctx.backups.chf.get(ctx.record(source).device_id)
    if backup is None:
        raise TransformError(f"the DCC holds no backup of the device log of CHF {source}")
    pan, entries = backup
    devices = [axdr.structure(axdr.octet_string(device), axdr.octet_string(key))
               for device, key in entries if key]
    return dlms_request(ctx, [(AccessRequestAction(ZIGBEE_NETWORK_CONTROL, CHF_DEVICE_LOG,
                                               RESTORE_PAN),
                           axdr.structure(axdr.octet_string(pan), axdr.array(*devices)))])


# --------------------------------------------------------------------------- ESME


def set_clock(ctx: BuildContext) -> AccessRequest:
    """ECS70 (8.1.1 commission, 6.11): adjust to the DCC's time within a validity window."""
    clock = obis("0-0:1.0.0.255")
    start, end = window(ctx.now, CLOCK_WINDOW)
    return dlms_request(ctx, [
        (AccessRequestSet(CLOCK, clock, 9), axdr.enum(5)),
        (AccessRequestAction(CLOCK, clock, 5), axdr.structure(
            axdr.octet_string(_WILDCARD_TIME), axdr.octet_string(cosem_time(start).to_bytes()),
            axdr.octet_string(cosem_time(end).to_bytes()))),
        (AccessRequestAction(CLOCK, clock, 4), axdr.integer(0)),
        (AccessRequestGet(CLOCK, clock, 2), axdr.NULL),
        (AccessRequestGet(CLOCK, clock, 4), axdr.NULL),
    ])


def protected_read(name: str, *attributes: tuple[int, str, int]) -> PayloadBuilder:
    """A sensitive read (ECS17b ...): get_protected_attributes on IC 30 ``name``."""
    wanted = tuple(ProtectedAttribute(class_id, obis(logical_name), attribute)
                   for class_id, logical_name, attribute in attributes)
    spec = AccessRequestAction(DATA_PROTECTION_CLASS_ID, obis(name), GET_PROTECTED_ATTRIBUTES)

    def build(ctx: BuildContext) -> AccessRequest:
        parameters = ProtectionParameters.for_gbcs(ctx.counter, ctx.originator, ctx.recipient)
        return dlms_request(ctx, [(spec, ProtectedAttributesRequest(wanted, (parameters,))
                               .to_data())])

    return build


def supply_script(ctx: BuildContext) -> AccessRequest:
    """ECS42/43/44: run a disconnect-control script (enable, disable, arm)."""
    script = SUPPLY_SCRIPTS[ctx.request.srv_id]
    return dlms_request(ctx, [(AccessRequestAction(SCRIPT_TABLE, obis("0-0:10.0.106.255"), 1),
                           axdr.long_unsigned(script))])


def top_up(ctx: BuildContext) -> AccessRequest:
    """CS01a: enter the UTRN in the token gateway."""
    return dlms_request(ctx, [(AccessRequestAction(TOKEN_GATEWAY, obis("0-0:19.40.0.255"), 1),
                           axdr.octet_string(utrn(ctx).encode("ascii")))])


def utrn(ctx: BuildContext) -> str:
    """The UTRN for data item TopUpAmount (pence; whole pounds are sent in pounds) with the
    supplier's prepayment key."""
    party = ctx.party_or_fail("a UTRN")
    if not party.prepayment:
        raise TransformError(f"{party.name} has no prepayment key to issue UTRNs")
    amount = ctx.param("TopUpAmount")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise TransformError("TopUpAmount must be a positive number of pence")
    value, value_class = amount, ValueClass.PENNIES
    if amount % 100 == 0:
        value, value_class = amount // 100, ValueClass.POUNDS
    if value > 0x1FFF:
        raise TransformError(f"TopUpAmount {amount} pence cannot be carried by a UTRN")
    return generate_utrn(ctx.pki.keys.prepayment_ka_private(party.eui),
                         ctx.pki.keys.ka_public(ctx.recipient), party.eui, ctx.recipient,
                         ctx.counter, value, value_class)


# --------------------------------------------------------------------- dual band CHF

SUBGHZ_SETTINGS: tuple[tuple[str, Callable[[int], axdr.Data], float, int], ...] = (
    ("NormalLimitedDutyCycleThreshold", axdr.long_unsigned, 1.3, 100),
    ("LimitedCriticalDutyCycleThreshold", axdr.long_unsigned, 2.2, 100),
    ("MaxSubGHzChannelChangesPerWeek", axdr.unsigned, 5, 1),
    ("GSMECurfew", axdr.long_unsigned, 7, 1),
    ("ChannelQuieterThreshold", axdr.unsigned, 7, 1),
    ("ChannelNoisierThreshold", axdr.unsigned, 12, 1),
    ("NonGSMEPoorCommsPercentageThreshold", axdr.long_unsigned, 60.0, 100),
    ("NonGSMEPoorCommsMeasurementPeriods", axdr.unsigned, 130, 1),
    ("LocalCHNoiseMeasurementPeriod", axdr.long_unsigned, 100, 1),
    ("LocalCHFailurePercentage", axdr.long_unsigned, 40.0, 100),
    ("LocalCHRetryPercentage", axdr.long_unsigned, 30.0, 100),
)
"""DBCH04 fields 5-15 after the four page masks: (data item, A-XDR type, default, scale).
The names are this harness's; the defaults and DUIS -> wire scaling are the primer's."""


def subghz_configuration(ctx: BuildContext) -> AccessRequest:
    """DBCH04: the four channel-mask pages (data items of 6.28) and the settings."""
    try:
        masks = encode_subghz_configuration(ctx.request.parameters)
    except ChannelMaskError as error:
        raise TransformError(str(error)) from None
    values = [axdr.bit_string(mask, 32) for mask in masks]
    for name, kind, default, scale in SUBGHZ_SETTINGS:
        number = ctx.param(name, default)
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise TransformError(f"{name} must be a number")
        try:
            values.append(kind(round(number * scale)))
        except EncodeError:
            raise TransformError(f"{name} {number} is out of range") from None
    return dlms_request(ctx, [(AccessRequestSet(1, obis("0-0:94.44.10.0"), 2),
                           axdr.structure(*values))])


request_channel_scan = set_value(1, "0-0:94.44.10.1", 2, lambda ctx: axdr.unsigned(0))
