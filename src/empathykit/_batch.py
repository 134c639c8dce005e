"""score_many(): score a stream of conversations, in order, in this process or in workers."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import attrs

from ._conversation import (
    Conversation,
    ConversationLike,
    Role,
    RoleMap,
    Turn,
    analysis_cached,
    as_conversation,
    check_roles,
    id_text,
    release_analysis,
    show,
)
from ._results import DimensionScore, Report, ReportParts, rebuild_report, report_parts, restore
from ._score import build_report, resolve_scorers, resolve_weights, run_scorer
from .exceptions import ConfigurationError, InvalidConversationError, ScorerError

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .typing import Scorer, ScorerLike

__all__ = ["Failure", "score_many"]

#: Conversations scored together: sent to a worker at a time, or scored stage by stage.
DEFAULT_CHUNK_SIZE = 64
#: Most turns scored stage by stage at once (a longer conversation is scored on its own):
#: their analyses are held together, so a chunk of long conversations does not hold
#: many at once.
BLOCK_TURNS = 1024


@attrs.frozen(kw_only=True)
class Failure:
    """A conversation that :func:`score_many` could not score, in place of its report.

    Attributes:
        index: Position of the conversation in the input (0-based).
        id: The conversation's id, when it had one.
        error: What went wrong: usually an :class:`~empathykit.EmpathyKitError` such as
            :class:`~empathykit.InvalidConversationError` or
            :class:`~empathykit.ScorerError` (also used when the worker process scoring
            the conversation died).

    Example:
        >>> from empathykit import InvalidConversationError
        >>> print(Failure(index=3, id="c-9", error=InvalidConversationError("no turns")))
        conversation 'c-9' (#3): InvalidConversationError: no turns
    """

    index: int
    id: str | None
    error: Exception

    @property
    def message(self) -> str:
        """The error's message."""
        return str(self.error)

    def __str__(self) -> str:
        label = f"conversation {self.id!r} (#{self.index})" if self.id else f"#{self.index}"
        return f"{label}: {type(self.error).__name__}: {self.error}"


ConversationInput: TypeAlias = "ConversationLike | Mapping[str, Any]"
_Options: TypeAlias = "tuple[tuple[Scorer, ...], Mapping[str, float] | None]"
_Item: TypeAlias = "tuple[int, Conversation | Failure]"
_PackedTurn: TypeAlias = "tuple[str, str, str | None, str | None]"
_Packed: TypeAlias = "tuple[str | None, tuple[_PackedTurn, ...]] | bytes"


def _record_id(record: Mapping[str, Any]) -> str | None:
    """A record's ``id`` as the file readers of :mod:`empathykit.io` take it: a str, or an
    int as its digits.

    Raises:
        InvalidConversationError: The id is of another type (a dict, a float, a bool).
    """
    value = record.get("id")
    if value is None:
        return None
    text = id_text(value)
    if text is not None:
        return text
    raise InvalidConversationError(
        f"expected 'id' as a string or an integer, got {type(value).__name__} {show(value, 40)}"
    )


def _item_id(item: object) -> str | None:
    """The id a failure is reported under: ``None`` when the item has no valid id."""
    if isinstance(item, Conversation):
        return item.id
    if isinstance(item, Mapping):
        try:
            return _record_id(item)
        except InvalidConversationError:
            return None
    return None


def _prepare(index: int, item: object, roles: RoleMap | None) -> Conversation | Failure:
    """The conversation to score, or the reason it cannot be; records may be mappings."""
    try:
        if isinstance(item, Mapping) and any(k in item for k in ("turns", "messages")):
            turns = item.get("turns", item.get("messages"))
            return as_conversation(turns, roles=roles, id=_record_id(item))
        return as_conversation(item, roles=roles)  # type: ignore[arg-type]
    except Exception as error:
        return Failure(index=index, id=_item_id(item), error=error)


def _blocks(items: list[tuple[int, Conversation]]) -> Iterator[list[tuple[int, Conversation]]]:
    """``items`` in consecutive blocks of at most :data:`BLOCK_TURNS` turns (a longer
    conversation stands alone)."""
    block: list[tuple[int, Conversation]] = []
    turns = 0
    for index, conversation in items:
        if block and turns + len(conversation.turns) > BLOCK_TURNS:
            yield block
            block, turns = [], 0
        block.append((index, conversation))
        turns += len(conversation.turns)
    if block:
        yield block


def _score_block(
    block: list[tuple[int, Conversation]], options: _Options
) -> list[Report | Failure]:
    """Score conversations stage by stage: every analysis, then each scorer over them
    all, then the reports. The results are those of scoring each on its own (a
    conversation that fails is a :class:`Failure` and the others are scored), for
    scorers that keep the contract (the same result whatever they scored before); the
    run is about 9 % faster, since each stage's code and data stay in the CPU's caches.

    Each conversation is left with its ``analysis`` as it came (see :func:`score_many`),
    even when scoring is interrupted.
    """
    kept = [analysis_cached(conversation) for _, conversation in block]
    try:
        return _score_stages(block, options)
    finally:  # also when interrupted
        # The turn analysis made for the scorers is two thirds of what a kept report
        # would hold; it goes, so the conversation is left as it came, as it is when a
        # worker scores it. Reading ``report.conversation.analysis`` makes it again.
        for (_, conversation), cached in zip(block, kept, strict=True):
            if not cached:
                release_analysis(conversation)


def _score_stages(
    block: list[tuple[int, Conversation]], options: _Options
) -> list[Report | Failure]:
    scorers, weights = options
    for _, conversation in block:
        with contextlib.suppress(Exception):  # raised again by the first scorer to read it
            conversation.analysis  # noqa: B018 (computed and cached here)
    found: list[list[DimensionScore] | Failure] = [[] for _ in block]
    for scorer in scorers:
        for slot, (index, conversation) in enumerate(block):
            dimensions = found[slot]
            if isinstance(dimensions, Failure):
                continue
            try:
                dimensions.append(run_scorer(scorer, conversation))
            except Exception as error:
                found[slot] = Failure(index=index, id=conversation.id, error=error)
    results: list[Report | Failure] = []
    for (index, conversation), dimensions in zip(block, found, strict=True):
        if isinstance(dimensions, Failure):
            results.append(dimensions)
            continue
        try:
            results.append(build_report(conversation, dimensions, weights))
        except Exception as error:
            results.append(Failure(index=index, id=conversation.id, error=error))
    return results


def _check_weights(weights: Mapping[str, float] | None, scorers: tuple[Scorer, ...]) -> None:
    """Reject unknown behaviours and bad weights once, before any conversation is scored."""
    if weights is None:
        return
    if not isinstance(weights, Mapping):
        raise ConfigurationError(
            f"weights: expected a mapping of behaviour names to numbers, got "
            f"{type(weights).__name__}"
        )
    stand_ins = [DimensionScore(name=s.name, value=None, turn_scores=()) for s in scorers]
    resolve_weights(weights, stand_ins)


# -- worker processes -------------------------------------------------------------------

_worker_options: _Options | None = None


def _init_worker(options: _Options) -> None:
    global _worker_options
    _worker_options = options
    from ._analysis import analyse_turn
    from ._conversation import Role

    analyse_turn(0, Role.CUSTOMER, "warm up the tokenizer and the sentiment lexicon")
    # A forked worker holds a copy of everything the parent had (the caller's whole input,
    # the lexicons, the caches) that it never frees; keep the garbage collector from
    # scanning it again and again, which also spares the memory pages it shares with the
    # parent from being copied when the scan touches them.
    gc.freeze()


def _picklable(error: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return ScorerError(f"{type(error).__name__}: {error}")
    return error


def _pack(conversation: Conversation) -> _Packed:
    """``conversation`` as plain tuples, for a worker: the parent, which feeds every
    worker, pickles them in about a third of the time it takes for the attrs objects.
    A subclass of :class:`Conversation` or :class:`Turn` travels as it is, pickled here,
    so that one that does not pickle fails here, alone (see :func:`_to_send`)."""
    if type(conversation) is not Conversation or any(
        type(turn) is not Turn for turn in conversation.turns
    ):
        return pickle.dumps(conversation, pickle.HIGHEST_PROTOCOL)
    return conversation.id, tuple(
        (turn.role.value, turn.text, turn.speaker, turn.timestamp) for turn in conversation.turns
    )


def _unpack(packed: _Packed) -> Conversation:
    """The conversation :func:`_pack` packed (its values were checked when it was made,
    so they are not checked again)."""
    if isinstance(packed, bytes):
        conversation: Conversation = pickle.loads(packed)
        return conversation
    conversation_id, packed_turns = packed
    turns = tuple(
        restore(Turn, (Role(role), text, speaker, timestamp))
        for role, text, speaker, timestamp in packed_turns
    )
    return restore(Conversation, (turns, conversation_id))


def _score_chunk(chunk: list[tuple[int, _Packed]]) -> list[ReportParts | Failure]:
    """Score a chunk in a worker. Reports go back without their conversations, which
    the parent holds already (see :func:`_merge`): on the airline threads that is 40 % fewer
    bytes, pickled in about a third of the time."""
    assert _worker_options is not None, "the worker was not initialised"
    results: list[ReportParts | Failure] = []
    for block in _blocks([(index, _unpack(packed)) for index, packed in chunk]):
        for result in _score_block(block, _worker_options):
            if isinstance(result, Failure):
                results.append(attrs.evolve(result, error=_picklable(result.error)))
            else:
                results.append(report_parts(result))
    return results


def _died(index: int, conversation: Conversation) -> Failure:
    return Failure(
        index=index,
        id=conversation.id,
        error=ScorerError(
            "the worker process scoring this conversation died (it crashed, was killed, or "
            "ran out of memory); the other conversations were scored"
        ),
    )


class _Pool:
    """A process pool that can be replaced when one of its workers dies.

    ``concurrent.futures`` and ``multiprocessing`` are imported here, on first use,
    to keep ``import empathykit`` cheap.
    """

    def __init__(self, n_jobs: int, options: _Options) -> None:
        self._n_jobs = n_jobs
        self._options = options
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, chunk: list[tuple[int, _Packed]]) -> Future[list[ReportParts | Failure]]:
        """Send a chunk to a worker; when the pool is already broken, a future that says so."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(
                max_workers=self._n_jobs,
                mp_context=multiprocessing.get_context(),
                initializer=_init_worker,
                initargs=(self._options,),
            )
        try:
            return self._executor.submit(_score_chunk, chunk)
        except BrokenProcessPool as error:  # a worker died since the last result came back
            broken: Future[list[ReportParts | Failure]] = Future()
            broken.set_exception(error)
            return broken

    def reset(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        # Waiting costs at most the chunks already running, and leaves no manager thread
        # for the interpreter's exit hook to race with (CPython 3.11 can then print a
        # spurious "Bad file descriptor" at exit).
        self.reset()


def _merge(
    chunk: list[_Item], scored: Iterator[ReportParts | Failure]
) -> Iterator[Report | Failure]:
    """The chunk's results in order: its failures to prepare, and what the worker sent
    back for the rest, reports rebuilt around the conversations this process holds."""
    for _, item in chunk:
        if isinstance(item, Failure):
            yield item
            continue
        result = next(scored)
        yield result if isinstance(result, Failure) else rebuild_report(item, result)


def _to_send(chunk: list[_Item]) -> tuple[list[_Item], list[tuple[int, _Packed]]]:
    """The chunk as its results will be merged, and its conversations packed for a
    worker. A conversation that cannot be sent (a subclass that does not pickle, such
    as one defined in a function) becomes a :class:`Failure` of its own."""
    kept: list[_Item] = []
    sent: list[tuple[int, _Packed]] = []
    for index, item in chunk:
        if isinstance(item, Conversation):
            try:
                sent.append((index, _pack(item)))
            except Exception as error:
                item = Failure(
                    index=index,
                    id=item.id,
                    error=InvalidConversationError(
                        f"expected a conversation that pickles, to send it to a worker "
                        f"process; {type(item).__name__} does not ({type(error).__name__}: "
                        f"{error}): define its class at module level, or use n_jobs=1"
                    ),
                )
        kept.append((index, item))
    return kept, sent


def _not_returned(index: int, conversation: Conversation, error: Exception) -> Failure:
    return Failure(
        index=index,
        id=conversation.id,
        error=ScorerError(
            f"the worker process failed on this conversation outside its scorers, "
            f"usually a result that does not pickle ({type(error).__name__}: {error}); "
            f"the other conversations were scored"
        ),
    )


def _isolate(pool: _Pool, chunk: list[_Item]) -> Iterator[Report | Failure]:
    """Score a chunk one conversation at a time, to tell which one kills its worker or
    gives a result that cannot come back from it."""
    from concurrent.futures.process import BrokenProcessPool

    for index, item in chunk:
        if isinstance(item, Failure):
            yield item
            continue
        kept, sent = _to_send([(index, item)])
        try:
            scored = pool.submit(sent).result() if sent else []
        except BrokenProcessPool:
            pool.reset()
            yield _died(index, item)
        except Exception as error:
            yield _not_returned(index, item, error)
        else:
            yield from _merge(kept, iter(scored))


def _parallel(
    items: Iterator[_Item], n_jobs: int, chunk_size: int, options: _Options
) -> Iterator[Report | Failure]:
    from concurrent.futures.process import BrokenProcessPool

    pool = _Pool(n_jobs, options)
    chunks = _chunks(items, chunk_size)
    pending: deque[tuple[list[_Item], Future[list[ReportParts | Failure]]]] = deque()
    max_pending = 2 * n_jobs
    input_error: list[Exception] = []  # the input's own error, raised after what came before

    def fill() -> None:
        while len(pending) < max_pending and not input_error:
            try:
                chunk = next(chunks, None)
            except Exception as error:
                input_error.append(error)
                return
            if chunk is None:
                return
            kept, sent = _to_send(chunk)
            pending.append((kept, pool.submit(sent)))

    try:
        fill()
        while pending:
            chunk, future = pending[0]
            try:
                scored = future.result()
            except BrokenProcessPool:
                # A worker died; the pool cannot tell which task killed it, so every
                # chunk in flight that has no result is scored again one conversation
                # at a time, in a new pool.
                in_flight = list(pending)
                pending.clear()
                pool.reset()
                for suspect, attempt in in_flight:
                    if attempt.done() and not attempt.cancelled() and attempt.exception() is None:
                        yield from _merge(suspect, iter(attempt.result()))
                    else:
                        yield from _isolate(pool, suspect)
                fill()
                continue
            except Exception:
                # A result that could not come back (it does not pickle): the pool is
                # sound, so only this chunk is scored again, one conversation at a time.
                scored = None
            pending.popleft()
            fill()
            yield from _isolate(pool, chunk) if scored is None else _merge(chunk, iter(scored))
        if input_error:
            raise input_error[0]
    finally:
        pool.close()


def _chunks(items: Iterator[_Item], size: int) -> Iterator[list[_Item]]:
    """``items`` in lists of ``size`` (the last may be shorter). When the input itself
    fails (a reader raises), the items read before it come first, then the error."""
    while True:
        chunk: list[_Item] = []
        failed: Exception | None = None
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) == size:
                    break
        except Exception as error:
            failed = error
        if chunk:
            yield chunk
        if failed is not None:
            raise failed
        if len(chunk) < size:
            return


def _serial(
    items: Iterator[_Item], chunk_size: int, options: _Options
) -> Iterator[Report | Failure]:
    """Score ``chunk_size`` conversations at a time, stage by stage (see
    :func:`_score_block`), yielding the results in input order."""
    for chunk in _chunks(items, chunk_size):
        yield from _in_order(chunk, options)


def _in_order(chunk: list[_Item], options: _Options) -> Iterator[Report | Failure]:
    ready = [(index, item) for index, item in chunk if isinstance(item, Conversation)]
    scored = (result for block in _blocks(ready) for result in _score_block(block, options))
    for _, item in chunk:
        yield item if isinstance(item, Failure) else next(scored)


def resolve_jobs(n_jobs: int) -> int:
    """The number of worker processes ``n_jobs`` asks for (-1: one per CPU)."""
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ConfigurationError(
            f"n_jobs: expected a positive number of processes, or -1 for one per CPU, "
            f"got {n_jobs!r}"
        )
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


@overload
def score_many(
    conversations: Iterable[ConversationInput],
    *,
    n_jobs: int = 1,
    weights: Mapping[str, float] | None = None,
    scorers: Iterable[ScorerLike] | None = None,
    roles: RoleMap | None = None,
    on_error: None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[Report | Failure]: ...
@overload
def score_many(
    conversations: Iterable[ConversationInput],
    *,
    n_jobs: int = 1,
    weights: Mapping[str, float] | None = None,
    scorers: Iterable[ScorerLike] | None = None,
    roles: RoleMap | None = None,
    on_error: Callable[[Failure], object],
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[Report]: ...
def score_many(
    conversations: Iterable[ConversationInput],
    *,
    n_jobs: int = 1,
    weights: Mapping[str, float] | None = None,
    scorers: Iterable[ScorerLike] | None = None,
    roles: RoleMap | None = None,
    on_error: Callable[[Failure], object] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[Report | Failure] | Iterator[Report]:
    """Score many conversations, yielding one result per conversation in input order.

    Streaming: conversations are read from ``conversations`` as results are taken, a
    chunk of ``chunk_size`` at a time (with workers, at most ``2 * n_jobs`` chunks are in
    flight, and one more is being yielded), so memory stays flat however long the input;
    up to that many are taken from the iterator ahead of the results you have read. A
    chunk is scored stage by stage (every analysis, then each scorer over the chunk),
    which is faster than one conversation at a time and gives the same results for
    scorers that keep the contract (see :class:`~empathykit.typing.Scorer`). In one
    process, pass ``chunk_size=1`` to have each result as soon as its conversation is
    read.

    A conversation that cannot be scored does not stop the rest: it yields a
    :class:`Failure` with its position and id (or goes to ``on_error``). A worker
    process that dies is reported as a :class:`Failure` of the conversation it was
    scoring, and scoring goes on in a new worker. When the input itself raises (a file
    reader's error), the conversations read before it are scored and yielded first,
    then the error is raised.

    Each conversation is left with its ``analysis`` (the shared turn analysis) as it
    came: the one made for the scorers is dropped once they are done, in this process as
    in a worker, so a report you keep holds about a third of the memory it would with it.
    Reading ``report.conversation.analysis`` makes it again (the same values, at about a
    third of the cost of scoring, VADER included): to read it for every report, pass
    conversations whose ``analysis`` you have read already, and it is kept.

    Args:
        conversations: Anything :func:`~empathykit.score` accepts, one per item, or
            mappings such as JSON Lines records, ``{"id": ..., "turns": [...]}``. As in
            files, a record's ``id`` is a str or an int (kept as its digits); any other
            id makes the record a :class:`Failure`.
        n_jobs: Worker processes: 1 scores in this process; -1 uses one per CPU. Scorers
            and weights are sent to each worker once (so scorers must pickle), and each
            conversation and its result are sent pickled: one that does not pickle (a
            ``Conversation`` subclass defined in a function) is a :class:`Failure`. Each
            report's ``conversation`` is the one built (or given) in this process,
            whichever process scored it. On platforms that start workers with
            *spawn*, call this under ``if __name__ == "__main__":``.
        weights: As for :func:`~empathykit.score`.
        scorers: As for :func:`~empathykit.score`.
        roles: As for :func:`~empathykit.score`.
        on_error: Called with each :class:`Failure` instead of yielding it; then only
            reports are yielded.
        chunk_size: Conversations read and scored together: sent to a worker at a
            time, or, in this process, scored stage by stage.

    Returns:
        An iterator of :class:`~empathykit.Report` and :class:`Failure`, in input order.

    Raises:
        ConfigurationError: ``conversations`` is not an iterable of conversations (a
            string, a dict or one :class:`~empathykit.Conversation` is one conversation,
            not many), or bad ``n_jobs``, ``chunk_size``, weights, scorers or ``roles``
            (raised at the call, before anything is scored).
        UnknownScorerError: A scorer name is not registered.

    Example:
        >>> import empathykit
        >>> chats = [
        ...     {"id": "a", "turns": [{"role": "customer", "text": "It broke."},
        ...                           {"role": "agent", "text": "Sorry! I'll send a new one."}]},
        ...     {"id": "b", "turns": []},
        ... ]
        >>> for result in empathykit.score_many(chats):
        ...     print(result.id if isinstance(result, empathykit.Failure) else result)
        Report 'a': overall ... | apology 1.00 | solution_offer 1.00 ...
        b
    """
    inputs = _many(conversations)
    jobs = resolve_jobs(n_jobs)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ConfigurationError(f"chunk_size: expected an integer ≥ 1, got {chunk_size!r}")
    chosen = resolve_scorers(scorers)
    _check_weights(weights, chosen)
    check_roles(roles)
    options: _Options = (chosen, None if weights is None else dict(weights))
    items = (_prepare_item(index, item, roles) for index, item in enumerate(inputs))
    if jobs == 1:
        results = _serial(items, chunk_size, options)
    else:
        results = _parallel(items, jobs, chunk_size, options)
    if on_error is None:
        return results
    return _report_failures(results, on_error)


def _many(conversations: object) -> Iterator[Any]:
    """An iterator over ``conversations``; what is one conversation or none rather than
    many is refused at the call: a transcript string would be scored one character at a
    time, a dict one key at a time and a DataFrame one column name at a time, each a
    :class:`Failure`."""
    one = "; to score one conversation, use empathykit.score()"
    if type(conversations).__name__ == "DataFrame":
        raise ConfigurationError(
            "conversations: expected an iterable of conversations, got a DataFrame, whose "
            "items are its column names; score a table of turns with "
            "empathykit.score_frame(frame, columns=...)"
        )
    if isinstance(conversations, str | bytes | bytearray | memoryview):
        raise ConfigurationError(
            "conversations: expected an iterable of conversations, got a "
            f"{type(conversations).__name__} {conversations!r:.40}{one}, and to score a "
            "file, score_many(empathykit.io.read(path))"
        )
    if isinstance(conversations, Mapping | Conversation):
        raise ConfigurationError(
            "conversations: expected an iterable of conversations, got one "
            f"{type(conversations).__name__}{one}"
        )
    try:
        return iter(conversations)  # type: ignore[call-overload,no-any-return]
    except TypeError:
        raise ConfigurationError(
            "conversations: expected an iterable of conversations (a list, a generator, "
            f"empathykit.io.read(...)), got {type(conversations).__name__} "
            f"{conversations!r:.40}"
        ) from None


def _prepare_item(index: int, item: object, roles: RoleMap | None) -> _Item:
    return index, _prepare(index, item, roles)


def _report_failures(
    results: Iterator[Report | Failure], on_error: Callable[[Failure], object]
) -> Iterator[Report]:
    for result in results:
        if isinstance(result, Failure):
            on_error(result)
        else:
            yield result
