"""The ``empathykit`` command: score files and folders, explain a conversation, list scorers.

``empathykit PATH...`` is short for ``empathykit score PATH...``. Exit codes: 0 when
everything was scored, 1 when some input was invalid or could not be scored (the rest
is still scored with ``--skip-invalid``), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import math
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from ._version import __version__
from .exceptions import (
    ConfigurationError,
    DuplicateScorerError,
    EmpathyKitError,
    InputFileError,
)

if TYPE_CHECKING:
    from ._batch import Failure
    from ._conversation import Conversation
    from ._results import Report
    from .typing import Scorer

__all__ = ["main"]

COMMANDS = ("score", "explain", "scorers")
FORMATS = ("table", "json", "jsonl", "csv", "html")
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_SHORT_NAMES = {
    "active_listening": "listening",
    "emotional_acknowledgement": "acknowledge",
    "apology": "apology",
    "solution_offer": "solution",
}

_MAIN_EPILOG = """\
examples:
  empathykit examples/conversations/delivery_handled_well.txt
  empathykit score chats/ --format csv --output scores.csv --jobs 2
  empathykit explain examples/conversations/long_escalation.txt
  empathykit scorers

Run 'empathykit COMMAND --help' for each command's options.
"""

_SCORE_EPILOG = """\
examples:
  empathykit score chat.txt                       table, with the evidence for one file
  empathykit score chats/ -f jsonl -o out.jsonl   every .txt/.json/.jsonl/.csv under chats/
  empathykit score big.jsonl -f csv -o s.csv -j 2 --skip-invalid
  empathykit score turns.csv --id-column chat_id --text-column message
  empathykit score chats/ --weights apology=2,solution_offer=0.5
  empathykit score chats/ --scorers apology,solution_offer
  empathykit score chats/ --scorers default,rules.toml   add the scorers of a TOML file
  empathykit score chats/ -f html -o report/      report/index.html plus one page each
  cat chats.jsonl | empathykit score - -f jsonl

