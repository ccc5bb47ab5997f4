"""HSDS round trip: exporting a directory and importing the export changes nothing, byte
for byte on the next export, with rich schedules (monthly ordinals, seasons, closures, by
appointment), a word-for-word eligibility ("seniors 60+"), tags and the summary carried as
HSDS attributes; and an HSDS schedule of another directory reads into the same model."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from sift import db
from sift.directory.hsds import export, importer, mapping
from sift.directory.models import Organization, Post, PostStatus
from sift.directory.registry import service

SCHEDULE = [
    {"days": ["Monday", "Friday"], "start": "12:00", "end": None, "note": None},
    {
        "days": ["Saturday"],
        "start": "09:00",
        "end": "13:00",
        "note": "bring photo ID",
        "weeks_of_month": [1, -1],
        "valid_from": "2027-02-01",
        "valid_to": "2027-04-15",
        "by_appointment": True,
        "closed_on": ["2027-04-03"],
    },
]


@pytest.fixture(scope="module")
def org_id(database: str) -> str:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Round Trip Center", description="Help.")
        session.add_all(
            [
                Post(
                    organization_id=org.id,
                    status=PostStatus.active,
                    title="Free Tax Preparation",
                    summary="Volunteers file your return for free.",
                    description="## What\n\nFree preparation of tax returns.",
                    tags=["category:tax", "audience:families"],
                    audience="households earning $67,000 or less",
                    schedule=SCHEDULE,
                ),
                Post(
                    organization_id=org.id,
                    status=PostStatus.active,
                    title="Lunch for Seniors",
                    summary="Hot weekday lunches.",
                    description="A hot lunch at noon every weekday.",
                    audience="seniors 60+",
                    location="Fellowship Hall, 412 Harbor Street",
                    schedule=[{"days": ["Monday", "Tuesday"], "start": "12:00"}],
                ),
            ]
        )
        return str(org.id)


def export_json(org_id: str, folder: Path, fmt: str = "json") -> dict[str, bytes]:
    with db.session_scope() as session:
        org = session.get_one(Organization, uuid.UUID(org_id))
        export.write(export.documents(session, organization=org), folder, fmt=fmt)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["json", "datapackage"])
def test_export_import_export_is_byte_identical_and_changes_nothing(
    org_id: str, tmp_path: Path, fmt: str
) -> None:
    first = export_json(org_id, tmp_path / "first", fmt)
    with db.session_scope() as session:
        result = importer.store(session, importer.read(tmp_path / "first"))
    assert (result.organizations_updated, result.changes_staged, result.posts_created) == (0, 0, 0)
    assert result.posts_unchanged == 2
    assert export_json(org_id, tmp_path / "second", fmt) == first


def test_the_export_carries_rules_eligibility_tags_and_summary(org_id: str) -> None:
    with db.session_scope() as session:
        org = session.get_one(Organization, uuid.UUID(org_id))
        [document] = export.documents(session, organization=org)
    tax, lunch = document["services"]
    assert lunch["eligibility_description"] == "seniors 60+"
    weekly, monthly = tax["schedules"]
    assert (weekly["freq"], weekly["byday"], weekly["opens_at"]) == ("WEEKLY", "MO,FR", "12:00:00")
    assert monthly | {"id": None, "service_id": None} == {
        "id": None,
        "service_id": None,
        "freq": "MONTHLY",
        "byday": "1SA,-1SA",
        "valid_from": "2027-02-01",
        "valid_to": "2027-04-15",
        "opens_at": "09:00:00",
        "closes_at": "13:00:00",
        "description": "bring photo ID",
        "attending_type": "by appointment",
        "notes": "Closed on 2027-04-03.",
    }
    codes = [a["taxonomy_term"]["code"] for a in tax["attributes"] if a["link_type"] == "tag"]
    assert codes == ["category:tax", "audience:families"]
    [summary] = [a for a in tax["attributes"] if a["link_type"] == "summary"]
    assert summary["value"] == "Volunteers file your return for free."


def test_a_fresh_directory_gets_tags_and_summary_back(org_id: str) -> None:
    with db.session_scope() as session:
        org = session.get_one(Organization, uuid.UUID(org_id))
        [document] = export.documents(session, organization=org)
    content = mapping.post_content(document["services"][0], document)
    assert content["summary"] == "Volunteers file your return for free."
    assert content["tags"] == ["category:tax", "audience:families"]
    assert content["schedule"] == [
        {"days": ["Monday", "Friday"], "start": "12:00", "end": None, "note": None},
        SCHEDULE[1],
    ]


@pytest.mark.parametrize(
    ("schedule", "entries"),
    [
        (
            {"freq": "MONTHLY", "byday": "2TU,4TU", "opens_at": "17:00"},
            [
                {
                    "days": ["Tuesday"],
                    "start": "17:00",
                    "end": None,
                    "note": None,
                    "weeks_of_month": [2, 4],
                }
            ],
        ),
        (
            {"freq": "MONTHLY", "byday": "1SA,3TU"},
            [
                {
                    "days": ["Tuesday"],
                    "start": None,
                    "end": None,
                    "note": None,
                    "weeks_of_month": [3],
                },
                {
                    "days": ["Saturday"],
                    "start": None,
                    "end": None,
                    "note": None,
                    "weeks_of_month": [1],
                },
            ],
        ),
        (
            {"freq": "MONTHLY", "bymonthday": "15", "description": "mid-month"},
            [{"days": [], "start": None, "end": None, "note": "mid-month"}],
        ),
        (
            {"freq": "WEEKLY", "byday": "2MO"},
            [{"days": ["Monday"], "start": None, "end": None, "note": "weekly on 2MO"}],
        ),
        (
            {"freq": "WEEKLY", "byday": "WE", "until": "2027-06-30", "notes": "Closed on holidays"},
            [
                {
                    "days": ["Wednesday"],
                    "start": None,
                    "end": None,
                    "note": "Closed on holidays",
                    "valid_to": "2027-06-30",
                }
            ],
        ),
    ],
)
def test_hsds_schedules_of_other_directories_read_into_the_model(
    schedule: dict[str, str], entries: list[dict[str, object]]
) -> None:
    assert mapping.sift_schedules({"id": "x", **schedule}) == entries
