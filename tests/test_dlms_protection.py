"""IC 30 Data Protection shapes: RTDS protected reads and ECS68, building, decryption."""

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from gbcs.dlms import axdr
from gbcs.dlms.axdr import NULL
from gbcs.dlms.cosem import obis
from gbcs.dlms.protection import (
    AGREED_KEY,
    AUTHENTICATED_ENCRYPTION,
    ProtectedAttribute,
    ProtectedAttributesRequest,
    ProtectedPayload,
    ProtectionParameters,
    decode_protected_plaintext,
    find_protected_payloads,
    open_payload,
    protected_attributes_response,
    protected_notification,
    protected_read_items,
    seal,
)
from gbcs.dlms.xdlms import (
    AccessRequestAction,
    AccessRequestGet,
    InvokeIdAndPriority,
    access_request,
    decode_xdlms,
    encode_xdlms,
)
from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import CosemDateTime
from tests.rtds import content_of, message

SUPPLIER = bytes.fromhex("90B3D51F30010000")
ESME = bytes.fromhex("00DB1234567890A0")
# Known-answer encryption key of ECS17b SINGLE_SUCCESS_RESPONSE (primer §7.2 table).
ECS17B_KEY = bytes.fromhex("12CB821C471EC2144C68E12A5657F9FD")


def content(name: str) -> bytes:
    return content_of(message(name).data)[1]


def _gcm(key: bytes, originator: bytes, counter: int, tag: bytes | None = None):
    iv = originator + counter.to_bytes(4, "big")
    mode = modes.GCM(iv, tag, min_tag_length=12) if tag else modes.GCM(iv)
    cipher = Cipher(algorithms.AES(key), mode)
    return cipher.decryptor() if tag else cipher.encryptor()


def aes_gcm_decrypt(key: bytes, originator: bytes, payload: ProtectedPayload) -> bytes:
    decryptor = _gcm(key, originator, payload.invocation_counter, payload.tag)
    decryptor.authenticate_additional_data(payload.additional_data)
    return decryptor.update(payload.ciphertext) + decryptor.finalize()


def aes_gcm_encrypt(key: bytes, originator: bytes, counter: int = 0):
    def encrypt(plaintext: bytes) -> bytes:
        encryptor = _gcm(key, originator, counter)
        encryptor.authenticate_additional_data(b"\x31")
        body = encryptor.update(plaintext) + encryptor.finalize()
        return body + encryptor.tag[:12]
    return encrypt


def test_ecs17b_command_names_the_protected_read(rtds_messages_dir):
    request = decode_xdlms(content("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND"))
    [(index, read)] = protected_read_items(request)
    assert index == 0
    spec = request.specifications[0]
    assert (spec.class_id, str(spec.instance), spec.method_id) == (30, "0-0:43.2.8.255", 1)
    [attribute] = read.attributes
    assert (attribute.class_id, attribute.attribute_id, attribute.data_index) == (1, 2, 0)
    [parameters] = read.parameters
    assert parameters.protection_type == AUTHENTICATED_ENCRYPTION
    assert parameters.key_info_type == AGREED_KEY and parameters.key_parameters == b"\x02"
    assert (parameters.originator_system_title, parameters.recipient_system_title) == (
        SUPPLIER, ESME)
    assert parameters.originator_counter == 1000
    assert read.to_data() == request.data[0]


def test_ecs17b_response_decrypts_and_rebuilds_byte_exact(rtds_messages_dir):
    raw = content("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE")
    response = decode_xdlms(raw)
    [location] = find_protected_payloads(response)
    assert location.path == (0, 1)
    assert location.payload.security_control == 0x31
    assert location.payload.invocation_counter == 0
    assert len(location.payload.tag) == 12
    assert location.payload.to_bytes() == response.data[0][1].value
    [parameters] = location.parameters
    assert (parameters.originator_system_title, parameters.recipient_system_title) == (
        ESME, SUPPLIER)

    values = open_payload(location.payload,
                          lambda sealed: aes_gcm_decrypt(ECS17B_KEY, ESME, location.payload))
    assert len(values) == 1 and isinstance(values[0], axdr.Structure)

    request = decode_xdlms(content("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND"))
    rebuilt = protected_attributes_response(request, values,
                                            aes_gcm_encrypt(ECS17B_KEY, ESME))
    assert encode_xdlms(rebuilt) == raw


