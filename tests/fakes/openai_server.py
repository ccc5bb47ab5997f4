"""A scripted OpenAI-compatible HTTP server for tests.

It runs on 127.0.0.1 (a free port) in a background thread and answers
`POST /v1/chat/completions` and `POST /v1/embeddings` from a script: a queue of `Reply`s,
each optionally guarded by a predicate on the request. Requests are checked the way the real
API checks them (model, messages, `response_format`), malformed ones get a 400 with an
OpenAI-style error body, and every request is recorded so tests can assert on prompts and
call counts. It is a plain `http.server`, so it starts in milliseconds and needs no event
loop; each request gets its own thread, which lets a slow reply trip a client timeout
without blocking the next attempt.

    with FakeOpenAIServer() as server:
        server.enqueue(Reply.json({"name": "Ada"}), Reply.error(429, retry_after=0))
        client = LLMClient(base_url=server.base_url, api_key=server.api_key)
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

CHAT = "/v1/chat/completions"
EMBEDDINGS = "/v1/embeddings"
_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
_SCHEMA_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def estimate_tokens(text: str) -> int:
    """The fake's token count: whitespace-separated words (predictable in assertions)."""
    return len(text.split())


@dataclass
class RecordedRequest:
    """One request as the server saw it, and what it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    raw: bytes
    status: int = 0
    error: str | None = None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def model(self) -> str | None:
        return self.body.get("model") if isinstance(self.body, dict) else None

    @property
    def prompt(self) -> str:
        """All message contents joined, for `assert "..." in request.prompt`."""
        return "\n".join(_content_text(m.get("content")) for m in self.messages)


@dataclass
class Reply:
    """One scripted answer. Build with the class methods; `when` limits what it answers."""

    status: int = 200
    content: str | None = None
    body: Any = None  # a full response body, sent as-is (JSON-encoded unless bytes/str)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    usage: tuple[int, int] | None = None  # (prompt, completion); None = estimated
    finish_reason: str = "stop"
    refusal: str | None = None
    path: str | None = CHAT  # None = any endpoint
    when: Callable[[RecordedRequest], bool] | None = None

    @classmethod
    def text(cls, content: str, **kw: Any) -> Reply:
        return cls(content=content, **kw)

    @classmethod
    def json(cls, data: Any, **kw: Any) -> Reply:
        """Assistant content that is `data` serialised as JSON (structured output)."""
        return cls(content=json.dumps(data), **kw)

    @classmethod
    def error(
        cls,
        status: int,
        message: str | None = None,
        *,
        retry_after: float | str | None = None,
        code: str | None = None,
        **kw: Any,
    ) -> Reply:
        headers = dict(kw.pop("headers", {}))
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        try:
            default = f"fake {status} {HTTPStatus(status).phrase}"
        except ValueError:
            default = f"fake {status}"
        body = _error_body(message or default, _error_type(status), code)
        return cls(status=status, body=body, headers=headers, **kw)

    @classmethod
    def slow(cls, delay_s: float, then: Reply | None = None) -> Reply:
        """Answer `then` (default "ok") only after `delay_s`, to trip client timeouts."""
        base = then or cls.text("ok")
        base.delay_s = delay_s
        return base

    def matches(self, request: RecordedRequest) -> bool:
        if self.path is not None and self.path != request.path:
            return False
        return self.when is None or bool(self.when(request))


class FakeOpenAIServer:
    """Background-thread OpenAI-compatible server driven by a queue of `Reply`s.

    Unscripted chat requests get `unscripted` (default: a 418 error naming the request, so
    a forgotten script fails loudly and is not retried); unscripted embedding requests get
    deterministic unit vectors derived from each input's hash.
    """

    def __init__(
        self,
        *,
        api_key: str | None = "sk-fake",
        require_api_key: bool = False,
        unscripted: Reply | None = None,
    ) -> None:
        self.api_key = api_key
        self.require_api_key = require_api_key
        self.unscripted = unscripted
        self.requests: list[RecordedRequest] = []
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ids = 0

    # lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False  # a sleeping slow reply must not hold up teardown
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give an OpenAI client as `base_url` (ends in `/v1`)."""
        return f"{self.url}/v1"

    # script ------------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> FakeOpenAIServer:
        """Append replies; each answers (and is used up by) the first request it matches."""
        with self._lock:
            self._script.extend(replies)
        return self

    def reply_json(self, data: Any, **kw: Any) -> FakeOpenAIServer:
        return self.enqueue(Reply.json(data, **kw))

    def reply_text(self, content: str, **kw: Any) -> FakeOpenAIServer:
        return self.enqueue(Reply.text(content, **kw))

    @property
    def pending(self) -> list[Reply]:
        with self._lock:
            return list(self._script)

    def assert_script_consumed(self) -> None:
        left = self.pending
        assert not left, f"{len(left)} scripted replies were never requested: {left!r}"

    def _take(self, request: RecordedRequest) -> Reply | None:
        with self._lock:
            for index, reply in enumerate(self._script):
                if reply.matches(request):
                    return self._script.pop(index)
        return None

    def _next_id(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids

    # recorded traffic --------------------------------------------------------------------

    def calls(self, path: str = CHAT) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return self.calls(CHAT)

    @property
    def embedding_requests(self) -> list[RecordedRequest]:
        return self.calls(EMBEDDINGS)

    @property
    def last(self) -> RecordedRequest:
        with self._lock:
            assert self.requests, "no requests were made"
            return self.requests[-1]

    # request handling (called from handler threads) --------------------------------------

    def _handle(self, request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.requests.append(request)
        if request.path not in (CHAT, EMBEDDINGS):
            return self._fail(request, 404, f"unknown path {request.path}", "not_found")
        if self.require_api_key and request.headers.get("authorization") != (
            f"Bearer {self.api_key}"
        ):
            return self._fail(request, 401, "Incorrect API key provided", "invalid_api_key")
        if not isinstance(request.body, dict):
            return self._fail(request, 400, "request body must be a JSON object")
        problem = (
            _check_chat(request.body) if request.path == CHAT else _check_embeddings(request.body)
        )
        if problem:
            return self._fail(request, 400, problem)
        reply = self._take(request)
        if reply is None and request.path == CHAT:
            reply = self.unscripted or Reply.error(
                418,
                f"fake openai server: no scripted reply matches this request: "
                f"{request.prompt[:200]!r}",
            )
        if reply is not None and reply.delay_s:
            self._stopping.wait(reply.delay_s)
        if reply is None:
            status, headers, payload = 200, {}, self._embeddings(request.body)
        elif reply.body is not None or reply.status != 200:
            status, headers, payload = reply.status, reply.headers, reply.body
        elif request.path == CHAT:
            status, headers, payload = 200, reply.headers, self._chat(request, reply)
        else:
            status, headers, payload = 200, reply.headers, self._embeddings(request.body)
        request.status = status
        return status, headers, _encode(payload)

    def _fail(
        self, request: RecordedRequest, status: int, message: str, code: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request.status = status
        request.error = message
        return status, {}, _encode(_error_body(message, _error_type(status), code))

    def _chat(self, request: RecordedRequest, reply: Reply) -> dict[str, Any]:
        content = reply.content if reply.content is not None else ""
        if reply.usage is not None:
            prompt_tokens, completion_tokens = reply.usage
        else:
            prompt_tokens = sum(
                estimate_tokens(_content_text(m.get("content"))) for m in request.messages
            )
            completion_tokens = estimate_tokens(content)
        return {
            "id": f"chatcmpl-fake-{self._next_id()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.model,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": None if reply.refusal and not content else content,
                        "refusal": reply.refusal,
                    },
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }

    def _embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        dims = int(body.get("dimensions") or 8)
        data = [
            {"object": "embedding", "index": i, "embedding": _vector(str(text), dims)}
            for i, text in enumerate(inputs)
        ]
        tokens = sum(estimate_tokens(str(text)) for text in inputs)
        return {
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAIServer
    protocol_version = "HTTP/1.0"  # one request per connection: no stale keep-alives

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        request = RecordedRequest(
            method="POST",
            path=self.path.split("?", 1)[0],
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw=raw,
        )
        status, headers, payload = self.fake._handle(request)
        self._send(status, headers, payload)

    def do_GET(self) -> None:
        self._send(404, {}, _encode(_error_body(f"unknown path {self.path}", "not_found")))

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timed out) before the slow reply was ready

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; `requests` holds everything worth seeing


# request validation ---------------------------------------------------------------------


def _check_chat(body: dict[str, Any]) -> str | None:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return "you must provide a model parameter"
    if body.get("stream"):
        return "stream=true is not supported by the fake server"
    if body.get("n", 1) != 1:
        return "only n=1 is supported by the fake server"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty array"
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            return f"messages[{i}] must be an object"
        role = message.get("role")
        if role not in _ROLES:
            return f"messages[{i}].role must be one of {sorted(_ROLES)}, got {role!r}"
        content = message.get("content")
        if content is None and role == "assistant" and message.get("tool_calls"):
            continue
        if isinstance(content, list):
            if not all(isinstance(part, dict) and "type" in part for part in content):
                return f"messages[{i}].content parts must be objects with a 'type'"
        elif not isinstance(content, str):
            return f"messages[{i}].content must be a string or an array of parts"
    if "response_format" in body:
        return _check_response_format(body["response_format"])
    return None


def _check_response_format(fmt: Any) -> str | None:
    if not isinstance(fmt, dict):
        return "'response_format' must be an object"
    kind = fmt.get("type")
    if kind in ("text", "json_object"):
        return None
    if kind != "json_schema":
        return f"response_format.type must be text, json_object or json_schema, got {kind!r}"
    spec = fmt.get("json_schema")
    if not isinstance(spec, dict):
        return "response_format.json_schema must be an object"
    name = spec.get("name")
    if not isinstance(name, str) or not _SCHEMA_NAME.match(name):
        return "response_format.json_schema.name must match ^[a-zA-Z0-9_-]{1,64}$"
    schema = spec.get("schema")
    if not isinstance(schema, dict):
        return "response_format.json_schema.schema must be an object"
    if spec.get("strict"):
        return _check_strict(schema, "schema")
    return None


def _check_strict(node: Any, where: str) -> str | None:
    """The subset of OpenAI's strict-mode rules a Pydantic-derived schema can break."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            problem = _check_strict(item, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if not isinstance(node, dict):
        return None
    if "$ref" in node and len(node) > 1:
        return f"Invalid schema: $ref cannot have sibling keywords ({where})"
    if node.get("type") == "object" or "properties" in node:
        if node.get("additionalProperties") is not False:
            return f"Invalid schema: 'additionalProperties' must be false ({where})"
        properties = node.get("properties") or {}
        missing = set(properties) - set(node.get("required") or [])
        if missing:
            return (
                f"Invalid schema: 'required' must list every property; missing "
                f"{sorted(missing)} ({where})"
            )
    for key, value in node.items():
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            for name, sub in value.items():
                problem = _check_strict(sub, f"{where}.{key}.{name}")
                if problem:
                    return problem
        elif isinstance(value, dict | list):
            problem = _check_strict(value, f"{where}.{key}")
            if problem:
                return problem
    return None


def _check_embeddings(body: dict[str, Any]) -> str | None:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return "you must provide a model parameter"
    value = body.get("input")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        return "'input' must be a non-empty string or array"
    if not all(isinstance(item, str) and item for item in value):
        return "'input' items must be non-empty strings"
    dims = body.get("dimensions")
    if dims is not None and (not isinstance(dims, int) or dims < 1):
        return "'dimensions' must be a positive integer"
    return None


# helpers --------------------------------------------------------------------------------


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _error_type(status: int) -> str:
    if status == 429:
        return "rate_limit_exceeded"
    if status >= 500:
        return "server_error"
    return "invalid_request_error"


def _error_body(message: str, kind: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _encode(payload: Any) -> bytes:
    if payload is None:
        return b""
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return json.dumps(payload).encode("utf-8")


def _vector(text: str, dims: int) -> list[float]:
    """A deterministic unit vector for `text`: same text, same vector, across runs."""
    values: list[float] = []
    counter = 0
    while len(values) < dims:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend((b - 127.5) / 127.5 for b in digest)
        counter += 1
    values = values[:dims]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A started `FakeOpenAIServer`, stopped after the test."""
    with FakeOpenAIServer() as server:
        yield server
