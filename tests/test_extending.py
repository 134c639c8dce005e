"""Extending empathykit with data: the phrase scorer, customised built-ins and TOML rules files.

Every chat here was written for these tests.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import empathykit
from empathykit import ConfigurationError, DimensionScore, Evidence, scorers
from empathykit._lexicon import load_lexicon, phrase_to_regex
from empathykit._registry import _unregister
from empathykit._score import PENALTY_WEIGHT
from empathykit.analysis import NEGATION_WINDOW, TurnAnalysis
from empathykit.testing import check_scorer, make_conversation

# A failing @given test makes hypothesis import libcst to suggest a patch, and libcst warns
# (DeprecationWarning from mypy_extensions), which filterwarnings=error turns into a pytest
# INTERNALERROR that hides the failure. Ignore that one warning here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "extending"
BUILT_INS: dict[str, Callable[..., Any]] = {
    "active_listening": scorers.active_listening,
    "apology": scorers.apology,
    "emotional_acknowledgement": scorers.emotional_acknowledgement,
    "solution_offer": scorers.solution_offer,
}


def found(result: DimensionScore) -> list[tuple[str, str]]:
    """``(rule, quoted text)`` of every piece of evidence, in order."""
    return [(ev.rule, ev.text) for ev in result.evidence]


def spans(evidence: Sequence[Evidence], rules: set[str] | None = None) -> set[tuple[int, int, str]]:
    return {(ev.start, ev.end, ev.text) for ev in evidence if rules is None or ev.rule in rules}


# --- the phrase scorer: a table of (phrases, options, chat, expected evidence) ---------------

OWN = ["leave it with me", "I'll take care of this"]
PHRASE_CASES: list[
    tuple[str, list[str], dict[str, Any], list[tuple[str, str]], list[tuple[str, str]]]
] = [
    # (case id, phrases, options, turns, expected (rule, text) pairs)
    (
        "plain match",
        OWN,
        {},
        [("customer", "My heater broke."), ("agent", "Leave it with me.")],
        [("ownership.phrase", "Leave it with me")],
    ),
    (
        "case folded",
        OWN,
        {},
        [("customer", "It broke."), ("agent", "OK. LEAVE IT WITH ME!")],
        [("ownership.phrase", "LEAVE IT WITH ME")],
    ),
    (
        "curly apostrophe in the text",
        OWN,
        {},
        [("customer", "It broke."), ("agent", "I’ll take care of this today.")],
        [("ownership.phrase", "I’ll take care of this")],
    ),
    (
        "curly apostrophe in the phrase",
        ["I’ll take care of this"],
        {},
        [("customer", "It broke."), ("agent", "I'll take care of this today.")],
        [("ownership.phrase", "I'll take care of this")],
    ),
    (
        "spacing and light punctuation between words",
        OWN,
        {},
        [("customer", "It broke."), ("agent", "Leave it -- with   me")],
        [("ownership.phrase", "Leave it -- with   me")],
    ),
    (
        "no match across a sentence end",
        OWN,
        {},
        [("customer", "It broke."), ("agent", "Please leave it. With me it is safe.")],
        [],
    ),
    (
        "word boundaries",
        ["calm down"],
        {},
        [("customer", "Hi."), ("agent", "The calm downstairs room is free.")],
        [],
    ),
    (
        "wildcard ending",
        ["frustrat*"],
        {"name": "feeling"},
        [("customer", "Hi."), ("agent", "How frustrating, and what a frustration.")],
        [("feeling.phrase", "frustrating"), ("feeling.phrase", "frustration")],
    ),
    (
        "negation just before cancels",
        OWN,
        {},
        [("customer", "It broke."), ("agent", "I can't leave it with me, sorry.")],
        [],
    ),
    (
        "negation in an earlier clause does not",
        OWN,
        {},
        [("customer", "It broke."), ("agent", "I can't fix it now, but leave it with me.")],
        [("ownership.phrase", "leave it with me")],
    ),
    (
        "every match counts as evidence",
        OWN,
        {},
        [
            ("customer", "It broke."),
            ("agent", "Leave it with me. I'll take care of this."),
        ],
        [("ownership.phrase", "Leave it with me"), ("ownership.phrase", "I'll take care of this")],
    ),
    (
        "patterns",
        [],
        {"patterns": [r"\bI'll (?:sort|handle) (?:it|this)\b"]},
        [("customer", "It broke."), ("agent", "I'll sort it by noon.")],
        [("ownership.phrase", "I'll sort it")],
    ),
    (
        "customer turns are not scored for an agent behaviour",
        OWN,
        {},
        [("customer", "Leave it with me, I said."), ("agent", "Okay.")],
        [],
    ),
    (
        "customer role",
        ["thank you"],
        {"name": "gratitude", "role": "customer"},
        [("customer", "Thank you so much."), ("agent", "Thank you too.")],
        [("gratitude.phrase", "Thank you")],
    ),
    (
        "excluded phrases veto matches inside them",
        OWN,
        {"exclude_phrases": ["just leave it with me and wait"]},
        [
            ("customer", "It broke."),
            ("agent", "Just leave it with me and wait. Fine, leave it with me."),
        ],
        [("ownership.phrase", "leave it with me")],
    ),
    (
        "explanation and weight",
        OWN,
        {"explanation": "owns it", "weight": 0.5},
        [("customer", "It broke."), ("agent", "Leave it with me.")],
        [("ownership.phrase", "Leave it with me")],
    ),
]


@pytest.mark.parametrize(
    ("phrases", "options", "turns", "expected"),
    [case[1:] for case in PHRASE_CASES],
    ids=[case[0] for case in PHRASE_CASES],
)
def test_phrase_scorer_table(
    phrases: list[str],
    options: dict[str, Any],
    turns: list[tuple[str, str]],
    expected: list[tuple[str, str]],
) -> None:
    """The phrase scorer finds exactly the expected evidence, with spans that quote the turn."""
    options = {"name": "ownership", **options}
    scorer = scorers.phrases(options.pop("name"), phrases, options.pop("patterns", ()), **options)
    conv = make_conversation(*turns)
    result = scorer(conv)
    assert expected == found(result)
    for ev in result.evidence:
        assert conv.turns[ev.turn].text[ev.start : ev.end] == ev.text
        assert options.get("weight", 1.0) == ev.weight
        assert ev.explanation.startswith(options.get("explanation", ev.rule.split(".")[0]))


def test_negation_window_is_the_built_in_one() -> None:
    """A negation NEGATION_WINDOW tokens before a phrase cancels it; one token further does not."""
    scorer = scorers.phrases("ownership", OWN)
    near = "not " + "very " * (NEGATION_WINDOW - 1) + "leave it with me"
    far = "not " + "very " * NEGATION_WINDOW + "leave it with me"
    assert [] == found(scorer(make_conversation("It broke.", near)))
    assert [("ownership.phrase", "leave it with me")] == found(
        scorer(make_conversation("It broke.", far))
    )


@pytest.mark.parametrize(
    ("opportunity", "customer", "expected"),
    [
        ("customer_turn", "Hello there.", 1.0),
        ("problem", "My heater is broken and the room is freezing.", 1.0),
        ("problem", "Hello there.", None),
        (["problem", "help_request"], "Can you help me change my address?", 1.0),
        ("positive_feeling", "Thanks, the new one works perfectly, I love it!", 1.0),
    ],
)
def test_phrase_scorer_opportunity(
    opportunity: str | list[str], customer: str, expected: float | None
) -> None:
    """The value is N/A without an opportunity of the chosen kinds, and credit otherwise."""
    scorer = scorers.phrases("ownership", OWN, opportunity=opportunity)
    result = scorer(make_conversation(customer, "Leave it with me."))
    assert expected == result.value
    assert (0 if expected is None else 1) == result.opportunities


def long_turn(turn: TurnAnalysis) -> bool:
    """An opportunity of our own: a customer turn of more than six tokens."""
    return len(turn.tokens) > 6


def test_phrase_scorer_opportunity_function() -> None:
    """A function of the shared turn analysis can decide what an opportunity is."""
    scorer = scorers.phrases("ownership", OWN, opportunity=long_turn)
    short = scorer(make_conversation("It broke.", "Leave it with me."))
    long = scorer(
        make_conversation("It broke again, the third time this week.", "Leave it with me.")
    )
    assert (None, 1.0) == (short.value, long.value)
    check_scorer(scorer)  # a module-level function pickles


def test_phrase_scorer_without_a_match_scores_zero() -> None:
    """An opportunity the agent answers without the behaviour scores 0, not N/A."""
    result = scorers.phrases("ownership", OWN)(make_conversation("It broke.", "Okay."))
    assert (0.0, (0.0,)) == (result.value, result.turn_scores[1:])


def test_penalty_scorer_lowers_the_overall_score() -> None:
    """A penalty's value is its worst turn, and PENALTY_WEIGHT times it comes off overall."""
    rude = scorers.phrases("rude", ["calm down"], penalty=True, weight=0.6)
    chat = make_conversation(
        "My parcel is lost!", "Sorry, calm down.", "Ok.", "I'm sorry, I've sent a new one."
    )
    report = empathykit.score(chat, scorers=["apology", rude])
    assert (0.6, True) == (report["rude"].value, report["rude"].penalty)
    assert (None, 0.6, None, 0.0) == report["rude"].turn_scores
    apology, overall = report["apology"].value, report.overall
    assert apology is not None
    assert overall is not None
    assert math.isclose(apology - PENALTY_WEIGHT * 0.6, overall)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: scorers.phrases("my scorer", OWN), "letters, digits and underscores"),
        (lambda: scorers.phrases("ownership", []), "at least one phrase or pattern"),
        (lambda: scorers.phrases("ownership", "sorry"), "got the string 'sorry'"),
        (lambda: scorers.phrases("o", OWN, patterns="x"), "got the string 'x'"),
        (lambda: scorers.phrases("o", [1]), "got int 1"),  # type: ignore[list-item]
        (lambda: scorers.phrases("o", OWN, weight=2), "must be in [-1, 1]"),
        (lambda: scorers.phrases("o", OWN, role="bot"), "expected role 'agent' or 'customer'"),
        (lambda: scorers.phrases("o", OWN, opportunity=[]), "at least one opportunity kind"),
        (lambda: scorers.phrases("o", OWN, opportunity="angry"), "unknown opportunity 'angry'"),
        (lambda: scorers.phrases("o", OWN, explanation=3), "explanation as a str"),  # type: ignore[arg-type]
        (lambda: scorers.phrases("o", OWN, penalty="yes"), "penalty as True or False"),  # type: ignore[arg-type]
        (lambda: scorers.phrases("o", OWN, exclude_phrases="x"), "got the string 'x'"),
        (lambda: scorers.phrases("o", [r"(a+)+"]), None),  # a phrase, not a pattern: fine
        (lambda: scorers.phrases("o", (), [r"(a+)+"]), "exponential time"),
        (lambda: scorers.phrases("o", (), [r"(a"]), "invalid regular expression"),
        (lambda: scorers.apology(extra_phrases="sorry"), "got the string 'sorry'"),
        (lambda: scorers.apology(rule_weights={"apology.nope": 1}), "unknown rules"),
    ],
)
def test_phrase_scorer_configuration_errors(
    call: Callable[[], object], message: str | None
) -> None:
    """Bad settings raise ConfigurationError saying what was expected."""
    if message is None:
        call()
        return
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        call()


