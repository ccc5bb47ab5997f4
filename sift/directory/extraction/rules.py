"""The offline rule engine: deterministic extraction with no network and no LLM.

This is the lower-quality engine. It exists so Sift works out of the box (the demo, tests,
air-gapped installs) and as a baseline the LLM engine must beat; it reads well-structured
sites and short social posts, and misses whatever is said in ways its patterns do not know.

Pass 1 cuts pages into candidate items and keeps those that offer something to attend, join
or use. A website page is read by layout: a *service page* (its h1 names the service, its
h2s are facets such as What / When / Where / Who / Contact) is one item; a *listing page*
(h2s or `Name - detail` bullets naming several things) gives one item per entry. Pages and
entries that are about the organisation rather than a service (about, contact, donate,
news, thank-you, holiday greetings, recaps) are dropped, and so is anything without an
offer signal (a day or time, register / sign up / join, free, classes, a phone, an e-mail).
A social post is one item.

Pass 2 groups items that describe the same service, precision first: same service name;
or a shared service identifier (phone, e-mail, URL; identifiers on most items are the
organisation's own and do not count) with at least loosely similar text; or, with no
identifier at all, embeddings that are near-identical. Different audiences never merge,
and neither do groups whose service phones/e-mails/URLs are all different. A group's
narrative leads with its website wording; social posts add their details after it.

Pass 3 reads contact, schedule, location, audience and tags with the parsers in
`extraction.text`, from the facet sections of the lead wording first, then the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sift.directory.extraction.text import (
    PHONE,
    Document,
    clean_inline,
    detect_audience,
    detect_tags,
    find_contact,
    find_location,
    first_sentence,
    parse_markdown,
    parse_schedule,
)
from sift.directory.extraction.types import (
    ExtractedPost,
    Narrative,
    PageInput,
    TagSet,
    base_page_id,
    post_key,
)
from sift.directory.matching import extract_identifiers

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

PROMPT_VERSION = "rules-1"

# Cosine of two items' embeddings above which they merge with no shared identifier: only
# rewordings of one text get there; two weekly programs of one centre stay below it.
EMBED_ONLY_MERGE = 0.90
# With a shared service phone / e-mail / URL the texts need only be loosely about one thing
# (a holiday notice of the pantry, with the pantry's phone, is still the pantry).
SHARED_ID_MERGE = 0.30
_BOILERPLATE_SHARE = 0.5

_FACET = re.compile(
    r"^(?:what|when|where|who\b.*|contact.*|how to\b.*|hours|schedule|times?|cost|fees?"
    r"|prices?|eligib\w*|location|address|details|registration|sign[ -]?up|requirements"
    r"|what to bring|about (?:this|the) \w+)$",
    re.IGNORECASE,
)
# Pages about the organisation itself, never a service.
_ORG_PAGE = re.compile(
    r"^(?:about\b|contact\b|donat\w*|give\b|giving\b|support\b(?!\s+groups?)|news\b|blog\b"
    r"|press\b|thank\w*|privacy\b|terms\b|faq\b|jobs\b)",
    re.IGNORECASE,
)
# Entries (section or post titles) that greet, thank, report or raise funds.
_NON_OFFER_TITLE = re.compile(
    r"\b(?:thank(?:s| you)|recap|look(?:ing)? back|spotlight|happy \w+|welcome|news"
    r"|visit us|getting here|hours|our (?:mission|people|history|story|team|board)"
    r"|funding|ways to give|donat\w*|make a gift)\b",
    re.IGNORECASE,
)
_NON_OFFER_OPENING = re.compile(
    r"^(?:thank(?:s| you)|happy|what a day|staff spotlight|meet (?:our|the)"
    r"|congratulations|in memoriam)\b",
    re.IGNORECASE,
)
_OFFER = re.compile(
    r"\b(?:register\w*|registration|sign[- ]?up|join|enrol+\w*|apply|book\w*|appointments?"
    r"|reserv\w*|rsvp|drop[- ]in|open|free|class(?:es)?|call|volunteer\w*|orientation"
    r"|weekdays?|weekends?|daily|noon|(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
    r"|\d{1,2}(?::\d{2})?\s*[ap]\.?m\b)",
    re.IGNORECASE,
)
_BULLET_ENTRY = re.compile(
    r"^\s*[-*+]\s+(?P<name>[^\u2013\u2014:]{3,80}?)\s+(?:\u2013|\u2014|-|:)\s+(?P<detail>.+)$"
)
_BOILERPLATE_LINE = re.compile(r"^\s*(?:back to|see all|read more|learn more)\b.*$", re.I)
_SOCIAL_HEADER = re.compile(r"^#\s+.*\bpost\b.*$", re.IGNORECASE)
_SOCIAL_META = re.compile(r"^\*\*(\w+)\*\*:\s*(.+)$")
_NON_WORD_START = re.compile(r"^[^\w]+")
_WHO = re.compile(r"^who\b|eligib", re.IGNORECASE)
_WHEN = re.compile(r"^(?:when|hours|schedule|times?)\b", re.IGNORECASE)
_WHERE = re.compile(r"^(?:where|location|address)\b", re.IGNORECASE)
_CONTACT = re.compile(r"^(?:contact|how to)\b", re.IGNORECASE)
_ALSO = "\n\nAlso mentioned on {source}:\n"
_ALSO_SPLIT = re.compile(r"\n\nAlso mentioned on [\w -]+:\n")
_SERVICE_ID = ("email:", "url:")


@dataclass(frozen=True)
class _Item:
    title: str
    text: str


def _strip_org_suffix(title: str) -> str:
    return re.split(r"\s+[|\u2013\u2014]\s+", title, maxsplit=1)[0].strip()


def _is_offer(item: _Item) -> bool:
    if _NON_OFFER_TITLE.search(item.title):
        return False
    opening = _NON_WORD_START.sub("", clean_inline(item.text.lstrip("# ")))
    if _NON_OFFER_OPENING.match(opening) or _NON_OFFER_OPENING.match(item.title):
        return False
    body = f"{item.title}\n{item.text}"
    return bool(_OFFER.search(body) or _service_ids(body))


def _website_items(page: PageInput) -> list[_Item]:
    content = "\n".join(
        line for line in page.content.splitlines() if not _BOILERPLATE_LINE.match(line)
    )
    doc = parse_markdown(content)
    title = doc.title or _strip_org_suffix(page.title or "")
    if _ORG_PAGE.match(title) or _ORG_PAGE.match(_strip_org_suffix(page.title or "")):
        return []
    facets = [s for s in doc.sections if _FACET.match(s.heading)]
    if not doc.sections or len(facets) >= max(2, len(doc.sections) / 2):
        return [_Item(title or page.url, content.strip())]
    return _listing_items(doc)


def _listing_items(doc: Document) -> list[_Item]:
    """One item per entry of a page naming several things; the page's own intro is not one."""
    items: list[_Item] = []
    for section in doc.sections:
        entries = [m for line in section.body.splitlines() if (m := _BULLET_ENTRY.match(line))]
        if len(entries) >= 2:
            for entry in entries:
                name = clean_inline(entry.group("name"))
                items.append(_Item(name, f"# {name}\n\n{clean_inline(entry.group('detail'))}"))
        elif section.body:
            items.append(_Item(section.heading, f"# {section.heading}\n\n{section.body}"))
    return items


