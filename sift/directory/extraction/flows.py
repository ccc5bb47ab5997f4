"""The extraction workflow: an organization's pooled pages through the three passes into
a batch of proposals, and the tick that extracts every organization with new content.

Each pass is a checkpointed DBOS step (pass 3 in chunks), so a crash resumes after the
last finished one, and progress text is published for the admin.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from dbos import DBOS

from sift import db, workflows
from sift.ai.embeddings import get_embedder
from sift.ai.llm import usage_scope
from sift.config import get_settings
from sift.db import utcnow
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
from sift.directory.extraction.pipeline import (
    add_gap_notes,
    fresh_post,
    memoised_narratives,
    remember_narratives,
    tag_set,
)
from sift.directory.models import Organization, SourceStatus
from sift.directory.proposals import sync
from sift.directory.registry import service
from sift.directory.registry.flows import organization_subject
from sift.errors import SiftError

log = logging.getLogger(__name__)


PASS3_CHUNK = 10
"""Narratives investigated per checkpointed step: a restart repeats at most one chunk."""


def extract_key(org_id: str | uuid.UUID) -> str:
    return f"extract:{org_id}"


def start_extraction(org_id: str | uuid.UUID) -> str:
    """Queue an extraction of one organization unless one is already queued or running."""
    return workflows.start_once(
        extract_org_posts, extract_key(org_id), str(org_id), subject=organization_subject(org_id)
    )


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
            embedder=get_embedder(),
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
