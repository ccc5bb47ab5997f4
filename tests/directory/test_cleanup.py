"""Clean Up Org Posts: duplicates across and within sources become one clean-up batch of
merge proposals; rejected posts are purged even when detection fails; blocking keeps a
5,000-post organization to a bounded number of candidate pairs."""

from __future__ import annotations

import threading
import uuid

import numpy as np
import pytest
import sqlalchemy as sa

from sift import db, workflows
from sift.config import get_settings
from sift.directory.cleanup import flows
from sift.directory.cleanup import service as cleanup
from sift.directory.models import (
    BatchKind,
    Post,
    PostStatus,
    ProposedOperation,
    SourceStatus,
    SyncBatch,
)
from sift.directory.proposals import review, sync
from sift.directory.registry import service
from tests.fakes.openai_server import FakeOpenAIServer, Reply


def make_org(name: str, posts: list[tuple[str, str, str, PostStatus]]) -> str:
    """posts: (source type, title, description, status); one source per type."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=name)
        sources = {}
        for kind in {p[0] for p in posts}:
            value = (
                f"{uuid.uuid4().hex[:8]}.org" if kind == "website" else f"h{uuid.uuid4().hex[:8]}"
            )
            sources[kind] = service.add_source(
                session, organization=org, source_type=kind, value=value
            )
            service.set_source_status(session, source=sources[kind], status=SourceStatus.approved)
        for i, (kind, title, description, status) in enumerate(posts):
            post = Post(
                organization_id=org.id,
                title=title,
                description=description,
                status=status,
                contact={"phone": "(555) 201-3344"} if "pantry" in title.lower() else {},
            )
            session.add(post)
            session.flush()
            sync.link_sources(session, post=post, links=[(str(sources[kind].id), f"https://x/{i}")])
        return str(org.id)


PANTRY = (
    "Free groceries every Tuesday and Thursday 10am-2pm at 412 Harbor Street. Call (555) 201-3344."
)


def run(org_id: str) -> dict:
    return workflows.wait_for(flows.start_cleanup(org_id))


def test_zero_posts_return_early_and_cleanly(app_runtime: str) -> None:
    result = run(make_org("Empty org", []))
    assert result == {
        **result,
        "duplicates_found": 0,
        "proposals_staged": 0,
        "rejected_purged": 0,
        "status": "completed",
    }


def test_one_post_has_nothing_to_merge(app_runtime: str) -> None:
    result = run(
        make_org("One post", [("website", "Weekly Food Pantry", PANTRY, PostStatus.active)])
    )
    assert (result["duplicates_found"], result["proposals_staged"]) == (0, 0)


def test_cross_and_same_source_duplicates_become_one_cleanup_batch(app_runtime: str) -> None:
    org_id = make_org(
        "Many posts",
        [
            ("instagram", "Pantry day!", PANTRY, PostStatus.active),
            ("website", "Weekly Food Pantry", PANTRY, PostStatus.pending_approval),
            ("instagram", "Food pantry open", PANTRY, PostStatus.active),
            (
                "website",
                "Youth Soccer League",
                "Saturdays 9-11am at Harbor Park for ages 6-12. Register at https://forms.example.org/soccer",
                PostStatus.active,
            ),
            (
                "website",
                "Adult ESL Classes",
                "English classes Monday and Wednesday 6:30-8:30pm, Room 104.",
                PostStatus.active,
            ),
            ("website", "Old thing", "Rejected earlier.", PostStatus.rejected),
        ],
    )
    result = run(org_id)
    assert result["status"] == "completed"
    assert (result["duplicates_found"], result["proposals_staged"], result["rejected_purged"]) == (
        2,
        1,
        1,
    )
    with db.session_scope() as session:
        batch = session.get(SyncBatch, uuid.UUID(result["batch_id"]))
        assert batch.kind is BatchKind.cleanup
        [merge] = session.scalars(
            sa.select(ProposedOperation).where(ProposedOperation.batch_id == batch.id)
        ).all()
        canonical = session.get(Post, merge.target_post_id)
        assert canonical.status is PostStatus.active, "an active post is kept over a pending one"
        assert len(merge.merge_sources) == 2
        assert "3 posts describe the same service" in merge.reason
        purged = session.scalars(sa.select(Post).where(Post.title == "Old thing")).one()
        assert purged.deleted_reason == "Purged by org cleanup (rejected)"


def test_different_audiences_are_never_merged(app_runtime: str) -> None:
    org_id = make_org("Audiences", [])
    with db.session_scope() as session:
        for audience in ("youth", "seniors"):
            session.add(
                Post(
                    organization_id=uuid.UUID(org_id),
                    title="Swimming lessons",
                    audience=audience,
                    description="Swimming lessons at the pool, Mondays 4pm.",
                    status=PostStatus.active,
                )
            )
    assert run(org_id)["duplicates_found"] == 0


def test_only_rejected_posts_are_purged(app_runtime: str) -> None:
    org_id = make_org(
        "Rejected only",
        [("website", "A", "a", PostStatus.rejected), ("website", "B", "b", PostStatus.rejected)],
    )
    result = run(org_id)
    assert (result["proposals_staged"], result["rejected_purged"]) == (0, 2)


def test_llm_failure_still_purges(app_runtime: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sift.ai import llm

    org_id = make_org(
        "LLM down",
        [
            ("website", "Weekly Food Pantry", PANTRY, PostStatus.active),
            ("instagram", "Pantry day!", PANTRY, PostStatus.active),
            ("website", "Gone", "rejected", PostStatus.rejected),
        ],
    )
    with FakeOpenAIServer() as server:
        server.enqueue(*[Reply.error(500, "upstream down") for _ in range(10)])
        monkeypatch.setenv("SIFT_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("SIFT_LLM_API_KEY", "sk-fake")
        monkeypatch.setenv("SIFT_LLM_MAX_RETRIES", "1")
        get_settings.cache_clear()
        llm.get_llm.cache_clear()
        try:
            result = run(org_id)
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
            llm.get_llm.cache_clear()
        assert server.chat_requests, "the large model was asked"
        assert server.chat_requests[0].model == "gpt-5"
    assert result["status"] == "partial" and "duplicate detection failed" in result["error"]
    assert (result["proposals_staged"], result["rejected_purged"]) == (0, 1)


def test_concurrent_triggers_make_one_run(app_runtime: str) -> None:
    org_id = make_org("Concurrent", [("website", "Weekly Food Pantry", PANTRY, PostStatus.active)])
    ids: list[str] = []
    threads = [
        threading.Thread(target=lambda: ids.append(flows.start_cleanup(org_id))) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1
    workflows.wait_for(ids[0])


def test_blocking_scales_to_a_5000_post_org() -> None:
    """5,000 posts in 1,000 families of near-identical vectors: every true pair is a
    candidate and the candidate count stays linear in the number of posts."""
    rng = np.random.default_rng(0)
    families = rng.normal(size=(1000, 384))
    vectors = np.repeat(families, 5, axis=0) + rng.normal(scale=0.05, size=(5000, 384))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    posts = [
        cleanup.PostInfo(
            id=str(i),
            content={"title": f"Service {i // 5}", "description": ""},
            active=True,
            source_priority=0,
        )
        for i in range(5000)
    ]
    pairs = cleanup.candidate_pairs(posts, lambda: vectors.astype(np.float32))
    true_pairs = {
        (a, b)
        for f in range(1000)
        for a in range(5 * f, 5 * f + 5)
        for b in range(a + 1, 5 * f + 5)
    }
    assert true_pairs <= pairs
    assert len(pairs) <= 5000 * cleanup.NEIGHBOURS


def _with_llm(server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from sift.ai import llm

    monkeypatch.setenv("SIFT_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("SIFT_LLM_API_KEY", "sk-fake")
    get_settings.cache_clear()
    llm.get_llm.cache_clear()


def _without_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    from sift.ai import llm

    monkeypatch.undo()
    get_settings.cache_clear()
    llm.get_llm.cache_clear()


def test_large_model_judges_candidate_groups_and_small_model_writes_the_reason(
    app_runtime: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    org_id = make_org(
        "LLM judged",
        [
            ("website", "Weekly Food Pantry", PANTRY, PostStatus.active),
            ("instagram", "Pantry day!", PANTRY, PostStatus.active),
        ],
    )
    with db.session_scope() as session:
        ids = [
            str(p.id)
            for p in session.scalars(
                sa.select(Post).where(Post.organization_id == uuid.UUID(org_id))
            )
        ]
    with FakeOpenAIServer() as server:
        server.enqueue(
            Reply.json({"duplicate_sets": [ids]}, when=lambda r: r.model == "gpt-5"),
            Reply.json(
                {"reason": "Both list the Tuesday and Thursday pantry."},
                when=lambda r: r.model == "gpt-5-mini",
            ),
        )
        _with_llm(server, monkeypatch)
        try:
            result = run(org_id)
        finally:
            _without_llm(monkeypatch)
        assert [r.model for r in server.chat_requests] == ["gpt-5", "gpt-5-mini"]
        assert all(i in server.chat_requests[0].prompt for i in ids), (
            "only the candidate group is sent"
        )
    assert (result["duplicates_found"], result["proposals_staged"]) == (1, 1)
    with db.session_scope() as session:
        merge = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.batch_id == uuid.UUID(result["batch_id"])
            )
        ).one()
        assert merge.reason == "Both list the Tuesday and Thursday pantry."
        assert session.get(Post, merge.target_post_id).title == "Weekly Food Pantry"


def test_ids_the_model_was_not_shown_are_never_applied(
    app_runtime: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    org_id = make_org(
        "LLM invents ids",
        [
            ("website", "Weekly Food Pantry", PANTRY, PostStatus.active),
            ("instagram", "Pantry day!", PANTRY, PostStatus.active),
        ],
    )
    with FakeOpenAIServer() as server:
        server.enqueue(Reply.json({"duplicate_sets": [[str(uuid.uuid4()), str(uuid.uuid4())]]}))
        _with_llm(server, monkeypatch)
        try:
            result = run(org_id)
        finally:
            _without_llm(monkeypatch)
    assert result["status"] == "partial" and "not shown" in result["error"]
    assert result["proposals_staged"] == 0


def test_a_post_changed_while_the_clean_up_ran_makes_its_merge_stale(app_runtime: str) -> None:
    """Clean-up reads the posts, then spends minutes on model calls; a change approved in
    between must not be overwritten by a merge computed from the old content."""
    org_id = make_org(
        "Changed meanwhile",
        [
            ("website", "Weekly Food Pantry", PANTRY, PostStatus.active),
            ("instagram", "Food pantry", PANTRY, PostStatus.active),
        ],
    )
    posts = flows.load_cleanup_posts(org_id)["posts"]
    with db.session_scope() as session:  # an update approved meanwhile
        changed = session.get_one(Post, uuid.UUID(posts[0]["id"]))
        changed.description = "Moved to Wednesdays."
        changed.version += 1
    staged = flows.stage_cleanup_merges(org_id, posts, [[p["id"] for p in posts]])
    with db.session_scope() as session:
        [merge] = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.batch_id == uuid.UUID(staged["batch_id"])
            )
        ).all()
        merge_id = merge.id
    with db.session_scope() as session, pytest.raises(review.ProposalStale, match="changed"):
        review.approve_proposal(session, proposal_id=merge_id, reviewer="ana")
    with db.session_scope() as session:
        assert session.get_one(Post, changed.id).description == "Moved to Wednesdays."


def _pending_merges(org_id: str) -> list[ProposedOperation]:
    with db.session_scope() as session:
        return list(
            session.scalars(
                sa.select(ProposedOperation)
                .join(SyncBatch, SyncBatch.id == ProposedOperation.batch_id)
                .where(SyncBatch.entity_id == uuid.UUID(org_id))
                .where(ProposedOperation.status == "pending")
            )
        )


def test_a_second_clean_up_does_not_stage_the_same_merge_again(app_runtime: str) -> None:
    """Run twice, one pending merge: approving it cannot meet a stale twin."""
    org_id = make_org(
        "Cleaned twice",
        [
            ("website", "Weekly Food Pantry", PANTRY, PostStatus.active),
            ("instagram", "Pantry day!", PANTRY, PostStatus.active),
        ],
    )
    first, second = run(org_id), run(org_id)
    assert (first["proposals_staged"], second["proposals_staged"]) == (1, 0)
    assert second["already_pending"] == 1 and second["batch_id"] == first["batch_id"]
    [merge] = _pending_merges(org_id)
    with db.session_scope() as session:
        review.approve_proposal(session, proposal_id=merge.id, reviewer="ana")


def test_a_re_executed_staging_step_stages_nothing_twice(app_runtime: str) -> None:
    org_id = make_org(
        "Step replayed",
        [
            ("website", "Weekly Food Pantry", PANTRY, PostStatus.active),
            ("instagram", "Food pantry", PANTRY, PostStatus.active),
        ],
    )
    posts = flows.load_cleanup_posts(org_id)["posts"]
    group = [[p["id"] for p in posts]]
    once = flows.stage_cleanup_merges(org_id, posts, group)
    again = flows.stage_cleanup_merges(org_id, posts, group)
    assert again == {"batch_id": once["batch_id"], "proposals": 0, "already_pending": 1}
    assert len(_pending_merges(org_id)) == 1
