"""The shell around every page over HTTP: styled error pages for people and JSON for
programs, a favicon, GraphiQL from Sift's own static files, run pages with human names."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from sift import db, workflows
from sift.directory import flows, service

HTML = {"Accept": "text/html"}


def test_unknown_ids_get_the_styled_not_found_page(admin: TestClient) -> None:
    for url in [
        f"/orgs/{uuid.uuid4()}",
        f"/runs/{uuid.uuid4()}",
        f"/inbox/clusters/{uuid.uuid4()}",
        "/no-such-page",
    ]:
        page = admin.get(url, headers=HTML)
        assert page.status_code == 404, url
        assert 'class="card error-page"' in page.text and "Not found" in page.text, url
        assert '{"detail"' not in page.text


def test_programs_keep_json_errors(admin: TestClient) -> None:
    assert admin.get(f"/orgs/{uuid.uuid4()}").json()["detail"]
    hsds = admin.get(f"/hsds/services/{uuid.uuid4()}", headers=HTML)
    assert hsds.headers["content-type"].startswith("application/json")
    webhook = admin.post("/webhooks/stream", content=b"{}", headers=HTML)
    assert webhook.headers["content-type"].startswith("application/json")


def test_favicon_and_graphiql_come_from_sift(admin: TestClient) -> None:
    icon = admin.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
    assert 'rel="icon"' in admin.get("/orgs").text
    ide = admin.get("/graphql", headers=HTML)
    assert ide.status_code == 200 and "/static/vendor/graphiql/graphiql.min.js" in ide.text
    assert "unpkg" not in ide.text and "https://" not in ide.text
    assert admin.get("/static/vendor/graphiql/graphiql.min.js").status_code == 200


def test_a_run_page_names_the_workflow_and_lists_its_steps(admin: TestClient) -> None:
    with db.session_scope() as session:
        org_id = service.create_organization(session, name="Run Page Org").id
    run_id = flows.start_extraction(org_id)
    workflows.wait_for(run_id)
    page = admin.get(f"/runs/{run_id}")
    assert page.status_code == 200
    assert "Extraction" in page.text and "extract_org_posts" not in page.text
    assert "UTC" in page.text and 'class="steps"' in page.text
    listing = admin.get("/runs").text
    assert f'href="/runs/{run_id}"' in listing and "Extraction" in listing
