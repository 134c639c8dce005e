"""Cue phrases as data: loading the bundled TOML lexicons and compiling phrases to patterns.

A *phrase* is plain text matched the way empathykit reads turns: case-insensitively, on
word boundaries, with any run of spaces or light punctuation between its words, and
straight or curly apostrophes alike. A word ending in ``*`` matches any ending
(``frustrat*`` matches "frustrating", "frustration"). A *pattern* is a regular
expression for what phrases cannot say; user patterns are guarded against catastrophic
backtracking (see :func:`compile_cues`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from re import _casefix  # type: ignore[attr-defined]
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

import attrs

from ._fastsearch import parsed_first_chars, search_pattern, unparse
from ._keys import KeyIndex, alternatives, key_sets
from .exceptions import ConfigurationError

__all__ = [
    "Cue",
    "CueSet",
    "compile_cues",
    "load_lexicon",
    "phrase_to_regex",
    "phrases_to_regex",
]

_APOSTROPHE_RE = re.compile("['’]")
_PHRASE_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*\*?|[^\w\s]")
# What may stand between two words of a phrase: spaces and light punctuation, never a
# sentence end. Bounded, so it can never backtrack far.
_GAP = r"[^\w.!?\n]+"

#: Longest user-supplied pattern, in characters.
MAX_PATTERN_LENGTH = 500
#: Most words (and punctuation marks) in one phrase; the longest bundled phrase has 6.
MAX_PHRASE_WORDS = 100
_REPEATS = frozenset({_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT})


def _phrase_units(phrase: str) -> tuple[str, list[str], str]:
    """Split a phrase into (head guard, one regex unit per token, tail guard)."""
    if not isinstance(phrase, str):
        raise ConfigurationError(f"expected a phrase as a str, got {type(phrase).__name__}")
    tokens = _PHRASE_TOKEN_RE.findall(phrase)
    if not tokens:
        raise ConfigurationError(f"expected a phrase with at least one word, got {phrase!r}")
    if len(tokens) > MAX_PHRASE_WORDS:
        raise ConfigurationError(
            f"expected a phrase of at most {MAX_PHRASE_WORDS} words and punctuation marks, "
            f"got {len(tokens)} in {phrase!r:.80}"
        )
    units: list[str] = []
    for index, token in enumerate(tokens):
        wildcard = token.endswith("*") and len(token) > 1
        body = token[:-1] if wildcard else token
        unit = _APOSTROPHE_RE.sub("['’]", re.escape(body.lower()))
        if wildcard:
            unit += r"\w*"
        if index:
            previous_is_word = tokens[index - 1][0].isalnum()
            unit = (_GAP if previous_is_word and body[0].isalnum() else r"\s{0,3}") + unit
        units.append(unit)
    head = r"(?<!\w)" if tokens[0][0].isalnum() else ""
    tail = r"(?!\w)" if tokens[-1][-1].isalnum() or tokens[-1].endswith("*") else ""
    return head, units, tail


def phrase_to_regex(phrase: str) -> str:
    """Return the regular expression (without flags) that matches ``phrase``.

    Raises:
        ConfigurationError: The phrase has no words, or more than
            :data:`MAX_PHRASE_WORDS` words and punctuation marks.

    Example:
        >>> import re
        >>> bool(re.search(phrase_to_regex("we're sorry"), "We’re  SORRY!", re.I))
        True
    """
    head, units, tail = _phrase_units(phrase)
    return head + "".join(units) + tail


_Trie = dict[str, "_Trie | str"]


def _branches(node: _Trie) -> list[str]:
    end = node.get("")
    branches = [
        unit + _emit(child)
        for unit, child in sorted(node.items())
        if unit and isinstance(child, dict)
    ]
    if isinstance(end, str):
        branches.append(end)  # the shorter phrase, tried after every longer one
    return branches


def _emit(node: _Trie) -> str:
    branches = _branches(node)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def phrases_to_regex(phrases: Iterable[str]) -> str | None:
    """One regular expression matching any of ``phrases``, built as a trie.

    Phrases that share leading words share one branch ("sorry to hear|sorry to read"
    becomes "sorry to (?:hear|read)"), so Python's backtracking engine tests each
    position against a few first letters instead of every phrase: about ten times
    faster on the bundled lists, with the same matches (the longest phrase wins).
    """
    tries: dict[str, _Trie] = {}
    for phrase in phrases:
        head, units, tail = _phrase_units(phrase)
        node = tries.setdefault(head, {})
        for unit in units:
            child = node.setdefault(unit, {})
            assert isinstance(child, dict)
            node = child
        node[""] = tail
    if not tries:
        return None
    # One top-level alternative per first word, so that each gets its own keys.
    return "|".join(
        head + branch for head, node in sorted(tries.items()) for branch in _branches(node)
    )


#: Code points IGNORECASE also treats as equal, beyond lower case (re's own table).
_EXTRA_CASES: dict[int, tuple[int, ...]] = _casefix._EXTRA_CASES


def _fold(code: int) -> str:
    """The one character all case-insensitive spellings of ``code`` share, as
    IGNORECASE matching sees them: the lower case, joined with the engine's extra pairs
    (``s`` and ``ſ``, ``σ`` and ``ς``, ``θ`` and ``ϑ``…).

    >>> _fold(ord("S")), _fold(ord("ſ")), _fold(ord("K"))
    ('s', 's', 'k')
    """
    lower = chr(code).lower()
    low = ord(lower) if len(lower) == 1 else code
    return chr(min((low, *_EXTRA_CASES.get(low, ()))))


def _starts(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a parsed regex sequence can start with (``None``: any), and whether
    it can match the empty string. Literals are folded: patterns ignore case."""
    return parsed_first_chars(items, fold=_fold)


