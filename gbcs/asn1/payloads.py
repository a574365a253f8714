"""ASN.1 payloads by message code and CRA flag: decode to a typed view, encode back.

A known (message code, CRA flag) selects the view, the root tag picks between its
alternatives (e.g. CS06 response: NULL accepted or SEQUENCE outcome); anything else
decodes to the generic :class:`DerNode` tree. Either way the result re-encodes to the
same bytes: content that is valid DER but that its view cannot represent exactly is
rejected with a :class:`DecodeError` (offset, ``asn1.<field path>``).
"""

from __future__ import annotations

import enum

from gbcs.asn1.der import DerNode, decode_der, encode_der, validate_element
from gbcs.asn1.der_node import SHORT_FORM_TAGS
from gbcs.asn1.payload_reader import (
    PayloadView,
    decode_view,
)
from gbcs.asn1.payloads_clock import SetClockCommand, SetClockResponse
from gbcs.asn1.payloads_common import (
    CommandAccepted,
    EmptyCommand,
)
from gbcs.asn1.payloads_credentials import (
    CertificationRequestResponse,
    DeviceCertificateResponse,
    IssueSecurityCredentialsCommand,
    IssueSecurityCredentialsFailure,
    ProvideDeviceCertificateCommand,
    ProvideDeviceCertificateFailure,
    ProvideSecurityCredentialDetailsCommand,
    ProvideSecurityCredentialDetailsResponse,
    UpdateDeviceCertificateCommand,
    UpdateDeviceCertificateResponse,
)
from gbcs.asn1.payloads_firmware import (
    ActivateFirmwareAlert,
    ActivateFirmwareCommand,
    ActivateFirmwareOutcome,
    FirmwareTransferAlert,
    FirmwareVersionResponse,
    PpmidFirmwareActivationAlert,
)
from gbcs.asn1.payloads_join import (
    DeviceLogBackupAlert,
    JoinCommand,
    JoinResponse,
    ReadDeviceJoinDetailsResponse,
    RestoreDeviceLogCommand,
    RestoreDeviceLogResponse,
    UnjoinCommand,
    UnjoinResponse,
)
from gbcs.asn1.payloads_update_credentials import (
    UpdateSecurityCredentialsAlert,
    UpdateSecurityCredentialsCommand,
    UpdateSecurityCredentialsResponse,
)
from gbcs.errors import DecodeError, EncodeError

Asn1Payload = (
    JoinCommand | JoinResponse | UnjoinCommand | UnjoinResponse | EmptyCommand
    | ReadDeviceJoinDetailsResponse | RestoreDeviceLogCommand | RestoreDeviceLogResponse
    | DeviceLogBackupAlert | ActivateFirmwareCommand | ActivateFirmwareOutcome
    | CommandAccepted | ActivateFirmwareAlert | FirmwareVersionResponse
    | PpmidFirmwareActivationAlert | FirmwareTransferAlert | SetClockCommand
    | SetClockResponse | ProvideSecurityCredentialDetailsCommand
    | ProvideSecurityCredentialDetailsResponse | UpdateSecurityCredentialsCommand
    | UpdateSecurityCredentialsResponse | UpdateSecurityCredentialsAlert
    | IssueSecurityCredentialsCommand | CertificationRequestResponse
    | IssueSecurityCredentialsFailure | UpdateDeviceCertificateCommand
    | UpdateDeviceCertificateResponse | ProvideDeviceCertificateCommand
    | DeviceCertificateResponse | ProvideDeviceCertificateFailure
)


