"""The durable workflow runtime: once-per-key starts, progress, run listing, crash resume."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from dbos import DBOS, DBOSClient
from dbos._registrations import get_dbos_func_name

from sift import db, workflows
from tests.conftest import fresh_database
from tests.support import cli_start_once

RUNS: list[str] = []
GATE = threading.Event()


@DBOS.step()
def record(label: str) -> None:
    RUNS.append(label)


@DBOS.workflow()
def gated_job(label: str) -> str:
    workflows.publish_progress(f"working on {label}…")
    record(label)
    GATE.wait(timeout=30)
    return label.upper()


def test_same_key_started_twice_concurrently_runs_once(workflow_runtime: str) -> None:
    RUNS.clear()
    GATE.clear()
    ids: list[str] = []
    starters = [
        threading.Thread(target=lambda: ids.append(workflows.start_once(gated_job, "org-a", "a")))
        for _ in range(2)
    ]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    assert len(set(ids)) == 1
    GATE.set()
    assert workflows.wait_for(ids[0]) == "A"
    assert RUNS == ["a"]


def test_finished_key_can_run_again(workflow_runtime: str) -> None:
    RUNS.clear()
    GATE.set()
    first = workflows.start_once(gated_job, "org-b", "first")
    assert workflows.wait_for(first) == "FIRST"
    second = workflows.start_once(gated_job, "org-b", "second")
    assert second != first
    assert workflows.wait_for(second) == "SECOND"
    assert RUNS == ["first", "second"]


def test_progress_is_readable_by_id_and_runs_are_listed(workflow_runtime: str) -> None:
    GATE.clear()
    run_id = workflows.start_once(gated_job, "org-c", "progress")
    deadline = time.monotonic() + 10
    while workflows.progress_of(run_id) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    info = workflows.run_info(run_id)
    assert info.progress == "working on progress…"
    assert not info.finished
    GATE.set()
    workflows.wait_for(run_id)
    listed = {run.id: run for run in workflows.recent_runs(20)}
    assert listed[run_id].status == "SUCCESS"
    assert listed[run_id].name == "gated_job"
    assert listed[run_id].duration_s is not None


def test_unknown_run_is_a_clear_error(workflow_runtime: str) -> None:
    try:
        workflows.run_info("no-such-run")
    except workflows.WorkflowRuntimeError as error:
        assert "no workflow run with id no-such-run" in str(error)
    else:
        raise AssertionError("expected WorkflowRuntimeError")


def _spawn(system_url: str, markers: Path) -> subprocess.Popen[bytes]:
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.killable_workflow", system_url, str(markers)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for_line(log: Path, line: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and line in log.read_text().split():
            return
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode() if proc.stderr else "child died")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {line!r}")


def test_sigkilled_workflow_resumes_without_repeating_its_first_step(
    pg_admin_url: str, tmp_path: Path
) -> None:
    system_url = fresh_database(pg_admin_url, "killable")
    log = tmp_path / "steps.log"

    child = _spawn(system_url, tmp_path)
    _wait_for_line(log, "second-start", child)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    (tmp_path / "go").write_text("")
    restarted = _spawn(system_url, tmp_path)
    assert restarted.wait(timeout=120) == 0, restarted.stderr.read().decode()

    assert log.read_text().split() == ["first", "second-start", "second-start", "second-done"]
    assert (tmp_path / "result").read_text() == "one+two"


def test_every_process_gets_its_own_executor_id_and_a_taken_id_is_refused(
    workflow_runtime: str,
) -> None:
    assert workflows.new_executor_id("worker") != workflows.new_executor_id("worker")
    holder = workflows._Lease(workflow_runtime, "worker-7")
    holder.acquire(wait_s=0)
    try:
        with pytest.raises(workflows.WorkflowRuntimeError, match="'worker-7' is in use"):
            workflows._Lease(workflow_runtime, "worker-7").acquire(wait_s=0.5)
    finally:
        holder.release()
    again = workflows._Lease(workflow_runtime, "worker-7")
    again.acquire(wait_s=5)  # free once its holder is gone
    again.release()


def test_start_once_never_returns_a_run_whose_executor_is_gone(workflow_runtime: str) -> None:
    """A run left PENDING by a process that died (here: an executor id no live process
    holds) is rescued by the next start of its key instead of being returned as running."""
    GATE.set()
    key = "org-orphaned"
    orphan_id = workflows._run_prefix(key) + "orphan"
    client = DBOSClient(system_database_url=workflow_runtime)
    client.enqueue(
        {
            "workflow_name": get_dbos_func_name(gated_job),
            "queue_name": "parked",
            "workflow_id": orphan_id,
            "deduplication_id": key,
        },
        "orphan",
    )
    client.destroy()
    engine = sa.create_engine(db.as_psycopg(workflow_runtime))
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE dbos.workflow_status SET status = 'PENDING', queue_name = :queue, "
                "executor_id = 'gone-host:cli:1:dead' WHERE workflow_uuid = :id"
            ),
            {"queue": workflows.QUEUE_NAME, "id": orphan_id},
        )
    engine.dispose()

    assert workflows.start_once(gated_job, key, "second") == orphan_id
    deadline = time.monotonic() + 20
    while not workflows.run_info(orphan_id).finished:
        assert time.monotonic() < deadline, "the returned run never finished"
        time.sleep(0.1)
    assert workflows.wait_for(orphan_id) == "ORPHAN"


# --- queued runs nobody will take -------------------------------------------------------------


def _cli_process(system_url: str, folder: Path, key: str, mode: str) -> subprocess.Popen[bytes]:
    """A process that does not execute (see tests.support.cli_start_once), on its own
    database so that this test process, which executes, is not alive there."""
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.cli_start_once", system_url, str(folder), key, mode],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for_file(path: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode() if proc.stderr else "child died")
        assert time.monotonic() < deadline, f"timed out waiting for {path.name}"
        time.sleep(0.02)


def _finish(proc: subprocess.Popen[bytes]) -> str:
    """The child's stderr once it exits with 0; a child still blocked after a minute is
    killed and fails the test (what a CLI waiting on a run nobody takes would do)."""
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("the start never returned or its run never finished") from None
    assert proc.returncode == 0, stderr.decode()
    return stderr.decode()


def _queue_as_a_server_would(system_url: str, key: str) -> str:
    """Queue a keyed run on the shared queue from outside (a server's scheduler, say)."""
    run_id = workflows._run_prefix(key) + "queued"
    client = DBOSClient(system_database_url=workflows._dbos_url(system_url))
    try:
        client.enqueue(
            {
                "workflow_name": get_dbos_func_name(cli_start_once.echo_job),
                "queue_name": workflows.QUEUE_NAME,
                "workflow_id": run_id,
                "deduplication_id": key,
            },
            "queued",
        )
    finally:
        client.destroy()
    return run_id


def _status(system_url: str, run_id: str) -> str:
    client = DBOSClient(system_database_url=workflows._dbos_url(system_url))
    try:
        return client.retrieve_workflow(run_id).get_status().status
    finally:
        client.destroy()


def test_a_cli_start_cancels_a_queued_run_when_no_executing_process_is_alive(
    pg_admin_url: str, tmp_path: Path
) -> None:
    """No `serve` or `worker` is alive to take the queued run: the CLI start cancels it and
    runs a fresh one itself instead of waiting on it forever."""
    system_url = fresh_database(pg_admin_url, "stranded_queued")
    key = "org-stranded"
    cli = _cli_process(system_url, tmp_path, key, "wait")
    _wait_for_file(tmp_path / "ready", cli)
    queued = _queue_as_a_server_would(system_url, key)

    (tmp_path / "go").write_text("")
    stderr = _finish(cli)

    fresh = (tmp_path / "run_id").read_text()
    assert fresh != queued and fresh.startswith(workflows._run_prefix(key))
    assert (tmp_path / "result").read_text() == "FRESH"
    assert _status(system_url, queued) == "CANCELLED"
    assert f"cancelled run {queued}" in stderr


def test_a_cli_start_returns_the_queued_run_while_an_executing_process_is_alive(
    pg_admin_url: str, tmp_path: Path
) -> None:
    """An executing process's lease (what a `sift worker` holds for as long as it lives;
    without DBOS polling here, so the run stays queued for the test to see) keeps the
    queued run the one the CLI gets."""
    system_url = fresh_database(pg_admin_url, "queued_taken")
    key = "org-served"
    cli = _cli_process(system_url, tmp_path, key, "return")
    _wait_for_file(tmp_path / "ready", cli)
    queued = _queue_as_a_server_would(system_url, key)

    worker = workflows._Lease(system_url, "live-worker", executes=True)
    worker.acquire(wait_s=5)
    try:
        (tmp_path / "go").write_text("")
        _finish(cli)
    finally:
        worker.release()

    assert (tmp_path / "run_id").read_text() == queued
    assert _status(system_url, queued) == "ENQUEUED"


def _executing_lock_free(url: str) -> bool:
    """What a process that does not execute asks: is `EXECUTING_LOCK` free to take alone?"""
    with psycopg.connect(url, autocommit=True) as conn:
        sql = f"SELECT pg_try_advisory_lock({workflows._LOCK_OF})"
        free = conn.execute(sql, (workflows.EXECUTING_LOCK,)).fetchone()
        return bool(free and free[0])  # the session ends here, and the lock with it


def _wait_until_a_session_waits_on_a_lock(url: str) -> None:
    deadline = time.monotonic() + 10
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            if row and row[0]:
                return
            assert time.monotonic() < deadline, "the starting worker never waited"
            time.sleep(0.02)


def test_executing_leases_share_the_executing_lock_and_wait_while_it_is_held_alone(
    pg_admin_url: str,
) -> None:
    url = workflows._dbos_url(fresh_database(pg_admin_url, "executing_lock"))
    cli = workflows._Lease(url, "cli-1")
    cli.acquire(wait_s=0)
    assert _executing_lock_free(url)  # a process that does not execute does not count
    cli.release()

    first, second = (workflows._Lease(url, f"worker-{n}", executes=True) for n in (1, 2))
    first.acquire(wait_s=0)
    second.acquire(wait_s=0)  # shared: any number of executing processes hold it
    assert not _executing_lock_free(url)
    first.release()
    assert not _executing_lock_free(url)
    second.release()
    assert _executing_lock_free(url)

    with psycopg.connect(url, autocommit=True) as holder:  # a CLI cancelling a queued run
        holder.execute(
            f"SELECT pg_advisory_lock({workflows._LOCK_OF})", (workflows.EXECUTING_LOCK,)
        )
        late = workflows._Lease(url, "worker-3", executes=True)
        starting = threading.Thread(target=late.acquire, args=(5,))
        starting.start()
        _wait_until_a_session_waits_on_a_lock(url)
        assert starting.is_alive()
    starting.join(timeout=5)
    assert not _executing_lock_free(url)  # taken once the holder let go
    late.release()


SPANS: dict[str, tuple[float, float]] = {}


@DBOS.step()
def hold_for_a_moment(label: str) -> None:
    started = time.monotonic()
    time.sleep(0.4)
    SPANS[label] = (started, time.monotonic())


@DBOS.workflow()
def periodic_tick(label: str) -> str:
    hold_for_a_moment(label)
    return label


def test_periodic_ticks_run_one_at_a_time_beside_interactive_work(workflow_runtime: str) -> None:
    """Ticks share one slot across processes, so three of them run one after another while
    a job someone asked for starts at once on the work queue (the embedding tick after a
    large import held all four work slots for half an hour)."""
    SPANS.clear()
    GATE.set()
    housekeeping = DBOS.retrieve_queue(workflows.HOUSEKEEPING_QUEUE)
    assert housekeeping is not None
    ticks = [housekeeping.enqueue(periodic_tick, f"tick-{n}").workflow_id for n in range(3)]
    asked = workflows.start_once(gated_job, "asked-while-ticking", "asked")
    assert workflows.wait_for(asked) == "ASKED"
    assert [workflows.wait_for(t) for t in ticks] == ["tick-0", "tick-1", "tick-2"]
    spans = sorted(SPANS.values())
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(spans))
