"""The HAN transport every radio implements, and an in-memory one for tests.

Kept narrow in the zigpy manner: a device registers a :class:`HanListener` for its
EUI-64, sends payloads with :meth:`HanTransport.send`, and learns about the network
through event dataclasses. Joining is push-style, so that a radio stick can load its key
table in advance: the CHF, as trust centre, declares which devices may join it now and
with which keys (:meth:`HanTransport.set_join_permits`, usually from
:func:`chf_join_permits` of its device log); the transport then accepts or refuses each
join request and reports accepted ones as :class:`DeviceJoined`.
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import enum
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from zigpy.util import aes_mmo_hash

from firmware_emu.clock import Clock
from firmware_emu.state_codec import EUI64_LENGTH, eui_hex
from firmware_emu.state_logs import INSTALL_CODE_LENGTH, ChfDeviceLog

LINK_KEY_LENGTH = 16


class HanError(Exception):
    """A HAN request that cannot be carried out."""


class NotJoinedError(HanError):
    pass


class NoNetworkError(HanError):
    pass


class HanDeliveryError(HanError):
    """A listener raised while handling a delivered frame or event."""


def _check_eui(eui: object, what: str) -> bytes:
    if not isinstance(eui, bytes) or len(eui) != EUI64_LENGTH:
        raise HanError(f"{what} must be an 8-byte EUI-64, not {eui!r}")
    return eui


# ------------------------------------------------------------------------------------
# Keys
# ------------------------------------------------------------------------------------


def _crc16_x25(data: bytes) -> bytes:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return (crc ^ 0xFFFF).to_bytes(2, "little")


def link_key_from_install_code(install_code: bytes) -> bytes:
    """The ZigBee link key an install code (without its CRC, as GBCS carries it) gives."""
    return bytes(aes_mmo_hash(install_code + _crc16_x25(install_code)))


def hash_link_key(link_key: bytes) -> bytes:
    """The 16-byte link key hash kept in CHF device logs.

    GBCS does not pin the hash down (primer §11.4); the emulator uses ZigBee's
    AES-MMO hash so every part of it agrees.
    """
    return bytes(aes_mmo_hash(link_key))


class JoinKeyKind(enum.Enum):
    INSTALL_CODE = "install code"
    LINK_KEY = "link key"
    LINK_KEY_HASH = "link key hash"


@dataclasses.dataclass(frozen=True, slots=True)
class JoinKey:
    """What a device joins with, or what a trust centre accepts, in one of three forms."""

    kind: JoinKeyKind
    value: bytes

    def __post_init__(self) -> None:
        length = INSTALL_CODE_LENGTH if self.kind is JoinKeyKind.INSTALL_CODE \
            else LINK_KEY_LENGTH
        if not isinstance(self.value, bytes) or len(self.value) != length:
            raise HanError(f"a {self.kind.value} is {length} bytes")

    @classmethod
    def install_code(cls, code: bytes) -> JoinKey:
        return cls(JoinKeyKind.INSTALL_CODE, code)

    @classmethod
    def link_key(cls, key: bytes) -> JoinKey:
        return cls(JoinKeyKind.LINK_KEY, key)

    @classmethod
    def link_key_hash(cls, digest: bytes) -> JoinKey:
        return cls(JoinKeyKind.LINK_KEY_HASH, digest)

    def hashed(self) -> bytes:
        """The link key hash this key stands for: what two keys are compared by."""
        if self.kind is JoinKeyKind.INSTALL_CODE:
            return hash_link_key(link_key_from_install_code(self.value))
        if self.kind is JoinKeyKind.LINK_KEY:
            return hash_link_key(self.value)
        return self.value


# ------------------------------------------------------------------------------------
# Network state and events
# ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class HanNetworkInfo:
    """A PAN formed by a CHF (its coordinator and trust centre)."""

    coordinator_eui: bytes
    extended_pan_id: bytes
    channel: int = 11
    sub_ghz_channel_word: int | None = None

    def __post_init__(self) -> None:
        _check_eui(self.coordinator_eui, "coordinator_eui")
        _check_eui(self.extended_pan_id, "extended_pan_id")
        if not 11 <= self.channel <= 26:
            raise HanError(f"2.4 GHz channel {self.channel} is outside 11..26")


@dataclasses.dataclass(frozen=True, slots=True)
class JoinPermit:
    """``device_eui`` may join until ``expires_at`` (None: no limit) with any of ``keys``."""

    device_eui: bytes
    keys: tuple[JoinKey, ...]
    expires_at: datetime | None = None

    def __post_init__(self) -> None:
        _check_eui(self.device_eui, "device_eui")
        if not self.keys:
            raise HanError(f"a join permit for {eui_hex(self.device_eui)} needs a key")


@dataclasses.dataclass(frozen=True, slots=True)
class HanFrame:
    src_eui: bytes
    dst_eui: bytes
    payload: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceJoined:
    device_eui: bytes
    coordinator_eui: bytes
    link_key_hash: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceLeft:
    device_eui: bytes
    coordinator_eui: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceAnnounced:
    device_eui: bytes
    coordinator_eui: bytes


HanEvent = DeviceJoined | DeviceLeft | DeviceAnnounced


class JoinRefusal(enum.Enum):
    NO_NETWORK = "no such network"
    NOT_PERMITTED = "not permitted to join"
    WINDOW_CLOSED = "join window closed"
    KEY_MISMATCH = "key does not match"
    JOINED_ELSEWHERE = "joined to another network"


@dataclasses.dataclass(frozen=True, slots=True)
class JoinOutcome:
    device_eui: bytes
    coordinator_eui: bytes
    refusal: JoinRefusal | None = None
    link_key_hash: bytes | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


class HanListener(Protocol):
    async def handle_frame(self, frame: HanFrame) -> None: ...

    async def handle_event(self, event: HanEvent) -> None: ...


class HanTransport(abc.ABC):
    """What every HAN radio implements (in memory, EZSP stick, ...)."""

    @abc.abstractmethod
    def add_listener(self, eui: bytes, listener: HanListener) -> None:
        """Deliver frames and events addressed to ``eui`` to ``listener``."""

    @abc.abstractmethod
    def remove_listener(self, eui: bytes) -> None: ...

    @abc.abstractmethod
    async def form_network(self, network: HanNetworkInfo) -> None:
        """Start (or reconfigure) the PAN whose coordinator is ``network.coordinator_eui``."""

    @abc.abstractmethod
    async def set_join_permits(self, coordinator_eui: bytes,
                               permits: Sequence[JoinPermit]) -> None:
        """Replace the set of devices the coordinator lets join, and their keys."""

    @abc.abstractmethod
    async def join(self, device_eui: bytes, coordinator_eui: bytes,
                   key: JoinKey) -> JoinOutcome:
        """Ask to join ``coordinator_eui``'s PAN presenting an install code or link key."""

    @abc.abstractmethod
    async def leave(self, device_eui: bytes) -> None:
        """Take ``device_eui`` off its PAN (its own leave or the coordinator's removal)."""

    @abc.abstractmethod
    async def send(self, src_eui: bytes, dst_eui: bytes, payload: bytes) -> None:
        """Queue ``payload`` for ``dst_eui``; both must be on the same PAN."""

    @abc.abstractmethod
    async def close(self) -> None: ...


