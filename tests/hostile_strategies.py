"""Hostile inputs for the hardening tests: any Unicode, wrong Python values, broken shapes.

Texts mix fragments that trip text processing (combining marks, right-to-left marks and
scripts, emoji with skin-tone modifiers and zero-width joiners, lone surrogates, control
characters and NUL, every Unicode line break) with cue words the scorers react to, so
evidence spans land next to the awkward characters. All texts are written for these tests.

Every generated turn item comes with an *oracle*: whether :func:`empathykit.score` must
accept it, from the documented rules alone (a known role name, a ``str`` text with
something other than white space), so a property can say which turn an error must name.

The properties here run :data:`HOSTILE_EXAMPLES` examples each (2,000 in CI; 20,000 with
``HYPOTHESIS_PROFILE=deep``; any number with ``EMPATHYKIT_HOSTILE_EXAMPLES=N``), through
the ``hostile`` settings profile (:data:`hostile_settings`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from empathykit import Conversation, Report, Role, Turn
from empathykit._conversation import ROLE_ALIASES

__all__ = [
    "HANG_GUARD_SECONDS",
    "HOSTILE_EXAMPLES",
    "Item",
    "check_report",
    "conversation_inputs",
    "hostile_settings",
    "hostile_texts",
    "hostile_values",
    "join_surrogate_pairs",
    "needs_fork",
    "role_values",
    "run_guarded",
    "turn_items",
    "turn_lists",
    "valid_role",
    "valid_text",
]

# --- settings -------------------------------------------------------------------------------

_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
#: Examples per hostile property: 2,000 in CI, 20,000 in the deep profile, or the override.
HOSTILE_EXAMPLES = int(
    os.environ.get("EMPATHYKIT_HOSTILE_EXAMPLES", "20000" if _PROFILE == "deep" else "2000")
)
settings.register_profile(
    "hostile",
    max_examples=HOSTILE_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
#: ``@hostile_settings`` on a property gives it the ``hostile`` profile.
hostile_settings = settings(settings.get_profile("hostile"))

# --- texts ----------------------------------------------------------------------------------

COMBINING = ("e\u0301", "a\u0308\u0308\u0308", "c\u0327", "\u20dd", "\u0489", "\u0301" * 12)
RIGHT_TO_LEFT = ("שלום", "مرحبا بك", "\u202e", "\u202b", "\u200f", "\u202c", "\u2067", "\u2069")
EMOJI = ("👍🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "🧑🏿‍💻", "❤️", "🇮🇪", "😡", "🙏🏻", "\U0001f9d1\u200d")
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
CONTROL = (*map(chr, range(32)), "\x7f", "\x85", "\x9b")
LINE_BREAKS = (
    "\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
)
SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff", "\ud83d")
SPACES = (" ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\u202f")
#: Words and phrases the built-in scorers react to, so evidence lands in hostile text.
CUES = (
    "sorry",
    "I'm so sorry",
    "I’m sorry",
    "apologies",
    "I understand",
    "frustrating",
    "let me check",
    "I'll send a replacement",
    "refund",
    "not sorry",
    "never",
    "calm down",
    "broken",
    "help",
    "why?",
    "!!!",
    "???",
    "CAPS LOCK ANGRY",
    "İstanbul",
    "ß",
    "ﬁle",
    "order #4471",
    "https://example.invalid/x?y=1",
    "@agent",
    "—",
    "…",
    "'",
    '"',
    "<script>",
)
_FRAGMENTS = (
    *COMBINING,
    *RIGHT_TO_LEFT,
    *EMOJI,
    *ZERO_WIDTH,
    *CONTROL,
    *LINE_BREAKS,
    *SURROGATES,
    *SPACES,
    *CUES,
)

_BLANKS = SPACES + LINE_BREAKS + ZERO_WIDTH
_any_char = st.characters(codec=None, exclude_categories=())
_surrogate_char = st.characters(categories=["Cs"])
# Cue words are a third of the parts, so evidence spans often sit beside odd characters.
_PARTS = st.one_of(
    st.sampled_from(CUES),
    st.sampled_from(_FRAGMENTS),
    _any_char,
    st.sampled_from(CUES),
    _surrogate_char,
)


def hostile_texts(*, max_fragments: int = 10) -> st.SearchStrategy[str]:
    """A str of any Unicode: fragments, arbitrary code points, white space only, long runs.

    One text in 20 is a long run (a fragment repeated 100 to 1,000 times); the
    megabyte-sized texts are in test_hardening_pathological.py.
    """
    return _hostile_texts(max_fragments)


@st.composite
def _hostile_texts(draw: st.DrawFn, max_fragments: int) -> str:
    # hypothesis favours the ends of a range, so the rare kind sits in the middle
    kind = draw(st.integers(0, 19))
    if kind == 10:
        return draw(st.sampled_from(_FRAGMENTS)) * draw(st.integers(100, 1000))
    if kind in (1, 5, 15):
        return draw(st.text(_any_char, max_size=30))
    if kind in (2, 12):
        return "".join(draw(st.lists(st.sampled_from(_BLANKS), max_size=6)))
    return "".join(draw(st.lists(_PARTS, max_size=max_fragments)))


def hostile_values() -> st.SearchStrategy[Any]:
    """Python values that are never a valid turn, role or text.

    Values whose ``repr`` raises are left to the regression tests: hypothesis itself
    needs ``repr`` to report what it drew.
    """
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.binary(max_size=12),
        st.sampled_from([object(), bytearray(b"agent"), 1j, ..., frozenset({"agent"})]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), inner, max_size=3),
            st.tuples(inner, inner, inner),
        ),
        max_leaves=6,
    )


# --- roles ----------------------------------------------------------------------------------


def valid_role(value: object) -> bool:
    """The documented rule: a :class:`Role`, or a known name in any case and spacing."""
    if isinstance(value, Role):
        return True
    return isinstance(value, str) and " ".join(value.split()).casefold() in ROLE_ALIASES


def valid_text(value: object) -> bool:
    """The documented rule: a ``str`` with something other than white space."""
    return isinstance(value, str) and bool(value.strip())


@st.composite
def _spelling(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(ROLE_ALIASES)))
    upper = draw(st.integers(0, 2 ** len(name) - 1))
    name = "".join(c.upper() if upper >> i & 1 else c for i, c in enumerate(name))
    pad = st.sampled_from(("", " ", "\t", "\u00a0", "  "))
    return draw(pad) + name + draw(pad)


def role_values() -> st.SearchStrategy[Any]:
    """Every role spelling, Role members, unknown names, and wrong values."""
    return st.one_of(
        _spelling(),
        _spelling(),
        _spelling(),
        st.sampled_from(list(Role)),
        st.sampled_from(
            ["agentt", "system", "", " ", "AGENT:", "cust omer", "ＡＧＥＮＴ", "ａgent"]
        ),
        hostile_texts(max_fragments=4),
        hostile_values(),
    )


# --- turn items -----------------------------------------------------------------------------


class Item(NamedTuple):
    """A generated turn item and whether :func:`empathykit.score` must accept it."""

    value: Any
    valid: bool


_ROLE_KEYS = ("role", "speaker", "author", "from")
_TEXT_KEYS = ("text", "content", "message", "body")


def _texts() -> st.SearchStrategy[Any]:
    return st.one_of(hostile_texts(), hostile_texts(), hostile_texts(), hostile_values())


@st.composite
def _dict_item(draw: st.DrawFn) -> Item:
    item: dict[Any, Any] = {}
    role_keys = draw(st.lists(st.sampled_from(_ROLE_KEYS), max_size=2, unique=True))
    text_keys = draw(st.lists(st.sampled_from(_TEXT_KEYS), max_size=2, unique=True))
    for key in role_keys:
        item[key] = draw(role_values())
    for key in text_keys:
        item[key] = draw(_texts())
    if draw(st.booleans()):
        item["timestamp"] = draw(st.one_of(hostile_texts(max_fragments=3), hostile_values()))
    if draw(st.booleans()):
        item[draw(st.one_of(st.text(max_size=5), st.integers()))] = draw(hostile_values())
    role = next((item[k] for k in _ROLE_KEYS if k in item), None)
    text = next((item[k] for k in _TEXT_KEYS if k in item), None)
    return Item(item, valid_role(role) and valid_text(text))


@st.composite
def _pair_item(draw: st.DrawFn) -> Item:
    role, text = draw(role_values()), draw(_texts())
    value = (role, text) if draw(st.booleans()) else [role, text]
    return Item(value, valid_role(role) and valid_text(text))


@st.composite
def _valid_item(draw: st.DrawFn) -> Item:
    """A turn that must be accepted: a known role spelling and hostile, non-blank text."""
    role = draw(st.one_of(_spelling(), st.sampled_from(list(Role))))
    text = draw(hostile_texts().filter(valid_text))
    shape = draw(st.sampled_from(("dict", "tuple", "list", "turn")))
    if shape == "turn":
        return Item(Turn(role=role, text=text), True)
    if shape == "dict":
        role_key = draw(st.sampled_from(_ROLE_KEYS))
        text_key = draw(st.sampled_from(_TEXT_KEYS))
        return Item({role_key: role, text_key: text}, True)
    return Item((role, text) if shape == "tuple" else [role, text], True)


@st.composite
def turn_items(draw: st.DrawFn) -> Item:
    """One turn: four times in five one that must be accepted, else anything at all.

    Anything: a dict with any keys and values, a pair of any role and text, or a value
    that is no turn at all.
    """
    kind = draw(st.integers(0, 9))
    if kind in (3, 7):
        either: st.SearchStrategy[Item] = st.one_of(_dict_item(), _pair_item())
        return draw(either)
    if kind == 5:
        value = draw(hostile_values().filter(lambda v: not isinstance(v, list | tuple)))
        return Item(value, False)
    return draw(_valid_item())


#: How many turns a "thousands of turns" conversation has.
MANY_TURNS = 2000


@st.composite
def turn_lists(draw: st.DrawFn, *, max_size: int = 6) -> list[Item]:
    """A list of turn items; one time in 500, thousands of turns (a short list repeated).

    Only lists of short texts are repeated, to keep each example well under a second.
    """
    items = draw(st.lists(turn_items(), max_size=max_size))
    # hypothesis favours the ends of a range, so the rare case sits in the middle
    if items and draw(st.integers(0, 499)) == 250:
        chars = sum(len(v) for item in items for v in _strings(item.value))
        if chars <= 2000:
            items = items * (MANY_TURNS // len(items) + 1)
    return items


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Turn):
        return [value.text]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


# --- whole conversations --------------------------------------------------------------------


@st.composite
def transcript_strings(draw: st.DrawFn) -> str:
    """``Label: text`` lines with hostile labels, texts and line breaks."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        label = draw(st.one_of(_spelling(), _spelling(), hostile_texts(max_fragments=3)))
        stamp = draw(st.sampled_from(("", "[10:32] ", "[\u202e] ", "[]")))
        text = draw(hostile_texts())
        lines.append(f"{stamp}{label}:{draw(st.sampled_from(SPACES))}{text}")
        lines.append(draw(st.sampled_from(LINE_BREAKS)))
    return "".join(lines)


