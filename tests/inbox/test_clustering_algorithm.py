"""Rules of the inbox clustering algorithm, on synthetic unit vectors (no model, no DB)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import silhouette_score

from sift.inbox.calibration import calibrate_similarity, natural_level, silhouette
from sift.inbox.clustering import (
    CALIBRATION_MIN_MESSAGES,
    STRICTNESS_SCALES,
    ClusteringParams,
    ClusterStats,
    Merge,
    Neighbour,
    calibration_due,
    decide,
    params_for,
    regroup,
    stats_of,
)
from sift.inbox.online import OnlineClusterer
from sift.metrics import clustering_quality

DIM = 384
PARAMS = ClusteringParams()


def unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def topic(rng: np.random.Generator) -> np.ndarray:
    return unit(rng.standard_normal(DIM))


def near(center: np.ndarray, rng: np.random.Generator, spread: float = 0.25) -> np.ndarray:
    """A unit vector around `center`; cosine to it is about 1 / sqrt(1 + spread**2)."""
    return unit(center + spread * topic(rng))


def blend(a: np.ndarray, b: np.ndarray, weight: float) -> np.ndarray:
    return unit(weight * a + (1 - weight) * b)


def members(center: np.ndarray, rng: np.random.Generator, count: int) -> np.ndarray:
    return np.stack([near(center, rng) for _ in range(count)])


def neighbours_of(
    vector: np.ndarray, clusters: dict[int, np.ndarray]
) -> tuple[list[Neighbour], dict[int, ClusterStats]]:
    rows = [
        Neighbour(f"{cid}-{i}", cid, float(member @ vector))
        for cid, block in clusters.items()
        for i, member in enumerate(block)
    ]
    return rows, {cid: stats_of(block) for cid, block in clusters.items()}


def test_near_duplicate_joins_its_cluster() -> None:
    rng = np.random.default_rng(1)
    a, b = topic(rng), topic(rng)
    clusters = {1: members(a, rng, 4), 2: members(b, rng, 4)}
    message = near(a, rng, spread=0.05)
    neighbours, stats = neighbours_of(message, clusters)
    assert decide(message, neighbours, stats, PARAMS) == 1


def test_message_between_two_clusters_stays_alone() -> None:
    rng = np.random.default_rng(2)
    a = topic(rng)
    b = blend(a, topic(rng), 0.8)  # a related topic, close enough to compete
    clusters = {1: members(a, rng, 5), 2: members(b, rng, 5)}
    message = blend(clusters[1].mean(axis=0), clusters[2].mean(axis=0), 0.5)
    neighbours, stats = neighbours_of(message, clusters)
    links = sorted((float(message @ s.mean) for s in stats.values()), reverse=True)
    assert links[0] >= PARAMS.join_similarity  # similar enough to join either one...
    assert decide(message, neighbours, stats, PARAMS) is None  # ...so it joins neither
    assert decide(message, neighbours, stats, ClusteringParams(margin=0.0)) is not None


def test_join_needs_several_members_among_the_neighbours() -> None:
    rng = np.random.default_rng(3)
    a = topic(rng)
    clusters = {1: members(a, rng, 5)}
    message = near(a, rng, spread=0.05)
    neighbours, stats = neighbours_of(message, clusters)
    assert decide(message, neighbours[:1], stats, PARAMS) is None
    assert decide(message, neighbours[:2], stats, PARAMS) == 1


def test_unrelated_message_opens_a_new_cluster() -> None:
    rng = np.random.default_rng(4)
    clusters = {1: members(topic(rng), rng, 5)}
    message = topic(rng)
    neighbours, stats = neighbours_of(message, clusters)
    assert decide(message, neighbours, stats, PARAMS) is None


def regroup_input(
    blocks: dict[int, np.ndarray],
) -> tuple[list[str], np.ndarray, list[int]]:
    ids = [f"{cid}-{i}" for cid, block in blocks.items() for i in range(len(block))]
    labels = [cid for cid, block in blocks.items() for _ in range(len(block))]
    return ids, np.concatenate(list(blocks.values())), labels


def test_regroup_merges_clusters_that_drifted_together() -> None:
    rng = np.random.default_rng(5)
    a, other = topic(rng), topic(rng)
    blocks = {1: members(a, rng, 6), 2: members(a, rng, 3), 3: members(other, rng, 4)}
    plan = regroup(*regroup_input(blocks), locked=set(), params=PARAMS)
    assert plan.merges == (Merge(target=1, sources=(2,)),)
    assert plan.splits == ()


def test_regroup_never_touches_locked_clusters() -> None:
    rng = np.random.default_rng(6)
    a, b, c = topic(rng), topic(rng), topic(rng)
    incoherent = np.concatenate([members(b, rng, 3), members(c, rng, 3)])
    blocks = {1: members(a, rng, 6), 2: members(a, rng, 3), 3: incoherent}
    plan = regroup(*regroup_input(blocks), locked={1, 3}, params=PARAMS)
    assert plan.merges == () and plan.splits == ()
    plan = regroup(*regroup_input(blocks), locked={2}, params=PARAMS)
    assert plan.merges == ()
    assert [split.cluster_id for split in plan.splits] == [3]


def test_regroup_splits_an_incoherent_cluster() -> None:
    rng = np.random.default_rng(7)
    b, c = topic(rng), topic(rng)
    blocks = {9: np.concatenate([members(b, rng, 4), members(c, rng, 2)])}
    (split,) = regroup(*regroup_input(blocks), locked=set(), params=PARAMS).splits
    assert split.cluster_id == 9
    assert sorted(split.keep) == ["9-0", "9-1", "9-2", "9-3"]
    assert [sorted(part) for part in split.new_clusters] == [["9-4", "9-5"]]


def test_online_clusterer_groups_topics_and_applies_regroup() -> None:
    rng = np.random.default_rng(8)
    topics = [topic(rng) for _ in range(3)]
    truth = [i % 3 for i in range(30)]
    clusterer = OnlineClusterer()
    for label in truth:
        clusterer.add(near(topics[label], rng))
    clusterer.regroup()
    labels = clusterer.labels
    assert len(set(labels)) == 3
    pairs = [(i, j) for i in range(30) for j in range(30)]
    assert all((labels[i] == labels[j]) == (truth[i] == truth[j]) for i, j in pairs)


def test_regroup_keeps_a_moved_message_apart_from_the_cluster_it_left() -> None:
    rng = np.random.default_rng(9)
    a = topic(rng)
    blocks = {1: members(a, rng, 6), 2: members(a, rng, 1)}
    ids, vectors, labels = regroup_input(blocks)
    assert regroup(ids, vectors, labels, locked=set(), params=PARAMS).merges
    apart = [("2-0", "1-3")]
    plan = regroup(ids, vectors, labels, locked=set(), params=PARAMS, keep_apart=apart)
    assert plan.merges == ()


def test_keep_apart_holds_through_a_third_cluster() -> None:
    """Cluster 3 may absorb the moved message's cluster or the one it left, not both."""
    rng = np.random.default_rng(10)
    a = topic(rng)
    blocks = {1: members(a, rng, 4), 2: members(a, rng, 2), 3: members(a, rng, 3)}
    ids, vectors, labels = regroup_input(blocks)
    plan = regroup(ids, vectors, labels, locked=set(), params=PARAMS, keep_apart=[("2-0", "1-0")])
    groups = [{m.target, *m.sources} for m in plan.merges]
    assert not any({1, 2} <= group for group in groups)
    assert groups


