"""A self-contained HTML report of scenario runs (inline CSS, JS and SVG; nothing fetched).

Per scenario: the verdict, then every step with its DUIS response code (expected and
got), the DCC alerts seen, the expectations checked, a message sequence diagram and each
exchanged message expandable (``<details>``) to its decoded GBCS tree. Failed steps open
by default. A Content-Security-Policy forbids loading anything from outside the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from firmware_emu.reports.sequence_svg import sequence_svg
from firmware_emu.scenarios.results import (
    ExchangeRecord,
    ScenarioResult,
    StepResult,
    StepStatus,
)

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:")

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#111827;
background:#f9fafb}
header{background:#111827;color:#f9fafb;padding:16px 24px}
header h1{margin:0 0 4px;font-size:20px}
main{padding:16px 24px;max-width:1400px}
table{border-collapse:collapse;background:#fff;margin:8px 0 16px}
th,td{border:1px solid #d1d5db;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;
color:#fff}
.passed{background:#15803d}.failed{background:#b91c1c}.skipped{background:#6b7280}
section.scenario{background:#fff;border:1px solid #d1d5db;border-radius:6px;padding:8px 16px;
margin:16px 0}
details.step{border-top:1px solid #e5e7eb;border-left:6px solid #15803d;padding:6px 0 6px 8px;
margin:2px 0}
details.step.step-failed{border-left-color:#b91c1c;background:#fef2f2}
details.step.step-skipped{border-left-color:#6b7280;color:#4b5563}
details.step>summary{cursor:pointer;font-weight:600}
details.exchange{margin:2px 0 2px 16px}
details.exchange>summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:12px}
pre{background:#f3f4f6;padding:8px;overflow:auto;font-size:12px;margin:4px 0}
ul.reasons{color:#b91c1c;margin:4px 0}
.check-ok{color:#15803d}.check-bad{color:#b91c1c}
.code{font-family:ui-monospace,monospace}
.toolbar button,.toolbar label{margin-right:12px}
svg.sequence{background:#fff;display:block;margin:6px 0;max-width:100%;height:auto}
svg .lifeline-head{fill:#eef2ff;stroke:#6366f1}
svg .lifeline{stroke:#9ca3af;stroke-dasharray:4 4}
svg .lifeline-title{font:600 12px system-ui,sans-serif}
svg .lifeline-sub{font:10px ui-monospace,monospace;fill:#4b5563}
svg .arrow-label{font:11px ui-monospace,monospace}
svg a.arrow:hover text{text-decoration:underline}
body.failed-only details.step:not(.step-failed){display:none}
"""

_JS = """
(function () {
  function openTarget(id) {
    var node = id ? document.getElementById(id) : null;
    while (node) {
      if (node.tagName === 'DETAILS') { node.open = true; }
      node = node.parentElement;
    }
  }
  function setAll(open) {
    var all = document.querySelectorAll('details');
    for (var i = 0; i < all.length; i++) { all[i].open = open; }
  }
  document.getElementById('expand-all').addEventListener('click', function () {
    setAll(true);
  });
  document.getElementById('collapse-all').addEventListener('click', function () {
    setAll(false);
  });
  document.getElementById('failed-only').addEventListener('change', function (event) {
    document.body.classList.toggle('failed-only', event.target.checked);
  });
  window.addEventListener('hashchange', function () {
    openTarget(decodeURIComponent(window.location.hash.slice(1)));
  });
  if (window.location.hash) { openTarget(decodeURIComponent(window.location.hash.slice(1))); }
})();
"""


def _badge(status: str) -> str:
    return f'<span class="badge {status}">{escape(status.upper())}</span>'


def _exchange(exchange: ExchangeRecord, anchor: str) -> str:
    summary = f"{exchange.direction}  {exchange.label}"
    if exchange.summary:
        summary += f" \u2014 {exchange.summary}"
    body = []
    if exchange.tree:
        body.append(f"<pre>{escape(chr(10).join(exchange.tree))}</pre>")
    if exchange.decode_error:
        body.append(f'<p class="check-bad">not decoded: {escape(exchange.decode_error)}</p>')
    if exchange.text:
        body.append(f"<pre>{escape(exchange.text)}</pre>")
    if exchange.wire_hex:
        body.append(f'<details><summary>wire ({len(exchange.wire_hex) // 2} bytes)</summary>'
                    f'<pre class="code">{escape(exchange.wire_hex)}</pre></details>')
    if not body:
        body.append("<p>(no content recorded)</p>")
    return (f'<details class="exchange" id="{anchor}"><summary>{escape(summary)}</summary>'
            f'{"".join(body)}</details>')


