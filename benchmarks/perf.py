"""Speed and memory benchmarks of empathykit, each a ratio against a baseline in the same run.

Timings on a shared machine are noisy, so every figure compares empathykit with a
baseline measured in the same process (or from the same parent process) on the same
turns: the two are run alternately, several times, and the median of the per-repetition
ratios is reported beside its target.

=============  ===============================================================  ==========
benchmark      figure                                                           target
=============  ===============================================================  ==========
throughput     turns/s of ``score_many(n_jobs=1)`` over turns/s of VADER's      >= 0.5
               ``polarity_scores`` called once on every turn                    (stretch 1)
parallel       time of ``n_jobs=1`` over time of ``n_jobs=2`` (same input)      >= 1.7
length         time to score one 20,000-turn conversation over the mean time    <= 11
               for one of 2,000 (the same turns, cut in ten)
memory         peak RSS of ``empathykit score --format jsonl`` streaming a      <= 1.2 and
               1,000,000-turn file over the same for 100,000 turns              < 250 MB
startup        ``python -c "import empathykit"``, ``empathykit --help`` over    <= 0.5
               ``python -c "import nltk"``; the heavy modules (nltk,             none
               vaderSentiment, pandas) ``import empathykit`` loads
=============  ===============================================================  ==========

The input is the real airline support threads of ``../shared/data`` when present (or
``--data FILE``), else a synthetic generator (``--synthetic`` forces it). Long
conversations and the memory benchmark's files are built by repeating those threads.

Usage::

    python benchmarks/perf.py all                 # full sizes (about 10 minutes)
    python benchmarks/perf.py throughput length   # some of them
    python benchmarks/perf.py all --quick         # CI smoke run: tiny sizes, seconds each
    python benchmarks/perf.py throughput --profile  # also print where the time goes
    python benchmarks/perf.py all --save          # also write benchmarks/results/*.json

Every figure is printed on a line of its own, ``RATIO name = value  target ...  met``,
and again in a summary at the end. The exit code is 0 whether or not targets are met
(``--check`` makes it 1 when one is missed): the CI smoke run only checks that every
benchmark runs and prints its ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import gc
import io
import itertools
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "data" / "twcs_airlines_dialogues.jsonl"
RESULTS = HERE / "results"
BENCHMARKS = ("throughput", "parallel", "length", "memory", "startup")
HEAVY_MODULES = ("nltk", "vaderSentiment", "pandas")

Record = dict[str, Any]


# -- input ------------------------------------------------------------------------------


def read_threads(path: Path, limit: int | None = None) -> list[Record]:
    """The first ``limit`` threads of a dialogue JSONL file, as ``{"id", "turns"}`` records."""
    threads: list[Record] = []
    with path.open(encoding="utf-8") as handle:
        for line in itertools.islice(handle, limit):
            if line.strip():
                record = json.loads(line)
                threads.append({"id": str(record["id"]), "turns": record["turns"]})
    return threads


_CITIES = ("Denver", "Boston", "Austin", "Chicago", "Seattle", "Miami", "Dallas", "Newark")
_ITEMS = ("bag", "suitcase", "car seat", "guitar case", "stroller", "backpack")
_OPENERS = (
    "My flight {flight} to {city} was cancelled and nobody told me!!",
    "I've been on hold for {hours} hours trying to change my booking. Ridiculous.",
    "Thanks for getting me on the earlier flight, the crew today was great",
    "Where is my {item}? It never showed up in {city} and the desk was closed",
    "Why was I charged ${amount} for a seat upgrade I never got?",
    "Stuck at the gate in {city} for {hours} hours now, any update on flight {flight}",
    "Can you help me add my frequent flyer number to confirmation {code}?",
    "The app keeps crashing when I try to check in for flight {flight}",
    "WORST airline ever. Missed my connection in {city} because of your delay",
    "Is there wifi on the {city} route? I need to work during the flight",
)
_REPLIES = (
    "I'm sorry to hear that. Please DM us your confirmation number and we'll take a look.",
    "That sounds frustrating, and I apologize for the wait. Let me check flight {flight}.",
    "Glad to hear it! We'll pass your kind words along to the crew.",
    "So your {item} didn't arrive in {city}? Please file a report at the baggage office.",
    "I understand how upsetting this is. I've refunded the ${amount} to your card.",
    "Could you tell me which seat you were assigned on flight {flight}?",
    "You can add it under My Trips in the app, or send us {code} and we'll do it for you.",
    "Please try reinstalling the app; if it still crashes, our web check-in works too.",
    "We apologize for the missed connection. I've rebooked you on the next flight to {city}.",
    "Most of our {city} flights have wifi; you can check the seat map for the icon.",
)
_FOLLOW_UPS = (
    "Just sent it. Code is {code}.",
    "ok thanks, still waiting though",
    "That doesn't help me at all, I need to be in {city} tonight",
    "Done, flight {flight}, seat {seat}",
    "Thank you so much for sorting this out!",
    "Nobody answers at the baggage office. What now???",
)


def synthetic_threads(count: int, seed: int = 7) -> list[Record]:
    """Airline-support-like threads from templates (for machines without the real data).

    Thread lengths follow the real data's shape: mostly two or three turns, up to twelve.
    """
    rng = random.Random(seed)

    def fill(template: str) -> str:
        return template.format(
            flight=rng.randint(100, 2999),
            city=rng.choice(_CITIES),
            hours=rng.randint(2, 9),
            item=rng.choice(_ITEMS),
            amount=rng.choice((25, 49, 75, 120, 350)),
            code="".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)),
            seat=f"{rng.randint(1, 38)}{rng.choice('ABCDEF')}",
        )

    threads = []
    for number in range(count):
        length = rng.choices((2, 3, 4, 5, 6, 8, 12), weights=(50, 20, 12, 8, 5, 3, 2))[0]
        first = rng.randrange(len(_OPENERS))
        turns = [{"role": "customer", "text": fill(_OPENERS[first])}]
        for position in range(1, length):
            if position % 2:
                template = _REPLIES[first] if position == 1 else rng.choice(_REPLIES)
                turns.append({"role": "agent", "text": fill(template)})
            else:
                turns.append({"role": "customer", "text": fill(rng.choice(_FOLLOW_UPS))})
        threads.append({"id": f"synthetic:{number}", "turns": turns})
    return threads


@dataclass
class Source:
    """Where the threads come from, and a way to get more of them."""

    description: str
    path: Path | None

    def threads(self, limit: int | None) -> list[Record]:
        if self.path is not None:
            return read_threads(self.path, limit)
        return synthetic_threads(limit if limit is not None else 42_000)


def choose_source(args: argparse.Namespace) -> Source:
    if args.synthetic:
        return Source("synthetic airline-support threads (generated)", None)
    path = Path(args.data) if args.data else DEFAULT_DATA
    if path.is_file():
        return Source(f"real airline support threads ({path.name})", path)
    if args.data:
        raise SystemExit(f"perf.py: no such file: {args.data}")
    return Source("synthetic airline-support threads (generated; the real data is absent)", None)


def cycle_turns(threads: Sequence[Record], count: int) -> list[dict[str, str]]:
    """Exactly ``count`` turns: the threads' turns one after another, repeated as needed."""
    stream = itertools.cycle(turn for thread in threads for turn in thread["turns"])
    return [dict(turn) for turn in itertools.islice(stream, count)]


