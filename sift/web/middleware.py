"""The guard in front of every route: refusals that need no database and no route.

Pure ASGI (no `BaseHTTPMiddleware`), so it neither buffers responses nor changes how a
route streams. It answers, with one line of JSON, requests that would otherwise reach a
route and fail deep inside it:

- a NUL character in the path, the query string or a form field (400): PostgreSQL stores no
  NUL in text, so such a value could only end as a database error;
- a cross-site unsafe request, which could ride on the UI's cookie (403): see `cross_site`.

Every response leaves with the browser-side defences (`SECURITY_HEADERS`: a content
security policy, nosniff, a same-origin referrer policy, no framing).

Body sizes are capped by FastAPI's own per-route `max_body_size` (413, by Content-Length
before anything is read, and while a streamed body is read); the caps are in `BODY_LIMITS`.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote_to_bytes

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sift.config import get_settings
from sift.web import proxy

KIB = 1024
MIB = 1024 * KIB
BODY_LIMITS = {
    "default": 256 * KIB,  # every UI form; a reply is a few KB
    "login": 16 * KIB,
    "graphql": 1 * MIB,
    "webhook": 1 * MIB,
}
"""The most bytes a request body may have, per route (a larger one is refused with 413)."""

WEBHOOK_PREFIX = "/webhooks/"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL_REFUSAL = "the request contains a NUL character, which Sift cannot store"


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""Every page's scripts are Sift's own files (no inline script, no other host); fans'
avatars may come from any https host; no page may be framed (clickjacking)."""
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def with_security_headers(send: Send) -> Send:
    """`send` that adds `SECURITY_HEADERS` to the response, unless the route set its own."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending


class RequestGuard:
    def __init__(self, app: ASGIApp, weak_secrets: str | None = None) -> None:
        self.app = app
        self.weak_secrets = weak_secrets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = with_security_headers(send)
        headers = Headers(scope=scope)
        if self.weak_secrets and reached_off_loopback(scope):
            await refuse(scope, receive, send, 503, self.weak_secrets)
            return
        if nul_in_address(scope) and not reads_hsds(scope):
            await refuse(scope, receive, send, 400, NUL_REFUSAL)
            return
        if cross_site(scope, headers):
            await refuse(scope, receive, send, 403, "cross-site request refused (Origin mismatch)")
            return
        if headers.get("content-type", "").startswith(FORM_TYPES):
            body = await read_body(receive)
            if nul_in_form(body, headers["content-type"]):
                await refuse(scope, receive, send, 400, NUL_REFUSAL)
                return
            receive = replay(body, receive)
        await self.app(scope, receive, send)


def reached_off_loopback(scope: Scope) -> bool:
    """The local address the connection came in on is an IP that is not loopback (test
    clients name no address and are local)."""
    server = scope.get("server")
    if not server:
        return False
    try:
        return not ipaddress.ip_address(server[0]).is_loopback
    except ValueError:
        return False


def nul_in_address(scope: Scope) -> bool:
    """The server has already percent-decoded the path; the query string is still raw."""
    query = unquote_to_bytes(scope.get("query_string", b"").replace(b"+", b" "))
    return "\x00" in scope["path"] or b"\x00" in query


def reads_hsds(scope: Scope) -> bool:
    """A read of the HSDS API, which takes any string a client sends (its specification
    allows every string) and cleans each parameter itself: a NUL there finds nothing."""
    return scope["method"] in ("GET", "HEAD") and scope["path"].startswith("/hsds/")


def nul_in_form(body: bytes, content_type: str) -> bool:
    if content_type.startswith("application/x-www-form-urlencoded"):
        body = unquote_to_bytes(body.replace(b"+", b" "))
    return b"\x00" in body


def cross_site(scope: Scope, headers: Headers) -> bool:
    """CSRF defence for the cookie-authenticated UI (login included): an unsafe request
    that names a page must name a page of this server.

    Browsers send `Origin` on every cross-site POST (and `Referer` otherwise unless told not
    to), and a page cannot forge either, so comparing its host[:port] with the addresses
    this server is reached at is enough: the `Host` header, `SIFT_PUBLIC_URL` (a proxy that
    rewrites `Host`, nginx's default, sends the upstream's address instead of the one the
    browser used) and a trusted proxy's `X-Forwarded-Host` (`sift.web.proxy`). The scheme
    is left out, so a TLS-terminating proxy changes nothing. A request without either
    header (curl, scripts) cannot come from a hostile page and passes. Bearer-token calls
    (a browser never adds that header on its own) and the HMAC-signed webhook are not
    cookie-authenticated and are exempt.
    """
    if scope["method"] not in UNSAFE_METHODS or scope["path"].startswith(WEBHOOK_PREFIX):
        return False
    if headers.get("authorization", "").lower().startswith("bearer "):
        return False
    claimed = headers.get("origin") or headers.get("referer")
    if claimed is None:
        return False
    return not proxy.same_origin(claimed, scope, get_settings())


async def read_body(receive: Receive) -> bytes:
    """The whole body, read through the app's size cap (FastAPI's body limit wraps this
    middleware, so an oversized form is refused with 413 before it is all read)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the already-read body to the app, then waits as before (so
    the app still learns of a client disconnect)."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


async def refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
