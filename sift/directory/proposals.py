"""Read models of sync batches and proposals, shared by the CLI, GraphQL and the web UI:
each proposal with a one-line headline ("merge X into Y") and its before/after content."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.directory.models import (
    BatchStatus,
    OperationKind,
    Post,
    PostRevision,
    ProposalStatus,
    ProposedOperation,
    SyncBatch,
)
from sift.directory.review import ProposalNotFound
from sift.directory.sync import CONTENT_FIELDS, post_content


@dataclass
class ProposalView:
    id: str
    operation: str
    status: str
    headline: str
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    duplicates: list[str] = field(default_factory=list)
    failure_reason: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.status == ProposalStatus.pending.value


@dataclass
class BatchView:
    id: str
    organization_id: str
    kind: str
    status: str
    summary: str
    created_at: datetime
    proposals: list[ProposalView]

    @property
    def pending(self) -> bool:
        return self.status in (BatchStatus.pending.value, BatchStatus.partially_reviewed.value)


def _content(post: Post | None) -> dict[str, Any] | None:
    return post_content(post) if post is not None else None


def _revised(session: Session, revision_id: uuid.UUID | None) -> dict[str, Any] | None:
    revision = session.get(PostRevision, revision_id) if revision_id else None
    if revision is None:
        return None
    return {k: revision.content.get(k) for k in CONTENT_FIELDS}


def proposal_view(session: Session, proposal: ProposedOperation) -> ProposalView:
    target = session.get(Post, proposal.target_post_id) if proposal.target_post_id else None
    draft = session.get(Post, proposal.draft_post_id) if proposal.draft_post_id else None
    duplicates = [session.get(Post, m.post_id) for m in proposal.merge_sources]
    titles = [d.title for d in duplicates if d is not None]
    kind = proposal.operation
    if kind is OperationKind.insert:
        headline, before, after = f"add {draft.title if draft else '?'}", None, _content(draft)
    elif kind is OperationKind.update:
        headline = f"update {target.title if target else '?'}"
        before, after = _content(target), _revised(session, proposal.revision_id)
    elif kind is OperationKind.delete:
        headline, before, after = (
            f"remove {target.title if target else '?'}",
            _content(target),
            None,
        )
    else:
        names = " and ".join(repr(t) for t in titles)
        headline = f"merge {names} into {target.title if target else '?'!r}"
        before, after = _content(target), _revised(session, proposal.revision_id)
    return ProposalView(
        id=str(proposal.id),
        operation=kind.value,
        status=proposal.status.value,
        headline=headline,
        reason=proposal.reason,
        before=before,
        after=after,
        duplicates=titles,
        failure_reason=proposal.failure_reason,
        reviewed_by=proposal.reviewed_by,
        reviewed_at=proposal.reviewed_at,
    )


def batch_view(session: Session, *, batch_id: str | uuid.UUID) -> BatchView:
    try:
        batch = session.get(SyncBatch, uuid.UUID(str(batch_id)))
    except ValueError:
        batch = None
    if batch is None:
        raise ProposalNotFound(f"no sync batch {batch_id}")
    ordered = sorted(batch.proposals, key=lambda p: (p.operation.value, p.created_at))
    return BatchView(
        id=str(batch.id),
        organization_id=str(batch.entity_id),
        kind=batch.kind.value,
        status=batch.status.value,
        summary=batch.summary or "",
        created_at=batch.created_at,
        proposals=[proposal_view(session, p) for p in ordered],
    )


def batch_ids(
    session: Session, *, organization_id: uuid.UUID | None = None, pending_only: bool = True
) -> list[uuid.UUID]:
    query = sa.select(SyncBatch.id).order_by(SyncBatch.created_at.desc()).limit(200)
    if organization_id is not None:
        query = query.where(SyncBatch.entity_id == organization_id)
    if pending_only:
        query = query.where(
            SyncBatch.status.in_([BatchStatus.pending, BatchStatus.partially_reviewed])
        )
    else:
        query = query.where(SyncBatch.status != BatchStatus.superseded)
    return list(session.scalars(query))
