"""The score() contract: dimensions, weights, scorer selection, scorer errors, placement."""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import empathykit
from empathykit import (
    Conversation,
    DimensionScore,
    DuplicateScorerError,
    Evidence,
    Role,
    ScorerError,
    UnknownScorerError,
)
from empathykit.exceptions import ConfigurationError

BUILT_INS = ["active_listening", "emotional_acknowledgement", "apology", "solution_offer"]

COMPLAINT = "My parcel was due on Monday and it still hasn't arrived. I'm really upset."
APOLOGY = "I'm so sorry about that."
NEUTRAL = "Your order number is 4471."  # no apology, no feeling, no action


def chat() -> list[tuple[str, str]]:
    """A short conversation on which the four behaviours get different values."""
    return [
        ("customer", COMPLAINT),
        ("agent", "I'm so sorry about that. Let me check the tracking for you."),
        ("customer", "Thanks. The tracking number is 99812."),
        ("agent", "Thanks, one moment."),
    ]


# --- dimensions ---------------------------------------------------------------------------


def test_dimensions_are_the_built_ins_in_order() -> None:
    """report.dimensions has the four built-in behaviours, in the documented order."""
    report = empathykit.score(chat())
    assert BUILT_INS == list(report.dimensions)
    assert BUILT_INS == [dim.name for dim in report]


def test_report_item_is_the_dimension() -> None:
    """report['apology'] is report.dimensions['apology']."""
    report = empathykit.score(chat())
    for name in BUILT_INS:
        assert report[name] is report.dimensions[name]
        assert name == report[name].name


def test_report_item_unknown_name() -> None:
    """report['nope'] is a KeyError that lists the behaviours the report has."""
    report = empathykit.score(chat())
    with pytest.raises(KeyError, match="apology"):
        report["nope"]


def test_dimension_fields_have_the_documented_types() -> None:
    """Each DimensionScore has value, turn_scores, opportunities and evidence as documented."""
    report = empathykit.score(chat())
    for dim in report:
        assert isinstance(dim.turn_scores, tuple)
        assert isinstance(dim.evidence, tuple)
        assert isinstance(dim.opportunities, int)
        assert dim.value is None or isinstance(dim.value, float)
        assert all(isinstance(ev, Evidence) for ev in dim.evidence)


def test_the_docstring_example_holds() -> None:
    """A complaint answered with an apology and an action scores 1.0 on both."""
    report = empathykit.score(
        [
            {"role": "user", "text": "My parcel was due Monday and it still hasn't arrived."},
            {"role": "assistant", "text": "I'm sorry. Let me check the tracking for you."},
        ]
    )
    assert (1.0, 1.0) == (report["apology"].value, report["solution_offer"].value)
    assert "sorry" == report["apology"].evidence[0].text


# --- weights ------------------------------------------------------------------------------


def weighted_mean(report: empathykit.Report, weights: dict[str, float]) -> float | None:
    """The documented overall: weighted mean of the applicable values (weight 1 by default)."""
    pairs = [(weights.get(d.name, 1.0), d.value) for d in report if d.value is not None]
    total = sum(w for w, _ in pairs)
    return None if total == 0 else sum(w * v for w, v in pairs) / total


def test_overall_defaults_to_the_plain_mean() -> None:
    """With no weights, overall is the plain mean of the applicable values."""
    report = empathykit.score(chat())
    values = [d.value for d in report if d.value is not None]
    assert report.overall is not None
    assert math.isclose(sum(values) / len(values), report.overall)
    assert dict.fromkeys(BUILT_INS, 1.0) == dict(report.weights)


def test_apology_weight_two_changes_overall_as_documented() -> None:
    """weights={'apology': 2} counts apology twice in the weighted mean."""
    plain = empathykit.score(chat())
    weighted = empathykit.score(chat(), weights={"apology": 2})
    assert plain.overall is not None
    assert plain["apology"].value != plain.overall  # so the weight must move overall
    expected = weighted_mean(plain, {"apology": 2.0})
    assert expected is not None
    assert weighted.overall is not None
    assert math.isclose(expected, weighted.overall)
    assert not math.isclose(plain.overall, weighted.overall)
    assert 2.0 == weighted.weights["apology"]


