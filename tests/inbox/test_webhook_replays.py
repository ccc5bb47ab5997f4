"""Replayed webhooks change nothing: a captured signed event sent again is refused (its body
is remembered while its timestamp is accepted, and too old a timestamp is refused), and a
deletion never reaches messages that arrived after the event."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.config import get_settings
from sift.inbox import webhooks
from sift.inbox.models import Creator, Message

from .conftest import new_creator


def at(offset_s: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_s)).isoformat()


def send(client: TestClient, event: dict[str, Any]) -> Any:
    body = json.dumps(event).encode()
    secret = get_settings().webhook_secret.get_secret_value()
    return client.post(
        "/webhooks/stream", content=body, headers={"X-Signature": webhooks.sign(secret, body)}
    )


def message(creator: str, channel: str, message_id: str, *, sent: str) -> dict[str, Any]:
    return {
        "type": "message.new",
        "created_at": sent,
        "cid": f"messaging:{channel}",
        "channel": {"creator_id": creator},
        "message": {
            "id": message_id,
            "text": f"When is the next live show? ({message_id})",
            "created_at": sent,
            "user": {"id": f"fan-{channel}"},
        },
    }


def live_ids(creator: str) -> set[str]:
    with db.session_scope() as session:
        return set(
            session.scalars(
                sa.select(Message.external_message_id)
                .join(Creator, Creator.id == Message.creator_id)
                .where(Creator.external_id == creator, Message.deleted_at.is_(None))
            )
        )


def test_a_replayed_channel_deletion_spares_what_arrived_since(embedder, client) -> None:
    creator = new_creator()
    channel = f"{creator}-a"
    assert send(client, message(creator, channel, f"{creator}-1", sent=at(-30))).status_code == 200
    deletion = {"type": "channel.deleted", "created_at": at(-1), "cid": f"messaging:{channel}"}
    assert send(client, deletion).json()["outcome"] == "deleted 1 message(s)"
    later = message(creator, channel, f"{creator}-2", sent=at())
    assert send(client, later).json()["outcome"] == "ingested"
    replayed = send(client, deletion)
    assert replayed.status_code == 200 and replayed.json()["outcome"] == "replay"
    assert live_ids(creator) == {f"{creator}-2"}


def test_a_deletion_never_reaches_messages_sent_after_it(embedder, client) -> None:
    """The event is fresh (never seen) but dated before a message the channel already has:
    a late delivery of the deletion, which removes only what existed when it happened."""
    creator = new_creator()
    channel = f"{creator}-a"
    send(client, message(creator, channel, f"{creator}-old", sent=at(-60)))
    send(client, message(creator, f"{creator}-b", f"{creator}-new", sent=at(-5)))
    deletion = {"type": "user.deleted", "created_at": at(-20), "user": {"id": creator}}
    answer = send(client, deletion)
    assert answer.status_code == 200, answer.text
    assert live_ids(creator) == {f"{creator}-new"}
    send(client, message(creator, channel, f"{creator}-newer", sent=at()))
    fan_gone = {"type": "user.deleted", "created_at": at(-10), "user": {"id": f"fan-{channel}"}}
    assert send(client, fan_gone).status_code == 200
    assert live_ids(creator) == {f"{creator}-new", f"{creator}-newer"}


def test_a_user_deletion_of_the_whole_past_still_removes_the_creator(embedder, client) -> None:
    creator = new_creator()
    send(client, message(creator, f"{creator}-a", f"{creator}-1", sent=at(-10)))
    deletion = {"type": "user.deleted", "created_at": at(), "user": {"id": creator}}
    assert send(client, deletion).json()["outcome"] == "creator data deleted"
    with db.session_scope() as session:
        assert session.scalar(sa.select(Creator).where(Creator.external_id == creator)) is None


@pytest.mark.parametrize(
    ("created_at", "reason"),
    [
        (None, "created_at"),
        ("yesterday", "created_at"),
        (at(-3600), "too old"),
        (at(3600), "future"),
    ],
)
def test_a_deletion_without_a_fresh_timestamp_is_refused(
    embedder, client, created_at: str | None, reason: str
) -> None:
    creator = new_creator()
    send(client, message(creator, f"{creator}-a", f"{creator}-1", sent=at(-5)))
    event: dict[str, Any] = {"type": "user.deleted", "user": {"id": creator}}
    if created_at is not None:
        event["created_at"] = created_at
    answer = send(client, event)
    assert answer.status_code == 400 and reason in answer.json()["detail"]
    assert "\n" not in answer.json()["detail"]
    assert live_ids(creator) == {f"{creator}-1"}
