"""The ``empathykit`` command (a first version: scores transcript files)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._score import score
from .exceptions import EmpathyKitError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="empathykit", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path, help="transcript files (Agent: / Customer: lines)")
    args = parser.parse_args(argv)
    status = 0
    for path in args.paths:
        try:
            report = score(path.read_text(encoding="utf-8"), id=str(path))
        except (OSError, EmpathyKitError) as error:
            print(f"empathykit: {path}: {error}", file=sys.stderr)
            status = 1
            continue
        print(report)
        for ev in report.evidence:
            print(f"  turn {ev.turn}: {ev.rule} {ev.text!r} — {ev.explanation}")
    return status