def _social_item(page: PageInput) -> _Item:
    caption: list[str] = []
    location = page.metadata.get("location")
    for line in page.content.splitlines():
        if _SOCIAL_HEADER.match(line) or line.strip() == "---":
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


def _social_title(text: str) -> str:
    sentence = first_sentence(text) or text
    words = re.sub(r"[^\w\s'\u2019:&,.$-]", " ", sentence).split()
    title = " ".join(words[:10]).rstrip(" .,:;")
    return title or "Social post"


def _service_ids(text: str) -> set[str]:
    """Phones, e-mails and URLs: what names one service's contact (codes and dates do not).

    Phones are also read with this package's own pattern, which accepts a number that ends
    a sentence ("Call (555) 201-3344.") where the shared matcher's pattern does not.
    """
    found = {i for i in extract_identifiers(text) if i.startswith(_SERVICE_ID)}
    return found | {"".join(m.groups()) for m in PHONE.finditer(text)}


def _service_name(title: str) -> str:
    return post_key(title, None).split("|", 1)[0]


def _lead_text(text: str) -> str:
    """A merged narrative's own wording, without the details added from other sources."""
    return _ALSO_SPLIT.split(text, maxsplit=1)[0]


class _Groups:
    """Union-find over items that keeps, per group, what would forbid another merge."""

    def __init__(self, audiences: list[str | None], ids: list[set[str]]) -> None:
        self.parent = list(range(len(audiences)))
        self.audiences = [{a} if a else set() for a in audiences]
        self.ids = [set(s) for s in ids]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def try_union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b or len(self.audiences[a] | self.audiences[b]) > 1:
            return
        if self.ids[a] and self.ids[b] and not self.ids[a] & self.ids[b]:
            return  # each has its own phone / e-mail / form: two services
        keep, gone = min(a, b), max(a, b)
        self.parent[gone] = keep
        self.audiences[keep] |= self.audiences[gone]
        self.ids[keep] |= self.ids[gone]


