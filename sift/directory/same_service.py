"""Are two posts of one organization the same real service? The judgement the clean-up
(merge proposals), the extraction sync (which existing post a fresh one updates) and the
rules engine's merge of narratives all use, so the three never disagree about a pair.

The record matcher (`record_matching.py`) decides by shared identifiers and surface overlap,
which is right for a camera and wrong for an organization's posts: every post of a food
shelf carries the same phone, website and street address, and its pantry, its pantry
volunteers and its food drive read alike. Here the organization's shared contacts are never
evidence, and the things that make two look-alike posts *different* services veto a merge
outright:

- a different role: using a service vs volunteering for it vs donating to it (how it is
  run or paid for, "drive-thru", "by donation", "volunteer-run", is no role);
- a different audience: ages that do not overlap (enough, where both give numbers), a
  group named by gender on one side ("men and women" names none; a gender most of the
  organization's posts name is its own audience, not a difference), someone's family or
  carers on one side and a group of its own on the other (the family support group and
  the peer group of one condition), or two stated audiences that read unalike
  (residents vs employers);
- a different time: weekdays that do not meet (days a post is closed on excepted), weeks
  of the month that do not (the first Tuesday's group and the third Tuesday's), or start
  times far apart;
- a different way in: one says walk-in only, the other by appointment only (STI testing
  on walk-in, PrEP by appointment, in one slot);
- a different phone line: each gives its own number, neither the organization's main one;
- a different place: other street numbers, or two sites that no location of the
  organization links, both given a street somewhere or both named in the titles
  ("Storytime at Eastside Branch");
- a different session language named in both titles (Spanish vs bilingual storytime), or
  named in one and not the one the other is written in (Spanish vs an English storytime);
- a different topic of one series ("Job Seekers Workshop: Resume Writing" vs "...:
  Interview Skills");
- a different edition: other years, seasons, months or occasions in the titles (the 2025
  and the 2026 holiday boxes, the spring league and the winter futsal, the Thanksgiving
  and the Christmas giveaway);
- a different kind of offer named in both titles: a workshop vs a class, an opening vs a
  talk, a clinic vs a hotline, one-on-one help vs a class;
- a different subject named in both titles: the flu vs the COVID vaccine, SNAP vs
  Medicaid, immigration vs family law;
- a different level named in both titles: beginners vs intermediate, or one title but for
  its numbers (swim lessons stages 1-3 vs stages 4-6, part 1 vs part 2).

These follow the labelling decisions of the dev set (`shared/data/extraction/README.md`,
Part B), written as rules about any organization rather than about its examples. What is
left is judged by meaning: the embedding similarity of title and summary (and of the whole
text, for posts whose titles say little), with a lower bar when the schedules agree, since
"Thursdays 1-5 pm" on both sides is strong evidence that two differently worded posts
describe one session (an English and a Spanish post are judged in a multilingual model
instead, by its own bar); unless it is the schedule of many of
the organization's posts (its opening hours), which says no more than its phone does. A
post of a title and a line is also known by its title (the staff's "GED classes" beside
the extracted "GED Prep Class").
`bench/cross_validate_cleanup.py` refits the numbers (`Tuning`) leaving one organization
out, to tell how far they generalise.

Every decision is per pair and explained, so a caller can group with complete linkage
(no chaining through a third post) and an admin-facing tool can say why a pair was refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sift.ai.embeddings import Embedder, get_multilingual_embedder
from sift.directory.service_facts import ServiceFacts

__all__ = [
    "TUNING",
    "PairJudgement",
    "ServiceFacts",
    "Tuning",
    "judge_post_pairs",
    "rare_markers",
    "same_service",
    "vetoes",
]


@dataclass(frozen=True)
class Tuning:
    """The judgement's fitted numbers, in one object so that `bench/cross_validate_cleanup.py`
    can refit them on some organizations and score the others (how far they generalise)."""

    bars: tuple[tuple[float, float], ...] = (
        (0.0, 0.78), (0.5, 0.68), (1.0, 0.50), (1.5, 0.47), (2.0, 0.40),
    )  # fmt: skip
    """(clue weight, title+summary or full-text cosine needed from there on). With no clue
    only near-paraphrases merge (0.82 ties 0.78 on the dev set, but misses an Instagram
    "Pantry day" repeating the website's text at 0.79); a half clue (a contact or a title
    word only two posts share) 0.68, as a small organization's main phone may be on only
    two posts (its open shop and its bikes for workers at 0.65); one clue, 0.50, is the refit
    of `bench/cross_validate_cleanup.py` (a terse caption with the drop-in's own schedule
    sits at 0.51, the choir's Instagram caption at 0.58). Two services an organization
    runs in one time slot reach that too (a playgroup and a music class, SNAP and Medicaid
    help, 0.58-0.59 on the probes of `tests/directory/same_service_probe*.py`): the rules
    (kind of offer, subject, weeks of the month) part those, not a higher bar. One and a
    half, 0.47: the passport and the notary desk share a slot and a phone at 0.45, one
    service's two posts with those clues sit at 0.58 and up. A translation needs no low
    bar: a pair in two languages is judged by the multilingual model (`translation_bar`)."""
    clue_weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "same schedule": 1.0,
            "same date": 1.0,
            "title word only they use": 0.5,
            "contact only they share": 0.5,
        }
    )
    """A contact two programs share (one registrar for registration and scholarships), or a
    word only their two titles use ("mural" in the teen apprenticeship and the paint day),
    is weaker evidence than a schedule: look-alikes are alike in their titles first."""
    max_start_gap_minutes: int = 60
    """Start times further apart than this on a shared day are different sessions."""
    same_start_minutes: int = 30
    """Start times this close read as one session (doors at 4:30, clinic at 5)."""
    rare_share: int = 3
    """A clue shared by more posts than this (the org's phone, its one address) is no clue."""
    audience_floor: float = 0.25
    """Two stated audiences less similar than this are two audiences ("employers and
    managers" vs "community groups and residents" ~0.13; the least alike same audience in
    the dev set, "babies 0-24 months with caregivers" vs "babies and toddlers", ~0.54).
    Low, because a one-word audience embeds poorly ("kids" vs "students in grades 1-8"
    ~0.33)."""

    terse_words: int = 30
    """A post with no description and at most this many words says little more than its
    name, as a staff member's hand-typed "GED classes" beside the extracted page."""
    terse_name_bar: float = 0.85
    """The similarity of two titles at which a terse post names the other's service. Of
    the terse pairs of the dev set and probes A-G, all 26 at 0.80 or above but one are
    one service; 0.85 keeps a margin from "Food Pantry" and "Mobile Food Pantry" (0.81)
    or "Free Meals" and "Free Meal Delivery" (0.83), two services a word apart."""

    translation_bar: float = 0.63
    """The multilingual model's similarity at which a pair in two languages is one service:
    translations of one service read 0.645 and up on the dev set and probes A-G, two
    services across languages 0.621 (a family class and a family support group) and
    below, most under 0.55. A thin margin: the bar is the midpoint, not a measured one."""

    def bar(self, weight: float) -> float:
        """The similarity a pair with this much clue weight needs."""
        return min(needed for at_least, needed in self.bars if weight >= at_least)


TUNING = Tuning()
"""The shipped tuning (every caller's default)."""


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


@dataclass(frozen=True)
class _Org:
    """What an organization's posts, read together, say about each of them: which markers
    few of them share (clues) and which place words name one site."""

    posts: int
    by_days: Mapping[frozenset[int], Sequence[ServiceFacts]]
    rare: frozenset[str]
    site_of: Mapping[str, int]
    """Place word → its site: words that appear in one location ("Parish Hall, 27 Church
    St") name one site, so "Parish Hall" and "St. Columba church" are one place if another
    post links them, while "Central Library" and "Eastside Branch" stay two."""
    addressed: frozenset[int]
    """Sites some post gives a street for (or online): only two of these can be told
    apart, as "Fellowship Hall" may be a room of "First Methodist Church, 200 Main St"."""
    main_phones: frozenset[str]
    """The phone most of the organization's posts give (its front desk), when two or more
    do: a post giving it says nothing about which of the org's services it is."""
    own_genders: frozenset[str] = frozenset()
    """Genders most of the organization's posts name (an LGBTQ+ centre's "queer youth",
    a women's shelter's "women"): the organization's own audience, which says no more
    about which of its services a post is than its phone does."""

    @classmethod
    def of(cls, facts: Sequence[ServiceFacts], tuning: Tuning) -> _Org:
        parent: dict[str, str] = {}

        def find(word: str) -> str:
            while parent.setdefault(word, word) != word:
                word = parent[word]
            return word

        for fact in facts:
            words = sorted(fact.venue_words | fact.street_words | fact.title_site_words)
            for word in words:
                parent[find(word)] = find(words[0])
        roots = {root: k for k, root in enumerate(sorted({find(w) for w in parent}))}
        site_of = {w: roots[find(w)] for w in parent}
        addressed = frozenset(
            site_of[w] for f in facts for w in f.street_words | (f.venue_words & {"online"})
        )
        by_days: dict[frozenset[int], list[ServiceFacts]] = {}
        for fact in facts:
            by_days.setdefault(fact.stated_days, []).append(fact)
        rare = rare_markers(facts, share=tuning.rare_share)
        phones = Counter(phone for fact in facts for phone in _phones(fact))
        most = max(phones.values(), default=0)
        main = frozenset(p for p, n in phones.items() if n == most and n >= 2)
        named = Counter(gender for fact in facts for gender in fact.genders)
        own = frozenset(g for g, n in named.items() if 2 * n > len(facts))
        return cls(len(facts), by_days, rare, site_of, addressed, main, own)

    def own_lines(self, a: ServiceFacts, b: ServiceFacts) -> bool:
        """Whether both posts give a phone of their own (not the org's main line) and the
        two differ: a service's direct line names it, as the seniors' legal hotline and
        the general one each have theirs. Unknown while no phone is the org's main line."""
        here, there = _phones(a), _phones(b)
        if not self.main_phones or not here or not there or here & there:
            return False
        return not (here | there) & self.main_phones

    def other_genders(self, a: ServiceFacts, b: ServiceFacts) -> bool:
        """Whether one post names a gender the other does not, the organization's own
        audience aside."""
        return a.genders - self.own_genders != b.genders - self.own_genders

    def apart(self, a: ServiceFacts, b: ServiceFacts) -> bool:
        """Whether two posts are at two sites that no location links, both addressed or
        both named in the titles (the title says where, as a look-alike's does)."""
        here = {self.site_of[w] for w in a.venue_words | a.street_words | a.title_site_words}
        there = {self.site_of[w] for w in b.venue_words | b.street_words | b.title_site_words}
        if not here or not there or here & there:
            return False
        named = bool(a.title_site_words and b.title_site_words)
        return named or (here <= self.addressed and there <= self.addressed)

    def crowd(self, fact: ServiceFacts, tuning: Tuning) -> int:
        """How many of the org's posts keep this post's schedule (itself included)."""
        same_days = self.by_days.get(fact.stated_days, ())
        return sum(1 for other in same_days if _same_start(other, fact, tuning))


def _veto(a: ServiceFacts, b: ServiceFacts, org: _Org, tuning: Tuning = TUNING) -> str:
    """Why two posts cannot be one service, or "" when nothing rules it out."""
    if a.role != b.role:
        return f"different role ({a.role} vs {b.role})"
    if a.years and b.years and not a.years & b.years:
        return "different editions"
    for mine, theirs in ((a.seasons, b.seasons), (a.months, b.months)):
        if mine and theirs and not mine & theirs:
            return "different editions"
    if a.occasions and b.occasions and not a.occasions & b.occasions:
        return "different occasions"
    if a.formats and b.formats and not a.formats & b.formats:
        return "different kind of offer"
    if a.subjects and b.subjects and not a.subjects & b.subjects:
        return "different subject"
    if a.levels and b.levels and not a.levels & b.levels:
        return "different level"
    if a.numbered and b.numbered and _other_number(a.numbered, b.numbered):
        return "different level"
    if _session_languages(a, b) or _session_languages(b, a):
        return "different language"
    if a.series and b.series and _other_topic(a.series, b.series):
        return "different topic"
    if a.dates and b.dates and not a.dates & b.dates:
        return "different dates"
    if org.other_genders(a, b) or {a.carers, b.carers} == {True, False}:
        return "different audience"
    if a.ages and b.ages and _overlap(a.ages, b.ages) < _AGE_OVERLAP[a.exact_ages and b.exact_ages]:
        return "different audience"
    if a.days and b.days and not a.days & b.days:
        return "different days"
    if a.weeks and b.weeks and not _same_weeks(a.weeks, b.weeks):
        return "different days"
    if a.starts and b.starts and _start_gap(a.starts, b.starts) > tuning.max_start_gap_minutes:
        return "different times"
    if a.house_numbers and b.house_numbers and not a.house_numbers & b.house_numbers:
        return "different place"
    if a.access and b.access and a.access != b.access:
        return "different access (walk-in vs by appointment)"
    if org.apart(a, b):
        return "different place"
    if org.own_lines(a, b):
        return "different phone line"
    return ""


_AGE_OVERLAP = {True: 0.5, False: 1e-9}
"""Share of the narrower age span the other must cover: half when both give numbers; when
one only names a word ("youth", "kids"), whose span is a guess, any overlap will do."""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Share of the narrower age span that the other covers ("youth 10-16" lies inside
    "kids and teens"; "babies" and "preschoolers" do not meet)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(shared, 0) / max(min(a[1] - a[0], b[1] - b[0]), 1)


def _same_weeks(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two monthly rules can meet: "the last" may be the fourth or the fifth."""
    last = frozenset({-1, 4, 5})
    return bool(a & b) or (-1 in a and bool(b & last)) or (-1 in b and bool(a & last))


_WRITTEN_IN = {"en": "english", "es": "spanish"}


def _session_languages(a: ServiceFacts, b: ServiceFacts) -> bool:
    """Whether the session language `a`'s title names is not `b`'s: the one `b`'s title
    names, or when it names none, the one `b` is written in (an English "Family
    Storytime" is not the "Spanish Storytime"; two posts naming none are never apart by
    language, as a session's English and Spanish posts are one)."""
    if not a.languages:
        return False
    theirs = b.languages or frozenset(filter(None, [_WRITTEN_IN.get(b.language)]))
    return bool(theirs) and not a.languages & theirs


def _other_topic(
    a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]
) -> bool:
    """One series (the same title words before the colon or dash), topics that share no
    word: "Job Seekers Workshop: Resume Writing" and "...: Interview Skills"."""
    (series, topic), (other_series, other_topic) = a, b
    return (
        bool(series)
        and series == other_series
        and bool(topic and other_topic)
        and not (topic & other_topic)
    )


def _other_number(
    a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]
) -> bool:
    """One title but for its numbers, which differ: "Stages 1-3" and "Stages 4-6"."""
    return a[0] == b[0] and not a[1] & b[1]


def _phones(fact: ServiceFacts) -> frozenset[str]:
    return frozenset(m for m in fact.markers if m.startswith("phone:"))


def _start_gap(a: frozenset[int], b: frozenset[int]) -> int:
    return min(abs(x - y) for x in a for y in b)


def _same_start(a: ServiceFacts, b: ServiceFacts, tuning: Tuning) -> bool:
    """Start times agree, or one side gives none."""
    gap = tuning.same_start_minutes
    return not (a.starts and b.starts) or _start_gap(a.starts, b.starts) <= gap


def _clues(a: ServiceFacts, b: ServiceFacts, org: _Org, tuning: Tuning) -> list[str]:
    """What, besides wording, says two posts are one service. Markers count only when
    rare (shared by few of the organization's posts): the org's phone is on all of them;
    so does a schedule, which is no clue when it is the org's opening hours."""
    clues = []
    if (
        a.stated_days
        and a.stated_days == b.stated_days
        and _same_start(a, b, tuning)
        and _rare_count(org.crowd(a, tuning), org.posts, tuning)
    ):
        clues.append("same schedule")
    if a.dates & b.dates:
        clues.append("same date")
    shared = a.markers & b.markers & org.rare
    if any(not m.startswith("word:") for m in shared):
        clues.append("contact only they share")
    if any(m.startswith("word:") for m in shared):
        clues.append("title word only they use")
    return clues


def rare_markers(
    facts: Sequence[ServiceFacts], *, share: int = TUNING.rare_share
) -> frozenset[str]:
    """Markers on at least two and at most `share` posts, and on under half of them."""
    counts: dict[str, int] = {}
    for fact in facts:
        for marker in fact.markers:
            counts[marker] = counts.get(marker, 0) + 1
    limit = min(share, (len(facts) - 1) // 2)
    return frozenset(m for m, n in counts.items() if 2 <= n <= limit)


def _rare_count(count: int, posts: int, tuning: Tuning) -> bool:
    """A schedule kept by at most `rare_share` posts (a pair's two always), and by under
    half of a larger organization's posts."""
    return count <= 2 or (count <= tuning.rare_share and 2 * count < posts)


def judge_post_pairs(
    posts: Sequence[Mapping[str, Any]],
    pairs: Sequence[tuple[int, int]],
    *,
    embedder: Embedder,
    tuning: Tuning = TUNING,
    cross_language: Embedder | None = None,
) -> list[PairJudgement]:
    """Judge each index pair of `posts`, one verdict per pair in order.

    `posts` are the contents of *one organization's* posts (all of them, not only the
    paired ones): what they share with each other tells the org's own phone and address
    from a contact only two posts have. All texts are embedded in one batch. A pair
    written in two languages (an English and a Spanish post of one class) is also compared
    in `cross_language` (default: the multilingual model, loaded only then), which alone
    judges it: the English model reads a translation as unrelated (0.28 for "ESL Classes
    for Adults" and "Clases de Inglés para Adultos"). A post that says little more than
    its name is also known by it (the titles' similarity).
    """
    if not pairs:
        return []
    facts = [ServiceFacts.of(p) for p in posts]
    org = _Org.of(facts, tuning)
    used = sorted({i for pair in pairs for i in pair})
    slot = {i: k for k, i in enumerate(used)}
    texts = [facts[i].text for i in used] + [facts[i].full_text for i in used]
    heads, fulls, audiences = np.split(
        embedder.embed(texts + [facts[i].audience or "-" for i in used]), 3
    )
    translated = _translation_similarity(facts, pairs, cross_language)
    named = _name_similarity(facts, pairs, embedder, tuning)
    verdicts = []
    for i, j in pairs:
        x, y = slot[i], slot[j]
        similarity = _best_reading(heads, fulls, x, y)
        verdict = _verdict(facts[i], facts[j], similarity, org, tuning)
        if not verdict.vetoed and (i, j) in translated:
            verdict = _translation_verdict(similarity, translated[i, j], tuning)
        elif (
            not verdict.vetoed
            and facts[i].audience
            and facts[j].audience
            and np.dot(audiences[x], audiences[y]) < tuning.audience_floor
        ):
            verdict = PairJudgement(False, similarity, "different audience", vetoed=True)
        elif (
            not (verdict.duplicate or verdict.vetoed)
            and named.get((i, j), 0.0) >= tuning.terse_name_bar
        ):
            verdict = PairJudgement(True, max(similarity, named[i, j]), "same name, one post terse")
        verdicts.append(verdict)
    return verdicts


def _translation_verdict(english: float, translated: float, tuning: Tuning) -> PairJudgement:
    """A pair in two languages is one service when the multilingual model reads one text,
    whatever clues it has: the English model's similarity and the clue bars mean nothing
    across languages (two services of one Saturday slot, one page in Spanish, share a
    schedule and a phone). The verdict's similarity stays the higher reading, the one
    every verdict gives, for callers that rank or bar pairs by it."""
    similarity = max(english, translated)
    if translated >= tuning.translation_bar:
        return PairJudgement(True, similarity, "same text in two languages")
    return PairJudgement(False, similarity, "not similar enough")


def _best_reading(heads: np.ndarray, fulls: np.ndarray, x: int, y: int) -> float:
    """Two posts' similarity: of their titles and summaries, or of their whole texts,
    whichever reads closer (a terse title says little, a long description may say it)."""
    return float(max(np.dot(heads[x], heads[y]), np.dot(fulls[x], fulls[y])))


def _name_similarity(
    facts: Sequence[ServiceFacts],
    pairs: Sequence[tuple[int, int]],
    embedder: Embedder,
    tuning: Tuning,
) -> dict[tuple[int, int], float]:
    """Similarity of the titles of the pairs where one post is terse; only their titles
    are embedded, not every post's."""
    terse = [(i, j) for i, j in pairs if _terse(facts[i], facts[j], tuning)]
    if not terse:
        return {}
    used = sorted({i for pair in terse for i in pair})
    slot = {i: k for k, i in enumerate(used)}
    names = embedder.embed([facts[i].name for i in used])
    return {(i, j): float(np.dot(names[slot[i]], names[slot[j]])) for i, j in terse}


def _terse(a: ServiceFacts, b: ServiceFacts, tuning: Tuning) -> bool:
    """Both have a title and one of the two says little more than it."""
    return bool(a.name and b.name) and any(
        fact.full_text == fact.text and len(fact.text.split()) <= tuning.terse_words
        for fact in (a, b)
    )


def _two_languages(a: ServiceFacts, b: ServiceFacts) -> bool:
    """Written in two known languages: the English model cannot compare their words, so
    their audiences are not compared by it and the multilingual one alone judges them."""
    return bool(a.language and b.language and a.language != b.language)


def _translation_similarity(
    facts: Sequence[ServiceFacts],
    pairs: Sequence[tuple[int, int]],
    embedder: Embedder | None,
) -> dict[tuple[int, int], float]:
    """Similarity in a multilingual model of the pairs written in two languages."""
    crossing = [(i, j) for i, j in pairs if _two_languages(facts[i], facts[j])]
    if not crossing:
        return {}
    if embedder is None:
        embedder = get_multilingual_embedder()
    used = sorted({i for pair in crossing for i in pair})
    slot = {i: k for k, i in enumerate(used)}
    vectors = embedder.embed([facts[i].text for i in used] + [facts[i].full_text for i in used])
    heads, fulls = np.split(vectors, 2)
    return {(i, j): _best_reading(heads, fulls, slot[i], slot[j]) for i, j in crossing}


def _verdict(
    a: ServiceFacts, b: ServiceFacts, similarity: float, org: _Org, tuning: Tuning
) -> PairJudgement:
    veto = _veto(a, b, org, tuning)
    if veto:
        return PairJudgement(False, similarity, veto, vetoed=True)
    clues = _clues(a, b, org, tuning)
    if similarity >= tuning.bar(_weight(clues, tuning)):
        return PairJudgement(True, similarity, ", ".join(clues) or "same wording")
    return PairJudgement(False, similarity, "not similar enough")


_ONE_DEPARTMENT = ("contact only they share", "title word only they use")


def _weight(clues: Sequence[str], tuning: Tuning) -> float:
    """The clues' weight, where a contact and a title word only two posts share count once:
    they come together for a department's two services (the lead program's line and the
    word "lead" on its home inspections and its blood tests), so the pair is no likelier
    one service for having both."""
    weights = [tuning.clue_weights[c] for c in clues]
    if all(c in clues for c in _ONE_DEPARTMENT):
        weights.remove(min(tuning.clue_weights[c] for c in _ONE_DEPARTMENT))
    return sum(weights)


def vetoes(
    posts: Sequence[Mapping[str, Any]], pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """For each index pair, why the two posts cannot be one service ("" when nothing rules
    it out): the part of the judgement that also binds a model's answer. `posts` are all
    the organization's posts, which together tell which place words name one site. (The
    audience comparison by meaning needs an embedder and is left to the model here.)"""
    facts = [ServiceFacts.of(post) for post in posts]
    org = _Org.of(facts, TUNING)
    return {(i, j): _veto(facts[i], facts[j], org) for i, j in pairs}


def same_service(a: Mapping[str, Any], b: Mapping[str, Any], *, embedder: Embedder) -> bool:
    """Whether two post contents describe the same real service (see the module doc).
    With only two posts nothing tells a shared contact from the org's own, so contacts
    and title words never count here; prefer `judge_post_pairs` over the org's posts."""
    return judge_post_pairs([a, b], [(0, 1)], embedder=embedder)[0].duplicate
