"""Extraction scored against gold answers: cases, one-to-one matching, metrics.

Pure functions over plain data, so the scoring rules can be tested on hand-made cases and
any engine (rules, llm) is scored the same way. The rules, from the data set's README:

- a predicted post *matches* a gold post when one of the gold `any` phrases occurs
  (case-insensitively) in its title or summary; matching is one-to-one and maximal;
- a gold post marked `optional` counts neither way: missing it is no miss, and a predicted
  post matched to it is neither right nor wrong;
- on a case with no gold post at all (a junk page) every predicted post is a false one;
- phone, place and weekdays are checked on the matched gold posts that state them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import phonenumbers

from sift.directory.extraction.types import ExtractedPost, PageInput
from sift.metrics import precision_recall_f1

_DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SOURCE_TYPES = ("website", "instagram", "facebook", "x", "tiktok")


@dataclass(frozen=True)
class GoldPost:
    """One post a correct extractor lists, with the facts it must get right."""

    name: str
    phrases: tuple[str, ...]
    phone: str | None = None
    where: str | None = None
    days: frozenset[str] | None = None
    optional: bool = False


@dataclass(frozen=True)
class Case:
    """One organisation's pages, the date that counts as today, and its gold posts."""

    id: str
    org: str
    today: date
    pages: tuple[PageInput, ...]
    posts: tuple[GoldPost, ...]

    @property
    def junk(self) -> bool:
        return not self.posts


def parse_case(data: Any) -> Case:
    """A case from one decoded JSON line; `ValueError` says what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    case_id = _text(data, "id")
    try:
        today = date.fromisoformat(_text(data, "today"))
    except ValueError:
        raise ValueError(f"'today' is not a YYYY-MM-DD date: {data.get('today')!r}") from None
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        raise ValueError("'pages' must be a non-empty list")
    golds = data.get("posts")
    if not isinstance(golds, list):
        raise ValueError("'posts' must be a list")
    return Case(
        id=case_id,
        org=_text(data, "org"),
        today=today,
        pages=tuple(_page(p, n) for n, p in enumerate(pages, start=1)),
        posts=tuple(_gold(g, n) for n, g in enumerate(golds, start=1)),
    )


def _text(data: dict[str, Any], key: str, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}'{key}' must be a non-empty string")
    return value


def _page(data: Any, n: int) -> PageInput:
    where = f"page {n}: "
    if not isinstance(data, dict):
        raise ValueError(f"{where}expected a JSON object")
    source_type = data.get("source_type", "website")
    if source_type not in _SOURCE_TYPES:
        raise ValueError(f"{where}unknown source_type {source_type!r}")
    content = data.get("content")
    if not isinstance(content, str):
        raise ValueError(f"{where}'content' must be a string")
    title = data.get("title")
    return PageInput(
        id=f"p{n}",
        url=_text(data, "url", where),
        title=title if isinstance(title, str) else None,
        content=content,
        content_hash=f"case-page-{n}",
        source_type=source_type,
        metadata={"platform": source_type} if source_type != "website" else {},
    )


def _gold(data: Any, n: int) -> GoldPost:
    where = f"gold post {n}: "
    if not isinstance(data, dict):
        raise ValueError(f"{where}expected a JSON object")
    phrases = data.get("any")
    if (
        not isinstance(phrases, list)
        or not phrases
        or not all(isinstance(p, str) and p.strip() for p in phrases)
    ):
        raise ValueError(f"{where}'any' must be a non-empty list of phrases")
    days = data.get("days")
    if days is not None and (not isinstance(days, list) or any(d not in _DAY_CODES for d in days)):
        raise ValueError(f"{where}'days' must list day codes ({', '.join(_DAY_CODES)})")
    return GoldPost(
        name=str(data.get("name") or f"post {n}"),
        phrases=tuple(p.strip().lower() for p in phrases),
        phone=_optional_text(data, "phone", where),
        where=_optional_text(data, "where", where),
        days=frozenset(days) if days else None,
        optional=bool(data.get("optional", False)),
    )


def _optional_text(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{where}'{key}' must be a string")
    return value or None


# --- matching -------------------------------------------------------------------------------


def matches(post: ExtractedPost, gold: GoldPost) -> bool:
    """One gold phrase occurs in the post's title or summary."""
    text = f"{post.title}\n{post.summary}".lower()
    return any(phrase in text for phrase in gold.phrases)