@st.composite
def conversation_inputs(draw: st.DrawFn) -> tuple[Any, int | None]:
    """Anything passed as ``conversation``, with the index of the first bad turn.

    The index is ``None`` when the input must give a Report, ``-1`` when it must give an
    error that is not about one turn, and ``-2`` when the oracle does not know (transcripts,
    whose line rules are richer than a one-line oracle, and frozensets, which are iterated
    as turns in no fixed order). Six inputs in ten are lists of
    turns, one a tuple, one a transcript, one any str and one a value that is no
    conversation at all.
    """
    kind = draw(st.integers(0, 9))
    if kind <= 6:
        items = draw(turn_lists())
        values = [item.value for item in items]
        first_bad = next((i for i, item in enumerate(items) if not item.valid), None)
        return (tuple(values) if kind == 6 else values), (-1 if not items else first_bad)
    if kind == 7:
        return draw(transcript_strings()), -2
    if kind == 8:
        return draw(hostile_texts()), -2
    value = draw(hostile_values().filter(lambda v: not isinstance(v, list | tuple)))
    return value, (-2 if isinstance(value, frozenset) else -1)  # a frozenset is iterable


# --- the invariants of a report --------------------------------------------------------------


def _unit(value: object) -> bool:
    return value is None or (isinstance(value, float | int) and 0.0 <= value <= 1.0)


