"""`sift eval clustering`: inbox grouping scored against labelled texts.

The texts are ingested as one creator's fan messages through the production ingest
(`ingest.ingest_stream`, pgvector kNN, the creator's advisory lock) in a throwaway database,
so the figures are those of the real path.
"""

from __future__ import annotations

import csv
import json
import math
import random
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Annotated

import numpy as np
import sqlalchemy as sa
import typer
from rich.table import Table

from sift import db
from sift.evaluation import EvaluationInputError, check_output_path, scratch_database
from sift.inbox import clustering, ingest, service
from sift.inbox.models import (
    ClusterMessage,
    Creator,
    InboundMessage,
    MembershipStatus,
    Message,
)
from sift.inbox.online import OnlineClusterer
from sift.metrics import ClusteringQuality, clustering_quality
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


def _ingest(
    rows: list[tuple[str, str]], order: list[int], creator: str, strictness: float | None
) -> float:
    """Ingest `rows` in `order` as one creator's inbox, re-grouping as the periodic job
    would; returns the seconds it took."""
    with db.session_scope() as session:
        session.add(Creator(external_id=creator, grouping_strictness=strictness))
    with progress_bar() as progress:
        task = progress.add_task("ingesting", total=len(order))
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
        return time.perf_counter() - started


def _quality(rows: list[tuple[str, str]], creator: str) -> ClusteringQuality:
    assigned = _assignments(creator)
    predicted = [str(assigned.get(f"row-{i}", f"none-{i}")) for i in range(len(rows))]
    return clustering_quality([label for _, label in rows], predicted)


def _majority_labels(rows: list[tuple[str, str]], creator: str) -> dict[uuid.UUID, str]:
    members: dict[uuid.UUID, list[str]] = {}
    for external_id, cluster_id in _assignments(creator).items():
        members.setdefault(cluster_id, []).append(rows[int(external_id.removeprefix("row-"))][1])
    return {cid: Counter(labels).most_common(1)[0][0] for cid, labels in members.items()}


