"""Score a long-form table of turns with Dask: the same code on a laptop or a cluster.

    pip install "empathykit[dask]"
    python examples/dask_cluster.py

``score_frame`` takes a pandas DataFrame of turns and returns one of scores, with columns
that do not depend on the data, so it is the function of ``map_partitions`` unchanged.
Two rules make it correct on any number of machines:

1. every conversation lies within one partition (here: the conversation id is the index,
   and ``from_pandas`` / ``set_index`` never split one index value across partitions);
2. the order of turns is explicit (``sort_by="turn"``), as shuffles may reorder rows.

Here Dask runs on the local threaded scheduler. On a cluster, connect a client first
(``from dask.distributed import Client; Client("tcp://scheduler:8786")``) and read the
turns with ``dd.read_parquet`` or ``dd.read_csv``; nothing else changes. See the
"Run on a Dask cluster" how-to in the docs, which also shows Spark's ``mapInPandas``.
"""

from pathlib import Path

import dask.dataframe as dd
import pandas as pd

import empathykit

HERE = Path(__file__).resolve().parent


def turns_table() -> pd.DataFrame:
    """The example conversations as one row per turn: conversation_id, turn, role, text."""
    rows = [
        {
            "conversation_id": Path(conv.id or "").stem,
            "turn": number,
            "role": turn.role.value,
            "text": turn.text,
        }
        for conv in empathykit.io.read(HERE / "conversations")
        for number, turn in enumerate(conv.turns)
    ]
    return pd.DataFrame(rows)


def main() -> pd.DataFrame:
    turns = dd.from_pandas(turns_table().set_index("conversation_id"), npartitions=2)
    score = {"sort_by": "turn"}
    meta = empathykit.score_frame(turns._meta, **score)  # the empty result: its schema
    scores = turns.map_partitions(empathykit.score_frame, meta=meta, **score)
    result = scores.compute().sort_values("overall", ascending=False)
    columns = ["conversation_id", "overall", "apology", "solution_offer", "sentiment_shift"]
    print(result[columns].to_string(index=False))
    return result


if __name__ == "__main__":
    main()
