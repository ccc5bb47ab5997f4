"""Org-level sync: compare fresh posts with *all* of the organization's posts and stage one
sync batch of proposals. Nothing here changes a live post; review applies proposals.

Every fresh and every existing post is accounted for exactly once. A fresh post matches an
existing one (active or draft, found on the sources, typed in by hand or imported alike)
by title and audience, else by the clean-up's own service judgement (`same_service`):
were it judged by anything else, extraction would stage an insert of what the clean-up then
calls a duplicate, and the two proposals would fight over one service in the queue.
- a fresh post matching one existing post → **update** (a revision), or nothing if equal;
- a fresh post matching several existing posts → **merge** of those duplicates into the
  best one, which takes the fresh content as its revision;
- a fresh post matching none → **insert** (a draft post, pending approval);
- an existing post matched by no fresh post → **delete** (a proposal, with the reason),
  if it was found on the organization's sources before. A post an admin typed in or
  imported has no source: it was never on them, so its absence there proves nothing, and
  it is left alone (the clean-up still proposes merging it with a post that repeats it).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.ai.embeddings import Embedder
from sift.db import utcnow
from sift.directory.models import (
    BatchKind,
    BatchStatus,
    OperationKind,
    Post,
    PostRevision,
    PostSource,
    PostStatus,
    ProposalMergeSource,
    ProposalStatus,
    ProposedOperation,
    RevisionStatus,
    SourceType,
    SyncBatch,
)
from sift.directory.proposals.withdrawal import note, pending_touching, withdraw
from sift.directory.record_matching import Record
from sift.directory.same_service import judge_post_pairs

CONTENT_FIELDS = (
    "title",
    "summary",
    "description",
    "contact",
    "location",
    "schedule",
    "audience",
    "tags",
)
SOURCE_PRIORITY = {
    SourceType.website: 0,
    SourceType.facebook: 1,
    SourceType.instagram: 2,
    SourceType.tiktok: 3,
    SourceType.x: 4,
}
_NON_WORD = re.compile(r"[^a-z0-9]+")
ALL_PAIRS_UP_TO = 20_000
"""Fresh x existing pairs judged all; above, each fresh post's nearest existing posts only."""
NEIGHBOURS = 8
MIN_COSINE = 0.25


@dataclass
class FreshPost:
    """A post as an extraction engine produced it, with where it came from."""

    title: str
    summary: str | None = None
    description: str = ""
    contact: dict[str, Any] = field(default_factory=dict)
    location: str | None = None
    schedule: list[Any] = field(default_factory=list)
    audience: str | None = None
    tags: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    """(source id, page url) pairs the post was extracted from."""

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


@dataclass
class SyncResult:
    batch_id: str | None
    inserts: int = 0
    updates: int = 0
    deletes: int = 0
    merges: int = 0
    unchanged: int = 0

    @property
    def proposals(self) -> int:
        return self.inserts + self.updates + self.deletes + self.merges


def post_content(post: Post) -> dict[str, Any]:
    return {name: getattr(post, name) for name in CONTENT_FIELDS}


def identity_key(title: str, audience: str | None) -> str:
    """Organization x service x audience: the same service for another audience is another
    post (the org is implied: sync only compares posts of one organization)."""
    return _NON_WORD.sub(" ", title.lower()).strip() + "|" + (audience or "").strip().lower()


def as_record(content: dict[str, Any]) -> Record:
    contact = content.get("contact") or {}
    extra = {k: str(v) for k, v in contact.items() if v}
    if content.get("location"):
        extra["location"] = str(content["location"])
    return Record(title=content["title"], text=content.get("description") or "", extra=extra)


def org_posts(session: Session, *, organization_id: uuid.UUID) -> list[Post]:
    """The organization's live posts (active and pending), which sync must account for."""
    return list(
        session.scalars(
            sa.select(Post)
            .where(Post.organization_id == organization_id, Post.deleted_at.is_(None))
            .where(Post.status.in_([PostStatus.active, PostStatus.pending_approval]))
            .order_by(Post.created_at)
        )
    )