CSV output: text cells that begin with = + - @ (or a tab, carriage return or ')
get a leading ' so spreadsheets do not run them as formulas; remove one leading '
to restore the text. N/A is an empty cell in CSV and null in JSON.

exit codes: 0 all scored, 1 some input invalid or unscorable, 2 usage error.
"""

_EXPLAIN_EPILOG = """\
examples:
  empathykit explain examples/conversations/delivery_handled_badly.txt
  empathykit explain chats.jsonl --id twcs:1234 --color never | less

Each agent turn shows its scores and its evidence: [marked text](n) with the
numbered rules below the turn. Each customer turn shows its tone (VADER compound
in [-1, 1]) and which behaviours it calls for.
"""

_SCORERS_EPILOG = """\
examples:
  empathykit scorers
  empathykit score chats/ --scorers apology,solution_offer
"""


class _UsageError(Exception):
    """A bad command-line value: exit code 2."""


# -- argument parsing -------------------------------------------------------------------


def _scoring_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("scoring")
    group.add_argument(
        "--weights",
        metavar="NAME=W,...",
        help="weight of behaviours in the overall score, e.g. apology=2,solution_offer=0.5",
    )
    group.add_argument(
        "--scorers",
        metavar="NAMES",
        help="comma-separated registered scorer names, 'default' for the four built-ins, "
        "and/or TOML rules files (see 'empathykit scorers'); replaces the defaults",
    )
    group.add_argument(
        "--roles",
        metavar="NAME=ROLE,...",
        help="extra speaker names, e.g. Dana=agent,System=none (none drops those turns)",
    )
    reading = parser.add_argument_group("reading")
    reading.add_argument(
        "--input-format",
        choices=("txt", "json", "jsonl", "csv"),
        help="read every file as this format (default: by the file name's ending)",
    )
    for option, default, what in (
        ("--id-column", "conversation_id", "conversation id"),
        ("--role-column", "role", "role"),
        ("--text-column", "text", "text"),
        ("--timestamp-column", "timestamp", "optional timestamp"),
    ):
        reading.add_argument(
            option,
            default=default,
            metavar="NAME",
            help=f"CSV input: the {what} column (default: {default})",
        )


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="empathykit",
        description="Evidence-backed empathy scores for customer-service conversations.",
        epilog=_MAIN_EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"empathykit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    score = commands.add_parser(
        "score",
        help="score files and folders of conversations",
        description="Score every conversation in the given files and folders.",
        epilog=_SCORE_EPILOG,
        formatter_class=formatter,
    )
    score.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files (.txt, .json, .jsonl, .csv) or folders; - reads JSON Lines from stdin",
    )
    score.add_argument(
        "-f", "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    score.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write here instead of standard output (a folder for --format html batches)",
    )
    score.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="worker processes (default 1; 0 for one per CPU)",
    )
    score.add_argument(
        "--skip-invalid",
        action="store_true",
        help="report invalid records on stderr and go on (exit code 1 at the end)",
    )
    score.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary on stderr"
    )
    score.add_argument(
        "--evidence",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="table format: list the evidence of each conversation (default: for one only)",
    )
    _scoring_options(score)
    score.set_defaults(handler=_cmd_score)

    explain = commands.add_parser(
        "explain",
        help="show a transcript with its evidence marked, for reading in a terminal",
        description="Show each conversation of FILE with every agent turn's evidence marked "
        "and the customer's tone per turn.",
        epilog=_EXPLAIN_EPILOG,
        formatter_class=formatter,
    )
    explain.add_argument("file", metavar="FILE", help="a transcript, JSON, JSON Lines or CSV file")
    explain.add_argument("--id", help="only the conversation with this id")
    explain.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the marks (default: when standard output is a terminal and NO_COLOR "
        "is not set)",
    )
    _scoring_options(explain)
    explain.set_defaults(handler=_cmd_explain)

    scorers = commands.add_parser(
        "scorers",
        help="list the available scorers",
        description="List every registered scorer, plug-ins included, with one line each.",
        epilog=_SCORERS_EPILOG,
        formatter_class=formatter,
    )
    scorers.set_defaults(handler=_cmd_scorers)
    return parser


def _pairs(text: str | None, option: str, *, fold: bool = False) -> dict[str, str]:
    """``NAME=VALUE,…`` as a dict; a name given twice (ignoring case with ``fold``, as
    role names are) is a usage error rather than a silent "last one wins"."""
    if text is None:
        return {}
    pairs: dict[str, str] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise _UsageError(
                f"{option}: expected NAME=VALUE pairs separated by commas, got {part!r}"
            )
        name = name.strip()
        if (name.casefold() if fold else name) in {
            seen.casefold() if fold else seen for seen in pairs
        }:
            raise _UsageError(f"{option}: {name!r} is given twice; expected each name once")
        pairs[name] = value.strip()
    return pairs


def _weights(text: str | None) -> dict[str, float]:
    weights: dict[str, float] = {}
    for name, value in _pairs(text, "--weights").items():
        try:
            weight = float(value)
        except ValueError:
            raise _UsageError(f"--weights: expected a number for {name!r}, got {value!r}") from None
        if not math.isfinite(weight) or weight < 0:
            raise _UsageError(f"--weights: expected a finite weight ≥ 0 for {name!r}, got {value}")
        weights[name] = weight
    return weights


def _roles(text: str | None) -> dict[str, str | None] | None:
    pairs = _pairs(text, "--roles", fold=True)
    if not pairs:
        return None
    return {k: (None if v.lower() in {"none", "drop"} else v) for k, v in pairs.items()}


def _scorers(text: str | None) -> tuple[list[Scorer] | None, dict[str, float]]:
    """The scorers of ``--scorers``, and the weights of any TOML files among them."""
    if text is None:
        return None, {}
    from . import _registry, _score, _toml

    chosen: list[Scorer] = []
    weights: dict[str, float] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if item in {"default", "defaults"}:
            chosen.extend(_score.default_scorers())
        elif item.lower().endswith(".toml") or os.sep in item or Path(item).is_file():
            path = Path(item)
            if not path.is_file():
                raise _UsageError(f"--scorers: no such rules file {item!r}")
            chosen.extend(_toml.load_scorers(path))
            weights.update(_toml.load_weights(path))
        else:
            chosen.append(_registry.get_scorer(item))
    if not chosen:
        raise _UsageError(f"--scorers: expected scorer names or TOML files, got {text!r}")
    try:
        _score.resolve_scorers(chosen)
    except DuplicateScorerError as error:  # e.g. default,default
        raise _UsageError(f"--scorers: {error}") from None
    return chosen, weights


# -- output helpers ---------------------------------------------------------------------


class _Out(Protocol):
    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


class _Escaping:
    """Writes to ``stream``, escaping what its encoding cannot take (lone surrogates).

    ``errors`` is the codec error handler: ``backslashreplace`` for text (``\\ud800``),
    ``xmlcharrefreplace`` for HTML (``&#55296;``), as the writers of :mod:`empathykit.io` do.
    """

    def __init__(self, stream: IO[str], errors: str = "backslashreplace") -> None:
        self._stream = stream
        self._errors = errors

    def write(self, text: str, /) -> int:
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:  # raised before anything of ``text`` is written
            encoding = getattr(self._stream, "encoding", None) or "utf-8"
            return self._stream.write(text.encode(encoding, self._errors).decode(encoding))

    def flush(self) -> None:
        self._stream.flush()


# Characters that change how the rest of a line reads: the bidirectional embeddings,
# overrides and isolates (U+202E shows what follows right to left, and so can make a line
# say what it does not), and lone surrogates, which the output writes as six characters
# (\ud800), so a table row padded around one character would no longer line up. The
# direction marks (U+200E, U+200F, U+061C), which Hebrew and Arabic text holds as a
# matter of course and which reorder nothing beyond the neutral characters beside them,
# are kept.
_LAYOUT = r"\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# C0 and C1 control characters (and DEL): ESC, CSI and BEL can drive the terminal. With
# them, the Unicode line and paragraph separators, and the characters above.
_CONTROL_RE = re.compile(rf"[\x00-\x1f\x7f-\x9f\u2028\u2029{_LAYOUT}]")
# The same, less tab and the line breaks that str.splitlines() splits at.
_CONTROL_IN_LINES_RE = re.compile(rf"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f{_LAYOUT}]")


def _shown(text: object, pattern: re.Pattern[str] = _CONTROL_RE) -> str:
    """``text`` for the terminal: control characters escaped (``\\x1b``, ``\\n``), so
    ids and other text from the input cannot move the cursor, recolour or retitle it, nor
    (``\\u202e``, ``\\u2028``) reverse or break the line; lone surrogates are escaped
    here (``\\ud800``) so that a row is padded to the width it is shown at. Other
    characters, non-ASCII letters included, are kept."""
    return pattern.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), str(text))


def _fmt(value: float | None) -> str:
    return "N/A" if value is None else f"{value:.2f}"


def _short(name: str) -> str:
    return _SHORT_NAMES.get(name, name if len(name) <= 14 else name[:13] + "…")


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for each wide East Asian character,
    none for combining marks and zero-width format characters, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(char) in "WF"
        else 1
        for char in text
    )


def _left_cut(text: str, width: int) -> str:
    """``text`` cut from the left to at most ``width`` columns, and padded to them."""
    if _columns(text) > width:
        kept, used = len(text), 1  # the "…"
        while kept and used + _columns(text[kept - 1]) <= width:
            kept -= 1
            used += _columns(text[kept])
        text = "…" + text[kept:]
    return text + " " * (width - _columns(text))


class _Summary:
    """Counts for the closing line: means, and how many conversations had each opportunity."""

    def __init__(self, unreadable: Callable[[], int] = lambda: 0) -> None:
        self.scored = 0
        self.failed = 0
        self._unreadable = unreadable
        self.overall_sum = 0.0  # a running mean: memory stays flat however many are scored
        self.overall_count = 0
        self.names: list[str] = []
        self.sums: dict[str, float] = {}
        self.applicable: dict[str, int] = {}
        self.with_opportunity: dict[str, int] = {}

    def add(self, report: Report) -> None:
        self.scored += 1
        if report.overall is not None:
            self.overall_sum += report.overall
            self.overall_count += 1
        for dim in report.scores:
            if dim.name not in self.sums:
                self.names.append(dim.name)
                self.sums[dim.name] = 0.0
                self.applicable[dim.name] = self.with_opportunity[dim.name] = 0
            if dim.value is not None:
                self.sums[dim.name] += dim.value
                self.applicable[dim.name] += 1
            if dim.opportunities:
                self.with_opportunity[dim.name] += 1

    @property
    def invalid(self) -> int:
        """Records that could not be read, plus conversations that could not be scored."""
        return self._unreadable() + self.failed

    def line(self) -> str:
        invalid = f", {self.invalid:,} invalid" if self.invalid else ""
        head = f"{self.scored:,} conversation{'s' if self.scored != 1 else ''} scored{invalid}"
        if not self.scored:
            return head
        mean = (
            f"mean overall {self.overall_sum / self.overall_count:.2f}"
            if self.overall_count
            else "mean overall N/A"
        )
        parts = [f"{head}: {mean}"]
        for name in self.names:
            count = self.applicable[name]
            value = f"{self.sums[name] / count:.2f}" if count else "N/A"
            parts.append(f"{_shown(name)} {value} (opportunity in {self.with_opportunity[name]:,})")
        return " | ".join(parts)


class _Progress:
    """A progress bar on stderr: tqdm when installed, else a one-line counter."""

    def __init__(self, stream: IO[str], total: int | None, enabled: bool) -> None:
        self._stream = stream
        self._total = total
        self._enabled = enabled
        self._count = 0
        self._started = time.monotonic()
        self._shown = 0.0
        self._bar: Any = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self._bar = tqdm(
                    total=total, unit=" conv", file=stream, dynamic_ncols=True, mininterval=0.5
                )

    def update(self) -> None:
        self._count += 1
        if not self._enabled:
            return
        if self._bar is not None:
            self._bar.update(1)
            return
        now = time.monotonic()
        if now - self._shown >= 0.25:
            self._shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self._count / max(now - self._started, 1e-9)
        of = f" of {self._total:,}" if self._total else ""
        self._stream.write(f"\rscored {self._count:,}{of} conversations ({rate:,.0f}/s)")
        self._stream.flush()

    def close(self) -> None:
        if not self._enabled:
            return
        if self._bar is not None:
            self._bar.close()
            return
        self._draw(time.monotonic())
        self._stream.write("\n")
        self._stream.flush()


def _count_records(files: Sequence[str]) -> int | None:
    """How many JSON Lines records the inputs hold, when every input is a .jsonl file."""
    total = 0
    for name in files:
        path = Path(name)
        if path.suffix.lower() not in {".jsonl", ".ndjson"} or not path.is_file():
            return None
        with path.open("rb") as handle:
            last = b"\n"
            while chunk := handle.read(1 << 20):
                total += chunk.count(b"\n")
                last = chunk[-1:]
            total += last != b"\n"
    return total


def _read_ahead(paths: Sequence[str], jobs: int) -> int:
    """The ``chunk_size`` for :func:`~empathykit.score_many`: in one process, 1 when an
    input may be a live stream (``-``, a pipe, ``/dev/stdin``), so that each result is
    written as its record arrives; else a chunk, which is faster."""
    from ._batch import DEFAULT_CHUNK_SIZE, resolve_jobs

    live = any(path == "-" or not (Path(path).is_file() or Path(path).is_dir()) for path in paths)
    return 1 if live and resolve_jobs(jobs) == 1 else DEFAULT_CHUNK_SIZE


def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# -- reading with error reporting -------------------------------------------------------


class _Input:
    """Reads conversations, reporting invalid records and remembering the first error."""

    def __init__(self, args: argparse.Namespace, stderr: IO[str]) -> None:
        from .io import CsvColumns

        self.stderr = stderr
        self.invalid = 0
        self.stopped: InputFileError | None = None
        self.skip = bool(getattr(args, "skip_invalid", False))
        self.paths: list[str] = list(getattr(args, "paths", None) or [args.file])
        output = getattr(args, "output", None)
        # The output file, left out of the files found in folders: it is written as they are read.
        self.output: str | None = None if output in (None, "-") else output
        self.format = args.input_format
        self.roles = _roles(args.roles)
        try:
            self.columns = CsvColumns(
                id=args.id_column,
                role=args.role_column,
                text=args.text_column,
                timestamp=args.timestamp_column or None,
            )
        except ConfigurationError as error:
            raise _UsageError(str(error)) from None

    def report(self, error: InputFileError) -> None:
        self.invalid += 1
        self.stderr.write(f"empathykit: {error}\n")

    def stop_hint(self) -> str:
        """What to do about the error that stopped the run: nothing for a lone input
        that holds no records (--skip-invalid would find nothing else to score)."""
        error = self.stopped
        if error is None or (error.line is None and self.paths == [error.path]):
            return ""
        what = "record" if error.line is not None else "input"
        return f"empathykit: stopped at this {what}; use --skip-invalid to score the rest\n"

    def __iter__(self) -> Iterator[Conversation]:
        try:
            yield from self._read()
        except InputFileError as error:
            # Stop reading, but let what was already read be scored and written.
            self.invalid += 1
            self.stopped = error

    def _read(self) -> Iterator[Conversation]:
        from .io import _detect_format, read

        for item in self._files():
            if self.format is None and not isinstance(item, InputFileError) and item != "-":
                try:  # the check read() makes, its error naming the option, not format=
                    _detect_format(item, "use --input-format jsonl and so on")
                except InputFileError as error:
                    item = error
            if isinstance(item, InputFileError):
                if not self.skip:
                    raise item
                self.report(item)
                continue
            yield from read(
                item,
                format=self.format,
                skip_invalid=self.skip,
                on_error=self.report,
                roles=self.roles,
                columns=self.columns,
            )

    def _files(self) -> Iterator[str | Path | InputFileError]:
        """The inputs, with folders searched as :func:`empathykit.io.read` does, less the output."""
        from . import io

        for name in self.paths:
            if name == "-" or not Path(name).is_dir():
                yield name
                continue
            found = False
            for item in io._walk(Path(name)):
                if isinstance(item, InputFileError) or not self._is_output(item):
                    found = True
                    yield item
            if not found:  # a wrong folder is not a successful run over nothing
                yield InputFileError(
                    "the folder holds no conversation files; expected files ending in "
                    + ", ".join(sorted(io.FORMATS)),
                    path=name,
                )

    def _is_output(self, path: Path) -> bool:
        return self.output is not None and _same_file(path, self.output)


def _same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (through links too), the second perhaps not made yet."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them is not there yet
        return os.path.realpath(a) == os.path.realpath(b)


# -- score ------------------------------------------------------------------------------


def _write_table(
    reports: Iterable[Report], out: _Out, evidence: bool | None, summary: _Summary
) -> None:
    header_written = False
    first: Report | None = None
    count = 0
    for report in reports:
        count += 1
        conv_id = _shown(report.conversation.id or "")
        if not header_written:
            names = [_short(_shown(d.name)) for d in report.scores]
            widths = [max(len(n), 6) for n in names]
            id_width = min(max(_columns(conv_id), 12), 80)
            out.write(
                f"{'conversation':<{id_width}} {'overall':>7} "
                + " ".join(f"{n:>{w}}" for n, w in zip(names, widths, strict=True))
                + "\n"
            )
            header_written = True
        out.write(
            f"{_left_cut(conv_id or '-', id_width)} "
            f"{_fmt(report.overall):>7} "
            + " ".join(f"{_fmt(d.value):>{w}}" for d, w in zip(report.scores, widths, strict=True))
            + "\n"
        )
        if evidence:
            _write_evidence(report, out)
        elif count == 1:
            first = report
        out.flush()
    if evidence is None and count == 1 and first is not None:
        out.write("\n")
        _write_evidence(first, out)
    if header_written:
        out.write("\n")
    out.write(summary.line() + "\n")


def _write_evidence(report: Report, out: _Out) -> None:
    label = f"{_shown(report.conversation.id)}: " if report.conversation.id else ""
    if not report.evidence:
        out.write(f"  {label}no evidence found\n")
    for ev in report.evidence:
        out.write(f"  turn {ev.turn}: {_shown(ev.rule)} {ev.text!r} — {_shown(ev.explanation)}\n")


def _write_json(reports: Iterable[Report], out: IO[str]) -> None:
    out.write("[")
    for number, report in enumerate(reports):
        out.write(",\n" if number else "\n")
        try:
            out.write(report.to_json())
        except UnicodeEncodeError:
            out.write(report.to_json(ensure_ascii=True))
    out.write("\n]\n")


def _open_output(path: str | None, stdout: IO[str]) -> tuple[IO[str], bool]:
    if path is None or path == "-":
        return stdout, False
    try:
        return open(path, "w", encoding="utf-8", newline=""), True
    except OSError as error:
        raise _UsageError(f"--output: cannot write {path!r}: {error.strerror or error}") from None


_PAGE_NAME_RE = re.compile(r"index\.html|\d{6,}(-.*)?\.html", re.DOTALL)


def _check_output(output: str | None, paths: Sequence[str]) -> None:
    """Refuse an ``--output`` that is one of the input files: writing would wipe it."""
    if output is None or output == "-":
        return
    for path in paths:
        if path == "-" or Path(path).is_dir():
            continue
        if _same_file(path, output):
            raise _UsageError(
                f"--output: {output!r} is the input file {path!r}; writing would replace it "
                "(write the results to another file)"
            )


def _html_folder(args: argparse.Namespace, reports: Iterator[Report]) -> None:
    from . import io

    target = args.output
    folder = os.path.realpath(target)
    for path in args.paths:  # a page name among the explicit inputs (with --input-format)
        if (
            path != "-"
            and os.path.dirname(os.path.realpath(path)) == folder
            and _PAGE_NAME_RE.fullmatch(os.path.basename(path))
        ):
            raise _UsageError(
                f"--output: the pages written to {target!r} could replace the input file "
                f"{path!r} (write them to another folder)"
            )
    if Path(target).exists() and not Path(target).is_dir():
        raise _UsageError(
            f"--output: cannot write {target!r}: it is a file, not a folder (--format html "
            "writes a folder of pages; name a .html file for one conversation)"
        )
    try:
        Path(target).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _UsageError(f"--output: cannot write {target!r}: {error.strerror or error}") from None
    try:
        io.write_html(reports, target)
    except OSError as error:  # a page that cannot be written, e.g. a read-only one
        if error.filename is None or os.path.dirname(os.path.realpath(error.filename)) != folder:
            raise
        raise _UsageError(
            f"--output: cannot write {os.fspath(error.filename)!r}: {error.strerror or error}"
        ) from None


def _html_output(args: argparse.Namespace, reports: Iterator[Report], stdout: IO[str]) -> None:
    target = args.output
    single_file = target is not None and target.lower().endswith((".html", ".htm"))
    if target is not None and (Path(target).is_dir() or not single_file):
        _html_folder(args, reports)
        return
    first = next(reports, None)
    second = next(reports, None)
    if second is not None:
        raise _UsageError(
            "--format html: there are several conversations; write them to a folder with "
            "--output DIR (an index.html and one page each)"
        )
    if first is None:
        return
    out, close = _open_output(target, stdout)
    try:
        _Escaping(out, "xmlcharrefreplace").write(first.to_html())  # as io.write_html does
    finally:
        if close:
            out.close()


def _cmd_score(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ._batch import score_many
    from .io import _path_problem

    weights_cli = _weights(args.weights)
    chosen, weights_toml = _scorers(args.scorers)
    weights = {**weights_toml, **weights_cli} or None
    for path in args.paths:
        if not path:  # Path("") is the current folder
            raise _UsageError("expected a file or folder, got an empty path ('')")
        problem = None if path == "-" else _path_problem(Path(path))
        if problem is not None:
            raise _UsageError(f"{problem}: {path}")
    _check_output(args.output, args.paths)
    jobs = -1 if args.jobs == 0 else args.jobs
    if jobs < -1:
        raise _UsageError(f"--jobs: expected a number of processes ≥ 0, got {args.jobs}")
    source = _Input(args, stderr)
    summary = _Summary(lambda: source.invalid)

    def on_failure(failure: Failure) -> None:
        summary.failed += 1
        stderr.write(f"empathykit: {failure}\n")

    # The bar goes to a terminal's stderr, unless the results themselves scroll past on it.
    to_screen = args.output in (None, "-") and _is_tty(stdout)
    show_progress = not args.quiet and _is_tty(stderr) and not to_screen
    progress = _Progress(
        stderr, _count_records(source.paths) if show_progress else None, show_progress
    )
    results = score_many(
        source,
        n_jobs=jobs,
        weights=weights,
        scorers=chosen,
        roles=source.roles,
        on_error=on_failure,
        chunk_size=_read_ahead(args.paths, jobs),
    )

    def counted() -> Iterator[Report]:
        for report in results:
            summary.add(report)
            progress.update()
            yield report

    reports = counted()
    try:
        if args.format == "html":
            _html_output(args, reports, stdout)
        else:
            out, close = _open_output(args.output, stdout)
            try:
                _write(args, reports, out, summary)
            finally:
                if close:
                    out.close()
    finally:
        progress.close()
    if source.stopped is not None:
        stderr.write(f"empathykit: {source.stopped}\n{source.stop_hint()}")
    if args.format != "table" and not args.quiet:
        stderr.write(summary.line() + "\n")
    return EXIT_INVALID if summary.invalid else EXIT_OK


def _write(
    args: argparse.Namespace, reports: Iterator[Report], out: IO[str], summary: _Summary
) -> None:
    from . import io

    if args.format == "table":
        _write_table(reports, _Escaping(out), args.evidence, summary)
    elif args.format == "jsonl":
        io.write_jsonl(reports, out)
    elif args.format == "json":
        _write_json(reports, out)
    else:
        io.write_csv(reports, out)


# -- explain ----------------------------------------------------------------------------

_COLOURS = {
    "active_listening": "\x1b[44;97m",
    "emotional_acknowledgement": "\x1b[45;97m",
    "apology": "\x1b[43;30m",
    "solution_offer": "\x1b[42;30m",
}
_OTHER_COLOUR = "\x1b[46;30m"
_RESET = "\x1b[0m"


def _tone_words(report: Report, index: int) -> str:
    value = report.sentiment.turns[index]
    if value is None:
        return ""
    mood = "positive" if value >= 0.05 else "negative" if value <= -0.05 else "neutral"
    words = f"tone {value:+.2f} {mood}"
    # Read from the text rather than report.conversation.analysis, which score_many
    # dropped after scoring: making it again would analyse the whole turn a second time.
    from ._analysis import tone_of

    if tone_of(report.conversation.turns[index].text).raised:
        words += ", raised voice"
    return words


def _marked(text: str, spans: list[tuple[int, int, list[int], str]], colour: bool) -> str:
    parts: list[str] = []
    position = 0
    for start, end, numbers, behaviour in spans:
        parts.append(_shown(text[position:start], _CONTROL_IN_LINES_RE))
        body = _shown(text[start:end], _CONTROL_IN_LINES_RE)
        if colour:
            body = _COLOURS.get(behaviour, _OTHER_COLOUR) + body + _RESET
        parts.append(f"[{body}]({','.join(map(str, numbers))})")
        position = end
    parts.append(_shown(text[position:], _CONTROL_IN_LINES_RE))
    return "".join(parts)


def _explain(report: Report, out: _Out, colour: bool) -> None:
    conv = report.conversation
    out.write(f"{_shown(conv.id or 'conversation')} — overall {_fmt(report.overall)}\n")
    out.write("  " + " · ".join(f"{_shown(d.name)} {_fmt(d.value)}" for d in report.scores) + "\n")
    if report.sentiment.start is not None and report.sentiment.end is not None:
        shift = report.sentiment.shift
        out.write(
            f"  customer tone {report.sentiment.start:+.2f} → {report.sentiment.end:+.2f}"
            + (f" (shift {shift:+.2f})" if shift is not None else "")
            + "\n"
        )
    by_turn: dict[int, list[Any]] = {}
    for dim in report.scores:
        for ev in dim.evidence:
            by_turn.setdefault(ev.turn, []).append((ev, dim.name))
    for index, turn in enumerate(conv.turns):
        head = [f"#{index} {turn.role.value.capitalize()}"]
        if turn.speaker and turn.speaker.casefold() != turn.role.value:
            head[0] += f" ({_shown(turn.speaker)})"
        tone = _tone_words(report, index)
        if tone:
            head.append(tone)
        calls = [d.name for d in report.scores if index in d.opportunity_turns]
        if calls:
            head.append("calls for " + ", ".join(map(_shown, calls)))
        head += [
            f"{_shown(d.name)} {d.turn_scores[index]:.2f}"
            for d in report.scores
            if d.turn_scores[index] is not None and turn.role.value == "agent"
        ]
        out.write("\n" + " · ".join(head) + "\n")
        items = sorted(by_turn.get(index, []), key=lambda p: (p[0].start, p[0].end, p[0].rule))
        spans: list[tuple[int, int, list[int], str]] = []
        for number, (ev, name) in enumerate(items, start=1):
            if spans and ev.start < spans[-1][1]:
                start, end, numbers, behaviour = spans[-1]
                spans[-1] = (start, max(end, ev.end), [*numbers, number], behaviour)
            else:
                spans.append((ev.start, ev.end, [number], name))
        text = _marked(turn.text, spans, colour)
        out.write("".join(f"    {line}\n" for line in text.splitlines() or [""]))
        for number, (ev, _name) in enumerate(items, start=1):
            out.write(
                f"      ({number}) {_shown(ev.rule)} {ev.weight:+.2f}: {_shown(ev.explanation)}\n"
            )
    out.write("\n")


def _cmd_explain(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ._batch import score_many
    from .io import _path_problem

    weights_cli = _weights(args.weights)
    chosen, weights_toml = _scorers(args.scorers)
    weights = {**weights_toml, **weights_cli} or None
    if not args.file:
        raise _UsageError("explain: expected a file, got an empty path ('')")
    problem = None if args.file == "-" else _path_problem(Path(args.file))
    if problem is not None:  # (a named pipe will do)
        raise _UsageError(f"explain: {problem}: {args.file}")
    if args.file != "-" and Path(args.file).is_dir():
        raise _UsageError(
            f"explain: {args.file} is a folder; explain takes one file "
            "(use 'empathykit score FOLDER' for a folder)"
        )
    args.skip_invalid = True
    source = _Input(args, stderr)
    colour = args.color == "always" or (
        args.color == "auto" and _is_tty(stdout) and not os.environ.get("NO_COLOR")
    )
    conversations: Iterable[Conversation] = source
    if args.id is not None:
        conversations = (c for c in source if c.id == args.id)
    failed = 0
    found = 0
    out = _Escaping(stdout)

    def on_failure(failure: Failure) -> None:
        nonlocal failed
        failed += 1
        stderr.write(f"empathykit: {failure}\n")

    for report in score_many(
        conversations,
        weights=weights,
        scorers=chosen,
        roles=source.roles,
        on_error=on_failure,
        chunk_size=_read_ahead([args.file], 1),
    ):
        found += 1
        _explain(report, out, colour)
    if args.id is not None and not found and not failed:
        stderr.write(f"empathykit: no conversation with id {args.id!r} in {args.file}\n")
        return EXIT_INVALID
    return EXIT_INVALID if failed or source.invalid else EXIT_OK


# -- scorers ----------------------------------------------------------------------------


def _cmd_scorers(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ._registry import available_scorers
    from ._score import DEFAULT_SCORERS

    scorers = available_scorers()
    width = max(map(len, scorers), default=0)
    for name, description in scorers.items():
        mark = " (default)" if name in DEFAULT_SCORERS else ""
        stdout.write(f"{name:<{width}}  {description or '(no description)'}{mark}\n")
    return EXIT_OK


# -- entry point ------------------------------------------------------------------------


# Errors that only a write gives: the message names what was being written.
_WRITE_ERRORS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)
)


def _discard_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of
    output that cannot be written does not fail again (with a traceback) at exit."""
    with contextlib.suppress(OSError, ValueError):  # (ValueError: no file descriptor)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``empathykit`` command with ``argv`` (default: ``sys.argv[1:]``).

    Returns:
        The exit code: 0 success, 1 some inputs invalid (or a file could not be read or
        written), 2 usage error.

    Example:
        >>> main(["scorers"])  # doctest: +ELLIPSIS
        active_listening  ...
        0
    """
    args = list(sys.argv[1:] if argv is None else argv)
    stdout, stderr = sys.stdout, sys.stderr
    if args and args[0] not in COMMANDS and args[0] not in {"-h", "--help", "--version"}:
        args.insert(0, "score")  # `empathykit chat.txt` is `empathykit score chat.txt`
    parser = _parser()
    try:
        namespace = parser.parse_args(args)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if namespace.command is None:
        parser.print_help(stderr)
        return EXIT_USAGE
    handler: Callable[[argparse.Namespace, IO[str], IO[str]], int] = namespace.handler
    try:
        code = handler(namespace, stdout, stderr)
        stdout.flush()  # here, so that a failed write is reported like any other
        return code
    except _UsageError as error:
        stderr.write(f"empathykit {namespace.command}: error: {error}\n")
        return EXIT_USAGE
    except ConfigurationError as error:
        stderr.write(f"empathykit {namespace.command}: error: {error}\n")
        return EXIT_USAGE
    except (LookupError, ImportError) as error:  # unknown scorer, plug-in failed to load
        stderr.write(f"empathykit {namespace.command}: error: {error}\n")
        return EXIT_USAGE
    except EmpathyKitError as error:
        stderr.write(f"empathykit: {error}\n")
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader went away (`empathykit score … | head`): stop quietly.
        _discard_stdout()
        return EXIT_INVALID
    except OSError as error:  # a full disk, a name too long for the file system
        where = ""
        if error.filename is None and error.errno in _WRITE_ERRORS:
            where = f" (writing {getattr(namespace, 'output', None) or 'standard output'})"
        stderr.write(f"empathykit {namespace.command}: error: {error}{where}\n")
        try:
            stdout.flush()
        except OSError:  # what is left for standard output cannot be written either
            _discard_stdout()
        return EXIT_INVALID
    except KeyboardInterrupt:
        stderr.write("empathykit: interrupted\n")
        return 130
