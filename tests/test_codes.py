"""The message-code and alert-code tables, checked on their own and against every RTDS message.

The RTDS messages are read with a small header parser of their own (primer §3, §4) so that
these tests do not depend on the framing codec.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import pytest

from gbcs.alert_codes import ALERT_CODES, alert_code_info, alert_name, all_alert_codes
from gbcs.codes import (
    USE_CASES,
    DeviceType,
    MessageKinds,
    PayloadFamily,
    Protection,
    Sensitivity,
    UseCase,
    alert_is_critical,
    all_use_cases,
    by_use_case_id,
    is_critical_command,
    response_has_date_time,
    response_is_signed,
    use_case_for,
)
from tests.rtds import RtdsMessage, all_messages

# =====================================================================================
# A minimal reading of the RTDS messages
# =====================================================================================

DEVICES = {
    "00DB1234567890A0": DeviceType.ESME,
    "00DB1234567890A1": DeviceType.GSME,
    "00DB1234567890A2": DeviceType.CHF,
    "00DB1234567890A3": DeviceType.GPF,
    "00DB1234567890A4": DeviceType.PPMID,
    "00DB1234567890A5": DeviceType.HCALCS,
    "00DB1234567890A6": DeviceType.SAPC,
}
ACB = "90B3D51F30000002"
SECURITY_HEADER = bytes.fromhex("3100000000")
COMMAND_FORMS = {  # (outer tag, signature length) a command may have
    Protection.SIGNED: {("DD", 64), ("DF", 64)},
    Protection.MAC: {("DD", 0)},
    Protection.VARIANT: {("DD", 0), ("DF", 64)},
}


def _length_at(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    return int.from_bytes(data[pos + 1:pos + 1 + size], "big"), pos + 1 + size


@dataclass(frozen=True)
class Frame:
    mac: bool  # DD wrapper with a 12-byte MAC
    cra: int
    originator: str
    recipient: str
    date_time_length: int
    other_information_length: int
    code: int
    content: bytes
    signature_length: int | None  # None: no signature-length byte (PRECOMMAND)

    @property
    def signed(self) -> bool:
        return self.signature_length == 64


def frame_of(data: bytes) -> Frame:
    pos = 0
    mac = data[0] == 0xDD
    if mac:
        _, pos = _length_at(data, 7)
        assert data[pos] == 0x11
        pos += 5
    assert data[pos] == 0xDF and data[pos + 1] == 9
    cra = data[pos + 2]
    pos += 11
    originator = data[pos + 1:pos + 9].hex().upper()
    recipient = data[pos + 10:pos + 18].hex().upper()
    pos += 18
    date_time_length = data[pos]
    pos += 1 + date_time_length
    other_length, pos = _length_at(data, pos)
    code = int.from_bytes(data[pos:pos + 2], "big")
    pos += other_length
    content_length, pos = _length_at(data, pos)
    content = data[pos:pos + content_length]
    pos += content_length
    end = len(data) - (12 if mac else 0)
    signature_length = None
    if pos < end:
        signature_length = data[pos]
        assert pos + 1 + signature_length == end
    else:
        assert pos == end
    return Frame(mac, cra, originator, recipient, date_time_length, other_length, code,
                 content, signature_length)


def family_of(content: bytes) -> PayloadFamily:
    if content[0] in (0xD9, 0xDA, 0x0F):
        return PayloadFamily.DLMS
    if content[:2] == b"\x01\x09":
        return PayloadFamily.GBZ
    if content[0] in (0x30, 0x02, 0x04, 0x05):
        return PayloadFamily.ASN1
    raise AssertionError(f"unknown payload family {content[:4].hex()}")


def alert_code_of(content: bytes) -> int:
    family = family_of(content)
    if family is PayloadFamily.DLMS:
        # 0F <invoke id (4)> 00 (no date-time) 02 n (structure) 12 <alert code>
        assert content[5:7] == b"\x00\x02" and content[8] == 0x12
        return int.from_bytes(content[9:11], "big")
    if family is PayloadFamily.GBZ:
        # 01 09 <component count> <alert code>
        return int.from_bytes(content[3:5], "big")
    # SEQUENCE { INTEGER alertCode, ... }
    assert content[0] == 0x30
    _, pos = _length_at(content, 1)
    assert content[pos] == 0x02
    return int.from_bytes(content[pos + 2:pos + 2 + content[pos + 1]], "big")


def has_encrypted_part(content: bytes) -> bool:
    """An encrypted GBZ component or DLMS protected octet string (primer §7.7)."""
    family = family_of(content)
    if family is PayloadFamily.GBZ and content[3] & 0x80 == 0:  # not an alert (code 8xxx)
        pos, components = 3, content[2]
        for _ in range(components):
            control, length = content[pos], int.from_bytes(content[pos + 3:pos + 5], "big")
            if control & 0x02:
                return True
            pos += 5 + length
        assert pos == len(content)
        return False
    if family is PayloadFamily.DLMS:
        start = 0
        while (at := content.find(SECURITY_HEADER, start)) >= 0:
            # octet-string tag 09 and its encoded length right before the security header
            if (content[at - 2] == 0x09 or content[at - 3:at - 1] == b"\x09\x81"
                    or content[at - 4:at - 2] == b"\x09\x82"):
                return True
            start = at + 1
    return False


@dataclass(frozen=True)
class Seen:
    message: RtdsMessage
    frame: Frame
    row: UseCase | None


@cache
def rtds() -> tuple[Seen, ...]:
    seen = []
    for message in all_messages():
        frame = frame_of(message.data)
        seen.append(Seen(message, frame, use_case_for(frame.code)))
    return tuple(seen)


@cache
def commands_by_path() -> dict[str, Seen]:
    return {s.message.name: s for s in rtds() if s.message.kind == "COMMAND"}


def describe(seen: Seen) -> str:
    return f"{seen.message.name} (0x{seen.frame.code:04X})"


# =====================================================================================
# The tables on their own
# =====================================================================================


def test_message_codes_are_unique_and_ordered() -> None:
    codes = [row.code for row in USE_CASES]
    assert codes == sorted(set(codes))
    assert all_use_cases() is USE_CASES
    assert len(USE_CASES) == 240


def test_alert_codes_are_unique_and_ordered() -> None:
    codes = [alert.code for alert in ALERT_CODES]
    assert codes == sorted(set(codes))
    assert all_alert_codes() is ALERT_CODES
    assert len(ALERT_CODES) == 188


@pytest.mark.parametrize("row", USE_CASES, ids=lambda row: f"{row.code:04X}-{row.use_case}")
def test_row_is_consistent(row: UseCase) -> None:
    assert 0 < row.code <= 0xFFFF and row.use_case and row.name
    if row.kinds is MessageKinds.COMMAND_RESPONSE:
        assert row.alert_protection is None
        if row.command_protection is Protection.SIGNED:
            assert row.response_protection is Protection.SIGNED
        if row.command_protection is Protection.VARIANT:
            assert row.response_protection is Protection.VARIANT
        if row.message_type == "SME.C.C":
            assert row.command_protection is Protection.SIGNED
        if row.message_type in ("SME.C.NC", "SME.C.NC+UTRN"):
            assert row.command_protection is Protection.MAC
        if row.future_dated:  # §3.3: future-dated capable commands are critical, dated
            assert row.command_protection is Protection.SIGNED and row.response_date_time
        if row.urp_variant:  # URP commands come from the ACB
            assert row.acb_originated_variant
    elif row.kinds is MessageKinds.ALERT:
        assert row.command_protection is row.response_protection is None
        assert row.response_date_time is None and not row.srvs
        assert not (row.acb_originated_variant or row.urp_variant)
        if row.message_type == "SME.A.C":
            assert row.alert_protection is Protection.SIGNED
        if row.message_type == "SME.A.NC":
            assert row.alert_protection is Protection.MAC
    else:
        assert row.kinds is MessageKinds.NONE
        assert row.payload is PayloadFamily.ZSE_HAN_ONLY and not row.in_rtds
    if row.alert_protection is None and row.kinds is MessageKinds.ALERT:
        assert row.uncertain


def test_critical_alerts_are_those_of_primer_7_6() -> None:
    listed = {*range(0x00CA, 0x00D0), 0x0061, 0x0067, 0x008B, *range(0x0120, 0x0125), 0x0128,
              0x012B, 0x1000}
    signed = {row.code for row in USE_CASES if row.alert_protection is Protection.SIGNED}
    assert signed == listed


def test_dated_responses_are_those_of_primer_3_3() -> None:
    listed = {"ECS01a", "ECS01b", "ECS01c", "ECS01d", "GCS01a", "GCS01b", "ECS02", "ECS03",
              "GCS02", "GCS03", "ECS08", "ECS08a", "GCS05", "ECS28a", "ECS46c", "ECS46d",
              "CS06", "CS02b", "CS02g", "CS01a", "CS01b", "ECS17a", "ECS17b", "ECS17c",
              "ECS17d", "ECS17e", "ECS18a", "ECS18b", "ECS19", "ECS23", "ECS23b", "GCS13a",
              "GCS13b", "GCS13c", "GCS14", "GCS60a"}
    dated = {row.use_case for row in USE_CASES if row.response_date_time}
    assert dated == listed


def test_alert_code_formats_agree_with_message_codes() -> None:
    for alert in ALERT_CODES:
        for code in alert.message_codes:
            row = use_case_for(code)
            assert row is not None and MessageKinds.ALERT in row.kinds, hex(code)
            assert row.alert_protection is alert.protection, hex(alert.code)
        rows = [use_case_for(code) for code in alert.message_codes]
        families = {row.payload for row in rows if row is not None}
        if PayloadFamily.MIXED in families:
            families |= {PayloadFamily.DLMS, PayloadFamily.GBZ}
        assert set(alert.payloads) <= families, hex(alert.code)
        for device in alert.raisers:
            assert any(row is not None and row.applies_to(device) for row in rows), hex(alert.code)


# =====================================================================================
# Lookups and helpers
# =====================================================================================


def test_lookups() -> None:
    ecs17b = use_case_for(0x0027)
    assert ecs17b is not None and ecs17b.use_case == "ECS17b"
    assert ecs17b.targets == (DeviceType.ESME,) and ecs17b.is_sensitive
    assert by_use_case_id("ecs17B") == (ecs17b,)
    assert [row.code for row in by_use_case_id("CS02b")] == list(range(0x0100, 0x010A))
    assert by_use_case_id("XYZ99") == ()
    assert use_case_for(0x7777) is None
    gca = by_use_case_id("GCA")
    assert gca == (use_case_for(0x1000),) and gca[0].payload is PayloadFamily.MIXED


def test_device_coverage() -> None:
    cs10a, cs14 = use_case_for(0x0014), use_case_for(0x0018)
    assert cs10a is not None and cs14 is not None
    assert cs10a.applies_to(DeviceType.GSME) and cs10a.applies_to(DeviceType.GPF)
    assert not cs10a.applies_to(DeviceType.ESME)
    assert all(cs14.applies_to(device) for device in DeviceType)


def test_command_helpers() -> None:
    assert is_critical_command(0x0019)  # ECS01a
    assert not is_critical_command(0x0027)  # ECS17b
    assert not is_critical_command(0x0008)  # CS02a: MAC-only or signature-only
    assert response_is_signed(0x0019, command_was_signed=True)
    assert not response_is_signed(0x0027, command_was_signed=False)
    assert response_is_signed(0x0008, command_was_signed=True)
    assert not response_is_signed(0x0008, command_was_signed=False)
    assert response_is_signed(0x0104, command_was_signed=False)  # CS02b ACB by ACB
    assert response_has_date_time(0x0027) and not response_has_date_time(0x0021)
    with pytest.raises(LookupError):
        is_critical_command(0x7777)
    with pytest.raises(ValueError):
        is_critical_command(0x1000)
    with pytest.raises(ValueError):
        response_has_date_time(0x0116)  # HAN-only


def test_alert_helpers() -> None:
    assert alert_is_critical(0x1000, 0x8F30)
    assert not alert_is_critical(0x1001, 0x810E)
    assert alert_is_critical(0x00CC, 0x8F66)
    assert not alert_is_critical(0x0018, 0x8F12)
    assert not alert_is_critical(0x00D5, 0x8F84)  # not among the critical alerts of §7.6
    with pytest.raises(ValueError):
        alert_is_critical(0x0027, 0x8F66)
    assert alert_name(0x8F66) == "Future-date HAN Interface Command Successfully Actioned"
    assert alert_name(0x1234) is None
    info = alert_code_info(0x8F12)
    assert info is not None and info.message_codes == (0x0018,)
    assert info.protection is Protection.MAC and info.in_rtds


# =====================================================================================
# Against RTDS
# =====================================================================================


def test_every_rtds_message_code_is_in_the_table(rtds_messages_dir) -> None:
    unknown = sorted({f"0x{s.frame.code:04X}" for s in rtds() if s.row is None})
    assert unknown == []
    used = {s.frame.code for s in rtds()}
    assert {row.code for row in USE_CASES if row.in_rtds} == used


def test_kinds_payloads_and_devices_agree(rtds_messages_dir) -> None:
    problems = []
    for s in rtds():
        row, frame, kind = s.row, s.frame, s.message.kind
        assert row is not None
        wanted = MessageKinds.ALERT if kind == "ALERT" else MessageKinds.COMMAND_RESPONSE
        if wanted not in row.kinds:
            problems.append(f"{describe(s)}: {kind} but kinds {row.kinds}")
        family = family_of(frame.content)
        if not (family is row.payload or (row.payload is PayloadFamily.MIXED
                and family in (PayloadFamily.DLMS, PayloadFamily.GBZ))):
            problems.append(f"{describe(s)}: {family} content, table {row.payload}")
        device = DEVICES[frame.recipient if kind in ("COMMAND", "PRECOMMAND") else
                         frame.originator]
        if not row.applies_to(device):
            problems.append(f"{describe(s)}: {device} not in {row.targets}")
        srv = s.message.use_case_folder.split("_", 1)[0]
        if kind != "ALERT" and srv != "NA" and not any(
                srv == known or srv.startswith(known + ".") for known in row.srvs):
            problems.append(f"{describe(s)}: SRV {srv} not in {row.srvs}")
    assert problems == []


def test_command_framing_agrees(rtds_messages_dir) -> None:
    problems = []
    for s in rtds():
        row, frame = s.row, s.frame
        assert row is not None
        if s.message.kind == "PRECOMMAND":
            if frame.mac or frame.signature_length is not None or not is_critical_command(
                    frame.code):
                problems.append(f"{describe(s)}: precommand of a non-critical code")
        elif s.message.kind == "COMMAND":
            form = ("DD" if frame.mac else "DF", frame.signature_length)
            if row.command_protection is None or form not in COMMAND_FORMS[row.command_protection]:
                problems.append(f"{describe(s)}: {form}, table {row.command_protection}")
    assert problems == []


def test_response_framing_and_date_time_agree(rtds_messages_dir) -> None:
    problems = []
    for s in rtds():
        if s.message.kind != "RESPONSE":
            continue
        row, frame = s.row, s.frame
        assert row is not None
        command = commands_by_path().get(s.message.name.replace("_RESPONSE", "_COMMAND"))
        if command is not None:
            expected = response_is_signed(frame.code, command.frame.signed)
        else:  # CS02b anyByContingency: RTDS has the response only
            expected = row.response_protection is Protection.SIGNED
        form = ("DD" if frame.mac else "DF", frame.signature_length)
        if form != (("DF", 64) if expected else ("DD", 0)):
            problems.append(f"{describe(s)}: {form}, expected signed={expected}")
        dated = frame.date_time_length == 12
        if frame.date_time_length not in (0, 12) or dated != response_has_date_time(frame.code):
            problems.append(f"{describe(s)}: header date-time length {frame.date_time_length}")
    assert problems == []


def test_commands_and_alerts_carry_no_date_time(rtds_messages_dir) -> None:
    assert [describe(s) for s in rtds()
            if s.message.kind != "RESPONSE" and s.frame.date_time_length != 0] == []


def test_alert_framing_agrees(rtds_messages_dir) -> None:
    problems = []
    for s in rtds():
        if s.message.kind != "ALERT":
            continue
        frame = s.frame
        critical = alert_is_critical(frame.code, alert_code_of(frame.content))
        form = ("DD" if frame.mac else "DF", frame.signature_length)
        if form != (("DF", 64) if critical else ("DD", 0)):
            problems.append(f"{describe(s)}: {form}, expected critical={critical}")
    assert problems == []


def test_other_information_variants_agree(rtds_messages_dir) -> None:
    problems = []
    for s in rtds():
        row, frame = s.row, s.frame
        assert row is not None
        length = frame.other_information_length
        if length == 18 and not (row.acb_originated_variant or row.urp_variant):
            problems.append(f"{describe(s)}: supplementary RP fields, not an ACB variant")
        if length >= 26 and not row.urp_variant:
            problems.append(f"{describe(s)}: {length}-byte other-information, not a URP variant")
        if length > 26 and frame.originator != ACB:
            problems.append(f"{describe(s)}: URP command not originated by the ACB")
        if s.message.kind == "COMMAND" and length >= 18 and frame.originator != ACB:
            problems.append(f"{describe(s)}: supplementary RP fields from {frame.originator}")
    assert problems == []


def test_sensitivity_agrees(rtds_messages_dir) -> None:
    encrypted: dict[int, bool] = defaultdict(bool)
    for s in rtds():
        if s.message.kind in ("RESPONSE", "ALERT"):
            encrypted[s.frame.code] |= has_encrypted_part(s.frame.content)
    seen = {code for code, found in encrypted.items() if found}
    assert seen == {row.code for row in USE_CASES if row.sensitive is Sensitivity.SEEN_IN_RTDS}
    # "Seen in RTDS" cannot hold for a code RTDS does not have.
    assert all(row.in_rtds for row in USE_CASES if row.sensitive is Sensitivity.SEEN_IN_RTDS)


def test_rtds_alert_codes_are_named_and_formatted(rtds_messages_dir) -> None:
    problems = []
    seen_codes = set()
    for s in rtds():
        if s.message.kind != "ALERT":
            continue
        frame = s.frame
        code = alert_code_of(frame.content)
        seen_codes.add(code)
        info = alert_code_info(code)
        if info is None:
            problems.append(f"{describe(s)}: alert code 0x{code:04X} has no name")
            continue
        if not info.in_rtds:
            problems.append(f"{describe(s)}: alert code 0x{code:04X} not marked as in RTDS")
        family = family_of(frame.content)
        device = DEVICES[frame.originator]
        protection = Protection.SIGNED if frame.signed else Protection.MAC
        if (family not in info.payloads or device not in info.raisers
                or frame.code not in info.message_codes or protection is not info.protection):
            problems.append(f"{describe(s)}: alert 0x{code:04X} as {family.name}/{device.name}/"
                            f"{protection.name}, table {info}")
    assert problems == []
    assert {alert.code for alert in ALERT_CODES if alert.in_rtds} == seen_codes
