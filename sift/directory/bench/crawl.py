"""`sift bench crawl`: Sift's crawler beside raw httpx on the same local site, same run.

The ratio of the two rates is what the crawler costs (robots.txt, sitemap, the SSRF guard,
link extraction, markdown conversion) and is comparable across machines; the absolute rates
only within one.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
import typer
from rich.table import Table

from sift.directory.bench.site import LocalSite
from sift.evaluation import BenchmarkError
from sift.terminal import console, err_console, progress_bar

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


def run_crawl_bench(pages: int, concurrency: int, *, show_progress: bool = True) -> CrawlBench:
    """Serve a generated site, crawl it with Sift, then fetch it raw; same process, same run.

    The crawl runs first so that its `ru_maxrss` delta (the growth of the process's peak
    resident memory) is measured from the state right after the site was generated, not
    above a peak some earlier phase left behind. Its time includes robots.txt and the
    sitemap, as every real crawl's does. tracemalloc is deliberately not used: tracing
    every allocation slows the crawler enough to distort the rate it is measured beside.
    """
    from sift.directory.ingest.website import CrawlProgress, crawl_site

    with LocalSite(pages) as local, progress_bar(enabled=show_progress) as progress:
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
