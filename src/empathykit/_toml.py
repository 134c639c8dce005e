"""Scorers declared in a TOML rules file: new phrase scorers and customised built-ins.

A rules file holds a ``[scorers.NAME]`` table per scorer, in the order they should run,
and optionally a ``[weights]`` table::

    # A new behaviour, declared as phrases (see empathykit.scorers.phrases).
    [scorers.ownership]
    phrases = ["I'll take care of this", "leave it with me"]
    patterns = ['''\\bI(?:'ll| will) (?:personally )?(?:handle|sort) (?:this|it)\\b''']
    opportunity = ["problem", "help_request"]   # default: every customer turn
    role = "agent"                              # default
    weight = 1.0                                # credit of one match, in [-1, 1]
    explanation = "takes ownership of the problem"
    exclude_phrases = ["I'll take care of this later"]
    penalty = false                             # true: lowers the overall score

    # Several rules in one scorer, each with its own rule id, weight and explanation,
    # in the format of the bundled lexicons (empathykit/lexicons/*.toml).
    [scorers.anti_empathy]
    penalty = true
    [scorers.anti_empathy.rules.dismissive]
    phrases = ["calm down"]
    explanation = "tells the customer how to feel"
    [scorers.anti_empathy.blockers.quoted]
    patterns = ['''"[^"]{0,40}"''']             # vetoes any match inside it

    # A built-in, customised (the table name may differ from the built-in's).
    [scorers.apology]
    builtin = "apology"
    extra_phrases = ["we owe you one"]
    exclude_phrases = ["we apologise for any inconvenience caused"]
    rule_weights = { "apology.explicit" = 0.8 }

    # Any scorer registered by name, e.g. by a plug-in package, as it is.
    [scorers.politeness]
    registered = "politeness"

    # Weights of behaviours in the overall score (default 1, penalties 0.25).
    [weights]
    ownership = 2.0

A rules file only declares data: it can name registered scorers, but never a module or
a function to import. User patterns are checked for catastrophic backtracking.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from . import scorers as _scorers
from ._conversation import resolve_role
from ._lexicon import compile_cues, cues_from_tables
from ._registry import get_scorer
from ._score import DEFAULT_SCORERS
from .exceptions import ConfigurationError, EmpathyKitError, UnknownScorerError
from .scorers._phrases import OPPORTUNITY_KINDS, CueScorer, customise

if TYPE_CHECKING:
    from .typing import Scorer

__all__ = ["load_scorers", "load_weights"]

#: The built-in scorers a rules file can customise, and the options each takes.
_BUILTINS: Mapping[str, Callable[..., Scorer]] = {
    "active_listening": _scorers.active_listening,
    "apology": _scorers.apology,
    "emotional_acknowledgement": _scorers.emotional_acknowledgement,
    "solution_offer": _scorers.solution_offer,
}
_BUILTIN_LISTS = ("extra_phrases", "extra_patterns", "exclude_phrases")
_BUILTIN_KEYS = frozenset({"builtin", *_BUILTIN_LISTS, "rule_weights", "context_turns"})
_PHRASE_KEYS = frozenset(
    {
        "phrases",
        "patterns",
        "role",
        "opportunity",
        "weight",
        "explanation",
        "exclude_phrases",
        "penalty",
        "rules",
        "blockers",
    }
)
_RULE_KEYS = frozenset({"phrases", "patterns", "weight", "explanation", "negatable", "anchor"})
_TOP_KEYS = frozenset({"scorers", "weights"})
_STRING_SOURCE = "<string>"

# --- where an error is: the line of a key -------------------------------------------------

_SEGMENT = r"""(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)"""
_KEY = rf"{_SEGMENT}(?:\s*\.\s*{_SEGMENT})*"
_HEADER_RE = re.compile(rf"^\s*\[\[?\s*(?P<key>{_KEY})\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE_RE = re.compile(rf"^\s*(?P<key>{_KEY})\s*=")
_SEGMENT_RE = re.compile(_SEGMENT)
_DECODE_LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")

Key = tuple[str, ...]


def _split_key(text: str) -> Key:
    parts = []
    for segment in _SEGMENT_RE.findall(text):
        if segment[:1] in "\"'":
            segment = segment[1:-1]
        parts.append(segment)
    return tuple(parts)


def _key_lines(text: str) -> Iterator[tuple[int, Key]]:
    """Each line that opens a table or sets a key, with that table's or key's full path.

    A best-effort scan for error messages, not a parser: it skips the inside of
    multi-line strings, and a key it cannot place is simply not reported.
    """
    table: Key = ()
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2:
                in_string = None
            continue
        if header := _HEADER_RE.match(line):
            table = _split_key(header["key"])
            yield number, table
            continue
        if key := _KEY_LINE_RE.match(line):
            yield number, table + _split_key(key["key"])
        for delimiter in ("'''", '"""'):
            if line.count(delimiter) % 2:
                in_string = delimiter
                break


