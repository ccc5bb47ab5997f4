"""`sift bench inbox`: streamed and single ingest rates of the production path.

It runs `ingest.ingest_stream` (batched, `batch.ingest_batch`) and `ingest.ingest` (one
message per transaction, pgvector kNN, the creator's advisory lock) in a throwaway database
beside a busy inbox, and sets the rates beside the embedder's own and beside the stream as
it was before batching (one `ingest` per message), both measured in the same run: the
machine's speed drifts between runs, ratios within one run do not.

`--grow-to N` then grows the same inbox to N stored messages (generated vectors, bulk
copied; only the timed messages are embedded) and times single ingests again, so the cost
of a big inbox reads beside the small one's.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Annotated

import numpy as np
import sqlalchemy as sa
import typer
from pgvector import Vector
from rich.progress import Progress
from rich.table import Table

from sift import db
from sift.ai.embeddings import get_inbox_embedder
from sift.evaluation import scratch_database
from sift.inbox import fans, ingest
from sift.inbox.models import (
    Channel,
    Cluster,
    ClusterMessage,
    Creator,
    InboundMessage,
    Message,
)
from sift.metrics import percentile_ms
from sift.terminal import console, progress_bar

# --- sift bench inbox -----------------------------------------------------------------------

_WARM_UP = 20
"""Untimed ingests first, so the timed ones run on warm connections and caches."""
_TOPIC_TEXTS = 2000
"""At most this many embedded generated texts, around which the pre-embedded background
messages are drawn (one per five stored messages)."""


def _noisy(vectors: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` unit vectors drawn around `vectors` (real embeddings) with small noise."""
    base = vectors[rng.integers(0, len(vectors), size=n)]
    noisy = base + rng.normal(0, 0.02, size=base.shape).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    return noisy


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
        noisy = _noisy(vectors, n, rng)
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


def _prewarm() -> None:
    """Load the messages' HNSW index into shared buffers, where a live server holds the
    pages its ingests keep visiting (and the embedded server's `pg_prewarm` reloads them
    after a restart); a bulk load leaves them cold. Skipped where the extension is not
    installed or may not be created."""
    with db.get_engine().connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        with contextlib.suppress(sa.exc.DBAPIError):
            autocommit.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            autocommit.exec_driver_sql("SELECT pg_prewarm('ix_messages_embedding_hnsw')")


_COPY_BATCH = 50_000
"""Rows per COPY while growing the inbox: big enough to amortise, small enough to show
progress and keep memory flat."""


