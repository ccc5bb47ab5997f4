"""Running the real `sift` command line in a subprocess, as a user would."""

from __future__ import annotations

import subprocess
import sys


def cli_error_line(*args: str) -> str:
    """Run `python -m sift.cli ARGS`, which maps SiftError to one stderr line (CliRunner does
    not); check it printed nothing to stdout, exactly one error line, and exited 1. Returns
    that line."""
    result = subprocess.run(
        [sys.executable, "-m", "sift.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]
