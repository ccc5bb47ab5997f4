"""Hostile HSDS in and out: `sift import hsds` answers a bad file with one line (no
traceback) and refuses titles no page should show; the API pages strictly; neither the API
nor an export republishes a script URL, and the datapackage's CSV cells cannot run as
spreadsheet formulas (and read back as they were)."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sift import db
from sift.directory.hsds import export, importer
from sift.directory.models import Organization, Post, PostStatus
from sift.directory.registry import service
from tests.support.cli import cli_error_line

ORG_ID = "9cdc01af-8172-4f9c-b206-b4dd5c22b08f"
"""Fixed (each module has a database of its own), so every test process collects the same
test ids."""


def org(*services: dict, name: str = "Hostile Org") -> dict:
    return {"id": ORG_ID, "name": name, "description": "x", "services": list(services)}


def svc(name: str = "Tax Help", **fields: object) -> dict:
    return {"id": str(uuid.uuid4()), "name": name, "status": "active", **fields}


def write_json(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"id": ' + "[" * 5000 + "]" * 5000 + "}", "nested"),
        (json.dumps(org(svc(description="free\u0000tax help"))), "NUL"),
        (json.dumps(org(svc(description="\ud800"))), "surrogate"),
        (json.dumps(org(svc(name="   "))), "name"),
        (json.dumps(org(svc(name="x" * 1_000_000))), "at most"),
        (json.dumps(org(svc(), name="")), "name"),
    ],
)
def test_a_bad_json_file_is_one_line(tmp_path: Path, text: str, reason: str) -> None:
    line = cli_error_line("import", "hsds", str(write_json(tmp_path, text)))
    assert reason in line and "Traceback" not in line


def test_deep_json_that_parses_is_refused_before_validation(tmp_path: Path) -> None:
    deep = {"id": ORG_ID, "name": "a", "description": "x"}
    cursor = deep
    for _ in range(900):
        cursor["x"] = {}
        cursor = cursor["x"]
    with pytest.raises(importer.InvalidHsds, match="nested"):
        importer.read(write_json(tmp_path, json.dumps(deep)))


def write_package(tmp_path: Path, organizations: str, services: str | None = None) -> Path:
    (tmp_path / "organizations.csv").write_text(organizations, encoding="utf-8")
    if services is not None:
        (tmp_path / "services.csv").write_text(services, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("organizations", "services", "reason"),
    [
        ("id,name,description\n,Org,x\n", None, "`id` is empty"),
        (
            f"id,name,description\n{ORG_ID},Org,x\n",
            f"id,organization_id,name,status\n,{ORG_ID},Tax,active\n",
            "`id` is empty",
        ),
        (f"id,name,description\n{ORG_ID},Or\x00g,x\n", None, "NUL"),
    ],
)
def test_a_bad_datapackage_is_one_line(
    tmp_path: Path, organizations: str, services: str | None, reason: str
) -> None:
    line = cli_error_line("import", "hsds", str(write_package(tmp_path, organizations, services)))
    assert reason in line


# --- the API and exports -------------------------------------------------------------------


@pytest.fixture(scope="module")
def scripted(database: str) -> str:
    """A published post whose website and intake form are script URLs, and whose texts
    start like spreadsheet formulas."""
    with db.session_scope() as session:
        organization = service.create_organization(
            session, name='=HYPERLINK("http://evil.example")', description="@SUM(A1:A9)"
        )
        session.add(
            Post(
                organization_id=organization.id,
                status=PostStatus.active,
                title="+cmd|' /C calc'!A0",
                description="-2+3",
                contact={
                    "website": "javascript:alert(document.cookie)",
                    "intake_form": "JavaScript:alert(1)",
                    "phone": "\t=1+1",
                },
            )
        )
        session.flush()
        return str(organization.id)


@pytest.fixture(scope="module")
def client(client: TestClient, scripted: str) -> TestClient:
    """The shared web client, once the organization with script links exists."""
    return client


def test_the_api_and_exports_never_carry_a_script_url(
    client: TestClient, scripted: str, tmp_path: Path
) -> None:
    document = client.get(f"/hsds/organizations/{scripted}").json()
    listed = client.get("/hsds/services", params={"organization_id": scripted}).json()
    with db.session_scope() as session:
        organization = session.get_one(Organization, uuid.UUID(scripted))
        export.write(export.documents(session, organization=organization), tmp_path, fmt="json")
    for text in (
        json.dumps(document),
        json.dumps(listed),
        (tmp_path / f"{scripted}.json").read_text(),
    ):
        assert "javascript" not in text.lower()


def test_datapackage_cells_cannot_run_as_formulas_and_read_back(
    scripted: str, tmp_path: Path
) -> None:
    with db.session_scope() as session:
        organization = session.get_one(Organization, uuid.UUID(scripted))
        docs = export.documents(session, organization=organization)
    export.write(docs, tmp_path, fmt="datapackage")
    for path in tmp_path.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for value in row.values():
                    assert not value or value[0] not in "=+-@\t\r", (path.name, value)
    [read] = importer.read(tmp_path)
    assert read["name"] == '=HYPERLINK("http://evil.example")'
    assert read["services"][0]["name"] == "+cmd|' /C calc'!A0"
    assert read["services"][0]["description"] == "-2+3"


@pytest.mark.parametrize("value", [" 2", "+2", "2_0", "\u0662", "2.0", "1e3", "0x1"])
def test_paging_numbers_are_plain_digits(client: TestClient, value: str) -> None:
    answer = client.get("/hsds/services", params={"page": value})
    assert answer.status_code == 400 and "\n" not in answer.json()["detail"]
