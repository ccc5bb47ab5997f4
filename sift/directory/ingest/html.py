"""What a crawl reads: URLs reduced to one key per site and per page, fetched HTML turned
into a title, links and markdown, and sitemaps into URLs.

No network here: the crawler in `website.py` decides what to fetch and hands these what
came back, so each can be tested on a string.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

import trafilatura

from sift.directory.ingest.pages import RawPage, normalise_domain

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([a-zA-Z0-9_-]+)""", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n+")


# --- URLs --------------------------------------------------------------------------------


def site_key(url: str) -> str:
    """host (without `www.`) and non-default port: what makes two URLs the same site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        return host
    if port is None or (parts.scheme, port) in (("http", 80), ("https", 443)):
        return host
    return f"{host}:{port}"


def normalise_url(url: str) -> str:
    """Fragment dropped, scheme and host lower-cased, default port and trailing slash removed.

    The root keeps its single `/`. The query string is kept as written: reordering it
    could merge pages a site serves differently.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def visit_key(url: str) -> str:
    """One key per page whatever the scheme or `www.`: what 'visited once' is checked by."""
    parts = urlsplit(normalise_url(url))
    return f"{site_key(url)}{parts.path}{'?' + parts.query if parts.query else ''}"


def resolve_start(target: str) -> tuple[str, str]:
    """(root URL, domain) for a bare domain or an explicit root URL."""
    text = target.strip()
    domain = normalise_domain(text)
    if "://" in text:
        parts = urlsplit(text)
        root = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/", "", ""))
    else:
        host = text.split("/")[0].lower()
        root = f"https://{host}/"
    return normalise_url(root), domain


# --- HTML --------------------------------------------------------------------------------


class PageParser(HTMLParser):
    """Links, title, `<base href>` and visible text in one pass of the stdlib parser."""

    _INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None
        self.title_parts: list[str] = []
        self.text_parts: list[str] = []
        self._in_title = False
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("a", "area") and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        elif tag == "title":
            self._in_title = True
        if tag in self._INVISIBLE:
            self._hidden_depth += 1
        elif tag in ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section"):
            self.text_parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._INVISIBLE and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._hidden_depth:
            self.text_parts.append(data)

    @property
    def title(self) -> str | None:
        title = " ".join("".join(self.title_parts).split())
        return title or None

    @property
    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.text_parts).splitlines())
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def decode_body(body: bytes, charset: str | None) -> str:
    candidates = [charset] if charset else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for encoding in [*candidates, "utf-8"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def _markdown(html: str, url: str, fallback: str) -> str:
    try:
        extracted = trafilatura.extract(
            html,
            url=url,
            output_format="markdown",
            include_links=False,
            include_comments=False,
            include_tables=True,
            include_images=False,
            favor_recall=True,
        )
    except Exception as error:  # trafilatura raises a zoo of lxml errors on broken markup
        log.debug("trafilatura failed on %s: %s", url, error)
        extracted = None
    return (extracted or "").strip() or fallback


def build_page(html: str, url: str, site_url: str) -> tuple[RawPage, PageParser]:
    parser = PageParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception as error:  # the stdlib parser is lenient; be safe on pathological input
        log.debug("html parser failed on %s: %s", url, error)
    content = _markdown(html, url, parser.text)
    page = RawPage(
        url=url,
        site_url=site_url,
        title=parser.title,
        content=content,
        metadata={"content_type": "text/markdown", "source": "website"},
    )
    return page, parser


def sitemap_locations(body: bytes) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index; junk yields nothing."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return [], []
    tag = root.tag.rsplit("}", 1)[-1]
    locs = [
        (el.text or "").strip()
        for el in root.iter()
        if el.tag.rsplit("}", 1)[-1] == "loc" and (el.text or "").strip()
    ]
    return ([], locs) if tag == "sitemapindex" else (locs, [])
