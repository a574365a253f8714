"""The DCC service end to end on an emulated premises: IC01/IC02, critical CV4 -> CV5,
DCC alerts, validation codes, future dating, protection checks, rack files.

The devices run the real device pipeline (decoding, ACB MAC and signature checks against
their trust anchors, anti-replay, HAN joins through the CHF whitelist). Their use-case
handlers are the small ones below, which answer exactly the commands these tests send:
the service is tested here, not the device handlers.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from firmware_emu.clock import SteppedClock
from firmware_emu.dcc.dcc_alerts import DccAlertCode
from firmware_emu.dcc.inventory import DeviceType, Inventory, SmiStatus
from firmware_emu.dcc.pki import DEFAULT_USER_IDS, DccPki
from firmware_emu.dcc.rack import (
    EmulatedRack,
    RackFileError,
    RackOutput,
    RackUnavailableError,
    load_rack_file,
    open_rack,
)
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import UserRole
from firmware_emu.dcc.service import DccService, UnsupportedServiceError
from firmware_emu.dcc.service_records import DccState, Direction
from firmware_emu.dcc.service_request import DCC_BUSINESS_TARGET_ID, ServiceRequest
from firmware_emu.dcc.service_smi import communications_hub_records
from firmware_emu.dcc.validation import DccValidator
from firmware_emu.registry import Outcome, Registry, UseCaseHandler
from firmware_emu.state import DlmsDeviceType
from gbcs.asn1 import (
    DeviceTimeStatus,
    JoinResponse,
    JoinResponseCode,
    SetClockResponse,
    UpdateSecurityCredentialsOutcome,
    UpdateSecurityCredentialsResponse,
)
from gbcs.dlms import InvokeIdAndPriority, access_response, alert_notification, axdr, success
from gbcs.framing.general_signing import OtherInformation
from gbcs.gbz import DefaultResponse, gbz_component, gbz_payload, zcl_command
from gbcs.gbz import Direction as ZclDirection
from gbcs.message import decode_message
from gbcs.primitives import CosemDateTime
from gbcs.secure import CheckStatus, verify_message

NOW = datetime(2029, 6, 1, 12, 0, tzinfo=UTC)
IS, GS = UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER
R = ResponseCode

# ------------------------------------------------------------------ device handlers


def _cs14(ctx):
    """CS14 0x8F12: the CHF device log as backup_PAN output (primer §11.7)."""
    log, now = ctx.state.device_log, ctx.now

    def payload(header, keys):
        moment = CosemDateTime.from_datetime(now, clock_status=0xFF)
        entries = axdr.array(*(axdr.structure(axdr.octet_string(entry.device_id),
                                              axdr.octet_string(entry.link_key_hash or b""))
                               for entry in log.entries))
        return alert_notification(
            InvokeIdAndPriority.for_counter(header.originator_counter), 0x8F12, moment,
            axdr.structure(axdr.octet_string(moment.to_bytes()),
                           axdr.octet_string(ctx.state.extended_pan_id), entries))

    ctx.raise_alert(0x0018, payload, critical=False)


def register_device(confirm: bool):
    def handler(ctx):
        request = ctx.command.payload
        device_id, _, code, kind = (item.value for item in request.data[0].children)
        log = ctx.state.device_log
        log.add(device_id, DlmsDeviceType(kind), code)
        log.set_joining(bool(request.data[2].raw), request.data[1].value, ctx.now)
        if confirm:
            _cs14(ctx)
        return Outcome(access_response(request, [success()] * 3))
    return handler


def unregister_device(ctx):
    request = ctx.command.payload
    ctx.state.device_log.remove(request.data[0].value)
    _cs14(ctx)
    return Outcome(access_response(request, [success()]))


def dlms_success(ctx):
    request = ctx.command.payload
    return Outcome(access_response(request, [success()] * len(request.specifications)))


def set_clock(ctx):
    now = CosemDateTime.from_datetime(ctx.now, clock_status=0xFF)
    return Outcome(access_response(ctx.command.payload, [
        success(), success(), success(), success(axdr.octet_string(now.to_bytes())),
        success(axdr.unsigned(0))]))


def firmware_version(ctx):
    version = ctx.state.identity.firmware_version
    return Outcome(access_response(ctx.command.payload,
                                   [success(axdr.octet_string(version))]))


def channel_scan(ctx):
    """DBCH05 answered, and a Limited Duty Cycle alert (DBCH06, 8F20) raised."""
    moment = CosemDateTime.from_datetime(ctx.now, clock_status=0xFF)
    ctx.raise_alert(0x0110, lambda header, keys: alert_notification(
        InvokeIdAndPriority.for_counter(header.originator_counter), 0x8F20, moment,
        axdr.octet_string(bytes(8))), critical=False)
    return dlms_success(ctx)


def gbz_default_success(ctx):
    component = ctx.command.payload.components[0]
    return Outcome(gbz_payload([gbz_component(zcl_command(
        DefaultResponse(command_id=component.command_id, status=0),
        cluster_id=component.cluster_id, direction=ZclDirection.CLIENT_TO_SERVER), 0)]))


def registry(*, confirm_whitelisting: bool = True) -> Registry:
    rows = [
        ((0x0001,), register_device(confirm_whitelisting)), ((0x0002,), unregister_device),
        ((0x0062,), set_clock), ((0x0003, 0x004C, 0x010D), dlms_success), ((0x010E,), channel_scan),
        ((0x0059,), firmware_version), ((0x0087,), gbz_default_success),
        ((0x007F,), lambda ctx: Outcome(SetClockResponse(ctx.now.replace(microsecond=0),
                                                         DeviceTimeStatus.RELIABLE))),
        ((0x000E,), lambda ctx: Outcome(JoinResponse(JoinResponseCode.SUCCESS))),
        ((0x0102,), lambda ctx: Outcome(UpdateSecurityCredentialsResponse(
            UpdateSecurityCredentialsOutcome(ctx.command.payload.control.seq_number, 2, (), ())))),
    ]
    built = Registry()
    built.add_rows(UseCaseHandler(codes, handler) for codes, handler in rows)
    return built


# ------------------------------------------------------------------------ the lab


class Lab:
    """DCC + emulated rack; the CHF is Commissioned, the GPF installed with it."""

    def __init__(self, pki: DccPki, rack, dcc: DccService) -> None:
        self.pki, self.rack, self.dcc = pki, rack, dcc
        self.inventory = dcc.inventory
        ids = rack.device_euis_by_type()
        self.chf, self.gpf = ids[DeviceType.CHF][0], ids[DeviceType.GPF][0]
        self.esme, self.gsme = ids[DeviceType.ESME][0], ids[DeviceType.GSME][0]
        self.counter = 1000

    def request(self, srv_id: str, target: str, *, role: UserRole = IS, cv: int = 1,
                **fields) -> ServiceRequest:
        self.counter += 1
        fields.setdefault("counter", self.counter)
        return ServiceRequest(srv_id, role, fields.pop("user_id", DEFAULT_USER_IDS[role]),
                              target, command_variant=cv, **fields)

    async def submit(self, *args, signed_precommand=None, **kwargs):
        return await self.dcc.submit(self.request(*args, **kwargs),
                                     signed_precommand=signed_precommand)

    async def install(self, device: str, device_type: str, role: UserRole) -> None:
        """12.2 then 8.11 Add: the device is whitelisted and has joined the HAN."""
        notified = await self.submit("12.2", DCC_BUSINESS_TARGET_ID, role=role, cv=8,
                                     parameters={"DeviceID": device,
                                                 "DeviceType": device_type})
        assert notified.response_code is R.I0, notified.detail
        whitelisted = await self.submit("8.11", self.chf, role=role, parameters={
            "UpdateType": "Add", "DeviceID": device,
            "InstallCode": self.rack.install_code(device).hex().upper()})
        assert whitelisted.ok and DccAlertCode.N24 in whitelisted.alert_codes()

    async def commission(self, device: str, role: UserRole):
        transformed = await self.submit("8.1.1", device, role=role, cv=4)
        assert transformed.response_code is R.I0, transformed.detail
        return await self.submit("8.1.1", device, role=role, cv=5)


async def make_lab(**options) -> Lab:
    pki = DccPki.generate()
    rack = await EmulatedRack.create(pki, clock=SteppedClock(NOW), registry=registry(**options))
    suppliers = {IS: DEFAULT_USER_IDS[IS], GS: DEFAULT_USER_IDS[GS]}
    inventory = Inventory(communications_hub_records(rack.device_euis_by_type(), suppliers))
    dcc = DccService(pki, inventory, DccValidator(inventory, pki.user_directory()), rack)
    return Lab(pki, rack, dcc)


@pytest.fixture
async def lab():
    built = await make_lab()
    yield built
    await built.rack.close()


def assert_protection_valid(lab: Lab, outcome) -> None:
    """Every GBCS message exchanged verifies with the DCC's keys (MAC and signatures)."""
    checked = 0
    for exchange in outcome.exchanges:
        if exchange.wire is None or exchange.step in ("PRECOMMAND", "signed pre-command"):
            continue
        report = verify_message(decode_message(exchange.wire), lab.pki.keys)
        assert report.checks and all(c.status is CheckStatus.VALID for c in report.checks), \
            (exchange.step, report)
        checked += 1
    assert checked


