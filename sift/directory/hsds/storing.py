"""Storing read HSDS documents: new organizations and services are added, and everything
that would change what the public already sees is staged for review.

A first import adds its services as published posts: the admin running it is the review.
A re-import must not overwrite the directory behind the reviewers' backs, so for a service
Sift already has:

- nothing HSDS carries changed (compared as an export of the post would read back, so the
  summary and tags HSDS has no field for are never "changes") → nothing happens;
- its content changed → an **update** proposal whose revision keeps what HSDS cannot say
  (summary, tags) and the fields that did not change;
- a published post the file lists as not active → a **delete** proposal;
- a deleted post the file lists as active → a **restore** proposal (recovery batch); a post
  merged into another is never revived (a note says so);
- an archived post listed as active → an **insert** proposal that publishes it.

Proposals go into one `import` batch per organization; a later import supersedes the
pending proposals an earlier one staged for the same posts, so importing twice stages once.
All of it happens in the caller's one transaction.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.db import utcnow
from sift.directory.hsds import mapping
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
    SyncBatch,
)
from sift.directory.proposals import recovery, review
from sift.directory.proposals.sync import new_batch, new_revision, post_content
from sift.directory.public.post_vectors import EMBED_BATCH, embed_published
from sift.directory.registry import service as directory
from sift.errors import SiftError

CARRIED = ("title", "description", "contact", "location", "schedule", "audience")
"""The post fields every HSDS service carries."""
SIFT_CARRIED = (*CARRIED, "summary", "tags")
"""What a Sift export carries besides (tags and the summary, as `attributes`): compared
only for a service that has them, since another directory's file says nothing of them."""
IMPORTER = "hsds import"


class ImportRefused(SiftError):
    """The documents clash with what Sift holds (a service of another organization)."""


@dataclass
class ImportResult:
    organizations_created: int = 0
    organizations_updated: int = 0
    posts_created: int = 0
    posts_unchanged: int = 0
    changes_staged: int = 0
    """Update, delete, restore and publish proposals staged for review."""
    sources_added: int = 0
    batch_ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was left out and why (a website another organization already has …)."""
    published: list[uuid.UUID] = field(default_factory=list)
    """The services it published, to embed for the public search."""


def store(session: Session, organizations: list[dict[str, Any]]) -> ImportResult:
    """Create new organizations and services, stage changes to known ones; the caller
    commits."""
    result = ImportResult()
    for document in organizations:
        organization = _upsert_organization(session, document, result)
        if organization is None:
            continue
        if website := document.get("website"):
            _add_website(session, organization, website, result)
        staging = _Staging(session, organization)
        for service in document.get("services") or []:
            _import_service(session, staging, service, document, result)
        if batch_id := staging.finish():
            result.batch_ids.append(batch_id)
    session.flush()
    for _ in range(0, len(result.published), EMBED_BATCH):  # found by meaning at once
        if embed_published(session, result.published) < EMBED_BATCH:
            break  # all done, or the embedder failed: the tick does the rest
    return result


def _upsert_organization(
    session: Session, document: dict[str, Any], result: ImportResult
) -> Organization | None:
    """By its HSDS id first, then by name (a directory adopting Sift may already have
    registered it by hand). A deleted organization stays deleted: the import says so."""
    organization = session.get(Organization, mapping.sift_id(str(document["id"])))
    if organization is None:
        organization = session.scalar(
            sa.select(Organization).where(
                sa.func.lower(Organization.name) == " ".join(document["name"].split()).lower()
            )
        )
    description = document.get("description") or None
    if organization is None:
        organization = directory.create_organization(
            session, name=document["name"], description=description
        )
        # create_organization checks the name; the HSDS id then becomes the row's id (no
        # row refers to it yet), so a re-import finds it again.
        organization.id = mapping.sift_id(str(document["id"]))
        session.flush()
        result.organizations_created += 1
    elif organization.deleted_at is not None:
        result.notes.append(
            f"organization {organization.name!r} was deleted in Sift: its services are not "
            "imported (restore it first)"
        )
        return None
    elif (organization.description or None) != description:
        organization.description = description
        result.organizations_updated += 1
    return organization


def _add_website(
    session: Session, organization: Organization, website: str, result: ImportResult
) -> None:
    """The organization's website, pending: an admin approves it before Sift crawls it."""
    try:
        with session.begin_nested():
            directory.add_source(
                session, organization=organization, source_type="website", value=website
            )
        result.sources_added += 1
    except directory.SourceExists:
        owner = directory.get_source_or_raise(session, ref=directory.normalise_domain(website))
        if owner.organization_id != organization.id:
            result.notes.append(f"{website}: already a source of another organization, not added")
    except SiftError as error:
        result.notes.append(f"{website}: not added as a source ({error})")


def _normalised(content: dict[str, Any]) -> dict[str, Any]:
    """Carried content with empty values left out, so a schedule entry without a note
    equals one whose note is null and an absent field equals an empty one."""
    return {
        "title": content.get("title") or None,
        "description": content.get("description") or None,
        "contact": {k: v for k, v in (content.get("contact") or {}).items() if v},
        "location": content.get("location") or None,
        "schedule": [
            {k: v for k, v in entry.items() if v} for entry in content.get("schedule") or []
        ],
        "audience": content.get("audience") or None,
        "summary": content.get("summary") or None,
        "tags": sorted(content.get("tags") or []),
    }


