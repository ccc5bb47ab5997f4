"""Ingest: store one fan message and place it in a cluster (seed 002, DESIGN "Inbox domain").

Every entry point (webhook, GraphQL, CLI file, evaluation, benchmark) comes through
`ingest`, so the rules live here once: a replayed external id (ids are per creator)
changes nothing; creator and channel appear on first sight; the channel's earlier active
memberships are superseded before the new message is matched (and a message older than
the channel's active one is stored superseded at once); paid DMs never cluster; cluster
decisions of one creator are serialised by an advisory lock.

It is the one hot path of the inbox, so it talks SQL through a binary cursor
(`db.vector_cursor`) in six to eight statements instead of the ORM: vectors travel as
binary, and the nearest neighbours and their clusters' stats come back in one query. The
rest of the inbox (rare, human-paced actions) stays on the ORM in `service`.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import psycopg
from pgvector import Vector
from psycopg.types.json import Jsonb
from sqlalchemy.orm import Session

from sift import db
from sift.ai.embeddings import CachedEmbedder, get_inbox_embedder, text_hash
from sift.db import utcnow
from sift.inbox import batch, clustering, service
from sift.inbox.batch import CHANNEL_UPSERT, IngestResult
from sift.inbox.models import InboundMessage

STREAM_GROUP = 32
"""Messages `ingest_stream` commits together."""

EMBEDDING_POOL = ThreadPoolExecutor(
    max_workers=os.cpu_count() or 2, thread_name_prefix="sift-embed"
)
"""Where ingests embed: beside their own database writes, and ahead of the next group in
`ingest_stream`."""

_LOOKUP = """
SELECT (SELECT m.id FROM messages m JOIN creators c ON c.id = m.creator_id
         WHERE c.external_id = %(creator)s AND m.external_message_id = %(external_id)s),
       (SELECT m.embedding FROM messages m JOIN creators c ON c.id = m.creator_id
         WHERE c.external_id = %(creator)s AND m.text_hash = %(text_hash)s
           AND m.embedding IS NOT NULL
         LIMIT 1)
