"""Key words (empathykit._keys): skipping cues a turn cannot match must not change a match.

The promise is exact: searching a turn with only the alternatives whose keys it has finds
the same matches, in the same order, as searching it with the whole pattern.
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from empathykit._analysis import _folded, customer_cues
from empathykit._keys import (
    KeyIndex,
    alternatives,
    key_sets,
    required_keys,
    text_keys,
)
from empathykit._lexicon import (
    CueSet,
    builtin_cues,
    compile_cues,
    cues_from_tables,
    load_lexicon,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

SCORERS = ("active_listening", "emotional_acknowledgement", "apology", "solution_offer")


# -- required_keys: examples ------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!\w)sorry(?!\w)", {"sorr"}),  # a long word: its first four letters
        (r"\bi\s+see\b", {"see"}),  # the rarer word of the two ("i" is a stop word)
        (r"\b(?:help|assist)\w*", {"help", "assi"}),  # alternatives join
        (r"\bfrustrat\w*", {"frus"}),  # a wildcard after four letters still has a key
        (r"\bapolog(?:ise|ize)\b", {"apol"}),
        (r"\bso+rry\b", {"soor", "sorr", "sooo"}),  # a repeat inside the first four letters
        (r"(?<=\w\s)(?:can|could)\s+help\b", {"help"}),
        (r":\(|:-\(", {":"}),  # punctuation marks are keys of their own
        (r"\bsorry(?:\s+about)?\b", {"sorr"}),  # an optional part proves nothing
        (r"https?://\S+", {"/"}),  # no guard before "http": only the marks are proved
        # a short word beside longer ones: the boundary after the group ends it there
        (r"\b(?:sad|frustrat\w*)\b", {"sad", "frus"}),
        (r"\b(?:sad|cv)[,.]", {"sad", "cv"}),
    ],
)
def test_required_keys_examples(pattern: str, expected: set[str]) -> None:
    assert frozenset(expected) == required_keys(pattern, ["i", "we", "you"])


@pytest.mark.parametrize(
    "pattern",
    [
        r"sorry",  # no guard: may start inside a word ("unsorry")
        r"\b\w+ing\b",  # no word spelt out
        r"\bsor\w*",  # too short to know its key, and nothing else
        r"(?:\bsorry)?",  # may match nothing
        r".{0,3}",
        r"\s+ok",  # "ok" is shorter than a key and might go on: "okay"
        r"\b(?:sad|frustrat\w*)",  # "sad" might go on: "sadness"
        r"\b(?:sad|frustrat\w*)\w",
    ],
)
def test_required_keys_none_when_nothing_is_proved(pattern: str) -> None:
    assert required_keys(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?!x)sorry", "unsorry"),  # look-arounds that are not guards
        (r"(?<=[a-z])sorry", "xsorry"),
        (r"(?=\w)sorry", "nosorry"),
        (r"(?<![\w'] )sorry", "unsorry"),  # two characters back: not a guard
        (r"\bso\w*", "sorrowful"),
        (r"\b(?:so|un)+happy", "sounhappy"),
        (r"(?<!\w)mm+\b", "mmmmmm"),
        (r"\bok", "okay"),
        (r"(?<![^\w])sorry", "unsorry"),  # negated classes are not guards
        (r"\bso(?![^\w])", "sorry"),
    ],
)
def test_required_keys_hold_where_a_match_starts_inside_a_word(pattern: str, text: str) -> None:
    assert re.search(pattern, text) is not None
    keys = required_keys(pattern)
    assert keys is None or keys & text_keys(text)


def test_text_keys_are_word_heads_and_marks() -> None:
    assert frozenset({"we", "'", "re", "so", "sorr", "!", "2"}) == text_keys("we're so sorry! 2")


# -- alternatives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a|b", ("a", "b")),
        (r"(?:a|b)|c", ("(?:a|b)", "c")),
        (r"[|]a|\|b", ("[|]a", r"\|b")),  # a "|" in a class or escaped does not split
        (r"[]|]a|b", ("[]|]a", "b")),  # a "]" first in a class is a literal
        (r"[^]|]a|b", ("[^]|]a", "b")),
        (r"(?i)a|b", (r"(?i)a|b",)),  # global flags: kept whole
        (r"(a)\1|b", (r"(a)\1|b",)),  # a back-reference: kept whole
        (r"a|b?", ("a|b?",)),  # an alternative that can match nothing: kept whole
        ("(?x: a # (\n)|b", ("(?x: a # (\n)|b",)),  # a "(" in a verbose comment
    ],
)
def test_alternatives(pattern: str, expected: tuple[str, ...]) -> None:
    assert expected == alternatives(pattern)


def test_alternatives_of_a_phrase_list_keep_the_longest_phrase_first() -> None:
    regex = compile_cues(["sorry", "sorry to hear", "so sad"], trusted=True)
    assert regex is not None
    parts = alternatives(regex.pattern)
    assert 2 == len(parts)  # one per first word
    assert "so sad" == re.compile("|".join(parts)).search("so sad").group()  # type: ignore[union-attr]


def test_key_index_masks() -> None:
    sorry, apologies, question = frozenset({"sorr"}), frozenset({"apol"}), frozenset({"?"})
    index = KeyIndex.build([[[sorry], [apologies], None], [[question]]])
    assert [(0, 0b101)] == index.masks(text_keys("so sorry"))
    assert [(0, 0b110), (1, 1)] == index.masks(text_keys("apologies?"))
    both = KeyIndex.build([[[sorry, question]]])  # needs a key of each set
    assert [] == both.masks(text_keys("so sorry"))
    assert [(0, 1)] == both.masks(text_keys("sorry?"))


def test_key_index_needs_a_key_of_every_set_not_only_the_first_two() -> None:
    sets = key_sets(r"\bsorry\s+to\s+hear\s+about\b", ["to", "about"])
    assert [{"hear"}, {"sorr"}, {"abou"}, {"to"}] == sets  # least common first
    index = KeyIndex.build([[sets]])
    assert [] == index.masks(text_keys("sorry, I didn't hear you"))  # no "about", no "to"
    assert [] == index.masks(text_keys("sorry, I didn't hear about it"))  # no "to"
    assert [(0, 1)] == index.masks(text_keys("sorry to hear about it"))
    assert 2 == len(key_sets(r"\bsorry\s+to\s+hear\s+about\b", ["to", "about"], limit=2))


# -- the promise: the same matches ------------------------------------------------------


def _lexicon_words() -> list[str]:
    words: set[str] = set()
    for name in (*SCORERS, "customer"):
        data = load_lexicon(name)
        for table in (*data.get("rules", {}).values(), *data.get("signals", {}).values()):
            for phrase in table.get("phrases", []):
                words.update(re.findall(r"[\w'’]+", phrase.replace("*", "")))
    return sorted(words)


WORDS = _lexicon_words()
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(["I", "we", "you", "it", "can", "will", "'ll", "’re", "not", "help", "dm"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéß_0123456789", min_size=1, max_size=8),
    st.sampled_from([".", ",", "!", "?", ":(", ":)", "-", "'", "’", "…", "😡", "http://x.y/z"]),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", "", ", ", " - ", "\t", "-", ","])


@st.composite
def turn_texts(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.tuples(PIECES, SEPARATORS), max_size=30))
    text = "".join(piece + separator for piece, separator in pieces)
    if draw(st.booleans()):
        text = text.upper() if draw(st.booleans()) else text.title()
    return text


def _all_sets() -> list[CueSet]:
    return [builtin_cues(name) for name in SCORERS] + [customer_cues()]


def _plain(cues: CueSet, text: str) -> list[tuple[str, tuple[int, int]]]:
    found = [(c.rule, m.span()) for c in cues.cues for m in c.regex.finditer(text)]
    return found + [(c.rule, m.span()) for c in cues.blockers for m in c.regex.finditer(text)]


def _keyed(cues: CueSet, text: str) -> list[tuple[str, tuple[int, int]]]:
    """What the scorers find: the lower-cased text and its keys where the analysis gives
    them (``_folded``), the text as it is where it does not."""
    folded = _folded(text)
    if folded is None:
        return _plain(cues, text)
    keys = text_keys(folded)
    found = [(c.rule, m.span()) for c, m in cues.cue_matches(text, folded, keys)]
    return found + [(c.rule, m.span()) for c, m in cues.blocker_matches(text, folded, keys)]


@given(turn_texts())
def test_bundled_cues_find_the_same_matches_with_keys(text: str) -> None:
    for cues in _all_sets():
        assert _plain(cues, text) == _keyed(cues, text)


def test_bundled_cues_find_the_same_matches_on_written_turns() -> None:
    turns = [
        "I'm so sorry about the delay, we'll look into it and I can refund you today.",
        "That sounds really frustrating :( Have you tried restarting the app?",
        "So you were charged twice? Please DM us your booking reference.",
        "WHY is nobody answering?!! This is the third time I've asked for help.",
        "Thanks, that worked. You've been brilliant 😊",
        "It's sad, sadly. Such sadness; see your GP or update your CV (cvs, gps) today.",
    ]
    matched = 0
    for text in turns:
        for cues in _all_sets():
            plain = _plain(cues, text)
            assert plain == _keyed(cues, text)
            matched += len(plain)
    assert matched > 10  # the turns do exercise the cues


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bsorry[\s-]about\b", "Sorry about that"),  # [\s-] is a space here, not "-"
        (r"\bthanks[\s!]+for\b", "thanks for this"),
        (r"\bfollow[\s-]up\b", "we will follow up"),
        (r"\bso[\sr]ry\b", "so ry"),  # [\sr] may be a space: no word "sorr"
        (r"(?a:\bété\b)", "xétéx"),  # ASCII \b: "é" is not in words
        (r"(?a)\bété\b", "xétéx"),
        (r"\bcaf(?a:\b)", "cafés"),
        (r"\bab(?!\wx)", "abc"),  # (?!\wx) lets a word character through: "ab" need not end
        (r"\b(?:sad|mad)(?!\wq)", "sadly"),
        (r"(?:x|)(?!\w\b)apolog", "xapologx"),
    ],
)
def test_keys_hold_where_a_class_mixes_categories_a_group_is_ascii_or_a_look_ahead_is_long(
    pattern: str, text: str
) -> None:
    folded = text.lower()
    matched = [m.span() for m in re.finditer(pattern, folded)]
    assert matched  # the example does match
    present = text_keys(folded)
    for needed in key_sets(pattern):
        assert needed & present, sorted(needed)
    cues = cues_from_tables("mine", {"r": {"patterns": [pattern]}}, {}, where="test")
    assert _plain(cues, text) == _keyed(cues, text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bsorry\b", "ſorry"),  # IGNORECASE pairs "ſ" with "s"; lower() keeps it "ſ"
        (r"\bapolog\w*", "I apologıze"),  # and "ı" with "i"
        (r"\b(?i:sorry)\b", "I'm ſorry"),
        (r"[^a-z]", "ı"),
        (r"\bμ\b", "µ"),
        (r"\bσ\b", "ς"),
        (r"(?-i:sorry)", "SORRY"),  # a group that turns IGNORECASE off
        (r"(?a:é)", "É"),  # ASCII-only: "é" does not match "É"
        (r"\b\x41bc\b", "abc"),  # an upper-case letter spelt as an escape
        (r"\bǅab\b", "ǅab"),  # a title-case letter
    ],
)
def test_cues_match_lower_cased_text_as_they_match_the_text(pattern: str, text: str) -> None:
    """Cues search the lower-cased text without IGNORECASE only where that finds what
    the pattern finds in the text with it; else they search the text as it is."""
    cues = cues_from_tables("mine", {"r": {"patterns": [pattern]}}, {}, where="test")
    assert _plain(cues, text) == _keyed(cues, text)


# Patterns built from the pieces cue authors use, for the soundness of required_keys.
ATOMS = st.sampled_from(
    [
        "sorry", "apolog", "we", "i", "help", "feel", "so", "ok", "ing", ":", "'ll", "’s",
        r"\w*", r"\w+", r"\s+", r"\s*", r"[^\w.!?\n]+", r"\b", r"(?<!\w)", r"(?!\w)",
        r"(?<=\s)", r"(?!x)", r"(?=\w)", r"(?<=[a-z])", r"[sz]", r"e?", ".", r"\S+", "x{2,3}",
        # classes that mix a category with marks or letters, and ASCII-only words
        r"[\s-]", r"[-\s]+", r"[\s,]", r"[\W-]", r"[\sr]", r"[,\s]*", r"[\s\d]", r"[\w-]",
        "-", r"\W", r"[^\W\d_]", r"\B", r"(?a:\b)", r"(?a:\w+)", r"(?!\wx)", r"(?!\w\b)",
    ]
)  # fmt: skip


#: How a group of alternatives may repeat. Unbounded repeats of a group are possessive:
#: "(?:\w*)*" backtracks exponentially on a long text and once hung the suite; the key
#: walk treats possessive and greedy repeats alike.
QUANTIFIERS = ("", "", "?", "*+", "++", "{1,2}")


@st.composite
def patterns(
    draw: st.DrawFn,
    depth: int = 0,
    atoms: st.SearchStrategy[str] = ATOMS,
    quantifiers: tuple[str, ...] = QUANTIFIERS,
) -> str:
    items = []
    for _ in range(draw(st.integers(1, 5))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            inner = patterns(depth + 1, atoms, quantifiers)
            branches = draw(st.lists(inner, min_size=1, max_size=3))
            quantifier = draw(st.sampled_from(quantifiers))
            items.append("(?:" + "|".join(branches) + ")" + quantifier)
        else:
            items.append(draw(ATOMS))
    return "".join(items)


@given(patterns(), turn_texts())
def test_every_match_contains_a_required_key(pattern: str, text: str) -> None:
    try:
        regex = re.compile(pattern)
    except re.error:
        return
    keys = required_keys(pattern)
    folded = text.lower()
    if keys is None or len(folded) != len(text):
        return
    for match in regex.finditer(folded):
        if match.end() > match.start():
            assert keys & text_keys(folded), (pattern, match.group())


@given(patterns(), turn_texts())
def test_a_text_with_a_match_has_a_key_of_every_set(pattern: str, text: str) -> None:
    """The key index skips a text that lacks a key of any one set (not only the first
    two), so every set :func:`key_sets` proves must hold wherever the pattern matches."""
    try:
        regex = re.compile(pattern)
    except re.error:
        return
    folded = text.lower()
    if len(folded) != len(text):
        return
    if any(m.end() > m.start() for m in regex.finditer(folded)):
        present = text_keys(folded)
        for needed in key_sets(pattern):
            assert needed & present, (pattern, sorted(needed))


@given(st.lists(patterns(), min_size=1, max_size=4), turn_texts())
def test_user_cues_find_the_same_matches_with_keys(chosen: list[str], text: str) -> None:
    try:
        cues = cues_from_tables(
            "mine",
            {
                f"r{i}": {"patterns": [p], "phrases": ["so sorry", "we can help"]}
                for i, p in enumerate(chosen)
            },
            {},
            where="test",
            trusted=True,
        )
    except Exception:  # an invalid generated pattern
        return
    assert _plain(cues, text) == _keyed(cues, text)


def test_every_bundled_cue_is_searched_only_where_its_keys_are() -> None:
    """Every alternative of every bundled cue and blocker has keys: none is searched in
    every turn (a cue without keys costs a regular-expression search of every turn)."""
    unkeyed = [
        cues.cues[number].rule for cues in _all_sets() for number in cues._cue_index.always
    ] + [
        cues.blockers[number].rule for cues in _all_sets() for number in cues._blocker_index.always
    ]
    assert [] == unkeyed
