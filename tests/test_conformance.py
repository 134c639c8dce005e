"""The conformance suite (empathykit.testing) over every scorer the project ships, and its tests.

Every scorer shipped here must pass :func:`check_scorer`: the built-ins (default and
customised), the generic phrase scorer, the scorers of the example rules files, the
example Python scorer and the example plug-in. The suite itself must catch each kind
of broken scorer, and the examples must run.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import doctest
import importlib
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import empathykit
from empathykit import (
    Conversation,
    DimensionScore,
    Evidence,
    InvalidConversationError,
    Role,
    ScorerError,
    Turn,
    scorers,
)
from empathykit.testing import (
    ScorerContractError,
    check_scorer,
    make_conversation,
    sample_conversations,
    transcript,
)

ROOT = Path(__file__).resolve().parents[1]
EXTENDING = ROOT / "examples" / "extending"
RULES_FILES = sorted(EXTENDING.glob("*.toml"))


@pytest.fixture(scope="module")
def custom_scorer_example() -> Iterator[ModuleType]:
    """examples/extending/custom_scorer.py, imported as a module (so its class pickles)."""
    sys.path.insert(0, str(EXTENDING))
    try:
        yield importlib.import_module("custom_scorer")
    finally:
        sys.path.remove(str(EXTENDING))
        sys.modules.pop("custom_scorer", None)


# --- every shipped scorer passes --------------------------------------------------------------

SHIPPED: dict[str, Any] = {
    "active_listening": scorers.active_listening,
    "apology": scorers.apology,
    "emotional_acknowledgement": scorers.emotional_acknowledgement,
    "solution_offer": scorers.solution_offer,
    "active_listening(customised)": lambda: scorers.active_listening(
        extra_phrases=["if I follow you"], exclude_phrases=["I see"], context_turns=1
    ),
    "apology(customised)": lambda: scorers.apology(
        extra_phrases=["that's on us"],
        exclude_phrases=["sorry for any inconvenience"],
        rule_weights={"apology.explicit": 0.7},
    ),
    "phrases(agent)": lambda: scorers.phrases("ownership", ["leave it with me"], [r"\bI'll\b"]),
    "phrases(customer)": lambda: scorers.phrases("thanks", ["thank*"], role="customer"),
    "phrases(penalty)": lambda: scorers.phrases("rude", ["calm down"], penalty=True, weight=0.5),
    "phrases(opportunity)": lambda: scorers.phrases(
        "help", ["let me"], opportunity=["help_request", "problem"], exclude_phrases=["let me be"]
    ),
    "phrases(negative weight)": lambda: scorers.phrases("blunt", ["no", "can't"], weight=-0.5),
}


@pytest.mark.parametrize("name", SHIPPED)
def test_built_in_and_phrase_scorers_conform(name: str) -> None:
    """Each built-in and the generic phrase scorer pass check_scorer."""
    check_scorer(SHIPPED[name]())


def test_registered_defaults_conform() -> None:
    """The default scorers, as score() gets them from the registry, pass check_scorer."""
    for scorer in empathykit.default_scorers():
        check_scorer(scorer)


@pytest.mark.parametrize("path", RULES_FILES, ids=[p.name for p in RULES_FILES])
def test_example_rules_file_scorers_conform(path: Path) -> None:
    """Every scorer of every example rules file passes check_scorer."""
    for scorer in empathykit.load_scorers(path):
        check_scorer(scorer)


def test_example_rules_files_are_all_covered() -> None:
    """Both rules files the issue asks for exist (and are therefore checked above)."""
    assert {"ownership.toml", "anti_empathy.toml"} <= {p.name for p in RULES_FILES}


def test_custom_scorer_example_conforms(custom_scorer_example: ModuleType) -> None:
    """The Python scorer in examples/extending/custom_scorer.py passes check_scorer."""
    check_scorer(custom_scorer_example.PositiveFraming())
    check_scorer(custom_scorer_example.PositiveFraming(name="framing", idioms=()))


def test_custom_scorer_example_doctests(custom_scorer_example: ModuleType) -> None:
    """The example's docstring examples hold."""
    failures, tried = doctest.testmod(custom_scorer_example, optionflags=doctest.ELLIPSIS)
    assert (0, True) == (failures, tried > 0)


