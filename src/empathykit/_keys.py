"""Key words: which words a pattern needs, so that turns without them are not searched.

Python's regex engine cannot skip ahead in a pattern that starts with a guard such as
``\\b`` or ``(?<!\\w)`` (nearly every cue does), so it tries the pattern at every character
of a turn, although most turns contain nothing a cue could match. Instead, each cue
finds, once, a set of *keys* of which every match contains at least one, and a turn is
searched only when its own keys (:func:`text_keys`) share one with the cue.

A key is a word's first :data:`KEY_LENGTH` characters (the whole word when shorter), or
one punctuation mark. "We're so sorry" has the keys ``we``, ``'``, ``re``, ``so`` and
``sorr``; the phrases "sorry to hear" and "apologise*" need ``sorr`` or ``apol``.

The keys of a pattern are found from Python's own parse of it, so they hold for any
pattern; where no key can be proved (a match may consist of anything), the pattern
has none and every turn is searched, as before.

How a turn that is searched is searched quickly: :mod:`empathykit._fastsearch`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

import attrs

__all__ = ["KEY_LENGTH", "KeyIndex", "alternatives", "key_sets", "required_keys", "text_keys"]

#: How many leading characters of a word make its key.
KEY_LENGTH = 4
_KEY_RE = re.compile(r"\w+|[^\w\s]")
#: Longest list of spelt-out alternatives followed for one word.
_MAX_ALTERNATIVES = 256
#: Punctuation most turns have: as keys they would skip almost nothing.
_COMMON_MARKS = frozenset(".,!?'’\"-:;()/&")

_REPEATS = frozenset({_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT})
_WORD = frozenset({_sre.CATEGORY_WORD, _sre.CATEGORY_UNI_WORD})
_WORDLIKE = _WORD | {_sre.CATEGORY_DIGIT, _sre.CATEGORY_UNI_DIGIT}
_NON_WORD = frozenset(
    {
        _sre.CATEGORY_SPACE,
        _sre.CATEGORY_UNI_SPACE,
        _sre.CATEGORY_NOT_WORD,
        _sre.CATEGORY_UNI_NOT_WORD,
        _sre.CATEGORY_LINEBREAK,
        _sre.CATEGORY_UNI_LINEBREAK,
    }
)
_BOUNDARIES = frozenset({_sre.AT_BOUNDARY, _sre.AT_UNI_BOUNDARY})
#: The flags that change what ``\b`` and ``\w`` mean (ASCII, and LOCALE for bytes).
_ASCII = _sre.SRE_FLAG_ASCII | _sre.SRE_FLAG_LOCALE
_EDGES = frozenset({_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING, _sre.AT_END, _sre.AT_END_STRING})


def text_keys(folded: str) -> frozenset[str]:
    """The keys of a lower-cased text: each word's head and each punctuation mark.

    >>> sorted(text_keys("we're so sorry :("))
    ["'", '(', ':', 're', 'so', 'sorr', 'we']
    """
    return frozenset([token[:KEY_LENGTH] for token in _KEY_RE.findall(folded)])


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\w`` matches in a str pattern


# What one character of a pattern can be, for the walk below.
_ANY = "any"  # anything, word character or not
_SOME_WORD = "word"  # a word character the pattern does not spell out


def _chars(op: Any, av: Any) -> set[str] | str:
    """The characters one parsed item matches: a small set of them, or :data:`_ANY` or
    :data:`_SOME_WORD`. ``set()`` stands for "only characters that are not in words"."""
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is not _sre.IN:
        return _ANY
    if av and av[0][0] is _sre.NEGATE:  # [^\w.!?] matches no word character
        words = any(o is _sre.CATEGORY and a in _WORD for o, a in av[1:])
        return set() if words else _ANY
    chars: set[str] = set()
    some_word = some_other = False
    for o, a in av:
        if o is _sre.LITERAL:
            chars.add(chr(a))
        elif o is _sre.RANGE and a[1] - a[0] < 64:
            chars.update(chr(c) for c in range(a[0], a[1] + 1))
        elif o is _sre.CATEGORY and a in _WORDLIKE:
            some_word = True
        elif o is _sre.CATEGORY and a in _NON_WORD:
            some_other = True  # \s, \W: characters not in words, none of them spelt out
        else:
            return _ANY
    if some_word:  # [\w], [\d]: a word character; [\w-], [\s\d]: maybe not
        return _SOME_WORD if not chars and not some_other else _ANY
    if some_other:  # [\s-] is not in a word, but need not be the mark: no key
        return _ANY if any(map(_is_word_char, chars)) else set()
    return chars


def _guards(op: Any, av: Any) -> bool:
    """Whether a look-behind makes sure that the next character starts a word."""
    direction, body = av
    if direction > 0 or not body:
        return False
    if op is _sre.ASSERT_NOT:  # (?<!\w), (?<![\w'])
        return len(body) == 1 and _has_word_category(body[0])
    last = _chars(*body[-1])  # (?<=\s), (?<=\w\s)
    return isinstance(last, set) and not any(_is_word_char(c) for c in last)


def _ends_word(op: Any, av: Any) -> bool:
    """Whether a look-ahead makes sure that no word character follows: ``(?!\\w)``, not
    ``(?!\\wx)``, which lets a word character through when no "x" follows it."""
    direction, body = av
    return (
        op is _sre.ASSERT_NOT and direction > 0 and len(body) == 1 and _has_word_category(body[0])
    )


def _has_word_category(item: Any) -> bool:
    """Whether a parsed item is a class that matches every word character: ``[\\w...]``."""
    op, av = item
    return (
        op is _sre.IN
        and not (av and av[0][0] is _sre.NEGATE)
        and any(o is _sre.CATEGORY and a in _WORD for o, a in av)
    )


@attrs.define
class _Walk:
    """Where a walk through a pattern stands, and the key sets it has proved.

    ``word`` holds the spellings of the word being read, cut to :data:`KEY_LENGTH`
    characters (``None`` between words, or in a word that is not spelt out: ``lost``);
    ``bounded`` says whether that word, or the next one, starts at a word boundary, so
    that what the pattern spells is the head of a word of the text. Once the word's key
    is known (it is long enough, or it ends), the key set is recorded in ``found``.
    """

    word: set[str] | None = None
    lost: bool = False
    bounded: bool = False
    keyed: bool = False  # the current word's keys are already in found
    found: list[frozenset[str]] = attrs.Factory(list)

    def copy(self) -> _Walk:
        word = set(self.word) if self.word is not None else None
        return _Walk(word, self.lost, self.bounded, self.keyed)

    def note(self, complete: bool = False) -> None:
        """Record the current word's keys once they are known."""
        if (
            self.word
            and self.bounded
            and not self.keyed
            and (complete or all(len(w) >= KEY_LENGTH for w in self.word))
        ):
            self.found.append(frozenset(self.word))
            self.keyed = True

    def between(self, bounded: bool) -> None:
        """Leave the current word (it ended, or is given up)."""
        self.word, self.lost, self.bounded, self.keyed = None, False, bounded, False

    def boundary(self) -> None:
        """No word character on one side: a word ends, the next starts at a boundary."""
        self.note(complete=True)
        self.between(bounded=True)

    def unknown(self) -> None:
        """Something unpredictable: a word character may or may not come next."""
        self.between(bounded=False)
        self.lost = True

    def step(self, chars: set[str] | str) -> None:
        """Read one character that is one of ``chars`` (see :func:`_chars`)."""
        if isinstance(chars, str) or (
            any(map(_is_word_char, chars)) and not all(map(_is_word_char, chars))
        ):
            self.unknown()  # not spelt out, or maybe a word character, maybe not
        elif not chars or not _is_word_char(next(iter(chars))):
            self.boundary()
            if chars and not any(c.isspace() for c in chars):
                self.found.append(frozenset(chars))  # a punctuation mark is a key
        elif self.lost:
            pass
        elif self.word is None:
            self.word = set(chars)
            self.note()
        elif len(self.word) * len(chars) > _MAX_ALTERNATIVES:
            self.unknown()
        else:
            self.word = {w + c if len(w) < KEY_LENGTH else w for w in self.word for c in chars}
            self.note()

    def merge(self, others: list[_Walk]) -> None:
        """Continue from wherever ``others``, alternative ways through, ended."""
        bounded = all(o.bounded for o in others)
        if all(o.word is None and not o.lost for o in others):
            self.between(bounded)
        elif all(o.word is not None for o in others):  # in a word, spelt out in each
            word = set().union(*(o.word for o in others if o.word is not None))
            self.word, self.lost, self.bounded = word, False, bounded
            self.keyed = all(o.keyed for o in others)
            if len(word) > _MAX_ALTERNATIVES:
                self.unknown()
            self.note()
        else:
            self.unknown()


