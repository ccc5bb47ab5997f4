"""Social sources as pages: recent posts of an account, one markdown page per post.

Every social fetcher implements the one `Ingestor` protocol (`ingestor.py`) and only
*produces pages*; extraction pools them with the organisation's website pages later. Three
fetchers run Apify actors through `apify-client` (Instagram, Facebook, X); the offline
default imports a JSON file of already-normalised posts, which is also how a TikTok account
or an export from any other tool gets in.

Whatever the origin, each platform's item shape is first normalised into one `SocialPost`,
then the same rules apply: posts of the last 30 days, newest first, at most 50, empty
captions skipped (a photo without words tells extraction nothing). A post without a date is
kept: the actor was asked for recent posts, and dropping it would lose real content.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, field_validator

from sift.directory.ingest.ingestor import (
    DEFAULT_LIMIT,
    DEFAULT_MAX_AGE_DAYS,
    PLATFORM_LABELS,
    DiscoverConfig,
    IngestFailed,
    IngestorNotConfigured,
)
from sift.directory.ingest.pages import (
    InvalidSource,
    RawPage,
    normalise_handle,
    profile_url,
)
from sift.errors import SiftError

log = logging.getLogger(__name__)

SUSPECT_SHRINK = 0.5
"""A fetch with under this share of the posts already cached is not believed."""
SUSPECT_MIN_LOSS = 5
"""…unless it lost fewer posts than this: a few posts ageing out of the window is normal."""


def fetch_looks_truncated(fetched: int, cached: int) -> bool:
    """Whether a social fetch that "succeeded" probably did not see the account.

    A blocked or rate-limited scraper, a profile turned private or renamed, or an actor that
    changed its output all end as a successful run with few or no items; taken at its word
    it would wipe the account's cached posts and make extraction propose deleting them. An
    account does not lose most of its recent posts between two fetches, so such a result
    keeps the cache and is reported as a warning for an admin to look at.
    """
    if cached == 0:
        return False
    return fetched == 0 or (
        fetched < cached * SUSPECT_SHRINK and cached - fetched >= SUSPECT_MIN_LOSS
    )


@dataclass(frozen=True)
class SocialPost:
    """One post, whatever platform or tool it came from."""

    platform: str
    url: str
    text: str
    posted_at: datetime | None = None
    location: str | None = None
    handle: str | None = None
    image_url: str | None = None


# --- turning posts into pages ------------------------------------------------------------


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_when(value: Any) -> datetime | None:
    """A timestamp as platforms write them: ISO 8601, epoch seconds or ms, or X's format."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _as_utc(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return parse_when(int(text))
        try:
            return _as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            pass
        for pattern in ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%d %H:%M:%S"):
            try:
                return _as_utc(datetime.strptime(text, pattern))
            except ValueError:
                continue
    return None


def select_recent(
    posts: Sequence[SocialPost],
    *,
    limit: int = DEFAULT_LIMIT,
    max_age_days: int | None = DEFAULT_MAX_AGE_DAYS,
    now: datetime | None = None,
) -> list[SocialPost]:
    """Non-empty posts of the last `max_age_days`, newest first (undated last), at most `limit`."""
    cutoff = None
    if max_age_days is not None:
        cutoff = (now or datetime.now(UTC)) - timedelta(days=max_age_days)
    kept = [
        p
        for p in posts
        if p.text.strip() and (cutoff is None or p.posted_at is None or p.posted_at >= cutoff)
    ]
    kept.sort(
        key=lambda p: (
            p.posted_at is None,
            -(p.posted_at or datetime.min.replace(tzinfo=UTC)).timestamp(),
        )
    )
    unique: dict[str, SocialPost] = {}
    for post in kept:
        unique.setdefault(post.url, post)
    return list(unique.values())[: max(0, min(limit, DEFAULT_LIMIT))]


