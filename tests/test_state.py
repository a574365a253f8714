import dataclasses
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from firmware_emu.state import (
    FIRMWARE_ACTIVATION_ACTION,
    ActivationResponseCode,
    Asn1DeviceType,
    CellUsage,
    ChfState,
    DeviceIdentity,
    DeviceLogFullError,
    DeviceState,
    DeviceType,
    DeviceVariant,
    DlmsDeviceType,
    EsmeState,
    FirmwareActivationError,
    IncompatibleEntryError,
    InvalidStateError,
    JoinStatus,
    KeyMaterial,
    MeteringError,
    NotInDeviceLogError,
    OriginatorCounters,
    RemotePartyRole,
    ReplacementMode,
    ReplayError,
    StateError,
    SubGhzChannel,
    SubGhzConfiguration,
    SupplyState,
    Tariff,
    TouSwitch,
    TrustAnchorCell,
    TrustAnchorError,
    TrustAnchorKeyUsage,
    TrustAnchorNotFoundError,
    TrustAnchors,
    WhitelistStatus,
    device_state_from_dict,
    new_device_state,
)
from firmware_emu.state_logs import CHF_DEVICE_LOG_CAPACITY, BoundedLog, HanDeviceLog
from firmware_emu.state_subghz import SubGhzBand, SubGhzError, SubGhzState, page_mask

T0 = datetime(2024, 3, 31, 12, 0, tzinfo=UTC)
SUPPLIER = bytes.fromhex("90B3D51F30010000")
ACB = bytes.fromhex("90B3D51F30000002")
EUIS = {t: bytes.fromhex(f"00DB1234567890A{i}") for i, t in enumerate(
    [DeviceType.ESME, DeviceType.GSME, DeviceType.CHF, DeviceType.GPF, DeviceType.PPMID,
     DeviceType.HCALCS, DeviceType.SAPC])}
DS, KA, KCS = (TrustAnchorKeyUsage.DIGITAL_SIGNATURE, TrustAnchorKeyUsage.KEY_AGREEMENT,
               TrustAnchorKeyUsage.KEY_CERT_SIGN)


def der(tag: int, size: int = 200) -> bytes:
    return b"\x30\x81" + bytes([size]) + bytes([tag]) * size


def identity(device_type: DeviceType, **variant) -> DeviceIdentity:
    return DeviceIdentity(EUIS[device_type], device_type, "4.0", bytes.fromhex("0123ABCD"),
                          0x121D, 0x0084, 0x0001, DeviceVariant(**variant))


def cell(role, usage, seed, cell_usage=CellUsage.MANAGEMENT) -> TrustAnchorCell:
    return TrustAnchorCell(role, usage, bytes([seed]) * 8, der(seed), cell_usage)


def populated(device_type: DeviceType, **variant) -> DeviceState:
    state = new_device_state(identity(device_type, **variant))
    state.trust_anchors.install(cell(RemotePartyRole.ROOT, KCS, 1))
    state.trust_anchors.install(cell(RemotePartyRole.SUPPLIER, DS, 2))
    state.trust_anchors.install(cell(RemotePartyRole.SUPPLIER, KA, 3,
                                     CellUsage.PREPAYMENT_TOP_UP))
    state.trust_anchors.sequence_numbers[RemotePartyRole.SUPPLIER] = 7
    state.counters.check_and_advance(SUPPLIER, 1001)
    state.counters.check_and_advance(ACB, 1300)
    state.counters.next_alert_counter()
    state.event_log.append(T0, 0x8F66, b"\x01\x02")
    state.security_log.append(T0 + timedelta(seconds=1), 0x8F3E)
    image = b"OTA-HEADER" + bytes(range(256)) * 4
    digest = state.firmware.receive(image, image[10:], bytes.fromhex("0200ABCD"))
    state.schedule_firmware_activation(digest, T0 + timedelta(days=1), 1005)
    state.scheduler.schedule(T0 + timedelta(hours=3), "tariff", {"switch": [1, 2]})
    if isinstance(state, ChfState):
        state.device_log.add(EUIS[DeviceType.ESME], DlmsDeviceType.ESME, b"0123456789ABCDEF")
        state.device_log.record_join(EUIS[DeviceType.ESME], bytes(range(16)), T0)
        state.device_log.add(EUIS[DeviceType.GSME], DlmsDeviceType.GSME, bytes(16))
        state.device_log.remember(bytes(8), bytes([9]) * 16)
        state.device_log.set_joining(True, 90, T0)
    elif hasattr(state, "device_log"):
        state.device_log.add(bytes(8), Asn1DeviceType.PPMID, JoinStatus.JOINED)
    if hasattr(state, "metering"):
        state.metering.import_mpxn = "1234567890123"
        state.metering.registers.record_import(1500, 0)
        state.metering.prepayment.top_up(1000, 0x0000000600000000)
        state.metering.clock_offset = timedelta(seconds=-90, microseconds=5)
    return state


