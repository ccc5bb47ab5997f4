"""The offline rule engine: deterministic extraction with no network and no LLM.

This is the lower-quality engine. It exists so Sift works out of the box (the demo, tests,
air-gapped installs) and as a baseline the LLM engine must beat; it reads well-structured
sites and short social posts, and misses whatever is said in ways its patterns do not know.

Pass 1 cuts pages into candidate items (`layout`) and keeps those that offer something to
attend, join or use today (`judge`). Pages and entries about the organisation rather than a
service (about, contact, donate, thank-you, greetings, recaps) are dropped, and so are
dated articles that give no weekly schedule (news tells what happened). An item must sound
like an offer more than like a non-offer; one that gives nothing to act on (no time, place,
contact, eligibility or way to join) by a wider margin. An item under a section name
("Volunteer Opportunities", "FAQ", "SOURCE 1") is named after the program it describes. A
social post is one item, without the feed's page name, timestamp and labels.

Pass 2 groups items that describe the same service with the clean-up's own judgement
(`service_matching`): different role, audience, days, times, place or edition never merge,
the organisation's shared contacts are no evidence, and groups need every pair judged a
duplicate (no chaining). Two differently named items of one page stay apart: the page's
layout already listed them as two things. A group's narrative leads with its website
wording; social posts add their details after it.

Pass 3 reads contact, schedule, location, audience and tags with the parsers in
`extraction.text`, from the facet sections of the lead wording first, then the rest.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from sift.directory.cleanup import complete_linkage_groups
from sift.directory.extraction.items import entries, restore_headings, select, told_together
from sift.directory.extraction.judge import (
    has_detail,
    is_ended,
    is_job_ad,
    is_past,
    is_satire,
    offer_similarities,
    reachable_offer,
    stated_dates,
)
from sift.directory.extraction.layout import (
    bold_name,
    is_date_heading,
    is_section_name,
    link_name,
    read_layout,
    split_footer,
)
from sift.directory.extraction.offer_model import Candidate, OfferModel, features, shipped_model
from sift.directory.extraction.text import (
    clean_inline,
    detect_audience,
    detect_tags,
    find_contact,
    find_location,
    find_phone,
    first_sentence,
    parse_markdown,
    parse_schedule,
    phone_region,
)
from sift.directory.extraction.types import (
    Contact,
    ExtractedPost,
    Narrative,
    PageInput,
    ScheduleEntry,
    TagSet,
    base_page_id,
    post_key,
)
from sift.directory.service_matching import judge_post_pairs

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

PROMPT_VERSION = "rules-2"

CAPTION_TO_SITE_MERGE = 0.58
"""A social caption as near as this to a website item it does not clash with is that item
announced again ("FOOD PANTRY THIS FRIDAY" and the site's "Food Pantry")."""
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
    r"|funding)\b",
    re.IGNORECASE,
)
_NON_OFFER_OPENING = re.compile(
    r"^(?:thank(?:s| you)|happy|what a day|staff spotlight|meet (?:our|the)"
    r"|congratulations|in memoriam)\b",
    re.IGNORECASE,
)
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:back to|see all|read more|learn more|more:|related:|share\b|advertisement\b).*$", re.I
)
_SOCIAL_HEADER = re.compile(r"^#\s+.*\bpost\b.*$", re.IGNORECASE)
_SOCIAL_META = re.compile(r"^\*\*(\w+)\*\*:\s*(.+)$")
_NON_WORD_START = re.compile(r"^[^\w]+")
_WHO = re.compile(r"^who\b|eligib", re.IGNORECASE)
_WHEN = re.compile(r"^(?:when|hours|schedule|times?)\b", re.IGNORECASE)
_WHERE = re.compile(r"^(?:where|location|address)\b", re.IGNORECASE)
_CONTACT = re.compile(r"^(?:contact|how to)\b", re.IGNORECASE)
_ALSO = "\n\nAlso mentioned on {source}:\n"
_ALSO_SPLIT = re.compile(r"\n\nAlso mentioned on [\w -]+:\n")


@dataclass(frozen=True)
class _Item:
    title: str
    text: str
    context: str = ""
    named: bool = True


def _strip_org_suffix(title: str) -> str:
    return re.split(r"\s+[|\u2013\u2014]\s+", title, maxsplit=1)[0].strip()


def _not_a_notice(item: _Item) -> bool:
    """Greetings, thanks, recaps and fundraising notes are no offer, whatever they mention."""
    if _NON_OFFER_TITLE.search(item.title):
        return False
    opening = _NON_WORD_START.sub("", clean_inline(item.text.lstrip("# ")))
    return not (_NON_OFFER_OPENING.match(opening) or _NON_OFFER_OPENING.match(item.title))


