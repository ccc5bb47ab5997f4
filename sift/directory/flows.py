"""Durable workflows of the directory domain.

Each reads like the plan in DESIGN.md: every side effect is a named DBOS step, so a crash
resumes after the last finished one, and progress text is published for the admin.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from dbos import DBOS
from pydantic import BaseModel

from sift import db, workflows
from sift.ai.embeddings import get_embedder
from sift.ai.llm import get_llm, usage_scope
from sift.config import get_settings
from sift.db import utcnow
from sift.directory import cleanup, search, service, sync
from sift.directory.extraction import (
    ExtractedPost,
    ExtractionEngine,
    Narrative,
    PageInput,
    TagSet,
    batch_pages,
    build_engine,
    investigated,
    merged_narratives,
)
from sift.directory.ingest import DiscoverConfig, build_ingestor, fetch_looks_truncated
from sift.directory.ingest.pages import RawPage
from sift.directory.ingest.website import CrawlProgress, WebsiteIngestor
from sift.directory.matching import DuplicateMatcher
from sift.directory.models import (
    BatchKind,
    Organization,
    Post,
    PostStatus,
    SourceStatus,
    SourceType,
)
from sift.directory.pipeline import (
    add_gap_notes,
    fresh_post,
    memoised_narratives,
    remember_narratives,
    tag_set,
)
from sift.errors import SiftError

log = logging.getLogger(__name__)

# --- crawl a source -----------------------------------------------------------------------


@dataclass
class CrawlTarget:
    source_id: str
    label: str
    source_type: str
    site_url: str
    root_url: str
    handle: str | None


@dataclass
class CrawlOutcome:
    """What one crawl did, as shown to the admin and returned by the workflow."""

    source: str
    status: str = "completed"
    pages_fetched: int = 0
    pages_stored: int = 0
    pages_unchanged: int = 0
    pages_skipped: int = 0
    pages_failed: int = 0
    pages_removed: int = 0
    error: str | None = None
    warning: str | None = None
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def crawl_key(source_id: str | uuid.UUID) -> str:
    return f"crawl:{source_id}"


def start_crawl(source_id: str | uuid.UUID) -> str:
    """Queue a crawl of one source unless one is already queued or running for it."""
    return workflows.start_once(crawl_source, crawl_key(source_id), str(source_id))


def crawl_history(source_ids: list[str], *, per_source: int = 12) -> dict[str, list[Any]]:
    """The latest crawls of each source, oldest first, as `workflows.RunInfo`."""
    history: dict[str, list[Any]] = {source_id: [] for source_id in source_ids}
    for args, run in workflows.recent_runs_of(crawl_source.__qualname__):
        runs = history.get(str(args[0])) if args else None
        if runs is not None and len(runs) < per_source:
            runs.insert(0, run)
    return history


@DBOS.step()
def load_crawl_target(source_id: str) -> dict[str, Any]:
    with db.session_scope() as session:
        source = service.get_source_or_raise(session, ref=source_id)
        target = CrawlTarget(
            source_id=str(source.id),
            label=service.source_label(source),
            source_type=source.source_type.value,
            site_url=service.source_site_url(source),
            root_url=source.url or service.source_site_url(source),
            handle=source.social.handle if source.social else None,
        )
    return asdict(target)


def _fetch(target: CrawlTarget) -> tuple[list[RawPage], CrawlOutcome, list[str] | None]:
    """The pages fetched, the outcome so far, and the cached pages the source no longer
    has: the URLs a website answered 404/410 for, or None for a social account, whose
    fetch is its whole recent window (so every other cached post of it has left)."""
    settings = get_settings()
    outcome = CrawlOutcome(source=target.label)
    gone: list[str] | None = None
    if target.source_type == SourceType.website.value:

        def report(progress: CrawlProgress) -> None:
            workflows.publish_progress(
                f"Fetched {progress.fetched}/{progress.limit} pages of {target.label}…"
            )

        result = WebsiteIngestor(settings).crawl(target.root_url, on_progress=report)
        outcome.pages_fetched = result.fetched
        outcome.pages_skipped = (
            result.skipped_non_html
            + result.skipped_robots
            + result.skipped_too_large
            + result.skipped_off_site
            + result.refused
        )
        outcome.pages_failed = result.failed
        outcome.errors = result.errors[:20]
        pages, gone = result.pages, result.gone
    else:
        workflows.publish_progress(f"Fetching recent posts of {target.label}…")
        ingestor = build_ingestor(target.source_type, settings)
        pages = ingestor.discover(DiscoverConfig(site_url=target.site_url, handle=target.handle))
        outcome.pages_fetched = len(pages)
    for page in pages:  # stored under the source's key, whatever URL the crawl started at
        page.site_url = target.site_url
    return pages, outcome, gone


@DBOS.step()
def fetch_and_store(target_data: dict[str, Any]) -> dict[str, Any]:
    """Fetch the source and store its pages; failures are recorded, not raised, so the
    workflow can note them on the source and report them."""
    target = CrawlTarget(**target_data)
    try:
        pages, outcome, gone = _fetch(target)
    except SiftError as error:
        return CrawlOutcome(source=target.label, status="failed", error=str(error)).as_dict()
    workflows.publish_progress(f"Storing {len(pages)} pages of {target.label}…")
    with db.session_scope() as session:
        cached = service.page_count(session, site_url=target.site_url) if gone is None else 0
        stored = service.store_pages(session, pages=pages)
        if fetch_looks_truncated(len(pages), cached):
            outcome.warning = (
                f"the fetch returned {len(pages)} posts where {cached} were cached; the cached "
                "posts are kept (is the profile private, renamed, or the scraper blocked?)"
            )
        else:
            outcome.pages_removed = service.drop_pages(
                session,
                site_url=target.site_url,
                gone=gone or [],
                keep_only=[p.url for p in pages] if gone is None else None,
            )
    outcome.pages_stored, outcome.pages_unchanged = stored.stored, stored.unchanged
    if pages == [] and outcome.pages_failed:
        outcome.status, outcome.error = "failed", "; ".join(outcome.errors[:3]) or "no page"
    return outcome.as_dict()


@DBOS.step()
def record_scrape_outcome(source_id: str, error: str | None, warning: str | None = None) -> None:
    with db.session_scope() as session:
        service.record_scrape(session, source_id=uuid.UUID(source_id), error=error, warning=warning)


@DBOS.workflow()
def crawl_source(source_id: str) -> dict[str, Any]:
    workflows.publish_progress("Loading the source…")
    target = load_crawl_target(source_id)
    workflows.publish_progress(f"Crawling {target['label']}…")
    outcome = fetch_and_store(target)
    failed = outcome["status"] == "failed"
    record_scrape_outcome(source_id, outcome["error"] if failed else None, outcome["warning"])
    workflows.publish_progress(
        f"Failed: {outcome['error']}"
        if failed
        else f"Stored {outcome['pages_stored']} pages, {outcome['pages_unchanged']} unchanged"
        + (f" — warning: {outcome['warning']}" if outcome["warning"] else "")
    )
    return outcome


@DBOS.workflow()
def crawl_due_sources(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The crawl tick: queue a crawl of every approved active source that is due —
    websites and social profiles alike."""
    due = list_due_source_ids()
    for source_id in due:
        start_crawl(source_id)
    return len(due)


