"""Periodic jobs of every domain, applied as DBOS schedules when a worker starts.

Each domain declares its schedules (`Domain.schedules`: name, workflow function, cron with
seconds). DBOS keeps schedules in Postgres, so many workers share one schedule and each
tick runs once, on the housekeeping queue (one periodic run at a time across all processes,
so background work never takes the slots of interactive work).
"""

from __future__ import annotations

from dbos import DBOS

from sift import contract
from sift.contract import Schedule
from sift.workflows import HOUSEKEEPING_QUEUE


def all_schedules() -> list[Schedule]:
    """Every installed domain's schedules, in the domains' order."""
    return [
        entry
        for domain in contract.installed()
        if domain.schedules is not None
        for entry in domain.schedules()
    ]


def apply() -> None:
    entries = [  # on the housekeeping queue: one tick at a time, beside the interactive work
        {
            "schedule_name": name,
            "workflow_fn": fn,
            "schedule": cron,
            "queue_name": HOUSEKEEPING_QUEUE,
        }
        for name, fn, cron in all_schedules()
    ]
    if entries:
        DBOS.apply_schedules(entries)  # type: ignore[arg-type]