def _still_on(item: _Item, today: date) -> bool:
    """Not cancelled, ended, closed, satirical or past (judged against `today`)."""
    body = f"{item.title}\n{item.text}"
    return not (is_ended(body) or is_satire(body) or is_past(body, today))


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
        line for line in page.content.splitlines() if not _BOILERPLATE_LINE.match(line)
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
        item = _named(_Item(block.title, block.text, block.context), org_name)
        inner = tuple(
            _Item(entry.title, entry.text, block.context or block.title, entry.named)
            for entry in entries(block.text, lambda text: has_detail(text, today))
        )
        sections.append(_Section(item, bool(block.title), inner, article=article))
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
        live = tuple(e for e in section.entries if _not_a_notice(e) and _still_on(e, today))
        ok = _not_a_notice(section.item) and _still_on(section.item, today)
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
    return f"{item.title}\n{first_sentence(_description(item.text)) or item.title}"


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
        return [section.item]
    return _told_once([section.entries[k] for k in choice.entries], today)


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
            out.append(_Item(first.title, text, first.context, named=first.named))
        run = []
        if item is not None:
            out.append(item)
    return out


def _particulars(text: str, today: date) -> set[str]:
    """The days, dates, places and numbers a paragraph states, as comparable words."""
    found = {f"day:{day}" for entry in parse_schedule(text) for day in entry.days}
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
    who = parse_markdown(item.text).section(_WHO)
    audience_text = f"{item.title}\n{who}" if who else f"{item.title}\n{item.text}"
    return Narrative(
        id=f"{page.id}/{n}",
        title=item.title,
        audience=detect_audience(audience_text, allowed),
        text=item.text,
        page_ids=[page.id],
        source_types=[page.source_type],
        named=item.named,
    )


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


def _service_name(title: str) -> str:
    return post_key(title, None).split("|", 1)[0]


def _lead_text(text: str) -> str:
    """A merged narrative's own wording, without the details added from other sources."""
    return _ALSO_SPLIT.split(text, maxsplit=1)[0]


class RuleEngine:
    """Patterns and embeddings only; same input, same output, on any machine."""

    name = "rules"

    def __init__(
        self,
        embedder: Embedder | None = None,
        *,
        clock: Callable[[], date] = date.today,
        offer_model: OfferModel | None = None,
        offer_embedder: Embedder | None = None,
    ) -> None:
        self._embedder = embedder
        self._clock = clock
        self._offer_model = offer_model
        self._offer_embedder = offer_embedder

    @property
    def prompt_version(self) -> str:
        """Keys the pass-1 memo: this engine judges past events and ended programs against
        the day it runs, so a narrative read yesterday may be wrong today (an event that
        has passed). Re-reading a page costs no model call, so the memo is kept per day."""
        return f"{PROMPT_VERSION}@{self._clock().isoformat()}"

    @property
    def offer_embedder(self) -> Embedder:
        """The multilingual model that judges what a page offers (`offer_model` was fitted
        on its similarities)."""
        if self._offer_embedder is None:
            from sift.ai.embeddings import get_multilingual_embedder

            self._offer_embedder = get_multilingual_embedder()
        return self._offer_embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from sift.ai.embeddings import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    # pass 1 ------------------------------------------------------------------------------

    def narratives(
        self, batch: list[PageInput], *, org_name: str, tags: TagSet, today: date | None = None
    ) -> list[Narrative]:
        """Each page's offer-like items as narratives `"{page id}/{n}"`, one page each.

        The items of every page in the batch are judged together (`judged_sections`): one
        embedding call per batch rather than per page, all inside this call (one workflow
        step), so a resumed run judges exactly what the first one did.
        """
        allowed = tags.values("audience") or None
        day = today or self._clock()
        judged = judged_sections(batch, self.offer_embedder, org_name=org_name, today=day)
        model = self._offer_model or shipped_model()
        out: list[Narrative] = []
        for page, page_sections in zip(batch, judged, strict=True):
            kept: list[_Item] = []
            for section, rows in page_sections:
                offers = model.offers(rows)
                kept += _kept(section, offers.tolist(), day)
            out += [_narrative(page, n, item, allowed) for n, item in enumerate(kept, start=1)]
        return out

    # pass 2 ------------------------------------------------------------------------------

    def dedupe(self, narratives: list[Narrative], *, org_name: str) -> list[Narrative]:
        """Merge narratives of one service by the clean-up's judgement (`service_matching`).

        A pair may merge only when nothing vetoes it (a different role, audience, day, time,
        place or edition); it is one service when the judgement says so, when both carry
        the same name (a teaser and its program page), or when a caption is close to a
        website item (`CAPTION_TO_SITE_MERGE`). Website items group with complete linkage
        (every pair accepted); each caption then joins the one website group it fits best,
        clashing with none of its members, so captions never chain two programs together.
        """
        # A canonical order makes the result independent of how pages were batched.
        narratives = sorted(narratives, key=lambda n: _natural_key(n.id))
        if len(narratives) < 2:
            return narratives
        pairs = _Pairs.judged(narratives, self.embedder)
        site = [i for i, n in enumerate(narratives) if "website" in n.source_types]
        groups = pairs.cliques(site)
        captions = [i for i in range(len(narratives)) if i not in site]
        unplaced = [i for i in captions if not pairs.attach(i, groups)]
        groups += pairs.cliques(unplaced)
        groups.sort(key=lambda group: group[0])
        return [_merge([narratives[i] for i in group]) for group in groups]

    # pass 3 ------------------------------------------------------------------------------

    def investigate(
        self,
        narrative: Narrative,
        pages: list[PageInput],
        *,
        org_name: str,
        tags: TagSet,
        today: date | None = None,
    ) -> ExtractedPost:
        """Fill the post's fields from the narrative's lead wording first, then the rest."""
        cited_ids = {base_page_id(p) for p in narrative.page_ids}
        cited: list[PageInput] = []
        for page in pages:
            if page.page_id in cited_ids and all(c.url != page.url for c in cited):
                cited.append(page)
        cited.sort(key=lambda p: [base_page_id(x) for x in narrative.page_ids].index(p.page_id))
        website_page = next((p.url for p in cited if p.source_type == "website"), None)
        region = phone_region("\n".join(p.content for p in cited) or _lead_text(narrative.text))
        own = _Reading.of(narrative, region=region, website=website_page)
        general = _general_texts(cited)
        contact = own.contact
        contact.phone = contact.phone or next(
            (phone for t in general if (phone := find_phone(t, region))), None
        )
        location = (
            own.location
            or next(
                (str(p.metadata["location"]) for p in cited if p.metadata.get("location")), None
            )
            or next((loc for t in general if (loc := find_location(t))), None)
        )
        allowed = tags.values("audience") or None
        audience = narrative.audience or detect_audience(own.who, allowed)
        return ExtractedPost(
            key=post_key(narrative.title, audience),
            title=narrative.title,
            summary=own.summary,
            description=own.description,
            audience=audience,
            contact=contact,
            location=location,
            schedule=own.schedule,
            tags=detect_tags(
                [narrative.title, own.summary, narrative.text], tags, audience=audience
            ),
            source_urls=[p.url for p in cited],
            source_types=sorted({p.source_type for p in cited}, key=_source_rank),
        )


