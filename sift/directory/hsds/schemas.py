"""The HSDS 3.0 object schemas shipped with Sift: validation of whole documents, and the
columns of each table of the tabular datapackage (read from the same schemas, so the CSV
files follow the specification's field order and types)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HSDS_VERSION = "3.0"
TABLES = (
    "organization",
    "service",
    "location",
    "address",
    "service_at_location",
    "phone",
    "schedule",
    "contact",
    "taxonomy_term",
    "attribute",
)
"""The tables Sift writes and reads, parents first (each row's parent is already known)."""

_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean"})


@functools.cache
def object_schema(name: str) -> dict[str, Any]:
    """One object schema (`service`, `phone` …) as published, `$ref`s left in place."""
    path = resources.files("sift.directory.hsds").joinpath("schema", f"{name}.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@functools.cache
def _registry() -> Registry:
    """Every shipped schema under its file name, which is how they `$ref` one another. The
    files declare no `$schema`; the HSDS API names JSON Schema 2020-12 as their dialect."""
    folder = resources.files("sift.directory.hsds").joinpath("schema")
    names = [entry.name for entry in folder.iterdir() if entry.name.endswith(".json")]
    return Registry().with_resources(
        (name, Resource.from_contents(object_schema(name[:-5]), DRAFT202012)) for name in names
    )


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(object_schema(name), registry=_registry())


def first_problem(document: Any, name: str) -> str | None:
    """The most relevant reason `document` is not a valid HSDS `name`, as `where: what`, or
    None when it is valid."""
    error = best_match(validator(name).iter_errors(document))
    if error is None:
        return None
    message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    return f"{error.json_path}: {message}"


def table_file(name: str) -> str:
    """The CSV file name of a table (`service` → `services.csv`)."""
    return str(object_schema(name)["path"])


def columns(name: str) -> dict[str, dict[str, Any]]:
    """The table's columns (the object's one-to-one fields, foreign keys included), in the
    specification's order, each with its field definition."""
    return {
        field: spec
        for field, spec in object_schema(name)["properties"].items()
        if spec.get("type") in _SCALAR_TYPES and "$ref" not in spec
    }


def required(name: str) -> list[str]:
    """The fields the specification requires of an object."""
    return list(object_schema(name).get("required") or [])


def table_schema(name: str) -> dict[str, Any]:
    """The Frictionless table schema of one table, for `datapackage.json`."""
    fields = []
    for field, spec in columns(name).items():
        entry: dict[str, Any] = {"name": field, "type": spec.get("datapackage_type", spec["type"])}
        for key in ("title", "description", "format"):
            if key in spec and not (key == "format" and spec[key] == "uuid"):
                entry[key] = spec[key]
        fields.append(entry)
    keys = [
        {"fields": field, "reference": {"resource": field[: -len("_id")], "fields": "id"}}
        for field in columns(name)
        if field.endswith("_id") and field[: -len("_id")] in TABLES
    ]
    schema: dict[str, Any] = {"fields": fields, "primaryKey": "id"}
    if keys:
        schema["foreignKeys"] = keys
    return schema


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")."""


def formula_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with `'` as OWASP advises
    (`=HYPERLINK(…)` becomes `'=HYPERLINK(…)`). Text already starting with quotes before
    such a character gets one more, so `unescape_formula` always reads back the original."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The text `formula_safe` was given."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value