class Asn1MessageCode(enum.IntEnum):
    """Message codes whose content is ASN.1 (primer §9)."""

    CS02A_PROVIDE_SECURITY_CREDENTIAL_DETAILS = 0x0008
    CS02C_ISSUE_SECURITY_CREDENTIALS = 0x000A
    CS02D_UPDATE_DEVICE_CERTIFICATE = 0x000B
    CS02E_PROVIDE_DEVICE_CERTIFICATE = 0x000C
    CS03A1_METHOD_A_JOIN_METER = 0x000D
    CS03B_METHOD_B_JOIN = 0x000E
    CS04AC_METHOD_A_OR_C_UNJOIN = 0x000F
    CS04B_METHOD_B_UNJOIN = 0x0010
    CS06_ACTIVATE_FIRMWARE = 0x0012
    CS07_READ_DEVICE_JOIN_DETAILS = 0x0013
    GCS28_SET_CLOCK = 0x007F
    GCS59_RESTORE_GPF_DEVICE_LOG = 0x008C
    CS03A2_METHOD_A_JOIN_NON_METER = 0x00AB
    CS03C_METHOD_C_JOIN = 0x00AF
    GCS62_BACKUP_GPF_DEVICE_LOG_ALERT = 0x00B2
    FUTURE_DATED_FIRMWARE_ACTIVATION_ALERT = 0x00CA
    FUTURE_DATED_UPDATE_SECURITY_CREDENTIALS_ALERT = 0x00CB
    CS02B_ROOT_BY_SUPPLIER = 0x0100
    CS02B_ROOT_BY_WAN_PROVIDER = 0x0101
    CS02B_SUPPLIER_BY_SUPPLIER = 0x0102
    CS02B_NETWORK_OPERATOR_BY_NETWORK_OPERATOR = 0x0103
    CS02B_ACCESS_CONTROL_BROKER_BY_ACB = 0x0104
    CS02B_WAN_PROVIDER_BY_WAN_PROVIDER = 0x0105
    CS02B_TRANSCOS_BY_TRANSCOS = 0x0106
    CS02B_SUPPLIER_BY_TRANSCOS = 0x0107
    CS02B_ANY_EXCEPT_ABNORMAL_ROOT_BY_RECOVERY = 0x0108
    CS02B_ANY_BY_CONTINGENCY = 0x0109
    CS02F_PROVIDE_SECURITY_CREDENTIAL_DETAILS = 0x011B
    CS02G_FUTURE_DATED_UPDATE_SECURITY_CREDENTIALS_ALERT = 0x0124
    CS02G_LOAD_CONTROLLER_BY_LOAD_CONTROLLER = 0x0125
    CS02G_LOAD_CONTROLLER_BY_SUPPLIER = 0x0126
    CCS08_FIRMWARE_TRANSFER_ALERT = 0x0128
    CS08_READ_PPMID_HCALCS_FIRMWARE_VERSION = 0x0129
    CS09_PPMID_FIRMWARE_ACTIVATION_ALERT = 0x012B


COMMAND, RESPONSE, ALERT = 1, 2, 3

# (message code, CRA flag) -> the views the content can be, told apart by the root tag.
_VIEWS: dict[tuple[int, int], tuple[type[Asn1Payload], ...]] = {}


def _register(codes: tuple[int, ...], cra: int, *views: type[Asn1Payload]) -> None:
    for code in codes:
        _VIEWS[code, cra] = views


M = Asn1MessageCode
_JOIN = (M.CS03A1_METHOD_A_JOIN_METER, M.CS03A2_METHOD_A_JOIN_NON_METER, M.CS03B_METHOD_B_JOIN,
         M.CS03C_METHOD_C_JOIN)
_UNJOIN = (M.CS04AC_METHOD_A_OR_C_UNJOIN, M.CS04B_METHOD_B_UNJOIN)
_CREDENTIAL_DETAILS = (M.CS02A_PROVIDE_SECURITY_CREDENTIAL_DETAILS,
                       M.CS02F_PROVIDE_SECURITY_CREDENTIAL_DETAILS)
_UPDATE_CREDENTIALS = (*(code for code in M if code.name.startswith("CS02B_")),
                       M.CS02G_LOAD_CONTROLLER_BY_LOAD_CONTROLLER,
                       M.CS02G_LOAD_CONTROLLER_BY_SUPPLIER)

_register(_JOIN, COMMAND, JoinCommand)
_register(_JOIN, RESPONSE, JoinResponse)
_register(_UNJOIN, COMMAND, UnjoinCommand)
_register(_UNJOIN, RESPONSE, UnjoinResponse)
_register((M.CS06_ACTIVATE_FIRMWARE,), COMMAND, ActivateFirmwareCommand)
_register((M.CS06_ACTIVATE_FIRMWARE,), RESPONSE, ActivateFirmwareOutcome, CommandAccepted)
_register((M.FUTURE_DATED_FIRMWARE_ACTIVATION_ALERT,), ALERT, ActivateFirmwareAlert)
_register((M.CS07_READ_DEVICE_JOIN_DETAILS, M.CS08_READ_PPMID_HCALCS_FIRMWARE_VERSION),
          COMMAND, EmptyCommand)
