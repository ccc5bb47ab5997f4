"""The generated website `sift bench crawl` serves: N linked pages, robots.txt, a sitemap,
and a local HTTP server for them, so the crawl measures the crawler and not the network."""

from __future__ import annotations

import contextlib
import random
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_VOCABULARY = (
    "community garden volunteers weekend workshop neighbourhood library opening hours "
    "children families seniors free registration required parking available accessible "
    "entrance meeting room kitchen coffee local artists exhibition music evening market "
    "fresh produce bakery repair cafe bicycles sewing tools donations recycling compost "
    "youth club football training coach season schedule membership fees discount student "
    "course beginner advanced language conversation group translation help forms housing "
    "advice legal clinic appointment phone email office closed holiday program update news"
)
_WORDS = _VOCABULARY.split()
_SECTIONS = ("events", "services", "groups", "news", "places", "help")
_FANOUT = 5  # children per page in the link tree
_RELATED = 3  # extra cross links per page, so the graph is not only a tree


@dataclass(frozen=True)
class GeneratedSite:
    """Paths and bodies of a generated site; `page_paths` are the N HTML pages."""

    page_paths: list[str]
    files: dict[str, tuple[bytes, str]]

    @property
    def html_bytes(self) -> int:
        return sum(len(self.files[p][0]) for p in self.page_paths)


def _page_path(i: int) -> str:
    if i == 0:
        return "/"
    return f"/{_SECTIONS[i % len(_SECTIONS)]}/{i:05d}-{_WORDS[(i * 7) % len(_WORDS)]}.html"


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def _page_html(i: int, n: int, rng: random.Random) -> bytes:
    """A 3-8 KB page shaped like a small organisation's site: nav, article, links, footer.

    Links: home, parent and children in a tree of fan-out `_FANOUT` (so every page is
    reachable by following links alone), neighbours, a few pseudo-random related pages, plus
    the things real pages carry that a crawler must skip (mailto, tel, an off-site link, an
    anchor, a path robots.txt disallows).
    """
    title = f"{_WORDS[(i * 7) % len(_WORDS)].capitalize()} {_SECTIONS[i % len(_SECTIONS)]} #{i}"
    linked = {0, (i - 1) // _FANOUT if i else 0}
    linked.update(c for c in range(i * _FANOUT + 1, i * _FANOUT + _FANOUT + 1) if c < n)
    linked.update(j for j in (i - 1, i + 1) if 0 <= j < n)
    linked.update(rng.randrange(n) for _ in range(_RELATED))
    linked.discard(i)
    nav = "".join(
        f'<li><a href="{_page_path(k)}">{_SECTIONS[k % len(_SECTIONS)].title()}</a></li>'
        for k in range(1, min(n, 7))
    )
    links = "".join(
        f'<li><a href="{_page_path(j)}">{_WORDS[(j * 7) % len(_WORDS)]} (page {j})</a></li>'
        for j in sorted(linked)
    )
    target = rng.randint(3000, 7600)
    head = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta name='viewport' content='width=device-width'>"
        "<link rel='stylesheet' href='/static/site.css'></head><body>"
        f"<header><a href='/'>Riverside Community Network</a><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{title}</h1>"
    )
    tail = (
        f"</article><aside><h2>See also</h2><ul>{links}</ul></aside></main>"
        "<footer><p>Contact: <a href='mailto:hello@riverside.example'>hello@riverside.example"
        "</a> · <a href='tel:+15551234567'>+1 555 123 4567</a> · "
        "<a href='https://www.example.org/partner'>Partner site</a> · "
        "<a href='#top'>Back to top</a> · <a href='/admin/login'>Staff</a></p>"
        "<p>© Riverside Community Network. All rights reserved.</p></footer></body></html>"
    )
    body: list[str] = []
    size = len(head) + len(tail)
    while size < target:
        if body and rng.random() < 0.2:
            chunk = f"<h2>{_sentence(rng)[:-1]}</h2>"
        else:
            chunk = "<p>" + " ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) + "</p>"
        body.append(chunk)
        size += len(chunk)
    return (head + "".join(body) + tail).encode()


def generate_site(pages: int, base_url: str, *, seed: int = 7) -> GeneratedSite:
    """N linked HTML pages plus robots.txt and a sitemap listing every page.

    Deterministic for a seed, so two runs benchmark the same bytes.
    """
    rng = random.Random(seed)
    paths = [_page_path(i) for i in range(pages)]
    files: dict[str, tuple[bytes, str]] = {
        path: (_page_html(i, pages, rng), "text/html; charset=utf-8")
        for i, path in enumerate(paths)
    }
    files["/robots.txt"] = (
        f"User-agent: *\nDisallow: /admin/\nSitemap: {base_url}/sitemap.xml\n".encode(),
        "text/plain",
    )
    entries = "".join(f"<url><loc>{base_url}{p}</loc></url>" for p in paths)
    files["/sitemap.xml"] = (
        (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        ).encode(),
        "application/xml",
    )
    return GeneratedSite(page_paths=paths, files=files)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up mid-answer is normal for a crawler; not worth a traceback."""


class LocalSite:
    """A threaded HTTP/1.1 server on 127.0.0.1 (free port) serving a `GeneratedSite`.

    Keep-alive and no Nagle delay, so the server is not what limits either measurement.
    """

    def __init__(self, pages: int) -> None:
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.site = generate_site(pages, self.base_url)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, send_body: bool) -> None:
                found = server.site.files.get(self.path.split("?", 1)[0].split("#", 1)[0])
                body, content_type = found or (b"not found", "text/plain")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(send_body=True)

            def do_HEAD(self) -> None:
                self._answer(send_body=False)

        return Handler

    def __enter__(self) -> LocalSite:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
