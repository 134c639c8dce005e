"""Hardening, part 4: output is safe — HTML escapes all user text; JSON and CSV round-trip.

The HTML properties parse each page and check that it holds no element or attribute that
the page template itself does not write: whatever a user typed stays text.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import csv
import io as stdio
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import TypedDict

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import empathykit
from empathykit import Conversation, DimensionScore, Evidence, Report, Turn, io
from empathykit._html import index_html, report_html
from empathykit.cli import main
from hostile_strategies import HOSTILE_EXAMPLES, hostile_texts, join_surrogate_pairs

pytestmark = [
    pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

#: Examples per output property: 300 in CI (enough to hit every payload), 3,000 deep.
OUTPUT_EXAMPLES = HOSTILE_EXAMPLES * 3 // 20

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "</textarea></style></title><svg onload=alert(1)>",
    "<!-- -->]]><![CDATA[",
    "&lt;already escaped&gt; &amp;",
    "javascript:alert(1)",
    '=HYPERLINK("http://x")',
)
_hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.tuples(hostile_texts(max_fragments=4), st.sampled_from(PAYLOADS), hostile_texts()).map(
        "".join
    ),
)
_text = _hostile.filter(lambda s: bool(s.strip()))


class _Structure(HTMLParser):
    """Every element and attribute name of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.add(tag)
        self.attributes.update(name for name, _ in attrs)

    handle_startendtag = handle_starttag


def structure(page: str) -> tuple[set[str], set[str]]:
    parser = _Structure()
    parser.feed(page)
    parser.close()
    return parser.elements, parser.attributes


@attrs.frozen
class HostileScorer:
    """A Python scorer whose name, rule id and explanation are whatever it is given."""

    name: str
    rule: str
    explanation: str

    def __call__(self, conversation: Conversation) -> DimensionScore:
        text = conversation.turns[0].text
        evidence = [
            Evidence(
                turn=0,
                start=0,
                end=len(text),
                text=text,
                rule=self.rule,
                weight=1.0,
                explanation=self.explanation,
            )
        ]
        return DimensionScore(
            name=self.name,
            value=1.0,
            turn_scores=[1.0] * len(conversation.turns),
            opportunities=1,
            opportunity_turns=[0],
            evidence=evidence,
        )


def _baseline() -> tuple[set[str], set[str]]:
    """Elements and attributes of pages whose user text is harmless."""
    elements: set[str] = set()
    attributes: set[str] = set()
    conversation = empathykit.as_conversation(
        "[10:32] Customer: My parcel is late!! I'm so upset.\nAgent: I'm so sorry, let me check.",
        id="plain",
    )
    plain = HostileScorer(name="plain", rule="plain.rule", explanation="plain")
    pages = []
    for scorers in (None, [*empathykit.default_scorers(), plain]):
        report = empathykit.score(conversation, scorers=scorers)
        pages += [report.to_html(), report.to_html(title="plain")]
        pages += [report_html(report, back="index.html")]
        pages += [index_html([(io.report_row(report), "000001-plain.html")], title="plain")]
    for page in pages:
        found = structure(page)
        elements |= found[0]
        attributes |= found[1]
    return elements, attributes


BASELINE = _baseline()


def assert_only_template_markup(page: str) -> None:
    elements, attributes = structure(page)
    assert set() == elements - BASELINE[0]
    assert set() == attributes - BASELINE[1]
    assert "<script" not in page.lower()


@settings(max_examples=OUTPUT_EXAMPLES)
@given(
    texts=st.lists(_text, min_size=1, max_size=4),
    conv_id=st.one_of(st.none(), _hostile),
    speaker=_hostile,
    timestamp=_hostile,
    name=_hostile,
    rule=_hostile,
    explanation=_hostile,
    title=st.one_of(st.none(), _hostile),
)
def test_html_escapes_every_piece_of_user_text(
    texts: list[str],
    conv_id: str | None,
    speaker: str,
    timestamp: str,
    name: str,
    rule: str,
    explanation: str,
    title: str | None,
) -> None:
    """Transcript, id, speaker, time stamp, scorer name, rule and explanation stay text."""
    turns = [
        Turn(role="customer" if i % 2 else "agent", text=t, speaker=speaker, timestamp=timestamp)
        for i, t in enumerate(texts)
    ]
    conversation = Conversation(turns=turns, id=conv_id)
    scorer = HostileScorer(name=name, rule=rule, explanation=explanation)
    scorers = (
        [*empathykit.default_scorers(), scorer]
        if name
        not in {"active_listening", "emotional_acknowledgement", "apology", "solution_offer"}
        else [scorer]
    )
    report = empathykit.score(conversation, scorers=scorers)
    assert_only_template_markup(report.to_html(title=title))


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = "".join(
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F or c in '"\\' else c for c in value
    )
    return f'"{escaped}"'


@settings(max_examples=OUTPUT_EXAMPLES // 3)
@given(explanation=_hostile.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)))
def test_html_escapes_rule_explanations_from_a_toml_file(explanation: str) -> None:
    """An explanation in a TOML rules file shows as text in the HTML report."""
    toml = (
        "[scorers.ownership.rules.mine]\n"
        'phrases = ["leave it with me"]\n'
        f"explanation = {toml_string(explanation)}\n"
    )
    scorers = empathykit.load_scorers(toml)
    report = empathykit.score(
        [("customer", "My card was charged twice!"), ("agent", "Leave it with me.")],
        scorers=scorers,
        id=explanation,
    )
    [evidence] = report.evidence
    assert explanation in evidence.explanation
    assert_only_template_markup(report.to_html())


