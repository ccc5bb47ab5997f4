"""The quality history in tests: Sift's settings point at the test module's database, as
a deployment's `SIFT_DATABASE_URL` would, so `sift eval` records where the test reads."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from sift import db
from sift.config import get_settings
from sift.quality import EvaluationRun


@pytest.fixture
def settings_database(database: str) -> Iterator[str]:
    before = os.environ.get("SIFT_DATABASE_URL")
    os.environ["SIFT_DATABASE_URL"] = database
    get_settings.cache_clear()
    try:
        yield database
    finally:
        if before is None:
            os.environ.pop("SIFT_DATABASE_URL", None)
        else:
            os.environ["SIFT_DATABASE_URL"] = before
        get_settings.cache_clear()
        db.configure(database)


def recorded_runs(suite: str) -> list[EvaluationRun]:
    with db.session_scope() as session:
        query = sa.select(EvaluationRun).where(EvaluationRun.suite == suite)
        return list(session.scalars(query.order_by(EvaluationRun.recorded_at)))
