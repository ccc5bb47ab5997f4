"""The crawl workflow: fetch one source into the page cache, and the tick that crawls
every due source.

Every side effect is a named DBOS step, so a crash resumes after the last finished one,
and progress text is published for the admin.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from dbos import DBOS

from sift import db, workflows
from sift.config import get_settings
from sift.directory.ingest.fetchers import build_ingestor
from sift.directory.ingest.ingestor import DiscoverConfig
from sift.directory.ingest.pages import RawPage
from sift.directory.ingest.social import fetch_looks_truncated
from sift.directory.ingest.website import CrawlProgress, WebsiteIngestor
from sift.directory.models import SourceType
from sift.directory.registry import service
from sift.errors import SiftError


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
    with db.session_scope() as session:
        try:
            org_id = service.get_source_or_raise(session, ref=source_id).organization_id
        except SiftError:
            org_id = None  # the run starts all the same and says what is missing
    subject = organization_subject(org_id) if org_id else None
    return workflows.start_once(crawl_source, crawl_key(source_id), str(source_id), subject=subject)


def organization_subject(org_id: str | uuid.UUID) -> workflows.Subject | None:
    """The organization a run works on, as the runs list names and links it; None when
    there is no such organization (the run starts all the same and says so)."""
    with db.session_scope() as session:
        try:
            org = service.get_organization_or_raise(session, ref=org_id)
        except SiftError:
            return None
        return workflows.Subject(org.name, f"/orgs/{org.id}")


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
