"""Who a post is for and what its reader does (`service_facts.py` reads them for the
service judgement): the role (using a service, volunteering for it, giving to it), the
genders and ages an audience is limited to, and whether it addresses someone's family
or carers. Plain patterns over the title, audience and summary: roles, genders and ages
in English and Spanish, helpers and carers in English only.
"""

from __future__ import annotations

import re

from sift.directory.extraction.text import DASH

__all__ = ["ages", "carers", "exact_ages", "genders", "role"]

_HELPERS = r"(docent|mentor|tutor|facilitator)s?"
"""People who give an organization's service as volunteers: becoming one, or training as
one, is volunteering ("Become a Docent", "Tutor Training"), while a docent-led tour is
used. Coaches, guides, navigators and interpreters are left out: their training is as
often a course for clients (job coach orientation, interpreter training)."""
_ROLES = (
    (
        "volunteer",
        re.compile(
            r"\b(volunteer\w*|voluntari\w*|(docents?|mentors?|tutors?) needed|"
            rf"become an? (volunteer |peer )?({_HELPERS}|foster parent)|"
            rf"{_HELPERS} (training|orientation))\b"
        ),
    ),
    (
        "donate",
        re.compile(
            r"\b(donat\w*|donar|donaci\w*|give|giving|drive|appeal|fundrais\w*|"
            r"sponsor\w*|collection points?)\b"
        ),
    ),
)
_NOT_A_ROLE = re.compile(
    r"\b(drive[- ]?(thru|through|in|up)|(by|suggested|small) donations?|donation[- ]based|"
    r"donated|(volunteer|docent|mentor)s?[- ](run|led|staffed|based|guided)|"
    r"(run|led|staffed|guided) by (an? )?(volunteers?|docents?)|"
    r"volunteer income tax|sponsored by)\b"
)
"""Role words that describe how a service is run or paid for, not what the reader does: a
drive-thru pantry, a class by donation, a volunteer-run tax clinic are used, not given."""
_GENDERS = (
    (
        "women",
        re.compile(r"\b(women|woman|women's|ladies|girls|mujeres|female|mothers|moms|mums)\b"),
    ),
    ("men", re.compile(r"\b(men|man|men's|boys|hombres|male|fathers|dads)\b")),
    ("trans", re.compile(r"\b(trans|non-binary|nonbinary|lgbtq\w*)\b")),
)
_KIN = r"famil(y|ies)|family members?|parents?|caregivers?|carers?|loved ones?|relatives"
_CARERS = re.compile(
    rf"\b({_KIN})(\s*(,|\band\b|&)\s*\w+)*\s+of\s+"
    r"(?!(all|any|the|our|this|that|one|two|three|four|five|six|\d+)\b)|"
    r"\b(loves?|car(es|ing) for) (someone|a loved one|a family member)\b|"
    r"\bwhose (child|children|loved one|family member|partner)\b"
)
"""An audience of the people around someone ("family members and friends of people with
mental illness", "parents of trans youth") is not that someone: the family group and the
peer group of one condition are two services, however alike they read. Not "a family of
four" (an income limit), nor "Friends of the Library"."""
_ANY_KIN = re.compile(rf"\b({_KIN}|friends|partners|spouses)\b")
# Ages a word implies when no number is given: (youngest, oldest).
_AGE_WORDS = (
    (re.compile(r"\b(bab(y|ies)|infants?|bebés?)\b"), (0, 2)),
    (re.compile(r"\btoddlers?\b"), (1, 3)),
    (re.compile(r"\bpreschool\w*\b"), (3, 5)),
    (re.compile(r"\b(young children|little ones)\b"), (0, 5)),
    (re.compile(r"\b(kids?|children|child|niños|niñas)\b"), (4, 12)),
    (re.compile(r"\b(teens?|teenagers?|adolescents?|high school)\b"), (13, 18)),
    (re.compile(r"\b(youth|juvenil|jóvenes)\b"), (5, 18)),
    (re.compile(r"\byoung adults?\b"), (18, 25)),
    (re.compile(r"\b(adults?|adultos?|grown-ups)\b"), (18, 120)),
    (re.compile(r"\b(seniors?|older adults?|elders?|elderly|mayores)\b"), (60, 120)),
)
_AGE_RANGE = re.compile(
    rf"(?<![Gg]rades )(?<![Gg]rade )\b[uU]?(\d{{1,2}})\s*(?:to|{DASH})\s*[uU]?(\d{{1,2}})\b"
    r"(?!\s*(?:am|pm|a\.m\.|p\.m\.|:|\d))(\s*months?)?"
)
"""An age span ("ages 6-12", "U8 to U10"); not a clock time ("10-11 am") nor school grades."""
_AGE_FLOOR = re.compile(r"\b(\d{1,2})\s*\+")


def role(text: str) -> str:
    """ "volunteer", "donate" or "use": giving time or things is not receiving the service."""
    text = _NOT_A_ROLE.sub(" ", text)
    return next((name for name, pattern in _ROLES if pattern.search(text)), "use")


def genders(text: str) -> frozenset[str]:
    """The genders an audience is limited to; "men and women", "boys and girls" limit it to
    none, so such a post is the same audience as one that names no gender."""
    found = {name for name, pattern in _GENDERS if pattern.search(text)}
    return frozenset(found - {"women", "men"} if {"women", "men"} <= found else found)


def carers(who: str, audience: str, language: str) -> bool | None:
    """True when the title, audience or summary (`who`) address someone's family or carers;
    False when the post's audience field, in English, names a group and no family at all
    ("adults living with a mental health condition"); None otherwise: no audience field
    (a schedule-only summary says nothing), "families with young children" (the
    children's audience too), or another language (`language`: the post's, else its
    audience's; unknown counts as English unless the audience is not ASCII)."""
    if _CARERS.search(who):
        return True
    audience = audience.lower()
    if language not in ("en", "") or not audience.strip() or _ANY_KIN.search(audience):
        return None
    return False if audience.isascii() else None


def ages(text: str) -> tuple[int, int] | None:
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


def exact_ages(text: str) -> bool:
    """Whether the ages come from numbers ("6-10", "60+"), not from words that only guess."""
    return bool(_AGE_RANGE.search(text) or _AGE_FLOOR.search(text))
