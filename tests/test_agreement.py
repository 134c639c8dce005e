"""The agreement gate: scorers must not drift away from the human labels in ../shared/data.

Runs ``benchmarks/validate.py`` on the labelled dev sets when they are present (skipped
otherwise). Each figure must stay at or above its floor: the issue's target where the
scorers reach it, else the figure last measured (so no change makes agreement worse
unnoticed while the remaining targets are worked on). Raise a floor when a change
improves a figure; never lower one to make a change pass.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (data set, behaviour) -> (ROC-AUC floor, F1 floor or None). Issue targets where met.
FLOORS: dict[tuple[str, str], tuple[float, float | None]] = {
    ("cs_twitter", "active_listening"): (0.80, 0.72),
    ("cs_twitter", "emotional_acknowledgement"): (0.90, 0.80),
    ("cs_twitter", "apology"): (0.97, 0.95),
    ("cs_twitter", "solution_offer"): (0.85, 0.75),
    ("esconv", "active_listening"): (0.695, None),  # target 0.78 not yet met (0.700)
    ("esconv", "emotional_acknowledgement"): (0.72, None),
    ("esconv", "solution_offer"): (0.75, None),
}


def _validate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("validate", ROOT / "benchmarks" / "validate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["validate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results(shared_data: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Agreement figures on both labelled dev sets (computed once)."""
    validate = _validate_module()
    files = [shared_data / "cs_twitter_dev.jsonl", shared_data / "esconv_dev.jsonl"]
    if not all(f.exists() for f in files):
        pytest.skip("labelled dev sets are not present")
    # validate.run's declared type (figures hold floats, ints and nested dicts)
    figures: dict[str, dict[str, dict[str, Any]]] = validate.run(files, out=lambda line: None)
    return figures


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.parametrize(("dataset", "behaviour"), sorted(FLOORS))
def test_agreement_floor(
    results: dict[str, dict[str, dict[str, Any]]], dataset: str, behaviour: str
) -> None:
    """ROC-AUC and F1 at the 0.5 threshold stay at or above their floors."""
    auc_floor, f1_floor = FLOORS[(dataset, behaviour)]
    row = results[dataset][behaviour]
    assert row["auc"] >= auc_floor, f"{dataset} {behaviour}: ROC-AUC {row['auc']:.3f} < {auc_floor}"
    if f1_floor is not None:
        assert row["f1"] >= f1_floor, f"{dataset} {behaviour}: F1 {row['f1']:.3f} < {f1_floor}"


#: Floors on the project's own written replies (benchmarks/data/written_replies.jsonl),
#: which ship with the repository, so this gate runs everywhere. The 2,420 replies were
#: written and labelled by BEHAVIOURS.md without looking at the rules, in batches; each
#: batch's first, blind run measured generalisation (F1 0.778 / 0.800 / 0.962 / 0.874 on
#: the first 220; on 120 written after two rounds of fixes, 0.800 / 0.848 / 0.886 /
#: 0.832; on the last 220, 0.821 / 0.886 / 0.961 / 0.933 for customer service and
#: 0.793 / 0.845 / 0.930 / 0.850 for emotional support and helpdesk; on the last 100,
#: phone, e-mail and chat registers, 0.746 / 0.923 / 0.968 / 0.845; on the 100
#: social-media replies, 0.820 / 0.951 / 0.944 / 0.808; on the last 200, live chat in new
#: sectors and active listening in depth, 0.767 / 0.951 / 0.949 / 0.863 and 0.869 /
#: 0.879 / 0.973 / 0.845; on the last 200, e-mail and scripted chat, and social-media
#: support, 0.783 / 0.974 / 0.961 / 0.857 and 0.864 / 0.814 / 0.961 / 0.846; on the last
#: 200, social media in other sectors and hard moments, 0.847 / 0.750 / 0.971 / 0.865 and
#: 0.872 / 0.875 / 0.960 / 0.864; on the last 200, US brand support on Twitter and replies
#: late in long conversations, 0.852 / 0.939 / 0.985 / 0.832 and 0.840 / 0.698 / 1.000 /
#: 0.857; on the last 200, UK/Irish/Australian social media and emotional-support chats,
#: 0.869 / 0.871 / 1.000 / 0.936 and 0.821 / 0.732 / 1.000 / 0.800; on the last 200, tech
#: support on Twitter and South Asian / African English service, 0.825 / 0.828 / 1.000 /
#: 0.885 and 0.818 / 0.840 / 0.921 / 0.855; on the last 280, peer support, Twitter brand
#: support and near misses in live chat, 0.850 / 0.734 / 0.962 / 0.758, 0.774 / 0.923 /
#: 0.952 / 0.893 and 0.830 / 0.868 / 0.885 / 0.925). The rules were then
#: fixed from their errors, so the set now guards against regressions.
WRITTEN_FLOORS: dict[str, tuple[float, float]] = {
    "active_listening": (0.90, 0.835),
    "emotional_acknowledgement": (0.97, 0.955),
    "apology": (0.995, 0.99),
    "solution_offer": (0.965, 0.955),
}


