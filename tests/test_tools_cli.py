"""What both command lines share: help wrapped to the terminal without ``shutil``."""

from __future__ import annotations

import pytest

from tools.cli import ArgumentParser, UsageError, _terminal_columns


def test_terminal_columns_follow_the_columns_variable(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "57")
    assert _terminal_columns() == 57
    monkeypatch.setenv("COLUMNS", "wide")
    assert _terminal_columns() >= 1


def test_help_wraps_to_the_terminal_width(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    parser = ArgumentParser(prog="x")
    parser.add_argument("--flag", help="word " * 30)
    assert max(len(line) for line in parser.format_help().splitlines()) <= 40


def test_errors_are_usage_errors_not_exits() -> None:
    with pytest.raises(UsageError, match="unrecognized arguments"):
        ArgumentParser(prog="x").parse_args(["--nope"])
