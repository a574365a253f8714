"""The HTML report in headless Chromium: no console errors, nothing fetched, working JS.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages ending in NUL on file descriptors 3 and 4). The page is a report of a real
run (the DCC service and an emulated rack; the devices have no use-case handlers, so the
8.11 command is sent and fails) plus the hand-made results of ``test_reports``, which
carry DCC alerts, a skipped step and a scenario that could not run. Needs Debian's
``chromium`` package at /usr/bin/chromium.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path

import pytest

from firmware_emu.registry import Registry
from firmware_emu.reports import write_reports
from firmware_emu.scenarios.loader import load_builtin
from firmware_emu.scenarios.session import open_session
from tests.test_reports import _results

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_S = 60.0

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt-get install chromium)")


class DevTools:
    """A minimal DevTools protocol client over Chromium's debugging pipe."""

    def __init__(self, user_data_dir: Path) -> None:
        to_browser_read, self._write = os.pipe()
        self._read, from_browser_write = os.pipe()

        def child_fds() -> None:  # the browser reads fd 3 and writes fd 4
            high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self.process = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--remote-debugging-pipe",
             f"--user-data-dir={user_data_dir}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, close_fds=False)  # our other fds are close-on-exec
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._read], [], [], remaining)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise ConnectionError("Chromium closed the debugging pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None
             ) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.events.append(self._message(deadline))

    def settle(self, seconds: float = 0.5) -> None:
        """Collect the events that arrive within ``seconds``."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._message(deadline))
        except TimeoutError:
            pass

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):  # it may be gone already
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._read)
        os.close(self._write)


def _report(directory: Path) -> Path:
    async def run():
        scenarios = [load_builtin("IC02")]
        session = await open_session(scenarios, registry=Registry())
        try:
            return await session.run(scenarios)
        finally:
            await session.close()

    results = [*asyncio.run(run()), *_results()]
    write_reports(results, directory)
    return directory / "report.html"


def _problems(events: list[dict]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')} "
                         f"{params['exceptionDetails'].get('exception', {}).get('description')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert",
                                                                              "warning"):
            found.append(f"console.{params['type']}: "
                         + " ".join(str(a.get("value", a.get("description")))
                                    for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error",
                                                                              "warning"):
            found.append(f"log {params['entry']['level']}: {params['entry'].get('text')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:")):
                found.append(f"fetched {url}")
        elif method == "Network.loadingFailed":
            found.append(f"load failed: {params.get('errorText')}")
    return found


INTERACT = """
(() => {
  const out = {};
  out.svgs = document.querySelectorAll('svg.sequence').length;
  out.failedOpen = [...document.querySelectorAll('details.step-failed')].every(d => d.open);
  document.getElementById('expand-all').click();
  out.allOpen = [...document.querySelectorAll('details')].every(d => d.open);
  document.getElementById('collapse-all').click();
  out.noneOpen = [...document.querySelectorAll('details')].every(d => !d.open);
  const box = document.getElementById('failed-only');
  box.click();
  const passed = document.querySelector('details.step-passed');
  out.passedHidden = getComputedStyle(passed).display === 'none';
  box.click();
  out.passedShown = getComputedStyle(passed).display !== 'none';
  const arrow = document.querySelector('svg a.arrow');
  out.link = arrow.getAttribute('href');
  arrow.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
  return out;
})()
"""


def test_the_report_renders_in_chromium_without_console_errors(tmp_path):
    page = _report(tmp_path / "report")
    browser = DevTools(tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")
        result = browser.send("Runtime.evaluate", {"expression": INTERACT,
                                                   "returnByValue": True}, session=session)
        assert "exceptionDetails" not in result, result
        seen = result["result"]["value"]
        browser.settle()
        opened = browser.send("Runtime.evaluate", {
            "expression": "(() => { const d = document.getElementById(location.hash.slice(1));"
                          " return [location.hash, d !== null && d.open,"
                          " d !== null && d.closest('details.step').open]; })()",
            "returnByValue": True}, session=session)["result"]["value"]
        problems = _problems(browser.events)
    finally:
        browser.close()
    assert problems == []
    assert seen["svgs"] >= 3 and seen["failedOpen"]
    assert seen["allOpen"] and seen["noneOpen"]
    assert seen["passedHidden"] and seen["passedShown"]
    assert opened == ["#" + seen["link"][1:], True, True]  # an arrow opens its message
