"""The review queue in headless Chromium (issue 20, point 4's "must show"): approving one of
two proposals that depend on each other re-bases or withdraws the other before the
reviewer's eyes, with its history line, and every count on the page follows; a whole
batch's decision waits out the same undo window as one proposal's; a merge shows both
posts side by side with what the absorbed one loses; a collapsed proposal is one Tab away.
Each page is checked by axe-core and left as a screenshot."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from sift import db
from sift.directory.models import ProposedOperation
from tests.conftest import REVIEW_UNDO_S
from tests.directory.test_review_queue import inserts_org, lunch_org, merge_org
from tests.support.browser import (
    browser_page,
    log_in,
    open_proposal,
    screenshot,
    serious_accessibility_problems,
    served_app,
)

pytestmark = pytest.mark.browser

UNDO_MS = int(REVIEW_UNDO_S * 1000)
SENT_MS = UNDO_MS + 6000
"""How long a decision may take to show: its undo window, then the request."""


@pytest.fixture(scope="module")
def server(app_runtime: str) -> Iterator[str]:
    with served_app() as base_url:
        yield base_url


@pytest.fixture
def page(server: str, chromium) -> Iterator[object]:
    """A logged-in admin's page in a fresh browser context."""
    with browser_page(server, chromium) as page:
        log_in(page, server)
        yield page


def menu_count(page) -> int:
    """The menu's "Proposals (N)" (no figure when nothing is pending)."""
    text = page.inner_text("#nav-proposals")
    found = re.search(r"\((\d+)\)", text)
    return int(found.group(1)) if found else 0


def statuses(batch_id: str) -> list[str]:
    with db.session_scope() as session:
        return sorted(
            p.value
            for p in session.scalars(
                sa.select(ProposedOperation.status).where(
                    ProposedOperation.batch_id == uuid.UUID(batch_id)
                )
            )
        )


def assert_accessible(page, name: str) -> None:
    screenshot(page, name)
    assert serious_accessibility_problems(page) == []


def test_approving_the_insert_re_bases_the_dependent_merge_and_the_counts_follow(
    page, server: str
) -> None:
    from playwright.sync_api import expect

    lunch = lunch_org()
    page.goto(f"{server}/proposals?org={lunch.org_id}")
    menu = menu_count(page)
    insert = page.locator(f"#proposal-{lunch.insert_id}")
    merge = page.locator(f"#proposal-{lunch.merge_id}")
    expect(page.locator("#queue-head h1")).to_have_text("Proposals 2 pending")
    for card in (insert, merge):
        expect(card.locator(".depends-mark")).to_have_text("depends on 1")
    open_proposal(insert)
    expect(insert.locator(".depends")).to_contain_text("merge")
    assert_accessible(page, "review-dependent-proposals")

    insert.locator("[data-decide=approve]").click()
    expect(page.locator(".toast").last).to_contain_text("Approving “add Senior Lunch Club”")
    expect(insert).to_have_attribute("data-status", "approved", timeout=SENT_MS)

    expect(merge).to_have_attribute("data-status", "pending")
    expect(merge.locator(".depends-mark")).to_have_count(0)
    open_proposal(merge)
    expect(merge.locator(".history")).to_contain_text("Re-based after insert")
    expect(page.locator("#queue-head h1")).to_have_text("Proposals 1 pending")
    assert menu_count(page) == menu - 1

    merge.locator("[data-decide=approve]").click()
    expect(merge).to_have_attribute("data-status", "approved", timeout=SENT_MS)
    expect(page.locator("#queue-head h1")).to_have_text("Proposals 0 pending")
    assert menu_count(page) == menu - 2
    assert_accessible(page, "review-dependent-settled")


def test_approving_the_merge_first_withdraws_the_insert_with_its_history_line(
    page, server: str
) -> None:
    from playwright.sync_api import expect

    lunch = lunch_org()
    page.goto(f"{server}/proposals?org={lunch.org_id}")
    merge = page.locator(f"#proposal-{lunch.merge_id}")
    insert = page.locator(f"#proposal-{lunch.insert_id}")
    open_proposal(merge)
    page.keyboard.press("a")
    expect(merge).to_have_attribute("data-status", "approved", timeout=SENT_MS)
    expect(insert).to_have_attribute("data-status", "superseded")
    open_proposal(insert)
    expect(insert.locator(".history")).to_contain_text("Withdrawn:")
    expect(insert.locator("[data-decide]")).to_have_count(0)
    expect(page.locator("#queue-head h1")).to_have_text("Proposals 0 pending")
    assert_accessible(page, "review-dependent-withdrawn")


