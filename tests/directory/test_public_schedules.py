"""Schedules residents can rely on: a season, a monthly rule ("first Saturday"), "by
appointment" and closed dates are read alike by the cards, the Day filter, "open now",
the iCalendar feeds (checked with the `icalendar` library), schema.org and the service
page, which renders its description's Markdown and links out for directions."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from sift import db
from sift.api import create_app
from sift.config import get_settings
from sift.directory import schedules
from sift.directory.models import Post, PostStatus
from sift.directory.public import views as public
from sift.directory.registry import service

TUESDAY_11 = datetime(2025, 3, 4, 11, 0)
"""The first Tuesday of March 2025."""
SOCCER = {
    "title": "Youth Soccer",
    "summary": "Free soccer practice for kids.",
    "description": "## What\n\nFree soccer practice for kids.\n\n## When\n\nSpring season only.",
    "location": "Riverside Park, 10 Mill Road, Springfield, IL 62701",
    "contact": {"website": "http://www.riverside-soccer.example/spring/"},
    "schedule": [
        {
            "days": ["Tuesday"],
            "start": "10:00",
            "end": "14:00",
            "note": None,
            "valid_from": "2025-03-01",
            "valid_to": "2025-05-31",
            "closed_on": ["2025-03-18"],
        }
    ],
}
COATS = {
    "title": "Winter Coat Drive",
    "summary": "Warm coats for the cold months.",
    "description": "Coats in every size.",
    "schedule": [
        {
            "days": ["Tuesday"],
            "start": "09:00",
            "end": "17:00",
            "note": None,
            "valid_from": "2024-11-01",
            "valid_to": "2025-01-31",
        }
    ],
}
MARKET = {
    "title": "Market Day",
    "summary": "Fresh produce market.",
    "description": "Fresh produce from local farms.",
    "schedule": [
        {
            "days": ["Saturday"],
            "start": "09:00",
            "end": "12:00",
            "note": "cash or card",
            "weeks_of_month": [1],
            "closed_on": ["2025-04-05"],
        },
        {"days": ["Tuesday"], "start": "17:00", "end": "19:00", "weeks_of_month": [2, 4]},
    ],
}
LEGAL = {
    "title": "Legal Clinic",
    "summary": "Free advice from volunteer lawyers.",
    "description": "Housing and benefits questions.",
    "schedule": [{"days": [], "note": "Call to book", "by_appointment": True}],
}
SHELTER = {
    "title": "Overnight Warming Shelter",
    "summary": "A warm place for the night.",
    "description": "Cots and hot drinks.",
    "schedule": [{"days": ["Friday"], "start": "22:00", "end": "02:00", "note": None}],
}
FRIDAY_23 = datetime(2025, 3, 7, 23, 0)


@pytest.fixture(scope="module")
def directory(database: str) -> dict[str, str]:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Riverside Community")
        created = datetime(2025, 1, 6, 12, tzinfo=UTC)
        posts = {
            name: Post(
                organization_id=org.id,
                status=PostStatus.active,
                created_at=created,
                updated_at=created,
                **content,
            )
            for name, content in {
                "soccer": SOCCER,
                "coats": COATS,
                "market": MARKET,
                "legal": LEGAL,
                "shelter": SHELTER,
            }.items()
        }
        session.add_all(posts.values())
        session.flush()
        return {**{n: str(p.id) for n, p in posts.items()}, "org": str(org.id)}


ZONE = "America/Chicago"


@pytest.fixture(scope="module")
def client(directory: dict[str, str]) -> Iterator[TestClient]:
    """The app with the directory in Chicago, so feeds carry a zone other than UTC (in UTC,
    RFC 5545 writes times with `Z` and no `TZID`)."""
    before = os.environ.get("SIFT_DIRECTORY_TIMEZONE")
    os.environ["SIFT_DIRECTORY_TIMEZONE"] = ZONE
    get_settings.cache_clear()
    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client
    if before is None:
        os.environ.pop("SIFT_DIRECTORY_TIMEZONE")
    else:
        os.environ["SIFT_DIRECTORY_TIMEZONE"] = before
    get_settings.cache_clear()


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(public, "local_now", lambda: moment)


def titles(html: str) -> list[str]:
    return sorted(re.findall(r'<h2><a href="/services/[^"]+">([^<]+)</a></h2>', html))


# --- the model ------------------------------------------------------------------------------


def test_a_rule_knows_its_days_season_weeks_and_closures() -> None:
    soccer, coats = schedules.rules(SOCCER["schedule"])[0], schedules.rules(COATS["schedule"])[0]
    first_saturday, fourth_tuesday = schedules.rules(MARKET["schedule"])
    assert soccer.occurs_on(date(2025, 3, 4)) and not soccer.occurs_on(date(2025, 3, 18))
    assert not soccer.occurs_on(date(2025, 6, 3)), "out of season"
    assert not coats.occurs_on(date(2025, 3, 4))
    assert first_saturday.occurs_on(date(2025, 3, 1))
    assert not first_saturday.occurs_on(date(2025, 3, 8)) and not first_saturday.occurs_on(
        date(2025, 4, 5)
    ), "second Saturday; a closed first Saturday"
    assert fourth_tuesday.byday() == ["2TU", "4TU"] and fourth_tuesday.occurs_on(date(2025, 3, 25))
    assert first_saturday.text() == (
        "1st Saturday of the month 9 am \u2013 noon \u00b7 cash or card \u00b7 closed Apr 5, 2025"
    )
    assert soccer.text().startswith("Tuesday 10 am \u2013 2 pm (Mar 1, 2025 \u2013 May 31, 2025)")
    assert schedules.rules(LEGAL["schedule"])[0].text() == "By appointment \u00b7 Call to book"


def test_an_old_entry_stays_valid_and_a_bad_one_is_skipped() -> None:
    old = {"days": ["Monday"], "start": "09:00", "end": "17:00", "note": None}
    assert [r.stored() for r in schedules.rules([old])] == [old]
    hostile = [
        {"days": "Monday", "valid_from": "soon", "weeks_of_month": "first", "closed_on": 3},
        {"days": ["Monday"], "valid_to": "2025-02-30", "weeks_of_month": [9, 1]},
        "Mondays",
    ]
    assert [r.stored() for r in schedules.rules(hostile)] == [
        {"days": ["Monday"], "start": None, "end": None, "note": None, "weeks_of_month": [1]}
    ]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (TUESDAY_11, "Open now \u00b7 closes at 2 pm"),
        (datetime(2025, 3, 4, 8, 0), "Closed now \u00b7 opens today at 10 am"),
        (datetime(2025, 3, 17, 12, 0), "Closed now \u00b7 opens Mar 25, 2025 at 10 am"),
        (datetime(2025, 6, 3, 12, 0), "Season ended May 31, 2025"),
    ],
)
def test_a_card_says_whether_it_is_open(moment: datetime, expected: str) -> None:
    assert schedules.open_status(SOCCER["schedule"], moment) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (FRIDAY_23, "Open now \u00b7 closes at 2 am"),
        (datetime(2025, 3, 8, 1, 30), "Open now \u00b7 closes at 2 am"),
        (datetime(2025, 3, 8, 2, 0), "Closed now \u00b7 opens Friday at 10 pm"),
        (datetime(2025, 3, 7, 1, 0), "Closed now \u00b7 opens today at 10 pm"),
    ],
)
def test_a_span_past_midnight_runs_into_the_next_morning(moment: datetime, expected: str) -> None:
    """ "Friday 10 pm - 2 am" is open at 1:30 on Saturday morning, not on Friday's."""
    assert schedules.open_status(SHELTER["schedule"], moment) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "Open now \u00b7 closes at 2 am"),
        ("en-GB", "Open now \u00b7 closes at 02:00"),
        ("de_DE", "Open now \u00b7 closes at 02:00"),
        ("fr_CA", "Open now \u00b7 closes at 02:00"),
    ],
)
def test_times_follow_the_directory_locale(
    locale: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIFT_DIRECTORY_LOCALE", locale)
    get_settings.cache_clear()
    try:
        assert schedules.open_status(SHELTER["schedule"], FRIDAY_23) == expected
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


# --- readers --------------------------------------------------------------------------------


def test_open_now_and_the_day_filter_respect_seasons_weeks_and_closures(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, TUESDAY_11)
    assert titles(client.get("/", params={"open": "1"}).text) == ["Youth Soccer"]
    assert titles(client.get("/", params={"day": "tuesday"}).text) == ["Market Day", "Youth Soccer"]
    assert titles(client.get("/", params={"day": "saturday"}).text) == ["Market Day"]
    at(monkeypatch, datetime(2025, 3, 18, 11, 0))  # the soccer's closed day
    assert titles(client.get("/", params={"open": "1"}).text) == []
    at(monkeypatch, datetime(2025, 3, 1, 10, 0))  # the first Saturday
    assert titles(client.get("/", params={"open": "1"}).text) == ["Market Day"]
    at(monkeypatch, datetime(2025, 3, 8, 10, 0))  # the second Saturday
    assert titles(client.get("/", params={"open": "1"}).text) == []
    at(monkeypatch, FRIDAY_23)
    assert titles(client.get("/", params={"open": "1"}).text) == ["Overnight Warming Shelter"]
    at(monkeypatch, datetime(2025, 3, 8, 1, 30))  # Saturday morning, still Friday's night
    assert titles(client.get("/", params={"open": "1"}).text) == ["Overnight Warming Shelter"]
    at(monkeypatch, datetime(2025, 3, 7, 1, 30))  # Friday morning: Thursday had no night
    assert titles(client.get("/", params={"open": "1"}).text) == []
    at(monkeypatch, datetime(2024, 12, 10, 10, 0))  # December: coats in, soccer out of season
    assert titles(client.get("/", params={"open": "1"}).text) == ["Winter Coat Drive"]
    assert titles(client.get("/", params={"day": "tuesday"}).text) == [
        "Market Day",
        "Winter Coat Drive",
    ]


def test_a_service_feed_has_one_series_per_rule_in_the_directory_zone(
    client: TestClient, directory: dict[str, str]
) -> None:
    answer = client.get(f"/services/{directory['market']}.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    zone = ZONE
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == [zone]
    first, second = calendar.walk("VEVENT")
    assert first["rrule"]["FREQ"] == ["MONTHLY"] and first["rrule"]["BYDAY"] == ["1SA"]
    assert second["rrule"]["BYDAY"] == ["2TU", "4TU"]
    assert first["dtstart"].params["TZID"] == zone
    starts = first.decoded("dtstart")
    assert (starts.date(), starts.strftime("%H:%M")) == (date(2025, 2, 1), "09:00")
    assert (
        starts.tzinfo is not None
        and starts.utcoffset() == datetime(2025, 1, 4, 9, tzinfo=ZoneInfo(zone)).utcoffset()
    )
    assert [d.dt.date() for d in first["exdate"].dts] == [date(2025, 4, 5)]
    assert "cash or card" in str(first["description"])


def test_a_seasonal_service_ends_its_series_with_until(
    client: TestClient, directory: dict[str, str]
) -> None:
    (event,) = Calendar.from_ical(client.get(f"/services/{directory['soccer']}.ics").content).walk(
        "VEVENT"
    )
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU"]
    (until,) = rule["UNTIL"]
    assert until.tzinfo is not None and until.utcoffset().total_seconds() == 0
    local_until = until.astimezone(ZoneInfo(ZONE))
    assert local_until.date() == date(2025, 5, 31)
    assert event.decoded("dtstart").date() == date(2025, 3, 4), "the first Tuesday in season"


def test_a_night_ends_in_the_calendar_on_the_next_morning(
    client: TestClient, directory: dict[str, str]
) -> None:
    (event,) = Calendar.from_ical(client.get(f"/services/{directory['shelter']}.ics").content).walk(
        "VEVENT"
    )
    starts, ends = event.decoded("dtstart"), event.decoded("dtend")
    assert (starts.strftime("%a %H:%M"), ends.strftime("%a %H:%M")) == ("Fri 22:00", "Sat 02:00")
    assert ends - starts == timedelta(hours=4)


def test_the_organization_feed_holds_every_series_and_by_appointment_has_none(
    client: TestClient, directory: dict[str, str]
) -> None:
    events = Calendar.from_ical(client.get(f"/organizations/{directory['org']}.ics").content).walk(
        "VEVENT"
    )
    assert sorted(str(e["summary"]) for e in events) == [
        "Market Day",
        "Market Day",
        "Overnight Warming Shelter",
        "Winter Coat Drive",
        "Youth Soccer",
    ]


def test_the_service_page_renders_markdown_once_with_directions_and_its_own_feed(
    client: TestClient, directory: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, TUESDAY_11)
    page = client.get(f"/services/{directory['soccer']}").text
    assert "## What" not in page and "<h2>What</h2>" in page
    body = page[page.index("<main>") :]
    assert body.count("Free soccer practice for kids.") == 1, "the summary is said once"
    assert 'class="lead"' not in page
    assert f'href="/services/{directory["soccer"]}.ics"' in page
    assert f'href="/organizations/{directory["org"]}.ics"' not in page
    assert "Open now \u00b7 closes at 2 pm" in page
    assert 'href="https://www.openstreetmap.org/search?query=Riverside+Park%2C+10+Mill' in page
    assert ">riverside-soccer.example/spring</a>" in page and ">http://" not in page
    assert "<script src" not in page and "<iframe" not in page
    assert "https://" not in re.sub(
        r'href="[^"]*"|<script type="application/ld\+json">.*?</script>', "", page, flags=re.S
    )


def test_schema_org_carries_seasons_and_closures_but_no_weekly_claim_of_a_monthly_rule(
    client: TestClient, directory: dict[str, str]
) -> None:
    def json_ld(post: str) -> dict[str, Any]:
        html = client.get(f"/services/{directory[post]}").text
        found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert found
        return json.loads(found.group(1))  # type: ignore[no-any-return]

    hours = json_ld("soccer")["hoursAvailable"]
    assert hours[0]["validFrom"] == "2025-03-01" and hours[0]["validThrough"] == "2025-05-31"
    assert hours[1] == {
        "@type": "OpeningHoursSpecification",
        "opens": "00:00",
        "closes": "00:00",
        "validFrom": "2025-03-18",
        "validThrough": "2025-03-18",
    }
    assert "hoursAvailable" not in json_ld("market")


def test_the_home_page_has_a_heading_and_an_empty_search_helps(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, TUESDAY_11)
    home = client.get("/").text
    assert "<h1>" in home and 'role="search"' in home
    empty = client.get("/", params={"q": "zzqx", "day": "sunday"}).text
    assert "Nothing matched" in empty and 'href="tel:211"' in empty
    assert "without the filters" in empty and 'href="/?q=food"' in empty
