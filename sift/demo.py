"""`sift demo`: the whole pipeline on the embedded default, with data shipped in the package.

Each domain declares a demo step and what it counts (`sift.domains`); the demo runs the
steps in the domains' order, then reports what the database holds, which is also what
`--json` prints for scripts and CI.
"""

from __future__ import annotations

from rich.console import Console

from sift import db, runtime
from sift.api import create_app
from sift.config import Settings
from sift.contract import DemoRun
from sift.domains import DOMAINS


def counts() -> dict[str, int]:
    """Live rows per kind, each domain's in turn: soft-deleted rows are not counted."""
    with db.session_scope() as session:
        return {
            key: value
            for domain in DOMAINS
            if domain.counts is not None
            for key, value in domain.counts(session).items()
        }


def run(settings: Settings, *, console: Console) -> dict[str, int]:
    with console.status("Starting the database…"):
        url = runtime.start(settings, role="demo")
    where = "embedded PostgreSQL in " + str(settings.data_dir) if not settings.database_url else url
    console.print(f"[green]✓[/green] database ready ({where}), schema migrated")
    step = DemoRun(settings=settings, console=console, create_app=create_app)
    for domain in DOMAINS:
        if domain.demo is not None:
            domain.demo(step)
    return counts()
