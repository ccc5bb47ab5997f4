"""The public directory's search: published posts found by words and by meaning, narrowed
by tag, weekday and "open now".

Words come first because a resident who types "food pantry" expects the posts that say so;
meaning adds what is phrased differently ("groceries", "meals") below them, but only above
a similarity floor, so a query about tax help does not end in a list of every post. Words
match when every word of three letters or more appears in the title, summary or
description (a trigram-indexed ILIKE, so a part of a word matches too); meaning is the
cosine distance of the query's embedding to each post's, over an HNSW index.

Both indexes hold published posts only (`active`, not deleted). A post's embedding is
stored when its approval publishes it (`post_vectors`); one still waiting for it (an
import, or the embedding API was down) is embedded while the search runs (a few at most),
so it is found by meaning at once. The
word and meaning halves, and what the page's cards show, are read in one statement
(`_ranking`), built once per shape of query; posts that say every word are counted up to
`COUNT_CAP` ("500+" past it), as each one counted is a row read from the table.

"Open now" and the Day filter are SQL filters of their own (`schedule_filters`); times are
the directory's local time, `SIFT_DIRECTORY_TIMEZONE`.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import uuid
from dataclasses import dataclass, field, replace
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
COUNT_CAP = 500
"""Posts that say every word are counted to here ("500+" past it): each is a row read and
matched once per word, and counting 3,000 took longer than a plain ILIKE (`bench search`)."""
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
class Card:
    """What a result card shows of a published post (`public/search.html`), read with the
    ranking: building a `Post` and an `Organization` for each cost more than reading it."""

    id: uuid.UUID
    title: str
    summary: str | None
    location: str | None
    audience: str | None
    schedule: list[Any]
    contact: dict[str, Any]
    organization_id: uuid.UUID
    organization_name: str


@dataclass(frozen=True)
class Hit:
    post: Card
    related: bool
    """Found by meaning only, not by its words."""


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    query: SearchQuery
    more: bool = False
    """More posts say every word than `total` counts (it stops at `COUNT_CAP`)."""

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
    else word and meaning matches fused into one ranking (see `_score`), read with what
    their cards show in one statement (`_ranking`)."""
    if not query.text:
        return _browse(session, query)
    try:
        vector = embedder.embed([query.text])[0]
    except EmbeddingError as error:  # an embedding API that is down costs the meaning only
        log.warning("public search without meaning: %s", error)
        vector = None
    end = query.page * PAGE_SIZE
    ranking = _ranking(session, query, vector, limit=end)
    meaning = {**ranking.nearest, **_embed_waiting(ranking.waiting, vector, embedder)}
    found = _found(query, ranking.words, meaning)
    related = _related(query, meaning, any_words=ranking.total > 0)
    ranked = sorted(found + related, key=lambda hit: -hit[1])[end - PAGE_SIZE : end]
    hits = [_hit(ranking.cards[post_id], related=is_related) for post_id, _, is_related in ranked]
    total = min(ranking.total, COUNT_CAP) + len(related)
    return SearchPage(hits, total, query, more=ranking.total > COUNT_CAP)


def _score(similarity: float | None, word_share: float, in_title: bool) -> float:
    """One ranking for both kinds of match: how near in meaning (cosine similarity), plus
    `WORD_WEIGHT` times the share of the query's words the post contains, plus
    `TITLE_WEIGHT` when its title holds them all. So "tax help" ranks Free Tax Preparation
    (near in meaning, says "tax") above a volunteer post that happens to say both words."""
    return (similarity or 0.0) + WORD_WEIGHT * word_share + (TITLE_WEIGHT if in_title else 0.0)


@dataclass(frozen=True)
class _Near:
    """A post found by meaning, with what its words add to its score."""

    similarity: float
    share: float
    """The share of the query's words it contains."""
    in_title: bool
    """Its title contains every word."""


