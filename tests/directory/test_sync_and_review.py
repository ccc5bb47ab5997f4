"""Sync stages proposals without touching live posts; review applies or undoes each one in
one transaction and refuses stale, deleted or already reviewed targets."""

from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from sift import db
from sift.ai.embeddings import Embedder
from sift.directory.models import (
    BatchKind,
    BatchStatus,
    OperationKind,
    Organization,
    Post,
    PostSource,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    SourceStatus,
    SyncBatch,
)
from sift.directory.proposals import review, sync
from sift.directory.registry import service
from tests.support.locks import wait_until_a_session_waits_on_a_lock


@pytest.fixture
def org(database: str) -> tuple[uuid.UUID, str, str]:
    with db.session_scope() as session:
        session.execute(sa.text("TRUNCATE organizations, sync_batches CASCADE"))
        organization = service.create_organization(session, name="Harbor Light")
        web = service.add_source(
            session, organization=organization, source_type="website", value="harbor.org"
        )
        insta = service.add_source(
            session, organization=organization, source_type="instagram", value="harborcc"
        )
        for s in (web, insta):
            service.set_source_status(session, source=s, status=SourceStatus.approved)
        return organization.id, str(web.id), str(insta.id)


def pantry(
    source_id: str, *, schedule: str = "Tue 10-14", url: str = "https://harbor.org/pantry"
) -> sync.FreshPost:
    return sync.FreshPost(
        title="Weekly Food Pantry",
        summary="Free groceries twice a week.",
        description=f"Free groceries for anyone. Open {schedule} at 412 Harbor Street.",
        contact={"phone": "(555) 201-3344"},
        location="412 Harbor Street",
        schedule=[{"days": ["Tuesday"], "start": "10:00", "end": "14:00", "note": None}],
        audience=None,
        links=[(source_id, url)],
    )


def stage(org_id: uuid.UUID, fresh: list[sync.FreshPost], embedder: Embedder) -> sync.SyncResult:
    with db.session_scope() as session:
        return sync.stage_extraction(
            session, organization_id=org_id, fresh=fresh, embedder=embedder
        )


def proposals(batch_id: str | None) -> list[ProposedOperation]:
    with db.session_scope() as session:
        return list(
            session.scalars(
                sa.select(ProposedOperation).where(
                    ProposedOperation.batch_id == uuid.UUID(str(batch_id))
                )
            )
        )


def decide(proposal_id: uuid.UUID, *, approve: bool = True) -> None:
    review.decide(proposal_id, approve=approve, reviewer="admin@test")


def live_posts(org_id: uuid.UUID) -> list[Post]:
    with db.session_scope() as session:
        return list(
            session.scalars(
                sa.select(Post).where(Post.organization_id == org_id, Post.deleted_at.is_(None))
            )
        )


def test_insert_is_a_draft_until_approved(org, embedder) -> None:
    org_id, web, _ = org
    result = stage(org_id, [pantry(web)], embedder)
    assert (result.inserts, result.proposals) == (1, 1)
    [post] = live_posts(org_id)
    assert post.status is PostStatus.pending_approval
    [proposal] = proposals(result.batch_id)
    decide(proposal.id)
    [post] = live_posts(org_id)
    assert post.status is PostStatus.active and post.published_at is not None
    with db.session_scope() as session:
        batch = session.get(SyncBatch, uuid.UUID(result.batch_id))
        assert batch.status is BatchStatus.completed
        reviewed = session.get(ProposedOperation, proposal.id)
        assert reviewed.reviewed_by == "admin@test" and reviewed.reviewed_at is not None


def test_unchanged_content_stages_no_batch_and_changed_content_an_update(org, embedder) -> None:
    org_id, web, _ = org
    [insert] = proposals(stage(org_id, [pantry(web)], embedder).batch_id)
    decide(insert.id)
    again = stage(org_id, [pantry(web)], embedder)
    assert again.batch_id is None and again.unchanged == 1

    changed = stage(org_id, [pantry(web, schedule="Tue and Thu 10-14")], embedder)
    assert (changed.updates, changed.proposals) == (1, 1)
    [live] = live_posts(org_id)
    assert "Thu" not in live.description, "an update is a revision until approved"
    [update] = proposals(changed.batch_id)
    decide(update.id)
    [live] = live_posts(org_id)
    assert "Tue and Thu" in live.description and live.version == 3


def test_rejecting_an_update_leaves_the_post_and_a_stale_update_is_refused(org, embedder) -> None:
    org_id, web, _ = org
    [insert] = proposals(stage(org_id, [pantry(web)], embedder).batch_id)
    decide(insert.id)
    first = stage(org_id, [pantry(web, schedule="Tue and Thu 10-14")], embedder)
    [update] = proposals(first.batch_id)
    decide(update.id, approve=False)
    [live] = live_posts(org_id)
    assert "Thu" not in live.description

    second = stage(org_id, [pantry(web, schedule="Fridays")], embedder)
    [stale] = proposals(second.batch_id)
    with db.session_scope() as session:  # someone edits the post after staging
        session.get(Post, live.id).version += 1
        session.get_one(Organization, org_id).extraction_fingerprint = "pool as extracted"
    with pytest.raises(review.ProposalStale, match="changed after this proposal was staged"):
        decide(stale.id)
    [after] = live_posts(org_id)
    assert "Fridays" not in after.description
    with db.session_scope() as session:
        assert session.get(ProposedOperation, stale.id).status is ProposalStatus.pending
        # "run the extraction again" must then run in full, not end as "unchanged"
        assert session.get_one(Organization, org_id).extraction_fingerprint is None


