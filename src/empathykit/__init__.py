"""empathykit: evidence-backed empathy scores for customer-service conversations.

    >>> import empathykit
    >>> report = empathykit.score("Customer: My card was charged twice.\\nAgent: Sorry about that!")
    >>> report["apology"].value
    1.0

Importing empathykit is cheap: NLTK and VADER load on the first scoring call.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import scorers
from ._batch import Failure, score_many
from ._conversation import Conversation, Role, Turn, as_conversation
from ._frame import score_frame
from ._registry import available_scorers, get_scorer, register_scorer
from ._results import DimensionScore, Evidence, Report, SentimentTrajectory
from ._score import default_scorers, score
from ._toml import load_scorers, load_weights
from ._version import __version__
from .exceptions import (
    ConfigurationError,
    DuplicateScorerError,
    EmpathyKitError,
    InputFileError,
    InvalidConversationError,
    MissingDependencyError,
    PluginError,
    ScorerError,
    UnknownScorerError,
)

if TYPE_CHECKING:
    from . import analysis, io, testing

__all__ = [
    "ConfigurationError",
    "Conversation",
    "DimensionScore",
    "DuplicateScorerError",
    "EmpathyKitError",
    "Evidence",
    "Failure",
    "InputFileError",
    "InvalidConversationError",
    "MissingDependencyError",
    "PluginError",
    "Report",
    "Role",
    "ScorerError",
    "SentimentTrajectory",
    "Turn",
    "UnknownScorerError",
    "__version__",
    "analysis",
    "as_conversation",
    "available_scorers",
    "default_scorers",
    "get_scorer",
    "io",
    "load_scorers",
    "load_weights",
    "register_scorer",
    "score",
    "score_frame",
    "score_many",
    "scorers",
    "testing",
]

_LAZY_SUBMODULES = frozenset({"analysis", "io", "testing"})


def __getattr__(name: str) -> Any:
    # Submodules that import NLTK, or are only needed by some users, load on first use.
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
