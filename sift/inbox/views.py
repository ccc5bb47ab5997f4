"""The inbox's GraphQL types and resolvers, the GetStream webhook and the inbox pages.

Authorisation: creator tokens carry the creator's *external* id (the chat platform's user
id, the same one webhooks name and `sift token creator ID` takes), because that is the id
every client already knows; Sift's UUIDs never need to leave the server for it. A creator
token sees and acts on that creator's clusters only; an admin token sees every creator.
Resolvers stay thin: authorise, open a unit of work, call the service, shape the answer.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import strawberry
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from sift import db
from sift.api import blocking, info_context, principal_of
from sift.auth import NotAuthorized, Principal
from sift.config import get_settings
from sift.errors import SiftError
from sift.inbox import flows, ingest, service, webhooks
from sift.inbox.models import ClusterStatus, InboundMessage, first_problem
from sift.web import LoginRequired, render

router = APIRouter(include_in_schema=False)


# --- GraphQL types --------------------------------------------------------------------------


@strawberry.type
class ClusterMessage:
    id: strawberry.ID
    external_message_id: str
    channel_id: str
    visitor_name: str | None
    avatar_url: str | None
    text: str
    created_at: datetime
    status: str

    @classmethod
    def of(cls, member: service.MemberView) -> ClusterMessage:
        return cls(
            id=strawberry.ID(str(member.message_id)),
            external_message_id=member.external_message_id,
            channel_id=member.channel_external_id,
            visitor_name=member.visitor_name,
            avatar_url=member.avatar_url,
            text=member.text,
            created_at=member.created_at,
            status=member.status.value,
        )


@strawberry.type
class SuggestedResponse:
    response_text: str
    question_text: str
    similarity: float
    use_count: int
    last_used_at: datetime


@strawberry.type
class Cluster:
    id: strawberry.ID
    creator_id: str
    status: str
    is_paid: bool
    channel_count: int
    message_count: int
    preview_text: str
    representative_visitor: str
    other_visitors: int
    visitors_line: str
    avatars: list[str]
    summary_label: str | None
    summary_description: str | None
    response_text: str | None
    replied_at: datetime | None
    locked_until: datetime | None
    created_at: datetime
    messages: list[ClusterMessage]

    @strawberry.field(description="Past replies to similar questions, best first (top 3).")
    @blocking
    def suggested_responses(self) -> list[SuggestedResponse]:
        with db.session_scope() as session:
            return [
                SuggestedResponse(
                    response_text=s.response_text,
                    question_text=s.question_text,
                    similarity=round(s.similarity, 4),
                    use_count=s.use_count,
                    last_used_at=s.last_used_at,
                )
                for s in service.suggest_responses(session, str(self.id))
            ]

    @classmethod
    def of(cls, view: service.ClusterView) -> Cluster:
        return cls(
            id=strawberry.ID(str(view.id)),
            creator_id=view.creator_external_id,
            status=view.status.value,
            is_paid=view.is_paid,
            channel_count=view.channel_count,
            message_count=view.message_count,
            preview_text=view.preview_text,
            representative_visitor=view.representative,
            other_visitors=view.others,
            visitors_line=view.visitors_line,
            avatars=view.avatars,
            summary_label=view.summary_label,
            summary_description=view.summary_description,
            response_text=view.response_text,
            replied_at=view.replied_at,
            locked_until=view.locked_until,
            created_at=view.created_at,
            messages=[ClusterMessage.of(m) for m in view.members],
        )


@strawberry.type
class IngestOutcome:
    message_id: strawberry.ID
    cluster_id: strawberry.ID | None
    replayed: bool
    new_cluster: bool


@strawberry.type
class ActionOutcome:
    cluster_id: strawberry.ID
    messages: int
    deliveries: int
    workflow_id: str


@strawberry.type
class DeliveryRetry:
    cluster_id: strawberry.ID
    channels: int
    workflow_id: str


@strawberry.input
class MessageInput:
    creator_id: str
    channel_id: str
    external_message_id: str
    text: str
    is_paid_dm: bool = False
    sender_id: str | None = None
    visitor_name: str | None = None
    visitor_avatar_url: str | None = None


# --- authorisation ----------------------------------------------------------------------------


def _principal(info: strawberry.Info) -> Principal:
    return info_context(info).principal


def _scope(principal: Principal, creator_id: str | None) -> str | None:
    """The creator whose data a request may see: the one asked for (if allowed), the
    token's own for a creator, or every creator (None) for an admin."""
    if creator_id is not None:
        principal.require_creator(creator_id)
        return creator_id
    if principal.is_admin:
        return None
    if principal.creator_id is None:
        raise NotAuthorized("a creator or admin token is required")
    return principal.creator_id


def _cluster_owner_checked(session: Session, principal: Principal, cluster_id: str) -> None:
    principal.require_creator(service.creator_external_id_of_cluster(session, cluster_id))


