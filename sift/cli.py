"""The `sift` command line.

Every command reads settings the same way and shows failures as one line on stderr with a
non-zero exit: a user fixes a setting or an input, never reads a traceback. Domains declare
their commands (`sift.domains`); they are listed from the declarations and imported only
when they run, so `sift --help` starts in a fraction of a second.
"""

from __future__ import annotations

import errno
import functools
import json
import signal
import socket
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer
from typer.exceptions import TyperException

from sift.config import Settings, get_settings
from sift.contract import Command
from sift.domains import DOMAINS
from sift.errors import SiftError
from sift.lazy_commands import DeferringGroup
from sift.terminal import console, err_console

if TYPE_CHECKING:
    from sift.contract import Domain


def _grouped(
    app: typer.Typer,
    part: Callable[[Domain], Callable[[], Mapping[str, Callable[..., Any]]] | None],
) -> typer.Typer:
    """`app` with every domain's commands of one kind (`sift eval`, `sift bench`) added."""
    for domain in DOMAINS:
        commands = part(domain)
        for name, function in (commands() if commands is not None else {}).items():
            app.command(name)(function)
    return app


@functools.cache
def _eval_group() -> typer.Typer:
    from sift.evaluation import eval_app

    return _grouped(eval_app, lambda domain: domain.evaluations)


@functools.cache
def _bench_group() -> typer.Typer:
    from sift.evaluation import bench_app

    return _grouped(bench_app, lambda domain: domain.benchmarks)


CORE_COMMANDS = (
    Command("eval", "Score Sift's decisions against labelled data.", _eval_group, group=True),
    Command(
        "bench", "Measure Sift's throughput on local, generated data.", _bench_group, group=True
    ),
)
"""The core's own deferred groups, which the domains fill with their scorers and benchmarks."""


class SiftGroup(DeferringGroup):
    def deferred(self) -> Sequence[Command]:
        return [*CORE_COMMANDS, *(entry for domain in DOMAINS for entry in domain.commands)]


app = typer.Typer(
    cls=SiftGroup, no_args_is_help=True, add_completion=False, help=__doc__.splitlines()[0]
)
db_app = typer.Typer(no_args_is_help=True, help="Database migrations.")
token_app = typer.Typer(no_args_is_help=True, help="Issue API tokens.")
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")


def settings() -> Settings:
    return get_settings()


# --- serving --------------------------------------------------------------------------------


def ensure_port_free(host: str, port: int) -> None:
    """Bind once as the server will, in the address family of `host` (`::1` is IPv6), so
    a taken port is one line, and a host that cannot be bound says so instead."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise SiftError(f"cannot serve on {host}: {error.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise SiftError(f"cannot serve on {host} port {port}: {error.strerror}") from None
            raise SiftError(
                f"port {port} on {host} is already in use (choose another with --port or SIFT_PORT)"
            ) from None


def check_port(port: int) -> int:
    """A port number the operating system can bind (0 would pick a random one)."""
    if not 1 <= port <= 65535:
        raise SiftError(f"--port must be between 1 and 65535, not {port}")
    return port


def serve_app(cfg: Settings, host: str, port: int, announce: str) -> None:
    """Serve the app, saying `announce` only once the port is known to be free: a busy
    port is one line, never "serving on …" followed by a failure."""
    import uvicorn

    from sift.api import create_app

    asgi = create_app(cfg, host=host)  # refuses weak secrets off loopback, before binding
    ensure_port_free(host, port)
    console.print(announce)
    uvicorn.run(asgi, host=host, port=port, log_level="warning", proxy_headers=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind.")] = None,
) -> None:
    """Run the API, the web UI and a workflow executor in one process."""
    cfg = settings()
    host, port = host or cfg.host, check_port(cfg.port if port is None else port)
    serve_app(cfg, host, port, f"Sift is serving on http://{host}:{port}  (GraphQL at /graphql)")


@app.command()
def worker(
    worker_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Stable id of this worker, to resume its own runs after a restart "
            "(unique per process; default: a new id per process).",
        ),
    ] = None,
) -> None:
    """Process queued workflows until stopped; start as many as you like, anywhere."""
    cfg = settings()
    from sift import runtime, workflows

    runtime.start(cfg, role="worker", executor_id=worker_id, schedules=True)
    console.print(
        f"worker {workflows.executor_id()} is processing the queue (Ctrl-C to stop)",
        soft_wrap=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()


# --- database -------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    from sift import db, runtime

    url = runtime.start(settings(), migrate=False, with_workflows=False)
    db.upgrade(url)
    current, head = db.migration_status(url)
    console.print(f"database is at revision {current} (head {head})")


@db_app.command("status")
def db_status() -> None:
    """Show the database's revision and whether migrations are pending."""
    from sift import db, runtime

    url = runtime.start(settings(), migrate=False, with_workflows=False)
    current, head = db.migration_status(url)
    state = "up to date" if current == head else "migrations pending: run `sift db upgrade`"
    console.print(f"database: {db.get_engine().url.render_as_string(hide_password=True)}")
    console.print(f"revision: {current or 'none'} (head {head}) — {state}")


