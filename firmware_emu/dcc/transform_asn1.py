"""Payload builders for ASN.1 commands: clock, join/unjoin, device log reads, security
credentials (primer §8.3, §11.5, §11.6)."""

from __future__ import annotations

from datetime import timedelta

from cryptography.hazmat.primitives.serialization import Encoding

from firmware_emu.dcc.inventory import DeviceType
from firmware_emu.dcc.pki import RemoteParty
from firmware_emu.dcc.transform_rows import BuildContext, PayloadBuilder, TransformError, window
from gbcs.asn1 import (
    ActivateFirmwareCommand,
    AuthorisingRemotePartyControl,
    CellUsage,
    CredentialsReplacementMode,
    DerNode,
    DeviceLogEntry,
    EmptyCommand,
    IssueSecurityCredentialsCommand,
    JoinCommand,
    JoinMethodAndRole,
    KeyUsage,
    ProvideDeviceCertificateCommand,
    ProvideSecurityCredentialDetailsCommand,
    RemotePartyRole,
    RemotePartySeqNumberChange,
    RestoreDeviceLogCommand,
    SeqNumberUsage,
    SetClockCommand,
    SpecialistSeqNumber,
    TrustAnchorCellIdentifier,
    TrustAnchorReplacement,
    UnjoinCommand,
    UpdateDeviceCertificateCommand,
    UpdateSecurityCredentialsCommand,
    decode_der,
)
from gbcs.asn1 import DeviceType as Asn1DeviceType
from gbcs.crypto import KeyUsage as KeyStoreUsage
from gbcs.errors import GbcsError

GSME_CLOCK_WINDOW = timedelta(minutes=30)
ASN1_DEVICE_TYPES = {DeviceType.GSME: Asn1DeviceType.GSME, DeviceType.ESME: Asn1DeviceType.ESME,
                     DeviceType.CHF: Asn1DeviceType.CHF, DeviceType.GPF: Asn1DeviceType.GPF,
                     DeviceType.HCALCS: Asn1DeviceType.HCALCS,
                     DeviceType.PPMID: Asn1DeviceType.PPMID,
                     DeviceType.TYPE_2: Asn1DeviceType.TYPE_2}
_DS, _KA = KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT
_REPLACED_CELLS = (
    (KeyStoreUsage.DIGITAL_SIGNATURE, _DS, None),
    (KeyStoreUsage.KEY_AGREEMENT, _KA, None),
    (KeyStoreUsage.PREPAYMENT, _KA, CellUsage.PREPAYMENT_TOP_UP),
)
"""(key of the party, trust anchor cell key usage, cell usage) placed by CS02b."""
DEFAULT_REQUESTED_ROLES = (RemotePartyRole.ROOT, RemotePartyRole.RECOVERY,
                           RemotePartyRole.SUPPLIER, RemotePartyRole.NETWORK_OPERATOR,
                           RemotePartyRole.ACCESS_CONTROL_BROKER,
                           RemotePartyRole.TRANSITIONAL_COS, RemotePartyRole.WAN_PROVIDER)


def empty(ctx: BuildContext) -> EmptyCommand:
    """CS07 / CS08: the command content is NULL."""
    return EmptyCommand()


def set_gsme_clock(ctx: BuildContext) -> SetClockCommand:
    """GCS28 (8.1.1 commission, 6.11): set the clock if read within the window."""
    return SetClockCommand(*window(ctx.now.replace(microsecond=0), GSME_CLOCK_WINDOW))


def _certificate(ctx: BuildContext, eui: bytes, usage: KeyStoreUsage):
    try:
        return decode_der(ctx.pki.certificate_der(eui, usage))
    except GbcsError as error:
        raise TransformError(f"no usable {usage.description} certificate for "
                             f"{eui.hex().upper()}: {error}") from None


def join(method: JoinMethodAndRole) -> PayloadBuilder:
    """CS03A1/A2/B/C: add OtherDeviceID to the target's device log; method C also carries
    the other device's key-agreement certificate."""

    def build(ctx: BuildContext) -> JoinCommand:
        other, kind = ctx.other_device()
        asn1_type = ASN1_DEVICE_TYPES[kind]
        certificate = None
        if method is JoinMethodAndRole.METHOD_C:
            certificate = _certificate(ctx, other, KeyStoreUsage.KEY_AGREEMENT)
        return JoinCommand(method, other, asn1_type, certificate)

    return build


