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
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

import attrs

from .exceptions import ConfigurationError

__all__ = ["Cue", "CueSet", "compile_cues", "load_lexicon", "phrase_to_regex", "phrases_to_regex"]

_APOSTROPHE_RE = re.compile("['’]")
_ESCAPE_RE = re.compile(r"\\.")
_PHRASE_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*\*?|[^\w\s]")
# What may stand between two words of a phrase: spaces and light punctuation, never a
# sentence end. Bounded, so it can never backtrack far.
_GAP = r"[^\w.!?\n]+"

#: Longest user-supplied pattern, in characters.
MAX_PATTERN_LENGTH = 500
#: Nested quantifiers such as ``(a+)+`` or ``(\w*)*`` make Python's backtracking regex
#: engine exponential; user patterns containing them are refused.
_NESTED_QUANTIFIER_RE = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)")
_BACKREFERENCE_RE = re.compile(r"\\[1-9]|\(\?P=")


def _phrase_units(phrase: str) -> tuple[str, list[str], str]:
    """Split a phrase into (head guard, one regex unit per token, tail guard)."""
    if not isinstance(phrase, str):
        raise ConfigurationError(f"expected a phrase as a str, got {type(phrase).__name__}")
    tokens = _PHRASE_TOKEN_RE.findall(phrase)
    if not tokens:
        raise ConfigurationError(f"expected a phrase with at least one word, got {phrase!r}")
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
        ConfigurationError: The phrase has no words.

    Example:
        >>> import re
        >>> bool(re.search(phrase_to_regex("we're sorry"), "We’re  SORRY!", re.I))
        True
    """
    head, units, tail = _phrase_units(phrase)
    return head + "".join(units) + tail


_Trie = dict[str, "_Trie | str"]


def _emit(node: _Trie) -> str:
    end = node.get("")
    branches = [
        unit + _emit(child)
        for unit, child in sorted(node.items())
        if unit and isinstance(child, dict)
    ]
    if isinstance(end, str):
        branches.append(end)  # the shorter phrase, tried after every longer one
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
    return "|".join(head + _emit(node) for head, node in sorted(tries.items()))


def _check_user_pattern(pattern: str, where: str) -> None:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ConfigurationError(
            f"{where}: expected a pattern of at most {MAX_PATTERN_LENGTH} characters, "
            f"got {len(pattern)}"
        )
    if _NESTED_QUANTIFIER_RE.search(pattern):
        raise ConfigurationError(
            f"{where}: pattern {pattern!r} repeats a group that itself repeats "
            "(like '(a+)+'), which can take exponential time; rewrite it without the nesting"
        )
    if _BACKREFERENCE_RE.search(pattern):
        raise ConfigurationError(
            f"{where}: pattern {pattern!r} uses a back-reference, which can take "
            "exponential time; rewrite it without one"
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
    for the bundled lexicons; user patterns are checked for nested quantifiers and
    back-references, the causes of catastrophic backtracking, and refused with a
    :class:`ConfigurationError` naming ``where``.

    Returns:
        The compiled pattern, or ``None`` when there is nothing to match.
    """
    alternatives: list[str] = []
    phrase_regex = phrases_to_regex(phrases)
    if phrase_regex is not None:
        alternatives.append(phrase_regex)
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise ConfigurationError(
                f"{where}: expected a pattern as a str, got {type(pattern).__name__}"
            )
        if not trusted:
            _check_user_pattern(pattern, where)
        try:
            re.compile(pattern)
        except re.error as error:
            raise ConfigurationError(
                f"{where}: invalid regular expression {pattern!r}: {error}"
            ) from None
        alternatives.append(f"(?:{pattern})")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


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
            (or a clause, after a comma or semicolon), whatever white space precedes
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

    @folded.default
    def _fold(self) -> re.Pattern[str] | None:
        # Python's regex engine runs about twice as fast without IGNORECASE, so a
        # pattern with no upper-case letters is also compiled for lower-cased text.
        if not self.regex.flags & re.IGNORECASE:
            return None
        if any(c.isupper() for c in _ESCAPE_RE.sub("", self.regex.pattern)):
            return None
        return re.compile(self.regex.pattern, self.regex.flags & ~re.IGNORECASE)

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """Matches in ``text``; pass ``folded``, the text lower-cased with the same
        length (``TurnAnalysis.folded``), to search it faster. Use the spans, not the
        matched strings, which may be lower-cased."""
        if folded is not None and self.folded is not None:
            return self.folded.finditer(folded)
        return self.regex.finditer(text)

    def opens(self, text: str, start: int) -> bool:
        """Whether a match at ``start`` opens a sentence or clause, as :attr:`anchor` asks."""
        if self.anchor is None:
            return True
        before = text[max(0, start - 200) : start].rstrip(" \t\r\f\v\"'“‘([*-")
        ends = ".!?\n…" if self.anchor == "sentence" else ".!?\n…,;:"
        return not before or before[-1] in ends


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

    def rule_ids(self) -> tuple[str, ...]:
        return tuple(cue.rule for cue in (*self.cues, *self.blockers))


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
    text = resources.files("empathykit.lexicons").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def load_word_list(name: str) -> frozenset[str]:
    """Read a bundled one-word-a-line list, ignoring ``#`` comments and blank lines."""
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
