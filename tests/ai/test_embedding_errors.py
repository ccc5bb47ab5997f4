"""An OpenAI-compatible embedding endpoint that refuses or cannot be reached is one line
naming what to check, not an SDK traceback."""

from __future__ import annotations

import socket

import pytest

from sift.ai.embeddings import EmbeddingError, EmbeddingUnavailable, OpenAIEmbedder
from sift.config import load_settings
from tests.fakes.openai_server import FakeOpenAIServer


def test_a_refused_request_names_the_status_and_the_settings_to_check() -> None:
    with FakeOpenAIServer(require_api_key=True) as server:
        settings = load_settings(
            embedding_provider="openai",
            embedding_base_url=server.base_url,
            embedding_api_key="sk-wrong",
            llm_max_retries=0,
        )
        with pytest.raises(EmbeddingError) as caught:
            OpenAIEmbedder(settings).embed(["hello"])
    message = str(caught.value)
    assert not isinstance(caught.value, EmbeddingUnavailable)
    assert "answered HTTP 401" in message and "SIFT_EMBEDDING_MODEL" in message
    assert "\n" not in message


def test_an_unreachable_endpoint_is_unavailable_not_a_traceback() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = load_settings(
        embedding_provider="openai",
        embedding_base_url=f"http://127.0.0.1:{closed_port}/v1",
        embedding_api_key="sk-fake",
        llm_max_retries=0,
    )
    with pytest.raises(EmbeddingUnavailable, match="cannot reach the embedding endpoint"):
        OpenAIEmbedder(settings).embed(["hello"])
