"""One organization's extraction run in a child process, so a test can SIGKILL it mid-run.

Usage: python -m tests.support.killable_extraction ORG_ID MARKER_DIR

Everything else comes from the environment, as for any Sift process (`SIFT_DATABASE_URL`,
`SIFT_EXTRACTION_ENGINE`, `SIFT_LLM_BASE_URL`, …). The executor id is fixed so that a
restarted child is, to DBOS, the same executor coming back: on launch it recovers the run
the killed one left unfinished instead of leaving it to nobody. The run is started once
(its id kept in MARKER_DIR/started); a restart only waits for the recovered run and writes
its result to MARKER_DIR/result as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sift.domains  # noqa: F401  (installs the domains, as every entry point does)
from sift import runtime, workflows
from sift.config import get_settings
from sift.directory.extraction import flows

EXECUTOR_ID = "kill-extract"


def main() -> None:
    org_id, markers = sys.argv[1], Path(sys.argv[2])
    runtime.start(get_settings(), role="kill-extract", executor_id=EXECUTOR_ID)
    started = markers / "started"
    if not started.exists():
        started.write_text(flows.start_extraction(org_id))
    result = workflows.wait_for(started.read_text())
    (markers / "result").write_text(json.dumps(result))
    runtime.stop()


if __name__ == "__main__":
    main()