# -------------------------------------------------------------------- IC02 / IC01


async def test_ic02_installs_and_commissions_an_esme_in_the_prescribed_order(lab):
    notified = await lab.submit("12.2", DCC_BUSINESS_TARGET_ID, cv=8,
                                parameters={"DeviceID": lab.esme, "DeviceType": "ESME"})
    assert notified.response_code is R.I0
    assert lab.inventory.get(lab.esme).status is SmiStatus.PENDING

    add = lab.request("8.11", lab.chf, parameters={
        "UpdateType": "Add", "DeviceID": lab.esme,
        "InstallCode": lab.rack.install_code(lab.esme).hex()})
    whitelisted = await lab.dcc.submit(add)
    assert (whitelisted.response_code, whitelisted.device_success) == (R.I0, True)
    assert whitelisted.alert_codes() == [DccAlertCode.N24]
    assert [a.alert_code for a in whitelisted.device_alerts] == [0x8F12]
    assert lab.inventory.get(lab.esme).status is SmiStatus.INSTALLED_NOT_COMMISSIONED
    assert_protection_valid(lab, whitelisted)
    command = decode_message(next(e.wire for e in whitelisted.exchanges
                                  if e.direction is Direction.DCC_TO_DEVICE))
    assert command.header.originator == lab.pki.acb.eui  # CHF commands come from the ACB
    assert command.header.other_information.supplementary_counter == add.counter

    transformed = await lab.submit("8.1.1", lab.esme, cv=4)
    precommand = decode_message(transformed.precommand)
    assert transformed.response_code is R.I0 and precommand.is_precommand
    assert precommand.use_case.use_case == "ECS70"
    supplier = lab.pki.party_for_user(DEFAULT_USER_IDS[IS], IS)
    assert precommand.header.originator == supplier.eui
    signed = lab.pki.sign_precommand(transformed.precommand, supplier)
    commissioned = await lab.submit("8.1.1", lab.esme, cv=5, signed_precommand=signed)
    assert (commissioned.response_code, commissioned.device_success) == (R.I0, True)
    response = decode_message(next(e.wire for e in commissioned.exchanges
                                   if e.direction is Direction.DEVICE_TO_DCC))
    assert response.is_signed and not response.has_mac  # a critical command's response
    assert_protection_valid(lab, commissioned)
    assert lab.inventory.get(lab.esme).status is SmiStatus.COMMISSIONED

    mpan = await lab.submit("6.20.1", lab.esme, parameters={"ImportMPxN": "1100000000001"})
    assert (mpan.response_code, mpan.device_success) == (R.I0, True)
    assert lab.inventory.get(lab.esme).import_mpxn == "1100000000001"
    assert_protection_valid(lab, mpan)


