"""The solution-offer scorer: concrete action toward resolving the customer's issue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._phrases import CueScorer, builtin_scorer

__all__ = ["solution_offer"]


def solution_offer(
    *,
    extra_phrases: Iterable[str] = (),
    extra_patterns: Iterable[str] = (),
    exclude_phrases: Iterable[str] = (),
    rule_weights: Mapping[str, float] | None = None,
) -> CueScorer:
    """Score solution offers: "I've issued a full refund", "Try clearing the app cache".

    Credit goes to commitments ("we'll send a replacement"), actions taken ("I've
    rebooked you"), offers to act ("let me check"), concrete steps for the customer
    ("you can rebook online at no charge"), suggestions, and — partly — a channel or
    resource to take the issue forward. Negated actions ("we can't refund"), refusals
    without an alternative and empty reassurance earn nothing. The opportunity is a
    customer turn that reports a problem or asks for help.

    Rules: ``commitment``, ``team_commitment``, ``fix_by``, ``conditional_offer``,
    ``promised``, ``momentary``, ``acting_now``, ``compensation``, ``fix_coming``,
    ``menu_path``, ``alternative_step``, ``in_progress``, ``help_offer``, ``let_me``,
    ``offer_question``, ``offer_details``, ``brief_action``, ``completed``,
    ``instruction``, ``please``, ``you_can``, ``suggestion``, ``suggestion_question``,
    ``modal_suggestion``, ``resource_mention``, ``contact_request``, ``resource``, plus
    ``custom`` for your ``extra_phrases``.

    Args:
        extra_phrases: More phrases that count.
        extra_patterns: More regular expressions that count.
        exclude_phrases: Phrases never to credit; they veto matches inside them.
        rule_weights: New weights for rules, e.g. ``{"solution_offer.resource": 0}``.

    Returns:
        A picklable scorer named ``"solution_offer"``.

    Raises:
        ConfigurationError: An unknown rule, a weight outside [-1, 1], or a bad phrase.

    Example:
        >>> import empathykit
        >>> chat = ("Customer: The app keeps crashing.\\n"
        ...         "Agent: Try reinstalling it, and I'll reset your session.")
        >>> report = empathykit.score(chat, scorers=[solution_offer()])
        >>> sorted({e.rule for e in report["solution_offer"].evidence})
        ['solution_offer.commitment', 'solution_offer.instruction', 'solution_offer.suggestion']
    """
    return builtin_scorer(
        "solution_offer",
        opportunity=("problem", "help_request"),
        noun="request",
        extra_phrases=extra_phrases,
        extra_patterns=extra_patterns,
        exclude_phrases=exclude_phrases,
        rule_weights=rule_weights,
    )
