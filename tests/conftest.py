"""Shared fixtures: one PostgreSQL per test session, one database migrated once and copied
for each test module, one workflow runtime and one embedding model for the whole run, and
the web client every HTTP test uses.

With `SIFT_DATABASE_URL` set the suite runs against that server instead of the embedded
one (it needs rights to create databases); nothing else changes.

Tests that read the shared data sets (`../shared/data`, beside the project) ask for them
through `shared_data` or `require_shared_data`: where the folder is absent they skip with
one line, so a fresh clone passes on its own; in CI (`CI` set) its absence fails them.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import make_url

import sift.domains  # noqa: F401  (installs the domains, whose workflows the runtime registers)
from sift import db, workflows
from sift.config import get_settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

_RANDOM_PARTS = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "{uuid}"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?"), "{time}"),
)


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """A parameter made at collection (an unknown id, a time just past) is named by its
    shape, `{uuid}` or `{time}`, in the test's id, and a long one is cut: `./dev test` runs
    the tests in several processes, and pytest-xdist needs every process to collect the
    very same test ids."""
    if not isinstance(val, str):
        return None
    named = val
    for pattern, shape in _RANDOM_PARTS:
        named = pattern.sub(shape, named)
    if named == val and len(val) <= 60:
        return None
    named = named.encode("unicode_escape").decode("ascii")  # as pytest shows a string
    return named if len(named) <= 60 else named[:57] + "..."


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


def database_name(label: str) -> str:
    return "t_" + re.sub(r"[^a-z0-9]+", "_", label.lower())[-40:] + "_" + uuid.uuid4().hex[:6]


def fresh_database(admin_url: str, label: str) -> str:
    """An empty database (no schema): for tests of migrations and of commands that migrate."""
    name = database_name(label)
    admin = make_url(admin_url)
    db.ensure_database(admin, name)
    return admin.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated_template(pg_admin_url: str) -> Iterator[str]:
    """The name of one database migrated to head, once per session: every module's database
    is a copy of it (a copy takes a fraction of a second, the migrations seconds). Nothing
    stays connected to it, as PostgreSQL requires of a template."""
    url = fresh_database(pg_admin_url, "template")
    db.upgrade(url)  # on a connection of its own, closed when done
    name = make_url(url).database or ""
    yield name
    db.drop_database(make_url(pg_admin_url), name)


@pytest.fixture(scope="session")
def migrated_database(pg_admin_url: str, migrated_template: str) -> Callable[[str], str]:
    """Makes a new database at the head revision (a copy of the template) and returns its
    URL; the caller drops it, or leaves it to the session's server."""

    def make(label: str) -> str:
        admin, name = make_url(pg_admin_url), database_name(label)
        db.clone_database(admin, name, template=migrated_template)
        return admin.set(database=name).render_as_string(hide_password=False)

    return make


REVIEW_UNDO_S = 2.5
"""The review queue's undo window in tests: long enough for a browser to press "u" in it,
shorter than the 4 s default that every browser test of the queue would wait out."""


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    data_dir = tmp_path_factory.mktemp("sift-data")
    os.environ["SIFT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SIFT_CRAWL_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    os.environ.setdefault("SIFT_REVIEW_UNDO_S", str(REVIEW_UNDO_S))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless Chromium per browser test module; each test opens its own context."""
    from tests.support.browser import chromium_browser

    with chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="session")
def workflow_runtime(pg_admin_url: str) -> Iterator[str]:
    """DBOS launched once per session on its own system database."""
    system_url = fresh_database(pg_admin_url, "dbos_system")
    workflows.launch(system_url, executor_id="pytest")
    yield system_url
    workflows.shutdown()


@pytest.fixture(scope="module")
def database(
    pg_admin_url: str, migrated_database: Callable[[str], str], request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh, fully migrated database for this test module, configured as Sift's."""
    url = migrated_database(request.module.__name__)
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
def client(app_runtime: str) -> Iterator[TestClient]:
    """A web client of the whole app on this module's database, signed in as nobody. A
    module whose tests need data first overrides it: `def client(client, data): ...`."""
    from fastapi.testclient import TestClient

    from sift.app import create_app

    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client


def admin_login(**fields: str) -> dict[str, str]:
    """The login form of the configured admin, with any other `fields` (`next`)."""
    settings = get_settings()
    return {
        "email": settings.admin_email,
        "password": settings.admin_password.get_secret_value(),
        **fields,
    }


@pytest.fixture(scope="module")
def admin(app_runtime: str) -> Iterator[TestClient]:
    """A web client logged in as the admin, on this module's database."""
    from fastapi.testclient import TestClient

    from sift.app import create_app

    with TestClient(create_app(get_settings(), manage_runtime=False)) as client:
        client.post("/login", data=admin_login())
        yield client


@pytest.fixture(scope="session")
def embedder():
    from sift.ai.embeddings import get_embedder

    return get_embedder()


def require_shared_data(*parts: str) -> Path:
    """`../shared/data/<parts>`, or a skip that says in one line what is missing. In CI the
    shared data is part of the checkout, so there its absence is a failure, not a skip."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        reason = f"needs the shared data sets: {path} not found (../shared/data beside Sift)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return require_shared_data()
