"""The admin's post page: a post as residents will read it, its history of proposals, the
pages it came from, and the form that stages an edit for review (an edit is a proposal
like any other, so it is reviewed before it reaches the post).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from sift import db
from sift.directory import schedules
from sift.directory.models import Post as PostRow
from sift.directory.proposals import batches, post_form, recovery, schedule_form
from sift.directory.proposals.post_form import edit_form_values
from sift.directory.registry import service
from sift.errors import SiftError
from sift.web import admin_page, display, render

router = APIRouter(include_in_schema=False)
FORM_REFUSED = "Nothing was saved: correct the fields marked below."


_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,}[0-9]")
LINK_SCHEMES = ("http", "https", "mailto", "tel")


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
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The post page; after a refused edit, its form shows what the admin typed, each
    problem beside its field."""
    with db.session_scope() as session:
        post = service.get_post_or_raise(session, ref=post_id, lock=False)
        org = service.get_organization_or_raise(session, ref=post.organization_id)
        history = batches.post_history(session, post_id=post.id)
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
            schedule=[schedules.entry_text(e) for e in post.schedule or [] if isinstance(e, dict)],
            problems=problems or {},
            **_form_context(post, typed),
            pages=service.post_pages(session, post_id=post.id),
            history=history,
            waiting=[h for h in history if h.kind == "proposal" and h.status == "pending"],
        )


@router.get("/posts/{post_id}", response_class=HTMLResponse)
def post_page(request: Request, post_id: str) -> HTMLResponse:
    """One post: its content as users will read it, its history, the pages it came from,
    and a form that stages an edit for review."""
    admin_page(request)
    return _post_page(request, post_id)


def _form_context(post: PostRow | None, typed: FormData | None) -> dict[str, object]:
    return {
        "form": edit_form_values(post, typed),
        "contact_keys": list((post.contact or {}) if post is not None else {}),
        "weekdays": schedules.WEEKDAYS,
        "ordinals": list(schedules.ORDINAL_WORDS.items()),
        "words_example": schedule_form.WORDS_EXAMPLE,
    }


def _stage_edit(request: Request, post_id: str, form: FormData) -> Response:
    principal = admin_page(request)
    try:
        with db.session_scope() as session:
            post = service.get_post_or_raise(session, ref=post_id)
            changes = post_form.content_of(form, post)
            recovery.request_edit(
                session, post=post, changes=changes, requested_by=principal.actor
            )
    except service.InvalidInput as error:
        return _post_page(request, post_id, typed=form, status_code=400, **refusal(error))
    return RedirectResponse(f"/posts/{post_id}", status_code=303)


def refusal(error: service.InvalidInput) -> dict[str, Any]:
    """A refused form as the page shows it: the problems beside their fields under one
    line saying nothing was saved, or the one line of a refusal no field is to blame for."""
    if isinstance(error, service.FormInvalid):
        return {"error": FORM_REFUSED, "problems": error.problems}
    return {"error": str(error)}


@router.post("/posts/{post_id}/edit")
async def edit_post(request: Request, post_id: str) -> Response:
    """Stage the edit as an update proposal (reviewed like any other change), then show
    the post again, whose notice links to the waiting proposal."""
    form = await request.form()
    return await run_in_threadpool(_stage_edit, request, post_id, form)


@router.post("/posts/{post_id}/archive")
def archive_post(request: Request, post_id: str, reason: str = Form("")) -> Response:
    """Take the post off the directory now (a soft delete the admin's word approves, in
    its history); the post page then offers the restore."""
    principal = admin_page(request)
    try:
        with db.session_scope() as session:
            post = service.get_post_or_raise(session, ref=post_id)
            recovery.archive_post(session, post=post, archived_by=principal.actor, reason=reason)
    except SiftError as error:
        return _post_page(request, post_id, error=str(error), status_code=400)
    return RedirectResponse(f"/posts/{post_id}", status_code=303)


@router.post("/posts/{post_id}/restore")
def restore_post(request: Request, post_id: str) -> Response:
    """Stage bringing an archived or deleted post back, reviewed like any change; the
    post page's banner then links to the waiting restore."""
    principal = admin_page(request)
    try:
        with db.session_scope() as session:
            recovery.request_restore(session, post_id=post_id, requested_by=principal.actor)
    except SiftError as error:
        return _post_page(request, post_id, error=str(error), status_code=400)
    return RedirectResponse(f"/posts/{post_id}", status_code=303)


def _new_post_page(
    request: Request,
    org_id: str,
    *,
    typed: FormData | None = None,
    error: str | None = None,
    problems: dict[str, str] | None = None,
) -> HTMLResponse:
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        return render(
            request,
            "directory/post_new.html",
            status_code=400 if error else 200,
            org=org,
            error=error,
            problems=problems or {},
            **_form_context(None, typed),
        )


@router.get("/orgs/{org_id}/posts/new", response_class=HTMLResponse)
def new_post_page(request: Request, org_id: str) -> HTMLResponse:
    """The form for a post typed in by hand, the same fields as the edit form."""
    admin_page(request)
    return _new_post_page(request, org_id)


def _add_post(request: Request, org_id: str, form: FormData) -> Response:
    principal = admin_page(request)
    try:
        with db.session_scope() as session:
            org = service.get_organization_or_raise(session, ref=org_id)
            post = recovery.add_post(
                session,
                organization_id=org.id,
                content=post_form.content_of(form, None),
                added_by=principal.actor,
            )
            post_id = post.id
    except service.InvalidInput as error:
        return _new_post_page(request, org_id, typed=form, **refusal(error))
    return RedirectResponse(f"/posts/{post_id}", status_code=303)


@router.post("/orgs/{org_id}/posts/new")
async def add_post(request: Request, org_id: str) -> Response:
    """Publish the post at once (the admin typing it in is its review), then show it."""
    form = await request.form()
    return await run_in_threadpool(_add_post, request, org_id, form)
