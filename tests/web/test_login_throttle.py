"""The sign-in throttle is one count in PostgreSQL for every server process, keyed by the
client's address as the connection (or a trusted proxy) gives it: two servers allow the
limit between them, not twice it, and a forged `X-Forwarded-For` makes no new client."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.api import create_app
from sift.config import get_settings
from sift.security import LoginFailure, LoginThrottle
from tests.conftest import admin_login

LIMIT = LoginThrottle().limit
_addresses = (f"198.51.100.{n}" for n in itertools.count(20))


def wrong(n: int) -> dict[str, str]:
    return {**admin_login(), "password": f"guess-{n}"}


@pytest.fixture
def address(app_runtime: str) -> str:
    """A client address no other test has used, so each test starts with no failures."""
    return next(_addresses)


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings that trust one proxy, 10.0.0.1."""
    monkeypatch.setenv("SIFT_TRUSTED_PROXIES", "10.0.0.1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def two_servers(peer: str) -> tuple[TestClient, TestClient]:
    """Two apps, each with its own throttle object, as two processes would have."""
    settings = get_settings()
    return (
        TestClient(create_app(settings, manage_runtime=False), client=(peer, 40000)),
        TestClient(create_app(settings, manage_runtime=False), client=(peer, 40001)),
    )


def test_two_servers_allow_the_limit_between_them(address: str) -> None:
    first, second = two_servers(address)
    with first, second:
        for n in range(LIMIT):
            answer = (first if n % 2 else second).post("/login", data=wrong(n))
            assert answer.status_code == 200 and "Wrong email or password" in answer.text
        for server in (first, second):
            throttled = server.post("/login", data=admin_login(), follow_redirects=False)
            assert throttled.status_code == 429, "the other server's failures must count"
            assert int(throttled.headers["retry-after"]) >= 1


def test_parallel_guesses_on_two_servers_never_pass_the_limit(address: str) -> None:
    first, second = two_servers(address)
    with first, second, ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda n: (first if n % 2 else second).post("/login", data=wrong(n)).status_code,
                range(3 * LIMIT),
            )
        )
    assert answers.count(200) == LIMIT and answers.count(429) == 2 * LIMIT


def test_a_success_is_not_counted_and_does_not_reset_the_count(address: str) -> None:
    first, _ = two_servers(address)
    with first:
        for _ in range(LIMIT + 2):  # successes alone never throttle
            assert (
                first.post("/login", data=admin_login(), follow_redirects=False).status_code == 303
            )
        for n in range(LIMIT - 1):
            first.post("/login", data=wrong(n))
        assert first.post("/login", data=admin_login(), follow_redirects=False).status_code == 303
        first.post("/login", data=wrong(99))
        assert first.post("/login", data=admin_login(), follow_redirects=False).status_code == 429


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(address: str) -> None:
    first, second = two_servers(address)
    with first, second:
        for n in range(LIMIT):
            forged = {"X-Forwarded-For": f"203.0.113.{n}", "Forwarded": f"for=192.0.2.{n}"}
            first.post("/login", data=wrong(n), headers=forged)
        forged = {"X-Forwarded-For": "203.0.113.200"}
        answer = second.post("/login", data=admin_login(), headers=forged, follow_redirects=False)
    assert answer.status_code == 429


def test_clients_behind_a_trusted_proxy_are_told_apart(trusting: None, app_runtime: str) -> None:
    proxy, _ = two_servers("10.0.0.1")
    guesser, visitor = next(_addresses), next(_addresses)
    with proxy:
        for n in range(LIMIT):
            proxy.post("/login", data=wrong(n), headers={"X-Forwarded-For": guesser})
        refused = proxy.post(
            "/login",
            data=admin_login(),
            headers={"X-Forwarded-For": guesser},
            follow_redirects=False,
        )
        # the guesser's own forged entry on the left changes nothing: the proxy appended its
        # real address last
        spoofed = proxy.post(
            "/login",
            data=admin_login(),
            headers={"X-Forwarded-For": f"{visitor}, {guesser}"},
            follow_redirects=False,
        )
        admitted = proxy.post(
            "/login",
            data=admin_login(),
            headers={"Forwarded": f'for="{visitor}:5555";proto=https'},
            follow_redirects=False,
        )
    assert refused.status_code == 429 and spoofed.status_code == 429
    assert admitted.status_code == 303, "another client behind the proxy is not throttled"


def test_old_failures_are_purged(address: str) -> None:
    throttle = LoginThrottle(limit=2, window_s=60)
    with db.session_scope() as session:
        session.execute(
            sa.insert(LoginFailure).values(
                client_key="192.0.2.250", failed_at=sa.func.now() - sa.text("interval '2 hours'")
            )
        )
    wait, attempt = throttle.reserve(address)
    assert wait == 0 and attempt is not None
    with db.session_scope() as session:
        keys = session.execute(sa.select(LoginFailure.client_key)).scalars().all()
    assert "192.0.2.250" not in keys and address in keys
