"""A page cut into candidate items, as a reader scans it: sections, and the things inside.

Authored pages mark their structure in Markdown; real pages, as a readability extractor
returns them, mostly do not: headings come back as short lines of their own ("Preschool
Storytime"), a schedule table as lines that each open with a name and a day ("Art with
Marion Tuesday 12:30-2"), a news article as paragraphs that each tell of one place. So the
reader works in two steps:

1. **Headings a page lost** are restored (`restore_headings`): a short line standing alone
   between blank lines, with no closing punctuation, followed by text, is a heading. The
   layout reader (`layout.read_layout`) then finds the page's sections as before.
2. **Entries inside a section** (`entries`): each paragraph, list item or table row, and each
   run of lines that opens with a name followed by a day or time, that names a thing
   together with a detail someone can act on (when, where, whom to call, how to join).

The offer judgement then decides, per page, whether a section is one thing or lists several
(`select`): a section whose entries include two or more offers is a list of them; one with
fewer is a single thing, named by its heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sift.directory.extraction.addresses import is_place_name
from sift.directory.extraction.layout import (
    bold_name,
    is_date_heading,
    is_facet,
    is_section_name,
)
from sift.directory.extraction.text import (
    DAY_WORDS,
    clean_inline,
    clock_times,
    first_sentence,
    sentences,
)
from sift.directory.extraction.titles import (
    dash_in_range,
    frames_only,
    offer_phrase,
    only_when,
    opens_with_remark,
    strip_dateline,
)

_MD_HEADING = re.compile(r"^#{1,6}\s")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf]|\d{1,2}[.)])\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_CLOSING = re.compile(r"[.,;:!\u2026\"\u201d)]$")
_HEADING_WORDS = 10
_HEADING_CHARS = 90
_LETTER = re.compile(r"[^\W\d_]")
_WEEKDAY = rf"(?:{DAY_WORDS})\.?"
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|uhr|h\b)|\d{1,2}:\d{2}|noon|mediod[ií]a"
_WHEN_TOKEN = re.compile(rf"\b(?:{_WEEKDAY})(?=\W|$)|(?:{_CLOCK})", re.IGNORECASE)
_NAME_THEN_WHEN = re.compile(
    rf"^(?P<name>[^\W\d_][^\n]{{1,70}}?)\s+(?=(?:every\s+|each\s+)?(?:{_WEEKDAY})\b)",
    re.IGNORECASE,
)
_NAME_THEN_DETAIL = re.compile(
    r"^\s*(?:\*\*)?(?P<name>[^\W\d_][^:\n\u2013\u2014]{2,70}?)(?:\*\*)?\s*(?::|\s[\u2013\u2014-]\s)\s*\S"
)
_FIELD_VALUE = re.compile(
    r"\S*@|\(?\+?\d[\d\s().-]{6,}|https?:|www\.|\d{1,2}(?::\d{2})?\s*[ap]\.?m", re.I
)
"""What follows a field label ("Email: fdi@…", "Phone: 604…", "Hours: 9am…"): the text
before the colon labels a value, it does not name a thing."""
_LABELLED = re.compile(r"\w:\s+\S")
"""A heading names; "Phone: 555-0100" labels a value."""
_BYLINE = re.compile(r"^(?:_[^_]+_|\*[^*]+\*|by\s.*|posted\s.*)$", re.IGNORECASE)
"""An italic line or a byline ("By a staff reporter") sits apart like a heading but names
nothing."""
_TITLE_WORDS = 12
_MIN_CONTENT_WORDS = 3
_FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "our", "your", "their", "my", "his", "her",
        "its", "one", "on", "in", "at", "by", "for", "to", "of", "and", "or", "every", "each",
        "some", "all", "no", "when", "if", "el", "la", "los", "las", "un", "una", "der", "die",
        "das", "ein", "eine",
    }
)  # fmt: skip
"""Words a name does not start with: "The low for Sunday…" and "One Tuesday evening…" are
sentences, not a name followed by its day."""
_MIN_ENTRY_WORDS = 5
_SCHEDULE_LINE_WORDS = 14
"""A line of a flattened schedule table is short: a name, a day, a time, maybe a room.
Prose that mentions a day ("One Tuesday evening, people were waiting…") is longer."""


@dataclass(frozen=True)
class Entry:
    """A thing a section names: its name, the text that describes it."""

    title: str
    text: str
    named: bool = True
    """Named by the page (a bold name, a name before a colon or its day), not by the
    opening words of a sentence."""


def restore_headings(content: str) -> str:
    """`content` with the headings a readability extractor flattened marked as `## `, when
    it kept none of its own.

    Only a line standing alone (a blank line or the start above it, a blank line or a
    heading below), short, not a list item, not a sentence and not a bare date or time,
    and followed somewhere by more text: the way every page sets a heading apart.
    """
    lines = content.splitlines()
    if sum(bool(_MD_HEADING.match(line)) for line in lines) > 1:
        return content  # the page kept its headings: a short line in it is a line
    out = list(lines)
    for i, line in enumerate(lines):
        above = lines[i - 1].strip() if i else ""
        below = lines[i + 1].strip() if i + 1 < len(lines) else ""
        rest = any(ln.strip() for ln in lines[i + 2 :])
        if not above and not below and rest and _looks_like_heading(line):
            out[i] = "## " + clean_inline(line).strip()
    return "\n".join(out)


def _looks_like_heading(line: str) -> bool:
    text = line.strip()
    plain = clean_inline(text).strip()
    if not plain or _MD_HEADING.match(text) or _BULLET.match(text) or _TABLE_ROW.match(text):
        return False
    words = plain.split()
    return (
        2 <= len(words) <= _HEADING_WORDS
        and _names_something(plain)
        and len(plain) <= _HEADING_CHARS
        and not _CLOSING.search(plain)
        and bool(_LETTER.search(plain))
        and (plain[0].isupper() or plain[0].isdigit())
        and not is_date_heading(plain)
        and not plain.lower().startswith(("http", "www."))
        and not _LABELLED.search(plain)
        and not _BYLINE.match(text)
    )


def entries(text: str, has_detail: Callable[[str], bool]) -> list[Entry]:
    """The things a section's text names one by one, each with a detail of its own.

    Runs of lines that each open with a name and a day (a schedule table flattened to
    lines) come first; else paragraphs, list items and table rows. Fewer than two such
    entries means the text describes one thing, which its section already is.
    """
    lines = text.strip().splitlines()
    if any(_MD_HEADING.match(line) for line in lines[1:]):
        return []  # facet sections (When, Where, Contact): one thing described in parts
    body = "\n".join(ln for ln in lines if not _MD_HEADING.match(ln))
    for reader in (_scheduled_lines, _pieces):
        read = reader(body)
        found = [e for e in read if has_detail(e.text)]
        if len(found) >= 2:
            return [] if _sites_of_one_thing(found) else found
        if len(found) == 1 and len(read) >= 2:
            return found  # one paragraph of a story or a recap says when and where
    return []


def _sites_of_one_thing(found: Sequence[Entry]) -> bool:
    """Entries named by places only ("Oak Hall, Birch Lane"): the sites where one thing is
    held, not things."""
    named = [e.title for e in found if e.named]
    return len(named) == len(found) and all(is_place_name(name) for name in named)


def _scheduled_lines(body: str) -> list[Entry]:
    """Lines opening with a name and then a day ("Bridge Thursday 12:30-3:30"), each with
    the lines below it up to the next such line (its room, its description)."""
    lines = [ln for ln in body.splitlines() if ln.strip()]
    starts = [i for i, ln in enumerate(lines) if _name_then_when(ln)]
    if len(starts) < 2:
        return []
    found = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        found.append(Entry(_name_then_when(lines[start]) or "", "\n".join(lines[start:end])))
    return found


def _name_then_when(line: str) -> str | None:
    """The name a short line gives before its day ("Chair Yoga Monday 9:30-10:30"): a name
    whose words are capitalised, as names in a table are."""
    plain = clean_inline(_BULLET.sub("", line))
    match = _NAME_THEN_WHEN.match(plain)
    if not match or len(plain.split()) > _SCHEDULE_LINE_WORDS:
        return None
    name = match.group("name").strip(" *-:\u2013\u2014")
    if name.split()[0].lower() in _FUNCTION_WORDS or only_when(name) or _LABELLED.search(name):
        return None  # "Monday - Thursday" is a day range, "Class: ESL; Days" label and value
    words = [w for w in name.split() if len(w) > 3]
    capitalised = sum(w[:1].isupper() for w in words)
    return name if words and capitalised * 2 >= len(words) else None


def _pieces(body: str) -> list[Entry]:
    """Paragraphs, list items and table rows, each named from its own text.

    A readability extractor writes each paragraph on one line, so a line of prose is a
    paragraph too; a short line (a room, a label) belongs to the piece above it, and a
    line that reads as a heading opens the piece below it."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", body):
        for line in paragraph.splitlines():
            if not line.strip() or _TABLE_RULE.match(line):
                continue
            listed = _BULLET.match(line) or _TABLE_ROW.match(line)
            short = len(line.split()) < _MIN_ENTRY_WORDS
            under_heading = pieces and pieces[-1] and _looks_like_heading(pieces[-1])
            if pieces and pieces[-1] and not listed and (short or under_heading):
                pieces[-1] += "\n" + line
            elif _goes_on(pieces, line):
                last = max(k for k, piece in enumerate(pieces) if piece)
                pieces[last] += "\n\n" + line
            else:
                pieces.append(line)
        pieces.append("")  # a blank line closes the piece above
    found = []
    for piece in (part for whole in filter(None, pieces) for part in _at_new_times(whole)):
        if len(clean_inline(piece).split()) >= _MIN_ENTRY_WORDS and _content_words(piece):
            name = entry_name(piece)
            found.append(Entry(name or sentence_title(piece), piece, named=name is not None))
    return found


