"""Fitting the offer model on gold cases, and measuring it without leakage.

Every candidate item of every case (sections and the entries inside them, exactly as pass 1
reads them) is labelled from the gold posts by the scorer's own rule: an item whose title or
summary holds a phrase of a required gold post is an offer; one that holds only an optional
post's phrase teaches nothing and is left out; every other item, and every item of a junk
page, is not an offer. A logistic regression is fitted on those rows.

`cross_validate` is the figure to report: cases are split into folds, the model is fitted
on the other folds' rows only, and the held-out fold is extracted end to end (all three
passes) with it and scored as `sift eval extraction` scores.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from sift.ai.embeddings import Embedder
from sift.directory.extraction.engine import extract_posts
from sift.directory.extraction.evaluation import Case, CaseScore, score_case
from sift.directory.extraction.offer_model import OfferModel
from sift.directory.extraction.reading import judged_sections, label_text
from sift.directory.extraction.rules import RuleEngine
from sift.directory.extraction.types import TagSet

REGULARISATION = 0.1
"""Inverse L2 strength: a few hundred rows per fold, about sixty inputs (0.03-1.0 tried,
cross-validated by case: 0.1 kept real-page recall highest with no junk page posting)."""


@dataclass(frozen=True)
class Rows:
    """The labelled candidates of some cases: inputs, labels, and which case each is from."""

    x: np.ndarray
    y: np.ndarray
    case: np.ndarray


def labelled_rows(cases: Sequence[Case], embedder: Embedder) -> Rows:
    xs: list[np.ndarray] = []
    ys: list[int] = []
    owners: list[int] = []
    for n, case in enumerate(cases):
        judged = judged_sections(case.pages, embedder, org_name=case.org, today=case.today)
        for page in judged:
            for section, rows in page:
                for item, row in zip(section.candidates, rows, strict=True):
                    label = _label(case, label_text(item))
                    if label is not None:
                        xs.append(row)
                        ys.append(label)
                        owners.append(n)
    return Rows(np.asarray(xs), np.asarray(ys), np.asarray(owners))


def _label(case: Case, text: str) -> int | None:
    lowered = text.lower()
    hits = [g for g in case.posts if any(p in lowered for p in g.phrases)]
    if any(not g.optional for g in hits):
        return 1
    return None if hits else 0


def fit(rows: Rows, *, threshold: float, regularisation: float = REGULARISATION) -> OfferModel:
    mean = rows.x.mean(axis=0)
    scale = rows.x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=regularisation, max_iter=2000)
    model.fit((rows.x - mean) / scale, rows.y)
    return OfferModel(
        mean=mean,
        scale=scale,
        coef=model.coef_[0],
        intercept=float(model.intercept_[0]),
        threshold=threshold,
    )


def folds_by_case(count: int, k: int, seed: int = 7) -> list[list[int]]:
    """Case indices dealt into `k` folds after a seeded shuffle."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def cross_validate(
    cases: Sequence[Case],
    rows: Rows,
    embedder: Embedder,
    *,
    threshold: float,
    k: int = 5,
    regularisation: float = REGULARISATION,
) -> list[CaseScore]:
    """Each case scored by a model fitted without any row of its fold."""
    scores: dict[int, CaseScore] = {}
    for fold in folds_by_case(len(cases), k):
        train = ~np.isin(rows.case, fold)
        model = fit(
            Rows(rows.x[train], rows.y[train], rows.case[train]),
            threshold=threshold,
            regularisation=regularisation,
        )
        engine = RuleEngine(offer_model=model, offer_embedder=embedder)
        for n in fold:
            case = cases[n]
            posts = extract_posts(
                engine, case.pages, org_name=case.org, tags=TagSet(), today=case.today
            )
            scores[n] = score_case(case, posts)
    return [scores[n] for n in range(len(cases))]