def cut(turns: list[dict[str, str]], size: int) -> list[list[dict[str, str]]]:
    """``turns`` cut, in order, into conversations of ``size`` turns (the last may be shorter)."""
    return [turns[start : start + size] for start in range(0, len(turns), size)]


def write_repeated(threads: Sequence[Record], turns: int, path: Path) -> int:
    """Write threads to ``path`` as JSONL until ``turns`` turns, repeating them with new ids.

    Returns:
        The number of conversations written.
    """
    written = conversations = 0
    with path.open("w", encoding="utf-8") as out:
        for copy in itertools.count():
            for thread in threads:
                part = thread["turns"][: turns - written]
                out.write(json.dumps({"id": f"{thread['id']}#{copy}", "turns": part}) + "\n")
                written += len(part)
                conversations += 1
                if written >= turns:
                    return conversations
    raise AssertionError("unreachable")


# -- measuring --------------------------------------------------------------------------


@dataclass
class Figure:
    """One result beside its target."""

    name: str
    value: float
    op: str  # ">=", "<=" or "<"
    target: float
    stretch: float | None = None
    detail: str = ""
    runs: list[float] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return _holds(self.value, self.op, self.target)

    def line(self) -> str:
        stretch = ""
        if self.stretch is not None:
            reached = "reached" if _holds(self.value, self.op, self.stretch) else "not reached"
            stretch = f" (stretch {self.op} {self.stretch:g}: {reached})"
        verdict = "met" if self.met else "MISSED"
        return (
            f"RATIO {self.name} = {self.value:.3g}  target {self.op} {self.target:g}"
            f"{stretch}  {verdict}"
        )


def _holds(value: float, op: str, target: float) -> bool:
    if op == ">=":
        return value >= target
    if op == "<=":
        return value <= target
    return value < target


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def clock(function: Callable[[], object]) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


@dataclass
class Paired:
    """Wall and CPU times (this process) of a baseline and a candidate, run alternately."""

    base: list[float] = field(default_factory=list)
    cand: list[float] = field(default_factory=list)
    base_cpu: list[float] = field(default_factory=list)
    cand_cpu: list[float] = field(default_factory=list)

    def ratios(self, *, cpu: bool = False, inverse: bool = False) -> list[float]:
        """Per-repetition baseline time over candidate time (or the inverse)."""
        base, cand = (self.base_cpu, self.cand_cpu) if cpu else (self.base, self.cand)
        pairs = zip(base, cand, strict=True)
        return [c / b if inverse else b / c for b, c in pairs]

    def run(self, function: Callable[[], object], *, baseline: bool) -> None:
        cpu = time.process_time()
        wall = clock(function)
        cpu = time.process_time() - cpu
        (self.base if baseline else self.cand).append(wall)
        (self.base_cpu if baseline else self.cand_cpu).append(cpu)


