"""The figures Sift reports about itself, in one place: precision, recall and F1, pair
counting, clustering quality and latency percentiles.

Every scorer (`sift eval …`), benchmark (`sift bench …`) and tuning script computes its
figures here, so "precision" means the same thing on every page, and a figure in the
README can be recomputed by hand from the definitions below. Pure functions over plain
numbers and labels; nothing here reads a file or a database.

Pairs are the unit wherever Sift groups things (duplicate posts, fan messages): a pair is
what a person approves or loses, so a group of three with one stranger in it is two wrong
pairs, not a third of a mistake. Pair precision comes first, since a wrong pair (two
services merged, a reply sent to the wrong fan) costs more than a missed one.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ClusteringQuality",
    "clustering_quality",
    "mapped_accuracy",
    "pairs_in_groups",
    "pairwise_precision_recall",
    "percentile",
    "percentile_ms",
    "precision_recall_f1",
    "ranked_precision_recall",
]


# --- decisions ------------------------------------------------------------------------------


def precision_recall_f1(correct: int, proposed: int, gold: int) -> tuple[float, float, float]:
    """The three scores every evaluation reports; 0.0 where a denominator is empty."""
    precision = correct / proposed if proposed else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def ranked_precision_recall(
    scores: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, precision, recall) of accepting the k best-scored items, for every k.

    `order` sorts the scores from highest to lowest (ties keep their input order); entry k
    of `precision` and `recall` is what accepting the first k + 1 of that order gives. One
    pass serves both a precision-recall curve and the choice of a threshold on it.
    """
    truth = np.asarray(labels).astype(bool)
    order = np.argsort(-np.asarray(scores), kind="stable")
    correct = np.cumsum(truth[order])
    precision = correct / np.arange(1, len(truth) + 1)
    recall = correct / max(int(truth.sum()), 1)
    return order, precision, recall


# --- pairs and groups -----------------------------------------------------------------------


def pairs_in_groups(groups: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    """Every pair of ids that share a group: the merges the groups amount to."""
    return {frozenset(pair) for group in groups for pair in itertools.combinations(group, 2)}


def _pair_count(counts: np.ndarray) -> int:
    """Pairs inside groups of these sizes: n(n-1)/2 each."""
    return int((counts * (counts - 1) // 2).sum())


def _codes(labels: Sequence[Hashable]) -> np.ndarray:
    _, codes = np.unique(np.asarray([str(label) for label in labels]), return_inverse=True)
    return codes


def _contingency(true_codes: np.ndarray, pred_codes: np.ndarray) -> np.ndarray:
    """True label x predicted cluster counts: every pair figure follows from it in O(n)."""
    table = np.zeros((true_codes.max() + 1, pred_codes.max() + 1), dtype=np.int64)
    np.add.at(table, (true_codes, pred_codes), 1)
    return table


def pairwise_precision_recall(
    labels_true: Sequence[Hashable], labels_pred: Sequence[Hashable]
) -> tuple[float, float]:
    """Pair-counting precision and recall; 1.0 when there are no pairs to be wrong about."""
    table = _contingency(_codes(labels_true), _codes(labels_pred))
    together_and_same = _pair_count(table)
    predicted_pairs = _pair_count(table.sum(axis=0))
    true_pairs = _pair_count(table.sum(axis=1))
    precision = together_and_same / predicted_pairs if predicted_pairs else 1.0
    recall = together_and_same / true_pairs if true_pairs else 1.0
    return precision, recall


# --- clustering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusteringQuality:
    """One grouping scored against reference labels; singletons count as own clusters."""

    precision: float  # share of co-clustered pairs that share a true label
    accuracy: float  # DSTC11's `acc`: share right after the best one-to-one cluster-label map
    recall: float  # share of same-label pairs that were co-clustered
    nmi: float
    ari: float
    purity: float  # majority-label share over messages in clusters of size >= 2
    coverage: float  # share of messages that sit in a cluster of size >= 2
    clusters: int  # clusters of any size, singletons included
    multi_clusters: int  # clusters of size >= 2


def mapped_accuracy(table: np.ndarray) -> float:
    """DSTC11 Track 2's primary metric: accuracy once each cluster is mapped to at most one
    label and each label to at most one cluster, the mapping that maximises it (Hungarian
    algorithm). Unlike pair precision it also punishes splitting one question in many
    clusters, since only one of the pieces can map to the label."""
    from scipy.optimize import linear_sum_assignment

    total = int(table.sum())
    if not total:
        return 0.0
    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / total)


def clustering_quality(
    labels_true: Sequence[Hashable], labels_pred: Sequence[Hashable]
) -> ClusteringQuality:
    """Every metric Sift reports for a grouping of the same messages, in one pass.

    scikit-learn is imported here, not above: only the scorers need it, and it would add
    a second to every command that imports this module for a percentile.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    if len(labels_true) != len(labels_pred):
        raise ValueError("labels_true and labels_pred must have the same length")
    true_codes, pred_codes = _codes(labels_true), _codes(labels_pred)
    table = _contingency(true_codes, pred_codes)
    precision, recall = pairwise_precision_recall(true_codes.tolist(), pred_codes.tolist())
    sizes = table.sum(axis=0)
    multi = sizes >= 2
    in_multi = int(sizes[multi].sum())
    purity = float(table[:, multi].max(axis=0).sum() / in_multi) if in_multi else 1.0
    return ClusteringQuality(
        precision=precision,
        accuracy=mapped_accuracy(table),
        recall=recall,
        nmi=float(normalized_mutual_info_score(true_codes, pred_codes)),
        ari=float(adjusted_rand_score(true_codes, pred_codes)),
        purity=purity,
        coverage=in_multi / len(pred_codes) if len(pred_codes) else 0.0,
        clusters=int(sizes.size),
        multi_clusters=int(multi.sum()),
    )


# --- ranking --------------------------------------------------------------------------------


def recall_and_mrr(relevance: Sequence[Sequence[bool]], k: int = 5) -> dict[str, float]:
    """Recall@k and mean reciprocal rank of ranked result lists: `relevance` holds, per
    query, whether each result in rank order is one the searcher wanted. Recall@k counts a
    query found when a wanted result is among the first k; MRR averages 1 / the rank of the
    first wanted one (0 when none was returned)."""
    if not relevance:
        return {f"recall_at_{k}": float("nan"), "mrr": float("nan")}
    found = sum(any(ranked[:k]) for ranked in relevance)
    reciprocal = sum(1 / (list(ranked).index(True) + 1) for ranked in relevance if any(ranked))
    return {f"recall_at_{k}": found / len(relevance), "mrr": reciprocal / len(relevance)}


# --- latency --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100, linear interpolation between the two nearest values);
    NaN for no values, so a run that measured nothing reports nothing rather than failing."""
    return float(np.percentile(values, q)) if len(values) else float("nan")


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    """The q-th percentile of durations in seconds, in milliseconds rounded to 0.01: the
    unit and precision every `sift bench` latency is reported in."""
    return round(percentile(seconds, q) * 1000, 2)
