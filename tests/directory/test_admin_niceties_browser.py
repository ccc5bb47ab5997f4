"""The admin pages on a phone, in headless Chromium at 390 px wide: no page scrolls
sideways (a wide table scrolls inside its own box), every page passes axe, the login
returns to the page asked for, and a refused form points at the field to correct."""

from __future__ import annotations

import uuid

import pytest

from sift import db, workflows
from sift.config import get_settings
from sift.directory.models import SourceStatus
from sift.directory.proposals import recovery, sync
from sift.directory.registry import flows, service
from tests.support.browser import (
    browser_page,
    screenshot,
    serious_accessibility_problems,
    served_app,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LONG_WORD = "Supercalifragilisticexpialidocious-community-programme-" * 3
"""A title with no place to break: the pages must wrap it, not widen."""

OVERFLOW = """() => {
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.closest('.scroll'))
    .slice(0, 3)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className) : ''));
  return {width: document.documentElement.scrollWidth, wide};
}"""
"""How wide the page is, and the first elements sticking out (outside a scrolling box)."""


@pytest.fixture(scope="module")
def everything(app_runtime: str) -> dict[str, str]:
    """An organization with sources, a published post with a long title, an archived one,
    a pending extraction batch and a finished crawl: every admin page has something."""
    with db.session_scope() as session:
        org = service.create_organization(
            session, name=f"Harbor Light Community Center {uuid.uuid4().hex[:4]}"
        )
        org.description = "Meals, groceries and company for the neighbourhood. " * 3
        source = service.add_source(
            session, organization=org, source_type="instagram", value="@harborlight_phone_test"
        )
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        service.add_source(
            session,
            organization=org,
            source_type="website",
            value="a-rather-long-domain-name-for-a-community-center.example",
        )
        content = {
            "title": LONG_WORD,
            "summary": "Hot lunches for older neighbours.",
            "description": "A hot lunch at noon every weekday. " * 20,
            "contact": {"email": "lunch-club-reservations@harborlight.example"},
            "schedule": [{"days": ["Monday", "Wednesday"], "start": "12:00", "end": "13:30"}],
            "tags": ["seniors", "food"],
        }
        post = recovery.add_post(
            session, organization_id=org.id, content=content, added_by="ada@example.org"
        )
        gone = recovery.add_post(
            session,
            organization_id=org.id,
            content={"title": "Winter coats", "description": "Free coats."},
            added_by="ada@example.org",
        )
        recovery.archive_post(session, post=gone, archived_by="ada@example.org")
        sync.stage_extraction(
            session,
            organization_id=org.id,
            fresh=[sync.FreshPost(title="Book club", description="Thursdays 7pm, all ages.")],
            embedder=None,
        )
        ids = {"org": str(org.id), "post": str(post.id), "gone": str(gone.id)}
        source_id = str(source.id)
    with workflows.started_by("ada@example.org"):
        ids["run"] = flows.start_crawl(source_id)
    workflows.wait_for(ids["run"])
    return ids


def _log_in_at(page, base_url: str, asked: str) -> None:
    settings = get_settings()
    page.goto(f"{base_url}{asked}")
    page.wait_for_url("**/login?next=*")
    page.fill("input[name=email]", settings.admin_email)
    page.fill("input[name=password]", settings.admin_password.get_secret_value())
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base_url}{asked}")


def test_every_admin_page_fits_a_phone_and_passes_axe(everything: dict[str, str], chromium) -> None:
    ids = everything
    org = ids["org"]
    pages = [
        "/orgs",
        f"/orgs/{org}",
        f"/orgs/{org}?status=deleted",
        f"/orgs/{org}/posts/new",
        f"/posts/{ids['post']}",
        f"/posts/{ids['gone']}",
        "/proposals",
        f"/proposals?org={org}",
        "/runs",
        "/runs?kind=housekeeping",
        f"/runs/{ids['run']}",
        "/inbox",
        "/quality",
        "/no-such-page",
    ]
    wide: dict[str, object] = {}
    problems: dict[str, list[str]] = {}
    with served_app() as base_url, browser_page(base_url, chromium) as page:
        page.set_viewport_size(PHONE)
        page.goto(f"{base_url}/login")
        wide["/login"] = page.evaluate(OVERFLOW)
        problems["/login"] = serious_accessibility_problems(page)
        _log_in_at(page, base_url, f"/runs/{ids['run']}")  # back to the page asked for
        for path in pages:
            page.goto(f"{base_url}{path}")
            wide[path] = page.evaluate(OVERFLOW)
            problems[path] = serious_accessibility_problems(page)
        page.goto(f"{base_url}/graphql")
        page.wait_for_selector(".graphiql-container")
        assert page.locator("meta[name=viewport]").count() == 1
        wide["/graphql"] = page.evaluate(OVERFLOW)
        screenshot(page, "phone-graphiql")
    too_wide = [f"{path}: {seen}" for path, seen in wide.items() if seen["width"] > PHONE["width"]]
    assert not too_wide, "pages wider than a phone:\n" + "\n".join(too_wide)
    failing = [f"{path}: {found}" for path, found in problems.items() if found]
    assert not failing, "axe:\n" + "\n".join(failing)


def test_a_refused_post_points_at_the_field_to_correct_on_a_phone(
    everything: dict[str, str], chromium
) -> None:
    """ "Tuesdays 5 to 8" is refused beside the field it was typed in, which a screen reader
    announces with its problem; the corrected form publishes the post."""
    ids = everything
    with served_app() as base_url, browser_page(base_url, chromium) as page:
        page.set_viewport_size(PHONE)
        _log_in_at(page, base_url, f"/orgs/{ids['org']}/posts/new")
        page.fill("#f-title", "Homework Club")
        page.fill("#f-schedule-words", "Tuesdays 5 to 8")
        page.click("text=Publish post")
        words = page.locator("#f-schedule-words")
        assert words.get_attribute("aria-invalid") == "true"
        problem = page.locator(f"#{words.get_attribute('aria-describedby')}").inner_text()
        assert problem.startswith("read Tuesday but no time")
        assert page.locator("#f-title").input_value() == "Homework Club"
        assert page.evaluate(OVERFLOW)["width"] <= PHONE["width"]
        assert serious_accessibility_problems(page) == []
        screenshot(page, "phone-refused-post")

        words.fill("Tuesdays 5pm to 8pm")
        page.click("text=Publish post")
        page.wait_for_url("**/posts/*")
        assert "Tuesday 5 pm \u2013 8 pm" in page.inner_text(".post-content")
