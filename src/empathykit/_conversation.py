"""Role, Turn and Conversation, and turning common shapes of chat data into a Conversation."""

from __future__ import annotations

import contextlib
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from ._results import restore
from .exceptions import ConfigurationError, InvalidConversationError

if TYPE_CHECKING:
    from ._analysis import ConversationAnalysis

__all__ = ["ROLE_ALIASES", "Conversation", "ConversationLike", "Role", "Turn", "as_conversation"]


class Role(enum.Enum):
    """Who speaks a turn."""

    AGENT = "agent"
    CUSTOMER = "customer"

    def __str__(self) -> str:
        return self.value


#: Speaker names understood without a ``roles=`` mapping (compared case-insensitively).
ROLE_ALIASES: Mapping[str, Role] = {
    **dict.fromkeys(
        ("agent", "assistant", "rep", "representative", "support", "staff", "operator"),
        Role.AGENT,
    ),
    **dict.fromkeys(("customer", "user", "client", "caller", "guest"), Role.CUSTOMER),
}

RoleMap: TypeAlias = Mapping[str, "Role | str | None"]


def id_text(value: object) -> str | None:
    """A record's ``id`` as text, as files and :func:`~empathykit.score_many` take it: a
    str as it is, an int as its digits; ``None`` for any other type (a bool, a float, a
    dict) and for an int with more digits than Python writes out."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:
            return None
    return None


def show(value: object, width: int = 60) -> str:
    """``repr(value)`` cut to ``width`` characters, for error messages; never raises.

    A value whose ``repr`` fails (a broken ``__repr__``, an int of more than 4,300
    digits) is shown by its type alone.
    """
    try:
        text = repr(value)
    except Exception:
        return f"<{type(value).__name__} object>"
    return text[:width]


def check_roles(roles: object) -> None:
    """Refuse a ``roles=`` that is not a mapping of speaker names (str) to roles.

    Raises:
        ConfigurationError: ``roles`` is not a mapping, has a name that is not a str, or
            maps a name to something that is not a role (``'agent'``, ``'customer'``, one
            of their aliases such as ``'assistant'``, a :class:`Role`) or ``None``.
    """
    if roles is None:
        return
    if not isinstance(roles, Mapping):
        raise ConfigurationError(
            "roles: expected a mapping of speaker names to 'agent', 'customer' or None, "
            f"such as {{'Dana': 'agent'}}, got {type(roles).__name__} {show(roles)}"
        )
    for name, target in roles.items():
        if not isinstance(name, str):
            raise ConfigurationError(
                f"roles: expected speaker names as str, got {type(name).__name__} {show(name)}"
            )
        if target is None or isinstance(target, Role):
            continue
        if not isinstance(target, str) or " ".join(target.split()).casefold() not in ROLE_ALIASES:
            raise ConfigurationError(
                f"roles[{show(name)}]: expected 'agent', 'customer' (or an alias such as "
                f"'assistant' or 'user') or None to drop the speaker's turns, got "
                f"{type(target).__name__} {show(target)}"
            )


def _accepted_roles(roles: RoleMap | None) -> str:
    names = sorted(set(ROLE_ALIASES) | {k.casefold() for k in (roles or {})})
    return ", ".join(names)


def resolve_role(
    value: object, *, roles: RoleMap | None = None, turn: int | None = None
) -> Role | None:
    """Map a speaker name or Role to a Role; ``None`` means "drop this turn" (from ``roles``)."""
    if isinstance(value, Role):
        return value
    if not isinstance(value, str):
        raise InvalidConversationError(
            f"expected the role as a string such as 'agent' or 'customer', "
            f"got {type(value).__name__} {show(value)}",
            turn=turn,
        )
    key = " ".join(value.split()).casefold()
    if roles:
        for name, target in roles.items():
            if " ".join(name.split()).casefold() == key:
                if target is None:
                    return None
                return resolve_role(target, turn=turn)
    role = ROLE_ALIASES.get(key)
    if role is None:
        raise InvalidConversationError(
            f"unknown role {show(value)}; accepted roles are {_accepted_roles(roles)} "
            "(map other names with roles={'Dana': 'agent'})",
            turn=turn,
        )
    return role


def _role_converter(value: object) -> Role:
    role = resolve_role(value)
    assert role is not None  # only a roles= mapping can drop a turn
    return role


def _check_text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidConversationError(
            f"expected the turn text as a str, got {type(value).__name__} {show(value)}"
        )
    if not value.strip():
        raise InvalidConversationError(f"expected non-empty turn text, got {show(value)}")


def _optional_str(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidConversationError(
            f"expected the {attribute.name} as a str or None, "
            f"got {type(value).__name__} {show(value)}"
        )


@attrs.frozen(kw_only=True)
class Turn:
    """One message of a conversation.

    Args:
        role: :class:`Role`, or a role name such as ``"agent"`` or ``"user"``.
        text: What was said. Must contain something other than white space.
        speaker: The speaker's name as it appeared in the source, if any.
        timestamp: When it was said, as given in the source (kept, not interpreted).

    Raises:
        InvalidConversationError: The role is unknown, the text is empty or not a string, or
            the speaker or timestamp is neither a string nor ``None``.

    Example:
        >>> Turn(role="user", text="My parcel never arrived.").role
        <Role.CUSTOMER: 'customer'>
    """

    role: Role = attrs.field(converter=_role_converter)
    text: str = attrs.field(validator=_check_text)
    speaker: str | None = attrs.field(default=None, validator=_optional_str)
    timestamp: str | None = attrs.field(default=None, validator=_optional_str)


def _to_turns(value: Iterable[Turn]) -> tuple[Turn, ...]:
    return tuple(value)


def _check_turns(
    instance: object, attribute: attrs.Attribute[tuple[Turn, ...]], value: tuple[Turn, ...]
) -> None:
    if not value:
        raise InvalidConversationError("expected at least one turn, got an empty conversation")
    for index, turn in enumerate(value):
        if not isinstance(turn, Turn):
            raise InvalidConversationError(
                f"expected a Turn, got {type(turn).__name__} {show(turn)} "
                "(use empathykit.as_conversation() to convert dicts, tuples or transcripts)",
                turn=index,
            )


@attrs.frozen(kw_only=True)
class Conversation:
    """An ordered, immutable sequence of turns between a customer and an agent.

    Args:
        turns: The turns in order; at least one.
        id: An identifier carried into reports and error messages.

    Raises:
        InvalidConversationError: No turns, an item that is not a :class:`Turn`, or an id
            that is neither a string nor ``None``.

    Example:
        >>> conv = Conversation(turns=[Turn(role="customer", text="Hi")], id="c-1")
        >>> len(conv), conv.id
        (1, 'c-1')
    """

    turns: tuple[Turn, ...] = attrs.field(converter=_to_turns, validator=_check_turns)
    id: str | None = attrs.field(default=None, validator=_optional_str)

    def __len__(self) -> int:
        return len(self.turns)

    @cached_property
    def analysis(self) -> ConversationAnalysis:
        """The shared text analysis of every turn, computed on first use and kept
        (:func:`~empathykit.score_many` drops it again after scoring a conversation that
        did not have it)."""
        from ._analysis import analyse

        return analyse(self)


def analysis_cached(conversation: Conversation) -> bool:
    """Whether ``conversation`` holds its :attr:`~Conversation.analysis` already (reading
    it this way does not compute it)."""
    try:
        object.__getattribute__(conversation, "analysis")
    except AttributeError:
        return False
    return True


def release_analysis(conversation: Conversation) -> None:
    """Drop ``conversation``'s cached :attr:`~Conversation.analysis`, if it has one, to
    free its memory; the next read computes it again (the same values)."""
    with contextlib.suppress(AttributeError):  # never computed
        object.__delattr__(conversation, "analysis")


ConversationLike: TypeAlias = (
    "Conversation | str | Iterable[Turn | Mapping[str, Any] | tuple[Any, Any] | list[Any]]"
)

_ROLE_KEYS = ("role", "speaker", "author", "from")
_TEXT_KEYS = ("text", "content", "message", "body")

# "Agent: text", optionally after a "[10:32]" time stamp. A label is one to three words
# that start with a letter, followed by a colon and a space (so "https://" is no label).
_LINE_RE = re.compile(
    r"^(?:\[(?P<ts>[^\]\n]{1,40})\]\s*)?"
    r"(?P<label>[^\W\d_][\w.'’-]{0,30}(?: [\w.'’-]{1,30}){0,2})\s*:(?:\s+|$)(?P<text>.*)$"
)
# "Agent:Hello", with no space after the colon, is a label only when the name is a known
# role (or mapped in roles=); any other such line continues the turn above.
_TIGHT_LINE_RE = re.compile(
    r"^(?:\[(?P<ts>[^\]\n]{1,40})\]\s*)?"
    r"(?P<label>[^\W\d_][\w.'’-]{0,30}(?: [\w.'’-]{1,30}){0,2})\s*:(?!//)(?P<text>.*)$"
)


# A clock time before a label: "10:32", "10:32:05", "10:32 pm", "2024-05-01 10:32",
# then white space and an optional dash or bar.
_CLOCK = (
    r"(?:\d{4}-\d{2}-\d{2}[ T])?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
    r"(?:\s?[AaPp]\.?[Mm]\.?)?"
)
_STAMP_RE = re.compile(rf"^(?:\[(?P<ts>[^\]\n]{{1,40}})\]\s*|(?P<clock>{_CLOCK})\s+(?:[-–—|]\s+)?)")
# "Agent (Dana): text", "Agent #2: text", "Agent [web]: text" (after the time stamp, if
# any, is taken off): a label dressed with a name, a number or a tag. Such a line starts a
# turn only when the word(s) before the dressing are a known role (or a name mapped in
# roles=); any other such line continues the turn above, as before.
_DRESSED_RE = re.compile(
    r"^(?P<label>(?P<base>[^\W\d_][\w.'’-]{0,30}(?: [\w.'’-]{1,30}){0,2})"
    r"(?:\s*(?:\([^()\n]{1,40}\)|\[[^\[\]\n]{1,40}\]|#\s?\d{1,6}))?)"
    r"\s*:\s*(?P<text>.*)$"
)
# A line that separates conversations in a transcript file, after a blank line (see
# empathykit.io); straight after text it is part of the turn.
_SEPARATOR = "---"
# The longest label a name mapped in roles= is looked for in, in characters.
_MAPPED_LABEL_LENGTH = 100


@attrs.frozen
class _Label:
    """A transcript line that starts a turn: the label as written, the name its role is
    read from, the time stamp, and the text after the colon."""

    label: str
    base: str
    timestamp: str | None
    text: str


def _folded_name(name: str) -> str:
    """``name`` without case or white space, so "Agent(Dana)" finds "agent (dana)"."""
    return "".join(name.split()).casefold()


def _known_names(roles: RoleMap | None) -> dict[str, str]:
    """Every name a label may have, folded (see :func:`_folded_name`), with the name it
    is looked up by: the names of ``roles`` first, then the role aliases."""
    known = {alias: alias for alias in ROLE_ALIASES}
    for name in roles or {}:
        known[_folded_name(name)] = name
    return known


def match_label(
    line: str, roles: RoleMap | None = None, *, known: dict[str, str] | None = None
) -> _Label | None:
    """The label that starts a turn on ``line``, or ``None`` for a line that continues the
    turn above (an indented line, or one with no label).

    A label is one to three words and a colon (``Agent: …``, ``Support Bot: …``), after an
    optional ``[time]``; the words must be a role when no space follows the colon
    (``Agent:Hi``). A known role (or a name mapped in ``roles``) may also carry a name, a
    number or a tag, or follow a clock time: ``Agent (Dana): …``, ``Agent #2: …``,
    ``10:32 Agent: …``, ``2024-05-01 10:32 - Agent: …``. A name mapped in ``roles`` is a
    label as it is written, whatever characters but a colon it holds
    (``roles={"Agent (Dana)": "agent"}``). ``known`` is :func:`_known_names` of ``roles``,
    when the caller reads many lines.
    """
    if line[:1].isspace():
        return None
    if known is None:
        known = _known_names(roles)
    if roles:
        found = _mapped_label(line, roles, known)
        if found is not None:
            return found
    match = _LINE_RE.match(line)
    if match is None:
        tight = _TIGHT_LINE_RE.match(line)
        match = tight if tight and _folded_name(tight["label"]) in known else None
    if match is not None:
        return _Label(match["label"], match["label"], match["ts"], match["text"])
    if ":" not in line:
        return None
    stamp = _STAMP_RE.match(line)
    rest = line[stamp.end() :] if stamp else line
    dressed = _DRESSED_RE.match(rest)
    if dressed is None or _folded_name(dressed["base"]) not in known:
        return None
    timestamp = None if stamp is None else stamp["ts"] or stamp["clock"]
    return _Label(dressed["label"].strip(), dressed["base"], timestamp, dressed["text"])


def _mapped_label(line: str, roles: RoleMap, known: dict[str, str]) -> _Label | None:
    """The label on ``line`` when it is a name of ``roles`` as written (but for case and
    runs of spaces), on its own or after a time stamp."""
    starts: list[tuple[str | None, int]] = [(None, 0)]
    stamp = _STAMP_RE.match(line)
    if stamp is not None:
        starts.append((stamp["ts"] or stamp["clock"], stamp.end()))
    for timestamp, start in starts:
        colon = line.find(":", start, start + _MAPPED_LABEL_LENGTH)
        if colon < 0:
            continue
        label = line[start:colon].strip()
        name = known.get(_folded_name(label))
        if name is not None and name in roles:
            return _Label(label, name, timestamp, line[colon + 1 :].strip())
    return None


def _plain_turn(item: dict[Any, Any]) -> Turn | None:
    """The commonest record, ``{"role": "agent", "text": "…"}`` with a role name spelt as
    in :data:`ROLE_ALIASES`, as a :class:`Turn` made without running again the checks it
    is known to pass; ``None`` for anything else, which takes the general path and its
    errors. (Scoring in parallel, the parent process makes every turn, so this is part
    of what keeps it from holding the workers up.)"""
    role_name = item.get("role")
    text = item.get("text")
    if type(role_name) is not str or type(text) is not str or not text or text.isspace():
        return None
    role = ROLE_ALIASES.get(role_name)
    if role is None:
        return None
    timestamp = item.get("timestamp")
    return restore(Turn, (role, text, role_name, None if timestamp is None else str(timestamp)))


def _turn_from_item(item: object, index: int, roles: RoleMap | None) -> Turn | None:
    if type(item) is dict and not roles and (turn := _plain_turn(item)) is not None:
        return turn
    if isinstance(item, Turn):
        if roles:
            role = resolve_role(item.speaker or item.role.value, roles=roles, turn=index)
            return None if role is None else attrs.evolve(item, role=role)
        return item
    role_value: object
    text_value: object
    if isinstance(item, Mapping):
        role_key = next((k for k in _ROLE_KEYS if k in item), None)
        text_value = next((item[k] for k in _TEXT_KEYS if k in item), None)
        if role_key is None:
            raise InvalidConversationError(
                "expected a dict with a 'role' or 'speaker' key, "
                f"got keys {sorted(map(str, item))}",
                turn=index,
            )
        role_value = item[role_key]
        if role_value is None:  # the first of the role keys present is the role, as for text
            raise InvalidConversationError(
                f"expected the role under {role_key!r} as a string such as 'agent' or "
                f"'customer', got None (the role is read from the first of "
                f"{', '.join(map(repr, _ROLE_KEYS))} that the dict has)",
                turn=index,
            )
        if text_value is None and not any(k in item for k in _TEXT_KEYS):
            raise InvalidConversationError(
                "expected a dict with a 'text' or 'content' key, "
                f"got keys {sorted(map(str, item))}",
                turn=index,
            )
        timestamp = item.get("timestamp")
        extra: dict[str, str | None] = {"timestamp": None if timestamp is None else str(timestamp)}
    elif isinstance(item, tuple | list) and len(item) == 2:
        role_value, text_value = item
        extra = {}
    else:
        raise InvalidConversationError(
            "expected a Turn, a dict with 'role' and 'text', or a (role, text) pair, "
            f"got {type(item).__name__} {show(item)}",
            turn=index,
        )
    role = resolve_role(role_value, roles=roles, turn=index)
    if role is None:
        return None
    speaker: str | None = role_value if isinstance(role_value, str) else None
    try:
        return Turn(role=role, text=text_value, speaker=speaker, **extra)  # type: ignore[arg-type]
    except InvalidConversationError as error:
        raise InvalidConversationError(error.reason, turn=index) from None


def _refuse_separators(text: str, roles: RoleMap | None) -> None:
    """Refuse a transcript that holds several conversations, as a transcript file does:
    a ``---`` line after a blank line, between two turns (the lines split at ``\\n`` as
    :func:`empathykit.io.read` splits them, so a file's conversations and a string agree).
    Anywhere else, a ``---`` line is text of the turn above."""
    if "---" not in text:
        return
    lines = [line.rstrip("\r") for line in text.split("\n")]
    known = _known_names(roles)
    seen_turn = False
    for number, line in enumerate(lines, start=1):
        separates = line.rstrip() == _SEPARATOR and number > 1 and not lines[number - 2].strip()
        if separates and seen_turn:
            after = next((rest for rest in lines[number:] if rest.strip()), None)
            if after is not None and match_label(after, roles, known=known) is not None:
                raise InvalidConversationError(
                    f"line {number}: a '---' line after a blank line separates "
                    "conversations in a transcript file, and another conversation follows "
                    "it; expected one conversation (score each on its own, or read the file "
                    "with empathykit.io.read() and score them with score_many(); indent the "
                    "line if it belongs to the turn above)"
                )
        elif not seen_turn and match_label(line, roles, known=known) is not None:
            seen_turn = True


def parse_transcript(text: str, *, roles: RoleMap | None = None) -> list[Turn]:
    """Split ``Agent: …`` / ``Customer: …`` lines into turns.

    A line that starts with a label (see :func:`match_label`) starts a new turn; any
    other line, and any indented line, continues the turn above. A label that is not a
    known role is an error rather than a guess: map it with ``roles=`` or indent the line
    if it belongs to the turn above. A ``---`` line after a blank line and before another
    turn, which separates conversations in a transcript file, is an error too: the text
    holds more than one.
    """
    _refuse_separators(text, roles)
    known = _known_names(roles)
    resolved: dict[str, Role | None] = {}
    turns: list[tuple[_Label, list[str], int]] = []  # label, lines, line number
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not turns and line.rstrip() == _SEPARATOR:
            continue  # a separator before the first turn separates nothing
        found = match_label(line, roles, known=known)
        if found is not None:
            try:
                if found.base not in resolved:  # (a long transcript repeats a few labels)
                    resolved[found.base] = resolve_role(found.base, roles=roles)
            except InvalidConversationError:
                label = found.label
                raise InvalidConversationError(
                    f"line {line_no}: unknown speaker {label!r}; accepted roles are "
                    f"{_accepted_roles(roles)} (map other names with roles={{{label!r}: 'agent'}},"
                    " or indent the line if it continues the turn above)",
                    turn=len(turns),
                ) from None
            turns.append((found, [found.text], line_no))
            continue
        if not turns:
            if line.strip():
                raise InvalidConversationError(
                    f"line {line_no}: expected a transcript line such as 'Agent: Hello', "
                    f"got {show(line)}",
                    turn=0,
                )
            continue
        turns[-1][1].append(line)
    result: list[Turn] = []
    # Turn indices count every labelled turn, dropped ones too, as for a list of turns.
    for index, (found, body_lines, line_no) in enumerate(turns):
        role = resolved[found.base]
        if role is None:
            continue
        body = "\n".join(body_lines).strip()
        try:
            result.append(
                Turn(role=role, text=body, speaker=found.label, timestamp=found.timestamp)
            )
        except InvalidConversationError as error:
            raise InvalidConversationError(f"line {line_no}: {error.reason}", turn=index) from None
    return result


def as_conversation(
    value: ConversationLike, *, roles: RoleMap | None = None, id: str | None = None
) -> Conversation:
    """Turn any supported shape of chat data into a :class:`Conversation`.

    Accepts a :class:`Conversation`; a sequence of :class:`Turn`, of dicts (``role`` or
    ``speaker`` with ``text`` or ``content``, so chat-completion messages work) or of
    ``(role, text)`` pairs; or a transcript string of ``Agent: …`` / ``Customer: …`` lines
    (a label may follow ``[10:32]`` or ``10:32``, and a role may carry a name, a number or
    a tag: ``Agent (Dana): …``).

    Args:
        value: The conversation in any of the shapes above.
        roles: Extra speaker names, case-insensitive, mapped to ``"agent"``,
            ``"customer"`` or ``None`` (drop those turns, e.g. ``{"system": None}``).
        id: An identifier to attach (a :class:`Conversation`'s own id is kept otherwise).

    Returns:
        The validated conversation.

    Raises:
        InvalidConversationError: The input is malformed; the message names the turn.
        ConfigurationError: ``roles`` is not a mapping of speaker names (str) to roles.

    Example:
        >>> conv = as_conversation([("customer", "It broke."), ("agent", "Sorry about that!")])
        >>> [turn.role.value for turn in conv.turns]
        ['customer', 'agent']
    """
    data: object = value  # checked at run time: callers pass anything
    check_roles(roles)
    if isinstance(data, Conversation):
        if roles is None:
            return data if id is None else attrs.evolve(data, id=id)
        items: Sequence[object] = data.turns
        id = data.id if id is None else id
    elif isinstance(data, str):
        turns = parse_transcript(data, roles=roles)
        if not turns:
            raise InvalidConversationError("expected at least one turn, got an empty transcript")
        return Conversation(turns=turns, id=id)
    elif isinstance(data, bytes | bytearray):
        raise InvalidConversationError(
            "expected a transcript str, got bytes (decode it first, e.g. data.decode('utf-8'))"
        )
    elif isinstance(data, Mapping):
        raise InvalidConversationError(
            "expected a sequence of turns, got a mapping "
            f"with keys {sorted(map(str, data))[:5]} (pass its list of turns)"
        )
    elif isinstance(data, Iterable):
        items = list(data)
    else:
        raise InvalidConversationError(
            "expected a Conversation, a list of turns or a transcript string, "
            f"got {type(data).__name__} {show(data)}"
        )
    turns_out = [
        turn
        for index, item in enumerate(items)
        if (turn := _turn_from_item(item, index, roles)) is not None
    ]
    return Conversation(turns=turns_out, id=id)