@DBOS.step()
def list_due_source_ids() -> list[str]:
    with db.session_scope() as session:
        return [str(s.id) for s in service.sources_due(session)]


# --- extract an organization's posts ------------------------------------------------------

PASS3_CHUNK = 10
"""Narratives investigated per checkpointed step: a restart repeats at most one chunk."""


def extract_key(org_id: str | uuid.UUID) -> str:
    return f"extract:{org_id}"


def start_extraction(org_id: str | uuid.UUID) -> str:
    """Queue an extraction of one organization unless one is already queued or running."""
    return workflows.start_once(extract_org_posts, extract_key(org_id), str(org_id))


@dataclass
class ExtractResult:
    status: str
    organization: str = ""
    sources_included: int = 0
    pages_pooled: int = 0
    posts_extracted: int = 0
    proposals_staged: int = 0
    batch_id: str | None = None
    tokens_used: int = 0
    llm_calls: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@DBOS.step()
def load_org_sources(org_id: str) -> dict[str, Any]:
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        sources = [
            {
                "id": str(s.id),
                "site_url": service.source_site_url(s),
                "type": s.source_type.value,
            }
            for s in service.list_sources(session, organization=org)
            if s.status is SourceStatus.approved and s.active
        ]
        return {"id": str(org.id), "name": org.name, "sources": sources}


