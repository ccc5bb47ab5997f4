"""The periodic ticks: which organizations are due for extraction (never extracted first,
then the longest waiting, at most 10), and that both ticks are registered as schedules."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import sqlalchemy as sa

from sift import db, workflows
from sift.db import utcnow
from sift.directory.extraction import flows
from sift.directory.ingest.pages import RawPage
from sift.directory.models import Organization, SourceStatus
from sift.directory.registry import service
from sift.scheduled import all_schedules


def _org(name: str, *, scraped_ago: timedelta | None, extracted_ago: timedelta | None) -> str:
    with db.session_scope() as session:
        org = service.create_organization(session, name=name)
        source = service.add_source(
            session, organization=org, source_type="website", value=f"{name.lower()}.org"
        )
        service.set_source_status(session, source=source, status=SourceStatus.approved)
        now = utcnow()
        source.last_scraped_at = now - scraped_ago if scraped_ago is not None else None
        org.last_extracted_at = now - extracted_ago if extracted_ago is not None else None
        return str(org.id)


def test_due_organizations_never_extracted_first_then_oldest(database: str) -> None:
    with db.session_scope() as session:
        session.execute(sa.text("TRUNCATE organizations CASCADE"))
    fresh = _org("Fresh", scraped_ago=timedelta(hours=5), extracted_ago=timedelta(hours=1))
    older = _org("Older", scraped_ago=timedelta(hours=1), extracted_ago=timedelta(hours=9))
    newer = _org("Newer", scraped_ago=timedelta(hours=1), extracted_ago=timedelta(hours=2))
    never = _org("Never", scraped_ago=timedelta(hours=1), extracted_ago=None)
    _org("Unscraped", scraped_ago=None, extracted_ago=None)
    with db.session_scope() as session:
        due = [str(i) for i in service.orgs_needing_extraction(session, limit=10)]
        assert due == [never, older, newer]
        assert fresh not in due
        assert len(service.orgs_needing_extraction(session, limit=2)) == 2


def test_extraction_tick_starts_due_orgs_and_then_has_nothing_to_do(app_runtime: str) -> None:
    with db.session_scope() as session:
        session.execute(sa.text("TRUNCATE organizations CASCADE"))
    org_id = _org("Ticked", scraped_ago=timedelta(minutes=5), extracted_ago=None)
    with db.session_scope() as session:
        service.store_pages(
            session,
            pages=[
                RawPage(
                    url="https://ticked.org/yoga",
                    site_url="https://ticked.org",
                    content="# Free Yoga\n\nYoga for seniors every Friday 9-10am. "
                    "Call (555) 400-1234.",
                )
            ],
        )
    assert workflows.wait_for(workflows.start_once(flows.extract_due_organizations, "tick-1")) == 1
    deadline = time.monotonic() + 60
    extracted = None
    while extracted is None and time.monotonic() < deadline:
        with db.session_scope() as session:
            extracted = session.get(Organization, uuid.UUID(org_id)).last_extracted_at
        time.sleep(0.2)
    assert extracted is not None, "the tick did not extract the due organization"
    assert workflows.wait_for(workflows.start_once(flows.extract_due_organizations, "tick-2")) == 0


def test_both_directory_ticks_are_scheduled_at_least_hourly() -> None:
    names = {name: cron for name, _, cron in all_schedules()}
    assert names["directory-crawl-due-sources"] == "0 */15 * * * *"
    assert names["directory-extract-due-orgs"] == "30 */15 * * * *"
