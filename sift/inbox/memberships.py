"""The inbox's ground rules, shared by every service module (seed 002): errors, lookups, the
creator's lock, which memberships count, and every change of a membership's status.

Plain functions over a session; the caller (a request, a workflow step, the CLI) owns the
transaction, so every function here only flushes. Creators and channels are addressed by
the ids the chat platform knows (`external_id`), clusters and messages by Sift's UUIDs.

Two invariants the origin POC leaked on, kept here in one place each:
- only `active` memberships are ever matched, counted or answered (`_active_members`);
- a cluster left with no active membership closes as `empty` at once (`refresh_clusters`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import fields, replace
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from pgvector.sqlalchemy import Vector
from sqlalchemy.orm import Session

from sift.ai.embeddings import DIMENSIONS
from sift.config import get_settings
from sift.db import utcnow
from sift.errors import NotFound, SiftError
from sift.inbox import clustering
from sift.inbox.models import (
    Channel,
    Cluster,
    ClusterMessage,
    ClusterStatus,
    Creator,
    MembershipStatus,
    Message,
    SavedReply,
)

ACTIVE = MembershipStatus.active
LOCK_CREATOR_KEY = 7310002
"""The namespace of the per-creator advisory locks."""
LOCK_CREATOR = f"SELECT pg_advisory_xact_lock({LOCK_CREATOR_KEY}, hashtext(%(creator)s))"
"""The per-creator advisory lock: a fixed namespace key and the hash of the creator's id."""


class InboxError(SiftError):
    """Base of the inbox's user-facing errors."""


class ClusterNotFound(InboxError, NotFound):
    pass


class MessageNotFound(InboxError, NotFound):
    pass


class CreatorNotFound(InboxError, NotFound):
    pass


class ClusterNotOpen(InboxError):
    """The cluster was already answered or emptied; answering it again would double-send."""


class AudienceChanged(InboxError):
    """The cluster gained or lost channels after the creator confirmed whom a reply goes to."""


class InvalidStrictness(InboxError):
    pass


# --- shared with ingest ---------------------------------------------------------------------


def clustering_params(
    strictness: float | None = None, calibrated: float | None = None
) -> clustering.ClusteringParams:
    """The thresholds every decision for a creator uses: those of the creator's strictness
    (None: the similarity calibrated on their inbox, or the tuned default before it is
    calibrated), each overridable by its `SIFT_CLUSTER_*` setting."""
    settings = get_settings()
    overrides = {
        f.name: value
        for f in fields(clustering.ClusteringParams)
        if (value := getattr(settings, f"cluster_{f.name}", None)) is not None
    }
    return replace(clustering.params_for(strictness, inbox_model(), calibrated), **overrides)


def creator_params(creator: Creator) -> clustering.ClusteringParams:
    """`clustering_params` of a creator's own strictness and calibration."""
    return clustering_params(creator.grouping_strictness, creator.calibrated_similarity)


def inbox_model() -> str:
    """The strictness scale to use: that of the local inbox model, or the stock model's for
    an API embedder (the closest guess; `SIFT_CLUSTER_*` settings can correct it)."""
    settings = get_settings()
    return settings.inbox_embedding_model if settings.embedding_provider == "local" else "minilm"


def default_strictness(creator: Creator | None = None) -> float:
    """Where the default sits on the strictness scale: the scale's tuned default, or, once
    the creator's inbox is calibrated, the strictness whose similarity is the calibrated
    one (so the slider shows what the automatic setting does)."""
    scale = clustering.STRICTNESS_SCALES[inbox_model()]
    if creator is None or creator.calibrated_similarity is None:
        return scale.default
    return round(scale.strictness_of(creator.calibrated_similarity), 2)


def lock_creator(session: Session, creator_external_id: str) -> None:
    """Serialise everything that changes a creator's memberships until the transaction
    ends: two concurrent messages cannot both open a cluster for the same question, and an
    ingest never adds a member to a cluster that a reply, removal or delete is closing (its
    cluster choice would be stale, and the message stranded in an answered cluster)."""
    session.connection().exec_driver_sql(LOCK_CREATOR, {"creator": creator_external_id})


def lock_creators(session: Session, creator_external_ids: Iterable[str]) -> None:
    """Several creators' locks, always in one order, so two such transactions cannot wait
    on each other."""
    for creator in sorted(set(creator_external_ids)):
        lock_creator(session, creator)


