"""The figures shown about organizations: sources, posts per status, pending proposals.

They join the registry's counts with the proposals' pending count, so they live above
both (the registry's service stays below the proposals that use it); the list, an
organization's page and the API read them here and never disagree.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sift.directory.models import PostStatus
from sift.directory.proposals import batches
from sift.directory.registry.service import (
    list_organizations,
    post_counts_by_organization,
    source_counts,
)


@dataclass(frozen=True)
class OrganizationFigures:
    """The figures shown about an organization, each from its one shared query, so the
    list, the organization's page and the API never disagree."""

    sources: int
    posts: dict[str, int]
    """Live posts per status, plus `deleted`."""
    pending_proposals: int

    @property
    def active_posts(self) -> int:
        return self.posts.get(PostStatus.active.value, 0)


NO_FIGURES = OrganizationFigures(sources=0, posts={}, pending_proposals=0)
"""An organization with nothing to count (no source, post or proposal yet)."""


def organization_figures(
    session: Session, *, organization_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, OrganizationFigures]:
    """Figures of the given organizations (every one by default): three grouped queries,
    whatever the number of organizations. Missing ids read as all zero."""
    ids = None if organization_ids is None else list(organization_ids)
    sources = source_counts(session, organization_ids=ids)
    posts = post_counts_by_organization(session, organization_ids=ids)
    pending = batches.pending_counts(session, organization_ids=ids)
    keys = ids if ids is not None else {*sources, *posts, *pending}
    return {
        org_id: OrganizationFigures(
            sources=sources.get(org_id, 0),
            posts=posts.get(org_id, {}),
            pending_proposals=pending.get(org_id, 0),
        )
        for org_id in keys
    }


def figures_of(session: Session, organization_id: uuid.UUID) -> OrganizationFigures:
    return organization_figures(session, organization_ids=[organization_id])[organization_id]


def organization_overview(session: Session) -> list[dict[str, object]]:
    """One row per organization for the admin's list, with its figures."""
    figures = organization_figures(session)
    return [
        {
            "id": org.id,
            "name": org.name,
            "figures": figures.get(org.id, NO_FIGURES),
            "last_extracted_at": org.last_extracted_at,
        }
        for org in list_organizations(session)
    ]
