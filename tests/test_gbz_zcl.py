"""ZCL payloads: RTDS commands, global commands, data types, cluster tables, malformed input."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbcs.errors import DecodeError, EncodeError
from gbcs.gbz import (
    CLUSTER_COMMANDS,
    GLOBAL_COMMANDS,
    ZCL_DATA_TYPES,
    AttributeStatus,
    AttributeValue,
    DefaultResponse,
    Direction,
    FrameControl,
    FrameType,
    GbzPayload,
    ReadAttributes,
    ReadAttributesResponse,
    WriteAttributes,
    WriteAttributesResponse,
    WriteAttributeStatus,
    ZclCommand,
    ZclStatus,
    attribute_name,
    cluster_name,
    decode_gbz,
    decode_zcl_payload,
    encode_gbz,
    encode_zcl_payload,
    gbz_component,
    gbz_payload,
    status_name,
    zcl_command,
)
from gbcs.gbz.clusters_calendar import PublishSeasons, SeasonEntry
from gbcs.gbz.clusters_device import DisplayMessage, SetEventConfiguration
from gbcs.gbz.clusters_metering import GetSnapshot
from gbcs.gbz.clusters_price import BlockThresholdGroup, PublishBlockThresholds, PublishPrice
from gbcs.gbz.records import Counted, Greedy, Optional, RecordCodec, Rest, Switch
from gbcs.gbz.zcl_types import BooleanType, FixedBytes, FloatType, IntType, StringType, ZclDate
from tests.roundtrip import roundtrip
from tests.rtds import all_messages, content_of

C2S, S2C = Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT


def _plaintext_components():
    found = []
    for rtds in all_messages():
        code, content = content_of(rtds.data)
        if content[:2] != b"\x01\x09" or rtds.kind == "ALERT":
            continue
        for component in decode_gbz(content, alert=False, message_code=code).components:
            if not component.is_encrypted:
                found.append((rtds.name, component))
    return found


PLAINTEXT = _plaintext_components()


def test_rtds_plaintext_zcl_payloads_roundtrip_and_are_named():
    names: Counter[str] = Counter()
    raw = 0
    for _, component in PLAINTEXT:
        command = component.zcl_command()
        assert encode_zcl_payload(command) == component.payload
        if command.is_raw:
            raw += 1
            continue
        assert roundtrip(command.spec.codec, component.payload) == command.body
        if hasattr(command.body, "trailing"):
            assert command.body.trailing == b""
        names[command.name] += 1
    assert len(PLAINTEXT) == 1087
    assert raw == 0
    assert len(names) == 54
    assert names["Default Response"] == 389 and names["Get Snapshot"] == 110


def test_every_rtds_cluster_specific_command_is_in_the_table():
    seen = {(c.cluster_id, c.frame_control, c.command_id) for _, c in PLAINTEXT
            if c.frame_control & 0x03 == FrameType.CLUSTER_SPECIFIC}
    for cluster_id, frame_control, command_id in seen:
        direction = Direction(1 if frame_control & 0x08 else 0)
        assert (cluster_id, direction, command_id) in CLUSTER_COMMANDS


def test_every_rtds_read_attribute_is_named():
    for _, component in PLAINTEXT:
        command = component.zcl_command()
        if isinstance(command.body, ReadAttributes):
            for attribute_id in command.body.attribute_ids:
                assert attribute_name(component.cluster_id, attribute_id), hex(attribute_id)
        if isinstance(command.body, ReadAttributesResponse):
            for record in command.body.records:
                assert attribute_name(component.cluster_id, record.attribute_id)
    assert attribute_name(0x0705, 0x0239) == "DebtRecoveryTopUpPercentage3"
    assert attribute_name(0x0700, 0x0410) == "Tier1Block1Price"
    assert attribute_name(0x0702, 0x0106) == "CurrentTier4SummationDelivered"
    assert attribute_name(0x0702, 0xFFFF) is None
    assert cluster_name(0x0705) == "Prepayment" and cluster_name(0x1234) == "cluster 0x1234"


def test_read_attributes_response_with_failures():
    # GCS21e basic-cluster response: manufacturer name fails, model id and HW version read
    payload = bytes.fromhex("0400C00500004210474649202020202000DB1234567890A10300002001")
    command = decode_zcl_payload(0x0000, 0x08, 0x01, payload)
    records = command.body.records
    assert records[0] == AttributeStatus(0x0004, ZclStatus.HARDWARE_FAILURE)
    assert records[1].data_type == 0x42 and records[1].value[:3] == b"GFI"
    assert records[2] == AttributeStatus(0x0003, 0, 0x20, 1)
    assert status_name(records[0].status) == "HARDWARE_FAILURE" and status_name(0x55) == "0x55"
    assert encode_zcl_payload(command) == payload


def test_gcs38_firmware_version_read():
    request = zcl_command(ReadAttributes(attribute_ids=(0x0206,)), cluster_id=0x0702,
                          direction=C2S)
    raw = encode_gbz(gbz_payload([gbz_component(request, 0)]))
    assert raw == bytes.fromhex("0109 01 01 0702 0005 000000 0602")
    response = zcl_command(
        ReadAttributesResponse(records=(AttributeStatus(0x0206, 0, 0x41, b"\xac\xdc\xac\xdc"),)),
        cluster_id=0x0702, direction=S2C, disable_default_response=True)
    assert response.frame_control == 0x18 and response.command_id == 0x01
    raw = encode_gbz(gbz_payload([gbz_component(response, 0)]))
    (component,) = decode_gbz(raw, alert=False).components
    (record,) = component.zcl_command().body.records
    assert attribute_name(component.cluster_id, record.attribute_id) == "CurrentMeterID"
    assert (record.data_type, record.value) == (0x41, bytes.fromhex("ACDCACDC"))


def test_write_attributes_and_default_response():
    write = WriteAttributes(records=(AttributeValue(0x0031, 0x23, 5000),
                                     AttributeValue(0x0000, 0x19, 0x0C97)))
    payload = encode_zcl_payload(zcl_command(write, cluster_id=0x0705, direction=C2S))
    assert payload == bytes.fromhex("3100 23 88130000 0000 19 970C")
    assert decode_zcl_payload(0x0705, 0x00, 0x02, payload).body == write
    for raw, records in ((b"\x00", (WriteAttributeStatus(0),)),
                         (bytes.fromhex("883100 000000"),
                          (WriteAttributeStatus(0x88, 0x0031), WriteAttributeStatus(0, 0)))):
        command = decode_zcl_payload(0x0705, 0x08, 0x04, raw)
        assert command.body == WriteAttributesResponse(records=records)
        assert encode_zcl_payload(command) == raw
    default = decode_zcl_payload(0x0707, 0x08, 0x0B, b"\x04\xc0")
    assert default.body == DefaultResponse(command_id=4, status=0xC0)
    with pytest.raises(DecodeError):
        decode_zcl_payload(0x0707, 0x08, 0x0B, b"\x04\xc0\x00")
    with pytest.raises(EncodeError):
        encode_zcl_payload(ZclCommand(0x0705, 0x08, 0x04,
                                      WriteAttributesResponse(records=(WriteAttributeStatus(1),))))


def test_frame_control_view():
    glob, cluster = FrameType.GLOBAL, FrameType.CLUSTER_SPECIFIC
    expected = {0x00: (glob, C2S, False), 0x01: (cluster, C2S, False),
                0x08: (glob, S2C, False), 0x09: (cluster, S2C, False),
                0x18: (glob, S2C, True), 0x19: (cluster, S2C, True)}
    for raw, (kind, direction, no_default) in expected.items():
        frame = FrameControl(raw)
        assert (frame.frame_type, frame.direction, frame.disable_default_response) == \
            (kind, direction, no_default)
        assert not frame.manufacturer_specific
        assert FrameControl.compose(kind, direction,
                                    disable_default_response=no_default).raw == raw
    assert FrameControl(0x06).frame_type == 2 and FrameControl(0x04).manufacturer_specific
    assert str(FrameControl(0x19)) == \
        "cluster-specific, server->client, disable default response"


def test_unknown_and_manufacturer_specific_commands_stay_raw():
    for cluster_id, frame_control, command_id in ((0x0702, 0x01, 0x55), (0x0702, 0x05, 0x06),
                                                  (0x1234, 0x01, 0x00), (0x0702, 0x00, 0x0A),
                                                  (0x0702, 0x02, 0x00)):
        command = decode_zcl_payload(cluster_id, frame_control, command_id, b"\x01\x02")
        assert command.is_raw and command.body == b"\x01\x02" and command.spec is None
        assert encode_zcl_payload(command) == b"\x01\x02"
    assert decode_zcl_payload(0x0702, 0x01, 0x55, b"").name == "cluster command 0x55"


def test_trailing_and_optional_fields_are_preserved():
    price = bytes.fromhex("00000000 00 804A371C 804A371C 01 3A03 51 41 00000000 A005 80250000")
    extra = bytes(range(19))
    command = decode_zcl_payload(0x0700, 0x19, 0x00, price + extra)
    assert isinstance(command.body, PublishPrice)
    assert command.body.currency == 826 and command.body.trailing == extra
    assert encode_zcl_payload(command) == price + extra
    message = bytes.fromhex("804A371C 00 00000000 FFFF 05 5265736574")
    plain = decode_zcl_payload(0x0703, 0x09, 0x00, message).body
    assert plain.message == b"Reset" and plain.extended_message_control is None
    extended = decode_zcl_payload(0x0703, 0x09, 0x00, message + b"\x02\x07").body
    assert (extended.extended_message_control, extended.trailing) == (2, b"\x07")
    assert DisplayMessage.codec.encode(extended) == message + b"\x02\x07"
    with pytest.raises(EncodeError):
        DisplayMessage.codec.encode(plain.replace(trailing=b"\x01"))


def test_counted_and_switched_fields():
    thresholds = PublishBlockThresholds(
        provider_id=0, issuer_event_id=1, start_time=2, issuer_tariff_id=3, command_index=0,
        number_of_commands=1, sub_payload_control=1,
        tiers=(BlockThresholdGroup(tier_and_number_of_thresholds=0x12, thresholds=(7, 8)),))
    raw = PublishBlockThresholds.codec.encode(thresholds)
    assert raw.endswith(bytes.fromhex("12 070000000000 080000000000"))
    assert roundtrip(PublishBlockThresholds.codec, raw) == thresholds
    with pytest.raises(EncodeError):
        PublishBlockThresholds.codec.encode(thresholds.replace(
            tiers=(BlockThresholdGroup(tier_and_number_of_thresholds=3, thresholds=(1,)),)))
    by_group = bytes.fromhex("804A371C 00000000 5B 01 FF81")
    body = decode_zcl_payload(0x0708, 0x09, 0x04, by_group).body
    assert isinstance(body, SetEventConfiguration) and body.event_configuration_payload == 0x81FF
    unknown_control = bytes.fromhex("804A371C 00000000 5B 09 AABBCC")
    body = decode_zcl_payload(0x0708, 0x09, 0x04, unknown_control).body
    assert body.event_configuration_payload == bytes.fromhex("AABBCC")
    assert SetEventConfiguration.codec.encode(body) == unknown_control


def test_data_types():
    samples = {0x10: "01", 0x18: "50", 0x19: "970C", 0x20: "FF", 0x21: "3A03", 0x22: "E80300",
               0x23: "40420F00", 0x25: "393000000000", 0x27: "0102030405060708",
               0x28: "80", 0x2B: "C0B4B3FF", 0x30: "01", 0x31: "0100", 0x38: "003C",
               0x39: "0000C03F", 0x3A: "000000000000F83F", 0x41: "0431323334", 0x42: "00",
               0x43: "0200ABCD", 0x44: "FFFF", 0xE0: "0C1E0000", 0xE1: "730101FF",
               0xE2: "804A371C", 0xE8: "0207", 0xF0: "A1907856341200DB", 0xF1: "00" * 16,
               0x08: "AA", 0x00: ""}
    for type_id, hex_value in samples.items():
        roundtrip(ZCL_DATA_TYPES[type_id], bytes.fromhex(hex_value))
    assert ZCL_DATA_TYPES[0x2B].decode(bytes.fromhex("C0B4B3FF")) == -5000000
    assert ZCL_DATA_TYPES[0x39].decode(bytes.fromhex("0000C03F")) == 1.5
    assert ZCL_DATA_TYPES[0x38].decode(bytes.fromhex("003C")) == 1.0
    assert ZCL_DATA_TYPES[0x10].decode(b"\xff") is None
    assert ZCL_DATA_TYPES[0x41].decode(b"\xff") is None
    assert ZCL_DATA_TYPES[0xE1].decode(bytes.fromhex("730101FF")) == ZclDate(115, 1, 1, 0xFF)
    with pytest.raises(DecodeError):
        ZCL_DATA_TYPES[0x10].decode(b"\x02")
    with pytest.raises(DecodeError):
        ZCL_DATA_TYPES[0x41].decode(b"\x05abc")
    for type_id, value in ((0x20, 256), (0x28, 200), (0x41, "text"), (0x10, 1), (0xF1, b"x")):
        with pytest.raises(EncodeError):
            ZCL_DATA_TYPES[type_id].encode(value)
    with pytest.raises(DecodeError) as error:
        decode_zcl_payload(0x0702, 0x08, 0x01, bytes.fromhex("0000 00 48 00"), offset=20)
    assert (error.value.offset, error.value.path) == (
        23, "zcl.ReadAttributesResponse.records[0].data_type")


def test_malformed_cluster_payload_reports_field():
    price = bytes.fromhex("00000000 09 41")
    with pytest.raises(DecodeError) as error:
        decode_zcl_payload(0x0700, 0x09, 0x00, price, offset=50)
    assert (error.value.offset, error.value.path) == (54, "zcl.PublishPrice.rate_label")
    with pytest.raises(DecodeError) as error:
        decode_zcl_payload(0x0702, 0x01, 0x06, bytes.fromhex("006C0E1C 8012C8"), offset=10)
    assert (error.value.offset, error.value.path) == (14, "zcl.GetSnapshot.latest_end_time")
    with pytest.raises(DecodeError) as error:
        decode_zcl_payload(0x0702, 0x00, 0x00, b"\x02\x03\x01")
    assert (error.value.offset, error.value.path) == (2, "zcl.ReadAttributes.attribute_ids[1]")


def test_zcl_command_builder():
    snapshot = GetSnapshot(earliest_start_time=1, latest_end_time=2, snapshot_offset=0,
                           snapshot_cause=8)
    command = zcl_command(snapshot)
    assert (command.cluster_id, command.frame_control, command.command_id) == (0x0702, 0x01, 6)
    assert command.name == "Get Snapshot"
    with pytest.raises(EncodeError):
        zcl_command(snapshot, cluster_id=0x0705)
    with pytest.raises(EncodeError):
        zcl_command(ReadAttributes(attribute_ids=(1,)))
    with pytest.raises(EncodeError):
        encode_zcl_payload(ZclCommand(0x0705, 0x01, 0x07, snapshot))
    with pytest.raises(TypeError):
        GetSnapshot(earliest_start_time=1)
    with pytest.raises(AttributeError):
        snapshot.snapshot_offset = 3  # type: ignore[misc]
    seasons = PublishSeasons(provider_id=0, issuer_event_id=1, issuer_calendar_id=2,
                             command_index=0, total_number_of_commands=1,
                             seasons=(SeasonEntry(ZclDate(115, 3, 20, 0xFF), 1),))
    assert seasons.as_dict()["seasons"][0].week_id_ref == 1
    assert seasons == PublishSeasons.codec.decode(PublishSeasons.codec.encode(seasons))
    assert hash(seasons) == hash(PublishSeasons.codec.decode(PublishSeasons.codec.encode(seasons)))
    assert repr(snapshot).startswith("GetSnapshot(earliest_start_time=1,")
    assert GetSnapshot.codec.encode({"earliest_start_time": 1, "latest_end_time": 2,
                                     "snapshot_offset": 0, "snapshot_cause": 8}) == \
        GetSnapshot.codec.encode(snapshot)


_ALL_SPECS = [(spec.cluster_id or 0x0702, spec.direction or C2S, spec.command_id, spec)
              for spec in [*CLUSTER_COMMANDS.values(), *GLOBAL_COMMANDS.values()]]


def _frame_control(spec) -> int:
    kind = FrameType.GLOBAL if spec.cluster_id is None else FrameType.CLUSTER_SPECIFIC
    return FrameControl.compose(kind, spec.direction or C2S).raw


_RTDS_PAYLOADS = [c.payload for _, c in PLAINTEXT if c.payload][::5]


@settings(max_examples=600, deadline=None)
@given(spec=st.sampled_from(_ALL_SPECS), payload=st.one_of(
    st.binary(max_size=64),
    st.sampled_from(_RTDS_PAYLOADS).flatmap(lambda raw: st.tuples(
        st.integers(0, len(raw) - 1), st.integers(0, 255), st.integers(0, len(raw))).map(
        lambda change: (raw[:change[0]] + bytes((change[1],)) + raw[change[0] + 1:])[
            :change[2]]))))
def test_random_payloads_raise_only_decode_error_and_decoded_reencode(spec, payload):
    cluster_id, _, command_id, table_entry = spec
    try:
        command = decode_zcl_payload(cluster_id, _frame_control(table_entry), command_id, payload)
    except DecodeError:
        return
    assert encode_zcl_payload(command) == payload


@settings(max_examples=300, deadline=None)
@given(data_type=st.sampled_from(sorted(ZCL_DATA_TYPES)), value=st.binary(max_size=20))
def test_random_attribute_values(data_type, value):
    raw = b"\x34\x12\x00" + bytes((data_type,)) + value
    try:
        command = decode_zcl_payload(0x0702, 0x08, 0x01, raw)
    except DecodeError:
        return
    assert encode_zcl_payload(command) == raw


def _values(codec):
    """A strategy for values ``codec`` can encode (trailing bytes left empty)."""
    if isinstance(codec, IntType):
        bits = 8 * codec.size
        low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if codec.signed \
            else (0, (1 << bits) - 1)
        return st.integers(low, high)
    if isinstance(codec, BooleanType):
        return st.sampled_from([True, False, None])
    if isinstance(codec, StringType):
        return st.none() | st.binary(max_size=8)
    if isinstance(codec, FixedBytes):
        return st.binary(min_size=codec.size, max_size=codec.size)
    if isinstance(codec, FloatType):
        return st.floats(allow_nan=False, width=8 * codec.size)
    if codec is ZCL_DATA_TYPES[0]:
        return st.none()
    if isinstance(codec, Greedy):
        return st.lists(_values(codec.element), max_size=3).map(tuple)
    if isinstance(codec, Rest):
        return st.binary(max_size=6)
    if isinstance(codec, RecordCodec):
        return _record_values(codec)
    if codec is AttributeStatus.codec:
        failed = st.tuples(st.integers(0, 0xFFFF), st.integers(1, 255))
        ok = st.sampled_from(sorted(ZCL_DATA_TYPES)).flatmap(lambda kind: st.tuples(
            st.integers(0, 0xFFFF), st.just(0), st.just(kind), _values(ZCL_DATA_TYPES[kind])))
        return (failed | ok).map(lambda fields: AttributeStatus(*fields))
    if codec is AttributeValue.codec:
        return st.sampled_from(sorted(ZCL_DATA_TYPES)).flatmap(lambda kind: st.tuples(
            st.integers(0, 0xFFFF), st.just(kind), _values(ZCL_DATA_TYPES[kind]))).map(
            lambda fields: AttributeValue(*fields))
    if codec is WriteAttributeStatus.codec:
        return st.tuples(st.integers(0, 255), st.integers(0, 0xFFFF)).map(
            lambda fields: WriteAttributeStatus(*fields))
    raise AssertionError(f"no strategy for {codec!r}")


@st.composite
def _record_values(draw, codec):
    values = []
    for _, field in codec.fields:
        if isinstance(field, Counted):
            items = draw(st.lists(_values(field.element), max_size=field.mask or 4))
            at = [n for n, _ in codec.fields].index(field.by)
            keep = values[at] & ~field.mask if field.mask else 0
            values[at] = keep | len(items)
            values.append(tuple(items))
        elif isinstance(field, Switch):
            at = [n for n, _ in codec.fields].index(field.by)
            values.append(draw(_values(field.cases.get(values[at], field.default))))
        elif isinstance(field, Optional):
            values.append(draw(st.none() | _values(field.element)))
        else:
            values.append(draw(_values(field)))
    if codec.trailing:
        values.append(b"")
    return codec.cls(*values)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), spec=st.sampled_from(_ALL_SPECS), sequence=st.integers(0, 255),
       disable_default=st.booleans())
def test_built_commands_roundtrip_through_gbz(data, spec, sequence, disable_default):
    cluster_id, direction, command_id, table_entry = spec
    body = data.draw(_values(table_entry.codec))
    command = zcl_command(body, cluster_id=cluster_id, direction=direction,
                          disable_default_response=disable_default)
    assert command.command_id == command_id
    payload = encode_zcl_payload(command)
    assert roundtrip(table_entry.codec, payload) == body
    raw = encode_gbz(gbz_payload([gbz_component(command, sequence)]))
    decoded = decode_gbz(raw, alert=False)
    assert isinstance(decoded, GbzPayload)
    assert decoded.components[0].zcl_command() == command
