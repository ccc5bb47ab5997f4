"""The server-rendered web UI: Jinja2 pages with htmx, served from the package (no CDN).

This module owns the shell (layout, login, the workflow-runs page) and the helpers domain
views use to render pages; each domain adds its own pages from its `views.py`.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from sift import workflows
from sift.auth import (
    COOKIE_NAME,
    Principal,
    Role,
    check_admin_password,
    issue_token,
    principal_from_token,
)
from sift.config import get_settings

_ROOT = resources.files("sift.web")
templates = Jinja2Templates(directory=str(_ROOT / "templates"))
router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    """Raised by page handlers when the visitor is not an admin; answered with a redirect."""


def admin_page(request: Request) -> Principal:
    """FastAPI dependency for admin pages: a non-admin is sent to the login form."""
    from sift.api import principal_of

    principal = principal_of(request, get_settings())
    if not principal.is_admin:
        raise LoginRequired()
    return principal


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str | None = None) -> HTMLResponse:
    return render(request, "login.html", error=error)


@router.post("/login")
def login(request: Request, email: str = Form(""), password: str = Form("")) -> Response:
    settings = get_settings()
    if not check_admin_password(settings, email, password):
        return render(request, "login.html", error="Wrong email or password.", email=email)
    token = issue_token(settings, role=Role.admin, subject=settings.admin_email)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE_NAME, token, httponly=True, samesite="lax")
    return response


@router.post("/login/token")
def login_with_token(request: Request, token: str = Form("")) -> Response:
    """Creators have no password in Sift: they sign in with the token `sift token creator
    ID` printed for them (an admin token works too)."""
    principal = principal_from_token(get_settings(), token.strip())
    if principal.creator_id is None and not principal.is_admin:
        return render(request, "login.html", error="That token is not valid (or has expired).")
    response = RedirectResponse("/inbox" if principal.creator_id else "/", status_code=303)
    response.set_cookie(COOKIE_NAME, token.strip(), httponly=True, samesite="lax")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME)
    return response


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request) -> HTMLResponse:
    admin_page(request)
    return render(request, "runs.html", runs=workflows.recent_runs(100))


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def run_progress(request: Request, run_id: str) -> HTMLResponse:
    """The live progress fragment htmx polls until the run finishes."""
    admin_page(request)
    try:
        run = workflows.run_info(run_id)
    except workflows.WorkflowRuntimeError as error:
        raise HTTPException(404, str(error)) from None
    response = render(request, "_run_progress.html", run=run)
    if run.finished:  # lets the page refresh what the run changed (e.g. the post list)
        response.headers["HX-Trigger"] = "refresh-posts"
    return response


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(_ROOT / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, _: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)

    app.include_router(router)
    if not any(getattr(r, "path", None) == "/" for r in app.routes):

        @app.get("/", include_in_schema=False)
        def home(request: Request) -> Response:
            admin_page(request)
            return RedirectResponse("/orgs", status_code=303)
