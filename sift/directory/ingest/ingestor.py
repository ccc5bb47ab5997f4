"""What every source fetcher shares: the `Ingestor` protocol, what to fetch
(`DiscoverConfig`), and the two ways a fetch can fail before it produces pages.

Below both `website.py` and `social.py`, so neither needs the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from sift.directory.ingest.pages import RawPage
from sift.errors import SiftError

DEFAULT_LIMIT = 50
DEFAULT_MAX_AGE_DAYS = 30
PLATFORM_LABELS = {"instagram": "Instagram", "facebook": "Facebook", "x": "X", "tiktok": "TikTok"}
"""The social platforms a source can be on, as an admin reads their names."""


class IngestorNotConfigured(SiftError):
    """The fetcher for a source type cannot run with the current settings."""


class IngestFailed(SiftError):
    """The upstream service (Apify) refused, failed or returned something unusable."""


@dataclass(frozen=True)
class DiscoverConfig:
    """What to fetch for one source.

    `site_url` is the key the pages are stored under; `max_age_days=None` keeps posts of
    any age (a fixed demo export would otherwise age out); `now` pins "today" for tests.
    """

    site_url: str
    handle: str | None = None
    limit: int = DEFAULT_LIMIT
    max_age_days: int | None = DEFAULT_MAX_AGE_DAYS
    now: datetime | None = None
    options: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class Ingestor(Protocol):
    """Fetches one source's content as pages; never extracts posts."""

    name: str

    def discover(self, config: DiscoverConfig) -> list[RawPage]: ...

    def fetch_specific(self, urls: Sequence[str]) -> list[RawPage]: ...
