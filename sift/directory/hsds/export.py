"""Writing HSDS 3.0: one JSON document per organization, or the tabular datapackage (one
CSV file per HSDS table and a `datapackage.json` describing them)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sift.directory.hsds import schemas
from sift.directory.hsds.service import live_organizations, organization_document
from sift.directory.models import Organization
from sift.errors import SiftError

FORMATS = ("json", "datapackage")
CHILD_TABLES = {
    "services": "service",
    "locations": "location",
    "location": "location",
    "addresses": "address",
    "service_at_locations": "service_at_location",
    "phones": "phone",
    "schedules": "schedule",
    "contacts": "contact",
    "attributes": "attribute",
    "taxonomy_term": "taxonomy_term",
}
"""The keys under which a nested HSDS document holds rows of another table."""


class ExportFailed(SiftError):
    """The export could not be written where it was asked to go."""


@dataclass
class ExportResult:
    folder: Path
    organizations: int
    services: int
    files: list[Path]


def documents(session: Session, *, organization: Organization | None) -> list[dict[str, Any]]:
    """The organization asked for, or every live one, as HSDS documents."""
    organizations = [organization] if organization else session.scalars(live_organizations())
    return [organization_document(session, org) for org in organizations]


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportFailed(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write(docs: list[dict[str, Any]], folder: Path, *, fmt: str) -> ExportResult:
    """Write `docs` into `folder` (created if missing) as JSON documents or a datapackage."""
    check_format(fmt)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files = write_json(docs, folder) if fmt == "json" else write_datapackage(docs, folder)
    except OSError as error:
        raise ExportFailed(f"cannot write the export to {folder}: {error.strerror}") from None
    services = sum(len(doc.get("services", [])) for doc in docs)
    return ExportResult(folder=folder, organizations=len(docs), services=services, files=files)


def write_json(docs: list[dict[str, Any]], folder: Path) -> list[Path]:
    """One `<organization id>.json` per organization: the id names the file, so a second
    export overwrites the same files."""
    files = []
    for doc in docs:
        path = folder / f"{doc['id']}.json"
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(path)
    return files


def write_datapackage(docs: list[dict[str, Any]], folder: Path) -> list[Path]:
    tables = flatten(docs)
    files = []
    for table in schemas.TABLES:
        path = folder / schemas.table_file(table)
        fields = list(schemas.columns(table))
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(
                {k: schemas.formula_safe(v) for k, v in row.items()} for row in tables[table]
            )
        files.append(path)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps(datapackage(), indent=2) + "\n", encoding="utf-8")
    return [*files, descriptor]


def datapackage() -> dict[str, Any]:
    return {
        "name": "hsds",
        "title": "Human Services Data Specification 3.0 data exported by Sift",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": table,
                "path": schemas.table_file(table),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schemas.table_schema(table),
            }
            for table in schemas.TABLES
        ],
    }


def flatten(docs: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Nested organization documents as table rows, each row once (a location shared by
    two services is one row)."""
    tables: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in schemas.TABLES}
    for table, row in _rows(docs, "organization"):
        tables[table].setdefault(row["id"], row)
    return {table: list(rows.values()) for table, rows in tables.items()}


def _rows(records: Iterable[dict[str, Any]], table: str) -> Iterator[tuple[str, dict[str, Any]]]:
    fields = schemas.columns(table)
    for record in records:
        yield table, {k: v for k, v in record.items() if k in fields}
        for key, child_table in CHILD_TABLES.items():
            children = record.get(key)
            if isinstance(children, dict):
                children = [children]
            if children:
                yield from _rows(children, child_table)