async def test_ic01_commissions_the_gas_meter_hands_over_the_gpf_and_joins_them(lab):
    await lab.install(lab.gsme, "GSME", GS)
    gsme = await lab.commission(lab.gsme, GS)  # CV5 without a signature: harness signs
    assert gsme.ok and lab.inventory.get(lab.gsme).status is SmiStatus.COMMISSIONED
    assert any(e.step == "PRECOMMAND signed for the user" for e in gsme.exchanges)

    gpf_transform = await lab.submit("8.1.1", lab.gpf, role=GS, cv=4)
    assert gpf_transform.response_code is R.I0 and gpf_transform.precommand is None
    gpf = await lab.submit("8.1.1", lab.gpf, role=GS, cv=5)
    assert gpf.ok and lab.inventory.get(lab.gpf).status is SmiStatus.COMMISSIONED

    handover = await lab.submit("6.21", lab.gpf, role=GS)
    assert (handover.response_code, handover.device_success) == (R.I0, True)
    sent = decode_message(next(e.wire for e in handover.exchanges
                               if e.direction is Direction.DCC_TO_DEVICE))
    assert sent.header.originator == lab.pki.acb.eui and sent.is_signed and sent.has_mac
    assert_protection_valid(lab, handover)

    join = await lab.submit("8.7.2", lab.gsme, role=GS,
                            parameters={"OtherDeviceID": lab.gpf, "OtherDeviceType": "GPF"})
    assert (join.response_code, join.device_success) == (R.I0, True)
    assert lab.inventory.get(lab.gsme).gpf_id == lab.gpf

    mprn = await lab.submit("6.20.1", lab.gsme, role=GS, parameters={"ImportMPxN": "1234567890"})
    assert mprn.ok and lab.inventory.get(lab.gsme).import_mpxn == "1234567890"