def test_regroup_never_splits_a_cluster_the_creator_curated() -> None:
    rng = np.random.default_rng(7)
    b, c = topic(rng), topic(rng)
    blocks = {9: np.concatenate([members(b, rng, 4), members(c, rng, 2)])}
    plan = regroup(*regroup_input(blocks), locked=set(), params=PARAMS, curated={9})
    assert plan.splits == ()


def test_regroup_frees_a_member_that_drifted_below_the_join_similarity() -> None:
    """A member at an average cosine of 0.60 to the rest of its cluster (a sibling intent
    that joined while the cluster looked different) is split off at the default (join
    0.68), though the cluster as a whole still averages 0.75."""
    axes = np.linalg.qr(np.random.default_rng(8).standard_normal((DIM, 10)))[0].T
    center, other, noise = axes[0], axes[1], axes[2:]
    cluster = [unit(np.sqrt(0.8) * center + np.sqrt(0.2) * direction) for direction in noise[:7]]
    stray = unit(0.6 / np.sqrt(0.8) * center + np.sqrt(1 - 0.45) * other)
    blocks = {4: np.stack([*cluster, stray])}
    (split,) = regroup(*regroup_input(blocks), locked=set(), params=params_for(None)).splits
    assert [list(part) for part in split.new_clusters] == [["4-7"]]
    blocks = {4: np.stack(cluster)}
    assert regroup(*regroup_input(blocks), locked=set(), params=params_for(None)).splits == ()


def test_strictness_moves_both_thresholds_from_loosest_to_strictest() -> None:
    scale = STRICTNESS_SCALES["minilm-intent"]
    loose, default, strict = params_for(0.0), params_for(None), params_for(1.0)
    assert loose.join_similarity == pytest.approx(scale.loosest)
    assert strict.merge_similarity == pytest.approx(scale.strictest)
    assert loose.join_similarity < default.join_similarity < strict.join_similarity
    assert default.split_similarity < default.join_similarity
    with pytest.raises(ValueError, match="between 0 and 1"):
        params_for(1.5)


def test_mapped_accuracy_counts_one_cluster_per_label() -> None:
    """A question split over two clusters scores only its bigger piece."""
    quality = clustering_quality(["a", "a", "a", "a", "b", "b"], [1, 1, 1, 2, 3, 3])
    assert quality.accuracy == pytest.approx(5 / 6)
    assert quality.precision == 1.0


