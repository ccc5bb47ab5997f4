"""The packaged demo organisation: its website served by `DemoSite`, and its Instagram export.

The demo and the extraction tests lean on two properties checked here: the site crawls
cleanly with every program's details surviving into markdown, and the same program (the
food pantry) is described both on the website and in several Instagram posts.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import httpx
import pytest

from sift.directory.demo_site import DemoSite, resolve, site_root
from sift.directory.ingest.social import load_import_file
from sift.errors import SiftError

PANTRY_PHONE = "(555) 201-3344"
DEMO_DATA = Path(str(files("sift.directory").joinpath("demo_data")))

# Program page → details that must survive from the HTML into the crawled markdown.
PROGRAMS: dict[str, tuple[str, ...]] = {
    "/programs/food-pantry": (
        "Tuesday and Thursday, 10am to 2pm",
        "412 Harbor Street",
        PANTRY_PHONE,
        "pantry@harborlightcc.org",
    ),
    "/programs/tax-help": (
        "February 1 to April 15, 2027",
        "by appointment",
        "https://forms.harborlightcc.org/tax-intake",
        "(555) 201-3355",
    ),
    "/programs/youth-soccer": (
        "Saturdays 9am to 11am",
        "aged 6 to 12",
        "80 Marina Way",
        "https://forms.harborlightcc.org/soccer-2027",
        "(555) 201-3366",
    ),
    "/programs/esl": ("Mondays and Wednesdays, 6:30pm to 8:30pm", "Room 104", "(555) 201-3377"),
    "/programs/senior-lunch": ("Monday to Friday", "noon", "60 and older", "(555) 201-3388"),
    "/programs/volunteer": (
        "first Saturday of every month",
        "https://forms.harborlightcc.org/volunteer",
        "volunteer@harborlightcc.org",
    ),
}


@pytest.fixture(scope="module")
def demo_site() -> Iterator[DemoSite]:
    with DemoSite() as site:
        yield site


def test_serves_pages_robots_and_sitemap(demo_site: DemoSite) -> None:
    base = demo_site.base_url
    assert base.startswith("http://127.0.0.1:") and demo_site.port > 0
    with httpx.Client(base_url=base) as client:
        home = client.get("/")
        assert home.status_code == 200
        assert home.headers["content-type"] == "text/html; charset=utf-8"
        assert "<title>Home | Harbor Light Community Center</title>" in home.text
        for path in PROGRAMS:
            assert f'href="{path}"' in home.text

        pantry = client.get("/programs/food-pantry")
        assert pantry.status_code == 200
        assert pantry.headers["content-type"] == "text/html; charset=utf-8"
        assert PANTRY_PHONE in pantry.text
        # A trailing slash and the file name reach the same page.
        assert client.get("/programs/food-pantry/").text == pantry.text
        assert client.get("/programs/food-pantry.html").text == pantry.text

        robots = client.get("/robots.txt")
        assert robots.status_code == 200
        assert robots.headers["content-type"].startswith("text/plain")
        assert "Disallow: /admin/" in robots.text
        assert f"Sitemap: {base}/sitemap.xml" in robots.text

        sitemap = client.get("/sitemap.xml")
        assert sitemap.status_code == 200
        assert sitemap.headers["content-type"].startswith("application/xml")
        assert "{BASE}" not in sitemap.text
        assert f"<loc>{base}/</loc>" in sitemap.text
        for path in PROGRAMS:
            assert f"<loc>{base}{path}</loc>" in sitemap.text
            assert client.get(path).status_code == 200  # every sitemap entry exists

        assert client.get("/no-such-page").status_code == 404
        assert client.get("/programs/../../demo_site.py").status_code == 404
        assert client.head("/about").status_code == 200


def test_resolve_never_leaves_the_site() -> None:
    root = site_root()
    assert resolve(root, "/") is not None
    assert resolve(root, "/programs") is not None
    for path in ("/..", "/../demo_site.py", "/%2e%2e/instagram.json", "/.hidden", "/a\\b"):
        assert resolve(root, path) is None


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(SiftError, match=f"port {port} on 127.0.0.1 is already in use"):
            DemoSite(port).start()


def test_stop_frees_the_port_and_is_idempotent() -> None:
    site = DemoSite()
    base = site.start()
    assert site.start() == base
    site.stop()
    site.stop()
    with pytest.raises(httpx.HTTPError):
        httpx.get(base + "/", timeout=2)


def test_instagram_export_validates() -> None:
    posts = load_import_file(DEMO_DATA / "instagram.json")
    assert len(posts) >= 10
    assert {p.platform for p in posts} == {"instagram"}
    assert {p.handle for p in posts} == {"harborlightcc"}
    assert all(p.posted_at.year == 2026 and p.posted_at.month in (10, 11) for p in posts)
    assert len({p.url for p in posts}) == len(posts)
    assert any(p.location for p in posts)


def test_food_pantry_is_described_on_both_sources(demo_site: DemoSite) -> None:
    """The cross-source duplicate the extraction's dedupe pass must merge."""
    page = httpx.get(f"{demo_site.base_url}/programs/food-pantry").text
    assert PANTRY_PHONE in page
    posts = load_import_file(DEMO_DATA / "instagram.json")
    assert sum(PANTRY_PHONE in p.text for p in posts) >= 2
    assert sum("soccer" in p.text.lower() for p in posts) >= 2
    assert any("ESL" in p.text for p in posts)
    assert any("tax" in p.text.lower() for p in posts)


def test_crawl_keeps_every_program_detail(demo_site: DemoSite) -> None:
    website = pytest.importorskip("sift.directory.ingest.website")
    base = demo_site.base_url
    result = asyncio.run(website.crawl_site(base, allow_hosts=("127.0.0.1",), max_pages=40))
    assert result.failed == 0, result.errors
    pages = {page.url.removeprefix(base): page for page in result.pages}
    assert {"/", "/about", "/contact", "/programs", "/news", "/donate"} <= set(pages)
    for path, details in PROGRAMS.items():
        assert path in pages, f"{path} was not crawled"
        markdown = pages[path].content
        assert markdown.strip()
        for detail in details:
            assert detail in markdown, f"{path}: {detail!r} missing from the markdown"
    # Navigation and footer are boilerplate, not content.
    assert "hello@harborlightcc.org" not in pages["/programs/esl"].content
