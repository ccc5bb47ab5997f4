"""`sift bench inbox`: streamed and single ingest rates of the production path.

It runs `ingest.ingest` (one message per transaction, pgvector kNN, the creator's advisory
lock) in a throwaway database beside a busy inbox, and sets the rate beside the embedder's
own, measured in the same run.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
import uuid
from typing import Annotated

import numpy as np
import sqlalchemy as sa
import typer
from rich.table import Table

from sift import db
from sift.evaluation import bench_app, scratch_database
from sift.inbox import fans, ingest
from sift.inbox.models import (
    Channel,
    Cluster,
    ClusterMessage,
    Creator,
    InboundMessage,
    Message,
)
from sift.terminal import console, progress_bar

# --- sift bench inbox -----------------------------------------------------------------------

_WARM_UP = 20
"""Untimed ingests first, so the timed ones run on warm connections and caches."""
_TOPIC_TEXTS = 2000
"""At most this many embedded generated texts, around which the pre-embedded background
messages are drawn (one per five stored messages)."""


def _seed_background(
    creator: str, count: int, vectors: np.ndarray, rng: np.random.Generator
) -> None:
    """Bulk-insert `count` pre-embedded messages in clusters of ~10, as a busy inbox holds.

    The vectors are real embeddings of generated fan texts plus small noise, so the HNSW
    index and the kNN filters see the density a real inbox has, without embedding 100k
    texts first."""
    with db.session_scope() as session:
        creator_row = Creator(external_id=creator)
        session.add(creator_row)
        session.flush()
        creator_id = creator_row.id
    batch = 2000
    for start in range(0, count, batch):
        n = min(batch, count - start)
        base = vectors[rng.integers(0, len(vectors), size=n)]
        noisy = base + rng.normal(0, 0.02, size=base.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        channel_ids = [uuid.uuid4() for _ in range(n)]
        message_ids = [uuid.uuid4() for _ in range(n)]
        cluster_ids = [uuid.uuid4() for _ in range(0, n, 10)]
        with db.session_scope() as session:
            session.execute(
                sa.insert(Channel),
                [
                    {"id": c, "creator_id": creator_id, "external_id": f"bg-{start + j}"}
                    for j, c in enumerate(channel_ids)
                ],
            )
            session.execute(
                sa.insert(Cluster),
                [
                    {
                        "id": c,
                        "creator_id": creator_id,
                        "centroid": noisy[k * 10],
                        "member_count": 10,
                    }
                    for k, c in enumerate(cluster_ids)
                ],
            )
            session.execute(
                sa.insert(Message),
                [
                    {
                        "id": m,
                        "creator_id": creator_id,
                        "channel_id": channel_ids[j],
                        "external_message_id": f"bg-{start + j}",
                        "text": f"background message {start + j}",
                        "text_hash": f"bg{start + j}",
                        "embedding": noisy[j],
                        "matchable_cluster_id": cluster_ids[j // 10],
                    }
                    for j, m in enumerate(message_ids)
                ],
            )
            session.execute(
                sa.insert(ClusterMessage),
                [
                    {"cluster_id": cluster_ids[j // 10], "message_id": m}
                    for j, m in enumerate(message_ids)
                ],
            )


def _settle() -> None:
    """Bring the bulk-loaded inbox to the steady state of a live one before timing: analysed
    and vacuumed (autovacuum's work) and its writes checkpointed, so neither runs during the
    timed ingests. CHECKPOINT needs the pg_checkpoint role; without it the bulk load's dirty
    pages are left to the server's own schedule."""
    with db.get_engine().connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql("VACUUM ANALYZE messages, clusters, cluster_messages, channels")
        with contextlib.suppress(sa.exc.ProgrammingError):
            autocommit.exec_driver_sql("CHECKPOINT")


def bench_inbox(
    messages: Annotated[
        int, typer.Option("--messages", min=0, max=1_000_000, help="Messages stored first.")
    ] = 10_000,
    samples: Annotated[
        int, typer.Option("--samples", min=10, help="Real ingests timed on top of them.")
    ] = 300,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object last.")] = False,
) -> None:
    """Ingest rate and latency for one creator with N stored messages, beside the
    embedder's own rate on the same texts in the same run."""
    from sift.ai.embeddings import get_inbox_embedder

    embedder = get_inbox_embedder()
    text_rng = random.Random(7)
    topics = min(_TOPIC_TEXTS, max(50, messages // 5))
    topic_texts = [fans.varied_text(text_rng, i) for i in range(topics)]
    streamed = [fans.varied_text(text_rng, topics + i) for i in range(samples)]
    single = [fans.varied_text(text_rng, topics + samples + i) for i in range(samples)]
    warm_up = [fans.varied_text(text_rng, topics + 2 * samples + i) for i in range(_WARM_UP)]
    creator = "bench-creator"

    def inbound(kind: str, i: int, text: str) -> InboundMessage:
        return InboundMessage(
            creator=creator, channel=f"{kind}-{i}", external_id=f"{kind}-{i}", text=text
        )

    with scratch_database("sift_bench"), progress_bar() as progress:
        progress.add_task(f"storing {messages} pre-embedded messages", total=None)
        _seed_background(
            creator, messages, embedder.inner.embed(topic_texts), np.random.default_rng(7)
        )
        _settle()
        for _ in ingest.ingest_stream(inbound("warm", i, t) for i, t in enumerate(warm_up)):
            pass  # first statements on fresh connections are planned, not yet prepared
        started = time.perf_counter()
        for text in streamed + single:
            embedder.inner.embed([text])
        embed_s = time.perf_counter() - started
        task = progress.add_task("timing streamed ingests", total=samples)
        started = time.perf_counter()
        for _ in ingest.ingest_stream(inbound("stream", i, t) for i, t in enumerate(streamed)):
            progress.advance(task)
        stream_s = time.perf_counter() - started
        latencies = []
        task = progress.add_task("timing single ingests", total=samples)
        for i, text in enumerate(single):
            began = time.perf_counter()
            with db.session_scope() as session:
                ingest.ingest(session, inbound("single", i, text))
            latencies.append(time.perf_counter() - began)
            progress.advance(task)
    embed_per_s = 2 * samples / embed_s
    figures = {
        "ingest_per_s": round(samples / stream_s, 1),
        "embed_per_s": round(embed_per_s, 1),
        "ingest_share_of_embed": round(samples / stream_s / embed_per_s, 3),
        "single_ingest_per_s": round(samples / sum(latencies), 1),
        "p50_ms": round(float(np.percentile(latencies, 50)) * 1000, 2),
        "p95_ms": round(float(np.percentile(latencies, 95)) * 1000, 2),
        "stored": messages,
    }
    table = Table(*figures, title=f"Inbox ingest, one creator, {messages} stored messages")
    table.add_row(*(str(v) for v in figures.values()))
    console.print(table)
    console.print(
        f"The {messages} stored messages were bulk-inserted pre-embedded. Each timed ingest "
        "runs the full path (embedding, kNN, cluster decision, commit): ingest_per_s streams "
        f"{samples} messages (`ingest_stream` embeds the next message while storing the "
        f"current one, and commits every {ingest.STREAM_GROUP}); p50/p95 time {samples} "
        "single ingests, one transaction each, as webhooks arrive; embed_per_s is the "
        "embedder alone, one text at a time."
    )
    if as_json:
        print(json.dumps(figures), flush=True)


def register(app: typer.Typer) -> None:
    """Add the inbox's benchmark to `sift bench` (the group itself is the core's)."""
    bench_app.command("inbox")(bench_inbox)
