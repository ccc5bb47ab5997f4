"""The creator inbox: ingest, cluster rules, queries and the bulk reply (seed 002).

Plain functions over a session; the caller (a request, a workflow step, the CLI) owns the
transaction, so every function here only flushes. Creators and channels are addressed by
the ids the chat platform knows (`external_id`), clusters and messages by Sift's UUIDs.

Two invariants the origin POC leaked on, kept here in one place each:
- only `active` memberships are ever matched, counted or answered (`_active_members`);
- a cluster left with no active membership closes as `empty` at once (`refresh_clusters`).
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from pgvector.sqlalchemy import Vector
from sqlalchemy.orm import Session, aliased

from sift import db
from sift.ai.embeddings import DIMENSIONS
from sift.config import get_settings
from sift.db import utcnow
from sift.errors import NotFound, SiftError
from sift.inbox import calibration, clustering, summaries
from sift.inbox.models import (
    Channel,
    Cluster,
    ClusterCorrection,
    ClusterMessage,
    ClusterStatus,
    CorrectionKind,
    Creator,
    Delivery,
    DeliveryStatus,
    KeptApart,
    MembershipStatus,
    Message,
    SavedReply,
)

log = logging.getLogger(__name__)

ACTIVE = MembershipStatus.active
LOCK_CREATOR_KEY = 7310002
"""The namespace of the per-creator advisory locks."""
LOCK_CREATOR = f"SELECT pg_advisory_xact_lock({LOCK_CREATOR_KEY}, hashtext(%(creator)s))"
"""The per-creator advisory lock: a fixed namespace key and the hash of the creator's id."""
REPLY_LOCK = timedelta(minutes=10)
"""How long opening a cluster for reply keeps the background re-grouping away from it."""
SUGGESTION_MIN_SIMILARITY = 0.6
"""Saved replies whose question is less similar than this to a cluster are not offered."""
SUGGESTIONS = 3
SAME_REPLY_SIMILARITY = 0.8
"""A reply reused for a question this close to its first one counts as the same reply."""


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


def _lock_creators(session: Session, creator_external_ids: Iterable[str]) -> None:
    """Several creators' locks, always in one order, so two such transactions cannot wait
    on each other."""
    for creator in sorted(set(creator_external_ids)):
        lock_creator(session, creator)


def _lock_owner_of_cluster(session: Session, cluster_id: uuid.UUID | str) -> None:
    lock_creator(session, creator_external_id_of_cluster(session, cluster_id))


def _locked_cluster_or_raise(session: Session, cluster_id: uuid.UUID | str) -> Cluster:
    """The cluster as it is once its creator's lock is held (read again, not the copy
    loaded to find the owner), so checks made on it hold until the transaction ends."""
    _lock_owner_of_cluster(session, cluster_id)
    return session.get_one(Cluster, parse_uuid(cluster_id, "cluster"), populate_existing=True)


def supersede_channel(session: Session, channel_id: uuid.UUID) -> set[uuid.UUID]:
    """One message per channel: before a new message is stored, the channel's earlier active
    memberships stop counting and are never matched again. Returns the clusters touched."""
    in_channel = sa.and_(ClusterMessage.message_id == Message.id, Message.channel_id == channel_id)
    return _set_membership_status(session, in_channel, MembershipStatus.superseded)


def cluster_of_message(session: Session, message_id: uuid.UUID) -> uuid.UUID | None:
    """The cluster a message was placed in (whatever its membership's status is now)."""
    return session.scalars(
        sa.select(ClusterMessage.cluster_id).where(ClusterMessage.message_id == message_id)
    ).first()


# --- membership changes ---------------------------------------------------------------------


