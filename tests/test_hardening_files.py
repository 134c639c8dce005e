"""Hardening, part 3: broken files give a clear error naming file and line, or are skipped.

Every case counts records in and out: with skip mode each bad record is reported once,
and every good record is still read (through ``empathykit.io.read``) and scored (through
the CLI's ``--skip-invalid``).
"""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from empathykit import InputFileError, io
from empathykit.cli import main
from hostile_strategies import needs_fork, run_guarded


def record(conv_id: str, text: str = "My parcel is late.") -> dict[str, object]:
    return {
        "id": conv_id,
        "turns": [{"role": "customer", "text": text}, {"role": "agent", "text": "Sorry!"}],
    }


def jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def read_skipping(path: Path) -> tuple[list[str], list[InputFileError]]:
    errors: list[InputFileError] = []
    ids = [c.id or "" for c in io.read(path, skip_invalid=True, on_error=errors.append)]
    return ids, errors


def strict_error(path: Path) -> InputFileError:
    with pytest.raises(InputFileError) as caught:
        list(io.read(path))
    return caught.value


# --- truncated, invalid UTF-8, empty ---------------------------------------------------------

BROKEN = {
    # name: (content, good ids kept, line of each bad record)
    "truncated.jsonl": (
        jsonl(record("a"), record("b")) + '{"id": "c", "turns": [{"role": "cus',
        ["a", "b"],
        [3],
    ),
    "truncated.json": (
        "[\n" + json.dumps(record("a")) + ",\n" + json.dumps(record("b"))[:-9],
        ["a"],
        [3],
    ),
    "bad_utf8.jsonl": (
        jsonl(record("a"))
        + '{"id": "b", "turns": [{"role": "agent", "text": "\udcff"}]}\n'
        + jsonl(record("c")),
        ["a", "c"],
        [2],
    ),
    "bad_utf8.csv": (
        "conversation_id,role,text\na,customer,Hi\nb,customer,caf\udce9\nc,agent,Hello\n",
        ["a", "c"],
        [3],
    ),
    "bad_utf8.txt": ("Customer: It broke.\nAgent: Sorry \udcff!\n", [], [2]),
    # A JSON document is decoded whole: one that is not UTF-8 is refused whole.
    "bad_utf8.json": (
        "[\n"
        + json.dumps(record("a"))
        + ",\n"
        + json.dumps(record("b", "caf\udce9"), ensure_ascii=False)
        + "\n]",
        [],
        [3],
    ),
    "missing_columns.csv": ("conversation_id,speaker,text\na,customer,Hi\n", [], [1]),
    "short_row.csv": (
        "conversation_id,role,text\na,customer,Hi\nb,agent\nc,customer,Hello\n",
        ["a", "c"],
        [3],
    ),
    "unclosed_quote.csv": (
        'conversation_id,role,text\na,customer,Hi\na,agent,"Sorry,\nreally"\n'
        'b,customer,"my bag is lost\nc,agent,Hello\n',
        ["a"],
        [5],
    ),
    "quoted_newlines.csv": (
        'conversation_id,role,text\na,customer,"line one\nline two"\n'
        'a,agent,"Sorry,\n\nreally"\nb,nobody,Hi\nc,agent,Hello\n',
        ["a", "c"],
        [7],
    ),
}


def _write(path: Path, content: str) -> None:
    # Lone surrogates stand for bytes that are not UTF-8 (\udcff is the byte 0xff).
    path.write_bytes(content.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_names_file_and_line(tmp_path: Path, name: str) -> None:
    """Without skipping, the first bad record raises InputFileError with the file and line."""
    content, _, lines = BROKEN[name]
    path = tmp_path / name
    _write(path, content)
    error = strict_error(path)
    assert (str(path), lines[0]) == (error.path, error.line)
    assert str(error).startswith(f"{path}:{lines[0]}: ")


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_skipping_reports_each_bad_record_and_keeps_every_good_one(
    tmp_path: Path, name: str
) -> None:
    """With skip_invalid, records in = good records out + bad records reported."""
    content, good, lines = BROKEN[name]
    path = tmp_path / name
    _write(path, content)
    ids, errors = read_skipping(path)
    assert good == ids
    assert [(str(path), line) for line in lines] == [(e.path, e.line) for e in errors]


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".txt"])
@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_an_error_naming_it(tmp_path: Path, suffix: str, content: bytes) -> None:
    """An empty (or blank, or BOM-only) file is one error naming the file; nothing is read."""
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    assert str(path) == strict_error(path).path
    ids, errors = read_skipping(path)
    assert ([], 1) == (ids, len(errors))
    assert "empty" in str(errors[0])


