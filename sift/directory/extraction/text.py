"""Reading facts out of plain text: schedules, contacts, addresses, audiences, tags.

The rule engine lives on these parsers, and the LLM engine uses none of them; they sit in
their own module because they are the part worth testing line by line. Each parser answers
"not found" (None, empty) rather than guessing: a post with no schedule is better than a
post with a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers

from sift.directory.extraction.types import Contact, ScheduleEntry, TagSet
from sift.directory.schedules import WEEKDAYS as DAYS

_DAY_STEMS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_SPANISH_DAYS = {
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sábado": 5, "sabado": 5, "domingo": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6,
}  # fmt: skip
"""Spanish and German weekday names ("martes", "dienstags" without its adverbial s)."""

# --- markdown ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    heading: str
    body: str


@dataclass(frozen=True)
class Document:
    """A markdown page as its h1, the text before the first h2, and its h2 sections."""

    title: str | None
    intro: str
    sections: tuple[Section, ...]

    def section(self, pattern: re.Pattern[str]) -> str | None:
        """Body of the first section whose heading matches, if any."""
        for section in self.sections:
            if pattern.search(section.heading):
                return section.body
        return None


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def clean_inline(text: str) -> str:
    """Markdown links to their text, emphasis markers dropped, whitespace squeezed."""
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"[*_`]{1,3}", "", text)
    return " ".join(text.split())


def parse_markdown(content: str) -> Document:
    """Split on `#` and `##` headings; deeper headings stay inside their h2 section."""
    title: str | None = None
    intro: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in content.splitlines():
        match = _HEADING.match(line)
        if match and len(match.group(1)) <= 2:
            heading = clean_inline(match.group(2))
            if len(match.group(1)) == 1 and title is None and not sections:
                title = heading
            else:
                sections.append((heading, []))
            continue
        (sections[-1][1] if sections else intro).append(line)
    return Document(
        title=title,
        intro="\n".join(intro).strip(),
        sections=tuple(Section(h, "\n".join(body).strip()) for h, body in sections),
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z\d])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|st|ave|dr|mr|mrs|ms|no|rd|blvd"
    r"|mt|ft|vs|etc|approx|dept|ste|inc)|\b[ap]\.m|\b[A-Z])\.$",
    re.IGNORECASE,
)
"""A full stop that ends an abbreviation ("Jan.", "St.", "p.m.", an initial), not a
sentence: "booking opens Wednesday, Jan. 4" is one sentence."""


def _dateline(sentence: str) -> bool:
    """ "JACKSONVILLE, Fla." opens a news story; it is no sentence of its own."""
    return len(sentence.split()) <= 2 and sentence.split()[0].rstrip(",").isupper()


def sentences(text: str) -> list[str]:
    """Sentences of each line (a line break always ends one)."""
    return [s for line in text.splitlines() for s in _line_sentences(line)]


def _line_sentences(line: str) -> list[str]:
    found: list[str] = []
    for piece in (p.strip() for p in _SENTENCE_END.split(line)):
        if found and piece and (_ABBREVIATION.search(found[-1]) or _dateline(found[-1])):
            found[-1] = f"{found[-1]} {piece}"
        elif piece:
            found.append(piece)
    return found


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of the first prose paragraph (headings and bullets skipped)."""
    for paragraph in re.split(r"\n\s*\n", text):
        line = paragraph.strip()
        if not line or line.startswith(("#", "-", "*", "|")):
            continue
        found = sentences(clean_inline(line))
        if found:
            sentence = found[0]
            return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
    return ""


# --- schedules -----------------------------------------------------------------------------

DASH = r"[-\u2013\u2014]"
"""A hyphen, en dash or em dash: extracted posts keep a website's typography."""

DAY_WORDS = (
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?s?"
    r"|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bados?|domingos?"
    r"|montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonnabends?|sonntags?"
)
"""Weekday names and their short forms, English, Spanish and German: the one home of day
words (schedules, entry names, addresses read them from here)."""
MONTH_WORDS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
    r"|diciembre|januar|februar|m[äa]e?rz|mai|juni|juli|oktober|dezember"
)
"""Month names and their short forms, English, Spanish and German (dates, addresses)."""
_ONE_DAY = re.compile(rf"(?:{DAY_WORDS})", re.IGNORECASE)
_ONE_MONTH = re.compile(rf"(?:{MONTH_WORDS})", re.IGNORECASE)
_MONTH_STEMS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12, "mär": 3,
    "mae": 3, "mai": 5, "okt": 10, "dez": 12,
}  # fmt: skip


