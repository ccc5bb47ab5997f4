"""What the service judgement (`same_service.py`) reads of one post: its role, audience,
edition, kind of offer, language, days, times, place and the markers that may tie it to
another post. Kept apart from the judgement because it is plain reading, word lists and
patterns, while the judgement weighs what two posts (and their organization) say.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sift.directory import audience_facts
from sift.directory.extraction.text import DASH, DAY_WORDS, MONTH_WORDS, day_number, month_number

__all__ = ["ServiceFacts"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_HISTORY_YEAR = re.compile(
    r"(\b(since|founded|established|est\.|copyright|serving\s+\w+\s+since)|©)\s*(in\s+)?"
    r"(19|20)\d\d\b",
    re.IGNORECASE,
)
"""A year the organization's history names ("serving families since 1998", "© 2024") is
no edition of the service."""
_NOT_ON = re.compile(
    r"\b(closed|except|excluding)\b[^.;:\n]*?(?=[.;:\n]|,?\s+(?:but\s+)?open\b|$)", re.IGNORECASE
)
"""The days a text names as closed ("Closed Mondays", "daily except Sunday") are not the
days the service runs."""
_WEEK_WORDS = {
    "first": 1, "1st": 1, "primer": 1, "primero": 1, "primera": 1,
    "second": 2, "2nd": 2, "segundo": 2, "segunda": 2,
    "third": 3, "3rd": 3, "tercer": 3, "tercero": 3, "tercera": 3,
    "fourth": 4, "4th": 4, "cuarto": 4, "cuarta": 4,
    "fifth": 5, "5th": 5, "quinto": 5, "quinta": 5, "last": -1, "ultimo": -1, "ultima": -1,
}  # fmt: skip
_ORDINALS = "|".join(_WEEK_WORDS)
_WEEKS = re.compile(
    rf"\b((?:{_ORDINALS})(?:\s*(?:,|and|&|or|y|o)\s*(?:the\s+)?(?:{_ORDINALS}))*)"
    rf"\s+(?:{DAY_WORDS})\b"
)
"""The weeks of the month a monthly session keeps ("the first and third Tuesday", "el
segundo martes"); not a date a weekly series starts on ("starting the first Tuesday")."""
_STARTING = re.compile(
    r"\b(start\w*|begin\w*|from|until|through|comienza\w*|desde)\s+(the\s+|el\s+)?$"
)
_EVERY_WEEKDAY = re.compile(r"\b(weekdays?|entre semana)\b")
_EVERY_WEEKEND = re.compile(r"\b(weekends?|fines de semana)\b")
_EVERY_DAY = re.compile(
    r"\b(daily|nightly|every (day|night)|seven days a week|7 days a week|todos los d[ií]as)\b"
)
_DAY_SPAN = re.compile(rf"\b({DAY_WORDS})\s*(?:to|through|thru|a|{DASH})\s*({DAY_WORDS})\b")


def _kinds(alternatives: Mapping[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(name, pattern) for each kind and the words (a regex alternation) that name it."""
    return tuple((name, re.compile(rf"\b({words})\b")) for name, words in alternatives.items())


_SEASONS = _kinds({
    "spring": "spring|primavera", "summer": "summer|verano", "winter": "winter|invierno",
    "autumn": r"autumn|otoño|fall(?!\s+(prevention|risk))",
})  # fmt: skip
"""A season in a title names an edition, as a year does: the spring league and the winter
futsal season are two offers, whatever else they share."""
_OCCASIONS = _kinds({
    "thanksgiving": "thanksgiving|friendsgiving", "christmas": "christmas|xmas|navidad",
    "easter": "easter|pascua", "halloween": "halloween|trunk or treat",
    "hanukkah": "hanukkah|chanukah", "new year": "new year'?s?|ano nuevo",
    "valentine": "valentine'?s?", "mothers day": "mother'?s day|dia de las madres",
    "fathers day": "father'?s day", "juneteenth": "juneteenth",
    "independence day": "independence day|fourth of july|4th of july",
    "ramadan": "ramadan|iftar|eid", "diwali": "diwali", "back to school": "back[- ]to[- ]school",
})  # fmt: skip
"""An occasion in a title names an edition too: the Thanksgiving turkey giveaway and the
Christmas toy giveaway are two events."""
_NOT_A_MONTH = frozenset({"may", "march", "mar", "jun", "jul", "aug", "dec", "mai"})
"""Month names that are also common words ("you may", "march for"), or too short to tell."""
_LANGUAGES = _kinds({
    "english": "english|ingles", "spanish": "spanish|espanol", "bilingual": "bilingual|bilingue",
    "chinese": "chinese|mandarin|cantonese", "vietnamese": "vietnamese|tieng viet",
    "arabic": "arabic", "french": "french|francais", "korean": "korean", "russian": "russian",
    "somali": "somali",
})  # fmt: skip
"""A language a title names is the session's (or its subject's): Spanish storytime and
bilingual storytime, an English and a Spanish conversation circle are two offers. The
language a *post* is written in is no difference (decision 10: the English and the Spanish
post of one session are one)."""
_FORMATS = _kinds({
    "class": r"class(es)?|clases?|courses?|cursos?|lessons?|101",
    "workshop": "workshops?|trainings?|talleres|taller|seminars?|presentations?",
    "camp": "camps?|campamentos?",
    "talk": r"talks?(?!\s+(to|with)\b)|lectures?|charlas?|panels?",
    "opening": "openings?|receptions?|premieres?",
    "celebration": "fairs?|festivals?|expos?|fiestas?|parties|party|galas?",
    "group": "(play)?groups?|circles?|clubs?|meetups?|grupos?|circulos?",
    "phone line": "hotlines?|helplines?|warmlines?|lineas?",
    "clinic": "clinics?|clinicas?", "market": "markets?|mercados?",
    "shelter": "shelters?|albergues?|refugios?",
    "drop-in": "drop-?in cent(er|re)s?|day cent(er|re)s?",
    "one-on-one": "one[- ]on[- ]one|1[- ]on[- ]1|individual",
})  # fmt: skip
"""The kind of offer a title names. Two titles that each name one, and none in common, are
two offers even on one subject: the citizenship workshop and the citizenship class, the
exhibit opening and the artist talk, a clinic and a class for diabetics, one-on-one help
and a class."""
_SUBJECTS = _kinds({
    "flu": "flu|influenza|gripe", "covid": r"covid(-19)?|coronavirus",
    "hiv": "hiv|aids", "hepatitis": r"hepatitis|hep [abc]", "sti": "stis?|stds?",
    "tuberculosis": "tb|tuberculosis", "mpox": "mpox|monkeypox", "rsv": "rsv",
    "shingles": "shingles", "hpv": "hpv", "measles": "measles|mmr",
    "diabetes": "diabet\\w*|prediabetes", "cancer": r"cancer|mammogra\w*|colonoscop\w*",
    "blood pressure": "blood pressure|hypertension|cholesterol|cardiac",
    "hearing": "hearing|audiolog\\w*", "vision": r"vision|eyes?|eyeglasses|optometr\w*",
    "dental": r"dental|dentists?|teeth|tooth|oral health|dentista",
    "mental health": r"mental health|behavioral health|psychiatr\w*|salud mental",
    "substance use": r"substance|addiction|opioids?|alcohol\w*|al-anon|aa|narcotics|"
    r"naloxone|narcan|sober|sobriety",
    "pregnancy": r"prenatal|pregnan\w*|maternity|doulas?|breastfeeding|lactation|embarazo",
    "dementia": r"dementia|alzheimer'?s?|memory loss",
    "grief": "grief|grieving|bereavement|duelo", "domestic violence": "domestic violence",
    "snap": r"snap|food stamps|calfresh|ebt|cupones", "wic": "wic",
    "medicaid": r"medicaid|medi-cal|health coverage|health insurance",
    "medicare": "medicare", "social security": r"social security|ssi|ssdi",
    "energy bills": r"liheap|energy|heating|utility|utilities|electric bills?",
    "weatherization": r"weatheriz\w*|insulation", "taxes": "tax|taxes|vita|impuestos",
    "renting": r"eviction|tenants?|renters?|landlords?|rent|inquilinos|desalojo|"
    r"homeless(ness)? prevention",
    "rehousing": r"rapid re-?housing|rehousing",
    "immigration": r"immigra\w*|inmigra\w*|citizenship|ciudadan\w*|naturalization|daca|"
    r"green cards?|asylum|asilo|visas?",
    "family law": "family law|divorce|divorcio|custody|custodia|child support",
    "criminal records": r"expunge\w*|record (clearing|sealing)|criminal records?|pardons?",
    "wills": r"wills|estate planning|powers? of attorney|advance directives?",
    "debt": r"credit|debt|bankruptcy", "jobs": r"jobs?|employment|careers?|resumes?|empleos?",
    "computers": r"computers?|tech|technology|digital|internet|smartphones?|email",
    "exams": r"sat prep|psat|act prep|ged|hiset|toefl",
    "college": r"college|university|fafsa|financial aid",
    "food": r"food|groceries|grocery|produce|meals?|lunch(es)?|dinners?|breakfasts?|"
    r"suppers?|soup|bread|comida|alimentos",
    "personal care": r"diapers?|wipes|formula|baby pantry|baby supplies|hygiene|"
    r"toiletries|period products|pa[nñ]ales",
    "clothing": r"cloth(es|ing)|coats?|shoes|ropa", "furniture": r"furniture|mattress(es)?",
    "toys": r"toys?|juguetes",
    "birth records": r"birth (certificates?|records?)|actas? de nacimiento",
    "death records": r"death (certificates?|records?)|actas? de defuncion",
    "marriage records": r"marriage (licen[cs]es?|certificates?|records?)|actas? de matrimonio",
})  # fmt: skip
"""What a title says a service is about, where the name is an identity: a flu and a COVID
vaccine clinic, SNAP and Medicaid application help, an immigration and a family law clinic
are two services though everything else (day, place, kind of offer) is shared. Two titles
that each name a subject, and none in common, are two services; a title naming none ("Free
Shots") says nothing. Words of one subject are grouped (SNAP and food stamps, eviction and
tenants, supper and dinner) so that one service named two ways is not split. Goods count
as subjects too: a baby pantry (diapers, formula) and a food pantry on one morning are
two services, as a clothing closet and a community dinner are. So do the records a
vital records office issues: birth and death certificates are two counters' work; and
a housing program's two halves, keeping a tenant housed (prevention) and moving someone
homeless into a home (rapid rehousing)."""
_LEVELS = _kinds({
    "beginner": r"beginners?|beginning|intro|introduction|introductory|basics?|101|novice|"
    r"principiantes?|level (1|one|i)",
    "intermediate": r"intermediate|intermedio|level (2|two|ii)",
    "advanced": r"advanced|avanzado|level (3|three|iii)",
})  # fmt: skip
"""A level each title names: the beginners' and the intermediate line dancing class are two
classes, however alike the rest (one hall, one hour apart)."""
_WALK_IN = re.compile(r"\bwalk[- ]?ins?\b|\bno appointments?\b|\bsin cita\b")
_BY_APPOINTMENT = re.compile(
    r"\bby (scheduled )?appointment\b|\bappointments? (only|required|needed)\b|"
    r"\bfor an appointment\b|\bcon cita( previa)?\b"
)
"""How a post says one comes: a walk-in clinic and a service by appointment in one slot
are two services (STI testing on walk-in, PrEP by appointment); a post saying both
("by appointment, walk-ins seen if time allows") says neither."""
_SERIES_SPLIT = re.compile(rf":\s|\s{DASH}\s")
_SPANISH = frozenset(
    {"de", "del", "la", "las", "el", "los", "para", "con", "y", "por", "gratis", "una",
     "todos", "su", "sus", "al", "es", "nuestro", "nuestra"}
)  # fmt: skip
_ENGLISH = frozenset(
    {"the", "and", "for", "with", "of", "to", "your", "free", "our", "all", "is", "every",
     "at", "you", "from"}
)  # fmt: skip
"""Function words that tell a Spanish post from an English one: the English model the
judgement embeds with reads "Clases de Inglés para Adultos" as nothing like "ESL Classes
for Adults", so a pair written in two languages is judged by a multilingual one."""
_PLACE_FILLER = frozenset(
    {
        "the", "and", "via", "suite", "floor", "room", "parking", "lot", "side", "door",
        "entrance", "north", "south", "east", "west", "building", "near", "next", "behind",
        "corner", "across", "from", "inside", "outside", "rear", "front", "main",
    }
)  # fmt: skip
"""Words of a location that name no site (directions, parts of a building)."""
_STREET_TYPES = frozenset(
    {
        "st", "street", "ave", "avenue", "rd", "road", "ln", "lane", "dr", "drive", "blvd",
        "boulevard", "way", "pl", "place", "ct", "court", "hwy", "highway", "pkwy",
        "parkway", "sq", "square", "terrace", "crescent", "close",
    }
)  # fmt: skip
"""A location part with one of these after its first word is a street ("Rail St"; "St
Cuthbert's Hall" is a venue)."""
_ONLINE = frozenset({"online", "virtual", "virtually", "zoom", "remote", "livestream"})
_TITLE_SITE = re.compile(r"\s(?:at|@)\s+(?:the\s+)?([^,(\u2013\u2014|]+)")
"""The site a title names ("Pantry at Cedar Hills Lutheran", "Storytime at Eastside
Branch"), up to a dash, comma or bracket."""
_TITLE_SITE_END = re.compile(r"\s(on|every|from|each|this|next|for)\s.*$|\s-\s.*$")
_LOCATION_PARTS = re.compile(rf"[,;()\n]|\s{DASH}\s")
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
    audience: str
    role: str
    years: frozenset[str]
    dates: frozenset[tuple[int, int]]
    days: frozenset[int]
    stated_days: frozenset[int]
    """Weekdays from the schedule or the title and summary; `days` may also come from the
    description, good enough to tell sessions apart, too loose to call two the same."""
    weeks: frozenset[int]
    """Weeks of the month (1-5, -1 for the last) a monthly session keeps: the caregivers'
    group on the first Tuesday and the grief group on the third are two sessions, though
    a weekday schedule reads both as "Tuesdays 2 pm"."""
    starts: frozenset[int]
    ages: tuple[int, int] | None
    genders: frozenset[str]
    carers: bool | None
    """Whether the post addresses the family or carers *of* someone, a group of its own, or
    None when it does not say (`audience_facts.carers`)."""
    house_numbers: frozenset[str]
    venue_words: frozenset[str]
    """Words of the location's named venue ("eastside", "branch"), apart from its street
    ("holly"): a venue is a site only where some post gives its street."""
    street_words: frozenset[str]
    title_site_words: frozenset[str]
    """Words of the site the title names ("at Eastside Branch")."""
    languages: frozenset[str]
    """Languages a title says the session is held in ("Spanish Storytime")."""
    occasions: frozenset[str]
    months: frozenset[int]
    """Months and occasions a title names: editions, as years and seasons are."""
    exact_ages: bool
    """`ages` come from numbers ("6-10", "60+"), not from words ("kids") that only guess."""
    seasons: frozenset[str]
    formats: frozenset[str]
    subjects: frozenset[str]
    """What the title says the service is about ("flu", "snap", "immigration")."""
    levels: frozenset[str]
    markers: frozenset[str]
    """Contacts, street addresses and title words: clues only when few posts share them."""
    language: str = ""
    """ "es" or "en" when the post's function words say so clearly, else "" (unknown)."""
    series: tuple[frozenset[str], frozenset[str]] | None = None
    """A title's series and topic ("Job Seekers Workshop: Resume Writing"), as title words:
    two topics of one series are two sessions."""
    access: str = ""
    """ "walk-in" or "appointment" when the post says one and not the other, else ""."""
    numbered: tuple[frozenset[str], frozenset[str]] | None = None
    """A title's words and its numbers, when it has numbers: two titles alike but for
    their numbers ("Swim Lessons - Stages 1-3" and "...Stages 4-6", "Part 1" and "Part 2")
    are two parts or levels of one offer."""
    name: str = ""
    """The title alone: a post that says little more than its name is known by it."""

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
        language = _language(f"{headline} {description}")
        return cls(
            text=headline,
            full_text=f"{headline}. {description}" if description else headline,
            audience=audience,
            role=audience_facts.role(who),
            years=frozenset(_YEAR.findall(_HISTORY_YEAR.sub(" ", headline))),
            dates=_dates(headline.lower()),
            days=stated_days or _text_days(description),
            stated_days=stated_days,
            weeks=_weeks(schedule, f"{headline}. {description}"),
            starts=frozenset(m for s in schedule if (m := _minutes(s.get("start"))) is not None),
            ages=audience_facts.ages(who),
            genders=audience_facts.genders(f"{title} {audience or summary}".lower()),
            carers=audience_facts.carers(
                f"{title} {audience} {summary}".lower(), audience, language or _language(audience)
            ),
            house_numbers=frozenset(n for n, _ in _HOUSE_NUMBER.findall(location)),
            venue_words=_place_words(location, street=False),
            street_words=_place_words(location, street=True),
            title_site_words=_title_site(title),
            seasons=_named(_SEASONS, title.lower()),
            languages=_named(_LANGUAGES, _plain(title)),
            occasions=_named(_OCCASIONS, _plain(title)),
            months=frozenset(
                m for w in _words(title) if w not in _NOT_A_MONTH and (m := month_number(w))
            ),
            exact_ages=audience_facts.exact_ages(who),
            formats=_named(_FORMATS, _plain(title)),
            subjects=_named(_SUBJECTS, _plain(title)),
            levels=_named(_LEVELS, _plain(title)),
            markers=frozenset(_contacts(content.get("contact")) | addresses | _title_words(title)),
            language=language,
            series=_series(title),
            numbered=_numbered(title),
            access=_access(_plain(f"{headline}. {description}")),
            name=title,
        )


def _clean(value: Any) -> str:
    return str(value).strip() if value else ""


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _series(title: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(series, topic) title words of a title that names both ("Job Seekers Workshop:
    Interview Skills", "Open Mic — Poetry Night"), else None."""
    parts = _SERIES_SPLIT.split(title, maxsplit=1)
    if len(parts) < 2:
        return None
    return frozenset(_title_words(parts[0])), frozenset(_title_words(parts[1]))


def _access(text: str) -> str:
    walk_in, appointment = bool(_WALK_IN.search(text)), bool(_BY_APPOINTMENT.search(text))
    return "walk-in" if walk_in > appointment else "appointment" if appointment > walk_in else ""


def _numbered(title: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(words, numbers) of a title that has numbers, else None."""
    numbers = frozenset(str(int(n)) for n in re.findall(r"\d+", title))
    if not numbers:
        return None
    return frozenset(w for w in _words(_plain(title)) if w.isalpha()), numbers


def _language(text: str) -> str:
    """The language a post is written in, Spanish or English, by its function words; ""
    when they are too few to tell (a bare title). A post mostly in a script other than
    Latin is named by its script ("cyrillic", "arabic", "cjk"): enough to know it is not
    the other post's language, whatever the language."""
    script = _main_script(text)
    if script:
        return script
    words = [w.lower() for w in _WORD.findall(text)]
    spanish = sum(w in _SPANISH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if spanish >= 2 and spanish > 2 * english:
        return "es"
    if english >= 2 and english > 2 * spanish:
        return "en"
    return ""


def _main_script(text: str) -> str:
    """The script most of `text`'s letters are in when it is not Latin, else ""."""
    letters = [c for c in text if c.isalpha()]
    foreign = Counter(unicodedata.name(c, "?").split(" ")[0] for c in letters if not c.isascii())
    if foreign.total() * 2 <= len(letters):
        return ""
    [(script, _)] = foreign.most_common(1)
    return "" if script == "LATIN" else script.lower()


def _named(kinds: Sequence[tuple[str, re.Pattern[str]]], text: str) -> frozenset[str]:
    return frozenset(name for name, pattern in kinds if pattern.search(text))


def _plain(text: str) -> str:
    """Lower case without accents: "Clínica" reads as "clinica"."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def _title_site(title: str) -> frozenset[str]:
    match = _TITLE_SITE.search(_plain(title))
    if not match:
        return frozenset()
    site = _TITLE_SITE_END.sub("", match.group(1))
    words = _place_words(site, street=False) | _place_words(site, street=True)
    return frozenset(w for w in words if day_number(w) is None)


def _place_words(location: str, *, street: bool) -> frozenset[str]:
    """The words naming a site in the location's venue parts or in its street parts;
    every online location reads as the one word "online"."""
    found: set[str] = set()
    for part in _LOCATION_PARTS.split(_plain(location)):
        words = _WORD.findall(part)
        is_street = bool(_HOUSE_NUMBER.search(part)) or any(w in _STREET_TYPES for w in words[1:])
        if is_street == street:
            found.update(
                "online" if w in _ONLINE else w
                for w in words
                if len(w) >= 3 and w.isalpha() and w not in _PLACE_FILLER | _STREET_TYPES
            )
    return frozenset(found)


def _schedule_days(schedule: Sequence[Mapping[str, Any]]) -> frozenset[int]:
    days = {day_number(str(d).strip()) for s in schedule for d in s.get("days") or []}
    return frozenset(d for d in days if d is not None)


def _text_days(text: str) -> frozenset[int]:
    """Weekdays a text names, spans included ("Tuesday to Saturday", "Mon-Fri") and
    "weekdays", "weekends" or "every day", but not those it says it is closed on."""
    closed = set().union(*(_day_names(part.group(0)) for part in _NOT_ON.finditer(text)))
    text = _NOT_ON.sub(" ", text)
    days = _day_names(text)
    lowered = text.lower()
    if _EVERY_DAY.search(lowered):
        days.update(set(range(7)) - closed)
    if _EVERY_WEEKDAY.search(lowered):
        days.update(range(5))
    if _EVERY_WEEKEND.search(lowered):
        days.update((5, 6))
    for first, last in _DAY_SPAN.findall(lowered):
        start, end = day_number(first), day_number(last)
        assert start is not None and end is not None  # the pattern matched day words
        days.update((start + k) % 7 for k in range((end - start) % 7 + 1))
    return frozenset(days)


def _day_names(text: str) -> set[int]:
    """Weekdays `text` names in words ("Tuesday", "Tues"; not "Tu", too short to tell)."""
    return {day for w in _words(text) if len(w) > 3 and (day := day_number(w)) is not None}


def _weeks(schedule: Sequence[Mapping[str, Any]], text: str) -> frozenset[int]:
    """Weeks of the month from the schedule's monthly rules, else from the text."""
    weeks = {w for s in schedule for w in s.get("weeks_of_month") or [] if isinstance(w, int)}
    if weeks:
        return frozenset(weeks)
    text = _plain(text)
    for match in _WEEKS.finditer(text):
        if not _STARTING.search(text[max(match.start() - 30, 0) : match.start()]):
            weeks.update(_WEEK_WORDS[w] for w in re.findall(_ORDINALS, match.group(1)))
    return frozenset(weeks)


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
    plain = _plain(title)
    return {
        f"word:{w[:_STEM]}"
        for w in _words(plain)
        if len(w) >= 4 and w not in _GENERIC and day_number(w) is None
    }