async def test_n25_when_the_chf_sends_no_confirming_alert():
    lab = await make_lab(confirm_whitelisting=False)
    await lab.submit("12.2", DCC_BUSINESS_TARGET_ID, cv=8,
                     parameters={"DeviceID": lab.esme, "DeviceType": "ESME"})
    outcome = await lab.submit("8.11", lab.chf, parameters={
        "UpdateType": "Add", "DeviceID": lab.esme,
        "InstallCode": lab.rack.install_code(lab.esme).hex()})
    assert outcome.ok and outcome.alert_codes() == [DccAlertCode.N25]
    assert lab.inventory.get(lab.esme).status is SmiStatus.WHITELISTED
    await lab.rack.close()


# ---------------------------------------------------------------- critical commands


async def test_a_pre_command_signed_by_someone_else_is_refused_with_e100(lab):
    await lab.install(lab.esme, "ESME", IS)
    transformed = await lab.submit("8.1.1", lab.esme, cv=4)
    forged = lab.pki.sign_precommand(transformed.precommand, lab.pki.acb)
    refused = await lab.submit("8.1.1", lab.esme, cv=5, signed_precommand=forged)
    assert refused.response_code is R.E100
    assert not any(e.direction is Direction.DCC_TO_DEVICE for e in refused.exchanges)
    assert lab.inventory.get(lab.esme).status is SmiStatus.INSTALLED_NOT_COMMISSIONED


async def test_a_pre_command_of_another_srv_is_refused_with_e51(lab):
    await lab.install(lab.esme, "ESME", IS)
    supplier = lab.pki.party_for_user(DEFAULT_USER_IDS[IS], IS)
    transformed = await lab.submit("8.1.1", lab.esme, cv=4)
    precommand = decode_message(transformed.precommand)
    enable_supply = replace(precommand.header, other_information=OtherInformation(0x004F))
    wrong = precommand.replace(header=enable_supply, signature=None).to_bytes()
    refused = await lab.submit("8.1.1", lab.esme, cv=5,
                               signed_precommand=lab.pki.sign_precommand(wrong, supplier))
    assert refused.response_code is R.E51


# ------------------------------------------------------------------ DCC validation


async def test_validator_codes_are_the_service_response_and_nothing_is_sent(lab):
    await lab.install(lab.esme, "ESME", IS)
    cases = [
        (lab.request("6.28", lab.esme, parameters=_channels([1, 2])), R.E11),
        (lab.request("4.1.1", lab.esme, url="transform"), R.E13),
        (lab.request("4.1.1", "00-DB-12-34-56-78-9F-FF"), R.E19),
        (lab.request("4.1.1", lab.esme, url="transform", user_id="90-B3-D5-1F-30-01-99-00"),
         R.E1),
    ]
    lab.dcc.validator.users.add("90-B3-D5-1F-30-01-99-01", [IS])
    cases.append((lab.request("6.28", lab.esme, user_id="90-B3-D5-1F-30-01-99-01",
                              parameters=_channels([1, 2])), R.E4))  # E4 over E11
    for request, expected in cases:
        outcome = await lab.dcc.submit(request)
        assert (outcome.response_code, outcome.acknowledgement) == (expected, expected)
        assert [e.direction for e in outcome.exchanges] == [
            Direction.SR_TO_DCC, Direction.DCC_TO_USER, Direction.DCC_TO_USER]


def _channels(lower: list[int], upper: tuple[int, ...] = ()) -> dict[str, object]:
    return {"LowerBandSubGHzChannels0To26": lower, "LowerBandSubGHzChannels27To34": [28, 29],
            "LowerBandSubGHzChannels35To61": [], "UpperBandSubGHzChannels0To26": list(upper)}