def _format_key(key: Key) -> str:
    return ".".join(k if _BARE_KEY_RE.fullmatch(k) else f'"{k}"' for k in key)


@attrs.frozen
class _Source:
    """A rules file being read: its name for messages, and its text to find lines in."""

    label: str
    text: str

    def line_of(self, key: Key) -> int | None:
        """The line that sets ``key``, else its closest enclosing table, else its first part."""
        best: tuple[int, int] | None = None  # (depth matched, line)
        inside: int | None = None  # the first line setting something within key
        for number, path in _key_lines(self.text):
            if path == key[: len(path)] and (best is None or len(path) > best[0]):
                best = (len(path), number)
                if len(path) == len(key):
                    break
            if inside is None and path[: len(key)] == key:
                inside = number
        return inside if best is None else best[1]

    def key_at(self, line: int) -> Key:
        """The key set, or table opened, on ``line`` (empty when there is none)."""
        for number, path in _key_lines(self.text):
            if number == line:
                return path
        return ()

    def error(self, key: Key, message: str) -> ConfigurationError:
        line = self.line_of(key) if key else None
        where = self.label if line is None else f"{self.label}:{line}"
        return ConfigurationError(f"{where}: {_format_key(key)}: {message}")

    def fail(self, key: Key, message: str) -> NoReturn:
        raise self.error(key, message)


def _read(source: str | os.PathLike[str]) -> _Source:
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and source.strip() and "\n" not in source and "=" not in source
    ):
        path = Path(source)
        try:
            return _Source(str(source), path.read_text(encoding="utf-8-sig"))  # BOM or not
        except UnicodeDecodeError as error:
            raise ConfigurationError(f"{source}: expected UTF-8 text: {error}") from None
        except FileNotFoundError:
            raise ConfigurationError(f"{source}: no such rules file") from None
        except (OSError, ValueError) as error:  # a folder, no permission, a NUL in the path
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise ConfigurationError(f"{source}: cannot read the rules file: {reason}") from None
    if isinstance(source, str):
        return _Source(_STRING_SOURCE, source)
    raise ConfigurationError(
        "expected a path to a TOML rules file or its text, "
        f"got {type(source).__name__} {source!r:.60}"
    )


def _parse(source: _Source) -> dict[str, Any]:
    import tomllib  # here: not needed by `import empathykit`

    try:
        return tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _DECODE_LINE_RE.search(message)
        if found is None:  # "(at end of document)"
            raise ConfigurationError(f"{source.label}: invalid TOML: {message}") from None
        line = int(found[1])
        key = source.key_at(line)
        named = f" {_format_key(key)}:" if key else ""
        raise ConfigurationError(f"{source.label}:{line}:{named} invalid TOML: {message}") from None


# --- checking values ------------------------------------------------------------------------