@dataclass
class _Ranking:
    nearest: dict[uuid.UUID, _Near] = field(default_factory=dict)
    """The `MEANING_RESULTS` posts nearest in meaning."""
    words: list[tuple[int, uuid.UUID, bool]] = field(default_factory=list)
    """The first posts that say every word, in order (titles that say them first, then by
    title: their similarity to the query is not read for them), with whether their title
    says them."""
    total: int = 0
    """How many posts say every word, counted to `COUNT_CAP` + 1."""
    waiting: list[tuple[uuid.UUID, str, _Near]] = field(default_factory=list)
    """Posts still waiting for their stored embedding: their text to embed now, and what
    their words add (similarity 0 until embedded)."""
    cards: dict[uuid.UUID, sa.Row[Any]] = field(default_factory=dict)
    """What the card of each post above shows (`_card_columns`)."""


def _ranking(session: Session, query: SearchQuery, vector: Any, *, limit: int) -> _Ranking:
    """The halves of the search in one statement: the `MEANING_RESULTS` nearest posts (an
    HNSW scan), the first `limit` posts that say every word (beyond those the nearest and
    waiting ones hold, which are ranked by their similarity) with how many do, up to
    `COUNT_CAP` + 1, and the posts waiting for an embedding (`WAITING_LIMIT` at most,
    through their partial index: normally none); each with what its card shows, so the
    page needs no second statement."""
    if vector is not None and (query.tag or query.weekday or query.open_at):
        _iterative_scan(session)  # unfiltered, the index holds only what is published
    statement = _statement(_filters(query), len(query.words), meaning=vector is not None)
    values: dict[str, Any] = {f"word{i}": db.contains_pattern(w) for i, w in enumerate(query.words)}
    values.update(vector=vector, limit=limit + MEANING_RESULTS + WAITING_LIMIT, cap=COUNT_CAP + 1)
    ranking = _Ranking()
    for row in session.connection().execute(statement, values) if statement is not None else ():
        ranking.cards[row.id] = row
        near = _Near(row.sim or 0.0, row.share, bool(row.in_title))
        if row.kind == "near":
            ranking.nearest[row.id] = near
        elif row.kind == "wait":
            ranking.waiting.append((row.id, row.text, near))
        else:
            ranking.words.append((row.position, row.id, bool(row.in_title)))
            ranking.total = row.total
    ranking.words.sort()
    return ranking


def _filters(query: SearchQuery) -> SearchQuery:
    """What a search's statement depends on besides its words: its filters."""
    return SearchQuery(
        tag=query.tag,
        weekday=query.weekday,
        open_at=query.open_at,
        today=query.today if query.weekday else None,
    )


@functools.lru_cache(maxsize=64)
def _statement(filters: SearchQuery, words: int, *, meaning: bool) -> sa.CompoundSelect | None:
    """`_ranking`'s statement for `words` words (bound as `word0`, `word1`...) and, with
    `meaning`, the query's `vector`, built once per shape: building it took longer than
    PostgreSQL took to run it."""
    narrowed, columns = _narrowed(filters), _WordColumns.of(words)
    parts = []
    if meaning:
        parts += [_nearest(narrowed, columns), _waiting(narrowed, columns)]
    if words:
        parts.append(_words(narrowed, columns))
    return sa.union_all(*parts) if parts else None


@dataclass(frozen=True)
class _WordColumns:
    """The query's words read for one post: the share of them its text contains, whether
    its title contains them all, and whether its text does (each an ILIKE per word)."""

    share: Any
    in_title: Any
    says_all: list[Any]

    @classmethod
    def of(cls, words: int) -> _WordColumns:
        patterns = [sa.bindparam(f"word{i}", type_=sa.Text) for i in range(words)]
        if not patterns:
            return cls(sa.literal(0.0, sa.Float), sa.false(), [])
        says = [Post.search_text.ilike(p, escape="\\") for p in patterns]
        share = sum((sa.cast(s, sa.Integer) for s in says), sa.literal(0)) / float(len(says))
        in_title = sa.and_(*(Post.title.ilike(p, escape="\\") for p in patterns))
        return cls(share, in_title, says)


