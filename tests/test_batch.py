"""score_many: order, streaming, failures, worker processes and workers that die."""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, NoReturn, TypedDict
from unittest.mock import patch

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import empathykit
import strategies
from empathykit import (
    Conversation,
    DimensionScore,
    Failure,
    InvalidConversationError,
    Report,
    ScorerError,
    Turn,
)
from empathykit._batch import DEFAULT_CHUNK_SIZE
from empathykit._conversation import release_analysis
from empathykit.exceptions import ConfigurationError, UnknownScorerError

if TYPE_CHECKING:
    from empathykit._batch import ConversationInput

TEXTS = [
    "My order arrived broken!",
    "Where is my refund? It has been three weeks.",
    "Can I change my delivery address?",
    "Thanks, that worked.",
    "I was charged twice for order 5512 and I'm furious!!",
]
REPLIES = [
    "I'm so sorry. I've sent a replacement today.",
    "Let me check that for you.",
    "Yes, you can change it under Orders > Address.",
    "Glad to hear it!",
    "Sorry about that. I've refunded the second charge.",
]


class Options(TypedDict):
    """Keyword options passed to score_many as ``**options``."""

    weights: Mapping[str, float]
    scorers: list[str]


def chat(number: int) -> dict[str, object]:
    return {
        "id": f"c{number}",
        "turns": [
            {"role": "customer", "text": TEXTS[number % len(TEXTS)]},
            {"role": "agent", "text": REPLIES[(number * 3) % len(REPLIES)]},
        ],
    }


def summary(result: Report | Failure) -> object:
    if isinstance(result, Failure):
        return ("failure", result.index, result.id, type(result.error).__name__, result.message)
    return result.to_dict()


@attrs.frozen
class Crashing:
    """Kills its worker process when a turn says CRASH; raises when one says RAISE."""

    name: str = "crashing"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        texts = " ".join(turn.text for turn in conversation.turns)
        if "CRASH" in texts:
            os._exit(3)
        if "RAISE" in texts:
            raise UnpicklableError("scorer failed")
        return DimensionScore(
            name=self.name, value=None, turn_scores=[None] * len(conversation.turns)
        )


