"""The public directory at `/`: residents search published posts by words and by meaning,
filter by topic, weekday and "open now", read an organization's and a service's page (with
schema.org JSON-LD), subscribe to an organization's schedule, and bad input is a one-line
answer, never a 500. The admin UI lives under `/admin` and needs a login."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from typer.testing import CliRunner

from sift import db
from sift.ai.embeddings import EmbeddingError, get_embedder
from sift.api import create_app
from sift.cli import app
from sift.config import get_settings
from sift.directory.bench.search import SEARCH_QUERIES
from sift.directory.models import Post, PostStatus
from sift.directory.public import post_vectors
from sift.directory.public import views as public
from sift.directory.registry import service
from tests.conftest import admin_login

TUESDAY_11 = datetime(2025, 3, 4, 11, 0)
PANTRY = {
    "title": "Food Pantry",
    "summary": "Free groceries for any household in the county.",
    "description": "Fresh produce and canned food, no ID needed.",
    "contact": {"phone": "(555) 201-3344", "email": "pantry@harbor.example"},
    "location": "412 Harbor Street, Springfield, IL 62701",
    "schedule": [{"days": ["Tuesday", "Thursday"], "start": "10:00", "end": "14:00"}],
    "tags": ["category:food"],
}
LUNCH = {
    "title": "Senior Lunch",
    "summary": "A hot lunch and company for older neighbours.",
    "description": "Served in Fellowship Hall.",
    "audience": "seniors 60+",
    "schedule": [
        {"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "start": "12:00"}
    ],
    "tags": ["category:meals"],
}
TAX = {
    "title": "Free Tax Preparation",
    "summary": "Volunteers file your income tax return for free.",
    "description": "Bring last year's return and your W-2 forms.",
    "contact": {"website": "javascript:alert(1)", "phone": "(555) 300-1000"},
    "schedule": [{"days": ["Saturday"], "start": "09:00", "end": "12:00"}],
    "tags": ["category:money"],
}


@pytest.fixture(scope="module")
def directory(database: str) -> dict[str, str]:
    """Two organizations with published posts, a pending draft and a deleted post, all
    embedded as the embedding tick leaves them."""
    with db.session_scope() as session:
        harbor = service.create_organization(session, name="Harbor Light", description="Meals.")
        service.add_source(
            session, organization=harbor, source_type="website", value="harbor.example"
        )
        tax = service.create_organization(
            session, name="Riverside Tax Help", description="Help </script><b>with forms</b>."
        )
        posts = {
            "pantry": Post(organization_id=harbor.id, status=PostStatus.active, **PANTRY),
            "lunch": Post(organization_id=harbor.id, status=PostStatus.active, **LUNCH),
            "tax": Post(organization_id=tax.id, status=PostStatus.active, **TAX),
            "draft": Post(organization_id=harbor.id, title="Draft pantry", description="x"),
            "gone": Post(
                organization_id=harbor.id,
                status=PostStatus.active,
                title="Gone pantry",
                deleted_at=db.utcnow(),
            ),
        }
        session.add_all(posts.values())
        session.flush()
        post_vectors.embed_stale_posts(session, embedder=get_embedder())
        ids = {name: str(post.id) for name, post in posts.items()}
        return {**ids, "harbor": str(harbor.id), "tax_org": str(tax.id)}


@pytest.fixture(scope="module")
def client(directory: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client


@pytest.fixture
def tuesday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public, "local_now", lambda: TUESDAY_11)


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/services/[^"]+">([^<]+)</a></h2>', html)


def json_ld(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


# --- search ---------------------------------------------------------------------------------


def test_the_directory_is_public_and_lists_only_published_posts(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert sorted(titles(page.text)) == ["Food Pantry", "Free Tax Preparation", "Senior Lunch"]
    assert 'href="/hsds/organizations"' in page.text


def test_words_find_posts_that_say_them(client: TestClient) -> None:
    assert titles(client.get("/", params={"q": "pantry"}).text) == ["Food Pantry"]
    assert titles(client.get("/", params={"q": "hot LUNCH"}).text) == ["Senior Lunch"]


def test_meaning_finds_a_need_phrased_in_other_words(client: TestClient) -> None:
    page = client.get("/", params={"q": "someone to do my taxes"}).text
    assert titles(page) == ["Free Tax Preparation"]
    assert 'class="badge"' in page and "related" in page


def test_an_edited_post_is_embedded_again_once(directory: dict[str, str]) -> None:
    with db.session_scope() as session:
        post = session.get_one(Post, uuid.UUID(directory["lunch"]))
        post.summary = "A hot midday meal and company for older neighbours."
    with db.session_scope() as session:
        assert post_vectors.embed_stale_posts(session, embedder=get_embedder()) == 1
        assert post_vectors.embed_stale_posts(session, embedder=get_embedder()) == 0


def test_filters_by_topic_weekday_and_open_now(client: TestClient, tuesday_morning: None) -> None:
    assert titles(client.get("/", params={"tag": "category:money"}).text) == [
        "Free Tax Preparation"
    ]
    assert titles(client.get("/", params={"day": "saturday"}).text) == ["Free Tax Preparation"]
    assert sorted(titles(client.get("/", params={"day": "TU"}).text)) == [
        "Food Pantry",
        "Senior Lunch",
    ]
    assert titles(client.get("/", params={"open": "1"}).text) == ["Food Pantry"]


def test_a_search_within_a_filter_and_without_meaning(
    client: TestClient, tuesday_morning: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words and meaning within a filter (the index scan goes on past filtered-out posts),
    and words alone while the embedding API is down."""
    assert titles(client.get("/", params={"q": "free", "day": "saturday"}).text) == [
        "Free Tax Preparation"
    ]
    assert titles(client.get("/", params={"q": "food", "tag": "category:food"}).text) == [
        "Food Pantry"
    ]

    class Down:
        def embed(self, texts: list[str]) -> list[Any]:
            raise EmbeddingError("the embedding API is down")

    monkeypatch.setattr(public, "get_embedder", Down)
    assert titles(client.get("/", params={"q": "pantry"}).text) == ["Food Pantry"]
    assert "Nothing found" in client.get("/", params={"q": "someone to do my taxes"}).text