def day_number(word: str) -> int | None:
    """Monday = 0 for a weekday name or short form of `DAY_WORDS` ("Tues", "sábados"), else
    None: the one reading of day words every judgement shares."""
    return _day_index(word) if _ONE_DAY.fullmatch(word) else None


def month_number(word: str) -> int | None:
    """January = 1 for a month name or short form of `MONTH_WORDS` ("Sept", "marzo")."""
    return _MONTH_STEMS.get(word[:3].lower()) if _ONE_MONTH.fullmatch(word) else None


_DAY_WORD = re.compile(
    rf"\b(?:(?P<every>every\s+)?(?P<weekdays>weekdays?)|(?P<weekends>weekends?)"
    rf"|(?P<daily>daily|every\s+day|seven\s+days\s+a\s+week)|(?P<day>{DAY_WORDS}))\b",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*and|&|or|/|y)?\s*$", re.IGNORECASE)
_SPAN_GAP = re.compile(r"^\s*(?:to|through|thru|until|-|\u2013|\u2014)\s*$", re.IGNORECASE)
_ORDINAL_WORD = r"first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th"
_ORDINAL = re.compile(
    rf"\b((?:{_ORDINAL_WORD})(?:\s*(?:,|and|&)\s*(?:{_ORDINAL_WORD}))*)\s+$", re.IGNORECASE
)
_WEEK_NUMBER = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1,
}  # fmt: skip
_BY_APPOINTMENT = re.compile(
    r"\bby appointment|\bappointments? (?:only|required|needed)|\bcon cita\b", re.IGNORECASE
)
_ATOM = r"(?:noon|midday|\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr\b)?)"
_RANGE = re.compile(
    rf"(?<![\d:$,])(?P<a>{_ATOM})\s*(?:-|\u2013|\u2014|to|until|till|bis|a)\s*(?P<b>{_ATOM})"
    r"(?![\d:])",
    re.IGNORECASE,
)
_SINGLE = re.compile(
    r"(?<![\d:$,])(noon|midday|\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr\b))(?![a-z])", re.I
)
"""Times of day: "9-11am", "noon", "de 10:00 a 12:00", "von 15 bis 17 Uhr" (a German or
24-hour time names its hour as it is)."""
_ATOM_PARTS = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*([ap])?", re.IGNORECASE)


def _day_index(token: str) -> int | None:
    word = token.lower()
    spanish = _SPANISH_DAYS.get(word, _SPANISH_DAYS.get(word.removesuffix("s")))
    return spanish if spanish is not None else _DAY_STEMS.get(word[:3])


@dataclass
class _Clock:
    hour: int
    minute: int
    meridiem: str | None  # "a", "p" or None

    def as_24h(self, meridiem: str | None) -> str:
        hour = self.hour % 12 if meridiem else self.hour
        if meridiem == "p":
            hour += 12
        return f"{hour:02d}:{self.minute:02d}"


def _clock(atom: str) -> _Clock | None:
    atom = atom.strip().lower()
    if atom in ("noon", "midday"):
        return _Clock(12, 0, "p")
    match = _ATOM_PARTS.match(atom)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return _Clock(hour, minute, match.group(3).lower() if match.group(3) else None)


def _time_range(a: str, b: str) -> tuple[str, str] | None:
    """`9-11am` → (09:00, 11:00); needs a meridiem, a minute or noon to be read as times."""
    start, end = _clock(a), _clock(b)
    if start is None or end is None:
        return None
    explicit = start.meridiem or end.meridiem or ":" in a + b or "uhr" in (a + b).lower()
    if not explicit:
        return None  # "6 to 12" is an age range, "10 to 2" too ambiguous to trust
    end_text = end.as_24h(end.meridiem)
    start_text = start.as_24h(start.meridiem or end.meridiem)
    if start.meridiem is None and start_text > end_text:
        start_text = start.as_24h("a")  # "11 to 1pm" starts in the morning
    return start_text, end_text


