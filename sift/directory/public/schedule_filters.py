"""When a post runs, as SQL filters of the public search: "Open now" and the Day filter.

They read the schedule as `sift.directory.schedules.Rule` does, in SQL, so a search is
narrowed in the database rather than after it: a post is open when one of its entries runs
today (its weekday, its week of the month for a monthly rule, in season, not a closed
date), starts at or before the current time and ends after it (an entry without an end
counts as open for an hour from its start; one that ends before it starts runs past
midnight, so yesterday's `22:00`-`02:00` still covers 1 am). The Day filter lists a post
when an entry names that weekday and its season covers the next such day. Entries of any
other shape never match, so a malformed schedule cannot fail a search.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from sift.directory.models import Post
from sift.directory.schedules import OPEN_WITHOUT_END, WEEKDAYS, weeks_of_month


@dataclass(frozen=True)
class OpenAt:
    """A moment in the directory's local time, as schedule entries write it."""

    weekday: str
    clock: str
    """`HH:MM`, 24-hour."""
    day: date | None = None
    """The date, for seasons, closures and weeks of the month (None: any date)."""

    @classmethod
    def of(cls, moment: datetime) -> OpenAt:
        return cls(
            weekday=WEEKDAYS[moment.weekday()], clock=moment.strftime("%H:%M"), day=moment.date()
        )

    @property
    def hour_ago(self) -> str:
        """An hour before, or "" (before every time) when that is yesterday."""
        moment = datetime.strptime(self.clock, "%H:%M") - OPEN_WITHOUT_END
        return moment.strftime("%H:%M") if moment.day == 1 else ""



_ENTRIES = (
    "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(posts.schedule) "
    "WHEN 'array' THEN posts.schedule ELSE '[]'::jsonb END) AS e(entry) "
    "WHERE jsonb_typeof(entry) = 'object' "
)
_ISO = "'^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$'"
_IN_SEASON = (
    f"AND (CASE WHEN entry->>'valid_from' ~ {_ISO} THEN entry->>'valid_from' ELSE '' END) "
    "<= {on} "
    f"AND (CASE WHEN entry->>'valid_to' ~ {_ISO} THEN entry->>'valid_to' ELSE '9999-12-31' END) "
    ">= {on} "
)


def on_weekday(weekday: str, today: date | None) -> sa.ColumnElement[bool] | sa.TextClause:
    """Some entry names `weekday` and, when `today` is known, is in season on the next such
    day (a monthly rule counts: it runs on that weekday, some weeks)."""
    if today is None:
        return Post.schedule.contains([{"days": [weekday]}])
    target = WEEKDAYS.index(weekday)
    next_day = today + timedelta(days=(target - today.weekday()) % 7)
    return sa.text(
        _ENTRIES
        + "AND entry->'days' @> to_jsonb(CAST(:day_name AS text)) "
        + _IN_SEASON.format(on=":day_date")
        + ")"
    ).bindparams(day_name=weekday, day_date=next_day.isoformat())


def open_at(moment: OpenAt) -> sa.ColumnElement[bool]:
    """Some schedule entry of the post covers `moment` (see the module's docstring): one that
    runs today and has started, or one that ran yesterday past midnight and has not yet
    ended (`22:00`-`02:00` ends at 2 am the next day). Times are compared as `HH:MM` text,
    and entries of any other shape never match, so a malformed schedule cannot fail a search."""
    yesterday = OpenAt(
        weekday=WEEKDAYS[(WEEKDAYS.index(moment.weekday) - 1) % 7],
        clock=moment.clock,
        day=moment.day - timedelta(days=1) if moment.day else None,
    )
    started_today = (
        "AND entry->>'start' <= :today_clock "
        "AND (entry->>'end' > :today_clock OR entry->>'end' < entry->>'start' "
        "OR (entry->>'end' IS NULL AND entry->>'start' > :today_hour_ago)) "
    )
    past_midnight = "AND entry->>'end' < entry->>'start' AND entry->>'end' > :yesterday_clock "
    return sa.or_(
        _entry_running(moment, "today", started_today).bindparams(
            today_clock=moment.clock, today_hour_ago=moment.hour_ago
        ),
        _entry_running(yesterday, "yesterday", past_midnight).bindparams(
            yesterday_clock=moment.clock
        ),
    )


def _entry_running(moment: OpenAt, name: str, times: str) -> sa.TextClause:
    """Some entry runs on `moment`'s day (weekday, week of the month, season, closures when
    the date is known) and matches the `times` condition; its parameters are named after
    `name`, so two such clauses can sit in one statement."""
    dated = ""
    params: dict[str, Any] = {f"{name}_day": moment.weekday}
    if moment.day is not None:
        week, last = weeks_of_month(moment.day)
        dated = (
            "AND (jsonb_typeof(entry->'weeks_of_month') IS DISTINCT FROM 'array' "
            "OR entry->'weeks_of_month' = '[]'::jsonb "
            f"OR entry->'weeks_of_month' @> to_jsonb(CAST(:{name}_week AS int)) "
            f"OR entry->'weeks_of_month' @> to_jsonb(CAST(:{name}_last AS int))) "
            + _IN_SEASON.format(on=f":{name}_date")
            + "AND NOT coalesce(jsonb_typeof(entry->'closed_on') = 'array' "
            f"AND entry->'closed_on' @> to_jsonb(CAST(:{name}_date AS text)), false) "
        )
        params |= {f"{name}_week": week, f"{name}_last": last}
        params[f"{name}_date"] = moment.day.isoformat()
    weekday = f"AND entry->'days' @> to_jsonb(CAST(:{name}_day AS text)) "
    return sa.text(_ENTRIES + weekday + times + dated + ")").bindparams(**params)
