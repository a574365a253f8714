"""Reading the state a step expects: the DCC inventory, or the device through the rack.

SMI statuses come from the DCC service's inventory. Device state (device logs, MPxNs)
is read from an emulated rack's devices; a rack of real devices cannot show its state,
so such a check fails with the reason rather than passing unverified.
"""

from __future__ import annotations

from typing import Any

from firmware_emu.scenarios.model import StateCheck


def _device_state(rack: Any, eui: str) -> Any:
    premises = getattr(rack, "premises", None)
    if premises is None:
        raise LookupError(f"a {getattr(rack, 'kind', 'hardware')} rack does not expose "
                          "device state")
    device = premises.devices.get(bytes.fromhex(eui.replace("-", "")))
    if device is None:
        raise LookupError(f"device {eui} is not in the rack")
    return device.state


def _log_members(state: Any) -> list[str]:
    log = getattr(state, "device_log", None)
    if log is None:
        raise LookupError(f"a {type(state).__name__} has no device log")
    return ["-".join(f"{b:02X}" for b in entry.device_id) for entry in log.entries]


def observe_state(service: Any, rack: Any, eui: str, check: StateCheck,
                  expected: str) -> tuple[bool, str]:
    """(whether ``check`` holds for device ``eui`` with value ``expected``, what was seen)."""
    try:
        if check is StateCheck.SMI_STATUS:
            record = service.inventory.find(eui)
            observed = "not in the inventory" if record is None else record.status.value
            return observed == expected, observed
        state = _device_state(rack, eui)
        if check is StateCheck.IMPORT_MPXN:
            metering = getattr(state, "metering", None)
            observed = getattr(metering, "import_mpxn", None) or "none"
            return observed == expected, observed
        members = _log_members(state)
        wanted = expected.replace("-", "").upper()
        present = any(member.replace("-", "") == wanted for member in members)
        observed = ", ".join(members) or "empty log"
        return present == (check is StateCheck.DEVICE_LOG_CONTAINS), observed
    except LookupError as error:
        return False, f"cannot observe: {error}"
