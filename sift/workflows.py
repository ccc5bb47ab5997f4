"""The durable workflow runtime: DBOS on Sift's own PostgreSQL.

Every long job (crawl, extract, clean up, re-group) is a DBOS workflow whose steps are
checkpointed in Postgres, so a crash or a SIGKILL resumes after the last finished step.

Who runs what:
- `sift serve` and `sift worker` *execute*: they take work from one shared queue, so any
  number of them on any machine share it.
- Every other process (CLI commands, the demo, benchmarks) runs only the work it starts,
  in-process, and never takes queued work of others: it could exit halfway through it.

Every process has its own executor id (stable only when the operator gives one with
`--id`), held as a PostgreSQL advisory lock for as long as the process lives. A run is
recovered only when the lock of its executor is free, that is when PostgreSQL itself has
seen the owner's session end (exit, kill -9, a lost machine once TCP keepalives give up):
executing processes check for such orphans every few seconds and put them back on the
queue. A live process's runs are never taken from it.

Executing processes also share one more advisory lock (`EXECUTING_LOCK`), so any process
can tell whether anyone is alive to take queued work: the lock is free for an exclusive
taker only when no `serve` or `worker` holds it.

`start_once` gives the "one run per organization at a time" rule: a second start while
the first is queued or running returns the first run's id (after rescuing it, if its owner
is gone); once it ends, the key is free again. A process that does not execute is never
handed a queued run while no executing process is alive to take it: it would wait forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import logging
import os
import re
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa
from dbos import (
    DBOS,
    DBOSConfig,
    DBOSContextSetAuth,
    Queue,
    SetEnqueueOptions,
    SetWorkflowAttributes,
    SetWorkflowID,
)

from sift import config, contract, db
from sift.errors import SiftError

log = logging.getLogger(__name__)

QUEUE_NAME = "sift-work"
"""Work someone asked for (crawls, extractions, clean-ups, inbox jobs): four at a time per
executing process."""
HOUSEKEEPING_QUEUE = "sift-housekeeping"
"""Periodic ticks (crawl and extraction ticks, post embeddings, regrouping, delivery
retries): one at a time across every process. A tick that runs long (embedding 10,000
imported posts) then holds one slot of its own, not the slots of admins' crawls and
creators' jobs, and the next ticks wait their turn instead of piling up beside it."""
PROGRESS_EVENT = "progress"
_TERMINAL = {"SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"}
_FAILED = {"ERROR", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"}
_LIVE = ["ENQUEUED", "PENDING"]
RECOVERY_INTERVAL_S = 2.0
"""How often executing processes look for runs whose owner is gone. An orphan must be seen
twice in a row, so one is back on the queue within about two intervals."""
LEASE_WAIT_S = 15.0
"""How long a process given a stable `--id` waits for a previous owner's session to end."""


class WorkflowRuntimeError(SiftError):
    """The workflow runtime could not start or a run could not be found."""


@dataclass(frozen=True)
class Subject:
    """What a run works on, and its page: kept on the run for the runs list (no domain)."""

    label: str
    href: str = ""


def started_by(actor: str) -> contextlib.AbstractContextManager[Any]:
    """Runs started inside the block record `actor` as who asked for them."""
    return DBOSContextSetAuth(actor, None)


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
    subject: Subject | None = None
    started_by: str | None = None  # who asked for it (`started_by`), when a person did
    schedule: str | None = None  # the schedule whose tick this run is
    parent_id: str | None = None  # the run that started this one (a tick's crawls)

    @property
    def housekeeping(self) -> bool:
        """A run nobody asked for: a tick, or a run a tick started."""
        return self.schedule is not None or self.parent_id is not None

    @property
    def finished(self) -> bool:
        return self.status in _TERMINAL

    @property
    def failure(self) -> str | None:
        """Why the run failed, or None. A run may end without an error yet report failure
        in its result (a crawl whose source could not be fetched), and to whoever reads it
        that is a failure all the same."""
        if self.error is not None:
            return self.error
        if self.status in _FAILED:
            return self.status.lower().replace("_", " ")
        if isinstance(self.output, dict) and self.output.get("status") == "failed":
            return str(self.output.get("error") or "failed")
        return None

    @property
    def outcome(self) -> str:
        """One word for a badge: queued, running, cancelled, failed or success."""
        if not self.finished:
            return "queued" if self.status == "ENQUEUED" else "running"
        if self.status == "CANCELLED":
            return "cancelled"
        return "failed" if self.failure is not None else "success"

    @property
    def duration_s(self) -> float | None:
        if self.created_at is None or self.updated_at is None or not self.finished:
            return None
        return (self.updated_at - self.created_at).total_seconds()


class _Runtime:
    launched: bool = False
    executes: bool = False
    executor_id: str = ""
    engine: sa.Engine | None = None
    lease: _Lease | None = None
    recovery_stop: threading.Event | None = None


def _config(system_url: str, executor_id: str) -> DBOSConfig:
    return {
        "name": "sift",
        "system_database_url": system_url,
        "executor_id": executor_id,
        "log_level": config.get_settings().dbos_log_level.upper(),
        "run_admin_server": False,  # type: ignore[typeddict-unknown-key]  # read by DBOS, not in its TypedDict
        "notification_listener_polling_interval_sec": 0.1,
        "scheduler_polling_interval_sec": 5.0,
    }


def launch(
    system_url: str,
    *,
    executor_id: str | None = None,
    listen: bool = True,
    recover_orphans: bool = False,
) -> None:
    """Start DBOS on `system_url` (Sift's own database; DBOS keeps to its `dbos` schema).

    Registers every workflow module first, so recovery after a crash finds the code of
    each pending run. The executor id is claimed before DBOS starts, because DBOS re-queues
    the unfinished runs of its id at launch: a second live process with the same `--id` is
    refused instead of re-running the first one's work. A process that does not `listen`
    executes only the runs it starts itself; one that may `recover_orphans` puts the runs
    of executors that are gone back on the queue.
    """
    if _Runtime.launched:
        return
    _register_domain_workflows()
    logging.getLogger("dbos").setLevel(logging.WARNING)
    executor_id = executor_id or new_executor_id()
    url = _dbos_url(system_url)
    engine = sa.create_engine(db.as_psycopg(url), pool_size=2, max_overflow=8)
    lease = _Lease(url, executor_id, executes=listen)
    try:
        lease.acquire(LEASE_WAIT_S)
        DBOS(config=_config(url, executor_id))
        if not listen:
            DBOS.listen_queues([])
        DBOS.launch()
        DBOS.register_queue(QUEUE_NAME, worker_concurrency=4, polling_interval_sec=0.2)
        DBOS.register_queue(HOUSEKEEPING_QUEUE, global_concurrency=1, polling_interval_sec=1.0)
    except Exception as error:
        lease.release()
        engine.dispose()
        if isinstance(error, WorkflowRuntimeError):
            raise
        raise WorkflowRuntimeError(f"could not start the workflow runtime: {error}") from error
    _Runtime.launched, _Runtime.executes = True, listen
    _Runtime.executor_id, _Runtime.engine, _Runtime.lease = executor_id, engine, lease
    if recover_orphans:
        _Runtime.recovery_stop = threading.Event()
        threading.Thread(
            target=_recover_orphans_forever,
            args=(_Runtime.recovery_stop,),
            name="sift-orphan-recovery",
            daemon=True,
        ).start()


def executor_id() -> str:
    """This process's executor id."""
    return _Runtime.executor_id


def new_executor_id(role: str = "local") -> str:
    """An id no other process has or will have: two processes sharing one would each
    re-queue the other's live runs when they start."""
    return f"{socket.gethostname()}:{role}:{os.getpid()}:{secrets.token_hex(3)}"


def shutdown() -> None:
    if not _Runtime.launched:
        return
    if _Runtime.recovery_stop is not None:
        _Runtime.recovery_stop.set()
    DBOS.destroy(destroy_registry=False)
    if _Runtime.lease is not None:  # last: from here on, what is left is free to recover
        _Runtime.lease.release()
    if _Runtime.engine is not None:
        _Runtime.engine.dispose()
    _Runtime.launched, _Runtime.executes = False, False
    _Runtime.engine, _Runtime.lease, _Runtime.recovery_stop = None, None, None


def _dbos_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


# --- executor liveness ------------------------------------------------------------------------

_LOCK_OF = "hashtextextended(%s, 0)"
"""The advisory-lock key of a name, computed by PostgreSQL so every process agrees."""


def _lock_name(kind: str, name: str) -> str:
    return f"sift-{kind}:{name}"


EXECUTING_LOCK = _lock_name("executing", QUEUE_NAME)
"""Held *shared* by every executing process for as long as it may take queued work (taken
before DBOS starts polling the queue); free for an exclusive taker only when none is alive."""


class _Lease:
    """This process's claim on its executor id: a session advisory lock on a connection of
    its own. PostgreSQL drops it when the session ends however the process ended, which is
    the proof of an orphan. TCP keepalives on both ends bound how long a vanished machine
    keeps it; if the connection drops while the process lives, the lock is taken again.

    An executing process's lease also holds `EXECUTING_LOCK` shared, on the same connection
    so that it lives and dies with the executor lock. Taking it waits while a process that
    does not execute holds it alone to cancel a stranded queued run (milliseconds; bounded
    by `lock_timeout`), so a worker never starts taking work in the middle of that."""

    KEEPALIVE: dict[str, Any] = {
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }

    def __init__(self, url: str, executor_id: str, *, executes: bool = False) -> None:
        self.url, self.name = _dbos_url(url), _lock_name("executor", executor_id)
        self.executor_id, self.executes = executor_id, executes
        self.conn: psycopg.Connection[Any] | None = None
        self.stop = threading.Event()

    def _try(self) -> bool:
        if self.conn is None:
            self.conn = psycopg.connect(self.url, autocommit=True, **self.KEEPALIVE)
            for setting in ("idle", "interval", "count"):  # the server's side of the same
                self.conn.execute(
                    f"SET tcp_keepalives_{setting} = {self.KEEPALIVE[f'keepalives_{setting}']}"
                )
            self.conn.execute(f"SET lock_timeout = {int(LEASE_WAIT_S * 1000)}")
        row = self.conn.execute(f"SELECT pg_try_advisory_lock({_LOCK_OF})", (self.name,)).fetchone()
        if not (row and row[0]):
            return False
        if self.executes:
            self._share()
        return True

    def _share(self) -> None:
        """Take `EXECUTING_LOCK` shared, waiting at most `lock_timeout`; on failure the
        connection is dropped, so a reconnecting lease tries both locks again."""
        assert self.conn is not None
        try:
            self.conn.execute(f"SELECT pg_advisory_lock_shared({_LOCK_OF})", (EXECUTING_LOCK,))
        except Exception:
            self._close()
            raise

    def acquire(self, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        while not self._try():
            if time.monotonic() > deadline:
                raise WorkflowRuntimeError(
                    f"executor id {self.executor_id!r} is in use by a running process: "
                    "give each process its own --id (or none)"
                )
            time.sleep(0.2)
        threading.Thread(target=self._keep, name="sift-executor-lease", daemon=True).start()

    def _keep(self) -> None:
        while not self.stop.wait(RECOVERY_INTERVAL_S):
            try:
                assert self.conn is not None
                self.conn.execute("SELECT 1")
            except Exception:
                self._close()
                with contextlib.suppress(Exception):
                    if not self._try():
                        log.error("executor %s lost its lease to another process", self.name)

    def _close(self) -> None:
        with contextlib.suppress(Exception):
            if self.conn is not None:
                self.conn.close()
        self.conn = None

    def release(self) -> None:
        self.stop.set()
        self._close()


@contextlib.contextmanager
def _orphan(executor_id: str) -> Iterator[bool]:
    """Whether `executor_id`'s owner is gone; while True, its lease is held here, so no
    other process rescues the same runs and a restarted owner waits until this ends."""
    if executor_id == _Runtime.executor_id:
        yield False
        return
    with _held_alone(_lock_name("executor", executor_id)) as orphaned:
        yield orphaned


@contextlib.contextmanager
def _no_executor() -> Iterator[bool]:
    """Whether no executing process is alive; while True, `EXECUTING_LOCK` is held here
    alone, so an executing process starting now waits until this ends before it takes any
    queued work."""
    if _Runtime.executes:
        yield False
        return
    with _held_alone(EXECUTING_LOCK) as none:
        yield none


def executor_alive() -> bool:
    """Whether some `sift serve` or `sift worker` is alive to take queued work."""
    with _no_executor() as none:
        return not none


@contextlib.contextmanager
def _held_alone(name: str) -> Iterator[bool]:
    """Try the exclusive session advisory lock `name`; yield whether it was free, holding
    it until the block ends."""
    assert _Runtime.engine is not None
    with _Runtime.engine.connect() as conn:
        held = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({_LOCK_OF})", (name,)).scalar()
        try:
            yield bool(held)
        finally:
            if held:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_LOCK_OF})", (name,))
            conn.rollback()


