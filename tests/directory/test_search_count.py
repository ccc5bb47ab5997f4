"""A search says how many services match, up to `search.COUNT_CAP` and "N+" past it: the
first 200 found by words are not the whole answer, and every page of them can be reached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.ai.embeddings import get_embedder
from sift.api import create_app
from sift.config import get_settings
from sift.directory.models import Post, PostStatus
from sift.directory.public import search
from sift.directory.public.views import local_now
from sift.directory.registry import service

MATCHING = 230


@pytest.fixture(scope="module")
def many(database: str) -> None:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Big Pantry Network")
        session.execute(
            sa.insert(Post),
            [
                {
                    "organization_id": org.id,
                    "status": PostStatus.active,
                    "title": f"Pantry {i:03d}",
                    "description": "Free groceries every week.",
                }
                for i in range(MATCHING)
            ],
        )


def page_of(query: str, page: int) -> search.SearchPage:
    parsed = search.parse_query(
        q=query, tag=None, day=None, open_now=None, page=str(page), now=local_now()
    )
    with db.session_scope() as session:
        return search.search(session, parsed, embedder=get_embedder())


def test_the_total_counts_every_match_and_every_page_is_reachable(many: None) -> None:
    first = page_of("groceries", 1)
    assert (first.total, first.pages) == (MATCHING, 12)
    last = page_of("groceries", 12)  # past the first 200 found by words
    assert len(last.hits) == 10
    seen = [hit.post.title for page in range(1, 13) for hit in page_of("groceries", page).hits]
    assert sorted(seen) == [f"Pantry {i:03d}" for i in range(MATCHING)], "each once"


@pytest.fixture
def client(many: None) -> Iterator[TestClient]:
    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client


def test_the_page_says_how_many(client: TestClient) -> None:
    page = client.get("/", params={"q": "groceries"})
    assert page.status_code == 200
    assert f"{MATCHING} services" in page.text


def test_past_the_cap_the_count_says_more(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting stops past the cap (each match counted is a row read), and what it counted
    can still be paged through, each post once."""
    monkeypatch.setattr(search, "COUNT_CAP", 100)
    first = page_of("groceries", 1)
    assert (first.total, first.more, first.pages) == (100, True, 5)
    seen = [hit.post.title for page in range(1, 6) for hit in page_of("groceries", page).hits]
    assert len(seen) == len(set(seen)) == 100
    page = client.get("/", params={"q": "groceries"})
    assert "100+ services" in page.text
    assert client.get("/", params={"q": "groceries", "page": "6"}).status_code == 404
