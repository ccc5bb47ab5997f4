"""Directory commands: `sift org …`, `sift source …`, `sift crawl`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sift import db, runtime, workflows
from sift.config import get_settings
from sift.directory.models import Organization, Post, Source, SourceStatus
from sift.directory.registry import service
from sift.errors import SiftError
from sift.terminal import add_id_column, console

if TYPE_CHECKING:
    from sift.directory.proposals.batches import BatchView

org_app = typer.Typer(no_args_is_help=True, help="Organizations of the directory.")
source_app = typer.Typer(no_args_is_help=True, help="Websites and social profiles to fetch.")


def _start(*, with_workflows: bool = False) -> None:
    runtime.start(get_settings(), with_workflows=with_workflows)


# --- organizations ------------------------------------------------------------------------


@org_app.command("add")
def org_add(
    name: str, description: Annotated[str | None, typer.Option(help="Short description.")] = None
) -> None:
    """Register an organization."""
    _start()
    with db.session_scope() as session:
        org = service.create_organization(session, name=name, description=description)
        console.print(f"organization {org.name!r} added ({org.id})")


@org_app.command("list")
def org_list() -> None:
    """List organizations."""
    _start()
    with db.session_scope() as session:
        table = Table()
        add_id_column(table)
        for column in ("name", "sources", "last extracted"):
            table.add_column(column)
        for org in service.list_organizations(session):
            table.add_row(
                str(org.id), org.name, str(len(org.sources)), _when(org.last_extracted_at)
            )
        console.print(table)


@org_app.command("show")
def org_show(org: str) -> None:
    """Show an organization (by name or id) with its sources."""
    _start()
    with db.session_scope() as session:
        organization = service.find_organization(session, org)
        console.print(f"[bold]{organization.name}[/bold]  {organization.id}")
        if organization.description:
            console.print(organization.description)
        console.print(f"last extracted: {_when(organization.last_extracted_at)}")
        console.print(_sources_table(service.list_sources(session, organization=organization)))


# --- sources ------------------------------------------------------------------------------


@source_app.command("add")
def source_add(
    org: Annotated[str, typer.Argument(help="Organization name or id.")],
    source_type: Annotated[str, typer.Argument(help="website|instagram|facebook|x|tiktok")],
    value: Annotated[str, typer.Argument(help="Domain or URL; handle or profile URL.")],
    every: Annotated[int, typer.Option("--every", help="Scrape frequency in hours.")] = 24,
    approve: Annotated[bool, typer.Option(help="Approve it right away.")] = False,
) -> None:
    """Register a source of an organization (pending until approved)."""
    _start()
    with db.session_scope() as session:
        organization = service.find_organization(session, org)
        source = service.add_source(
            session,
            organization=organization,
            source_type=source_type,
            value=value,
            scrape_frequency_hours=every,
        )
        if approve:
            service.set_source_status(session, source=source, status=SourceStatus.approved)
        label = service.source_label(source)
        console.print(f"source {label} added to {organization.name} ({source.status.value})")


def _set_status(ref: str, status: SourceStatus) -> None:
    _start()
    with db.session_scope() as session:
        source = service.find_source(session, ref)
        service.set_source_status(session, source=source, status=status)
        console.print(f"source {service.source_label(source)} is {status.value}")


@source_app.command("approve")
def source_approve(source: str) -> None:
    """Approve a source so it is crawled and pooled."""
    _set_status(source, SourceStatus.approved)


@source_app.command("reject")
def source_reject(source: str) -> None:
    """Reject a source."""
    _set_status(source, SourceStatus.rejected)


@source_app.command("deactivate")
def source_deactivate(source: str) -> None:
    """Stop crawling and pooling a source without deleting it."""
    _start()
    with db.session_scope() as session:
        found = service.find_source(session, source)
        service.set_source_active(session, source=found, active=False)
        console.print(f"source {service.source_label(found)} deactivated")


@source_app.command("list")
def source_list(
    org: Annotated[str | None, typer.Option(help="Only this organization.")] = None,
) -> None:
    """List sources with their status and last crawl."""
    _start()
    with db.session_scope() as session:
        organization = service.find_organization(session, org) if org else None
        console.print(_sources_table(service.list_sources(session, organization=organization)))


@source_app.command("import")
def source_import(
    source: Annotated[str, typer.Argument(help="Source id or type:handle.")],
    file: Annotated[Path, typer.Argument(help="JSON list of {url,text,posted_at,…} records.")],
) -> None:
    """Store a social source's posts from a JSON export (offline, no Apify)."""
    _start()
    result = import_posts(source, file)
    console.print(f"imported {result.stored} posts ({result.unchanged} unchanged)")