def changed_content(
    post: Post,
    incoming: dict[str, Any],
    document: dict[str, Any],
    *,
    carried: tuple[str, ...] = CARRIED,
) -> dict | None:
    """The post's content with the fields the import changes, or None when it changes none.

    The post is compared as its own export reads back (`hsds_service` then `post_content`,
    against the same organization document), so what the mapping cannot carry or changes
    in form (a summary standing in for an empty description, an address re-parsed) is
    never mistaken for a change."""
    exported = mapping.hsds_service(post, organization_id=str(post.organization_id))
    seen = _normalised(mapping.post_content(exported, document))
    wanted = _normalised(incoming)
    fields = [name for name in carried if seen[name] != wanted[name]]
    if not fields:
        return None
    return {**post_content(post), **{name: incoming[name] for name in fields}}


class _Staging:
    """The organization's import batch, opened on the first proposal."""

    def __init__(self, session: Session, organization: Organization) -> None:
        self.session = session
        self.organization = organization
        self.batch: SyncBatch | None = None
        self.kinds: Counter[str] = Counter()

    def add(self, proposal: ProposedOperation) -> None:
        if self.batch is None:
            self.batch = new_batch(
                self.session,
                organization_id=self.organization.id,
                kind=BatchKind.hsds_import,
                workflow_id=None,
            )
        proposal.batch_id = self.batch.id
        self.session.add(proposal)
        self.kinds[proposal.operation.value] += 1

    def finish(self) -> str | None:
        if self.batch is None:
            return None
        self.batch.summary = "HSDS import: " + ", ".join(
            f"{n} {kind}" for kind, n in sorted(self.kinds.items())
        )
        self.session.flush()
        return str(self.batch.id)


def _import_service(
    session: Session,
    staging: _Staging,
    service: dict[str, Any],
    document: dict[str, Any],
    result: ImportResult,
) -> None:
    content = mapping.post_content(service, document)
    active = service.get("status") == "active"
    post_id = mapping.sift_id(str(service["id"]))
    post = session.get(Post, post_id, with_for_update=True)
    if post is None:
        status = PostStatus.active if active else PostStatus.archived
        session.add(
            Post(
                id=post_id,
                organization_id=staging.organization.id,
                status=status,
                published_at=utcnow() if active else None,
                **content,
            )
        )
        result.posts_created += 1
        if active:
            result.published.append(post_id)
        return
    if post.organization_id != staging.organization.id:
        raise ImportRefused(
            f"service {service['id']} ({service['name']!r}) already belongs to another "
            "organization in Sift"
        )
    carried = SIFT_CARRIED if mapping.carries_sift_fields(service) else CARRIED
    staged = _stage_change(session, staging, post, content, active, document, result, carried)
    result.changes_staged += staged
    result.posts_unchanged += not staged


def _stage_change(
    session: Session,
    staging: _Staging,
    post: Post,
    content: dict[str, Any],
    active: bool,
    document: dict[str, Any],
    result: ImportResult,
    carried: tuple[str, ...] = CARRIED,
) -> bool:
    """Stage what the import would change in `post`; True when something was staged."""
    if post.duplicate_of is not None:
        if active:
            result.notes.append(
                f"service {post.title!r} was merged into another post in Sift: not revived"
            )
        return False
    if post.deleted_at is not None:
        return active and _stage_restore(session, post, result)
    if post.status is PostStatus.rejected:
        if active:
            result.notes.append(f"service {post.title!r} was rejected in review: not proposed")
        return False
    revised = changed_content(post, content, document, carried=carried)
    published = post.status is PostStatus.active
    if published and active and revised is None:
        return False
    if not published and not active:
        return False
    _supersede_earlier(session, post)
    if published and not active:
        staging.add(_proposal(post, OperationKind.delete, "The HSDS import lists it as inactive."))
    elif published:
        revision = new_revision(session, post, revised or {}, [], post.version)
        update = _proposal(post, OperationKind.update, "The HSDS import describes it otherwise.")
        update.revision_id = revision.id
        staging.add(update)
    else:  # archived (or a draft) the import lists as active: publishing it is reviewed
        if revised is not None:  # not public: the reviewer sees the content it would publish
            for name, value in revised.items():
                setattr(post, name, value)
            post.version += 1
        publish = _proposal(post, OperationKind.insert, "The HSDS import lists it as active.")
        publish.draft_post_id, publish.target_post_id = post.id, None
        staging.add(publish)
    return True


def _proposal(post: Post, operation: OperationKind, reason: str) -> ProposedOperation:
    return ProposedOperation(
        operation=operation,
        target_post_id=post.id,
        expected_version=post.version,
        reason=reason,
        requested_by=IMPORTER,
    )


def _stage_restore(session: Session, post: Post, result: ImportResult) -> bool:
    try:
        recovery.request_restore(
            session,
            post_id=post.id,
            requested_by=IMPORTER,
            reason="The HSDS import lists this deleted service as active.",
        )
    except recovery.RecoveryRefused as error:
        result.notes.append(f"service {post.title!r}: {error}")
        return False
    return True


def _supersede_earlier(session: Session, post: Post) -> None:
    """Pending proposals an earlier import staged for `post` give way to this one."""
    earlier = session.scalars(
        sa.select(ProposedOperation)
        .join(SyncBatch, SyncBatch.id == ProposedOperation.batch_id)
        .where(
            SyncBatch.kind == BatchKind.hsds_import,
            ProposedOperation.status == ProposalStatus.pending,
            sa.or_(
                ProposedOperation.target_post_id == post.id,
                ProposedOperation.draft_post_id == post.id,
            ),
        )
        .with_for_update()
    ).all()
    for proposal in earlier:
        proposal.status = ProposalStatus.superseded
        if proposal.revision_id and (revision := session.get(PostRevision, proposal.revision_id)):
            revision.status = RevisionStatus.discarded
        review.refresh_batch_status(session, proposal.batch)