def _overlapping(branches: list[Any]) -> bool:
    """Whether two alternatives could both match at one position (or one matches nothing)."""
    seen: set[str] = set()
    for branch in branches:
        first, empty = _starts(branch)
        if first is None or empty or seen & first:
            return True
        seen |= first
    return False


def _hazard(items: Any, repeated: bool) -> str | None:
    """Why a parsed pattern can backtrack catastrophically, or ``None``.

    ``repeated`` is true inside a group that repeats more than once ("+", "*", "{2,}",
    "{20}"). There a second variable repetition ("(a+)+", "(.*a){20}", "(a?a?)+") or
    alternatives that can match the same text ("(a|a)*", "(a|ab)*") let the engine split
    one run of text in exponentially many ways when the rest of the pattern fails.
    """
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            many = high > 1
            if repeated and low != high and op is not _sre.POSSESSIVE_REPEAT:
                return "nested"
            found = _hazard(body, repeated or many)
        elif op is _sre.SUBPATTERN:
            found = _hazard(av[-1], repeated)
        elif op is _sre.ATOMIC_GROUP:
            found = _hazard(av, False)  # the engine never backtracks into it
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            found = _hazard(av[1], repeated)
        elif op is _sre.BRANCH:
            if repeated and _overlapping(av[1]):
                return "alternation"
            found = next((h for b in av[1] if (h := _hazard(b, repeated)) is not None), None)
        elif op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            return "back-reference"
        else:
            found = None
        if found is not None:
            return found
    return None


#: Most gaps that can run across words (``.*``, ``[^.]*``) a user pattern may hold one
#: after another. With ``k`` of them, searching a turn that almost matches takes time
#: that grows with its length to the power ``k + 1``: with 2, a turn of 4,800 characters
#: takes about 0.1 s at worst; with 3, seconds; with 4, over a minute.
MAX_WIDE_GAPS = 2


def _wide_gaps(items: Any) -> int:
    """The most unbounded repeats of a character that can be a letter or a space (such as
    ``.*`` and ``[^.]*``, but not ``\\w+`` or ``\\s*``) on any one path through a parsed
    pattern, one after another. Possessive repeats never backtrack and do not count;
    repeats nested in repeats are refused by :func:`_hazard`."""
    total = 0
    for op, av in items:
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            _, high, body = av
            wide = high is _sre.MAXREPEAT and len(body) == 1 and _spans_words(*body[0])
            total += 1 if wide else _wide_gaps(body)
        elif op is _sre.SUBPATTERN:
            total += _wide_gaps(av[-1])
        elif op is _sre.ATOMIC_GROUP:
            total += _wide_gaps(av)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            total += _wide_gaps(av[1])
        elif op is _sre.BRANCH:
            total += max(_wide_gaps(branch) for branch in av[1])
    return total


