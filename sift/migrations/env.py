"""Alembic environment: migrations run against the URL Sift resolved (embedded or external)."""

from alembic import context

from sift.models import metadata

config = context.config


def _include_object(obj, name, type_, reflected, compare_to):
    # DBOS keeps its own tables in the `dbos` schema; they are not ours to migrate.
    return not (type_ == "table" and getattr(obj, "schema", None) == "dbos")


def run_migrations_online() -> None:
    import sqlalchemy as sa

    url = config.attributes.get("sift_url") or config.get_main_option("sqlalchemy.url")
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=_include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