ALL_TYPES = [(DeviceType.ESME, {}), (DeviceType.ESME, {"twin_element": True, "alcs_count": 2}),
             (DeviceType.SAPC, {"apc_count": 1}), (DeviceType.GSME, {}), (DeviceType.GPF, {}),
             (DeviceType.CHF, {}), (DeviceType.CHF, {"dual_band": True}),
             (DeviceType.PPMID, {}), (DeviceType.HCALCS, {})]


@pytest.mark.parametrize(("device_type", "variant"), ALL_TYPES)
def test_every_device_state_round_trips_through_json(device_type, variant):
    state = populated(device_type, **variant)
    data = json.loads(json.dumps(state.to_dict()))
    restored = device_state_from_dict(data)
    assert type(restored) is type(state)
    assert restored == state
    assert restored.to_dict() == data
    assert DeviceState.from_dict(data) == state


def test_serialisation_is_deterministic_and_uses_hex_and_utc_text():
    first, second = populated(DeviceType.ESME), populated(DeviceType.ESME)
    second.counters.floors = dict(reversed(list(second.counters.floors.items())))
    assert first.to_json() == second.to_json()
    data = first.to_dict()
    assert data["identity"]["eui"] == "00db1234567890a0"
    assert data["counters"]["floors"] == {"90b3d51f30000002": 1300, "90b3d51f30010000": 1001}
    assert data["firmware"]["activation_at"] == "2024-04-01T12:00:00Z"
    assert data["metering"]["clock_offset"] == -89_999_995
    assert data["trust_anchors"]["sequence_numbers"] == {"SUPPLIER": 7}


def _mutated(path: str, value) -> dict:
    data = populated(DeviceType.CHF, dual_band=True).to_dict()
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(("path", "value", "message"), [
    ("identity.eui", "00db12", "ChfState.identity.eui: expected 8 bytes, got 3"),
    ("identity.eui", "zz" * 8, "expected an even number of hex digits"),
    ("identity.device_type", "TOASTER", "'TOASTER' is not one of ESME"),
    ("identity.gbcs_version", "four", "gbcs_version: expected major.minor"),
    ("identity.firmware_version", "01", "firmware_version: expected 4 bytes"),
    ("identity.manufacturer_id", 70000, "manufacturer_id: 70000 is outside 0..65535"),
    ("identity.variant.twin_element", True, "applies to an ESME or SAPC"),
    ("identity.extra", 1, "unknown field 'extra'"),
    ("identity", KeyError, "identity.device_type: None is not one of"),
    ("counters.last_alert_counter", True, "expected an integer"),
    ("counters.floors", {"90b3": 1}, "floors: expected 8 bytes"),
    ("trust_anchors.sequence_numbers", {"KING": 1}, "'KING' is not one of ROOT"),
    ("trust_anchors.cells.0.key_usage", "DIGITAL_SIGNATURE", "only it, holds a keyCertSign"),
    ("device_log.entries.0.install_code", "00", "install_code: expected 16 bytes"),
    ("device_log.join_timeout_s", -1, "join_timeout_s: -1 is outside 0..65535"),
    ("firmware.activation_at", "2024-04-02T12:00:00Z", "does not match the scheduled"),
    ("firmware.pending_version", None, "image, hash and version go together"),
    ("sub_ghz", None, "present exactly when the CHF is dual-band"),
    ("sub_ghz.configuration.page29_mask", 0xE0000006, "not a page 29 channel word"),
    ("sub_ghz.operating_channel_word", 0xE0000006, "names 2 channels, not one"),
    ("event_log.entries.0.timestamp", "2024-03-31 12:00", "expected YYYY-MM-DDThh:mm:ss"),
    ("scheduler.actions.0.payload", {"x": 1.5}, "float is not allowed"),
])
def test_from_dict_rejects_bad_data_with_the_field_path(path, value, message):
    with pytest.raises(InvalidStateError, match=re.escape(message)):
        device_state_from_dict(_mutated(path, value))