@settings(max_examples=OUTPUT_EXAMPLES // 3)
@given(ids=st.lists(st.one_of(st.none(), _hostile), min_size=1, max_size=4))
def test_html_index_escapes_ids(tmp_path_factory: pytest.TempPathFactory, ids: list[str]) -> None:
    """write_html's index and page names stay safe with hostile ids."""
    folder = tmp_path_factory.mktemp("html")
    reports = [empathykit.score([("agent", "Sorry!")], id=i) for i in ids]
    assert len(ids) == io.write_html(reports, folder)
    pages = sorted(folder.iterdir())
    assert all(p.parent == folder for p in pages)
    for page in pages:
        assert_only_template_markup(page.read_text(encoding="utf-8"))


# --- JSON, JSON Lines and CSV round-trip every string ----------------------------------------

_any_id = st.one_of(st.none(), _hostile, hostile_texts())


@settings(max_examples=OUTPUT_EXAMPLES)
@given(ids=st.lists(_any_id, min_size=1, max_size=3), text=_text)
def test_jsonl_round_trips_every_string(
    tmp_path_factory: pytest.TempPathFactory, ids: list[str | None], text: str
) -> None:
    """write_jsonl to a UTF-8 file: ids and turn texts read back exactly.

    The one exception is JSON's own: a high and a low surrogate side by side in a str
    are written as the escape pair of the one character they encode, and read back so.
    """
    reports = [empathykit.score([("customer", text), ("agent", text)], id=i) for i in ids]
    path = tmp_path_factory.mktemp("jsonl") / "out.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        assert len(ids) == io.write_jsonl(reports, handle)
    # JSON Lines records end at \n only: U+0085 and U+2028 may stand raw inside a record.
    lines = path.read_text(encoding="utf-8").split("\n")
    assert "" == lines.pop()
    back = [json.loads(line) for line in lines]
    assert join_surrogate_pairs([r.to_dict() for r in reports]) == join_surrogate_pairs(back)
    assert [join_surrogate_pairs(i) for i in ids] == [record["id"] for record in back]
    assert [join_surrogate_pairs(text)] * 2 == [t["text"] for t in back[0]["turns"]]


def _no_surrogates(value: str | None) -> bool:
    return value is None or not any(0xD800 <= ord(c) <= 0xDFFF for c in value)


@settings(max_examples=OUTPUT_EXAMPLES)
@given(ids=st.lists(_any_id.filter(_no_surrogates), min_size=1, max_size=4))
def test_csv_round_trips_ids_with_formula_cells_neutralised(ids: list[str | None]) -> None:
    """write_csv: no text cell starts a formula, and restore_cell gives the id back exactly."""
    reports = [empathykit.score([("agent", "Sorry!")], id=i) for i in ids]
    out = stdio.StringIO(newline="")
    io.write_csv(reports, out)
    rows = list(csv.reader(stdio.StringIO(out.getvalue(), newline="")))
    cells = [row[0] for row in rows[1:]]
    assert len(ids) == len(cells)
    assert all(not cell.startswith(io.FORMULA_PREFIXES) for cell in cells)
    assert [i or "" for i in ids] == [io.restore_cell(cell) for cell in cells]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "'=1", "'"])
def test_formula_cells_are_neutralised_and_restorable(value: str) -> None:
    """Each documented prefix gets one leading apostrophe; restore_cell removes it."""
    assert "'" + value == io.neutralise_cell(value)
    assert value == io.restore_cell(io.neutralise_cell(value))


class Record(TypedDict):
    """One JSONL input record: a conversation id and its turns."""

    id: str
    turns: list[dict[str, str]]


def test_cli_json_output_round_trips_hostile_text(tmp_path: Path) -> None:
    """`empathykit score -f json` writes every turn text and id back exactly."""
    texts = [p + " \u202e\U0001f469\u200d\U0001f469\u200d\U0001f467 e\u0301 \x00" for p in PAYLOADS]
    records: list[Record] = [
        {"id": f"{p}#{n}", "turns": [{"role": "customer", "text": t}, {"role": "agent", "text": t}]}
        for n, (p, t) in enumerate(zip(PAYLOADS, texts, strict=True))
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.json"
    assert 0 == main(["score", str(source), "-f", "json", "-q", "-o", str(out)])
    back = json.loads(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [r["id"] for r in back]
    assert [[t["text"] for t in r["turns"]] for r in records] == [
        [t["text"] for t in r["turns"]] for r in back
    ]


def test_report_type_is_unchanged_by_hostile_text() -> None:
    """A sanity check of the helper scorer: it yields one piece of evidence per report."""
    report = empathykit.score([("agent", PAYLOADS[0])], scorers=[HostileScorer("n", "n.r", "e")])
    assert isinstance(report, Report)
    assert [PAYLOADS[0]] == [e.text for e in report.evidence]


def test_a_scorer_name_with_a_lone_surrogate_gets_a_colour() -> None:
    """Regression: to_html raised UnicodeEncodeError for a behaviour name like 'x\\ud800'."""
    scorer = HostileScorer(name="x\ud800", rule="x.r", explanation="e")
    page = empathykit.score([("agent", "Sorry!")], scorers=[scorer]).to_html()
    assert "x\ud800" in page