def alternate(
    baseline: Callable[[], object], candidate: Callable[[], object], repeat: int
) -> Paired:
    """Time both ``repeat`` times, alternating which goes first (so drift hits both)."""
    paired = Paired()
    for rep in range(repeat):
        first_baseline = rep % 2 == 0
        paired.run(baseline if first_baseline else candidate, baseline=first_baseline)
        paired.run(candidate if first_baseline else baseline, baseline=not first_baseline)
    return paired


def fmt_runs(values: Sequence[float], unit: str = "s") -> str:
    return " ".join(f"{v:.3g}" for v in values) + f" {unit}"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min) / {five:.1f} (5 min)"


def profile_breakdown(function: Callable[[], object], top: int = 15) -> list[str]:
    """Run ``function`` under cProfile; own time by component, then the top functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    groups: dict[str, float] = {}
    for (filename, _, _), entry in raw.items():
        groups[_component(filename)] = groups.get(_component(filename), 0.0) + entry[2]
    lines = [f"profile: {total:.2f} s of own time (cProfile inflates small calls)"]
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1]):
        if seconds / total >= 0.005:
            lines.append(f"  {100 * seconds / total:5.1f} %  {name}")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(top)
    body = buffer.getvalue()
    start = body.find("   ncalls")
    lines.append(f"top {top} functions by own time:")
    lines.extend("  " + row for row in body[start:].rstrip().splitlines() if row.strip())
    return lines


def stage_breakdown(
    threads: Sequence[Record], baseline: Callable[[], object], repeat: int
) -> list[str]:
    """CPU time of each stage of scoring, timed on its own, over the baseline's.

    Each repetition times the baseline, then every stage once, in pipeline order on
    fresh conversations; the median of each stage's ratio is printed. A first, untimed
    run fills the caches (token spellings, stems) that a long run keeps warm.
    """
    import empathykit

    for _ in empathykit.score_many(threads):
        pass
    stages: dict[str, list[float]] = {}
    for _ in range(repeat):
        start = time.process_time()
        baseline()
        base = time.process_time() - start
        for name, seconds in _stage_times(threads).items():
            stages.setdefault(name, []).append(seconds / base)
    lines = [
        "stages: CPU time of each, timed on its own, over VADER on every turn "
        f"(median of {repeat}):"
    ]
    lines += [f"  {median(ratios):5.2f}  {name}" for name, ratios in stages.items()]
    return lines


_VADER_STAGE = "VADER on the customer turns (what empathykit needs of it; part of the analysis)"
# Mostly the cost of interleaving: each stage above is timed alone, in a tight loop over
# every conversation, while a real run takes each conversation through all of them (on
# 2026-12-05 the batch loop itself, and the garbage collector, measured no difference).
_REST_STAGE = "The rest: the whole run less the stages above (interleaving, batch loop, checks, GC)"


def _stage_times(threads: Sequence[Record]) -> dict[str, float]:
    """CPU seconds of each stage of scoring ``threads``, each run on its own."""
    import empathykit
    from empathykit._analysis import _sentiment, analyse
    from empathykit._score import build_report, resolve_scorers

    times: dict[str, float] = {}
    cpu = time.process_time
    customer = [t["text"] for th in threads for t in th["turns"] if t["role"] == "customer"]
    start = cpu()
    for text in customer:
        _sentiment(text)
    times[_VADER_STAGE] = cpu() - start

    start = cpu()
    convs = [empathykit.as_conversation(th["turns"], id=th["id"]) for th in threads]
    times["Reading records into conversations"] = cpu() - start

    start = cpu()
    for conv in convs:
        analyse(conv)
    times["Analysis: tokens, stems, customer signals, VADER"] = cpu() - start
    for conv in convs:  # the analysis the scorers read, computed outside the timings
        _ = conv.analysis

    results = []
    for scorer in resolve_scorers(None):
        start = cpu()
        results.append([scorer(conv) for conv in convs])
        times[f"Scorer {scorer.name}"] = cpu() - start

    start = cpu()
    for conv, dimensions in zip(convs, zip(*results, strict=True), strict=True):
        build_report(conv, dimensions, None)
    times["Weighing and the report (checked against the conversation)"] = cpu() - start
    # The whole run, timed without the stages' conversations and results alive (the
    # garbage collector would otherwise scan them all, and the total would be too high).
    del convs, results
    gc.collect()
    start = cpu()
    for _ in empathykit.score_many(threads):
        pass
    whole = cpu() - start
    times[_REST_STAGE] = whole - sum(times.values()) + times[_VADER_STAGE]
    times["score_many(n_jobs=1), in all"] = whole
    return times


def floor_breakdown(
    threads: Sequence[Record], baseline: Callable[[], object], repeat: int
) -> list[str]:
    """The work in scoring that no Python around it can remove, over the baseline.

    The cue searches of one run are recorded (each pattern the key index let through,
    with the text it searched) and replayed in a bare loop, with no scorer code around
    them; VADER on the customer turns and reading each turn's words (tokens and keys,
    one regular-expression pass each) are timed alone. Their sum is what scoring costs
    if every other step were free: the best ratio these rules allow with Python's
    regular-expression engine.
    """
    import empathykit
    from empathykit._analysis import _TOKEN_RE, _sentiment
    from empathykit._keys import text_keys
    from empathykit._lexicon import Cue

    searches: list[tuple[Any, str]] = []
    origins: list[str] = []  # of each search: see _search_origin
    original = Cue.finditer_parts

    def recording(self: Any, folded: str, mask: int) -> Any:
        if mask and self.folded is not None:
            if mask == (1 << len(self.parts)) - 1:
                searches.append((self._searcher(len(self.parts)), folded))
                origins.append(_WHOLE)
            else:
                for number in range(len(self.parts)):
                    if mask >> number & 1:
                        searches.append((self._searcher(number), folded))
                        origins.append(_search_origin(self.parts[number]))
        return original(self, folded, mask)

    Cue.finditer_parts = recording  # type: ignore[method-assign]
    try:
        for _ in empathykit.score_many(threads):
            pass
    finally:
        Cue.finditer_parts = original  # type: ignore[method-assign]
    texts = [turn["text"] for thread in threads for turn in thread["turns"]]
    customer = [t["text"] for th in threads for t in th["turns"] if t["role"] == "customer"]

    def replayer(items: list[tuple[Any, str]]) -> Callable[[], None]:
        def replay() -> None:
            for pattern, text in items:
                for _ in pattern.finditer(text):
                    pass

        return replay

    def words() -> None:
        for text in texts:
            _TOKEN_RE.findall(text)
            text_keys(text.lower())

    def vader() -> None:
        for text in customer:
            _sentiment(text)

    parts = {
        "VADER on the customer turns": vader,
        f"the cue searches alone, replayed ({len(searches):,} searches)": replayer(searches),
        "reading the words of every turn (tokens, keys)": words,
    }
    # The same searches again, by where each alternative came from (see _search_origin).
    split = {}
    for origin in (_PATTERN, _PHRASES, _WHOLE):
        chosen = [search for search, o in zip(searches, origins, strict=True) if o == origin]
        split[f"{origin} ({len(chosen):,} searches)"] = replayer(chosen)
    ratios: dict[str, list[float]] = {name: [] for name in [*parts, *split]}
    cpu = time.process_time
    for _ in range(repeat):
        start = cpu()
        baseline()
        base = cpu() - start
        for name, function in [*parts.items(), *split.items()]:
            start = cpu()
            function()
            ratios[name].append((cpu() - start) / base)
    floor = sum(median(ratios[name]) for name in parts)
    lines = [
        f"floor: CPU time of the work no Python step can remove, over VADER (median of {repeat}):"
    ]
    lines += [f"  {median(ratios[name]):5.2f}  {name}" for name in parts]
    lines.append(
        f"  {floor:5.2f}  in all: with every other step free, the ratio would be {1 / floor:.2f}"
    )
    lines.append(f"the cue searches by origin, replayed (median of {repeat}):")
    lines += [f"  {median(ratios[name]):5.2f}  {name}" for name in split]
    return lines


def matching_breakdown(
    threads: Sequence[Record], baseline: Callable[[], object], repeat: int
) -> list[str]:
    """What cue matching costs inside a real run, over the baseline.

    One run records every answer of the matching layer (each cue set's matches in each
    text, once however often the text repeats) and the searches it made. ``score_many``
    is then timed as it is, with each answer taken from that record after its searches
    are run again (the searches are done, the bookkeeping around them is free), and with
    each answer taken from the record alone (matching is free). The last is the best any
    matcher could give with every other step as it is. The searches are timed in the
    run, beside the rest of the work, not replayed alone as in :func:`floor_breakdown`.
    """
    import empathykit
    from empathykit import _lexicon

    original_matches = _lexicon._matches
    original_parts = _lexicon.Cue.finditer_parts
    answers: dict[tuple[int, str], Any] = {}
    # Each index seen, kept alive so that its id cannot be reused by another's.
    indexes: dict[int, Any] = {}
    searches: dict[tuple[int, str], list[tuple[Any, str]]] = {}
    current: list[tuple[Any, str]] = []

    def recording_parts(self: Any, folded: str, mask: int) -> Any:
        if mask and self.folded is not None:
            if mask == (1 << len(self.parts)) - 1:
                current.append((self._searcher(len(self.parts)), folded))
            else:
                for number in range(len(self.parts)):
                    if mask >> number & 1:
                        current.append((self._searcher(number), folded))
        return original_parts(self, folded, mask)

    def recording(cues: Any, index: Any, text: str, folded: Any, keys: Any) -> Any:
        current.clear()
        indexes[id(index)] = index
        answer = answers[id(index), text] = original_matches(cues, index, text, folded, keys)
        searches[id(index), text] = list(current)
        return answer

    def searched(cues: Any, index: Any, text: str, folded: Any, keys: Any) -> Any:
        for pattern, lowered in searches[id(index), text]:
            for _ in pattern.finditer(lowered):
                pass
        return answers[id(index), text]

    def answered(cues: Any, index: Any, text: str, folded: Any, keys: Any) -> Any:
        return answers[id(index), text]

    def run_with(matches: Callable[..., Any]) -> Callable[[], None]:
        def run() -> None:
            _lexicon._matches = matches
            try:
                for _ in empathykit.score_many(threads):
                    pass
            finally:
                _lexicon._matches = original_matches

        return run

    _lexicon.Cue.finditer_parts = recording_parts  # type: ignore[method-assign]
    try:
        run_with(recording)()
    finally:
        _lexicon.Cue.finditer_parts = original_parts  # type: ignore[method-assign]
    runs = {
        "score_many as it is": run_with(original_matches),
        "with the searches run and the bookkeeping around them free": run_with(searched),
        "with matching free (every answer from the record)": run_with(answered),
    }
    ratios: dict[str, list[float]] = {name: [] for name in runs}
    cpu = time.process_time
    for _ in range(repeat):
        start = cpu()
        baseline()
        base = cpu() - start
        for name, function in runs.items():
            start = cpu()
            function()
            ratios[name].append((cpu() - start) / base)
    lines = [
        f"cue matching in the run: CPU time over VADER (median of {repeat}; "
        f"{len(answers):,} distinct answers recorded, "
        f"{sum(map(len, searches.values())):,} searches behind them):"
    ]
    lines += [f"  {median(ratios[name]):5.2f}  {name}" for name in runs]
    free = median(ratios[list(runs)[-1]])
    lines.append(f"         a matcher that cost nothing would give a ratio of {1 / free:.2f}")
    return lines


_PATTERN = "alternatives from regular-expression patterns"
_PHRASES = "alternatives from phrase lists"
_WHOLE = "cues searched whole (every alternative chosen, or only one)"
# How _lexicon.compile_cues wraps each pattern of a rule ("(?:...)", "(?x:...)"); the
# alternatives built from a phrase list start with a word's guard or its letters instead.
_PATTERN_PART = re.compile(r"\(\?[aiLmsux]*:")


def _search_origin(part: str) -> str:
    """Whether a cue's alternative came from a rule's patterns or from its phrases."""
    return _PATTERN if _PATTERN_PART.match(part) else _PHRASES


def _component(filename: str) -> str:
    path = filename.replace(os.sep, "/")
    if "vaderSentiment" in path:
        return "vaderSentiment (polarity_scores)"
    if "/nltk/" in path:
        return "nltk (Snowball stemmer, negation regex)"
    if "/empathykit/" in path:
        module = path.rsplit("/empathykit/", 1)[1]
        return "empathykit/" + (
            "scorers/" if module.startswith("scorers/") else module.removesuffix(".py")
        )
    if "/attr/" in path or "/attrs/" in path or path.startswith("<attrs generated"):
        return "attrs (frozen classes: __init__, validators, converters)"
    if path == "~":
        return "built-ins (re matching, str methods, json, ...)"
    if "/json/" in path:
        return "json"
    return "other Python: " + path.rsplit("/", 1)[-1]


# -- benchmarks -------------------------------------------------------------------------


@dataclass
class Context:
    args: argparse.Namespace
    source: Source
    figures: list[Figure] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def repeat(self, full: int) -> int:
        if self.args.repeat is not None:
            return int(self.args.repeat)
        return min(full, 3) if self.args.quick else full

    def size(self, full: int | None, quick: int) -> int | None:
        return quick if self.args.quick else full

    def report(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(figure.line())
        if figure.detail:
            print(f"      {figure.detail}")


def _turn_count(threads: Sequence[Record]) -> int:
    return sum(len(t["turns"]) for t in threads)


def bench_throughput(ctx: Context) -> None:
    """score_many(n_jobs=1) over every thread against polarity_scores on every turn."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    import empathykit

    threads = ctx.source.threads(ctx.args.limit or ctx.size(None, 300))
    texts = [turn["text"] for thread in threads for turn in thread["turns"]]
    customer = sum(t["role"] == "customer" for thread in threads for t in thread["turns"])
    print(f"input: {len(threads):,} threads, {len(texts):,} turns ({customer:,} customer)")
    vader = SentimentIntensityAnalyzer()

    def baseline() -> None:
        for text in texts:
            vader.polarity_scores(text)

    def candidate() -> None:
        for _ in empathykit.score_many(threads, n_jobs=1):
            pass

    # Warm up both (lexicons, scorers, compiled patterns, caches) outside the timings.
    for _ in empathykit.score_many(threads[:50]):
        pass
    for text in texts[:200]:
        vader.polarity_scores(text)
    paired = alternate(baseline, candidate, ctx.repeat(3))
    base, cand, ratios = paired.base, paired.cand, paired.ratios()
    print(f"  VADER       runs {fmt_runs(base)}; {len(texts) / median(base):,.0f} turns/s")
    print(f"  empathykit  runs {fmt_runs(cand)}; {len(texts) / median(cand):,.0f} turns/s")
    ctx.report(
        Figure(
            name="throughput.ratio",
            value=median(ratios),
            op=">=",
            target=0.5,
            stretch=1.0,
            detail="empathykit turns/s over VADER turns/s, median of "
            f"{len(ratios)} paired runs ({fmt_runs(ratios, 'x')}); in CPU time "
            f"{median(paired.ratios(cpu=True)):.3g}",
            runs=ratios,
        )
    )
    if ctx.args.profile:
        for line in stage_breakdown(threads, baseline, ctx.repeat(3)):
            print(line)
        for line in floor_breakdown(threads, baseline, ctx.repeat(3)):
            print(line)
        for line in matching_breakdown(threads, baseline, ctx.repeat(3)):
            print(line)
        for line in profile_breakdown(candidate):
            print(line)


