"""A post's weekly schedule read safely, and an organization's schedule as an iCalendar feed.

Schedule entries come from extraction or an import (`days` as English weekday names,
`start`/`end` as `HH:MM`), so anything of another shape is skipped rather than trusted:
a malformed entry must not break a public page or a calendar subscription.

In the feed each entry with days and a start time is one weekly recurring event. Its first
occurrence is the first matching day on or after the post was created, so the feed says the
same thing on every request and a calendar app never sees the series move; its UID is the
HSDS export's id of that schedule, so the two name the same thing alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from sift.directory.hsds.mapping import child_id
from sift.directory.models import Organization, Post

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DEFAULT_LENGTH = timedelta(hours=1)
"""How long an event without an end time lasts in the feed."""
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class WeeklyEntry:
    days: list[int]
    """Weekday numbers, Monday = 0."""
    start: time | None
    end: time | None
    note: str | None

    @property
    def day_names(self) -> list[str]:
        return [WEEKDAYS[d] for d in self.days]

    def text(self) -> str:
        """`Monday, Thursday 10:00-14:00 (bring ID)`, as a page shows it."""
        span = "-".join(t.strftime("%H:%M") for t in (self.start, self.end) if t)
        parts = [", ".join(self.day_names), span, f"({self.note})" if self.note else ""]
        return " ".join(p for p in parts if p)


def weekly_entries(schedule: Any) -> list[WeeklyEntry]:
    """The usable entries of a post's schedule: days and times it can vouch for."""
    if not isinstance(schedule, list):
        return []
    entries = []
    for raw in schedule:
        if not isinstance(raw, dict):
            continue
        days = sorted({d for d in map(weekday_number, raw.get("days") or []) if d is not None})
        note = raw.get("note") if isinstance(raw.get("note"), str) else None
        entry = WeeklyEntry(days, _clock(raw.get("start")), _clock(raw.get("end")), note)
        if entry.days or entry.note:
            entries.append(entry)
    return entries


def schedule_text(schedule: Any) -> str:
    """A schedule as an admin edits it: one entry a line, as `WeeklyEntry.text` writes it."""
    return "\n".join(entry.text() for entry in weekly_entries(schedule))


_NOTE = re.compile(r"\(([^()]*)\)\s*$")
_SPAN = re.compile(r"(\d{1,2}:\d{2})(?:\s*(?:-|\u2013|to)\s*(\d{1,2}:\d{2}))?")
_DAY_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\s)\s*")


def parse_schedule_text(text: str) -> list[dict[str, Any]]:
    """The edit form's schedule lines (`Monday, Thursday 10:00-14:00 (bring ID)`, also
    `Mon-Fri 9:00`) as stored schedule entries. `ValueError` names the line and what is
    wrong with it, so a typo is refused rather than silently dropped."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                entries.append(_schedule_line(line.strip()))
            except ValueError as error:
                raise ValueError(
                    f"schedule line {number} ({line.strip()[:60]!r}): {error}"
                ) from None
    return entries


def _schedule_line(line: str) -> dict[str, Any]:
    note_match = _NOTE.search(line)
    note = note_match.group(1).strip() if note_match else None
    rest = line[: note_match.start()] if note_match else line
    spans = list(_SPAN.finditer(rest))
    if len(spans) > 1:
        raise ValueError("one time span per line; put another on its own line")
    start = end = None
    if spans:
        start, end = (_checked_clock(t) for t in spans[0].groups())
        rest = rest[: spans[0].start()] + " " + rest[spans[0].end() :]
        if start and end and end <= start:
            raise ValueError(f"it ends ({end}) before it starts ({start})")
    days = _days(rest)
    if not days and not note:
        raise ValueError("name the days (e.g. Monday, Thursday) or add a note in brackets")
    if not days and start:
        raise ValueError("a time needs the days it applies to")
    return {"days": [WEEKDAYS[d] for d in days], "start": start, "end": end, "note": note or None}


def _checked_clock(value: str | None) -> str | None:
    if value is None:
        return None
    clock = _clock(value)
    if clock is None:
        raise ValueError(f"{value} is not a time of day (use HH:MM, 00:00 to 23:59)")
    return clock.strftime("%H:%M")


def _days(text: str) -> list[int]:
    days: set[int] = set()
    for word in filter(None, _DAY_SPLIT.split(text.strip())):
        first, dash, last = word.partition("-")
        low, high = _weekday(first), _weekday(last if dash else first)
        if low is None or high is None:
            raise ValueError(f"{word!r} is not a weekday (use Monday … Sunday or Mon … Sun)")
        days.update(range(low, high + 1) if low <= high else [*range(low, 7), *range(high + 1)])
    return sorted(days)


def _weekday(word: str) -> int | None:
    """Monday = 0 for `Monday`, `Mon` or `Mondays`; None for anything shorter or else."""
    if len(word) < 3:
        return None
    found = weekday_number(word)
    return found if found is not None else weekday_number(word.removesuffix("s"))


def organization_calendar(
    organization: Organization,
    posts: Sequence[Post],
    *,
    zone: ZoneInfo,
    post_url: Any,
) -> bytes:
    """The feed of every scheduled post of the organization; `post_url(post)` links each."""
    calendar = Calendar()
    calendar.add("prodid", "-//Sift//public directory//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", organization.name)
    for post in posts:
        for index, entry in enumerate(weekly_entries(post.schedule)):
            if entry.days and entry.start:
                calendar.add_component(_event(post, index, entry, zone, post_url(post)))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(post: Post, index: int, entry: WeeklyEntry, zone: ZoneInfo, url: str | None) -> Event:
    assert entry.start is not None
    first = _first_day(post.created_at.astimezone(zone).date(), entry.days)
    starts = datetime.combine(first, entry.start, tzinfo=zone)
    ends = datetime.combine(first, entry.end, tzinfo=zone) if entry.end else None
    event = Event()
    event.add("uid", f"{child_id(post.id, f'schedule:{index}')}@sift")
    event.add("summary", post.title)
    event.add("dtstamp", post.updated_at)
    event.add("dtstart", starts)
    event.add("dtend", ends if ends and ends > starts else starts + DEFAULT_LENGTH)
    event.add("rrule", {"freq": "weekly", "byday": [RRULE_DAYS[d] for d in entry.days]})
    if post.location:
        event.add("location", post.location)
    description = "\n\n".join(t for t in (post.summary or post.description, entry.note) if t)
    if description:
        event.add("description", description)
    if url:  # without SIFT_PUBLIC_URL there is no absolute link to give
        event.add("url", url)
    return event


def _first_day(anchor: date, days: Iterable[int]) -> date:
    return min(anchor + timedelta(days=(d - anchor.weekday()) % 7) for d in days)


def weekday_number(value: Any) -> int | None:
    """Monday = 0 for `Monday`, `mon` or the iCalendar `MO`; None for anything else."""
    text = str(value).strip().lower()
    if len(text) < 2:
        return None
    return next((i for i, name in enumerate(WEEKDAYS) if name.lower().startswith(text)), None)


def _clock(value: Any) -> time | None:
    match = _CLOCK.match(str(value or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None
