"""Organizations and sources: normalised input, duplicates refused, nothing half-written."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from sift import db
from sift.directory.ingest.pages import InvalidSource
from sift.directory.models import Source, SourceStatus
from sift.directory.registry import service
from tests.support.locks import wait_until_a_session_waits_on_a_lock


@pytest.fixture(autouse=True)
def _clean(database: str) -> None:
    with db.session_scope() as session:
        session.execute(sa.text("TRUNCATE organizations CASCADE"))


def _org(name: str = "Harbor Light"):
    with db.session_scope() as session:
        return service.create_organization(session, name=name)


def test_website_is_stored_by_normalised_domain_and_keyed_by_https_site_url() -> None:
    org = _org()
    with db.session_scope() as session:
        source = service.add_source(
            session,
            organization=session.merge(org),
            source_type="website",
            value="HTTP://www.Harbor-Light.org/programs/?x=1#top",
        )
        assert source.website is not None and source.website.domain == "harbor-light.org"
        assert service.source_site_url(source) == "https://harbor-light.org"
        assert source.status is SourceStatus.pending


def test_social_handles_lose_the_at_and_profile_urls_become_handles() -> None:
    org = _org()
    with db.session_scope() as session:
        organization = session.merge(org)
        by_handle = service.add_source(
            session, organization=organization, source_type="instagram", value="@HarborLightCC"
        )
        by_url = service.add_source(
            session,
            organization=organization,
            source_type="x",
            value="https://twitter.com/harborlight",
        )
        assert by_handle.social.handle == "harborlightcc"
        assert service.source_site_url(by_handle) == "https://www.instagram.com/harborlightcc/"
        assert service.source_site_url(by_url) == "https://x.com/harborlight"


@pytest.mark.parametrize(
    ("source_type", "first", "second", "message"),
    [
        (
            "website",
            "harbor.org",
            "https://www.harbor.org/",
            "the website harbor.org is already registered",
        ),
        (
            "instagram",
            "@harbor",
            "instagram.com/Harbor",
            "the instagram profile @harbor is already registered",
        ),
    ],
)
def test_duplicates_are_refused_with_a_clear_message(
    source_type: str, first: str, second: str, message: str
) -> None:
    org = _org()
    with db.session_scope() as session:
        service.add_source(
            session, organization=session.merge(org), source_type=source_type, value=first
        )
    with pytest.raises(service.SourceExists, match=message), db.session_scope() as session:
        service.add_source(
            session, organization=session.merge(org), source_type=source_type, value=second
        )


def test_duplicate_organization_names_are_refused_case_insensitively() -> None:
    _org("Harbor Light")
    with pytest.raises(service.OrganizationExists, match="already exists"):
        _org("harbor   light")


@pytest.mark.parametrize(
    ("source_type", "value"),
    [
        ("website", "not a domain"),
        ("website", "-bad-.org"),
        ("instagram", "bad handle!"),
        ("myspace", "x"),
    ],
)
def test_bad_input_is_rejected_and_nothing_is_written(source_type: str, value: str) -> None:
    org = _org()
    with pytest.raises(InvalidSource), db.session_scope() as session:
        service.add_source(
            session, organization=session.merge(org), source_type=source_type, value=value
        )
    with db.session_scope() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Source)) == 0


def test_only_approved_active_sources_whose_frequency_elapsed_are_due() -> None:
    org = _org()
    with db.session_scope() as session:
        organization = session.merge(org)
        due = service.add_source(
            session, organization=organization, source_type="website", value="a.org"
        )
        pending = service.add_source(
            session, organization=organization, source_type="website", value="b.org"
        )
        fresh = service.add_source(
            session, organization=organization, source_type="instagram", value="cee"
        )
        inactive = service.add_source(
            session, organization=organization, source_type="facebook", value="dee"
        )
        for source in (due, fresh, inactive):
            service.set_source_status(session, source=source, status=SourceStatus.approved)
        service.set_source_active(session, source=inactive, active=False)
        service.record_scrape(session, source_id=fresh.id)
        ids = {s.id for s in service.sources_due(session)}
        assert ids == {due.id}
        assert pending.id not in ids


def test_the_same_organization_added_twice_at_once_is_one_clear_refusal() -> None:
    outcome: list[BaseException | None] = []

    def add_again() -> None:
        try:
            _org("twin HARBOR")
            outcome.append(None)
        except BaseException as error:  # surfaced below
            outcome.append(error)

    second = threading.Thread(target=add_again)
    with db.session_scope() as session:
        service.create_organization(session, name="Twin Harbor")
        second.start()
        wait_until_a_session_waits_on_a_lock()
    second.join()
    [error] = outcome
    assert isinstance(error, service.OrganizationExists)
    assert str(error) == "an organization named 'twin HARBOR' already exists"
