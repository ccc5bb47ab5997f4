"""The public directory's search: published posts found by words and by meaning, narrowed
by tag, weekday and "open now".

Words come first because a resident who types "food pantry" expects the posts that say so;
meaning adds what is phrased differently ("groceries", "meals") below them, but only above
a similarity floor, so a query about tax help does not end in a list of every post. Words
match when every word of three letters or more appears in the title, summary or
description (a trigram-indexed ILIKE, so a part of a word matches too); meaning is the
cosine distance of the query's embedding to each post's, over an HNSW index.

Both indexes hold published posts only (`active`, not deleted). A post's embedding is
stored by the directory's embedding tick (`embed_stale_posts`); a post still waiting for it
is embedded while the search runs (a few at most), so it is found by meaning at once. The
word and meaning halves are read in one statement (`_ranking`).

"Open now" and the Day filter are SQL filters of their own (`schedule_filters`); times are
the directory's local time, `SIFT_DIRECTORY_TIMEZONE`.
"""

from __future__ import annotations

import hashlib
import logging
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift import db
from sift.ai.embeddings import Embedder, EmbeddingError
from sift.directory.hsds.mapping import tag_label
from sift.directory.hsds.service import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS, published_posts
from sift.directory.models import Organization, Post, Tag
from sift.directory.public.schedule_filters import OpenAt, on_weekday, open_at
from sift.directory.schedules import WEEKDAYS, weekday_number
from sift.errors import SiftError

PAGE_SIZE = 20
MAX_PAGE = 1000
MIN_WORD_CHARS = 3
"""Shorter words ("of", "a") carry no trigram to look up and are left to the meaning."""
MEANING_RESULTS = 40
MEANING_FLOOR = 0.35
"""Cosine similarity from which a post is shown as "related" on meaning alone: chosen on
MiniLM, where unrelated services score 0.0-0.3 and rephrasings of one service 0.4 and more."""
PARTIAL_FLOOR = 0.2
"""A lower bar for a post that also says some of the query's words."""
LEAD_FLOOR, LEAD_MARGIN = 0.18, 0.05
"""With no post saying every word, the nearest posts (within the margin of the best) from
this similarity: a one-word need ("hungry") is short and scores low against a whole post."""
WORD_WEIGHT = 0.3
TITLE_WEIGHT = 0.1
WAITING_LIMIT = 16
"""Posts without a stored embedding embedded per search at most (normally none wait)."""
EMBED_BATCH = 128
SUGGESTIONS = ("food", "housing", "health", "jobs", "tax help", "english classes")
"""Searches an empty result page offers: common needs, found by meaning when not by words."""

log = logging.getLogger(__name__)


class BadSearch(SiftError):
    """A search parameter the directory cannot use (answered with 400)."""


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    tag: str | None = None
    weekday: str | None = None
    open_at: OpenAt | None = None
    page: int = 1
    today: date | None = None
    """The directory's local date: the Day filter lists what is in season on the next
    such day (None: any season)."""

    @property
    def words(self) -> list[str]:
        return [w for w in self.text.split() if len(w) >= MIN_WORD_CHARS][:MAX_SEARCH_WORDS]

    def at_page(self, page: int) -> SearchQuery:
        return replace(self, page=page)


@dataclass(frozen=True)
class Hit:
    post: Post
    organization: Organization
    related: bool
    """Found by meaning only, not by its words."""


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    query: SearchQuery

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


# --- parsing a visitor's query --------------------------------------------------------------


def parse_query(
    *,
    q: str | None,
    tag: str | None,
    day: str | None,
    open_now: str | None,
    page: str | None,
    now: datetime,
) -> SearchQuery:
    """The query string of the search page as a `SearchQuery`; anything unusable is a
    one-line `BadSearch`. `now` is the directory's local time, for "open now"."""
    text = " ".join((q or "").split())
    if len(text) > MAX_SEARCH_CHARS:
        raise BadSearch(f"a search has at most {MAX_SEARCH_CHARS} characters")
    tag = (tag or "").strip() or None
    if tag is not None and len(tag) > MAX_SEARCH_CHARS:
        raise BadSearch("unknown tag")
    return SearchQuery(
        text=text,
        tag=tag,
        weekday=parse_weekday(day),
        open_at=OpenAt.of(now) if open_now else None,
        page=parse_page(page),
        today=now.date(),
    )


