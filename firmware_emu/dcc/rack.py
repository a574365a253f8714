"""The devices a scenario runs against: an emulated premises now, hardware bridges later.

A :class:`Rack` is the narrow interface the DCC service needs: deliver a WAN message and
get back what the addressed device sent (response and alerts), list the devices by type,
read an install code off a device label, give the devices' certificates (what the SMKI
repository would), and let time pass (future-dated actions run, alerts come out).

Rack files (UTF-8 TOML) say which rack to use, so the same scenario runs unchanged
against emulated or real devices::

    [rack]
    kind = "emulated"                # "radio" and "serial" are reserved for the bridges
    start = 2029-06-01T12:00:00Z     # optional: the emulated clock's start (default now)
    state = "premises.sqlite"        # optional: keep device state (relative to this file)
    eui_prefix = "00DB0000000000"    # optional: the first 7 bytes of the device EUI-64s
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography import x509

from firmware_emu.clock import Clock, SteppedClock
from firmware_emu.dcc.inventory import DeviceType
from firmware_emu.dcc.pki import DccPki
from firmware_emu.dcc.roles import DccInputError, parse_eui64
from firmware_emu.han import HanTransport, InMemoryHan
from firmware_emu.persistence import StateStore
from firmware_emu.premises import Premises, PremisesLayout
from firmware_emu.registry import Registry
from gbcs.crypto import KeyStore, KeyUsage


class RackFileError(DccInputError):
    """A rack file that cannot be read; the message names the file and the problem."""


class RackUnavailableError(DccInputError):
    """A rack kind this build cannot drive."""


class UnknownDeviceError(DccInputError):
    """An EUI-64 that is not a device of the rack."""


@dataclass(frozen=True, slots=True)
class RackOutput:
    """What the addressed device sent back for one WAN message."""

    response: bytes | None = None
    alerts: tuple[bytes, ...] = ()
    rejected: str | None = None  # why nothing came back, when nothing did


@runtime_checkable
class Rack(Protocol):
    kind: str

    async def deliver(self, wire: bytes) -> RackOutput: ...

    def device_euis_by_type(self) -> Mapping[DeviceType, tuple[str, ...]]: ...

    def install_code(self, eui: str) -> bytes: ...

    def device_certificates(self, eui: str) -> tuple[x509.Certificate, ...]: ...

    def now(self) -> datetime: ...

    async def tick(self) -> tuple[bytes, ...]: ...

    async def close(self) -> None: ...


def _eui(text: str) -> bytes:
    return bytes.fromhex(parse_eui64(text, what="device id").replace("-", ""))


class EmulatedRack:
    """A :class:`~firmware_emu.premises.Premises` of emulated devices behind the rack."""

    kind = "emulated"

    def __init__(self, premises: Premises, clock: Clock, keys: KeyStore) -> None:
        self.premises = premises
        self.clock = clock
        self._keys = keys

    @classmethod
    async def create(cls, pki: DccPki, *, layout: PremisesLayout | None = None,
                     clock: Clock | None = None, store: StateStore | None = None,
                     han: HanTransport | None = None, registry: Registry | None = None
                     ) -> EmulatedRack:
        """A premises whose devices trust ``pki``'s remote parties; reopened from
        ``store`` when it already holds devices."""
        clock = clock or SteppedClock(datetime.now(UTC).replace(microsecond=0))
        store = store or StateStore(None)
        han = han or InMemoryHan(clock)
        registry = registry or default_registry()
        keys = pki.public_key_store()  # devices hold the parties' certificates only
        if store.euis():
            premises = await Premises.open(store, keys=keys, clock=clock, han=han,
                                           registry=registry)
        else:
            premises = await Premises.create(layout or PremisesLayout.standard(),
                                             remote_parties=keys, keys=keys, store=store,
                                             clock=clock, han=han, registry=registry)
        return cls(premises, clock, keys)

    async def deliver(self, wire: bytes) -> RackOutput:
        output = await self.premises.deliver(wire)
        return RackOutput(output.response, tuple(output.alerts), output.rejected)

    def device_euis_by_type(self) -> Mapping[DeviceType, tuple[str, ...]]:
        found: dict[DeviceType, list[str]] = {}
        for eui, device in sorted(self.premises.devices.items()):
            try:
                kind = DeviceType(device.device_type.value)
            except ValueError:  # a SAPC: not a DCC inventory device type
                continue
            found.setdefault(kind, []).append(parse_eui64(eui.hex()))
        return {kind: tuple(euis) for kind, euis in found.items()}

    def _known(self, eui: str) -> bytes:
        raw = _eui(eui)
        if raw not in self.premises.devices:
            raise UnknownDeviceError(f"device {parse_eui64(eui)} is not in the rack")
        return raw

    def install_code(self, eui: str) -> bytes:
        code = self.premises.install_codes.get(self._known(eui))
        if code is None:
            raise UnknownDeviceError(f"device {parse_eui64(eui)} has no install code (it is "
                                     "part of the communications hub)")
        return code

    def device_certificates(self, eui: str) -> tuple[x509.Certificate, ...]:
        raw = self._known(eui)
        return tuple(self._keys.certificate(raw, usage)
                     for usage in (KeyUsage.KEY_AGREEMENT, KeyUsage.DIGITAL_SIGNATURE)
                     if self._keys.has_certificate(raw, usage))

    def now(self) -> datetime:
        return self.clock.now()

    async def tick(self) -> tuple[bytes, ...]:
        return tuple(await self.premises.tick())

    async def close(self) -> None:
        await self.premises.close()


def default_registry() -> Registry:
    """The emulated devices' use-case handlers (:mod:`firmware_emu.handlers`)."""
    try:
        from firmware_emu.handlers import default_registry as build
    except ImportError as error:
        raise RackUnavailableError("emulated devices need firmware_emu.handlers, which this "
                                   f"build lacks ({error})") from None
    return build()


