"""What the command lines share: one-line usage errors and the outer error handling.

Every error a user can cause ends as one line on stderr, prefixed with the program name,
and exit code 2 — never a traceback or a usage dump.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from gbcs.errors import GbcsError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or input named on the command line."""


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: argparse asks it for every parser and
    argument, and importing ``shutil`` (with its compression modules) costs more than
    a gbcs command spends parsing its arguments."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


class HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _terminal_columns() - 2 if width is None else width)


class ArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise UsageError(message)


def run(prog: str, body: Callable[[], int]) -> int:
    """``body()``'s exit code, with user errors reported as one line (exit 2)."""
    try:
        return body()
    except (UsageError, GbcsError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
