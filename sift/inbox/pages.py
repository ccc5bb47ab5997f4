"""The creator's inbox pages: the cluster list (sort, search by words and meaning, the
strictness slider with its preview), the cluster view (reply, merge, move and remove, one
message or several) and the notices, each with an undo, that follow a change.

Views stay thin: authorise (`access`), one unit of work, the service, the template.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from sift import db
from sift.auth import Principal
from sift.errors import SiftError
from sift.inbox import flows, service
from sift.inbox.access import (
    Corrected,
    answer,
    cluster_owner_checked,
    correct,
    parse_status,
    scope_of,
    set_strictness,
    undelivered,
)
from sift.inbox.models import Cluster as ClusterRow
from sift.web import LoginRequired, charts, render, viewer_of
from sift.web.display import counted

router = APIRouter(include_in_schema=False)


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
        min_channels = min(
            max(0, int(request.query_params.get("min", service.DEFAULT_MIN_CHANNELS))), 2**31 - 1
        )
    except ValueError:
        min_channels = service.DEFAULT_MIN_CHANNELS
    status = request.query_params.get("status", "open")
    search = (request.query_params.get("q") or "").strip()[:200]
    sort = request.query_params.get("sort", "size")
    sort = sort if sort in service.SORTS else "size"
    scope = scope_of(principal, creator)
    with db.session_scope() as session:
        if status == REMOVED:
            views, removed = [], service.removed_messages(session, creator_external_id=scope)
        else:
            removed = []
            views = service.list_clusters(
                session,
                creator_external_id=scope,
                status=parse_status(status),
                min_channel_count=min_channels,
                search=search or None,
                sort=sort,
            )
    return {
        "clusters": views,
        "removed": removed,
        "creator": creator,
        "min": min_channels,
        "status": status,
        "q": search,
        "sort": sort,
        "sorts": service.SORTS,
        "scope": scope,
    }


def _page_context(request: Request, principal: Principal) -> dict[str, object]:
    """The list plus what only the full page shows (the strictness slider, the chart); the
    3-second refresh of the list needs none of it."""
    context = _list_context(request, principal)
    scope = context["scope"]
    with db.session_scope() as session:
        owner = service.get_creator(session, str(scope)) if scope is not None else None
        similarity = service.creator_params(owner).join_similarity if owner else None
    return {
        **context,
        "strictness_of": owner.external_id if owner else None,
        "strictness": owner.grouping_strictness if owner else None,
        "default_strictness": service.default_strictness(owner),
        "similarity": similarity,
        "sizes_chart": _sizes_chart(context["clusters"]),  # type: ignore[arg-type]
    }


SIZE_BUCKETS = [(1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 5, "4-5"), (6, 9, "6-9")]
"""Channel counts grouped for the cluster-size chart (10 and more share the last bar)."""


def _sizes_chart(clusters: list[service.ClusterView]) -> Markup:
    """How many of the listed clusters reach how many channels: the bigger, the more one
    reply saves. Drawn from the very clusters listed, so the chart and the list agree."""
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
    return charts.stacked_bars("Listed clusters by number of channels", bars)


# --- notices told once, with their undo -------------------------------------------------------

FLASH_COOKIE = "sift_inbox_flash"
"""What the last action did, told once on the next page (never in its URL, so a reload or
a shared link does not repeat it). It holds facts, not text: the page words the notice."""
UNDO_AT_MOST = 40
"""Ids an undo carries in the flash cookie (a cookie holds ~4 KB); a bigger change is
undone from the "removed" filter or by moving back."""


def _flash(response: Response, request: Request, **facts: object) -> Response:
    value = base64.urlsafe_b64encode(json.dumps(facts).encode()).decode()
    secure = request.url.scheme == "https"
    response.set_cookie(
        FLASH_COOKIE, value, max_age=60, path="/inbox", httponly=True, samesite="lax", secure=secure
    )
    return response


def _ids(value: object) -> list[uuid.UUID]:
    items = value if isinstance(value, list) else [value]
    return [uuid.UUID(str(item)) for item in items]


def _take_flash(request: Request) -> dict[str, object]:
    """The pending notice as page context: `notice` (text), or `undo_notice` with, after a
    removal, `undo` (the cluster and messages to restore) or, after a move or merge,
    `undo_change` (the cluster and the corrections to take back). Anything malformed reads
    as no notice."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return {}
    try:
        facts = json.loads(base64.urlsafe_b64decode(raw.encode()))
        if "sent" in facts:
            return {"notice": f"Reply sent to {counted(int(facts['sent']), 'channel')}."}
        if "removed" in facts:
            messages = _ids(facts["removed"])
            undo = {"cluster": uuid.UUID(facts["cluster"]), "messages": messages}
            return {"undo": undo, "undo_notice": _removed_notice(len(messages))}
        if "corrected" in facts:
            undo = {"cluster": uuid.UUID(facts["cluster"]), "corrections": _ids(facts["corrected"])}
            return {"undo_change": undo, "undo_notice": str(facts.get("told", "Done."))[:200]}
        if "strictness" in facts:
            return {"notice": _strictness_notice(facts["strictness"])}
        if "undone" in facts:
            return {"notice": "Undone: the messages are back where they were."}
    except (ValueError, TypeError, KeyError, binascii.Error):
        pass
    return {}


