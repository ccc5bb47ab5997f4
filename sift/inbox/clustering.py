"""Grouping inbound fan messages into clusters: online assignment plus background regrouping.

A cluster is answered with one reply, so a message put in the wrong cluster means a fan
gets an answer to a question they did not ask. Every rule here therefore prefers to leave
a message alone (a new, single-message cluster) over guessing; recall is recovered later,
when the background regroup merges clusters once there is enough evidence.

The similarity used everywhere is *average linkage*: the mean cosine between a message
(or a cluster's members) and all members of another cluster. Because embeddings are unit
vectors, it needs no member scan: with `mean` the unnormalised mean of a cluster's member
vectors, the average cosine of `x` to the members is `x . mean`, and the average cosine
between two clusters is `mean_a . mean_b`. So a cluster row only has to keep `mean` and
`size`, and the on-arrival decision only needs a top-k neighbour query plus the stats of the
clusters those neighbours belong to (see `decide`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

ClusterId = Hashable
MessageId = Hashable


@dataclass(frozen=True)
class ClusteringParams:
    """Thresholds for grouping; defaults tuned on Banking77 (see bench/tune_clustering.py).

    join_similarity: minimum average cosine between a new message and all members of the
        cluster it joins. Average (not nearest-member) linkage stops a cluster from growing
        along a chain of near neighbours into a different topic.
    margin: the best cluster must beat the runner-up by this much average cosine; a message
        that sits between two clusters is ambiguous and stays alone.
    min_member_hits: how many of the top-k neighbours must belong to the chosen cluster
        (capped by its size), so a join rests on several members, not on the centroid alone.
    merge_similarity: background regroup merges two clusters when the average cosine between
        their members reaches this. It can be a little lower than `join_similarity`, because
        a merge is backed by every member of both clusters rather than by one new message.
    split_similarity: a cluster with a member whose average cosine to the other members is
        below this is re-clustered from scratch at `merge_similarity` during regroup.
    neighbours: k of the nearest-neighbour query that precedes each decision.
    suggest_similarity: the floor of the "similar clusters" a creator is offered to merge by
        hand: below what grouping does on its own, because a person checks each one.
    """

    join_similarity: float = 0.76
    margin: float = 0.03
    min_member_hits: int = 2
    merge_similarity: float = 0.76
    split_similarity: float = 0.55
    neighbours: int = 20
    suggest_similarity: float = 0.45


@dataclass(frozen=True)
class StrictnessScale:
    """How a creator's strictness (0 = group most, 1 = group least) maps to thresholds.

    Strictness moves the join and merge similarity together along a straight line between
    `loosest` and `strictest`. A creator who has not chosen a strictness gets the
    similarity of `default`, tightened when the inbox's own calibration
    (`calibration.calibrate_similarity`) finds its questions close together (`adapted`).
    The strict end is chosen so that fine-grained inboxes (Banking77's 77 close intents)
    keep their precision, the loose end so that a creator who wants few, broad groups gets
    them.
    """

    loosest: float
    strictest: float
    default: float
    calibration: tuple[tuple[float, float], tuple[float, float]] | None
    """Two (natural grouping level, similarity to group at) points, the line through which
    maps an inbox's natural level to its similarity (`calibrate_similarity`). None: the
    model's similarities do not calibrate (the stock model's silhouette peaks far too
    strict on realistic inboxes), so its default stays fixed."""

    def similarity(self, strictness: float) -> float:
        return self.loosest + (self.strictest - self.loosest) * strictness

    def strictness_of(self, similarity: float) -> float:
        """Where a similarity sits on the scale, within [0, 1] (`similarity`'s inverse)."""
        position = (similarity - self.loosest) / (self.strictest - self.loosest)
        return min(max(position, 0.0), 1.0)

    @property
    def adaptive_floor(self) -> float:
        """The loosest similarity a calibration may choose: the default's own.

        Calibration only ever tightens. A silhouette read on one inbox is weak evidence
        for grouping *more* than the default: on a held-out realistic inbox it pointed to
        0.60 and pair precision fell from 0.88 to 0.69, while tightening costs recall only,
        which the creator gets back with one click on a "similar clusters" suggestion."""
        return self.similarity(self.default)

    def adapted(self, calibrated: float) -> float:
        """A calibrated similarity kept between `adaptive_floor` and `strictest`: the
        automatic setting never groups more than the default nor less than the strictest
        setting."""
        return min(max(calibrated, self.adaptive_floor), self.strictest)


STRICTNESS_SCALES = {
    "minilm-intent": StrictnessScale(
        loosest=0.5,
        strictest=0.80,
        default=0.6,
        calibration=((0.61, 0.68), (0.69, 0.80)),
    ),
    "minilm": StrictnessScale(loosest=0.5, strictest=0.76, default=0.4, calibration=None),
}
"""One scale per inbox embedding model (`SIFT_INBOX_EMBEDDING_MODEL`): similarities mean
different things in different vector spaces. The loosest end (0.5) is where DSTC11 intents
start to merge wholesale. The intent model's figures come from `bench/tune_clustering.py
--many`, over inboxes generated from DSTC11 development, CLINC150 and Banking77 train:

- default 0.68 (strictness 0.6): the loosest similarity whose worst-case pair precision
  over the generated realistic inboxes reaches 0.90 (0.912), chosen by every fold of
  leave-one-dataset-out (`--cross-validate`); below it precision falls fast (0.67: worst
  0.87), above it recall does (0.70: median recall 0.47 against 0.53) for no gain in the
  worst case (0.69: 0.903, 0.70: 0.893), because the errors left are sibling intents
  ("add" / "remove a dependent") that sit closer than any usable threshold.
- strictest 0.80: worst pair precision 0.897 and NMI 0.753 over four 3,080-message samples
  of Banking77 train (the size of its test set), 0.91 / 0.72 over four of 10,000. No
  similarity keeps precision 0.88 and NMI 0.75 at 10,000 (`--strict-frontier`): a bigger
  inbox splits each question into more fragments at any strict similarity, a limit of the
  embedder that a looser strict end would only trade precision for.
- calibration: the natural grouping level of realistic inboxes is 0.54-0.62, that of
  Banking77 samples of 2,000 messages 0.71-0.73 (0.62-0.66 in windows of 600); the line
  maps 0.61 to the default and reaches the strict end at 0.69, so a Banking77 inbox is at
  0.80 by 3,080 messages (worst pair precision over six such inboxes 0.86; a line ending
  at 0.71 left some at 0.78, 0.84).

The stock model's default (0.60) keeps pair precision about 0.90 on DSTC11 development."""

SPLIT_GAP = 0.05
"""How far below the join similarity a member's average cosine to the rest of its cluster
may fall before regroup re-clusters the cluster (0.63 at the intent model's default).

Online joins see a cluster as it was when each message arrived, so a cluster drifts and
keeps members that no longer fit: the worst realistic inboxes held a sibling intent's
messages at an average cosine of 0.62-0.67 to the rest. Re-clustering from 0.05 below
the join (rather than 0.11) frees them; over 33 generated realistic inboxes and four
arrival orders worst-case pair precision rose from 0.896 to 0.908 with median recall
unchanged (0.52), and Banking77 at the strict end did not move."""


def params_for(
    strictness: float | None,
    model: str = "minilm-intent",
    calibrated: float | None = None,
) -> ClusteringParams:
    """The thresholds of a strictness in [0, 1] for an inbox model. None is the default:
    the inbox's `calibrated` similarity when it has one, else the scale's default."""
    scale = STRICTNESS_SCALES[model]
    if strictness is None and calibrated is not None:
        similarity = scale.adapted(calibrated)
    else:
        chosen = scale.default if strictness is None else strictness
        if not 0.0 <= chosen <= 1.0:
            raise ValueError(f"strictness must be between 0 and 1, not {chosen}")
        similarity = scale.similarity(chosen)
    similarity = round(similarity, 4)
    return ClusteringParams(
        join_similarity=similarity,
        merge_similarity=similarity,
        split_similarity=round(similarity - SPLIT_GAP, 4),
    )


CALIBRATION_MIN_MESSAGES = 600
"""Below this many messages the silhouette of an inbox mostly measures its size (with two
or three messages per question, every strict grouping looks like singletons), so smaller
inboxes keep the default similarity."""
CALIBRATION_SAMPLE = 2000
"""Calibration looks at the creator's most recent messages only: its cost is quadratic."""
CALIBRATION_GROWTH = 1.2
"""An inbox is calibrated again once it holds this many times the messages it had at its
last calibration, so a growing inbox is calibrated O(log n) times."""


def calibration_due(messages: int, calibrated_messages: int | None, model: str) -> bool:
    """Whether an inbox of `messages` should be (re)calibrated."""
    if STRICTNESS_SCALES[model].calibration is None or messages < CALIBRATION_MIN_MESSAGES:
        return False
    return calibrated_messages is None or messages >= CALIBRATION_GROWTH * calibrated_messages


@dataclass(frozen=True)
class Neighbour:
    """One row of the top-k query over a creator's active messages."""

    message_id: MessageId
    cluster_id: ClusterId
    similarity: float


@dataclass(frozen=True)
class ClusterStats:
    """What a cluster row keeps: the mean of its member unit vectors and the member count.

    The mean is deliberately not normalised: its length encodes how tight the cluster is,
    and that is what makes average linkage computable from the row alone.
    """

    mean: np.ndarray
    size: int


@dataclass(frozen=True)
class Merge:
    """Move every member of `sources` into `target`; the sources then cease to exist."""

    target: ClusterId
    sources: tuple[ClusterId, ...]


@dataclass(frozen=True)
class Split:
    """`cluster_id` keeps `keep`; each group in `new_clusters` becomes a cluster of its own."""

    cluster_id: ClusterId
    keep: tuple[MessageId, ...]
    new_clusters: tuple[tuple[MessageId, ...], ...]


@dataclass(frozen=True)
class RegroupPlan:
    """The outcome of a regroup as data, so the caller applies it in one transaction."""

    splits: tuple[Split, ...] = ()
    merges: tuple[Merge, ...] = ()

    def cluster_ids(self) -> set[ClusterId]:
        """Every existing cluster the plan changes."""
        merged = {c for m in self.merges for c in (m.target, *m.sources)}
        return merged | {split.cluster_id for split in self.splits}


def decide(
    vector: np.ndarray,
    neighbours: Sequence[Neighbour],
    clusters: dict[ClusterId, ClusterStats],
    params: ClusteringParams,
) -> ClusterId | None:
    """Pick the cluster a new message joins, or None to open a new cluster for it.

    Only clusters holding one of the message's nearest neighbours are candidates: a cluster
    none of whose members makes the top k is, if it reaches `join_similarity` at all, so
    borderline that leaving the message alone is the precision-first answer. A candidate
    must pass three checks, all aimed at precision: average linkage above
    `join_similarity`, enough of the neighbours inside it, and a clear margin over the
    next-best candidate.
    """
    hits: dict[ClusterId, int] = defaultdict(int)
    for neighbour in neighbours:
        hits[neighbour.cluster_id] += 1
    scored = sorted(
        ((float(vector @ clusters[cid].mean), cid) for cid in hits if cid in clusters),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if not scored:
        return None
    best_link, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else -1.0
    needed_hits = min(params.min_member_hits, clusters[best].size)
    if (
        best_link >= params.join_similarity
        and hits[best] >= needed_hits
        and best_link - runner_up >= params.margin
    ):
        return best
    return None


def add_member(stats: ClusterStats | None, vector: np.ndarray) -> ClusterStats:
    """Cluster stats after adding one message; None stands for a cluster being opened."""
    if stats is None:
        return ClusterStats(mean=vector.astype(np.float32), size=1)
    size = stats.size + 1
    return ClusterStats(mean=(stats.mean * stats.size + vector) / size, size=size)


def stats_of(vectors: np.ndarray) -> ClusterStats:
    """Stats of a cluster recomputed from its member vectors, e.g. after a split."""
    return ClusterStats(mean=vectors.mean(axis=0).astype(np.float32), size=len(vectors))


def combine(stats: Sequence[ClusterStats]) -> ClusterStats:
    """Stats of the union of several clusters, exact because the mean is size-weighted."""
    size = sum(s.size for s in stats)
    return ClusterStats(mean=sum(s.mean * s.size for s in stats) / size, size=size)


_BLOCK = 512
"""Rows of the similarity matrix computed at once: memory stays at `_BLOCK` x groups floats
however many clusters a creator has (a full matrix of 30k clusters would need 3.6 GB)."""


def agglomerate(
    means: np.ndarray,
    sizes: np.ndarray,
    threshold: float,
    apart: Collection[tuple[int, int]] = (),
) -> list[list[int]]:
    """Average-linkage agglomeration of groups (rows) until no pair reaches `threshold`.

    Two groups joined by an `apart` pair of rows, directly or through what they absorbed,
    are never merged.

    Each round matches pairs greedily, most similar first, each group at most once per
    round, then recomputes the similarities of the merged groups. Every merge therefore
    joins two groups whose average member similarity is at least `threshold` at the time
    of the merge, the guarantee precision rests on, while the number of rounds stays
    logarithmic in the size of the largest group. Only pairs that reach the threshold are
    kept, and after a round only the merged groups' pairs are recomputed: the similarity of
    two groups that did not change has not changed either.
    """
    means, sizes = means.astype(np.float32), sizes.astype(np.float64)
    members: list[list[int]] = [[i] for i in range(len(sizes))]
    alive = np.ones(len(sizes), dtype=bool)
    forbidden: dict[int, set[int]] = defaultdict(set)
    for a, b in apart:
        forbidden[a].add(b)
        forbidden[b].add(a)
    pairs = _close_pairs(np.arange(len(sizes)), means, alive, threshold)
    while len(pairs):
        if forbidden:  # a pair kept apart once stays apart: drop it rather than revisit it
            allowed = [int(b) not in forbidden.get(int(a), ()) for a, b in pairs[:, :2]]
            pairs = pairs[np.asarray(allowed, dtype=bool)]
        taken = np.zeros(len(sizes), dtype=bool)
        for a, b in pairs[np.lexsort((pairs[:, 1], pairs[:, 0], -pairs[:, 2]))][:, :2]:
            a, b = int(a), int(b)
            if taken[a] or taken[b]:
                continue
            taken[a] = taken[b] = True
            for other in forbidden.pop(b, set()):
                forbidden[other].discard(b)
                forbidden[other].add(a)
                forbidden[a].add(other)
            total = sizes[a] + sizes[b]
            means[a] = (means[a] * sizes[a] + means[b] * sizes[b]) / total
            sizes[a] = total
            members[a].extend(members[b])
            alive[b] = False
        untouched = ~(taken[pairs[:, 0].astype(int)] | taken[pairs[:, 1].astype(int)])
        changed = np.flatnonzero(taken & alive)
        pairs = np.concatenate([pairs[untouched], _close_pairs(changed, means, alive, threshold)])
    return [members[i] for i in np.flatnonzero(alive)]


def _close_pairs(
    rows: np.ndarray, means: np.ndarray, alive: np.ndarray, threshold: float
) -> np.ndarray:
    """Every pair (a, b, similarity), a < b, of live groups, one of them among `rows`,
    whose similarity reaches `threshold`; computed `_BLOCK` rows at a time."""
    found = []
    for start in range(0, len(rows), _BLOCK):
        block = rows[start : start + _BLOCK]
        similarity = means[block] @ means.T
        similarity[:, ~alive] = -np.inf
        similarity[np.arange(len(block)), block] = -np.inf
        hit_rows, cols = np.nonzero(similarity >= threshold)
        found.append(
            np.column_stack([block[hit_rows], cols, similarity[hit_rows, cols]]).astype(np.float64)
        )
    if not found:
        return np.empty((0, 3))
    pairs = np.concatenate(found)
    pairs[:, :2] = np.sort(pairs[:, :2], axis=1)
    _, first = np.unique(pairs[:, :2], axis=0, return_index=True)
    return pairs[np.sort(first)]


def _incoherent(vectors: np.ndarray, params: ClusteringParams) -> bool:
    """True when some member's average cosine to the other members is below
    `split_similarity`, or when the members' average pairwise cosine is below what a
    cluster built now would have.

    Every join and merge requires an average linkage of at least `merge_similarity`, so a
    cluster built under the current thresholds has an average pairwise cosine at least
    that high; one below it (less `COHERENCE_SLACK`) was grown under looser thresholds,
    before the inbox was calibrated, and may hold several questions.
    """
    size = len(vectors)
    if size < 3:
        return False
    total = vectors.sum(axis=0)
    leave_one_out = (vectors @ total - 1.0) / (size - 1)
    pairwise = (float(total @ total) - size) / (size * (size - 1))
    return bool(
        leave_one_out.min() < params.split_similarity
        or pairwise < params.merge_similarity - COHERENCE_SLACK
    )


COHERENCE_SLACK = 0.02
"""Room below `merge_similarity` for a cluster's average pairwise cosine, so the rounding of
stored vectors and removed members do not break up a cluster built at today's thresholds."""


def _apart_groups(
    order: Sequence[ClusterId],
    kept_rows: dict[ClusterId, list[int]],
    message_ids: Sequence[MessageId],
    keep_apart: Collection[tuple[MessageId, MessageId]],
) -> list[tuple[int, int]]:
    """`keep_apart` message pairs as pairs of positions in `order` (the clusters that may
    merge); pairs with a message outside those clusters cannot be merged anyway."""
    if not keep_apart:
        return []
    position = {cid: i for i, cid in enumerate(order)}
    group_of = {message_ids[row]: position[cid] for cid, rows in kept_rows.items() for row in rows}
    return [
        (group_of[a], group_of[b])
        for a, b in keep_apart
        if a in group_of and b in group_of and group_of[a] != group_of[b]
    ]


def regroup(
    message_ids: Sequence[MessageId],
    vectors: np.ndarray,
    cluster_ids: Sequence[ClusterId],
    locked: set[ClusterId],
    params: ClusteringParams,
    *,
    keep_apart: Collection[tuple[MessageId, MessageId]] = (),
    curated: Collection[ClusterId] = (),
) -> RegroupPlan:
    """Plan the background re-grouping of a creator's active messages.

    Online decisions see one message at a time, so two clusters can start apart and drift
    together, and a cluster can pick up a member that no longer fits once more arrive.
    This first splits incoherent clusters (re-clustering their members from scratch), then
    merges clusters whose average linkage reaches `merge_similarity`. Locked clusters (a
    creator is replying to them) take part in neither: they are not split, and nothing is
    merged into or out of them. Split-off groups are left for the next regroup to merge, so
    a plan only ever merges clusters that already exist.

    The creator's own corrections win over similarity: a `curated` cluster (one they merged
    or moved a message into) is never split, and no merge puts the two messages of a
    `keep_apart` pair (a message they moved out, and a member of the cluster it left) into
    one cluster again.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    rows_of: dict[ClusterId, list[int]] = defaultdict(list)
    for row, cid in enumerate(cluster_ids):
        rows_of[cid].append(row)

    splits: list[Split] = []
    kept_rows: dict[ClusterId, list[int]] = {}
    for cid, rows in rows_of.items():
        if cid in locked:
            continue
        kept_rows[cid] = rows
        if cid in curated or not _incoherent(vectors[rows], params):
            continue
        parts = agglomerate(vectors[rows], np.ones(len(rows)), params.merge_similarity)
        if len(parts) == 1:
            continue
        parts.sort(key=len, reverse=True)
        kept_rows[cid] = [rows[i] for i in parts[0]]
        splits.append(
            Split(
                cluster_id=cid,
                keep=tuple(message_ids[rows[i]] for i in parts[0]),
                new_clusters=tuple(tuple(message_ids[rows[i]] for i in part) for part in parts[1:]),
            )
        )

    order = list(kept_rows)
    if len(order) < 2:
        return RegroupPlan(splits=tuple(splits))
    means = np.stack([vectors[kept_rows[cid]].mean(axis=0) for cid in order])
    sizes = np.array([len(kept_rows[cid]) for cid in order])
    merges = []
    apart = _apart_groups(order, kept_rows, message_ids, keep_apart)
    for group in agglomerate(means, sizes, params.merge_similarity, apart):
        if len(group) > 1:
            # The largest cluster absorbs the others, so the fewest messages change cluster.
            ranked = sorted(group, key=lambda i: int(sizes[i]), reverse=True)
            merges.append(
                Merge(target=order[ranked[0]], sources=tuple(order[i] for i in ranked[1:]))
            )
    return RegroupPlan(splits=tuple(splits), merges=tuple(merges))