def _type_name(value: object) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _table(source: _Source, key: Key, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        source.fail(key, f"expected a table, got {_type_name(value)} {value!r:.60}")
    return value


def _check_keys(
    source: _Source, key: Key, table: Mapping[str, Any], allowed: frozenset[str], what: str
) -> None:
    for name in table:
        if name not in allowed:
            source.fail(
                (*key, name),
                f"unknown key for {what}; expected one of {', '.join(sorted(allowed))}",
            )


def _strings(source: _Source, key: Key, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        source.fail(key, f"expected an array of strings, got {_type_name(value)} {value!r:.60}")
    return value


def _phrase_list(source: _Source, key: Key, value: object, *, patterns: bool = False) -> list[str]:
    """A list of phrases (or patterns), compiled once here so a bad one names its key."""
    items = _strings(source, key, value)
    try:
        if patterns:
            compile_cues((), items, where="")
        else:
            compile_cues(items, where="")
    except ConfigurationError as error:
        source.fail(key, str(error).lstrip(": "))
    return items


def _unit_weight(source: _Source, key: Key, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1 <= value <= 1:
        source.fail(key, f"expected a number in [-1, 1], got {_type_name(value)} {value!r:.60}")
    return float(value)


def _string(source: _Source, key: Key, value: object) -> str:
    if not isinstance(value, str):
        source.fail(key, f"expected a string, got {_type_name(value)} {value!r:.60}")
    return value


def _boolean(source: _Source, key: Key, value: object) -> bool:
    if not isinstance(value, bool):
        source.fail(key, f"expected true or false, got {_type_name(value)} {value!r:.60}")
    return value


def _identifier(source: _Source, key: Key, name: str, what: str) -> str:
    if not name.isidentifier():
        source.fail(key, f"expected {what} made of letters, digits and underscores, got {name!r}")
    return name


# --- building scorers -------------------------------------------------------------------------


def _rule_table(source: _Source, key: Key, value: object, *, blocker: bool) -> dict[str, Any]:
    rule = _table(source, key, value)
    if blocker and "weight" in rule:
        source.fail(
            (*key, "weight"),
            "unknown key for a blocker (weight is for rules only: a blocker gives no credit, "
            f"it vetoes matches); expected one of {', '.join(sorted(_RULE_KEYS - {'weight'}))}",
        )
    _check_keys(source, key, rule, _RULE_KEYS, "a blocker" if blocker else "a rule")
    checked: dict[str, Any] = dict(rule)
    checked["phrases"] = _phrase_list(source, (*key, "phrases"), rule.get("phrases", []))
    checked["patterns"] = _phrase_list(
        source, (*key, "patterns"), rule.get("patterns", []), patterns=True
    )
    if not checked["phrases"] and not checked["patterns"]:
        source.fail(key, "expected at least one of phrases or patterns")
    if "weight" in rule:
        checked["weight"] = _unit_weight(source, (*key, "weight"), rule["weight"])
    if "explanation" in rule:
        _string(source, (*key, "explanation"), rule["explanation"])
    if "negatable" in rule:
        _boolean(source, (*key, "negatable"), rule["negatable"])
    if "anchor" in rule and rule["anchor"] not in ("sentence", "clause"):
        source.fail((*key, "anchor"), f"expected 'sentence' or 'clause', got {rule['anchor']!r}")
    return checked


def _rule_tables(
    source: _Source, key: Key, value: object, *, blocker: bool
) -> dict[str, dict[str, Any]]:
    tables = _table(source, key, value)
    what = "a blocker name" if blocker else "a rule name"
    return {
        _identifier(source, (*key, name), name, what): _rule_table(
            source, (*key, name), table, blocker=blocker
        )
        for name, table in tables.items()
    }


def _opportunity(source: _Source, key: Key, value: object) -> tuple[str, ...]:
    kinds = [value] if isinstance(value, str) else value
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
        source.fail(
            key,
            f"expected one or more of {', '.join(OPPORTUNITY_KINDS)}, "
            f"got {_type_name(value)} {value!r:.60}",
        )
    for kind in kinds:
        if kind not in OPPORTUNITY_KINDS:
            source.fail(
                key, f"unknown opportunity {kind!r}; expected one of {', '.join(OPPORTUNITY_KINDS)}"
            )
    return tuple(kinds)


def _role(source: _Source, key: Key, value: object) -> str:
    role = _string(source, key, value)
    try:
        resolve_role(role)
    except EmpathyKitError:
        source.fail(key, f"expected 'agent' or 'customer', got {role!r:.60}")
    return role


def _phrase_scorer(source: _Source, key: Key, name: str, table: Mapping[str, Any]) -> CueScorer:
    """A new behaviour: ``phrases``/``patterns`` (rule ``<name>.phrase``) and ``rules`` tables.

    Built exactly like :func:`empathykit.scorers.phrases`, so the same declaration in Python
    and in TOML gives equal scorers.
    """
    _check_keys(source, key, table, _PHRASE_KEYS, "a phrase scorer")
    phrases = _phrase_list(source, (*key, "phrases"), table.get("phrases", []))
    patterns = _phrase_list(source, (*key, "patterns"), table.get("patterns", []), patterns=True)
    rules = _rule_tables(source, (*key, "rules"), table.get("rules", {}), blocker=False)
    blockers = _rule_tables(source, (*key, "blockers"), table.get("blockers", {}), blocker=True)
    exclude = _phrase_list(source, (*key, "exclude_phrases"), table.get("exclude_phrases", []))
    own: dict[str, Any] = {}
    if phrases or patterns:
        if "phrase" in rules:
            source.fail(
                (*key, "rules", "phrase"),
                "the rule name 'phrase' is taken by the scorer's own phrases and patterns",
            )
        own = {
            "phrase": {
                "phrases": phrases,
                "patterns": patterns,
                "weight": _unit_weight(source, (*key, "weight"), table.get("weight", 1.0)),
                "explanation": _string(
                    source,
                    (*key, "explanation"),
                    table.get("explanation") or f"{name.replace('_', ' ')} phrase",
                ),
            }
        }
    elif not rules:
        source.fail(key, "expected phrases, patterns or [rules] for a new scorer, or a builtin")
    else:
        for option in ("weight", "explanation"):
            if option in table:
                source.fail(
                    (*key, option),
                    "applies to the scorer's own phrases and patterns, and it has none; "
                    "set it in each rule instead",
                )
    cues = cues_from_tables(name, {**own, **rules}, blockers, where=f"{source.label}: {name}")
    return CueScorer(
        name=name,
        cues=customise(cues, name, exclude_phrases=exclude),
        opportunity=_opportunity(
            source, (*key, "opportunity"), table.get("opportunity", "customer_turn")
        ),
        role=_role(source, (*key, "role"), table.get("role", "agent")),
        penalty=_boolean(source, (*key, "penalty"), table.get("penalty", False)),
    )


def _builtin_scorer(source: _Source, key: Key, name: str, table: Mapping[str, Any]) -> Scorer:
    builtin = _string(source, (*key, "builtin"), table["builtin"])
    factory = _BUILTINS.get(builtin)
    if factory is None:
        source.fail(
            (*key, "builtin"),
            f"no built-in scorer named {builtin!r}; built-ins are {', '.join(_BUILTINS)} "
            "(for a plug-in or a scorer registered in Python, write registered = "
            f"{builtin!r})",
        )
    allowed = _BUILTIN_KEYS if builtin == "active_listening" else _BUILTIN_KEYS - {"context_turns"}
    _check_keys(source, key, table, allowed, f"the built-in {builtin!r}")
    options: dict[str, Any] = {}
    for option in _BUILTIN_LISTS:
        if option in table:
            options[option] = _phrase_list(
                source, (*key, option), table[option], patterns=option == "extra_patterns"
            )
    if "rule_weights" in table:
        weights = _table(source, (*key, "rule_weights"), table["rule_weights"])
        options["rule_weights"] = {
            rule: _unit_weight(source, (*key, "rule_weights", rule), weight)
            for rule, weight in weights.items()
        }
    if "context_turns" in table:
        turns = table["context_turns"]
        if isinstance(turns, bool) or not isinstance(turns, int) or turns < 1:
            source.fail(
                (*key, "context_turns"),
                f"expected an integer ≥ 1, got {_type_name(turns)} {turns!r:.60}",
            )
        options["context_turns"] = turns
    try:
        scorer = factory(**options)
    except ConfigurationError as error:  # an unknown rule in rule_weights
        source.fail((*key, "rule_weights"), str(error))
    return attrs.evolve(scorer, name=name) if name != builtin else scorer  # type: ignore[misc]


def _registered_scorer(source: _Source, key: Key, name: str, table: Mapping[str, Any]) -> Scorer:
    _check_keys(source, key, table, frozenset({"registered"}), "a registered scorer")
    registered = _string(source, (*key, "registered"), table["registered"])
    try:
        scorer = get_scorer(registered)
    except UnknownScorerError as error:
        raise source.error((*key, "registered"), str(error)) from error
    if scorer.name != name:
        source.fail(
            key,
            f"the registered scorer {registered!r} is named {scorer.name!r}; "
            f"name its table [scorers.{scorer.name}]",
        )
    return scorer


def _scorer(source: _Source, name: str, value: object) -> Scorer:
    key = ("scorers", name)
    _identifier(source, key, name, "a scorer name")
    table = _table(source, key, value)
    if "builtin" in table and "registered" in table:
        source.fail(key, "expected builtin or registered, not both")
    if "builtin" in table:
        return _builtin_scorer(source, key, name, table)
    if "registered" in table:
        return _registered_scorer(source, key, name, table)
    return _phrase_scorer(source, key, name, table)


def _weights(source: _Source, value: object, names: Sequence[str]) -> dict[str, float]:
    table = _table(source, ("weights",), value)
    known = [*names, *(n for n in DEFAULT_SCORERS if n not in names)]
    result: dict[str, float] = {}
    for name, weight in table.items():
        key = ("weights", name)
        if name not in known:
            source.fail(
                key,
                "expected the name of a scorer in this file or a default behaviour "
                f"({', '.join(known)})",
            )
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not math.isfinite(weight)
            or weight < 0
        ):
            source.fail(key, f"expected a finite number ≥ 0, got {_type_name(weight)} {weight!r}")
        result[name] = float(weight)
    return result


def _load(
    source: str | os.PathLike[str], *, weights_only: bool = False
) -> tuple[list[Scorer], dict[str, float]]:
    """The scorers and the weights of a rules file. ``weights_only``: a file with a
    ``[weights]`` table and no scorers will do (for :func:`load_weights`)."""
    rules = _read(source)
    data = _parse(rules)
    for name in data:
        if name not in _TOP_KEYS:
            rules.fail((name,), "unknown key; a rules file has [scorers.NAME] tables and [weights]")
    declared = _table(rules, ("scorers",), data.get("scorers", {}))
    if not declared and not (weights_only and "weights" in data):
        raise ConfigurationError(
            f"{rules.label}: expected at least one [scorers.NAME] table"
            + (" or a [weights] table" if weights_only else "")
            + ", found none"
        )
    found = [_scorer(rules, name, value) for name, value in declared.items()]
    weights = _weights(rules, data.get("weights", {}), [s.name for s in found])
    return found, weights


def load_scorers(source: str | os.PathLike[str]) -> list[Scorer]:
    """The scorers declared in a TOML rules file, in the order of their tables.

    Each ``[scorers.NAME]`` table declares one scorer: a new phrase scorer (the keys of
    :func:`empathykit.scorers.phrases`, plus ``[scorers.NAME.rules.RULE]`` tables for
    several rules), a customised built-in (``builtin = "apology"`` with
    ``extra_phrases``, ``extra_patterns``, ``exclude_phrases``, ``rule_weights``), or a
    registered scorer as it is (``registered = "politeness"``). See the module
    ``empathykit._toml`` for the full format. Reading a file never runs code from it.

    Args:
        source: A path (``str`` or :class:`os.PathLike`) to a UTF-8 TOML file, or the
            TOML text itself. A ``str`` containing a line break or ``=`` is read as TOML
            text; pass a :class:`pathlib.Path` to be explicit.

    Returns:
        Fresh scorers, ready for ``empathykit.score(conversation, scorers=...)``. Add the
        defaults with ``[*empathykit.default_scorers(), *load_scorers(path)]`` when the
        file only declares new behaviours.

    Raises:
        ConfigurationError: There is no such file, or it cannot be read, or it is not
            valid TOML, or a key or value is wrong; the message names the file, the key,
            and the line when it can be found.
        PluginError: A ``registered`` plug-in scorer failed to load.

    Example:
        >>> import empathykit
        >>> rules = '''
        ... [scorers.ownership]
        ... phrases = ["leave it with me", "I'll take care of this"]
        ... opportunity = ["problem"]
        ... '''
        >>> [ownership] = empathykit.load_scorers(rules)
        >>> chat = "Customer: The heater is broken.\\nAgent: Leave it with me."
        >>> empathykit.score(chat, scorers=[ownership])["ownership"].evidence[0].text
        'Leave it with me'
        >>> empathykit.load_scorers('[scorers.ownership]\\nphrases = ["mine"]\\nweight = 2')
        Traceback (most recent call last):
        ...
        empathykit.exceptions.ConfigurationError: <string>:3: scorers.ownership.weight: expected a
        number in [-1, 1], got an integer 2
    """
    return _load(source)[0]


def load_weights(source: str | os.PathLike[str]) -> dict[str, float]:
    """The ``[weights]`` table of a TOML rules file: each behaviour's weight in the overall score.

    The whole file is checked, as by :func:`load_scorers`, but it may hold a ``[weights]``
    table alone. A weight may name a scorer of the file or one of the default
    behaviours; behaviours it leaves out keep their default weight (1, or 0.25 for
    penalties).

    Args:
        source: A path to the rules file, or its text (see :func:`load_scorers`).

    Returns:
        The weights by behaviour name; empty when the file has no ``[weights]``.

    Raises:
        ConfigurationError: The file is invalid, or a weight is negative, not finite, or
            names no scorer.

    Example:
        >>> import empathykit
        >>> rules = '''
        ... [scorers.ownership]
        ... phrases = ["leave it with me"]
        ... [weights]
        ... ownership = 2
        ... apology = 0.5
        ... '''
        >>> load_weights(rules)
        {'ownership': 2.0, 'apology': 0.5}
        >>> chat = "Customer: It broke again!\\nAgent: Sorry! Leave it with me."
        >>> report = empathykit.score(
        ...     chat,
        ...     scorers=[*empathykit.default_scorers(), *load_scorers(rules)],
        ...     weights=load_weights(rules),
        ... )
        >>> report.weights["ownership"], report["ownership"].value
        (2.0, 1.0)
    """
    return _load(source, weights_only=True)[1]
