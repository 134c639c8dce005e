"""Reading conversations from files, and writing reports as CSV and JSON Lines."""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import csv
import io as stdio
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import empathykit
from empathykit import io
from empathykit.exceptions import ConfigurationError, InputFileError

COMPLAINT = "Customer: My invoice shows the wrong address.\nAgent: Sorry! I've corrected it now."
QUESTION = "Customer: When does my plan renew?\nAgent: On the 3rd of each month."


def record(conv_id: object, *texts: str) -> dict[str, object]:
    roles = ["customer", "agent"]
    turns = [{"role": roles[i % 2], "text": t} for i, t in enumerate(texts)]
    return {"id": conv_id, "turns": turns}


def read_all(
    path: object, **kwargs: object
) -> tuple[list[empathykit.Conversation], list[InputFileError]]:
    errors: list[InputFileError] = []
    reader = io.read(path, skip_invalid=True, on_error=errors.append, **kwargs)  # type: ignore[arg-type]
    conversations = list(reader)
    return conversations, errors


# -- transcripts ------------------------------------------------------------------------


def test_one_transcript_per_file_has_the_path_as_id(tmp_path: Path) -> None:
    """A .txt file of one conversation is read with its path as id."""
    path = tmp_path / "chat.txt"
    path.write_text(COMPLAINT, encoding="utf-8")
    [conv] = io.read(path)
    assert str(path) == conv.id
    assert ["customer", "agent"] == [t.role.value for t in conv.turns]
    assert "Sorry! I've corrected it now." == conv.turns[1].text


def test_several_transcripts_separated_by_a_blank_line_and_dashes(tmp_path: Path) -> None:
    """Sections after a blank line and '---' are separate conversations, numbered in the id."""
    path = tmp_path / "many.txt"
    path.write_text(f"{COMPLAINT}\n\n---\n{QUESTION}\n\n---\n\n{COMPLAINT}\n", encoding="utf-8")
    conversations = list(io.read(path))
    assert [f"{path}#1", f"{path}#2", f"{path}#3"] == [c.id for c in conversations]
    assert "When does my plan renew?" == conversations[1].turns[0].text


def test_dashes_without_a_blank_line_before_belong_to_the_turn(tmp_path: Path) -> None:
    """A '---' line straight after text continues the turn above."""
    path = tmp_path / "chat.txt"
    path.write_text("Customer: See below\n---\nAgent: Thanks.", encoding="utf-8")
    [conv] = io.read(path)
    assert "See below\n---" == conv.turns[0].text


