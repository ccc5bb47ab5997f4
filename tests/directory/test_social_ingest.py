"""Social ingestors through the real `apify-client` against a fake Apify API, and JSON import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sift.config import load_settings
from sift.directory.ingest.fetchers import build_ingestor
from sift.directory.ingest.ingestor import (
    DiscoverConfig,
    IngestFailed,
    Ingestor,
    IngestorNotConfigured,
)
from sift.directory.ingest.social import (
    FacebookIngestor,
    InstagramIngestor,
    InvalidImportFile,
    JsonImportIngestor,
    XIngestor,
)
from tests.fakes.apify_server import FakeApifyServer

NOW = datetime(2026, 2, 11, 12, 0, tzinfo=UTC)
IG_ACTOR = "apify/instagram-post-scraper"
FB_ACTOR = "apify/facebook-posts-scraper"
X_ACTOR = "apidojo/tweet-scraper"


@pytest.fixture
def apify() -> Iterator[FakeApifyServer]:
    with FakeApifyServer() as server:
        yield server


def iso(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")


def settings_for(apify: FakeApifyServer, **overrides: Any):
    return load_settings(apify_token=apify.token, apify_base_url=apify.base_url, **overrides)


def config(site_url: str, handle: str, **kwargs: Any) -> DiscoverConfig:
    return DiscoverConfig(site_url=site_url, handle=handle, now=NOW, **kwargs)


def test_instagram_posts_become_markdown_pages_with_platform_metadata(
    apify: FakeApifyServer,
) -> None:
    apify.set_items(
        IG_ACTOR,
        [
            {
                "url": "https://www.instagram.com/p/AAA/",
                "caption": "Free community dinner this Friday at 6pm!",
                "timestamp": iso(2),
                "locationName": "Eastside Community Hall",
                "ownerUsername": "eastsidefood",
                "displayUrl": "https://cdn.example/aaa.jpg",
            },
            {
                "url": "https://www.instagram.com/p/OLD/",
                "caption": "Last year",
                "timestamp": iso(45),
            },
            {"url": "https://www.instagram.com/p/EMPTY/", "caption": "   ", "timestamp": iso(1)},
            {"url": "https://www.instagram.com/p/NOCAP/", "timestamp": iso(1)},
            {"error": "not_found", "errorDescription": "Private profile"},
        ],
    )
    ingestor = build_ingestor("instagram", settings_for(apify))
    site_url = "https://www.instagram.com/eastsidefood/"

    pages = ingestor.discover(config(site_url, "@EastsideFood"))

    assert isinstance(ingestor, InstagramIngestor) and isinstance(ingestor, Ingestor)
    assert [p.url for p in pages] == ["https://www.instagram.com/p/AAA/"]
    page = pages[0]
    assert page.site_url == site_url
    assert page.content == (
        "# Instagram post by @eastsidefood\n\n"
        "Free community dinner this Friday at 6pm!\n\n"
        "---\n\n"
        "**Location**: Eastside Community Hall\n"
        "**Posted**: February 09, 2026\n"
    )
    assert page.metadata["platform"] == "instagram"
    assert page.metadata["handle"] == "eastsidefood"
    assert page.metadata["location"] == "Eastside Community Hall"
    assert page.metadata["posted_at"] == "2026-02-09T12:00:00+00:00"
    assert page.metadata["image_url"] == "https://cdn.example/aaa.jpg"
    assert apify.run_inputs(IG_ACTOR) == [
        {"username": ["eastsidefood"], "resultsLimit": 50, "onlyPostsNewerThan": "30 days"}
    ]


def test_only_the_fifty_newest_posts_of_the_last_thirty_days_are_kept(
    apify: FakeApifyServer,
) -> None:
    items = [
        {
            "url": f"https://www.facebook.com/eastsidefood/posts/{i}",
            "text": f"Update number {i}",
            "timestamp": int((NOW - timedelta(hours=i * 10)).timestamp()),  # epoch seconds
        }
        for i in range(80)  # 80 posts over ~33 days
    ]
    apify.set_items(FB_ACTOR, items)
    ingestor = build_ingestor("facebook", settings_for(apify))

    pages = ingestor.discover(config("https://www.facebook.com/eastsidefood/", "eastsidefood"))

    assert isinstance(ingestor, FacebookIngestor)
    assert len(pages) == 50
    assert pages[0].url.endswith("/posts/0") and pages[-1].url.endswith("/posts/49")
    assert pages[0].content.startswith("# Facebook post by @eastsidefood\n\nUpdate number 0")
    assert apify.run_inputs(FB_ACTOR)[0]["startUrls"] == [
        {"url": "https://www.facebook.com/eastsidefood/"}
    ]


def test_x_items_are_normalised_from_the_tweet_scraper_shape(apify: FakeApifyServer) -> None:
    apify.set_items(
        X_ACTOR,
        [
            {
                "url": "https://x.com/eastsidefood/status/1",
                "fullText": "Coat drive this weekend, drop-offs at the hall.",
                "createdAt": (NOW - timedelta(days=3)).strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "author": {"userName": "EastsideFood", "location": "Springfield"},
                "place": {"full_name": "Springfield, IL"},
                "extendedEntities": {"media": [{"media_url_https": "https://pbs.example/1.jpg"}]},
            },
            {"noResults": True},
        ],
    )
    ingestor = build_ingestor("x", settings_for(apify))

    pages = ingestor.discover(config("https://x.com/eastsidefood", "eastsidefood"))

    assert isinstance(ingestor, XIngestor)
    assert len(pages) == 1
    assert pages[0].content.startswith("# X post by @EastsideFood\n\nCoat drive this weekend")
    assert "**Location**: Springfield, IL" in pages[0].content
    assert pages[0].metadata["image_url"] == "https://pbs.example/1.jpg"
    run_input = apify.run_inputs(X_ACTOR)[0]
    assert run_input["twitterHandles"] == ["eastsidefood"]
    assert run_input["start"] == "2026-01-12"


def test_missing_apify_token_is_a_clear_configuration_error() -> None:
    settings = load_settings(apify_token=None)

    for source_type in ("instagram", "facebook", "x"):
        with pytest.raises(IngestorNotConfigured, match="SIFT_APIFY_TOKEN is not set"):
            build_ingestor(source_type, settings)
    with pytest.raises(IngestorNotConfigured, match="SIFT_APIFY_TOKEN is not set"):
        InstagramIngestor(token="", actor_id=IG_ACTOR)
    with pytest.raises(IngestorNotConfigured, match="JSON file"):
        build_ingestor("tiktok", settings)


def test_wrong_token_is_reported_as_a_refusal_naming_the_setting(apify: FakeApifyServer) -> None:
    apify.set_items(IG_ACTOR, [])
    settings = load_settings(apify_token="wrong-token", apify_base_url=apify.base_url)

    with pytest.raises(IngestFailed, match="SIFT_APIFY_TOKEN"):
        build_ingestor("instagram", settings).discover(config("https://i/", "someone"))


def test_failed_actor_run_is_reported_with_its_status(apify: FakeApifyServer) -> None:
    apify.set_items(IG_ACTOR, [])
    apify.run_status = "FAILED"
    apify.status_message = "Instagram blocked the scraper"

    with pytest.raises(IngestFailed, match="FAILED: Instagram blocked the scraper"):
        build_ingestor("instagram", settings_for(apify)).discover(config("https://i/", "someone"))


def test_social_ingestors_cannot_fetch_single_posts(apify: FakeApifyServer) -> None:
    ingestor = build_ingestor("instagram", settings_for(apify))

    assert ingestor.fetch_specific(["https://www.instagram.com/p/AAA/"]) == []
    assert apify.calls == []


# --- JSON import --------------------------------------------------------------------------


def write(tmp_path: Path, data: Any, name: str = "posts.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def record(**overrides: Any) -> dict[str, Any]:
    base = {
        "url": "https://www.instagram.com/p/1/",
        "text": "Food pantry open Saturday 10-2.",
        "posted_at": iso(1),
        "location": "St. Mark's Church",
        "platform": "instagram",
        "handle": "@EastsideFood",
    }
    base.update(overrides)
    return base


def test_json_import_reads_normalised_posts_and_applies_the_same_rules(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            record(),
            record(url="https://www.instagram.com/p/2/", posted_at=iso(40)),
            record(url="https://www.instagram.com/p/3/", text=""),
            record(url="https://www.instagram.com/p/4/", handle="someone_else"),
            record(url="https://x.com/eastsidefood/status/9", platform="x"),
            {"url": "https://www.instagram.com/p/5/", "text": "Bare", "posted_at": "2026-02-10"},
        ],
    )
    ingestor = build_ingestor("instagram", load_settings(), import_path=path)
    site_url = "https://www.instagram.com/eastsidefood/"

    pages = ingestor.discover(config(site_url, "eastsidefood"))
    everything = ingestor.discover(config(site_url, "eastsidefood", max_age_days=None))

    assert isinstance(ingestor, JsonImportIngestor)
    assert [p.url for p in pages] == [
        "https://www.instagram.com/p/1/",
        "https://www.instagram.com/p/5/",
    ]
    assert pages[0].content.startswith("# Instagram post by @eastsidefood\n\nFood pantry open")
    assert "**Location**: St. Mark's Church" in pages[0].content
    assert pages[0].metadata["posted_at"] == "2026-02-10T12:00:00+00:00"
    assert pages[1].metadata["posted_at"] == "2026-02-10T00:00:00+00:00"
    assert len(everything) == 3
    assert [p.url for p in ingestor.fetch_specific(["https://www.instagram.com/p/2/"])] == [
        "https://www.instagram.com/p/2/"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", r"is not valid JSON \(line 1, column 2"),
        ({"posts": []}, "must hold a JSON list of post objects, not a dict"),
        ([record(), "hello"], r"record 1, field '\(the record itself\)'"),
        ([record(), {"url": "https://a.example/1", "text": "x"}], "record 1, field 'posted_at'"),
        ([record(posted_at="next tuesday")], "record 0, field 'posted_at'"),
        ([record(posted_at=1767225600)], "record 0, field 'posted_at': .*ISO 8601"),
        ([record(url="ftp://example.org/x")], "record 0, field 'url': .*http"),
        ([record(platform="myspace")], "record 0, field 'platform'"),
        ([record(text=None, posted_at="bad")], r"record 0, field 'text'.*\(and 1 more problem\)"),
    ],
)
def test_bad_import_files_are_rejected_naming_record_and_field(
    tmp_path: Path, data: Any, message: str
) -> None:
    ingestor = JsonImportIngestor(write(tmp_path, data), platform="instagram")

    with pytest.raises(InvalidImportFile, match=message):
        ingestor.discover(config("https://www.instagram.com/x/", "x"))


def test_missing_import_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidImportFile, match="does not exist"):
        JsonImportIngestor(tmp_path / "nope.json").discover(config("https://i/", "x"))
