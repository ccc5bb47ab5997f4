"""The inbox's `sift demo` step: a generated fan inbox streamed through the signed webhook.

Everything goes through `POST /webhooks/stream` in-process, exactly as GetStream would
send it (HMAC signature included): ~60 questions from ~40 fans, a paid DM, a replayed
event and a deleted message. The clusters of two channels or more are printed at the end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi.testclient import TestClient
from rich.console import Console
from sqlalchemy.orm import Session

from sift import db
from sift.config import Settings
from sift.errors import SiftError
from sift.inbox import fans, service, webhooks
from sift.inbox.cli import cluster_table
from sift.inbox.models import Cluster, Message

CREATOR = "demo-creator"
CHANNELS = 40
MESSAGES = 60


def _avatar(name: str) -> str:
    """An initial on a coloured disc as a data URL: demo fans need avatars that render
    without a network."""
    hue = sum(map(ord, name)) % 360
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'>"
        f"<circle cx='20' cy='20' r='20' fill='hsl({hue},55%,50%)'/>"
        "<text x='20' y='26' font-size='18' text-anchor='middle' fill='white' "
        f"font-family='sans-serif'>{name[:1]}</text></svg>"
    )
    return "data:image/svg+xml," + quote(svg)


def _event(fan: fans.FanMessage, message_id: str, *, paid: bool = False) -> dict[str, Any]:
    return {
        "type": "message.new",
        "cid": f"messaging:{CREATOR}-{fan.channel}",
        "channel": {"creator_id": CREATOR},
        "message": {
            "id": message_id,
            "text": fan.text,
            "is_paid_dm": paid,
            "user": {
                "id": fan.channel,
                "name": fan.visitor,
                "image": _avatar(fan.visitor),
            },
        },
    }


def _post(client: TestClient, secret: str, event: dict[str, Any]) -> str:
    body = json.dumps(event).encode()
    response = client.post(
        "/webhooks/stream", content=body, headers={"X-Signature": webhooks.sign(secret, body)}
    )
    if response.status_code != 200:
        raise SiftError(f"the demo webhook was refused ({response.status_code}): {response.text}")
    return str(response.json()["outcome"])


def _events() -> list[dict[str, Any]]:
    inbox = fans.fan_inbox(CHANNELS, MESSAGES, seed=3)
    events = [_event(fan, f"demo-{i}") for i, fan in enumerate(inbox)]
    paid = fans.FanMessage(
        "fan-paid", "Vera P.", "merch", "Where can I buy your merch? (tip attached)"
    )
    events.append(_event(paid, "demo-paid", paid=True))
    events.append(events[0])  # GetStream retries a delivery: a replay changes nothing
    events.append(
        {
            "type": "message.deleted",
            "channel": {"creator_id": CREATOR},  # ids are per creator
            "message": {"id": "demo-5"},
        }
    )
    return events


def counts(session: Session) -> dict[str, int]:
    """The inbox's live rows for the demo's report: removed messages are not counted."""
    messages = sa.select(sa.func.count()).select_from(Message).where(Message.deleted_at.is_(None))
    clusters = sa.select(sa.func.count()).select_from(Cluster)
    return {
        "messages": int(session.execute(messages).scalar() or 0),
        "clusters": int(session.execute(clusters).scalar() or 0),
    }


def run(settings: Settings, console: Console, *, create_app: Callable[..., Any]) -> None:
    """Stream the fan inbox through the webhook of the real app, built by `create_app` (the
    demo hands in the app of every installed domain, as `sift serve` would serve it)."""
    secret = settings.webhook_secret.get_secret_value()
    sent = db.utcnow().isoformat()  # the webhook refuses undated events
    events = [{"created_at": sent, **event} for event in _events()]
    outcomes: dict[str, int] = {}
    with (
        console.status("Streaming a fan inbox through the webhook…"),
        TestClient(create_app(settings, manage_runtime=False)) as client,
    ):
        for event in events:
            outcome = _post(client, secret, event)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    with db.session_scope() as session:
        service.summarise_open_clusters(session, creator_external_id=CREATOR)
        views = service.list_clusters(session, creator_external_id=CREATOR, min_channel_count=2)
    summary = ", ".join(f"{count} {what}" for what, count in sorted(outcomes.items()))
    console.print(f"[green]✓[/green] {len(events)} webhook events ({summary})")
    console.print(cluster_table(views, title=f"Clusters of {CREATOR} (2+ channels)"))