def _cost(keys: frozenset[str], common: frozenset[str]) -> tuple[int, int, int]:
    """How likely a turn is to have one of ``keys``: common words and marks, then
    short keys, then many keys make it likelier."""
    return (
        sum(k in common or k in _COMMON_MARKS for k in keys),
        sum(len(k) < 3 for k in keys),
        len(keys),
    )


def _best(found: list[frozenset[str]], common: frozenset[str]) -> frozenset[str] | None:
    """The key set least likely to be in a turn."""
    return min(found, key=lambda keys: _cost(keys, common)) if found else None


def _ends_here(item: Any) -> bool:
    """Whether a parsed item makes sure no word character comes next: ``\\b`` or ``$``
    after a word, ``(?!\\w)``, or a character that is not in words."""
    if item is None:
        return False
    op, av = item
    if op is _sre.AT:
        return av in _BOUNDARIES or av in (_sre.AT_END, _sre.AT_END_STRING)
    if op is _sre.ASSERT_NOT:
        return _ends_word(op, av)
    if op in (_sre.LITERAL, _sre.IN):
        chars = _chars(op, av)
        return isinstance(chars, set) and not any(map(_is_word_char, chars))
    return False


def _walk(items: Any, walk: _Walk, common: frozenset[str], then: Any = None) -> None:
    """Follow a parsed sequence, recording in ``walk.found`` the key sets it proves.

    ``then`` is the item that follows the sequence in the enclosing pattern, if any: a
    group of alternatives followed by ``\\b`` ends every alternative's word there, so
    "sad" in ``\\b(?:sad|frustrat\\w*)\\b`` is a whole word, and a key.
    """
    items = list(items)
    for position, (op, av) in enumerate(items):
        following = items[position + 1] if position + 1 < len(items) else then
        if op in (_sre.LITERAL, _sre.IN, _sre.NOT_LITERAL, _sre.ANY):
            walk.step(_chars(op, av))
        elif op is _sre.SUBPATTERN:
            if av[1] & _ASCII:  # (?a:...): its \b and \w are not those of text_keys
                walk.unknown()
            else:
                _walk(av[-1], walk, common, following)
        elif op is _sre.ATOMIC_GROUP:
            _walk(av, walk, common, following)
        elif op is _sre.BRANCH:
            _branch(av[1], walk, common, following)
        elif op in _REPEATS:
            _repeat(av, walk, common)
        elif op is _sre.AT and av in _BOUNDARIES | _EDGES:
            walk.boundary()  # \b, ^, $: no word character on one side
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if walk.word is None and _guards(op, av):
                walk.bounded = True
            elif _ends_word(op, av):
                walk.boundary()
            # any other look-around only narrows the matches: nothing to follow
        else:  # a back-reference, a conditional: unpredictable
            walk.unknown()


