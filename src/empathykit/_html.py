"""Self-contained HTML pages: one report, and an index of a batch.

Every page is one file with no external assets and no script: styles are inline, the
sentiment line is inline SVG, and a Content-Security-Policy forbids scripts and remote
content. Every piece of text that comes from a conversation, an id, or a scorer (rule
ids, explanations, behaviour names) is escaped with :func:`html.escape`, so a turn
containing ``<script>`` or an ``onerror=`` attribute shows as text.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._version import __version__

if TYPE_CHECKING:
    from ._results import DimensionScore, Evidence, Report

__all__ = ["BEHAVIOUR_COLOURS", "index_html", "page_name", "report_html"]

#: Highlight colour of each built-in behaviour; other behaviours get one of _PALETTE.
BEHAVIOUR_COLOURS: Mapping[str, str] = {
    "active_listening": "#bfdbfe",
    "emotional_acknowledgement": "#fbcfe8",
    "apology": "#fde68a",
    "solution_offer": "#bbf7d0",
}
_PALETTE = ("#ddd6fe", "#fed7aa", "#a5f3fc", "#d9f99d", "#e9d5ff", "#fecdd3")
_PENALTY_COLOUR = "#fecaca"

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; color: var(--muted);
     text-transform: uppercase; letter-spacing: .05em; }
.overall { font-size: 2.2rem; font-weight: 700; }
.muted { color: var(--muted); }
.gauges { display: flex; flex-wrap: wrap; gap: .75rem; }
.gauge { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem .75rem;
         width: 13.5rem; text-align: center; }
.gauge .name { font-weight: 600; overflow-wrap: anywhere; }
.gauge .value { font-size: 1.4rem; font-weight: 700; margin-top: -1.6rem; }
.gauge.na .value { color: var(--muted); }
.gauge .swatch { display: inline-block; width: .8rem; height: .8rem;
                 border-radius: .2rem; vertical-align: -.05rem; margin-right: .3rem; }
svg { display: block; max-width: 100%; height: auto; }
.trajectory { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem; }
ol.transcript { list-style: none; padding: 0; margin: 0; }
.turn { border-left: 4px solid var(--line); padding: .4rem .75rem; margin: .5rem 0;
        border-radius: .25rem; }
.turn.agent { border-left-color: #60a5fa; background: #f8fafc; }
.turn.customer { border-left-color: #f59e0b; }
.who { font-size: .85rem; color: var(--muted); }
.who b { color: var(--ink); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.chip { display: inline-block; border-radius: 1rem; padding: 0 .45rem; margin-left: .3rem;
        font-size: .75rem; color: var(--ink); }
mark.ev { background: var(--c); border-radius: .2rem; padding: 0 .05rem;
          position: relative; color: inherit; cursor: help; }
mark.ev.multi { box-shadow: inset 0 -3px 0 var(--c2); }
mark.ev.penalty { text-decoration: underline wavy #dc2626; }
mark.ev:hover::after { content: attr(data-tip); position: absolute; left: 0; top: 1.6em;
        z-index: 10; white-space: pre; background: #111827; color: #f9fafb;
        font-size: .8rem; padding: .3rem .5rem; border-radius: .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child { text-align: left; overflow-wrap: anywhere; }
td.na { color: var(--muted); }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); }
"""


def _colour(name: str) -> str:
    key = name.encode("utf-8", "surrogatepass")  # a name may hold lone surrogates
    return BEHAVIOUR_COLOURS.get(name) or _PALETTE[zlib.crc32(key) % len(_PALETTE)]


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "N/A"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _label(name: str) -> str:
    return name.replace("_", " ")


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n<footer>Made by empathykit {escape(__version__)}.</footer>\n"
        "</body>\n</html>\n"
    )


# -- one report ---------------------------------------------------------------------------


def _gauge(dim: DimensionScore) -> str:
    value = dim.value
    colour = _colour(dim.name)
    track = (
        '<path d="M 10 60 A 50 50 0 0 1 110 60" fill="none" stroke="#e5e7eb" stroke-width="12"/>'
    )
    arc = ""
    if value is not None and value > 0:
        angle = math.pi * (1 - value)
        x, y = 60 + 50 * math.cos(angle), 60 - 50 * math.sin(angle)
        arc = (
            f'<path d="M 10 60 A 50 50 0 0 1 {x:.2f} {y:.2f}" fill="none" '
            f'stroke="{colour}" stroke-width="12"/>'
        )
    if value is None:
        track = track.replace('stroke="#e5e7eb"', 'stroke="#f3f4f6" stroke-dasharray="4 4"')
    name = escape(dim.name)
    kind = " (penalty)" if dim.penalty else ""
    detail = (
        "no opportunity in this conversation"
        if value is None
        else f"{dim.opportunities} opportunit{'y' if dim.opportunities == 1 else 'ies'}"
        f" · {len(dim.evidence)} evidence"
    )
    svg = (
        f'<svg viewBox="0 0 120 70" width="120" height="70" role="img" '
        f'aria-label="{escape(_label(dim.name))}: {_fmt(value)}">{track}{arc}</svg>'
    )
    return (
        f'<div class="gauge{" na" if value is None else ""}" data-behaviour="{name}">'
        f'<div class="name"><span class="swatch" style="background:{colour}"></span>'
        f"{escape(_label(dim.name))}{kind}</div>"
        f'<div style="display:flex;justify-content:center">{svg}</div>'
        f'<div class="value">{_fmt(value)}</div>'
        f'<div class="muted">{detail}</div></div>'
    )


