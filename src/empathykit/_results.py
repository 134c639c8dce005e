"""What scoring returns: Evidence, DimensionScore, SentimentTrajectory and Report."""

from __future__ import annotations

import functools
import json
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import attrs

from .exceptions import ScorerError

if TYPE_CHECKING:
    from ._conversation import Conversation

__all__ = ["DimensionScore", "Evidence", "Report", "SentimentTrajectory"]

_T = TypeVar("_T")


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}
_FIELD_VALUES: dict[type[Any], Callable[[Any], tuple[Any, ...]]] = {}
_FIELD_SETTERS: dict[type[Any], tuple[Callable[[Any, Any], None], ...]] = {}


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in attrs.fields(cls))
    return names


def _field_values(cls: type[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A function reading an instance's field values, as a tuple, in field order."""
    read = _FIELD_VALUES.get(cls)
    if read is None:
        names = _field_names(cls)
        if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
            read = _FIELD_VALUES[cls] = lambda obj: (getattr(obj, names[0]),)
        else:
            read = _FIELD_VALUES[cls] = operator.attrgetter(*names)
    return read


def _field_setters(cls: type[Any]) -> tuple[Callable[[Any, Any], None], ...]:
    """A function setting each field of ``cls``, in field order: for a slotted class (as
    attrs makes them) the slot's own descriptor, about twice as fast as
    ``object.__setattr__``, which looks the name up again on every call."""
    setters = _FIELD_SETTERS.get(cls)
    if setters is None:
        setters = _FIELD_SETTERS[cls] = tuple(
            slot.__set__
            if isinstance(slot := getattr(cls, name, None), MemberDescriptorType)
            else functools.partial(_set_attribute, name=name)
            for name in _field_names(cls)
        )
    return setters


def _set_attribute(instance: object, value: object, *, name: str) -> None:
    object.__setattr__(instance, name, value)


def restore(cls: type[_T], values: Sequence[Any]) -> _T:
    """An attrs object of ``cls`` from its field values, in field order, *without* running
    its converters and validators: for values that were checked when first made, such as
    results pickled in a worker process (see :func:`_reduce`) or a report put back
    together around its conversation (:func:`rebuild_report`)."""
    setters = _field_setters(cls)
    if len(values) != len(setters):
        raise ValueError(f"{cls.__name__}: expected {len(setters)} field values, got {len(values)}")
    instance = object.__new__(cls)
    for set_field, value in zip(setters, values, strict=False):  # lengths checked above
        set_field(instance, value)
    return instance


def _reduce(self: object) -> tuple[Any, ...]:
    """``__reduce__`` of the result classes: pickled as a plain tuple of their field
    values, not as attrs' dict state, because reports come back from worker processes by
    the thousand and this loads about twice as fast."""
    cls = type(self)
    return restore, (cls, _field_values(cls)(self))


def _evidence_tuple(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(items)


def _scores_tuple(items: Iterable[float | None]) -> tuple[float | None, ...]:
    return tuple(items)


def _int_tuple(items: Iterable[int]) -> tuple[int, ...]:
    return tuple(items)


def _dimension_tuple(items: Iterable[DimensionScore]) -> tuple[DimensionScore, ...]:
    return tuple(items)


def _weights_dict(weights: Mapping[str, float]) -> dict[str, float]:
    return dict(sorted(weights.items()))


def _unit_interval(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ScorerError(
            f"{type(instance).__name__}.{attribute.name}: expected a number in [0, 1] or None, "
            f"got {value!r}"
        )


def _unit_interval_items(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    for item in value:
        _unit_interval(instance, attribute, item)


def _signed_unit(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1 <= value <= 1:
        raise ScorerError(f"Evidence.weight: expected a number in [-1, 1], got {value!r}")


@attrs.frozen(kw_only=True)
class Evidence:
    """One reason a scorer gave (or took away) credit: a quoted span of one turn.

    Attributes:
        turn: Index of the turn in the conversation.
        start: Start of the span, a character offset into that turn's text.
        end: End of the span (exclusive).
        text: The quoted span; always ``conversation.turns[turn].text[start:end]``.
        rule: Id of the rule that fired, ``"<behaviour>.<rule>"``, e.g. ``"apology.explicit"``.
        weight: What this match is worth, in [-1, 1]; negative for a penalty.
        explanation: One line saying why.
    """

    turn: int
    start: int
    end: int
    text: str
    rule: str
    weight: float = attrs.field(validator=_signed_unit)
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of every field."""
        return attrs.asdict(self)

    __reduce__ = _reduce


@attrs.frozen(kw_only=True)
class DimensionScore:
    """How one conversation scores on one behaviour.

    Attributes:
        name: The behaviour, e.g. ``"apology"``.
        value: The conversation's score in [0, 1], or ``None`` (N/A) when the
            behaviour had no opportunity.
        turn_scores: One entry per conversation turn: for agent turns, how strongly
            that turn shows the behaviour, in [0, 1]; ``None`` for customer turns.
        opportunities: How many customer turns called for the behaviour.
        opportunity_turns: The indices of those customer turns.
        evidence: Every match that gave or took away credit.
        penalty: True for a scorer that measures something to avoid (dismissive
            language): its value is subtracted from the overall score.
    """

    name: str
    value: float | None = attrs.field(validator=_unit_interval)
    turn_scores: tuple[float | None, ...] = attrs.field(
        converter=_scores_tuple, validator=_unit_interval_items
    )
    opportunities: int = 0
    opportunity_turns: tuple[int, ...] = attrs.field(converter=_int_tuple, default=())
    evidence: tuple[Evidence, ...] = attrs.field(converter=_evidence_tuple, default=())
    penalty: bool = False

    @property
    def applicable(self) -> bool:
        """False when the behaviour is N/A for this conversation."""
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of every field."""
        return {
            "name": self.name,
            "value": self.value,
            "turn_scores": list(self.turn_scores),
            "opportunities": self.opportunities,
            "opportunity_turns": list(self.opportunity_turns),
            "evidence": [e.to_dict() for e in self.evidence],
            "penalty": self.penalty,
        }

    __reduce__ = _reduce


@attrs.frozen(kw_only=True)
class SentimentTrajectory:
    """How the customer's mood moved, read by VADER on customer turns only.

    Attributes:
        turns: VADER compound score (in [-1, 1]) per turn; ``None`` for agent turns.
        start: The first customer turn's compound score (``None`` without customer turns).
        end: The last customer turn's compound score.
        shift: ``end - start``: positive when the customer ended happier than they began.
    """

    turns: tuple[float | None, ...] = attrs.field(converter=_scores_tuple)
    start: float | None
    end: float | None

    @property
    def shift(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {
            "turns": list(self.turns),
            "start": self.start,
            "end": self.end,
            "shift": self.shift,
        }

    __reduce__ = _reduce


def _check_report(instance: Report, attribute: attrs.Attribute[Any], value: object) -> None:
    turns = instance.conversation.turns
    for dim in instance.scores:
        if len(dim.turn_scores) != len(turns):
            raise ScorerError(
                f"scorer {dim.name!r}: expected {len(turns)} turn scores (one per turn), "
                f"got {len(dim.turn_scores)}"
            )
        for ev in dim.evidence:
            for field, offset in (("turn", ev.turn), ("start", ev.start), ("end", ev.end)):
                if not isinstance(offset, int) or isinstance(offset, bool):
                    raise ScorerError(
                        f"scorer {dim.name!r}: evidence {ev.rule!r}: expected {field} as an "
                        f"int, got {type(offset).__name__} {offset!r:.40}"
                    )
            if not 0 <= ev.turn < len(turns):
                raise ScorerError(
                    f"scorer {dim.name!r}: evidence names turn {ev.turn}, but the conversation "
                    f"has {len(turns)} turns"
                )
            quoted = turns[ev.turn].text[ev.start : ev.end]
            if not 0 <= ev.start < ev.end <= len(turns[ev.turn].text) or quoted != ev.text:
                raise ScorerError(
                    f"scorer {dim.name!r}: evidence {ev.rule!r} quotes {ev.text!r:.40}, but turn "
                    f"{ev.turn}[{ev.start}:{ev.end}] is {quoted!r:.40}"
                )


def _fmt(value: float | None) -> str:
    return "N/A" if value is None else f"{value:.2f}"


@attrs.frozen(kw_only=True)
class Report:
    """Everything :func:`empathykit.score` found in one conversation.

    ``report["apology"]`` is ``report.dimensions["apology"]``; iterate over
    ``report.dimensions`` for every behaviour in the order the scorers ran.

    Attributes:
        conversation: The conversation that was scored.
        scores: One :class:`DimensionScore` per scorer, in scorer order.
        overall: Weighted mean of the applicable behaviour values, less any penalties,
            in [0, 1]; ``None`` when every behaviour is N/A.
        weights: The weight each behaviour had in ``overall``.
        sentiment: The customer's tone across the conversation.
    """

    conversation: Conversation
    scores: tuple[DimensionScore, ...] = attrs.field(
        converter=_dimension_tuple, validator=_check_report
    )
    overall: float | None = attrs.field(validator=_unit_interval)
    weights: Mapping[str, float] = attrs.field(converter=_weights_dict)
    sentiment: SentimentTrajectory

    @property
    def id(self) -> str | None:
        """The id of the conversation (``report.conversation.id``), as a
        :class:`~empathykit.Failure` has the id of the conversation it stands for."""
        return self.conversation.id

    @property
    def dimensions(self) -> Mapping[str, DimensionScore]:
        """The behaviour scores by name."""
        return {dim.name: dim for dim in self.scores}

    def __getitem__(self, name: str) -> DimensionScore:
        for dim in self.scores:
            if dim.name == name:
                return dim
        raise KeyError(
            f"no behaviour named {name!r}; this report has {[d.name for d in self.scores]}"
        )

    def __iter__(self) -> Iterator[DimensionScore]:
        return iter(self.scores)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """Every piece of evidence of every behaviour, ordered by turn and position."""
        items = [ev for dim in self.scores for ev in dim.evidence]
        return tuple(sorted(items, key=lambda e: (e.turn, e.start, e.end, e.rule)))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict: the conversation, every score, and the evidence."""
        return {
            "id": self.conversation.id,
            "overall": self.overall,
            "weights": dict(self.weights),
            "dimensions": {dim.name: dim.to_dict() for dim in self.scores},
            "sentiment": self.sentiment.to_dict(),
            "turns": [
                {"role": turn.role.value, "text": turn.text} for turn in self.conversation.turns
            ],
        }

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text; keyword arguments go to :func:`json.dumps`."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)

    def to_html(self, *, title: str | None = None) -> str:
        """A self-contained HTML page: gauges, the customer's tone, and the transcript
        with every evidence span highlighted (its rule and explanation on hover).

        All text is escaped; the page has no script and loads nothing.

        Example:
            >>> import empathykit
            >>> page = empathykit.score("Customer: <b>Hi</b>\\nAgent: Sorry!").to_html()
            >>> "&lt;b&gt;Hi&lt;/b&gt;" in page, "<b>Hi</b>" in page
            (True, False)
        """
        from ._html import report_html

        return report_html(self, title=title)

    def __str__(self) -> str:
        label = f"Report {self.conversation.id!r}" if self.conversation.id else "Report"
        parts = [f"{label}: overall {_fmt(self.overall)}"]
        parts += [
            f"{dim.name} {_fmt(dim.value)}" + (" (penalty)" if dim.penalty else "")
            for dim in self.scores
        ]
        shift = self.sentiment.shift
        if shift is not None and not math.isnan(shift):
            parts.append(f"customer mood {self.sentiment.start:+.2f} → {self.sentiment.end:+.2f}")
        return " | ".join(parts)


#: A report without its conversation, as worker processes send it back (see
#: :func:`report_parts`): the scores, overall, weights and sentiment.
ReportParts: TypeAlias = (
    "tuple[tuple[DimensionScore, ...], float | None, Mapping[str, float], SentimentTrajectory]"
)


def report_parts(report: Report) -> ReportParts:
    """``report`` without its conversation, which the receiving process already holds."""
    return report.scores, report.overall, report.weights, report.sentiment


def rebuild_report(conversation: Conversation, parts: ReportParts) -> Report:
    """The :class:`Report` that :func:`report_parts` took apart, around ``conversation``
    (the one it was scored from: its values were checked against it when it was made)."""
    return restore(Report, (conversation, *parts))