def _branch(branches: list[Any], walk: _Walk, common: frozenset[str], then: Any) -> None:
    """Alternatives: a key set proved by every one of them, joined, is proved."""
    ways = [walk.copy() for _ in branches]
    for branch, way in zip(branches, ways, strict=True):
        _walk(branch, way, common, then)
        if _ends_here(then):
            way.note(complete=True)  # a short word ("sad") ends with its alternative
    best = [_best(way.found, common) for way in ways]
    if all(keys is not None for keys in best):
        walk.found.append(frozenset().union(*best))  # type: ignore[arg-type]
    walk.merge(ways)


def _repeat(av: Any, walk: _Walk, common: frozenset[str]) -> None:
    """A repeat proves what its body proves when the body must match at least once."""
    low, high, body = av
    if low == high == 1:
        _walk(body, walk, common)
        return
    ends = [walk.copy()] if low == 0 else []
    way = walk
    # Words are read to KEY_LENGTH characters only, so after that many passes
    # another one ends where an earlier one did.
    for done in range(1, min(high, KEY_LENGTH + 1) + 1):
        way = way.copy()
        _walk(body, way, common)
        if done == 1 and low >= 1:
            walk.found.extend(way.found)
        if done >= low or done == KEY_LENGTH + 1:
            ends.append(way)
    walk.merge(ends)


