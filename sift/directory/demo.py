"""The directory part of `sift demo`: a fictional organization with a website (served on
127.0.0.1 so the real crawler fetches it over HTTP) and an Instagram export, registered,
approved and fetched into the page cache — the input the extraction then deduplicates."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from sqlalchemy.orm import Session

from sift import db
from sift.config import Settings, get_settings
from sift.directory.cleanup import flows as cleanup_flows
from sift.directory.cli import follow_runs, import_posts, print_batch
from sift.directory.demo_site import DemoSite
from sift.directory.extraction import flows as extraction_flows
from sift.directory.models import (
    ExtractionPage,
    Organization,
    Post,
    PostStatus,
    ProposedOperation,
    Source,
    SourceStatus,
)
from sift.directory.proposals import sync
from sift.directory.registry import flows as registry_flows
from sift.directory.registry import service
from sift.errors import SiftError

DEMO_ORG = "Harbor Light Community Center"
DEMO_HANDLE = "harborlightcc"
_site: DemoSite | None = None


def _allow_loopback_crawls() -> Settings:
    """The SSRF guard refuses 127.0.0.1 unless allowed; the demo allows exactly that host."""
    allowed = get_settings().crawl_allow_private_hosts
    if "127.0.0.1" not in allowed:
        os.environ["SIFT_CRAWL_ALLOW_PRIVATE_HOSTS"] = ",".join([*allowed, "127.0.0.1"])
        get_settings.cache_clear()
    return get_settings()


def start_site(port: int) -> str:
    """Serve the demo website for as long as this process lives (the UI may crawl it)."""
    global _site
    if _site is None:
        _site = DemoSite(port)
        _site.start()
    return _site.base_url


def ensure_org(base_url: str) -> tuple[str, str, str]:
    """Get or create the demo organization and its two approved sources (idempotent)."""
    with db.session_scope() as session:
        try:
            org: Organization = service.get_organization_or_raise(session, ref=DEMO_ORG)
        except service.OrganizationNotFound:
            org = service.create_organization(
                session, name=DEMO_ORG, description="A fictional community center (demo data)."
            )
        sources = {
            service.source_label(s): s for s in service.list_sources(session, organization=org)
        }
        domain = base_url.removeprefix("http://")
        website = sources.get(domain) or service.add_source(
            session, organization=org, source_type="website", value=domain
        )
        website.url = base_url  # the demo site speaks plain http; pages keep the https key
        instagram = sources.get(f"instagram:{DEMO_HANDLE}") or service.add_source(
            session, organization=org, source_type="instagram", value=DEMO_HANDLE
        )
        for source in (website, instagram):
            service.set_source_status(session, source=source, status=SourceStatus.approved)
        return str(org.id), str(website.id), str(instagram.id)


HAND_LISTED_POST = {
    "title": "Lunch for Seniors at Harbor Light",
    "summary": "Hot weekday lunches and company for older neighbors in Fellowship Hall.",
    "description": "Older neighbors are welcome to a hot lunch at noon every weekday in "
    "Fellowship Hall. Call ahead to reserve a seat.",
    "audience": "seniors 60+",
    "location": "Fellowship Hall, 412 Harbor Street",
    "schedule": [
        {"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "start": "12:00"}
    ],
    "contact": {"phone": "(555) 201-3388"},
}
"""A post an admin typed in by hand before Sift read the website: the senior lunch in other
words. Extraction finds the program again, so the clean-up has a merge to propose."""


def ensure_hand_listed_post(org_id: str) -> None:
    """Add the approved hand-written listing once (idempotent, by title)."""
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        titles = {p.title for p in sync.org_posts(session, organization_id=org.id)}
        if HAND_LISTED_POST["title"] not in titles:
            session.add(Post(organization_id=org.id, status=PostStatus.active, **HAND_LISTED_POST))


def run(settings: Settings, console: Console) -> None:
    settings = _allow_loopback_crawls()
    base_url = start_site(settings.demo_site_port)
    console.print(f"[green]✓[/green] demo website of {DEMO_ORG} served at {base_url}")
    org_id, website_id, instagram_id = ensure_org(base_url)
    ensure_hand_listed_post(org_id)
    follow_runs({registry_flows.start_crawl(website_id): f"crawl {base_url}"})
    export = resources.files("sift.directory") / "demo_data" / "instagram.json"
    with resources.as_file(export) as path:
        imported = import_posts(instagram_id, Path(path))
    console.print(
        f"[green]✓[/green] imported {imported.stored + imported.unchanged} Instagram posts "
        f"of @{DEMO_HANDLE} ({imported.stored} new)"
    )
    extraction = _follow(extraction_flows.start_extraction(org_id), f"extract {DEMO_ORG}")
    console.print(f"[green]✓[/green] extraction: {_summary(extraction)}")
    if extraction.get("batch_id"):
        print_batch(extraction["batch_id"])
    cleanup = _follow(cleanup_flows.start_cleanup(org_id), f"clean up {DEMO_ORG}")
    console.print(f"[green]✓[/green] clean-up: {_summary(cleanup)}")


def _follow(run_id: str, label: str) -> dict:
    result = follow_runs({run_id: label})[run_id]
    if not isinstance(result, dict):
        raise SiftError(f"{label} ended without a result")
    if result.get("status") == "failed":
        raise SiftError(f"{label} failed: {result.get('error')}")
    return result


def _summary(result: dict) -> str:
    return ", ".join(
        f"{key.replace('_', ' ')} {value}"
        for key, value in result.items()
        if isinstance(value, int | str) and key not in ("batch_id", "organization", "error")
    )


def counts(session: Session) -> dict[str, int]:
    """The directory's live rows for the demo's report: soft-deleted organizations and
    posts are not counted."""
    queries: dict[str, sa.Select[int]] = {
        "organizations": sa.select(sa.func.count())
        .select_from(Organization)
        .where(Organization.deleted_at.is_(None)),
        "sources": sa.select(sa.func.count()).select_from(Source),
        "pages": sa.select(sa.func.count()).select_from(ExtractionPage),
        "posts": sa.select(sa.func.count()).select_from(Post).where(Post.deleted_at.is_(None)),
        "proposals": sa.select(sa.func.count()).select_from(ProposedOperation),
    }
    return {key: int(session.execute(query).scalar() or 0) for key, query in queries.items()}