def _trajectory(report: Report) -> str:
    values = report.sentiment.turns
    points = [(i, v) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    if not points:
        return '<p class="muted">No customer turns to read the tone of.</p>'
    width, height, pad = 600, 140, 24
    span = max(len(values) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (index / span if len(values) > 1 else 0.5)
        y = height / 2 - value * (height / 2 - pad)
        return x, y

    coords = [xy(i, v) for i, v in points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#f59e0b">'
        f"<title>turn {i}: {v:+.2f}</title></circle>"
        for (i, v), (x, y) in zip(points, coords, strict=True)
    )
    mid = height / 2
    axes = (
        f'<line x1="{pad}" y1="{mid}" x2="{width - pad}" y2="{mid}" stroke="#d1d5db" '
        'stroke-dasharray="4 4"/>'
        f'<text x="2" y="{pad + 4}" font-size="11" fill="#6b7280">+1</text>'
        f'<text x="6" y="{mid + 4}" font-size="11" fill="#6b7280">0</text>'
        f'<text x="2" y="{height - pad + 4}" font-size="11" fill="#6b7280">−1</text>'
    )
    shift = report.sentiment.shift
    caption = (
        f"Customer tone (VADER compound, customer turns only): "
        f"{_fmt(report.sentiment.start, True)} → {_fmt(report.sentiment.end, True)}"
        + (f", shift {_fmt(shift, True)}" if shift is not None else "")
    )
    return (
        f'<div class="trajectory"><svg class="sentiment" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(caption)}">'
        f'{axes}<polyline points="{line}" fill="none" stroke="#f59e0b" stroke-width="2"/>'
        f'{dots}</svg><div class="muted">{escape(caption)}</div></div>'
    )


def _tip(evidence: Sequence[Evidence]) -> str:
    return "\n".join(f"{ev.rule} ({ev.weight:+.2f}): {ev.explanation}" for ev in evidence)


def _highlight(text: str, evidence: Sequence[Evidence], owner: Mapping[int, str]) -> str:
    """The turn's text, escaped, with each evidence span in a ``<mark>``.

    Overlapping spans are cut at every boundary, so each piece of text is in at most
    one mark, which lists every rule that covers it.
    """
    if not evidence:
        return escape(text)
    cuts = sorted({0, len(text), *(e.start for e in evidence), *(e.end for e in evidence)})
    parts: list[str] = []
    for start, end in itertools.pairwise(cuts):
        piece = escape(text[start:end])
        covering = [e for e in evidence if e.start <= start and end <= e.end]
        if not covering:
            parts.append(piece)
            continue
        behaviours = list(dict.fromkeys(owner[id(e)] for e in covering))
        penalty = any(e.weight < 0 for e in covering)
        colours = [_PENALTY_COLOUR if penalty else _colour(behaviours[0])]
        if len(behaviours) > 1:
            colours.append(_colour(behaviours[1]))
        style = f"--c:{colours[0]}" + (f";--c2:{colours[1]}" if len(colours) > 1 else "")
        classes = "ev" + (" multi" if len(behaviours) > 1 else "") + (" penalty" if penalty else "")
        tip = escape(_tip(covering))
        rules = escape(" ".join(dict.fromkeys(e.rule for e in covering)))
        parts.append(
            f'<mark class="{classes}" style="{style}" '
            f'data-behaviour="{escape(" ".join(behaviours))}" data-rules="{rules}" '
            f'title="{tip}" data-tip="{tip}">{piece}</mark>'
        )
    return "".join(parts)


def _turns(report: Report) -> str:
    owner = {id(ev): dim.name for dim in report.scores for ev in dim.evidence}
    by_turn: dict[int, list[Evidence]] = {}
    for dim in report.scores:
        for ev in dim.evidence:
            by_turn.setdefault(ev.turn, []).append(ev)
    items: list[str] = []
    for index, turn in enumerate(report.conversation.turns):
        role = turn.role.value
        speaker = turn.speaker if turn.speaker and turn.speaker.casefold() != role else None
        who = f"<b>{escape(role.capitalize())}</b>" + (f" ({escape(speaker)})" if speaker else "")
        if turn.timestamp:
            who += f' <span class="muted">{escape(turn.timestamp)}</span>'
        chips: list[str] = []
        tone = report.sentiment.turns[index]
        if tone is not None:
            chips.append(f'<span class="chip" style="background:#fef3c7">tone {tone:+.2f}</span>')
        for dim in report.scores:
            value = dim.turn_scores[index]
            if value:
                chips.append(
                    f'<span class="chip" style="background:{_colour(dim.name)}">'
                    f"{escape(_label(dim.name))} {value:.2f}</span>"
                )
            if index in dim.opportunity_turns:
                chips.append(
                    f'<span class="chip" style="border:1px dashed {_colour(dim.name)}">'
                    f"opportunity: {escape(_label(dim.name))}</span>"
                )
        evidence = sorted(by_turn.get(index, []), key=lambda e: (e.start, e.end, e.rule))
        items.append(
            f'<li class="turn {role}" id="turn-{index}">'
            f'<div class="who">#{index} {who}{"".join(chips)}</div>'
            f'<div class="text">{_highlight(turn.text, evidence, owner)}</div></li>'
        )
    return '<ol class="transcript">' + "\n".join(items) + "</ol>"


def _legend(report: Report) -> str:
    return " ".join(
        f'<span class="chip" style="background:{_colour(dim.name)}">'
        f"{escape(_label(dim.name))}</span>"
        for dim in report.scores
    )


def report_html(report: Report, *, title: str | None = None, back: str | None = None) -> str:
    """A self-contained HTML page of one report (see :meth:`Report.to_html`)."""
    conv_id = report.conversation.id
    heading = title or (f"Conversation {conv_id}" if conv_id else "Conversation")
    nav = f'<p><a href="{escape(back)}">← all conversations</a></p>' if back else ""
    weights = ", ".join(f"{_label(k)} {v:g}" for k, v in report.weights.items())
    body = (
        f"{nav}<h1>{escape(heading)}</h1>"
        f'<div><span class="overall" id="overall">{_fmt(report.overall)}</span> '
        f'<span class="muted">overall (weighted mean of the applicable behaviours; '
        f"weights: {escape(weights)})</span></div>"
        f'<h2>Behaviours</h2><div class="gauges">'
        + "".join(_gauge(dim) for dim in report.scores)
        + "</div>"
        f"<h2>Customer tone</h2>{_trajectory(report)}"
        f'<h2>Transcript</h2><p class="muted">Highlighted: the evidence for each '
        f"behaviour (hover for the rule and why). {_legend(report)}</p>"
        f"{_turns(report)}"
    )
    return _page(heading, body)


# -- a batch ------------------------------------------------------------------------------

_UNSAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


def page_name(number: int, conversation_id: str | None) -> str:
    """A safe, unique file name for the page of the ``number``-th conversation.

    Example:
        >>> page_name(7, "../etc/passwd <x>")
        '000007-etc-passwd-x.html'
    """
    slug = _UNSAFE_NAME_RE.sub("-", conversation_id or "").strip("-.")[:60]
    return f"{number:06d}-{slug}.html" if slug else f"{number:06d}.html"


def index_html(
    rows: Iterable[tuple[Mapping[str, Any], str]], *, title: str = "empathykit reports"
) -> str:
    """An index page of a batch: one row per conversation, sorted by overall (best first).

    Args:
        rows: Each conversation's :func:`~empathykit.io.report_row` and the address of
            its page.
        title: The page title.
    """
    entries = list(rows)
    entries.sort(key=lambda e: (e[0].get("overall") is None, -(e[0].get("overall") or 0.0)))
    names: list[str] = []
    for row, _ in entries:
        for key in row:
            if (
                key not in {"id", "overall", "turns", "evidence"}
                and not key.startswith("sentiment_")
                and not key.endswith("_opportunities")
                and key not in names
            ):
                names.append(key)
    head = (
        "<tr><th>conversation</th><th>overall</th>"
        + "".join(f"<th>{escape(_label(n))}</th>" for n in names)
        + "<th>tone shift</th><th>turns</th></tr>"
    )
    lines: list[str] = []
    for row, href in entries:

        def cell(value: Any, signed: bool = False) -> str:
            text = _fmt(value, signed)
            return f'<td class="na">{text}</td>' if text == "N/A" else f"<td>{text}</td>"

        label = escape(str(row.get("id") or "(no id)"))
        lines.append(
            f'<tr><td><a href="{escape(quote(href))}">{label}</a></td>'
            + cell(row.get("overall"))
            + "".join(cell(row.get(n)) for n in names)
            + cell(row.get("sentiment_shift"), True)
            + f"<td>{escape(str(row.get('turns', '')))}</td></tr>"
        )
    scored: list[float] = [r["overall"] for r, _ in entries if r.get("overall") is not None]
    mean = f"mean overall {sum(scored) / len(scored):.2f}" if scored else "no overall scores"
    body = (
        f"<h1>{escape(title)}</h1>"
        f'<p class="muted">{len(entries)} conversations, {mean}; sorted by overall, best '
        "first. N/A: the behaviour had no opportunity in that conversation.</p>"
        f'<table class="index"><thead>{head}</thead><tbody>' + "\n".join(lines) + "</tbody></table>"
    )
    return _page(title, body)