def test_open_now_counts_an_hour_for_an_entry_without_an_end(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public, "local_now", lambda: TUESDAY_11.replace(hour=12, minute=30))
    assert sorted(titles(client.get("/", params={"open": "1"}).text)) == [
        "Food Pantry",
        "Senior Lunch",
    ]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/?page=99999999999999999999", 400, "page must be a number from 1 to 1000"),
        ("/?page=-1", 400, "page must be a number"),
        ("/?page=7", 404, "there is no page 7"),
        ("/?day=funday", 400, "is not a weekday"),
        ("/?q=" + "x" * 201, 400, "at most 200 characters"),
        ("/organizations/not-an-id", 404, "no organization with id"),
        (f"/organizations/{uuid.uuid4()}", 404, "no organization with id"),
        (f"/organizations/{uuid.uuid4()}.ics", 404, "no organization with id"),
        ("/services/12", 404, "no service with id"),
    ],
)
def test_bad_input_is_a_one_line_page_not_a_500(
    client: TestClient, path: str, status: int, message: str
) -> None:
    answer = client.get(path, headers={"accept": "text/html"})
    assert answer.status_code == status
    line = re.search(r'<p class="error" role="alert">(.*?)</p>', answer.text, re.S)
    assert line and message in line.group(1) and "\n" not in line.group(1)


def test_drafts_deleted_posts_and_nul_characters_are_refused(
    client: TestClient, directory: dict[str, str]
) -> None:
    for name in ("draft", "gone"):
        assert client.get(f"/services/{directory[name]}").status_code == 404
    assert client.get("/?q=a%00b").status_code == 400


# --- pages, JSON-LD, calendar ---------------------------------------------------------------


def test_service_page_describes_the_service_in_schema_org(
    client: TestClient, directory: dict[str, str]
) -> None:
    page = client.get(f"/services/{directory['pantry']}").text
    data = json_ld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Service"
    assert data["name"] == "Food Pantry" and data["provider"]["name"] == "Harbor Light"
    hours = data["hoursAvailable"][0]
    assert hours["dayOfWeek"] == ["https://schema.org/Tuesday", "https://schema.org/Thursday"]
    assert (hours["opens"], hours["closes"]) == ("10:00", "14:00")
    channel = data["availableChannel"]
    assert channel["servicePhone"]["telephone"] == "(555) 201-3344"
    assert channel["serviceLocation"]["address"] == PANTRY["location"]
    assert "Tuesday, Thursday 10 am \u2013 2 pm" in page and 'href="tel:(555)201-3344"' in page


def test_a_scraped_javascript_link_is_never_a_link(
    client: TestClient, directory: dict[str, str]
) -> None:
    page = client.get(f"/services/{directory['tax']}").text
    assert "javascript:" not in page
    assert "serviceUrl" not in json_ld(page)["availableChannel"]


def test_organization_page_lists_its_services_in_json_ld(
    client: TestClient, directory: dict[str, str]
) -> None:
    page = client.get(f"/organizations/{directory['harbor']}").text
    data = json_ld(page)
    assert data["@type"] == "Organization" and data["name"] == "Harbor Light"
    offered = sorted(o["itemOffered"]["name"] for o in data["makesOffer"])
    assert offered == ["Food Pantry", "Senior Lunch"]
    assert f'href="/organizations/{directory["harbor"]}.ics"' in page