@dataclass
class _Reading:
    """What a narrative's own text says: facet sections of its lead wording first, then
    the rest. Pass 2 judges duplicates on it, pass 3 completes it from the pages."""

    title: str
    summary: str
    description: str
    who: str
    contact: Contact
    schedule: list[ScheduleEntry]
    location: str | None

    @classmethod
    def of(cls, narrative: Narrative, *, region: str, website: str | None = None) -> _Reading:
        lead = _lead_text(narrative.text)
        extra = narrative.text[len(lead) :]
        doc = parse_markdown(lead)
        description = _description(lead)
        contact = find_contact(
            [doc.section(_CONTACT) or "", lead, extra], fallback_website=website, region=region
        )
        schedule = next(
            (s for t in (doc.section(_WHEN), lead, extra) if t and (s := parse_schedule(t))), []
        )
        location = next(
            (loc for t in (doc.section(_WHERE), lead, extra) if t and (loc := find_location(t))),
            None,
        )
        return cls(
            title=narrative.title,
            summary=first_sentence(description) or narrative.title,
            description=description,
            who=f"{narrative.title}\n{doc.section(_WHO) or lead}",
            contact=contact,
            schedule=schedule,
            location=location,
        )

    def as_post(self, audience: str | None) -> dict[str, Any]:
        """The post content the clean-up's service judgement reads."""
        return {
            "title": self.title,
            "summary": self.summary,
            "description": self.description,
            "audience": audience,
            "location": self.location,
            "contact": self.contact.model_dump(),
            "schedule": [entry.model_dump() for entry in self.schedule],
        }


