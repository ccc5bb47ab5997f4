"""Benchmark commands: `sift bench …` measures Sift's own throughput on local, generated data.

A crawl rate on its own says little: it moves with the machine, the load beside it and the
server. So `sift bench crawl` serves a generated site from this process and, in the same
run, measures both what plain httpx gets out of that server (the ceiling: fetch the URLs,
read the bodies, nothing else) and what Sift's crawler gets (robots.txt, sitemap, the SSRF
guard, link extraction, markdown conversion). Their ratio is what the crawler costs and is
comparable across machines; the absolute rates only within one.

`sift bench extract` does the same for extraction: wall time, model calls and prompt size
per page, and the cost of a re-run over unchanged pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import resource
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated, Any

import httpx
import typer
from rich.table import Table

from sift.evaluation import BenchmarkError
from sift.terminal import console, err_console, progress_bar

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


# --- sift bench extract ---------------------------------------------------------------------

_ACTIVITIES = (
    "Chess Club", "Food Pantry", "Homework Help", "Tax Preparation", "ESL Conversation",
    "Knitting Circle", "Bike Repair Clinic", "Yoga", "Computer Basics", "Job Search Workshop",
    "Community Garden", "Story Time", "Walking Group", "Soccer Practice", "Art Studio",
    "Choir", "Legal Advice Clinic", "Blood Pressure Checks", "Cooking Class", "Book Club",
    "Coding Club", "Tenant Rights Workshop", "Repair Cafe", "Clothing Swap", "Grief Support",
)  # fmt: skip
_QUALIFIERS = (
    "Morning", "Evening", "Weekend", "Beginner", "Advanced", "Drop-in", "Neighbourhood",
    "Riverside", "Free", "Outdoor", "Lunchtime", "Summer",
)  # fmt: skip
_BRANCHES = ("Elm Street", "Harbor Hall", "Mill Lane", "North Library", "Old Station")
_AUDIENCES = (
    ("youth", "kids aged 8 to 12"),
    ("families", "families with young children"),
    ("adults", "adults"),
    ("seniors", "seniors 60 and over"),
    (None, "everyone"),
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_SLOTS = (("9am", "11am"), ("10am", "12pm"), ("1pm", "3pm"), ("4pm", "6pm"), ("6pm", "8pm"))
_CHATTER = (
    "Thank you to all our volunteers for a wonderful year! #Riverside",
    "Happy holidays from all of us at Riverside Community Network!",
    "What a turnout at last weekend's street fair. Photos are in our stories.",
    "Our building will be closed on Monday for the public holiday.",
    "Meet Dana, who has volunteered with us for ten years. We are so grateful!",
)
BENCH_DOMAIN = "riverside-bench.example"
BENCH_HANDLE = "riversidebench"


@dataclass(frozen=True)
class BenchPage:
    """One generated page: a website page (`path` on the bench domain) or a social post."""

    source: str  # "website" or "instagram"
    path: str
    title: str | None
    content: str


@dataclass(frozen=True)
class GeneratedOrg:
    pages: list[BenchPage]
    services: int

    @property
    def website_pages(self) -> int:
        return sum(p.source == "website" for p in self.pages)

    @property
    def social_posts(self) -> int:
        return sum(p.source != "website" for p in self.pages)


@dataclass(frozen=True)
class _Service:
    name: str
    audience: str | None
    who: str
    day: str
    start: str
    end: str
    place: str
    phone: str
    email: str


def _services(count: int, rng: random.Random) -> list[_Service]:
    names = [f"{q} {a}" for q in _QUALIFIERS for a in _ACTIVITIES]
    names += [f"{n} at {b}" for b in _BRANCHES for n in list(names)]
    rng.shuffle(names)
    out = []
    for i in range(count):
        audience, who = _AUDIENCES[i % len(_AUDIENCES)]
        start, end = rng.choice(_SLOTS)
        slug = re.sub(r"[^a-z0-9]+", "-", names[i % len(names)].lower()).strip("-")
        out.append(
            _Service(
                name=names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else ""),
                audience=audience,
                who=who,
                day=rng.choice(_DAYS),
                start=start,
                end=end,
                place=f"{100 + i % 900} River Road, Room {1 + i % 12}",
                phone=f"(555) {200 + i // 10_000:03d}-{i % 10_000:04d}",
                email=f"{slug[:40]}@{BENCH_DOMAIN}",
            )
        )
    return out


def _service_page(s: _Service, rng: random.Random) -> str:
    cost = rng.choice(("free", "low-cost", "free, drop-in"))
    extra = rng.choice(
        (
            "",
            "\n\n## What to bring\n\nJust yourself; everything else is provided.",
            "\n\n## Registration\n\nSign up at the front desk or by phone; spaces are limited.",
        )
    )
    return (
        f"# {s.name}\n\n{s.name} is a {cost} program for {s.who} at the Riverside centre. "
        f"Come along, meet your neighbours and learn something new.\n\n"
        f"## When\n\nEvery {s.day}, {s.start} to {s.end}.\n\n## Where\n\n{s.place}\n\n"
        f"## Who\n\nOpen to {s.who}.{extra}\n\n## Contact\n\nCall {s.phone} or email {s.email}."
    )


def _social_post(s: _Service, rng: random.Random) -> str:
    return rng.choice(
        (
            f"Reminder: {s.name} meets this {s.day}, {s.start}-{s.end} at {s.place}! "
            f"Open to {s.who}. Questions? Call {s.phone}. #Riverside",
            f"Spots open for {s.name} ({s.who}) on {s.day}s, {s.start} to {s.end}. "
            f"Sign up: {s.phone} or {s.email}",
            f"This {s.day}: {s.name}! Free, drop in at {s.place}, {s.start}-{s.end}. "
            f"Call {s.phone} with questions.",
        )
    )


def generate_org(pages: int, *, seed: int = 11) -> GeneratedOrg:
    """An organization's pooled pages: N in all, deterministic for a seed.

    Shaped like a busy community centre: two in five pages are website service pages (one
    per service, facet sections like real program pages), a few website pages are about the
    organization, and the rest are social posts, mostly announcing a service the website
    also describes (the duplicates extraction must merge), some chatter with nothing to
    attend, and some exact reposts of an earlier post under a new URL.
    """
    rng = random.Random(seed)
    services = _services(max(1, pages * 2 // 5), rng)
    out: list[BenchPage] = []
    for s in services[:pages]:
        slug = re.sub(r"[^a-z0-9]+", "-", s.name.lower()).strip("-")
        out.append(BenchPage("website", f"/programs/{slug}", s.name, _service_page(s, rng)))
    for i in range(min(pages // 25, pages - len(out))):
        out.append(
            BenchPage(
                "website",
                f"/news/{i:04d}",
                f"News {i}",
                f"# News from the centre ({i})\n\n{rng.choice(_CHATTER)}",
            )
        )
    social: list[BenchPage] = []
    while len(out) + len(social) < pages:
        roll = rng.random()
        if roll < 0.1 and social:
            content = rng.choice(social).content  # a repost: same text, new URL
        elif roll < 0.25:
            content = rng.choice(_CHATTER)
        else:
            content = _social_post(rng.choice(services), rng)
        social.append(BenchPage("instagram", f"/p/bench{len(social):05d}/", None, content))
    return GeneratedOrg(pages=out + social, services=len(services))


@dataclass(frozen=True)
class ExtractRun:
    """One extraction run as the bench saw it."""

    engine: str
    run: str  # "first" or "unchanged"
    status: str
    seconds: float
    llm_calls: int
    prompt_chars: int
    pages: int
    posts_extracted: int
    proposals_staged: int

    @property
    def prompt_chars_per_page(self) -> float:
        return self.prompt_chars / self.pages if self.pages else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "run": self.run,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "llm_calls": self.llm_calls,
            "prompt_chars": self.prompt_chars,
            "prompt_chars_per_page": round(self.prompt_chars_per_page, 1),
            "posts_extracted": self.posts_extracted,
            "proposals_staged": self.proposals_staged,
        }


@dataclass(frozen=True)
class ExtractBench:
    pages: int
    website_pages: int
    social_posts: int
    services: int
    runs: list[ExtractRun]

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "website_pages": self.website_pages,
            "social_posts": self.social_posts,
            "services": self.services,
            "runs": [r.as_dict() for r in self.runs],
        }


@contextlib.contextmanager
def _engine_settings(engine: str, llm_base_url: str | None) -> Iterator[None]:
    """This process's settings with `engine` chosen (and the LLM at `llm_base_url`).

    The workflow's steps read the process-wide settings and LLM client, so the bench
    switches engines the way an operator would, through the environment, and puts the
    environment (and both caches) back afterwards.
    """
    from sift.ai.llm import get_llm
    from sift.config import get_settings

    wanted = {"SIFT_EXTRACTION_ENGINE": engine}
    if llm_base_url:
        wanted["SIFT_LLM_BASE_URL"] = llm_base_url
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    get_settings.cache_clear()
    get_llm.cache_clear()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
        get_llm.cache_clear()


class _PromptMeter:
    """Counts the characters of every chat request the process-wide LLM client sends.

    Wraps the client instance's `chat` (which `structured` calls), so a transport retry,
    which resends the same characters, is not counted twice.
    """

    def __init__(self) -> None:
        self.chars = 0
        self._lock = threading.Lock()

    def attach(self, client: Any) -> None:
        original = client.chat

        def chat(messages: Any, *, system: str | None = None, **kw: Any) -> Any:
            items = [{"content": messages}] if isinstance(messages, str) else messages
            size = len(system or "") + sum(len(str(m.get("content") or "")) for m in items)
            with self._lock:
                self.chars += size
            return original(messages, system=system, **kw)

        client.chat = chat

    def take(self) -> int:
        with self._lock:
            chars, self.chars = self.chars, 0
        return chars


def _seed_org(generated: GeneratedOrg) -> str:
    from sift import db
    from sift.directory import service
    from sift.directory.ingest.pages import RawPage
    from sift.directory.models import SourceStatus

    with db.session_scope() as session:
        org = service.create_organization(session, name="Riverside Community Network (bench)")
        website = service.add_source(
            session, organization=org, source_type="website", value=BENCH_DOMAIN
        )
        social = service.add_source(
            session, organization=org, source_type="instagram", value=BENCH_HANDLE
        )
        for source in (website, social):
            service.set_source_status(session, source=source, status=SourceStatus.approved)
        site_of = {
            "website": service.source_site_url(website),
            "instagram": service.source_site_url(social),
        }
        base_of = {"website": f"https://{BENCH_DOMAIN}", "instagram": "https://www.instagram.com"}
        service.store_pages(
            session,
            pages=[
                RawPage(
                    url=base_of[p.source] + p.path,
                    site_url=site_of[p.source],
                    title=p.title,
                    content=p.content,
                    metadata={} if p.source == "website" else {"platform": p.source},
                )
                for p in generated.pages
            ],
        )
        return str(org.id)


def _forget_extraction(org_id: str) -> None:
    """Clear the org's pool fingerprint, so the next engine does the whole run rather than
    ending `unchanged` on the pool the previous engine already extracted."""
    from sift import db
    from sift.directory.models import Organization

    with db.session_scope() as session:
        org = session.get(Organization, uuid.UUID(org_id))
        if org is not None:
            org.extraction_fingerprint = None


def _measure(org_id: str, engine: str, llm_base_url: str | None) -> list[ExtractRun]:
    """Two runs of the real workflow: the first extracts, the second finds nothing changed."""
    from sift import workflows
    from sift.ai.llm import get_llm
    from sift.directory import flows

    runs = []
    with _engine_settings(engine, llm_base_url):
        meter = _PromptMeter()
        if engine == "llm":
            meter.attach(get_llm())
        for label in ("first", "unchanged"):
            err_console.print(f"extracting with the {engine} engine ({label} run)…")
            started = time.perf_counter()
            result = workflows.wait_for(flows.start_extraction(org_id))
            seconds = time.perf_counter() - started
            if result["status"] == "failed":
                raise BenchmarkError(f"the {engine} extraction failed: {result['error']}")
            runs.append(
                ExtractRun(
                    engine=engine,
                    run=label,
                    status=result["status"],
                    seconds=seconds,
                    llm_calls=result["llm_calls"],
                    prompt_chars=meter.take(),
                    pages=result["pages_pooled"],
                    posts_extracted=result["posts_extracted"],
                    proposals_staged=result["proposals_staged"],
                )
            )
    return runs


def run_extract_bench(
    pages: int, *, rules: bool = True, llm_base_url: str | None = None
) -> ExtractBench:
    """Generate an org, store it in a throwaway database, and time the real extraction
    workflow on it: the rules engine (when `rules`), then the LLM engine at `llm_base_url`
    (when given), each run twice so the second shows what an unchanged pool costs.

    The database is created beside the configured one and dropped at the end, so the bench
    never touches real data; it needs its own process, since it starts the runtime on it.
    """
    from sqlalchemy import make_url

    from sift import db, runtime, workflows
    from sift.config import get_settings

    if workflows._Runtime.launched:
        raise BenchmarkError("the workflow runtime is already running in this process")
    generated = generate_org(pages)
    settings = get_settings()
    server = make_url(db.resolve_url(settings))
    name = f"sift_bench_extract_{uuid.uuid4().hex[:10]}"
    db.ensure_database(server, name)
    url = server.set(database=name).render_as_string(hide_password=False)
    runs: list[ExtractRun] = []
    try:
        runtime.start(
            settings.model_copy(update={"database_url": url}),
            role="bench",
            executor_id=f"bench-extract-{name}",
        )
        try:
            org_id = _seed_org(generated)
            if rules:
                runs += _measure(org_id, "rules", None)
            if llm_base_url:
                _forget_extraction(org_id)
                runs += _measure(org_id, "llm", llm_base_url)
        finally:
            runtime.stop()
    finally:
        db.drop_database(server, name)
    return ExtractBench(
        pages=len(generated.pages),
        website_pages=generated.website_pages,
        social_posts=generated.social_posts,
        services=generated.services,
        runs=runs,
    )


def print_extract_bench(bench: ExtractBench, *, as_json: bool = False) -> None:
    table = Table(
        title=f"Extraction of a generated {bench.pages}-page organization "
        f"({bench.website_pages} website pages, {bench.social_posts} social posts, "
        f"{bench.services} services)"
    )
    for column in ("engine", "run", "status", "seconds", "LLM calls", "prompt chars/page",
                   "posts", "proposals"):  # fmt: skip
        table.add_column(column, justify="right")
    for r in bench.runs:
        table.add_row(
            r.engine,
            r.run,
            r.status,
            f"{r.seconds:.2f}",
            str(r.llm_calls),
            f"{r.prompt_chars_per_page:.0f}",
            str(r.posts_extracted),
            str(r.proposals_staged),
        )
    console.print(table)
    if as_json:
        print(json.dumps(bench.as_dict()), flush=True)


def extract(
    pages: Annotated[
        int, typer.Option("--pages", min=1, max=100_000, help="Pages of the generated org.")
    ] = 1000,
    llm_base_url: Annotated[
        str | None,
        typer.Option(
            "--llm-base-url",
            help="Also run the LLM engine against this OpenAI-compatible server (it must "
            "answer: every call is real). SIFT_LLM_API_KEY and the model settings apply.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON line last.")
    ] = False,
) -> None:
    """Time the extraction workflow on a generated org, first run and unchanged re-run."""
    if llm_base_url:
        err_console.print(
            f"The LLM engine will call {llm_base_url} for every pass; it needs a server that "
            "answers (bench/bench_extract_llm.py runs one that is scripted).",
            highlight=False,
        )
    print_extract_bench(run_extract_bench(pages, llm_base_url=llm_base_url), as_json=as_json)


# --- sift bench search ----------------------------------------------------------------------

_SERVICES = (
    ("Food pantry", "Free groceries and fresh produce every week."),
    ("Hot meals", "A warm dinner served in the church hall, no questions asked."),
    ("Free tax preparation", "Volunteers file your income tax return for free."),
    ("English conversation class", "Practice speaking English with friendly tutors."),
    ("Legal aid clinic", "Free advice from volunteer lawyers about housing and debt."),
    ("Job search workshop", "Help with CVs, cover letters and interview practice."),
    ("Youth football", "Weekly football training and matches for kids."),
    ("Senior lunch club", "Lunch and company for older neighbours."),
    ("Housing advice", "Help with rent, eviction notices and finding a home."),
    ("Clothing closet", "Free coats, shoes and clothes for the whole family."),
    ("Bike repair cafe", "Fix your bicycle with volunteer mechanics and tools."),
    ("Health screening", "Free blood pressure and diabetes checks by nurses."),
    ("Homework help", "Tutors help school children with their homework."),
    ("Diaper bank", "Free diapers and baby supplies for parents."),
    ("Utility bill assistance", "Help paying heating and electricity bills."),
    ("Community garden", "Grow vegetables on a shared plot with neighbours."),
)
_SEARCH_AUDIENCES = ("families", "seniors", "teens", "veterans", "newcomers", "everyone")
_SEARCH_TOWNS = ("Riverside", "Harbor", "Oak Hill", "Millbrook")
_VARIANTS = len(_SEARCH_AUDIENCES) * len(_SEARCH_TOWNS)
"""Generated texts per service: one per audience and town."""
SEARCH_QUERIES = (
    "food for my family",
    "pantry",
    "help with taxes",
    "learn english",
    "free lunch for older people",
    "lawyer",
    "winter coat",
    "football",
    "pay my electricity bill",
    "fix my bike",
    "baby supplies",
    "job interview",
)
"""What residents type: words that occur in posts and needs phrased differently."""
_SEARCH_WARM_UP = 3


def _service_texts() -> list[tuple[str, str, str]]:
    """(title, summary, description) of every service x audience x town: a few hundred
    distinct texts, each really embedded once."""
    return [
        (f"{title} for {audience}", f"{summary} In {town}.", f"{summary} Open to {audience}.")
        for title, summary in _SERVICES
        for audience in _SEARCH_AUDIENCES
        for town in _SEARCH_TOWNS
    ]


def _seed_posts(count: int, texts: list[tuple[str, str, str]], vectors: Any) -> None:
    """Bulk-insert `count` published posts (25 per organization) drawn from `texts`, each
    with its text's embedding plus small noise, a weekly schedule and a tag, as the
    embedding tick would have left them."""
    import hashlib

    import numpy as np
    import sqlalchemy as sa

    from sift import db
    from sift.directory.calendar import WEEKDAYS
    from sift.directory.models import Organization, Post, PostStatus

    rng = np.random.default_rng(7)
    organizations = [uuid.uuid4() for _ in range(max(1, count // 25))]
    with db.session_scope() as session:
        session.execute(
            sa.insert(Organization),
            [{"id": o, "name": f"Bench organization {i}"} for i, o in enumerate(organizations)],
        )
    for start in range(0, count, 2000):
        picks = rng.integers(0, len(texts), size=min(2000, count - start))
        noisy = vectors[picks] + rng.normal(0, 0.02, size=(len(picks), vectors.shape[1]))
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        rows = []
        for j, pick in enumerate(picks):
            title, summary, description = texts[pick]
            number = start + j
            searchable = f"{title} {summary} {description}"
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "organization_id": organizations[number % len(organizations)],
                    "title": title,
                    "summary": summary,
                    "description": description,
                    "status": PostStatus.active,
                    "schedule": [
                        {"days": [WEEKDAYS[number % 7]], "start": "10:00", "end": "14:00"}
                    ],
                    "tags": [f"category:{_SERVICES[pick // _VARIANTS][0].lower()}"],
                    "embedding": noisy[j].astype(np.float32),
                    "embedded_text_md5": hashlib.md5(searchable.encode()).hexdigest(),
                }
            )
        with db.session_scope() as session:
            session.execute(sa.insert(Post), rows)
    with db.get_engine().connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE posts, organizations"
        )


def _timed(run: Callable[[], object], rounds: int) -> list[float]:
    latencies = []
    for _ in range(rounds):
        began = time.perf_counter()
        run()
        latencies.append(time.perf_counter() - began)
    return latencies


def _search_once(query: Any, embedder: Any) -> None:
    from sift import db
    from sift.directory import search

    with db.session_scope() as session:
        search.search(session, query, embedder=embedder)


def _ilike_once(word: str) -> None:
    from sift import db
    from sift.directory import search

    with db.session_scope() as session:
        search.plain_ilike(session, word)


def run_search_bench(posts: int, rounds: int) -> dict[str, Any]:
    """Seed a scratch database, then time the public search and a plain indexed ILIKE,
    alternating query by query so both see the same cache and load."""
    import functools

    import numpy as np

    from sift.ai.embeddings import get_embedder
    from sift.directory import search
    from sift.evaluation import scratch_database

    embedder = get_embedder()
    texts = _service_texts()
    with scratch_database("sift_bench_search"), progress_bar() as progress:
        progress.add_task(f"storing {posts} pre-embedded posts", total=None)
        seeding = time.perf_counter()
        _seed_posts(posts, texts, embedder.inner.embed([" ".join(t) for t in texts]))
        seed_s = time.perf_counter() - seeding
        embed_s = _timed(lambda: embedder.inner.embed([SEARCH_QUERIES[0]]), rounds)
        timings: dict[str, list[float]] = {"search": [], "ilike": []}
        task = progress.add_task("timing searches", total=len(SEARCH_QUERIES))
        for text in SEARCH_QUERIES:
            full = functools.partial(_search_once, search.SearchQuery(text=text), embedder)
            plain = functools.partial(_ilike_once, max(text.split(), key=len))
            _timed(full, _SEARCH_WARM_UP)  # embeds the query once (then cached), plans
            _timed(plain, _SEARCH_WARM_UP)
            timings["search"] += _timed(full, rounds)
            timings["ilike"] += _timed(plain, rounds)
            progress.advance(task)

    def ms(values: list[float], q: int) -> float:
        return round(float(np.percentile(values, q)) * 1000, 2)

    return {
        "posts": posts,
        "queries": len(SEARCH_QUERIES),
        "samples": len(timings["search"]),
        "search_p50_ms": ms(timings["search"], 50),
        "search_p95_ms": ms(timings["search"], 95),
        "ilike_p50_ms": ms(timings["ilike"], 50),
        "ilike_p95_ms": ms(timings["ilike"], 95),
        "p95_ratio": round(ms(timings["search"], 95) / max(ms(timings["ilike"], 95), 0.01), 2),
        "query_embed_p50_ms": ms(embed_s, 50),
        "seed_s": round(seed_s, 1),
    }


def bench_search(
    posts: Annotated[
        int, typer.Option("--posts", min=10, max=1_000_000, help="Published posts stored first.")
    ] = 50_000,
    rounds: Annotated[
        int, typer.Option("--rounds", min=1, max=1000, help="Timed runs of each query.")
    ] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object last.")] = False,
) -> None:
    """p50/p95 of the public directory's search over N posts beside a plain indexed ILIKE
    in the same run (a throwaway database beside the configured one)."""
    figures = run_search_bench(posts, rounds)
    table = Table(*figures, title=f"Public search over {posts} published posts")
    table.add_row(*(str(v) for v in figures.values()))
    console.print(table)
    console.print(
        f"search = the public page's query: words (trigram ILIKE, every word) then meaning "
        f"(HNSW kNN above a similarity floor), and loading the page's posts; its query "
        f"embeddings are cached after warm-up, and one costs query_embed_p50_ms more when "
        f"new. ilike = one word's indexed ILIKE, the first page of ids. Both run "
        f"{len(SEARCH_QUERIES)} queries x {rounds} rounds, alternating, one transaction each."
    )
    if as_json:
        print(json.dumps(figures), flush=True)
