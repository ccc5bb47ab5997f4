"""An in-memory inbox: the production grouping path without the database.

`sift eval clustering --plot` and `bench/tune_clustering.py` score thresholds and
calibration with it over thousands of messages, which re-ingesting through PostgreSQL for
every setting would make too slow to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sift.inbox.calibration import calibrate_similarity
from sift.inbox.clustering import (
    CALIBRATION_SAMPLE,
    ClusteringParams,
    ClusterStats,
    Neighbour,
    RegroupPlan,
    add_member,
    calibration_due,
    combine,
    decide,
    params_for,
    regroup,
    stats_of,
)


@dataclass
class OnlineClusterer:
    """In-memory inbox for one creator: brute-force kNN around `decide` and `regroup`.

    It mirrors the production flow (top-k query, then cluster stats, then `decide`; the
    caller runs `regroup` periodically, as the background job would), so thresholds tuned
    here carry over to the database path. With `adaptive_model`, `regroup` also calibrates
    the inbox as the database path does for a creator at the default strictness, and
    `params` follow the calibration.
    """

    params: ClusteringParams = field(default_factory=ClusteringParams)
    dimensions: int = 384
    locked: set[int] = field(default_factory=set)
    adaptive_model: str | None = None
    calibrated_messages: int | None = field(init=False, default=None)
    _vectors: np.ndarray = field(init=False)
    _labels: list[int] = field(init=False, default_factory=list)
    _stats: dict[int, ClusterStats] = field(init=False, default_factory=dict)
    _next_cluster: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._vectors = np.zeros((1024, self.dimensions), dtype=np.float32)

    @property
    def labels(self) -> list[int]:
        """Cluster id of every message, in arrival order."""
        return list(self._labels)

    def neighbours(self, vector: np.ndarray) -> list[Neighbour]:
        """The top-k query production runs with pgvector, done by brute force."""
        count = len(self._labels)
        if count == 0:
            return []
        similarity = self._vectors[:count] @ vector
        k = min(self.params.neighbours, count)
        top = np.argpartition(-similarity, k - 1)[:k]
        return [Neighbour(int(i), self._labels[i], float(similarity[i])) for i in top]

    def add(self, vector: np.ndarray) -> int:
        """Assign one arriving message and return its cluster id."""
        vector = np.asarray(vector, dtype=np.float32)
        neighbours = self.neighbours(vector)
        candidates = {n.cluster_id: self._stats[n.cluster_id] for n in neighbours}
        chosen = decide(vector, neighbours, candidates, self.params)
        cluster = self._new_cluster() if chosen is None else int(chosen)
        self._stats[cluster] = add_member(self._stats.get(cluster), vector)
        row = len(self._labels)
        if row == len(self._vectors):
            self._vectors = np.concatenate([self._vectors, np.zeros_like(self._vectors)])
        self._vectors[row] = vector
        self._labels.append(cluster)
        return cluster

    def add_all(self, vectors: np.ndarray, *, regroup_every: int = 1000) -> list[int]:
        """Assign messages in order with a regroup every `regroup_every` and one at the end,
        as ingest plus the periodic job do; returns every message's cluster id."""
        for count, vector in enumerate(vectors, start=1):
            self.add(vector)
            if count % regroup_every == 0:
                self.regroup()
        self.regroup()
        return self.labels

    def regroup(self) -> RegroupPlan:
        """Run the background regroup over every message and apply its plan."""
        count = len(self._labels)
        model = self.adaptive_model
        if model and calibration_due(count, self.calibrated_messages, model):
            recent = self._vectors[max(0, count - CALIBRATION_SAMPLE) : count]
            previous = self.params.join_similarity if self.calibrated_messages else None
            calibrated = calibrate_similarity(recent, model, previous)
            self.params = params_for(None, model, calibrated)
            self.calibrated_messages = count
        plan = regroup(
            list(range(count)), self._vectors[:count], self._labels, self.locked, self.params
        )
        for split in plan.splits:
            for part in split.new_clusters:
                cluster = self._new_cluster()
                for row in part:
                    self._labels[int(row)] = cluster
                self._stats[cluster] = stats_of(self._vectors[list(part)])
            self._stats[split.cluster_id] = stats_of(self._vectors[list(split.keep)])
        moved: dict[int, int] = {}
        for merge in plan.merges:
            target = int(merge.target)
            sources = [int(source) for source in merge.sources]
            moved.update(dict.fromkeys(sources, target))
            self._stats[target] = combine(
                [self._stats[target], *(self._stats.pop(source) for source in sources)]
            )
        self._labels = [moved.get(label, label) for label in self._labels]
        return plan

    def _new_cluster(self) -> int:
        self._next_cluster += 1
        return self._next_cluster
