"""Fit the rules engine's offer model and report it cross-validated by case.

Usage (from the project root, with `../shared/data` beside it):

    .venv/bin/python bench/train_offer_model.py ../shared/data/extraction/dev.jsonl \\
        ../shared/data/extraction/real_dev.jsonl --out sift/directory/extraction/offer_model.json

Prints, per data set and for each candidate threshold, the 5-fold cross-validated figures
(folds by case: every case is extracted end to end by a model fitted without its fold),
then fits on every case and writes the weights with the chosen threshold. The fitted-on-all
figures say nothing about new pages; only the cross-validated ones are reported.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sift.ai.embeddings import get_multilingual_embedder
from sift.directory.evaluation.commands import read_cases
from sift.directory.extraction.evaluation import summarise
from sift.directory.extraction.offer_training import (
    REGULARISATION,
    cross_validate,
    fit,
    labelled_rows,
)

THRESHOLDS = (0.35, 0.45, 0.55)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="+", help="extraction cases (JSONL)")
    parser.add_argument("--out", type=Path, help="write the fitted weights here")
    parser.add_argument("--threshold", type=float, default=None, help="ship this threshold")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--regularisation", type=float, default=REGULARISATION, help="inverse L2 strength"
    )
    args = parser.parse_args()

    sets = {path.name: read_cases(path) for path in args.data}
    cases = [case for found in sets.values() for case in found]
    names = [name for name, found in sets.items() for _ in found]
    embedder = get_multilingual_embedder()
    rows = labelled_rows(cases, embedder)
    print(f"{len(cases)} cases, {len(rows.y)} labelled items, {int(rows.y.sum())} offers")
    best: tuple[float, float] | None = None
    thresholds = (args.threshold,) if args.threshold is not None else THRESHOLDS
    for threshold in thresholds:
        scores = cross_validate(
            cases,
            rows,
            embedder,
            threshold=threshold,
            k=args.folds,
            regularisation=args.regularisation,
        )
        worst_f1 = 1.0
        for name in sets:
            figures = summarise([s for s, n in zip(scores, names, strict=True) if n == name])
            worst_f1 = min(worst_f1, figures.f1)
            print(json.dumps({"threshold": threshold, "data": name, **figures.as_dict()}))
        if best is None or worst_f1 > best[1]:
            best = (threshold, worst_f1)
    assert best is not None
    if args.out:
        model = fit(rows, threshold=best[0], regularisation=args.regularisation)
        args.out.write_text(json.dumps(model.as_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out} (threshold {best[0]}, worst cross-validated F1 {best[1]:.3f})")


if __name__ == "__main__":
    main()