_CARD_TEXT = ("id", "title", "summary", "location", "audience", "organization_id")


def _card_columns() -> list[Any]:
    """What a result card shows (`Card`), read beside the ranking: not the description,
    and the JSON as text, parsed only for the page's 20."""
    return [
        *(getattr(Post, name).label(name) for name in _CARD_TEXT),
        Organization.name.label("organization_name"),
        sa.cast(Post.schedule, sa.Text).label("schedule"),
        sa.cast(Post.contact, sa.Text).label("contact"),
    ]


def _part(
    kind: str,
    card: list[Any],
    *,
    sim: Any = None,
    share: Any = None,
    in_title: Any = None,
    total: Any = None,
    position: Any = None,
    text: Any = None,
) -> list[Any]:
    """The columns every part of `_ranking`'s union reads, NULL where a part has none."""
    return [
        sa.literal(kind).label("kind"),
        *card,
        sa.cast(sim, sa.Float).label("sim"),
        sa.cast(share, sa.Float).label("share"),
        sa.cast(in_title, sa.Boolean).label("in_title"),
        sa.cast(total, sa.BigInteger).label("total"),
        sa.cast(position, sa.BigInteger).label("position"),
        sa.cast(text, sa.Text).label("text"),
    ]


def _nearest(narrowed: sa.Select[Any], words: _WordColumns) -> sa.Select[Any]:
    """The `MEANING_RESULTS` posts nearest the query in meaning, with their similarity and
    what their words add.

    pgvector's iterative scan (0.8+) keeps reading the HNSW graph until enough rows pass
    the filters, so a tag or weekday filter does not empty the result."""
    distance = Post.embedding.cosine_distance(sa.bindparam("vector", type_=Post.embedding.type))
    columns = _part(
        "near", _card_columns(), sim=1 - distance, share=words.share, in_title=words.in_title
    )
    near = (
        narrowed.with_only_columns(*columns)
        .where(Post.embedding.is_not(None))
        .order_by(distance)
        .limit(MEANING_RESULTS)
        .subquery("near")
    )
    return sa.select(near)


def _waiting(narrowed: sa.Select[Any], words: _WordColumns) -> sa.Select[Any]:
    """Published posts still waiting for their stored embedding (new, or edited since:
    migration 0014 clears a stale one), through their partial index, with their text: the
    search embeds them, so a post is found by meaning as soon as it is published."""
    columns = _part(
        "wait", _card_columns(), share=words.share, in_title=words.in_title, text=Post.search_text
    )
    waiting = (
        narrowed.with_only_columns(*columns)
        .where(Post.embedding.is_(None))
        .order_by(Post.id)
        .limit(WAITING_LIMIT)
        .subquery("waiting")
    )
    return sa.select(waiting)


def _words(narrowed: sa.Select[Any], words: _WordColumns) -> sa.Select[Any]:
    """The first `limit` posts (bound, as `cap`) that say every word: titles that say them
    first, then by title (`position`), with how many say them all, counted to `cap`
    (`COUNT_CAP` + 1; each is a row read from the table). The cards are read for the first
    `limit` only."""
    every = (
        narrowed.with_only_columns(Post.id, Post.title, words.in_title.label("in_title"))
        .where(*words.says_all)
        .cte("every_match")
        .prefix_with("MATERIALIZED")  # planned whole (the trigram index), read to the cap
    )
    matches = sa.select(every).limit(sa.bindparam("cap", type_=sa.Integer)).subquery("matches")
    order = (matches.c.in_title.desc(), matches.c.title, matches.c.id)
    ranked = (
        sa.select(
            matches.c.id,
            matches.c.in_title,
            sa.func.count().over().label("total"),
            sa.func.row_number().over(order_by=order).label("position"),
        )
        .order_by(*order)
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .subquery("ranked")
    )
    columns = _part(
        "word",
        _card_columns(),
        share=sa.literal(1.0),
        in_title=ranked.c.in_title,
        total=ranked.c.total,
        position=ranked.c.position,
    )
    return (
        sa.select(*columns)
        .select_from(ranked)
        .join(Post, Post.id == ranked.c.id)
        .join(Organization, Organization.id == Post.organization_id)
    )


