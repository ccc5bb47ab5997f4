"""The offline embedder against the full-precision model, and the cache in front of it.

tests/data/minilm_reference.json holds all-MiniLM-L6-v2 vectors computed with the original
float32 PyTorch weights (see bench/make_embedding_reference.py). The int8 ONNX graph Sift
ships must stay close to them: a cosine of 0.99 or more for every sentence, long, short,
emoji-laden or not English.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sift.ai.embeddings import DIMENSIONS, CachedEmbedder, Embedder, MiniLMOnnxEmbedder

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "minilm_reference.json"
MIN_COSINE = 0.99


@pytest.fixture(scope="module")
def embedder() -> MiniLMOnnxEmbedder:
    return MiniLMOnnxEmbedder()


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def batched(embedder: MiniLMOnnxEmbedder, reference: dict) -> np.ndarray:
    """The reference sentences embedded in one call, as Sift embeds a page of comments."""
    return embedder.embed(reference["sentences"])


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


def test_reference_file_is_well_formed(reference: dict) -> None:
    vectors = np.asarray(reference["vectors"])
    assert reference["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert vectors.shape == (len(reference["sentences"]), DIMENSIONS)
    assert len(reference["sentences"]) >= 8


def test_vectors_match_full_precision_reference(batched: np.ndarray, reference: dict) -> None:
    sentences = reference["sentences"]
    expected = np.asarray(reference["vectors"], dtype=np.float64)
    cosines = _cosines(batched.astype(np.float64), expected)
    worst = int(np.argmin(cosines))
    print(
        f"int8 ONNX vs float32 reference: min cosine {cosines.min():.5f} "
        f"({sentences[worst][:40]!r}), mean {cosines.mean():.5f}"
    )
    assert cosines.min() >= MIN_COSINE, {
        s[:40]: round(float(c), 5) for s, c in zip(sentences, cosines, strict=True)
    }


def test_vectors_are_unit_length_and_384_wide(
    embedder: MiniLMOnnxEmbedder, batched: np.ndarray, reference: dict
) -> None:
    vectors = batched
    assert isinstance(embedder, Embedder)
    assert embedder.dimensions == DIMENSIONS == 384
    assert vectors.shape == (len(reference["sentences"]), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batch_equals_one_by_one_in_input_order(
    embedder: MiniLMOnnxEmbedder, batched: np.ndarray, reference: dict
) -> None:
    # The reference sentences are not in length order: the embedder sorts by length
    # inside, and a batch size of 3 splits them over several batches.
    texts = reference["sentences"]
    assert [len(t) for t in texts] != sorted(len(t) for t in texts)
    one_by_one = np.vstack([embedder.embed([t]) for t in texts])

    small_batches = MiniLMOnnxEmbedder(batch_size=3).embed(texts)

    for got in (batched, small_batches):
        np.testing.assert_allclose(got, one_by_one, atol=1e-4)
        # Each row is nearest to its own text's vector, not a neighbour's.
        assert list(np.argmax(got @ one_by_one.T, axis=1)) == list(range(len(texts)))


def test_cache_treats_case_and_whitespace_variants_as_one_text(
    embedder: MiniLMOnnxEmbedder,
) -> None:
    cached = CachedEmbedder(embedder)
    variants = ["Great show tonight!", "  great   SHOW\ttonight! ", "GREAT SHOW TONIGHT!\n"]

    vectors = cached.embed(variants)

    assert cached.misses == 1
    assert cached.hits == 0
    assert np.array_equal(vectors[0], vectors[1])
    assert np.array_equal(vectors[0], vectors[2])
    np.testing.assert_allclose(vectors[0], embedder.embed([variants[0]])[0], atol=1e-6)

    again = cached.embed_one("great show TONIGHT!")
    assert np.array_equal(again, vectors[0])
    assert (cached.hits, cached.misses) == (1, 1)


def test_empty_input_gives_an_empty_matrix(embedder: MiniLMOnnxEmbedder) -> None:
    empty = embedder.embed([])
    assert empty.shape == (0, DIMENSIONS)
    assert empty.dtype == np.float32
    cached = CachedEmbedder(embedder)
    assert cached.embed([]).shape == (0, DIMENSIONS)
    assert (cached.hits, cached.misses) == (0, 0)


def test_openai_compatible_provider_batches_and_normalises() -> None:
    from sift.ai.embeddings import CachedEmbedder, OpenAIEmbedder
    from sift.config import load_settings
    from tests.fakes.openai_server import FakeOpenAIServer

    with FakeOpenAIServer() as server:
        settings = load_settings(
            embedding_provider="openai",
            embedding_base_url=server.base_url,
            embedding_api_key="sk-fake",
            embedding_batch_size=2,
        )
        embedder = CachedEmbedder(OpenAIEmbedder(settings))
        texts = ["first question", "second question", "third question", "First  Question"]
        vectors = embedder.embed(texts)
        assert vectors.shape == (4, 384)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        assert np.allclose(vectors[0], vectors[3]), "the cache serves the normalised repeat"
        sent = [request.body["input"] for request in server.embedding_requests]
        assert sent == [["first question", "second question"], ["third question"]]
        assert all(r.body["model"] == "text-embedding-3-small" for r in server.embedding_requests)