class UnpicklableError(Exception):
    """An exception that cannot come back from a worker as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.handle = lambda: None  # lambdas do not pickle

    def __reduce__(self) -> NoReturn:
        raise TypeError("cannot pickle")


def test_results_come_in_input_order_and_equal_score() -> None:
    """Each result is what score() gives for the same conversation, in input order."""
    chats = [chat(n) for n in range(7)]
    results = list(empathykit.score_many(chats))
    expected = [empathykit.score(c["turns"], id=c["id"]).to_dict() for c in chats]  # type: ignore[arg-type]
    assert expected == [summary(r) for r in results]


@attrs.frozen
class RaisesOn:
    """Raises for the conversations with the given ids; N/A for the others."""

    ids: frozenset[str]
    name: str = "raises_on"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        if conversation.id in self.ids:
            raise ValueError(f"cannot score {conversation.id}")
        return DimensionScore(
            name=self.name, value=None, turn_scores=[None] * len(conversation.turns)
        )


@given(
    conversations=st.lists(strategies.conversations(max_size=6), max_size=7),
    chunk_size=st.integers(1, 4),
    block_turns=st.integers(1, 10),
    bad=st.sets(st.integers(0, 6)),
    raising=st.sets(st.integers(0, 6)),
    analysed=st.sets(st.integers(0, 6)),
    position=st.integers(0, 4),
)
def test_scoring_by_chunks_and_blocks_gives_what_score_gives_one_at_a_time(
    conversations: list[Conversation],
    chunk_size: int,
    block_turns: int,
    bad: set[int],
    raising: set[int],
    analysed: set[int],
    position: int,
) -> None:
    """score_many scores a chunk stage by stage (every analysis, then each scorer over
    every conversation), in blocks of at most BLOCK_TURNS turns: whatever the chunk and
    block sizes, each result is what score() gives for that conversation alone, a
    failure stays with its own conversation, and each conversation keeps its analysis
    only if it came with it."""
    from empathykit import _batch
    from empathykit._conversation import analysis_cached

    items: list[object] = []
    for number, conversation in enumerate(conversations):
        conversation = attrs.evolve(conversation, id=f"x{number}")
        if number in analysed:
            conversation.analysis  # noqa: B018 (read, so that it is kept)
        items.append({"id": f"x{number}", "turns": []} if number in bad else conversation)
    scorers = list(empathykit.default_scorers())
    scorers.insert(position, RaisesOn(frozenset(f"x{n}" for n in raising)))
    expected: list[object] = []
    for number, item in enumerate(items):
        try:
            if isinstance(item, dict):
                empathykit.as_conversation(item["turns"], id=item["id"])
            expected.append(empathykit.score(item, scorers=scorers).to_dict())  # type: ignore[arg-type]
        except (InvalidConversationError, ScorerError) as error:
            expected.append(("failure", number, f"x{number}", type(error).__name__, str(error)))
        if isinstance(item, Conversation) and number not in analysed:
            release_analysis(item)
    with patch.object(_batch, "BLOCK_TURNS", block_turns):
        results = list(
            empathykit.score_many(items, scorers=scorers, chunk_size=chunk_size)  # type: ignore[arg-type]
        )
    assert expected == [summary(r) for r in results]
    for number, item in enumerate(items):
        if isinstance(item, Conversation):
            assert analysis_cached(item) is (number in analysed)


def test_every_accepted_shape_is_scored() -> None:
    """Conversations, transcripts, turn lists and records are all accepted."""
    items: list[ConversationInput] = [
        empathykit.as_conversation("Customer: Hi\nAgent: Hello", id="conv"),
        "Customer: Hi\nAgent: Hello",
        [("customer", "Hi"), ("agent", "Hello")],
        {"id": 9, "messages": [{"role": "user", "content": "Hi"}]},
    ]
    results = list(empathykit.score_many(items))
    assert ["conv", None, None, "9"] == [r.conversation.id for r in results]  # type: ignore[union-attr]


def test_failures_are_reported_with_id_and_do_not_stop_the_rest() -> None:
    """Bad conversations yield a Failure in their place; every good one is scored."""
    items: list[object] = [chat(0), {"id": "empty", "turns": []}, chat(1), 42, chat(2)]
    results = list(empathykit.score_many(items))  # type: ignore[arg-type]
    assert len(items) == len(results)
    failures = [r for r in results if isinstance(r, Failure)]
    assert [(1, "empty"), (3, None)] == [(f.index, f.id) for f in failures]
    assert all(isinstance(f.error, InvalidConversationError) for f in failures)
    assert ["c0", "c1", "c2"] == [r.conversation.id for r in results if isinstance(r, Report)]
    assert "conversation 'empty' (#1): InvalidConversationError:" in str(failures[0])


def test_a_record_id_that_is_not_a_string_or_an_integer_is_a_failure() -> None:
    """As in the file readers, a record's id is a str or an int: any other id is a Failure
    in its place (not its str()), and the other records are scored."""
    turns = chat(0)["turns"]
    items: list[dict[str, object]] = [
        {"id": {"a": 1}, "turns": turns},
        {"id": 7, "turns": turns},
        {"id": True, "messages": turns},
        {"id": 1.5, "turns": turns},
        {"id": "ok", "turns": turns},
        {"id": None, "turns": turns},
    ]
    results = list(empathykit.score_many(items))
    assert [("failure", 0, None), "7", ("failure", 2, None), ("failure", 3, None), "ok", None] == [
        ("failure", r.index, r.id) if isinstance(r, Failure) else r.conversation.id for r in results
    ]
    [first, _, _] = [r for r in results if isinstance(r, Failure)]
    assert isinstance(first.error, InvalidConversationError)
    assert "expected 'id' as a string or an integer, got dict {'a': 1}" == first.message
    seen: list[Failure] = []
    reports = list(empathykit.score_many(items, on_error=seen.append))
    assert (["7", "ok", None], [0, 2, 3]) == (
        [r.conversation.id for r in reports],
        [f.index for f in seen],
    )


def test_on_error_takes_failures_and_only_reports_are_yielded() -> None:
    """With on_error, failures go to the callback."""
    seen: list[Failure] = []
    items: list[dict[str, object]] = [
        chat(0),
        {"id": "bad", "turns": [{"role": "robot", "text": "beep"}]},
        chat(1),
    ]
    reports = list(empathykit.score_many(items, on_error=seen.append))
    assert ["c0", "c1"] == [r.conversation.id for r in reports]
    assert ["bad"] == [f.id for f in seen]
    assert "unknown role 'robot'" in seen[0].message


@pytest.mark.parametrize("chunk_size", [1, 3, DEFAULT_CHUNK_SIZE])
def test_serial_scoring_streams(chunk_size: int) -> None:
    """In-process scoring reads the input a chunk at a time: no further ahead of the
    results than ``chunk_size`` conversations (one at a time with ``chunk_size=1``)."""
    taken: list[int] = []

    def source() -> Iterator[dict[str, object]]:
        for number in range(1000):
            taken.append(number)
            yield chat(number)

    results = empathykit.score_many(source(), chunk_size=chunk_size)
    for expected in range(2 * chunk_size + 1):
        report = next(results)
        assert isinstance(report, Report)
        assert report.conversation.id == f"c{expected}"
        assert len(taken) == (expected // chunk_size + 1) * chunk_size


@pytest.mark.parametrize(("jobs", "chunk_size"), [(1, 64), (1, 2), (2, 64), (2, 2)])
def test_what_was_read_before_the_input_fails_is_scored(jobs: int, chunk_size: int) -> None:
    """When the input itself raises, the conversations read before it are scored and
    yielded first, then the error propagates (in one process as with workers)."""

    def source() -> Iterator[dict[str, object]]:
        yield from (chat(number) for number in range(5))
        raise OSError("the disk went away")

    results = empathykit.score_many(source(), n_jobs=jobs, chunk_size=chunk_size)
    ids = [next(results).conversation.id for _ in range(5)]  # type: ignore[union-attr]
    assert ["c0", "c1", "c2", "c3", "c4"] == ids
    with pytest.raises(OSError, match="disk went away") as raised:
        next(results)
    assert raised.value.__context__ is None  # not raised while handling another error


def test_blocks_hold_at_most_block_turns_unless_one_conversation_is_longer() -> None:
    """A chunk is scored in blocks of consecutive conversations with at most
    BLOCK_TURNS turns in all; a longer conversation is a block of its own."""
    from empathykit import _batch

    sizes = [2, 3, 1, 9, 2, 2, 4, 1, 1, 5]
    items = [
        empathykit.as_conversation(
            [("customer" if t % 2 == 0 else "agent", f"turn {t}") for t in range(size)],
            id=f"n{number}",
        )
        for number, size in enumerate(sizes)
    ]
    blocks: list[list[int]] = []
    score_block = _batch._score_block

    def spy(block: list[tuple[int, Conversation]], options: object) -> list[Report | Failure]:
        blocks.append([len(conversation.turns) for _, conversation in block])
        return score_block(block, options)  # type: ignore[arg-type]

    with patch.object(_batch, "BLOCK_TURNS", 5), patch.object(_batch, "_score_block", spy):
        results = list(empathykit.score_many(items, chunk_size=7))
    assert [[2, 3], [1], [9], [2, 2], [4], [1, 1], [5]] == blocks  # chunks of 7 and 3
    assert [f"n{n}" for n in range(10)] == [r.conversation.id for r in results]  # type: ignore[union-attr]


def test_a_worker_scores_its_chunk_in_blocks_and_keeps_failures_apart() -> None:
    """In a worker, a chunk is scored in blocks too, with the same results and failures
    as in one process."""
    from empathykit import _batch

    conversations = [
        empathykit.as_conversation(chat(n)["turns"], id=f"c{n}")  # type: ignore[arg-type]
        for n in range(6)
    ]
    scorers = [*empathykit.default_scorers(), RaisesOn(frozenset({"c1", "c4"}))]
    expected = [summary(r) for r in empathykit.score_many(conversations, scorers=scorers)]
    _batch._worker_options = (tuple(scorers), None)
    try:
        with patch.object(_batch, "BLOCK_TURNS", 3):
            sent = _batch._score_chunk([(n, _batch._pack(c)) for n, c in enumerate(conversations)])
    finally:
        _batch._worker_options = None
    assert 2 == sum(isinstance(result, Failure) for result in sent)
    merged = _batch._merge(list(enumerate(conversations)), iter(sent))
    assert expected == [summary(r) for r in merged]


def test_an_interrupted_block_leaves_each_conversation_as_it_came() -> None:
    """A KeyboardInterrupt from a scorer stops scoring, and the analyses made for the
    block are dropped again: no conversation is left holding one it did not have."""
    from empathykit._conversation import analysis_cached

    @attrs.frozen
    class Interrupts:
        name: str = "interrupts"

        def __call__(self, conversation: Conversation) -> DimensionScore:
            if conversation.id == "c2":
                raise KeyboardInterrupt
            return DimensionScore(name=self.name, value=None, turn_scores=[None] * 2)

    items = [empathykit.as_conversation(chat(n)["turns"], id=f"c{n}") for n in range(5)]  # type: ignore[arg-type]
    kept = items[3].analysis
    with pytest.raises(KeyboardInterrupt):
        list(empathykit.score_many(items, scorers=[*empathykit.default_scorers(), Interrupts()]))
    assert [False, False, False, True, False] == [analysis_cached(c) for c in items]
    assert items[3].analysis is kept


def test_an_analysis_that_raises_fails_its_conversation_only() -> None:
    """A conversation whose analysis raises is a Failure (a ScorerError of the first
    scorer to read it, as with score()); the others of its chunk are scored."""

    from empathykit import _analysis

    analyse = _analysis.analyse

    def fails_on_broken(conversation: Conversation) -> _analysis.ConversationAnalysis:
        if conversation.id == "broken":
            raise RuntimeError("no analysis here")
        return analyse(conversation)

    good = [empathykit.as_conversation(chat(n)["turns"], id=f"c{n}") for n in range(3)]  # type: ignore[arg-type]
    broken = attrs.evolve(good[0], id="broken")
    with patch.object(_analysis, "analyse", fails_on_broken):
        results = list(empathykit.score_many([good[0], broken, good[1], good[2]]))
    assert ["c0", "c1", "c2"] == [r.conversation.id for r in results if isinstance(r, Report)]
    failure = results[1]
    assert isinstance(failure, Failure)
    assert (1, "broken") == (failure.index, failure.id)
    with patch.object(_analysis, "analyse", fails_on_broken), pytest.raises(ScorerError) as alone:
        empathykit.score(broken)
    assert str(alone.value) == failure.message
    assert "no analysis here" in failure.message


def test_each_conversation_is_left_with_its_analysis_as_it_came() -> None:
    """In one process as with workers, score_many makes a conversation's analysis for the
    scorers and then drops it (a kept report is a third of the size without it), unless
    the caller had it already. Read again, it is made anew, equal to the first."""
    from empathykit._conversation import analysis_cached

    records = [chat(n) for n in range(4)]
    for jobs in (1, 2):
        analysed = empathykit.as_conversation(chat(5)["turns"], id="mine")  # type: ignore[arg-type]
        before = analysed.analysis
        fresh = empathykit.as_conversation(chat(6)["turns"], id="fresh")  # type: ignore[arg-type]
        reports = list(empathykit.score_many([*records, analysed, fresh], n_jobs=jobs))
        assert all(isinstance(r, Report) for r in reports)
        held = [analysis_cached(r.conversation) for r in reports]  # type: ignore[union-attr]
        assert [False, False, False, False, True, False] == held
        assert analysed.analysis is before
        given: list[dict[str, object] | Conversation] = [*records, analysed, fresh]
        for record, report in zip(given, reports, strict=True):
            assert isinstance(report, Report)
            if isinstance(record, Conversation):
                same = Conversation(turns=record.turns)
            else:
                same = empathykit.as_conversation(record["turns"])  # type: ignore[arg-type]
            assert same.analysis == report.conversation.analysis  # made again, equal


def test_analysis_cached_reads_without_computing_and_release_drops_it() -> None:
    from empathykit._conversation import analysis_cached, release_analysis

    conversation = empathykit.as_conversation("Customer: It broke.\nAgent: Sorry!")
    release_analysis(conversation)  # nothing to drop: no error
    assert not analysis_cached(conversation)
    assert not analysis_cached(conversation)  # asking did not compute it
    first = conversation.analysis
    assert analysis_cached(conversation)
    release_analysis(conversation)
    assert not analysis_cached(conversation)
    assert first == conversation.analysis
    assert first is not conversation.analysis  # made anew, then kept
    assert analysis_cached(conversation)


def test_workers_bound_the_work_in_flight() -> None:
    """With workers, at most 2 * n_jobs chunks are in flight, and one more is being
    yielded: no more than that is read ahead of the results."""
    taken: list[int] = []

    def source() -> Iterator[dict[str, object]]:
        for number in range(10_000):
            taken.append(number)
            yield chat(number)

    results = empathykit.score_many(source(), n_jobs=2, chunk_size=3)
    try:
        first = next(results)
        assert isinstance(first, Report)
        assert len(taken) <= (2 * 2 + 1) * 3
    finally:
        results.close()  # type: ignore[attr-defined]


def test_workers_give_the_same_results_as_one_process() -> None:
    """n_jobs=2 yields exactly what n_jobs=1 yields, failures included, in order."""
    items: list[object] = [chat(n) for n in range(23)]
    items[5] = {"id": "empty", "turns": []}
    items[17] = {"id": "bad", "turns": [{"role": "robot", "text": "beep"}]}
    serial = [summary(r) for r in empathykit.score_many(items)]  # type: ignore[arg-type]
    parallel = [summary(r) for r in empathykit.score_many(items, n_jobs=2, chunk_size=4)]  # type: ignore[arg-type]
    assert serial == parallel
    assert 23 == len(parallel)


def test_report_parts_are_every_field_but_the_conversation() -> None:
    """What workers send back, rebuilt, is the report: no Report field is left out."""
    from empathykit._results import rebuild_report, report_parts

    report = empathykit.score(chat(1)["turns"], id="c1")  # type: ignore[arg-type]
    names = [field.name for field in attrs.fields(Report)]
    assert ["conversation", "scores", "overall", "weights", "sentiment"] == names
    assert len(report_parts(report)) == len(names) - 1
    rebuilt = rebuild_report(report.conversation, report_parts(report))
    assert report == rebuilt
    assert report.to_dict() == rebuilt.to_dict()


@attrs.frozen(kw_only=True)
class Sourced(empathykit.Evidence):
    """Evidence with a field of its own (module level: local classes do not pickle)."""

    source: str = "qa-review"


@attrs.frozen
class Single:
    value: int = attrs.field(validator=attrs.validators.gt(0))


class SingleSubclass(Single):
    """A plain subclass: its field is the slot of its base."""


@attrs.frozen(slots=False)
class DictBacked:
    value: int
    label: str


def test_results_pickle_as_their_own_class_with_every_field() -> None:
    """Results pickle as tuples of their fields and come back equal, a subclass as
    itself with its own fields too; restore() fills any attrs class, one field or many."""
    from empathykit._results import restore

    evidence = Sourced(
        turn=1, start=0, end=5, text="Sorry", rule="apology.x", weight=0.5, explanation="e"
    )
    copy = pickle.loads(pickle.dumps(evidence))
    assert Sourced is type(copy)
    assert evidence == copy
    assert "qa-review" == copy.source

    assert Single(3) == restore(Single, (3,))
    assert -1 == restore(Single, (-1,)).value  # validators are not run again
    with pytest.raises(ValueError, match="expected 1 field values, got 2"):
        restore(Single, (1, 2))  # every field, no more, no fewer
    # Fields found as slots of a base class, or in an instance dict, are filled as well.
    assert (SingleSubclass, 4) == (type(restored := restore(SingleSubclass, (4,))), restored.value)
    assert DictBacked(1, "a") == restore(DictBacked, (1, "a"))


def test_reports_from_workers_are_whole_and_hold_the_callers_conversations() -> None:
    """Workers send reports back without their conversations; the rebuilt reports equal
    the ones scored in this process and hold the very Conversation objects passed in."""
    conversations = [
        empathykit.as_conversation(c["turns"], id=c["id"])  # type: ignore[arg-type]
        for c in (chat(n) for n in range(9))
    ]
    serial = list(empathykit.score_many(conversations))
    parallel = list(empathykit.score_many(conversations, n_jobs=2, chunk_size=2))
    assert serial == parallel
    for passed, report in zip(conversations, parallel, strict=True):
        assert isinstance(report, empathykit.Report)
        assert report.conversation is passed
        assert report.evidence  # evidence survived the trip


@given(conversation=strategies.conversations())
def test_conversations_reach_workers_whole(conversation: Conversation) -> None:
    """A conversation sent to a worker as plain tuples comes back as an equal one: every
    turn's role, text, speaker and time stamp, and the id."""
    from empathykit._batch import _pack, _unpack

    # _pack sends these fields and no others: a new field must be added to it too
    assert ["turns", "id"] == [field.name for field in attrs.fields(Conversation)]
    assert ["role", "text", "speaker", "timestamp"] == [f.name for f in attrs.fields(Turn)]
    conversation = attrs.evolve(conversation, id="c-7")
    packed = _pack(conversation)
    assert not isinstance(packed, Conversation)  # plain tuples, not attrs objects
    copy = _unpack(pickle.loads(pickle.dumps(packed)))
    assert conversation == copy
    assert [attrs.astuple(t) for t in conversation.turns] == [attrs.astuple(t) for t in copy.turns]
    assert empathykit.score(conversation) == empathykit.score(copy)


