"""`sift bench extract`: the real extraction workflow timed on a generated organization,
first run and unchanged re-run, with its model calls and prompt size per page."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.table import Table

from sift.directory.bench.org import BENCH_DOMAIN, BENCH_HANDLE, GeneratedOrg, generate_org
from sift.evaluation import BenchmarkError
from sift.terminal import console, err_console


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
    from sift.directory.ingest.pages import RawPage
    from sift.directory.models import SourceStatus
    from sift.directory.registry import service

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
    from sift.directory.extraction import flows

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