#: The whole set's floors came down as harder replies joined it; each earlier state of the
#: set keeps the floors it had then, so no loosened bound can hide a regression on it: the
#: first 840 replies (the set on 2026-12-04, before 1,300 more joined), the first 2,140
#: (the set on the morning of 2026-12-05, before the peer-support and Twitter batches
#: joined) and the first 2,340 (before the near-miss batch joined).
PREFIX_FLOORS: dict[int, dict[str, tuple[float, float]]] = {
    840: {
        "active_listening": (0.94, 0.80),
        "emotional_acknowledgement": (0.99, 0.98),
        "apology": (0.99, 0.99),
        "solution_offer": (0.98, 0.975),
    },
    2140: {
        "active_listening": (0.91, 0.835),
        "emotional_acknowledgement": (0.965, 0.955),
        "apology": (0.99, 0.99),
        "solution_offer": (0.96, 0.95),
    },
    2340: {
        "active_listening": (0.90, 0.835),
        "emotional_acknowledgement": (0.97, 0.955),
        "apology": (0.995, 0.995),
        "solution_offer": (0.965, 0.955),
    },
}


@pytest.mark.parametrize(
    ("replies", "behaviour"),
    [(replies, behaviour) for replies, floors in PREFIX_FLOORS.items() for behaviour in floors],
)
def test_earlier_written_replies_keep_their_floors(replies: int, behaviour: str) -> None:
    """The set as it stood earlier still meets the floors it had before it grew."""
    validate = _validate_module()
    items = validate.load_items(ROOT / "benchmarks" / "data" / "written_replies.jsonl")
    table, _ = validate.evaluate(items[:replies])
    row = table[behaviour]
    auc_floor, f1_floor = PREFIX_FLOORS[replies][behaviour]
    assert row["n"] == replies
    label = f"first {replies} replies, {behaviour}"
    assert row["auc"] >= auc_floor, f"{label}: ROC-AUC {row['auc']:.3f} < {auc_floor}"
    assert row["f1"] >= f1_floor, f"{label}: F1 {row['f1']:.3f} < {f1_floor}"


@pytest.fixture(scope="module")
def written_results() -> dict[str, dict[str, Any]]:
    """Agreement figures on the written replies (computed once)."""
    validate = _validate_module()
    figures = validate.run(
        [ROOT / "benchmarks" / "data" / "written_replies.jsonl"], out=lambda line: None
    )
    table: dict[str, dict[str, Any]] = figures["written"]
    return table


