"""`sift bench search`: p50/p95 of the public search over N stored posts beside a plain
indexed ILIKE, alternating query by query in one throwaway database."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from sift.metrics import percentile_ms, recall_and_mrr
from sift.terminal import console, progress_bar

_SERVICES = (
    ("Food pantry", "Free groceries and fresh produce every week."),
    ("Hot meals", "A warm dinner served in the church hall, no questions asked."),
    ("Free tax preparation", "Volunteers file your income tax return for free."),
    ("English conversation class", "Practice speaking English with friendly tutors."),
    ("Legal aid clinic", "Free advice from volunteer lawyers about housing and debt."),
    ("Job search workshop", "Help with CVs, cover letters and interview practice."),
    ("Youth football", "Weekly football training and matches for kids."),
    ("Senior lunch club", "Lunch and company for older neighbours."),
    ("Housing advice", "Help with rent, eviction notices and finding a home."),
    ("Clothing closet", "Free coats, shoes and clothes for the whole family."),
    ("Bike repair cafe", "Fix your bicycle with volunteer mechanics and tools."),
    ("Health screening", "Free blood pressure and diabetes checks by nurses."),
    ("Homework help", "Tutors help school children with their homework."),
    ("Diaper bank", "Free diapers and baby supplies for parents."),
    ("Utility bill assistance", "Help paying heating and electricity bills."),
    ("Community garden", "Grow vegetables on a shared plot with neighbours."),
)
_SEARCH_AUDIENCES = ("families", "seniors", "teens", "veterans", "newcomers", "everyone")
_SEARCH_TOWNS = ("Riverside", "Harbor", "Oak Hill", "Millbrook")
_VARIANTS = len(_SEARCH_AUDIENCES) * len(_SEARCH_TOWNS)
"""Generated texts per service: one per audience and town."""
SEARCH_QUERIES = {
    "food for my family": ("Food pantry", "Hot meals"),
    "pantry": ("Food pantry",),
    "help with taxes": ("Free tax preparation",),
    "learn english": ("English conversation class",),
    "free lunch for older people": ("Senior lunch club",),
    "lawyer": ("Legal aid clinic",),
    "winter coat": ("Clothing closet",),
    "football": ("Youth football",),
    "pay my electricity bill": ("Utility bill assistance",),
    "fix my bike": ("Bike repair cafe",),
    "baby supplies": ("Diaper bank",),
    "job interview": ("Job search workshop",),
}
"""What residents type (words that occur in posts, and needs phrased differently) → the
services that answer it: a result counts as found when its title is one of theirs."""
_SEARCH_WARM_UP = 3


def _service_texts() -> list[tuple[str, str, str]]:
    """(title, summary, description) of every service x audience x town: a few hundred
    distinct texts, each really embedded once."""
    return [
        (f"{title} for {audience}", f"{summary} In {town}.", f"{summary} Open to {audience}.")
        for title, summary in _SERVICES
        for audience in _SEARCH_AUDIENCES
        for town in _SEARCH_TOWNS
    ]


def _seed_posts(count: int, texts: list[tuple[str, str, str]], vectors: Any) -> None:
    """Bulk-insert `count` published posts (25 per organization) drawn from `texts`, each
    with its text's embedding plus small noise, a weekly schedule and a tag, as the
    embedding tick would have left them."""
    import hashlib

    import numpy as np
    import sqlalchemy as sa

    from sift import db
    from sift.directory.models import Organization, Post, PostStatus
    from sift.directory.public.calendar import WEEKDAYS

    rng = np.random.default_rng(7)
    organizations = [uuid.uuid4() for _ in range(max(1, count // 25))]
    with db.session_scope() as session:
        session.execute(
            sa.insert(Organization),
            [{"id": o, "name": f"Bench organization {i}"} for i, o in enumerate(organizations)],
        )
    for start in range(0, count, 2000):
        picks = rng.integers(0, len(texts), size=min(2000, count - start))
        noisy = vectors[picks] + rng.normal(0, 0.02, size=(len(picks), vectors.shape[1]))
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        rows = []
        for j, pick in enumerate(picks):
            title, summary, description = texts[pick]
            number = start + j
            searchable = f"{title} {summary} {description}"
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "organization_id": organizations[number % len(organizations)],
                    "title": title,
                    "summary": summary,
                    "description": description,
                    "status": PostStatus.active,
                    "schedule": [
                        {"days": [WEEKDAYS[number % 7]], "start": "10:00", "end": "14:00"}
                    ],
                    "tags": [f"category:{_SERVICES[pick // _VARIANTS][0].lower()}"],
                    "embedding": noisy[j].astype(np.float32),
                    "embedded_text_md5": hashlib.md5(searchable.encode()).hexdigest(),
                }
            )
        with db.session_scope() as session:
            session.execute(sa.insert(Post), rows)
    with db.get_engine().connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE posts, organizations"
        )


def _timed(run: Callable[[], object], rounds: int) -> list[float]:
    latencies = []
    for _ in range(rounds):
        began = time.perf_counter()
        run()
        latencies.append(time.perf_counter() - began)
    return latencies


def _search_once(query: Any, embedder: Any) -> list[str]:
    """The titles of the query's first result page, in rank order."""
    from sift import db
    from sift.directory.public import search

    with db.session_scope() as session:
        return [hit.post.title for hit in search.search(session, query, embedder=embedder).hits]