def _removed_notice(count: int) -> str:
    if count == 1:
        return "Message removed from this cluster."
    return f"{count} messages removed from this cluster."


def _strictness_notice(strictness: object) -> str:
    """What Save did, in words: the setting and that the inbox is being re-grouped."""
    if strictness is None:
        setting = "automatic (adapts to your inbox)"
    else:
        setting = f"{float(str(strictness)):.2f} on the scale from group more (0) to group less (1)"
    return f"Grouping saved: {setting}. Your open clusters are being re-grouped now."


def _told(request: Request, response: HTMLResponse) -> HTMLResponse:
    """The flash has been shown: it is not shown again."""
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/inbox")
    return response


# --- the list -----------------------------------------------------------------------------------


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
        chosen = None if reset else service.parse_strictness(strictness)
        set_strictness(creator, chosen)
    except SiftError as error:
        context = {**_page_context(request, principal), "creator": creator, "error": str(error)}
        return render(request, "inbox/list.html", status_code=400, **context)
    response = RedirectResponse(f"/inbox?creator={quote(creator)}", status_code=303)
    return _flash(response, request, strictness=chosen)


@router.get("/inbox/strictness/preview", response_class=HTMLResponse)
def inbox_strictness_preview(request: Request) -> HTMLResponse:
    """ "About N clusters" for the slider's position, asked while it moves (htmx)."""
    principal = inbox_page(request)
    creator = request.query_params.get("creator", "")
    principal.require_creator(creator)
    try:
        strictness = service.parse_strictness(request.query_params.get("strictness", ""))
        with db.session_scope() as session:
            preview = service.preview_strictness(
                session, creator_external_id=creator, strictness=strictness
            )
    except SiftError as error:
        return HTMLResponse(f'<span class="error">{Markup.escape(str(error))}</span>', 400)
    return render(request, "inbox/_preview.html", preview=preview)


# --- the cluster view ---------------------------------------------------------------------------

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
            cluster_owner_checked(session, principal, cluster_id)
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
        cluster_owner_checked(session, principal, cluster_id)
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
        result = answer(principal, cluster_id, response_text, int(confirm_channels))
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
        channels = undelivered(principal, cluster_id)
    except SiftError as error:
        return _detail(request, cluster_id, error=str(error))
    flows.start_delivery(cluster_id)
    return _detail(request, cluster_id, notice=f"Sending again to {counted(channels, 'channel')}.")


# --- corrections, each told with its undo -------------------------------------------------------


def _page_correction(
    request: Request,
    cluster_id: str,
    change: Callable[..., ClusterRow],
    told: Callable[[Corrected], str] | None = None,
    back_here: bool = False,
    **arguments: object,
) -> Response:
    """A correction from the cluster page: to the cluster the change left the message(s)
    in (or back to this one with `back_here`), told with `told` and an undo; or this page
    with the reason it was refused."""
    try:
        done = correct(inbox_page(request), cluster_id, change, **arguments)
    except SiftError as error:
        return _detail(request, cluster_id, status_code=400, error=str(error))
    where = cluster_id if back_here else str(done.view.id)
    response = RedirectResponse(f"/inbox/clusters/{where}", status_code=303)
    if told is None or not done.corrections or len(done.corrections) > UNDO_AT_MOST:
        return response
    return _flash(
        response, request, corrected=done.corrections, cluster=str(done.view.id), told=told(done)
    )


def _quoted(view: service.ClusterView) -> str:
    title = view.title if len(view.title) <= 60 else view.title[:59] + "…"
    return f"“{title}”"


@router.post("/inbox/clusters/{cluster_id}/merge")
def inbox_merge(request: Request, cluster_id: str, other: str = Form("")) -> Response:
    return _page_correction(
        request,
        cluster_id,
        service.merge_clusters,
        lambda done: (
            f"Merged: this cluster now holds {counted(done.view.channel_count, 'channel')}."
        ),
        other_cluster_id=other,
    )