def _spans_words(op: Any, av: Any) -> bool:
    """Whether one parsed character item matches both a letter and a space."""
    if op is _sre.ANY or op is _sre.NOT_LITERAL:
        return True
    if op is not _sre.IN:
        return False
    try:
        item = re.compile(unparse([(op, av)]), re.IGNORECASE)
    except Exception:  # (unforeseen: count it, to be safe)
        return True
    return all(item.fullmatch(char) for char in ("e", " "))


def _can_match_empty(parsed: Any) -> bool:
    """Whether a parsed pattern has a way through it that reads no character (``a*``,
    ``(?:sorry)?``, ``\\b``, ``x|``, a look-around alone)."""
    try:
        return bool(parsed.getwidth()[0] == 0)
    except (RecursionError, OverflowError):  # (compiling it reports these)
        return False


_HAZARDS = {
    "nested": "repeats a group that itself repeats (like '(a+)+', '(a?a?)+' or '(.*a){20}')",
    "alternation": "repeats alternatives that can match the same text (like '(a|a)*' or '(a|ab)+')",
    "back-reference": "uses a back-reference",
}


def _check_user_pattern(pattern: str, where: str) -> None:
    """Refuse a user pattern that could backtrack catastrophically.

    The pattern is parsed with Python's own regex parser and refused when it is longer than
    :data:`MAX_PATTERN_LENGTH` characters, or when, inside a group repeated more than once,
    it repeats something a variable number of times again (``(a+)+``, ``(\\w+\\s?)*$``,
    ``(.*a){20}``, ``(?:a?a?)+``), or has alternatives that can start with the same
    character or match nothing (``(a|a)*b``, ``(a|ab)+``), or when it uses a
    back-reference (``(a)\\1``).
    Possessive repeats (``a++``) and atomic groups (``(?>a+)``), which never backtrack,
    are allowed. More than :data:`MAX_WIDE_GAPS` gaps that can run across words one after
    another (``a.*b.*c.*d``) are refused too (see :func:`_wide_gaps`). What remains is at
    worst polynomial of a low degree in the length of a turn: a sequence of narrower
    repeats that can match the same text, such as ``\\s*,?\\s*``, is not refused.
    Last, a pattern that can match empty text (``a*``, ``(?:sorry)?``, ``\\b``) is
    refused: an empty match is never evidence, so it would do nothing there, and it is
    searched in every turn. The test is Python's own shortest width of the pattern, in
    which look-arounds read nothing, so ``(?=\\w)\\w*``, which never matches empty text,
    is refused too (write ``\\w+``).

    Raises:
        ConfigurationError: The pattern is too long, could backtrack catastrophically, or
            can match empty text.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ConfigurationError(
            f"{where}: expected a pattern of at most {MAX_PATTERN_LENGTH} characters, "
            f"got {len(pattern)}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # compiling it reports them
            parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError):
        return  # compiling it reports the error
    gaps = _wide_gaps(parsed)
    if gaps > MAX_WIDE_GAPS:
        raise ConfigurationError(
            f"{where}: pattern {pattern!r} has {gaps} gaps that can run across words one "
            f"after another (like '.*' or '[^.]*'); expected at most {MAX_WIDE_GAPS}: the "
            "time to search a turn grows with its length to the power of their number "
            "plus one, so that with 3 one long turn can take seconds; bound them "
            "('.{0,60}') or split the pattern"
        )
    hazard = _hazard(parsed, False)
    if hazard is not None:
        raise ConfigurationError(
            f"{where}: pattern {pattern!r} {_HAZARDS[hazard]}, which can take exponential "
            "time; rewrite it without that"
            + (
                " (a possessive 'a++' or an atomic group '(?>...)' never backtracks)"
                if hazard != "back-reference"
                else ""
            )
        )
    if _can_match_empty(parsed):
        raise ConfigurationError(
            f"{where}: pattern {pattern!r} can match empty text (it has a way through "
            "that reads no character; look-arounds and '\\b' read none); expected a "
            "pattern whose every match holds at least one character, since an empty match "
            "is never evidence; make a part of it required ('sorry', not '(?:sorry)?'; "
            "'\\w+', not '\\w*')"
        )


def compile_cues(
    phrases: Iterable[str] = (),
    patterns: Iterable[str] = (),
    *,
    where: str = "cue list",
    trusted: bool = False,
) -> re.Pattern[str] | None:
    """Compile phrases and patterns into one case-insensitive alternation.

    Phrases are compiled as a trie (see :func:`phrases_to_regex`), so the longest
    phrase at a position wins. ``trusted`` is
    for the bundled lexicons; user patterns are checked for the causes of catastrophic
    backtracking (see :func:`_check_user_pattern`) and refused with a
    :class:`ConfigurationError` naming ``where``.

    Returns:
        The compiled pattern, or ``None`` when there is nothing to match.
    """
    alternatives: list[str] = []
    try:
        phrase_regex = phrases_to_regex(phrases)
    except ConfigurationError as error:  # say where, as for patterns
        raise ConfigurationError(f"{where}: {error}") from None
    if phrase_regex is not None:
        alternatives.append(phrase_regex)
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise ConfigurationError(
                f"{where}: expected a pattern as a str, got {type(pattern).__name__}"
            )
        if not pattern.strip():  # it would match everywhere (or, as white space, nearly)
            raise ConfigurationError(
                f"{where}: expected a pattern with something other than white space, "
                f"got {pattern!r}"
            )
        if not trusted:
            _check_user_pattern(pattern, where)
        try:
            with warnings.catch_warnings():
                # "Possible nested set" and the like: the pattern means something else in
                # a later Python, so refuse it rather than warn at every load.
                warnings.simplefilter("error", FutureWarning)
                re.compile(pattern)
        except (re.error, FutureWarning, OverflowError, RecursionError) as error:
            raise ConfigurationError(
                f"{where}: invalid regular expression {pattern!r}: "
                f"{error or type(error).__name__}"
                + (" (escape the character with a backslash)" if isinstance(error, Warning) else "")
            ) from None
        alternatives.append(_scoped(pattern))
    if not alternatives:
        return None
    try:
        return re.compile("|".join(alternatives), re.IGNORECASE)
    except (re.error, OverflowError, RecursionError) as error:  # each compiled on its own
        raise ConfigurationError(
            f"{where}: the patterns compile on their own but not together: {error}"
        ) from None


_LEADING_FLAGS_RE = re.compile(r"\(\?([aiLmsux]+)\)")


def _scoped(pattern: str) -> str:
    """``pattern`` as a group that can stand beside others in one alternation: flags
    that open it for the whole expression (``(?i)``, ``(?x)``), which Python accepts only
    at the very start, are made to apply to the group alone (``(?x:…)``).

    >>> _scoped("(?i)leave it")
    '(?i:leave it)'
    """
    flags = _LEADING_FLAGS_RE.match(pattern)
    if flags is None:
        return f"(?:{pattern})"
    end = "\n)" if "x" in flags[1] else ")"  # a verbose pattern may end in a # comment
    return f"(?{flags[1]}:{pattern[flags.end() :]}{end}"


@attrs.frozen(kw_only=True)
class Cue:
    """One rule of a scorer: what it matches, what it is worth, and how it explains itself.

    Attributes:
        rule: Rule id, ``"<scorer>.<rule>"``, carried into evidence.
        weight: Credit in [-1, 1] given by one match (negative: a penalty).
        explanation: One line saying why the match counts.
        regex: The compiled phrases and patterns.
        negatable: Whether a negation just before the match cancels it ("not sorry").
        anchor: ``"sentence"`` or ``"clause"`` to count only matches that open a sentence
            (or a clause, after a comma, semicolon, colon or dash), whatever white space precedes
            them: "Try restarting" but not "we try to"; ``None`` for anywhere.
    """

    rule: str
    weight: float
    explanation: str
    regex: re.Pattern[str]
    negatable: bool = True
    anchor: str | None = attrs.field(
        default=None, validator=attrs.validators.in_((None, "sentence", "clause"))
    )
    folded: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)
    parts: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    part_keys: tuple[list[frozenset[str]] | None, ...] = attrs.field(
        init=False, eq=False, repr=False
    )
    _index: KeyIndex = attrs.field(init=False, eq=False, repr=False)
    # Each alternative, then the whole pattern, compiled to search lower-cased text (see
    # _searcher): on first use, since a short run needs few of them.
    _searchers: list[re.Pattern[str] | None] = attrs.field(init=False, eq=False, repr=False)

    @folded.default
    def _fold(self) -> re.Pattern[str] | None:
        # Python's regex engine runs about twice as fast without IGNORECASE, so a
        # pattern with no upper-case letters is also compiled for lower-cased text.
        if not self.regex.flags & re.IGNORECASE:
            return None
        try:  # (an upper-case letter in the pattern makes it not case-blind)
            if not _case_blind(_sre_parse.parse(self.regex.pattern, self.regex.flags)):
                return None
        except (re.error, RecursionError, OverflowError):
            return None
        return re.compile(self.regex.pattern, self.regex.flags & ~re.IGNORECASE)

    @parts.default
    def _split(self) -> tuple[str, ...]:
        if self.folded is None:
            return ()
        if self.folded.flags & re.VERBOSE:  # a "|" may stand in a comment: kept whole
            return (self.folded.pattern,)
        return alternatives(self.folded.pattern)

    @part_keys.default
    def _find_keys(self) -> tuple[list[frozenset[str]] | None, ...]:
        if self.folded is None:
            return (None,)  # no keys: always searched
        if self.folded.flags & re.VERBOSE:  # keys are read without the flag: none
            return (None,)
        common = load_word_list("stopwords")
        return tuple(key_sets(part, common) or None for part in self.parts)

    @_index.default
    def _build_index(self) -> KeyIndex:
        return KeyIndex.build([self.part_keys])

    @_searchers.default
    def _no_searchers(self) -> list[re.Pattern[str] | None]:
        return [None] * (len(self.parts) + 1)

    def _searcher(self, number: int) -> re.Pattern[str]:
        """Alternative ``number`` of :attr:`folded` (``len(parts)``: all of it), compiled
        to be searched faster with the same matches (see :mod:`empathykit._fastsearch`).
        Only for a cue with a :attr:`folded` pattern."""
        found = self._searchers[number]
        if found is None:
            assert self.folded is not None
            whole = number == len(self.parts)
            pattern = self.folded.pattern if whole else self.parts[number]
            found = self._searchers[number] = _compile_for_search(pattern, self.folded.flags)
        return found

    def finditer(
        self, text: str, folded: str | None = None, keys: frozenset[str] | None = None
    ) -> Iterator[re.Match[str]]:
        """Matches in ``text``, the same as ``regex.finditer(text)``.

        Pass ``folded``, the text lower-cased with the same length
        (``TurnAnalysis.folded``), to search it faster, and its ``text_keys`` to
        search with only the alternatives of the pattern whose key words the text has
        (see :mod:`empathykit._keys`). Use the spans, not the matched strings, which
        may be lower-cased.
        """
        if folded is None or self.folded is None:
            return self.regex.finditer(text)
        if keys is None:
            return self._searcher(len(self.parts)).finditer(folded)
        masks = self._index.masks(keys)
        return self.finditer_parts(folded, masks[0][1]) if masks else iter(())

    def finditer_parts(self, folded: str, mask: int) -> Iterator[re.Match[str]]:
        """Matches in the lower-cased ``folded`` text, searching with the alternatives in
        ``mask`` only (bit *i* for ``parts[i]``), which must hold every one that can
        match the text. The matches are those of the whole pattern: leftmost first, at
        each place the first alternative that matches there, none overlapping."""
        if not mask or self.folded is None:
            return iter(())
        if mask == (1 << len(self.parts)) - 1:
            return self._searcher(len(self.parts)).finditer(folded)
        chosen = []
        searchers = self._searchers
        while mask:
            lowest = mask & -mask
            number = lowest.bit_length() - 1
            chosen.append(searchers[number] or self._searcher(number))
            mask ^= lowest
        if len(chosen) == 1:
            return chosen[0].finditer(folded)
        return _leftmost(chosen, folded)

    def opens(self, text: str, start: int) -> bool:
        """Whether a match at ``start`` opens a sentence or clause, as :attr:`anchor` asks."""
        if self.anchor is None:
            return True
        before = text[max(0, start - 200) : start].rstrip(" \t\r\f\v\"'“‘([*-")
        ends = ".!?\n…" if self.anchor == "sentence" else ".!?\n…,;:—–"
        return not before or before[-1] in ends


#: Widest character range :func:`_case_blind` reads letter by letter.
_MAX_CASE_RANGE = 1024


def _case_blind(items: Any) -> bool:
    """Whether a parsed IGNORECASE pattern matches lower-cased text without IGNORECASE
    as it matches the text with it: no character it names changes when lower-cased
    (also spelt as an escape, ``\\x41``, or title case, ``ǅ``), and no group turns
    IGNORECASE off or reads ASCII only (``(?-i:…)``, ``(?a:…)``)."""
    return all(_item_case_blind(op, av) for op, av in items)


def _item_case_blind(op: Any, av: Any) -> bool:
    if op in (_sre.LITERAL, _sre.NOT_LITERAL):
        return chr(av).lower() == chr(av)
    if op is _sre.IN:
        return all(_class_item_case_blind(o, a) for o, a in av)
    if op is _sre.SUBPATTERN:
        changes = av[1] & _sre.SRE_FLAG_ASCII or av[2] & _sre.SRE_FLAG_IGNORECASE
        return not changes and _case_blind(av[-1])
    if op is _sre.BRANCH:
        return all(_case_blind(branch) for branch in av[1])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return _case_blind(av[-1])
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return _case_blind(av[1])
    if op is _sre.ATOMIC_GROUP:
        return _case_blind(av)
    if op is _sre.GROUPREF_EXISTS:
        return all(_case_blind(branch) for branch in av[1:] if branch is not None)
    return True


def _class_item_case_blind(op: Any, av: Any) -> bool:
    if op is _sre.LITERAL:
        return chr(av).lower() == chr(av)
    if op is _sre.RANGE:
        low, high = av
        return high - low <= _MAX_CASE_RANGE and all(
            chr(c).lower() == chr(c) for c in range(low, high + 1)
        )
    return True


def _compile_for_search(pattern: str, flags: int) -> re.Pattern[str]:
    """``pattern`` compiled to be searched faster, with the same matches (see
    :mod:`empathykit._fastsearch`)."""
    try:
        return re.compile(search_pattern(pattern, flags), flags)
    except (re.error, RecursionError, OverflowError):  # unforeseen: search it as written
        return re.compile(pattern, flags)


def _leftmost(patterns: list[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """What ``re.compile("|".join(patterns)).finditer(text)`` finds, searching with
    each pattern on its own: the leftmost match next, the first pattern's on a tie.

    Each pattern's next match is kept until the search passes its start, so the
    text is read about once per pattern, not once per match.
    """
    ahead = [pattern.search(text) for pattern in patterns]
    while True:
        best: re.Match[str] | None = None
        for found in ahead:
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        if best is None:
            return
        yield best
        position = best.end() if best.end() > best.start() else best.end() + 1
        if position > len(text):
            return
        for number, found in enumerate(ahead):
            if found is not None and found.start() < position:
                ahead[number] = patterns[number].search(text, position)


def _cue_tuple(items: Iterable[Cue]) -> tuple[Cue, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class CueSet:
    """The cues of one scorer: rules that give credit and blockers that veto them.

    A blocker match vetoes every rule match that lies inside it ("sorry you feel that
    way" blocks the "sorry" in it); a blocker may name the rules it blocks.
    """

    cues: tuple[Cue, ...] = attrs.field(converter=_cue_tuple)
    blockers: tuple[Cue, ...] = attrs.field(converter=_cue_tuple, default=())
    _cue_index: KeyIndex = attrs.field(init=False, eq=False, repr=False)
    _blocker_index: KeyIndex = attrs.field(init=False, eq=False, repr=False)

    @_cue_index.default
    def _index_cues(self) -> KeyIndex:
        return KeyIndex.build(cue.part_keys for cue in self.cues)

    @_blocker_index.default
    def _index_blockers(self) -> KeyIndex:
        return KeyIndex.build(cue.part_keys for cue in self.blockers)

    def rule_ids(self) -> tuple[str, ...]:
        return tuple(cue.rule for cue in (*self.cues, *self.blockers))

    def cue_matches(
        self, text: str, folded: str | None = None, keys: frozenset[str] | None = None
    ) -> list[tuple[Cue, re.Match[str]]]:
        """Every match of every rule, cue by cue (see :meth:`Cue.finditer` for the
        arguments): with ``keys``, a cue whose key words the text lacks is not searched."""
        return _matches(self.cues, self._cue_index, text, folded, keys)

    def blocker_matches(
        self, text: str, folded: str | None = None, keys: frozenset[str] | None = None
    ) -> list[tuple[Cue, re.Match[str]]]:
        """Every match of every blocker, as :meth:`cue_matches` finds them."""
        return _matches(self.blockers, self._blocker_index, text, folded, keys)


def _matches(
    cues: tuple[Cue, ...],
    index: KeyIndex,
    text: str,
    folded: str | None,
    keys: frozenset[str] | None,
) -> list[tuple[Cue, re.Match[str]]]:
    if folded is None or keys is None:
        return [(cue, match) for cue in cues for match in cue.finditer(text, folded)]
    found: list[tuple[Cue, re.Match[str]]] = []
    for number, mask in index.masks(keys):
        cue = cues[number]
        if cue.folded is None:  # searched in the original text, always
            matches = cue.regex.finditer(text)
        else:
            matches = cue.finditer_parts(folded, mask)
        for match in matches:
            found.append((cue, match))
    return found


def _cue_from_table(
    scorer: str, name: str, table: Mapping[str, Any], where: str, *, trusted: bool
) -> Cue | None:
    known = {"weight", "explanation", "phrases", "patterns", "negatable", "anchor"}
    unknown = set(table) - known
    if unknown:
        raise ConfigurationError(
            f"{where}: rule {name!r} has unknown keys {sorted(unknown)}; expected {sorted(known)}"
        )
    weight = table.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not -1 <= weight <= 1:
        raise ConfigurationError(
            f"{where}: rule {name!r}: expected weight as a number in [-1, 1], got {weight!r}"
        )
    phrases = table.get("phrases", [])
    patterns = table.get("patterns", [])
    for key, value in (("phrases", phrases), ("patterns", patterns)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigurationError(
                f"{where}: rule {name!r}: expected {key} as a list of strings, got {value!r:.80}"
            )
    regex = compile_cues(phrases, patterns, where=f"{where}: rule {name!r}", trusted=trusted)
    if regex is None:
        return None
    explanation = table.get("explanation", name.replace("_", " "))
    negatable = table.get("negatable", True)
    if not isinstance(explanation, str) or not isinstance(negatable, bool):
        raise ConfigurationError(
            f"{where}: rule {name!r}: expected explanation as a string and negatable as a boolean"
        )
    anchor = table.get("anchor")
    if anchor not in (None, "sentence", "clause"):
        raise ConfigurationError(
            f"{where}: rule {name!r}: expected anchor 'sentence' or 'clause', got {anchor!r}"
        )
    rule = name if "." in name else f"{scorer}.{name}"
    return Cue(
        rule=rule,
        weight=float(weight),
        explanation=explanation,
        regex=regex,
        negatable=negatable,
        anchor=anchor,
    )


def cues_from_tables(
    scorer: str,
    rules: Mapping[str, Any],
    blockers: Mapping[str, Any],
    *,
    where: str,
    trusted: bool = False,
) -> CueSet:
    """Build a :class:`CueSet` from ``[rules.*]`` and ``[blockers.*]`` tables."""
    cues = [_cue_from_table(scorer, n, t, where, trusted=trusted) for n, t in rules.items()]
    blocks = [_cue_from_table(scorer, n, t, where, trusted=trusted) for n, t in blockers.items()]
    return CueSet(
        cues=[c for c in cues if c is not None], blockers=[b for b in blocks if b is not None]
    )


@cache
def load_lexicon(name: str) -> Mapping[str, Any]:
    """Read the bundled lexicon ``lexicons/<name>.toml`` (cached)."""
    import tomllib  # here, like importlib.resources: not needed by `import empathykit`
    from importlib import resources

    text = resources.files("empathykit.lexicons").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def load_word_list(name: str) -> frozenset[str]:
    """Read a bundled one-word-a-line list, ignoring ``#`` comments and blank lines."""
    from importlib import resources

    text = resources.files("empathykit.lexicons").joinpath(f"{name}.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(word for word in words if word)


@cache
def builtin_cues(scorer: str) -> CueSet:
    """The compiled cues of the bundled lexicon for ``scorer`` (compiled once)."""
    data = load_lexicon(scorer)
    return cues_from_tables(
        scorer,
        data.get("rules", {}),
        data.get("blockers", {}),
        where=f"lexicons/{scorer}.toml",
        trusted=True,
    )
