"""The creator corrects the grouping: merge a similar cluster, move a message, undo a
removal, confirm whom a reply goes to, and choose how readily messages are grouped. Each
correction must survive the background re-grouping."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from sift import db
from sift.inbox import clustering, service
from sift.inbox.models import (
    Cluster,
    ClusterCorrection,
    ClusterStatus,
    CorrectionKind,
    Delivery,
    Message,
)

from .conftest import fan_message, ingest, new_creator, split_off_twin

PRICE = [
    "How much does the monthly subscription cost?",
    "What is the price of the monthly subscription?",
    "how much is the subscription per month",
    "What's the monthly subscription price?",
]
SHIPPING = ["Do you ship to Canada?", "Can you ship to Canada?", "do you ship to canada??"]
SHOP = "Where can I buy your merch hoodie?"

pytestmark = pytest.mark.usefixtures("database")


def open_clusters(creator: str) -> list[service.ClusterView]:
    with db.session_scope() as session:
        return service.list_clusters(session, creator_external_id=creator)


def cluster_of(message_id: uuid.UUID) -> service.ClusterView:
    with db.session_scope() as session:
        return service.cluster_view(session, service.cluster_of_message(session, message_id))


def regroup(creator: str) -> dict[str, int]:
    with db.session_scope() as session:
        return service.regroup(session, creator_external_id=creator)


def one_cluster(creator: str, texts: list[str], prefix: str = "ch") -> list:
    results = [ingest(fan_message(creator, f"{prefix}{i}", t)) for i, t in enumerate(texts)]
    assert len({r.cluster_id for r in results}) == 1
    return results


# --- merge ---------------------------------------------------------------------------------


def test_a_twin_cluster_is_suggested_and_merging_it_brings_its_fans_in(embedder) -> None:
    creator = new_creator()
    twin_id = split_off_twin(creator, PRICE[:3])
    [original] = [c.id for c in open_clusters(creator) if c.id != twin_id]
    with db.session_scope() as session:
        [suggestion] = service.similar_clusters(session, original)
    assert suggestion.cluster.id == twin_id and suggestion.cluster.preview_text == PRICE[0]
    with db.session_scope() as session:
        service.merge_clusters(session, cluster_id=original, other_cluster_id=twin_id)
    [merged] = open_clusters(creator)
    assert merged.id == original and merged.channel_count == 3
    with db.session_scope() as session:
        assert session.get_one(Cluster, twin_id).status is ClusterStatus.empty
        corrections = session.scalars(
            sa.select(ClusterCorrection).where(ClusterCorrection.target_cluster_id == original)
        ).all()
    assert {(c.kind, c.source_cluster_id) for c in corrections} == {(CorrectionKind.merge, twin_id)}
    assert len(corrections) == 1  # one row per message the merge moved: the twin held one


def test_an_unrelated_cluster_is_not_suggested(embedder) -> None:
    creator = new_creator()
    [price] = {r.cluster_id for r in one_cluster(creator, PRICE[:2])}
    ingest(fan_message(creator, "shop", SHOP))
    with db.session_scope() as session:
        assert service.similar_clusters(session, price) == []
        assert [n.suggested for n in service.nearest_clusters(session, price)] == [False]


def test_a_cluster_the_creator_merged_is_never_split_by_regroup(embedder) -> None:
    """Merged by hand although the questions differ: the creator's decision stands."""
    creator = new_creator()
    [price] = {r.cluster_id for r in one_cluster(creator, PRICE[:3])}
    shop = ingest(fan_message(creator, "shop", SHOP)).cluster_id
    with db.session_scope() as session:
        service.merge_clusters(session, cluster_id=price, other_cluster_id=shop)
    assert regroup(creator) == {"merged": 0, "split": 0}
    [merged] = open_clusters(creator)
    assert merged.id == price and merged.channel_count == 4


@pytest.mark.parametrize("which", ["itself", "answered", "paid", "another creator's"])
def test_a_merge_that_cannot_be_made_changes_nothing(embedder, which: str) -> None:
    creator = new_creator()
    [price] = {r.cluster_id for r in one_cluster(creator, PRICE[:2])}
    other = {
        "itself": lambda: price,
        "answered": lambda: answered_cluster(creator),
        "paid": lambda: ingest(fan_message(creator, "dm", PRICE[2], paid=True)).cluster_id,
        "another creator's": lambda: ingest(fan_message(new_creator(), "x", PRICE[2])).cluster_id,
    }[which]()
    with db.session_scope() as session, pytest.raises(service.InboxError):
        service.merge_clusters(session, cluster_id=price, other_cluster_id=other)
    assert [c.channel_count for c in open_clusters(creator) if c.id == price] == [2]


