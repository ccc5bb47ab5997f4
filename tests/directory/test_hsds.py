"""Open Referral HSDS 3.0 in and out: exports validate against the specification's own
compiled schemas, the specification's examples import and export again without losing
what Sift keeps, the read API pages, searches and caches, and an imported directory is
what the next extraction updates instead of duplicating."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from sift import db, workflows
from sift.cli import app
from sift.config import get_settings
from sift.directory.demo_site import DemoSite
from sift.directory.extraction import flows as extraction_flows
from sift.directory.hsds import export, importer
from sift.directory.models import (
    Organization,
    Post,
    PostStatus,
    ProposedOperation,
    SourceStatus,
)
from sift.directory.proposals import review
from sift.directory.proposals.sync import identity_key
from sift.directory.registry import flows as registry_flows
from sift.directory.registry import service

FOOD_PANTRY = {
    "title": "Food Pantry",
    "description": "Free groceries for any household in the county.",
    "contact": {"phone": "(555) 201-3344", "email": "pantry@harbor.example"},
    "location": "412 Harbor Street, Springfield, IL 62701",
    "schedule": [{"days": ["Tuesday", "Thursday"], "start": "10:00", "end": "14:00"}],
}


@pytest.fixture(scope="module")
def compiled(shared_data: Path) -> dict[str, Draft202012Validator]:
    folder = shared_data / "hsds" / "schema" / "compiled"
    return {
        name: Draft202012Validator(json.loads((folder / f"{name}.json").read_text()))
        for name in ("organization", "organization_list", "service", "service_list", "tabular")
    }


@pytest.fixture(scope="module")
def harbor(database: str) -> str:
    """An organization with a website, two published posts (one at a street address, one
    somewhere no parser can place), a pending draft and a deleted post."""
    with db.session_scope() as session:
        org = service.create_organization(session, name="Harbor Light", description="Meals.")
        website = service.add_source(
            session, organization=org, source_type="website", value="harbor.example"
        )
        service.set_source_status(session, source=website, status=SourceStatus.approved)
        session.add_all(
            [
                Post(organization_id=org.id, status=PostStatus.active, **FOOD_PANTRY),
                Post(
                    organization_id=org.id,
                    status=PostStatus.active,
                    title="Senior Lunch",
                    description="Hot lunch for seniors.",
                    audience="seniors",
                    location="St. Mark's church basement",
                ),
                Post(organization_id=org.id, title="Draft only", description="Pending."),
                Post(
                    organization_id=org.id,
                    status=PostStatus.active,
                    title="Gone",
                    deleted_at=db.utcnow(),
                ),
            ]
        )
        return str(org.id)


def export_docs(org_id: str | None = None) -> list[dict[str, Any]]:
    with db.session_scope() as session:
        org = session.get(Organization, uuid.UUID(org_id)) if org_id else None
        return export.documents(session, organization=org)


def assert_valid(validator: Draft202012Validator, document: Any) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, errors[:5]


def test_json_export_validates_and_holds_only_published_posts(
    harbor: str, compiled: dict[str, Draft202012Validator], tmp_path: Path
) -> None:
    result = export.write(export_docs(harbor), tmp_path, fmt="json")
    document = json.loads(result.files[0].read_text())
    assert_valid(compiled["organization"], document)
    assert document["website"] == "https://harbor.example"
    pantry, lunch = sorted(document["services"], key=lambda s: s["name"])
    assert [pantry["name"], lunch["name"]] == ["Food Pantry", "Senior Lunch"]
    assert pantry["phones"][0]["number"] == "(555) 201-3344"
    assert pantry["schedules"][0] | {"id": None} == {
        "id": None,
        "service_id": pantry["id"],
        "freq": "WEEKLY",
        "byday": "TU,TH",
        "opens_at": "10:00:00",
        "closes_at": "14:00:00",
    }
    address = pantry["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["city"], address["state_province"]) == (
        "412 Harbor Street",
        "Springfield",
        "IL",
    )
    assert address["postal_code"] == "62701"
    basement = lunch["service_at_locations"][0]["location"]
    assert basement["description"] == "St. Mark's church basement"
    assert "addresses" not in basement
    assert lunch["eligibility_description"] == "seniors"
    assert len(document["locations"]) == 2


def test_ids_are_stable_across_exports(harbor: str, tmp_path: Path) -> None:
    first = export.write(export_docs(harbor), tmp_path / "a", fmt="json").files[0]
    second = export.write(export_docs(harbor), tmp_path / "b", fmt="json").files[0]
    assert first.name == second.name == f"{harbor}.json"
    assert first.read_text() == second.read_text()


def test_datapackage_export_validates_as_hsds_tables(
    harbor: str, compiled: dict[str, Draft202012Validator], tmp_path: Path
) -> None:
    export.write(export_docs(), tmp_path, fmt="datapackage")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert all((tmp_path / r["path"]).exists() for r in descriptor["resources"])
    tables = importer.read_tables(tmp_path)
    assert_valid(compiled["tabular"], tables)
    assert {row["name"] for row in tables["service"]} >= {"Food Pantry", "Senior Lunch"}
    assert len(tables["address"]) == 1 and tables["schedule"][0]["byday"] == "TU,TH"


@pytest.mark.parametrize(
    "example", ["organization_full.json", "service_full.json", "csv", "service_list.json"]
)
def test_examples_import_and_export_again_keeping_what_sift_keeps(
    example: str, database: str, shared_data: Path, compiled: dict[str, Draft202012Validator]
) -> None:
    path = shared_data / "hsds" / "examples" / example
    [original] = importer.read(path)
    with db.session_scope() as session:
        first = importer.store(session, importer.read(path))
    for batch_id in first.batch_ids:  # an example describing a service imported before
        review.review_batch(batch_id, approve=True, reviewer="test")
    with db.session_scope() as session:  # a second import finds the same rows unchanged
        again = importer.store(session, importer.read(path))
    assert first.posts_created + first.changes_staged + first.posts_unchanged == 1
    assert (again.posts_created, again.posts_unchanged) == (0, 1)
    [document] = export_docs(original["id"])
    assert_valid(compiled["organization"], document)
    assert (document["id"], document["name"]) == (original["id"], original["name"])
    assert document["description"] == original["description"]
    [before], [after] = original["services"], document["services"]
    for name in ("id", "name", "description", "url", "email", "application_process"):
        assert after.get(name) == before.get(name), name
    numbers = [p["number"] for p in before.get("phones", [])]
    assert [p["number"] for p in after.get("phones", [])] == numbers[:1]
    times = ("byday", "opens_at", "closes_at", "freq", "description")
    assert [{k: s.get(k) for k in times} for s in after.get("schedules", [])] == [
        {k: s.get(k) for k in times} for s in before.get("schedules", [])
    ]
    for link in before.get("service_at_locations", []):
        kept = after["service_at_locations"][0]["location"]["description"]
        for field in ("address_1", "city", "state_province", "postal_code"):
            assert link["location"]["addresses"][0][field] in kept


def test_invalid_document_is_one_line_naming_file_and_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"contents": [{"id": str(uuid.uuid4()), "name": "X", "status": 3}]}))
    with pytest.raises(importer.InvalidHsds) as caught:
        importer.read(bad)
    assert str(caught.value).startswith(f"{bad}: contents[0]: not a valid HSDS service: $")
    assert "\n" not in str(caught.value)


def test_import_stores_active_posts_and_a_pending_website(database: str, tmp_path: Path) -> None:
    org_id, service_id = str(uuid.uuid4()), str(uuid.uuid4())
    document = {
        "id": org_id,
        "name": "Imported Org",
        "description": "From a 211 system.",
        "website": "https://imported.example/",
        "services": [{"id": service_id, "name": "Tax Help", "status": "active"}],
    }
    path = tmp_path / "org.json"
    path.write_text(json.dumps(document))
    with db.session_scope() as session:
        result = importer.store(session, importer.read(path))
    assert (result.organizations_created, result.posts_created, result.sources_added) == (1, 1, 1)
    with db.session_scope() as session:
        post = session.get_one(Post, uuid.UUID(service_id))
        assert post.status is PostStatus.active and str(post.organization_id) == org_id
        org = session.get_one(Organization, uuid.UUID(org_id))
        [source] = service.list_sources(session, organization=org)
        assert source.url == "https://imported.example" and source.status.value == "pending"


# --- the read API ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(client: TestClient, harbor: str) -> TestClient:
    """The shared web client, once Harbor's posts are published."""
    return client


