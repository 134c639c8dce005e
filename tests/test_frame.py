"""score_frame: pandas in and out, per-turn long form, and Dask's map_partitions."""

# Tests write `assert expected == actual` (STYLE.md, habit 10), which SIM300 calls a Yoda condition.
# ruff: noqa: SIM300

from __future__ import annotations

import math
import runpy
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import empathykit
from empathykit.exceptions import ConfigurationError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = pytest.importorskip("pandas")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

ROWS = [
    ("late", "customer", "My refund is two weeks late and I'm annoyed."),
    ("late", "agent", "I'm sorry about the wait. I've sent the refund today."),
    ("hello", "customer", "What time do you open on Sundays?"),
    ("late", "customer", "Thanks, finally."),
    ("hello", "agent", "We open at 10am on Sundays."),
]


def frame(rows: list[tuple[str, str, str]] = ROWS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["conversation_id", "role", "text"])


def expected_reports() -> dict[str, empathykit.Report]:
    turns: dict[str, list[tuple[str, str]]] = {}
    for conv_id, role, text in ROWS:
        turns.setdefault(conv_id, []).append((role, text))
    return {k: empathykit.score(v, id=k) for k, v in turns.items()}


def same(a: float | None, b: object) -> bool:
    if a is None:
        return isinstance(b, float) and math.isnan(b)
    return a == b


def test_one_row_per_conversation_in_order_of_first_appearance() -> None:
    """Rows of a conversation need not be adjacent; values equal score()'s."""
    result = empathykit.score_frame(frame())
    assert ["late", "hello"] == result["conversation_id"].tolist()
    reports = expected_reports()
    for _, row in result.iterrows():
        report = reports[row["conversation_id"]]
        assert same(report.overall, row["overall"])
        for dim in report.scores:
            assert same(dim.value, row[dim.name])
            assert dim.opportunities == row[f"{dim.name}_opportunities"]
        assert same(report.sentiment.shift, row["sentiment_shift"])
        assert len(report.conversation.turns) == row["turns"]
        assert pd.isna(row["error"])


def test_columns_match_the_csv_row_of_a_report() -> None:
    """score_frame's columns are io.report_row's, with the id column's name, plus error."""
    result = empathykit.score_frame(frame())
    row = empathykit.io.report_row(expected_reports()["late"])
    assert ["conversation_id", *list(row)[1:], "error"] == list(result.columns)


def test_per_turn_long_form() -> None:
    """per_turn gives one row per turn with turn scores, tone and evidence rules."""
    result = empathykit.score_frame(frame(), per_turn=True)
    assert ["late"] * 3 + ["hello"] * 2 == result["conversation_id"].tolist()
    assert [0, 1, 2, 0, 1] == result["turn"].tolist()
    report = expected_reports()["late"]
    agent = result.iloc[1]
    assert "agent" == agent["role"]
    assert report["apology"].turn_scores[1] == agent["apology"]
    expected_rules = sorted({ev.rule for ev in report.evidence if ev.turn == 1})
    assert expected_rules == agent["rules"].split()
    assert "apology.explicit" in expected_rules
    assert report.sentiment.turns[0] == result.iloc[0]["sentiment"]
    assert math.isnan(agent["sentiment"])


def test_a_bad_conversation_gets_an_error_row() -> None:
    """An invalid conversation is reported in its row; the others are scored."""
    rows = [*ROWS, ("robot", "robot", "beep")]
    result = empathykit.score_frame(frame(rows))
    assert ["late", "hello", "robot"] == result["conversation_id"].tolist()
    bad = result.iloc[2]
    assert "unknown role 'robot'" in bad["error"]
    assert math.isnan(bad["overall"])
    assert pd.isna(bad["apology_opportunities"])
    assert result["error"].isna().tolist()[:2] == [True, True]


def test_missing_ids_are_reported_not_dropped() -> None:
    """Rows without a conversation id become one error row."""
    data = frame()
    data.loc[len(data)] = [None, "customer", "who am I?"]
    result = empathykit.score_frame(data)
    assert 3 == len(result)
    assert "1 row(s) have no conversation id" in result.iloc[2]["error"]


def test_custom_column_names_sort_by_and_id_index() -> None:
    """Columns can be renamed, turns sorted by a column, and the id can be the index."""
    data = pd.DataFrame(
        {
            "chat": ["a", "a"],
            "who": ["agent", "customer"],
            "message": ["Sorry! I've fixed it.", "My login is broken."],
            "seq": [2, 1],
        }
    )
    columns = {"id": "chat", "role": "who", "text": "message"}
    result = empathykit.score_frame(data, columns=columns, sort_by="seq", per_turn=True)
    assert ["customer", "agent"] == result["role"].tolist()
    indexed = empathykit.score_frame(data.set_index("chat"), columns=columns, sort_by="seq")
    assert ["a"] == indexed["chat"].tolist()
    assert 1.0 == indexed.iloc[0]["apology"]


