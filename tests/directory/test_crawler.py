"""The website crawler against a real HTTP server on 127.0.0.1, and the SSRF guard."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from sift.config import load_settings
from sift.directory.ingest.fetchers import build_ingestor
from sift.directory.ingest.guard import (
    CrawlRefused,
    GuardedTransport,
    check_url_allowed,
    check_url_allowed_async,
)
from sift.directory.ingest.html import normalise_url, site_key, visit_key
from sift.directory.ingest.ingestor import DiscoverConfig
from sift.directory.ingest.website import CrawlProgress, CrawlResult, crawl_site
from tests.fakes.site_server import Route, SeenRequest, SiteServer, html_page

LOCAL = ("127.0.0.1",)
MAX_BYTES = 50_000


@pytest.fixture
def site_server() -> Iterator[SiteServer]:
    with SiteServer() as site:
        yield site


def build_site(site: SiteServer) -> None:
    """A small community site with every trap a real one has."""
    base = site.base_url
    site.file(
        "/robots.txt",
        f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap.xml\n".encode(),
        "text/plain",
    )
    site.file(
        "/sitemap.xml",
        (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap></sitemapindex>"
        ).encode(),
        "application/xml",
    )
    site.file(
        "/sitemap-pages.xml",
        (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/from-sitemap</loc></url>"
            f"<url><loc>{base}/about</loc></url>"
            "<url><loc>http://elsewhere.example/not-ours</loc></url>"
            "</urlset>"
        ).encode(),
        "application/xml",
    )
    site.page(
        "/",
        "Eastside Food Bank",
        """
        <nav><a href="/about">About</a> <a href="/programs">Programs</a></nav>
        <p>The Eastside Food Bank gives groceries to any family that needs them.</p>
        <a href="/private/secret">staff only</a>
        <a href="/files/report.pdf">annual report</a>
        <a href="/big">gallery</a> <a href="/stream-big">live feed</a>
        <a href="/missing">old page</a>
        <a href="/moved-away">partner site</a>
        <a href="/old-about">about (old link)</a>
        <a href="/redirect-loop-1">broken redirect</a>
        <a href="/loop-a">round and round</a>
        <a href="/about/">about again</a> <a href="/about#team">team</a> <a href="#top">top</a>
        <a href="mailto:hi@example.org">mail</a> <a href="http://other.example/">friends</a>
        """,
    )
    site.page(
        "/about",
        "About us",
        '<p>Founded in 1982.</p><a href="/">home</a><a href="/deep">history</a>',
    )
    site.page("/deep", "History", '<p>Our long history.</p><a href="/deeper">more</a>')
    site.page("/deeper", "More history", "<p>Too deep to matter.</p>")
    site.page(
        "/programs",
        "Programs",
        """
        <article><h1>Programs</h1>
        <p>Free groceries every Tuesday from 9am to noon at the community hall on 5th Street.
        Everyone is welcome and no ID is needed. Volunteers sort donations on Mondays.</p>
        <p>Call 555-0100 to book a home delivery if you cannot travel.</p></article>
        <a href="/loop-a">see also</a>
        """,
    )
    site.page(
        "/loop-a", "Loop A", '<p>Loop A page.</p><a href="/loop-b">B</a><a href="/loop-a">me</a>'
    )
    site.page("/loop-b", "Loop B", '<p>Loop B page.</p><a href="/loop-a">A</a>')
    site.page("/private/secret", "Secret", "<p>Staff rota.</p>")
    site.page("/from-sitemap", "Winter coats", "<p>Coat drive in December.</p>")
    site.file("/files/report.pdf", b"%PDF-1.4\n" + b"0" * 5000, "application/pdf")
    filler = "<p>" + "lorem ipsum " * 8000 + "</p>"
    site.routes["/big"] = Route(body=html_page("Big", filler))
    site.routes["/stream-big"] = Route(body=html_page("Stream", filler), chunked=True)
    site.redirect("/moved-away", "http://elsewhere.example/landing")
    site.redirect("/old-about", "/about", status=301)
    site.redirect("/redirect-loop-1", "/redirect-loop-2")
    site.redirect("/redirect-loop-2", "/redirect-loop-1")


def crawl(site: SiteServer, **kwargs: object):
    options: dict[str, object] = {"allow_hosts": LOCAL, "max_bytes": MAX_BYTES}
    options.update(kwargs)
    return asyncio.run(crawl_site(site.base_url, **options))  # type: ignore[arg-type]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"


@dataclass(frozen=True)
class Crawled:
    site: SiteServer
    result: CrawlResult
    requested: list[SeenRequest]


@pytest.fixture(scope="module")
def crawled() -> Iterator[Crawled]:
    """The full fixture site crawled once with default limits (read-only for the tests)."""
    with SiteServer() as site:
        build_site(site)
        result = crawl(site)
        yield Crawled(site, result, list(site.requests))


def test_crawl_keeps_html_pages_of_the_site_and_counts_everything_it_dropped(
    crawled: Crawled,
) -> None:
    result = crawled.result

    assert sorted(path_of(p.url) for p in result.pages) == [
        "/",
        "/about",
        "/deep",
        "/from-sitemap",
        "/loop-a",
        "/loop-b",
        "/programs",
    ]
    assert result.fetched == 7
    assert result.skipped_non_html == 1  # the PDF
    assert result.skipped_robots == 1  # /private/secret
    assert result.skipped_too_large == 2  # one announced by Content-Length, one streamed
    assert result.skipped_off_site == 1  # /moved-away
    assert result.failed == 2  # the 404 and the redirect loop
    assert result.refused == 0
    assert any("/missing: HTTP 404" in e for e in result.errors)
    assert any("redirect loop" in e for e in result.errors)
    assert result.site_url == f"https://127.0.0.1:{crawled.site.port}"
    assert all(p.site_url == result.site_url for p in result.pages)


def test_crawl_visits_each_url_once_and_never_what_it_must_not(crawled: Crawled) -> None:
    requested = Counter(r.path for r in crawled.requested)

    assert max(requested.values()) == 1, requested
    assert "/private/secret" not in requested  # robots.txt honoured before fetching
    assert "/deeper" not in requested  # depth 3 > max_depth 2
    assert "/about/" not in requested  # same page as /about
    assert {r.user_agent for r in crawled.requested} == {"SiftBot/0.1"}


def test_page_content_is_the_main_text_as_markdown_with_the_title(crawled: Crawled) -> None:
    pages = {path_of(p.url): p for p in crawled.result.pages}

    programs = pages["/programs"]
    assert programs.title == "Programs"
    assert "Free groceries every Tuesday" in programs.content
    assert "555-0100" in programs.content
    assert "<p>" not in programs.content
    assert len(programs.content_hash) == 64
    assert pages["/about"].content.startswith("Founded in 1982.")


def build_small_site(site: SiteServer) -> None:
    site.page("/", "Home", '<p>Welcome.</p><a href="/about">About</a><a href="/programs">P</a>')
    site.page("/about", "About us", '<p>Founded in 1982.</p><a href="/">home</a>')
    site.page("/programs", "Programs", "<p>Free groceries on Tuesdays.</p>")
    site.page("/private/secret", "Secret", "<p>Staff rota.</p>")
    site.file("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")


def test_recrawl_after_one_page_changed_changes_only_that_pages_hash(
    site_server: SiteServer,
) -> None:
    build_small_site(site_server)
    before = crawl(site_server).hashes

    site_server.page("/about", "About us", '<p>Founded in 1983.</p><a href="/">home</a>')
    after = crawl(site_server).hashes

    assert before.keys() == after.keys()
    changed = [url for url in before if before[url] != after[url]]
    assert changed == [site_server.url("/about")]


def test_max_pages_bounds_the_requests_made(site_server: SiteServer) -> None:
    build_site(site_server)
    seen: list[CrawlProgress] = []

    result = crawl(site_server, max_pages=3, concurrency=2, on_progress=seen.append)

    page_requests = [
        p for p in site_server.paths_requested() if not p.startswith(("/robots", "/sitemap"))
    ]
    assert len(page_requests) == 3
    assert len(result.pages) <= 3
    assert seen and seen[-1].max_pages == 3
    assert [p.fetched for p in seen] == sorted(p.fetched for p in seen)


def test_max_depth_zero_fetches_only_the_start_page(site_server: SiteServer) -> None:
    build_site(site_server)

    result = crawl(site_server, max_depth=0)

    assert [path_of(p.url) for p in result.pages] == ["/"]


def test_slow_page_times_out_and_is_counted_as_failed(site_server: SiteServer) -> None:
    site_server.page("/", "Home", '<p>Home page text.</p><a href="/slow">slow</a>')
    site_server.routes["/slow"] = Route(body=html_page("Slow", "<p>late</p>"), delay_s=1.5)

    result = crawl(site_server, timeout_s=0.4)

    assert result.fetched == 1
    assert result.failed == 1
    assert "timed out" in result.errors[0] or "Timeout" in result.errors[0]


def test_delay_spaces_requests_out(site_server: SiteServer) -> None:
    site_server.page("/", "Home", '<p>Home.</p><a href="/a">a</a><a href="/b">b</a>')
    site_server.page("/a", "A", "<p>A.</p>")
    site_server.page("/b", "B", "<p>B.</p>")
    start = time.monotonic()

    crawl(site_server, delay_s=0.1, concurrency=4)

    # robots, sitemap, /, /a, /b: five requests at least 0.1 s apart
    assert time.monotonic() - start >= 0.4


def test_urls_are_normalised_so_each_page_has_one_key() -> None:
    assert normalise_url("HTTPS://Example.org:443/About/#team") == "https://example.org/About"
    assert normalise_url("https://example.org") == "https://example.org/"
    assert normalise_url("http://127.0.0.1:8080/a/?q=1#x") == "http://127.0.0.1:8080/a?q=1"
    assert visit_key("https://www.example.org/a/") == visit_key("http://example.org/a")
    assert site_key("https://www.example.org/x") == site_key("https://example.org/y")
    assert site_key("http://127.0.0.1:8080/") != site_key("http://127.0.0.1:9090/")


def test_website_ingestor_crawls_with_the_settings_limits(site_server: SiteServer) -> None:
    build_small_site(site_server)
    settings = load_settings(crawl_allow_private_hosts=["127.0.0.1"], crawl_max_bytes=MAX_BYTES)
    ingestor = build_ingestor("website", settings)

    pages = ingestor.discover(
        DiscoverConfig(
            site_url=f"https://127.0.0.1:{site_server.port}",
            options={"root_url": site_server.base_url},
        )
    )
    again = ingestor.fetch_specific(
        [site_server.url("/programs"), site_server.url("/private/secret")]
    )

    assert len(pages) == 3
    assert [path_of(p.url) for p in again] == ["/programs"]


# --- the SSRF guard -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[2002:a9fe:a9fe::]/",  # 6to4 wrapping 169.254.169.254
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://localhost:9/",
    ],
)
def test_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(CrawlRefused, match="SIFT_CRAWL_ALLOW_PRIVATE_HOSTS"):
        check_url_allowed(url, ())


def test_non_http_schemes_are_refused() -> None:
    with pytest.raises(CrawlRefused, match="only http and https"):
        check_url_allowed("file:///etc/passwd", ())
    with pytest.raises(CrawlRefused, match="only http and https"):
        check_url_allowed("ftp://93.184.216.34/", ())


def test_public_addresses_and_allowed_hosts_pass() -> None:
    check_url_allowed("https://93.184.216.34/", ())
    check_url_allowed("http://127.0.0.1:8080/", ["127.0.0.1"])
    check_url_allowed("http://10.1.2.3/", ["10.1.0.0/16"])
    check_url_allowed("http://localhost:8080/", ["localhost"])
    asyncio.run(check_url_allowed_async("http://127.0.0.1/", ["127.0.0.1"]))


def test_crawl_of_an_internal_site_is_refused_before_any_request(site_server: SiteServer) -> None:
    build_site(site_server)

    with pytest.raises(CrawlRefused, match="loopback"):
        asyncio.run(crawl_site(site_server.base_url))
    with pytest.raises(CrawlRefused):
        asyncio.run(crawl_site(f"http://localhost:{site_server.port}", allow_hosts=()))

    assert site_server.requests == []


def test_every_redirect_hop_is_checked(site_server: SiteServer) -> None:
    site_server.redirect("/go", f"{site_server.base_url}/")
    site_server.page("/", "Home", "<p>home</p>")

    async def follow() -> None:
        transport = GuardedTransport(allow_hosts=["localhost"])
        async with httpx.AsyncClient(transport=transport, follow_redirects=True) as client:
            await client.get(f"http://localhost:{site_server.port}/go")

    with pytest.raises(CrawlRefused, match=r"127\.0\.0\.1"):
        asyncio.run(follow())
    assert site_server.paths_requested() == ["/go"]


def test_host_that_starts_resolving_inside_is_refused_mid_crawl(
    site_server: SiteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the check runs for every request, not once per crawl."""
    build_site(site_server)
    real = socket.getaddrinfo
    rebound = {"now": False}

    def fake_getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in ("rebind.test", b"rebind.test"):  # anyio passes the host idna-encoded
            target = "10.0.0.1" if rebound["now"] else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (target, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)

    def flip(progress: CrawlProgress) -> None:
        rebound["now"] = True

    result = asyncio.run(
        crawl_site(
            f"http://rebind.test:{site_server.port}",
            allow_hosts=LOCAL,
            max_bytes=MAX_BYTES,
            concurrency=1,
            on_progress=flip,
        )
    )

    assert [path_of(p.url) for p in result.pages] == ["/"], result
    assert result.refused >= 5
    assert all("10.0.0.1" in e for e in result.errors if "refusing" in e)


def test_redirect_to_https_on_the_same_site_is_followed_not_looped(site_server: SiteServer) -> None:
    site_server.redirect("/", f"https://127.0.0.1:{site_server.port}/")

    result = crawl(site_server)

    # the fake speaks no TLS, so the https hop fails, but as a fetch error, not a redirect loop
    assert result.skipped_off_site == 0
    assert result.failed == 1
    assert "redirect" not in result.errors[0]


def test_a_redirected_robots_txt_is_followed_and_honoured(site_server: SiteServer) -> None:
    """Sites that move `example.org` to `www.example.org` redirect `/robots.txt` too."""
    build_small_site(site_server)
    site_server.file("/robots-moved.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site_server.redirect("/robots.txt", "/robots-moved.txt", status=301)
    site_server.page("/", "Home", '<p>Hi.</p><a href="/private/secret">x</a><a href="/about">a</a>')
    result = crawl(site_server)
    assert result.skipped_robots == 1
    assert "/private/secret" not in site_server.paths_requested()
    assert "/robots-moved.txt" in site_server.paths_requested()