# --- user phrases behave exactly like built-in phrases (property tests) ---------------------

#: Words that no built-in cue uses (checked by `assume` below), to surround a phrase with.
FILLER = ("the", "blue", "parcel", "on", "Tuesday", "and", "then", "a", "box", "window", "seven")
NEGATORS = ("not", "never", "can't", "don't", "won't")


def _lexicon_phrases() -> list[tuple[str, str, str, float]]:
    """``(scorer, rule id, phrase, weight)`` of every negatable phrase in a bundled lexicon.

    A phrase that contains, or is contained in, another cue of the same lexicon is left
    out: there the built-in alternation prefers the longer cue, so a lone user phrase
    would rightly quote a different span.
    """
    found: list[tuple[str, str, str, float]] = []
    for scorer in BUILT_INS:
        data = load_lexicon(scorer)
        tables = [*data.get("rules", {}).values(), *data.get("blockers", {}).values()]
        every = [p for table in tables for p in table.get("phrases", [])]
        patterns = [p for table in tables for p in table.get("patterns", [])]
        for rule, table in data.get("rules", {}).items():
            if not table.get("negatable", True):
                continue
            for phrase in table.get("phrases", []):
                others = [p for p in every if p != phrase]
                regex = re.compile(phrase_to_regex(phrase), re.IGNORECASE)
                if any(regex.search(p) for p in others) or any(
                    re.search(phrase_to_regex(p), phrase, re.IGNORECASE) for p in others
                ):
                    continue
                if any(re.search(p, phrase, re.IGNORECASE) for p in patterns):
                    continue
                found.append((scorer, f"{scorer}.{rule}", phrase, float(table.get("weight", 1))))
    return found


