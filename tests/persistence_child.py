"""Subprocess for the crash tests: commits a deterministic sequence of updates.

``python -m tests.persistence_child STORE LAST_STEP`` (run from the project root) resumes
from the step recorded in STORE and commits steps until LAST_STEP, printing
``committed N`` after each commit. Step N's content (several devices, counters, logs, a
firmware image, a setting) is a pure function of N, so the parent can check a reopened
store against :func:`states_at`.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta

from firmware_emu.persistence import StateStore
from firmware_emu.state import (
    ChfState,
    DeviceIdentity,
    DeviceState,
    DeviceType,
    DeviceVariant,
    DlmsDeviceType,
    EsmeState,
    new_device_state,
)

T0 = datetime(2024, 1, 1, tzinfo=UTC)
SUPPLIER = bytes.fromhex("90B3D51F30010000")
ESME_EUI = bytes.fromhex("00DB1234567890A0")
CHF_EUI = bytes.fromhex("00DB1234567890A2")
IMAGE_SIZE = 300_000


def states_at(step: int) -> list[DeviceState]:
    """The devices as step ``step`` commits them."""
    esme = new_device_state(DeviceIdentity(ESME_EUI, DeviceType.ESME, "4.0", bytes(4), 0x121D,
                                           0, 1))
    chf = new_device_state(DeviceIdentity(CHF_EUI, DeviceType.CHF, "4.0", bytes(4), 0x121D,
                                          1, 1, DeviceVariant(dual_band=True)))
    assert isinstance(esme, EsmeState) and isinstance(chf, ChfState)
    now = T0 + timedelta(minutes=step)
    esme.counters.check_and_advance(SUPPLIER, 1000 + step)
    esme.counters.last_alert_counter = 2000 + step
    esme.metering.registers.record_import(step * 10, 0)
    for index in range(min(step, 120)):
        esme.event_log.append(now - timedelta(seconds=index), 0x8000 + index % 50)
    image = random.Random(step).randbytes(IMAGE_SIZE)
    esme.firmware.receive(image, image[60:], step.to_bytes(4, "big"))
    for index in range(step % 17):
        chf.device_log.add(index.to_bytes(8, "big"), DlmsDeviceType.ESME, bytes([index]) * 16)
    chf.device_log.set_joining(step % 2 == 0, step % 300, now)
    return [esme, chf]


def main(path: str, last_step: int) -> None:
    with StateStore(path) as store:
        step = store.load_setting("step", 0)
        print(f"started {step}", flush=True)
        while step < last_step:
            step += 1
            with store.transaction() as tx:
                for state in states_at(step):
                    tx.save(state)
                tx.save_setting("step", step)
            print(f"committed {step}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