@given(scale=st.floats(min_value=1e-200, max_value=1.7e308), apology=st.floats(0.5, 4.0))
def test_overall_depends_on_the_weights_ratios_only(scale: float, apology: float) -> None:
    """Multiplying every weight by the same factor, up to the float maximum, leaves overall
    as it was (weights near 1e308 once overflowed to inf / inf and gave 0.0)."""
    ratios = dict.fromkeys(BUILT_INS, 1.0) | {"apology": apology}
    reference = empathykit.score(chat(), weights=ratios).overall
    scaled = empathykit.score(
        chat(), weights={name: min(w * scale, 1.7976931348623157e308) for name, w in ratios.items()}
    )
    assert reference is not None
    assert scaled.overall is not None
    largest = max(w * scale for w in ratios.values())
    if largest <= 1.7976931348623157e308:  # the ratios survived the scaling
        assert math.isclose(reference, scaled.overall, rel_tol=1e-9)
    assert 0.0 < scaled.overall <= 1.0


def test_numpy_numbers_are_weights_like_any_other() -> None:
    """A weight read from a DataFrame or an array is a NumPy scalar: np.int64 was refused
    while np.float64 (a float subclass) was accepted."""
    np = pytest.importorskip("numpy")
    expected = empathykit.score(chat(), weights={"apology": 2}).overall
    for kind in (np.int64, np.int32, np.float32, np.float64):
        report = empathykit.score(chat(), weights={"apology": kind(2)})
        assert expected == report.overall
        assert 2.0 == report.weights["apology"]
        assert float is type(report.weights["apology"])


def test_zero_weight_leaves_a_behaviour_out() -> None:
    """A weight of 0 leaves that behaviour out of overall."""
    report = empathykit.score(chat(), weights={"apology": 0})
    expected = weighted_mean(report, {"apology": 0.0})
    assert expected is not None
    assert report.overall is not None
    assert math.isclose(expected, report.overall)


def test_all_zero_weights_give_no_overall() -> None:
    """With every weight 0, no behaviour counts and overall is None."""
    report = empathykit.score(chat(), weights=dict.fromkeys(BUILT_INS, 0))
    assert None is report.overall


def test_unknown_weight_name_is_a_configuration_error() -> None:
    """A weight for a behaviour that was not scored names it and lists the behaviours."""
    with pytest.raises(ConfigurationError, match="'empathy'") as info:
        empathykit.score(chat(), weights={"empathy": 1})
    assert all(name in str(info.value) for name in BUILT_INS)
    assert isinstance(info.value, ValueError)


def test_weight_for_a_scorer_not_run_is_an_error() -> None:
    """With scorers=['apology'], a weight for solution_offer is an error."""
    with pytest.raises(ConfigurationError, match="solution_offer"):
        empathykit.score(chat(), scorers=["apology"], weights={"solution_offer": 1})


@pytest.mark.parametrize("weight", [-1, -0.001, math.nan, math.inf, -math.inf, True, "2", None])
def test_bad_weight_values_are_configuration_errors(weight: object) -> None:
    """Negative, NaN, infinite, bool or non-number weights are rejected, naming the behaviour."""
    with pytest.raises(ConfigurationError, match="apology"):
        empathykit.score(chat(), weights={"apology": weight})  # type: ignore[dict-item]


@pytest.mark.parametrize("weights", [2, [("apology", 2)], "apology"])
def test_weights_that_are_not_a_mapping(weights: object) -> None:
    """weights= must be a mapping of behaviour names to numbers."""
    with pytest.raises(ConfigurationError, match="mapping"):
        empathykit.score(chat(), weights=weights)  # type: ignore[arg-type]


# --- choosing scorers ---------------------------------------------------------------------


def test_scorers_by_name() -> None:
    """scorers=['apology'] runs only the apology scorer; overall is its value."""
    report = empathykit.score(chat(), scorers=["apology"])
    assert ["apology"] == list(report.dimensions)
    assert report["apology"].value == report.overall


def test_scorers_by_object_and_name_keep_their_order() -> None:
    """Scorers given as objects or names run in the order given."""
    report = empathykit.score(
        chat(), scorers=[empathykit.scorers.solution_offer(), "active_listening"]
    )
    assert ["solution_offer", "active_listening"] == list(report.dimensions)


def test_default_scorers_are_the_built_ins() -> None:
    """default_scorers() lists the four built-ins; score() with them equals score()."""
    scorers = empathykit.default_scorers()
    assert BUILT_INS == [s.name for s in scorers]
    assert empathykit.score(chat()) == empathykit.score(chat(), scorers=scorers)