# --- adaptive grouping ----------------------------------------------------------------------


def close_topics(rng: np.random.Generator, topics: int, per_topic: int) -> np.ndarray:
    """An inbox of fine-grained questions: topics whose centres sit about 0.69 apart in
    cosine, members about 0.80 from one another, i.e. above the default similarity (0.66)
    that suits realistic inboxes."""
    base = topic(rng)
    centres = [unit(base + 0.4 * topic(rng)) for _ in range(topics)]
    return np.stack([unit(c + 0.5 * topic(rng)) for c in centres for _ in range(per_topic)])


def test_silhouette_is_the_cosine_silhouette_with_singletons_at_zero() -> None:
    rng = np.random.default_rng(3)
    vectors = np.concatenate([members(topic(rng), rng, 6) for _ in range(4)])
    labels = np.repeat(np.arange(4), 6)
    assert silhouette(vectors, labels) == pytest.approx(
        silhouette_score(vectors, labels, metric="cosine"), abs=1e-5
    )
    labels[0] = 99  # a singleton scores 0, as in the sklearn definition
    assert silhouette(vectors, labels) == pytest.approx(
        silhouette_score(vectors, labels, metric="cosine"), abs=1e-5
    )


def test_a_fine_grained_inbox_calibrates_to_a_similarity_that_keeps_its_topics_apart() -> None:
    """At the fixed default every close topic would run into one cluster; calibrated on the
    inbox itself, grouping keeps them apart and still groups most of each one."""
    rng = np.random.default_rng(0)
    vectors = close_topics(rng, topics=30, per_topic=25)
    labels = np.repeat(np.arange(30), 25)
    order = rng.permutation(len(vectors))
    calibrated = calibrate_similarity(vectors)
    assert calibrated > params_for(None).join_similarity

    fixed = OnlineClusterer(params=params_for(None))
    adaptive = OnlineClusterer(params=params_for(None), adaptive_model="minilm-intent")
    fixed_quality = clustering_quality(labels[order], fixed.add_all(vectors[order]))
    adaptive_quality = clustering_quality(labels[order], adaptive.add_all(vectors[order]))
    assert fixed_quality.precision < 0.2
    assert adaptive_quality.precision > 0.95 and adaptive_quality.nmi > 0.8
    assert adaptive.calibrated_messages == len(vectors)


def test_calibration_waits_for_a_big_enough_inbox_and_repeats_as_it_grows() -> None:
    small = CALIBRATION_MIN_MESSAGES - 1
    assert not calibration_due(small, None, "minilm-intent")
    assert calibration_due(CALIBRATION_MIN_MESSAGES, None, "minilm-intent")
    assert not calibration_due(1100, 1000, "minilm-intent")
    assert calibration_due(1200, 1000, "minilm-intent")
    assert not calibration_due(5000, None, "minilm"), "the stock model does not calibrate"


def test_a_calibrated_similarity_is_the_default_within_its_bounds() -> None:
    scale = STRICTNESS_SCALES["minilm-intent"]
    low, high = scale.adaptive_floor, scale.strictest
    assert params_for(None, calibrated=0.7).join_similarity == pytest.approx(0.7)
    assert params_for(None, calibrated=0.95).merge_similarity == pytest.approx(high)
    assert params_for(None, calibrated=0.3).join_similarity == pytest.approx(low)
    assert params_for(1.0, calibrated=0.7) == params_for(1.0), "a chosen strictness wins"


def broad_topics(rng: np.random.Generator, topics: int, per_topic: int) -> np.ndarray:
    """An inbox of broad questions: unrelated topics whose members sit only about 0.5 from
    one another, so the silhouette peaks at a loose level."""
    return np.stack(
        [
            near(c, rng, spread=1.0)
            for c in (topic(rng) for _ in range(topics))
            for _ in range(per_topic)
        ]
    )


def test_calibration_tightens_but_never_groups_more_than_the_default() -> None:
    """An inbox whose questions separate at a loose level would calibrate below the default;
    grouping stays at the default, since that is weak evidence for risking wrong pairs."""
    vectors = broad_topics(np.random.default_rng(4), topics=15, per_topic=20)
    default = params_for(None)
    assert calibrate_similarity(vectors) < default.join_similarity
    assert params_for(None, calibrated=calibrate_similarity(vectors)) == default
    fine = close_topics(np.random.default_rng(0), topics=30, per_topic=25)
    assert params_for(None, calibrated=calibrate_similarity(fine)).join_similarity > (
        default.join_similarity
    )


def test_repeated_messages_do_not_make_an_inbox_look_fine_grained() -> None:
    """Copies of a message form perfect groups at every level; counted once, they leave the
    inbox's natural level where its distinct messages put it."""
    rng = np.random.default_rng(5)
    vectors = broad_topics(rng, topics=15, per_topic=20)
    repeated = np.concatenate([vectors, vectors[rng.integers(0, len(vectors), 600)]])
    assert natural_level(repeated) == pytest.approx(natural_level(vectors))
