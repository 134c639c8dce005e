"""The shared per-turn analysis, for people who write their own scorers.

Every scorer of a conversation reads the same analysis, computed once on first use
through ``conversation.analysis``: tokens with character spans, sentences, negation
cues, content-word stems, and for customer turns VADER sentiment, tone cues and the
signals that make a turn an opportunity. Importing this module imports NLTK.

Example:
    >>> import empathykit
    >>> conv = empathykit.as_conversation("Customer: I'm NOT happy!! Where is my order?")
    >>> turn = conv.analysis.turns[0]
    >>> turn.signals.help_request, turn.tone.raised, turn.sentiment.compound < 0
    (True, True, True)
"""

from ._analysis import (
    NEGATION_WINDOW,
    SPECIFIC_MIN_CONTENT_WORDS,
    ConversationAnalysis,
    CustomerSignals,
    Sentiment,
    Signal,
    Tone,
    TurnAnalysis,
    analyse,
    stem,
)

__all__ = [
    "NEGATION_WINDOW",
    "SPECIFIC_MIN_CONTENT_WORDS",
    "ConversationAnalysis",
    "CustomerSignals",
    "Sentiment",
    "Signal",
    "Tone",
    "TurnAnalysis",
    "analyse",
    "stem",
]