"""
"""Before the (slow) embedding: is this a replay (message ids are per creator), and did the
creator already receive the same text, whose vector can then be reused (fans paste the same
question)?"""

_LOCK = service.LOCK_CREATOR + ", set_config('hnsw.iterative_scan', 'relaxed_order', true)"
"""`service.lock_creator`'s lock, plus SET LOCAL of the HNSW iterative scan (in the same
round trip), which keeps walking the graph past other creators' rows so each creator gets
its k neighbours."""

_EXISTING = """
SELECT id FROM messages WHERE creator_id = %(creator_id)s AND external_message_id = %(external_id)s
"""
_CREATOR = """
SELECT id, grouping_strictness, calibrated_similarity FROM creators
WHERE external_id = %(creator)s
"""
_NEW_CREATOR = """
WITH new AS (
    INSERT INTO creators (id, external_id, created_at, updated_at)
    VALUES (%(id)s, %(creator)s, now(), now())
    ON CONFLICT (external_id) DO NOTHING
    RETURNING id
)
SELECT id, NULL::float8, NULL::float8 FROM new
UNION ALL SELECT id, grouping_strictness, calibrated_similarity FROM creators
WHERE external_id = %(creator)s
"""
"""Creates the creator on first sight. Safe without the creator's lock: a racing first
insert makes this one return no row (its snapshot predates the other's commit), and the
caller simply asks again."""
_CHANNEL = f"""
INSERT INTO channels (id, creator_id, external_id, visitor_id, visitor_name,
                      visitor_avatar_url, created_at, updated_at)
VALUES (%(id)s, %(creator_id)s, %(channel)s, %(visitor_id)s, %(visitor_name)s,
        %(visitor_avatar_url)s, now(), now())
{CHANNEL_UPSERT}RETURNING id, xmax = 0
"""
"""A message on a channel means the channel exists (again); returns whether it is new, as
a new channel has no earlier membership to supersede. Written under the creator's lock:
a stream's group holds that lock across messages, so taking the channel's row lock first
would let a stream and a single ingest of one channel wait on each other."""

_NEIGHBOURS = """
SELECT n.cluster_id, n.distance, c.centroid, c.member_count
FROM (SELECT matchable_cluster_id AS cluster_id, embedding <=> %(vector)s AS distance
        FROM messages
       WHERE creator_id = %(creator_id)s AND matchable_cluster_id IS NOT NULL
       ORDER BY embedding <=> %(vector)s
       LIMIT %(k)s) AS n
LEFT JOIN clusters c ON c.id = n.cluster_id AND c.status = 'open'
"""
"""The k nearest *matchable* messages (active, not deleted, not paid: the partial HNSW
index of migration 0003) with the stats of their clusters, in one round trip."""

_MESSAGE = """
message AS (
    INSERT INTO messages (id, creator_id, channel_id, external_message_id, sender_id, text,
                          text_hash, is_paid_dm, embedding, raw, created_at,
                          matchable_cluster_id)
    VALUES (%(message_id)s, %(creator_id)s, %(channel_id)s, %(external_id)s, %(sender_id)s,
            %(text)s, %(text_hash)s, %(is_paid)s, %(vector)s, %(raw)s, %(created_at)s,
            %(matchable_cluster_id)s)
)"""
_STORE = f"""
WITH cluster AS (
    INSERT INTO clusters (id, creator_id, status, is_paid, centroid, member_count,
                          created_at, updated_at)
    VALUES (%(cluster_id)s, %(creator_id)s, 'open', %(is_paid)s, %(centroid)s,
            %(member_count)s, now(), now())
    ON CONFLICT (id) DO UPDATE SET centroid = excluded.centroid,
                                   member_count = excluded.member_count,
                                   updated_at = now()
), {_MESSAGE}
INSERT INTO cluster_messages (cluster_id, message_id, status, created_at, updated_at)
VALUES (%(cluster_id)s, %(message_id)s, 'active', now(), now())
"""
"""Open or update the cluster, store the message and its membership: one statement (the
foreign keys are checked at its end, when all three rows exist)."""

_NEWER_ON_CHANNEL = """
SELECT cm.cluster_id
FROM messages m JOIN cluster_messages cm ON cm.message_id = m.id
WHERE m.channel_id = %(channel_id)s AND cm.status = 'active' AND m.created_at > %(created_at)s
LIMIT 1
"""
"""The cluster of a *later* message of the channel that is still active: webhooks are
retried and files are unordered, so an older message can arrive after a newer one."""

_STORE_SUPERSEDED = f"""
WITH {_MESSAGE}
INSERT INTO cluster_messages (cluster_id, message_id, status, created_at, updated_at)
VALUES (%(cluster_id)s, %(message_id)s, 'superseded', now(), now())
"""
"""A late older message is kept (replays, deletes and audits find it) but is superseded
from the start, in the cluster of the message that replaced it; nothing is matched."""


def ingest(
    session: Session,
    inbound: InboundMessage,
    *,
    embedder: CachedEmbedder | None = None,
    vector: np.ndarray | None = None,
) -> IngestResult:
    """Store one fan message and place it in a cluster; a replayed id changes nothing.

    The embedding (unless handed in by `ingest_stream` or reused) is computed on a worker
    thread while the creator is looked up, and before the creator's lock is taken, so
    concurrent ingests for one creator overlap on the slow part and serialise only on the
    channel and cluster writes.
    """
    cursor = db.vector_cursor(session)
    digest = text_hash(inbound.text)
    embedding: Future[np.ndarray] | None = None
    if vector is None:
        existing, stored = _one(
            cursor,
            _LOOKUP,
            external_id=inbound.external_id,
            creator=inbound.creator,
            text_hash=digest,
        )
        if existing is not None:
            return _replay(session, existing)
        if stored is not None:
            vector = stored.to_numpy()
        else:
            embedding = EMBEDDING_POOL.submit(
                (embedder or get_inbox_embedder()).embed_one, inbound.text
            )
    creator_id, strictness, calibrated = _creator(cursor, inbound.creator)
    if embedding is not None:
        vector = embedding.result()
    cursor.execute(_LOCK, {"creator": inbound.creator})
    raced = cursor.execute(
        _EXISTING, {"creator_id": creator_id, "external_id": inbound.external_id}
    ).fetchone()
    if raced is not None:  # the same event got to the lock first
        return _replay(session, raced[0])
    channel_id, new_channel = _one(
        cursor,
        _CHANNEL,
        id=uuid.uuid4(),
        creator_id=creator_id,
        channel=inbound.channel,
        visitor_id=inbound.sender_id,
        visitor_name=inbound.visitor_name,
        visitor_avatar_url=inbound.visitor_avatar_url,
    )
    vector = np.asarray(vector, dtype=np.float32)
    message_id = uuid.uuid4()
    message = {
        "message_id": message_id,
        "creator_id": creator_id,
        "channel_id": channel_id,
        "external_id": inbound.external_id,
        "sender_id": inbound.sender_id,
        "text": inbound.text,
        "text_hash": digest,
        "is_paid": inbound.is_paid_dm,
        "vector": Vector(vector),
        "raw": Jsonb(inbound.raw),
        "created_at": inbound.created_at or utcnow(),
        "matchable_cluster_id": None,
    }
    embedded = embedding is not None
    if not new_channel:
        newer = cursor.execute(_NEWER_ON_CHANNEL, message).fetchone()
        if newer is not None:
            cursor.execute(_STORE_SUPERSEDED, {**message, "cluster_id": newer[0]})
            return IngestResult(message_id, newer[0], embedded=embedded)
        service.refresh_clusters(session, service.supersede_channel(session, channel_id))
    cluster_id, stats = _choose_cluster(
        cursor,
        creator_id,
        vector,
        inbound.is_paid_dm,
        service.clustering_params(strictness, calibrated),
    )
    stats = clustering.add_member(stats, vector)
    cursor.execute(
        _STORE,
        {
            **message,
            "cluster_id": cluster_id,
            "centroid": Vector(stats.mean),
            "member_count": stats.size,
            "matchable_cluster_id": None if inbound.is_paid_dm else cluster_id,
        },
    )
    session.expire_all()  # rows the ORM loaded while superseding were changed underneath
    return IngestResult(message_id, cluster_id, new_cluster=stats.size == 1, embedded=embedded)


def ingest_stream(
    messages: Iterable[InboundMessage], *, embedder: CachedEmbedder | None = None
) -> Iterator[IngestResult]:
    """Ingest many messages in order: the embedder runs ahead on worker threads while the
    database stores the previous group of `STREAM_GROUP` with `batch.ingest_batch` (a
    fixed number of round trips per group) and commits it.

    Bulk sources (a file, the evaluation, a webhook backlog) would otherwise leave the
    embedder idle during every database round trip; overlapping the two, and paying the
    database once per group, keeps the rate close to the embedder's own. Results are
    yielded once their group is committed; an error rolls back only the group in progress,
    so a re-run replays everything before it as no-ops. A group holds the lock of every
    creator it touched until it commits, so webhook ingests for those creators wait for at
    most one group (two bulk streams over the same creators in a different order can
    deadlock; PostgreSQL then aborts one, and its re-run replays what was committed).
    """
    embedder = embedder or get_inbox_embedder()
    size = STREAM_GROUP
    upcoming = iter(messages)
    pending: deque[tuple[list[InboundMessage], Future[np.ndarray]]] = deque()

    def prefetch() -> None:
        """Keep two groups' embeddings under way, each group's texts in one call (a batch
        keeps both cores busy where one short text cannot): the next group is embedded
        while the database stores this one."""
        while len(pending) < 2:
            group = list(itertools.islice(upcoming, size))
            if not group:
                return
            texts = [m.text for m in group]
            pending.append((group, EMBEDDING_POOL.submit(embedder.embed, texts)))

    prefetch()
    with db.pinned_session() as session:
        while pending:
            group, vectors = pending.popleft()
            prefetch()
            results = batch.ingest_batch(session, list(zip(group, vectors.result(), strict=True)))
            session.commit()
            yield from results


def _creator(cursor: psycopg.Cursor, creator: str) -> tuple[uuid.UUID, float | None, float | None]:
    """The creator's id, grouping strictness and calibrated similarity; a creator seen
    first is created."""
    row = cursor.execute(_CREATOR, {"creator": creator}).fetchone()
    if row is not None:
        return row[0], row[1], row[2]
    for _ in range(2):  # the second ask sees a racing first insert, now committed
        row = cursor.execute(_NEW_CREATOR, {"id": uuid.uuid4(), "creator": creator}).fetchone()
        if row is not None:
            return row[0], row[1], row[2]
    raise service.InboxError(f"creator {creator} could not be created")


def _one(cursor: psycopg.Cursor, statement: str, **params: object) -> tuple:
    """The single row a statement always returns."""
    cursor.execute(statement, params)
    row = cursor.fetchone()
    assert row is not None, statement
    return row


def _choose_cluster(
    cursor: psycopg.Cursor,
    creator_id: uuid.UUID,
    vector: np.ndarray,
    is_paid_dm: bool,
    params: clustering.ClusteringParams,
) -> tuple[uuid.UUID, clustering.ClusterStats | None]:
    """The cluster `clustering.decide` picks, with its stats, or a new id and None. Paid
    DMs always get a cluster of their own."""
    if is_paid_dm:
        return uuid.uuid4(), None
    cursor.execute(
        _NEIGHBOURS, {"vector": Vector(vector), "creator_id": creator_id, "k": params.neighbours}
    )
    neighbours, stats = [], {}
    for cluster_id, distance, centroid, size in cursor.fetchall():
        neighbours.append(clustering.Neighbour(None, cluster_id, 1.0 - distance))
        if centroid is not None and size:
            stats[cluster_id] = clustering.ClusterStats(centroid.to_numpy(), size)
    chosen = clustering.decide(vector, neighbours, stats, params)
    if chosen is None:
        return uuid.uuid4(), None
    return chosen, stats[chosen]


def _replay(session: Session, message_id: uuid.UUID) -> IngestResult:
    """The stored message's outcome again: the same creator sent the same id."""
    return IngestResult(message_id, service.cluster_of_message(session, message_id), replayed=True)