def restore_gpf_device_log(ctx: BuildContext) -> RestoreDeviceLogCommand:
    """GCS59 (8.12.2): the GPF device log as the DCC last saw it backed up (GCS62)."""
    backup = ctx.backups.gpf.get(ctx.device.device_id)
    if backup is None:
        raise TransformError(f"the DCC holds no backup of the device log of GPF "
                             f"{ctx.device.device_id}")
    return RestoreDeviceLogCommand(tuple(DeviceLogEntry(device, kind) for device, kind in backup))


def unjoin(ctx: BuildContext) -> UnjoinCommand:
    """CS04AC / CS04B: remove OtherDeviceID from the target's device log."""
    return UnjoinCommand(ctx.eui_param("OtherDeviceID"))


def _replacements(ctx: BuildContext, party: RemoteParty
                  ) -> tuple[TrustAnchorReplacement, ...]:
    role = RemotePartyRole(int(party.role))
    return tuple(
        TrustAnchorReplacement(_certificate(ctx, party.eui, usage),
                               TrustAnchorCellIdentifier(role, cell_key_usage, cell_usage))
        for usage, cell_key_usage, cell_usage in _REPLACED_CELLS if usage in party.usages)


def _update_credentials(ctx: BuildContext, party: RemoteParty,
                        mode: CredentialsReplacementMode, *, future_dated: bool
                        ) -> UpdateSecurityCredentialsCommand:
    role = RemotePartyRole(int(party.role))
    specialist = None
    if party.prepayment:
        specialist = (SpecialistSeqNumber(SeqNumberUsage.PREPAYMENT_TOP_UP, 0),)
    control = AuthorisingRemotePartyControl(
        mode, ctx.counter, authorising_cell=TrustAnchorCellIdentifier(role, _DS),
        new_floor_seq_number=0, new_specialist_floor_seq_numbers=specialist)
    execution = ctx.request.execution_datetime if future_dated else None
    return UpdateSecurityCredentialsCommand(control, _replacements(ctx, party), _path(ctx),
                                            execution)


def _path(ctx: BuildContext) -> tuple[DerNode, ...]:
    """The certification path of the replacing certificates: the CA's certificate."""
    return (decode_der(ctx.pki.authority.certificate.public_bytes(Encoding.DER)),)


def supplier_by_transcos(ctx: BuildContext) -> UpdateSecurityCredentialsCommand:
    """CS02b supplierByTransCoS (6.23): authorised by the Transitional CoS party's cell,
    the new supplier's certificates replace the supplier cells and the supplier's floor
    sequence numbers restart at 0."""
    party = ctx.party_or_fail("a change of supplier")
    role = RemotePartyRole(int(party.role))
    if role is not RemotePartyRole.SUPPLIER:
        raise TransformError(f"only a supplier takes over a device by 6.23, not {party.name}")
    specialist = None
    if party.prepayment:
        specialist = (SpecialistSeqNumber(SeqNumberUsage.PREPAYMENT_TOP_UP, 0),)
    control = AuthorisingRemotePartyControl(
        CredentialsReplacementMode.SUPPLIER_BY_TRANSCOS, ctx.counter,
        authorising_cell=TrustAnchorCellIdentifier(RemotePartyRole.TRANSITIONAL_COS, _DS),
        other_seq_number_changes=(RemotePartySeqNumberChange(role, 0, specialist),))
    return UpdateSecurityCredentialsCommand(control, _replacements(ctx, party), _path(ctx),
                                            ctx.request.execution_datetime)


def update_own_credentials(ctx: BuildContext) -> UpdateSecurityCredentialsCommand:
    """CS02b supplierBySupplier / networkOperatorByNetworkOperator (6.15.1): place the
    requesting party's current certificates in its own cells."""
    party = ctx.party_or_fail("updating its security credentials")
    modes = {RemotePartyRole.SUPPLIER: CredentialsReplacementMode.SUPPLIER_BY_SUPPLIER,
             RemotePartyRole.NETWORK_OPERATOR:
                 CredentialsReplacementMode.NETWORK_OPERATOR_BY_NETWORK_OPERATOR}
    mode = modes.get(RemotePartyRole(int(party.role)))
    if mode is None:
        raise TransformError(f"{party.name} cannot replace its own credentials with 6.15.1")
    return _update_credentials(ctx, party, mode, future_dated=True)


