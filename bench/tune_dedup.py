"""Tune and measure the offline duplicate matcher on Ditto-format pair files (Abt-Buy).

Usage:
    python bench/tune_dedup.py [--train TRAIN.txt] [--score VALID.txt] [--png out.png]

With --train, weights and threshold are re-learned on that file only (threshold from
out-of-fold predictions) and printed as code to paste into ``MatcherWeights``; without it
the code defaults are used. Baseline thresholds are likewise chosen on the train file, never
on the scored file. Embeddings are cached on disk under /tmp so each text is embedded once.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sift.ai.embeddings import get_embedder, text_hash
from sift.directory.evaluation.dedup_scoring import (
    choose_threshold,
    metrics_from_decisions,
    precision_recall_curve_png,
    read_labelled_pairs,
    train,
)
from sift.directory.record_matching import (
    FEATURE_NAMES,
    DuplicateMatcher,
    MatcherWeights,
    compute_features,
)

DATA = Path("/work/shared/data/abt_buy")
CACHE_DIR = Path("/tmp/sift_embed_cache")


class DiskCachedEmbedder:
    """Persists vectors by text hash in one .npz per model so reruns embed nothing new."""

    def __init__(self) -> None:
        self.inner = get_embedder()
        self.name = self.inner.name
        self.dimensions = self.inner.dimensions
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tag = hashlib.sha1(self.name.encode()).hexdigest()[:8]
        self.path = CACHE_DIR / f"{tag}.npz"
        self.store: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path)
            self.store = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_hash(t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self.store}.items()
        )
        if missing:
            fresh = self.inner.embed([t for _, t in missing])
            self.store.update({k: v for (k, _), v in zip(missing, fresh, strict=True)})
            np.savez(
                self.path,
                keys=np.array(list(self.store)),
                vectors=np.stack(list(self.store.values())),
            )
        return np.stack([self.store[k] for k in keys]).astype(np.float32)


def baseline_threshold(train_scores: np.ndarray, train_labels: np.ndarray) -> float:
    """Best-F1 threshold on train (baselines get their own fair, train-only threshold)."""
    return choose_threshold(train_scores, train_labels, min_precision=0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=None, help="re-learn weights from this file")
    parser.add_argument("--baseline-train", type=Path, default=DATA / "train.txt")
    parser.add_argument("--score", type=Path, default=DATA / "valid.txt")
    parser.add_argument("--png", type=Path, default=Path("/tmp/sift_dedup_pr.png"))
    parser.add_argument("--min-precision", type=float, default=0.92)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument(
        "--cold", action="store_true", help="also time scoring with no embedding cache"
    )
    args = parser.parse_args()

    embedder = DiskCachedEmbedder()
    score_pairs, score_labels = read_labelled_pairs(args.score)
    base_pairs, base_labels = read_labelled_pairs(args.baseline_train)

    # Baselines, thresholds chosen on the train file.
    x_train = compute_features(base_pairs, embedder)
    x_score = compute_features(score_pairs, embedder)
    for name in ("cos_title", "cos_full", "id_exact", "key_id"):
        j = FEATURE_NAMES.index(name)
        t = baseline_threshold(x_train[:, j], base_labels)
        m = metrics_from_decisions(x_score[:, j] >= t, score_labels)
        print(f"baseline {name:<10} t={t:.3f}  {m}")

    if args.train:
        train_pairs, train_labels = read_labelled_pairs(args.train)
        t0 = time.perf_counter()
        weights = train(
            train_pairs, train_labels, embedder, c=args.c, min_precision=args.min_precision
        )
        print(f"trained on {len(train_pairs)} pairs in {time.perf_counter() - t0:.1f}s")
        print("MatcherWeights(\n" + weights.as_code() + "\n)")
    else:
        weights = MatcherWeights()

    matcher = DuplicateMatcher(weights, embedder)
    scores = matcher.score_pairs(score_pairs)
    metrics = metrics_from_decisions(scores >= weights.threshold, score_labels)
    print(f"matcher  t={weights.threshold:.3f}  {metrics}")
    png = precision_recall_curve_png(args.png, scores, score_labels, weights.threshold)
    print(f"precision-recall curve: {png}")

    t0 = time.perf_counter()
    matcher.score_pairs(score_pairs)
    print(
        f"warm scoring (embeddings cached) of {len(score_pairs)} pairs: "
        f"{time.perf_counter() - t0:.2f}s"
    )
    if args.cold:
        # A fresh embedder with no cache at all, as a first run in the workflow would see it.
        fresh = DuplicateMatcher(weights, get_embedder().inner)
        t0 = time.perf_counter()
        fresh.score_pairs(score_pairs)
        print(f"cold scoring of {len(score_pairs)} pairs: {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
