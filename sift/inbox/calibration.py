"""Calibration: the similarity an inbox groups at by default, read from the inbox itself.

Kept apart from `clustering` (the rules that apply a similarity) because it is the one part
fitted to data: what it may do (tighten from the default, never loosen) and the line it
follows are set in `clustering.STRICTNESS_SCALES` from `bench/tune_clustering.py --many`.
"""

from __future__ import annotations

import numpy as np

from sift.inbox.clustering import STRICTNESS_SCALES, agglomerate

_CALIBRATION_LADDER = tuple(round(0.84 - 0.02 * step, 2) for step in range(16))
_DUPLICATE_DECIMALS = 3
"""Vectors equal to this many decimals count as one message in the calibration: a
fan's repeated or copied message is the same text, embedded to the same vector."""


def calibrate_similarity(
    vectors: np.ndarray, model: str = "minilm-intent", previous: float | None = None
) -> float:
    """The join/merge similarity that suits this inbox: adapts grouping to how close its
    questions sit to one another, without a setting.

    One threshold cannot serve every inbox: the similarity that keeps pair precision 0.90
    on realistic customer questions (a few dozen distinct intents) gives 0.67 on
    Banking77's 77 near-identical banking intents. What tells them apart without labels is
    where the inbox's natural grouping lies (`natural_level`): fine intents separate only
    at a high similarity, broad ones already at a low one. Sift groups stricter than that
    level, by the scale's `calibration` line, and `StrictnessScale.adapted` keeps the
    result between the default and the strict end: the inbox can make grouping stricter,
    never looser. A wrong pair costs a fan a wrong answer, a missed pair the creator one
    more click.

    A `previous` calibration of the same inbox is averaged in: one batch of odd messages
    moves the similarity half-way, not all the way.
    """
    calibration = STRICTNESS_SCALES[model].calibration
    if calibration is None:
        raise ValueError(f"the {model} model's similarities are not calibrated")
    (level_a, similarity_a), (level_b, similarity_b) = calibration
    slope = (similarity_b - similarity_a) / (level_b - level_a)
    similarity = similarity_a + slope * (natural_level(vectors) - level_a)
    if previous is not None:
        similarity = (similarity + previous) / 2
    return round(similarity, 4)


def natural_level(vectors: np.ndarray) -> float:
    """The similarity at which the inbox's messages separate best into groups.

    The messages are grouped by average linkage at a ladder of similarities, from strict
    to loose (each level continues the one before), and the levels with the best
    silhouette (how much closer members are to their own group than to the next one) are
    where the inbox's questions separate best. The silhouette curve is flat near its top,
    so the level is the mean of every level within `_SILHOUETTE_BAND` of the best rather
    than the single best one.

    Repeated messages count once: copies form perfect groups at every level and pull the
    silhouette's peak to the strictest end (a DSTC11 inbox with each question sent about
    twice read 0.84 instead of 0.60 and lost half its recall).
    """
    vectors = distinct(np.asarray(vectors, dtype=np.float32))
    scores = np.array([silhouette(vectors, labels) for labels in _ladder_groupings(vectors)])
    ladder = np.array(_CALIBRATION_LADDER)
    return float(ladder[scores >= scores.max() - _SILHOUETTE_BAND].mean())


def distinct(vectors: np.ndarray) -> np.ndarray:
    """`vectors` without repeats (equal to `_DUPLICATE_DECIMALS`), in their first order."""
    _, first = np.unique(np.round(vectors, _DUPLICATE_DECIMALS), axis=0, return_index=True)
    return vectors[np.sort(first)]


_SILHOUETTE_BAND = 0.01


def _ladder_groupings(vectors: np.ndarray) -> list[np.ndarray]:
    """Each message's group at every level of `_CALIBRATION_LADDER`: average-linkage
    agglomeration continued from one level to the next, looser one."""
    means, sizes = vectors, np.ones(len(vectors))
    label = np.arange(len(vectors))
    groupings = []
    for threshold in _CALIBRATION_LADDER:
        groups = agglomerate(means, sizes, threshold)
        renumber = np.empty(len(means), dtype=int)
        for number, rows in enumerate(groups):
            renumber[rows] = number
        label = renumber[label]
        means = np.stack([(means[r] * sizes[r, None]).sum(axis=0) / sizes[r].sum() for r in groups])
        sizes = np.array([sizes[r].sum() for r in groups])
        groupings.append(label)
    return groupings


def silhouette(vectors: np.ndarray, labels: np.ndarray) -> float:
    """Mean cosine silhouette of a grouping of unit vectors, singletons scoring 0, and a
    single group 0 too.

    Computed from group sums, as `vectors @ sums.T`, in O(n x groups) rather than the
    O(n^2) of a pairwise distance matrix.
    """
    _, group = np.unique(labels, return_inverse=True)
    counts = np.bincount(group)
    if len(counts) < 2:  # one group: nothing to be closer to it than to, as in sklearn's
        return 0.0
    sums = np.zeros((len(counts), vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, group, vectors)
    to_groups = vectors @ sums.T
    rows = np.arange(len(vectors))
    own = (to_groups[rows, group] - 1.0) / np.maximum(counts[group] - 1, 1)
    mean_to = to_groups / counts[None, :]
    mean_to[rows, group] = -np.inf
    inside, outside = 1.0 - own, 1.0 - mean_to.max(axis=1)
    score = (outside - inside) / np.maximum(np.maximum(inside, outside), 1e-9)
    score[counts[group] == 1] = 0.0
    return float(score.mean())
