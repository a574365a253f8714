"""Building the GBCS messages a device originates: responses and alerts, protected.

A response echoes the command's originator counter and message code, swaps the system
titles and keeps the supplementary remote-party fields (a URP certificate becomes a
supplementary originator counter, primer §3.4). Responses to signed commands and
critical alerts are device-signed; everything else is MAC'd (primer §7.6).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from gbcs.codes import response_has_date_time, response_is_signed, use_case_for
from gbcs.crypto import KeyStore, encrypt_part
from gbcs.framing.general_signing import Cra, GroupingHeader, OtherInformation
from gbcs.message import GbcsMessage
from gbcs.primitives import CosemDateTime
from gbcs.secure import apply_mac, apply_signature, encryption_key


def response_header(command: GbcsMessage, device_eui: bytes, now: datetime, *,
                    clock_status: int, originator_counter: int | None = None) -> GroupingHeader:
    """The Grouping Header of the response to ``command``.

    ``originator_counter`` is the device's counter used as supplementary originator
    counter when the command carried an unknown remote party's certificate.
    """
    header = command.header
    other = header.other_information
    if other.remote_party_certificate is not None:
        other = replace(other, remote_party_certificate=None,
                        supplementary_originator_counter=originator_counter)
    code = header.message_code
    date_time = None
    if use_case_for(code) is not None and response_has_date_time(code):
        date_time = CosemDateTime.from_datetime(now, clock_status=clock_status)
    return GroupingHeader(Cra.RESPONSE, header.originator_counter, device_eui,
                          header.originator, other, date_time)


def alert_header(device_eui: bytes, recipient: bytes, message_code: int, counter: int,
                 other: OtherInformation | None = None) -> GroupingHeader:
    return GroupingHeader(Cra.ALERT, counter, device_eui, recipient,
                          other or OtherInformation(message_code))


def part_encryptor(header: GroupingHeader, keys: KeyStore):
    """``encrypt(plaintext) -> ciphertext ‖ tag`` for the sensitive parts of a message
    with this header (the security header is added by the payload codecs). The key is
    derived on first use: most responses have no sensitive part, and remote parties
    without a key-agreement key (Recovery, TransCoS) cannot have one."""
    derived: list[bytes] = []

    def encrypt(plaintext: bytes) -> bytes:
        if not derived:
            derived.append(encryption_key(header, keys))
        return encrypt_part(derived[0], header.originator, plaintext)[5:]

    return encrypt


def protect(message: GbcsMessage, keys: KeyStore, *, signed: bool) -> bytes:
    """Sign (device DS key) or MAC (device KA with the recipient) and encode."""
    if signed:
        return apply_signature(message, keys).to_bytes()
    return apply_mac(message.replace(signature=b""), keys).to_bytes()


def response_signed(command: GbcsMessage) -> bool:
    code = command.message_code
    if use_case_for(code) is None:
        return command.is_signed
    return response_is_signed(code, command.is_signed)
