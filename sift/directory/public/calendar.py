"""Services' schedules as iCalendar feeds: one per service and one per organization.

Each schedule rule with days and a start time is one recurring event series, in the
directory's time zone (`SIFT_DIRECTORY_TIMEZONE`, with its `VTIMEZONE`): `FREQ=WEEKLY`, or
`FREQ=MONTHLY` with ordinal days (`BYDAY=1SA`, `2TU,4TU`); a season ends the series with
`UNTIL` (the end of its last day, in UTC as RFC 5545 requires beside a zoned start), and
closures are `EXDATE`s. The first occurrence is the first matching day on or after the
season's start, or after the post was created, so the feed says the same thing on every
request and a calendar app never sees the series move; its UID is the HSDS export's id of
that schedule, so the two name the same thing alike.

The schedule model itself (`Rule`, reading entries, weekday names) lives in
`sift.directory.schedules`; its names are re-exported here for older callers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from sift.directory.hsds.mapping import child_id
from sift.directory.models import Post
from sift.directory.schedules import (
    RRULE_DAYS,
    WEEKDAYS,
    Rule,
    clock_text,
    rules,
    weekday_number,
)

__all__ = [
    "RRULE_DAYS",
    "WEEKDAYS",
    "feed",
    "weekday_number",
]


def feed(
    name: str,
    posts: Sequence[Post],
    *,
    zone: ZoneInfo,
    post_url: Callable[[Post], str | None],
) -> bytes:
    """The feed of every scheduled rule of `posts`, named `name`; `post_url(post)` links each."""
    calendar = Calendar()
    calendar.add("prodid", "-//Sift//public directory//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    events = [
        _event(post, index, rule, zone, post_url(post))
        for post in posts
        for index, rule in enumerate(_indexed_rules(post))
        if rule is not None and rule.days and rule.start
    ]
    if any(e is not None for e in events):
        calendar.add_component(_timezone(zone))
    for event in events:
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()


def _indexed_rules(post: Post) -> list[Rule | None]:
    """The post's rules at the index of their entry, as the HSDS export numbers them."""
    entries = post.schedule if isinstance(post.schedule, list) else []
    return [next(iter(rules([entry])), None) for entry in entries]


def _timezone(zone: ZoneInfo) -> Timezone:
    """The zone's `VTIMEZONE`, with its transitions from 2000 (older dates are never used)."""
    return Timezone.from_tzinfo(zone, first_date=date(2000, 1, 1), last_date=date(2040, 1, 1))


def _event(post: Post, index: int, rule: Rule, zone: ZoneInfo, url: str | None) -> Event | None:
    assert rule.start is not None
    anchor = rule.valid_from or post.created_at.astimezone(zone).date()
    first = rule.first_on_or_after(anchor)
    if first is None:  # the season ended before the post was listed
        return None
    span = rule.span(first)
    assert span is not None  # the rule has a start time
    starts, ends = (moment.replace(tzinfo=zone) for moment in span)
    event = Event()
    event.add("uid", f"{child_id(post.id, f'schedule:{index}')}@sift")
    event.add("summary", post.title)
    event.add("dtstamp", post.updated_at.astimezone(UTC))
    event.add("dtstart", starts)
    event.add("dtend", ends)
    recurrence: dict[str, object] = {
        "freq": "monthly" if rule.monthly else "weekly",
        "byday": rule.byday(),
    }
    if rule.valid_to:
        last = datetime.combine(rule.valid_to, time(23, 59, 59), tzinfo=zone)
        recurrence["until"] = last.astimezone(UTC)
    event.add("rrule", recurrence)
    for closed in rule.closed_on:
        if closed >= first:
            event.add("exdate", datetime.combine(closed, rule.start, tzinfo=zone))
    if post.location:
        event.add("location", post.location)
    lines = [post.summary or post.description, _rule_notes(rule)]
    if description := "\n\n".join(t for t in lines if t):
        event.add("description", description)
    if url:  # without SIFT_PUBLIC_URL there is no absolute link to give
        event.add("url", url)
    return event


def _rule_notes(rule: Rule) -> str:
    notes = [rule.note or ""]
    if rule.by_appointment:
        notes.append("By appointment.")
    if not rule.end:
        notes.append(f"Starts at {clock_text(rule.start or time())}; no end time given.")
    return " ".join(n for n in notes if n)
