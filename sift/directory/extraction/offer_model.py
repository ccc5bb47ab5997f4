"""Is this candidate item an offer? A small logistic model over what the page shows.

Hand-set margins fitted the authored pages and missed most offers on real ones. The model
below weighs the same evidence instead: how near the item's embedding sits to each described
offer and non-offer (`judge.offer_similarities`; every prototype's cosine is an input, so the
fit learns which kinds of offer and non-offer matter), which particulars it gives
(a schedule, a date, a place, a phone, an email, a way to join, who may come), its shape
(a section or an entry inside one, named or told in a sentence, how many siblings it has)
and its page (social post, dated article). No word lists per case: the weights are fitted by
`bench/train_offer_model.py` on `../shared/data/extraction/` (both the authored and the
real-page sets) and reported there cross-validated by case; `offer_model.json` ships them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from sift.directory.extraction.addresses import find_location
from sift.directory.extraction.judge import (
    NOT_OFFER_PROTOTYPES,
    OFFER_PROTOTYPES,
    eligibility_stated,
    how_to_join,
    stated_dates,
)
from sift.directory.extraction.seasons import find_season
from sift.directory.extraction.text import (
    EMAIL,
    clean_inline,
    find_phone,
    parse_schedule,
    phone_region,
)

FEATURES = (
    "offer_similarity",
    "other_similarity",
    "margin",
    "schedule",
    "dated",
    "upcoming",
    "place",
    "phone",
    "email",
    "how_to",
    "eligibility",
    "entry",
    "named",
    "section_margin",
    "siblings",
    "words",
    "title_words",
    "social",
    "article",
    "past_tense",
    "future_tense",
    *(f"offer_{n}" for n in range(len(OFFER_PROTOTYPES))),
    *(f"other_{n}" for n in range(len(NOT_OFFER_PROTOTYPES))),
)
"""The model's inputs, in the order the weights are stored."""


MARGIN_FLOOR = -0.02
"""However many particulars an item gives, one that reads more like a report, a menu or a
policy than like any offer (its nearest non-offer prototype nearer by more than this) is no
offer: particulars alone ("on Monday night", an address) also fill news stories."""


PARTICULARS = ("schedule", "dated", "place", "phone", "email", "how_to", "eligibility")
"""What someone can act on: when, where, whom to reach, how to join, who may come."""
BARE_CLEARLY = 0.8
"""An item that gives none of `PARTICULARS` ("Leave a Legacy: remember the library in
your will") is kept only when the model is this sure: nearness to described offers alone
also fills appeals, mission statements and news. (0.6, 0.7 and 0.8 cost no recall
cross-validated by case; 0.8 raised precision on both sets.)"""


@dataclass(frozen=True)
class Candidate:
    """One item as the model sees it."""

    title: str
    text: str
    entry: bool
    """An entry inside a section (a paragraph, row or line), not a section itself."""
    named: bool
    """Named by the page (a heading, a bold name, a name before its day) rather than by
    the opening words of a sentence."""
    siblings: int
    """Entries in the same section."""
    social: bool
    article: bool
    """On a dated article (news or a blog post)."""


def features(
    candidate: Candidate, similarities: np.ndarray, section: np.ndarray, today: date
) -> list[float]:
    """The model's inputs for one candidate; `similarities` is its row of cosines to the
    offer prototypes, then the non-offer ones, and `section` its section's row (what the
    page around it is about)."""
    text = candidate.text
    dates = stated_dates(text, today)
    offer, other = _nearest(similarities)
    section_offer, section_other = _nearest(section)
    values = {
        "offer_similarity": offer,
        "other_similarity": other,
        "margin": offer - other,
        "schedule": bool(parse_schedule(text)),
        "dated": bool(dates) or find_season(text, today) is not None,
        "upcoming": any(d >= today for d in dates),
        "place": bool(find_location(text)),
        "phone": bool(find_phone(text, phone_region(text))),
        "email": bool(EMAIL.search(text)),
        "how_to": how_to_join(text),
        "eligibility": eligibility_stated(text),
        "entry": candidate.entry,
        "named": candidate.named,
        "section_margin": section_offer - section_other,
        "siblings": math.log1p(candidate.siblings),
        "words": math.log1p(len(clean_inline(text).split())),
        "title_words": math.log1p(len(candidate.title.split())),
        "social": candidate.social,
        "article": candidate.article,
        "past_tense": _share(_PAST, text),
        "future_tense": _share(_FUTURE, text),
    }
    named = [float(values[name]) for name in FEATURES[: len(values)]]
    return named + [float(v) for v in similarities]


def _nearest(similarities: np.ndarray) -> tuple[float, float]:
    """Cosine to the nearest offer prototype and to the nearest non-offer one."""
    offers = len(OFFER_PROTOTYPES)
    return float(similarities[:offers].max()), float(similarities[offers:].max())


_PAST = re.compile(r"\b(?:was|were|had|did|went|came|gave|brought|\w{3,}ed)\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|join us|come|bring|register|sign up|call|visit|open[s]?|starts?|meets?)\b",
    re.IGNORECASE,
)
"""A report tells what was (recaps, news, a programme's wrap-up); an offer tells what will
be and how to take part. The share of words of each kind is a language-level cue, not a
list fitted to cases."""


def _share(pattern: re.Pattern[str], text: str) -> float:
    words = max(1, len(text.split()))
    return 10.0 * len(pattern.findall(text)) / words


@dataclass(frozen=True)
class OfferModel:
    """Standardised inputs, one weight each, and the probability above which an item is
    kept (chosen on the cross-validated predictions, not on the fitted ones)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def offers(self, rows: np.ndarray) -> np.ndarray:
        """Which rows are offers: likely enough (`BARE_CLEARLY` where the item gives no
        particular at all), and not nearer to what is no offer than to what is one by more
        than `MARGIN_FLOOR`."""
        if len(rows) == 0:
            return np.zeros(0, dtype=bool)
        margin = rows[:, FEATURES.index("margin")]
        bare = ~rows[:, [FEATURES.index(name) for name in PARTICULARS]].any(axis=1)
        needed = np.where(bare, max(self.threshold, BARE_CLEARLY), self.threshold)
        return (self.probabilities(rows) >= needed) & (margin >= MARGIN_FLOOR)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    @property
    def digest(self) -> str:
        """A short fingerprint of the weights: a refitted model reads pages anew, so it
        keys the pass-1 memo."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    def as_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def of(cls, data: dict[str, Any]) -> OfferModel:
        if list(data["features"]) != list(FEATURES):
            raise ValueError("offer_model.json was fitted on other features: refit it")
        return cls(
            mean=np.asarray(data["mean"], dtype=float),
            scale=np.asarray(data["scale"], dtype=float),
            coef=np.asarray(data["coef"], dtype=float),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )


@cache
def shipped_model() -> OfferModel:
    """The weights fitted on the shared extraction sets, as shipped with Sift."""
    path = resources.files("sift.directory.extraction") / "offer_model.json"
    return OfferModel.of(json.loads(path.read_text(encoding="utf-8")))
