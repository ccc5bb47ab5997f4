"""The review queue tells the truth (issue 20, point 4), read from the HTML it serves: each
decision's answer carries the heading's and the menu's counts and the cards of the
proposals it settled; a merge shows both posts side by side with what the absorbed one
loses; a field a proposal leaves alone is shown once; every decision also works as a plain
form post; bad addresses get one clear line.

The scenarios here are shared with the browser tests (`test_review_queue_browser.py`)."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.directory.models import BatchKind, Post, PostStatus, ProposedOperation
from sift.directory.proposals import batches, comparison, review, sync
from sift.directory.registry import service
from tests.web.test_pages import graphql

HTMX = {"HX-Request": "true"}
PANTRY = (
    "Free groceries and fresh produce for anyone who needs them, every Tuesday from 10am "
    "to 2pm at 412 Harbor Street. No ID and no appointment needed; volunteers help carry "
    "bags to the bus stop."
)


@dataclass(frozen=True)
class Lunch:
    """An insert and a clean-up merge that depend on each other, as issue 20 found them."""

    org_id: str
    insert_id: str
    merge_id: str


def lunch_org() -> Lunch:
    """A hand-typed "Lunch for Seniors", an extraction that missed it (so it stages an
    insert of "Senior Lunch Club") and a clean-up that merges the hand-typed listing into
    that draft: deciding one re-bases or withdraws the other."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Lunch Org {uuid.uuid4().hex[:6]}")
        typed = Post(
            organization_id=org.id,
            title="Lunch for Seniors",
            status=PostStatus.active,
            description="Hot lunch for seniors on weekdays at noon.",
            contact={"phone": "(555) 201-1000"},
        )
        session.add(typed)
        session.flush()
        fresh = sync.FreshPost(
            title="Senior Lunch Club",
            description="A hot lunch and company for anyone over 60, weekdays at noon.",
        )
        result = sync.stage_extraction(
            session, organization_id=org.id, fresh=[fresh], embedder=None
        )
        insert = session.scalars(
            sa.select(ProposedOperation).where(ProposedOperation.batch_id == result.batch_id)
        ).one()
        draft = session.get_one(Post, insert.draft_post_id)
        cleanup = sync.new_batch(
            session, organization_id=org.id, kind=BatchKind.cleanup, workflow_id=None
        )
        merge = sync.add_merge(
            session,
            batch=cleanup,
            canonical=draft,
            duplicates=[typed],
            content={**sync.post_content(draft), "contact": dict(typed.contact)},
            links=[],
            reason="The same lunch, typed in by hand and read from the website.",
        )
        session.flush()
        return Lunch(str(org.id), str(insert.id), str(merge.id))


def merge_org() -> tuple[str, str]:
    """A clean-up merge of "Pantry day at Harbor Light" into "Weekly Food Pantry": the kept
    post's long description stays, the absorbed one's short description and title go, its
    email and tags are carried over. Returns the organization and the merge."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Merge Org {uuid.uuid4().hex[:6]}")
        kept = Post(
            organization_id=org.id,
            title="Weekly Food Pantry",
            status=PostStatus.active,
            description=PANTRY,
            contact={"phone": "(555) 201-3344"},
        )
        absorbed = Post(
            organization_id=org.id,
            title="Pantry day at Harbor Light",
            status=PostStatus.active,
            description="Groceries on Tuesdays, bring a bag!",
            contact={"phone": "(555) 201-3344", "email": "pantry@harborlight.example"},
            tags=["food", "free"],
        )
        session.add_all([kept, absorbed])
        session.flush()
        batch = sync.new_batch(
            session, organization_id=org.id, kind=BatchKind.cleanup, workflow_id=None
        )
        content = {
            **sync.post_content(kept),
            "contact": {**kept.contact, "email": "pantry@harborlight.example"},
            "tags": ["food", "free"],
        }
        merge = sync.add_merge(
            session,
            batch=batch,
            canonical=kept,
            duplicates=[absorbed],
            content=content,
            links=[],
            reason="The same pantry seen on the website and on Instagram.",
        )
        session.flush()
        return str(org.id), str(merge.id)


def inserts_org(count: int = 3) -> tuple[str, str]:
    """An extraction batch of `count` new posts; returns the organization and the batch."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Batch Org {uuid.uuid4().hex[:6]}")
        fresh = [
            sync.FreshPost(title=f"Program {n}", description=f"Program {n}, every {day}.")
            for n, day in zip(range(count), ("Monday", "Tuesday", "Friday", "Sunday"), strict=False)
        ]
        result = sync.stage_extraction(session, organization_id=org.id, fresh=fresh, embedder=None)
        return str(org.id), str(result.batch_id)


