"""A headless emulator killed with SIGKILL between commands resumes with its state.

The premises uses the RTDS device identities and the RTDS keystore, so RTDS commands
(and commands re-counted and re-MAC'd with the RTDS ACB key) can be sent to it.
"""

from __future__ import annotations

import hashlib
import os
import signal
import struct
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from gbcs.asn1 import ActivateFirmwareCommand
from gbcs.crypto import KeyStore
from gbcs.dlms import AccessRequest
from gbcs.dlms.xdlms import InvokeIdAndPriority
from gbcs.framing.general_signing import Cra, GroupingHeader, OtherInformation
from gbcs.message import GbcsMessage, decode_message
from gbcs.secure import apply_mac, apply_signature
from tests.rtds import REPO_ROOT, keystore_dir, message

LAYOUT = """
[devices]
"00DB1234567890A0" = "ESME"
"00DB1234567890A1" = "GSME"
"00DB1234567890A2" = "CHF"
"00DB1234567890A3" = "GPF"
"00DB1234567890A4" = "PPMID"

[install_codes]  # the code the RTDS CCS01 command whitelists the ESME with
"00DB1234567890A0" = "30313233343536373839414243444546"
"""


class Emulator:
    def __init__(self, state: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.fwemu_cli", "run", "--state", str(state), *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=REPO_ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        ready = self.process.stdout.readline()
        assert ready.startswith("READY"), ready + self.process.stderr.read()

    def send_line(self, text: str) -> list[str]:
        """One input line; the lines that answer it (up to the ``END`` marker)."""
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        lines = []
        while True:
            line = self.process.stdout.readline().strip()
            assert line, "emulator ended: " + self.process.stderr.read()
            if line == "END":
                return lines
            lines.append(line)

    def send(self, wire: bytes) -> list[str]:
        return self.send_line(wire.hex())

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        self.process.stdin.write("quit\n")
        self.process.stdin.flush()
        self.process.wait(timeout=10)


def recounted(name: str, counter: int, keys: KeyStore) -> bytes:
    """An RTDS command sent again with a higher originator counter (and a fresh MAC)."""
    command = decode_message(message(name).data)
    payload = command.payload
    if isinstance(payload, AccessRequest):
        payload = replace(payload, invoke=InvokeIdAndPriority.for_counter(counter))
    header = replace(command.header, originator_counter=counter)
    return apply_mac(command.replace(header=header, payload=payload), keys).to_bytes()


SUPPLIER = bytes.fromhex("90B3D51F30010000")
ESME = bytes.fromhex("00DB1234567890A0")


def ota_file(version: int, body: bytes) -> bytes:
    """A ZigBee OTA file for the emulated ESME model (manufacturer 0x1234, image type 0)."""
    header_length = struct.calcsize("<IHHHHHIH32sIHH")
    total = header_length + len(body)
    return struct.pack("<IHHHHHIH32sIHH", 0x0BEEF11E, 0x0100, header_length, 0x0004,
                       0x1234, 0x0000, version, 0x0002, b"emulator test image", total,
                       0x0000, 0xFFFF) + body


def activate_firmware(image_hash: bytes, counter: int, keys: KeyStore) -> bytes:
    """CS06 activate now: supplier-signed, MAC'd by the ACB."""
    header = GroupingHeader(Cra.COMMAND, counter, SUPPLIER, ESME, OtherInformation(0x0012))
    command = GbcsMessage(header, ActivateFirmwareCommand(image_hash, counter), signature=b"")
    return apply_mac(apply_signature(command, keys), keys).to_bytes()


def response_of(lines: list[str]):
    response = next(line for line in lines if line.startswith("RESPONSE"))
    return decode_message(bytes.fromhex(response.split()[1]))


@pytest.fixture
def emulator_state(tmp_path):
    layout = tmp_path / "layout.toml"
    layout.write_text(LAYOUT)
    return tmp_path / "state", ("--keys", str(keystore_dir()), "--layout", str(layout),
                                "--generate", "ds")


def test_sigkill_keeps_device_log_counters_configuration_and_firmware_image(
        emulator_state):
    state, first_run = emulator_state
    keys = KeyStore.load(keystore_dir())
    emulator = Emulator(state, *first_run)
    configured = emulator.send(message("6.28_DBCH04/DBCH04_6.28_SUCCESS_COMMAND").data)
    assert response_of(configured).payload.ok
    added = emulator.send(message("8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND").data)
    assert response_of(added).payload.ok
    assert any(line.startswith("ALERT") for line in added)  # CS14 whitelist alert
    manufacturer_image = b"new metrology firmware " * 40
    image = ota_file(0x02030405, manufacturer_image)
    received = emulator.send_line(f"image {ESME.hex()} {image.hex()}")
    assert received and received[0].startswith("ALERT")  # 8F72 receipt
    emulator.kill()

    emulator = Emulator(state)  # no layout or keys needed: they were stored
    replayed = emulator.send(message("8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND").data)
    assert replayed[-1].startswith("REJECTED") and "counter" in replayed[-1]

    log = response_of(emulator.send(recounted("8.9_CCS06/CCS06_8.9_SUCCESS_COMMAND", 1400,
                                              keys)))
    assert log.payload.ok
    assert bytes.fromhex("00DB1234567890A0") in log.content

    configuration = response_of(emulator.send(recounted(
        "6.30_DBCH03/DBCH03_6.30_SUCCESS_COMMAND", 1401, keys)))
    written = decode_message(message("6.28_DBCH04/DBCH04_6.28_SUCCESS_COMMAND").data)
    assert configuration.payload.data[0] == written.payload.data[0]

    image_hash = hashlib.sha256(manufacturer_image).digest()
    activated = response_of(emulator.send(activate_firmware(image_hash, 5000, keys)))
    assert activated.payload.response_code == 0
    assert activated.payload.firmware_version == bytes.fromhex("02030405")
    emulator.stop()


def test_bad_input_lines_are_reported_and_the_emulator_goes_on(emulator_state):
    state, first_run = emulator_state
    emulator = Emulator(state, *first_run)
    assert emulator.send(b"\x00not a message")[-1].startswith("REJECTED")
    assert emulator.send_line("zz-not-hex")[0].startswith("ERROR")
    assert response_of(emulator.send(message("6.28_DBCH04/DBCH04_6.28_SUCCESS_COMMAND").data))
    emulator.stop()


def test_first_run_without_keys_is_a_one_line_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tools.fwemu_cli", "run", "--state",
                             str(tmp_path / "s")], capture_output=True, text=True,
                            cwd=REPO_ROOT, input="")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--keys" in result.stderr
