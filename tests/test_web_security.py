"""The web front as an attacker meets it: bad bytes, forged or odd tokens, oversized bodies,
huge GraphQL documents, cross-site posts and password guessing all get a one-line 4xx."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from graphql import get_introspection_query
from pydantic import SecretStr
from starlette.types import ASGIApp

from sift.api import create_app
from sift.auth import ALGORITHM, COOKIE_NAME, Role, issue_token
from sift.config import get_settings
from sift.inbox import webhooks
from sift.security import WeakSecrets
from tests.conftest import admin_login


@pytest.fixture
def admin(client: TestClient) -> Iterator[TestClient]:
    """The client signed in as admin through its cookie, signed out afterwards."""
    settings = get_settings()
    client.cookies.set(
        COOKIE_NAME, issue_token(settings, role=Role.admin, subject=settings.admin_email)
    )
    yield client
    client.cookies.clear()


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set `SIFT_*` variables for one test; settings are read again before and after."""
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def signed_post(client: TestClient, body: bytes):
    secret = get_settings().webhook_secret.get_secret_value()
    headers = {"X-Signature": webhooks.sign(secret, body)}
    return client.post("/webhooks/stream", content=body, headers=headers)


def forged(claims: dict) -> str:
    """A token signed with the real secret but with claims Sift never issues."""
    return jwt.encode(claims, get_settings().jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def one_line(text: str) -> bool:
    return "\n" not in text.strip() and "Traceback" not in text and "SELECT" not in text


# --- item 11: no 500 on bad input -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/orgs/%00", "/proposals?org=%00", "/inbox?creator=%00", "/runs/%00/progress", "/x%00y"],
)
def test_a_nul_in_a_path_or_query_is_a_one_line_400(admin: TestClient, url: str) -> None:
    response = admin.get(url)
    assert response.status_code == 400 and one_line(response.text), response.text
    assert "NUL" in response.text


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/orgs", "name"),
        ("/inbox/clusters/00000000-0000-0000-0000-000000000000/reply", "response_text"),
    ],
)
def test_a_nul_in_a_form_field_is_a_one_line_400(admin: TestClient, url: str, field: str) -> None:
    response = admin.post(url, data={field: "Food\x00Bank"})
    assert response.status_code == 400 and "NUL" in response.text


def test_a_huge_minimum_channel_count_is_no_server_error(admin: TestClient) -> None:
    response = admin.get("/inbox?min=99999999999999999999")
    assert response.status_code == 200


def test_graphql_ids_with_nul_are_refused_without_sql(admin: TestClient) -> None:
    query = '{ organization(id: "a\\u0000b") { id } }'
    answer = admin.post("/graphql", json={"query": query}).json()
    [error] = answer["errors"]
    assert "NUL" in error["message"] and "SELECT" not in json.dumps(answer)
    variables = {"id": "a\x00b"}
    answer = admin.post(
        "/graphql",
        json={"query": "query($id: ID!) { organization(id: $id) { id } }", "variables": variables},
    ).json()
    assert "NUL" in answer["errors"][0]["message"]


def test_an_unexpected_graphql_error_is_masked() -> None:
    from sift.api import masked

    class Boom(Exception):
        pass

    from graphql import GraphQLError

    raw = GraphQLError("psycopg.DataError: SELECT secret FROM x", original_error=Boom())
    assert masked(raw)
    assert not masked(GraphQLError("Cannot query field 'x' on type 'Query'."))


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "message.new", "cid": "messaging:s1", '
        b'"channel": {"creator_id": "sur", "name": "\\ud800"}, '
        b'"message": {"id": "sur-1", "text": "hi", "user": {"id": "fan"}}}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"type": "x", "deep": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
        b"\xff\xfe not json",
    ],
)
def test_odd_signed_webhook_bodies_are_a_one_line_400(client: TestClient, body: bytes) -> None:
    response = signed_post(client, body)
    assert response.status_code == 400 and one_line(response.json()["detail"])


# --- item 10: tokens are type-checked ---------------------------------------------------------


