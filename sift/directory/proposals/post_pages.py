"""The admin's post page: a post as residents will read it, its history of proposals, the
pages it came from, and the form that stages an edit for review (an edit is a proposal
like any other, so it is reviewed before it reaches the post).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from sift import db
from sift.directory import schedules
from sift.directory.models import Post as PostRow
from sift.directory.proposals import batches, recovery, schedule_form
from sift.directory.registry import service
from sift.web import admin_page, display, render

router = APIRouter(include_in_schema=False)


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