def bench_parallel(ctx: Context) -> None:
    """score_many(n_jobs=2) against n_jobs=1 on the same threads (pool start-up included)."""
    import empathykit

    threads = ctx.source.threads(ctx.args.limit or ctx.size(10_000, 400))
    print(f"input: {len(threads):,} threads, {_turn_count(threads):,} turns; {os.cpu_count()} CPUs")

    workers_cpu: list[float] = []

    def run(jobs: int) -> Callable[[], None]:
        def go() -> None:
            before = _children_cpu()
            for _ in empathykit.score_many(threads, n_jobs=jobs):
                pass
            if jobs > 1:
                workers_cpu.append(_children_cpu() - before)

        return go

    ceilings: list[float] = []
    loops = 1_000_000 if ctx.args.quick else 5_000_000

    for _ in empathykit.score_many(threads[:50]):
        pass
    paired = Paired()
    for rep in range(ctx.repeat(3)):
        ceilings.append(cpu_ceiling(loops))  # beside each pair, outside its timings
        for jobs in (1, 2) if rep % 2 == 0 else (2, 1):
            paired.run(run(jobs), baseline=jobs == 1)
    one, two, speedups = paired.base, paired.cand, paired.ratios()
    print(f"  n_jobs=1  runs {fmt_runs(one)}; CPU {fmt_runs(paired.base_cpu)}")
    print(
        f"  n_jobs=2  runs {fmt_runs(two)}; CPU of the parent {fmt_runs(paired.cand_cpu)}, "
        f"of the workers {fmt_runs(workers_cpu)} (counted once they have exited)"
    )
    ctx.report(
        Figure(
            name="parallel.speedup",
            value=median(speedups),
            op=">=",
            target=1.7,
            detail=f"time of n_jobs=1 over n_jobs=2, median of {len(speedups)} paired runs "
            f"({fmt_runs(speedups, 'x')}); the most this machine allowed meanwhile "
            f"(two pure-Python loops at once over one): {fmt_runs(ceilings, 'x')}",
            runs=speedups,
        )
    )


