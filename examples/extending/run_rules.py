"""Score a conversation with the scorers of a TOML rules file, next to the four built-ins.

Usage::

    python examples/extending/run_rules.py RULES.toml [TRANSCRIPT.txt]

Scorers in the file are added to the defaults; one with a default's name (a customised
built-in, ``[scorers.apology] builtin = "apology"``) replaces it. The file's
``[weights]`` are used for the overall score. Without a transcript, a short example chat
is scored.
"""

from __future__ import annotations

import sys
from pathlib import Path

import empathykit

CHAT = """\
Customer: I was charged twice for my March invoice and nobody has answered my emails!!
Agent: Calm down, please. As I already said, billing is not my department.
Customer: You haven't said anything, this is the first time I've talked to you.
Agent: Sorry about that. Leave it with me: I'll take care of this and refund the charge today.
"""


def main(argv: list[str]) -> int:
    """Print the report for the chat, with the evidence of every behaviour."""
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    rules = Path(argv[0])
    chat = Path(argv[1]).read_text(encoding="utf-8") if len(argv) == 2 else CHAT
    scorers = {scorer.name: scorer for scorer in empathykit.default_scorers()}
    scorers.update((scorer.name, scorer) for scorer in empathykit.load_scorers(rules))
    report = empathykit.score(
        chat, scorers=scorers.values(), weights=empathykit.load_weights(rules)
    )
    print(report)
    for ev in report.evidence:
        print(f"  turn {ev.turn}: {ev.rule} {ev.text!r} ({ev.weight:+}) — {ev.explanation}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
