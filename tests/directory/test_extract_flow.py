"""The extract-org workflow end to end with the offline engine: the demo org's program seen
on the website and on Instagram becomes one proposed post; an unchanged pool costs nothing;
early exits; one run per organization at a time."""

from __future__ import annotations

import threading
import uuid
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from sift import db, workflows
from sift.directory.cli import import_posts
from sift.directory.demo import DEMO_HANDLE
from sift.directory.demo_site import DemoSite
from sift.directory.extraction import flows as extraction_flows
from sift.directory.ingest.pages import RawPage
from sift.directory.models import (
    OperationKind,
    Organization,
    Post,
    ProposedOperation,
    SourceStatus,
)
from sift.directory.registry import flows as registry_flows
from sift.directory.registry import service


@pytest.fixture(scope="module")
def demo_org(app_runtime: str) -> str:
    """The demo organization, crawled over HTTP and imported, as `sift demo` does it."""
    with DemoSite() as site:
        with db.session_scope() as session:
            org = service.create_organization(session, name="Harbor Light (test)")
            website = service.add_source(
                session, organization=org, source_type="website", value=site.base_url
            )
            website.url = site.base_url
            instagram = service.add_source(
                session, organization=org, source_type="instagram", value=DEMO_HANDLE
            )
            for source in (website, instagram):
                service.set_source_status(session, source=source, status=SourceStatus.approved)
            org_id, website_id, instagram_id = str(org.id), str(website.id), str(instagram.id)
        assert workflows.wait_for(registry_flows.start_crawl(website_id))["status"] == "completed"
    export = resources.files("sift.directory") / "demo_data" / "instagram.json"
    with resources.as_file(export) as path:
        import_posts(instagram_id, Path(path))
    return org_id


def staged_posts(batch_id: str) -> list[Post]:
    with db.session_scope() as session:
        return list(
            session.scalars(
                sa.select(Post)
                .join(ProposedOperation, ProposedOperation.draft_post_id == Post.id)
                .where(ProposedOperation.batch_id == uuid.UUID(batch_id))
                .where(ProposedOperation.operation == OperationKind.insert)
            )
        )


def test_demo_program_on_website_and_instagram_is_one_post(demo_org: str) -> None:
    result = workflows.wait_for(extraction_flows.start_extraction(demo_org))
    assert result["status"] == "completed", result
    assert result["sources_included"] == 2 and result["pages_pooled"] == 26
    posts = staged_posts(result["batch_id"])
    pantries = [p for p in posts if "pantry" in p.title.lower()]
    assert len(pantries) == 1
    pantry = pantries[0]
    assert pantry.contact.get("phone") == "(555) 201-3344"
    assert pantry.schedule and "412 Harbor" in (pantry.location or "")
    with db.session_scope() as session:
        links = session.get(Post, pantry.id).sources
        assert {link.source_type.value for link in links} == {"website", "instagram"}
    assert result["proposals_staged"] == len(posts) >= 5


def test_unchanged_pool_ends_unchanged_without_model_calls(demo_org: str) -> None:
    workflows.wait_for(extraction_flows.start_extraction(demo_org))
    with db.session_scope() as session:
        extracted = session.get_one(Organization, uuid.UUID(demo_org)).last_extracted_at
    again = workflows.wait_for(extraction_flows.start_extraction(demo_org))
    assert again["status"] == "unchanged"
    assert again["llm_calls"] == 0 and again["batch_id"] is None
    with db.session_scope() as session:  # up to date: not due again until a later crawl
        org = session.get_one(Organization, uuid.UUID(demo_org))
        assert extracted is not None and org.last_extracted_at > extracted
        assert org.id not in service.orgs_needing_extraction(session, limit=100)


def test_concurrent_triggers_for_one_org_make_one_run(demo_org: str) -> None:
    with db.session_scope() as session:  # change a page so the run has work to do
        page = RawPage(
            url="https://www.instagram.com/p/extra-test",
            site_url="https://www.instagram.com/harborlightcc/",
            content="Free bike repair clinic every Sunday 1-4pm at 412 Harbor Street. Drop in!",
        )
        service.store_pages(session, pages=[page])
    ids: list[str] = []
    threads = [
        threading.Thread(target=lambda: ids.append(extraction_flows.start_extraction(demo_org)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1
    assert workflows.wait_for(ids[0])["status"] == "completed"


def test_early_exits(app_runtime: str) -> None:
    with db.session_scope() as session:
        empty = service.create_organization(session, name="No sources")
        pageless = service.create_organization(session, name="No pages")
        source = service.add_source(
            session, organization=pageless, source_type="website", value="pageless.org"
        )
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        postless = service.create_organization(session, name="No posts")
        quiet = service.add_source(
            session, organization=postless, source_type="website", value="quiet.org"
        )
        service.set_source_status(session, source=quiet, status=SourceStatus.approved)
        service.store_pages(
            session,
            pages=[
                RawPage(
                    url="https://quiet.org/",
                    site_url="https://quiet.org",
                    content="# Thank you\n\nThanks to everyone who came by last year!",
                )
            ],
        )
        ids = str(empty.id), str(pageless.id), str(postless.id)
    statuses = [workflows.wait_for(extraction_flows.start_extraction(i))["status"] for i in ids]
    assert statuses == ["no_sources", "no_pages", "no_posts"]


def test_unknown_org_fails_with_its_reason(app_runtime: str) -> None:
    result = workflows.wait_for(extraction_flows.start_extraction(str(uuid.uuid4())))
    assert result["status"] == "failed" and "no organization" in result["error"]
