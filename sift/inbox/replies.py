"""The bulk reply: confirm whom it reaches, answer every active member at once, stage one
delivery per channel, and remember the reply to suggest it for similar questions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.db import utcnow
from sift.inbox.listing import (
    Audience,
    MemberView,
    audience_of,
    members_of,
)
from sift.inbox.memberships import (
    ACTIVE,
    AudienceChanged,
    ClusterNotFound,
    ClusterNotOpen,
    InboxError,
    get_cluster_or_raise,
    lock_owner_of_cluster,
    locked_cluster_or_raise,
    parse_uuid,
    set_membership_status,
)
from sift.inbox.models import (
    Channel,
    Cluster,
    ClusterMessage,
    ClusterStatus,
    Creator,
    Delivery,
    DeliveryStatus,
    MembershipStatus,
    Message,
    SavedReply,
)

REPLY_LOCK = timedelta(minutes=10)
"""How long opening a cluster for reply keeps the background re-grouping away from it."""
SUGGESTION_MIN_SIMILARITY = 0.6
"""Saved replies whose question is less similar than this to a cluster are not offered."""
SUGGESTIONS = 3
SAME_REPLY_SIMILARITY = 0.8
"""A reply reused for a question this close to its first one counts as the same reply."""


# --- the bulk reply ---------------------------------------------------------------------------


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
    members = members_of(session, [(cluster.id, ACTIVE)]).get(cluster.id, [])
    if not members:
        raise ClusterNotOpen(f"cluster {cluster.id} has no active message left to answer")
    return members


def open_for_reply(session: Session, cluster_id: uuid.UUID | str) -> Cluster:
    """The creator opened the cluster to answer it: background re-grouping keeps its
    members where they are until the lock runs out. Taken under the creator's lock, so a
    re-grouping that planned without this cluster locked has finished first."""
    cluster = locked_cluster_or_raise(session, cluster_id)
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
    lock_owner_of_cluster(session, cluster_id)
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
    set_membership_status(
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
        sa.select(Delivery, Channel.external_id, Creator.external_id, fan_name_of_channel())
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


def fan_name_of_channel() -> sa.ColumnElement[str | None]:
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
