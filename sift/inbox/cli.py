"""Inbox commands: `sift inbox ingest|clusters`, `sift eval clustering`, `sift bench inbox`.

The evaluation and the benchmark run the production ingest (`ingest.ingest`, one message
per transaction, pgvector kNN, the creator's advisory lock) against a throwaway database on
the configured server, so their figures are the figures of the real path.
"""

from __future__ import annotations

import contextlib
import csv
import json
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import sqlalchemy as sa
import typer
from pydantic import ValidationError
from rich.table import Table

from sift import db, runtime
from sift.benchmarks import bench_app
from sift.config import get_settings
from sift.errors import SiftError
from sift.evaluation import eval_app
from sift.inbox import fans, ingest, service
from sift.inbox.models import (
    Channel,
    Cluster,
    ClusterMessage,
    ClusterStatus,
    Creator,
    InboundMessage,
    MembershipStatus,
    Message,
    first_problem,
)
from sift.terminal import console, progress_bar

inbox_app = typer.Typer(no_args_is_help=True, help="The creator inbox.")

REGROUP_EVERY = 1000
"""Messages between two re-groups in the evaluation, standing in for the periodic job."""


class InboxInputError(SiftError):
    """An input file that cannot be ingested; the message names the file and the item."""


# --- sift inbox ingest / clusters -----------------------------------------------------------


def read_messages(path: Path) -> list[InboundMessage]:
    """Every message of a JSON list or JSON-lines file, validated before anything is stored."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InboxInputError(f"{path}: cannot read ({error})") from None
    items: list[tuple[str, Any]]
    if text.lstrip().startswith("["):
        try:
            items = [(f"item {i}", v) for i, v in enumerate(json.loads(text), start=1)]
        except json.JSONDecodeError as error:
            raise InboxInputError(f"{path}: not JSON ({error.msg}, line {error.lineno})") from None
    else:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((f"line {number}", json.loads(line)))
            except json.JSONDecodeError as error:
                raise InboxInputError(f"{path}, line {number}: not JSON ({error.msg})") from None
    if not items:
        raise InboxInputError(f"{path}: no messages")
    return [_validated(path, where, item) for where, item in items]


def _validated(path: Path, where: str, item: Any) -> InboundMessage:
    try:
        return InboundMessage.model_validate(item)
    except ValidationError as error:
        raise InboxInputError(f"{path}, {where}: {first_problem(error)}") from None


@inbox_app.command("ingest")
def ingest_file(
    file: Annotated[Path, typer.Argument(help="JSON list or JSON lines of messages.")],
) -> None:
    """Ingest fan messages (fields: creator, channel, external_id, text, is_paid_dm,
    sender_id, visitor_name, visitor_avatar_url, created_at, raw) in one transaction."""
    messages = read_messages(file)
    runtime.start(get_settings(), with_workflows=False)
    with db.session_scope() as session:
        results = [ingest.ingest(session, m) for m in messages]
    replayed = sum(r.replayed for r in results)
    console.print(
        f"{len(results) - replayed} message(s) ingested, {replayed} already known, "
        f"{sum(r.new_cluster for r in results)} new cluster(s)"
    )


@inbox_app.command("clusters")
def clusters(
    creator: str,
    min_channels: Annotated[int, typer.Option("--min-channels", min=0)] = 2,
    status: Annotated[ClusterStatus, typer.Option(help="Which clusters.")] = ClusterStatus.open,
) -> None:
    """List a creator's clusters with at least --min-channels channels."""
    runtime.start(get_settings(), with_workflows=False)
    with db.session_scope() as session:
        service.get_creator_or_raise(session, creator)
        views = service.list_clusters(
            session,
            creator_external_id=creator,
            status=status,
            min_channel_count=min_channels,
        )
    console.print(cluster_table(views, title=f"Clusters of {creator}"))


def cluster_table(views: list[service.ClusterView], *, title: str) -> Table:
    table = Table("channels", "question", "who asked", "label", title=title)
    for view in views:
        table.add_row(
            str(view.channel_count),
            view.preview_text[:70],
            view.visitors_line,
            view.summary_label or "",
        )
    return table


# --- a throwaway database -------------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """A fresh, migrated database beside Sift's own, dropped afterwards whatever happens."""
    home = sa.make_url(db.resolve_url(get_settings()))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    db.ensure_database(home, name)
    url = home.set(database=name).render_as_string(hide_password=False)
    try:
        db.upgrade(url)
        db.configure(url)
        yield url
    finally:
        db.dispose()
        db.drop_database(home, name)


# --- sift eval clustering -------------------------------------------------------------------


