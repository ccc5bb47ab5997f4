"""Same-site website crawling: a site's pages as markdown, politely and within limits.

The crawl starts at the site root and at `sitemap.xml` (sitemap indexes and the `Sitemap:`
lines of robots.txt included), then walks links breadth first. It never leaves the site
(`www.example.org` and `example.org` are one site), honours robots.txt, and is bounded in
every direction an unknown site could hurt us: number of pages, link depth, concurrent
requests, time per request and bytes per response. Each request — redirect hops, robots.txt
and sitemaps included — goes through the SSRF guard.

Only HTML is kept. A non-HTML response is recognised by its content type and closed without
reading its body. Redirects are followed by hand so that one leaving the site is seen,
skipped and counted instead of silently fetched. Main content becomes markdown through
trafilatura, falling back to the page's visible text when trafilatura finds no article.

Scheme: a bare domain is crawled over https (`example.org` → `https://example.org/`). An
explicit root URL keeps its scheme, which is how the demo and the tests crawl plain-http
servers: `crawl_site("http://127.0.0.1:8080")` crawls the site whose domain is
`127.0.0.1:8080` (with `127.0.0.1` allowed through the guard). Pages keep the URL they were
fetched from; `site_url` is always `https://{domain}`, the key a website source owns.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from sift.directory.ingest.guard import (
    CrawlRefused,
    GuardedTransport,
    HostUnresolvable,
    check_url_allowed_async,
)
from sift.directory.ingest.html import (
    build_page,
    decode_body,
    normalise_url,
    resolve_start,
    site_key,
    sitemap_locations,
    visit_key,
)
from sift.directory.ingest.ingestor import DiscoverConfig
from sift.directory.ingest.pages import InvalidSource, RawPage, normalise_domain, site_url_for

if TYPE_CHECKING:
    from sift.config import Settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_SITEMAPS = 20
MAX_CRAWL_DELAY_S = 30.0  # a robots.txt Crawl-delay above this is capped, not obeyed
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:")
_REDIRECT_CODES = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class CrawlProgress:
    """Where a crawl stands, reported after each page: enough for a progress bar."""

    url: str
    fetched: int
    visited: int
    queued: int
    max_pages: int

    @property
    def limit(self) -> int:
        """Alias of `max_pages`: "Fetched {fetched}/{limit} pages…"."""
        return self.max_pages


@dataclass
class CrawlResult:
    """The pages of one crawl and why the URLs that did not become pages were dropped."""

    site_url: str
    root_url: str
    pages: list[RawPage] = field(default_factory=list)
    fetched: int = 0
    skipped_non_html: int = 0
    skipped_robots: int = 0
    skipped_too_large: int = 0
    skipped_off_site: int = 0
    failed: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    """Pages that answered 404 or 410: removed from the site, so out of the page cache."""

    @property
    def hashes(self) -> dict[str, str]:
        """url → content_hash, what a re-crawl compares to find changed pages."""
        return {page.url: page.content_hash for page in self.pages}


# --- the crawl ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One verified TLS context per process: loading the CA bundle costs ~0.2 s each time."""
    return httpx.create_ssl_context()


@dataclass
class _Fetched:
    url: str
    body: bytes
    content_type: str
    charset: str | None
    status: int = 200


