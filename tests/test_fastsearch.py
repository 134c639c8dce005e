"""Fast search (empathykit._fastsearch): a pattern rewritten to be searched faster must
find the same matches, at the same places, as the pattern it was written from.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import re
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest
from hypothesis import given
from hypothesis import strategies as st

from empathykit._analysis import customer_cues
from empathykit._fastsearch import first_chars, guarded, lift_guards, search_pattern, unparse
from empathykit._keys import text_keys
from empathykit._lexicon import Cue, CueSet, builtin_cues
from test_keys import QUANTIFIERS, turn_texts
from test_keys import patterns as key_patterns

SCORERS = ("active_listening", "emotional_acknowledgement", "apology", "solution_offer")


def _all_sets() -> list[CueSet]:
    return [builtin_cues(name) for name in SCORERS] + [customer_cues()]


# Patterns built from the pieces cue authors use, with the guards the rewrite moves.
ATOMS = st.sampled_from(
    [
        "sorry", "so", "we", "i", r":\(", ":", "'ll", r"\w*", r"\s+", r"\S+", r"[^\w.!?\n]+",
        r"\b", r"\B", r"(?<!\w)", r"(?<![\w'])", r"(?<=\s)", r"(?<!\bnot\s)", r"(?<=^)",
        r"(?<![^\n])", r"(?!\w)", r"(?=\w)", r"[sz]", r"[a-d]", r"e?", ".", "x{2,3}",
        r"(?i:so)", r"(?>we|i)", "$", "^", r"\d", "(so)", r"(?P<n>we)", "_",
    ]
)  # fmt: skip


def patterns() -> st.SearchStrategy[str]:
    return key_patterns(atoms=ATOMS, quantifiers=(*QUANTIFIERS, "{0}"))


# -- first_chars and guarded: a look-ahead for where a match can start -------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!\w)sorry", {"s"}),
        (r"(?<!['’]m\s)(?<!\bam\s)\b(?:sorry|apolog\w*)", {"s", "a"}),  # guards skipped
        (r"(?:so)?rry", {"s", "r"}),  # an optional first part: both can start it
        (r"\b(?:we|i)(?:'ll|\s+will)", {"w", "i"}),
        (r"[a-c]x|:\(", {"a", "b", "c", ":"}),
        (r"(?>ab|c)d", {"a", "c"}),
        (r"(?=\w)x*y", {"x", "y"}),
    ],
)
def test_first_chars_examples(pattern: str, expected: set[str]) -> None:
    assert frozenset(expected) == first_chars(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+ing",  # a category: any word character
        r"x?",  # may match nothing
        r"(?:\bsorry)?",
        r"(?i:sorry)",  # its own flags: "S" and "ſ" start a match too
        r"[^a]b",  # a negated class
        r".x",
        r"\d+",
    ],
)
def test_first_chars_none_when_they_cannot_be_told(pattern: str) -> None:
    assert None is first_chars(pattern)


def test_first_chars_none_for_a_case_insensitive_pattern() -> None:
    assert None is first_chars("sorry", re.IGNORECASE)


@pytest.mark.parametrize(
    ("pattern", "flags", "text", "expected"),
    [
        ("(?#c)(?i)abc", 0, "ABC", [(0, 3)]),  # flags for the whole pattern, after a comment
        ("(?#c)(?s)a.", 0, "a\n", [(0, 2)]),
        ("(?#c)(?m)a$", 0, "a\nb", [(0, 1)]),
        ("(?#c)(?a)é\\b", 0, "éé", []),
        ("(?s)ab", re.DOTALL, "ab", [(0, 2)]),  # the same flag given twice
        ("ab # a comment", re.VERBOSE, "xab", [(1, 3)]),  # a verbose pattern's last comment
    ],
)
def test_search_pattern_keeps_flags_and_comments(
    pattern: str, flags: int, text: str, expected: list[tuple[int, int]]
) -> None:
    """Found by review: a pattern's own flags, or a comment at its end, must survive."""
    rewritten = search_pattern(pattern, flags)
    assert expected == [m.span() for m in re.finditer(pattern, text, flags)]
    assert expected == [m.span() for m in re.finditer(rewritten, text, flags)]


def test_search_pattern_survives_a_pattern_nested_too_deep_to_write_back() -> None:
    # Deep enough that writing it back recurses too deep on CPython 3.11 to 3.13 (3.12 and
    # later recurse less per level: 250 was not enough there), shallow enough to compile.
    pattern = "a" + "(?=b" * 400 + ")" * 400
    re.compile(pattern)
    assert None is lift_guards(pattern)
    text = "xab" + "b" * 450
    assert [(1, 2)] == [m.span() for m in re.finditer(search_pattern(pattern), text)]


def test_guarded_keeps_a_pattern_that_sets_its_own_flags() -> None:
    assert "(?x) sorry" == guarded("(?x) sorry")
    assert "(?#c)(?i)abc" == guarded("(?#c)(?i)abc")
    assert None is first_chars("(?#c)(?i)sorry")
    assert r"\w+" == guarded(r"\w+")


