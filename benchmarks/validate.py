"""Agreement of empathykit's turn scores with human labels.

Reads labelled JSONL (the schema of ``../shared/data/README.md``): for each item, the
context turns plus the response as a final agent turn form a conversation; the final
turn's score for each behaviour is compared with the human label (``null`` labels are
skipped). A turn *shows* a behaviour when its turn score is >= 0.5 (the documented
decision threshold).

For each data set × behaviour it prints n, positives, ROC-AUC and precision / recall / F1,
beside the same figures for a keyword baseline run in the same process, and writes the
table as Markdown and JSON.

Usage::

    python benchmarks/validate.py                       # ../shared/data/*_dev.jsonl
    python benchmarks/validate.py FILE.jsonl --errors 10 # also print the worst errors
    python benchmarks/validate.py --by-label            # also: how each source label scored
    python benchmarks/validate.py benchmarks/data/written_replies.jsonl  # the project's own

``benchmarks/data/written_replies.jsonl`` holds 2,420 support and emotional-support replies
that the developers wrote and labelled by BEHAVIOURS.md (with a one-line ``why`` per item):
it ships with the repository, so it runs where ``../shared/data`` is missing.

``--by-label`` breaks each behaviour down by the data set's own label (``raw_label``,
ESConv's support strategy): how many replies carry it, what they map to, and the share
the scorer credits. It shows where disagreement comes from, e.g. which strategies the
mapping counts as listening although the behaviour definitions give them nothing.

Each row's JSON also has ``ceiling``: the ROC-AUC of the best possible ordering of the
replies grouped by the evidence the scorer found (the set of rules that fired on the
reply, and its turn score), fitted on the labels themselves. No change of rule weights,
and no way of combining them, can rank these replies better without finding evidence
the rules do not find today; ``--by-label`` prints it beside the ROC-AUC.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

from nltk.metrics import f_measure, precision, recall

import empathykit

BEHAVIOURS = ("active_listening", "emotional_acknowledgement", "apology", "solution_offer")
THRESHOLD = 0.5
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_FILES = ("cs_twitter_dev.jsonl", "esconv_dev.jsonl")
#: ``--by-label`` skips a data set with more distinct source labels than this.
MAX_LABEL_GROUPS = 12

#: Targets of the agreement issue: (data set, behaviour) -> (ROC-AUC, F1 or None).
TARGETS: dict[tuple[str, str], tuple[float, float | None]] = {
    ("cs_twitter", "active_listening"): (0.80, 0.72),
    ("cs_twitter", "emotional_acknowledgement"): (0.90, 0.80),
    ("cs_twitter", "apology"): (0.97, 0.95),
    ("cs_twitter", "solution_offer"): (0.85, 0.75),
    ("esconv", "active_listening"): (0.78, None),
    ("esconv", "emotional_acknowledgement"): (0.72, None),
    ("esconv", "solution_offer"): (0.75, None),
}

#: A handful of obvious words per behaviour: the baseline to beat.
BASELINE_WORDS = {
    "active_listening": ("you said", "you mentioned", "so you", "understand", "?"),
    "emotional_acknowledgement": ("feel", "frustrat", "understand", "glad", "upset"),
    "apology": ("sorry", "apolog"),
    "solution_offer": ("try", "will", "can", "please", "let me"),
}


def baseline_score(behaviour: str, text: str) -> float:
    """1.0 when any baseline word occurs in the text (case-insensitive), else 0.0."""
    lowered = text.lower()
    return 1.0 if any(word in lowered for word in BASELINE_WORDS[behaviour]) else 0.0


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Area under the ROC curve: the chance a random positive outscores a random negative.

    Computed from average ranks (the Mann-Whitney U statistic), ties counting half.
    ``None`` when one class is absent.
    """
    pairs = sorted(zip(scores, labels, strict=True))
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return None
    rank_sum = 0.0
    index = 0
    while index < len(pairs):
        end = index
        while end + 1 < len(pairs) and pairs[end + 1][0] == pairs[index][0]:
            end += 1
        average_rank = (index + end) / 2 + 1
        rank_sum += average_rank * sum(label for _, label in pairs[index : end + 1])
        index = end + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def prf(scores: Sequence[float], labels: Sequence[int]) -> tuple[float, float, float]:
    """Precision, recall and F1 at :data:`THRESHOLD`, with NLTK's set-based metrics."""
    reference = {i for i, label in enumerate(labels) if label}
    predicted = {i for i, s in enumerate(scores) if s >= THRESHOLD}
    p = precision(reference, predicted) if predicted else 0.0
    r = recall(reference, predicted) if reference else 0.0
    f = f_measure(reference, predicted) if predicted and reference else 0.0
    return float(p or 0.0), float(r or 0.0), float(f or 0.0)