def test_services_page_and_search(client: TestClient, harbor: str) -> None:
    first = client.get("/hsds/services", params={"per_page": 1, "organization_id": harbor})
    assert first.status_code == 200
    page = first.json()
    assert (page["total_items"], page["total_pages"], page["size"]) == (2, 2, 1)
    assert page["first_page"] and not page["last_page"]
    second = client.get(
        "/hsds/services", params={"per_page": 1, "page": 2, "organization_id": harbor}
    )
    assert second.json()["last_page"]
    names = {page["contents"][0]["name"], second.json()["contents"][0]["name"]}
    assert names == {"Food Pantry", "Senior Lunch"}
    found = client.get("/hsds/services", params={"search": "groceries county"}).json()
    assert [s["name"] for s in found["contents"]] == ["Food Pantry"]
    none = client.get("/hsds/services", params={"search": "100%_"}).json()
    assert none["empty"] and none["total_items"] == 0


def test_full_service_and_organization(
    client: TestClient, harbor: str, compiled: dict[str, Draft202012Validator]
) -> None:
    organizations = client.get("/hsds/organizations", params={"search": "harbor"}).json()
    assert [o["id"] for o in organizations["contents"]] == [harbor]
    assert_valid(compiled["organization_list"], organizations["contents"][0])
    organization = client.get(f"/hsds/organizations/{harbor}").json()
    assert_valid(compiled["organization"], organization)
    service_id = organization["services"][0]["id"]
    full = client.get(f"/hsds/services/{service_id}").json()
    assert_valid(compiled["service"], full)
    assert full["organization"]["name"] == "Harbor Light"