@DBOS.step()
def pool_pages(org: dict[str, Any]) -> dict[str, Any]:
    """Every cached page of the org's sources, with a fingerprint of their content hashes
    (and of the engine reading them) so an unchanged pool can end the run before any model
    call."""
    type_of = {s["site_url"]: s["type"] for s in org["sources"]}
    source_of = {s["site_url"]: s["id"] for s in org["sources"]}
    with db.session_scope() as session:
        rows = service.pages_for_sites(session, site_urls=type_of)
        previous = session.get(Organization, uuid.UUID(org["id"]))
        fingerprint_before = previous.extraction_fingerprint if previous else None
    pages = [
        PageInput(
            id=f"p{i + 1}",
            url=row.url,
            title=row.title,
            content=row.content,
            content_hash=row.content_hash,
            source_type=type_of[row.site_url],
            metadata={**row.page_metadata, "source_id": source_of[row.site_url]},
        ).model_dump(mode="json")
        for i, row in enumerate(rows)
    ]
    engine = _engine()  # another engine or prompt reads the same pages differently
    digest = hashlib.sha256(f"{engine.name}\0{engine.prompt_version}\n".encode())
    for page in pages:
        digest.update(f"{page['url']}\0{page['content_hash']}\n".encode())
    return {
        "pages": pages,
        "fingerprint": digest.hexdigest(),
        "unchanged": fingerprint_before == digest.hexdigest(),
    }


@DBOS.step()
def build_tag_set() -> dict[str, Any]:
    with db.session_scope() as session:
        return tag_set(session).model_dump(mode="json")


def _engine() -> ExtractionEngine:
    return build_engine(get_settings())


@DBOS.step()
def run_pass1(batch: list[dict[str, Any]], org_name: str, tags: dict[str, Any]) -> dict[str, Any]:
    """Pass 1 on one batch. Pages seen before (same content hash, same prompt version)
    reuse their memoised narratives; only the others reach the engine."""
    engine = _engine()
    pages = [PageInput.model_validate(p) for p in batch]
    url_of = {p.id: p.url for p in pages}
    with db.session_scope() as session:
        memo = memoised_narratives(session, engine=engine, pages=pages)
    todo = [p for p in pages if p.content_hash not in memo]
    with usage_scope() as meter:
        fresh = (
            engine.narratives(todo, org_name=org_name, tags=TagSet.model_validate(tags))
            if todo
            else []
        )
    with db.session_scope() as session:
        remember_narratives(session, engine=engine, pages=todo, narratives=fresh)
    found = [n.handed_on(url_of) for n in fresh]
    for page in pages:
        found.extend(memo.get(page.content_hash, []))
    return {"narratives": found, "tokens": meter.usage.total_tokens, "calls": meter.usage.calls}


@DBOS.step()
def run_pass2(
    found: list[dict[str, Any]], pages: list[dict[str, Any]], org_name: str
) -> dict[str, Any]:
    page_inputs = [PageInput.model_validate(p) for p in pages]
    with usage_scope() as meter:
        merged = merged_narratives(_engine(), found, page_inputs, org_name=org_name)
    return {
        "narratives": [n.model_dump(mode="json") for n in merged],
        "tokens": meter.usage.total_tokens,
        "calls": meter.usage.calls,
    }


@DBOS.step()
def run_pass3(
    narratives: list[dict[str, Any]],
    pages: list[dict[str, Any]],
    org_name: str,
    tags: dict[str, Any],
) -> dict[str, Any]:
    with usage_scope() as meter:
        posts = investigated(
            _engine(),
            [Narrative.model_validate(data) for data in narratives],
            [PageInput.model_validate(p) for p in pages],
            org_name=org_name,
            tags=TagSet.model_validate(tags),
        )
    return {
        "posts": [post.model_dump(mode="json") for post in posts],
        "tokens": meter.usage.total_tokens,
        "calls": meter.usage.calls,
    }


