"""Quality metrics for inbox grouping, shared by the tuning bench and the eval CLI.

Pairwise precision is the metric that matters for Sift: of all message pairs we put in
one cluster, the share that truly belong together. A wrong pair means a fan receives an
answer written for someone else, so it is tracked ahead of recall, NMI or ARI.
Everything is computed from the contingency table (true label x predicted cluster), so
it costs O(n) and not the O(n^2) a loop over pairs would.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


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


def _codes(labels: Sequence[Hashable]) -> np.ndarray:
    _, codes = np.unique(np.asarray([str(label) for label in labels]), return_inverse=True)
    return codes


def _pairs(counts: np.ndarray) -> int:
    return int((counts * (counts - 1) // 2).sum())


def _contingency(true_codes: np.ndarray, pred_codes: np.ndarray) -> np.ndarray:
    table = np.zeros((true_codes.max() + 1, pred_codes.max() + 1), dtype=np.int64)
    np.add.at(table, (true_codes, pred_codes), 1)
    return table


def pairwise_precision_recall(
    labels_true: Sequence[Hashable], labels_pred: Sequence[Hashable]
) -> tuple[float, float]:
    """Pair-counting precision and recall; 1.0 when there are no pairs to be wrong about."""
    table = _contingency(_codes(labels_true), _codes(labels_pred))
    together_and_same = _pairs(table)
    predicted_pairs = _pairs(table.sum(axis=0))
    true_pairs = _pairs(table.sum(axis=1))
    precision = together_and_same / predicted_pairs if predicted_pairs else 1.0
    recall = together_and_same / true_pairs if true_pairs else 1.0
    return precision, recall


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
    """Every metric Sift reports for a grouping of the same messages, in one pass."""
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