def test_from_dict_rejects_wrong_state_class_and_capacity():
    esme = populated(DeviceType.ESME).to_dict()
    with pytest.raises(InvalidStateError, match="a ChfState cannot be a ESME"):
        ChfState.from_dict({"identity": esme["identity"]})
    chf = populated(DeviceType.CHF).to_dict()
    entry = chf["device_log"]["entries"][1]
    chf["device_log"]["entries"] = [dict(entry, device_id=f"{i:016x}") for i in range(17)]
    with pytest.raises(InvalidStateError, match="17 entries, the CHF device log holds 16"):
        device_state_from_dict(chf)
    chf["device_log"]["entries"] = [entry, entry]
    with pytest.raises(InvalidStateError, match="listed twice"):
        device_state_from_dict(chf)
    with pytest.raises(InvalidStateError, match="is not one of"):
        device_state_from_dict({"identity": {}})


def test_identity_rules_and_type_mappings():
    esme = identity(DeviceType.ESME)
    assert esme.model_type == "00840001"
    assert esme.asn1_device_type is Asn1DeviceType.ESME
    assert esme.dlms_device_type is DlmsDeviceType.ESME
    assert identity(DeviceType.GPF).dlms_device_type is DlmsDeviceType.GPF
    assert esme.gbcs_at_least(3, 2) and not esme.gbcs_at_least(4, 1)
    with pytest.raises(InvalidStateError, match="only a CHF can be dual-band"):
        identity(DeviceType.ESME, dual_band=True)
    with pytest.raises(InvalidStateError, match="an SAPC has at least one APC"):
        identity(DeviceType.SAPC)
    with pytest.raises(InvalidStateError, match="both twin-element and polyphase"):
        identity(DeviceType.ESME, twin_element=True, polyphase=True)
    with pytest.raises(InvalidStateError, match="no CHF device log type"):
        _ = identity(DeviceType.CHF).dlms_device_type


