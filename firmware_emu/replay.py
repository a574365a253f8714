"""Replaying an RTDS tree against emulated devices and comparing the answers.

For each ``*_COMMAND_GBCS.HEX``: make the device the command addresses (its type
inferred from every command in the tree that addresses the same EUI-64), deliver the
command, let any future-dated action run, write what the device sent, and compare its
response with the RTDS ``_RESPONSE_`` file on structure (:mod:`firmware_emu.compare`).

The RTDS keystore holds certificates, not private keys, of the devices: the emulated
device agrees keys through the remote party's test private key (the same ECDH result)
and signs with a generated DS key whose certificate goes to ``OUT/keys``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from firmware_emu.clock import SteppedClock
from firmware_emu.compare import Difference, compare_messages
from firmware_emu.device import DeviceOutput, EmulatedDevice
from firmware_emu.in_service import add_history
from firmware_emu.provisioning import FULL_VARIANTS, DeviceFactory, install_trust_anchors
from firmware_emu.registry import Fault, Registry
from firmware_emu.state import (
    Asn1DeviceType,
    DeviceType,
    DeviceVariant,
    GpfState,
    GsmeState,
    HanDeviceLog,
    JoinStatus,
)
from gbcs.asn1 import UnjoinCommand
from gbcs.codes import DeviceType as CodeDeviceType
from gbcs.codes import use_case_for
from gbcs.crypto import KeyStore, KeyUsage
from gbcs.errors import DecodeError, GbcsError
from gbcs.message import GbcsMessage, decode_message
from gbcs.textio import message_bytes

_PREFERENCE = (DeviceType.CHF, DeviceType.ESME, DeviceType.GSME, DeviceType.GPF,
               DeviceType.HCALCS, DeviceType.PPMID, DeviceType.SAPC)
_ALL = frozenset(_PREFERENCE)
_ERROR_CASE = re.compile(r"(^|_)ERROR(_|$)")
REPLAY_EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
"""The emulated devices' clock when a replay starts: the time RTDS devices report."""


def command_files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*_COMMAND_GBCS.HEX") if p.is_file())


def _candidates(message: GbcsMessage) -> frozenset[DeviceType]:
    use_case = use_case_for(message.message_code)
    if use_case is None:
        return _ALL
    found = set()
    for target in use_case.targets:
        for device_type in _PREFERENCE:
            if target.covers(CodeDeviceType(device_type.value)):
                found.add(device_type)
    return frozenset(found) or _ALL


def infer_device_types(commands: list[GbcsMessage]) -> dict[bytes, DeviceType]:
    """The device type of every addressed EUI-64: what all its commands agree on."""
    possible: dict[bytes, frozenset[DeviceType]] = {}
    for message in commands:
        eui = message.header.recipient
        narrowed = possible.get(eui, _ALL) & _candidates(message)
        possible[eui] = narrowed or possible.get(eui, _ALL)
    return {eui: next(t for t in _PREFERENCE if t in types) for eui, types in possible.items()}


@dataclass
class CaseResult:
    relative: Path
    passed: bool
    detail: str
    differences: list[Difference] = field(default_factory=list)

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'} {self.relative}: {self.detail}"