@attrs.frozen
class Tagged(Conversation):
    """A caller's own kind of conversation, with a field of its own."""

    queue: str = "billing"


def test_a_conversation_subclass_reaches_workers_as_itself() -> None:
    """A subclass of Conversation is not packed into tuples: it travels as it is, with
    its own fields, and its report holds the caller's object."""
    from empathykit._batch import _pack, _unpack

    turns = empathykit.as_conversation(chat(2)["turns"]).turns  # type: ignore[arg-type]
    conversation = Tagged(turns=turns, id="t", queue="refunds")
    copy = _unpack(pickle.loads(pickle.dumps(_pack(conversation))))
    assert Tagged is type(copy)
    assert (conversation, "refunds") == (copy, copy.queue)
    items = [chat(0), conversation, chat(1)]
    results = list(empathykit.score_many(items, n_jobs=2, chunk_size=2))  # type: ignore[arg-type]
    assert [summary(r) for r in empathykit.score_many(items)] == [summary(r) for r in results]  # type: ignore[arg-type]
    assert isinstance(results[1], Report)
    assert results[1].conversation is conversation


def test_a_conversation_that_does_not_pickle_fails_alone_with_workers() -> None:
    """A conversation subclass defined in a function cannot be sent to a worker: it is
    a Failure saying so (and what to do), and every other conversation is scored."""

    @attrs.frozen
    class Local(Conversation):
        pass

    turns = empathykit.as_conversation(chat(3)["turns"]).turns  # type: ignore[arg-type]
    items: list[object] = [chat(n) for n in range(7)]
    items[3] = Local(turns=turns, id="local")
    results = list(empathykit.score_many(items, n_jobs=2, chunk_size=2))  # type: ignore[arg-type]
    assert 7 == len(results)
    failure = results[3]
    assert isinstance(failure, Failure)
    assert (3, "local") == (failure.index, failure.id)
    assert isinstance(failure.error, InvalidConversationError)
    assert "Local does not (" in failure.message
    assert "n_jobs=1" in failure.message
    others = [summary(r) for n, r in enumerate(results) if n != 3]
    assert [summary(r) for r in empathykit.score_many(items[:3] + items[4:])] == others  # type: ignore[arg-type]
    # In one process nothing is pickled: it is scored.
    assert isinstance(list(empathykit.score_many(items))[3], Report)  # type: ignore[arg-type]