def test_custom_scorer_example_scores(custom_scorer_example: ModuleType) -> None:
    """Positive framing: the share of sentences without a negation, friendly idioms excepted."""
    framing = custom_scorer_example.PositiveFraming()
    conv = make_conversation(
        "My card was declined twice.",
        "We can't change the limit. Here's what I can do. No problem at all.",
        "Ok, thanks.",
        "Not at all.",
    )
    result = framing(conv)
    assert pytest.approx([2 / 3, 2 / 3, 1.0]) == [result.value, *result.turn_scores[1::2]]
    assert (None, None) == result.turn_scores[::2]
    assert ["can't"] == [ev.text for ev in result.evidence]
    assert (1, (0,)) == (result.opportunities, result.opportunity_turns)


def test_plugin_example_conforms(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example plug-in's scorer passes check_scorer (imported from its source folder)."""
    monkeypatch.syspath_prepend(str(ROOT / "examples" / "plugin_package" / "src"))
    try:
        check_scorer(importlib.import_module("empathykit_politeness").politeness())
    finally:
        sys.modules.pop("empathykit_politeness", None)


@pytest.mark.parametrize(
    "command",
    [
        ["custom_scorer.py"],
        *(["run_rules.py", path.name] for path in RULES_FILES),
    ],
    ids=lambda command: " ".join(command),
)
def test_examples_run(command: list[str]) -> None:
    """Each example script runs and prints a report."""
    done = subprocess.run(
        [sys.executable, *command],
        cwd=EXTENDING,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    assert done.stdout.startswith("Report: overall ")


# --- the suite catches broken scorers ---------------------------------------------------------


def _dimension(name: str, conversation: Conversation, **changes: Any) -> DimensionScore:
    values: dict[str, Any] = {
        "name": name,
        "value": None,
        "turn_scores": [None] * len(conversation.turns),
    }
    return DimensionScore(**{**values, **changes})


@attrs.frozen
class Misnamed:
    name: str = "misnamed"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        return _dimension("other", conversation)


@attrs.frozen
class Raises:
    name: str = "raises"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        if any(turn.role is Role.CUSTOMER for turn in conversation.turns):
            return _dimension(self.name, conversation)
        raise IndexError("no customer turn")


@attrs.frozen
class ReturnsFloat:
    name: str = "returns_float"

    def __call__(self, conversation: Conversation) -> float:
        return 0.5


@attrs.frozen
class ShortTurnScores:
    name: str = "short"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        return DimensionScore(name=self.name, value=None, turn_scores=[None])


@attrs.frozen
class MisquotingEvidence:
    name: str = "misquoting"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        text = conversation.turns[0].text
        ev = Evidence(
            turn=0, start=0, end=2, text=text[1:3], rule="misquoting.x", weight=1, explanation=""
        )
        return _dimension(self.name, conversation, evidence=[ev])


@attrs.frozen
class OutOfRangeEvidence:
    name: str = "out_of_range"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        end = len(conversation.turns[0].text) + 5
        ev = Evidence(turn=9, start=0, end=end, text="x", rule="r.x", weight=1, explanation="")
        return _dimension(self.name, conversation, evidence=[ev])


@attrs.frozen
class BadOpportunities:
    name: str = "bad_opportunities"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        return _dimension(
            self.name, conversation, opportunities=2, opportunity_turns=[len(conversation.turns)]
        )


class NaNValue:
    name = "nan_value"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        result = _dimension(self.name, conversation)
        object.__setattr__(result, "value", float("nan"))  # bypass the validators
        return result


class Counter:
    """Remembers how often it was called: neither deterministic nor pickle-stable."""

    name = "counter"

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, conversation: Conversation) -> DimensionScore:
        self.calls += 1
        return _dimension(self.name, conversation, value=1 / (1 + self.calls))


@attrs.frozen
class Unpicklable:
    name: str = "unpicklable"
    rule: Any = attrs.field(factory=lambda: lambda turn: True)

    def __call__(self, conversation: Conversation) -> DimensionScore:
        return _dimension(self.name, conversation)


@attrs.frozen
class MutatesConversation:
    name: str = "mutates"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        object.__setattr__(conversation, "id", "mutated")
        return _dimension(self.name, conversation)


@attrs.frozen
class MutatesAnalysis:
    name: str = "mutates_analysis"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        turn = conversation.analysis.turns[0]
        object.__setattr__(turn, "tokens", ())
        return _dimension(self.name, conversation)


class BadTurnScore:
    name = "bad_turn_score"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        result = _dimension(self.name, conversation)
        object.__setattr__(result, "turn_scores", (1.5,) * len(conversation.turns))
        return result


@attrs.frozen
class MissingOpportunity:
    name: str = "missing_opportunity"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        return _dimension(
            self.name, conversation, opportunities=1, opportunity_turns=[len(conversation.turns)]
        )


@attrs.frozen
class EvidenceBeyondTheText:
    name: str = "beyond"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        end = len(conversation.turns[0].text) + 5
        ev = Evidence(turn=0, start=0, end=end, text="x", rule="r.x", weight=1, explanation="")
        return _dimension(self.name, conversation, evidence=[ev])


@attrs.frozen
class NoRuleId:
    name: str = "no_rule"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        text = conversation.turns[0].text
        ev = Evidence(turn=0, start=0, end=1, text=text[0], rule="", weight=1, explanation="")
        return _dimension(self.name, conversation, evidence=[ev])


_FIRST_SEEN: dict[int, float] = {}


@attrs.frozen
class RemembersConversations:
    """Scores a conversation object the same each time, but an equal copy differently."""

    name: str = "remembers"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        value = _FIRST_SEEN.setdefault(id(conversation), 1 / (2 + len(_FIRST_SEEN)))
        return _dimension(self.name, conversation, value=value)


@attrs.frozen
class FollowsTheLastConversation:
    """Scores each conversation by the one it scored before it: the same conversation
    scored twice in a row agrees with itself, but not in another order, as in
    score_many, which runs each scorer over a chunk before the next scorer."""

    name: str = "follows"
    last: list[int] = attrs.field(factory=lambda: [0], eq=False)

    def __call__(self, conversation: Conversation) -> DimensionScore:
        value = 1 / (1 + self.last[0])
        self.last[0] = len(conversation.turns)
        return _dimension(self.name, conversation, value=value)


def _drifted(name: str, turns: int) -> DimensionScore:
    return DimensionScore(name=name, value=0.0, turn_scores=[None] * turns)


class DriftingScore(DimensionScore):
    """A result that is not the same after pickling."""

    def __reduce__(self) -> tuple[object, ...]:
        return (_drifted, (self.name, len(self.turn_scores)))


@attrs.frozen
class DriftsWhenPickled:
    name: str = "drifts"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        return DriftingScore(name=self.name, value=None, turn_scores=[None] * len(conversation))


@attrs.frozen
class UnpicklableResult:
    name: str = "unpicklable_result"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        class Local(DimensionScore):
            pass

        return Local(name=self.name, value=None, turn_scores=[None] * len(conversation))


def shouty(conversation: Conversation) -> DimensionScore:
    return _dimension("shouty", conversation)


shouty.name = "shouty"  # type: ignore[attr-defined]


BROKEN: list[tuple[object, set[str]]] = [
    (Misnamed(), {"returns_dimension_score"}),
    (Raises(), {"returns_dimension_score"}),
    (ReturnsFloat(), {"returns_dimension_score"}),
    (ShortTurnScores(), {"one_turn_score_per_turn", "works_with_score"}),
    (MisquotingEvidence(), {"evidence_quotes_its_turn", "works_with_score"}),
    (OutOfRangeEvidence(), {"evidence_quotes_its_turn", "works_with_score"}),
    (BadOpportunities(), {"values_in_unit_interval"}),
    (NaNValue(), {"values_in_unit_interval"}),
    (Counter(), {"deterministic", "pickles"}),
    (Unpicklable(), {"pickles"}),
    (MutatesConversation(), {"does_not_mutate_input"}),
    (MutatesAnalysis(), {"does_not_mutate_input"}),
    (BadTurnScore(), {"values_in_unit_interval"}),
    (MissingOpportunity(), {"values_in_unit_interval"}),
    (EvidenceBeyondTheText(), {"evidence_quotes_its_turn", "works_with_score"}),
    (NoRuleId(), {"evidence_quotes_its_turn"}),
    (RemembersConversations(), {"deterministic"}),
    (FollowsTheLastConversation(), {"deterministic", "pickles"}),
    (DriftsWhenPickled(), {"pickles"}),
    (UnpicklableResult(), {"pickles"}),
    (42, {"is_a_scorer"}),
    (attrs.make_class("Nameless", {"name": attrs.field(default="")})(), {"is_a_scorer"}),
]


@pytest.mark.parametrize(("scorer", "failed"), BROKEN, ids=[type(s).__name__ for s, _ in BROKEN])
def test_check_scorer_catches_broken_scorers(scorer: object, failed: set[str]) -> None:
    """Each kind of contract break is reported under the check that catches it."""
    with pytest.raises(ScorerContractError) as info:
        check_scorer(scorer)
    assert failed == {failure.split(":")[0] for failure in info.value.failures}


def test_function_scorer_conforms() -> None:
    """A module-level function with a `name` attribute is a scorer, and it conforms."""
    check_scorer(shouty)


def test_contract_error_is_an_assertion_and_a_scorer_error() -> None:
    """ScorerContractError is an AssertionError and a ScorerError, lists failures, and pickles."""
    with pytest.raises(ScorerContractError) as info:
        check_scorer(Counter())
    error = info.value
    assert isinstance(error, AssertionError)
    assert isinstance(error, ScorerError)
    assert "counter" == error.scorer
    assert str(error).startswith("scorer 'counter' breaks the scorer contract in 2 check(s):\n  - ")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(error), error.failures) == (str(copy), copy.failures)