def chf_join_permits(device_log: ChfDeviceLog, now: datetime) -> list[JoinPermit]:
    """The permits a CHF's device log grants at ``now``.

    While the join window is open, every whitelisted device may join with its install
    code, its recorded link key, or the link key its historic log entry remembers.
    """
    if not device_log.join_window_open(now):
        return []
    closes = device_log.join_window_closes_at()
    permits = []
    for entry in device_log.entries:
        keys: list[JoinKey] = []
        historic = device_log.historic_entry(entry.device_id)
        if historic is not None:
            keys.append(JoinKey.link_key_hash(historic.link_key_hash))
        if entry.link_key_hash is not None:
            keys.append(JoinKey.link_key_hash(entry.link_key_hash))
        if entry.install_code is not None:
            keys.append(JoinKey.install_code(entry.install_code))
        permits.append(JoinPermit(entry.device_id, tuple(keys), closes))
    return permits


# ------------------------------------------------------------------------------------
# In-memory transport
# ------------------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class HanStatistics:
    frames_sent: int = 0
    frames_lost: int = 0
    frames_delivered: int = 0
    frames_without_listener: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class _Delivery:
    due: float
    recipient: bytes
    item: HanFrame | HanEvent


class InMemoryHan(HanTransport):
    """Every PAN in one process, delivering in send order through one FIFO queue.

    Frames are lost with ``loss_probability`` (decided at send time by a generator
    seeded with ``seed``, so a run repeats exactly) and arrive ``latency`` after
    sending. Events are never lost. :meth:`drain` waits until everything queued, and
    everything handlers queue in turn, has been delivered.
    """

    def __init__(self, clock: Clock, *, loss_probability: float = 0.0,
                 latency: timedelta = timedelta(0), seed: int = 0) -> None:
        if not 0.0 <= loss_probability < 1.0:
            raise HanError(f"loss probability {loss_probability} is outside [0, 1)")
        if latency < timedelta(0):
            raise HanError("latency cannot be negative")
        self.clock = clock
        self.loss_probability = loss_probability
        self.latency = latency
        self.statistics = HanStatistics()
        self._random = random.Random(seed)
        self._listeners: dict[bytes, HanListener] = {}
        self._networks: dict[bytes, HanNetworkInfo] = {}
        self._permits: dict[bytes, dict[bytes, JoinPermit]] = {}
        self._coordinator_of: dict[bytes, bytes] = {}
        self._queue: asyncio.Queue[_Delivery] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._failures: list[str] = []

    # -- state ------------------------------------------------------------------

    def network(self, coordinator_eui: bytes) -> HanNetworkInfo | None:
        return self._networks.get(coordinator_eui)

    def members(self, coordinator_eui: bytes) -> frozenset[bytes]:
        """Devices joined to the PAN (the coordinator not included)."""
        return frozenset(device for device, coordinator in self._coordinator_of.items()
                         if coordinator == coordinator_eui)

    def _pan_of(self, eui: bytes) -> bytes | None:
        return eui if eui in self._networks else self._coordinator_of.get(eui)

    # -- HanTransport -----------------------------------------------------------

    def add_listener(self, eui: bytes, listener: HanListener) -> None:
        _check_eui(eui, "listener EUI")
        if eui in self._listeners:
            raise HanError(f"{eui_hex(eui)} already has a listener")
        self._listeners[eui] = listener

    def remove_listener(self, eui: bytes) -> None:
        if self._listeners.pop(eui, None) is None:
            raise HanError(f"{eui_hex(eui)} has no listener")

    async def form_network(self, network: HanNetworkInfo) -> None:
        if network.coordinator_eui in self._coordinator_of:
            raise HanError(f"{eui_hex(network.coordinator_eui)} is joined to another PAN")
        self._networks[network.coordinator_eui] = network
        self._permits.setdefault(network.coordinator_eui, {})

    async def set_join_permits(self, coordinator_eui: bytes,
                               permits: Sequence[JoinPermit]) -> None:
        if coordinator_eui not in self._networks:
            raise NoNetworkError(f"{eui_hex(coordinator_eui)} has not formed a network")
        self._permits[coordinator_eui] = {permit.device_eui: permit for permit in permits}

    async def join(self, device_eui: bytes, coordinator_eui: bytes,
                   key: JoinKey) -> JoinOutcome:
        _check_eui(device_eui, "joining device")
        if key.kind is JoinKeyKind.LINK_KEY_HASH:
            raise HanError("a joining device presents an install code or a link key")
        refusal = self._check_join(device_eui, coordinator_eui, key)
        if refusal is not None:
            return JoinOutcome(device_eui, coordinator_eui, refusal)
        link_key_hash = key.hashed()
        self._coordinator_of[device_eui] = coordinator_eui
        joined = DeviceJoined(device_eui, coordinator_eui, link_key_hash)
        self._enqueue(coordinator_eui, joined)
        self._enqueue(device_eui, joined)
        announced = DeviceAnnounced(device_eui, coordinator_eui)
        for member in sorted(self.members(coordinator_eui) - {device_eui}):
            self._enqueue(member, announced)
        self._enqueue(coordinator_eui, announced)
        return JoinOutcome(device_eui, coordinator_eui, None, link_key_hash)

    def _check_join(self, device_eui: bytes, coordinator_eui: bytes,
                    key: JoinKey) -> JoinRefusal | None:
        if coordinator_eui not in self._networks:
            return JoinRefusal.NO_NETWORK
        current = self._coordinator_of.get(device_eui)
        if current not in (None, coordinator_eui) or device_eui in self._networks:
            return JoinRefusal.JOINED_ELSEWHERE
        permit = self._permits[coordinator_eui].get(device_eui)
        if permit is None:
            return JoinRefusal.NOT_PERMITTED
        if permit.expires_at is not None and self.clock.now() >= permit.expires_at:
            return JoinRefusal.WINDOW_CLOSED
        if key.hashed() not in {accepted.hashed() for accepted in permit.keys}:
            return JoinRefusal.KEY_MISMATCH
        return None

    async def leave(self, device_eui: bytes) -> None:
        coordinator = self._coordinator_of.pop(device_eui, None)
        if coordinator is None:
            raise NotJoinedError(f"{eui_hex(device_eui)} is not joined to any PAN")
        left = DeviceLeft(device_eui, coordinator)
        self._enqueue(coordinator, left)
        self._enqueue(device_eui, left)

    async def send(self, src_eui: bytes, dst_eui: bytes, payload: bytes) -> None:
        _check_eui(src_eui, "source")
        _check_eui(dst_eui, "destination")
        if not isinstance(payload, bytes):
            raise HanError(f"payload must be bytes, not {type(payload).__name__}")
        pan = self._pan_of(src_eui)
        if pan is None:
            raise NotJoinedError(f"{eui_hex(src_eui)} is not on a PAN")
        if self._pan_of(dst_eui) != pan:
            raise NotJoinedError(f"{eui_hex(dst_eui)} is not on the PAN of "
                                 f"{eui_hex(src_eui)}")
        self.statistics.frames_sent += 1
        if self.loss_probability and self._random.random() < self.loss_probability:
            self.statistics.frames_lost += 1
            return
        self._enqueue(dst_eui, HanFrame(src_eui, dst_eui, payload))

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None

    # -- delivery -----------------------------------------------------------------

    def _enqueue(self, recipient: bytes, item: HanFrame | HanEvent) -> None:
        loop = asyncio.get_running_loop()
        self._queue.put_nowait(_Delivery(loop.time() + self.latency.total_seconds(),
                                         recipient, item))
        if self._worker is None or self._worker.done():
            self._worker = loop.create_task(self._deliver_forever())

    async def _deliver_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            delivery = await self._queue.get()
            try:
                delay = delivery.due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                await self._deliver(delivery)
            finally:
                self._queue.task_done()

    async def _deliver(self, delivery: _Delivery) -> None:
        listener = self._listeners.get(delivery.recipient)
        item = delivery.item
        if listener is None:
            if isinstance(item, HanFrame):
                self.statistics.frames_without_listener += 1
            return
        try:
            if isinstance(item, HanFrame):
                self.statistics.frames_delivered += 1
                await listener.handle_frame(item)
            else:
                await listener.handle_event(item)
        except Exception as error:
            self._failures.append(f"{type(item).__name__} to {eui_hex(delivery.recipient)}: "
                                  f"{type(error).__name__}: {error}")

    async def drain(self) -> None:
        """Wait until nothing is left to deliver; report listener failures since last time."""
        await self._queue.join()
        if self._failures:
            failures, self._failures = self._failures, []
            raise HanDeliveryError(f"{len(failures)} delivery failed; first: {failures[0]}")