def _requeue(run_id: str) -> None:
    """Put an orphaned run back on the shared queue, where an executing process resumes it
    after its last finished step."""
    DBOS.resume_workflow(run_id, queue_name=QUEUE_NAME)
    log.warning("recovered run %s whose executor is gone", run_id)


def recover_orphans(suspects: frozenset[str] = frozenset()) -> frozenset[str]:
    """Requeue the PENDING runs of executors found gone now and in the previous pass
    (`suspects`); return the executors found gone in this pass. Asking twice spares a run
    whose owner is only reconnecting after the database restarted."""
    owners = {
        run.executor_id
        for run in DBOS.list_workflows(status="PENDING", load_input=False, load_output=False)
        if run.executor_id
    }
    gone: set[str] = set()
    for owner in owners:
        with _orphan(owner) as orphaned:
            if not orphaned:
                continue
            gone.add(owner)
            if owner in suspects:
                for run in DBOS.list_workflows(
                    status="PENDING", executor_id=owner, load_input=False, load_output=False
                ):
                    _requeue(run.workflow_id)
    return frozenset(gone)


def _recover_orphans_forever(stop: threading.Event) -> None:
    suspects: frozenset[str] = frozenset()
    while not stop.wait(RECOVERY_INTERVAL_S):
        try:
            suspects = recover_orphans(suspects)
        except Exception:  # the database may be restarting; the next pass tries again
            log.warning("could not look for orphaned runs", exc_info=True)


