"""Read models of sync batches and proposals, shared by the CLI, GraphQL and the web UI:
each proposal with a one-line headline ("merge X into Y") and its before/after content."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from sift.directory.models import (
    BatchStatus,
    OperationKind,
    Post,
    PostRevision,
    ProposalMergeSource,
    ProposalStatus,
    ProposedOperation,
    SyncBatch,
)
from sift.directory.proposals.dependencies import Dependency, dependencies_of, safe_order
from sift.directory.proposals.review import ProposalNotFound
from sift.directory.proposals.sync import CONTENT_FIELDS, post_content


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
    absorbed: list[dict[str, Any]] = field(default_factory=list)
    """The content of each post a merge absorbs, as it is now (shown beside the kept one)."""
    failure_reason: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    requested_by: str | None = None
    reverts_id: str | None = None
    reverted_by: str | None = None
    """The revert of this proposal, pending or approved, if one was asked for."""
    title: str = ""
    """The title of the post it concerns (the kept one of a merge)."""
    depends_on: list[Dependency] = field(default_factory=list)
    """Other pending proposals sharing a post with this one: deciding either re-bases or
    withdraws the other (`sift.directory.proposals.dependencies`)."""
    history: list[dict[str, str]] = field(default_factory=list)
    """Dated lines: re-based, withdrawn (and why)."""

    @property
    def pending(self) -> bool:
        return self.status == ProposalStatus.pending.value

    @property
    def revertible(self) -> bool:
        """Worth offering a Revert button (whether the posts changed since is checked then)."""
        return (
            self.status == ProposalStatus.approved.value
            and self.operation != OperationKind.revert.value
            and self.reverted_by is None
        )


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


def _before(
    session: Session, proposal: ProposedOperation, target: Post | None
) -> dict[str, Any] | None:
    """The post before an update or merge: as it is now while pending, and once applied
    the content the approval replaced, so a decided proposal still shows what it changed."""
    revision = session.get(PostRevision, proposal.revision_id) if proposal.revision_id else None
    if revision is not None and revision.replaced_content is not None:
        return {k: revision.replaced_content.get(k) for k in CONTENT_FIELDS}
    return _content(target)


Shown = tuple[str, dict[str, Any] | None, dict[str, Any] | None]
"""A proposal's headline, and the content before and after it."""


def _absorbed(session: Session, proposal: ProposedOperation) -> list[Post]:
    duplicates = [session.get(Post, m.post_id) for m in proposal.merge_sources]
    return [d for d in duplicates if d is not None]


def _merged_titles(session: Session, proposal: ProposedOperation) -> list[str]:
    return [d.title for d in _absorbed(session, proposal)]


def _shown(session: Session, proposal: ProposedOperation) -> Shown:
    target = session.get(Post, proposal.target_post_id) if proposal.target_post_id else None
    draft = session.get(Post, proposal.draft_post_id) if proposal.draft_post_id else None
    title = target.title if target else "?"
    kind = proposal.operation
    if kind is OperationKind.insert:
        return f"add {draft.title if draft else '?'}", None, _content(draft)
    if kind is OperationKind.update:
        return (
            f"update {title}",
            _before(session, proposal, target),
            _revised(session, proposal.revision_id),
        )
    if kind is OperationKind.delete:
        return f"remove {title}", _content(target), None
    if kind is OperationKind.restore:
        return f"restore {title}", None, _content(target)
    if kind is OperationKind.revert:
        return _shown_revert(session, proposal, target)
    names = " and ".join(repr(t) for t in _merged_titles(session, proposal))
    return (
        f"merge {names} into {title!r}",
        _before(session, proposal, target),
        _revised(session, proposal.revision_id),
    )


def _shown_revert(session: Session, proposal: ProposedOperation, target: Post | None) -> Shown:
    """A revert reads as the approval it undoes ("revert: update Food Pantry"), with the
    post as it is now before, and as the revert leaves it after."""
    reverted = session.get(ProposedOperation, proposal.reverts_id) if proposal.reverts_id else None
    if reverted is None:
        return "revert ?", None, None
    headline, _, _ = _shown(session, reverted)
    if reverted.operation in (OperationKind.insert, OperationKind.restore):
        return f"revert: {headline}", _content(target), None
    if reverted.operation is OperationKind.delete:
        return f"revert: {headline}", None, _content(target)
    return (
        f"revert: {headline}",
        _before(session, proposal, target),
        _revised(session, proposal.revision_id),
    )