def _valid(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:  # the pieces can make an invalid pattern: "(?P<n>we)(?P<n>we)"
        return False
    return True


@given(patterns(), turn_texts())
def test_every_match_starts_with_one_of_its_first_chars(pattern: str, text: str) -> None:
    chars = first_chars(pattern)
    if chars is None or not _valid(pattern):
        return
    for match in re.finditer(pattern, text):
        assert match.end() > match.start(), pattern  # first_chars is None when empty
        assert text[match.start()] in chars, (pattern, match.group())


@given(patterns(), turn_texts())
def test_a_guarded_pattern_finds_the_same_matches(pattern: str, text: str) -> None:
    if not _valid(pattern):
        return
    plain = [(m.span(), m.groups()) for m in re.finditer(pattern, text)]
    assert plain == [(m.span(), m.groups()) for m in re.finditer(guarded(pattern), text)]


def test_a_verbose_pattern_ending_in_a_comment_still_compiles() -> None:
    """Wrapped in a group, a pattern whose last line is a comment would lose the
    group's closing bracket to it: such a pattern is searched unguarded."""
    cue = Cue(
        rule="x.y",
        weight=1.0,
        explanation="x",
        regex=re.compile("sorry  # a comment", re.IGNORECASE | re.VERBOSE),
    )
    assert [(0, 5)] == [m.span() for m in cue.finditer("sorry!", "sorry!", text_keys("sorry!"))]


def test_bundled_cues_are_searched_with_a_rewritten_pattern() -> None:
    """Nearly every alternative of the bundled cues is searched lifted or guarded, not
    as it was written (compiled on first use)."""
    compiled = [
        (part, cue._searcher(number).pattern)
        for cues in _all_sets()
        for cue in (*cues.cues, *cues.blockers)
        for number, part in enumerate(cue.parts)
    ]
    rewritten = [part for part, search in compiled if part != search]
    assert len(rewritten) >= 0.96 * len(compiled), len(rewritten) / len(compiled)  # 938 of 970


# -- lift_guards and unparse: letters first, guards after them ----------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!\w)sorry", r"sorry(?<![\w]sorry)"),
        (r"\bsorry", r"sorry(?<![\w]sorry)"),  # \b before a letter: none before it
        (r"\b:\(", r":\((?<=[\w]:\()"),  # \b before a mark: a word character before it
        (r"(?:(?<!\bnot\s)\bsorry)", r"sorry(?<!\bnot[\s]sorry)(?<![\w]sorry)"),
        (r"(?<!\w)(?:we|i)\b", r"(?:we(?<![\w]we)|i(?<![\w]i))\b"),
        (r"ok|(?<!\w)no", r"(?:ok|no(?<![\w]no))"),  # an alternative with no guard
    ],
)
def test_lift_guards_examples(pattern: str, expected: str) -> None:
    assert expected == lift_guards(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?=\w)sorry",  # a look-ahead cannot move behind the letters it looks at
        r"(?<!\w)\w+",  # no letters spelt out
        r"(?<!\w)(?:sorry|\d+)",  # one alternative without letters
        r"(?<!\w)(?:so)?rry",  # letters that may not be there
        r"\Bsorry",
        r"(?<!\w)(a)\1",  # a back-reference
        r"(?<!\w)(so)rry",  # a group: copied into alternatives, it would be two
        r"(?i)sorry",  # flags for the whole pattern
    ],
)
def test_lift_guards_none_when_nothing_can_be_lifted(pattern: str) -> None:
    assert None is lift_guards(pattern)


def test_lift_guards_leaves_case_insensitive_and_verbose_patterns() -> None:
    assert None is lift_guards(r"(?<!\w)sorry", re.IGNORECASE)
    assert None is lift_guards(r"(?<!\w)sorry", re.VERBOSE)
    assert None is lift_guards(r"\bétat", re.ASCII)  # \b: "é" is no word character there


TEXTS = st.one_of(turn_texts(), st.text(alphabet="sorywei :(_'\n.x2", max_size=40))


def _found(pattern: str, text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in re.finditer(pattern, text)]


@given(patterns(), TEXTS)
def test_unparse_writes_back_a_pattern_with_the_same_matches(pattern: str, text: str) -> None:
    if not _valid(pattern):
        return
    parsed = sre_parse.parse(pattern)
    assert _found(pattern, text) == _found(unparse(parsed), text)


@given(patterns(), TEXTS)
def test_a_lifted_pattern_finds_the_same_matches(pattern: str, text: str) -> None:
    if not _valid(pattern):
        return
    lifted = lift_guards(pattern)
    if lifted is not None:
        assert _found(pattern, text) == _found(lifted, text)
    assert _found(pattern, text) == _found(search_pattern(pattern), text)


def test_a_lifted_pattern_opens_with_letters_the_engine_can_skip_to() -> None:
    """What makes it fast: Python's compiler finds a literal prefix, or a set of first
    characters, only for a pattern that opens with letters (checked on its output)."""
    for pattern in (r"(?<!\w)(?<!\bnot\s)sorry", r"\b(?:sorry|apolog\w*)"):
        lifted = lift_guards(pattern)
        assert lifted is not None
        first = sre_parse.parse(lifted)[0]
        assert first[0] in (sre_parse.LITERAL, sre_parse.BRANCH), lifted


def test_most_bundled_cue_alternatives_are_lifted() -> None:
    parts = [
        part for cues in _all_sets() for cue in (*cues.cues, *cues.blockers) for part in cue.parts
    ]
    lifted = [part for part in parts if lift_guards(part) is not None]
    assert len(lifted) >= 0.92 * len(parts), len(lifted) / len(parts)  # 898 of 970
