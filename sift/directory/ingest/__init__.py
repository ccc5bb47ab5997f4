"""Source fetchers: websites and social accounts in, `RawPage`s out (never posts)."""

from sift.directory.ingest.fetchers import build_ingestor
from sift.directory.ingest.guard import CrawlRefused, HostUnresolvable, check_url_allowed
from sift.directory.ingest.ingestor import (
    DiscoverConfig,
    IngestFailed,
    Ingestor,
    IngestorNotConfigured,
)
from sift.directory.ingest.pages import (
    InvalidSource,
    RawPage,
    content_hash,
    normalise_domain,
    normalise_handle,
    profile_url,
    site_url_for,
)
from sift.directory.ingest.social import (
    FacebookIngestor,
    InstagramIngestor,
    InvalidImportFile,
    JsonImportIngestor,
    SocialPost,
    XIngestor,
    fetch_looks_truncated,
)
from sift.directory.ingest.website import (
    CrawlProgress,
    CrawlResult,
    WebsiteIngestor,
    crawl_site,
    fetch_pages,
)

__all__ = [
    "CrawlProgress",
    "CrawlRefused",
    "CrawlResult",
    "DiscoverConfig",
    "FacebookIngestor",
    "HostUnresolvable",
    "IngestFailed",
    "Ingestor",
    "IngestorNotConfigured",
    "InstagramIngestor",
    "InvalidImportFile",
    "InvalidSource",
    "JsonImportIngestor",
    "RawPage",
    "SocialPost",
    "WebsiteIngestor",
    "XIngestor",
    "build_ingestor",
    "check_url_allowed",
    "content_hash",
    "crawl_site",
    "fetch_looks_truncated",
    "fetch_pages",
    "normalise_domain",
    "normalise_handle",
    "profile_url",
    "site_url_for",
]