def test_etag_answers_304_while_nothing_changed(client: TestClient, harbor: str) -> None:
    first = client.get(f"/hsds/organizations/{harbor}")
    etag = first.headers["etag"]
    cached = client.get(f"/hsds/organizations/{harbor}", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and not cached.content
    with db.session_scope() as session:
        post = session.scalar(sa.select(Post).where(Post.title == "Senior Lunch"))
        post.description = "Hot lunch for seniors, now on Fridays too."
    changed = client.get(f"/hsds/organizations/{harbor}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


UNKNOWN_ID = "5b1c0c1e-0000-4000-8000-00000000d00d"
"""An id no record has; fixed, so every test process collects the same test ids."""


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/hsds/services/not-a-uuid", 404),
        (f"/hsds/services/{UNKNOWN_ID}", 404),
        (f"/hsds/organizations/{UNKNOWN_ID}", 404),
        ("/hsds/services?page=two", 400),
        ("/hsds/organizations?per_page=1.5", 400),
    ],
)
def test_bad_parameters_are_one_line_errors(client: TestClient, url: str, status: int) -> None:
    answer = client.get(url)
    assert answer.status_code == status
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail


ALL = -1
"""Every matching item on the one page."""


@pytest.mark.parametrize(
    ("url", "page", "size"),
    [
        ("/hsds/services?page=0&per_page=1", 1, 1),
        ("/hsds/services?page=-3", 1, ALL),
        ("/hsds/services?per_page=100000", 1, ALL),
        ("/hsds/organizations?per_page=-1", 1, 1),
        ("/hsds/services?page=99999999999999999999", 10**12, 0),
        ("/hsds/services?organization_id=x", 1, 0),
        ("/hsds/services?search=%00%00%00", 1, ALL),
    ],
)
def test_any_request_the_specification_allows_is_answered(
    client: TestClient, url: str, page: int, size: int
) -> None:
    """The HSDS specification types `page` and `per_page` as any integer and the filters as
    any string: a client written against it gets a page, never a 400."""
    answer = client.get(url)
    assert answer.status_code == 200
    body = answer.json()
    expected = body["total_items"] if size == ALL else size
    assert (body["page_number"], body["size"]) == (page, expected)
    assert body["total_items"] > 0 or url.endswith("organization_id=x")


