"""What the creator inbox adds to Sift, declared once (see `sift.contract`).

The parts import their modules only when the core calls them, so declaring the inbox costs
`sift --help` nothing; the help text below is the command group's own (a test compares).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sift.contract import Command, DemoRun, Domain, Schedule, Web

if TYPE_CHECKING:
    import typer
    from sqlalchemy.orm import Session


def _inbox_commands() -> typer.Typer:
    from sift.inbox import cli

    return cli.inbox_app


def _evaluations() -> Mapping[str, Callable[..., Any]]:
    from sift.inbox import evaluation

    return {"clustering": evaluation.eval_clustering}


def _benchmarks() -> Mapping[str, Callable[..., Any]]:
    from sift.inbox import bench

    return {"inbox": bench.bench_inbox}


def _web() -> Web:
    from sift.inbox import views

    return Web(routers=[views.router], queries=[views.Query], mutations=[views.Mutation])


def _workflows() -> object:
    from sift.inbox import flows

    return flows


def _schedules() -> Sequence[Schedule]:
    from sift.inbox.scheduled import SCHEDULES

    return SCHEDULES


def _demo(run: DemoRun) -> None:
    from sift.inbox import demo

    demo.run(run.settings, run.console, create_app=run.create_app)


def _counts(session: Session) -> Mapping[str, int]:
    from sift.inbox import demo

    return demo.counts(session)


DOMAIN = Domain(
    name="inbox",
    commands=[Command("inbox", "The creator inbox.", _inbox_commands, group=True)],
    evaluations=_evaluations,
    benchmarks=_benchmarks,
    web=_web,
    workflows=_workflows,
    schedules=_schedules,
    demo=_demo,
    counts=_counts,
)