def answered_cluster(creator: str) -> uuid.UUID:
    [cluster_id] = {r.cluster_id for r in one_cluster(creator, SHIPPING, prefix="ship")}
    with db.session_scope() as session:
        service.action_cluster(session, cluster_id=cluster_id, response_text="Yes!")
    return cluster_id


# --- move ----------------------------------------------------------------------------------


def test_a_moved_out_message_stays_out_after_a_regroup(embedder) -> None:
    creator = new_creator()
    results = one_cluster(creator, PRICE)
    source, moved = results[0].cluster_id, results[3].message_id
    with db.session_scope() as session:
        new = service.move_message(
            session, cluster_id=source, message_id=moved, to_cluster_id=None
        ).id
    assert cluster_of(moved).id == new and cluster_of(results[0].message_id).channel_count == 3
    regroup(creator)
    assert cluster_of(moved).id == new
    assert {c.channel_count for c in open_clusters(creator)} == {3, 1}


def test_without_the_creators_move_regroup_would_merge_it_back(embedder) -> None:
    """The control of the test above: the same split, made by the online decisions rather
    than by the creator, is merged again."""
    creator = new_creator()
    split_off_twin(creator, PRICE)
    assert regroup(creator)["merged"] == 1
    assert [c.channel_count for c in open_clusters(creator)] == [4]


def test_a_message_moved_into_another_cluster_counts_there(embedder) -> None:
    creator = new_creator()
    price = one_cluster(creator, PRICE[:3])
    shipping = one_cluster(creator, SHIPPING, prefix="ship")
    with db.session_scope() as session:
        target = service.move_message(
            session,
            cluster_id=price[0].cluster_id,
            message_id=price[2].message_id,
            to_cluster_id=shipping[0].cluster_id,
        )
    assert target.id == shipping[0].cluster_id
    counts = {c.id: c.channel_count for c in open_clusters(creator)}
    assert counts == {price[0].cluster_id: 2, shipping[0].cluster_id: 4}
    regroup(creator)
    assert cluster_of(price[2].message_id).id == shipping[0].cluster_id


def test_moving_a_message_that_is_not_in_the_cluster_is_refused(embedder) -> None:
    creator = new_creator()
    price = one_cluster(creator, PRICE[:2])
    shop = ingest(fan_message(creator, "shop", SHOP))
    with db.session_scope() as session, pytest.raises(service.MessageNotFound):
        service.move_message(
            session,
            cluster_id=price[0].cluster_id,
            message_id=shop.message_id,
            to_cluster_id=None,
        )
    assert cluster_of(shop.message_id).id == shop.cluster_id


def test_a_cluster_the_creator_has_open_is_untouched_by_regroup(embedder) -> None:
    """Opening a reply (its confirmation step) keeps re-grouping away from the cluster,
    even where it would otherwise merge it with its twin."""
    creator = new_creator()
    twin_id = split_off_twin(creator, PRICE[:3])
    with db.session_scope() as session:
        audience = service.prepare_reply(session, cluster_id=twin_id, response_text="$5.")
    assert (audience.fans, audience.channels) == (1, 1)
    assert regroup(creator) == {"merged": 0, "split": 0}
    assert sorted(c.channel_count for c in open_clusters(creator)) == [1, 2]