def import_posts(source_ref: str, file: Path) -> service.StoreResult:
    """Validate the whole file before writing anything, then store and mark the source
    scraped — one transaction, so a bad file leaves the database as it was."""
    from sift.directory.ingest.ingestor import DiscoverConfig
    from sift.directory.ingest.social import JsonImportIngestor

    with db.session_scope() as session:
        source = service.find_source(session, source_ref)
        if source.social is None:
            raise SiftError("only social sources can import posts from a file")
        config = DiscoverConfig(
            site_url=service.source_site_url(source), handle=source.social.handle, max_age_days=None
        )
        pages = JsonImportIngestor(file, platform=source.source_type.value).discover(config)
        result = service.store_pages(session, pages=pages)
        service.record_scrape(session, source_id=source.id)
    return result


def _sources_table(sources: list[Source]) -> Table:
    table = Table()
    add_id_column(table)
    for column in ("source", "type", "status", "active", "last scraped", "last error"):
        table.add_column(column)
    for s in sources:
        table.add_row(
            str(s.id),
            service.source_label(s),
            s.source_type.value,
            s.status.value,
            "yes" if s.active else "no",
            _when(s.last_scraped_at),
            (s.last_error or "")[:60],
        )
    return table


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else "never"


# --- crawl --------------------------------------------------------------------------------


def crawl(
    source: Annotated[str | None, typer.Argument(help="Source id, domain or type:handle.")] = None,
    org: Annotated[
        str | None, typer.Option(help="Crawl every approved source of this org.")
    ] = None,
    due: Annotated[bool, typer.Option(help="Crawl every source whose frequency elapsed.")] = False,
) -> None:
    """Fetch sources into the page cache, with a progress bar per source."""
    from sift.directory.registry import flows as registry_flows

    if sum(bool(x) for x in (source, org, due)) != 1:
        raise SiftError("give exactly one of SOURCE, --org ORG or --due")
    _start(with_workflows=True)
    with db.session_scope() as session:
        targets = _crawl_targets(session, source=source, org=org, due=due)
        labels = {str(s.id): service.source_label(s) for s in targets}
    if not labels:
        console.print("nothing to crawl")
        return
    with workflows.started_by(_cli_admin()):
        runs = {registry_flows.start_crawl(s): label for s, label in labels.items()}
    results = follow_runs(runs)
    failed = [r for r in results.values() if isinstance(r, dict) and r.get("status") == "failed"]
    for run_id, label in runs.items():
        console.print(f"{label}: {_crawl_summary(results[run_id])}")
    if failed:
        raise typer.Exit(1)


def _crawl_targets(session, *, source: str | None, org: str | None, due: bool) -> list[Source]:
    if source:
        return [service.find_source(session, source)]
    if org:
        organization: Organization = service.find_organization(session, org)
        return [
            s
            for s in service.list_sources(session, organization=organization)
            if s.status is SourceStatus.approved and s.active
        ]
    return service.sources_due(session)


def _crawl_summary(result: object) -> str:
    if not isinstance(result, dict):
        return str(result)
    if result.get("status") == "failed":
        return f"[red]failed[/red]: {result.get('error')}"
    counts = (
        f"{result['pages_stored']} stored, {result['pages_unchanged']} unchanged, "
        f"{result['pages_skipped']} skipped, {result['pages_failed']} failed, "
        f"{result.get('pages_removed', 0)} removed"
    )
    warning = result.get("warning")
    return f"{counts}  [yellow]warning[/yellow]: {warning}" if warning else counts


def follow_runs(runs: dict[str, str]) -> dict[str, object]:
    """Show one progress line per run until every run has finished; return their results."""
    results: dict[str, object] = {}
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[progress]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        tasks = {
            run_id: bar.add_task(label, total=1, progress="queued…")
            for run_id, label in runs.items()
        }
        while len(results) < len(runs):
            for run_id, task in tasks.items():
                if run_id in results:
                    continue
                info = workflows.run_info(run_id)
                shown = info.progress or "queued…"
                if info.finished and info.failure:
                    shown = f"[red]failed[/red]: {info.failure}"
                bar.update(task, progress=shown)
                if info.finished:
                    failure = {"status": "failed", "error": info.error}
                    results[run_id] = info.output if info.error is None else failure
                    bar.update(task, completed=1)
            time.sleep(0.2)
    return results