def _burn(loops: int) -> float:
    """Pure-Python CPU work; returns its wall time."""
    start = time.perf_counter()
    total = 0
    for number in range(loops):
        total += number * number
    return time.perf_counter() - start


def cpu_ceiling(loops: int) -> float:
    """How many CPUs this machine gives two busy processes right now (2.0 when idle).

    The same pure-Python loop runs once in this process, then twice at once in two
    worker processes: two loops' work over the time the pair took, in units of one loop.
    """
    from concurrent.futures import ProcessPoolExecutor

    alone = _burn(loops)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pool.submit(_burn, 1000).result()  # start the workers outside the timing
        start = time.perf_counter()
        list(pool.map(_burn, [loops, loops]))
        together = time.perf_counter() - start
    return 2 * alone / together


def _children_cpu() -> float:
    """User + system CPU seconds of this process's exited (waited-for) children."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_length(ctx: Context) -> None:
    """One conversation of 20,000 turns against the same turns as ten of 2,000."""
    # The baseline is made of the *same* turns, cut into ten conversations, so that the
    # ratio measures what length costs, not what other text costs. It also gives both
    # sides their share of full garbage collections: CPython starts one when enough
    # objects have survived since the last, so ten short conversations set off about as
    # many as one long one with the same turns, while a single short run, starting from
    # the count a long run's collections had just reset, seldom reaches the threshold.
    import empathykit

    small_n, large_n = (200, 2_000) if ctx.args.quick else (2_000, 20_000)
    threads = ctx.source.threads(ctx.args.limit or ctx.size(None, 1_000))
    large = cycle_turns(threads, large_n)
    pieces = cut(large, small_n)
    print(
        f"input: one conversation of {large_n:,} turns from {len(threads):,} threads, and "
        f"the same turns as {len(pieces)} conversations of {small_n:,}"
    )
    piece_times: list[list[float]] = []
    full_collections: dict[bool, list[int]] = {True: [], False: []}

    def full_gcs() -> int:
        return int(gc.get_stats()[2]["collections"])

    def run_pieces() -> None:
        before = full_gcs()
        times = [clock(functools.partial(empathykit.score, piece)) for piece in pieces]
        piece_times.append(times)
        full_collections[True].append(full_gcs() - before)

    def run_large() -> None:
        before = full_gcs()
        empathykit.score(large)
        full_collections[False].append(full_gcs() - before)

    run_pieces()  # warm up caches on the turns both runs use
    run_large()
    piece_times.clear()
    full_collections[True].clear()
    full_collections[False].clear()
    paired = alternate(run_pieces, run_large, ctx.repeat(5))
    count = len(pieces)
    scale = len(large) / small_n  # short conversations' worth of turns (10 unless cut unevenly)
    ratios = [scale * r for r in paired.ratios(inverse=True)]
    cpu_ratios = [scale * r for r in paired.ratios(cpu=True, inverse=True)]
    each = [t for times in piece_times for t in times]
    print(
        f"  {count} x {small_n:,} turns  runs {fmt_runs(paired.base)} "
        f"(one conversation: {min(each):.3g} to {max(each):.3g} s, median {median(each):.3g}); "
        f"full GC collections {' '.join(map(str, full_collections[True]))}"
    )
    print(
        f"  1 x {large_n:,} turns  runs {fmt_runs(paired.cand)}; "
        f"full GC collections {' '.join(map(str, full_collections[False]))}"
    )
    ctx.report(
        Figure(
            name="length.time_ratio",
            value=median(ratios),
            op="<=",
            target=11,
            detail=f"time for one {large_n:,}-turn conversation over the mean time for one of "
            f"{small_n:,} (the same turns cut in {count}), median of {len(ratios)} paired runs "
            f"({fmt_runs(ratios, 'x')}); in CPU time {median(cpu_ratios):.3g}",
            runs=ratios,
        )
    )
    if ctx.args.profile:
        for line in profile_breakdown(run_large):
            print(line)


def _command() -> list[str]:
    """The ``empathykit`` command: the console script beside this Python, else ``-m``."""
    script = Path(sys.executable).with_name("empathykit")
    if script.is_file():
        return [str(script)]
    found = shutil.which("empathykit")
    return [found] if found else [sys.executable, "-m", "empathykit"]


def _status_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


# A fresh, small interpreter starts the measured command and reports the command's peak
# RSS. Started straight from this process, the command's ru_maxrss would include this
# process's own peak: Linux carries a vfork()ed child's parent's high-water RSS across exec.
_LAUNCHER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
print(child.pid, flush=True)
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss]), flush=True)
"""