@attrs.frozen
class UnpicklableScore(DimensionScore):
    """A result that cannot come back from a worker."""

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise TypeError("this score does not pickle")


@attrs.frozen
class SometimesUnpicklable:
    """Gives an UnpicklableScore for a conversation that says NOPICKLE."""

    name: str = "sometimes"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        kind = DimensionScore
        if any("NOPICKLE" in turn.text for turn in conversation.turns):
            kind = UnpicklableScore
        return kind(name=self.name, value=None, turn_scores=[None] * len(conversation.turns))


@pytest.mark.parametrize("chunk_size", [1, 3])
def test_a_result_that_does_not_pickle_fails_alone_with_workers(chunk_size: int) -> None:
    """A result that cannot come back from its worker is a Failure of its conversation;
    the rest of its chunk, and of the input, is scored as in one process."""
    items = [chat(n) for n in range(8)]
    items[4] = {"id": "odd", "turns": [{"role": "customer", "text": "NOPICKLE please"}]}
    scorers = [*empathykit.default_scorers(), SometimesUnpicklable()]
    results = list(empathykit.score_many(items, n_jobs=2, chunk_size=chunk_size, scorers=scorers))
    assert 8 == len(results)
    failure = results[4]
    assert isinstance(failure, Failure)
    assert (4, "odd") == (failure.index, failure.id)
    assert isinstance(failure.error, ScorerError)
    assert "this score does not pickle" in failure.message
    good = items[:4] + items[5:]
    expected = [summary(r) for r in empathykit.score_many(good, scorers=scorers)]
    assert expected == [summary(r) for n, r in enumerate(results) if n != 4]