def test_a_batch_decision_has_the_same_undo_window_as_one_proposal(page, server: str) -> None:
    from playwright.sync_api import expect

    org_id, batch_id = inserts_org(3)
    page.goto(f"{server}/proposals?org={org_id}&batch={batch_id}")
    menu = menu_count(page)

    page.click("text=Approve all 3")
    expect(page.locator(".toast").last).to_contain_text(
        f"Approving all 3 pending proposals of this batch in {REVIEW_UNDO_S:g} s."
    )
    expect(page.locator("ol.queue article.proposal.deciding")).to_have_count(3)
    page.locator(".toast button", has_text="Undo").last.click()
    expect(page.locator(".toast").last).to_contain_text("Undone: all 3 pending proposals")
    expect(page.locator("article.proposal.deciding")).to_have_count(0)

    page.click("text=Reject all 3")
    page.keyboard.press("u")  # the keyboard's undo takes a batch back too
    expect(page.locator(".toast").last).to_contain_text("Undone")
    time.sleep(UNDO_MS / 1000 + 1)
    assert statuses(batch_id) == ["pending"] * 3, "an undone batch decision is never sent"

    page.click("text=Approve all 3")
    expect(page.locator(".toast").last).to_contain_text("Approved 3 proposals.", timeout=SENT_MS)
    assert statuses(batch_id) == ["approved"] * 3
    expect(page.locator("#queue-head h1")).to_have_text("Proposals 0 pending")
    expect(page.locator(".batch-actions")).to_have_count(0)
    assert menu_count(page) == menu - 3
    assert_accessible(page, "review-batch-approved")


def test_a_merge_shows_both_posts_side_by_side_and_what_the_absorbed_one_loses(
    page, server: str
) -> None:
    from playwright.sync_api import expect

    org_id, merge_id = merge_org()
    page.goto(f"{server}/proposals?org={org_id}")
    merge = page.locator(f"#proposal-{merge_id}")
    sides = merge.locator("table.merge-sides")
    expect(sides).to_be_visible()
    expect(sides.locator("thead th")).to_have_text(
        ["Field", "Kept: Weekly Food Pantry", "Absorbed: Pantry day at Harbor Light"]
    )
    expect(sides.locator("td.lost .lost-mark")).to_have_text(["lost in the merge"] * 2)
    expect(merge.locator(".losses")).to_contain_text("loses its title and description.")
    same = merge.locator("details.unchanged")
    expect(same.locator("dd")).to_be_hidden()  # unchanged fields collapse
    same.locator("summary").click()
    expect(same.locator("dd")).to_have_text("(555) 201-3344")
    expect(merge.locator("table.field-diff tr.changed th")).to_have_text(["Email", "Tags"])
    assert_accessible(page, "review-merge-side-by-side")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "review-merge-phone")


def test_a_collapsed_proposal_is_reached_by_tab_and_opened_by_enter(page, server: str) -> None:
    from playwright.sync_api import expect

    org_id, _ = inserts_org(3)
    page.goto(f"{server}/proposals?org={org_id}")
    cards = page.locator("ol.queue article.proposal")
    first, second = cards.nth(0), cards.nth(1)
    expect(first.locator("button.toggle")).to_have_attribute("aria-expanded", "true")
    expect(second.locator("button.toggle")).to_have_attribute("aria-expanded", "false")
    expect(second.locator(".proposal-body")).to_be_hidden()

    second_toggle = second.locator("button.toggle")
    for _ in range(8):
        page.keyboard.press("Tab")
        if second_toggle.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the collapsed proposal's headline")
    page.keyboard.press("Enter")
    expect(second_toggle).to_have_attribute("aria-expanded", "true")
    expect(second.locator(".proposal-body")).to_be_visible()
    expect(first.locator("button.toggle")).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(second_toggle).to_have_attribute("aria-expanded", "false")
    assert_accessible(page, "review-collapsed-by-keyboard")
