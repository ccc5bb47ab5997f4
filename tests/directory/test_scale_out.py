"""Scale-out and faults, with real processes on one Postgres: workers share queued work and
each run executes once; workers without `--id` and CLI commands never take each other's
runs; a worker killed with SIGKILL has its runs finished by another within seconds."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dbos import DBOSClient, WorkflowHandle
from dbos._registrations import get_dbos_func_name
from sqlalchemy.orm import Session

from sift import db, workflows
from sift.directory.extraction import flows as extraction_flows
from sift.directory.extraction import prompts
from sift.directory.ingest.pages import RawPage
from sift.directory.models import SourceStatus, SyncBatch
from sift.directory.registry import flows as registry_flows
from sift.directory.registry import service
from tests.conftest import fresh_database
from tests.directory.test_extract_resume import PASS1, PASS2, is_pass, listing
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.site_server import SiteServer

ROOT = Path(__file__).resolve().parents[2]
SIFT = [sys.executable, "-m", "sift.cli"]
ORGS = 6
PAGES = 8
RECOVERY_BOUND_S = 30
"""A killed worker's run is finished by another within this (detection: two 2 s passes)."""


def _seed(url: str) -> list[str]:
    engine = sa.create_engine(url)
    ids = []
    with Session(engine) as session:
        for n in range(ORGS):
            org = service.create_organization(session, name=f"Scale org {n}")
            source = service.add_source(
                session, organization=org, source_type="website", value=f"scale{n}.org"
            )
            service.set_source_status(session, source=source, status=SourceStatus.approved)
            service.store_pages(
                session,
                pages=[
                    RawPage(
                        url=f"https://scale{n}.org/classes",
                        site_url=f"https://scale{n}.org",
                        content=f"# Art class {n}\n\nFree art classes for adults every "
                        f"Monday 6-8pm. Register at https://scale{n}.org/register "
                        f"or call (555) 300-{1000 + n}.",
                    )
                ],
            )
            ids.append(str(org.id))
        session.commit()
    engine.dispose()
    return ids