def parse_weekday(value: str | None) -> str | None:
    """`monday`, `Mon` or `MO` as the schedule's weekday name; empty means any day."""
    text = (value or "").strip()
    if not text:
        return None
    number = weekday_number(text)
    if number is None:
        raise BadSearch(f"{text[:20]!r} is not a weekday")
    return WEEKDAYS[number]


def parse_page(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise BadSearch(f"page must be a number from 1 to {MAX_PAGE}")
    return int(value)


# --- the queries ----------------------------------------------------------------------------


def search(session: Session, query: SearchQuery, *, embedder: Embedder) -> SearchPage:
    """One page of the search: a browse of every published post when there is no text,
    else word and meaning matches fused into one ranking (see `_score`), read in one
    statement (`_ranking`) beside the lookup of posts still waiting for an embedding."""
    if not query.text:
        return _browse(session, query)
    try:
        vector = embedder.embed([query.text])[0]
    except EmbeddingError as error:  # an embedding API that is down costs the meaning only
        log.warning("public search without meaning: %s", error)
        vector = None
    waiting = _waiting_similarities(session, query, vector, embedder) if vector is not None else {}
    end = query.page * PAGE_SIZE
    ranking = _ranking(session, query, vector, waiting, limit=end)
    related = _related(session, query, ranking.nearest, waiting, any_words=ranking.total > 0)
    ranked = sorted(ranking.found + related, key=lambda hit: -hit[1])[end - PAGE_SIZE : end]
    page = [(post_id, is_related) for post_id, _, is_related in ranked]
    return SearchPage(_hits(session, page), ranking.total + len(related), query)


def _score(similarity: float | None, word_share: float, in_title: bool) -> float:
    """One ranking for both kinds of match: how near in meaning (cosine similarity), plus
    `WORD_WEIGHT` times the share of the query's words the post contains, plus
    `TITLE_WEIGHT` when its title holds them all. So "tax help" ranks Free Tax Preparation
    (near in meaning, says "tax") above a volunteer post that happens to say both words."""
    return (similarity or 0.0) + WORD_WEIGHT * word_share + (TITLE_WEIGHT if in_title else 0.0)


@dataclass
class _Ranking:
    nearest: dict[uuid.UUID, tuple[float, float | None]]
    """The posts nearest in meaning: similarity and the share of the query's words."""
    found: list[tuple[uuid.UUID, float, bool]]
    """The first posts that say every word, best first, with their scores."""
    total: int
    """How many posts say every word."""


def _ranking(
    session: Session,
    query: SearchQuery,
    vector: Any,
    waiting: dict[uuid.UUID, float],
    *,
    limit: int,
) -> _Ranking:
    """The meaning and word halves of the search in one statement: the `MEANING_RESULTS`
    nearest posts (an HNSW scan), and the first `limit` posts that say every word, ranked
    by the similarity the nearest ones have (one beyond them counts as 0, so no distance is
    computed for every post that says a common word) and counted in the same scan."""
    if vector is not None:
        _iterative_scan(session)
    near = _nearest(query, vector)
    words = _word_matches(query)
    parts = []
    if near is not None:
        parts.append(
            sa.select(
                sa.literal("near").label("kind"),
                near.c.id,
                near.c.sim,
                near.c.share,
                sa.cast(sa.null(), sa.Boolean).label("in_title"),
                sa.cast(sa.null(), sa.BigInteger).label("total"),
            )
        )
    if words is not None:
        parts.append(_scored_words(query, words, near, waiting, limit=limit))
    if not parts:
        return _Ranking({}, [], 0)
    rows = session.execute(sa.union_all(*parts) if len(parts) > 1 else parts[0]).all()
    nearest = {row.id: (row.sim, row.share) for row in rows if row.kind == "near"}
    found = [
        (row.id, _score(row.sim, 1.0, bool(row.in_title)), False)
        for row in rows
        if row.kind == "word"
    ]
    total = next((row.total for row in rows if row.kind == "word"), 0)
    return _Ranking(nearest, found, total)


def _nearest(query: SearchQuery, vector: Any) -> sa.CTE | None:
    """The `MEANING_RESULTS` posts nearest the query in meaning, with their similarity and
    the share of the query's words each contains (None without a vector).

    pgvector's iterative scan (0.8+) keeps reading the HNSW graph until enough rows pass
    the filters, so a tag or weekday filter does not empty the result."""
    if vector is None:
        return None
    distance = Post.embedding.cosine_distance(vector)
    matches = [Post.search_text.ilike(db.contains_pattern(w), escape="\\") for w in query.words]
    share: Any = (
        sum((sa.cast(m, sa.Integer) for m in matches), sa.literal(0)) / float(len(matches))
        if matches
        else sa.literal(0.0)
    )
    return (
        _narrowed(query)
        .with_only_columns(
            Post.id.label("id"),
            (1 - distance).label("sim"),
            sa.cast(share, sa.Float).label("share"),
        )
        .where(Post.embedding.is_not(None))
        .order_by(distance)
        .limit(MEANING_RESULTS)
        .cte("near")  # read twice (its rows, and the word half's join): scanned once
    )


def _scored_words(
    query: SearchQuery,
    words: sa.Select[Any],
    near: sa.CTE | None,
    waiting: dict[uuid.UUID, float],
    *,
    limit: int,
) -> sa.Select[Any]:
    """The first `limit` posts that say every word, best first, with the similarity the
    meaning half found for them (`near`, or `waiting`: posts embedded on demand), whether
    their title says every word, and how many say them all (`count(*) OVER ()`, read in
    the same scan: the page says how many match, however many)."""
    patterns = [db.contains_pattern(word) for word in query.words]
    in_title = sa.and_(*(Post.title.ilike(p, escape="\\") for p in patterns))
    similarity: Any = sa.literal(0.0)
    if waiting:
        similarity = sa.case(
            *((Post.id == post_id, sa.literal(sim)) for post_id, sim in waiting.items()),
            else_=similarity,
        )
    if near is not None:
        words = words.outerjoin(near, near.c.id == Post.id)
        similarity = sa.func.coalesce(near.c.sim, similarity)
    score = similarity + sa.case((in_title, TITLE_WEIGHT), else_=0.0)
    ranked = (
        words.with_only_columns(
            sa.literal("word").label("kind"),
            Post.id.label("id"),
            sa.cast(similarity, sa.Float).label("sim"),
            sa.cast(sa.null(), sa.Float).label("share"),
            in_title.label("in_title"),
            sa.func.count().over().label("total"),
        )
        .order_by(score.desc(), Post.title, Post.id)
        .limit(limit)
        .subquery("ranked")
    )
    return sa.select(ranked)


def _related(
    session: Session,
    query: SearchQuery,
    nearest: dict[uuid.UUID, tuple[float, float | None]],
    waiting: dict[uuid.UUID, float],
    *,
    any_words: bool,
) -> list[tuple[uuid.UUID, float, bool]]:
    """Posts found by meaning that do not contain every word, with their scores. One is
    kept when it is near (`MEANING_FLOOR`), or fairly near and says some of the words
    (`PARTIAL_FLOOR`: "learn english" finds the English classes), or, when no post says
    every word, when it is the nearest by a clear lead ("hungry" finds the food pantry)."""
    nearest = {**nearest, **{i: (sim, None) for i, sim in waiting.items() if i not in nearest}}
    shares = _word_shares(session, query, [i for i, (_, share) in nearest.items() if share is None])
    candidates = {
        i: (sim, share if share is not None else shares.get(i, 0.0))
        for i, (sim, share) in nearest.items()
    }
    best = max((sim for sim, _ in candidates.values()), default=0.0)
    kept = []
    for post_id, (sim, share) in candidates.items():
        if share >= 1.0 and query.words:  # a word match: ranked there
            continue
        if (
            sim >= MEANING_FLOOR
            or (share > 0 and sim >= PARTIAL_FLOOR)
            or (not any_words and sim >= LEAD_FLOOR and sim >= best - LEAD_MARGIN)
        ):
            kept.append((post_id, _score(sim, share, False), True))
    return kept


def _word_shares(
    session: Session, query: SearchQuery, ids: list[uuid.UUID]
) -> dict[uuid.UUID, float]:
    """The share of the query's words each post contains (posts waiting for an embedding)."""
    if not ids or not query.words:
        return {}
    matches = [Post.search_text.ilike(db.contains_pattern(w), escape="\\") for w in query.words]
    rows = session.execute(sa.select(Post.id, *matches).where(Post.id.in_(ids))).all()
    return {row[0]: sum(map(bool, row[1:])) / len(matches) for row in rows}


def _waiting_similarities(
    session: Session, query: SearchQuery, vector: Any, embedder: Embedder
) -> dict[uuid.UUID, float]:
    """Similarities of published posts still waiting for their stored embedding (new, or
    edited since: migration 0014 clears a stale one), embedded now, so a post is found by
    meaning as soon as it is published. Found through a partial index; the embedder
    caches by text, and the embedding tick stores them."""
    rows = session.execute(
        _narrowed(query)
        .with_only_columns(Post.id, Post.search_text)
        .where(Post.embedding.is_(None))
        .order_by(Post.id)
        .limit(WAITING_LIMIT)
    ).all()
    if not rows:
        return {}
    try:
        vectors = embedder.embed([text for _, text in rows])
    except EmbeddingError:
        return {}
    return {
        post_id: float(
            np.dot(np.asarray(v, dtype=np.float32), np.asarray(vector, dtype=np.float32))
        )
        for (post_id, _), v in zip(rows, vectors, strict=True)
    }


def _word_matches(query: SearchQuery) -> sa.Select[Any] | None:
    """Ids of the posts that contain every word of the query (None without words)."""
    if not query.words:
        return None
    patterns = [db.contains_pattern(word) for word in query.words]
    return _narrowed(query).where(*(Post.search_text.ilike(p, escape="\\") for p in patterns))


def _iterative_scan(session: Session) -> None:
    """Turn on pgvector's iterative index scan for this transaction. Versions before 0.8
    reserve the `hnsw.` prefix without this setting and refuse it: there the search goes
    on without (inside a savepoint, so the refusal does not end the transaction)."""
    try:
        with session.begin_nested():
            session.execute(sa.text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    except sa.exc.DBAPIError:
        log.info("pgvector has no iterative scan; filtered meaning search reads ef_search rows")


def plain_ilike(session: Session, word: str) -> list[uuid.UUID]:
    """The simplest indexed search, one word in the searchable text: the benchmark's
    baseline beside `search`."""
    statement = (
        published_ids()
        .where(Post.search_text.ilike(db.contains_pattern(word), escape="\\"))
        .order_by(Post.title)
        .limit(PAGE_SIZE)
    )
    return list(session.scalars(statement))


def published_ids() -> sa.Select[Any]:
    """Ids of what the directory publishes, as the HSDS API and export define it."""
    return published_posts().with_only_columns(Post.id).order_by(None)


def tags_in_use(session: Session) -> list[tuple[str, str]]:
    """(tag, label) of every tag a published post carries, for the filter's choices."""
    tag = sa.func.unnest(Post.tags)
    values = sorted(session.scalars(published_ids().with_only_columns(tag).distinct()))
    labels = {f"{t.kind}:{t.value}": t.display_name for t in session.scalars(sa.select(Tag))}
    return [(value, labels.get(value) or tag_label(value)) for value in values]


def _browse(session: Session, query: SearchQuery) -> SearchPage:
    statement = _narrowed(query)
    total = session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0
    ordered = (
        statement.order_by(Organization.name, Post.title, Post.id)
        .limit(PAGE_SIZE)
        .offset((query.page - 1) * PAGE_SIZE)
    )
    hits = _hits(session, [(post_id, False) for post_id in session.scalars(ordered)])
    return SearchPage(hits, total, query)


def _narrowed(query: SearchQuery) -> sa.Select[Any]:
    statement = published_ids()
    if query.tag:
        statement = statement.where(Post.tags.contains([query.tag]))
    if query.weekday:
        statement = statement.where(on_weekday(query.weekday, query.today))
    if query.open_at:
        statement = statement.where(open_at(query.open_at))
    return statement


def _hits(session: Session, ranked: Sequence[tuple[uuid.UUID, bool]]) -> list[Hit]:
    """The posts of `ranked` (in its order) with their organizations."""
    ids = [post_id for post_id, _ in ranked]
    rows = session.execute(
        sa.select(Post, Organization)
        .join(Organization, Organization.id == Post.organization_id)
        .where(Post.id.in_(ids))
    )
    found = {post.id: (post, org) for post, org in rows}
    return [Hit(*found[i], related=related) for i, related in ranked if i in found]


# --- keeping the embeddings current ---------------------------------------------------------


def embed_stale_posts(session: Session, *, embedder: Embedder, limit: int = EMBED_BATCH) -> int:
    """Embed up to `limit` published posts that have no embedding, or one of an older text;
    returns how many. `updated_at` is left alone: a post's content did not change."""
    rows = session.execute(
        published_posts()
        .with_only_columns(Post.id, Post.search_text)
        .where(
            sa.or_(
                Post.embedding.is_(None),
                Post.embedded_text_md5.is_distinct_from(sa.func.md5(Post.search_text)),
            )
        )
        .order_by(None)
        .limit(limit)
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
