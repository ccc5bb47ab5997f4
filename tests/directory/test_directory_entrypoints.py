"""The registry through its entry points: the CLI (one line per error, nothing written on
bad input) and GraphQL (admin only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from dbos import DBOSClient
from fastapi.testclient import TestClient

from sift import db, workflows
from sift.auth import Role, issue_token
from sift.config import get_settings
from sift.directory.models import ExtractionPage, Organization, Source, SourceStatus


def sift(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sift.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SIFT_DATABASE_URL": url, "COLUMNS": "250"},
    )


def test_cli_registers_approves_imports_and_refuses_bad_input(
    database: str, tmp_path: Path
) -> None:
    assert sift(database, "org", "add", "Harbor Light").returncode == 0
    added = sift(
        database, "source", "add", "Harbor Light", "instagram", "@HarborLightCC", "--approve"
    )
    assert added.returncode == 0, added.stderr
    assert "instagram:harborlightcc added to Harbor Light (approved)" in added.stdout

    bad = sift(database, "source", "add", "Harbor Light", "website", "not a domain")
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()]
    assert bad.stderr.startswith("error: ")

    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            [
                {
                    "url": "https://www.instagram.com/p/1",
                    "text": "ok",
                    "posted_at": "2026-11-01T10:00:00Z",
                },
                {"url": "https://www.instagram.com/p/2", "text": "x", "posted_at": "yesterday"},
            ]
        )
    )
    refused = sift(database, "source", "import", "instagram:harborlightcc", str(broken))
    assert refused.returncode == 1
    assert "record 1" in refused.stderr and "posted_at" in refused.stderr

    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            [
                {
                    "url": "https://www.instagram.com/p/1",
                    "text": "Food pantry Tuesday",
                    "posted_at": "2026-11-01T10:00:00Z",
                }
            ]
        )
    )
    imported = sift(database, "source", "import", "instagram:harborlightcc", str(good))
    assert imported.returncode == 0, imported.stderr

    listed = sift(database, "source", "list", "--org", "Harbor Light")
    assert "instagram:harborlightcc" in listed.stdout and "approved" in listed.stdout
    assert sift(database, "source", "deactivate", "instagram:harborlightcc").returncode == 0

    db.configure(database)
    with db.session_scope() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Source)) == 1
        pages = session.scalars(sa.select(ExtractionPage)).all()
        assert [p.url for p in pages] == ["https://www.instagram.com/p/1"]
        assert pages[0].site_url == "https://www.instagram.com/harborlightcc/"
        assert session.scalar(sa.select(Source.active)) is False


def _gql(client: TestClient, query: str, token: str | None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/graphql", json={"query": query}, headers=headers).json()


def test_graphql_registry_is_admin_only(client: TestClient) -> None:
    settings = get_settings()
    admin = issue_token(settings, role=Role.admin, subject="admin")
    creator = issue_token(settings, role=Role.creator, subject="c", creator_id="c")
    create = 'mutation { createOrganization(name: "Meals Together") { id name } }'
    assert _gql(client, create, creator)["errors"][0]["message"] == "admin token required"
    org = _gql(client, create, admin)["data"]["createOrganization"]
    add = (
        f'mutation {{ addSource(organizationId: "{org["id"]}", sourceType: "website", '
        f'value: "https://www.meals-together.org/") {{ id label siteUrl status }} }}'
    )
    source = _gql(client, add, admin)["data"]["addSource"]
    assert (
        source["label"] == "meals-together.org"
        and source["siteUrl"] == "https://meals-together.org"
    )
    again = _gql(client, add, admin)
    assert again["errors"][0]["message"] == "the website meals-together.org is already registered"
    approve = (
        f'mutation {{ setSourceStatus(id: "{source["id"]}", status: "approved") {{ status }} }}'
    )
    assert _gql(client, approve, admin)["data"]["setSourceStatus"]["status"] == "approved"
    listed = _gql(client, "{ organizations { name sources { label status } } }", admin)
    names = {o["name"]: o for o in listed["data"]["organizations"]}
    assert names["Meals Together"]["sources"] == [
        {"label": "meals-together.org", "status": "approved"}
    ]
    with db.session_scope() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Organization)) >= 1


def test_cli_extract_review_and_cleanup(pg_admin_url: str) -> None:
    from tests.conftest import fresh_database

    url = fresh_database(pg_admin_url, "cli_extract")
    assert sift(url, "org", "add", "Art Space").returncode == 0
    assert (
        sift(url, "source", "add", "Art Space", "website", "artspace.org", "--approve").returncode
        == 0
    )
    db.configure(url)
    from sift.directory.ingest.pages import RawPage
    from sift.directory.registry import service

    with db.session_scope() as session:
        service.store_pages(
            session,
            pages=[
                RawPage(
                    url="https://artspace.org/classes",
                    site_url="https://artspace.org",
                    content="# Free Art Classes\n\nPainting for adults every Monday 6-8pm at "
                    "12 Mill Road. Register at https://artspace.org/register.",
                )
            ],
        )
    extracted = sift(url, "extract", "Art Space")
    assert extracted.returncode == 0, extracted.stderr
    assert "status: completed" in extracted.stdout and "add Free Art Classes" in extracted.stdout
    batch_id = extracted.stdout.split("extraction batch ")[1].split()[0]
    approved = sift(url, "review", "approve", batch_id, "--batch")
    assert approved.returncode == 0 and "1 approved" in approved.stdout
    cleaned = sift(url, "cleanup", "Art Space")
    assert cleaned.returncode == 0 and "rejected purged: 0" in cleaned.stdout.replace("\n", " ")
    client = DBOSClient(system_database_url=workflows._dbos_url(url))
    askers = {run.authenticated_user for run in client.list_workflows(load_input=False)}
    client.destroy()
    assert askers - {None} == {f"cli:{get_settings().admin_email}"}, "runs say who started them"


def test_graphql_extract_review_and_cleanup(client: TestClient) -> None:
    import time

    from sift.directory.ingest.pages import RawPage
    from sift.directory.registry import service

    admin = issue_token(get_settings(), role=Role.admin, subject="admin@gql")
    with db.session_scope() as session:
        org = service.create_organization(session, name="GraphQL Org")
        source = service.add_source(
            session, organization=org, source_type="website", value="gql.org"
        )
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        service.store_pages(
            session,
            pages=[
                RawPage(
                    url="https://gql.org/chess",
                    site_url="https://gql.org",
                    content="# Chess Club\n\nFree chess club for youth every Wednesday 4-6pm "
                    "at 9 Elm Street. Call (555) 700-1000.",
                )
            ],
        )
        org_id = str(org.id)

    def finished(workflow_id: str) -> dict:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run = _gql(
                client,
                f'{{ workflowRun(id: "{workflow_id}") {{ status output progress }} }}',
                admin,
            )
            if run["data"]["workflowRun"]["status"] in ("SUCCESS", "ERROR"):
                return run["data"]["workflowRun"]
            time.sleep(0.2)
        raise AssertionError("the run did not finish")

    started = _gql(
        client,
        f'mutation {{ extractOrgPosts(organizationId: "{org_id}") {{ workflowId }} }}',
        admin,
    )
    run = finished(started["data"]["extractOrgPosts"]["workflowId"])
    assert run["output"]["status"] == "completed" and run["output"]["proposals_staged"] == 1
    batches = _gql(
        client,
        f'{{ batches(organizationId: "{org_id}") '
        "{ id kind proposals { id operation headline } } }",
        admin,
    )
    [batch] = batches["data"]["batches"]
    [proposal] = batch["proposals"]
    assert proposal["operation"] == "insert" and proposal["headline"] == "add Chess Club"
    approved = _gql(
        client,
        f'mutation {{ approveProposal(id: "{proposal["id"]}") {{ status reviewedBy }} }}',
        admin,
    )
    assert approved["data"]["approveProposal"] == {"status": "approved", "reviewedBy": "admin@gql"}
    again = _gql(
        client, f'mutation {{ rejectProposal(id: "{proposal["id"]}") {{ status }} }}', admin
    )
    assert "already approved" in again["errors"][0]["message"]
    posts = _gql(
        client,
        f'{{ posts(organizationId: "{org_id}", status: "active") {{ title audience }} }}',
        admin,
    )
    assert posts["data"]["posts"] == [{"title": "Chess Club", "audience": "youth"}]
    cleanup = _gql(
        client,
        f'mutation {{ cleanUpOrgPosts(organizationId: "{org_id}") {{ workflowId }} }}',
        admin,
    )
    result = finished(cleanup["data"]["cleanUpOrgPosts"]["workflowId"])["output"]
    assert result["status"] == "completed" and result["proposals_staged"] == 0
