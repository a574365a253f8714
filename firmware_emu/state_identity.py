"""Who a device is: identity, variant, and its own key material."""

from __future__ import annotations

import dataclasses
import enum
import re

from firmware_emu.state_codec import (
    InvalidStateError,
    JsonState,
    check_bytes,
    check_eui,
    check_int,
)


class DeviceType(enum.Enum):
    """The kinds of device the emulator can be."""

    ESME = "ESME"
    GSME = "GSME"
    GPF = "GPF"
    CHF = "CHF"
    PPMID = "PPMID"
    HCALCS = "HCALCS"
    SAPC = "SAPC"


class Asn1DeviceType(enum.IntEnum):
    """DeviceType INTEGER of the ASN.1 payloads (CS03, CS07, GCS59, GCS62; primer §8.3)."""

    GSME = 0
    ESME = 1
    CHF = 2
    GPF = 3
    HCALCS = 4
    PPMID = 5
    TYPE_2_DEVICE = 6


class DlmsDeviceType(enum.IntEnum):
    """``register_device.device_type`` of the CHF device log (CCS01; primer §11)."""

    ESME = 0
    GSME = 1
    HCALCS = 13
    IHD = 128
    CAD = 130
    PPMID = 132
    GPF = 254


# An SAPC is an ESME variant, so it appears as an ESME in device logs.
_ASN1_TYPE = {
    DeviceType.ESME: Asn1DeviceType.ESME, DeviceType.SAPC: Asn1DeviceType.ESME,
    DeviceType.GSME: Asn1DeviceType.GSME, DeviceType.GPF: Asn1DeviceType.GPF,
    DeviceType.CHF: Asn1DeviceType.CHF, DeviceType.PPMID: Asn1DeviceType.PPMID,
    DeviceType.HCALCS: Asn1DeviceType.HCALCS,
}
_DLMS_TYPE = {
    DeviceType.ESME: DlmsDeviceType.ESME, DeviceType.SAPC: DlmsDeviceType.ESME,
    DeviceType.GSME: DlmsDeviceType.GSME, DeviceType.GPF: DlmsDeviceType.GPF,
    DeviceType.PPMID: DlmsDeviceType.PPMID, DeviceType.HCALCS: DlmsDeviceType.HCALCS,
}
_ELECTRICITY_METERS = frozenset({DeviceType.ESME, DeviceType.SAPC})
MAX_AUXILIARY_SWITCHES = 5


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceVariant(JsonState):
    """Hardware variant flags; each only makes sense for some device types."""

    dual_band: bool = False
    twin_element: bool = False
    polyphase: bool = False
    alcs_count: int = 0
    apc_count: int = 0

    def __post_init__(self) -> None:
        check_int(self.alcs_count, "alcs_count", 0, MAX_AUXILIARY_SWITCHES)
        check_int(self.apc_count, "apc_count", 0, MAX_AUXILIARY_SWITCHES)
        if self.twin_element and self.polyphase:
            raise InvalidStateError("polyphase", "an ESME cannot be both twin-element and "
                                                 "polyphase")

    def check_for(self, device_type: DeviceType) -> None:
        if self.dual_band and device_type is not DeviceType.CHF:
            raise InvalidStateError("variant.dual_band", f"only a CHF can be dual-band, "
                                                         f"not a {device_type.value}")
        esme_only = {"twin_element": self.twin_element, "polyphase": self.polyphase,
                     "alcs_count": self.alcs_count, "apc_count": self.apc_count}
        for name, value in esme_only.items():
            if value and device_type not in _ELECTRICITY_METERS:
                raise InvalidStateError(f"variant.{name}",
                                        f"applies to an ESME or SAPC, not a {device_type.value}")
        if device_type is DeviceType.SAPC and not self.apc_count:
            raise InvalidStateError("variant.apc_count", "an SAPC has at least one APC")


_GBCS_VERSION = re.compile(r"(\d{1,2})\.(\d{1,2})")


