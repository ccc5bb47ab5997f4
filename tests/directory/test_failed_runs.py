"""Failed work is shown as failed: a crawl whose source could not be fetched ends its
workflow normally, with a result that says `failed`, and every place that shows runs says
so too (the runs page badge, the live progress fragment, the CLI's exit code)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sift import db, workflows
from sift.cli import app
from sift.config import get_settings
from sift.directory.registry import flows, service


@pytest.fixture(scope="module")
def failed_crawl(app_runtime: str) -> str:
    """A crawl of an Instagram source with no Apify token: the source cannot be fetched."""
    with db.session_scope() as session:
        org = service.create_organization(session, name="No token org")
        source = service.add_source(
            session, organization=org, source_type="instagram", value="@no_token_org"
        )
        source_id = str(source.id)
    run_id = flows.start_crawl(source_id)
    assert workflows.wait_for(run_id)["status"] == "failed"
    return run_id


def test_a_failed_crawl_is_a_failed_run_not_a_success(failed_crawl: str) -> None:
    run = workflows.run_info(failed_crawl)
    assert run.status == "SUCCESS" and run.outcome == "failed"
    assert run.failure and "SIFT_APIFY_TOKEN" in run.failure


def test_the_runs_page_and_the_progress_fragment_show_the_failure(
    admin: TestClient, failed_crawl: str
) -> None:
    rows = re.findall(r"<tr[ >].*?</tr>", admin.get("/runs").text, flags=re.S)
    (row,) = [r for r in rows if f'data-run="{failed_crawl}"' in r]
    assert "SIFT_APIFY_TOKEN" in row
    assert '<span class="status failed">failed</span>' in row
    progress = admin.get(f"/runs/{failed_crawl}/progress").text
    assert "Run failed:" in progress and "SIFT_APIFY_TOKEN" in progress
    assert "Done" not in progress


def test_the_cli_says_the_crawl_failed_and_exits_non_zero(
    app_runtime: str, failed_crawl: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIFT_DATABASE_URL", app_runtime)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["crawl", "instagram:no_token_org"])
    get_settings.cache_clear()
    db.configure(app_runtime)
    assert result.exit_code == 1
    assert "failed" in result.output and "SIFT_APIFY_TOKEN" in result.output
    assert "Done" not in result.output
