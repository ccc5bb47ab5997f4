"""LLMClient against the scripted fake OpenAI server: outputs, retries, errors, accounting."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from pydantic import BaseModel, SecretStr

from sift.ai.llm import (
    LLMClient,
    LLMNotConfigured,
    LLMOutputInvalid,
    LLMRateLimited,
    LLMRequestRejected,
    LLMUnavailable,
    Usage,
    response_format_for,
    usage_scope,
)
from sift.config import Settings
from tests.fakes.openai_server import EMBEDDINGS, FakeOpenAIServer, Reply


class Contact(BaseModel):
    name: str
    email: str | None = None
    tags: list[str] = []


class Page(BaseModel):
    title: str
    contacts: list[Contact]


def settings(**values: object) -> Settings:
    """Settings from `values` and the class defaults only, whatever the environment holds."""
    return Settings.model_construct(**values)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(require_api_key=True) as fake:
        yield fake


def make_client(server: FakeOpenAIServer, **overrides: object) -> tuple[LLMClient, list[float]]:
    """A client tuned for fast tests, plus the list of backoff delays it slept."""
    slept: list[float] = []
    options: dict[str, object] = {
        "base_url": server.base_url,
        "api_key": server.api_key,
        "model_large": "big-model",
        "model_small": "tiny-model",
        "timeout_s": 0.5,
        "max_retries": 2,
        "backoff_base_s": 0.01,
        "retry_after_cap_s": 0.05,
        "sleep": slept.append,
    }
    options.update(overrides)
    return LLMClient(**options), slept  # type: ignore[arg-type]


def test_structured_output_parses_into_the_model(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.enqueue(
        Reply.json(
            {"title": "Team", "contacts": [{"name": "Ada", "email": None, "tags": ["x"]}]},
            usage=(30, 12),
        )
    )

    page = client.structured("Extract the team page.", Page, model="small", system="Be exact.")

    assert page == Page(title="Team", contacts=[Contact(name="Ada", tags=["x"])])
    request = server.last
    assert request.model == "tiny-model"
    assert request.messages[0] == {"role": "system", "content": "Be exact."}
    assert request.messages[1] == {"role": "user", "content": "Extract the team page."}
    fmt = request.body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Page" and fmt["json_schema"]["strict"] is True
    assert client.total_usage == Usage(prompt_tokens=30, completion_tokens=12, calls=1)


def test_strict_schema_closes_objects_and_requires_every_field() -> None:
    schema = response_format_for(Page)["json_schema"]["schema"]
    contact = schema["$defs"]["Contact"]
    assert contact["additionalProperties"] is False
    assert contact["required"] == ["name", "email", "tags"]
    assert "default" not in contact["properties"]["tags"]
    assert schema["required"] == ["title", "contacts"]


def test_plain_completion_with_messages_and_model_passthrough(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.reply_text("Hello there")
    messages = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "greet me"},
    ]

    assert client.complete(messages, model="custom-model-7b") == "Hello there"
    assert server.last.model == "custom-model-7b"
    assert server.last.messages == messages
    # the fake estimates usage as word counts: "hi hello greet me" -> 4, "Hello there" -> 2
    assert client.total_usage == Usage(4, 2, 1)


def test_default_model_is_large(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.reply_text("ok")
    client.complete("ping")
    assert server.last.model == "big-model"


def test_429_then_success_retries_and_counts_only_success(server: FakeOpenAIServer) -> None:
    client, slept = make_client(server, retry_after_cap_s=0.2)
    server.enqueue(
        Reply.error(429, "slow down", retry_after=7),
        Reply.text("done", usage=(5, 1)),
    )

    completion = client.chat("work")

    assert completion.text == "done" and completion.attempts == 2
    assert len(server.chat_requests) == 2
    assert client.total_attempts == 2
    assert slept == [0.2]  # Retry-After: 7 honoured but capped
    assert client.total_usage == Usage(5, 1, 1)


def test_backoff_grows_exponentially_with_jitter(server: FakeOpenAIServer) -> None:
    client, slept = make_client(server, max_retries=3, backoff_base_s=0.01)
    server.enqueue(Reply.error(503), Reply.error(502), Reply.error(500), Reply.text("ok"))

    assert client.complete("x") == "ok"

    assert len(slept) == 3
    for retry, delay in enumerate(slept):
        base = 0.01 * 2**retry
        assert base <= delay <= base * 1.5


def test_5xx_exhausting_retries_raises_unavailable(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server, max_retries=2)
    server.enqueue(*[Reply.error(500, "upstream exploded") for _ in range(3)])

    with pytest.raises(LLMUnavailable) as caught:
        client.complete("x")

    message = str(caught.value)
    assert "\n" not in message
    assert server.base_url in message and "HTTP 500" in message and "3 attempts" in message
    assert "upstream exploded" in message
    assert caught.value.attempts == 3
    assert len(server.chat_requests) == 3
    assert client.total_usage == Usage()


def test_429_exhausting_retries_raises_rate_limited(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server, max_retries=1)
    server.enqueue(Reply.error(429, retry_after=0), Reply.error(429, retry_after=0))

    with pytest.raises(LLMRateLimited, match=r"HTTP 429\) after 2 attempts"):
        client.complete("x")
    assert len(server.chat_requests) == 2


def test_quota_exhaustion_is_not_retried(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.enqueue(Reply.error(429, "You exceeded your quota", code="insufficient_quota"))

    with pytest.raises(LLMRateLimited, match="out of quota"):
        client.complete("x")
    assert len(server.chat_requests) == 1


def test_malformed_json_raises_output_invalid(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.reply_text('{"title": "Team", "contacts": [', usage=(9, 4))

    with pytest.raises(LLMOutputInvalid, match="did not return JSON for Page"):
        client.structured("x", Page)
    assert client.total_usage == Usage(9, 4, 1)  # billed even though unusable
    assert len(server.chat_requests) == 1  # bad output is not retried


def test_schema_invalid_json_raises_output_invalid(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.reply_json({"title": "Team", "contacts": [{"email": "a@b.c"}]})

    with pytest.raises(LLMOutputInvalid, match=r"does not fit Page: contacts\.0\.name"):
        client.structured("x", Page)


def test_truncated_and_refused_outputs_are_invalid(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.enqueue(
        Reply.text('{"title": "T', finish_reason="length"),
        Reply.text("", refusal="I can't help with that."),
    )

    with pytest.raises(LLMOutputInvalid, match="cut off at the token limit"):
        client.structured("x", Page)
    with pytest.raises(LLMOutputInvalid, match="refused"):
        client.structured("x", Page)


def test_fenced_json_is_accepted(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.reply_text('```json\n{"name": "Ada", "email": null, "tags": []}\n```')
    assert client.structured("x", Contact) == Contact(name="Ada")


def test_timeout_is_retried_then_succeeds(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server, timeout_s=0.3, max_retries=1)
    server.enqueue(Reply.slow(1.0, Reply.text("late")), Reply.text("on time"))

    assert client.complete("x") == "on time"
    assert client.total_attempts == 2


def test_timeout_every_time_raises_unavailable(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server, timeout_s=0.3, max_retries=1)
    server.enqueue(Reply.slow(1.0), Reply.slow(1.0))

    with pytest.raises(LLMUnavailable, match=r"timed out after 0\.3s \(2 attempts\)") as caught:
        client.complete("x")
    assert server.base_url in str(caught.value)
    assert len(server.chat_requests) == 2


def test_connection_refused_raises_unavailable_naming_the_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    client = LLMClient(base_url=url, timeout_s=0.5, max_retries=1, sleep=lambda _: None)

    with pytest.raises(LLMUnavailable, match=r"cannot reach LLM at .*SIFT_LLM_BASE_URL") as caught:
        client.complete("x")
    assert url in str(caught.value) and caught.value.attempts == 2


def test_usage_scope_collects_per_scope_totals(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.enqueue(
        Reply.text("a", usage=(10, 1)),
        Reply.text("b", usage=(20, 2)),
        Reply.text("c", usage=(3, 3)),
    )

    with usage_scope() as run:
        with usage_scope() as step_one:
            client.complete("one")
        with usage_scope() as step_two:
            client.complete("two")
    client.complete("outside any scope")

    assert step_one.usage == Usage(10, 1, 1)
    assert step_two.usage == Usage(20, 2, 1)
    assert run.usage == step_one.usage + step_two.usage == Usage(30, 3, 2)
    assert client.total_usage == Usage(33, 6, 3)
    assert client.total_usage.total_tokens == 39


def test_usage_scopes_are_isolated_between_threads(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    server.enqueue(
        Reply.text("a", usage=(1, 1), when=lambda r: "first" in r.prompt),
        Reply.text("b", usage=(100, 100), when=lambda r: "second" in r.prompt),
    )
    results: dict[str, Usage] = {}

    def step(name: str) -> None:
        with usage_scope() as meter:
            client.complete(f"{name} step")
        results[name] = meter.usage

    threads = [threading.Thread(target=step, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == {"first": Usage(1, 1, 1), "second": Usage(100, 100, 1)}
    server.assert_script_consumed()


def test_fake_rejects_malformed_request_and_client_says_why(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)

    with pytest.raises(LLMRequestRejected) as caught:
        client.complete([{"role": "wizard", "content": "abracadabra"}])

    message = str(caught.value)
    assert "HTTP 400" in message and "messages[0].role" in message and "\n" not in message
    assert server.last.status == 400
    assert len(server.chat_requests) == 1  # a 400 is not retried


def test_fake_rejects_non_strict_schema(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server)
    loose = {
        "type": "json_schema",
        "json_schema": {"name": "Loose", "strict": True, "schema": Contact.model_json_schema()},
    }
    with pytest.raises(LLMRequestRejected, match="'additionalProperties' must be false"):
        client.chat("x", response_format=loose)


def test_bad_api_key_is_rejected_with_a_hint(server: FakeOpenAIServer) -> None:
    client, _ = make_client(server, api_key="sk-wrong")
    with pytest.raises(LLMRequestRejected, match=r"HTTP 401.*SIFT_LLM_API_KEY"):
        client.complete("x")


def test_unconfigured_client_raises_not_configured() -> None:
    client = LLMClient(settings(llm_base_url=None, llm_api_key=None))
    assert not client.configured
    with pytest.raises(LLMNotConfigured, match="SIFT_LLM_BASE_URL"):
        client.complete("x")


def test_settings_drive_models_timeout_and_retries(server: FakeOpenAIServer) -> None:
    client = LLMClient(
        settings(
            llm_base_url=server.base_url,
            llm_api_key=SecretStr(server.api_key or ""),
            llm_model_large="L",
            llm_model_small="S",
            llm_timeout_s=0.5,
            llm_max_retries=0,
        ),
        backoff_base_s=0.01,
    )
    assert (client.resolve_model("large"), client.resolve_model("small")) == ("L", "S")
    assert client.max_retries == 0 and client.timeout_s == 0.5
    server.enqueue(Reply.error(503))
    with pytest.raises(LLMUnavailable, match=r"HTTP 503\) after 1 attempt:"):
        client.complete("x")


def test_fake_serves_embeddings(server: FakeOpenAIServer) -> None:
    from openai import OpenAI

    sdk = OpenAI(base_url=server.base_url, api_key=server.api_key, max_retries=0)
    response = sdk.embeddings.create(model="emb", input=["a", "b", "a"], dimensions=16)

    vectors = [item.embedding for item in response.data]
    assert len(vectors) == 3 and all(len(v) == 16 for v in vectors)
    assert vectors[0] == vectors[2] != vectors[1]
    assert abs(sum(x * x for x in vectors[0]) - 1) < 1e-9
    assert response.usage.prompt_tokens == 3
    assert len(server.calls(EMBEDDINGS)) == 1
