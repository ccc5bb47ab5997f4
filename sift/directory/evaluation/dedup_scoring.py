"""Scoring and training the record matcher (`sift eval dedup`, `bench/tune_dedup.py`).

Labelled pairs come in the Ditto format (``COL name VAL … <TAB> COL name VAL … <TAB> 0|1``,
as the Abt-Buy split under `shared/data/abt_buy` is written); the matcher's decisions at its
threshold are scored pairwise, and `train` re-learns its weights and threshold from another
labelled file, never from the one being scored. Nothing in the runtime imports this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sift.directory.record_matching import (
    FEATURE_NAMES,
    DuplicateMatcher,
    MatcherWeights,
    Record,
    compute_features,
    sigmoid,
)
from sift.evaluation import EvaluationInputError, numbered_lines
from sift.metrics import precision_recall_f1, ranked_precision_recall

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

__all__ = [
    "DedupMetrics",
    "choose_threshold",
    "evaluate",
    "metrics_from_decisions",
    "parse_ditto_line",
    "precision_recall_curve_png",
    "read_labelled_pairs",
    "train",
]


# --------------------------------------------------------------------------------------------
# Labelled pairs
# --------------------------------------------------------------------------------------------

_DITTO_FIELD = re.compile(r"COL\s+(\S+)\s+VAL\s?")


def _parse_ditto_record(serialised: str, side: str) -> Record:
    matches = list(_DITTO_FIELD.finditer(serialised))
    if not matches or serialised[: matches[0].start()].strip():
        raise ValueError(f"{side} record does not start with 'COL <name> VAL': {serialised[:60]!r}")
    values: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(serialised)
        values[m.group(1)] = serialised[m.end() : end].strip()
    title_key = next((k for k in ("title", "name") if k in values), next(iter(values)))
    text_key = next((k for k in ("description", "text", "content") if k in values), None)
    title = values.pop(title_key)
    text = values.pop(text_key) if text_key else ""
    return Record(title=title, text=text, extra=values)


def parse_ditto_line(line: str) -> tuple[Record, Record, int]:
    """Parse one Ditto-format line ``left<TAB>right<TAB>label``.

    Raises ValueError saying what is wrong; the caller adds the line number, since only it
    knows where the line came from.
    """
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) != 3:
        raise ValueError(
            f"expected 3 tab-separated fields (left, right, label), found {len(parts)}"
        )
    label_text = parts[2].strip()
    if label_text not in {"0", "1"}:
        raise ValueError(f"label must be 0 or 1, found {label_text!r}")
    left = _parse_ditto_record(parts[0], "left")
    right = _parse_ditto_record(parts[1], "right")
    return left, right, int(label_text)


def read_labelled_pairs(path: Path) -> tuple[list[tuple[Record, Record]], np.ndarray]:
    """Read a Ditto-format file completely, or fail naming the file and the 1-based line.

    A file with no pairs at all is an error, since scores on zero pairs would silently read
    as 0.0.
    """
    pairs: list[tuple[Record, Record]] = []
    labels: list[int] = []
    for number, line in numbered_lines(path):
        try:
            left, right, label = parse_ditto_line(line)
        except ValueError as error:
            raise EvaluationInputError(f"{path}, line {number}: {error}") from None
        pairs.append((left, right))
        labels.append(label)
    if not pairs:
        raise EvaluationInputError(f"{path}: no labelled pairs (the file is empty)")
    return pairs, np.asarray(labels, dtype=np.int8)


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


def _fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> tuple[float, np.ndarray]:
    """Fit on standardised features, return (bias, weights) on the raw feature scale."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-9] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / std, y)
    w = model.coef_[0] / std
    b = float(model.intercept_[0] - np.dot(w, mean))
    return b, w


def choose_threshold(
    scores: np.ndarray, labels: np.ndarray, *, min_precision: float = 0.92
) -> float:
    """The threshold with the best F1 among those reaching ``min_precision``.

    Falls back to the most precise threshold when none reaches it. The default asks for
    a little more than the 0.90 goal because precision measured on held-out data is
    usually a bit lower than on the data the threshold was chosen on.
    """
    order, precision, recall = ranked_precision_recall(scores, labels)
    sorted_scores = np.asarray(scores)[order]
    f1 = np.where(
        precision > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0
    )
    # Only cut between distinct scores: a threshold cannot split tied pairs.
    last_of_tie = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    ok = last_of_tie & (precision >= min_precision)
    pick = int(np.argmax(np.where(ok, f1, -1.0))) if ok.any() else int(np.argmax(precision))
    below = sorted_scores[pick + 1] if pick + 1 < len(sorted_scores) else 0.0
    return float((sorted_scores[pick] + below) / 2)


