"""The directory's periodic jobs (cron with seconds, UTC)."""

from sift.directory.flows import crawl_due_sources

SCHEDULES = [
    # Every 15 minutes: sources whose scrape_frequency_hours has elapsed are crawled.
    ("directory-crawl-due-sources", crawl_due_sources, "0 */15 * * * *"),
]
