"""The durable workflow runtime: DBOS on Sift's own PostgreSQL.

Every long job (crawl, extract, clean up, re-group) is a DBOS workflow whose steps are
checkpointed in Postgres, so a crash or a SIGKILL resumes after the last finished step.
Work goes through one queue, which lets any number of `sift worker` processes on any
machine share it. `start_once` gives the "one run per organization at a time" rule: a
second start while the first is queued or running returns the first run's id; once it
ends, the key is free again.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dbos import DBOS, DBOSConfig, SetEnqueueOptions

from sift.errors import SiftError

log = logging.getLogger(__name__)

QUEUE_NAME = "sift-work"
PROGRESS_EVENT = "progress"
_TERMINAL = {"SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"}


class WorkflowRuntimeError(SiftError):
    """The workflow runtime could not start or a run could not be found."""


@dataclass(frozen=True)
class RunInfo:
    """What an admin sees of one workflow run."""

    id: str
    name: str
    status: str
    created_at: datetime | None
    updated_at: datetime | None
    output: Any
    error: str | None
    progress: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in _TERMINAL

    @property
    def duration_s(self) -> float | None:
        if self.created_at is None or self.updated_at is None or not self.finished:
            return None
        return (self.updated_at - self.created_at).total_seconds()


class _Runtime:
    launched: bool = False


def _config(system_url: str, executor_id: str) -> DBOSConfig:
    return {
        "name": "sift",
        "system_database_url": system_url,
        "executor_id": executor_id,
        "log_level": os.environ.get("SIFT_DBOS_LOG_LEVEL", "WARNING"),
        "run_admin_server": False,
        "notification_listener_polling_interval_sec": 0.1,
        "scheduler_polling_interval_sec": 5.0,
    }


def launch(system_url: str, *, executor_id: str | None = None, listen: bool = True) -> None:
    """Start DBOS on `system_url` (Sift's own database; DBOS keeps to its `dbos` schema).

    Registers every workflow module first, so recovery after a crash finds the code of
    each pending run. Each process needs its own stable `executor_id`: on start DBOS
    re-queues the unfinished runs of *its* id, and two live processes sharing an id would
    re-run each other's work. A process that does not `listen` only enqueues, leaving
    the work to the workers.
    """
    if _Runtime.launched:
        return
    _import_workflow_modules()
    logging.getLogger("dbos").setLevel(logging.WARNING)
    try:
        DBOS(config=_config(_dbos_url(system_url), executor_id or default_executor_id()))
        if not listen:
            DBOS.listen_queues([])
        DBOS.launch()
        DBOS.register_queue(QUEUE_NAME, worker_concurrency=4, polling_interval_sec=0.2)
    except Exception as error:
        raise WorkflowRuntimeError(f"could not start the workflow runtime: {error}") from error
    _Runtime.launched = True


def default_executor_id(role: str = "local") -> str:
    return f"{socket.gethostname()}:{role}"


def shutdown() -> None:
    if _Runtime.launched:
        DBOS.destroy(destroy_registry=False)
    _Runtime.launched = False


def _dbos_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


WORKFLOW_MODULES = ("sift.directory.flows", "sift.inbox.flows")
"""Modules whose import registers the domains' workflows with DBOS."""


def _import_workflow_modules() -> None:
    """Import the modules that declare workflows so DBOS registers them before launch
    (recovery after a crash must find the code of every pending run)."""
    import importlib

    for module in WORKFLOW_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


def start_once(workflow: Callable[..., Any], key: str, *args: Any) -> str:
    """Queue `workflow(*args)` unless a run with `key` is already queued or running.

    Returns the id of the run doing the work: the new one, or the one already holding the
    key. The key is released when that run finishes, so the same key may run again later.
    """
    queue = DBOS.retrieve_queue(QUEUE_NAME)
    if queue is None:
        raise WorkflowRuntimeError("the workflow runtime is not launched")
    with SetEnqueueOptions(deduplication_id=key, duplication_policy="return-existing"):
        handle = queue.enqueue(workflow, *args)
    return handle.workflow_id


def publish_progress(text: str) -> None:
    """Set the line of text an admin reads while the current run works.

    Callable from workflows and steps, also from code running inside an event loop (the
    async crawler reports from there), where DBOS's synchronous call must move to a thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        DBOS.set_event(PROGRESS_EVENT, text)
    else:
        context = contextvars.copy_context()
        writer = threading.Thread(target=context.run, args=(DBOS.set_event, PROGRESS_EVENT, text))
        writer.start()
        writer.join()
    log.debug("progress", extra={"workflow_id": DBOS.workflow_id, "progress": text})


def progress_of(workflow_id: str) -> str | None:
    return DBOS.get_event(workflow_id, PROGRESS_EVENT, timeout_seconds=0)


def _to_datetime(millis: Any) -> datetime | None:
    if millis is None:
        return None
    return datetime.fromtimestamp(int(millis) / 1000, tz=UTC)


def _run_info(status: Any, *, with_progress: bool) -> RunInfo:
    error = status.error
    return RunInfo(
        id=status.workflow_id,
        name=(status.name or "").rsplit(".", 1)[-1],
        status=status.status,
        created_at=_to_datetime(status.created_at),
        updated_at=_to_datetime(status.updated_at),
        output=status.output,
        error=str(error) if error is not None else None,
        progress=progress_of(status.workflow_id) if with_progress else None,
    )


def run_info(workflow_id: str) -> RunInfo:
    status = DBOS.get_workflow_status(workflow_id)
    if status is None:
        raise WorkflowRuntimeError(f"no workflow run with id {workflow_id}")
    return _run_info(status, with_progress=True)


def recent_runs(limit: int = 50, *, with_progress: bool = False) -> list[RunInfo]:
    statuses = DBOS.list_workflows(limit=limit, sort_desc=True, load_input=False)
    return [_run_info(s, with_progress=with_progress) for s in statuses]


def wait_for(workflow_id: str) -> Any:
    """Block until the run ends and return its result (raises the run's error)."""
    return DBOS.retrieve_workflow(workflow_id).get_result()
