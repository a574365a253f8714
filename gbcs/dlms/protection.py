"""IC 30 Data Protection shapes (primer §7.7, §8.2.6): protected reads and the ECS68 alert.

A ``get_protected_attributes`` ACTION names the attributes to read and the protection
parameters; the answer (and the ECS68 data-notification) carries the parameters seen from
the device and an octet-string ``31 ‖ invocation counter (4) ‖ ciphertext ‖ tag (12)``
whose plaintext is A-XDR Data. Cryptography stays outside: building takes an
``encrypt(plaintext) -> ciphertext ‖ tag`` callable and decoding hands the ciphered bytes
to the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from gbcs.dlms.axdr import (
    NULL,
    Array,
    Data,
    Enum,
    Integer,
    LongUnsigned,
    OctetString,
    Structure,
    decode_data_sequence,
)
from gbcs.dlms.cosem import ObisCode, obis_from_bytes
from gbcs.dlms.xdlms import (
    AccessRequest,
    AccessRequestAction,
    AccessResponse,
    DataNotification,
    InvokeIdAndPriority,
    XdlmsMessage,
    access_response,
    alert_notification,
)
from gbcs.errors import DecodeError, EncodeError
from gbcs.primitives import CosemDateTime
from gbcs.value_type import value_type

DATA_PROTECTION_CLASS_ID = 30
GET_PROTECTED_ATTRIBUTES = 1
"""IC 30 method id of get_protected_attributes."""
AUTHENTICATED_ENCRYPTION = 2
"""protection_type enum: authentication and encryption (what GBCS uses)."""
AGREED_KEY = 2
"""key_info_type enum: key agreed by ECDH (what GBCS uses)."""
SECURITY_CONTROL = 0x31
"""GBCS security control byte of encrypted payload parts (also their AAD)."""
TAG_SIZE = 12
_HEADER_SIZE = 5


def _expect(value: Data, cls: type, path: str, count: int | None = None) -> Data:
    if type(value) is not cls or (count is not None and len(value.children) != count):
        shape = f"{cls.__name__}({count})" if count is not None else cls.__name__
        raise DecodeError(f"expected {shape}, found {value!r:.60}", 0, path)
    return value


def _octets(value: Data, path: str) -> bytes:
    return _expect(value, OctetString, path).value  # type: ignore[attr-defined]


# =====================================================================================
# Protection parameters
# =====================================================================================


@value_type
class ProtectionParameters:
    """One protection_parameters element (agreed-key form, the only one GBCS uses).

    Wire shape: structure{enum protection_type, structure{transaction_id,
    originator_system_title, recipient_system_title, other_information (octet strings),
    key_info structure{enum key_info_type, structure{key_parameters, key_ciphered_data}}}}.
    """

    protection_type: int
    transaction_id: bytes
    originator_system_title: bytes
    recipient_system_title: bytes
    other_information: bytes
    key_info_type: int
    key_parameters: bytes
    key_ciphered_data: bytes

    @classmethod
    def for_gbcs(cls, originator_counter: int, originator: bytes,
                 recipient: bytes) -> ProtectionParameters:
        """GBCS defaults: transaction id ``04`` ‖ counter, static-static ECDH (``02``)."""
        return cls(AUTHENTICATED_ENCRYPTION, b"\x04" + originator_counter.to_bytes(8, "big"),
                   originator, recipient, b"", AGREED_KEY, b"\x02", b"")

    @property
    def originator_counter(self) -> int | None:
        """The counter inside a GBCS transaction id (``04`` ‖ 8 bytes), else ``None``."""
        if len(self.transaction_id) == 9:
            return int.from_bytes(self.transaction_id[1:], "big")
        return None

    def swapped(self) -> ProtectionParameters:
        """Originator and recipient exchanged (the device's answer to a request)."""
        return replace(self, originator_system_title=self.recipient_system_title,
                       recipient_system_title=self.originator_system_title)

    @classmethod
    def from_data(cls, value: Data, path: str = "") -> ProtectionParameters:
        """The typed view of ``value``; :class:`DecodeError` (path only) on another shape."""
        _expect(value, Structure, path, 2)
        kind = _expect(value[0], Enum, f"{path}[0]")
        options = _expect(value[1], Structure, f"{path}[1]", 5)
        key_info = _expect(options[4], Structure, f"{path}[1][4]", 2)
        key_type = _expect(key_info[0], Enum, f"{path}[1][4][0]")
        agreed = _expect(key_info[1], Structure, f"{path}[1][4][1]", 2)
        return cls(
            kind.value,  # type: ignore[attr-defined]
            *(_octets(options[index], f"{path}[1][{index}]") for index in range(4)),
            key_type.value,  # type: ignore[attr-defined]
            _octets(agreed[0], f"{path}[1][4][1][0]"),
            _octets(agreed[1], f"{path}[1][4][1][1]"),
        )

    def to_data(self) -> Structure:
        return Structure((Enum(self.protection_type), Structure((
            OctetString(self.transaction_id), OctetString(self.originator_system_title),
            OctetString(self.recipient_system_title), OctetString(self.other_information),
            Structure((Enum(self.key_info_type), Structure((
                OctetString(self.key_parameters), OctetString(self.key_ciphered_data)))))))))


def parameters_from_data(value: Data, path: str = "") -> tuple[ProtectionParameters, ...]:
    """An array of protection parameters."""
    _expect(value, Array, path)
    return tuple(ProtectionParameters.from_data(item, f"{path}[{index}]")
                 for index, item in enumerate(value.children))


def parameters_to_data(parameters: Sequence[ProtectionParameters]) -> Array:
    return Array(tuple(item.to_data() for item in parameters))


# =====================================================================================
# Protected payload
# =====================================================================================


@value_type
class ProtectedPayload:
    """``security control ‖ invocation counter (4) ‖ ciphertext ‖ tag (12)``."""

    security_control: int
    invocation_counter: int
    ciphertext: bytes
    tag: bytes

    @classmethod
    def from_bytes(cls, raw: bytes) -> ProtectedPayload:
        if len(raw) < _HEADER_SIZE + TAG_SIZE:
            raise DecodeError(f"protected payload needs at least {_HEADER_SIZE + TAG_SIZE} "
                              f"bytes, has {len(raw)}")
        return cls(raw[0], int.from_bytes(raw[1:5], "big"), bytes(raw[5:-TAG_SIZE]),
                   bytes(raw[-TAG_SIZE:]))

    def to_bytes(self) -> bytes:
        if len(self.tag) != TAG_SIZE:
            raise EncodeError(f"authentication tag must be {TAG_SIZE} bytes")
        try:
            header = bytes((self.security_control,)) + self.invocation_counter.to_bytes(4, "big")
        except (ValueError, OverflowError) as error:
            raise EncodeError(f"protected payload header out of range: {error}") from None
        return header + self.ciphertext + self.tag

    @property
    def additional_data(self) -> bytes:
        """The AES-GCM additional authenticated data: the security control byte."""
        return bytes((self.security_control,))

    @property
    def ciphertext_and_tag(self) -> bytes:
        """What an AES-GCM ``decrypt`` call takes."""
        return self.ciphertext + self.tag


def seal(values: Sequence[Data], encrypt: Callable[[bytes], bytes], *,
         invocation_counter: int = 0, security_control: int = SECURITY_CONTROL) -> OctetString:
    """The protected octet-string of ``values``.

    ``encrypt`` gets the A-XDR plaintext and returns ciphertext ‖ 12-byte tag; it must use
    the same invocation counter (IV = originator system title ‖ counter) and the security
    control byte as AAD.
    """
    plaintext = b"".join(value.encode() for value in values)
    sealed = encrypt(plaintext)
    if len(sealed) < TAG_SIZE:
        raise EncodeError("encrypt() returned fewer bytes than an authentication tag")
    payload = ProtectedPayload(security_control, invocation_counter, sealed[:-TAG_SIZE],
                               sealed[-TAG_SIZE:])
    return OctetString(payload.to_bytes())


def decode_protected_plaintext(plaintext: bytes, offset: int = 0) -> list[Data]:
    """The Data values (one or more) of a decrypted payload."""
    return decode_data_sequence(plaintext, offset, "plaintext")


def open_payload(payload: ProtectedPayload, decrypt: Callable[[bytes], bytes]) -> list[Data]:
    """Decrypt with ``decrypt(ciphertext ‖ tag) -> plaintext`` and decode the Data."""
    return decode_protected_plaintext(decrypt(payload.ciphertext_and_tag))


# =====================================================================================
# Finding protected payloads
# =====================================================================================


@value_type
class ProtectedLocation:
    """A protected octet-string inside an APDU.

    ``path`` indexes from the APDU's data list (access-response: ``path[0]`` is the item)
    or from the data-notification body, then down the Data tree.
    """

    path: tuple[int, ...]
    parameters: tuple[ProtectionParameters, ...]
    payload: ProtectedPayload


def _parameters_or_none(value: Data) -> tuple[ProtectionParameters, ...] | None:
    if type(value) is not Array or not value.children:
        return None
    try:
        return parameters_from_data(value)
    except DecodeError:
        return None


def _scan(value: Data, path: tuple[int, ...], found: list[ProtectedLocation]) -> None:
    children = value.children
    if type(value) is Structure:
        for index in range(len(children) - 1):
            octets = children[index + 1]
            if type(octets) is not OctetString or len(octets.value) < _HEADER_SIZE + TAG_SIZE:
                continue
            parameters = _parameters_or_none(children[index])
            if parameters is not None:
                found.append(ProtectedLocation(
                    (*path, index + 1), parameters, ProtectedPayload.from_bytes(octets.value)))
    for index, child in enumerate(children):
        if child.children:  # scalars hold nothing to find
            _scan(child, (*path, index), found)


def find_protected_payloads(apdu: XdlmsMessage) -> list[ProtectedLocation]:
    """Every protection-parameters array followed by a protected octet-string.

    That is the get_protected_attributes result structure(2){parameters, payload} in an
    access-response and the ECS68 alert body in a data-notification.
    """
    found: list[ProtectedLocation] = []
    if isinstance(apdu, AccessResponse):
        for index, item in enumerate(apdu.data):
            _scan(item, (index,), found)
    elif isinstance(apdu, DataNotification):
        _scan(apdu.body, (), found)
    return found


# =====================================================================================
# get_protected_attributes request
# =====================================================================================


NO_RESTRICTION = Structure((Enum(0), NULL))
"""The GBCS attribute restriction: structure{enum 0 (none), null}."""


@value_type
class ProtectedAttribute:
    """One attribute to read: structure{class, logical name, attribute, data index,
    restriction} (the restriction is kept as Data: ``structure{enum 0, null}`` in GBCS)."""

    class_id: int
    logical_name: ObisCode
    attribute_id: int
    data_index: int = 0
    restriction: Data = NO_RESTRICTION

    @classmethod
    def from_data(cls, value: Data, path: str = "") -> ProtectedAttribute:
        _expect(value, Structure, path, 5)
        raw_name = _octets(value[1], f"{path}[1]")
        if len(raw_name) != 6:
            raise DecodeError("logical name must be 6 bytes", 0, f"{path}[1]")
        return cls(
            _expect(value[0], LongUnsigned, f"{path}[0]").value,  # type: ignore[attr-defined]
            obis_from_bytes(raw_name),
            _expect(value[2], Integer, f"{path}[2]").value,  # type: ignore[attr-defined]
            _expect(value[3], LongUnsigned, f"{path}[3]").value,  # type: ignore[attr-defined]
            value[4],
        )

    def to_data(self) -> Structure:
        return Structure((LongUnsigned(self.class_id), OctetString(self.logical_name.raw),
                          Integer(self.attribute_id), LongUnsigned(self.data_index),
                          self.restriction))


@value_type
class ProtectedAttributesRequest:
    """The get_protected_attributes parameter: structure{attributes, parameters}."""

    attributes: tuple[ProtectedAttribute, ...]
    parameters: tuple[ProtectionParameters, ...]

    @classmethod
    def from_data(cls, value: Data, path: str = "") -> ProtectedAttributesRequest:
        _expect(value, Structure, path, 2)
        attributes = _expect(value[0], Array, f"{path}[0]")
        return cls(
            tuple(ProtectedAttribute.from_data(item, f"{path}[0][{index}]")
                  for index, item in enumerate(attributes.children)),
            parameters_from_data(value[1], f"{path}[1]"),
        )

    def to_data(self) -> Structure:
        return Structure((Array(tuple(item.to_data() for item in self.attributes)),
                          parameters_to_data(self.parameters)))


def protected_read_items(request: AccessRequest) -> list[tuple[int, ProtectedAttributesRequest]]:
    """``(item index, parameter view)`` of every get_protected_attributes in ``request``."""
    found = []
    for index, (spec, parameter) in enumerate(request.items()):
        if (isinstance(spec, AccessRequestAction)
                and spec.class_id == DATA_PROTECTION_CLASS_ID
                and spec.method_id == GET_PROTECTED_ATTRIBUTES):
            found.append((index, ProtectedAttributesRequest.from_data(parameter, f"[{index}]")))
    return found


# =====================================================================================
# Building protected answers
# =====================================================================================


def protected_attributes_result(
    parameters: Sequence[ProtectionParameters], values: Sequence[Data],
    encrypt: Callable[[bytes], bytes], *, invocation_counter: int = 0,
) -> Structure:
    """The get_protected_attributes return value: structure{parameters, protected payload}."""
    return Structure((parameters_to_data(parameters),
                      seal(values, encrypt, invocation_counter=invocation_counter)))


def protected_attributes_response(
    request: AccessRequest, values: Sequence[Data], encrypt: Callable[[bytes], bytes], *,
    invocation_counter: int = 0,
) -> AccessResponse:
    """Answer a single-item get_protected_attributes request with ``values`` encrypted.

    The parameters are the request's with originator and recipient swapped.
    """
    reads = protected_read_items(request)
    if len(request.specifications) != 1 or len(reads) != 1:
        raise EncodeError("expected a request with one get_protected_attributes item")
    parameters = tuple(item.swapped() for item in reads[0][1].parameters)
    result = protected_attributes_result(parameters, values, encrypt,
                                         invocation_counter=invocation_counter)
    return access_response(request, [(0, result)])


def protected_notification(
    invoke: InvokeIdAndPriority, alert_code: int, timestamp: CosemDateTime,
    parameters: Sequence[ProtectionParameters], values: Sequence[Data],
    encrypt: Callable[[bytes], bytes], *, invocation_counter: int = 0,
) -> DataNotification:
    """An ECS68-shaped alert: structure{code, timestamp, parameters, protected payload}."""
    return alert_notification(invoke, alert_code, timestamp, parameters_to_data(parameters),
                              seal(values, encrypt, invocation_counter=invocation_counter))
