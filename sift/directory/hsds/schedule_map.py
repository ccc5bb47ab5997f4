"""Sift schedule entries as HSDS 3.0 `schedule` records and back, losslessly for what Sift
keeps: a weekly rule is `freq=WEEKLY` with `byday=TU,TH`, a monthly one `freq=MONTHLY` with
ordinal days (`byday=1SA`, `2TU,4TU`, `-1FR`), a season `valid_from` / `valid_to`, times
`opens_at` / `closes_at`, the note `description`, "by appointment" `attending_type`, and
closed dates the line `Closed on 2025-12-25, 2026-01-01.` in `notes` (HSDS has no field
for exceptions). An import reads the same fields, so exporting then importing an entry
gives the entry back; an HSDS rule Sift cannot model (`bymonthday`, odd ordinals) keeps its
days and says the rule in the note rather than claiming every week.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sift.directory.schedules import ORDINALS, WEEKDAYS, Rule, clock, rule_of

_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_CLOSED = re.compile(r"^Closed on (\d{4}-\d{2}-\d{2}(?:, \d{4}-\d{2}-\d{2})*)\.$")
BY_APPOINTMENT = "by appointment"


def hsds_schedule(entry: Any, *, schedule_id: str, service_id: str) -> dict[str, Any]:
    """One Sift schedule entry as an HSDS schedule."""
    raw = entry if isinstance(entry, dict) else {}
    rule = rule_of(raw) or Rule(days=(), start=clock(raw.get("start")), end=clock(raw.get("end")))
    record = {
        "id": schedule_id,
        "service_id": service_id,
        "valid_from": rule.valid_from.isoformat() if rule.valid_from else None,
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
        "freq": ("MONTHLY" if rule.monthly else "WEEKLY") if rule.days else None,
        "byday": ",".join(rule.byday()) or None,
        "description": rule.note,
        "opens_at": f"{rule.start:%H:%M}:00" if rule.start else None,
        "closes_at": f"{rule.end:%H:%M}:00" if rule.end else None,
        "attending_type": BY_APPOINTMENT if rule.by_appointment else None,
        "notes": "Closed on " + ", ".join(d.isoformat() for d in rule.closed_on) + "."
        if rule.closed_on
        else None,
    }
    return {k: v for k, v in record.items() if v is not None}


def sift_schedules(schedule: dict[str, Any]) -> list[dict[str, Any]]:
    """An HSDS schedule as Sift entries: one per set of weeks of the month (`1SA,3TU`
    becomes the first Saturday and the third Tuesday)."""
    parts = [
        m for p in str(schedule.get("byday") or "").split(",") if (m := _BYDAY.match(p.strip()))
    ]
    monthly = str(schedule.get("freq") or "").upper() == "MONTHLY"
    ordinals = [int(m.group(1)) for m in parts if m.group(1)]
    plain = any(not m.group(1) for m in parts)
    modelled = bool(parts or not monthly) and not schedule.get("bymonthday")
    if ordinals:
        modelled = modelled and monthly and not plain and all(o in ORDINALS for o in ordinals)
    weeks_by_day: dict[int, set[int]] = defaultdict(set)
    for match in parts:
        weeks_by_day[_CODES.index(match.group(2))].update(
            [int(match.group(1))] if match.group(1) and modelled else []
        )
    notes = str(schedule.get("notes") or "").strip()
    closed = _CLOSED.match(notes)
    note = schedule.get("description") or (None if closed else notes or None)
    if not modelled and not note:
        note = f"{str(schedule.get('freq') or '').lower()} on {schedule.get('byday')}".strip()
    base = {
        "start": schedule.get("opens_at"),
        "end": schedule.get("closes_at"),
        "note": note,
        "valid_from": schedule.get("valid_from"),
        "valid_to": schedule.get("valid_to") or schedule.get("until"),
        "by_appointment": "appointment" in str(schedule.get("attending_type") or "").lower(),
        "closed_on": closed.group(1).split(", ") if closed else [],
    }
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for day, day_weeks in sorted(weeks_by_day.items()):
        groups[tuple(sorted(day_weeks))].append(day)
    if not groups:
        groups[()] = []
    entries = []
    for weeks, days in groups.items():
        raw = {**base, "days": [WEEKDAYS[d] for d in days], "weeks_of_month": list(weeks)}
        rule = rule_of(raw)
        entries.append(rule.stored() if rule else _bare(raw))
    return entries


def _bare(raw: dict[str, Any]) -> dict[str, Any]:
    """An entry with no days, note or appointment: its times, as before this model."""
    start, end = clock(raw.get("start")), clock(raw.get("end"))
    return {
        "days": [],
        "start": f"{start:%H:%M}" if start else None,
        "end": f"{end:%H:%M}" if end else None,
        "note": None,
    }