def test_unknown_scorer_name_lists_the_available_ones() -> None:
    """An unknown scorer name is an UnknownScorerError that lists the registered names."""
    with pytest.raises(UnknownScorerError, match="'empathy'") as info:
        empathykit.score(chat(), scorers=["empathy"])
    assert all(name in str(info.value) for name in BUILT_INS)
    assert isinstance(info.value, LookupError)


@pytest.mark.parametrize(
    "scorers",
    [
        ["apology", "apology"],
        ["apology", "solution_offer", "apology"],
        [empathykit.scorers.apology(), "apology"],
        [
            empathykit.scorers.phrases("ownership", ["on it"]),
            empathykit.scorers.phrases("ownership", ["leave it with me"]),
        ],
    ],
)
def test_duplicate_scorer_names(scorers: list[Any]) -> None:
    """Two scorers with the same name is a DuplicateScorerError naming it."""
    name = scorers[-1] if isinstance(scorers[-1], str) else scorers[-1].name
    with pytest.raises(DuplicateScorerError, match=name):
        empathykit.score(chat(), scorers=scorers)


@pytest.mark.parametrize(
    ("scorers", "match"), [("apology", "string"), ([], "at least one"), ([42], "int")]
)
def test_malformed_scorers_argument(scorers: Any, match: str) -> None:
    """A bare string, an empty list or a non-scorer is a ConfigurationError."""
    with pytest.raises(ConfigurationError, match=match):
        empathykit.score(chat(), scorers=scorers)


# --- custom scorers that break the contract -----------------------------------------------


class Custom:
    """A scorer whose result is built by ``make(conversation)``."""

    def __init__(self, make: Callable[[Conversation], Any], name: str = "custom") -> None:
        self.name = name
        self.make = make

    def __call__(self, conversation: Conversation) -> Any:
        return self.make(conversation)


def _agent_scores(conversation: Conversation, value: float) -> list[float | None]:
    return [value if turn.role is Role.AGENT else None for turn in conversation.turns]


def _result(conversation: Conversation, evidence: list[Evidence], name: str = "custom") -> Any:
    return DimensionScore(
        name=name, value=1.0, turn_scores=_agent_scores(conversation, 1.0), evidence=evidence
    )


def _evidence(turn: int, start: int, end: int, text: str) -> Evidence:
    return Evidence(
        turn=turn, start=start, end=end, text=text, rule="custom.x", weight=1.0, explanation="x"
    )


def test_a_well_behaved_custom_scorer_works() -> None:
    """A custom scorer that keeps the contract is scored beside the built-ins."""
    start = chat()[1][1].index("sorry")
    good = Custom(lambda c: _result(c, [_evidence(1, start, start + 5, "sorry")]))
    report = empathykit.score(chat(), scorers=[*empathykit.default_scorers(), good])
    assert [*BUILT_INS, "custom"] == list(report.dimensions)
    assert 1.0 == report["custom"].value
    assert "sorry" == report["custom"].evidence[0].text


@pytest.mark.parametrize(
    ("evidence", "match"),
    [
        (_evidence(1, 0, 5, "hello"), "quotes"),  # text is not turn[1][0:5]
        (_evidence(3, 8, 99, "one moment."), "quotes"),  # the slice matches, but ends past the turn
        (_evidence(1, 5, 5, ""), "quotes"),  # empty span
        (_evidence(3, -7, -1, "moment"), "quotes"),  # the slice matches, but offsets are negative
        (_evidence(9, 7, 12, "sorry"), "turn 9"),  # no such turn
        # Offsets of the wrong type: a float slice raised a raw TypeError, and True was
        # taken for turn 1 and written out as JSON true.
        (_evidence(1, 0.0, 5, "hello"), "expected start as an int, got float 0.0"),  # type: ignore[arg-type]
        (_evidence(True, 0, 5, "hello"), "expected turn as an int, got bool True"),
        (_evidence(1, 0, "5", "hello"), "expected end as an int, got str '5'"),  # type: ignore[arg-type]
    ],
)
def test_custom_scorer_with_a_bad_span(evidence: Evidence, match: str) -> None:
    """Evidence that does not quote its turn exactly is a ScorerError naming the scorer."""
    bad = Custom(lambda c: _result(c, [evidence]))
    with pytest.raises(ScorerError, match=match) as info:
        empathykit.score(chat(), scorers=[bad])
    assert "'custom'" in str(info.value)


