"""An extraction SIGKILLed inside pass 2 resumes at pass 2 when its process comes back.

Pass 1 is the expensive pass (one model call per batch of pages), so a crash after it must
not pay for it again. The child process runs the real workflow with the LLM engine against
the scripted server in this process; it is killed while the pass-2 request is in flight,
restarted under the same executor id, and DBOS recovers the run from its checkpoints.

The pass-1 memo alone would also avoid a second pass-1 *request*, so the run's own figures
tell the two apart: a recovered checkpoint still reports pass 1's call and tokens, a pass 1
replayed from the memo would report none.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from sift import db
from sift.directory.extraction import prompts
from sift.directory.ingest.pages import RawPage
from sift.directory.models import SourceStatus, SyncBatch
from sift.directory.registry import service
from tests.conftest import fresh_database
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, Reply

ROOT = Path(__file__).resolve().parents[2]
SITE = "harbor-resume.example"
PANTRY_URL = f"https://{SITE}/programs/food-pantry"  # p1: pages pool in URL order
CLUB_URL = f"https://{SITE}/programs/homework-club"  # p2


def is_pass(system: str) -> Callable[[RecordedRequest], bool]:
    """Match a request by the engine's system prompt, which names the pass it belongs to."""
    return lambda request: bool(request.messages) and request.messages[0]["content"] == system


def is_investigation_of(title: str) -> Callable[[RecordedRequest], bool]:
    return lambda r: is_pass(prompts.INVESTIGATE_SYSTEM)(r) and f"Narrative:\n{title}" in r.prompt


def listing(title: str, audience: str | None, days: list[str]) -> dict[str, Any]:
    """A pass-3 answer complete enough (phone and schedule) that no page is fetched again."""
    return {
        "title": title,
        "summary": f"{title} at the Harbor.",
        "description": f"{title}, every week at the Harbor community centre.",
        "audience": audience,
        "contact": {"phone": "(555) 201-3344", "email": None, "website": None,
                    "intake_form": None},
        "location": "412 Harbor Street",
        "schedule": [{"days": days, "start": "10:00", "end": "14:00", "note": None}],
        "tags": ["category:food" if "Pantry" in title else "category:education"],
    }  # fmt: skip


PASS1 = {
    "narratives": [
        {"title": "Weekly Food Pantry", "audience": None, "page_ids": ["p1"],
         "text": "Free groceries on Tuesdays, 10am-2pm. Call (555) 201-3344."},
        {"title": "Homework Club", "audience": "youth", "page_ids": ["p2"],
         "text": "Homework help for kids, Wednesdays 10am-2pm. Call (555) 201-3344."},
    ]
}  # fmt: skip
PASS2: dict[str, Any] = {"groups": []}  # two different services: nothing to merge


@pytest.fixture
def org_database(pg_admin_url: str) -> Iterator[tuple[str, str]]:
    """A fresh migrated database holding one org with an approved website and two pages."""
    url = fresh_database(pg_admin_url, "extract_resume")
    db.upgrade(url)
    engine = sa.create_engine(url)
    with Session(engine) as session, session.begin():
        org = service.create_organization(session, name="Harbor Resume")
        source = service.add_source(session, organization=org, source_type="website", value=SITE)
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        site_url = service.source_site_url(source)
        service.store_pages(
            session,
            pages=[
                RawPage(url=PANTRY_URL, site_url=site_url, title="Food pantry",
                        content="# Weekly Food Pantry\n\nTuesdays 10am-2pm. (555) 201-3344"),
                RawPage(url=CLUB_URL, site_url=site_url, title="Homework club",
                        content="# Homework Club\n\nKids, Wednesdays 10am-2pm. (555) 201-3344"),
            ],
        )  # fmt: skip
        org_id = str(org.id)
    engine.dispose()
    yield url, org_id
    db.drop_database(make_url(pg_admin_url), make_url(url).database or "")


def spawn(
    db_url: str, server: FakeOpenAIServer, org_id: str, markers: Path, name: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SIFT_DATABASE_URL": db_url,
        "SIFT_EXTRACTION_ENGINE": "llm",
        "SIFT_LLM_BASE_URL": server.base_url,
        "SIFT_LLM_API_KEY": "sk-fake",
    }
    with (markers / f"{name}.err").open("wb") as err:  # a file: a full pipe would block it
        return subprocess.Popen(
            [sys.executable, "-m", "tests.support.killable_extraction", org_id, str(markers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def wait_until(done: Callable[[], bool], child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if done():
            return
        if child.poll() is not None:
            raise AssertionError(f"child exited early:\n{log.read_text()[-4000:]}")
        time.sleep(0.05)
    raise AssertionError(f"timed out; child's stderr:\n{log.read_text()[-4000:]}")


def test_sigkill_after_pass1_resumes_at_pass2(
    org_database: tuple[str, str], tmp_path: Path
) -> None:
    db_url, org_id = org_database
    with FakeOpenAIServer() as server:
        server.enqueue(
            Reply.json(PASS1, usage=(100, 20), when=is_pass(prompts.NARRATIVES_SYSTEM)),
            # Consumed by the first process's pass-2 request, which never gets it.
            Reply.slow(600, Reply.json(PASS2, when=is_pass(prompts.DEDUPE_SYSTEM))),
            Reply.json(PASS2, usage=(50, 5), when=is_pass(prompts.DEDUPE_SYSTEM)),
            Reply.json(listing("Weekly Food Pantry", None, ["Tuesday"]), usage=(30, 10),
                       when=is_investigation_of("Weekly Food Pantry")),
            Reply.json(listing("Homework Club", "youth", ["Wednesday"]), usage=(30, 10),
                       when=is_investigation_of("Homework Club")),
        )  # fmt: skip

        def of(system: str) -> list[RecordedRequest]:
            return [r for r in server.chat_requests if is_pass(system)(r)]

        first = spawn(db_url, server, org_id, tmp_path, "first")
        wait_until(
            lambda: (tmp_path / "started").exists() and bool(of(prompts.DEDUPE_SYSTEM)),
            first,
            tmp_path / "first.err",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        assert not (tmp_path / "result").exists()

        second = spawn(db_url, server, org_id, tmp_path, "second")
        assert second.wait(timeout=120) == 0, (tmp_path / "second.err").read_text()[-4000:]

        assert len(of(prompts.NARRATIVES_SYSTEM)) == 1  # pass 1 asked once, across both
        assert len(of(prompts.DEDUPE_SYSTEM)) == 2  # the killed request, then the resumed
        assert len(of(prompts.INVESTIGATE_SYSTEM)) == 2
        server.assert_script_consumed()

    result = json.loads((tmp_path / "result").read_text())
    assert result["status"] == "completed", result
    assert result["posts_extracted"] == 2 and result["proposals_staged"] == 2
    # Pass 1's figures come from its checkpoint: a memo replay would have added none.
    assert result["llm_calls"] == 1 + 1 + 2
    assert result["tokens_used"] == 120 + 55 + 40 + 40
    engine = sa.create_engine(db_url)
    try:
        with Session(engine) as session:
            batches = session.scalars(
                sa.select(SyncBatch).where(SyncBatch.entity_id == uuid.UUID(org_id))
            ).all()
    finally:
        engine.dispose()
    assert len(batches) == 1
    assert batches[0].workflow_id == (tmp_path / "started").read_text()