def nav_count() -> int:
    with db.session_scope() as session:
        return batches.pending_count(session)


def out_of_band(html: str, element_id: str) -> str:
    """The element the answer sends out of band to replace `element_id` on the page."""
    found = re.search(
        rf'<(\w+)[^>]* id="{element_id}"[^>]*hx-swap-oob="true"[^>]*>(.*?)</\1>', html, re.DOTALL
    )
    assert found, f"no out-of-band #{element_id} in the answer"
    return found.group(2)


def heading_count(html: str) -> int:
    return int(re.search(r'<h1>Proposals <span class="small">(\d+) ', html).group(1))


def test_a_decision_answers_with_fresh_heading_and_menu_counts(admin: TestClient) -> None:
    lunch = lunch_org()
    assert heading_count(admin.get(f"/proposals?org={lunch.org_id}").text) == 2

    answer = admin.post(f"/proposals/{lunch.insert_id}/approve?org={lunch.org_id}", headers=HTMX)

    assert answer.status_code == 200
    assert json.loads(answer.headers["HX-Trigger"])["toast"] == "Approved."
    assert heading_count(out_of_band(answer.text, "queue-head")) == 1
    menu = out_of_band(answer.text, "nav-proposals")
    assert re.search(r"\((\d+)\)", menu).group(1) == str(nav_count())


def test_approving_the_insert_sends_the_re_based_merge_card_with_its_history(
    admin: TestClient,
) -> None:
    lunch = lunch_org()
    page = admin.get(f"/proposals?org={lunch.org_id}").text
    assert page.count("Depends on other proposals") == 2, "each names the other"

    answer = admin.post(f"/proposals/{lunch.insert_id}/approve?org={lunch.org_id}", headers=HTMX)

    merge_card = out_of_band(answer.text, f"proposal-{lunch.merge_id}")
    assert 'data-status="pending"' in answer.text.split(f'id="proposal-{lunch.merge_id}"')[1][:200]
    assert "Re-based after insert" in merge_card
    assert "Depends on other proposals" not in merge_card, "nothing left to depend on"


def test_approving_the_merge_first_sends_the_withdrawn_insert_in_the_same_answer(
    admin: TestClient,
) -> None:
    lunch = lunch_org()
    answer = admin.post(f"/proposals/{lunch.merge_id}/approve?org={lunch.org_id}", headers=HTMX)
    insert_card = out_of_band(answer.text, f"proposal-{lunch.insert_id}")
    assert "Withdrawn: &#39;Senior Lunch Club&#39; is published already" in insert_card
    assert heading_count(out_of_band(answer.text, "queue-head")) == 0


def test_a_batch_decision_answers_with_the_queue_and_the_counts(admin: TestClient) -> None:
    org_id, batch_id = inserts_org(3)
    query = f"org={org_id}&batch={batch_id}"
    assert "Approve all 3" in admin.get(f"/proposals?{query}").text

    answer = admin.post(f"/batches/{batch_id}/approve?{query}", headers=HTMX)

    assert json.loads(answer.headers["HX-Trigger"])["toast"] == "Approved 3 proposals."
    assert '<div id="queue"' in answer.text and "Nothing to review." in answer.text
    head = out_of_band(answer.text, "queue-head")
    assert heading_count(head) == 0 and "Approve all" not in head


def test_decisions_work_as_plain_form_posts_without_javascript(admin: TestClient) -> None:
    org_id, batch_id = inserts_org(2)
    page = admin.get(f"/proposals?org={org_id}").text
    first = re.search(r'formaction="(/proposals/[0-9a-f-]+/approve\?[^"]*)"', page).group(1)

    answer = admin.post(first.replace("&amp;", "&"))
    assert answer.status_code == 200 and heading_count(answer.text) == 1
    assert "<html" in answer.text, "the whole queue, not a fragment"

    answer = admin.post(f"/batches/{batch_id}/reject?org={org_id}")
    assert heading_count(answer.text) == 0
    assert "Rejected 1 proposal." in answer.text


