"""The inbox's GraphQL types and resolvers, the GetStream webhook and the inbox pages.

Authorisation: creator tokens carry the creator's *external* id (the chat platform's user
id, the same one webhooks name and `sift token creator ID` takes), because that is the id
every client already knows; Sift's UUIDs never need to leave the server for it. A creator
token sees and acts on that creator's clusters only; an admin token sees every creator.
Resolvers stay thin: authorise, open a unit of work, call the service, shape the answer.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

import strawberry
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.orm import Session

from sift import db
from sift.api import blocking, info_context
from sift.auth import NotAuthorized, Principal
from sift.config import get_settings
from sift.errors import SiftError
from sift.inbox import flows, ingest, service, webhooks
from sift.inbox.models import Cluster as ClusterRow
from sift.inbox.models import ClusterStatus, Creator, InboundMessage, first_problem
from sift.web import LoginRequired, charts, render, viewer_of
from sift.web.display import counted
from sift.web.middleware import BODY_LIMITS

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
    fan_count: int
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

    @strawberry.field(
        description="The nearest open clusters close enough to suggest merging, closest first."
    )
    @blocking
    def similar_clusters(self) -> list[SimilarCluster]:
        with db.session_scope() as session:
            return [
                SimilarCluster(similarity=round(s.similarity, 4), cluster=Cluster.of(s.cluster))
                for s in service.similar_clusters(session, str(self.id))
            ]

    @classmethod
    def of(cls, view: service.ClusterView) -> Cluster:
        return cls(
            id=strawberry.ID(str(view.id)),
            creator_id=view.creator_external_id,
            status=view.status.value,
            is_paid=view.is_paid,
            fan_count=view.fan_count,
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
class SimilarCluster:
    similarity: float = strawberry.field(
        description="Average cosine between the members of the two clusters."
    )
    cluster: Cluster


@strawberry.type
class RemovedMessage:
    cluster_id: strawberry.ID
    message: ClusterMessage


@strawberry.type
class GroupingStrictness:
    creator_id: str
    strictness: float | None = strawberry.field(
        description="0 groups the most, 1 the least; null is the default, which adapts to "
        "the inbox."
    )
    similarity: float = strawberry.field(
        description="The similarity messages are grouped at now: the chosen strictness's, "
        "or at the default the one calibrated on the inbox."
    )
    calibrated_messages: int | None = strawberry.field(
        description="How many messages the inbox's last calibration saw; null before one."
    )

    @classmethod
    def of(cls, creator: Creator) -> GroupingStrictness:
        return cls(
            creator_id=creator.external_id,
            strictness=creator.grouping_strictness,
            similarity=service.creator_params(creator).join_similarity,
            calibrated_messages=creator.calibrated_messages,
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

    @strawberry.field(description="Messages the creator removed, most recent first.")
    @blocking
    def removed_messages(
        self, info: strawberry.Info, creator_id: str | None = None
    ) -> list[RemovedMessage]:
        scope = _scope(_principal(info), creator_id)
        with db.session_scope() as session:
            return [
                RemovedMessage(
                    cluster_id=strawberry.ID(str(r.cluster_id)), message=ClusterMessage.of(r.member)
                )
                for r in service.removed_messages(session, creator_external_id=scope)
            ]

    @strawberry.field
    @blocking
    def grouping_strictness(self, info: strawberry.Info, creator_id: str) -> GroupingStrictness:
        _principal(info).require_creator(creator_id)
        with db.session_scope() as session:
            return GroupingStrictness.of(service.get_creator_or_raise(session, creator_id))


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

    @strawberry.mutation(
        description="Answer every active message of a cluster. With `expectedChannels` (the "
        "count the creator confirmed) nothing is sent if the cluster has changed since."
    )
    @blocking
    def action_cluster(
        self,
        info: strawberry.Info,
        id: strawberry.ID,
        response_text: str,
        expected_channels: int | None = None,
    ) -> ActionOutcome:
        result = _action(_principal(info), str(id), response_text, expected_channels)
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

    @strawberry.mutation(description="Undo a removal; returns the cluster the message is in.")
    @blocking
    def restore_cluster_message(
        self, info: strawberry.Info, cluster_id: strawberry.ID, message_id: strawberry.ID
    ) -> Cluster:
        return _correct(
            _principal(info),
            str(cluster_id),
            service.restore_cluster_message,
            message_id=str(message_id),
        )

    @strawberry.mutation(
        description="Merge `otherId` into cluster `id`; re-grouping never splits the result."
    )
    @blocking
    def merge_clusters(
        self, info: strawberry.Info, id: strawberry.ID, other_id: strawberry.ID
    ) -> Cluster:
        return _correct(
            _principal(info), str(id), service.merge_clusters, other_cluster_id=str(other_id)
        )

    @strawberry.mutation(
        description="Move a message to another open cluster, or to a new one of its own "
        "without `toClusterId`; re-grouping never puts it back. Returns where it went."
    )
    @blocking
    def move_cluster_message(
        self,
        info: strawberry.Info,
        cluster_id: strawberry.ID,
        message_id: strawberry.ID,
        to_cluster_id: strawberry.ID | None = None,
    ) -> Cluster:
        return _correct(
            _principal(info),
            str(cluster_id),
            service.move_message,
            message_id=str(message_id),
            to_cluster_id=None if to_cluster_id is None else str(to_cluster_id),
        )

    @strawberry.mutation(
        description="How readily the creator's messages are grouped: 0 groups the most, "
        "1 the least, null the default (adapts to the inbox). The inbox is re-grouped with it."
    )
    @blocking
    def set_grouping_strictness(
        self, info: strawberry.Info, creator_id: str, strictness: float | None = None
    ) -> GroupingStrictness:
        _principal(info).require_creator(creator_id)
        _set_strictness(creator_id, strictness)
        with db.session_scope() as session:
            return GroupingStrictness.of(service.get_creator_or_raise(session, creator_id))

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


def _action(
    principal: Principal, cluster_id: str, response_text: str, expected_channels: int | None
) -> service.ActionResult:
    """Answer a cluster in one transaction; the delivery run starts after it commits."""
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        return service.action_cluster(
            session,
            cluster_id=cluster_id,
            response_text=response_text,
            expected_channels=expected_channels,
        )


def _correct(
    principal: Principal,
    cluster_id: str,
    change: Callable[..., ClusterRow],
    **arguments: str | None,
) -> Cluster:
    """One correction of the grouping by the cluster's owner (`change`, a service function
    called with the cluster and `arguments`), in one transaction; answers with the cluster
    the change left the message(s) in."""
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        changed = change(session, cluster_id=cluster_id, **arguments)
        return Cluster.of(service.cluster_view(session, changed.id))


def _set_strictness(creator_id: str, strictness: float | None) -> None:
    """Store the creator's strictness, then re-group their inbox with it."""
    with db.session_scope() as session:
        service.set_grouping_strictness(
            session, creator_external_id=creator_id, strictness=strictness
        )
    flows.start_regroup(creator_id)


