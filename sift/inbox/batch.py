"""Ingest of many embedded messages at once: the database work of a streamed batch in a
fixed number of round trips, whatever the batch's size.

`ingest.ingest` spends six to eight round trips on each message. For one webhook that is
fine (p95 ~15 ms), but a stream (a file, the evaluation, a webhook backlog) then waits on
the database three times longer than on the embedder. Here a batch costs about ten
statements in all: creators, locks, replays, channels, the channels' active messages, the
supersede and its cluster refresh, one kNN query for every message (a LATERAL join over the
batch's vectors), and one statement that writes every cluster, message and membership.
Vector arrays are sent binary (`%(vectors)b`): as text, pgvector formats 384 floats per
vector in Python, a third of a batch's time in a profile.

The outcome is what ingesting the messages one by one gives: each message is decided in
order against the database's neighbours *plus* the batch's earlier messages (searched in
memory), with cluster stats kept current as the batch assigns, and the same rules for
replays, late older messages, superseding and paid DMs (`ingest`'s docstring).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import psycopg
from pgvector import Vector
from psycopg.types.json import Jsonb
from sqlalchemy.orm import Session

from sift import db
from sift.ai.embeddings import text_hash
from sift.db import utcnow
from sift.inbox import clustering, service
from sift.inbox.models import InboundMessage


@dataclass(frozen=True)
class IngestResult:
    message_id: uuid.UUID
    cluster_id: uuid.UUID | None
    replayed: bool = False
    new_cluster: bool = False
    embedded: bool = False
    """True when the embedder ran here; False when a vector was reused or handed in."""


_CREATORS = """
SELECT external_id, id, grouping_strictness, calibrated_similarity FROM creators
WHERE external_id = ANY(%(creators)s)
"""
_NEW_CREATORS = """
INSERT INTO creators (id, external_id, created_at, updated_at)
SELECT gen_random_uuid(), c, now(), now() FROM unnest(%(creators)s::text[]) AS c
ON CONFLICT (external_id) DO NOTHING
"""
_LOCK_ALL = f"""
SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),
       (SELECT count(*) FROM (
            SELECT pg_advisory_xact_lock({service.LOCK_CREATOR_KEY}, hashtext(c))::text
            FROM (SELECT DISTINCT c FROM unnest(%(creators)s::text[]) AS c ORDER BY c) AS o
       ) AS locked)
"""
"""Every creator's lock of the batch, always in one order (`service._lock_creators`), and the
HNSW iterative scan `ingest._LOCK` sets, in one round trip."""
_EXISTING = """
SELECT c.external_id, m.external_message_id, m.id FROM messages m
JOIN creators c ON c.id = m.creator_id
WHERE (m.creator_id, m.external_message_id) IN (
    SELECT * FROM unnest(%(creator_ids)s::uuid[], %(ids)s::text[]))
