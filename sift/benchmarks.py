"""Benchmark commands: `sift bench …` measures Sift's own throughput on local, generated data.

A crawl rate on its own says little: it moves with the machine, the load beside it and the
server. So `sift bench crawl` serves a generated site from this process and, in the same
run, measures both what plain httpx gets out of that server (the ceiling: fetch the URLs,
read the bodies, nothing else) and what Sift's crawler gets (robots.txt, sitemap, the SSRF
guard, link extraction, markdown conversion). Their ratio is what the crawler costs and is
comparable across machines; the absolute rates only within one.

`bench_app` is module-level so that other domains can add their own benchmarks to the same
group (`sift bench extract`, `sift bench inbox`) without touching this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from sift.errors import SiftError

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

bench_app = typer.Typer(
    no_args_is_help=True, help="Measure Sift's throughput on local, generated data."
)


class BenchmarkError(SiftError):
    """A benchmark that could not produce a meaningful figure."""


# --- the generated site ---------------------------------------------------------------------

_VOCABULARY = (
    "community garden volunteers weekend workshop neighbourhood library opening hours "
    "children families seniors free registration required parking available accessible "
    "entrance meeting room kitchen coffee local artists exhibition music evening market "
    "fresh produce bakery repair cafe bicycles sewing tools donations recycling compost "
    "youth club football training coach season schedule membership fees discount student "
    "course beginner advanced language conversation group translation help forms housing "
    "advice legal clinic appointment phone email office closed holiday program update news"
)
_WORDS = _VOCABULARY.split()
_SECTIONS = ("events", "services", "groups", "news", "places", "help")
_FANOUT = 5  # children per page in the link tree
_RELATED = 3  # extra cross links per page, so the graph is not only a tree


@dataclass(frozen=True)
class GeneratedSite:
    """Paths and bodies of a generated site; `page_paths` are the N HTML pages."""

    page_paths: list[str]
    files: dict[str, tuple[bytes, str]]

    @property
    def html_bytes(self) -> int:
        return sum(len(self.files[p][0]) for p in self.page_paths)


def _page_path(i: int) -> str:
    if i == 0:
        return "/"
    return f"/{_SECTIONS[i % len(_SECTIONS)]}/{i:05d}-{_WORDS[(i * 7) % len(_WORDS)]}.html"


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def _page_html(i: int, n: int, rng: random.Random) -> bytes:
    """A 3-8 KB page shaped like a small organisation's site: nav, article, links, footer.

    Links: home, parent and children in a tree of fan-out `_FANOUT` (so every page is
    reachable by following links alone), neighbours, a few pseudo-random related pages, plus
    the things real pages carry that a crawler must skip (mailto, tel, an off-site link, an
    anchor, a path robots.txt disallows).
    """
    title = f"{_WORDS[(i * 7) % len(_WORDS)].capitalize()} {_SECTIONS[i % len(_SECTIONS)]} #{i}"
    linked = {0, (i - 1) // _FANOUT if i else 0}
    linked.update(c for c in range(i * _FANOUT + 1, i * _FANOUT + _FANOUT + 1) if c < n)
    linked.update(j for j in (i - 1, i + 1) if 0 <= j < n)
    linked.update(rng.randrange(n) for _ in range(_RELATED))
    linked.discard(i)
    nav = "".join(
        f'<li><a href="{_page_path(k)}">{_SECTIONS[k % len(_SECTIONS)].title()}</a></li>'
        for k in range(1, min(n, 7))
    )
    links = "".join(
        f'<li><a href="{_page_path(j)}">{_WORDS[(j * 7) % len(_WORDS)]} (page {j})</a></li>'
        for j in sorted(linked)
    )
    target = rng.randint(3000, 7600)
    head = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta name='viewport' content='width=device-width'>"
        "<link rel='stylesheet' href='/static/site.css'></head><body>"
        f"<header><a href='/'>Riverside Community Network</a><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{title}</h1>"
    )
    tail = (
        f"</article><aside><h2>See also</h2><ul>{links}</ul></aside></main>"
        "<footer><p>Contact: <a href='mailto:hello@riverside.example'>hello@riverside.example"
        "</a> · <a href='tel:+15551234567'>+1 555 123 4567</a> · "
        "<a href='https://www.example.org/partner'>Partner site</a> · "
        "<a href='#top'>Back to top</a> · <a href='/admin/login'>Staff</a></p>"
        "<p>© Riverside Community Network. All rights reserved.</p></footer></body></html>"
    )
    body: list[str] = []
    size = len(head) + len(tail)
    while size < target:
        if body and rng.random() < 0.2:
            chunk = f"<h2>{_sentence(rng)[:-1]}</h2>"
        else:
            chunk = "<p>" + " ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) + "</p>"
        body.append(chunk)
        size += len(chunk)
    return (head + "".join(body) + tail).encode()


def generate_site(pages: int, base_url: str, *, seed: int = 7) -> GeneratedSite:
    """N linked HTML pages plus robots.txt and a sitemap listing every page.

    Deterministic for a seed, so two runs benchmark the same bytes.
    """
    rng = random.Random(seed)
    paths = [_page_path(i) for i in range(pages)]
    files: dict[str, tuple[bytes, str]] = {
        path: (_page_html(i, pages, rng), "text/html; charset=utf-8")
        for i, path in enumerate(paths)
    }
    files["/robots.txt"] = (
        f"User-agent: *\nDisallow: /admin/\nSitemap: {base_url}/sitemap.xml\n".encode(),
        "text/plain",
    )
    entries = "".join(f"<url><loc>{base_url}{p}</loc></url>" for p in paths)
    files["/sitemap.xml"] = (
        (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        ).encode(),
        "application/xml",
    )
    return GeneratedSite(page_paths=paths, files=files)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up mid-answer is normal for a crawler; not worth a traceback."""