def lock_owner_of_cluster(session: Session, cluster_id: uuid.UUID | str) -> None:
    lock_creator(session, creator_external_id_of_cluster(session, cluster_id))


def locked_cluster_or_raise(session: Session, cluster_id: uuid.UUID | str) -> Cluster:
    """The cluster as it is once its creator's lock is held (read again, not the copy
    loaded to find the owner), so checks made on it hold until the transaction ends."""
    lock_owner_of_cluster(session, cluster_id)
    return session.get_one(Cluster, parse_uuid(cluster_id, "cluster"), populate_existing=True)


def supersede_channel(session: Session, channel_id: uuid.UUID) -> set[uuid.UUID]:
    """One message per channel: before a new message is stored, the channel's earlier active
    memberships stop counting and are never matched again. Returns the clusters touched."""
    in_channel = sa.and_(ClusterMessage.message_id == Message.id, Message.channel_id == channel_id)
    return set_membership_status(session, in_channel, MembershipStatus.superseded)


def cluster_of_message(session: Session, message_id: uuid.UUID) -> uuid.UUID | None:
    """The cluster a message was placed in (whatever its membership's status is now)."""
    return session.scalars(
        sa.select(ClusterMessage.cluster_id).where(ClusterMessage.message_id == message_id)
    ).first()


# --- membership changes ---------------------------------------------------------------------


def set_membership_status(
    session: Session, which: sa.ColumnElement[bool], status: MembershipStatus
) -> set[uuid.UUID]:
    """Move the matching *active* memberships to `status` (their messages stop being
    matchable in the same step); returns the clusters touched."""
    changed = session.execute(
        sa.update(ClusterMessage)
        .where(which, ClusterMessage.status == ACTIVE)
        .values(status=status, updated_at=utcnow())
        .returning(ClusterMessage.cluster_id, ClusterMessage.message_id)
    ).all()
    if changed:
        session.execute(
            sa.update(Message)
            .where(Message.id.in_([m for _, m in changed]))
            .values(matchable_cluster_id=None)
        )
    return {c for c, _ in changed}


def refresh_clusters(session: Session, cluster_ids: Iterable[uuid.UUID]) -> None:
    """Recompute member count and centroid from the active members, and close a cluster
    that has none left as `empty` — at once, not only when the periodic sweep comes by."""
    for cluster_id in cluster_ids:
        count, mean = session.execute(
            sa.select(sa.func.count(), sa.func.avg(Message.embedding, type_=Vector(DIMENSIONS)))
            .select_from(ClusterMessage)
            .join(Message, Message.id == ClusterMessage.message_id)
            .where(ClusterMessage.cluster_id == cluster_id, ClusterMessage.status == ACTIVE)
        ).one()
        cluster = session.get_one(Cluster, cluster_id)
        cluster.member_count = int(count)
        if count:
            cluster.centroid = np.asarray(mean, dtype=np.float32)
        elif cluster.status is ClusterStatus.open:
            cluster.status = ClusterStatus.empty
    session.flush()


def move_members(
    session: Session,
    source: uuid.UUID,
    target: uuid.UUID,
    *,
    message_ids: Sequence[uuid.UUID] | None,
) -> None:
    """Move active memberships between clusters; the emptied source closes as `empty`."""
    which = sa.and_(ClusterMessage.cluster_id == source, ClusterMessage.status == ACTIVE)
    if message_ids is not None:
        which = sa.and_(which, ClusterMessage.message_id.in_(message_ids))
    moved = session.scalars(
        sa.update(ClusterMessage)
        .where(which)
        .values(cluster_id=target, updated_at=utcnow())
        .returning(ClusterMessage.message_id)
    ).all()
    session.execute(
        sa.update(Message)
        .where(Message.id.in_(moved), Message.matchable_cluster_id.is_not(None))
        .values(matchable_cluster_id=target)
    )
    refresh_clusters(session, [source, target])


def close_empty_clusters(session: Session) -> int:
    """The sweep behind the immediate rule: any open cluster with no active membership
    (left by a crash, a bulk delete, an old bug) closes as `empty`."""
    has_active = (
        sa.select(ClusterMessage.cluster_id)
        .where(ClusterMessage.cluster_id == Cluster.id, ClusterMessage.status == ACTIVE)
        .exists()
    )
    closed = session.execute(
        sa.update(Cluster)
        .where(Cluster.status == ClusterStatus.open, ~has_active)
        .values(status=ClusterStatus.empty, member_count=0, updated_at=utcnow())
        .returning(Cluster.id)
    ).all()
    return len(closed)


