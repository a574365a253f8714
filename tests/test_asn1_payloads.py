"""Typed ASN.1 payloads: every RTDS ASN.1 content decodes to its view and re-encodes
exactly; the views carry the right values; malformed contents fail with located
DecodeErrors; the constructors an emulator uses reproduce RTDS bytes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbcs.asn1 import (
    ActivateFirmwareAlert,
    ActivateFirmwareCommand,
    ActivateFirmwareOutcome,
    ActivateFirmwareResponseCode,
    Asn1AlertCode,
    CellUsage,
    CertificationRequestResponse,
    CommandAccepted,
    CredentialsReplacementMode,
    DerNode,
    DeviceCertificateResponse,
    DeviceLogBackupAlert,
    DeviceLogEntry,
    DeviceTimeStatus,
    DeviceType,
    EmptyCommand,
    FirmwareActivationResult,
    FirmwareTransferAlert,
    FirmwareTransferResponseCode,
    FirmwareVersionResponse,
    IssueSecurityCredentialsCommand,
    IssueSecurityCredentialsFailure,
    JoinCommand,
    JoinMethodAndRole,
    JoinResponse,
    JoinResponseCode,
    KeyUsage,
    PayloadView,
    PpmidFirmwareActivationAlert,
    ProvideDeviceCertificateFailure,
    ProvideSecurityCredentialDetailsCommand,
    ProvideSecurityCredentialDetailsResponse,
    ReadDeviceJoinDetailsResponse,
    ReadResponseCode,
    RemotePartyDetails,
    RemotePartyRole,
    RestoreDeviceLogCommand,
    RestoreDeviceLogResponse,
    RestoreOutcome,
    SetClockCommand,
    SetClockResponse,
    StatusCode,
    TrustAnchorCellContents,
    TrustAnchorCellIdentifier,
    UnjoinCommand,
    UnjoinResponse,
    UnjoinResponseCode,
    UpdateDeviceCertificateCommand,
    UpdateDeviceCertificateResponse,
    UpdateSecurityCredentialsAlert,
    UpdateSecurityCredentialsCommand,
    UpdateSecurityCredentialsResponse,
    decode_asn1_payload,
    decode_der,
    encode_asn1_payload,
    encode_der,
    payload_views,
)
from gbcs.asn1.certificates import parse_certificate_pem
from gbcs.asn1.payloads import _VIEWS
from gbcs.asn1.payloads_credentials import certificate_node
from gbcs.asn1.payloads_update_credentials import (
    AuthorisingRemotePartyControl,
    RemotePartySeqNumberChange,
    ReplacementOutcome,
    SpecialistSeqNumber,
    TrustAnchorReplacement,
    UpdateSecurityCredentialsOutcome,
)
from gbcs.errors import DecodeError, EncodeError
from tests.rtds import all_messages, content_of, keystore_dir, message
from tests.test_asn1_der import trees

CRA_OF_KIND = {"PRECOMMAND": 1, "COMMAND": 1, "RESPONSE": 2, "ALERT": 3}
ASN1_FIRST_BYTES = (0x30, 0x02, 0x04, 0x05)


def rtds_asn1() -> list[tuple[str, int, int, bytes]]:
    found = []
    for rtds in all_messages():
        code, content = content_of(rtds.data)
        if content and content[0] in ASN1_FIRST_BYTES:
            found.append((rtds.name, code, CRA_OF_KIND[rtds.kind], content))
    return found


RTDS_ASN1 = rtds_asn1()


def decoded(name: str):
    rtds = message(name)
    code, content = content_of(rtds.data)
    return decode_asn1_payload(content, message_code=code, cra=CRA_OF_KIND[rtds.kind])


def content(name: str) -> bytes:
    return content_of(message(name).data)[1]


@pytest.mark.parametrize(("name", "code", "cra", "data"), RTDS_ASN1,
                         ids=[item[0] for item in RTDS_ASN1])
def test_rtds_contents_decode_to_their_view_and_re_encode(name, code, cra, data):
    payload = decode_asn1_payload(data, message_code=code, cra=cra)
    assert not isinstance(payload, DerNode), "fell back to the generic tree"
    assert type(payload) in payload_views(code, cra)
    assert encode_asn1_payload(payload) == data
    assert type(payload).from_bytes(data) == payload
    assert type(payload).from_node(payload.to_node()) == payload


def test_unknown_message_codes_give_the_generic_tree():
    data = bytes.fromhex("3003020105")
    tree = decode_asn1_payload(data, message_code=0x1000, cra=3)
    assert isinstance(tree, DerNode) and encode_asn1_payload(tree) == data
    assert isinstance(decode_asn1_payload(data, message_code=None, cra=1), DerNode)
    assert isinstance(decode_asn1_payload(data, message_code=0x000D, cra=3), DerNode)


# =====================================================================================
# What the RTDS payloads say
# =====================================================================================


def test_join_and_unjoin():
    assert decoded("8.7.1_CS03A1/CS03A1_8.7.1_SUCCESS_COMMAND") == JoinCommand(
        JoinMethodAndRole.METHOD_A_INITIATOR, bytes.fromhex("00DB12345678909A"),
        DeviceType.HCALCS)
    assert decoded("8.7.1_CS03A1/CS03A1_8.7.1_SUCCESS_RESPONSE") == JoinResponse(
        JoinResponseCode.SUCCESS)
    assert decoded("8.7.1_CS03A1/CS03A1_8.7.1_ERROR_RESPONSE") == JoinResponse(
        JoinResponseCode.INCOMPATIBLE_WITH_EXISTING_ENTRY)
    assert decoded("8.7.2_CS03B/CS03B_8.7.2_SUCCESS_COMMAND").join_method_and_role == (
        JoinMethodAndRole.METHOD_B)
    assert decoded("8.7.2_CS03CNonCritical/CS03CNonCritical_8.7.2_ERROR_RESPONSE") == (
        JoinResponse(JoinResponseCode.INVALID_OR_MISSING_CERTIFICATE))
    method_c = decoded("8.7.1_CS03CCritical/CS03CCritical_8.7.1_SUCCESS_COMMAND")
    assert method_c.join_method_and_role == JoinMethodAndRole.METHOD_C
    assert method_c.other_device_type == DeviceType.PPMID
    info = method_c.certificate_info()
    assert info.entity_id == method_c.other_device_id == bytes.fromhex("00DB123456789098")
    assert info.key_usage == KeyUsage.KEY_AGREEMENT
    assert decoded("8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_ERROR_COMMAND") == (
        UnjoinCommand(bytes.fromhex("0303030303030303")))
    assert decoded("8.8.1_CS04ACCritical/CS04ACCritical_8.8.1_ERROR_RESPONSE") == (
        UnjoinResponse(UnjoinResponseCode.NOT_IN_DEVICE_LOG))


def test_device_logs():
    assert decoded("8.9_CS07/CS07_8.9_SUCCESS_COMMAND") == EmptyCommand()
    assert decoded("8.9_CS07/CS07_8.9_SUCCESS_RESPONSE") == ReadDeviceJoinDetailsResponse(
        ReadResponseCode.SUCCESS, (
            DeviceLogEntry(bytes.fromhex("0102030405060708"), DeviceType.GPF),
            DeviceLogEntry(bytes.fromhex("00DB123456789099"), DeviceType.GPF),
            DeviceLogEntry(bytes.fromhex("00DB123456789097"), DeviceType.PPMID)))
    assert decoded("8.9_CS07/CS07_8.9_ERROR_RESPONSE") == ReadDeviceJoinDetailsResponse(
        ReadResponseCode.READ_FAILURE)
    entries = (DeviceLogEntry(bytes.fromhex("0011223344556677"), DeviceType.PPMID),
               DeviceLogEntry(bytes.fromhex("8899AABBCCDDEEFF"), DeviceType.TYPE_2))
    assert decoded("8.12.2_GCS59/GCS59_8.12.2_SUCCESS_COMMAND") == RestoreDeviceLogCommand(
        entries)
    assert decoded("8.12.2_GCS59/GCS59_8.12.2_SUCCESS_RESPONSE") == RestoreDeviceLogResponse(
        tuple(RestoreOutcome(entry, JoinResponseCode.SUCCESS) for entry in entries))
    backup = decoded("NA_GCS62/GCS62_NA_8071_ALERT")
    assert backup.alert_code == Asn1AlertCode.GPF_DEVICE_LOG_CHANGED
    assert [entry.device_type for entry in backup.entries] == [6, 5, 5, 5, 5, 6]


def test_activate_firmware():
    precommand = message("11.3_CS06/CS06_11.3_FUTURE_DATED_SUCCESS_PRECOMMAND")
    command = decoded("11.3_CS06/CS06_11.3_FUTURE_DATED_SUCCESS_PRECOMMAND")
    assert command.manufacturer_image_hash.hex().upper() == (
        "AA758690730934FF0685AA758690730934FF0685657788990011223344556677")
    # the command repeats its own originator counter (Grouping Header bytes 3-10)
    assert command.originator_counter == int.from_bytes(precommand.data[3:11], "big") == 1001
    assert command.execution_time == datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
    assert not command.is_immediate and not command.is_cancellation
    assert decoded("11.3_CS06/CS06_11.3_CANCELLATION_SUCCESS_COMMAND").is_cancellation
    assert decoded("11.3_CS06/CS06_11.3_IMMEDIATE_SUCCESS_COMMAND").is_immediate
    assert decoded("11.3_CS06/CS06_11.3_FUTURE_DATED_SUCCESS_RESPONSE") == CommandAccepted()
    assert decoded("11.3_CS06/CS06_11.3_IMMEDIATE_SUCCESS_RESPONSE") == ActivateFirmwareOutcome(
        ActivateFirmwareResponseCode.SUCCESS, bytes.fromhex("0123ABCE"))
    alert = decoded("11.3_CS06/CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT")
    assert alert == ActivateFirmwareAlert.reporting(
        ActivateFirmwareOutcome(ActivateFirmwareResponseCode.SUCCESS, bytes.fromhex("0123ABCF")),
        datetime(2030, 1, 15, 9, 0, tzinfo=UTC), 1001)
    failed = decoded("11.3_CS06/CS06_11.3_8F67_FUTURE_DATED_ERROR_ALERT")
    assert failed.alert_code == Asn1AlertCode.FUTURE_DATED_EXECUTION_FAILURE
    assert failed == ActivateFirmwareAlert.reporting(failed.outcome, failed.execution_time,
                                                     failed.originator_counter)


def test_firmware_versions_and_alerts():
    assert decoded("11.2_CS08/CS08_11.2_SUCCESS_RESPONSE") == FirmwareVersionResponse(
        bytes.fromhex("0123ABCD"), ReadResponseCode.SUCCESS)
    start_of_2015 = datetime(2015, 1, 1, tzinfo=UTC)
    assert content("NA_CS09/CS09_NA_8F8B_ALERT") == PpmidFirmwareActivationAlert.reporting(
        bytes.fromhex("1234ABCD"), FirmwareActivationResult.SUCCESS, start_of_2015).to_bytes()
    assert content("NA_CCS08/CCS08_NA_NA_ALERT") == FirmwareTransferAlert.reporting(
        bytes.fromhex("00DB1234567890A4"), bytes.fromhex("0123ABCD"),
        FirmwareTransferResponseCode.SUCCESS, start_of_2015).to_bytes()
    assert FirmwareTransferAlert.reporting(
        bytes(8), bytes(4), FirmwareTransferResponseCode.IMAGE_DISCARDED, start_of_2015
    ).alert_code == Asn1AlertCode.FIRMWARE_TRANSFER_FAILURE


def test_set_clock():
    assert decoded("6.11_GCS28/GCS28_6.11_SUCCESS_COMMAND") == SetClockCommand(
        datetime(2014, 12, 31, 23, 30, tzinfo=UTC), datetime(2015, 1, 1, 0, 30, tzinfo=UTC))
    assert decoded("6.11_GCS28/GCS28_6.11_ERROR_RESPONSE") == SetClockResponse(
        datetime(2015, 1, 1, tzinfo=UTC), DeviceTimeStatus.UNRELIABLE)


def keystore_key_id(entity: str, usage: str) -> bytes:
    path = keystore_dir() / f"{entity.lower()}-{usage}.pem"
    return parse_certificate_pem(path.read_bytes()).subject_key_id


def test_provide_security_credential_details():
    command = decoded("6.24.1_CS02fMAC/CS02fMAC_6.24.1_SUCCESS_COMMAND")
    assert command == ProvideSecurityCredentialDetailsCommand(
        TrustAnchorCellIdentifier(RemotePartyRole.ACCESS_CONTROL_BROKER, KeyUsage.KEY_AGREEMENT),
        (RemotePartyRole.SUPPLIER, 8))
    response = decoded("6.24.1_CS02fMAC/CS02fMAC_6.24.1_SUCCESS_RESPONSE")
    assert response.wide_lengths  # 82 00 9F
    supplier, network_operator = response.details
    assert supplier.remote_party_role == RemotePartyRole.SUPPLIER
    assert supplier.status == StatusCode.SUCCESS and supplier.current_seq_number == 0
    ds, ka, prepayment = supplier.cells
    assert ds.subject_unique_id.hex().upper() == "90B3D51F30010000"
    assert ds.subject_key_id == keystore_key_id("90B3D51F30010000", "ds")
    assert ka.subject_key_id == keystore_key_id("90B3D51F30010000", "ka")
    assert prepayment.cell_usage == CellUsage.PREPAYMENT_TOP_UP
    assert prepayment.subject_key_id == keystore_key_id("90B3D51F30010000", "pp-ka")
    assert network_operator.current_seq_number == 1
    error = decoded("6.24.1_CS02fMAC/CS02fMAC_6.24.1_ERROR_RESPONSE")
    assert error == ProvideSecurityCredentialDetailsResponse(
        (RemotePartyDetails(RemotePartyRole.TRANSITIONAL_COS, StatusCode.OTHER),))


def test_update_security_credentials():
    folder = "6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1"
    command = decoded(f"{folder}_IMMEDIATE_SUCCESS_COMMAND")
    assert command.control == AuthorisingRemotePartyControl(
        CredentialsReplacementMode.SUPPLIER_BY_SUPPLIER, 1000, time_based_cpv_checks=1,
        authorising_cell=TrustAnchorCellIdentifier(RemotePartyRole.SUPPLIER,
                                                   KeyUsage.DIGITAL_SIGNATURE),
        new_floor_seq_number=0, new_specialist_floor_seq_numbers=(SpecialistSeqNumber(0, 0),))
    assert command.execution_time is None
    assert [replacement.target_cell.key_usage for replacement in command.replacements] == [
        KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT, KeyUsage.KEY_AGREEMENT]
    response = decoded(f"{folder}_IMMEDIATE_SUCCESS_RESPONSE")
    assert response.wide_lengths and response.outcome.succeeded
    assert response.outcome.authorising_seq_number == command.control.seq_number
    new_key_ids = [replacement.certificate_info().subject_key_id
                   for replacement in command.replacements]
    assert [outcome.replacing_subject_key_id for outcome in response.outcome.replacement_outcomes
            ] == new_key_ids
    assert decoded(f"{folder}_FUTURE_DATED_SUCCESS_COMMAND").execution_time == datetime(
        2030, 1, 15, tzinfo=UTC)
    assert decoded(f"{folder}_FUTURE_DATED_SUCCESS_RESPONSE") == (
        UpdateSecurityCredentialsResponse())
    alert = decoded(f"{folder}_8F67_FUTURE_DATED_ERROR_ALERT")
    assert not alert.outcome.succeeded
    assert alert.outcome.replacement_outcomes[1].status == StatusCode.NO_TRUST_ANCHOR
    assert UpdateSecurityCredentialsAlert.reporting(
        alert.outcome, alert.execution_time, wide_lengths=True
    ).to_bytes() == content(f"{folder}_8F67_FUTURE_DATED_ERROR_ALERT")
    recovery = decoded("NA_CS02bAnyExceptAbnormalRootByRecovery/"
                       "CS02bAnyExceptAbnormalRootByRecovery_NA_SUCCESS_COMMAND")
    assert [change.remote_party_role for change in recovery.control.other_seq_number_changes
            ] == [2, 3, 4, 5]
    assert recovery.control.other_seq_number_changes[0] == RemotePartySeqNumberChange(
        RemotePartyRole.SUPPLIER, 0, (SpecialistSeqNumber(0, 0),))
    acb = decoded("8.5_CS02bACBByACB/CS02bACBByACB_8.5_SUCCESS_RESPONSE")
    assert not acb.wide_lengths  # 77 bytes: no length reaches 128
    load_controller = decoded("NA_CS02gLoadControllerByLoadController/"
                              "CS02gLoadControllerByLoadController_NA_IMMEDIATE_SUCCESS_COMMAND")
    assert load_controller.control.replacement_mode == (
        CredentialsReplacementMode.LOAD_CONTROLLER_BY_LOAD_CONTROLLER)


def test_certificates_and_requests():
    request = decoded("6.17_CS02c/CS02c_6.17_SUCCESS_RESPONSE")
    assert isinstance(request, CertificationRequestResponse)
    info = request.request_info()
    assert info.signature_valid and info.key_usage == KeyUsage.DIGITAL_SIGNATURE
    assert info.entity_id.hex().upper() == "00DB1234567890A0"
    assert decoded("6.17_CS02c/CS02c_6.17_SUCCESS_COMMAND") == IssueSecurityCredentialsCommand(
        KeyUsage.DIGITAL_SIGNATURE)
    assert decoded("6.17_CS02c/CS02c_6.17_ERROR_RESPONSE") == IssueSecurityCredentialsFailure(3)
    update = decoded("6.15.2_CS02d/CS02d_6.15.2_SUCCESS_COMMAND")
    assert isinstance(update, UpdateDeviceCertificateCommand)
    assert update.certificate_info().entity_id.hex().upper() == "00DB1234567890A0"
    assert decoded("6.15.2_CS02d/CS02d_6.15.2_ERROR_RESPONSE") == (
        UpdateDeviceCertificateResponse(3))
    provided = decoded("6.24.2_CS02e/CS02e_6.24.2_SUCCESS_RESPONSE")
    assert isinstance(provided, DeviceCertificateResponse)
    assert provided.certificate == update.certificate
    assert decoded("6.24.2_CS02e/CS02e_6.24.2_ERROR_RESPONSE") == (
        ProvideDeviceCertificateFailure(3))


# =====================================================================================
# Malformed payloads
# =====================================================================================


@pytest.mark.parametrize(("code", "cra", "hex_data", "reason", "offset", "path"), [
    (0x000D, 1, "300f020100040700db123456789a020104", "other_device_id must be 8 bytes, got 7",
     5, "asn1.join_command.other_device_id"),
    (0x000D, 1, "300d020100040800db12345678909a", "other_device_type missing", 15,
     "asn1.join_command.other_device_type"),
    (0x000D, 1, "3012020100040800db12345678909a0201040500",
     "expected SEQUENCE, found NULL", 18, "asn1.join_command.other_device_certificate"),
    (0x007F, 2, "3016180f32303134313233313233333030305a0201000500",
     "unexpected NULL after the last field", 22, "asn1.set_clock_response"),
    (0x000D, 1, "3010020100040800db12345678909a0a0104",
     "expected INTEGER, found ENUMERATED", 15, "asn1.join_command.other_device_type"),
    (0x000D, 2, "02020001", "empty or non-minimal INTEGER", 0, "asn1.join_response"),
    (0x000D, 2, "0500", "expected INTEGER for message code 0x000D, found NULL", 0, "asn1"),
    (0x0013, 2, "300d02010030083006040100020105", "device_id must be 8 bytes, got 1", 9,
     "asn1.read_device_join_details_response.device_log[0].device_id"),
    (0x007F, 2, "3014180f32303135303133323030303030305a020100",
     "invalid GeneralizedTime: day is out of range for month", 2,
     "asn1.set_clock_response.device_time"),
    (0x0012, 2, "0501ff", "NULL with contents", 0, "asn1.command_accepted"),
])
def test_malformed_payloads_are_located(code, cra, hex_data, reason, offset, path):
    with pytest.raises(DecodeError) as caught:
        decode_asn1_payload(bytes.fromhex(hex_data), message_code=code, cra=cra, offset=40)
    assert (caught.value.reason, caught.value.offset, caught.value.path) == (
        reason, offset + 40, path)


def test_only_the_rtds_devices_length_form_is_accepted():
    folder = "6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1"
    wide = content(f"{folder}_IMMEDIATE_SUCCESS_RESPONSE")
    narrow = decoded(f"{folder}_IMMEDIATE_SUCCESS_RESPONSE")
    narrow = dataclasses.replace(narrow, wide_lengths=False).to_bytes()
    assert len(narrow) == len(wide) - 3
    assert not decode_asn1_payload(narrow, message_code=0x0102, cra=2).wide_lengths
    assert narrow[:2] + narrow[3:7] == bytes.fromhex("308105003081")
    # the root keeps its one-octet length, the outcome gets 82 00 xx
    mixed = bytes((0x30, 0x81, narrow[2] + 1, 0x05, 0x00, 0x30, 0x82, 0x00, narrow[7]))
    mixed += narrow[8:]
    with pytest.raises(DecodeError, match="mixed forms"):
        decode_asn1_payload(mixed, message_code=0x0102, cra=2)
    command = content("11.3_CS06/CS06_11.3_IMMEDIATE_SUCCESS_COMMAND")
    with pytest.raises(DecodeError) as caught:  # fine as BER, but not as this view
        decode_asn1_payload(b"\x30\x81" + command[1:], message_code=0x0012, cra=1)
    assert (caught.value.reason, caught.value.offset, caught.value.path) == (
        "length encoding the payload cannot reproduce", 0, "asn1.activate_firmware_command")


def test_encoding_checks_field_sizes():
    with pytest.raises(EncodeError):
        JoinCommand(0, bytes(7), DeviceType.PPMID).to_bytes()
    with pytest.raises(EncodeError):
        ActivateFirmwareCommand(bytes(31), 1).to_bytes()
    with pytest.raises(EncodeError):
        encode_asn1_payload("not a payload")  # type: ignore[arg-type]
    with pytest.raises(EncodeError):
        JoinResponse("0").to_bytes()  # type: ignore[arg-type]


# =====================================================================================
# Properties
# =====================================================================================


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=48))
def test_random_bytes_raise_only_decode_errors(data):
    for code, cra in _VIEWS:
        try:
            payload = decode_asn1_payload(data, message_code=code, cra=cra)
        except DecodeError:
            continue
        assert encode_asn1_payload(payload) == data


@settings(max_examples=200, deadline=None)
@given(trees)
def test_any_der_tree_raises_only_decode_errors(tree):
    data = encode_der(tree)
    for code, cra in _VIEWS:
        try:
            payload = decode_asn1_payload(data, message_code=code, cra=cra)
        except DecodeError:
            continue
        assert encode_asn1_payload(payload) == data


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RTDS_ASN1), st.data())
def test_corrupted_rtds_contents_raise_only_decode_errors(item, data):
    _name, code, cra, original = item
    corrupted = bytearray(original)
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(corrupted) - 1))
        corrupted[index] = data.draw(st.integers(0, 255))
    try:
        payload = decode_asn1_payload(bytes(corrupted), message_code=code, cra=cra)
    except DecodeError:
        return
    assert encode_asn1_payload(payload) == bytes(corrupted)


def mutated(node: DerNode, data) -> DerNode:
    """``node`` with one element somewhere in it replaced, dropped or repeated."""
    children = node.children
    if node.value is None and children and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(children) - 1))
        inner = mutated(children[index], data)
        return DerNode(node.tag, None, (*children[:index], inner, *children[index + 1:]))
    change = data.draw(st.sampled_from(["replace", "drop", "repeat"]))
    if change == "replace" or node.value is not None or not children:
        return data.draw(trees)
    index = data.draw(st.integers(0, len(children) - 1))
    if change == "drop":
        return DerNode(node.tag, None, children[:index] + children[index + 1:])
    return DerNode(node.tag, None, children[:index + 1] + children[index:])


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(RTDS_ASN1), st.data())
def test_restructured_rtds_contents_raise_only_decode_errors(item, data):
    _name, code, cra, original = item
    changed = encode_der(mutated(decode_der(original), data))
    try:
        payload = decode_asn1_payload(changed, message_code=code, cra=cra)
    except DecodeError:
        return
    assert encode_asn1_payload(payload) == changed


ints = st.integers(min_value=-(2**40), max_value=2**40)
small = st.integers(min_value=0, max_value=300)
ids = st.binary(min_size=8, max_size=8)
octets = st.binary(max_size=40)
times = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31),
                     timezones=st.just(UTC))
usages = st.integers(min_value=0, max_value=511).map(KeyUsage)
maybe = st.none().__or__
entries = st.builds(DeviceLogEntry, ids, small)
cells = st.builds(TrustAnchorCellIdentifier, small, usages, maybe(small))
specialist = st.builds(SpecialistSeqNumber, small, ints)
changes = st.builds(RemotePartySeqNumberChange, small, ints, maybe(st.tuples(specialist)))
outcomes = st.builds(UpdateSecurityCredentialsOutcome, ints, small,
                     st.lists(changes, max_size=3).map(tuple),
                     st.lists(st.builds(ReplacementOutcome, cells, small, octets, octets,
                                        octets, octets), max_size=4).map(tuple))
KEYSTORE_CERTIFICATES = [
    certificate_node(parse_certificate_pem(
        (keystore_dir() / name).read_bytes()).der)
    for name in ("90b3d51f30010000-ds.pem", "00db1234567890a0-ka.pem")]
certificates = st.sampled_from(KEYSTORE_CERTIFICATES)

payloads = st.one_of(
    st.builds(JoinCommand, small, ids, small, maybe(certificates)),
    st.builds(JoinResponse, ints),
    st.builds(UnjoinCommand, ids),
    st.builds(ReadDeviceJoinDetailsResponse, small,
              maybe(st.lists(entries, max_size=20).map(tuple))),
    st.builds(RestoreDeviceLogResponse,
              st.lists(st.builds(RestoreOutcome, entries, small), max_size=5).map(tuple)),
    st.builds(DeviceLogBackupAlert, ints, times, st.lists(entries, max_size=5).map(tuple)),
    st.builds(ActivateFirmwareCommand, st.binary(min_size=32, max_size=32), ints,
              maybe(times)),
    st.builds(ActivateFirmwareAlert, ints, times, ints,
              st.builds(ActivateFirmwareOutcome, small, st.binary(min_size=4, max_size=4))),
    st.builds(SetClockResponse, times, small),
    st.builds(ProvideSecurityCredentialDetailsCommand, cells,
              st.lists(small, max_size=4).map(tuple)),
    st.builds(ProvideSecurityCredentialDetailsResponse, st.lists(st.builds(
        RemotePartyDetails, small, small, maybe(ints), maybe(st.lists(st.builds(
            TrustAnchorCellContents, usages, octets, octets, maybe(small)), max_size=3).map(
                tuple))), max_size=4).map(tuple), st.booleans()),
    st.builds(UpdateSecurityCredentialsResponse, maybe(outcomes), st.booleans()),
    st.builds(UpdateSecurityCredentialsAlert, ints, times, outcomes, st.booleans()),
    st.builds(UpdateSecurityCredentialsCommand, st.builds(
        AuthorisingRemotePartyControl, small, ints, maybe(octets), maybe(small), maybe(cells),
        maybe(ints), maybe(st.lists(specialist, max_size=2).map(tuple)),
        maybe(st.lists(changes, max_size=2).map(tuple))),
        st.lists(st.builds(TrustAnchorReplacement, certificates, cells), max_size=2).map(tuple),
        st.lists(certificates, max_size=2).map(tuple), maybe(times)),
)


@settings(max_examples=400, deadline=None)
@given(payloads)
def test_built_payloads_round_trip(payload: PayloadView):
    data = encode_asn1_payload(payload)
    code, cra = next(key for key, views in _VIEWS.items() if type(payload) in views)
    again = decode_asn1_payload(data, message_code=code, cra=cra)
    assert encode_asn1_payload(again) == data
    if getattr(payload, "wide_lengths", False) and not again.wide_lengths:
        # nothing reached 128-255 bytes, so both forms are the same bytes
        assert dataclasses.replace(payload, wide_lengths=False).to_bytes() == data
        payload = dataclasses.replace(payload, wide_lengths=False)
    assert again == payload
