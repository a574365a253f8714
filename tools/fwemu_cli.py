"""``fwemu``: run emulated GB smart-metering devices.

Exit codes: 0 success, 1 a case or scenario failed, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gbcs.errors import GbcsError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fwemu", description="Emulated SMETS2+ devices speaking GBCS.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    replay = commands.add_parser("replay", help="answer every RTDS command with emulated "
                                                "devices and compare with the RTDS responses")
    replay.add_argument("tree", type=Path, help="RTDS tree (searched for *_COMMAND_GBCS.HEX)")
    replay.add_argument("--keys", type=Path, required=True, help="RTDS keystore directory")
    replay.add_argument("--out", type=Path, required=True, help="where emulated messages go")
    replay.add_argument("--quiet", action="store_true", help="print failures and the summary")
    return parser


def cmd_replay(args: argparse.Namespace) -> int:
    from firmware_emu.handlers import default_registry
    from firmware_emu.replay import Replay, command_files
    from gbcs.crypto import KeyStore

    if not args.tree.is_dir():
        raise UsageError(f"{args.tree}: not a directory")
    if not args.keys.is_dir():
        raise UsageError(f"--keys {args.keys}: not a directory")
    if not command_files(args.tree):
        raise UsageError(f"{args.tree}: no *_COMMAND_GBCS.HEX files")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out {args.out}: {error.strerror}") from None
    replay = Replay(args.tree, KeyStore.load(args.keys), args.out, default_registry)
    passed = failed = 0
    for result in replay.run():
        passed += result.passed
        failed += not result.passed
        if not (args.quiet and result.passed):
            print(result.line(), flush=True)
    print(f"{passed} passed, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


COMMANDS = {"replay": cmd_replay}


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"fwemu: {error}", file=sys.stderr)
        return EXIT_USAGE
    except GbcsError as error:
        print(f"fwemu: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