@dataclass
class _DayGroup:
    start: int
    end: int
    days: list[int]
    note: str | None
    weeks: list[int] | None = None


def _day_groups(sentence: str) -> list[_DayGroup]:
    groups: list[_DayGroup] = []
    last_end = -1
    for match in _DAY_WORD.finditer(sentence):
        if match.group("weekdays"):
            days = list(range(5))
        elif match.group("weekends"):
            days = [5, 6]
        elif match.group("daily"):
            days = list(range(7))
        else:
            index = _day_index(match.group("day"))
            days = [] if index is None else [index]
        gap = sentence[last_end : match.start()] if groups else ""
        if groups and _SPAN_GAP.match(gap) and len(days) == 1 and groups[-1].days:
            first = groups[-1].days[-1]
            groups[-1].days.extend(range(first + 1, days[0] + 1) if days[0] > first else [])
            groups[-1].end = match.end()
        elif groups and _LIST_GAP.match(gap):
            groups[-1].days.extend(d for d in days if d not in groups[-1].days)
            groups[-1].end = match.end()
        else:
            ordinal = _ORDINAL.search(sentence[: match.start()])
            note, weeks = None, None
            if ordinal and len(days) == 1:
                note = f"{ordinal.group(1).lower()} {DAYS[days[0]]} of the month"
                words = re.findall(_ORDINAL_WORD, ordinal.group(1).lower())
                weeks = sorted({_WEEK_NUMBER[word] for word in words}, key=lambda w: w % 6)
            groups.append(_DayGroup(match.start(), match.end(), days, note, weeks))
        last_end = match.end()
    return [g for g in groups if g.days]


def _times(sentence: str) -> list[tuple[int, str, str | None]]:
    found: list[tuple[int, str, str | None]] = []
    taken: list[tuple[int, int]] = []
    for match in _RANGE.finditer(sentence):
        parsed = _time_range(match.group("a"), match.group("b"))
        if parsed:
            found.append((match.start(), parsed[0], parsed[1]))
            taken.append(match.span())
    for match in _SINGLE.finditer(sentence):
        if any(a <= match.start() < b for a, b in taken):
            continue
        clock = _clock(match.group(1))
        if clock:
            found.append((match.start(), clock.as_24h(clock.meridiem), None))
    return sorted(found)


def by_appointment(text: str) -> bool:
    """A visit must be booked ("by appointment", "con cita"): a way to take part."""
    return bool(_BY_APPOINTMENT.search(text))


def clock_times(text: str) -> set[str]:
    """The times of day a text states (`HH:MM`, a range by its start), whether or not a
    day goes with them: what sets one thing's hours apart from another's."""
    return {start for sentence in sentences(text) for _, start, _ in _times(clean_inline(sentence))}


def parse_schedule(text: str) -> list[ScheduleEntry]:
    """Days and times from sentences like "Tuesdays and Thursdays 10am-2pm", "Mon-Fri at
    noon", "Saturdays 9-11am"; a time pairs with the days named before it in its sentence."""
    entries: list[ScheduleEntry] = []
    for sentence in map(clean_inline, sentences(text)):
        events: list[tuple[int, _DayGroup | tuple[str, str | None]]] = [
            (g.start, g) for g in _day_groups(sentence)
        ]
        events += [(pos, (start, end)) for pos, start, end in _times(sentence)]
        events.sort(key=lambda e: e[0])
        pending: _DayGroup | None = None
        emitted: list[ScheduleEntry] = []
        for _, event in events:
            if isinstance(event, _DayGroup):
                if pending is not None:
                    emitted.append(_entry(pending, None, None))
                pending = event
            else:
                start, end = event
                if pending is not None:
                    emitted.append(_entry(pending, start, end))
                    pending = None
                elif emitted and emitted[-1].start is None:
                    emitted[-1].start, emitted[-1].end = start, end
        if pending is not None:
            emitted.append(_entry(pending, None, None))
        booked = True if _BY_APPOINTMENT.search(sentence) else None
        for entry in emitted:
            entry.by_appointment = booked
            if entry not in entries:
                entries.append(entry)
    return entries