LEXICON_PHRASES = _lexicon_phrases()


def _recase(text: str, how: str) -> str:
    if how == "upper":
        return text.upper()
    if how == "lower":
        return text.lower()
    if how == "title":
        return text.title()
    return text.swapcase()


@st.composite
def phrase_in_context(draw: st.DrawFn) -> tuple[str, str, str, float, str]:
    """A bundled cue phrase, re-cased, apostrophes swapped, maybe negated, among filler words."""
    scorer, rule, phrase, weight = draw(st.sampled_from(LEXICON_PHRASES))
    shown = _recase(phrase, draw(st.sampled_from(["upper", "lower", "title", "swap"])))
    if draw(st.booleans()):
        shown = shown.translate(str.maketrans("'’", "’'"))
    if draw(st.booleans()):
        shown = f"{draw(st.sampled_from(NEGATORS))} {shown}"
    left = draw(st.lists(st.sampled_from(FILLER), max_size=4))
    right = draw(st.lists(st.sampled_from(FILLER), max_size=4))
    return scorer, rule, phrase, weight, " ".join([*left, shown, *right])


@settings(max_examples=300)
@given(phrase_in_context())
def test_user_phrase_behaves_like_the_built_in_phrase(
    case: tuple[str, str, str, float, str],
) -> None:
    """Same spans, negation and case folding for a phrase given by the user as built in."""
    name, rule, phrase, weight, text = case
    builtin = BUILT_INS[name]()
    customer = "Hello."
    filler = " ".join(w for w in text.split() if w in FILLER) or "the"
    assume(not builtin(make_conversation(customer, filler)).evidence)

    # A built-in blocker that the context completes ("the parcel apologised": reported
    # regret) is the built-in lexicon's own rule, which a bare user phrase list lacks.
    assume(not builtin.cues.blocker_matches(text))

    conv = make_conversation(customer, text)
    built_in = builtin(conv)
    from_lexicon = spans(built_in.evidence, {rule})
    as_phrase_scorer = scorers.phrases("probe", [phrase], weight=weight)(conv)
    as_extra_phrase = BUILT_INS[name](
        extra_phrases=[phrase], rule_weights={f"{name}.custom": weight}
    )(conv)

    assert from_lexicon == spans(as_phrase_scorer.evidence)
    assert from_lexicon == spans(as_extra_phrase.evidence, {f"{name}.custom"})
    # The same evidence with the same weight: the same turn score.
    if {ev.rule for ev in built_in.evidence} == {rule}:
        assert built_in.turn_scores[1] == as_phrase_scorer.turn_scores[1]