def _register_domain_workflows() -> None:
    """Import every installed domain's workflow modules so DBOS registers them before
    launch (recovery after a crash must find the code of every pending run)."""
    for domain in contract.installed():
        if domain.workflows is not None:
            domain.workflows()


def start_once(
    workflow: Callable[..., Any], key: str, *args: Any, subject: Subject | None = None
) -> str:
    """Start `workflow(*args)` unless a run with `key` is already queued or running.

    Returns the id of the run doing the work: the new one, or the live one holding the key
    (a run whose executor is gone is first rescued, so the id returned is never of a dead
    run). The key is released when that run finishes, so the same key may run again later.
    Executing processes queue the run; the others run it themselves, in-process.
    """
    if _Runtime.engine is None:
        raise WorkflowRuntimeError("the workflow runtime is not launched")
    prefix = _run_prefix(key)
    with _Runtime.engine.begin() as conn:  # one starter per key at a time, on every machine
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_OF})", (_lock_name("key", key),))
        if (running := _live_run(prefix)) is not None:
            return running
        # Inside a workflow the id must come out the same when the workflow is replayed.
        run_id = prefix + (f"from-{DBOS.workflow_id}" if DBOS.workflow_id else uuid.uuid4().hex)
        about = {"label": subject.label, "href": subject.href} if subject else None
        with SetWorkflowID(run_id), SetWorkflowAttributes(about):
            if _Runtime.executes or DBOS.workflow_id:
                with SetEnqueueOptions(deduplication_id=key, duplication_policy="return-existing"):
                    return _work_queue().enqueue(workflow, *args).workflow_id
            return DBOS.start_workflow(workflow, *args).workflow_id


