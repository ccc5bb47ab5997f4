"""One schedule model for every reader: when a service runs, as a resident can rely on it.

A post's `schedule` is a JSON list of entries. Extraction writes the simple form
`{days, start, end, note}`; every other key is optional and additive, so an old entry
stays valid and means what it always meant:

- `days`: English weekday names (`Monday` …); `start` / `end`: 24-hour `HH:MM`;
- `note`: free text shown with the entry ("bring ID");
- `weeks_of_month`: ordinals 1-5 or -1 (last): `[1]` with `["Saturday"]` is the first
  Saturday of each month, `[2, 4]` with `["Tuesday"]` the second and fourth Tuesday
  (HSDS and iCalendar write them `1SA`, `2TU,4TU`); absent or empty means every week;
- `valid_from` / `valid_to`: ISO dates bounding a season (both inclusive);
- `by_appointment`: true when a visit needs an appointment;
- `closed_on`: ISO dates on which it does not run (holidays, closures).

`rules` reads entries tolerantly: anything malformed is dropped rather than trusted, so a
bad entry cannot break a public page or a calendar subscription. Cards, the Day filter,
"open now", the iCalendar feed, HSDS and schema.org all read a post through `Rule`, so
they agree on when it runs. Times are the directory's local time; a span past midnight is
not modelled.
"""

from __future__ import annotations

import calendar as months
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from babel import Locale

from sift.config import get_settings

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = (1, 2, 3, 4, 5, -1)
ORDINAL_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
OPEN_WITHOUT_END = timedelta(hours=1)
"""How long an entry that gives no end time counts as open (and lasts in a calendar)."""
MAX_CLOSURES = 100
DASH = "\u2013"
MAX_NOTE = 300
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUOTED = re.compile(r"'[^']*'")