def match_posts(predicted: Sequence[ExtractedPost], gold: Sequence[GoldPost]) -> dict[int, int]:
    """A maximum one-to-one matching, gold index → predicted index.

    Augmenting paths from the required gold posts first, then from the optional ones: a
    gold post once matched stays matched while paths re-route, so the matching is maximal
    for the required posts and, within that, absorbs as many extra posts into optional
    ones as possible.
    """
    edges = [[i for i, p in enumerate(predicted) if matches(p, g)] for g in gold]
    owner: dict[int, int] = {}  # predicted index → gold index

    def augment(g: int, seen: set[int]) -> bool:
        for i in edges[g]:
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = g
                return True
        return False

    order = sorted(range(len(gold)), key=lambda g: gold[g].optional)
    for g in order:
        augment(g, set())
    return {g: i for i, g in owner.items()}


@dataclass(frozen=True)
class FieldTally:
    """Right answers out of the matched gold posts that state a field."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> FieldTally:
        return FieldTally(self.right + ok, self.total + 1)

    def __add__(self, other: FieldTally) -> FieldTally:
        return FieldTally(self.right + other.right, self.total + other.total)

    @property
    def accuracy(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass(frozen=True)
class CaseScore:
    true_positives: int
    false_positives: int
    false_negatives: int
    predicted: int
    junk: bool
    phone: FieldTally
    where: FieldTally
    days: FieldTally


def score_case(case: Case, predicted: Sequence[ExtractedPost]) -> CaseScore:
    """Counts for one case under the rules in the module docstring."""
    matched = match_posts(predicted, case.posts)
    required = [g for g, gold in enumerate(case.posts) if not gold.optional]
    tp = sum(g in matched for g in required)
    phone, where, days = FieldTally(), FieldTally(), FieldTally()
    for g, i in matched.items():
        gold, post = case.posts[g], predicted[i]
        if gold.phone:
            phone = phone.add(same_phone(post.contact.phone, gold.phone))
        if gold.where:
            where = where.add(gold.where.lower() in (post.location or "").lower())
        if gold.days:
            days = days.add(post_days(post) == gold.days)
    return CaseScore(
        true_positives=tp,
        false_positives=len(predicted) - len(matched),
        false_negatives=len(required) - tp,
        predicted=len(predicted),
        junk=case.junk,
        phone=phone,
        where=where,
        days=days,
    )


def post_days(post: ExtractedPost) -> frozenset[str]:
    return frozenset(day[:3].lower() for entry in post.schedule for day in entry.days)


def national_digits(phone: str, region: str) -> str | None:
    """The digits a person dials inside the country (`01632960418`, `6125550147`)."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    number.extension = None  # "ext. 1" reaches the same line
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return re.sub(r"\D", "", national)


def same_phone(predicted: str | None, gold_digits: str) -> bool:
    """The predicted number dials as the gold one in the gold number's country.

    The gold gives national digits only; a leading 0 is a trunk prefix (UK, Australia),
    none means a North American number.
    """
    if not predicted:
        return False
    regions = ("GB", "AU") if gold_digits.startswith("0") else ("US",)
    return any(national_digits(predicted, region) == gold_digits for region in regions)


# --- totals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    """The figures `sift eval extraction --json` prints."""

    precision: float
    recall: float
    f1: float
    cases: int
    junk_cases: int
    junk_cases_with_posts: int
    junk_posts: int
    phone_acc: float | None
    where_acc: float | None
    days_acc: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            key: round(value, 4) if isinstance(value, float) else value
            for key, value in self.__dict__.items()
        }


def summarise(scores: Sequence[CaseScore]) -> Metrics:
    tp = sum(s.true_positives for s in scores)
    fp = sum(s.false_positives for s in scores)
    fn = sum(s.false_negatives for s in scores)
    precision, recall, f1 = precision_recall_f1(tp, tp + fp, tp + fn)
    junk = [s for s in scores if s.junk]
    total = FieldTally()
    return Metrics(
        precision=precision,
        recall=recall,
        f1=f1,
        cases=len(scores),
        junk_cases=len(junk),
        junk_cases_with_posts=sum(s.predicted > 0 for s in junk),
        junk_posts=sum(s.predicted for s in junk),
        phone_acc=sum((s.phone for s in scores), total).accuracy,
        where_acc=sum((s.where for s in scores), total).accuracy,
        days_acc=sum((s.days for s in scores), total).accuracy,
    )