def read_labelled_texts(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        raise InboxInputError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "category"} <= set(reader.fieldnames):
            raise InboxInputError(f"{path}: needs a header with columns text,category")
        rows = [(r["text"] or "", r["category"] or "") for r in reader]
    bad = next((i for i, (t, c) in enumerate(rows, start=2) if not t.strip() or not c), None)
    if bad is not None:
        raise InboxInputError(f"{path}, line {bad}: empty text or category")
    if not rows:
        raise InboxInputError(f"{path}: no rows")
    return rows


def _assignments(creator: str) -> dict[str, uuid.UUID]:
    """Each message's cluster now (after re-grouping), by external message id."""
    with db.session_scope() as session:
        rows = session.execute(
            sa.select(Message.external_message_id, ClusterMessage.cluster_id)
            .join(ClusterMessage, ClusterMessage.message_id == Message.id)
            .join(Creator, Creator.id == Message.creator_id)
            .where(Creator.external_id == creator, ClusterMessage.status == MembershipStatus.active)
        ).all()
    return dict(rows)


def _regroup(creator: str) -> None:
    with db.session_scope() as session:
        service.regroup(session, creator_external_id=creator)


@eval_app.command("clustering")
def eval_clustering(
    data: Annotated[Path, typer.Option("--data", help="CSV with columns text,category.")],
    seed: Annotated[int, typer.Option("--seed", help="Fixes the arrival order.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object last.")] = False,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a PNG here.")] = None,
) -> None:
    """Score inbox clustering on labelled texts, ingested as one creator's fan messages."""
    from sift.inbox.clustering_metrics import clustering_quality

    rows = read_labelled_texts(data)
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    creator = "eval-creator"
    with scratch_database("sift_eval"), progress_bar() as progress:
        task = progress.add_task(f"ingesting {data.name}", total=len(order))
        started = time.perf_counter()
        inbound = (
            InboundMessage(
                creator=creator, channel=f"row-{i}", external_id=f"row-{i}", text=rows[i][0]
            )
            for i in order
        )
        for done, _ in enumerate(ingest.ingest_stream(inbound), start=1):
            if done % REGROUP_EVERY == 0:
                _regroup(creator)
            progress.advance(task)
        _regroup(creator)
        seconds = time.perf_counter() - started
        assigned = _assignments(creator)
    labels = [rows[i][1] for i in range(len(rows))]
    predicted = [str(assigned.get(f"row-{i}", f"none-{i}")) for i in range(len(rows))]
    quality = clustering_quality(labels, predicted)
    figures = {
        "nmi": round(quality.nmi, 4),
        "ari": round(quality.ari, 4),
        "pair_precision": round(quality.precision, 4),
        "pair_recall": round(quality.recall, 4),
        "purity": round(quality.purity, 4),
        "coverage": round(quality.coverage, 4),
        "clusters": quality.clusters,
        "messages_per_s": round(len(rows) / seconds, 1),
    }
    table = Table(*figures, title=f"Inbox clustering of {data.name} (seed {seed})")
    table.add_row(*(str(v) for v in figures.values()))
    console.print(table)
    if plot is not None:
        _plot(plot, labels, predicted)
        console.print(f"plot written to {plot}")
    if as_json:
        print(json.dumps(figures), flush=True)


def _plot(path: Path, labels: list[str], predicted: list[str]) -> None:
    """Cluster-size distribution and the share of same-label pairs by cluster size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    members: dict[str, list[str]] = {}
    for label, cluster in zip(labels, predicted, strict=True):
        members.setdefault(cluster, []).append(label)
    sizes = np.array([len(v) for v in members.values()])
    by_size: dict[int, list[float]] = {}
    for group in members.values():
        if len(group) >= 2:
            same = sum(c * (c - 1) for c in map(group.count, set(group))) / 2
            by_size.setdefault(len(group), []).append(same / (len(group) * (len(group) - 1) / 2))
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.hist(sizes, bins=range(1, int(sizes.max()) + 2), color="#2d5bd7")
    left.set(title="Cluster sizes", xlabel="messages per cluster", ylabel="clusters", yscale="log")
    xs = sorted(by_size)
    right.plot(xs, [statistics.mean(by_size[x]) for x in xs], "o-", color="#1c7c4a")
    right.set(title="Pairwise precision by cluster size", xlabel="cluster size", ylim=(0, 1.05))
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


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


@bench_app.command("inbox")
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
    from sift.ai.embeddings import get_embedder

    embedder = get_embedder()
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
    app.add_typer(inbox_app, name="inbox")
