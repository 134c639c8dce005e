"""The scoring model every built-in scorer shares.

1. **Evidence** — each agent turn is searched for cues; each match is an
   :class:`~empathykit.Evidence` with a weight in [-1, 1].
2. **Turn score** — a turn's positive evidence combines like independent chances
   (``1 - Π(1 - w)``, strongest match per rule), then each penalty scales it down by
   ``(1 + w)``. More kinds of evidence raise the score; repeating one rule does not.
3. **Opportunities** — customer turns that call for the behaviour (a reported problem,
   a negative feeling, a request for help, specific details).
4. **Placement** — an opportunity is answered by the best of the agent turns after it:
   the next :data:`FULL_CREDIT_REPLIES` agent turns earn full credit, each later one
   half as much as the one before, and after :data:`MAX_REPLIES` agent turns none.
   An opportunity with no agent turn after it (the chat ended) is not counted.
5. **Value** — the mean credit over the counted opportunities; ``None`` (N/A) when
   there are none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._analysis import TurnAnalysis
    from .._lexicon import Cue, CueSet
from .._conversation import Role
from .._results import DimensionScore, Evidence

__all__ = [
    "FULL_CREDIT_REPLIES",
    "MAX_REPLIES",
    "build_dimension",
    "combine",
    "cue_evidence",
    "placement_credits",
    "reply_context",
]

#: The first this-many agent replies after an opportunity earn full credit.
FULL_CREDIT_REPLIES = 2
#: Agent replies later than this earn nothing for an opportunity.
MAX_REPLIES = 8


def placement_factor(reply: int) -> float:
    """Credit factor of the ``reply``-th agent turn (1-based) after an opportunity.

    >>> [placement_factor(k) for k in (1, 2, 3, 4)]
    [1.0, 1.0, 0.5, 0.25]
    """
    if reply <= FULL_CREDIT_REPLIES:
        return 1.0
    if reply > MAX_REPLIES:
        return 0.0
    return float(0.5 ** (reply - FULL_CREDIT_REPLIES))


def combine(weights: Iterable[tuple[str, float]]) -> float:
    """Combine ``(rule, weight)`` pairs into one turn score in [0, 1].

    >>> combine([("a.x", 0.5), ("a.x", 0.5), ("a.y", 0.5)])
    0.75
    >>> combine([("a.x", 1.0), ("a.penalty", -0.5)])
    0.5
    """
    best: dict[str, float] = {}
    worst: dict[str, float] = {}
    for rule, weight in weights:
        if weight > 0:
            best[rule] = max(best.get(rule, 0.0), weight)
        elif weight < 0:
            worst[rule] = min(worst.get(rule, 0.0), weight)
    miss = 1.0
    for weight in best.values():
        miss *= 1.0 - weight
    score = 1.0 - miss
    for weight in worst.values():
        score *= 1.0 + weight
    return min(1.0, max(0.0, score))


def cue_evidence(
    turn: TurnAnalysis,
    cues: CueSet,
    *,
    context: str = "",
    within: Sequence[tuple[int, int]] | None = None,
    blocked: Sequence[tuple[int, int]] | None = None,
) -> list[Evidence]:
    """Evidence for every cue match in ``turn`` that no blocker vetoes and no negation cancels.

    Args:
        turn: The analysed turn.
        cues: The rules and blockers to apply.
        context: Appended to each explanation (where the turn stands in the conversation).
        within: If given, only matches inside one of these spans count.
        blocked: The spans of every blocker match in ``turn``, when the caller has
            already found them; else they are searched for (only if a rule matched).
    """
    text = turn.text
    folded = turn.folded
    keys = turn.keys
    candidates: list[tuple[int, int, Cue]] = []
    for cue, match in cues.cue_matches(text, folded, keys):
        start, end = match.span()
        if start == end:
            continue
        if within is not None and not any(s <= start and end <= e for s, e in within):
            continue
        if cue.anchor is not None and not cue.opens(text, start):
            continue
        candidates.append((start, end, cue))
    if not candidates:
        return []  # most turns: no need to look for blockers
    if blocked is None:
        blocked = [m.span() for _, m in cues.blocker_matches(text, folded, keys)]
    found: list[Evidence] = []
    for start, end, cue in candidates:
        if blocked and any(s <= start and end <= e for s, e in blocked):
            continue
        if cue.negatable and turn.is_negated(start):
            continue
        found.append(
            Evidence(
                turn=turn.index,
                start=start,
                end=end,
                text=text[start:end],
                rule=cue.rule,
                weight=cue.weight,
                explanation=cue.explanation + context,
            )
        )
    return found


def reply_context(
    turn_roles: Sequence[Role], opportunities: Sequence[int], *, noun: str
) -> dict[int, str]:
    """For each agent turn, a phrase placing it after the opportunity it answers.

    >>> roles = [Role.CUSTOMER, Role.AGENT, Role.AGENT]
    >>> reply_context(roles, [0], noun="complaint")
    {1: ', reply 1 to the complaint in turn 0', 2: ', reply 2 to the complaint in turn 0'}
    """
    result: dict[int, str] = {}
    is_opportunity = set(opportunities)
    last: int | None = None
    replies = 0
    for index, role in enumerate(turn_roles):
        if index in is_opportunity:
            last, replies = index, 0
        elif role is Role.AGENT and last is not None:
            replies += 1
            if replies <= MAX_REPLIES:
                result[index] = f", reply {replies} to the {noun} in turn {last}"
    return result


def placement_credits(
    turn_roles: Sequence[Role],
    turn_scores: Sequence[float | None],
    opportunities: Sequence[int],
    *,
    replier: Role = Role.AGENT,
) -> tuple[list[int], list[float]]:
    """Credit each opportunity with the best placed reply after it.

    Runs in time linear in the conversation: each opportunity looks at no more than
    :data:`MAX_REPLIES` later replies, found through a precomputed list of reply turns.

    Returns:
        The opportunities that had at least one reply, and the credit of each.
    """
    replies = [i for i, role in enumerate(turn_roles) if role is replier]
    counted: list[int] = []
    credits: list[float] = []
    position = 0
    for opportunity in sorted(opportunities):
        while position < len(replies) and replies[position] <= opportunity:
            position += 1
        following = replies[position : position + MAX_REPLIES]
        if not following:
            continue
        counted.append(opportunity)
        credits.append(
            max(
                (turn_scores[index] or 0.0) * placement_factor(k)
                for k, index in enumerate(following, start=1)
            )
        )
    return counted, credits


def build_dimension(
    name: str,
    roles: Sequence[Role],
    turn_scores: list[float | None],
    opportunities: list[int],
    evidence: list[Evidence],
    *,
    scored_role: Role = Role.AGENT,
    penalty: bool = False,
) -> DimensionScore:
    """Aggregate turn scores into a :class:`~empathykit.DimensionScore`.

    Agent behaviours: mean placement credit over the opportunities (see the module
    docstring). Penalties: the worst scored turn. Customer-side scorers: the mean over
    customer turns.
    """
    scored = [s for s in turn_scores if s is not None]
    value: float | None
    if penalty or scored_role is Role.CUSTOMER:
        counted = [i for i, role in enumerate(roles) if role is scored_role]
        value = None if not scored else max(scored) if penalty else sum(scored) / len(scored)
    else:
        counted, credits = placement_credits(roles, turn_scores, opportunities)
        value = sum(credits) / len(credits) if credits else None
    return DimensionScore(
        name=name,
        value=value,
        turn_scores=turn_scores,
        opportunities=len(counted),
        opportunity_turns=counted,
        evidence=evidence,
        penalty=penalty,
    )
