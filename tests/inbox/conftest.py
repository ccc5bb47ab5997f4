"""Helpers shared by the inbox tests: fan messages built the way every entry point does."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from sift import db
from sift.inbox import ingest as inbox_ingest
from sift.inbox import service
from sift.inbox.models import Cluster, ClusterMessage, InboundMessage

_ids = itertools.count()


def fan_message(
    creator: str, channel: str, text: str, *, paid: bool = False, external_id: str | None = None
) -> InboundMessage:
    """`channel` is short and per creator in tests; the cid is made unique like GetStream's."""
    return InboundMessage(
        creator=creator,
        channel=cid(creator, channel),
        external_id=external_id or f"m-{uuid.uuid4().hex[:10]}-{next(_ids)}",
        text=text,
        is_paid_dm=paid,
        sender_id=f"fan-{channel}",
        visitor_name=f"Fan {channel}",
        raw={"user": {"id": f"fan-{channel}", "image": f"https://img.example/{channel}.png"}},
    )


def ingest(message: InboundMessage) -> inbox_ingest.IngestResult:
    with db.session_scope() as session:
        return inbox_ingest.ingest(session, message)


def new_creator() -> str:
    return f"creator-{uuid.uuid4().hex[:8]}"


def cid(creator: str, channel: str) -> str:
    return f"messaging:{creator}-{channel}"


def split_off_twin(creator: str, texts: Sequence[str]) -> uuid.UUID:
    """Two clusters of one question, as two online decisions could leave them: each text
    from its own channel, then the first message moved (not by the creator) to a cluster of
    its own, whose id is returned."""
    first, *_ = [ingest(fan_message(creator, f"ch{i}", text)) for i, text in enumerate(texts)]
    with db.session_scope() as session:
        twin = Cluster(creator_id=session.get_one(Cluster, first.cluster_id).creator_id)
        session.add(twin)
        session.flush()
        session.execute(
            sa.update(ClusterMessage)
            .where(ClusterMessage.message_id == first.message_id)
            .values(cluster_id=twin.id)
        )
        service.refresh_clusters(session, [twin.id, first.cluster_id])
        return twin.id
