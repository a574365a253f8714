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
