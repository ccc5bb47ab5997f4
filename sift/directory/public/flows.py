"""The embedding tick: published posts an approval could not embed get their vectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dbos import DBOS

from sift import db
from sift.ai.embeddings import get_embedder
from sift.directory.public import post_vectors

EMBED_ROUNDS = 40
"""Batches per tick at most, so one tick after a large import ends in minutes; the next
tick goes on where it stopped."""


@DBOS.workflow()
def embed_published_posts(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The embedding tick: published posts without a current embedding get one (imported
    ones, or ones whose approval found the embedding API down), so the public directory
    finds them by meaning too without embedding them in a visitor's search. Each batch
    is a step of its own: a crash repeats one batch, not the tick."""
    embedded = 0
    for _ in range(EMBED_ROUNDS):
        done = embed_post_batch()
        embedded += done
        if done < post_vectors.EMBED_BATCH:
            break
    return embedded


@DBOS.step()
def embed_post_batch() -> int:
    with db.session_scope() as session:
        return post_vectors.embed_stale_posts(session, embedder=get_embedder())
