"""Scale-out: two `sift worker` processes sharing one Postgres each take queued work, and
every queued extraction runs exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from dbos import DBOSClient
from dbos._registrations import get_dbos_func_name
from sqlalchemy.orm import Session

from sift import db, workflows
from sift.directory import flows, service
from sift.directory.ingest.pages import RawPage
from sift.directory.models import SourceStatus, SyncBatch
from tests.conftest import fresh_database

ROOT = Path(__file__).resolve().parents[2]
ORGS = 6


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


def _worker(url: str, worker_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sift.cli", "worker", "--id", worker_id],
        cwd=ROOT,
        env={**os.environ, "SIFT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "is processing the queue" in line:
            return
        if proc.poll() is not None:
            raise AssertionError(f"worker died: {line}{proc.stdout.read()}")
    raise AssertionError("worker did not start")


def test_two_workers_run_every_queued_extraction_exactly_once(pg_admin_url: str) -> None:
    url = fresh_database(pg_admin_url, "scale_out")
    db.upgrade(url)
    org_ids = _seed(url)
    workers = [_worker(url, "scale-w1"), _worker(url, "scale-w2")]
    try:
        for proc in workers:
            _wait_ready(proc)
        client = DBOSClient(system_database_url=workflows._dbos_url(url))
        name = get_dbos_func_name(flows.extract_org_posts)
        handles = [
            client.enqueue(
                {
                    "workflow_name": name,
                    "queue_name": workflows.QUEUE_NAME,
                    "deduplication_id": flows.extract_key(org_id),
                },
                org_id,
            )
            for org_id in org_ids
        ]
        results = [h.get_result() for h in handles]
        statuses = [client.retrieve_workflow(h.workflow_id).get_status() for h in handles]
        client.destroy()
    finally:
        for proc in workers:
            proc.terminate()
        for proc in workers:
            proc.wait(timeout=60)

    assert [r["status"] for r in results] == ["completed"] * ORGS
    assert {s.executor_id for s in statuses} <= {"scale-w1", "scale-w2"}
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        batches = conn.execute(
            sa.select(SyncBatch.entity_id, sa.func.count()).group_by(SyncBatch.entity_id)
        ).all()
    engine.dispose()
    assert sorted(str(org) for org, _ in batches) == sorted(org_ids)
    assert all(count == 1 for _, count in batches), "an extraction ran twice"