def load_items(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def conversation_of(item: dict[str, Any]) -> empathykit.Conversation:
    turns = [(t["role"], t["text"]) for t in item["context"] if t["text"].strip()]
    turns.append(("agent", item["response"]))
    return empathykit.as_conversation(turns, id=item["id"])


def evaluate(
    items: Iterable[dict[str, Any]], errors: int = 0
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Score every item and compute the figures per behaviour; optionally collect errors."""
    scores: dict[str, list[float]] = {b: [] for b in BEHAVIOURS}
    base: dict[str, list[float]] = {b: [] for b in BEHAVIOURS}
    labels: dict[str, list[int]] = {b: [] for b in BEHAVIOURS}
    cases: dict[str, list[tuple[float, int, dict[str, Any], empathykit.Report]]] = {
        b: [] for b in BEHAVIOURS
    }
    raw: dict[str, list[str]] = {b: [] for b in BEHAVIOURS}
    found: dict[str, list[tuple[object, ...]]] = {b: [] for b in BEHAVIOURS}
    for item in items:
        wanted = [b for b in BEHAVIOURS if item["labels"].get(b) is not None]
        if not wanted:
            continue
        report = empathykit.score(conversation_of(item), scorers=list(wanted))
        for behaviour in wanted:
            value = report[behaviour].turn_scores[-1] or 0.0
            label = int(item["labels"][behaviour])
            scores[behaviour].append(value)
            labels[behaviour].append(label)
            base[behaviour].append(baseline_score(behaviour, item["response"]))
            raw[behaviour].append(str(item.get("raw_label") or "—"))
            final = len(report.conversation.turns) - 1
            rules = sorted({e.rule for e in report[behaviour].evidence if e.turn == final})
            found[behaviour].append((*rules, round(value, 3)))
            if errors:
                cases[behaviour].append((value, label, item, report))
    table: dict[str, dict[str, Any]] = {}
    for behaviour in BEHAVIOURS:
        if not labels[behaviour]:
            continue
        p, r, f = prf(scores[behaviour], labels[behaviour])
        bp, br, bf = prf(base[behaviour], labels[behaviour])
        table[behaviour] = {
            "n": len(labels[behaviour]),
            "positives": sum(labels[behaviour]),
            "auc": roc_auc(scores[behaviour], labels[behaviour]),
            "precision": p,
            "recall": r,
            "f1": f,
            "baseline": {
                "auc": roc_auc(base[behaviour], labels[behaviour]),
                "precision": bp,
                "recall": br,
                "f1": bf,
            },
            "by_label": by_label(scores[behaviour], labels[behaviour], raw[behaviour]),
            "ceiling": ceiling_auc(found[behaviour], labels[behaviour]),
        }
    return table, _worst(cases, errors) if errors else []


def ceiling_auc(groups: Sequence[Hashable], labels: Sequence[int]) -> float | None:
    """The highest ROC-AUC any scoring that gives every reply of a group the same score
    can reach: groups ranked by their share of positives (fitted on ``labels``).

    With groups of replies that found the same evidence, it bounds every re-weighting of
    the rules that found it. ``None`` when one class is absent.
    """
    counts: dict[Hashable, list[int]] = {}
    for group, label in zip(groups, labels, strict=True):
        counts.setdefault(group, [0, 0])[bool(label)] += 1
    share = {group: pos / (neg + pos) for group, (neg, pos) in counts.items()}
    return roc_auc([share[group] for group in groups], labels)


def by_label(
    scores: Sequence[float], labels: Sequence[int], raw: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Per source label: replies, how many the mapping labels 1, how many the scorer
    credits (turn score >= :data:`THRESHOLD`) and their mean turn score; most replies first."""
    groups: dict[str, list[tuple[float, int]]] = {}
    for score, label, name in zip(scores, labels, raw, strict=True):
        groups.setdefault(name, []).append((score, label))
    return {
        name: {
            "n": len(rows),
            "labelled_1": sum(label for _, label in rows),
            "credited": sum(score >= THRESHOLD for score, _ in rows),
            "mean_score": sum(score for score, _ in rows) / len(rows),
        }
        for name, rows in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    }


def by_label_lines(results: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """The :func:`by_label` breakdowns as aligned text, one block per data set × behaviour."""
    lines: list[str] = []
    for dataset, table in results.items():
        for behaviour, row in table.items():
            groups = row["by_label"]
            if list(groups) == ["—"] or len(groups) > MAX_LABEL_GROUPS:
                continue  # no source labels, or not a category (cs_twitter's raw votes)
            ceiling = row.get("ceiling")
            lines.append(
                f"\n{dataset} {behaviour}: by source label (ROC-AUC {_fmt(row.get('auc'))}; "
                f"best ordering of the evidence found, fitted on these labels: {_fmt(ceiling)})"
            )
            lines.append(
                f"  {'source label':<32} {'n':>6} {'labelled 1':>10} {'credited':>9} {'mean':>6}"
            )
            for name, g in groups.items():
                lines.append(
                    f"  {name[:32]:<32} {g['n']:>6} {g['labelled_1'] / g['n']:>10.0%} "
                    f"{g['credited'] / g['n']:>9.0%} {g['mean_score']:>6.3f}"
                )
    return lines


def _worst(
    cases: dict[str, list[tuple[float, int, dict[str, Any], empathykit.Report]]], n: int
) -> list[str]:
    lines: list[str] = []
    for behaviour, rows in cases.items():
        fps = sorted((r for r in rows if r[1] == 0), key=lambda r: -r[0])[:n]
        fns = sorted((r for r in rows if r[1] == 1), key=lambda r: r[0])[:n]
        for kind, chosen in (("FALSE POSITIVE", fps), ("FALSE NEGATIVE", fns)):
            lines.append(f"\n=== {behaviour}: {kind}S ===")
            for value, _label, item, report in chosen:
                last = item["context"][-1]["text"] if item["context"] else ""
                lines.append(f"[{value:.2f}] {item['id']}")
                lines.append(f"   C: {last[:160]!r}")
                lines.append(f"   A: {item['response'][:240]!r}")
                final = len(report.conversation.turns) - 1
                for ev in report[behaviour].evidence:
                    if ev.turn == final:
                        lines.append(f"      {ev.rule} {ev.weight:+.2f} {ev.text!r}")
    return lines


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def markdown(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    """The results as a Markdown table, targets and baseline beside each row."""
    rows = [
        "| data set | behaviour | n | positives | ROC-AUC | P | R | F1 "
        "| baseline AUC | baseline F1 | target AUC / F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for dataset, table in results.items():
        for behaviour, row in table.items():
            target = TARGETS.get((dataset, behaviour))
            target_text = (
                "—"
                if target is None
                else f"{target[0]:.2f} / {_fmt(target[1]) if target[1] else '—'}"
            )
            rows.append(
                f"| {dataset} | {behaviour} | {row['n']} | {row['positives']} | {_fmt(row['auc'])} "
                f"| {_fmt(row['precision'])} | {_fmt(row['recall'])} | {_fmt(row['f1'])} "
                f"| {_fmt(row['baseline']['auc'])} | {_fmt(row['baseline']['f1'])} "
                f"| {target_text} |"
            )
    return "\n".join(rows) + "\n"


def missed_targets(results: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """Every target the results miss, as readable lines (empty when all hold)."""
    missed = []
    for (dataset, behaviour), (auc_target, f1_target) in TARGETS.items():
        row = results.get(dataset, {}).get(behaviour)
        if row is None:
            continue
        if row["auc"] is None or row["auc"] < auc_target:
            missed.append(f"{dataset} {behaviour}: ROC-AUC {_fmt(row['auc'])} < {auc_target}")
        if f1_target is not None and row["f1"] < f1_target:
            missed.append(f"{dataset} {behaviour}: F1 {row['f1']:.3f} < {f1_target}")
    return missed


def run(
    paths: Sequence[Path],
    errors: int = 0,
    out: Callable[[str], None] = print,
    limit: int | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """Evaluate each file; returns {data set: {behaviour: figures}}.

    ``limit`` keeps an evenly spaced sample of at most that many items per file.
    """
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for path in paths:
        items = load_items(path)
        if limit and len(items) > limit:
            items = items[:: -(-len(items) // limit)]
        dataset = (items[0].get("dataset") if items else None) or path.stem
        started = time.perf_counter()
        table, worst = evaluate(items, errors)
        out(f"{path.name}: {len(items)} items scored in {time.perf_counter() - started:.1f} s")
        results[dataset] = table
        for line in worst:
            out(line)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="labelled JSONL files")
    parser.add_argument("--errors", type=int, default=0, help="print the N worst errors")
    parser.add_argument("--limit", type=int, help="use every k-th item so at most N remain")
    parser.add_argument("--markdown", type=Path, help="write the table as Markdown here")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument(
        "--by-label", action="store_true", help="also print the figures per source label"
    )
    args = parser.parse_args(argv)
    files = args.files or [DEFAULT_DATA / name for name in DEFAULT_FILES]
    missing = [f for f in files if not f.exists()]
    if missing:
        print(f"validate: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    results = run(files, args.errors, limit=args.limit)
    table = markdown(results)
    if args.by_label:
        print("\n".join(by_label_lines(results)).lstrip("\n") + "\n")
    print(table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    missed = missed_targets(results)
    print("targets: all met" if not missed else "targets missed:\n  " + "\n  ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
