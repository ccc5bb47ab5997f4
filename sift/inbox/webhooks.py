"""GetStream-style webhook events turned into inbox actions.

GetStream signs each request with HMAC-SHA256 of the raw body (hex, `X-Signature` header);
Sift checks it with `SIFT_WEBHOOK_SECRET` before reading anything. Events handled:

- `message.new` from a fan → ingest; from the creator → an external reply
  (`mark_channel_replied`); Sift's own delivered reply (it carries `sift_cluster_id`) → ignored;
- `message.deleted` → soft delete; `channel.deleted` → every message of the channel;
- `user.deleted` → the creator's data when the user is a creator, else the fan's channels.

GetStream does not know which member of a channel is the creator, so the channel carries it
as a custom field `creator_id` (or the event at top level); a `message.new` without it is
refused as malformed. Replays are harmless: ingest is idempotent and deletions are too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from sift import security
from sift.errors import SiftError
from sift.inbox import ingest, service
from sift.inbox.delivery import SIFT_REPLY_FIELD
from sift.inbox.models import InboundMessage, first_problem


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
    channel = payload.get("channel") if isinstance(payload.get("channel"), dict) else {}
    creator = channel.get("creator_id") or payload.get("creator_id")
    if not isinstance(creator, str) or not creator.strip():
        raise MalformedEvent("message.new: missing `channel.creator_id` (the creator's user id)")
    return creator


def on_message_new(session: Session, payload: dict[str, Any]) -> str:
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
            is_paid_dm=bool(message.get("is_paid_dm", False)),
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


def on_message_deleted(session: Session, payload: dict[str, Any]) -> str:
    message = _object(payload, "message")
    found = service.delete_message(session, external_message_id=_text(message, "id", "message.id"))
    return "deleted" if found else "ignored: unknown message"


def on_channel_deleted(session: Session, payload: dict[str, Any]) -> str:
    count = service.delete_channel(session, channel_external_id=_cid(payload))
    return f"deleted {count} message(s)"


def on_user_deleted(session: Session, payload: dict[str, Any]) -> str:
    user_id = _text(_object(payload, "user"), "id", "user.id")
    if service.delete_creator_data(session, creator_external_id=user_id):
        return "creator data deleted"
    count = service.delete_visitor(session, visitor_id=user_id)
    return f"deleted {count} message(s) of the fan"


HANDLERS: dict[str, Callable[[Session, dict[str, Any]], str]] = {
    "message.new": on_message_new,
    "message.deleted": on_message_deleted,
    "channel.deleted": on_channel_deleted,
    "user.deleted": on_user_deleted,
}


def handle(session: Session, payload: Any) -> str:
    """Apply one event; returns what was done. Unknown event types are acknowledged and
    ignored (GetStream sends many), a known one with a bad shape raises `MalformedEvent`."""
    if not isinstance(payload, dict):
        raise MalformedEvent("the body must be a JSON object")
    kind = payload.get("type")
    if not isinstance(kind, str):
        raise MalformedEvent("missing string `type`")
    handler = HANDLERS.get(kind)
    if handler is None:
        return f"ignored: event type {kind}"
    return handler(session, payload)
