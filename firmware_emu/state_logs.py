"""Device logs: the CHF whitelist, HAN device logs of joined devices, event and security logs."""

from __future__ import annotations

import dataclasses
import enum
from datetime import UTC, datetime, timedelta

from firmware_emu.state_codec import (
    InvalidStateError,
    JsonState,
    StateError,
    check_aware,
    check_bytes,
    check_eui,
    check_int,
    eui_hex,
)
from firmware_emu.state_identity import Asn1DeviceType, DlmsDeviceType

CHF_DEVICE_LOG_CAPACITY = 16
CHF_HISTORIC_LOG_CAPACITY = 16
# GBCS capacities of the other devices' logs are not in the primer; generous by default.
HAN_DEVICE_LOG_CAPACITY = 16
INSTALL_CODE_LENGTH = 16  # SMETS2 install code, no CRC (CR1277; primer §11.1)
LINK_KEY_HASH_LENGTH = 16
EVENT_LOG_CAPACITY = 100


class DeviceLogError(StateError, ValueError):
    """A device log change that cannot be made."""


class DeviceLogFullError(DeviceLogError):
    pass


class NotInDeviceLogError(DeviceLogError, KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


class IncompatibleEntryError(DeviceLogError):
    """The device is already logged with a different device type (join response 3)."""


def _check_unique(ids: list[bytes], field: str) -> None:
    for index, device_id in enumerate(ids):
        if device_id in ids[:index]:
            raise InvalidStateError(f"{field}[{index}]",
                                    f"device {eui_hex(device_id)} is listed twice")


# ------------------------------------------------------------------------------------
# CHF device log (whitelist) and historic device log
# ------------------------------------------------------------------------------------


class WhitelistStatus(enum.Enum):
    AWAITING_JOIN = "awaiting join"
    JOINED = "joined"


@dataclasses.dataclass(frozen=True, slots=True)
class ChfDeviceLogEntry(JsonState):
    """One whitelisted device. ``device_type`` is unknown for entries restored by CCS03."""

    device_id: bytes
    device_type: DlmsDeviceType | None
    install_code: bytes | None
    link_key_hash: bytes | None = None
    status: WhitelistStatus = WhitelistStatus.AWAITING_JOIN
    last_communication: datetime | None = None

    def __post_init__(self) -> None:
        check_eui(self.device_id, "device_id")
        if self.install_code is not None:
            check_bytes(self.install_code, "install_code", INSTALL_CODE_LENGTH)
        if self.link_key_hash is not None:
            check_bytes(self.link_key_hash, "link_key_hash", LINK_KEY_HASH_LENGTH)
        if self.install_code is None and self.link_key_hash is None:
            raise InvalidStateError("install_code", "an entry needs an install code or a "
                                                    "link key hash to join with")
        if self.status is WhitelistStatus.JOINED and self.link_key_hash is None:
            raise InvalidStateError("link_key_hash", "a joined device has a link key")
        if self.last_communication is not None:
            check_aware(self.last_communication, "last_communication")


@dataclasses.dataclass(frozen=True, slots=True)
class HistoricDeviceLogEntry(JsonState):
    """A device once joined to this CHF whose link key hash is still remembered."""

    device_id: bytes
    link_key_hash: bytes

    def __post_init__(self) -> None:
        check_eui(self.device_id, "device_id")
        check_bytes(self.link_key_hash, "link_key_hash", LINK_KEY_HASH_LENGTH)


@dataclasses.dataclass(slots=True)
class ChfDeviceLog(JsonState):
    """The CHF whitelist (``0-0:30.3.0.255``) and historic log (``0-0:30.3.1.255``)."""

    entries: list[ChfDeviceLogEntry] = dataclasses.field(default_factory=list)
    historic: list[HistoricDeviceLogEntry] = dataclasses.field(default_factory=list)
    joining_enabled: bool = False
    join_timeout_s: int = 0
    join_window_opened_at: datetime | None = None

    def __post_init__(self) -> None:
        if len(self.entries) > CHF_DEVICE_LOG_CAPACITY:
            raise InvalidStateError("entries", f"{len(self.entries)} entries, the CHF device "
                                               f"log holds {CHF_DEVICE_LOG_CAPACITY}")
        if len(self.historic) > CHF_HISTORIC_LOG_CAPACITY:
            raise InvalidStateError("historic", f"more than {CHF_HISTORIC_LOG_CAPACITY} "
                                                f"entries")
        _check_unique([e.device_id for e in self.entries], "entries")
        _check_unique([e.device_id for e in self.historic], "historic")
        check_int(self.join_timeout_s, "join_timeout_s", 0, 0xFFFF)
        if self.join_window_opened_at is not None:
            check_aware(self.join_window_opened_at, "join_window_opened_at")

    def entry(self, device_id: bytes) -> ChfDeviceLogEntry | None:
        return next((e for e in self.entries if e.device_id == device_id), None)

    def historic_entry(self, device_id: bytes) -> HistoricDeviceLogEntry | None:
        return next((e for e in self.historic if e.device_id == device_id), None)

    def _required(self, device_id: bytes) -> ChfDeviceLogEntry:
        found = self.entry(device_id)
        if found is None:
            raise NotInDeviceLogError(f"device {eui_hex(device_id)} is not in the CHF "
                                      f"device log")
        return found

    def _put(self, old: ChfDeviceLogEntry | None, new: ChfDeviceLogEntry) -> None:
        if old is None:
            self.entries.append(new)
        else:
            self.entries[self.entries.index(old)] = new

    def add(self, device_id: bytes, device_type: DlmsDeviceType, install_code: bytes) -> bool:
        """CCS01 register_device: False (and no change) if the device is already logged."""
        check_eui(device_id, "device_id")
        if self.entry(device_id) is not None:
            return False
        new = ChfDeviceLogEntry(device_id, device_type, install_code)
        if len(self.entries) >= CHF_DEVICE_LOG_CAPACITY:
            raise DeviceLogFullError(f"the CHF device log is full ({CHF_DEVICE_LOG_CAPACITY} "
                                     f"devices); cannot add {eui_hex(device_id)}")
        self.entries.append(new)
        return True

    def remove(self, device_id: bytes) -> ChfDeviceLogEntry:
        """CCS02 unregister_device; a known link key moves to the historic log."""
        removed = self._required(device_id)
        self.entries.remove(removed)
        if removed.link_key_hash is not None:
            self.remember(device_id, removed.link_key_hash)
        return removed

    def remember(self, device_id: bytes, link_key_hash: bytes) -> None:
        """Record a link key in the historic log, dropping the oldest record if full."""
        record = HistoricDeviceLogEntry(device_id, link_key_hash)
        self.historic = [e for e in self.historic if e.device_id != device_id]
        self.historic.append(record)
        del self.historic[:-CHF_HISTORIC_LOG_CAPACITY]

    def set_joining(self, enabled: bool, timeout_s: int, now: datetime) -> None:
        """Set enable_disable_joining and join_timeout; enabling (re)opens the window."""
        check_int(timeout_s, "join timeout", 0, 0xFFFF)
        check_aware(now, "now")
        self.joining_enabled = bool(enabled)
        self.join_timeout_s = timeout_s
        self.join_window_opened_at = now.astimezone(UTC) if enabled else None

    def join_window_closes_at(self) -> datetime | None:
        if not self.joining_enabled or self.join_window_opened_at is None:
            return None
        return self.join_window_opened_at + timedelta(seconds=self.join_timeout_s)

    def join_window_open(self, now: datetime) -> bool:
        closes = self.join_window_closes_at()
        return closes is not None and check_aware(now, "now") < closes

    def record_join(self, device_id: bytes, link_key_hash: bytes, now: datetime) -> None:
        """The device completed joining with a link key whose hash is ``link_key_hash``."""
        old = self._required(device_id)
        self._put(old, dataclasses.replace(old, link_key_hash=link_key_hash,
                                           status=WhitelistStatus.JOINED,
                                           last_communication=now))

    def record_left(self, device_id: bytes) -> None:
        old = self._required(device_id)
        self._put(old, dataclasses.replace(old, status=WhitelistStatus.AWAITING_JOIN))

    def record_communication(self, device_id: bytes, now: datetime) -> None:
        old = self._required(device_id)
        self._put(old, dataclasses.replace(old, last_communication=now))

    def restore(self, devices: list[tuple[bytes, bytes]]) -> None:
        """CCS03 restore_PAN: replace the log with (device id, link key hash) pairs."""
        restored = ChfDeviceLog(
            entries=[ChfDeviceLogEntry(device_id, None, None, link_key_hash)
                     for device_id, link_key_hash in devices],
            historic=list(self.historic), joining_enabled=self.joining_enabled,
            join_timeout_s=self.join_timeout_s,
            join_window_opened_at=self.join_window_opened_at)
        self.entries = restored.entries


# ------------------------------------------------------------------------------------
# Device logs of HAN devices (ESME, GSME, GPF, PPMID, HCALCS)
# ------------------------------------------------------------------------------------


class JoinStatus(enum.Enum):
    PENDING = "pending"  # logged by CS03/GCS59, key establishment not yet done
    JOINED = "joined"


@dataclasses.dataclass(frozen=True, slots=True)
class HanDeviceLogEntry(JsonState):
    device_id: bytes
    device_type: Asn1DeviceType
    join_status: JoinStatus = JoinStatus.PENDING

    def __post_init__(self) -> None:
        check_eui(self.device_id, "device_id")


@dataclasses.dataclass(slots=True)
class HanDeviceLog(JsonState):
    """The devices a HAN device is joined to (CS03/CS04, CS07, GCS59/GCS62)."""

    entries: list[HanDeviceLogEntry] = dataclasses.field(default_factory=list)
    capacity: int = HAN_DEVICE_LOG_CAPACITY

    def __post_init__(self) -> None:
        check_int(self.capacity, "capacity", 1, 255)
        if len(self.entries) > self.capacity:
            raise InvalidStateError("entries", f"{len(self.entries)} entries exceed the "
                                               f"capacity of {self.capacity}")
        _check_unique([e.device_id for e in self.entries], "entries")

    def entry(self, device_id: bytes) -> HanDeviceLogEntry | None:
        return next((e for e in self.entries if e.device_id == device_id), None)

    def add(self, device_id: bytes, device_type: Asn1DeviceType,
            join_status: JoinStatus = JoinStatus.PENDING) -> HanDeviceLogEntry:
        """Log a device (CS03); re-adding the same device and type updates its status."""
        new = HanDeviceLogEntry(device_id, device_type, join_status)
        old = self.entry(device_id)
        if old is not None:
            if old.device_type is not device_type:
                raise IncompatibleEntryError(
                    f"device {eui_hex(device_id)} is logged as {old.device_type.name}, "
                    f"not {device_type.name}")
            self.entries[self.entries.index(old)] = new
            return new
        if len(self.entries) >= self.capacity:
            raise DeviceLogFullError(f"the device log is full ({self.capacity} devices); "
                                     f"cannot add {eui_hex(device_id)}")
        self.entries.append(new)
        return new

    def mark_joined(self, device_id: bytes) -> None:
        old = self.entry(device_id)
        if old is None:
            raise NotInDeviceLogError(f"device {eui_hex(device_id)} is not in the device log")
        self.entries[self.entries.index(old)] = dataclasses.replace(
            old, join_status=JoinStatus.JOINED)

    def remove(self, device_id: bytes) -> HanDeviceLogEntry:
        """CS04 unjoin; a device not logged is join response 1 ``not in device log``."""
        old = self.entry(device_id)
        if old is None:
            raise NotInDeviceLogError(f"device {eui_hex(device_id)} is not in the device log")
        self.entries.remove(old)
        return old

    def restore(self, devices: list[tuple[bytes, Asn1DeviceType]]) -> None:
        """GCS59: replace the whole log at once (all entries pending re-join)."""
        restored = HanDeviceLog([HanDeviceLogEntry(device_id, device_type)
                                 for device_id, device_type in devices], self.capacity)
        self.entries = restored.entries


# ------------------------------------------------------------------------------------
# Event and security logs
# ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class LogEntry(JsonState):
    """One event or security log record (ECS35x: timestamp, event code, data)."""

    timestamp: datetime
    event_code: int
    data: bytes = b""

    def __post_init__(self) -> None:
        check_aware(self.timestamp, "timestamp")
        check_int(self.event_code, "event_code", 0, 0xFFFF)
        check_bytes(self.data, "data")


@dataclasses.dataclass(slots=True)
class BoundedLog(JsonState):
    """A circular log: once ``capacity`` entries are held, the oldest is overwritten."""

    entries: list[LogEntry] = dataclasses.field(default_factory=list)
    capacity: int = EVENT_LOG_CAPACITY

    def __post_init__(self) -> None:
        check_int(self.capacity, "capacity", 1, 100_000)
        if len(self.entries) > self.capacity:
            raise InvalidStateError("entries", f"{len(self.entries)} entries exceed the "
                                               f"capacity of {self.capacity}")

    def append(self, timestamp: datetime, event_code: int, data: bytes = b"") -> LogEntry:
        entry = LogEntry(timestamp, event_code, data)
        self.entries.append(entry)
        del self.entries[:-self.capacity]
        return entry

    def between(self, start: datetime, end: datetime) -> list[LogEntry]:
        """Entries with ``start <= timestamp <= end`` (range selective access)."""
        return [e for e in self.entries if start <= e.timestamp <= end]

    def __len__(self) -> int:
        return len(self.entries)
