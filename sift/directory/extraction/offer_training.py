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
from scipy.optimize import minimize
from scipy.special import expit

from sift.ai.embeddings import Embedder
from sift.directory.extraction.engine import extract_posts
from sift.directory.extraction.evaluation import Case, CaseScore, score_case
from sift.directory.extraction.judge import NOT_OFFER_PROTOTYPES, OFFER_PROTOTYPES
from sift.directory.extraction.offer_model import FEATURES, PARTICULARS, OfferModel
from sift.directory.extraction.reading import judged_sections, label_text
from sift.directory.extraction.rules import RuleEngine
from sift.directory.extraction.types import TagSet

REGULARISATION = 0.1
"""Inverse L2 strength: a few hundred rows per fold, about sixty inputs (0.03-1.0 tried,
cross-validated by case: 0.1 kept real-page recall highest with no junk page posting)."""


PROTOTYPE_INPUTS = len(OFFER_PROTOTYPES) + len(NOT_OFFER_PROTOTYPES)
"""The last inputs: the cosine to each described offer and non-offer."""
PROTOTYPE_PENALTY = 4.0
"""Those inputs are regularised this much harder than the rest: thirty-eight correlated
cosines fitted on a few hundred rows otherwise pick up weights from the pages they
happened to be on (a toy drive read as far from a Spanish prototype). 4 kept every
threshold's cross-validated figures level (real pages 0.921 / 0.795, 0 of 8 junk pages;
1 and 10 let a junk page post at one threshold)."""
MONOTONE = (*PARTICULARS, "upcoming")
"""Inputs whose weight is kept at zero or above: what someone can act on."""


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
    """L2-regularised logistic regression in which a particular (`MONOTONE`) may only
    make an item more likely an offer: a few hundred rows let a phone or a stated
    eligibility take a negative weight from the pages they happened to be on (contact
    blocks), and then a resource guide that lists agencies with their phones reads as
    none. The prototype cosines take `PROTOTYPE_PENALTY` times the L2 penalty."""
    mean = rows.x.mean(axis=0)
    scale = rows.x.std(axis=0)
    scale[scale == 0] = 1.0
    x = (rows.x - mean) / scale
    y = rows.y.astype(float)
    width = x.shape[1]
    penalty = np.full(width, 1.0 / regularisation)
    penalty[len(FEATURES) - PROTOTYPE_INPUTS :] *= PROTOTYPE_PENALTY

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        weights, bias = theta[:width], theta[width]
        z = x @ weights + bias
        value = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * weights @ (penalty * weights))
        residual = expit(z) - y
        return value, np.concatenate([x.T @ residual + penalty * weights, [residual.sum()]])

    monotone = {FEATURES.index(name) for name in MONOTONE}
    bounds = [(0.0, None) if k in monotone else (None, None) for k in range(width)]
    found = minimize(
        loss, np.zeros(width + 1), jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)]
    )
    return OfferModel(
        mean=mean,
        scale=scale,
        coef=found.x[:width],
        intercept=float(found.x[width]),
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