@dataclass(frozen=True)
class Rule:
    """One readable schedule entry."""

    days: tuple[int, ...]
    """Weekday numbers, Monday = 0, sorted."""
    start: time | None = None
    end: time | None = None
    note: str | None = None
    weeks: tuple[int, ...] = ()
    """Ordinal weeks of the month (1-5, -1 = last); empty = every week."""
    valid_from: date | None = None
    valid_to: date | None = None
    by_appointment: bool = False
    closed_on: tuple[date, ...] = field(default=())

    @property
    def day_names(self) -> list[str]:
        return [WEEKDAYS[d] for d in self.days]

    @property
    def monthly(self) -> bool:
        return bool(self.weeks)

    def byday(self) -> list[str]:
        """iCalendar/HSDS `BYDAY` parts: `TU`, or `2TU` for an ordinal of the month."""
        if not self.weeks:
            return [RRULE_DAYS[d] for d in self.days]
        return [f"{w}{RRULE_DAYS[d]}" for d in self.days for w in self.weeks]

    def in_season(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def occurs_on(self, day: date) -> bool:
        """It runs on `day`: the weekday (and week of the month), in season, not closed."""
        if day.weekday() not in self.days or not self.in_season(day) or day in self.closed_on:
            return False
        return not self.weeks or bool(set(self.weeks) & set(weeks_of_month(day)))

    def span(self, day: date) -> tuple[datetime, datetime] | None:
        """When it runs on `day` (naive local times), or None without a start time. An end
        before the start is past midnight: `22:00`-`02:00` ends at 2 am the next day."""
        if self.start is None:
            return None
        begins = datetime.combine(day, self.start)
        if self.end is None or self.end == self.start:
            return begins, begins + OPEN_WITHOUT_END
        ends = datetime.combine(day, self.end)
        return begins, ends if ends > begins else ends + timedelta(days=1)

    def span_at(self, moment: datetime) -> tuple[datetime, datetime] | None:
        """The span that covers `moment`: today's, or yesterday's when it runs past midnight."""
        local = moment.replace(tzinfo=None)
        for day in (local.date(), local.date() - timedelta(days=1)):
            span = self.span(day)
            if span and self.occurs_on(day) and span[0] <= local < span[1]:
                return span
        return None

    def open_at(self, moment: datetime) -> bool:
        return self.span_at(moment) is not None

    def next_start(self, moment: datetime, *, within_days: int = 400) -> datetime | None:
        """The next start at or after `moment` (naive local), within `within_days`."""
        local = moment.replace(tzinfo=None)
        for offset in range(within_days):
            day = local.date() + timedelta(days=offset)
            span = self.span(day)
            if span and span[0] >= local and self.occurs_on(day):
                return span[0]
        return None

    def first_on_or_after(self, day: date, *, within_days: int = 800) -> date | None:
        """The first day on or after `day` matching the rule's days and weeks (closures
        aside: a calendar lists them as exceptions of the series)."""
        for offset in range(within_days):
            candidate = day + timedelta(days=offset)
            if candidate.weekday() in self.days and (
                not self.weeks or set(self.weeks) & set(weeks_of_month(candidate))
            ):
                return candidate if self.valid_to is None or candidate <= self.valid_to else None
        return None

    def text(self) -> str:
        """`Tuesday, Thursday 10 am - 2 pm` (with an en dash), as a resident reads it."""
        parts = [self.days_text(), self.times_text()]
        if self.by_appointment:
            parts.append("by appointment" if self.days else "By appointment")
        if self.valid_from or self.valid_to:
            parts.append(f"({season_text(self.valid_from, self.valid_to)})")
        if self.note:
            parts.append(f"· {self.note}")
        if self.closed_on:
            parts.append("· closed " + ", ".join(date_text(d) for d in self.closed_on[:6]))
        return " ".join(p for p in parts if p)

    def days_text(self) -> str:
        names = _day_run(self.days)
        if not self.weeks:
            return names
        ordinals = " and ".join(ORDINAL_WORDS[w] for w in self.weeks)
        return f"{ordinals} {names} of the month"

    def times_text(self) -> str:
        if self.start is None:
            return ""
        return clock_text(self.start) + (f" {DASH} {clock_text(self.end)}" if self.end else "")

    def stored(self) -> dict[str, Any]:
        """The entry as the post's schedule JSON keeps it: the four keys every entry has,
        the others only when set."""
        entry: dict[str, Any] = {
            "days": self.day_names,
            "start": self.start.strftime("%H:%M") if self.start else None,
            "end": self.end.strftime("%H:%M") if self.end else None,
            "note": self.note,
        }
        if self.weeks:
            entry["weeks_of_month"] = list(self.weeks)
        if self.valid_from:
            entry["valid_from"] = self.valid_from.isoformat()
        if self.valid_to:
            entry["valid_to"] = self.valid_to.isoformat()
        if self.by_appointment:
            entry["by_appointment"] = True
        if self.closed_on:
            entry["closed_on"] = [d.isoformat() for d in self.closed_on]
        return entry


def rules(schedule: Any) -> list[Rule]:
    """The usable entries of a post's schedule: those with days, a note or an appointment."""
    if not isinstance(schedule, list):
        return []
    found = []
    for raw in schedule:
        if isinstance(raw, dict) and (rule := rule_of(raw)) is not None:
            found.append(rule)
    return found


def rule_of(raw: dict[str, Any]) -> Rule | None:
    """One entry as a `Rule`, its malformed parts left out; None when nothing usable is left."""
    days = tuple(sorted({d for d in map(weekday_number, _list(raw.get("days"))) if d is not None}))
    note = raw.get("note") if isinstance(raw.get("note"), str) else None
    weeks = tuple(
        sorted({w for w in _list(raw.get("weeks_of_month")) if w in ORDINALS}, key=_week_order)
    )
    rule = Rule(
        days=days,
        start=clock(raw.get("start")),
        end=clock(raw.get("end")),
        note=note.strip() or None if note else None,
        weeks=weeks if days else (),
        valid_from=iso_date(raw.get("valid_from")),
        valid_to=iso_date(raw.get("valid_to")),
        by_appointment=raw.get("by_appointment") is True,
        closed_on=tuple(sorted({d for d in map(iso_date, _list(raw.get("closed_on"))) if d})),
    )
    if not (rule.days or rule.note or rule.by_appointment):
        return None
    return rule


def entry_text(entry: Any) -> str:
    """An entry as one line of text (a malformed one as its raw values, for review)."""
    if isinstance(entry, dict) and (rule := rule_of(entry)) is not None:
        return rule.text()
    return str(entry)


def weeks_of_month(day: date) -> tuple[int, int]:
    """The ordinals `day` answers to: its week of the month (1-5) and -1 when it is the
    last such weekday of the month (else 0)."""
    last = day.day + 7 > months.monthrange(day.year, day.month)[1]
    return (day.day - 1) // 7 + 1, -1 if last else 0


# --- what a card says -----------------------------------------------------------------------


def open_status(schedule: Any, now: datetime) -> str | None:
    """ "Open now · closes at 2 pm", "Opens Thursday at 10 am", or None when the schedule
    gives no time to go by. `now` is the directory's local time."""
    found = [r for r in rules(schedule) if r.start]
    if not found:
        return None
    local = now.replace(tzinfo=None)
    open_spans = [span for r in found if (span := r.span_at(local))]
    if open_spans:
        closes = max(end for _, end in open_spans)
        explicit = any(r.end for r in found if r.open_at(local))
        return f"Open now · closes at {clock_text(closes.time())}" if explicit else "Open now"
    upcoming = [s for r in found if (s := r.next_start(local)) is not None]
    if not upcoming:
        ended = [r.valid_to for r in found if r.valid_to and r.valid_to < local.date()]
        return f"Season ended {date_text(max(ended))}" if ended else None
    following = min(upcoming)
    days = (following.date() - local.date()).days
    when = (
        "today"
        if days == 0
        else "tomorrow"
        if days == 1
        else WEEKDAYS[following.weekday()]
        if days < 7
        else date_text(following.date())
    )
    return f"Closed now · opens {when} at {clock_text(following.time())}"


def clock_text(value: time) -> str:
    """A time as the directory's locale writes it: on a 12-hour clock as US English does
    (`10 am`, `2:30 pm`, `noon`), else on a 24-hour one (`10:00`, `14:30`)."""
    if not twelve_hour_clock(get_settings().directory_locale):
        return value.strftime("%H:%M")
    if value == time(12, 0):
        return "noon"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes} {'am' if value.hour < 12 else 'pm'}"