@DBOS.step()
def stage_proposals(
    org_id: str, posts: list[dict[str, Any]], pages: list[dict[str, Any]]
) -> dict[str, Any]:
    source_of = {p["url"]: p["metadata"]["source_id"] for p in pages}
    fresh = [fresh_post(ExtractedPost.model_validate(p), source_of) for p in posts]
    with db.session_scope() as session:
        result = sync.stage_extraction(
            session,
            organization_id=uuid.UUID(org_id),
            fresh=fresh,
            matcher=DuplicateMatcher(),
            workflow_id=DBOS.workflow_id,
        )
    return {
        "batch_id": result.batch_id,
        "proposals": result.proposals,
        "summary": sync.describe(result),
    }


@DBOS.step()
def finish_extraction(org_id: str, fingerprint: str) -> None:
    with db.session_scope() as session:
        org = session.get(Organization, uuid.UUID(org_id))
        if org is not None:
            org.last_extracted_at = utcnow()
            org.extraction_fingerprint = fingerprint


@DBOS.step()
def write_notes(org_id: str, posts: list[dict[str, Any]]) -> int:
    """Best effort: tell the admin which posts lack a way to get in touch or a schedule."""
    with db.session_scope() as session:
        return add_gap_notes(
            session,
            organization_id=uuid.UUID(org_id),
            posts=[ExtractedPost.model_validate(p) for p in posts],
        )


@DBOS.workflow()
def extract_org_posts(org_id: str) -> dict[str, Any]:
    """Pool → pass 1 → pass 2 → pass 3 → sync → mark extracted → notes. A user-facing
    failure (no such org, a model that keeps answering nonsense) ends the run as `failed`
    with its reason; nothing is applied either way."""
    result = ExtractResult(status="running")
    try:
        return _extract(org_id, result)
    except SiftError as error:
        result.status, result.error = "failed", str(error)
        workflows.publish_progress(f"Failed: {error}")
        return result.as_dict()


def _extract(org_id: str, result: ExtractResult) -> dict[str, Any]:
    workflows.publish_progress("Gathering sources…")
    org = load_org_sources(org_id)
    result.status, result.organization = "no_sources", org["name"]
    if not org["sources"]:
        return result.as_dict()
    result.sources_included = len(org["sources"])
    workflows.publish_progress(f"Pooling content from {len(org['sources'])} sources…")
    pool = pool_pages(org)
    pages = pool["pages"]
    result.pages_pooled = len(pages)
    if not pages or pool["unchanged"]:
        # Nothing to extract from the pool as crawled so far: the org is up to date, and is
        # due again only after a later crawl (else the tick would pick it every time).
        result.status = "unchanged" if pages else "no_pages"
        workflows.publish_progress("Nothing changed since the last extraction")
        finish_extraction(org["id"], pool["fingerprint"])
        return result.as_dict()
    tags = build_tag_set()

    batches = batch_pages([PageInput.model_validate(p) for p in pages])
    found: list[dict[str, Any]] = []
    for number, batch in enumerate(batches, start=1):
        workflows.publish_progress(
            f"Extracting from {len(pages)} pages (batch {number}/{len(batches)})…"
        )
        step = run_pass1([p.model_dump(mode="json") for p in batch], org["name"], tags)
        found.extend(step["narratives"])
        result.tokens_used += step["tokens"]
        result.llm_calls += step["calls"]

    workflows.publish_progress(f"Merging {len(found)} narratives across sources…")
    merged = run_pass2(found, pages, org["name"])
    result.tokens_used += merged["tokens"]
    result.llm_calls += merged["calls"]

    posts: list[dict[str, Any]] = []
    narratives = merged["narratives"]
    for start in range(0, len(narratives), PASS3_CHUNK):
        chunk = narratives[start : start + PASS3_CHUNK]
        workflows.publish_progress(
            f"Investigating posts {start + 1} to {start + len(chunk)} of {len(narratives)}…"
        )
        step = run_pass3(chunk, pages, org["name"], tags)
        posts.extend(step["posts"])
        result.tokens_used += step["tokens"]
        result.llm_calls += step["calls"]
    result.posts_extracted = len(posts)
    if not posts:
        result.status = "no_posts"
        finish_extraction(org["id"], pool["fingerprint"])
        return result.as_dict()

    workflows.publish_progress(f"Comparing {len(posts)} posts with the directory…")
    staged = stage_proposals(org["id"], posts, pages)
    result.batch_id, result.proposals_staged = staged["batch_id"], staged["proposals"]
    finish_extraction(org["id"], pool["fingerprint"])
    workflows.publish_progress("Writing notes…")
    try:
        write_notes(org["id"], posts)
    except Exception as error:  # notes are best effort; the proposals are what matters
        log.warning("notes failed", extra={"org_id": org_id, "error": str(error)})
    result.status = "completed"
    workflows.publish_progress(f"Done: {staged['summary']}")
    return result.as_dict()


