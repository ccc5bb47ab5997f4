"""A creator's bulk reply in a real browser: log in, open a cluster, confirm whom the reply
goes to, answer it once, and see it leave the open list while each channel gets its
delivery; and a twin cluster merged from the "similar clusters" panel."""

from __future__ import annotations

import time

import pytest

from sift import db
from sift.inbox import service
from sift.inbox.models import DeliveryStatus
from tests.support.browser import browser_page, log_in, served_app

from .conftest import fan_message, ingest, new_creator, split_off_twin

pytestmark = pytest.mark.browser


def wait_until_delivered(cluster_id, expected: int, timeout_s: float = 30) -> list:
    deadline = time.monotonic() + timeout_s
    while True:
        with db.session_scope() as session:
            rows = service.delivery_tasks(session, cluster_id)
        delivered = [r for r in rows if r.status is DeliveryStatus.delivered]
        if len(delivered) == expected or time.monotonic() > deadline:
            return delivered
        time.sleep(0.2)


def test_bulk_reply_from_the_inbox_page(app_runtime: str, embedder, chromium) -> None:
    from playwright.sync_api import expect

    creator = new_creator()
    questions = ["Do you ship to Canada?", "Can you ship to Canada?", "do you ship to canada??"]
    results = [ingest(fan_message(creator, f"ch{i}", q)) for i, q in enumerate(questions)]
    cluster_id = results[0].cluster_id

    with served_app() as server, browser_page(server, chromium) as page:
        log_in(page, server)
        page.goto(f"{server}/inbox?creator={creator}")
        row = page.locator(f"tr[data-cluster='{cluster_id}']")
        expect(row.locator(".channel-count")).to_have_text("3")
        row.locator("a").click()
        expect(page.locator("tr.message")).to_have_count(3)
        page.fill("#response_text", "Yes, we ship to Canada!")
        page.click("#send-reply")
        expect(page.locator("#audience")).to_contain_text("3 fans in 3 channels")
        page.click("#confirm-send")
        expect(page.locator(".banner.ok")).to_contain_text("3 channels")
        expect(page.locator(f"tr[data-cluster='{cluster_id}']")).to_have_count(0)

    delivered = wait_until_delivered(cluster_id, 3)
    assert len(delivered) == 3 and {d.text for d in delivered} == {"Yes, we ship to Canada!"}


def test_merge_a_similar_cluster_then_confirm_the_reply(
    app_runtime: str, embedder, chromium
) -> None:
    from playwright.sync_api import expect

    creator = new_creator()
    questions = ["Is there a student discount?", "Do students get a discount?", "student discount?"]
    twin = split_off_twin(creator, questions)
    with db.session_scope() as session:
        [original] = [
            v.id
            for v in service.list_clusters(session, creator_external_id=creator)
            if v.id != twin
        ]

    with served_app() as server, browser_page(server, chromium) as page:
        log_in(page, server)
        page.goto(f"{server}/inbox/clusters/{original}")
        expect(page.locator("tr.message")).to_have_count(2)
        suggestion = page.locator(f"#similar-clusters li[data-cluster='{twin}']")
        expect(suggestion).to_contain_text(questions[0])
        page.once("dialog", lambda dialog: dialog.accept())  # "Merge …?"
        suggestion.locator("button.merge").click()
        expect(page.locator("tr.message")).to_have_count(3)
        expect(page.locator("#similar-clusters")).to_have_count(0)
        page.fill("#response_text", "Yes: 20% off with a student email.")
        page.click("#send-reply")
        expect(page.locator("#audience")).to_contain_text("3 fans in 3 channels")
        page.click("#edit-reply")
        expect(page.locator("#response_text")).to_have_value("Yes: 20% off with a student email.")
        page.click("#send-reply")
        page.click("#confirm-send")
        expect(page.locator(".banner.ok")).to_contain_text("3 channels")

    assert len(wait_until_delivered(original, 3)) == 3
