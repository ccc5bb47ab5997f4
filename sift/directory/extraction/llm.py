"""The LLM engine: the three passes as structured-output calls to an OpenAI-compatible model.

Nothing the model says is applied unchecked. Every id it returns (page ids in pass 1,
narrative ids in pass 2) must be one it was given, a merge must not join two audiences,
and tags and audiences must be allowed values. An answer that fails a check, or is not
valid JSON for the schema, gets exactly one retry with a message naming the problem; a
second failure raises `ExtractionOutputInvalid` and nothing from that call is used. The
transport's own retries (429, 5xx, timeouts) happen underneath, in `LLMClient`.

Pass 2 sees all narratives at once when they fit one call (the point of pooling an
organisation's sources); past `MAX_DEDUPE_BATCH` they are clustered by embedding
similarity into groups of likely duplicates, so an organisation with a thousand pages
still works. Duplicates split across two groups are then missed, never wrongly merged.

Pass 3 fills contact, schedule, location, audience and tags from the pages the narrative
cites, and when contact or schedule is still missing fetches the cited web pages again (a
crawl can be old, or a page may have been cut into parts) and asks once more.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from pydantic import BaseModel

from sift.ai.llm import LLMOutputInvalid
from sift.directory.extraction import prompts
from sift.directory.extraction.types import (
    Contact,
    ExtractedPost,
    ExtractionOutputInvalid,
    Narrative,
    PageInput,
    ScheduleEntry,
    TagSet,
    base_page_id,
    post_key,
)
from sift.directory.ingest.pages import SOCIAL_PLATFORMS, RawPage
from sift.errors import SiftError

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder
    from sift.ai.llm import LLMClient
    from sift.config import Settings

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
Fetcher = Callable[[Sequence[str]], list[RawPage]]

MAX_DEDUPE_BATCH = 60  # narratives per pass-2 call; beyond it they are clustered first
INVESTIGATE_MAX_CHARS = 60_000  # source text sent with one narrative in pass 3
MAX_REFETCH = 3  # cited pages fetched again when pass 3 lacks contact or schedule
_NEIGHBOURS = 10  # nearest neighbours per narrative considered when clustering
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


# model replies ---------------------------------------------------------------------------


class NarrativeDraft(BaseModel):
    title: str
    audience: str | None
    text: str
    page_ids: list[str]


class NarrativesReply(BaseModel):
    narratives: list[NarrativeDraft]


class MergedGroup(BaseModel):
    narrative_ids: list[str]
    title: str
    audience: str | None
    text: str


class DedupeReply(BaseModel):
    groups: list[MergedGroup]


class InvestigationReply(BaseModel):
    title: str
    summary: str
    description: str
    audience: str | None
    contact: Contact
    location: str | None
    schedule: list[ScheduleEntry]
    tags: list[str]


# clustering for large pass-2 inputs --------------------------------------------------------


def similarity_groups(vectors: np.ndarray, limit: int) -> list[list[int]]:
    """Indices grouped so that likely duplicates share a group of at most `limit`.

    Single-linkage over each item's nearest neighbours, most similar pairs first, never
    letting a cluster grow past `limit` (Kruskal with a size cap); clusters are then packed
    into as few groups as fit, first-fit by decreasing size. Deterministic for fixed input.
    """
    n = len(vectors)
    if n <= limit:
        return [list(range(n))] if n else []
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    k = min(_NEIGHBOURS, n - 1)
    neighbours = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    edges = sorted(
        {(-float(sims[i, j]), min(i, j), max(i, j)) for i in range(n) for j in neighbours[i]}
    )
    parent = list(range(n))
    size = [1] * n

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in edges:
        a, b = find(i), find(j)
        if a != b and size[a] + size[b] <= limit:
            a, b = min(a, b), max(a, b)
            parent[b] = a
            size[a] += size[b]
    clusters: dict[int, list[int]] = {}
    for i in range(n):
        clusters.setdefault(find(i), []).append(i)
    bins: list[list[int]] = []
    for cluster in sorted(clusters.values(), key=lambda c: (-len(c), c[0])):
        target = next((b for b in bins if len(b) + len(cluster) <= limit), None)
        if target is None:
            bins.append(list(cluster))
        else:
            target.extend(cluster)
    return [sorted(b) for b in sorted(bins, key=min)]


# the engine ------------------------------------------------------------------------------


class LLMEngine:
    """Extraction by a chat model (the small one by default) behind `LLMClient`."""

    name = "llm"
    prompt_version = prompts.PROMPT_VERSION

    def __init__(
        self,
        client: LLMClient,
        *,
        model: str = "small",
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.client = client
        self.model = model
        self._settings = settings
        self._embedder = embedder
        self._fetcher = fetcher

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from sift.ai.embeddings import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    def fetch(self, urls: Sequence[str]) -> list[RawPage]:
        """Fetch pages again (through the crawl guard), or through the injected fetcher."""
        if self._fetcher is not None:
            return self._fetcher(urls)
        from sift.directory.ingest.website import fetch_pages, run_blocking

        options: dict[str, Any] = {}
        if self._settings is not None:
            options = {
                "timeout_s": self._settings.crawl_timeout_s,
                "max_bytes": self._settings.crawl_max_bytes,
                "allow_hosts": tuple(self._settings.crawl_allow_private_hosts),
            }
        results = run_blocking(fetch_pages(urls, **options))
        return [page for result in results for page in result.pages]

    # the one place a model answer is accepted or refused -----------------------------------

    def _ask(
        self,
        step: str,
        prompt: str,
        system: str,
        schema: type[T],
        check: Callable[[T], list[str]],
    ) -> T:
        """A checked structured answer: one corrective retry, then `ExtractionOutputInvalid`."""
        messages: list[dict[str, str]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": prompt},
        ]
        problem = ""
        for attempt in (1, 2):
            try:
                reply = self.client.structured(messages, schema, model=self.model)
            except LLMOutputInvalid as error:
                problem = str(error)
                answer = None
            else:
                problems = check(reply)
                if not problems:
                    return reply
                problem = "; ".join(problems)
                answer = reply.model_dump_json()
            if attempt == 1:
                log.warning("extraction %s: invalid model output, retrying: %s", step, problem)
                if answer is not None:
                    messages.append({"role": "assistant", "content": answer})
                messages.append({"role": "user", "content": prompts.correction_prompt(problem)})
        raise ExtractionOutputInvalid(
            f"extraction {step}: the model's answer was unusable twice ({problem}); nothing "
            "was applied. Run the extraction again, or set SIFT_LLM_MODEL_SMALL to a "
            "stronger model"
        )

    # pass 1 ------------------------------------------------------------------------------

    def narratives(
        self, batch: list[PageInput], *, org_name: str, tags: TagSet, today: date | None = None
    ) -> list[Narrative]:
        """One call per batch; narratives get ids `"{first page id}/{n}"`."""
        if not batch:
            return []
        known = {page.id: page for page in batch}

        def check(reply: NarrativesReply) -> list[str]:
            unknown = sorted(
                {pid for d in reply.narratives for pid in d.page_ids if pid not in known}
            )
            problems = [f"unknown page ids {', '.join(unknown)}"] if unknown else []
            if any(not d.page_ids for d in reply.narratives):
                problems.append("a narrative cites no page id")
            return problems

        reply = self._ask(
            "pass 1 (narratives)",
            prompts.narratives_prompt(
                batch, org_name=org_name, tags=tags, today=today or date.today()
            ),
            prompts.NARRATIVES_SYSTEM,
            NarrativesReply,
            check,
        )
        return [
            Narrative(
                id=f"{batch[0].id}/{n}",
                title=draft.title.strip(),
                audience=_allowed_audience(draft.audience, tags),
                text=draft.text.strip(),
                page_ids=list(dict.fromkeys(draft.page_ids)),
                source_types=_source_types(known[p] for p in draft.page_ids),
            )
            for n, draft in enumerate(reply.narratives, start=1)
            if draft.title.strip() and draft.text.strip()
        ]

    # pass 2 ------------------------------------------------------------------------------

    def dedupe(self, narratives: list[Narrative], *, org_name: str) -> list[Narrative]:
        """Merge narratives of one service, in one call or per similarity group."""
        if len(narratives) < 2:
            return list(narratives)
        if len(narratives) <= MAX_DEDUPE_BATCH:
            groups = [list(range(len(narratives)))]
        else:
            texts = [f"{n.title}. {n.text}"[:2000] for n in narratives]
            groups = similarity_groups(self.embedder.embed(texts), MAX_DEDUPE_BATCH)
        merged: list[tuple[int, Narrative]] = []
        for group in groups:
            members = [narratives[i] for i in group]
            position = {n.id: i for i, n in zip(group, members, strict=True)}
            for narrative in self._dedupe_group(members, org_name=org_name):
                merged.append((position[narrative.id], narrative))
        return [narrative for _, narrative in sorted(merged, key=lambda item: item[0])]

    def _dedupe_group(self, narratives: list[Narrative], *, org_name: str) -> list[Narrative]:
        by_id = {n.id: n for n in narratives}

        def check(reply: DedupeReply) -> list[str]:
            problems: list[str] = []
            cited = [nid for g in reply.groups for nid in g.narrative_ids]
            unknown = sorted({nid for nid in cited if nid not in by_id})
            if unknown:
                problems.append(f"unknown narrative ids {', '.join(unknown)}")
            twice = sorted({nid for nid in cited if cited.count(nid) > 1})
            if twice:
                problems.append(f"narrative ids in more than one group: {', '.join(twice)}")
            for group in reply.groups:
                audiences = {by_id[i].audience for i in group.narrative_ids if i in by_id}
                audiences.discard(None)
                if len(audiences) > 1:
                    problems.append(
                        f"group {', '.join(group.narrative_ids)} merges different audiences "
                        f"({', '.join(sorted(a for a in audiences if a))})"
                    )
            return problems

        reply = self._ask(
            "pass 2 (dedupe)",
            prompts.dedupe_prompt(narratives, org_name=org_name),
            prompts.DEDUPE_SYSTEM,
            DedupeReply,
            check,
        )
        replaced: dict[str, Narrative] = {}
        absorbed: set[str] = set()
        for group in reply.groups:
            members = [n for n in narratives if n.id in set(group.narrative_ids)]
            if not members:
                continue
            lead = members[0]
            audience = group.audience or next((m.audience for m in members if m.audience), None)
            replaced[lead.id] = Narrative(
                id=lead.id,
                title=group.title.strip() or lead.title,
                audience=audience,
                text=group.text.strip() or lead.text,
                page_ids=list(dict.fromkeys(p for m in members for p in m.page_ids)),
                source_types=_ordered_types(t for m in members for t in m.source_types),
            )
            absorbed.update(m.id for m in members[1:])
        return [replaced.get(n.id, n) for n in narratives if n.id not in absorbed]

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
        """A post from the cited pages; a second look at the live pages if details lack."""
        cited = _cited(narrative, pages)
        reply = self._ask(
            "pass 3 (investigate)",
            prompts.investigate_prompt(
                narrative, cited, org_name=org_name, tags=tags, max_chars=INVESTIGATE_MAX_CHARS
            ),
            prompts.INVESTIGATE_SYSTEM,
            InvestigationReply,
            _check_investigation,
        )
        missing = _missing(reply)
        if missing:
            reply = self._refetch(narrative, cited, reply, missing, org_name=org_name, tags=tags)
        return _post(narrative, reply, cited, tags)

    def _refetch(
        self,
        narrative: Narrative,
        cited: list[PageInput],
        first: InvestigationReply,
        missing: list[str],
        *,
        org_name: str,
        tags: TagSet,
    ) -> InvestigationReply:
        urls = [p.url for p in cited if p.source_type not in SOCIAL_PLATFORMS][:MAX_REFETCH]
        urls = list(dict.fromkeys(urls))
        if not urls:
            return first
        try:
            fresh = self.fetch(urls)
        except SiftError as error:
            log.warning("extraction pass 3: could not fetch %s: %s", ", ".join(urls), error)
            return first
        if not fresh:
            return first
        live = [PageInput.from_raw(page, f"live{n}") for n, page in enumerate(fresh, start=1)]
        half = INVESTIGATE_MAX_CHARS // 2
        prompt = prompts.investigate_prompt(
            narrative, cited, org_name=org_name, tags=tags, max_chars=half
        )
        follow_up = prompts.follow_up_prompt(missing, live, max_chars=half)
        try:
            second = self._ask(
                "pass 3 (investigate, fetched pages)",
                f"{prompt}\n\n{follow_up}",
                prompts.INVESTIGATE_SYSTEM,
                InvestigationReply,
                _check_investigation,
            )
        except ExtractionOutputInvalid as error:  # the second look is a bonus, not a must
            log.warning("%s", error)
            return first
        return _fill_missing(first, second)


# helpers -----------------------------------------------------------------------------------


def _source_types(pages: Any) -> list[str]:
    return _ordered_types(page.source_type for page in pages)


def _ordered_types(types: Any) -> list[str]:
    return sorted(set(types), key=lambda t: (t != "website", t))


def _allowed_audience(audience: str | None, tags: TagSet) -> str | None:
    if not audience:
        return None
    value = audience.strip().lower()
    allowed = tags.values("audience")
    if value in ("any", "all", "everyone", "null", "none"):
        return None
    return value if not allowed or value in allowed else None


def _cited(narrative: Narrative, pages: Sequence[PageInput]) -> list[PageInput]:
    """The pooled pages (or their parts) a narrative cites, in citation order."""
    wanted = list(dict.fromkeys(base_page_id(p) for p in narrative.page_ids))
    found = [p for p in pages if p.page_id in wanted]
    return sorted(found, key=lambda p: (wanted.index(p.page_id), p.id))


def _check_investigation(reply: InvestigationReply) -> list[str]:
    return [] if reply.title.strip() else ["the title is empty"]


def _missing(reply: InvestigationReply) -> list[str]:
    missing = []
    if not (reply.contact.phone or reply.contact.email):
        missing.append("contact (phone or email)")
    if not reply.schedule:
        missing.append("schedule")
    return missing


def _fill_missing(first: InvestigationReply, second: InvestigationReply) -> InvestigationReply:
    """The first answer, with only its empty fields taken from the second."""
    contact = first.contact.model_copy(
        update={
            field: getattr(second.contact, field)
            for field in Contact.model_fields
            if not getattr(first.contact, field) and getattr(second.contact, field)
        }
    )
    return first.model_copy(
        update={
            "contact": contact,
            "schedule": first.schedule or second.schedule,
            "location": first.location or second.location,
            "audience": first.audience or second.audience,
            "tags": first.tags or second.tags,
        }
    )


def _clean_schedule(entries: Sequence[ScheduleEntry]) -> list[ScheduleEntry]:
    """Times that are not `HH:MM`, weeks outside 1-5 / -1 and dates that are not ISO days
    are dropped rather than guessed at."""
    out = []
    for entry in entries:
        days = [d.strip().capitalize() for d in entry.days if d.strip()]
        if not (days or entry.start or entry.note or entry.by_appointment):
            continue
        weeks = [w for w in entry.weeks_of_month or [] if w in (1, 2, 3, 4, 5, -1)]
        out.append(
            ScheduleEntry(
                days=days,
                start=entry.start if entry.start and _HHMM.match(entry.start) else None,
                end=entry.end if entry.end and _HHMM.match(entry.end) else None,
                note=entry.note,
                weeks_of_month=weeks or None,
                by_appointment=entry.by_appointment or None,
                valid_from=_iso_day(entry.valid_from),
                valid_to=_iso_day(entry.valid_to),
            )
        )
    return out


def _iso_day(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value and len(value) == 10 else None
    except ValueError:
        return None


def _post(
    narrative: Narrative, reply: InvestigationReply, cited: list[PageInput], tags: TagSet
) -> ExtractedPost:
    audience = _allowed_audience(reply.audience, tags) or narrative.audience
    title = reply.title.strip()
    tag_list = [*reply.tags, *([f"audience:{audience}"] if audience else [])]
    return ExtractedPost(
        key=post_key(title, audience),
        title=title,
        summary=reply.summary.strip(),
        description=reply.description.strip() or narrative.text,
        audience=audience,
        contact=reply.contact,
        location=reply.location,
        schedule=_clean_schedule(reply.schedule),
        tags=tags.keep_allowed(tag_list),
        source_urls=list(dict.fromkeys(p.url for p in cited)),
        source_types=_source_types(cited),
    )