"""
"""The batch's messages stored before it: replays (message ids are per creator)."""
CHANNEL_UPSERT = """\
ON CONFLICT (creator_id, external_id) DO UPDATE SET
    deleted_at = NULL,
    visitor_id = coalesce(excluded.visitor_id, channels.visitor_id),
    visitor_name = coalesce(excluded.visitor_name, channels.visitor_name),
    visitor_avatar_url = coalesce(excluded.visitor_avatar_url, channels.visitor_avatar_url),
    updated_at = now()
"""
"""How a message's channel is upserted, one by one (`ingest._CHANNEL`) or by the batch."""
_CHANNELS = f"""
INSERT INTO channels (id, creator_id, external_id, visitor_id, visitor_name,
                      visitor_avatar_url, created_at, updated_at)
SELECT gen_random_uuid(), c, e, vi, vn, va, now(), now()
FROM unnest(%(creator_ids)s::uuid[], %(channels)s::text[], %(visitor_ids)s::text[],
            %(visitor_names)s::text[], %(avatars)s::text[]) AS t(c, e, vi, vn, va)
{CHANNEL_UPSERT}RETURNING creator_id, external_id, id, xmax = 0
"""
_ACTIVE_ON_CHANNELS = """
SELECT m.channel_id, max(m.created_at), (array_agg(cm.cluster_id ORDER BY m.created_at DESC))[1]
FROM messages m JOIN cluster_messages cm ON cm.message_id = m.id
WHERE m.channel_id = ANY(%(channels)s) AND cm.status = 'active'
GROUP BY m.channel_id
"""
"""Each known channel's newest active message: a batch message older than it arrived late
and is stored superseded; a newer one supersedes it."""
_SUPERSEDE = """
WITH done AS (
    UPDATE cluster_messages cm SET status = 'superseded', updated_at = now()
    FROM messages m
    WHERE m.id = cm.message_id AND m.channel_id = ANY(%(channels)s) AND cm.status = 'active'
    RETURNING cm.cluster_id, cm.message_id
), unmatched AS (
    UPDATE messages SET matchable_cluster_id = NULL FROM done WHERE messages.id = done.message_id
)
SELECT DISTINCT cluster_id FROM done
"""
_REFRESH = """
WITH counted AS (
    SELECT c.id, count(m.id) AS n, avg(m.embedding) AS mean
    FROM clusters c
    LEFT JOIN cluster_messages cm ON cm.cluster_id = c.id AND cm.status = 'active'
    LEFT JOIN messages m ON m.id = cm.message_id
    WHERE c.id = ANY(%(clusters)s)
    GROUP BY c.id
)
UPDATE clusters SET member_count = counted.n,
                    centroid = coalesce(counted.mean, clusters.centroid),
                    status = CASE WHEN counted.n = 0 AND clusters.status = 'open'
                                  THEN 'empty'::cluster_status ELSE clusters.status END,
                    updated_at = now()
FROM counted WHERE clusters.id = counted.id
RETURNING clusters.id, clusters.centroid, clusters.member_count, clusters.status = 'open'
"""
"""`service.refresh_clusters` for every cluster the supersede touched, in one statement."""
_NEIGHBOURS = """
WITH n AS (
    SELECT q.ord, n.cluster_id, n.distance
    FROM unnest(%(vectors)b::vector[], %(creator_ids)s::uuid[], %(ks)s::int[])
         WITH ORDINALITY AS q(v, creator_id, k, ord)
    CROSS JOIN LATERAL (
        SELECT matchable_cluster_id AS cluster_id, embedding <=> q.v AS distance
        FROM messages
        WHERE creator_id = q.creator_id AND matchable_cluster_id IS NOT NULL
        ORDER BY embedding <=> q.v
        LIMIT q.k) AS n
), firsts AS (
    SELECT n.*, row_number() OVER (PARTITION BY n.cluster_id ORDER BY n.ord) AS seen FROM n
)
SELECT f.ord, f.cluster_id, f.distance, c.centroid, c.member_count
FROM firsts f
LEFT JOIN LATERAL (
    SELECT CASE WHEN f.seen = 1 THEN centroid END AS centroid, member_count FROM clusters
    WHERE id = f.cluster_id AND status = 'open') AS c ON true
"""
"""`ingest._NEIGHBOURS` for every message of the batch in one round trip; each cluster's
centroid comes back once, looked up by its key (a join could hash every cluster of the
creator)."""
_STORE = """
WITH cluster AS (
    INSERT INTO clusters (id, creator_id, status, is_paid, centroid, member_count,
                          created_at, updated_at)
    SELECT id, creator_id, CASE WHEN n > 0 THEN 'open' ELSE 'empty' END::cluster_status,
           paid, mean, n, now(), now()
    FROM unnest(%(c_ids)s::uuid[], %(c_creators)s::uuid[], %(c_paid)s::bool[],
                %(c_means)b::vector[], %(c_sizes)s::int[]) AS t(id, creator_id, paid, mean, n)
    ON CONFLICT (id) DO UPDATE SET
        centroid = excluded.centroid,
        member_count = excluded.member_count,
        status = CASE WHEN excluded.member_count = 0 AND clusters.status = 'open'
                      THEN 'empty'::cluster_status ELSE clusters.status END,
        updated_at = now()
), message AS (
    INSERT INTO messages (id, creator_id, channel_id, external_message_id, sender_id, text,
                          text_hash, is_paid_dm, embedding, raw, created_at,
                          matchable_cluster_id)
    SELECT * FROM unnest(%(ids)s::uuid[], %(creators)s::uuid[], %(channels)s::uuid[],
                         %(external_ids)s::text[], %(senders)s::text[], %(texts)s::text[],
                         %(hashes)s::text[], %(paid)s::bool[], %(vectors)b::vector[],
                         %(raws)s::jsonb[], %(created)s::timestamptz[],
                         %(matchable)s::uuid[])
)
INSERT INTO cluster_messages (cluster_id, message_id, status, created_at, updated_at)
SELECT c, m, s::cluster_message_status, now(), now()
FROM unnest(%(member_clusters)s::uuid[], %(ids)s::uuid[], %(statuses)s::text[]) AS t(c, m, s)
"""
"""Every cluster the batch changed (with its final stats), message and membership: one
statement, whose foreign keys are checked at its end."""


