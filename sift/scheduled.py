"""Periodic jobs of every domain, applied as DBOS schedules when a worker starts.

Each domain declares its schedules (`Domain.schedules`: name, workflow function, cron with
seconds). DBOS keeps schedules in Postgres, so many workers share one schedule and each
tick runs once.
"""

from __future__ import annotations

from dbos import DBOS

from sift import contract
from sift.contract import Schedule
from sift.workflows import QUEUE_NAME


def all_schedules() -> list[Schedule]:
    """Every installed domain's schedules, in the domains' order."""
    return [
        entry
        for domain in contract.installed()
        if domain.schedules is not None
        for entry in domain.schedules()
    ]


def apply() -> None:
    entries = [  # on the shared queue, which only executing processes take work from
        {"schedule_name": name, "workflow_fn": fn, "schedule": cron, "queue_name": QUEUE_NAME}
        for name, fn, cron in all_schedules()
    ]
    if entries:
        DBOS.apply_schedules(entries)  # type: ignore[arg-type]
