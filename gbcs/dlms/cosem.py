"""COSEM names: OBIS codes, interface classes and the GBCS objects (primer §8.2.5-§8.2.8, §11).

Lets a dissector say ``0-0:30.3.0.255 CHF Device Log (ZigBee Network Control)`` and an
emulator look objects up by ``(class id, OBIS)``. The interface class and object tables
live in :mod:`gbcs.dlms.cosem_names`, imported when first used (decoding needs only
:class:`ObisCode`).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from gbcs.value_type import value_type

# =====================================================================================
# OBIS code
# =====================================================================================

_OBIS_TEXT = r"(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})"
"""Compiled (and cached by :mod:`re`) on first use: decoding never parses OBIS text."""


@value_type(order=True)
class ObisCode:
    """A COSEM logical name: six bytes A..F, written ``A-B:C.D.E.F``."""

    raw: bytes

    def __post_init__(self) -> None:
        if type(self.raw) is not bytes or len(self.raw) != 6:
            raise ValueError(f"an OBIS code is 6 bytes, not {self.raw!r}")

    @classmethod
    def parse(cls, text: str) -> ObisCode:
        """From ``"0-0:30.3.0.255"``."""
        match = re.fullmatch(_OBIS_TEXT, text.strip())
        if match is None:
            raise ValueError(f"not an OBIS code A-B:C.D.E.F: {text!r}")
        groups = [int(group) for group in match.groups()]
        if max(groups) > 255:
            raise ValueError(f"OBIS code group above 255: {text!r}")
        return cls(bytes(groups))

    def to_bytes(self) -> bytes:
        return self.raw

    @property
    def groups(self) -> tuple[int, int, int, int, int, int]:
        a, b, c, d, e, f = self.raw
        return a, b, c, d, e, f

    def __str__(self) -> str:
        a, b, c, d, e, f = self.raw
        return f"{a}-{b}:{c}.{d}.{e}.{f}"

    def __repr__(self) -> str:
        return f"ObisCode.parse({str(self)!r})"


_set_raw = ObisCode.__dict__["raw"].__set__


@lru_cache(maxsize=4096)
def obis_from_bytes(raw: bytes) -> ObisCode:
    """The (shared) OBIS code of 6 bytes: decoders meet the same few codes again and again."""
    if len(raw) != 6:
        raise ValueError(f"an OBIS code is 6 bytes, not {raw!r}")
    code = object.__new__(ObisCode)
    _set_raw(code, bytes(raw))
    return code


def obis(text: str) -> ObisCode:
    """Shorthand for :meth:`ObisCode.parse`."""
    return ObisCode.parse(text)


_NAMES = frozenset({
    "COSEM_OBJECTS", "INTERFACE_CLASSES", "CosemObject", "InterfaceClass", "class_name",
    "cosem_object", "describe_attribute", "describe_method", "describe_object",
    "interface_class",
})
"""What :mod:`gbcs.dlms.cosem_names` defines, reachable from here as before."""


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("gbcs.dlms.cosem_names"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_NAMES})
