"""The definitions every reported figure rests on (sift.metrics), checked on numbers small
enough to verify by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sift.metrics import (
    clustering_quality,
    pairs_in_groups,
    percentile,
    percentile_ms,
    precision_recall_f1,
    ranked_precision_recall,
)


def test_nothing_proposed_scores_zero_not_a_division_error() -> None:
    assert precision_recall_f1(0, 0, 4) == (0.0, 0.0, 0.0)
    precision, recall, f1 = precision_recall_f1(1, 3, 4)
    assert (precision, recall) == (pytest.approx(1 / 3), 0.25)
    assert f1 == pytest.approx(2 * (1 / 3) * 0.25 / (1 / 3 + 0.25))


def test_merge_pairs_are_unordered() -> None:
    assert pairs_in_groups([["a", "b", "c"]]) == {
        frozenset("ab"),
        frozenset("ac"),
        frozenset("bc"),
    }


def test_ranked_precision_recall_accepts_the_best_scores_first() -> None:
    order, precision, recall = ranked_precision_recall(
        np.array([0.2, 0.9, 0.5, 0.9]), np.array([0, 1, 0, 1])
    )
    assert order.tolist() == [1, 3, 2, 0]  # ties keep their input order
    assert precision.tolist() == [1.0, 1.0, pytest.approx(2 / 3), 0.5]
    assert recall.tolist() == [0.5, 1.0, 1.0, 1.0]


def test_a_stranger_in_a_cluster_costs_pair_precision() -> None:
    quality = clustering_quality(["a", "a", "b"], [1, 1, 1])
    assert quality.precision == pytest.approx(1 / 3)
    assert quality.recall == 1.0
    assert quality.multi_clusters == 1


def test_latencies_are_reported_in_milliseconds() -> None:
    assert percentile_ms([0.001, 0.002, 0.003], 50) == 2.0
    assert percentile_ms([0.0, 0.01], 95) == 9.5


def test_a_run_that_measured_nothing_reports_no_percentile() -> None:
    assert np.isnan(percentile([], 99))
    assert percentile([0.25], 50) == 0.25
