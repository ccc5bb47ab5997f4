"""A streamed batch is stored in a handful of statements, but must leave the inbox exactly as
one-by-one ingest would: the same groups, the same superseded messages, the same counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import sqlalchemy as sa

from sift import db
from sift.inbox import ingest as inbox_ingest
from sift.inbox.models import (
    Cluster,
    ClusterMessage,
    ClusterStatus,
    Creator,
    InboundMessage,
    Message,
)

from .conftest import fan_message, new_creator

pytestmark = pytest.mark.usefixtures("database")

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
SCRIPT = [
    # (channel, text, minutes after T0, paid)
    ("a", "How much does the monthly subscription cost?", 0, False),
    ("b", "What is the price of the monthly subscription?", 1, False),
    ("c", "Do you ship to Canada?", 2, False),
    ("a", "Can you ship to Canada?", 3, False),  # a's first question is superseded
    ("d", "Can I get a birthday shout-out video?", 4, True),
    ("e", "how much is the subscription per month", 5, False),
    ("c", "do you ship to canada??", 1, False),  # older than c's message: late, superseded
    ("f", "What's the monthly subscription price?", 6, False),
    ("g", "Where can I buy your merch hoodie?", 7, False),
    ("b", "Where do I buy the hoodie?", 8, False),
]


def script(creator: str) -> list[InboundMessage]:
    return [
        fan_message(creator, channel, text, paid=paid).model_copy(
            update={"created_at": T0 + timedelta(minutes=minutes)}
        )
        for channel, text, minutes, paid in SCRIPT
    ]


def one_by_one_ingest(messages: list[InboundMessage], embedder) -> None:
    """What webhooks do: one transaction per message (with the stream's embedder)."""
    for message in messages:
        with db.session_scope() as session:
            inbox_ingest.ingest(session, message, embedder=embedder)


def inbox_state(creator: str, order: list[str]) -> tuple[list[tuple], list[tuple], list]:
    """Each message (by position in `order`) with its membership status and the position of
    its cluster's first message; each live cluster with its status, count and centroid."""
    with db.session_scope() as session:
        rows = session.execute(
            sa.select(Message.external_message_id, ClusterMessage.status, ClusterMessage.cluster_id)
            .join(ClusterMessage, ClusterMessage.message_id == Message.id)
            .join(Creator, Creator.id == Message.creator_id)
            .where(Creator.external_id == creator)
        ).all()
        position = {external: order.index(external) for external, _, _ in rows}
        first_of = {}
        for external, _, cluster in sorted(rows, key=lambda r: position[r[0]]):
            first_of.setdefault(cluster, position[external])
        members = sorted(
            (position[external], status.value, first_of[cluster])
            for external, status, cluster in rows
        )
        clusters = sorted(
            (first_of[c.id], c.status.value, c.member_count, c.is_paid, c.centroid)
            for c in session.scalars(sa.select(Cluster).where(Cluster.id.in_(first_of)))
        )
    return members, [(f, s, n, p) for f, s, n, p, _ in clusters], [c[-1] for c in clusters]


def test_a_batched_stream_leaves_the_inbox_one_by_one_ingest_leaves(embedder, monkeypatch) -> None:
    one_by_one, batched = new_creator(), new_creator()
    one_by_one_ingest(script(one_by_one), embedder)
    monkeypatch.setattr(inbox_ingest, "STREAM_GROUP", 64)  # the whole script in one batch
    messages = script(batched)
    results = list(inbox_ingest.ingest_stream(messages, embedder=embedder))
    assert len(results) == len(SCRIPT) and not any(r.replayed for r in results)

    expected, got = _state_in_script_order(one_by_one), _state_in_script_order(batched)
    assert got[:2] == expected[:2]
    assert ("superseded" in {status for _, status, _ in got[0]}) and len(got[1]) >= 3
    for cluster, a, b in zip(expected[1], expected[2], got[2], strict=True):
        assert np.allclose(np.asarray(a), np.asarray(b), atol=1e-5), cluster


def _state_in_script_order(creator: str) -> tuple[list[tuple], list[tuple], list]:
    with db.session_scope() as session:
        stored = session.execute(
            sa.select(Message.external_message_id, Message.text, Message.created_at)
            .join(Creator, Creator.id == Message.creator_id)
            .where(Creator.external_id == creator)
        ).all()
    script_keys = [(text, T0 + timedelta(minutes=m)) for _, text, m, _ in SCRIPT]
    order = [""] * len(SCRIPT)
    for external, text, created_at in stored:
        order[script_keys.index((text, created_at))] = external
    return inbox_state(creator, order)


def test_batches_split_across_commits_still_see_earlier_groups(embedder, monkeypatch) -> None:
    monkeypatch.setattr(inbox_ingest, "STREAM_GROUP", 3)
    one_by_one, batched = new_creator(), new_creator()
    one_by_one_ingest(script(one_by_one), embedder)
    list(inbox_ingest.ingest_stream(script(batched), embedder=embedder))
    assert _state_in_script_order(one_by_one)[:2] == _state_in_script_order(batched)[:2]


def test_a_replay_inside_one_batch_is_the_same_message(embedder, monkeypatch) -> None:
    monkeypatch.setattr(inbox_ingest, "STREAM_GROUP", 64)
    creator = new_creator()
    first = fan_message(creator, "a", "Do you ship to Canada?")
    results = list(inbox_ingest.ingest_stream([first, first], embedder=embedder))
    assert results[1].replayed and results[1].message_id == results[0].message_id
    assert results[1].cluster_id == results[0].cluster_id
    other = fan_message(new_creator(), "a", "hi", external_id=first.external_id)
    [stored, again] = inbox_ingest.ingest_stream([other, other], embedder=embedder)
    assert not stored.replayed and stored.message_id != results[0].message_id
    assert again.replayed and again.message_id == stored.message_id


def test_a_superseded_batch_cluster_closes_empty(embedder, monkeypatch) -> None:
    """A fan writes twice inside one batch about unrelated things: their first message's
    new cluster is left with no active member and closes as `empty` at once."""
    monkeypatch.setattr(inbox_ingest, "STREAM_GROUP", 64)
    creator = new_creator()
    messages = [
        fan_message(creator, "a", "Do you ship to Canada?").model_copy(update={"created_at": T0}),
        fan_message(creator, "a", "Where can I buy your merch hoodie?").model_copy(
            update={"created_at": T0 + timedelta(minutes=1)}
        ),
    ]
    first, second = list(inbox_ingest.ingest_stream(messages, embedder=embedder))
    with db.session_scope() as session:
        emptied = session.get_one(Cluster, first.cluster_id)
        assert emptied.status is ClusterStatus.empty and emptied.member_count == 0
        assert session.get_one(Cluster, second.cluster_id).member_count == 1
