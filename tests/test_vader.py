"""VADER's reading (empathykit._vader): the faster analyser must give the library's own
scores, equal and not merely close, on any text.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from empathykit import _vader
from empathykit._analysis import Sentiment, _sentiment
from empathykit._vader import CHECKED_VERSION, FastVader, analyser

LIBRARY = SentimentIntensityAnalyzer()
FAST = FastVader()

# Words that set off VADER's rules: lexicon words (some also boosters or idiom parts),
# boosters and dampeners, negations, "but", "least", "kind of", the "never so" and
# "without doubt" cases, the special idioms, emoticons, an emoji and plain words.
WORDS = [
    "good", "bad", "love", "hate", "sorry", "happy", "terrible", "great", "no", "not",
    "never", "isn't", "dont", "don't", "without", "doubt", "so", "this", "very",
    "extremely", "kind", "of", "sort", "kinda", "least", "at", "but", "BUT", "the", "shit",
    "bomb", "bad", "ass", "yeah", "right", "bus", "stop", "kiss", "death", "to", "die",
    "for", "beating", "heart", "cut", "mustard", "flight", "bag", "GOOD", "Terrible",
    "LOVE", "VERY", "nor", "or", "lost", "help", "thanks", ":)", ":(", ":-D", "<3",
    "\N{GRINNING FACE}", "\N{PILE OF POO}", "a", "I", "it", "was", "wasn't", "hardly",
    "fine", "ok", "okay", "!", "?", "...", "--",
]  # fmt: skip
WORD = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda w, p: w + p, st.sampled_from(WORDS), st.sampled_from(["!", "?", ",", "."])),
)
SPACE = st.sampled_from([" ", "  ", "\n", "\t", " \u00a0"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORD, max_size=14))
    gaps = draw(st.lists(SPACE, min_size=len(words) + 1, max_size=len(words) + 1))
    return gaps[0] + "".join(w + g for w, g in zip(words, gaps[1:], strict=True))


@settings(max_examples=400)
@given(texts())
def test_scores_equal_the_librarys_on_texts_of_rule_words(text: str) -> None:
    assert LIBRARY.polarity_scores(text) == FAST.polarity_scores(text)


@given(st.text(max_size=60))
def test_scores_equal_the_librarys_on_any_text(text: str) -> None:
    assert LIBRARY.polarity_scores(text) == FAST.polarity_scores(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "The flight was not good, but the crew was very kind of lovely!!",
        "I am NOT happy at all :( and never so angry",
        "Without a doubt the worst trip, kind of the bomb though \N{GRINNING FACE}",
        "no no no bad",
        "at least it was not the worst",
        "yeah right, to die for",
        # one case of each of the negation and idiom rules the fast analyser narrows
        "never this good",
        "never so good",
        "without doubt good",
        "isn't good",
        "never so very good",
        "a b this good",
        "without a doubt good",
        "we were not a good",
        "a b never so good",
        "it is isn't really good",
        "a b c kiss of death",
        "a b c beating heart",
        "the food was the bomb",
        "then it was bus stop ok",
        "x y z to die for",
        "a b c d yeah right",
        "in no way good or bad",
        "no or nor good",
        # emoji where VADER's walk puts a space before the description, and where not
        "\N{GRINNING FACE}",
        "\N{GRINNING FACE}\N{PILE OF POO} great",
        "bad\N{PILE OF POO}",
        "so  \N{GRINNING FACE}\n\N{GRINNING FACE}\tok",
        " \N{PILE OF POO} ",
        "no\0 good \N{GRINNING FACE}",
        "\u00a9 2026, \N{HEAVY BLACK HEART}\ufe0f thanks",
    ],
)
def test_scores_equal_the_librarys_on_written_sentences(text: str) -> None:
    assert LIBRARY.polarity_scores(text) == FAST.polarity_scores(text)


def test_scores_equal_the_librarys_with_a_changed_lexicon() -> None:
    # Neither reader may assume anything of the lexicon, e.g. that no booster is in it.
    library, fast = SentimentIntensityAnalyzer(), FastVader()
    for reader in (library, fast):
        reader.lexicon.update({"very": 2.0, "flight": -1.5, "kind": 1.0})
    for text in ("a very kind of flight", "the flight was very good", "not very kind"):
        assert library.polarity_scores(text) == fast.polarity_scores(text)


def _outcome(check: Callable[..., float], *args: object) -> object:
    """What ``check(*args)`` returns, or the type of error it raises."""
    try:
        return check(*args)
    except IndexError as error:
        return type(error)


# Any index of the list, not only those VADER asks about (from the end, both wrap round).
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.data())
def test_negation_check_equals_the_librarys(words: list[str], data: st.DataObject) -> None:
    start_i = data.draw(st.integers(0, 2))
    i = data.draw(st.integers(0, len(words) - 1))
    expected = _outcome(SentimentIntensityAnalyzer._negation_check, 1.5, words, start_i, i)
    assert expected == _outcome(FastVader._negation_check, 1.5, words, start_i, i)


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=9), st.data())
def test_idioms_check_equals_the_librarys(words: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(words) - 1))
    expected = _outcome(SentimentIntensityAnalyzer._special_idioms_check, -0.5, words, i)
    assert expected == _outcome(FastVader._special_idioms_check, -0.5, words, i)


def test_the_checked_release_gets_the_fast_analyser() -> None:
    if metadata.version("vaderSentiment") == CHECKED_VERSION:
        assert isinstance(analyser(), FastVader)
    else:
        assert not isinstance(analyser(), FastVader)


def test_any_other_release_gets_the_librarys_analyser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_vader, "version", lambda name: "3.4.0")
    reader = analyser()
    assert isinstance(reader, SentimentIntensityAnalyzer)
    assert not isinstance(reader, FastVader)


@pytest.mark.data
def test_scores_equal_the_librarys_on_real_turns(shared_data: Path) -> None:
    path = shared_data / "twcs_airlines_dialogues.jsonl"
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in itertools.islice(lines, 2000)]
    turns = [turn["text"] for record in records for turn in record["turns"]]
    differing = [t for t in turns if LIBRARY.polarity_scores(t) != FAST.polarity_scores(t)]
    assert [] == differing
    assert len(turns) > 4000


@settings(max_examples=200)
@given(texts())
def test_a_turns_sentiment_is_the_one_vaders_scores_make(text: str) -> None:
    # Sentiments are shared between turns with the same scores; the shared one must be
    # exactly what the library's scores give (repr tells 0.0 from -0.0, as JSON does).
    scores = LIBRARY.polarity_scores(text)
    expected = Sentiment(
        compound=min(1.0, max(-1.0, float(scores["compound"]))),
        positive=float(scores["pos"]),
        negative=float(scores["neg"]),
        neutral=float(scores["neu"]),
    )
    assert repr(expected) == repr(_sentiment(text))