def post_to_page(post: SocialPost, *, site_url: str, handle: str | None = None) -> RawPage:
    """One post as a markdown page, with what extraction needs (place, date) spelled out."""
    label = PLATFORM_LABELS.get(post.platform, post.platform.title())
    who = post.handle or handle
    heading = f"{label} post by @{who}" if who else f"{label} post"
    lines = [f"# {heading}", "", post.text.strip(), "", "---", ""]
    if post.location:
        lines.append(f"**Location**: {post.location}")
    if post.posted_at:
        lines.append(f"**Posted**: {post.posted_at.strftime('%B %d, %Y')}")
    metadata: dict[str, Any] = {
        "platform": post.platform,
        "handle": who,
        "location": post.location,
        "posted_at": post.posted_at.isoformat() if post.posted_at else None,
        "image_url": post.image_url,
        "content_type": "text/markdown",
    }
    return RawPage(
        url=post.url,
        site_url=site_url,
        title=heading,
        content="\n".join(lines).rstrip() + "\n",
        metadata=metadata,
    )


def _pages(posts: Sequence[SocialPost], config: DiscoverConfig) -> list[RawPage]:
    recent = select_recent(
        posts, limit=config.limit, max_age_days=config.max_age_days, now=config.now
    )
    return [post_to_page(p, site_url=config.site_url, handle=config.handle) for p in recent]


