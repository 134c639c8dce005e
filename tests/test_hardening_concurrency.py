"""Hardening, part 6: concurrency — threads and worker processes give the sequential reports.

Scoring from several threads at once (on shared and on fresh conversations, and from a
cold start where every lazy cache is filled by racing threads) gives the same reports as
one thread; ``score_many(n_jobs=2)`` gives the same results as ``n_jobs=1``; and a worker
process that dies is reported as a Failure of the conversation it was scoring.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import attrs
import pytest

import empathykit
from empathykit import Conversation, DimensionScore, Failure, Report, ScorerError
from hostile_strategies import CUES, EMOJI, RIGHT_TO_LEFT, check_report

if TYPE_CHECKING:
    from empathykit.typing import ScorerLike, Weights

_ROLES = ("customer", "agent", "User", "ASSISTANT", "caller", "rep")
_WORDS = (*CUES, *EMOJI, *RIGHT_TO_LEFT, "my order", "the app", "today", "e\u0301", "\x00")


def make_inputs(count: int, seed: int) -> list[Any]:
    """``count`` conversations in the accepted shapes, about one in eight malformed."""
    rng = random.Random(seed)
    inputs: list[Any] = []
    for index in range(count):
        turns = [
            {
                "role": rng.choice(_ROLES),
                "text": " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 12))),
            }
            for _ in range(rng.randint(1, 8))
        ]
        kind = rng.randint(0, 7)
        if kind == 0:
            turns[-1]["text"] = "   "  # malformed: a blank turn
        if kind == 1:
            inputs.append("\n".join(f"{t['role']}: {t['text']}" for t in turns))
        else:
            inputs.append({"id": f"c{index}", "turns": turns})
    return inputs


def outcome(result: Report | Failure) -> Any:
    """What must be equal between runs: the whole report, or the failure's index and error."""
    if isinstance(result, Failure):
        return ("failure", result.index, result.id, type(result.error).__name__, str(result.error))
    return json.loads(result.to_json())


INPUTS = make_inputs(120, seed=6)
CONVERSATIONS = [
    empathykit.as_conversation(item["turns"], id=item["id"])
    for item in INPUTS
    if isinstance(item, dict) and item["turns"][-1]["text"].strip()
]


def test_threads_scoring_shared_conversations_match_sequential_scoring() -> None:
    """8 threads scoring the same Conversation objects at once give the sequential reports."""
    fresh = [empathykit.as_conversation(c.turns, id=c.id) for c in CONVERSATIONS]
    expected = [outcome(empathykit.score(c)) for c in fresh]
    work = CONVERSATIONS * 4  # every object scored by several threads, analysis shared
    with ThreadPoolExecutor(max_workers=8) as pool:
        actual = list(pool.map(lambda c: outcome(empathykit.score(c)), work))
    assert expected * 4 == actual


class ScoreOptions(TypedDict, total=False):
    """Keyword options passed to score() as ``**options``."""

    weights: Weights
    scorers: list[ScorerLike]


def test_threads_with_their_own_scorers_and_weights_match_sequential_scoring() -> None:
    """Threads each with other scorers and weights do not see one another's options."""
    options: list[ScoreOptions] = [
        {},
        {"weights": {"apology": 3.0}},
        {"scorers": ["apology", "solution_offer"]},
        {"scorers": [*empathykit.default_scorers(), empathykit.scorers.phrases("mine", ["order"])]},
    ]
    jobs = [(c, o) for c in CONVERSATIONS[:40] for o in options]
    expected = [outcome(empathykit.score(c, **o)) for c, o in jobs]
    with ThreadPoolExecutor(max_workers=6) as pool:
        actual = list(pool.map(lambda job: outcome(empathykit.score(job[0], **job[1])), jobs))
    assert expected == actual


_COLD_START = textwrap.dedent(
    """
    import json, sys, threading
    import empathykit

    items = json.loads(sys.stdin.read())
    barrier = threading.Barrier(8)
    results = [None] * 8

    def run(slot):
        barrier.wait()  # every thread fills the lazy caches (NLTK, VADER, lexicons) at once
        results[slot] = [empathykit.score(t, id=str(i)).to_json() for i, t in enumerate(items)]

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sequential = [empathykit.score(t, id=str(i)).to_json() for i, t in enumerate(items)]
    print(json.dumps({"same": all(r == sequential for r in results), "n": len(sequential)}))
    """
)


