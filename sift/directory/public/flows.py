"""The embedding tick: published posts get the vectors the public search finds them by."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dbos import DBOS

from sift import db
from sift.ai.embeddings import get_embedder
from sift.directory.public import search

EMBED_ROUNDS = 40
"""Batches per tick at most, so one tick after a large import ends in minutes; the next
tick goes on where it stopped."""


@DBOS.workflow()
def embed_published_posts(scheduled_at: datetime | None = None, context: Any = None) -> int:
    """The embedding tick: published posts without a current embedding get one, so the
    public directory finds them by meaning too (by words it finds them at once). Each batch
    is a step of its own: a crash repeats one batch, not the tick."""
    embedded = 0
    for _ in range(EMBED_ROUNDS):
        done = embed_post_batch()
        embedded += done
        if done < search.EMBED_BATCH:
            break
    return embedded


@DBOS.step()
def embed_post_batch() -> int:
    with db.session_scope() as session:
        return search.embed_stale_posts(session, embedder=get_embedder())