@cache
def twelve_hour_clock(locale: str) -> bool:
    """CLDR's short time pattern of `locale` counts hours 1-12 or 0-11 (`h:mm a`), not 0-23
    (`HH:mm`); quoted literals such as French Canada's `HH 'h' mm` are not symbols."""
    pattern = Locale.parse(locale).time_formats["short"].pattern
    return bool(set(_QUOTED.sub("", pattern)) & {"h", "K"})


def date_text(day: date) -> str:
    return f"{months.month_abbr[day.month]} {day.day}, {day.year}"


def season_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{date_text(start)} {DASH} {date_text(end)}"
    return f"from {date_text(start)}" if start else f"until {date_text(end)}" if end else ""


def _day_run(days: Sequence[int]) -> str:
    """`Monday-Friday` (en dash) for three or more consecutive days, else the names."""
    if len(days) >= 3 and list(days) == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}{DASH}{WEEKDAYS[days[-1]]}"
    return ", ".join(WEEKDAYS[d] for d in days)


# --- reading values -------------------------------------------------------------------------


def weekday_number(value: Any) -> int | None:
    """Monday = 0 for `Monday`, `mon` or the iCalendar `MO`; None for anything else."""
    text = str(value).strip().lower()
    if len(text) < 2:
        return None
    return next((i for i, name in enumerate(WEEKDAYS) if name.lower().startswith(text)), None)


def clock(value: Any) -> time | None:
    match = _CLOCK.match(str(value or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def iso_date(value: Any) -> date | None:
    text = str(value or "").strip()[:10]
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _week_order(week: int) -> int:
    return 99 if week == -1 else week
