"""The contract every extraction engine keeps, and the choice between them.

The workflow runs the passes itself, each as a checkpointed step, so an engine exposes the
three passes separately rather than one `extract()`; everything crossing the boundary is a
pydantic model. Two engines exist: `rules` (offline, deterministic, the default) and `llm`
(any OpenAI-compatible server, better on messy real-world pages).
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sift.directory.extraction.batching import DEFAULT_MAX_CHARS, batch_pages
from sift.directory.extraction.types import (
    ExtractedPost,
    ExtractionNotConfigured,
    Narrative,
    PageInput,
    TagSet,
)

if TYPE_CHECKING:
    from sift.config import Settings

MAX_PARALLEL_BATCHES = 4


@runtime_checkable
class ExtractionEngine(Protocol):
    """Three passes: narratives per batch, dedupe across all of them, investigate each.

    `name` and `prompt_version` key the pass-1 memo: change either and cached narratives
    stop being reused. `today` is the date past events and ended programs are judged
    against: the workflow leaves it out (the real date), an evaluation passes its case's.
    """

    name: str

    @property
    def prompt_version(self) -> str: ...

    def narratives(
        self, batch: list[PageInput], *, org_name: str, tags: TagSet, today: date | None = None
    ) -> list[Narrative]: ...

    def dedupe(self, narratives: list[Narrative], *, org_name: str) -> list[Narrative]: ...

    def investigate(
        self,
        narrative: Narrative,
        pages: list[PageInput],
        *,
        org_name: str,
        tags: TagSet,
        today: date | None = None,
    ) -> ExtractedPost: ...


def narratives_for_batches(
    engine: ExtractionEngine,
    batches: Sequence[list[PageInput]],
    *,
    org_name: str,
    tags: TagSet,
    max_workers: int = MAX_PARALLEL_BATCHES,
    today: date | None = None,
) -> list[list[Narrative]]:
    """Pass 1 over many batches, at most `max_workers` at a time, results in batch order.

    Each task runs in a copy of the caller's context so LLM usage still reaches the
    caller's `usage_scope()` (scopes are contextvars, which threads do not inherit).
    """
    if not batches:
        return []
    workers = max(1, min(max_workers, MAX_PARALLEL_BATCHES, len(batches)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sift-extract") as pool:
        futures = [
            pool.submit(
                contextvars.copy_context().run,
                engine.narratives,
                batch,
                org_name=org_name,
                tags=tags,
                today=today,
            )
            for batch in batches
        ]
        return [future.result() for future in futures]


def extract_posts(
    engine: ExtractionEngine,
    pages: Sequence[PageInput],
    *,
    org_name: str,
    tags: TagSet,
    max_chars: int = DEFAULT_MAX_CHARS,
    today: date | None = None,
) -> list[ExtractedPost]:
    """All three passes in one call, for callers that need no checkpoints (CLI, evals).

    The same pass functions the workflow's steps call (`narratives` per batch, then
    `merged_narratives`, then `investigated`), with the same hand-off between them: pass-1
    narratives cite pages by url and are renumbered and de-duplicated; what is measured is
    what ships.
    """
    pool = list(pages)
    batches = batch_pages(pool, max_chars)
    url_of = {p.id: p.url for batch in batches for p in batch}
    found = narratives_for_batches(engine, batches, org_name=org_name, tags=tags, today=today)
    handed = [n.handed_on(url_of) for batch in found for n in batch]
    narratives = merged_narratives(engine, handed, pool, org_name=org_name)
    return investigated(engine, narratives, pool, org_name=org_name, tags=tags, today=today)


def merged_narratives(
    engine: ExtractionEngine,
    found: Sequence[dict[str, Any]],
    pages: Sequence[PageInput],
    *,
    org_name: str,
) -> list[Narrative]:
    """Pass 2: this run's narratives (as pass 1 handed them on) numbered, then merged
    across pages when there are two or more."""
    narratives = unique_narratives(found, pages)
    return engine.dedupe(narratives, org_name=org_name) if len(narratives) > 1 else narratives


def investigated(
    engine: ExtractionEngine,
    narratives: Sequence[Narrative],
    pages: Sequence[PageInput],
    *,
    org_name: str,
    tags: TagSet,
    today: date | None = None,
) -> list[ExtractedPost]:
    """Pass 3: each narrative read again from the pages it cites, as a post."""
    by_id = {p.id: p for p in pages}
    return [
        engine.investigate(
            n,
            [by_id[i] for i in n.page_ids if i in by_id],
            org_name=org_name,
            tags=tags,
            today=today,
        )
        for n in narratives
    ]


def unique_narratives(
    found: Sequence[dict[str, Any]], pages: Sequence[PageInput]
) -> list[Narrative]:
    """Number the narratives of this run, cite pages by this run's ids and name the kinds
    of source they came from (engines prefer website wording); exact copies (one narrative
    remembered under two pages) are kept once."""
    by_url = {p.url: p for p in pages}
    seen: set[tuple[str, str, str, bool]] = set()
    narratives: list[Narrative] = []
    for item in found:
        key = (item["title"], item.get("audience") or "", item["text"], item.get("named", True))
        if key in seen:
            continue
        seen.add(key)
        cited = [by_url[u] for u in item.get("page_urls", []) if u in by_url]
        narratives.append(
            Narrative(
                id=f"n{len(narratives) + 1}",
                title=item["title"],
                audience=item.get("audience"),
                text=item["text"],
                page_ids=[p.id for p in cited],
                source_types=sorted({p.source_type for p in cited}),
                named=item.get("named", True),
            )
        )
    return narratives


def build_engine(settings: Settings) -> ExtractionEngine:
    """The engine `SIFT_EXTRACTION_ENGINE` names: `rules` (default) or `llm`."""
    if settings.extraction_engine == "llm":
        if not settings.llm_configured:
            raise ExtractionNotConfigured(
                "SIFT_EXTRACTION_ENGINE=llm needs an LLM: set SIFT_LLM_BASE_URL and/or "
                "SIFT_LLM_API_KEY, or use SIFT_EXTRACTION_ENGINE=rules"
            )
        from sift.ai.llm import get_llm
        from sift.directory.extraction.llm import LLMEngine

        return LLMEngine(get_llm(), settings=settings)
    from sift.directory.extraction.rules import RuleEngine

    return RuleEngine()
