"""score_frame(): score the conversations of a long-form pandas DataFrame.

pandas is imported when :func:`score_frame` is called, never at ``import empathykit``.
The function takes one DataFrame and returns one, with columns and dtypes that depend
only on its arguments (not on the data), so it works unchanged as the function of
Dask's ``map_partitions`` and Spark's ``mapInPandas``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._batch import Failure, score_many
from ._score import resolve_scorers
from .exceptions import ConfigurationError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd

    from ._conversation import RoleMap
    from ._results import Report
    from .io import CsvColumns
    from .typing import ScorerLike

__all__ = ["score_frame"]

_SENTIMENT_COLUMNS = ("sentiment_start", "sentiment_end", "sentiment_shift")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as error:
        raise MissingDependencyError(
            "score_frame needs pandas, which is an optional extra: pip install 'empathykit[pandas]'"
        ) from error
    return pandas


def _is_missing(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (type(value).__name__ in {"NAType", "NaTType"})
    )


def _group(
    frame: pd.DataFrame, columns: CsvColumns, sort_by: str | None, id_values: list[Any]
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Turns of each conversation, by id in order of first appearance."""
    roles = frame[columns.role].tolist()
    texts = frame[columns.text].tolist()
    stamps = (
        frame[columns.timestamp].tolist()
        if columns.timestamp is not None and columns.timestamp in frame.columns
        else None
    )
    order = frame[sort_by].tolist() if sort_by is not None else None
    positions: dict[Any, list[int]] = {}
    missing_id: list[int] = []
    for position, value in enumerate(id_values):
        if _is_missing(value):
            missing_id.append(position)
        else:
            positions.setdefault(value, []).append(position)
    keys: list[Any] = list(positions)
    records: list[dict[str, Any]] = []
    for key in keys:
        rows = positions[key]
        if order is not None:
            try:
                rows = sorted(rows, key=lambda p: order[p])
            except TypeError:  # e.g. 1 and "x": this conversation fails, the others are scored
                kinds = sorted({type(order[p]).__name__ for p in rows})
                error = (
                    f"cannot order the turns by column {sort_by!r}: it holds values that do "
                    f"not compare ({', '.join(kinds)}); expected numbers or times of one kind"
                )
                records.append({"id": str(key), "turns": None, "error": error})
                continue
        turns = [
            {
                "role": roles[p],
                "text": texts[p],
                "timestamp": None if stamps is None or _is_missing(stamps[p]) else str(stamps[p]),
            }
            for p in rows
        ]
        records.append({"id": str(key), "turns": turns})
    if missing_id:
        keys.append(None)
        records.append({"id": None, "turns": None, "missing_id": len(missing_id)})
    return keys, records


def _id_series(pd: Any, values: list[Any], dtype: Any) -> Any:
    try:
        return pd.Series(values, dtype=dtype)
    except (TypeError, ValueError):  # a missing id in an integer column
        return pd.Series(values)


def _conversation_frame(
    pd: Any,
    keys: list[Any],
    results: list[Report | Failure],
    names: list[str],
    id_column: str,
    id_dtype: Any,
) -> pd.DataFrame:
    from . import io

    value_columns = ["overall", *names]
    data: dict[str, list[Any]] = {c: [] for c in value_columns}
    counts: dict[str, list[Any]] = {f"{n}_opportunities": [] for n in names}
    counts.update(turns=[], evidence=[])
    sentiment: dict[str, list[Any]] = {c: [] for c in _SENTIMENT_COLUMNS}
    errors: list[str | None] = []
    for result in results:
        if isinstance(result, Failure):
            for column in data:
                data[column].append(math.nan)
            for column in counts:
                counts[column].append(None)
            for column in sentiment:
                sentiment[column].append(math.nan)
            errors.append(f"{type(result.error).__name__}: {result.error}")
            continue
        row = io.report_row(result)
        for column in data:
            data[column].append(math.nan if row.get(column) is None else row[column])
        for column in counts:
            counts[column].append(row.get(column))
        for column in sentiment:
            sentiment[column].append(math.nan if row[column] is None else row[column])
        errors.append(None)
    out: dict[str, Any] = {id_column: _id_series(pd, keys, id_dtype)}
    out.update({c: pd.Series(v, dtype="float64") for c, v in data.items()})
    opportunities = {c: v for c, v in counts.items() if c not in ("turns", "evidence")}
    out.update({c: pd.Series(v, dtype="Int64") for c, v in opportunities.items()})
    out.update({c: pd.Series(v, dtype="float64") for c, v in sentiment.items()})
    out.update({c: pd.Series(counts[c], dtype="Int64") for c in ("turns", "evidence")})
    out["error"] = pd.Series(errors, dtype="string")
    return pd.DataFrame(out)


