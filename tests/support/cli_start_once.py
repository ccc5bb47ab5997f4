"""A process that does not execute (as a CLI command does) starting a keyed run on cue.

Usage: python -m tests.support.cli_start_once SYSTEM_DB_URL FOLDER KEY wait|return
Writes FOLDER/ready once its runtime is up (the parent may then queue runs: the system
tables exist), waits for FOLDER/go, writes the id `start_once` returned to FOLDER/run_id
and, given `wait`, waits for that run as a CLI command does and writes its result to
FOLDER/result.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dbos import DBOS

import sift.domains  # noqa: F401  (installs the domains, as every entry point does)
from sift import workflows


@DBOS.workflow()
def echo_job(label: str) -> str:
    return label.upper()


def main() -> None:
    system_url, folder, key, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    workflows.launch(system_url, executor_id=workflows.new_executor_id("cli"), listen=False)
    try:
        (folder / "ready").write_text("")
        while not (folder / "go").exists():
            time.sleep(0.02)
        run_id = workflows.start_once(echo_job, key, "fresh")
        (folder / "run_id").write_text(run_id)
        if mode == "wait":
            (folder / "result").write_text(str(workflows.wait_for(run_id)))
    finally:
        workflows.shutdown()


if __name__ == "__main__":
    main()
