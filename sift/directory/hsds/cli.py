"""`sift export hsds` and `sift import hsds`: the directory in Open Referral HSDS 3.0."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sift import db, runtime
from sift.config import get_settings
from sift.directory.hsds import export, importer
from sift.directory.registry import service as directory
from sift.terminal import console

export_app = typer.Typer(no_args_is_help=True, help="Export the directory in standard formats.")
import_app = typer.Typer(no_args_is_help=True, help="Import a directory in standard formats.")


@export_app.command("hsds")
def export_hsds(
    out: Annotated[Path, typer.Option("--out", help="Folder to write into (created).")],
    org: Annotated[
        str | None, typer.Argument(help="Organization name or id (default: every one).")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="json (one file per organization) or datapackage.")
    ] = "json",
) -> None:
    """Write the published posts as Open Referral HSDS 3.0."""
    export.check_format(fmt)  # before the database starts
    runtime.start(get_settings(), with_workflows=False)
    with db.session_scope() as session:
        organization = None
        if org is not None:
            organization = directory.find_organization(session, org)
        docs = export.documents(session, organization=organization)
    result = export.write(docs, out, fmt=fmt)
    console.print(
        f"exported {result.organizations} organization(s) and {result.services} service(s) "
        f"as HSDS 3.0 {fmt} to {result.folder} ({len(result.files)} files)"
    )


@import_app.command("hsds")
def import_hsds(
    path: Annotated[
        Path, typer.Argument(help="An HSDS JSON file, a folder of them, or a datapackage.")
    ],
) -> None:
    """Add organizations and their services as published posts; changes to posts Sift
    already has are staged as proposals for review."""
    organizations = importer.read(path)  # validated before the database is touched
    runtime.start(get_settings(), with_workflows=False)
    with db.session_scope() as session:
        result = importer.store(session, organizations)
    console.print(
        f"organizations: {result.organizations_created} new, "
        f"{result.organizations_updated} updated; posts: {result.posts_created} new, "
        f"{result.posts_unchanged} unchanged, {result.changes_staged} change(s) staged for "
        f"review; {result.sources_added} website(s) added as pending sources",
        highlight=False,
    )
    for batch_id in result.batch_ids:
        console.print(f"staged batch {batch_id}: see `sift review list`", highlight=False)
    for note in result.notes:
        console.print(f"note: {note}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
