"""Shared fixtures: one PostgreSQL per test session, a fresh database per test module, one
workflow runtime and one embedding model for the whole run.

With `SIFT_DATABASE_URL` set the suite runs against that server instead of the embedded
one (it needs rights to create databases); nothing else changes.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import make_url

from sift import db, workflows
from sift.config import get_settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The server every test database lives on (its `postgres` database).

    The embedded server runs as its own system user when tests run as root, so its folder
    sits outside pytest's private (0700) temp root; it is deleted at the end.
    """
    external = os.environ.get("SIFT_DATABASE_URL")
    if external:
        return db.as_psycopg(external)
    root = Path(tempfile.mkdtemp(prefix="sift-test-pg-"))
    root.chmod(0o755)
    return db.as_psycopg(db._embedded_server(root, cleanup_mode="delete").get_uri())


def fresh_database(admin_url: str, label: str) -> str:
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", label.lower())[-40:] + "_" + uuid.uuid4().hex[:6]
    admin = make_url(admin_url)
    db.ensure_database(admin, name)
    return admin.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    data_dir = tmp_path_factory.mktemp("sift-data")
    os.environ["SIFT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SIFT_CRAWL_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def workflow_runtime(pg_admin_url: str) -> Iterator[str]:
    """DBOS launched once per session on its own system database."""
    system_url = fresh_database(pg_admin_url, "dbos_system")
    workflows.launch(system_url, executor_id="pytest")
    yield system_url
    workflows.shutdown()


@pytest.fixture(scope="module")
def database(pg_admin_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, fully migrated database for this test module, configured as Sift's."""
    url = fresh_database(pg_admin_url, request.module.__name__)
    db.upgrade(url)
    db.configure(url)
    yield url
    db.dispose()
    db.drop_database(make_url(pg_admin_url), make_url(url).database or "")


@pytest.fixture(scope="module")
def app_runtime(database: str, workflow_runtime: str) -> str:
    """A migrated module database plus the session's workflow runtime."""
    db.configure(database)
    return database


@pytest.fixture(scope="module")
def admin(app_runtime: str) -> Iterator[TestClient]:
    """A web client logged in as the admin, on this module's database."""
    from fastapi.testclient import TestClient

    from sift.api import create_app

    settings = get_settings()
    with TestClient(create_app(settings, manage_runtime=False)) as client:
        client.post(
            "/login",
            data={
                "email": settings.admin_email,
                "password": settings.admin_password.get_secret_value(),
            },
        )
        yield client


@pytest.fixture(scope="session")
def embedder():
    from sift.ai.embeddings import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data folder missing: {SHARED_DATA}")
    return SHARED_DATA