@dataclass
class _Placed:
    """A batch message as the batch decided it."""

    inbound: InboundMessage
    vector: np.ndarray
    message_id: uuid.UUID
    creator_id: uuid.UUID
    channel_id: uuid.UUID
    created_at: datetime
    cluster_id: uuid.UUID
    active: bool
    new_cluster: bool = False
    counted: bool = False
    """Added to its cluster's stats (not a late message stored superseded at once)."""


@dataclass
class _Creator:
    id: uuid.UUID
    params: clustering.ClusteringParams


def ingest_batch(
    session: Session, batch: Sequence[tuple[InboundMessage, np.ndarray]]
) -> list[IngestResult]:
    """Store embedded messages in order and place each in a cluster, in the caller's
    transaction (it commits). Holds every creator's lock of the batch until then."""
    if not batch:
        return []
    cursor = db.vector_cursor(session)
    names = sorted({inbound.creator for inbound, _ in batch})
    creators = _creators(cursor, names)
    cursor.execute(_LOCK_ALL, {"creators": names})
    stored = {
        (creator, external): message_id
        for creator, external, message_id in cursor.execute(
            _EXISTING,
            {
                "creator_ids": [creators[inbound.creator].id for inbound, _ in batch],
                "ids": [inbound.external_id for inbound, _ in batch],
            },
        )
    }
    channels = _channels(cursor, batch, creators)
    latest = {
        channel: (created_at, cluster)
        for channel, created_at, cluster in cursor.execute(
            _ACTIVE_ON_CHANNELS, {"channels": [c for c, new in channels.values() if not new]}
        )
    }
    now = utcnow()
    # Which known channels a batch message supersedes depends on times only, so it is done
    # before the kNN query, which then never sees a superseded neighbour.
    superseding: set[uuid.UUID] = set()
    newest = dict(latest)
    seen: set[tuple[str, str]] = set(stored)
    for inbound, _ in batch:
        if _key(inbound) in seen:
            continue
        seen.add(_key(inbound))
        channel_id = channels[(inbound.creator, inbound.channel)][0]
        created_at = inbound.created_at or now
        known = newest.get(channel_id)
        if known is None or known[0] <= created_at:
            if channel_id in latest:
                superseding.add(channel_id)
            newest[channel_id] = (created_at, None)
    stats: dict[uuid.UUID, clustering.ClusterStats | None] = {}
    if superseding:
        touched = [row[0] for row in cursor.execute(_SUPERSEDE, {"channels": sorted(superseding)})]
        for cluster, centroid, size, is_open in cursor.execute(
            _REFRESH, {"clusters": touched}
        ).fetchall():
            stats[cluster] = (
                clustering.ClusterStats(centroid.to_numpy(), size) if is_open and size else None
            )
    return _place(session, cursor, batch, creators, stored, channels, latest, stats, now)


