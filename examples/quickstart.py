"""Score one conversation, read its evidence, and write an HTML page of it.

Run from anywhere: ``python examples/quickstart.py``.
"""

from pathlib import Path

import empathykit

HERE = Path(__file__).resolve().parent


def main() -> None:
    # A conversation can be a list of turns ...
    report = empathykit.score(
        [
            {"role": "customer", "text": "My card was charged twice for order 1142!"},
            {"role": "agent", "text": "I'm sorry about that. I've refunded the second charge."},
        ],
        id="double-charge",
    )
    print(report)
    for ev in report.evidence:
        print(f"  turn {ev.turn} {ev.rule}: {ev.text!r} ({ev.explanation})")

    # ... or an "Agent: ..." / "Customer: ..." transcript, here read from a file.
    for name in ("delivery_handled_well", "delivery_handled_badly"):
        [conversation] = empathykit.io.read(HERE / "conversations" / f"{name}.txt")
        report = empathykit.score(conversation)
        apology = report["apology"]
        print(f"{name}: overall {report.overall:.2f}, apology {apology.value}")

    # One self-contained page with the evidence highlighted; open it in a browser.
    page = Path("quickstart_report.html")
    page.write_text(report.to_html(), encoding="utf-8")
    print(f"wrote {page.resolve()}")


if __name__ == "__main__":
    main()
