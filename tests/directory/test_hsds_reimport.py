"""Re-importing HSDS never changes what the public sees without review: an unchanged export
changes nothing (tags and summaries included), a changed, withdrawn or revived service is
staged as a proposal, a merged post is never revived, and a pending website is never
published as the organization's."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.api import create_app
from sift.config import get_settings
from sift.directory.hsds import export, importer
from sift.directory.models import (
    Organization,
    Post,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    SourceStatus,
)
from sift.directory.proposals import review
from sift.directory.registry import service


def make_org(name: str, *, description: str | None = "Meals.") -> dict[str, str]:
    """An organization with three published posts carrying what HSDS has no field for
    (tags, a summary), one of them described only by its summary."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=name, description=description)
        posts = [
            Post(
                organization_id=org.id,
                status=PostStatus.active,
                title="Food Pantry",
                summary="Free groceries.",
                description="Free groceries for any household in the county.",
                tags=["category:food"],
                contact={"phone": "(555) 201-3344", "website": "https://pantry.example"},
                location="412 Harbor Street, Springfield, IL 62701",
                schedule=[{"days": ["Tuesday"], "start": "10:00", "end": "14:00", "note": None}],
            ),
            Post(
                organization_id=org.id,
                status=PostStatus.active,
                title="Senior Lunch",
                summary="Hot lunch for seniors.",
                tags=["category:food", "audience:seniors"],
                audience="seniors",
                location="St. Mark's church basement",
            ),
            Post(
                organization_id=org.id,
                status=PostStatus.active,
                title="Tax Help",
                description="Free tax preparation.",
                tags=["category:money"],
            ),
        ]
        session.add_all(posts)
        session.flush()
        return {"org": str(org.id), **{p.title: str(p.id) for p in posts}}


def export_to(org_id: str, folder: Path, fmt: str = "json") -> Path:
    with db.session_scope() as session:
        org = session.get_one(Organization, uuid.UUID(org_id))
        export.write(export.documents(session, organization=org), folder, fmt=fmt)
    return folder


def import_from(path: Path) -> importer.ImportResult:
    with db.session_scope() as session:
        return importer.store(session, importer.read(path))


def snapshot(org_id: str) -> list[tuple[Any, ...]]:
    with db.session_scope() as session:
        posts = session.scalars(
            sa.select(Post).where(Post.organization_id == uuid.UUID(org_id)).order_by(Post.title)
        )
        return [
            (p.title, p.summary, p.description, p.tags, p.contact, p.status, p.deleted_at)
            for p in posts
        ]


def pending_proposals(org_id: str) -> list[ProposedOperation]:
    with db.session_scope() as session:
        posts = sa.select(Post.id).where(Post.organization_id == uuid.UUID(org_id))
        found = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.status == ProposalStatus.pending,
                sa.or_(
                    ProposedOperation.target_post_id.in_(posts),
                    ProposedOperation.draft_post_id.in_(posts),
                ),
            )
        ).all()
        session.expunge_all()
        return list(found)


@pytest.mark.parametrize("fmt", ["json", "datapackage"])
def test_reimport_of_an_unchanged_export_changes_nothing(
    database: str, tmp_path: Path, fmt: str
) -> None:
    ids = make_org(f"Unchanged {fmt}")
    before = snapshot(ids["org"])
    result = import_from(export_to(ids["org"], tmp_path, fmt))
    assert (result.posts_created, result.changes_staged, result.posts_unchanged) == (0, 0, 3)
    assert result.organizations_updated == 0
    assert snapshot(ids["org"]) == before
    assert pending_proposals(ids["org"]) == []


def edit_service(folder: Path, org_id: str, name: str, **changes: Any) -> None:
    path = folder / f"{org_id}.json"
    document = json.loads(path.read_text())
    for item in document["services"]:
        if item["name"] == name:
            item.update(changes)
    path.write_text(json.dumps(document))