def test_json_ld_cannot_close_its_script_element(
    client: TestClient, directory: dict[str, str]
) -> None:
    page = client.get(f"/organizations/{directory['tax_org']}").text
    assert json_ld(page)["description"] == "Help </script><b>with forms</b>."
    assert "<b>with forms" not in page


def test_calendar_feed_repeats_each_schedule_weekly(
    client: TestClient, directory: dict[str, str]
) -> None:
    answer = client.get(f"/organizations/{directory['harbor']}.ics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    events = {e["summary"]: e for e in Calendar.from_ical(answer.content).walk("VEVENT")}
    assert sorted(events) == ["Food Pantry", "Senior Lunch"]
    pantry = events["Food Pantry"]
    assert pantry["rrule"]["FREQ"] == ["WEEKLY"] and pantry["rrule"]["BYDAY"] == ["TU", "TH"]
    assert pantry.decoded("dtstart").strftime("%A %H:%M") in {"Tuesday 10:00", "Thursday 10:00"}
    assert pantry.decoded("dtend").strftime("%H:%M") == "14:00"
    again = client.get(f"/organizations/{directory['harbor']}.ics").content
    assert answer.content == again, "a feed must not change between two requests"


def test_admin_home_moved_to_admin_behind_the_login(client: TestClient) -> None:
    assert client.get("/admin", follow_redirects=False).headers["location"] == "/login"
    signed_in = client.post("/login", data=admin_login(), follow_redirects=False)
    assert signed_in.headers["location"] == "/admin"
    client.cookies.clear()


# --- benchmark ------------------------------------------------------------------------------


@pytest.fixture
def on_test_database(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The bench makes its scratch database beside the configured one: this module's."""
    monkeypatch.setenv("SIFT_DATABASE_URL", database)
    get_settings.cache_clear()
    yield database
    monkeypatch.undo()
    get_settings.cache_clear()
    db.configure(database)


def test_bench_search_reports_latency_beside_plain_ilike(on_test_database: str) -> None:
    result = CliRunner().invoke(
        app, ["bench", "search", "--posts", "300", "--rounds", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["posts"] == 300 and figures["samples"] == 2 * len(SEARCH_QUERIES)
    assert figures["search_p95_ms"] >= figures["search_p50_ms"] > 0
    assert figures["ilike_p95_ms"] >= figures["ilike_p50_ms"] > 0 and figures["p95_ratio"] > 0
    # 300 posts hold every service's variants: the needs phrased differently find theirs too
    assert figures["recall_at_5"] >= 0.75 and figures["mrr"] >= 0.6


# --- in the browser -------------------------------------------------------------------------


@pytest.mark.browser
def test_a_resident_searches_filters_and_subscribes_in_a_phone_browser(
    directory: dict[str, str], tuesday_morning: None, tmp_path: Path
) -> None:
    from tests.support.browser import browser_page, chromium_browser, served_app

    with (
        served_app() as base_url,
        chromium_browser() as chromium,  # not the module's: its other tests need the loop
        browser_page(base_url, chromium) as page,
    ):
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base_url + "/")
        page.fill("input[name=q]", "pantry")
        page.click("form.search button[type=submit]")
        page.wait_for_url(re.compile(r".*q=pantry.*"))
        assert page.locator(".result h2").all_inner_texts() == ["Food Pantry"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.fill("input[name=q]", "")
        page.select_option("select[name=day]", "saturday")
        page.click("form.search button[type=submit]")
        page.wait_for_url(re.compile(r".*day=saturday.*"))
        assert page.locator(".result h2").all_inner_texts() == ["Free Tax Preparation"]

        page.select_option("select[name=day]", "")
        page.check("input[name=open]")
        page.click("form.search button[type=submit]")
        page.wait_for_url(re.compile(r".*open=1.*"))
        assert page.locator(".result h2").all_inner_texts() == ["Food Pantry"]

        page.click("text=Harbor Light")
        page.wait_for_url(f"{base_url}/organizations/{directory['harbor']}")
        assert page.locator("h1").inner_text() == "Harbor Light"
        assert sorted(page.locator(".result h3").all_inner_texts()) == [
            "Food Pantry",
            "Senior Lunch",
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        with page.expect_download() as download:
            page.click("a.calendar")
        saved = tmp_path / "harbor.ics"
        download.value.save_as(saved)
        events = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
        assert sorted(str(e["summary"]) for e in events) == ["Food Pantry", "Senior Lunch"]
