"""Periodic jobs of every domain, applied as DBOS schedules when a worker starts.

Each domain's `scheduled.py` lists `SCHEDULES` as (name, workflow function, cron with
seconds). DBOS keeps schedules in Postgres, so many workers share one schedule and each
tick runs once.
"""

from __future__ import annotations

import importlib
from typing import Any

from dbos import DBOS

from sift.workflows import QUEUE_NAME

DOMAIN_SCHEDULES = ("sift.directory.scheduled", "sift.inbox.scheduled")


def all_schedules() -> list[tuple[str, Any, str]]:
    entries: list[tuple[str, Any, str]] = []
    for name in DOMAIN_SCHEDULES:
        try:
            entries.extend(importlib.import_module(name).SCHEDULES)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return entries


def apply() -> None:
    entries = [  # on the shared queue, which only executing processes take work from
        {"schedule_name": name, "workflow_fn": fn, "schedule": cron, "queue_name": QUEUE_NAME}
        for name, fn, cron in all_schedules()
    ]
    if entries:
        DBOS.apply_schedules(entries)  # type: ignore[arg-type]