# --- extract and review -------------------------------------------------------------------


def extract(org: Annotated[str, typer.Argument(help="Organization name or id.")]) -> None:
    """Extract an organization's posts from its pooled pages and stage proposals."""
    from sift.directory.extraction import flows as extraction_flows

    _start(with_workflows=True)
    with db.session_scope() as session:
        organization = service.find_organization(session, org)
        org_id, name = organization.id, organization.name
    with workflows.started_by(_cli_admin()):
        run_id = extraction_flows.start_extraction(org_id)
    result = follow_runs({run_id: f"extract {name}"})[run_id]
    if not isinstance(result, dict):
        raise SiftError(f"extraction of {name} ended without a result")
    console.print(_result_line(result))
    if result.get("batch_id"):
        print_batch(result["batch_id"])
    if result.get("status") == "failed":
        raise typer.Exit(1)


def cleanup(org: Annotated[str, typer.Argument(help="Organization name or id.")]) -> None:
    """Find duplicate posts of an organization (merge proposals) and purge rejected ones."""
    from sift.directory.cleanup import flows as cleanup_flows

    _start(with_workflows=True)
    with db.session_scope() as session:
        organization = service.find_organization(session, org)
        org_id, name = organization.id, organization.name
    with workflows.started_by(_cli_admin()):
        run_id = cleanup_flows.start_cleanup(org_id)
    result = follow_runs({run_id: f"clean up {name}"})[run_id]
    if not isinstance(result, dict):
        raise SiftError(f"clean-up of {name} ended without a result")
    console.print(_result_line(result))
    if result.get("batch_id"):
        print_batch(result["batch_id"])
    if result.get("status") == "failed":
        raise typer.Exit(1)


def _result_line(result: dict) -> str:
    shown = {k: v for k, v in result.items() if v not in (None, "") and k != "errors"}
    return "  ".join(f"{k.replace('_', ' ')}: [bold]{v}[/bold]" for k, v in shown.items())


def print_batch(batch_id: str) -> None:
    from sift.directory.proposals import batches

    with db.session_scope() as session:
        batch = batches.batch_view(session, batch_id=batch_id)
    table = Table(title=f"{batch.kind} batch {batch.id} — {batch.summary} ({batch.status})")
    add_id_column(table, "proposal")
    for column in ("operation", "post", "reason", "status"):
        table.add_column(column)
    for item in batch.proposals:
        table.add_row(item.id, item.operation, item.headline, item.reason or "", item.status)
    console.print(table)


review_app = typer.Typer(no_args_is_help=True, help="Approve, reject or revert proposals.")


AS_JSON = typer.Option("--json", help="Print one JSON object (the last line) instead.")


