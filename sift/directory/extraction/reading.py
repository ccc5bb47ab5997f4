"""Pass 1 of the rule engine: what a page offers, item by item.

A page is cut into sections and the entries inside them (`items`, over `layout`); notices
(greetings, thanks, recaps) and what is over (cancelled, ended, past) are left out; each
remaining item is judged by the offer model (`offer_model`) on its multilingual
embedding's nearness to described offers and non-offers and on the particulars it gives.
A section that names two or more offers lists them; a named section that is an offer is one
thing; paragraphs that tell of one thing are one item (`items.told_together`). Pages and
entries about the organisation rather than a service (about, contact, donate, thank-you)
are dropped; on a dated article only items still ahead and reachable count. A social post
is one item, without the feed's page name, timestamp and labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from sift.directory.extraction.addresses import find_location
from sift.directory.extraction.items import (
    entries,
    offered_in,
    restore_headings,
    select,
    sentence_title,
    told_together,
)
from sift.directory.extraction.judge import (
    has_detail,
    is_closure_notice,
    is_ended,
    is_job_ad,
    is_past,
    is_satire,
    lead_told_as_past,
    offer_similarities,
    reachable_offer,
    stated_dates,
    told_as_past,
)
from sift.directory.extraction.layout import (
    bold_name,
    is_date_heading,
    is_section_name,
    link_name,
    read_layout,
)
from sift.directory.extraction.offer_model import Candidate, OfferModel, features
from sift.directory.extraction.text import (
    clean_inline,
    clock_times,
    detect_audience,
    find_phone,
    first_sentence,
    parse_markdown,
    parse_schedule,
    phone_region,
)
from sift.directory.extraction.titles import frames_only, invited_thing, invites
from sift.directory.extraction.types import Narrative, PageInput

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

_BYLINE_WORDS = 16
"""A byline ("By the team · November 10, 2026 · 3 min read") is a short line."""
_PICTOGRAPH = re.compile(r"[\u2190-\u2bff\U0001f000-\U0001faff]+[\ufe0f\u200d]*")
_PHRASE_WORDS = 3

# Pages about the organisation itself, never a service.
_ORG_PAGE = re.compile(
    r"^(?:about\b|contact\b|donat\w*|give\b|giving\b|support\b(?!\s+groups?)|news\b|blog\b"
    r"|press\b|thank\w*|privacy\b|terms\b|jobs\b|careers?\b|employment\b)",
    re.IGNORECASE,
)
# Entries (section or post titles) that greet, thank, report or raise funds.
_NON_OFFER_TITLE = re.compile(
    r"\b(?:thank(?:s| you)|recap|look(?:ing)? back|spotlight|happy \w+|welcome|news"
    r"|visit us|getting here|hours|our (?:mission|people|history|story|team|board)"
    r"|funding|wrap-?up|success|in review)\b",
    re.IGNORECASE,
)
_NON_OFFER_OPENING = re.compile(
    r"^(?:thank(?:s| you)|happy|what a day|staff spotlight|meet (?:our|the)"
    r"|congratulations|in memoriam)\b",
    re.IGNORECASE,
)
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:back to|see all|read more|learn more|more:|related:|share\b|advertisement\b).*$"
    r"|^\s*(?:submitted|written|posted|photos?|reported) by\b.{0,80}$"
    r"|\byour email address will not be published\b"
    r"|\bleave a (?:comment|reply)\b",
    re.I,
)
_SOCIAL_HEADER = re.compile(r"^#\s+.*\bpost\b.*$", re.IGNORECASE)
_SOCIAL_META = re.compile(r"^\*\*(\w+)\*\*:\s*(.+)$")
_NON_WORD_START = re.compile(r"^[^\w]+")
WHO = re.compile(r"^who\b|eligib", re.IGNORECASE)


@dataclass(frozen=True)
class _Item:
    title: str
    text: str
    context: str = ""
    named: bool = True


def _strip_org_suffix(title: str) -> str:
    return re.split(r"\s+[|\u2013\u2014]\s+", title, maxsplit=1)[0].strip()


def _not_a_notice(item: _Item) -> bool:
    """Greetings, thanks, recaps and fundraising notes are no offer, whatever they mention.
    A title is read for them only where the page names the item ("Opening hours"): an
    item told in prose is titled by its opening words, which may mention anything ("…
    usually take about 1 1/2 - 2 hours")."""
    if item.named and _NON_OFFER_TITLE.search(item.title):
        return False
    opening = _NON_WORD_START.sub("", clean_inline(item.text.lstrip("# ")))
    return not (_NON_OFFER_OPENING.match(opening) or _NON_OFFER_OPENING.match(item.title))


def _still_on(item: _Item, today: date) -> bool:
    """Not cancelled, ended, closed, satirical or past (judged against `today`)."""
    body = f"{item.title}\n{item.text}"
    return not (is_ended(body) or is_satire(body) or is_past(body, today))


def _closure(item: _Item) -> bool:
    """The section announces a closure; its entries may still offer the alternative."""
    body = description_of(item.text)
    return is_closure_notice(item.title if item.named else "", first_sentence(body))


def _announced(entry: _Item, today: date) -> bool:
    """An entry of a recap, a thank-you or a visit-us block ("April lunches a tasty
    success") is an offer only where it announces something: a date still ahead ("Our
    Summer Lunch Program starts Monday, July 11"), or a thing its lead introduces in the
    present ("The Men's Shed opens Mondays"). One told in the past ("Year five … was a big
    success. It ran on Wednesdays") tells what happened, whatever recurred then; an
    address with opening hours is the organisation's, no offer of its own."""
    text = clean_inline(entry.text)
    if any(day >= today for day in stated_dates(text, today)):
        return True
    return not lead_told_as_past(text) and offered_in(description_of(entry.text)) is not None


def _reports(entry: _Item, today: date) -> bool:
    """An entry told in prose that tells what happened (`told_as_past`); a named one is
    a thing the page lists, whatever tense its text is in."""
    return not entry.named and told_as_past(clean_inline(entry.text), today)


def _reported(content: str, today: date) -> bool:
    """A dated article (a byline date of today or before under its title): news or a blog
    post, which tells what happened; only a weekly schedule in it is still an offer."""
    lines = [ln for ln in content.splitlines() if ln.strip() and not ln.startswith("#")][:2]
    return any(
        len(line.split()) <= _BYLINE_WORDS
        and (dates := stated_dates(line, today))
        and max(dates) <= today
        for line in lines
    )


@dataclass(frozen=True)
class _Section:
    """A section of a page as one candidate, the entries it names as others."""

    item: _Item
    named: bool
    entries: tuple[_Item, ...]
    social: bool = False
    article: bool = False

    @property
    def candidates(self) -> tuple[_Item, ...]:
        return (self.item, *self.entries)


def _website_sections(page: PageInput, org_name: str, today: date) -> list[_Section]:
    content = "\n".join(
        line for line in page.content.splitlines() if not _BOILERPLATE_LINE.search(line)
    )
    page_title = _strip_org_suffix(page.title or "")
    layout = read_layout(restore_headings(content), page_title or None)
    if _ORG_PAGE.match(layout.title or "") or _ORG_PAGE.match(page_title) or is_job_ad(content):
        return []
    article = _reported(content, today)
    sections = []
    for block in layout.blocks:
        if _ORG_PAGE.match(block.context):
            continue
        framed = frames_only(block.title)
        item = _named(_Item(block.title, block.text, block.context), org_name)
        if framed:
            title = invited_thing(block.title) or sentence_title(description_of(block.text))
            item = replace(item, title=title, named=bool(invited_thing(block.title)))
            framed = not invites(block.title)  # "Need emergency food?" heads an offer
        inner = tuple(
            _Item(entry.title, entry.text, block.context or block.title, entry.named)
            for entry in entries(block.text, lambda text: has_detail(text, today))
        )
        named = bool(block.title) and not framed
        sections.append(_Section(item, named, inner, article=article))
    return sections


def _named(item: _Item, org_name: str) -> _Item:
    """An item under a section name ("Volunteer Opportunities", "FAQ", "SOURCE 1") takes
    the name of the program it describes: a bold name or a link that names one; else, at
    the top of a page, the organisation's (the page is about its own service), else its
    first sentence."""
    if not is_section_name(item.title):
        return item
    body = item.text.split("\n", 1)[1] if item.text.startswith("# ") else item.text
    name = bold_name(body) or link_name(body)
    if not name:
        name = org_name if not item.context else _sentence_title(body)
    return _Item(name, item.text, item.context)


def _judged_text(item: _Item) -> str:
    """What the embedding judges: the item, under the headings that say what kind it is."""
    return f"{item.context}\n{item.title}\n{clean_inline(item.text)}".strip()


def _sections(page: PageInput, org_name: str, today: date) -> list[_Section]:
    """A page's sections with their entries, leaving out notices and what is over: what
    the embedding then judges. A social post is one section of its own."""
    if page.source_type != "website":
        sections = [_Section(_social_item(page, org_name), True, (), social=True)]
    else:
        sections = _website_sections(page, org_name, today)
    kept = []
    for section in sections:
        notice = not _not_a_notice(section.item)
        live = tuple(
            e
            for e in section.entries
            if _not_a_notice(e) and _still_on(e, today) and (not notice or _announced(e, today))
        )
        ok = not notice and not _closure(section.item) and _still_on(section.item, today)
        if ok or live:
            kept.append(replace(section, named=section.named and ok, entries=live))
    return kept


def _as_candidates(section: _Section) -> list[Candidate]:
    """The section and its entries as the offer model sees them."""
    siblings = len(section.entries)
    return [
        Candidate(
            title=item.title,
            text=_judged_text(item),
            entry=n > 0,
            named=section.named if n == 0 else item.named,
            siblings=siblings,
            social=section.social,
            article=section.article,
        )
        for n, item in enumerate(section.candidates)
    ]


def label_text(item: _Item) -> str:
    """What a scorer reads of the post an item becomes: its title and its summary."""
    return f"{item.title}\n{first_sentence(description_of(item.text)) or item.title}"


def _kept(section: _Section, offers: Sequence[bool], today: date) -> list[_Item]:
    """The section itself or the entries it lists, by the offer judgement of each; on a
    dated article only items that say how to take part in something still ahead."""
    if section.article:
        offers = [
            ok and reachable_offer(item.text, today)
            for ok, item in zip(offers, section.candidates, strict=True)
        ]
    choice = select(
        offers[0],
        offers[1:],
        [entry.named for entry in section.entries],
        section_named=section.named,
    )
    if choice.section:
        told = [entry for ok, entry in zip(offers[1:], section.entries, strict=True) if ok]
        return _several_told(told, today) or [section.item]
    return _told_once([section.entries[k] for k in choice.entries], today)


def _several_told(told: Sequence[_Item], today: date) -> list[_Item]:
    """The offers a section's paragraphs tell of, where they tell of two or more, each
    introduced by its lead sentence at a place or on a date of its own (a news story on
    three toy drives, each with its address and last day); none where they tell of one
    thing, which the section is ("When: Saturdays, March 13 - May 22" and "Registration
    opens December 1" are sides of one season)."""
    items = _told_once(told, today)
    sites = [_sited(item.text, today) for item in items]
    if len(items) < 2 or not all(sites) or len(set(sites)) < len(sites):
        return []
    if not all(offered_in(description_of(item.text)) for item in items):
        return []
    return items


def _sited(text: str, today: date) -> frozenset[str]:
    """The places and dates a text states: what sets one gathering apart from another."""
    return frozenset(p for p in _particulars(text, today) if p.startswith(("place:", "date:")))


def _told_once(chosen: Sequence[_Item], today: date) -> list[_Item]:
    """Entries a section lists by name (two or more) as they are; paragraphs that tell of
    one thing as one item (`told_together`), named by its first paragraph."""
    listed = sum(item.named for item in chosen) >= 2
    out: list[_Item] = []
    run: list[_Item] = []
    for item in [*chosen, None]:
        if item is not None and not (listed and item.named):
            run.append(item)
            continue
        texts = [told.text for told in run]
        for group in told_together(texts, lambda text: _particulars(text, today)):
            first = run[group[0]]
            text = "\n\n".join(run[n].text for n in group)
            told = _Item(first.title, text, first.context, named=first.named)
            if not _reports(told, today):
                out.append(told)
        run = []
        if item is not None:
            out.append(item)
    return out


def _particulars(text: str, today: date) -> set[str]:
    """The days, times, dates, places and numbers a paragraph states, as comparable
    words."""
    found = {f"day:{day}" for entry in parse_schedule(text) for day in entry.days}
    found |= {f"time:{start}" for start in clock_times(text)}
    found |= {f"date:{day.isoformat()}" for day in stated_dates(text, today)}
    place = find_location(text)
    phone = find_phone(text, phone_region(text))
    return (
        found
        | ({f"place:{place.lower()}"} if place else set())
        | ({f"phone:{phone}"} if phone else set())
    )


def judged_sections(
    batch: Sequence[PageInput], embedder: Embedder, *, org_name: str, today: date
) -> list[list[tuple[_Section, np.ndarray]]]:
    """Per page, each section with the offer model's inputs for it and its entries (one
    row each): pass 1's evidence, apart from the decision so the model can be fitted on
    it. The items of every page of the batch are embedded in one call."""
    sections = [_sections(page, org_name, today) for page in batch]
    candidates = [[_as_candidates(s) for s in page] for page in sections]
    similarities = offer_similarities(
        embedder, [[c.text for cs in page for c in cs] for page in candidates]
    )
    out = []
    for page_sections, page_candidates, page_similarities in zip(
        sections, candidates, similarities, strict=True
    ):
        judged = []
        offset = 0
        for section, cs in zip(page_sections, page_candidates, strict=True):
            rows = page_similarities[offset : offset + len(cs)]
            offset += len(cs)
            judged.append(
                (
                    section,
                    np.asarray(
                        [features(c, row, rows[0], today) for c, row in zip(cs, rows, strict=True)]
                    ),
                )
            )
        out.append(judged)
    return out


def _narrative(page: PageInput, n: int, item: _Item, allowed: Iterable[str] | None) -> Narrative:
    """The `n`th kept item of `page`, its audience read from its "Who" section if any."""
    who = parse_markdown(item.text).section(WHO)
    audience_text = f"{item.title}\n{who}" if who else f"{item.title}\n{item.text}"
    return Narrative(
        id=f"{page.id}/{n}",
        title=_post_title(item),
        audience=detect_audience(audience_text, allowed),
        text=item.text,
        page_ids=[page.id],
        source_types=[page.source_type],
        named=item.named,
    )


def _post_title(item: _Item) -> str:
    """An item the page names keeps its name; one told in prose is titled by the thing its
    lead sentence introduces ("Temporary overnight warming center at the Wabash Bus
    Station"), not by the sentence's opening words. Titling comes after the offer
    judgement, which reads the item as the page gives it."""
    if item.named:
        return item.title
    return offered_in(description_of(item.text)) or item.title


def _social_item(page: PageInput, org_name: str) -> _Item:
    caption: list[str] = []
    location = page.metadata.get("location")
    for line in page.content.splitlines():
        if _SOCIAL_HEADER.match(line) or line.strip() == "---":
            continue
        if not any(c.strip() for c in caption) and _post_chrome(line, org_name):
            continue
        meta = _SOCIAL_META.match(line.strip())
        if meta:
            if meta.group(1).lower() == "location" and not location:
                location = meta.group(2)
            continue
        caption.append(line)
    text = "\n".join(caption).strip()
    if location:
        text += f"\n\nLocation: {location}"
    return _Item(_social_title(text), text)


def _post_chrome(line: str, org_name: str) -> bool:
    """What a feed puts above a caption: the page's name, the time it was posted ("November
    12 at 8:14 PM ·"), a label ("--- Post 1 ---")."""
    plain = clean_inline(line).strip(" \u00b7")
    return (
        plain.lower() == org_name.strip().lower()
        or is_date_heading(plain)
        or (bool(plain) and is_section_name(plain))
    )


def _social_title(text: str) -> str:
    """A bold name that opens the caption, else its first sentence that is not a date."""
    opening = text.lstrip().split("\n", 1)[0]
    named = bold_name(opening) if opening.lstrip().startswith("**") else None
    return named or _sentence_title(text)


def _sentence_title(text: str) -> str:
    """The first ten words of the first sentence that is not a date or a label."""
    lines = [
        ln
        for ln in text.splitlines()
        if ln.strip() and not is_date_heading(ln) and not is_section_name(clean_inline(ln))
    ]
    sentence = first_sentence("\n\n".join(lines)) or text
    # An emoji ends a caption's phrase as a full stop would ("Tax season is coming 📄 Free
    # tax prep…"); one before the third word is decoration.
    phrases = [p.split() for p in _PICTOGRAPH.split(sentence)]
    words = next((p for p in phrases if len(p) >= _PHRASE_WORDS), [w for p in phrases for w in p])
    words = re.sub(r"[^\w\s'\u2019:&,.$-]", " ", " ".join(words)).split()
    title = " ".join(words[:10]).rstrip(" .,:;")
    return title or "Social post"


def description_of(lead: str) -> str:
    """The lead wording without its own title heading."""
    lines = lead.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()


def item_outline(page: PageInput, org_name: str, today: date) -> list[str]:
    """A page's candidate items as an outline (sections, their entries indented), for an
    LLM to judge item by item as the rule engine does: what is over or a notice is left
    out, nothing is judged yet."""
    lines = []
    for section in _sections(page, org_name, today):
        if section.named:
            lines.append(f"- {section.item.title}")
        lines += [f"  - {entry.title}" for entry in section.entries]
    return lines


def page_narratives(
    batch: Sequence[PageInput],
    embedder: Embedder,
    model: OfferModel,
    *,
    org_name: str,
    allowed_audiences: Iterable[str] | None,
    today: date,
) -> list[Narrative]:
    """Each page's offers as narratives `"{page id}/{n}"`, one page each. The items of
    every page in the batch are judged together: one embedding call per batch."""
    out: list[Narrative] = []
    judged = judged_sections(batch, embedder, org_name=org_name, today=today)
    for page, page_sections in zip(batch, judged, strict=True):
        kept: list[_Item] = []
        for section, rows in page_sections:
            kept += _kept(section, model.offers(rows).tolist(), today)
        out += [
            _narrative(page, n, item, allowed_audiences) for n, item in enumerate(kept, start=1)
        ]
    return out