def test_a_token_without_expiry_is_refused(client: TestClient) -> None:
    settings = get_settings()
    never_expires = forged({"sub": settings.admin_email, "role": "admin"})
    me = client.post(
        "/graphql",
        json={"query": "{ me { role } }"},
        headers={"Authorization": f"Bearer {never_expires}"},
    ).json()
    assert me["data"]["me"]["role"] == "anonymous"


def test_a_non_string_creator_id_is_refused_cleanly(client: TestClient) -> None:
    exp = datetime.now(UTC) + timedelta(hours=1)
    token = forged({"sub": "c", "role": "creator", "creator_id": 12, "exp": exp})
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.post("/graphql", json={"query": "{ clusters { id } }"}, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["errors"][0]["message"] == "a creator or admin token is required"
    page = client.get("/inbox", cookies={COOKIE_NAME: token}, follow_redirects=False)
    assert page.status_code in (303, 401) and page.headers.get("location") == "/login?next=%2Finbox"


# --- item 9: login ----------------------------------------------------------------------------


def test_an_empty_admin_password_lets_nobody_in(
    app_runtime: str, environment: pytest.MonkeyPatch
) -> None:
    environment.setenv("SIFT_ADMIN_PASSWORD", "")
    get_settings.cache_clear()
    settings = get_settings()
    with TestClient(create_app(settings, manage_runtime=False)) as client:
        response = client.post(
            "/login", data={"email": settings.admin_email, "password": ""}, follow_redirects=False
        )
    assert response.status_code == 200 and "Wrong email or password." in response.text


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"admin_password": SecretStr("")}, "SIFT_ADMIN_PASSWORD is empty"),
        ({"jwt_secret": SecretStr("x")}, "SIFT_JWT_SECRET is shorter than 32 bytes"),
    ],
)
def test_weak_secrets_stop_an_app_created_for_a_public_address(change: dict, problem: str) -> None:
    strong = {
        "admin_password": SecretStr("a long admin password"),
        "jwt_secret": SecretStr("s" * 40),
        "webhook_secret": SecretStr("w" * 40),
    }
    settings = get_settings().model_copy(update={**strong, **change})
    with pytest.raises(WeakSecrets, match=problem):
        create_app(settings, manage_runtime=False, host="0.0.0.0")
    create_app(settings, manage_runtime=False, host="127.0.0.1")  # one's own machine: fine
    public = get_settings().model_copy(update={**strong, "host": "0.0.0.0"})
    create_app(public, manage_runtime=False)


def test_password_guessing_is_throttled_per_client(app_runtime: str) -> None:
    settings = get_settings()
    right = admin_login()
    app = create_app(settings, manage_runtime=False)
    with TestClient(app, client=("198.51.100.10", 50000)) as client:  # its own throttle key
        for attempt in range(10):
            wrong = client.post("/login", data={**right, "password": f"guess-{attempt}"})
            assert wrong.status_code == 200
        throttled = client.post("/login", data=right, follow_redirects=False)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in throttled.text


def test_logout_revokes_the_token_everywhere(client: TestClient) -> None:
    settings = get_settings()
    token = issue_token(settings, role=Role.admin, subject=settings.admin_email)
    bearer = {"Authorization": f"Bearer {token}"}
    me = {"query": "{ me { role } }"}
    assert client.post("/graphql", json=me, headers=bearer).json()["data"]["me"]["role"] == "admin"
    client.post("/logout", cookies={COOKIE_NAME: token}, follow_redirects=False)
    assert client.post("/graphql", json=me, headers=bearer).json()["data"]["me"]["role"] == (
        "anonymous"
    )
    copied_cookie = client.get("/runs", cookies={COOKIE_NAME: token}, follow_redirects=False)
    assert copied_cookie.headers["location"] == "/login?next=%2Fruns"


# --- item 8: request body limits --------------------------------------------------------------


def post_in_chunks(app: ASGIApp, path: str, chunks: int, headers: dict[str, str]) -> tuple:
    """POST 64 KB chunks with no Content-Length straight into the ASGI app (the test client
    reads a body whole before sending it); returns (status, chunks the app pulled)."""
    pulled, statuses = 0, []

    async def receive() -> dict:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": pulled < chunks}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    return statuses[0], pulled