def check_report(report: Report, n_turns: int | None = None) -> None:
    """Assert every invariant the core issue promises of a :class:`Report`."""
    assert isinstance(report, Report)
    conversation: Conversation = report.conversation
    turns = conversation.turns
    if n_turns is not None:
        assert n_turns == len(turns)
    assert _unit(report.overall)
    for dim in report:
        assert _unit(dim.value)
        assert len(turns) == len(dim.turn_scores)
        assert all(_unit(value) for value in dim.turn_scores)
        assert all(0 <= i < len(turns) for i in dim.opportunity_turns)
        for ev in dim.evidence:
            assert 0 <= ev.turn < len(turns)
            assert 0 <= ev.start < ev.end <= len(turns[ev.turn].text)
            assert turns[ev.turn].text[ev.start : ev.end] == ev.text
            assert -1 <= ev.weight <= 1
    assert all(v is None or -1 <= v <= 1 for v in report.sentiment.turns)
    data = report.to_dict()
    assert data == json.loads(report.to_json())
    # JSON's \u escapes cannot tell a high and a low surrogate that stand side by side
    # from the one character they encode, so those pairs come back joined.
    assert join_surrogate_pairs(data) == json.loads(report.to_json(ensure_ascii=True))


def join_surrogate_pairs(value: Any) -> Any:
    """``value`` with every high+low surrogate pair in its strings joined into one character."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if isinstance(value, dict):
        return {join_surrogate_pairs(k): join_surrogate_pairs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [join_surrogate_pairs(v) for v in value]
    return value


def turn_named(message: str, index: int) -> bool:
    """Whether an error message names turn ``index`` as empathykit words it."""
    return message.startswith(f"turn {index}: ") or f"turn {index}" in message


def first_invalid(items: Sequence[Item]) -> int | None:
    """Index of the first item :func:`empathykit.score` must refuse, if any."""
    return next((i for i, item in enumerate(items) if not item.valid), None)


# --- a guard against hangs -------------------------------------------------------------------

#: Far above what any guarded call takes (seconds): only there to turn a hang into a failure.
HANG_GUARD_SECONDS = 300

needs_fork = pytest.mark.skipif(
    sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="the hang guard forks the test process",
)


def _child(send: Any, work: Callable[[], object]) -> None:
    try:
        send.send(("ok", work()))
    except BaseException:
        send.send(("error", traceback.format_exc()))


def run_guarded(work: Callable[[], object], seconds: float = HANG_GUARD_SECONDS) -> Any:
    """Run ``work`` in a forked process and return its result; fail if it runs ``seconds``.

    Not a timing assertion: the limit is far above the expected time, and only stops a
    hang (catastrophic backtracking, a blocked ``open``) from stalling the suite.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, work))
    process.start()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"still running after {seconds} s: catastrophic backtracking or a hang")
        status, value = receive.recv()
    finally:
        process.kill()
        process.join()
    if status == "error":
        pytest.fail(f"the child raised:\n{value}")
    return value