# --- BOM and CRLF ----------------------------------------------------------------------------

TEXTS = ["My parcel is late, \u00e9t\u00e9 \U0001f621", "Sorry!  Let me check.", "Thanks"]


def _in_format(suffix: str) -> str:
    turns = list(zip(["customer", "agent", "customer"], TEXTS, strict=True))
    if suffix == ".jsonl":
        return jsonl({"id": "a", "turns": [{"role": r, "text": t} for r, t in turns]})
    if suffix == ".json":
        return json.dumps(
            {"id": "a", "turns": [{"role": r, "text": t} for r, t in turns]}, indent=1
        )
    if suffix == ".csv":
        rows = "".join(f'a,{r},"{t}"\n' for r, t in turns)
        return "conversation_id,role,text\n" + rows
    return "".join(f"{r.title()}: {t}\n" for r, t in turns)


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".txt"])
@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf"])
def test_bom_and_crlf_read_the_same_as_plain_utf8(
    tmp_path: Path, suffix: str, variant: str
) -> None:
    """A byte-order mark and CRLF line ends change nothing: same turns, same texts."""
    plain = tmp_path / f"plain{suffix}"
    plain.write_bytes(_in_format(suffix).encode())
    other = tmp_path / f"other{suffix}"
    data = _in_format(suffix).encode()
    if "crlf" in variant:
        data = data.replace(b"\n", b"\r\n")
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    other.write_bytes(data)
    [expected] = list(io.read(plain))
    [actual] = list(io.read(other))
    assert TEXTS == [turn.text for turn in actual.turns]
    assert [t.text for t in expected.turns] == [t.text for t in actual.turns]


def test_a_utf16_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    """A UTF-16 file is one clear error at line 1, not mojibake."""
    path = tmp_path / "wide.txt"
    path.write_bytes("Customer: Hi\n".encode("utf-16"))
    error = strict_error(path)
    assert (str(path), 1) == (error.path, error.line)
    assert "UTF-16" in str(error)


# --- transcripts with other line breaks ------------------------------------------------------


@pytest.mark.parametrize(
    ("separator", "line"), [("\u2028", 3), ("\r", 4), ("\x85", 3), ("\x0c", 3)]
)
def test_transcript_errors_name_the_file_line_despite_other_line_breaks(
    tmp_path: Path, separator: str, line: int
) -> None:
    """Lines are numbered as Python's text files number them: a line break other than
    \\n inside a line does not shift the line an error names, except a lone \\r (an old
    Mac line end), which starts a new line."""
    path = tmp_path / "chat.txt"
    path.write_bytes(f"Customer: one{separator}two\nAgent: fine\nDana: who?\n".encode())
    error = strict_error(path)
    assert (str(path), line) == (error.path, error.line)
    with path.open(encoding="utf-8") as text_file:  # what Python itself counts
        assert "Dana: who?\n" == list(text_file)[line - 1]


def _with_cr_ends(suffix: str) -> bytes:
    """Two conversations in the format of ``suffix``, with old-Mac (lone \\r) line ends."""
    if suffix == ".jsonl":
        text = jsonl(record("a", "My parcel is late."), record("b", "Where is my refund?"))
    elif suffix == ".csv":
        text = (
            "conversation_id,role,text\na,customer,My parcel is late.\na,agent,Sorry!\n"
            'b,customer,"Where is my\rrefund?"\nb,agent,Sorry!\n'
        )
    else:
        text = (
            "Customer: My parcel is late.\nAgent: Sorry!\n\n---\n"
            "Customer: Where is my refund?\nAgent: Sorry!\n"
        )
    return text.replace("\n", "\r").encode()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
def test_old_mac_line_ends_read_like_newlines(tmp_path: Path, suffix: str) -> None:
    """A file whose lines end in a lone \\r reads as the same file with \\n ends: every
    record, separator and turn (it was read as one line: records merged or lost)."""
    mac = tmp_path / f"mac{suffix}"
    mac.write_bytes(_with_cr_ends(suffix))
    unix = tmp_path / f"unix{suffix}"
    unix.write_bytes(_with_cr_ends(suffix).replace(b"\r", b"\n"))
    expected = [[(t.role, t.text) for t in c.turns] for c in io.read(unix)]
    actual = [[(t.role, t.text) for t in c.turns] for c in io.read(mac)]
    assert 2 == len(actual)
    if suffix == ".csv":  # a quoted cell keeps its own line break as it is
        expected[1][0] = (expected[1][0][0], "Where is my\rrefund?")
    assert expected == actual


