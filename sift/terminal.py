"""The terminal the CLI talks to: one console for results, one for errors and progress
(stderr, so `--json` output on stdout stays machine-readable), one progress-bar style."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def progress_bar(*, enabled: bool = True) -> Progress:
    """A transient bar on stderr for long CLI jobs (embedding, ingesting, crawling)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not enabled,
    )


ID_WIDTH = 36
"""A UUID's length: the width an id column keeps whatever the terminal's width."""


def add_id_column(table: Table, header: str = "id") -> None:
    """Ids are what users copy into the next command, so they are never cut short."""
    table.add_column(header, no_wrap=True, min_width=ID_WIDTH, overflow="fold")
