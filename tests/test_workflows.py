"""The durable workflow runtime: once-per-key starts, progress, run listing, crash resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbos import DBOS, DBOSClient
from dbos._registrations import get_dbos_func_name

from sift import db, workflows
from tests.conftest import fresh_database

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
