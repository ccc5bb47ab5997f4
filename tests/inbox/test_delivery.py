"""The bulk reply reaches each channel once, through the real `stream-chat` client,
retried where a channel failed and never re-sent where it succeeded."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from sift import db, workflows
from sift.config import get_settings
from sift.inbox import delivery, flows, service
from sift.inbox.models import DeliveryStatus
from tests.fakes.stream_server import FakeStreamServer, stream_server  # noqa: F401 (fixture)

from .conftest import cid, fan_message, ingest, new_creator

QUESTIONS = [
    "When is the next live stream?",
    "When is your next live stream?",
    "when is the next live stream happening?",
]


@pytest.fixture
def stream_port(
    stream_server: FakeStreamServer,  # noqa: F811 (the fixture above)
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[FakeStreamServer]:
    """Point Sift's delivery port at the fake GetStream for one test."""
    monkeypatch.setenv("SIFT_STREAM_API_KEY", stream_server.api_key)
    monkeypatch.setenv("SIFT_STREAM_API_SECRET", "test-secret-of-at-least-32-bytes!")
    monkeypatch.setenv("SIFT_STREAM_BASE_URL", stream_server.base_url)
    get_settings.cache_clear()
    delivery.get_port.cache_clear()
    yield stream_server
    monkeypatch.undo()
    get_settings.cache_clear()
    delivery.get_port.cache_clear()


def test_failed_channel_is_retried_and_delivered_channels_are_not_resent(
    app_runtime: str, embedder, stream_port: FakeStreamServer
) -> None:
    creator = new_creator()
    results = [ingest(fan_message(creator, f"ch{i}", q)) for i, q in enumerate(QUESTIONS)]
    cluster_id = results[0].cluster_id
    flaky = cid(creator, "ch1")
    stream_port.fail_next(flaky, times=1)
    with db.session_scope() as session:
        staged = service.action_cluster(session, cluster_id=cluster_id, response_text="Friday 6pm!")
    assert staged.deliveries == 3

    outcome = workflows.wait_for(flows.start_delivery(cluster_id))

    assert outcome["delivered"] == 3 and outcome["failed"] == 0 and outcome["rounds"] == 2
    assert stream_port.attempts[flaky] == 2
    for i in range(3):
        [sent] = stream_port.sent_to(cid(creator, f"ch{i}"))
        assert sent["text"] == "Friday 6pm!" and sent["user"] == {"id": creator}
        assert sent[delivery.SIFT_REPLY_FIELD] == str(cluster_id)
    assert stream_port.attempts[cid(creator, "ch0")] == 1
    with db.session_scope() as session:
        rows = service.delivery_tasks(session, cluster_id)
    assert {r.status for r in rows} == {DeliveryStatus.delivered}
    assert sorted(r.attempts for r in rows) == [1, 1, 2]

    # A second run (a retry button, a recovery) sends nothing again.
    again = workflows.wait_for(
        workflows.start_once(flows.deliver_cluster_reply, "redo", str(cluster_id))
    )
    assert again["delivered"] == again["failed"] == 0 and len(stream_port.messages) == 3


def test_a_send_already_taken_by_getstream_counts_as_delivered(stream_port) -> None:
    port = delivery.get_port()
    first = port.deliver("messaging:x", "hi", creator="c", message_id="m-1", cluster_id="k")
    again = port.deliver("messaging:x", "hi", creator="c", message_id="m-1", cluster_id="k")
    assert first == again == "m-1" and len(stream_port.messages) == 1


def cluster_with_one_channel_down(
    stream_port: FakeStreamServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[uuid.UUID, str]:
    """A three-channel cluster, its question not yet answered, whose channel `ch2` will
    fail every round of the first delivery run: (the cluster, that channel's cid)."""
    monkeypatch.setattr(flows, "BACKOFF_BASE_S", 0.01)
    creator = new_creator()
    results = [ingest(fan_message(creator, f"ch{i}", q)) for i, q in enumerate(QUESTIONS)]
    down = cid(creator, "ch2")
    stream_port.fail_next(down, times=flows.MAX_ROUNDS)
    return results[0].cluster_id, down


def answer(cluster_id: uuid.UUID, text: str) -> None:
    with db.session_scope() as session:
        service.action_cluster(session, cluster_id=cluster_id, response_text=text)


def test_a_channel_still_failing_after_the_last_round_can_be_sent_again(
    app_runtime: str, embedder, stream_port: FakeStreamServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster_id, down = cluster_with_one_channel_down(stream_port, monkeypatch)
    with (
        db.session_scope() as session,
        pytest.raises(service.InboxError, match="not been answered"),
    ):
        service.undelivered_channels(session, cluster_id)
    answer(cluster_id, "Friday!")

    first = workflows.wait_for(flows.start_delivery(cluster_id))
    assert first["delivered"] == 2 and first["failed"] == 1
    with db.session_scope() as session:
        assert service.undelivered_channels(session, cluster_id) == 1

    again = workflows.wait_for(flows.start_delivery(cluster_id))
    assert again["delivered"] == 1 and again["failed"] == 0
    assert len(stream_port.sent_to(down)) == 1 and len(stream_port.messages) == 3
    with (
        db.session_scope() as session,
        pytest.raises(service.InboxError, match="already has the reply"),
    ):
        service.undelivered_channels(session, cluster_id)


def test_the_periodic_retry_sends_a_reply_to_the_channels_still_missing_it(
    app_runtime: str, embedder, stream_port: FakeStreamServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster_id, down = cluster_with_one_channel_down(stream_port, monkeypatch)
    answer(cluster_id, "Sunday!")
    assert workflows.wait_for(flows.start_delivery(cluster_id))["failed"] == 1

    ticked = workflows.wait_for(workflows.start_once(flows.retry_undelivered_replies, "tick-1"))
    assert ticked >= 1
    workflows.wait_for(flows.start_delivery(cluster_id))  # the run the tick started
    assert len(stream_port.sent_to(down)) == 1 and len(stream_port.messages) == 3
    with db.session_scope() as session:
        assert cluster_id not in service.clusters_with_undelivered(session)
