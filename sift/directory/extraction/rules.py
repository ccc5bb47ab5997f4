"""The offline rule engine: deterministic extraction with no network and no LLM.

This is the lower-quality engine. It exists so Sift works out of the box (the demo, tests,
air-gapped installs) and as a baseline the LLM engine must beat; it reads well-structured
sites and short social posts, and misses whatever is said in ways its patterns do not know.

Pass 1 (`reading`) cuts each page into sections and the entries inside them and keeps
the items that offer something to attend, join, use or give to today, as judged by the
offer model fitted on the shared extraction sets (`offer_model`).

Pass 2 groups items that describe the same service with the clean-up's own judgement
(`same_service`): different role, audience, days, times, place or edition never merge,
the organisation's shared contacts are no evidence, and groups need every pair judged a
duplicate (no chaining). Two differently named items of one page stay apart: the page's
layout already listed them as two things (paragraphs that only tell of something may
still merge). A group's narrative leads with its website
wording; social posts add their details after it.

Pass 3 reads contact, schedule, location, audience and tags with the parsers in
`extraction.text`, from the facet sections of the lead wording first, then the rest.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sift.directory.cleanup.service import complete_linkage_groups
from sift.directory.extraction.addresses import find_location
from sift.directory.extraction.layout import (
    split_footer,
)
from sift.directory.extraction.offer_model import OfferModel, shipped_model
from sift.directory.extraction.reading import WHO, description_of, page_narratives
from sift.directory.extraction.seasons import with_season
from sift.directory.extraction.text import (
    detect_audience,
    detect_tags,
    find_contact,
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
from sift.directory.same_service import judge_post_pairs

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

PROMPT_VERSION = "rules-4"

CAPTION_TO_SITE_MERGE = 0.58
"""A social caption as near as this to a website item it does not clash with is that item
announced again ("FOOD PANTRY THIS FRIDAY" and the site's "Food Pantry")."""


def _service_name(title: str) -> str:
    return post_key(title, None).split("|", 1)[0]


def _lead_text(text: str) -> str:
    """A merged narrative's own wording, without the details added from other sources."""
    return _ALSO_SPLIT.split(text, maxsplit=1)[0]


_WHEN = re.compile(r"^(?:when|hours|schedule|times?)\b", re.IGNORECASE)
_WHERE = re.compile(r"^(?:where|location|address)\b", re.IGNORECASE)
_CONTACT = re.compile(r"^(?:contact|how to)\b", re.IGNORECASE)
_ALSO = "\n\nAlso mentioned on {source}:\n"
_ALSO_SPLIT = re.compile(r"\n\nAlso mentioned on [\w -]+:\n")


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
        model = (self._offer_model or shipped_model()).digest
        return f"{PROMPT_VERSION}+{model}@{self._clock().isoformat()}"

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
        return page_narratives(
            batch,
            self.offer_embedder,
            self._offer_model or shipped_model(),
            org_name=org_name,
            allowed_audiences=tags.values("audience") or None,
            today=today or self._clock(),
        )

    # pass 2 ------------------------------------------------------------------------------

    def dedupe(self, narratives: list[Narrative], *, org_name: str) -> list[Narrative]:
        """Merge narratives of one service by the clean-up's judgement (`same_service`).

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
        own = _Reading.of(
            narrative, region=region, today=today or self._clock(), website=website_page
        )
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
    def of(
        cls,
        narrative: Narrative,
        *,
        region: str,
        today: date | None = None,
        website: str | None = None,
    ) -> _Reading:
        """`today` reads a season written without a year (pass 2's duplicate judgement
        needs no seasons and passes none)."""
        lead = _lead_text(narrative.text)
        extra = narrative.text[len(lead) :]
        doc = parse_markdown(lead)
        description = description_of(lead)
        contact = find_contact(
            [doc.section(_CONTACT) or "", lead, extra], fallback_website=website, region=region
        )
        schedule = next(
            (s for t in (doc.section(_WHEN), lead, extra) if t and (s := parse_schedule(t))), []
        )
        if today is not None:
            schedule = with_season(schedule, narrative.text, today)
        location = next(
            (loc for t in (doc.section(_WHERE), lead, extra) if t and (loc := find_location(t))),
            None,
        )
        return cls(
            title=narrative.title,
            summary=first_sentence(description) or narrative.title,
            description=description,
            who=f"{narrative.title}\n{doc.section(WHO) or lead}",
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
            "schedule": [entry.model_dump(exclude_none=True) for entry in self.schedule],
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