def test_ecs68_alert_payload(rtds_messages_dir):
    for name in ("NA_ECS68/ECS68_NA_8F0A_SINGLE_ALERT", "NA_ECS68/ECS68_NA_8F0A_TWIN_ALERT"):
        alert = decode_xdlms(content(name))
        assert alert.alert_code == 0x8F0A
        [location] = find_protected_payloads(alert)
        assert location.path == (3,)
        assert location.parameters[0].originator_system_title == ESME
        assert location.payload.security_control == 0x31
        rebuilt = protected_notification(
            alert.invoke, 0x8F0A, alert.timestamp, location.parameters, [],
            lambda _plaintext, sealed=location.payload.ciphertext_and_tag: sealed)
        assert encode_xdlms(rebuilt) == content(name)


def test_unprotected_apdus_have_no_payloads(rtds_messages_dir):
    assert find_protected_payloads(
        decode_xdlms(content("4.1.1_ECS17b/ECS17b_4.1.1_ERROR_RESPONSE"))) == []
    assert find_protected_payloads(
        decode_xdlms(content("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND"))) == []
    assert find_protected_payloads(
        decode_xdlms(content("8.11_CCS01/CCS01_8.11_SUCCESS_RESPONSE"))) == []


def test_build_protected_read_round_trip_with_any_cipher():
    parameters = ProtectionParameters.for_gbcs(0x3E8, SUPPLIER, ESME)
    read = ProtectedAttributesRequest(
        (ProtectedAttribute(1, obis("0-0:94.44.34.10"), 2),), (parameters,))
    request = access_request(InvokeIdAndPriority.for_counter(0x3E8), [
        (AccessRequestAction(30, obis("0-0:43.2.8.255"), 1), read.to_data())])
    assert ProtectedAttributesRequest.from_data(request.data[0]) == read

    values = [axdr.double_long_unsigned(10), axdr.structure(axdr.integer(0), axdr.enum(30))]
    reverse = lambda plaintext: plaintext[::-1] + b"T" * 12  # noqa: E731 - stand-in cipher
    response = decode_xdlms(encode_xdlms(protected_attributes_response(request, values,
                                                                       reverse)))
    [location] = find_protected_payloads(response)
    assert location.parameters == (parameters.swapped(),)
    assert open_payload(location.payload, lambda sealed: sealed[:-12][::-1]) == values


def test_protected_payload_and_plaintext_errors():
    with pytest.raises(DecodeError):
        ProtectedPayload.from_bytes(bytes(16))
    assert ProtectedPayload.from_bytes(bytes.fromhex("31 00000001") + bytes(12)) == (
        ProtectedPayload(0x31, 1, b"", bytes(12)))
    with pytest.raises(EncodeError):
        ProtectedPayload(0x31, 1 << 32, b"", bytes(12)).to_bytes()
    with pytest.raises(EncodeError):
        seal([NULL], lambda plaintext: b"short")
    with pytest.raises(DecodeError) as caught:
        decode_protected_plaintext(bytes.fromhex("1101 FE"), offset=20)
    assert (caught.value.offset, caught.value.path) == (22, "plaintext.[1]")
    assert decode_protected_plaintext(bytes.fromhex("1101 1102")) == [
        axdr.unsigned(1), axdr.unsigned(2)]


def test_shape_errors_name_the_path():
    bad = axdr.structure(axdr.enum(2), axdr.structure(axdr.octet_string(b"")))
    with pytest.raises(DecodeError) as caught:
        ProtectionParameters.from_data(bad, "parameters")
    assert caught.value.path == "parameters[1]"
    with pytest.raises(DecodeError):
        ProtectedAttribute.from_data(axdr.structure(
            axdr.long_unsigned(1), axdr.octet_string(b"\x00"), axdr.integer(2),
            axdr.long_unsigned(0), NULL))


def test_protected_response_needs_one_protected_read():
    request = access_request(InvokeIdAndPriority.for_counter(1), [
        (AccessRequestGet(1, obis("0-0:0.2.1.255"), 2), NULL)])
    with pytest.raises(EncodeError):
        protected_attributes_response(request, [], lambda plaintext: bytes(12))
    assert protected_read_items(request) == []


def test_gbcs_parameters_defaults():
    parameters = ProtectionParameters.for_gbcs(7, SUPPLIER, ESME)
    assert parameters.transaction_id == bytes.fromhex("040000000000000007")
    assert ProtectionParameters.from_data(parameters.to_data()) == parameters
    assert parameters.swapped().swapped() == parameters
    notification = protected_notification(
        InvokeIdAndPriority.for_counter(7), 0x8F0A, CosemDateTime(2015, 1, 1, 0xFF, 0, 0, 0, 0),
        [parameters], [axdr.unsigned(1)], lambda plaintext: plaintext + bytes(12))
    [location] = find_protected_payloads(decode_xdlms(encode_xdlms(notification)))
    assert location.payload.ciphertext == axdr.unsigned(1).encode()
