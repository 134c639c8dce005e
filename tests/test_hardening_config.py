"""Hardening, part 5: configuration is data — TOML never runs code; user patterns are guarded.

The guard (``_lexicon._check_user_pattern``) refuses the shapes of pattern that backtrack
catastrophically; the fuzz test below builds thousands of patterns, and every one the
guard accepts is run on adversarial text in a forked process with a hang guard.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import empathykit
from empathykit import ConfigurationError, EmpathyKitError
from empathykit._lexicon import (
    MAX_PATTERN_LENGTH,
    MAX_PHRASE_WORDS,
    MAX_WIDE_GAPS,
    _check_user_pattern,
    compile_cues,
)
from empathykit.scorers import OPPORTUNITY_KINDS
from hostile_strategies import needs_fork, run_guarded

pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

CATASTROPHIC = [
    r"(a+)+$",
    r"(a|a)*b",
    r"(\w+\s?)*$",
    r"(.*a){20}",
    r"((a)+)+$",
    r"(?:(?:a)+)+$",
    r"(a|ab)+c",
    r"(?:a?a?)+$",
    r"(x|)*y",
    r"(?:\s*,)+x",
    r"(a)\1",
    r"(?P<x>a)(?P=x)",
    r"(?:(a)|b)(?(1)c|d)",
    # Alternatives equal only under IGNORECASE's extra case pairs: 's' and 'ſ' (long s),
    # 'k' and the Kelvin sign, 'σ' and final 'ς' (the guard once compared .lower() only).
    "(?:sx|\u017fx)+Q",
    "(?:kx|\u212ax)+Q",
    "(?:\u03c3x|\u03c2x)+Q",
]


def _rules_file(tmp_path: Path, pattern: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(f"# mine\n[scorers.mine]\npatterns = ['''{pattern}''']\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_are_refused_naming_file_line_and_pattern(
    tmp_path: Path, pattern: str
) -> None:
    """Each classic catastrophic pattern is refused with the file, the line and the pattern."""
    path = _rules_file(tmp_path, pattern)
    with pytest.raises(ConfigurationError) as caught:
        empathykit.load_scorers(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: scorers.mine.patterns")
    assert repr(pattern) in message
    assert "exponential time" in message


@pytest.mark.parametrize("pattern", CATASTROPHIC[:4])
def test_the_python_api_refuses_them_too(pattern: str) -> None:
    """empathykit.scorers.phrases(patterns=...) applies the same guard."""
    with pytest.raises(ConfigurationError, match="exponential time"):
        empathykit.scorers.phrases("mine", patterns=[pattern])


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:cat|dog)+s?",
        r"(?>a+)+$",
        r"(?:a++)+$",
        r"(?:\d{3}-)+\d{4}",
        r"\border\s+#?\d+\b",
        r"\bI(?:'ll| will) (?:personally )?(?:handle|sort) (?:this|it)\b",
        r'"[^"]{0,40}"',
        r"(?:a|b|c){2,5}x",
    ],
)
def test_safe_patterns_are_accepted(pattern: str) -> None:
    """Alternation of distinct words, possessive and atomic repeats and fixed counts pass."""
    assert compile_cues(patterns=[pattern]) is not None


#: Chains of gaps that can run across words: polynomial, but of a degree that makes one
#: long turn take seconds to minutes (see MAX_WIDE_GAPS).
WIDE_CHAINS = [
    (r"sorry.*for.*the.*delay.*with.*your.*order", 6),
    (r"a.*b.*c.*d", 3),
    (r"x[^.!?]*y[^.!?]*z[^.]*w", 3),
    (r"(?:x.*y|z).*w.*v", 3),
    (r"a[\s\S]*b[\w\s]+c(?=.*d)", 3),
    (r"a.*?b.+?c.*d", 3),
]


@pytest.mark.parametrize(("pattern", "gaps"), WIDE_CHAINS)
def test_chains_of_wide_gaps_are_refused_with_their_count(pattern: str, gaps: int) -> None:
    """More than MAX_WIDE_GAPS gaps like '.*' one after another are refused, saying how
    many and what to do, in rules files as in Python."""
    with pytest.raises(ConfigurationError) as caught:
        empathykit.scorers.phrases("mine", patterns=[pattern])
    message = str(caught.value)
    assert f"{pattern!r} has {gaps} gaps that can run across words" in message
    assert f"expected at most {MAX_WIDE_GAPS}" in message
    assert "bound them" in message


@pytest.mark.parametrize(
    "pattern",
    [
        r"sorry.*delay.*order",  # two: allowed
        r"a.*b|c.*d|e.*f",  # one on each path
        r"\w+\s+\w+\s+\w+\s+\w+",  # each run stays in its word or its spaces
        r"a\s*b\s*c\s*d",
        r"a.{0,60}b.{0,60}c.{0,60}d",  # bounded
        r"a.*+b.*+c.*+d",  # possessive: never backtracks
    ],
)
def test_fewer_or_narrower_gaps_are_accepted(pattern: str) -> None:
    assert compile_cues(patterns=[pattern]) is not None


def _search_long_near_misses() -> int:
    turn = "sorry for the delay with your parcel. " * 130  # 4,940 characters, no "order"
    found = 0
    for pattern in (r"sorry.*delay.*order", r"sorry.*for.*order", r"sorry.{0,60}the.{0,60}order"):
        regex = compile_cues(patterns=[pattern])
        assert regex is not None
        found += regex.search(turn) is not None
    return found


@needs_fork
def test_accepted_gaps_finish_on_a_long_turn_that_almost_matches() -> None:
    """What the gap limit lets through stays fast where a longer chain takes minutes (a
    pattern with 4 gaps takes over a minute on this turn)."""
    assert 0 == run_guarded(_search_long_near_misses, 60)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(", "invalid regular expression '\\('"),
        ("[a-", "invalid regular expression"),
        ("*a", "invalid regular expression"),
        ("a{2,1}", "invalid regular expression"),
        ("(?P<x>a)(?P<x>b)", "invalid regular expression"),
        ("[[:alpha:]]", "Possible nested set"),  # a FutureWarning, refused (regression)
        ("a" * (MAX_PATTERN_LENGTH + 1), f"at most {MAX_PATTERN_LENGTH} characters"),
        ("a{99999999999}", "the repetition number is too large"),  # OverflowError before
    ],
)
def test_invalid_patterns_are_a_clear_error(tmp_path: Path, pattern: str, expected: str) -> None:
    """A pattern that does not compile, or is too long, names file, line and the problem."""
    path = _rules_file(tmp_path, pattern)
    with pytest.raises(ConfigurationError, match=expected) as caught:
        empathykit.load_scorers(path)
    assert str(caught.value).startswith(f"{path}:3: ")


@settings(max_examples=500)
@given(
    pattern=st.text(st.sampled_from(list("()[]{}?*+|.\\^$:<>=!#-,0123456789aPbsw ")), max_size=30)
)
@example(pattern="[[")
@example(pattern="[a&&b]")
@example(pattern="(?i)a")
@example(pattern="a{99999999999}")
def test_any_pattern_text_compiles_or_is_a_configuration_error(pattern: str) -> None:
    """Arbitrary pattern text gives a compiled cue or a ConfigurationError, never another error."""
    try:
        compile_cues(patterns=[pattern], where="fuzz")
    except ConfigurationError as error:
        message = str(error)
    else:
        return
    assert message.startswith("fuzz: ")


def test_patterns_that_open_with_global_flags_work_beside_others(tmp_path: Path) -> None:
    """``(?i)`` or ``(?x)`` at the start of a pattern applies to that pattern alone; each
    pattern compiles on its own, and before they raised re.error once joined."""
    path = tmp_path / "rules.toml"
    path.write_text(
        "[scorers.own]\n"
        "patterns = ['(?i)leave it with', '(?x) take \\s+ care  # verbose, with a comment', "
        "'sort\\s+it']\n",
        encoding="utf-8",
    )
    [scorer] = empathykit.load_scorers(path)
    report = empathykit.score(
        "Customer: My order broke.\nAgent: Leave it with me, I will take care of it and sort it.",
        scorers=[scorer],
    )
    assert [e.text for e in report["own"].evidence] == ["Leave it with", "take care", "sort it"]


_ATOMS = (
    "a", "b", "a?", "a*", "a+", "(?:a|b)", "(?:a|ab)", r"\s", r"\s*", r"\w+", ".", "[ab]",
    "(?:a+)", "(?:ab)*", "a{2,3}", "(?:a|)", ".*", "a++", "(?>a+)", r"\d{3}", r"\b",
)  # fmt: skip
_QUANTIFIERS = ("", "+", "*", "?", "{2,}", "{3}", "{0,5}", "++", "*?")
#: Texts that a catastrophic pattern fails on in exponential time (2**28 steps and more).
_ADVERSARIAL = ("a" * 28 + "!", "ab" * 14 + "!", " " * 28 + "!", "aab" * 9 + "c")


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if depth < 2 and rng.random() < 0.35:
            parts.append(f"(?:{_random_pattern(rng, depth + 1)}){rng.choice(_QUANTIFIERS)}")
        else:
            parts.append(rng.choice(_ATOMS))
    return "".join(parts)


def _run_accepted_patterns(count: int, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    accepted = refused = 0
    for _ in range(count):
        pattern = _random_pattern(rng)
        try:
            _check_user_pattern(pattern, "fuzz")
            regex = re.compile(pattern + "$", re.IGNORECASE)
        except (ConfigurationError, re.error):
            refused += 1
            continue
        accepted += 1
        for text in _ADVERSARIAL:
            regex.search(text)
    return accepted, refused


@needs_fork
def test_every_pattern_the_guard_accepts_finishes_on_adversarial_text() -> None:
    """3,000 generated patterns: each one accepted runs on texts that break bad ones.

    A catastrophic pattern that slipped through would take minutes on these texts; the
    accepted ones take milliseconds in all. The guard must also refuse some of them.
    """
    accepted, refused = run_guarded(lambda: _run_accepted_patterns(3000, seed=8), 120)
    assert 3000 == accepted + refused
    assert accepted > 500
    assert refused > 500


# --- TOML is data ----------------------------------------------------------------------------

_CODE_LIKE = (
    "__import__('os').system('touch {marker}')",
    "{{{{ ''.__class__.__mro__[1].__subclasses__() }}}}",
    "${{7*7}} `touch {marker}` $(touch {marker})",
    "!!python/object/apply:os.system ['touch {marker}']",
)


@pytest.mark.parametrize("payload", _CODE_LIKE)
def test_toml_values_that_look_like_code_are_only_text(tmp_path: Path, payload: str) -> None:
    """Phrases and explanations that look like code are kept and shown as text, never run."""
    marker = tmp_path / "ran"
    text = payload.format(marker=marker)
    literal = text.replace("\\", "\\\\").replace('"', '\\"')
    path = tmp_path / "rules.toml"
    path.write_text(
        f'[scorers.mine]\nphrases = ["leave it with me", "{literal}"]\nexplanation = "{literal}"\n',
        encoding="utf-8",
    )
    empathykit.score("Customer: warm up\nAgent: the lazy imports")
    before = set(sys.modules)
    scorers = empathykit.load_scorers(path)
    assert set() == set(sys.modules) - before
    report = empathykit.score(
        [("customer", "Hi"), ("agent", f"Leave it with me. {text}")], scorers=scorers
    )
    assert not marker.exists()
    assert [text] == [e.explanation[: len(text)] for e in report.evidence]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[scorers.x]\nregistered = "os.system"', "os.system"),
        ("[scorers.x]\nbuiltin = \"__import__('os')\"", "__import__"),
        ('[scorers.x]\nmodule = "os"\nfunction = "system"', "unknown key"),
        ("import os\nos.system('touch x')\n", "invalid TOML"),
        ('[scorers.x]\nphrases = ["a"]\nrole = "os.system"', "expected 'agent' or 'customer'"),
    ],
)
def test_toml_cannot_name_code_to_import_or_run(toml: str, expected: str) -> None:
    """A rules file can name registered scorers and built-ins only: anything else is refused."""
    empathykit.score("Customer: warm up\nAgent: the lazy imports")
    before = set(sys.modules)
    with pytest.raises(EmpathyKitError, match=re.escape(expected)):
        empathykit.load_scorers(toml)
    assert set() == set(sys.modules) - before


def test_user_patterns_are_compiled_once_not_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """After loading, scoring never compiles a pattern again."""
    scorers = empathykit.load_scorers(
        "[scorers.mine]\npatterns = ['''\\bleave (?:it|this) with me\\b''']"
    )
    conversation = [("customer", "It broke!"), ("agent", "Leave it with me.")]
    empathykit.score(conversation, scorers=scorers)  # warm every lazy cache first

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"re.compile{args} during scoring")

    monkeypatch.setattr(re, "compile", no_compiling)
    report = empathykit.score(conversation, scorers=scorers)
    assert ["mine.phrase"] == [e.rule for e in report.evidence]


# --- arguments of the wrong kind are configuration errors ------------------------------------

_KINDS = ", ".join(OPPORTUNITY_KINDS)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda: empathykit.scorers.apology(extra_phrases=None),  # type: ignore[arg-type]
            "apology: extra_phrases: expected a list of strings, got None",
        ),
        (
            lambda: empathykit.scorers.apology(exclude_phrases=None),  # type: ignore[arg-type]
            "apology: exclude_phrases: expected a list of strings, got None",
        ),
        (
            lambda: empathykit.scorers.apology(extra_patterns=3),  # type: ignore[arg-type]
            "apology: extra_patterns: expected a list of strings, got 3",
        ),
        (
            lambda: empathykit.scorers.apology(extra_phrases="sorry"),
            "apology: extra_phrases: expected a list of strings, got the string 'sorry'",
        ),
        (
            lambda: empathykit.scorers.phrases("x", None),  # type: ignore[arg-type]
            "scorer 'x': phrases: expected a list of strings, got None",
        ),
        (
            lambda: empathykit.scorers.phrases("x", ["ok"], patterns=1.5),  # type: ignore[arg-type]
            "scorer 'x': patterns: expected a list of strings, got 1.5",
        ),
        (
            lambda: empathykit.scorers.apology(rule_weights=["apology.explicit"]),  # type: ignore[arg-type]
            "apology: rule_weights: expected a mapping of rule ids to numbers, "
            "got ['apology.explicit']",
        ),
        (
            lambda: empathykit.scorers.apology(rule_weights=5),  # type: ignore[arg-type]
            "apology: rule_weights: expected a mapping of rule ids to numbers, got 5",
        ),
        (
            lambda: empathykit.scorers.phrases("x", ["ok"], opportunity=5),  # type: ignore[arg-type]
            f"opportunity: expected one or more of {_KINDS}, or a function of a TurnAnalysis, "
            "got 5",
        ),
        (
            lambda: empathykit.scorers.active_listening(context_turns=0),
            "active_listening: context_turns: expected an integer ≥ 1, got int 0",
        ),
        (
            lambda: empathykit.scorers.active_listening(context_turns="2"),  # type: ignore[arg-type]
            "active_listening: context_turns: expected an integer ≥ 1, got str '2'",
        ),
        (
            lambda: empathykit.scorers.active_listening(context_turns=True),
            "active_listening: context_turns: expected an integer ≥ 1, got bool True",
        ),
        (
            lambda: empathykit.scorers.ActiveListening(context_turns=1.5),  # type: ignore[arg-type]
            "active_listening: context_turns: expected an integer ≥ 1, got float 1.5",
        ),
    ],
)
def test_python_arguments_of_the_wrong_kind_are_configuration_errors(
    call: Callable[[], object], expected: str
) -> None:
    """None, a number or a list where a list, a mapping or an integer belongs: a
    ConfigurationError naming the scorer, the argument, what it expects and what came,
    not a TypeError from deep inside (as a boolean context_turns, which TOML refuses)."""
    with pytest.raises(ConfigurationError) as caught:
        call()
    assert expected == str(caught.value)


def test_rule_weights_with_keys_of_mixed_types_name_them() -> None:
    """Unknown rule ids that cannot be sorted together are still listed, not a TypeError."""
    with pytest.raises(ConfigurationError) as caught:
        empathykit.scorers.apology(rule_weights={1: 0.5, "x": 1})  # type: ignore[dict-item]
    assert str(caught.value).startswith(
        "apology: unknown rules in rule_weights: ['x', 1]; known rules are ['apology.custom'"
    )


def test_context_turns_of_a_renamed_active_listening_names_it() -> None:
    """The check runs again when a copy is made, and names the copy."""
    scorer = attrs.evolve(empathykit.scorers.active_listening(), name="listening")
    with pytest.raises(ConfigurationError) as caught:
        attrs.evolve(scorer, context_turns=0)
    assert "listening: context_turns: expected an integer ≥ 1, got int 0" == str(caught.value)


# --- rules files: a byte-order mark, a blocker's weight, an empty pattern ---------------------


def test_a_rules_file_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    """A UTF-8 rules file saved with a BOM (as Windows editors do) loads, and errors in it
    still name the right line."""
    path = tmp_path / "rules.toml"
    path.write_text('\ufeff[scorers.own]\nphrases = ["sorry"]\n', encoding="utf-8")
    [scorer] = empathykit.load_scorers(path)
    assert "own" == scorer.name
    path.write_text('\ufeff[scorers.own]\nphrases = ["sorry"]\nweight = 2\n', encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        empathykit.load_scorers(path)
    assert f"{path}:3: scorers.own.weight: expected a number in [-1, 1], got an integer 2" == str(
        caught.value
    )


def test_a_blocker_with_a_weight_is_refused() -> None:
    """weight is for rules only (docs/reference/toml-format.md); a blocker gives no
    credit, so a weight on one was silently ignored before."""
    rules = (
        '[scorers.o.rules.r]\nphrases = ["b"]\n'
        '[scorers.o.blockers.q]\nphrases = ["x b"]\nweight = 0.5\n'
    )
    with pytest.raises(ConfigurationError) as caught:
        empathykit.load_scorers(rules)
    assert (
        "<string>:5: scorers.o.blockers.q.weight: unknown key for a blocker (weight is for "
        "rules only: a blocker gives no credit, it vetoes matches); expected one of anchor, "
        "explanation, negatable, patterns, phrases"
    ) == str(caught.value)
    scorers = empathykit.load_scorers(rules.replace("weight = 0.5\n", ""))
    report = empathykit.score("Customer: hi\nAgent: b, and x b", scorers=scorers)
    assert [("o.r", "b")] == [(e.rule, e.text) for e in report["o"].evidence]


@pytest.mark.parametrize("pattern", ["", " ", "\t  "])
def test_an_empty_pattern_is_refused_like_an_empty_phrase(tmp_path: Path, pattern: str) -> None:
    """An empty (or blank) pattern matched everywhere or nowhere; it is refused wherever
    patterns are compiled: in a rules file, and from Python."""
    expected = f"expected a pattern with something other than white space, got {pattern!r}"
    path = _rules_file(tmp_path, pattern)
    with pytest.raises(ConfigurationError) as caught:
        empathykit.load_scorers(path)
    assert f"{path}:3: scorers.mine.patterns: {expected}" == str(caught.value)
    with pytest.raises(ConfigurationError) as caught:
        empathykit.scorers.phrases("mine", patterns=[pattern])
    assert f"scorer 'mine': {expected}" == str(caught.value)
    with pytest.raises(ConfigurationError) as caught:
        empathykit.scorers.apology(extra_patterns=["sorry", pattern])
    assert f"apology: extra phrases: {expected}" == str(caught.value)


@pytest.mark.parametrize("pattern", ["x*", "(?:sorry)?", r"\b", "x|", "(?=sorry)", "a{0,3}"])
def test_a_pattern_that_can_match_empty_text_is_refused(tmp_path: Path, pattern: str) -> None:
    """An empty match is never evidence, so such a pattern did nothing wherever it
    matched empty text (and had no key words, so it was searched in every turn): it is
    refused, in a rules file and from Python, saying how to fix it."""
    expected = (
        f"pattern {pattern!r} can match empty text (it has a way through that reads no "
        "character; look-arounds and '\\b' read none); expected a pattern whose every match"
    )
    path = _rules_file(tmp_path, pattern)
    with pytest.raises(ConfigurationError) as caught:
        empathykit.load_scorers(path)
    assert str(caught.value).startswith(f"{path}:3: scorers.mine.patterns: {expected}")
    assert "make a part of it required ('sorry', not '(?:sorry)?'; '\\w+', not '\\w*')" in str(
        caught.value
    )
    with pytest.raises(ConfigurationError, match="can match empty text"):
        empathykit.scorers.apology(extra_patterns=[pattern])


@pytest.mark.parametrize(
    "pattern", [r"\bsorry\b", "(?:so )?sorry", "(?:a|b?)c", "x+", r"(?<=\s)ok"]
)
def test_a_pattern_with_an_optional_part_but_a_required_one_is_accepted(pattern: str) -> None:
    assert compile_cues(patterns=[pattern]) is not None


@settings(max_examples=300)
@given(
    pattern=st.text(st.sampled_from(list("()[]{}?*+|.\\^$:<>=!0123ab ")), min_size=1, max_size=20),
    text=st.text(st.sampled_from(list("ab .!")), max_size=12),
)
def test_no_accepted_pattern_matches_empty_text(pattern: str, text: str) -> None:
    """Whatever the guard accepts finds only matches of at least one character."""
    try:
        regex = compile_cues(patterns=[pattern], where="fuzz")
    except ConfigurationError:
        return
    assert regex is not None
    assert all(match.end() > match.start() for match in regex.finditer(text))


def test_a_phrase_of_too_many_words_is_refused_wherever_phrases_go(tmp_path: Path) -> None:
    """A phrase of hundreds of words raised RecursionError while its trie was written
    out; now anything over MAX_PHRASE_WORDS words and marks is a ConfigurationError
    that says where, and a phrase of exactly that many still matches."""
    longest = " ".join(f"w{i}" for i in range(MAX_PHRASE_WORDS))
    too_long = longest + " more"
    expected = f"expected a phrase of at most {MAX_PHRASE_WORDS} words and punctuation marks, got"
    calls: list[tuple[str, Callable[[], object]]] = [
        ("scorer 'mine': ", lambda: empathykit.scorers.phrases("mine", [too_long])),
        ("apology: extra phrases: ", lambda: empathykit.scorers.apology(extra_phrases=[too_long])),
        (
            "apology: exclude_phrases: ",
            lambda: empathykit.scorers.apology(exclude_phrases=[too_long]),
        ),
        (
            "<string>:2: scorers.mine.phrases: ",
            lambda: empathykit.load_scorers(f'[scorers.mine]\nphrases = ["{too_long}"]\n'),
        ),
    ]
    for where, call in calls:
        with pytest.raises(ConfigurationError) as caught:
            call()
        assert str(caught.value).startswith(f"{where}{expected} {MAX_PHRASE_WORDS + 1} in 'w0 w1")
    with pytest.raises(ConfigurationError, match=expected):
        empathykit.scorers.phrases("mine", ["w " * 350])  # was a RecursionError
    mine = empathykit.scorers.phrases("mine", [longest])
    report = empathykit.score([("customer", "Hi."), ("agent", f"So: {longest}.")], scorers=[mine])
    assert [longest] == [e.text for e in report["mine"].evidence]
