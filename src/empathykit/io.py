"""Reading conversations from files, and writing reports as JSON Lines or CSV.

:func:`read` takes files or folders and yields :class:`~empathykit.Conversation` objects,
each with an ``id``, one at a time: a 1 GB JSON Lines file is never held in memory. It reads

* **transcripts** (``.txt``): ``Agent: …`` / ``Customer: …`` lines. One conversation per
  file, or several separated by a line ``---`` after a blank line (an indented one is
  text of the turn above).
* **JSON** (``.json``): one conversation, ``{"id": ..., "turns": [{"role", "text"}, ...]}``
  or a bare list of turns, or a list of such conversations. A list is of conversations
  when its first item is not a turn or any item is plainly a conversation (it has
  ``turns`` or ``messages``, or an ``id`` and no role or text), so one malformed
  conversation does not make the others be read as turns.
* **JSON Lines** (``.jsonl``, ``.ndjson``): one conversation object per line.
* **CSV in long form** (``.csv``): one row per turn, with columns for the conversation
  id, role, text and, optionally, a timestamp (names set with :class:`CsvColumns`). The
  rows of a conversation are consecutive and in order. A header that names one of these
  columns twice is an error; other columns are ignored, repeated or not.

Files are UTF-8, with or without a byte-order mark, with ``\\n``, ``\\r\\n`` or (old Mac)
``\\r`` line ends; lines are numbered as Python's text files number them, so a lone
``\\r`` inside a line starts a new one. A record that cannot be read raises
:class:`~empathykit.exceptions.InputFileError` naming the file and line; with
``skip_invalid=True`` it goes to ``on_error`` instead and reading goes on with the next
record.

Ids: a record's own ``id`` when it has one; otherwise the file name for a file of one
conversation, ``<file>#<n>`` for the n-th conversation of a transcript or JSON file, and
``<file>:<line>`` for a JSON Lines record.

**CSV output and spreadsheets.** :func:`write_csv` neutralises text cells that a
spreadsheet would run as a formula: a cell that begins with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets a leading apostrophe (``'=1+1``), and so does a cell that
already begins with an apostrophe. To get the original text back, remove one leading
apostrophe from any text cell that begins with one (:func:`restore_cell`). Numbers are
written as numbers and never changed.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from ._conversation import (
    _ROLE_KEYS,
    _TEXT_KEYS,
    Conversation,
    RoleMap,
    as_conversation,
    id_text,
    match_label,
    show,
)
from .exceptions import ConfigurationError, InputFileError, InvalidConversationError

if TYPE_CHECKING:
    from ._results import Report

__all__ = [
    "FORMATS",
    "FORMULA_PREFIXES",
    "CsvColumns",
    "Format",
    "detect_format",
    "find_files",
    "neutralise_cell",
    "read",
    "report_row",
    "restore_cell",
    "write_csv",
    "write_html",
    "write_jsonl",
]

#: The input formats :func:`read` understands.
Format: TypeAlias = Literal["txt", "json", "jsonl", "csv"]
#: Each file name ending :func:`read` recognises, with the format it means.
FORMATS: Mapping[str, Format] = {
    ".txt": "txt",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
#: First characters of a CSV text cell that :func:`neutralise_cell` escapes.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

PathLike: TypeAlias = "str | os.PathLike[str]"
ErrorHandler: TypeAlias = Callable[[InputFileError], None]

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The UTF-32-LE mark begins with the UTF-16-LE one, so UTF-32 is checked first.
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_TURN_KEYS = ("turns", "messages")
_LINE_PREFIX_RE = re.compile(r"^line (\d+): (.*)$", re.DOTALL)
# The csv module refuses a field longer than csv.field_size_limit() (131,072 characters
# by default) and then cannot go on with the file. A turn may be longer, so the CSV reader
# raises the limit to this only while it parses a row and puts the caller's value back
# before anything else runs (see _next_row): the process-wide setting is left as it was.
# The limit stays bounded so that a stray unclosed quote cannot pull the rest of a huge
# file into one field.
_CSV_FIELD_LIMIT = 2**26  # 64 Mi characters


def _check_column(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if attribute.name == "timestamp" and value is None:
        return
    if not isinstance(value, str) or not value:
        raise ConfigurationError(
            f"CsvColumns.{attribute.name}: expected a column name as a non-empty str, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class CsvColumns:
    """The column names of a long-form CSV: one row per turn.

    Attributes:
        id: The conversation id; the rows of one conversation are consecutive.
        role: The speaker, ``agent`` or ``customer`` (or an alias such as ``user``).
        text: What was said.
        timestamp: When it was said; optional in the file (``None`` to ignore it).

    Example:
        >>> CsvColumns(id="chat_id", text="message").role
        'role'
    """

    id: str = attrs.field(default="conversation_id", validator=_check_column)
    role: str = attrs.field(default="role", validator=_check_column)
    text: str = attrs.field(default="text", validator=_check_column)
    timestamp: str | None = attrs.field(default="timestamp", validator=_check_column)

    def __attrs_post_init__(self) -> None:
        named = {"id": self.id, "role": self.role, "text": self.text}
        if self.timestamp is not None:
            named["timestamp"] = self.timestamp
        for key, column in named.items():
            others = [k for k, c in named.items() if c == column and k != key]
            if others:
                raise ConfigurationError(
                    f"columns: expected a different column for each of "
                    f"{', '.join(named)}, got {column!r} for both {key} and {others[0]}"
                )


def _columns(value: CsvColumns | Mapping[str, str | None] | None) -> CsvColumns:
    if value is None:
        return CsvColumns()
    if isinstance(value, CsvColumns):
        return value
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - {"id", "role", "text", "timestamp"})
        if unknown:
            raise ConfigurationError(
                f"columns: unknown keys {unknown}; expected id, role, text and timestamp"
            )
        return CsvColumns(**value)  # type: ignore[arg-type]  # checked by the validators
    raise ConfigurationError(
        f"columns: expected a CsvColumns or a mapping, got {type(value).__name__}"
    )


def detect_format(path: PathLike) -> Format:
    """The input format of ``path``, from its name's ending.

    Raises:
        InputFileError: The ending is not one of :data:`FORMATS`.

    Example:
        >>> detect_format("chats/2024-05.jsonl")
        'jsonl'
    """
    return _detect_format(path, "pass format='jsonl' and so on")


def _detect_format(path: PathLike, hint: str) -> Format:
    """:func:`detect_format`, its error saying how to choose the format anyway in the
    caller's terms (``hint``: the CLI names its option)."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise InputFileError(
            f"cannot tell the format from the ending {suffix or '(none)'!r}; expected one of "
            f"{', '.join(FORMATS)} (or {hint})",
            path=os.fspath(path),
        ) from None