def _wanted(titles: list[str], services: tuple[str, ...]) -> list[bool]:
    """Whether each result is a variant ("… for seniors") of one of the wanted services."""
    return [any(title.startswith(f"{s} for ") for s in services) for title in titles]


def _ilike_once(word: str) -> None:
    from sift import db
    from sift.directory.public import search

    with db.session_scope() as session:
        search.plain_ilike(session, word)


def run_search_bench(posts: int, rounds: int) -> dict[str, Any]:
    """Seed a scratch database, then time the public search and a plain indexed ILIKE,
    alternating query by query so both see the same cache and load."""
    import functools

    from sift.ai.embeddings import get_embedder
    from sift.directory.public import search
    from sift.evaluation import scratch_database

    embedder = get_embedder()
    texts = _service_texts()
    with scratch_database("sift_bench_search"), progress_bar() as progress:
        progress.add_task(f"storing {posts} pre-embedded posts", total=None)
        seeding = time.perf_counter()
        _seed_posts(posts, texts, embedder.inner.embed([" ".join(t) for t in texts]))
        seed_s = time.perf_counter() - seeding
        embed_s = _timed(lambda: embedder.inner.embed([next(iter(SEARCH_QUERIES))]), rounds)
        timings: dict[str, list[float]] = {"search": [], "ilike": []}
        relevance = []
        task = progress.add_task("timing searches", total=len(SEARCH_QUERIES))
        for text, services in SEARCH_QUERIES.items():
            full = functools.partial(_search_once, search.SearchQuery(text=text), embedder)
            plain = functools.partial(_ilike_once, max(text.split(), key=len))
            relevance.append(_wanted(full(), services))  # embeds the query once (then cached)
            _timed(full, _SEARCH_WARM_UP)  # plans
            _timed(plain, _SEARCH_WARM_UP)
            timings["search"] += _timed(full, rounds)
            timings["ilike"] += _timed(plain, rounds)
            progress.advance(task)

    search_p95 = percentile_ms(timings["search"], 95)
    ilike_p95 = percentile_ms(timings["ilike"], 95)
    quality = recall_and_mrr(relevance)
    return {
        "posts": posts,
        "queries": len(SEARCH_QUERIES),
        "samples": len(timings["search"]),
        "search_p50_ms": percentile_ms(timings["search"], 50),
        "search_p95_ms": search_p95,
        "ilike_p50_ms": percentile_ms(timings["ilike"], 50),
        "ilike_p95_ms": ilike_p95,
        "p95_ratio": round(search_p95 / max(ilike_p95, 0.01), 2),
        "query_embed_p50_ms": percentile_ms(embed_s, 50),
        "seed_s": round(seed_s, 1),
        "recall_at_5": round(quality["recall_at_5"], 3),
        "mrr": round(quality["mrr"], 3),
    }


def bench_search(
    posts: Annotated[
        int, typer.Option("--posts", min=10, max=1_000_000, help="Published posts stored first.")
    ] = 50_000,
    rounds: Annotated[
        int, typer.Option("--rounds", min=1, max=1000, help="Timed runs of each query.")
    ] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object last.")] = False,
) -> None:
    """p50/p95 of the public directory's search over N posts beside a plain indexed ILIKE
    in the same run (a throwaway database beside the configured one)."""
    from sift.directory.public import search

    figures = run_search_bench(posts, rounds)
    table = Table(*figures, title=f"Public search over {posts} published posts")
    table.add_row(*(str(v) for v in figures.values()))
    console.print(table)
    console.print(
        f"search = the public page's query: words (trigram ILIKE, every word, counted to "
        f"{search.COUNT_CAP}) then meaning (HNSW kNN above a similarity floor), with what "
        f"the page's cards show; its query "
        f"embeddings are cached after warm-up, and one costs query_embed_p50_ms more when "
        f"new. ilike = one word's indexed ILIKE, the first page of ids. Both run "
        f"{len(SEARCH_QUERIES)} queries x {rounds} rounds, alternating, one transaction each. "
        f"recall_at_5 / mrr: whether a service each query wants is among the search's first "
        f"five results / 1 over the rank of the first one."
    )
    if as_json:
        print(json.dumps(figures), flush=True)
