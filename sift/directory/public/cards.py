"""How the public pages say a service's facts: its schedule in words with whether it is
open now, 12-hour times, a directions link, readable link text, and its description
rendered from Markdown. Registered as Jinja filters by `install`, so the search results,
the organization page and the service page say it alike.

Directions are a plain link out to OpenStreetMap's search for the address: the page itself
loads nothing from another host (no embedded map tiles, no script).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, urlsplit

from jinja2 import Environment
from markupsafe import Markup

from sift.directory.public.schema_org import web_link
from sift.directory.schedules import clock_text, open_status, rules
from sift.web.display import markdown

MAP_SEARCH = "https://www.openstreetmap.org/search?query="
_MARKS = re.compile(r"[*_`#>\[\]()]+")


def schedule_lines(schedule: Any) -> list[str]:
    return [rule.text() for rule in rules(schedule)]


def status(schedule: Any, now: datetime | None) -> str | None:
    """ "Open now · closes at 2 pm" and the like; None without a time to go by."""
    return open_status(schedule, now) if now is not None else None


def directions(location: Any) -> str | None:
    """A link to the place on a map, found by its address text."""
    text = " ".join(str(location or "").split())
    return MAP_SEARCH + quote_plus(text) if text else None


def link_label(url: Any) -> str:
    """`https://www.harbor.example/food/` reads as `harbor.example/food`."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    if not parts.hostname:
        return text
    host = parts.hostname.removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path if len(path) <= 40 else host + path[:39] + "…"


def _plain(text: str) -> str:
    return " ".join(_MARKS.sub(" ", text).split()).rstrip(".").lower()


def repeats_summary(post: Any) -> bool:
    """The description already says the summary (extraction takes the summary from the
    description's first sentence): the page then shows the description alone."""
    summary, description = _plain(post.summary or ""), _plain(post.description or "")
    return bool(summary) and summary in description


def description(post: Any) -> Markup:
    """The description rendered from Markdown; a `#` heading becomes an `<h2>`, as the
    page's one `<h1>` is the service's title."""
    html = str(markdown(post.description or ""))
    return Markup(html.replace("<h1>", "<h2>").replace("</h1>", "</h2>"))  # input was escaped


def install(env: Environment) -> None:
    env.filters["schedule_lines"] = schedule_lines
    env.filters["clock"] = lambda moment: clock_text(moment.time())
    env.filters["open_status"] = status
    env.filters["directions"] = directions
    env.filters["web_link"] = web_link
    env.filters["link_label"] = link_label
    env.filters["repeats_summary"] = repeats_summary
    env.filters["service_description"] = description