def _reverted_by(session: Session, proposal: ProposedOperation) -> str | None:
    revert = session.scalar(
        sa.select(ProposedOperation.id).where(
            ProposedOperation.reverts_id == proposal.id,
            ProposedOperation.status.in_([ProposalStatus.pending, ProposalStatus.approved]),
        )
    )
    return str(revert) if revert else None


def _title(session: Session, proposal: ProposedOperation) -> str:
    post_id = proposal.draft_post_id or proposal.target_post_id
    post = session.get(Post, post_id) if post_id else None
    return post.title if post is not None else "?"


def proposal_view(session: Session, proposal: ProposedOperation) -> ProposalView:
    headline, before, after = _shown(session, proposal)
    kind = proposal.operation
    return ProposalView(
        id=str(proposal.id),
        operation=kind.value,
        status=proposal.status.value,
        headline=headline,
        reason=proposal.reason,
        before=before,
        after=after,
        duplicates=_merged_titles(session, proposal),
        absorbed=[post_content(d) for d in _absorbed(session, proposal)],
        failure_reason=proposal.failure_reason,
        reviewed_by=proposal.reviewed_by,
        reviewed_at=proposal.reviewed_at,
        requested_by=proposal.requested_by,
        reverts_id=str(proposal.reverts_id) if proposal.reverts_id else None,
        reverted_by=_reverted_by(session, proposal),
        title=_title(session, proposal),
        depends_on=dependencies_of(session, proposal),
        history=list(proposal.history or []),
    )


def batch_view(session: Session, *, batch_id: str | uuid.UUID) -> BatchView:
    try:
        batch = session.get(SyncBatch, uuid.UUID(str(batch_id)))
    except ValueError:
        batch = None
    if batch is None:
        raise ProposalNotFound(f"no sync batch {batch_id}")
    ordered = safe_order(batch.proposals)
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


@dataclass(frozen=True)
class QueueFilter:
    """What the review queue shows: each field narrows it, None leaves it open."""

    status: str | None = ProposalStatus.pending.value
    operation: str | None = None
    organization_id: uuid.UUID | None = None
    batch_id: uuid.UUID | None = None
    search: str | None = None


@dataclass
class QueueItem:
    proposal: ProposalView
    batch_id: str
    organization_id: str
    created_at: datetime


@dataclass
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _queue_query(wanted: QueueFilter) -> sa.Select:
    """Proposals of live batches matching the filter; the search looks at the titles of
    the posts a proposal touches and at its reason."""
    target, draft = aliased(Post), aliased(Post)
    query = (
        sa.select(ProposedOperation)
        .join(SyncBatch, ProposedOperation.batch_id == SyncBatch.id)
        .where(SyncBatch.status != BatchStatus.superseded)
    )
    if wanted.status:
        query = query.where(ProposedOperation.status == ProposalStatus(wanted.status))
    if wanted.operation:
        query = query.where(ProposedOperation.operation == OperationKind(wanted.operation))
    if wanted.organization_id:
        query = query.where(SyncBatch.entity_id == wanted.organization_id)
    if wanted.batch_id:
        query = query.where(SyncBatch.id == wanted.batch_id)
    if wanted.search:
        pattern = f"%{wanted.search.strip()}%"
        query = (
            query.outerjoin(target, target.id == ProposedOperation.target_post_id)
            .outerjoin(draft, draft.id == ProposedOperation.draft_post_id)
            .where(
                sa.or_(
                    target.title.ilike(pattern),
                    draft.title.ilike(pattern),
                    ProposedOperation.reason.ilike(pattern),
                )
            )
        )
    return query