def remove_cluster_message(
    session: Session, *, cluster_id: uuid.UUID, message_id: uuid.UUID
) -> bool:
    """The creator takes one message out of a cluster (`removed`); False if it was not active."""
    lock_owner_of_cluster(session, cluster_id)
    touched = set_membership_status(
        session,
        sa.and_(ClusterMessage.cluster_id == cluster_id, ClusterMessage.message_id == message_id),
        MembershipStatus.removed,
    )
    refresh_clusters(session, touched)
    return bool(touched)


def mark_channel_replied(
    session: Session, *, creator_external_id: str, channel_external_id: str
) -> int:
    """The creator answered this channel outside Sift: its unanswered messages get
    `replied_at` and leave their clusters as `externally_handled`. Returns messages marked."""
    lock_creator(session, creator_external_id)
    channel = get_channel_or_raise(session, creator_external_id, channel_external_id)
    in_channel = sa.select(Message.id).where(Message.channel_id == channel.id)
    touched = set_membership_status(
        session, ClusterMessage.message_id.in_(in_channel), MembershipStatus.externally_handled
    )
    marked = session.execute(
        sa.update(Message)
        .where(Message.channel_id == channel.id, Message.replied_at.is_(None))
        .values(replied_at=utcnow())
        .returning(Message.id)
    ).all()
    refresh_clusters(session, touched)
    return len(marked)


def delete_message(session: Session, *, creator_external_id: str, external_message_id: str) -> bool:
    """Upstream deletion of one of the creator's messages (ids are per creator, so another
    creator's message with the same id stays): soft delete (kept for audit) and out of its
    cluster. A deleted message leaves as `removed`, the status for "no longer to be
    answered here". False when the creator has no message with that id."""
    lock_creator(session, creator_external_id)
    creator = get_creator(session, creator_external_id)
    if creator is None:
        return False
    which = sa.and_(
        Message.creator_id == creator.id, Message.external_message_id == external_message_id
    )
    if session.scalar(sa.select(Message.id).where(which)) is None:
        return False
    _soft_delete(session, which)
    return True


def creator_of_channel(session: Session, *, channel_external_id: str) -> str | None:
    """The creator whose inbox holds the channel, when exactly one does: a GetStream
    `message.deleted` names its channel but not always the channel's custom fields."""
    owners = session.scalars(
        sa.select(Creator.external_id)
        .join(Channel, Channel.creator_id == Creator.id)
        .where(Channel.external_id == channel_external_id)
        .limit(2)
    ).all()
    return owners[0] if len(owners) == 1 else None


def delete_channel(
    session: Session, *, channel_external_id: str, up_to: datetime | None = None
) -> int:
    """Upstream channel deletion: every message of the channel, for any creator. With
    `up_to` (when the deletion happened) only messages sent by then go: a late or replayed
    deletion never removes what the fan wrote afterwards, and the channel stays open."""
    lock_creators(
        session,
        session.scalars(
            sa.select(Creator.external_id)
            .join(Channel, Channel.creator_id == Creator.id)
            .where(Channel.external_id == channel_external_id)
        ),
    )
    channels = session.scalars(
        sa.select(Channel).where(Channel.external_id == channel_external_id)
    ).all()
    ids = [c.id for c in channels]
    if not ids:
        return 0
    sent_by = Message.created_at <= up_to if up_to is not None else sa.true()
    deleted = _soft_delete(session, sa.and_(Message.channel_id.in_(ids), sent_by))
    later = set(
        session.scalars(
            sa.select(Message.channel_id).where(
                Message.channel_id.in_(ids), Message.deleted_at.is_(None)
            )
        )
    )
    for channel in channels:
        if channel.id not in later:
            channel.deleted_at = channel.deleted_at or utcnow()
    return deleted


def delete_visitor(session: Session, *, visitor_id: str, up_to: datetime | None = None) -> int:
    """A fan's account was deleted: every channel they had with any creator goes (up to
    `up_to`, as `delete_channel`)."""
    theirs = session.execute(
        sa.select(Channel.external_id, Creator.external_id)
        .join(Creator, Creator.id == Channel.creator_id)
        .where(Channel.visitor_id == visitor_id)
    ).all()
    lock_creators(session, (creator for _, creator in theirs))
    cids = sorted({cid for cid, _ in theirs})
    return sum(delete_channel(session, channel_external_id=cid, up_to=up_to) for cid in cids)


