"""GetStream-style webhook events turned into inbox actions.

GetStream signs each request with HMAC-SHA256 of the raw body (hex, `X-Signature` header);
Sift checks it with `SIFT_WEBHOOK_SECRET` before reading anything. Events handled:

- `message.new` from a fan → ingest; from the creator → an external reply
  (`mark_channel_replied`); Sift's own delivered reply (it carries `sift_cluster_id`) → ignored;
- `message.deleted` → soft delete; `channel.deleted` → every message of the channel;
- `user.deleted` → the creator's data when the user is a creator, else the fan's channels.

GetStream does not know which member of a channel is the creator, so the channel carries it
as a custom field `creator_id` (or the event at top level); a `message.new` without it is
refused as malformed. Message ids are per creator, so a `message.deleted` reaches the
message of the creator it names, or else of the one creator whose inbox holds its channel
(GetStream's deletion events need not carry the channel's custom fields).

Replays change nothing. Every handled event carries its `created_at`, which must be within
`SIFT_WEBHOOK_MAX_AGE_S` of now (a minute ahead at most, for clock skew); the digest of each
handled body is remembered for that long, so the same signed event sent again is answered
`replay` and does nothing, and once it is forgotten its timestamp is refused. A deletion
also reaches only messages sent by its `created_at`: a late delivery never removes what a
fan or creator wrote afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sift import security
from sift.db import utcnow
from sift.errors import SiftError
from sift.inbox import ingest, service
from sift.inbox.delivery import SIFT_REPLY_FIELD
from sift.inbox.models import InboundMessage, WebhookEvent, first_problem

CLOCK_SKEW = timedelta(seconds=60)
"""How far ahead of Sift's clock an event's `created_at` may be."""


class MalformedEvent(SiftError):
    """The body is not an event Sift can act on; the message says what is missing."""


def signature_ok(secret: str, body: bytes, signature: str | None) -> bool:
    if not signature:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


def sign(secret: str, body: bytes) -> str:
    """The `X-Signature` GetStream would send for `body` (used by the demo and tests)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


STORED_TEXT_CHARS = 4_000
"""The longest string kept in a message's stored raw event; the text itself is stored
whole in its own column, so the copy only needs enough to explain the event."""


