"""Admin review of proposals: approving applies one operation, rejecting undoes what was
staged. The caller wraps each decision in one transaction, so a merge is applied whole or
not at all; a proposal whose target changed since staging is refused and changes nothing.
Every decision then settles, in the same transaction, the pending proposals that shared a
post with it (`dependencies`): re-based or withdrawn, so none is left that nobody can apply.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.db import utcnow
from sift.directory.models import (
    OperationKind,
    Post,
    PostRevision,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    RevisionStatus,
    SyncBatch,
)
from sift.directory.proposals.dependencies import (
    extract_again,
    post_blocker,
    safe_order,
    settle,
    settle_after,
)
from sift.directory.proposals.sync import CONTENT_FIELDS, link_sources, post_content
from sift.directory.proposals.withdrawal import refresh_batch_status
from sift.directory.public.post_vectors import embed_published
from sift.errors import NotFound, SiftError


class ProposalNotFound(NotFound):
    pass


class ProposalAlreadyReviewed(SiftError):
    pass


class ProposalStale(SiftError):
    """The post changed (or was deleted) after the proposal was staged."""


class ProposalRebased(ProposalStale):
    """Stale, and re-based onto the posts as they are now: pending again for another look."""


class NotRevertible(SiftError):
    """An approval that a revert cannot undo; the message says what to do instead."""


def get_proposal_or_raise(session: Session, *, proposal_id: str | uuid.UUID) -> ProposedOperation:
    try:
        key = uuid.UUID(str(proposal_id))
    except ValueError:
        raise ProposalNotFound(f"{proposal_id!r} is not a proposal id") from None
    proposal = session.get(ProposedOperation, key, with_for_update=True)
    if proposal is None:
        raise ProposalNotFound(f"no proposal {proposal_id}")
    return proposal


def _pending(proposal: ProposedOperation) -> None:
    if proposal.status is ProposalStatus.superseded and proposal.failure_reason:
        raise ProposalAlreadyReviewed(
            f"proposal {proposal.id} was withdrawn: {proposal.failure_reason}"
        )
    if proposal.status is not ProposalStatus.pending:
        raise ProposalAlreadyReviewed(
            f"proposal {proposal.id} was already {proposal.status.value}"
            + (f" by {proposal.reviewed_by}" if proposal.reviewed_by else "")
        )


def _live_post(session: Session, post_id: uuid.UUID | None, expected_version: int | None) -> Post:
    post = session.get(Post, post_id, with_for_update=True) if post_id else None
    why = post_blocker(post, expected_version)
    if why:
        raise ProposalStale(why)
    assert post is not None
    return post


def _apply_revision(session: Session, post: Post, revision_id: uuid.UUID | None) -> None:
    revision = session.get(PostRevision, revision_id) if revision_id else None
    if revision is None or revision.status is not RevisionStatus.pending:
        raise ProposalStale("the proposed revision is no longer available")
    content: dict[str, Any] = revision.content
    revision.replaced_content = {**post_content(post), "status": post.status.value}
    for name in CONTENT_FIELDS:
        if name in content:
            setattr(post, name, content[name])
    link_sources(session, post=post, links=content.get("links", []))
    post.version += 1
    revision.status = RevisionStatus.applied


def _soft_delete(post: Post, reason: str, *, duplicate_of: uuid.UUID | None = None) -> None:
    post.deleted_at = utcnow()
    post.deleted_reason = reason
    post.duplicate_of = duplicate_of
    post.version += 1


def _restore(post: Post) -> None:
    post.deleted_at = None
    post.deleted_reason = None
    post.duplicate_of = None
    post.version += 1


def _move_sources(session: Session, *, source_post: Post, target: Post) -> None:
    known = {(s.source_id, s.page_url) for s in target.sources}
    for link in list(source_post.sources):
        if (link.source_id, link.page_url) in known:
            session.delete(link)
        else:
            link.post_id = target.id
            known.add((link.source_id, link.page_url))
    session.flush()
    session.expire(target, ["sources"])


def _apply(session: Session, proposal: ProposedOperation) -> None:
    kind = proposal.operation
    if kind is OperationKind.insert:
        draft = _live_post(session, proposal.draft_post_id, proposal.expected_version)
        draft.status = PostStatus.active
        draft.published_at = utcnow()
        draft.version += 1
    elif kind is OperationKind.update:
        post = _live_post(session, proposal.target_post_id, proposal.expected_version)
        _apply_revision(session, post, proposal.revision_id)
    elif kind is OperationKind.delete:
        post = _live_post(session, proposal.target_post_id, proposal.expected_version)
        _soft_delete(post, proposal.reason or "Deleted by review")
    elif kind is OperationKind.restore:
        _apply_restore(session, proposal)
    elif kind is OperationKind.revert:
        _apply_revert(session, proposal)
    else:
        canonical = _live_post(session, proposal.target_post_id, proposal.expected_version)
        duplicates = [
            _live_post(session, m.post_id, m.expected_version) for m in proposal.merge_sources
        ]
        _apply_revision(session, canonical, proposal.revision_id)
        for duplicate in duplicates:
            _move_sources(session, source_post=duplicate, target=canonical)
            _soft_delete(
                duplicate, proposal.reason or "Merged duplicate", duplicate_of=canonical.id
            )
        if canonical.status is not PostStatus.active and any(
            d.status is PostStatus.active for d in duplicates
        ):
            canonical.status = PostStatus.active
            canonical.published_at = canonical.published_at or utcnow()


def _apply_restore(session: Session, proposal: ProposedOperation) -> None:
    """The post comes back published: an admin asked for it and another approved it, which
    is the review a draft or rejected post was waiting for (brought back as a draft, a post
    whose insert was superseded would wait for ever)."""
    post = session.get(Post, proposal.target_post_id, with_for_update=True)
    if post is None or post.version != proposal.expected_version or post.deleted_at is None:
        raise ProposalStale("the post changed after this restore was requested; ask again")
    _restore(post)
    if post.status is not PostStatus.active:
        post.status = PostStatus.active
        post.published_at = post.published_at or utcnow()


def approval_left(session: Session, approved: ProposedOperation) -> list[Post]:
    """The posts an approved proposal changed, locked, provided each is still as that
    approval left it; the target first, then a merge's duplicates. Applying a proposal
    moves every post it touches exactly one version on, so "as left" is the version it
    expected plus one, deleted or not as the operation made it."""
    kind = approved.operation
    if approved.status is not ProposalStatus.approved:
        raise NotRevertible(
            f"proposal {approved.id} is {approved.status.value}: only an approved one can be "
            "reverted"
        )
    if kind is OperationKind.revert:
        raise NotRevertible(f"proposal {approved.id} is itself a revert and cannot be reverted")
    target = approved.draft_post_id if kind is OperationKind.insert else approved.target_post_id
    touched = [(target, approved.expected_version, kind is OperationKind.delete)]
    touched += [(m.post_id, m.expected_version, True) for m in approved.merge_sources]
    posts = []
    for post_id, expected, deleted in touched:
        post = session.get(Post, post_id, with_for_update=True) if post_id else None
        if post is None or expected is None:
            raise NotRevertible(f"proposal {approved.id} has no post on record; revert by hand")
        if post.version != expected + 1 or (post.deleted_at is not None) != deleted:
            raise ProposalStale(f"post {post.title!r} changed after this approval; revert by hand")
        posts.append(post)
    return posts


def _apply_revert(session: Session, proposal: ProposedOperation) -> None:
    """Undo the approval `proposal.reverts_id`, checked again now: a post changed since the
    revert was requested refuses it like any stale proposal."""
    approved = get_proposal_or_raise(session, proposal_id=str(proposal.reverts_id))
    target, *duplicates = approval_left(session, approved)
    kind = approved.operation
    if kind in (OperationKind.insert, OperationKind.restore):
        _soft_delete(target, proposal.reason or "Reverted")
    elif kind is OperationKind.delete:
        _restore(target)
    else:  # update or merge: the content the approval replaced, then the duplicates back
        _apply_revision(session, target, proposal.revision_id)
        earlier = session.get_one(PostRevision, proposal.revision_id).content
        if "status" in earlier:  # a draft published by the merge is a draft again
            target.status = PostStatus(earlier["status"])
        for duplicate in duplicates:
            _restore(duplicate)


def _undo(session: Session, proposal: ProposedOperation) -> None:
    """Rejecting removes what staging created: a draft becomes a rejected post (the next
    clean-up purges it), a revision is discarded; live posts stay untouched. The rejected
    draft's version moves on, so a merge staged with it (into a live post, or of another
    draft into it) is refused as stale instead of reviving what the admin rejected."""
    if proposal.operation is OperationKind.insert and proposal.draft_post_id:
        draft = session.get(Post, proposal.draft_post_id, with_for_update=True)
        if draft is not None and draft.deleted_at is None:
            draft.status = PostStatus.rejected
            draft.version += 1
    if proposal.revision_id:
        revision = session.get(PostRevision, proposal.revision_id)
        if revision is not None:
            revision.status = RevisionStatus.discarded


def _record(proposal: ProposedOperation, status: ProposalStatus, reviewer: str) -> None:
    proposal.status = status
    proposal.reviewed_by = reviewer
    proposal.reviewed_at = utcnow()


def approve_proposal(
    session: Session, *, proposal_id: str | uuid.UUID, reviewer: str
) -> ProposedOperation:
    proposal = get_proposal_or_raise(session, proposal_id=proposal_id)
    _pending(proposal)
    _apply(session, proposal)
    # Published with its vector: the public search finds it by meaning from this commit on.
    embed_published(session, [i for i in (proposal.draft_post_id, proposal.target_post_id) if i])
    _record(proposal, ProposalStatus.approved, reviewer)
    refresh_batch_status(session, proposal.batch)
    settle_after(session, proposal)
    return proposal


def reject_proposal(
    session: Session, *, proposal_id: str | uuid.UUID, reviewer: str
) -> ProposedOperation:
    proposal = get_proposal_or_raise(session, proposal_id=proposal_id)
    _pending(proposal)
    _undo(session, proposal)
    _record(proposal, ProposalStatus.rejected, reviewer)
    refresh_batch_status(session, proposal.batch)
    settle_after(session, proposal)
    return proposal


def decide(proposal_id: str | uuid.UUID, *, approve: bool, reviewer: str) -> None:
    """Approve or reject one proposal in its own transaction. One refused as stale (its
    post changed by something other than a decision, which would have settled it) is
    settled now: re-based for another look or withdrawn, and the error says which; the
    organization's next extraction is made to run in full (see `dependencies.extract_again`)."""
    from sift import db

    try:
        with db.session_scope() as session:
            (approve_proposal if approve else reject_proposal)(
                session, proposal_id=proposal_id, reviewer=reviewer
            )
    except ProposalStale as error:
        with db.session_scope() as session:
            proposal = get_proposal_or_raise(session, proposal_id=proposal_id)
            extract_again(session, proposal)
            outcome = settle(session, proposal, cause="when its approval was refused")
        if outcome is None:
            raise
        if outcome.withdrawn:
            raise ProposalStale(f"{error}: withdrawn ({outcome.text})") from error
        raise ProposalRebased(f"{error}: re-based; review it again ({outcome.text})") from error


