"""The extract-org workflow with the LLM engine, end to end in this process.

The engine's own checks are tested against the engine (test_extraction_llm.py); here the
question is what the *workflow* makes of them: scripted pass answers become staged
proposals, an answer the engine refuses twice ends the run `failed` with nothing staged,
a rate limit is ridden out underneath, and the run's token and call figures are the sum
of what the server billed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa

import sift.ai.llm
from sift import db, workflows
from sift.config import get_settings
from sift.directory.extraction import flows, prompts
from sift.directory.ingest.pages import RawPage
from sift.directory.models import (
    OperationKind,
    Organization,
    Post,
    ProposedOperation,
    SourceStatus,
    SyncBatch,
)
from sift.directory.registry import service
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, Reply


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, app_runtime: str) -> Iterator[FakeOpenAIServer]:
    """A scripted server, and this process's settings pointing the LLM engine at it.

    Settings and the LLM client are process-wide caches, so they are cleared on the way
    in and again on the way out, after the environment is restored.
    """
    with FakeOpenAIServer() as fake:
        monkeypatch.setenv("SIFT_EXTRACTION_ENGINE", "llm")
        monkeypatch.setenv("SIFT_LLM_BASE_URL", fake.base_url)
        monkeypatch.setenv("SIFT_LLM_API_KEY", "sk-fake")
        get_settings.cache_clear()
        sift.ai.llm.get_llm.cache_clear()
        try:
            yield fake
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
            sift.ai.llm.get_llm.cache_clear()


def is_pass(system: str) -> Callable[[RecordedRequest], bool]:
    """Match a request by the engine's system prompt, which names the pass it belongs to."""
    return lambda request: bool(request.messages) and request.messages[0]["content"] == system


def is_investigation_of(title: str) -> Callable[[RecordedRequest], bool]:
    return lambda r: is_pass(prompts.INVESTIGATE_SYSTEM)(r) and f"Narrative:\n{title}" in r.prompt


def make_org(name: str, pages: dict[str, str]) -> str:
    """An org with one approved website holding `pages` (path → content).

    Page contents include the org's name: the pass-1 memo is keyed by content hash and
    shared by the module's database, so no two tests may share a page.
    """
    domain = f"{uuid.uuid4().hex[:8]}.example"
    with db.session_scope() as session:
        org = service.create_organization(session, name=name)
        source = service.add_source(session, organization=org, source_type="website", value=domain)
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        site_url = service.source_site_url(source)
        service.store_pages(
            session,
            pages=[
                RawPage(url=f"https://{domain}{path}", site_url=site_url,
                        content=f"{name}\n\n{content}")
                for path, content in pages.items()
            ],
        )  # fmt: skip
        return str(org.id)


def draft(title: str, page_ids: list[str], audience: str | None = None) -> dict[str, Any]:
    return {"title": title, "audience": audience, "text": f"{title}: details.",
            "page_ids": page_ids}  # fmt: skip


