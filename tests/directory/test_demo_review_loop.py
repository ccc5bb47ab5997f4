"""The product side's check of the demo, end to end: crawl the demo website, import its
Instagram export, extract, clean up (as `sift demo` does, hand-typed lunch listing
included), then approve every pending proposal one at a time in the order `sift review
list` shows them (and, on a second fresh database, in reverse), run the clean-up, approve
what it stages, and repeat: within three rounds nothing is pending and the organization
lists its six programs once each.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import make_url

from sift import db, workflows
from sift.directory.cleanup import flows as cleanup_flows
from sift.directory.cli import import_posts
from sift.directory.demo import DEMO_HANDLE, DEMO_ORG, ensure_hand_listed_post
from sift.directory.demo_site import DemoSite
from sift.directory.extraction import flows as extraction_flows
from sift.directory.models import SourceStatus
from sift.directory.proposals import batches, review
from sift.directory.registry import flows as registry_flows
from sift.directory.registry import service
from tests.conftest import fresh_database


@pytest.fixture(params=["listed", "reverse"])
def order(
    request: pytest.FixtureRequest, pg_admin_url: str, workflow_runtime: str
) -> Iterator[str]:
    """A fresh database per order: the demo's pages are keyed by URL, one organization's."""
    url = fresh_database(pg_admin_url, f"demo_loop_{request.param}")
    db.upgrade(url)
    db.configure(url)
    yield request.param
    db.dispose()
    db.drop_database(make_url(pg_admin_url), make_url(url).database or "")


def run_demo() -> str:
    with DemoSite() as site:
        with db.session_scope() as session:
            org = service.create_organization(session, name=DEMO_ORG)
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
        ensure_hand_listed_post(org_id)
        assert workflows.wait_for(registry_flows.start_crawl(website_id))["status"] == "completed"
    export = resources.files("sift.directory") / "demo_data" / "instagram.json"
    with resources.as_file(export) as path:
        import_posts(instagram_id, Path(path))
    assert workflows.wait_for(extraction_flows.start_extraction(org_id))["status"] == "completed"
    assert workflows.wait_for(cleanup_flows.start_cleanup(org_id))["status"] == "completed"
    return org_id


def listed_pending() -> list[str]:
    """Pending proposal ids in the order `sift review list` prints them."""
    with db.session_scope() as session:
        views = [batches.batch_view(session, batch_id=b) for b in batches.batch_ids(session)]
        return [p.id for b in views for p in b.proposals if p.pending]


def test_approving_everything_then_cleaning_up_converges_on_six_listings(order: str) -> None:
    org_id = run_demo()
    rounds = []
    for _ in range(3):
        ids = listed_pending()
        for proposal_id in reversed(ids) if order == "reverse" else ids:
            # one withdrawn by an earlier approval is no longer there to approve
            with contextlib.suppress(review.ProposalAlreadyReviewed):
                review.decide(proposal_id, approve=True, reviewer="cli:admin")
        cleanup = workflows.wait_for(cleanup_flows.start_cleanup(org_id))
        rounds.append((len(ids), cleanup["proposals_staged"]))
        if not listed_pending():
            break
    assert listed_pending() == [], rounds
    with db.session_scope() as session:
        titles = sorted(p.title for p in service.list_posts(session, organization_id=None))
    assert len(titles) == 6 == len(set(titles)), titles
    assert "Senior Lunch Club" in titles and rounds[0][1] == 0
