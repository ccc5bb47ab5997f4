"""Background re-grouping of a creator's open clusters, its calibration, the creator's
strictness setting and the clusters' summaries."""

from __future__ import annotations

import logging
import math
import uuid
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from sift.inbox import calibration, clustering, summaries
from sift.inbox.listing import (
    list_clusters,
)
from sift.inbox.memberships import (
    ACTIVE,
    InvalidStrictness,
    clustering_params,
    creator_params,
    default_strictness,
    get_creator,
    get_creator_or_raise,
    inbox_model,
    lock_creator,
    move_members,
)
from sift.inbox.models import (
    Cluster,
    ClusterCorrection,
    ClusterMessage,
    ClusterStatus,
    Creator,
    KeptApart,
    Message,
)

log = logging.getLogger(__name__)

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


# --- re-grouping ------------------------------------------------------------------------------


PREVIEW_SAMPLE = 1500
"""Most recent active messages the strictness preview groups: enough for a stable ratio,
few enough that average linkage over them answers while the slider moves (~0.1 s)."""


@dataclass(frozen=True)
class GroupingPreview:
    strictness: float
    similarity: float
    clusters: int
    """About how many open clusters the inbox would hold at `strictness`."""


def preview_strictness(
    session: Session, *, creator_external_id: str, strictness: float | None
) -> GroupingPreview:
    """About how many open clusters the creator's inbox would hold at `strictness` (None:
    the default), for the slider to say before the creator saves it.

    Re-grouping the whole inbox for a preview would take seconds, so the estimate scales
    the clusters open now by how average linkage at the two similarities groups the most
    recent `PREVIEW_SAMPLE` messages: one dendrogram gives the count at every similarity.
    Paid DMs stay one cluster each whatever the setting."""
    if strictness is not None and not (math.isfinite(strictness) and 0 <= strictness <= 1):
        raise InvalidStrictness(_STRICTNESS_RANGE.format(value=strictness))
    creator = get_creator_or_raise(session, creator_external_id)
    now = creator_params(creator).join_similarity
    then = clustering_params(strictness, creator.calibrated_similarity).join_similarity
    position = default_strictness(creator) if strictness is None else strictness
    open_now = dict(
        session.execute(
            sa.select(Cluster.is_paid, sa.func.count())
            .where(
                Cluster.creator_id == creator.id,
                Cluster.status == ClusterStatus.open,
                Cluster.member_count > 0,
            )
            .group_by(Cluster.is_paid)
        ).all()
    )
    paid, unpaid = open_now.get(True, 0), open_now.get(False, 0)
    vectors = [
        np.asarray(v, dtype=np.float32)
        for v in session.scalars(
            sa.select(Message.embedding)
            .where(Message.creator_id == creator.id, Message.matchable_cluster_id.is_not(None))
            .order_by(Message.created_at.desc())
            .limit(PREVIEW_SAMPLE)
        )
    ]
    estimate = unpaid
    if len(vectors) >= 2 and unpaid:
        counts = _linkage_counts(np.stack(vectors), [now, then])
        estimate = round(unpaid * counts[1] / max(counts[0], 1))
    return GroupingPreview(round(position, 2), round(then, 3), max(estimate, 0) + paid)


def _linkage_counts(vectors: np.ndarray, similarities: list[float]) -> list[int]:
    """How many groups average linkage (cosine) leaves at each similarity."""
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(vectors, method="average", metric="cosine")
    return [len(set(fcluster(tree, t=1 - s, criterion="distance"))) for s in similarities]


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
    corrections = correction_count(session, creator.id)
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
    if correction_count(session, creator.id) != corrections:
        return {"merged": 0, "split": 0}
    movable = _still_movable(session, plan.cluster_ids())
    splits = [split for split in plan.splits if split.cluster_id in movable]
    for split in splits:
        for part in split.new_clusters:
            cluster = Cluster(creator_id=creator.id)
            session.add(cluster)
            session.flush()
            move_members(session, split.cluster_id, cluster.id, message_ids=part)
    merged = 0
    for merge in plan.merges:
        if merge.target not in movable:
            continue
        for source in (s for s in merge.sources if s in movable):
            move_members(session, source, merge.target, message_ids=None)
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


def correction_count(session: Session, creator_id: uuid.UUID) -> int:
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


def summarise_open_clusters(session: Session, *, creator_external_id: str) -> int:
    """Label the creator's open clusters of two channels or more (see `summaries`)."""
    views = list_clusters(
        session, creator_external_id=creator_external_id, min_channel_count=2, limit=50
    )
    found = summaries.summarise([[m.text for m in v.members] for v in views])
    for view, summary in zip(views, found, strict=True):
        cluster = session.get_one(Cluster, view.id)
        cluster.summary_label = summary.label or None
        cluster.summary_description = summary.description
    session.flush()
    return len(views)