def required_keys(pattern: str, common: Iterable[str] = ()) -> frozenset[str] | None:
    r"""Keys of which every match of the lower-case ``pattern`` contains one, or ``None``.

    Of the key sets the pattern proves, the one with the fewest ``common`` keys (the
    heads of stop words, say) is chosen, so it is in as few turns as possible.

    >>> sorted(required_keys(r"\b(?:i|we)(?:'ll|\s+will)\s+(?:help|assist)\b", ["we", "i"]))
    ['assi', 'help']
    >>> sorted(required_keys(r"(?<!\w)(?:sorry(?:\s+to\s+hear)?|apolog\w*)|:\("))
    [':', 'apol', 'sorr']
    >>> print(required_keys(r"\b\w+ing\b"), required_keys(r"sorry"))
    None None
    """
    found = key_sets(pattern, common, limit=1)
    return found[0] if found else None


def key_sets(
    pattern: str, common: Iterable[str] = (), limit: int | None = None
) -> list[frozenset[str]]:
    r"""The key sets (up to ``limit`` of them) that every match of ``pattern`` needs one
    key of each of, least likely first (see :func:`required_keys`): a turn must have a
    key from each set to be searched.

    >>> [sorted(keys) for keys in key_sets(r"\byou\s+(?:feel|felt)\b", ["you"])]
    [['feel', 'felt'], ['you']]
    """
    heads = frozenset(word[:KEY_LENGTH] for word in common)
    walk = _Walk()
    try:
        parsed = _sre_parse.parse(pattern)
        if parsed.state.flags & _ASCII:  # (?a): words of ASCII letters only, not ours
            return []
        _walk(parsed, walk, heads)
    except (re.error, RecursionError, OverflowError):
        return []
    return sorted(set(walk.found), key=lambda keys: (_cost(keys, heads), sorted(keys)))[:limit]


def alternatives(pattern: str) -> tuple[str, ...]:
    """Split ``pattern`` at its top-level ``|``, so each alternative gets its own keys.

    Searching with only the alternatives that can match a text finds exactly what the
    whole pattern finds: one that matches nowhere in the text never wins anywhere.
    A pattern with global flags or back-references, or with an alternative that can
    match the empty string, is kept whole.

    >>> alternatives(r"(?<!\\w)sorry|\\b(?:we|i)\\b|[|(]x")
    ('(?<!\\\\w)sorry', '\\\\b(?:we|i)\\\\b', '[|(]x')
    """
    if pattern.startswith("(?") and _GLOBAL_FLAGS_RE.match(pattern):
        return (pattern,)
    try:
        if _has_references(_sre_parse.parse(pattern)):
            return (pattern,)
    except (re.error, RecursionError, OverflowError):
        return (pattern,)
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # a "]" first in a class (or after "^") is a literal
            index += 1
            if pattern[index : index + 1] == "^":
                index += 1
            if pattern[index : index + 1] == "]":
                index += 1
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    if len(parts) == 1:
        return (pattern,)
    try:
        widths = [_sre_parse.parse(part).getwidth()[0] for part in parts]
    except (re.error, RecursionError, OverflowError):
        return (pattern,)  # split where it should not be (a "|" in a verbose comment)
    if 0 in widths:
        return (pattern,)  # an empty match would change where the next search starts
    return tuple(parts)


