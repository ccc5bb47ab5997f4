"""Chat completions against any OpenAI-compatible server, with retries and token accounting.

Sift talks to whatever `SIFT_LLM_BASE_URL` points at (OpenAI, vLLM, Ollama, a gateway), so
this module assumes only the `/chat/completions` contract. Retries live here rather than in
the SDK (its `max_retries` is 0) so attempts can be counted, backoff stays predictable and
every failure ends as one `LLMError` line a user can act on. Token usage is recorded on the
client and in every open `usage_scope()`, which is how a workflow run learns what it cost.
"""

from __future__ import annotations

import contextvars
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sift.config import Settings, get_settings
from sift.errors import SiftError, Unavailable

T = TypeVar("T", bound=BaseModel)
Message = Mapping[str, Any]
Messages = str | Sequence[Message]

_RETRIABLE_STATUS = frozenset({408, 429})
_FENCE = re.compile(r"^\s*```[a-zA-Z0-9_-]*\s*\n(.*?)\n?\s*```\s*$", re.DOTALL)
_SCHEMA_NAME = re.compile(r"[^a-zA-Z0-9_-]")


# errors ---------------------------------------------------------------------------------


class LLMError(SiftError):
    """Base of every LLM failure; the message is one line that says what to do."""

    def __init__(
        self, message: str, *, attempts: int | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.status = status


class LLMNotConfigured(LLMError):
    """Neither a base URL nor an API key is set, so there is nothing to call."""


class LLMUnavailable(LLMError, Unavailable):
    """The server could not be reached, timed out or kept failing with 5xx after retries."""


class LLMRateLimited(LLMError):
    """The server kept answering 429 after retries, or the account is out of quota."""


class LLMRequestRejected(LLMError):
    """The server refused the request (4xx other than 429): bad key, model or payload."""


class LLMOutputInvalid(LLMError):
    """The reply came back but is not what was asked for (bad JSON, wrong shape, refusal)."""


# usage accounting -----------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """Tokens billed and successful calls; adds up with `+` across calls, steps and runs."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.calls + other.calls,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "calls": self.calls,
        }


class UsageMeter:
    """A running `Usage` total that calls add to; thread-safe so one scope may fan out."""

    def __init__(self) -> None:
        self._usage = Usage()
        self._lock = threading.Lock()

    @property
    def usage(self) -> Usage:
        return self._usage

    def add(self, usage: Usage) -> None:
        with self._lock:
            self._usage = self._usage + usage


_SCOPES: contextvars.ContextVar[tuple[UsageMeter, ...]] = contextvars.ContextVar(
    "sift_llm_usage_scopes", default=()
)


@contextmanager
def usage_scope() -> Iterator[UsageMeter]:
    """Collect the usage of every LLM call made inside the block (nested scopes all count).

    Scopes follow `contextvars`, so calls made in threads started inside the block count
    only if the thread runs in a copy of this context (`contextvars.copy_context().run`).
    """
    meter = UsageMeter()
    token = _SCOPES.set((*_SCOPES.get(), meter))
    try:
        yield meter
    finally:
        _SCOPES.reset(token)


# structured-output schema ---------------------------------------------------------------


