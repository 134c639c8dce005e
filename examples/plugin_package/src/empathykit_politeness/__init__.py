"""An example empathykit plug-in: the "politeness" scorer.

empathykit finds it through the entry point in this package's ``pyproject.toml``::

    [project.entry-points."empathykit.scorers"]
    politeness = "empathykit_politeness:politeness"
"""

from __future__ import annotations

from empathykit.scorers import CueScorer, phrases

__all__ = ["politeness"]

#: Polite wording in the agent's turns.
POLITE_PHRASES = (
    "please",
    "thank you",
    "thanks",
    "you're welcome",
    "my pleasure",
    "happy to help",
    "glad to help",
    "appreciate your patience",
    "thank you for your patience",
    "thank you for waiting",
)


def politeness() -> CueScorer:
    """Scores polite wording ("please", "thank you") in the agent's replies to the customer."""
    return phrases(
        "politeness",
        POLITE_PHRASES,
        explanation="polite wording",
        opportunity="customer_turn",
    )
