"""What a visitor controls never becomes Sift's voice: the login banner shows only Sift's own
messages, absolute links come from `SIFT_PUBLIC_URL` (never from the `Host` header), and
every response carries the browser-side defences (CSP, nosniff, referrer and frame policy)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sift import db
from sift.api import create_app
from sift.config import get_settings
from sift.directory.models import Post, PostStatus
from sift.directory.registry import service

EVIL = "evil.example"


@pytest.fixture(scope="module")
def published(database: str) -> dict[str, str]:
    with db.session_scope() as session:
        org = service.create_organization(session, name="Linked Org")
        post = Post(
            organization_id=org.id,
            status=PostStatus.active,
            title="Evening Meals",
            description="Hot meals.",
            schedule=[{"days": ["Monday"], "start": "17:00", "end": "19:00"}],
        )
        session.add(post)
        session.flush()
        return {"org": str(org.id), "post": str(post.id)}


@pytest.fixture
def client(published: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client


def test_the_login_banner_never_shows_text_from_the_address(client: TestClient) -> None:
    page = client.get("/login", params={"error": "Your session expired: call 555-SCAM now"})
    assert page.status_code == 200 and "555-SCAM" not in page.text


def pages(published: dict[str, str]) -> list[str]:
    return [
        f"/organizations/{published['org']}",
        f"/services/{published['post']}",
        f"/organizations/{published['org']}.ics",
    ]


def test_links_never_take_the_host_header(client: TestClient, published: dict[str, str]) -> None:
    for path in pages(published):
        answer = client.get(path, headers={"Host": EVIL})
        assert answer.status_code == 200, path
        assert EVIL not in answer.text, path


def test_links_use_the_configured_public_url(
    published: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIFT_PUBLIC_URL", "https://directory.example.org/")
    get_settings.cache_clear()
    try:
        with TestClient(create_app(get_settings(), manage_runtime=False)) as client:
            for path in pages(published):
                answer = client.get(path, headers={"Host": EVIL})
                assert EVIL not in answer.text, path
                assert f"https://directory.example.org/services/{published['post']}" in (
                    answer.text.replace("\r\n ", "")  # iCalendar folds long lines
                ), path
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("path", ["/", "/login", "/hsds/services", "/healthz", "/nowhere"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert (
        "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"


def test_a_bad_public_url_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from sift.config import SettingsError, load_settings

    monkeypatch.setenv("SIFT_PUBLIC_URL", "javascript:alert(1)")
    with pytest.raises(SettingsError, match="SIFT_PUBLIC_URL"):
        load_settings()