def _as_path_list(paths: PathLike | Iterable[PathLike]) -> list[PathLike]:
    if isinstance(paths, str | os.PathLike):
        return [paths]
    value: object = paths  # checked at run time: callers pass anything
    if not isinstance(value, Iterable) or isinstance(value, bytes | bytearray):
        raise ConfigurationError(
            f"expected a path or a list of paths as str or pathlib.Path, got {type(paths).__name__}"
        )
    return list(paths)


def _walk(folder: Path) -> Iterator[Path | InputFileError]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        while errors:
            error = errors.pop()
            yield InputFileError(
                f"cannot read the folder: {error.strerror or error}",
                path=os.fspath(error.filename or root),
            )
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in FORMATS:
                path = Path(root, name)
                if _is_special(path):  # opening a FIFO with no writer would wait forever
                    yield InputFileError(
                        "not a regular file (a FIFO, socket or device); skipped", path=str(path)
                    )
                else:
                    yield path
    for error in errors:
        yield InputFileError(
            f"cannot read the folder: {error.strerror or error}",
            path=os.fspath(error.filename or folder),
        )


def _is_special(path: Path) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder."""
    try:
        mode = path.stat().st_mode
    except OSError:  # a broken link: opening it reports the problem
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _expand(paths: Iterable[PathLike]) -> Iterator[Path | InputFileError]:
    for item in paths:
        if not isinstance(item, str | os.PathLike):
            raise ConfigurationError(
                f"expected a path as str or pathlib.Path, got {type(item).__name__} {item!r:.60}"
            )
        if not os.fspath(item):
            raise ConfigurationError(
                "expected a path as str or pathlib.Path, got an empty string (use '.' for "
                "the current folder)"
            )
        path = Path(item)
        if os.fspath(item) == "-":
            yield path
            continue
        problem, is_dir = _path_problem(path), False
        if problem is None:
            try:
                is_dir = path.is_dir()
            except OSError as error:  # permission denied on the way, on Python 3.11
                problem = f"cannot look up the path: {error.strerror}"
        if problem is not None:
            yield InputFileError(problem, path=os.fspath(item))
        elif is_dir:
            yield from _walk(path)
        else:
            yield path


def _path_problem(path: Path) -> str | None:
    """Why ``path`` names no file or folder, or ``None`` when it may: "no such file or
    folder", a symbolic link to nothing, or what the system said of a loop of symbolic
    links, a name too long for the file system or a NUL in the path. A path that may
    name something the user is not allowed to read (permission denied) gives ``None``:
    reading it reports that."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if os.path.islink(path):
            return "a symbolic link to nothing: its target does not exist"
        return "no such file or folder"
    except PermissionError:
        return None
    except (OSError, ValueError) as error:  # (ValueError: a NUL in the path)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return f"cannot look up the path: {reason}"
    return None


