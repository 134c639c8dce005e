"""The apology scorer: regret for the customer's problem, in the agent's or company's voice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._phrases import CueScorer, builtin_scorer

__all__ = ["apology"]


def apology(
    *,
    extra_phrases: Iterable[str] = (),
    extra_patterns: Iterable[str] = (),
    exclude_phrases: Iterable[str] = (),
    rule_weights: Mapping[str, float] | None = None,
) -> CueScorer:
    """Score apologies: "I'm sorry for the mix-up", "We apologise for the delay".

    Non-apologies ("I'm sorry you feel that way"), conversational repair ("Sorry, could
    you repeat that?"), negated and reported regret ("I'm not sorry", "you said you were
    sorry") earn nothing. The opportunity is a customer turn that reports a problem or a
    negative feeling; without one the value is N/A.

    Rules: ``apology.explicit``, ``apology.emphatic`` ("I can't apologise enough", which no
    negation cancels), plus ``apology.custom`` for your ``extra_phrases``.

    Args:
        extra_phrases: More phrases that count as an apology (your organisation's wording).
        extra_patterns: More regular expressions that count.
        exclude_phrases: Phrases never to credit, e.g. a scripted
            "we apologise for any inconvenience caused"; they veto matches inside them.
        rule_weights: New weights for rules, e.g. ``{"apology.explicit": 0.8}``.

    Returns:
        A picklable scorer named ``"apology"``.

    Raises:
        ConfigurationError: An unknown rule, a weight outside [-1, 1], or a bad phrase.

    Example:
        >>> import empathykit
        >>> chat = "Customer: You charged me twice!\\nAgent: I'm so sorry about that."
        >>> empathykit.score(chat, scorers=[apology()])["apology"].value
        1.0
        >>> scripted = apology(exclude_phrases=["sorry about that"])
        >>> empathykit.score(chat, scorers=[scripted])["apology"].value
        0.0
    """
    return builtin_scorer(
        "apology",
        opportunity=("problem", "negative_feeling"),
        noun="complaint",
        extra_phrases=extra_phrases,
        extra_patterns=extra_patterns,
        exclude_phrases=exclude_phrases,
        rule_weights=rule_weights,
    )