@attrs.frozen
class FailsOnLongChats:
    name: str = "long"

    def __call__(self, conversation: Conversation) -> DimensionScore:
        if len(conversation.turns) > 50:
            raise ValueError("too long")
        return _dimension(self.name, conversation)


def test_check_scorer_uses_extra_conversations() -> None:
    """Conversations passed in, in any accepted shape, are checked too."""
    check_scorer(FailsOnLongChats())
    long_chat = [("customer" if i % 2 else "agent", f"Message {i}.") for i in range(60)]
    with pytest.raises(ScorerContractError, match="ValueError on conversation None: too long"):
        check_scorer(FailsOnLongChats(), conversations=[long_chat])


# --- conversation helpers ------------------------------------------------------------------


def test_make_conversation_alternates_bare_strings() -> None:
    """Bare strings alternate speakers, starting with `first`; pairs and turns set their own."""
    conv = make_conversation("a", "b", ("agent", "c"), "d", Turn(role="customer", text="e"), "f")
    assert ["customer", "agent", "agent", "customer", "customer", "agent"] == [
        t.role.value for t in conv.turns
    ]
    assert ["a", "b", "c", "d", "e", "f"] == [t.text for t in conv.turns]
    assert Role.AGENT is make_conversation("hi", first="agent").turns[0].role
    assert "c-1" == make_conversation("hi", id="c-1").id