def _at_new_times(piece: str) -> list[str]:
    """A paragraph cut where a sentence gives a time of day the paragraph has not given:
    one paragraph of a page may tell of two things, each with its own hours ("Every
    Monday, 5:15pm to 6:30pm, we serve a drop-in dinner… our Peer Advocacy Office opens
    from 3pm to 6pm on Mondays"). Only a paragraph told on one line, as prose is; a list
    item or a table row is one thing whatever times it gives."""
    if "\n" in piece.strip() or _BULLET.match(piece) or _TABLE_ROW.match(piece):
        return [piece]
    parts: list[list[str]] = []
    told: set[str] = set()
    for sentence in sentences(piece):
        times = clock_times(sentence)
        if parts and told and times - told:
            parts.append([sentence])
        elif parts:
            parts[-1].append(sentence)
        else:
            parts.append([sentence])
        told |= times
    return [" ".join(part) for part in parts]


def _goes_on(pieces: Sequence[str], line: str) -> bool:
    """A line that is no item of its own but goes on from the piece above: a remark on it
    ("Note: tutors can't give legal advice.") or a sentence continued in lower case
    ("with the extra room we've got…"), since an item starts as a sentence or a name does."""
    if not any(pieces) or _BULLET.match(line) or _TABLE_ROW.match(line):
        return False
    plain = clean_inline(line).lstrip(" *\"'\u201c")
    return opens_with_remark(plain) or (plain[:1].isalpha() and plain[:1].islower())


