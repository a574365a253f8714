"""A premises: CHF, GPF, ESME, GSME and PPMID wired through a HAN transport.

WAN traffic enters at the CHF. Commands for the CHF (and the GPF, which lives in the
communications hub) are processed there; commands for HAN devices travel over the HAN
transport, so the same code drives an in-memory HAN in CI and a Zigbee radio on a
bench. The CHF is the trust centre: its device log (whitelist) decides which devices
may join, and a HAN device joins as soon as it is permitted, with its install code.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field

from firmware_emu.clock import Clock
from firmware_emu.cosem.chf import device_log_changed_alert
from firmware_emu.device import DeviceOutput, EmulatedDevice
from firmware_emu.han import (
    DeviceJoined,
    HanEvent,
    HanFrame,
    HanNetworkInfo,
    HanTransport,
    JoinKey,
    JoinPermit,
    chf_join_permits,
)
from firmware_emu.persistence import StateStore
from firmware_emu.provisioning import DeviceFactory, install_trust_anchors
from firmware_emu.registry import AlertRequest, Registry
from firmware_emu.state import ChfState, DeviceState, DeviceType, HanDeviceLog, JoinStatus
from firmware_emu.usecases.common import acb_eui
from firmware_emu.usecases.device_logs import BACKUP_GPF_DEVICE_LOG_ALERT, wire_entries
from firmware_emu.usecases.firmware_image import receive_firmware_image
from firmware_emu.usecases.join import establish_pending_links, key_establishment_initiator
from gbcs.asn1 import DeviceLogBackupAlert
from gbcs.crypto import KeyStore, KeyUsage
from gbcs.errors import DecodeError
from gbcs.framing.general_ciphering import split_general_ciphering
from gbcs.framing.general_signing import decode_general_signing

HUB_DEVICES = (DeviceType.CHF, DeviceType.GPF)
"""Functions of the communications hub itself: reached without crossing the HAN."""

_INSTALL_CODES = "install_codes"
_RESPONSE_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class PremisesLayout:
    """Which devices a premises has, by EUI-64."""

    devices: dict[bytes, DeviceType]
    install_codes: dict[bytes, bytes] = field(default_factory=dict)
    """Install codes as printed on the devices' labels; others are generated."""

    @classmethod
    def standard(cls, base: bytes = bytes.fromhex("00DB0000000000")) -> PremisesLayout:
        """CHF, ESME, GSME, GPF and PPMID with consecutive EUI-64s after ``base``."""
        order = (DeviceType.ESME, DeviceType.GSME, DeviceType.CHF, DeviceType.GPF,
                 DeviceType.PPMID)
        return cls({base + bytes((index,)): kind for index, kind in enumerate(order)})


def wire_recipient(wire: bytes) -> bytes:
    """The recipient system title of a GBCS message, read off the wire."""
    start, end = 0, len(wire)
    if wire[:1] == b"\xdd":
        _, start = split_general_ciphering(wire)
        end -= 12
    return decode_general_signing(wire[start:end], offset=start).header.recipient


