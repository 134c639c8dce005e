"""The HTML report: escaping, highlighted evidence, gauges, the tone line, the index page,
and one real headless-Chromium check."""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import empathykit
from empathykit import io

HOSTILE = [
    ("customer", "My order <script>document.title='PWNED'</script> never came & I'm upset!"),
    ("agent", "I'm so sorry about that. I've sent a replacement today."),
    ("customer", 'Also <img src=x onerror="document.body.dataset.pwned=1"> is what I see.'),
    ("agent", "Thanks for telling me, let me check that image for you."),
]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Page(HTMLParser):
    """Collects the text of each turn, as pieces inside or outside <mark> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.turns: dict[int, list[tuple[str, str | None]]] = {}
        self.turn: int | None = None
        self.in_text = False
        self.mark: str | None = None
        self.gauges: dict[str, str] = {}
        self._gauge: str | None = None
        self._value = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        classes = (attributes.get("class") or "").split()
        if tag == "li" and "turn" in classes:
            self.turn = int((attributes["id"] or "").removeprefix("turn-"))
            self.turns[self.turn] = []
        if tag == "div" and "text" in classes:
            self.in_text = True
        if tag == "mark":
            self.mark = attributes.get("data-rules") or ""
        if tag == "div" and "gauge" in classes:
            self._gauge = attributes.get("data-behaviour")
        if tag == "div" and "value" in classes:
            self._value = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.mark = None
        if tag == "div" and self.in_text and self.mark is None:
            self.in_text = False

    def handle_data(self, data: str) -> None:
        if self.in_text and self.turn is not None:
            self.turns[self.turn].append((data, self.mark))
        if self._value and self._gauge:
            self.gauges[self._gauge] = data
            self._value = False


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    return parser


def hostile_report() -> empathykit.Report:
    return empathykit.score(HOSTILE, id='<b>id</b> & "quotes"')


def test_user_text_is_escaped_everywhere() -> None:
    """Turns, ids, rule names and explanations never become markup."""
    sneaky = empathykit.scorers.phrases(
        "sneaky", ["let me check"], explanation='<img src=y onerror="alert(2)"> says "hi"'
    )
    report = empathykit.score(
        HOSTILE, id='<b>id</b> & "quotes"', scorers=[*empathykit.default_scorers(), sneaky]
    )
    page = report.to_html()
    parsed = parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert "script" not in tags
    assert "img" not in tags
    assert not any(name.startswith("on") for _, attributes in parsed.tags for name in attributes)
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in page
    assert "&lt;b&gt;id&lt;/b&gt; &amp; &quot;quotes&quot;" in page
    assert "<b>id</b>" not in page
    assert "onerror=&quot;alert(2)&quot;" in page  # the explanation, escaped in title/data-tip


def test_page_is_self_contained() -> None:
    """No external assets: no scripts, stylesheets, images or remote links, and a strict CSP."""
    page = hostile_report().to_html()
    parsed = parse(page)
    assert not [a for tag, a in parsed.tags if tag in {"link", "script", "img", "iframe"}]
    assert not [a for _, a in parsed.tags if a.get("src")]
    assert "http://" not in page
    assert "https://" not in page
    assert "default-src 'none'" in page


def test_every_evidence_span_is_highlighted_with_its_rule() -> None:
    """Every character of every evidence span sits in a <mark> that names its rule."""
    report = empathykit.score(
        (Path(__file__).parents[1] / "examples/conversations/long_escalation.txt").read_text()
    )
    parsed = parse(report.to_html())
    assert report.evidence
    for index, turn in enumerate(report.conversation.turns):
        pieces = parsed.turns[index]
        assert turn.text == "".join(text for text, _ in pieces)
        rules_at: list[set[str]] = []
        for text, rules in pieces:
            rules_at += [set((rules or "").split())] * len(text)
        for ev in report.evidence:
            if ev.turn == index:
                assert all(ev.rule in rules_at[i] for i in range(ev.start, ev.end)), ev


def test_gauges_show_values_and_not_applicable() -> None:
    """Each behaviour has a gauge; one without opportunity says N/A."""
    path = Path(__file__).parents[1] / "examples/conversations/billing_question_neutral.txt"
    report = empathykit.score(path.read_text())
    assert report["apology"].value is None
    parsed = parse(report.to_html())
    assert [d.name for d in report.scores] == list(parsed.gauges)
    assert "N/A" == parsed.gauges["apology"]
    assert f"{report['active_listening'].value:.2f}" == parsed.gauges["active_listening"]
    gauge_classes = {a.get("data-behaviour"): a.get("class") for t, a in parsed.tags if t == "div"}
    assert "gauge na" == gauge_classes["apology"]


def test_tone_line_has_a_point_per_customer_turn() -> None:
    """The inline SVG line passes through one point per customer turn."""
    report = hostile_report()
    parsed = parse(report.to_html())
    [polyline] = [a for t, a in parsed.tags if t == "polyline"]
    points = (polyline["points"] or "").split()
    customer_turns = [v for v in report.sentiment.turns if v is not None]
    assert len(customer_turns) == len(points)
    assert len(customer_turns) == len([t for t, _ in parsed.tags if t == "circle"])


def test_index_page_sorted_by_overall_with_escaped_links(tmp_path: Path) -> None:
    """write_html writes a page per report and an index, best first, ids escaped."""
    reports = [
        empathykit.score("Customer: It broke!\nAgent: Whatever.", id="worst"),
        empathykit.score("Customer: Hi\nAgent: Hello", id="n/a"),
        empathykit.score(HOSTILE, id="<i>best</i>"),
    ]
    assert 3 == io.write_html(reports, tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    parsed = parse(index)
    links = [a["href"] for t, a in parsed.tags if t == "a"]
    assert ["000003-i-best-i.html", "000001-worst.html", "000002-n-a.html"] == links
    assert all((tmp_path / str(link)).is_file() for link in links)
    assert "&lt;i&gt;best&lt;/i&gt;" in index
    assert "<i>best</i>" not in index
    page = (tmp_path / "000001-worst.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in page


def test_page_names_cannot_escape_the_folder() -> None:
    """Ids that look like paths make flat, safe file names."""
    from empathykit._html import page_name

    assert "000001-etc-passwd.html" == page_name(1, "../../etc/passwd")
    assert "000002.html" == page_name(2, None)
    assert "000003.html" == page_name(3, "../..")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_real_browser_renders_highlights_and_runs_no_injected_script(tmp_path: Path) -> None:
    """Headless Chromium loads a page: marks are in the DOM, injected script did not run."""
    report = hostile_report()
    page = tmp_path / "report.html"
    page.write_text(report.to_html(), encoding="utf-8")
    flags = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    parsed = parse(dom)
    marks = [a for t, a in parsed.tags if t == "mark"]
    rules = {rule for a in marks for rule in (a.get("data-rules") or "").split()}
    assert {ev.rule for ev in report.evidence} == rules
    assert "sorry" in "".join(t for t, r in parsed.turns[1] if r and "apology" in r)
    assert not [a for t, a in parsed.tags if t in {"script", "img"}]
    [body] = [a for t, a in parsed.tags if t == "body"]
    assert "data-pwned" not in body
    assert "PWNED" not in dom.split("<title>")[1].split("</title>")[0]
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in dom  # shown as text

    shot = tmp_path / "report.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a rendered page, not a blank image