def _undelivered(principal: Principal, cluster_id: str) -> int:
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        return service.undelivered_channels(session, cluster_id)


# --- the GetStream webhook --------------------------------------------------------------------


def _apply_event(payload: object, body: bytes) -> str:
    max_age = get_settings().webhook_max_age_s
    with db.session_scope() as session:
        return webhooks.handle(session, payload, body=body, max_age_s=max_age)


@router.post("/webhooks/stream", max_body_size=BODY_LIMITS["webhook"])
async def stream_webhook(request: Request) -> JSONResponse:
    """Verified before anything is read: a request without a signature is refused unread,
    a bad signature stores nothing, and the body is capped (413) while it is read."""
    signature = request.headers.get("x-signature")
    if not signature:
        return JSONResponse({"detail": "missing webhook signature"}, status_code=401)
    body = await request.body()
    secret = get_settings().webhook_secret.get_secret_value()
    if not webhooks.signature_ok(secret, body, signature):
        return JSONResponse({"detail": "invalid webhook signature"}, status_code=401)
    try:
        payload = webhooks.parse(body)
        outcome = await asyncio.to_thread(_apply_event, payload, body)
    except webhooks.MalformedEvent as error:
        return JSONResponse({"detail": str(error)}, status_code=400)
    return JSONResponse({"ok": True, "outcome": outcome})


