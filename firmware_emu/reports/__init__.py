"""Reports of scenario runs: JUnit XML for CI and a self-contained HTML page for people."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from firmware_emu.reports.html import render_html, write_html
from firmware_emu.reports.junit import junit_tree, write_junit
from firmware_emu.scenarios.results import ScenarioResult

JUNIT_FILE = "junit.xml"
HTML_FILE = "report.html"


def write_reports(results: Sequence[ScenarioResult], directory: Path | str) -> list[Path]:
    """``junit.xml`` and ``report.html`` in ``directory`` (created if missing)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [write_junit(results, directory / JUNIT_FILE),
            write_html(results, directory / HTML_FILE)]


__all__ = ["HTML_FILE", "JUNIT_FILE", "junit_tree", "render_html", "write_html",
           "write_junit", "write_reports"]
