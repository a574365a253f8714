"""GBZ layer: components, payloads and alerts against RTDS, builders and malformed input."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbcs.errors import CryptoError, DecodeError, EncodeError
from gbcs.gbz import (
    GBZ_ALERT,
    GBZ_COMPONENT,
    GBZ_PAYLOAD,
    FirmwareDistributionReceipt,
    FutureDatedExecution,
    GbzAlert,
    GbzAlertCodec,
    GbzComponent,
    GbzEncryption,
    GbzPayload,
    MeterIntegrityWarning,
    ReadAttributes,
    attribute_name,
    decode_gbz,
    encode_gbz,
    encode_zcl_payload,
    encrypted_gbz_component,
    gbz_alert,
    gbz_component,
    gbz_payload,
    make_component,
)
from gbcs.gbz.clusters_metering import PublishSnapshot, TouSnapshot
from gbcs.gbz.zcl import Direction, zcl_command
from tests.roundtrip import roundtrip
from tests.rtds import all_messages, content_of, message

GBZ_MESSAGES = [m for m in all_messages() if content_of(m.data)[1][:2] == b"\x01\x09"]
KNOWN_ALERT_CODES = [None, 0x00CD, 0x00CF, 0x00F2, 0x008B, 0x1000, 0x1001]


def _fake_encrypt(plaintext: bytes) -> bytes:
    return bytes(b ^ 0x5A for b in plaintext) + b"T" * 12


def test_rtds_has_gbz_messages():
    kinds = {m.kind for m in GBZ_MESSAGES}
    assert len(GBZ_MESSAGES) == 292
    assert kinds == {"PRECOMMAND", "COMMAND", "RESPONSE", "ALERT"}


@pytest.mark.parametrize("rtds", GBZ_MESSAGES, ids=lambda m: m.name)
def test_rtds_gbz_roundtrip(rtds):
    code, content = content_of(rtds.data)
    alert = rtds.kind == "ALERT"
    decoded = decode_gbz(content, alert=alert, message_code=code, offset=100)
    assert encode_gbz(decoded) == content
    if alert:
        assert isinstance(decoded, GbzAlert)
        assert roundtrip(GbzAlertCodec(code), content) == decoded
        assert roundtrip(GBZ_ALERT, content).data == content[9:]
        return
    assert isinstance(decoded, GbzPayload)
    assert roundtrip(GBZ_PAYLOAD, content) == decoded
    assert len(decoded.components) == content[2]
    pieces = []
    for index, component in enumerate(decoded.components):
        assert component.is_last == (index == len(decoded.components) - 1)
        raw = GBZ_COMPONENT.build(component)
        assert roundtrip(GBZ_COMPONENT, raw) == component
        pieces.append(raw)
        start = component.payload_offset - 100
        assert content[start:start + len(component.payload)] == component.payload
        if component.is_encrypted:
            assert component.ciphertext + component.tag == component.payload
            assert len(component.tag) == 12
    assert b"".join(pieces) == content[3:]


def test_gcs13a_command_reads_four_metering_attributes():
    code, content = content_of(message(
        "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND").data)
    payload = decode_gbz(content, alert=False, message_code=code)
    (component,) = payload.components
    assert (component.control, component.cluster_id) == (0x01, 0x0702)
    assert (component.frame_control, component.sequence_number, component.command_id) == (0, 0, 0)
    assert component.from_date_time is None and component.encryption is None
    command = component.zcl_command()
    assert command.name == "Read Attributes"
    assert command.body == ReadAttributes(attribute_ids=(0x0302, 0x0301, 0x0300, 0x0000))
    names = [attribute_name(0x0702, a) for a in command.body.attribute_ids]
    assert names == ["Divisor", "Multiplier", "UnitOfMeasure", "CurrentSummationDelivered"]


def test_gcs13a_response_is_one_encrypted_component():
    code, content = content_of(message(
        "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE").data)
    (component,) = decode_gbz(content, alert=False, message_code=code).components
    assert component.control == 0x03 and component.is_encrypted and component.is_last
    assert component.cluster_id == 0x0702
    assert (component.frame_control, component.command_id) == (0x18, 0x01)
    assert component.encryption == GbzEncryption(0, 0, 0)
    assert len(component.ciphertext) == 29
    assert len(component.payload) == 29 + 12
    with pytest.raises(CryptoError):
        component.zcl_command()


def test_gcs01a_alert_reports_future_dated_execution():
    rtds = message("1.1.1_GCS01a/GCS01a_1.1.1_8F66_FUTURE_DATED_BLOCK_SUCCESS_ALERT_"
                   "PUBLISH_BLOCK_THRESHOLDS")
    code, content = content_of(rtds.data)
    assert code == 0x00CD
    alert = decode_gbz(content, alert=True, message_code=code)
    assert alert.alert_code == 0x8F66
    assert alert.time == datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
    assert alert.data == FutureDatedExecution(
        message_code=0x006B, originator_counter=1005, cluster_id=0x0700, frame_control=0x09,
        command_id=0x06)
    raw = decode_gbz(content, alert=True)
    assert raw.data == content[9:] and encode_gbz(raw) == content


def test_firmware_receipt_and_generic_alerts():
    code, content = content_of(message("NA_FDRA-ZigBee/FDRA-ZigBee_NA_8F72_ALERT").data)
    receipt = decode_gbz(content, alert=True, message_code=code)
    assert receipt.alert_code == 0x8F72
    assert isinstance(receipt.data, FirmwareDistributionReceipt)
    assert len(receipt.data.image_hash) == 32
    code, content = content_of(message("NA_GCA-ZigBee/GCA-ZigBee_NA_8F30_ALERT").data)
    generic = decode_gbz(content, alert=True, message_code=code)
    assert (code, generic.alert_code, generic.data, content[2]) == (0x1000, 0x8F30, b"", 0)
    with pytest.raises(DecodeError) as error:
        decode_gbz(content[:2] + b"\x01" + content[3:] + b"\x00\x01", alert=True,
                   message_code=0x1000, offset=7)
    assert error.value.offset == 7 + 9 and error.value.path == "gbz_alert.data"


def test_meter_integrity_and_billing_data_log_alerts_build_and_decode():
    warning = gbz_alert(0x81A0, datetime(2015, 1, 1, tzinfo=UTC), MeterIntegrityWarning(7))
    raw = encode_gbz(warning)
    assert raw == bytes.fromhex("01090181A01C374A800007")
    assert decode_gbz(raw, alert=True, message_code=0x00F2) == warning

    snapshot = PublishSnapshot(
        snapshot_id=1, snapshot_time=5, total_snapshots_found=1, command_index=0,
        total_number_of_commands=1, snapshot_cause=8, snapshot_payload_type=4,
        snapshot_payload=TouSnapshot(current_summation=9, number_of_tiers_in_use=2,
                                     tier_summations=(4, 5)))
    component = encrypted_gbz_component(zcl_command(snapshot), 0, _fake_encrypt).with_last(True)
    log = gbz_alert(0x8F0A, 100, component)
    raw = encode_gbz(log)
    assert raw[2] == 1 and raw[9] == 0x03
    decoded = decode_gbz(raw, alert=True, message_code=0x008B, offset=50)
    assert decoded == log
    assert decoded.data.payload_offset == 50 + len(raw) - len(component.payload)
    plaintext = bytes(b ^ 0x5A for b in decoded.data.ciphertext)
    assert decoded.data.zcl_command(plaintext).body == snapshot


def test_alert_count_must_match_data():
    with pytest.raises(DecodeError) as error:
        decode_gbz(bytes.fromhex("0109008F661C374A80FF"), alert=True)
    assert error.value.path == "gbz_alert.component_count" and error.value.offset == 2
    with pytest.raises(DecodeError):
        decode_gbz(bytes.fromhex("0109008F661C374A"), alert=True)
    with pytest.raises(DecodeError):
        decode_gbz(bytes.fromhex("0109018F661C374A800F"), alert=True, message_code=0x00CD)


def test_builders_derive_control_bits_and_lengths():
    read = zcl_command(ReadAttributes(attribute_ids=(0x0206,)), cluster_id=0x0702,
                       direction=Direction.CLIENT_TO_SERVER)
    first = gbz_component(read, 0)
    dated = gbz_component(read, 1, from_date_time=0xFFFFFFFF)
    sealed = encrypted_gbz_component(read, 2, _fake_encrypt,
                                     encryption=GbzEncryption(frame_counter=1))
    payload = gbz_payload([first, dated, sealed])
    assert [c.control for c in payload.components] == [0x00, 0x10, 0x03]
    raw = encode_gbz(payload)
    assert raw == bytes.fromhex(
        "010903"
        "00 0702 0005 000000 0602"
        "10 0702 0009 FFFFFFFF 000100 0602"
        "03 0702 001A 0001 000200 0013 3100000000 5C58 545454545454545454545454")
    assert decode_gbz(raw, alert=False) == payload
    assert make_component(0x0702, 0, 0, 0, b"").control == 0


def test_encode_validates_control_bits():
    component = make_component(0x0702, 0, 0, 0, b"\x00\x00")
    with pytest.raises(EncodeError):
        encode_gbz(GbzPayload((component,)))  # last bit missing
    with pytest.raises(EncodeError):
        encode_gbz(GbzPayload((component.with_last(True), component.with_last(True))))
    bad_fdt = GbzComponent(0x11, 0x0702, 0, 0, 0, b"")
    with pytest.raises(EncodeError):
        encode_gbz(GbzPayload((bad_fdt,)))
    bad_encrypted = GbzComponent(0x03, 0x0702, 0, 0, 0, b"short")
    with pytest.raises(EncodeError):
        encode_gbz(GbzPayload((bad_encrypted,)))
    no_flag = GbzComponent(0x01, 0x0702, 0, 0, 0, b"x" * 12, encryption=GbzEncryption())
    with pytest.raises(EncodeError):
        encode_gbz(GbzPayload((no_flag,)))
    with pytest.raises(EncodeError):
        encode_gbz(GbzPayload((GbzComponent(0x01, 0x10000, 0, 0, 0, b""),)))
    with pytest.raises(EncodeError):
        encrypted_gbz_component(zcl_command(ReadAttributes(attribute_ids=()), cluster_id=0,
                                            direction=Direction.CLIENT_TO_SERVER),
                                0, lambda plaintext: b"")


def _encrypted(*, ciphered_length: int | None = None, security_control: int = 0x31,
               tag_size: int = 12) -> str:
    ciphered = 5 + tag_size
    body = (f"0000 180001 {ciphered_length or ciphered:04X} {security_control:02X} 00000000"
            + "00" * tag_size)
    return f"010901 03 0702 {len(bytes.fromhex(body)):04X} {body}"


@pytest.mark.parametrize(("hex_content", "offset", "path"), [
    ("0108010107020000", 0, "gbz.profile_id"),
    ("0109", 2, "gbz.component_count"),
    ("01090101070200", 3, "gbz.components[0].control"),
    ("010901010702000500", 6, "gbz.components[0].command_length"),
    ("01090101070200020000", 8, "gbz.components[0].frame_control"),
    ("01090100070200030000000000", 3, "gbz.components[0].control"),
    ("0109011107020003000000", 8, "gbz.components[0].from_date_time"),
    (_encrypted(ciphered_length=0x0111), 13, "gbz.components[0].ciphered_length"),
    (_encrypted(security_control=0x32), 15, "gbz.components[0].security_control"),
    (_encrypted(tag_size=11), 13, "gbz.components[0].ciphered_information"),
    ("01090101070200030000000000", 11, "gbz"),
])
def test_malformed_gbz_reports_offset_and_path(hex_content, offset, path):
    with pytest.raises(DecodeError) as error:
        decode_gbz(bytes.fromhex(hex_content), alert=False, offset=40)
    assert (error.value.offset, error.value.path) == (40 + offset, path)


def _mutations(content: bytes):
    return st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)).map(
        lambda change: content[:change[0]] + bytes((change[1],)) + content[change[0] + 1:])


_SAMPLE = [content_of(m.data) for m in GBZ_MESSAGES[::7]]


@settings(max_examples=400, deadline=None)
@given(data=st.one_of(
    st.binary(max_size=80),
    st.binary(max_size=60).map(lambda tail: b"\x01\x09" + tail),
    st.sampled_from(_SAMPLE).flatmap(lambda sample: _mutations(sample[1])),
    st.sampled_from(_SAMPLE).flatmap(lambda sample: st.integers(0, len(sample[1])).map(
        lambda cut: sample[1][:cut]))),
    alert=st.booleans(), code=st.sampled_from(KNOWN_ALERT_CODES))
def test_random_input_raises_only_decode_error_and_decoded_input_reencodes(data, alert, code):
    try:
        decoded = decode_gbz(data, alert=alert, message_code=code)
    except DecodeError:
        return
    assert encode_gbz(decoded) == data
    if not alert:
        for component in decoded.components:
            if component.is_encrypted:
                continue
            try:
                command = component.zcl_command()
            except DecodeError:
                continue
            assert encode_zcl_payload(command) == component.payload


_components = st.builds(
    lambda cluster, fc, seq, cmd, payload, fdt, encryption: make_component(
        cluster, fc, seq, cmd, payload + (b"\x00" * 12 if encryption else b""),
        from_date_time=fdt, encryption=encryption),
    st.integers(0, 0xFFFF), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
    st.binary(max_size=40), st.none() | st.integers(0, 0xFFFFFFFF),
    st.none() | st.builds(GbzEncryption, st.integers(0, 255), st.integers(0, 255),
                          st.integers(0, 0xFFFFFFFF)))


@settings(max_examples=200, deadline=None)
@given(components=st.lists(_components, max_size=6))
def test_built_payloads_roundtrip(components):
    payload = gbz_payload(components)
    raw = encode_gbz(payload)
    assert decode_gbz(raw, alert=False) == payload
    assert roundtrip(GBZ_PAYLOAD, raw) == payload


@settings(max_examples=100, deadline=None)
@given(code=st.integers(0, 0xFFFF), timestamp=st.integers(0, 0xFFFFFFFF),
       data=st.one_of(st.just(b""), st.binary(min_size=1, max_size=20),
                      st.builds(MeterIntegrityWarning, st.integers(0, 0xFFFF)),
                      st.builds(FirmwareDistributionReceipt, st.binary(min_size=32,
                                                                       max_size=32)),
                      st.builds(FutureDatedExecution, st.integers(0, 0xFFFF),
                                st.integers(0, 2**64 - 1), st.integers(0, 0xFFFF),
                                st.integers(0, 255), st.integers(0, 255))))
def test_built_alerts_roundtrip(code, timestamp, data):
    alert = gbz_alert(code, timestamp, data)
    message_code = {MeterIntegrityWarning: 0x00F2, FirmwareDistributionReceipt: 0x00CF,
                    FutureDatedExecution: 0x00CD}.get(type(data))
    assert decode_gbz(encode_gbz(alert), alert=True, message_code=message_code) == alert