class _Crawler:
    def __init__(
        self,
        *,
        root_url: str,
        domain: str,
        max_pages: int,
        max_depth: int,
        concurrency: int,
        delay_s: float,
        timeout_s: float,
        max_bytes: int,
        allow_hosts: Collection[str],
        user_agent: str,
        on_progress: Callable[[CrawlProgress], None] | None,
        follow_links: bool = True,
        use_sitemaps: bool = True,
    ) -> None:
        self.root_url = root_url
        self.scheme = urlsplit(root_url).scheme
        self.site = site_key(root_url)
        self.max_pages = max_pages
        self.max_depth = max_depth
        self.concurrency = max(1, concurrency)
        self.delay_s = max(0.0, delay_s)
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.allow_hosts = tuple(allow_hosts)
        self.user_agent = user_agent
        self.on_progress = on_progress
        self.follow_links = follow_links
        self.use_sitemaps = use_sitemaps
        self.result = CrawlResult(
            site_url=site_url_for("website", domain=domain), root_url=root_url
        )
        self.robots: RobotFileParser | None = None
        self.seen: set[str] = set()
        self.visited = 0
        self.queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self._rate_lock = asyncio.Lock()
        self._next_request_at = 0.0
        self._client: httpx.AsyncClient | None = None

    # -- helpers --

    def _on_site(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and site_key(url) == self.site

    def _on_site_url(self, url: str) -> str:
        """A same-site URL in the root's scheme, fragment dropped (fetched as written)."""
        parts = urlsplit(url)
        return urlunsplit((self.scheme, parts.netloc, parts.path or "/", parts.query, ""))

    def _allowed_by_robots(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(self.user_agent, url)

    def _fail(self, url: str, reason: str) -> None:
        self.result.failed += 1
        self.result.errors.append(f"{url}: {reason}")

    async def _throttle(self) -> None:
        if self.delay_s <= 0:
            return
        loop = asyncio.get_running_loop()
        async with self._rate_lock:
            wait = self._next_request_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_request_at = loop.time() + self.delay_s

    # -- fetching --

    async def _fetch(self, url: str, *, page: bool) -> _Fetched | None:
        """GET with redirects followed by hand; counters only move for page fetches."""
        assert self._client is not None
        current = url
        chain = {visit_key(url)}
        for _ in range(MAX_REDIRECTS + 1):
            await self._throttle()
            try:
                async with asyncio.timeout(self.timeout_s):
                    async with self._client.stream("GET", current) as response:
                        location = response.headers.get("location")
                        if response.status_code in _REDIRECT_CODES and location:
                            target = self._next_hop(current, location, chain, page=page)
                            if target is None:
                                return None
                            current = target
                            continue
                        return await self._read(current, response, page=page)
            except HostUnresolvable as error:
                if page:
                    self._fail(url, str(error))
                return None
            except CrawlRefused as error:
                if page:
                    self.result.refused += 1
                    self.result.errors.append(str(error))
                return None
            except TimeoutError:
                if page:
                    self._fail(url, f"timed out after {self.timeout_s:g}s")
                return None
            except httpx.HTTPError as error:
                if page:
                    self._fail(url, f"{type(error).__name__}: {error}")
                return None
        if page:
            self._fail(url, f"more than {MAX_REDIRECTS} redirects")
        return None

    def _next_hop(self, current: str, location: str, chain: set[str], *, page: bool) -> str | None:
        target = urljoin(current, location.strip())
        if not self._on_site(target):
            if page:
                self.result.skipped_off_site += 1
            return None
        parts = urlsplit(target)
        if parts.scheme == "https" and self.scheme == "http":
            self.scheme = "https"  # the site upgrades itself; later links follow suit
        target = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
        key, current_key = visit_key(target), visit_key(current)
        if key != current_key:
            if key in chain:
                if page:
                    self._fail(current, f"redirect loop back to {target}")
                return None
            if page and key in self.seen:
                return None  # the target is (or will be) visited on its own
            if page and not self._allowed_by_robots(target):
                self.result.skipped_robots += 1
                return None
            chain.add(key)
            if page:
                self.seen.add(key)
        return target

    async def _read(self, url: str, response: httpx.Response, *, page: bool) -> _Fetched | None:
        """A page, or for other files (robots.txt, sitemaps) also an error answer, with no
        body: robots.txt reads 401/403 differently from a missing file."""
        if response.status_code >= 400:
            if page:
                self._fail(url, f"HTTP {response.status_code}")
                if response.status_code in (404, 410):
                    self.result.gone.append(normalise_url(url))
                return None
            return _Fetched(normalise_url(url), b"", "", None, status=response.status_code)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if page and content_type and content_type not in _HTML_TYPES:
            self.result.skipped_non_html += 1
            return None
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            if page:
                self.result.skipped_too_large += 1
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                if page:
                    self.result.skipped_too_large += 1
                return None
            chunks.append(chunk)
        body = b"".join(chunks)
        if page and not content_type and b"<html" not in body[:2048].lower():
            self.result.skipped_non_html += 1
            return None
        return _Fetched(normalise_url(url), body, content_type, response.charset_encoding)

    # -- phases --

    async def _load_robots(self) -> None:
        robots_url = urljoin(self.root_url, "/robots.txt")
        parser = RobotFileParser(robots_url)
        # Fetched like a page: redirects followed on the site (`example.org/robots.txt` →
        # `www.example.org/robots.txt` is the common case), the body capped by size.
        fetched = await self._fetch(robots_url, page=False)
        if fetched is None:
            return  # unreachable, too large or sent off the site: crawl as if there were none
        # The same reading as urllib.robotparser.read(): 401/403 close the site, any other
        # error (a missing robots.txt above all) opens it.
        if fetched.status in (401, 403):
            parser.disallow_all = True  # type: ignore[attr-defined]  # typeshed omits this attribute
        elif fetched.status >= 400:
            parser.allow_all = True  # type: ignore[attr-defined]  # typeshed omits this attribute
        else:
            parser.parse(decode_body(fetched.body, fetched.charset).splitlines())
        self.robots = parser
        delay = parser.crawl_delay(self.user_agent)
        if delay:
            self.delay_s = max(self.delay_s, min(float(delay), MAX_CRAWL_DELAY_S))

    async def _sitemap_urls(self) -> list[str]:
        pending = [urljoin(self.root_url, "/sitemap.xml")]
        if self.robots is not None:
            pending += [u for u in (self.robots.site_maps() or []) if self._on_site(u)]
        done: set[str] = set()
        found: list[str] = []
        while pending and len(done) < MAX_SITEMAPS:
            sitemap = self._on_site_url(pending.pop(0))
            if visit_key(sitemap) in done:
                continue
            done.add(visit_key(sitemap))
            fetched = await self._fetch(sitemap, page=False)
            if fetched is None or fetched.status >= 400:
                continue
            pages, nested = sitemap_locations(fetched.body)
            found += [u for u in pages if self._on_site(u)]
            pending += [u for u in nested if self._on_site(u)]
        return found

    def _enqueue(self, url: str, depth: int) -> None:
        if depth > self.max_depth or not self._on_site(url):
            return
        url = self._on_site_url(url)
        key = visit_key(url)
        if key in self.seen:
            return
        self.seen.add(key)
        self.queue.put_nowait((url, depth))

    async def _visit(self, url: str, depth: int) -> None:
        if not self._allowed_by_robots(url):
            self.result.skipped_robots += 1
            return
        if self.visited >= self.max_pages:
            return
        self.visited += 1
        fetched = await self._fetch(url, page=True)
        if fetched is None:
            return
        html = decode_body(fetched.body, fetched.charset)
        page, parser = await asyncio.to_thread(build_page, html, fetched.url, self.result.site_url)
        self.result.pages.append(page)
        self.result.fetched += 1
        if self.follow_links and depth < self.max_depth:
            base = urljoin(fetched.url, parser.base) if parser.base else fetched.url
            for href in parser.links:
                href = href.strip()
                if href and not href.lower().startswith(_SKIPPED_SCHEMES):
                    self._enqueue(urljoin(base, href), depth + 1)

    def _report(self, url: str) -> None:
        if self.on_progress is None:
            return
        progress = CrawlProgress(
            url=url,
            fetched=self.result.fetched,
            visited=self.visited,
            queued=self.queue.qsize(),
            max_pages=self.max_pages,
        )
        try:
            self.on_progress(progress)
        except Exception:  # a broken progress bar must not break the crawl
            log.exception("crawl progress callback failed")

    async def _worker(self) -> None:
        while True:
            url, depth = await self.queue.get()
            try:
                await self._visit(url, depth)
                self._report(url)
            except Exception as error:  # one bad page never stalls the crawl
                log.exception("crawling %s failed", url)
                self._fail(url, f"{type(error).__name__}: {error}")
            finally:
                self.queue.task_done()

    async def run(self, seeds: Sequence[str]) -> CrawlResult:
        await check_url_allowed_async(self.root_url, self.allow_hosts)
        limits = httpx.Limits(
            max_connections=self.concurrency, max_keepalive_connections=self.concurrency
        )
        async with httpx.AsyncClient(
            transport=GuardedTransport(
                self.allow_hosts, httpx.AsyncHTTPTransport(verify=_tls_context(), limits=limits)
            ),
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.5",
            },
            timeout=httpx.Timeout(self.timeout_s),
            follow_redirects=False,
        ) as client:
            self._client = client
            await self._load_robots()
            for seed in seeds:
                self._enqueue(seed, 0)
            if self.use_sitemaps:
                for url in await self._sitemap_urls():
                    self._enqueue(url, 1)
            workers = [asyncio.create_task(self._worker()) for _ in range(self.concurrency)]
            try:
                await self.queue.join()
            finally:
                for worker in workers:
                    worker.cancel()
                await asyncio.gather(*workers, return_exceptions=True)
        return self.result


async def crawl_site(
    domain_or_root_url: str,
    *,
    max_pages: int = 40,
    max_depth: int = 2,
    concurrency: int = 4,
    delay_s: float = 0.0,
    timeout_s: float = 15,
    max_bytes: int = 2_000_000,
    allow_hosts: Collection[str] = (),
    user_agent: str = "SiftBot/0.1",
    on_progress: Callable[[CrawlProgress], None] | None = None,
) -> CrawlResult:
    """Crawl one site breadth first and return its HTML pages as markdown.

    Raises `InvalidSource` for something that is not a site and `CrawlRefused` when the
    root itself may not be fetched; every other problem is counted in the result.
    """
    root_url, domain = resolve_start(domain_or_root_url)
    crawler = _Crawler(
        root_url=root_url,
        domain=domain,
        max_pages=max_pages,
        max_depth=max_depth,
        concurrency=concurrency,
        delay_s=delay_s,
        timeout_s=timeout_s,
        max_bytes=max_bytes,
        allow_hosts=allow_hosts,
        user_agent=user_agent,
        on_progress=on_progress,
    )
    return await crawler.run([root_url])


async def fetch_pages(
    urls: Iterable[str],
    *,
    timeout_s: float = 15,
    max_bytes: int = 2_000_000,
    allow_hosts: Collection[str] = (),
    user_agent: str = "SiftBot/0.1",
    concurrency: int = 4,
) -> list[CrawlResult]:
    """Fetch specific pages without following links (robots.txt and the guard still apply).

    One result per site, since robots.txt and the `site_url` key are per site.
    """
    by_site: dict[str, list[str]] = {}
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https"):
            raise InvalidSource(f"{url!r} is not an http(s) URL")
        by_site.setdefault(site_key(url), []).append(url)
    results = []
    for site_urls in by_site.values():
        parts = urlsplit(site_urls[0])
        root = f"{parts.scheme}://{parts.netloc}/"
        crawler = _Crawler(
            root_url=normalise_url(root),
            domain=normalise_domain(root),
            max_pages=len(site_urls),
            max_depth=0,
            concurrency=concurrency,
            delay_s=0.0,
            timeout_s=timeout_s,
            max_bytes=max_bytes,
            allow_hosts=allow_hosts,
            user_agent=user_agent,
            on_progress=None,
            follow_links=False,
            use_sitemaps=False,
        )
        results.append(await crawler.run(site_urls))
    return results


def run_blocking(coro: Any) -> Any:
    """Run a coroutine from synchronous code, even when the caller already has a loop running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class WebsiteIngestor:
    """The website crawler behind the same `Ingestor` protocol as the social fetchers.

    `config.options["root_url"]` overrides where the crawl starts (an `http://` demo site);
    otherwise the crawl starts at `config.site_url`.
    """

    name = "website"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _limits(self) -> dict[str, Any]:
        s = self._settings
        return {
            "timeout_s": s.crawl_timeout_s,
            "max_bytes": s.crawl_max_bytes,
            "allow_hosts": tuple(s.crawl_allow_private_hosts),
            "concurrency": s.crawl_concurrency,
        }

    def crawl(
        self, target: str, on_progress: Callable[[CrawlProgress], None] | None = None
    ) -> CrawlResult:
        s = self._settings
        return run_blocking(
            crawl_site(
                target,
                max_pages=s.crawl_max_pages,
                max_depth=s.crawl_max_depth,
                delay_s=s.crawl_delay_s,
                on_progress=on_progress,
                **self._limits(),
            )
        )

    def discover(self, config: DiscoverConfig) -> list[RawPage]:
        target = config.options.get("root_url") or config.site_url
        return self.crawl(target).pages

    def fetch_specific(self, urls: Sequence[str]) -> list[RawPage]:
        results = run_blocking(fetch_pages(urls, **self._limits()))
        return [page for result in results for page in result.pages]