def _place(
    session: Session,
    cursor: psycopg.Cursor,
    batch: Sequence[tuple[InboundMessage, np.ndarray]],
    creators: dict[str, _Creator],
    stored: dict[tuple[str, str], uuid.UUID],
    channels: dict[tuple[str, str], tuple[uuid.UUID, bool]],
    latest: dict[uuid.UUID, tuple[datetime, uuid.UUID]],
    stats: dict[uuid.UUID, clustering.ClusterStats | None],
    now: datetime,
) -> list[IngestResult]:
    """Decide each message in order (the part `ingest` does per message), then write."""
    vectors = [np.asarray(vector, dtype=np.float32) for _, vector in batch]
    searched = _neighbours(cursor, batch, vectors, creators, stored, latest, channels, now)
    stats.update({k: v for k, v in searched.stats.items() if k not in stats})
    placed: list[_Placed] = []
    by_external: dict[tuple[str, str], _Placed] = {}
    active_on: dict[uuid.UUID, _Placed] = {}
    results: list[IngestResult] = []
    for index, ((inbound, _), vector) in enumerate(zip(batch, vectors, strict=True)):
        if _key(inbound) in stored or _key(inbound) in by_external:
            results.append(_replay(session, inbound, stored, by_external))
            continue
        creator = creators[inbound.creator]
        channel_id = channels[(inbound.creator, inbound.channel)][0]
        created_at = inbound.created_at or now
        current = active_on.get(channel_id)
        here = _Placed(
            inbound, vector, uuid.uuid4(), creator.id, channel_id, created_at, uuid.uuid4(), True
        )
        if current is not None and current.created_at > created_at:
            here.cluster_id, here.active = current.cluster_id, False
        elif current is None and _late(latest, channel_id, inbound, now):
            here.cluster_id, here.active = latest[channel_id][1], False
        else:
            if current is not None:  # an earlier message of the batch on the same channel
                current.active = False
                stats[current.cluster_id] = _without(stats[current.cluster_id], current.vector)
            chosen = None
            if not inbound.is_paid_dm:
                neighbours = searched.rows.get(index, []) + [
                    clustering.Neighbour(p.message_id, p.cluster_id, float(vector @ p.vector))
                    for p in placed
                    if p.active and p.creator_id == creator.id and not p.inbound.is_paid_dm
                ]
                neighbours.sort(key=lambda n: -n.similarity)
                top = neighbours[: creator.params.neighbours]
                candidates = {
                    n.cluster_id: s for n in top if (s := stats.get(n.cluster_id)) is not None
                }
                chosen = clustering.decide(vector, top, candidates, creator.params)
            if chosen is not None:
                here.cluster_id = chosen
            updated = clustering.add_member(stats.get(here.cluster_id), vector)
            stats[here.cluster_id] = updated
            here.new_cluster, here.counted = updated.size == 1, True
            active_on[channel_id] = here
        placed.append(here)
        by_external[_key(inbound)] = here
        results.append(IngestResult(here.message_id, here.cluster_id, new_cluster=here.new_cluster))
    _store(cursor, placed, stats)
    session.expire_all()  # rows the ORM may hold were changed underneath
    return results


@dataclass(frozen=True)
class _Searched:
    rows: dict[int, list[clustering.Neighbour]]
    stats: dict[uuid.UUID, clustering.ClusterStats | None]


def _neighbours(
    cursor: psycopg.Cursor,
    batch: Sequence[tuple[InboundMessage, np.ndarray]],
    vectors: list[np.ndarray],
    creators: dict[str, _Creator],
    stored: dict[tuple[str, str], uuid.UUID],
    latest: dict[uuid.UUID, tuple[datetime, uuid.UUID]],
    channels: dict[tuple[str, str], tuple[uuid.UUID, bool]],
    now: datetime,
) -> _Searched:
    """The stored neighbours of every message that may join a cluster, in one query."""
    wanted = [
        index
        for index, (inbound, _) in enumerate(batch)
        if not inbound.is_paid_dm
        and _key(inbound) not in stored
        and not _late(latest, channels[(inbound.creator, inbound.channel)][0], inbound, now)
    ]
    rows: dict[int, list[clustering.Neighbour]] = {}
    stats: dict[uuid.UUID, clustering.ClusterStats | None] = {}
    if not wanted:
        return _Searched(rows, stats)
    cursor.execute(
        _NEIGHBOURS,
        {
            "vectors": [Vector(vectors[i]) for i in wanted],
            "creator_ids": [creators[batch[i][0].creator].id for i in wanted],
            "ks": [creators[batch[i][0].creator].params.neighbours for i in wanted],
        },
    )
    for ordinal, cluster_id, distance, centroid, size in cursor.fetchall():
        index = wanted[ordinal - 1]
        rows.setdefault(index, []).append(clustering.Neighbour(None, cluster_id, 1.0 - distance))
        if centroid is not None:
            stats[cluster_id] = clustering.ClusterStats(centroid.to_numpy(), size) if size else None
        else:
            stats.setdefault(cluster_id, None)
    return _Searched(rows, stats)


def _late(
    latest: dict[uuid.UUID, tuple[datetime, uuid.UUID]],
    channel_id: uuid.UUID,
    inbound: InboundMessage,
    now: datetime,
) -> bool:
    known = latest.get(channel_id)
    return known is not None and known[0] > (inbound.created_at or now)


def _without(stats: clustering.ClusterStats | None, vector: np.ndarray) -> clustering.ClusterStats:
    """Cluster stats after an earlier batch message left it (superseded in the batch)."""
    assert stats is not None and stats.size >= 1
    size = stats.size - 1
    if size == 0:
        return clustering.ClusterStats(stats.mean, 0)
    return clustering.ClusterStats((stats.mean * stats.size - vector) / size, size)


