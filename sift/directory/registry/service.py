"""Registry and page-cache operations of the directory: organizations, sources, pages.

Plain functions over a session with keyword-only arguments; they `flush`, never commit —
the caller (a flow step, a request, a CLI command) owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, Session

from sift import db
from sift.db import utcnow
from sift.directory.ingest.pages import (
    InvalidSource,
    RawPage,
    normalise_domain,
    normalise_handle,
    site_url_for,
)
from sift.directory.models import (
    ExtractionPage,
    Organization,
    Post,
    PostSource,
    PostStatus,
    SocialSource,
    Source,
    SourceStatus,
    SourceType,
    WebsiteSource,
)
from sift.errors import NotFound, SiftError


class InvalidInput(SiftError, ValueError):
    """A value that is not a source (names, statuses) is malformed; the message says how."""


class FormInvalid(InvalidInput):
    """A form with problems, each named beside its field (`problems`: field → one line);
    the message lists them all for callers that show one line."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class OrganizationNotFound(NotFound):
    pass


class OrganizationExists(SiftError):
    pass


class SourceNotFound(NotFound):
    pass


class SourceExists(SiftError):
    pass


class PostNotFound(NotFound):
    pass


# --- organizations ------------------------------------------------------------------------


MAX_ORG_NAME = 200
MAX_ORG_DESCRIPTION = 2000


def create_organization(
    session: Session, *, name: str, description: str | None = None
) -> Organization:
    org = Organization(name=_organization_name(session, name), description=description)
    session.add(org)
    _flush_named(session, org)
    return org


