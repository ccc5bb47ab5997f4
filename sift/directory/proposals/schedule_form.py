"""The post edit form's schedule: one row of plain fields per entry (weekday and
week-of-month boxes, times, season dates, "by appointment", a note, closed dates), so an
admin fills fields instead of writing a mini-language Sift would have to guess at.

Field names are `schedule.{row}.{field}`, with `schedule.rows` saying how many rows the
form showed (each stored entry and one blank row to add another). A row left blank is
dropped; a row that cannot be read is refused with one line naming the row, kept beside the
field it is about (`ScheduleInvalid.problems`). One more field, `schedule.words`, takes
times as people write them ("Tuesdays 5pm to 8pm"), read by the same reader extraction
uses, or says what it could not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any, Protocol

from sift.directory.extraction.text import parse_schedule
from sift.directory.schedules import (
    MAX_CLOSURES,
    MAX_NOTE,
    ORDINALS,
    WEEKDAYS,
    Rule,
    clock,
    iso_date,
    rule_of,
    rules,
)

MAX_ROWS = 30
LIST_FIELDS = ("days", "weeks")
TEXT_FIELDS = ("start", "end", "valid_from", "valid_to", "by_appointment", "note", "closed_on")
WORDS = "schedule.words"
MAX_WORDS = 300
WORDS_EXAMPLE = "e.g. “Tuesdays 5pm to 8pm” or “Mon-Fri 9:00-17:00”"
_DATE_SPLIT = re.compile(r"[\s,;]+")


class FieldProblem(ValueError):
    """One schedule field that cannot be read; `field` is its name in the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ScheduleInvalid(ValueError):
    """Every schedule field that cannot be read, by form name (`problems`), so each shows
    beside its field; the message is them all on one line."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class FormLike(Protocol):
    """What Starlette's `FormData` offers (and a plain dict of lists in tests)."""

    def get(self, key: str, /) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def form_values(schedule: Any) -> dict[str, Any]:
    """The form's schedule fields for a stored schedule: one row per readable entry and a
    blank one."""
    found = rules(schedule)
    values: dict[str, Any] = {"schedule.rows": str(len(found) + 1), WORDS: ""}
    for row, rule in enumerate([*found, None]):
        values.update(_row_values(row, rule))
    return values


def typed_values(form: FormLike) -> dict[str, Any]:
    """The schedule fields as the admin typed them, to show again after a refusal."""
    text = str(form.get("schedule.rows") or "0").strip()
    rows = min(int(text), MAX_ROWS) if text.isdigit() else 0
    values: dict[str, Any] = {"schedule.rows": str(rows), WORDS: str(form.get(WORDS) or "")}
    for row in range(rows):
        for name in LIST_FIELDS:
            values[f"schedule.{row}.{name}"] = [
                str(v) for v in form.getlist(f"schedule.{row}.{name}")
            ]
        for name in TEXT_FIELDS:
            values[f"schedule.{row}.{name}"] = str(form.get(f"schedule.{row}.{name}") or "")
    return values


def edited(form: FormLike, stored: list[Any]) -> list[Any]:
    """The schedule the form asks for, the rows then what `schedule.words` says;
    `ScheduleInvalid` names each field that cannot be read. A form left as it was shown
    keeps the stored entries as they are (an entry the form cannot show included)."""
    try:
        rows = _row_count(form)
    except FieldProblem as problem:
        raise ScheduleInvalid({problem.field: str(problem)}) from None
    entries: list[Any] = []
    problems: dict[str, str] = {}
    for row in range(rows):
        try:
            entries += _row_entries(form, row)
        except FieldProblem as problem:
            problems[problem.field] = str(problem)
    try:
        entries += in_words(str(form.get(WORDS) or ""))
    except FieldProblem as problem:
        problems[problem.field] = str(problem)
    if problems:
        raise ScheduleInvalid(problems)
    if entries == [rule.stored() for rule in rules(stored)]:
        return stored
    return entries


def in_words(text: str) -> list[dict[str, Any]]:
    """Entries from times written as people write them; `FieldProblem` says what could not
    be read (no day named, or a time that may be morning or evening)."""
    words = " ".join(text.split())
    if not words:
        return []
    if len(words) > MAX_WORDS:
        raise FieldProblem(WORDS, f"write at most {MAX_WORDS} characters here")
    found = [rule_of(entry.model_dump()) for entry in parse_schedule(words)]
    read = [rule for rule in found if rule is not None and rule.days]
    if not read:
        raise FieldProblem(
            WORDS, f"“{words[:40]}” names no day of the week: write the days and times, "
            + WORDS_EXAMPLE
        )
    if any(c.isdigit() for c in words) and not any(rule.start for rule in read):
        days = ", ".join(rule.text() for rule in read)
        raise FieldProblem(
            WORDS, f"read {days} but no time: write times with am/pm or as 17:00, "
            + WORDS_EXAMPLE
        )
    return [rule.stored() for rule in read]


