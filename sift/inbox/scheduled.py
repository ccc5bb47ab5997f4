"""The inbox's periodic jobs (cron with seconds, UTC)."""

from sift.inbox.flows import (
    close_empty_clusters,
    regroup_active_creators,
    retry_undelivered_replies,
)

SCHEDULES = [
    # Open clusters left with no active membership close as `empty` (the immediate rule's
    # safety net).
    ("inbox-close-empty-clusters", close_empty_clusters, "0 */5 * * * *"),
    # Creators with recent messages get their clusters merged/split and re-summarised.
    ("inbox-regroup-active-creators", regroup_active_creators, "30 */10 * * * *"),
    # Replies that have not reached every channel are sent again to the ones missing them.
    ("inbox-retry-undelivered-replies", retry_undelivered_replies, "15 */10 * * * *"),
]
