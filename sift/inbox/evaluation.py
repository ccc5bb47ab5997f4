"""`sift eval clustering`: inbox grouping scored against labelled texts.

The texts are ingested as one creator's fan messages through the production ingest
(`ingest.ingest_stream`, pgvector kNN, the creator's advisory lock) in a throwaway database,
so the figures are those of the real path.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import time
import uuid
from pathlib import Path
from typing import Annotated

import numpy as np
import sqlalchemy as sa
import typer
from rich.table import Table

from sift import db
from sift.evaluation import EvaluationInputError, eval_app, scratch_database
from sift.inbox import ingest, service
from sift.inbox.models import (
    ClusterMessage,
    Creator,
    InboundMessage,
    MembershipStatus,
    Message,
)
from sift.terminal import console, progress_bar

REGROUP_EVERY = 1000
"""Messages between two re-groups in the evaluation, standing in for the periodic job."""


# --- sift eval clustering -------------------------------------------------------------------


def read_labelled_texts(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        raise EvaluationInputError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "category"} <= set(reader.fieldnames):
            raise EvaluationInputError(f"{path}: needs a header with columns text,category")
        rows = [(r["text"] or "", r["category"] or "") for r in reader]
    bad = next((i for i, (t, c) in enumerate(rows, start=2) if not t.strip() or not c), None)
    if bad is not None:
        raise EvaluationInputError(f"{path}, line {bad}: empty text or category")
    if not rows:
        raise EvaluationInputError(f"{path}: no rows")
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


def register(app: typer.Typer) -> None:
    """Add the inbox's scorer to `sift eval` (the group itself is the core's)."""
    eval_app.command("clustering")(eval_clustering)
