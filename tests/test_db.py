"""Storage: migrations build exactly the schema the models describe, and the database
layer fails with one clear line when PostgreSQL cannot be reached."""

from __future__ import annotations

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