@pytest.mark.slow
def test_threads_racing_on_a_cold_start_match_sequential_scoring() -> None:
    """In a fresh process, 8 threads that start scoring together give the sequential reports."""
    items = [[{"role": t.role.value, "text": t.text} for t in c.turns] for c in CONVERSATIONS[:30]]
    done = subprocess.run(
        [sys.executable, "-c", _COLD_START],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert {"same": True, "n": 30} == json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("chunk_size", [1, 7])
def test_score_many_with_workers_matches_one_process(chunk_size: int) -> None:
    """score_many(n_jobs=2) yields the results of n_jobs=1, failures included, in order."""
    expected = [outcome(r) for r in empathykit.score_many(INPUTS)]
    actual = [outcome(r) for r in empathykit.score_many(INPUTS, n_jobs=2, chunk_size=chunk_size)]
    assert len(INPUTS) == len(actual)
    assert any(o[0] == "failure" for o in expected if isinstance(o, tuple))
    assert expected == actual


@attrs.frozen
class DiesOnSignal:
    """A scorer that kills its worker process when a turn says "die" (never the parent)."""

    parent: int
    name: str = "dies"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        if os.getpid() != self.parent and any("die" in t.text for t in conversation.turns):
            os._exit(3)
        n = len(conversation.turns)
        return DimensionScore(name=self.name, value=None, turn_scores=[None] * n)


@pytest.mark.slow
def test_a_worker_that_dies_is_reported_as_a_failure_not_dropped() -> None:
    """Each conversation whose worker died is a Failure in its place; all others are scored."""
    items = [
        {
            "id": f"c{i}",
            "turns": [{"role": "customer", "text": "please die" if i in (3, 11) else "hi"}],
        }
        for i in range(16)
    ]
    scorer = DiesOnSignal(parent=os.getpid())
    results = list(empathykit.score_many(items, n_jobs=2, chunk_size=4, scorers=[scorer]))
    assert len(items) == len(results)
    failures = {r.index: r for r in results if isinstance(r, Failure)}
    assert {3, 11} == set(failures)
    assert all(isinstance(f.error, ScorerError) for f in failures.values())
    assert all("died" in f.message for f in failures.values())
    reports = [r for r in results if isinstance(r, Report)]
    assert [f"c{i}" for i in range(16) if i not in (3, 11)] == [r.conversation.id for r in reports]
    for report in reports:
        check_report(report)


@pytest.mark.slow
def test_the_cli_reports_a_died_worker_and_writes_every_other_record(tmp_path: Path) -> None:
    """`empathykit score --jobs 2` with a dying scorer: N-1 output records, exit code 1."""
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": f"c{i}", "turns": [{"role": "customer", "text": text}]}) + "\n"
            for i, text in enumerate(["hi", "hello", "please die", "thanks"])
        ),
        encoding="utf-8",
    )
    plugin = tmp_path / "dies_plugin.py"
    plugin.write_text(
        textwrap.dedent(
            """
            import os
            import attrs
            from empathykit import DimensionScore, register_scorer

            PARENT = os.getpid()

            @attrs.frozen
            class Dies:
                name: str = "dies"

                def __call__(self, conversation):
                    if os.getpid() != PARENT and "die" in conversation.turns[0].text:
                        os._exit(3)
                    n = len(conversation.turns)
                    return DimensionScore(name=self.name, value=None, turn_scores=[None] * n)

            register_scorer("dies", Dies())
            """
        ),
        encoding="utf-8",
    )
    runner = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import dies_plugin
        from empathykit.cli import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    out = tmp_path / "out.jsonl"
    arguments = ["score", str(source), "--jobs", "2", "--scorers", "dies", "--skip-invalid"]
    done = subprocess.run(
        [sys.executable, "-c", runner, *arguments, "-f", "jsonl", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert (1, ["c0", "c1", "c3"]) == (done.returncode, ids), done.stderr
    assert "died" in done.stderr