# --- an imported directory meets extraction -----------------------------------------------


def hsds_service(name: str, eligibility: str | None, phone: str, email: str) -> dict[str, Any]:
    """A service as a 211 system might hold one of the demo centre's programs."""
    service = {
        "id": str(uuid.uuid4()),
        "name": name,
        "description": f"{name} at Harbor Light Community Center.",
        "status": "active",
        "email": email,
        "phones": [{"id": str(uuid.uuid4()), "number": phone}],
    }
    return service | ({"eligibility_description": eligibility} if eligibility else {})


def test_extraction_updates_and_merges_imported_posts_without_duplicates(
    app_runtime: str, tmp_path: Path
) -> None:
    services = [
        hsds_service("Weekly Food Pantry", None, "(555) 201-3344", "pantry@harborlightcc.org"),
        hsds_service("Free Tax Preparation", None, "(555) 201-3355", "taxes@harborlightcc.org"),
        hsds_service(
            "Youth Soccer League",
            "Children ages 6 to 12",
            "(555) 201-3366",
            "soccer@harborlightcc.org",
        ),
        hsds_service(
            "Adult ESL Classes", "Adults 18 and older", "(555) 201-3377", "esl@harborlightcc.org"
        ),
        hsds_service(
            "Senior Lunch Club", "Seniors 60 and over", "(555) 201-3388", "lunch@harborlightcc.org"
        ),
        hsds_service("Senior Lunch", "Seniors", "(555) 201-3388", "lunch@harborlightcc.org"),
        hsds_service("Volunteer With Us", None, "(555) 201-3399", "volunteer@harborlightcc.org"),
    ]
    with DemoSite() as site:
        document = {
            "id": str(uuid.uuid4()),
            "name": "Harbor Light Community Center",
            "description": "A neighbourhood centre.",
            "website": site.base_url,
            "services": services,
        }
        path = tmp_path / "harbor.json"
        path.write_text(json.dumps(document))
        with db.session_scope() as session:
            importer.store(session, importer.read(path))
            org = session.get_one(Organization, uuid.UUID(document["id"]))
            [website] = service.list_sources(session, organization=org)
            website.url = site.base_url  # an admin approves the imported website
            service.set_source_status(session, source=website, status=SourceStatus.approved)
            website_id = str(website.id)
        assert workflows.wait_for(registry_flows.start_crawl(website_id))["status"] == "completed"
    result = workflows.wait_for(extraction_flows.start_extraction(document["id"]))
    assert result["status"] == "completed", result
    with db.session_scope() as session:
        proposals = session.scalars(
            sa.select(ProposedOperation).where(
                ProposedOperation.batch_id == uuid.UUID(result["batch_id"])
            )
        ).all()
        kinds = sorted(p.operation.value for p in proposals)
        inserted = [
            session.get_one(Post, p.draft_post_id).title for p in proposals if p.draft_post_id
        ]
        targets = {str(p.target_post_id) for p in proposals if p.target_post_id} | {
            str(m.post_id) for p in proposals for m in p.merge_sources
        }
    assert kinds.count("merge") == 1 and kinds.count("update") == 5 and "delete" not in kinds
    assert targets == {s["id"] for s in services}  # every imported post, updated or merged
    imported = {identity_key(s["name"], None) for s in services}
    assert not imported & {identity_key(title, None) for title in inserted}, inserted


def test_cli_exports_a_datapackage_that_imports_back_unchanged(
    database: str, harbor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIFT_DATABASE_URL", database)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        out = tmp_path / "package"
        exported = runner.invoke(
            app, ["export", "hsds", "Harbor Light", "--out", str(out), "--format", "datapackage"]
        )
        assert exported.exit_code == 0, exported.output
        assert "1 organization(s) and 2 service(s)" in exported.output
        imported = runner.invoke(app, ["import", "hsds", str(out / "datapackage.json")])
        assert imported.exit_code == 0, imported.output
        assert "posts: 0 new, 2 unchanged, 0 change(s) staged" in imported.output
    finally:
        get_settings.cache_clear()
        db.configure(database)