def test_custom_scorer_with_the_wrong_name() -> None:
    """A DimensionScore named differently from its scorer is a ScorerError naming both."""
    bad = Custom(lambda c: _result(c, [], name="other"))
    with pytest.raises(ScorerError, match=r"'custom'.*'other'"):
        empathykit.score(chat(), scorers=[bad])


def test_custom_scorer_that_raises() -> None:
    """A scorer that raises becomes a ScorerError naming it, chained to the original error."""

    def boom(conversation: Conversation) -> Any:
        raise ZeroDivisionError("no turns to divide by")

    with pytest.raises(ScorerError, match="'custom' raised ZeroDivisionError") as info:
        empathykit.score(chat(), scorers=[Custom(boom)])
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert isinstance(info.value, RuntimeError)


def test_custom_scorer_returning_something_else() -> None:
    """A scorer that returns no DimensionScore is a ScorerError naming the type."""
    with pytest.raises(ScorerError, match="dict"):
        empathykit.score(chat(), scorers=[Custom(lambda c: {"value": 1.0})])


def test_custom_scorer_with_too_few_turn_scores() -> None:
    """A DimensionScore without one turn score per turn is a ScorerError."""
    bad = Custom(lambda c: DimensionScore(name="custom", value=1.0, turn_scores=[1.0]))
    with pytest.raises(ScorerError, match="4 turn scores"):
        empathykit.score(chat(), scorers=[bad])


@pytest.mark.parametrize("value", [1.5, -0.1, math.nan])
def test_custom_scorer_with_a_value_out_of_range(value: float) -> None:
    """A value outside [0, 1] is a ScorerError."""
    bad = Custom(
        lambda c: DimensionScore(name="custom", value=value, turn_scores=_agent_scores(c, 0.0))
    )
    with pytest.raises(ScorerError, match="value"):
        empathykit.score(chat(), scorers=[bad])


# --- presentation -------------------------------------------------------------------------


def test_str_is_a_short_summary() -> None:
    """str(report) is one line naming overall and each behaviour with two decimals or N/A."""
    report = empathykit.score(
        [("customer", "Hi, what time do you open tomorrow?"), ("agent", "We open at nine.")],
        id="chat-7",
    )
    text = str(report)
    assert "\n" not in text
    assert "chat-7" in text
    overall = "N/A" if report.overall is None else f"{report.overall:.2f}"
    assert f"overall {overall}" in text
    for dim in report:
        value = "N/A" if dim.value is None else f"{dim.value:.2f}"
        assert f"{dim.name} {value}" in text
    assert "apology N/A" in text  # no complaint: nothing to apologise for


def test_to_json_is_to_dict_as_json() -> None:
    """to_json() is to_dict() as JSON; keyword arguments reach json.dumps; text stays unescaped."""
    report = empathykit.score([("customer", "Mon café est froid."), ("agent", "Désolé !")])
    assert report.to_dict() == json.loads(report.to_json())
    assert "café" in report.to_json()
    assert "\n" in report.to_json(indent=2)


def test_to_dict_has_the_documented_keys() -> None:
    """to_dict() carries overall, weights, every dimension, the sentiment and the turns."""
    report = empathykit.score(chat(), id="c-1")
    data = report.to_dict()
    assert {"id", "overall", "weights", "dimensions", "sentiment", "turns"} <= set(data)
    assert BUILT_INS == list(data["dimensions"])
    assert "c-1" == data["id"]
    assert [{"role": role, "text": text} for role, text in chat()] == data["turns"]


# --- placement ----------------------------------------------------------------------------


def apology_after(replies_before: int) -> empathykit.DimensionScore:
    """The apology score of a complaint answered by the apology in agent reply n + 1."""
    turns = [("customer", COMPLAINT)]
    turns += [("agent", NEUTRAL)] * replies_before + [("agent", APOLOGY)]
    return empathykit.score(turns, scorers=["apology"])["apology"]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [(1, 1.0), (2, 1.0), (3, 0.5), (4, 0.25), (5, 0.125), (8, 0.5**6), (9, 0.0), (12, 0.0)],
)
def test_apology_placement(reply: int, expected: float) -> None:
    """Replies 1–2 earn full credit, each later one half the one before, none after the 8th."""
    dim = apology_after(reply - 1)
    assert [None] + [0.0] * (reply - 1) + [1.0] == list(dim.turn_scores)
    assert (1, (0,)) == (dim.opportunities, dim.opportunity_turns)
    assert dim.value is not None
    assert math.isclose(expected, dim.value)


