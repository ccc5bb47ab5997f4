"""Seasons read from a service's own words bound its schedule, so a programme that runs
February to April is not listed as every week in December."""

from __future__ import annotations

from datetime import date

import pytest

from sift.directory.extraction.seasons import Season, find_season, with_season
from sift.directory.extraction.types import ScheduleEntry

DECEMBER = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "season"),
    [
        ("Free tax preparation runs February through April.", ("2027-02-01", "2027-04-30")),
        ("Youth soccer, March-May. Tuesdays 4-6pm", ("2027-03-01", "2027-05-31")),
        ("Open June 15 \u2013 August 20, 2026.", ("2026-06-15", "2026-08-20")),
        ("Winter shelter November through March.", ("2026-11-01", "2027-03-31")),
        ("De noviembre a febrero, los s\u00e1bados.", ("2026-11-01", "2027-02-28")),
        ("Toy drive Dec 14 - Jan 3.", ("2026-12-14", "2027-01-03")),
        ("Coats collected until Jan 31.", (None, "2027-01-31")),
        ("Starting March 1, on Mondays.", ("2027-03-01", None)),
        ("February 1 to February 30", ("2027-02-01", "2027-02-28")),
    ],
)
def test_a_stated_season_is_read_as_of_the_day(
    text: str, season: tuple[str | None, str | None]
) -> None:
    found = find_season(text, DECEMBER)
    assert found is not None
    assert (
        found.valid_from and found.valid_from.isoformat(),
        found.valid_to and found.valid_to.isoformat(),
    ) == season


@pytest.mark.parametrize(
    "text",
    [
        "You may come until 5pm.",  # the verb, and a time
        "From Monday to Friday, 9-5.",
        "Ages 3 to 5. Storytime on March 3rd.",  # one date is one event, not a season
        "Summer camp June to August; winter camp December to January.",  # which is which?
    ],
)
def test_no_season_is_guessed(text: str) -> None:
    assert find_season(text, DECEMBER) is None


def test_the_plainest_statement_wins() -> None:
    text = (
        "Free Tax Preparation - February to April, by appointment.\n"
        "Tax season only: February 1 to April 15, 2027. Tuesdays 5pm to 8pm."
    )
    assert find_season(text, date(2026, 11, 15)) == Season(date(2027, 2, 1), date(2027, 4, 15))


def test_entries_take_the_season_unless_they_have_their_own() -> None:
    entries = [
        ScheduleEntry(days=["Tuesday"], start="17:00", end="20:00"),
        ScheduleEntry(days=["Saturday"], valid_from="2027-03-01"),
    ]
    seasoned = with_season(entries, "Runs February through April.", DECEMBER)
    assert [(e.valid_from, e.valid_to) for e in seasoned] == [
        ("2027-02-01", "2027-04-30"),
        ("2027-03-01", "2027-04-30"),
    ]
    assert with_season(entries, "Every week.", DECEMBER) == entries
