"""``fwemu``: run emulated GB smart-metering devices.

Exit codes: 0 success, 1 a case or scenario failed, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.cli import EXIT_FAILED, EXIT_OK, ArgumentParser, UsageError, run
from tools.fwemu_commands import add_commands


def _parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="fwemu", description="Emulated SMETS2+ devices speaking GBCS.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    replay = commands.add_parser("replay", help="answer every RTDS command with emulated "
                                                "devices and compare with the RTDS responses")
    replay.add_argument("tree", type=Path, help="RTDS tree (searched for *_COMMAND_GBCS.HEX)")
    replay.add_argument("--keys", type=Path, required=True, help="RTDS keystore directory")
    replay.add_argument("--out", type=Path, required=True, help="where emulated messages go")
    replay.add_argument("--quiet", action="store_true", help="print failures and the summary")
    run = commands.add_parser("run", help="run a premises headless: GBCS lines on stdin, "
                                          "responses and alerts on stdout")
    run.add_argument("--state", type=Path, required=True,
                     help="directory of the device store (created on first run)")
    run.add_argument("--keys", type=Path, help="remote parties' key store (first run)")
    run.add_argument("--layout", type=Path, help="TOML [devices] EUI-64 = type (first run)")
    run.add_argument("--generate", default="ka,ds",
                     help="device key pairs to generate on first run: ka,ds (default), ds, "
                          "or none when --keys already holds the devices' keys")
    COMMANDS.update(add_commands(commands))
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


def cmd_run(args: argparse.Namespace) -> int:
    import asyncio

    from firmware_emu.handlers import default_registry
    from firmware_emu.headless import HeadlessEmulator, load_layout
    from gbcs.crypto import KeyUsage

    names = {"ka": KeyUsage.KEY_AGREEMENT, "ds": KeyUsage.DIGITAL_SIGNATURE}
    wanted = [part for part in args.generate.split(",") if part and part != "none"]
    if any(part not in names for part in wanted):
        raise UsageError(f"--generate {args.generate}: use ka, ds, ka,ds or none")
    layout = load_layout(args.layout) if args.layout else None

    async def serve() -> None:
        emulator = await HeadlessEmulator.open(
            args.state, default_registry(), layout=layout, keys_dir=args.keys,
            generate=tuple(names[part] for part in wanted))
        await emulator.serve()

    asyncio.run(serve())
    return EXIT_OK


COMMANDS = {"replay": cmd_replay, "run": cmd_run}


def main(argv: list[str] | None = None) -> int:
    def body() -> int:
        args = _parser().parse_args(argv)
        return COMMANDS[args.command](args)

    return run("fwemu", body)


if __name__ == "__main__":
    sys.exit(main())
