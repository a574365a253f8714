"""Reading device responses and alerts back: success or failure, and what they say.

:func:`interpret_response` maps a decoded (and verified) response to a
:class:`DeviceResult`: DLMS access results (primer §8.2.2), ZCL statuses of Default
Responses and attribute records (§8.1.2), ASN.1 response codes (§8.3). Sensitive parts
are decrypted with the DCC's key store so their values appear in the summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gbcs.crypto import KeyStore
from gbcs.dlms import AccessResponse, DataNotification, axdr
from gbcs.gbz import (
    DefaultResponse,
    GbzAlert,
    GbzPayload,
    ReadAttributesResponse,
    WriteAttributesResponse,
    ZclCommand,
    status_name,
)
from gbcs.message import GbcsMessage
from gbcs.sensitive import open_parts

GPF_DEVICE_LOG_BACKUP = 0x00B2
FIRMWARE_VERSION_ATTRIBUTE = 0x0206
"""GCS38 reads the firmware version from this Metering cluster attribute (primer §11.10)."""


@dataclass(frozen=True, slots=True)
class DeviceResult:
    """What a device response says: overall success, a one-line summary, the details."""

    success: bool
    summary: str
    data: Mapping[str, object] = field(default_factory=dict)


def describe(value: object) -> object:
    """A plain (JSON-friendly) rendering of decoded A-XDR data or ZCL values."""
    if isinstance(value, axdr.OctetString | bytes | bytearray):
        raw = bytes(value.value if isinstance(value, axdr.OctetString) else value)
        text = raw.decode("ascii", errors="replace")
        return text if raw and text.isprintable() and text.isascii() else raw.hex().upper()
    if isinstance(value, axdr.Array | axdr.Structure):
        return [describe(child) for child in value.children]
    if isinstance(value, axdr.BitString):
        return value.data.hex().upper()
    if isinstance(value, axdr.NullData):
        return None
    if isinstance(value, axdr.Data):
        return getattr(value, "value", repr(value))
    if isinstance(value, tuple | list):
        return [describe(item) for item in value]
    return value


def _decrypted(message: GbcsMessage, keys: KeyStore) -> dict[str, object]:
    return {opened.part.location: opened.value for opened in open_parts(message, keys)
            if not opened.error}


def _dlms(response: AccessResponse, opened: Mapping[str, object]) -> DeviceResult:
    results = [spec.result_name for spec in response.results]
    values = [describe(value) for value in response.data]
    data: dict[str, object] = {"results": results, "values": values}
    if opened:
        data["decrypted"] = {where: describe(value) for where, value in opened.items()}
    ok = response.ok
    failed = [name for spec, name in zip(response.results, results, strict=True) if spec.result]
    summary = (f"{len(results)} DLMS item(s) succeeded" if ok
               else f"DLMS item(s) failed: {', '.join(failed)}")
    return DeviceResult(ok, summary, data)


def _zcl_status(command: ZclCommand) -> tuple[bool, object]:
    body = command.body
    if isinstance(body, DefaultResponse):
        return body.status == 0, f"default response {status_name(body.status)}"
    if isinstance(body, ReadAttributesResponse):
        records = {f"0x{r.attribute_id:04X}": describe(r.value) if r.status == 0
                   else status_name(r.status) for r in body.records}
        return all(r.status == 0 for r in body.records), records
    if isinstance(body, WriteAttributesResponse):
        return all(r.status == 0 for r in body.records), [status_name(r.status)
                                                          for r in body.records]
    return True, command.name


def _gbz(payload: GbzPayload, opened: Mapping[str, object]) -> DeviceResult:
    ok, components = True, []
    for index, component in enumerate(payload.components):
        command = opened.get(f"component[{index}]")
        if command is None:
            if component.is_encrypted:
                ok = False
                components.append("encrypted component could not be opened")
                continue
            command = component.zcl_command()
        good, detail = _zcl_status(command)
        ok = ok and good
        components.append({"cluster": f"0x{component.cluster_id:04X}", "command": command.name,
                           "detail": detail})
    summary = (f"{len(components)} GBZ component(s) succeeded" if ok
               else "a GBZ component failed")
    return DeviceResult(ok, summary, {"components": components})


def _asn1(payload: object) -> DeviceResult:
    name = type(payload).__name__
    code = getattr(payload, "response_code", None)
    if code is not None:
        text = getattr(code, "name", str(code))
        return DeviceResult(int(code) == 0, f"{name}: {text}", {"response_code": text})
    outcome = getattr(payload, "outcome", None)
    if name == "UpdateSecurityCredentialsResponse":
        if outcome is None:
            return DeviceResult(True, "credentials update accepted (future dated)")
        return DeviceResult(outcome.succeeded, "credentials update "
                            + ("succeeded" if outcome.succeeded else "failed"),
                            {"outcomes": [getattr(o.status, "name", o.status)
                                          for o in outcome.replacement_outcomes]})
    details = getattr(payload, "details", None)
    if details is not None:
        statuses = {getattr(d.remote_party_role, "name", d.remote_party_role):
                    getattr(d.status, "name", d.status) for d in details}
        return DeviceResult(True, f"{name}: {len(statuses)} role(s)", {"roles": statuses})
    status = getattr(payload, "device_time_status", None)
    if status is not None:
        return DeviceResult(True, f"device time {payload.device_time.isoformat()} "
                            f"({getattr(status, 'name', status)})",
                            {"device_time": payload.device_time.isoformat()})
    return DeviceResult(True, name)


def interpret_response(message: GbcsMessage, keys: KeyStore) -> DeviceResult:
    payload = message.payload
    if isinstance(payload, AccessResponse):
        return _dlms(payload, _decrypted(message, keys))
    if isinstance(payload, GbzPayload):
        return _gbz(payload, _decrypted(message, keys))
    return _asn1(payload)


def firmware_version(message: GbcsMessage) -> str | None:
    """The firmware version an 11.2 response reports (ECS52, GCS38, CS08), as hex."""
    payload = message.payload
    if isinstance(payload, AccessResponse) and payload.ok and payload.data:
        value = payload.data[0]
        return value.value.hex().upper() if isinstance(value, axdr.OctetString) else None
    if isinstance(payload, GbzPayload):
        for component in payload.components:
            body = None if component.is_encrypted else component.zcl_command().body
            if isinstance(body, ReadAttributesResponse):
                for record in body.records:
                    if record.attribute_id == FIRMWARE_VERSION_ATTRIBUTE and record.status == 0:
                        return bytes(record.value).hex().upper()
    version = getattr(payload, "firmware_version", None)
    return bytes(version).hex().upper() if isinstance(version, bytes) else None


def alert_code(message: GbcsMessage) -> int | None:
    """The 16-bit alert code of an alert in any payload family."""
    payload = message.payload
    if isinstance(payload, DataNotification | GbzAlert):
        return payload.alert_code
    code = getattr(payload, "alert_code", None)
    return None if code is None else int(code)


def chf_device_log(message: GbcsMessage) -> tuple[bytes, tuple[tuple[bytes, bytes], ...]] | None:
    """(extended PAN id, ((device id, hashed link key), ...)) of a CS14 alert (primer §11.7)."""
    payload = message.payload
    if not isinstance(payload, DataNotification):
        return None
    body = payload.body.children
    backup = body[2] if len(body) > 2 else None
    if not isinstance(backup, axdr.Structure) or len(backup.children) < 3:
        return None
    pan, entries = backup.children[1], backup.children[2]
    if not isinstance(pan, axdr.OctetString) or not isinstance(entries, axdr.Array):
        return None
    return pan.value, tuple(
        (entry.children[0].value, entry.children[1].value) for entry in entries.children
        if isinstance(entry, axdr.Structure) and len(entry.children) == 2
        and all(isinstance(part, axdr.OctetString) for part in entry.children))


def gpf_device_log(message: GbcsMessage) -> tuple[tuple[bytes, int], ...] | None:
    """((device id, ASN.1 device type), ...) of a GCS62 GPF device log alert."""
    entries = getattr(message.payload, "entries", None)
    if message.message_code != GPF_DEVICE_LOG_BACKUP or entries is None:
        return None
    return tuple((entry.device_id, int(entry.device_type)) for entry in entries)
