"""The server-rendered web UI: Jinja2 pages with htmx, served from the package (no CDN).

This module owns the shell (layout, login, the workflow-runs page) and the helpers domain
views use to render pages; each domain adds its own pages from its `views.py`.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from sift.auth import (
    COOKIE_NAME,
    Principal,
    Role,
    check_admin_password,
    issue_token,
    principal_from_token,
    principal_of,
    revoke,
)
from sift.config import get_settings
from sift.security import LoginThrottle
from sift.web import display, proxy
from sift.web.middleware import BODY_LIMITS

_ROOT = resources.files("sift.web")
templates = Jinja2Templates(directory=str(_ROOT / "templates"))
display.install(templates.env)
templates.env.globals["pending_proposals"] = lambda: None  # the directory's views count them
router = APIRouter(include_in_schema=False)
ADMIN_HOME = "/admin"
"""Where an admin lands after signing in (`/` is the public directory's)."""


class LoginRequired(Exception):
    """Raised by page handlers when nobody is signed in; answered with a redirect to the
    login form, which sends the visitor back to the page asked for."""


class AdminsOnly(HTTPException):
    """A signed-in creator opened an admin page: a login form would only sign them out of
    their inbox, so the page says what they may open instead."""

    def __init__(self) -> None:
        super().__init__(
            403, "This page is for directory admins. You are signed in as a creator: your "
            "inbox is where your fans' messages are."
        )


def admin_page(request: Request) -> Principal:
    """FastAPI dependency for admin pages: nobody signed in goes to the login form, a
    creator is told the page is not theirs."""
    principal = viewer_of(request)
    if principal.creator_id is not None and not principal.is_admin:
        raise AdminsOnly()
    if not principal.is_admin:
        raise LoginRequired()
    return principal


def viewer_of(request: Request) -> Principal:
    """Who is looking, read from the token once per request and kept on it, so the layout
    can show a creator only the creator's navigation."""
    if getattr(request.state, "principal", None) is None:
        request.state.principal = principal_of(request, get_settings())
    return request.state.principal  # type: ignore[no-any-return]


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.setdefault("viewer", getattr(request.state, "principal", None))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


MAX_NEXT = 2000
"""The longest return path kept: longer is no page Sift links to."""


def local_path(value: str | None) -> str | None:
    """`value` when it is a path on this site to return to after signing in, else None: a
    link anyone can craft must not send a fresh sign-in to another host (`//evil`,
    `/\\evil`) nor back to the login form."""
    text = (value or "").strip()
    if not text.startswith("/") or text.startswith("//") or len(text) > MAX_NEXT:
        return None
    if any(ord(c) < 32 or c == "\\" for c in text) or urlsplit(text).path in ("/login", "/logout"):
        return None
    return text


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    """The form alone: the banner shows only messages Sift itself wrote (a failed sign-in),
    never text from the address, which anyone can put in a link. The page asked for
    (`next`, a path on this site only) rides along in the forms."""
    return render(request, "login.html", next_path=local_path(request.query_params.get("next")))


@router.post("/login", max_body_size=BODY_LIMITS["login"])
def login(
    request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("")
) -> Response:
    """Failed attempts are counted per client address, in PostgreSQL for every process:
    past the limit even the right password waits, so guessing it costs minutes per handful
    of tries. The address is the connection's, or what a trusted proxy says it forwarded
    (`sift.web.proxy`): a forged `X-Forwarded-For` does not make a new client."""
    settings = get_settings()
    back = local_path(next)
    throttle: LoginThrottle = request.app.state.login_throttle
    wait, attempt = throttle.reserve(proxy.client_address(request.scope, settings))
    if attempt is None:
        error = f"Too many failed sign-ins; try again in {wait} s."
        response = render(
            request, "login.html", status_code=429, error=error, email=email, next_path=back
        )
        response.headers["Retry-After"] = str(wait)
        return response
    if not check_admin_password(settings, email, password):
        error = "Wrong email or password."
        return render(request, "login.html", error=error, email=email, next_path=back)
    throttle.release(attempt)
    token = issue_token(settings, role=Role.admin, subject=settings.admin_email)
    return signed_in(request, RedirectResponse(back or ADMIN_HOME, status_code=303), token)


@router.post("/login/token", max_body_size=BODY_LIMITS["login"])
def login_with_token(request: Request, token: str = Form(""), next: str = Form("")) -> Response:
    """Creators have no password in Sift: they sign in with the token `sift token creator
    ID` printed for them (an admin token works too). A creator goes back to the page asked
    for only when it is their inbox's; anything else would refuse them."""
    back = local_path(next)
    principal = principal_from_token(get_settings(), token.strip())
    if principal.creator_id is None and not principal.is_admin:
        error = "That token is not valid (or has expired)."
        return render(request, "login.html", error=error, next_path=back)
    if principal.creator_id and not principal.is_admin:
        back = back if back and back.startswith("/inbox") else "/inbox"
    response = RedirectResponse(back or ADMIN_HOME, status_code=303)
    return signed_in(request, response, token.strip())


def signed_in(request: Request, response: Response, token: str) -> Response:
    """The session cookie: script-proof, not sent on cross-site sub-requests, and `Secure`
    when the page was served over HTTPS. Behind a TLS-terminating proxy the scheme comes
    from `X-Forwarded-Proto`, believed only from `SIFT_TRUSTED_PROXIES` (`sift.web.proxy`)."""
    secure = proxy.scheme(request.scope, get_settings()) == "https"
    response.set_cookie(COOKIE_NAME, token, httponly=True, samesite="lax", secure=secure)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """Signs the token out everywhere (it is revoked server-side), not just in this
    browser: a copy of the cookie stops working too."""
    revoke(get_settings(), request.cookies.get(COOKIE_NAME))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME)
    return response


def login_url(back: str | None) -> str:
    return f"/login?{urlencode({'next': back})}" if back and back != ADMIN_HOME else "/login"


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """Browsers ask for this path whatever the page links; the answer is the SVG icon."""
    icon = (_ROOT / "static" / "favicon.svg").read_bytes()
    return Response(icon, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@router.get(ADMIN_HOME, response_class=HTMLResponse)
def admin_home(request: Request) -> Response:
    admin_page(request)
    return RedirectResponse("/orgs", status_code=303)


def mount(app: FastAPI) -> None:
    from sift.web import errors, quality, runs

    app.mount("/static", StaticFiles(directory=str(_ROOT / "static")), name="static")
    errors.install(app)
    app.include_router(runs.router)
    app.include_router(quality.router)

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, _: LoginRequired) -> Response:
        if request.headers.get("hx-request"):  # back to the page, not to its fragment
            page = urlsplit(request.headers.get("hx-current-url", ""))
            back = local_path(urlunsplit(("", "", page.path, page.query, "")))
            return Response(status_code=401, headers={"HX-Redirect": login_url(back)})
        asked = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        back = local_path(asked) if request.method == "GET" else None
        return RedirectResponse(login_url(back), status_code=303)

    app.include_router(router)  # `/` is the public directory's (sift.directory.public)
