"""Recovery of deletions and approvals: a restore or a revert is staged as a proposal and
changes nothing until approved; a revert is refused once a post it would undo has changed
since the approval, and every step stays on record."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.auth import Role, issue_token
from sift.config import get_settings
from sift.directory.models import (
    BatchKind,
    OperationKind,
    Post,
    PostRevision,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    SourceStatus,
    SyncBatch,
)
from sift.directory.proposals import recovery, review, sync
from sift.directory.registry import service

STALE = "post 'Weekly Food Pantry' changed after this approval; revert by hand"


@pytest.fixture
def org(database: str) -> tuple[uuid.UUID, str]:
    with db.session_scope() as session:
        session.execute(sa.text("TRUNCATE organizations, sync_batches CASCADE"))
        organization = service.create_organization(session, name="Harbor Light")
        web = service.add_source(
            session, organization=organization, source_type="website", value="harbor.org"
        )
        service.set_source_status(session, source=web, status=SourceStatus.approved)
        return organization.id, str(web.id)


def pantry(source_id: str, *, when: str = "Tuesdays") -> sync.FreshPost:
    return sync.FreshPost(
        title="Weekly Food Pantry",
        description=f"Free groceries for anyone, {when} at 412 Harbor Street.",
        links=[(source_id, "https://harbor.org/pantry")],
    )


def staged(org_id: uuid.UUID, fresh: list[sync.FreshPost]) -> ProposedOperation:
    """Stage an extraction (identity keys only) and return its one proposal."""
    with db.session_scope() as session:
        result = sync.stage_extraction(session, organization_id=org_id, fresh=fresh, embedder=None)
        return session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.batch_id == uuid.UUID(str(result.batch_id))
            )
        ).one()


def approved(org_id: uuid.UUID, fresh: list[sync.FreshPost]) -> ProposedOperation:
    proposal = staged(org_id, fresh)
    review.decide(proposal.id, approve=True, reviewer="admin@test")
    return proposal


def published(org: tuple[uuid.UUID, str]) -> tuple[ProposedOperation, uuid.UUID]:
    """The pantry, inserted and approved: its insert proposal and the post's id."""
    insert = approved(org[0], [pantry(org[1])])
    assert insert.draft_post_id is not None
    return insert, insert.draft_post_id


def revert(proposal_id: uuid.UUID) -> ProposedOperation:
    with db.session_scope() as session:
        return recovery.request_revert(session, proposal_id=proposal_id, requested_by="ana@test")


def restore(post_id: uuid.UUID) -> ProposedOperation:
    with db.session_scope() as session:
        return recovery.request_restore(session, post_id=post_id, requested_by="ana@test")


def approve(proposal: ProposedOperation) -> None:
    review.decide(proposal.id, approve=True, reviewer="bo@test")


def post(post_id: uuid.UUID) -> Post:
    with db.session_scope() as session:
        return session.get_one(Post, post_id)


def test_a_deleted_post_comes_back_only_when_its_restore_is_approved(org) -> None:
    _, post_id = published(org)
    approved(org[0], [])  # no longer on the website: delete approved
    deleted_at = post(post_id).deleted_at
    assert deleted_at is not None

    request = restore(post_id)
    assert post(post_id).deleted_at == deleted_at, "a request alone changes nothing"
    with pytest.raises(recovery.RecoveryRefused, match="restore of this post is waiting"):
        restore(post_id)
    with db.session_scope() as session:
        batch = session.get_one(SyncBatch, request.batch_id)
        assert (batch.kind, batch.summary) == (BatchKind.recovery, "1 restore")
        assert request.requested_by == "ana@test" and "No longer found" in (request.reason or "")

    approve(request)
    back = post(post_id)
    assert back.deleted_at is None and back.deleted_reason is None
    assert back.status is PostStatus.active
    with pytest.raises(recovery.RecoveryRefused, match="is not deleted"):
        restore(post_id)


def test_reverting_an_insert_deletes_the_post_again(org) -> None:
    insert, post_id = published(org)
    approve(revert(insert.id))
    assert post(post_id).deleted_at is not None
    with db.session_scope() as session:
        assert session.get_one(ProposedOperation, insert.id).status is ProposalStatus.approved


def test_reverting_an_update_puts_the_earlier_content_back_and_keeps_every_revision(org) -> None:
    _, post_id = published(org)
    update = approved(org[0], [pantry(org[1], when="Tuesdays and Thursdays")])
    assert "Thursdays" in post(post_id).description

    approve(revert(update.id))
    assert post(post_id).description == "Free groceries for anyone, Tuesdays at 412 Harbor Street."
    with db.session_scope() as session:
        revisions = session.scalars(
            sa.select(PostRevision).where(PostRevision.post_id == post_id)
        ).all()
        assert len(revisions) == 2, "the update's revision and the revert's, both kept"


def test_reverting_a_delete_restores_the_post(org) -> None:
    _, post_id = published(org)
    delete = approved(org[0], [])
    approve(revert(delete.id))
    assert post(post_id).deleted_at is None


