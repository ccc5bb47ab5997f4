"""The crawl workflow: pages land in the page cache under the source's key, unchanged pages
are counted, failures are recorded on the source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from sift import db, workflows
from sift.config import get_settings
from sift.directory.ingest.pages import RawPage
from sift.directory.models import ExtractionPage, SourceStatus
from sift.directory.registry import flows, service
from tests.fakes.apify_server import FakeApifyServer
from tests.fakes.site_server import SiteServer


@pytest.fixture
def site() -> SiteServer:
    with SiteServer() as server:
        server.page("/", "Home", "<p>Welcome to the centre.</p><a href='/pantry'>Pantry</a>")
        server.page("/pantry", "Pantry", "<h1>Food pantry</h1><p>Open Tuesdays 10am-2pm.</p>" * 3)
        yield server


def _website_source(root_url: str) -> str:
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Org {root_url}")
        source = service.add_source(
            session, organization=org, source_type="website", value=root_url
        )
        source.url = root_url  # crawl the plain-http test server; pages keep the https key
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        return str(source.id)


def test_crawl_stores_pages_then_counts_unchanged_ones(app_runtime: str, site: SiteServer) -> None:
    source_id = _website_source(site.base_url)
    first = workflows.wait_for(flows.start_crawl(source_id))
    assert first["status"] == "completed"
    assert first["pages_stored"] == 2 and first["pages_unchanged"] == 0

    site.page("/pantry", "Pantry", "<h1>Food pantry</h1><p>Now also open Thursdays.</p>" * 3)
    second = workflows.wait_for(flows.start_crawl(source_id))
    assert (second["pages_stored"], second["pages_unchanged"]) == (1, 1)

    with db.session_scope() as session:
        source = service.get_source_or_raise(session, ref=source_id)
        key = service.source_site_url(source)
        pages = session.scalars(
            sa.select(ExtractionPage).where(ExtractionPage.site_url == key)
        ).all()
        assert len(pages) == 2
        assert source.last_scraped_at is not None and source.last_error is None
        assert any("Thursdays" in p.content for p in pages)


def test_a_failed_crawl_records_the_error_and_keeps_earlier_pages(
    app_runtime: str, site: SiteServer
) -> None:
    source_id = _website_source(site.base_url)
    workflows.wait_for(flows.start_crawl(source_id))
    with db.session_scope() as session:
        source = service.get_source_or_raise(session, ref=source_id)
        scraped_at = source.last_scraped_at
        source.url = "http://10.0.0.1"  # refused by the SSRF guard
    outcome = workflows.wait_for(flows.start_crawl(source_id))
    assert outcome["status"] == "failed" and outcome["error"]
    with db.session_scope() as session:
        source = service.get_source_or_raise(session, ref=source_id)
        assert source.last_error and source.last_scraped_at == scraped_at
        assert service.page_count(session, site_url=service.source_site_url(source)) == 2


def test_social_source_without_apify_token_fails_clearly(app_runtime: str) -> None:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Social only")
        source = service.add_source(
            session, organization=org, source_type="instagram", value="@social_only"
        )
        source_id = str(source.id)
    outcome = workflows.wait_for(flows.start_crawl(source_id))
    assert outcome["status"] == "failed"
    assert "SIFT_APIFY_TOKEN is not set" in outcome["error"]


def test_a_page_with_nul_characters_is_stored_without_them(
    app_runtime: str, site: SiteServer
) -> None:
    """A page in a mis-declared encoding is full of NULs, which PostgreSQL cannot store:
    they are dropped, and the crawl keeps every page."""
    site.page("/pantry", "Pan\x00try", "<h1>Food\x00 pantry</h1><p>Open Tuesdays.</p>" * 3)
    source_id = _website_source(site.base_url)
    crawl = workflows.wait_for(flows.start_crawl(source_id))
    assert crawl["status"] == "completed" and crawl["pages_stored"] == 2
    with db.session_scope() as session:
        pantry = session.scalars(
            sa.select(ExtractionPage).where(ExtractionPage.url.endswith("/pantry"))
        ).all()
    assert pantry and all("\x00" not in p.content and "Food" in p.content for p in pantry)


def test_a_page_removed_from_the_site_leaves_the_page_cache(
    app_runtime: str, site: SiteServer
) -> None:
    source_id = _website_source(site.base_url)
    workflows.wait_for(flows.start_crawl(source_id))
    site.routes.pop("/pantry")  # now answers 404
    again = workflows.wait_for(flows.start_crawl(source_id))
    assert again["pages_removed"] == 1
    with db.session_scope() as session:
        source = service.get_source_or_raise(session, ref=source_id)
        urls = [
            p.url
            for p in service.pages_for_sites(session, site_urls=[service.source_site_url(source)])
        ]
    assert len(urls) == 1 and not urls[0].endswith("/pantry")


def test_a_social_fetch_replaces_the_accounts_cached_posts(app_runtime: str) -> None:
    """A social fetch is the account's whole recent window: posts that aged out of it (or
    were deleted) leave the pool."""
    site_url = "https://www.instagram.com/pruned_account/"
    posts = [
        RawPage(url=f"{site_url}p/{i}", site_url=site_url, content=f"Post {i}") for i in range(3)
    ]
    with db.session_scope() as session:
        service.store_pages(session, pages=posts)
        dropped = service.drop_pages(session, site_url=site_url, keep_only=[posts[2].url])
        left = [p.url for p in service.pages_for_sites(session, site_urls=[site_url])]
    assert dropped == 2 and left == [posts[2].url]


@pytest.fixture
def apify(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApifyServer]:
    with FakeApifyServer() as server:
        monkeypatch.setenv("SIFT_APIFY_TOKEN", server.token)
        monkeypatch.setenv("SIFT_APIFY_BASE_URL", server.base_url)
        get_settings.cache_clear()
        yield server
    get_settings.cache_clear()


def _instagram_posts(count: int) -> list[dict[str, str]]:
    posted = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    return [
        {"url": f"https://www.instagram.com/p/P{i}/", "caption": f"Post {i}", "timestamp": posted}
        for i in range(count)
    ]


@pytest.mark.parametrize("returned", [0, 2])
def test_a_social_fetch_with_nothing_or_far_less_keeps_the_cached_posts_and_warns(
    app_runtime: str, apify: FakeApifyServer, returned: int
) -> None:
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Vanishing posts {returned}")
        source = service.add_source(
            session, organization=org, source_type="instagram", value=f"@vanishing{returned}"
        )
        source_id, site_url = str(source.id), service.source_site_url(source)
    apify.set_items("apify/instagram-post-scraper", _instagram_posts(12))
    assert workflows.wait_for(flows.start_crawl(source_id))["pages_stored"] == 12

    apify.set_items("apify/instagram-post-scraper", _instagram_posts(returned))
    outcome = workflows.wait_for(flows.start_crawl(source_id))

    assert outcome["status"] == "completed" and outcome["pages_removed"] == 0
    assert f"returned {returned} posts where 12 were cached" in outcome["warning"]
    with db.session_scope() as session:
        assert service.page_count(session, site_url=site_url) == 12
        source = service.get_source_or_raise(session, ref=source_id)
        assert source.last_error and source.last_error.startswith("warning: ")


def test_a_social_fetch_missing_a_few_aged_out_posts_still_prunes_them(
    app_runtime: str, apify: FakeApifyServer
) -> None:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Ageing posts")
        source = service.add_source(
            session, organization=org, source_type="instagram", value="@ageing"
        )
        source_id = str(source.id)
    apify.set_items("apify/instagram-post-scraper", _instagram_posts(12))
    workflows.wait_for(flows.start_crawl(source_id))
    apify.set_items("apify/instagram-post-scraper", _instagram_posts(10))
    outcome = workflows.wait_for(flows.start_crawl(source_id))
    assert outcome["pages_removed"] == 2 and outcome["warning"] is None
