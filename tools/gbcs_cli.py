"""``gbcs``: decode, verify and round-trip GBCS messages.

Exit codes: 0 all good, 1 a verification or round trip failed, 2 malformed input or a
usage error. Each malformed input gets one line on stderr naming the file, the byte
offset and the field; every input is processed.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gbcs.errors import DecodeError, EncodeError
from tools.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, ArgumentParser, UsageError, run
from tools.inputs import MessageInput, iter_inputs

if TYPE_CHECKING:
    from gbcs.message import GbcsMessage

EXIT_MALFORMED = EXIT_USAGE




def _parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="gbcs", description="Decode, verify and round-trip GBCS messages.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    decode = commands.add_parser("decode", help="show messages as a tree or JSON")
    decode.add_argument("--keys", type=Path, action="append",
                        help="key store directory (decrypts sensitive parts); repeatable")
    decode.add_argument("--json", action="store_true", help="print JSON, one document per input")
    verify = commands.add_parser("verify", help="check MACs and signatures")
    verify.add_argument("--keys", type=Path, action="append", required=True,
                        help="key store directory; repeatable, later ones win")
    commands.add_parser("roundtrip", help="decode, re-encode and compare bytes")
    for sub in commands.choices.values():
        sub.add_argument("inputs", nargs="+", metavar="INPUT",
                         help="file, directory (searched for *.HEX) or - for stdin; "
                              "hex or base64 text")
    return parser


class Run:
    """Counts outcomes across inputs and reports malformed ones on stderr."""

    def __init__(self) -> None:
        from gbcs.message import decode_message

        self.passed = self.failed = 0
        self.malformed = False
        self._decode = decode_message

    def decoded(self, item: MessageInput) -> GbcsMessage | None:
        if item.error is not None:
            self.malformed_input(item.label, item.error)
            return None
        try:
            return self._decode(item.data)
        except DecodeError as error:
            self.malformed_input(item.label, str(error))
            return None

    def malformed_input(self, label: str, reason: str) -> None:
        self.malformed = True
        self.failed += 1
        print(f"{label}: malformed: {reason}", file=sys.stderr)

    def summary(self) -> int:
        print(f"{self.passed} passed, {self.failed} failed")
        return self.exit_code()

    def exit_code(self) -> int:
        if self.malformed:
            return EXIT_MALFORMED
        return EXIT_FAILED if self.failed else EXIT_OK


def _load_keys(directories: list[Path] | None):
    """One key store from every ``--keys`` directory (a later one replaces what an
    earlier one holds for the same party and key)."""
    if not directories:
        return None
    from gbcs.crypto import KeyStore

    keys = KeyStore()
    for directory in directories:
        if not directory.is_dir():
            raise UsageError(f"--keys {directory}: not a directory")
        keys.add_directory(directory)
    return keys


def _line(text: str) -> None:
    """``print(text)`` in one write: print writes the newline separately, and with an
    unbuffered stdout (``PYTHONUNBUFFERED``, ``python -u``) every write is a system call."""
    sys.stdout.write(text + "\n")


def cmd_roundtrip(args: argparse.Namespace) -> int:
    run = Run()
    for item in iter_inputs(args.inputs):
        message = run.decoded(item)
        if message is None:
            continue
        try:
            rebuilt = message.to_bytes()
        except EncodeError as error:
            _line(f"FAIL {item.label}: cannot re-encode: {error}")
            run.failed += 1
            continue
        if rebuilt == item.data:
            run.passed += 1
            _line(f"ok   {item.label}")
        else:
            run.failed += 1
            at = next((i for i, (a, b) in enumerate(zip(rebuilt, item.data, strict=False))
                       if a != b), min(len(rebuilt), len(item.data)))
            _line(f"FAIL {item.label}: re-encoded bytes differ from offset {at}")
    return run.summary()


def cmd_verify(args: argparse.Namespace) -> int:
    from gbcs.secure import CheckStatus, verify_message

    keys = _load_keys(args.keys)
    run = Run()
    status_text = {status: status.value for status in CheckStatus}
    for item in iter_inputs(args.inputs):
        message = run.decoded(item)
        if message is None:
            continue
        invalid, checks = False, []
        for check in verify_message(message, keys).checks:
            invalid |= check.status is CheckStatus.INVALID
            checks.append(f"{check.name} {status_text[check.status]}")
        run.failed += invalid
        run.passed += not invalid
        _line(f"{'FAIL' if invalid else 'ok  '} {item.label}: "
              f"{', '.join(checks) or 'nothing to check'}")
    return run.summary()


def cmd_decode(args: argparse.Namespace) -> int:
    import json

    from gbcs.render import message_to_json, render_message

    keys = _load_keys(args.keys)
    run = Run()
    for item in iter_inputs(args.inputs):
        message = run.decoded(item)
        if message is None:
            continue
        run.passed += 1
        if args.json:
            print(json.dumps({"input": item.label, **message_to_json(message, keys)}))
        else:
            print(f"== {item.label}")
            print("\n".join(render_message(message, keys)))
    return run.exit_code()


COMMANDS = {"decode": cmd_decode, "verify": cmd_verify, "roundtrip": cmd_roundtrip}
CODECS = {"decode": "gbcs.render", "verify": "gbcs.secure", "roundtrip": "gbcs.message"}


def _import_codecs(module: str) -> None:
    """Import what a command needs with the cyclic garbage collector paused, then freeze
    all of it.

    Importing builds about a hundred classes and their tables and no garbage: collecting
    meanwhile only traverses them over and over, and so would every later collection,
    the ones at interpreter exit included, which ``gc.freeze()`` spares them (together
    some 30 ms of a run over the RTDS).
    """
    if module in sys.modules:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        importlib.import_module(module)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    def body() -> int:
        args = _parser().parse_args(argv)
        _import_codecs(CODECS[args.command])
        return COMMANDS[args.command](args)

    return run("gbcs", body)


if __name__ == "__main__":
    sys.exit(main())