def train(
    pairs: Sequence[tuple[Record, Record]],
    labels: Sequence[int] | np.ndarray,
    embedder: Embedder,
    *,
    c: float = 1.0,
    min_precision: float = 0.92,
    folds: int = 5,
    seed: int = 0,
) -> MatcherWeights:
    """Learn weights on all pairs and a threshold on out-of-fold predictions.

    Features that are zero throughout ``pairs`` keep their code-default weight (see
    ``MatcherWeights.date_conflict``): absence from the data is no evidence against them.

    Out-of-fold scores behave like scores on unseen pairs, so a threshold chosen on them
    keeps its precision on new data far better than one chosen on the fitted data.
    """
    y = np.asarray(labels).astype(int)
    x = compute_features(pairs, embedder)
    oof = np.zeros(len(y))
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=int)
    for cls_value in (0, 1):  # stratified: each fold gets its share of matches
        members = np.flatnonzero(y == cls_value)
        rng.shuffle(members)
        fold_of[members] = np.arange(len(members)) % folds
    for k in range(folds):
        held = fold_of == k
        if len(np.unique(y[~held])) < 2 or not held.any():
            continue
        b, w = _fit_logistic(x[~held], y[~held], c)
        oof[held] = sigmoid(x[held] @ w + b)
    b, w = _fit_logistic(x, y, c)
    # A feature that never fires in the training file cannot be learned from it: keep the
    # prior weight from the code defaults rather than silently dropping it to zero.
    silent = ~np.any(x != 0.0, axis=0)
    w = np.where(silent, MatcherWeights().vector(), w)
    threshold = choose_threshold(oof, y, min_precision=min_precision)
    values = {name: float(v) for name, v in zip(FEATURE_NAMES, w, strict=True)}
    return MatcherWeights(bias=b, threshold=threshold, **values)


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DedupMetrics:
    """Pairwise precision/recall/F1 of the duplicate decision and the number of pairs."""

    precision: float
    recall: float
    f1: float
    pairs: int

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} (pairs={self.pairs})"


def metrics_from_decisions(decisions: np.ndarray, labels: np.ndarray) -> DedupMetrics:
    predicted = np.asarray(decisions).astype(bool)
    truth = np.asarray(labels).astype(bool)
    scores = precision_recall_f1(
        int((predicted & truth).sum()), int(predicted.sum()), int(truth.sum())
    )
    return DedupMetrics(*scores, len(truth))


def evaluate(
    pairs: Sequence[tuple[Record, Record]],
    labels: Sequence[int] | np.ndarray,
    matcher: DuplicateMatcher,
) -> DedupMetrics:
    """Precision, recall and F1 of the matcher's decisions at its stored threshold."""
    decisions = matcher.score_pairs(pairs) >= matcher.weights.threshold
    return metrics_from_decisions(decisions, np.asarray(labels))


def precision_recall_curve_png(
    path: str | Path, scores: np.ndarray, labels: np.ndarray, threshold: float
) -> Path:
    """Write a precision-recall curve with the operating point marked, for review."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(labels).astype(bool)
    _, precision, recall = ranked_precision_recall(scores, truth)
    at = metrics_from_decisions(scores >= threshold, truth)

    fig, ax = plt.subplots(figsize=(5, 4), dpi=120)
    ax.plot(recall, precision, lw=1.5, label="matcher")
    ax.scatter(
        [at.recall], [at.precision], color="crimson", zorder=3,
        label=f"threshold {threshold:.3f}: P={at.precision:.2f} R={at.recall:.2f}",
    )  # fmt: skip
    ax.axhline(0.9, color="grey", lw=0.8, ls="--")
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.01), ylim=(0, 1.01))
    ax.set_title("Duplicate matcher: precision vs recall")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out
