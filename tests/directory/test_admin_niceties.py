"""The admin pages as someone used to Django's admin expects them: a post added by hand,
an organization's details edited, a post archived from its page and restored, problems
written beside the field they are about, the login that returns to the page asked for, a
creator told an admin page is not theirs, and runs that say who started them."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from dbos import DBOS
from fastapi.testclient import TestClient

from sift import db, workflows
from sift.auth import COOKIE_NAME, Role, issue_token
from sift.config import get_settings
from sift.directory.models import (
    OperationKind,
    Organization,
    Post,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    SourceStatus,
)
from sift.directory.proposals import review
from sift.directory.registry import flows, service
from tests.conftest import admin_login

HTML = {"Accept": "text/html"}


def _org(name: str) -> str:
    with db.session_scope() as session:
        return str(service.create_organization(session, name=name).id)


def _new_post_form(**fields: object) -> dict[str, object]:
    """The new post form as the page shows it (one blank schedule row), `fields` typed in."""
    return {"schedule.rows": "1", "title": "", "description": "", **fields}


def _posts_of(org_id: str) -> list[Post]:
    with db.session_scope() as session:
        posts = session.scalars(
            sa.select(Post).where(Post.organization_id == uuid.UUID(org_id))
        ).all()
        session.expunge_all()
        return list(posts)


def _problem_beside(page: str, field_id: str) -> str:
    """The problem line a refused form shows beside one field, which the field points at."""
    assert f'id="{field_id}"' in page
    field = re.search(rf'<(?:input|textarea)[^>]*id="{field_id}"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field.group(0), f"{field_id} is not marked"
    assert f'aria-describedby="{field_id}-problem"' in field.group(0)
    line = re.search(rf'id="{field_id}-problem">([^<]*)<', page)
    assert line, f"no problem line beside {field_id}"
    return line.group(1).replace("&#39;", "'").replace("&#34;", '"')


# --- a post added by hand ---------------------------------------------------------------


def test_a_post_added_by_hand_is_published_at_once_and_its_history_says_who(
    admin: TestClient,
) -> None:
    org_id = _org("Hand Added Org")
    assert f'href="/orgs/{org_id}/posts/new"' in admin.get(f"/orgs/{org_id}").text
    form = admin.get(f"/orgs/{org_id}/posts/new")
    assert form.status_code == 200 and "Publish post" in form.text
    answer = admin.post(
        f"/orgs/{org_id}/posts/new",
        data=_new_post_form(
            title="Homework Club",
            description="Help with homework for children aged 8 to 12.",
            audience="children 8-12",
            new_contact_key="phone",
            new_contact_value="(555) 010-2020",
            tags="youth, education",
            **{"schedule.words": "Tuesdays 5pm to 8pm"},
        ),
        follow_redirects=False,
    )
    assert answer.status_code == 303
    [post] = _posts_of(org_id)
    assert answer.headers["location"] == f"/posts/{post.id}"
    assert post.status is PostStatus.active and post.published_at is not None
    assert post.schedule == [{"days": ["Tuesday"], "start": "17:00", "end": "20:00", "note": None}]
    assert post.contact == {"phone": "(555) 010-2020"} and post.tags == ["youth", "education"]
    page = admin.get(f"/posts/{post.id}").text
    assert "Tuesday 5 pm \u2013 8 pm" in page
    with db.session_scope() as session:
        insert = session.scalars(
            sa.select(ProposedOperation).where(ProposedOperation.draft_post_id == post.id)
        ).one()
        assert insert.operation is OperationKind.insert
        assert insert.status is ProposalStatus.approved
        assert insert.reviewed_by == get_settings().admin_email
    assert "Added by hand by" in page


def test_a_refused_new_post_names_each_problem_beside_its_field_and_keeps_the_rest(
    admin: TestClient,
) -> None:
    org_id = _org("Refused Post Org")
    answer = admin.post(
        f"/orgs/{org_id}/posts/new",
        data=_new_post_form(
            summary="Kept as typed",
            **{
                "schedule.words": "whenever the moon is full",
                "schedule.0.days": ["Friday"],
                "schedule.0.start": "25:00",
            },
        ),
        headers=HTML,
    )
    assert answer.status_code == 400
    page = answer.text
    assert "Nothing was saved: correct the fields marked below." in page
    assert _problem_beside(page, "f-title") == "a post needs a title"
    assert "names no day of the week" in _problem_beside(page, "f-schedule-words")
    assert re.search(
        r'name="schedule.0.start" value="25:00" aria-invalid="true" '
        r'aria-describedby="f-schedule-0-start-problem"',
        page,
    )
    assert "schedule row 1: 25:00 is not a time of day" in page
    assert 'value="Kept as typed"' in page and 'value="whenever the moon is full"' in page
    assert _posts_of(org_id) == []


@pytest.mark.parametrize(
    ("words", "schedule", "problem"),
    [
        ("Tuesdays 5pm to 8pm", [{"days": ["Tuesday"], "start": "17:00", "end": "20:00"}], None),
        (
            "Mon-Fri 9:00-17:00",
            [
                {
                    "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                    "start": "09:00",
                    "end": "17:00",
                }
            ],
            None,
        ),
        ("Tuesdays 5 to 8", None, "read Tuesday but no time: write times with am/pm or as 17:00"),
        ("after school", None, "“after school” names no day of the week"),
    ],
)
def test_a_schedule_in_words_reads_as_a_schedule_or_says_what_is_wrong(
    admin: TestClient, words: str, schedule: list[dict] | None, problem: str | None
) -> None:
    org_id = _org(f"Words {uuid.uuid4().hex[:6]}")
    answer = admin.post(
        f"/orgs/{org_id}/posts/new",
        data=_new_post_form(title="Drop-in", **{"schedule.words": words}),
        headers=HTML,
        follow_redirects=False,
    )
    if problem is None:
        assert answer.status_code == 303
        [post] = _posts_of(org_id)
        assert [{k: v for k, v in e.items() if v is not None} for e in post.schedule] == schedule
    else:
        assert answer.status_code == 400
        assert _problem_beside(answer.text, "f-schedule-words").startswith(problem)
        assert _posts_of(org_id) == []


def test_a_schedule_typed_into_a_note_reads_as_days_and_times(admin: TestClient) -> None:
    """An admin who writes the times in a row's note instead of ticking boxes gets the
    schedule they meant, not a note residents must read."""
    org_id = _org("Note Schedule Org")
    admin.post(
        f"/orgs/{org_id}/posts/new",
        data=_new_post_form(title="Choir", **{"schedule.0.note": "Tuesdays 5pm to 8pm"}),
    )
    [post] = _posts_of(org_id)
    assert post.schedule == [{"days": ["Tuesday"], "start": "17:00", "end": "20:00", "note": None}]


# --- an organization's details ----------------------------------------------------------


def test_an_organization_s_name_and_description_are_edited_on_its_page(
    admin: TestClient,
) -> None:
    org_id = _org("Typo Pantyr")
    _org("Riverside Pantry")
    page = admin.get(f"/orgs/{org_id}").text
    assert f'action="/orgs/{org_id}/details"' in page and "Edit details" in page
    saved = admin.post(
        f"/orgs/{org_id}/details",
        data={"name": "  Typo   Pantry ", "description": "Groceries on Tuesdays."},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with db.session_scope() as session:
        org = session.get_one(Organization, uuid.UUID(org_id))
        assert (org.name, org.description) == ("Typo Pantry", "Groceries on Tuesdays.")

    taken = admin.post(
        f"/orgs/{org_id}/details",
        data={"name": "riverside pantry", "description": "x" * 2001},
        headers=HTML,
    )
    assert taken.status_code == 400
    assert "'Riverside Pantry' already exists" in _problem_beside(taken.text, "f-name")
    assert "at most 2000 characters" in _problem_beside(taken.text, "f-description")
    assert '<details class="card edit-details" open>' in taken.text
    with db.session_scope() as session:
        org = session.get_one(Organization, uuid.UUID(org_id))
        assert (org.name, org.description) == ("Typo Pantry", "Groceries on Tuesdays.")


def test_graphql_edits_an_organization_s_details_like_the_page(client: TestClient) -> None:
    org_id = _org("Graph Typo Org")
    _org("Graph Other Org")
    token = issue_token(get_settings(), role=Role.admin, subject="admin@sift.local")
    mutation = """mutation($id: ID!, $name: String!) {
      updateOrganization(id: $id, name: $name, description: "Evenings only.") { name description }
    }"""

    def ask(name: str) -> dict:
        return client.post(
            "/graphql",
            json={"query": mutation, "variables": {"id": org_id, "name": name}},
            headers={"Authorization": f"Bearer {token}"},
        ).json()

    assert ask("Graph Fixed Org")["data"]["updateOrganization"] == {
        "name": "Graph Fixed Org",
        "description": "Evenings only.",
    }
    refused = ask("graph other org")
    assert "'Graph Other Org' already exists" in refused["errors"][0]["message"]


# --- archive and restore from the post page ---------------------------------------------


def test_a_post_archived_from_its_page_leaves_at_once_and_is_restored_through_review(
    admin: TestClient,
) -> None:
    org_id = _org("Archive Org")
    admin.post(
        f"/orgs/{org_id}/posts/new",
        data=_new_post_form(title="Winter Coats", description="Free coats in December."),
    )
    [post] = _posts_of(org_id)
    assert "Archive this post" in admin.get(f"/posts/{post.id}").text
    assert admin.get(f"/services/{post.id}").status_code == 200

    archived = admin.post(
        f"/posts/{post.id}/archive", data={"reason": "The drive ended."}, follow_redirects=False
    )
    assert archived.status_code == 303
    [post] = _posts_of(org_id)
    assert post.deleted_at is not None and post.deleted_reason == "The drive ended."
    page = admin.get(f"/posts/{post.id}").text
    assert "Restore this post" in page and "Archive this post" not in page
    assert "Only active posts can be edited" in page
    assert admin.get(f"/services/{post.id}").status_code == 404

    admin.post(f"/posts/{post.id}/restore", follow_redirects=False)
    with db.session_scope() as session:
        restore = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.target_post_id == post.id,
                ProposedOperation.operation == OperationKind.restore,
            )
        ).one()
    page = admin.get(f"/posts/{post.id}").text
    assert "Waiting for review" in page and "Restore this post" not in page
    review.decide(restore.id, approve=True, reviewer="ada@example.org")
    [post] = _posts_of(org_id)
    assert post.deleted_at is None and post.status is PostStatus.active


def test_archiving_a_post_twice_says_why_not(admin: TestClient) -> None:
    org_id = _org("Twice Archived Org")
    admin.post(f"/orgs/{org_id}/posts/new", data=_new_post_form(title="Book swap"))
    [post] = _posts_of(org_id)
    admin.post(f"/posts/{post.id}/archive")
    again = admin.post(f"/posts/{post.id}/archive", headers=HTML)
    assert again.status_code == 400
    assert "only active posts can be archived; 'Book swap' is deleted" in again.text.replace(
        "&#39;", "'"
    )


# --- signing in -------------------------------------------------------------------------


def test_the_login_returns_to_the_page_asked_for(client: TestClient) -> None:
    client.cookies.clear()
    org_id = _org("Bookmarked Org")
    asked = f"/orgs/{org_id}?status=deleted"
    sent = client.get(asked, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/login?next=")
    form = client.get(sent.headers["location"]).text
    assert f'name="next" value="{asked}"' in form.replace("&amp;", "&")
    signed_in = client.post("/login", data=admin_login(next=asked), follow_redirects=False)
    assert signed_in.headers["location"] == asked
    client.cookies.clear()


@pytest.mark.parametrize(
    "elsewhere", ["//evil.example/orgs", "https://evil.example/", "/\\evil.example", "/login"]
)
def test_the_login_never_returns_to_another_site(client: TestClient, elsewhere: str) -> None:
    client.cookies.clear()
    assert 'name="next"' not in client.get("/login", params={"next": elsewhere}).text
    signed_in = client.post("/login", data=admin_login(next=elsewhere), follow_redirects=False)
    assert signed_in.headers["location"] == "/admin"
    client.cookies.clear()


def test_an_htmx_request_without_a_session_returns_to_the_page_not_its_fragment(
    client: TestClient,
) -> None:
    client.cookies.clear()
    org_id = _org("Fragment Org")
    answer = client.get(
        f"/orgs/{org_id}/posts?status=deleted",
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver/orgs/{org_id}"},
        follow_redirects=False,
    )
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"] == f"/login?next=%2Forgs%2F{org_id}"


def test_a_creator_on_an_admin_page_is_told_it_is_for_admins(client: TestClient) -> None:
    token = issue_token(get_settings(), role=Role.creator, subject="c-1", creator_id="c-1")
    answer = client.get("/orgs", cookies={COOKIE_NAME: token}, headers=HTML)
    assert answer.status_code == 403
    assert "This page is for directory admins" in answer.text
    assert 'href="/inbox"' in answer.text and 'name="password"' not in answer.text
    signed_in = client.post(
        "/login/token", data={"token": token, "next": "/orgs"}, follow_redirects=False
    )
    assert signed_in.headers["location"] == "/inbox"
    client.cookies.clear()


# --- runs -------------------------------------------------------------------------------


def _row(page: str, run_id: str) -> str:
    rows = re.findall(r"<tr[ >].*?</tr>", page, flags=re.S)
    (row,) = [r for r in rows if f'data-run="{run_id}"' in r]
    return row


def test_runs_say_what_they_worked_on_and_who_started_them(admin: TestClient) -> None:
    """An admin's crawl names the organization and the admin; a crawl a tick started is
    housekeeping, links the tick, and the filter keeps the two apart."""
    with db.session_scope() as session:
        org = service.create_organization(session, name="Runs Org")
        for handle in ("@runs_org", "@runs_org_too"):
            source = service.add_source(
                session, organization=org, source_type="instagram", value=handle
            )
            service.set_source_status(session, source=source, status=SourceStatus.approved)
        org_id = str(org.id)
    started = admin.post(f"/orgs/{org_id}/crawl").text
    asked = sorted(set(re.findall(r'hx-get="/runs/([^"/]+)/progress"', started)))
    assert len(asked) == 2
    for run_id in asked:
        workflows.wait_for(run_id)
    with db.session_scope() as session:  # never crawled, so the tick finds it due
        org = service.get_organization_or_raise(session, ref=org_id)
        source = service.add_source(
            session, organization=org, source_type="instagram", value="@runs_org_new"
        )
        service.set_source_status(session, source=source, status=SourceStatus.approved)
    tick = DBOS.start_workflow(flows.crawl_due_sources)
    tick.get_result()
    children = [r for r in workflows.recent_runs(50) if r.parent_id == tick.workflow_id]
    assert children
    for child in children:
        workflows.wait_for(child.id)

    listing = admin.get("/runs").text
    mine = _row(listing, asked[0])
    assert f'<a href="/orgs/{org_id}">Runs Org</a>' in mine
    assert get_settings().admin_email in mine and 'data-kind="asked"' in mine
    theirs = _row(listing, children[0].id)
    assert 'data-kind="housekeeping"' in theirs and "Runs Org" in theirs
    assert f'<a href="/runs/{tick.workflow_id}">Another run</a>' in theirs
    housekeeping = admin.get("/runs", params={"kind": "housekeeping"}).text
    assert children[0].id in housekeeping and asked[0] not in housekeeping
    people = admin.get("/runs", params={"kind": "asked"}).text
    assert asked[0] in people and all(c.id not in people for c in children)
    assert 'aria-current="page">Asked for by a person' in people
    token = issue_token(get_settings(), role=Role.admin, subject="admin@sift.local")
    query = "query($id: String!) { workflowRun(id: $id) { subject startedBy housekeeping } }"
    for run_id, expected in (
        (asked[0], {"subject": "Runs Org", "startedBy": get_settings().admin_email}),
        (children[0].id, {"subject": "Runs Org", "startedBy": None, "housekeeping": True}),
    ):
        answer = admin.post(
            "/graphql",
            json={"query": query, "variables": {"id": run_id}},
            headers={"Authorization": f"Bearer {token}"},
        ).json()["data"]["workflowRun"]
        assert {"housekeeping": False, **expected} == answer


def test_a_run_page_lists_steps_in_words(admin: TestClient) -> None:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Steps Org")
        source = service.add_source(
            session, organization=org, source_type="instagram", value="@steps_org"
        )
        source_id = str(source.id)
        due = service.add_source(
            session, organization=org, source_type="instagram", value="@steps_org_due"
        )
        service.set_source_status(session, source=due, status=SourceStatus.approved)
    run_id = flows.start_crawl(source_id)
    workflows.wait_for(run_id)
    page = admin.get(f"/runs/{run_id}").text
    steps = re.findall(r'<span class="step-name">(.*?)</span>', page)
    assert steps == ["Load crawl target", "Fetch and store", "Record scrape outcome"]
    assert "setEvent" not in page and "DBOS" not in page
    assert "Command line or API" in page and "Steps Org" in page

    tick = DBOS.start_workflow(flows.crawl_due_sources)
    tick.get_result()
    tick_page = admin.get(f"/runs/{tick.workflow_id}").text
    assert "Started: Crawl" in tick_page and "listWorkflows" not in tick_page


def test_archiving_a_post_settles_the_edit_waiting_for_it(admin: TestClient) -> None:
    """An edit staged before the archive can no longer be applied: it leaves the queue
    with a line saying why, instead of waiting for a reviewer who cannot approve it."""
    org_id = _org("Settled Archive Org")
    admin.post(f"/orgs/{org_id}/posts/new", data=_new_post_form(title="Knitting circle"))
    [post] = _posts_of(org_id)
    edit = {"schedule.rows": "1", "title": "Knitting and crochet circle"}
    assert admin.post(f"/posts/{post.id}/edit", data=edit, follow_redirects=False).is_redirect
    admin.post(f"/posts/{post.id}/archive")
    with db.session_scope() as session:
        update = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.target_post_id == post.id,
                ProposedOperation.operation == OperationKind.update,
            )
        ).one()
        assert update.status is not ProposalStatus.pending
