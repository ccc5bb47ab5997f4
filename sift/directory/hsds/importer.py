"""Reading HSDS 3.0 into Sift: organizations and their services become existing, active
posts, so the next extraction compares against them instead of proposing everything anew.

Everything is read and validated before anything is written (`storing` then writes it in
the caller's one transaction): a bad file leaves the database as it was. A re-import finds
the rows of the first one by their HSDS ids (see `mapping.sift_id`) and stages what it
would change for review.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sift import security
from sift.directory.hsds import schemas
from sift.directory.hsds.storing import ImportResult, store
from sift.errors import SiftError

__all__ = ["DATAPACKAGE", "ImportResult", "InvalidHsds", "read", "read_tables", "store"]

DATAPACKAGE = "datapackage.json"


class InvalidHsds(SiftError):
    """The file is not HSDS 3.0 Sift can read; the message names the file and the place."""


# --- reading --------------------------------------------------------------------------------


def read(path: Path) -> list[dict[str, Any]]:
    """Validated organization documents from a JSON file, a folder of JSON files (as
    `sift export hsds --format json` writes), or a datapackage (its folder or its
    `datapackage.json`, or any folder holding `organizations.csv`)."""
    if not path.exists():
        raise InvalidHsds(f"{path}: no such file or folder")
    folder = path if path.is_dir() else path.parent
    if path.name == DATAPACKAGE or (path.is_dir() and _is_datapackage(path)):
        return _from_tables(read_tables(folder), folder)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InvalidHsds(f"{path}: no HSDS JSON files or datapackage in this folder")
    organizations: dict[str, dict[str, Any]] = {}
    for file in files:
        for org in _from_json(file):
            _merge_organization(organizations, org)
    return list(organizations.values())


def _is_datapackage(folder: Path) -> bool:
    return (folder / DATAPACKAGE).exists() or (folder / schemas.table_file("organization")).exists()


def _from_json(file: Path) -> list[dict[str, Any]]:
    """The file's documents. Python's parser recurses, so a deeply nested file is refused by
    its recursion guard; what parses is then checked for nesting (the schema validator
    recurses too) and for text PostgreSQL cannot store (NUL, lone surrogates)."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidHsds(f"{file}: cannot read it ({error})") from None
    except json.JSONDecodeError as error:
        raise InvalidHsds(f"{file}: not JSON (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise InvalidHsds(f"{file}: nested too deeply to be HSDS") from None
    if problem := security.unstorable(data):
        raise InvalidHsds(f"{file}: cannot be imported: {problem}")
    items, where = _items(data)
    organizations: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(items):
        label = f"{file}: {where.format(i)}" if where else str(file)
        _merge_organization(organizations, _organization_of(item, label))
    return list(organizations.values())


def _items(data: Any) -> tuple[list[Any], str]:
    """The documents in a file: one object, a JSON array of them, or an API page."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"], "contents[{}]"
    if isinstance(data, list):
        return data, "[{}]"
    return [data], ""


def _organization_of(item: Any, label: str) -> dict[str, Any]:
    """An organization document, validated; a service (it has a `status`, which HSDS
    requires of services only) is validated as one and placed in its `organization`."""
    if not isinstance(item, dict):
        raise InvalidHsds(f"{label}: expected an HSDS organization or service object")
    kind = "service" if "status" in item else "organization"
    _validate(item, kind, label)
    if kind == "organization":
        _check_names(item, label)
        return item
    organization = item.get("organization")
    if not isinstance(organization, dict):
        raise InvalidHsds(f"{label}: a service is imported with its nested `organization`")
    service = {k: v for k, v in item.items() if k != "organization"}
    document = {**organization, "services": [service]}
    _check_names(document, label)
    return document


MAX_ORGANIZATION_NAME = 200
MAX_SERVICE_NAME = 300
"""Names become page titles and list entries: the schema allows any string, a directory
does not (a 1,000,000-character title made the front page 1 MB)."""


def _check_names(organization: dict[str, Any], label: str) -> None:
    """Every name the import would publish is a title a page can show."""
    _check_name(organization.get("name"), f"{label}: organization name", MAX_ORGANIZATION_NAME)
    for i, service in enumerate(organization.get("services") or []):
        _check_name(service.get("name"), f"{label}: services[{i}] name", MAX_SERVICE_NAME)


def _check_name(name: Any, where: str, limit: int) -> None:
    text = " ".join(str(name or "").split())
    if not text:
        raise InvalidHsds(f"{where} is empty")
    if len(text) > limit:
        raise InvalidHsds(f"{where} is {len(text):,} characters; at most {limit} are accepted")


def _merge_organization(found: dict[str, dict[str, Any]], org: dict[str, Any]) -> None:
    """Several documents may describe one organization (a page of services): one entry,
    its services gathered."""
    known = found.get(org["id"])
    if known is None:
        found[org["id"]] = {**org, "services": list(org.get("services") or [])}
        return
    ids = {s["id"] for s in known["services"]}
    known["services"].extend(s for s in org.get("services") or [] if s["id"] not in ids)


def _validate(document: dict[str, Any], kind: str, label: str) -> None:
    if problem := schemas.first_problem(document, kind):
        raise InvalidHsds(f"{label}: not a valid HSDS {kind}: {problem}")


def read_tables(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of every HSDS table Sift reads that the datapackage has, typed as the
    schema says (an empty cell is a missing value)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in schemas.TABLES:
        path = folder / schemas.table_file(table)
        if path.exists():
            tables[table] = _read_csv(path, table)
    if "organization" not in tables:
        raise InvalidHsds(f"{folder}: a datapackage needs {schemas.table_file('organization')}")
    return tables


def _read_csv(path: Path, table: str) -> list[dict[str, Any]]:
    """A table's rows. A CSV cell cannot tell an empty string from a missing value: an empty
    cell of a required text column is the empty string (Sift exports an organization
    without a description that way), any other empty cell is missing, and a row without
    an `id` is refused, as nothing could refer to it."""
    fields = schemas.columns(table)
    required = schemas.required(table)
    rows = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                where = f"{path.name} row {line}"
                typed = {
                    name: _typed(
                        schemas.unescape_formula(value), fields[name], f"{where}, column {name}"
                    )
                    for name, value in row.items()
                    if name in fields and value not in (None, "")
                }
                if problem := security.unstorable(typed):
                    raise InvalidHsds(f"{path.parent / path.name} row {line}: {problem}")
                if not str(typed.get("id", "")).strip():
                    raise InvalidHsds(f"{path.parent / path.name} row {line}: `id` is empty")
                for name in required:
                    if fields.get(name, {}).get("type") == "string" and row.get(name) == "":
                        typed.setdefault(name, "")
                rows.append(typed)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidHsds(f"{path}: cannot read it as CSV ({error})") from None
    return rows


def _typed(value: str, spec: dict[str, Any], where: str) -> Any:
    kind = spec.get("type")
    try:
        if kind in ("number", "integer"):
            number = float(value)
            return int(number) if number.is_integer() else number
    except ValueError:
        raise InvalidHsds(f"{where}: {value!r} is not a number") from None
    if kind == "boolean":
        if value.lower() not in ("true", "false", "1", "0"):
            raise InvalidHsds(f"{where}: {value!r} is not true or false")
        return value.lower() in ("true", "1")
    return value


def _from_tables(tables: dict[str, list[dict[str, Any]]], folder: Path) -> list[dict[str, Any]]:
    """Nest the rows the way an HSDS organization document does, then validate each one.
    A row attached to several parents (a phone of a service and of its location) is placed
    under each; a row whose parent is missing is left out, as the spec's own example has
    such rows."""
    by_id = {table: {row["id"]: row for row in rows} for table, rows in tables.items()}
    children: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for table in ("phone", "schedule", "contact", "address", "service_at_location"):
        for row in tables.get(table, []):
            for parent in ("contact", "service_at_location", "location", "service", "organization"):
                if parent_id := row.get(f"{parent}_id"):
                    children[(f"{parent}:{table}", parent_id)].append(row)
    organizations = by_id["organization"]
    for line, service in enumerate(tables.get("service", []), start=2):
        org = organizations.get(service.get("organization_id", ""))
        if org is None:
            raise InvalidHsds(
                f"{folder / schemas.table_file('service')} row {line}: organization_id "
                f"{service.get('organization_id')!r} is not in {schemas.table_file('organization')}"
            )
        org.setdefault("services", []).append(service)
    for location in tables.get("location", []):
        if (org := organizations.get(location.get("organization_id", ""))) is not None:
            org.setdefault("locations", []).append(location)
    _nest(by_id, children)
    _nest_attributes(tables, by_id)
    for org in organizations.values():
        _validate(org, "organization", f"{folder}: organization {org['id']}")
        _check_names(org, f"{folder}: organization {org['id']}")
    return list(organizations.values())


def _nest_attributes(
    tables: dict[str, list[dict[str, Any]]], by_id: dict[str, dict[str, dict[str, Any]]]
) -> None:
    """Attributes of services (Sift's tags and summary) under their service, each with its
    taxonomy term, as the nested document has them."""
    terms = by_id.get("taxonomy_term", {})
    services = by_id.get("service", {})
    for attribute in tables.get("attribute", []):
        service = services.get(attribute.get("link_id", ""))
        if service is None or attribute.get("link_entity", "service") != "service":
            continue
        if (term := terms.get(attribute.get("taxonomy_term_id", ""))) is not None:
            attribute["taxonomy_term"] = term
        service.setdefault("attributes", []).append(attribute)


_NESTED = {
    "phones": "phone",
    "schedules": "schedule",
    "contacts": "contact",
    "addresses": "address",
    "service_at_locations": "service_at_location",
}
_OWNS = {
    "contact": ("phones",),
    "service_at_location": ("phones", "schedules", "contacts"),
    "location": ("phones", "schedules", "contacts", "addresses"),
    "service": ("phones", "schedules", "contacts", "service_at_locations"),
    "organization": ("phones", "contacts"),
}


def _nest(
    by_id: dict[str, dict[str, dict[str, Any]]],
    children: dict[tuple[str, str], list[dict[str, Any]]],
) -> None:
    for parent, keys in _OWNS.items():
        for row_id, row in by_id.get(parent, {}).items():
            for key in keys:
                if found := children.get((f"{parent}:{_NESTED[key]}", row_id)):
                    row[key] = found
    for link in by_id.get("service_at_location", {}).values():
        if (location := by_id.get("location", {}).get(link.get("location_id", ""))) is not None:
            link["location"] = location