@review_app.command("list")
def review_list(
    org: Annotated[str | None, typer.Option(help="Only this organization.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include reviewed batches.")] = False,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """Show batches of proposals (pending ones unless --all), in the order to review them;
    a proposal sharing a post with another pending one names it ("depends on")."""
    from sift.directory.proposals import batches

    _start()
    with db.session_scope() as session:
        organization = service.find_organization(session, org) if org else None
        batch_ids = batches.batch_ids(
            session,
            organization_id=organization.id if organization else None,
            pending_only=not all_,
        )
        if as_json:
            views = [batches.batch_view(session, batch_id=b) for b in batch_ids]
            print(json.dumps({"batches": [_batch_json(v) for v in views]}), flush=True)
            return
    if not batch_ids:
        console.print("no batches to review")
    for batch_id in batch_ids:
        print_batch(str(batch_id))


def _batch_json(batch: BatchView) -> dict[str, object]:
    """A batch for scripts: its proposals with id, kind, title, status and dependencies."""
    return {
        "id": batch.id,
        "organization_id": batch.organization_id,
        "kind": batch.kind,
        "status": batch.status,
        "summary": batch.summary,
        "proposals": [
            {
                "id": p.id,
                "kind": p.operation,
                "title": p.title,
                "headline": p.headline,
                "status": p.status,
                "depends_on": [d.proposal_id for d in p.depends_on],
            }
            for p in batch.proposals
        ],
    }


def _decide(target: str, *, batch: bool, approve: bool) -> None:
    from sift.directory.models import ProposedOperation, SyncBatch
    from sift.directory.proposals import review

    _start()
    with db.session_scope() as session:
        model = SyncBatch if batch else ProposedOperation
        target = db.expand_id_prefix(session, model.id, target)
    reviewer = _cli_admin()
    if batch:
        counts = review.review_batch(target, approve=approve, reviewer=reviewer)
        console.print(", ".join(f"{n} {label}" for label, n in counts.items()))
        return
    review.decide(target, approve=approve, reviewer=reviewer)
    with db.session_scope() as session:
        proposal = review.get_proposal_or_raise(session, proposal_id=target)
        console.print(f"proposal {proposal.id} {proposal.status.value}")


@review_app.command("approve")
def review_approve(
    target: Annotated[str, typer.Argument(help="Proposal id (or batch id with --batch).")],
    batch: Annotated[bool, typer.Option("--batch", help="Approve every pending proposal.")] = False,
) -> None:
    """Apply a proposal (or a whole batch)."""
    _decide(target, batch=batch, approve=True)


@review_app.command("reject")
def review_reject(
    target: Annotated[str, typer.Argument(help="Proposal id (or batch id with --batch).")],
    batch: Annotated[bool, typer.Option("--batch", help="Reject every pending proposal.")] = False,
) -> None:
    """Reject a proposal (or a whole batch); what it staged is undone."""
    _decide(target, batch=batch, approve=False)


def _cli_admin() -> str:
    """Who acts from this terminal, as proposals record reviewers and requesters."""
    return f"cli:{get_settings().admin_email}"


@review_app.command("revert")
def review_revert(
    proposal: Annotated[str, typer.Argument(help="Id (or its start) of an approved proposal.")],
    reason: Annotated[str | None, typer.Option(help="Why, for the reviewer.")] = None,
) -> None:
    """Stage undoing an approved proposal; it applies once that revert is approved."""
    from sift.directory.models import ProposedOperation
    from sift.directory.proposals import recovery

    _start()
    with db.session_scope() as session:
        revert = recovery.request_revert(
            session,
            proposal_id=db.expand_id_prefix(session, ProposedOperation.id, proposal),
            requested_by=_cli_admin(),
            reason=reason,
        )
        revert_id, batch_id = revert.id, revert.batch_id
    console.print(f"revert staged for review as proposal {revert_id} (batch {batch_id})")


# --- posts --------------------------------------------------------------------------------

post_app = typer.Typer(no_args_is_help=True, help="Posts of an organization; restore deleted ones.")


@post_app.command("list")
def post_list(
    org: Annotated[str | None, typer.Argument(help="Organization name or id (else all).")] = None,
    status: Annotated[
        str, typer.Option(help="active, pending_approval, rejected, archived or deleted.")
    ] = "active",
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """List posts of one status (`--status deleted` for deleted ones), of one organization
    or of all."""
    _start()
    with db.session_scope() as session:
        organization_id = service.find_organization(session, org).id if org else None
        posts = service.list_posts(session, organization_id=organization_id, status=status)
        if as_json:
            listed = [
                {
                    "id": str(p.id),
                    "title": p.title,
                    "status": p.status.value,
                    "organization_id": str(p.organization_id),
                    "deleted_at": p.deleted_at.isoformat() if p.deleted_at else None,
                }
                for p in posts
            ]
            print(json.dumps({"posts": listed}), flush=True)
            return
        table = Table()
        add_id_column(table)
        for column in ("title", "status", "deleted"):
            table.add_column(column)
        for post in posts:
            deleted = f"{_when(post.deleted_at)} {post.deleted_reason or ''}"
            table.add_row(
                str(post.id), post.title, post.status.value, deleted if post.deleted_at else ""
            )
        console.print(table)


@post_app.command("restore")
def post_restore(
    post: Annotated[str, typer.Argument(help="Id (or its start) of a deleted post.")],
    reason: Annotated[str | None, typer.Option(help="Why, for the reviewer.")] = None,
) -> None:
    """Stage bringing a deleted post back; it returns once that restore is approved."""
    from sift.directory.proposals import recovery

    _start()
    with db.session_scope() as session:
        restore = recovery.request_restore(
            session,
            post_id=db.expand_id_prefix(session, Post.id, post),
            requested_by=_cli_admin(),
            reason=reason,
        )
        restore_id, batch_id = restore.id, restore.batch_id
    console.print(f"restore staged for review as proposal {restore_id} (batch {batch_id})")