def _turn_frame(
    pd: Any,
    keys: list[Any],
    results: list[Report | Failure],
    names: list[str],
    id_column: str,
    id_dtype: Any,
) -> pd.DataFrame:
    ids: list[Any] = []
    turn_index: list[int | None] = []
    roles: list[str | None] = []
    scores: dict[str, list[float]] = {n: [] for n in names}
    sentiment: list[float] = []
    rules: list[str | None] = []
    errors: list[str | None] = []
    for key, result in zip(keys, results, strict=True):
        if isinstance(result, Failure):
            ids.append(key)
            turn_index.append(None)
            roles.append(None)
            for name in names:
                scores[name].append(math.nan)
            sentiment.append(math.nan)
            rules.append(None)
            errors.append(f"{type(result.error).__name__}: {result.error}")
            continue
        per_turn: dict[int, set[str]] = {}
        for ev in result.evidence:
            per_turn.setdefault(ev.turn, set()).add(ev.rule)
        for index, turn in enumerate(result.conversation.turns):
            ids.append(key)
            turn_index.append(index)
            roles.append(turn.role.value)
            for dim in result.scores:
                value = dim.turn_scores[index]
                scores[dim.name].append(math.nan if value is None else value)
            value = result.sentiment.turns[index]
            sentiment.append(math.nan if value is None else value)
            rules.append(" ".join(sorted(per_turn.get(index, ()))))
            errors.append(None)
    out: dict[str, Any] = {
        id_column: _id_series(pd, ids, id_dtype),
        "turn": pd.Series(turn_index, dtype="Int64"),
        "role": pd.Series(roles, dtype="string"),
    }
    out.update({n: pd.Series(v, dtype="float64") for n, v in scores.items()})
    out["sentiment"] = pd.Series(sentiment, dtype="float64")
    out["rules"] = pd.Series(rules, dtype="string")
    out["error"] = pd.Series(errors, dtype="string")
    return pd.DataFrame(out)