def test_key_material_accepts_real_keys_and_refuses_garbage():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(1)
                   .not_valid_before(T0).not_valid_after(T0 + timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    material = KeyMaterial(certificate.public_bytes(serialization.Encoding.DER), pem)
    assert KeyMaterial.from_dict(material.to_dict()) == material
    with pytest.raises(InvalidStateError, match=r"ka_certificate_der: not a DER X\.509"):
        KeyMaterial(b"\x04\x01\x00")
    with pytest.raises(InvalidStateError, match="DER length says"):
        KeyMaterial(certificate.public_bytes(serialization.Encoding.DER)[:-1])
    with pytest.raises(InvalidStateError, match="ds_private_key_pem: not a PEM private key"):
        KeyMaterial(ds_private_key_pem="-----BEGIN CERTIFICATE-----\nAA\n")


# ----------------------------------------------------------------------------- trust anchors


def anchors() -> TrustAnchors:
    store = TrustAnchors()
    for role, usage, seed in [(RemotePartyRole.ROOT, KCS, 1), (RemotePartyRole.RECOVERY, DS, 2),
                              (RemotePartyRole.SUPPLIER, DS, 3), (RemotePartyRole.SUPPLIER, KA, 4),
                              (RemotePartyRole.NETWORK_OPERATOR, DS, 5),
                              (RemotePartyRole.TRANSITIONAL_COS, DS, 6)]:
        store.install(cell(role, usage, seed))
    store.sequence_numbers.update({RemotePartyRole.SUPPLIER: 10, RemotePartyRole.RECOVERY: 3})
    return store


def test_supplier_replaces_its_own_cells_and_advances_its_sequence_number():
    store = anchors()
    new = cell(RemotePartyRole.SUPPLIER, DS, 40)
    replaced = store.replace(ReplacementMode.SUPPLIER_BY_SUPPLIER, 11, [new])
    assert replaced == [cell(RemotePartyRole.SUPPLIER, DS, 3)]
    assert store.cell(RemotePartyRole.SUPPLIER, DS) == new
    assert store.sequence_number(RemotePartyRole.SUPPLIER) == 11
    assert ReplacementMode.SUPPLIER_BY_SUPPLIER.message_code == 0x0102


@pytest.mark.parametrize(("mode", "number", "cells", "error", "message"), [
    (ReplacementMode.SUPPLIER_BY_SUPPLIER, 10, [(RemotePartyRole.SUPPLIER, DS, 9)], ReplayError,
     "sequence number 10 is not greater than SUPPLIER's 10"),
    (ReplacementMode.SUPPLIER_BY_SUPPLIER, 11, [(RemotePartyRole.NETWORK_OPERATOR, DS, 9)],
     TrustAnchorError, "SUPPLIER_BY_SUPPLIER cannot replace the NETWORK_OPERATOR"),
    (ReplacementMode.SUPPLIER_BY_SUPPLIER, 11, [(RemotePartyRole.SUPPLIER, DS, 9),
                                                (RemotePartyRole.ROOT, KCS, 9)],
     TrustAnchorError, "cannot replace the ROOT"),
    (ReplacementMode.SUPPLIER_BY_SUPPLIER, 11, [(RemotePartyRole.SUPPLIER, DS, 9),
                                                (RemotePartyRole.SUPPLIER, DS, 8)],
     TrustAnchorError, "two certificates"),
    (ReplacementMode.SUPPLIER_BY_SUPPLIER, 11, [], TrustAnchorError, "no certificate"),
    (ReplacementMode.ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY, 4, [(RemotePartyRole.ROOT, KCS, 9)],
     TrustAnchorError, "cannot replace the ROOT"),
    (ReplacementMode.ACCESS_CONTROL_BROKER_BY_ACCESS_CONTROL_BROKER, 1,
     [(RemotePartyRole.ACCESS_CONTROL_BROKER, KA, 9)], TrustAnchorNotFoundError,
     "holds no ACCESS_CONTROL_BROKER trust anchor"),
])
def test_forbidden_replacements_change_nothing(mode, number, cells, error, message):
    store = anchors()
    before = store.to_dict()
    with pytest.raises(error, match=re.escape(message)):
        store.replace(mode, number, [cell(*spec) for spec in cells])
    assert store.to_dict() == before


def test_recovery_contingency_and_change_of_supplier_rules():
    store = anchors()
    store.replace(ReplacementMode.ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY, 4,
                  [cell(RemotePartyRole.NETWORK_OPERATOR, DS, 50)])
    assert store.sequence_number(RemotePartyRole.RECOVERY) == 4
    assert store.sequence_number(RemotePartyRole.NETWORK_OPERATOR) == 0
    store.replace(ReplacementMode.ANY_BY_CONTINGENCY, 5, [cell(RemotePartyRole.ROOT, KCS, 51)])
    assert store.cell(RemotePartyRole.ROOT, KCS).subject_eui == bytes([51]) * 8
    store.replace(ReplacementMode.SUPPLIER_BY_TRANSITIONAL_COS, 1,
                  [cell(RemotePartyRole.SUPPLIER, DS, 52), cell(RemotePartyRole.SUPPLIER, KA, 53)],
                  target_sequence_number=100)
    assert store.sequence_number(RemotePartyRole.SUPPLIER) == 100
    assert store.sequence_number(RemotePartyRole.TRANSITIONAL_COS) == 1
    with pytest.raises(ReplayError):
        store.replace(ReplacementMode.SUPPLIER_BY_SUPPLIER, 100,
                      [cell(RemotePartyRole.SUPPLIER, DS, 54)])
    assert TrustAnchors.from_dict(store.to_dict()) == store


def test_cell_usage_rules():
    with pytest.raises(InvalidStateError, match="only a Supplier key-agreement cell"):
        cell(RemotePartyRole.NETWORK_OPERATOR, KA, 1, CellUsage.PREPAYMENT_TOP_UP)
    with pytest.raises(InvalidStateError, match="keyCertSign"):
        cell(RemotePartyRole.SUPPLIER, KCS, 1)
    with pytest.raises(TrustAnchorNotFoundError, match="no LOAD_CONTROLLER DIGITAL_SIGNATURE"):
        anchors().cell(RemotePartyRole.LOAD_CONTROLLER, DS)


def test_originator_counters_reject_replays_without_mutating():
    counters = OriginatorCounters(last_alert_counter=2000)
    counters.check_and_advance(SUPPLIER, 1000)
    counters.check_and_advance(SUPPLIER, 1001)
    for replayed in (1001, 1000, 5):
        with pytest.raises(ReplayError, match=f"{replayed} from 90B3D51F30010000 is not greater "
                                              f"than the last accepted 1001"):
            counters.check_and_advance(SUPPLIER, replayed)
    assert counters.floor(SUPPLIER) == 1001
    counters.check_and_advance(ACB, 5)
    assert counters.floor(ACB) == 5 and counters.floor(bytes(8)) is None
    with pytest.raises(InvalidStateError):
        counters.check_and_advance(SUPPLIER, 2**64)
    with pytest.raises(InvalidStateError):
        counters.check_and_advance(b"\x01", 5000)
    assert counters.floors == {SUPPLIER: 1001, ACB: 5}
    assert [counters.next_alert_counter() for _ in range(3)] == [2001, 2002, 2003]
    with pytest.raises(ReplayError, match="exhausted"):
        OriginatorCounters(last_alert_counter=2**64 - 1).next_alert_counter()


# ----------------------------------------------------------------------------- device logs


def test_chf_device_log_capacity_duplicates_removal_and_history():
    log = new_device_state(identity(DeviceType.CHF)).device_log
    for index in range(CHF_DEVICE_LOG_CAPACITY):
        assert log.add(index.to_bytes(8, "big"), DlmsDeviceType.ESME, bytes([index]) * 16)
    assert not log.add((3).to_bytes(8, "big"), DlmsDeviceType.GSME, b"x" * 16)
    assert log.entry((3).to_bytes(8, "big")).install_code == bytes([3]) * 16
    with pytest.raises(DeviceLogFullError, match=r"full \(16 devices\); cannot add FFFF"):
        log.add(b"\xff" * 8, DlmsDeviceType.ESME, bytes(16))
    log.record_join((1).to_bytes(8, "big"), b"K" * 16, T0)
    assert log.entry((1).to_bytes(8, "big")).status is WhitelistStatus.JOINED
    log.remove((1).to_bytes(8, "big"))
    assert log.historic_entry((1).to_bytes(8, "big")).link_key_hash == b"K" * 16
    with pytest.raises(NotInDeviceLogError, match="0000000000000001 is not in the CHF"):
        log.remove((1).to_bytes(8, "big"))
    with pytest.raises(InvalidStateError, match="install_code: expected 16 bytes"):
        log.add(b"\xee" * 8, DlmsDeviceType.ESME, bytes(8))
    assert len(log.entries) == CHF_DEVICE_LOG_CAPACITY - 1


def test_chf_join_window_and_restore():
    log = new_device_state(identity(DeviceType.CHF)).device_log
    assert not log.join_window_open(T0)
    log.set_joining(True, 90, T0)
    assert log.join_window_open(T0 + timedelta(seconds=89))
    assert not log.join_window_open(T0 + timedelta(seconds=90))
    log.set_joining(False, 90, T0)
    assert not log.join_window_open(T0)
    log.restore([(bytes(8), b"H" * 16)])
    assert log.entries[0].device_type is None and log.entries[0].link_key_hash == b"H" * 16
    with pytest.raises(InvalidStateError, match="17 entries"):
        log.restore([(i.to_bytes(8, "big"), b"H" * 16) for i in range(17)])
    assert len(log.entries) == 1


def test_han_device_log_rules():
    log = HanDeviceLog(capacity=2)
    log.add(b"\x01" * 8, Asn1DeviceType.GPF)
    log.mark_joined(b"\x01" * 8)
    assert log.entry(b"\x01" * 8).join_status is JoinStatus.JOINED
    with pytest.raises(IncompatibleEntryError, match="logged as GPF, not PPMID"):
        log.add(b"\x01" * 8, Asn1DeviceType.PPMID)
    log.add(b"\x02" * 8, Asn1DeviceType.PPMID)
    with pytest.raises(DeviceLogFullError):
        log.add(b"\x03" * 8, Asn1DeviceType.PPMID)
    assert log.remove(b"\x02" * 8).device_type is Asn1DeviceType.PPMID
    with pytest.raises(NotInDeviceLogError):
        log.remove(b"\x02" * 8)
    with pytest.raises(InvalidStateError, match="exceed the capacity of 2"):
        log.restore([(bytes([i]) * 8, Asn1DeviceType.GSME) for i in range(3)])
    assert [e.device_id for e in log.entries] == [b"\x01" * 8]


def test_event_log_is_circular_and_range_readable():
    log = BoundedLog(capacity=3)
    for minute in range(5):
        log.append(T0 + timedelta(minutes=minute), 0x8000 + minute)
    assert [e.event_code for e in log.entries] == [0x8002, 0x8003, 0x8004]
    assert [e.event_code for e in log.between(T0, T0 + timedelta(minutes=3))] == [0x8002, 0x8003]
    with pytest.raises(InvalidStateError, match="event_code"):
        log.append(T0, 0x10000)
    assert len(log) == 3


# ----------------------------------------------------------------------------- sub-GHz


def test_sub_ghz_channel_words_match_the_primer_examples():
    assert page_mask(28, [1, 2]) == 0xE0000006
    assert page_mask(29, [28, 29]) == 0xE8000006
    assert page_mask(30, [36, 37]) == 0xF0000006
    assert page_mask(31, [1, 2]) == 0xF8000006
    assert SubGhzChannel(SubGhzBand.LOWER, 0).word == 0xE0000001
    assert SubGhzChannel.from_word(0xE8000001) == SubGhzChannel(SubGhzBand.LOWER, 27)
    with pytest.raises(SubGhzError, match="channel 27 is not on page 28"):
        page_mask(28, [27])
    with pytest.raises(InvalidStateError, match="sets channels page 29 does not have"):
        SubGhzConfiguration(page29_mask=0xE8000100)


def test_sub_ghz_configuration_fields_and_channel_changes():
    config = SubGhzConfiguration()
    fields = config.as_fields()
    assert fields[:5] == (0xE0000006, 0xE8000006, 0xF0000006, 0xF8000006, 130)
    assert SubGhzConfiguration.from_fields(fields) == config
    with pytest.raises(SubGhzError, match="15 fields"):
        SubGhzConfiguration.from_fields(fields[:14])
    with pytest.raises(SubGhzError, match="local_retry_percentage: 10001"):
        SubGhzConfiguration.from_fields((*fields[:14], 10001))
    state = SubGhzState()
    assert state.operating_channel == SubGhzChannel(SubGhzBand.LOWER, 1)
    record = state.change_channel(SubGhzChannel(SubGhzBand.UPPER, 2), T0, reason_code=3)
    assert state.operating_channel_word == 0xF8000004 == record.channel_word
    with pytest.raises(SubGhzError, match="lower band channel 5 is not enabled"):
        state.change_channel(SubGhzChannel(SubGhzBand.LOWER, 5), T0)
    assert state.channel_log_between(T0, T0) == [record]


# ----------------------------------------------------------------------------- firmware


def test_firmware_receive_schedule_and_activate():
    state = new_device_state(identity(DeviceType.ESME))
    with pytest.raises(FirmwareActivationError) as caught:
        state.activate_firmware(bytes(32))
    assert caught.value.response_code is ActivationResponseCode.NO_IMAGE_HELD
    image = b"HEADER" + b"manufacturer image"
    digest = state.firmware.receive(image, image[6:], bytes.fromhex("ACDCACDC"))
    assert digest == hashlib.sha256(b"manufacturer image").digest()
    with pytest.raises(FirmwareActivationError) as caught:
        state.schedule_firmware_activation(bytes(32), T0, 1)
    assert caught.value.response_code is ActivationResponseCode.HASH_MISMATCH
    assert FIRMWARE_ACTIVATION_ACTION not in state.scheduler
    state.schedule_firmware_activation(digest, T0, 1005)
    assert state.scheduler.get(FIRMWARE_ACTIVATION_ACTION).payload == {
        "image_hash": digest.hex(), "originator_counter": 1005}
    state.cancel_firmware_activation()
    assert state.firmware.activation_at is None and len(state.scheduler) == 0
    state.schedule_firmware_activation(digest, T0, 1006)
    [due] = state.scheduler.due(T0)
    assert state.activate_firmware(bytes.fromhex(due.payload["image_hash"])) == b"\xac\xdc" * 2
    assert state.identity.firmware_version == bytes.fromhex("ACDCACDC")
    assert state.firmware.pending_image is None and state.firmware.activation_at is None
    assert EsmeState.from_dict(state.to_dict()) == state


# ----------------------------------------------------------------------------- metering


def test_registers_and_tariff_stay_consistent():
    metering = new_device_state(identity(DeviceType.ESME)).metering
    metering.registers.tou_import_wh = [0, 0]
    metering.registers.block_import_wh = [0, 0]
    tariff = Tariff(tou_prices=(1500, 3000), switching=(TouSwitch(0, 0), TouSwitch(420, 1)),
                    block_thresholds_wh=(5000,), block_prices=(2000, 2500))
    assert [tariff.tou_index_at(m) for m in (0, 419, 420, 1439)] == [0, 0, 1, 1]
    assert [tariff.block_index_for(wh) for wh in (0, 4999, 5000)] == [0, 0, 1]
    metering.tariff = tariff
    metering.registers.record_import(700, tariff.tou_index_at(480), 1)
    metering.registers.record_import(300, 0, 0)
    assert metering.registers.import_energy_wh == 1000
    assert metering.registers.tou_import_wh == [300, 700]
    with pytest.raises(InvalidStateError, match="TOU register"):
        metering.registers.record_import(1, 2)
    assert type(metering).from_dict(metering.to_dict()) == metering
    bad = metering.to_dict()
    bad["registers"]["import_energy_wh"] = 999
    with pytest.raises(InvalidStateError, match="TOU registers sum to 1000 Wh"):
        type(metering).from_dict(bad)
    with pytest.raises(InvalidStateError, match="switch times must start at minute 0"):
        Tariff(switching=(TouSwitch(60, 0),))
    with pytest.raises(InvalidStateError, match="1 thresholds need 2 block prices"):
        Tariff(block_thresholds_wh=(10,), block_prices=(1,))


def test_prepayment_credit_flows():
    prepayment = new_device_state(identity(DeviceType.GSME)).metering.prepayment
    prepayment.debt_pence, prepayment.debt_recovery_percent = 100, 10
    prepayment.activate_emergency_credit()
    assert prepayment.available_credit_pence == 500
    assert prepayment.charge(300)
    assert prepayment.emergency_credit_remaining_pence == 200
    prepayment.top_up(1000, 1)  # 100 to debt, 300 repays emergency credit, 600 to balance
    assert (prepayment.debt_pence, prepayment.emergency_credit_in_use,
            prepayment.meter_balance_pence) == (0, False, 600)
    with pytest.raises(MeteringError, match="UTRN counter 1 has already been used"):
        prepayment.top_up(1000, 1)
    assert prepayment.meter_balance_pence == 600
    for counter in range(2, 7):
        prepayment.top_up(1, counter)
    with pytest.raises(MeteringError):
        prepayment.top_up(1, 1)
    assert not prepayment.charge(700)
    assert prepayment.debt_pence == 95
    with pytest.raises(MeteringError, match="above the emergency credit threshold"):
        dataclasses.replace(prepayment, meter_balance_pence=500).activate_emergency_credit()


def test_new_device_state_defaults_per_type():
    chf = new_device_state(identity(DeviceType.CHF, dual_band=True))
    assert chf.sub_ghz is not None and chf.extended_pan_id == EUIS[DeviceType.CHF]
    assert new_device_state(identity(DeviceType.CHF)).sub_ghz is None
    hcalcs = new_device_state(identity(DeviceType.HCALCS))
    assert hcalcs.load_switch is SupplyState.DISABLED
    sapc = new_device_state(identity(DeviceType.SAPC, apc_count=1))
    assert isinstance(sapc, EsmeState)
    assert issubclass(InvalidStateError, StateError)
