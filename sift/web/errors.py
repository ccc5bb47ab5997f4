"""One styled error page for every refusal or failure on a UI route; JSON elsewhere.

A person in a browser who follows a stale link should land on a Sift page that says what
went wrong and where to go, not on `{"detail": …}`. Machines (GraphQL, the HSDS API,
webhooks, health checks) keep the JSON shape they parse.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

JSON_PREFIXES = ("/graphql", "/hsds", "/webhooks", "/healthz", "/static")
"""Routes whose callers are programs: their errors stay JSON whatever they accept."""

HEADLINES = {
    400: "That request could not be understood",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "That action is not available here",
    413: "That is too large",
    422: "Some input was missing or invalid",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "A service Sift needs is unavailable",
}


def wants_page(request: Request) -> bool:
    """A browser navigation or an htmx swap on a UI route (programs get JSON)."""
    if request.url.path.startswith(JSON_PREFIXES):
        return False
    return bool(request.headers.get("hx-request")) or "text/html" in request.headers.get(
        "accept", ""
    )


def headline(status: int) -> str:
    if status in HEADLINES:
        return HEADLINES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_response(request: Request, status: int, message: str) -> Response:
    """The styled page (or JSON `{"detail": message}`) for one error."""
    if not wants_page(request):
        return JSONResponse({"detail": message}, status_code=status)
    from sift.web import render

    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        headline=headline(status),
        message=message,
    )


def install(app: FastAPI) -> None:
    """Route-level HTTP errors, invalid input and unexpected exceptions all answer with
    `error_response`; an unexpected exception is still re-raised to the server log by
    Starlette after its page is sent."""

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = error.detail if isinstance(error.detail, str) else headline(error.status_code)
        response = error_response(request, error.status_code, message)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        if not wants_page(request):
            return JSONResponse({"detail": error.errors()}, status_code=422)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in error.errors())
        return error_response(request, 422, f"Check these fields: {fields}.")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        return error_response(
            request, 500, "The error was logged. Try again, or go back to the previous page."
        )
