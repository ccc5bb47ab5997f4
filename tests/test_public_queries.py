"""Anonymous visitors cannot stall Sift: public searches are bounded in words and time, hold
at most a few connections, and stop on PostgreSQL when their client leaves."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from sift import db
from sift.config import get_settings
from sift.directory.hsds import service as hsds_service
from sift.public_queries import CancelOnDisconnect, PublicQueryRefused, public_session
from tests.support.browser import served_app


@pytest.fixture
def public_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Lets a test set `SIFT_PUBLIC_QUERY_*` for itself; the settings are reloaded after."""
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _set(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"SIFT_PUBLIC_QUERY_{name.upper()}", value)
    get_settings.cache_clear()


def test_a_search_reads_at_most_8_words_and_200_characters(client: TestClient) -> None:
    """Each word is one more lookup over every published post, so past the bounds the rest
    of a search is not read: 30 words find what their first 8 find."""
    words = [f"word{i}" for i in range(30)]
    many = client.get("/hsds/services", params={"search": " ".join(words)})
    first_eight = client.get("/hsds/services", params={"search": " ".join(words[:8])})
    assert many.status_code == 200 and many.json() == first_eight.json()
    repeated = client.get("/hsds/services", params={"search": " ".join(["food"] * 40)})
    assert repeated.status_code == 200  # one distinct word, looked up once
    assert hsds_service.search_words("x" * 150 + " " + "y" * 100) == ["x" * 150, "y" * 49]
    assert hsds_service.search_words(" ".join(words)) == words[:8]


def test_a_slow_public_statement_is_cancelled_by_the_timeout(
    app_runtime: str, public_limits: pytest.MonkeyPatch
) -> None:
    _set(public_limits, timeout_s="0.3")
    with pytest.raises(PublicQueryRefused, match="took too long"), public_session() as session:
        session.execute(sa.text("SELECT pg_sleep(5)"))


def test_public_sessions_leave_connections_for_everyone_else(
    app_runtime: str, public_limits: pytest.MonkeyPatch
) -> None:
    _set(public_limits, slots="1", timeout_s="0.3")
    refused: list[str] = []

    def second_visitor() -> None:
        try:
            with public_session():
                pass
        except PublicQueryRefused as error:
            refused.append(str(error))

    with public_session():
        visitor = threading.Thread(target=second_visitor)
        visitor.start()
        visitor.join()
        with db.session_scope() as session:  # health checks and admins still get through
            assert session.scalar(sa.text("SELECT 1")) == 1
    assert refused == ["the directory is busy; try again in a moment"]


def _running_sleeps() -> int:
    with db.session_scope() as session:
        return session.scalar(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                " AND query LIKE 'SELECT pg_sleep(30)%'"
            )
        )


def _wait_for(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_query_stops_on_the_server_when_its_client_leaves(
    app_runtime: str, public_limits: pytest.MonkeyPatch
) -> None:
    _set(public_limits, timeout_s="60")
    router = APIRouter(route_class=CancelOnDisconnect)

    @router.get("/slow")
    def slow() -> dict[str, str]:
        with public_session() as session:
            session.execute(sa.text("SELECT pg_sleep(30)"))
        return {"done": "yes"}

    app = FastAPI()
    app.include_router(router)
    with served_app(app) as base_url:
        address = urlsplit(base_url)
        visitor = socket.create_connection((address.hostname, address.port))
        visitor.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _wait_for(lambda: _running_sleeps() == 1)
        visitor.close()
        assert _wait_for(lambda: _running_sleeps() == 0)