def _worker(url: str, worker_id: str | None, log: Path, **env: str) -> subprocess.Popen[str]:
    """A real `sift worker`; its output goes to a file (a full pipe would block it)."""
    with log.open("w") as out:
        return subprocess.Popen(
            [*SIFT, "worker", *(["--id", worker_id] if worker_id else [])],
            cwd=ROOT,
            env={**os.environ, "SIFT_DATABASE_URL": url, "PYTHONPATH": str(ROOT), **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _wait_ready(proc: subprocess.Popen[str], log: Path) -> str:
    """Wait for the worker's start line; return its executor id."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if found := re.search(r"worker (\S+) is processing the queue", log.read_text()):
            return found.group(1)
        if proc.poll() is not None:
            raise AssertionError(f"worker died: {log.read_text()}")
        time.sleep(0.1)
    raise AssertionError("worker did not start")


@contextlib.contextmanager
def _workers(
    url: str, folder: Path, ids: list[str | None], **env: str
) -> Iterator[dict[str, subprocess.Popen[str]]]:
    """Workers started together, by executor id; stopped (SIGTERM) at the end."""
    procs = [_worker(url, i, folder / f"worker{n}.log", **env) for n, i in enumerate(ids)]
    try:
        yield {_wait_ready(p, folder / f"worker{n}.log"): p for n, p in enumerate(procs)}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)


def _enqueue_extraction(client: DBOSClient, org_id: str) -> WorkflowHandle[Any]:
    """Queue an extraction as another process would (a `sift serve`, say)."""
    return client.enqueue(
        {
            "workflow_name": get_dbos_func_name(extraction_flows.extract_org_posts),
            "queue_name": workflows.QUEUE_NAME,
            "deduplication_id": extraction_flows.extract_key(org_id),
        },
        org_id,
    )


def _slow_site(site: SiteServer, delay_s: float) -> None:
    links = "".join(f"<a href='/p{n}'>page {n}</a>" for n in range(PAGES))
    site.page("/", "Home", f"<p>Programs of the centre.</p>{links}")
    for n in range(PAGES):
        site.page(f"/p{n}", f"Program {n}", f"<h1>Program {n}</h1><p>Every Monday.</p>" * 5)
        site.routes[f"/p{n}"].delay_s = delay_s


def _website_source(url: str, root_url: str) -> str:
    engine = sa.create_engine(url)
    with Session(engine) as session, session.begin():
        org = service.create_organization(session, name=f"Crawled {uuid.uuid4().hex[:6]}")
        source = service.add_source(
            session, organization=org, source_type="website", value=root_url
        )
        source.url = root_url
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        source_id = str(source.id)
    engine.dispose()
    return source_id


def _enqueue_crawl(client: DBOSClient, source_id: str) -> WorkflowHandle[Any]:
    return client.enqueue(
        {
            "workflow_name": get_dbos_func_name(registry_flows.crawl_source),
            "queue_name": workflows.QUEUE_NAME,
            "deduplication_id": registry_flows.crawl_key(source_id),
        },
        source_id,
    )


def _wait(done: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _page_rows(url: str, source_id: str) -> list[str]:
    engine = sa.create_engine(url)
    with Session(engine) as session:
        source = service.get_source_or_raise(session, ref=source_id)
        rows = service.pages_for_sites(session, site_urls=[service.source_site_url(source)])
        urls = [row.url for row in rows]
    engine.dispose()
    return urls


def test_workers_and_a_cli_command_each_run_their_own_work_exactly_once(
    pg_admin_url: str, tmp_path: Path
) -> None:
    url = fresh_database(pg_admin_url, "own_work")
    db.upgrade(url)
    org_ids = _seed(url)
    with SiteServer() as site, _workers(url, tmp_path, ["scale-w1", None]) as workers:
        _slow_site(site, delay_s=0.3)
        source_id = _website_source(url, site.base_url)
        client = DBOSClient(system_database_url=workflows._dbos_url(url))
        crawl = _enqueue_crawl(client, source_id)
        _wait(lambda: len(site.paths_requested()) >= 2, "the crawl to start")

        cli = subprocess.Popen(
            [*SIFT, "extract", "Scale org 0"],
            cwd=ROOT,
            env={**os.environ, "SIFT_DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        time.sleep(1.0)  # the CLI is up and running while other work is queued
        others = [_enqueue_extraction(client, org_id) for org_id in org_ids[1:]]
        output, _ = cli.communicate(timeout=120)
        crawled = crawl.get_result()
        for handle in others:
            handle.get_result()
        runs = client.list_workflows(load_input=False, load_output=False)
        client.destroy()

    assert cli.returncode == 0, output
    assert "Traceback" not in output
    assert crawled["status"] == "completed" and crawled["pages_stored"] == PAGES + 1
    assert Counter(site.paths_requested()).most_common(1)[0][1] == 1, "a URL was fetched twice"
    by_name = {run.workflow_id: run for run in runs}
    cli_runs = [run for run in runs if ":cli:" in (run.executor_id or "")]
    assert [run.name.rsplit(".", 1)[-1] for run in cli_runs] == ["extract_org_posts"]
    assert all(by_name[h.workflow_id].executor_id in workers for h in [crawl, *others])
    assert not [run for run in runs if run.status in ("PENDING", "ENQUEUED")], "stranded run"
    assert all((run.recovery_attempts or 0) <= 1 for run in runs)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        batches = conn.execute(
            sa.select(SyncBatch.entity_id, sa.func.count()).group_by(SyncBatch.entity_id)
        ).all()
    engine.dispose()
    assert sorted(str(org) for org, _ in batches) == sorted(org_ids)
    assert all(count == 1 for _, count in batches), "an extraction ran twice"


def _seed_llm_org(url: str) -> str:
    engine = sa.create_engine(url)
    with Session(engine) as session, session.begin():
        org = service.create_organization(session, name="Harbor Fault")
        source = service.add_source(
            session, organization=org, source_type="website", value="harbor-fault.example"
        )
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        site_url = service.source_site_url(source)
        service.store_pages(
            session,
            pages=[
                RawPage(url=f"{site_url}/programs/food-pantry", site_url=site_url,
                        content="# Weekly Food Pantry\n\nTuesdays 10am-2pm. (555) 201-3344"),
                RawPage(url=f"{site_url}/programs/homework-club", site_url=site_url,
                        content="# Homework Club\n\nKids, Wednesdays 10am-2pm. (555) 201-3344"),
            ],
        )  # fmt: skip
        org_id = str(org.id)
    engine.dispose()
    return org_id


def _kill_owner(client: DBOSClient, run_id: str, workers: dict[str, subprocess.Popen[str]]) -> str:
    """SIGKILL the worker executing `run_id`; return its executor id."""
    owner = client.retrieve_workflow(run_id).get_status().executor_id
    assert owner in workers, owner
    workers[owner].send_signal(signal.SIGKILL)
    workers[owner].wait()
    return owner


def test_a_sigkilled_workers_crawl_and_extraction_are_finished_by_another_worker(
    pg_admin_url: str, tmp_path: Path
) -> None:
    url = fresh_database(pg_admin_url, "kill_worker")
    db.upgrade(url)
    org_id = _seed_llm_org(url)
    llm_env = {"SIFT_EXTRACTION_ENGINE": "llm", "SIFT_LLM_API_KEY": "sk-fake"}
    with SiteServer() as site, FakeOpenAIServer() as llm:
        llm.enqueue(
            Reply.slow(600, Reply.json(PASS1, when=is_pass(prompts.NARRATIVES_SYSTEM))),
            Reply.json(PASS1, when=is_pass(prompts.NARRATIVES_SYSTEM)),
            Reply.json(PASS2, when=is_pass(prompts.DEDUPE_SYSTEM)),
            Reply.json(listing("Weekly Food Pantry", None, ["Tuesday"]),
                       when=is_pass(prompts.INVESTIGATE_SYSTEM)),
            Reply.json(listing("Homework Club", "youth", ["Wednesday"]),
                       when=is_pass(prompts.INVESTIGATE_SYSTEM)),
        )  # fmt: skip
        llm_env["SIFT_LLM_BASE_URL"] = llm.base_url
        with _workers(url, tmp_path, [None, None, None], **llm_env) as workers:
            assert len(workers) == 3, "workers without --id share an executor id"
            _slow_site(site, delay_s=0.5)
            source_id = _website_source(url, site.base_url)
            client = DBOSClient(system_database_url=workflows._dbos_url(url))

            crawl = _enqueue_crawl(client, source_id)
            _wait(lambda: len(site.paths_requested()) >= 3, "the crawl to fetch pages")
            killed = [_kill_owner(client, crawl.workflow_id, workers)]
            killed_at = time.monotonic()
            crawled = crawl.get_result()
            crawl_took = time.monotonic() - killed_at

            extraction = _enqueue_extraction(client, org_id)
            _wait(lambda: bool(llm.chat_requests), "the extraction's first model call")
            killed.append(_kill_owner(client, extraction.workflow_id, workers))
            killed_at = time.monotonic()
            extracted = extraction.get_result()
            extract_took = time.monotonic() - killed_at
            finishers = [
                client.retrieve_workflow(h.workflow_id).get_status().executor_id
                for h in (crawl, extraction)
            ]

            site.clear_log()  # a CLI crawl killed halfway is finished by the last worker
            cli = subprocess.Popen([*SIFT, "crawl", source_id], cwd=ROOT, env={
                **os.environ, "SIFT_DATABASE_URL": url}, stdout=subprocess.DEVNULL)  # fmt: skip
            _wait(lambda: len(site.paths_requested()) >= 3, "the CLI's crawl to fetch pages")
            cli.send_signal(signal.SIGKILL)
            cli.wait()
            killed_at = time.monotonic()
            (cli_run,) = [
                r
                for r in client.list_workflows(load_input=False)
                if ":cli:" in (r.executor_id or "")  # None: enqueued, not yet taken
            ]
            recrawled = client.retrieve_workflow(cli_run.workflow_id).get_result()
            cli_crawl_took = time.monotonic() - killed_at
            client.destroy()

    assert crawled["status"] == "completed" and crawl_took < RECOVERY_BOUND_S
    assert extracted["status"] == "completed" and extract_took < RECOVERY_BOUND_S
    assert extracted["posts_extracted"] == 2 and extracted["proposals_staged"] == 2
    assert all(finisher != owner for finisher, owner in zip(finishers, killed, strict=True))
    assert recrawled["status"] == "completed" and cli_crawl_took < RECOVERY_BOUND_S
    pages = _page_rows(url, source_id)
    assert len(pages) == len(set(pages)) == PAGES + 1
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        batches = conn.scalar(
            sa.select(sa.func.count()).where(SyncBatch.entity_id == uuid.UUID(org_id))
        )
    engine.dispose()
    assert batches == 1, "the extraction staged its proposals twice"
