"""The post edit form's schedule: one row of plain fields per entry (weekday and
week-of-month boxes, times, season dates, "by appointment", a note, closed dates), so an
admin fills fields instead of writing a mini-language Sift would have to guess at.

Field names are `schedule.{row}.{field}`, with `schedule.rows` saying how many rows the
form showed (each stored entry and one blank row to add another). A row left blank is
dropped; a row that cannot be read is refused with one line naming the row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

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
_DATE_SPLIT = re.compile(r"[\s,;]+")


class FormLike(Protocol):
    """What Starlette's `FormData` offers (and a plain dict of lists in tests)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def form_values(schedule: Any) -> dict[str, Any]:
    """The form's schedule fields for a stored schedule: one row per readable entry and a
    blank one."""
    found = rules(schedule)
    values: dict[str, Any] = {"schedule.rows": str(len(found) + 1)}
    for row, rule in enumerate([*found, None]):
        values.update(_row_values(row, rule))
    return values


def typed_values(form: FormLike) -> dict[str, Any]:
    """The schedule fields as the admin typed them, to show again after a refusal."""
    text = str(form.get("schedule.rows") or "0").strip()
    rows = min(int(text), MAX_ROWS) if text.isdigit() else 0
    values: dict[str, Any] = {"schedule.rows": str(rows)}
    for row in range(rows):
        for name in LIST_FIELDS:
            values[f"schedule.{row}.{name}"] = [
                str(v) for v in form.getlist(f"schedule.{row}.{name}")
            ]
        for name in TEXT_FIELDS:
            values[f"schedule.{row}.{name}"] = str(form.get(f"schedule.{row}.{name}") or "")
    return values


def edited(form: FormLike, stored: list[Any]) -> list[Any]:
    """The schedule the form asks for; `ValueError` names the row and the problem. A form
    left as it was shown keeps the stored entries as they are (an entry the form cannot
    show included)."""
    entries = [
        entry for row in range(_row_count(form)) if (entry := _row_entry(form, row)) is not None
    ]
    if entries == [rule.stored() for rule in rules(stored)]:
        return stored
    return entries


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
        raise ValueError(f"the form has at most {MAX_ROWS} schedule rows")
    return int(text)


def _row_entry(form: FormLike, row: int) -> dict[str, Any] | None:
    """One row as a stored entry, None when the row is blank."""

    def text(name: str) -> str:
        return " ".join(str(form.get(f"schedule.{row}.{name}") or "").split())

    days = [str(d) for d in form.getlist(f"schedule.{row}.days")]
    weeks = [str(w) for w in form.getlist(f"schedule.{row}.weeks")]
    if not days and not weeks and not any(text(n) for n in TEXT_FIELDS):
        return None
    where = f"schedule row {row + 1}"
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown:
        raise ValueError(f"{where}: {unknown[0][:20]!r} is not a weekday")
    numbers = [int(w) for w in weeks if re.fullmatch(r"-?\d", w) and int(w) in ORDINALS]
    if len(numbers) != len(weeks):
        raise ValueError(f"{where}: weeks of the month are 1st-5th or last")
    start, end = (_clock(text(n), where) for n in ("start", "end"))
    valid_from, valid_to = (_date(text(n), where) for n in ("valid_from", "valid_to"))
    note = text("note")
    if len(note) > MAX_NOTE:
        raise ValueError(f"{where}: a note has at most {MAX_NOTE} characters")
    closed = [_date(d, where) for d in _DATE_SPLIT.split(text("closed_on")) if d]
    if len(closed) > MAX_CLOSURES:
        raise ValueError(f"{where}: at most {MAX_CLOSURES} closed dates")
    appointment = bool(text("by_appointment"))
    if start and end and end <= start:
        raise ValueError(f"{where}: it ends ({end}) before it starts ({start})")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValueError(f"{where}: the season ends before it starts")
    if (start or weeks) and not days:
        raise ValueError(f"{where}: tick the days it runs on")
    if not days and not note and not appointment:
        raise ValueError(f"{where}: tick the days it runs on, or add a note")
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
    return rule.stored()


def _clock(value: str, where: str) -> str | None:
    if not value:
        return None
    found = clock(value)
    if found is None or len(value) > 5:
        raise ValueError(f"{where}: {value[:20]} is not a time of day (HH:MM, 00:00 to 23:59)")
    return found.strftime("%H:%M")


def _date(value: str, where: str) -> date | None:
    if not value:
        return None
    found = iso_date(value)
    if found is None or len(value) != 10:
        raise ValueError(f"{where}: {value[:20]!r} is not a date (YYYY-MM-DD)")
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
