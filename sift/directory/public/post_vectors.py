"""Published posts' embeddings, the vectors the public search finds them by meaning with.

A post's vector is written in the transaction of the approval that publishes it
(`embed_published`), so the search needs no job to catch up and nothing waits. Whatever an
approval could not embed (the embedding API was down) or that was published without one
(an HSDS import) is embedded by the tick every 15 minutes (`flows.embed_published_posts`),
and until then by the search itself. A vector is stale once its post's text changes (migration 0014
clears it), so an edit is never found by its old words' meaning.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift.ai.embeddings import Embedder, get_embedder
from sift.directory.hsds.service import published_posts
from sift.directory.models import Post

EMBED_BATCH = 128
RESTING_S = 60.0
"""After an embedder failure, how long approvals publish without embedding: a batch of
approvals (or an import) pays for one failing call, not one per post, while the locks
of an approval are held."""

log = logging.getLogger(__name__)
_resting_until = 0.0


def embed_published(session: Session, post_ids: Collection[uuid.UUID]) -> int:
    """Embed the posts of `post_ids` that are published without a current vector, as part
    of the caller's transaction; returns how many. Whatever goes wrong with the embedder
    (an API that is down, a model that cannot load) costs nothing but the delay: the
    approval goes through, and the search and the tick embed the posts later."""
    global _resting_until
    if not post_ids or time.monotonic() < _resting_until:
        return 0
    try:
        with session.begin_nested():  # a failure here rolls back only the vectors
            return embed_stale_posts(session, embedder=get_embedder(), post_ids=post_ids)
    except Exception as error:  # publishing must not depend on the embedder
        _resting_until = time.monotonic() + RESTING_S
        log.warning("posts published without their embedding (embedded later): %s", error)
        return 0


def embed_stale_posts(
    session: Session,
    *,
    embedder: Embedder,
    limit: int = EMBED_BATCH,
    post_ids: Collection[uuid.UUID] | None = None,
) -> int:
    """Embed up to `limit` published posts (of `post_ids`, if given) that have no
    embedding, or one of an older text; returns how many. `updated_at` is left alone: a
    post's content did not change."""
    stale = published_posts().with_only_columns(Post.id, Post.search_text).order_by(None)
    if post_ids is not None:
        stale = stale.where(Post.id.in_(list(post_ids)))
    rows = session.execute(
        stale.where(
            sa.or_(
                Post.embedding.is_(None),
                Post.embedded_text_md5.is_distinct_from(sa.func.md5(Post.search_text)),
            )
        ).limit(limit)
    ).all()
    if not rows:
        return 0
    vectors = embedder.embed([text for _, text in rows])
    table = Post.__table__
    assert isinstance(table, sa.Table)  # a mapped class's own table (typed as any FromClause)
    session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("post_id"))
        .values(
            embedding=sa.bindparam("vector", type_=table.c.embedding.type),
            embedded_text_md5=sa.bindparam("md5"),
            updated_at=table.c.updated_at,
        ),
        [
            {"post_id": post_id, "vector": vector, "md5": _md5(text)}
            for (post_id, text), vector in zip(rows, vectors, strict=True)
        ],
    )
    return len(rows)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