@pytest.mark.parametrize("behaviour", sorted(WRITTEN_FLOORS))
def test_written_replies_floor(written_results: dict[str, dict[str, Any]], behaviour: str) -> None:
    """ROC-AUC and F1 on the project's own labelled replies stay at or above their floors."""
    auc_floor, f1_floor = WRITTEN_FLOORS[behaviour]
    row = written_results[behaviour]
    assert row["n"] == 2420
    assert row["auc"] >= auc_floor, f"written {behaviour}: ROC-AUC {row['auc']:.3f} < {auc_floor}"
    assert row["f1"] >= f1_floor, f"written {behaviour}: F1 {row['f1']:.3f} < {f1_floor}"


def test_roc_auc_matches_pairwise_definition() -> None:
    """Rank-based ROC-AUC equals the share of correctly ordered (positive, negative) pairs."""
    validate = _validate_module()
    scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.0]
    labels = [0, 0, 1, 1, 1, 0]
    positives = [s for s, label in zip(scores, labels, strict=True) if label]
    negatives = [s for s, label in zip(scores, labels, strict=True) if not label]
    pairs = [(p, n) for p in positives for n in negatives]
    expected = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)
    assert expected == pytest.approx(validate.roc_auc(scores, labels))


def test_baseline_is_keyword_match() -> None:
    """The baseline gives 1 for a text with one of its words and 0 otherwise."""
    validate = _validate_module()
    assert validate.baseline_score("apology", "We APOLOGISE for that") == 1.0
    assert validate.baseline_score("apology", "Here is your refund") == 0.0


def test_by_label_counts_each_source_label() -> None:
    """The per-source-label breakdown counts replies, positives and credited replies."""
    validate = _validate_module()
    groups = validate.by_label(
        [0.9, 0.2, 0.5, 0.0, 0.7],
        [1, 1, 0, 0, 1],
        ["Question", "Question", "Other", "Other", "Question"],
    )
    assert list(groups) == ["Question", "Other"]  # most replies first
    assert groups["Question"] == {
        "n": 3,
        "labelled_1": 3,
        "credited": 2,
        "mean_score": pytest.approx(0.6),
    }
    assert groups["Other"]["credited"] == 1  # 0.5 is credited: the threshold is inclusive
    lines = validate.by_label_lines({"esconv": {"active_listening": {"by_label": groups}}})
    assert any(line.split()[:1] == ["Question"] and "67%" in line for line in lines)


def test_ceiling_ranks_evidence_groups_by_their_share_of_positives() -> None:
    """The ceiling orders groups of replies by how often people credited them: the best
    any re-weighting of that evidence can do, and never below the scorer's own order."""
    validate = _validate_module()
    # Echo-only replies are mostly negative, questions mostly positive, empty ones mixed.
    groups = ["echo", "echo", "echo", "question", "question", "none", "none"]
    labels = [0, 0, 1, 1, 1, 1, 0]
    scores = [0.6, 0.6, 0.6, 0.8, 0.8, 0.0, 0.0]
    ceiling = validate.ceiling_auc(groups, labels)
    assert ceiling == pytest.approx(validate.roc_auc([1 / 3] * 3 + [1.0] * 2 + [0.5] * 2, labels))
    assert ceiling > validate.roc_auc(scores, labels)
    # One group for everything ranks nothing: chance.
    assert validate.ceiling_auc(["same"] * 4, [1, 0, 1, 0]) == pytest.approx(0.5)
    assert validate.ceiling_auc(["a", "b"], [1, 1]) is None


def test_a_file_without_dataset_fields_is_named_by_its_stem(tmp_path: Path) -> None:
    """Labelled items need no ``dataset`` field: the file's name stands in for it."""
    validate = _validate_module()
    item = {
        "id": "r1",
        "context": [{"role": "customer", "text": "My parcel never came."}],
        "response": "I'm so sorry, I've sent a replacement today.",
        "labels": {"apology": 1, "solution_offer": 1},
    }
    path = tmp_path / "my_replies.jsonl"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    figures = validate.run([path], out=lambda line: None)
    assert list(figures) == ["my_replies"]
    assert figures["my_replies"]["apology"]["n"] == 1