async def test_subghz_configuration_codes_and_a_valid_configuration(lab):
    out_of_range = await lab.submit("6.28", lab.chf, parameters=_channels([1, 27]))
    one_channel = await lab.submit("6.28", lab.chf, parameters=_channels([1]))
    assert (out_of_range.response_code, one_channel.response_code) == (R.E062801, R.E062802)
    accepted = await lab.submit("6.28", lab.chf, parameters=_channels([1, 2], (3, 4)))
    assert (accepted.response_code, accepted.device_success) == (R.I0, True)
    sent = decode_message(next(e.wire for e in accepted.exchanges
                               if e.direction is Direction.DCC_TO_DEVICE))
    masks = [element.data.hex() for element in sent.payload.data[0].children[:4]]
    assert masks == ["e0000006", "e8000006", "f0000000", "f8000018"]


async def test_a_sub_ghz_device_alert_raises_n54_with_e59(lab):
    outcome = await lab.submit("6.29", lab.chf)
    assert outcome.ok
    [alert] = outcome.dcc_alerts
    assert (alert.code, alert.response_code, alert.source_alert) == (
        DccAlertCode.N54, R.E59, 0x8F20)


# ---------------------------------------------------- future dating and duplicates


async def test_dsp_future_dated_request_is_held_duplicates_get_e55_then_it_runs(lab):
    await lab.install(lab.esme, "ESME", IS)
    await lab.commission(lab.esme, IS)
    later = NOW + timedelta(hours=1)
    read = lab.request("11.2", lab.esme, execution_datetime=later)
    held = await lab.dcc.submit(read)
    assert (held.response_code, held.held_until) == (R.I99, later)
    assert not any(e.direction is Direction.DCC_TO_DEVICE for e in held.exchanges)
    assert (await lab.dcc.submit(read)).response_code is R.E55

    assert (await lab.dcc.tick()).executed == []  # not due yet
    lab.rack.clock.advance(timedelta(hours=2))
    executed = (await lab.dcc.tick()).executed
    assert [(o.request_id, o.response_code, o.device_success) for o in executed] == [
        (read.request_id, R.I0, True)]
    assert lab.inventory.get(lab.esme).firmware_version == "01000000"  # first read: recorded

    lab.inventory.update(lab.esme, firmware_version="0200AAAA")
    mismatch = await lab.submit("11.2", lab.esme)
    assert mismatch.alert_codes() == [DccAlertCode.N51]  # not on the CPL: SMI kept
    assert lab.inventory.get(lab.esme).firmware_version == "0200AAAA"


# ------------------------------------------------------------ protection failures


class TamperingRack:
    """Flips one bit of the MAC of every device response."""

    def __init__(self, rack) -> None:
        self._rack = rack

    def __getattr__(self, name):
        return getattr(self._rack, name)

    async def deliver(self, wire: bytes) -> RackOutput:
        output = await self._rack.deliver(wire)
        response = bytearray(output.response)
        response[-1] ^= 0x01  # the last byte of the MAC
        return replace(output, response=bytes(response))


async def test_a_response_failing_its_mac_is_discarded_as_no_response(lab):
    await lab.install(lab.esme, "ESME", IS)
    await lab.commission(lab.esme, IS)
    lab.dcc.rack = TamperingRack(lab.rack)
    outcome = await lab.submit("6.20.1", lab.esme, parameters={"ImportMPxN": "1100000000001"})
    assert outcome.response_code is R.E21 and "MAC invalid" in outcome.detail
    assert lab.inventory.get(lab.esme).import_mpxn is None


# --------------------------------------------------------------------- DCC state


async def test_originator_counters_only_go_up_and_survive_in_the_dcc_state(lab, tmp_path):
    await lab.install(lab.esme, "ESME", IS)
    await lab.commission(lab.esme, IS)
    first = await lab.submit("6.20.1", lab.esme, parameters={"ImportMPxN": "1100000000001"})
    replayed = await lab.submit("6.20.1", lab.esme, counter=5,  # below the last one used
                                parameters={"ImportMPxN": "1100000000002"})
    counters = [decode_message(next(e.wire for e in o.exchanges
                                    if e.direction is Direction.DCC_TO_DEVICE))
                .header.originator_counter for o in (first, replayed)]
    assert counters[1] == counters[0] + 1 and replayed.ok
    lab.dcc.state.save(tmp_path / "dcc.json")
    restored = DccState.load(tmp_path / "dcc.json")
    assert restored.counters.to_dict() == lab.dcc.state.counters.to_dict()