def _names_something(text: str) -> bool:
    """A word that is no day, time, number or function word: "Monday and Wednesday" is
    when a thing happens, not its name."""
    rest = _WHEN_TOKEN.sub(" ", text)
    words = re.findall(r"[^\W\d_]+", rest.lower())
    return any(w not in _FUNCTION_WORDS and len(w) > 1 for w in words)


def _content_words(text: str) -> bool:
    """Some words beyond days, times and numbers: a line of hours names nothing."""
    rest = _WHEN_TOKEN.sub(" ", clean_inline(text))
    return len(re.findall(r"[^\W\d_]{3,}", rest)) >= _MIN_CONTENT_WORDS


def entry_name(text: str) -> str | None:
    """The name an entry gives itself: a bold name, the name before a colon or dash
    ("Peer Advocacy Office: Mondays 3-6 pm") or before its day; None when it has none."""
    plain = strip_dateline(clean_inline(_BULLET.sub("", text.strip().splitlines()[0])))
    bold = bold_name(text)
    match = _NAME_THEN_DETAIL.match(plain)
    labelled = match and (
        _FIELD_VALUE.match(plain[match.end() - 1 :])
        or dash_in_range(match.group("name"), plain[match.end() - 1 :])
    )
    names = [
        bold,
        match.group("name").strip(" *-:\u2013\u2014") if match and not labelled else None,
    ]
    names.append(_name_then_when(plain))
    for name in names:
        if name and len(name.split()) <= 8 and _names_a_thing(name):
            return name
    return None