@pytest.mark.parametrize(
    ("url", "megabytes"), [("/login", 1), ("/graphql", 3), ("/webhooks/stream", 3), ("/orgs", 3)]
)
def test_an_oversized_body_is_refused_with_413(client: TestClient, url: str, megabytes: int):
    headers = {"X-Signature": "0" * 64, "Content-Type": "application/x-www-form-urlencoded"}
    if url == "/graphql":
        headers["Content-Type"] = "application/json"
    response = client.post(url, content=b"x" * megabytes * 2**20, headers=headers)
    assert response.status_code == 413


def test_a_streamed_body_is_not_read_past_the_cap(app_runtime: str) -> None:
    app = create_app(get_settings(), manage_runtime=False)
    status, pulled = post_in_chunks(app, "/webhooks/stream", 200, {"X-Signature": "0" * 64})
    assert status == 413 and pulled <= 17  # 1 MB of a 12.5 MB body


def test_an_unsigned_webhook_is_refused_before_its_body_is_read(app_runtime: str) -> None:
    app = create_app(get_settings(), manage_runtime=False)
    status, pulled = post_in_chunks(app, "/webhooks/stream", 10, {})
    assert status == 401 and pulled == 0


def test_a_huge_field_is_cut_in_the_stored_raw_event() -> None:
    event = {"type": "message.new", "message": {"text": "hi", "blob": "z" * 500_000}}
    stored = webhooks.stored_copy(event)
    assert len(json.dumps(stored)) < 10_000 and stored["message"]["text"] == "hi"
    assert stored["message"]["blob"].endswith("chars cut]")


# --- item 7: GraphQL documents are bounded -----------------------------------------------------


def test_a_document_of_many_aliases_is_refused_fast(client: TestClient) -> None:
    aliases = " ".join(f"a{i}: health" for i in range(60_000))  # ~0.8 MB, under the body cap
    started = time.monotonic()
    response = client.post("/graphql", json={"query": "{ " + aliases + " }"})
    assert time.monotonic() - started < 3
    assert "tokens" in response.json()["errors"][0]["message"]


def test_aliases_and_depth_are_bounded(client: TestClient) -> None:
    aliases = " ".join(f"a{i}: health" for i in range(40))
    answer = client.post("/graphql", json={"query": "{ " + aliases + " }"}).json()
    assert "aliases found" in answer["errors"][0]["message"]
    nested = "__typename"
    for _ in range(12):
        nested = f"organizations {{ {nested} }}"
    answer = client.post("/graphql", json={"query": "{ " + nested + " }"}).json()
    assert "nests fields more than 8 deep" in answer["errors"][0]["message"]


def _fragment_bomb(levels: int, spreads: int) -> str:
    """`query{...F0}`, each fragment spreading the next `spreads` times, the last `health`."""
    parts = ["query{...F0}"]
    for level in range(levels):
        parts.append(f"fragment F{level} on Query{{{f' ...F{level + 1}' * spreads}}}")
    return " ".join([*parts, f"fragment F{levels} on Query{{health}}"])


def test_a_fragment_bomb_is_refused_by_its_expanded_size(client: TestClient) -> None:
    """606 bytes standing for 4^12 fields: refused before validation, which (like the
    depth limiter it replaces) walks fragments recursively and took 18 s on it."""
    answer = client.post("/graphql", json={"query": _fragment_bomb(12, 4)}).json()
    assert answer["data"] is None
    assert "more than 2000 fields once its fragments are expanded" in answer["errors"][0]["message"]
    assert client.get("/healthz").status_code == 200


def test_a_chain_of_fragments_is_refused_without_recursion(client: TestClient) -> None:
    answer = client.post("/graphql", json={"query": _fragment_bomb(500, 1)}).json()
    assert answer["errors"][0]["message"] == "fragments spread fragments more than 10 deep"
    assert "recursion" not in json.dumps(answer)
    cycle = "query{...A} fragment A on Query{health ...B} fragment B on Query{...A}"
    answer = client.post("/graphql", json={"query": cycle}).json()
    assert answer["errors"][0]["message"] == "fragment 'A' spreads itself"


