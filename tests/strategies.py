"""Hypothesis strategies for conversations, in every shape empathykit accepts.

Turn texts are either realistic sentences assembled from the word lists below (written for
these tests, not taken from any data set) or arbitrary printable text. A conversation is
drawn first as a *spec*, a list of :class:`TurnSpec`, so that property tests can render the
same conversation again with other role spellings, other white space or another shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from hypothesis import strategies as st

from empathykit import Conversation, Role, Turn, as_conversation
from empathykit._conversation import ROLE_ALIASES

__all__ = [
    "AGENT_SENTENCES",
    "APOLOGY_SENTENCES",
    "COMPLAINT_SENTENCES",
    "TurnSpec",
    "agent_texts",
    "complaint_texts",
    "conversation_specs",
    "conversations",
    "customer_texts",
    "printable_texts",
    "recase",
    "render",
    "role_spellings",
    "transcripts",
    "turn_items",
    "turn_texts",
    "widen_spaces",
]

#: Every alias of each role, lower case, as ``_conversation.ROLE_ALIASES`` lists them.
ALIASES: dict[Role, tuple[str, ...]] = {
    role: tuple(sorted(name for name, r in ROLE_ALIASES.items() if r is role)) for role in Role
}

# --- word lists ---------------------------------------------------------------------------

_THINGS = (
    "my order",
    "the parcel",
    "my refund",
    "the app",
    "my account",
    "the router",
    "my flight to Dublin",
    "the invoice",
    "my card",
    "the heater in room 12",
    "my subscription",
    "the replacement charger",
    "order 4471",
)
_PROBLEMS = (
    "never arrived",
    "is still missing",
    "stopped working yesterday",
    "was charged twice",
    "keeps crashing",
    "was cancelled without warning",
    "arrived damaged",
    "is wrong again",
    "has been delayed for a week",
    "won't let me log in",
)
_FEELINGS = (
    "I'm really frustrated.",
    "This is so annoying!",
    "I'm worried about it.",
    "Honestly, I'm fed up.",
    "I'm upset and tired of chasing this.",
    "This is unacceptable!!",
)
_REQUESTS = (
    "Can you help me?",
    "What should I do?",
    "Please fix this.",
    "Could you check it for me?",
    "When will it be sorted?",
)
_CUSTOMER_OTHER = (
    "Hi there.",
    "Thanks, that worked!",
    "Great, thank you so much.",
    "Okay.",
    "It's the blue one, size 10.",
    "I ordered it on the 3rd of May.",
)

#: Agent sentences that count as an explicit apology (BEHAVIOURS.md, apology).
APOLOGY_SENTENCES = (
    "I'm so sorry about this.",
    "We apologise for the mix-up.",
    "My apologies for the delay.",
    "Sorry about that!",
)
#: Agent sentences of every kind, traps included.
AGENT_SENTENCES = (
    *APOLOGY_SENTENCES,
    "I can see why that's frustrating.",
    "That must have been stressful.",
    "Glad to hear it's working now!",
    "I see.",
    "Let me check that for you.",
    "I've issued a full refund.",
    "Try restarting the app, then sign in again.",
    "We'll send a replacement today.",
    "When did this start?",
    "Just to confirm, is this order 4471?",
    "How can I help?",
    "That flight was full.",
    "Refunds take five working days.",
    "I'm sorry you feel that way.",
    "Calm down.",
    "Sorry, could you repeat that?",
    "As I already said, it ships on Monday.",
    "There's nothing I can do.",
    "We're always working to improve.",
    "Please DM us your details.",
)
#: Customer sentences that report a problem (BEHAVIOURS.md, opportunities).
COMPLAINT_SENTENCES = tuple(
    f"{thing[0].upper()}{thing[1:]} {problem}." for thing in _THINGS for problem in _PROBLEMS
)


def _sentences(pool: st.SearchStrategy[str], max_size: int = 3) -> st.SearchStrategy[str]:
    return st.lists(pool, min_size=1, max_size=max_size).map(" ".join)


def complaint_texts() -> st.SearchStrategy[str]:
    """A customer turn that reports a problem, perhaps with a feeling or a request."""
    return st.tuples(
        st.sampled_from(COMPLAINT_SENTENCES),
        st.lists(st.sampled_from(_FEELINGS + _REQUESTS), max_size=2),
    ).map(lambda parts: " ".join([parts[0], *parts[1]]))


def customer_texts() -> st.SearchStrategy[str]:
    """A realistic customer turn."""
    return st.one_of(
        complaint_texts(),
        _sentences(st.sampled_from(_FEELINGS + _REQUESTS + _CUSTOMER_OTHER), max_size=2),
    )


def agent_texts() -> st.SearchStrategy[str]:
    """A realistic agent turn of one to three sentences."""
    return _sentences(st.sampled_from(AGENT_SENTENCES))


def printable_texts(*, newlines: bool = True) -> st.SearchStrategy[str]:
    """Arbitrary printable text with something other than white space in it.

    Without ``newlines``, no character that ``str.splitlines`` breaks at: not even the
    Unicode line and paragraph separators (U+2028, U+2029), which a transcript reads as
    line ends like any other.
    """
    alphabet = st.characters(
        exclude_categories=("Cc", "Cs", "Co", "Cn")
        if newlines
        else ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
        include_characters=" \t\n" if newlines else " ",
    )
    return st.text(alphabet, min_size=1, max_size=60).filter(lambda s: bool(s.strip()))


def turn_texts(role: Role, *, newlines: bool = True) -> st.SearchStrategy[str]:
    """Text for a turn of ``role``: usually realistic, sometimes arbitrary."""
    return _TEXTS[role, newlines]


@st.composite
def _spellings(draw: st.DrawFn, role: Role) -> str:
    name = draw(st.sampled_from(ALIASES[role]))
    upper = draw(st.integers(0, 2 ** len(name) - 1))  # one bit per letter: one draw, fast
    return "".join(c.upper() if upper >> i & 1 else c for i, c in enumerate(name))


def role_spellings(role: Role | None = None) -> st.SearchStrategy[str]:
    """An alias of ``role`` (or of either role) in a random mix of upper and lower case."""
    if role is None:
        return st.one_of(_SPELLINGS[Role.CUSTOMER], _SPELLINGS[Role.AGENT])
    return _SPELLINGS[role]


class TurnSpec(NamedTuple):
    """What a generated turn is, before it is rendered into one of the accepted shapes."""

    role: Role
    spelling: str
    text: str


# Strategies are built once here: building them inside every draw is what makes tests slow.
_TEXTS = {
    (role, newlines): st.one_of(
        customer_texts() if role is Role.CUSTOMER else agent_texts(),
        printable_texts(newlines=newlines),
    )
    for role in Role
    for newlines in (True, False)
}
_SPELLINGS = {role: _spellings(role) for role in Role}
_TURN_SPECS = {
    (role, newlines): st.tuples(st.just(role), _SPELLINGS[role], _TEXTS[role, newlines]).map(
        TurnSpec._make
    )
    for role in Role
    for newlines in (True, False)
}


def turn_specs(*, newlines: bool = True, role: Role | None = None) -> st.SearchStrategy[TurnSpec]:
    """One turn: its role, how the role is spelled, and its text."""
    if role is not None:
        return _TURN_SPECS[role, newlines]
    return st.one_of(_TURN_SPECS[Role.CUSTOMER, newlines], _TURN_SPECS[Role.AGENT, newlines])


def conversation_specs(
    *, min_size: int = 1, max_size: int = 12, newlines: bool = True, role: Role | None = None
) -> st.SearchStrategy[list[TurnSpec]]:
    """A conversation of 1–12 turns as specs (all of one ``role`` if given)."""
    return st.lists(turn_specs(newlines=newlines, role=role), min_size=min_size, max_size=max_size)


_SHAPES = ("role/text", "role/content", "speaker/text", "speaker/content", "tuple", "list", "turn")


def render_turn(spec: TurnSpec, shape: str) -> Any:
    """``spec`` as a dict, a ``(role, text)`` pair or a :class:`Turn`."""
    if shape == "tuple":
        return (spec.spelling, spec.text)
    if shape == "list":
        return [spec.spelling, spec.text]
    if shape == "turn":
        return Turn(role=spec.spelling, text=spec.text)
    role_key, text_key = shape.split("/")
    return {role_key: spec.spelling, text_key: spec.text}


def render(specs: Sequence[TurnSpec], shapes: Sequence[str] | None = None) -> list[Any]:
    """The turns of ``specs`` as a list in the given shapes (chat-completion dicts by default)."""
    shapes = shapes or ["role/content"] * len(specs)
    return [render_turn(spec, shape) for spec, shape in zip(specs, shapes, strict=True)]


@st.composite
def turn_items(draw: st.DrawFn, role: Role | None = None) -> tuple[TurnSpec, Any]:
    """A turn as a dict, a tuple, a list pair or a :class:`Turn`, with the spec it renders."""
    spec = draw(turn_specs(role=role))
    return spec, render_turn(spec, draw(st.sampled_from(_SHAPES)))


@st.composite
def conversations(draw: st.DrawFn, *, max_size: int = 12) -> Conversation:
    """A :class:`Conversation` of 1–12 turns built from a mix of the accepted turn shapes."""
    specs = draw(conversation_specs(max_size=max_size))
    shapes = draw(st.lists(st.sampled_from(_SHAPES), min_size=len(specs), max_size=len(specs)))
    return as_conversation(render(specs, shapes))


def to_transcript(specs: Sequence[TurnSpec], timestamps: Sequence[str | None] = ()) -> str:
    """``specs`` as ``Role: text`` lines; texts with line breaks continue on indented lines."""
    lines = []
    stamps = list(timestamps) or [None] * len(specs)
    for spec, stamp in zip(specs, stamps, strict=True):
        first, *rest = spec.text.split("\n")
        prefix = f"[{stamp}] " if stamp else ""
        lines.append(f"{prefix}{spec.spelling}: {first}")
        lines.extend(f"  {line}" for line in rest)
    return "\n".join(lines)


@st.composite
def transcripts(draw: st.DrawFn) -> tuple[list[TurnSpec], str]:
    """A transcript string with the single-line specs it was written from."""
    specs = draw(conversation_specs(newlines=False))
    stamps = draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from(["10:32", "09:05:17", "2024-05-01 10:32"])),
            min_size=len(specs),
            max_size=len(specs),
        )
    )
    return specs, to_transcript(specs, stamps)


def recase(specs: Sequence[TurnSpec], how: str) -> list[TurnSpec]:
    """``specs`` with every role name in another case: ``upper``, ``lower``, ``title``, ``swap``."""
    change = {"upper": str.upper, "lower": str.lower, "title": str.title, "swap": str.swapcase}
    return [spec._replace(spelling=change[how](spec.spelling)) for spec in specs]


_GAP = re.compile(r"(?<=\S) (?=\S)")


def widen_spaces(text: str, extra: str) -> str:
    """``text`` with ``extra`` added to every single space between two words."""
    return _GAP.sub(" " + extra, text)
