"""A premises of emulated devices as a long-running headless process (``fwemu run``).

The process keeps its devices in an SQLite store under a directory the user chooses;
the layout and key source given when the store was created are stored with it, so a
restart (after a crash, or ``kill -9``) resumes with the same devices, counters, device
logs, firmware images and configuration, and needs no flags again.

Line protocol on standard input, one item a line: a GBCS message (hex or base64) is
delivered to the premises; ``image EUI FILE`` hands an OTA firmware file (a path, or
hex) to a device as the CHF's OTA server would; ``tick`` runs due future-dated actions;
``quit`` ends.
Every output line starts with ``RESPONSE``, ``ALERT``, ``REJECTED`` or ``ERROR``, and the
lines answering one input end with a line ``END``.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from firmware_emu.clock import SystemClock
from firmware_emu.han import InMemoryHan
from firmware_emu.persistence import StateStore
from firmware_emu.premises import Premises, PremisesLayout
from firmware_emu.registry import Registry
from firmware_emu.state import DeviceType
from gbcs.crypto import KeyStore, KeyUsage
from gbcs.errors import DecodeError, GbcsError
from gbcs.textio import message_bytes

SETTING = "headless"


class SetupError(GbcsError):
    """The emulator cannot start as asked (bad layout file, missing keys, ...)."""


def load_layout(path: Path) -> PremisesLayout:
    """A layout file: ``[devices]`` mapping EUI-64 (hex) to a device type name, and an
    optional ``[install_codes]`` mapping EUI-64 to the 16-byte install code (hex)."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SetupError(f"{path}: {error}") from None
    devices = data.get("devices")
    if not isinstance(devices, dict) or not devices:
        raise SetupError(f"{path}: needs a [devices] table of EUI-64 = device type")
    layout = {}
    for eui, kind in devices.items():
        try:
            raw = bytes.fromhex(eui.replace("-", ""))
            if len(raw) != 8:
                raise ValueError
            layout[raw] = DeviceType(str(kind).upper())
        except ValueError:
            raise SetupError(f"{path}: bad device entry {eui!r} = {kind!r} (EUI-64 in hex, "
                             f"type one of {', '.join(t.value for t in DeviceType)})") from None
    if sum(t is DeviceType.CHF for t in layout.values()) != 1:
        raise SetupError(f"{path}: a premises has exactly one CHF")
    codes = {}
    for eui, code in (data.get("install_codes") or {}).items():
        try:
            raw_eui, raw_code = bytes.fromhex(eui.replace("-", "")), bytes.fromhex(code)
        except (ValueError, AttributeError):
            raw_eui, raw_code = b"", b""
        if raw_eui not in layout or len(raw_code) != 16:
            raise SetupError(f"{path}: bad install code entry {eui!r} (a device of the "
                             f"layout = 32 hex digits)")
        codes[raw_eui] = raw_code
    return PremisesLayout(layout, codes)


@dataclass
class HeadlessEmulator:
    premises: Premises

    @classmethod
    async def open(cls, state_dir: Path, registry: Registry, *,
                   layout: PremisesLayout | None = None, keys_dir: Path | None = None,
                   generate: tuple[KeyUsage, ...] = (KeyUsage.KEY_AGREEMENT,
                                                     KeyUsage.DIGITAL_SIGNATURE)
                   ) -> HeadlessEmulator:
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SetupError(f"{state_dir}: {error.strerror}") from None
        store = StateStore(state_dir)
        stored = store.load_setting(SETTING)
        clock = SystemClock()
        han = InMemoryHan(clock)
        if stored is not None and store.euis():
            keys = _key_store(Path(stored["keys"]) if stored.get("keys") else None)
            premises = await Premises.open(store, keys=keys, clock=clock, han=han,
                                           registry=registry)
            return cls(premises)
        if keys_dir is None:
            raise SetupError("a new premises needs --keys (the remote parties' key store)")
        keys = _key_store(keys_dir)
        setting = {"keys": str(keys_dir.resolve()),
                   "layout": {eui.hex(): t.value for eui, t in
                              (layout or PremisesLayout.standard()).devices.items()}}
        premises = await Premises.create(layout or PremisesLayout.standard(),
                                         remote_parties=keys, store=store, clock=clock,
                                         han=han, registry=registry, device_keys=generate,
                                         settings={SETTING: setting})
        return cls(premises)

    async def handle(self, line: str) -> list[str]:
        text = line.strip()
        if not text:
            return []
        if text == "tick":
            return [f"ALERT {alert.hex().upper()}" for alert in await self.premises.tick()]
        if text.startswith("image "):
            return await self._image(text.split()[1:])
        try:
            wire = message_bytes(text)
        except DecodeError as error:
            return [f"ERROR {error}"]
        output = await self.premises.deliver(wire)
        lines = []
        if output.response is not None:
            lines.append(f"RESPONSE {output.response.hex().upper()}")
        lines.extend(f"ALERT {alert.hex().upper()}" for alert in output.alerts)
        if output.rejected:
            lines.append(f"REJECTED {output.rejected}")
        return lines

    async def _image(self, words: list[str]) -> list[str]:
        if len(words) != 2:
            return ["ERROR usage: image EUI-64 FILE-or-HEX"]
        try:
            eui = bytes.fromhex(words[0].replace("-", ""))
            source = words[1]
            is_hex = len(source) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in source)
            data = bytes.fromhex(source) if is_hex else Path(source).read_bytes()
            alerts = await self.premises.deliver_image(eui, data)
        except (ValueError, KeyError, OSError) as error:
            return [f"ERROR image refused: {error}"]
        return [f"ALERT {alert.hex().upper()}" for alert in alerts]

    async def serve(self, lines: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
        print("READY", ", ".join(f"{d.device_type.value} {eui.hex().upper()}"
                                 for eui, d in self.premises.devices.items()),
              file=out, flush=True)
        for line in lines:
            if line.strip() == "quit":
                break
            if not line.strip():
                continue
            for reply in await self.handle(line):
                print(reply, file=out)
            print("END", file=out, flush=True)
        await self.premises.close()


def _key_store(directory: Path | None) -> KeyStore:
    if directory is None:
        return KeyStore()
    if not directory.is_dir():
        raise SetupError(f"key store {directory} is not a directory")
    return KeyStore.load(directory)
