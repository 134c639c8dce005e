"""Hardening, part 2: pathological text finishes, with no catastrophic backtracking.

Each case of ``benchmarks/pathological.py`` runs at its full size (×8: a 1 MB turn,
200,000 × "sorry ", 100,000 "!", runs without spaces, 50,000 turns) in a forked process
with a generous time limit that only stops a hang: these are not timing assertions.
``python benchmarks/pathological.py`` prints the time-versus-size figures.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import empathykit
from empathykit import _analysis
from hostile_strategies import check_report, needs_fork, run_guarded

pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "pathological.py"


def _load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pathological", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pathological = _load_benchmark()


def _score_and_check(make: Callable[[int], list[tuple[str, str]]]) -> tuple[int, int]:
    conversation = make(8)
    report = empathykit.score(conversation)
    check_report(report, n_turns=len(conversation))
    return len(report.conversation.turns), len(report.evidence)


@needs_fork
@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(pathological.CASES))
def test_pathological_text_finishes(case: str) -> None:
    """Each pathological case at full size gives a valid report (and does not hang)."""
    make = pathological.CASES[case]
    n_turns, _ = run_guarded(lambda: _score_and_check(make))
    assert len(make(8)) == n_turns


def test_full_sizes_are_the_ones_the_issue_names() -> None:
    """×8 is 1 MB per turn, 200,000 "sorry ", 100,000 "!" and 50,000 turns."""
    assert {2**20} == {len(text) for _, text in pathological.one_megabyte(8)}
    assert "sorry " * 200_000 == pathological.sorry(8)[0][1]
    assert "!" * 100_000 == pathological.bang(8)[1][1]
    assert 50_000 == len(pathological.turns(8))
    assert all(" " not in text for _, text in pathological.no_spaces(8))


def test_benchmark_prints_a_ratio_per_size() -> None:
    """The benchmark script runs and prints t(×k)/t(×1) for k = 1, 2, 4, 8 (tiny case)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert 0 == pathological.main(["bang", "--repeat", "1"])
    rows = [line.split() for line in out.getvalue().splitlines()[1:]]
    assert ["1", "2", "4", "8"] == [row[1] for row in rows]
    assert all(float(row[3]) > 0 for row in rows)


# --- regression tests for the quadratic cases found -------------------------------------------

#: The sentence-end pattern before the fix: every start inside a run of "!" retried the run.
_OLD_SENTENCE_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s)|\n")


@settings(max_examples=500)
@given(text=st.text(st.sampled_from(list(".!?…\"'’”)] \n\tab")), max_size=40))
def test_sentence_ends_are_the_same_as_before_the_linear_pattern(text: str) -> None:
    """The possessive, run-anchored sentence-end pattern finds exactly the old matches."""
    expected = [m.span() for m in _OLD_SENTENCE_END.finditer(text)]
    assert expected == [m.span() for m in _analysis._SENTENCE_END_RE.finditer(text)]


@needs_fork
def test_a_long_run_of_end_marks_is_split_in_linear_time() -> None:
    """100,000 '!' then a letter (no space after the run) is one sentence, found quickly."""
    text = "!" * 100_000 + "x"
    assert ((0, len(text)),) == run_guarded(lambda: _analysis._sentences(text), 60)


def test_long_customer_turns_are_read_by_vader_in_pieces() -> None:
    """A customer turn past SENTIMENT_CHUNK is read in pieces; shorter ones in one piece."""
    short = "I'm furious, this is awful! " * 10
    vader = _analysis._vader().polarity_scores(short)["compound"]
    assert vader == _analysis._sentiment(short).compound
    long = short * 400  # 112,000 characters: about 110 pieces
    pieces = _analysis._pieces(long, _analysis.SENTIMENT_CHUNK)
    assert long == "".join(pieces)
    assert all(len(piece) <= _analysis.SENTIMENT_CHUNK for piece in pieces)
    assert -1 <= _analysis._sentiment(long).compound < -0.5


def test_pieces_cut_at_white_space_when_there_is_some() -> None:
    """Pieces end after a space or line break, or at the limit in a run without either."""
    assert ["ab ", "cd ", "ef"] == _analysis._pieces("ab cd ef", 4)
    assert ["abcd", "ef"] == _analysis._pieces("abcdef", 4)
    assert ["a\n", "bcd", "e"] == _analysis._pieces("a\nbcde", 3)


@needs_fork
def test_a_long_run_of_spaces_after_sorry_finishes() -> None:
    """'sorry' then 50,000 spaces in an agent turn is scored without quadratic backtracking.

    Linear matching takes a few milliseconds; the quadratic pattern about a minute.
    """
    text = "sorry" + " " * 50_000 + "x"
    run_guarded(lambda: empathykit.score([("agent", text)]), 5)