def listing(title: str, audience: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A pass-3 answer with phone and schedule, so the engine does not fetch pages again."""
    return {
        "title": title,
        "summary": f"{title}, weekly.",
        "description": f"{title} at the Harbor community centre.",
        "audience": audience,
        "contact": {"phone": "(555) 201-3344", "email": None, "website": None,
                    "intake_form": None},
        "location": "412 Harbor Street",
        "schedule": [{"days": ["Tuesday"], "start": "10:00", "end": "14:00", "note": None}],
        "tags": ["category:food"],
        **overrides,
    }  # fmt: skip


def staged(batch_id: str) -> list[Post]:
    with db.session_scope() as session:
        posts = session.scalars(
            sa.select(Post)
            .join(ProposedOperation, ProposedOperation.draft_post_id == Post.id)
            .where(ProposedOperation.batch_id == uuid.UUID(batch_id))
            .where(ProposedOperation.operation == OperationKind.insert)
            .order_by(Post.title)
        ).all()
        session.expunge_all()
        return list(posts)


def batches_of(org_id: str) -> int:
    with db.session_scope() as session:
        return int(
            session.scalar(
                sa.select(sa.func.count())
                .select_from(SyncBatch)
                .where(SyncBatch.entity_id == uuid.UUID(org_id))
            )
            or 0
        )


def test_pass_outputs_become_staged_proposals_with_their_cost(
    server: FakeOpenAIServer,
) -> None:
    org_id = make_org(
        "Harbor LLM Flow",
        {
            "/pantry": "# Food pantry\n\nTuesdays 10-2. (555) 201-3344",
            "/news": "Pantry open Tuesdays! Also: homework club for kids on Wednesdays.",
        },
    )
    server.enqueue(
        Reply.json(
            {"narratives": [draft("Food Pantry", ["p2"]), draft("Pantry", ["p1"]),
                            draft("Homework Club", ["p1"], audience="youth")]},
            usage=(1000, 200),
            when=is_pass(prompts.NARRATIVES_SYSTEM),
        ),
        Reply.json(
            {"groups": [{"narrative_ids": ["n1", "n2"], "title": "Weekly Food Pantry",
                         "audience": None, "text": "Free groceries, Tuesdays 10am-2pm."}]},
            usage=(300, 60),
            when=is_pass(prompts.DEDUPE_SYSTEM),
        ),
        Reply.json(listing("Weekly Food Pantry"), usage=(150, 40),
                   when=is_investigation_of("Weekly Food Pantry")),
        Reply.json(listing("Homework Club", "youth", tags=["category:education"]),
                   usage=(120, 30), when=is_investigation_of("Homework Club")),
    )  # fmt: skip

    result = workflows.wait_for(flows.start_extraction(org_id))

    assert result["status"] == "completed", result
    assert result["pages_pooled"] == 2 and result["posts_extracted"] == 2
    assert result["proposals_staged"] == 2
    assert result["llm_calls"] == 4 == len(server.chat_requests)
    assert result["tokens_used"] == 1200 + 360 + 190 + 150
    server.assert_script_consumed()
    club, pantry = staged(result["batch_id"])
    assert pantry.title == "Weekly Food Pantry" and club.title == "Homework Club"
    assert pantry.contact.get("phone") == "(555) 201-3344"
    assert pantry.schedule[0]["days"] == ["Tuesday"] and pantry.location == "412 Harbor Street"
    assert club.audience == "youth"
    # The merged narrative cites both pages, so pass 3 was shown both.
    pantry_prompt = next(r for r in server.chat_requests if is_investigation_of(
        "Weekly Food Pantry")(r)).prompt  # fmt: skip
    assert "/pantry" in pantry_prompt and "/news" in pantry_prompt


def test_hallucinated_page_id_twice_fails_the_run_and_stages_nothing(
    server: FakeOpenAIServer,
) -> None:
    org_id = make_org("Harbor Ghosts", {"/pantry": "# Pantry\n\nTuesdays 10-2."})
    bad = {"narratives": [draft("Pantry", ["p1"]), draft("Ghost program", ["p7"])]}
    server.enqueue(Reply.json(bad), Reply.json(bad))

    result = workflows.wait_for(flows.start_extraction(org_id))

    assert result["status"] == "failed"
    assert "p7" in result["error"] and "pass 1" in result["error"]
    assert result["batch_id"] is None and result["proposals_staged"] == 0
    assert len(server.chat_requests) == 2  # one corrective retry, then give up
    assert batches_of(org_id) == 0
    with db.session_scope() as session:  # not marked extracted: the next run tries again
        assert session.get(Organization, uuid.UUID(org_id)).extraction_fingerprint is None


def test_rate_limit_then_success_completes(server: FakeOpenAIServer) -> None:
    org_id = make_org("Harbor Busy Model", {"/pantry": "# Pantry\n\nTuesdays 10-2."})
    server.enqueue(
        Reply.error(429, retry_after=0),
        Reply.json({"narratives": [draft("Food Pantry", ["p1"])]}, usage=(80, 20),
                   when=is_pass(prompts.NARRATIVES_SYSTEM)),
        Reply.json(listing("Food Pantry"), usage=(50, 10),
                   when=is_pass(prompts.INVESTIGATE_SYSTEM)),
    )  # fmt: skip

    result = workflows.wait_for(flows.start_extraction(org_id))

    assert result["status"] == "completed", result
    assert [r.status for r in server.chat_requests] == [429, 200, 200]
    assert result["llm_calls"] == 2  # the refused attempt cost nothing and is no call
    assert result["tokens_used"] == 100 + 60
    assert [p.title for p in staged(result["batch_id"])] == ["Food Pantry"]
    assert batches_of(org_id) == 1