_GLOBAL_FLAGS_RE = re.compile(r"\(\?[aiLmsux]+\)")


def _has_references(items: Any) -> bool:
    """Whether a parsed pattern refers back to a group (``(a)\\1``, ``(?(1)a|b)``)."""
    for op, av in items:
        if op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            return True
        if op is _sre.SUBPATTERN or op in _REPEATS:
            found = _has_references(av[-1])
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            found = _has_references(av[1])
        elif op is _sre.ATOMIC_GROUP:
            found = _has_references(av)
        elif op is _sre.BRANCH:
            found = any(_has_references(branch) for branch in av[1])
        else:
            found = False
        if found:
            return True
    return False


@attrs.frozen
class KeyIndex:
    """For a list of patterns, each split in :func:`alternatives`: which alternatives of
    which pattern can match a text, as a bit mask per pattern (bit *i*: alternative *i*).

    >>> index = KeyIndex.build([[[frozenset({"sorr"})], [frozenset({"apol"})]], [None]])
    >>> index.masks(text_keys("so sorry"))
    [(0, 1), (1, 1)]
    >>> index.masks(text_keys("hello"))
    [(1, 1)]
    """

    always: dict[int, int]  # pattern -> its alternatives with no keys: always searched
    # key -> (pattern, its alternatives' bits, the key sets they also need) triples
    by_key: dict[str, tuple[tuple[int, int, tuple[frozenset[str], ...]], ...]]
    # The keys of by_key: a text's keys are intersected with them first, in C, so that
    # only the few a cue needs are looked at one by one.
    known: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    @known.default
    def _known(self) -> frozenset[str]:
        return frozenset(self.by_key)

    @classmethod
    def build(cls, keys: Iterable[Iterable[Sequence[frozenset[str]] | None]]) -> KeyIndex:
        """Index patterns given, for each alternative, its :func:`key_sets` (or ``None``:
        always searched). An alternative is indexed under the keys of its first set, and
        chosen only when the text has a key of every other set too."""
        always: dict[int, int] = {}
        by_key: dict[str, dict[tuple[int, tuple[frozenset[str], ...]], int]] = {}
        for pattern, parts in enumerate(keys):
            for part, sets in enumerate(parts):
                if not sets:
                    always[pattern] = always.get(pattern, 0) | 1 << part
                    continue
                entry = (pattern, tuple(sets[1:]))
                for key in sets[0]:
                    slot = by_key.setdefault(key, {})
                    slot[entry] = slot.get(entry, 0) | 1 << part
        return cls(
            always=always,
            by_key={
                key: tuple((pattern, bits, also) for (pattern, also), bits in slot.items())
                for key, slot in by_key.items()
            },
        )

    def masks(self, keys: frozenset[str]) -> list[tuple[int, int]]:
        """``(pattern, alternatives)`` for each pattern a text with these keys could
        match, in pattern order; the others are left out."""
        hits = self.known.intersection(keys)
        if not hits:  # most texts, for most indexes: only the patterns with no keys
            return sorted(self.always.items())
        found = dict(self.always)
        by_key = self.by_key
        for key in hits:
            for pattern, bits, also in by_key[key]:
                for needed in also:
                    if needed.isdisjoint(keys):
                        break
                else:
                    found[pattern] = found.get(pattern, 0) | bits
        return sorted(found.items())
