"""Bringing a Sift process up: settings → database → migrations → workflow runtime.

`serve`, `worker`, `demo` and every CLI command that runs workflows go through `start`,
so they all agree on where the data lives and fail the same clear way when it cannot.
"""

from __future__ import annotations

from sift import db, scheduled, workflows
from sift.config import Settings

EXECUTING_ROLES = ("serve", "worker")
"""Processes that take queued work and rescue the runs of processes that are gone; every
other process runs only the work it starts."""


def start(
    settings: Settings,
    *,
    role: str = "cli",
    migrate: bool = True,
    with_workflows: bool = True,
    executor_id: str | None = None,
    schedules: bool = False,
) -> str:
    """Configure this process and return the database URL it uses. Processes that run
    work (`serve`, `worker`) also apply the periodic jobs, so a one-process deployment
    gets its crawl and extraction ticks too; DBOS keeps them in Postgres, once.

    `executor_id` is the operator's stable `--id`; without one the process gets an id of
    its own that no other process shares."""
    url = db.resolve_url(settings)
    db.configure(url, pool_size=settings.db_pool_size)
    if migrate:
        db.upgrade(url)
    if with_workflows:
        executes = role in EXECUTING_ROLES
        workflows.launch(
            url,
            executor_id=executor_id or workflows.new_executor_id(role),
            listen=executes,
            recover_orphans=executes,
        )
        if schedules:
            scheduled.apply()
    return url


def stop() -> None:
    workflows.shutdown()
    db.dispose()
