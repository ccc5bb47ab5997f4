"""Tables of the directory domain: organizations, their sources, the page cache, posts and
the proposals that change posts only after an admin approves them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sift.ai.embeddings import DIMENSIONS
from sift.db import Base, Timestamped, new_id, pg_enum


class SourceType(enum.StrEnum):
    website = "website"
    instagram = "instagram"
    facebook = "facebook"
    x = "x"
    tiktok = "tiktok"


class SourceStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class PostStatus(enum.StrEnum):
    pending_approval = "pending_approval"
    active = "active"
    rejected = "rejected"
    archived = "archived"


class BatchKind(enum.StrEnum):
    extraction = "extraction"
    cleanup = "cleanup"
    recovery = "recovery"
    """Restores and reverts an admin asked for, reviewed like any other change."""
    hsds_import = "import"
    """What an HSDS re-import would change in published posts (`sift import hsds`)."""


class BatchStatus(enum.StrEnum):
    pending = "pending"
    partially_reviewed = "partially_reviewed"
    completed = "completed"
    superseded = "superseded"


class OperationKind(enum.StrEnum):
    insert = "insert"
    update = "update"
    delete = "delete"
    merge = "merge"
    restore = "restore"
    """Bring a soft-deleted post back (see `sift.directory.proposals.recovery`)."""
    revert = "revert"
    """Undo an approved proposal (`reverts_id`)."""


class ProposalStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    failed = "failed"
    superseded = "superseded"


class RevisionStatus(enum.StrEnum):
    pending = "pending"
    applied = "applied"
    discarded = "discarded"


def _fk(target: str, *, ondelete: str | None = None) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete=ondelete)


class Organization(Timestamped, Base):
    __tablename__ = "organizations"
    __table_args__ = (
        # Names are unique whatever their case ("Food Bank" is "food bank"), atomically.
        sa.Index("uq_organizations_name_lower", sa.text("lower(name)"), unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.Text, unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    last_extracted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    extraction_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    sources: Mapped[list[Source]] = relationship(back_populates="organization")


class Source(Timestamped, Base):
    __tablename__ = "sources"
    __table_args__ = (sa.Index("ix_sources_status_active", "status", "active"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        _fk("organizations.id", ondelete="CASCADE"), index=True
    )
    source_type: Mapped[SourceType] = mapped_column(pg_enum(SourceType, "source_type"))
    url: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[SourceStatus] = mapped_column(
        pg_enum(SourceStatus, "source_status"), default=SourceStatus.pending
    )
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    scrape_frequency_hours: Mapped[int] = mapped_column(sa.Integer, default=24)
    last_scraped_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    last_error_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    organization: Mapped[Organization] = relationship(back_populates="sources")
    website: Mapped[WebsiteSource | None] = relationship(lazy="joined", uselist=False)
    social: Mapped[SocialSource | None] = relationship(lazy="joined", uselist=False)


class WebsiteSource(Base):
    __tablename__ = "website_sources"

    source_id: Mapped[uuid.UUID] = mapped_column(
        _fk("sources.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[str] = mapped_column(sa.Text, unique=True)


class SocialSource(Base):
    __tablename__ = "social_sources"
    __table_args__ = (sa.UniqueConstraint("platform", "handle", name="uq_social_sources_handle"),)

    source_id: Mapped[uuid.UUID] = mapped_column(
        _fk("sources.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[SourceType] = mapped_column(pg_enum(SourceType, "source_type"))
    handle: Mapped[str] = mapped_column(sa.Text)


class ExtractionPage(Timestamped, Base):
    """The page cache: what a source fetched, keyed by URL and grouped by `site_url`."""

    __tablename__ = "extraction_pages"

    url: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    site_url: Mapped[str] = mapped_column(sa.Text, index=True)
    title: Mapped[str | None] = mapped_column(sa.Text)
    content: Mapped[str] = mapped_column(sa.Text)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    fetched_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    page_metadata: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONB, default=dict, server_default=sa.text("'{}'::jsonb")
    )


class ExtractionMemo(Base):
    """Pass-1 narratives of one page's content under one prompt version: an unchanged page
    is never sent to the model twice."""

    __tablename__ = "extraction_memos"

    content_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    engine: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    prompt_version: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    narratives: Mapped[list[Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class Tag(Base):
    """Allowed tag values the extractor may assign (audience, category, …)."""

    __tablename__ = "tags"
    __table_args__ = (sa.UniqueConstraint("kind", "value", name="uq_tags_kind_value"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(sa.Text)
    value: Mapped[str] = mapped_column(sa.Text)
    display_name: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)


class Post(Timestamped, Base):
    """A listing in the directory. `organization_id` is stored on the post itself so an
    org-level insert is always found again by the next sync (the origin lost those)."""

    __tablename__ = "posts"
    __table_args__ = (
        sa.Index("ix_posts_org_status", "organization_id", "status"),
        # The public directory searches published posts only: by words (trigram ILIKE) and
        # by meaning (cosine kNN); both indexes hold nothing else.
        sa.Index(
            "ix_posts_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            postgresql_where=sa.text("status = 'active' AND deleted_at IS NULL"),
        ),
        sa.Index(
            "ix_posts_embedding_hnsw",
            "embedding",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"embedding": "vector_cosine_ops"},
            postgresql_where=sa.text("status = 'active' AND deleted_at IS NULL"),
        ),
        # Published posts waiting for an embedding, which the search embeds on demand; a
        # trigger (migration 0014) clears the embedding of a post whose text changes.
        sa.Index(
            "ix_posts_waiting_for_embedding",
            "id",
            postgresql_where=sa.text(
                "embedding IS NULL AND status = 'active' AND deleted_at IS NULL"
            ),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(_fk("organizations.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.Text)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    contact: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=sa.text("'{}'::jsonb")
    )
    location: Mapped[str | None] = mapped_column(sa.Text)
    schedule: Mapped[list[Any]] = mapped_column(
        JSONB, default=list, server_default=sa.text("'[]'::jsonb")
    )
    audience: Mapped[str | None] = mapped_column(sa.Text)
    tags: Mapped[list[str]] = mapped_column(
        ARRAY(sa.Text), default=list, server_default=sa.text("'{}'::text[]")
    )
    status: Mapped[PostStatus] = mapped_column(
        pg_enum(PostStatus, "post_status"), default=PostStatus.pending_approval
    )
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    duplicate_of: Mapped[uuid.UUID | None] = mapped_column(_fk("posts.id"))
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deleted_reason: Mapped[str | None] = mapped_column(sa.Text)
    search_text: Mapped[str] = mapped_column(
        sa.Text,
        sa.Computed("title || ' ' || coalesce(summary, '') || ' ' || description", persisted=True),
        deferred=True,
    )
    """What the public search reads, by words and by meaning; PostgreSQL keeps it."""
    embedding: Mapped[Any] = mapped_column(Vector(DIMENSIONS), nullable=True, deferred=True)
    embedded_text_md5: Mapped[str | None] = mapped_column(sa.String(32), deferred=True)
    """md5 of the `search_text` that `embedding` was computed from: a post whose text
    changed since is stale and embedded again (`sift.directory.public.post_vectors`)."""

    sources: Mapped[list[PostSource]] = relationship(back_populates="post")


class PostSource(Base):
    """Which source (and page) a post came from; moved onto the canonical on merge."""

    __tablename__ = "post_sources"
    __table_args__ = (
        sa.UniqueConstraint("post_id", "source_id", "page_url", name="uq_post_sources_link"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    post_id: Mapped[uuid.UUID] = mapped_column(_fk("posts.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[uuid.UUID] = mapped_column(_fk("sources.id", ondelete="CASCADE"), index=True)
    source_type: Mapped[SourceType] = mapped_column(pg_enum(SourceType, "source_type"))
    page_url: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    post: Mapped[Post] = relationship(back_populates="sources")


class PostRevision(Base):
    """Proposed new content for a post; the live post changes only when it is applied."""

    __tablename__ = "post_revisions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    post_id: Mapped[uuid.UUID] = mapped_column(_fk("posts.id", ondelete="CASCADE"), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    base_version: Mapped[int] = mapped_column(sa.Integer)
    replaced_content: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """The post's content (and status) this revision replaced when it was applied: what a
    revert of the approval puts back."""
    status: Mapped[RevisionStatus] = mapped_column(
        pg_enum(RevisionStatus, "revision_status"), default=RevisionStatus.pending
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class SyncBatch(Base):
    __tablename__ = "sync_batches"
    __table_args__ = (
        sa.Index("ix_sync_batches_entity", "entity_type", "entity_id", "kind", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    entity_type: Mapped[str] = mapped_column(sa.Text)
    entity_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[BatchKind] = mapped_column(pg_enum(BatchKind, "batch_kind"))
    status: Mapped[BatchStatus] = mapped_column(
        pg_enum(BatchStatus, "batch_status"), default=BatchStatus.pending
    )
    summary: Mapped[str | None] = mapped_column(sa.Text)
    workflow_id: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    proposals: Mapped[list[ProposedOperation]] = relationship(back_populates="batch")


class ProposedOperation(Base):
    __tablename__ = "proposed_operations"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    batch_id: Mapped[uuid.UUID] = mapped_column(
        _fk("sync_batches.id", ondelete="CASCADE"), index=True
    )
    operation: Mapped[OperationKind] = mapped_column(pg_enum(OperationKind, "operation_kind"))
    target_post_id: Mapped[uuid.UUID | None] = mapped_column(_fk("posts.id"), index=True)
    draft_post_id: Mapped[uuid.UUID | None] = mapped_column(_fk("posts.id"))
    revision_id: Mapped[uuid.UUID | None] = mapped_column(_fk("post_revisions.id"))
    expected_version: Mapped[int | None] = mapped_column(sa.Integer)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    reverts_id: Mapped[uuid.UUID | None] = mapped_column(_fk("proposed_operations.id"), index=True)
    """The approved proposal a `revert` undoes."""
    requested_by: Mapped[str | None] = mapped_column(sa.Text)
    """Who asked for a restore or revert (extraction and clean-up proposals have no one)."""
    status: Mapped[ProposalStatus] = mapped_column(
        pg_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.pending, index=True
    )
    failure_reason: Mapped[str | None] = mapped_column(sa.Text)
    history: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=sa.text("'[]'::jsonb")
    )
    """Dated lines of what happened to the proposal besides its review: re-based onto a
    post another approval changed, or withdrawn (`sift.directory.proposals.withdrawal`)."""
    reviewed_by: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    batch: Mapped[SyncBatch] = relationship(back_populates="proposals")
    merge_sources: Mapped[list[ProposalMergeSource]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan"
    )


class ProposalMergeSource(Base):
    """A duplicate folded into the merge proposal's canonical post."""

    __tablename__ = "proposal_merge_sources"

    proposal_id: Mapped[uuid.UUID] = mapped_column(
        _fk("proposed_operations.id", ondelete="CASCADE"), primary_key=True
    )
    post_id: Mapped[uuid.UUID] = mapped_column(_fk("posts.id"), primary_key=True)
    expected_version: Mapped[int] = mapped_column(sa.Integer)

    proposal: Mapped[ProposedOperation] = relationship(back_populates="merge_sources")


class Note(Base):
    """Admin-facing notes the extraction leaves on an organization or post."""

    __tablename__ = "notes"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        _fk("organizations.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[uuid.UUID | None] = mapped_column(_fk("posts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.Text, default="info")
    content: Mapped[str] = mapped_column(sa.Text)
    source_url: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
