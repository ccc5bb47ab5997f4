"""Recovery: an admin asks to restore a soft-deleted post or to revert an approved proposal.

Either request is staged as a proposal in the organization's open *recovery* batch and
changes nothing until it is approved (`review.approve_proposal` applies it), so a restore
or a revert is reviewed like every other change to what users see. History is kept: the
reverted proposal stays approved, the revert points at it (`reverts_id`), and a revert of
an update or merge is a new revision holding the content the approval replaced.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.directory.models import (
    BatchKind,
    BatchStatus,
    OperationKind,
    Post,
    PostRevision,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    SyncBatch,
)
from sift.directory.proposals import review
from sift.directory.proposals.sync import new_batch, new_revision, post_content
from sift.directory.registry import service
from sift.errors import SiftError

MAX_REASON = 500


class RecoveryRefused(SiftError):
    """A restore or revert that cannot be staged; the message says why."""


def _reason(given: str | None, default: str) -> str:
    text = " ".join((given or "").split())
    if len(text) > MAX_REASON:
        raise RecoveryRefused(f"a reason is at most {MAX_REASON} characters")
    return text or default


def request_restore(
    session: Session, *, post_id: str | uuid.UUID, requested_by: str, reason: str | None = None
) -> ProposedOperation:
    """Stage bringing a soft-deleted post back."""
    post = service.get_post_or_raise(session, ref=post_id)
    if post.deleted_at is None:
        raise RecoveryRefused(f"post {post.title!r} is not deleted")
    _refuse_if_waiting(session, OperationKind.restore, ProposedOperation.target_post_id == post.id)
    return _stage(
        session,
        organization_id=post.organization_id,
        proposal=ProposedOperation(
            operation=OperationKind.restore,
            target_post_id=post.id,
            expected_version=post.version,
            reason=_reason(reason, f"Restore a post deleted as: {post.deleted_reason}"),
            requested_by=requested_by,
        ),
    )


def request_revert(
    session: Session,
    *,
    proposal_id: str | uuid.UUID,
    requested_by: str,
    reason: str | None = None,
) -> ProposedOperation:
    """Stage undoing an approved proposal, refused when any post it changed has changed
    since (a revert would silently throw that later change away)."""
    approved = review.get_proposal_or_raise(session, proposal_id=proposal_id)
    _refuse_if_reverted(session, approved)
    target, *_ = review.approval_left(session, approved)
    revision_id = None
    if approved.operation in (OperationKind.update, OperationKind.merge):
        revision_id = _revision_putting_back(session, approved, target_version=target.version)
    return _stage(
        session,
        organization_id=target.organization_id,
        proposal=ProposedOperation(
            operation=OperationKind.revert,
            reverts_id=approved.id,
            target_post_id=target.id,
            revision_id=revision_id,
            expected_version=target.version,
            reason=_reason(reason, f"Revert proposal {approved.id} ({approved.operation.value})"),
            requested_by=requested_by,
        ),
    )


def _refuse_if_reverted(session: Session, approved: ProposedOperation) -> None:
    earlier = session.scalars(
        sa.select(ProposedOperation).where(
            ProposedOperation.reverts_id == approved.id,
            ProposedOperation.status.in_([ProposalStatus.pending, ProposalStatus.approved]),
        )
    ).first()
    if earlier is None:
        return
    if earlier.status is ProposalStatus.approved:
        raise RecoveryRefused(f"proposal {approved.id} was already reverted by {earlier.id}")
    raise RecoveryRefused(f"a revert of proposal {approved.id} is waiting for review: {earlier.id}")


def _refuse_if_waiting(
    session: Session, operation: OperationKind, which: sa.ColumnElement[bool]
) -> None:
    waiting = session.scalar(
        sa.select(ProposedOperation.id).where(
            ProposedOperation.operation == operation,
            ProposedOperation.status == ProposalStatus.pending,
            which,
        )
    )
    if waiting is not None:
        raise RecoveryRefused(f"a {operation.value} of this post is waiting for review: {waiting}")


def _revision_putting_back(
    session: Session, approved: ProposedOperation, *, target_version: int
) -> uuid.UUID:
    applied = session.get(PostRevision, approved.revision_id) if approved.revision_id else None
    if applied is None or applied.replaced_content is None:
        raise review.NotRevertible(
            f"the content before proposal {approved.id} was not kept (it was approved before "
            "Sift recorded it); revert by hand"
        )
    revision = PostRevision(
        post_id=applied.post_id, content=dict(applied.replaced_content), base_version=target_version
    )
    session.add(revision)
    session.flush()
    return revision.id


def _stage(
    session: Session, *, organization_id: uuid.UUID, proposal: ProposedOperation
) -> ProposedOperation:
    batch = _open_recovery_batch(session, organization_id=organization_id)
    proposal.batch_id = batch.id
    session.add(proposal)
    session.flush()
    kinds = Counter(
        session.scalars(
            sa.select(ProposedOperation.operation).where(ProposedOperation.batch_id == batch.id)
        )
    )
    batch.summary = ", ".join(f"{n} {kind.value}" for kind, n in sorted(kinds.items()))
    session.flush()
    return proposal


def _open_recovery_batch(session: Session, *, organization_id: uuid.UUID) -> SyncBatch:
    """Requests gather in the organization's recovery batch still under review, so an admin
    reviews a morning's restores together; a new batch once that one is decided."""
    batch = session.scalars(
        sa.select(SyncBatch)
        .where(
            SyncBatch.entity_type == "organization",
            SyncBatch.entity_id == organization_id,
            SyncBatch.kind == BatchKind.recovery,
            SyncBatch.status.in_([BatchStatus.pending, BatchStatus.partially_reviewed]),
        )
        .order_by(SyncBatch.created_at.desc())
    ).first()
    return batch or new_batch(
        session, organization_id=organization_id, kind=BatchKind.recovery, workflow_id=None
    )


def request_edit(
    session: Session, *, post: Post, changes: dict[str, Any], requested_by: str
) -> ProposedOperation:
    """Stage an admin's edit of an active post as an update proposal in the organization's
    recovery batch (beside restores and reverts): the live post changes only when the
    proposal is approved, exactly as an extraction's update would."""
    if post.deleted_at is not None or post.status is not PostStatus.active:
        raise service.InvalidInput(
            f"only active posts can be edited; {post.title!r} is "
            + ("deleted" if post.deleted_at else post.status.value.replace("_", " "))
        )
    content = {**post_content(post), **changes}
    if content == post_content(post):
        raise service.InvalidInput("nothing changed: edit a field, then stage the edit")
    revision = new_revision(session, post, content, [], post.version)
    return _stage(
        session,
        organization_id=post.organization_id,
        proposal=ProposedOperation(
            operation=OperationKind.update,
            target_post_id=post.id,
            revision_id=revision.id,
            expected_version=post.version,
            reason=f"Edited by {requested_by}.",
            requested_by=requested_by,
        ),
    )
