"""Which fetcher serves a source type under the current settings.

Above `website.py` and `social.py`: the one place that knows every kind of source.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sift.directory.ingest.ingestor import PLATFORM_LABELS, Ingestor, IngestorNotConfigured
from sift.directory.ingest.pages import InvalidSource
from sift.directory.ingest.social import (
    ApifyIngestor,
    FacebookIngestor,
    InstagramIngestor,
    JsonImportIngestor,
    XIngestor,
)
from sift.directory.ingest.website import WebsiteIngestor

if TYPE_CHECKING:
    from sift.config import Settings

_APIFY_INGESTORS: dict[str, tuple[type[ApifyIngestor], str]] = {
    "instagram": (InstagramIngestor, "apify_instagram_actor"),
    "facebook": (FacebookIngestor, "apify_facebook_actor"),
    "x": (XIngestor, "apify_x_actor"),
}


def build_ingestor(
    source_type: str, settings: Settings, *, import_path: str | Path | None = None
) -> Ingestor:
    """The fetcher for a source type under these settings.

    With `import_path` a social source reads that JSON export instead of calling Apify. A
    social source without a token (or TikTok, which has no actor) raises
    `IngestorNotConfigured` with the setting to fix.
    """
    kind = (source_type or "").strip().lower()
    kind = "x" if kind == "twitter" else kind
    if kind == "website":
        return WebsiteIngestor(settings)
    if kind not in PLATFORM_LABELS:
        raise InvalidSource(f"unknown source type {source_type!r}")
    if import_path is not None:
        return JsonImportIngestor(import_path, platform=kind)
    if kind not in _APIFY_INGESTORS:
        raise IngestorNotConfigured(
            f"{PLATFORM_LABELS[kind]} posts cannot be scraped through Apify here; import them "
            "from a JSON file instead"
        )
    token = settings.apify_token.get_secret_value() if settings.apify_token else ""
    if not token:
        raise IngestorNotConfigured(
            f"SIFT_APIFY_TOKEN is not set, so {PLATFORM_LABELS[kind]} sources cannot be "
            "fetched; set it, or import the posts from a JSON file"
        )
    cls, actor_setting = _APIFY_INGESTORS[kind]
    return cls(
        token=token, actor_id=getattr(settings, actor_setting), base_url=settings.apify_base_url
    )
