"""The creator's corrections of the grouping: merge, move, restore, and undo of each.

Every correction is recorded, so the background re-grouping never undoes it: a merged or
moved-into cluster is never split, and a moved message is never put back with the members
it left."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.db import utcnow
from sift.inbox.listing import (
    ClusterView,
    members_of,
    view_of,
)
from sift.inbox.memberships import (
    ACTIVE,
    ClusterNotFound,
    ClusterNotOpen,
    InboxError,
    MessageNotFound,
    creator_params,
    get_cluster_or_raise,
    locked_cluster_or_raise,
    move_members,
    parse_uuid,
    refresh_clusters,
    supersede_channel,
)
from sift.inbox.models import (
    Cluster,
    ClusterCorrection,
    ClusterMessage,
    ClusterStatus,
    CorrectionKind,
    Creator,
    KeptApart,
    MembershipStatus,
    Message,
)

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
    members = members_of(session, [(c.id, ACTIVE) for c, _ in rows])
    return [
        SimilarCluster(
            view_of(c, creator.external_id, members.get(c.id, [])), float(sim), float(sim) >= floor
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
        cluster = locked_cluster_or_raise(session, cluster_id)
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
    its id and label). Recorded, one row per message it moved, so re-grouping never splits
    the result and an undo knows what to move back."""
    target = _correctable_cluster_or_raise(session, cluster_id)
    source = _correctable_cluster_or_raise(session, other_cluster_id, creator_id=target.creator_id)
    if source.id == target.id:
        raise InboxError(f"cluster {target.id} cannot be merged with itself")
    moved = [m.message_id for m in members_of(session, [(source.id, ACTIVE)]).get(source.id, [])]
    session.add_all(  # one row per message it moved: what an undo moves back
        ClusterCorrection(
            creator_id=target.creator_id,
            kind=CorrectionKind.merge,
            source_cluster_id=source.id,
            target_cluster_id=target.id,
            message_id=message_id,
        )
        for message_id in moved
    )
    move_members(session, source.id, target.id, message_ids=None)
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
    left = [m.message_id for m in members_of(session, [(source.id, ACTIVE)]).get(source.id, [])]
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
    move_members(session, source.id, target.id, message_ids=[moved])
    return target


def restore_cluster_message(
    session: Session, *, cluster_id: uuid.UUID | str, message_id: uuid.UUID | str
) -> Cluster:
    """Undo the creator's removal: the message is active again in its cluster (reopened if
    the removal had emptied it), or in a new cluster when that one has been answered since.
    Returns the cluster it is now in."""
    cluster = locked_cluster_or_raise(session, cluster_id)
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


MOVE_AT_ONCE = 100
"""Most messages one multi-select move or removal takes (a page shows no more at once)."""


def move_messages(
    session: Session,
    *,
    cluster_id: uuid.UUID | str,
    message_ids: Sequence[uuid.UUID | str],
    to_cluster_id: uuid.UUID | str | None,
) -> Cluster:
    """Several messages moved together (`move_message` each, so each is recorded and kept
    apart from the members it left); with `to_cluster_id` None they start one new cluster
    together. Returns where they went."""
    if not message_ids:
        raise InboxError("no message was selected")
    if len(message_ids) > MOVE_AT_ONCE:
        raise InboxError(f"at most {MOVE_AT_ONCE} messages can be moved at once")
    target: Cluster | None = None
    for message_id in dict.fromkeys(str(m) for m in message_ids):
        where = to_cluster_id if target is None else target.id
        target = move_message(
            session, cluster_id=cluster_id, message_id=message_id, to_cluster_id=where
        )
    assert target is not None
    return target


def corrections_of_this_transaction(session: Session, cluster_id: uuid.UUID | str) -> list[str]:
    """The corrections the current transaction recorded for the cluster's creator (their
    `created_at` is the transaction's start): what an "Undo" offered right after a move or
    merge takes back."""
    cluster = get_cluster_or_raise(session, cluster_id)
    return [
        str(c)
        for c in session.scalars(
            sa.select(ClusterCorrection.id).where(
                ClusterCorrection.creator_id == cluster.creator_id,
                ClusterCorrection.created_at == sa.func.now(),
            )
        )
    ]


def undo_corrections(
    session: Session, *, cluster_id: uuid.UUID | str, correction_ids: Sequence[uuid.UUID | str]
) -> Cluster:
    """Take back moves and merges the creator just made (newest first): each message still
    active where it was put goes back to the cluster it came from (reopened if the change
    had emptied it), and the correction is forgotten, so re-grouping is free again. Refused
    when the cluster they came from has been answered since. Returns the cluster the creator
    was on when they made the first change: the one a message was moved out of, or the one
    another was merged into."""
    cluster = locked_cluster_or_raise(session, cluster_id)
    wanted = [parse_uuid(c, "correction") for c in correction_ids]
    found = session.scalars(
        sa.select(ClusterCorrection)
        .where(ClusterCorrection.id.in_(wanted), ClusterCorrection.creator_id == cluster.creator_id)
        .order_by(ClusterCorrection.created_at.desc())
    ).all()
    if not found or len(found) != len(set(wanted)):
        raise InboxError("that change can no longer be undone")
    for correction in found:
        source = session.get_one(Cluster, correction.source_cluster_id, populate_existing=True)
        if source.status is ClusterStatus.actioned:
            raise ClusterNotOpen(
                f"cluster {source.id} has been answered since; its messages cannot go back"
            )
        back = [correction.message_id] if correction.message_id is not None else []
        source.status = ClusterStatus.open
        session.flush()
        move_members(session, correction.target_cluster_id, source.id, message_ids=back)
        session.delete(correction)
    session.flush()
    first = found[-1]
    was_on = (
        first.source_cluster_id if first.kind is CorrectionKind.move else first.target_cluster_id
    )
    return session.get_one(Cluster, was_on)
