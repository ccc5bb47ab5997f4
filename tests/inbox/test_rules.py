"""The cluster rules of seed 002, each with the outcome a creator would notice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import sqlalchemy as sa

from sift import db
from sift.inbox import ingest as inbox_ingest
from sift.inbox import service
from sift.inbox.models import (
    Cluster,
    ClusterMessage,
    ClusterStatus,
    Creator,
    Delivery,
    MembershipStatus,
    Message,
    SavedReply,
)
from tests.support.locks import wait_until_a_session_waits_on_a_lock

from .conftest import cid, fan_message, ingest, new_creator, split_off_twin

PRICE = [
    "How much does the monthly subscription cost?",
    "What is the price of the monthly subscription?",
    "how much is the subscription per month",
    "What's the monthly subscription price?",
]
SHOP = "Where can I buy your merch hoodie?"

pytestmark = pytest.mark.usefixtures("database")


def clusters_of(creator: str, min_channels: int = 1) -> list[service.ClusterView]:
    with db.session_scope() as session:
        return service.list_clusters(
            session, creator_external_id=creator, min_channel_count=min_channels
        )


def status_of(cluster_id) -> ClusterStatus:
    with db.session_scope() as session:
        return session.get_one(Cluster, cluster_id).status


def test_similar_questions_from_several_channels_form_one_cluster(embedder) -> None:
    creator = new_creator()
    results = [ingest(fan_message(creator, f"ch{i}", text)) for i, text in enumerate(PRICE)]
    ingest(fan_message(creator, "ch9", SHOP))
    assert len({r.cluster_id for r in results}) == 1
    [big] = clusters_of(creator, min_channels=2)
    assert big.channel_count == 4 and big.others == 3
    assert big.visitors_line == "Fan ch0 and 3 others"
    assert big.avatars[0] == "https://img.example/ch0.png"


def test_a_replay_changes_nothing(embedder) -> None:
    creator = new_creator()
    message = fan_message(creator, "ch1", PRICE[0], external_id=f"{creator}-dup")
    first = ingest(message)
    again = ingest(message)
    assert again.replayed and again.message_id == first.message_id
    with db.session_scope() as session:
        count = session.scalar(
            sa.select(sa.func.count()).where(Message.external_message_id == f"{creator}-dup")
        )
    assert count == 1


def test_identical_text_reuses_the_stored_embedding(embedder) -> None:
    creator = new_creator()
    first = ingest(fan_message(creator, "ch1", "Do you ship to Canada?"))
    second = ingest(fan_message(creator, "ch2", "  do you SHIP to canada? "))
    assert first.embedded and not second.embedded


def test_a_stream_ingests_in_order_with_the_same_rules(embedder) -> None:
    """Bulk sources embed the next message while the current one is stored; the outcome
    must be what one-by-one ingest gives, replays included."""
    creator = new_creator()
    messages = [fan_message(creator, f"ch{i}", text) for i, text in enumerate(PRICE)]
    messages += [fan_message(creator, "ch9", SHOP), messages[0]]
    results = list(inbox_ingest.ingest_stream(messages, embedder=embedder))
    assert [r.replayed for r in results] == [False] * 5 + [True]
    assert results[-1].message_id == results[0].message_id
    assert len({r.cluster_id for r in results[:4]}) == 1
    assert results[4].cluster_id != results[0].cluster_id
    [big] = clusters_of(creator, min_channels=2)
    assert big.channel_count == 4 and big.preview_text == PRICE[0]


def test_a_failing_stream_keeps_committed_groups_and_rolls_back_the_open_one(
    embedder, monkeypatch
) -> None:
    monkeypatch.setattr(inbox_ingest, "STREAM_GROUP", 2)
    creator = new_creator()
    good = [fan_message(creator, f"ch{i}", text) for i, text in enumerate(PRICE[:3])]
    # A row the database refuses (NUL in text), past the edge's validation on purpose.
    refused = fan_message(creator, "ch9", SHOP).model_copy(update={"text": "bad\x00text"})
    done = []
    with pytest.raises(psycopg.DataError):
        for result in inbox_ingest.ingest_stream([*good, refused], embedder=embedder):
            done.append(result)
    assert len(done) == 2  # the first group; the third message rolled back with the fourth
    with db.session_scope() as session:
        stored = session.scalars(
            sa.select(Message.external_message_id)
            .join(Creator, Creator.id == Message.creator_id)
            .where(Creator.external_id == creator)
        ).all()
    assert sorted(stored) == sorted(m.external_id for m in good[:2])


def test_superseded_message_is_never_matched_again(embedder) -> None:
    """The POC leak: a channel's old message re-formed a two-message cluster with its
    own newer message. Now the older membership is superseded and never counts."""
    creator = new_creator()
    first = ingest(fan_message(creator, "ch1", PRICE[0]))
    second = ingest(fan_message(creator, "ch1", PRICE[1]))
    assert second.cluster_id != first.cluster_id
    assert status_of(first.cluster_id) is ClusterStatus.empty
    assert clusters_of(creator, min_channels=2) == []
    [only] = clusters_of(creator)
    assert only.message_count == 1 and only.preview_text == PRICE[1]


def test_paid_dms_never_cluster_with_anything(embedder) -> None:
    creator = new_creator()
    free = ingest(fan_message(creator, "ch1", PRICE[0]))
    paid = ingest(fan_message(creator, "ch2", PRICE[1], paid=True))
    later = ingest(fan_message(creator, "ch3", PRICE[2]))
    assert paid.cluster_id not in {free.cluster_id, later.cluster_id}
    assert later.cluster_id == free.cluster_id
    with db.session_scope() as session:
        assert session.get_one(Cluster, paid.cluster_id).is_paid


def test_concurrent_ingests_for_one_creator_make_no_duplicate_clusters(embedder) -> None:
    creator = new_creator()
    texts = PRICE * 3
    errors: list[BaseException] = []

    def send(i: int) -> None:
        try:
            ingest(fan_message(creator, f"ch{i}", texts[i]))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    [cluster] = clusters_of(creator)
    assert cluster.channel_count == len(texts)


def test_removing_the_last_message_closes_the_cluster_as_empty(embedder) -> None:
    creator = new_creator()
    a = ingest(fan_message(creator, "ch1", PRICE[0]))
    b = ingest(fan_message(creator, "ch2", PRICE[1]))
    with db.session_scope() as session:
        assert service.remove_cluster_message(
            session, cluster_id=a.cluster_id, message_id=a.message_id
        )
    [left] = clusters_of(creator)
    assert left.channel_count == 1
    with db.session_scope() as session:
        service.remove_cluster_message(session, cluster_id=b.cluster_id, message_id=b.message_id)
        status = session.get_one(ClusterMessage, (a.cluster_id, a.message_id)).status
    assert status is MembershipStatus.removed
    assert status_of(a.cluster_id) is ClusterStatus.empty


def test_external_reply_takes_the_channel_out(embedder) -> None:
    creator = new_creator()
    a = ingest(fan_message(creator, "ch1", PRICE[0]))
    ingest(fan_message(creator, "ch2", PRICE[1]))
    with db.session_scope() as session:
        service.mark_channel_replied(
            session, creator_external_id=creator, channel_external_id=cid(creator, "ch1")
        )
        membership = session.get_one(ClusterMessage, (a.cluster_id, a.message_id))
        replied = session.get_one(Message, a.message_id).replied_at
    assert membership.status is MembershipStatus.externally_handled and replied is not None
    [cluster] = clusters_of(creator)
    assert cluster.channel_count == 1


def test_deletions_soft_delete_and_close_empty_clusters(embedder) -> None:
    creator = new_creator()
    a = ingest(fan_message(creator, "ch1", PRICE[0], external_id=f"{creator}-a"))
    ingest(fan_message(creator, "ch2", PRICE[1]))
    with db.session_scope() as session:
        assert service.delete_message(
            session, creator_external_id=creator, external_message_id=f"{creator}-a"
        )
        assert session.get_one(Message, a.message_id).deleted_at is not None
        assert service.delete_channel(session, channel_external_id=cid(creator, "ch2")) == 1
    assert status_of(a.cluster_id) is ClusterStatus.empty
    assert clusters_of(creator) == []


def test_the_sweep_closes_clusters_left_without_active_members(embedder) -> None:
    creator = new_creator()
    a = ingest(fan_message(creator, "ch1", PRICE[0]))
    with db.session_scope() as session:  # an old bug's leftovers: no status change
        session.execute(
            sa.update(ClusterMessage)
            .where(ClusterMessage.message_id == a.message_id)
            .values(status=MembershipStatus.removed)
        )
    with db.session_scope() as session:
        assert service.close_empty_clusters(session) >= 1
    assert status_of(a.cluster_id) is ClusterStatus.empty


def test_bulk_action_answers_every_active_channel_once(embedder) -> None:
    creator = new_creator()
    results = [ingest(fan_message(creator, f"ch{i}", t)) for i, t in enumerate(PRICE)]
    cluster_id = results[0].cluster_id
    with db.session_scope() as session:
        outcome = service.action_cluster(
            session, cluster_id=cluster_id, response_text="It is $5 a month."
        )
    assert outcome.deliveries == 4
    with db.session_scope() as session:
        cluster = session.get_one(Cluster, cluster_id)
        statuses = session.scalars(
            sa.select(ClusterMessage.status).where(ClusterMessage.cluster_id == cluster_id)
        ).all()
        deliveries = session.scalars(
            sa.select(Delivery).where(Delivery.cluster_id == cluster_id)
        ).all()
        saved = session.scalars(
            sa.select(SavedReply).where(SavedReply.cluster_id == cluster_id)
        ).all()
        with pytest.raises(service.ClusterNotOpen):
            service.action_cluster(session, cluster_id=cluster_id, response_text="again")
    assert cluster.status is ClusterStatus.actioned and cluster.response_text == "It is $5 a month."
    assert set(statuses) == {MembershipStatus.actioned}
    assert len(deliveries) == 4 and [s.response_text for s in saved] == ["It is $5 a month."]


def test_past_replies_are_suggested_for_a_similar_cluster(embedder) -> None:
    creator = new_creator()
    first = [ingest(fan_message(creator, f"a{i}", t)) for i, t in enumerate(PRICE[:2])]
    with db.session_scope() as session:
        service.action_cluster(session, cluster_id=first[0].cluster_id, response_text="$5 a month.")
    later = [ingest(fan_message(creator, f"b{i}", t)) for i, t in enumerate(PRICE[2:])]
    with db.session_scope() as session:
        suggestions = service.suggest_responses(session, later[0].cluster_id)
    assert [s.response_text for s in suggestions] == ["$5 a month."]


def test_deleting_a_creator_removes_all_their_data(embedder) -> None:
    creator, other = new_creator(), new_creator()
    ingest(fan_message(creator, "ch1", PRICE[0]))
    ingest(fan_message(other, "ch1", PRICE[0]))
    with db.session_scope() as session:
        assert service.delete_creator_data(session, creator_external_id=creator)
        assert service.get_creator(session, creator) is None
        assert session.scalars(sa.select(Creator).where(Creator.external_id == other)).one()
    assert clusters_of(creator) == [] and len(clusters_of(other)) == 1


def test_regroup_never_moves_messages_of_a_locked_cluster(embedder) -> None:
    creator = new_creator()
    twin_id = split_off_twin(creator, PRICE[:2])
    with db.session_scope() as session:
        service.open_for_reply(session, twin_id)
    with db.session_scope() as session:
        service.regroup(session, creator_external_id=creator)
    assert len(clusters_of(creator)) == 2  # the locked twin kept its message
    with db.session_scope() as session:
        session.get_one(Cluster, twin_id).locked_until = None
    with db.session_scope() as session:
        assert service.regroup(session, creator_external_id=creator)["merged"] == 1
    [merged] = clusters_of(creator)
    assert merged.channel_count == 2


def test_offline_a_cluster_is_titled_by_its_most_representative_question(embedder) -> None:
    """No keyword triple ("monthly · subscription · price"): offline the title is the
    member nearest the cluster's mean, and the keywords only describe it."""
    creator = new_creator()
    for i, text in enumerate(PRICE):
        ingest(fan_message(creator, f"ch{i}", text))
    with db.session_scope() as session:
        assert service.summarise_open_clusters(session, creator_external_id=creator) == 1
    [cluster] = clusters_of(creator)
    assert cluster.summary_label is None and "·" not in cluster.title
    assert cluster.title in PRICE
    nearest = min(cluster.members, key=lambda m: m.distance)
    assert cluster.title == nearest.text
    assert "subscription" in (cluster.summary_description or "")


