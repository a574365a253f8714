"""Trust anchor replacement (CS02b/CS02g), credential details (CS02a/CS02f) and the
device's own credentials (CS02c/CS02d/CS02e)."""

from __future__ import annotations

import dataclasses

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from firmware_emu.state import RemotePartyRole, TrustAnchorCell, TrustAnchorKeyUsage
from firmware_emu.usecases.asn1 import run_due_asn1_actions
from firmware_emu.usecases.credentials import PENDING_PRIVATE_KEY
from firmware_emu.usecases.trust_anchor_update import CREDENTIALS_UPDATE_ACTION
from gbcs.asn1 import (
    CertificationRequestResponse,
    IssueSecurityCredentialsCommand,
    KeyUsage,
    ProvideDeviceCertificateCommand,
    ProvideSecurityCredentialDetailsCommand,
    StatusCode,
    TrustAnchorCellIdentifier,
    UpdateDeviceCertificateCommand,
    UpdateDeviceCertificateResponseCode,
    certificate_node,
    encode_der,
)
from gbcs.asn1 import RemotePartyRole as WireRole
from gbcs.asn1.payloads import Asn1MessageCode as M
from gbcs.crypto import CertificateAuthority, generate_key_pair
from gbcs.message import decode_message
from tests.rtds import message
from tests.test_usecases_support import SUPPLIER, command, rtds_device, signing_ca

ESME = bytes.fromhex("00db1234567890a0")
NETWORK_OPERATOR = bytes.fromhex("90b3d51f30020000")
SUPPLIER_BY_SUPPLIER = "6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1_"


def rtds_command(kind: str):
    return message(SUPPLIER_BY_SUPPLIER + kind + "_COMMAND")


def cell(device, role=RemotePartyRole.SUPPLIER,
         usage=TrustAnchorKeyUsage.DIGITAL_SIGNATURE) -> TrustAnchorCell:
    return device.state.trust_anchors.cell(role, usage)


def new_supplier_ds_certificate(wire: bytes) -> bytes:
    replacement = decode_message(wire).payload.replacements[0]
    return encode_der(replacement.certificate)


def response_of(output):
    assert output.rejected is None, output.rejected
    return decode_message(output.response).payload


# ------------------------------------------------------------------------------------
# CS02b
# ------------------------------------------------------------------------------------


def test_immediate_update_replaces_the_cells_and_takes_the_sequence_number():
    esme = rtds_device(ESME)
    wire = rtds_command("IMMEDIATE_SUCCESS").data
    outcome = response_of(esme.process(wire)).outcome
    assert [o.status for o in outcome.replacement_outcomes] == [StatusCode.SUCCESS] * 3
    assert cell(esme).certificate_der == new_supplier_ds_certificate(wire)
    assert esme.state.trust_anchors.sequence_number(RemotePartyRole.SUPPLIER) == 1000


def test_an_old_sequence_number_is_refused_without_change():
    esme = rtds_device(ESME)
    esme.state.trust_anchors.sequence_numbers[RemotePartyRole.SUPPLIER] = 5000
    before = esme.state.to_dict()["trust_anchors"]
    output = esme.process(rtds_command("IMMEDIATE_SUCCESS").data)
    assert "sequence number" in output.rejected and output.response is None
    assert esme.state.to_dict()["trust_anchors"] == before


def test_only_the_authorising_party_may_replace():
    esme = rtds_device(ESME)
    before = esme.state.to_dict()["trust_anchors"]
    payload = decode_message(rtds_command("IMMEDIATE_SUCCESS").data).payload
    output = esme.process(command(esme, M.CS02B_SUPPLIER_BY_SUPPLIER, payload,
                                  originator=NETWORK_OPERATOR))
    assert "does not hold the SUPPLIER trust anchor" in output.rejected
    assert esme.state.to_dict()["trust_anchors"] == before