def _soft_delete(session: Session, which: sa.ColumnElement[bool]) -> int:
    ids = session.scalars(
        sa.update(Message)
        .where(which, Message.deleted_at.is_(None))
        .values(deleted_at=utcnow())
        .returning(Message.id)
    ).all()
    if ids:
        touched = set_membership_status(
            session, ClusterMessage.message_id.in_(ids), MembershipStatus.removed
        )
        refresh_clusters(session, touched)
    return len(ids)


def delete_creator_data(
    session: Session, *, creator_external_id: str, up_to: datetime | None = None
) -> bool:
    """The seed's "user deleted": the creator and, by cascade, every channel, message,
    cluster, delivery and saved reply of theirs. Nothing is kept.

    With `up_to` (when the deletion happened), messages sent after it are not the deleted
    account's past: while any exist, only what existed by then is deleted (messages, their
    emptied channels and clusters, saved replies) and the creator stays."""
    lock_creator(session, creator_external_id)
    creator = get_creator(session, creator_external_id)
    if creator is None:
        return False
    if up_to is not None and session.scalar(
        sa.select(Message.id)
        .where(Message.creator_id == creator.id, Message.created_at > up_to)
        .limit(1)
    ):
        _delete_creator_past(session, creator.id, up_to)
        return True
    session.execute(sa.delete(Creator).where(Creator.id == creator.id))
    return True


def _delete_creator_past(session: Session, creator_id: uuid.UUID, up_to: datetime) -> None:
    past = sa.and_(Message.creator_id == creator_id, Message.created_at <= up_to)
    touched = set(
        session.scalars(
            sa.select(ClusterMessage.cluster_id)
            .join(Message, Message.id == ClusterMessage.message_id)
            .where(past)
        )
    )
    session.execute(sa.delete(Message).where(past))
    session.execute(
        sa.delete(Channel).where(
            Channel.creator_id == creator_id,
            ~sa.select(Message.id).where(Message.channel_id == Channel.id).exists(),
        )
    )
    session.execute(
        sa.delete(SavedReply).where(
            SavedReply.creator_id == creator_id, SavedReply.created_at <= up_to
        )
    )
    members = sa.select(ClusterMessage.message_id).where(ClusterMessage.cluster_id == Cluster.id)
    session.execute(sa.delete(Cluster).where(Cluster.id.in_(touched), ~members.exists()))
    session.expire_all()
    refresh_clusters(
        session, list(session.scalars(sa.select(Cluster.id).where(Cluster.id.in_(touched))))
    )


# --- lookups and authorisation helpers ------------------------------------------------------


def get_creator(session: Session, external_id: str) -> Creator | None:
    return session.scalars(
        sa.select(Creator).where(Creator.external_id == external_id)
    ).one_or_none()


def get_creator_or_raise(session: Session, external_id: str) -> Creator:
    creator = get_creator(session, external_id)
    if creator is None:
        raise CreatorNotFound(f"no creator {external_id!r} has sent or received messages")
    return creator


def get_channel_or_raise(
    session: Session, creator_external_id: str, channel_external_id: str
) -> Channel:
    channel = session.scalars(
        sa.select(Channel)
        .join(Creator, Creator.id == Channel.creator_id)
        .where(
            Creator.external_id == creator_external_id,
            Channel.external_id == channel_external_id,
        )
    ).one_or_none()
    if channel is None:
        raise InboxError(f"creator {creator_external_id!r} has no channel {channel_external_id!r}")
    return channel


def get_cluster_or_raise(session: Session, cluster_id: uuid.UUID | str) -> Cluster:
    cluster = session.get(Cluster, parse_uuid(cluster_id, "cluster"))
    if cluster is None:
        raise ClusterNotFound(f"no cluster {cluster_id}")
    return cluster


def creator_external_id_of_cluster(session: Session, cluster_id: uuid.UUID | str) -> str:
    """Who owns a cluster, in the form creator tokens carry (the external id)."""
    cluster = get_cluster_or_raise(session, cluster_id)
    return session.get_one(Creator, cluster.creator_id).external_id


def parse_uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise InboxError(f"{what} id {value!r} is not a UUID") from None
