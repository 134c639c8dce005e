"""Helpers for people who write their own scorers: a conformance suite and test conversations.

:func:`check_scorer` runs every check of the scorer contract (the
:class:`~empathykit.typing.Scorer` protocol) against a scorer, the way scikit-learn's
``check_estimator`` does for estimators; put it in your test suite::

    from empathykit.testing import check_scorer

    def test_politeness_is_a_valid_scorer():
        check_scorer(Politeness())

:func:`make_conversation` and :func:`transcript` build conversations for your own tests,
and :func:`sample_conversations` returns the ones the suite uses.
"""

from __future__ import annotations

import math
import pickle
import textwrap
from collections.abc import Callable, Iterable, Sequence

import attrs

from ._conversation import (
    Conversation,
    ConversationLike,
    Role,
    RoleMap,
    Turn,
    as_conversation,
    resolve_role,
)
from ._results import DimensionScore
from ._score import score
from .exceptions import ScorerError
from .typing import Scorer

__all__ = [
    "ScorerContractError",
    "check_scorer",
    "make_conversation",
    "sample_conversations",
    "transcript",
]


class ScorerContractError(ScorerError, AssertionError):
    """A scorer failed :func:`check_scorer`.

    It is an :class:`AssertionError`, so test runners report it as a failed test, and a
    :class:`~empathykit.ScorerError`, like every other broken-contract error.

    Attributes:
        scorer: The name of the scorer (or its type, if it has no usable name).
        failures: One line per failed check: ``"<check>: <what went wrong>"``.
    """

    def __init__(self, scorer: str, failures: Sequence[str]) -> None:
        self.scorer = scorer
        self.failures = tuple(failures)
        lines = "\n".join(f"  - {failure}" for failure in self.failures)
        super().__init__(
            f"scorer {scorer!r} breaks the scorer contract in {len(self.failures)} "
            f"check(s):\n{lines}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.scorer, self.failures))


# --- building conversations -----------------------------------------------------------------


def _other(role: Role) -> Role:
    return Role.CUSTOMER if role is Role.AGENT else Role.AGENT


def make_conversation(
    *turns: str | tuple[str | Role, str] | Turn,
    id: str | None = None,
    first: Role | str = Role.CUSTOMER,
) -> Conversation:
    """Build a conversation from ``(role, text)`` pairs, turns, or bare strings.

    Bare strings alternate speakers: the first is spoken by ``first`` (the customer by
    default), and each later one by whoever did not speak the turn before it.

    Args:
        *turns: Each a ``(role, text)`` pair, a :class:`~empathykit.Turn`, or a text.
        id: An identifier for the conversation.
        first: Who speaks a bare string that opens the conversation.

    Returns:
        The conversation.

    Raises:
        InvalidConversationError: No turns, an unknown role, or an empty text.

    Example:
        >>> conv = make_conversation("My order is late.", "Sorry! Let me check.", "Thanks.")
        >>> [turn.role.value for turn in conv.turns]
        ['customer', 'agent', 'customer']
        >>> make_conversation(("agent", "Hi, how can I help?"), "My card was declined.").turns[1]
        Turn(role=<Role.CUSTOMER: 'customer'>, text='My card was declined.', ...)
    """
    next_role = resolve_role(first)
    if next_role is None:  # pragma: no cover - only a roles= mapping drops a turn
        raise ValueError(f"expected first='customer' or 'agent', got {first!r}")
    items: list[Turn | tuple[Role | str, str]] = []
    for turn in turns:
        if isinstance(turn, str):
            items.append((next_role, turn))
            next_role = _other(next_role)
            continue
        items.append(turn)
        converted = as_conversation([turn]).turns[0]
        next_role = _other(converted.role)
    return as_conversation(items, id=id)


def transcript(text: str, *, id: str | None = None, roles: RoleMap | None = None) -> Conversation:
    """Parse an indented, triple-quoted ``Agent: …`` / ``Customer: …`` transcript.

    The common indentation and surrounding blank lines are removed first, so a
    transcript can be written inline in a test.

    Args:
        text: The transcript.
        id: An identifier for the conversation.
        roles: Extra speaker names, as for :func:`empathykit.as_conversation`.

    Returns:
        The conversation.

    Raises:
        InvalidConversationError: A line has an unknown speaker, or there are no turns.

    Example:
        >>> conv = transcript('''
        ...     Customer: The app logs me out every hour.
        ...     Agent: That sounds annoying. Which phone are you using?
        ... ''')
        >>> len(conv), conv.turns[1].text
        (2, 'That sounds annoying. Which phone are you using?')
    """
    return as_conversation(textwrap.dedent(text).strip("\n"), id=id, roles=roles)


def sample_conversations() -> list[Conversation]:
    """The conversations :func:`check_scorer` runs a scorer on, each with a descriptive id.

    They cover complaints with and without apologies, requests for help, positive
    feedback, negated and dismissive agent language, consecutive turns by one speaker,
    customer-only, agent-only and single-turn conversations, and unusual text (emoji,
    curly quotes, URLs, numbers, line breaks, non-Latin scripts, a very long turn).
    Empty conversations cannot exist: :class:`~empathykit.Conversation` refuses them.

    Returns:
        Freshly built conversations (safe to hand to a scorer that might mutate them).

    Example:
        >>> ids = [conv.id for conv in sample_conversations()]
        >>> "customer_only" in ids and "single_turn" in ids
        True
    """
    long_turn = " ".join(
        f"Step {n}: open settings, choose 'Billing', and check invoice #{1000 + n}."
        for n in range(1, 60)
    )
    return [
        make_conversation(
            "My new kettle arrived with a cracked lid and I'm really annoyed.",
            "I'm so sorry about that, that's frustrating. I'll send a replacement lid today.",
            "Okay, thank you.",
            "You're welcome. Is there anything else I can do for you?",
            id="complaint_answered",
        ),
        make_conversation(
            "How do I change the email address on my account?",
            "Could you tell me which email you signed up with?",
            "It's sam.jones@example.org, I'd like to switch to my work one.",
            "Thanks! Go to Profile > Account and choose 'Change email'. I've also sent you "
            "a link: https://example.org/help/email",
            "Found it, that worked.",
            "Great to hear!",
            id="help_request",
        ),
        make_conversation(
            "You cancelled my booking for the 14th without telling me!!",
            "Calm down. As I already said, that's not my department.",
            "This is ridiculous.",
            "We can't refund it and I'm not sorry about the policy.",
            id="dismissive_agent",
        ),
        make_conversation(
            "Just wanted to say the courier was lovely and early today.",
            "That's wonderful to hear, thank you for letting us know!",
            id="positive_feedback",
        ),
        make_conversation(
            ("customer", "Hello?"),
            ("customer", "Is anyone there? My internet has been down since 9am."),
            ("agent", "Hi, sorry for the wait."),
            ("agent", "I can see an outage in your area; an engineer is on it."),
            ("customer", "How long will it take"),
            id="consecutive_turns",
        ),
        make_conversation(
            ("customer", "My parcel never arrived."),
            ("customer", "Where is it??"),
            ("customer", "HELLO, IS ANYONE READING THIS"),
            id="customer_only",
        ),
        make_conversation(
            ("agent", "Thanks for contacting us. We'll reply within one working day."),
            id="agent_only",
        ),
        make_conversation("The invoice total is wrong.", id="single_turn"),
        make_conversation(
            "Mi pedido llegó roto 😡 — ¿qué hago? Also the app says “error 0x80” ¯\\_(ツ)_/¯",
            "Lo siento mucho! We’re sorry 🙏\nPlease reply with a photo and I’ll refund you.\n"
            "配送の件、申し訳ございません。",
            "ok",
            long_turn,
            id="unusual_text",
        ),
    ]


# --- the checks -----------------------------------------------------------------------------


class _CheckFailed(Exception):
    """One check failed; the message says how."""


@attrs.frozen
class _Case:
    """A conversation, an untouched copy made before scoring, and the scorer's result."""

    conversation: Conversation
    original: Conversation
    result: DimensionScore


def _name_of(scorer: object) -> str:
    name = getattr(scorer, "name", None)
    return name if isinstance(name, str) else type(scorer).__name__


def _copy(conversation: Conversation) -> Conversation:
    """An equal conversation that shares nothing cached (its analysis is computed again)."""
    turns = [attrs.evolve(turn) for turn in conversation.turns]
    return Conversation(turns=turns, id=conversation.id)


def _call(scorer: Scorer, conversation: Conversation) -> DimensionScore:
    try:
        result = scorer(conversation)
    except Exception as error:
        raise _CheckFailed(
            f"raised {type(error).__name__} on conversation {conversation.id!r}: {error}"
        ) from error
    if not isinstance(result, DimensionScore):
        raise _CheckFailed(
            f"returned {type(result).__name__} on conversation {conversation.id!r}; "
            "expected a DimensionScore"
        )
    return result


def _check_returns_dimension_score(
    scorer: Scorer, conversations: Sequence[Conversation]
) -> list[_Case]:
    """Returns a DimensionScore named like the scorer, on every conversation, without raising."""
    cases = []
    for conv in conversations:
        original = _copy(conv)
        result = _call(scorer, conv)
        if result.name != scorer.name:
            raise _CheckFailed(
                f"returned a DimensionScore named {result.name!r} on conversation {conv.id!r}; "
                f"expected the scorer's name {scorer.name!r}"
            )
        cases.append(_Case(conv, original, result))
    return cases


def _check_one_turn_score_per_turn(scorer: Scorer, cases: Sequence[_Case]) -> None:
    """``turn_scores`` has one entry per turn of the conversation."""
    for case in cases:
        got, turns = len(case.result.turn_scores), len(case.original.turns)
        if got != turns:
            raise _CheckFailed(
                f"gave {got} turn scores for the {turns} turns of conversation {case.original.id!r}"
            )


def _unit(value: object) -> bool:
    return value is None or (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= 1
    )


def _check_values_in_unit_interval(scorer: Scorer, cases: Sequence[_Case]) -> None:
    """The value and every turn score are in [0, 1] or None; opportunity turns exist."""
    for case in cases:
        result, where = case.result, f"on conversation {case.original.id!r}"
        if not _unit(result.value):
            raise _CheckFailed(f"value {result.value!r} {where}")
        for index, turn_score in enumerate(result.turn_scores):
            if not _unit(turn_score):
                raise _CheckFailed(f"turn score {turn_score!r} of turn {index} {where}")
        if result.opportunities != len(result.opportunity_turns):
            raise _CheckFailed(
                f"opportunities is {result.opportunities} but opportunity_turns has "
                f"{len(result.opportunity_turns)} entries {where}"
            )
        for index in result.opportunity_turns:
            if not 0 <= index < len(case.original.turns):
                raise _CheckFailed(f"opportunity turn {index} does not exist {where}")


def _check_evidence_quotes_its_turn(scorer: Scorer, cases: Sequence[_Case]) -> None:
    """Every piece of evidence names a turn, and its text is that turn's ``text[start:end]``."""
    for case in cases:
        turns = case.original.turns
        for ev in case.result.evidence:
            where = f"evidence {ev.rule!r} on conversation {case.original.id!r}"
            if not 0 <= ev.turn < len(turns):
                raise _CheckFailed(f"{where} names turn {ev.turn}, which does not exist")
            text = turns[ev.turn].text
            if not 0 <= ev.start < ev.end <= len(text):
                raise _CheckFailed(
                    f"{where} spans [{ev.start}:{ev.end}], which is empty or outside turn "
                    f"{ev.turn} ({len(text)} characters)"
                )
            if text[ev.start : ev.end] != ev.text:
                raise _CheckFailed(
                    f"{where} quotes {ev.text!r:.40} but turn {ev.turn}[{ev.start}:{ev.end}] "
                    f"is {text[ev.start : ev.end]!r:.40}"
                )
            if not (isinstance(ev.rule, str) and ev.rule):
                raise _CheckFailed(f"{where} has no rule id")


def _same(first: DimensionScore, second: DimensionScore) -> bool:
    """Equal results (a NaN, which the validators would have refused, equals itself here)."""
    return first == second or repr(first) == repr(second)


def _check_deterministic(scorer: Scorer, cases: Sequence[_Case]) -> None:
    """The same conversation, scored again or rebuilt from scratch, gives an equal result.

    The conversations are scored again in the reverse order, so that a result that
    depends on what the scorer saw before (state kept between calls) shows:
    :func:`~empathykit.score_many` runs each scorer over a chunk of conversations
    before the next scorer, not conversation by conversation.
    """
    for case in reversed(cases):
        where = f"conversation {case.original.id!r}"
        if not _same(_call(scorer, case.conversation), case.result):
            raise _CheckFailed(f"a second call on {where} gave another result")
        if not _same(_call(scorer, _copy(case.original)), case.result):
            raise _CheckFailed(f"an equal copy of {where}, analysed afresh, gave another result")


def _check_pickles(scorer: Scorer, cases: Sequence[_Case]) -> None:
    """The scorer and its results survive pickling, and the copy scores equally."""
    try:
        clone = pickle.loads(pickle.dumps(scorer))
    except Exception as error:
        raise _CheckFailed(
            f"pickling the scorer failed ({type(error).__name__}: {error}); keep configuration "
            "in picklable fields (no lambdas or local functions) so that "
            "score_many(n_jobs=2) can send it to worker processes"
        ) from error
    for case in cases:
        where = f"conversation {case.original.id!r}"
        if not _same(_call(clone, case.conversation), case.result):
            raise _CheckFailed(f"the unpickled scorer scores {where} differently")
        try:
            same = _same(pickle.loads(pickle.dumps(case.result)), case.result)
        except Exception as error:
            raise _CheckFailed(
                f"pickling its result on {where} failed: {type(error).__name__}: {error}"
            ) from error
        if not same:
            raise _CheckFailed(f"its result on {where} changes when pickled")


def _check_does_not_mutate_input(scorer: Scorer, cases: Sequence[_Case]) -> None:
    """The conversation and its shared analysis are unchanged after scoring."""
    for case in cases:
        where = f"conversation {case.original.id!r}"
        if case.conversation != case.original:
            raise _CheckFailed(f"{where} was changed")
        if case.conversation.analysis != case.original.analysis:
            raise _CheckFailed(f"the shared analysis of {where} was changed")


def _check_works_with_score(scorer: Scorer, cases: Sequence[_Case]) -> None:
    """``empathykit.score(conversation, scorers=[scorer])`` accepts it and its results."""
    for case in cases:
        where = f"conversation {case.original.id!r}"
        try:
            report = score(case.original, scorers=[scorer])
        except Exception as error:
            raise _CheckFailed(
                f"empathykit.score() failed on {where}: {type(error).__name__}: {error}"
            ) from error
        if [dim.name for dim in report.scores] != [scorer.name]:  # pragma: no cover - defensive
            raise _CheckFailed(f"the report of {where} has no dimension {scorer.name!r}")


# The checks run once every conversation gave a result, in order.
_CHECKS: tuple[Callable[[Scorer, Sequence[_Case]], None], ...] = (
    _check_one_turn_score_per_turn,
    _check_values_in_unit_interval,
    _check_evidence_quotes_its_turn,
    _check_deterministic,
    _check_pickles,
    _check_does_not_mutate_input,
    _check_works_with_score,
)


def _check_name(check: Callable[..., object]) -> str:
    return check.__name__.removeprefix("_check_")


def check_scorer(
    scorer: object, *, conversations: Iterable[ConversationLike] | None = None
) -> None:
    """Check that ``scorer`` keeps the scorer contract; raise if it does not.

    The checks: it is a :class:`~empathykit.typing.Scorer` (a non-empty ``name`` and a
    ``__call__``); on every conversation it returns a :class:`~empathykit.DimensionScore`
    with its own name, without raising, including customer-only, agent-only, single-turn
    and unusual-text conversations; one turn score per turn; the value and turn scores
    in [0, 1] or ``None``; evidence whose text is the quoted span of its turn; the same
    result when called again (after other conversations) or on an equal conversation;
    the scorer and its results pickle, and the unpickled scorer scores the same; the
    conversation and its shared analysis are not changed; and :func:`empathykit.score`
    accepts it. Every failed check is reported, not only the first (but a scorer that
    does not return a valid result for every conversation is reported for that alone:
    the other checks need its results).

    Args:
        scorer: The scorer to check.
        conversations: More conversations to check it on, in any shape
            :func:`empathykit.as_conversation` accepts, in addition to
            :func:`sample_conversations`.

    Raises:
        ScorerContractError: One or more checks failed; ``failures`` lists them.

    Example:
        >>> import empathykit
        >>> check_scorer(empathykit.scorers.phrases("thanks", ["thank you"]))
        >>> def shouty(conversation):
        ...     return empathykit.DimensionScore(name="shouty", value=1.0, turn_scores=[1.0])
        >>> shouty.name = "shouty"
        >>> check_scorer(shouty)
        Traceback (most recent call last):
        ...
        empathykit.testing.ScorerContractError: scorer 'shouty' breaks the scorer contract in ...
    """
    name = _name_of(scorer)
    if not isinstance(scorer, Scorer) or not isinstance(scorer.name, str) or not scorer.name:
        raise ScorerContractError(
            name,
            [
                "is_a_scorer: expected an object with a non-empty str 'name' and "
                f"'__call__(conversation)', got {type(scorer).__name__}"
            ],
        )
    extra = [as_conversation(c) for c in conversations or ()]
    convs = [*sample_conversations(), *extra]
    try:
        cases = _check_returns_dimension_score(scorer, convs)
    except _CheckFailed as failed:
        raise ScorerContractError(
            name, [f"{_check_name(_check_returns_dimension_score)}: {failed}"]
        ) from None
    failures = []
    for check in _CHECKS:
        try:
            check(scorer, cases)
        except _CheckFailed as failed:
            failures.append(f"{_check_name(check)}: {failed}")
    if failures:
        raise ScorerContractError(name, failures)
