"""The emotional-acknowledgement scorer: naming, validating or sharing the customer's feelings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._phrases import CueScorer, builtin_scorer

__all__ = ["emotional_acknowledgement"]


def emotional_acknowledgement(
    *,
    extra_phrases: Iterable[str] = (),
    extra_patterns: Iterable[str] = (),
    exclude_phrases: Iterable[str] = (),
    rule_weights: Mapping[str, float] | None = None,
) -> CueScorer:
    """Score emotional acknowledgement: "That must have been stressful", "Glad it works now!".

    Telling the customer how to feel ("Calm down", "There's no need to be upset") and
    "I'm sorry you feel that way" earn nothing; an apology for an error that says nothing
    of how it affected the customer earns little (``emotional_acknowledgement.courtesy``).
    The opportunity is a customer turn that reports a problem or a negative feeling;
    without one the value is N/A (turn scores still credit shared positive feelings).

    Rules: ``sympathy``, ``validation``, ``validation_predicate`` ("…is so frustrating",
    which a negation in the subject does not cancel), ``named_feeling`` (partial),
    ``positive``, ``reflection`` (partial), ``understanding`` (partial),
    ``feeling_word`` (partial), ``courtesy`` (partial), plus ``custom`` for your
    ``extra_phrases``.

    Args:
        extra_phrases: More phrases that count.
        extra_patterns: More regular expressions that count.
        exclude_phrases: Phrases never to credit; they veto matches inside them.
        rule_weights: New weights for rules, e.g. ``{"emotional_acknowledgement.courtesy": 0}``.

    Returns:
        A picklable scorer named ``"emotional_acknowledgement"``.

    Raises:
        ConfigurationError: An unknown rule, a weight outside [-1, 1], or a bad phrase.

    Example:
        >>> import empathykit
        >>> chat = ("Customer: I've waited all week and I'm so stressed.\\n"
        ...         "Agent: That sounds really stressful.")
        >>> report = empathykit.score(chat, scorers=[emotional_acknowledgement()])
        >>> report["emotional_acknowledgement"].evidence[0].rule
        'emotional_acknowledgement.validation'
    """
    return builtin_scorer(
        "emotional_acknowledgement",
        opportunity=("problem", "negative_feeling"),
        noun="complaint",
        extra_phrases=extra_phrases,
        extra_patterns=extra_patterns,
        exclude_phrases=exclude_phrases,
        rule_weights=rule_weights,
    )
