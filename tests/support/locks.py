"""Races made deterministic: a test holds a transaction open, starts the competing one in a
thread, and waits until PostgreSQL reports that it is blocked on a lock before going on."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from sift import db


def wait_until_a_session_waits_on_a_lock(timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with db.session_scope() as session:
            waiting = session.scalar(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        time.sleep(0.02)
    pytest.fail("the competing transaction never reached a lock")