def test_an_older_message_arriving_late_leaves_the_newer_one_active(embedder) -> None:
    """Webhooks are retried: the channel's 10:00 question can arrive after its 10:01 one.
    The newer message keeps counting; the older one is kept, superseded from the start."""
    creator = new_creator()
    ten = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    ingest(fan_message(creator, "ch2", PRICE[2]))
    newer = ingest(fan_message(creator, "ch1", PRICE[1]).model_copy(update={"created_at": ten}))
    late = fan_message(creator, "ch1", PRICE[0]).model_copy(
        update={"created_at": ten - timedelta(minutes=1)}
    )
    older = ingest(late)
    assert older.cluster_id == newer.cluster_id and not older.new_cluster
    with db.session_scope() as session:
        statuses = dict(
            session.execute(
                sa.select(ClusterMessage.message_id, ClusterMessage.status).where(
                    ClusterMessage.message_id.in_([newer.message_id, older.message_id])
                )
            ).all()
        )
        matchable = session.get_one(Message, older.message_id).matchable_cluster_id
    assert statuses == {
        newer.message_id: MembershipStatus.active,
        older.message_id: MembershipStatus.superseded,
    }
    assert matchable is None
    [cluster] = clusters_of(creator, min_channels=2)
    assert [m.text for m in cluster.members] == [PRICE[1], PRICE[2]]
    assert ingest(late).replayed


