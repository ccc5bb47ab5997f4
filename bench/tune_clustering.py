"""Tune inbox grouping: quality of the production rule at a grid of join/merge similarities.

Usage:
    python bench/tune_clustering.py CSV [--model minilm-intent|minilm] [--sample N]
        [--similarities 0.6 0.62 ...] [--seeds 0 1] [--adaptive]

All rows (or a random sample of N, e.g. the size of a held-out test set) are one creator's
inbox, ingested in the order `random.Random(seed).shuffle` gives, through `OnlineClusterer`
(the in-memory mirror of the production path: top-k neighbours, `decide`, and a regroup every
1,000 messages and at the end). It prints pair precision / recall, NMI and DSTC11's `acc`
per similarity, which is what `clustering.STRICTNESS_SCALES` was chosen from:

    DSTC11 development (and samples of it) -> the default, at pair precision ~0.95;
    Banking77 train, samples of 3,080 rows -> the strictest end (precision >= 0.85, NMI >= 0.75).

`--adaptive` scores the default instead: the similarity each inbox calibrates for itself
(`clustering.calibrate_similarity`), recalibrated as the inbox grows, as regroup does.

Embeddings are cached in /tmp per file and model, so each CSV is embedded once.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
from pathlib import Path

import numpy as np

from sift.ai.embeddings import MiniLMOnnxEmbedder
from sift.inbox.clustering import SPLIT_GAP, ClusteringParams, params_for
from sift.inbox.clustering_metrics import ClusteringQuality, clustering_quality
from sift.inbox.online import OnlineClusterer


def load(path: str, model: str) -> tuple[np.ndarray, list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    key = hashlib.sha256(f"{Path(path).resolve()}:{model}".encode()).hexdigest()[:16]
    cache = Path(f"/tmp/sift_tune_{key}.npy")
    if cache.exists() and len(vectors := np.load(cache)) == len(rows):
        return vectors, [row["category"] for row in rows]
    vectors = MiniLMOnnxEmbedder(model=model).embed([row["text"] for row in rows])
    np.save(cache, vectors)
    return vectors, [row["category"] for row in rows]


def run(
    vectors: np.ndarray, labels: list[str], clusterer: OnlineClusterer, seed: int
) -> ClusteringQuality:
    order = list(range(len(labels)))
    random.Random(seed).shuffle(order)
    predicted = clusterer.add_all(vectors[order])
    return clustering_quality([labels[row] for row in order], predicted)


def report(seed: int, setting: str, q: ClusteringQuality) -> None:
    print(
        f"seed={seed} {setting} P={q.precision:.3f} R={q.recall:.3f} "
        f"NMI={q.nmi:.3f} acc={q.accuracy:.3f} clusters={q.clusters}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv")
    parser.add_argument("--model", default="minilm-intent", choices=["minilm-intent", "minilm"])
    parser.add_argument("--sample", type=int, default=None, help="score a random N-row sample")
    parser.add_argument("--similarities", type=float, nargs="+", default=[0.6, 0.64, 0.68])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--adaptive", action="store_true", help="score the calibrated default")
    args = parser.parse_args()
    vectors, labels = load(args.csv, args.model)
    for seed in args.seeds:
        rows = list(range(len(labels)))
        if args.sample:
            rows = random.Random(seed).sample(rows, min(args.sample, len(rows)))
        inbox, truth = vectors[rows], [labels[i] for i in rows]
        if args.adaptive:
            adaptive = OnlineClusterer(
                params=params_for(None, args.model), adaptive_model=args.model
            )
            quality = run(inbox, truth, adaptive, seed)
            report(seed, f"adaptive(similarity={adaptive.params.join_similarity:.2f})", quality)
            continue
        for similarity in args.similarities:
            params = ClusteringParams(
                join_similarity=similarity,
                merge_similarity=similarity,
                split_similarity=similarity - SPLIT_GAP,
            )
            quality = run(inbox, truth, OnlineClusterer(params=params), seed)
            report(seed, f"similarity={similarity:.2f}", quality)


if __name__ == "__main__":
    main()
