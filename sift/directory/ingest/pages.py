"""What every source fetcher produces, and the keys that tie fetched pages to a source.

A source is a *content fetcher*: a website crawl or a social scrape ends in `RawPage`s and
nothing else. Pages are tied to their source by `site_url` (`https://{domain}` for a
website, the profile URL for a social account), so the normalisers here decide what counts
as "the same source": `WWW.Example.org/about` and `https://example.org` must both become
`example.org`, `@Meals.On.Wheels` and `https://www.instagram.com/meals.on.wheels/` the same
handle, or an organisation's pages would be split across two keys.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from sift.errors import SiftError

SourceType = Literal["website", "instagram", "facebook", "x", "tiktok"]
SOCIAL_PLATFORMS: tuple[str, ...] = ("instagram", "facebook", "x", "tiktok")
SOURCE_TYPES: tuple[str, ...] = ("website", *SOCIAL_PLATFORMS)


class InvalidSource(SiftError, ValueError):
    """A domain, handle or source URL that cannot name a source; the message says why."""


def content_hash(content: str) -> str:
    """sha256 hex of the page content: equal hashes mean nothing worth re-extracting changed."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RawPage:
    """One fetched page: a web page's main content or one social post, as markdown."""

    url: str
    site_url: str
    content: str
    title: str | None = None
    fetched_at: datetime = field(default_factory=_now)
    metadata: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""

    def __post_init__(self) -> None:
        # PostgreSQL stores no NUL character in text or JSONB, and a page in a mis-declared
        # encoding is full of them: dropped here, or one such page would fail a whole crawl.
        self.url, self.site_url, self.content = map(
            _without_nul, (self.url, self.site_url, self.content)
        )
        self.title = _without_nul(self.title)
        self.metadata = _without_nul(self.metadata)
        # Always derived, so a caller cannot store a page whose hash disagrees with its text.
        self.content_hash = content_hash(self.content)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(v) for v in value]
    return value


# --- domains -----------------------------------------------------------------------------

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DEFAULT_PORTS = {"80", "443"}


def normalise_domain(text: str) -> str:
    """The bare host (plus a non-default port) a website source is keyed by.

    Accepts what people paste: `https://www.Example.org/path?q#f`, `example.org/`,
    `EXAMPLE.org:443`. Drops scheme, `www.`, path, query, fragment and default ports, and
    lower-cases. IP literals are accepted (with a port, as `127.0.0.1:8080` for a demo
    site); whether one may be *fetched* is the crawl guard's decision, not this one's.
    """
    raw = (text or "").strip()
    if not raw:
        raise InvalidSource("a website domain is required, e.g. example.org")
    candidate = raw if _SCHEME.match(raw) else f"//{raw}"
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError as error:
        raise InvalidSource(f"{raw!r} is not a website address: {error}") from None
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise InvalidSource(f"{raw!r} is not a website address: only http(s) sites can be crawled")
    if "@" in parts.netloc:
        raise InvalidSource(f"{raw!r} is not a website address: it contains user credentials")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidSource(f"{raw!r} is not a website address: no host name found")
    host = _canonical_host(host, raw)
    if port is not None and str(port) not in _DEFAULT_PORTS:
        return f"{host}:{port}"
    return host


def _canonical_host(host: str, raw: str) -> str:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidSource(
            f"{raw!r} is not a website address: expected a domain such as example.org"
        ) from None
    if host.startswith("www."):
        host = host[4:]
    if host == "localhost":  # the one dotless name people use, for demos; the guard decides
        return host
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidSource(
            f"{raw!r} is not a website address: expected a domain such as example.org"
        )
    if labels[-1].isdigit():
        raise InvalidSource(f"{raw!r} is not a website address: the last label is numeric")
    return host


# --- social handles ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Platform:
    label: str
    hosts: tuple[str, ...]
    pattern: re.Pattern[str]
    rule: str
    reserved: frozenset[str] = frozenset()


_PLATFORMS: dict[str, _Platform] = {
    "instagram": _Platform(
        "Instagram",
        ("instagram.com",),
        re.compile(r"^(?!\.)(?!.*\.\.)[a-z0-9._]{1,30}(?<!\.)$"),
        "1-30 letters, digits, periods or underscores, not starting or ending with a period",
        frozenset({"p", "reel", "reels", "explore", "stories", "accounts", "tv", "direct"}),
    ),
    "facebook": _Platform(
        "Facebook",
        ("facebook.com", "fb.com", "fb.me"),
        re.compile(r"^[a-z0-9][a-z0-9.-]{1,49}$"),
        "2-50 letters, digits, periods or hyphens (or a numeric page id)",
        frozenset(
            {"groups", "events", "watch", "photo", "photo.php", "story.php", "share", "login"}
        ),
    ),
    "x": _Platform(
        "X",
        ("x.com", "twitter.com"),
        re.compile(r"^[a-z0-9_]{1,15}$"),
        "1-15 letters, digits or underscores",
        frozenset({"home", "search", "explore", "i", "intent", "hashtag", "share", "settings"}),
    ),
    "tiktok": _Platform(
        "TikTok",
        ("tiktok.com",),
        re.compile(r"^[a-z0-9._]{2,24}(?<!\.)$"),
        "2-24 letters, digits, periods or underscores, not ending with a period",
        frozenset({"video", "tag", "discover", "music", "foryou"}),
    ),
}


