"""The UI in headless Chromium, with every host but Sift's own blocked: the keyboard review
queue with its undo window, a merge's field diff, a batch action's undo window, GraphiQL
offline, a creator's inbox at phone width without admin navigation, and axe-core's check of
every page. Each test leaves a screenshot under test-artifacts/screenshots/."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest

from sift import db, workflows
from sift.config import get_settings
from sift.directory.extraction import flows
from sift.directory.models import BatchKind, Post, PostStatus, ProposedOperation
from sift.directory.proposals import sync
from sift.directory.registry import service
from tests.conftest import REVIEW_UNDO_S
from tests.inbox.conftest import fan_message, ingest, new_creator
from tests.support.browser import (
    block_foreign_hosts,
    launch_browser,
    log_in,
    require_chromium,
    screenshot,
    serious_accessibility_problems,
    served_app,
)
from tests.web.test_pages import add_evaluation_runs

pytestmark = pytest.mark.browser

UNDO_WINDOW_S = REVIEW_UNDO_S
T = TypeVar("T")


@pytest.fixture(scope="module")
def server(app_runtime: str) -> Iterator[str]:
    with served_app() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:
    """A fresh browser context per test; at its end no request may have left Sift."""
    context = browser.new_context(bypass_csp=True)  # axe is injected inline
    foreign = block_foreign_hosts(context, server)
    yield context.new_page()
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


def org_with_proposals() -> tuple[str, str]:
    """An organization with a clean-up batch (one merge of two posts) and a newer
    extraction batch of three new posts; returns its id and the extraction batch id."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Queue Org {uuid.uuid4().hex[:6]}")
        posts = [
            Post(
                organization_id=org.id,
                title=title,
                status=PostStatus.active,
                description="Free groceries on Tuesdays at 412 Harbor Street.",
                contact={"phone": "(555) 201-3344"},
            )
            for title in ("Weekly Food Pantry", "Pantry day at Harbor Light")
        ]
        session.add_all(posts)
        session.flush()
        cleanup = sync.new_batch(
            session, organization_id=org.id, kind=BatchKind.cleanup, workflow_id=None
        )
        sync.add_merge(
            session,
            batch=cleanup,
            canonical=posts[0],
            duplicates=[posts[1]],
            content={
                **sync.post_content(posts[0]),
                "description": "Free groceries on Tuesdays and Thursdays at 412 Harbor Street.",
                "contact": {"phone": "(555) 201-3344", "intake_form": "harbor.example/form"},
            },
            links=[],
            reason="The same pantry seen on the website and on Instagram.",
        )
        unchanged = [
            sync.FreshPost(title=p.title, description=p.description, contact=p.contact)
            for p in posts
        ]
        fresh = [
            sync.FreshPost(title=t, description=f"## What\n{t} for **everyone**.")
            for t in ("Book club", "Tax help", "Senior lunch")
        ]
        result = sync.stage_extraction(
            session, organization_id=org.id, fresh=unchanged + fresh, embedder=None
        )
        return str(org.id), str(result.batch_id)


