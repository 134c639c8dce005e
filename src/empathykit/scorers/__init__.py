"""The built-in scorers, the generic phrase scorer, and the tools to build your own.

Each built-in is a function that returns a fresh, configurable scorer::

    scripted = scorers.apology(exclude_phrases=["sorry for any inconvenience"])
    empathykit.score(chat, scorers=[scripted])
"""

from ._active_listening import ActiveListening, active_listening
from ._apology import apology
from ._emotional_acknowledgement import emotional_acknowledgement
from ._phrases import OPPORTUNITY_KINDS, CueScorer, phrases
from ._solution_offer import solution_offer

__all__ = [
    "OPPORTUNITY_KINDS",
    "ActiveListening",
    "CueScorer",
    "active_listening",
    "apology",
    "emotional_acknowledgement",
    "phrases",
    "solution_offer",
]
