"""The offer model is fitted and cross-validated by case on real gold cases, and the
shipped weights are the ones the rule engine reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sift.ai.embeddings import get_multilingual_embedder
from sift.directory.evaluation.commands import read_cases
from sift.directory.extraction.offer_model import FEATURES, OfferModel, shipped_model
from sift.directory.extraction.offer_training import (
    cross_validate,
    fit,
    folds_by_case,
    labelled_rows,
)


def test_folds_deal_every_case_once() -> None:
    folds = folds_by_case(11, 5)
    assert sorted(n for fold in folds for n in fold) == list(range(11))
    assert len(folds) == 5 and all(folds)


def test_a_model_fitted_on_some_cases_scores_the_others_end_to_end(shared_data: Path) -> None:
    """Labels come from the gold posts; each held-out case is extracted with a model that
    never saw its rows, and scored as `sift eval extraction` scores."""
    cases = read_cases(shared_data / "extraction" / "dev.jsonl")[:8]
    embedder = get_multilingual_embedder()
    rows = labelled_rows(cases, embedder)
    assert rows.x.shape == (len(rows.y), len(FEATURES))
    assert set(np.unique(rows.y)) == {0, 1}
    scores = cross_validate(cases, rows, embedder, threshold=0.35, k=2)
    assert len(scores) == len(cases)
    assert sum(s.true_positives for s in scores) > 0
    model = fit(rows, threshold=0.35)
    again = OfferModel.of(model.as_dict())
    assert np.allclose(again.probabilities(rows.x), model.probabilities(rows.x))


def test_the_shipped_model_reads_the_engines_features() -> None:
    model = shipped_model()
    assert len(model.coef) == len(FEATURES) and 0 < model.threshold < 1
    assert len(model.digest) == 8
