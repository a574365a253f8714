"""Messages coming back from devices: authenticity, certificates, device -> DCC alerts.

:class:`DeviceTraffic` is the ACB's receiving side. Every response and alert is decoded
and verified with the DCC's key store (device certificates are fetched from the rack the
first time a device speaks or is spoken to, as the DCC would from the SMKI repository);
one whose MAC or signature is not valid, or whose sensitive part fails to decrypt, is
discarded. Authentic alerts are recorded and mapped to DCC alerts (:mod:`.dcc_alerts`);
the device logs that CHFs (CS14) and GPFs (GCS62) back up in alerts are kept for 8.12.x.
"""

from __future__ import annotations

from firmware_emu.dcc.dcc_alerts import DccAlertCode, dcc_alerts_for_device_alert
from firmware_emu.dcc.inventory import DeviceType, Inventory
from firmware_emu.dcc.pki import DccPki
from firmware_emu.dcc.rack import Rack, UnknownDeviceError
from firmware_emu.dcc.roles import DccInputError, parse_eui64
from firmware_emu.dcc.service_records import (
    DccAlert,
    DeviceAlertRecord,
    Direction,
    Exchange,
    ServiceOutcome,
    TickOutcome,
    summarize,
)
from firmware_emu.dcc.transform_responses import alert_code, chf_device_log, gpf_device_log
from firmware_emu.dcc.transform_rows import DeviceLogBackups
from gbcs.crypto import KeyUsage
from gbcs.errors import GbcsError
from gbcs.message import GbcsMessage, decode_message
from gbcs.secure import CheckStatus, verify_message

CHF_DEVICE_LOG_CHANGED = 0x8F12


def duis_id(eui: bytes) -> str:
    return parse_eui64(eui.hex())


class DeviceTraffic:
    def __init__(self, pki: DccPki, inventory: Inventory, rack: Rack,
                 backups: DeviceLogBackups) -> None:
        self.pki, self.inventory, self.rack, self.backups = pki, inventory, rack, backups

    def learn_certificates(self, device_id: object) -> None:
        """Fetch the device's certificates from the rack unless the DCC holds them."""
        try:
            canonical = parse_eui64(device_id, what="device id")
        except DccInputError:
            return
        eui = bytes.fromhex(canonical.replace("-", ""))
        if self.pki.keys.has_certificate(eui, KeyUsage.KEY_AGREEMENT) \
                or self.pki.party_by_eui(eui) is not None:
            return
        try:
            certificates = self.rack.device_certificates(canonical)
        except UnknownDeviceError:
            return
        for certificate in certificates:
            self.pki.add_device_certificate(eui, certificate)

    def authentic(self, wire: bytes) -> tuple[GbcsMessage | None, str | None]:
        """The decoded message if its MAC and signature check out, else why not."""
        try:
            message = decode_message(wire)
        except GbcsError as error:
            return None, f"malformed: {error}"
        self.learn_certificates(duis_id(message.header.originator))
        report = verify_message(message, self.pki.keys)
        for check in report.checks:
            if check.name in ("MAC", "signature") and check.status is not CheckStatus.VALID:
                return None, f"{check.name} {check.status.value} {check.detail}".rstrip()
            if check.status is CheckStatus.INVALID:
                return None, f"{check.name} invalid {check.detail}".rstrip()
        if not report.checks:
            return None, "neither MAC'd nor signed"
        return message, None

    def device_type(self, device_id: str) -> DeviceType | None:
        record = self.inventory.find(device_id)
        if record is not None:
            return record.device_type
        for kind, euis in self.rack.device_euis_by_type().items():
            if device_id in euis:
                return kind
        return None

    def take_alerts(self, sink: ServiceOutcome | TickOutcome, wires: list[bytes],
                    srv_in_progress: str | None) -> set[str]:
        """Check and record device alerts and the DCC alerts they raise; returns the
        devices a CHF device log alert (CS14) shows in the log. N24 is not raised here:
        it needs the 8.11 response too (see the service)."""
        logged: set[str] = set()
        for wire in wires:
            message, problem = self.authentic(wire)
            code = None if message is None else alert_code(message)
            origin = _origin(wire)
            shown = problem or summarize(message) + (f", alert 0x{code:04X}" if code else "")
            sink.exchanges.append(Exchange("device alert", Direction.DEVICE_TO_DCC, wire, shown))
            sink.device_alerts.append(DeviceAlertRecord(
                origin, code, None if message is None else message.message_code, wire,
                message is not None, problem or ""))
            if message is None or code is None:
                continue
            chf_log, gpf_log = chf_device_log(message), gpf_device_log(message)
            if chf_log is not None:
                self.backups.chf[origin] = chf_log
                if code == CHF_DEVICE_LOG_CHANGED:
                    logged.update(duis_id(device) for device, _ in chf_log[1])
            if gpf_log is not None:
                self.backups.gpf[origin] = gpf_log
            kind = self.device_type(origin)
            mappings = () if kind is None else dcc_alerts_for_device_alert(
                code, kind, message_code=message.message_code, srv_in_progress=srv_in_progress)
            sink.dcc_alerts.extend(
                DccAlert(mapping.dcc_alert, origin, mapping.response_code, code,
                         mapping.alert_name)
                for mapping in mappings if mapping.dcc_alert is not DccAlertCode.N24)
        return logged


def _origin(wire: bytes) -> str:
    try:
        return duis_id(decode_message(wire).header.originator)
    except GbcsError:
        return "unknown"
