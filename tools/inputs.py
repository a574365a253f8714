"""Reading message inputs named on a command line: files, directories, or ``-``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from gbcs.errors import DecodeError
from gbcs.textio import message_bytes
from gbcs.value_type import value_type


@value_type
class MessageInput:
    """One message named on the command line: its bytes, or why there are none."""

    label: str
    data: bytes | None = None
    error: str | None = None


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _hex_files(directory: Path) -> list[str]:
    """Every ``*.HEX`` file (any case) under ``directory``, sorted as paths, each named
    as ``str()`` of its :class:`Path`.

    The files ``rglob("*")`` + ``is_file()`` find (symlinked directories are not
    descended), listed with ``os.scandir`` and sorted on their path components: making
    and sorting a ``Path`` per file took about as long as reading the files.
    """
    base = str(directory)
    found: list[tuple[tuple[str, ...], str]] = []  # (path components, path)
    pending: list[tuple[str, tuple[str, ...]]] = [(base, ())]
    while pending:
        folder, parts = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir() and not entry.is_symlink():
                    pending.append((entry.path, (*parts, name)))
                elif name[-4:].upper() == ".HEX" and _suffix(name) and entry.is_file():
                    found.append(((*parts, name), entry.path))
            except OSError:
                continue
    # Path order compares components, case-folded where the file system folds case.
    if os.path.normcase("A") == "A":
        found.sort()
    else:
        found.sort(key=lambda item: tuple(map(os.path.normcase, item[0])))
    if base == ".":  # Path(".") / "x" is "x"
        return [os.path.join(*parts) for parts, _ in found]
    return [path for _, path in found]


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


_READ_SIZE = 1 << 16


def _read_bytes(path: str | Path) -> bytes:
    """``path.read_bytes()`` with fewer system calls (no buffered file object, no size or
    terminal probing): they are much of the cost of reading a thousand small files."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, _READ_SIZE):
            chunks.append(chunk)
            if len(chunk) < _READ_SIZE:  # a regular file reads short only at its end
                break
    finally:
        os.close(fd)
    return b"".join(chunks)


def _from_file(path: str | Path) -> MessageInput:
    try:
        text = _read_bytes(path)
    except OSError as error:
        return MessageInput(str(path), error=f"cannot read: {error.strerror}")
    return _from_text(str(path), text)


def _from_text(label: str, text: str | bytes) -> MessageInput:
    try:
        return MessageInput(label, data=message_bytes(text))
    except DecodeError as error:
        return MessageInput(label, error=str(error))