async def test_unsupported_srvs_raise_before_the_request_is_recorded(lab):
    schedule = lab.request("12.1", DCC_BUSINESS_TARGET_ID, cv=8)
    with pytest.raises(UnsupportedServiceError, match=r"12\.1"):
        await lab.dcc.submit(schedule)
    assert schedule.request_id not in lab.dcc.validator.log.in_progress


# --------------------------------------------------------------------- rack files


async def test_rack_files(tmp_path):
    pki = DccPki.generate()
    radio = tmp_path / "radio.toml"
    radio.write_text('[rack]\nkind = "radio"\n')
    with pytest.raises(RackUnavailableError, match="not available in this build"):
        await open_rack(load_rack_file(radio), pki)
    bad = tmp_path / "bad.toml"
    bad.write_text('[rack]\nkind = "emulated"\ncolour = "red"\n')
    with pytest.raises(RackFileError, match=r"bad\.toml: unknown key 'colour'"):
        load_rack_file(bad)
    emulated = tmp_path / "emulated.toml"
    emulated.write_text('[rack]\nkind = "emulated"\nstart = 2029-06-01T12:00:00Z\n'
                        'state = "premises.sqlite"\neui_prefix = "00DB0000000001"\n')
    rack = await open_rack(load_rack_file(emulated), pki, registry=registry())
    assert rack.now() == NOW
    assert rack.device_euis_by_type()[DeviceType.ESME] == ("00-DB-00-00-00-00-01-00",)
    await rack.close()
    reopened = await open_rack(load_rack_file(emulated), pki, registry=registry())
    assert reopened.device_euis_by_type() == rack.device_euis_by_type()
    await reopened.close()


# ------------------------------------------------------- local delivery and the SMI


async def test_a_locally_delivered_command_s_response_comes_back_in_8_13(lab):
    await lab.install(lab.esme, "ESME", IS)
    await lab.commission(lab.esme, IS)
    local = await lab.submit("6.20.1", lab.esme, cv=2, parameters={"ImportMPxN": "1100000000009"})
    assert local.response_code is R.I0 and local.local_command is not None
    assert not any(e.direction is Direction.DCC_TO_DEVICE for e in local.exchanges)
    handheld = await lab.rack.deliver(local.local_command)  # an HHT on the HAN
    returned = await lab.submit("8.13", DCC_BUSINESS_TARGET_ID, cv=8, parameters={
        "OriginalRequestID": local.request_id,
        "DeviceGBCSResponse": base64.b64encode(handheld.response).decode()})
    assert (returned.response_code, returned.device_success) == (R.I0, True)
    assert lab.inventory.get(lab.esme).import_mpxn == "1100000000009"
    forged = bytearray(handheld.response)
    forged[-1] ^= 0x01
    refused = await lab.submit("8.13", DCC_BUSINESS_TARGET_ID, cv=8, parameters={
        "DeviceGBCSResponse": base64.b64encode(bytes(forged)).decode()})
    assert refused.response_code is R.E49 and "MAC invalid" in refused.detail


async def test_inventory_service_requests(lab):
    await lab.install(lab.esme, "ESME", IS)
    updated = await lab.submit("8.4", DCC_BUSINESS_TARGET_ID, cv=8, parameters={
        "DeviceID": lab.esme, "FirmwareVersion": "0A0B0C0D"})
    assert updated.response_code is R.I0
    read = await lab.submit("8.2", DCC_BUSINESS_TARGET_ID, cv=8,
                            parameters={"DeviceID": lab.esme})
    [record] = read.response_data["devices"]
    assert (record["firmware_version"], record["status"], record["chf_id"]) == (
        "0A0B0C0D", "InstalledNotCommissioned", lab.chf)
    again = await lab.submit("12.2", DCC_BUSINESS_TARGET_ID, cv=8,
                             parameters={"DeviceID": lab.esme, "DeviceType": "ESME"})
    assert again.response_code is R.E49 and "already in the inventory" in again.detail


async def test_restoring_the_chf_device_log_uses_the_backup_the_chf_sent_and_raises_n30(lab):
    await lab.install(lab.esme, "ESME", IS)  # the CHF's CS14 alert backs up its log
    assert lab.dcc.state.backups.chf[lab.chf][1][0][0].hex() == lab.esme.replace("-", "").lower()
    restored = await lab.submit("8.12.1", lab.chf)
    assert (restored.response_code, restored.device_success) == (R.I0, True)
    assert restored.alert_codes() == [DccAlertCode.N30]
