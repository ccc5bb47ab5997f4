"""A two-step workflow run in a child process, so a test can SIGKILL it between steps.

Usage: python -m tests.support.killable_workflow SYSTEM_DB_URL MARKER_DIR
Each step appends its name to MARKER_DIR/steps.log; step two waits for MARKER_DIR/go
so the parent can kill the process while step two is in progress.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dbos import DBOS

import sift.domains  # noqa: F401  (installs the domains, as every entry point does)
from sift import workflows

MARKERS = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")


@DBOS.step()
def first_step() -> str:
    with (MARKERS / "steps.log").open("a") as log:
        log.write("first\n")
    return "one"


@DBOS.step()
def second_step(previous: str) -> str:
    with (MARKERS / "steps.log").open("a") as log:
        log.write("second-start\n")
    while not (MARKERS / "go").exists():
        time.sleep(0.05)
    with (MARKERS / "steps.log").open("a") as log:
        log.write("second-done\n")
    return previous + "+two"


@DBOS.workflow()
def two_steps() -> str:
    workflows.publish_progress("step one")
    first = first_step()
    workflows.publish_progress("step two")
    return second_step(first)


def main() -> None:
    system_url = sys.argv[1]
    workflows.launch(system_url, executor_id="killable-test")
    if not (MARKERS / "started").exists():
        (MARKERS / "started").write_text(workflows.start_once(two_steps, "the-only-key"))
    run_id = (MARKERS / "started").read_text()
    result = workflows.wait_for(run_id)
    (MARKERS / "result").write_text(str(result))
    workflows.shutdown()


if __name__ == "__main__":
    main()
