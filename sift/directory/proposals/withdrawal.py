"""The bookkeeping every change to a pending proposal shares: a line in its history, its
withdrawal, and its batch's status. It sits below staging (`sync`) and review, which both
withdraw proposals (a newer extraction or merge replaces one; an approval makes one moot),
so each withdrawal reads the same in the queue and in a post's history.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.db import utcnow
from sift.directory.models import (
    BatchStatus,
    Post,
    PostRevision,
    PostStatus,
    ProposalMergeSource,
    ProposalStatus,
    ProposedOperation,
    RevisionStatus,
    SyncBatch,
)

WITHDRAWN_BY = "sift"
"""The reviewer recorded on a proposal Sift withdrew itself, so no person is blamed."""


def note(proposal: ProposedOperation, text: str) -> None:
    """Append one dated line to the proposal's history (shown under it in the queue)."""
    line = {"at": utcnow().isoformat(timespec="seconds"), "text": text}
    proposal.history = [*(proposal.history or []), line]


def withdraw(session: Session, proposal: ProposedOperation, text: str) -> None:
    """Retire a pending proposal that can no longer be applied as staged: superseded (never
    failed: nothing went wrong), its revision discarded, and a draft nobody will publish any
    more soft-deleted, so no pending post is left without a proposal to decide it."""
    proposal.status = ProposalStatus.superseded
    proposal.failure_reason = text
    proposal.reviewed_by = WITHDRAWN_BY
    proposal.reviewed_at = utcnow()
    note(proposal, f"Withdrawn: {text}")
    if proposal.revision_id:
        revision = session.get(PostRevision, proposal.revision_id)
        if revision is not None and revision.status is RevisionStatus.pending:
            revision.status = RevisionStatus.discarded
    if proposal.draft_post_id:
        draft = session.get(Post, proposal.draft_post_id)
        if (
            draft is not None
            and draft.status is PostStatus.pending_approval
            and draft.deleted_at is None
        ):
            draft.deleted_at = utcnow()
            draft.deleted_reason = text
            draft.version += 1
    refresh_batch_status(session, proposal.batch)


def pending_touching(
    session: Session, post_ids: Collection[uuid.UUID], *, lock: bool = True
) -> list[ProposedOperation]:
    """Pending proposals of live batches that touch any of `post_ids` (as target, draft or
    merged duplicate), oldest first. Locked, skipping rows a reviewer holds right now: that
    review meets the changed post itself and settles its own proposal."""
    if not post_ids:
        return []
    ids = list(post_ids)
    merged = sa.select(ProposalMergeSource.proposal_id).where(ProposalMergeSource.post_id.in_(ids))
    query = (
        sa.select(ProposedOperation)
        .join(SyncBatch, SyncBatch.id == ProposedOperation.batch_id)
        .where(
            ProposedOperation.status == ProposalStatus.pending,
            SyncBatch.status != BatchStatus.superseded,
            sa.or_(
                ProposedOperation.target_post_id.in_(ids),
                ProposedOperation.draft_post_id.in_(ids),
                ProposedOperation.id.in_(merged),
            ),
        )
        .order_by(ProposedOperation.created_at, ProposedOperation.id)
    )
    if lock:
        query = query.with_for_update(of=ProposedOperation, skip_locked=True)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def refresh_batch_status(session: Session, batch: SyncBatch) -> None:
    """Completed once nothing in it is pending, partially reviewed once something was."""
    session.flush()
    statuses = session.scalars(
        sa.select(ProposedOperation.status).where(ProposedOperation.batch_id == batch.id)
    ).all()
    if batch.status is BatchStatus.superseded:
        return
    open_count = sum(1 for s in statuses if s is ProposalStatus.pending)
    if open_count == 0:
        batch.status = BatchStatus.completed
        batch.completed_at = utcnow()
    elif open_count < len(statuses):
        batch.status = BatchStatus.partially_reviewed