def parse(body: bytes) -> Any:
    """The event in a signed body, or `MalformedEvent` with the reason: not JSON, not
    UTF-8, nested beyond reason, or holding text PostgreSQL cannot store (a NUL, a lone
    surrogate). Python's parser recurses, so a deeply nested body is refused by its own
    recursion guard before anything else looks at it."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise MalformedEvent(f"body is not JSON: {reason}") from None
    if problem := security.unstorable(payload):
        raise MalformedEvent(f"body cannot be stored: {problem}")
    return payload


def stored_copy(value: Any) -> Any:
    """The raw event as stored with a message: long strings cut, so a signed event with a
    huge field costs its text once, not twice."""
    if isinstance(value, dict):
        return {key: stored_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stored_copy(item) for item in value]
    if isinstance(value, str) and len(value) > STORED_TEXT_CHARS:
        return value[:STORED_TEXT_CHARS] + f"… [{len(value) - STORED_TEXT_CHARS} chars cut]"
    return value


def _object(payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(key)
    if not isinstance(value, dict):
        raise MalformedEvent(f"{payload.get('type')}: missing object `{key}`")
    return value


def _text(payload: dict[str, Any], key: str, where: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MalformedEvent(f"missing string `{where}`")
    return value


def _cid(payload: dict[str, Any]) -> str:
    channel = payload.get("channel")
    cid = payload.get("cid") or (channel.get("cid") if isinstance(channel, dict) else None)
    if isinstance(cid, str) and cid.strip():
        return cid
    channel_type, channel_id = payload.get("channel_type"), payload.get("channel_id")
    if isinstance(channel_type, str) and isinstance(channel_id, str) and channel_id:
        return f"{channel_type}:{channel_id}"
    raise MalformedEvent(f"{payload.get('type')}: missing `cid`")


def _creator_of(payload: dict[str, Any]) -> str:
    creator = _named_creator(payload)
    if creator is None:
        raise MalformedEvent(
            f"{payload.get('type')}: missing `channel.creator_id` (the creator's user id)"
        )
    return creator


def _named_creator(payload: dict[str, Any]) -> str | None:
    channel = payload.get("channel") if isinstance(payload.get("channel"), dict) else {}
    creator = channel.get("creator_id") or payload.get("creator_id")
    return creator if isinstance(creator, str) and creator.strip() else None


def on_message_new(session: Session, payload: dict[str, Any], at: datetime) -> str:
    message = _object(payload, "message")
    if message.get(SIFT_REPLY_FIELD):
        return "ignored: Sift's own reply"
    user = message.get("user") if isinstance(message.get("user"), dict) else payload.get("user")
    if not isinstance(user, dict) or not user.get("id"):
        raise MalformedEvent("message.new: missing `message.user.id`")
    creator, cid = _creator_of(payload), _cid(payload)
    if str(user["id"]) == creator:
        try:
            service.mark_channel_replied(
                session, creator_external_id=creator, channel_external_id=cid
            )
        except service.InboxError:
            return "ignored: reply on a channel Sift has no message from"
        return "external reply"
    try:
        inbound = InboundMessage(
            creator=creator,
            channel=cid,
            external_id=_text(message, "id", "message.id"),
            text=_text(message, "text", "message.text"),
            is_paid_dm=message.get("is_paid_dm", False),
            sender_id=str(user["id"]),
            visitor_name=user.get("name"),
            visitor_avatar_url=user.get("image"),
            created_at=message.get("created_at"),
            raw=stored_copy(payload),
        )
    except ValidationError as error:
        raise MalformedEvent(f"message.new: {first_problem(error)}") from None
    result = ingest.ingest(session, inbound)
    return "replay" if result.replayed else "ingested"


def on_message_deleted(session: Session, payload: dict[str, Any], at: datetime) -> str:
    message = _object(payload, "message")
    creator = _named_creator(payload) or service.creator_of_channel(
        session, channel_external_id=_cid(payload)
    )
    if creator is None:
        return "ignored: unknown channel"
    found = service.delete_message(
        session, creator_external_id=creator, external_message_id=_text(message, "id", "message.id")
    )
    return "deleted" if found else "ignored: unknown message"


def on_channel_deleted(session: Session, payload: dict[str, Any], at: datetime) -> str:
    count = service.delete_channel(session, channel_external_id=_cid(payload), up_to=at)
    return f"deleted {count} message(s)"


def on_user_deleted(session: Session, payload: dict[str, Any], at: datetime) -> str:
    user_id = _text(_object(payload, "user"), "id", "user.id")
    if service.delete_creator_data(session, creator_external_id=user_id, up_to=at):
        return "creator data deleted"
    count = service.delete_visitor(session, visitor_id=user_id, up_to=at)
    return f"deleted {count} message(s) of the fan"


HANDLERS: dict[str, Callable[[Session, dict[str, Any], datetime], str]] = {
    "message.new": on_message_new,
    "message.deleted": on_message_deleted,
    "channel.deleted": on_channel_deleted,
    "user.deleted": on_user_deleted,
}


def handle(session: Session, payload: Any, *, body: bytes, max_age_s: float) -> str:
    """Apply one event (`payload`, parsed from the signed `body`); returns what was done.
    Unknown event types are acknowledged and ignored (GetStream sends many), a known one
    with a bad shape or a stale timestamp raises `MalformedEvent`, and one already handled
    is a `replay` that changes nothing."""
    if not isinstance(payload, dict):
        raise MalformedEvent("the body must be a JSON object")
    kind = payload.get("type")
    if not isinstance(kind, str):
        raise MalformedEvent("missing string `type`")
    handler = HANDLERS.get(kind)
    if handler is None:
        return f"ignored: event type {kind}"
    window = timedelta(seconds=max_age_s)
    happened = event_time(payload, now=utcnow(), max_age=window)
    if not remember(session, body, kind, forget_before=utcnow() - window - CLOCK_SKEW):
        return "replay"
    return handler(session, payload, happened)


def event_time(payload: dict[str, Any], *, now: datetime, max_age: timedelta) -> datetime:
    """When the event happened (its `created_at`, UTC when it names no zone), refused when
    missing, unreadable, older than `max_age` or ahead of `now` by more than the skew."""
    value = payload.get("created_at")
    if not isinstance(value, str) or not value.strip():
        raise MalformedEvent(f"{payload['type']}: missing string `created_at` (when it happened)")
    try:
        happened = datetime.fromisoformat(value.strip())
    except ValueError:
        raise MalformedEvent(
            f"{payload['type']}: `created_at` is not an ISO 8601 time: {value[:40]!r}"
        ) from None
    if happened.tzinfo is None:
        happened = happened.replace(tzinfo=UTC)
    if happened < now - max_age:
        raise MalformedEvent(
            f"{payload['type']}: event is too old (created_at {value[:40]}; events older than "
            f"{int(max_age.total_seconds())} s are refused as replays)"
        )
    if happened > now + CLOCK_SKEW:
        raise MalformedEvent(f"{payload['type']}: created_at {value[:40]} is in the future")
    return happened


def remember(session: Session, body: bytes, kind: str, *, forget_before: datetime) -> bool:
    """Record the signed body as handled; False when it already was (a replay). Events
    older than the accepted window are forgotten, as their timestamps are refused anyway.
    A concurrent duplicate waits on the first one's row and then sees it."""
    session.execute(sa.delete(WebhookEvent).where(WebhookEvent.received_at < forget_before))
    inserted = session.execute(
        insert(WebhookEvent)
        .values(digest=hashlib.sha256(body).hexdigest(), event_type=kind, received_at=utcnow())
        .on_conflict_do_nothing(index_elements=[WebhookEvent.digest])
        .returning(WebhookEvent.digest)
    ).first()
    return inserted is not None