def test_an_ingest_that_waits_on_a_reply_never_joins_the_answered_cluster(embedder) -> None:
    """While a bulk reply is being committed, a new similar question must not be added to
    the cluster being answered: it would be active in an actioned cluster, never shown and
    never answered. Ingest waits for the reply, then opens a new cluster."""
    creator = new_creator()
    answered = [ingest(fan_message(creator, f"ch{i}", t)) for i, t in enumerate(PRICE[:3])]
    cluster_id = answered[0].cluster_id
    outcome: list[inbox_ingest.IngestResult | BaseException] = []

    def send_late_question() -> None:
        try:
            outcome.append(ingest(fan_message(creator, "late", PRICE[3])))
        except BaseException as error:  # surfaced below
            outcome.append(error)

    late = threading.Thread(target=send_late_question)
    with db.session_scope() as session:
        service.action_cluster(session, cluster_id=cluster_id, response_text="$5 a month.")
        late.start()
        wait_until_a_session_waits_on_a_lock()
    late.join()
    [result] = outcome
    assert isinstance(result, inbox_ingest.IngestResult)
    assert result.cluster_id != cluster_id and result.new_cluster
    assert status_of(cluster_id) is ClusterStatus.actioned
    [still_open] = clusters_of(creator)
    assert still_open.id == result.cluster_id and still_open.message_count == 1