def strict_json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form OpenAI's `strict` structured outputs accept.

    Strict mode wants every object closed (`additionalProperties: false`), every property
    listed in `required` (optional ones are nullable instead) and no `default`s; a `$ref`
    with sibling keys is inlined because strict mode rejects that combination.
    """
    root = schema.model_json_schema()
    return _strict(root, root)


def _strict(node: Any, root: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strict(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and len(node) > 1:
        target = _resolve_ref(root, node["$ref"])
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "default":
            continue
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            out[key] = {name: _strict(sub, root) for name, sub in value.items()}
        else:
            out[key] = _strict(value, root)
    if out.get("type") == "object" and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if isinstance(out.get("properties"), dict):
        out["required"] = list(out["properties"])
    return out


def _resolve_ref(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"cannot inline non-local $ref {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return dict(node)


def response_format_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The `response_format` parameter asking for JSON that matches `schema`, strictly."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": _SCHEMA_NAME.sub("_", schema.__name__)[:64] or "output",
            "schema": strict_json_schema(schema),
            "strict": True,
        },
    }


# the client -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """One successful chat completion: the text plus what it cost and took."""

    text: str
    model: str
    usage: Usage
    attempts: int
    finish_reason: str | None = None
    refusal: str | None = None


@dataclass
class _Totals:
    usage: Usage = field(default_factory=Usage)
    attempts: int = 0


def _one_line(text: object, limit: int = 240) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _server_message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return _one_line(inner["message"])
        if isinstance(inner, str):
            return _one_line(inner)
    return _one_line(getattr(error, "message", None) or error)


def _retry_after_s(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms`, `retry-after`), if it said."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


class LLMClient:
    """Synchronous chat client; one instance is shared by every workflow step in a process.

    Explicit keyword arguments override `settings`; `model="small"`/`"large"` map to the
    configured model names and any other string is sent as-is.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        model_large: str | None = None,
        model_small: str | None = None,
        default_model: str = "large",
        timeout_s: float | None = None,
        max_retries: int | None = None,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 20.0,
        retry_after_cap_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        defaults = Settings.model_fields

        def pick(explicit: Any, name: str) -> Any:
            if explicit is not None:
                return explicit
            return getattr(settings, name) if settings is not None else defaults[name].default

        key = api_key
        if key is None and settings is not None and settings.llm_api_key is not None:
            key = settings.llm_api_key.get_secret_value()
        self.base_url: str | None = pick(base_url, "llm_base_url") or None
        self._api_key: str | None = key or None
        self.model_large: str = pick(model_large, "llm_model_large")
        self.model_small: str = pick(model_small, "llm_model_small")
        self.default_model = default_model
        self.timeout_s: float = pick(timeout_s, "llm_timeout_s")
        self.max_retries: int = pick(max_retries, "llm_max_retries")
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.retry_after_cap_s = retry_after_cap_s
        self._sleep = sleep
        self._sdk_client: Any = None
        self._lock = threading.Lock()
        self._totals = _Totals()

    # configuration -----------------------------------------------------------------------

    @property
    def configured(self) -> bool:
        return bool(self.base_url or self._api_key)

    @property
    def where(self) -> str:
        """The server as named in error messages."""
        return self.base_url or "https://api.openai.com/v1"

    def resolve_model(self, model: str | None) -> str:
        name = model or self.default_model
        if name == "large":
            return self.model_large
        if name == "small":
            return self.model_small
        return name

    def _sdk(self) -> Any:
        if not self.configured:
            raise LLMNotConfigured(
                "no LLM configured: set SIFT_LLM_BASE_URL (any OpenAI-compatible server) "
                "and/or SIFT_LLM_API_KEY"
            )
        with self._lock:
            if self._sdk_client is None:
                from openai import OpenAI

                self._sdk_client = OpenAI(
                    base_url=self.base_url,
                    # Local servers often need no key, but the SDK insists on one.
                    api_key=self._api_key or "unused",
                    timeout=self.timeout_s,
                    max_retries=0,
                )
            return self._sdk_client

    # accounting --------------------------------------------------------------------------

    @property
    def total_usage(self) -> Usage:
        """Usage of every successful call this client made since it was created or reset."""
        return self._totals.usage

    @property
    def total_attempts(self) -> int:
        """HTTP requests sent, retries included (failed attempts cost no tokens)."""
        return self._totals.attempts

    def _record(self, usage: Usage) -> None:
        with self._lock:
            self._totals.usage = self._totals.usage + usage
        for meter in _SCOPES.get():
            meter.add(usage)

    def _count_attempt(self) -> None:
        with self._lock:
            self._totals.attempts += 1

    # calls -------------------------------------------------------------------------------

    def chat(
        self,
        messages: Messages,
        *,
        model: str | None = None,
        system: str | None = None,
        response_format: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> Completion:
        """One chat completion with retries; `params` pass through (e.g. `max_tokens`)."""
        sdk = self._sdk()
        request: dict[str, Any] = {
            "model": self.resolve_model(model),
            "messages": _as_messages(messages, system),
            **params,
        }
        if response_format is not None:
            request["response_format"] = dict(response_format)
        response, attempts = self._with_retries(lambda: sdk.chat.completions.create(**request))
        raw = getattr(response, "usage", None)
        usage = Usage(
            prompt_tokens=int(getattr(raw, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(raw, "completion_tokens", 0) or 0),
            calls=1,
        )
        self._record(usage)
        choices = getattr(response, "choices", None) or []
        if not choices:
            raise LLMOutputInvalid(
                f"LLM at {self.where} returned no choices for model {request['model']}",
                attempts=attempts,
            )
        choice = choices[0]
        return Completion(
            text=choice.message.content or "",
            model=getattr(response, "model", None) or request["model"],
            usage=usage,
            attempts=attempts,
            finish_reason=choice.finish_reason,
            refusal=getattr(choice.message, "refusal", None),
        )

    def complete(
        self, messages: Messages, *, model: str | None = None, system: str | None = None
    ) -> str:
        """Plain text reply to a prompt or a message list."""
        completion = self.chat(messages, model=model, system=system)
        if completion.refusal and not completion.text:
            raise LLMOutputInvalid(
                f"model refused: {_one_line(completion.refusal)}", attempts=completion.attempts
            )
        return completion.text

    def structured(
        self,
        messages: Messages,
        schema: type[T],
        *,
        model: str | None = None,
        system: str | None = None,
    ) -> T:
        """A reply parsed into `schema`, asked for with strict JSON-schema structured outputs.

        Raises `LLMOutputInvalid` when the reply is not JSON or does not validate; the
        tokens are still counted because the server billed them.
        """
        completion = self.chat(
            messages, model=model, system=system, response_format=response_format_for(schema)
        )
        name = schema.__name__
        if completion.refusal and not completion.text:
            raise LLMOutputInvalid(
                f"model refused to produce {name}: {_one_line(completion.refusal)}",
                attempts=completion.attempts,
            )
        if completion.finish_reason == "length":
            raise LLMOutputInvalid(
                f"{name} reply from {completion.model} was cut off at the token limit; "
                "shorten the input or use a model with more output tokens",
                attempts=completion.attempts,
            )
        text = completion.text
        fenced = _FENCE.match(text)  # servers that ignore response_format often fence JSON
        if fenced:
            text = fenced.group(1)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise LLMOutputInvalid(
                f"{completion.model} did not return JSON for {name} ({error.msg} at char "
                f"{error.pos}): {_one_line(text, 120)!r}",
                attempts=completion.attempts,
            ) from None
        try:
            return schema.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            loc = ".".join(str(p) for p in first["loc"]) or "<root>"
            raise LLMOutputInvalid(
                f"{completion.model} returned JSON that does not fit {name}: {loc}: "
                f"{first['msg']} ({error.error_count()} error(s))",
                attempts=completion.attempts,
            ) from None

    # retries -----------------------------------------------------------------------------

    def _backoff_s(self, retry: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap_s)
        delay = min(self.backoff_max_s, self.backoff_base_s * 2 ** (retry - 1))
        return delay + random.uniform(0, delay / 2)  # jitter keeps parallel steps apart

    def _with_retries(self, send: Callable[[], Any]) -> tuple[Any, int]:
        import openai

        attempts = self.max_retries + 1
        last: Exception | None = None
        for attempt in range(1, attempts + 1):
            self._count_attempt()
            retry_after: float | None = None
            try:
                return send(), attempt
            except openai.APIConnectionError as error:  # includes APITimeoutError
                last = error
            except openai.APIStatusError as error:
                last = error
                status = error.status_code
                if status == 429 and getattr(error, "code", None) == "insufficient_quota":
                    raise LLMRateLimited(
                        f"LLM account at {self.where} is out of quota: "
                        f"{_server_message(error)}; check billing or SIFT_LLM_API_KEY",
                        attempts=attempt,
                        status=status,
                    ) from error
                if status not in _RETRIABLE_STATUS and status < 500:
                    raise self._rejected(error, attempt) from error
                retry_after = _retry_after_s(error.response.headers)
            if attempt < attempts:
                self._sleep(self._backoff_s(attempt, retry_after))
        assert last is not None
        raise self._exhausted(last, attempts) from last

    def _rejected(self, error: Any, attempts: int) -> LLMRequestRejected:
        status = error.status_code
        detail = _server_message(error)
        hint = {
            401: "check SIFT_LLM_API_KEY",
            403: "check SIFT_LLM_API_KEY and the account's access to this model",
            404: "check SIFT_LLM_BASE_URL and the model name (SIFT_LLM_MODEL_LARGE/SMALL)",
        }.get(status, "the request was malformed or unsupported by this server")
        return LLMRequestRejected(
            f"LLM at {self.where} rejected the request (HTTP {status}): {detail}; {hint}",
            attempts=attempts,
            status=status,
        )

    def _exhausted(self, error: Exception, attempts: int) -> LLMError:
        import openai

        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        if isinstance(error, openai.APITimeoutError):
            return LLMUnavailable(
                f"LLM at {self.where} timed out after {self.timeout_s:g}s ({tries}); "
                "check the server or raise SIFT_LLM_TIMEOUT_S",
                attempts=attempts,
            )
        if isinstance(error, openai.APIConnectionError):
            cause = _one_line(error.__cause__ or error, 120)
            return LLMUnavailable(
                f"cannot reach LLM at {self.where} ({tries}): {cause}; "
                "check SIFT_LLM_BASE_URL and that the server is running",
                attempts=attempts,
            )
        status = getattr(error, "status_code", None)
        detail = _server_message(error)
        if status == 429:
            return LLMRateLimited(
                f"LLM at {self.where} is still rate limiting (HTTP 429) after {tries}: "
                f"{detail}; slow down or raise SIFT_LLM_MAX_RETRIES",
                attempts=attempts,
                status=status,
            )
        return LLMUnavailable(
            f"LLM at {self.where} kept failing (HTTP {status}) after {tries}: {detail}; "
            "try again later or check the server's logs",
            attempts=attempts,
            status=status,
        )


def _as_messages(messages: Messages, system: str | None) -> list[dict[str, Any]]:
    if isinstance(messages, str):
        out = [{"role": "user", "content": messages}]
    else:
        out = [dict(m) for m in messages]
    if system is not None:
        out.insert(0, {"role": "system", "content": system})
    return out


@lru_cache(maxsize=1)
def get_llm() -> LLMClient:
    """The process-wide client: one connection pool and one set of running totals."""
    return LLMClient(get_settings())