@dataclass
class Premises:
    devices: dict[bytes, EmulatedDevice]
    han: HanTransport
    store: StateStore
    install_codes: dict[bytes, bytes] = field(default_factory=dict)
    alerts: list[bytes] = field(default_factory=list)
    _replies: dict[bytes, asyncio.Queue[bytes]] = field(default_factory=dict)
    _side_alerts: list[bytes] = field(default_factory=list)

    # -- building -------------------------------------------------------------------
    @classmethod
    async def create(cls, layout: PremisesLayout, *, remote_parties: KeyStore,
                     store: StateStore, clock: Clock, han: HanTransport,
                     registry: Registry, keys: KeyStore | None = None,
                     device_keys: tuple[KeyUsage, ...] = (KeyUsage.KEY_AGREEMENT,
                                                          KeyUsage.DIGITAL_SIGNATURE),
                     settings: dict[str, object] | None = None) -> Premises:
        """Manufacture the devices and store them with ``settings``, in one transaction.

        ``device_keys`` are the key pairs generated for each device (a fresh test CA
        issues the certificates into ``keys``); a device's other keys must already be in
        ``keys`` (for example a keystore of existing device certificates)."""
        factory = DeviceFactory(keys or remote_parties)
        states = []
        for eui, device_type in layout.devices.items():
            state = factory.make(eui, device_type, issue_keys=device_keys)
            install_trust_anchors(state, remote_parties)
            states.append(state)
        codes = {eui: layout.install_codes.get(eui) or secrets.token_bytes(16)
                 for eui, kind in layout.devices.items() if kind not in HUB_DEVICES}
        with store.transaction() as tx:
            for state in states:
                tx.save(state)
            tx.save_setting(_INSTALL_CODES, {eui.hex(): code.hex() for eui, code in codes.items()})
            for name, value in (settings or {}).items():
                tx.save_setting(name, value)
        return await cls._assemble(states, factory.keys, store, clock, han, registry, codes)

    @classmethod
    async def open(cls, store: StateStore, *, keys: KeyStore, clock: Clock, han: HanTransport,
                   registry: Registry) -> Premises:
        """The premises as last committed in ``store`` (device keys come from the state)."""
        states = list(store.load_all().values())
        for state in states:
            load_device_keys(keys, state)
        stored = store.load_setting(_INSTALL_CODES) or {}
        codes = {bytes.fromhex(e): bytes.fromhex(c) for e, c in stored.items()}
        return await cls._assemble(states, keys, store, clock, han, registry, codes)

    @classmethod
    async def _assemble(cls, states: list[DeviceState], keys: KeyStore, store: StateStore,
                        clock: Clock, han: HanTransport, registry: Registry,
                        codes: dict[bytes, bytes]) -> Premises:
        devices = {s.eui: EmulatedDevice(s, keys, clock, registry, store) for s in states}
        premises = cls(devices, han, store, codes)
        for eui in devices:
            han.add_listener(eui, premises._listener(eui))
        chf = premises.chf
        await han.form_network(HanNetworkInfo(chf.eui, chf.state.extended_pan_id))
        await premises._join_hub_functions()
        await premises.sync_han()
        return premises

    async def _join_hub_functions(self) -> None:
        """The GPF lives in the communications hub: it is on the CHF's PAN from the start,
        with a hub-internal key rather than a whitelisted install code."""
        chf = self.chf
        hub = [d for d in self.devices.values()
               if d.device_type in HUB_DEVICES and d is not chf]
        keys = {d.eui: JoinKey.install_code(secrets.token_bytes(16)) for d in hub}
        await self.han.set_join_permits(chf.eui, [JoinPermit(eui, (key,))
                                                  for eui, key in keys.items()])
        for eui, key in keys.items():
            await self.han.join(eui, chf.eui, key)

    # -- roles ----------------------------------------------------------------------
    @property
    def chf(self) -> EmulatedDevice:
        return next(d for d in self.devices.values() if d.device_type is DeviceType.CHF)

    def of_type(self, device_type: DeviceType) -> list[EmulatedDevice]:
        return [d for d in self.devices.values() if d.device_type is device_type]

    def on_hub(self, eui: bytes) -> bool:
        return self.devices[eui].device_type in HUB_DEVICES

    # -- traffic --------------------------------------------------------------------
    async def deliver(self, wire: bytes) -> DeviceOutput:
        """A WAN message into the premises; returns what the addressed device sent back."""
        try:
            recipient = wire_recipient(wire)
        except DecodeError as error:
            return DeviceOutput(rejected=f"CHF discarded malformed WAN message: {error}")
        device = self.devices.get(recipient)
        if device is None:
            return DeviceOutput(rejected=f"no device {recipient.hex().upper()} at this premises")
        if self.on_hub(recipient):
            output = device.process(wire)
        else:
            output = await self._over_han(device, wire)
        await self.sync_han()
        # the command may have left device-log partners to link with over the HAN; the
        # alerts of both sides belong to this command's outcome
        output.alerts.extend(await establish_pending_links(device, self.han))
        await self._drain()
        output.alerts.extend(self._side_alerts)
        self._side_alerts.clear()
        self.alerts.extend(output.alerts)
        return output

    async def _over_han(self, device: EmulatedDevice, wire: bytes) -> DeviceOutput:
        chf = self.chf
        queue = self._replies.setdefault(device.eui, asyncio.Queue())
        try:
            await self.han.send(chf.eui, device.eui, wire)
        except Exception as error:  # the HAN could not carry it (not joined, ...)
            return DeviceOutput(rejected=f"CHF could not reach {device.eui.hex().upper()} "
                                         f"over the HAN: {error}")
        try:
            return await asyncio.wait_for(queue.get(), _RESPONSE_TIMEOUT_S)
        except TimeoutError:
            return DeviceOutput(rejected=f"no answer from {device.eui.hex().upper()}")

    def _listener(self, eui: bytes) -> _DeviceListener:
        return _DeviceListener(self, eui)

    def _on_frame(self, eui: bytes, frame: HanFrame) -> None:
        if frame.dst_eui != eui:
            return
        initiator = key_establishment_initiator(frame.payload)
        if initiator is not None:
            self._link_established(eui, initiator)
        elif not self.on_hub(eui):
            output = self.devices[eui].process(frame.payload)
            self._replies.setdefault(eui, asyncio.Queue()).put_nowait(output)

    def _link_established(self, eui: bytes, initiator: bytes) -> None:
        """Key establishment with ``initiator`` completed on ``eui``'s side: its device
        log records the partner (a GPF reports its changed log to the ACB, GCS62)."""
        device, partner = self.devices[eui], self.devices.get(initiator)
        log = getattr(device.state, "device_log", None)
        if partner is None or not isinstance(log, HanDeviceLog):
            return
        before = [(e.device_id, e.device_type) for e in log.entries]
        if log.entry(initiator) is None:
            log.add(initiator, partner.state.identity.asn1_device_type, JoinStatus.JOINED)
        else:
            log.mark_joined(initiator)
        changed = before != [(e.device_id, e.device_type) for e in log.entries]
        alerts = []
        if changed and device.device_type is DeviceType.GPF:
            alerts.append(AlertRequest(
                BACKUP_GPF_DEVICE_LOG_ALERT,
                DeviceLogBackupAlert.of(wire_entries(log), device.now()), critical=False,
                recipient=acb_eui(device.state)))
        self._side_alerts.extend(device.raise_alerts(alerts))

    def _on_event(self, eui: bytes, event: HanEvent) -> None:
        if isinstance(event, DeviceJoined) and self.devices[eui].device_type is DeviceType.CHF:
            self._record_join(event)

    def _record_join(self, event: DeviceJoined) -> None:
        chf = self.chf
        state = chf.state
        assert isinstance(state, ChfState)
        if state.device_log.entry(event.device_eui) is not None:
            now = chf.now()
            state.device_log.record_join(event.device_eui, event.link_key_hash, now)
            # the link key is now established: the CHF reports its changed log (CS14)
            self.alerts.extend(chf.raise_alerts([device_log_changed_alert(state, now)]))

    async def sync_han(self) -> None:
        """Push the CHF whitelist to the trust centre and let permitted devices join."""
        chf = self.chf
        state = chf.state
        assert isinstance(state, ChfState)
        permits = chf_join_permits(state.device_log, chf.now())
        await self.han.set_join_permits(chf.eui, permits)
        members = getattr(self.han, "members", lambda _: frozenset())(chf.eui)
        for permit in permits:
            eui = permit.device_eui
            if eui in self.devices and eui not in members and eui in self.install_codes:
                await self.han.join(eui, chf.eui, JoinKey.install_code(self.install_codes[eui]))
        await self._drain()

    async def _drain(self) -> None:
        drain = getattr(self.han, "drain", None)
        if drain is not None:
            await drain()

    async def deliver_image(self, eui: bytes, data: bytes) -> list[bytes]:
        """Hand an OTA firmware file to a device, as the CHF's OTA server does after the
        DCC distributed it (CS05 / SRV 11.1, outside the GBCS APDUs); the alerts raised
        (8F72 receipt). :class:`FirmwareImageError` if the device refuses the file."""
        device = self.devices.get(eui)
        if device is None:
            raise KeyError(f"no device {eui.hex().upper()} at this premises")
        alerts = receive_firmware_image(device, data)
        self.alerts.extend(alerts)
        return alerts

    async def tick(self) -> list[bytes]:
        """Run every device's due future-dated actions; the alerts they raise."""
        raised = []
        for device in self.devices.values():
            raised.extend(device.run_due())
        self.alerts.extend(raised)
        return raised

    async def close(self) -> None:
        await self.han.close()


@dataclass(frozen=True, slots=True)
class _DeviceListener:
    """What the HAN transport calls for one device of the premises."""

    premises: Premises
    eui: bytes

    async def handle_frame(self, frame: HanFrame) -> None:
        self.premises._on_frame(self.eui, frame)

    async def handle_event(self, event: HanEvent) -> None:
        self.premises._on_event(self.eui, event)


def load_device_keys(keys: KeyStore, state: DeviceState) -> None:
    """Put a stored device's own key pairs into ``keys``."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    material = state.keys
    pairs = ((KeyUsage.KEY_AGREEMENT, material.ka_certificate_der, material.ka_private_key_pem),
             (KeyUsage.DIGITAL_SIGNATURE, material.ds_certificate_der,
              material.ds_private_key_pem))
    for usage, der, pem in pairs:
        if der is None:
            continue
        private = load_pem_private_key(pem.encode(), None) if pem else None
        keys.add(state.eui, usage, private_key=private,
                 certificate=x509.load_der_x509_certificate(der))
