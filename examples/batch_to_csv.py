"""Score every conversation of files or folders into a CSV file, using worker processes.

    python examples/batch_to_csv.py examples/conversations scores.csv

The same as ``empathykit score examples/conversations --format csv --output scores.csv
--jobs 2 --skip-invalid``, written out in Python to show the pieces: ``io.read`` streams
conversations from the files, ``score_many`` scores them in order in two processes, and
``io.write_csv`` writes one row per conversation (text cells that a spreadsheet would
run as a formula are prefixed with ``'``).
"""

import sys

import empathykit
from empathykit import io


def main(source: str, target: str) -> int:
    problems: list[str] = []
    conversations = io.read(source, skip_invalid=True, on_error=lambda e: problems.append(str(e)))
    reports = empathykit.score_many(
        conversations, n_jobs=2, on_error=lambda f: problems.append(str(f))
    )
    with open(target, "w", encoding="utf-8", newline="") as out:
        count = io.write_csv(reports, out)
    print(f"{count} conversations scored into {target}; {len(problems)} problems")
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":  # needed: worker processes may re-import this file
    if len(sys.argv) != 3:
        sys.exit("usage: python examples/batch_to_csv.py SOURCE TARGET.csv")
    sys.exit(main(sys.argv[1], sys.argv[2]))