def find_files(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """The files :func:`read` would read: files as given, folders searched recursively.

    In folders, files whose names end in one of :data:`FORMATS` are taken, sorted by
    name; hidden files and folders (``.name``) are left out.

    Raises:
        InputFileError: A path does not exist or a folder cannot be read.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("b.jsonl", "a.txt", "notes.md", ".hidden.txt"):
        ...     _ = (folder / name).write_text("Customer: Hi")
        >>> [p.name for p in find_files(folder)]
        ['a.txt', 'b.jsonl']
    """
    found: list[Path] = []
    for item in _expand(_as_path_list(paths)):
        if isinstance(item, InputFileError):
            raise item
        found.append(item)
    return found


# -- decoding ---------------------------------------------------------------------------


def _decode_line(raw: bytes, name: str, line_no: int) -> tuple[str, InputFileError | None]:
    """The line as text, and an error when it is not UTF-8 (the text then has U+FFFD)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return raw.decode("utf-8", "replace"), InputFileError(
            f"invalid UTF-8 at byte {error.start + 1} of the line "
            f"({raw[error.start : error.start + 4]!r}); expected UTF-8 text "
            "(re-save the file as UTF-8)",
            path=name,
            line=line_no,
        )


def _encoding_problem(head: bytes, name: str) -> InputFileError | None:
    for encoding, boms in (("UTF-32", _UTF32_BOMS), ("UTF-16", _UTF16_BOMS)):
        if head.startswith(boms):
            return InputFileError(
                f"the file is {encoding} (it starts with a {encoding} byte-order mark); "
                "expected UTF-8 (re-save the file as UTF-8)",
                path=name,
                line=1,
            )
    return None


class _EncodingError(Exception):
    def __init__(self, error: InputFileError) -> None:
        self.error = error


def _lines(handle: IO[bytes], name: str) -> Iterator[tuple[int, str, InputFileError | None]]:
    """Decoded lines with their 1-based numbers, line ends kept, BOM removed.

    A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (old Mac files), as in Python's
    text files and most editors.

    Raises:
        _EncodingError: The file is UTF-16 or UTF-32, which no line of it can be read as.
    """
    line_no = 0
    for raw in handle:
        if line_no == 0:
            problem = _encoding_problem(raw, name)
            if problem is not None:
                raise _EncodingError(problem)
            raw = raw.removeprefix(_BOM)
        for piece in _split_lone_cr(raw):
            line_no += 1
            text, error = _decode_line(piece, name, line_no)
            yield line_no, text, error


_AFTER_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


def _split_lone_cr(raw: bytes) -> list[bytes]:
    """``raw``, a line read up to ``\\n``, cut after each ``\\r`` that ends a line too."""
    first = raw.find(b"\r")
    # A line read from a binary file has a line feed only at its end, so a carriage
    # return anywhere but just before that end stands alone.
    if first == -1 or (first == len(raw) - 2 and raw.endswith(b"\n")):
        return [raw]
    return [piece for piece in _AFTER_LONE_CR.split(raw) if piece]


# -- records ----------------------------------------------------------------------------


def _conversation_error(
    error: InvalidConversationError, name: str, line: int | None, record: str | None
) -> InputFileError:
    prefix = f"conversation {record!r}: " if record else ""
    where = f"turn {error.turn}: " if error.turn is not None else ""
    return InputFileError(f"{prefix}{where}{error.reason}", path=name, line=line)


def _record_id(value: object, name: str, line: int | None) -> str | InputFileError:
    text = id_text(value)
    if text is not None:
        return text
    return InputFileError(
        f"expected 'id' as a string or an integer, got {type(value).__name__} {show(value, 40)}",
        path=name,
        line=line,
    )


def _from_record(
    record: object, default_id: str, name: str, line: int | None, roles: RoleMap | None
) -> Conversation | InputFileError:
    """A conversation from a decoded JSON value: ``{"id", "turns"}`` or a list of turns."""
    conv_id: str = default_id
    if isinstance(record, dict):
        key = next((k for k in _TURN_KEYS if k in record), None)
        if key is None:
            return InputFileError(
                'expected an object with a \'turns\' list of {"role", "text"} objects, '
                f"got keys {sorted(map(str, record))[:8]}",
                path=name,
                line=line,
            )
        turns = record[key]
        if record.get("id") is not None:
            found = _record_id(record["id"], name, line)
            if isinstance(found, InputFileError):
                return found
            conv_id = found
        if not isinstance(turns, list):
            return InputFileError(
                f"conversation {conv_id!r}: expected '{key}' as a list of "
                f'{{"role", "text"}} objects, got {type(turns).__name__}',
                path=name,
                line=line,
            )
    elif isinstance(record, list):
        turns = record
    else:
        return InputFileError(
            "expected a conversation: an object with a 'turns' list, or a list of turns; "
            f"got {type(record).__name__} {record!r:.40}",
            path=name,
            line=line,
        )
    try:
        return as_conversation(turns, roles=roles, id=conv_id)
    except InvalidConversationError as error:
        return _conversation_error(error, name, line, conv_id)


_JSONL_SHAPE = (
    'expected one conversation per line, {"id": ..., "turns": [{"role": ..., "text": ...}]}'
)


def _undecodable(error: ValueError | RecursionError) -> str:
    """Why valid JSON syntax could not be decoded: nested too deeply, or a huge integer."""
    if isinstance(error, RecursionError):
        return "invalid JSON: arrays or objects nested too deeply to decode"
    digits = re.search(r"value has (\d+) digits", str(error))
    if digits:
        return (
            f"invalid JSON: a number of {digits[1]} digits; expected at most "
            f"{sys.get_int_max_str_digits()} digits (Python's limit for integers)"
        )
    return f"invalid JSON: {error}"


def _iter_jsonl(
    handle: IO[bytes], name: str, roles: RoleMap | None
) -> Iterator[Conversation | InputFileError]:
    seen_any = False
    for line_no, text, problem in _lines(handle, name):
        if problem is not None:
            seen_any = True
            yield problem
            continue
        if not text.strip():
            continue
        seen_any = True
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            hint = "" if text.endswith(("\n", "\r")) else " (the last line looks cut short)"
            yield InputFileError(
                f"invalid JSON at column {error.colno}: {error.msg}{hint}; {_JSONL_SHAPE}",
                path=name,
                line=line_no,
            )
            continue
        except (ValueError, RecursionError) as error:  # a huge integer, or nesting too deep
            yield InputFileError(f"{_undecodable(error)}; {_JSONL_SHAPE}", path=name, line=line_no)
            continue
        yield _from_record(record, f"{name}:{line_no}", name, line_no, roles)
    if not seen_any:
        yield InputFileError(
            "the file is empty; expected one JSON conversation per line", path=name
        )


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _is_turn(value: object) -> bool:
    if isinstance(value, dict):
        return not any(k in value for k in _TURN_KEYS)
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)


def _is_conversation(value: object) -> bool:
    """Whether a list item is plainly a conversation, not a turn: an object with a
    'turns' or 'messages' key, or with an 'id' and no role or text key."""
    if not isinstance(value, dict):
        return False
    if any(k in value for k in _TURN_KEYS):
        return True
    return "id" in value and not any(k in value for k in (*_ROLE_KEYS, *_TEXT_KEYS))


def _json_syntax(error: json.JSONDecodeError, name: str) -> InputFileError:
    return InputFileError(
        f"invalid JSON at column {error.colno}: {error.msg}", path=name, line=error.lineno
    )


# Decodes integers as their digits, to find where an item with a huge integer ends.
_LENIENT_DECODER = json.JSONDecoder(parse_int=str)


def _json_items(text: str, start: int, name: str) -> Iterator[tuple[object, int] | InputFileError]:
    """The items of the JSON list at ``text[start]``, each with its line, one at a time.

    An item with an integer too long to decode is an error, and the items after it are
    still read; a syntax error, or an item nested too deeply, ends the list.
    """
    decoder = json.JSONDecoder()
    index = _skip_ws(text, start + 1)
    counted, line = 0, 1
    number = 0
    while True:
        if (
            number == 0
            and index < len(text)
            and text[index] == "]"
            and _skip_ws(text, index + 1) == len(text)
        ):
            yield InputFileError(
                "the file holds an empty list; expected at least one conversation",
                path=name,
                line=text.count("\n", 0, index) + 1,
            )
            return
        line += text.count("\n", counted, index)
        counted = index
        number += 1
        try:
            item, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            yield _json_syntax(error, name)
            return
        except RecursionError as error:
            yield InputFileError(_undecodable(error), path=name, line=line)
            return
        except ValueError as error:  # an integer too long to decode: report it, go on
            try:
                _, end = _LENIENT_DECODER.raw_decode(text, index)
            except (ValueError, RecursionError):
                yield InputFileError(_undecodable(error), path=name, line=line)
                return
            yield InputFileError(_undecodable(error), path=name, line=line)
        else:
            yield item, line
        index = _skip_ws(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip_ws(text, index + 1)
            continue
        if index < len(text) and text[index] == "]":
            after = _skip_ws(text, index + 1)
            if after != len(text):
                yield _json_syntax(
                    json.JSONDecodeError("extra data after the list", text, after), name
                )
            return
        yield _json_syntax(
            json.JSONDecodeError("expected ',' or ']' after a conversation", text, index), name
        )
        return


def _iter_json(
    handle: IO[bytes], name: str, roles: RoleMap | None
) -> Iterator[Conversation | InputFileError]:
    data = handle.read()
    problem = _encoding_problem(data, name)
    if problem is not None:
        yield problem
        return
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        yield InputFileError(
            f"invalid UTF-8 ({data[error.start : error.start + 4]!r}); expected UTF-8 text "
            "(re-save the file as UTF-8)",
            path=name,
            line=data.count(b"\n", 0, error.start) + 1,
        )
        return
    start = _skip_ws(text, 0)
    if start == len(text):
        yield InputFileError("the file is empty; expected a JSON conversation or list", path=name)
        return
    first_line = text.count("\n", 0, start) + 1
    if text[start] != "[":
        try:
            record, end = json.JSONDecoder().raw_decode(text, start)
        except json.JSONDecodeError as error:
            yield _json_syntax(error, name)
            return
        except (ValueError, RecursionError) as error:  # a huge integer, or nesting too deep
            yield InputFileError(_undecodable(error), path=name, line=first_line)
            return
        if _skip_ws(text, end) != len(text):
            yield _json_syntax(
                json.JSONDecodeError("extra data after the conversation", text, end), name
            )
            return
        yield _from_record(record, name, name, first_line, roles)
        return
    # A list: of conversations, decoded one item at a time so each error has its line;
    # or of turns, which make one conversation. It is a list of conversations when its
    # first item is not a turn, or when any item is plainly a conversation (so a first
    # conversation that lacks its 'turns' does not make the others be read as turns).
    # Items are held back only until that is known: a list of conversations whose first
    # item has its 'turns' is read one item at a time.
    held: list[tuple[object, int] | InputFileError] = []
    decided = False
    number = 0
    for found in _json_items(text, start, name):
        if not decided:
            held.append(found)
            if isinstance(found, InputFileError):
                continue
            item = found[0]
            if not (_is_conversation(item) or (len(held) == 1 and not _is_turn(item))):
                continue
            decided = True
            ready, held = held, []
        else:
            ready = [found]
        for each in ready:
            number += 1
            if isinstance(each, InputFileError):
                yield each
            else:
                yield _from_record(each[0], f"{name}#{number}", name, each[1], roles)
    if not decided:  # a list of turns: one conversation, or the first error in it
        first_error = next((h for h in held if isinstance(h, InputFileError)), None)
        if first_error is not None:
            yield first_error
        else:
            turns = [h[0] for h in held if not isinstance(h, InputFileError)]
            yield _from_record(turns, name, name, first_line, roles)


def _turn_line(section: Sequence[str], turn: int, roles: RoleMap | None) -> int:
    """Offset (0-based) of the line that starts turn ``turn`` in a transcript section."""
    count = -1
    for offset, line in enumerate(section):
        if match_label(line, roles) is not None:
            count += 1
            if count == turn:
                return offset
    return 0


def _transcript(
    section: list[str], first_line: int, conv_id: str, name: str, roles: RoleMap | None
) -> Conversation | InputFileError:
    try:
        return as_conversation("\n".join(section), roles=roles, id=conv_id)
    except InvalidConversationError as error:
        match = _LINE_PREFIX_RE.match(error.reason)
        if match:
            # The transcript parser also breaks lines at \r, U+2028 and the like, which
            # a file line may hold: map its line number back to the file's.
            file_lines = [
                offset for offset, line in enumerate(section) for _ in (line + "\n").splitlines()
            ]
            number = int(match[1]) - 1
            line = first_line + (file_lines[number] if number < len(file_lines) else number)
            reason = match[2]
        else:
            line = first_line + (_turn_line(section, error.turn, roles) if error.turn else 0)
            reason = error.reason
        where = f"turn {error.turn}: " if error.turn is not None else ""
        return InputFileError(f"conversation {conv_id!r}: {where}{reason}", path=name, line=line)


def _iter_txt(
    handle: IO[bytes], name: str, roles: RoleMap | None
) -> Iterator[Conversation | InputFileError]:
    section: list[str] = []
    first_line = 0
    bad: InputFileError | None = None
    number = 0
    several = False
    previous_blank = True

    def flush(conv_id: str) -> Iterator[Conversation | InputFileError]:
        if bad is not None:
            yield bad
        elif section:
            yield _transcript(section, first_line, conv_id, name, roles)

    for line_no, text, problem in _lines(handle, name):
        if problem is not None and bad is None:
            bad = problem
        line = text.rstrip("\r\n")
        blank = not line.strip()
        if line.rstrip() == "---" and previous_blank:  # (an indented one is turn text)
            if section or bad is not None:
                number += 1
                yield from flush(f"{name}#{number}")
            several = True
            section, bad, previous_blank = [], None, True
            continue
        previous_blank = blank
        if not section and blank:
            continue
        if not section:
            first_line = line_no
        section.append(line)
    while section and not section[-1].strip():
        section.pop()
    if section or bad is not None:
        number += 1
        yield from flush(f"{name}#{number}" if several else name)
    if number == 0:
        yield InputFileError(
            "the file is empty; expected a transcript of 'Agent: …' / 'Customer: …' lines",
            path=name,
        )


class _LineSource:
    """Feeds decoded physical lines to :mod:`csv` and remembers where decoding failed.

    ``ended`` turns true when :mod:`csv` asks for a line past the last one. It only does
    that within a row when a quoted cell is still open, so a row returned after that is
    one whose quote was never closed (the module accepts it silently; see _unclosed_quote).
    """

    def __init__(self, handle: IO[bytes], name: str) -> None:
        self._lines = _lines(handle, name)
        self.line = 0
        self.errors: dict[int, InputFileError] = {}
        self.ended = False

    def __iter__(self) -> _LineSource:
        return self

    def __next__(self) -> str:
        try:
            line_no, text, problem = next(self._lines)
        except StopIteration:
            self.ended = True
            raise
        self.line = line_no
        if problem is not None:
            self.errors[line_no] = problem
        return text


def _next_row(reader: Iterator[list[str]]) -> list[str]:
    """The next CSV row, parsed with the field size limit raised to :data:`_CSV_FIELD_LIMIT`.

    The caller's limit is put back before this returns, so code that uses :mod:`csv`
    between rows, or after reading, sees its own setting.
    """
    old = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(old)


def _unclosed_quote(row: list[str], last_line: int, name: str) -> InputFileError:
    """The error for a row that ended at the end of the file inside a quoted cell.

    That cell is the row's last and holds the rest of the file from its opening quote,
    so the quote opened as many lines before ``last_line`` as the cell has line breaks
    (not counting a line break that ends the file).
    """
    cell = row[-1] if row else ""
    opened = last_line - cell.removesuffix("\n").count("\n")
    return InputFileError(
        "expected a closing '\"' for the quoted cell that opens on this line, got the end "
        f"of the file at line {last_line} (the quote is never closed, so the rest of the "
        "file would be read as one cell)",
        path=name,
        line=opened,
    )


def _iter_csv(
    handle: IO[bytes], name: str, roles: RoleMap | None, columns: CsvColumns
) -> Iterator[Conversation | InputFileError]:
    source = _LineSource(handle, name)
    reader = csv.reader(source)
    try:
        header = _next_row(reader)
    except StopIteration:
        header = []
    except csv.Error as error:
        yield InputFileError(f"cannot read the CSV header: {error}", path=name, line=1)
        return
    if source.errors:
        yield next(iter(source.errors.values()))
        return
    if source.ended and header:
        yield _unclosed_quote(header, source.line, name)
        return
    if not header:
        yield InputFileError(
            f"the file is empty; expected a header row with the columns {columns.id}, "
            f"{columns.role}, {columns.text}",
            path=name,
        )
        return
    header = [h.strip() for h in header]
    wanted = [columns.id, columns.role, columns.text]
    missing = [c for c in wanted if c not in header]
    if missing:
        yield InputFileError(
            f"missing columns {missing}; expected the columns {', '.join(wanted)} "
            f"(and optionally {columns.timestamp}), got {header[:10]} "
            "(set other names with the CLI's --id-column, --role-column and --text-column, "
            "or in Python with columns=CsvColumns(id=..., role=..., text=...))",
            path=name,
            line=1,
        )
        return
    used = [*wanted, *([columns.timestamp] if columns.timestamp in header else [])]
    twice = [c for c in used if header.count(c) > 1]
    if twice:
        where = [n for n, h in enumerate(header, start=1) if h == twice[0]]
        yield InputFileError(
            f"the header names the column {twice[0]!r} more than once (columns "
            f"{', '.join(map(str, where))}); expected each of the columns {', '.join(used)} "
            "once (rename or remove the extra columns)",
            path=name,
            line=1,
        )
        return
    i_id, i_role, i_text = (header.index(c) for c in wanted)
    i_ts = header.index(columns.timestamp) if columns.timestamp in header else None
    finished: set[str] = set()
    current: str | None = None
    turns: list[dict[str, str | None]] = []
    lines: list[int] = []
    bad: InputFileError | None = None

    def flush() -> Conversation | InputFileError | None:
        if current is None:
            return None
        if bad is not None:
            return bad
        try:
            return as_conversation(turns, roles=roles, id=current)
        except InvalidConversationError as error:
            line = lines[error.turn] if error.turn is not None and error.turn < len(lines) else None
            return _conversation_error(error, name, line or lines[0], current)

    last_line = source.line
    while True:
        start = last_line + 1
        try:
            row = _next_row(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if (result := flush()) is not None:
                yield result
            yield InputFileError(
                f"cannot read the CSV row: {error}; the rest of the file is skipped",
                path=name,
                line=start,
            )
            return
        last_line = source.line
        problem = None
        for number in range(start, last_line + 1):
            found = source.errors.pop(number, None)
            problem = problem or found
        if problem is None and source.ended:
            problem = _unclosed_quote(row, last_line, name)
        if problem is None and (not row or (len(row) == 1 and not row[0].strip())):
            continue
        row_id = row[i_id] if len(row) > i_id else ""
        if row_id != current:
            if (result := flush()) is not None:
                yield result
            if current is not None:
                finished.add(current)
            current, turns, lines, bad = row_id, [], [], None
            if row_id in finished:
                bad = InputFileError(
                    f"conversation {row_id!r} appears again after other conversations, so "
                    "its rows above were read as a conversation on their own, which is "
                    "incomplete; expected the rows of a conversation to be consecutive (sort "
                    f"the file by {columns.id} first, keeping the turn order)",
                    path=name,
                    line=start,
                )
        if bad is not None:
            continue
        if problem is not None:
            bad = problem
        elif len(row) != len(header):
            bad = InputFileError(
                f"expected {len(header)} fields as in the header, got {len(row)}",
                path=name,
                line=start,
            )
        elif not row_id.strip():
            bad = InputFileError(
                f"expected a conversation id in column {columns.id!r}, got an empty cell",
                path=name,
                line=start,
            )
        else:
            turns.append(
                {
                    "role": row[i_role],
                    "text": row[i_text],
                    "timestamp": (row[i_ts] or None) if i_ts is not None else None,
                }
            )
            lines.append(start)
    if current is None:
        yield InputFileError(
            "the file has a header but no rows; expected one row per turn", path=name, line=1
        )
        return
    if (result := flush()) is not None:
        yield result


def _iter_file(
    path: Path, fmt: Format | None, roles: RoleMap | None, columns: CsvColumns
) -> Iterator[Conversation | InputFileError]:
    name = os.fspath(path)
    stdin = name == "-"
    if stdin:
        name = "<stdin>"
    try:
        chosen = fmt or ("jsonl" if stdin else detect_format(path))
    except InputFileError as error:
        yield error
        return
    try:
        handle: IO[bytes] = sys.stdin.buffer if stdin else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        yield InputFileError(f"cannot open the file: {error.strerror or error}", path=name)
        return
    try:
        if chosen == "jsonl":
            yield from _iter_jsonl(handle, name, roles)
        elif chosen == "json":
            yield from _iter_json(handle, name, roles)
        elif chosen == "txt":
            yield from _iter_txt(handle, name, roles)
        else:
            yield from _iter_csv(handle, name, roles, columns)
    except _EncodingError as error:
        yield error.error
    except OSError as error:
        yield InputFileError(f"cannot read the file: {error.strerror or error}", path=name)
    finally:
        if not stdin:
            handle.close()


def read(
    paths: PathLike | Iterable[PathLike],
    *,
    format: Format | None = None,
    skip_invalid: bool = False,
    on_error: ErrorHandler | None = None,
    roles: RoleMap | None = None,
    columns: CsvColumns | Mapping[str, str | None] | None = None,
) -> Iterator[Conversation]:
    """Read conversations from files and folders, one at a time.

    Args:
        paths: A file or folder, or several. Folders are searched recursively for the
            endings in :data:`FORMATS` (see :func:`find_files`). ``"-"`` reads standard
            input (JSON Lines unless ``format`` says otherwise).
        format: Read every file as this format instead of going by its name's ending.
        skip_invalid: Report a record that cannot be read to ``on_error`` and go on,
            instead of raising.
        on_error: Called with each :class:`~empathykit.exceptions.InputFileError` when
            ``skip_invalid`` is true, e.g. ``errors.append``.
        roles: Extra speaker names, e.g. ``{"Dana": "agent"}`` (see
            :func:`~empathykit.as_conversation`).
        columns: CSV column names, as :class:`CsvColumns` or a mapping such as
            ``{"id": "chat_id"}``.

    Yields:
        Each conversation, with an ``id`` (see the module notes for defaults).

    Raises:
        InputFileError: A file cannot be opened, is not UTF-8, or holds a malformed record
            (without ``skip_invalid``). The message names the file and line.
        ConfigurationError: ``paths``, ``format`` or ``columns`` are not valid.

    Example:
        >>> import pathlib, tempfile
        >>> from empathykit import io
        >>> path = pathlib.Path(tempfile.mkdtemp(), "chats.jsonl")
        >>> _ = path.write_text(
        ...     '{"id": "a1", "turns": [{"role": "customer", "text": "Hi"}]}\\n'
        ...     '{"id": "a2", "turns": []}\\n'
        ... )
        >>> errors = []
        >>> [c.id for c in io.read(path, skip_invalid=True, on_error=errors.append)]
        ['a1']
        >>> print(errors[0])  # doctest: +ELLIPSIS
        /...chats.jsonl:2: conversation 'a2': expected at least one turn, got an empty conversation
    """
    if format is not None and format not in FORMATS.values():
        raise ConfigurationError(
            f"format: expected one of {sorted(set(FORMATS.values()))}, got {format!r}"
        )
    chosen_columns = _columns(columns)
    path_list = _as_path_list(paths)
    return _read(path_list, format, skip_invalid, on_error, roles, chosen_columns)


def _read(
    paths: list[PathLike],
    fmt: Format | None,
    skip_invalid: bool,
    on_error: ErrorHandler | None,
    roles: RoleMap | None,
    columns: CsvColumns,
) -> Iterator[Conversation]:
    for item in _expand(paths):
        results: Iterable[Conversation | InputFileError] = (
            [item] if isinstance(item, InputFileError) else _iter_file(item, fmt, roles, columns)
        )
        for result in results:
            if isinstance(result, InputFileError):
                if not skip_invalid:
                    raise result
                if on_error is not None:
                    on_error(result)
            else:
                yield result


# -- writing ----------------------------------------------------------------------------


def neutralise_cell(value: str) -> str:
    """Escape a CSV text cell that a spreadsheet would run as a formula.

    A leading ``'`` is added when the cell begins with one of :data:`FORMULA_PREFIXES`
    or with ``'`` itself, so :func:`restore_cell` gives back the exact text.

    Example:
        >>> neutralise_cell("=HYPERLINK(\\"http://x\\")"), neutralise_cell("order 12")
        ('\\'=HYPERLINK("http://x")', 'order 12')
    """
    if value[:1] in FORMULA_PREFIXES or value.startswith("'"):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell`: remove one leading apostrophe.

    Example:
        >>> restore_cell(neutralise_cell("-1 star")), restore_cell(neutralise_cell("'quoted'"))
        ('-1 star', "'quoted'")
    """
    return value[1:] if value.startswith("'") else value


def report_row(report: Report) -> dict[str, Any]:
    """One flat row of a report: what :func:`write_csv` and ``score_frame`` write.

    Keys: ``id``, ``overall``, each behaviour's value (``None`` for N/A), each
    behaviour's ``<name>_opportunities``, the customer's ``sentiment_start``,
    ``sentiment_end`` and ``sentiment_shift``, ``turns`` and ``evidence`` (counts).

    Example:
        >>> import empathykit
        >>> row = report_row(empathykit.score("Customer: Hello.\\nAgent: Hi!", id="c1"))
        >>> row["id"], row["apology"], row["apology_opportunities"]
        ('c1', None, 0)
    """
    row: dict[str, Any] = {"id": report.conversation.id, "overall": report.overall}
    for dim in report.scores:
        row[dim.name] = dim.value
    for dim in report.scores:
        row[f"{dim.name}_opportunities"] = dim.opportunities
    sentiment = report.sentiment
    row["sentiment_start"] = sentiment.start
    row["sentiment_end"] = sentiment.end
    row["sentiment_shift"] = sentiment.shift
    row["turns"] = len(report.conversation.turns)
    row["evidence"] = sum(len(dim.evidence) for dim in report.scores)
    return row


def _cell(value: object, neutralise: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: keep them visible and writable
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return neutralise_cell(text) if neutralise else text


def write_csv(reports: Iterable[Report], file: IO[str], *, neutralise: bool = True) -> int:
    """Write one :func:`report_row` per report as CSV, with a header; returns the count.

    Text cells are passed through :func:`neutralise_cell` unless ``neutralise`` is false;
    N/A is an empty cell. Open ``file`` with ``newline=""``.

    Example:
        >>> import empathykit, io as stdio
        >>> out = stdio.StringIO()
        >>> write_csv([empathykit.score("Customer: Hi\\nAgent: Hello", id="=1+1")], out)
        1
        >>> out.getvalue().splitlines()[1].split(",")[:2]
        ["'=1+1", '']
    """
    writer = csv.writer(file)
    header: list[str] | None = None
    count = 0
    for report in reports:
        row = report_row(report)
        if header is None:
            header = list(row)
            writer.writerow(header)
        writer.writerow([_cell(row.get(key), neutralise) for key in header])
        count += 1
    return count


def write_jsonl(reports: Iterable[Report], file: IO[str]) -> int:
    """Write each report's :meth:`~empathykit.Report.to_json` on its own line; returns the count.

    Text that cannot be encoded as UTF-8 (lone surrogates) is written with ``\\u`` escapes,
    which JSON readers turn back into the same string.

    Example:
        >>> import empathykit, io as stdio, json
        >>> out = stdio.StringIO()
        >>> write_jsonl([empathykit.score("Customer: Hi\\nAgent: Hello", id="c1")], out)
        1
        >>> json.loads(out.getvalue())["id"]
        'c1'
    """
    count = 0
    for report in reports:
        line = report.to_json()
        try:
            file.write(line + "\n")
        except UnicodeEncodeError:
            file.write(report.to_json(ensure_ascii=True) + "\n")
        count += 1
    return count


def write_html(
    reports: Iterable[Report], folder: PathLike, *, title: str = "empathykit reports"
) -> int:
    """Write one HTML page per report and an ``index.html`` sorted by overall; returns the count.

    Pages are self-contained (see :meth:`~empathykit.Report.to_html`) and link back to
    the index. The folder is created if needed; existing pages of the same names are
    replaced.

    Example:
        >>> import empathykit, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> reports = [empathykit.score("Customer: Hi\\nAgent: Hello", id=i) for i in ("a", "b")]
        >>> write_html(reports, folder)
        2
        >>> sorted(p.name for p in folder.iterdir())
        ['000001-a.html', '000002-b.html', 'index.html']
    """
    from ._html import index_html, page_name, report_html

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[dict[str, Any], str]] = []
    for number, report in enumerate(reports, start=1):
        name = page_name(number, report.conversation.id)
        page = report_html(report, back="index.html")
        (target / name).write_text(page, encoding="utf-8", errors="xmlcharrefreplace")
        rows.append((report_row(report), name))
    index = index_html(rows, title=title)
    (target / "index.html").write_text(index, encoding="utf-8", errors="xmlcharrefreplace")
    return len(rows)
