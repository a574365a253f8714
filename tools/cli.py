"""What the command lines share: one-line usage errors and the outer error handling.

Every error a user can cause ends as one line on stderr, prefixed with the program name,
and exit code 2 — never a traceback or a usage dump.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from gbcs.errors import GbcsError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or input named on the command line."""


class ArgumentParser(argparse.ArgumentParser):
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