def off_the_event_loop(call: Callable[[], T]) -> T:
    """DBOS's synchronous calls refuse to run beside Playwright's event loop: use a thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def proposal_status(proposal_id: str) -> str:
    with db.session_scope() as session:
        return session.get_one(ProposedOperation, uuid.UUID(proposal_id)).status.value


def test_review_by_keyboard_with_undo_a_merge_diff_and_a_batch_action(page, server) -> None:
    from playwright.sync_api import expect

    org_id, batch_id = org_with_proposals()
    log_in(page, server)
    page.goto(f"{server}/proposals?org={org_id}")
    rows = page.locator("ol.queue article.proposal")
    expect(rows).to_have_count(4)
    first, second = rows.nth(0), rows.nth(1)
    expect(first).to_have_class(re.compile("selected"))
    expect(second.locator(".proposal-body")).to_be_hidden()  # the queue stays compact
    assert first.locator("h4").count() == 1, "an insert shows its post, Markdown rendered"
    expect(first.locator(".markdown h2")).to_have_text("What")
    expect(first.locator(".markdown strong")).to_have_text("everyone")

    page.keyboard.press("j")
    expect(second).to_have_class(re.compile("selected"))
    page.keyboard.press("k")
    expect(first).to_have_class(re.compile("selected"))

    first_id = first.get_attribute("id").removeprefix("proposal-")
    page.keyboard.press("a")
    expect(page.locator(".toast").last).to_contain_text("Approving")
    expect(second).to_have_class(re.compile("selected"))
    page.keyboard.press("u")
    expect(page.locator(".toast").last).to_contain_text("Undone")
    time.sleep(UNDO_WINDOW_S + 0.5)
    assert proposal_status(first_id) == "pending", "an undone approval is never sent"
    expect(first).to_have_class(re.compile("selected"))

    page.keyboard.press("a")
    expect(page.locator(f"#proposal-{first_id}")).to_have_attribute(
        "data-status", "approved", timeout=UNDO_WINDOW_S * 1000 + 5000
    )
    expect(page.locator(".toast").last).to_contain_text("Approved")
    assert proposal_status(first_id) == "approved"
    page.keyboard.press("r")
    second_id = second.get_attribute("id").removeprefix("proposal-")
    expect(page.locator(f"#proposal-{second_id}")).to_have_attribute(
        "data-status", "rejected", timeout=UNDO_WINDOW_S * 1000 + 5000
    )
    page.keyboard.press("?")
    expect(page.locator("dialog#help")).to_be_visible()
    screenshot(page, "review-keyboard-help")
    page.keyboard.press("Escape")

    page.goto(f"{server}/proposals?org={org_id}&type=merge")
    merge = page.locator("article.proposal[data-operation=merge]")
    expect(merge.locator("table.field-diff")).to_be_visible()
    changed = merge.locator("table.field-diff tr.changed")
    expect(changed.filter(has_text="Description").locator("ins")).to_have_text("and Thursdays ")
    expect(changed.filter(has_text="Intake form")).to_have_count(1)
    screenshot(page, "review-merge-diff")

    page.goto(f"{server}/proposals?org={org_id}&batch={batch_id}")
    page.click("text=Approve all 1")  # the same undo window as one proposal's, no dialog
    expect(page.locator(".toast").last).to_contain_text("Approving all 1 pending proposals")
    expect(page.locator(".toast").last).to_contain_text(
        "Approved 1 proposal.", timeout=UNDO_WINDOW_S * 1000 + 5000
    )
    expect(page.locator(".batch-actions")).to_have_count(0)
    screenshot(page, "review-batch-approved")


def test_graphiql_loads_with_every_other_host_blocked(page, server) -> None:
    from playwright.sync_api import expect

    log_in(page, server)
    page.goto(f"{server}/graphql")
    expect(page.locator(".graphiql-container .graphiql-editors")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Loading…")).to_have_count(0)
    screenshot(page, "graphiql-offline")
    assert serious_accessibility_problems(page) == []


def creator_with_clusters() -> tuple[str, str]:
    creator = new_creator()
    questions = ["Do you ship to Canada?", "Can you ship to Canada?", "do you ship to canada??"]
    results = [ingest(fan_message(creator, f"ch{i}", q)) for i, q in enumerate(questions)]
    ingest(fan_message(creator, "vip", "Can we do a paid shout-out next week?", paid=True))
    return creator, str(results[0].cluster_id)


def sign_in_as_creator(page, server: str, creator: str) -> None:
    from sift.auth import Role, issue_token

    token = issue_token(get_settings(), role=Role.creator, subject=creator, creator_id=creator)
    page.goto(f"{server}/login")
    page.fill("input[name=token]", token)
    page.click("text=Open my inbox")
    page.wait_for_url(f"{server}/inbox")


def fits_width(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_creator_sees_only_the_inbox_and_it_fits_a_phone(page, server, embedder) -> None:
    from playwright.sync_api import expect

    creator, cluster_id = creator_with_clusters()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as_creator(page, server, creator)
    expect(page.locator("header nav a")).to_have_text(["Inbox"])
    expect(page.locator("header button", has_text="Log out")).to_be_visible()
    expect(page.locator("th", has_text="Creator")).to_have_count(0)
    expect(page.locator(f"tr[data-cluster='{cluster_id}']")).to_be_visible()
    assert fits_width(page, 390), "the inbox list scrolls sideways at 390 px"
    screenshot(page, "inbox-creator-390")
    page.goto(f"{server}/inbox/clusters/{cluster_id}")
    expect(page.locator("tr.message")).to_have_count(3)
    assert fits_width(page, 390), "the cluster page scrolls sideways at 390 px"
    screenshot(page, "inbox-cluster-390")
    assert serious_accessibility_problems(page) == []


def test_inbox_triage_by_keyboard(page, server, embedder) -> None:
    """j and k move the focus down and up the cluster list, Enter opens the focused
    cluster, and on its page j and k walk the list beside it."""
    from playwright.sync_api import expect

    creator = new_creator()
    for i, question in enumerate(["Do you ship to Canada?", "Can you ship to Canada?"]):
        ingest(fan_message(creator, f"ship{i}", question))
    for i, question in enumerate(["Is there a student discount?", "Do students get a discount?"]):
        ingest(fan_message(creator, f"student{i}", question))
    log_in(page, server)
    page.goto(f"{server}/inbox?creator={creator}&min=0")
    links = page.locator("table.clusters tr.cluster-row td:first-child a")
    expect(links).to_have_count(2)
    page.keyboard.press("j")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("j")
    expect(links.nth(1)).to_be_focused()  # the last one stays focused
    page.keyboard.press("k")
    expect(links.nth(0)).to_be_focused()
    screenshot(page, "inbox-keyboard-focus")
    opened = links.nth(0).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}{opened}")
    expect(page.locator("ul.rail a[aria-current=page]")).to_have_attribute("href", opened)
    rail = page.locator("ul.rail li.cluster-row > a")
    page.keyboard.press("j")
    expect(rail.nth(1)).to_be_focused()
    following = rail.nth(1).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}{following}")
    screenshot(page, "inbox-keyboard-opened")


def axe_problems(page, server: str, paths: list[str]) -> dict[str, list[str]]:
    """Each page's serious and critical axe-core violations, by path."""
    problems = {}
    for path in paths:
        page.goto(f"{server}{path}")
        problems[path] = serious_accessibility_problems(page)
    return problems


