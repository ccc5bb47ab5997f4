"""Triage in a real browser, as a creator works: the slider says its value, previews the
clusters a setting gives and what Save did; Move starts on a placeholder and is undone; a
merge asks first and is undone; ticked messages are removed together and come back; a
search by meaning finds the merch cluster by "shop"; and nothing overflows on a 390 px
phone, with no serious accessibility problem (axe)."""

from __future__ import annotations

import re

import pytest

from sift import db
from sift.inbox import service
from tests.support.browser import (
    browser_page,
    log_in,
    serious_accessibility_problems,
    served_app,
)

from .conftest import fan_message, ingest, new_creator, split_off_twin

pytestmark = pytest.mark.browser

PRICE = [
    "How much does the monthly subscription cost?",
    "What is the price of the monthly subscription?",
    "how much is the subscription per month",
]
MERCH = ["Is the store restocking the hoodies?", "When will the hoodies be back in the store?"]


def seed(creator: str, texts: list[str], prefix: str) -> str:
    results = [ingest(fan_message(creator, f"{prefix}{i}", t)) for i, t in enumerate(texts)]
    return str(results[0].cluster_id)


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_slider_says_its_value_previews_and_is_told_after_save(
    app_runtime: str, embedder, chromium
) -> None:
    from playwright.sync_api import expect

    creator = new_creator()
    seed(creator, PRICE, "p")
    seed(creator, MERCH, "m")
    with served_app() as server, browser_page(server, chromium) as page:
        log_in(page, server)
        page.goto(f"{server}/inbox?creator={creator}")
        page.eval_on_selector(
            "#strictness",
            "el => { el.value = '0.9'; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        )
        expect(page.locator("#strictness-value")).to_have_text("0.90")
        expect(page.locator("#strictness-preview")).to_contain_text(re.compile(r"About \d+"))
        page.click("#save-strictness")
        expect(page.locator(".banner.ok")).to_contain_text("Grouping saved: 0.90")
        assert serious_accessibility_problems(page) == []


def test_move_then_undo_and_merge_after_a_question(app_runtime: str, embedder, chromium) -> None:
    from playwright.sync_api import expect

    creator = new_creator()
    twin = str(split_off_twin(creator, PRICE))
    with db.session_scope() as session:
        [original] = [
            str(v.id)
            for v in service.list_clusters(session, creator_external_id=creator)
            if str(v.id) != twin
        ]
    with served_app() as server, browser_page(server, chromium) as page:
        log_in(page, server)
        page.goto(f"{server}/inbox/clusters/{original}")
        first = page.locator("tr.message").first
        expect(first.locator("select[name=to] option:checked")).to_have_text("Move to…")
        first.locator("select[name=to]").select_option("new")
        first.locator("form.move button").click()
        expect(page.locator("#change-notice")).to_contain_text("moved to this cluster")
        page.click("#undo-change")
        expect(page.locator(".banner.ok")).to_contain_text("Undone")
        expect(page.locator("tr.message")).to_have_count(2)

        asked: list[str] = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        page.locator(f"#similar-clusters li[data-cluster='{twin}'] button.merge").click()
        expect(page.locator("#change-notice")).to_contain_text("Merged")
        assert asked and "Merge" in asked[0]
        expect(page.locator("tr.message")).to_have_count(3)
        page.click("#undo-change")
        expect(page.locator("tr.message")).to_have_count(2)


def test_ticked_messages_are_removed_together_and_come_back(
    app_runtime: str, embedder, chromium
) -> None:
    from playwright.sync_api import expect

    creator = new_creator()
    cluster = seed(creator, PRICE, "p")
    with served_app() as server, browser_page(server, chromium) as page:
        log_in(page, server)
        page.goto(f"{server}/inbox/clusters/{cluster}")
        boxes = page.locator("tr.message input[type=checkbox]")
        boxes.nth(0).check()
        boxes.nth(1).check()
        expect(page.locator("#selected-count")).to_have_text("2 messages ticked.")
        page.click("#remove-selected")
        expect(page.locator(".undo-banner")).to_contain_text("2 messages removed")
        expect(page.locator("tr.message")).to_have_count(1)
        page.click("#undo-remove")
        expect(page.locator("tr.message")).to_have_count(3)


def test_search_by_meaning_and_no_overflow_on_a_phone(app_runtime: str, embedder, chromium) -> None:
    from playwright.sync_api import expect

    creator = new_creator()
    merch = seed(creator, MERCH, "m")
    cluster = seed(creator, PRICE, "p")
    ingest(fan_message(creator, "vip", "Could you record a birthday video?", paid=True))
    with served_app() as server, browser_page(server, chromium) as page:
        log_in(page, server)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{server}/inbox?creator={creator}&q=shop")
        expect(page.locator(f"tr[data-cluster='{merch}']")).to_have_count(1)
        page.goto(f"{server}/inbox?creator={creator}")
        expect(page.locator("tr.cluster-row").first).to_contain_text("Paid")
        assert overflow(page) <= 0
        assert serious_accessibility_problems(page) == []
        page.goto(f"{server}/inbox/clusters/{cluster}")
        expect(page.locator("tr.message")).to_have_count(3)
        assert overflow(page) <= 0
        assert serious_accessibility_problems(page) == []