def test_turns_that_cannot_be_ordered_fail_their_conversation_only() -> None:
    """A sort_by column mixing types that do not compare (1 and "x") in one conversation
    gives that conversation an error row; the others are scored (the whole frame raised a
    raw TypeError before)."""
    data = frame(
        [
            ("mixed", "customer", "My parcel is lost."),
            ("mixed", "agent", "Sorry, I'll trace it."),
            ("fine", "customer", "My card was charged twice."),
            ("fine", "agent", "I'm sorry. I've refunded the second charge."),
        ]
    )
    data["seq"] = [1, "x", 1, 2]
    result = empathykit.score_frame(data, sort_by="seq")
    assert ["mixed", "fine"] == result["conversation_id"].tolist()
    assert "cannot order the turns by column 'seq'" in result.iloc[0]["error"]
    assert "int, str" in result.iloc[0]["error"]
    assert pd.isna(result.iloc[1]["error"])
    assert 1.0 == result.iloc[1]["apology"]


@pytest.mark.parametrize("twice", ["role", "text"])
def test_a_column_named_twice_is_a_configuration_error(twice: str) -> None:
    """Two columns with the name of one the reader uses is an error naming it, not an
    AttributeError from pandas (a frame with two 'text' columns gave one)."""
    data = frame()
    data.insert(1, twice, data[twice], allow_duplicates=True)
    with pytest.raises(ConfigurationError, match=f"more than one column named '{twice}'"):
        empathykit.score_frame(data)


def test_missing_columns_and_wrong_input_are_clear_errors() -> None:
    """A missing column or a non-DataFrame is a ConfigurationError saying what was expected."""
    with pytest.raises(ConfigurationError, match=r"missing columns \['text'\]"):
        empathykit.score_frame(frame().drop(columns=["text"]))
    with pytest.raises(ConfigurationError, match="expected a pandas DataFrame"):
        empathykit.score_frame([{"role": "agent"}])


def test_empty_frame_has_the_same_columns_and_dtypes() -> None:
    """The result's schema does not depend on the data (what Dask's meta needs)."""
    full = empathykit.score_frame(frame())
    empty = empathykit.score_frame(frame().iloc[:0])
    assert 0 == len(empty)
    assert full.dtypes.to_dict() == empty.dtypes.to_dict()
    per_turn_full = empathykit.score_frame(frame(), per_turn=True)
    per_turn_empty = empathykit.score_frame(frame().iloc[:0], per_turn=True)
    assert per_turn_full.dtypes.to_dict() == per_turn_empty.dtypes.to_dict()


def test_without_pandas_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """When pandas is missing, score_frame says how to install it."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"empathykit\[pandas\]"):
        empathykit.score_frame(object())


def test_import_empathykit_does_not_import_pandas() -> None:
    """Importing empathykit loads neither pandas nor dask."""
    import subprocess

    code = "import sys, empathykit; print(sorted({'pandas', 'dask'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()


def test_dask_map_partitions_gives_the_pandas_result() -> None:
    """score_frame works unchanged as a Dask map_partitions function, with or without meta."""
    dd = pytest.importorskip("dask.dataframe")
    data = frame().sort_values("conversation_id", kind="stable").set_index("conversation_id")
    ddf = dd.from_pandas(data, npartitions=2, sort=True)
    expected = empathykit.score_frame(frame()).sort_values("conversation_id")
    with_meta = ddf.map_partitions(empathykit.score_frame, meta=empathykit.score_frame(ddf._meta))
    inferred = ddf.map_partitions(empathykit.score_frame)
    for lazy in (with_meta, inferred):
        got = lazy.compute(scheduler="sync").sort_values("conversation_id")
        # Dask stores the id strings with its own string dtype; every other column is ours.
        assert expected["conversation_id"].tolist() == got["conversation_id"].tolist()
        pd.testing.assert_frame_equal(
            expected.drop(columns="conversation_id").reset_index(drop=True),
            got.drop(columns="conversation_id").reset_index(drop=True),
            check_dtype=True,
        )


@pytest.mark.slow
def test_dask_example_runs_on_the_local_scheduler(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/dask_cluster.py scores the example conversations with dask.dataframe."""
    pytest.importorskip("dask.dataframe")
    runpy.run_path(str(EXAMPLES / "dask_cluster.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "delivery_handled_well" in out
    assert "long_escalation" in out


@pytest.mark.parametrize(
    ("id_column", "per_turn"),
    [("overall", False), ("error", False), ("apology", False), ("turn", True), ("apology", True)],
)
def test_an_id_column_named_like_a_result_column_is_refused(id_column: str, per_turn: bool) -> None:
    """The result's own column replaced the ids without a word (the scores went under
    'overall' and the ids were lost)."""
    pd = pytest.importorskip("pandas")
    turns = pd.DataFrame(
        {id_column: ["c1", "c1"], "role": ["customer", "agent"], "text": ["It broke.", "Sorry!"]}
    )
    with pytest.raises(ConfigurationError) as caught:
        empathykit.score_frame(turns, columns={"id": id_column}, per_turn=per_turn)
    assert str(caught.value).startswith(
        f"score_frame: the id column {id_column!r} has the name of a column of the result"
    )