def _next_suggestion(
    creator: str, refused: set[frozenset[uuid.UUID]]
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The first "similar cluster" the creator has not yet refused, going down the inbox
    in the order they see it (biggest clusters first)."""
    with db.session_scope() as session:
        for view in service.list_clusters(session, creator_external_id=creator, limit=10_000):
            for similar in service.similar_clusters(session, view.id):
                if frozenset((view.id, similar.cluster.id)) not in refused:
                    return view.id, similar.cluster.id
    return None


def _assist(rows: list[tuple[str, str]], creator: str, budget: int) -> tuple[int, int]:
    """A simulated creator acts on `budget` "similar clusters" suggestions: merges those
    whose majority labels agree, refuses the others. Returns (accepted, refused)."""
    accepted, refused = 0, set()
    with progress_bar() as progress:
        task = progress.add_task("acting on suggestions", total=budget)
        while accepted + len(refused) < budget:
            suggestion = _next_suggestion(creator, refused)
            if suggestion is None:
                break
            majority = _majority_labels(rows, creator)
            cluster_id, other_id = suggestion
            if majority.get(cluster_id) == majority.get(other_id):
                with db.session_scope() as session:
                    service.merge_clusters(
                        session, cluster_id=cluster_id, other_cluster_id=other_id
                    )
                accepted += 1
            else:
                refused.add(frozenset(suggestion))
            progress.advance(task)
    return accepted, len(refused)


def _arrival_vectors(creator: str, order: list[int]) -> np.ndarray:
    """The stored embeddings in arrival order, for the in-memory strictness sweep."""
    with db.session_scope() as session:
        stored = dict(
            session.execute(
                sa.select(Message.external_message_id, Message.embedding)
                .join(Creator, Creator.id == Message.creator_id)
                .where(Creator.external_id == creator)
            ).all()
        )
    return np.stack([np.asarray(stored[f"row-{i}"], dtype=np.float32) for i in order])


def _grouping_setting(creator: str) -> tuple[float, float]:
    """The join similarity the creator ended with (the calibrated one at the default) and
    where the default sits on the strictness scale."""
    with db.session_scope() as session:
        owner = service.get_creator_or_raise(session, creator)
        similarity = service.creator_params(owner).join_similarity
        return round(similarity, 4), service.default_strictness(owner)


def _figures(quality: ClusteringQuality) -> dict[str, float | int]:
    return {
        "nmi": round(quality.nmi, 4),
        "ari": round(quality.ari, 4),
        "acc": round(quality.accuracy, 4),
        "pair_precision": round(quality.precision, 4),
        "pair_recall": round(quality.recall, 4),
        "purity": round(quality.purity, 4),
        "coverage": round(quality.coverage, 4),
        "clusters": quality.clusters,
    }


def eval_clustering(
    data: Annotated[Path, typer.Option("--data", help="CSV with columns text,category.")],
    seed: Annotated[int, typer.Option("--seed", help="Fixes the arrival order.")] = 0,
    strictness: Annotated[
        float | None,
        typer.Option(
            "--strictness",
            help="0 = group most … 1 = group least; default: adapts to the inbox.",
        ),
    ] = None,
    assist: Annotated[
        int,
        typer.Option(
            "--assist", min=0, help="Also score after a simulated creator acts on N suggestions."
        ),
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object last.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write precision and recall by strictness here.")
    ] = None,
) -> None:
    """Score inbox clustering on labelled texts, ingested as one creator's fan messages."""
    rows = read_labelled_texts(data)
    if strictness is not None and not (math.isfinite(strictness) and 0 <= strictness <= 1):
        raise EvaluationInputError(
            f"--strictness {strictness}: must be from 0 (group most) to 1 (group least)"
        )
    if plot is not None:
        check_output_path(plot, "PNG file")
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    creator = "eval-creator"
    with scratch_database("sift_eval"):
        seconds = _ingest(rows, order, creator, strictness)
        figures = _figures(_quality(rows, creator))
        figures["messages_per_s"] = round(len(rows) / seconds, 1)
        figures["similarity"], default_position = _grouping_setting(creator)
        if assist:
            accepted, refused = _assist(rows, creator, assist)
            assisted = _figures(_quality(rows, creator))
            figures |= {f"assist_{key}": value for key, value in assisted.items()}
            figures |= {"assist_accepted": accepted, "assist_refused": refused}
        vectors = _arrival_vectors(creator, order) if plot is not None else None
    setting = "default" if strictness is None else strictness
    title = f"Inbox clustering of {data.name} (seed {seed}, strictness {setting})"
    table = Table("figure", "value", title=title)
    for key, value in figures.items():
        table.add_row(key, str(value))
    console.print(table)
    if plot is not None and vectors is not None:
        labels = [rows[i][1] for i in order]
        _plot(plot, strictness_curve(vectors, labels), data.name, default_position)
        console.print(f"plot written to {plot}")
    if as_json:
        print(json.dumps(figures), flush=True)


def strictness_curve(
    vectors: np.ndarray, labels: list[str], steps: int = 11
) -> list[tuple[float, ClusteringQuality]]:
    """Quality at evenly spaced strictness settings, by the in-memory mirror of the
    production rule (`OnlineClusterer`) over the same vectors in the same arrival order:
    re-ingesting through the database once per setting would multiply the run time."""
    curve = []
    for strictness in np.linspace(0.0, 1.0, steps):
        params = clustering.params_for(float(strictness), service.inbox_model())
        predicted = OnlineClusterer(params=params).add_all(vectors, regroup_every=REGROUP_EVERY)
        curve.append((float(strictness), clustering_quality(labels, predicted)))
    return curve


def _plot(
    path: Path, curve: list[tuple[float, ClusteringQuality]], name: str, default: float
) -> None:
    """Pair precision, pair recall and NMI against the strictness setting; a dotted line
    marks where the default (adapted to this inbox) sits."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [strictness for strictness, _ in curve]
    figure, axes = plt.subplots(figsize=(7, 4.2))
    axes.plot(xs, [q.precision for _, q in curve], "o-", color="#1c7c4a", label="pair precision")
    axes.plot(xs, [q.recall for _, q in curve], "s-", color="#2d5bd7", label="pair recall")
    axes.plot(xs, [q.nmi for _, q in curve], "^--", color="#8a5a00", label="NMI")
    axes.axvline(default, color="#888", linestyle=":", label="default")
    axes.set(
        title=f"Grouping of {name} by strictness",
        xlabel="strictness (0 = group most, 1 = group least)",
        ylim=(0, 1.02),
    )
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