def test_reverting_a_merge_restores_the_duplicate_and_the_targets_content(org) -> None:
    org_id, web = org
    with db.session_scope() as session:
        kept, folded = (
            Post(organization_id=org_id, title=t, description=t, status=PostStatus.active)
            for t in ("Weekly Food Pantry", "Pantry day")
        )
        session.add_all([kept, folded])
        session.flush()
        merge = sync.add_merge(
            session,
            batch=sync.new_batch(
                session, organization_id=org_id, kind=BatchKind.cleanup, workflow_id=None
            ),
            canonical=kept,
            duplicates=[folded],
            content={**pantry(web).content(), "description": "Merged text"},
            links=[],
            reason="The same pantry.",
        )
        session.flush()
        kept_id, folded_id = kept.id, folded.id
    approve(merge)
    assert post(folded_id).deleted_at is not None

    request = revert(merge.id)
    with db.session_scope() as session:
        view = recovery_view(session, request.id)
        assert view.headline == "revert: merge 'Pantry day' into 'Weekly Food Pantry'"
    approve(request)
    assert post(kept_id).description == "Weekly Food Pantry"
    assert post(folded_id).deleted_at is None and post(folded_id).duplicate_of is None


def recovery_view(session, proposal_id: uuid.UUID):
    from sift.directory.proposals import batches

    return batches.proposal_view(session, session.get_one(ProposedOperation, proposal_id))


def test_a_revert_is_refused_once_the_post_changed_after_the_approval(org) -> None:
    insert, post_id = published(org)
    approved(org[0], [pantry(org[1], when="Fridays")])  # an update approved after
    with pytest.raises(review.ProposalStale, match=STALE):
        revert(insert.id)

    update = approved(org[0], [pantry(org[1], when="Mondays")])
    request = revert(update.id)
    with db.session_scope() as session:  # someone edits the post while the revert waits
        session.get_one(Post, post_id).version += 1
    with pytest.raises(review.ProposalStale, match=STALE):
        approve(request)
    assert "Mondays" in post(post_id).description, "a refused revert changes nothing"


def test_only_an_approved_proposal_is_reverted_and_only_once(org) -> None:
    pending = staged(org[0], [pantry(org[1])])
    with pytest.raises(review.NotRevertible, match="is pending"):
        revert(pending.id)
    approve(pending)
    request = revert(pending.id)
    with pytest.raises(recovery.RecoveryRefused, match="waiting for review"):
        revert(pending.id)
    approve(request)
    with pytest.raises(recovery.RecoveryRefused, match="already reverted"):
        revert(pending.id)
    with pytest.raises(review.NotRevertible, match="itself a revert"):
        revert(request.id)


# --- the entry points -----------------------------------------------------------------------


def test_graphql_stages_a_restore_and_a_revert(org, client: TestClient) -> None:
    insert, post_id = published(org)
    delete = approved(org[0], [])
    token = issue_token(get_settings(), role=Role.admin, subject="gql@test")

    def call(mutation: str, target: uuid.UUID) -> dict:
        query = (
            f'mutation {{ {mutation}(id: "{target}", reason: "asked by the org") '
            "{ operation status headline requestedBy revertsId } }"
        )
        answer = client.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
        ).json()
        if answer.get("errors"):
            return {"error": answer["errors"][0]["message"]}
        return answer["data"][mutation]

    staged_restore = call("restorePost", post_id)
    assert staged_restore == {
        "operation": "restore",
        "status": "pending",
        "headline": "restore Weekly Food Pantry",
        "requestedBy": "gql@test",
        "revertsId": None,
    }
    staged_revert = call("revertProposal", delete.id)
    assert staged_revert["headline"] == "revert: remove Weekly Food Pantry"
    assert staged_revert["revertsId"] == str(delete.id)
    assert call("revertProposal", insert.id) == {"error": STALE}


def sift(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sift.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SIFT_DATABASE_URL": url, "COLUMNS": "250"},
    )


def test_cli_restores_a_post_and_reverts_an_approval(org, database: str) -> None:
    _, post_id = published(org)
    delete = approved(org[0], [])
    listed = sift(database, "post", "list", "Harbor Light", "--status", "deleted")
    assert str(post_id) in listed.stdout, listed.stderr

    restored = sift(database, "post", "restore", str(post_id)[:8], "--reason", "still open")
    assert restored.returncode == 0, restored.stderr
    assert "restore staged for review as proposal" in restored.stdout
    restore_id = restored.stdout.split("proposal ")[1].split()[0]
    assert sift(database, "review", "approve", restore_id).returncode == 0
    assert post(post_id).deleted_at is None

    refused = sift(database, "review", "revert", str(delete.id))
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"error: {STALE}"
    assert sift(database, "post", "restore", "not-an-id").stderr.strip() == (
        "error: no post 'not-an-id'"
    )


def test_ui_buttons_stage_a_revert_and_a_restore(org, client: TestClient) -> None:
    settings = get_settings()
    password = settings.admin_password.get_secret_value()
    client.post("/login", data={"email": settings.admin_email, "password": password})
    insert, post_id = published(org)
    page = client.get("/proposals?show=all")
    assert f'hx-post="/proposals/{insert.id}/revert?show=all"' in page.text

    answer = client.post(f"/proposals/{insert.id}/revert?show=all", headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "Revert staged for review" in answer.text
    assert "Reverted by proposal" in answer.text
    with db.session_scope() as session:
        [request] = session.scalars(
            sa.select(ProposedOperation).where(ProposedOperation.reverts_id == insert.id)
        ).all()
        assert request.requested_by == settings.admin_email
        assert request.operation is OperationKind.revert
    approve(request)

    deleted = client.get(f"/orgs/{org[0]}/posts?status=deleted")
    assert f'hx-post="/orgs/{org[0]}/posts/{post_id}/restore"' in deleted.text
    staged_restore = client.post(f"/orgs/{org[0]}/posts/{post_id}/restore")
    assert staged_restore.status_code == 200 and "Restore staged for review" in staged_restore.text
    again = client.post(f"/orgs/{org[0]}/posts/{post_id}/restore")
    assert 'role="alert"' in again.text and "waiting for review" in again.text
