"""Behind a reverse proxy: a proxy that rewrites `Host` (nginx's default) does not make the
admin's own form posts cross-site once `SIFT_PUBLIC_URL` names the public address, and a
proxy's `X-Forwarded-Host`/`-Proto`/`-For` are believed only from `SIFT_TRUSTED_PROXIES`."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.types import Scope

from sift.api import create_app
from sift.config import SettingsError, get_settings, load_settings
from sift.web import proxy
from tests.conftest import admin_login

PUBLIC = "https://directory.example.org"
UPSTREAM = "127.0.0.1:8000"
"""What nginx's default `proxy_set_header Host $proxy_host` sends for `proxy_pass
http://127.0.0.1:8000`."""
PROXY = "10.0.0.1"
_names = (f"Proxied Org {n}" for n in itertools.count())


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"SIFT_{name.upper()}", value)
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()


def signed_in(app_runtime: str, peer: str = "192.0.2.10") -> TestClient:
    """An admin's browser whose connection comes from `peer`."""
    settings = get_settings()
    client = TestClient(create_app(settings, manage_runtime=False), client=(peer, 50000))
    login = admin_login()
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303
    return client


def post_form(client: TestClient, **headers: str) -> int:
    headers = {name.replace("_", "-"): value for name, value in headers.items()}
    answer = client.post(
        "/orgs", data={"name": next(_names)}, headers=headers, follow_redirects=False
    )
    return answer.status_code


def test_a_rewritten_host_refuses_forms_without_a_public_url(app_runtime: str) -> None:
    with signed_in(app_runtime) as browser:
        assert post_form(browser, Host=UPSTREAM, Origin=PUBLIC) == 403


def test_the_public_url_is_the_expected_origin_behind_a_host_rewriting_proxy(
    app_runtime: str, configure: Callable[..., None]
) -> None:
    configure(public_url=PUBLIC + "/")
    with signed_in(app_runtime) as browser:
        assert post_form(browser, Host=UPSTREAM, Origin=PUBLIC) == 303
        assert post_form(browser, Host=UPSTREAM, Origin=PUBLIC + ":443") == 303
        assert post_form(browser, Host=UPSTREAM, Referer=PUBLIC + "/orgs") == 303
        assert post_form(browser, Origin="http://testserver") == 303  # direct access still works
        assert post_form(browser, Host=UPSTREAM, Origin="https://evil.example") == 403
        assert post_form(browser, Host=UPSTREAM, Origin="https://directory.example.org.evil") == 403
        assert post_form(browser, Host=UPSTREAM, Origin="null") == 403


def test_forwarded_host_counts_only_from_a_trusted_proxy(
    app_runtime: str, configure: Callable[..., None]
) -> None:
    configure(trusted_proxies=f"{PROXY}, 10.9.0.0/16")
    forwarded = {"Host": UPSTREAM, "Origin": PUBLIC, "X_Forwarded_Host": "directory.example.org"}
    with signed_in(app_runtime, peer=PROXY) as through_proxy:
        assert post_form(through_proxy, **forwarded) == 303
    with signed_in(app_runtime, peer="10.9.4.2") as through_second_proxy:
        assert post_form(through_second_proxy, **forwarded) == 303
    with signed_in(app_runtime, peer="192.0.2.77") as direct:
        assert post_form(direct, **forwarded) == 403


def test_forwarded_proto_makes_the_cookie_secure_only_from_a_trusted_proxy(
    app_runtime: str, configure: Callable[..., None]
) -> None:
    configure(trusted_proxies=PROXY)
    settings = get_settings()
    login = admin_login()
    app = create_app(settings, manage_runtime=False)
    for peer, secure in ((PROXY, True), ("192.0.2.78", False)):
        with TestClient(app, client=(peer, 50000)) as client:
            answer = client.post(
                "/login",
                data=login,
                headers={"X-Forwarded-Proto": "https"},
                follow_redirects=False,
            )
        assert ("secure" in answer.headers["set-cookie"].lower()) is secure, peer


def scope(peer: str, *headers: tuple[str, str]) -> Scope:
    return {
        "type": "http",
        "client": (peer, 1234),
        "scheme": "http",
        "headers": [(n.lower().encode(), v.encode()) for n, v in headers],
    }


def test_the_client_address_reads_the_chain_from_the_right() -> None:
    settings = load_settings(trusted_proxies="10.0.0.0/8,::1")
    xff = ("X-Forwarded-For", "1.1.1.1, 203.0.113.9, 10.0.0.3")
    assert proxy.client_address(scope("10.0.0.1", xff), settings) == "203.0.113.9"
    assert proxy.client_address(scope("192.0.2.1", xff), settings) == "192.0.2.1"
    assert proxy.client_address(scope("::1", ("X-Forwarded-For", "203.0.113.5")), settings) == (
        "203.0.113.5"
    )
    hidden = ("X-Forwarded-For", "203.0.113.9, _hidden")
    assert proxy.client_address(scope("10.0.0.1", hidden), settings) == "10.0.0.1"
    rfc = ("Forwarded", 'for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711"')
    assert proxy.client_address(scope("10.0.0.1", rfc), settings) == "2001:db8:cafe::17"
    assert proxy.client_address(scope("::ffff:10.0.0.1", xff), settings) == "203.0.113.9"
    assert proxy.client_address({"type": "http", "headers": []}, settings) == "unknown"


@pytest.mark.parametrize("value", ["nginx", "10.0.0.1/33", "10.0.0.1;10.0.0.2"])
def test_a_bad_trusted_proxy_is_one_line(value: str) -> None:
    with pytest.raises(SettingsError, match="SIFT_TRUSTED_PROXIES") as caught:
        load_settings(trusted_proxies=value)
    assert "\n" not in str(caught.value)
