"""Hardening, part 1: fuzzing the API with any Unicode and wrong Python values anywhere.

Each property runs ``HOSTILE_EXAMPLES`` inputs (2,000 in CI; see hostile_strategies.py).
Every input gives a valid Report or an EmpathyKitError; when a turn is at fault, the
error is an InvalidConversationError whose message names that turn.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import empathykit
from empathykit import (
    ConfigurationError,
    Conversation,
    EmpathyKitError,
    Failure,
    InvalidConversationError,
    Report,
    Turn,
)
from hostile_strategies import (
    check_report,
    conversation_inputs,
    hostile_settings,
    hostile_texts,
    hostile_values,
    role_values,
    valid_text,
)

# A failing @given test makes hypothesis import libcst to suggest a patch, and libcst warns
# (DeprecationWarning from mypy_extensions), which filterwarnings=error turns into a pytest
# INTERNALERROR that hides the failure. Ignore that one warning here.
# Hypothesis also warns when it prints a failing example of more than 50 kB (long runs).
pytestmark = [
    pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

SMALL = [("customer", "My order never arrived."), ("agent", "I'm sorry, let me check.")]


def _score_or_error(conversation: Any, **options: Any) -> Report | EmpathyKitError:
    try:
        report = empathykit.score(conversation, **options)
    except EmpathyKitError as error:
        str(error)  # the message itself must be printable
        return error
    check_report(report)
    return report


@hostile_settings
@given(case=conversation_inputs())
@example(case=(b"Agent: hi", -1))
@example(case=([("agent", "\ud800")], None))
@example(case=([("agent", "sorry"), ("customer", " \u2028\x1c ")], 1))
def test_any_conversation_gives_a_report_or_an_error_naming_the_turn(
    case: tuple[Any, int | None],
) -> None:
    """Any input: a valid Report, or an EmpathyKitError naming the first bad turn."""
    conversation, first_bad = case
    result = _score_or_error(conversation)
    if first_bad is None:
        assert isinstance(result, Report), result
        expected = [_text_of(value) for value in conversation]
        assert expected == [turn.text for turn in result.conversation.turns]
    elif first_bad == -1:
        assert isinstance(result, InvalidConversationError)
        assert result.turn is None
    elif first_bad >= 0:
        assert isinstance(result, InvalidConversationError)
        assert first_bad == result.turn
        assert str(result).startswith(f"turn {first_bad}: ")
    elif isinstance(result, EmpathyKitError):  # the error names its turn (and its line)
        assert isinstance(result, InvalidConversationError)
        if result.turn is not None:
            assert str(result).startswith(f"turn {result.turn}: ")
            assert isinstance(conversation, frozenset) or "line " in str(result)


def _text_of(value: Any) -> str:
    if isinstance(value, Turn):
        return value.text
    if isinstance(value, dict):
        text = next(value[key] for key in ("text", "content", "message", "body") if key in value)
        assert isinstance(text, str), text
        return text
    return str(value[1])


_keys = st.one_of(
    hostile_texts(max_fragments=3), st.none(), st.integers(), st.floats(), st.binary(max_size=4)
)
_options = st.fixed_dictionaries(
    {},
    optional={
        "roles": st.one_of(
            st.dictionaries(_keys, role_values(), max_size=3),
            hostile_values(),
        ),
        "weights": st.one_of(
            st.dictionaries(
                st.one_of(st.sampled_from(["apology", "active_listening", "x"]), _keys),
                hostile_values(),
                max_size=3,
            ),
            hostile_values(),
        ),
        "scorers": st.one_of(
            st.lists(
                st.one_of(st.sampled_from(["apology", "nope", ""]), hostile_values()), max_size=3
            ),
            hostile_values(),
        ),
        "id": st.one_of(hostile_texts(max_fragments=4), hostile_values()),
    },
)


@hostile_settings
@given(options=_options, conversation=st.sampled_from([SMALL, "Dana: Hi\nCustomer: It broke."]))
@example(options={"roles": {5: "agent"}}, conversation=SMALL)
@example(options={"roles": ["dana"]}, conversation=SMALL)
@example(options={"scorers": 5}, conversation=SMALL)
@example(options={"id": b"c-1"}, conversation=SMALL)
def test_wrong_options_give_a_report_or_an_error(
    options: dict[str, Any], conversation: Any
) -> None:
    """Hostile roles=, weights=, scorers= and id= give a Report or an EmpathyKitError."""
    result = _score_or_error(conversation, **options)
    if isinstance(result, Report):
        assert options.get("id") == result.conversation.id


@hostile_settings
@given(cases=st.lists(conversation_inputs(), max_size=3))
def test_score_many_gives_one_result_per_input(cases: list[tuple[Any, int | None]]) -> None:
    """score_many: one Report or Failure per input, in order; failures are EmpathyKitErrors."""
    results = list(empathykit.score_many(conversation for conversation, _ in cases))
    assert len(cases) == len(results)
    for index, ((_, first_bad), result) in enumerate(zip(cases, results, strict=True)):
        if isinstance(result, Failure):
            assert index == result.index
            assert isinstance(result.error, EmpathyKitError), result
            assert first_bad is not None
        else:
            check_report(result)
            assert first_bad in (None, -2)


# --- regression tests for crashes the properties found ---------------------------------------


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({5: "agent"}, "roles: expected speaker names as str"),
        ({None: "agent"}, "roles: expected speaker names as str"),
        (["dana"], "roles: expected a mapping"),
        ("dana=agent", "roles: expected a mapping"),
    ],
)
def test_roles_of_the_wrong_type_are_a_configuration_error(roles: Any, expected: str) -> None:
    """roles= that is not a mapping of str names raises ConfigurationError, not AttributeError."""
    with pytest.raises(ConfigurationError, match=expected):
        empathykit.score("Dana: Hi\nCustomer: It broke.", roles=roles)


@pytest.mark.parametrize("scorers", [5, 1.5, object()])
def test_scorers_that_are_not_a_list_are_a_configuration_error(scorers: Any) -> None:
    """scorers=5 raises ConfigurationError, not TypeError."""
    with pytest.raises(ConfigurationError, match="expected a list of scorers"):
        empathykit.score(SMALL, scorers=scorers)


@pytest.mark.parametrize("bad_id", [b"c-1", 5, ["c"], {"id": 1}])
def test_an_id_that_is_not_a_string_is_refused(bad_id: Any) -> None:
    """A non-str id raises InvalidConversationError instead of breaking to_json later."""
    with pytest.raises(InvalidConversationError, match="expected the id as a str"):
        empathykit.score(SMALL, id=bad_id)
    with pytest.raises(InvalidConversationError, match="expected the id as a str"):
        Conversation(turns=[Turn(role="agent", text="Hi")], id=bad_id)


@pytest.mark.parametrize("field", ["speaker", "timestamp"])
@pytest.mark.parametrize("value", [5, b"Dana", ["x"]])
def test_turn_speaker_and_timestamp_must_be_strings(field: str, value: Any) -> None:
    """Turn(speaker=5) raises InvalidConversationError instead of breaking to_html later."""
    with pytest.raises(InvalidConversationError, match=f"expected the {field} as a str"):
        Turn(role="agent", text="Hi", **{field: value})


class _BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr failed")


@pytest.mark.parametrize("value", [10**5000, _BrokenRepr()], ids=["huge-int", "broken-repr"])
@pytest.mark.parametrize(
    "make",
    [
        lambda v: v,  # the conversation
        lambda v: [v],  # a turn
        lambda v: [(v, "Hi")],  # a role
        lambda v: [("agent", v)],  # a text
        lambda v: [{"role": "agent", "text": v}],
    ],
    ids=["conversation", "turn", "role", "text", "dict-text"],
)
def test_values_whose_repr_fails_are_described_not_raised(value: Any, make: Any) -> None:
    """A value whose repr() raises (or a 5,000-digit int) still gives a clear error."""
    with pytest.raises(InvalidConversationError) as caught:
        empathykit.score(make(value))
    assert type(value).__name__ in str(caught.value)


def test_thousands_of_turns_are_scored() -> None:
    """A conversation of 3,000 hostile turns gives a valid report."""
    turns = [
        ("customer", "My ORDER 👩‍👩‍👧‍👦 never arrived\u202e!!! \ud800"),
        ("agent", "I’m so sorry e\u0301\u0301 — let me check\x00 that for you."),
        ("user", "\u200bwhy?\u2028"),
    ] * 1000
    report = empathykit.score(turns)
    check_report(report, n_turns=3000)
    assert [] != list(report["apology"].evidence)


def test_every_valid_turn_text_is_kept_exactly() -> None:
    """Texts with NUL, surrogates and marks come back exactly as given (stripped of nothing)."""
    text = "\x00 sorry \ud800\u0301 🏳️‍🌈 \u202eok"
    assert valid_text(text)
    report = empathykit.score([("agent", text)])
    assert text == report.conversation.turns[0].text
