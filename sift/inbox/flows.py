"""Durable workflows of the inbox: deliver a bulk reply (and retry it), re-group a
creator's clusters, close empty clusters.

Delivery state lives in the `deliveries` table, not in the workflow: each channel's send
is its own step that first checks whether that channel already has the reply, so neither a
retry round nor a recovery after a crash sends anything twice.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from dbos import DBOS

from sift import db, workflows
from sift.db import utcnow
from sift.inbox import delivery, service

MAX_ROUNDS = 5
"""Delivery rounds per reply; channels still failing after the last one stay `failed`."""
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 30.0
ACTIVE_WINDOW = timedelta(minutes=30)
"""Creators with a message this recent are re-grouped by the periodic job."""


# --- deliver a bulk reply -------------------------------------------------------------------


@dataclass
class DeliveryOutcome:
    cluster_id: str
    delivered: int
    failed: int
    rounds: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def deliver_key(cluster_id: str | uuid.UUID) -> str:
    return f"inbox-deliver:{cluster_id}"


def start_delivery(cluster_id: str | uuid.UUID) -> str:
    return workflows.start_once(deliver_cluster_reply, deliver_key(cluster_id), str(cluster_id))


@DBOS.workflow()
def deliver_cluster_reply(cluster_id: str) -> dict[str, Any]:
    """Send the cluster's reply to each channel separately; channels that fail are tried
    again in later rounds with growing pauses, delivered ones are never sent again."""
    pending = pending_deliveries(cluster_id)
    total = len(pending)
    rounds = 0
    while pending and rounds < MAX_ROUNDS:
        if rounds:
            DBOS.sleep(min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (rounds - 1)))
        rounds += 1
        workflows.publish_progress(
            f"Delivering to {len(pending)} of {total} channels (round {rounds})…"
        )
        pending = [d for d in pending if not deliver_one(d)]
    return DeliveryOutcome(cluster_id, total - len(pending), len(pending), rounds).as_dict()


@DBOS.step()
def pending_deliveries(cluster_id: str) -> list[str]:
    with db.session_scope() as session:
        return [
            str(t.delivery_id)
            for t in service.delivery_tasks(session, cluster_id)
            if not t.delivered
        ]


@DBOS.step()
def deliver_one(delivery_id: str) -> bool:
    """One channel, one attempt. True when the channel has the reply (now or before)."""
    with db.session_scope() as session:
        task = service.delivery_task(session, uuid.UUID(delivery_id))
    if task.delivered:
        return True
    try:
        external_id = delivery.get_port().deliver(
            task.channel_external_id,
            task.text,
            creator=task.creator_external_id,
            message_id=delivery_id,
            cluster_id=str(task.cluster_id),
        )
    except Exception as error:  # any failure of the port is this channel's, retried later
        with db.session_scope() as session:
            service.record_delivery(
                session, task.delivery_id, error=str(error) or type(error).__name__
            )
        return False
    with db.session_scope() as session:
        service.record_delivery(session, task.delivery_id, external_id=external_id)
    return True


@DBOS.workflow()
def retry_undelivered_replies(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The periodic tick behind the creator's "send again": a reply that has not reached
    every channel (GetStream down for longer than a run's rounds, or a run that never
    started) is sent again; delivered channels never get it twice."""
    clusters = list_undelivered_clusters()
    for cluster_id in clusters:
        start_delivery(cluster_id)
    return len(clusters)


@DBOS.step()
def list_undelivered_clusters() -> list[str]:
    with db.session_scope() as session:
        return [str(c) for c in service.clusters_with_undelivered(session)]


# --- re-group a creator's clusters ----------------------------------------------------------


def regroup_key(creator_external_id: str) -> str:
    return f"inbox-regroup:{creator_external_id}"


def start_regroup(creator_external_id: str) -> str:
    return workflows.start_once(
        regroup_creator, regroup_key(creator_external_id), creator_external_id
    )


@DBOS.workflow()
def regroup_creator(creator_external_id: str) -> dict[str, Any]:
    """Merge clusters that became close and split incoherent ones, leaving clusters a
    creator is answering untouched; then refresh the summaries of what changed."""
    workflows.publish_progress("Re-grouping active messages…")
    changes = apply_regroup(creator_external_id)
    workflows.publish_progress("Summarising clusters…")
    summarised = summarise_clusters(creator_external_id)
    return {**changes, "summarised": summarised}


@DBOS.step()
def apply_regroup(creator_external_id: str) -> dict[str, int]:
    with db.session_scope() as session:
        return service.regroup(session, creator_external_id=creator_external_id)


@DBOS.step()
def summarise_clusters(creator_external_id: str) -> int:
    with db.session_scope() as session:
        return service.summarise_open_clusters(session, creator_external_id=creator_external_id)


@DBOS.workflow()
def regroup_active_creators(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The periodic tick: every creator with recent messages gets a re-group run."""
    creators = list_recently_active_creators()
    for creator in creators:
        start_regroup(creator)
    return len(creators)


@DBOS.step()
def list_recently_active_creators() -> list[str]:
    with db.session_scope() as session:
        return service.recently_active_creators(session, since=utcnow() - ACTIVE_WINDOW)


# --- close empty clusters -------------------------------------------------------------------


@DBOS.workflow()
def close_empty_clusters(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The sweep behind the immediate rule (see `service.close_empty_clusters`)."""
    return sweep_empty_clusters()


@DBOS.step()
def sweep_empty_clusters() -> int:
    with db.session_scope() as session:
        return service.close_empty_clusters(session)