def _run_prefix(key: str) -> str:
    """Run ids start with their key (readable in the runs list, found by prefix); the hash
    keeps two keys that differ only in punctuation apart."""
    readable = re.sub(r"[^A-Za-z0-9:-]+", "-", key)[:80]
    return f"{readable}.{hashlib.sha256(key.encode()).hexdigest()[:8]}."


def _live_run(prefix: str) -> str | None:
    """The id of the queued or running run with this prefix that someone will finish.

    A stranded run (see `_stranded`) is rescued: an executing process puts it back on the
    queue; any other process cancels it (it cannot take a queued run) so that the caller
    starts a fresh one it runs itself, instead of waiting forever on a run nobody takes.
    """
    for run in DBOS.list_workflows(
        workflow_id_prefix=prefix, status=_LIVE, load_input=False, load_output=False
    ):
        with _stranded(run) as stranded:
            if stranded and not _Runtime.executes:
                DBOS.cancel_workflow(run.workflow_id)
                log.warning("cancelled run %s: %s", run.workflow_id, stranded)
                continue
            if stranded:
                _requeue(run.workflow_id)
        return str(run.workflow_id)
    return None


@contextlib.contextmanager
def _stranded(run: Any) -> Iterator[str | None]:
    """Why nobody will finish `run` (None if someone will), holding the lock that proves it
    while the block runs, so the answer stays true until the run is rescued.

    A PENDING run is stranded when its executor is gone. An ENQUEUED one is stranded, for a
    caller that does not execute, when no executing process is alive. A worker starting at
    that moment waits for the lock before it takes any work, so it cannot take the run
    before the caller cancels it. What is left: an executing process whose lease connection
    dropped (the database restarting) and has not taken `EXECUTING_LOCK` again may dequeue
    the run just then; the cancel stops that run at its next step, and the caller's fresh
    run does the work.
    """
    if run.status == "PENDING" and run.executor_id:
        with _orphan(run.executor_id) as orphaned:
            yield f"its executor {run.executor_id} is gone" if orphaned else None
    elif run.status == "ENQUEUED":
        with _no_executor() as none:
            yield "it is queued and no `sift serve` or `sift worker` is running" if none else None
    else:
        yield None


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
        subject=Subject(**status.attributes) if status.attributes else None,
        started_by=status.authenticated_user,
        schedule=status.schedule_name,
        parent_id=status.parent_workflow_id,
    )