def proposal_queue(
    session: Session, wanted: QueueFilter, *, page: int = 1, per_page: int = 20
) -> QueuePage:
    """One page of the review queue, newest batch first, in the batch's review order."""
    query = _queue_query(wanted)
    total = queue_total(session, wanted)
    page = min(max(page, 1), QueuePage(items=[], total=total, page=1, per_page=per_page).pages)
    rows = session.scalars(
        query.order_by(
            SyncBatch.created_at.desc(), ProposedOperation.operation, ProposedOperation.created_at
        )
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [queue_item(session, p) for p in rows]
    return QueuePage(items=items, total=total, page=page, per_page=per_page)


def queue_total(session: Session, wanted: QueueFilter) -> int:
    """How many proposals the filter matches: the review queue's heading."""
    return _count(_queue_query(wanted), session)


def queue_item(session: Session, proposal: ProposedOperation) -> QueueItem:
    return QueueItem(
        proposal=proposal_view(session, proposal),
        batch_id=str(proposal.batch_id),
        organization_id=str(proposal.batch.entity_id),
        created_at=proposal.created_at,
    )


def pending_counts(
    session: Session, *, organization_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    """Pending proposals (not batches) of live batches, per organization: the one query
    behind every pending figure (the queue's own filter, grouped)."""
    query = (
        _queue_query(QueueFilter())
        .with_only_columns(SyncBatch.entity_id, sa.func.count(), maintain_column_froms=True)
        .group_by(SyncBatch.entity_id)
    )
    if organization_ids is not None:
        query = query.where(SyncBatch.entity_id.in_(list(organization_ids)))
    return {org_id: int(count) for org_id, count in session.execute(query)}


def pending_count(session: Session, *, organization_id: uuid.UUID | None = None) -> int:
    """Pending proposals of one organization, or of all: the "Proposals (N)" figure."""
    ids = None if organization_id is None else [organization_id]
    return sum(pending_counts(session, organization_ids=ids).values())


def _count(query: sa.Select, session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def decisions_per_batch(
    session: Session, *, organization_id: uuid.UUID | None = None, limit: int = 12
) -> list[tuple[SyncBatch, dict[str, int]]]:
    """The latest batches with their proposals counted by status (for the batch chart)."""
    query = (
        sa.select(SyncBatch)
        .where(SyncBatch.status != BatchStatus.superseded)
        .order_by(SyncBatch.created_at.desc())
        .limit(limit)
    )
    if organization_id is not None:
        query = query.where(SyncBatch.entity_id == organization_id)
    batches = list(session.scalars(query))
    counts: dict[uuid.UUID, dict[str, int]] = {b.id: {} for b in batches}
    rows = session.execute(
        sa.select(ProposedOperation.batch_id, ProposedOperation.status, sa.func.count())
        .where(ProposedOperation.batch_id.in_(counts))
        .group_by(ProposedOperation.batch_id, ProposedOperation.status)
    ).all()
    for batch_id, status, count in rows:
        counts[batch_id][status.value] = int(count)
    return [(b, counts[b.id]) for b in reversed(batches)]


@dataclass
class HistoryEntry:
    """One event in a post's history: a proposal that touched it, or a revision of it."""

    at: datetime
    kind: str
    """`proposal` or `revision`."""
    headline: str
    status: str
    who: str | None = None
    """The reviewer, else who asked; for a proposal no person asked for, the job that
    staged it (`extraction`, `cleanup`)."""
    decided_at: datetime | None = None
    reason: str | None = None
    proposal_id: str | None = None
    batch_id: str | None = None
    organization_id: str | None = None


def post_history(session: Session, *, post_id: uuid.UUID) -> list[HistoryEntry]:
    """The proposals that touched a post (as target, draft or merged duplicate) and its
    revisions, newest first: who asked, who decided and when."""
    merged = sa.select(ProposalMergeSource.proposal_id).where(
        ProposalMergeSource.post_id == post_id
    )
    touched = session.scalars(
        sa.select(ProposedOperation).where(
            sa.or_(
                ProposedOperation.target_post_id == post_id,
                ProposedOperation.draft_post_id == post_id,
                ProposedOperation.id.in_(merged),
            )
        )
    ).all()
    entries = [
        HistoryEntry(
            at=p.created_at,
            kind="proposal",
            headline=_shown(session, p)[0],
            status=p.status.value,
            who=p.reviewed_by or p.requested_by or p.batch.kind.value,
            decided_at=p.reviewed_at,
            reason=p.failure_reason or p.reason,
            proposal_id=str(p.id),
            batch_id=str(p.batch_id),
            organization_id=str(p.batch.entity_id),
        )
        for p in touched
    ]
    revisions = session.scalars(sa.select(PostRevision).where(PostRevision.post_id == post_id))
    entries += [
        HistoryEntry(
            at=r.created_at,
            kind="revision",
            headline=f"revision of version {r.base_version}: {r.content.get('title') or '?'}",
            status=r.status.value,
        )
        for r in revisions
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)