def _found(
    query: SearchQuery,
    words: list[tuple[int, uuid.UUID, bool]],
    meaning: dict[uuid.UUID, _Near],
) -> list[tuple[uuid.UUID, float, bool]]:
    """The posts that say every word, best first, with their scores: those found by
    meaning too ranked by their similarity, the others (similarity 0) as `words` has them."""
    if not query.words:
        return []
    near = [
        (i, _score(n.similarity, 1.0, n.in_title), False)
        for i, n in meaning.items()
        if n.share >= 1.0
    ]
    rest = [(i, _score(0.0, 1.0, in_title), False) for _, i, in_title in words if i not in meaning]
    return sorted(near + rest, key=lambda hit: -hit[1])


def _related(
    query: SearchQuery, meaning: dict[uuid.UUID, _Near], *, any_words: bool
) -> list[tuple[uuid.UUID, float, bool]]:
    """Posts found by meaning that do not contain every word, with their scores. One is
    kept when it is near (`MEANING_FLOOR`), or fairly near and says some of the words
    (`PARTIAL_FLOOR`: "learn english" finds the English classes), or, when no post says
    every word, when it is the nearest by a clear lead ("hungry" finds the food pantry)."""
    best = max((near.similarity for near in meaning.values()), default=0.0)
    kept = []
    for post_id, near in meaning.items():
        sim, share = near.similarity, near.share
        if share >= 1.0 and query.words:  # a word match: ranked there
            continue
        if (
            sim >= MEANING_FLOOR
            or (share > 0 and sim >= PARTIAL_FLOOR)
            or (not any_words and sim >= LEAD_FLOOR and sim >= best - LEAD_MARGIN)
        ):
            kept.append((post_id, _score(sim, share, False), True))
    return kept


def _embed_waiting(
    waiting: list[tuple[uuid.UUID, str, _Near]], vector: Any, embedder: Embedder
) -> dict[uuid.UUID, _Near]:
    """The posts waiting for an embedding with their similarity, embedded now (the
    embedder caches by text, and the embedding tick stores them); none when it fails."""
    if not waiting:
        return {}
    try:
        vectors = embedder.embed([text for _, text, _ in waiting])
    except EmbeddingError:
        return {}
    query_vector = np.asarray(vector, dtype=np.float32)
    return {
        post_id: replace(
            near, similarity=float(np.dot(np.asarray(v, dtype=np.float32), query_vector))
        )
        for (post_id, _, near), v in zip(waiting, vectors, strict=True)
    }


def _iterative_scan(session: Session) -> None:
    """Turn on pgvector's iterative index scan for this transaction, for a filtered search:
    unfiltered, the first `MEANING_RESULTS` the index gives are published already (it holds
    nothing else), so the setting and its round trips are skipped. Versions before 0.8
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
        statement.with_only_columns(*_card_columns())
        .order_by(Organization.name, Post.title, Post.id)
        .limit(PAGE_SIZE)
        .offset((query.page - 1) * PAGE_SIZE)
    )
    hits = [_hit(card, related=False) for card in session.execute(ordered)]
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


def _hit(row: sa.Row[Any], *, related: bool) -> Hit:
    """A result from its card's columns (`_card_columns`)."""
    text = {name: getattr(row, name) for name in (*_CARD_TEXT, "organization_name")}
    card = Card(**text, schedule=json.loads(row.schedule), contact=json.loads(row.contact))
    return Hit(card, related=related)
