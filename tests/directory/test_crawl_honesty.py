"""A crawl says what happened: a website given as http:// is stored and crawled as http://
(an http-only site is not turned into a failing https one), and a crawl that fetched
nothing exits non-zero from the CLI and reads as failed in GraphQL too."""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sift import db, workflows
from sift.auth import Role, issue_token
from sift.cli import app
from sift.config import get_settings
from sift.directory.demo_site import DemoSite
from sift.directory.registry import flows, service


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def add_website(name: str, value: str) -> tuple[str, str]:
    with db.session_scope() as session:
        org = service.create_organization(session, name=name)
        source = service.add_source(session, organization=org, source_type="website", value=value)
        return str(source.id), str(source.url)


def test_an_http_website_is_stored_and_crawled_as_http(app_runtime: str) -> None:
    with DemoSite() as site:
        assert site.base_url.startswith("http://")
        source_id, url = add_website("Plain http", site.base_url)
        assert url == site.base_url.rstrip("/")
        result = workflows.wait_for(flows.start_crawl(source_id))
    assert result["status"] == "completed" and result["pages_stored"] > 0, result
    _, bare = add_website("Bare domain", "bare-domain.example")
    assert bare == "https://bare-domain.example"


@pytest.fixture(scope="module")
def unreachable(app_runtime: str) -> tuple[str, str]:
    """A website whose server is gone: the crawl fetches nothing at all."""
    source_id, _ = add_website("Gone away", f"http://127.0.0.1:{closed_port()}")
    run_id = flows.start_crawl(source_id)
    workflows.wait_for(run_id)
    return source_id, run_id


def test_a_crawl_that_fetched_nothing_exits_non_zero(
    app_runtime: str, unreachable: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source_id, _ = unreachable
    monkeypatch.setenv("SIFT_DATABASE_URL", app_runtime)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["crawl", source_id])
    finally:
        get_settings.cache_clear()
        db.configure(app_runtime)
    assert result.exit_code == 1, result.output
    assert "failed" in result.output


def test_graphql_says_a_failed_crawl_failed(
    admin: TestClient, unreachable: tuple[str, str]
) -> None:
    _, run_id = unreachable
    token = issue_token(get_settings(), role=Role.admin, subject="admin")
    answer = admin.post(
        "/graphql",
        json={"query": f'{{ workflowRun(id: "{run_id}") {{ status outcome error }} }}'},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    run = answer["data"]["workflowRun"]
    assert run["status"] == "ERROR" and run["outcome"] == "failed" and run["error"], run
