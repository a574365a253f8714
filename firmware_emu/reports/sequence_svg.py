"""Message sequence diagrams (inline SVG) of one scenario step.

Lifelines are the endpoints named by the exchanges' directions (``"user->DCC"``,
``"DCC->device"``...): the user first, then the DCC, then devices in the order they
appear; ``device`` is titled with the step's target. Each arrow links to the exchange's
expandable details in the HTML report (``#<anchor prefix>-<n>``). DCC alerts seen by the
step that no exchange already shows are drawn as DCC -> user arrows at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from firmware_emu.scenarios.results import ExchangeRecord, StepResult

_COLUMN = 240
_MARGIN = 30
_HEAD = 46
_ROW = 36
_LABEL_CHARS = 44
_COLOURS = {"duis": "#1f2937", "gbcs": "#1d4ed8", "alert": "#c2410c", "error": "#b91c1c"}


@dataclass(frozen=True, slots=True)
class Arrow:
    source: str
    destination: str
    label: str
    kind: str  # a key of _COLOURS
    link: str | None = None
    detail: str = ""


def _canonical(endpoint: str) -> str:
    lowered = endpoint.lower()
    if lowered in ("user", "sr", "dcc user", "duis user"):
        return "user"
    if lowered == "dcc":
        return "DCC"
    return endpoint


def _label(exchange: ExchangeRecord) -> str:
    """``command: CCS01 Add Device to CHF device log`` (the first clause of the summary)."""
    detail = (exchange.summary or exchange.text or "").split(",")[0].strip()
    first, _, rest = detail.partition(" ")
    if first.count(":") == 2 and rest:  # a leading DUIS request ID says little on an arrow
        detail = rest
    if not exchange.label:
        return detail
    return f"{exchange.label}: {detail}" if detail and detail != exchange.label \
        else exchange.label


def step_arrows(step: StepResult, anchor_prefix: str) -> list[Arrow]:
    arrows = []
    for number, exchange in enumerate(step.exchanges, start=1):
        source, destination = (_canonical(e) for e in exchange.endpoints)
        text = f"{exchange.label} {exchange.summary} {exchange.text or ''}"
        if "alert" in text.lower():
            kind = "alert"
        elif exchange.wire_hex:
            kind = "gbcs"
        else:
            kind = "duis"
        if destination == "user" and step.response_code.startswith("E") \
                and step.response_code in text:
            kind = "error"
        arrows.append(Arrow(source, destination, _label(exchange), kind,
                            f"{anchor_prefix}-{number}", exchange.summary))
    shown = " ".join(f"{e.label} {e.summary} {e.text or ''}" for e in step.exchanges)
    for alert in step.alerts:
        if alert.code not in shown:
            arrows.append(Arrow("DCC", "user", f"DCC alert {alert.code}", "alert",
                                detail=alert.text))
    return arrows


def _lifelines(arrows: list[Arrow]) -> list[str]:
    names = ["user", "DCC"]
    for arrow in arrows:
        for endpoint in (arrow.source, arrow.destination):
            if endpoint not in names:
                names.append(endpoint)
    return names


def _title(name: str, target: str) -> tuple[str, str]:
    if name == "user":
        return "DCC User", ""
    if name == "DCC":
        return "DCC", "(harness)"
    if name.lower() == "device":
        kind, _, eui = target.partition(" ")
        return kind or "device", eui
    return name, ""


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[:_LABEL_CHARS - 1] + "\u2026"


def sequence_svg(step: StepResult, *, anchor_prefix: str) -> str:
    """An ``<svg>`` element (a string) for ``step``; ids are unique per ``anchor_prefix``."""
    arrows = step_arrows(step, anchor_prefix)
    names = _lifelines(arrows)
    x = {name: _MARGIN + _COLUMN // 2 + index * _COLUMN for index, name in enumerate(names)}
    width = 2 * _MARGIN + len(names) * _COLUMN
    height = _HEAD + max(len(arrows), 1) * _ROW + 24
    marker = f"{anchor_prefix}-arrow"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(f"message sequence of step {step.index}")}">',
           "<defs>"]
    for kind, colour in _COLOURS.items():
        out.append(f'<marker id="{marker}-{kind}" viewBox="0 0 10 10" refX="10" refY="5" '
                   f'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
                   f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    out.append("</defs>")
    for name in names:
        title, subtitle = _title(name, step.target)
        cx = x[name]
        out.append(f'<rect x="{cx - 95}" y="6" width="190" height="32" rx="4" '
                   f'class="lifeline-head"/>')
        out.append(f'<text x="{cx}" y="{20 if subtitle else 27}" text-anchor="middle" '
                   f'class="lifeline-title">{escape(title)}</text>')
        if subtitle:
            out.append(f'<text x="{cx}" y="33" text-anchor="middle" '
                       f'class="lifeline-sub">{escape(subtitle)}</text>')
        out.append(f'<line x1="{cx}" y1="38" x2="{cx}" y2="{height - 8}" class="lifeline"/>')
    for row, arrow in enumerate(arrows):
        y = _HEAD + row * _ROW + 20
        colour = _COLOURS[arrow.kind]
        x1, x2 = x[arrow.source], x[arrow.destination]
        label = escape(_short(arrow.label))
        tooltip = escape(f"{arrow.source} \u2192 {arrow.destination}: {arrow.label}"
                         + (f" \u2014 {arrow.detail}" if arrow.detail else ""))
        parts = [f"<title>{tooltip}</title>"]
        if x1 == x2:
            parts.append(f'<path d="M{x1},{y - 8} h40 v16 h-40" fill="none" '
                         f'stroke="{colour}" stroke-width="1.5" '
                         f'marker-end="url(#{marker}-{arrow.kind})"/>')
            parts.append(f'<text x="{x1 + 46}" y="{y + 4}" class="arrow-label" '
                         f'fill="{colour}">{label}</text>')
        else:
            dash = ' stroke-dasharray="6 4"' if arrow.kind == "alert" else ""
            parts.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" '
                         f'stroke-width="1.5"{dash} marker-end="url(#{marker}-{arrow.kind})"/>')
            parts.append(f'<text x="{(x1 + x2) // 2}" y="{y - 6}" text-anchor="middle" '
                         f'class="arrow-label" fill="{colour}">{label}</text>')
        body = "".join(parts)
        if arrow.link:
            out.append(f'<a href="#{escape(arrow.link)}" class="arrow" '
                       f'data-target="{escape(arrow.link)}">{body}</a>')
        else:
            out.append(f'<g class="arrow">{body}</g>')
    if not arrows:
        out.append(f'<text x="{width // 2}" y="{_HEAD + 20}" text-anchor="middle" '
                   f'class="arrow-label">no messages recorded</text>')
    out.append("</svg>")
    return "\n".join(out)