def _store(
    cursor: psycopg.Cursor,
    placed: list[_Placed],
    stats: dict[uuid.UUID, clustering.ClusterStats | None],
) -> None:
    if not placed:
        return
    changed: dict[uuid.UUID, _Placed] = {}
    for p in placed:
        if p.counted:
            changed.setdefault(p.cluster_id, p)
    clusters = [(cid, p, stats[cid]) for cid, p in changed.items() if stats.get(cid) is not None]
    cursor.execute(
        _STORE,
        {
            "c_ids": [cid for cid, _, _ in clusters],
            "c_creators": [p.creator_id for _, p, _ in clusters],
            "c_paid": [p.inbound.is_paid_dm for _, p, _ in clusters],
            "c_means": [Vector(s.mean) for _, _, s in clusters if s is not None],
            "c_sizes": [s.size for _, _, s in clusters if s is not None],
            "ids": [p.message_id for p in placed],
            "creators": [p.creator_id for p in placed],
            "channels": [p.channel_id for p in placed],
            "external_ids": [p.inbound.external_id for p in placed],
            "senders": [p.inbound.sender_id for p in placed],
            "texts": [p.inbound.text for p in placed],
            "hashes": [text_hash(p.inbound.text) for p in placed],
            "paid": [p.inbound.is_paid_dm for p in placed],
            "vectors": [Vector(p.vector) for p in placed],
            "raws": [Jsonb(p.inbound.raw) for p in placed],
            "created": [p.created_at for p in placed],
            "matchable": [
                p.cluster_id if p.active and not p.inbound.is_paid_dm else None for p in placed
            ],
            "member_clusters": [p.cluster_id for p in placed],
            "statuses": ["active" if p.active else "superseded" for p in placed],
        },
    )


def _creators(cursor: psycopg.Cursor, names: list[str]) -> dict[str, _Creator]:
    """Every creator of the batch (created on first sight) with their grouping params."""
    rows = cursor.execute(_CREATORS, {"creators": names}).fetchall()
    if len(rows) < len(names):
        cursor.execute(_NEW_CREATORS, {"creators": names})
        rows = cursor.execute(_CREATORS, {"creators": names}).fetchall()
    found = {
        name: _Creator(creator_id, service.clustering_params(strictness, calibrated))
        for name, creator_id, strictness, calibrated in rows
    }
    missing = set(names) - set(found)
    if missing:  # a racing first insert not yet committed; the stream's re-run finds it
        raise service.InboxError(f"creator {sorted(missing)[0]} could not be created")
    return found


def _channels(
    cursor: psycopg.Cursor,
    batch: Sequence[tuple[InboundMessage, np.ndarray]],
    creators: dict[str, _Creator],
) -> dict[tuple[str, str], tuple[uuid.UUID, bool]]:
    """Every channel of the batch upserted at once (a later message's visitor details win,
    as one-by-one ingest leaves them); (creator, channel) -> (id, whether new)."""
    merged: dict[tuple[str, str], list[str | None]] = {}
    for inbound, _ in batch:
        details = [inbound.sender_id, inbound.visitor_name, inbound.visitor_avatar_url]
        known = merged.setdefault((inbound.creator, inbound.channel), [None, None, None])
        merged[(inbound.creator, inbound.channel)] = [
            new if new is not None else old for new, old in zip(details, known, strict=True)
        ]
    keys = sorted(merged)
    by_id = {creators[name].id: name for name in creators}
    rows = cursor.execute(
        _CHANNELS,
        {
            "creator_ids": [creators[creator].id for creator, _ in keys],
            "channels": [channel for _, channel in keys],
            "visitor_ids": [merged[k][0] for k in keys],
            "visitor_names": [merged[k][1] for k in keys],
            "avatars": [merged[k][2] for k in keys],
        },
    ).fetchall()
    return {(by_id[creator], channel): (cid, new) for creator, channel, cid, new in rows}


def _key(inbound: InboundMessage) -> tuple[str, str]:
    """What makes a message the same message: its id within its creator's messages."""
    return inbound.creator, inbound.external_id


def _replay(
    session: Session,
    inbound: InboundMessage,
    stored: dict[tuple[str, str], uuid.UUID],
    by_external: dict[tuple[str, str], _Placed],
) -> IngestResult:
    """`ingest._replay` for an id stored before the batch or earlier in it."""
    earlier = by_external.get(_key(inbound))
    if earlier:
        return IngestResult(earlier.message_id, earlier.cluster_id, replayed=True)
    message_id = stored[_key(inbound)]
    return IngestResult(message_id, service.cluster_of_message(session, message_id), replayed=True)
