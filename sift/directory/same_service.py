"""Are two posts of one organization the same real service? The judgement the clean-up
(merge proposals), the extraction sync (which existing post a fresh one updates) and the
rules engine's merge of narratives all use, so the three never disagree about a pair.

The record matcher (`record_matching.py`) decides by shared identifiers and surface overlap,
which is right for a camera and wrong for an organization's posts: every post of a food
shelf carries the same phone, website and street address, and its pantry, its pantry
volunteers and its food drive read alike. Here the organization's shared contacts are never
evidence, and the things that make two look-alike posts *different* services veto a merge
outright:

- a different role: using a service vs volunteering for it vs donating to it;
- a different audience: ages that do not overlap, or a group named by gender on one side;
- a different time: weekdays that do not meet, or start times far apart;
- a different place: other street numbers, or locations with no word in common;
- a different edition: other years in the titles (the 2025 and the 2026 holiday boxes).

What is left is judged by meaning: the embedding similarity of title and summary (and of
the whole text, for posts whose titles say little), with a lower bar when the schedules
agree, since "Thursdays 1-5 pm" on both sides is strong evidence that two differently
worded posts (or an English and a Spanish one) describe one session.

Every decision is per pair and explained, so a caller can group with complete linkage
(no chaining through a third post) and an admin-facing tool can say why a pair was refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sift.directory.extraction.text import DAY_WORDS, MONTH_WORDS, day_number, month_number

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

__all__ = [
    "PairJudgement",
    "ServiceFacts",
    "judge_post_pairs",
    "rare_markers",
    "same_service",
    "vetoes",
]

BARS = ((0.0, 0.78), (0.5, 0.68), (1.0, 0.55), (1.5, 0.45), (2.0, 0.25))
"""(clue weight, title+summary or full-text cosine needed from there on). With no clue only
near-paraphrases merge; two clues admit an English and a Spanish version of one session."""
CLUE_WEIGHTS = {
    "same schedule": 1.0,
    "same date": 1.0,
    "title word only they use": 1.0,
    "contact only they share": 0.5,
}
"""A contact two programs share (one registrar for registration and scholarships) is
weaker evidence than a schedule or a distinctive word in both titles."""
MAX_START_GAP_MINUTES = 60
"""Start times further apart than this on a shared day are different sessions."""
SAME_START_MINUTES = 30
"""Start times this close read as one session (doors at 4:30, clinic at 5)."""
RARE_SHARE = 3
"""A clue shared by more posts than this (the org's phone, its one address) is no clue."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_DASH = r"[-\u2013\u2014]"
_DAY_SPAN = re.compile(rf"\b({DAY_WORDS})\s*(?:to|through|thru|a|{_DASH})\s*({DAY_WORDS})\b")
_ROLES = (
    ("volunteer", re.compile(r"\b(volunteer\w*|voluntari\w*|docents?|mentors? needed)\b")),
    (
        "donate",
        re.compile(
            r"\b(donat\w*|don[ae]r?|donaci\w*|give|giving|drive|appeal|fundrais\w*|"
            r"sponsor\w*|collection points?)\b"
        ),
    ),
)
_GENDERS = (
    ("women", re.compile(r"\b(women|woman|women's|ladies|girls|mujeres|female)\b")),
    ("men", re.compile(r"\b(men|man|men's|boys|hombres|male)\b")),
    ("trans", re.compile(r"\b(trans|non-binary|nonbinary|lgbtq\w*)\b")),
)
# Ages a word implies when no number is given: (youngest, oldest).
_AGE_WORDS = (
    (re.compile(r"\b(bab(y|ies)|infants?|bebés?)\b"), (0, 2)),
    (re.compile(r"\btoddlers?\b"), (1, 3)),
    (re.compile(r"\bpreschool\w*\b"), (3, 5)),
    (re.compile(r"\b(kids?|children|child|niños|niñas)\b"), (4, 12)),
    (re.compile(r"\b(teens?|teenagers?|adolescents?|high school)\b"), (13, 18)),
    (re.compile(r"\b(youth|juvenil|jóvenes)\b"), (5, 18)),
    (re.compile(r"\byoung adults?\b"), (18, 25)),
    (re.compile(r"\b(adults?|adultos?|grown-ups)\b"), (18, 120)),
    (re.compile(r"\b(seniors?|older adults?|elders?|elderly|mayores)\b"), (60, 120)),
)
_AGE_RANGE = re.compile(rf"\b[uU]?(\d{{1,2}})\s*(?:to|{_DASH})\s*[uU]?(\d{{1,2}})\b(\s*months?)?")
_AGE_FLOOR = re.compile(r"\b(\d{1,2})\s*\+")
_HOUSE_NUMBER = re.compile(r"\b(\d{1,5})\s+([A-Za-z]\w*)")
_DATE_MD = re.compile(rf"\b({MONTH_WORDS})\.?\s+(\d{{1,2}})\b")
_DATE_DM = re.compile(rf"\b(\d{{1,2}})\s+(?:de\s+)?({MONTH_WORDS})\b")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})")
_STEM = 6
"""Title words compare by their first letters, accents removed: "clinic" and "clínica"."""
_GENERIC = frozenset(
    {
        "free", "help", "program", "programme", "class", "classes", "service", "services",
        "weekly", "daily", "monthly", "open", "community", "support", "center", "centre",
        "drop", "group", "night", "day", "days", "every", "workshop", "volunteer",
        "volunteers", "donate", "donations", "drive", "appeal", "needed", "wanted",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ServiceFacts:
    """What the judgement reads of one post, computed once however many pairs it is in."""

    text: str
    full_text: str
    role: str
    years: frozenset[str]
    dates: frozenset[tuple[int, int]]
    days: frozenset[int]
    stated_days: frozenset[int]
    """Weekdays from the schedule or the title and summary; `days` may also come from the
    description, good enough to tell sessions apart, too loose to call two the same."""
    starts: frozenset[int]
    ages: tuple[int, int] | None
    genders: frozenset[str]
    house_numbers: frozenset[str]
    markers: frozenset[str]
    """Contacts, street addresses and title words: clues only when few posts share them."""

    @classmethod
    def of(cls, content: Mapping[str, Any]) -> ServiceFacts:
        """Facts of a post given as its content (title, summary, description, audience,
        location, contact, schedule: the shape of a stored post and of an extracted one)."""
        title = _clean(content.get("title"))
        summary = _clean(content.get("summary"))
        description = _clean(content.get("description"))
        audience = _clean(content.get("audience"))
        location = _clean(content.get("location"))
        schedule = [s for s in content.get("schedule") or [] if isinstance(s, Mapping)]
        headline = f"{title}. {summary}" if summary else title
        who = f"{title} {audience}".lower()
        stated_days = _schedule_days(schedule) or _text_days(headline)
        addresses = {f"at:{n} {street.lower()}" for n, street in _HOUSE_NUMBER.findall(location)}
        return cls(
            text=headline,
            full_text=f"{headline}. {description}" if description else headline,
            role=_role(who),
            years=frozenset(_YEAR.findall(headline)),
            dates=_dates(headline.lower()),
            days=stated_days or _text_days(description),
            stated_days=stated_days,
            starts=frozenset(m for s in schedule if (m := _minutes(s.get("start"))) is not None),
            ages=_ages(who),
            genders=frozenset(name for name, pattern in _GENDERS if pattern.search(who)),
            house_numbers=frozenset(n for n, _ in _HOUSE_NUMBER.findall(location)),
            markers=frozenset(_contacts(content.get("contact")) | addresses | _title_words(title)),
        )


@dataclass(frozen=True)
class PairJudgement:
    """One pair's verdict: a duplicate or not, the similarity and the reason an admin would
    understand ("different audience", "same schedule")."""

    duplicate: bool
    similarity: float
    reason: str
    vetoed: bool = False
    """Ruled out by a hard difference (role, edition, audience, day, time, place), not by
    too little similarity: nothing else may then join the two."""


def _clean(value: Any) -> str:
    return str(value).strip() if value else ""


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _role(text: str) -> str:
    """ "volunteer", "donate" or "use": giving time or things is not receiving the service."""
    return next((name for name, pattern in _ROLES if pattern.search(text)), "use")


def _schedule_days(schedule: Sequence[Mapping[str, Any]]) -> frozenset[int]:
    days = {day_number(str(d).strip()) for s in schedule for d in s.get("days") or []}
    return frozenset(d for d in days if d is not None)


def _text_days(text: str) -> frozenset[int]:
    """Weekdays a text names, spans included ("Tuesday to Saturday", "Mon-Fri")."""
    days = {day for w in _words(text) if len(w) > 3 and (day := day_number(w)) is not None}
    for first, last in _DAY_SPAN.findall(text.lower()):
        start, end = day_number(first), day_number(last)
        assert start is not None and end is not None  # the pattern matched day words
        days.update((start + k) % 7 for k in range((end - start) % 7 + 1))
    return frozenset(days)


def _dates(text: str) -> frozenset[tuple[int, int]]:
    """(month, day) of calendar dates named in English or Spanish ("January 9", "9 de enero")."""
    found = {(month_number(m), int(d)) for m, d in _DATE_MD.findall(text)}
    found |= {(month_number(m), int(d)) for d, m in _DATE_DM.findall(text)}
    return frozenset((m, d) for m, d in found if m is not None and 1 <= d <= 31)


def _minutes(value: Any) -> int | None:
    match = _TIME.match(str(value or ""))
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def _contacts(contact: Any) -> set[str]:
    """Contact values, normalised: phone digits, lower-cased e-mail and web address."""
    if not isinstance(contact, Mapping):
        return set()
    found = set()
    for key, value in contact.items():
        text = _clean(value).lower()
        if not text:
            continue
        digits = re.sub(r"\D", "", text)
        if key == "phone" and len(digits) >= 7:
            found.add(f"phone:{digits[-10:]}")
        else:
            found.add(f"{key}:" + re.sub(r"^(https?://)?(www\.)?", "", text).rstrip("/"))
    return found


def _title_words(title: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", title.lower()).encode("ascii", "ignore").decode()
    return {
        f"word:{w[:_STEM]}"
        for w in _words(plain)
        if len(w) >= 4 and w not in _GENERIC and day_number(w) is None
    }


def _ages(text: str) -> tuple[int, int] | None:
    """The age span an audience names: numbers first ("ages 6-10", "60+", "0-24 months"),
    else the span its words imply ("teens", "seniors"); None when it names no age."""
    spans: list[tuple[int, int]] = []
    for low, high, months in _AGE_RANGE.findall(text):
        lo, hi = int(low), int(high)
        spans.append((lo // 12, max(hi // 12, 1)) if months else (lo, hi))
    spans += [(int(m), 120) for m in _AGE_FLOOR.findall(text)]
    if not spans:
        spans = [span for pattern, span in _AGE_WORDS if pattern.search(text)]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _veto(a: ServiceFacts, b: ServiceFacts) -> str:
    """Why two posts cannot be one service, or "" when nothing rules it out."""
    if a.role != b.role:
        return f"different role ({a.role} vs {b.role})"
    if a.years and b.years and not a.years & b.years:
        return "different editions"
    if a.dates and b.dates and not a.dates & b.dates:
        return "different dates"
    if a.genders != b.genders:
        return "different audience"
    if a.ages and b.ages and _overlap(a.ages, b.ages) < 0.5:
        return "different audience"
    if a.days and b.days and not a.days & b.days:
        return "different days"
    if a.starts and b.starts and _start_gap(a.starts, b.starts) > MAX_START_GAP_MINUTES:
        return "different times"
    if a.house_numbers and b.house_numbers and not a.house_numbers & b.house_numbers:
        return "different place"
    return ""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Share of the narrower age span that the other covers ("youth 10-16" lies inside
    "kids and teens"; "babies" and "preschoolers" do not meet)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(shared, 0) / max(min(a[1] - a[0], b[1] - b[0]), 1)


def _start_gap(a: frozenset[int], b: frozenset[int]) -> int:
    return min(abs(x - y) for x in a for y in b)


def _same_start(a: ServiceFacts, b: ServiceFacts) -> bool:
    """Start times agree, or one side gives none."""
    return not (a.starts and b.starts) or _start_gap(a.starts, b.starts) <= SAME_START_MINUTES


def _clues(a: ServiceFacts, b: ServiceFacts, rare: frozenset[str]) -> list[str]:
    """What, besides wording, says two posts are one service. Markers count only when
    `rare` (shared by few of the organization's posts): the org's phone is on all of them."""
    clues = []
    if a.stated_days and a.stated_days == b.stated_days and _same_start(a, b):
        clues.append("same schedule")
    if a.dates & b.dates:
        clues.append("same date")
    shared = a.markers & b.markers & rare
    if any(not m.startswith("word:") for m in shared):
        clues.append("contact only they share")
    if any(m.startswith("word:") for m in shared):
        clues.append("title word only they use")
    return clues


def rare_markers(facts: Sequence[ServiceFacts]) -> frozenset[str]:
    """Markers on at least two and at most RARE_SHARE posts, and on under half of them."""
    counts: dict[str, int] = {}
    for fact in facts:
        for marker in fact.markers:
            counts[marker] = counts.get(marker, 0) + 1
    limit = min(RARE_SHARE, (len(facts) - 1) // 2)
    return frozenset(m for m, n in counts.items() if 2 <= n <= limit)


def judge_post_pairs(
    posts: Sequence[Mapping[str, Any]],
    pairs: Sequence[tuple[int, int]],
    *,
    embedder: Embedder,
) -> list[PairJudgement]:
    """Judge each index pair of `posts`, one verdict per pair in order.

    `posts` are the contents of *one organization's* posts (all of them, not only the
    paired ones): what they share with each other tells the org's own phone and address
    from a contact only two posts have. All texts are embedded in one batch.
    """
    if not pairs:
        return []
    facts = [ServiceFacts.of(p) for p in posts]
    rare = rare_markers(facts)
    used = sorted({i for pair in pairs for i in pair})
    slot = {i: k for k, i in enumerate(used)}
    vectors = embedder.embed([facts[i].text for i in used] + [facts[i].full_text for i in used])
    heads, fulls = vectors[: len(used)], vectors[len(used) :]
    verdicts = []
    for i, j in pairs:
        x, y = slot[i], slot[j]
        similarity = float(max(np.dot(heads[x], heads[y]), np.dot(fulls[x], fulls[y])))
        verdicts.append(_verdict(facts[i], facts[j], similarity, rare))
    return verdicts


def _verdict(
    a: ServiceFacts, b: ServiceFacts, similarity: float, rare: frozenset[str]
) -> PairJudgement:
    veto = _veto(a, b)
    if veto:
        return PairJudgement(False, similarity, veto, vetoed=True)
    clues = _clues(a, b, rare)
    weight = sum(CLUE_WEIGHTS[c] for c in clues)
    bar = min(needed for at_least, needed in BARS if weight >= at_least)
    if similarity >= bar:
        return PairJudgement(True, similarity, ", ".join(clues) or "same wording")
    return PairJudgement(False, similarity, "not similar enough")


def vetoes(
    posts: Sequence[Mapping[str, Any]], pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """For each index pair, why the two posts cannot be one service ("" when nothing rules
    it out): the part of the judgement that also binds a model's answer."""
    facts = {i: ServiceFacts.of(posts[i]) for pair in pairs for i in pair}
    return {(i, j): _veto(facts[i], facts[j]) for i, j in pairs}


def same_service(a: Mapping[str, Any], b: Mapping[str, Any], *, embedder: Embedder) -> bool:
    """Whether two post contents describe the same real service (see the module doc).
    With only two posts nothing tells a shared contact from the org's own, so contacts
    and title words never count here; prefer `judge_post_pairs` over the org's posts."""
    return judge_post_pairs([a, b], [(0, 1)], embedder=embedder)[0].duplicate
