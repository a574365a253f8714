"""Exceptions raised by the GBCS codecs.

Every malformed input that reaches a decoder ends as a single :class:`DecodeError`
carrying the byte offset (from the start of the whole message) and the field path,
so a command-line tool can print one precise line and a device can discard the
message without guessing what went wrong.
"""

from __future__ import annotations


class GbcsError(Exception):
    """Base class of every error this package raises on purpose."""


class DecodeError(GbcsError, ValueError):
    """Malformed input: ``reason`` at byte ``offset`` while decoding field ``path``."""

    def __init__(self, reason: str, offset: int = 0, path: str = "") -> None:
        super().__init__(reason, offset, path)
        self.reason = reason
        self.offset = offset
        self.path = path

    def within(self, base_offset: int, path_prefix: str) -> DecodeError:
        """The same error seen from an enclosing layer that starts at ``base_offset``."""
        path = f"{path_prefix}.{self.path}" if path_prefix and self.path else (
            path_prefix or self.path
        )
        return DecodeError(self.reason, base_offset + self.offset, path)

    def __str__(self) -> str:
        where = f" in {self.path}" if self.path else ""
        return f"{self.reason} at offset {self.offset}{where}"


class EncodeError(GbcsError, ValueError):
    """A message or field cannot be encoded (value out of range, wrong type, ...)."""


class CryptoError(GbcsError):
    """A cryptographic operation could not be carried out."""


class KeyNotFoundError(CryptoError, KeyError):
    """The key store holds no key or certificate for the party asked for."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "key not found"