# --- tokens ---------------------------------------------------------------------------------


@token_app.command("admin")
def token_admin() -> None:
    """Print an admin JWT for the GraphQL API."""
    from sift.auth import Role, issue_token

    cfg = settings()
    console.print(issue_token(cfg, role=Role.admin, subject=cfg.admin_email), soft_wrap=True)


@token_app.command("creator")
def token_creator(creator_id: str) -> None:
    """Print a JWT that sees only CREATOR_ID's inbox."""
    from sift.auth import Role, issue_token

    console.print(
        issue_token(settings(), role=Role.creator, subject=creator_id, creator_id=creator_id),
        soft_wrap=True,
    )


# --- demo -----------------------------------------------------------------------------------


@app.command()
def demo(
    serve_ui: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the UI after.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON last.")] = False,
    port: Annotated[int | None, typer.Option(help="Port for the UI.")] = None,
) -> None:
    """Run the whole pipeline on the embedded default with built-in demo data."""
    from rich.table import Table

    from sift import demo as demo_module
    from sift import runtime

    cfg = settings()
    if port is not None:
        check_port(port)  # before the demo's minutes of work, not after
    counts = demo_module.run(cfg, console=err_console if as_json else console)
    if as_json:
        print(json.dumps(counts), flush=True)
    else:
        table = Table(title="What the database holds now")
        for key in counts:
            table.add_column(key)
        table.add_row(*(str(v) for v in counts.values()))
        console.print(table)
    if serve_ui:
        host, bind_port = cfg.host, cfg.port if port is None else port
        runtime.stop()
        serve_app(
            cfg,
            host,
            bind_port,
            f"Open http://{host}:{bind_port}/ and log in as {cfg.admin_email} / "
            f"{cfg.admin_password.get_secret_value()}  (Ctrl-C to stop)",
        )


_USAGE_ERRORS = (click.ClickException, TyperException)
"""Typer 0.2x raises usage errors from its own copy of click; older Typer, click's own."""


def main() -> None:
    from sift import logs
    from sift.config import SettingsError

    try:
        logs.configure(get_settings())
        app(standalone_mode=False)
    except SettingsError as error:
        err_console.print(f"[red]error:[/red] {error}", highlight=False)
        sys.exit(2)
    except SiftError as error:
        err_console.print(f"[red]error:[/red] {error}", highlight=False)
        sys.exit(1)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("interrupted")
        sys.exit(130)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except Exception as error:  # usage errors (a bad option value) carry their own exit code
        if isinstance(error, _USAGE_ERRORS):
            error.show()
            sys.exit(error.exit_code)
        raise
    finally:
        # Workflows stop before the embedded server does, so nothing is cut mid-write. A
        # command that started nothing never imported the runtime: nothing to stop.
        runtime = sys.modules.get("sift.runtime")
        if runtime is not None:
            runtime.stop()


if __name__ == "__main__":
    main()
