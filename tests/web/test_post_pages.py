"""Post pages: an admin opens a post from its organization, reads it as users will (with
safe contact links), sees its history and the pages it came from, and stages an edit that
waits for review like any other change."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.db import utcnow
from sift.directory.models import (
    ExtractionPage,
    OperationKind,
    Post,
    PostRevision,
    ProposalStatus,
    ProposedOperation,
)
from sift.directory.proposals import review, sync
from sift.directory.proposals.post_pages import edit_form_values
from sift.directory.registry import service

HTML = {"Accept": "text/html"}


def page_url(name: str) -> str:
    return f"https://{'-'.join(name.lower().split())}.example/services/food"


def _published_post(name: str, contact: dict[str, str]) -> tuple[str, str]:
    """An organization with one website source and one approved post extracted from a
    cached page; returns (org id, post id)."""
    domain = "-".join(name.lower().split()) + ".example"
    with db.session_scope() as session:
        org = service.create_organization(session, name=name)
        source = service.add_source(session, organization=org, source_type="website", value=domain)
        session.add(
            ExtractionPage(
                url=page_url(name),
                site_url=f"https://{domain}",
                title="Food pantry hours",
                content="Open Tuesdays.",
                content_hash="0" * 64,
                fetched_at=utcnow(),
            )
        )
        result = sync.stage_extraction(
            session,
            organization_id=org.id,
            fresh=[
                sync.FreshPost(
                    title="Food pantry",
                    summary="Groceries for families.",
                    description="## What\n\nFree **groceries** every week.",
                    contact=contact,
                    location="12 Harbor Rd",
                    schedule=[{"days": ["Tue"], "start": "10:00", "end": "14:00"}],
                    links=[(str(source.id), page_url(name))],
                )
            ],
            embedder=None,
        )
        org_id = str(org.id)
        insert = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.batch_id == uuid.UUID(result.batch_id)
            )
        ).one()
        proposal_id, post_id = str(insert.id), str(insert.draft_post_id)
    review.decide(proposal_id, approve=True, reviewer="ada@example.org")
    return org_id, post_id


def test_a_post_page_shows_content_history_and_source_pages(admin: TestClient) -> None:
    org_id, post_id = _published_post(
        "Harbor Pantry",
        {"intake_form": "https://harbor-pantry.example/form", "email": "help@harbor.example"},
    )
    assert f'href="/posts/{post_id}"' in admin.get(f"/orgs/{org_id}").text
    page = admin.get(f"/posts/{post_id}")
    assert page.status_code == 200
    text = page.text
    assert "<h2>What</h2>" in text and "<strong>groceries</strong>" in text, "Markdown rendered"
    assert "Intake form" in text and "intake_form</dt>" not in text
    assert '<a href="https://harbor-pantry.example/form"' in text
    assert '<a href="mailto:help@harbor.example"' in text
    assert "Tuesday 10 am \u2013 2 pm" in text and "12 Harbor Rd" in text
    assert f'<a href="{page_url("Harbor Pantry")}"' in text and "Food pantry hours" in text
    assert "Add Food pantry" in text and "ada@example.org" in text and "approved" in text


def test_an_edit_stages_an_update_proposal_and_leaves_the_post_unchanged(
    admin: TestClient,
) -> None:
    _, post_id = _published_post("Edited Pantry", {"phone": "(555) 201-3344"})
    answer = admin.post(
        f"/posts/{post_id}/edit",
        data={
            "title": "Food pantry",
            "summary": "Groceries for every family.",
            "description": "Free groceries every week.",
            "contact.phone": "(555) 201-3344",
            "tags": "food",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    with db.session_scope() as session:
        post = session.get(Post, uuid.UUID(post_id))
        assert post.summary == "Groceries for families." and post.version == 2
        staged = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.target_post_id == post.id,
                ProposedOperation.operation == OperationKind.update,
            )
        ).one()
        assert staged.status is ProposalStatus.pending and staged.requested_by
        staged_id = str(staged.id)
    page = admin.get(f"/posts/{post_id}").text
    assert "Waiting for review: update Food pantry" in page and staged_id in page
    review.decide(staged_id, approve=True, reviewer="ada@example.org")
    with db.session_scope() as session:
        assert session.get(Post, uuid.UUID(post_id)).summary == "Groceries for every family."


def test_bad_edit_input_is_a_one_line_400_page(admin: TestClient) -> None:
    _, post_id = _published_post("Blank Pantry", {})
    answer = admin.post(f"/posts/{post_id}/edit", data={"title": "  "}, headers=HTML)
    assert answer.status_code == 400 and "a post needs a title" in answer.text


def test_an_unknown_post_is_the_styled_not_found_page(admin: TestClient) -> None:
    for post_id in [str(uuid.uuid4()), "not-an-id"]:
        page = admin.get(f"/posts/{post_id}", headers=HTML)
        assert page.status_code == 404
        assert 'class="card error-page"' in page.text and "Not found" in page.text


def test_a_javascript_contact_url_is_shown_as_text_not_a_link(admin: TestClient) -> None:
    _, post_id = _published_post("Risky Pantry", {"website": "javascript:alert(1)"})
    page = admin.get(f"/posts/{post_id}").text
    assert "javascript:alert(1)" in page
    assert 'href="javascript:' not in page.lower()


def staged_update(post_id: str) -> ProposedOperation | None:
    with db.session_scope() as session:
        return session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.target_post_id == uuid.UUID(post_id),
                ProposedOperation.operation == OperationKind.update,
            )
        ).one_or_none()


def edit_form(post_id: str, **changes: object) -> dict[str, object]:
    """The form as the page fills it, with `changes` typed over it."""
    with db.session_scope() as session:
        post = session.get_one(Post, uuid.UUID(post_id))
        return {**edit_form_values(post, None), **changes}


def test_a_schedule_edit_is_staged_and_applied_on_approval(admin: TestClient) -> None:
    """The schedule is edited as fields: weekdays, weeks of the month, times, a season,
    by appointment, a note and closed dates, one row per entry and a blank row to add one."""
    _, post_id = _published_post("Scheduled Pantry", {})
    form = edit_form(post_id)
    assert form["schedule.rows"] == "2"
    assert form["schedule.0.days"] == ["Tuesday"] and form["schedule.0.start"] == "10:00"
    assert form["schedule.1.days"] == [] and form["schedule.1.start"] == ""
    page = admin.get(f"/posts/{post_id}").text
    assert 'name="schedule.0.days" value="Tuesday" checked' in page
    assert 'type="time" name="schedule.0.start" value="10:00"' in page
    form["schedule.0.days"] = ["Tuesday", "Thursday"]
    form |= {
        "schedule.1.days": ["Saturday"],
        "schedule.1.weeks": ["1", "-1"],
        "schedule.1.start": "09:00",
        "schedule.1.valid_from": "2026-02-01",
        "schedule.1.valid_to": "2026-04-30",
        "schedule.1.by_appointment": "1",
        "schedule.1.note": "bring ID",
        "schedule.1.closed_on": "2026-04-04, 2026-03-07",
    }
    answer = admin.post(f"/posts/{post_id}/edit", data=form, follow_redirects=False)
    assert answer.status_code == 303
    staged = staged_update(post_id)
    assert staged is not None
    review.decide(str(staged.id), approve=True, reviewer="ada@example.org")
    with db.session_scope() as session:
        assert session.get_one(Post, uuid.UUID(post_id)).schedule == [
            {"days": ["Tuesday", "Thursday"], "start": "10:00", "end": "14:00", "note": None},
            {
                "days": ["Saturday"],
                "start": "09:00",
                "end": None,
                "note": "bring ID",
                "weeks_of_month": [1, -1],
                "valid_from": "2026-02-01",
                "valid_to": "2026-04-30",
                "by_appointment": True,
                "closed_on": ["2026-03-07", "2026-04-04"],
            },
        ]


def test_a_bad_schedule_is_one_line_and_keeps_what_was_typed(admin: TestClient) -> None:
    _, post_id = _published_post("Typo Pantry", {})
    form = edit_form(
        post_id,
        summary="A new summary",
        **{"schedule.1.days": ["Friday"], "schedule.1.start": "25:00", "schedule.1.note": "x"},
    )
    answer = admin.post(f"/posts/{post_id}/edit", data=form, headers=HTML)
    assert answer.status_code == 400
    assert "schedule row 2: 25:00 is not a time of day" in answer.text
    assert 'name="schedule.1.start" value="25:00"' in answer.text
    assert 'name="schedule.1.days" value="Friday" checked' in answer.text
    assert 'value="A new summary"' in answer.text
    assert staged_update(post_id) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"schedule.1.days": ["Funday"]}, "'Funday' is not a weekday"),
        ({"schedule.1.days": ["Monday"], "schedule.1.weeks": ["9"]}, "1st-5th or last"),
        ({"schedule.1.start": "10:00"}, "tick the days it runs on"),
        (
            {"schedule.1.days": ["Monday"], "schedule.1.valid_from": "2026-13-01"},
            "'2026-13-01' is not a date",
        ),
        (
            {
                "schedule.1.days": ["Monday"],
                "schedule.1.valid_from": "2026-05-01",
                "schedule.1.valid_to": "2026-04-01",
            },
            "the season ends before it starts",
        ),
        ({"schedule.1.days": ["Monday"], "schedule.1.closed_on": "Christmas"}, "is not a date"),
        ({"schedule.rows": "5000"}, "at most 30 schedule rows"),
    ],
)
def test_every_bad_schedule_field_is_refused_in_one_line(
    admin: TestClient, fields: dict[str, object], message: str
) -> None:
    _, post_id = _published_post(f"Bad {uuid.uuid4().hex[:6]}", {})
    answer = admin.post(f"/posts/{post_id}/edit", data=edit_form(post_id, **fields), headers=HTML)
    assert answer.status_code == 400 and message in answer.text.replace("&#39;", "'")


def test_an_untouched_schedule_is_kept_as_stored(admin: TestClient) -> None:
    """The form shows the entries it can read; an edit of another field keeps the stored
    schedule whole, an entry the form cannot show included."""
    _, post_id = _published_post("Kept Pantry", {})
    stored = [
        {"days": ["Tue"], "start": "10:00", "end": "14:00"},
        {"days": ["someday"], "start": "later"},
    ]
    with db.session_scope() as session:
        session.get_one(Post, uuid.UUID(post_id)).schedule = stored
    answer = admin.post(
        f"/posts/{post_id}/edit", data=edit_form(post_id, title="Pantry"), follow_redirects=False
    )
    assert answer.status_code == 303
    staged = staged_update(post_id)
    assert staged is not None
    with db.session_scope() as session:
        revision = session.get_one(PostRevision, staged.revision_id)
        assert revision.content["schedule"] == stored and revision.content["title"] == "Pantry"
