"""The review's admin face: GraphQL types and resolvers for proposals and batches, and the
review queue's pages, where admins approve, reject and revert.

Resolvers stay thin: authorise, open a unit of work, call the service, shape the answer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import strawberry
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from strawberry.scalars import JSON

from sift import db
from sift.api import blocking, info_context
from sift.config import get_settings
from sift.directory.models import OperationKind
from sift.directory.models import SyncBatch as SyncBatchRow
from sift.directory.proposals import batches, comparison, dependencies, recovery, review
from sift.directory.registry import service
from sift.errors import SiftError
from sift.web import admin_page, charts, render, templates

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
    depends_on: list[strawberry.ID] = strawberry.field(
        description="Other pending proposals sharing a post: deciding this one re-bases or "
        "withdraws them."
    )
    history: JSON = strawberry.field(description="Dated lines: re-based, withdrawn (and why).")

    @classmethod
    def of(cls, view: batches.ProposalView) -> Proposal:
        return cls(
            id=strawberry.ID(view.id),
            operation=view.operation,
            status=view.status,
            headline=view.headline,
            reason=view.reason,
            before=JSON(view.before),
            after=JSON(view.after),
            failure_reason=view.failure_reason,
            reviewed_by=view.reviewed_by,
            reviewed_at=view.reviewed_at,
            requested_by=view.requested_by,
            reverts_id=strawberry.ID(view.reverts_id) if view.reverts_id else None,
            reverted_by=strawberry.ID(view.reverted_by) if view.reverted_by else None,
            depends_on=[strawberry.ID(d.proposal_id) for d in view.depends_on],
            history=JSON(view.history),
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


def pending_in_nav() -> int:
    """The admin navigation's "Proposals (N)": the same figure as every pending count."""
    with db.session_scope() as session:
        return batches.pending_count(session)


templates.env.filters["post_fields"] = comparison.post_fields
templates.env.filters["proposal_changes"] = comparison.proposal_changes
templates.env.filters["merge_comparison"] = comparison.merge_comparison
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


def _head(session: Session, params: Mapping[str, str]) -> dict[str, Any]:
    """What the queue's heading shows (its count, the open batch's actions): rendered with
    the page and again, out of band, after every decision, so no count is left stale."""
    wanted = _queue_filter(session, params)
    batch = batches.batch_view(session, batch_id=wanted.batch_id) if wanted.batch_id else None
    return {
        "wanted": wanted,
        "total": batches.queue_total(session, wanted),
        "status": _status_param(params),
        "batch": batch,
        "batch_pending": sum(p.pending for p in batch.proposals) if batch else 0,
        "names": _org_names(session),
        "query": str(params),
    }


def _queue(session: Session, params: QueryParams) -> dict[str, Any]:
    """The heading and one page of the filtered queue."""
    head = _head(session, params)
    wanted = head["wanted"]
    assert isinstance(wanted, batches.QueueFilter)
    return {
        **head,
        "queue": batches.proposal_queue(session, wanted, page=_page_number(params)),
        "page_query": urlencode([(k, v) for k, v in params.multi_items() if k != "page"]),
        "undo_seconds": get_settings().review_undo_s,
    }


def _queue_page(request: Request, **extra: Any) -> HTMLResponse:
    params = request.query_params
    with db.session_scope() as session:
        shown = _queue(session, params)
        wanted = shown["wanted"]
        assert isinstance(wanted, batches.QueueFilter)
        history = batches.decisions_per_batch(session, organization_id=wanted.organization_id)
        return render(
            request,
            "directory/proposals.html",
            **shown,
            history=history,
            chart=_batch_chart(history),
            statuses=QUEUE_STATUSES,
            types=QUEUE_TYPES,
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


CHANGED = "directory/_queue_changed.html"


def _changed(
    request: Request,
    proposal_ids: list[str] | None,
    *,
    error: str | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    """The answer to a decision. A plain form post (no JavaScript) gets the whole queue with
    a banner. htmx gets what changed: the decided proposal's card (or, for a batch, the
    queue), the cards of the proposals it settled, and the counts of the heading and the
    menu, out of band."""
    if not request.headers.get("hx-request"):
        return _queue_page(request, error=error, notice=None if error else notice)
    params = request.query_params
    with db.session_scope() as session:
        if proposal_ids is None:
            shown = _queue(session, params)
            return render(request, CHANGED, **shown, queue_error=error, counts_oob=True)
        items = [
            batches.queue_item(session, review.get_proposal_or_raise(session, proposal_id=i))
            for i in proposal_ids
        ]
        head = _head(session, params)
        return render(
            request, CHANGED, **head, items=items, error=error, notice=notice, counts_oob=True
        )


def _dependents(proposal_id: str) -> list[str]:
    """The pending proposals a decision on this one will settle (re-base or withdraw),
    read before it, since a settled proposal depends on nothing any more."""
    with db.session_scope() as session:
        proposal = review.get_proposal_or_raise(session, proposal_id=proposal_id)
        return [d.proposal_id for d in dependencies.dependencies_of(session, proposal)]


def _toast(response: Response, text: str, *, refresh_posts: bool = False) -> Response:
    """Tell the page what happened (sift.js shows it as a toast)."""
    events: dict[str, object] = {"toast": text}
    if refresh_posts:
        events["refresh-posts"] = True
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


def _approving(decision: str) -> bool:
    if decision not in ("approve", "reject"):
        raise HTTPException(404)
    return decision == "approve"


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
    return _changed(request, [proposal_id], error=error, notice=notice)


@router.post("/proposals/{proposal_id}/{decision}", response_class=HTMLResponse)
def decide_proposal(request: Request, proposal_id: str, decision: str) -> Response:
    """Decide one proposal (sift.js sends it once its undo window has passed)."""
    principal = admin_page(request)
    approve = _approving(decision)
    settled = _dependents(proposal_id)
    error = None
    try:
        review.decide(proposal_id, approve=approve, reviewer=principal.actor)
    except SiftError as failure:
        error = str(failure)
    text = error or ("Approved." if approve else "Rejected.")
    response = _changed(request, [proposal_id, *settled], error=error)
    return _toast(response, text, refresh_posts=True)


@router.post("/batches/{batch_id}/{decision}", response_class=HTMLResponse)
def decide_batch(request: Request, batch_id: str, decision: str) -> Response:
    """Decide every pending proposal of a batch (sift.js sends it once the same undo window
    as a single decision's has passed), then show the queue again with what happened."""
    principal = admin_page(request)
    approve = _approving(decision)
    counts = review.review_batch(batch_id, approve=approve, reviewer=principal.actor)
    done = counts.get("approved" if approve else "rejected", 0)
    text = f"{'Approved' if approve else 'Rejected'} {done} proposal{'s' if done != 1 else ''}."
    error = None
    if counts.get("failed"):
        error = f"{counts['failed']} proposals could not be applied; see their reasons below."
        text += f" {counts['failed']} failed."
    for label in ("re-based", "withdrawn"):  # settled instead of failing; see their history
        if counts.get(label):
            text += f" {counts[label]} {label}, see their history."
    return _toast(_changed(request, None, error=error, notice=text), text, refresh_posts=True)
