"""The demo organisation's website, served on 127.0.0.1 so the real crawler can fetch it.

`sift demo` and the tests need a website to crawl that works offline, never changes and
exercises the same code path as a real site: HTTP, robots.txt, sitemap.xml, links between
pages. The pages ship inside the package (`demo_data/site/`) and are read through
`importlib.resources`, so the demo works from a wheel as well as from a checkout.

URLs have no `.html` suffix, as on most real sites: `/` is `index.html`, `/programs` (or
`/programs/`) is `programs.html` or else `programs/index.html`, and a path with a suffix
(`/robots.txt`, `/sitemap.xml`, `/about.html`) is that file. The sitemap and robots.txt are
written with a `{BASE}` placeholder because the port is only known once the server is up;
it is replaced with the server's real origin when they are served.

    with DemoSite() as site:
        result = asyncio.run(crawl_site(site.base_url, allow_hosts=("127.0.0.1",)))
"""

from __future__ import annotations

import errno
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from sift.errors import SiftError

HOST = "127.0.0.1"
PLACEHOLDER = b"{BASE}"

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
# Only these carry the placeholder; HTML links are root-relative and need no rewriting.
_TEMPLATED = frozenset({".xml", ".txt"})


def site_root() -> Traversable:
    """The packaged folder of the demo website."""
    return files("sift.directory").joinpath("demo_data").joinpath("site")


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def resolve(root: Traversable, url_path: str) -> Traversable | None:
    """The file a URL path names, or None (also for any attempt to climb out of the site)."""
    segments = [s for s in unquote(urlsplit(url_path).path).split("/") if s]
    if any(s in (".", "..") or "\\" in s or s.startswith(".") for s in segments):
        return None
    if not segments:
        candidates = [["index.html"]]
    elif _suffix(segments[-1]):
        candidates = [segments]
    else:
        *parents, last = segments
        candidates = [[*parents, f"{last}.html"], [*segments, "index.html"]]
    for parts in candidates:
        target = root
        for part in parts:  # one step at a time: 3.11's Traversable takes one child per call
            target = target.joinpath(part)
        if target.is_file():
            return target
    return None


class _Server(ThreadingHTTPServer):
    """Quiet, and never shares its port: a second server on it must fail, not split traffic."""

    daemon_threads = True
    allow_reuse_port = False

    def __init__(self, port: int, root: Traversable) -> None:
        self.root = root
        self.base_url = ""
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A crawler hanging up mid-answer (a page it decided to skip) is not worth a traceback.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "SiftDemoSite/1.0"

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, *, with_body: bool) -> None:
        target = resolve(self.server.root, self.path)
        if target is None:
            status = HTTPStatus.NOT_FOUND
            body = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
            content_type = _CONTENT_TYPES[".html"]
        else:
            status = HTTPStatus.OK
            suffix = _suffix(target.name)
            body = target.read_bytes()
            if suffix in _TEMPLATED:
                body = body.replace(PLACEHOLDER, self.server.base_url.encode())
            content_type = _CONTENT_TYPES.get(suffix, "application/octet-stream")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # The demo prints its own progress; one line per request would drown it.
        pass


class DemoSite:
    """The demo website on `http://127.0.0.1:{port}`, served from a background thread.

    `port=0` picks a free port (what tests want); a fixed port makes the URL predictable
    for someone following the demo in a browser.
    """

    def __init__(self, port: int = 0) -> None:
        self.requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        """The port actually bound; only known once started."""
        if self._server is None:
            raise RuntimeError("the demo site is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The origin the site answers on, without a trailing slash."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> str:
        """Bind and serve in a daemon thread; returns the base URL. Calling it twice is harmless."""
        if self._server is not None:
            return self.base_url
        try:
            server = _Server(self.requested_port, site_root())
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise SiftError(
                    f"port {self.requested_port} on {HOST} is already in use, so the demo "
                    "website cannot start; stop whatever holds it or pick another port "
                    "(0 picks a free one)"
                ) from None
            raise SiftError(
                f"the demo website cannot listen on {HOST}:{self.requested_port}: {error}"
            ) from error
        server.base_url = f"http://{HOST}:{server.server_address[1]}"
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"sift-demo-site-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and free the port; safe to call when not running."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> DemoSite:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