# --- platform item shapes ----------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _first(item: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = item.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _mapping(value: Any) -> Mapping[str, Any]:
    """`value` when it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def _first_media_url(media: Any) -> str | None:
    if not isinstance(media, list) or not media:
        return None
    first = media[0]
    if isinstance(first, str):
        return first
    if isinstance(first, Mapping):
        photo = first.get("photo_image")
        if isinstance(photo, Mapping) and photo.get("uri"):
            return str(photo["uri"])
        value = _first(first, "media_url_https", "thumbnail", "url", "image")
        return str(value) if value else None
    return None


def instagram_post(item: Mapping[str, Any], handle: str | None = None) -> SocialPost | None:
    """An `apify/instagram-post-scraper` item (url, caption, timestamp, locationName, …)."""
    url = _first(item, "url", "inputUrl")
    if not url and item.get("shortCode"):
        url = f"https://www.instagram.com/p/{item['shortCode']}/"
    if not url or item.get("error"):
        return None
    return SocialPost(
        platform="instagram",
        url=str(url),
        text=_text(item.get("caption")),
        posted_at=parse_when(item.get("timestamp")),
        location=_first(item, "locationName") or None,
        handle=_first(item, "ownerUsername") or handle,
        image_url=_first(item, "displayUrl") or _first_media_url(item.get("images")),
    )


def facebook_post(item: Mapping[str, Any], handle: str | None = None) -> SocialPost | None:
    """An `apify/facebook-posts-scraper` item (url, text, time or timestamp, media, …)."""
    url = _first(item, "url", "topLevelUrl", "facebookUrl")
    if not url or item.get("error"):
        return None
    location = item.get("location")
    if isinstance(location, Mapping):
        location = _first(location, "name", "address")
    return SocialPost(
        platform="facebook",
        url=str(url),
        text=_text(_first(item, "text", "postText", "message")),
        posted_at=parse_when(_first(item, "time", "timestamp", "date")),
        location=location or None,
        handle=handle or _first(item, "pageName"),
        image_url=_first_media_url(item.get("media")),
    )


def x_post(item: Mapping[str, Any], handle: str | None = None) -> SocialPost | None:
    """An `apidojo/tweet-scraper` item (url, fullText/text, createdAt, author, place, …)."""
    url = _first(item, "url", "twitterUrl")
    if not url or item.get("noResults") or item.get("error"):
        return None
    author = _mapping(item.get("author"))
    place = _mapping(item.get("place"))
    entities = _mapping(item.get("extendedEntities"))
    return SocialPost(
        platform="x",
        url=str(url),
        text=_text(_first(item, "fullText", "text")),
        posted_at=parse_when(item.get("createdAt")),
        location=_first(place, "full_name", "fullName", "name") or None,
        handle=_first(author, "userName", "username") or handle,
        image_url=_first_media_url(entities.get("media")) or _first_media_url(item.get("media")),
    )


# --- Apify -------------------------------------------------------------------------------

ItemParser = Callable[[Mapping[str, Any], str | None], SocialPost | None]
InputBuilder = Callable[[str, DiscoverConfig], dict[str, Any]]


def _since(config: DiscoverConfig) -> datetime | None:
    if config.max_age_days is None:
        return None
    return (config.now or datetime.now(UTC)) - timedelta(days=config.max_age_days)


def _instagram_input(handle: str, config: DiscoverConfig) -> dict[str, Any]:
    run_input: dict[str, Any] = {"username": [handle], "resultsLimit": config.limit}
    if config.max_age_days is not None:
        run_input["onlyPostsNewerThan"] = f"{config.max_age_days} days"
    return run_input


def _facebook_input(handle: str, config: DiscoverConfig) -> dict[str, Any]:
    run_input: dict[str, Any] = {
        "startUrls": [{"url": profile_url("facebook", handle)}],
        "resultsLimit": config.limit,
    }
    if config.max_age_days is not None:
        run_input["onlyPostsNewerThan"] = f"{config.max_age_days} days"
    return run_input


def _x_input(handle: str, config: DiscoverConfig) -> dict[str, Any]:
    run_input: dict[str, Any] = {
        "twitterHandles": [handle],
        "maxItems": config.limit,
        "sort": "Latest",
    }
    since = _since(config)
    if since is not None:
        run_input["start"] = since.date().isoformat()
    return run_input


class ApifyIngestor:
    """Runs an Apify actor for an account and turns its dataset items into pages."""

    platform: str = ""
    parse_item: ItemParser
    build_input: InputBuilder

    def __init__(
        self,
        *,
        token: str,
        actor_id: str,
        base_url: str | None = None,
        wait_s: float = 600,
        max_retries: int = 4,
    ) -> None:
        if not token:
            raise IngestorNotConfigured(
                f"SIFT_APIFY_TOKEN is not set, so {PLATFORM_LABELS[self.platform]} sources "
                "cannot be fetched; set it, or import the posts from a JSON file"
            )
        from apify_client import ApifyClient

        kwargs: dict[str, Any] = {"max_retries": max_retries}
        if base_url:
            kwargs["api_url"] = base_url
        self._client = ApifyClient(token, **kwargs)
        self.actor_id = actor_id
        self.name = self.platform
        self._wait = timedelta(seconds=wait_s)

    def _handle(self, config: DiscoverConfig) -> str:
        raw = config.handle or config.options.get("handle") or config.site_url
        if not raw:
            raise InvalidSource(f"a {PLATFORM_LABELS[self.platform]} source needs a handle")
        return normalise_handle(self.platform, raw)

    def fetch_items(
        self, run_input: dict[str, Any], *, max_items: int = 500
    ) -> list[dict[str, Any]]:
        """Run the actor to completion and read up to `max_items` items of its dataset."""
        from apify_client.errors import ApifyApiError

        label = PLATFORM_LABELS[self.platform]
        try:
            run = self._client.actor(self.actor_id).call(
                run_input=run_input, logger=None, wait_duration=self._wait
            )
            if run is None:
                raise IngestFailed(f"the Apify run of {self.actor_id} disappeared before finishing")
            status = str(getattr(run.status, "value", run.status))
            if status != "SUCCEEDED":
                detail = f": {run.status_message}" if run.status_message else ""
                raise IngestFailed(
                    f"the Apify actor {self.actor_id} for {label} ended with {status}{detail}"
                )
            page = self._client.dataset(run.default_dataset_id).list_items(
                clean=True, limit=max_items
            )
        except ApifyApiError as error:
            hint = (
                " (check SIFT_APIFY_TOKEN)"
                if getattr(error, "status_code", None) in (401, 403)
                else ""
            )
            raise IngestFailed(f"Apify refused the {label} request: {error}{hint}") from error
        except IngestFailed:
            raise
        except Exception as error:  # transport errors from the client's HTTP layer
            raise IngestFailed(f"could not reach Apify for {label}: {error}") from error
        return [item for item in page.items if isinstance(item, dict)]

    def discover(self, config: DiscoverConfig) -> list[RawPage]:
        handle = self._handle(config)
        items = self.fetch_items(type(self).build_input(handle, config))
        parse = type(self).parse_item
        posts = [post for item in items if (post := parse(item, handle)) is not None]
        pages = _pages(posts, config)
        for page in pages:
            page.metadata["source"] = "apify"
        log.info("%s @%s: %d items, %d pages", self.platform, handle, len(items), len(pages))
        return pages

    def fetch_specific(self, urls: Sequence[str]) -> list[RawPage]:
        """Apify's profile scrapers cannot fetch single posts; re-discovery picks up changes."""
        return []


class InstagramIngestor(ApifyIngestor):
    platform = "instagram"
    parse_item = staticmethod(instagram_post)
    build_input = staticmethod(_instagram_input)


