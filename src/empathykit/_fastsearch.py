r"""Compiling a cue pattern so that Python's regex engine can skip ahead; same matches.

Python's engine searches a text by trying the pattern at one character after another.
It skips ahead quickly only when the pattern opens with plain letters: then it looks for
them first (``sorry`` is found like ``str.find`` finds it), or for a set of first letters.
But nearly every cue opens with guards instead, such as ``(?<!\w)`` (the match starts a
word) or a row of look-behinds (``(?<!\bnot\s)``), so every character of a turn gets a
full try, and every try runs the guards before a letter is compared.

:func:`search_pattern` rewrites a pattern so that its letters come first and its guards
after them, each guard widened by those letters: ``(?<!\w)sorry`` becomes
``sorry(?<![\w]sorry)``. The guard still looks at the same characters before the match,
so the matches are the same, at the same places; only where a try begins changes. When
a pattern opens with alternatives, the guards go into each of them and the engine skips
to the characters that start one (``(?<!\w)(?:sorry|apolog)`` becomes
``(?:sorry(?<![\w]sorry)|apolog(?<![\w]apolog))``). Where guards cannot be moved (a
look-ahead first, a word's letters not spelt out), :func:`guarded` puts a look-ahead for
the first characters in front instead (``(?=[as])``), which fails at once where no match
can start.

Every rewrite is read from Python's own parse of the pattern and written back from it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

from ._keys import _GLOBAL_FLAGS_RE, _REPEATS

__all__ = [
    "first_chars",
    "guarded",
    "lift_guards",
    "parsed_first_chars",
    "search_pattern",
    "unparse",
]


def _parse(pattern: str, flags: int) -> Any:
    """Python's parse of ``pattern``, or ``None`` when the pattern may set flags for the
    whole expression (``(?i)``, also after a comment): a rewrite would have to carry them,
    and could not put them first."""
    if _GLOBAL_FLAGS_RE.search(pattern):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return _sre_parse.parse(pattern, flags)


#: Largest range in a character class spelt out as first characters (``[a-z]``).
_MAX_RANGE = 64


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    r"""The characters every match of ``pattern`` starts with, or ``None`` when that
    cannot be told: a match may be empty, may start with any character of a category
    (``\w``, ``.``, ``[^x]``), or the pattern ignores case or sets flags of its own.

    Zero-width items (``\b``, look-arounds) are passed over: they only narrow which
    of those characters start a match.

    >>> sorted(first_chars(r"(?<!\w)(?:sorry|apolog\w*)|\b(?:we|i)\s+regret"))
    ['a', 'i', 's', 'w']
    >>> sorted(first_chars(r"(?:so)?rry"))
    ['r', 's']
    >>> print(first_chars(r"\w+ing"), first_chars("x?"), first_chars("(?i:x)"))
    None None None
    """
    if flags & re.IGNORECASE:
        return None
    try:
        parsed = _parse(pattern, flags)
        if parsed is None:
            return None
        found, empty = parsed_first_chars(parsed)
    except (re.error, RecursionError, OverflowError):
        return None
    return None if found is None or empty else frozenset(found)


def parsed_first_chars(
    items: Any, fold: Callable[[int], str] | None = None
) -> tuple[set[str] | None, bool]:
    """The first characters of a parsed sequence (``None``: any), and whether the
    sequence can match the empty string.

    With ``fold``, for a pattern that ignores case, each letter is given as ``fold``
    spells it, scoped flags are passed over, and a class may start with anything.
    """
    found: set[str] = set()
    for op, av in items:
        if op is _sre.AT or op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            continue
        if op is _sre.LITERAL:
            found.add(chr(av) if fold is None else fold(av))
            return found, False
        if op is _sre.IN:
            chars = None if fold is not None else _class_chars(av)
            if chars is None:
                return None, False
            found |= chars
            return found, False
        if op is _sre.SUBPATTERN:
            if fold is None and (av[1] or av[2]):  # (?i:...), (?-i:...): its own flags
                return None, False
            first, empty = parsed_first_chars(av[-1], fold)
        elif op is _sre.ATOMIC_GROUP:
            first, empty = parsed_first_chars(av, fold)
        elif op in _REPEATS:
            first, empty = parsed_first_chars(av[2], fold)
            empty = empty or av[0] == 0
        elif op is _sre.BRANCH:
            results = [parsed_first_chars(branch, fold) for branch in av[1]]
            if any(chars is None for chars, _ in results):
                return None, False
            first = set().union(*(chars for chars, _ in results if chars is not None))
            empty = any(empty for _, empty in results)
        else:  # any character, a category, a back-reference
            return None, False
        if first is None:
            return None, False
        found |= first
        if not empty:
            return found, False
    return found, True


def _class_chars(items: Any) -> set[str] | None:
    """The characters of a class of literals and small ranges (``[a-cx']``), else ``None``."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_RANGE:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:  # a negated class, a category (\w, \s), a wide range
            return None
    return chars


def guarded(pattern: str, flags: int = 0) -> str:
    r"""``pattern`` behind a look-ahead for the characters its matches start with.

    Python's engine tries a pattern at every character of a text; when the pattern
    opens with zero-width guards, every try runs them. The look-ahead fails at once
    where no match can start, so the guards run only where one can. The matches are
    the same, at the same places: every match starts with one of
    :func:`first_chars`. A pattern whose first characters cannot be told, or that
    sets flags for the whole expression, is returned as it is.

    >>> guarded(r"(?<!\w)(?:sorry|apologi)")
    '(?=[as])(?:(?<!\\w)(?:sorry|apologi))'
    """
    chars = first_chars(pattern, flags)
    if not chars:
        return pattern
    close = "\n)" if flags & re.VERBOSE else ")"  # a verbose pattern may end in a comment
    return "(?=[" + "".join(map(re.escape, sorted(chars))) + "])(?:" + pattern + close


def search_pattern(pattern: str, flags: int = 0) -> str:
    r"""``pattern`` rewritten to be searched faster, with the same matches at the same
    places: its guards lifted behind its first letters (:func:`lift_guards`), else a
    look-ahead for its first characters in front (:func:`guarded`), else as it is.

    >>> search_pattern(r"(?<!\w)sorry")
    'sorry(?<![\\w]sorry)'
    >>> search_pattern(r"(?=\w)(?<!\w)(?:sorry|apolog)")
    '(?=[as])(?:(?=\\w)(?<!\\w)(?:sorry|apolog))'
    """
    lifted = lift_guards(pattern, flags)
    return lifted if lifted is not None else guarded(pattern, flags)


def lift_guards(pattern: str, flags: int = 0) -> str | None:
    r"""``pattern`` with its opening guards moved behind its first letters, or ``None``
    when it does not open with letters, behind guards that can be moved or none.

    A look-behind moves behind the letters and looks back over them too:
    ``(?<!x)ab`` matches where ``ab(?<!xab)`` does. A ``\b`` before a word character
    is a look-behind for a character that is not in words (``(?<!\w)``). Opening
    alternatives take the guards into each of them.

    >>> lift_guards(r"\b(?:we|i)\s+will")
    '(?:we(?<![\\w]we)|i(?<![\\w]i))(?:[\\s])+will'
    >>> print(lift_guards(r"(?<!\w)\w+"), lift_guards(r"\w+"), lift_guards("(?i)sorry"))
    None None None
    """
    if flags & (re.IGNORECASE | re.VERBOSE | re.ASCII):
        return None  # letters that change case, a comment, \b for ASCII words only
    try:
        parsed = _parse(pattern, flags)
        # A group copied into alternatives would be two groups.
        if parsed is None or parsed.state.groups > 1:
            return None
        lifted = _lift(list(parsed), [])
        return None if lifted is None else unparse(lifted)
    except (re.error, RecursionError, OverflowError, _CannotUnparse):
        return None


def _lift(items: list[Any], guards: list[Any]) -> list[Any] | None:
    """``items`` preceded by ``guards`` (look-behind items), rewritten so that letters
    come first; ``None`` when that cannot be done."""
    position = 0
    guards = list(guards)
    while position < len(items):
        op, av = items[position]
        if op is _sre.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            # a plain (?:...) group: its items stand in its place
            items = items[:position] + list(av[3]) + items[position + 1 :]
            continue
        if op in (_sre.ASSERT, _sre.ASSERT_NOT) and av[0] < 0:
            guards.append(items[position])
            position += 1
            continue
        if op is _sre.AT and av in (_sre.AT_BOUNDARY, _sre.AT_UNI_BOUNDARY):
            guards.append(items[position])
            position += 1
            continue
        break
    rest = items[position:]
    if not rest:
        return None
    op, av = rest[0]
    if op is _sre.LITERAL and not guards:  # letters first already
        return rest
    if op is _sre.LITERAL:
        letters = []
        for item in rest:
            if item[0] is not _sre.LITERAL:
                break
            letters.append(item)
        return letters + [_widen(guard, letters) for guard in guards] + rest[len(letters) :]
    if op is _sre.BRANCH:
        branches = []
        for branch in av[1]:
            lifted = _lift(list(branch), guards)
            if lifted is None or not lifted or lifted[0][0] is not _sre.LITERAL:
                return None
            branches.append(lifted)
        return [(_sre.BRANCH, (None, branches)), *rest[1:]]
    return None


_WORD_CLASS = (_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_WORD)])