@pytest.mark.slow
def test_a_worker_that_dies_is_reported_and_the_rest_scored() -> None:
    """A conversation that kills its worker becomes a Failure; all the others are scored."""
    items = [chat(n) for n in range(12)]
    items[4] = {"id": "killer", "turns": [{"role": "customer", "text": "CRASH now"}]}
    items[9] = {"id": "raiser", "turns": [{"role": "customer", "text": "RAISE it"}]}
    scorers = [*empathykit.default_scorers(), Crashing()]
    results = list(empathykit.score_many(items, n_jobs=2, chunk_size=2, scorers=scorers))
    assert len(items) == len(results)
    failures = {r.id: r for r in results if isinstance(r, Failure)}
    assert {"killer", "raiser"} == set(failures)
    assert isinstance(failures["killer"].error, ScorerError)
    assert "worker process" in failures["killer"].message
    assert "died" in failures["killer"].message
    assert isinstance(failures["raiser"].error, ScorerError)
    assert "scorer failed" in failures["raiser"].message
    scored = [r.conversation.id for r in results if isinstance(r, Report)]
    assert [f"c{n}" for n in range(12) if n not in (4, 9)] == scored
    # Reports rebuilt after the pool broke (chunks re-scored one at a time) are whole.
    good = [item for n, item in enumerate(items) if n not in (4, 9)]
    expected = [summary(r) for r in empathykit.score_many(good, scorers=scorers)]
    assert expected == [summary(r) for r in results if isinstance(r, Report)]