def test_a_merge_shows_both_posts_and_what_the_absorbed_one_loses(admin: TestClient) -> None:
    org_id, merge_id = merge_org()
    page = admin.get(f"/proposals?org={org_id}&type=merge").text
    card = page.split(f'id="proposal-{merge_id}"')[1].split("</article>")[0]

    assert "Kept: Weekly Food Pantry" in card and "Absorbed: Pantry day at Harbor Light" in card
    assert "“Pantry day at Harbor Light” loses</strong> its title and description." in card
    assert card.count("lost in the merge") == 2, "its title and its description"
    assert card.count(PANTRY) == 1, "the kept description, which the merge keeps, shown once"
    assert "The same in both: Phone" in card
    assert "Unchanged: Title, Description, Phone" in card


def test_an_update_shows_the_fields_it_leaves_alone_once_pending_and_approved(
    admin: TestClient,
) -> None:
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Update Org {uuid.uuid4().hex[:6]}")
        post = Post(
            organization_id=org.id,
            title="Weekly Food Pantry",
            status=PostStatus.active,
            description=PANTRY,
            contact={"phone": "(555) 201-3344"},
        )
        session.add(post)
        session.flush()
        changed = sync.FreshPost(
            title=post.title, description=PANTRY, contact={"phone": "(555) 201-9999"}
        )
        sync.stage_extraction(session, organization_id=org.id, fresh=[changed], embedder=None)
        org_id = str(org.id)
    for status in ("pending", "approved"):  # once applied, it still shows what it changed
        page = admin.get(f"/proposals?org={org_id}&type=update&status={status}").text
        card = page.split('data-operation="update"')[1].split("</article>")[0]
        assert re.search(r"<summary>Unchanged: Title, Description</summary>", card)
        assert card.count(PANTRY) == 1
        phone = re.search(r'<tr class="changed"><th scope="row">Phone</th>(.*?)</tr>', card)
        assert "<del>201-3344</del>" in phone.group(1)
        assert "<ins>201-9999</ins>" in phone.group(1)
        proposal_id = re.search(r'id="proposal-([0-9a-f-]+)" data-operation="update"', page)
        if status == "pending":
            review.decide(proposal_id.group(1), approve=True, reviewer="ada@example.org")


def test_what_an_absorbed_post_loses_is_read_field_by_field() -> None:
    merged = {"Title": "Weekly Food Pantry", "When": "Tuesday 10am\nFriday 2pm", "Tags": "food"}
    assert comparison.lost("Title", "weekly food pantry!", merged) == ""
    assert comparison.lost("Title", "Pantry day", merged) == "Pantry day"
    assert comparison.lost("When", "Friday 2pm\nSunday 9am", merged) == "Sunday 9am"
    assert comparison.lost("Tags", "food, free", merged) == "free"
    assert comparison.lost("Email", "", merged) == ""


def test_bad_review_addresses_get_one_clear_line(admin: TestClient) -> None:
    _, batch_id = inserts_org(1)
    for url, status in (
        ("/proposals/not-a-proposal/approve", 404),
        (f"/proposals/{uuid.uuid4()}/approve", 404),
        (f"/batches/{batch_id}/explode", 404),
        ("/batches/not-a-batch/approve", 404),
    ):
        answer = admin.post(url, headers=HTMX)
        assert answer.status_code == status, (url, answer.status_code)
        assert "Traceback" not in answer.text
    assert "unknown status" in admin.get("/proposals?status=nonsense").text


def test_the_api_says_which_proposals_depend_on_each_other_and_what_became_of_them(
    admin: TestClient,
) -> None:
    lunch = lunch_org()
    query = (
        f'{{ batches(organizationId: "{lunch.org_id}", pendingOnly: false) '
        "{ proposals { id status dependsOn history } } }"
    )
    before = {p["id"]: p for b in graphql(admin, query)["batches"] for p in b["proposals"]}
    assert before[lunch.insert_id]["dependsOn"] == [lunch.merge_id]
    assert before[lunch.merge_id]["dependsOn"] == [lunch.insert_id]

    graphql(admin, f'mutation {{ approveProposal(id: "{lunch.insert_id}") {{ status }} }}')

    after = {p["id"]: p for b in graphql(admin, query)["batches"] for p in b["proposals"]}
    merge = after[lunch.merge_id]
    assert merge["status"] == "pending" and merge["dependsOn"] == []
    assert merge["history"][-1]["text"].startswith("Re-based after insert")
