"""The quality history: the headline figures of each `sift eval extraction|cleanup` run,
kept in Sift's own database so the admin's Quality page can show how extraction and
clean-up quality moves over time (a figure quoted once and never measured again drifts).

Recording goes to the database Sift's settings name, never to a scratch database an
evaluation may have used, so every run lands where the server reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, Session, mapped_column

from sift import db
from sift.errors import SiftError

SUITES = {"extraction": "Extraction", "cleanup": "Clean-up"}
"""The evaluations that record their figures, as pages name them."""


class EvaluationRun(db.Base):
    """One scored run: which suite, on which data, by which engine and Sift version."""

    __tablename__ = "evaluation_runs"
    __table_args__ = (sa.Index("ix_evaluation_runs_suite_recorded_at", "suite", "recorded_at"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=db.new_id)
    suite: Mapped[str] = mapped_column(sa.String(40))
    dataset: Mapped[str] = mapped_column(sa.String(300))
    """The data file's name, as the page labels the run."""
    dataset_path: Mapped[str] = mapped_column(sa.Text)
    variant: Mapped[str] = mapped_column(sa.String(60))
    """How the suite ran: the extraction engine, or the clean-up's offline/LLM judge."""
    precision: Mapped[float] = mapped_column(sa.Float)
    recall: Mapped[float] = mapped_column(sa.Float)
    f1: Mapped[float] = mapped_column(sa.Float)
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Every figure the run printed with `--json`."""
    sift_version: Mapped[str] = mapped_column(sa.String(40))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=db.utcnow)


class RecordingFailed(SiftError):
    """The figures were scored but could not be stored."""


def sift_version() -> str:
    try:
        return metadata.version("sift")
    except metadata.PackageNotFoundError:
        return "unknown"


def record(suite: str, data: Path, variant: str, figures: Mapping[str, Any]) -> EvaluationRun:
    """Store one run's figures in the configured database (migrated first if needed)."""
    from sift import runtime
    from sift.config import get_settings

    if suite not in SUITES:
        raise ValueError(f"unknown evaluation suite {suite!r}")
    try:
        runtime.start(get_settings(), with_workflows=False)
    except SiftError as error:
        raise RecordingFailed(f"figures not recorded ({error}); pass --no-record to skip") from None
    run = EvaluationRun(
        suite=suite,
        dataset=data.name[:300],
        dataset_path=str(data.resolve()),
        variant=variant,
        precision=float(figures["precision"]),
        recall=float(figures["recall"]),
        f1=float(figures["f1"]),
        figures=dict(figures),
        sift_version=sift_version(),
    )
    with db.session_scope() as session:
        session.add(run)
    return run


def history(session: Session, suite: str, *, limit: int = 30) -> list[EvaluationRun]:
    """The suite's latest runs, oldest first (the order a chart reads)."""
    rows = session.scalars(
        sa.select(EvaluationRun)
        .where(EvaluationRun.suite == suite)
        .order_by(EvaluationRun.recorded_at.desc(), EvaluationRun.id)
        .limit(limit)
    )
    return list(reversed(rows.all()))
