"""The post form, shared by the edit of a post and the post an admin adds by hand: the
values it shows, and the content it asks for, with every problem kept beside the field it
is about (`service.FormInvalid.problems`), as an admin used to Django's admin expects.

Nothing typed is lost when a form is refused: the page shows the typed values again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from sift.directory.models import Post
from sift.directory.proposals import schedule_form
from sift.directory.proposals.schedule_form import FieldProblem, FormLike
from sift.directory.registry import service

EDIT_LIMITS = {"title": 300, "summary": 1000, "description": 20000, "audience": 200}
ONE_LINE_LIMIT = 500
_CONTACT_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_T = TypeVar("_T")


def edit_form_values(post: Post | None, typed: FormLike | None) -> dict[str, Any]:
    """The form's values: the post's own (blank for a new post), or what the admin typed."""
    contact = (post.contact or {}) if post is not None else {}
    values: dict[str, Any] = {
        "title": post.title if post else "",
        "summary": (post.summary if post else None) or "",
        "description": post.description if post else "",
        "audience": (post.audience if post else None) or "",
        "location": (post.location if post else None) or "",
        "tags": ", ".join(post.tags) if post else "",
        "new_contact_key": "",
        "new_contact_value": "",
        **{f"contact.{key}": str(value) for key, value in contact.items()},
    }
    if typed is not None:
        values.update({name: str(typed.get(name) or "") for name in values})
    schedule = (
        schedule_form.typed_values(typed)
        if typed is not None
        else schedule_form.form_values(post.schedule if post else [])
    )
    return {**values, **schedule}


def content_of(form: FormLike, post: Post | None) -> dict[str, Any]:
    """The content the form asks for (of `post`, or of a new post when None);
    `service.FormInvalid` names every field that cannot be read."""
    problems: dict[str, str] = {}

    def checked(read: Callable[..., _T], *args: Any, **kwargs: Any) -> _T | None:
        try:
            return read(*args, **kwargs)
        except FieldProblem as problem:
            problems[problem.field] = str(problem)
            return None

    content = {
        "title": checked(_one_line, form, "title", required=True),
        "summary": checked(_one_line, form, "summary"),
        "description": checked(_description, form),
        "audience": checked(_one_line, form, "audience"),
        "location": checked(_one_line, form, "location"),
        "contact": checked(_contact, form, (post.contact or {}) if post is not None else {}),
        "tags": [t.strip() for t in str(form.get("tags") or "").split(",") if t.strip()],
    }
    try:
        content["schedule"] = schedule_form.edited(form, post.schedule if post else [])
    except schedule_form.ScheduleInvalid as invalid:
        problems.update(invalid.problems)
    if problems:
        raise service.FormInvalid(problems)
    return content


def _one_line(form: FormLike, name: str, *, required: bool = False) -> str | None:
    value = " ".join(str(form.get(name) or "").split())
    label = name.removeprefix("contact.").replace("_", " ")
    if required and not value:
        raise FieldProblem(name, f"a post needs a {label}")
    limit = EDIT_LIMITS.get(name, ONE_LINE_LIMIT)
    if len(value) > limit:
        raise FieldProblem(name, f"the {label} is at most {limit} characters")
    return value or None


def _description(form: FormLike) -> str:
    text = str(form.get("description") or "").replace("\r\n", "\n").strip()
    if len(text) > EDIT_LIMITS["description"]:
        raise FieldProblem(
            "description", f"the description is at most {EDIT_LIMITS['description']} characters"
        )
    return text


def _contact(form: FormLike, stored: dict[str, Any]) -> dict[str, str]:
    """The stored contacts as edited (one emptied is dropped) and the one added, if any."""
    contact = {}
    for key in stored:
        value = _one_line(form, f"contact.{key}")
        if value:
            contact[key] = value
    added_key = "_".join(str(form.get("new_contact_key") or "").lower().split())
    added_value = _one_line(form, "new_contact_value")
    if added_key or added_value:
        if not (_CONTACT_KEY.fullmatch(added_key) and added_value):
            raise FieldProblem(
                "new_contact_key", "a new contact needs a name (letters, digits, _) and a value"
            )
        contact[added_key] = added_value
    return contact
