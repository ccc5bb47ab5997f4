"""Test doubles for Sift's external services."""

from .openai_server import (
    CHAT,
    EMBEDDINGS,
    FakeOpenAIServer,
    RecordedRequest,
    Reply,
    estimate_tokens,
    openai_server,
)

__all__ = [
    "CHAT",
    "EMBEDDINGS",
    "FakeOpenAIServer",
    "RecordedRequest",
    "Reply",
    "estimate_tokens",
    "openai_server",
]