class LocalSite:
    """A threaded HTTP/1.1 server on 127.0.0.1 (free port) serving a `GeneratedSite`.

    Keep-alive and no Nagle delay, so the server is not what limits either measurement.
    """

    def __init__(self, pages: int) -> None:
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.site = generate_site(pages, self.base_url)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, send_body: bool) -> None:
                found = server.site.files.get(self.path.split("?", 1)[0].split("#", 1)[0])
                body, content_type = found or (b"not found", "text/plain")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(send_body=True)

            def do_HEAD(self) -> None:
                self._answer(send_body=False)

        return Handler

    def __enter__(self) -> LocalSite:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- measurements ---------------------------------------------------------------------------


def _maxrss_mb() -> float:
    """The process's peak resident set so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


async def raw_fetch(
    urls: list[str], concurrency: int, on_page: Callable[[], None] | None = None
) -> int:
    """GET every URL with `concurrency` workers on one pooled client; returns bytes read.

    The same shape as the crawler (a shared queue, that many workers, that many pooled
    connections), minus everything the crawler does beyond reading the body.
    """
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    total = 0
    failures: list[str] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal total
            while True:
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                response = await client.get(url)
                if response.status_code != 200:
                    failures.append(f"{url}: HTTP {response.status_code}")
                total += len(response.content)
                if on_page is not None:
                    on_page()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    if failures:
        raise BenchmarkError(f"raw fetch failed for {len(failures)} pages, first: {failures[0]}")
    return total


@dataclass(frozen=True)
class CrawlBench:
    """Figures of one `sift bench crawl` run."""

    pages: int
    concurrency: int
    avg_page_kb: float
    raw_seconds: float
    crawl_seconds: float
    crawl_fetched: int
    peak_mem_mb: float

    @property
    def raw_pages_per_s(self) -> float:
        return self.pages / self.raw_seconds if self.raw_seconds else 0.0

    @property
    def crawl_pages_per_s(self) -> float:
        return self.crawl_fetched / self.crawl_seconds if self.crawl_seconds else 0.0

    @property
    def ratio(self) -> float:
        """Crawler rate as a share of the raw rate: 1.0 would mean the crawler costs nothing."""
        return self.crawl_pages_per_s / self.raw_pages_per_s if self.raw_pages_per_s else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "concurrency": self.concurrency,
            "crawl_pages_per_s": round(self.crawl_pages_per_s, 2),
            "raw_pages_per_s": round(self.raw_pages_per_s, 2),
            "ratio": round(self.ratio, 4),
            "crawl_seconds": round(self.crawl_seconds, 3),
            "raw_seconds": round(self.raw_seconds, 3),
            "crawl_fetched": self.crawl_fetched,
            "avg_page_kb": round(self.avg_page_kb, 2),
            "peak_mem_mb": round(self.peak_mem_mb, 1),
            "peak_mem_measure": "ru_maxrss delta over the crawl",
        }


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not enabled,
    )
    with progress:
        yield progress


def run_crawl_bench(pages: int, concurrency: int, *, show_progress: bool = True) -> CrawlBench:
    """Serve a generated site, crawl it with Sift, then fetch it raw; same process, same run.

    The crawl runs first so that its `ru_maxrss` delta (the growth of the process's peak
    resident memory) is measured from the state right after the site was generated, not
    above a peak some earlier phase left behind. Its time includes robots.txt and the
    sitemap, as every real crawl's does. tracemalloc is deliberately not used: tracing
    every allocation slows the crawler enough to distort the rate it is measured beside.
    """
    from sift.directory.ingest.website import CrawlProgress, crawl_site

    with LocalSite(pages) as local, _progress(show_progress) as progress:
        urls = [local.base_url + p for p in local.site.page_paths]
        avg_kb = local.site.html_bytes / pages / 1024

        crawl_task = progress.add_task("crawling with Sift", total=pages)

        def on_crawl(update: CrawlProgress) -> None:
            progress.update(crawl_task, completed=update.fetched)

        rss_before = _maxrss_mb()
        started = time.perf_counter()
        result = asyncio.run(
            crawl_site(
                local.base_url,
                max_pages=pages,
                max_depth=10_000,
                allow_hosts=("127.0.0.1",),
                concurrency=concurrency,
                on_progress=on_crawl,
            )
        )
        crawl_seconds = time.perf_counter() - started
        peak_mem_mb = _maxrss_mb() - rss_before
        if result.fetched == 0:
            first = result.errors[0] if result.errors else "no error recorded"
            raise BenchmarkError(f"the crawler fetched no pages from {local.base_url}: {first}")

        raw_task = progress.add_task("raw httpx fetch", total=pages)
        started = time.perf_counter()
        asyncio.run(raw_fetch(urls, concurrency, lambda: progress.advance(raw_task)))
        raw_seconds = time.perf_counter() - started

    return CrawlBench(
        pages=pages,
        concurrency=concurrency,
        avg_page_kb=avg_kb,
        raw_seconds=raw_seconds,
        crawl_seconds=crawl_seconds,
        crawl_fetched=result.fetched,
        peak_mem_mb=peak_mem_mb,
    )


# --- sift bench crawl -----------------------------------------------------------------------


@bench_app.command("crawl")
def crawl(
    pages: Annotated[
        int, typer.Option("--pages", min=1, max=100_000, help="Pages in the generated site.")
    ] = 500,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency", min=1, max=64, help="Parallel requests (default: crawl setting)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON line last.")
    ] = False,
) -> None:
    """Crawl a generated local site and compare Sift's page rate with raw httpx."""
    if concurrency is None:
        from sift.config import get_settings

        concurrency = get_settings().crawl_concurrency
    bench = run_crawl_bench(pages, concurrency)
    if bench.crawl_fetched < pages:
        err_console.print(
            f"[yellow]warning:[/yellow] the crawler fetched {bench.crawl_fetched} of "
            f"{pages} pages; its rate is over the pages it fetched",
            highlight=False,
        )

    table = Table(title=f"Crawl of a local {pages}-page site ({bench.avg_page_kb:.1f} KB/page)")
    for column in ("", "pages", "seconds", "pages/s"):
        table.add_column(column, justify="right")
    table.add_row(
        "raw httpx",
        str(pages),
        f"{bench.raw_seconds:.2f}",
        f"{bench.raw_pages_per_s:.1f}",
    )
    table.add_row(
        "Sift crawler",
        str(bench.crawl_fetched),
        f"{bench.crawl_seconds:.2f}",
        f"{bench.crawl_pages_per_s:.1f}",
    )
    console.print(table)
    console.print(
        f"crawler / raw: {bench.ratio:.3f}   concurrency: {bench.concurrency}   "
        f"peak memory growth during the crawl (ru_maxrss): {bench.peak_mem_mb:.1f} MB"
    )
    if as_json:
        print(json.dumps(bench.as_dict()), flush=True)


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")