def update_organization(
    session: Session, *, organization: Organization, name: str, description: str | None
) -> Organization:
    """An admin's correction of an organization's details; every problem found is named
    beside its field (`FormInvalid`), none of them half-saved."""
    problems: dict[str, str] = {}
    try:
        organization.name = _organization_name(session, name, keep=organization)
    except SiftError as error:
        problems["name"] = str(error)
    text = (description or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_ORG_DESCRIPTION:
        problems["description"] = f"a description is at most {MAX_ORG_DESCRIPTION} characters"
    if problems:
        session.expire(organization)
        raise FormInvalid(problems)
    organization.description = text or None
    _flush_named(session, organization)
    return organization


def _organization_name(
    session: Session, name: str, *, keep: Organization | None = None
) -> str:
    """The name cleaned of stray spaces, refused when empty, too long or another
    organization's (names are unique whatever their case)."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput("an organization needs a name")
    if len(clean) > MAX_ORG_NAME:
        raise InvalidInput(f"an organization name is at most {MAX_ORG_NAME} characters")
    existing = session.scalar(
        sa.select(Organization).where(sa.func.lower(Organization.name) == clean.lower())
    )
    if existing is not None and existing is not keep:
        raise OrganizationExists(f"an organization named {existing.name!r} already exists")
    return clean


def _flush_named(session: Session, org: Organization) -> None:
    try:
        session.flush()
    except sa.exc.IntegrityError:  # the same name, added at the same moment elsewhere
        raise OrganizationExists(f"an organization named {org.name!r} already exists") from None


def get_organization_or_raise(session: Session, *, ref: str | uuid.UUID) -> Organization:
    """Find an organization by id or (case-insensitive) name."""
    org = None
    as_id = _as_uuid(ref)
    if as_id is not None:
        org = session.get(Organization, as_id)
    if org is None:
        org = session.scalar(
            sa.select(Organization).where(sa.func.lower(Organization.name) == str(ref).lower())
        )
    if org is None or org.deleted_at is not None:
        raise OrganizationNotFound(f"no organization {ref!r} (see `sift org list`)")
    return org


def find_organization(session: Session, ref: str) -> Organization:
    """An organization as a person types it: name, id, or the start of its id as a table
    prints it. A full name or id wins over an id prefix, so an organization whose name looks
    like hex is still found by its name."""
    try:
        return get_organization_or_raise(session, ref=ref)
    except OrganizationNotFound:
        return get_organization_or_raise(
            session, ref=db.expand_id_prefix(session, Organization.id, ref)
        )


def find_source(session: Session, ref: str) -> Source:
    """A source as a person types it: domain, `type:handle`, id, or the start of its id."""
    try:
        return get_source_or_raise(session, ref=ref)
    except SourceNotFound:
        return get_source_or_raise(session, ref=db.expand_id_prefix(session, Source.id, ref))


def list_organizations(session: Session) -> list[Organization]:
    return list(
        session.scalars(
            sa.select(Organization)
            .where(Organization.deleted_at.is_(None))
            .order_by(Organization.name)
        )
    )


def _as_uuid(ref: str | uuid.UUID) -> uuid.UUID | None:
    if isinstance(ref, uuid.UUID):
        return ref
    try:
        return uuid.UUID(str(ref))
    except ValueError:
        return None


# --- sources ------------------------------------------------------------------------------


def add_source(
    session: Session,
    *,
    organization: Organization,
    source_type: str,
    value: str,
    scrape_frequency_hours: int = 24,
) -> Source:
    """Register a website (by domain or URL) or a social profile (by handle or profile URL).

    The value is normalised first, so `https://www.Example.org/` and `example.org` are the
    same website and `@Name` and `instagram.com/name` the same profile; a second
    registration of either is refused.
    """
    kind = _source_type(source_type)
    if not 1 <= scrape_frequency_hours <= 24 * 365:
        raise InvalidSource("scrape frequency must be between 1 hour and 1 year")
    source = Source(
        organization_id=organization.id,
        source_type=kind,
        status=SourceStatus.pending,
        scrape_frequency_hours=scrape_frequency_hours,
    )
    if kind is SourceType.website:
        domain = normalise_domain(value)
        taken = session.scalar(sa.select(WebsiteSource).where(WebsiteSource.domain == domain))
        if taken is not None:
            raise SourceExists(f"the website {domain} is already registered")
        # The scheme is kept when one is given: an http-only site crawled as https fails.
        scheme = "http" if value.strip().lower().startswith("http://") else "https"
        source.url = f"{scheme}://{domain}"
        source.website = WebsiteSource(domain=domain)
    else:
        handle = normalise_handle(kind.value, value)
        profile = session.scalar(
            sa.select(SocialSource).where(
                SocialSource.platform == kind, SocialSource.handle == handle
            )
        )
        if profile is not None:
            raise SourceExists(f"the {kind.value} profile @{handle} is already registered")
        source.url = site_url_for(kind.value, handle=handle)
        source.social = SocialSource(platform=kind, handle=handle)
    session.add(source)
    try:
        session.flush()
    except sa.exc.IntegrityError:  # the same source, added at the same moment elsewhere
        raise SourceExists(f"that {kind.value} source is already registered") from None
    return source


def _source_type(text: str) -> SourceType:
    kind = text.strip().lower()
    kind = "x" if kind == "twitter" else kind
    try:
        return SourceType(kind)
    except ValueError:
        allowed = ", ".join(t.value for t in SourceType)
        raise InvalidSource(f"unknown source type {text!r}; expected one of {allowed}") from None


_SOCIAL_KINDS = {t.value for t in SourceType if t is not SourceType.website} | {"twitter"}
"""What may precede `:` in `type:handle`; anything else (`127.0.0.1:9102`) is a domain."""


def get_source_or_raise(session: Session, *, ref: str | uuid.UUID) -> Source:
    """Find a source by id, website domain (with a port if it has one), or `type:handle`
    (e.g. `instagram:food_bank`)."""
    source = None
    as_id = _as_uuid(ref)
    if as_id is not None:
        source = session.get(Source, as_id)
    text = str(ref).strip()
    kind, _, handle = text.partition(":")
    if source is None and handle and kind.strip().lower() in _SOCIAL_KINDS:
        source = session.scalar(
            sa.select(Source)
            .join(SocialSource, SocialSource.source_id == Source.id)
            .where(SocialSource.platform == _source_type(kind))
            .where(SocialSource.handle == handle.strip().lstrip("@").lower())
        )
    if source is None and as_id is None:
        try:
            domain = normalise_domain(text)
        except InvalidSource:
            domain = None
        if domain:
            source = session.scalar(
                sa.select(Source)
                .join(WebsiteSource, WebsiteSource.source_id == Source.id)
                .where(WebsiteSource.domain == domain)
            )
    if source is None:
        raise SourceNotFound(f"no source {ref!r} (see `sift source list`)")
    return source


def list_sources(session: Session, *, organization: Organization | None = None) -> list[Source]:
    query = sa.select(Source).order_by(Source.created_at)
    if organization is not None:
        query = query.where(Source.organization_id == organization.id)
    return list(session.scalars(query).unique())


def set_source_status(session: Session, *, source: Source, status: SourceStatus) -> Source:
    source.status = status
    session.flush()
    return source


def set_source_active(session: Session, *, source: Source, active: bool) -> Source:
    source.active = active
    session.flush()
    return source


def source_site_url(source: Source) -> str:
    """The key this source's pages are stored under in the page cache (seed 001 phase 3)."""
    if source.source_type is SourceType.website:
        assert source.website is not None
        return site_url_for("website", domain=source.website.domain)
    handle = source.social.handle if source.social else None
    return site_url_for(source.source_type.value, handle=handle, url=source.url)


def source_label(source: Source) -> str:
    if source.website is not None:
        return source.website.domain
    if source.social is not None:
        return f"{source.source_type.value}:{source.social.handle}"
    return str(source.id)


def sources_due(session: Session, *, now: datetime | None = None) -> list[Source]:
    """Approved active sources whose scrape frequency has elapsed (never scraped first)."""
    now = now or utcnow()
    interval = sa.func.make_interval(0, 0, 0, 0, Source.scrape_frequency_hours)
    return list(
        session.scalars(
            sa.select(Source)
            .where(Source.status == SourceStatus.approved, Source.active.is_(True))
            .where(
                sa.or_(Source.last_scraped_at.is_(None), Source.last_scraped_at + interval <= now)
            )
            .order_by(Source.last_scraped_at.asc().nulls_first())
        ).unique()
    )


def record_scrape(
    session: Session, *, source_id: uuid.UUID, error: str | None = None, warning: str | None = None
) -> None:
    """Remember the outcome of a crawl: success moves `last_scraped_at`, failure keeps it and
    stores the error so an admin sees why the source is stale. A success with a `warning`
    (a result not believed) moves it too, and keeps the warning where errors are shown."""
    source = session.get(Source, source_id)
    if source is None:
        raise SourceNotFound(f"no source {source_id}")
    if error is None:
        source.last_scraped_at = utcnow()
    note = error or (f"warning: {warning}" if warning else None)
    source.last_error = note[:2000] if note else None
    source.last_error_at = utcnow() if note else None
    session.flush()


# --- the page cache -----------------------------------------------------------------------


@dataclass
class StoreResult:
    stored: int = 0
    unchanged: int = 0

    def __iadd__(self, other: StoreResult) -> StoreResult:
        self.stored += other.stored
        self.unchanged += other.unchanged
        return self


def store_pages(session: Session, *, pages: Iterable[RawPage]) -> StoreResult:
    """Upsert pages by URL; a page whose content hash did not change is not rewritten."""
    result = StoreResult()
    for page in pages:
        existing = session.get(ExtractionPage, page.url)
        if existing is not None and existing.content_hash == page.content_hash:
            result.unchanged += 1
            continue
        if existing is None:
            existing = ExtractionPage(url=page.url)
            session.add(existing)
        existing.site_url = page.site_url
        existing.title = page.title
        existing.content = page.content
        existing.content_hash = page.content_hash
        existing.fetched_at = page.fetched_at
        existing.page_metadata = dict(page.metadata)
        result.stored += 1
    session.flush()
    return result


def drop_pages(
    session: Session,
    *,
    site_url: str,
    gone: Iterable[str] = (),
    keep_only: Iterable[str] | None = None,
) -> int:
    """Take out of the page cache what a source no longer has, so extraction stops seeing
    it (and the sync can propose deleting a service no longer offered): the `gone` URLs,
    or with `keep_only` every page of the source but those. The cache holds only copies
    of what sources publish, refetched at will, so its rows are deleted, not flagged."""
    which = ExtractionPage.site_url == site_url
    if keep_only is not None:
        which = sa.and_(which, ExtractionPage.url.not_in(list(keep_only)))
    else:
        which = sa.and_(which, ExtractionPage.url.in_(list(gone)))
    return len(
        session.execute(sa.delete(ExtractionPage).where(which).returning(ExtractionPage.url)).all()
    )


def pages_for_sites(session: Session, *, site_urls: Iterable[str]) -> list[ExtractionPage]:
    keys = sorted(set(site_urls))
    if not keys:
        return []
    return list(
        session.scalars(
            sa.select(ExtractionPage)
            .where(ExtractionPage.site_url.in_(keys))
            .order_by(ExtractionPage.site_url, ExtractionPage.url)
        )
    )


def page_count(session: Session, *, site_url: str) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(ExtractionPage)
            .where(ExtractionPage.site_url == site_url)
        )
        or 0
    )


