"""Database work done for anonymous visitors, bounded so that no visitor can stall Sift.

The public directory and the HSDS API answer anyone. Left unbounded, sixteen parallel
searches of thirty words each held every pooled connection for half a minute: `/healthz`
answered 500 and the queries went on after their clients had left. Three bounds hold here:

- **Slots**: at most `SIFT_PUBLIC_QUERY_SLOTS` public sessions at a time per process; the
  rest of the pool stays in reserve for health checks, admins and workflows. A visitor who
  waits longer than the statement timeout for a slot gets a one-line 503.
- **Time**: every statement of a public session runs under `SET LOCAL statement_timeout`.
- **Disconnects**: a route served by `CancelOnDisconnect` watches its client while the
  handler runs and cancels the running statement on PostgreSQL once the client has gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import psycopg
import sqlalchemy as sa
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from sift import db
from sift.config import get_settings
from sift.errors import Unavailable

DISCONNECT_POLL_S = 0.25


class PublicQueryRefused(Unavailable):
    """The directory is too busy or the query too slow: answered with 503, retry later."""


class _Client:
    """The visitor a public session serves: its PostgreSQL connection while a statement may
    run, and whether it has gone (shared between the event loop and the worker thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: psycopg.Connection[Any] | None = None
        self.gone = False

    def attach(self, connection: psycopg.Connection[Any] | None) -> None:
        with self._lock:
            self._connection = connection

    def leave(self) -> None:
        """The client disconnected: cancel whatever statement its session is running."""
        with self._lock:
            self.gone = True
            if self._connection is not None:
                with contextlib.suppress(psycopg.Error):
                    self._connection.cancel_safe(timeout=2.0)


_client: contextvars.ContextVar[_Client | None] = contextvars.ContextVar(
    "sift_public_client", default=None
)


class _Slots:
    semaphore: threading.BoundedSemaphore | None = None
    size = 0


def _slots() -> threading.BoundedSemaphore:
    size = get_settings().public_query_slots
    if _Slots.semaphore is None or _Slots.size != size:
        _Slots.semaphore, _Slots.size = threading.BoundedSemaphore(size), size
    return _Slots.semaphore


@contextlib.contextmanager
def public_session() -> Iterator[Session]:
    """A session for a visitor's request: one of a few slots, every statement under the
    public statement timeout, cancelled if the visitor disconnects."""
    timeout_s = get_settings().public_query_timeout_s
    slots = _slots()
    if not slots.acquire(timeout=timeout_s):
        raise PublicQueryRefused("the directory is busy; try again in a moment")
    client = _client.get()
    try:
        with db.session_scope() as session:
            session.execute(
                sa.text("SELECT set_config('statement_timeout', :ms, true)"),
                {"ms": f"{int(timeout_s * 1000)}ms"},
            )
            if client is not None:
                client.attach(session.connection().connection.driver_connection)
            try:
                yield session
            except sa.exc.OperationalError as error:
                if isinstance(error.orig, psycopg.errors.QueryCanceled):
                    raise PublicQueryRefused(
                        "this search took too long; try fewer or more specific words"
                    ) from None
                raise
            finally:
                if client is not None:
                    client.attach(None)
    finally:
        slots.release()


class CancelOnDisconnect(APIRoute):
    """Runs the handler while watching the client: when it disconnects, the statement its
    public session is running is cancelled on the server, so no work outlives its asker."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            client = _Client()
            token = _client.set(client)
            try:
                work = asyncio.ensure_future(handler(request))
            finally:
                _client.reset(token)
            while not work.done():
                await asyncio.wait({work}, timeout=DISCONNECT_POLL_S)
                if not work.done() and await request.is_disconnected():
                    await asyncio.to_thread(client.leave)
                    break
            return await work

        return answer
