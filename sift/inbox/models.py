"""Tables of the inbox domain: creators, fans' channels, messages with embeddings, clusters
of similar messages, and the per-channel deliveries of a creator's bulk reply."""

from __future__ import annotations

import enum
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pgvector.sqlalchemy import Vector
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from sift.ai.embeddings import DIMENSIONS
from sift.db import Base, Timestamped, new_id, pg_enum


class ClusterStatus(enum.StrEnum):
    open = "open"
    actioned = "actioned"
    empty = "empty"


class MembershipStatus(enum.StrEnum):
    """Why a message is (or no longer is) actionable inside its cluster (seed 002)."""

    active = "active"
    actioned = "actioned"
    externally_handled = "externally_handled"
    superseded = "superseded"
    removed = "removed"


class CorrectionKind(enum.StrEnum):
    """How the creator changed the grouping by hand."""

    merge = "merge"
    move = "move"


class DeliveryStatus(enum.StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
MAX_FUTURE = timedelta(days=1)
"""The span a message's `created_at` must fall in (see `InboundMessage`)."""
_NO_ZONE = re.compile(r"\d{4}-\d{2}-\d{2}[T ][\d:.]+")


def _creator_fk() -> sa.ForeignKey:
    return sa.ForeignKey("creators.id", ondelete="CASCADE")


class Creator(Timestamped, Base):
    __tablename__ = "creators"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    external_id: Mapped[str] = mapped_column(sa.Text, unique=True)
    name: Mapped[str | None] = mapped_column(sa.Text)
    grouping_strictness: Mapped[float | None] = mapped_column(
        sa.Float,
        sa.CheckConstraint(
            "grouping_strictness >= 0 AND grouping_strictness <= 1", name="grouping_strictness"
        ),
    )
    """0 groups the most, 1 the least (`clustering.params_for`); NULL is the default, which
    adapts to the inbox (`calibrated_similarity`)."""
    calibrated_similarity: Mapped[float | None] = mapped_column(sa.Float)
    """The similarity `clustering.calibrate_similarity` found for this inbox at the last
    regroup; NULL until the inbox is big enough to calibrate."""
    calibrated_messages: Mapped[int | None] = mapped_column(sa.Integer)
    """How many messages the last calibration saw, so the next runs when the inbox grew."""


class Channel(Timestamped, Base):
    """One fan's conversation with one creator."""

    __tablename__ = "channels"
    __table_args__ = (
        sa.UniqueConstraint("creator_id", "external_id", name="uq_channels_creator_external"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    creator_id: Mapped[uuid.UUID] = mapped_column(_creator_fk(), index=True)
    external_id: Mapped[str] = mapped_column(sa.Text)
    visitor_id: Mapped[str | None] = mapped_column(sa.Text)
    visitor_name: Mapped[str | None] = mapped_column(sa.Text)
    visitor_avatar_url: Mapped[str | None] = mapped_column(sa.Text)
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        sa.Index("ix_messages_creator_created", "creator_id", "created_at"),
        sa.Index("ix_messages_creator_text_hash", "creator_id", "text_hash"),
        # Message ids are the platform's, but a creator could send any id through GraphQL or
        # a file: unique per creator, so no one can reserve (or probe) another's ids.
        sa.UniqueConstraint(
            "creator_id", "external_message_id", name="uq_messages_creator_external"
        ),
        # Only matchable messages are indexed: the kNN of each ingest searches a graph of
        # live questions, not of every message ever answered or superseded.
        sa.Index(
            "ix_messages_embedding_hnsw",
            "embedding",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"embedding": "vector_cosine_ops"},
            postgresql_where=sa.text("matchable_cluster_id IS NOT NULL"),
        ),
        sa.Index("ix_messages_matchable_cluster", "matchable_cluster_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    creator_id: Mapped[uuid.UUID] = mapped_column(_creator_fk())
    matchable_cluster_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("clusters.id", ondelete="SET NULL")
    )
    """The cluster of this message's *active* membership, unless it is a paid DM or deleted;
    NULL once it is superseded, answered or removed. Kept beside `cluster_messages.status`
    (by `service`, in the same statements) so the nearest-neighbour query of every ingest is
    one filtered HNSW scan of one table."""
    channel_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    external_message_id: Mapped[str] = mapped_column(sa.Text)
    sender_id: Mapped[str | None] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    is_paid_dm: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    embedding: Mapped[Any] = mapped_column(Vector(DIMENSIONS), nullable=True)
    raw: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=sa.text("'{}'::jsonb")
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    replied_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Cluster(Timestamped, Base):
    """A group of similar questions. `centroid` is the normalised mean of its active
    members so an arriving message can be compared with the group, not one neighbour."""

    __tablename__ = "clusters"
    __table_args__ = (sa.Index("ix_clusters_creator_status", "creator_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    creator_id: Mapped[uuid.UUID] = mapped_column(_creator_fk())
    status: Mapped[ClusterStatus] = mapped_column(
        pg_enum(ClusterStatus, "cluster_status"), default=ClusterStatus.open
    )
    is_paid: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    centroid: Mapped[Any] = mapped_column(Vector(DIMENSIONS), nullable=True)
    member_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    response_text: Mapped[str | None] = mapped_column(sa.Text)
    summary_label: Mapped[str | None] = mapped_column(sa.Text)
    summary_description: Mapped[str | None] = mapped_column(sa.Text)
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    replied_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    seen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    """When the creator last opened the cluster; newer messages make it unread."""


class ClusterMessage(Timestamped, Base):
    __tablename__ = "cluster_messages"
    __table_args__ = (
        sa.Index("ix_cluster_messages_cluster_status", "cluster_id", "status"),
        sa.Index("ix_cluster_messages_message", "message_id"),
    )

    cluster_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True
    )
    message_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[MembershipStatus] = mapped_column(
        pg_enum(MembershipStatus, "cluster_message_status"), default=MembershipStatus.active
    )


class ClusterCorrection(Base):
    """A grouping decision the creator made by hand: a merge of `source` into `target` (one
    row per message it moved, in `message_id`, so an undo knows what to move back), or a
    move of `message_id` from `source` to `target`. Re-grouping reads these back: a target
    is never split, and a moved message is kept apart from the members it left
    (`KeptApart`), so the background job never undoes what the creator decided."""

    __tablename__ = "cluster_corrections"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    creator_id: Mapped[uuid.UUID] = mapped_column(_creator_fk(), index=True)
    kind: Mapped[CorrectionKind] = mapped_column(pg_enum(CorrectionKind, "correction_kind"))
    source_cluster_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("clusters.id", ondelete="CASCADE")
    )
    target_cluster_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("clusters.id", ondelete="CASCADE")
    )
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class KeptApart(Base):
    """One member of the cluster a message was moved out of, at the time of the move: the
    moved message and this one are never put in one cluster again by a re-grouping."""

    __tablename__ = "kept_apart"

    correction_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("cluster_corrections.id", ondelete="CASCADE"), primary_key=True
    )
    message_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )


