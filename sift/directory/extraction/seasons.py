"""Seasons in a service's own words: "February through April", "June 15 - August 20, 2026",
"until May 31", "starting March 1", "de noviembre a febrero".

A season bounds a schedule (HSDS `valid_from` / `valid_to`): without it, free tax help that
runs February to April reads as every week in December, in the Day filter, in "Open now"
and in the calendar feed. A season written without a year is the one the text means as of
the day it is read: the one still running or the next, so "November through February" read
in December ends next February. Only what the text says plainly is read: a range of two
months, or a month after "until" / "starting"; a lone date (one event) is not a season.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from sift.directory.extraction.text import MONTH_WORDS, month_number
from sift.directory.extraction.types import ScheduleEntry


def _date(name: str) -> str:
    """A month with an optional day and year; groups named `{name}m`, `{name}d`, `{name}y`."""
    return (
        rf"(?P<{name}m>{MONTH_WORDS})\.?(?:\s+(?:de\s+)?(?P<{name}d>\d{{1,2}})(?:st|nd|rd|th)?)?"
        rf"(?:,?\s+(?:de\s+)?(?P<{name}y>(?:19|20)\d\d))?"
    )


_RANGE = re.compile(
    rf"\b{_date('a')}\s*(?:-|\u2013|\u2014|to|through|thru|until|till|al?|hasta)\s*"
    rf"{_date('b')}(?!\w)",
    re.IGNORECASE,
)
_UNTIL = re.compile(
    rf"\b(?:through|thru|until|till|hasta)\s+{_date('b')}(?!\w)", re.IGNORECASE
)
_FROM = re.compile(
    rf"\b(?:starting|starts|begins|beginning|from|as\s+of|desde|a\s+partir\s+del?)\s+"
    rf"{_date('a')}(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Season:
    valid_from: date | None
    valid_to: date | None


_NONE = Season(None, None)


def find_season(text: str, today: date) -> Season | None:
    """The season `text` states, read as of `today`; None when it states none, or two
    different ones equally plainly (which of its schedules each bounds is then a guess).
    The plainest wins: "February 1 to April 15, 2027" over a summary's "February to April"."""
    found = [(plain, season) for plain, season in _seasons(text, today) if season != _NONE]
    if not found:
        return None
    plainest = max(plain for plain, _ in found)
    seasons = {season for plain, season in found if plain == plainest}
    return seasons.pop() if len(seasons) == 1 else None


def with_season(entries: list[ScheduleEntry], text: str, today: date) -> list[ScheduleEntry]:
    """`entries` bounded by the season `text` states (entries with their own keep it)."""
    season = find_season(text, today) if entries else None
    if season is None:
        return entries
    return [
        entry.model_copy(
            update={
                "valid_from": entry.valid_from or _iso(season.valid_from),
                "valid_to": entry.valid_to or _iso(season.valid_to),
            }
        )
        for entry in entries
    ]


def _seasons(text: str, today: date) -> list[tuple[int, Season]]:
    """Each season stated, with how plainly: one point for each day and year written."""
    seasons, taken = [], []
    for match in _RANGE.finditer(text):
        if _is_month(match, "a") and _is_month(match, "b"):
            seasons.append((_plainness(match, "ab"), _range(match, today)))
            taken.append(match.span())
    for pattern, side in ((_UNTIL, "b"), (_FROM, "a")):
        for match in pattern.finditer(text):
            if _is_month(match, side) and not any(a <= match.start() < b for a, b in taken):
                seasons.append((_plainness(match, side), _one_end(match, side, today)))
    return seasons


def _plainness(match: re.Match[str], sides: str) -> int:
    return sum(bool(match.group(f"{side}{part}")) for side in sides for part in "dy")


def _is_month(match: re.Match[str], side: str) -> bool:
    """A month name, not the verb "may" (only a capitalised May is the month)."""
    word = match.group(f"{side}m")
    return word.lower() != "may" or word[0] == "M"


def _range(match: re.Match[str], today: date) -> Season:
    start_month, end_month = _month(match, "a"), _month(match, "b")
    start_day, end_day = match.group("ad"), match.group("bd")
    end_year = _year(match, "b") or _year(match, "a")
    if end_year is None:
        end_year = today.year
        if _day(end_year, end_month, end_day, last=True) < today:
            end_year += 1
    ends = _day(end_year, end_month, end_day, last=True)
    start_year = _year(match, "a") or end_year
    starts = _day(start_year, start_month, start_day, last=False)
    if starts > ends and _year(match, "a") is None:  # "November through February"
        starts = _day(start_year - 1, start_month, start_day, last=False)
    return Season(starts, ends) if starts <= ends else _NONE


def _one_end(match: re.Match[str], side: str, today: date) -> Season:
    month, day, year = _month(match, side), match.group(f"{side}d"), _year(match, side)
    if side == "b":
        if year is None:
            year = today.year + (_day(today.year, month, day, last=True) < today)
        return Season(None, _day(year, month, day, last=True))
    if year is None:  # "starting March 1": this year's, unless that is over half a year ago
        year = today.year + ((today - _day(today.year, month, day, last=False)).days > 183)
    return Season(_day(year, month, day, last=False), None)


def _month(match: re.Match[str], side: str) -> int:
    number = month_number(match.group(f"{side}m"))
    assert number is not None  # the pattern matched a month word
    return number


def _year(match: re.Match[str], side: str) -> int | None:
    year = match.group(f"{side}y")
    return int(year) if year else None


def _day(year: int, month: int, day: str | None, *, last: bool) -> date:
    """The date, its day clamped into the month; a month alone is its first or last day."""
    days = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, days if last else 1)
    return date(year, month, min(max(int(day), 1), days))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
