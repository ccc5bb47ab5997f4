"""The public directory: the page residents use, at `/`, with no login.

Search (words and meaning, see `sift.directory.public.search`), a page per organization and per
service with schema.org JSON-LD, a service's and an organization's schedule as iCalendar
feeds, and links to the directory's own HSDS data. Only published posts (`active`, not
deleted) of live organizations appear. Routes only parse, call the service and shape the
answer; every error a visitor can cause is a one-line page with its status, never a 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sift.ai.embeddings import get_embedder
from sift.config import get_settings
from sift.directory.hsds import service as hsds
from sift.directory.models import Organization, Post
from sift.directory.public import calendar, cards, schema_org, search
from sift.errors import NotFound, SiftError, Unavailable
from sift.public_queries import CancelOnDisconnect, public_session
from sift.web import render, templates


class PublicNotFound(NotFound):
    """No published service or organization has that id."""


class PublicRoute(CancelOnDisconnect):
    """Errors a visitor caused are answered on the directory's own page, not the admin's;
    a query still running when the visitor leaves is cancelled."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except SiftError as error:
                status = 404 if isinstance(error, NotFound) else 400
                status = 503 if isinstance(error, Unavailable) else status
                return render(request, "public/error.html", status_code=status, error=str(error))

        return answer


router = APIRouter(include_in_schema=False, route_class=PublicRoute)
cards.install(templates.env)
templates.env.filters["tag_label"] = search.tag_label


def local_now() -> datetime:
    return datetime.now(_zone())


@router.get("/", response_class=HTMLResponse)
def directory_page(
    request: Request,
    q: str | None = None,
    tag: str | None = None,
    day: str | None = None,
    open_now: Annotated[str | None, Query(alias="open")] = None,
    page: str | None = None,
) -> Response:
    now = local_now()
    query = search.parse_query(q=q, tag=tag, day=day, open_now=open_now, page=page, now=now)
    with public_session() as session:
        results = search.search(session, query, embedder=get_embedder())
        if query.page > results.pages:
            raise PublicNotFound(f"there is no page {query.page}: this search has {results.pages}")
        tags = search.tags_in_use(session)
        return render(
            request,
            "public/search.html",
            results=results,
            query=query,
            tags=tags,
            weekdays=calendar.WEEKDAYS,
            now=now,
            suggestions=search.SUGGESTIONS if not results.hits else (),
        )


@router.get("/organizations/{org_id}.ics")
def organization_feed(request: Request, org_id: str) -> Response:
    """Every scheduled service of the organization, one event series per schedule rule."""
    with public_session() as session:
        organization = _organization_or_raise(session, org_id)
        return _ics(
            request, organization.name, _posts_of(session, organization), str(organization.id)
        )


@router.get("/services/{post_id}.ics")
def service_feed(request: Request, post_id: str) -> Response:
    """One service's schedule: what "Add to calendar" on its page subscribes to."""
    with public_session() as session:
        post = _post_or_raise(session, post_id)
        return _ics(request, post.title, [post], str(post.id))


def _ics(request: Request, name: str, posts: list[Post], key: str) -> Response:
    """The iCalendar feed `sift-{key}.ics` of `posts`, each event linking to its page."""
    body = calendar.feed(
        name,
        posts,
        zone=_zone(),
        post_url=lambda post: _absolute(request, "service_page", post_id=str(post.id)),
    )
    filename = f"sift-{key}.ics"
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/organizations/{org_id}", response_class=HTMLResponse)
def organization_page(request: Request, org_id: str) -> Response:
    with public_session() as session:
        organization = _organization_or_raise(session, org_id)
        posts = _posts_of(session, organization)
        website = hsds.websites_of(session, organization_ids=[organization.id]).get(organization.id)
        json_ld = schema_org.organization(
            organization,
            posts,
            url=_link(request, "organization_page", org_id=str(organization.id)),
            website=schema_org.web_link(website),
            post_url=lambda post: _link(request, "service_page", post_id=str(post.id)),
        )
        return render(
            request,
            "public/organization.html",
            organization=organization,
            posts=posts,
            website=website,
            json_ld=json_ld,
            now=local_now(),
        )


@router.get("/services/{post_id}", response_class=HTMLResponse)
def service_page(request: Request, post_id: str) -> Response:
    with public_session() as session:
        post = _post_or_raise(session, post_id)
        organization = session.get_one(Organization, post.organization_id)
        org_url = _link(request, "organization_page", org_id=str(organization.id))
        url = _link(request, "service_page", post_id=str(post.id))
        json_ld = schema_org.service(post, organization, url=url, org_url=org_url)
        return render(
            request,
            "public/service.html",
            post=post,
            organization=organization,
            json_ld=json_ld,
            now=local_now(),
        )


def _absolute(request: Request, name: str, **params: str) -> str | None:
    """The absolute address of a page under `SIFT_PUBLIC_URL`, or None when it is unset.
    Never built from the request: its `Host` header is whatever the client sent, and a
    cached or shared page would carry that host's links to everyone."""
    base = get_settings().public_url
    return base + str(request.app.url_path_for(name, **params)) if base else None


def _link(request: Request, name: str, **params: str) -> str:
    """The page's absolute address when one is configured, else its path."""
    return _absolute(request, name, **params) or str(request.app.url_path_for(name, **params))


def _organization_or_raise(session: Any, org_id: str) -> Organization:
    found = session.scalar(
        hsds.live_organizations().where(Organization.id == _id(org_id, "organization"))
    )
    if found is None:
        raise PublicNotFound(f"no organization with id {org_id[:40]!r}")
    return found


def _post_or_raise(session: Any, post_id: str) -> Post:
    post = session.scalar(hsds.published_posts().where(Post.id == _id(post_id, "service")))
    if post is None:
        raise PublicNotFound(f"no published service with id {post_id[:40]!r}")
    return post  # type: ignore[no-any-return]


def _posts_of(session: Any, organization: Organization) -> list[Post]:
    return list(
        session.scalars(hsds.published_posts().where(Post.organization_id == organization.id))
    )


def _id(value: str, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise PublicNotFound(f"no {kind} with id {value[:40]!r}") from None


def _zone() -> ZoneInfo:
    return ZoneInfo(get_settings().directory_timezone)