# --- pages ------------------------------------------------------------------------------------


def inbox_page(request: Request) -> Principal:
    """Admins see every inbox; a creator's token cookie opens that creator's inbox."""
    principal = viewer_of(request)
    if not (principal.is_admin or principal.creator_id):
        raise LoginRequired()
    return principal


REMOVED = "removed"
"""The list filter that shows removed messages (to undo a removal) instead of clusters."""


def _list_context(request: Request, principal: Principal) -> dict[str, object]:
    creator = request.query_params.get("creator") or None
    try:  # clamped: a number past PostgreSQL's integer range would be a database error
        min_channels = min(max(0, int(request.query_params.get("min", "2"))), 2**31 - 1)
    except ValueError:
        min_channels = 2
    status = request.query_params.get("status", "open")
    search = (request.query_params.get("q") or "").strip()[:200]
    scope = _scope(principal, creator)
    with db.session_scope() as session:
        if status == REMOVED:
            views, removed = [], service.removed_messages(session, creator_external_id=scope)
        else:
            removed = []
            views = service.list_clusters(
                session,
                creator_external_id=scope,
                status=_status(status),
                min_channel_count=min_channels,
                search=search or None,
            )
    return {
        "clusters": views,
        "removed": removed,
        "creator": creator,
        "min": min_channels,
        "status": status,
        "q": search,
        "scope": scope,
    }


def _page_context(request: Request, principal: Principal) -> dict[str, object]:
    """The list plus what only the full page shows (the strictness slider, the chart); the
    3-second refresh of the list needs none of it."""
    context = _list_context(request, principal)
    scope = context["scope"]
    with db.session_scope() as session:
        owner = service.get_creator(session, str(scope)) if scope is not None else None
    return {
        **context,
        "strictness_of": owner.external_id if owner else None,
        "strictness": owner.grouping_strictness if owner else None,
        "default_strictness": service.default_strictness(owner),
        "sizes_chart": _sizes_chart(context["clusters"]),  # type: ignore[arg-type]
    }


SIZE_BUCKETS = [(1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 5, "4-5"), (6, 9, "6-9")]
"""Channel counts grouped for the cluster-size chart (10 and more share the last bar)."""


def _sizes_chart(clusters: list[service.ClusterView]) -> Markup:
    """How many of the listed clusters reach how many channels: the bigger, the more one
    reply saves."""
    if not clusters:
        return Markup("")
    buckets = [*SIZE_BUCKETS, (10, 2**31, "10+")]
    bars = [
        charts.Bar(
            label=label,
            segments={"clusters": sum(low <= c.channel_count <= high for c in clusters)},
        )
        for low, high, label in buckets
    ]
    return charts.stacked_bars("Clusters by number of channels", bars)


FLASH_COOKIE = "sift_inbox_flash"
"""What the last action did, told once on the next page (never in its URL, so a reload or
a shared link does not repeat it). It holds facts, not text: the page words the notice."""


def _flash(response: Response, request: Request, **facts: object) -> Response:
    value = base64.urlsafe_b64encode(json.dumps(facts).encode()).decode()
    secure = request.url.scheme == "https"
    response.set_cookie(
        FLASH_COOKIE, value, max_age=60, path="/inbox", httponly=True, samesite="lax", secure=secure
    )
    return response