def test_bom_and_crlf_are_accepted_in_transcripts(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark and Windows line ends read like plain UTF-8."""
    path = tmp_path / "chat.txt"
    path.write_bytes(b"\xef\xbb\xbf" + COMPLAINT.replace("\n", "\r\n").encode("utf-8"))
    [conv] = io.read(path)
    assert "My invoice shows the wrong address." == conv.turns[0].text
    assert "Sorry! I've corrected it now." == conv.turns[1].text


def test_transcript_error_names_the_file_line(tmp_path: Path) -> None:
    """An unknown speaker in the second section is reported at its line in the file."""
    path = tmp_path / "many.txt"
    path.write_text(f"{COMPLAINT}\n\n---\nCustomer: Hello\nBob: Hi there\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        list(io.read(path))
    assert (str(path), 6) == (caught.value.path, caught.value.line)
    assert "unknown speaker 'Bob'" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:6: conversation '{path}#2'")


def test_empty_turn_error_names_the_turn_line(tmp_path: Path) -> None:
    """A turn with no text is reported at the line where that turn starts."""
    path = tmp_path / "chat.txt"
    path.write_text("Customer: Hello\nAgent: Hi\nCustomer:\nAgent: Anyone there?", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        list(io.read(path))
    assert 3 == caught.value.line
    assert "turn 2" in str(caught.value)


def test_skipping_a_bad_transcript_section_keeps_the_others(tmp_path: Path) -> None:
    """With skip_invalid, every good section is read and the bad one reported once."""
    path = tmp_path / "many.txt"
    path.write_text(f"{COMPLAINT}\n\n---\nNobody: hi\n\n---\n{QUESTION}", encoding="utf-8")
    conversations, errors = read_all(path)
    assert [f"{path}#1", f"{path}#3"] == [c.id for c in conversations]
    assert [5] == [e.line for e in errors]


def test_empty_files_are_errors(tmp_path: Path) -> None:
    """An empty file of any format is an error naming the file."""
    for name in ("a.txt", "b.json", "c.jsonl", "d.csv"):
        (tmp_path / name).write_text("  \n", encoding="utf-8")
    conversations, errors = read_all(tmp_path)
    assert [] == conversations
    assert [str(tmp_path / n) for n in ("a.txt", "b.json", "c.jsonl", "d.csv")] == [
        e.path for e in errors
    ]
    assert all("empty" in str(e) for e in errors)


# -- JSON -------------------------------------------------------------------------------


def test_json_one_conversation_object(tmp_path: Path) -> None:
    """A JSON file holding one conversation object keeps its id."""
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record("j-1", "Hi", "Hello")), encoding="utf-8")
    [conv] = io.read(path)
    assert "j-1" == conv.id


def test_json_bare_list_of_turns_is_one_conversation(tmp_path: Path) -> None:
    """A JSON list of turns is one conversation named after the file."""
    path = tmp_path / "turns.json"
    path.write_text(json.dumps(record(None, "Hi", "Hello")["turns"]), encoding="utf-8")
    [conv] = io.read(path)
    assert (str(path), 2) == (conv.id, len(conv))


def test_json_list_of_conversations_reports_the_bad_item_line(tmp_path: Path) -> None:
    """Each item of a JSON list is checked on its own, and errors give its line."""
    items = [record("a", "Hi", "Hello"), {"id": "b", "turns": []}, record(None, "Yo", "Hey")]
    path = tmp_path / "list.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    conversations, errors = read_all(path)
    assert ["a", f"{path}#3"] == [c.id for c in conversations]
    [error] = errors
    expected_line = json.dumps(items, indent=2).splitlines().index("  {", 1) + 1
    second_item_line = [
        n for n, line in enumerate(json.dumps(items, indent=2).splitlines(), 1) if line == "  {"
    ][1]
    assert expected_line <= second_item_line == error.line
    assert "conversation 'b'" in str(error)


def test_json_syntax_error_names_line(tmp_path: Path) -> None:
    """Broken JSON gives the line of the problem."""
    path = tmp_path / "broken.json"
    path.write_text('[\n {"id": "a", "turns": [\n  {"role": "customer" "text": "x"}]}\n]')
    with pytest.raises(InputFileError) as caught:
        list(io.read(path))
    assert 3 == caught.value.line
    assert "invalid JSON" in str(caught.value)


def test_truncated_json_list_keeps_the_items_before(tmp_path: Path) -> None:
    """A JSON list cut short yields its complete items, then reports the cut."""
    text = json.dumps([record("a", "Hi", "Hello"), record("b", "Hi", "Hello")])
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) - 20], encoding="utf-8")
    conversations, errors = read_all(path)
    assert ["a"] == [c.id for c in conversations]
    assert 1 == len(errors)


HUGE_ID = "9" * 5000  # past Python's 4,300-digit limit for decoding an integer
DEEP = "[" * 100_000 + "]" * 100_000  # past the recursion limit for decoding


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ('{"id": ' + HUGE_ID + ', "turns": []}', 1, "a number of 5000 digits"),
        ('\n{"id": "a", "turns": ' + DEEP + "}", 2, "nested too deeply"),
        (DEEP, 1, "nested too deeply"),
    ],
    ids=["huge-integer", "deep-object", "deep-list"],
)
def test_json_too_big_to_decode_is_an_input_file_error(
    tmp_path: Path, content: str, line: int, reason: str
) -> None:
    """A huge integer or deep nesting is reported like a syntax error, with file and line."""
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match="invalid JSON") as caught:
        list(io.read(path))
    assert (str(path), line) == (caught.value.path, caught.value.line)
    assert reason in str(caught.value)


def test_json_list_item_with_a_huge_integer_keeps_the_items_after(tmp_path: Path) -> None:
    """An item that cannot be decoded for its huge integer is skipped; the next is read."""
    path = tmp_path / "list.json"
    path.write_text(
        "[\n"
        + json.dumps(record("before", "Hi", "Hello"))
        + ',\n{"id": -'
        + HUGE_ID
        + ', "turns": []},\n'
        + json.dumps(record(None, "Hi", "Hello"))
        + "\n]",
        encoding="utf-8",
    )
    conversations, errors = read_all(path)
    assert ["before", f"{path}#3"] == [c.id for c in conversations]  # ids keep positions
    assert [3] == [e.line for e in errors]
    assert "a number of 5000 digits; expected at most 4300" in str(errors[0])


def test_json_list_item_nested_too_deeply_keeps_the_items_before(tmp_path: Path) -> None:
    """Deep nesting ends the list like a syntax error: the items before it are kept."""
    path = tmp_path / "list.json"
    path.write_text(
        "[" + json.dumps(record("before", "Hi", "Hello")) + ",\n" + DEEP + "]", encoding="utf-8"
    )
    conversations, errors = read_all(path)
    assert ["before"] == [c.id for c in conversations]
    assert [2] == [e.line for e in errors]
    assert "nested too deeply" in str(errors[0])


BROKEN_FIRST = {"id": "a", "turn": [{"role": "customer", "text": "My order arrived broken."}]}
TURN_FIRST = {"role": "customer", "text": "My order arrived broken."}


@pytest.mark.parametrize("first", [BROKEN_FIRST, TURN_FIRST], ids=["lost-turns", "a-turn"])
def test_json_list_of_conversations_whose_first_item_is_bad_keeps_the_others(
    tmp_path: Path, first: dict[str, object]
) -> None:
    """A malformed first item does not make the list be read as one list of turns."""
    good = record("b", "My order arrived broken.", "Sorry! I'll send a new one.")
    path = tmp_path / "list.json"
    path.write_text(json.dumps([first, good], indent=2), encoding="utf-8")
    conversations, errors = read_all(path)
    assert ["b"] == [c.id for c in conversations]
    [error] = errors
    assert (str(path), 2) == (error.path, error.line)
    assert "expected an object with a 'turns' list" in str(error)


def test_json_lists_of_turns_are_still_one_conversation(tmp_path: Path) -> None:
    """Turns with ids, other key names or as pairs still make one conversation."""
    shapes = [
        [{"id": 1, "role": "customer", "text": "Hi"}, {"id": 2, "role": "agent", "text": "Hey"}],
        [{"speaker": "customer", "content": "Hi"}, {"from": "agent", "body": "Hey"}],
        [["customer", "Hi"], ["agent", "Hey"]],
    ]
    for number, turns in enumerate(shapes):
        path = tmp_path / f"turns{number}.json"
        path.write_text(json.dumps(turns), encoding="utf-8")
        [conv] = io.read(path)
        assert (str(path), ["Hi", "Hey"]) == (conv.id, [t.text for t in conv.turns])


# -- JSON Lines -------------------------------------------------------------------------


def test_jsonl_counts_records_in_and_out_when_skipping(tmp_path: Path) -> None:
    """With skip_invalid every good line is read and every bad one reported with its line."""
    lines = [
        json.dumps(record("ok-1", "Hi", "Hello")),
        "{not json",
        "",
        json.dumps({"id": "no-turns"}),
        json.dumps(record("ok-2", "Hi", "Hello")),
        json.dumps(record("bad-role", "Hi", "Hello")).replace('"agent"', '"robot"'),
        json.dumps(record(None, "Hi", "Hello")),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    conversations, errors = read_all(path)
    assert ["ok-1", "ok-2", f"{path}:7"] == [c.id for c in conversations]
    assert [2, 4, 6] == [e.line for e in errors]
    assert 6 == len(conversations) + len(errors)  # every non-blank line accounted for
    assert "unknown role 'robot'" in str(errors[2])


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"id": ' + "7" * 5000 + ', "turns": []}', "a number of 5000 digits"),
        ('{"id": "deep", "turns": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deeply"),
    ],
    ids=["huge-integer", "deep-nesting"],
)
def test_jsonl_line_too_big_to_decode_is_reported_and_the_next_is_read(
    tmp_path: Path, bad: str, reason: str
) -> None:
    """A huge integer or deep nesting is an InputFileError at its line, not a traceback."""
    path = tmp_path / "odd.jsonl"
    lines = [json.dumps(record("g1", "Hi", "Hello")), bad, json.dumps(record("g2", "Hi", "Hello"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="invalid JSON") as caught:
        list(io.read(path))
    assert (str(path), 2) == (caught.value.path, caught.value.line)
    assert reason in str(caught.value)
    conversations, errors = read_all(path)
    assert ["g1", "g2"] == [c.id for c in conversations]
    assert [2] == [e.line for e in errors]


def test_cli_scores_the_lines_around_a_huge_integer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`empathykit score FILE --skip-invalid -f csv` scores both good records."""
    from empathykit.cli import main

    path = tmp_path / "odd.jsonl"
    lines = [
        json.dumps(record("g1", "My order arrived broken.", "Sorry! I'll send a new one.")),
        '{"id": ' + "7" * 5000 + ', "turns": []}',
        json.dumps(record("g2", "My order arrived broken.", "Sorry! I'll send a new one.")),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert 1 == main(["score", str(path), "--skip-invalid", "-f", "csv"])
    out, err = capsys.readouterr()
    assert ["g1", "g2"] == [row["id"] for row in csv.DictReader(stdio.StringIO(out))]
    assert f"{path}:2: invalid JSON" in err


def test_jsonl_invalid_utf8_line_is_reported_and_skipped(tmp_path: Path) -> None:
    """A line that is not UTF-8 is reported at its line; the others are read."""
    path = tmp_path / "bytes.jsonl"
    good = json.dumps(record("g", "Hi", "Hello")).encode()
    path.write_bytes(good + b"\n" + good.replace(b"Hello", b"Hel\xfflo") + b"\n" + good + b"\n")
    conversations, errors = read_all(path)
    assert 2 == len(conversations)
    assert [2] == [e.line for e in errors]
    assert "invalid UTF-8" in str(errors[0])
    with pytest.raises(InputFileError, match=r"bytes\.jsonl:2: invalid UTF-8"):
        list(io.read(path))


def test_jsonl_bom_and_crlf(tmp_path: Path) -> None:
    """JSON Lines with a BOM and CRLF line ends read normally."""
    path = tmp_path / "win.jsonl"
    body = "\r\n".join(json.dumps(record(f"w{i}", "Hi", "Hello")) for i in range(3))
    path.write_bytes(b"\xef\xbb\xbf" + body.encode() + b"\r\n")
    assert ["w0", "w1", "w2"] == [c.id for c in io.read(path)]


def test_jsonl_truncated_last_line_says_so(tmp_path: Path) -> None:
    """A last line cut short is reported as such."""
    path = tmp_path / "cut.jsonl"
    path.write_text(json.dumps(record("a", "Hi", "Hello")) + "\n" + '{"id": "b", "tu')
    with pytest.raises(InputFileError, match="cut short") as caught:
        list(io.read(path))
    assert 2 == caught.value.line


def test_jsonl_reading_is_lazy(tmp_path: Path) -> None:
    """Records come one at a time: the first is yielded before a later bad line is read."""
    path = tmp_path / "lazy.jsonl"
    path.write_text(json.dumps(record("first", "Hi", "Hello")) + "\n{broken\n")
    reader = io.read(path)
    assert "first" == next(reader).id
    with pytest.raises(InputFileError):
        next(reader)


def test_utf16_file_gets_a_clear_error(tmp_path: Path) -> None:
    """A UTF-16 file is refused with a message saying so."""
    path = tmp_path / "wide.jsonl"
    path.write_bytes(json.dumps(record("a", "Hi", "Hello")).encode("utf-16"))
    with pytest.raises(InputFileError, match="UTF-16"):
        list(io.read(path))


@pytest.mark.parametrize("bom", [b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"], ids=["le", "be"])
@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".txt"])
def test_utf32_file_is_reported_as_utf32(tmp_path: Path, bom: bytes, suffix: str) -> None:
    """A UTF-32 file is refused as UTF-32, not as UTF-16 (whose LE mark starts the UTF-32 one)."""
    path = tmp_path / f"wide{suffix}"
    codec = "utf-32-le" if bom.startswith(b"\xff") else "utf-32-be"
    path.write_bytes(bom + "Customer: My bag is lost\n".encode(codec))
    with pytest.raises(InputFileError, match="the file is UTF-32") as caught:
        list(io.read(path))
    assert (str(path), 1) == (caught.value.path, caught.value.line)
    assert "UTF-16" not in str(caught.value)


def test_non_integer_id_is_refused(tmp_path: Path) -> None:
    """An id that is neither a string nor an integer is an error on its line."""
    path = tmp_path / "ids.jsonl"
    path.write_text(json.dumps(record(7, "Hi", "Hello")) + "\n" + json.dumps(record([1], "Hi")))
    conversations, errors = read_all(path)
    assert ["7"] == [c.id for c in conversations]
    assert [2] == [e.line for e in errors]


# -- CSV --------------------------------------------------------------------------------


def write_csv_rows(path: Path, rows: list[list[str]], **kwargs: str) -> None:
    with path.open("w", encoding="utf-8", newline="", **kwargs) as handle:  # type: ignore[call-overload]
        csv.writer(handle).writerows(rows)


def test_csv_long_form_groups_rows_by_id(tmp_path: Path) -> None:
    """Consecutive rows with one id make a conversation, with timestamps kept."""
    path = tmp_path / "turns.csv"
    write_csv_rows(
        path,
        [
            ["conversation_id", "role", "text", "timestamp"],
            ["c1", "customer", "My bill, again, is wrong", "2024-05-01T10:00"],
            ["c1", "agent", 'Sorry! "Fixed" it,\nand refunded you.', "2024-05-01T10:02"],
            ["c2", "user", "Hello", ""],
        ],
    )
    conversations = list(io.read(path))
    assert ["c1", "c2"] == [c.id for c in conversations]
    assert 'Sorry! "Fixed" it,\nand refunded you.' == conversations[0].turns[1].text
    assert "2024-05-01T10:02" == conversations[0].turns[1].timestamp
    assert conversations[1].turns[0].timestamp is None


def test_csv_column_names_are_configurable(tmp_path: Path) -> None:
    """Other column names are set with CsvColumns or a mapping."""
    path = tmp_path / "custom.csv"
    rows = [["chat", "who", "message"], ["x", "customer", "Hi"], ["x", "agent", "Hey"]]
    write_csv_rows(path, rows)
    by_class = list(io.read(path, columns=io.CsvColumns(id="chat", role="who", text="message")))
    by_map = list(io.read(path, columns={"id": "chat", "role": "who", "text": "message"}))
    assert ["x"] == [c.id for c in by_class] == [c.id for c in by_map]
    missing = r"missing columns \['conversation_id', 'role', 'text'\]"
    with pytest.raises(InputFileError, match=missing) as caught:
        list(io.read(path))
    assert 1 == caught.value.line
    with pytest.raises(ConfigurationError, match="unknown keys"):
        io.read(path, columns={"speaker": "who"})


def test_csv_bad_rows_skip_their_conversation_only(tmp_path: Path) -> None:
    """A bad row invalidates its conversation, reported at the row's line; others are read."""
    path = tmp_path / "bad.csv"
    write_csv_rows(
        path,
        [
            ["conversation_id", "role", "text"],
            ["a", "customer", "Hi"],
            ["a", "agent", "Hello"],
            ["b", "customer", "Hi"],
            ["b", "agent", ""],  # empty text
            ["c", "customer", "Hi", "extra"],  # too many fields
            ["d", "customer", "Hi"],
            ["", "agent", "no id"],
            ["e", "customer", "Hi"],
            ["a", "customer", "back again"],  # not consecutive
        ],
    )
    conversations, errors = read_all(path)
    assert ["a", "d", "e"] == [c.id for c in conversations]
    assert [5, 6, 8, 10] == [e.line for e in errors]
    assert "turn 1" in str(errors[0])
    assert "non-empty" in str(errors[0])
    assert "expected 3 fields" in str(errors[1])
    assert "consecutive" in str(errors[3])
    assert "its rows above were read as a conversation on their own" in str(errors[3])


def test_csv_quoted_newlines_keep_line_numbers(tmp_path: Path) -> None:
    """Errors after a multi-line quoted cell name the physical line of the row."""
    path = tmp_path / "multi.csv"
    path.write_text(
        'conversation_id,role,text\r\na,customer,"line one\r\nline two\r\nline three"\r\n'
        "a,robot,hi\r\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as caught:
        list(io.read(path))
    assert 5 == caught.value.line


def test_csv_quote_never_closed_is_an_error_at_the_line_it_opens(tmp_path: Path) -> None:
    """A quoted cell still open at the end of the file is an error at the line where its
    quote opened, instead of a cell that swallows the rows after it."""
    path = tmp_path / "open.csv"
    path.write_text('conversation_id,role,text\nc1,customer,"my bag is lost\nc2,agent,ok\n')
    with pytest.raises(InputFileError, match="expected a closing '\"'") as caught:
        list(io.read(path))
    assert (str(path), 2) == (caught.value.path, caught.value.line)
    assert "end of the file at line 3" in str(caught.value)


def test_csv_quote_never_closed_keeps_the_conversations_before(tmp_path: Path) -> None:
    """With skip_invalid, the conversations before the unclosed quote are read; the one
    holding it is reported once, at the line where the quote opened."""
    path = tmp_path / "open.csv"
    path.write_bytes(
        b"conversation_id,role,text\r\n"
        b'a,customer,"my order\r\nnever came"\r\n'
        b"a,agent,Sorry!\r\n"
        b"b,customer,Hi\r\n"
        b'b,agent,"Let me\r\nb,customer,check\r\n'
    )
    conversations, errors = read_all(path)
    assert ["a"] == [c.id for c in conversations]
    assert "my order\r\nnever came" == conversations[0].turns[0].text
    assert [(str(path), 6)] == [(e.path, e.line) for e in errors]


@pytest.mark.parametrize("end", ["", "\n"], ids=["no-final-newline", "final-newline"])
def test_csv_closed_quote_on_the_last_line_is_read(tmp_path: Path, end: str) -> None:
    """A multi-line quoted cell closed on the file's last line is no error."""
    path = tmp_path / "closed.csv"
    path.write_text(f'conversation_id,role,text\na,customer,"two\nlines"{end}')
    [conv] = io.read(path)
    assert "two\nlines" == conv.turns[0].text


def test_csv_quote_never_closed_in_the_header(tmp_path: Path) -> None:
    """An unclosed quote in the header is reported at line 1, not as missing columns."""
    path = tmp_path / "head.csv"
    path.write_text('conversation_id,role,"text\na,customer,Hi\n')
    with pytest.raises(InputFileError, match="expected a closing '\"'") as caught:
        list(io.read(path))
    assert 1 == caught.value.line


def test_csv_invalid_utf8_marks_the_conversation(tmp_path: Path) -> None:
    """A row that is not UTF-8 makes its conversation invalid, reported at that line."""
    path = tmp_path / "bytes.csv"
    path.write_bytes(
        b"\xef\xbb\xbfconversation_id,role,text\na,customer,Hi\na,agent,Hel\xfflo\nb,customer,Hi\n"
    )
    conversations, errors = read_all(path)
    assert ["b"] == [c.id for c in conversations]
    assert [3] == [e.line for e in errors]


def test_csv_field_longer_than_the_csv_module_limit_is_read(tmp_path: Path) -> None:
    """A cell past csv's default 131,072-character limit is read, and so is the rest."""
    long_text = "My order arrived broken. " * 8000  # 200,000 characters
    path = tmp_path / "long.csv"
    write_csv_rows(
        path,
        [
            ["conversation_id", "role", "text"],
            ["a", "customer", long_text],
            ["a", "agent", "Sorry! I'll send a new one."],
            ["b", "customer", "Hi"],
        ],
    )
    before = csv.field_size_limit()
    reader = io.read(path)
    first = next(reader)
    assert before == csv.field_size_limit()  # the caller's setting, between rows too
    conversations = [first, *reader]
    assert ["a", "b"] == [c.id for c in conversations]
    assert long_text == conversations[0].turns[0].text
    assert before == csv.field_size_limit()


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("conversation_id,role,text,text", "text"),
        ("role,conversation_id,role,text", "role"),
        ("conversation_id,role,text,timestamp, timestamp", "timestamp"),
    ],
)
def test_csv_header_naming_a_column_it_reads_twice_is_an_error(
    tmp_path: Path, header: str, column: str
) -> None:
    """A column the reader uses, named twice in the header, is an error at line 1."""
    path = tmp_path / "twice.csv"
    path.write_text(header + "\n" + ",".join(["a"] * len(header.split(","))) + "\n")
    with pytest.raises(InputFileError, match=f"names the column '{column}' more than once"):
        list(io.read(path))
    conversations, errors = read_all(path)
    assert [] == conversations
    assert [(str(path), 1)] == [(e.path, e.line) for e in errors]


def test_csv_header_repeating_a_column_it_ignores_is_read(tmp_path: Path) -> None:
    """Other columns may repeat: they are not read."""
    path = tmp_path / "notes.csv"
    path.write_text("conversation_id,note,role,text,note\na,x,customer,Hi,y\na,x,agent,Hey,y\n")
    [conv] = io.read(path)
    assert ["Hi", "Hey"] == [t.text for t in conv.turns]


def test_csv_with_header_only(tmp_path: Path) -> None:
    """A header with no rows is an error."""
    path = tmp_path / "head.csv"
    path.write_text("conversation_id,role,text\n")
    with pytest.raises(InputFileError, match="no rows"):
        list(io.read(path))


# -- paths ------------------------------------------------------------------------------


def test_folders_are_searched_recursively_in_name_order(tmp_path: Path) -> None:
    """Folders give their known files, sorted, hidden ones and other endings left out."""
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.txt").write_text(COMPLAINT)
    (tmp_path / "sub" / "a.jsonl").write_text(json.dumps(record("in-sub", "Hi", "Hello")))
    (tmp_path / "notes.md").write_text("# not a chat")
    (tmp_path / ".hidden.txt").write_text(COMPLAINT)
    (tmp_path / ".git" / "x.txt").write_text(COMPLAINT)
    assert [tmp_path / "b.txt", tmp_path / "sub" / "a.jsonl"] == io.find_files(tmp_path)
    assert [str(tmp_path / "b.txt"), "in-sub"] == [c.id for c in io.read(tmp_path)]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_folder_is_reported(tmp_path: Path) -> None:
    """A folder that cannot be read is reported, and the readable files are read."""
    (tmp_path / "ok.txt").write_text(COMPLAINT)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(COMPLAINT)
    locked.chmod(0)
    try:
        conversations, errors = read_all(tmp_path)
    finally:
        locked.chmod(0o755)
    assert 1 == len(conversations)
    assert [str(locked)] == [e.path for e in errors]


def test_missing_path_and_unknown_ending(tmp_path: Path) -> None:
    """A missing path or an unknown ending is an error naming the path."""
    other = tmp_path / "chat.log"
    other.write_text(COMPLAINT)
    conversations, errors = read_all([tmp_path / "nope.txt", other])
    assert [] == conversations
    assert [str(tmp_path / "nope.txt"), str(other)] == [e.path for e in errors]
    assert "no such file" in str(errors[0])
    assert "'.log'" in str(errors[1])
    [conv] = io.read(other, format="txt")
    assert 2 == len(conv)
    with pytest.raises(ConfigurationError, match="format"):
        io.read(other, format="xml")  # type: ignore[arg-type]


def test_errors_pickle_with_file_and_line() -> None:
    """InputFileError keeps path and line across processes."""
    import pickle

    error = pickle.loads(pickle.dumps(InputFileError("bad", path="x.jsonl", line=4)))
    assert ("x.jsonl", 4, "x.jsonl:4: bad") == (error.path, error.line, str(error))


# -- writing ----------------------------------------------------------------------------

AWKWARD_IDS = [
    "plain",
    'comma, and "quotes"',
    "new\nline",
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "-negative",
    "@mention",
    "\ttab",
    "'already quoted",
    "émoji 😊 and ünïcode",
]


def test_csv_output_round_trips_and_neutralises_formulas() -> None:
    """Every id reads back exactly after restore_cell; no cell starts a formula."""
    reports = [empathykit.score(COMPLAINT, id=conv_id) for conv_id in AWKWARD_IDS]
    out = stdio.StringIO(newline="")
    assert len(AWKWARD_IDS) == io.write_csv(reports, out)
    rows = list(csv.reader(stdio.StringIO(out.getvalue(), newline="")))
    header, body = rows[0], rows[1:]
    assert ["id", "overall"] == header[:2]
    assert AWKWARD_IDS == [io.restore_cell(row[0]) for row in body]
    assert all(not row[0].startswith(io.FORMULA_PREFIXES) for row in body)
    for report, row in zip(reports, body, strict=True):
        values = dict(zip(header, row, strict=True))
        assert report.overall == float(values["overall"])
        assert report["apology"].value == float(values["apology"])
        assert "" == values["active_listening"] or report["active_listening"].value is not None
        assert report.sentiment.start == float(values["sentiment_start"])  # negative, unescaped


def test_csv_output_without_neutralising() -> None:
    """neutralise=False writes text as it is."""
    out = stdio.StringIO(newline="")
    io.write_csv([empathykit.score(COMPLAINT, id="=1+1")], out, neutralise=False)
    assert "=1+1" == next(iter(csv.reader(stdio.StringIO(out.getvalue()).readlines()[1:])))[0]


def test_jsonl_output_round_trips_every_string() -> None:
    """Turn texts and ids read back exactly from JSON Lines, lone surrogates included."""
    texts = ['Hi <b>there</b> "you"', "Sorry!\n\tNew line é 😊 \u200b", "lone \ud800 surrogate"]
    reports = [
        empathykit.score([("customer", text), ("agent", "Sorry about that.")], id=text)
        for text in texts
    ]
    buffer = stdio.BytesIO()
    wrapper = stdio.TextIOWrapper(buffer, encoding="utf-8", newline="")
    assert 3 == io.write_jsonl(reports, wrapper)
    wrapper.flush()
    lines = buffer.getvalue().decode("utf-8").splitlines()
    assert texts == [json.loads(line)["turns"][0]["text"] for line in lines]
    assert texts == [json.loads(line)["id"] for line in lines]


@given(st.text(max_size=30))
def test_restore_undoes_neutralise(text: str) -> None:
    """restore_cell(neutralise_cell(s)) == s, and the result never starts a formula."""
    cell = io.neutralise_cell(text)
    assert text == io.restore_cell(cell)
    assert not cell.startswith(io.FORMULA_PREFIXES)


def test_unreadable_file_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that cannot be opened is reported with its path; the other files are read."""
    (tmp_path / "a.txt").write_text(COMPLAINT)
    (tmp_path / "b.txt").write_text(QUESTION)
    real_open = open

    def guarded_open(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(io, "open", guarded_open, raising=False)
    conversations, errors = read_all(tmp_path)
    assert [str(tmp_path / "b.txt")] == [c.id for c in conversations]
    assert [str(tmp_path / "a.txt")] == [e.path for e in errors]
    assert "Permission denied" in str(errors[0])
