"""Pending proposals that depend on each other, and settling them after a decision.

Two pending proposals depend on each other when they touch the same post: approving one
moves that post's version on (or removes the post), and the other, checked against the
version it was staged on, could never be applied again. Left alone, the queue fills with
proposals no reviewer can clear (the origin's "changed after this proposal was staged").

So every decision settles the proposals it affected, in the same transaction: each one
that can no longer be applied as staged is either **re-based** (its expected versions
moved to the posts as they are now, a clean-up merge's content recomputed from them), when
what it would do still makes sense and the reviewer will see what it now does, or
**withdrawn** (superseded, never failed), when its intent is gone or already done: the
draft it would publish was merged away, the post it would update was removed, the change
it carries was already applied. Either way a line is added to its history. Which it is
follows from the posts as they are now, so a settle is right whatever order proposals
were decided in:

- an insert: re-based while its draft is still a draft (a merge into the draft moved it
  on); withdrawn once the draft is published, merged away or rejected;
- an update or delete: withdrawn once its post is removed or merged away, or once another
  approval rewrote the post's content (an extraction's is proposed again by the next run);
  re-based when only the post's status or version moved on;
- a merge: withdrawn once the post it keeps is gone or no duplicate is left; else re-based
  without the duplicates that are gone, a clean-up merge's content recomputed from the
  posts as they are now (an extraction's merge, whose content came from the sources, is
  withdrawn when another approval rewrote one of its posts);
- a restore: withdrawn once the post is back, else re-based;
- a revert: withdrawn (revert by hand), as it undoes exactly one state of the posts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.directory.cleanup import service as cleanup
from sift.directory.models import (
    BatchKind,
    OperationKind,
    Organization,
    Post,
    PostRevision,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    RevisionStatus,
)
from sift.directory.proposals.sync import canonical_order, post_content
from sift.directory.proposals.withdrawal import (
    note,
    pending_touching,
    refresh_batch_status,
    withdraw,
)

SAFE_ORDER = {
    OperationKind.restore: 0,
    OperationKind.insert: 1,
    OperationKind.update: 2,
    OperationKind.merge: 3,
    OperationKind.delete: 4,
    OperationKind.revert: 5,
}
"""The order a batch is applied in: what brings a post in (a restore, an insert) before
what changes or merges it, and removals last, so each approval re-bases the rest instead
of withdrawing them."""


def safe_order(proposals: Iterable[ProposedOperation]) -> list[ProposedOperation]:
    return sorted(proposals, key=lambda p: (SAFE_ORDER[p.operation], p.created_at, str(p.id)))


def touched(proposal: ProposedOperation) -> list[tuple[uuid.UUID, int | None]]:
    """(post id, the version the proposal expects) of every post it would change."""
    post_id = (
        proposal.draft_post_id
        if proposal.operation is OperationKind.insert
        else proposal.target_post_id
    )
    posts = [(post_id, proposal.expected_version)] if post_id else []
    return posts + [(m.post_id, m.expected_version) for m in proposal.merge_sources]


def gone(post: Post | None) -> bool:
    """No longer a post the directory lists or could list: deleted, merged away, rejected."""
    return post is None or post.deleted_at is not None or post.status is PostStatus.rejected


def post_blocker(post: Post | None, expected_version: int | None) -> str:
    """Why a proposal staged against `expected_version` cannot touch `post`, or ""."""
    if post is None or post.deleted_at is not None:
        return "the post was deleted after this proposal was staged"
    if expected_version is not None and post.version != expected_version:
        return (
            f"the post {post.title!r} changed after this proposal was staged "
            f"(version {expected_version} → {post.version})"
        )
    return ""


def blocker(session: Session, proposal: ProposedOperation) -> str:
    """Why this proposal could not be applied now, or "" when it could."""
    if proposal.operation is OperationKind.restore:
        post = session.get(Post, proposal.target_post_id)
        if post is None or post.deleted_at is None:
            return "the post is not deleted any more"
        return "" if post.version == proposal.expected_version else "the post changed"
    for post_id, expected in touched(proposal):
        why = post_blocker(session.get(Post, post_id), expected)
        if why:
            return why
    if proposal.operation is OperationKind.insert:
        draft = session.get(Post, proposal.draft_post_id)
        if draft is not None and draft.status is not PostStatus.pending_approval:
            return f"the draft is {draft.status.value.replace('_', ' ')}"
    if proposal.revision_id:
        revision = session.get(PostRevision, proposal.revision_id)
        if revision is None or revision.status is not RevisionStatus.pending:
            return "the proposed revision is no longer available"
    return ""


def content_changed_since(session: Session, post_id: uuid.UUID, version: int | None) -> bool:
    """Whether an approval rewrote the post's content since `version` (an applied revision
    based on it or later); a publication, restore or re-count of versions does not."""
    return bool(
        session.scalar(
            sa.select(
                sa.exists().where(
                    PostRevision.post_id == post_id,
                    PostRevision.status == RevisionStatus.applied,
                    PostRevision.base_version >= (version or 0),
                )
            )
        )
    )


@dataclass(frozen=True)
class Settled:
    proposal_id: uuid.UUID
    withdrawn: bool
    text: str


def settle_after(session: Session, decided: ProposedOperation) -> list[Settled]:
    """Settle the pending proposals that share a post with the one just decided."""
    post_ids = {post_id for post_id, _ in touched(decided)}
    cause = f"after {decided.operation.value} {str(decided.id)[:8]} was {decided.status.value}"
    return [
        outcome
        for proposal in pending_touching(session, post_ids)
        if proposal.id != decided.id and (outcome := settle(session, proposal, cause=cause))
    ]


def settle(session: Session, proposal: ProposedOperation, *, cause: str) -> Settled | None:
    """Re-base or withdraw one pending proposal that cannot be applied as staged (see the
    module's table); None when it can be applied as it is."""
    why = blocker(session, proposal)
    if not why or proposal.status is not ProposalStatus.pending:
        return None
    kind = proposal.operation
    if kind is OperationKind.insert:
        text = _settle_insert(session, proposal)
    elif kind is OperationKind.merge:
        text = _settle_merge(session, proposal)
    elif kind in (OperationKind.update, OperationKind.delete):
        text = _settle_change(session, proposal)
    elif kind is OperationKind.restore:
        post = session.get(Post, proposal.target_post_id)
        text = None if post is not None and post.deleted_at is not None else "it is back already"
    else:
        text = f"{why}; revert by hand"
    withdrawn = text is not None
    if text is None:
        text = _rebased(session, proposal)
    else:
        text = f"{text} ({cause})"
        if proposal.batch.kind is BatchKind.extraction:
            extract_again(session, proposal)
        withdraw(session, proposal, text)  # refreshes the batch's status itself
    if not withdrawn:
        refresh_batch_status(session, proposal.batch)
        note(proposal, f"Re-based {cause}: {text}")
    return Settled(proposal.id, withdrawn, text)


def _where(post: Post | None) -> str:
    """What became of a post that is gone, for a withdrawal line."""
    if post is None:
        return "the post no longer exists"
    if post.duplicate_of is not None:
        return f"{post.title!r} was merged into another post"
    if post.deleted_at is not None:
        return f"{post.title!r} was removed"
    return f"{post.title!r} was {post.status.value.replace('_', ' ')}"


def _settle_insert(session: Session, proposal: ProposedOperation) -> str | None:
    draft = session.get(Post, proposal.draft_post_id)
    if draft is None or gone(draft):
        return _where(draft)
    if draft.status is PostStatus.active:
        return f"{draft.title!r} is published already"
    return None


def _settle_change(session: Session, proposal: ProposedOperation) -> str | None:
    post = session.get(Post, proposal.target_post_id)
    if post is None or gone(post):
        return _where(post)
    if proposal.revision_id:
        revision = session.get_one(PostRevision, proposal.revision_id)
        proposed = {k: revision.content.get(k) for k in post_content(post)}
        if _same(proposed, post_content(post)):
            return f"{post.title!r} already reads as proposed"
    if content_changed_since(session, post.id, proposal.expected_version):
        return f"another approval rewrote {post.title!r} after this was staged"
    return None


def _settle_merge(session: Session, proposal: ProposedOperation) -> str | None:
    canonical = session.get(Post, proposal.target_post_id)
    if canonical is None or gone(canonical):
        return f"the post it keeps is gone: {_where(canonical)}"
    alive = [m for m in proposal.merge_sources if not gone(session.get(Post, m.post_id))]
    if not alive:
        return f"nothing is left to merge into {canonical.title!r}"
    members = [(canonical.id, proposal.expected_version)]  # the target_post_id it was read by
    members += [(m.post_id, m.expected_version) for m in alive]
    rewritten = any(content_changed_since(session, p, v) for p, v in members)
    if rewritten and proposal.batch.kind is not BatchKind.cleanup:
        return "another approval rewrote a post it merges after this was staged"
    return None


def _rebased(session: Session, proposal: ProposedOperation) -> str:
    """Move the proposal onto the posts as they are now and say what changed."""
    changes: list[str] = []
    if proposal.operation is OperationKind.merge:
        for source in list(proposal.merge_sources):
            post = session.get(Post, source.post_id)
            if post is None or gone(post):
                changes.append(f"without {post.title if post else 'a removed post'!r}")
                proposal.merge_sources.remove(source)
            else:
                source.expected_version = post.version
        if proposal.batch.kind is BatchKind.cleanup:
            _recompute_merge(session, proposal)
            changes.append("merged content recomputed from the posts as they are now")
    post_id, _ = touched(proposal)[0]
    post = session.get_one(Post, post_id)
    proposal.expected_version = post.version
    if proposal.revision_id:
        session.get_one(PostRevision, proposal.revision_id).base_version = post.version
    session.flush()
    return ", ".join([f"now expects {post.title!r} at version {post.version}", *changes])


def _recompute_merge(session: Session, proposal: ProposedOperation) -> None:
    """A clean-up merge's content is the kept post filled in from its duplicates: computed
    again from their current content, so no approved change is put back."""
    canonical = session.get_one(Post, proposal.target_post_id)
    duplicates = sorted(
        (session.get_one(Post, m.post_id) for m in proposal.merge_sources), key=canonical_order
    )
    ordered = [_info(canonical), *(_info(d) for d in duplicates)]
    revision = session.get_one(PostRevision, proposal.revision_id)
    links = revision.content.get("links", [])
    revision.content = {**cleanup.merged_content(ordered), "links": links}


def _info(post: Post) -> cleanup.PostInfo:
    return cleanup.PostInfo(
        id=str(post.id),
        content=post_content(post),
        active=post.status is PostStatus.active,
        source_priority=canonical_order(post)[1],
    )


def _same(a: dict, b: dict) -> bool:
    return all((a.get(k) or None) == (b.get(k) or None) for k in b)


def extract_again(session: Session, proposal: ProposedOperation) -> None:
    """A withdrawn or stale extraction proposal is proposed again, against the posts as
    they are now, by the next extraction: forgetting the pool's fingerprint makes that run
    in full even when no page changed (else it would end "unchanged")."""
    org = session.get(Organization, proposal.batch.entity_id)
    if org is not None:
        org.extraction_fingerprint = None


@dataclass(frozen=True)
class Dependency:
    """Another pending proposal sharing a post with this one, for the queue."""

    proposal_id: str
    operation: str
    post_title: str


def dependencies_of(session: Session, proposal: ProposedOperation) -> list[Dependency]:
    """The other pending proposals that touch a post this one touches: deciding either
    re-bases or withdraws the other."""
    if proposal.status is not ProposalStatus.pending:
        return []
    mine = {post_id for post_id, _ in touched(proposal)}
    found = []
    for other in pending_touching(session, mine, lock=False):
        if other.id == proposal.id:
            continue
        shared = mine & {post_id for post_id, _ in touched(other)}
        post = session.get(Post, next(iter(sorted(shared, key=str)))) if shared else None
        found.append(Dependency(str(other.id), other.operation.value, post.title if post else "?"))
    return found