@pytest.mark.parametrize(
    ("turns", "message"),
    [
        ((), "at least one turn"),
        (("   ",), "non-empty turn text"),
        ((("bot", "hi"),), "unknown role 'bot'"),
    ],
)
def test_make_conversation_errors(turns: tuple[Any, ...], message: str) -> None:
    """Malformed input raises InvalidConversationError."""
    with pytest.raises(InvalidConversationError, match=message):
        make_conversation(*turns)


def test_transcript_dedents() -> None:
    """An indented transcript in a test reads like the one at the margin."""
    conv = transcript(
        """
        Customer: The heater in room 12 is broken.
          It has been cold all night.
        Agent: I'm sorry, I'll send someone now.
        """,
        id="t",
    )
    expected = make_conversation(
        "The heater in room 12 is broken.\n  It has been cold all night.",
        "I'm sorry, I'll send someone now.",
    )
    assert [t.text for t in expected.turns] == [t.text for t in conv.turns]
    assert "t" == conv.id


def test_sample_conversations() -> None:
    """The samples have unique ids, cover the edge cases, and are fresh on every call."""
    samples = sample_conversations()
    ids = [conv.id for conv in samples]
    assert len(ids) == len(set(ids))
    roles = {conv.id: {turn.role for turn in conv.turns} for conv in samples}
    assert {Role.CUSTOMER} == roles["customer_only"]
    assert {Role.AGENT} == roles["agent_only"]
    assert any(len(conv.turns) == 1 for conv in samples)
    again = sample_conversations()
    assert samples == again
    assert all(a is not b for a, b in zip(samples, again, strict=True))