_register((M.CS07_READ_DEVICE_JOIN_DETAILS,), RESPONSE, ReadDeviceJoinDetailsResponse)
_register((M.CS08_READ_PPMID_HCALCS_FIRMWARE_VERSION,), RESPONSE, FirmwareVersionResponse)
_register((M.CS09_PPMID_FIRMWARE_ACTIVATION_ALERT,), ALERT, PpmidFirmwareActivationAlert)
_register((M.CCS08_FIRMWARE_TRANSFER_ALERT,), ALERT, FirmwareTransferAlert)
_register((M.GCS28_SET_CLOCK,), COMMAND, SetClockCommand)
_register((M.GCS28_SET_CLOCK,), RESPONSE, SetClockResponse)
_register((M.GCS59_RESTORE_GPF_DEVICE_LOG,), COMMAND, RestoreDeviceLogCommand)
_register((M.GCS59_RESTORE_GPF_DEVICE_LOG,), RESPONSE, RestoreDeviceLogResponse)
_register((M.GCS62_BACKUP_GPF_DEVICE_LOG_ALERT,), ALERT, DeviceLogBackupAlert)
_register(_CREDENTIAL_DETAILS, COMMAND, ProvideSecurityCredentialDetailsCommand)
_register(_CREDENTIAL_DETAILS, RESPONSE, ProvideSecurityCredentialDetailsResponse)
_register(_UPDATE_CREDENTIALS, COMMAND, UpdateSecurityCredentialsCommand)
_register(_UPDATE_CREDENTIALS, RESPONSE, UpdateSecurityCredentialsResponse)
_register((M.FUTURE_DATED_UPDATE_SECURITY_CREDENTIALS_ALERT,
           M.CS02G_FUTURE_DATED_UPDATE_SECURITY_CREDENTIALS_ALERT), ALERT,
          UpdateSecurityCredentialsAlert)
_register((M.CS02C_ISSUE_SECURITY_CREDENTIALS,), COMMAND, IssueSecurityCredentialsCommand)
_register((M.CS02C_ISSUE_SECURITY_CREDENTIALS,), RESPONSE, CertificationRequestResponse,
          IssueSecurityCredentialsFailure)
_register((M.CS02D_UPDATE_DEVICE_CERTIFICATE,), COMMAND, UpdateDeviceCertificateCommand)
_register((M.CS02D_UPDATE_DEVICE_CERTIFICATE,), RESPONSE, UpdateDeviceCertificateResponse)
_register((M.CS02E_PROVIDE_DEVICE_CERTIFICATE,), COMMAND, ProvideDeviceCertificateCommand)
_register((M.CS02E_PROVIDE_DEVICE_CERTIFICATE,), RESPONSE, DeviceCertificateResponse,
          ProvideDeviceCertificateFailure)
del M


def payload_views(message_code: int | None, cra: int) -> tuple[type[Asn1Payload], ...]:
    """The typed views a content with this message code and CRA flag can decode to
    (empty: it decodes to the generic tree)."""
    return _VIEWS.get((message_code, cra), ()) if message_code is not None else ()


def decode_asn1_payload(
    content: bytes, *, message_code: int | None, cra: int, offset: int = 0
) -> Asn1Payload | DerNode:
    """``content`` as the typed payload of ``message_code`` / ``cra`` (1 command, 2
    response, 3 alert), or as a generic tree when the message code has no ASN.1 view."""
    content = bytes(content)
    views = _VIEWS.get((message_code, cra)) if message_code is not None else None
    if views is None:
        return decode_der(content, offset=offset, path="asn1")
    root = content[0] if content else -1
    for view in views:
        if root == view.ROOT:
            return decode_view(view, content, offset)
    validate_element(content, offset, "asn1")
    expected = " or ".join(str(SHORT_FORM_TAGS[view.ROOT]) for view in views)
    raise DecodeError(f"expected {expected} for message code 0x{message_code:04X}, "
                      f"found {decode_der(content).tag}", offset, "asn1")


def encode_asn1_payload(payload: Asn1Payload | DerNode) -> bytes:
    if isinstance(payload, DerNode):
        return encode_der(payload)
    if not isinstance(payload, PayloadView):
        raise EncodeError(f"not an ASN.1 payload: {type(payload).__name__}")
    return encode_der(payload.to_node())  # type: ignore[attr-defined]
