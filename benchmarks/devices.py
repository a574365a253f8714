"""Emulated-device speed and memory.

Round trips: a command delivered to an emulated device and its protected response
built — for a non-critical read (ECS17b, MAC'd, with an encrypted part) and a critical
command (ECS42 close load switch, supplier-signed, device-signed response); the
commands are built beforehand with fresh originator counters so only the device side
is timed. Memory: one premises (CHF, GPF, ESME, GSME, PPMID on an in-memory HAN) and
1,000 premises, measured with tracemalloc.

Run: python benchmarks/devices.py [--rtds DIR] [--count N] [--premises N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from firmware_emu.clock import SteppedClock
from firmware_emu.device import EmulatedDevice
from firmware_emu.han import InMemoryHan
from firmware_emu.handlers import default_registry
from firmware_emu.persistence import StateStore
from firmware_emu.premises import Premises, PremisesLayout
from firmware_emu.provisioning import DeviceFactory, install_trust_anchors
from firmware_emu.replay import REPLAY_EPOCH
from firmware_emu.state import DeviceType
from gbcs.crypto import KeyStore, KeyUsage
from gbcs.dlms import AccessRequest
from gbcs.dlms.xdlms import InvokeIdAndPriority
from gbcs.message import decode_message
from gbcs.secure import apply_mac, apply_signature
from gbcs.textio import message_bytes

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "ECS17b non-critical read": "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX",
    "ECS42 critical command": "7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND_GBCS.HEX",
}


def commands_with_counters(template: bytes, count: int, keys: KeyStore) -> list[bytes]:
    command = decode_message(template)
    built = []
    for counter in range(10_000, 10_000 + count):
        payload = command.payload
        if isinstance(payload, AccessRequest):
            payload = replace(payload, invoke=InvokeIdAndPriority.for_counter(counter))
        message = command.replace(header=replace(command.header, originator_counter=counter),
                                  payload=payload, signature=b"")
        if command.is_signed:
            message = apply_signature(message, keys)
        built.append(apply_mac(message, keys).to_bytes())
    return built


def round_trips(corpus: Path, keys: KeyStore, count: int) -> dict[str, float]:
    registry = default_registry()
    factory = DeviceFactory(keys)
    rates = {}
    for name, relative in CASES.items():
        template = message_bytes((corpus / relative).read_bytes())
        commands = commands_with_counters(template, count, keys)
        eui = decode_message(template).header.recipient
        state = factory.make(eui, DeviceType.ESME, issue_keys=(KeyUsage.DIGITAL_SIGNATURE,))
        install_trust_anchors(state, keys)
        device = EmulatedDevice(state, keys, SteppedClock(REPLAY_EPOCH), registry)
        device.process(commands[0])  # warm caches (key derivation, catalogues)
        start = time.perf_counter()
        for wire in commands[1:]:
            output = device.process(wire)
            assert output.response is not None, output.rejected
        rates[name] = (count - 1) / (time.perf_counter() - start)
    return rates


def resident_mib() -> float:
    """Resident set size: includes what native libraries (OpenSSL keys) allocate."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def premises_memory(keys: KeyStore, count: int) -> tuple[float, float, float]:
    """(Python heap of one premises, of ``count`` premises, resident growth), MiB."""
    registry = default_registry()
    resident = resident_mib()
    tracemalloc.start()
    built = []
    baseline = tracemalloc.get_traced_memory()[0]
    for index in range(count):
        clock = SteppedClock(REPLAY_EPOCH)
        base = bytes.fromhex("00DC") + index.to_bytes(5, "big")
        built.append(await Premises.create(
            PremisesLayout.standard(base), remote_parties=keys, store=StateStore(None),
            clock=clock, han=InMemoryHan(clock), registry=registry, keys=KeyStore()))
        if index == 0:
            one = tracemalloc.get_traced_memory()[0] - baseline
    total = tracemalloc.get_traced_memory()[0] - baseline
    tracemalloc.stop()
    grown = resident_mib() - resident
    for premises in built:
        await premises.close()
    return one / 2**20, total / 2**20, grown


def main() -> int:
    default_rtds = Path(os.environ.get("GBCS_RTDS_DIR", ROOT.parent / "shared" / "rtds"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rtds", type=Path, default=default_rtds)
    parser.add_argument("--count", type=int, default=300, help="round trips per case")
    parser.add_argument("--premises", type=int, default=1000)
    args = parser.parse_args()
    corpus = args.rtds / "RTDS-4.5.0"
    keys = KeyStore.load(args.rtds / "keystore")
    for name, rate in round_trips(corpus, keys, args.count).items():
        print(f"{name:<28} {rate:8.0f} round trips/s")
    one, many, resident = asyncio.run(premises_memory(keys, args.premises))
    print(f"memory (Python heap): one premises {one * 1024:.0f} KiB; {args.premises} premises "
          f"{many:.1f} MiB ({many / args.premises * 1024:.0f} KiB each)")
    print(f"memory (resident growth incl. native key objects): {args.premises} premises "
          f"{resident:.1f} MiB ({resident / args.premises * 1024:.0f} KiB each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
