"""Showing decoded messages to people: a dissector-like tree and JSON.

The tree names each field with its bytes and meaning for the GBCS headers, then walks
the typed payload (dataclasses, records, A-XDR values) generically, so new payload
types show without changes here.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import datetime
from typing import Any

from gbcs.crypto import KeyStore
from gbcs.framing.general_signing import Cra
from gbcs.message import GbcsMessage
from gbcs.primitives import CosemDateTime
from gbcs.secure import CheckStatus, verify_message
from gbcs.sensitive import open_parts

_HIDDEN = {"payload_offset", "length_octets", "wire", "apdu_start", "content_start",
           "content_end"}
_INDENT = "  "


def _fields(value: Any) -> list[tuple[str, Any]] | None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)
                  if f.name not in _HIDDEN]
        if getattr(value, "is_encrypted", True) is False and hasattr(value, "zcl_command"):
            fields.append(("zcl", value.zcl_command()))  # a plaintext GBZ component
        return fields
    names = getattr(type(value), "_fields", None)
    if isinstance(names, tuple) and isinstance(value, tuple):
        return list(zip(names, value, strict=False))
    return None


def describe(value: Any) -> str:
    """A one-line rendering of a leaf value."""
    if isinstance(value, bytes | bytearray):
        return value.hex().upper() if value else "(empty)"
    if isinstance(value, enum.Enum):
        return f"{value.name} ({value.value})"
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value) if value < 0x100 else f"{value} (0x{value:X})"
    if isinstance(value, CosemDateTime | datetime):
        return str(value)
    return str(value)


def _walk(name: str, value: Any, depth: int, out: list[str]) -> None:
    pad = _INDENT * depth
    fields = _fields(value)
    label = f"{name}: " if name else ""
    if fields is not None:
        title = type(value).__name__
        if len(fields) == 1 and _fields(fields[0][1]) is None:
            only = fields[0][1]
            if isinstance(only, list | tuple):  # a wrapper of items (structure, array)
                out.append(f"{pad}{label}{title}[{len(only)}]")
                for index, item in enumerate(only):
                    _walk(f"[{index}]", item, depth + 1, out)
            else:  # a wrapper of one value (A-XDR scalars)
                out.append(f"{pad}{label}{title} {describe(only)}")
            return
        out.append(f"{pad}{label}{title}")
        for field_name, field_value in fields:
            _walk(field_name, field_value, depth + 1, out)
    elif isinstance(value, list | tuple):
        out.append(f"{pad}{name}: {len(value)} item(s)")
        for index, item in enumerate(value):
            _walk(f"[{index}]", item, depth + 1, out)
    else:
        out.append(f"{pad}{name}: {describe(value)}")


def _header_lines(message: GbcsMessage) -> list[str]:
    header = message.header
    other = header.other_information
    rows = [
        ("CRA flag", f"{int(header.cra):02X}", Cra(header.cra).name.lower()),
        ("originator counter", f"{header.originator_counter:016X}",
         str(header.originator_counter)),
        ("originator", header.originator.hex().upper(), ""),
        ("recipient", header.recipient.hex().upper(), ""),
        ("date-time", header.date_time.to_bytes().hex().upper() if header.date_time else "",
         str(header.date_time) if header.date_time else "absent"),
        ("message code", f"{other.message_code:04X}", message.use_case_name),
    ]
    if other.supplementary_remote_party is not None:
        rows.append(("supplementary RP", other.supplementary_remote_party.hex().upper(), ""))
    if other.supplementary_counter is not None:
        rows.append(("supplementary counter", f"{other.supplementary_counter:016X}",
                     str(other.supplementary_counter)))
    if other.supplementary_originator_counter is not None:
        rows.append(("suppl. originator counter",
                     f"{other.supplementary_originator_counter:016X}",
                     str(other.supplementary_originator_counter)))
    if other.remote_party_certificate is not None:
        rows.append(("URP certificate", f"{len(other.remote_party_certificate)} bytes",
                     "unknown remote party's KA certificate"))
    return [f"{_INDENT * 2}{name:<26} {raw:<24} {meaning}".rstrip() for name, raw, meaning in rows]


def render_message(message: GbcsMessage, keys: KeyStore | None = None) -> list[str]:
    """The message as indented lines: field, bytes, meaning."""
    kind = "PRECOMMAND" if message.is_precommand else Cra(message.header.cra).name
    protection = "MAC'd" if message.has_mac else "signed" if message.is_signed else "unprotected"
    out = [f"GBCS {kind.lower()} {message.use_case_name} [0x{message.message_code:04X}], "
           f"{protection}"]
    if message.envelope is not None:
        envelope = message.envelope
        out.append(f"{_INDENT}general-ciphering: security control {envelope.security_control:02X},"
                   f" invocation counter {envelope.invocation_counter}, "
                   f"MAC {envelope.mac.hex().upper()}")
    out.append(f"{_INDENT}grouping header")
    out.extend(_header_lines(message))
    out.append(f"{_INDENT}content: {message.family.value}, {len(message.content)} bytes")
    _walk("", message.payload, 2, out)
    if message.signature:
        out.append(f"{_INDENT}signature: {message.signature.hex().upper()}")
    if keys is not None:
        for opened in open_parts(message, keys):
            out.append(f"{_INDENT}decrypted {opened.part.location}"
                       + (f": {opened.error}" if opened.error else ""))
            if not opened.error:
                _walk("", opened.value, 2, out)
        for check in verify_message(message, keys).checks:
            note = f" ({check.detail})" if check.detail and check.status is not \
                CheckStatus.VALID else ""
            out.append(f"{_INDENT}{check.name}: {check.status.value}{note}")
    return out


def to_json(value: Any) -> Any:
    """A JSON-compatible view of any decoded value."""
    custom = getattr(value, "to_json", None)
    if callable(custom) and not isinstance(value, type):
        return custom()
    fields = _fields(value)
    if fields is not None:
        return {"type": type(value).__name__, **{n: to_json(v) for n, v in fields}}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, bytes | bytearray):
        return value.hex().upper()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, CosemDateTime | datetime):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def message_to_json(message: GbcsMessage, keys: KeyStore | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "use_case": message.use_case.use_case if message.use_case else None,
        "use_case_name": message.use_case_name,
        "message_code": message.message_code,
        "kind": "PRECOMMAND" if message.is_precommand else Cra(message.header.cra).name,
        "mac": message.envelope.mac.hex().upper() if message.envelope else None,
        "header": to_json(message.header),
        "family": message.family.value,
        "payload": to_json(message.payload),
        "signature": message.signature.hex().upper() if message.signature else None,
    }
    if keys is not None:
        result["decrypted"] = [{"location": o.part.location, "error": o.error or None,
                                "value": to_json(o.value)} for o in open_parts(message, keys)]
        result["checks"] = [{"name": c.name, "status": c.status.value, "detail": c.detail}
                            for c in verify_message(message, keys).checks]
    return result