def run_measured(command: list[str]) -> tuple[float, int, list[int]]:
    """Run ``command``; its wall time, peak RSS (KiB) and its RSS sampled every 0.2 s."""
    samples: list[int] = []
    start = time.perf_counter()
    launcher = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert launcher.stdout is not None
    assert launcher.stderr is not None
    pid = int(launcher.stdout.readline())
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            rss = _status_kb(pid, "VmRSS")
            if rss:
                samples.append(rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors = launcher.stderr.read()  # drained while it runs, so it cannot block on a full pipe
    result = launcher.stdout.read()
    launcher.wait()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    code, peak = json.loads(result) if result.strip() else (launcher.returncode, 0)
    if code != 0 or launcher.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {code}: {errors[-2000:]}")
    return elapsed, int(peak), samples  # ru_maxrss is in KiB on Linux


def _curve(samples: Sequence[int]) -> str:
    if not samples:
        return "too short to sample"
    points = [samples[min(len(samples) - 1, int(q * len(samples)))] for q in (0.1, 0.5, 0.9)]
    points.append(samples[-1])
    return "RSS at 10/50/90/100 % of the run: " + " / ".join(f"{p / 1024:.0f}" for p in points)


def bench_memory(ctx: Context) -> None:
    """Peak RSS of the CLI streaming 1,000,000 turns to a JSONL file, against 100,000."""
    small_n, large_n = (1_000, 10_000) if ctx.args.quick else (100_000, 1_000_000)
    threads = ctx.source.threads(ctx.args.limit or ctx.size(None, 500))
    with tempfile.TemporaryDirectory(prefix="empathykit-perf-") as tmp:
        paths = {}
        for n in (small_n, large_n):
            paths[n] = Path(tmp, f"turns_{n}.jsonl")
            conversations = write_repeated(threads, n, paths[n])
            size = paths[n].stat().st_size / 2**20
            print(f"input: {n:,} turns in {conversations:,} conversations ({size:.0f} MiB)")
        peaks: dict[int, list[int]] = {small_n: [], large_n: []}
        for _ in range(ctx.repeat(1)):
            for n in (small_n, large_n):
                out = Path(tmp, f"out_{n}.jsonl")
                command = [*_command(), "score", str(paths[n]), "--format", "jsonl"]
                elapsed, peak, samples = run_measured([*command, "--output", str(out), "-q"])
                peaks[n].append(peak)
                print(
                    f"  {n:>9,} turns  peak RSS {peak / 1024:.1f} MiB in {elapsed:.1f} s "
                    f"({n / elapsed:,.0f} turns/s); {_curve(samples)} MiB; "
                    f"output {out.stat().st_size / 2**20:.0f} MiB"
                )
                out.unlink()
    small_peak, large_peak = median(peaks[small_n]), median(peaks[large_n])
    ctx.report(
        Figure(
            name="memory.peak_ratio",
            value=large_peak / small_peak,
            op="<=",
            target=1.2,
            detail=f"peak RSS for {large_n:,} turns over {small_n:,} turns "
            f"({large_peak / 1024:.1f} / {small_peak / 1024:.1f} MiB), "
            f"median of {len(peaks[small_n])} run(s) each",
        )
    )
    ctx.report(
        Figure(
            name="memory.peak_mb",
            value=large_peak * 1024 / 1e6,
            op="<",
            target=250,
            detail=f"peak RSS in MB of the {large_n:,}-turn run (`{' '.join(command[1:])}`)",
        )
    )


def bench_startup(ctx: Context) -> None:
    """Fresh-interpreter wall time of import empathykit and empathykit --help vs import nltk."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import nltk": [sys.executable, "-c", "import nltk"],
        "import empathykit": [sys.executable, "-c", "import empathykit"],
        "empathykit --help": [*_command(), "--help"],
    }

    def run(command: list[str]) -> None:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    for command in commands.values():  # warm the file-system cache
        run(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(ctx.repeat(10)):
        order = list(commands) if rep % 2 == 0 else list(reversed(commands))
        for name in order:
            times[name].append(clock(functools.partial(run, commands[name])))
    for name, values in times.items():
        print(f"  {name:<18} median {median(values) * 1000:6.0f} ms  runs {fmt_runs(values)}")
    bare = median(times["python -c pass"])
    for name, figure in (
        ("import empathykit", "import_ratio"),
        ("empathykit --help", "help_ratio"),
    ):
        ratios = [a / b for a, b in zip(times[name], times["import nltk"], strict=True)]
        net = (median(times[name]) - bare) / max(median(times["import nltk"]) - bare, 1e-9)
        ctx.report(
            Figure(
                name=f"startup.{figure}",
                value=median(ratios),
                op="<=",
                target=0.5,
                detail=f"`{name}` over `import nltk`, median of {len(ratios)} paired runs; "
                f"{net:.2f} after taking off the bare interpreter start "
                f"({bare * 1000:.0f} ms)",
                runs=ratios,
            )
        )
    probe = (
        "import json, sys, empathykit; "
        f"print(json.dumps([m for m in {HEAVY_MODULES!r} if m in sys.modules]))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout
    )
    ctx.report(
        Figure(
            name="startup.heavy_modules",
            value=len(loaded),
            op="<=",
            target=0,
            detail=f"of {', '.join(HEAVY_MODULES)} imported by `import empathykit`: "
            f"{', '.join(loaded) or 'none'}",
        )
    )


RUNNERS: dict[str, Callable[[Context], None]] = {
    "throughput": bench_throughput,
    "parallel": bench_parallel,
    "length": bench_length,
    "memory": bench_memory,
    "startup": bench_startup,
}


# -- the command ------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = platform.processor() or "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("empathykit", "nltk", "vaderSentiment"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[package] = version(package)
    try:
        import empathykit

        source = Path(empathykit.__file__).parent
    except ImportError:
        source = HERE
    commit = subprocess.run(
        ["git", "-C", str(source), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    return {
        "cpus": os.cpu_count(),
        "usable_cpus": usable,
        "cpu_model": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "versions": versions,
        "commit": commit or None,
        "package": str(source),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="empathykit speed and memory benchmarks (ratios against same-run baselines)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="benchmarks: " + ", ".join(BENCHMARKS) + ", all",
    )
    parser.add_argument(
        "benchmarks", nargs="*", default=["all"], choices=[*BENCHMARKS, "all"], metavar="NAME"
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI smoke run)")
    parser.add_argument("--repeat", type=int, help="repetitions of every benchmark")
    parser.add_argument("--limit", type=int, help="use only the first N threads")
    parser.add_argument("--data", help="dialogue JSONL file (default: ../shared/data/twcs_...)")
    parser.add_argument("--synthetic", action="store_true", help="use generated threads")
    parser.add_argument(
        "--profile", action="store_true", help="throughput/length: also print a cProfile"
    )
    parser.add_argument(
        "--save",
        nargs="?",
        const="",
        metavar="PATH",
        help="write the results as JSON (default: benchmarks/results/perf-<time>.json)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    names = list(BENCHMARKS) if "all" in args.benchmarks else list(dict.fromkeys(args.benchmarks))
    ctx = Context(args=args, source=choose_source(args))
    info = machine()
    print(
        f"machine: {info['cpus']} CPUs ({info['usable_cpus']} usable), {info['cpu_model']}, "
        f"{info['implementation']} {info['python']}, empathykit "
        f"{info['versions'].get('empathykit', '?')} from {info['package']} "
        f"(commit {info['commit'] or 'unknown: not a git checkout'})"
    )
    print(f"data: {ctx.source.description}{'; --quick sizes' if args.quick else ''}")
    timings: dict[str, dict[str, Any]] = {}
    for name in names:
        print(f"\n== {name}: {RUNNERS[name].__doc__} ==")
        before = load()
        start = time.perf_counter()
        RUNNERS[name](ctx)
        timings[name] = {
            "seconds": round(time.perf_counter() - start, 1),
            "load_before": before,
            "load_after": load(),
        }
        print(f"({timings[name]['seconds']} s; load average {before} before, {load()} after)")
    print("\nsummary")
    for figure in ctx.figures:
        print(figure.line())
    if args.save is not None:
        path = Path(args.save) if args.save else RESULTS / _stamp()
        path.parent.mkdir(parents=True, exist_ok=True)
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": [Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])],
            "machine": info,
            "data": ctx.source.description,
            "quick": args.quick,
            "benchmarks": timings,
            "figures": [{**asdict(f), "met": f.met} for f in ctx.figures],
        }
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"results written to {path}")
    missed = [f.name for f in ctx.figures if not f.met]
    return 1 if args.check and missed else 0


def _stamp() -> str:
    return f"perf-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"


if __name__ == "__main__":
    raise SystemExit(main())
