"""The shell around every page over HTTP: styled error pages for people and JSON for
programs, a favicon, GraphiQL from Sift's own static files, run pages with human names."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from fastapi.testclient import TestClient

from sift import db, workflows
from sift.db import utcnow
from sift.directory.extraction import flows
from sift.directory.models import BatchKind, Post, PostStatus
from sift.directory.proposals import batches, review, sync
from sift.directory.registry import service
from sift.quality import EvaluationRun
from sift.web import charts

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


def org_as_the_demo_leaves_it() -> str:
    """Two published posts, one deleted, an extraction batch of three new posts (one of
    them approved since) and a clean-up batch with one merge: every figure differs."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Counted Org {uuid.uuid4().hex[:6]}")
        posts = [
            Post(organization_id=org.id, title=title, status=PostStatus.active, description=title)
            for title in ("Food pantry", "Pantry at Harbor Light", "Old clinic")
        ]
        posts[2].deleted_at, posts[2].deleted_reason = utcnow(), "closed"
        session.add_all(posts)
        session.flush()
        fresh = [sync.FreshPost(title=p.title, description=p.description) for p in posts[:2]]
        fresh += [
            sync.FreshPost(title=t, description=t) for t in ("Book club", "Tax help", "Lunch")
        ]
        staged = sync.stage_extraction(session, organization_id=org.id, fresh=fresh, embedder=None)
        cleanup = sync.new_batch(
            session, organization_id=org.id, kind=BatchKind.cleanup, workflow_id=None
        )
        sync.add_merge(
            session,
            batch=cleanup,
            canonical=posts[0],
            duplicates=[posts[1]],
            content=sync.post_content(posts[0]),
            links=[],
            reason="The same pantry.",
        )
        org_id = str(org.id)
        batch = batches.batch_view(session, batch_id=uuid.UUID(str(staged.batch_id)))
    review.decide(batch.proposals[0].id, approve=True, reviewer="ada@example.org")
    return org_id


def number(pattern: str, text: str) -> int:
    found = re.search(pattern, text, re.DOTALL)
    assert found, pattern
    return int(found.group(1))


def graphql(client: TestClient, query: str) -> dict:
    answer = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in answer, answer
    return answer["data"]


def test_counts_agree_on_every_page_and_the_api(admin: TestClient) -> None:
    org_id = org_as_the_demo_leaves_it()
    listing = admin.get("/orgs").text
    row = re.search(rf'<tr data-org="{org_id}">.*?</tr>', listing, re.DOTALL).group(0)
    org_page = admin.get(f"/orgs/{org_id}").text
    api = graphql(
        admin,
        f'{{ organization(id: "{org_id}") {{ activePosts pendingProposals postCounts }} '
        f'posts(organizationId: "{org_id}", status: "active") {{ id }} '
        f'batches(organizationId: "{org_id}") {{ proposals {{ status }} }} '
        "organizations { pendingProposals } }",
    )
    pending = [p for b in api["batches"] for p in b["proposals"] if p["status"] == "pending"]
    assert api["organization"]["postCounts"] == {"active": 3, "pending_approval": 2, "deleted": 1}
    active = {
        number(r'class="active-posts">(\d+)<', row),
        number(r">Active \((\d+)\)<", org_page),
        api["organization"]["activePosts"],
        len(api["posts"]),
    }
    assert active == {3}
    waiting = {
        number(r'class="pending-proposals">(?:<a [^>]*>)?(\d+)<', row),
        number(r"Pending proposals \((\d+)\)", org_page),
        api["organization"]["pendingProposals"],
        len(pending),
        number(
            r"<h1>Proposals <span class=\"small\">(\d+) pending",
            admin.get(f"/proposals?org={org_id}").text,
        ),
    }
    assert waiting == {3}
    nav = number(r'href="/proposals">Proposals <span class="nav-count">\((\d+)\)', listing)
    assert nav == sum(o["pendingProposals"] for o in api["organizations"])


def add_evaluation_runs(suite: str, scores: list[tuple[float, float, float]]) -> None:
    """Recorded runs of `suite`, a day apart, as `sift eval` leaves them."""
    with db.session_scope() as session:
        for days_ago, (precision, recall, f1) in enumerate(reversed(scores)):
            session.add(
                EvaluationRun(
                    suite=suite,
                    dataset="dev.jsonl",
                    dataset_path="/data/dev.jsonl",
                    variant="rules",
                    precision=precision,
                    recall=recall,
                    f1=f1,
                    figures={"precision": precision, "recall": recall, "f1": f1},
                    sift_version="0.1.0",
                    recorded_at=utcnow() - timedelta(days=days_ago),
                )
            )


def test_the_quality_page_draws_each_suites_recorded_runs(admin: TestClient) -> None:
    empty = admin.get("/quality")
    assert empty.status_code == 200 and 'href="/quality"' in empty.text
    assert "No extraction evaluation recorded yet." in empty.text
    assert "No clean-up evaluation recorded yet." in empty.text and "<svg" not in empty.text

    add_evaluation_runs("extraction", [(0.58, 0.66, 0.617), (0.989, 1.0, 0.995)])
    page = admin.get("/quality").text
    assert page.count("<polyline") == 3, "precision, recall and F1 of extraction"
    assert "Extraction: precision, recall and F1 per run" in page
    assert "precision 0.580" in page and "f1 0.995" in page  # the chart's text description
    rows = re.findall(r"<tr>\s*<td class=\"nowrap\">.*?</tr>", page, re.DOTALL)
    assert len(rows) == 2 and "0.989" in rows[0], "the newest run first"
    assert "No clean-up evaluation recorded yet." in page


def test_a_line_chart_leaves_gaps_and_escapes_labels() -> None:
    chart = charts.lines("Q <1>", ["<a>", "b"], {"recall": [None, 0.5], "other": [1.0, 0.0]})
    assert "Q &lt;1&gt;" in chart and "<a>" not in chart
    assert chart.count("<circle") == 3, "a missing figure is no point"
    assert 'role="img"' in chart and "b: recall 0.500, other 0.000" in chart
    assert charts.lines("Q", [], {}, empty="Nothing yet.") == '<p class="empty">Nothing yet.</p>'
