"""A tiny website for crawler tests, served from a dict on 127.0.0.1.

Routes map a path (with its query string, if any) to what the server answers; tests edit
`site.routes` between crawls to change a page. Every request is recorded, so a test can
assert what the crawler did *not* fetch as well as what it did.

    with SiteServer() as site:
        site.page("/", "Home", "<a href='/about'>About</a>")
        site.redirect("/old", "/about")
        result = asyncio.run(crawl_site(site.base_url, allow_hosts=["127.0.0.1"]))
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Route:
    """One answer: status, body, content type; `chunked` sends it with no Content-Length,
    `delay_s` holds the answer back (for timeouts)."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False
    delay_s: float = 0.0


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    user_agent: str


def html_page(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><main>{body}</main></body></html>"
    ).encode()


class _QuietServer(ThreadingHTTPServer):
    """Clients hanging up mid-answer (as a crawler skipping a big page does) is not news."""

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], address: Any
    ) -> None:
        pass


class SiteServer:
    """A threaded HTTP/1.1 server on a free port whose pages a test controls."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- content --

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def page(self, path: str, title: str, body: str) -> None:
        self.routes[path] = Route(body=html_page(title, body))

    def file(self, path: str, body: bytes, content_type: str) -> None:
        self.routes[path] = Route(body=body, content_type=content_type)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = Route(status=status, headers={"Location": location})

    def paths_requested(self, method: str = "GET") -> list[str]:
        with self._lock:
            return [r.path for r in self.requests if r.method == method]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- serving --

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms stalls between header and body writes

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, send_body: bool) -> None:
                with site._lock:
                    site.requests.append(
                        SeenRequest(self.command, self.path, self.headers.get("User-Agent", ""))
                    )
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(body=b"not found", status=404, content_type="text/plain")
                if route.delay_s:
                    time.sleep(route.delay_s)
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    if send_body:
                        self._send_chunked(route.body)
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if send_body:
                    # the crawler may hang up early, as it should for large bodies
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(route.body)

            def _send_chunked(self, body: bytes) -> None:
                try:
                    for start in range(0, len(body), 16_384):
                        chunk = body[start : start + 16_384]
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def do_GET(self) -> None:
                self._answer(send_body=True)

            def do_HEAD(self) -> None:
                self._answer(send_body=False)

        return Handler

    def start(self) -> SiteServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def site_server() -> Iterator[SiteServer]:
    with SiteServer() as site:
        yield site
