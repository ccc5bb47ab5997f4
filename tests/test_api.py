"""The HTTP shell: health, GraphQL auth context, login to the web UI, static assets."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sift.auth import Role, issue_token
from sift.config import get_settings
from tests.conftest import admin_login


def graphql(client: TestClient, query: str, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def admin_token() -> str:
    settings = get_settings()
    return issue_token(settings, role=Role.admin, subject=settings.admin_email)


def test_healthz_checks_the_database(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_anonymous_admin_and_creator_contexts(client: TestClient) -> None:
    anonymous = graphql(client, "{ me { role } }")
    assert anonymous["data"]["me"]["role"] == "anonymous"
    admin = graphql(client, "{ me { role subject } }", admin_token())
    assert admin["data"]["me"] == {"role": "admin", "subject": get_settings().admin_email}
    creator_token = issue_token(get_settings(), role=Role.creator, subject="c1", creator_id="c1")
    creator = graphql(client, "{ me { role creatorId } }", creator_token)
    assert creator["data"]["me"] == {"role": "creator", "creatorId": "c1"}


def test_forged_token_is_anonymous(client: TestClient) -> None:
    forged = admin_token()[:-3] + "abc"
    assert graphql(client, "{ me { role } }", forged)["data"]["me"]["role"] == "anonymous"


def test_workflow_runs_need_an_admin_token(client: TestClient) -> None:
    denied = graphql(client, "{ workflowRuns { id } }")
    assert denied["errors"][0]["message"] == "admin token required"
    allowed = graphql(client, "{ workflowRuns(limit: 5) { id status } }", admin_token())
    assert isinstance(allowed["data"]["workflowRuns"], list)


def test_pages_redirect_to_login_until_the_admin_logs_in(client: TestClient) -> None:
    client.cookies.clear()
    assert client.get("/runs", follow_redirects=False).headers["location"] == "/login?next=%2Fruns"
    wrong = client.post("/login", data={"email": "admin@sift.local", "password": "nope"})
    assert "Wrong email or password." in wrong.text
    accented = client.post("/login", data={"email": "ädmin@sift.local", "password": "Straße"})
    assert accented.status_code == 200 and "Wrong email or password." in accented.text
    ok = client.post("/login", data=admin_login(), follow_redirects=False)
    assert ok.status_code == 303
    runs = client.get("/runs")
    assert runs.status_code == 200 and "Workflow runs" in runs.text
    client.cookies.clear()


def test_htmx_is_served_from_the_package(client: TestClient) -> None:
    response = client.get("/static/htmx.min.js")
    assert response.status_code == 200
    assert "htmx" in response.text[:2000]
