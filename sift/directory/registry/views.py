"""The registry's admin face: GraphQL types and resolvers for organizations, sources and
posts, and the organization pages, whose buttons start the crawl, extraction and clean-up
workflows.

Resolvers stay thin: authorise, open a unit of work, call the service, shape the answer.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from strawberry.scalars import JSON

from sift import db, workflows
from sift.api import blocking, info_context
from sift.directory.cleanup import flows as cleanup_flows
from sift.directory.extraction import flows as extraction_flows
from sift.directory.models import Organization as OrganizationRow
from sift.directory.models import Post as PostRow
from sift.directory.models import Source as SourceRow
from sift.directory.models import SourceStatus
from sift.directory.proposals import batches, recovery
from sift.directory.registry import figures, flows, service
from sift.errors import SiftError
from sift.web import admin_page, charts, render

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
    active_posts: int
    post_counts: JSON
    """Live posts per status, plus `deleted`."""
    pending_proposals: int

    @classmethod
    def of(cls, row: OrganizationRow, shown: figures.OrganizationFigures) -> Organization:
        """The figures come from `figures.organization_figures`, as on every page."""
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            description=row.description,
            last_extracted_at=row.last_extracted_at,
            sources=[Source.of(s) for s in row.sources],
            active_posts=shown.active_posts,
            post_counts=JSON(shown.posts),
            pending_proposals=shown.pending_proposals,
        )

    @classmethod
    def one(cls, session: Session, row: OrganizationRow) -> Organization:
        return cls.of(row, figures.figures_of(session, row.id))


@strawberry.type
class WorkflowStarted:
    workflow_id: str


@strawberry.type
class Post:
    id: strawberry.ID
    organization_id: strawberry.ID
    title: str
    summary: str | None
    description: str
    status: str
    audience: str | None
    location: str | None
    contact: JSON
    schedule: JSON
    tags: list[str]
    version: int
    source_labels: list[str]
    duplicate_of: strawberry.ID | None
    deleted_at: datetime | None
    deleted_reason: str | None

    @classmethod
    def of(cls, row: PostRow) -> Post:
        return cls(
            id=strawberry.ID(str(row.id)),
            organization_id=strawberry.ID(str(row.organization_id)),
            title=row.title,
            summary=row.summary,
            description=row.description,
            status=row.status.value,
            audience=row.audience,
            location=row.location,
            contact=JSON(row.contact),
            schedule=JSON(row.schedule),
            tags=list(row.tags),
            version=row.version,
            source_labels=sorted({s.source_type.value for s in row.sources}),
            duplicate_of=strawberry.ID(str(row.duplicate_of)) if row.duplicate_of else None,
            deleted_at=row.deleted_at,
            deleted_reason=row.deleted_reason,
        )


def _admin(info: strawberry.Info) -> str:
    """The admin asking (as runs record who started them); anyone else is refused."""
    return info_context(info).principal.require_admin().actor


@strawberry.type
class Query:
    @strawberry.field
    @blocking
    def organizations(self, info: strawberry.Info) -> list[Organization]:
        _admin(info)
        with db.session_scope() as session:
            by_org = figures.organization_figures(session)
            return [
                Organization.of(o, by_org.get(o.id, figures.NO_FIGURES))
                for o in service.list_organizations(session)
            ]

    @strawberry.field
    @blocking
    def organization(self, info: strawberry.Info, id: strawberry.ID) -> Organization:
        _admin(info)
        with db.session_scope() as session:
            row = service.get_organization_or_raise(session, ref=str(id))
            return Organization.one(session, row)

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

    @strawberry.field
    @blocking
    def posts(
        self, info: strawberry.Info, organization_id: strawberry.ID, status: str | None = None
    ) -> list[Post]:
        _admin(info)
        with db.session_scope() as session:
            org = service.get_organization_or_raise(session, ref=str(organization_id))
            return [
                Post.of(p)
                for p in service.list_posts(session, organization_id=org.id, status=status)
            ]


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
            return Organization.one(session, org)

    @strawberry.mutation
    @blocking
    def update_organization(
        self, info: strawberry.Info, id: strawberry.ID, name: str, description: str | None = None
    ) -> Organization:
        """The same correction as the organization page's "Edit details"."""
        _admin(info)
        with db.session_scope() as session:
            org = service.get_organization_or_raise(session, ref=str(id))
            service.update_organization(
                session, organization=org, name=name, description=description
            )
            return Organization.one(session, org)

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
            raise service.InvalidInput(
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
        actor = _admin(info)
        with db.session_scope() as session:
            source_id: uuid.UUID = service.get_source_or_raise(session, ref=str(id)).id
        with workflows.started_by(actor):
            return WorkflowStarted(workflow_id=flows.start_crawl(source_id))

    @strawberry.mutation
    @blocking
    def extract_org_posts(
        self, info: strawberry.Info, organization_id: strawberry.ID
    ) -> WorkflowStarted:
        actor = _admin(info)
        org_id = _org_id(organization_id)
        with workflows.started_by(actor):
            return WorkflowStarted(workflow_id=extraction_flows.start_extraction(org_id))

    @strawberry.mutation
    @blocking
    def clean_up_org_posts(
        self, info: strawberry.Info, organization_id: strawberry.ID
    ) -> WorkflowStarted:
        actor = _admin(info)
        org_id = _org_id(organization_id)
        with workflows.started_by(actor):
            return WorkflowStarted(workflow_id=cleanup_flows.start_cleanup(org_id))


def _org_id(ref: str) -> uuid.UUID:
    with db.session_scope() as session:
        return service.get_organization_or_raise(session, ref=str(ref)).id


POST_TABS = [
    ("active", "Active"),
    ("pending_approval", "Pending"),
    ("rejected", "Rejected"),
    ("deleted", "Deleted"),
]


@router.get("/orgs", response_class=HTMLResponse)
def orgs_page(request: Request) -> HTMLResponse:
    admin_page(request)
    with db.session_scope() as session:
        rows = figures.organization_overview(session)
    return render(request, "directory/orgs.html", orgs=rows)


@router.post("/orgs")
def add_org(request: Request, name: str = Form("")) -> Response:
    admin_page(request)
    try:
        with db.session_scope() as session:
            org = service.create_organization(session, name=name)
    except SiftError as error:
        with db.session_scope() as session:
            rows = figures.organization_overview(session)
        return render(request, "directory/orgs.html", orgs=rows, error=str(error))
    return RedirectResponse(f"/orgs/{org.id}", status_code=303)


def _posts_context(session: Session, org: OrganizationRow, status: str) -> dict:
    if status not in dict(POST_TABS):
        status = "active"
    return {
        "org": org,
        "status": status,
        "status_label": dict(POST_TABS)[status].lower(),
        "tabs": POST_TABS,
        "counts": service.post_counts(session, organization_id=org.id),
        "posts": service.list_posts(session, organization_id=org.id, status=status),
    }


def _org_page(
    request: Request,
    org_id: str,
    status: str = "active",
    source_error: str | None = None,
    *,
    details: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> HTMLResponse:
    """The organization page; after a refused edit of its details, the form shows what
    the admin typed with each problem beside its field (and opens by itself)."""
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        sources = [
            {
                "id": str(s.id),
                "label": service.source_label(s),
                "type": s.source_type.value,
                "status": s.status.value,
                "active": s.active,
                "last_scraped_at": s.last_scraped_at,
                "last_error": s.last_error,
            }
            for s in service.list_sources(session, organization=org)
        ]
        pending = batches.pending_count(session, organization_id=org.id)
        return render(
            request,
            "directory/org.html",
            sources=sources,
            crawl_charts=_crawl_charts(sources),
            pending=pending,
            source_error=source_error,
            details=details or {"name": org.name, "description": org.description or ""},
            problems=problems or {},
            status_code=400 if problems else 200,
            **_posts_context(session, org, status),
        )


def _crawl_charts(sources: list[dict]) -> dict[str, Markup]:
    """Per source, its latest crawls: pages fetched, green when the crawl succeeded."""
    history = flows.crawl_history([s["id"] for s in sources])
    return {
        source["id"]: charts.stacked_bars(
            f"Crawls of {source['label']}: pages fetched",
            [
                charts.Bar(
                    label=run.created_at.strftime("%m-%d") if run.created_at else "?",
                    segments={run.outcome: _pages_fetched(run.output)},
                    href=f"/runs/{run.id}",
                )
                for run in history[source["id"]]
            ],
            empty="Never crawled.",
        )
        for source in sources
    }


def _pages_fetched(output: object) -> int:
    if not isinstance(output, dict):
        return 0
    return int(output.get("pages_stored", 0)) + int(output.get("pages_unchanged", 0))


@router.get("/orgs/{org_id}", response_class=HTMLResponse)
def org_page(request: Request, org_id: str, status: str = "active") -> HTMLResponse:
    admin_page(request)
    return _org_page(request, org_id, status)


@router.post("/orgs/{org_id}/details")
def edit_org_details(
    request: Request, org_id: str, name: str = Form(""), description: str = Form("")
) -> Response:
    """Save an organization's name and description at once (they are the admin's own
    words, not content residents read from a post, so no review stands between)."""
    admin_page(request)
    try:
        with db.session_scope() as session:
            org = service.get_organization_or_raise(session, ref=org_id)
            service.update_organization(
                session, organization=org, name=name, description=description
            )
    except (service.FormInvalid, service.OrganizationExists) as error:
        # OrganizationExists alone: the same name saved elsewhere at the same moment
        problems = getattr(error, "problems", {"name": str(error)})
        typed = {"name": name, "description": description}
        return _org_page(request, org_id, details=typed, problems=problems)
    return RedirectResponse(f"/orgs/{org_id}", status_code=303)


@router.post("/orgs/{org_id}/sources")
def add_org_source(
    request: Request, org_id: str, source_type: str = Form(""), value: str = Form("")
) -> Response:
    admin_page(request)
    try:
        with db.session_scope() as session:
            org = service.get_organization_or_raise(session, ref=org_id)
            service.add_source(session, organization=org, source_type=source_type, value=value)
    except SiftError as error:
        return _org_page(request, org_id, source_error=str(error))
    return RedirectResponse(f"/orgs/{org_id}", status_code=303)


SOURCE_ACTIONS = {
    "approve": lambda session, source: service.set_source_status(
        session, source=source, status=SourceStatus.approved
    ),
    "reject": lambda session, source: service.set_source_status(
        session, source=source, status=SourceStatus.rejected
    ),
    "activate": lambda session, source: service.set_source_active(
        session, source=source, active=True
    ),
    "deactivate": lambda session, source: service.set_source_active(
        session, source=source, active=False
    ),
}


@router.post("/orgs/{org_id}/sources/{source_id}")
def change_org_source(
    request: Request, org_id: str, source_id: str, action: str = Form("")
) -> Response:
    admin_page(request)
    if action not in SOURCE_ACTIONS:
        return _org_page(request, org_id, source_error=f"unknown source action {action!r}")
    with db.session_scope() as session:
        source = service.get_source_or_raise(session, ref=source_id)
        SOURCE_ACTIONS[action](session, source)
    return RedirectResponse(f"/orgs/{org_id}", status_code=303)


@router.get("/orgs/{org_id}/posts", response_class=HTMLResponse)
def org_posts_fragment(request: Request, org_id: str, status: str = "active") -> HTMLResponse:
    admin_page(request)
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        return render(request, "directory/_posts.html", **_posts_context(session, org, status))


@router.post("/orgs/{org_id}/posts/{post_id}/restore", response_class=HTMLResponse)
def restore_org_post(request: Request, org_id: str, post_id: str) -> HTMLResponse:
    """Stage a restore of a deleted post, then show the deleted posts again with a note."""
    principal = admin_page(request)
    notice = error = None
    try:
        with db.session_scope() as session:
            restore = recovery.request_restore(
                session, post_id=post_id, requested_by=principal.actor
            )
            notice = f"Restore staged for review as proposal {restore.id}."
    except SiftError as failure:
        error = str(failure)
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        context = _posts_context(session, org, "deleted")
        return render(request, "directory/_posts.html", notice=notice, error=error, **context)


def _started(
    request: Request, starts: list[tuple[str, str]], error: str | None = None
) -> HTMLResponse:
    runs = [{"label": label, "info": workflows.run_info(run_id)} for run_id, label in starts]
    return render(request, "directory/_started.html", runs=runs, error=error)


@router.post("/orgs/{org_id}/crawl", response_class=HTMLResponse)
def crawl_org(request: Request, org_id: str) -> HTMLResponse:
    principal = admin_page(request)
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        targets = [
            (str(s.id), service.source_label(s))
            for s in service.list_sources(session, organization=org)
            if s.status is SourceStatus.approved and s.active
        ]
    if not targets:
        return _started(request, [], error="This organization has no approved active source.")
    with workflows.started_by(principal.actor):
        starts = [(flows.start_crawl(i), f"Crawl {label}") for i, label in targets]
    return _started(request, starts)


@router.post("/orgs/{org_id}/extract", response_class=HTMLResponse)
def extract_org(request: Request, org_id: str) -> HTMLResponse:
    principal = admin_page(request)
    org = _org_id(org_id)
    with workflows.started_by(principal.actor):
        return _started(request, [(extraction_flows.start_extraction(org), "Extract posts")])


@router.post("/orgs/{org_id}/cleanup", response_class=HTMLResponse)
def cleanup_org(request: Request, org_id: str) -> HTMLResponse:
    principal = admin_page(request)
    org = _org_id(org_id)
    with workflows.started_by(principal.actor):
        return _started(request, [(cleanup_flows.start_cleanup(org), "Clean up posts")])
