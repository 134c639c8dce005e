"""score(): run the scorers over one conversation and weigh their values into a Report."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from ._conversation import Conversation, ConversationLike, Role, RoleMap, as_conversation, show
from ._registry import get_scorer
from ._results import DimensionScore, Report, SentimentTrajectory
from .exceptions import (
    ConfigurationError,
    DuplicateScorerError,
    EmpathyKitError,
    ScorerError,
)
from .typing import Scorer, ScorerLike

__all__ = ["DEFAULT_SCORERS", "PENALTY_WEIGHT", "default_scorers", "score"]

#: The behaviours scored when no ``scorers=`` are given, in report order.
DEFAULT_SCORERS = ("active_listening", "emotional_acknowledgement", "apology", "solution_offer")
#: Default weight of a penalty scorer: how much of its value comes off the overall score.
PENALTY_WEIGHT = 0.25


@cache
def _defaults() -> tuple[Scorer, ...]:
    return tuple(get_scorer(name) for name in DEFAULT_SCORERS)


def default_scorers() -> list[Scorer]:
    """The built-in scorers :func:`score` uses by default, to extend with your own.

    Example:
        >>> import empathykit
        >>> ownership = empathykit.scorers.phrases("ownership", ["leave it with me"])
        >>> [s.name for s in [*default_scorers(), ownership]][-2:]
        ['solution_offer', 'ownership']
    """
    return list(_defaults())


def resolve_scorers(scorers: Iterable[ScorerLike] | None) -> tuple[Scorer, ...]:
    """Turn ``scorers=`` (scorers or registered names) into scorers, checking names are unique."""
    if scorers is None:
        return _defaults()
    if isinstance(scorers, str):
        raise ConfigurationError(
            f"expected a list of scorers or scorer names, got the string {scorers!r} "
            f"(write scorers=[{scorers!r}])"
        )
    if not isinstance(scorers, Iterable):
        raise ConfigurationError(
            "expected a list of scorers or scorer names, "
            f"got {type(scorers).__name__} {show(scorers)}"
        )
    resolved: list[Scorer] = []
    for item in scorers:
        scorer = get_scorer(item) if isinstance(item, str) else item
        if not isinstance(scorer, Scorer):
            raise ConfigurationError(
                "expected a scorer (an object with 'name' and '__call__(conversation)') or a "
                f"registered name, got {type(item).__name__} {show(item)}"
            )
        resolved.append(scorer)
    names = [s.name for s in resolved]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DuplicateScorerError(f"two scorers share the name(s) {duplicates}; names must differ")
    if not resolved:
        raise ConfigurationError("expected at least one scorer, got an empty list")
    return tuple(resolved)


def resolve_weights(
    weights: Mapping[str, float] | None, dimensions: Sequence[DimensionScore]
) -> dict[str, float]:
    """Each behaviour's weight: 1.0 (or :data:`PENALTY_WEIGHT` for penalties) unless given."""
    result = {d.name: (PENALTY_WEIGHT if d.penalty else 1.0) for d in dimensions}
    if weights is not None and not isinstance(weights, Mapping):
        raise ConfigurationError(
            f"expected weights as a mapping such as {{'apology': 2}}, "
            f"got {type(weights).__name__} {show(weights)}"
        )
    for name, weight in (weights or {}).items():
        if name not in result:
            raise ConfigurationError(
                f"weights name {name!r}, which is not a scored behaviour; "
                f"the behaviours are {', '.join(result)}"
            )
        value: object = weight  # whatever the annotation says, callers pass anything
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)  # NumPy's numbers too, int64 and float32
            or not math.isfinite(value)
            or value < 0
        ):
            raise ConfigurationError(
                f"weight of {name!r} must be a finite number ≥ 0, got {weight!r}"
            )
        result[name] = float(value)
    return result


def overall_score(
    dimensions: Sequence[DimensionScore], weights: Mapping[str, float]
) -> float | None:
    """Weighted mean of the applicable behaviours, less each penalty's weight × value.

    ``None`` when no behaviour with a positive weight is applicable.

    >>> dims = [DimensionScore(name="a", value=1.0, turn_scores=[]),
    ...         DimensionScore(name="b", value=0.5, turn_scores=[]),
    ...         DimensionScore(name="c", value=None, turn_scores=[])]
    >>> overall_score(dims, {"a": 1, "b": 1, "c": 1})
    0.75
    """
    counted = [
        (weights[dim.name], dim.value)
        for dim in dimensions
        if not dim.penalty and dim.value is not None and weights[dim.name] > 0
    ]
    if not counted:
        return None
    total = sum(weight * score for weight, score in counted)
    weight_sum = sum(weight for weight, _ in counted)
    if not math.isfinite(weight_sum):  # weights near the float maximum: their ratios count
        top = max(weight for weight, _ in counted)
        total = sum(weight / top * score for weight, score in counted)
        weight_sum = sum(weight / top for weight, _ in counted)
    value = total / weight_sum
    for dim in dimensions:
        if dim.penalty and dim.value is not None:
            value -= weights[dim.name] * dim.value
    return min(1.0, max(0.0, value))