def test_a_stray_cr_in_a_csv_row_fails_that_row_only(tmp_path: Path) -> None:
    """A lone \\r in an unquoted CSV cell ends the row there, as in Python's own CSV
    reading: the broken piece is reported with its line and the rest is read (before,
    the whole rest of the file was skipped)."""
    path = tmp_path / "stray.csv"
    path.write_bytes(
        b"conversation_id,role,text\na,customer,It broke\na,agent,Sorry\n"
        b"b,customer,Hi\rthere my bill is wrong\nc,customer,Late again\nc,agent,Sorry\n"
    )
    ids, errors = read_skipping(path)
    assert "c" == ids[-1]
    assert [5] == [error.line for error in errors]
    assert "expected 3 fields" in str(errors[0])


@pytest.mark.parametrize(
    "raw",
    [b"", b"a\n", b"a\r\n", b"a\r", b"a\rb\r\n", b"\r\r\n", b"x\ry\rz", b"\r"],
)
def test_lines_split_after_each_lone_cr_and_lose_nothing(raw: bytes) -> None:
    """The pieces of a line join back to it, and each but the last ends a line."""
    from empathykit.io import _split_lone_cr

    pieces = _split_lone_cr(raw)
    assert raw == b"".join(pieces)
    assert all(piece.endswith((b"\r", b"\n")) for piece in pieces[:-1])
    assert all(b"\r" not in piece.rstrip(b"\r\n") for piece in pieces)


# --- folders with unreadable entries --------------------------------------------------------


def _mixed_folder(root: Path, *, fifo: bool) -> tuple[int, int]:
    """A folder of good and bad files; returns (good records, bad records)."""
    (root / "sub").mkdir()
    (root / "a.jsonl").write_text(jsonl(record("a1"), record("a2")), encoding="utf-8")
    (root / "sub" / "b.txt").write_text("Customer: It broke.\nAgent: Sorry!\n", encoding="utf-8")
    (root / "c.csv").write_text("conversation_id,role,text\nc1,agent,Hi\nc2,agent\n", "utf-8")
    (root / "d.json").write_text("[" + json.dumps(record("d1")) + ', {"id": "d2", "tur', "utf-8")
    (root / "notes.md").write_text("not read", encoding="utf-8")
    os.symlink(root / "missing.jsonl", root / "broken_link.jsonl")  # a file that cannot be opened
    bad = 4  # c2's short row, d.json's cut-short second record, the broken link, the FIFO
    if fifo:
        os.mkfifo(root / "sub" / "pipe.jsonl")  # open() would wait forever for a writer
    else:
        bad -= 1
    return 5, bad  # a1, a2, b.txt, c1, d1


@pytest.mark.parametrize("fifo", [False, pytest.param(True, marks=needs_fork)])
def test_a_folder_with_unreadable_files_keeps_every_good_record(tmp_path: Path, fifo: bool) -> None:
    """Broken links and FIFOs are reported and skipped; every good record is read.

    Tests run as root here, so a chmod 000 file would still be readable: a broken
    symbolic link and a FIFO stand in for unreadable files.
    """
    good, bad = _mixed_folder(tmp_path, fifo=fifo)
    ids, errors = run_guarded(lambda: _read_ids_and_errors(tmp_path), 60)
    assert good == len(ids)
    assert bad == len(errors), errors
    assert all(message.startswith(str(tmp_path)) for message in errors)


def _read_ids_and_errors(path: Path) -> tuple[list[str], list[str]]:
    ids, errors = read_skipping(path)
    return ids, [str(e) for e in errors]


@needs_fork
def test_the_cli_skips_what_it_cannot_read_and_scores_the_rest(tmp_path: Path) -> None:
    """`empathykit score FOLDER --skip-invalid`: one output line per good record, one
    stderr line per bad one, exit code 1."""
    folder = tmp_path / "in"
    folder.mkdir()
    good, bad = _mixed_folder(folder, fifo=True)
    out = tmp_path / "out.jsonl"
    code, stderr = run_guarded(lambda: _cli(folder, out), 120)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert (1, good) == (code, len(lines))
    reported = [line for line in stderr.splitlines() if line.startswith("empathykit: ")]
    assert bad == len(reported), stderr
    assert f"{good} conversations scored, {bad} invalid" in stderr


def _cli(folder: Path, out: Path) -> tuple[int, str]:
    import contextlib
    import io as stdio

    stderr = stdio.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(["score", str(folder), "--skip-invalid", "-f", "jsonl", "-o", str(out)])
    return code, stderr.getvalue()
