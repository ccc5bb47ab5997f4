"""The data that flows between the extraction passes, all JSON-serialisable.

The extraction workflow checkpoints every pass as a durable step, so what one pass hands to
the next must survive `model_dump(mode="json")` / `model_validate` unchanged: plain pydantic
models, no live objects. Pages get short stable ids (`p3`, parts of a split page `p3#2`)
because they are what a model cites, and a short id is cheap to send and easy to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field

from sift.directory.ingest.pages import RawPage
from sift.errors import SiftError

PART_SEPARATOR = "#"


class ExtractionError(SiftError):
    """Extraction could not produce posts; the message says which pass and why."""


class ExtractionOutputInvalid(ExtractionError):
    """The model kept answering with something unusable (unknown ids, bad JSON); not applied."""


class ExtractionNotConfigured(ExtractionError):
    """The configured extraction engine cannot run with the current settings."""


class PageInput(BaseModel):
    """One pooled page (a web page's main content or one social post) as extraction sees it."""

    id: str
    url: str
    title: str | None = None
    content: str
    content_hash: str
    source_type: str = "website"
    metadata: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_raw(cls, page: RawPage, page_id: str) -> PageInput:
        """A fetched page under its extraction id; social pages carry their platform."""
        return cls(
            id=page_id,
            url=page.url,
            title=page.title,
            content=page.content,
            content_hash=page.content_hash,
            source_type=str(page.metadata.get("platform") or "website"),
            metadata=dict(page.metadata),
        )

    @property
    def page_id(self) -> str:
        """The id of the whole page this is (a part of): `p3#2` → `p3`."""
        return base_page_id(self.id)


def base_page_id(page_id: str) -> str:
    """Parts of a split page cite the page they came from: `p3#2` → `p3`."""
    return page_id.split(PART_SEPARATOR, 1)[0]


class Narrative(BaseModel):
    """A self-contained description of one service, citing the pages it was read from.

    `source_types` is filled by the engine from the cited pages, never by a model, so the
    dedupe pass can prefer website wording without re-reading pages.
    """

    id: str
    title: str
    audience: str | None = None
    text: str
    page_ids: list[str]
    source_types: list[str] = Field(default_factory=list)
    named: bool = True
    """Named by its page (a heading, a bold name, a name before its day) rather than by the
    opening words of a sentence: two differently named items of one page are two things,
    while two paragraphs that tell of one thing may still be merged by pass 2."""

    def handed_on(self, url_of: Mapping[str, str]) -> dict[str, Any]:
        """What pass 1 hands on and the memo keeps: pages cited by url, which outlives this
        run's page ids (`engine.unique_narratives` renumbers them)."""
        return {
            "title": self.title,
            "audience": self.audience,
            "text": self.text,
            "page_urls": [url_of[i] for i in self.page_ids if i in url_of],
            "named": self.named,
        }


class ScheduleEntry(BaseModel):
    """When a service runs: days (English names, `Monday`…) and 24-hour `HH:MM` times.

    The optional keys are those of the directory's schedule model (`directory.schedules`):
    `weeks_of_month` (1-5, -1 = last) makes "the first Saturday" a monthly rule rather
    than every Saturday, `by_appointment` says a visit must be booked, and `valid_from` /
    `valid_to` bound it to a season. They are left
    out of a dump when unset, so an entry without them reads as it always did."""

    days: list[str] = Field(default_factory=list)
    start: str | None = None
    end: str | None = None
    note: str | None = None
    weeks_of_month: list[int] | None = None
    by_appointment: bool | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    """The season (ISO dates) the entry runs in, when its text states one."""


class Contact(BaseModel):
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    intake_form: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.phone or self.email or self.website or self.intake_form)


class ExtractedPost(BaseModel):
    """One canonical post: what the sync step compares with the directory's existing posts.

    `key` is the post's identity (organisation x service x audience) in normalised form,
    `"service|audience"`, so a re-extraction of the same service lines up with its post.
    Tags are `kind:value` strings drawn from the allowed `TagSet` only.
    """

    key: str
    title: str
    summary: str
    description: str
    audience: str | None = None
    contact: Contact = Field(default_factory=Contact)
    location: str | None = None
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    source_urls: list[str] = Field(default_factory=list)
    source_types: list[str] = Field(default_factory=list)


_WORD = re.compile(r"[a-z0-9]+")
# Words that dress a service's name up without naming it: "Free Tax Preparation" and
# "Tax Preparation" are one service, so they must share a key.
_KEY_FILLER = frozenset(
    {"a", "an", "the", "our", "your", "my", "with", "us", "of", "for", "and", "at", "in", "on"}
    | {"to", "by", "free", "weekly", "daily", "monthly", "new"}
)


def post_key(title: str, audience: str | None) -> str:
    """The normalised identity `"service|audience"` (`"food-pantry|all"`)."""
    words = [w for w in _WORD.findall(title.lower()) if w not in _KEY_FILLER]
    service = "-".join(words) or "untitled"
    return f"{service}|{(audience or 'all').strip().lower()}"


class TagSet(BaseModel):
    """The tag values extraction may assign, per kind (`audience`, `category`, …).

    Tags live in the database and change without a deploy; extraction only ever picks from
    this set, so a model cannot invent a category the directory does not have.
    """

    kinds: dict[str, list[str]] = Field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> TagSet:
        kinds: dict[str, list[str]] = {}
        for kind, value in pairs:
            values = kinds.setdefault(kind, [])
            if value not in values:
                values.append(value)
        return cls(kinds=kinds)

    def values(self, kind: str) -> list[str]:
        return list(self.kinds.get(kind, []))

    def allows(self, tag: str) -> bool:
        kind, _, value = tag.partition(":")
        return value in self.kinds.get(kind, [])

    def keep_allowed(self, tags: Iterable[str]) -> list[str]:
        """Allowed `kind:value` tags in first-seen order, duplicates and others dropped.

        A bare value (`food`) counts when exactly one kind allows it: models often drop
        the kind, and the value alone is then unambiguous.
        """
        out: list[str] = []
        for tag in tags:
            clean = tag.strip().lower()
            if ":" not in clean:
                kinds = [kind for kind, values in self.kinds.items() if clean in values]
                clean = f"{kinds[0]}:{clean}" if len(kinds) == 1 else clean
            if self.allows(clean) and clean not in out:
                out.append(clean)
        return out

    def instructions(self) -> str:
        """The allowed tags as prompt text."""
        if not self.kinds:
            return "No tags are defined: return an empty tag list."
        lines = ["Use only these tags, written as kind:value (omit any that do not apply):"]
        for kind, values in self.kinds.items():
            lines.append(f"- {kind}: {', '.join(values)}")
        return "\n".join(lines)