def test_a_changed_service_is_staged_and_approval_keeps_tags_and_summary(
    database: str, tmp_path: Path
) -> None:
    ids = make_org("Changed")
    before = snapshot(ids["org"])
    folder = export_to(ids["org"], tmp_path)
    edit_service(folder, ids["org"], "Tax Help", description="Free tax preparation, Mondays.")
    result = import_from(folder)
    assert (result.changes_staged, result.posts_unchanged) == (1, 2)
    assert snapshot(ids["org"]) == before  # nothing live changed
    [proposal] = pending_proposals(ids["org"])
    assert proposal.operation.value == "update"
    again = import_from(folder)  # importing the same change twice stages it once
    assert again.changes_staged == 1 and len(pending_proposals(ids["org"])) == 1
    [proposal] = pending_proposals(ids["org"])
    with db.session_scope() as session:
        review.approve_proposal(session, proposal_id=proposal.id, reviewer="test")
    with db.session_scope() as session:
        post = session.get_one(Post, uuid.UUID(ids["Tax Help"]))
        assert post.description == "Free tax preparation, Mondays."
        assert post.tags == ["category:money"]


def test_a_withdrawn_service_is_a_delete_proposal_not_a_silent_archive(
    database: str, tmp_path: Path
) -> None:
    ids = make_org("Withdrawn")
    before = snapshot(ids["org"])
    folder = export_to(ids["org"], tmp_path)
    edit_service(folder, ids["org"], "Senior Lunch", status="inactive")
    assert import_from(folder).changes_staged == 1
    assert snapshot(ids["org"]) == before
    [proposal] = pending_proposals(ids["org"])
    assert proposal.operation.value == "delete"


def test_a_deleted_or_merged_post_is_never_revived_without_review(
    database: str, tmp_path: Path
) -> None:
    ids = make_org("Revived")
    folder = export_to(ids["org"], tmp_path)
    with db.session_scope() as session:
        lunch = session.get_one(Post, uuid.UUID(ids["Senior Lunch"]))
        lunch.deleted_at, lunch.deleted_reason = db.utcnow(), "Closed"
        tax = session.get_one(Post, uuid.UUID(ids["Tax Help"]))
        tax.deleted_at, tax.deleted_reason = db.utcnow(), "Merged duplicate"
        tax.duplicate_of = uuid.UUID(ids["Food Pantry"])
    before = snapshot(ids["org"])
    result = import_from(folder)
    assert snapshot(ids["org"]) == before  # neither comes back by itself
    assert result.changes_staged == 1
    [restore] = pending_proposals(ids["org"])
    assert restore.operation.value == "restore"
    assert str(restore.target_post_id) == ids["Senior Lunch"]
    assert any("merged" in note for note in result.notes), result.notes


def test_a_datapackage_whose_organization_has_no_description_imports_again(
    database: str, tmp_path: Path
) -> None:
    ids = make_org("No description", description=None)
    result = import_from(export_to(ids["org"], tmp_path, "datapackage"))
    assert result.posts_unchanged == 3


def test_a_pending_website_is_not_published_as_the_organizations(
    database: str, tmp_path: Path
) -> None:
    ids = make_org("Pending site")
    with db.session_scope() as session:
        org = session.get_one(Organization, uuid.UUID(ids["org"]))
        service.add_source(
            session, organization=org, source_type="website", value="pending.example"
        )
    with TestClient(create_app(get_settings(), manage_runtime=False)) as client:
        assert "website" not in client.get(f"/hsds/organizations/{ids['org']}").json()
        page = client.get(f"/organizations/{ids['org']}")
        assert page.status_code == 200 and "pending.example" not in page.text
        with db.session_scope() as session:
            org = session.get_one(Organization, uuid.UUID(ids["org"]))
            [source] = service.list_sources(session, organization=org)
            service.set_source_status(session, source=source, status=SourceStatus.approved)
        document = client.get(f"/hsds/organizations/{ids['org']}").json()
        assert document["website"] == "https://pending.example"
        assert "pending.example" in client.get(f"/organizations/{ids['org']}").text