def test_the_biggest_cluster_is_listed_however_many_newer_small_ones_exist(embedder) -> None:
    creator = new_creator()
    big = [ingest(fan_message(creator, f"p{i}", t)) for i, t in enumerate(PRICE)]
    for i in range(12):  # paid DMs: each its own one-channel cluster, all newer
        ingest(fan_message(creator, f"dm{i}", f"{SHOP} ({i})", paid=True))
    with db.session_scope() as session:
        views = service.list_clusters(
            session, creator_external_id=creator, min_channel_count=2, limit=2
        )
        everything = service.list_clusters(session, creator_external_id=creator, limit=13)
    assert [v.id for v in views] == [big[0].cluster_id]
    assert [v.is_paid for v in everything] == [True] * 12 + [False]  # paid DMs come first
    assert everything[-1].channel_count == 4


def test_a_payload_of_another_shape_never_breaks_the_inbox(embedder) -> None:
    """Raw payloads are stored as received; the inbox reads the sender from them only
    where they have the expected shape."""
    creator = new_creator()
    plain = {"visitor_name": None, "visitor_avatar_url": None}
    ingest(
        fan_message(creator, "ch1", PRICE[0]).model_copy(
            update={**plain, "raw": {"message": None, "user": "x"}}
        )
    )
    ingest(
        fan_message(creator, "ch2", PRICE[1]).model_copy(
            update={**plain, "raw": {"message": {"user": {"name": 7, "image": "https://i/2.png"}}}}
        )
    )
    [cluster] = clusters_of(creator, min_channels=2)
    assert [m.visitor_name for m in cluster.members] == [None, None]
    assert cluster.avatars == ["https://i/2.png"]
    assert cluster.representative == cid(creator, "ch1")


def test_another_creators_message_with_the_same_id_is_their_own_message(embedder) -> None:
    """Message ids are per creator: an id another creator used first is neither refused
    nor taken for a replay of their message."""
    creator, other = new_creator(), new_creator()
    first = ingest(fan_message(creator, "ch1", PRICE[0], external_id=f"{creator}-same"))
    second = ingest(fan_message(other, "ch1", PRICE[1], external_id=f"{creator}-same"))
    assert not second.replayed and second.message_id != first.message_id
    assert [c.id for c in clusters_of(creator)] == [first.cluster_id]
    assert [c.id for c in clusters_of(other)] == [second.cluster_id]


def test_a_cluster_opened_while_the_regroup_plans_is_left_as_it_is(
    embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan is made without the creator's lock (so ingests never wait for it): a
    cluster the creator opens meanwhile must not be merged away under their eyes."""
    creator = new_creator()
    twin_id = split_off_twin(creator, PRICE[:2])
    plan = service.clustering.regroup

    def plan_while_the_creator_opens_the_twin(*args: object, **kwargs: object) -> object:
        planned = plan(*args, **kwargs)
        with db.session_scope() as other:  # fails if regroup held the creator's lock
            other.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
            service.open_for_reply(other, twin_id)
        return planned

    monkeypatch.setattr(service.clustering, "regroup", plan_while_the_creator_opens_the_twin)
    with db.session_scope() as session:
        assert service.regroup(session, creator_external_id=creator) == {"merged": 0, "split": 0}
    assert len(clusters_of(creator)) == 2