def _grow(
    creator: str,
    start: int,
    total: int,
    vectors: np.ndarray,
    rng: np.random.Generator,
    advance: Callable[[int], None],
) -> None:
    """Grow the creator's inbox to `total` stored messages in clusters of ~10, with vectors
    drawn around the same embedded topics plus noise (no text is embedded).

    The HNSW index is dropped for the load and built once after it (an index build is many
    times faster than a million inserts into the graph); the other tables are loaded with
    binary COPY."""
    index = next(i for i in Message.__table__.indexes if i.name == "ix_messages_embedding_hnsw")
    with db.get_engine().begin() as connection:
        creator_id = connection.execute(
            sa.select(Creator.id).where(Creator.external_id == creator)
        ).scalar_one()
        index.drop(connection)
    for chunk in range(start, total, _COPY_BATCH):
        n = min(_COPY_BATCH, total - chunk)
        noisy = _noisy(vectors, n, rng)
        channels = [uuid.uuid4() for _ in range(n)]
        messages = [uuid.uuid4() for _ in range(n)]
        clusters = [uuid.uuid4() for _ in range(0, n, 10)]
        with db.session_scope() as session:
            cursor = db.vector_cursor(session)
            _copy(
                cursor,
                "channels (id, creator_id, external_id)",
                ["uuid", "uuid", "text"],
                ((c, creator_id, f"bg-{chunk + j}") for j, c in enumerate(channels)),
            )
            _copy(
                cursor,
                "clusters (id, creator_id, status, centroid, member_count)",
                ["uuid", "uuid", "text", "vector", "int4"],
                (
                    (c, creator_id, "open", Vector(noisy[k * 10]), 10)
                    for k, c in enumerate(clusters)
                ),
            )
            _copy(
                cursor,
                "messages (id, creator_id, channel_id, external_message_id, text, text_hash,"
                " is_paid_dm, embedding, matchable_cluster_id)",
                ["uuid", "uuid", "uuid", "text", "text", "varchar", "bool", "vector", "uuid"],
                (
                    (
                        m,
                        creator_id,
                        channels[j],
                        f"bg-{chunk + j}",
                        f"background message {chunk + j}",
                        f"bg{chunk + j}",
                        False,
                        Vector(noisy[j]),
                        clusters[j // 10],
                    )
                    for j, m in enumerate(messages)
                ),
            )
            _copy(
                cursor,
                "cluster_messages (cluster_id, message_id, status)",
                ["uuid", "uuid", "text"],
                ((clusters[j // 10], m, "active") for j, m in enumerate(messages)),
            )
        advance(n)
    with db.get_engine().connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql("SET maintenance_work_mem = '2GB'")
        autocommit.exec_driver_sql("SET max_parallel_maintenance_workers = 2")
        index.create(autocommit)


def _copy(cursor: object, target: str, types: list[str], rows: Iterable[tuple]) -> None:
    """One binary COPY of `rows` into `target` ("table (columns)")."""
    with cursor.copy(f"COPY {target} FROM STDIN WITH (FORMAT BINARY)") as copy:  # type: ignore[attr-defined]
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _stream_one_by_one(messages: Iterable[InboundMessage]) -> None:
    """The stream as it was before `batch`: one `ingest.ingest` per message (its six to
    eight statements), the next message embedded meanwhile, a commit every 16. Kept here
    as the same-run baseline of `ingest_stream`."""
    embedder = get_inbox_embedder()
    pending: deque[tuple[InboundMessage, Future[np.ndarray]]] = deque()
    upcoming = iter(messages)

    def prefetch() -> None:
        message = next(upcoming, None)
        if message is not None:
            pending.append(
                (message, ingest.EMBEDDING_POOL.submit(embedder.embed_one, message.text))
            )

    prefetch()
    with db.pinned_session() as session:
        done = 0
        while pending:
            inbound, vector = pending.popleft()
            prefetch()
            ingest.ingest(session, inbound, embedder=embedder, vector=vector.result())
            done += 1
            if done % 16 == 0 or not pending:
                session.commit()


def _time_singles(
    texts: list[str],
    inbound: Callable[[str, int, str], InboundMessage],
    kind: str,
    advance: Callable[[], None],
) -> list[float]:
    """Seconds of each single ingest, one transaction each, as webhooks arrive."""
    latencies = []
    for i, text in enumerate(texts):
        began = time.perf_counter()
        with db.session_scope() as session:
            ingest.ingest(session, inbound(kind, i, text))
        latencies.append(time.perf_counter() - began)
        advance()
    return latencies


_ROUNDS = 10
"""Rounds of single ingests alternating between the small and the grown inbox."""


def _grown_figures(
    creator: str,
    sizes: tuple[int, int],
    topic_vectors: np.ndarray,
    texts: tuple[list[str], list[str], list[str]],
    inbound: Callable[[str, int, str], InboundMessage],
    progress: Progress,
) -> dict[str, float | int]:
    """Single-ingest latency in a second inbox grown to `sizes[1]` messages, timed in
    rounds alternating with the small inbox of the current database: figures taken minutes
    apart on a shared machine differ by more than the inbox's size does (the embedder alone
    ran 35% slower in one run than in the run before)."""
    messages, grow_to = sizes
    cold_texts, small_texts, big_texts = texts
    small = db.get_engine()
    with scratch_database("sift_bench_grown"):
        rng = np.random.default_rng(7)
        _seed_background(creator, messages, topic_vectors, rng)
        task = progress.add_task(f"growing an inbox to {grow_to} messages", total=grow_to)
        progress.advance(task, messages)
        started = time.perf_counter()
        _grow(creator, messages, grow_to, topic_vectors, rng, lambda n: progress.advance(task, n))
        _settle()
        grow_s = time.perf_counter() - started
        task = progress.add_task(
            f"timing single ingests at {grow_to} and {messages}", total=3 * len(big_texts)
        )

        def advance() -> None:
            progress.advance(task)

        cold = _time_singles(cold_texts, inbound, "cold", advance)
        _prewarm()
        big: list[float] = []
        few: list[float] = []
        for turn in range(_ROUNDS):
            part = slice(turn * len(big_texts) // _ROUNDS, (turn + 1) * len(big_texts) // _ROUNDS)
            for grown in (True, False) if turn % 2 == 0 else (False, True):
                if grown:
                    big += _time_singles(big_texts[part], inbound, f"big{turn}", advance)
                else:
                    with db.bound(small):
                        few += _time_singles(small_texts[part], inbound, f"small{turn}", advance)
    small.dispose()
    return {
        "grown_to": grow_to,
        "grow_s": round(grow_s, 1),
        "p50_ms_small": percentile_ms(few, 50),
        "p95_ms_small": percentile_ms(few, 95),
        "p50_ms_grown": percentile_ms(big, 50),
        "p95_ms_grown": percentile_ms(big, 95),
        "p95_grown_over_p95_small": round(percentile_ms(big, 95) / percentile_ms(few, 95), 2),
        "p50_ms_grown_cold": percentile_ms(cold, 50),
        "p95_ms_grown_cold": percentile_ms(cold, 95),
    }


def bench_inbox(
    messages: Annotated[
        int, typer.Option("--messages", min=0, max=1_000_000, help="Messages stored first.")
    ] = 10_000,
    samples: Annotated[
        int, typer.Option("--samples", min=10, help="Real ingests timed on top of them.")
    ] = 300,
    grow_to: Annotated[
        int,
        typer.Option(
            "--grow-to",
            min=0,
            max=5_000_000,
            help="Then grow the inbox to this many stored messages (generated vectors) and "
            "time single ingests again; 0: off.",
        ),
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object last.")] = False,
) -> None:
    """Ingest rate and latency for one creator with N stored messages, beside the
    embedder's own rate and the unbatched stream's on the same kind of texts in the same
    run."""
    embedder = get_inbox_embedder()
    text_rng = random.Random(7)
    topics = min(_TOPIC_TEXTS, max(50, messages // 5))
    topic_texts = [fans.varied_text(text_rng, i) for i in range(topics)]
    batches = [
        [fans.varied_text(text_rng, topics + k * samples + i) for i in range(samples)]
        for k in range(5)
    ]
    streamed, baseline, single, embedded_alone, single_big = batches
    grouped_alone = [fans.varied_text(text_rng, topics + 6 * samples + i) for i in range(samples)]
    single_cold = [fans.varied_text(text_rng, topics + 7 * samples + i) for i in range(samples)]
    single_small = [fans.varied_text(text_rng, topics + 8 * samples + i) for i in range(samples)]
    warm_up = [fans.varied_text(text_rng, topics + 5 * samples + i) for i in range(_WARM_UP)]
    creator = "bench-creator"

    def inbound(kind: str, i: int, text: str) -> InboundMessage:
        return InboundMessage(
            creator=creator, channel=f"{kind}-{i}", external_id=f"{kind}-{i}", text=text
        )

    figures: dict[str, float | int] = {}
    with scratch_database("sift_bench"), progress_bar() as progress:
        progress.add_task(f"storing {messages} pre-embedded messages", total=None)
        topic_vectors = embedder.inner.embed(topic_texts)
        rng = np.random.default_rng(7)
        _seed_background(creator, messages, topic_vectors, rng)
        _settle()
        _prewarm()
        for _ in ingest.ingest_stream(inbound("warm", i, t) for i, t in enumerate(warm_up)):
            pass  # first statements on fresh connections are planned, not yet prepared
        started = time.perf_counter()
        for text in embedded_alone:
            embedder.inner.embed([text])
        embed_per_s = samples / (time.perf_counter() - started)
        started = time.perf_counter()
        for start in range(0, samples, ingest.STREAM_GROUP):
            embedder.inner.embed(grouped_alone[start : start + ingest.STREAM_GROUP])
        embed_grouped_per_s = samples / (time.perf_counter() - started)
        task = progress.add_task("timing streamed ingests (batched, then one by one)", total=2)
        started = time.perf_counter()
        for _ in ingest.ingest_stream(inbound("stream", i, t) for i, t in enumerate(streamed)):
            pass
        stream_s = time.perf_counter() - started
        progress.advance(task)
        started = time.perf_counter()
        _stream_one_by_one(inbound("unbatched", i, t) for i, t in enumerate(baseline))
        unbatched_s = time.perf_counter() - started
        progress.advance(task)
        task = progress.add_task("timing single ingests", total=samples)
        latencies = _time_singles(single, inbound, "single", lambda: progress.advance(task))
        figures = {
            "ingest_per_s": round(samples / stream_s, 1),
            "embed_per_s": round(embed_per_s, 1),
            "ingest_share_of_embed": round(samples / stream_s / embed_per_s, 3),
            "embed_grouped_per_s": round(embed_grouped_per_s, 1),
            "ingest_share_of_grouped_embed": round(samples / stream_s / embed_grouped_per_s, 3),
            "unbatched_ingest_per_s": round(samples / unbatched_s, 1),
            "batched_speedup": round(unbatched_s / stream_s, 2),
            "single_ingest_per_s": round(samples / sum(latencies), 1),
            "p50_ms": percentile_ms(latencies, 50),
            "p95_ms": percentile_ms(latencies, 95),
            "stored": messages,
        }
        if grow_to > messages:
            timed = (single_cold, single_small, single_big)
            sizes = (messages, grow_to)
            grown = _grown_figures(creator, sizes, topic_vectors, timed, inbound, progress)
            grown["p95_grown_over_p95"] = round(grown["p95_ms_grown"] / figures["p95_ms"], 2)
            figures |= grown
    table = Table("figure", "value", title=f"Inbox ingest, one creator, {messages} stored messages")
    for name, value in figures.items():
        table.add_row(name, str(value))
    console.print(table)
    console.print(
        f"The {messages} stored messages were bulk-inserted pre-embedded. Each timed ingest "
        "runs the full path (embedding, kNN, cluster decision, commit): ingest_per_s streams "
        f"{samples} messages through `ingest_stream` (the embedder runs ahead while each "
        f"group of {ingest.STREAM_GROUP} is stored in one batch); unbatched_ingest_per_s "
        f"streams {samples} others one `ingest` per message, as the stream did before; p50/p95 "
        f"time {samples} single ingests, one transaction each, as webhooks arrive; "
        "embed_per_s is the embedder alone, one text at a time, embed_grouped_per_s the "
        f"embedder alone on groups of {ingest.STREAM_GROUP} texts, as the stream embeds."
        + (
            f" *_grown: {samples} more single ingests in a second inbox of {grow_to} messages "
            "(generated vectors around the same topics), with the HNSW index in shared "
            f"buffers as on a live server, in {_ROUNDS} rounds alternating with {samples} "
            f"more in the {messages}-message inbox (*_small), so that whatever else the "
            "machine does slows both alike (p95_grown_over_p95_small); p95_grown_over_p95 "
            f"compares with the first figure instead; *_grown_cold: the first {samples} "
            "right after the bulk load, before the index is in shared buffers."
            if grow_to > messages
            else ""
        )
    )
    if as_json:
        print(json.dumps(figures), flush=True)