_SOCIAL_HOSTS = tuple(f".{h}" for p in _PLATFORMS.values() for h in p.hosts) + tuple(
    h for p in _PLATFORMS.values() for h in p.hosts
)


def _platform(platform: str) -> _Platform:
    key = (platform or "").strip().lower()
    if key == "twitter":
        key = "x"
    if key not in _PLATFORMS:
        known = ", ".join(_PLATFORMS)
        raise InvalidSource(f"unknown social platform {platform!r}; expected one of {known}")
    return _PLATFORMS[key]


def normalise_handle(platform: str, text: str) -> str:
    """The lower-case account name a social source is keyed by.

    Accepts `name`, `@name` and profile URLs (`https://www.instagram.com/name/`,
    `x.com/name`, `tiktok.com/@name`, `facebook.com/profile.php?id=123`). A URL of another
    platform, or of a post rather than a profile, is rejected rather than guessed at.
    """
    spec = _platform(platform)
    raw = (text or "").strip()
    if not raw:
        raise InvalidSource(f"a {spec.label} handle is required")
    handle = raw
    first_part = raw.lower().split("/")[0]
    if _SCHEME.match(raw) or "/" in raw or first_part.endswith(_SOCIAL_HOSTS):
        handle = _handle_from_url(spec, raw)
    handle = handle.removeprefix("@").strip().lower()
    if spec.label == "Facebook" and handle.isdigit():
        return handle
    if not spec.pattern.match(handle) or handle in spec.reserved:
        raise InvalidSource(f"{raw!r} is not a valid {spec.label} handle: use {spec.rule}")
    return handle


def _handle_from_url(spec: _Platform, raw: str) -> str:
    parts = urlsplit(raw if _SCHEME.match(raw) else f"https://{raw}")
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        host = host.removeprefix(prefix)
    if host not in spec.hosts:
        raise InvalidSource(f"{raw!r} is not a {spec.label} profile URL (host {host or '?'})")
    segments = [s for s in parts.path.split("/") if s]
    if spec.label == "Facebook" and segments[:1] == ["profile.php"]:
        ids = parse_qs(parts.query).get("id", [])
        if ids and ids[0].isdigit():
            return ids[0]
        raise InvalidSource(f"{raw!r} is a Facebook profile URL without a numeric id")
    if not segments:
        raise InvalidSource(f"{raw!r} has no account name in it")
    first = segments[0]
    if spec.label == "TikTok" and not first.startswith("@"):
        raise InvalidSource(f"{raw!r} is not a TikTok profile URL: expected tiktok.com/@name")
    if first.lower() in spec.reserved:
        raise InvalidSource(f"{raw!r} is a {spec.label} post or page URL, not a profile")
    return first


def profile_url(platform: str, handle: str) -> str:
    """The canonical profile URL for a handle, the `site_url` of a social source."""
    spec = _platform(platform)
    h = normalise_handle(platform, handle)
    if spec.label == "Instagram":
        return f"https://www.instagram.com/{h}/"
    if spec.label == "Facebook":
        return f"https://www.facebook.com/{h}/"
    if spec.label == "X":
        return f"https://x.com/{h}"
    return f"https://www.tiktok.com/@{h}"


def site_url_for(
    source_type: str,
    *,
    domain: str | None = None,
    handle: str | None = None,
    url: str | None = None,
) -> str:
    """The `extraction_pages.site_url` a source's pages are stored under.

    website → `https://{domain}` (the domain, or failing that the URL, normalised); social →
    the source's own URL when it has one, else the profile URL built from the handle.
    """
    kind = (source_type or "").strip().lower()
    if kind == "website":
        target = domain or url
        if not target:
            raise InvalidSource("a website source needs a domain or URL")
        return f"https://{normalise_domain(target)}"
    if kind == "twitter":
        kind = "x"
    if kind not in SOCIAL_PLATFORMS:
        raise InvalidSource(
            f"unknown source type {source_type!r}; expected one of {', '.join(SOURCE_TYPES)}"
        )
    if url and url.strip():
        return url.strip()
    if not handle:
        raise InvalidSource(f"a {_platform(kind).label} source needs a handle or a profile URL")
    return profile_url(kind, handle)