def _take_flash(request: Request) -> dict[str, object]:
    """The pending notice as page context: `notice` (text) and, after a removal, `undo`
    (the cluster and message to restore). Anything malformed reads as no notice."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return {}
    try:
        facts = json.loads(base64.urlsafe_b64decode(raw.encode()))
        if "sent" in facts:
            return {"notice": f"Reply sent to {counted(int(facts['sent']), 'channel')}."}
        if "removed" in facts:
            undo = {"cluster": uuid.UUID(facts["cluster"]), "message": uuid.UUID(facts["removed"])}
            return {"undo": undo}
    except (ValueError, TypeError, KeyError, binascii.Error):
        pass
    return {}


def _told(request: Request, response: HTMLResponse) -> HTMLResponse:
    """The flash has been shown: it is not shown again."""
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/inbox")
    return response


@router.get("/inbox", response_class=HTMLResponse)
def inbox_list(request: Request) -> HTMLResponse:
    principal = inbox_page(request)
    context = {**_page_context(request, principal), **_take_flash(request)}
    return _told(request, render(request, "inbox/list.html", **context))


@router.get("/inbox/clusters", response_class=HTMLResponse)
def inbox_list_fragment(request: Request) -> HTMLResponse:
    """The table htmx swaps in every few seconds, so new messages show up live."""
    principal = inbox_page(request)
    return render(request, "inbox/_clusters.html", **_list_context(request, principal))


@router.post("/inbox/strictness")
def inbox_strictness(
    request: Request, creator: str = Form(""), strictness: str = Form(""), reset: str = Form("")
) -> Response:
    """The "group more ↔ group less" slider of a creator's inbox (reset: the default)."""
    principal = inbox_page(request)
    principal.require_creator(creator)
    try:
        _set_strictness(creator, None if reset else service.parse_strictness(strictness))
    except SiftError as error:
        context = {**_page_context(request, principal), "creator": creator, "error": str(error)}
        return render(request, "inbox/list.html", status_code=400, **context)
    return RedirectResponse(f"/inbox?creator={quote(creator)}", status_code=303)


RAIL_LENGTH = 50
"""Open clusters listed beside the open cluster (on a wide screen), in the list's order."""


def _detail(
    request: Request, cluster_id: str, *, status_code: int = 200, **extra: object
) -> HTMLResponse:
    """The cluster page. Reading it changes nothing: the cluster is opened for reply (kept
    away from re-grouping) only when the creator asks to send a reply."""
    principal = inbox_page(request)
    try:
        with db.session_scope() as session:
            _cluster_owner_checked(session, principal, cluster_id)
            view = service.cluster_view(session, cluster_id)
            if principal.creator_id == view.creator_external_id:
                service.mark_seen(session, cluster_id)
            suggestions = service.suggest_responses(session, cluster_id)
            deliveries = service.delivery_tasks(session, cluster_id)
            nearest = service.nearest_clusters(session, cluster_id)
            removed = service.removed_messages(
                session, creator_external_id=view.creator_external_id, cluster_id=cluster_id
            )
            beside = service.list_clusters(
                session, creator_external_id=view.creator_external_id, limit=RAIL_LENGTH
            )
    except service.ClusterNotFound as error:
        raise HTTPException(404, str(error)) from None
    extra.setdefault("draft", request.query_params.get("draft"))
    return render(
        request,
        "inbox/detail.html",
        status_code=status_code,
        cluster=view,
        suggestions=suggestions,
        deliveries=deliveries,
        similar=[n for n in nearest if n.suggested],
        move_targets=nearest,
        removed=removed,
        beside=beside,
        **extra,
    )


@router.get("/inbox/clusters/{cluster_id}", response_class=HTMLResponse)
def inbox_detail(request: Request, cluster_id: str) -> HTMLResponse:
    return _told(request, _detail(request, cluster_id, **_take_flash(request)))


