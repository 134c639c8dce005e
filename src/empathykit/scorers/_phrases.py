"""The cue-phrase scorer behind apology, emotional acknowledgement, solution offer and
every user-defined phrase scorer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

import attrs

if TYPE_CHECKING:
    from .._analysis import TurnAnalysis
    from .._results import DimensionScore, Evidence
from .._conversation import Conversation, Role, resolve_role
from .._lexicon import Cue, CueSet, builtin_cues, compile_cues
from ..exceptions import ConfigurationError, InvalidConversationError
from ._engine import build_dimension, combine, cue_evidence, reply_context

__all__ = ["OPPORTUNITY_KINDS", "CueScorer", "Opportunity", "customise", "phrases"]

#: Names of the customer-turn signals a scorer may treat as its opportunity.
OPPORTUNITY_KINDS = (
    "problem",
    "negative_feeling",
    "positive_feeling",
    "help_request",
    "specific",
    "customer_turn",
)

Opportunity: TypeAlias = "str | Sequence[str] | Callable[[TurnAnalysis], bool] | None"


def _opportunity_converter(
    value: Opportunity,
) -> tuple[str, ...] | Callable[[TurnAnalysis], bool]:
    if value is None:
        return ("customer_turn",)
    if callable(value):
        return value
    if not isinstance(value, Iterable):
        raise ConfigurationError(
            f"opportunity: expected one or more of {', '.join(OPPORTUNITY_KINDS)}, or a "
            f"function of a TurnAnalysis, got {value!r:.60}"
        )
    kinds = (value,) if isinstance(value, str) else tuple(value)
    if not kinds:  # an empty tuple would make the behaviour N/A in every conversation
        raise ConfigurationError(
            f"expected at least one opportunity kind ({', '.join(OPPORTUNITY_KINDS)}), got none"
        )
    for kind in kinds:
        if kind not in OPPORTUNITY_KINDS:
            raise ConfigurationError(
                f"unknown opportunity {kind!r}; expected one of {', '.join(OPPORTUNITY_KINDS)} "
                "or a function of a TurnAnalysis"
            )
    return kinds


def _role_converter(value: Role | str) -> Role:
    try:
        role = resolve_role(value)
    except InvalidConversationError:  # a bad scorer setting, not a bad conversation
        role = None
    if role is None:
        raise ConfigurationError(f"expected role 'agent' or 'customer', got {value!r:.60}")
    return role


def _strings(value: Iterable[str], what: str) -> list[str]:
    """``value`` as a list of strings; a bare string is refused, not split into letters."""
    if isinstance(value, str):
        raise ConfigurationError(
            f"{what}: expected a list of strings, got the string {value!r:.60}"
        )
    if not isinstance(value, Iterable):
        raise ConfigurationError(f"{what}: expected a list of strings, got {value!r:.80}")
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise ConfigurationError(
                f"{what}: expected a list of strings, got {type(item).__name__} {item!r:.60}"
            )
    return items


def is_opportunity(
    turn: TurnAnalysis, opportunity: tuple[str, ...] | Callable[[TurnAnalysis], bool]
) -> bool:
    """Whether a customer turn is an opportunity of the given kinds."""
    if callable(opportunity):
        return bool(opportunity(turn))
    signals = turn.signals
    if signals is None:
        return False
    return any(kind == "customer_turn" or getattr(signals, kind) for kind in opportunity)


@attrs.frozen(kw_only=True)
class CueScorer:
    """Scores turns by the cue phrases they contain; see :func:`phrases` to make one.

    Attributes:
        name: The behaviour this scorer measures (the key in ``report.dimensions``).
        cues: Its compiled rules and blockers.
        opportunity: The customer signals that call for the behaviour, or a function
            of a :class:`~empathykit.analysis.TurnAnalysis`.
        role: Whose turns are scored (agent by default).
        penalty: True when the behaviour is one to avoid; its value is then the score of
            the worst scored turn, and it lowers the overall score.
        noun: How explanations call an opportunity ("complaint", "request").
    """

    name: str
    cues: CueSet
    opportunity: tuple[str, ...] | Callable[[TurnAnalysis], bool] = attrs.field(
        converter=_opportunity_converter, default=("customer_turn",)
    )
    role: Role = attrs.field(converter=_role_converter, default=Role.AGENT)
    penalty: bool = False
    noun: str = "opportunity"

    def opportunities(self, conversation: Conversation) -> list[int]:
        """Indices of the customer turns that call for this behaviour."""
        return [
            turn.index
            for turn in conversation.analysis.turns
            if turn.role is Role.CUSTOMER and is_opportunity(turn, self.opportunity)
        ]

    def turn_evidence(self, turn: TurnAnalysis, context: str = "") -> list[Evidence]:
        """The evidence this scorer finds in one turn."""
        return cue_evidence(turn, self.cues, context=context)

    def __call__(self, conversation: Conversation) -> DimensionScore:
        turns = conversation.analysis.turns
        roles = [turn.role for turn in turns]
        opportunities = self.opportunities(conversation)
        where = reply_context(roles, opportunities, noun=self.noun)
        turn_scores: list[float | None] = []
        evidence: list[Evidence] = []
        for turn in turns:
            if turn.role is not self.role:
                turn_scores.append(None)
                continue
            found = self.turn_evidence(turn, where.get(turn.index, ""))
            turn_scores.append(combine((e.rule, e.weight) for e in found) if found else 0.0)
            evidence.extend(found)
        return build_dimension(
            self.name,
            roles,
            turn_scores,
            opportunities,
            evidence,
            scored_role=self.role,
            penalty=self.penalty,
        )


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise ConfigurationError(
            f"expected a scorer name made of letters, digits and underscores, got {name!r}"
        )
    return name


def customise(
    cues: CueSet,
    name: str,
    *,
    extra_phrases: Iterable[str] = (),
    extra_patterns: Iterable[str] = (),
    exclude_phrases: Iterable[str] = (),
    rule_weights: Mapping[str, float] | None = None,
    extra_weight: float = 1.0,
) -> CueSet:
    """Return ``cues`` with a user's phrases added, excluded and re-weighted.

    Added phrases become the rule ``<name>.custom`` ("matches your phrase list"); excluded
    phrases veto any match inside them, built-in or not.

    Raises:
        ConfigurationError: A rule in ``rule_weights`` is unknown, a weight is outside
            [-1, 1], a phrase or pattern is invalid, or an argument is not a list of
            strings (``rule_weights``: a mapping).
    """
    extra_phrases = _strings(extra_phrases, f"{name}: extra_phrases")
    extra_patterns = _strings(extra_patterns, f"{name}: extra_patterns")
    exclude = _strings(exclude_phrases, f"{name}: exclude_phrases")
    if rule_weights is not None and not isinstance(rule_weights, Mapping):
        raise ConfigurationError(
            f"{name}: rule_weights: expected a mapping of rule ids to numbers, "
            f"got {rule_weights!r:.80}"
        )
    weights = dict(rule_weights or {})
    known = {cue.rule for cue in cues.cues} | {f"{name}.custom"}
    unknown = set(weights) - known
    if unknown:
        raise ConfigurationError(
            f"{name}: unknown rules in rule_weights: {sorted(unknown, key=repr)}; known rules are "
            f"{sorted(known)}"
        )
    for rule, weight in [*weights.items(), (f"{name}.custom", extra_weight)]:
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not -1 <= weight <= 1:
            raise ConfigurationError(
                f"{name}: weight of {rule!r} must be in [-1, 1], got {weight!r}"
            )
    custom = compile_cues(extra_phrases, extra_patterns, where=f"{name}: extra phrases")
    excluded = compile_cues(exclude, where=f"{name}: exclude_phrases")
    if not weights and custom is None and excluded is None:
        return cues  # nothing to change: share the compiled set and its key index
    new_cues = [
        attrs.evolve(cue, weight=float(weights[cue.rule])) if cue.rule in weights else cue
        for cue in cues.cues
    ]
    if custom is not None:
        new_cues.append(
            Cue(
                rule=f"{name}.custom",
                weight=float(weights.get(f"{name}.custom", extra_weight)),
                explanation="matches your phrase list",
                regex=custom,
            )
        )
    blockers = list(cues.blockers)
    if excluded is not None:
        blockers.append(
            Cue(rule=f"{name}.excluded", weight=0.0, explanation="excluded by you", regex=excluded)
        )
    return CueSet(cues=new_cues, blockers=blockers)


def phrases(
    name: str,
    phrases: Iterable[str] = (),
    patterns: Iterable[str] = (),
    *,
    role: Role | str = Role.AGENT,
    opportunity: Opportunity = None,
    weight: float = 1.0,
    explanation: str | None = None,
    exclude_phrases: Iterable[str] = (),
    penalty: bool = False,
) -> CueScorer:
    """A scorer for a behaviour of your own, declared as phrases and patterns.

    Phrases match case-insensitively on word boundaries, with straight or curly
    apostrophes, any spacing between words, and ``*`` for any word ending. A negation
    just before a match ("not", "never", "can't") cancels it, as for the built-ins.

    Args:
        name: The behaviour's name, a Python identifier (``"ownership"``).
        phrases: Plain phrases to look for.
        patterns: Regular expressions for what phrases cannot say (checked for
            catastrophic backtracking).
        role: Whose turns to score, ``"agent"`` (default) or ``"customer"``.
        opportunity: Which customer turns call for the behaviour: one or more of
            :data:`OPPORTUNITY_KINDS`, or a function of a turn's analysis. The default,
            every customer turn.
        weight: Credit of one match, in [-1, 1].
        explanation: One line for the evidence; defaults to ``"<name> phrase"``.
        exclude_phrases: Phrases that veto any match inside them.
        penalty: Measure something to avoid: the value is the worst turn's score and it
            is subtracted from the overall score.

    Returns:
        A picklable scorer.

    Raises:
        ConfigurationError: Bad name, weight, phrase, pattern or opportunity.

    Example:
        >>> import empathykit
        >>> ownership = phrases("ownership", ["I'll take care of it", "leave it with me"])
        >>> report = empathykit.score(
        ...     "Customer: My order is missing.\\nAgent: Leave it with me, I'll sort it out.",
        ...     scorers=[ownership],
        ... )
        >>> report["ownership"].value, report["ownership"].evidence[0].text
        (1.0, 'Leave it with me')
    """
    name = _check_name(name)
    where = f"scorer {name!r}"
    regex = compile_cues(
        _strings(phrases, f"{where}: phrases"),
        _strings(patterns, f"{where}: patterns"),
        where=where,
    )
    if regex is None:
        raise ConfigurationError(f"scorer {name!r}: expected at least one phrase or pattern")
    if explanation is not None and not isinstance(explanation, str):
        raise ConfigurationError(f"{where}: expected explanation as a str, got {explanation!r:.60}")
    if not isinstance(penalty, bool):
        raise ConfigurationError(f"{where}: expected penalty as True or False, got {penalty!r:.60}")
    cues = customise(
        CueSet(
            cues=[
                Cue(
                    rule=f"{name}.phrase",
                    weight=1.0,
                    explanation=explanation or f"{name.replace('_', ' ')} phrase",
                    regex=regex,
                )
            ]
        ),
        name,
        exclude_phrases=exclude_phrases,
        rule_weights={f"{name}.phrase": weight},
    )
    return CueScorer(name=name, cues=cues, opportunity=opportunity, role=role, penalty=penalty)


def builtin_scorer(
    name: str,
    *,
    opportunity: tuple[str, ...],
    noun: str,
    extra_phrases: Iterable[str] = (),
    extra_patterns: Iterable[str] = (),
    exclude_phrases: Iterable[str] = (),
    rule_weights: Mapping[str, float] | None = None,
) -> CueScorer:
    """A built-in cue scorer with the bundled lexicon ``name``, customised by the user."""
    cues = customise(
        builtin_cues(name),
        name,
        extra_phrases=extra_phrases,
        extra_patterns=extra_patterns,
        exclude_phrases=exclude_phrases,
        rule_weights=rule_weights,
    )
    return CueScorer(name=name, cues=cues, opportunity=opportunity, noun=noun)
