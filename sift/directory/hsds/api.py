"""The HSDS API's read endpoints under `/hsds`: public, read-only, paginated, cached by ETag.

Lists answer with the HSDS `Page` shape (`total_items`, `page_number`, `contents` …) and
the one-to-one fields of each item; `/{id}` answers the fully nested object. Every answer
carries an ETag of its body, so a client that sends it back in `If-None-Match` gets an
empty 304 while nothing it would see has changed. Bad parameters are one-line 400s and
unknown ids 404s (as every `SiftError`, through the app's handler).
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response

from sift.directory.hsds import mapping, schemas
from sift.directory.hsds import service as hsds
from sift.directory.models import Organization, Post
from sift.errors import SiftError
from sift.public_queries import CancelOnDisconnect, public_session

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"

router = APIRouter(prefix="/hsds", tags=["hsds"], route_class=CancelOnDisconnect)


class BadParameter(SiftError):
    """A query parameter the HSDS API cannot use (answered with 400)."""


@router.get("/")
def meta(request: Request) -> Response:
    return cached(request, {"version": schemas.HSDS_VERSION, "openapi_url": OPENAPI_URL})


@router.get("/services")
def list_services(
    request: Request,
    search: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
    organization_id: str | None = None,
) -> Response:
    query = hsds.matching(hsds.published_posts(), search, Post.title, Post.description)
    if organization_id is not None:
        query = query.where(Post.organization_id == _uuid_or_none(organization_id))
    with public_session() as session:
        posts, page_info = _page(session, query, page, per_page)
        contents = [
            mapping.service_summary(mapping.hsds_service(p, organization_id=str(p.organization_id)))
            for p in posts
        ]
    return cached(request, {**page_info, "contents": contents})


@router.get("/services/{service_id}")
def get_service(request: Request, service_id: str) -> Response:
    with public_session() as session:
        post = hsds.get_published_post_or_raise(session, ref=service_id)
        document = hsds.service_document(session, post)
    return cached(request, document)


@router.get("/organizations")
def list_organizations(
    request: Request,
    search: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
) -> Response:
    query = hsds.matching(
        hsds.live_organizations(), search, Organization.name, Organization.description
    )
    with public_session() as session:
        organizations, page_info = _page(session, query, page, per_page)
        contents = hsds.organization_summaries(session, organizations)
    return cached(request, {**page_info, "contents": contents})


@router.get("/organizations/{organization_id}")
def get_organization(request: Request, organization_id: str) -> Response:
    with public_session() as session:
        organization = hsds.get_organization_or_raise(session, ref=organization_id)
        document = hsds.organization_document(session, organization)
    return cached(request, document)


def _page(
    session: Any, query: sa.Select[Any], page: str | None, per_page: str | None
) -> tuple[list[Any], dict[str, Any]]:
    """One page of `query`'s rows and the HSDS page fields that describe it.

    Any whole number is a page the specification allows, so none is refused: a page before
    the first reads as the first, a size outside 1..200 as the nearest bound, and a page past
    the last is empty (as a client paging on would expect)."""
    number = max(1, _whole(page, "page", default=1))
    size = min(max(1, _whole(per_page, "per_page", default=DEFAULT_PER_PAGE)), MAX_PER_PAGE)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = math.ceil(total / size)
    offset = (number - 1) * size
    rows = [] if number > pages else list(session.scalars(query.limit(size).offset(offset)))
    return rows, {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(rows),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not rows,
    }


def _whole(value: str | None, name: str, *, default: int) -> int:
    """Plain ASCII digits with an optional minus only: `int()` would also take " 2", "+2",
    "2_0" and "٢". Longer than 12 characters reads as the far end, not as a huge number."""
    if value is None:
        return default
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise BadParameter(f"{name} must be a whole number, not {value[:40]!r}")
    if len(digits) > 12:
        return -(10**12) if value.startswith("-") else 10**12
    return int(value)


def _uuid_or_none(value: str) -> uuid.UUID | None:
    """The organization a filter names; one that is not a UUID names no organization, so
    its list is empty (the specification takes any string here)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def cached(request: Request, body: dict[str, Any]) -> Response:
    """The JSON answer with its ETag, or an empty 304 when the client already has it."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, no-cache"}
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type="application/json", headers=headers)


def _etag_matches(header: str | None, etag: str) -> bool:
    """`If-None-Match` compares weakly (RFC 9110): `W/"x"` matches `"x"`, `*` matches all."""
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags
