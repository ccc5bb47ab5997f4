"""GraphQL types and resolvers of the directory (admin only), plus its UI routes.

Resolvers stay thin: authorise, open a unit of work, call the service, shape the answer.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from fastapi import APIRouter

from sift import db
from sift.api import blocking, info_context
from sift.directory import flows, service
from sift.directory.models import Organization as OrganizationRow
from sift.directory.models import Source as SourceRow
from sift.directory.models import SourceStatus

router = APIRouter(include_in_schema=False)


@strawberry.type
class Source:
    id: strawberry.ID
    organization_id: strawberry.ID
    source_type: str
    label: str
    url: str | None
    site_url: str
    status: str
    active: bool
    scrape_frequency_hours: int
    last_scraped_at: datetime | None
    last_error: str | None

    @classmethod
    def of(cls, row: SourceRow) -> Source:
        return cls(
            id=strawberry.ID(str(row.id)),
            organization_id=strawberry.ID(str(row.organization_id)),
            source_type=row.source_type.value,
            label=service.source_label(row),
            url=row.url,
            site_url=service.source_site_url(row),
            status=row.status.value,
            active=row.active,
            scrape_frequency_hours=row.scrape_frequency_hours,
            last_scraped_at=row.last_scraped_at,
            last_error=row.last_error,
        )


@strawberry.type
class Organization:
    id: strawberry.ID
    name: str
    description: str | None
    last_extracted_at: datetime | None
    sources: list[Source]

    @classmethod
    def of(cls, row: OrganizationRow) -> Organization:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            description=row.description,
            last_extracted_at=row.last_extracted_at,
            sources=[Source.of(s) for s in row.sources],
        )


@strawberry.type
class WorkflowStarted:
    workflow_id: str


def _admin(info: strawberry.Info) -> None:
    info_context(info).principal.require_admin()


@strawberry.type
class Query:
    @strawberry.field
    @blocking
    def organizations(self, info: strawberry.Info) -> list[Organization]:
        _admin(info)
        with db.session_scope() as session:
            return [Organization.of(o) for o in service.list_organizations(session)]

    @strawberry.field
    @blocking
    def organization(self, info: strawberry.Info, id: strawberry.ID) -> Organization:
        _admin(info)
        with db.session_scope() as session:
            return Organization.of(service.get_organization_or_raise(session, ref=str(id)))

    @strawberry.field
    @blocking
    def sources(
        self, info: strawberry.Info, organization_id: strawberry.ID | None = None
    ) -> list[Source]:
        _admin(info)
        with db.session_scope() as session:
            org = (
                service.get_organization_or_raise(session, ref=str(organization_id))
                if organization_id
                else None
            )
            return [Source.of(s) for s in service.list_sources(session, organization=org)]


@strawberry.type
class Mutation:
    @strawberry.mutation
    @blocking
    def create_organization(
        self, info: strawberry.Info, name: str, description: str | None = None
    ) -> Organization:
        _admin(info)
        with db.session_scope() as session:
            org = service.create_organization(session, name=name, description=description)
            session.refresh(org)
            return Organization.of(org)

    @strawberry.mutation
    @blocking
    def add_source(
        self,
        info: strawberry.Info,
        organization_id: strawberry.ID,
        source_type: str,
        value: str,
        scrape_frequency_hours: int = 24,
    ) -> Source:
        _admin(info)
        with db.session_scope() as session:
            org = service.get_organization_or_raise(session, ref=str(organization_id))
            source = service.add_source(
                session,
                organization=org,
                source_type=source_type,
                value=value,
                scrape_frequency_hours=scrape_frequency_hours,
            )
            return Source.of(source)

    @strawberry.mutation
    @blocking
    def set_source_status(self, info: strawberry.Info, id: strawberry.ID, status: str) -> Source:
        _admin(info)
        try:
            wanted = SourceStatus(status)
        except ValueError:
            raise service.InvalidSource(
                "status must be one of pending, approved, rejected"
            ) from None
        with db.session_scope() as session:
            source = service.get_source_or_raise(session, ref=str(id))
            return Source.of(service.set_source_status(session, source=source, status=wanted))

    @strawberry.mutation
    @blocking
    def set_source_active(self, info: strawberry.Info, id: strawberry.ID, active: bool) -> Source:
        _admin(info)
        with db.session_scope() as session:
            source = service.get_source_or_raise(session, ref=str(id))
            return Source.of(service.set_source_active(session, source=source, active=active))

    @strawberry.mutation
    @blocking
    def crawl_source(self, info: strawberry.Info, id: strawberry.ID) -> WorkflowStarted:
        _admin(info)
        with db.session_scope() as session:
            source_id: uuid.UUID = service.get_source_or_raise(session, ref=str(id)).id
        return WorkflowStarted(workflow_id=flows.start_crawl(source_id))