def pending_proposal_ids(session: Session, *, batch_id: str | uuid.UUID) -> list[uuid.UUID]:
    try:
        key = uuid.UUID(str(batch_id))
    except ValueError:
        raise ProposalNotFound(f"{batch_id!r} is not a batch id") from None
    if session.get(SyncBatch, key) is None:
        raise ProposalNotFound(f"no sync batch {batch_id}")
    pending = session.scalars(
        sa.select(ProposedOperation).where(
            ProposedOperation.batch_id == key,
            ProposedOperation.status == ProposalStatus.pending,
        )
    )
    return [p.id for p in safe_order(pending)]


def review_batch(batch_id: str | uuid.UUID, *, approve: bool, reviewer: str) -> dict[str, int]:
    """Decide every pending proposal of a batch in a safe order (`dependencies.SAFE_ORDER`),
    each in its own transaction. One settled by an earlier decision is skipped (withdrawn)
    or decided as re-based; one found stale for another reason is settled as `decide` does
    and left for another look when re-based; one that stays stale is marked failed with its
    reason; none holds back the others."""
    from sift import db

    with db.session_scope() as session:
        ids = pending_proposal_ids(session, batch_id=batch_id)
    counts = {"approved" if approve else "rejected": 0, "failed": 0}
    for proposal_id in ids:
        try:
            decide(proposal_id, approve=approve, reviewer=reviewer)
            counts["approved" if approve else "rejected"] += 1
        except ProposalAlreadyReviewed:
            continue  # decided meanwhile, or withdrawn by an earlier decision: nothing failed
        except ProposalStale as error:
            with db.session_scope() as session:
                proposal = get_proposal_or_raise(session, proposal_id=proposal_id)
                if proposal.status is not ProposalStatus.pending:
                    counts["withdrawn"] = counts.get("withdrawn", 0) + 1
                    continue
                if isinstance(error, ProposalRebased):
                    counts["re-based"] = counts.get("re-based", 0) + 1
                    continue
                _record(proposal, ProposalStatus.failed, reviewer)
                proposal.failure_reason = str(error)
                refresh_batch_status(session, proposal.batch)
            counts["failed"] += 1
    return counts