# ------------------------------------------------------------------------- rack files

RACK_KINDS = ("emulated", "radio", "serial")
_RESERVED = {"radio": "the Zigbee radio bridge", "serial": "the serial DLMS bridge"}
_KEYS = frozenset({"kind", "start", "state", "eui_prefix"})


@dataclass(frozen=True, slots=True)
class RackSpec:
    kind: str = "emulated"
    start: datetime | None = None
    state: Path | None = None
    eui_prefix: bytes | None = None


def parse_rack(table: Mapping[str, object], *, base: Path = Path(".")) -> RackSpec:
    """The :class:`RackSpec` of a ``[rack]`` table; paths are relative to ``base``."""
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise RackFileError(f"unknown key {unknown[0]!r} in [rack] "
                            f"(allowed: {', '.join(sorted(_KEYS))})")
    kind = table.get("kind")
    if kind not in RACK_KINDS:
        raise RackFileError(f"[rack] kind must be one of {', '.join(RACK_KINDS)}, "
                            f"not {kind!r}")
    start = table.get("start")
    if start is not None and not (isinstance(start, datetime) and start.utcoffset() is not None):
        raise RackFileError("[rack] start must be a date-time with a UTC offset")
    state = table.get("state")
    if state is not None and not isinstance(state, str):
        raise RackFileError("[rack] state must be a file name")
    prefix = table.get("eui_prefix")
    raw_prefix = None
    if prefix is not None:
        try:
            raw_prefix = bytes.fromhex(prefix) if isinstance(prefix, str) else b""
        except ValueError:
            raw_prefix = b""
        if len(raw_prefix) != 7:
            raise RackFileError("[rack] eui_prefix must be 14 hex digits (7 bytes)")
    return RackSpec(kind, start, None if state is None else base / state, raw_prefix)


def load_rack_file(path: Path | str) -> RackSpec:
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RackFileError(f"{path}: cannot read the rack file: {error}") from None
    table = document.get("rack")
    if not isinstance(table, Mapping):
        raise RackFileError(f"{path}: a rack file needs a [rack] table")
    try:
        return parse_rack(table, base=path.parent)
    except RackFileError as error:
        raise RackFileError(f"{path}: {error}") from None


async def open_rack(spec: RackSpec, pki: DccPki, *, registry: Registry | None = None,
                    clock: Clock | None = None) -> Rack:
    """The rack a spec describes; hardware kinds are refused until their bridges exist."""
    if spec.kind in _RESERVED:
        raise RackUnavailableError(f"rack kind {spec.kind!r} ({_RESERVED[spec.kind]}) is not "
                                   "available in this build")
    if clock is None and spec.start is not None:
        clock = SteppedClock(spec.start)
    store = StateStore(spec.state) if spec.state is not None else None
    layout = PremisesLayout.standard(spec.eui_prefix) if spec.eui_prefix else None
    return await EmulatedRack.create(pki, layout=layout, clock=clock, store=store,
                                     registry=registry)
