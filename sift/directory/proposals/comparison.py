"""What a reviewer compares before deciding: a post's content as labelled fields, the
changes a proposal makes with the unchanged fields set apart (a long description the
proposal leaves alone is shown once, collapsed, not twice), and for a merge the posts side
by side with what each absorbed post loses.

The unit is the labelled plain-text field ("Intake form", "When"), the same one the
before/after table shows, so a loss named here is a row a reviewer can find above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sift.directory import schedules
from sift.directory.proposals.batches import ProposalView
from sift.web.display import FieldDiff, field_diffs, humanize

LISTS = {"When": "\n", "Tags": ", "}
"""Fields that are lists of items: a merge keeps or loses each item on its own."""


def post_fields(content: dict[str, Any] | None) -> dict[str, str]:
    """A post's content as labelled plain-text fields, the unit an admin compares in a
    before/after view (contact keys such as `intake_form` read as "Intake form")."""
    if not content:
        return {}
    fields = {"Title": content.get("title") or ""}
    for key in ("summary", "description", "audience", "location"):
        if content.get(key):
            fields[humanize(key)] = str(content[key])
    for key, value in (content.get("contact") or {}).items():
        fields[humanize(key)] = str(value)
    schedule = [schedules.entry_text(entry) for entry in content.get("schedule") or []]
    if schedule:
        fields["When"] = LISTS["When"].join(schedule)
    if content.get("tags"):
        fields["Tags"] = LISTS["Tags"].join(content["tags"])
    return fields


@dataclass
class Changes:
    """A before/after pair of field sets: the changed fields word-diffed, the rest apart."""

    changed: list[FieldDiff]
    unchanged: dict[str, str]
    """Label → the value both sides share, shown once."""


def changes(before: dict[str, str], after: dict[str, str]) -> Changes:
    rows = field_diffs(before, after)
    return Changes(
        changed=[row for row in rows if row.changed],
        unchanged={row.label: before[row.label] for row in rows if not row.changed},
    )


def proposal_changes(proposal: ProposalView) -> Changes | None:
    """What an update, merge or revert changes (None for an insert or delete, whose one side
    is shown whole)."""
    if not (proposal.before and proposal.after):
        return None
    return changes(post_fields(proposal.before), post_fields(proposal.after))


@dataclass
class Cell:
    """An absorbed post's value of one field, and what of it the merged post leaves out
    ("" when it keeps all of it)."""

    value: str
    lost: str = ""


@dataclass
class MergeComparison:
    """The kept post and the absorbed ones side by side: `rows` are the fields on which
    they differ (label, the kept post's value, each absorbed post's cell), `same` the fields
    all share (shown once); `lost` names, per absorbed post, the fields it loses; `result`
    is what the merge does to the kept post."""

    kept_title: str
    absorbed_titles: list[str]
    rows: list[tuple[str, str, list[Cell]]] = field(default_factory=list)
    same: dict[str, str] = field(default_factory=dict)
    lost: dict[str, list[str]] = field(default_factory=dict)
    result: Changes | None = None


def merge_comparison(proposal: ProposalView) -> MergeComparison | None:
    """The side-by-side view of a merge (None for any other proposal, or a merge whose
    posts are no longer on record)."""
    if proposal.operation != "merge" or not (proposal.before and proposal.absorbed):
        return None
    kept = post_fields(proposal.before)
    merged = post_fields(proposal.after)
    others = [post_fields(content) for content in proposal.absorbed]
    labels = dict.fromkeys([*kept, *(label for other in others for label in other)])
    comparison = MergeComparison(
        kept_title=kept.get("Title", ""),
        absorbed_titles=[other.get("Title", "") for other in others],
        result=proposal_changes(proposal),
    )
    for label in labels:
        cells = [Cell(o.get(label, ""), lost(label, o.get(label, ""), merged)) for o in others]
        if all(cell.value == kept.get(label, "") for cell in cells):
            comparison.same[label] = kept.get(label, "")
            continue
        comparison.rows.append((label, kept.get(label, ""), cells))
        for title, cell in zip(comparison.absorbed_titles, cells, strict=True):
            if cell.lost:
                comparison.lost.setdefault(title, []).append(label)
    return comparison


def lost(label: str, value: str, merged: dict[str, str]) -> str:
    """What of an absorbed post's field the merged post does not say: a list field's items
    it does not list, a text field whose words it does not contain; "" when nothing."""
    kept = merged.get(label, "")
    if label in LISTS:
        separator = LISTS[label]
        missing = [item for item in value.split(separator) if item not in kept.split(separator)]
        return separator.join(missing) if value else ""
    return value if value and _words(value) not in _words(kept) else ""


def _words(text: str) -> str:
    """A text compared by its words only (case, spacing and punctuation aside)."""
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "
