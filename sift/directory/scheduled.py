"""The directory's periodic jobs (cron with seconds, UTC)."""

from sift.directory.extraction.flows import extract_due_organizations
from sift.directory.public.flows import embed_published_posts
from sift.directory.registry.flows import crawl_due_sources

SCHEDULES = [
    # Sources whose scrape_frequency_hours has elapsed are crawled (websites and social).
    ("directory-crawl-due-sources", crawl_due_sources, "0 */15 * * * *"),
    # Organizations with content newer than their last extraction are extracted.
    ("directory-extract-due-orgs", extract_due_organizations, "30 */15 * * * *"),
    # Published posts whose text has no current embedding: an approval embeds what it
    # publishes, so this catches only what it could not (the embedding API was down).
    ("directory-embed-posts", embed_published_posts, "45 */15 * * * *"),
]