def orgs_needing_extraction(session: Session, *, limit: int = 10) -> list[uuid.UUID]:
    """Organizations whose approved active sources were scraped after their last
    extraction; never-extracted ones first, then the longest waiting."""
    newest_scrape = (
        sa.select(Source.organization_id, sa.func.max(Source.last_scraped_at).label("scraped"))
        .where(Source.status == SourceStatus.approved, Source.active.is_(True))
        .where(Source.last_scraped_at.is_not(None))
        .group_by(Source.organization_id)
        .subquery()
    )
    return list(
        session.scalars(
            sa.select(Organization.id)
            .join(newest_scrape, newest_scrape.c.organization_id == Organization.id)
            .where(Organization.deleted_at.is_(None))
            .where(
                sa.or_(
                    Organization.last_extracted_at.is_(None),
                    newest_scrape.c.scraped > Organization.last_extracted_at,
                )
            )
            .order_by(Organization.last_extracted_at.asc().nulls_first())
            .limit(limit)
        )
    )


PURGE_REASON = "Purged by org cleanup (rejected)"


def purge_rejected_posts(session: Session, *, organization_id: uuid.UUID) -> int:
    """Soft-delete every rejected post of the org: already rejected, so safe to clean."""
    result = session.execute(
        sa.update(Post)
        .where(Post.organization_id == organization_id, Post.status == PostStatus.rejected)
        .where(Post.deleted_at.is_(None))
        .values(deleted_at=utcnow(), deleted_reason=PURGE_REASON, version=Post.version + 1)
    )
    session.flush()
    return int(cast(sa.CursorResult[Any], result).rowcount or 0)  # an UPDATE: a cursor result


