"""The admin's path through the UI in headless Chromium: log in, press Extract posts,
watch the progress text change, approve a merge, and see the post list change."""

from __future__ import annotations

import time

import pytest

from sift import db, workflows
from sift.directory.cleanup import flows as cleanup_flows
from sift.directory.demo import HAND_LISTED_POST, ensure_hand_listed_post
from sift.directory.extraction import flows as extraction_flows
from sift.directory.ingest.pages import RawPage
from sift.directory.models import Post, PostStatus, SourceStatus
from sift.directory.proposals import sync
from sift.directory.registry import service
from tests.directory import test_extract_flow
from tests.support.browser import (
    browser_page,
    chromium_browser,
    log_in,
    open_proposal,
    served_app,
)

pytestmark = pytest.mark.browser
demo_org = test_extract_flow.demo_org
"""The demo organization crawled and imported as `sift demo` does it (shared fixture)."""

PANTRY_PAGE = """# Weekly Food Pantry

## What
Free groceries and fresh produce for anyone who needs them. No ID required.

## When
Tuesdays and Thursdays, 10am to 2pm.

## Where
412 Harbor Street, Port Alder.

## Contact
Call (555) 201-3344 or email pantry@harborlight.example.
"""


def _org_with_duplicate_posts() -> str:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Browser Test Org")
        web = service.add_source(
            session, organization=org, source_type="website", value="browser-test.org"
        )
        insta = service.add_source(
            session, organization=org, source_type="instagram", value="browsertest"
        )
        for s in (web, insta):
            service.set_source_status(session, source=s, status=SourceStatus.approved)
        service.store_pages(
            session,
            pages=[
                RawPage(
                    url="https://browser-test.org/pantry",
                    site_url="https://browser-test.org",
                    title="Weekly Food Pantry",
                    content=PANTRY_PAGE,
                )
            ],
        )
        for source, title, url in (
            (web, "Weekly Food Pantry", "https://browser-test.org/pantry"),
            (insta, "Pantry day at Harbor Light", "https://www.instagram.com/p/x1"),
        ):
            post = Post(
                organization_id=org.id,
                title=title,
                status=PostStatus.active,
                description="Free groceries Tuesdays and Thursdays at 412 Harbor Street. "
                "Call (555) 201-3344.",
                contact={"phone": "(555) 201-3344"},
            )
            session.add(post)
            session.flush()
            sync.link_sources(session, post=post, links=[(str(source.id), url)])
        return str(org.id)


def test_extract_then_approve_a_merge_in_the_browser(app_runtime: str) -> None:
    org_id = _org_with_duplicate_posts()
    with (
        served_app() as base_url,
        chromium_browser() as chromium,  # one per test: the demo fixture needs the loop
        browser_page(base_url, chromium) as page,
    ):
        log_in(page, base_url)
        page.click("text=Browser Test Org")
        page.wait_for_url(f"{base_url}/orgs/{org_id}")
        assert page.locator("table.posts .post-title").count() == 2

        page.click("text=Extract posts")
        seen: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if page.locator("#runs .run-result").count():
                seen.append(page.inner_text("#runs .run-result"))
                break
            if page.locator("#runs .progress-text").count():
                text = page.inner_text("#runs .progress-text")
                if not seen or seen[-1] != text:
                    seen.append(text)
            time.sleep(0.1)
        assert len(seen) >= 2, f"progress never changed: {seen}"
        assert "status: completed" in seen[-1].replace("\n", " ")

        page.goto(f"{base_url}/proposals?org={org_id}")
        merge = page.locator("article.proposal[data-operation=merge]")
        assert merge.count() == 1
        assert "Merge" in merge.inner_text() and "into" in merge.inner_text()
        open_proposal(merge)
        merge.locator("text=Approve").click()
        page.wait_for_selector("article.proposal[data-operation=merge] .status.approved")

        page.goto(f"{base_url}/orgs/{org_id}")
        titles = page.locator("table.posts .post-title").all_inner_texts()
        assert titles == ["Weekly Food Pantry"]


def test_the_demo_extraction_updates_the_hand_typed_listing_an_admin_approves(
    demo_org: str,
) -> None:
    """The demo's hand-typed senior lunch listing and the program read from its website
    are one service: extraction proposes an update of the hand-typed listing rather than a
    second post (so the clean-up has nothing left to merge), and approving it in the
    browser leaves one lunch listing."""
    ensure_hand_listed_post(demo_org)
    workflows.wait_for(extraction_flows.start_extraction(demo_org))
    assert workflows.wait_for(cleanup_flows.start_cleanup(demo_org))["proposals_staged"] == 0
    with (
        served_app() as base_url,
        chromium_browser() as chromium,  # one per test: the demo fixture needs the loop
        browser_page(base_url, chromium) as page,
    ):
        log_in(page, base_url)
        page.goto(f"{base_url}/proposals?org={demo_org}&type=update")
        update = page.locator("article.proposal[data-operation=update]").filter(
            has_text=HAND_LISTED_POST["title"]
        )
        assert update.count() == 1
        open_proposal(update)
        update.locator("text=Approve").click()
        page.wait_for_selector("article.proposal[data-operation=update] .status.approved")
        page.goto(f"{base_url}/orgs/{demo_org}")
        titles = page.locator("table.posts .post-title").all_inner_texts()
        assert sum("lunch" in title.lower() for title in titles) == 1