@dataclass(frozen=True)
class _Pairs:
    """Pass 2's view of every pair of narratives: its similarity, and whether it may merge
    (nothing vetoes it) and should (enough evidence)."""

    similarity: dict[tuple[int, int], float]
    allowed: frozenset[tuple[int, int]]
    accepted: frozenset[tuple[int, int]]

    @classmethod
    def judged(cls, narratives: Sequence[Narrative], embedder: Embedder) -> _Pairs:
        posts = [_judged_post(n) for n in narratives]
        pairs = [
            (i, j)
            for i, j in itertools.combinations(range(len(narratives)), 2)
            if not _listed_apart(narratives[i], narratives[j])
        ]
        verdicts = judge_post_pairs(posts, pairs, embedder=embedder)
        allowed = {
            pair for pair, verdict in zip(pairs, verdicts, strict=True) if not verdict.vetoed
        }
        accepted = {
            (i, j)
            for (i, j), verdict in zip(pairs, verdicts, strict=True)
            if (i, j) in allowed
            and (
                verdict.duplicate
                or _service_name(narratives[i].title) == _service_name(narratives[j].title)
                or (
                    _caption_and_site(narratives[i], narratives[j])
                    and verdict.similarity >= CAPTION_TO_SITE_MERGE
                )
            )
        }
        similarity = {pair: v.similarity for pair, v in zip(pairs, verdicts, strict=True)}
        return cls(similarity, frozenset(allowed), frozenset(accepted))

    def _key(self, i: int, j: int) -> tuple[int, int]:
        return (min(i, j), max(i, j))

    def cliques(self, members: Sequence[int]) -> list[list[int]]:
        """`members` grouped so that every pair inside a group is accepted."""
        inside = set(members)
        scored = {
            pair: self.similarity[pair]
            for pair in self.accepted
            if pair[0] in inside and pair[1] in inside
        }
        grouped = complete_linkage_groups(scored)
        alone = inside - {i for group in grouped for i in group}
        return [*grouped, *([i] for i in sorted(alone))]

    def attach(self, caption: int, groups: list[list[int]]) -> bool:
        """Add a caption to the group it is most similar to, among those with a member it
        is accepted with and none it is vetoed with; False when there is none."""
        best: tuple[float, int] | None = None
        for n, group in enumerate(groups):
            keys = [self._key(caption, m) for m in group]
            if not all(k in self.allowed for k in keys):
                continue
            fits = [self.similarity[k] for k in keys if k in self.accepted]
            if fits and (best is None or max(fits) > best[0]):
                best = (max(fits), n)
        if best is None:
            return False
        groups[best[1]].append(caption)
        groups[best[1]].sort()
        return True


def _caption_and_site(a: Narrative, b: Narrative) -> bool:
    """One was read from the website only, the other from social posts only."""
    return ("website" in a.source_types) != ("website" in b.source_types) and all(
        n.source_types for n in (a, b)
    )


def _listed_apart(a: Narrative, b: Narrative) -> bool:
    """Two differently named items of one page: the page's layout already said they are
    two things (a class table's ESL and GED rows), whatever their schedules share. Two
    paragraphs that only tell of something are not listed apart: they may tell of one."""
    one_page = len(a.page_ids) == 1 and a.page_ids == b.page_ids
    named = a.named and b.named
    return one_page and named and _service_name(a.title) != _service_name(b.title)


def _judged_post(narrative: Narrative) -> dict[str, Any]:
    region = phone_region(_lead_text(narrative.text))
    return _Reading.of(narrative, region=region).as_post(narrative.audience)


def _general_texts(cited: Sequence[PageInput]) -> list[str]:
    """Where a page gives the organisation's general line and address, which stand for any
    service that names none of its own: the footers first, then the whole pages."""
    footers = [split_footer(p.content)[1] for p in cited if p.source_type == "website"]
    return [f for f in footers if f] + [p.content for p in cited]


def _natural_key(text: str) -> list[tuple[int, int | str]]:
    """`p9/1` before `p10/1`: digit runs compare as numbers."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def _source_rank(source_type: str) -> tuple[int, str]:
    return (source_type != "website", source_type)


def _merge(group: Sequence[Narrative]) -> Narrative:
    """One narrative from a group: website wording leads, the others add their details."""
    if len(group) == 1:
        return group[0]
    order = {id(n): k for k, n in enumerate(group)}
    lead = min(
        group,
        key=lambda n: ("website" not in n.source_types, -len(n.text), order[id(n)]),
    )
    text = lead.text
    page_ids = list(lead.page_ids)
    for other in group:
        if other is lead:
            continue
        source = "/".join(other.source_types) or "another page"
        text += _ALSO.format(source=source) + other.text
        page_ids += [p for p in other.page_ids if p not in page_ids]
    types = sorted({t for n in group for t in n.source_types}, key=_source_rank)
    audience = lead.audience or next((n.audience for n in group if n.audience), None)
    return Narrative(
        id=lead.id,
        title=lead.title,
        audience=audience,
        text=text,
        page_ids=page_ids,
        source_types=types,
    )


def _description(lead: str) -> str:
    """The lead wording without its own title heading."""
    lines = lead.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()
