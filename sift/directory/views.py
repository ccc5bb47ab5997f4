"""GraphQL types and resolvers of the directory (admin only), plus its UI routes.

Resolvers stay thin: authorise, open a unit of work, call the service, shape the answer.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode, urlsplit

import strawberry
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from strawberry.scalars import JSON

from sift import db, workflows
from sift.api import blocking, info_context
from sift.directory import flows, proposals, recovery, review, schedule_form, schedules, service
from sift.directory.models import OperationKind, SourceStatus
from sift.directory.models import Organization as OrganizationRow
from sift.directory.models import Post as PostRow
from sift.directory.models import Source as SourceRow
from sift.directory.models import SyncBatch as SyncBatchRow
from sift.errors import SiftError
from sift.web import admin_page, charts, display, render, templates

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
    def of(cls, row: OrganizationRow, figures: service.OrganizationFigures) -> Organization:
        """The figures come from `service.organization_figures`, as on every page."""
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            description=row.description,
            last_extracted_at=row.last_extracted_at,
            sources=[Source.of(s) for s in row.sources],
            active_posts=figures.active_posts,
            post_counts=figures.posts,
            pending_proposals=figures.pending_proposals,
        )

    @classmethod
    def one(cls, session: Session, row: OrganizationRow) -> Organization:
        return cls.of(row, service.figures_of(session, row.id))


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
            contact=row.contact,
            schedule=row.schedule,
            tags=list(row.tags),
            version=row.version,
            source_labels=sorted({s.source_type.value for s in row.sources}),
            duplicate_of=strawberry.ID(str(row.duplicate_of)) if row.duplicate_of else None,
            deleted_at=row.deleted_at,
            deleted_reason=row.deleted_reason,
        )


@strawberry.type
class Proposal:
    id: strawberry.ID
    operation: str
    status: str
    headline: str
    reason: str | None
    before: JSON | None
    after: JSON | None
    failure_reason: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    requested_by: str | None
    reverts_id: strawberry.ID | None
    reverted_by: strawberry.ID | None

    @classmethod
    def of(cls, view: proposals.ProposalView) -> Proposal:
        return cls(
            id=strawberry.ID(view.id),
            operation=view.operation,
            status=view.status,
            headline=view.headline,
            reason=view.reason,
            before=view.before,
            after=view.after,
            failure_reason=view.failure_reason,
            reviewed_by=view.reviewed_by,
            reviewed_at=view.reviewed_at,
            requested_by=view.requested_by,
            reverts_id=strawberry.ID(view.reverts_id) if view.reverts_id else None,
            reverted_by=strawberry.ID(view.reverted_by) if view.reverted_by else None,
        )


@strawberry.type
class Batch:
    id: strawberry.ID
    organization_id: strawberry.ID
    kind: str
    status: str
    summary: str
    created_at: datetime
    proposals: list[Proposal]

    @classmethod
    def of(cls, view: proposals.BatchView) -> Batch:
        return cls(
            id=strawberry.ID(view.id),
            organization_id=strawberry.ID(view.organization_id),
            kind=view.kind,
            status=view.status,
            summary=view.summary,
            created_at=view.created_at,
            proposals=[Proposal.of(p) for p in view.proposals],
        )


@strawberry.type
class BatchReview:
    approved: int
    rejected: int
    failed: int


def _admin(info: strawberry.Info) -> None:
    info_context(info).principal.require_admin()


@strawberry.type
class Query:
    @strawberry.field
    @blocking
    def organizations(self, info: strawberry.Info) -> list[Organization]:
        _admin(info)
        with db.session_scope() as session:
            figures = service.organization_figures(session)
            return [
                Organization.of(o, figures.get(o.id, service.NO_FIGURES))
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

    @strawberry.field
    @blocking
    def batches(
        self,
        info: strawberry.Info,
        organization_id: strawberry.ID | None = None,
        pending_only: bool = True,
    ) -> list[Batch]:
        _admin(info)
        with db.session_scope() as session:
            org_id = (
                service.get_organization_or_raise(session, ref=str(organization_id)).id
                if organization_id
                else None
            )
            ids = proposals.batch_ids(session, organization_id=org_id, pending_only=pending_only)
            return [Batch.of(proposals.batch_view(session, batch_id=i)) for i in ids]


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
        _admin(info)
        with db.session_scope() as session:
            source_id: uuid.UUID = service.get_source_or_raise(session, ref=str(id)).id
        return WorkflowStarted(workflow_id=flows.start_crawl(source_id))

    @strawberry.mutation
    @blocking
    def extract_org_posts(
        self, info: strawberry.Info, organization_id: strawberry.ID
    ) -> WorkflowStarted:
        _admin(info)
        return WorkflowStarted(workflow_id=flows.start_extraction(_org_id(organization_id)))

    @strawberry.mutation
    @blocking
    def clean_up_org_posts(
        self, info: strawberry.Info, organization_id: strawberry.ID
    ) -> WorkflowStarted:
        _admin(info)
        return WorkflowStarted(workflow_id=flows.start_cleanup(_org_id(organization_id)))

    @strawberry.mutation
    @blocking
    def approve_proposal(self, info: strawberry.Info, id: strawberry.ID) -> Proposal:
        return _decide(info, str(id), approve=True)

    @strawberry.mutation
    @blocking
    def reject_proposal(self, info: strawberry.Info, id: strawberry.ID) -> Proposal:
        return _decide(info, str(id), approve=False)

    @strawberry.mutation
    @blocking
    def restore_post(
        self, info: strawberry.Info, id: strawberry.ID, reason: str | None = None
    ) -> Proposal:
        """Stage bringing a soft-deleted post back: it returns once the proposal is approved."""
        requester = _admin_name(info)
        with db.session_scope() as session:
            proposal = recovery.request_restore(
                session, post_id=str(id), requested_by=requester, reason=reason
            )
            return Proposal.of(proposals.proposal_view(session, proposal))

    @strawberry.mutation
    @blocking
    def revert_proposal(
        self, info: strawberry.Info, id: strawberry.ID, reason: str | None = None
    ) -> Proposal:
        """Stage undoing an approved proposal; the answer is the new revert proposal."""
        requester = _admin_name(info)
        with db.session_scope() as session:
            proposal = recovery.request_revert(
                session, proposal_id=str(id), requested_by=requester, reason=reason
            )
            return Proposal.of(proposals.proposal_view(session, proposal))

    @strawberry.mutation
    @blocking
    def approve_batch(self, info: strawberry.Info, id: strawberry.ID) -> BatchReview:
        return _decide_batch(info, str(id), approve=True)

    @strawberry.mutation
    @blocking
    def reject_batch(self, info: strawberry.Info, id: strawberry.ID) -> BatchReview:
        return _decide_batch(info, str(id), approve=False)


def _org_id(ref: strawberry.ID) -> uuid.UUID:
    with db.session_scope() as session:
        return service.get_organization_or_raise(session, ref=str(ref)).id


def _admin_name(info: strawberry.Info) -> str:
    """Who acts, as proposals record it (reviewer, requester); refuses non-admins."""
    return info_context(info).principal.require_admin().actor


def _decide(info: strawberry.Info, proposal_id: str, *, approve: bool) -> Proposal:
    reviewer = _admin_name(info)
    review.decide(proposal_id, approve=approve, reviewer=reviewer)
    with db.session_scope() as session:
        proposal = review.get_proposal_or_raise(session, proposal_id=proposal_id)
        return Proposal.of(proposals.proposal_view(session, proposal))


def _decide_batch(info: strawberry.Info, batch_id: str, *, approve: bool) -> BatchReview:
    reviewer = _admin_name(info)
    counts = review.review_batch(batch_id, approve=approve, reviewer=reviewer)
    return BatchReview(
        approved=counts.get("approved", 0),
        rejected=counts.get("rejected", 0),
        failed=counts["failed"],
    )


# --- web UI -------------------------------------------------------------------------------

POST_TABS = [
    ("active", "Active"),
    ("pending_approval", "Pending"),
    ("rejected", "Rejected"),
    ("deleted", "Deleted"),
]


def post_fields(content: dict | None) -> dict[str, str]:
    """A post's content as labelled plain-text fields, the unit an admin compares in a
    before/after view (contact keys such as `intake_form` read as "Intake form")."""
    if not content:
        return {}
    fields = {"Title": content.get("title") or ""}
    for key in ("summary", "description", "audience", "location"):
        if content.get(key):
            fields[display.humanize(key)] = str(content[key])
    for key, value in (content.get("contact") or {}).items():
        fields[display.humanize(key)] = str(value)
    schedule = [_schedule_line(entry) for entry in content.get("schedule") or []]
    if schedule:
        fields["When"] = "\n".join(schedule)
    if content.get("tags"):
        fields["Tags"] = ", ".join(content["tags"])
    return fields


def _schedule_line(entry: dict) -> str:
    return schedules.entry_text(entry)


def proposal_diff(proposal: proposals.ProposalView) -> list[display.FieldDiff]:
    """Field-level changes of an update, merge or revert (empty for an insert or delete,
    whose one side is shown whole)."""
    if not (proposal.before and proposal.after):
        return []
    return display.field_diffs(post_fields(proposal.before), post_fields(proposal.after))


def pending_in_nav() -> int:
    """The admin navigation's "Proposals (N)": the same figure as every pending count."""
    with db.session_scope() as session:
        return proposals.pending_count(session)