def _widen(guard: Any, letters: list[Any]) -> Any:
    """A guard that stood before ``letters``, rewritten to stand after them."""
    op, av = guard
    if op is _sre.AT:  # \b: a word character on one side only
        first = chr(letters[0][1])
        inside = first.isalnum() or first == "_"
        kind = _sre.ASSERT_NOT if inside else _sre.ASSERT
        return (kind, (-1, [_WORD_CLASS, *letters]))
    direction, body = av
    return (op, (direction, [*body, *letters]))


class _CannotUnparse(Exception):
    """A parsed item :func:`unparse` does not write back."""


_AT = {
    _sre.AT_BEGINNING: "^",
    _sre.AT_BEGINNING_STRING: r"\A",
    _sre.AT_END: "$",
    _sre.AT_END_STRING: r"\Z",
    _sre.AT_BOUNDARY: r"\b",
    _sre.AT_NON_BOUNDARY: r"\B",
}
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}
_FLAG_LETTERS: tuple[tuple[int, str], ...] = (
    (re.ASCII, "a"),
    (re.IGNORECASE, "i"),
    (re.MULTILINE, "m"),
    (re.DOTALL, "s"),
    (re.UNICODE, "u"),
    (re.VERBOSE, "x"),
)


def unparse(items: Any) -> str:
    r"""A pattern that Python parses to ``items`` (a parse by ``re._parser``), written
    plainly: every group non-capturing or numbered as before, every class in brackets.

    >>> unparse(_sre_parse.parse(r"(?<!\w)so+(?:rry|ri)\b[^a-c]*?"))
    '(?<![\\w])s(?:o)+r(?:ry|i)\\b(?:[^a-c])*?'
    """
    return "".join(_unparse_item(op, av) for op, av in items)