def test_bad_options_raise_at_the_call() -> None:
    """n_jobs, chunk_size, weights and scorer names are checked before anything is scored."""
    with pytest.raises(ConfigurationError, match="n_jobs"):
        empathykit.score_many([], n_jobs=0)
    with pytest.raises(ConfigurationError, match="chunk_size"):
        empathykit.score_many([], chunk_size=0)
    with pytest.raises(ConfigurationError, match="'kindness'"):
        empathykit.score_many([], weights={"kindness": 1.0})
    with pytest.raises(ConfigurationError, match="finite number"):
        empathykit.score_many([], weights={"apology": -1})
    with pytest.raises(UnknownScorerError, match="'kindness'"):
        empathykit.score_many([], scorers=["kindness"])


def test_a_worker_keeps_the_garbage_collector_off_what_it_inherited() -> None:
    """The worker initialiser sets the worker's options and freezes the objects it
    inherited, so that its garbage collector does not scan (and copy) the parent's data."""
    import gc

    from empathykit import _batch

    options = (tuple(empathykit.default_scorers()), None)
    gc.unfreeze()
    try:
        _batch._init_worker(options)
        assert _batch._worker_options is options
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        _batch._worker_options = None


def test_weights_and_scorers_reach_the_workers() -> None:
    """Weights and a chosen scorer set apply in worker processes as in-process."""
    items = [chat(n) for n in range(6)]
    options: Options = {"weights": {"apology": 3.0}, "scorers": ["apology", "solution_offer"]}
    serial = [summary(r) for r in empathykit.score_many(items, **options)]
    parallel = [summary(r) for r in empathykit.score_many(items, n_jobs=2, **options)]
    assert serial == parallel
    assert {"apology": 3.0, "solution_offer": 1.0} == serial[0]["weights"]  # type: ignore[index]