def only_failing(problems: dict[str, list[str]]) -> dict[str, list[str]]:
    return {path: found for path, found in problems.items() if found}


def a_post_of(org_id: str) -> str:
    """A published post of the organization (its page has the edit form)."""
    with db.session_scope() as session:
        posts = service.list_posts(session, organization_id=uuid.UUID(org_id), status="active")
        return str(posts[0].id)


def test_every_admin_page_passes_axe(page, server, embedder) -> None:
    org_id, _ = org_with_proposals()
    run_id = off_the_event_loop(lambda: flows.start_extraction(org_id))
    off_the_event_loop(lambda: workflows.wait_for(run_id))
    _, cluster_id = creator_with_clusters()
    add_evaluation_runs("cleanup", [(1.0, 0.5, 0.667), (1.0, 0.944, 0.971)])
    log_in(page, server)
    problems = axe_problems(
        page,
        server,
        [
            "/orgs",
            f"/orgs/{org_id}",
            f"/orgs/{org_id}?status=deleted",
            f"/posts/{a_post_of(org_id)}",
            "/proposals",
            f"/proposals?org={org_id}",
            f"/proposals?org={org_id}&type=merge",
            "/proposals?status=all",
            "/runs",
            f"/runs/{run_id}",
            "/inbox",
            "/inbox?status=removed",
            f"/inbox/clusters/{cluster_id}",
            "/quality",
            f"/orgs/{uuid.uuid4()}",
            "/no-such-page",
        ],
    )
    screenshot(page, "error-404")
    page.goto(f"{server}/inbox/clusters/{cluster_id}")
    page.fill("#response_text", "Yes, we ship to Canada!")
    page.click("#send-reply")
    page.wait_for_selector("#confirm-send")
    problems["reply confirmation"] = serious_accessibility_problems(page)
    page.goto(f"{server}/login")
    problems["/login"] = serious_accessibility_problems(page)
    assert only_failing(problems) == {}


def test_every_public_page_passes_axe(page, server, embedder) -> None:
    """The public directory, read by residents with no login: search, an organization, a
    service, and the directory's own not-found page."""
    org_id, _ = org_with_proposals()
    post_id = a_post_of(org_id)
    problems = axe_problems(
        page,
        server,
        [
            "/",
            "/?q=pantry",
            "/?tag=no-such-tag&open=1",
            f"/organizations/{org_id}",
            f"/services/{post_id}",
            f"/services/{uuid.uuid4()}",
        ],
    )
    screenshot(page, "public-not-found")
    assert only_failing(problems) == {}