def score_frame(
    frame: pd.DataFrame,
    *,
    columns: CsvColumns | Mapping[str, str | None] | None = None,
    per_turn: bool = False,
    sort_by: str | None = None,
    weights: Mapping[str, float] | None = None,
    scorers: Iterable[ScorerLike] | None = None,
    roles: RoleMap | None = None,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Score every conversation of a long-form DataFrame (one row per turn).

    The rows of a conversation share its id and are taken in frame order (or sorted by
    ``sort_by``); they need not be next to each other. A conversation that cannot be
    scored gets a row with its id, missing values and the reason in ``error``, and the
    rest are scored. The result's columns and dtypes depend only on the arguments, so
    ``score_frame`` works as a Dask ``map_partitions`` function; its ``meta`` is
    ``score_frame(ddf._meta)``. Keep each conversation within one partition.

    Args:
        frame: The turns: columns for the conversation id (or an index of that name),
            role and text, and optionally a timestamp, named as in ``columns``.
        columns: The column names, as :class:`~empathykit.io.CsvColumns` or a mapping
            such as ``{"id": "chat_id"}``; defaults ``conversation_id``, ``role``,
            ``text``, ``timestamp``.
        per_turn: Return one row per turn instead of one per conversation.
        sort_by: A column to order each conversation's turns by (a turn number or a
            timestamp), for engines that do not keep row order within a partition.
        weights: As for :func:`~empathykit.score`.
        scorers: As for :func:`~empathykit.score`.
        roles: As for :func:`~empathykit.score`.
        n_jobs: Worker processes, as for :func:`~empathykit.score_many`.

    Returns:
        One row per conversation: the id column, ``overall``, each behaviour's value
        (NaN for N/A), ``<behaviour>_opportunities``, ``sentiment_start``,
        ``sentiment_end``, ``sentiment_shift``, ``turns``, ``evidence`` (counts) and
        ``error``. With ``per_turn``: the id column, ``turn``, ``role``, each
        behaviour's turn score, the customer's ``sentiment``, the evidence ``rules``
        that fired in the turn (space-separated) and ``error``.

    Raises:
        MissingDependencyError: pandas is not installed.
        ConfigurationError: ``frame`` is not a DataFrame, a column is missing, or
            weights or scorers are invalid.

    Example:
        >>> import pandas as pd
        >>> import empathykit
        >>> turns = pd.DataFrame({
        ...     "conversation_id": ["c1", "c1", "c2"],
        ...     "role": ["customer", "agent", "customer"],
        ...     "text": ["My refund is late.", "Sorry! I've sent it today.", "Thanks"],
        ... })
        >>> scores = empathykit.score_frame(turns)
        >>> scores[["conversation_id", "apology", "apology_opportunities"]]
          conversation_id  apology  apology_opportunities
        0              c1      1.0                      1
        1              c2      NaN                      0
    """
    pd = _pandas()
    if not isinstance(frame, pd.DataFrame):
        raise ConfigurationError(
            f"expected a pandas DataFrame with one row per turn, got {type(frame).__name__}"
        )
    from . import io  # here: empathykit.io is imported on first use, not by `import empathykit`

    chosen = io._columns(columns)
    id_column = chosen.id
    if id_column not in frame.columns and frame.index.name == id_column:
        frame = frame.reset_index()
    wanted = [id_column, chosen.role, chosen.text] + ([sort_by] if sort_by else [])
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ConfigurationError(
            f"score_frame: missing columns {missing}; expected {', '.join(wanted)}, got "
            f"{[str(c) for c in frame.columns][:10]} (name them with "
            "columns={'id': ..., 'role': ..., 'text': ...})"
        )
    names_twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
    used = [*wanted, *([chosen.timestamp] if chosen.timestamp is not None else [])]
    twice = [c for c in used if c in names_twice]
    if twice:
        raise ConfigurationError(
            f"score_frame: the frame has more than one column named {twice[0]!r}; expected "
            f"each of {', '.join(map(repr, wanted))} once"
        )
    scorers_ = resolve_scorers(scorers)
    names = [s.name for s in scorers_]
    build = _turn_frame if per_turn else _conversation_frame
    taken = build(pd, [], [], names, "\0id", object).columns.tolist()[1:]  # (the id first)
    if id_column in taken:
        raise ConfigurationError(
            f"score_frame: the id column {id_column!r} has the name of a column of the "
            f"result, which would replace the ids; rename it (the result's columns are "
            f"{', '.join(map(str, taken))})"
        )
    id_dtype = frame[id_column].dtype
    keys, records = _group(frame, chosen, sort_by, frame[id_column].tolist())
    good = [r for r in records if r["turns"] is not None]
    scored = iter(score_many(good, n_jobs=n_jobs, weights=weights, scorers=scorers_, roles=roles))
    results: list[Report | Failure] = []
    for index, record in enumerate(records):
        if record["turns"] is not None:
            result = next(scored)
            if isinstance(result, Failure):  # numbered among all conversations, not the good
                result = Failure(index=index, id=result.id, error=result.error)
            results.append(result)
            continue
        message = record.get("error") or (
            f"{record['missing_id']} row(s) have no conversation id in column {id_column!r}"
        )
        results.append(Failure(index=index, id=record["id"], error=ConfigurationError(message)))
    return build(pd, keys, results, names, id_column, id_dtype)
