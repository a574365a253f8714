"""What the typed ASN.1 payloads share: the GBCS enumerations used by several use cases,
the types built from them, the NULL payloads and field builders (primer §8.3).

Enumerated values outside the known names stay plain ints, so they still round-trip.
"""

from __future__ import annotations

import enum
from typing import ClassVar

from gbcs.asn1.der import DerNode
from gbcs.asn1.der_builders import integer, named_bits, null, octet_string, sequence
from gbcs.asn1.payload_reader import (
    INTEGER,
    NULL,
    PayloadReader,
    PayloadView,
    items_of,
    read_enum,
)
from gbcs.errors import EncodeError
from gbcs.value_type import value_type

DEVICE_ID_SIZE = 8

# =====================================================================================
# Enumerations shared by several use cases
# =====================================================================================


class DeviceType(enum.IntEnum):
    """ASN.1 DeviceType (CS03, CS07, GCS59, GCS62) -- not the DLMS register_device type."""

    GSME = 0
    ESME = 1
    CHF = 2
    GPF = 3
    HCALCS = 4
    PPMID = 5
    TYPE_2 = 6


class RemotePartyRole(enum.IntEnum):
    ROOT = 0
    RECOVERY = 1
    SUPPLIER = 2
    NETWORK_OPERATOR = 3
    ACCESS_CONTROL_BROKER = 4
    TRANSITIONAL_COS = 5
    WAN_PROVIDER = 6
    ISSUING_AUTHORITY = 7
    LOAD_CONTROLLER = 8  # seen only in RTDS certificate OUs and CS02g (primer §12)
    OTHER = 127


class KeyUsage(enum.IntFlag):
    """X.509 KeyUsage named bits: bit ``n`` of the BIT STRING is ``1 << n``."""

    DIGITAL_SIGNATURE = 1 << 0
    NON_REPUDIATION = 1 << 1
    KEY_ENCIPHERMENT = 1 << 2
    DATA_ENCIPHERMENT = 1 << 3
    KEY_AGREEMENT = 1 << 4
    KEY_CERT_SIGN = 1 << 5
    CRL_SIGN = 1 << 6
    ENCIPHER_ONLY = 1 << 7
    DECIPHER_ONLY = 1 << 8


class CellUsage(enum.IntEnum):
    """Trust anchor cell usage; absent on the wire means MANAGEMENT (the DEFAULT)."""

    MANAGEMENT = 0
    PREPAYMENT_TOP_UP = 1


class Asn1AlertCode(enum.IntEnum):
    """Alert codes carried in ASN.1 alert payloads (primer §10.2)."""

    GPF_DEVICE_LOG_CHANGED = 0x8071
    FUTURE_DATED_EXECUTION_SUCCESS = 0x8F66
    FUTURE_DATED_EXECUTION_FAILURE = 0x8F67
    FIRMWARE_TRANSFER_FAILURE = 0x8F89
    FIRMWARE_TRANSFER_SUCCESS = 0x8F8A
    PPMID_FIRMWARE_ACTIVATION = 0x8F8B


# =====================================================================================
# Building views
# =====================================================================================


def device_id_node(device_id: bytes, what: str = "device id") -> DerNode:
    if not isinstance(device_id, bytes | bytearray) or len(device_id) != DEVICE_ID_SIZE:
        raise EncodeError(f"{what} must be {DEVICE_ID_SIZE} bytes")
    return octet_string(device_id)


def sized_octets(value: bytes, size: int, what: str) -> DerNode:
    if not isinstance(value, bytes | bytearray) or len(value) != size:
        raise EncodeError(f"{what} must be {size} bytes")
    return octet_string(value)


# =====================================================================================
# Types used by several use cases
# =====================================================================================


@value_type
class DeviceLogEntry:
    """SEQUENCE { deviceId OCTET STRING (8), deviceType DeviceType }."""

    device_id: bytes
    device_type: DeviceType | int

    @classmethod
    def read(cls, fields: PayloadReader) -> DeviceLogEntry:
        entry = cls(fields.octets("device_id", DEVICE_ID_SIZE),
                    read_enum(fields, "device_type", DeviceType))
        fields.end()
        return entry

    def to_node(self) -> DerNode:
        return sequence(device_id_node(self.device_id), integer(self.device_type))


read_device_log_entry = items_of(DeviceLogEntry.read)


def device_log_node(entries: tuple[DeviceLogEntry, ...]) -> DerNode:
    return sequence(*(entry.to_node() for entry in entries))


@value_type
class TrustAnchorCellIdentifier:
    """SEQUENCE { remotePartyRole, keyUsage BIT STRING, cellUsage DEFAULT management }.

    ``cell_usage`` None means the field is absent (management); an explicit value is kept
    as sent so the cell re-encodes exactly."""

    remote_party_role: RemotePartyRole | int
    key_usage: KeyUsage
    cell_usage: CellUsage | int | None = None

    @classmethod
    def read(cls, fields: PayloadReader) -> TrustAnchorCellIdentifier:
        role = read_enum(fields, "remote_party_role", RemotePartyRole)
        usage = KeyUsage(fields.named_bits("key_usage"))
        cell = read_enum(fields, "cell_usage", CellUsage) if fields.has(INTEGER) else None
        fields.end()
        return cls(role, usage, cell)

    def components(self) -> tuple[DerNode, ...]:
        parts = (integer(self.remote_party_role), named_bits(self.key_usage))
        return parts if self.cell_usage is None else (*parts, integer(self.cell_usage))

    def to_node(self) -> DerNode:
        return sequence(*self.components())

    @property
    def effective_cell_usage(self) -> CellUsage | int:
        return CellUsage.MANAGEMENT if self.cell_usage is None else self.cell_usage


# =====================================================================================
# NULL payloads
# =====================================================================================


@value_type
class EmptyCommand(PayloadView):
    """A command whose content is just NULL (CS07 Read Device Join Details, CS08 Read
    PPMID/HCALCS Firmware Version)."""

    ROOT: ClassVar[int] = NULL

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> EmptyCommand:
        reader.null("command")
        return cls()

    def to_node(self) -> DerNode:
        return null()


@value_type
class CommandAccepted(PayloadView):
    """NULL response: a future-dated (or cancelling) command was accepted (CS06)."""

    ROOT: ClassVar[int] = NULL

    @classmethod
    def read_payload(cls, reader: PayloadReader) -> CommandAccepted:
        reader.null("command_accepted")
        return cls()

    def to_node(self) -> DerNode:
        return null()