def test_a_plan_made_while_the_creator_corrects_the_grouping_is_dropped(
    embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-grouping plans without the creator's lock: a plan that predates a correction could
    undo it, so it is not applied (the next run plans with the correction)."""
    creator = new_creator()
    twin_id = split_off_twin(creator, PRICE)
    [original] = [c.id for c in open_clusters(creator) if c.id != twin_id]
    moved = cluster_of_members(original)[-1]
    plan = service.clustering.regroup

    def plan_while_the_creator_moves_a_message(*args: object, **kwargs: object) -> object:
        planned = plan(*args, **kwargs)
        with db.session_scope() as other:
            other.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
            service.move_message(other, cluster_id=original, message_id=moved, to_cluster_id=None)
        return planned

    monkeypatch.setattr(service.clustering, "regroup", plan_while_the_creator_moves_a_message)
    assert regroup(creator) == {"merged": 0, "split": 0}
    assert len(open_clusters(creator)) == 3


def cluster_of_members(cluster_id: uuid.UUID) -> list[uuid.UUID]:
    with db.session_scope() as session:
        return [m.message_id for m in service.cluster_view(session, cluster_id).members]


# --- undo a removal ------------------------------------------------------------------------


def remove(cluster_id: uuid.UUID, message_id: uuid.UUID) -> None:
    with db.session_scope() as session:
        assert service.remove_cluster_message(session, cluster_id=cluster_id, message_id=message_id)


def restore(cluster_id: uuid.UUID, message_id: uuid.UUID) -> uuid.UUID:
    with db.session_scope() as session:
        return service.restore_cluster_message(
            session, cluster_id=cluster_id, message_id=message_id
        ).id


def removed_of(creator: str) -> list[uuid.UUID]:
    with db.session_scope() as session:
        found = service.removed_messages(session, creator_external_id=creator)
    return [r.member.message_id for r in found]


def test_a_removal_is_listed_and_can_be_undone(embedder) -> None:
    creator = new_creator()
    results = one_cluster(creator, PRICE[:3])
    cluster_id, message_id = results[0].cluster_id, results[1].message_id
    remove(cluster_id, message_id)
    assert removed_of(creator) == [message_id]
    assert restore(cluster_id, message_id) == cluster_id
    assert removed_of(creator) == []
    [cluster] = open_clusters(creator)
    assert cluster.channel_count == 3 and message_id in {m.message_id for m in cluster.members}


def test_undoing_the_removal_that_emptied_a_cluster_reopens_it(embedder) -> None:
    creator = new_creator()
    only = ingest(fan_message(creator, "shop", SHOP))
    remove(only.cluster_id, only.message_id)
    assert open_clusters(creator) == []
    assert restore(only.cluster_id, only.message_id) == only.cluster_id
    assert [c.id for c in open_clusters(creator)] == [only.cluster_id]


def test_a_message_removed_before_its_cluster_was_answered_comes_back_on_its_own(
    embedder,
) -> None:
    creator = new_creator()
    results = one_cluster(creator, PRICE[:3])
    cluster_id = results[0].cluster_id
    remove(cluster_id, results[2].message_id)
    with db.session_scope() as session:
        service.action_cluster(session, cluster_id=cluster_id, response_text="$5 a month.")
    back_in = restore(cluster_id, results[2].message_id)
    assert back_in != cluster_id
    assert [(c.id, c.channel_count) for c in open_clusters(creator)] == [(back_in, 1)]


@pytest.mark.parametrize("since", ["the fan wrote again", "the fan deleted it"])
def test_a_removal_is_not_undone_once_the_message_is_no_longer_the_question(
    embedder, since: str
) -> None:
    creator = new_creator()
    results = one_cluster(creator, PRICE[:2])
    cluster_id, message_id = results[0].cluster_id, results[1].message_id
    remove(cluster_id, message_id)
    if since == "the fan wrote again":
        ingest(fan_message(creator, "ch1", SHOP))
    else:
        with db.session_scope() as session:
            external = session.get_one(Message, message_id).external_message_id
            service.delete_message(
                session, creator_external_id=creator, external_message_id=external
            )
    with pytest.raises(service.InboxError):
        restore(cluster_id, message_id)
    assert [c.channel_count for c in open_clusters(creator) if c.id == cluster_id] == [1]


def test_only_a_removed_message_can_be_restored(embedder) -> None:
    creator = new_creator()
    results = one_cluster(creator, PRICE[:2])
    with pytest.raises(service.MessageNotFound, match="was not removed"):
        restore(results[0].cluster_id, results[1].message_id)


# --- the reply confirmation ----------------------------------------------------------------


def test_the_confirmation_counts_fans_and_channels_and_a_change_stops_the_send(
    embedder,
) -> None:
    creator = new_creator()
    results = one_cluster(creator, SHIPPING)
    cluster_id = results[0].cluster_id
    with db.session_scope() as session:
        audience = service.prepare_reply(session, cluster_id=cluster_id, response_text="Yes!")
        assert session.get_one(Cluster, cluster_id).locked_until is not None
    assert audience == service.Audience(fans=3, channels=3, messages=3)
    late = ingest(fan_message(creator, "late", "Do you ship to Canada?"))
    assert late.cluster_id == cluster_id
    with db.session_scope() as session, pytest.raises(service.AudienceChanged, match="4 fan"):
        service.action_cluster(
            session, cluster_id=cluster_id, response_text="Yes!", expected_channels=3
        )
    with db.session_scope() as session:
        assert (
            session.scalar(sa.select(sa.func.count()).where(Delivery.cluster_id == cluster_id)) == 0
        )
        sent = service.action_cluster(
            session, cluster_id=cluster_id, response_text="Yes!", expected_channels=4
        )
    assert sent.deliveries == 4


@pytest.mark.parametrize("reply", ["", "   "])
def test_an_empty_reply_is_refused_at_the_confirmation(embedder, reply: str) -> None:
    creator = new_creator()
    cluster_id = one_cluster(creator, SHIPPING[:2])[0].cluster_id
    with db.session_scope() as session, pytest.raises(service.InboxError, match="empty"):
        service.prepare_reply(session, cluster_id=cluster_id, response_text=reply)
    with db.session_scope() as session:
        assert session.get_one(Cluster, cluster_id).locked_until is None


# --- strictness ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan"), float("inf")])
def test_a_strictness_outside_0_to_1_is_refused(embedder, value: float) -> None:
    creator = new_creator()
    ingest(fan_message(creator, "ch0", SHOP))
    with db.session_scope() as session, pytest.raises(service.InvalidStrictness):
        service.set_grouping_strictness(session, creator_external_id=creator, strictness=value)


@pytest.mark.parametrize(
    ("text", "parsed"), [("0.25", 0.25), ("1", 1.0), ("default", None), ("", None)]
)
def test_strictness_is_read_as_a_number_or_default(text: str, parsed: float | None) -> None:
    assert service.parse_strictness(text) == parsed


def test_a_strictness_that_is_not_a_number_is_one_clear_line() -> None:
    with pytest.raises(service.InvalidStrictness, match=r"from 0 \(group most\) to 1"):
        service.parse_strictness("loose")


def test_each_creator_is_grouped_with_their_own_strictness(embedder) -> None:
    """The same questions arrive for two creators: the one who asked to group more gets
    fewer clusters than the one who asked to group less."""
    texts = [
        "Which camera do you film with?",
        "what camera and lens are you using?",
        "What camera do you use for your videos?",
        "where do I get your hoodies and merch",
        "Where can I buy your merch?",
    ]
    counts = {}
    for strictness in (0.0, 1.0):
        creator = new_creator()
        ingest(fan_message(creator, "first", "hello"))
        with db.session_scope() as session:
            service.set_grouping_strictness(
                session, creator_external_id=creator, strictness=strictness
            )
        for i, text in enumerate(texts):
            ingest(fan_message(creator, f"ch{i}", text))
        counts[strictness] = len(open_clusters(creator))
    assert counts[0.0] < counts[1.0]


def test_the_creators_strictness_sets_the_thresholds(embedder) -> None:
    assert service.clustering_params(1.0) == clustering.params_for(1.0, service.inbox_model())
    assert service.clustering_params(None) == clustering.params_for(None, service.inbox_model())
    loosest, strictest = service.clustering_params(0.0), service.clustering_params(1.0)
    assert loosest.join_similarity < strictest.join_similarity


def test_regroup_calibrates_the_inbox_once_it_is_big_enough_and_ingest_follows(
    embedder, monkeypatch
) -> None:
    """The calibrated similarity is stored on the creator, used by the next ingest, and not
    recomputed until the inbox has grown; a chosen strictness still wins over it."""
    monkeypatch.setattr(clustering, "CALIBRATION_MIN_MESSAGES", len(PRICE) + len(SHIPPING))
    creator = new_creator()
    for i, text in enumerate(PRICE + SHIPPING):
        ingest(fan_message(creator, f"ch{i}", text))
    regroup(creator)
    with db.session_scope() as session:
        owner = service.get_creator_or_raise(session, creator)
        calibrated, seen = owner.calibrated_similarity, owner.calibrated_messages
        params = service.creator_params(owner)
    assert calibrated is not None and seen == len(PRICE) + len(SHIPPING)
    scale = clustering.STRICTNESS_SCALES[service.inbox_model()]
    assert params.join_similarity == pytest.approx(
        min(max(calibrated, scale.adaptive_floor), scale.strictest)
    )

    ingest(fan_message(creator, "late", SHOP))
    regroup(creator)
    with db.session_scope() as session:
        owner = service.get_creator_or_raise(session, creator)
        assert owner.calibrated_messages == seen, "one more message is not enough growth"
        service.set_grouping_strictness(session, creator_external_id=creator, strictness=1.0)
        assert service.creator_params(owner) == service.clustering_params(1.0)
