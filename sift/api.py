"""The HTTP face of Sift: `/healthz`, GraphQL at `/graphql`, webhooks and the web UI.

Each domain contributes GraphQL `Query`/`Mutation` classes and routers from its own
`views.py`; this module only merges them, builds the auth context and owns the app's
lifespan (database + workflow runtime start inside it, as DBOS expects under FastAPI).
"""

from __future__ import annotations

import asyncio
import functools
import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

import strawberry
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from strawberry.fastapi import BaseContext, GraphQLRouter
from strawberry.scalars import JSON
from strawberry.tools import merge_types

from sift import db, runtime, workflows
from sift.auth import COOKIE_NAME, NotAuthorized, Principal, principal_from_token
from sift.config import Settings, get_settings
from sift.errors import NotFound, SiftError, Unavailable

P = ParamSpec("P")
R = TypeVar("R")

DOMAIN_VIEWS = ["sift.directory.views", "sift.inbox.views"]
"""Modules that may define GraphQL `Query`/`Mutation` types and a FastAPI `router`."""


class Context(BaseContext):
    def __init__(self, settings: Settings, principal: Principal) -> None:
        super().__init__()
        self.settings = settings
        self.principal = principal


def principal_of(request: Request, settings: Settings) -> Principal:
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    return principal_from_token(settings, token or request.cookies.get(COOKIE_NAME))


def blocking(resolver: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run a synchronous resolver in a worker thread.

    Resolvers use the synchronous database session and DBOS calls, which must not run on
    the event loop (DBOS refuses, and a slow query would stall every request).
    """

    @functools.wraps(resolver)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return await asyncio.to_thread(resolver, *args, **kwargs)

    return run


def info_context(info: strawberry.Info) -> Context:
    return info.context  # type: ignore[no-any-return]


@strawberry.type
class WorkflowRun:
    id: str
    name: str
    status: str
    progress: str | None
    created_at: datetime | None
    duration_s: float | None
    output: JSON | None
    error: str | None

    @classmethod
    def of(cls, run: workflows.RunInfo) -> WorkflowRun:
        output = run.output if isinstance(run.output, dict | list | str | int | float) else None
        return cls(
            id=run.id,
            name=run.name,
            status=run.status,
            progress=run.progress,
            created_at=run.created_at,
            duration_s=run.duration_s,
            output=output,
            error=run.error,
        )


@strawberry.type
class Me:
    role: str
    subject: str
    creator_id: str | None


@strawberry.type
class CoreQuery:
    @strawberry.field
    def health(self) -> str:
        return "ok"

    @strawberry.field
    def me(self, info: strawberry.Info) -> Me:
        p = info_context(info).principal
        return Me(role=p.role.value, subject=p.subject, creator_id=p.creator_id)

    @strawberry.field(description="Recent workflow runs, newest first (admin).")
    @blocking
    def workflow_runs(self, info: strawberry.Info, limit: int = 50) -> list[WorkflowRun]:
        info_context(info).principal.require_admin()
        return [WorkflowRun.of(r) for r in workflows.recent_runs(min(max(limit, 1), 500))]

    @strawberry.field(description="One run with its live progress text.")
    @blocking
    def workflow_run(self, info: strawberry.Info, id: str) -> WorkflowRun:
        info_context(info).principal.require_admin()
        return WorkflowRun.of(workflows.run_info(id))


def _domain_modules() -> list[Any]:
    modules = []
    for name in DOMAIN_VIEWS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


class Schema(strawberry.Schema):
    """Errors a user can act on (bad input, not found, not allowed) are answers, not
    incidents: they go back to the caller without a traceback in the server log."""

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        unexpected = [e for e in errors if not isinstance(e.original_error, SiftError)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema() -> strawberry.Schema:
    modules = _domain_modules()
    queries = [CoreQuery, *(m.Query for m in modules if hasattr(m, "Query"))]
    mutations = [m.Mutation for m in modules if hasattr(m, "Mutation")]
    query = merge_types("Query", tuple(queries))
    mutation = merge_types("Mutation", tuple(mutations)) if mutations else None
    return Schema(query=query, mutation=mutation)


def _http_status(error: SiftError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Unavailable):
        return 503
    return 400


def create_app(settings: Settings | None = None, *, manage_runtime: bool = True) -> FastAPI:
    """The ASGI app. With `manage_runtime` the lifespan starts and stops the database and
    the workflow runtime; tests that already started them pass False."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # DBOS's synchronous start-up refuses to run on the event loop: use a thread.
        if manage_runtime:
            await asyncio.to_thread(runtime.start, settings, role="serve", schedules=True)
        try:
            yield
        finally:
            if manage_runtime:
                await asyncio.to_thread(runtime.stop)

    app = FastAPI(title="Sift", lifespan=lifespan)

    async def get_context(request: Request) -> Context:
        return Context(settings, principal_of(request, settings))

    app.include_router(GraphQLRouter(build_schema(), context_getter=get_context), prefix="/graphql")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        with db.session_scope() as session:
            session.execute(db.sa.text("SELECT 1"))
        return {"status": "ok"}

    from sift import web

    @app.exception_handler(NotAuthorized)
    async def _not_authorized(_: Request, error: NotAuthorized) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=403)

    @app.exception_handler(SiftError)
    async def _user_error(request: Request, error: SiftError) -> Response:
        """An error the user can act on that a route did not answer itself (a bad id in a
        URL, an unknown filter): one line on the page or in JSON, never a 500."""
        status = _http_status(error)
        if request.headers.get("hx-request") or "text/html" in request.headers.get("accept", ""):
            return web.render(request, "base.html", status_code=status, error=str(error))
        return JSONResponse({"detail": str(error)}, status_code=status)

    web.mount(app)
    for module in _domain_modules():
        if hasattr(module, "router"):
            app.include_router(module.router)
    return app
