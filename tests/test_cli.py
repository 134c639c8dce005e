"""The empathykit command, through main([...]) and once as a real process."""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import csv
import io as stdio
import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from empathykit import io
from empathykit.cli import main
from empathykit.exceptions import InputFileError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "conversations"
WELL = EXAMPLES / "delivery_handled_well.txt"
NEUTRAL = EXAMPLES / "billing_question_neutral.txt"


def record(
    conv_id: str, customer: str = "My parcel is late!", agent: str = "Sorry! I'll check."
) -> str:
    turns = [{"role": "customer", "text": customer}, {"role": "agent", "text": agent}]
    return json.dumps({"id": conv_id, "turns": turns})


@pytest.fixture
def mixed_jsonl(tmp_path: Path) -> Path:
    """Five records, two of them invalid (lines 2 and 4)."""
    path = tmp_path / "mixed.jsonl"
    lines = [
        record("a"),
        "{oops",
        record("b"),
        record("c").replace('"agent"', '"robot"'),
        record("d"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bare_path_scores_one_file_with_its_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    """`empathykit FILE` is `empathykit score FILE`: a table, the evidence, a summary."""
    code, out, err = run(capsys, str(WELL))
    assert (0, "") == (code, err)
    lines = out.splitlines()
    assert lines[0].split() == [
        "conversation",
        "overall",
        "listening",
        "acknowledge",
        "apology",
        "solution",
    ]
    assert str(WELL) in lines[1]
    assert "turn 1: apology.explicit 'sorry'" in out
    assert lines[-1].startswith("1 conversation scored: mean overall ")


def test_table_shows_not_applicable_and_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """N/A is shown as such; the summary has means and opportunity counts."""
    code, out, _ = run(capsys, "score", str(EXAMPLES))
    assert 0 == code
    rows = {Path(line.split()[0]).name: line.split()[1:] for line in out.splitlines()[1:5]}
    assert ["N/A", "N/A"] == rows[NEUTRAL.name][2:4]
    summary = out.splitlines()[-1]
    assert summary.startswith("4 conversations scored: mean overall ")
    assert "apology " in summary
    assert "(opportunity in 3)" in summary
    assert "turn 1:" not in out  # evidence only for a single conversation by default


def test_json_and_jsonl_outputs_parse_and_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON is one array, JSON Lines one report per line, with turn texts unchanged."""
    code, out, err = run(capsys, "score", str(EXAMPLES), "--format", "json")
    assert 0 == code
    reports = json.loads(out)
    assert 4 == len(reports)
    assert (
        WELL.read_text().splitlines()[0].removeprefix("Customer: ")
        == reports[2]["turns"][0]["text"]
    )
    assert err.startswith("4 conversations scored")  # the summary goes to stderr
    target = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "score", str(EXAMPLES), "-f", "jsonl", "-o", str(target), "-q")
    assert (0, "") == (code, out)
    assert [r["id"] for r in reports] == [
        json.loads(line)["id"] for line in target.read_text().splitlines()
    ]


def test_csv_output_neutralises_formula_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV cells beginning with = + - @ are prefixed with ' and restore exactly."""
    source = tmp_path / "ids.jsonl"
    ids = ['=HYPERLINK("x")', "+1", "-2", "@me", 'plain, "quoted"']
    source.write_text("\n".join(record(i) for i in ids), encoding="utf-8")
    target = tmp_path / "out.csv"
    code, _, _ = run(capsys, "score", str(source), "--format", "csv", "--output", str(target))
    assert 0 == code
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert ['\'=HYPERLINK("x")', "'+1", "'-2", "'@me", 'plain, "quoted"'] == [r["id"] for r in rows]
    assert ids == [io.restore_cell(r["id"]) for r in rows]


def test_skip_invalid_scores_every_good_record(
    mixed_jsonl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --skip-invalid: bad records named by file:line on stderr, the rest scored, exit 1."""
    code, out, err = run(capsys, "score", str(mixed_jsonl), "-f", "jsonl", "--skip-invalid")
    assert 1 == code
    assert ["a", "b", "d"] == [json.loads(line)["id"] for line in out.splitlines()]
    assert f"{mixed_jsonl}:2: invalid JSON" in err
    assert f"{mixed_jsonl}:4: conversation 'c': turn 1: unknown role 'robot'" in err
    assert "3 conversations scored, 2 invalid" in err
    code, out, _ = run(capsys, "score", str(mixed_jsonl), "--skip-invalid")
    assert 1 == code
    assert out.splitlines()[-1].startswith("3 conversations scored, 2 invalid: mean overall")


def test_without_skip_the_first_bad_record_stops_reading(
    mixed_jsonl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --skip-invalid: what came before is scored, then the error and a hint; exit 1."""
    code, out, err = run(capsys, "score", str(mixed_jsonl), "-f", "jsonl", "--jobs", "2")
    assert 1 == code
    assert ["a"] == [json.loads(line)["id"] for line in out.splitlines()]
    assert f"{mixed_jsonl}:2: invalid JSON" in err
    assert "--skip-invalid" in err


def test_jobs_give_the_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    """--jobs 2 writes exactly what --jobs 1 writes."""
    _, one, _ = run(capsys, "score", str(EXAMPLES), "-f", "jsonl", "-j", "1")
    _, two, _ = run(capsys, "score", str(EXAMPLES), "-f", "jsonl", "-j", "2")
    assert one == two


def test_weights_and_scorers_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--weights and --scorers (names and TOML files) reach the reports."""
    code, out, _ = run(
        capsys, "score", str(WELL), "-f", "jsonl", "--weights", "apology=2,solution_offer=0.5"
    )
    assert 0 == code
    assert 2.0 == json.loads(out)["weights"]["apology"]
    code, out, _ = run(capsys, "score", str(WELL), "-f", "jsonl", "--scorers", "apology")
    assert ["apology"] == list(json.loads(out)["dimensions"])
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[scorers.ownership]\nphrases = ["let me check"]\n\n[weights]\nownership = 3\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "score", str(WELL), "-f", "jsonl", "--scorers", f"default,{rules}")
    report = json.loads(out)
    assert 0 == code
    assert [
        "active_listening",
        "emotional_acknowledgement",
        "apology",
        "solution_offer",
        "ownership",
    ] == list(report["dimensions"])
    assert 3.0 == report["weights"]["ownership"]
    assert report["dimensions"]["ownership"]["value"] > 0
    assert ["let me check"] == [
        e["text"].lower() for e in report["dimensions"]["ownership"]["evidence"]
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", str(WELL), "--weights", "apology"], "NAME=VALUE"),
        (["score", str(WELL), "--weights", "apology=1,apology=3"], "'apology' is given twice"),
        (["score", str(WELL), "--roles", "Dana=agent,dana=customer"], "'dana' is given twice"),
        (["score", str(WELL), "--weights", ""], "--weights: expected NAME=VALUE pairs"),
        (["score", str(WELL), "--roles", ""], "--roles: expected NAME=VALUE pairs"),
        (["score", str(WELL), "--scorers", ""], "--scorers: expected scorer names or TOML"),
        (["score", str(WELL), "--weights", "apology=lots"], "expected a number"),
        (["score", str(WELL), "--weights", "kindness=1"], "'kindness'"),
        (["score", str(WELL), "--scorers", "kindness"], "no scorer named 'kindness'"),
        (["score", str(WELL), "--scorers", "missing.toml"], "no such rules file"),
        (["score", "no/such/file.txt"], "no such file or folder"),
        (["score", str(WELL), "--format", "xml"], "invalid choice"),
        (["score", str(WELL), "--jobs", "-3"], "--jobs"),
        (["score", str(EXAMPLES), "--format", "html", "--output", "x.html"], "--output DIR"),
        (["score", str(WELL), "--scorers", "default,default"], "--scorers: two scorers share"),
        (["explain", str(EXAMPLES)], "is a folder; explain takes one file"),
        (["explain", "no/such/file.jsonl"], "explain: no such file or folder: no/such/file.jsonl"),
        (["score", ""], "expected a file or folder, got an empty path"),
        (["explain", ""], "explain: expected a file, got an empty path"),
        (["score", str(WELL), "--id-column", "text"], "got 'text' for both id and text"),
        ([], "usage:"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad options and paths are usage errors: exit 2 with a message saying what was wrong."""
    code, _, err = run(capsys, *argv)
    assert 2 == code
    assert message in err


def test_unknown_ending_names_the_cli_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file with an unknown ending is reported with the CLI's --input-format, not the
    Python API's format= (which io.read still names)."""
    path = tmp_path / "chat.log"
    path.write_text("Customer: My bag is lost.\nAgent: Sorry! I'll find it.\n")
    for argv in (
        ["score", str(path)],
        ["score", str(path), "--skip-invalid"],
        ["explain", str(path)],
    ):
        code, _, err = run(capsys, *argv)
        assert 1 == code
        assert f"{path}: cannot tell the format from the ending '.log'" in err
        assert "--input-format" in err
        assert "format=" not in err
    code, out, _ = run(capsys, "score", str(path), "--input-format", "txt", "-f", "jsonl")
    assert (0, str(path)) == (code, json.loads(out)["id"])
    with pytest.raises(InputFileError, match="pass format='jsonl'"):
        io.detect_format(path)


def test_output_in_an_input_folder_is_not_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An --output inside an input folder is written, not read as one more input."""
    folder = tmp_path / "chats"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        record("w1", "The blender arrived cracked.", "I'm sorry! A new one ships today.") + "\n"
    )
    target = folder / "z.jsonl"
    for _ in range(2):  # the second time the output is there already, with report lines
        code, _, err = run(capsys, "score", str(folder), "-f", "jsonl", "-o", str(target))
        assert 0 == code
        assert err.startswith("1 conversation scored")
        assert ["w1"] == [json.loads(line)["id"] for line in target.read_text().splitlines()]
    (folder / "z.jsonl").unlink()
    sheet = folder / "a.csv"  # created empty before the folder is searched
    code, _, err = run(capsys, "score", str(folder), "-f", "csv", "-o", str(sheet), "-q")
    assert (0, "") == (code, err)
    with sheet.open(newline="", encoding="utf-8") as handle:
        assert ["w1"] == [row["id"] for row in csv.DictReader(handle)]


@pytest.mark.parametrize("skip", [False, True])
def test_a_folder_with_no_conversation_files_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], skip: bool
) -> None:
    """A folder with nothing to read (a wrong path, say) fails, naming the folder and the
    endings it looks for, instead of "0 conversations scored" and exit 0."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.md").write_text("not a conversation\n")
    code, _, err = run(capsys, "score", str(folder), *(["--skip-invalid"] if skip else []))
    assert 1 == code
    assert f"{folder}: the folder holds no conversation files" in err
    assert ".jsonl" in err


def test_output_that_is_an_input_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--output naming an input file, directly or through a link, is a usage error."""
    source = tmp_path / "same.jsonl"
    text = record("w2", "Still no refund after a month.", "Sorry, I've sent it now.") + "\n"
    source.write_text(text)
    link = tmp_path / "link.jsonl"
    link.symlink_to(source)
    for argv in (
        ["-f", "jsonl", "-o", str(source)],
        ["-f", "csv", "-o", str(link)],
        ["-f", "html", "-o", str(source)],
        ["-o", str(tmp_path / "." / "same.jsonl")],
    ):
        code, out, err = run(capsys, "score", str(source), *argv)
        assert (2, "") == (code, out)
        assert f"is the input file {str(source)!r}" in err
        assert 1 == len(err.splitlines())
        assert text == source.read_text()


def test_html_pages_never_replace_an_input_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HTML pages may go into an input folder, but not over an input file named like a page."""
    folder = tmp_path / "chats"
    folder.mkdir()
    text = record("w3", "My card was charged twice.", "Sorry about that, I've refunded one.")
    (folder / "a.jsonl").write_text(text + "\n")
    code, _, _ = run(capsys, "score", str(folder), "-f", "html", "-o", str(folder), "-q")
    assert 0 == code
    assert ["000001-w3.html", "a.jsonl", "index.html"] == sorted(p.name for p in folder.iterdir())
    assert text + "\n" == (folder / "a.jsonl").read_text()
    index = folder / "index.html"
    index.write_text(text + "\n")
    code, _, err = run(
        capsys, "score", "--input-format", "jsonl", str(index), str(folder / "a.jsonl"),
        "-f", "html", "-o", str(folder),
    )  # fmt: skip
    assert 2 == code
    assert f"could replace the input file {str(index)!r}" in err
    assert text + "\n" == index.read_text()


def test_html_output_that_cannot_be_a_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format html -o PATH, where PATH is a file or lies under one: exit 2, one line."""
    source = tmp_path / "two.jsonl"
    source.write_text(record("w4") + "\n" + record("w5") + "\n")
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    for target in (afile, afile / "sub"):
        code, _, err = run(capsys, "score", str(source), "-f", "html", "-o", str(target))
        assert 2 == code
        assert err.startswith(f"empathykit score: error: --output: cannot write {str(target)!r}")
        assert 1 == len(err.splitlines())
    assert "keep me" == afile.read_text()


@pytest.fixture
def surrogate_jsonl(tmp_path: Path) -> Path:
    """A record whose id and text hold a lone surrogate, written as a valid JSON escape."""
    path = tmp_path / "sur.jsonl"
    path.write_text(
        '{"id": "s\\ud800", "turns": [{"role": "customer", "text": "My kettle \\ud800 leaks."},'
        ' {"role": "agent", "text": "Sorry! A new kettle is on its way."}]}\n',
        encoding="ascii",
    )
    return path


def test_lone_surrogates_are_escaped_in_table_and_explain(
    surrogate_jsonl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Table (file and stdout) and explain write a lone surrogate as \\ud800 instead of crashing."""
    target = tmp_path / "out.txt"
    code, _, _ = run(capsys, "score", str(surrogate_jsonl), "-o", str(target))
    assert 0 == code
    assert target.read_text(encoding="utf-8").splitlines()[1].startswith("s\\ud800 ")
    code, out, _ = run(capsys, "score", str(surrogate_jsonl))
    assert 0 == code
    assert out.splitlines()[1].startswith("s\\ud800 ")
    code, out, _ = run(capsys, "explain", str(surrogate_jsonl))
    assert 0 == code
    assert out.startswith("s\\ud800 — overall")
    assert "    My kettle \\ud800 leaks.\n" in out


def test_a_row_lines_up_with_the_header_when_its_id_holds_controls_or_surrogates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lone surrogate, a bidirectional override (U+202E, which would show the rest of
    the row right to left) and a line separator (U+2028) in an id are escaped before the
    row is padded, so the columns line up with the header and the row stays one line."""
    ids = ["two\u2028lines", "rtl\u202e21.0", "s\ud800", "plain"]  # the first sets the width
    path = tmp_path / "ids.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": conv_id,
                    "turns": [
                        {"role": "customer", "text": "My kettle leaks."},
                        {"role": "agent", "text": "Sorry! A new one is on its way."},
                    ],
                }
            )
            + "\n"
            for conv_id in ids
        ),
        encoding="ascii",
    )
    code, out, _ = run(capsys, "score", str(path), "--quiet")
    assert 0 == code
    assert not any(c in out for c in "\u202e\u2028")
    header, *rows = out.split("\n\n")[0].splitlines()  # the summary follows a blank line
    shown = ["two\\u2028lines", "rtl\\u202e21.0", "s\\ud800", "plain"]
    assert len(shown) == len(rows)
    end = header.index("overall") + len("overall")
    for row, conv_id in zip(rows, shown, strict=True):
        assert row.startswith(conv_id + " ")
        assert len(header) == len(row)
        assert "0.67" == row[:end].split()[-1]  # each row's overall ends under the header's
    code, out, _ = run(capsys, "explain", str(path))
    assert 0 == code
    assert "rtl\\u202e21.0 — overall" in out
    assert not any(c in out for c in "\u202e\u2028")


def test_a_row_lines_up_with_the_header_on_screen_when_its_id_is_wide_or_holds_marks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Wide East Asian characters take two columns of a terminal, and combining marks and
    zero-width characters none: ids are padded (and cut) by columns, not characters."""
    from empathykit.cli import _columns

    ids = ["注文１２-かな", "e\u0301\u200bx", "plain", "長" * 60]
    path = tmp_path / "wide.jsonl"
    turns = [
        {"role": "customer", "text": "My kettle leaks."},
        {"role": "agent", "text": "Sorry! A new one is on its way."},
    ]
    path.write_text(
        "".join(json.dumps({"id": i, "turns": turns}) + "\n" for i in ids), encoding="utf-8"
    )
    code, out, _ = run(capsys, "score", str(path))
    assert 0 == code
    header, *rows = out.split("\n\n")[0].splitlines()
    assert (len(ids), 2 * len("注文１２-かな") - 1) == (len(rows), header.index(" overall"))
    end = header.index("overall") + len("overall")
    for row in rows:
        assert end == _columns(row[: row.index("0.67") + len("0.67")])
    assert rows[-1].startswith("…長")


#: Each character that can reverse or reorder what follows it on a line.
BIDI_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


@pytest.mark.parametrize("control", BIDI_CONTROLS)
def test_bidirectional_controls_are_escaped_in_turn_text_and_ids(
    control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An embedding, override or isolate in a turn's text or an id is shown escaped by
    explain and the table (so it cannot make a line read as something else); JSON Lines
    keeps the exact text."""
    path = tmp_path / "bidi.jsonl"
    record = {
        "id": f"c{control}1",
        "turns": [
            {"role": "customer", "text": f"My kettle{control} leaks."},
            {"role": "agent", "text": f"Sorry!{control} A new one is on its way."},
        ],
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    escaped = f"\\u{ord(control):04x}"
    code, out, _ = run(capsys, "explain", str(path))
    assert 0 == code
    assert control not in out
    assert f"    My kettle{escaped} leaks.\n" in out
    assert f"[Sorry](1)!{escaped} [A new one" in out
    assert out.startswith(f"c{escaped}1 — overall")
    code, out, _ = run(capsys, "score", str(path))
    assert (0, True) == (code, out.splitlines()[1].startswith(f"c{escaped}1 "))
    code, out, _ = run(capsys, "score", str(path), "-f", "jsonl")
    assert (0, record["id"]) == (code, json.loads(out)["id"])


def test_direction_marks_in_hebrew_and_arabic_text_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The right-to-left and left-to-right marks and the Arabic letter mark are ordinary
    in right-to-left text and reorder nothing beyond their neighbours: shown as they are."""
    text = "הקומקום שלי דולף (מס' 123)\u200f. الغلاية\u061c تسرب\u200e."
    path = tmp_path / "rtl.jsonl"
    record = {"id": "rtl", "turns": [{"role": "customer", "text": text}]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "explain", str(path))
    assert 0 == code
    assert f"    {text}\n" in out


def test_lone_surrogates_are_escaped_in_html(
    surrogate_jsonl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A single HTML page (file or stdout) escapes a lone surrogate as io.write_html does."""
    target = tmp_path / "one.html"
    code, _, _ = run(capsys, "score", str(surrogate_jsonl), "-f", "html", "-o", str(target))
    assert 0 == code
    page = target.read_text(encoding="utf-8")
    assert "My kettle &#55296; leaks." in page
    code, out, _ = run(capsys, "score", str(surrogate_jsonl), "-f", "html")
    assert (0, page) == (code, out)
    folder = tmp_path / "pages"
    code, _, _ = run(capsys, "score", str(surrogate_jsonl), "-f", "html", "-o", str(folder))
    assert 0 == code
    assert "My kettle &#55296; leaks." in (folder / "000001-s.html").read_text(encoding="utf-8")


def test_control_characters_are_escaped_in_table_and_explain_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Terminal escapes in an id or a turn are shown escaped (\\x1b) by the table and explain,
    non-ASCII letters as they are; JSON Lines keeps the exact text."""
    source = tmp_path / "esc.csv"
    conv_id = "\x1b[31mred\x07 ünï"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["conversation_id", "role", "text"],
                [conv_id, "customer", "My bag is lost!"],
                [conv_id, "agent", "So sorry! \x1b]0;title\x07I will find it."],
            ]
        )
    code, out, _ = run(capsys, "score", str(source))
    assert 0 == code
    assert not any(c in out for c in "\x1b\x07")
    assert out.splitlines()[1].startswith("\\x1b[31mred\\x07 ünï ")
    code, out, _ = run(capsys, "explain", str(source))
    assert 0 == code
    assert not any(c in out for c in "\x1b\x07")
    assert out.startswith("\\x1b[31mred\\x07 ünï — overall")
    assert "\\x1b]0;title\\x07" in out
    code, out, _ = run(capsys, "score", str(source), "-f", "jsonl")
    assert (0, conv_id) == (code, json.loads(out)["id"])


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    """Every command's --help shows examples."""
    for argv in (["--help"], ["score", "--help"], ["explain", "--help"], ["scorers", "--help"]):
        code, out, _ = run(capsys, *argv)
        assert 0 == code
        assert "examples:" in out
    assert "neutralise" not in out


def test_html_single_page_and_batch_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One conversation gives one page; a batch gives a folder with an index."""
    code, out, _ = run(capsys, "score", str(WELL), "--format", "html")
    assert 0 == code
    assert out.startswith("<!DOCTYPE html>")
    folder = tmp_path / "report"
    code, _, _ = run(capsys, "score", str(EXAMPLES), "--format", "html", "-o", str(folder))
    assert 0 == code
    assert 5 == len(list(folder.glob("*.html")))
    assert (folder / "index.html").read_text().count("<tr>") == 5  # header + 4 rows


def test_explain_marks_evidence_and_tone(capsys: pytest.CaptureFixture[str]) -> None:
    """explain shows each turn, its marked evidence with numbered rules, and customer tone."""
    code, out, _ = run(capsys, "explain", str(WELL))
    assert 0 == code
    assert "#0 Customer · tone -" in out
    assert "calls for active_listening" in out
    assert "I'm [so sorry to hear](1,2,3) that" in out
    assert "apology.explicit +1.00: explicit apology" in out
    assert "\x1b[" not in out  # no colour when not a terminal
    code, out, _ = run(capsys, "explain", str(WELL), "--color", "always")
    assert "\x1b[" in out


def test_explain_says_when_the_customer_raises_their_voice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A shouting customer turn (ALL-CAPS words, "?!") is shown with "raised voice"; a
    calm one is not, and agent turns have no tone."""
    source = tmp_path / "tone.jsonl"
    turns = [
        {"role": "customer", "text": "WHERE IS MY REFUND?! This is the third time I ask."},
        {"role": "agent", "text": "I'm sorry. I've sent it again today."},
        {"role": "customer", "text": "Thank you, that is kind."},
    ]
    source.write_text(json.dumps({"id": "t", "turns": turns}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "explain", str(source))
    assert 0 == code
    headers = [line for line in out.splitlines() if line.startswith("#")]
    assert 3 == len(headers)
    assert ", raised voice ·" in headers[0]
    assert "· tone " in headers[2]
    assert "raised voice" not in headers[2]
    assert "tone" not in headers[1]


def test_explain_by_id(mixed_jsonl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """explain --id picks one conversation; an unknown id is reported."""
    code, out, err = run(capsys, "explain", str(mixed_jsonl), "--id", "b")
    assert 1 == code  # the file has invalid records, reported on stderr
    assert out.startswith("b — overall")
    assert f"{mixed_jsonl}:2" in err
    code, _, err = run(capsys, "explain", str(WELL), "--id", "nope")
    assert 1 == code
    assert "no conversation with id 'nope'" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "table"])
def test_an_output_that_cannot_be_written_is_an_error_not_a_traceback(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full disk (here /dev/full) is reported with what was being written: exit 1."""
    code, _, err = run(capsys, "score", str(WELL), "--quiet", "-f", fmt, "-o", "/dev/full")
    assert 1 == code
    assert "error: [Errno 28] No space left on device (writing /dev/full)" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_standard_output_that_cannot_be_written_is_an_error_not_a_traceback() -> None:
    """The same on standard output, also when the write fails only at the last flush."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "empathykit", "score", str(WELL), "-f", "csv", "--quiet"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert 1 == done.returncode
    assert done.stderr.endswith("No space left on device (writing standard output)\n")
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


def test_a_path_too_long_for_the_file_system_is_an_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A name longer than the file system allows: a message saying so, not a traceback
    and not "no such file"."""
    name = "x" * 300 + ".jsonl"
    for command in ("score", "explain"):
        code, _, err = run(capsys, command, name)
        assert 2 == code
        assert "cannot look up the path: File name too long: xxx" in err
    with pytest.raises(InputFileError, match="cannot look up the path: File name too long"):
        list(io.read(name))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_loop_or_to_nothing_is_named_for_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link that points at itself is a loop, and a link to a missing file is a link to
    nothing; both were called "no such file or folder", which sent users looking for a
    typo in a path that is there."""
    loop, dangling = tmp_path / "loop", tmp_path / "dangling.jsonl"
    try:
        loop.symlink_to(loop)
        dangling.symlink_to(tmp_path / "moved-away.jsonl")
    except OSError as error:  # (Windows without the right to make links)
        pytest.skip(f"cannot make a symbolic link: {error}")
    expected = {
        loop: "cannot look up the path: Too many levels of symbolic links",
        dangling: "a symbolic link to nothing: its target does not exist",
    }
    for path, problem in expected.items():
        code, _, err = run(capsys, "score", str(path))
        assert (2, f"empathykit score: error: {problem}: {path}\n") == (code, err)
        code, _, err = run(capsys, "explain", str(path))
        assert (2, f"empathykit explain: error: explain: {problem}: {path}\n") == (code, err)
        with pytest.raises(InputFileError) as caught:
            list(io.read(path))
        assert f"{path}: {problem}" == str(caught.value)


def test_a_path_with_a_nul_byte_is_an_error_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    """A NUL cannot be in a path: said so (it was "no such file or folder"). Python
    words it "embedded null byte" (3.11, 3.12) or "embedded null character" (3.13)."""
    said = r"cannot look up the path: (stat: )?embedded null (byte|character)"
    with pytest.raises(InputFileError) as caught:
        list(io.read("chat\x00.jsonl"))
    assert re.search(f": {said}", str(caught.value))
    code, _, err = run(capsys, "score", "chat\x00.jsonl")
    assert (2, True) == (code, re.search(said, err) is not None)


def test_a_path_one_may_not_look_up_is_left_to_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission denied on the way to a path is not a usage error: the path may be
    there, and reading it reports the error (exit status 1, as before)."""
    from empathykit.io import _path_problem

    target = tmp_path / "locked" / "chat.jsonl"
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if os.fspath(path) == str(target):
            raise PermissionError(13, "Permission denied")
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    assert _path_problem(target) is None
    assert "no such file or folder" == _path_problem(tmp_path / "missing.jsonl")


def test_explain_reads_a_named_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A named pipe is a file to explain, as it is to score (not "no such file")."""
    import os
    import threading

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("w", encoding="utf-8") as handle:
            handle.write(record("p1") + "\n" + record("p2") + "\n")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        code, out, err = run(capsys, "explain", str(pipe), "--input-format", "jsonl")
    finally:
        writer.join(timeout=10)
    assert (0, "") == (code, err)
    explained = [line.split(" — ")[0] for line in out.splitlines() if " — overall" in line]
    assert ["p1", "p2"] == explained


def test_scorers_lists_the_built_ins(capsys: pytest.CaptureFixture[str]) -> None:
    """scorers prints one line per scorer, defaults marked."""
    code, out, _ = run(capsys, "scorers")
    assert 0 == code
    names = [line.split()[0] for line in out.splitlines()]
    assert {"active_listening", "apology", "emotional_acknowledgement", "solution_offer"} <= set(
        names
    )
    assert all(
        line.endswith("(default)") for line in out.splitlines() if line.startswith("apology")
    )


class FakeTerminal(stdio.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The built-in counter appears on a terminal's stderr, not when piped or with --quiet."""
    monkeypatch.setitem(sys.modules, "tqdm", None)  # the fallback without the extra
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert 0 == main(["score", str(EXAMPLES), "-f", "jsonl"])
    assert "\rscored 4 conversations" in terminal.getvalue()
    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert 0 == main(["score", str(EXAMPLES), "-f", "jsonl", "--quiet"])
    assert "" == quiet.getvalue()
    monkeypatch.undo()
    _, _, err = run(capsys, "score", str(EXAMPLES), "-f", "jsonl")
    assert "\r" not in err


def test_tqdm_progress_bar_when_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With tqdm installed, it draws the bar with the record count of JSON Lines inputs."""
    pytest.importorskip("tqdm")
    source = tmp_path / "three.jsonl"
    source.write_text("\n".join(record(str(i)) for i in range(3)) + "\n")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert 0 == main(["score", str(source), "-f", "jsonl", "-o", str(tmp_path / "o.jsonl")])
    assert "3/3" in terminal.getvalue()


def test_stdin_is_read_as_json_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`empathykit score -` reads JSON Lines from standard input."""
    data = (record("x") + "\n" + record("y") + "\n").encode()
    monkeypatch.setattr(sys, "stdin", stdio.TextIOWrapper(stdio.BytesIO(data)))
    code, out, _ = run(capsys, "score", "-", "-f", "jsonl")
    assert 0 == code
    assert ["x", "y"] == [json.loads(line)["id"] for line in out.splitlines()]


@pytest.mark.slow
def test_real_process_as_in_the_readme(tmp_path: Path) -> None:
    """`python -m empathykit FILE` runs as a process, as the README shows; stdin works too."""
    done = subprocess.run(
        [sys.executable, "-m", "empathykit", str(WELL)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (0, "") == (done.returncode, done.stderr)
    assert "apology.explicit 'sorry'" in done.stdout
    piped = subprocess.run(
        [sys.executable, "-m", "empathykit", "score", "-", "--format", "csv"],
        input=record("piped") + "\n{bad\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert 1 == piped.returncode
    assert "<stdin>:2: invalid JSON" in piped.stderr
    assert ["piped"] == [row["id"] for row in csv.DictReader(stdio.StringIO(piped.stdout))]


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", [["score", "-", "--format", "jsonl"], ["score", "-"], ["explain", "-"]]
)
def test_stdin_is_scored_as_each_record_arrives(command: list[str]) -> None:
    """`score -` and `explain -` may read a live stream: each record's result is written
    before the next record is sent (files are read a chunk ahead; stdin is not)."""
    with subprocess.Popen(
        [sys.executable, "-m", "empathykit", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        output = process.stdout
        lines: queue.Queue[str] = queue.Queue()

        def read() -> None:
            for line in output:
                lines.put(line)

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for number in range(3):
                process.stdin.write(record(f"live-{number}") + "\n")
                process.stdin.flush()
                while f"live-{number}" not in lines.get(timeout=60):
                    pass
            process.stdin.close()
            assert 0 == process.wait(timeout=60)
        finally:
            process.kill()
            reader.join(timeout=60)


@pytest.mark.parametrize(
    ("paths", "jobs", "expected"),
    [
        (["-"], 1, 1),
        (["-"], 2, 64),
        (["FILE"], 1, 64),
        (["DIR"], 1, 64),
        (["FIFO"], 1, 1),
        (["FILE", "-"], 1, 1),
    ],
)
def test_live_inputs_are_read_one_conversation_at_a_time(
    tmp_path: Path, paths: list[str], jobs: int, expected: int
) -> None:
    """Standard input and pipes may be live streams, read one record at a time in one
    process; regular files and folders are read a chunk ahead."""
    import os

    from empathykit.cli import _read_ahead

    (tmp_path / "a.jsonl").write_text(record("a") + "\n")
    if "FIFO" in paths:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(tmp_path / "pipe")
    where = {
        "FILE": str(tmp_path / "a.jsonl"),
        "DIR": str(tmp_path),
        "FIFO": str(tmp_path / "pipe"),
    }
    assert expected == _read_ahead([str(where.get(path, path)) for path in paths], jobs)


@pytest.mark.data
def test_real_airline_threads_score_end_to_end(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first 400 real support threads go through the CLI: every record in, one line out."""
    sample = tmp_path / "sample.jsonl"
    with (shared_data / "twcs_airlines_dialogues.jsonl").open(encoding="utf-8") as source:
        lines = [next(source) for _ in range(400)]
    sample.write_text("".join(lines), encoding="utf-8")
    target = tmp_path / "scores.csv"
    code, _, err = run(capsys, "score", str(sample), "-f", "csv", "-o", str(target), "-j", "2")
    assert 0 == code
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [json.loads(line)["id"] for line in lines] == [io.restore_cell(r["id"]) for r in rows]
    assert err.startswith("400 conversations scored: mean overall ")


def test_the_stop_message_says_what_stopped_and_offers_only_useful_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad record stops the run "at this record" with the --skip-invalid hint; an input
    that holds no records at all says so, with the hint only when other inputs are left
    (it said "stopped at this record" for an empty folder given alone)."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    hint = "use --skip-invalid to score the rest\n"
    code, _, err = run(capsys, "score", str(bad), str(WELL))
    assert (1, True) == (code, err.endswith(f"empathykit: stopped at this record; {hint}"))
    code, _, err = run(capsys, "score", str(empty))
    assert (1, f"empathykit: {empty}: the folder holds no conversation files") == (
        code,
        err.split(";")[0],
    )
    assert "stopped" not in err
    code, _, err = run(capsys, "score", str(empty), str(WELL))
    assert (1, True) == (code, err.endswith(f"empathykit: stopped at this input; {hint}"))
