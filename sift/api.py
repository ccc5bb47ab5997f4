"""The HTTP face of Sift: `/healthz`, GraphQL at `/graphql`, webhooks and the web UI.

Each installed domain (`sift.contract.installed()`, filled by `sift.domains`) contributes
routers and GraphQL `Query`/`Mutation` types; this module only merges them, builds the
auth context and owns the app's lifespan (database + workflow runtime start inside it, as
DBOS expects under FastAPI). Domain views import its helpers (`blocking`, `info_context`)
and it never imports a domain: under another ASGI server use `sift.app:create_app`, whose
import installs the domains.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

import strawberry
from fastapi import FastAPI, Request
from fastapi.responses import Response
from graphql import ExecutionResult, GraphQLError, StringValueNode, visit
from graphql.language import Visitor
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    SchemaExtension,
)
from strawberry.fastapi import BaseContext
from strawberry.scalars import JSON
from strawberry.tools import merge_types

from sift import contract, db, runtime, security, web, workflows
from sift.auth import NotAuthorized, Principal, principal_of
from sift.config import Settings, get_settings
from sift.contract import Web
from sift.errors import NotFound, SiftError, Unavailable
from sift.web.errors import error_response
from sift.web.graphiql import SelfHostedGraphiQL
from sift.web.graphql_cost import QueryCostLimiter
from sift.web.middleware import BODY_LIMITS, RequestGuard

P = ParamSpec("P")
R = TypeVar("R")

MAX_TOKENS = 5_000
MAX_ALIASES = 30
"""Bounds on one GraphQL document's text. Sift's own queries use a few dozen tokens and no
aliases; the bounds stop a single request (100,000 aliases of a database field) from
holding a worker for seconds. Fields, depth and fragments are bounded once expanded, by
`QueryCostLimiter`."""


class Context(BaseContext):
    def __init__(self, settings: Settings, principal: Principal) -> None:
        super().__init__()
        self.settings = settings
        self.principal = principal


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
    status: str = strawberry.field(
        description="The run's state (ENQUEUED, PENDING, SUCCESS, ERROR, CANCELLED …); ERROR "
        "also when the run ended normally but its result says it failed (a crawl that "
        "fetched nothing), as the runs page shows it."
    )
    outcome: str = strawberry.field(
        description="One word, as the runs page's badge: queued, running, cancelled, failed "
        "or success."
    )
    progress: str | None
    created_at: datetime | None
    duration_s: float | None
    output: JSON | None
    error: str | None
    subject: str | None = strawberry.field(
        description="What the run worked on, as the runs page names it (an organization)."
    )
    started_by: str | None = strawberry.field(description="Who asked for it, when a person did.")
    housekeeping: bool = strawberry.field(
        description="A schedule's tick or a run one started: nobody asked for it."
    )

    @classmethod
    def of(cls, run: workflows.RunInfo) -> WorkflowRun:
        output = run.output if isinstance(run.output, dict | list | str | int | float) else None
        failed = run.finished and run.status == "SUCCESS" and run.failure is not None
        return cls(
            id=run.id,
            name=run.name,
            status="ERROR" if failed else run.status,
            outcome=run.outcome,
            progress=run.progress,
            created_at=run.created_at,
            duration_s=run.duration_s,
            output=output,
            error=run.failure if run.finished else run.error,
            subject=run.subject.label if run.subject else None,
            started_by=run.started_by,
            housekeeping=run.housekeeping,
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


class RefuseNul(SchemaExtension):
    """A NUL character in an argument (a literal `"a\\u0000b"` or a variable) is answered
    with one clear error before any resolver runs: PostgreSQL stores no NUL in text, so
    letting it through could only end as a database error."""

    def on_execute(self) -> Any:
        context = self.execution_context
        if _nul_in_document(context.graphql_document) or security.unstorable(context.variables):
            error = GraphQLError("an argument contains a NUL character or invalid text")
            context.result = ExecutionResult(data=None, errors=[error])
        yield


def _nul_in_document(document: Any) -> bool:
    found = False

    class Finder(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            nonlocal found
            found = found or "\x00" in node.value

    if document is not None:
        visit(document, Finder())
    return found


def masked(error: GraphQLError) -> bool:
    """Only errors a user can act on reach the client as they are; an unexpected exception
    (a database error would show its SQL) becomes "Unexpected error." after being logged."""
    original = error.original_error
    return original is not None and not isinstance(original, SiftError | GraphQLError)


class Schema(strawberry.Schema):
    """Errors a user can act on (bad input, not found, not allowed) are answers, not
    incidents: they go back to the caller without a traceback in the server log."""

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        unexpected = [e for e in errors if not isinstance(e.original_error, SiftError)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(parts: Sequence[Web]) -> strawberry.Schema:
    """One schema of the core's fields and every domain's `Query` and `Mutation` types,
    bounded and masked the same way for all of them."""
    queries = [CoreQuery, *(q for part in parts for q in part.queries)]
    mutations = [m for part in parts for m in part.mutations]
    query = merge_types("Query", tuple(queries))
    mutation = merge_types("Mutation", tuple(mutations)) if mutations else None
    extensions = [
        MaxTokensLimiter(max_token_count=MAX_TOKENS),
        MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        QueryCostLimiter,
        RefuseNul,
        MaskErrors(should_mask_error=masked),
    ]
    return Schema(query=query, mutation=mutation, extensions=extensions)


def _http_status(error: SiftError) -> int:
    if isinstance(error, NotAuthorized):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Unavailable):
        return 503
    return 400


def create_app(
    settings: Settings | None = None, *, manage_runtime: bool = True, host: str | None = None
) -> FastAPI:
    """The ASGI app. With `manage_runtime` the lifespan starts and stops the database and
    the workflow runtime; tests that already started them pass False.

    `host` is the interface the server binds (default `SIFT_HOST`): off loopback, weak
    secrets stop the app here, whatever ASGI server runs it."""
    settings = settings or get_settings()
    security.refuse_weak_secrets(settings, host or settings.host)

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

    app = FastAPI(title="Sift", lifespan=lifespan, max_body_size=BODY_LIMITS["default"])
    app.add_middleware(
        RequestGuard, weak_secrets=security.weak_secrets_line(settings, "a public address")
    )
    app.state.login_throttle = security.LoginThrottle()

    async def get_context(request: Request) -> Context:
        # The token check reads the revocation list: database work, off the event loop.
        return Context(settings, await asyncio.to_thread(principal_of, request, settings))

    parts = [domain.web() for domain in contract.installed() if domain.web is not None]
    graphql = SelfHostedGraphiQL(
        build_schema(parts), context_getter=get_context, max_body_size=BODY_LIMITS["graphql"]
    )
    app.include_router(graphql, prefix="/graphql")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        with db.session_scope() as session:
            session.execute(db.sa.text("SELECT 1"))
        return {"status": "ok"}

    @app.exception_handler(SiftError)
    async def _user_error(request: Request, error: SiftError) -> Response:
        """An error the user can act on that a route did not answer itself (a bad id in a
        URL, an unknown filter): one line on the styled error page or in JSON, never a 500."""
        return error_response(request, _http_status(error), str(error))

    web.mount(app)
    for part in parts:
        for router in part.routers:
            app.include_router(router)
    return app
