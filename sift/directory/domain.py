"""What the directory adds to Sift, declared once (see `sift.contract`).

The parts import their modules only when the core calls them, so declaring the directory
costs `sift --help` nothing; the help texts below are the commands' own (a test compares).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sift.contract import Command, DemoRun, Domain, Schedule, Web

if TYPE_CHECKING:
    import typer
    from sqlalchemy.orm import Session


def _cli(name: str) -> Callable[[], typer.Typer | Callable[..., Any]]:
    def load() -> typer.Typer | Callable[..., Any]:
        from sift.directory import cli

        return getattr(cli, name)  # type: ignore[no-any-return]

    return load


def _hsds_cli(name: str) -> Callable[[], typer.Typer]:
    def load() -> typer.Typer:
        from sift.directory.hsds import cli

        return getattr(cli, name)  # type: ignore[no-any-return]

    return load


def _evaluations() -> Mapping[str, Callable[..., Any]]:
    from sift.directory.evaluation import commands

    return {
        "dedup": commands.dedup,
        "extraction": commands.extraction,
        "cleanup": commands.cleanup,
    }


def _benchmarks() -> Mapping[str, Callable[..., Any]]:
    from sift.directory.bench import crawl, extract, search

    return {"crawl": crawl.crawl, "extract": extract.extract, "search": search.bench_search}


def _web() -> Web:
    from sift.directory.hsds import api as hsds_api
    from sift.directory.proposals import post_pages
    from sift.directory.proposals import views as proposal_views
    from sift.directory.public import views as public_views
    from sift.directory.registry import views as registry_views

    return Web(
        routers=[
            registry_views.router,
            proposal_views.router,
            post_pages.router,
            hsds_api.router,
            public_views.router,
        ],
        queries=[registry_views.Query, proposal_views.Query],
        mutations=[registry_views.Mutation, proposal_views.Mutation],
    )


def _workflows() -> object:
    from sift.directory.cleanup import flows as cleanup_flows
    from sift.directory.extraction import flows as extraction_flows
    from sift.directory.public import flows as public_flows
    from sift.directory.registry import flows as registry_flows

    return (registry_flows, extraction_flows, cleanup_flows, public_flows)


def _schedules() -> Sequence[Schedule]:
    from sift.directory.scheduled import SCHEDULES

    return SCHEDULES


def _demo(run: DemoRun) -> None:
    from sift.directory import demo

    demo.run(run.settings, run.console)


def _counts(session: Session) -> Mapping[str, int]:
    from sift.directory import demo

    return demo.counts(session)


DOMAIN = Domain(
    name="directory",
    commands=[
        Command("crawl", "Fetch sources into the page cache, with a progress bar per source.",
                _cli("crawl")),
        Command("extract", "Extract an organization's posts from its pooled pages and stage "
                "proposals.", _cli("extract")),
        Command("cleanup", "Find duplicate posts of an organization (merge proposals) and purge "
                "rejected ones.", _cli("cleanup")),
        Command("org", "Organizations of the directory.", _cli("org_app"), group=True),
        Command("source", "Websites and social profiles to fetch.", _cli("source_app"),
                group=True),
        Command("review", "Approve, reject or revert proposals.", _cli("review_app"),
                group=True),
        Command("post", "Posts of an organization; restore deleted ones.", _cli("post_app"),
                group=True),
        Command("export", "Export the directory in standard formats.", _hsds_cli("export_app"),
                group=True),
        Command("import", "Import a directory in standard formats.", _hsds_cli("import_app"),
                group=True),
    ],
    evaluations=_evaluations,
    benchmarks=_benchmarks,
    web=_web,
    workflows=_workflows,
    schedules=_schedules,
    demo=_demo,
    counts=_counts,
)  # fmt: skip