def _step(step: StepResult, anchor: str) -> str:
    status = step.status.value
    opened = " open" if step.status is StepStatus.FAILED else ""
    alerts = ", ".join(a.code for a in step.alerts) or "none"
    head = (f"{step.index:02d} &middot; SRV {escape(step.srv_id)} {escape(step.label)} "
            f"&rarr; {escape(step.target)} &middot; expected "
            f'<span class="code">{escape(step.expected_response or "-")}</span>, got '
            f'<span class="code">{escape(step.response_code or "-")}</span> &middot; '
            f"DCC alerts: {escape(alerts)} {_badge(status)}")
    parts = [f'<details class="step step-{status}" id="{anchor}"{opened}>'
             f"<summary>{head}</summary>"]
    if step.reasons:
        parts.append('<ul class="reasons">' + "".join(f"<li>{escape(r)}</li>"
                                                      for r in step.reasons) + "</ul>")
    facts = [("SRV", f"{step.srv_id} {step.srv_name}"), ("request ID", step.request_id),
             ("command variant", "" if step.command_variant is None
              else str(step.command_variant)),
             ("acknowledgement", step.acknowledgement), ("DCC detail", step.detail),
             ("response data", step.response_data),
             ("duration", f"{step.duration_s:.3f} s")]
    parts.append("<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>"
                                     for k, v in facts if v) + "</table>")
    if step.alerts:
        parts.append("<table><tr><th>DCC alert</th><th>after</th><th>source</th>"
                     "<th>text</th></tr>" + "".join(
                         f'<tr><td class="code">{escape(a.code)}</td><td>{a.after_s:.1f} s'
                         f"</td><td>{escape(a.source)}</td><td>{escape(a.text)}</td></tr>"
                         for a in step.alerts) + "</table>")
    if step.checks:
        parts.append("<ul>" + "".join(
            f'<li class="{"check-ok" if c.passed else "check-bad"}">'
            f'{"&#10003;" if c.passed else "&#10007;"} {escape(c.description)}'
            + (f" (observed: {escape(c.observed)})" if c.observed else "") + "</li>"
            for c in step.checks) + "</ul>")
    if step.status is not StepStatus.SKIPPED:
        parts.append(sequence_svg(step, anchor_prefix=f"{anchor}-ex"))
    parts.extend(_exchange(exchange, f"{anchor}-ex-{number}")
                 for number, exchange in enumerate(step.exchanges, start=1))
    parts.append("</details>")
    return "\n".join(parts)


def _scenario(result: ScenarioResult, anchor: str) -> str:
    verdict = "passed" if result.passed else "failed"
    parts = [f'<section class="scenario" id="{anchor}">',
             f"<h2>{escape(result.name)} &mdash; {escape(result.title)} {_badge(verdict)}</h2>"]
    if result.description:
        parts.append(f"<p>{escape(result.description)}</p>")
    facts = [("reference", result.reference), ("rack", result.rack), ("user", result.user),
             ("started", result.started), ("result", result.summary)]
    parts.append("<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>"
                                     for k, v in facts if v) + "</table>")
    if result.error:
        parts.append(f'<ul class="reasons"><li>{escape(result.error)}</li></ul>')
    parts.extend(_step(step, f"{anchor}-step-{step.index}") for step in result.steps)
    parts.append("</section>")
    return "\n".join(parts)


def _overview(results: Sequence[ScenarioResult]) -> str:
    rows = []
    for number, result in enumerate(results, start=1):
        verdict = "passed" if result.passed else "failed"
        alerts = sorted({a.code for s in result.steps for a in s.alerts})
        codes = sorted({s.response_code for s in result.steps if s.response_code})
        rows.append(
            f'<tr><td><a href="#scenario-{number}">{escape(result.name)}</a></td>'
            f"<td>{escape(result.title)}</td><td>{_badge(verdict)}</td>"
            f"<td>{result.count(StepStatus.PASSED)}</td><td>{result.count(StepStatus.FAILED)}"
            f"</td><td>{result.count(StepStatus.SKIPPED)}</td>"
            f'<td class="code">{escape(" ".join(codes))}</td>'
            f'<td class="code">{escape(" ".join(alerts))}</td>'
            f"<td>{result.duration_s:.2f} s</td></tr>")
    return ("<table><tr><th>scenario</th><th>title</th><th>verdict</th><th>passed</th>"
            "<th>failed</th><th>skipped</th><th>DUIS response codes</th><th>DCC alerts</th>"
            "<th>duration</th></tr>" + "".join(rows) + "</table>")


def render_html(results: Sequence[ScenarioResult], *, title: str = "fwemu scenario report",
                generated: datetime | None = None) -> str:
    generated = generated or datetime.now(UTC)
    passed = sum(result.passed for result in results)
    body = [
        f"<header><h1>{escape(title)}</h1><div>{len(results)} scenario(s): {passed} passed, "
        f"{len(results) - passed} failed &middot; generated "
        f"{escape(generated.isoformat(timespec='seconds'))}</div></header>",
        '<main><div class="toolbar"><button type="button" id="expand-all">Expand all</button>'
        '<button type="button" id="collapse-all">Collapse all</button>'
        '<label><input type="checkbox" id="failed-only"> failed steps only</label></div>',
        _overview(results),
        *(_scenario(result, f"scenario-{number}")
          for number, result in enumerate(results, start=1)),
        "</main>",
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,">'
            f"<title>{escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + f"\n<script>{_JS}</script>\n</body></html>\n")


def write_html(results: Sequence[ScenarioResult], path: Path | str, **options: object) -> Path:
    path = Path(path)
    path.write_text(render_html(results, **options), encoding="utf-8")
    return path
