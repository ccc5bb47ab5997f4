"""Admin pages over HTTP: an empty organization renders, sources are managed from the
organization page with clear error banners, a stale proposal shows why it was refused."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from fastapi.testclient import TestClient

from sift import db
from sift.directory.models import Post, ProposedOperation, Source, SourceStatus
from sift.directory.proposals import sync
from sift.directory.registry import service


def _org(name: str) -> str:
    with db.session_scope() as session:
        return str(service.create_organization(session, name=name).id)


def test_an_empty_organization_page_renders(admin: TestClient) -> None:
    org_id = _org("Empty Org")
    page = admin.get(f"/orgs/{org_id}")
    assert page.status_code == 200
    assert "No sources yet" in page.text and "No active posts." in page.text
    assert "Active (0)" in page.text and "Deleted (0)" in page.text
    assert "Extract posts" in page.text and "Clean up posts" in page.text
    assert admin.get("/orgs").status_code == 200
    assert "Nothing to review." in admin.get(f"/proposals?org={org_id}").text


def test_sources_are_added_approved_and_deactivated_from_the_org_page(admin: TestClient) -> None:
    org_id = _org("Managed Org")
    bad = admin.post(
        f"/orgs/{org_id}/sources", data={"source_type": "website", "value": "not a domain"}
    )
    assert bad.status_code == 200 and 'role="alert"' in bad.text
    with db.session_scope() as session:
        assert (
            session.scalar(
                sa.select(sa.func.count())
                .select_from(Source)
                .where(Source.organization_id == uuid.UUID(org_id))
            )
            == 0
        )
    admin.post(
        f"/orgs/{org_id}/sources", data={"source_type": "instagram", "value": "@managed_org"}
    )
    with db.session_scope() as session:
        source = session.scalars(
            sa.select(Source).where(Source.organization_id == uuid.UUID(org_id))
        ).one()
        source_id = str(source.id)
    admin.post(f"/orgs/{org_id}/sources/{source_id}", data={"action": "approve"})
    admin.post(f"/orgs/{org_id}/sources/{source_id}", data={"action": "deactivate"})
    with db.session_scope() as session:
        source = session.get(Source, uuid.UUID(source_id))
        assert source.status is SourceStatus.approved and source.active is False
    assert "instagram:managed_org" in admin.get(f"/orgs/{org_id}").text


def test_a_stale_proposal_is_refused_with_a_banner(admin: TestClient) -> None:
    org_id = _org("Stale Org")
    with db.session_scope() as session:
        result = sync.stage_extraction(
            session,
            organization_id=uuid.UUID(org_id),
            fresh=[sync.FreshPost(title="Book club", description="Thursdays 7pm.")],
            embedder=None,
        )
        proposal = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.batch_id == uuid.UUID(result.batch_id)
            )
        ).one()
        session.get(Post, proposal.draft_post_id).version += 1
    answer = admin.post(f"/proposals/{proposal.id}/approve")
    assert answer.status_code == 200
    assert "changed after this proposal was staged" in answer.text
    assert "Approve" in answer.text, "the proposal stays pending and can be reviewed again"
    assert "Pending (1)" in admin.get(f"/orgs/{org_id}").text


def test_workflow_runs_page_lists_runs(admin: TestClient) -> None:
    page = admin.get("/runs")
    assert page.status_code == 200 and "Workflow runs" in page.text