class FacebookIngestor(ApifyIngestor):
    platform = "facebook"
    parse_item = staticmethod(facebook_post)
    build_input = staticmethod(_facebook_input)


class XIngestor(ApifyIngestor):
    platform = "x"
    parse_item = staticmethod(x_post)
    build_input = staticmethod(_x_input)


class InvalidImportFile(SiftError, ValueError):
    """A JSON import file that is not a list of post records; names the record and field."""


# --- JSON import -------------------------------------------------------------------------


class ImportedPost(BaseModel):
    """One record of an import file: a post already in Sift's normalised shape."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: str
    text: str
    posted_at: datetime
    location: str | None = None
    platform: str | None = None
    handle: str | None = None
    image_url: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("posted_at", mode="before")
    @classmethod
    def _iso_only(cls, value: Any) -> Any:
        # Pydantic would take a bare number as epoch seconds; an export must say what it means.
        if not isinstance(value, str | datetime):
            raise ValueError("must be an ISO 8601 date-time string such as 2026-02-11T09:30:00Z")
        return value

    @field_validator("platform", mode="before")
    @classmethod
    def _platform(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower()
            value = "x" if value == "twitter" else value
            if value not in PLATFORM_LABELS:
                raise ValueError(f"must be one of {', '.join(PLATFORM_LABELS)}")
        return value


_IMPORT_ADAPTER = TypeAdapter(list[ImportedPost])


def load_import_file(path: str | Path) -> list[ImportedPost]:
    """Read and validate an import file, or raise `InvalidImportFile` saying what is wrong."""
    file = Path(path)
    try:
        raw = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidImportFile(f"import file {file} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidImportFile(f"cannot read import file {file}: {error}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidImportFile(
            f"{file} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    if not isinstance(data, list):
        raise InvalidImportFile(
            f"{file} must hold a JSON list of post objects, not a {type(data).__name__}"
        )
    try:
        return _IMPORT_ADAPTER.validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = list(first["loc"])
        index = loc[0] if loc and isinstance(loc[0], int) else "?"
        name = ".".join(str(p) for p in loc[1:]) or "(the record itself)"
        more = error.error_count() - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        raise InvalidImportFile(
            f"{file}: record {index}, field {name!r}: {first['msg']}{tail}"
        ) from None


class JsonImportIngestor:
    """Posts from a JSON export file: the offline default and the way in for any platform.

    The file is a list of `{url, text, posted_at, location?, platform?, handle?}` objects.
    Records naming another platform or handle than the source asked for are left out, so one
    export can feed several sources.
    """

    name = "json_import"

    def __init__(self, path: str | Path, *, platform: str | None = None) -> None:
        self.path = Path(path)
        self.platform = platform

    def _posts(self, handle: str | None) -> list[SocialPost]:
        posts = []
        for record in load_import_file(self.path):
            if self.platform and record.platform and record.platform != self.platform:
                continue
            record_handle = record.handle.removeprefix("@").lower() if record.handle else None
            if handle and record_handle and record_handle != handle:
                continue
            posts.append(
                SocialPost(
                    platform=record.platform or self.platform or "social",
                    url=record.url,
                    text=record.text,
                    posted_at=_as_utc(record.posted_at),
                    location=record.location or None,
                    handle=record_handle or handle,
                    image_url=record.image_url,
                )
            )
        return posts

    def _wanted_handle(self, config: DiscoverConfig) -> str | None:
        raw = config.handle or config.options.get("handle")
        if not raw:
            return None
        if self.platform:
            return normalise_handle(self.platform, raw)
        return raw.removeprefix("@").strip().lower()

    def discover(self, config: DiscoverConfig) -> list[RawPage]:
        pages = _pages(self._posts(self._wanted_handle(config)), config)
        for page in pages:
            page.metadata["source"] = "json_import"
        return pages

    def fetch_specific(self, urls: Sequence[str]) -> list[RawPage]:
        wanted = set(urls)
        return [
            post_to_page(post, site_url=self._site_url(post))
            for post in self._posts(None)
            if post.url in wanted
        ]

    @staticmethod
    def _site_url(post: SocialPost) -> str:
        """The profile URL the post's source is keyed by, when the record says whose it is."""
        if post.handle and post.platform in PLATFORM_LABELS:
            try:
                return profile_url(post.platform, post.handle)
            except InvalidSource:
                pass
        return post.url
