"""The queries behind HSDS export and the read API: what the directory publishes.

Only published posts leave Sift: `active`, not deleted, of an organization that is not
deleted. Pending drafts and rejected posts are an admin's business, never the public's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sift import db
from sift.directory.hsds import mapping
from sift.directory.models import Organization, Post, PostStatus, Source, SourceStatus, SourceType
from sift.errors import NotFound


class HsdsNotFound(NotFound):
    """No published service or organization has the id asked for."""


def published_posts() -> sa.Select[Post]:
    return (
        sa.select(Post)
        .join(Organization, Organization.id == Post.organization_id)
        .where(Post.status == PostStatus.active, Post.deleted_at.is_(None))
        .where(Organization.deleted_at.is_(None))
        .order_by(Post.title, Post.id)
    )


def live_organizations() -> sa.Select[Organization]:
    return (
        sa.select(Organization)
        .where(Organization.deleted_at.is_(None))
        .order_by(Organization.name, Organization.id)
    )


MAX_SEARCH_CHARS = 200
MAX_SEARCH_WORDS = 8
"""A public search is bounded like the directory's own: each word is one more trigram
lookup over every published post, and 100 repeated words took 45 s on 10,000 posts."""


def search_words(search: str | None) -> list[str]:
    """The distinct words of a visitor's search, in order, within the public bounds: the
    first 200 characters and the first 8 different words. Clipped, not refused: the HSDS
    specification lets a client send any string, and the directory's own search box reads
    the same words. NUL characters are dropped (PostgreSQL text cannot hold them)."""
    text = (search or "")[:MAX_SEARCH_CHARS].replace("\x00", "")
    return list(dict.fromkeys(text.lower().split()))[:MAX_SEARCH_WORDS]


def matching(query: sa.Select[Any], search: str | None, *columns: Any) -> sa.Select[Any]:
    """`query` narrowed to rows whose `columns` contain every word of `search`."""
    for word in search_words(search):
        pattern = db.contains_pattern(word)
        query = query.where(sa.or_(*(c.ilike(pattern, escape="\\") for c in columns)))
    return query


def websites_of(session: Session, *, organization_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each organization's website, approved ones only: a pending website is anyone's
    claim (an import, a typo) until an admin approves it, so it is never published."""
    rows = session.execute(
        sa.select(Source.organization_id, Source.url)
        .where(Source.organization_id.in_(list(organization_ids)), Source.url.is_not(None))
        .where(Source.source_type == SourceType.website, Source.status == SourceStatus.approved)
        .order_by(Source.created_at)
    )
    found: dict[uuid.UUID, str] = {}
    for organization_id, url in rows:
        assert url is not None  # the query keeps only sources with a url
        found.setdefault(organization_id, url)
    return found


def organization_summaries(
    session: Session, organizations: Sequence[Organization]
) -> list[dict[str, Any]]:
    """The one-to-one fields of each organization: what a list of organizations shows."""
    websites = websites_of(session, organization_ids=[org.id for org in organizations])
    return [
        mapping.organization_summary(
            mapping.hsds_organization(org, website=websites.get(org.id), services=[])
        )
        for org in organizations
    ]


def organization_document(session: Session, organization: Organization) -> dict[str, Any]:
    """The organization with every published post as a fully nested service."""
    posts = session.scalars(published_posts().where(Post.organization_id == organization.id))
    organization_id = str(organization.id)
    services = [mapping.hsds_service(post, organization_id=organization_id) for post in posts]
    website = websites_of(session, organization_ids=[organization.id]).get(organization.id)
    return mapping.hsds_organization(organization, website=website, services=services)


def service_document(session: Session, post: Post) -> dict[str, Any]:
    """A published post as a fully nested service, with its organization's own fields."""
    organization = session.get_one(Organization, post.organization_id)
    document = mapping.hsds_service(post, organization_id=str(organization.id))
    return {**document, "organization": organization_summaries(session, [organization])[0]}


def get_published_post_or_raise(session: Session, *, ref: str) -> Post:
    post = session.scalar(published_posts().where(Post.id == _uuid_or_raise(ref, "service")))
    if post is None:
        raise HsdsNotFound(f"no published service with id {ref!r}")
    return post


def get_organization_or_raise(session: Session, *, ref: str) -> Organization:
    found = session.scalar(
        live_organizations().where(Organization.id == _uuid_or_raise(ref, "organization"))
    )
    if found is None:
        raise HsdsNotFound(f"no organization with id {ref!r}")
    return found


def _uuid_or_raise(ref: str, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(ref)
    except ValueError:
        raise HsdsNotFound(f"no {kind} with id {ref!r} (ids are UUIDs)") from None