def _entry(group: _DayGroup, start: str | None, end: str | None) -> ScheduleEntry:
    return ScheduleEntry(
        days=[DAYS[d] for d in sorted(set(group.days))],
        start=start,
        end=end,
        note=group.note,
        weeks_of_month=group.weeks,
    )


# --- contact and location ----------------------------------------------------------------

PHONE = re.compile(r"(?<![\w.])(?:\+?1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})(?![\w])")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
"""An e-mail address. The look-behind lets a match start only where a run of address
characters starts: without it, a long run with no `@` (base64, `-----`) is rescanned from
every position, and one crawled page took minutes."""
_URL = re.compile(
    r"(?<![\w.-])"  # a link starts where a word does, for the same reason as EMAIL
    r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|edu|gov|io|us|co|info)"
    r"(?:/[^\s)\]<>\"']*)?",
    re.IGNORECASE,
)
_FORM_HINT = re.compile(
    r"form|register|registration|sign[- ]?up|intake|apply|application|book|enrol", re.IGNORECASE
)


PHONE_REGIONS = ("US", "GB", "AU")
"""Countries whose numbers are read; North American numbers (US, Canada) come first."""


def _phone_matches(text: str, region: str) -> list[tuple[bool, bool, phonenumbers.PhoneNumber]]:
    """(valid, native, number) for every phone-shaped run with 10+ digits or valid; `native`
    when it is written as that country writes its numbers at home (`(915) 555-0152` is
    native to the US, `01632 960418` to the UK). Invalid ones count too: directories publish
    numbers from ranges the library does not list (555-01xx)."""
    found = []
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        digits = re.sub(r"\D", "", match.raw_string)
        valid = phonenumbers.is_valid_number(match.number)
        if valid or len(digits) >= 10:
            found.append((valid, _national_digits(match.number) == digits, match.number))
    return found


def _national_digits(number: phonenumbers.PhoneNumber) -> str:
    plain = phonenumbers.PhoneNumber(
        country_code=number.country_code,
        national_number=number.national_number,
        italian_leading_zero=number.italian_leading_zero,
        number_of_leading_zeros=number.number_of_leading_zeros,
    )
    national = phonenumbers.format_number(plain, phonenumbers.PhoneNumberFormat.NATIONAL)
    return re.sub(r"\D", "", national)


def phone_region(text: str) -> str:
    """The country whose own way of writing numbers reads the most numbers in `text`."""

    def score(region: str) -> tuple[int, int]:
        found = _phone_matches(text, region)
        return sum(v and n for v, n, _ in found), sum(n for _, n, _ in found)

    return max(PHONE_REGIONS, key=lambda r: (score(r), -PHONE_REGIONS.index(r)))


def find_phone(text: str, region: str = "US") -> str | None:
    """The first phone number, written the way the country writes it (`(612) 555-0147`,
    `01632 960418`, `(02) 5550 4477`)."""
    for _, _, number in _phone_matches(text, region):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return None


def find_email(text: str) -> str | None:
    match = EMAIL.search(text)
    return match.group(0).rstrip(".").lower() if match else None


def find_urls(text: str) -> list[str]:
    """http(s) URLs and bare `forms.example.org/x` links, with a scheme added where missing."""
    out: list[str] = []
    for match in _URL.finditer(EMAIL.sub(" ", text)):
        url = match.group(0).rstrip(".,;:!?")
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        if url not in out:
            out.append(url)
    return out


def find_contact(
    texts: Iterable[str], *, fallback_website: str | None = None, region: str = "US"
) -> Contact:
    """Phone, e-mail, intake form and website, each from the first text that has one."""
    contact = Contact()
    for text in texts:
        contact.phone = contact.phone or find_phone(text, region)
        contact.email = contact.email or find_email(text)
        for url in find_urls(text):
            line = next((s for s in sentences(text) if url.split("://", 1)[1] in s), "")
            if _FORM_HINT.search(url) or _FORM_HINT.search(line):
                contact.intake_form = contact.intake_form or url
            elif contact.website is None:
                contact.website = url
    contact.website = contact.website or fallback_website
    return contact


# --- audience and tags ---------------------------------------------------------------------

