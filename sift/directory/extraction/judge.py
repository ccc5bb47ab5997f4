"""Is this block an offer a community member can use, attend, join or give to — today?

Three judgements, each general rather than tied to one site's wording:

- *what it is about*: the block's embedding against short described prototypes of offers
  (a pantry, a class, a clinic, a volunteer shift, a donation drive …) and of what is not
  one (a menu, news, opinion, a job ad, a policy, history and mission, spam, satire …);
  `offer_model` weighs these similarities with the block's particulars;
- *whether it still runs*: cancelled, ended, paused or permanently closed programs are out;
- *whether it is past*: a one-off event whose every stated date is before `today` is out,
  while a recurring one ("every Tuesday", "monthly") stays whatever its last date was.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import dateparser
import numpy as np

from sift.directory.extraction.addresses import find_location
from sift.directory.extraction.text import (
    EMAIL,
    MONTH_WORDS,
    by_appointment,
    find_phone,
    parse_schedule,
)

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

OFFER_PROTOTYPES = (
    "Free food pantry: pick up groceries every week, open to everyone, bring a bag.",
    "Free class for adults: register to join, the class meets twice a week in the evening.",
    "Free clinic: walk in or call to book an appointment with a doctor or dentist.",
    "Volunteer opportunity: sign up for a shift to help sort donations on Saturdays.",
    "Donation drive: drop off new coats, toys or diapers at our office until the deadline.",
    "After-school program for kids and teens, enrollment is open, free snacks.",
    "Support group that meets every month; all are welcome, no registration needed.",
    "Free community event: join us for a family night with games, food and music.",
    "Hotline you can call or text for help with housing, rent, benefits or legal problems.",
    "Shelter with beds, hot meals and showers; intake every night at the front desk.",
    "Free legal help: consultations with a lawyer by appointment, apply by phone.",
    "We help you apply for benefits, file your taxes, or find a job, free of charge.",
    "Workshop or training: learn your rights, attend the session, open to residents.",
    "Despensa de alimentos gratis cada semana, clases de inglés y consultas con cita.",
    "Free tax preparation by trained volunteers; appointments required, bring your W-2s.",
    "Free clothing closet and hot community meal, served to anyone who comes.",
    "Job fair and resume help: meet employers who are hiring, drop in for feedback.",
    "Apply for a community garden plot for the season; drop off compost.",
    "Kids craft afternoon or family game night at the library; registration required.",
    "Groups can volunteer to cook and serve a meal; donate socks, blankets and toiletries.",
    "Tenant organizing: we help you form a tenant association in your building.",
    "The church will hold a toy drive on Saturday at its hall; drop off new toys by May 20.",
    "Offenes Treffen jeden Mittwoch um 19 Uhr im Gemeindehaus, alle sind willkommen.",
)
NOT_OFFER_PROTOTYPES = (
    "Restaurant menu: pizzas, salads, desserts and drinks with their prices.",
    "Our history and mission: founded decades ago by neighbors; our board of directors.",
    "News article: the city council voted on the zoning change at Tuesday's meeting.",
    "Opinion thread: people argue about politics and the mayor in the comments.",
    "Job opening on our staff: we are hiring a full-time coordinator, salary and benefits.",
    "Privacy policy: how we collect and use your personal information and cookies.",
    "Page not found: the page you requested has moved or no longer exists.",
    "Thank you to all our volunteers and donors for an amazing year together.",
    "Crypto investment: turn a small deposit into huge guaranteed returns, click the link.",
    "Shop our store: t-shirts, mugs, hats and gift cards for sale.",
    "Rent our hall or gallery for your wedding, party or corporate event.",
    "Statistics: last year we served thousands of meals and hundreds of families.",
    "Prayer times, service etiquette and what to wear when you visit.",
    "Contact information: our office address, phone number and email.",
    "Call your senator and tell them to vote for the bill; sign the petition.",
    "Satire and jokes: a silly prank announcement, just kidding, April Fools.",
    "Recap of last month's event with photos: what a great day it was.",
)
_ENDED = re.compile(
    r"\b(?:cancel+ed|closed permanently|permanently closed|ha(?:s|ve) (?:now )?closed"
    r"|closed its doors"
    r"|(?:has|have|was|were|program) ended|ended in \d{4}|ended on|discontinued"
    r"|on (?:pause|hold)(?: indefinitely)?|paused|no longer (?:offer\w*|run\w*|availab\w*)"
    r"|will not be rescheduled|not be rescheduled|cancelad[oa]s?|suspendid[oa]s?)\b",
    re.IGNORECASE,
)
_JOB_AD = re.compile(
    r"\b(?:salary|wage|full-time|part-time|responsibilities|qualifications|cover letter"
    r"|equal opportunity employer|paid time off|401\(k\)|health insurance|reports to)\b",
    re.IGNORECASE,
)
JOB_AD_TERMS = 3
"""Distinct hiring terms that make a page a job ad for the organisation's own staff (a
paid internship for participants names one or two, never a salary package)."""
_SATIRE = re.compile(r"\bapril fool|#aprilfools|\bgotcha\b", re.IGNORECASE)
_RECURRING = re.compile(
    r"\b(?:every|each|weekly|monthly|daily|ongoing|year-round"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)days"
    r"|cada|todos los|semanal\w*|mensual\w*)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"\b(?:(?P<md>(?:{MONTH_WORDS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"
    rf"|(?P<dm>\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:de\s+)?(?:{MONTH_WORDS})(?:,?\s+(?:de\s+)?\d{{4}})?)"
    rf"|(?P<num>(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])(?:/\d{{2,4}})?))\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\d{4}")


_NEGATED = re.compile(r"(?:\b(?:never|not|no)|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)


_HOW_TO = re.compile(
    r"\b(?:regist\w*|sign[ -]?up|apply|applications?|enrol\w*|book(?:ing)?|rsvp"
    r"|drop[ -]?(?:off|in)|walk[ -]?ins?|bring|call|text us|message us|e-?mail us|join us"
    r"|stop by|come|turn up|we (?:gratefully )?accept|inscri\w*|llame|traiga|cita)\b",
    re.IGNORECASE,
)
_ELIGIBILITY = re.compile(
    r"\b(?:eligib\w*|income|residents? of|open to|anyone|everyone|no (?:id|referral)"
    r"|ages?\s+\d+|\d+\s*(?:\+|and (?:older|over|up)))",
    re.IGNORECASE,
)


def has_detail(text: str, today: date) -> bool:
    """The block says when, where, for whom or how to take part, or whom to contact."""
    return has_particulars(text, today) or how_to_join(text) or eligibility_stated(text)


def how_to_join(text: str) -> bool:
    return bool(_HOW_TO.search(text)) or by_appointment(text)


def eligibility_stated(text: str) -> bool:
    return bool(_ELIGIBILITY.search(text))


def has_particulars(text: str, today: date) -> bool:
    """The text says when or where, or gives a number or address to reach: what sets one
    thing a page lists apart from a paragraph that only talks about it."""
    return bool(
        parse_schedule(text)
        or stated_dates(text, today)
        or find_location(text)
        or find_phone(text)
        or EMAIL.search(text)
    )


def is_ended(text: str) -> bool:
    """Cancelled, ended, paused or closed: the block says the thing is not running.

    A denial ("games are never cancelled for rain", "is not paused") says the opposite,
    so a match right after a negation does not count.
    """
    return "~~" in text or any(
        not _NEGATED.search(text[max(0, m.start() - 20) : m.start()]) for m in _ENDED.finditer(text)
    )


_CLOSURE_TITLE = re.compile(r"\b(?:closed|closures?|cerrad[oa]s?|cierre|geschlossen)\b", re.I)
_CLOSURE_LEAD = re.compile(
    r"\b(?:temporarily|currently|now|will be)\s+closed\b"
    r"|\bclosed\s+(?:until|through|this|today|tomorrow|for\s+(?:the|repairs|renovation))\b"
    r"|\bpermanece\w*\s+cerrad[oa]\b|\bvor[üu]bergehend\s+geschlossen\b",
    re.IGNORECASE,
)


def is_closure_notice(title: str, lead: str) -> bool:
    """A section that tells of a closure ("Pantry closed this week", "…is temporarily
    closed while we repair the roof"): no offer itself, though what it offers instead
    (call the food line, go to another site) is one."""
    return bool(_CLOSURE_TITLE.search(title) or _CLOSURE_LEAD.search(lead))


def is_job_ad(text: str) -> bool:
    return len({m.group(0).lower() for m in _JOB_AD.finditer(text)}) >= JOB_AD_TERMS


def is_satire(text: str) -> bool:
    return bool(_SATIRE.search(text))


def stated_dates(text: str, today: date) -> list[date]:
    """Calendar dates the text names, parsed by `dateparser`; a date without a year is
    taken in the year that puts it nearest to `today`."""
    found: list[date] = []
    for match in _DATE.finditer(text):
        span = match.group(0)
        parsed = dateparser.parse(
            span,
            languages=["en", "es", "de"],
            settings={"DATE_ORDER": "MDY", "RELATIVE_BASE": _midnight(today)},
        )
        if parsed is None:
            continue
        day = parsed.date()
        if not _YEAR.search(span):
            options = [day.replace(year=today.year + k) for k in (-1, 0, 1) if _valid(day, k)]
            day = min(options, key=lambda d: abs(d - today))
        found.append(day)
    return found


def _valid(day: date, shift: int) -> bool:
    try:
        day.replace(year=day.year + shift)
    except ValueError:  # 29 February
        return False
    return True


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def reachable_offer(text: str, today: date) -> bool:
    """What a news story must say for one of its items to be an offer rather than a report
    of what happened: that it recurs, a date still ahead, or a number or address to reach."""
    return bool(
        _RECURRING.search(text)
        or any(day >= today for day in stated_dates(text, today))
        or find_phone(text)
        or EMAIL.search(text)
    )


def is_past(text: str, today: date) -> bool:
    """A one-off whose every stated date is before today (a recurring thing never is)."""
    if _RECURRING.search(text):
        return False
    dates = stated_dates(text, today)
    return bool(dates) and max(dates) < today


_TOLD_PAST = re.compile(
    r"\b(?:was|were|had|did|went|came|gave|brought|took|ran|held|made|saw|got|\w{3,}ed)\b",
    re.IGNORECASE,
)
_TOLD_NOW = re.compile(
    r"\b(?:is|are|will|can|may|opens?|offers?|serves?|runs?|meets?|starts?|join|come|bring"
    r"|call|register|sign up|visit|\w+'ll|going to|now)\b",
    re.IGNORECASE,
)


def told_as_past(text: str, today: date) -> bool:
    """A paragraph that tells what happened ("a team of volunteers went out on the Monday
    to hand out free meals"): its lead sentence is in the past tense only, and it names
    nothing recurring and no date still ahead. An offer is told in the present or the
    future; a report of one that took place is not an offer."""
    return (
        lead_told_as_past(text)
        and not _RECURRING.search(text)
        and not any(day >= today for day in stated_dates(text, today))
    )


def lead_told_as_past(text: str) -> bool:
    """The lead sentence is in the past tense only ("Year five of the programme was a big
    success"), whatever the rest mentions."""
    lead = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    return bool(_TOLD_PAST.search(lead)) and not _TOLD_NOW.search(lead)


_PROTOTYPES: weakref.WeakKeyDictionary[Embedder, tuple[np.ndarray, np.ndarray]] = (
    weakref.WeakKeyDictionary()
)
"""Each embedder's prototype vectors, embedded once while that embedder lives."""


def _prototype_vectors(embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    found = _PROTOTYPES.get(embedder)
    if found is None:
        offers = np.asarray(embedder.embed(list(OFFER_PROTOTYPES)))
        others = np.asarray(embedder.embed(list(NOT_OFFER_PROTOTYPES)))
        found = _PROTOTYPES[embedder] = (offers, others)
    return found


def offer_similarities(embedder: Embedder, groups: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """Per group of texts, a row per text: its cosine to every offer prototype, then to
    every non-offer one; all texts embedded in one call."""
    offers, others = _prototype_vectors(embedder)
    prototypes = np.concatenate([offers, others])
    unique = list(dict.fromkeys(_judged(t) for group in groups for t in group))
    if not unique:
        return [np.zeros((0, len(prototypes))) for _ in groups]
    row = {text: k for k, text in enumerate(unique)}
    vectors = np.asarray(embedder.embed(unique))
    return [
        vectors[[row[_judged(t)] for t in group]] @ prototypes.T
        if group
        else np.zeros((0, len(prototypes)))
        for group in groups
    ]


def _judged(text: str) -> str:
    """The part of a text the embedding judges: an offer says what it is early on."""
    return text[:1500]