def parse_gbcs_version(text: str) -> tuple[int, int]:
    match = _GBCS_VERSION.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise InvalidStateError("gbcs_version", f"expected major.minor like '4.0', "
                                                f"got {text!r}")
    return int(match[1]), int(match[2])


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceIdentity(JsonState):
    """The fixed facts of a device as ECS26i/GCS21m/ECS52 report them."""

    eui: bytes
    device_type: DeviceType
    gbcs_version: str
    firmware_version: bytes
    manufacturer_id: int
    image_type: int
    hardware_version: int
    variant: DeviceVariant = DeviceVariant()

    def __post_init__(self) -> None:
        check_eui(self.eui, "eui")
        if not isinstance(self.device_type, DeviceType):
            raise InvalidStateError("device_type", f"not a DeviceType: {self.device_type!r}")
        parse_gbcs_version(self.gbcs_version)
        check_bytes(self.firmware_version, "firmware_version", 4)
        check_int(self.manufacturer_id, "manufacturer_id", 0, 0xFFFF)
        check_int(self.image_type, "image_type", 0, 0xFFFF)
        check_int(self.hardware_version, "hardware_version", 0, 0xFFFF)
        self.variant.check_for(self.device_type)

    @property
    def model_type(self) -> str:
        """ECS26i model type: OTA image type and hardware version, 4 hex digits each."""
        return f"{self.image_type:04X}{self.hardware_version:04X}"

    @property
    def asn1_device_type(self) -> Asn1DeviceType:
        return _ASN1_TYPE[self.device_type]

    @property
    def dlms_device_type(self) -> DlmsDeviceType:
        """The type under which a CHF whitelists this device (a CHF never is)."""
        if self.device_type not in _DLMS_TYPE:
            raise InvalidStateError("device_type", "a CHF has no CHF device log type")
        return _DLMS_TYPE[self.device_type]

    def gbcs_at_least(self, major: int, minor: int) -> bool:
        return parse_gbcs_version(self.gbcs_version) >= (major, minor)


_PEM_PRIVATE_KEY = re.compile(r"-----BEGIN (EC )?PRIVATE KEY-----\n.+\n-----END (EC )?PRIVATE "
                              r"KEY-----\n?", re.DOTALL)


def _check_certificate(value: bytes | None, field: str) -> None:
    if value is None:
        return
    check_bytes(value, field)
    # Cheap structural check: one DER SEQUENCE spanning exactly the whole value.
    if len(value) < 4 or value[0] != 0x30 or value[1] not in (0x81, 0x82):
        raise InvalidStateError(field, "not a DER X.509 certificate")
    size = 2 + (value[1] & 0x7F) + int.from_bytes(value[2:2 + (value[1] & 0x7F)], "big")
    if size != len(value):
        raise InvalidStateError(field, f"DER length says {size} bytes, got {len(value)}")


def _check_private_key(value: str | None, field: str) -> None:
    if value is not None and (not isinstance(value, str)
                              or not _PEM_PRIVATE_KEY.fullmatch(value.strip() + "\n")):
        raise InvalidStateError(field, "not a PEM private key")


@dataclasses.dataclass(frozen=True, slots=True)
class KeyMaterial(JsonState):
    """The device's own key-agreement and digital-signature certificates and keys.

    ``None`` means not provisioned yet. The material is stored by value so that a
    stored device never depends on files that might move.
    """

    ka_certificate_der: bytes | None = None
    ka_private_key_pem: str | None = None
    ds_certificate_der: bytes | None = None
    ds_private_key_pem: str | None = None

    def __post_init__(self) -> None:
        _check_certificate(self.ka_certificate_der, "ka_certificate_der")
        _check_certificate(self.ds_certificate_der, "ds_certificate_der")
        _check_private_key(self.ka_private_key_pem, "ka_private_key_pem")
        _check_private_key(self.ds_private_key_pem, "ds_private_key_pem")