def _row_values(row: int, rule: Rule | None) -> dict[str, Any]:
    prefix = f"schedule.{row}."
    if rule is None:
        return {prefix + n: [] for n in LIST_FIELDS} | {prefix + n: "" for n in TEXT_FIELDS}
    stored = rule.stored()
    return {
        prefix + "days": stored["days"],
        prefix + "weeks": [str(w) for w in rule.weeks],
        prefix + "start": stored["start"] or "",
        prefix + "end": stored["end"] or "",
        prefix + "valid_from": stored.get("valid_from", ""),
        prefix + "valid_to": stored.get("valid_to", ""),
        prefix + "by_appointment": "1" if rule.by_appointment else "",
        prefix + "note": rule.note or "",
        prefix + "closed_on": ", ".join(stored.get("closed_on", [])),
    }


def _row_count(form: FormLike) -> int:
    text = str(form.get("schedule.rows") or "0").strip()
    if not text.isdigit() or int(text) > MAX_ROWS:
        raise FieldProblem("schedule.rows", f"the form has at most {MAX_ROWS} schedule rows")
    return int(text)


def _row_entries(form: FormLike, row: int) -> list[dict[str, Any]]:
    """One row as stored entries: none when the row is blank, those its note says when it
    holds only a note that reads as days and times ("Tuesdays 5pm to 8pm"), else one."""

    def text(name: str) -> str:
        return " ".join(str(form.get(f"schedule.{row}.{name}") or "").split())

    def problem(name: str, message: str) -> FieldProblem:
        return FieldProblem(f"schedule.{row}.{name}", f"schedule row {row + 1}: {message}")

    days = [str(d) for d in form.getlist(f"schedule.{row}.days")]
    weeks = [str(w) for w in form.getlist(f"schedule.{row}.weeks")]
    filled = [n for n in TEXT_FIELDS if text(n)]
    if not days and not weeks and not filled:
        return []
    if filled == ["note"] and not days and not weeks and (timed := _timed(text("note"))):
        return timed
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown:
        raise problem("days", f"{unknown[0][:20]!r} is not a weekday")
    numbers = [int(w) for w in weeks if re.fullmatch(r"-?\d", w) and int(w) in ORDINALS]
    if len(numbers) != len(weeks):
        raise problem("weeks", "weeks of the month are 1st-5th or last")
    start, end = (_clock(text(n), partial(problem, n)) for n in ("start", "end"))
    valid_from, valid_to = (_date(text(n), partial(problem, n)) for n in ("valid_from", "valid_to"))
    note = text("note")
    if len(note) > MAX_NOTE:
        raise problem("note", f"a note has at most {MAX_NOTE} characters")
    closed = [
        _date(d, lambda m: problem("closed_on", m))
        for d in _DATE_SPLIT.split(text("closed_on"))
        if d
    ]
    if len(closed) > MAX_CLOSURES:
        raise problem("closed_on", f"at most {MAX_CLOSURES} closed dates")
    appointment = bool(text("by_appointment"))
    if start and end and end <= start:
        raise problem("end", f"it ends ({end}) before it starts ({start})")
    if valid_from and valid_to and valid_to < valid_from:
        raise problem("valid_to", "the season ends before it starts")
    if (start or weeks) and not days:
        raise problem("days", "tick the days it runs on")
    if not days and not note and not appointment:
        raise problem("days", "tick the days it runs on, or add a note")
    raw = {
        "days": days,
        "start": start,
        "end": end,
        "note": note or None,
        "weeks_of_month": numbers,
        "valid_from": valid_from.isoformat() if valid_from else None,
        "valid_to": valid_to.isoformat() if valid_to else None,
        "by_appointment": appointment,
        "closed_on": [d.isoformat() for d in closed if d],
    }
    rule = rule_of(raw)
    assert rule is not None  # days, a note or an appointment were checked above
    return [rule.stored()]


def _timed(note: str) -> list[dict[str, Any]]:
    """What a note says as entries when it names days with times, else nothing (a note
    such as "closed on holidays" stays a note)."""
    try:
        entries = in_words(note)
    except FieldProblem:
        return []
    return entries if all(entry.get("start") for entry in entries) else []


def _clock(value: str, problem: Callable[[str], FieldProblem]) -> str | None:
    """A time of day: `17:00` as a time field sends it, or `5pm` as a person types it."""
    if not value:
        return None
    found = clock(value) if len(value) <= 5 and ":" in value else None
    if found is None:
        read = [rule.start for rule in map(rule_of, _on_a_day(value)) if rule and rule.start]
        found = read[0] if len(read) == 1 else None
    if found is None:
        raise problem(f"{value[:20]} is not a time of day (17:00 or 5pm)")
    return found.strftime("%H:%M")


def _on_a_day(value: str) -> list[dict[str, Any]]:
    """`value` read as the time of a day, by the reader extraction uses ("5pm" alone names
    no day, so one is lent to it)."""
    return [entry.model_dump() for entry in parse_schedule(f"Monday {value}")]


def _date(value: str, problem: Callable[[str], FieldProblem]) -> date | None:
    if not value:
        return None
    found = iso_date(value)
    if found is None or len(value) != 10:
        raise problem(f"{value[:20]!r} is not a date (YYYY-MM-DD)")
    return found


def as_form(values: Mapping[str, Any]) -> FormLike:
    """A plain mapping of field values as a form (tests, and the typed-back form)."""
    return _MappingForm(values)


class _MappingForm:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        return value[-1] if isinstance(value, list) and value else value

    def getlist(self, key: str) -> list[Any]:
        value = self.values.get(key)
        return list(value) if isinstance(value, list) else [] if value in (None, "") else [value]