def run_info(workflow_id: str) -> RunInfo:
    status = DBOS.get_workflow_status(workflow_id)
    if status is None:
        raise WorkflowRuntimeError(f"no workflow run with id {workflow_id}")
    return _run_info(status, with_progress=True)


def recent_runs(limit: int = 50, *, with_progress: bool = False) -> list[RunInfo]:
    statuses = DBOS.list_workflows(limit=limit, sort_desc=True, load_input=False)
    return [_run_info(s, with_progress=with_progress) for s in statuses]


def _work_queue() -> Queue:
    queue = DBOS.retrieve_queue(QUEUE_NAME)
    if queue is None:
        raise WorkflowRuntimeError("the workflow runtime is not started (no work queue)")
    return queue


def recent_runs_of(function_name: str, limit: int = 200) -> list[tuple[tuple, RunInfo]]:
    """Recent runs of one workflow function with the arguments each was given, newest
    first (what a page needs to draw one source's crawl history)."""
    statuses = DBOS.list_workflows(name=function_name, limit=limit, sort_desc=True, load_input=True)
    return [
        (tuple(s.input.get("args", ())) if s.input else (), _run_info(s, with_progress=False))
        for s in statuses
    ]


def wait_for(workflow_id: str) -> Any:
    """Block until the run ends and return its result (raises the run's error)."""
    return DBOS.retrieve_workflow(workflow_id).get_result()
