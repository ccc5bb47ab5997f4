"""What a creator sees of their inbox: clusters with the members that count, found by
words or by meaning, in the order they asked for; and what they removed, to undo it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from sift import db
from sift.ai.embeddings import get_inbox_embedder
from sift.db import utcnow
from sift.inbox.memberships import (
    ACTIVE,
    InboxError,
    get_cluster_or_raise,
    parse_uuid,
)
from sift.inbox.models import (
    Channel,
    Cluster,
    ClusterMessage,
    ClusterStatus,
    Creator,
    MembershipStatus,
    Message,
)

log = logging.getLogger(__name__)

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
    distance: float | None = None
    """Cosine distance to its cluster's mean: the smallest is the cluster's most
    representative question (`ClusterView.title`)."""


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
    title: str = ""
    """How the inbox names the cluster: the LLM's label where one was written, else the
    member nearest the cluster's mean, in the fan's own words. Keyword triples ("live ·
    next · question") read as noise; a real question reads as what fans ask."""
    latest_at: datetime | None = None
    """When the newest counted message arrived: how long the fans have been waiting."""

    @property
    def age(self) -> str:
        """ "5 min", "3 h", "2 days": how long ago the newest message arrived."""
        return age_of(self.latest_at)

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


def age_of(moment: datetime | None, now: datetime | None = None) -> str:
    """A short age ("just now", "5 min", "3 h", "2 days") for a list a person scans."""
    if moment is None:
        return ""
    seconds = max(((now or utcnow()) - moment).total_seconds(), 0)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''}"


SORTS = {
    "size": "most fans first",
    "newest": "newest message first",
    "oldest": "waiting longest first",
}
"""The list's orders (paid DMs always come first), keyed as the page's `sort` sends them."""
DEFAULT_MIN_CHANNELS = 1
"""Every list (page, GraphQL, CLI) shows every open cluster by default: a question one fan
asked is still a question to answer, and a paid DM always has one channel."""
MEANING_SIMILARITY = 0.35
"""A search matches a cluster by meaning when the query's cosine to the cluster's mean
reaches this: "shop" finds the merch cluster that says "store" (0.51) and not shipping
(0.26) or prices (0.06) in a hand-made inbox of the intent model."""
MEANING_MATCHES = 20


def list_clusters(
    session: Session,
    *,
    creator_external_id: str | None,
    status: ClusterStatus | None = ClusterStatus.open,
    min_channel_count: int = DEFAULT_MIN_CHANNELS,
    search: str | None = None,
    sort: str = "size",
    limit: int = 200,
) -> list[ClusterView]:
    """Clusters of a creator (every creator's when None): paid DMs first, then in `sort`'s
    order (`SORTS`; biggest first by default). Counting and ranking happen in SQL, so a big
    cluster is found however many newer small ones exist. `search` keeps the clusters whose
    label or a counted message's text contains it (any case), and those whose questions
    mean what it says (`MEANING_SIMILARITY`)."""
    if sort not in SORTS:
        raise InboxError(f"unknown sort {sort!r} ({', '.join(SORTS)})")
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
    latest = sa.func.max(Message.created_at).filter(counted, Message.deleted_at.is_(None))
    order = {
        "size": [channels.desc(), latest.desc().nulls_last()],
        "newest": [latest.desc().nulls_last()],
        "oldest": [latest.asc().nulls_last()],
    }[sort]
    query = (
        sa.select(Cluster, Creator.external_id)
        .join(Creator, Creator.id == Cluster.creator_id)
        .outerjoin(ClusterMessage, ClusterMessage.cluster_id == Cluster.id)
        .outerjoin(Message, Message.id == ClusterMessage.message_id)
        .group_by(Cluster.id, Creator.external_id)
        .having(channels >= min_channel_count)
        .order_by(Cluster.is_paid.desc(), *order, Cluster.created_at.desc())
        .limit(limit)
    )
    if search and search.strip():
        meant = _meaning_matches(session, search.strip(), creator_external_id, status)
        query = query.where(sa.or_(_matches(search.strip()), Cluster.id.in_(meant)))
    if creator_external_id is not None:
        query = query.where(Creator.external_id == creator_external_id)
    if status is not None:
        query = query.where(Cluster.status == status)
    rows = session.execute(query).all()
    members = members_of(session, [(c.id, counted_status(c.status)) for c, _ in rows])
    return [view_of(cluster, owner, members.get(cluster.id, [])) for cluster, owner in rows]


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


def _meaning_matches(
    session: Session, search: str, creator_external_id: str | None, status: ClusterStatus | None
) -> list[uuid.UUID]:
    """Clusters whose mean is close to the query's embedding (pgvector normalises the
    stored, unnormalised mean). An embedder that cannot answer leaves the word search."""
    try:
        vector = get_inbox_embedder().embed_one(search)
    except Exception as error:  # an API embedder down: words still work
        log.warning("inbox search by meaning unavailable: %s", error)
        return []
    distance = Cluster.centroid.cosine_distance(np.asarray(vector, dtype=np.float32))
    query = (
        sa.select(Cluster.id)
        .where(Cluster.centroid.is_not(None), distance <= 1 - MEANING_SIMILARITY)
        .order_by(distance)
        .limit(MEANING_MATCHES)
    )
    if creator_external_id is not None:
        query = query.join(Creator, Creator.id == Cluster.creator_id).where(
            Creator.external_id == creator_external_id
        )
    if status is not None:
        query = query.where(Cluster.status == status)
    return list(session.scalars(query))


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
    members = members_of(session, [(cluster.id, counted_status(cluster.status))])
    return view_of(cluster, owner, members.get(cluster.id, []))


def members_of(
    session: Session, wanted: Sequence[tuple[uuid.UUID, MembershipStatus]]
) -> dict[uuid.UUID, list[MemberView]]:
    if not wanted:
        return {}
    pairs = [
        sa.and_(ClusterMessage.cluster_id == cid, ClusterMessage.status == status)
        for cid, status in wanted
    ]
    rows = session.execute(
        sa.select(
            ClusterMessage.cluster_id,
            ClusterMessage.status,
            Message,
            Channel,
            Message.embedding.cosine_distance(Cluster.centroid),
        )
        .join(Message, Message.id == ClusterMessage.message_id)
        .join(Channel, Channel.id == Message.channel_id)
        .join(Cluster, Cluster.id == ClusterMessage.cluster_id)
        .where(sa.or_(*pairs), Message.deleted_at.is_(None))
        .order_by(Message.created_at)
    ).all()
    out: dict[uuid.UUID, list[MemberView]] = {}
    for cluster_id, status, message, channel, distance in rows:
        out.setdefault(cluster_id, []).append(member_view(status, message, channel, distance))
    return out


def member_view(
    status: MembershipStatus, message: Message, channel: Channel, distance: float | None = None
) -> MemberView:
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
        distance=None if distance is None else float(distance),
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


def view_of(cluster: Cluster, owner: str, members: list[MemberView]) -> ClusterView:
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
        title=cluster.summary_label or representative_question(members),
        latest_at=newest,
    )


def representative_question(members: Sequence[MemberView]) -> str:
    """The member nearest the cluster's mean (the first message where no distance is
    known): the question the cluster is about, in a fan's words."""
    if not members:
        return ""
    known = [m for m in members if m.distance is not None]
    chosen = min(known, key=lambda m: m.distance or 0.0) if known else members[0]
    return chosen.text


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
        RemovedMessage(cid, member_view(MembershipStatus.removed, message, channel))
        for cid, message, channel in session.execute(query)
    ]


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
