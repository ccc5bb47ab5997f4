"""Where a bulk reply goes: one port, GetStream in production, a recorder offline.

Every send carries a message id Sift chooses (the delivery row's id). GetStream refuses a
second message with an id it already has, so a send retried after a lost answer cannot
reach a fan twice: "already exists" reads as delivered.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from sift.config import Settings, get_settings
from sift.errors import SiftError

DEFAULT_CHANNEL_TYPE = "messaging"
SIFT_REPLY_FIELD = "sift_cluster_id"
"""Custom field on every message Sift sends, so the webhook can tell its own echo from a
reply the creator typed elsewhere."""


class DeliveryFailed(SiftError):
    """The platform did not take the message; the text says why (kept on the delivery)."""


class DeliveryPort(Protocol):
    def deliver(
        self, channel_external_id: str, text: str, *, creator: str, message_id: str, cluster_id: str
    ) -> str:
        """Send `text` into the channel as the creator; returns the platform's message id."""
        ...


@dataclass(frozen=True)
class SentReply:
    channel_external_id: str
    text: str
    creator: str
    message_id: str


class RecordingDelivery:
    """The offline port: keeps what would have been sent, in memory, in order."""

    def __init__(self) -> None:
        self.sent: list[SentReply] = []
        self._lock = threading.Lock()

    def deliver(
        self, channel_external_id: str, text: str, *, creator: str, message_id: str, cluster_id: str
    ) -> str:
        with self._lock:
            if not any(s.message_id == message_id for s in self.sent):
                self.sent.append(SentReply(channel_external_id, text, creator, message_id))
        return message_id


def split_cid(cid: str) -> tuple[str, str]:
    """GetStream's `type:id` channel cid; a bare id is a `messaging` channel."""
    channel_type, _, channel_id = cid.rpartition(":")
    return channel_type or DEFAULT_CHANNEL_TYPE, channel_id


class StreamDelivery:
    """GetStream through the official `stream-chat` server client."""

    def __init__(self, api_key: str, api_secret: str, *, base_url: str | None = None) -> None:
        from stream_chat import StreamChat

        options = {"base_url": base_url} if base_url else {}
        self._client = StreamChat(api_key=api_key, api_secret=api_secret, **options)

    def deliver(
        self, channel_external_id: str, text: str, *, creator: str, message_id: str, cluster_id: str
    ) -> str:
        from stream_chat.base.exceptions import StreamAPIException

        channel = self._client.channel(*split_cid(channel_external_id))
        message = {"id": message_id, "text": text, SIFT_REPLY_FIELD: cluster_id}
        try:
            response = channel.send_message(message, creator)
        except StreamAPIException as error:
            if "already exists" in (getattr(error, "error_message", "") or ""):
                return message_id
            raise DeliveryFailed(f"GetStream refused the message: {error}") from error
        except OSError as error:  # requests' connection errors derive from OSError
            raise DeliveryFailed(f"GetStream unreachable: {error}") from error
        return str(response.get("message", {}).get("id", message_id))


def build_port(settings: Settings) -> DeliveryPort:
    """GetStream when its key and secret are set, the recorder otherwise."""
    if settings.stream_api_key and settings.stream_api_secret:
        return StreamDelivery(
            settings.stream_api_key,
            settings.stream_api_secret.get_secret_value(),
            base_url=settings.stream_base_url,
        )
    return RecordingDelivery()


@lru_cache(maxsize=1)
def get_port() -> DeliveryPort:
    """The process-wide port (one HTTP session; one recorder tests can read)."""
    return build_port(get_settings())
