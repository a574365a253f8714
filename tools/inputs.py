"""Reading message inputs named on a command line: files, directories, or ``-``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gbcs.errors import DecodeError
from gbcs.textio import message_bytes


@dataclass(frozen=True)
class MessageInput:
    label: str
    data: bytes | None = None
    error: str | None = None


def _hex_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.upper() == ".HEX")


def iter_inputs(names: list[str]) -> Iterator[MessageInput]:
    """One :class:`MessageInput` per message; unreadable or malformed text gives an error
    entry instead of stopping the run."""
    for name in names:
        if name == "-":
            yield _from_text("<stdin>", sys.stdin.read())
            continue
        path = Path(name)
        if path.is_dir():
            files = _hex_files(path)
            if not files:
                yield MessageInput(name, error="directory holds no *.HEX files")
            for file in files:
                yield _from_file(file)
        elif path.is_file():
            yield _from_file(path)
        else:
            yield MessageInput(name, error="no such file or directory")


def _from_file(path: Path) -> MessageInput:
    try:
        text = path.read_bytes()
    except OSError as error:
        return MessageInput(str(path), error=f"cannot read: {error.strerror}")
    return _from_text(str(path), text)


def _from_text(label: str, text: str | bytes) -> MessageInput:
    try:
        return MessageInput(label, data=message_bytes(text))
    except DecodeError as error:
        return MessageInput(label, error=str(error))