def _status(value: str | None) -> ClusterStatus | None:
    if value is None or value == "all":
        return None
    try:
        return ClusterStatus(value)
    except ValueError:
        raise service.InboxError(
            f"unknown cluster status {value!r} (open, actioned, empty or all)"
        ) from None


# --- GraphQL ----------------------------------------------------------------------------------


@strawberry.type
class Query:
    @strawberry.field(description="A creator's clusters, counting active members only.")
    @blocking
    def clusters(
        self,
        info: strawberry.Info,
        creator_id: str | None = None,
        status: str | None = "open",
        min_channel_count: int = 1,
    ) -> list[Cluster]:
        scope = _scope(_principal(info), creator_id)
        with db.session_scope() as session:
            views = service.list_clusters(
                session,
                creator_external_id=scope,
                status=_status(status),
                min_channel_count=min_channel_count,
            )
            return [Cluster.of(v) for v in views]

    @strawberry.field
    @blocking
    def cluster(self, info: strawberry.Info, id: strawberry.ID) -> Cluster:
        with db.session_scope() as session:
            _cluster_owner_checked(session, _principal(info), str(id))
            return Cluster.of(service.cluster_view(session, str(id)))


@strawberry.type
class Mutation:
    @strawberry.mutation
    @blocking
    def ingest_message(self, info: strawberry.Info, message: MessageInput) -> IngestOutcome:
        _principal(info).require_creator(message.creator_id)
        try:
            inbound = InboundMessage(
                creator=message.creator_id,
                channel=message.channel_id,
                external_id=message.external_message_id,
                text=message.text,
                is_paid_dm=message.is_paid_dm,
                sender_id=message.sender_id,
                visitor_name=message.visitor_name,
                visitor_avatar_url=message.visitor_avatar_url,
            )
        except ValidationError as error:
            raise service.InboxError(f"message: {first_problem(error)}") from None
        with db.session_scope() as session:
            result = ingest.ingest(session, inbound)
        return IngestOutcome(
            message_id=strawberry.ID(str(result.message_id)),
            cluster_id=strawberry.ID(str(result.cluster_id)) if result.cluster_id else None,
            replayed=result.replayed,
            new_cluster=result.new_cluster,
        )

    @strawberry.mutation(description="Keep re-grouping away from a cluster while replying.")
    @blocking
    def open_cluster_for_reply(self, info: strawberry.Info, id: strawberry.ID) -> Cluster:
        with db.session_scope() as session:
            _cluster_owner_checked(session, _principal(info), str(id))
            service.open_for_reply(session, str(id))
            return Cluster.of(service.cluster_view(session, str(id)))

    @strawberry.mutation
    @blocking
    def action_cluster(
        self, info: strawberry.Info, id: strawberry.ID, response_text: str
    ) -> ActionOutcome:
        result = _action(_principal(info), str(id), response_text)
        return ActionOutcome(
            cluster_id=strawberry.ID(str(result.cluster_id)),
            messages=result.messages,
            deliveries=result.deliveries,
            workflow_id=flows.start_delivery(result.cluster_id),
        )

    @strawberry.mutation(
        description="Send an answered cluster's reply again to the channels it has not "
        "reached; channels that have it are never sent it twice."
    )
    @blocking
    def retry_cluster_delivery(self, info: strawberry.Info, id: strawberry.ID) -> DeliveryRetry:
        channels = _undelivered(_principal(info), str(id))
        return DeliveryRetry(
            cluster_id=id, channels=channels, workflow_id=flows.start_delivery(str(id))
        )

    @strawberry.mutation
    @blocking
    def remove_cluster_message(
        self, info: strawberry.Info, cluster_id: strawberry.ID, message_id: strawberry.ID
    ) -> bool:
        with db.session_scope() as session:
            _cluster_owner_checked(session, _principal(info), str(cluster_id))
            return service.remove_cluster_message(
                session,
                cluster_id=service.parse_uuid(str(cluster_id), "cluster"),
                message_id=service.parse_uuid(str(message_id), "message"),
            )

    @strawberry.mutation
    @blocking
    def mark_channel_replied(self, info: strawberry.Info, creator_id: str, channel_id: str) -> bool:
        _principal(info).require_creator(creator_id)
        with db.session_scope() as session:
            service.mark_channel_replied(
                session, creator_external_id=creator_id, channel_external_id=channel_id
            )
        return True

    @strawberry.mutation
    @blocking
    def delete_message(self, info: strawberry.Info, external_message_id: str) -> bool:
        principal = _principal(info)
        with db.session_scope() as session:
            owner = service.creator_external_id_of_message(session, external_message_id)
            _scope(principal, owner)
            return owner is not None and service.delete_message(
                session, external_message_id=external_message_id
            )

    @strawberry.mutation
    @blocking
    def delete_creator_data(self, info: strawberry.Info, creator_id: str) -> bool:
        _principal(info).require_creator(creator_id)
        with db.session_scope() as session:
            return service.delete_creator_data(session, creator_external_id=creator_id)


def _action(principal: Principal, cluster_id: str, response_text: str) -> service.ActionResult:
    """Answer a cluster in one transaction; the delivery run starts after it commits."""
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        return service.action_cluster(session, cluster_id=cluster_id, response_text=response_text)