def test_certificates_that_do_not_chain_to_the_trust_anchors_are_not_placed():
    esme = rtds_device(ESME)
    before = esme.state.to_dict()["trust_anchors"]
    payload = decode_message(rtds_command("IMMEDIATE_SUCCESS").data).payload
    stranger = certificate_node(signing_ca().certificate.public_bytes(serialization.Encoding.DER))
    unchained = dataclasses.replace(payload, certification_path=(stranger,))
    outcome = response_of(esme.process(command(esme, M.CS02B_SUPPLIER_BY_SUPPLIER,
                                               unchained))).outcome
    assert {o.status for o in outcome.replacement_outcomes} == {StatusCode.NO_TRUST_ANCHOR}
    assert all(o.existing_subject_key_id == o.replacing_subject_key_id
               for o in outcome.replacement_outcomes)
    assert esme.state.to_dict()["trust_anchors"] == before


def test_a_held_root_must_have_issued_the_certification_path():
    esme = rtds_device(ESME)
    root = CertificateAuthority.generate("SOME-OTHER-ROOT").certificate
    esme.state.trust_anchors.install(TrustAnchorCell(
        RemotePartyRole.ROOT, TrustAnchorKeyUsage.KEY_CERT_SIGN, bytes(8),
        root.public_bytes(serialization.Encoding.DER)))
    outcome = response_of(esme.process(rtds_command("IMMEDIATE_SUCCESS").data)).outcome
    assert {o.status for o in outcome.replacement_outcomes} == {StatusCode.NO_TRUST_ANCHOR}


def test_a_faulty_update_changes_nothing():
    esme = rtds_device(ESME)
    before = esme.state.to_dict()["trust_anchors"]
    esme.inject_fault()
    outcome = response_of(esme.process(rtds_command("IMMEDIATE_SUCCESS").data)).outcome
    assert {o.status for o in outcome.replacement_outcomes} == {StatusCode.OTHER}
    assert esme.state.to_dict()["trust_anchors"] == before


def test_future_dated_update_runs_at_its_time_and_reports_8f66():
    esme = rtds_device(ESME)
    wire = rtds_command("FUTURE_DATED_SUCCESS").data
    old = cell(esme).certificate_der
    assert response_of(esme.process(wire)).outcome is None
    assert cell(esme).certificate_der == old
    execution_time = decode_message(wire).payload.execution_time
    (alert,) = run_due_asn1_actions(esme, execution_time)
    alert = decode_message(alert)
    assert alert.message_code == M.FUTURE_DATED_UPDATE_SECURITY_CREDENTIALS_ALERT
    assert alert.payload.alert_code == 0x8F66
    assert alert.header.recipient == SUPPLIER
    assert cell(esme).certificate_der == new_supplier_ds_certificate(wire)
    assert CREDENTIALS_UPDATE_ACTION not in esme.state.scheduler


def test_a_cancelled_future_dated_update_never_runs():
    esme = rtds_device(ESME)
    response_of(esme.process(rtds_command("FUTURE_DATED_SUCCESS").data))
    assert CREDENTIALS_UPDATE_ACTION in esme.state.scheduler
    assert response_of(esme.process(rtds_command("CANCELLATION_SUCCESS").data)).outcome is None
    assert CREDENTIALS_UPDATE_ACTION not in esme.state.scheduler
    old = cell(esme).certificate_der
    assert run_due_asn1_actions(esme, decode_message(
        rtds_command("FUTURE_DATED_SUCCESS").data).payload.execution_time) == []
    assert cell(esme).certificate_der == old


# ------------------------------------------------------------------------------------
# CS02a / CS02f
# ------------------------------------------------------------------------------------


def test_credential_details_report_the_cells_and_sequence_numbers():
    esme = rtds_device(ESME)
    esme.state.trust_anchors.sequence_numbers[RemotePartyRole.SUPPLIER] = 7
    request = ProvideSecurityCredentialDetailsCommand(
        TrustAnchorCellIdentifier(WireRole.SUPPLIER, KeyUsage.DIGITAL_SIGNATURE),
        (WireRole.SUPPLIER, WireRole.WAN_PROVIDER))
    response = response_of(esme.process(command(
        esme, M.CS02F_PROVIDE_SECURITY_CREDENTIAL_DETAILS, request, signed=True)))
    supplier, wan = response.details
    assert (supplier.status, supplier.current_seq_number) == (StatusCode.SUCCESS, 7)
    assert [c.key_usage for c in supplier.cells] == [
        KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT, KeyUsage.KEY_AGREEMENT]
    assert supplier.cells[0].subject_unique_id == SUPPLIER
    assert (wan.status, wan.cells) == (StatusCode.TRUST_ANCHOR_NOT_FOUND, None)