@DBOS.step()
def list_orgs_needing_extraction() -> list[str]:
    with db.session_scope() as session:
        return [str(i) for i in service.orgs_needing_extraction(session, limit=10)]


@DBOS.workflow()
def extract_due_organizations(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The 15-minute tick: organizations with a source scraped after their last extraction
    (never extracted first, then the oldest), at most 10, each through the once-per-org
    start so a run already going is not doubled."""
    due = list_orgs_needing_extraction()
    for org_id in due:
        start_extraction(org_id)
    return len(due)


# --- clean up an organization's posts -----------------------------------------------------


def cleanup_key(org_id: str | uuid.UUID) -> str:
    return f"cleanup:{org_id}"


def start_cleanup(org_id: str | uuid.UUID) -> str:
    """Queue a clean-up of one organization unless one is already queued or running."""
    return workflows.start_once(clean_up_org_posts, cleanup_key(org_id), str(org_id))


@DBOS.step()
def load_cleanup_posts(org_id: str) -> dict[str, Any]:
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        posts = sync.org_posts(session, organization_id=org.id)
        infos = [
            {
                "id": str(p.id),
                "version": p.version,
                "content": sync.post_content(p),
                "active": p.status is PostStatus.active,
                "source_priority": sync.canonical_order(p)[1],
                "labels": sorted({s.source_type.value for s in p.sources}),
            }
            for p in posts
        ]
        return {"id": str(org.id), "name": org.name, "posts": infos}


def _infos(posts: list[dict[str, Any]]) -> list[cleanup.PostInfo]:
    return [
        cleanup.PostInfo(
            id=p["id"],
            content=p["content"],
            active=p["active"],
            source_priority=p["source_priority"],
        )
        for p in posts
    ]


@DBOS.step()
def detect_duplicates(posts: list[dict[str, Any]]) -> dict[str, Any]:
    with usage_scope() as meter:
        found = cleanup.find_duplicate_groups(
            _infos(posts),
            embedder=get_embedder(),
            ask_llm=cleanup.ask_large_model if get_settings().llm_configured else None,
        )
    return {
        "groups": found.groups,
        "candidates": found.candidates,
        "tokens": meter.usage.total_tokens,
    }


class MergeReason(BaseModel):
    reason: str


def _merge_reason(ordered: list[cleanup.PostInfo], labels: list[str]) -> str:
    if not get_settings().llm_configured:
        return cleanup.template_reason(ordered, labels)
    titles = "\n".join(f"- {p.content['title']}" for p in ordered)
    try:
        answer = get_llm().structured(
            [{"role": "user", "content": f"Kept: {ordered[0].content['title']}\n{titles}"}],
            MergeReason,
            model="small",
            system="In one short sentence for a directory admin, say why these listings "
            "are merged into the kept one.",
        )
        return answer.reason.strip() or cleanup.template_reason(ordered, labels)
    except SiftError:
        return cleanup.template_reason(ordered, labels)


@DBOS.step()
def stage_cleanup_merges(
    org_id: str, posts: list[dict[str, Any]], groups: list[list[str]]
) -> dict[str, Any]:
    """Stage one merge per group in one clean-up batch. A group already pending with the
    same posts and versions (a re-executed step, a second run) is not staged again, and
    no batch is made when nothing is new."""
    by_id = {p["id"]: p for p in posts}
    infos = {info.id: info for info in _infos(posts)}
    with db.session_scope() as session:
        pending = cleanup.pending_merge_keys(session, organization_id=uuid.UUID(org_id))
        keys = [cleanup.merge_key({i: by_id[i]["version"] for i in group}) for group in groups]
        fresh = [group for group, key in zip(groups, keys, strict=True) if key not in pending]
        already = [pending[key] for key in keys if key in pending]
        if not fresh:
            return {"batch_id": already[0] if already else None, "proposals": 0,
                    "already_pending": len(already)}  # fmt: skip
        batch = sync.new_batch(
            session,
            organization_id=uuid.UUID(org_id),
            kind=BatchKind.cleanup,
            workflow_id=DBOS.workflow_id,
        )
        for group in fresh:
            ordered = cleanup.canonical_first([infos[i] for i in group])
            labels = [label for i in group for label in by_id[i]["labels"]]
            canonical = session.get(Post, uuid.UUID(ordered[0].id))
            duplicates = [session.get(Post, uuid.UUID(p.id)) for p in ordered[1:]]
            sync.add_merge(
                session,
                batch=batch,
                canonical=canonical,
                duplicates=duplicates,
                content=cleanup.merged_content(ordered),
                links=[],
                reason=_merge_reason(ordered, labels),
                read_at={uuid.UUID(i): by_id[i]["version"] for i in group},
            )
        batch.summary = f"{len(fresh)} duplicate groups to merge"
        session.flush()
        return {"batch_id": str(batch.id), "proposals": len(fresh), "already_pending": len(already)}


@DBOS.step()
def purge_rejected_posts(org_id: str) -> int:
    with db.session_scope() as session:
        return service.purge_rejected_posts(session, organization_id=uuid.UUID(org_id))


@DBOS.workflow()
def clean_up_org_posts(org_id: str) -> dict[str, Any]:
    """Detect duplicates (best effort) → stage merges in one clean-up batch → purge
    rejected posts. A failed detection still purges."""
    result: dict[str, Any] = {
        "duplicates_found": 0,
        "proposals_staged": 0,
        "rejected_purged": 0,
        "status": "completed",
        "batch_id": None,
        "already_pending": 0,
        "tokens_used": 0,
        "error": None,
    }
    workflows.publish_progress("Loading posts…")
    org = load_cleanup_posts(org_id)
    posts = org["posts"]
    if len(posts) > 1:
        workflows.publish_progress(f"Looking for duplicates among {len(posts)} posts…")
        try:
            found = detect_duplicates(posts)
            result["tokens_used"] = found["tokens"]
            groups = found["groups"]
            result["duplicates_found"] = sum(len(g) - 1 for g in groups)
            if groups:
                workflows.publish_progress(f"Staging {len(groups)} merge proposals…")
                staged = stage_cleanup_merges(org["id"], posts, groups)
                result["batch_id"], result["proposals_staged"] = (
                    staged["batch_id"],
                    staged["proposals"],
                )
                result["already_pending"] = staged["already_pending"]
        except Exception as error:  # best effort: the purge below still runs
            log.warning("duplicate detection failed", extra={"org_id": org_id, "error": str(error)})
            result["status"], result["error"] = "partial", f"duplicate detection failed: {error}"
    workflows.publish_progress("Purging rejected posts…")
    result["rejected_purged"] = purge_rejected_posts(org["id"])
    workflows.publish_progress(
        f"Done: {result['proposals_staged']} merges proposed, "
        f"{result['rejected_purged']} rejected posts purged"
    )
    return result


# --- embed published posts for the public search ---------------------------------------------

EMBED_ROUNDS = 40
"""Batches per tick at most, so one tick after a large import ends in minutes; the next
tick goes on where it stopped."""


@DBOS.workflow()
def embed_published_posts(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The embedding tick: published posts without a current embedding get one, so the
    public directory finds them by meaning too (by words it finds them at once). Each batch
    is a step of its own: a crash repeats one batch, not the tick."""
    embedded = 0
    for _ in range(EMBED_ROUNDS):
        done = embed_post_batch()
        embedded += done
        if done < search.EMBED_BATCH:
            break
    return embedded


@DBOS.step()
def embed_post_batch() -> int:
    with db.session_scope() as session:
        return search.embed_stale_posts(session, embedder=get_embedder())