def test_later_apology_is_worth_less() -> None:
    """An apology in the third reply scores less than one in the first or second."""
    first, second, third = (apology_after(n).value for n in (0, 1, 2))
    assert first == second == 1.0
    assert third is not None
    assert third < 1.0


def test_customer_turns_do_not_count_as_replies() -> None:
    """Customer turns between the complaint and the apology do not delay it."""
    turns = [
        ("customer", COMPLAINT),
        ("agent", NEUTRAL),
        ("customer", "Hello? Anyone there?"),
        ("customer", "I'm still waiting."),
        ("agent", APOLOGY),
    ]
    assert 1.0 == empathykit.score(turns, scorers=["apology"])["apology"].value


def test_opportunity_without_a_later_agent_turn_is_not_counted() -> None:
    """A complaint that ends the chat is not counted; an earlier answered one is."""
    dim = empathykit.score(
        [("customer", COMPLAINT), ("agent", APOLOGY), ("customer", "And it was broken!")],
        scorers=["apology"],
    )["apology"]
    assert (1, (0,), 1.0) == (dim.opportunities, dim.opportunity_turns, dim.value)


def test_only_an_unanswered_opportunity_is_na() -> None:
    """An apology before the complaint answers nothing: the value is N/A, not 0."""
    dim = empathykit.score([("agent", APOLOGY), ("customer", COMPLAINT)], scorers=["apology"])[
        "apology"
    ]
    assert (0, None) == (dim.opportunities, dim.value)


def test_value_is_the_mean_over_opportunities() -> None:
    """Two complaints, one answered with an apology and one not: the value is 0.5."""
    dim = empathykit.score(
        [
            ("customer", COMPLAINT),
            ("agent", APOLOGY),
            ("customer", "And now the tracking page is broken too."),
            ("agent", NEUTRAL),
        ],
        scorers=["apology"],
    )["apology"]
    assert ((0, 2), 0.5) == (dim.opportunity_turns, dim.value)


def test_no_complaint_means_apology_na() -> None:
    """Without a problem or negative feeling, apology is N/A, not 0."""
    dim = empathykit.score(
        [("customer", "What time do you open tomorrow?"), ("agent", "We open at nine.")],
        scorers=["apology"],
    )["apology"]
    assert (0, None) == (dim.opportunities, dim.value)


def test_a_report_has_the_id_of_its_conversation() -> None:
    """report.id is report.conversation.id, in one process and from workers, as a
    Failure has the id of the conversation it stands for."""
    chats: list[dict[str, Any]] = [
        {"id": "c-1", "turns": [{"role": "customer", "text": "It broke."}]},
        {"turns": [{"role": "customer", "text": "It broke."}]},
        {"id": "c-3", "turns": []},
    ]
    for jobs in (1, 2):
        results = list(empathykit.score_many(chats, n_jobs=jobs))
        assert ["c-1", None, "c-3"] == [result.id for result in results]
        assert results[0].id == results[0].conversation.id  # type: ignore[union-attr]
    assert "c-9" == empathykit.score("Customer: Hi", id="c-9").id


@pytest.mark.parametrize("value", [math.nan, math.inf, 1.5, -0.1])
def test_a_scorer_whose_result_does_not_check_is_named_in_the_error(value: float) -> None:
    """A value out of [0, 1] failed DimensionScore's own check inside the scorer, and the
    ScorerError did not say which scorer it was."""

    class OutOfRange:
        name = "wobbly"

        def __call__(self, conversation: empathykit.Conversation) -> DimensionScore:
            return DimensionScore(
                name="wobbly", value=value, turn_scores=[None] * len(conversation.turns)
            )

    chat = "Customer: It broke.\nAgent: Sorry!"
    with pytest.raises(ScorerError) as caught:
        empathykit.score(chat, scorers=[OutOfRange()])
    assert str(caught.value).startswith("scorer 'wobbly': DimensionScore.value: expected")
    [failure] = list(empathykit.score_many([chat], scorers=[OutOfRange()]))
    assert isinstance(failure, empathykit.Failure)
    assert str(failure.error).startswith("scorer 'wobbly': DimensionScore.value")
