"""Message text as people and DUIS carry it: hex with any whitespace, or base64."""

from __future__ import annotations

import base64
import binascii
import re

from gbcs.errors import DecodeError

_WHITESPACE = re.compile(r"\s+")
_HEX = re.compile(r"(?:0[xX])?[0-9A-Fa-f]*")


def message_bytes(text: str | bytes) -> bytes:
    """The message bytes of ``text``: hex digits (whitespace ignored) or base64."""
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise DecodeError("input is neither hex nor base64 text", 0, "input") from None
    # Plain hex (whitespace only between digit pairs) is what files hold: whatever
    # bytes.fromhex accepts, the general rules read the same way.
    try:
        data = bytes.fromhex(text)
    except ValueError:
        data = b""
    return data or _general_text(text)


def _general_text(text: str) -> bytes:
    """:func:`message_bytes` of any text: hex with whitespace anywhere or a ``0x``
    prefix, else base64."""
    compact = _WHITESPACE.sub("", text)
    if not compact:
        raise DecodeError("input is empty", 0, "input")
    if _HEX.fullmatch(compact):
        digits = compact[2:] if compact[:2] in ("0x", "0X") else compact
        if len(digits) % 2:
            raise DecodeError(f"odd number of hex digits ({len(digits)})", len(digits) // 2,
                              "input")
        return bytes.fromhex(digits)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        bad = next((i for i, ch in enumerate(compact)
                    if not (ch.isalnum() or ch in "+/=")), None)
        where = f" (character {compact[bad]!r} at position {bad})" if bad is not None else ""
        raise DecodeError(f"input is neither hex nor base64{where}", 0, "input") from None