class Delivery(Timestamped, Base):
    """One channel's copy of a bulk reply; retried until delivered, never sent twice."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.UniqueConstraint("cluster_id", "channel_id", name="uq_deliveries_cluster_channel"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    cluster_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("clusters.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("channels.id", ondelete="CASCADE"))
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        pg_enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.pending
    )
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    external_id: Mapped[str | None] = mapped_column(sa.Text)
    delivered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class SavedReply(Timestamped, Base):
    """A reply the creator sent to a cluster, kept to suggest for similar future questions."""

    __tablename__ = "saved_replies"
    __table_args__ = (
        sa.Index(
            "ix_saved_replies_embedding_hnsw",
            "question_embedding",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"question_embedding": "vector_cosine_ops"},
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    creator_id: Mapped[uuid.UUID] = mapped_column(_creator_fk(), index=True)
    cluster_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("clusters.id", ondelete="SET NULL")
    )
    question_text: Mapped[str] = mapped_column(sa.Text)
    question_embedding: Mapped[Any] = mapped_column(Vector(DIMENSIONS))
    response_text: Mapped[str] = mapped_column(sa.Text)
    use_count: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    last_used_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class WebhookEvent(Base):
    """A webhook event already handled, remembered by the digest of its signed body while
    its timestamp is still accepted: the same captured event sent again is refused, and once
    it is forgotten its timestamp is too old to be accepted (`sift.inbox.webhooks`)."""

    __tablename__ = "webhook_events"

    digest: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), index=True
    )


class InboundMessage(BaseModel):
    """A fan's message as every entry point hands it to ingest (webhook, GraphQL, CLI).

    `creator` and `channel` are the ids the chat platform knows (GetStream user id of the
    creator and channel cid); Sift keys its own rows by them, so a replayed event finds the
    rows it created the first time.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    creator: str = Field(min_length=1, max_length=200)
    channel: str = Field(min_length=1, max_length=200)
    external_id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20_000)
    is_paid_dm: StrictBool = False
    """Only JSON `true` or `false`: the string "false" is no paid DM, and no guess is made."""
    sender_id: str | None = None
    visitor_name: str | None = None
    visitor_avatar_url: str | None = None
    created_at: AwareDatetime | None = None
    raw: dict[str, Any] = Field(default_factory=dict)

    @field_validator("created_at", mode="before")
    @classmethod
    def _naive_is_utc(cls, value: Any) -> Any:
        """A time without a zone is UTC, as the platform's are."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        if isinstance(value, str) and value and _NO_ZONE.fullmatch(value.strip()):
            return value.strip() + "+00:00"
        return value

    @field_validator("created_at")
    @classmethod
    def _plausible_time(cls, value: datetime | None) -> datetime | None:
        """Between 1970 and a day ahead: a year-1 time with a +14:00 offset is a BC date in
        PostgreSQL that no page can read back, and a far-future one would stay its channel's
        newest message for ever, superseding every real one."""
        if value is None:
            return None
        latest = datetime.now(UTC) + MAX_FUTURE
        if not EARLIEST <= value <= latest:
            raise ValueError("must be between 1970-01-01 and one day from now (UTC)")
        return value

    @model_validator(mode="after")
    def _no_nul_characters(self) -> InboundMessage:
        """PostgreSQL stores no NUL character in text or JSONB: refuse it at the edge with a
        clear reason instead of failing half-way through an ingest."""
        if _has_nul(self.model_dump()):
            raise ValueError("fields must not contain NUL (\\u0000) characters")
        return self


def first_problem(error: ValidationError) -> str:
    """What is wrong with a refused message, as one line (`field: reason`), for every edge
    that validates one: the webhook, GraphQL and the CLI's file."""
    first = error.errors()[0]
    return f"{'.'.join(map(str, first['loc'])) or '<message>'}: {first['msg']}"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False