def get_post_or_raise(session: Session, *, ref: str | uuid.UUID, lock: bool = True) -> Post:
    """A post by id, deleted or not, locked unless `lock=False` (a page only reading it):
    the caller is about to stage a change to it."""
    as_id = _as_uuid(ref)
    post = session.get(Post, as_id, with_for_update=lock) if as_id else None
    if post is None:
        raise PostNotFound(f"no post {ref!r}")
    return post


@dataclass(frozen=True)
class PostPage:
    """A page a post was extracted from, with when the page cache last fetched it."""

    url: str
    source_type: str
    title: str | None
    fetched_at: datetime | None


def post_pages(session: Session, *, post_id: uuid.UUID) -> list[PostPage]:
    """The post's `post_sources` links joined to the page cache, by URL (a link to a
    page no longer cached keeps its URL, without a fetched time)."""
    rows = session.execute(
        sa.select(PostSource, ExtractionPage.title, ExtractionPage.fetched_at)
        .outerjoin(ExtractionPage, ExtractionPage.url == PostSource.page_url)
        .where(PostSource.post_id == post_id)
        .order_by(PostSource.page_url)
    ).all()
    return [
        PostPage(url=link.page_url, source_type=link.source_type.value, title=title, fetched_at=at)
        for link, title, at in rows
    ]


def list_posts(
    session: Session, *, organization_id: uuid.UUID | None, status: str | None = None
) -> list[Post]:
    """The org's live posts (every org's with None), optionally of one status (`deleted`
    lists soft-deleted ones)."""
    query = sa.select(Post)
    if organization_id is not None:
        query = query.where(Post.organization_id == organization_id)
    if status == "deleted":
        query = query.where(Post.deleted_at.is_not(None))
    else:
        query = query.where(Post.deleted_at.is_(None))
        if status:
            try:
                query = query.where(Post.status == PostStatus(status))
            except ValueError:
                allowed = ", ".join([s.value for s in PostStatus] + ["deleted"])
                raise InvalidInput(
                    f"unknown post status {status!r}; use one of {allowed}"
                ) from None
    return list(session.scalars(query.order_by(Post.title)))


def _by_organization(
    query: sa.Select,
    column: QueryableAttribute[uuid.UUID],
    organization_ids: Iterable[uuid.UUID] | None,
) -> sa.Select:
    return query if organization_ids is None else query.where(column.in_(list(organization_ids)))


def post_counts_by_organization(
    session: Session, *, organization_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, dict[str, int]]:
    """Per organization, live posts per status plus soft-deleted ones (`deleted`), in one
    grouped query: the only count of posts any page or API shows."""
    status = sa.case((Post.deleted_at.is_not(None), "deleted"), else_=sa.cast(Post.status, sa.Text))
    query = sa.select(Post.organization_id, status, sa.func.count()).group_by(
        Post.organization_id, status
    )
    counts: dict[uuid.UUID, dict[str, int]] = {}
    for org_id, key, count in session.execute(
        _by_organization(query, Post.organization_id, organization_ids)
    ):
        counts.setdefault(org_id, {})[str(key)] = int(count)
    return counts


def post_counts(session: Session, *, organization_id: uuid.UUID) -> dict[str, int]:
    """One organization's posts per status (see `post_counts_by_organization`)."""
    return post_counts_by_organization(session, organization_ids=[organization_id]).get(
        organization_id, {}
    )


def source_counts(
    session: Session, *, organization_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    query = sa.select(Source.organization_id, sa.func.count()).group_by(Source.organization_id)
    rows = session.execute(_by_organization(query, Source.organization_id, organization_ids))
    return {org_id: int(count) for org_id, count in rows}