def test_failure_str_without_id() -> None:
    """A failure without an id is named by its position."""
    assert "#2: ValueError: x" == str(Failure(index=2, id=None, error=ValueError("x")))


@pytest.mark.parametrize(
    ("conversations", "expected"),
    [
        ("Customer: My bag is lost.\nAgent: Sorry!", "got a str 'Customer: My bag"),
        (b"Customer: hi", "got a bytes b'Customer: hi'"),
        ({"turns": [{"role": "customer", "text": "Hi"}]}, "got one dict"),
        (empathykit.as_conversation("Customer: Hi"), "got one Conversation"),
        (None, "got NoneType None"),
        (42, "got int 42"),
        (memoryview(b"Customer: hi"), "got a memoryview"),
    ],
)
def test_score_many_refuses_one_conversation_or_none_at_the_call(
    conversations: object, expected: str
) -> None:
    """A transcript string was scored one character at a time (a Failure for each), a
    dict one key at a time, and None raised TypeError: each is refused at the call."""
    with pytest.raises(ConfigurationError) as caught:
        empathykit.score_many(conversations)  # type: ignore[call-overload]
    message = str(caught.value)
    assert message.startswith("conversations: expected an iterable of conversations")
    assert expected in message


def test_score_many_refuses_a_dataframe_pointing_to_score_frame() -> None:
    """Iterating a DataFrame gives its column names, each scored as a transcript."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": ["c1"], "role": ["customer"], "text": ["Hi"]})
    with pytest.raises(ConfigurationError, match=r"got a DataFrame.*empathykit\.score_frame"):
        empathykit.score_many(frame)


def test_score_many_iterates_its_input_once() -> None:
    """The check at the call must not start the input a second time: a one-shot
    iterable's __iter__ runs once."""

    class OneShot:
        calls = 0

        def __iter__(self) -> Iterator[str]:
            OneShot.calls += 1
            yield "Customer: My bag is lost.\nAgent: Sorry!"

    assert 1 == len(list(empathykit.score_many(OneShot())))
    assert 1 == OneShot.calls