def test_double_review_is_refused(org, embedder) -> None:
    org_id, web, _ = org
    [insert] = proposals(stage(org_id, [pantry(web)], embedder).batch_id)
    decide(insert.id)
    with pytest.raises(review.ProposalAlreadyReviewed, match="already approved by admin@test"):
        decide(insert.id, approve=False)


def test_vanished_post_gets_a_delete_proposal_that_soft_deletes(org, embedder) -> None:
    org_id, web, _ = org
    [insert] = proposals(stage(org_id, [pantry(web)], embedder).batch_id)
    decide(insert.id)
    gone = stage(org_id, [], embedder)
    [delete] = proposals(gone.batch_id)
    assert delete.operation is OperationKind.delete
    assert len(live_posts(org_id)) == 1
    decide(delete.id)
    assert live_posts(org_id) == []
    with db.session_scope() as session:
        post = session.get(Post, insert.draft_post_id)
        assert post.deleted_at is not None and "No longer found" in post.deleted_reason


def test_a_post_typed_in_by_hand_is_not_proposed_for_deletion(org, embedder) -> None:
    """It was never on the organization's sources, so not finding it there proves nothing."""
    org_id, web, _ = org
    with db.session_scope() as session:
        session.add(
            Post(
                organization_id=org_id,
                status=PostStatus.active,
                title="Winter coat closet",
                description="Warm coats for anyone who needs one, Fridays at the back door.",
            )
        )
    staged = proposals(stage(org_id, [pantry(web)], embedder).batch_id)
    assert [p.operation for p in staged] == [OperationKind.insert]
    assert {p.title for p in live_posts(org_id)} >= {"Winter coat closet"}


def test_existing_duplicates_are_merged_into_the_website_post(org, embedder) -> None:
    org_id, web, insta = org
    with db.session_scope() as session:
        for source_id, url, title in (
            (insta, "https://www.instagram.com/p/1", "Pantry day"),
            (web, "https://harbor.org/pantry", "Weekly Food Pantry"),
        ):
            post = Post(
                organization_id=org_id,
                title=title,
                description="Free groceries, Tuesdays 10am-2pm at 412 Harbor Street. "
                "Call (555) 201-3344.",
                status=PostStatus.active,
                contact={"phone": "(555) 201-3344"},
            )
            session.add(post)
            session.flush()
            sync.link_sources(session, post=post, links=[(source_id, url)])
    fresh = pantry(web)
    fresh.links.append((insta, "https://www.instagram.com/p/1"))
    result = stage(org_id, [fresh], embedder)
    assert (result.merges, result.proposals) == (1, 1)
    [merge] = proposals(result.batch_id)
    decide(merge.id)
    [canonical] = live_posts(org_id)
    assert canonical.title == "Weekly Food Pantry"
    with db.session_scope() as session:
        links = session.scalars(
            sa.select(PostSource).where(PostSource.post_id == canonical.id)
        ).all()
        assert {link.page_url for link in links} == {
            "https://harbor.org/pantry",
            "https://www.instagram.com/p/1",
        }
        duplicate = session.scalars(sa.select(Post).where(Post.duplicate_of == canonical.id)).one()
        assert duplicate.deleted_at is not None and "same service" in duplicate.deleted_reason


def test_a_new_extraction_supersedes_only_the_older_extraction_batch(org, embedder) -> None:
    org_id, web, _ = org
    first = stage(org_id, [pantry(web)], embedder)
    with db.session_scope() as session:
        cleanup = sync.new_batch(
            session, organization_id=org_id, kind=BatchKind.cleanup, workflow_id=None
        )
        cleanup_id = cleanup.id
    second = stage(org_id, [pantry(web)], embedder)
    with db.session_scope() as session:
        assert session.get(SyncBatch, uuid.UUID(first.batch_id)).status is BatchStatus.superseded
        assert session.get(SyncBatch, cleanup_id).status is BatchStatus.pending
    assert second.inserts == 1
    assert len(live_posts(org_id)) == 1, "the superseded draft is soft-deleted"