def test_property_covers_every_cue_lexicon() -> None:
    """The phrase pool of the property test draws from each bundled lexicon with phrases."""
    assert set(BUILT_INS) == {scorer for scorer, *_ in LEXICON_PHRASES}


WORDS = st.sampled_from(["leave", "it", "with", "me", "sorted", "I'll", "fix", "that", "now"])
PHRASES = st.lists(st.lists(WORDS, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=5)


@given(
    phrases=PHRASES,
    exclude=st.lists(st.lists(WORDS, min_size=2, max_size=5).map(" ".join), max_size=2),
    weight=st.floats(-1, 1, allow_nan=False),
    role=st.sampled_from(["agent", "customer"]),
    opportunity=st.lists(st.sampled_from(scorers.OPPORTUNITY_KINDS), min_size=1, max_size=3),
    penalty=st.booleans(),
    explanation=st.one_of(
        st.none(),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
    ),
)
def test_toml_scorer_equals_python_scorer(
    phrases: list[str],
    exclude: list[str],
    weight: float,
    role: str,
    opportunity: list[str],
    penalty: bool,
    explanation: str | None,
) -> None:
    """A phrase scorer declared in TOML is equal to the same one made in Python."""
    toml = [
        "[scorers.ownership]",
        f"phrases = {json.dumps(phrases)}",
        f"exclude_phrases = {json.dumps(exclude)}",
        f"weight = {weight!r}",
        f'role = "{role}"',
        f"opportunity = {json.dumps(opportunity)}",
        f"penalty = {json.dumps(penalty)}",
    ]
    if explanation is not None:
        toml.append(f"explanation = {json.dumps(explanation, ensure_ascii=False)}")
    expected = scorers.phrases(
        "ownership",
        phrases,
        weight=weight,
        role=role,
        opportunity=opportunity,
        penalty=penalty,
        explanation=explanation,
        exclude_phrases=exclude,
    )
    assert [expected] == empathykit.load_scorers("\n".join(toml))


# --- customising every built-in from Python and from TOML --------------------------------------

#: An agent reply each built-in credits with one of its cue rules (not a fixed rule id:
#: the lexicons are tuned over time).
CREDITED = {
    "active_listening": ("My router keeps dropping out.", "So you're saying it drops out daily?"),
    "apology": ("My router keeps dropping out.", "I'm so sorry about that."),
    "emotional_acknowledgement": ("My router keeps dropping out.", "That sounds frustrating."),
    "solution_offer": ("My router keeps dropping out.", "I'll send you a new router today."),
}


def _cue_rules(name: str) -> set[str]:
    return {f"{name}.{rule}" for rule in load_lexicon(name).get("rules", {})} | {f"{name}.custom"}


@pytest.mark.parametrize("name", BUILT_INS)
def test_builtin_extra_phrases_and_patterns(name: str) -> None:
    """Extra phrases and patterns give `<name>.custom` evidence that says it is the user's."""
    scorer = BUILT_INS[name](extra_phrases=["zorbly wibbled"], extra_patterns=[r"\bqu+x\b"])
    conv = make_conversation("My router keeps dropping out.", "Zorbly  WIBBLED and quuux.")
    custom = [ev for ev in scorer(conv).evidence if ev.rule == f"{name}.custom"]
    assert [("Zorbly  WIBBLED", 1.0), ("quuux", 1.0)] == [(ev.text, ev.weight) for ev in custom]
    assert all(ev.explanation.startswith("matches your phrase list") for ev in custom)


@pytest.mark.parametrize("name", BUILT_INS)
def test_builtin_exclude_phrases(name: str) -> None:
    """An excluded phrase vetoes every cue match inside it, built-in or the user's."""
    customer, agent = CREDITED[name]
    conv = make_conversation(customer, agent)
    rules = _cue_rules(name)
    assert spans(BUILT_INS[name]()(conv).evidence, rules), "the example must be credited"
    excluded = BUILT_INS[name](exclude_phrases=[agent], extra_phrases=[agent.split()[1]])
    assert set() == spans(excluded(conv).evidence, rules)


@pytest.mark.parametrize("name", BUILT_INS)
def test_builtin_rule_weights(name: str) -> None:
    """rule_weights re-weights a rule's evidence, and 0 takes its credit away."""
    customer, agent = CREDITED[name]
    conv = make_conversation(customer, agent)
    fired = [ev for ev in BUILT_INS[name]()(conv).evidence if ev.rule in _cue_rules(name)]
    rule = fired[0].rule
    halved = BUILT_INS[name](rule_weights={rule: 0.25})(conv)
    assert {0.25} == {ev.weight for ev in halved.evidence if ev.rule == rule}
    every_rule_off = BUILT_INS[name](rule_weights=dict.fromkeys(_cue_rules(name), 0.0))(conv)
    assert set() == {ev.rule for ev in every_rule_off.evidence if ev.weight} & _cue_rules(name)


@pytest.mark.parametrize("name", BUILT_INS)
def test_builtin_from_toml_equals_python(name: str) -> None:
    """`builtin = NAME` with options gives the same scorer as the factory with those options."""
    rule = sorted(_cue_rules(name))[0]
    options: dict[str, Any] = {
        "extra_phrases": ["that's on us"],
        "extra_patterns": [r"\bmea culpa\b"],
        "exclude_phrases": ["sorry for any inconvenience"],
        "rule_weights": {rule: 0.5},
    }
    lines = [f"[scorers.{name}]", f'builtin = "{name}"']
    lines += [
        f"{key} = {json.dumps(value)}" for key, value in options.items() if key != "rule_weights"
    ]
    lines.append(f'rule_weights = {{ "{rule}" = 0.5 }}')
    if name == "active_listening":
        lines.append("context_turns = 2")
        options["context_turns"] = 2
    assert [BUILT_INS[name](**options)] == empathykit.load_scorers("\n".join(lines))


def test_builtin_unchanged_and_renamed() -> None:
    """A bare `builtin` is the default scorer; another table name renames it, rule ids kept."""
    rules = """
        [scorers.apology]
        builtin = "apology"
        [scorers.scripted_apology]
        builtin = "apology"
        exclude_phrases = ["sorry for any inconvenience"]
    """
    plain, scripted = empathykit.load_scorers(rules)
    assert scorers.apology() == plain
    conv = make_conversation("My bill is wrong.", "Sorry for any inconvenience. So sorry!")
    result = scripted(conv)
    assert ("scripted_apology", [("apology.explicit", "sorry")]) == (result.name, found(result))


# --- TOML rules files -------------------------------------------------------------------------


def test_multi_rule_scorer() -> None:
    """Rules tables give one rule id, weight and explanation each; blockers veto matches."""
    rules = """
        [scorers.anti_empathy]
        penalty = true
        [scorers.anti_empathy.rules.dismissive]
        phrases = ["calm down"]
        explanation = "tells the customer how to feel"
        [scorers.anti_empathy.rules.impatience]
        phrases = ["as I said"]
        weight = 0.5
        negatable = false
        [scorers.anti_empathy.blockers.promise]
        patterns = ["as I said I would"]
    """
    [scorer] = empathykit.load_scorers(rules)
    conv = make_conversation(
        "Where is my refund?!",
        "Calm down. Not as I said before.",
        "Hm.",
        "As I said I would, I've refunded you.",
    )
    result = scorer(conv)
    assert [
        ("anti_empathy.dismissive", "Calm down", 1.0, "tells the customer how to feel"),
        ("anti_empathy.impatience", "as I said", 0.5, "impatience"),
    ] == [(ev.rule, ev.text, ev.weight, ev.explanation.split(",")[0]) for ev in result.evidence]
    assert (True, 1.0, 0.0) == (result.penalty, result.turn_scores[1], result.turn_scores[3])


def test_phrases_and_rules_together() -> None:
    """Top-level phrases are the rule `<name>.phrase`, next to the rules tables."""
    rules = """
        [scorers.ownership]
        phrases = ["leave it with me"]
        weight = 0.8
        [scorers.ownership.rules.follow_up]
        phrases = ["I'll keep you posted"]
        weight = 0.4
    """
    [scorer] = empathykit.load_scorers(rules)
    result = scorer(make_conversation("It broke.", "Leave it with me, I'll keep you posted."))
    assert [("ownership.phrase", 0.8), ("ownership.follow_up", 0.4)] == [
        (ev.rule, ev.weight) for ev in result.evidence
    ]


def test_scorers_keep_file_order_and_weights(tmp_path: Path) -> None:
    """Scorers come in table order; [weights] reach the overall score through load_weights."""
    path = tmp_path / "rules.toml"
    path.write_text(
        """
        [scorers.zeta]
        phrases = ["thanks"]
        [scorers.alpha]
        phrases = ["sorry"]
        [weights]
        zeta = 3
        alpha = 1
        solution_offer = 0
        """,
        encoding="utf-8",
    )
    for source in (path, str(path)):
        assert ["zeta", "alpha"] == [s.name for s in empathykit.load_scorers(source)]
        assert {"zeta": 3.0, "alpha": 1.0, "solution_offer": 0.0} == empathykit.load_weights(source)
    report = empathykit.score(
        make_conversation("My parcel is late.", "Thanks for waiting, and sorry!"),
        scorers=[*empathykit.default_scorers(), *empathykit.load_scorers(path)],
        weights=empathykit.load_weights(path),
    )
    assert 3.0 == report.weights["zeta"]


def test_registered_scorer(restore_registry: None) -> None:
    """`registered = NAME` takes a scorer from the registry as it is."""
    politeness = scorers.phrases("politeness", ["please"])
    empathykit.register_scorer("politeness", politeness)
    assert [politeness] == empathykit.load_scorers(
        '[scorers.politeness]\nregistered = "politeness"'
    )
    with pytest.raises(ConfigurationError, match=r"named 'politeness'; name its table"):
        empathykit.load_scorers('[scorers.polite]\nregistered = "politeness"')


@pytest.fixture
def restore_registry() -> Any:
    """Undo any registration a test makes."""
    from empathykit import _registry

    before = set(_registry._registry)
    yield
    for name in set(_registry._registry) - before:
        _unregister(name)


def test_module_docstring_example_loads(restore_registry: None) -> None:
    """The format shown in empathykit._toml's docstring is a valid rules file."""
    from empathykit import _toml

    assert _toml.__doc__ is not None
    example = "\n".join(
        line.removeprefix("    ") for line in _toml.__doc__.splitlines() if line.startswith("    ")
    )
    empathykit.register_scorer("politeness", scorers.phrases("politeness", ["please"]))
    loaded = empathykit.load_scorers(example)
    assert ["ownership", "anti_empathy", "apology", "politeness"] == [s.name for s in loaded]
    assert {"ownership": 2.0} == empathykit.load_weights(example)


@pytest.mark.parametrize("name", ["ownership.toml", "anti_empathy.toml", "house_style.toml"])
def test_example_rules_files_load(name: str) -> None:
    """The example rules files load, and their scorers give evidence on a fitting chat."""
    found_scorers = empathykit.load_scorers(EXAMPLES / name)
    assert found_scorers
    assert set(empathykit.load_weights(EXAMPLES / name)) <= {s.name for s in found_scorers} | set(
        BUILT_INS
    )


def test_example_anti_empathy_penalises_dismissive_language() -> None:
    """anti_empathy.toml flags the three kinds of dismissive language, and keeps promises apart."""
    [scorer] = empathykit.load_scorers(EXAMPLES / "anti_empathy.toml")
    conv = make_conversation(
        "I was billed twice!!",
        "Calm down. As I already said, that's not my department.",
        "Unbelievable.",
        "I'm sorry. As I said I would, I've refunded the second charge.",
    )
    result = scorer(conv)
    assert ["anti_empathy.dismissive", "anti_empathy.impatience", "anti_empathy.deflection"] == [
        ev.rule for ev in result.evidence
    ]
    assert (True, 0.0) == (result.penalty, result.turn_scores[3])
    report = empathykit.score(conv, scorers=[*empathykit.default_scorers(), scorer])
    without = empathykit.score(conv)
    assert report.overall is not None
    assert without.overall is not None
    assert result.value is not None
    assert without.overall > PENALTY_WEIGHT
    assert math.isclose(without.overall - PENALTY_WEIGHT * result.value, report.overall)


def test_example_ownership_credits_ownership() -> None:
    """ownership.toml credits "leave it with me" and not "I'll make sure to pass this on"."""
    [scorer] = empathykit.load_scorers(EXAMPLES / "ownership.toml")
    owned = scorer(make_conversation("My heater broke.", "Leave it with me, I'll handle it."))
    passed = scorer(make_conversation("My heater broke.", "I'll make sure to pass this on."))
    assert (1.0, 0.0) == (owned.value, passed.value)


def test_load_scorers_reads_paths_and_text(tmp_path: Path) -> None:
    """A Path or a str without `=` or a line break is a file; other strs are TOML text."""
    path = tmp_path / "mine.toml"
    path.write_text('[scorers.mine]\nphrases = ["mine"]\n', encoding="utf-8")
    assert ["mine"] == [s.name for s in empathykit.load_scorers(path)]
    assert ["mine"] == [s.name for s in empathykit.load_scorers(str(path))]
    assert ["mine"] == [s.name for s in empathykit.load_scorers(path.read_text(encoding="utf-8"))]
    missing = tmp_path / "missing.toml"
    for source in (missing, str(missing)):
        with pytest.raises(ConfigurationError) as caught:
            empathykit.load_scorers(source)
        assert f"{missing}: no such rules file" == str(caught.value)
    with pytest.raises(ConfigurationError) as caught:
        empathykit.load_weights(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: cannot read the rules file: ")


def test_a_rules_file_may_hold_weights_alone() -> None:
    """load_weights reads a file with a [weights] table and no scorers (the weights of
    the default behaviours); load_scorers still wants a scorer, and neither takes a file
    with neither."""
    assert {"apology": 2.0} == empathykit.load_weights("[weights]\napology = 2\n")
    with pytest.raises(ConfigurationError, match=r"expected at least one \[scorers.NAME\] table, "):
        empathykit.load_scorers("[weights]\napology = 2\n")
    with pytest.raises(ConfigurationError, match="table or a \\[weights\\] table, found none"):
        empathykit.load_weights("# nothing = here\n")
    with pytest.raises(ConfigurationError, match=r"^<string>:2: weights.kindness: expected"):
        empathykit.load_weights("[weights]\nkindness = 2\n")


# --- malformed rules files: the error names the file, the line and the key --------------------

MALFORMED: list[tuple[str, str, str]] = [
    # (TOML text, expected start of the message, expected text later in the message)
    ('[scorers.x]\nphrases = ["a"\n', "<string>: invalid TOML", "Unclosed array"),
    (
        '[scorers.x]\nphrases = ["a"]\nweight = \n',
        "<string>:3: scorers.x.weight: invalid TOML",
        "Invalid value",
    ),
    ('[scorers.x]\nphrases = ["a"]\n[scorers.x]\n', "<string>:3: scorers.x: invalid TOML", "twice"),
    ("", "<string>: expected at least one [scorers.NAME] table", ""),
    ("[weights]\n", "<string>: expected at least one [scorers.NAME] table", ""),
    ('scorer = 1\n[scorers.x]\nphrases = ["a"]', "<string>:1: scorer: unknown key", "[weights]"),
    ("scorers = 1", "<string>:1: scorers: expected a table", "integer 1"),
    ("[scorers]\nx = 1", "<string>:2: scorers.x: expected a table", "integer 1"),
    (
        '[scorers."my scorer"]\nphrases = ["a"]',
        '<string>:1: scorers."my scorer": expected a scorer name',
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\nphrase = ["b"]',
        "<string>:3: scorers.x.phrase: unknown key",
        "phrases",
    ),
    (
        '[scorers.x]\nphrases = "sorry"',
        "<string>:2: scorers.x.phrases: expected an array of strings",
        "'sorry'",
    ),
    (
        '[scorers.x]\nphrases = ["a", 1]',
        "<string>:2: scorers.x.phrases: expected an array of strings",
        "",
    ),
    ('[scorers.x]\nphrases = [""]', "<string>:2: scorers.x.phrases:", "at least one word"),
    ("[scorers.x]\npatterns = ['(a+)+']", "<string>:2: scorers.x.patterns:", "exponential time"),
    (
        "[scorers.x]\npatterns = ['(a']",
        "<string>:2: scorers.x.patterns:",
        "invalid regular expression",
    ),
    ("[scorers.x]\npatterns = ['(a)\\1']", "<string>:2: scorers.x.patterns:", "back-reference"),
    (
        '[scorers.x]\nphrases = ["a"]\nrole = "bot"',
        "<string>:3: scorers.x.role: expected 'agent' or 'customer'",
        "",
    ),
    ('[scorers.x]\nphrases = ["a"]\nrole = 1', "<string>:3: scorers.x.role: expected a string", ""),
    (
        '[scorers.x]\nphrases = ["a"]\nopportunity = "angry"',
        "<string>:3: scorers.x.opportunity: unknown opportunity 'angry'",
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\nopportunity = []',
        "<string>:3: scorers.x.opportunity: expected one or more",
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\nweight = 2',
        "<string>:3: scorers.x.weight: expected a number in [-1, 1]",
        "integer 2",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\nweight = true',
        "<string>:3: scorers.x.weight: expected a number in [-1, 1]",
        "boolean",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\nweight = "high"',
        "<string>:3: scorers.x.weight: expected a number",
        "string",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\nexplanation = 3',
        "<string>:3: scorers.x.explanation: expected a string",
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\npenalty = "yes"',
        "<string>:3: scorers.x.penalty: expected true or false",
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\nexclude_phrases = "b"',
        "<string>:3: scorers.x.exclude_phrases: expected an array",
        "",
    ),
    (
        "[scorers.x]\nweight = 0.5",
        "<string>:1: scorers.x: expected phrases, patterns or [rules]",
        "",
    ),
    ("[scorers.x]\nrules = 3", "<string>:2: scorers.x.rules: expected a table", ""),
    (
        '[scorers.x.rules.r]\nphrases = ["a"]\nweight = 5',
        "<string>:3: scorers.x.rules.r.weight: expected a number in [-1, 1]",
        "",
    ),
    (
        '[scorers.x.rules.r]\nphrases = ["a"]\nnegatable = 1',
        "<string>:3: scorers.x.rules.r.negatable: expected true or false",
        "",
    ),
    (
        '[scorers.x.rules.r]\nphrases = ["a"]\nrole = "agent"',
        "<string>:3: scorers.x.rules.r.role: unknown key for a rule",
        "",
    ),
    (
        "[scorers.x.rules.r]\nweight = 1",
        "<string>:1: scorers.x.rules.r: expected at least one of phrases or patterns",
        "",
    ),
    (
        '[scorers.x.rules."a b"]\nphrases = ["a"]',
        '<string>:1: scorers.x.rules."a b": expected a rule name',
        "",
    ),
    (
        '[scorers.x.blockers.b]\nphrases = ["a"]',
        "<string>:1: scorers.x: expected phrases, patterns or [rules]",
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\n[scorers.x.rules.phrase]\nphrases = ["b"]',
        "<string>:3: scorers.x.rules.phrase: the rule name 'phrase' is taken",
        "",
    ),
    (
        '[scorers.x]\nweight = 1\n[scorers.x.rules.r]\nphrases = ["b"]',
        "<string>:2: scorers.x.weight: applies to the scorer's own phrases",
        "",
    ),
    (
        '[scorers.x]\nbuiltin = "politeness"',
        "<string>:2: scorers.x.builtin: no built-in scorer named 'politeness'",
        "registered = 'politeness'",
    ),
    ("[scorers.x]\nbuiltin = 1", "<string>:2: scorers.x.builtin: expected a string", ""),
    (
        '[scorers.x]\nbuiltin = "apology"\nphrases = ["a"]',
        "<string>:3: scorers.x.phrases: unknown key for the built-in 'apology'",
        "",
    ),
    (
        '[scorers.x]\nbuiltin = "apology"\ncontext_turns = 2',
        "<string>:3: scorers.x.context_turns: unknown key",
        "",
    ),
    (
        '[scorers.x]\nbuiltin = "active_listening"\ncontext_turns = 0',
        "<string>:3: scorers.x.context_turns: expected an integer ≥ 1",
        "",
    ),
    (
        '[scorers.x]\nbuiltin = "apology"\nextra_phrases = "sorry"',
        "<string>:3: scorers.x.extra_phrases: expected an array of strings",
        "",
    ),
    (
        "[scorers.x]\nbuiltin = \"apology\"\nextra_patterns = ['(a+)+']",
        "<string>:3: scorers.x.extra_patterns:",
        "exponential",
    ),
    (
        '[scorers.x]\nbuiltin = "apology"\nrule_weights = 1',
        "<string>:3: scorers.x.rule_weights: expected a table",
        "",
    ),
    (
        '[scorers.x]\nbuiltin = "apology"\nrule_weights = { "apology.explicit" = 3 }',
        '<string>:3: scorers.x.rule_weights."apology.explicit": expected a number in [-1, 1]',
        "",
    ),
    (
        '[scorers.x]\nbuiltin = "apology"\nrule_weights = { "apology.nope" = 1 }',
        "<string>:3: scorers.x.rule_weights:",
        "unknown rules",
    ),
    (
        '[scorers.x]\nbuiltin = "apology"\nregistered = "apology"',
        "<string>:1: scorers.x: expected builtin or registered, not both",
        "",
    ),
    (
        '[scorers.x]\nregistered = "no_such_scorer"',
        "<string>:2: scorers.x.registered: no scorer named 'no_such_scorer'",
        "apology",
    ),
    (
        '[scorers.x]\nregistered = "os:system"',
        "<string>:2: scorers.x.registered: no scorer named 'os:system'",
        "",
    ),
    (
        '[scorers.x]\nregistered = "apology"\nextra_phrases = ["a"]',
        "<string>:3: scorers.x.extra_phrases: unknown key for a registered scorer",
        "",
    ),
    (
        '[scorers.x]\nregistered = "apology"',
        "<string>:1: scorers.x: the registered scorer 'apology' is named 'apology'",
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\n[weights]\ny = 1',
        "<string>:4: weights.y: expected the name of a scorer",
        "x, active_listening",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\n[weights]\nx = -1',
        "<string>:4: weights.x: expected a finite number ≥ 0",
        "",
    ),
    (
        '[scorers.x]\nphrases = ["a"]\n[weights]\nx = inf',
        "<string>:4: weights.x: expected a finite number ≥ 0",
        "",
    ),
    ('[scorers.x]\nphrases = ["a"]\nweights = 1', "<string>:3: scorers.x.weights: unknown key", ""),
    ("scorers.x.phrases = 3", "<string>:1: scorers.x.phrases: expected an array of strings", ""),
    (
        "[scorers.x]\npatterns = ['''\n[scorers.y]\nweight = 3\n''']\nweight = 7",
        "<string>:6: scorers.x.weight: expected a number",
        "",
    ),
    (
        '# comment\n\n[scorers.x]  # mine\nphrases = [\n  "a",\n]\nweight = 3',
        "<string>:7: scorers.x.weight: expected a number",
        "",
    ),
    ('[scorers.x]\nphrases = ["a"]\n!!!', "<string>:3: invalid TOML", "Invalid statement"),
]


@pytest.mark.parametrize(("text", "where", "detail"), MALFORMED, ids=[m[1] for m in MALFORMED])
def test_malformed_rules(text: str, where: str, detail: str) -> None:
    """A malformed rules file raises ConfigurationError naming the file, line and key."""
    with pytest.raises(ConfigurationError) as info:
        empathykit.load_scorers(text)
    message = str(info.value)
    assert where == message[: len(where)], message
    assert detail in message


def test_malformed_file_names_the_path(tmp_path: Path) -> None:
    """Errors in a file name its path; bytes that are not UTF-8 are a ConfigurationError too."""
    path = tmp_path / "rules.toml"
    path.write_text('[scorers.x]\nphrases = ["a"]\nweight = 9\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match=re.escape(f"{path}:3: scorers.x.weight:")):
        empathykit.load_scorers(path)
    with pytest.raises(ConfigurationError, match=re.escape(f"{path}:3: scorers.x.weight:")):
        empathykit.load_weights(path)
    path.write_bytes(b'[scorers.x]\nphrases = ["\xff"]\n')
    with pytest.raises(ConfigurationError, match="expected UTF-8 text"):
        empathykit.load_scorers(path)
    with pytest.raises(ConfigurationError, match="expected a path to a TOML rules file"):
        empathykit.load_scorers(42)  # type: ignore[arg-type]


def test_a_scorer_without_changes_shares_the_built_in_cues() -> None:
    """Building a built-in scorer with no phrases, exclusions or weights reuses the compiled
    cues (and their key index), so naming a scorer per call stays cheap; any change gives
    the scorer cues of its own and leaves the built-in ones as they were."""
    from empathykit.scorers import apology

    plain = apology()
    assert plain.cues is apology().cues
    custom = apology(extra_phrases=["my bad, truly"])
    assert custom.cues is not plain.cues
    assert "apology.custom" in custom.cues.rule_ids()
    assert "apology.custom" not in apology().cues.rule_ids()
