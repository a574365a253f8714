"""GBZ use-case-specific components (primer §8.1.2): extended header and ZCL frame.

A component is an extended header (control byte, cluster id and command length, both
big-endian), an optional From Date Time, for encrypted components an additional header
(control, frame counter), the ZCL frame control, sequence number and command id, and
then either the plaintext ZCL payload or the ciphered information: its length, a
security header ``31 ‖ invocation counter`` and ciphertext ‖ 12-byte tag.

Components are parsed by hand: they are the hot path (one GBZ message holds up to 31).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field, replace

from gbcs.errors import CryptoError, DecodeError, EncodeError
from gbcs.gbz.records import TRUNCATED, Codec
from gbcs.gbz.zcl import FrameControl, ZclCommand, decode_zcl_payload, encode_zcl_payload
from gbcs.value_type import value_type

PROFILE_ID = 0x0109
PROFILE = PROFILE_ID.to_bytes(2, "big")
LAST_COMPONENT = 0x01
ENCRYPTED = 0x02
FROM_DATE_TIME = 0x10
SECURITY_CONTROL = 0x31
SECURITY_HEADER_SIZE = 5
TAG_SIZE = 12
FROM_DATE_TIME_IMMEDIATE = 0x00000000
FROM_DATE_TIME_CANCEL = 0xFFFFFFFF

# =====================================================================================
# Typed values
# =====================================================================================


@value_type
class GbzEncryption:
    """The fields that only encrypted components have (the ciphertext is the payload)."""

    additional_header_control: int = 0
    frame_counter: int = 0
    invocation_counter: int = 0


@value_type
class GbzComponent:
    """One use-case-specific component. ``control`` is the extended header control byte
    as sent; ``payload`` is the plaintext ZCL payload, or ciphertext ‖ tag when
    ``encryption`` is set. ``payload_offset`` says where the payload began in the decoded
    message (for error offsets of later ZCL decoding)."""

    control: int
    cluster_id: int
    frame_control: int
    sequence_number: int
    command_id: int
    payload: bytes
    from_date_time: int | None = None
    encryption: GbzEncryption | None = None
    payload_offset: int = field(default=0, compare=False, repr=False)

    @property
    def is_last(self) -> bool:
        return bool(self.control & LAST_COMPONENT)

    @property
    def is_encrypted(self) -> bool:
        return self.encryption is not None

    @property
    def frame(self) -> FrameControl:
        return FrameControl(self.frame_control)

    @property
    def ciphertext(self) -> bytes:
        return self.payload[:-TAG_SIZE] if self.encryption is not None else b""

    @property
    def tag(self) -> bytes:
        return self.payload[-TAG_SIZE:] if self.encryption is not None else b""

    def with_last(self, last: bool) -> GbzComponent:
        control = (self.control | LAST_COMPONENT) if last else (self.control & ~LAST_COMPONENT)
        return self if control == self.control else replace(self, control=control)

    def zcl_command(self, plaintext: bytes | None = None) -> ZclCommand:
        """The ZCL command; an encrypted component needs its decrypted ``plaintext``."""
        if self.encryption is None:
            data, offset = self.payload, self.payload_offset
        elif plaintext is None:
            raise CryptoError("the component is encrypted: pass its decrypted plaintext")
        else:
            data, offset = plaintext, 0
        return decode_zcl_payload(self.cluster_id, self.frame_control, self.command_id, data,
                                  offset)


# =====================================================================================
# Wire layout
# =====================================================================================


def read_component(data: bytes, pos: int, base: int) -> tuple[GbzComponent, int]:
    """The component at ``pos``; ``data`` starts ``base`` bytes into the whole message."""
    size = len(data)
    if pos + 5 > size:
        raise DecodeError(TRUNCATED, pos, "control")
    control = data[pos]
    cluster_id = (data[pos + 1] << 8) | data[pos + 2]
    length = (data[pos + 3] << 8) | data[pos + 4]
    at = pos + 5
    end = at + length
    if end > size:
        raise DecodeError(f"command length {length} exceeds the {size - at} bytes left",
                          pos + 3, "command_length")
    from_date_time = None
    if control & FROM_DATE_TIME:
        if at + 4 > end:
            raise DecodeError(TRUNCATED, at, "from_date_time")
        from_date_time = int.from_bytes(data[at:at + 4], "big")
        at += 4
    encryption = None
    additional = (0, 0)
    if control & ENCRYPTED:
        if at + 2 > end:
            raise DecodeError(TRUNCATED, at, "additional_header")
        additional = (data[at], data[at + 1])
        at += 2
    if at + 3 > end:
        raise DecodeError(TRUNCATED, at, "frame_control")
    frame_control, sequence_number, command_id = data[at], data[at + 1], data[at + 2]
    at += 3
    if control & ENCRYPTED:
        if at + 2 + SECURITY_HEADER_SIZE + TAG_SIZE > end:
            raise DecodeError("ciphered information shorter than its header and tag", at,
                              "ciphered_information")
        ciphered_length = (data[at] << 8) | data[at + 1]
        if ciphered_length != end - at - 2:
            raise DecodeError(f"ciphered information length {ciphered_length} does not match "
                              f"the {end - at - 2} bytes left", at, "ciphered_length")
        if data[at + 2] != SECURITY_CONTROL:
            raise DecodeError(f"security control 0x{data[at + 2]:02X} is not 0x31", at + 2,
                              "security_control")
        encryption = GbzEncryption(additional[0], additional[1],
                                   int.from_bytes(data[at + 3:at + 7], "big"))
        at += 2 + SECURITY_HEADER_SIZE
    component = GbzComponent(control, cluster_id, frame_control, sequence_number, command_id,
                             data[at:end], from_date_time, encryption, base + at)
    return component, end


def write_component(component: GbzComponent, out: bytearray) -> None:
    try:
        control = component.control
        encryption = component.encryption
        if bool(control & FROM_DATE_TIME) != (component.from_date_time is not None):
            raise EncodeError("control bit 0x10 must be set exactly when From Date Time is given")
        if bool(control & ENCRYPTED) != (encryption is not None):
            raise EncodeError("control bit 0x02 must be set exactly for encrypted components")
        body = bytearray()
        if component.from_date_time is not None:
            body += component.from_date_time.to_bytes(4, "big")
        if encryption is not None:
            body += bytes((encryption.additional_header_control, encryption.frame_counter))
        body += bytes((component.frame_control, component.sequence_number, component.command_id))
        if encryption is not None:
            if len(component.payload) < TAG_SIZE:
                raise EncodeError("an encrypted payload must hold at least the 12-byte tag")
            body += (SECURITY_HEADER_SIZE + len(component.payload)).to_bytes(2, "big")
            body.append(SECURITY_CONTROL)
            body += encryption.invocation_counter.to_bytes(4, "big")
        body += component.payload
        out.append(control)
        out += component.cluster_id.to_bytes(2, "big")
        out += len(body).to_bytes(2, "big")
        out += body
    except EncodeError:
        raise
    except (OverflowError, ValueError, TypeError, AttributeError) as error:
        raise EncodeError(f"GBZ component field out of range: {error}") from None


class GbzComponentCodec(Codec):
    python_type = GbzComponent

    def read(self, data: bytes, pos: int) -> tuple[GbzComponent, int]:
        return read_component(data, pos, 0)

    def write(self, value: GbzComponent, out: bytearray) -> None:
        if not isinstance(value, GbzComponent):
            raise EncodeError(f"expected GbzComponent, not {type(value).__name__}")
        write_component(value, out)


GBZ_COMPONENT = GbzComponentCodec()

# =====================================================================================
# Builders
# =====================================================================================


def component_control(*, last: bool = False, encrypted: bool = False,
                      from_date_time: bool = False) -> int:
    return ((LAST_COMPONENT if last else 0) | (ENCRYPTED if encrypted else 0)
            | (FROM_DATE_TIME if from_date_time else 0))


def make_component(cluster_id: int, frame_control: int, sequence_number: int, command_id: int,
                   payload: bytes, *, from_date_time: int | None = None,
                   encryption: GbzEncryption | None = None) -> GbzComponent:
    """A component with its control byte derived; with ``encryption``, ``payload`` is the
    ciphertext ‖ tag produced elsewhere. :func:`gbz_payload` sets the last-component bit."""
    control = component_control(encrypted=encryption is not None,
                                from_date_time=from_date_time is not None)
    return GbzComponent(control, cluster_id, frame_control, sequence_number, command_id,
                        bytes(payload), from_date_time, encryption)


def gbz_component(command: ZclCommand, sequence_number: int, *,
                  from_date_time: int | None = None) -> GbzComponent:
    """A plaintext component carrying ``command``."""
    return make_component(command.cluster_id, command.frame_control, sequence_number,
                          command.command_id, encode_zcl_payload(command),
                          from_date_time=from_date_time)


def encrypted_gbz_component(command: ZclCommand, sequence_number: int,
                            encrypt: Callable[[bytes], bytes], *,
                            encryption: GbzEncryption | None = None,
                            from_date_time: int | None = None) -> GbzComponent:
    """An encrypted component: ``encrypt`` maps the ZCL payload to ciphertext ‖ tag (the
    key and IV, which depend on the invocation counter, are the caller's business)."""
    sealed = encrypt(encode_zcl_payload(command))
    if not isinstance(sealed, bytes | bytearray) or len(sealed) < TAG_SIZE:
        raise EncodeError("encrypt must return ciphertext followed by a 12-byte tag")
    return make_component(command.cluster_id, command.frame_control, sequence_number,
                          command.command_id, sealed, from_date_time=from_date_time,
                          encryption=GbzEncryption() if encryption is None else encryption)