def handover(ctx: BuildContext) -> UpdateSecurityCredentialsCommand:
    """CS02b supplierBySupplier as the ACB's handover of the GPF (6.21): the supplier's
    certificates replace the DCC's in the supplier cells."""
    party = ctx.party_or_fail("taking over the GPF")
    if RemotePartyRole(int(party.role)) is not RemotePartyRole.SUPPLIER:
        raise TransformError(f"only a supplier takes over a GPF, not {party.name}")
    return _update_credentials(ctx, party, CredentialsReplacementMode.SUPPLIER_BY_SUPPLIER,
                               future_dated=False)


def credential_details(ctx: BuildContext) -> ProvideSecurityCredentialDetailsCommand:
    """CS02a / CS02f MAC variant (6.24.1): which trust anchors the device holds, asked by
    the ACB; data item RemotePartyRoles (numbers) narrows the roles."""
    wanted = ctx.param("RemotePartyRoles", None)
    if wanted is None:
        roles = DEFAULT_REQUESTED_ROLES
        if ctx.device.device_type is DeviceType.ESME:
            roles += (RemotePartyRole.LOAD_CONTROLLER,)
    else:
        try:
            roles = tuple(RemotePartyRole(int(role)) for role in wanted)
        except (TypeError, ValueError):
            raise TransformError(f"RemotePartyRoles {wanted!r} are not role numbers") from None
    return ProvideSecurityCredentialDetailsCommand(
        TrustAnchorCellIdentifier(RemotePartyRole.ACCESS_CONTROL_BROKER, _KA), roles)


_KEY_USAGES = {"DigitalSignature": (_DS, KeyStoreUsage.DIGITAL_SIGNATURE),
               "KeyAgreement": (_KA, KeyStoreUsage.KEY_AGREEMENT)}


def _key_usage(ctx: BuildContext) -> tuple[KeyUsage, KeyStoreUsage]:
    """Data item KeyUsage: DigitalSignature or KeyAgreement."""
    given = ctx.param("KeyUsage")
    if given not in _KEY_USAGES:
        raise TransformError(f"KeyUsage must be one of {', '.join(_KEY_USAGES)}, not {given!r}")
    return _KEY_USAGES[given]


def issue_credentials(ctx: BuildContext) -> IssueSecurityCredentialsCommand:
    """CS02c (6.17): the device generates a new key pair of the KeyUsage."""
    return IssueSecurityCredentialsCommand(_key_usage(ctx)[0])


def provide_certificate(ctx: BuildContext) -> ProvideDeviceCertificateCommand:
    """CS02e (6.24.2): the device returns its certificate of the KeyUsage."""
    return ProvideDeviceCertificateCommand(_key_usage(ctx)[0])


def update_device_certificate(ctx: BuildContext) -> UpdateDeviceCertificateCommand:
    """CS02d (6.15.2): place the device's certificate of the KeyUsage that the DCC's PKI
    holds (the one issued for its new key pair)."""
    return UpdateDeviceCertificateCommand(_certificate(ctx, ctx.recipient, _key_usage(ctx)[1]))


def activate_firmware(ctx: BuildContext) -> ActivateFirmwareCommand:
    """CS06 (11.3): activate the image of data item ManufacturerImageHash (hex, 32 bytes),
    now or at the request's execution date-time."""
    given = ctx.param("ManufacturerImageHash")
    try:
        image_hash = bytes.fromhex(given)
    except (TypeError, ValueError):
        raise TransformError(f"ManufacturerImageHash {given!r} is not hex") from None
    if len(image_hash) != 32:
        raise TransformError("ManufacturerImageHash must be 32 bytes (SHA-256)")
    return ActivateFirmwareCommand(image_hash, ctx.counter, ctx.request.execution_datetime)
