"""`sift demo`: the whole pipeline on the embedded default, with data shipped in the package.

Each domain contributes a demo step (see `DEMO_STEPS`); the demo then reports what the
database holds, which is also what `--json` prints for scripts and CI.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import sqlalchemy as sa
from rich.console import Console

from sift import db, runtime
from sift.config import Settings
from sift.directory import models as dm
from sift.inbox import models as im

DEMO_STEPS: list[str] = ["sift.directory.demo:run", "sift.inbox.demo:run"]
"""Dotted names `module:function` run in order as `function(settings, console)`."""


def counts() -> dict[str, int]:
    """Live rows per kind: soft-deleted rows are not counted."""
    queries: dict[str, sa.Select[tuple[int]]] = {
        "organizations": sa.select(sa.func.count())
        .select_from(dm.Organization)
        .where(dm.Organization.deleted_at.is_(None)),
        "sources": sa.select(sa.func.count()).select_from(dm.Source),
        "pages": sa.select(sa.func.count()).select_from(dm.ExtractionPage),
        "posts": sa.select(sa.func.count())
        .select_from(dm.Post)
        .where(dm.Post.deleted_at.is_(None)),
        "proposals": sa.select(sa.func.count()).select_from(dm.ProposedOperation),
        "messages": sa.select(sa.func.count())
        .select_from(im.Message)
        .where(im.Message.deleted_at.is_(None)),
        "clusters": sa.select(sa.func.count()).select_from(im.Cluster),
    }
    with db.session_scope() as session:
        return {key: int(session.execute(q).scalar() or 0) for key, q in queries.items()}


def _step(name: str) -> Callable[[Settings, Console], None]:
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


def run(settings: Settings, *, console: Console) -> dict[str, int]:
    with console.status("Starting the database…"):
        url = runtime.start(settings, role="demo")
    where = "embedded PostgreSQL in " + str(settings.data_dir) if not settings.database_url else url
    console.print(f"[green]✓[/green] database ready ({where}), schema migrated")
    for name in DEMO_STEPS:
        _step(name)(settings, console)
    return counts()