def completeness(content: dict[str, Any]) -> int:
    contact = content.get("contact") or {}
    return (
        len(content.get("description") or "")
        + 40 * sum(1 for v in contact.values() if v)
        + 40 * bool(content.get("location"))
        + 40 * len(content.get("schedule") or [])
    )


def canonical_order(post: Post) -> tuple[int, int, int]:
    """Active before pending, then by source priority (website > facebook > instagram >
    tiktok > x), then the most complete."""
    priority = min((SOURCE_PRIORITY[s.source_type] for s in post.sources), default=9)
    return (
        0 if post.status is PostStatus.active else 1,
        priority,
        -completeness(post_content(post)),
    )


def _match(
    fresh: Sequence[FreshPost], existing: Sequence[Post], embedder: Embedder | None
) -> dict[int, list[int]]:
    """fresh index → existing indexes it describes. Identity keys match first; the service
    judgement then pairs what is left, the most similar pair first, each existing post with
    one fresh post at most. A fresh post takes a second existing post only when that one is
    judged a duplicate of every post it already took (no chaining through the fresh post).
    Without an `embedder` posts match by identity alone."""
    taken: set[int] = set()
    matches: dict[int, list[int]] = {i: [] for i in range(len(fresh))}
    keys = [identity_key(p.title, p.audience) for p in existing]
    for i, post in enumerate(fresh):
        key = identity_key(post.title, post.audience)
        for j, existing_key in enumerate(keys):
            if existing_key == key and j not in taken:
                matches[i].append(j)
                taken.add(j)
    open_ = [j for j in range(len(existing)) if j not in taken]
    if embedder is None or not fresh or not open_:
        return matches
    contents = [post_content(p) for p in existing] + [f.content() for f in fresh]
    shift = len(existing)
    pairs = _candidates(contents, shift, open_, embedder)
    verdicts = judge_post_pairs(contents, pairs, embedder=embedder)
    accepted = sorted(
        (v.similarity, at - shift, j)
        for (j, at), v in zip(pairs, verdicts, strict=True)
        if v.duplicate
    )[::-1]
    wanted: dict[int, list[int]] = {}
    for _, i, j in accepted:
        if j not in taken:
            wanted.setdefault(i, []).append(j)
            taken.add(j)
    for i, found in wanted.items():
        matches[i].extend(_mutual(contents, matches[i], found, embedder))
    return matches


def _candidates(
    contents: Sequence[dict[str, Any]], shift: int, open_: Sequence[int], embedder: Embedder
) -> list[tuple[int, int]]:
    """(existing index, shifted fresh index) pairs to judge: all of them for an ordinary
    organization, each fresh post's nearest existing posts for a very large one."""
    fresh_at = range(shift, len(contents))
    if len(fresh_at) * len(open_) <= ALL_PAIRS_UP_TO:
        return [(j, i) for i in fresh_at for j in open_]
    texts = [as_record(contents[k]).title for k in [*open_, *fresh_at]]
    vectors = embedder.embed(texts)
    similarity = vectors[len(open_) :] @ vectors[: len(open_)].T
    k = min(NEIGHBOURS, len(open_))
    pairs = []
    for row, i in zip(similarity, fresh_at, strict=True):
        for col in np.argpartition(-row, k - 1)[:k]:
            if row[col] >= MIN_COSINE:
                pairs.append((open_[int(col)], i))
    return pairs


def _mutual(
    contents: Sequence[dict[str, Any]], kept: list[int], found: list[int], embedder: Embedder
) -> list[int]:
    """Of the existing posts a fresh post was matched with (best first), those judged
    duplicates of each other: the first always, each next one only with all before it."""
    group = list(kept)
    if not group:
        group, found = found[:1], found[1:]
    for j in found:
        verdicts = judge_post_pairs(contents, [(k, j) for k in group], embedder=embedder)
        if all(v.duplicate for v in verdicts):
            group.append(j)
    return group[len(kept) :]