templates.env.filters["post_fields"] = post_fields
templates.env.filters["proposal_diff"] = proposal_diff
templates.env.globals["pending_proposals"] = pending_in_nav


@router.get("/orgs", response_class=HTMLResponse)
def orgs_page(request: Request) -> HTMLResponse:
    admin_page(request)
    with db.session_scope() as session:
        rows = service.organization_overview(session)
    return render(request, "directory/orgs.html", orgs=rows)


@router.post("/orgs")
def add_org(request: Request, name: str = Form("")) -> Response:
    admin_page(request)
    try:
        with db.session_scope() as session:
            org = service.create_organization(session, name=name)
    except SiftError as error:
        with db.session_scope() as session:
            rows = service.organization_overview(session)
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
    request: Request, org_id: str, status: str = "active", source_error: str | None = None
) -> HTMLResponse:
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
        pending = proposals.pending_count(session, organization_id=org.id)
        return render(
            request,
            "directory/org.html",
            sources=sources,
            crawl_charts=_crawl_charts(sources),
            pending=pending,
            source_error=source_error,
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
    admin_page(request)
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        targets = [
            (str(s.id), service.source_label(s))
            for s in service.list_sources(session, organization=org)
            if s.status is SourceStatus.approved and s.active
        ]
    if not targets:
        return _started(request, [], error="This organization has no approved active source.")
    return _started(request, [(flows.start_crawl(i), f"Crawl {label}") for i, label in targets])


@router.post("/orgs/{org_id}/extract", response_class=HTMLResponse)
def extract_org(request: Request, org_id: str) -> HTMLResponse:
    admin_page(request)
    return _started(request, [(flows.start_extraction(_org_id(org_id)), "Extract posts")])


@router.post("/orgs/{org_id}/cleanup", response_class=HTMLResponse)
def cleanup_org(request: Request, org_id: str) -> HTMLResponse:
    admin_page(request)
    return _started(request, [(flows.start_cleanup(_org_id(org_id)), "Clean up posts")])


def _org_names(session: Session) -> dict[str, str]:
    return {str(o.id): o.name for o in service.list_organizations(session)}


QUEUE_STATUSES = ["pending", "approved", "rejected", "failed", "all"]
QUEUE_TYPES = [kind.value for kind in OperationKind]


def _choice(value: str | None, allowed: list[str], what: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise service.InvalidInput(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value


def _status_param(params: Mapping[str, str]) -> str:
    return params.get("status") or params.get("show") or "pending"


def _queue_filter(session: Session, params: Mapping[str, str]) -> proposals.QueueFilter:
    """The review queue's filter from a page's query string (`show=all` is the older
    spelling of `status=all`)."""
    status = _choice(_status_param(params), QUEUE_STATUSES, "status")
    org = params.get("org")
    batch = params.get("batch")
    try:
        batch_id = uuid.UUID(batch) if batch else None
    except ValueError:
        raise service.InvalidInput(f"{batch!r} is not a batch id") from None
    return proposals.QueueFilter(
        status=None if status == "all" else status,
        operation=_choice(params.get("type"), QUEUE_TYPES, "proposal type"),
        organization_id=service.get_organization_or_raise(session, ref=org).id if org else None,
        batch_id=batch_id,
        search=(params.get("q") or "").strip() or None,
    )


def _page_number(params: Mapping[str, str]) -> int:
    try:
        return max(1, int(params.get("page", "1")))
    except ValueError:
        return 1


def _queue_page(request: Request, **extra: object) -> HTMLResponse:
    params = request.query_params
    with db.session_scope() as session:
        wanted = _queue_filter(session, params)
        queue = proposals.proposal_queue(session, wanted, page=_page_number(params))
        batch = proposals.batch_view(session, batch_id=wanted.batch_id) if wanted.batch_id else None
        history = proposals.decisions_per_batch(session, organization_id=wanted.organization_id)
        return render(
            request,
            "directory/proposals.html",
            queue=queue,
            wanted=wanted,
            status=_status_param(params),
            batch=batch,
            batch_pending=sum(p.pending for p in batch.proposals) if batch else 0,
            history=history,
            chart=_batch_chart(history),
            names=_org_names(session),
            statuses=QUEUE_STATUSES,
            types=QUEUE_TYPES,
            query=str(params),
            page_query=urlencode([(k, v) for k, v in params.multi_items() if k != "page"]),
            **extra,
        )


DECISIONS = ("approved", "pending", "rejected", "failed")


def _batch_chart(history: list[tuple[SyncBatchRow, dict[str, int]]]) -> Markup:
    """Proposals per batch by decision; a bar opens that batch in the queue."""
    bars = [
        charts.Bar(
            label=batch.created_at.strftime("%m-%d"),
            segments={k: counts[k] for k in DECISIONS if k in counts},
            href=f"/proposals?status=all&batch={batch.id}",
        )
        for batch, counts in history
    ]
    return charts.stacked_bars("Proposals per batch, by decision", bars, empty="No batch yet.")


@router.get("/proposals", response_class=HTMLResponse)
def proposals_page(request: Request) -> HTMLResponse:
    """The review queue: compact, filtered (status, type, organization, batch), searched
    and paged; the page's script adds the keyboard and the undo window."""
    admin_page(request)
    return _queue_page(request)


def _proposal_row(
    request: Request, proposal_id: str, *, error: str | None = None, notice: str | None = None
) -> HTMLResponse:
    with db.session_scope() as session:
        proposal = review.get_proposal_or_raise(session, proposal_id=proposal_id)
        item = proposals.queue_item(session, proposal)
        return render(
            request,
            "directory/_proposal.html",
            item=item,
            proposal=item.proposal,
            names=_org_names(session),
            error=error,
            notice=notice,
        )


def _toast(response: Response, text: str, *, refresh_posts: bool = False) -> Response:
    """Tell the page what happened (sift.js shows it as a toast)."""
    events: dict[str, object] = {"toast": text}
    if refresh_posts:
        events["refresh-posts"] = True
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


@router.post("/proposals/{proposal_id}/revert", response_class=HTMLResponse)
def revert_proposal(request: Request, proposal_id: str) -> HTMLResponse:
    """Stage a revert of an approved proposal (declared before the approve/reject route,
    which would take `revert` for a decision); the card says where the revert waits."""
    principal = admin_page(request)
    notice = error = None
    try:
        with db.session_scope() as session:
            revert = recovery.request_revert(
                session, proposal_id=proposal_id, requested_by=principal.actor
            )
            notice = f"Revert staged for review as proposal {revert.id}."
    except SiftError as failure:
        error = str(failure)
    return _proposal_row(request, proposal_id, error=error, notice=notice)


@router.post("/proposals/{proposal_id}/{decision}", response_class=HTMLResponse)
def decide_proposal(request: Request, proposal_id: str, decision: str) -> Response:
    principal = admin_page(request)
    if decision not in ("approve", "reject"):
        raise HTTPException(404)
    error = None
    try:
        review.decide(proposal_id, approve=decision == "approve", reviewer=principal.actor)
    except SiftError as failure:
        error = str(failure)
    response = _proposal_row(request, proposal_id, error=error)
    done = "Approved" if decision == "approve" else "Rejected"
    return _toast(response, error or f"{done}.", refresh_posts=True)


@router.post("/batches/{batch_id}/{decision}", response_class=HTMLResponse)
def decide_batch(request: Request, batch_id: str, decision: str) -> Response:
    """Decide every pending proposal of a batch (the page asked "Approve all N?" first),
    then show the queue again with what happened."""
    principal = admin_page(request)
    if decision not in ("approve", "reject"):
        raise HTTPException(404)
    counts = review.review_batch(batch_id, approve=decision == "approve", reviewer=principal.actor)
    done = counts.get("approved" if decision == "approve" else "rejected", 0)
    verb = "Approved" if decision == "approve" else "Rejected"
    text = f"{verb} {done} proposal{'s' if done != 1 else ''}."
    error = None
    if counts.get("failed"):
        error = f"{counts['failed']} proposals could not be applied; see their reasons below."
        text += f" {counts['failed']} failed."
    for label in ("re-based", "withdrawn"):  # settled instead of failing; see their history
        if counts.get(label):
            text += f" {counts[label]} {label}, see their history."
    return _toast(_queue_page(request, error=error), text, refresh_posts=True)


# --- post pages ---------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,}[0-9]")
_CONTACT_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
LINK_SCHEMES = ("http", "https", "mailto", "tel")
EDIT_LIMITS = {"title": 300, "summary": 1000, "description": 20000, "audience": 200}


def contact_href(key: str, value: object) -> str | None:
    """Where a contact value may link: http(s), mailto and tel only (a bare address or
    phone number gets its scheme); anything else, `javascript:` included, stays text."""
    text = str(value).strip()
    if not text or any(ord(c) < 32 for c in text):
        return None
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return text if parts.netloc else None
    if scheme in ("mailto", "tel"):
        return text
    if scheme:
        return None
    if _EMAIL.fullmatch(text):
        return f"mailto:{text}"
    if "phone" in key or key in ("tel", "sms") or _PHONE.fullmatch(text):
        digits = re.sub(r"[^0-9+]", "", text)
        return f"tel:{digits}" if _PHONE.fullmatch(text) else None
    return None


def _post_page(
    request: Request,
    post_id: str,
    *,
    typed: FormData | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The post page; after a refused edit, its form shows what the admin typed."""
    with db.session_scope() as session:
        post = service.get_post_or_raise(session, ref=post_id, lock=False)
        org = service.get_organization_or_raise(session, ref=post.organization_id)
        history = proposals.post_history(session, post_id=post.id)
        contact = [
            (display.humanize(key), str(value), contact_href(key, value))
            for key, value in (post.contact or {}).items()
            if value
        ]
        return render(
            request,
            "directory/post.html",
            status_code=status_code,
            error=error,
            post=post,
            org=org,
            contact=contact,
            schedule=[_schedule_line(e) for e in post.schedule or [] if isinstance(e, dict)],
            form=edit_form_values(post, typed),
            weekdays=schedules.WEEKDAYS,
            ordinals=list(schedules.ORDINAL_WORDS.items()),
            pages=service.post_pages(session, post_id=post.id),
            history=history,
            waiting=[h for h in history if h.kind == "proposal" and h.status == "pending"],
        )


def edit_form_values(post: PostRow, typed: FormData | None) -> dict[str, object]:
    """The edit form's values: the post's own, or what the admin typed (nothing typed is
    lost when an edit is refused)."""
    values = {
        "title": post.title,
        "summary": post.summary or "",
        "description": post.description,
        "audience": post.audience or "",
        "location": post.location or "",
        "tags": ", ".join(post.tags),
        "new_contact_key": "",
        "new_contact_value": "",
        **{f"contact.{key}": str(value) for key, value in (post.contact or {}).items()},
    }
    if typed is not None:
        values.update({name: str(typed.get(name) or "") for name in values})
    schedule = (
        schedule_form.typed_values(typed)
        if typed is not None
        else schedule_form.form_values(post.schedule)
    )
    return {**values, **schedule}


@router.get("/posts/{post_id}", response_class=HTMLResponse)
def post_page(request: Request, post_id: str) -> HTMLResponse:
    """One post: its content as users will read it, its history, the pages it came from,
    and a form that stages an edit for review."""
    admin_page(request)
    return _post_page(request, post_id)


def _one_line(form: FormData, name: str, *, required: bool = False) -> str | None:
    value = " ".join(str(form.get(name) or "").split())
    if required and not value:
        raise service.InvalidInput(f"a post needs a {name}")
    if len(value) > EDIT_LIMITS.get(name, 500):
        raise service.InvalidInput(f"the {name} is at most {EDIT_LIMITS.get(name, 500)} characters")
    return value or None


def edit_changes(form: FormData, post: PostRow) -> dict[str, object]:
    """The content an edit form asks for; `service.InvalidInput` says what is wrong."""
    contact = post.contact or {}
    description = str(form.get("description") or "").replace("\r\n", "\n").strip()
    if len(description) > EDIT_LIMITS["description"]:
        raise service.InvalidInput(
            f"the description is at most {EDIT_LIMITS['description']} characters"
        )
    new_contact = {}
    for key in contact:
        value = _one_line(form, f"contact.{key}")
        if value:
            new_contact[key] = value
    added_key = "_".join(str(form.get("new_contact_key") or "").lower().split())
    added_value = _one_line(form, "new_contact_value")
    if added_key or added_value:
        if not (_CONTACT_KEY.fullmatch(added_key) and added_value):
            raise service.InvalidInput(
                "a new contact needs a name (letters, digits, _) and a value"
            )
        new_contact[added_key] = added_value
    tags = [t.strip() for t in str(form.get("tags") or "").split(",") if t.strip()]
    return {
        "title": _one_line(form, "title", required=True),
        "summary": _one_line(form, "summary"),
        "description": description,
        "audience": _one_line(form, "audience"),
        "location": _one_line(form, "location"),
        "contact": new_contact,
        "tags": tags,
        "schedule": _edited_schedule(form, post.schedule),
    }


def _edited_schedule(form: FormData, schedule: list) -> list:
    """The schedule the form's rows ask for. Rows left as the form showed them keep the
    stored entries as they are (extraction may store more than the form shows)."""
    try:
        return schedule_form.edited(form, schedule)
    except ValueError as error:
        raise service.InvalidInput(str(error)) from None


def _stage_edit(request: Request, post_id: str, form: FormData) -> Response:
    principal = admin_page(request)
    try:
        with db.session_scope() as session:
            post = service.get_post_or_raise(session, ref=post_id)
            recovery.request_edit(
                session, post=post, changes=edit_changes(form, post), requested_by=principal.actor
            )
    except service.InvalidInput as error:
        return _post_page(request, post_id, typed=form, error=str(error), status_code=400)
    return RedirectResponse(f"/posts/{post_id}", status_code=303)


@router.post("/posts/{post_id}/edit")
async def edit_post(request: Request, post_id: str) -> Response:
    """Stage the edit as an update proposal (reviewed like any other change), then show
    the post again, whose notice links to the waiting proposal."""
    form = await request.form()
    return await run_in_threadpool(_stage_edit, request, post_id, form)