def _char(code: int) -> str:
    return re.escape(chr(code))


def _unparse_item(op: Any, av: Any) -> str:
    if op is _sre.LITERAL:
        return _char(av)
    if op is _sre.NOT_LITERAL:
        return "[^" + _char(av) + "]"
    if op is _sre.ANY:
        return "."
    if op is _sre.IN:
        return "[" + "".join(_unparse_member(o, a) for o, a in av) + "]"
    if op is _sre.AT:
        if av not in _AT:
            raise _CannotUnparse(av)
        return _AT[av]
    if op is _sre.BRANCH:
        return "(?:" + "|".join(unparse(branch) for branch in av[1]) + ")"
    if op is _sre.SUBPATTERN:
        group, add, remove, body = av
        if group is not None:
            return "(" + unparse(body) + ")"
        flags = _flags(add) + ("-" + _flags(remove) if remove else "")
        return "(?" + flags + ":" + unparse(body) + ")"
    if op in _REPEATS:
        low, high, body = av
        count = f"{{{low},{'' if high is _sre.MAXREPEAT else high}}}"
        suffix = "?" if op is _sre.MIN_REPEAT else "+" if op is _sre.POSSESSIVE_REPEAT else ""
        return "(?:" + unparse(body) + ")" + _short(count) + suffix
    if op is _sre.ATOMIC_GROUP:
        return "(?>" + unparse(av) + ")"
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        direction, body = av
        sign = "=" if op is _sre.ASSERT else "!"
        return "(?" + ("<" if direction < 0 else "") + sign + unparse(body) + ")"
    raise _CannotUnparse(op)


def _short(count: str) -> str:
    return {"{0,}": "*", "{1,}": "+", "{0,1}": "?"}.get(count, count)


def _unparse_member(op: Any, av: Any) -> str:
    if op is _sre.NEGATE:
        return "^"
    if op is _sre.LITERAL:
        return _char(av)
    if op is _sre.RANGE:
        return _char(av[0]) + "-" + _char(av[1])
    if op is _sre.CATEGORY and av in _CATEGORIES:
        return _CATEGORIES[av]
    raise _CannotUnparse(op)


def _flags(bits: int) -> str:
    return "".join(letter for flag, letter in _FLAG_LETTERS if bits & flag)
