"""The Quality page: how extraction and clean-up scored in each recorded `sift eval` run,
drawn over time, so a change that lowers precision shows as a dip rather than a number
someone has to remember."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from sift import db, quality
from sift.web import admin_page, charts, render

router = APIRouter(include_in_schema=False)

SCORES = ("precision", "recall", "f1")


@dataclass(frozen=True)
class SuiteHistory:
    suite: str
    label: str
    runs: list[quality.EvaluationRun]
    chart: Markup


def quality_chart(label: str, runs: list[quality.EvaluationRun]) -> Markup:
    """Precision, recall and F1 of each run, oldest first."""
    return charts.lines(
        f"{label}: precision, recall and F1 per run",
        [run.recorded_at.strftime("%m-%d") for run in runs],
        {score: [getattr(run, score) for run in runs] for score in SCORES},
        empty=f"No {label.lower()} evaluation recorded yet.",
    )


@router.get("/quality", response_class=HTMLResponse)
def quality_page(request: Request) -> HTMLResponse:
    admin_page(request)
    with db.session_scope() as session:
        suites = []
        for suite, label in quality.SUITES.items():
            runs = quality.history(session, suite)
            suites.append(SuiteHistory(suite, label, runs, quality_chart(label, runs)))
    return render(request, "quality.html", suites=suites)