def test_a_modest_fragment_query_still_runs(client: TestClient) -> None:
    answer = client.post("/graphql", json={"query": _fragment_bomb(3, 2)}).json()
    assert answer == {"data": {"health": "ok"}}


def test_health_answers_while_a_slow_graphql_query_runs(client: TestClient) -> None:
    """Resolvers run in worker threads: a slow one holds neither the loop nor `/healthz`."""
    slow = '{ a: workflowRun(id: "x") { id } }'
    results: list[float] = []

    def ask_health() -> None:
        started = time.monotonic()
        assert client.get("/healthz").status_code == 200
        results.append(time.monotonic() - started)

    with ThreadPoolExecutor(max_workers=4) as pool:
        slow_runs = [pool.submit(client.post, "/graphql", json={"query": slow}) for _ in range(3)]
        pool.submit(ask_health).result(timeout=10)
        for run in slow_runs:
            run.result(timeout=30)
    assert results[0] < 2


# --- item 6: cross-site requests and cookies ---------------------------------------------------


def test_a_cross_site_post_with_the_admin_cookie_is_refused(admin: TestClient) -> None:
    for header in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/x"}):
        response = admin.post("/orgs", data={"name": "Evil Org"}, headers=header)
        assert response.status_code == 403 and "cross-site" in response.text
    assert (
        admin.post("/orgs", data={"name": "Evil Org"}, headers={"Origin": "null"}).status_code
        == 403
    )
    same_site = admin.post(
        "/orgs",
        data={"name": "Same Site Org"},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same_site.status_code == 303


def test_bearer_calls_and_the_webhook_are_not_cross_site_checked(client: TestClient) -> None:
    settings = get_settings()
    token = issue_token(settings, role=Role.admin, subject=settings.admin_email)
    headers = {"Origin": "http://tool.example", "Authorization": f"Bearer {token}"}
    answer = client.post("/graphql", json={"query": "{ me { role } }"}, headers=headers)
    assert answer.json()["data"]["me"]["role"] == "admin"
    body = b'{"type": "reaction.new"}'
    secret = settings.webhook_secret.get_secret_value()
    signed = {"Origin": "http://stream.example", "X-Signature": webhooks.sign(secret, body)}
    assert client.post("/webhooks/stream", content=body, headers=signed).status_code == 200


def test_the_session_cookie_is_secure_over_https(app_runtime: str) -> None:
    settings = get_settings()
    right = admin_login()
    app = create_app(settings, manage_runtime=False)
    with TestClient(app, base_url="https://sift.example") as https:
        cookie = https.post("/login", data=right, follow_redirects=False).headers["set-cookie"]
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()
    with TestClient(app) as http:
        cookie = http.post("/login", data=right, follow_redirects=False).headers["set-cookie"]
    assert "secure" not in cookie.lower()


def test_graphiql_reads_the_schema_but_introspection_cannot_multiply(client: TestClient) -> None:
    """GraphiQL's own introspection query nests `ofType` about 13 deep: it must run (its docs
    and autocomplete need it), while nesting the schema's lists, which multiply by the
    schema's size at every level, stays bounded."""
    answer = client.post("/graphql", json={"query": get_introspection_query()}).json()
    assert "errors" not in answer and answer["data"]["__schema"]["queryType"]["name"] == "Query"
    lists = "__schema { types { fields { type { fields { type { fields { name } } } } } } }"
    answer = client.post("/graphql", json={"query": "{ " + lists + " }"}).json()
    assert answer["errors"][0]["message"] == "the query nests schema lists more than 3 deep"
    mixed = "__schema { types { name } } " + "organizations { " * 9 + "id" + " }" * 9
    answer = client.post("/graphql", json={"query": "{ " + mixed + " }"}).json()
    assert answer["errors"][0]["message"] == "the query nests fields more than 8 deep"