@router.post("/inbox/clusters/{cluster_id}/messages/{message_id}/move")
def inbox_move(request: Request, cluster_id: str, message_id: str, to: str = Form("")) -> Response:
    """`to` is a cluster id, or "new" for a cluster of the message's own; the list starts
    on a placeholder, so a Move without a choice is refused rather than guessed."""
    if not to:
        return _detail(request, cluster_id, status_code=400, error="choose where to move it")
    return _page_correction(
        request,
        cluster_id,
        service.move_message,
        lambda done: "Message moved to this cluster.",
        message_id=message_id,
        to_cluster_id=None if to == "new" else to,
    )


@router.post("/inbox/clusters/{cluster_id}/messages")
def inbox_selected(
    request: Request,
    cluster_id: str,
    message: list[str] = Form([]),
    action: str = Form(""),
    to: str = Form(""),
) -> Response:
    """Several messages at once, ticked in the cluster view: `action` move (to `to`, a
    cluster id or "new", all into one new cluster) or remove. Stays on this cluster."""
    selected = list(dict.fromkeys(message))
    if not selected:
        return _detail(request, cluster_id, status_code=400, error="no message was selected")
    if action == "remove":
        return _remove(request, cluster_id, selected)
    if action != "move" or not to:
        return _detail(request, cluster_id, status_code=400, error="choose where to move them")
    return _page_correction(
        request,
        cluster_id,
        service.move_messages,
        lambda done: f"{counted(len(selected), 'message')} moved to {_quoted(done.view)}.",
        back_here=True,
        message_ids=selected,
        to_cluster_id=None if to == "new" else to,
    )


@router.post("/inbox/clusters/{cluster_id}/undo")
def inbox_undo(request: Request, cluster_id: str, correction: list[str] = Form([])) -> Response:
    """Take back the move or merge just told (its corrections are in the form)."""
    corrections = list(dict.fromkeys(correction))
    try:
        done = correct(
            inbox_page(request),
            cluster_id,
            service.undo_corrections,
            correction_ids=corrections,
        )
    except SiftError as error:
        return _detail(request, cluster_id, status_code=400, error=str(error))
    response = RedirectResponse(f"/inbox/clusters/{done.view.id}", status_code=303)
    return _flash(response, request, undone=True)


@router.post("/inbox/clusters/{cluster_id}/messages/{message_id}/restore")
def inbox_restore(request: Request, cluster_id: str, message_id: str) -> Response:
    return _page_correction(
        request, cluster_id, service.restore_cluster_message, message_id=message_id
    )


@router.post("/inbox/clusters/{cluster_id}/restore")
def inbox_restore_several(
    request: Request, cluster_id: str, message: list[str] = Form([])
) -> Response:
    """The undo of a removal of several messages: each comes back where it was."""
    principal = inbox_page(request)
    try:
        with db.session_scope() as session:
            cluster_owner_checked(session, principal, cluster_id)
            for message_id in dict.fromkeys(message[: service.MOVE_AT_ONCE]):
                service.restore_cluster_message(
                    session, cluster_id=cluster_id, message_id=str(message_id)
                )
    except SiftError as error:
        return _detail(request, cluster_id, status_code=400, error=str(error))
    return RedirectResponse(f"/inbox/clusters/{cluster_id}", status_code=303)


@router.post("/inbox/clusters/{cluster_id}/messages/{message_id}/remove")
def inbox_remove(request: Request, cluster_id: str, message_id: str) -> Response:
    """Takes the message out at once; the cluster page then offers to undo it."""
    return _remove(request, cluster_id, [message_id])


def _remove(request: Request, cluster_id: str, message_ids: list[str]) -> Response:
    principal = inbox_page(request)
    try:
        with db.session_scope() as session:
            cluster_owner_checked(session, principal, cluster_id)
            removed = [
                message_id
                for message_id in dict.fromkeys(message_ids[: service.MOVE_AT_ONCE])
                if service.remove_cluster_message(
                    session,
                    cluster_id=service.parse_uuid(cluster_id, "cluster"),
                    message_id=service.parse_uuid(message_id, "message"),
                )
            ]
    except service.ClusterNotFound as error:
        raise HTTPException(404, str(error)) from None
    except SiftError as error:
        return _detail(request, cluster_id, status_code=400, error=str(error))
    response = RedirectResponse(f"/inbox/clusters/{cluster_id}", status_code=303)
    if not removed or len(removed) > UNDO_AT_MOST:
        return response
    undo = removed[0] if len(removed) == 1 else removed
    return _flash(response, request, removed=undo, cluster=cluster_id)
