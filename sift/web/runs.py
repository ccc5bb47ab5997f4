"""Workflow runs as an admin reads them: a list (what each run worked on, who or what
started it, housekeeping apart from what people asked for), and a page per run with a live
progress bar, the log of its steps in words and its error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from dbos import DBOS
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from sift import workflows
from sift.web import admin_page, render, templates

router = APIRouter(include_in_schema=False)

RUN_TITLES = {
    "crawl_source": "Crawl",
    "crawl_due_sources": "Scheduled crawl",
    "extract_org_posts": "Extraction",
    "extract_due_organizations": "Scheduled extraction",
    "clean_up_org_posts": "Clean-up",
    "deliver_cluster_reply": "Reply delivery",
    "retry_undelivered_replies": "Delivery retry",
    "regroup_creator": "Re-grouping",
    "regroup_active_creators": "Scheduled re-grouping",
    "close_empty_clusters": "Closing empty clusters",
}
"""What each workflow function is called on a page (`clean_up_org_posts` → "Clean-up")."""

_COUNT = re.compile(r"\b(\d+)\s*(?:/|to \d+ of|of)\s*(\d+)\b")


def run_title(name: str) -> str:
    return RUN_TITLES.get(name) or name.replace("_", " ").capitalize()


def progress_fraction(run: workflows.RunInfo) -> float | None:
    """How far the run is, when its progress text says ("batch 2/3", "posts 1 to 5 of 9");
    None while it does not, so the bar shows activity without inventing a number."""
    if run.finished:
        return 1.0
    match = _COUNT.search(run.progress or "")
    if not match or int(match.group(2)) == 0:
        return None
    return min(int(match.group(1)) / int(match.group(2)), 1.0)


@dataclass(frozen=True)
class StepLine:
    number: int
    name: str
    started_at: datetime | None
    seconds: float | None
    error: str | None
    run_id: str | None = None
    """The run this step started, when it started one (a tick starts one crawl per due
    source)."""


def _time(millis: int | None) -> datetime | None:
    return datetime.fromtimestamp(millis / 1000, tz=UTC) if millis is not None else None


def step_title(name: str, child_run: str | None) -> str | None:
    """A step as a person reads it: `load_crawl_target` → "Load crawl target", a run it
    started → "Started a crawl". None for the runtime's own bookkeeping (`DBOS.setEvent`
    is the progress line, already shown above the log), which means nothing to an admin."""
    if child_run:
        return f"Started: {run_title(name.rsplit('.', 1)[-1])}"
    if name.startswith("DBOS."):
        return None
    return name.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def step_log(run_id: str) -> list[StepLine]:
    """The run's checkpointed steps in order, in words; bookkeeping steps only when they
    failed."""
    lines = []
    for step in DBOS.list_workflow_steps(run_id, load_output=False):
        started, ended = step["started_at_epoch_ms"], step["completed_at_epoch_ms"]
        error = str(step["error"]) if step["error"] is not None else None
        child = step.get("child_workflow_id")
        title = step_title(step["function_name"], child)
        if title is None and error is None:
            continue
        lines.append(
            StepLine(
                number=step["function_id"],
                name=title or "Workflow bookkeeping",
                started_at=_time(started),
                seconds=(ended - started) / 1000 if started and ended else None,
                error=error,
                run_id=child,
            )
        )
    return lines


RUN_KINDS = {
    "all": "All runs",
    "asked": "Asked for by a person",
    "housekeeping": "Housekeeping (schedules)",
}
"""The runs list's filter: everything, what someone started, or what the schedules did."""
LISTED = 100
SCANNED = 500
"""Runs looked at to fill a filtered list of `LISTED`: a busy schedule ticks every few
minutes, so the newest 500 hold the last hours of both kinds."""


def triggered_by(run: workflows.RunInfo) -> str:
    """Who or what started the run, in words."""
    if run.schedule:
        return f"Schedule {run.schedule}"
    if run.parent_id:
        return "Another run"
    return run.started_by or "Command line or API"


def listed_runs(kind: str) -> list[workflows.RunInfo]:
    runs = workflows.recent_runs(SCANNED if kind != "all" else LISTED)
    if kind != "all":
        runs = [run for run in runs if run.housekeeping == (kind == "housekeeping")]
    return runs[:LISTED]


def run_or_404(run_id: str) -> workflows.RunInfo:
    try:
        return workflows.run_info(run_id)
    except workflows.WorkflowRuntimeError as error:
        raise HTTPException(404, str(error)) from None


templates.env.filters["run_title"] = run_title
templates.env.globals["progress_fraction"] = progress_fraction


templates.env.filters["triggered_by"] = triggered_by


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, kind: str = "all") -> HTMLResponse:
    """The newest runs, all or of one kind (an unknown kind shows them all)."""
    admin_page(request)
    kind = kind if kind in RUN_KINDS else "all"
    return render(request, "runs.html", runs=listed_runs(kind), kind=kind, kinds=RUN_KINDS)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: str) -> HTMLResponse:
    admin_page(request)
    run = run_or_404(run_id)
    return render(request, "run.html", run=run, steps=step_log(run_id))


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def run_progress(request: Request, run_id: str) -> HTMLResponse:
    """The live progress fragment htmx polls until the run finishes."""
    admin_page(request)
    run = run_or_404(run_id)
    response = render(request, "_run_progress.html", run=run)
    if run.finished:  # lets the page refresh what the run changed (e.g. the post list)
        response.headers["HX-Trigger"] = "refresh-posts"
    return response