_AGE_RANGE = re.compile(
    r"\b(?:ages?|aged|kids|children|youth|boys and girls|players)\s+(?:ages?\s+)?"
    r"(\d{1,2})\s*(?:-|\u2013|\u2014|to|through)\s*(\d{1,2})\b",
    re.IGNORECASE,
)
_AGE_MIN = re.compile(
    r"(?<![\d$,.])(\d{1,2})\s*(?:\+|(?:years?\s+)?(?:and|or)\s+(?:over|older|up|above))",
    re.IGNORECASE,
)
_AGE_MAX = re.compile(r"\b(?:under|younger than|up to age)\s+(\d{1,2})\b", re.IGNORECASE)
_EVERYONE = re.compile(r"\b(?:anyone|everyone|all ages|any household|open to all)\b", re.I)
_AUDIENCE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("seniors", re.compile(r"\b(?:seniors?|older adults|elders)\b", re.IGNORECASE)),
    (
        "youth",
        re.compile(r"\b(?:kids|children|youth|teens?|teenagers|boys and girls)\b", re.I),
    ),
    ("families", re.compile(r"\bfamilies\b", re.IGNORECASE)),
    ("adults", re.compile(r"\badults?\b", re.IGNORECASE)),
)


def _audience_from_ages(text: str) -> tuple[bool, str | None]:
    """(an age was stated, the audience it implies); the first stated age decides."""
    hits: list[tuple[int, str | None]] = []
    for m in _AGE_RANGE.finditer(text):
        low, high = int(m.group(1)), int(m.group(2))
        verdict = (
            "youth" if high <= 18 else "seniors" if low >= 55 else "adults" if low >= 18 else None
        )
        hits.append((m.start(), verdict))
    for m in _AGE_MIN.finditer(text):
        low = int(m.group(1))
        hits.append((m.start(), "seniors" if low >= 55 else "adults" if low >= 18 else None))
    for m in _AGE_MAX.finditer(text):
        hits.append((m.start(), "youth" if int(m.group(1)) <= 18 else None))
    if not hits:
        return False, None
    return True, min(hits, key=lambda h: h[0])[1]


def detect_audience(text: str, allowed: Iterable[str] | None = None) -> str | None:
    """youth / seniors / adults / families from ages ("ages 6-12", "60 and over") or words.

    `allowed` restricts the answer to the directory's audience values; None allows all.
    """
    stated, verdict = _audience_from_ages(text)
    if not stated:
        if _EVERYONE.search(text):
            return None
        positions = [(m.start(), name) for name, p in _AUDIENCE_WORDS if (m := p.search(text))]
        verdict = min(positions)[1] if positions else None
    if verdict is None:
        return None
    if allowed is not None and verdict not in set(allowed):
        return None
    return verdict


_CATEGORY_WORDS: dict[str, re.Pattern[str]] = {
    "food": re.compile(
        r"\b(?:food|pantry|groceries|grocery|meals?|lunch|dinner|breakfast)\b", re.I
    ),
    "education": re.compile(
        r"\b(?:class(?:es)?|esl|english|tutor\w*|learn\w*|courses?|workshops?|literacy)\b", re.I
    ),
    "tax": re.compile(r"\btax(?:es)?\b", re.IGNORECASE),
    "sports": re.compile(
        r"\b(?:soccer|sports?|league|basketball|football|baseball|swim\w*)\b", re.I
    ),
    "volunteering": re.compile(r"\bvolunteer\w*\b", re.IGNORECASE),
    "health": re.compile(r"\b(?:health|clinic|medical|dental|wellness|vaccin\w*)\b", re.I),
}


def detect_tags(texts: Sequence[str], tags: TagSet, *, audience: str | None = None) -> list[str]:
    """Allowed `kind:value` tags: per kind, the values named in the first of `texts` (title,
    summary, body) that names any; a value without built-in synonyms matches its own word."""
    out: list[str] = []
    for kind, values in tags.kinds.items():
        if kind == "audience":
            if audience in values:
                out.append(f"audience:{audience}")
            continue
        for text in texts:
            found = [
                f"{kind}:{value}"
                for value in values
                if (
                    _CATEGORY_WORDS.get(value)
                    or re.compile(rf"\b{re.escape(value)}\w*\b", re.IGNORECASE)
                ).search(text)
            ]
            if found:
                out.extend(found)
                break
    return tags.keep_allowed(out)