def _set_membership_status(
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
    _lock_owner_of_cluster(session, cluster_id)
    touched = _set_membership_status(
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
    touched = _set_membership_status(
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


def delete_message(session: Session, *, external_message_id: str) -> bool:
    """Upstream deletion: soft delete (kept for audit) and out of its cluster. A deleted
    message leaves as `removed`, the status for "no longer to be answered here"."""
    owner = creator_external_id_of_message(session, external_message_id)
    if owner is None:
        return False
    lock_creator(session, owner)
    _soft_delete(session, Message.external_message_id == external_message_id)
    return True


def delete_channel(
    session: Session, *, channel_external_id: str, up_to: datetime | None = None
) -> int:
    """Upstream channel deletion: every message of the channel, for any creator. With
    `up_to` (when the deletion happened) only messages sent by then go: a late or replayed
    deletion never removes what the fan wrote afterwards, and the channel stays open."""
    _lock_creators(
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
    _lock_creators(session, (creator for _, creator in theirs))
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
        touched = _set_membership_status(
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


def creator_external_id_of_message(session: Session, external_message_id: str) -> str | None:
    return session.scalars(
        sa.select(Creator.external_id)
        .join(Message, Message.creator_id == Creator.id)
        .where(Message.external_message_id == external_message_id)
    ).one_or_none()


def parse_uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise InboxError(f"{what} id {value!r} is not a UUID") from None


# --- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberView:
    message_id: uuid.UUID
    external_message_id: str
    channel_external_id: str
    visitor_id: str | None
    visitor_name: str | None
    avatar_url: str | None
    text: str
    created_at: datetime
    status: MembershipStatus


@dataclass(frozen=True)
class ClusterView:
    """What the creator sees of a cluster: only the members that count."""

    id: uuid.UUID
    creator_external_id: str
    status: ClusterStatus
    is_paid: bool
    fan_count: int
    channel_count: int
    message_count: int
    preview_text: str
    representative: str
    others: int
    avatars: list[str]
    summary_label: str | None
    summary_description: str | None
    response_text: str | None
    replied_at: datetime | None
    locked_until: datetime | None
    created_at: datetime
    members: list[MemberView] = field(default_factory=list)
    unread: bool = False
    """A message newer than the creator's last visit of the cluster (or no visit yet)."""

    @property
    def visitors_line(self) -> str:
        """ "Ana and 4 others" — the way the inbox names who asked."""
        if self.others <= 0:
            return self.representative
        return f"{self.representative} and {self.others} other{'s' if self.others != 1 else ''}"


def counted_status(cluster_status: ClusterStatus) -> MembershipStatus:
    """Open (and empty) clusters count their active members; an answered cluster counts the
    members its reply went to, so its history still reads "sent to 12 channels"."""
    if cluster_status is ClusterStatus.actioned:
        return MembershipStatus.actioned
    return ACTIVE


def list_clusters(
    session: Session,
    *,
    creator_external_id: str | None,
    status: ClusterStatus | None = ClusterStatus.open,
    min_channel_count: int = 1,
    search: str | None = None,
    limit: int = 200,
) -> list[ClusterView]:
    """Clusters of a creator (every creator's when None): paid DMs first, then biggest
    first. Counting and ranking happen in SQL, so a big cluster is found however many newer
    small ones exist. `search` keeps the clusters whose label or a counted message's text
    contains it (any case)."""
    counted = sa.or_(
        sa.and_(
            Cluster.status == ClusterStatus.actioned,
            ClusterMessage.status == MembershipStatus.actioned,
        ),
        sa.and_(Cluster.status != ClusterStatus.actioned, ClusterMessage.status == ACTIVE),
    )
    channels = sa.func.count(sa.distinct(Message.channel_id)).filter(
        counted, Message.deleted_at.is_(None)
    )
    query = (
        sa.select(Cluster, Creator.external_id)
        .join(Creator, Creator.id == Cluster.creator_id)
        .outerjoin(ClusterMessage, ClusterMessage.cluster_id == Cluster.id)
        .outerjoin(Message, Message.id == ClusterMessage.message_id)
        .group_by(Cluster.id, Creator.external_id)
        .having(channels >= min_channel_count)
        .order_by(Cluster.is_paid.desc(), channels.desc(), Cluster.created_at.desc())
        .limit(limit)
    )
    if search and search.strip():
        query = query.where(_matches(search.strip()))
    if creator_external_id is not None:
        query = query.where(Creator.external_id == creator_external_id)
    if status is not None:
        query = query.where(Cluster.status == status)
    rows = session.execute(query).all()
    members = _members_of(session, [(c.id, counted_status(c.status)) for c, _ in rows])
    return [_view(cluster, owner, members.get(cluster.id, [])) for cluster, owner in rows]


def _matches(search: str) -> sa.ColumnElement[bool]:
    """The cluster's label, or the text of one of its counted messages, contains `search`
    (wildcards in it are taken literally)."""
    pattern = db.contains_pattern(search)
    member = aliased(ClusterMessage)
    text = aliased(Message)
    in_a_message = (
        sa.select(member.message_id)
        .join(text, text.id == member.message_id)
        .where(
            member.cluster_id == Cluster.id,
            member.status.in_([ACTIVE, MembershipStatus.actioned]),
            text.deleted_at.is_(None),
            text.text.ilike(pattern, escape="\\"),
        )
        .exists()
    )
    return sa.or_(Cluster.summary_label.ilike(pattern, escape="\\"), in_a_message)


def mark_seen(session: Session, cluster_id: uuid.UUID | str) -> None:
    """The creator opened the cluster: what it holds now is read. Not an edit of the
    cluster, so `updated_at` stays as it was."""
    session.execute(
        sa.update(Cluster)
        .where(Cluster.id == parse_uuid(cluster_id, "cluster"))
        .values(seen_at=sa.func.now(), updated_at=Cluster.updated_at)
    )


def cluster_view(session: Session, cluster_id: uuid.UUID | str) -> ClusterView:
    cluster = get_cluster_or_raise(session, cluster_id)
    owner = session.get_one(Creator, cluster.creator_id).external_id
    members = _members_of(session, [(cluster.id, counted_status(cluster.status))])
    return _view(cluster, owner, members.get(cluster.id, []))


def _members_of(
    session: Session, wanted: Sequence[tuple[uuid.UUID, MembershipStatus]]
) -> dict[uuid.UUID, list[MemberView]]:
    if not wanted:
        return {}
    pairs = [
        sa.and_(ClusterMessage.cluster_id == cid, ClusterMessage.status == status)
        for cid, status in wanted
    ]
    rows = session.execute(
        sa.select(ClusterMessage.cluster_id, ClusterMessage.status, Message, Channel)
        .join(Message, Message.id == ClusterMessage.message_id)
        .join(Channel, Channel.id == Message.channel_id)
        .where(sa.or_(*pairs), Message.deleted_at.is_(None))
        .order_by(Message.created_at)
    ).all()
    out: dict[uuid.UUID, list[MemberView]] = {}
    for cluster_id, status, message, channel in rows:
        out.setdefault(cluster_id, []).append(_member_view(status, message, channel))
    return out


def _member_view(status: MembershipStatus, message: Message, channel: Channel) -> MemberView:
    return MemberView(
        message_id=message.id,
        external_message_id=message.external_message_id,
        channel_external_id=channel.external_id,
        visitor_id=channel.visitor_id or message.sender_id,
        visitor_name=channel.visitor_name or _sender(message.raw, "name"),
        avatar_url=_sender(message.raw, "image") or channel.visitor_avatar_url,
        text=message.text,
        created_at=message.created_at,
        status=status,
    )


def _sender(raw: Any, key: str) -> str | None:
    """A field of the sender as the chat platform described it (GetStream puts the user at
    the top or inside `message`). Payloads are kept as received, so any other shape reads
    as absent rather than breaking the inbox."""
    for holder in (raw, raw.get("message") if isinstance(raw, dict) else None):
        user = holder.get("user") if isinstance(holder, dict) else None
        value = user.get(key) if isinstance(user, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def _view(cluster: Cluster, owner: str, members: list[MemberView]) -> ClusterView:
    audience = audience_of(members)
    first = members[0] if members else None
    avatars = list(dict.fromkeys(m.avatar_url for m in members if m.avatar_url))
    newest = max((m.created_at for m in members), default=None)
    return ClusterView(
        id=cluster.id,
        creator_external_id=owner,
        status=cluster.status,
        is_paid=cluster.is_paid,
        fan_count=audience.fans,
        channel_count=audience.channels,
        message_count=len(members),
        preview_text=first.text if first else "",
        representative=(first.visitor_name or first.channel_external_id) if first else "",
        others=max(audience.channels - 1, 0),
        avatars=avatars[:5],
        summary_label=cluster.summary_label,
        summary_description=cluster.summary_description,
        response_text=cluster.response_text,
        replied_at=cluster.replied_at,
        locked_until=cluster.locked_until,
        created_at=cluster.created_at,
        members=members,
        unread=newest is not None and (cluster.seen_at is None or newest > cluster.seen_at),
    )


# --- the bulk reply ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Whom a cluster's reply goes to: what the creator confirms before sending."""

    fans: int
    channels: int
    messages: int


def audience_of(members: Sequence[MemberView]) -> Audience:
    """A fan is the platform's user where known, else their channel (one fan per channel)."""
    return Audience(
        fans=len({m.visitor_id or m.channel_external_id for m in members}),
        channels=len({m.channel_external_id for m in members}),
        messages=len(members),
    )


def prepare_reply(session: Session, *, cluster_id: uuid.UUID | str, response_text: str) -> Audience:
    """The confirmation step of a reply: check it could be sent, open the cluster for reply
    (re-grouping keeps away until it is sent) and say whom it would reach."""
    _reply_text_or_raise(response_text)
    cluster = open_for_reply(session, cluster_id)
    return audience_of(_active_members_or_raise(session, cluster))


def _reply_text_or_raise(response_text: str) -> str:
    text = response_text.strip()
    if not text:
        raise InboxError("the reply is empty")
    return text


def _active_members_or_raise(session: Session, cluster: Cluster) -> list[MemberView]:
    """The members a reply to this cluster would answer; none when it is not open."""
    if cluster.status is not ClusterStatus.open:
        raise ClusterNotOpen(f"cluster {cluster.id} is {cluster.status.value}, not open")
    members = _members_of(session, [(cluster.id, ACTIVE)]).get(cluster.id, [])
    if not members:
        raise ClusterNotOpen(f"cluster {cluster.id} has no active message left to answer")
    return members


def open_for_reply(session: Session, cluster_id: uuid.UUID | str) -> Cluster:
    """The creator opened the cluster to answer it: background re-grouping keeps its
    members where they are until the lock runs out. Taken under the creator's lock, so a
    re-grouping that planned without this cluster locked has finished first."""
    cluster = _locked_cluster_or_raise(session, cluster_id)
    if cluster.status is ClusterStatus.open:
        cluster.locked_until = utcnow() + REPLY_LOCK
        session.flush()
    return cluster


@dataclass(frozen=True)
class ActionResult:
    cluster_id: uuid.UUID
    messages: int
    deliveries: int


def action_cluster(
    session: Session,
    *,
    cluster_id: uuid.UUID | str,
    response_text: str,
    expected_channels: int | None = None,
) -> ActionResult:
    """Answer every active member at once: store the reply, mark memberships `actioned`,
    set `replied_at`, stage one delivery per channel and keep the reply for suggestions.
    Sending happens afterwards, channel by channel, in `flows.deliver_cluster_reply`.

    `expected_channels` is the count the creator confirmed (`prepare_reply`): a fan who
    wrote (or left) since then changes whom the reply reaches, so nothing is sent and the
    creator is asked again."""
    text = _reply_text_or_raise(response_text)
    _lock_owner_of_cluster(session, cluster_id)
    cluster = session.scalars(
        sa.select(Cluster)
        .where(Cluster.id == parse_uuid(cluster_id, "cluster"))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if cluster is None:
        raise ClusterNotFound(f"no cluster {cluster_id}")
    members = _active_members_or_raise(session, cluster)
    audience = audience_of(members)
    if expected_channels is not None and audience.channels != expected_channels:
        raise AudienceChanged(
            f"the cluster changed since you confirmed: the reply would now go to "
            f"{audience.fans} fan(s) in {audience.channels} channel(s); confirm again"
        )
    message_ids = [m.message_id for m in members]
    _set_membership_status(
        session, ClusterMessage.message_id.in_(message_ids), MembershipStatus.actioned
    )
    now = utcnow()
    session.execute(sa.update(Message).where(Message.id.in_(message_ids)).values(replied_at=now))
    cluster.status = ClusterStatus.actioned
    cluster.response_text = text
    cluster.replied_at = now
    cluster.locked_until = None
    deliveries = _stage_deliveries(session, cluster, message_ids, text)
    _save_reply(session, cluster, members[0].text, text)
    session.flush()
    return ActionResult(cluster.id, len(message_ids), deliveries)


def _stage_deliveries(
    session: Session, cluster: Cluster, message_ids: list[uuid.UUID], text: str
) -> int:
    """One delivery per channel (its latest answered message), never two for one channel."""
    latest = session.execute(
        sa.select(Message.channel_id, sa.func.max(Message.created_at))
        .where(Message.id.in_(message_ids))
        .group_by(Message.channel_id)
    ).all()
    for channel_id, _ in latest:
        message_id = session.scalars(
            sa.select(Message.id)
            .where(Message.id.in_(message_ids), Message.channel_id == channel_id)
            .order_by(Message.created_at.desc())
            .limit(1)
        ).one()
        session.add(
            Delivery(cluster_id=cluster.id, channel_id=channel_id, message_id=message_id, text=text)
        )
    return len(latest)


def _save_reply(session: Session, cluster: Cluster, question: str, response: str) -> None:
    """Remember the reply for similar future clusters; reusing the same words for the same
    kind of question counts as one more use rather than a new suggestion."""
    centroid = np.asarray(cluster.centroid, dtype=np.float32)
    same = session.scalars(
        sa.select(SavedReply)
        .where(
            SavedReply.creator_id == cluster.creator_id,
            SavedReply.response_text == response,
            SavedReply.question_embedding.cosine_distance(centroid) <= 1 - SAME_REPLY_SIMILARITY,
        )
        .limit(1)
    ).first()
    if same is not None:
        same.use_count += 1
        same.last_used_at = utcnow()
        return
    session.add(
        SavedReply(
            creator_id=cluster.creator_id,
            cluster_id=cluster.id,
            question_text=question,
            question_embedding=centroid,
            response_text=response,
            last_used_at=utcnow(),
        )
    )


@dataclass(frozen=True)
class Suggestion:
    response_text: str
    question_text: str
    similarity: float
    use_count: int
    last_used_at: datetime


def suggest_responses(session: Session, cluster_id: uuid.UUID | str) -> list[Suggestion]:
    """Past replies to questions close to this cluster: ranked by similarity (to two
    decimals), then how often the reply was used, then how recently."""
    cluster = get_cluster_or_raise(session, cluster_id)
    if cluster.centroid is None:
        return []
    centroid = np.asarray(cluster.centroid, dtype=np.float32)
    distance = SavedReply.question_embedding.cosine_distance(centroid)
    rows = session.execute(
        sa.select(SavedReply, distance.label("distance"))
        .where(
            SavedReply.creator_id == cluster.creator_id,
            SavedReply.cluster_id.is_distinct_from(cluster.id),
            distance <= 1 - SUGGESTION_MIN_SIMILARITY,
        )
        .order_by(distance)
        .limit(SUGGESTIONS * 5)
    ).all()
    found = [
        Suggestion(r.response_text, r.question_text, 1 - d, r.use_count, r.last_used_at)
        for r, d in rows
    ]
    found.sort(key=lambda s: (-round(s.similarity, 2), -s.use_count, -s.last_used_at.timestamp()))
    return found[:SUGGESTIONS]


# --- the creator's corrections -----------------------------------------------------------------


SIMILAR_CLUSTERS = 5
""""Similar clusters" offered for a one-click merge."""
MOVE_TARGETS = 10
"""Nearest clusters offered as where to move a message."""


@dataclass(frozen=True)
class SimilarCluster:
    cluster: ClusterView
    similarity: float
    """Average cosine between the members of the two clusters (`clustering` docstring)."""
    suggested: bool
    """At or above the creator's `suggest_similarity`: offered for a one-click merge."""


def nearest_clusters(
    session: Session, cluster_id: uuid.UUID | str, *, limit: int = MOVE_TARGETS
) -> list[SimilarCluster]:
    """The creator's other open clusters closest to this one, closest first, each marked
    `suggested` when it is close enough to offer merging. Paid DMs take no part."""
    cluster = get_cluster_or_raise(session, cluster_id)
    if cluster.status is not ClusterStatus.open or cluster.is_paid or cluster.centroid is None:
        return []
    creator = session.get_one(Creator, cluster.creator_id)
    floor = creator_params(creator).suggest_similarity
    link = (-Cluster.centroid.max_inner_product(np.asarray(cluster.centroid))).label("link")
    rows = session.execute(
        sa.select(Cluster, link)
        .where(
            Cluster.creator_id == cluster.creator_id,
            Cluster.status == ClusterStatus.open,
            Cluster.is_paid.is_(False),
            Cluster.member_count > 0,
            Cluster.id != cluster.id,
        )
        .order_by(link.desc())
        .limit(limit)
    ).all()
    members = _members_of(session, [(c.id, ACTIVE) for c, _ in rows])
    return [
        SimilarCluster(
            _view(c, creator.external_id, members.get(c.id, [])), float(sim), float(sim) >= floor
        )
        for c, sim in rows
    ]


def similar_clusters(
    session: Session, cluster_id: uuid.UUID | str, *, limit: int = SIMILAR_CLUSTERS
) -> list[SimilarCluster]:
    """The nearest clusters close enough to suggest merging with this one."""
    return [s for s in nearest_clusters(session, cluster_id, limit=limit) if s.suggested]


def _correctable_cluster_or_raise(
    session: Session, cluster_id: uuid.UUID | str, *, creator_id: uuid.UUID | None = None
) -> Cluster:
    """A cluster the creator may regroup by hand: open and not a paid DM, read under the
    creator's lock. With `creator_id` (whose lock is held) it must also be theirs."""
    if creator_id is None:
        cluster = _locked_cluster_or_raise(session, cluster_id)
    else:
        found = session.get(Cluster, parse_uuid(cluster_id, "cluster"), populate_existing=True)
        if found is None or found.creator_id != creator_id:
            raise ClusterNotFound(f"no cluster {cluster_id}")
        cluster = found
    if cluster.status is not ClusterStatus.open:
        raise ClusterNotOpen(
            f"cluster {cluster.id} is {cluster.status.value}; only open clusters can be changed"
        )
    if cluster.is_paid:
        raise InboxError(f"cluster {cluster.id} is a paid DM, which is always answered on its own")
    return cluster


def merge_clusters(
    session: Session, *, cluster_id: uuid.UUID | str, other_cluster_id: uuid.UUID | str
) -> Cluster:
    """The creator merges `other` into `cluster` (the one they are looking at, which keeps
    its id and label). Recorded, so re-grouping never splits the result."""
    target = _correctable_cluster_or_raise(session, cluster_id)
    source = _correctable_cluster_or_raise(session, other_cluster_id, creator_id=target.creator_id)
    if source.id == target.id:
        raise InboxError(f"cluster {target.id} cannot be merged with itself")
    session.add(
        ClusterCorrection(
            creator_id=target.creator_id,
            kind=CorrectionKind.merge,
            source_cluster_id=source.id,
            target_cluster_id=target.id,
        )
    )
    _move_members(session, source.id, target.id, message_ids=None)
    return target


def move_message(
    session: Session,
    *,
    cluster_id: uuid.UUID | str,
    message_id: uuid.UUID | str,
    to_cluster_id: uuid.UUID | str | None,
) -> Cluster:
    """The creator moves one message to another open cluster, or to a new one of its own
    (`to_cluster_id` None); returns where it went. Recorded with the members it left, so
    re-grouping never puts it back with them."""
    source = _correctable_cluster_or_raise(session, cluster_id)
    moved = parse_uuid(message_id, "message")
    left = [m.message_id for m in _members_of(session, [(source.id, ACTIVE)]).get(source.id, [])]
    if moved not in left:
        raise MessageNotFound(f"message {moved} is not an active message of cluster {source.id}")
    if to_cluster_id is None:
        target = Cluster(creator_id=source.creator_id)
        session.add(target)
        session.flush()
    else:
        target = _correctable_cluster_or_raise(session, to_cluster_id, creator_id=source.creator_id)
        if target.id == source.id:
            raise InboxError(f"message {moved} is already in cluster {source.id}")
    correction = ClusterCorrection(
        creator_id=source.creator_id,
        kind=CorrectionKind.move,
        source_cluster_id=source.id,
        target_cluster_id=target.id,
        message_id=moved,
    )
    session.add(correction)
    session.flush()
    session.add_all(
        KeptApart(correction_id=correction.id, message_id=m) for m in left if m != moved
    )
    _move_members(session, source.id, target.id, message_ids=[moved])
    return target


def restore_cluster_message(
    session: Session, *, cluster_id: uuid.UUID | str, message_id: uuid.UUID | str
) -> Cluster:
    """Undo the creator's removal: the message is active again in its cluster (reopened if
    the removal had emptied it), or in a new cluster when that one has been answered since.
    Returns the cluster it is now in."""
    cluster = _locked_cluster_or_raise(session, cluster_id)
    restored = parse_uuid(message_id, "message")
    membership = session.get(ClusterMessage, (cluster.id, restored), populate_existing=True)
    if membership is None or membership.status is not MembershipStatus.removed:
        raise MessageNotFound(f"message {restored} was not removed from cluster {cluster.id}")
    message = session.get_one(Message, restored, populate_existing=True)
    _restorable_or_raise(session, message)
    if cluster.status is ClusterStatus.actioned:
        cluster = Cluster(creator_id=cluster.creator_id, is_paid=message.is_paid_dm)
        session.add(cluster)
    cluster.status = ClusterStatus.open
    session.flush()
    refresh_clusters(session, supersede_channel(session, message.channel_id))
    session.execute(
        sa.update(ClusterMessage)
        .where(ClusterMessage.message_id == restored)
        .values(cluster_id=cluster.id, status=ACTIVE, updated_at=utcnow())
    )
    message.matchable_cluster_id = None if message.is_paid_dm else cluster.id
    refresh_clusters(session, [cluster.id])
    return cluster


def _restorable_or_raise(session: Session, message: Message) -> None:
    """A removal can be undone only while the message is still its fan's open question."""
    if message.deleted_at is not None:
        raise InboxError(f"message {message.id} was deleted by the fan and cannot come back")
    if message.replied_at is not None:
        raise InboxError(f"message {message.id} has been answered since it was removed")
    newer = session.scalar(
        sa.select(
            sa.exists().where(
                Message.channel_id == message.channel_id,
                Message.created_at > message.created_at,
            )
        )
    )
    if newer:
        raise InboxError(
            f"the fan of message {message.id} has written again since; "
            "their newer message is the one to answer"
        )


@dataclass(frozen=True)
class RemovedMessage:
    cluster_id: uuid.UUID
    member: MemberView


def removed_messages(
    session: Session,
    *,
    creator_external_id: str | None,
    cluster_id: uuid.UUID | str | None = None,
    limit: int = 200,
) -> list[RemovedMessage]:
    """Messages the creator took out of their clusters (not those deleted upstream), most
    recently removed first, so that a removal can be found again and undone."""
    query = (
        sa.select(ClusterMessage.cluster_id, Message, Channel)
        .join(Message, Message.id == ClusterMessage.message_id)
        .join(Channel, Channel.id == Message.channel_id)
        .where(ClusterMessage.status == MembershipStatus.removed, Message.deleted_at.is_(None))
        .order_by(ClusterMessage.updated_at.desc())
        .limit(limit)
    )
    if creator_external_id is not None:
        query = query.join(Creator, Creator.id == Message.creator_id).where(
            Creator.external_id == creator_external_id
        )
    if cluster_id is not None:
        query = query.where(ClusterMessage.cluster_id == parse_uuid(cluster_id, "cluster"))
    return [
        RemovedMessage(cid, _member_view(MembershipStatus.removed, message, channel))
        for cid, message, channel in session.execute(query)
    ]


# --- grouping strictness ---------------------------------------------------------------------


def parse_strictness(text: str) -> float | None:
    """A strictness as typed in the CLI or sent by a form: a number, or empty / "default"
    for the tuned default (None)."""
    cleaned = text.strip().lower()
    if cleaned in ("", "default"):
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise InvalidStrictness(_STRICTNESS_RANGE.format(value=text)) from None


_STRICTNESS_RANGE = (
    "strictness {value!r} is not a number from 0 (group most) to 1 (group least) or 'default'"
)


def set_grouping_strictness(
    session: Session, *, creator_external_id: str, strictness: float | None
) -> float | None:
    """How readily the creator's messages are grouped, from 0 (group most) to 1 (group
    least); None returns to the default, which adapts to the inbox. Used by every later
    ingest and re-group."""
    if strictness is not None and not (math.isfinite(strictness) and 0 <= strictness <= 1):
        raise InvalidStrictness(_STRICTNESS_RANGE.format(value=strictness))
    creator = get_creator_or_raise(session, creator_external_id)
    creator.grouping_strictness = strictness
    session.flush()
    return strictness


# --- deliveries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryTask:
    """One channel's copy of a reply, with the ids the delivery port needs."""

    delivery_id: uuid.UUID
    cluster_id: uuid.UUID
    channel_external_id: str
    creator_external_id: str
    text: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    fan_name: str | None = None
    """Who the channel is with, as the inbox names fans (the channel id when unknown)."""

    @property
    def delivered(self) -> bool:
        return self.status is DeliveryStatus.delivered

    @property
    def fan(self) -> str:
        return self.fan_name or self.channel_external_id


def _delivery_tasks(session: Session, which: sa.ColumnElement[bool]) -> list[DeliveryTask]:
    rows = session.execute(
        sa.select(Delivery, Channel.external_id, Creator.external_id, _fan_name_of_channel())
        .join(Channel, Channel.id == Delivery.channel_id)
        .join(Creator, Creator.id == Channel.creator_id)
        .where(which)
        .order_by(Channel.external_id)
    ).all()
    return [
        DeliveryTask(
            d.id, d.cluster_id, channel, creator, d.text, d.status, d.attempts, d.last_error, fan
        )
        for d, channel, creator, fan in rows
    ]


def _fan_name_of_channel() -> sa.ColumnElement[str | None]:
    """The fan's name as the inbox shows it: the channel's visitor name, else the name the
    platform gave with the channel's latest message, else the fan's id."""
    from_messages = (
        sa.select(
            sa.func.coalesce(
                Message.raw["user"]["name"].astext, Message.raw["message"]["user"]["name"].astext
            )
        )
        .where(Message.channel_id == Channel.id, Message.deleted_at.is_(None))
        .order_by(Message.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    return sa.func.coalesce(
        sa.func.nullif(Channel.visitor_name, ""), from_messages, Channel.visitor_id
    )


def delivery_tasks(session: Session, cluster_id: uuid.UUID | str) -> list[DeliveryTask]:
    return _delivery_tasks(session, Delivery.cluster_id == parse_uuid(cluster_id, "cluster"))


def delivery_task(session: Session, delivery_id: uuid.UUID) -> DeliveryTask:
    return _delivery_tasks(session, Delivery.id == delivery_id)[0]


AUTO_RETRY_ATTEMPTS = 20
"""Attempts after which the periodic retry gives a channel up (one failing this often is
likely gone, not down); the creator's "send again" still tries it."""


def clusters_with_undelivered(
    session: Session, *, max_attempts: int = AUTO_RETRY_ATTEMPTS
) -> list[uuid.UUID]:
    """Answered clusters whose reply has not reached every channel yet."""
    return list(
        session.scalars(
            sa.select(Delivery.cluster_id)
            .where(Delivery.status != DeliveryStatus.delivered, Delivery.attempts < max_attempts)
            .distinct()
        )
    )


def undelivered_channels(session: Session, cluster_id: uuid.UUID | str) -> int:
    """How many channels of an answered cluster still lack its reply (failed after the
    delivery run's last round, or never tried because that run could not start), checked
    before the creator asks to send again; delivered channels are never sent twice."""
    cluster = get_cluster_or_raise(session, cluster_id)
    if cluster.status is not ClusterStatus.actioned:
        raise InboxError(f"cluster {cluster.id} has not been answered; there is nothing to retry")
    waiting = sum(not task.delivered for task in delivery_tasks(session, cluster.id))
    if not waiting:
        raise InboxError(f"every channel of cluster {cluster.id} already has the reply")
    return waiting


def record_delivery(
    session: Session,
    delivery_id: uuid.UUID,
    *,
    external_id: str | None = None,
    error: str | None = None,
) -> None:
    """Count the attempt and keep its outcome: delivered with the platform's id, or failed
    with the reason shown to the creator."""
    delivery = session.get_one(Delivery, delivery_id, with_for_update=True)
    delivery.attempts += 1
    if error is None:
        delivery.status = DeliveryStatus.delivered
        delivery.external_id = external_id
        delivery.delivered_at = utcnow()
        delivery.last_error = None
    else:
        delivery.status = DeliveryStatus.failed
        delivery.last_error = error[:1000]
    session.flush()


# --- re-grouping ------------------------------------------------------------------------------


def recently_active_creators(session: Session, *, since: datetime) -> list[str]:
    return list(
        session.scalars(
            sa.select(Creator.external_id)
            .join(Message, Message.creator_id == Creator.id)
            .where(Message.created_at >= since)
            .distinct()
        )
    )


def regroup(session: Session, *, creator_external_id: str) -> dict[str, int]:
    """Apply `clustering.regroup`'s plan to the creator's open clusters; paid clusters stay
    out, and clusters locked for reply are passed as locked, so the plan neither splits
    them nor merges anything into or out of them.

    The plan is made from a snapshot *without* the creator's lock: for a big inbox it takes
    seconds, and ingests, replies and removals must not wait that long. The lock is taken
    only to apply it, and a cluster answered, emptied or opened for reply in the meantime
    is left as it is, and a plan made while the creator corrected the grouping is dropped
    (the next run plans with their correction).

    What the creator decided by hand is kept: clusters they merged or moved messages into
    are never split, and a message they moved is never merged back with the members it
    left."""
    creator = get_creator(session, creator_external_id)
    if creator is None:
        return {"merged": 0, "split": 0}
    corrections = _correction_count(session, creator.id)
    rows = session.execute(
        sa.select(
            Message.id,
            Message.embedding,
            ClusterMessage.cluster_id,
            sa.func.coalesce(Cluster.locked_until > sa.func.now(), False).label("locked"),
        )
        .join(Message, Message.id == ClusterMessage.message_id)
        .join(Cluster, Cluster.id == ClusterMessage.cluster_id)
        .where(
            Cluster.creator_id == creator.id,
            Cluster.status == ClusterStatus.open,
            Cluster.is_paid.is_(False),
            ClusterMessage.status == ACTIVE,
        )
        .order_by(Message.created_at)
    ).all()
    if not rows:
        return {"merged": 0, "split": 0}
    vectors = np.stack([np.asarray(r.embedding, dtype=np.float32) for r in rows])
    _calibrate(creator, vectors)
    plan = clustering.regroup(
        [r.id for r in rows],
        vectors,
        [r.cluster_id for r in rows],
        {r.cluster_id for r in rows if r.locked},
        creator_params(creator),
        keep_apart=_kept_apart(session, creator.id),
        curated=_curated(session, creator.id),
    )
    lock_creator(session, creator_external_id)
    if _correction_count(session, creator.id) != corrections:
        return {"merged": 0, "split": 0}
    movable = _still_movable(session, plan.cluster_ids())
    splits = [split for split in plan.splits if split.cluster_id in movable]
    for split in splits:
        for part in split.new_clusters:
            cluster = Cluster(creator_id=creator.id)
            session.add(cluster)
            session.flush()
            _move_members(session, split.cluster_id, cluster.id, message_ids=part)
    merged = 0
    for merge in plan.merges:
        if merge.target not in movable:
            continue
        for source in (s for s in merge.sources if s in movable):
            _move_members(session, source, merge.target, message_ids=None)
            merged += 1
    return {"merged": merged, "split": len(splits)}


def _calibrate(creator: Creator, vectors: np.ndarray) -> None:
    """Recalibrate the creator's grouping similarity on their most recent active messages
    when the inbox has grown enough since the last time (`clustering.calibration_due`).

    Stored even for a creator with a chosen strictness, so that moving the slider back to
    the default lands on the inbox's own similarity at once."""
    if not clustering.calibration_due(len(vectors), creator.calibrated_messages, inbox_model()):
        return
    recent = vectors[-clustering.CALIBRATION_SAMPLE :]
    creator.calibrated_similarity = calibration.calibrate_similarity(
        recent, inbox_model(), creator.calibrated_similarity
    )
    creator.calibrated_messages = len(vectors)
    log.info(
        "inbox of %s calibrated on %d messages: similarity %.2f",
        creator.external_id,
        len(vectors),
        creator_params(creator).join_similarity,
    )


def _correction_count(session: Session, creator_id: uuid.UUID) -> int:
    return (
        session.scalar(sa.select(sa.func.count()).where(ClusterCorrection.creator_id == creator_id))
        or 0
    )


def _kept_apart(session: Session, creator_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Pairs of still matchable messages that a move of the creator separated."""
    moved, left = aliased(Message), aliased(Message)
    return [
        (a, b)
        for a, b in session.execute(
            sa.select(ClusterCorrection.message_id, KeptApart.message_id)
            .join(KeptApart, KeptApart.correction_id == ClusterCorrection.id)
            .join(moved, moved.id == ClusterCorrection.message_id)
            .join(left, left.id == KeptApart.message_id)
            .where(
                ClusterCorrection.creator_id == creator_id,
                moved.matchable_cluster_id.is_not(None),
                left.matchable_cluster_id.is_not(None),
            )
        )
    ]


def _curated(session: Session, creator_id: uuid.UUID) -> set[uuid.UUID]:
    """Open clusters the creator merged or moved messages into."""
    return set(
        session.scalars(
            sa.select(ClusterCorrection.target_cluster_id)
            .join(Cluster, Cluster.id == ClusterCorrection.target_cluster_id)
            .where(ClusterCorrection.creator_id == creator_id, Cluster.status == ClusterStatus.open)
        )
    )


def _still_movable(session: Session, cluster_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Of the clusters a plan touches, those still open and not opened for reply."""
    if not cluster_ids:
        return set()
    return set(
        session.scalars(
            sa.select(Cluster.id).where(
                Cluster.id.in_(cluster_ids),
                Cluster.status == ClusterStatus.open,
                sa.or_(Cluster.locked_until.is_(None), Cluster.locked_until <= sa.func.now()),
            )
        )
    )


def _move_members(
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


def summarise_open_clusters(session: Session, *, creator_external_id: str) -> int:
    """Label the creator's open clusters of two channels or more (see `summaries`)."""
    views = list_clusters(
        session, creator_external_id=creator_external_id, min_channel_count=2, limit=50
    )
    found = summaries.summarise([[m.text for m in v.members] for v in views])
    for view, summary in zip(views, found, strict=True):
        cluster = session.get_one(Cluster, view.id)
        cluster.summary_label = summary.label
        cluster.summary_description = summary.description
    session.flush()
    return len(views)