def test_a_new_extraction_waits_for_an_approval_in_progress_and_keeps_it(org, embedder) -> None:
    """The 15-minute tick may extract while an admin approves the previous batch: the
    approved draft must stay published, not be superseded behind the reviewer's back."""
    org_id, web, _ = org
    first = stage(org_id, [pantry(web)], embedder)
    [insert] = proposals(first.batch_id)
    outcome: list[sync.SyncResult | BaseException] = []

    def extract_again() -> None:
        try:
            outcome.append(stage(org_id, [pantry(web, schedule="Wed 10-14")], embedder))
        except BaseException as error:  # surfaced below
            outcome.append(error)

    extraction = threading.Thread(target=extract_again)
    with db.session_scope() as session:
        review.approve_proposal(session, proposal_id=insert.id, reviewer="ana")
        extraction.start()
        wait_until_a_session_waits_on_a_lock()
    extraction.join()
    [result] = outcome
    assert isinstance(result, sync.SyncResult)
    with db.session_scope() as session:
        assert session.get_one(ProposedOperation, insert.id).status is ProposalStatus.approved
    [post] = live_posts(org_id)
    assert post.id == insert.draft_post_id and post.status is PostStatus.active


SOCCER_FIELDS = {
    "title": "Youth Soccer League",
    "summary": "Saturday soccer for kids 6-12.",
    "description": "Free youth soccer on Saturdays at Harbor Park.",
    "contact": {},
    "location": "Harbor Park",
    "schedule": [],
    "audience": "Kids 6-12",
}


def two_drafts_and_a_merge(
    org_id: uuid.UUID, web: str, embedder: Embedder
) -> tuple[dict[uuid.UUID, ProposedOperation], uuid.UUID, uuid.UUID, uuid.UUID]:
    """Two drafts of one extraction and a clean-up merge of the second into the first:
    (their insert proposals by draft, the kept draft, the merged one, the merge)."""
    soccer = sync.FreshPost(**SOCCER_FIELDS, links=[(web, "https://harbor.org/soccer")])
    staged = stage(org_id, [pantry(web), soccer], embedder)
    inserts = {p.draft_post_id: p for p in proposals(staged.batch_id)}
    kept, merged = sorted(inserts, key=str)
    with db.session_scope() as session:
        batch = sync.new_batch(
            session, organization_id=org_id, kind=BatchKind.cleanup, workflow_id=None
        )
        merge = sync.add_merge(
            session,
            batch=batch,
            canonical=session.get_one(Post, kept),
            duplicates=[session.get_one(Post, merged)],
            content={"summary": "Both, merged."},
            links=[],
            reason="same service",
        )
        session.flush()
        return inserts, kept, merged, merge.id


def test_a_merge_staged_with_a_draft_is_withdrawn_once_that_draft_is_rejected(
    org, embedder
) -> None:
    """Nothing is left to merge, so the merge leaves the queue at once, saying why."""
    org_id, web, _ = org
    inserts, kept, rejected, merge_id = two_drafts_and_a_merge(org_id, web, embedder)
    decide(inserts[rejected].id, approve=False)
    with db.session_scope() as session:
        merge = session.get_one(ProposedOperation, merge_id)
        assert merge.status is ProposalStatus.superseded
        assert "nothing is left to merge" in merge.history[-1]["text"]
        assert f"insert {str(inserts[rejected].id)[:8]} was rejected" in merge.failure_reason
    with pytest.raises(review.ProposalAlreadyReviewed, match="withdrawn: nothing is left"):
        decide(merge_id)
    with db.session_scope() as session:
        assert session.get_one(Post, rejected).status is PostStatus.rejected
        assert session.get_one(Post, kept).summary != "Both, merged."


def test_a_draft_merged_into_before_its_approval_can_still_be_published(org, embedder) -> None:
    org_id, web, _ = org
    inserts, kept, merged, merge_id = two_drafts_and_a_merge(org_id, web, embedder)
    decide(merge_id)
    decide(inserts[kept].id)
    with db.session_scope() as session:
        post = session.get_one(Post, kept)
        assert post.status is PostStatus.active and post.summary == "Both, merged."
        assert session.get_one(Post, merged).deleted_at is not None


def test_batch_review_re_bases_a_proposal_changed_outside_review_and_applies_the_rest(
    org, embedder
) -> None:
    """A draft changed behind review's back is not applied unseen, nor left stuck: it is
    re-based onto the draft as it is and waits for another look."""
    org_id, web, _ = org
    other = sync.FreshPost(
        title="Youth Soccer League",
        description="Saturdays 9-11am, ages 6-12.",
        audience="youth",
        links=[(web, "https://harbor.org/soccer")],
    )
    result = stage(org_id, [pantry(web), other], embedder)
    ops = proposals(result.batch_id)
    with db.session_scope() as session:
        session.get(Post, ops[0].draft_post_id).version += 1
    counts = review.review_batch(result.batch_id, approve=True, reviewer="admin@test")
    assert counts == {"approved": 1, "failed": 0, "re-based": 1}
    with db.session_scope() as session:
        batch = session.get(SyncBatch, uuid.UUID(result.batch_id))
        assert batch.status is BatchStatus.partially_reviewed
        rebased = session.get(ProposedOperation, ops[0].id)
        assert rebased.status is ProposalStatus.pending and rebased.expected_version == 2
        assert rebased.history[-1]["text"].startswith("Re-based when its approval was refused")
    decide(ops[0].id)
