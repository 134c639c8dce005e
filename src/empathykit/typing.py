"""Types for people who write scorers or type-check code that uses empathykit.

A scorer is anything with a ``name`` and a ``__call__(conversation) -> DimensionScore``;
no base class is needed (structlog's processors work the same way)::

    import attrs
    from empathykit import Conversation, DimensionScore

    @attrs.frozen
    class Politeness:
        name: str = "politeness"

        def __call__(self, conversation: Conversation) -> DimensionScore:
            ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

from ._conversation import ConversationLike, RoleMap

if TYPE_CHECKING:
    from ._conversation import Conversation
    from ._results import DimensionScore

__all__ = ["ConversationLike", "RoleMap", "Scorer", "ScorerLike", "Weights"]


@runtime_checkable
class Scorer(Protocol):
    """Measures one behaviour of a conversation.

    Contract (checked by :func:`empathykit.testing.check_scorer`): returns a
    :class:`~empathykit.DimensionScore` whose ``name`` is the scorer's name, with one
    turn score per turn (in [0, 1] or ``None``), evidence whose spans quote their turns,
    the same result for the same input whatever it scored before (no state kept between
    calls: :func:`~empathykit.score_many` runs each scorer over a chunk of conversations
    before the next scorer), no change to its input, and it pickles (so
    ``score_many(n_jobs=2)`` can send it to worker processes).
    """

    @property
    def name(self) -> str:
        """The behaviour's name, the key of its score in ``report.dimensions``."""
        ...

    def __call__(self, conversation: Conversation, /) -> DimensionScore:
        """Score ``conversation`` on this behaviour."""
        ...


#: A scorer, or the name it is registered under.
ScorerLike: TypeAlias = "Scorer | str"
#: Weights of behaviours in the overall score, by name.
Weights: TypeAlias = Mapping[str, float]