class RuleEngine:
    """Patterns and embeddings only; same input, same output, on any machine."""

    name = "rules"
    prompt_version = PROMPT_VERSION

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from sift.ai.embeddings import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    # pass 1 ------------------------------------------------------------------------------

    def narratives(self, batch: list[PageInput], *, org_name: str, tags: TagSet) -> list[Narrative]:
        """Each page's offer-like items as narratives `"{page id}/{n}"`, one page each."""
        allowed = tags.values("audience") or None
        out: list[Narrative] = []
        for page in batch:
            website = page.source_type == "website"
            items = _website_items(page) if website else [_social_item(page)]
            kept = [item for item in items if _is_offer(item)]
            for n, item in enumerate(kept, start=1):
                doc = parse_markdown(item.text)
                who = doc.section(_WHO)
                audience_text = f"{item.title}\n{who}" if who else f"{item.title}\n{item.text}"
                out.append(
                    Narrative(
                        id=f"{page.id}/{n}",
                        title=item.title,
                        audience=detect_audience(audience_text, allowed),
                        text=item.text,
                        page_ids=[page.id],
                        source_types=[page.source_type],
                    )
                )
        return out

    # pass 2 ------------------------------------------------------------------------------

    def dedupe(self, narratives: list[Narrative], *, org_name: str) -> list[Narrative]:
        """Merge narratives of one service; see the module docstring for the evidence used."""
        # A canonical order makes the result independent of how pages were batched.
        narratives = sorted(narratives, key=lambda n: _natural_key(n.id))
        if len(narratives) < 2:
            return narratives
        ids = [_service_ids(f"{n.title}\n{n.text}") for n in narratives]
        counts: dict[str, int] = {}
        for found in ids:
            for ident in found:
                counts[ident] = counts.get(ident, 0) + 1
        common = {
            i for i, c in counts.items() if c >= 3 and c > _BOILERPLATE_SHARE * len(narratives)
        }
        ids = [found - common for found in ids]
        vectors = self.embedder.embed([f"{n.title}. {n.text}"[:2000] for n in narratives])
        similarity = np.asarray(vectors) @ np.asarray(vectors).T
        names = [_service_name(n.title) for n in narratives]
        candidates: list[tuple[int, float, int, int]] = []
        for i in range(len(narratives)):
            for j in range(i + 1, len(narratives)):
                a, b = narratives[i].audience, narratives[j].audience
                if a and b and a != b:
                    continue
                sim = float(similarity[i, j])
                if names[i] == names[j]:
                    strength = 3
                elif ids[i] & ids[j] and sim >= SHARED_ID_MERGE:
                    strength = 2
                elif sim >= EMBED_ONLY_MERGE and not (ids[i] and ids[j]):
                    strength = 1
                else:
                    continue
                candidates.append((-strength, -round(sim, 6), i, j))
        groups = _Groups([n.audience for n in narratives], ids)
        for _, _, i, j in sorted(candidates):
            groups.try_union(i, j)
        members: dict[int, list[int]] = {}
        for i in range(len(narratives)):
            members.setdefault(groups.find(i), []).append(i)
        return [_merge([narratives[i] for i in group]) for group in members.values()]

    # pass 3 ------------------------------------------------------------------------------

    def investigate(
        self, narrative: Narrative, pages: list[PageInput], *, org_name: str, tags: TagSet
    ) -> ExtractedPost:
        """Fill the post's fields from the narrative's lead wording first, then the rest."""
        cited_ids = {base_page_id(p) for p in narrative.page_ids}
        cited: list[PageInput] = []
        for page in pages:
            if page.page_id in cited_ids and all(c.url != page.url for c in cited):
                cited.append(page)
        cited.sort(key=lambda p: [base_page_id(x) for x in narrative.page_ids].index(p.page_id))
        lead = _lead_text(narrative.text)
        extra = narrative.text[len(lead) :]
        doc = parse_markdown(lead)
        description = _description(lead)
        summary = first_sentence(description) or narrative.title
        contact_section = doc.section(_CONTACT) or ""
        website_page = next((p.url for p in cited if p.source_type == "website"), None)
        contact = find_contact([contact_section, lead, extra], fallback_website=website_page)
        schedule = next(
            (s for t in (doc.section(_WHEN), lead, extra) if t and (s := parse_schedule(t))), []
        )
        location = next(
            (loc for t in (doc.section(_WHERE), lead, extra) if t and (loc := find_location(t))),
            None,
        ) or next((str(p.metadata["location"]) for p in cited if p.metadata.get("location")), None)
        allowed = tags.values("audience") or None
        audience = narrative.audience or detect_audience(
            f"{narrative.title}\n{doc.section(_WHO) or lead}", allowed
        )
        return ExtractedPost(
            key=post_key(narrative.title, audience),
            title=narrative.title,
            summary=summary,
            description=description,
            audience=audience,
            contact=contact,
            location=location,
            schedule=schedule,
            tags=detect_tags([narrative.title, summary, narrative.text], tags, audience=audience),
            source_urls=[p.url for p in cited],
            source_types=sorted({p.source_type for p in cited}, key=_source_rank),
        )


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