def _confirmation(
    request: Request, principal: Principal, cluster_id: str, response_text: str, **extra: object
) -> HTMLResponse:
    """The step before a reply is sent: it opens the cluster for reply and shows how many
    fans in how many channels the reply will reach."""
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        audience = service.prepare_reply(
            session, cluster_id=cluster_id, response_text=response_text
        )
        view = service.cluster_view(session, cluster_id)
    return render(
        request,
        "inbox/confirm.html",
        cluster=view,
        audience=audience,
        draft=response_text.strip(),
        **extra,
    )


@router.post("/inbox/clusters/{cluster_id}/reply")
def inbox_reply(
    request: Request,
    cluster_id: str,
    response_text: str = Form(""),
    confirm_channels: str = Form(""),
) -> Response:
    """First post: the confirmation step. The confirmed post (with the channel count the
    creator saw) sends, unless the cluster changed meanwhile: then it asks again."""
    principal = inbox_page(request)
    try:
        if not confirm_channels.isdigit():
            return _confirmation(request, principal, cluster_id, response_text)
        result = _action(principal, cluster_id, response_text, int(confirm_channels))
    except service.AudienceChanged as error:
        return _confirmation(request, principal, cluster_id, response_text, error=str(error))
    except SiftError as error:
        return _detail(request, cluster_id, status_code=400, error=str(error), draft=response_text)
    flows.start_delivery(result.cluster_id)
    return _flash(RedirectResponse("/inbox", status_code=303), request, sent=result.deliveries)


@router.post("/inbox/clusters/{cluster_id}/retry")
def inbox_retry(request: Request, cluster_id: str) -> Response:
    principal = inbox_page(request)
    try:
        channels = _undelivered(principal, cluster_id)
    except SiftError as error:
        return _detail(request, cluster_id, error=str(error))
    flows.start_delivery(cluster_id)
    return _detail(request, cluster_id, notice=f"Sending again to {channels} channel(s).")


def _page_correction(
    request: Request,
    cluster_id: str,
    change: Callable[..., ClusterRow],
    **arguments: str | None,
) -> Response:
    """A correction from the cluster page: back to the cluster the change left the
    message(s) in, or this page with the reason it was refused."""
    try:
        changed = _correct(inbox_page(request), cluster_id, change, **arguments)
    except SiftError as error:
        return _detail(request, cluster_id, status_code=400, error=str(error))
    return RedirectResponse(f"/inbox/clusters/{changed.id}", status_code=303)


@router.post("/inbox/clusters/{cluster_id}/merge")
def inbox_merge(request: Request, cluster_id: str, other: str = Form("")) -> Response:
    return _page_correction(request, cluster_id, service.merge_clusters, other_cluster_id=other)


@router.post("/inbox/clusters/{cluster_id}/messages/{message_id}/move")
def inbox_move(request: Request, cluster_id: str, message_id: str, to: str = Form("")) -> Response:
    """`to` is a cluster id, or "new" for a cluster of the message's own."""
    return _page_correction(
        request,
        cluster_id,
        service.move_message,
        message_id=message_id,
        to_cluster_id=None if to == "new" else to,
    )


@router.post("/inbox/clusters/{cluster_id}/messages/{message_id}/restore")
def inbox_restore(request: Request, cluster_id: str, message_id: str) -> Response:
    return _page_correction(
        request, cluster_id, service.restore_cluster_message, message_id=message_id
    )


@router.post("/inbox/clusters/{cluster_id}/messages/{message_id}/remove")
def inbox_remove(request: Request, cluster_id: str, message_id: str) -> Response:
    """Takes the message out at once; the cluster page then offers to undo it."""
    principal = inbox_page(request)
    with db.session_scope() as session:
        _cluster_owner_checked(session, principal, cluster_id)
        removed = service.remove_cluster_message(
            session,
            cluster_id=service.parse_uuid(cluster_id, "cluster"),
            message_id=service.parse_uuid(message_id, "message"),
        )
    response = RedirectResponse(f"/inbox/clusters/{cluster_id}", status_code=303)
    if not removed:
        return response
    return _flash(response, request, removed=message_id, cluster=cluster_id)
