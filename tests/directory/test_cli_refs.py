"""How the directory CLI reads what users type and prints what they copy: a `host:port`
is a website, ids are printed whole at 80 columns, and the start of an id is enough."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from sift import db
from sift.cli import app
from sift.config import get_settings
from sift.directory.models import Organization
from sift.directory.registry import service


@pytest.fixture(scope="module")
def cli(database: str) -> Iterator[CliRunner]:
    patch = pytest.MonkeyPatch()
    patch.setenv("SIFT_DATABASE_URL", database)
    patch.setenv("COLUMNS", "80")
    get_settings.cache_clear()
    yield CliRunner()
    patch.undo()
    get_settings.cache_clear()
    db.configure(database)


def _sift(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_host_and_port_is_read_as_a_website_not_as_type_handle(database: str) -> None:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Port Org")
        added = service.add_source(
            session, organization=org, source_type="website", value="127.0.0.1:9102"
        )
        social = service.add_source(
            session, organization=org, source_type="instagram", value="@port_org"
        )
        session.flush()
        assert service.get_source_or_raise(session, ref="127.0.0.1:9102").id == added.id
        assert service.get_source_or_raise(session, ref="instagram:port_org").id == social.id


def test_ids_are_printed_whole_and_a_unique_prefix_finds_the_record(cli: CliRunner) -> None:
    name = "A rather long organization name that fills the table"
    _sift(cli, "org", "add", name)
    _sift(cli, "source", "add", name, "website", "long-name.example.org")
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=name)
        org_id, source_id = str(org.id), str(org.sources[0].id)

    printed = _sift(cli, "org", "list") + _sift(cli, "source", "list")
    assert org_id in printed and source_id in printed
    assert all(len(line) <= 80 for line in printed.splitlines())

    shown = _sift(cli, "org", "show", org_id[:8])
    assert "A rather long organization name" in shown
    assert "approved" in _sift(cli, "source", "approve", source_id[:6])


def test_an_ambiguous_or_unknown_prefix_is_refused(cli: CliRunner) -> None:
    with db.session_scope() as session:
        for n in (1, 2):
            org_id = uuid.UUID(f"abcd1234-0000-0000-0000-00000000000{n}")
            session.add(Organization(id=org_id, name=f"Twin {n}"))

    ambiguous = cli.invoke(app, ["org", "show", "abcd1234"])
    assert isinstance(ambiguous.exception, db.AmbiguousId)
    assert "more than one id" in str(ambiguous.exception)
    assert "Twin 2" in _sift(cli, "org", "show", "abcd1234-0000-0000-0000-000000000002")
    unknown = cli.invoke(app, ["org", "show", "ffff0000"])
    assert "no organization 'ffff0000'" in str(unknown.exception)
