"""What a domain declares to the core, and where the core reads the declarations from.

Each domain (the directory, the inbox) says what it adds to Sift in one module of its own,
`sift/<domain>/domain.py`: its `sift` commands, its `sift eval` and `sift bench` commands,
its web routes and GraphQL types, its workflows, its periodic jobs and its demo step. The
composition root, `sift/domains.py`, lists those declarations once and installs them here;
the core (the CLI, the app, the workflow runtime, the scheduler, the demo) reads them from
`installed()`. The dependency runs one way, core ← domain ← composition root, so the core
never names a domain, by import or by a module name in a string.

Every part that needs a heavy library (FastAPI, Strawberry, DBOS, the embedder) is a plain
function that imports when it is called: `sift --help` reads names and help texts only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from rich.console import Console
    from sqlalchemy.orm import Session

    from sift.config import Settings

Schedule = tuple[str, Callable[..., Any], str]
"""(schedule name, workflow function, cron with seconds in UTC)."""


@dataclass(frozen=True)
class Command:
    """A top-level `sift` command or command group.

    `help` is what `sift --help` lists (the first paragraph of the command's own help), so
    listing needs no import; `load` imports the command's module and returns its Typer
    group or command function only when the command runs. A test checks the two agree."""

    name: str
    help: str
    load: Callable[[], typer.Typer | Callable[..., Any]]
    group: bool = False


@dataclass(frozen=True)
class Web:
    """What a domain serves: routers in the order they are matched, GraphQL root types."""

    routers: Sequence[APIRouter] = ()
    queries: Sequence[type] = ()
    mutations: Sequence[type] = ()


@dataclass(frozen=True)
class DemoRun:
    """What a demo step works with: the settings, where to report, and the app factory
    (a step that exercises the HTTP face builds the real app through it)."""

    settings: Settings
    console: Console
    create_app: Callable[..., Any]


@dataclass(frozen=True)
class Domain:
    """Everything one domain adds to Sift; each part is optional."""

    name: str
    commands: Sequence[Command] = ()
    evaluations: Callable[[], Mapping[str, Callable[..., Any]]] | None = None
    """`sift eval` commands by name."""
    benchmarks: Callable[[], Mapping[str, Callable[..., Any]]] | None = None
    """`sift bench` commands by name."""
    web: Callable[[], Web] | None = None
    workflows: Callable[[], object] | None = None
    """Imports the modules whose `@DBOS.workflow` functions register at import: every
    process registers all of them before the runtime starts, so a recovered run finds its
    code."""
    schedules: Callable[[], Sequence[Schedule]] | None = None
    demo: Callable[[DemoRun], None] | None = None
    counts: Callable[[Session], Mapping[str, int]] | None = None
    """Live rows per kind, for the demo's report and its `--json` line."""


class _Installed:
    domains: tuple[Domain, ...] = ()


def install(domains: Sequence[Domain]) -> None:
    """Make `domains` the ones the core serves; `sift.domains` does this when imported."""
    _Installed.domains = tuple(domains)


def installed() -> tuple[Domain, ...]:
    """The installed domains, in their declared order (routes, commands and demo steps
    follow it). None installed is a wiring mistake, said at once: a runtime started
    without the domains would not find the code of a run it should recover."""
    if not _Installed.domains:
        raise RuntimeError("no Sift domains installed: import sift.domains first")
    return _Installed.domains
