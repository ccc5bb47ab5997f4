"""Periodic jobs of every domain, applied as DBOS schedules when a worker starts.

Each domain's `scheduled.py` lists `SCHEDULES` as (name, workflow function, cron with
seconds). DBOS keeps schedules in Postgres, so many workers share one schedule and each
tick runs once.
"""

from __future__ import annotations

import importlib
from typing import Any

from dbos import DBOS

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
    entries = [
        {"schedule_name": name, "workflow_fn": fn, "schedule": cron}
        for name, fn, cron in all_schedules()
    ]
    if entries:
        DBOS.apply_schedules(entries)  # type: ignore[arg-type]