def supersede_extraction_batches(session: Session, *, organization_id: uuid.UUID) -> int:
    """Retire the org's older pending *extraction* batches (never a clean-up batch): their
    pending proposals are superseded, their drafts soft-deleted, their revisions discarded.

    The pending proposals are locked first, the row lock a review takes too: a proposal
    being approved right now is waited for and then left approved (its draft published),
    never superseded behind the reviewer's back."""
    open_statuses = [BatchStatus.pending, BatchStatus.partially_reviewed]
    batch_ids = session.scalars(
        sa.select(SyncBatch.id).where(
            SyncBatch.entity_type == "organization",
            SyncBatch.entity_id == organization_id,
            SyncBatch.kind == BatchKind.extraction,
            SyncBatch.status.in_(open_statuses),
        )
    ).all()
    if not batch_ids:
        return 0
    pending = session.scalars(
        sa.select(ProposedOperation)
        .where(
            ProposedOperation.batch_id.in_(batch_ids),
            ProposedOperation.status == ProposalStatus.pending,
        )
        .order_by(ProposedOperation.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    drafts = set()
    for proposal in pending:
        proposal.status = ProposalStatus.superseded
        note(proposal, "Superseded by a newer extraction")
        if proposal.draft_post_id:
            draft = session.get(Post, proposal.draft_post_id)
            if draft is not None and draft.deleted_at is None:
                draft.deleted_at = utcnow()
                draft.deleted_reason = "Superseded by a newer extraction"
                drafts.add(draft.id)
        if proposal.revision_id:
            revision = session.get(PostRevision, proposal.revision_id)
            if revision is not None:
                revision.status = RevisionStatus.discarded
    retired = session.execute(
        sa.update(SyncBatch)
        .where(SyncBatch.id.in_(batch_ids), SyncBatch.status.in_(open_statuses))
        .values(status=BatchStatus.superseded, completed_at=utcnow())
        .returning(SyncBatch.id)
    ).all()
    session.flush()
    for other in pending_touching(session, drafts):  # a clean-up merge of a retired draft
        withdraw(session, other, "a draft it merges was replaced by a newer extraction")
    return len(retired)


def new_revision(
    session: Session, post: Post, content: dict[str, Any], links: list, base_version: int
) -> PostRevision:
    """Proposed content for `post`, stored beside it until a proposal applying it is approved."""
    revision = PostRevision(
        post_id=post.id,
        content={**content, "links": [list(link) for link in links]},
        base_version=base_version,
    )
    session.add(revision)
    session.flush()
    return revision


def new_batch(
    session: Session, *, organization_id: uuid.UUID, kind: BatchKind, workflow_id: str | None
) -> SyncBatch:
    batch = SyncBatch(
        entity_type="organization", entity_id=organization_id, kind=kind, workflow_id=workflow_id
    )
    session.add(batch)
    session.flush()
    return batch


def add_merge(
    session: Session,
    *,
    batch: SyncBatch,
    canonical: Post,
    duplicates: Sequence[Post],
    content: dict[str, Any],
    links: list,
    reason: str,
    read_at: Mapping[uuid.UUID, int] | None = None,
) -> ProposedOperation:
    """Stage merging `duplicates` into `canonical` with `content`. `read_at` gives the
    versions the content was computed from, when that was earlier (clean-up reads the posts,
    then spends minutes on model calls): a post changed since makes the merge stale
    instead of silently putting its old content back.

    A pending merge of another batch sharing any of these posts is withdrawn: it was
    judged on older posts, and two merges of one post contradict each other (the origin
    could hold "A into B" beside "B into A")."""

    def version(post: Post) -> int:
        return (read_at or {}).get(post.id, post.version)

    members = {canonical.id, *(d.id for d in duplicates)}
    for older in pending_touching(session, members):
        if older.operation is OperationKind.merge and older.batch_id != batch.id:
            withdraw(session, older, "replaced by a newer merge of the same posts")

    revision = new_revision(session, canonical, content, links, version(canonical))
    proposal = ProposedOperation(
        batch_id=batch.id,
        operation=OperationKind.merge,
        target_post_id=canonical.id,
        revision_id=revision.id,
        expected_version=version(canonical),
        reason=reason,
    )
    proposal.merge_sources = [
        ProposalMergeSource(post_id=d.id, expected_version=version(d)) for d in duplicates
    ]
    session.add(proposal)
    return proposal


def stage_extraction(
    session: Session,
    *,
    organization_id: uuid.UUID,
    fresh: Sequence[FreshPost],
    embedder: Embedder | None,
    workflow_id: str | None = None,
    summary: str | None = None,
) -> SyncResult:
    supersede_extraction_batches(session, organization_id=organization_id)
    existing = org_posts(session, organization_id=organization_id)
    matches = _match(fresh, existing, embedder)
    result = SyncResult(batch_id=None)
    batch = new_batch(
        session, organization_id=organization_id, kind=BatchKind.extraction, workflow_id=workflow_id
    )
    matched: set[int] = set()
    for i, post in enumerate(fresh):
        found = [existing[j] for j in matches[i]]
        matched.update(matches[i])
        content = post.content()
        if not found:
            _stage_insert(session, batch, organization_id, post)
            result.inserts += 1
        elif len(found) == 1:
            if _same(post_content(found[0]), content) and _links_known(found[0], post.links):
                result.unchanged += 1
                continue
            revision = new_revision(session, found[0], content, post.links, found[0].version)
            session.add(
                ProposedOperation(
                    batch_id=batch.id,
                    operation=OperationKind.update,
                    target_post_id=found[0].id,
                    revision_id=revision.id,
                    expected_version=found[0].version,
                    reason="The organization's content about this service changed.",
                )
            )
            result.updates += 1
        else:
            canonical, *duplicates = sorted(found, key=canonical_order)
            add_merge(
                session,
                batch=batch,
                canonical=canonical,
                duplicates=duplicates,
                content=content,
                links=post.links,
                reason=f"These {len(found)} posts describe the same service: {post.title}.",
            )
            result.merges += 1
    for j, stored in enumerate(existing):
        if j in matched or not stored.sources:
            continue
        session.add(
            ProposedOperation(
                batch_id=batch.id,
                operation=OperationKind.delete,
                target_post_id=stored.id,
                expected_version=stored.version,
                reason="No longer found on any of the organization's sources.",
            )
        )
        result.deletes += 1
    if result.proposals == 0:
        session.delete(batch)  # no empty batches
        session.flush()
        return result
    batch.summary = summary or describe(result)
    session.flush()
    result.batch_id = str(batch.id)
    return result


def describe(result: SyncResult) -> str:
    parts = [
        f"{n} {label}"
        for n, label in (
            (result.inserts, "new"),
            (result.updates, "updated"),
            (result.merges, "merged"),
            (result.deletes, "removed"),
        )
        if n
    ]
    return ", ".join(parts) or "no changes"


def _stage_insert(
    session: Session, batch: SyncBatch, organization_id: uuid.UUID, post: FreshPost
) -> None:
    draft = Post(
        organization_id=organization_id, status=PostStatus.pending_approval, **post.content()
    )
    session.add(draft)
    session.flush()
    link_sources(session, post=draft, links=post.links)
    session.add(
        ProposedOperation(
            batch_id=batch.id,
            operation=OperationKind.insert,
            draft_post_id=draft.id,
            expected_version=draft.version,
            reason="A service not yet in the directory.",
        )
    )


def link_sources(session: Session, *, post: Post, links: Sequence[Sequence[str]]) -> None:
    """Attach (source, page) links to a post, skipping ones it already has."""
    from sift.directory.models import Source

    known = {(str(s.source_id), s.page_url) for s in post.sources}
    for source_id, page_url in links:
        if (str(source_id), page_url) in known:
            continue
        source = session.get(Source, uuid.UUID(str(source_id)))
        if source is None:
            continue
        post.sources.append(
            PostSource(source_id=source.id, source_type=source.source_type, page_url=page_url)
        )
        known.add((str(source_id), page_url))
    session.flush()


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all((a.get(k) or None) == (b.get(k) or None) for k in CONTENT_FIELDS)


def _links_known(post: Post, links: Sequence[Sequence[str]]) -> bool:
    known = {(str(s.source_id), s.page_url) for s in post.sources}
    return all((str(s), u) in known for s, u in links)
