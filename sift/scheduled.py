"""Periodic jobs of every domain, applied as DBOS schedules when a worker starts.

Domains list theirs in `SCHEDULES` (module:function of a registered workflow, cron); DBOS
keeps schedules in Postgres, so many workers share one schedule without double runs.
"""

from __future__ import annotations

import importlib

from dbos import DBOS

SCHEDULES: list[tuple[str, str, str]] = []
"""(schedule name, "module:workflow_function", cron with seconds)."""


def apply() -> None:
    entries = []
    for name, target, cron in SCHEDULES:
        module, function = target.split(":")
        entries.append(
            {
                "schedule_name": name,
                "workflow_fn": getattr(importlib.import_module(module), function),
                "schedule": cron,
            }
        )
    if entries:
        DBOS.apply_schedules(entries)  # type: ignore[arg-type]
