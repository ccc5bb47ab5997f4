"""The review's admin face: GraphQL types and resolvers for proposals and batches, and the
review queue's pages, where admins approve, reject and revert.

Resolvers stay thin: authorise, open a unit of work, call the service, shape the answer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode

import strawberry
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from strawberry.scalars import JSON

from sift import db
from sift.api import blocking, info_context
from sift.directory import schedules
from sift.directory.models import OperationKind
from sift.directory.models import SyncBatch as SyncBatchRow
from sift.directory.proposals import batches, recovery, review
from sift.directory.registry import service
from sift.errors import SiftError
from sift.web import admin_page, charts, display, render, templates

router = APIRouter(include_in_schema=False)


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
    def of(cls, view: batches.ProposalView) -> Proposal:
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
    def of(cls, view: batches.BatchView) -> Batch:
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


@strawberry.type
class Query:
    @strawberry.field
    @blocking
    def batches(
        self,
        info: strawberry.Info,
        organization_id: strawberry.ID | None = None,
        pending_only: bool = True,
    ) -> list[Batch]:
        info_context(info).principal.require_admin()
        with db.session_scope() as session:
            org_id = (
                service.get_organization_or_raise(session, ref=str(organization_id)).id
                if organization_id
                else None
            )
            ids = batches.batch_ids(session, organization_id=org_id, pending_only=pending_only)
            return [Batch.of(batches.batch_view(session, batch_id=i)) for i in ids]


@strawberry.type
class Mutation:
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
            return Proposal.of(batches.proposal_view(session, proposal))

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
            return Proposal.of(batches.proposal_view(session, proposal))

    @strawberry.mutation
    @blocking
    def approve_batch(self, info: strawberry.Info, id: strawberry.ID) -> BatchReview:
        return _decide_batch(info, str(id), approve=True)

    @strawberry.mutation
    @blocking
    def reject_batch(self, info: strawberry.Info, id: strawberry.ID) -> BatchReview:
        return _decide_batch(info, str(id), approve=False)


def _admin_name(info: strawberry.Info) -> str:
    """Who acts, as proposals record it (reviewer, requester); refuses non-admins."""
    return info_context(info).principal.require_admin().actor


def _decide(info: strawberry.Info, proposal_id: str, *, approve: bool) -> Proposal:
    reviewer = _admin_name(info)
    review.decide(proposal_id, approve=approve, reviewer=reviewer)
    with db.session_scope() as session:
        proposal = review.get_proposal_or_raise(session, proposal_id=proposal_id)
        return Proposal.of(batches.proposal_view(session, proposal))


def _decide_batch(info: strawberry.Info, batch_id: str, *, approve: bool) -> BatchReview:
    reviewer = _admin_name(info)
    counts = review.review_batch(batch_id, approve=approve, reviewer=reviewer)
    return BatchReview(
        approved=counts.get("approved", 0),
        rejected=counts.get("rejected", 0),
        failed=counts["failed"],
    )


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
    schedule = [schedules.entry_text(entry) for entry in content.get("schedule") or []]
    if schedule:
        fields["When"] = "\n".join(schedule)
    if content.get("tags"):
        fields["Tags"] = ", ".join(content["tags"])
    return fields


def proposal_diff(proposal: batches.ProposalView) -> list[display.FieldDiff]:
    """Field-level changes of an update, merge or revert (empty for an insert or delete,
    whose one side is shown whole)."""
    if not (proposal.before and proposal.after):
        return []
    return display.field_diffs(post_fields(proposal.before), post_fields(proposal.after))


def pending_in_nav() -> int:
    """The admin navigation's "Proposals (N)": the same figure as every pending count."""
    with db.session_scope() as session:
        return batches.pending_count(session)


templates.env.filters["post_fields"] = post_fields
templates.env.filters["proposal_diff"] = proposal_diff
templates.env.globals["pending_proposals"] = pending_in_nav


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


def _queue_filter(session: Session, params: Mapping[str, str]) -> batches.QueueFilter:
    """The review queue's filter from a page's query string (`show=all` is the older
    spelling of `status=all`)."""
    status = _choice(_status_param(params), QUEUE_STATUSES, "status")
    org = params.get("org")
    batch = params.get("batch")
    try:
        batch_id = uuid.UUID(batch) if batch else None
    except ValueError:
        raise service.InvalidInput(f"{batch!r} is not a batch id") from None
    return batches.QueueFilter(
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
        queue = batches.proposal_queue(session, wanted, page=_page_number(params))
        batch = batches.batch_view(session, batch_id=wanted.batch_id) if wanted.batch_id else None
        history = batches.decisions_per_batch(session, organization_id=wanted.organization_id)
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
        item = batches.queue_item(session, proposal)
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