# ------------------------------------------------------------------------------------
# CS02c / CS02d / CS02e
# ------------------------------------------------------------------------------------


def test_issue_then_certify_a_new_signing_key():
    esme = rtds_device(ESME)
    response = response_of(esme.process(command(
        esme, M.CS02C_ISSUE_SECURITY_CREDENTIALS,
        IssueSecurityCredentialsCommand(KeyUsage.DIGITAL_SIGNATURE))))
    assert isinstance(response, CertificationRequestResponse)
    request = response.request_info()
    assert request.signature_valid
    assert (request.entity_id, request.key_usage) == (ESME, KeyUsage.DIGITAL_SIGNATURE)
    assert PENDING_PRIVATE_KEY + "ds" in esme.state.attribute_values

    certificate = signing_ca().issue_device_certificate(ESME, request.public_key, "ds")
    der = certificate.public_bytes(serialization.Encoding.DER)
    response = response_of(esme.process(command(
        esme, M.CS02D_UPDATE_DEVICE_CERTIFICATE,
        UpdateDeviceCertificateCommand(certificate_node(der)))))
    assert response.response_code == UpdateDeviceCertificateResponseCode.SUCCESS
    assert esme.state.keys.ds_certificate_der == der
    assert esme.state.keys.ds_private_key_pem is not None
    assert PENDING_PRIVATE_KEY + "ds" not in esme.state.attribute_values
    assert esme.keys.certificate(ESME, "ds") == certificate  # the device now signs with it

    provided = response_of(esme.process(command(
        esme, M.CS02E_PROVIDE_DEVICE_CERTIFICATE,
        ProvideDeviceCertificateCommand(KeyUsage.DIGITAL_SIGNATURE))))
    assert encode_der(provided.certificate) == der


def _certify(device, eui, usage):
    key = generate_key_pair()
    certificate = signing_ca().issue_device_certificate(eui, key.public_key(), usage)
    return device.process(command(device, M.CS02D_UPDATE_DEVICE_CERTIFICATE,
                                  UpdateDeviceCertificateCommand(certificate_node(
                                      certificate.public_bytes(serialization.Encoding.DER)))))


def test_device_certificates_for_unknown_keys_or_other_devices_are_refused():
    esme = rtds_device(ESME)
    before = esme.state.to_dict()["keys"]
    assert response_of(_certify(esme, ESME, "ds")).response_code == \
        UpdateDeviceCertificateResponseCode.WRONG_PUBLIC_KEY
    assert response_of(_certify(esme, bytes.fromhex("00db1234567890a1"), "ka")).response_code \
        == UpdateDeviceCertificateResponseCode.WRONG_DEVICE_IDENTITY
    assert esme.state.to_dict()["keys"] == before


def test_the_device_provides_its_certificates():
    esme = rtds_device(ESME)
    response = response_of(esme.process(command(
        esme, M.CS02E_PROVIDE_DEVICE_CERTIFICATE,
        ProvideDeviceCertificateCommand(KeyUsage.KEY_AGREEMENT))))
    certificate = x509.load_der_x509_certificate(encode_der(response.certificate))
    assert certificate.public_bytes(serialization.Encoding.DER) == \
        esme.state.keys.ka_certificate_der
    response = response_of(esme.process(command(
        esme, M.CS02E_PROVIDE_DEVICE_CERTIFICATE,
        ProvideDeviceCertificateCommand(KeyUsage.KEY_CERT_SIGN))))
    assert response.response_code == 1  # invalid key usage