def lead_sentence(text: str) -> str:
    """An entry's first sentence, without the news dateline before it (where the story
    was filed, not part of it)."""
    plain = strip_dateline(clean_inline(_BULLET.sub("", text.strip().splitlines()[0])))
    sentence = first_sentence(strip_dateline(clean_inline(_BULLET.sub("", text.strip()))))
    return sentence or plain


def offered_in(text: str) -> str | None:
    """The thing an entry's lead sentence introduces ("a bereavement support group")."""
    return offer_phrase(lead_sentence(text))


def sentence_title(text: str) -> str:
    """The opening words of an entry's first sentence: the name of a thing told in prose,
    as the offer judgement reads it (the post is titled by `offered_in` where it can be)."""
    words = lead_sentence(text).split()
    title = " ".join(words[:_TITLE_WORDS]).rstrip(" .,:;")
    return title + ("\u2026" if len(words) > _TITLE_WORDS else "")


def told_together(texts: Sequence[str], particulars: Callable[[str], set[str]]) -> list[list[int]]:
    """Consecutive paragraphs grouped by what they tell of: a paragraph starts a new group
    when it states a particular (a day, a date, a place, a number) the group has not
    stated; otherwise it adds to the group before.

    A page that tells of one thing in prose ("You can start booking…", "Bring your W-2
    forms…") is one post; a news story that moves from one church's Tuesday supper to
    another's on Saturdays tells of two."""
    groups: list[list[int]] = []
    stated: set[str] = set()
    for n, text in enumerate(texts):
        own = particulars(text)
        if groups and own <= stated:
            groups[-1].append(n)
            stated |= own
        else:
            groups.append([n])
            stated = set(own)
    return groups


def _names_a_thing(name: str) -> bool:
    return not (
        is_section_name(name)
        or is_date_heading(name)
        or _WHEN_TOKEN.match(name)
        or frames_only(name)
        or is_facet(name)  # "**When:** Saturdays…" tells a side of the section's thing
    )


@dataclass(frozen=True)
class Choice:
    """Which candidates of one section become posts."""

    section: bool
    entries: tuple[int, ...]


def select(
    section_ok: bool,
    entries_ok: Sequence[bool],
    entries_named: Sequence[bool],
    *,
    section_named: bool,
) -> Choice:
    """A section that names two or more offers lists them. Otherwise a named section that
    is an offer is one thing, and its paragraphs tell of it; a section that is no offer,
    or has no name, gives the offers its entries tell of."""
    kept = tuple(i for i, ok in enumerate(entries_ok) if ok)
    named = tuple(i for i in kept if entries_named[i])
    if len(named) >= 2:
        return Choice(section=False, entries=named)
    if section_ok and section_named:
        return Choice(section=True, entries=())
    return Choice(section=False, entries=kept)
