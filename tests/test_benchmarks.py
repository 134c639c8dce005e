"""The speed benchmarks run and print their ratios (no timing assertions); import stays light."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import empathykit

PERF = Path(__file__).resolve().parents[1] / "benchmarks" / "perf.py"
#: Every figure ``perf.py all`` reports.
FIGURES = {
    "throughput.ratio",
    "parallel.speedup",
    "length.time_ratio",
    "memory.peak_ratio",
    "memory.peak_mb",
    "startup.import_ratio",
    "startup.help_ratio",
    "startup.heavy_modules",
}
RATIO_LINE = re.compile(
    r"^RATIO (?P<name>[\w.]+) = (?P<value>[-+.\deE]+)  target (?:>=|<=|<) [.\d]+"
    r"(?: \(stretch [^)]*\))?  (?:met|MISSED)$",
    re.MULTILINE,
)
#: Modules that ``import empathykit`` must leave for the first scoring call.
HEAVY = ("nltk", "vaderSentiment", "pandas")


def _perf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("empathykit_perf", PERF)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


def _heavy_after(code: str) -> list[str]:
    """The heavy modules loaded in a fresh interpreter after running ``code``."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return list(json.loads(done.stdout.splitlines()[-1]))


# -- the smoke run ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """``perf.py all --quick --save FILE``: its output and the JSON file."""
    saved = tmp_path_factory.mktemp("perf") / "results.json"
    done = subprocess.run(
        [sys.executable, str(PERF), "all", "--quick", "--save", str(saved)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout, saved


@pytest.mark.slow
def test_quick_run_prints_every_ratio(quick_run: tuple[str, Path]) -> None:
    """Each benchmark prints its figure line, and the summary repeats them all."""
    output, _ = quick_run
    names = [match["name"] for match in RATIO_LINE.finditer(output)]
    assert set(names) == FIGURES
    assert sorted(FIGURES) == sorted(names[len(names) // 2 :])  # the summary
    assert all(float(match["value"]) >= 0 for match in RATIO_LINE.finditer(output))


@pytest.mark.slow
def test_quick_run_names_machine_and_baseline_runs(quick_run: tuple[str, Path]) -> None:
    """The output says where it ran and shows each baseline's repetitions."""
    output, _ = quick_run
    assert output.startswith("machine: ")
    for baseline in ("VADER ", "n_jobs=1 ", "import nltk ", "peak RSS "):
        assert baseline in output


@pytest.mark.slow
def test_quick_run_saves_json(quick_run: tuple[str, Path]) -> None:
    """--save writes the machine, the per-benchmark load and every figure with its target."""
    _, saved = quick_run
    result = json.loads(saved.read_text(encoding="utf-8"))
    assert {figure["name"] for figure in result["figures"]} == FIGURES
    assert {"throughput", "parallel", "length", "memory", "startup"} == set(result["benchmarks"])
    assert result["quick"] is True
    assert result["machine"]["cpus"] >= 1
    for figure in result["figures"]:
        assert {"value", "op", "target", "met"} <= set(figure)


# -- the inputs the benchmarks build ----------------------------------------------------


def test_synthetic_threads_are_scorable_and_repeatable() -> None:
    """The generator's threads start with the customer, alternate, and score without failure."""
    perf = _perf()
    threads = perf.synthetic_threads(60)
    assert threads == perf.synthetic_threads(60)
    for thread in threads:
        roles = [turn["role"] for turn in thread["turns"]]
        assert ["customer" if i % 2 == 0 else "agent" for i in range(len(roles))] == roles
        assert 2 <= len(roles) <= 12
    failures = [r for r in empathykit.score_many(threads) if isinstance(r, empathykit.Failure)]
    assert failures == []


def test_cycle_turns_repeats_threads_to_an_exact_length() -> None:
    """A long conversation has exactly the turns asked for, the threads' turns in order."""
    perf = _perf()
    threads = perf.synthetic_threads(3)
    turns = [turn for thread in threads for turn in thread["turns"]]
    long = perf.cycle_turns(threads, 2 * len(turns) + 1)
    assert 2 * len(turns) + 1 == len(long)
    assert turns + turns + turns[:1] == long


def test_cut_makes_the_length_baseline_of_the_same_turns() -> None:
    """The length benchmark's short conversations are the long one's turns, in order."""
    perf = _perf()
    turns = perf.cycle_turns(perf.synthetic_threads(4), 25)
    pieces = perf.cut(turns, 10)
    assert [len(piece) for piece in pieces] == [10, 10, 5]
    assert turns == [turn for piece in pieces for turn in piece]


def test_write_repeated_writes_exact_turn_count(tmp_path: Path) -> None:
    """The memory benchmark's file has exactly the turns asked for, with distinct ids."""
    perf = _perf()
    threads = perf.synthetic_threads(5)
    path = tmp_path / "turns.jsonl"
    count = perf.write_repeated(threads, 40, path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert count == len(records)
    assert sum(len(record["turns"]) for record in records) == 40
    assert len(records) == len({record["id"] for record in records})


def test_stage_breakdown_times_every_stage_and_the_whole() -> None:
    """``throughput --profile`` prints one ratio per stage, each scorer among them, and
    the whole run, which costs more than any one stage."""
    perf = _perf()
    threads = perf.synthetic_threads(40)
    lines = perf.stage_breakdown(threads, lambda: sum(range(10**5)), 2)
    assert lines[0].startswith("stages: ")
    stages = {name: float(value) for value, name in (line.split(maxsplit=1) for line in lines[1:])}
    expected = {
        perf._VADER_STAGE,
        "Reading records into conversations",
        "Analysis: tokens, stems, customer signals, VADER",
        *(f"Scorer {scorer.name}" for scorer in empathykit.default_scorers()),
        "Weighing and the report (checked against the conversation)",
        perf._REST_STAGE,
        "score_many(n_jobs=1), in all",
    }
    assert expected == set(stages)
    whole = stages.pop("score_many(n_jobs=1), in all")
    stages.pop(perf._REST_STAGE)
    assert whole > max(stages.values()) > 0


def test_floor_breakdown_replays_the_recorded_searches_and_restores_the_cue() -> None:
    """``throughput --profile`` also prints the floor: VADER on customer turns, the cue
    searches replayed alone, reading the words; and their sum. Recording the searches
    patches ``Cue.finditer_parts`` for one run only."""
    from empathykit._lexicon import Cue

    perf = _perf()
    before = Cue.finditer_parts
    lines = perf.floor_breakdown(perf.synthetic_threads(40), lambda: sum(range(10**5)), 1)
    assert before is Cue.finditer_parts
    assert lines[0].startswith("floor: ")
    values = [float(line.split()[0]) for line in lines[1:5]]
    assert min(values) > 0
    assert sum(values[:-1]) == pytest.approx(values[-1], abs=0.011)  # rounded to 0.01
    searches = re.search(r"\(([\d,]+) searches\)", lines[2])
    assert searches is not None
    total = int(searches.group(1).replace(",", ""))
    assert total > 40  # many cues per turn
    # Then the same searches by origin: patterns, phrase lists, cues searched whole.
    assert lines[5].startswith("the cue searches by origin")
    counts = [re.search(r"\(([\d,]+) searches\)", line) for line in lines[6:]]
    assert len(counts) == 3
    assert all(count is not None for count in counts)
    assert total == sum(int(c.group(1).replace(",", "")) for c in counts if c is not None)
    assert all(int(c.group(1).replace(",", "")) > 0 for c in counts if c is not None)


def test_matching_breakdown_times_the_run_with_matching_answered_and_restores_it() -> None:
    """``throughput --profile`` also times the whole run with cue matching as it is, with
    only its searches run, and answered from a record; it patches the matching layer for
    those runs only, and the record holds every cue set's answer in every turn."""
    from empathykit import _lexicon

    perf = _perf()
    before = (_lexicon._matches, _lexicon.Cue.finditer_parts)
    threads = perf.synthetic_threads(40)
    lines = perf.matching_breakdown(threads, lambda: sum(range(10**5)), 1)
    assert before == (_lexicon._matches, _lexicon.Cue.finditer_parts)
    header = re.match(
        r"cue matching in the run: .*\(median of 1; ([\d,]+) distinct answers recorded, "
        r"([\d,]+) searches behind them\)",
        lines[0],
    )
    assert header is not None
    answers, searches = (int(group.replace(",", "")) for group in header.groups())
    # An answer for each cue set asked about each text: the customer cues for every
    # customer turn's text, and at least five (every scorer's cues, active listening's
    # blockers) for every agent turn's.
    customer = {t["text"] for thread in threads for t in thread["turns"] if t["role"] == "customer"}
    agent = {t["text"] for thread in threads for t in thread["turns"] if t["role"] == "agent"}
    assert answers >= len(customer) + 5 * len(agent)
    assert searches > answers  # several cues a turn
    values = [float(line.split()[0]) for line in lines[1:4]]
    assert min(values) > 0
    assert lines[4].strip().startswith("a matcher that cost nothing would give a ratio of")
    assert float(lines[4].split()[-1]) == pytest.approx(1 / values[2], rel=0.05)


def test_search_origin_tells_patterns_from_phrase_lists() -> None:
    """A rule's patterns are compiled as scoped groups; its phrases are not."""
    from empathykit._lexicon import compile_cues

    perf = _perf()
    regex = compile_cues(["so sorry", "my apologies"], ["sorry(?! not)", "(?i)regret"])
    assert regex is not None
    parts = regex.pattern.split("|")
    expected = [perf._PHRASES, perf._PHRASES, perf._PATTERN, perf._PATTERN]
    assert expected == [perf._search_origin(part) for part in parts]


# -- import cost ------------------------------------------------------------------------


def test_import_loads_no_heavy_module() -> None:
    """``import empathykit`` loads neither NLTK, VADER nor pandas."""
    assert _heavy_after("import empathykit") == []


def test_help_loads_no_heavy_module() -> None:
    """``empathykit --help`` loads neither NLTK, VADER nor pandas."""
    code = "import contextlib, io\nfrom empathykit.cli import main\n"
    code += "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['--help']) == 0"
    assert _heavy_after(code) == []


def test_first_score_loads_nltk_and_vader() -> None:
    """The probe sees NLTK and VADER once something is scored (so the checks above can fail)."""
    code = "import empathykit\nempathykit.score('Customer: It broke.\\nAgent: Sorry!')"
    assert _heavy_after(code) == ["nltk", "vaderSentiment"]