def sentiment_trajectory(conversation: Conversation) -> SentimentTrajectory:
    """The customer's VADER compound score per turn, and where it started and ended."""
    turns = [
        t.sentiment.compound if t.sentiment is not None else None
        for t in conversation.analysis.turns
    ]
    customer = [
        v for v, t in zip(turns, conversation.turns, strict=True) if t.role is Role.CUSTOMER
    ]
    values = [v for v in customer if v is not None]
    return SentimentTrajectory(
        turns=turns,
        start=values[0] if values else None,
        end=values[-1] if values else None,
    )


def run_scorer(scorer: Scorer, conversation: Conversation) -> DimensionScore:
    """``scorer(conversation)``, its errors and broken results reported as :class:`ScorerError`."""
    name = getattr(scorer, "name", type(scorer).__name__)
    try:
        result = scorer(conversation)
    except ScorerError as error:
        if str(error).startswith("scorer "):
            raise
        # e.g. "DimensionScore.value: expected a number in [0, 1] …": say whose it is
        raise ScorerError(f"scorer {name!r}: {error}") from error
    except EmpathyKitError:
        raise
    except Exception as error:
        raise ScorerError(f"scorer {name!r} raised {type(error).__name__}: {error}") from error
    if not isinstance(result, DimensionScore):
        raise ScorerError(
            f"scorer {name!r} returned {type(result).__name__}; expected a DimensionScore"
        )
    if result.name != name:
        raise ScorerError(
            f"scorer {name!r} returned a DimensionScore named {result.name!r}; the names must match"
        )
    return result


def score(
    conversation: ConversationLike,
    *,
    weights: Mapping[str, float] | None = None,
    scorers: Iterable[ScorerLike] | None = None,
    roles: RoleMap | None = None,
    id: str | None = None,
) -> Report:
    """Score how the agent showed empathy in one conversation.

    Args:
        conversation: A :class:`Conversation`, a list of turns (dicts with ``role`` and
            ``text``, or ``(role, text)`` pairs), or an ``Agent: …`` / ``Customer: …``
            transcript. See :func:`as_conversation`.
        weights: Weight of each behaviour in ``report.overall``, by name (default 1 each;
            penalties default to 0.25).
        scorers: The scorers to run, as scorers or registered names; replaces the
            default four. Add to them with ``[*empathykit.default_scorers(), mine]``.
        roles: Extra speaker names, e.g. ``{"Dana": "agent", "system": None}``.
        id: An identifier for the conversation, carried into the report.

    Returns:
        The :class:`Report`: overall score, one :class:`DimensionScore` per behaviour with
        its evidence, and the customer's sentiment trajectory.

    Raises:
        InvalidConversationError: The conversation is malformed (the message names the turn).
        ConfigurationError: Unknown behaviour in ``weights``, a negative weight, or a bad scorer.
        UnknownScorerError: A scorer name is not registered.
        ScorerError: A scorer raised or broke the scorer contract.

    Example:
        >>> import empathykit
        >>> report = empathykit.score([
        ...     {"role": "user", "text": "My parcel was due Monday and it still hasn't arrived."},
        ...     {"role": "assistant", "text": "I'm sorry. Let me check the tracking for you."},
        ... ])
        >>> report["apology"].value, report["solution_offer"].value
        (1.0, 1.0)
        >>> report["apology"].evidence[0].text
        'sorry'
    """
    conv = as_conversation(conversation, roles=roles, id=id)
    return score_resolved(conv, resolve_scorers(scorers), weights)


def score_resolved(
    conv: Conversation, chosen: Sequence[Scorer], weights: Mapping[str, float] | None
) -> Report:
    """:func:`score` for a checked conversation and scorers (batches resolve them once)."""
    return build_report(conv, [run_scorer(scorer, conv) for scorer in chosen], weights)


def build_report(
    conv: Conversation, dimensions: Sequence[DimensionScore], weights: Mapping[str, float] | None
) -> Report:
    """The :class:`Report` of ``conv`` from its scorers' results: weighed, then checked."""
    resolved = resolve_weights(weights, dimensions)
    return Report(
        conversation=conv,
        scores=dimensions,
        overall=overall_score(dimensions, resolved),
        weights=resolved,
        sentiment=sentiment_trajectory(conv),
    )