def _undelivered(principal: Principal, cluster_id: str) -> int:
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        return service.undelivered_channels(session, cluster_id)


# --- the GetStream webhook --------------------------------------------------------------------


def _apply_event(payload: object) -> str:
    with db.session_scope() as session:
        return webhooks.handle(session, payload)


@router.post("/webhooks/stream")
async def stream_webhook(request: Request) -> JSONResponse:
    """Verified before anything is read: a bad or missing signature stores nothing."""
    body = await request.body()
    secret = get_settings().webhook_secret.get_secret_value()
    if not webhooks.signature_ok(secret, body, request.headers.get("x-signature")):
        return JSONResponse({"detail": "invalid webhook signature"}, status_code=401)
    try:
        payload = json.loads(body)
    except ValueError as error:
        return JSONResponse({"detail": f"body is not JSON: {error}"}, status_code=400)
    try:
        outcome = await asyncio.to_thread(_apply_event, payload)
    except webhooks.MalformedEvent as error:
        return JSONResponse({"detail": str(error)}, status_code=400)
    return JSONResponse({"ok": True, "outcome": outcome})


# --- pages ------------------------------------------------------------------------------------


def inbox_page(request: Request) -> Principal:
    """Admins see every inbox; a creator's token cookie opens that creator's inbox."""
    principal = principal_of(request, get_settings())
    if not (principal.is_admin or principal.creator_id):
        raise LoginRequired()
    return principal


def _list_context(request: Request, principal: Principal) -> dict[str, object]:
    creator = request.query_params.get("creator") or None
    try:
        min_channels = max(0, int(request.query_params.get("min", "2")))
    except ValueError:
        min_channels = 2
    status = request.query_params.get("status", "open")
    with db.session_scope() as session:
        views = service.list_clusters(
            session,
            creator_external_id=_scope(principal, creator),
            status=_status(status),
            min_channel_count=min_channels,
        )
    return {
        "clusters": views,
        "creator": creator,
        "min": min_channels,
        "status": status,
        "notice": request.query_params.get("notice"),
    }


@router.get("/inbox", response_class=HTMLResponse)
def inbox_list(request: Request) -> HTMLResponse:
    principal = inbox_page(request)
    return render(request, "inbox/list.html", **_list_context(request, principal))


@router.get("/inbox/clusters", response_class=HTMLResponse)
def inbox_list_fragment(request: Request) -> HTMLResponse:
    """The table htmx swaps in every few seconds, so new messages show up live."""
    principal = inbox_page(request)
    return render(request, "inbox/_clusters.html", **_list_context(request, principal))


def _detail(request: Request, cluster_id: str, **extra: object) -> HTMLResponse:
    principal = inbox_page(request)
    try:
        with db.session_scope() as session:
            _cluster_owner_checked(session, principal, cluster_id)
            service.open_for_reply(session, cluster_id)
            view = service.cluster_view(session, cluster_id)
            suggestions = service.suggest_responses(session, cluster_id)
            deliveries = service.delivery_tasks(session, cluster_id)
    except service.ClusterNotFound as error:
        raise HTTPException(404, str(error)) from None
    return render(
        request,
        "inbox/detail.html",
        cluster=view,
        suggestions=suggestions,
        deliveries=deliveries,
        **extra,
    )


@router.get("/inbox/clusters/{cluster_id}", response_class=HTMLResponse)
def inbox_detail(request: Request, cluster_id: str) -> HTMLResponse:
    return _detail(request, cluster_id)


@router.post("/inbox/clusters/{cluster_id}/reply")
def inbox_reply(request: Request, cluster_id: str, response_text: str = Form("")) -> Response:
    principal = inbox_page(request)
    try:
        result = _action(principal, cluster_id, response_text)
    except SiftError as error:
        return _detail(request, cluster_id, error=str(error), draft=response_text)
    flows.start_delivery(result.cluster_id)
    notice = f"Reply sent to {result.deliveries} channel(s)."
    return RedirectResponse(f"/inbox?notice={notice}", status_code=303)


@router.post("/inbox/clusters/{cluster_id}/retry")
def inbox_retry(request: Request, cluster_id: str) -> Response:
    principal = inbox_page(request)
    try:
        channels = _undelivered(principal, cluster_id)
    except SiftError as error:
        return _detail(request, cluster_id, error=str(error))
    flows.start_delivery(cluster_id)
    return _detail(request, cluster_id, notice=f"Sending again to {channels} channel(s).")


@router.post("/inbox/clusters/{cluster_id}/messages/{message_id}/remove")
def inbox_remove(request: Request, cluster_id: str, message_id: str) -> Response:
    principal = inbox_page(request)
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        service.remove_cluster_message(
            session,
            cluster_id=service.parse_uuid(cluster_id, "cluster"),
            message_id=service.parse_uuid(message_id, "message"),
        )
    return RedirectResponse(f"/inbox/clusters/{cluster_id}", status_code=303)
