"""Tune and measure inbox clustering on a labelled `text,category` CSV (Banking77).

Usage:
    python bench/tune_clustering.py PATH/TO/train.csv [--grid] [--seeds 0 1 2]

All rows are one creator's inbox, ingested one at a time in the order
`random.Random(seed).shuffle` gives the row indices. Prints pairwise precision/recall,
NMI, ARI, purity and coverage for the `ClusteringParams` defaults and for the origin POC
rule (join the nearest single message at cosine >= 0.75); `--grid` adds the threshold grid
the defaults were picked from (seed 0 only: the other seeds check robustness, not tuning).
Embeddings are cached in /tmp so the CSV is embedded once.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from sift.ai.embeddings import get_embedder
from sift.inbox.clustering import ClusteringParams, OnlineClusterer
from sift.inbox.clustering_metrics import ClusteringQuality, clustering_quality

CACHE = Path("/tmp/sift_b77_emb.npy")


def load(path: str) -> tuple[np.ndarray, list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if CACHE.exists() and len(vectors := np.load(CACHE)) == len(rows):
        return vectors, [row["category"] for row in rows]
    vectors = get_embedder().embed([row["text"] for row in rows])
    np.save(CACHE, vectors)
    return vectors, [row["category"] for row in rows]


def run_sift(
    vectors: np.ndarray,
    labels: list[str],
    order: list[int],
    params: ClusteringParams,
    regroup_every: int = 1000,
) -> tuple[ClusteringQuality, float]:
    """Ingest in `order` with a regroup every `regroup_every` messages and one at the end.

    Returns the quality and the mean milliseconds per on-arrival decision (kNN + decide);
    regroups are background work and are not timed.
    """
    clusterer = OnlineClusterer(params=params)
    decision_seconds = 0.0
    for count, row in enumerate(order, start=1):
        started = time.perf_counter()
        clusterer.add(vectors[row])
        decision_seconds += time.perf_counter() - started
        if count % regroup_every == 0:
            clusterer.regroup()
    clusterer.regroup()
    truth = [labels[row] for row in order]
    return clustering_quality(truth, clusterer.labels), 1000 * decision_seconds / len(order)


def run_origin(vectors: np.ndarray, labels: list[str], order: list[int]) -> ClusteringQuality:
    """The origin POC: join the cluster of the nearest earlier message if cosine >= 0.75."""
    ordered = vectors[order]
    assigned: list[int] = []
    for i in range(len(order)):
        if i:
            similarity = ordered[:i] @ ordered[i]
            nearest = int(np.argmax(similarity))
            if similarity[nearest] >= 0.75:
                assigned.append(assigned[nearest])
                continue
        assigned.append(i)
    return clustering_quality([labels[row] for row in order], assigned)


def show(name: str, quality: ClusteringQuality, extra: str = "") -> None:
    q = quality
    print(
        f"{name:<44} P={q.precision:.3f} R={q.recall:.3f} NMI={q.nmi:.3f} ARI={q.ari:.3f} "
        f"purity={q.purity:.3f} coverage={q.coverage:.3f} clusters={q.clusters} {extra}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv")
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    vectors, labels = load(args.csv)
    defaults = ClusteringParams()
    print(defaults)
    for seed in args.seeds:
        order = list(range(len(labels)))
        random.Random(seed).shuffle(order)
        quality, ms = run_sift(vectors, labels, order, defaults)
        show(f"sift defaults seed={seed}", quality, f"decision={ms:.2f}ms")
        show(f"origin nearest>=0.75 seed={seed}", run_origin(vectors, labels, order))
    if args.grid:
        order = list(range(len(labels)))
        random.Random(0).shuffle(order)
        grid = [
            (0.72, 0.03, 0.72),
            (0.75, 0.03, 0.75),
            (0.76, 0.03, 0.76),
            (0.78, 0.03, 0.76),
            (0.78, 0.03, 0.78),
        ]
        for join, margin, merge in grid:
            params = replace(defaults, join_similarity=join, margin=margin, merge_similarity=merge)
            quality, _ = run_sift(vectors, labels, order, params)
            show(f"join={join:.2f} margin={margin:.2f} merge={merge:.2f}", quality)


if __name__ == "__main__":
    main()
