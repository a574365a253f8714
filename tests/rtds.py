"""Access to the DCC Reference Test Data Set (RTDS) for the tests.

The RTDS stays outside the repository: it is read from ``../shared/rtds`` beside the
checkout, or from the directory named by ``GBCS_RTDS_DIR``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
_KIND = re.compile(r"_(PRECOMMAND|COMMAND|RESPONSE|ALERT)(_|$)")


def rtds_root() -> Path:
    configured = os.environ.get("GBCS_RTDS_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "rtds"


def messages_dir() -> Path:
    root = rtds_root()
    nested = root / "RTDS-4.5.0"
    return nested if nested.is_dir() else root


def keystore_dir() -> Path:
    return rtds_root() / "keystore"


@dataclass(frozen=True)
class RtdsMessage:
    path: Path
    kind: str  # PRECOMMAND, COMMAND, RESPONSE or ALERT
    use_case_folder: str

    @property
    def name(self) -> str:
        return f"{self.use_case_folder}/{self.path.name}"

    @property
    def data(self) -> bytes:
        return bytes.fromhex(re.sub(r"[^0-9A-Fa-f]", "", self.path.read_text()))


@cache
def all_messages() -> tuple[RtdsMessage, ...]:
    found = []
    for path in sorted(messages_dir().rglob("*.HEX")):
        match = _KIND.search(path.stem)
        kind = match.group(1) if match else "UNKNOWN"
        found.append(RtdsMessage(path, kind, path.parent.name))
    return tuple(found)


def message(relative: str) -> RtdsMessage:
    """One RTDS message by ``<folder>/<file>`` (the ``_GBCS.HEX`` suffix may be left off)."""
    if not relative.endswith(".HEX"):
        relative += "_GBCS.HEX"
    path = messages_dir() / relative
    match = _KIND.search(path.stem)
    return RtdsMessage(path, match.group(1) if match else "UNKNOWN", path.parent.name)


def content_of(data: bytes) -> tuple[int, bytes]:
    """(message code, content bytes) of an RTDS message, read straight off the wire.

    A deliberately independent reading of the outer framing, used by payload-codec tests
    so that they do not depend on the framing codec they are not testing.
    """
    pos = 0
    if data[0] == 0xDD:
        pos = 7
        pos += 1 if data[pos] < 0x80 else 1 + (data[pos] & 0x7F)
        pos += 5
    assert data[pos] == 0xDF
    pos += 1 + 1 + 9  # tag, transaction-id length, CRA flag + counter
    pos += 9 + 9  # originator and recipient system titles
    pos += 1 + data[pos]  # date-time

    def length_at(at: int) -> tuple[int, int]:
        first = data[at]
        if first < 0x80:
            return first, at + 1
        size = first & 0x7F
        return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size

    other_length, pos = length_at(pos)
    code = int.from_bytes(data[pos:pos + 2], "big")
    pos += other_length
    content_length, pos = length_at(pos)
    return code, data[pos:pos + content_length]