@dataclass
class Replay:
    """One replay run: shared keys, one fresh device per case."""

    tree: Path
    keys: KeyStore
    out: Path
    registry_factory: Callable[[], Registry]
    factory: DeviceFactory = field(init=False)
    _types: dict[bytes, DeviceType] = field(default_factory=dict)
    _signing_keys: set[bytes] = field(default_factory=set)
    _case_name: str = ""

    def __post_init__(self) -> None:
        self.factory = DeviceFactory(self.keys)
        self.registry = self.registry_factory()

    def run(self) -> Iterator[CaseResult]:
        files = command_files(self.tree)
        decoded: dict[Path, GbcsMessage | DecodeError] = {}
        for path in files:
            try:
                decoded[path] = decode_message(message_bytes(path.read_bytes()))
            except DecodeError as error:
                decoded[path] = error
        self._types = infer_device_types(
            [m for m in decoded.values() if isinstance(m, GbcsMessage)])
        for path in files:
            yield self.case(path, decoded[path])

    def device_for(self, command: GbcsMessage) -> EmulatedDevice:
        eui = command.header.recipient
        device_type = self._types[eui]
        signing = (KeyUsage.DIGITAL_SIGNATURE,) if eui not in self._signing_keys else ()
        state = self.factory.make(eui, device_type, issue_keys=signing,
                                  variant=_variant_for(device_type, self._case_name))
        if signing:
            self._signing_keys.add(eui)
            self.keys.save(self.out / "keys", eui, KeyUsage.DIGITAL_SIGNATURE,
                           include_private=False)
        own = {usage: self.keys.certificate(eui, usage).public_bytes(Encoding.DER)
               for usage in (KeyUsage.KEY_AGREEMENT, KeyUsage.DIGITAL_SIGNATURE)
               if self.keys.has_certificate(eui, usage)}
        state.keys = replace(state.keys,
                             ka_certificate_der=own.get(KeyUsage.KEY_AGREEMENT),
                             ds_certificate_der=own.get(KeyUsage.DIGITAL_SIGNATURE))
        install_trust_anchors(state, self.keys, preferred=(command.header.originator,) + (
            (command.header.other_information.supplementary_remote_party,)
            if command.header.other_information.supplementary_remote_party else ()))
        _meet_preconditions(state, command, self._case_name)
        return EmulatedDevice(state, self.keys, SteppedClock(REPLAY_EPOCH), self.registry)

    def case(self, path: Path, command: GbcsMessage | DecodeError) -> CaseResult:
        relative = path.relative_to(self.tree)
        self._case_name = path.stem
        if isinstance(command, DecodeError):
            return CaseResult(relative, False, f"command does not decode: {command}")
        device = self.device_for(command)
        error_case = bool(_ERROR_CASE.search(path.stem))
        if error_case:
            device.inject_fault(Fault("RTDS ERROR case"))
        try:
            output = device.process(message_bytes(path.read_bytes()))
            output.alerts.extend(self._run_future(device))
        except GbcsError as error:
            return CaseResult(relative, False, f"device failed: {error}")
        self._write(relative, output)
        return self._judge(relative, path, output, error_case)

    def _run_future(self, device: EmulatedDevice) -> list[bytes]:
        due = device.state.scheduler.next_due_at()
        if due is None:
            return []
        device.clock.set_time(max(due, device.clock.now()) + timedelta(seconds=1))
        return device.run_due()

    def _write(self, relative: Path, output: DeviceOutput) -> None:
        target = self.out / relative.parent
        target.mkdir(parents=True, exist_ok=True)
        name = relative.name
        if output.response is not None:
            (target / name.replace("_COMMAND_", "_EMULATED_RESPONSE_")).write_text(
                output.response.hex().upper())
        for alert in output.alerts:
            code = decode_message(alert).payload
            alert_code = _alert_code(code)
            (target / name.replace("_COMMAND_", f"_EMULATED_ALERT_{alert_code:04X}_")).write_text(
                alert.hex().upper())

    def _judge(self, relative: Path, path: Path, output: DeviceOutput,
               error_case: bool) -> CaseResult:
        reference_path = path.with_name(path.name.replace("_COMMAND_", "_RESPONSE_"))
        if output.response is None:
            return CaseResult(relative, False, f"no response ({output.rejected})")
        if not reference_path.exists():
            return CaseResult(relative, True, "responded (no RTDS response to compare)")
        reference = decode_message(message_bytes(reference_path.read_bytes()))
        emulated = decode_message(output.response)
        differences = compare_messages(emulated, reference, keys=self.keys,
                                       strict_results=not error_case)
        if differences:
            return CaseResult(relative, False, "; ".join(map(str, differences[:3])),
                              differences)
        alerts = f", {len(output.alerts)} alert(s)" if output.alerts else ""
        return CaseResult(relative, True, f"structure matches{alerts}")


def _variant_for(device_type: DeviceType, case_name: str) -> DeviceVariant | None:
    """The ESME variant an RTDS case names (``SINGLE`` or ``TWIN`` element)."""
    if device_type is not DeviceType.ESME:
        return None
    tokens = set(case_name.split("_"))
    return replace(FULL_VARIANTS[DeviceType.ESME], twin_element="TWIN" in tokens)


def _meet_preconditions(state, command: GbcsMessage, case_name: str) -> None:
    """Set up what an RTDS case assumes happened before its command.

    A gas meter has been in service (it has readings history) unless the case says
    ``NOT_FOUND``, i.e. the device holds nothing of what is asked for.

    A firmware activation (CS06) names the hash of an image distributed earlier (SRV
    11.1, outside GBCS); the RTDS has no image, so the device is given a stand-in image
    recorded under that hash. An unjoin (CS04) names a device joined earlier.
    """
    if isinstance(state, GsmeState | GpfState) and "NOT_FOUND" not in case_name.split("_"):
        add_history(state, until=REPLAY_EPOCH)
    payload = command.payload
    image_hash = getattr(payload, "manufacturer_image_hash", None)
    if isinstance(image_hash, bytes) and state.firmware.pending_image_hash is None:
        state.firmware = replace(state.firmware, pending_image=b"image distributed by 11.1",
                                 pending_image_hash=image_hash,
                                 pending_version=bytes.fromhex("02000001"))
    if isinstance(payload, UnjoinCommand) and hasattr(state, "device_log") \
            and isinstance(state.device_log, HanDeviceLog) \
            and state.device_log.entry(payload.other_device_id) is None:
        state.device_log.add(payload.other_device_id, Asn1DeviceType.TYPE_2_DEVICE,
                             JoinStatus.JOINED)


def _alert_code(payload: object) -> int:
    """The 16-bit alert code of an alert payload, whatever its family."""
    code = getattr(payload, "alert_code", None)
    if code is not None:
        return int(code)
    body = getattr(payload, "body", None)
    if body is not None:
        return int(body.children[0].value)
    return 0
