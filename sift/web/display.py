"""How values read on a page: times with their zone, Markdown rendered (never raw HTML),
keys as words, and field-by-field diffs with the changed words highlighted.

Registered as Jinja filters by `install`, so every template formats the same way.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
"""Raw HTML in a page's Markdown is shown as text, and images (which would load from other
hosts) are left out: what an admin reviews came from the open web."""

_WORDS = re.compile(r"\s+|[^\s]+")


def when(value: datetime | None, empty: str = "never") -> str:
    """A time in UTC with its zone spelled out, since admins sit in many zones."""
    if value is None:
        return empty
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def markdown(text: str | None) -> Markup:
    return Markup(_MARKDOWN.render(text or ""))  # html is off: the input is escaped


def humanize(key: str) -> str:
    """`intake_form` → "Intake form"."""
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class FieldDiff:
    """One field of a before/after pair; `before`/`after` are HTML with changes marked."""

    label: str
    before: Markup
    after: Markup
    changed: bool


def word_diff(before: str, after: str) -> tuple[Markup, Markup]:
    """Both texts escaped, with removed words in `<del>` and added words in `<ins>`."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = escape("".join(old[a1:a2])), escape("".join(new[b1:b2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(Markup("<del>{}</del>").format(removed))
        if added:
            right.append(Markup("<ins>{}</ins>").format(added))
    return Markup("").join(left), Markup("").join(right)


def field_diffs(before: dict[str, str], after: dict[str, str]) -> list[FieldDiff]:
    """Every field present on either side, in order, changed ones marked."""
    labels = list(before) + [k for k in after if k not in before]
    rows = []
    for label in labels:
        old, new = before.get(label, ""), after.get(label, "")
        marked_old, marked_new = word_diff(old, new)
        rows.append(FieldDiff(label, marked_old, marked_new, old != new))
    return rows


def counted(count: int, noun: str) -> str:
    """A count with its noun in the right number ("1 channel", "2 channels"), for the
    regular nouns pages count (fans, channels, messages)."""
    return f"{count} {noun if count == 1 else noun + 's'}"


def install(env: Environment) -> None:
    env.filters["counted"] = counted
    env.filters["when"] = when
    env.filters["markdown"] = markdown
    env.filters["humanize"] = humanize
